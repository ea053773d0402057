//! Is `@cert` a probability that means what it says? `cargo bench --bench align_calibration`.
//!
//! Aligns every gold set (the plain PUD sets, all 1-1 copies of the perturbed ones' text, are
//! left out), marks each bead right (the identical bead is in the gold) or wrong, and reports,
//! per bead kind, on the sets held out from the fit (every set not in
//! `tei_align::align::confidence::FIT_SETS`): beads, accuracy, mean confidence, expected
//! calibration error (10 equal-width bins, weighted by beads) and a reliability table. The same
//! figures for the fit sets follow, for comparison.
//!
//! Each set is also aligned against its reversed translation (all beads wrong: unrelated text,
//! the case of an aligner that lost its way); for the held-out sets the bench prints how sure
//! the model is of those beads.
//!
//! `-- --refit` first fits the model again on the fit sets and their reversed translations
//! (logistic regression per bead kind, `Model::fit`), prints its coefficients as the Rust constant to paste into
//! `src/align/confidence.rs` (`SHIPPED`), and reports calibration for the refitted model.

mod common;

use std::collections::HashSet;
use std::path::Path;
use tei_align::align::confidence::{BeadKind, Evidence, FIT_SETS, Model, SHIPPED};
use tei_align::align::{AlignOptions, align_with_evidence};

/// One bead of the aligner's output: which set, its evidence, whether it is right, and whether
/// it comes from aligning the source against the reversed translation (unrelated text).
struct Row {
    set: String,
    evidence: Evidence,
    right: bool,
    reversed: bool,
}

const BINS: usize = 10;

/// Weight of the reversed translations' beads of a kind in the fit, all together, against the
/// real beads of that kind: enough that unrelated text gets a low confidence, not so much that
/// the fit's share of wrong beads (which real alignments do not share) is inflated.
const NEGATIVE_WEIGHT: f64 = 0.1;

/// The beads of a set's alignment, or (`reversed`) of its source against its reversed
/// translation: every bead of that is wrong (nothing corresponds), the case of a stretch where
/// the aligner has lost its way or pairs unrelated text.
fn collect(data: &Path, set: &str, reversed: bool) -> Vec<Row> {
    let dir = data.join(set);
    let mut rows = Vec::new();
    for (doc, src, tgt) in common::docs(&dir) {
        let gold: HashSet<(Vec<usize>, Vec<usize>)> = if reversed {
            HashSet::new()
        } else {
            common::gold(&dir, &doc).into_iter().collect()
        };
        let s: Vec<&str> = src.iter().map(String::as_str).collect();
        let mut t: Vec<&str> = tgt.iter().map(String::as_str).collect();
        if reversed {
            t.reverse();
        }
        let Ok(beads) = align_with_evidence(&s, &t, &AlignOptions::default()) else {
            println!("{set}/{doc}: alignment failed");
            continue;
        };
        for (b, evidence) in beads {
            let right = gold.contains(&(b.src, b.tgt));
            rows.push(Row {
                set: set.to_owned(),
                evidence,
                right,
                reversed,
            });
        }
    }
    rows
}

/// Per-bin (beads, mean confidence, accuracy) and the expected calibration error.
fn reliability(pairs: &[(f64, bool)]) -> (Vec<(usize, f64, f64)>, f64) {
    let mut bins = vec![(0usize, 0.0f64, 0.0f64); BINS];
    for &(p, y) in pairs {
        let k = ((p * BINS as f64) as usize).min(BINS - 1);
        bins[k].0 += 1;
        bins[k].1 += p;
        bins[k].2 += if y { 1.0 } else { 0.0 };
    }
    let n = pairs.len().max(1) as f64;
    let mut ece = 0.0;
    for b in &mut bins {
        if b.0 > 0 {
            b.1 /= b.0 as f64;
            b.2 /= b.0 as f64;
            ece += b.0 as f64 / n * (b.1 - b.2).abs();
        }
    }
    (bins, ece)
}

fn report(title: &str, rows: &[&Row], model: &Model) {
    println!("\n{title}\n");
    println!("| bead kind | beads | accuracy | mean cert | ECE |");
    println!("| --- | --- | --- | --- | --- |");
    let mut tables = Vec::new();
    for kind in BeadKind::ALL {
        let pairs: Vec<(f64, bool)> = rows
            .iter()
            .filter(|r| r.evidence.kind == kind)
            .map(|r| (model.predict(&r.evidence), r.right))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let n = pairs.len() as f64;
        let acc = pairs.iter().filter(|p| p.1).count() as f64 / n;
        let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let (bins, ece) = reliability(&pairs);
        println!(
            "| {} | {} | {acc:.3} | {mean:.3} | **{ece:.3}** |",
            kind.label(),
            pairs.len()
        );
        tables.push((kind, bins));
    }
    println!("\nreliability (beads / mean cert / right), by cert bin:\n");
    let head: Vec<String> = (0..BINS)
        .map(|k| format!("{:.1}–{:.1}", k as f64 / 10.0, (k + 1) as f64 / 10.0))
        .collect();
    println!("| bead kind | {} |", head.join(" | "));
    println!("| --- |{}", " --- |".repeat(BINS));
    for (kind, bins) in tables {
        let cells: Vec<String> = bins
            .iter()
            .map(|&(n, c, a)| {
                if n == 0 {
                    "—".to_owned()
                } else {
                    format!("{n} / {c:.2} / {a:.2}")
                }
            })
            .collect();
        println!("| {} | {} |", kind.label(), cells.join(" | "));
    }
}

/// Per set: beads, accuracy and mean confidence, overall and of the null beads.
fn per_set(rows: &[Row], model: &Model) {
    println!("\n| set | beads | right | mean cert | null beads | nulls right | null mean cert |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut names: Vec<&str> = rows.iter().map(|r| r.set.as_str()).collect();
    names.dedup();
    for name in names {
        let stats = |null: bool| {
            let v: Vec<(f64, bool)> = rows
                .iter()
                .filter(|r| r.set == name && (!null || r.evidence.kind == BeadKind::Null))
                .map(|r| (model.predict(&r.evidence), r.right))
                .collect();
            let n = v.len().max(1) as f64;
            let acc = v.iter().filter(|p| p.1).count() as f64 / n;
            (v.len(), acc, v.iter().map(|p| p.0).sum::<f64>() / n)
        };
        let (a, b) = (stats(false), stats(true));
        println!(
            "| {name} | {} | {:.3} | {:.3} | {} | {:.3} | {:.3} |",
            a.0, a.1, a.2, b.0, b.1, b.2
        );
    }
}

/// Held-out sets against their reversed translations: how sure the model is of beads that are
/// all wrong.
fn unrelated(rows: &[&Row], model: &Model) {
    let c: Vec<f64> = rows.iter().map(|r| model.predict(&r.evidence)).collect();
    let n = c.len().max(1) as f64;
    println!(
        "\nheld-out sets against their reversed translations (all {} beads wrong): mean cert {:.3}, \
         {:.1} % at 0.5 or more, {:.1} % at 0.9 or more",
        c.len(),
        c.iter().sum::<f64>() / n,
        100.0 * c.iter().filter(|&&x| x >= 0.5).count() as f64 / n,
        100.0 * c.iter().filter(|&&x| x >= 0.9).count() as f64 / n
    );
    debug_assert!(rows.iter().all(|r| r.reversed && !r.right));
}

fn print_model(m: &Model) {
    println!("pub const SHIPPED: Model = Model([");
    for (kind, row) in BeadKind::ALL.iter().zip(m.0.iter()) {
        let cells: Vec<String> = row.iter().map(|w| format!("{w:.4}")).collect();
        println!("    // {}", kind.label());
        println!("    [{}],", cells.join(", "));
    }
    println!("]);");
}

fn main() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let refit = std::env::args().any(|a| a == "--refit");
    let neg_weight: f64 = std::env::var("NEGW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(NEGATIVE_WEIGHT);
    let sets = common::distinct_set_names(&data);
    let rows: Vec<Row> = sets.iter().flat_map(|s| collect(&data, s, false)).collect();
    let negatives: Vec<Row> = sets.iter().flat_map(|s| collect(&data, s, true)).collect();
    let (fit, held): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .partition(|r| FIT_SETS.contains(&r.set.as_str()));
    let (fit_neg, held_neg): (Vec<&Row>, Vec<&Row>) = negatives
        .iter()
        .partition(|r| FIT_SETS.contains(&r.set.as_str()));
    let held_sets: Vec<&str> = sets
        .iter()
        .map(String::as_str)
        .filter(|s| !FIT_SETS.contains(s))
        .collect();
    println!("fit sets: {}", FIT_SETS.join(", "));
    println!("held-out sets: {}", held_sets.join(", "));
    let model = if refit {
        // Per kind, the reversed translations weigh `neg_weight` times the real beads in all.
        let count =
            |rows: &[&Row], k: BeadKind| rows.iter().filter(|r| r.evidence.kind == k).count();
        let weight =
            |k: BeadKind| neg_weight * count(&fit, k) as f64 / count(&fit_neg, k).max(1) as f64;
        let train: Vec<(Evidence, bool, f64)> = fit
            .iter()
            .map(|r| (r.evidence, r.right, 1.0))
            .chain(
                fit_neg
                    .iter()
                    .map(|r| (r.evidence, r.right, weight(r.evidence.kind))),
            )
            .collect();
        let m = Model::fit(&train, &SHIPPED);
        println!(
            "\nrefitted on {} beads of the fit sets and {} of their reversed translations:\n",
            fit.len(),
            fit_neg.len()
        );
        print_model(&m);
        m
    } else {
        SHIPPED
    };
    let which = if refit { "refitted" } else { "shipped" };
    report(
        &format!("held-out sets, {which} model (model-free alignment)"),
        &held,
        &model,
    );
    report(
        &format!("fit sets, {which} model (model-free alignment)"),
        &fit,
        &model,
    );
    per_set(&rows, &model);
    unrelated(&held_neg, &model);
}
