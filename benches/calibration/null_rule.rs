//! The null rows judged on kinds of text the fit has not seen (`docs/aligner.md`, Calibration,
//! session 16): candidates N0–N4 for the null row of each table, and the rule, declared before
//! any figure of them, that picks among them on the fit half alone.
//!
//! The rule leaves out a *kind of text* ([`GROUPS`]: a language pair or a shared source), fits
//! the candidate on the other kinds (every choice it makes — ridge, temperature, `κ` — made on
//! those alone), and judges each fit set of the left-out kind apart by its *excess ECE* (its
//! ECE minus the mean ECE of an exactly calibrated model on the same `cert`s); the criterion is
//! the mean over the seven fit sets, each set alike. Pooled over sets, level errors of opposite
//! sign cancel within bins, and a set left out alone keeps a sibling in the fit: the held-out
//! miss is a transfer failure that neither shows.

use super::{FIT_SETS, RIDGES, Row, UNRELATED_MAX, noise_floor, reliability, weighted};
use std::collections::HashMap;
use tei_align::align::confidence::{
    BeadKind, Evidence, FEATURES, MOST_SURE, Model, NOT_WEIGHED, OtherPath, Ridges, SHIPPED,
    SHIPPED_RIDGE, Span, set_agreement, spans,
};

/// The kinds of text of the fit half: a set with its siblings (the same language pair, or the
/// same source text). Every fit set is in exactly one.
pub(crate) const GROUPS: [&[&str]; 4] = [
    &["textberg-dev"],
    &["mac-dev"],
    &["dtm", "hu1984", "steinbeck"],
    &["pud-cs-en-perturbed", "pud-cs-ru-perturbed"],
];

/// A candidate replaces the baseline only when its criterion is at least this much lower: a
/// smaller difference on seven sets is noise, and would move shipped `cert`s for nothing.
const MARGIN: f64 = 0.005;

/// `κ` tried by N3 and N4.
const KAPPAS: [f64; 6] = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0];

/// How far a document statistic may count in its unusualness (squared z-score): past three
/// standard deviations a document is simply unlike the fit half, and unrelated text (far past
/// it) must not be pulled towards 0.5 by it.
const Z2_CAP: f64 = 9.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cand {
    N0,
    N1,
    N1b,
    N2,
    N3,
    N4,
    F1,
    F2,
    F3,
    M1,
    M2,
    M3,
}

/// Session 16's candidates (`TEI_ALIGN_NULL_RULE=16`).
const CANDS_16: [Cand; 6] = [Cand::N0, Cand::N1, Cand::N1b, Cand::N2, Cand::N3, Cand::N4];

/// Session 17's: agreement with a second alignment, the search's first pass (F) or, with e5,
/// the model-free alignment of the same text (M); the default.
const CANDS_17: [Cand; 7] = [
    Cand::N0,
    Cand::F1,
    Cand::F2,
    Cand::F3,
    Cand::M1,
    Cand::M2,
    Cand::M3,
];

/// The candidates the rule judges for one table (M only with e5: a model-free alignment has
/// no model-free alignment beside it; F only for the model-free table of a dump that holds the
/// first pass's agreement, `first`: made on session 17's commit e0ba8db, which computed it; the
/// aligner with vectors now holds M's in those columns).
fn candidates(embedded: bool, first: bool) -> Vec<Cand> {
    let session16 = std::env::var("TEI_ALIGN_NULL_RULE").is_ok_and(|v| v == "16");
    let all: &[Cand] = if session16 { &CANDS_16 } else { &CANDS_17 };
    all.iter()
        .copied()
        .filter(|c| embedded || !matches!(c, Cand::M1 | Cand::M2 | Cand::M3))
        .filter(|c| first && !embedded || !matches!(c, Cand::F1 | Cand::F2 | Cand::F3))
        .collect()
}

/// Which rows a candidate reads: its features are today's, N2's columns, or the agreement
/// against the model-free alignment in the agreement columns.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Plain,
    Aug,
    Free,
}

impl Cand {
    fn label(self) -> &'static str {
        match self {
            Cand::N0 => "N0 today's features",
            Cand::N1 => "N1 leave-one-text-out temperature",
            Cand::N1b => "N1b the same, σ² by likelihood",
            Cand::N2 => "N2 + run's least margin, weaker neighbour",
            Cand::N3 => "N3 temperature by unusualness",
            Cand::N4 => "N4 shrinkage by unusualness",
            Cand::F1 => "F1 + agree, agree_far (first pass)",
            Cand::F2 => "F2 + doc_agree (first pass)",
            Cand::F3 => "F3 + all three (first pass)",
            Cand::M1 => "M1 + agree, agree_far (model-free)",
            Cand::M2 => "M2 + doc_agree (model-free)",
            Cand::M3 => "M3 + all three (model-free)",
        }
    }

    fn source(self) -> Source {
        match self {
            Cand::N2 => Source::Aug,
            Cand::M1 | Cand::M2 | Cand::M3 => Source::Free,
            _ => Source::Plain,
        }
    }

    /// The columns each row leaves out: [`NOT_WEIGHED`], but for the agreement columns (26:
    /// `agree`, 27: `agree_far`, 28: `doc_agree`) the candidate weighs in the null rows.
    fn mask(self) -> [[&'static [usize]; 4]; 2] {
        let mut m = NOT_WEIGHED;
        let null = BeadKind::Null as usize;
        let (free, e5): (&'static [usize], &'static [usize]) = match self {
            Cand::F1 | Cand::M1 => (&[12, 28], &[28]),
            Cand::F2 | Cand::M2 => (&[12, 26, 27], &[26, 27]),
            Cand::F3 | Cand::M3 => (&[12], &[]),
            _ => return m,
        };
        m[0][null] = free;
        m[1][null] = e5;
        m
    }
}

/// The document statistics of a null bead the row sees, against which its unusualness is
/// measured: the share of null beads, and how well the document pairs up (model-free: the share
/// of 1-1 beads without a clue; with vectors: their mean `1 − r`).
fn doc_stats(e: &Evidence) -> [f64; 2] {
    let pairing = match e.semantic {
        Some(s) => f64::from(s.doc_similarity),
        None => f64::from(e.doc_noclue),
    };
    [f64::from(e.doc_nulls), pairing]
}

/// Mean and standard deviation of the document statistics over the real documents (each
/// document or damaged copy once) of `sets`.
#[derive(Debug, Clone, Copy)]
struct Reference {
    mean: [f64; 2],
    sd: [f64; 2],
}

impl Reference {
    fn of(rows: &[&Row]) -> Self {
        let mut seen: HashMap<(&str, &str), [f64; 2]> = HashMap::new();
        for r in rows.iter().filter(|r| !r.reversed) {
            let doc = r.at.split('\t').next().unwrap_or("");
            seen.entry((r.set.as_str(), doc))
                .or_insert_with(|| doc_stats(&r.evidence));
        }
        let n = seen.len().max(1) as f64;
        let mut mean = [0.0; 2];
        let mut sd = [0.0; 2];
        for k in 0..2 {
            mean[k] = seen.values().map(|v| v[k]).sum::<f64>() / n;
            sd[k] = (seen.values().map(|v| (v[k] - mean[k]).powi(2)).sum::<f64>() / n)
                .sqrt()
                .max(1e-6);
        }
        Reference { mean, sd }
    }

    /// Mean over the statistics of the squared z-score, each capped at [`Z2_CAP`].
    fn unusual(&self, e: &Evidence) -> f64 {
        let x = doc_stats(e);
        (0..2)
            .map(|k| ((x[k] - self.mean[k]) / self.sd[k]).powi(2).min(Z2_CAP))
            .sum::<f64>()
            / 2.0
    }
}

/// A fitted candidate: the null row (inside a [`Model`]) and what it does to the row's output.
#[derive(Debug, Clone, Copy)]
struct Fitted {
    model: Model,
    ridge: f64,
    map: Map,
}

#[derive(Debug, Clone, Copy)]
enum Map {
    Plain,
    /// The logit multiplied by `a` (N1).
    Scale(f64),
    /// N3: `z / √(1 + κu)`.
    Temper(Reference, f64),
    /// N4: `(1 − λ)p + λr̄`, `λ = κu / (1 + κu)`.
    Shrink(Reference, f64, f64),
}

fn sigmoid(z: f64) -> f64 {
    (1.0 / (1.0 + (-z).exp())).clamp(1.0 - MOST_SURE, MOST_SURE)
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

impl Fitted {
    fn predict(&self, e: &Evidence) -> f64 {
        let p = self.model.predict(e);
        match self.map {
            Map::Plain => p,
            Map::Scale(a) => sigmoid(a * logit(p)),
            Map::Temper(r, k) => sigmoid(logit(p) / (1.0 + k * r.unusual(e)).sqrt()),
            Map::Shrink(r, k, base) => {
                let u = k * r.unusual(e);
                let lambda = u / (1.0 + u);
                (1.0 - lambda) * p + lambda * base
            }
        }
    }
}

/// The null beads of one table (real and reversed, every set), augmented or not (N2's columns).
struct Table<'a> {
    rows: Vec<&'a Row>,
    embedded: bool,
    neg_weight: f64,
    /// The columns the rows leave out ([`Cand::mask`]).
    mask: [[&'static [usize]; 4]; 2],
    /// N0's procedure on a list of training sets, memoised (N1, N3, N4 start from it).
    n0: HashMap<Vec<String>, (Model, f64)>,
}

impl<'a> Table<'a> {
    fn on(&self, sets: &[&str], reversed: bool) -> Vec<&'a Row> {
        self.rows
            .iter()
            .copied()
            .filter(|r| r.reversed == reversed && sets.contains(&r.set.as_str()))
            .collect()
    }

    fn fit_row(&self, sets: &[&str], ridge: f64, except_doc: Option<(&str, &str)>) -> Model {
        let keep = |r: &&Row| except_doc.is_none_or(|(s, d)| r.set != s || doc_of(&r.at) != d);
        let real: Vec<&Row> = self.on(sets, false).into_iter().filter(keep).collect();
        let neg: Vec<&Row> = self.on(sets, true).into_iter().filter(keep).collect();
        let mut ridges: Ridges = SHIPPED_RIDGE;
        ridges[usize::from(self.embedded)][BeadKind::Null as usize] = ridge;
        Model::fit_with(
            &weighted(&real, &neg, self.neg_weight),
            &SHIPPED,
            &ridges,
            &self.mask,
        )
    }

    /// N0: the ridge by the pooled ECE of the training sets left out one at a time, among
    /// ridges keeping their reversed translations doubtful; the row fitted on all of them.
    fn n0(&mut self, sets: &[&str]) -> (Model, f64) {
        let key: Vec<String> = sets.iter().map(|s| (*s).to_owned()).collect();
        if let Some(m) = self.n0.get(&key) {
            return *m;
        }
        let neg = self.on(sets, true);
        let mut best = (f64::INFINITY, RIDGES[0]);
        for ridge in RIDGES {
            let whole = self.fit_row(sets, ridge, None);
            if mean_cert(&neg, |e| whole.predict(e)) > UNRELATED_MAX && ridge > RIDGES[0] {
                continue;
            }
            let mut pairs = Vec::new();
            for s in sets {
                let others: Vec<&str> = sets.iter().copied().filter(|x| x != s).collect();
                let m = self.fit_row(&others, ridge, None);
                pairs.extend(
                    self.on(&[s], false)
                        .iter()
                        .map(|r| (m.predict(&r.evidence), r.right)),
                );
            }
            let ece = reliability(&pairs).1;
            if ece < best.0 {
                best = (ece, ridge);
            }
        }
        let out = (self.fit_row(sets, best.1, None), best.1);
        self.n0.insert(key, out);
        out
    }

    fn fit(&mut self, cand: Cand, sets: &[&str]) -> Fitted {
        let (model, ridge) = self.n0(sets);
        let plain = Fitted {
            model,
            ridge,
            map: Map::Plain,
        };
        match cand {
            Cand::N0
            | Cand::N2
            | Cand::F1
            | Cand::F2
            | Cand::F3
            | Cand::M1
            | Cand::M2
            | Cand::M3 => plain,
            Cand::N1 | Cand::N1b => Fitted {
                map: Map::Scale(self.text_temperature(sets, ridge, cand == Cand::N1b)),
                ..plain
            },
            Cand::N3 | Cand::N4 => {
                let kappa = self.choose_kappa(cand, sets);
                self.unusual_map(cand, sets, kappa)
            }
        }
    }

    fn unusual_map(&mut self, cand: Cand, sets: &[&str], kappa: f64) -> Fitted {
        let (model, ridge) = self.n0(sets);
        let real = self.on(sets, false);
        let reference = Reference::of(&real);
        let base = real.iter().filter(|r| r.right).count() as f64 / real.len().max(1) as f64;
        let map = if cand == Cand::N3 {
            Map::Temper(reference, kappa)
        } else {
            Map::Shrink(reference, kappa, base)
        };
        Fitted { model, ridge, map }
    }

    /// `κ` of N3 / N4 by the rule's criterion within the training sets' kinds of text.
    fn choose_kappa(&mut self, cand: Cand, sets: &[&str]) -> f64 {
        let groups = groups_within(sets);
        let mut best = (f64::INFINITY, KAPPAS[0]);
        for kappa in KAPPAS {
            let mut excess = Vec::new();
            for g in &groups {
                let train: Vec<&str> = sets.iter().copied().filter(|s| !g.contains(s)).collect();
                if train.is_empty() {
                    continue;
                }
                let f = self.unusual_map(cand, &train, kappa);
                for s in g {
                    excess.push(self.excess(&f, s));
                }
            }
            let c = excess.iter().sum::<f64>() / excess.len().max(1) as f64;
            if c < best.0 {
                best = (c, kappa);
            }
        }
        best.1
    }

    /// N1's `a = 1/√(1 + πσ²/8)`: `σ²` the between-text variance of the logit offsets that make
    /// each training text right on average under the row fitted without it (method of moments);
    /// N1b's (`likelihood`): `σ²` of a Normal random intercept per text by maximum marginal
    /// likelihood on those logits ([`intercept_variance`]).
    fn text_temperature(&self, sets: &[&str], ridge: f64, likelihood: bool) -> f64 {
        let real = self.on(sets, false);
        let mut texts: Vec<(&str, &str)> = real
            .iter()
            .map(|r| (r.set.as_str(), doc_of(&r.at)))
            .collect();
        texts.sort_unstable();
        texts.dedup();
        let mut offsets = Vec::new();
        let mut logits = Vec::new();
        for &(set, doc) in &texts {
            let m = self.fit_row(sets, ridge, Some((set, doc)));
            let zy: Vec<(f64, bool)> = real
                .iter()
                .filter(|r| r.set == set && doc_of(&r.at) == doc)
                .map(|r| (logit(m.predict(&r.evidence)), r.right))
                .collect();
            offsets.push(offset(&zy));
            logits.push(zy);
        }
        if likelihood {
            let var = intercept_variance(&logits);
            println!(
                "  N1b on {} sets: {} texts, σ² {var:.3}",
                sets.len(),
                logits.len()
            );
            return 1.0 / (1.0 + std::f64::consts::PI * var / 8.0).sqrt();
        }
        let n: f64 = offsets.iter().map(|o| o.2).sum();
        let mean = offsets.iter().map(|o| o.0 * o.2).sum::<f64>() / n;
        let spread = offsets
            .iter()
            .map(|o| o.2 * (o.0 - mean).powi(2))
            .sum::<f64>()
            / n;
        let sampling = offsets.iter().map(|o| o.2 * o.1).sum::<f64>() / n;
        let var = (spread - sampling).max(0.0);
        // A text whose null beads are all right (or all wrong) has its offset at the bound and
        // an unbounded sampling variance there: said, since it decides σ².
        let bound = offsets.iter().filter(|o| o.0.abs() > 5.9).count();
        println!(
            "  N1 on {} sets: {} texts ({bound} at the offset's bound), spread {spread:.3}, \
             sampling {sampling:.3}, σ² {var:.3}",
            sets.len(),
            offsets.len()
        );
        1.0 / (1.0 + std::f64::consts::PI * var / 8.0).sqrt()
    }

    /// The excess ECE of set `s`'s real null beads under `f`.
    fn excess(&self, f: &Fitted, s: &str) -> f64 {
        let pairs: Vec<(f64, bool)> = self
            .on(&[s], false)
            .iter()
            .map(|r| (f.predict(&r.evidence), r.right))
            .collect();
        if pairs.is_empty() {
            return 0.0;
        }
        reliability(&pairs).1 - noise_floor(&pairs, 16).0
    }
}

/// The document of a row (`doc#k`) without its damaged-copy number: a text.
fn doc_of(at: &str) -> &str {
    let doc = at.split('\t').next().unwrap_or("");
    doc.rsplit_once('#').map_or(doc, |d| d.0)
}

/// The logit offset that makes `zy` right on average (bisection, within ±6), its sampling
/// variance (1 / Σ p(1 − p) there) and the beads.
fn offset(zy: &[(f64, bool)]) -> (f64, f64, f64) {
    let right = zy.iter().filter(|p| p.1).count() as f64;
    let mean_at = |d: f64| zy.iter().map(|p| sigmoid(p.0 + d)).sum::<f64>();
    let (mut lo, mut hi) = (-6.0, 6.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if mean_at(mid) < right {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let d = (lo + hi) / 2.0;
    let info: f64 = zy
        .iter()
        .map(|p| {
            let q = sigmoid(p.0 + d);
            q * (1.0 - q)
        })
        .sum();
    (d, 1.0 / info.max(1e-3), zy.len() as f64)
}

/// ln σ(x), without overflow.
fn ln_sigmoid(x: f64) -> f64 {
    if x > 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// The variance of a Normal random intercept added to every text's logits (`texts`: each
/// text's logits and labels), by maximum marginal likelihood: `σ` among 0, 0.05, …, 3, the mean
/// by golden-section search for each. Each text's log-likelihood is tabulated once on a grid of
/// intercepts (±10 by 0.05) and read by linear interpolation; the intercept's density is
/// integrated on 41 points over ±4 sd.
fn intercept_variance(texts: &[Vec<(f64, bool)>]) -> f64 {
    const STEP: f64 = 0.05;
    const HALF: usize = 200;
    let table: Vec<Vec<f64>> = texts
        .iter()
        .map(|zy| {
            (0..=2 * HALF)
                .map(|g| {
                    let b = (g as f64 - HALF as f64) * STEP;
                    zy.iter()
                        .map(|&(z, y)| ln_sigmoid(if y { z + b } else { -(z + b) }))
                        .sum()
                })
                .collect()
        })
        .collect();
    let at = |l: &[f64], b: f64| {
        let x = (b / STEP + HALF as f64).clamp(0.0, (2 * HALF) as f64);
        let i = (x.floor() as usize).min(2 * HALF - 1);
        let f = x - i as f64;
        l[i] * (1.0 - f) + l[i + 1] * f
    };
    let nodes: Vec<(f64, f64)> = {
        let raw: Vec<(f64, f64)> = (0..=40)
            .map(|k| {
                let t = -4.0 + 0.2 * k as f64;
                (t, (-t * t / 2.0).exp())
            })
            .collect();
        let sum: f64 = raw.iter().map(|n| n.1).sum();
        raw.into_iter().map(|(t, w)| (t, (w / sum).ln())).collect()
    };
    let ll = |mu: f64, sigma: f64| -> f64 {
        table
            .iter()
            .map(|l| {
                let v: Vec<f64> = nodes
                    .iter()
                    .map(|&(t, lw)| lw + at(l, mu + sigma * t))
                    .collect();
                let top = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                top + v.iter().map(|x| (x - top).exp()).sum::<f64>().ln()
            })
            .sum()
    };
    let mut best = (f64::NEG_INFINITY, 0.0);
    for k in 0..=60 {
        let sigma = 0.05 * k as f64;
        let (mut lo, mut hi) = (-5.0f64, 5.0f64);
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..50 {
            let (a, b) = (hi - g * (hi - lo), lo + g * (hi - lo));
            if ll(a, sigma) < ll(b, sigma) {
                lo = a;
            } else {
                hi = b;
            }
        }
        let v = ll((lo + hi) / 2.0, sigma);
        if v > best.0 {
            best = (v, sigma);
        }
    }
    best.1 * best.1
}

/// The kinds of text ([`GROUPS`]) restricted to `sets`, empty ones dropped.
fn groups_within<'s>(sets: &[&'s str]) -> Vec<Vec<&'s str>> {
    GROUPS
        .iter()
        .map(|g| {
            sets.iter()
                .copied()
                .filter(|s| g.contains(s))
                .collect::<Vec<_>>()
        })
        .filter(|g: &Vec<&str>| !g.is_empty())
        .collect()
}

fn mean_cert(rows: &[&Row], p: impl Fn(&Evidence) -> f64) -> f64 {
    rows.iter().map(|r| p(&r.evidence)).sum::<f64>() / rows.len().max(1) as f64
}

/// N2's columns, for the null beads of a copy of `rows`: the least margin over the bead's run of
/// null beads, and the lesser of the two nearest paired beads' lexical score (with vectors:
/// `1 − r`). Held for the study in two columns a null bead leaves at 0 (its lexical score and
/// lexical member score, 1 and 22); the shipped code would give them fields of their own.
fn augmented(rows: &[&Row]) -> Vec<Row> {
    let mut out: Vec<Row> = rows.iter().map(|r| (*r).clone()).collect();
    let mut start = 0;
    while start < out.len() {
        let key = |r: &Row| {
            (
                r.set.clone(),
                r.reversed,
                r.evidence.semantic.is_some(),
                r.at.split('\t').next().unwrap_or("").to_owned(),
            )
        };
        let k0 = key(&out[start]);
        let mut end = start;
        while end < out.len() && key(&out[end]) == k0 {
            end += 1;
        }
        augment_path(&mut out[start..end]);
        start = end;
    }
    out
}

fn augment_path(path: &mut [Row]) {
    let null = |r: &Row| r.evidence.kind == BeadKind::Null;
    let strength = |r: &Row| match r.evidence.semantic {
        Some(s) => s.similarity,
        None => r.evidence.lex,
    };
    let n = path.len();
    let mut k = 0;
    while k < n {
        if !null(&path[k]) {
            k += 1;
            continue;
        }
        let mut end = k;
        while end < n && null(&path[end]) {
            end += 1;
        }
        let least = path[k..end]
            .iter()
            .map(|r| r.evidence.margin)
            .fold(f32::INFINITY, f32::min);
        let before = path[..k].iter().rev().find(|r| !null(r)).map(strength);
        let after = path[end..].iter().find(|r| !null(r)).map(strength);
        let weaker = match (before, after) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => 0.0,
        };
        for r in &mut path[k..end] {
            r.evidence.lex = least;
            r.evidence.member = weaker;
        }
        k = end;
    }
}

/// The rule (see the module documentation), for the null row of each table, then the held-out
/// figures of every candidate (which do not change the decision). Returns, per table, the
/// pick's row when a row can hold it (N1's folded temperature, M's columns), for the caller to
/// ship.
pub(crate) fn null_rows_rule(all: &[Row], neg_weight: f64) -> [Option<([f64; FEATURES], f64)>; 2] {
    let mut picks = [None, None];
    let aug_all = augmented(&all.iter().collect::<Vec<_>>());
    let free_all = against_free(all);
    for embedded in [false, true] {
        let of = |r: &&Row| {
            r.evidence.kind == BeadKind::Null && r.evidence.semantic.is_some() == embedded
        };
        let plain: Vec<&Row> = all.iter().filter(of).collect();
        if !plain.iter().any(|r| FIT_SETS.contains(&r.set.as_str())) {
            continue;
        }
        let aug: Vec<&Row> = aug_all.iter().filter(of).collect();
        let free: Vec<&Row> = free_all.iter().filter(of).collect();
        let by = |c: Cand| -> &[&Row] {
            match c.source() {
                Source::Plain => &plain,
                Source::Aug => &aug,
                Source::Free => &free,
            }
        };
        let name = if embedded { "e5" } else { "model-free" };
        println!(
            "\nnull row ({name}), session 16's rule: each fit set predicted by the candidate fitted \
             without its kind of text; excess ECE (ECE − a calibrated model's mean ECE):\n"
        );
        // A dump without the first pass's agreement (the aligner computes none model-free since
        // session 17) has 0 in every `doc_agree` (1 in an alignment without null beads).
        let first = plain.iter().any(|r| r.evidence.doc_agree > 0.0);
        if !first {
            println!("(no first pass's agreement in this dump: F not judged for {name})\n");
        }
        let results: Vec<Outcome> = candidates(embedded, first)
            .into_iter()
            .map(|cand| judge(cand, by(cand), embedded, neg_weight))
            .collect();
        let base = results[0].criterion;
        let adopted = |o: &Outcome| {
            o.cand != Cand::N0 && o.criterion <= base - MARGIN && o.doubt <= UNRELATED_MAX
        };
        println!(
            "| candidate | {} | criterion | reversed `cert` (all seven) | choice | adopted |",
            FIT_SETS.join(" | ")
        );
        println!("| --- |{}", " --- |".repeat(FIT_SETS.len() + 4));
        for o in &results {
            let choice = match o.fitted.map {
                Map::Plain => format!("ridge {}", o.fitted.ridge),
                Map::Scale(a) => format!("ridge {}, a {a:.3}", o.fitted.ridge),
                Map::Temper(_, k) | Map::Shrink(_, k, _) => {
                    format!("ridge {}, κ {k}", o.fitted.ridge)
                }
            };
            let cells: Vec<String> = o.per_set.iter().map(|e| format!("{e:.4}")).collect();
            println!(
                "| {} | {} | {:.4} | {:.3} | {choice} | {} |",
                o.cand.label(),
                cells.join(" | "),
                o.criterion,
                o.doubt,
                match (o.cand, adopted(o)) {
                    (Cand::N0, _) => "baseline",
                    (_, true) => "yes",
                    (_, false) => "no",
                }
            );
        }
        let pick = results
            .iter()
            .filter(|o| adopted(o))
            .min_by(|a, b| a.criterion.total_cmp(&b.criterion));
        match pick {
            Some(o) => {
                println!(
                    "\nrule ({name}): {} adopted ({:.4} against N0's {base:.4})",
                    o.cand.label(),
                    o.criterion
                );
                let table = if embedded {
                    o.fitted.model.embedded
                } else {
                    o.fitted.model.free
                };
                let row = table[BeadKind::Null as usize];
                // A row ships when its features are in `Evidence` (M's, since session 17) and
                // its map folds into it (N1's temperature).
                match (o.cand, o.fitted.map) {
                    (Cand::N1 | Cand::N1b, Map::Scale(a)) => {
                        picks[usize::from(embedded)] = Some((row.map(|w| w * a), o.fitted.ridge));
                    }
                    (Cand::M1 | Cand::M2 | Cand::M3, Map::Plain) => {
                        picks[usize::from(embedded)] = Some((row, o.fitted.ridge));
                    }
                    _ => println!("  (needs code in the library before it can ship)"),
                }
            }
            None => println!(
                "\nrule ({name}): no candidate adopted (N0's criterion {base:.4}); the null row \
                 stays as keep_or_replace leaves it"
            ),
        }
        held_out(&results, &by, embedded);
    }
    picks
}

/// A candidate judged by the rule: each fit set's excess ECE (in [`FIT_SETS`] order), their
/// mean, the fit sets' reversed translations' mean `cert` under it fitted on all seven, and
/// that fit.
struct Outcome {
    cand: Cand,
    per_set: Vec<f64>,
    criterion: f64,
    doubt: f64,
    fitted: Fitted,
}

/// The rule's figures of one candidate on one table's null beads (`rows`).
fn judge(cand: Cand, rows: &[&Row], embedded: bool, neg_weight: f64) -> Outcome {
    let mut table = Table {
        rows: rows.to_vec(),
        embedded,
        neg_weight,
        mask: cand.mask(),
        n0: HashMap::new(),
    };
    let per_set: Vec<f64> = FIT_SETS
        .iter()
        .map(|s| {
            let group = GROUPS
                .iter()
                .find(|g| g.contains(s))
                .copied()
                .unwrap_or(&[]);
            let train: Vec<&str> = FIT_SETS
                .iter()
                .copied()
                .filter(|x| !group.contains(x))
                .collect();
            let f = table.fit(cand, &train);
            table.excess(&f, s)
        })
        .collect();
    let criterion = per_set.iter().sum::<f64>() / per_set.len() as f64;
    let fitted = table.fit(cand, &FIT_SETS);
    let doubt = mean_cert(&table.on(&FIT_SETS, true), |e| fitted.predict(e));
    Outcome {
        cand,
        per_set,
        criterion,
        doubt,
        fitted,
    }
}

/// The held-out sets' real null beads under every candidate fitted on all seven fit sets.
fn held_out<'r>(results: &[Outcome], by: &dyn Fn(Cand) -> &'r [&'r Row], embedded: bool) {
    let held = |rows: &[&Row]| -> Vec<Row> {
        rows.iter()
            .filter(|r| !r.reversed && !FIT_SETS.contains(&r.set.as_str()))
            .map(|r| (*r).clone())
            .collect()
    };
    let hp = held(by(Cand::N0));
    let mut sets: Vec<&str> = hp.iter().map(|r| r.set.as_str()).collect();
    sets.sort_unstable();
    sets.dedup();
    println!(
        "\nheld out after the decision ({}), null beads: pooled ECE, then per set ECE / mean cert (right):\n",
        if embedded { "e5" } else { "model-free" }
    );
    println!("| candidate | pooled | {} |", sets.join(" | "));
    println!("| --- | --- |{}", " --- |".repeat(sets.len()));
    for o in results {
        let (cand, f) = (o.cand, &o.fitted);
        let mine = held(by(cand));
        let rows = if cand.source() == Source::Plain {
            &hp
        } else {
            &mine
        };
        let pairs = |s: Option<&str>| -> Vec<(f64, bool)> {
            rows.iter()
                .filter(|r| s.is_none_or(|s| r.set == s))
                .map(|r| (f.predict(&r.evidence), r.right))
                .collect()
        };
        let cells: Vec<String> = sets
            .iter()
            .map(|s| {
                let p = pairs(Some(s));
                let n = p.len().max(1) as f64;
                format!(
                    "{:.3} / {:.2} ({:.2})",
                    reliability(&p).1,
                    p.iter().map(|x| x.0).sum::<f64>() / n,
                    p.iter().filter(|x| x.1).count() as f64 / n
                )
            })
            .collect();
        println!(
            "| {} | {:.4} | {} |",
            cand.label(),
            reliability(&pairs(None)).1,
            cells.join(" | ")
        );
    }
}

/// An alignment's beads as their source and target sentences.
type Beads = Vec<(Vec<usize>, Vec<usize>)>;

/// The bead of a row's `at` (`doc#k\t[1,2]:[3]`) as its source and target sentences.
fn bead_of(at: &str) -> Option<(Vec<usize>, Vec<usize>)> {
    let bead = at.split('\t').nth(1)?;
    let (a, b) = bead.split_once(':')?;
    let list = |x: &str| -> Option<Vec<usize>> {
        let inner = x.strip_prefix('[')?.strip_suffix(']')?;
        inner
            .split(',')
            .filter(|v| !v.is_empty())
            .map(|v| v.parse().ok())
            .collect()
    };
    Some((list(a)?, list(b)?))
}

/// A copy of `rows` in which every e5 bead's agreement columns (`agree`, `agree_far`,
/// `doc_agree`) are measured against the model-free alignment of the same text (the same set,
/// document or damaged copy, reversed or not) instead of the search's first pass: M's features.
fn against_free(rows: &[Row]) -> Vec<Row> {
    let key = |r: &Row| {
        (
            r.set.clone(),
            r.reversed,
            r.at.split('\t').next().unwrap_or("").to_owned(),
        )
    };
    let mut free: HashMap<(String, bool, String), Beads> = HashMap::new();
    for r in rows.iter().filter(|r| r.evidence.semantic.is_none()) {
        if let Some(b) = bead_of(&r.at) {
            free.entry(key(r)).or_default().push(b);
        }
    }
    let mut out: Vec<Row> = rows.to_vec();
    let mut start = 0;
    while start < out.len() {
        let k0 = (key(&out[start]), out[start].evidence.semantic.is_some());
        let mut end = start;
        while end < out.len() && (key(&out[end]), out[end].evidence.semantic.is_some()) == k0 {
            end += 1;
        }
        if k0.1 {
            let this: Beads = out[start..end]
                .iter()
                .filter_map(|r| bead_of(&r.at))
                .collect();
            match free.get(&k0.0) {
                Some(other) if this.len() == end - start => {
                    let sp = |b: &Beads| -> Vec<Span> {
                        spans(b.iter().map(|(s, t)| (s.as_slice(), t.as_slice())))
                    };
                    let (mine, theirs) = (sp(&this), sp(other));
                    let n = mine.iter().chain(&theirs).map(|x| x.1).max().unwrap_or(0);
                    let m = mine.iter().chain(&theirs).map(|x| x.3).max().unwrap_or(0);
                    let mut ev: Vec<Evidence> =
                        out[start..end].iter().map(|r| r.evidence).collect();
                    set_agreement(&mut ev, mine, &OtherPath::of(theirs, n, m));
                    for (r, e) in out[start..end].iter_mut().zip(ev) {
                        r.evidence = e;
                    }
                }
                _ => println!("{:?}: no model-free alignment beside the e5 one", k0.0),
            }
        }
        start = end;
    }
    out
}
