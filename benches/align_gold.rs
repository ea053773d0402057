//! Align every gold set in `../shared/bench/data` and score it with the shared scorer:
//! `cargo bench --bench align_gold` (optionally with set names as arguments to run only those).
//! Prints strict precision/recall/F1, lax F1, seconds (alignment only) and peak memory per set.

mod common;

use std::time::Instant;
use tei_align::align::{AlignOptions, align};
use tei_align::formats::beads::write_beads;

/// Strict F1 of hunalign (no dictionary) on the same data, from `../shared/bench/README.md`.
const HUNALIGN: &[(&str, f64)] = &[
    ("textberg", 0.751),
    ("textberg-dev", 0.659),
    ("pud-cs-en-perturbed", 0.863),
    ("pud-cs-ru-perturbed", 0.804),
    ("pud-ru-en-perturbed", 0.819),
    ("hu1984", 0.963),
    ("ro1984", 0.956),
    ("steinbeck", 0.921),
    ("parice", 0.750),
    ("dtm", 0.966),
    ("mac-dev", 0.013),
    ("mac-test", 0.009),
];

fn main() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let score_py = common::shared_dir().join("bench/score.py");
    // `cargo bench` passes `--bench`; anything else names sets to run.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut sets: Vec<_> = std::fs::read_dir(&data)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    sets.retain(|p| p.join("meta.json").is_file());
    sets.sort();
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            println!("benchmark skipped: no temporary directory ({e})");
            return;
        }
    };
    println!(
        "| set | strict P | strict R | strict F1 | lax F1 | hunalign F1 | seconds | peak MiB |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for set in sets {
        let name = set
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let pred = tmp.path().join(&name);
        if std::fs::create_dir_all(&pred).is_err() {
            continue;
        }
        common::reset_peak();
        let mut secs = 0.0;
        for (doc, src, tgt) in common::docs(&set) {
            let s: Vec<&str> = src.iter().map(String::as_str).collect();
            let t: Vec<&str> = tgt.iter().map(String::as_str).collect();
            let start = Instant::now();
            let beads = match align(&s, &t, &AlignOptions::default()) {
                Ok(b) => b,
                Err(e) => {
                    println!("{name}/{doc}: {e}");
                    continue;
                }
            };
            secs += start.elapsed().as_secs_f64();
            let _ = std::fs::write(pred.join(format!("{doc}.align")), write_beads(&beads));
        }
        let peak = common::peak_mib();
        let out = std::process::Command::new("python3")
            .arg(&score_py)
            .arg("--set")
            .arg(&set)
            .arg("--pred")
            .arg(&pred)
            .arg("--json")
            .output();
        let json: Option<serde_json::Value> = out
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| serde_json::from_slice(&o.stdout).ok());
        let Some(j) = json else {
            println!("| {name} | scorer failed | | | | | {secs:.2} | {peak:.0} |");
            continue;
        };
        let f = |k: &str| {
            j.get(k)
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(f64::NAN)
        };
        let base = HUNALIGN
            .iter()
            .find(|(s, _)| *s == name)
            .map_or("—".to_owned(), |(_, v)| format!("{v:.3}"));
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {base} | {secs:.2} | {peak:.0} |",
            f("precision_strict"),
            f("recall_strict"),
            f("f1_strict"),
            f("f1_lax"),
        );
    }
}
