//! The aligner's scaling curve: `cargo bench --bench align_scale`.
//!
//! Builds long texts by concatenating gold documents again and again (the Hungarian–English
//! books and articles: dtm, hu1984, steinbeck) up to 10k, 100k and 1M sentences per side, aligns
//! each once, and prints seconds, sentences per second, peak memory (VmHWM, reset before each
//! size) and strict F1 against the concatenated gold. A last line does the same for 100k
//! sentences of *all* gold documents in turn (mixed language pairs, a harder, artificial case).
//! `TEI_ALIGN_SCALE_MAX` caps the largest size (e.g. `100000`).

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;
use tei_align::align::{AlignOptions, align};

type Doc = (Vec<String>, Vec<String>, Vec<(Vec<usize>, Vec<usize>)>);

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

/// Whole documents in turn until the source side has at least `n` sentences.
fn build(docs: &[Doc], n: usize) -> Doc {
    let (mut s, mut t, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0;
    while s.len() < n && !docs.is_empty() {
        let (ds, dt, dg) = &docs[k % docs.len()];
        let (so, to) = (s.len(), t.len());
        g.extend(dg.iter().map(|(a, b)| {
            (
                a.iter().map(|x| x + so).collect::<Vec<_>>(),
                b.iter().map(|x| x + to).collect::<Vec<_>>(),
            )
        }));
        s.extend(ds.iter().cloned());
        t.extend(dt.iter().cloned());
        k += 1;
    }
    (s, t, g)
}

fn run(label: &str, doc: Doc) {
    let (s, t, gold) = doc;
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
    let gold: HashSet<(Vec<usize>, Vec<usize>)> = gold.into_iter().collect();
    let hits = beads
        .iter()
        .filter(|b| gold.contains(&(b.src.clone(), b.tgt.clone())))
        .count() as f64;
    let (p, r) = (hits / beads.len() as f64, hits / gold.len() as f64);
    println!(
        "| {label} | {} / {} | {secs:.2} | {:.0} | {peak:.0} | {:.3} |",
        s.len(),
        t.len(),
        s.len() as f64 / secs,
        2.0 * p * r / (p + r)
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
    let hu = load(&data, &["dtm", "hu1984", "steinbeck"]);
    if hu.is_empty() {
        println!(
            "benchmark skipped: the hu-en gold sets are missing in {}",
            data.display()
        );
        return;
    }
    println!(
        "threads: {} | sizes are sentences per side (source / target)",
        rayon::current_num_threads()
    );
    println!("| text | sentences | seconds | sentences/s | peak MiB | strict F1 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for n in [10_000, 100_000, 1_000_000] {
        if n <= max {
            let size = if n >= 1_000_000 {
                format!("{}M", n / 1_000_000)
            } else {
                format!("{}k", n / 1000)
            };
            run(&format!("hu-en, {size}"), build(&hu, n));
        }
    }
    let mut all: Vec<String> = std::fs::read_dir(&data)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    // The plain PUD sets repeat the perturbed ones' text; keep the perturbed.
    all.retain(|s| !s.starts_with("pud") || s.ends_with("perturbed"));
    all.sort();
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let mixed = load(&data, &names);
    let n = 100_000.min(max);
    run(&format!("all sets mixed, {}k", n / 1000), build(&mixed, n));
}
