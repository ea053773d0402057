//! Align every gold set in `../shared/bench/data` and score it with the shared scorer:
//! `cargo bench --bench align_gold` (optionally with set names as arguments to run only those).
//! Prints strict precision/recall/F1, lax F1, seconds (alignment only) and peak memory per set,
//! model-free, and beside them strict and lax F1 with the built-in e5 embeddings as semantic
//! evidence when the model is installed (`tei-align model install`; under `CI=true` a missing
//! model fails the bench, otherwise the column says "not measured"). The e5 runs use the vector
//! cache of the model directory: the first run embeds, later ones read the cache.

mod common;

use std::path::Path;
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

/// Align every document of `set` with `opts` into `pred`; the seconds spent in `align` (for the
/// runs with embeddings: embedding included, from the vector cache when it holds them).
fn align_set(set: &Path, pred: &Path, opts: &AlignOptions) -> f64 {
    let mut secs = 0.0;
    for (doc, src, tgt) in common::docs(set) {
        let s: Vec<&str> = src.iter().map(String::as_str).collect();
        let t: Vec<&str> = tgt.iter().map(String::as_str).collect();
        let start = Instant::now();
        let beads = match align(&s, &t, opts) {
            Ok(b) => b,
            Err(e) => {
                println!("{}/{doc}: {e}", set.display());
                continue;
            }
        };
        secs += start.elapsed().as_secs_f64();
        let _ = std::fs::write(pred.join(format!("{doc}.align")), write_beads(&beads));
    }
    secs
}

/// The shared scorer's figures for the predictions in `pred`.
fn score(set: &Path, pred: &Path) -> Option<serde_json::Value> {
    let score_py = common::shared_dir().join("bench/score.py");
    let out = std::process::Command::new("python3")
        .arg(&score_py)
        .arg("--set")
        .arg(set)
        .arg("--pred")
        .arg(pred)
        .arg("--json")
        .output();
    out.ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice(&o.stdout).ok())
}

fn get(j: &serde_json::Value, k: &str) -> f64 {
    j.get(k)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(f64::NAN)
}

fn main() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let only = common::named_args();
    let sets = common::gold_sets(&data);
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            println!("benchmark skipped: no temporary directory ({e})");
            return;
        }
    };
    let e5 = common::e5();
    let with_e5 = AlignOptions {
        embedder: e5.clone(),
        semantic: common::semantic_params(),
        ..common::model_free()
    };
    println!(
        "| set | strict P | strict R | strict F1 | lax F1 | hunalign F1 | seconds | peak MiB | strict F1 with e5 | lax F1 with e5 | seconds with e5 |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for set in sets {
        let name = set
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        // `TEI_ALIGN_BENCH_OUT=DIR` keeps the predictions (DIR/<set>/, DIR/<set>.e5/).
        let root = std::env::var_os("TEI_ALIGN_BENCH_OUT")
            .map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
        let (pred, pred_e5) = (root.join(&name), root.join(format!("{name}.e5")));
        if std::fs::create_dir_all(&pred).is_err() || std::fs::create_dir_all(&pred_e5).is_err() {
            continue;
        }
        common::reset_peak();
        let secs = align_set(&set, &pred, &common::model_free());
        let peak = common::peak_mib();
        let semantic = match &e5 {
            Some(_) => {
                let secs = align_set(&set, &pred_e5, &with_e5);
                match score(&set, &pred_e5) {
                    Some(j) => format!(
                        "{:.3} | {:.3} | {secs:.2}",
                        get(&j, "f1_strict"),
                        get(&j, "f1_lax")
                    ),
                    None => "scorer failed | | ".to_owned(),
                }
            }
            None => format!("{} | | ", common::e5_not_measured()),
        };
        let Some(j) = score(&set, &pred) else {
            println!("| {name} | scorer failed | | | | | {secs:.2} | {peak:.0} | {semantic} |");
            continue;
        };
        let base = HUNALIGN
            .iter()
            .find(|(s, _)| *s == name)
            .map_or("—".to_owned(), |(_, v)| format!("{v:.3}"));
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {base} | {secs:.2} | {peak:.0} | {semantic} |",
            get(&j, "precision_strict"),
            get(&j, "recall_strict"),
            get(&j, "f1_strict"),
            get(&j, "f1_lax"),
        );
    }
}
