//! The evidence of each bead of a path: what the confidence model of the parent module weighs
//! (the bead's own similarity, its neighbourhood, the length model, runs of omissions and, with
//! sentence vectors, the semantic scores). Apart from the model because it reads the aligner's
//! path and features, while the model only maps numbers to a probability.

use super::{BeadKind, Evidence, SemanticEvidence};
use crate::align::lexicon::{Weighted, overlap};
use crate::align::search::RawBead;
use crate::align::semantic::Semantic;
use rayon::prelude::*;

/// Beads on each side whose similarity makes the neighbourhood features.
const NEIGHBOURS: usize = 5;
/// Beads on each side whose similarity makes the wide neighbourhood feature.
const WIDE: usize = 50;

/// √δ² (capped at √50) and the characters of the bead given as (source start, source end,
/// target start, target end).
pub(crate) type LengthDev<'a> = &'a (dyn Fn(usize, usize, usize, usize) -> (f32, f32) + Sync);

/// The evidence of each bead of a path (in order), given the sentences' lexical features, the
/// length model and, when the search used them, the sentence vectors.
pub(crate) fn evidence(
    path: &[RawBead],
    feats: &Weighted,
    dev: LengthDev<'_>,
    sem: Option<&Semantic<'_>>,
) -> Vec<Evidence> {
    // By shape, not by search type: a bead fixed by a person may have any shape.
    let kind = |b: &RawBead| BeadKind::of(b.s1 - b.s0, b.t1 - b.t0);
    let paired = |b: &RawBead| kind(b) != BeadKind::Null;
    let mean = |v: &mut dyn Iterator<Item = f32>| {
        let (s, n) = v.fold((0.0f64, 0usize), |(s, n), x| (s + f64::from(x), n + 1));
        if n == 0 { 0.0 } else { (s / n as f64) as f32 }
    };
    let total = clue_total;
    let sim = |i: usize, j: usize| pair_similarity(feats, i, j);
    let cum = paired_prefix(path);
    let runs = null_runs(path);
    let doc_nulls = if path.is_empty() {
        0.0
    } else {
        path.iter().filter(|b| !paired(b)).count() as f32 / path.len() as f32
    };
    let mut out: Vec<Evidence> = (0..path.len())
        .into_par_iter()
        .map(|k| {
            let (wlo, whi) = (k.saturating_sub(WIDE), (k + WIDE + 1).min(path.len()));
            let (ws, wn) = (cum[whi].0 - cum[wlo].0, cum[whi].1 - cum[wlo].1);
            let wide = if wn == 0 {
                0.0
            } else {
                (ws / wn as f64) as f32
            };
            let lo = k.saturating_sub(NEIGHBOURS);
            let hi = (k + NEIGHBOURS + 1).min(path.len());
            let around = mean(
                &mut (lo..hi)
                    .filter(|&x| x != k && paired(&path[x]))
                    .map(|x| path[x].lex),
            );
            let before = path[..k].iter().rev().find(|b| paired(b)).map(|b| b.lex);
            let after = path[k + 1..].iter().find(|b| paired(b)).map(|b| b.lex);
            let adjacent = mean(&mut before.into_iter().chain(after));
            let others = hi - lo - 1;
            let nulls = (lo..hi).filter(|&x| x != k && !paired(&path[x])).count();
            let b = &path[k];
            Evidence {
                wide,
                rival: rival(b, &sim, 1, 0.0).max(crossing(path, k, &sim, 0.0)),
                merge_gain: merge_gain(path, k, dev),
                size: dev(b.s0, b.s1, b.t0, b.t1).1.ln_1p(),
                clues: ((b.s0..b.s1).map(|i| total(&feats.src, i)).sum::<f32>()
                    + (b.t0..b.t1).map(|j| total(&feats.tgt, j)).sum::<f32>())
                .ln_1p(),
                kind: kind(b),
                lex: b.lex,
                around,
                adjacent,
                length: b.d2.min(50.0).sqrt(),
                nulls_around: if others == 0 {
                    0.0
                } else {
                    nulls as f32 / others as f32
                },
                null_run: if paired(b) {
                    0.0
                } else {
                    (runs[k].len as f32).ln_1p()
                },
                run_edge: (runs[k].from_edge as f32).ln_1p(),
                at_edge: if !paired(b) && runs[k].from_edge == 0 {
                    1.0
                } else {
                    0.0
                },
                two_sided: if runs[k].two_sided { 1.0 } else { 0.0 },
                doc_nulls,
                member: lexical_member(b, &sim),
                doc_noclue: 0.0,
                margin: 0.0,
                agree: 0.0,
                agree_far: 0.0,
                doc_agree: 0.0,
                semantic: sem.map(|s| semantic_evidence(path, k, s)),
            }
        })
        .collect();
    document_pairing(&mut out);
    out
}

/// Sets every bead's document features from the 1-1 beads of the whole alignment: their share
/// without a shared clue and (with vectors) their mean `1 − r`. How well a text pairs up at all
/// tells unrelated text (an aligner that lost its way) from a translation, whatever share of it
/// is left unpaired. Run again by a caller that assembles an alignment's evidence from pieces.
pub(crate) fn document_pairing(evidence: &mut [Evidence]) {
    let (mut n, mut noclue) = (0usize, 0usize);
    let (mut with_vectors, mut sem) = (0usize, 0.0f64);
    for e in evidence.iter().filter(|e| e.kind == BeadKind::OneOne) {
        n += 1;
        noclue += usize::from(e.lex <= 0.0);
        // A bead fixed by a person carries no semantic score of its own.
        if let Some(s) = e.semantic {
            with_vectors += 1;
            sem += f64::from(s.similarity);
        }
    }
    let mean = |x: f64, n: usize| if n == 0 { 0.0 } else { (x / n as f64) as f32 };
    let (noclue, sem) = (mean(noclue as f64, n), mean(sem, with_vectors));
    for e in evidence {
        e.doc_noclue = noclue;
        if let Some(s) = e.semantic.as_mut() {
            s.doc_similarity = sem;
        }
    }
}

/// For a paired bead: the least, over its sentences, of the best `sim` of the sentence with a
/// single sentence of the other side of the bead (0 for a null bead).
fn lexical_member(b: &RawBead, sim: &impl Fn(usize, usize) -> f32) -> f32 {
    if b.s1 == b.s0 || b.t1 == b.t0 {
        return 0.0;
    }
    let best_src = (b.s0..b.s1).map(|i| (b.t0..b.t1).map(|j| sim(i, j)).fold(0.0, f32::max));
    let best_tgt = (b.t0..b.t1).map(|j| (b.s0..b.s1).map(|i| sim(i, j)).fold(0.0, f32::max));
    best_src.chain(best_tgt).fold(f32::INFINITY, f32::min)
}

/// The clue weight of sentence `k` (0 past the end).
fn clue_total(c: &crate::align::lexicon::Csr, k: usize) -> f32 {
    if k < c.len() {
        c.get(k).1.iter().map(|w| w.abs()).sum()
    } else {
        0.0
    }
}

/// The lexical score (0–1) of source sentence `i` against target sentence `j` alone.
fn pair_similarity(feats: &Weighted, i: usize, j: usize) -> f32 {
    if i >= feats.src.len() || j >= feats.tgt.len() {
        return 0.0;
    }
    let t = clue_total(&feats.src, i) + clue_total(&feats.tgt, j);
    if t <= 0.0 {
        0.0
    } else {
        (2.0 * overlap(feats.src.get(i), feats.tgt.get(j)) / t).min(1.0)
    }
}

/// Prefix sums of the lexical score and the number of paired beads along the path, for the
/// wide neighbourhood of every bead.
fn paired_prefix(path: &[RawBead]) -> Vec<(f64, usize)> {
    let mut cum = Vec::with_capacity(path.len() + 1);
    cum.push((0.0f64, 0usize));
    for b in path {
        let (s, n) = cum[cum.len() - 1];
        cum.push(
            if BeadKind::of(b.s1 - b.s0, b.t1 - b.t0) != BeadKind::Null {
                (s + f64::from(b.lex), n + 1)
            } else {
                (s, n)
            },
        );
    }
    cum
}

/// Where a bead stands in its run of consecutive null beads (all zero for a paired bead).
#[derive(Debug, Clone, Copy, Default)]
struct RunPlace {
    /// Beads in the run.
    len: usize,
    /// Null beads between this one and the nearer end of the run.
    from_edge: usize,
    /// Whether the run holds both 1-0 and 0-1 beads.
    two_sided: bool,
}

/// For each bead: its place in the run of consecutive null beads it belongs to.
fn null_runs(path: &[RawBead]) -> Vec<RunPlace> {
    let null = |b: &RawBead| b.s1 == b.s0 || b.t1 == b.t0;
    let mut out = vec![RunPlace::default(); path.len()];
    let mut k = 0;
    while k < path.len() {
        if !null(&path[k]) {
            k += 1;
            continue;
        }
        let end = (k..path.len())
            .find(|&x| !null(&path[x]))
            .unwrap_or(path.len());
        let run = &path[k..end];
        let two_sided = run.iter().any(|b| b.s1 > b.s0) && run.iter().any(|b| b.t1 > b.t0);
        for (x, place) in out[k..end].iter_mut().enumerate() {
            *place = RunPlace {
                len: end - k,
                from_edge: x.min(end - k - 1 - x),
                two_sided,
            };
        }
        k = end;
    }
    out
}

/// Sentences on the other side, either side of where a null bead stands, that may be its
/// counterpart (the aligner may have put it one or two beads off).
const NULL_REACH: usize = 2;

/// The semantic evidence of bead `path[k]`.
fn semantic_evidence(path: &[RawBead], k: usize, s: &Semantic<'_>) -> SemanticEvidence {
    let b = &path[k];
    // The path covers both texts in order: its last bead ends where they end.
    let (n, m) = path.last().map_or((0, 0), |x| (x.s1, x.t1));
    // `1 − r` of source sentence i and target sentence j alone.
    let one = |i: usize, j: usize| -> f32 {
        if i >= n || j >= m {
            return f32::NEG_INFINITY;
        }
        1.0 - s.ratio(s.pair(i, j), i + 1, 1, j + 1, 1)
    };
    let best = rival(b, &one, NULL_REACH, f32::NEG_INFINITY).max(crossing(
        path,
        k,
        &one,
        f32::NEG_INFINITY,
    ));
    let lo = k.saturating_sub(NEIGHBOURS);
    let hi = (k + NEIGHBOURS + 1).min(path.len());
    let (sum, count) = (lo..hi)
        .filter(|&x| x != k)
        .filter_map(|x| path[x].sem)
        .fold((0.0f32, 0usize), |(a, c), r| (a + 1.0 - r, c + 1));
    let (member, inner) = members(b, s);
    SemanticEvidence {
        similarity: b.sem.map_or(0.0, |r| 1.0 - r),
        rival: if best.is_finite() { best } else { -1.0 },
        around: if count == 0 { 0.0 } else { sum / count as f32 },
        member,
        inner,
        text: 1.0 - s.threshold(),
        doc_similarity: 0.0,
    }
}

/// For a paired bead: the least `1 − r` of one of its sentences against the other side's
/// block, and the best `1 − r` of a single pair of its sentences (both 0 for a null bead, and
/// the bead's own for a side of more sentences than the search's blocks hold).
fn members(b: &RawBead, s: &Semantic<'_>) -> (f32, f32) {
    let (a, c) = (b.s1 - b.s0, b.t1 - b.t0);
    if a == 0 || c == 0 {
        return (0.0, 0.0);
    }
    let own = b.sem.map_or(0.0, |r| 1.0 - r);
    if a > crate::align::search::MAXK || c > crate::align::search::MAXK {
        return (own, own);
    }
    let mut member = f32::INFINITY;
    let mut inner = f32::NEG_INFINITY;
    for i in b.s0..b.s1 {
        let row: f32 = (b.t0..b.t1).map(|j| s.pair(i, j)).sum();
        member = member.min(1.0 - s.ratio(row, i + 1, 1, b.t1, c));
        for j in b.t0..b.t1 {
            inner = inner.max(1.0 - s.ratio(s.pair(i, j), i + 1, 1, j + 1, 1));
        }
    }
    for j in b.t0..b.t1 {
        let column: f32 = (b.s0..b.s1).map(|i| s.pair(i, j)).sum();
        member = member.min(1.0 - s.ratio(column, b.s1, a, j + 1, 1));
    }
    (member, inner)
}

/// The best similarity (`sim`, or `none` if there is nothing to compare) of a sentence of bead
/// `b` with a sentence of the other side just outside it; for a null bead, with the other
/// side's sentences within `reach` either side of where it stands.
fn rival(b: &RawBead, sim: &impl Fn(usize, usize) -> f32, reach: usize, none: f32) -> f32 {
    let mut best = none;
    let before = |x: usize| x.checked_sub(1);
    if b.s1 > b.s0 && b.t1 > b.t0 {
        for j in b.t0..b.t1 {
            for i in before(b.s0).into_iter().chain([b.s1]) {
                best = best.max(sim(i, j));
            }
        }
        for i in b.s0..b.s1 {
            for j in before(b.t0).into_iter().chain([b.t1]) {
                best = best.max(sim(i, j));
            }
        }
    } else {
        for i in b.s0..b.s1 {
            for j in b.t0.saturating_sub(reach)..b.t0 + reach {
                best = best.max(sim(i, j));
            }
        }
        for j in b.t0..b.t1 {
            for i in b.s0.saturating_sub(reach)..b.s0 + reach {
                best = best.max(sim(i, j));
            }
        }
    }
    best
}

/// Beads either side of a null bead whose unpaired sentences may be its counterpart.
const CROSS_REACH: usize = 10;

/// For a null bead `path[k]`: the best similarity (`sim`, or `none`) of its sentences with the
/// other side's sentences of the null beads within [`CROSS_REACH`] beads (`none` for a paired
/// bead). The search keeps both texts in order, so a sentence moved against its translation
/// (a crossing) comes out as two null beads whose sentences match.
fn crossing(path: &[RawBead], k: usize, sim: &impl Fn(usize, usize) -> f32, none: f32) -> f32 {
    let b = &path[k];
    let mut best = none;
    if b.s1 > b.s0 && b.t1 > b.t0 {
        return best;
    }
    let lo = k.saturating_sub(CROSS_REACH);
    let hi = (k + CROSS_REACH + 1).min(path.len());
    for o in path[lo..hi].iter().filter(|o| o.s1 == o.s0 || o.t1 == o.t0) {
        for i in b.s0..b.s1 {
            for j in o.t0..o.t1 {
                best = best.max(sim(i, j));
            }
        }
        for j in b.t0..b.t1 {
            for i in o.s0..o.s1 {
                best = best.max(sim(i, j));
            }
        }
    }
    best
}

/// For a null bead `path[k]`: the best gain in √δ² of a paired neighbour that takes its
/// sentence in (0 for a paired bead, or without a paired neighbour).
fn merge_gain(path: &[RawBead], k: usize, dev: LengthDev<'_>) -> f32 {
    let b = &path[k];
    let paired = |x: &RawBead| x.s1 > x.s0 && x.t1 > x.t0;
    if paired(b) {
        return 0.0;
    }
    let mut best = f32::NEG_INFINITY;
    let before = k.checked_sub(1).map(|x| &path[x]);
    for nb in before
        .into_iter()
        .chain(path.get(k + 1))
        .filter(|x| paired(x))
    {
        let now = dev(nb.s0, nb.s1, nb.t0, nb.t1).0;
        let merged = dev(
            nb.s0.min(b.s0),
            nb.s1.max(b.s1),
            nb.t0.min(b.t0),
            nb.t1.max(b.t1),
        )
        .0;
        best = best.max(now - merged);
    }
    if best.is_finite() { best } else { 0.0 }
}

/// The evidence of a 1-0 or 0-1 bead without evidence of its own or around it (a sentence
/// left alone only because nothing remains to pair it with).
pub(crate) fn unsupported_null() -> Evidence {
    Evidence {
        nulls_around: 1.0,
        ..Evidence::none(BeadKind::Null)
    }
}

/// The evidence recorded for a bead fixed by a person: the search did not weigh it, so it has
/// no scores, only its kind (its confidence is the person's, not the model's).
pub(crate) fn fixed_evidence(b: &crate::model::Bead) -> Evidence {
    Evidence::none(BeadKind::of(b.src.len(), b.tgt.len()))
}
