//! How narrowly the search left a sentence unpaired: a null bead's min-marginal. A stretch of
//! the path around the bead is searched again with the search's own costs, once with its
//! sentence unpaired and once with it in a paired bead; the difference of the two best costs is
//! how much the path would have had to pay to pair it (the standard confidence of a Viterbi
//! decision, which no other feature measures: the neighbour's length gain and the best rival
//! nearby are parts of it, each weighed alone). Measured for paired beads too (this bead not
//! made against made), the margin did not carry to the held-out sets' 2-1 and n:m beads, so
//! only null beads get one (`docs/aligner.md`, Calibration, session 13).

use super::{BeadKind, Evidence};
use crate::align::lexicon::sentence_weights;
use crate::align::search::{
    Level, MAXK, Params, RawBead, TYPES, length_cost, length_d2, type_index,
};
use crate::align::semantic::Semantic;
use rayon::prelude::*;

/// Beads of the path either side of a bead that its re-search may change: its neighbours, and
/// a counterpart a bead or two away.
const WINDOW: usize = 2;

/// The most a margin says (in the search's cost units, about nats): past it a decision is
/// sure, and a stretch where no alternative exists at all (deep in a run of nulls) reads so.
pub(crate) const MARGIN_CAP: f32 = 10.0;

/// Other-side sentences either side of a null sentence's place whose clues make its lexical
/// null cost (the search reads the band's; this is about the second pass's band).
const LEX_NULL_REACH: usize = 8;

/// What the search weighed: its texts (lengths and clues, as the confidence model reads them),
/// its parameters and, when it used them, the sentence vectors.
#[derive(Clone, Copy)]
pub(crate) struct SearchCosts<'a> {
    pub(crate) level: &'a Level<'a>,
    pub(crate) params: &'a Params,
    pub(crate) sem: Option<&'a Semantic<'a>>,
}

/// The margin of every bead of `path` (see the module documentation), clamped to
/// ±[`MARGIN_CAP`]; 0 for paired beads.
pub(crate) fn margins(path: &[RawBead], costs: SearchCosts<'_>) -> Vec<f32> {
    let feats = costs.level.feats;
    let weights = (sentence_weights(&feats.src), sentence_weights(&feats.tgt));
    let ctx = Context {
        costs,
        sem: costs.sem.filter(|_| costs.params.sem_weight > 0.0),
        mean_weight: (mean(&weights.0), mean(&weights.1)),
        weights,
    };
    (0..path.len())
        .into_par_iter()
        .map(|k| {
            let b = &path[k];
            match BeadKind::of(b.s1 - b.s0, b.t1 - b.t0) {
                BeadKind::Null => ctx.margin(path, k),
                _ => 0.0,
            }
        })
        .collect()
}

/// Sets the margin of every bead (`margins`: of the path whose evidence this is, from
/// [`margins`], computed while the search's texts were at hand).
pub(crate) fn set_margins(evidence: &mut [Evidence], margins: &[f32]) {
    for (e, &m) in evidence.iter_mut().zip(margins) {
        e.margin = m;
    }
}

/// The mean of `v` (0 when empty).
fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f32>() / v.len() as f32
    }
}

/// What the margins of one path read.
struct Context<'a> {
    costs: SearchCosts<'a>,
    /// The vectors, when the search weighed them.
    sem: Option<&'a Semantic<'a>>,
    /// Total clue weight of every sentence, per side, and its mean.
    weights: (Vec<f32>, Vec<f32>),
    mean_weight: (f32, f32),
}

/// A stretch of both texts: source `s0..s1`, target `t0..t1`.
#[derive(Clone, Copy)]
struct Stretch {
    s0: usize,
    s1: usize,
    t0: usize,
    t1: usize,
}

impl Context<'_> {
    /// The margin of the null bead `path[k]`: the best cost of its window with its sentences
    /// in paired beads less the best with them left unpaired.
    fn margin(&self, path: &[RawBead], k: usize) -> f32 {
        let (lo, hi) = (k.saturating_sub(WINDOW), (k + WINDOW).min(path.len() - 1));
        let w = Stretch {
            s0: path[lo].s0,
            s1: path[hi].s1,
            t0: path[lo].t0,
            t1: path[hi].t1,
        };
        let b = path[k];
        let touches = |s: (usize, usize), t: (usize, usize)| {
            (s.0 < b.s1 && b.s0 < s.1) || (t.0 < b.t1 && b.t0 < t.1)
        };
        let table = (self.table(w), self.null_evidence(w));
        // Its sentences must be unpaired (wherever the null stands), or must not be.
        let paired = |s: (usize, usize), t: (usize, usize)| s.1 > s.0 && t.1 > t.0;
        let kept = self.best(w, &table, &|s, t| !(paired(s, t) && touches(s, t)));
        let reversed = self.best(w, &table, &|s, t| paired(s, t) || !touches(s, t));
        match (kept.is_finite(), reversed.is_finite()) {
            (_, false) => MARGIN_CAP,
            (false, true) => -MARGIN_CAP,
            _ => (reversed - kept).clamp(-MARGIN_CAP, MARGIN_CAP),
        }
    }

    /// The costs of every paired bead type ending at every state of stretch `w` (index
    /// `(i × (t1 − t0 + 1) + j) × TYPES + type`, states relative to the stretch), besides
    /// the cut's own cost; infinite where the bead does not fit.
    fn table(&self, w: Stretch) -> Vec<f32> {
        let (p, level) = (self.costs.params, self.costs.level);
        let feats = level.feats;
        let (ns, nt) = (w.s1 - w.s0, w.t1 - w.t0);
        let h = nt + 1;
        // The sentence pairs of the stretch: shared clue weight and (with vectors) products.
        let mut clues = vec![0.0f32; ns * nt];
        let mut pairs = vec![0.0f32; if self.sem.is_some() { ns * nt } else { 0 }];
        for x in 0..ns {
            for y in 0..nt {
                let (i, j) = (w.s0 + x, w.t0 + y);
                clues[x * nt + y] =
                    crate::align::lexicon::overlap(feats.src.get(i), feats.tgt.get(j));
                if let Some(s) = self.sem {
                    pairs[x * nt + y] = s.pair(i, j);
                }
            }
        }
        let pair = |i: usize, j: usize| pairs[(i - w.s0) * nt + (j - w.t0)];
        let (sw, tw) = (&self.weights.0, &self.weights.1);
        let mut out = vec![f32::INFINITY; (ns + 1) * h * TYPES.len()];
        for i in 0..=ns {
            for j in 0..h {
                for (t, &(a, b)) in TYPES.iter().enumerate() {
                    if a == 0 || b == 0 || a > i || b > j {
                        continue;
                    }
                    let (si, tj) = (w.s0 + i, w.t0 + j);
                    let ls = level.src_cum[si] - level.src_cum[si - a];
                    let lt = level.tgt_cum[tj] - level.tgt_cum[tj - b];
                    // The lexical score as `bead_similarity` gives it.
                    let total: f32 =
                        sw[si - a..si].iter().sum::<f32>() + tw[tj - b..tj].iter().sum::<f32>();
                    let shared: f32 = (i - a..i)
                        .map(|x| clues[x * nt + j - b..x * nt + j].iter().sum::<f32>())
                        .sum();
                    let lex = if total > 0.0 {
                        (2.0 * shared / total).min(1.0)
                    } else {
                        0.0
                    };
                    // The quotation-mark cue as the search adds it (0 with vectors: there the
                    // semantic cost carries it).
                    let mut c = p.prior[t] + length_cost(length_d2(p, si, ls, lt)) - p.lambda * lex
                        + p.quote_cost(level.quotes, si, tj);
                    if let Some(sem) = self.sem {
                        c += sem.bead_cost_from(p.sem_weight, pair, (si, a), (tj, b));
                    }
                    out[(i * h + j) * TYPES.len() + t] = c;
                }
            }
        }
        out
    }

    /// The cost of a null bead of each sentence of stretch `w` (source, then target) besides
    /// its prior or run step and its length: what the vectors and the clues say about it.
    fn null_evidence(&self, w: Stretch) -> (Vec<f32>, Vec<f32>) {
        let src = (w.s0..w.s1)
            .map(|x| self.null_of(true, x, (w.t0, w.t1)))
            .collect();
        let tgt = (w.t0..w.t1)
            .map(|y| self.null_of(false, y, (w.s0, w.s1)))
            .collect();
        (src, tgt)
    }

    /// [`Context::null_evidence`] of sentence `x` (of the source when `on_src`), the other
    /// side's sentences `near` (and [`LEX_NULL_REACH`] either side) standing for the band.
    fn null_of(&self, on_src: bool, x: usize, near: (usize, usize)) -> f32 {
        let p = self.costs.params;
        let mut c = self.sem.map_or(0.0, |s| s.null_cost(on_src, x));
        if p.lex_null != 0.0 {
            let feats = self.costs.level.feats;
            let (own, other, mean) = if on_src {
                (&self.weights.0, &self.weights.1, self.mean_weight.0)
            } else {
                (&self.weights.1, &self.weights.0, self.mean_weight.1)
            };
            let reach =
                near.0.saturating_sub(LEX_NULL_REACH)..(near.1 + LEX_NULL_REACH).min(other.len());
            let best = reach
                .map(|y| {
                    let total = own[x] + other[y];
                    let shared = if on_src {
                        crate::align::lexicon::overlap(feats.src.get(x), feats.tgt.get(y))
                    } else {
                        crate::align::lexicon::overlap(feats.src.get(y), feats.tgt.get(x))
                    };
                    if total > 0.0 {
                        (2.0 * shared / total).min(1.0)
                    } else {
                        0.0
                    }
                })
                .fold(0.0f32, f32::max);
            let share = if mean > 0.0 {
                (own[x] / mean).min(1.0)
            } else {
                0.0
            };
            c += p.lex_null * (best - p.lex_null_t) * share;
        }
        c
    }

    /// The best cost of a path through stretch `w` whose beads all pass `ok` (given the source
    /// and target sentences of a bead), runs of nulls priced as the search prices them.
    fn best(
        &self,
        w: Stretch,
        (table, (null_s, null_t)): &(Vec<f32>, (Vec<f32>, Vec<f32>)),
        ok: &dyn Fn((usize, usize), (usize, usize)) -> bool,
    ) -> f32 {
        let p = self.costs.params;
        let level = self.costs.level;
        let (ww, h) = (w.s1 - w.s0 + 1, w.t1 - w.t0 + 1);
        let inf = f32::INFINITY;
        // Best cost into each state; of those ending in a run of one null / of more, per side.
        let mut best = vec![inf; ww * h];
        let mut runs = [
            vec![inf; ww * h],
            vec![inf; ww * h],
            vec![inf; ww * h],
            vec![inf; ww * h],
        ];
        best[0] = 0.0;
        let prior = |a: usize, b: usize| type_index((a, b)).map_or(inf, |t| p.prior[t]);
        let (prior_s, prior_t) = (prior(1, 0), prior(0, 1));
        for i in 0..ww {
            for j in 0..h {
                if i == 0 && j == 0 {
                    continue;
                }
                let (si, tj) = (w.s0 + i, w.t0 + j);
                let here = i * h + j;
                let cut = self.sem.map_or(0.0, |s| s.cross_cost(p.sem_weight, si, tj));
                let mut c = inf;
                for (t, &(a, b)) in TYPES.iter().enumerate() {
                    if a == 0 || b == 0 || a > i || b > j || a > MAXK || b > MAXK {
                        continue;
                    }
                    if !ok((si - a, si), (tj - b, tj)) {
                        continue;
                    }
                    let from = best[(i - a) * h + j - b];
                    c = c.min(from + table[here * TYPES.len() + t] + cut);
                }
                // A null of source sentence si − 1 (from the state above) or of target
                // sentence tj − 1 (from the state to the left).
                for (on_src, prior) in [(true, prior_s), (false, prior_t)] {
                    let (from, s, t) = match on_src {
                        true if i > 0 => ((i - 1) * h + j, (si - 1, si), (tj, tj)),
                        false if j > 0 => (i * h + j - 1, (si, si), (tj - 1, tj)),
                        _ => continue,
                    };
                    if !ok(s, t) {
                        continue;
                    }
                    let (ls, lt) = (
                        level.src_cum[s.1] - level.src_cum[s.0],
                        level.tgt_cum[t.1] - level.tgt_cum[t.0],
                    );
                    let lc = length_cost(length_d2(p, si, ls, lt));
                    let x = if on_src { s.0 } else { t.0 };
                    let own = if on_src {
                        null_s[x - w.s0]
                    } else {
                        null_t[x - w.t0]
                    } + cut;
                    let r = if on_src { 0 } else { 2 };
                    let open = best[from] + prior + p.null_len * lc + own;
                    let ext = (runs[r][from] + p.run_step(true, prior))
                        .min(runs[r + 1][from] + p.run_step(false, prior))
                        + p.null_len_run * lc
                        + own;
                    runs[r][here] = open;
                    runs[r + 1][here] = ext;
                    c = c.min(open).min(ext);
                }
                best[here] = c;
            }
        }
        best[ww * h - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::lexicon::{Csr, weigh};

    /// Ten sentences a side, each with a clue of its own shared with its translation, except
    /// the source's sentence 5, which has a clue of its own that matches nothing: the path
    /// pairs them 1-1 and leaves source 5 alone, or (`wrong`) pairs source 5 with target 5
    /// and leaves source 6 alone.
    #[test]
    fn a_null_the_search_was_sure_of_has_a_wide_margin_and_a_wrong_one_a_negative() {
        let src: Vec<u32> = (0..11)
            .map(|k| {
                if k == 5 {
                    999
                } else {
                    100 + k - u32::from(k > 5)
                }
            })
            .collect();
        let tgt: Vec<u32> = (0..10).map(|k| 100 + k).collect();
        let csr = |v: &[u32]| Csr::build(v, |&f| vec![f]);
        let feats = weigh(csr(&src), csr(&tgt));
        let (sl, tl) = (vec![100u32; 11], vec![100u32; 10]);
        let level = Level::new(&sl, &tl, &feats);
        let mut params = crate::align::search::params_for_tests(1.0);
        params.null_extend = 1.5;
        let costs = SearchCosts {
            level: &level,
            params: &params,
            sem: None,
        };
        let one = |i: usize, j: usize| RawBead {
            lex: 1.0,
            ..RawBead::unscored(i, i + 1, j, j + 1, 0)
        };
        let null = |i: usize, j: usize| RawBead::unscored(i, i + 1, j, j, 1);
        let right: Vec<RawBead> = (0..5)
            .map(|k| one(k, k))
            .chain([null(5, 5)])
            .chain((6..11).map(|k| one(k, k - 1)))
            .collect();
        let wrong: Vec<RawBead> = (0..6)
            .map(|k| one(k, k))
            .chain([null(6, 6)])
            .chain((7..11).map(|k| one(k, k - 1)))
            .collect();
        let (r, w) = (margins(&right, costs), margins(&wrong, costs));
        assert!(r[5] > 1.0, "{r:?}");
        assert!(w[6] < 0.0, "{w:?}");
        // Paired beads have none.
        assert_eq!((r[0], w[3]), (0.0, 0.0));
    }
}
