//! The aligner's scaling curve and its robustness on long, repetitive input:
//! `cargo bench --bench align_scale`.
//!
//! Builds long texts from the Hungarian–English gold documents (dtm, hu1984, steinbeck), cut into
//! "chapters" of 200–800 sentences at gold bead boundaries, and arranges them in several ways a
//! real long input comes (an anthology, a collected edition, a corpus dump), both sides in the
//! same order, as translations are:
//! - **same order**: the three books in turn, again and again (every book repeats many times);
//! - **shuffled**: chapters in a seeded random order, drawn with replacement (the same chapter
//!   recurs at random distances: the case where an aligner can lock on to the wrong copy);
//! - **boilerplate**: shuffled, with the same 40-sentence block (a licence, a running header)
//!   between every two chapters on both sides;
//! - **missing**: shuffled, with every 7th chapter absent from the target (its source sentences
//!   are 1-0 in the gold).
//!
//! Each arrangement is aligned at 10k, 100k and 1M sentences per side and scored against the
//! composed gold (strict precision over all beads, null beads included; strict recall over the
//! gold beads with both sides, as `../shared/bench/score.py` does). Prints seconds, sentences
//! per second, peak memory (VmHWM, reset before each run; it includes the input held as strings)
//! and strict F1. `TEI_ALIGN_SCALE_MAX` caps the size (e.g. `100000`), `TEI_ALIGN_SCALE_MIN`
//! skips the smaller sizes (e.g. `1000000` for the 1M runs alone); arguments choose the
//! arrangements (e.g. `-- shuffled missing`); `TEI_ALIGN_SCALE_ERRORS=1` lists every stretch of
//! three or more wrong beads (where the aligner lost its way); `TEI_ALIGN_SCALE_HASH=1` prints a
//! fingerprint of each output (to check that a speed-up changed nothing), `TEI_ALIGN_SCALE_DUMP=DIR`
//! writes the composed texts (to time `tei-align align-text` on them). A last line aligns 100k sentences of *all* gold
//! documents in turn (mixed language pairs, an artificial worst case).

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;
use tei_align::align::{AlignOptions, align};

type Gold = Vec<(Vec<usize>, Vec<usize>)>;
type Doc = (Vec<String>, Vec<String>, Gold);

fn load(data: &Path, sets: &[&str]) -> Vec<Doc> {
    let mut out = Vec::new();
    for set in sets {
        let dir = data.join(set);
        for (doc, s, t) in common::docs(&dir) {
            let g = common::gold(&dir, &doc);
            out.push((s, t, g));
        }
    }
    out
}

use common::Rng;

/// A document cut at gold bead boundaries into pieces of 200–800 source sentences (the last
/// piece takes the rest). The gold must cover the document in order, as the gold sets do.
fn chapters(doc: &Doc, rng: &mut Rng) -> Vec<Doc> {
    let (s, t, g) = doc;
    let mut out = Vec::new();
    let mut k = 0;
    while k < g.len() {
        let want = 200 + rng.below(600);
        let start = k;
        let mut n = 0;
        while k < g.len() && (n < want || g.len() - k < 100) {
            n += g[k].0.len();
            k += 1;
        }
        out.push(slice(s, t, &g[start..k]));
    }
    out
}

/// The sentences of consecutive gold beads, renumbered from 0.
fn slice(s: &[String], t: &[String], beads: &[(Vec<usize>, Vec<usize>)]) -> Doc {
    let range = |ids: &mut dyn Iterator<Item = usize>| {
        let (lo, hi) = ids.fold((usize::MAX, 0), |(lo, hi), x| (lo.min(x), hi.max(x + 1)));
        (lo.min(hi), hi)
    };
    let (s0, s1) = range(&mut beads.iter().flat_map(|b| b.0.iter().copied()));
    let (t0, t1) = range(&mut beads.iter().flat_map(|b| b.1.iter().copied()));
    let gold = beads
        .iter()
        .map(|(a, b)| {
            (
                a.iter().map(|x| x - s0).collect(),
                b.iter().map(|x| x - t0).collect(),
            )
        })
        .collect();
    (s[s0..s1].to_vec(), t[t0..t1].to_vec(), gold)
}

/// Append a document (its target side too unless `drop_target`) to a composed text and gold.
fn push(out: &mut Doc, d: &Doc, drop_target: bool) {
    let (so, to) = (out.0.len(), out.1.len());
    for (a, b) in &d.2 {
        let a: Vec<usize> = a.iter().map(|x| x + so).collect();
        if drop_target {
            out.2.extend(a.into_iter().map(|x| (vec![x], Vec::new())));
        } else {
            out.2
                .push((a, b.iter().map(|x| x + to).collect::<Vec<_>>()));
        }
    }
    out.0.extend(d.0.iter().cloned());
    if !drop_target {
        out.1.extend(d.1.iter().cloned());
    }
}

/// The arrangements of the bench.
const ARRANGEMENTS: [&str; 4] = ["same order", "shuffled", "boilerplate", "missing"];

/// Compose about `n` source sentences in the arrangement `how`.
fn compose(how: &str, books: &[Doc], chaps: &[Doc], boiler: &Doc, n: usize) -> Doc {
    let mut out: Doc = (Vec::new(), Vec::new(), Vec::new());
    let mut rng = Rng(0x5ca1e ^ n as u64);
    let mut k = 0usize;
    while out.0.len() < n {
        match how {
            "same order" => push(&mut out, &books[k % books.len()], false),
            _ => {
                let c = &chaps[rng.below(chaps.len())];
                if how == "boilerplate" && k > 0 {
                    push(&mut out, boiler, false);
                }
                push(&mut out, c, how == "missing" && k % 7 == 6);
            }
        }
        k += 1;
    }
    out
}

/// Strict precision (all test beads; a hit is a bead in the gold, null beads included), strict
/// recall (gold beads with both sides against test beads with both sides) and F1.
fn score(beads: &[tei_align::model::Bead], gold: Gold) -> f64 {
    let gold: HashSet<(Vec<usize>, Vec<usize>)> = gold.into_iter().collect();
    let hits = beads
        .iter()
        .filter(|b| gold.contains(&(b.src.clone(), b.tgt.clone())))
        .count() as f64;
    let paired_gold = gold
        .iter()
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .count() as f64;
    let paired_hits = beads
        .iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
        .filter(|b| gold.contains(&(b.src.clone(), b.tgt.clone())))
        .count() as f64;
    let (p, r) = (hits / beads.len() as f64, paired_hits / paired_gold);
    2.0 * p * r / (p + r)
}

/// Stretches of at least 3 consecutive beads not in the gold: where the aligner went wrong
/// (`TEI_ALIGN_SCALE_ERRORS=1`), with where the gold puts the stretch's first source sentence.
fn print_errors(beads: &[tei_align::model::Bead], gold: &Gold) {
    let set: HashSet<(Vec<usize>, Vec<usize>)> = gold.iter().cloned().collect();
    let mut where_src = std::collections::HashMap::new();
    for (a, b) in gold {
        for &x in a {
            where_src.insert(x, b.first().copied());
        }
    }
    let mut k = 0;
    while k < beads.len() {
        let wrong = |b: &tei_align::model::Bead| !set.contains(&(b.src.clone(), b.tgt.clone()));
        if !wrong(&beads[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < beads.len() && wrong(&beads[k]) {
            k += 1;
        }
        if k - start >= 3 {
            let first = beads[start..k].iter().find_map(|b| b.src.first().copied());
            let tgt0 = beads[start..k].iter().find_map(|b| b.tgt.first().copied());
            let nulls = beads[start..k]
                .iter()
                .filter(|b| b.src.is_empty() || b.tgt.is_empty())
                .count();
            println!(
                "  wrong beads {}..{} ({}, {nulls} null): src from {first:?} tgt from {tgt0:?}; gold puts that src at tgt {:?}",
                start,
                k,
                k - start,
                first.and_then(|f| where_src.get(&f).copied())
            );
        }
    }
}

/// Write the composed texts as `DIR/<label>.src.txt` and `.tgt.txt` (`TEI_ALIGN_SCALE_DUMP=DIR`),
/// one sentence a line, for timing the command line on them.
fn dump(dir: &Path, label: &str, s: &[String], t: &[String]) {
    let name: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    for (side, lines) in [("src", s), ("tgt", t)] {
        let path = dir.join(format!("{name}.{side}.txt"));
        if let Err(e) = std::fs::write(&path, lines.join("\n") + "\n") {
            println!("cannot write {}: {e}", path.display());
        }
    }
}

/// A hash of every bead's sentences and confidence (`TEI_ALIGN_SCALE_HASH=1`): two builds whose
/// fingerprints agree gave the same output, to the bit (for changes meant to be speed only).
fn fingerprint(beads: &[tei_align::model::Bead]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |x: u64| h = (h ^ x).wrapping_mul(0x0100_0000_01b3);
    for b in beads {
        b.src.iter().for_each(|&x| mix(x as u64));
        mix(u64::MAX);
        b.tgt.iter().for_each(|&x| mix(x as u64));
        mix(u64::MAX - 1);
        mix(b.confidence.to_bits());
    }
    h
}

fn run(label: &str, doc: Doc) {
    let (s, t, gold) = doc;
    if let Some(dir) = std::env::var_os("TEI_ALIGN_SCALE_DUMP") {
        dump(Path::new(&dir), label, &s, &t);
    }
    common::reset_peak();
    let src: Vec<&str> = s.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = t.iter().map(String::as_str).collect();
    let start = Instant::now();
    let beads = match align(&src, &tgt, &AlignOptions::default()) {
        Ok(b) => b,
        Err(e) => {
            println!("| {label} | error: {e} |");
            return;
        }
    };
    let secs = start.elapsed().as_secs_f64();
    let peak = common::peak_mib();
    if std::env::var_os("TEI_ALIGN_SCALE_ERRORS").is_some() {
        print_errors(&beads, &gold);
    }
    if std::env::var_os("TEI_ALIGN_SCALE_HASH").is_some() {
        println!("  output fingerprint: {:016x}", fingerprint(&beads));
    }
    println!(
        "| {label} | {} / {} | {secs:.2} | {:.0} | {peak:.0} | {:.3} |",
        s.len(),
        t.len(),
        s.len() as f64 / secs,
        score(&beads, gold)
    );
}

fn main() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let max: usize = std::env::var("TEI_ALIGN_SCALE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let min: usize = std::env::var("TEI_ALIGN_SCALE_MIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let only = common::named_args();
    let books = load(&data, &["dtm", "hu1984", "steinbeck"]);
    if books.is_empty() {
        println!(
            "benchmark skipped: the hu-en gold sets are missing in {}",
            data.display()
        );
        return;
    }
    let mut rng = Rng(0xc4a9);
    let chaps: Vec<Doc> = books.iter().flat_map(|b| chapters(b, &mut rng)).collect();
    let steinbeck = &books[books.len() - 1];
    let boiler = slice(&steinbeck.0, &steinbeck.1, &steinbeck.2[..40]);
    println!(
        "threads: {} | {} chapters | sizes are sentences per side (source / target)",
        rayon::current_num_threads(),
        chaps.len()
    );
    println!("| text | sentences | seconds | sentences/s | peak MiB | strict F1 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for how in ARRANGEMENTS {
        if !only.is_empty() && !only.iter().any(|o| how.starts_with(o.as_str())) {
            continue;
        }
        for n in [10_000, 100_000, 1_000_000] {
            if n <= max && n >= min {
                let size = if n >= 1_000_000 {
                    format!("{}M", n / 1_000_000)
                } else {
                    format!("{}k", n / 1000)
                };
                run(
                    &format!("hu-en {how}, {size}"),
                    compose(how, &books, &chaps, &boiler, n),
                );
            }
        }
    }
    if !only.is_empty() && !only.iter().any(|o| o == "mixed") {
        return;
    }
    let all = common::distinct_set_names(&data);
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let mixed = load(&data, &names);
    let n = 100_000.min(max);
    let mut out: Doc = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0;
    while out.0.len() < n {
        push(&mut out, &mixed[k % mixed.len()], false);
        k += 1;
    }
    run(&format!("all sets mixed, {}k", n / 1000), out);
}
