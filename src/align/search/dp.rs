//! The dynamic programme proper: the best path of beads through a band, with runs of nulls
//! priced as one event (affine gaps) when asked.

use super::band::Band;
use super::levels::Level;
use super::params::{Params, length_cost, length_d2};
use super::reuse::{Kept, NullInputs, Restart, copying};
use super::{MAXK, RawBead, TYPES};
use crate::align::lexicon::{Csr, overlap};
use crate::align::semantic::Semantic;
use indicatif::ProgressBar;
use rayon::prelude::*;

/// A state's back pointer: the bead type into it (an index into [`TYPES`]) in these bits, and
/// whether its best 1-0 / 0-1 run state extends a run (rather than opening one) in the next two.
const BEAD_TYPE: u8 = 0x3f;
const GAP_S_EXTENDED: u8 = 0x80;
const GAP_T_EXTENDED: u8 = 0x40;

/// Prefix sums of the total feature weight of each sentence.
fn weight_cum(c: &Csr) -> Vec<f64> {
    let mut v = Vec::with_capacity(c.len() + 1);
    let mut acc = 0.0;
    v.push(0.0);
    for k in 0..c.len() {
        acc += c.get(k).1.iter().map(|&w| f64::from(w.abs())).sum::<f64>();
        v.push(acc);
    }
    v
}

/// A pairwise quantity for every state (i, j) in the band from row `from` on, appended to `flat`:
/// `f(i − 1, j − 1)` for source sentence i−1 against target sentence j−1 (0 on the borders).
fn pair_matrix(
    band: &Band,
    from: usize,
    mut flat: Vec<f32>,
    f: impl Fn(usize, usize) -> f32 + Sync,
) -> Vec<f32> {
    let n = band.lo.len() - 1;
    const CHUNK: usize = 512;
    let start = flat.len();
    flat.resize(band.states(), 0.0);
    // Cut the rows still to compute into chunks of whole rows, filled in parallel in place.
    let mut pieces: Vec<(usize, &mut [f32])> = Vec::new();
    let mut rest = &mut flat[start..];
    let mut i = from;
    while i <= n {
        let end = (i + CHUNK).min(n + 1);
        let len = band.off[end] - band.off[i];
        let (head, tail) = rest.split_at_mut(len);
        pieces.push((i, head));
        rest = tail;
        i = end;
    }
    pieces.into_par_iter().for_each(|(first, out)| {
        let mut k = 0;
        let mut i = first;
        while k < out.len() {
            for j in band.lo[i]..=band.hi[i] {
                if i > 0 && j > 0 {
                    out[k] = f(i - 1, j - 1);
                }
                k += 1;
            }
            i += 1;
        }
    });
    flat
}

/// The tables of one search, kept so that a search in a widened band can start where the band
/// first changed.
pub(crate) struct Tables {
    pub(super) band: Band,
    /// Path costs, each row relative to its smallest entry: summed over a million beads the path
    /// cost reaches tens of millions, where an f32 cannot tell two paths apart by less than a
    /// few units.
    pub(super) cost: Vec<f32>,
    /// Per row, its smallest cost relative to the row before: a bead from row i − a into row i
    /// is shifted by the sum of the `least` of the rows between, a few terms, exact in f64
    /// (so a row's costs depend only on the rows it is computed from, not on where the path
    /// cost stands: see [`Old`](super::reuse::Old)).
    pub(super) least: Vec<f32>,
    pub(super) back: Vec<u8>,
    pub(super) lex: Vec<f32>,
    /// Semantic pair products per state (empty without vectors).
    pub(super) sem: Vec<f32>,
    /// With affine gaps: `gap_rows[k]` holds the 1-0 run states of row `k × GAP_CHECKPOINT − 1`,
    /// from which a search in a widened band restarts (the rows after it are recomputed).
    pub(super) gap_rows: Vec<Vec<f32>>,
    /// The per-sentence null costs the search used ([`NullInputs`]), to tell which rows a
    /// widened band changes.
    pub(super) nulls: NullInputs,
    /// Rows copied from the previous search rather than computed (see [`Old`](super::reuse::Old)).
    pub(super) copied: usize,
}

/// Rows between the saved 1-0 run states of [`Tables::gap_rows`].
pub(crate) const GAP_CHECKPOINT: usize = 64;

/// The dynamic programme proper. With `prev` (a search in a band that differs only from some row
/// on), the rows before that are copied rather than recomputed.
pub(super) fn dp(
    level: &Level<'_>,
    p: &Params,
    band: Band,
    prev: Option<Tables>,
    progress: Option<&ProgressBar>,
) -> (Vec<RawBead>, Tables) {
    let n = level.n();
    let m = level.m();
    // Runs of nulls priced exactly (affine gaps, below) keep their run states for the current
    // and the previous row, and every `GAP_CHECKPOINT` rows: a search in a widened band
    // restarts from the last checkpoint before the first changed row.
    let gap = p.null_extend.is_finite();
    // A search in a widened band takes over the previous search's rows (see `reuse`).
    let Restart {
        changed: from,
        from: d_from,
        mut lex,
        sem: mut semm,
        mut cost,
        mut back,
        mut least,
        mut gap_rows,
        gap_start,
        kept: reuse,
        old_rows,
    } = match prev {
        Some(t) => Restart::after(t, &band, gap, n),
        None => Restart::fresh(),
    };
    let band = &band;
    let lex_from = from.min(n + 1);
    let from = if gap { d_from.min(from) } else { from };
    if crate::align::timing::enabled() && from > 0 {
        eprintln!("[timing]     dp restarts at row {from} of {n}");
    }
    if lex_from <= n {
        (lex, semm) = pair_values(level, band, lex_from, (lex, semm), reuse);
    }
    debug_assert_eq!(lex.len(), band.states());
    let sem = level.sem.filter(|_| p.sem_weight > 0.0);
    let sw = weight_cum(&level.feats.src);
    let tw = weight_cum(&level.feats.tgt);
    cost.resize(band.states(), f32::INFINITY);
    back.resize(band.states(), u8::MAX);
    if from == 0 {
        cost[0] = 0.0;
    }
    let bounds = match (level.src_bound, level.tgt_bound) {
        (Some(s), Some(t)) => Some((s, t)),
        _ => None,
    };
    if let Some(pb) = progress {
        pb.set_length(n as u64 + 1);
        pb.set_position(0);
    }
    let var = p.var;
    // Whether a paired bead may be left unpriced once its cost, lexical bonus counted, cannot
    // beat the best bead into the state (below): without vectors, nothing else lowers it.
    let prune = sem.is_none() && p.lambda >= 0.0;
    let (lex_s, lex_t) = if p.lex_null != 0.0 {
        lex_null_costs(band, &lex, &sw, &tw, p)
    } else {
        (Vec::new(), Vec::new())
    };
    // The semantic null cost depends on the sentence alone (`Semantic::null_cost`), not on
    // the band: nothing of it to compare.
    let nulls = NullInputs { lex_s, lex_t };
    let (lex_s, lex_t) = (&nulls.lex_s, &nulls.lex_t);
    let old = old_rows
        .filter(|_| from > 0 && copying())
        .map(|o| o.into_old(band, &nulls, m));
    // What a null bead of source sentence i − 1 (a = 1) or target sentence j − 1 (a = 0) costs
    // besides its prior: its length, and what the lexical and semantic evidence say.
    let null_extra = |a: usize, i: usize, j: usize, d2: f32| -> f32 {
        let mut c = p.null_len * length_cost(d2);
        if let Some(s) = sem {
            c += if a == 0 {
                s.null_cost(false, j - 1)
            } else {
                s.null_cost(true, i - 1)
            };
        }
        if p.lex_null != 0.0 {
            c += if a == 0 { lex_t[j - 1] } else { lex_s[i - 1] };
        }
        c
    };
    // Per row: 2-D prefix sums of the lexical (and semantic) matrix over rows i, i−1, …, so the
    // sum of any bead type is two look-ups.
    let mut dense: Vec<Vec<f32>> = vec![Vec::new(); MAXK];
    let mut q: Vec<Vec<f32>> = vec![Vec::new(); MAXK];
    let mut qs: Vec<Vec<f32>> = vec![Vec::new(); MAXK];
    // Affine gaps (Gotoh): the best cost of a path into each state of this row whose last bead
    // is 0-1 (`gap_t`), and of this and the previous row whose last bead is 1-0 (`gap_s`,
    // `gap_s_prev`), so that a run of nulls opens once at the prior and every further null
    // costs `null_extend`, whatever the best path into the previous state was.
    let (mut gap_t, mut gap_s, mut gap_s_prev) = (Vec::new(), Vec::new(), gap_start);
    let mut copied = 0;
    let mut i = from;
    while i <= n {
        if let Some(o) = &old
            && i.is_multiple_of(GAP_CHECKPOINT)
            && let Some(to) = o.copy_until(
                i,
                (band, &cost, &back, &least),
                gap.then_some(gap_s_prev.as_slice()),
            )
        {
            o.copy_rows(i..to, band, (&mut cost, &mut back, &mut least));
            copied += to - i;
            if gap {
                for x in (i..to).step_by(GAP_CHECKPOINT) {
                    gap_rows.push(o.gap_at(x).cloned().unwrap_or_default());
                }
                gap_s_prev = o.gap_at(to).cloned().unwrap_or_default();
            }
            i = to;
            continue;
        }
        if gap && i.is_multiple_of(GAP_CHECKPOINT) {
            gap_rows.push(gap_s_prev.clone());
        }
        let (lo, hi) = (band.lo[i], band.hi[i]);
        let base = lo.saturating_sub(MAXK + 1);
        row_prefix(band, &lex, i, base, hi, &mut dense, &mut q);
        if sem.is_some() {
            row_prefix(band, &semm, i, base, hi, &mut dense, &mut qs);
        }
        let ratio = f64::from(p.ratio_at(i));
        // This row's costs are computed relative to the previous row's smallest, and each
        // earlier row's costs shifted to that frame by `shift`: every sum stays small.
        // The rows a bead of a source sentences would start from.
        let mut prow = [(0usize, 0usize, 0usize, 0.0f32, 0.0f32, 0.0f32, false); MAXK + 1];
        for (a, pr) in prow.iter_mut().enumerate() {
            if a <= i && a > 0 {
                let pi = i - a;
                *pr = (
                    band.lo[pi],
                    band.hi[pi],
                    band.off[pi],
                    ((level.src_cum[i] - level.src_cum[pi]) * ratio) as f32,
                    (sw[i] - sw[pi]) as f32,
                    -(pi + 1..i).map(|k| f64::from(least[k])).sum::<f64>() as f32,
                    true,
                );
            } else if a == 0 {
                // Beads within this row (0 source sentences): same frame.
                *pr = (band.lo[i], band.hi[i], band.off[i], 0.0, 0.0, 0.0, true);
            }
        }
        let row_off = band.off[i];
        if gap {
            gap_t.clear();
            gap_t.resize(hi - lo + 1, f32::INFINITY);
            gap_s.clear();
            gap_s.resize(hi - lo + 1, f32::INFINITY);
        }
        for j in lo..=hi {
            if i == 0 && j == 0 {
                continue;
            }
            let mut flags = 0u8;
            let mut lt = [0.0f32; MAXK + 1];
            let mut twb = [0.0f32; MAXK + 1];
            for b in 1..=MAXK.min(j) {
                lt[b] = (level.tgt_cum[j] - level.tgt_cum[j - b]) as f32;
                twb[b] = (tw[j] - tw[j - b]) as f32;
            }
            let x1 = j - base + 1;
            let penalty = match bounds {
                Some((sb, tb)) if sb[i] != tb[j] => p.block_penalty,
                _ => 0.0,
            } + sem.map_or(0.0, |s| s.cross_cost(p.sem_weight, i, j));
            // Every paired bead into this state ends at the same two sentences.
            let quote = p.quote_cost(level.quotes, i, j);
            let mut best = f32::INFINITY;
            let mut best_t = u8::MAX;
            for (t, &(a, b)) in TYPES.iter().enumerate() {
                let (plo, phi, poff, ls, swa, shift, ok) = prow[a];
                if !ok || b > j {
                    continue;
                }
                let pj = j - b;
                if pj < plo || pj > phi {
                    continue;
                }
                let prev = cost[poff + pj - plo];
                if prev == f32::INFINITY {
                    continue;
                }
                let prev = prev + shift;
                let lt = lt[b];
                let d2 = || {
                    let mean = ((ls + lt) * 0.5).max(1.0);
                    let d = lt - ls;
                    d * d / (var * mean)
                };
                let mut c = prev + p.prior[t] + penalty;
                if (a == 0 || b == 0) && gap {
                    // A run of omitted sentences is one omission: opening it costs the prior,
                    // extending it less.
                    let run = if a == 0 {
                        gap_t.get(pj.wrapping_sub(lo)).copied()
                    } else {
                        gap_s_prev.get(pj.wrapping_sub(plo)).copied()
                    };
                    // Is this the run's second null (the run state before opened the run)?
                    let (k_prev, bit) = if a == 0 {
                        (row_off + pj.wrapping_sub(lo), GAP_T_EXTENDED)
                    } else {
                        (poff + pj.wrapping_sub(plo), GAP_S_EXTENDED)
                    };
                    let second = back.get(k_prev).is_some_and(|&f| f & bit == 0);
                    let step = p.run_step(second, p.prior[t]);
                    // A run's further nulls pay their length at `null_len_run` (an omitted
                    // passage's length says less about it than a lone sentence's).
                    let rebate = if p.null_len_run == p.null_len {
                        0.0
                    } else {
                        (p.null_len - p.null_len_run) * length_cost(d2())
                    };
                    let ext = run.unwrap_or(f32::INFINITY) + shift + step + penalty - rebate;
                    if ext < c {
                        c = ext;
                        flags |= if a == 0 {
                            GAP_T_EXTENDED
                        } else {
                            GAP_S_EXTENDED
                        };
                    }
                    c += null_extra(a, i, j, d2());
                    if a == 0 {
                        gap_t[j - lo] = c;
                    } else {
                        gap_s[j - lo] = c;
                    }
                } else if a == 0 || b == 0 {
                    // Without a price for extending runs (the first pass), a long text still
                    // prices a run of three or more nulls as one event (`null_run`), read from
                    // the best paths into the states before.
                    if back[poff + pj - plo] == t as u8 {
                        let mut run = p.null_extend;
                        // Is the bead before that one of the kind too (a run of three)?
                        let (plo2, phi2, poff2, _, _, _, ok2) = prow[2 * a];
                        if ok2 && j >= 2 * b {
                            let pj2 = j - 2 * b;
                            if pj2 >= plo2 && pj2 <= phi2 && back[poff2 + pj2 - plo2] == t as u8 {
                                run = run.min(p.null_run);
                            }
                        }
                        c += run.min(p.prior[t]) - p.prior[t];
                    }
                    c += null_extra(a, i, j, d2());
                } else {
                    // Without vectors nothing but the lexical bonus (at most λ) lowers a
                    // paired bead's cost: a bead that cannot beat the best so far even with
                    // it is not priced further (the rounded sums only grow with the length
                    // cost, so what is chosen is exactly as before).
                    c += quote;
                    if prune && c - p.lambda >= best {
                        continue;
                    }
                    let total = swa + twb[b];
                    let bonus = if total > 0.0 {
                        let qa = &q[a - 1];
                        let m2 = 2.0 * (qa[x1] - qa[x1 - b]);
                        p.lambda * (m2 / total).min(1.0)
                    } else {
                        0.0
                    };
                    if prune && c - bonus >= best {
                        continue;
                    }
                    c += length_cost(d2());
                    if total > 0.0 {
                        c -= bonus;
                    }
                    if let Some(s) = sem {
                        c += s.bead_cost(p.sem_weight, &qs, x1, i, a, j, b);
                    }
                }
                if c < best {
                    best = c;
                    best_t = t as u8;
                }
            }
            cost[row_off + j - lo] = best;
            back[row_off + j - lo] = if best_t == u8::MAX {
                u8::MAX
            } else {
                best_t | flags
            };
        }
        // Re-base the row on its smallest cost.
        let row = &mut cost[row_off..row_off + hi - lo + 1];
        let row_least = row.iter().copied().fold(f32::INFINITY, f32::min);
        let row_least = if row_least.is_finite() {
            row_least
        } else {
            0.0
        };
        row.iter_mut().for_each(|c| *c -= row_least);
        if gap {
            gap_s.iter_mut().for_each(|c| *c -= row_least);
            std::mem::swap(&mut gap_s, &mut gap_s_prev);
        }
        least.push(row_least);
        if let Some(pb) = progress
            && i % 4096 == 0
        {
            pb.set_position(i as u64);
        }
        i += 1;
    }
    let beads = trace_back(level, p, band, &back, (&lex, &semm), sem);
    if let Some(pb) = progress {
        pb.set_position(n as u64 + 1);
    }
    let tables = Tables {
        band: band.clone(),
        cost,
        back,
        least,
        lex,
        sem: semm,
        gap_rows,
        nulls,
        copied,
    };
    (beads, tables)
}

/// The pairwise lexical (and semantic) values of every state from row `lex_from` on, appended
/// to `lex` and `sem`; values the previous search's band held are taken from it.
fn pair_values(
    level: &Level<'_>,
    band: &Band,
    lex_from: usize,
    (lex, sem): (Vec<f32>, Vec<f32>),
    reuse: Option<Kept>,
) -> (Vec<f32>, Vec<f32>) {
    // The sentences the rows still to compute pair (sentence i − 1 of row i).
    let (s0, t0) = (
        lex_from.saturating_sub(1),
        band.lo[lex_from].saturating_sub(1),
    );
    let (fs, ft) = (level.feats.src.matchable(s0), level.feats.tgt.matchable(t0));
    // The value of the previous search at sentences (i, j) (state (i + 1, j + 1)), if
    // that search's band held it.
    let kept = |old: &[f32], i: usize, j: usize| -> Option<f32> { reuse.as_ref()?.at(old, i, j) };
    let no_old = Vec::new();
    let (old_lex, old_sem) = reuse
        .as_ref()
        .map_or((&no_old, &no_old), |r| (&r.lex, &r.sem));
    let lex = pair_matrix(band, lex_from, lex, |i, j| {
        kept(old_lex, i, j).unwrap_or_else(|| overlap(fs.get(i - s0), ft.get(j - t0)))
    });
    let sem = match level.sem {
        Some(s) => pair_matrix(band, lex_from, sem, |i, j| {
            kept(old_sem, i, j).unwrap_or_else(|| s.pair(i, j))
        }),
        None => sem,
    };
    (lex, sem)
}

/// The best path, read back from the corner through the back pointers, with each bead's
/// length deviation, lexical similarity and semantic ratio.
fn trace_back(
    level: &Level<'_>,
    p: &Params,
    band: &Band,
    back: &[u8],
    (lex, semm): (&[f32], &[f32]),
    sem: Option<&Semantic<'_>>,
) -> Vec<RawBead> {
    let sw = weight_cum(&level.feats.src);
    let tw = weight_cum(&level.feats.tgt);
    let sim = |i: usize, j: usize, a: usize, b: usize| -> f32 {
        let total = (sw[i] - sw[i - a] + tw[j] - tw[j - b]) as f32;
        if total <= 0.0 {
            return 0.0;
        }
        (2.0 * bead_lex(band, lex, i, j, a, b) / total).min(1.0)
    };
    let mut beads = Vec::new();
    let (mut i, mut j) = (level.n(), level.m());
    // Inside a run of nulls (affine gaps): the kind of null bead the path is in.
    let mut in_run: Option<u8> = None;
    while i > 0 || j > 0 {
        let Some(k) = band.idx(i, j) else { break };
        if back[k] == u8::MAX {
            break;
        }
        let t = in_run.unwrap_or(back[k] & BEAD_TYPE);
        in_run = match t {
            1 if back[k] & GAP_S_EXTENDED != 0 => Some(1),
            2 if back[k] & GAP_T_EXTENDED != 0 => Some(2),
            _ => None,
        };
        let (a, b) = TYPES[t as usize];
        let (pi, pj) = (i - a, j - b);
        let d2 = length_d2(
            p,
            i,
            level.src_cum[i] - level.src_cum[pi],
            level.tgt_cum[j] - level.tgt_cum[pj],
        );
        let lx = if a > 0 && b > 0 { sim(i, j, a, b) } else { 0.0 };
        let sm = match sem {
            Some(s) if a > 0 && b > 0 => {
                Some(s.ratio(bead_lex(band, semm, i, j, a, b), i, a, j, b))
            }
            _ => None,
        };
        beads.push(RawBead {
            s0: pi,
            s1: i,
            t0: pj,
            t1: j,
            ty: t,
            d2,
            lex: lx,
            sem: sm,
        });
        i = pi;
        j = pj;
    }
    beads.reverse();
    beads
}

/// For every source and target sentence, the lexical part of the cost of leaving it unpaired:
/// `lex_null × (best − lex_null_t)`, where `best` is its best lexical similarity to a single
/// sentence of the other side within the band, scaled by its clue weight against the mean (a
/// sentence without clues says nothing either way).
fn lex_null_costs(
    band: &Band,
    lex: &[f32],
    sw: &[f64],
    tw: &[f64],
    p: &Params,
) -> (Vec<f32>, Vec<f32>) {
    let n = band.lo.len() - 1;
    let m = band.hi[n];
    let mut bs = vec![0.0f32; n];
    let mut bt = vec![0.0f32; m];
    let w = |cum: &[f64], k: usize| (cum[k + 1] - cum[k]) as f32;
    for i in 1..=n {
        for j in band.lo[i].max(1)..=band.hi[i] {
            let total = w(sw, i - 1) + w(tw, j - 1);
            if total > 0.0 {
                let sim = (2.0 * lex[band.off[i] + j - band.lo[i]] / total).min(1.0);
                bs[i - 1] = bs[i - 1].max(sim);
                bt[j - 1] = bt[j - 1].max(sim);
            }
        }
    }
    let finish = |best: Vec<f32>, cum: &[f64]| -> Vec<f32> {
        let k = best.len().max(1);
        let mean = (cum[cum.len() - 1] / k as f64) as f32;
        best.iter()
            .enumerate()
            .map(|(x, &b)| {
                let share = if mean > 0.0 {
                    (w(cum, x) / mean).min(1.0)
                } else {
                    0.0
                };
                p.lex_null * (b - p.lex_null_t) * share
            })
            .collect()
    };
    (finish(bs, sw), finish(bt, tw))
}

/// Fill `q[pp]` (pp < MAXK) with the 2-D prefix sums, over columns `base..=hi`, of `mat`'s rows
/// i, i−1, … i−pp (`dense` is scratch space).
fn row_prefix(
    band: &Band,
    mat: &[f32],
    i: usize,
    base: usize,
    hi: usize,
    dense: &mut [Vec<f32>],
    q: &mut [Vec<f32>],
) {
    let width = hi - base + 1;
    for (pp, r) in dense.iter_mut().enumerate() {
        r.clear();
        r.resize(width, 0.0);
        if i > pp {
            let ri = i - pp;
            let (rlo, rhi) = (band.lo[ri], band.hi[ri]);
            for j in rlo.max(base)..=rhi.min(hi) {
                r[j - base] = mat[band.off[ri] + j - rlo];
            }
        }
    }
    for pp in 0..MAXK {
        let (done, rest) = q.split_at_mut(pp);
        let qq = &mut rest[0];
        qq.clear();
        qq.push(0.0);
        let mut acc = 0.0;
        for x in 0..width {
            acc += dense[pp][x];
            let above = if pp > 0 { done[pp - 1][x + 1] } else { 0.0 };
            qq.push(acc + above);
        }
    }
}

/// Sum of the pairwise lexical matches of the sentences of a bead ending at state (i, j).
#[inline]
fn bead_lex(band: &Band, lex: &[f32], i: usize, j: usize, a: usize, b: usize) -> f32 {
    let mut s = 0.0;
    for di in 0..a {
        for dj in 0..b {
            if let Some(k) = band.idx(i - di, j - dj) {
                s += lex[k];
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::lexicon::{Csr, weigh};
    use crate::align::search::band::dp_widening;
    use crate::align::search::params::for_tests as params;

    /// Sentences known by their lengths and a clue on every fourth, the target missing the
    /// source's sentences `gap`, aligned with the parameters `p`.
    fn align_lengths_only(n: usize, gap: std::ops::Range<usize>, p: &Params) -> Vec<RawBead> {
        let (sl, tl, feats) = lengths_and_clues(n, &gap);
        let level = Level::new(&sl, &tl, &feats);
        dp_widening(&level, p, Band::full(sl.len(), tl.len()), 0, None)
    }

    /// The texts of [`align_lengths_only`]: source and target lengths and their clues.
    fn lengths_and_clues(
        n: usize,
        gap: &std::ops::Range<usize>,
    ) -> (Vec<u32>, Vec<u32>, crate::align::lexicon::Weighted) {
        let sl: Vec<u32> = (0..n).map(|k| 20 + (k as u32 * 37) % 61).collect();
        let tl: Vec<u32> = (0..n)
            .filter(|k| !gap.contains(k))
            .map(|k| sl[k] + (k as u32 * 7) % 5)
            .collect();
        // Every fourth sentence carries a clue found on both sides (a number, a name).
        let clue = |k: usize| {
            if k.is_multiple_of(4) {
                vec![k as u32 + 1]
            } else {
                Vec::new()
            }
        };
        let src_ids: Vec<usize> = (0..n).collect();
        let tgt_ids: Vec<usize> = (0..n).filter(|k| !gap.contains(k)).collect();
        let feats = weigh(
            Csr::build(&src_ids, |&k| clue(k)),
            Csr::build(&tgt_ids, |&k| clue(k)),
        );
        (sl, tl, feats)
    }

    #[test]
    fn a_widened_band_searched_again_copies_only_what_cannot_change() {
        // 2,000 sentences, 40 missing from the target after 300. The first band follows the
        // right path (half-width 8) but is pinched to the diagonal in rows 320..330, inside the
        // run of nulls; the second is the same without the pinch. Searched again from the
        // first search's tables, the rows after the pinch are copied once both searches meet,
        // and the path and every cost are the same, to the bit, as a search from scratch.
        let (n, gap) = (2000, 300..340);
        let (sl, tl, feats) = lengths_and_clues(n, &gap);
        let m = tl.len();
        let level = Level::new(&sl, &tl, &feats);
        let truth = |i: usize| i.min(300).max(i.saturating_sub(40));
        let band = |pinch: bool| {
            let pinched = |i: usize| pinch && (320..330).contains(&i);
            let lo = (0..=n)
                .map(|i| {
                    if pinched(i) {
                        i - 2
                    } else {
                        truth(i).saturating_sub(8)
                    }
                })
                .collect();
            let hi = (0..=n)
                .map(|i| (if pinched(i) { i + 2 } else { truth(i) + 8 }).min(m))
                .collect();
            Band::new(lo, hi, m)
        };
        for p in [
            params(1.0),
            Params {
                null_extend: 1.0,
                ..params(1.0)
            },
        ] {
            let (_, first) = dp(&level, &p, band(true), None, None);
            let (again, t) = dp(&level, &p, band(false), Some(first), None);
            let (fresh, f) = dp(&level, &p, band(false), None, None);
            assert_eq!(again, fresh);
            assert!(t.copied > 1000, "{} rows copied", t.copied);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&t.cost), bits(&f.cost));
            assert_eq!(t.back, f.back);
            assert_eq!(bits(&t.least), bits(&f.least));
            assert_eq!(f.copied, 0);
        }
    }

    /// The source sentences of `gap` are 1-0 beads in `path`, in one run where the passage is
    /// (an unclued sentence at either end is a tie).
    fn assert_one_run(path: &[RawBead], gap: &std::ops::Range<usize>) {
        let nulls: Vec<usize> = path.iter().filter(|b| b.ty == 1).map(|b| b.s0).collect();
        assert_eq!(nulls.len(), gap.len(), "{path:?}");
        assert!(nulls.windows(2).all(|w| w[1] == w[0] + 1), "{nulls:?}");
        assert!(nulls[0].abs_diff(gap.start) <= 1, "{nulls:?}");
    }

    #[test]
    fn a_missing_passage_comes_out_as_one_run_of_nulls() {
        // Without a run price (null_run infinite) part of such a passage went into a 4-1
        // merge.
        let (n, gap) = (120, 50..80);
        let p = Params {
            null_run: (-0.5f64.ln()) as f32,
            ..params(1.0)
        };
        let path = align_lengths_only(n, gap.clone(), &p);
        assert_one_run(&path, &gap);
        assert!(path.iter().all(|b| b.ty <= 1), "{path:?}");
    }

    #[test]
    fn a_run_of_nulls_is_priced_as_one_event_whatever_the_best_path_next_to_it() {
        // Second-pass pricing (`null_extend` finite: affine gaps): a missing passage comes
        // out as one run, and the same run from the source or the target side.
        let (n, gap) = (120, 50..80);
        let p = Params {
            null_extend: 1.0,
            ..params(1.0)
        };
        let path = align_lengths_only(n, gap.clone(), &p);
        assert_one_run(&path, &gap);
        // Every run cost: the prior once, then `null_extend` per sentence; without the
        // discount the same passage is not one run.
        let dear = Params {
            null_extend: p.prior[1],
            ..params(1.0)
        };
        let spread = align_lengths_only(n, gap.clone(), &dear);
        assert!(spread.iter().any(|b| b.ty >= 3), "{spread:?}");
    }

    #[test]
    fn only_the_second_null_of_a_run_costs_null_second() {
        // A dear second null leaves a long run one run (from the third null on it costs
        // `null_extend` again); were every further null priced as a second, the passage
        // would not be one run.
        let (n, gap) = (120, 50..80);
        let dear = 4.0;
        let p = Params {
            null_extend: 1.0,
            null_second: dear,
            ..params(1.0)
        };
        assert_one_run(&align_lengths_only(n, gap.clone(), &p), &gap);
        let every = Params {
            null_extend: dear,
            null_second: dear,
            ..params(1.0)
        };
        let spread = align_lengths_only(n, gap.clone(), &every);
        assert!(spread.iter().any(|b| b.ty >= 3), "{spread:?}");
    }

    #[test]
    fn the_further_nulls_of_a_run_pay_less_for_their_length() {
        // A run dear enough per sentence (`null_extend` 3.5, the second null too) that, with
        // every null paying its length in full, a merge of a neighbour takes up part of the
        // passage; at half the length cost for the nulls after the first it is one run.
        let (n, gap) = (120, 50..80);
        let p = |null_len_run| Params {
            null_extend: 3.5,
            null_second: 3.5,
            null_len_run,
            ..params(1.0)
        };
        let full = align_lengths_only(n, gap.clone(), &p(0.1));
        assert!(full.iter().any(|b| b.ty >= 3), "{full:?}");
        let path = align_lengths_only(n, gap.clone(), &p(0.05));
        assert_one_run(&path, &gap);
        assert!(path.iter().all(|b| b.ty <= 1), "{path:?}");
    }
}
