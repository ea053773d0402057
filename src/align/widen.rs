//! Model-free beads of one sentence against five or six.
//!
//! The search's beads hold at most [`MAXK`] sentences a side, so a sentence translated by a
//! list of five or six (mac's gold has 1-5 and 1-6 beads, Text+Berg's a few) comes out as a
//! 1-4 or smaller bead and a run of null beads beside it: false omissions. With sentence
//! vectors the refinement may make such beads (`refine::WIDE`); without them this pass does,
//! after the second search: a paired bead of one sentence on one side grows, on the other,
//! through the run of nulls just before or after it, into a bead of five or six, when that
//! bead costs less under the search's own model (prior, length, clues) than the bead and
//! the nulls it takes in.

use super::lexicon::{bead_similarity, sentence_weights};
use super::search::{
    Level, MAXK, NullInputs, Params, RawBead, length_cost, length_d2, type_index, wide_prior,
};

/// The most sentences of a side of a wide bead.
const MAXW: usize = 6;

/// The nulls of a run beside a bead that are read (see `best_growth`).
const RUN_SEEN: usize = MAXW + 2;

/// The index in the search's `TYPES` of the bead kind of `a` source and `b` target sentences
/// (the 1-1's for a kind the search does not make).
fn kind_index(a: usize, b: usize) -> usize {
    type_index((a, b)).unwrap_or(0)
}

/// What the search's model says about beads and nulls of one text pair.
struct Model<'a> {
    level: &'a Level<'a>,
    p: &'a Params,
    /// Total clue weight of every sentence, per side.
    sw: Vec<f32>,
    tw: Vec<f32>,
    /// The per-sentence lexical null costs the search used.
    nulls: &'a NullInputs,
}

impl Model<'_> {
    /// Cost of a paired bead besides its prior: length, less the lexical bonus, and its ends'
    /// quotation marks.
    fn paired(&self, (i0, i1): (usize, usize), (j0, j1): (usize, usize)) -> (f32, f32, f32) {
        let l = self.level;
        let d2 = length_d2(
            self.p,
            i1,
            l.src_cum[i1] - l.src_cum[i0],
            l.tgt_cum[j1] - l.tgt_cum[j0],
        );
        let lex = self.lex((i0, i1), (j0, j1));
        let quote = self.p.quote_cost(l.quotes, i1, j1);
        (length_cost(d2) - self.p.lambda * lex + quote, d2, lex)
    }

    /// Lexical similarity of a bead, as the search measures it.
    fn lex(&self, s: (usize, usize), t: (usize, usize)) -> f32 {
        bead_similarity(self.level.feats, (&self.sw, &self.tw), s, t)
    }

    /// The lexical part of a null's cost: what the search added for sentence `x` of one side
    /// (its best match within the band, [`NullInputs`]; nothing when the search had none).
    fn lex_null(&self, on_src: bool, x: usize) -> f32 {
        let costs = if on_src {
            &self.nulls.lex_s
        } else {
            &self.nulls.lex_t
        };
        costs.get(x).copied().unwrap_or(0.0)
    }

    /// Cost of a run of null beads of one side (the sentences `xs`, in order), as the second
    /// pass prices it: the prior once, then [`Params::run_step`]; the first null's length at
    /// `null_len`, the others' at `null_len_run`; each null's lexical evidence. `at`: the other
    /// side's position.
    fn run(&self, on_src: bool, xs: std::ops::Range<usize>, at: usize) -> f32 {
        let p = self.p;
        let prior = p.prior[if on_src { 1 } else { 2 }];
        let l = self.level;
        let mut c = 0.0;
        for (k, x) in xs.enumerate() {
            let (ls, lt) = if on_src {
                (l.src_cum[x + 1] - l.src_cum[x], 0.0)
            } else {
                (0.0, l.tgt_cum[x + 1] - l.tgt_cum[x])
            };
            let lc = length_cost(length_d2(p, if on_src { x + 1 } else { at }, ls, lt));
            c += match k {
                0 => prior + p.null_len * lc,
                _ => p.run_step(k == 1, prior) + p.null_len_run * lc,
            };
            c += self.lex_null(on_src, x);
        }
        c
    }
}

/// Null beads holding sentences of side `on_src` only, consecutive in `path` from bead `k`
/// going back (`back`) or forward: their count, at most `RUN_SEEN` (a run of a missing
/// chapter is not walked for every bead beside it).
fn nulls_beside(path: &[RawBead], k: usize, on_src: bool, back: bool) -> usize {
    let is = |b: &RawBead| {
        if on_src {
            b.t1 == b.t0 && b.s1 > b.s0
        } else {
            b.s1 == b.s0 && b.t1 > b.t0
        }
    };
    if back {
        path[..k]
            .iter()
            .rev()
            .take(RUN_SEEN)
            .take_while(|b| is(b))
            .count()
    } else {
        path[k + 1..]
            .iter()
            .take(RUN_SEEN)
            .take_while(|b| is(b))
            .count()
    }
}

/// The best wide bead `path[k]` may grow into on side `on_src`, if any is cheaper than what it
/// replaces by more than `margin`: (nulls taken in before, after, the bead). Beads before
/// `free` are not taken in.
fn best_growth(
    m: &Model<'_>,
    path: &[RawBead],
    (k, free): (usize, usize),
    on_src: bool,
    margin: f32,
) -> Option<(usize, usize, RawBead)> {
    let b = &path[k];
    // Nulls before `free` were taken in by the bead before. Only the `RUN_SEEN` nulls nearest
    // the bead are read: what taking in at most `MAXW` of them saves from a longer run is the
    // same (from the third null on, every null of a run costs alike).
    let (before, after) = (
        nulls_beside(path, k, on_src, true)
            .min(k - free)
            .min(RUN_SEEN),
        nulls_beside(path, k, on_src, false).min(RUN_SEEN),
    );
    let (x0, x1) = if on_src { (b.s0, b.s1) } else { (b.t0, b.t1) };
    let size = x1 - x0;
    if size + before + after <= MAXK {
        return None;
    }
    let (s, t) = ((b.s0, b.s1), (b.t0, b.t1));
    let at = if on_src { b.t0 } else { b.s0 };
    let now = m.p.prior[usize::from(b.ty)] + m.paired(s, t).0;
    // Null sentences of this side at `x0 − before .. x0` and `x1 .. x1 + after`.
    let run_before = |taken: usize| {
        m.run(on_src, x0 - before..x0, at) - m.run(on_src, x0 - before..x0 - taken, at)
    };
    let run_after = |taken: usize| {
        m.run(on_src, x1..x1 + after, at) - m.run(on_src, x1 + taken..x1 + after, at)
    };
    let mut best: Option<(f32, usize, usize, RawBead)> = None;
    for p in 0..=before.min(MAXW) {
        for q in 0..=after.min(MAXW) {
            let wide = size + p + q;
            if wide <= MAXK || wide > MAXW {
                continue;
            }
            let span = (x0 - p, x1 + q);
            let (ws, wt) = if on_src { (span, t) } else { (s, span) };
            let (cost, d2, lex) = m.paired(ws, wt);
            let gain = now + run_before(p) + run_after(q)
                - (wide_prior(m.p, if on_src { (wide, 1) } else { (1, wide) }) + cost);
            if gain > margin && best.as_ref().is_none_or(|x| gain > x.0) {
                let ty = if on_src {
                    kind_index(MAXK, 1)
                } else {
                    kind_index(1, MAXK)
                };
                let bead = RawBead {
                    s0: ws.0,
                    s1: ws.1,
                    t0: wt.0,
                    t1: wt.1,
                    // The search's closest kind, as the refinement gives its wide beads.
                    ty: ty as u8,
                    d2,
                    lex,
                    sem: None,
                };
                best = Some((gain, p, q, bead));
            }
        }
    }
    best.map(|(_, p, q, b)| (p, q, b))
}

/// The path with every paired bead of one sentence on one side grown into a wide bead where
/// that is cheaper by more than `margin` (see the module documentation). Block boundaries
/// inside a grown span stop it (the search would price them). In place: a million sentences a
/// side must not hold a second path. `nulls`: the lexical null costs the search that made
/// `path` used (so a null is priced here exactly as the search priced it).
pub(crate) fn widen(
    path: &mut Vec<RawBead>,
    (level, p): (&Level<'_>, &Params),
    nulls: &NullInputs,
    margin: f32,
) {
    let model = Model {
        level,
        p,
        sw: sentence_weights(&level.feats.src),
        tw: sentence_weights(&level.feats.tgt),
        nulls,
    };
    let bounded = |on_src: bool, b: &RawBead| {
        let (bound, x0, x1) = if on_src {
            (level.src_bound, b.s0, b.s1)
        } else {
            (level.tgt_bound, b.t0, b.t1)
        };
        bound.is_some_and(|v| v[x0 + 1..x1].iter().any(|&x| x))
    };
    // Decided on the path as the search left it, then applied.
    let mut grown = Vec::new();
    let (mut k, mut free) = (0, 0);
    while k < path.len() {
        let b = &path[k];
        let (a, c) = (b.s1 - b.s0, b.t1 - b.t0);
        let one = |on_src: bool| {
            if on_src {
                c == 1 && a >= 1
            } else {
                a == 1 && c >= 1
            }
        };
        // Only beads of one sentence on the other side are priced: a null bead inside a long
        // run (a missing chapter) must not count the run again.
        let found = [false, true].into_iter().find_map(|on_src| {
            if !one(on_src) {
                return None;
            }
            best_growth(&model, path, (k, free), on_src, margin)
                .filter(|(_, _, w)| !bounded(on_src, w))
        });
        match found {
            Some((before, after, wide)) => {
                grown.push((k, before, after, wide));
                k += 1 + after;
                free = k;
            }
            None => k += 1,
        }
    }
    if grown.is_empty() {
        return;
    }
    let mut gone = vec![false; path.len()];
    for (k, before, after, wide) in grown {
        path[k] = wide;
        gone[k - before..k].fill(true);
        gone[k + 1..=k + after].fill(true);
    }
    let mut x = 0;
    path.retain(|_| {
        x += 1;
        !gone[x - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::lexicon::{Csr, weigh};

    fn bead(s0: usize, s1: usize, t0: usize, t1: usize) -> RawBead {
        RawBead::unscored(s0, s1, t0, t1, kind_index(s1 - s0, t1 - t0) as u8)
    }

    fn null_t(j: usize, s: usize) -> RawBead {
        RawBead::unscored(s, s, j, j + 1, 2)
    }

    fn no_clues(n: usize) -> Csr {
        Csr::build(&vec![(); n], |_| Vec::new())
    }

    /// Second-pass-like parameters: runs priced exactly.
    fn params() -> Params {
        Params {
            null_extend: 1.0,
            null_second: 1.5,
            null_len_run: 0.05,
            ..crate::align::search::params_for_tests(1.0)
        }
    }

    /// The search's path over 3 source and 7 target sentences: [1]:[1..5] (a 1-4) and a 0-1 of
    /// target 5 beside it.
    fn one_four_and_a_null() -> Vec<RawBead> {
        vec![
            bead(0, 1, 0, 1),
            bead(1, 2, 1, 5),
            null_t(5, 2),
            bead(2, 3, 6, 7),
        ]
    }

    /// Lengths under which source sentence 1 is as long as targets 1–5 together (40, 200, 40
    /// characters against seven of 40).
    const AS_LONG_AS_FIVE: ([u32; 3], [u32; 7]) = ([40, 200, 40], [40; 7]);

    #[test]
    fn a_sentence_as_long_as_five_beside_it_takes_in_the_nulls() {
        let (sl, tl) = AS_LONG_AS_FIVE;
        let feats = weigh(no_clues(3), no_clues(7));
        let level = Level::new(&sl, &tl, &feats);
        let path = one_four_and_a_null();
        let mut out = path.clone();
        widen(&mut out, (&level, &params()), &NullInputs::default(), 0.0);
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!((out[1].s0, out[1].s1, out[1].t0, out[1].t1), (1, 2, 1, 6));
        // A sentence that already fits its bead keeps it: target 5 is an addition.
        let sl = [40u32, 160, 40];
        let tl = [40u32, 40, 40, 40, 40, 200, 40];
        let level = Level::new(&sl, &tl, &feats);
        let mut kept = path.clone();
        widen(&mut kept, (&level, &params()), &NullInputs::default(), 0.0);
        assert_eq!(kept, path);
    }

    #[test]
    fn a_null_is_priced_with_the_lexical_evidence_the_search_gave_it() {
        // As above, the long source sentence as long as the five; but the search found target 5
        // clearly unlike anything near it (a lexical null cost of −20, a rebate): the null is
        // cheaper than any growth, so the path stays as the search left it.
        let (sl, tl) = AS_LONG_AS_FIVE;
        let feats = weigh(no_clues(3), no_clues(7));
        let level = Level::new(&sl, &tl, &feats);
        let path = one_four_and_a_null();
        let mut nulls = NullInputs {
            lex_s: vec![0.0; 3],
            lex_t: vec![0.0; 7],
        };
        nulls.lex_t[5] = -20.0;
        let mut out = path.clone();
        widen(&mut out, (&level, &params()), &nulls, 0.0);
        assert_eq!(out, path);
        // The same evidence on another sentence changes nothing: the growth happens.
        nulls.lex_t[5] = 0.0;
        nulls.lex_t[0] = -20.0;
        widen(&mut out, (&level, &params()), &nulls, 0.0);
        assert_eq!((out[1].s0, out[1].s1, out[1].t0, out[1].t1), (1, 2, 1, 6));
    }

    #[test]
    fn a_wide_bead_costs_the_one_to_four_and_the_priors_step_per_sentence() {
        let p = params();
        let (four, three) = (p.prior[kind_index(1, 4)], p.prior[kind_index(1, 3)]);
        let step = (four - three).max(0.0);
        assert!((wide_prior(&p, (1, 5)) - (four + step)).abs() < 1e-6);
        assert!((wide_prior(&p, (1, 6)) - (four + 2.0 * step)).abs() < 1e-6);
    }
}
