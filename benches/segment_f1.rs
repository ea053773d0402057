//! Sentence-boundary precision, recall and F1 of `segment::split` against the Parallel UD texts
//! (gold: one sentence per line). Each document's sentences are joined into one paragraph with
//! single spaces, split back, and sentences are counted as matched when their byte ranges are
//! identical to a gold sentence's.
//!
//! Data: `$TEI_ALIGN_SHARED/bench/data/pud-*` or `CARGO_MANIFEST_DIR/../shared/bench/data/pud-*`.
//! Run with `cargo bench --bench segment_f1`; set `SEGMENT_F1_SHOW=N` to print N mismatches per
//! language (default 5), and `SEGMENT_F1_EXTRA=1` to add held-out sets (English literary prose
//! of MAC, Icelandic of ParIce through the generic rules).

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

fn shared_dir() -> PathBuf {
    match std::env::var_os("TEI_ALIGN_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

struct Score {
    gold: usize,
    pred: usize,
    hit: usize,
    bytes: usize,
    secs: f64,
}

fn docs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn evaluate(lang: &str, dir: &Path, show: usize) -> Option<Score> {
    let files = docs(dir);
    if files.is_empty() {
        return None;
    }
    let mut score = Score {
        gold: 0,
        pred: 0,
        hit: 0,
        bytes: 0,
        secs: 0.0,
    };
    let mut shown = 0;
    for f in files {
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                continue;
            }
        };
        let mut joined = String::new();
        let mut gold: Vec<Range<usize>> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !joined.is_empty() {
                joined.push(' ');
            }
            gold.push(joined.len()..joined.len() + line.len());
            joined.push_str(line);
        }
        let t0 = std::time::Instant::now();
        let pred = tei_align::segment::split(&joined, lang);
        score.secs += t0.elapsed().as_secs_f64();
        score.bytes += joined.len();
        let gold_set: HashSet<Range<usize>> = gold.iter().cloned().collect();
        let pred_set: HashSet<Range<usize>> = pred.iter().cloned().collect();
        score.gold += gold.len();
        score.pred += pred.len();
        score.hit += gold_set.intersection(&pred_set).count();
        for g in &gold {
            if !pred_set.contains(g) && shown < show {
                shown += 1;
                // Show the predicted sentences overlapping the gold one.
                let over: Vec<&str> = pred
                    .iter()
                    .filter(|p| p.start < g.end && g.start < p.end)
                    .map(|p| &joined[p.clone()])
                    .collect();
                println!("  [{lang}] gold: {}", &joined[g.clone()]);
                for o in over {
                    println!("  [{lang}]  got: {o}");
                }
            }
        }
    }
    Some(score)
}

fn main() {
    let data = shared_dir().join("bench/data");
    let show = std::env::var("SEGMENT_F1_SHOW")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let sets = [
        ("cs", "pud-cs-en/src"),
        ("en", "pud-cs-en/tgt"),
        ("ru", "pud-ru-en/src"),
    ];
    if !data.join(sets[0].1).is_dir() {
        println!(
            "segment_f1: the Parallel UD data is absent ({} not found; set TEI_ALIGN_SHARED); skipping",
            data.join(sets[0].1).display()
        );
        return;
    }
    // Held-out texts the rules were not developed on (their lines are alignment units, mostly
    // but not always single sentences): a check that the rules generalise, not a target.
    let extra = [
        ("en", "mac-dev/tgt"),
        ("en", "mac-test/tgt"),
        ("is", "parice/tgt"),
    ];
    let mut all: Vec<(&str, &str)> = sets.to_vec();
    if std::env::var_os("SEGMENT_F1_EXTRA").is_some() {
        all.extend(extra.iter().filter(|(_, sub)| data.join(sub).is_dir()));
    }
    let mut rows = Vec::new();
    for (lang, sub) in all {
        match evaluate(lang, &data.join(sub), show) {
            Some(s) => rows.push((lang, sub, s)),
            None => println!("segment_f1: no documents in {}; skipping {lang}", sub),
        }
    }
    println!();
    println!("lang  set             gold  pred   hit  precision  recall      F1   MB/s");
    for (lang, sub, s) in rows {
        let p = s.hit as f64 / s.pred.max(1) as f64;
        let r = s.hit as f64 / s.gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "{lang:<4}  {sub:<14} {:>5} {:>5} {:>5}     {p:.4}  {r:.4}  {f:.4}  {:>5.1}",
            s.gold,
            s.pred,
            s.hit,
            s.bytes as f64 / 1e6 / s.secs.max(1e-9)
        );
    }
}
