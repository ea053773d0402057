//! Is `@cert` a probability that means what it says? `cargo bench --bench align_calibration`.
//!
//! Aligns every gold set (the plain PUD sets, all 1-1 copies of the perturbed ones' text, are
//! left out), each document beside two copies of it with passages deleted as the deletion
//! benchmark deletes them (`common/deletion.rs`; `TEI_ALIGN_CALIB_DAMAGED=N` copies instead: the
//! gold documents alone hold too few omissions to fit or check null beads), marks each bead right
//! (the identical bead is in the gold of the document or copy; for a 1-0 / 0-1 bead: every
//! sentence of it is without counterpart in that gold, also inside a longer null bead such as
//! `[]:[7, 8, 9]`, which claims the same sentence by sentence) or wrong, and reports,
//! per bead kind, on the sets held out from the fit (every set not in
//! `tei_align::align::confidence::FIT_SETS`): beads, accuracy, mean confidence, expected
//! calibration error (10 equal-width bins, weighted by beads), the ECE a perfectly calibrated
//! model would show on as many beads with the same `cert` (its noise floor: labels drawn from
//! the `cert`s) and a reliability table; then the same for the gold documents and the damaged
//! copies apart. The same figures for the fit sets follow, for comparison.
//!
//! Each set is also aligned against its reversed translation (all beads wrong: unrelated text,
//! the case of an aligner that lost its way); for the held-out sets the bench prints how sure
//! the model is of those beads.
//!
//! With the e5 model installed, every set whose sentence vectors are already in the vector cache
//! is aligned a second time with them (`--embeddings e5`), and the same figures are printed for
//! those beads, which the model judges with its "embedded" coefficients. A set not in the cache
//! is left out of that part (embedding the books takes hours on a small machine):
//! `TEI_ALIGN_CALIB_EMBED=1` embeds what is missing instead; `TEI_ALIGN_BENCH_E5=0` skips it.
//!
//! Then, for the sets whose vectors are in the cache, partial links: how many of the gold's
//! links (none of which is partial) the length rule and the rule with vectors
//! (`tei_align::align::partial`) flag, and how many of some gold 1-1 links with a clause dropped
//! from one side they find. `-- partial` prints only that; `TEI_ALIGN_PARTIAL_SHARE` and
//! `_SPREAD` replace the rule's `SEM_SHARE` and `SEM_SPREAD`; `TEI_ALIGN_CALIB_PARTIAL=0` skips
//! the partial links.
//!
//! `-- --refit` first fits the model again on the fit sets and their reversed translations
//! (logistic regression per bead kind, with and without embeddings apart, `Model::fit`), prints
//! its coefficients as the Rust constant to paste into `src/align/confidence/mod.rs` (`SHIPPED`),
//! and reports calibration for the refitted model. `TEI_ALIGN_CALIB_DUMP=FILE` writes every
//! bead's features and label as tab-separated lines (for study); `TEI_ALIGN_CALIB_FROM=FILE`
//! reads such a dump instead of aligning (the figures and a refit in seconds instead of a quarter
//! of an hour; the dump must have today's features, and says nothing new about the aligner);
//! `TEI_ALIGN_CALIB_MASK=k,…` sets those feature columns of the dump to 0 (a refit without them,
//! to compare variants). The refit prints each kind's left-one-fit-set-out ECE, the rule that
//! picks a variant, and keeps a row of the shipped model where the fit half cannot tell it from
//! a calibrated one (`keep_or_replace`); then, for the null rows, session 16's rule
//! (`calibration/null_rule.rs`: candidates fitted without each fit set's kind of text, judged set
//! by set), its decision, and after it the held-out figures of every candidate.

mod common;
#[path = "common/deletion.rs"]
mod deletion;
#[path = "calibration/null_rule.rs"]
mod null_rule;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use tei_align::align::confidence::{
    BeadKind, Evidence, FEATURES, FIT_SETS, Model, NOT_WEIGHED, Ridges, SHIPPED, SHIPPED_RIDGE,
    Table,
};
use tei_align::align::{AlignOptions, align_with_evidence};
use tei_align::embed::{EmbedError, Embedder};

/// One bead of the aligner's output: which set, its evidence, whether it is right, and whether
/// it comes from aligning the source against the reversed translation (unrelated text).
#[derive(Clone)]
struct Row {
    set: String,
    evidence: Evidence,
    right: bool,
    reversed: bool,
    /// 0 for the gold document itself, k for its k-th copy with passages deleted
    /// ([`deletion::damage`]).
    variant: usize,
    /// The document and the bead (`[source ids]:[target ids]`), for the dump.
    at: String,
}

const BINS: usize = 10;

/// Weight of the reversed translations' beads of a kind in the fit, all together, against the
/// real beads of that kind: enough that unrelated text gets a low confidence, not so much that
/// the fit's share of wrong beads (which real alignments do not share) is inflated.
const NEGATIVE_WEIGHT: f64 = 0.1;

/// Copies of each gold document with passages deleted (as the deletion benchmark makes them;
/// the first is the very copy `align_deletion` scores), beside the document itself:
/// `TEI_ALIGN_CALIB_DAMAGED` (default 2). The gold sets hold too few omissions to fit or check
/// the null beads' `cert` (about 150–250 null beads in the held-out half); a deleted passage
/// leaves its counterpart without one, with a known gold.
fn damaged_variants() -> usize {
    std::env::var("TEI_ALIGN_CALIB_DAMAGED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

/// The texts and gold of a document's variant `k` (0: the document itself; k ≥ 1: its k-th copy
/// with passages deleted, seeded by its name and `k`, the first as in `align_deletion`).
fn variant(
    set: &str,
    doc: &str,
    src: &[String],
    tgt: &[String],
    gold: &deletion::Gold,
    k: usize,
) -> (Vec<String>, Vec<String>, deletion::Gold) {
    if k == 0 {
        return (src.to_vec(), tgt.to_vec(), gold.clone());
    }
    let name = if k == 1 {
        format!("{set}/{doc}")
    } else {
        format!("{set}/{doc}#{k}")
    };
    let d = deletion::damage(src, tgt, gold, &mut common::Rng(deletion::seed(&name)));
    (d.src, d.tgt, d.gold)
}

/// The beads of a set's alignment (the documents and their damaged copies), or (`reversed`) of
/// its source against its reversed translation: every bead of that is wrong (nothing
/// corresponds), the case of a stretch where the aligner has lost its way or pairs unrelated
/// text.
fn collect(data: &Path, set: &str, reversed: bool, opts: &AlignOptions) -> Option<Vec<Row>> {
    let dir = data.join(set);
    let mut rows = Vec::new();
    let variants = if reversed { 1 } else { 1 + damaged_variants() };
    for (doc, src, tgt) in common::docs(&dir) {
        let original = common::gold(&dir, &doc);
        for k in 0..variants {
            let (src, tgt, gold) = variant(set, &doc, &src, &tgt, &original, k);
            let gold: HashSet<(Vec<usize>, Vec<usize>)> = if reversed {
                HashSet::new()
            } else {
                gold.into_iter().collect()
            };
            let unpaired = Unpaired::of(&gold);
            let s: Vec<&str> = src.iter().map(String::as_str).collect();
            let mut t: Vec<&str> = tgt.iter().map(String::as_str).collect();
            if reversed {
                t.reverse();
            }
            let beads = match align_with_evidence(&s, &t, opts) {
                Ok(b) => b,
                Err(e) => {
                    println!("{set}/{doc}: alignment failed ({e})");
                    return None;
                }
            };
            for (b, evidence) in beads {
                let at = format!("{doc}#{k}\t{:?}:{:?}", b.src, b.tgt).replace(' ', "");
                let right = unpaired.covers(&b.src, &b.tgt) || gold.contains(&(b.src, b.tgt));
                rows.push(Row {
                    set: set.to_owned(),
                    evidence,
                    right,
                    reversed,
                    variant: k,
                    at,
                });
            }
        }
    }
    Some(rows)
}

/// The sentences the gold leaves without a counterpart. A null bead claims only that its
/// sentence has none: it is right when the gold says so, also when the gold writes a run of
/// omitted sentences as one bead (`[]:[7, 8, 9]`) where the aligner writes one bead per sentence
/// (the same claim, sentence by sentence).
struct Unpaired {
    src: HashSet<usize>,
    tgt: HashSet<usize>,
}

impl Unpaired {
    fn of(gold: &HashSet<(Vec<usize>, Vec<usize>)>) -> Self {
        let mut u = Unpaired {
            src: HashSet::new(),
            tgt: HashSet::new(),
        };
        for (s, t) in gold {
            if t.is_empty() {
                u.src.extend(s);
            }
            if s.is_empty() {
                u.tgt.extend(t);
            }
        }
        u
    }

    /// Is `(src, tgt)` a null bead whose every sentence the gold leaves unpaired?
    fn covers(&self, src: &[usize], tgt: &[usize]) -> bool {
        match (src.is_empty(), tgt.is_empty()) {
            (true, false) => tgt.iter().all(|j| self.tgt.contains(j)),
            (false, true) => src.iter().all(|i| self.src.contains(i)),
            _ => false,
        }
    }
}

/// The e5 vectors of the cache only: asked for a sentence the cache does not hold, it fails
/// (the set is then left out of the "with embeddings" figures) instead of embedding it.
#[derive(Debug)]
struct CacheOnly {
    describe: String,
    dim: usize,
}

impl Embedder for CacheOnly {
    fn describe(&self) -> String {
        self.describe.clone()
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Err(EmbedError::Model(format!(
            "{} sentences not in the vector cache (TEI_ALIGN_CALIB_EMBED=1 embeds them)",
            texts.len()
        )))
    }
}

/// The embedder of the "with embeddings" figures: e5 through the vector cache, refusing to
/// embed anything new unless `TEI_ALIGN_CALIB_EMBED=1`.
fn embedder() -> Option<Arc<dyn Embedder>> {
    let e5 = common::e5()?;
    if std::env::var("TEI_ALIGN_CALIB_EMBED").is_ok_and(|v| v == "1") {
        return Some(e5);
    }
    let inner: Arc<dyn Embedder> = Arc::new(CacheOnly {
        describe: e5.describe(),
        dim: e5.dim(),
    });
    let dir = tei_align::embed::e5::model_dir().ok()?.join("vectors");
    match tei_align::embed::cache::CachedEmbedder::open(inner, &dir) {
        Ok(c) => Some(Arc::new(c)),
        Err(e) => {
            println!("(with e5: not measured — {e})");
            None
        }
    }
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

/// Label draws for the noise floor of the ECE ([`noise_floor`]).
const DRAWS: usize = 400;

/// The ECE a perfectly calibrated model would show on these beads, mean and 95th percentile:
/// labels drawn from the beads' own `cert` ([`DRAWS`] times, a fixed seed). Binned ECE is biased
/// upwards on few beads (every bin's share right is itself uncertain): with 150 beads a model
/// whose every `cert` is exact still shows about 0.07, so a miss smaller than the floor says
/// nothing, and a kind with few beads cannot show an ECE of 0.05 whatever the model.
fn noise_floor(pairs: &[(f64, bool)], seed: u64) -> (f64, f64) {
    // SplitMix64: a few lines instead of a dependency for a bench's coin flips.
    let mut state = seed;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    };
    let mut eces: Vec<f64> = (0..DRAWS)
        .map(|_| {
            let drawn: Vec<(f64, bool)> = pairs.iter().map(|&(p, _)| (p, uniform() < p)).collect();
            reliability(&drawn).1
        })
        .collect();
    eces.sort_by(f64::total_cmp);
    let mean = eces.iter().sum::<f64>() / DRAWS as f64;
    (mean, eces[DRAWS * 95 / 100])
}

fn report(title: &str, rows: &[&Row], model: &Model) {
    println!("\n{title}\n");
    println!(
        "| bead kind | beads | documents | accuracy | mean cert | ECE | ECE of a calibrated model (mean / 95 %) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
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
        let (floor, floor95) = noise_floor(&pairs, kind as u64 + 1);
        // The beads of one document share its level (its text, its translator): the floor
        // above counts beads as independent, which they are not; the documents (a damaged
        // copy counted with its document) say how many draws of "a text" the figure rests on.
        let documents: HashSet<(&str, &str)> = rows
            .iter()
            .filter(|r| r.evidence.kind == kind)
            .map(|r| {
                let doc = r.at.split('\t').next().unwrap_or("");
                (r.set.as_str(), doc.rsplit_once('#').map_or(doc, |d| d.0))
            })
            .collect();
        println!(
            "| {} | {} | {} | {acc:.3} | {mean:.3} | **{ece:.3}** | {floor:.3} / {floor95:.3} |",
            kind.label(),
            pairs.len(),
            documents.len()
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

/// Per set and bead kind: beads, share right and mean confidence (where the level is off, and
/// which way: a kind can be calibrated pooled over sets that miss in opposite directions).
fn per_set(rows: &[&Row], model: &Model) {
    let head: Vec<&str> = BeadKind::ALL.iter().map(|k| k.label()).collect();
    println!("\nbeads / right / mean cert, per set and bead kind:\n");
    println!("| set | {} |", head.join(" | "));
    println!("| --- |{}", " --- |".repeat(head.len()));
    let mut names: Vec<&str> = rows.iter().map(|r| r.set.as_str()).collect();
    names.dedup();
    for name in names {
        let cells: Vec<String> = BeadKind::ALL
            .iter()
            .map(|&kind| {
                let v: Vec<(f64, bool)> = rows
                    .iter()
                    .filter(|r| r.set == name && r.evidence.kind == kind)
                    .map(|r| (model.predict(&r.evidence), r.right))
                    .collect();
                if v.is_empty() {
                    return "—".to_owned();
                }
                let n = v.len() as f64;
                let right = v.iter().filter(|p| p.1).count() as f64 / n;
                let cert = v.iter().map(|p| p.0).sum::<f64>() / n;
                format!("{} / {right:.2} / {cert:.2}", v.len())
            })
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
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

fn print_table(name: &str, t: &Table) {
    println!("    {name}: [");
    for (kind, row) in BeadKind::ALL.iter().zip(t.iter()) {
        let cells: Vec<String> = row.iter().map(|w| format!("{w:.4}")).collect();
        println!("        // {}", kind.label());
        println!("        [{}],", cells.join(", "));
    }
    println!("    ],");
}

fn print_model(m: &Model) {
    println!("pub const SHIPPED: Model = Model {{");
    print_table("free", &m.free);
    print_table("embedded", &m.embedded);
    println!("}};");
}

/// Every row's set, whether reversed / embedded, kind, label, document, bead and features, tab-separated.
fn dump(path: &str, rows: &[&Row]) {
    let mut out = String::from("set\treversed\tvariant\tembedded\tkind\tright\tdoc\tbead");
    for k in 0..tei_align::align::confidence::FEATURES {
        out.push_str(&format!("\tf{k}"));
    }
    out.push('\n');
    for r in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.set,
            u8::from(r.reversed),
            r.variant,
            u8::from(r.evidence.semantic.is_some()),
            r.evidence.kind.label(),
            u8::from(r.right),
            r.at
        ));
        for x in r.evidence.features() {
            out.push_str(&format!("\t{x:.5}"));
        }
        out.push('\n');
    }
    if let Err(e) = std::fs::write(path, out) {
        println!("{path}: {e}");
    }
}

/// The rows of a dump written by [`dump`] (this bench's features), and the sets with rows
/// aligned with e5: the evidence is rebuilt from the features (a null bead's share of null
/// beads around it, which the model does not weigh, is lost).
fn undump(path: &str) -> Result<(Vec<Row>, Vec<String>), String> {
    use tei_align::align::confidence::SemanticEvidence;
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut lines = text.lines();
    let columns = lines.next().unwrap_or("").split('\t').count();
    if columns != 8 + FEATURES {
        return Err(format!(
            "{columns} columns, not {}: a dump of other features",
            8 + FEATURES
        ));
    }
    let mask = masked();
    let (mut rows, mut embedded) = (Vec::new(), Vec::<String>::new());
    for (k, line) in lines.enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        let bad = || format!("line {}: not a row of this bench's dump", k + 2);
        if c.len() != columns {
            return Err(bad());
        }
        let kind = *BeadKind::ALL
            .iter()
            .find(|x| x.label() == c[4])
            .ok_or_else(bad)?;
        let mut x: Vec<f32> = c[8..]
            .iter()
            .map(|v| v.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        for &m in &mask {
            x[m] = 0.0;
        }
        let is_emb = c[3] == "1";
        if is_emb && !embedded.iter().any(|s| s == c[0]) {
            embedded.push(c[0].to_owned());
        }
        let evidence = Evidence {
            kind,
            lex: x[1],
            around: x[2],
            wide: x[3],
            adjacent: x[4],
            length: x[5],
            nulls_around: x[6],
            rival: x[7],
            merge_gain: x[8],
            size: x[9],
            clues: x[10],
            null_run: x[11],
            doc_nulls: x[12],
            run_edge: x[16],
            at_edge: x[17],
            two_sided: x[18],
            member: x[22],
            doc_noclue: x[23],
            margin: x[25],
            agree: x[26],
            agree_far: x[27],
            doc_agree: x[28],
            semantic: is_emb.then_some(SemanticEvidence {
                similarity: x[13],
                rival: x[14],
                around: x[15],
                member: x[19],
                inner: x[20],
                text: x[21],
                doc_similarity: x[24],
            }),
        };
        rows.push(Row {
            set: c[0].to_owned(),
            evidence,
            right: c[5] == "1",
            reversed: c[1] == "1",
            variant: c[2].parse().map_err(|_| bad())?,
            at: format!("{}\t{}", c[6], c[7]),
        });
    }
    Ok((rows, embedded))
}

/// The features (columns of [`Evidence::features`], 1 and up) that `TEI_ALIGN_CALIB_MASK`
/// (comma-separated) sets to 0 when a dump is read: a refit without them, to compare variants
/// of the model on one dump.
fn masked() -> Vec<usize> {
    std::env::var("TEI_ALIGN_CALIB_MASK")
        .unwrap_or_default()
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .filter(|k| (1..tei_align::align::confidence::FEATURES).contains(k))
        .collect()
}

/// The rows of the fit or held-out sets, real or reversed, with or without embeddings.
fn pick(rows: &[Row], fit: bool, reversed: bool, embedded: bool) -> Vec<&Row> {
    rows.iter()
        .filter(|r| {
            FIT_SETS.contains(&r.set.as_str()) == fit
                && r.reversed == reversed
                && r.evidence.semantic.is_some() == embedded
        })
        .collect()
}

/// Aligns every set and its reversed translation, model-free and (the sets whose vectors are
/// available) with e5; returns the rows and the sets aligned with e5.
fn align_all(data: &Path, sets: &[String]) -> (Vec<Row>, Vec<String>) {
    let free = AlignOptions::default();
    let mut rows: Vec<Row> = Vec::new();
    for s in sets {
        for reversed in [false, true] {
            rows.extend(collect(data, s, reversed, &free).unwrap_or_default());
        }
    }
    let mut embedded = Vec::new();
    if let Some(e) = embedder() {
        let opts = AlignOptions {
            embedder: Some(e),
            semantic: common::semantic_params(),
            ..AlignOptions::default()
        };
        for s in sets {
            let real = collect(data, s, false, &opts);
            let rev = real.as_ref().and_then(|_| collect(data, s, true, &opts));
            match (real, rev) {
                (Some(a), Some(b)) => {
                    rows.extend(a);
                    rows.extend(b);
                    embedded.push(s.clone());
                }
                _ => println!("{s}: left out of the figures with e5"),
            }
        }
    }
    (rows, embedded)
}

/// Ridge penalties tried per kind and table.
const RIDGES: [f64; 4] = [0.01, 0.1, 1.0, 10.0];

/// The training rows of the fit sets (all but `except`), of one table (`embedded`) and kind:
/// the real beads with weight 1, the reversed translations' weighing `neg_weight` times the
/// real beads in all.
fn training(
    rows: &[Row],
    except: Option<&str>,
    embedded: bool,
    kind: BeadKind,
    neg_weight: f64,
) -> Vec<(Evidence, bool, f64)> {
    let keep = |r: &&Row| r.evidence.kind == kind && Some(r.set.as_str()) != except;
    let real: Vec<&Row> = pick(rows, true, false, embedded)
        .into_iter()
        .filter(keep)
        .collect();
    let neg: Vec<&Row> = pick(rows, true, true, embedded)
        .into_iter()
        .filter(keep)
        .collect();
    weighted(&real, &neg, neg_weight)
}

/// Training rows: the real beads at weight 1, the reversed translations' weighing `neg_weight`
/// times the real beads in all (one rule for the shipped fit and the diagnostics, so that what
/// the diagnostics judge is fitted as the table is).
fn weighted(real: &[&Row], neg: &[&Row], neg_weight: f64) -> Vec<(Evidence, bool, f64)> {
    let w = neg_weight * real.len() as f64 / neg.len().max(1) as f64;
    real.iter()
        .map(|r| (r.evidence, r.right, 1.0))
        .chain(neg.iter().map(|r| (r.evidence, r.right, w)))
        .collect()
}

/// A diagnostic, not a fitting criterion: the null rows fitted on every set but one (fit and
/// held-out sets alike, each with its reversed translations, ridge as `ridges`) and judged on
/// the set left out, each set in turn. How far the sets' levels lie apart once each is judged
/// by a model that saw all the others: what no choice of fit sets can remove.
fn null_rows_left_out(rows: &[Row], ridges: &Ridges, neg_weight: f64) {
    for embedded in [false, true] {
        let of = |r: &&Row| {
            r.evidence.kind == BeadKind::Null && r.evidence.semantic.is_some() == embedded
        };
        let mut sets: Vec<&str> = rows.iter().filter(of).map(|r| r.set.as_str()).collect();
        sets.sort_unstable();
        sets.dedup();
        if sets.len() < 2 {
            continue;
        }
        println!(
            "\nnull beads ({}), every set left out in turn, fitted on all the others \
             (diagnostic):\n",
            if embedded { "e5" } else { "model-free" }
        );
        println!("| left out | beads | right | mean cert | ECE |");
        println!("| --- | --- | --- | --- | --- |");
        let mut pooled = Vec::new();
        for set in &sets {
            let (real, neg): (Vec<&Row>, Vec<&Row>) = rows
                .iter()
                .filter(of)
                .filter(|r| r.set != *set)
                .partition(|r| !r.reversed);
            let m = Model::fit(&weighted(&real, &neg, neg_weight), &SHIPPED, ridges);
            let pairs: Vec<(f64, bool)> = rows
                .iter()
                .filter(of)
                .filter(|r| r.set == *set && !r.reversed)
                .map(|r| (m.predict(&r.evidence), r.right))
                .collect();
            let n = pairs.len().max(1) as f64;
            println!(
                "| {set} | {} | {:.3} | {:.3} | {:.3} |",
                pairs.len(),
                pairs.iter().filter(|p| p.1).count() as f64 / n,
                pairs.iter().map(|p| p.0).sum::<f64>() / n,
                reliability(&pairs).1
            );
            pooled.extend(pairs);
        }
        println!(
            "| all, pooled | {} | | | {:.3} |",
            pooled.len(),
            reliability(&pooled).1
        );
    }
}

/// Fit sets a split of [`null_rows_between_texts`] fits on; the other fit sets are judged.
const SPLIT_FIT: usize = 4;

/// The subsets of `k` of `0..n` (index lists, in order).
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    (0u32..1 << n)
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n).filter(|&i| m >> i & 1 == 1).collect())
        .collect()
}

/// A diagnostic, not a fitting criterion: the null rows fitted on four fit sets (with their
/// reversed translations, ridge as `ridges`) and judged on the other three, pooled, over every
/// such split of the seven fit sets. The held-out figure pools a few texts the fit never saw;
/// leaving one fit set out and pooling all seven lets the sets' level errors average out
/// within bins, so it shows a null row calibrated that misses on three unseen texts
/// (`docs/aligner.md`, Calibration, session 14).
fn null_rows_between_texts(rows: &[Row], ridges: &Ridges, neg_weight: f64) {
    for embedded in [false, true] {
        let of = |r: &&Row| {
            r.evidence.kind == BeadKind::Null
                && r.evidence.semantic.is_some() == embedded
                && FIT_SETS.contains(&r.set.as_str())
        };
        if !rows.iter().any(|r| of(&r)) {
            continue;
        }
        let mut eces: Vec<f64> = subsets(FIT_SETS.len(), SPLIT_FIT)
            .iter()
            .map(|fitted| {
                let on = |r: &&Row| fitted.iter().any(|&i| FIT_SETS[i] == r.set);
                let (real, neg): (Vec<&Row>, Vec<&Row>) =
                    rows.iter().filter(of).filter(on).partition(|r| !r.reversed);
                let m = Model::fit(&weighted(&real, &neg, neg_weight), &SHIPPED, ridges);
                let judged: Vec<(f64, bool)> = rows
                    .iter()
                    .filter(of)
                    .filter(|r| !r.reversed && !on(r))
                    .map(|r| (m.predict(&r.evidence), r.right))
                    .collect();
                reliability(&judged).1
            })
            .collect();
        eces.sort_by(f64::total_cmp);
        let n = eces.len().max(1);
        println!(
            "null beads ({}), fitted on {SPLIT_FIT} fit sets and judged on the other {} pooled, \
             over all {} splits (diagnostic): ECE mean {:.4}, median {:.4}, max {:.4}",
            if embedded { "e5" } else { "model-free" },
            FIT_SETS.len() - SPLIT_FIT,
            eces.len(),
            eces.iter().sum::<f64>() / n as f64,
            eces[eces.len() / 2],
            eces[eces.len() - 1]
        );
    }
}

/// The most mean confidence a kind's beads of unrelated text (the fit sets against their
/// reversed translations) may get: a stronger ridge pulls every bead towards the kind's mean,
/// which calibrates the real beads of a kind with little evidence better on average but makes a
/// stretch where the aligner lost its way look plausible. A ridge that does is not used.
const UNRELATED_MAX: f64 = 0.15;

/// The ridge penalty of one table and kind with the least calibration error when each fit set
/// in turn is left out of the fit and predicted (pooled over the sets), among those that keep
/// unrelated text doubtful (`UNRELATED_MAX`).
fn choose_ridge(rows: &[Row], embedded: bool, kind: BeadKind, neg_weight: f64) -> f64 {
    let table = usize::from(embedded);
    let of_kind = |fit: bool, reversed: bool| -> Vec<&Row> {
        pick(rows, fit, reversed, embedded)
            .into_iter()
            .filter(|r| r.evidence.kind == kind)
            .collect()
    };
    let unrelated = of_kind(true, true);
    // Without beads of this table and kind (a dump of model-free alignments only) there is
    // nothing to choose by: the shipped ridge stays, as the shipped row does.
    let mut best = (f64::INFINITY, SHIPPED_RIDGE[table][kind as usize]);
    for ridge in RIDGES {
        let mut ridges = SHIPPED_RIDGE;
        ridges[table][kind as usize] = ridge;
        let whole = Model::fit(
            &training(rows, None, embedded, kind, neg_weight),
            &SHIPPED,
            &ridges,
        );
        let doubt = unrelated
            .iter()
            .map(|r| whole.predict(&r.evidence))
            .sum::<f64>()
            / unrelated.len().max(1) as f64;
        if doubt > UNRELATED_MAX && ridge > RIDGES[0] {
            continue;
        }
        let mut pairs = Vec::new();
        for set in FIT_SETS {
            let train = training(rows, Some(set), embedded, kind, neg_weight);
            let m = Model::fit(&train, &SHIPPED, &ridges);
            pairs.extend(
                of_kind(true, false)
                    .iter()
                    .filter(|r| r.set == set)
                    .map(|r| (m.predict(&r.evidence), r.right)),
            );
        }
        if pairs.is_empty() {
            continue;
        }
        let ece = reliability(&pairs).1;
        if ece < best.0 {
            best = (ece, ridge);
        }
    }
    println!(
        "ridge of {} {}: {} (fit sets left out one at a time, pooled ECE {:.4})",
        if embedded { "e5" } else { "model-free" },
        kind.label(),
        best.1,
        best.0
    );
    best.1
}

/// Fit the model again on the fit sets, each table and kind with the ridge penalty chosen by
/// leaving one fit set out at a time.
fn refit(rows: &[Row], neg_weight: f64) -> Model {
    let mut ridges = SHIPPED_RIDGE;
    let mut train = Vec::new();
    for embedded in [false, true] {
        for kind in BeadKind::ALL {
            ridges[usize::from(embedded)][kind as usize] =
                choose_ridge(rows, embedded, kind, neg_weight);
            train.extend(training(rows, None, embedded, kind, neg_weight));
        }
    }
    let mut m = Model::fit(&train, &SHIPPED, &ridges);
    println!(
        "\nrefitted on {} beads of the fit sets and their reversed translations:\n",
        train.len()
    );
    keep_or_replace(rows, &mut m, &mut ridges);
    // Session 16's rule for the null rows: a candidate it adopts replaces the row left by
    // `keep_or_replace` (N1, a temperature folded into the row, or M, columns of `Evidence`).
    let picks = null_rule::null_rows_rule(rows, neg_weight);
    for (t, pick) in picks.into_iter().enumerate() {
        if let Some((row, ridge)) = pick {
            let table = if t == 1 { &mut m.embedded } else { &mut m.free };
            table[BeadKind::Null as usize] = row;
            ridges[t][BeadKind::Null as usize] = ridge;
        }
    }
    print_model(&m);
    println!("pub const SHIPPED_RIDGE: Ridges = {ridges:?};");
    null_rows_left_out(rows, &ridges, neg_weight);
    null_rows_between_texts(rows, &ridges, neg_weight);
    m
}

/// Which rows of the refit to ship, decided on the fit half alone: a shipped row is kept while
/// the fit sets' beads of its kind (today's alignments, damaged copies included) cannot tell it
/// from a calibrated model (its ECE on them at most the 95th percentile of the ECE an exactly
/// calibrated model shows on as many beads with the same `cert`, [`noise_floor`]); a row they
/// show to be off is replaced by the refit's. Why this test and not a comparison of the two
/// rows' errors: the shipped row was fitted on (older alignments of) these very sets, so its
/// error there is in-sample, and the refit's is either in-sample too (then the refit wins by
/// construction) or left-one-set-out (then the comparison is loaded towards the old row). A row
/// is only ever changed when the aligner's output has moved away from it, and a refit shipped
/// is kept by the next run of the rule on the same alignments. A kept row keeps its ridge in
/// `ridges` too.
fn keep_or_replace(rows: &[Row], refit: &mut Model, ridges: &mut Ridges) {
    println!(
        "rows kept or refitted (fit half: ECE of the shipped row / 95th percentile of a calibrated model's):"
    );
    for embedded in [false, true] {
        for kind in BeadKind::ALL {
            let pairs: Vec<(f64, bool)> = pick(rows, true, false, embedded)
                .into_iter()
                .filter(|r| r.evidence.kind == kind)
                .map(|r| (SHIPPED.predict(&r.evidence), r.right))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let ece = reliability(&pairs).1;
            let (_, floor95) = noise_floor(&pairs, kind as u64 + 1);
            let (table, shipped) = if embedded {
                (&mut refit.embedded, &SHIPPED.embedded)
            } else {
                (&mut refit.free, &SHIPPED.free)
            };
            // A shipped row that weighs a column its kind no longer weighs, or does not weigh
            // one it now weighs (a new feature: 0 in the row, not always 0 in the beads), is
            // of other features: replaced, whatever its error.
            let not_weighed = NOT_WEIGHED[usize::from(embedded)][kind as usize];
            let row = &shipped[kind as usize];
            let varies = |c: usize| {
                pick(rows, true, false, embedded)
                    .iter()
                    .any(|r| r.evidence.kind == kind && r.evidence.features()[c] != 0.0)
            };
            let stale = not_weighed.iter().any(|&c| row[c] != 0.0)
                || (1..FEATURES).any(|c| !not_weighed.contains(&c) && row[c] == 0.0 && varies(c));
            let keep = ece <= floor95 && !stale;
            if keep {
                table[kind as usize] = shipped[kind as usize];
                ridges[usize::from(embedded)][kind as usize] =
                    SHIPPED_RIDGE[usize::from(embedded)][kind as usize];
            }
            println!(
                "  {} {}: {ece:.4} / {floor95:.4}: {}",
                if embedded { "e5" } else { "model-free" },
                kind.label(),
                match (keep, stale) {
                    (true, _) => "kept",
                    (false, true) => "refitted (the shipped row is of other features)",
                    (false, false) => "refitted",
                }
            );
        }
    }
    println!();
}

/// Gold 1-1 links tried per set with a clause dropped (the recall part of [`partials`]).
const CLAUSE_SAMPLES: usize = 15;

/// The sentence without its last clause, when it has a clause break (`, ` or `; `) between 35 %
/// and 65 % of its length: what a translation that drops a clause leaves.
fn drop_clause(s: &str) -> Option<String> {
    let n = s.chars().count();
    let cut = s
        .char_indices()
        .filter(|&(k, c)| (c == ',' || c == ';') && s[k + 1..].starts_with(' '))
        .map(|(k, _)| k)
        .rfind(|&k| {
            let at = s[..k].chars().count();
            at * 100 >= n * 35 && at * 100 <= n * 65
        })?;
    Some(format!("{}.", &s[..cut]))
}

/// Partial links on the gold sets with sentence vectors: how many of the gold's links (none of
/// them partial) the length rule and the rule with vectors flag, and how many of some gold 1-1
/// links with a clause dropped from one side (every other in turn) they find.
fn partials(data: &Path, sets: &[String], cached: &dyn Embedder, fresh: Option<&dyn Embedder>) {
    use tei_align::align::partial::{SEM_SHARE, SEM_SPREAD, by_length, by_meaning_with};
    let var = |k: &str, d: f64| {
        std::env::var(format!("TEI_ALIGN_PARTIAL_{k}"))
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let params = (var("SHARE", SEM_SHARE), var("SPREAD", SEM_SPREAD));
    let by_meaning =
        |s: &[&str], t: &[&str], g: &[Bead], v: &[Vec<f32>]| by_meaning_with(s, t, g, v, params);
    use tei_align::model::Bead;
    println!(
        "\npartial links: gold links flagged (false positives) and clause-dropped gold links found\n"
    );
    println!(
        "| set | gold links | flagged by length | rate | flagged with e5 | rate | clause dropped | found by length | found with e5 |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for set in sets {
        let dir = data.join(set);
        let (mut links, mut fl, mut fs) = (0usize, 0usize, 0usize);
        let (mut tried, mut found_l, mut found_s) = (0usize, 0usize, 0usize);
        for (doc, src, tgt) in common::docs(&dir) {
            let gold: Vec<Bead> = common::gold(&dir, &doc)
                .into_iter()
                .map(|(src, tgt)| Bead {
                    src,
                    tgt,
                    confidence: 1.0,
                })
                .collect();
            let s: Vec<&str> = src.iter().map(String::as_str).collect();
            let t: Vec<&str> = tgt.iter().map(String::as_str).collect();
            let texts: Vec<&str> = s.iter().chain(&t).copied().collect();
            let Ok(vectors) = cached.embed(&texts) else {
                continue;
            };
            let paired = |b: &&Bead| !b.src.is_empty() && !b.tgt.is_empty();
            links += gold.iter().filter(paired).count();
            let count = |f: Vec<bool>| gold.iter().zip(f).filter(|(b, f)| paired(b) && *f).count();
            fl += count(by_length(&s, &t, &gold));
            fs += count(by_meaning(&s, &t, &gold, &vectors));
            let Some(fresh) = fresh else { continue };
            // Every 7th 1-1 link with a clause to drop, the target side and the source side in turn.
            let ones: Vec<usize> = (0..gold.len())
                .filter(|&k| gold[k].src.len() == 1 && gold[k].tgt.len() == 1)
                .step_by(7)
                .collect();
            for k in ones {
                if tried >= CLAUSE_SAMPLES {
                    break;
                }
                let on_target = tried % 2 == 0;
                let (i, j) = (gold[k].src[0], gold[k].tgt[0]);
                let row = if on_target { s.len() + j } else { i };
                let Some(cut) = drop_clause(texts[row]) else {
                    continue;
                };
                let Ok(v) = fresh.embed(&[cut.as_str()]) else {
                    continue;
                };
                let (mut s2, mut t2, mut vec2) = (s.clone(), t.clone(), vectors.clone());
                if on_target {
                    t2[j] = &cut;
                } else {
                    s2[i] = &cut;
                }
                vec2[row] = v.into_iter().next().unwrap_or_default();
                tried += 1;
                found_l += usize::from(by_length(&s2, &t2, &gold)[k]);
                found_s += usize::from(by_meaning(&s2, &t2, &gold, &vec2)[k]);
            }
        }
        if links == 0 {
            continue;
        }
        let pct = |x: usize| 100.0 * x as f64 / links as f64;
        println!(
            "| {set} | {links} | {fl} | {:.2} % | {fs} | {:.2} % | {tried} | {found_l} | {found_s} |",
            pct(fl),
            pct(fs)
        );
    }
}

fn main() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let refitting = std::env::args().any(|a| a == "--refit");
    let neg_weight: f64 = std::env::var("NEGW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(NEGATIVE_WEIGHT);
    let sets = common::distinct_set_names(&data);
    let held_sets: Vec<&str> = sets
        .iter()
        .map(String::as_str)
        .filter(|s| !FIT_SETS.contains(s))
        .collect();
    println!("fit sets: {}", FIT_SETS.join(", "));
    println!("held-out sets: {}", held_sets.join(", "));
    let from_dump = std::env::var("TEI_ALIGN_CALIB_FROM").is_ok();
    // `TEI_ALIGN_CALIB_PARTIAL=0` skips the partial links (their clause-dropped sentences are
    // embedded afresh, which takes long on a loaded machine; a dump does not need them).
    let partial = std::env::var("TEI_ALIGN_CALIB_PARTIAL").map_or(true, |v| v != "0");
    if let Some(cached) = embedder().filter(|_| !from_dump && partial) {
        // The sets whose vectors are not in the cache are left out of this table.
        partials(&data, &sets, cached.as_ref(), common::e5().as_deref());
    }
    if common::named_args().iter().any(|a| a == "partial") {
        return;
    }
    let (rows, embedded_sets) = match std::env::var("TEI_ALIGN_CALIB_FROM") {
        Ok(path) => match undump(&path) {
            Ok(r) => r,
            Err(e) => {
                println!("{path}: {e}");
                return;
            }
        },
        Err(_) => align_all(&data, &sets),
    };
    println!("aligned with e5 too: {}", embedded_sets.join(", "));
    if let Ok(path) = std::env::var("TEI_ALIGN_CALIB_DUMP") {
        dump(&path, &rows.iter().collect::<Vec<_>>());
    }
    let model = if refitting {
        refit(&rows, neg_weight)
    } else {
        SHIPPED
    };
    let which = if refitting { "refitted" } else { "shipped" };
    for (embedded, how) in [(false, "model-free alignment"), (true, "alignment with e5")] {
        if embedded && embedded_sets.is_empty() {
            continue;
        }
        for (fit, part) in [(false, "held-out sets"), (true, "fit sets")] {
            report(
                &format!("{part} and their damaged copies, {which} model ({how})"),
                &pick(&rows, fit, false, embedded),
                &model,
            );
        }
        for (damaged, part) in [
            (false, "the gold documents alone"),
            (true, "the damaged copies alone"),
        ] {
            let some: Vec<&Row> = pick(&rows, false, false, embedded)
                .into_iter()
                .filter(|r| (r.variant > 0) == damaged)
                .collect();
            report(
                &format!("held-out sets, {part}, {which} model ({how})"),
                &some,
                &model,
            );
        }
        let all: Vec<&Row> = rows
            .iter()
            .filter(|r| !r.reversed && r.evidence.semantic.is_some() == embedded)
            .collect();
        per_set(&all, &model);
        unrelated(&pick(&rows, false, true, embedded), &model);
    }
}
