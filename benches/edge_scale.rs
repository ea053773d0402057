//! Editing a large alignment: `cargo bench --bench edge_scale`.
//!
//! Builds a synthetic work of two layers with 50k sentences each (`TEI_ALIGN_EDGE_N` sets
//! another size): a source of pseudo-random sentences in paragraphs of ten and a translation
//! that renders each sentence at a slightly different length, merging every 40th pair into one
//! sentence. It prints the seconds for
//!
//! - a fresh alignment of the work (`align_work` with no existing alignment),
//! - re-aligning the unchanged work against that alignment (target: at most 1.2× fresh),
//! - one `link` in the library, step by step: read the alignment file, link two sentences,
//!   recompose the segments, write the file;
//! - the `link` command itself, on the same work written as TEI files in a temporary project
//!   (`tei-align import`, `align`, then `link` of the middle link, five times from the same
//!   file, and their median): wall time and the CPU time of the process, which a loaded machine does not inflate
//!   (target: under 0.5 s).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use tei_align::model::{Derivation, DerivationKind, Layer, Sentence, Work};
use tei_align::provenance::{WorkOptions, align_work, recompose};
use tei_align::tei::standoff::{parse_alignment, to_tei};

/// A small deterministic generator (no dependency needed for a bench's filler text).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for w in 0..words {
        if w > 0 {
            s.push(' ');
        }
        let len = 2 + rng.next() % 8;
        for _ in 0..len {
            s.push((b'a' + (rng.next() % 26) as u8) as char);
        }
    }
    s.push('.');
    s
}

fn layer(id: &str, source: Option<&str>, texts: Vec<String>) -> Layer {
    Layer {
        id: id.into(),
        lang: id.into(),
        path: PathBuf::from(format!("texts/bench/{id}.xml")),
        title: id.into(),
        agents: vec![],
        source_desc: String::new(),
        derivations: source
            .map(|s| Derivation {
                source: s.into(),
                kind: DerivationKind::Translation,
                resp: vec![],
                when: None,
                note: None,
            })
            .into_iter()
            .collect(),
        sentences: texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Sentence {
                id: format!("{id}.s{}", i + 1),
                text,
                block: i / 10,
                line: 0,
            })
            .collect(),
        gaps: vec![],
    }
}

fn work(n: usize) -> Work {
    let mut rng = Lcg(7);
    let src: Vec<String> = (0..n)
        .map(|_| {
            let w = 4 + (rng.next() % 20) as usize;
            sentence(&mut rng, w)
        })
        .collect();
    let mut der = Vec::with_capacity(n);
    let mut i = 0;
    while i < src.len() {
        let words = |s: &str| s.split(' ').count();
        if i % 40 == 39 && i + 1 < src.len() {
            let w = words(&src[i]) + words(&src[i + 1]);
            der.push(sentence(&mut rng, w + 1));
            i += 2;
        } else {
            let w = words(&src[i]) + (rng.next() % 3) as usize;
            der.push(sentence(&mut rng, w.max(1)));
            i += 1;
        }
    }
    Work {
        id: "bench".into(),
        dir: PathBuf::from("texts/bench"),
        layers: vec![layer("xa", None, src), layer("xb", Some("xa"), der)],
    }
}

fn main() {
    let n: usize = std::env::var("TEI_ALIGN_EDGE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let work = work(n);
    let files: BTreeMap<String, String> = work
        .layers
        .iter()
        .map(|l| (l.id.clone(), format!("../../texts/bench/{}.xml", l.id)))
        .collect();
    let opts = WorkOptions {
        when: Some("2026-11-30".into()),
        ..WorkOptions::default()
    };
    println!(
        "synthetic work: {} + {} sentences",
        work.layers[0].sentences.len(),
        work.layers[1].sentences.len()
    );

    let t = Instant::now();
    let fresh = align_work(&work, None, files.clone(), &opts).expect("fresh alignment");
    let fresh_s = t.elapsed().as_secs_f64();
    println!("fresh align:          {fresh_s:.2} s");

    let t = Instant::now();
    let again = align_work(&work, Some(&fresh.alignment), files, &opts).expect("re-alignment");
    let re_s = t.elapsed().as_secs_f64();
    println!(
        "re-align (unchanged): {re_s:.2} s = {:.2}× fresh (target ≤ 1.2×); changed: {}",
        re_s / fresh_s,
        again.changed
    );

    let xml = to_tei(&fresh.alignment);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("alignment.xml");
    std::fs::write(&path, &xml).expect("write alignment");
    // Confirm the link in the middle of the work, as an editor would.
    let links = &fresh.alignment.edges[0].links;
    let l = &links[links.len() / 2];
    let ids: Vec<String> = l.source.iter().chain(&l.derived).cloned().collect();
    let t = Instant::now();
    let text = std::fs::read_to_string(&path).expect("read alignment");
    let mut al = parse_alignment(&text, "alignment.xml").expect("parse alignment");
    let read_s = t.elapsed().as_secs_f64();
    tei_align::review::link(&work, &mut al, &ids, "ed", "2026-11-30T10:00:00Z").expect("link");
    let edit_s = t.elapsed().as_secs_f64() - read_s;
    recompose(&work, &mut al);
    let recompose_s = t.elapsed().as_secs_f64() - read_s - edit_s;
    std::fs::write(&path, to_tei(&al)).expect("write alignment");
    let link_s = t.elapsed().as_secs_f64();
    println!(
        "link in the library: {link_s:.2} s: read {read_s:.2}, link {edit_s:.2}, \
         recompose {recompose_s:.2}, write {:.2}",
        link_s - read_s - edit_s - recompose_s
    );
    link_command(&work);
}

/// Write `work` as a project of TEI files with the `tei-align` binary, align it, and time the
/// `link` command confirming its middle link (five runs from the same alignment file).
fn link_command(work: &Work) {
    let bin = env!("CARGO_BIN_EXE_tei-align");
    let dir = tempfile::tempdir().expect("temp dir");
    let texts = dir.path().join("texts/bench");
    std::fs::create_dir_all(&texts).expect("texts dir");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run tei-align");
        assert!(
            out.status.success(),
            "tei-align {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for l in &work.layers {
        // Paragraphs of ten sentences, each capitalised so the segmenter splits them as made.
        let mut text = String::new();
        for (i, s) in l.sentences.iter().enumerate() {
            text.push_str(if i % 10 == 0 { "\n\n" } else { " " });
            let mut cs = s.text.chars();
            text.extend(cs.next().map(|c| c.to_ascii_uppercase()));
            text.push_str(cs.as_str());
        }
        let txt = dir.path().join(format!("{}.txt", l.id));
        std::fs::write(&txt, text).expect("write text");
        let (txt, out) = (
            txt.display().to_string(),
            format!("texts/bench/{}.xml", l.id),
        );
        // The synthetic layers have no language; any code will do for the import.
        let lang = if l.derivations.is_empty() { "cs" } else { "en" };
        let mut args = vec!["import", "-q", &txt, "-o", &out, "--lang", lang];
        if let Some(d) = l.derivations.first() {
            args.extend(["--source-layer", &d.source, "--derivation", "translation"]);
        }
        run(&args);
    }
    run(&["align", "-q", "texts/bench"]);
    let file = dir.path().join("alignments/bench/alignment.xml");
    let saved = std::fs::read_to_string(&file).expect("read alignment");
    // The middle link of the file (the segmenter may cut the imported text a little
    // differently from the in-memory work).
    let al = parse_alignment(&saved, "alignment.xml").expect("parse alignment");
    let links = &al.edges[0].links;
    let l = &links[links.len() / 2];
    let ids: Vec<String> = l.source.iter().chain(&l.derived).cloned().collect();
    println!(
        "link command on {} + {} sentences in TEI files:",
        work.layers[0].sentences.len(),
        work.layers[1].sentences.len()
    );
    let mut args = vec!["link", "-q", "texts/bench", "--by", "ed:Ed Itor"];
    args.extend(ids.iter().map(String::as_str));
    // Five runs and their median: on a virtual machine the first touch of fresh memory
    // sometimes costs a run several times its usual system time.
    let mut walls = Vec::new();
    for _ in 0..5 {
        std::fs::write(&file, &saved).expect("restore alignment");
        let cpu = children_cpu();
        let t = Instant::now();
        run(&args);
        let wall = t.elapsed().as_secs_f64();
        let cpu = children_cpu().map(|after| after - cpu.unwrap_or(0.0));
        let cpu = cpu.map_or("?".into(), |c| format!("{c:.2}"));
        println!("link command: {wall:.2} s wall, {cpu} s CPU");
        walls.push(wall);
    }
    walls.sort_by(f64::total_cmp);
    println!(
        "link command, median of 5: {:.2} s wall (target < 0.5 s)",
        walls[2]
    );
}

/// The CPU time (user + system, seconds) of the children this process has waited for, from
/// /proc (Linux); `None` elsewhere.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces): cutime and
    // cstime are the 14th and 15th of them (fields 16 and 17 of the line), in clock ticks,
    // which Linux exposes to user space as 100 a second.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(13)?.parse::<f64>().ok()? + f.get(14)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
