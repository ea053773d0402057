//! Semantic evidence: how much closer in meaning the two sides of a bead are than unrelated text.
//!
//! Every sentence is embedded once (a unit vector per sentence, from [`crate::embed::Embedder`]).
//! The vector of several consecutive sentences is not embedded again, as Vecalign and Bertalign
//! do (that multiplies the embedding work by the number of sentences a bead may hold, and the
//! embedding is by far the dearest step on a CPU): it is the length-weighted sum of the sentence
//! vectors, which is what mean pooling over the joined text gives when the sentences do not
//! attend to one another. Its cosine with the other side's block is then a sum of pairwise dot
//! products over the bead, read in O(1) from 2-D prefix sums as the lexical evidence is.
//!
//! The raw cosine says little by itself: embedding models give unrelated sentences of one text a
//! high cosine (they share a register, a topic, the model's own bias), and blocks of several
//! sentences are closer to everything. As in Vecalign, the cosine is therefore normalised by how
//! close each side is to text in general: here the cosine of each block with the centroid of the
//! other text (the mean of the cosines with every sentence of it, which Vecalign samples). The
//! ratio `r = (1 − cos) / (1 − (c_src + c_tgt) / 2)` is about 1 for unrelated text and well
//! below 1 for a translation. The search adds `weight × (r − 1)` per bead, scaled by the
//! sentences the bead covers, so that a translation earns a bonus for every sentence it explains
//! and an unrelated sentence earns none: absorbing an omitted sentence into a neighbour's bead
//! dilutes that bead's vector and loses the bonus, leaving it to a 1-0 bead.
//!
//! The search's costs (not the distances the confidence model reads) normalise by each
//! sentence's nearest neighbours on the other side instead of the centroid (a margin, see
//! [`Margin`]), with a threshold set by the text's typical distance to a translation: a weak
//! model for the language pair puts translations further from each other than a sentence is
//! from the other text's centroid (`docs/aligner.md`, *Margin and a threshold set by the text*).

use super::search::MAXK;
#[cfg(test)]
use cues::names_of;
use cues::{Pinyin, has_han, quote_marks, rare_names, shared_unexplained, shared_with};
use margin::{Margin, margin, typical, typical_own};

/// Floor of the normaliser `1 − (c_src + c_tgt) / 2`, for degenerate texts whose sentences all
/// point the same way.
const MIN_SPREAD: f32 = 0.02;
/// The ratio is clamped to `[0, MAX_RATIO]`: one sentence of garbage must not outweigh the rest.
const MAX_RATIO: f32 = 2.0;
/// The sentences next to a cut, each side along it, whose numbers and names explain a crossing
/// one (a bead over the cut would hold them).
const NAME_ALONG: usize = 2;

/// The fewest 1-1 pairs from which [`Semantic::with_matched`] reads a quantile.
const MIN_MATCHED: usize = 20;

/// Sentence vectors of a whole text pair, and the centroid of each side.
#[derive(Debug, Clone)]
pub(crate) struct Vectors {
    pub dim: usize,
    /// Source vectors, `n × dim`, unit length.
    pub src: Vec<f32>,
    /// Target vectors, `m × dim`, unit length.
    pub tgt: Vec<f32>,
    /// Unit centroid of the source vectors.
    pub src_centroid: Vec<f32>,
    /// Unit centroid of the target vectors.
    pub tgt_centroid: Vec<f32>,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn unit_centroid(v: &[f32], dim: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; dim];
    for row in v.chunks_exact(dim) {
        c.iter_mut().zip(row).for_each(|(a, b)| *a += b);
    }
    let norm = dot(&c, &c).sqrt();
    if norm > 0.0 {
        c.iter_mut().for_each(|x| *x /= norm);
    }
    c
}

impl Vectors {
    /// Gather the vectors an embedder returned (`n` source then `m` target rows).
    pub fn new(dim: usize, rows: Vec<Vec<f32>>, n: usize) -> Vectors {
        let flat = |r: &[Vec<f32>]| -> Vec<f32> {
            r.iter()
                .flat_map(|v| {
                    let norm = dot(v, v).sqrt();
                    let s = if norm > 0.0 { 1.0 / norm } else { 0.0 };
                    // A vector of another dimension (a misbehaving server) counts as zero.
                    let ok = v.len() == dim;
                    (0..dim).map(move |k| if ok { v[k] * s } else { 0.0 })
                })
                .collect()
        };
        let src = flat(&rows[..n.min(rows.len())]);
        let tgt = flat(&rows[n.min(rows.len())..]);
        let src_centroid = unit_centroid(&src, dim);
        let tgt_centroid = unit_centroid(&tgt, dim);
        Vectors {
            dim,
            src,
            tgt,
            src_centroid,
            tgt_centroid,
        }
    }
}

/// The semantic evidence of one piece of text, as the search reads it.
#[derive(Debug)]
pub(crate) struct Semantic<'a> {
    dim: usize,
    src: &'a [f32],
    tgt: &'a [f32],
    /// The unit centroids of the whole source and target texts.
    src_centroid: &'a [f32],
    tgt_centroid: &'a [f32],
    /// Weight (length in characters) of each source / target sentence.
    sw: Vec<f32>,
    tw: Vec<f32>,
    /// For a block of `a` sentences ending at position `i`: `[i * MAXK + a − 1]` = the norm of
    /// its weighted vector sum, and its cosine with the other text's centroid.
    s_norm: Vec<f32>,
    s_cen: Vec<f32>,
    t_norm: Vec<f32>,
    t_cen: Vec<f32>,
    /// `scale[a * (MAXK + 1) + b]`: how many times a bead of `a` and `b` sentences counts.
    scale: [f32; (MAXK + 1) * (MAXK + 1)],
    /// `bias[a * (MAXK + 1) + b]`: the factor on `r` of a bead of `a` and `b` sentences.
    bias: [f32; (MAXK + 1) * (MAXK + 1)],
    threshold: f32,
    penalty: f32,
    /// How a bead's cost grows with its sentences, and the share its `r` is raised by per
    /// sentence beyond two (for beads wider than the tables above: the refinement's).
    exponent: f32,
    block_bias: f32,
    /// Share of a member sentence's own distance in its part of the bead's cost (0: the
    /// bead's distance for every sentence, as before).
    member: f32,
    /// Cost of leaving a sentence unpaired, per unit of its best distance beyond `null_at` (a
    /// rebate): `null_threshold ×` the threshold, or higher where the sentences of a first
    /// path's 1-1 beads lie further out (see [`Semantic::with_matched`]).
    null_weight: f32,
    null_at: f32,
    /// See [`super::SemanticParams::null_quantile`].
    null_quantile: f32,
    /// Rebate of a null bead per unit of its sentence's own distance ratio beyond the
    /// threshold (see [`Margin::own`]).
    null_own_weight: f32,
    null_own_threshold: f32,
    /// How far the search's costs normalise by each sentence's nearest neighbours rather than
    /// by the other text's centroid (0: the centroid only; see [`Margin`]).
    margin: f32,
    /// Distances below this count as this: every clear translation earns the same bonus.
    floor: f32,
    /// Weight of the evidence across a cut (see [`Semantic::cross_cost`]), per unit of `weight`.
    cross: f32,
    /// Per side, prefix sums of length-weighted centroid and neighbour cosines (the margin).
    s_margin: Margin,
    t_margin: Margin,
    /// Cost of a number or name crossing a cut (see [`Semantic::with_names`]).
    cross_names: f32,
    /// Each sentence's rare numbers and names, hashed and sorted (empty until `with_names`).
    s_names: Vec<Box<[u32]>>,
    t_names: Vec<Box<[u32]>>,
    /// Cost of a paired bead whose last sentences disagree in ending with a quotation mark
    /// (see [`Semantic::quote_cost`]).
    quotes: f32,
    /// Each sentence's [`quote_marks`] (empty until `with_names`).
    s_quotes: Vec<bool>,
    t_quotes: Vec<bool>,
}

/// Norms and centroid cosines of every block of 1..=MAXK sentences ending at each position.
fn blocks(v: &[f32], w: &[f32], dim: usize, centroid: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let n = w.len();
    let mut norm = vec![0.0f32; (n + 1) * MAXK];
    let mut cen = vec![0.0f32; (n + 1) * MAXK];
    let to_centroid: Vec<f32> = v.chunks_exact(dim).map(|r| dot(r, centroid)).collect();
    let mut acc = vec![0.0f32; dim];
    for i in 1..=n {
        acc.iter_mut().for_each(|x| *x = 0.0);
        let mut c = 0.0;
        for a in 1..=MAXK.min(i) {
            let k = i - a;
            let row = &v[k * dim..(k + 1) * dim];
            acc.iter_mut().zip(row).for_each(|(x, y)| *x += w[k] * y);
            c += w[k] * to_centroid[k];
            let nm = dot(&acc, &acc).sqrt();
            norm[i * MAXK + a - 1] = nm;
            cen[i * MAXK + a - 1] = if nm > 0.0 { c / nm } else { 0.0 };
        }
    }
    (norm, cen)
}

impl<'a> Semantic<'a> {
    /// The evidence for source sentences `src` (rows of `dim` floats) of lengths `sl` against
    /// target sentences `tgt` of lengths `tl`; the centroids are those of the whole texts.
    pub fn new(
        vectors: &'a Vectors,
        src: &'a [f32],
        tgt: &'a [f32],
        sl: &[u32],
        tl: &[u32],
        params: &super::SemanticParams,
    ) -> Semantic<'a> {
        let dim = vectors.dim;
        // Mean pooling weighs a sentence by its tokens; characters stand in for them. A floor
        // keeps an empty line from vanishing entirely.
        let weight = |l: &[u32]| -> Vec<f32> { l.iter().map(|&x| (x as f32).max(4.0)).collect() };
        let (sw, tw) = (weight(sl), weight(tl));
        let (s_norm, s_cen) = blocks(src, &sw, dim, &vectors.tgt_centroid);
        let (t_norm, t_cen) = blocks(tgt, &tw, dim, &vectors.src_centroid);
        let on = params.margin > 0.0;
        let s_margin = margin(src, tgt, &sw, dim, &vectors.tgt_centroid, on);
        let t_margin = margin(tgt, src, &tw, dim, &vectors.src_centroid, on);
        let s = Semantic {
            dim,
            src,
            tgt,
            src_centroid: &vectors.src_centroid,
            tgt_centroid: &vectors.tgt_centroid,
            sw,
            tw,
            s_norm,
            s_cen,
            t_norm,
            t_cen,
            scale: std::array::from_fn(|k| {
                size_scale(params.exponent, k / (MAXK + 1), k % (MAXK + 1))
            }),
            bias: std::array::from_fn(|k| {
                size_bias(params.block_bias, k / (MAXK + 1), k % (MAXK + 1))
            }),
            threshold: match params.adaptive {
                k if k > 0.0 && on => {
                    k * typical(&s_margin, &t_margin).unwrap_or(params.threshold / k)
                }
                _ => params.threshold,
            },
            penalty: params.penalty,
            exponent: params.exponent,
            block_bias: params.block_bias,
            member: params.member,
            null_weight: params.null_weight,
            null_at: 0.0,
            null_quantile: params.null_quantile,
            null_own_weight: params.null_own_weight,
            null_own_threshold: params
                .null_own_threshold
                .max(params.null_own_relative * typical_own(&s_margin, &t_margin).unwrap_or(0.0)),
            margin: params.margin,
            floor: params.floor,
            cross: params.cross,
            s_margin,
            t_margin,
            cross_names: params.cross_names,
            s_names: Vec::new(),
            t_names: Vec::new(),
            quotes: params.quotes,
            s_quotes: Vec::new(),
            t_quotes: Vec::new(),
        };
        Semantic {
            null_at: params.null_threshold * s.threshold,
            ..s
        }
    }

    /// The same evidence, with the null rebate's threshold raised to the `null_quantile` of
    /// the closest-neighbour distances of the sentences in `pairs` (the 1-1 beads of a first
    /// path) where that is higher: in a text whose translations sit further from their
    /// closest neighbour than its median sentence says (a heading translated freely, a
    /// caption), a translation at that distance is not yet "like nothing near it"
    /// (`docs/aligner.md`, *A null threshold from the text's own pairs*). Fewer than
    /// `MIN_MATCHED` pairs say nothing.
    pub(crate) fn with_matched(self, pairs: impl Iterator<Item = (usize, usize)>) -> Self {
        if self.null_quantile <= 0.0 || self.margin <= 0.0 {
            return self;
        }
        let (sb, tb) = (&self.s_margin.best, &self.t_margin.best);
        let mut best: Vec<f32> = pairs
            .filter_map(|(i, j)| Some([*sb.get(i)?, *tb.get(j)?]))
            .flatten()
            .collect();
        if best.len() < 2 * MIN_MATCHED {
            return self;
        }
        let k = ((best.len() - 1) as f32 * self.null_quantile.min(1.0)).round() as usize;
        best.select_nth_unstable_by(k, f32::total_cmp);
        Semantic {
            null_at: self.null_at.max(best[k]),
            ..self
        }
    }

    /// The same evidence, with the numbers and names of the piece's sentences `texts` (source,
    /// target), read across every cut (see [`Semantic::cross_cost`]), and the quotation marks
    /// that end them (see [`Semantic::quote_cost`]).
    pub(crate) fn with_names(self, (src, tgt): (&[&str], &[&str])) -> Self {
        if src.len() != self.sw.len() || tgt.len() != self.tw.len() {
            return self;
        }
        // Each cue read only where its weight can use it: the names index costs a pass over
        // every word of the piece.
        let (read_names, read_quotes) = (self.cross_names > 0.0, self.quotes > 0.0);
        let (s_names, t_names) = if read_names {
            // A Chinese side's names are matched as pinyin against the other side's.
            let (sh, th) = (has_han(src), has_han(tgt));
            let mode = |own: bool, other: bool| match (own, other) {
                (true, false) => Pinyin::Han,
                (false, true) => Pinyin::Latin,
                _ => Pinyin::Off,
            };
            let s = rare_names(src, mode(sh, th));
            let t = rare_names(tgt, mode(th, sh));
            (shared_with(&s, &t), shared_with(&t, &s))
        } else {
            Default::default()
        };
        let quotes = |texts: &[&str]| {
            if read_quotes {
                texts.iter().map(|t| quote_marks(t)).collect()
            } else {
                Default::default()
            }
        };
        Semantic {
            s_names,
            t_names,
            s_quotes: quotes(src),
            t_quotes: quotes(tgt),
            ..self
        }
    }

    /// The numbers and names shared across the cut before source sentence `i` and target
    /// sentence `j` by a crossing pair, and by no sentence along the cut within
    /// `NAME_ALONG` of it on the same side of the cut: each is content of one side's sentence
    /// translated on the other side of the cut.
    fn names_across(&self, i: usize, j: usize) -> usize {
        let (s, t) = (&self.s_names, &self.t_names);
        if s.is_empty() || i == 0 || j == 0 || i >= s.len() || j >= t.len() {
            return 0;
        }
        // Slices, not collected lists: this runs for every state of the search's band.
        fn along(v: &[Box<[u32]>], r: std::ops::Range<usize>) -> &[Box<[u32]>] {
            &v[r.start..r.end.min(v.len())]
        }
        let before = |k: usize| k.saturating_sub(NAME_ALONG)..k;
        let after = |k: usize| k..k + NAME_ALONG;
        let mut n = 0;
        if !s[i - 1].is_empty() && !t[j].is_empty() {
            n += shared_unexplained(&s[i - 1], &t[j], [along(t, before(j)), along(s, after(i))]);
        }
        if !s[i].is_empty() && !t[j - 1].is_empty() {
            n += shared_unexplained(&s[i], &t[j - 1], [along(s, before(i)), along(t, after(j))]);
        }
        n
    }

    /// A distance `r` normalised by the centroids, normalised by the nearest neighbours of the
    /// pair of source sentences `s` and target sentences `t` instead (as far as `margin` says).
    #[inline]
    fn rescale(&self, r: f32, s: (usize, usize), t: (usize, usize)) -> f32 {
        if self.margin <= 0.0 {
            return r;
        }
        (r / self.margin_factor(s, t)).clamp(0.0, MAX_RATIO)
    }

    /// The factor on the spread of the pair of source sentences `s` and target sentences `t`
    /// that turns normalisation by the centroids into normalisation by the nearest neighbours
    /// (to the power `margin`): `(1 − mean neighbour cosine) / (1 − mean centroid cosine)` over
    /// both blocks' sentences. For two single sentences and `margin` 1 the spread is then
    /// `1 − (knn_s + knn_t) / 2`; a block keeps the centroid's measure of how much closer to
    /// everything it is than its sentences, scaled the same way.
    #[inline]
    fn margin_factor(&self, s: (usize, usize), t: (usize, usize)) -> f32 {
        if self.margin <= 0.0 {
            return 1.0;
        }
        let (cs, ks) = self.s_margin.mean(s.0, s.1);
        let (ct, kt) = self.t_margin.mean(t.0, t.1);
        let by_cen = (1.0 - 0.5 * (cs + ct)).max(MIN_SPREAD);
        let by_knn = (1.0 - 0.5 * (ks + kt)).max(MIN_SPREAD);
        (by_knn / by_cen).powf(self.margin)
    }

    /// `(1 − cos) / spread`, clamped, from a cosine and the two sides' centroid cosines.
    #[inline]
    fn normalised(&self, cos: f32, cen_a: f32, cen_b: f32) -> f32 {
        let spread = (1.0 - 0.5 * (cen_a + cen_b)).max(MIN_SPREAD);
        ((1.0 - cos) / spread).clamp(0.0, MAX_RATIO)
    }

    /// The cost the search adds for a null bead of sentence `k` (of the source when `on_src`):
    /// negative (cheaper) when even the closest sentence to it on the other side is further
    /// than `null_threshold ×` the text's threshold (or the text's own pairs' distance, see
    /// [`Semantic::with_matched`]), by `null_weight` per unit of distance beyond. The distance
    /// is the one the threshold is set from (to its closest neighbour, normalised by its
    /// neighbourhood), so the margin must be on. Never dearer: a weak model
    /// for the language pair (e5-small on Chinese–English) puts a sentence without counterpart
    /// as close to some neighbour as a translation, and making nulls dearer there lost the
    /// omissions of the fit sets (`docs/aligner.md`, *A sentence like nothing near it*).
    /// Plus a rebate of `null_own_weight` per unit of the sentence's own distance ratio
    /// beyond its threshold: no sentence of the other side stands out of its neighbourhood
    /// (`docs/aligner.md`, *None of its neighbours stands out*).
    /// Whether sentence `k` (of the source when `on_src`) is like nothing near it on the other
    /// side: its closest-neighbour distance beyond the null rebate's threshold.
    pub(crate) fn unlike_anything(&self, on_src: bool, k: usize) -> bool {
        let m = if on_src {
            &self.s_margin
        } else {
            &self.t_margin
        };
        self.margin > 0.0 && m.best.get(k).is_some_and(|&b| b > self.null_at)
    }

    /// What is taken off the distance of member sentence `k` (of the source when `on_src`) of a
    /// bead in the refinement's windows, from the bead's joined `r` with the member and
    /// without it: `gain ×` how much further the member takes the bead from the other side
    /// (a negative amount: the member's distance grows), where the member is also like nothing
    /// near it ([`Semantic::unlike_anything`]); 0 otherwise. A member that brings the bead
    /// closer is not paid for it: that took true nulls into beads (`docs/aligner.md`, *The
    /// books with e5*).
    pub(crate) fn member_gain(
        &self,
        gain: f32,
        on_src: bool,
        k: usize,
        (with, without): (f32, f32),
    ) -> f32 {
        let g = without - with;
        if gain <= 0.0 || g >= 0.0 || !self.unlike_anything(on_src, k) {
            return 0.0;
        }
        gain * g
    }

    #[inline]
    pub(crate) fn null_cost(&self, on_src: bool, k: usize) -> f32 {
        if (self.null_weight == 0.0 && self.null_own_weight == 0.0) || self.margin <= 0.0 {
            return 0.0;
        }
        let m = if on_src {
            &self.s_margin
        } else {
            &self.t_margin
        };
        let best = m.best.get(k).copied().unwrap_or(MAX_RATIO).min(MAX_RATIO);
        let own = m.own.get(k).copied().unwrap_or(1.0).min(MAX_RATIO);
        self.null_weight * (self.null_at - best).min(0.0)
            + self.null_own_weight * (self.null_own_threshold - own).min(0.0)
    }

    /// The cost of the paired bead of source sentences `i − a .. i` and target sentences
    /// `j − b .. j`, and its distance `r`. `q[p][x]` are the 2-D prefix sums of the
    /// [`Semantic::pair`] products over source rows `i − 1 − p ..= i − 1` and the band's
    /// columns up to `x` (`x1` is the column just after target sentence `j − 1`). The bead
    /// counts half for itself and half for each member sentence, measured by how close that
    /// sentence is to the other side's block (mixed with the bead's distance by `member`): a
    /// sentence absorbed into a neighbour's bead without being a translation of it gains
    /// nothing, where a true part of a split translation still does.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn bead_cost(
        &self,
        weight: f32,
        q: &[Vec<f32>],
        x1: usize,
        i: usize,
        a: usize,
        j: usize,
        b: usize,
    ) -> f32 {
        let qa = &q[a - 1];
        let (sb, tb) = ((i - a, i), (j - b, j));
        let r = self.rescale(self.ratio(qa[x1] - qa[x1 - b], i, a, j, b), sb, tb);
        let quotes = self.quote_cost(i - a..i, j - b..j);
        if self.member <= 0.0 {
            return self.cost(weight, r, a, b) + quotes;
        }
        let f = |x: f32| self.hinge(weight, x);
        let (ks, kt) = (i * MAXK + a - 1, j * MAXK + b - 1);
        let mix = |rk: f32| f((1.0 - self.member) * r + self.member * rk);
        let mut total = f(r);
        let (sn, tn) = (self.s_norm[ks], self.t_norm[kt]);
        // Each source sentence against the target block: its row of the bead.
        for p in 0..a {
            let row = |p: usize| q[p][x1] - q[p][x1 - b];
            let sum = row(p) - if p > 0 { row(p - 1) } else { 0.0 };
            let k = i - 1 - p;
            let cos = if tn > 0.0 {
                sum / (self.sw[k] * tn)
            } else {
                0.0
            };
            let rk = self.normalised(cos, self.s_cen[(k + 1) * MAXK], self.t_cen[kt]);
            total += mix(self.rescale(rk, (k, k + 1), tb));
        }
        // Each target sentence against the source block: its column of the bead.
        for d in 0..b {
            let sum = qa[x1 - d] - qa[x1 - d - 1];
            let k = j - 1 - d;
            let cos = if sn > 0.0 {
                sum / (self.tw[k] * sn)
            } else {
                0.0
            };
            let rk = self.normalised(cos, self.s_cen[ks], self.t_cen[(k + 1) * MAXK]);
            total += mix(self.rescale(rk, sb, (k, k + 1)));
        }
        0.5 * total + quotes
    }

    /// [`Semantic::bead_cost`] of one bead from its sentence pairs (`pair(i, j)`: the
    /// [`Semantic::pair`] product of source sentence `i` and target sentence `j`, which a caller
    /// re-pricing many beads of one stretch reads from its own table) instead of a band's prefix
    /// sums: for the confidence model's re-search of a stretch of the path.
    pub(crate) fn bead_cost_from(
        &self,
        weight: f32,
        pair: impl Fn(usize, usize) -> f32,
        (i, a): (usize, usize),
        (j, b): (usize, usize),
    ) -> f32 {
        // q[p][x]: the products over source rows i − 1 − p ..= i − 1 and the bead's first x
        // target columns (x1 = b), as `bead_cost` reads them.
        let mut q = vec![vec![0.0f32; b + 1]; a];
        for p in 0..a {
            for x in 0..b {
                let above = if p > 0 {
                    q[p - 1][x + 1] - q[p - 1][x]
                } else {
                    0.0
                };
                q[p][x + 1] = q[p][x] + above + pair(i - 1 - p, j - b + x);
            }
        }
        self.bead_cost(weight, &q, b, i, a, j, b)
    }

    /// The cost of cutting the text before source sentence `i` and target sentence `j` (the
    /// search's state `(i, j)`), in units of `weight`: where a sentence just before the cut
    /// on one side is closer to the sentence just after it on the other (the crossing pair)
    /// than the weaker of the two pairs along the cut, the segmentation leaves evidence
    /// unexplained that a bead across the cut would explain (a true 2-2 whose two sides break
    /// their sentences at different points; a boundary sentence put into the wrong neighbour).
    /// Distances as the search's single pairs (the margin), the crossing one floored and the
    /// pairs along the cut capped at the threshold: only a crossing pair that looks like a
    /// translation counts, and unrelated text (in a run of nulls) costs nothing.
    #[inline]
    pub(crate) fn cross_cost(&self, weight: f32, i: usize, j: usize) -> f32 {
        let names = match self.cross_names {
            c if c > 0.0 => match self.names_across(i, j) {
                0 => 0.0,
                n if self.along_translates(i, j) => c * n as f32,
                _ => 0.0,
            },
            _ => 0.0,
        };
        names + self.cross_vectors(weight, i, j)
    }

    /// The cost of the quotation marks of the paired bead of source sentences `src` and target
    /// sentences `tgt`: `quotes` where one side's last sentence ends with a quotation mark and
    /// the other's does not. At the gold beads of mac-dev that happens at 3 % of the cuts
    /// between paired beads, at a cut one sentence off 23 % (`docs/aligner.md`, *Quotation
    /// marks at a bead's end*). A bead's, not a cut's: a run of omissions passes cuts between
    /// unrelated sentences, which should not pay for disagreeing.
    #[inline]
    pub(crate) fn quote_cost(
        &self,
        src: std::ops::Range<usize>,
        tgt: std::ops::Range<usize>,
    ) -> f32 {
        if self.quotes <= 0.0 || src.is_empty() || tgt.is_empty() {
            return 0.0;
        }
        match (
            self.s_quotes.get(src.end - 1),
            self.t_quotes.get(tgt.end - 1),
        ) {
            (Some(a), Some(b)) if a != b => self.quotes,
            _ => 0.0,
        }
    }

    /// Whether a pair along the cut before source sentence `i` and target sentence `j` looks
    /// like a translation (margin distance below the threshold): a number shared across the cut
    /// between unpaired sentences (a caption beside an omission) says nothing of where a
    /// translation's content went. One pair, not both: the other is the one whose content crossed.
    fn along_translates(&self, i: usize, j: usize) -> bool {
        let r = |x: usize, y: usize| {
            let cos = dot(self.src_vec(x), self.tgt_vec(y));
            let rk = self.normalised(cos, self.s_cen[(x + 1) * MAXK], self.t_cen[(y + 1) * MAXK]);
            self.rescale(rk, (x, x + 1), (y, y + 1))
        };
        r(i - 1, j - 1).min(r(i, j)) < self.threshold
    }

    /// The part of [`Semantic::cross_cost`] the sentence vectors give.
    #[inline]
    fn cross_vectors(&self, weight: f32, i: usize, j: usize) -> f32 {
        if self.cross <= 0.0
            || self.threshold <= self.floor
            || i == 0
            || j == 0
            || i >= self.sw.len()
            || j >= self.tw.len()
        {
            return 0.0;
        }
        let r = |x: usize, y: usize| {
            let cos = dot(self.src_vec(x), self.tgt_vec(y));
            let rk = self.normalised(cos, self.s_cen[(x + 1) * MAXK], self.t_cen[(y + 1) * MAXK]);
            self.rescale(rk, (x, x + 1), (y, y + 1))
        };
        // The pairs along the cut count up to the threshold: a crossing pair no closer than
        // that costs nothing, and the pairs along need not be measured.
        let crossing = r(i - 1, j).min(r(i, j - 1)).max(self.floor);
        if crossing >= self.threshold {
            return 0.0;
        }
        let along = r(i - 1, j - 1).max(r(i, j)).min(self.threshold);
        self.cross * weight * (along - crossing).max(0.0)
    }

    /// The unit vector of source sentence `k` (0-based, in the piece).
    pub(crate) fn src_vec(&self, k: usize) -> &[f32] {
        &self.src[k * self.dim..(k + 1) * self.dim]
    }

    /// The unit vector of target sentence `k`.
    pub(crate) fn tgt_vec(&self, k: usize) -> &[f32] {
        &self.tgt[k * self.dim..(k + 1) * self.dim]
    }

    /// The distance `r` of the paired bead of source sentences `src` and target sentences `tgt`
    /// whose blocks have the unit vectors `vs` and `vt`, as [`Semantic::joined_cost`] reads it.
    pub(crate) fn joined_ratio(
        &self,
        (vs, vt): (&[f32], &[f32]),
        src: std::ops::Range<usize>,
        tgt: std::ops::Range<usize>,
        bias: f32,
    ) -> f32 {
        let (cs, ct) = (dot(vs, self.tgt_centroid), dot(vt, self.src_centroid));
        let r = (self.normalised(dot(vs, vt), cs, ct) * size_bias(bias, src.len(), tgt.len()))
            .clamp(0.0, MAX_RATIO);
        self.rescale(r, (src.start, src.end), (tgt.start, tgt.end))
    }

    /// The cost and the distance `r` of the paired bead of source sentences `src` and target
    /// sentences `tgt` whose blocks have the unit vectors `vs` and `vt` (the vectors of the
    /// joined texts, or a single sentence's), judged as [`Semantic::bead_cost`] judges summed
    /// vectors: half a unit for the bead (its `r` raised by `bias` per sentence beyond two) and
    /// half for each member sentence against the other side's block. A block's closeness to
    /// text in general is read from its own vector here, against the other text's centroid.
    /// `gain(on_src, k)` is taken off member sentence `k`'s distance: what it adds to the bead
    /// (see [`super::SemanticParams::member_gain`]; 0 for none).
    pub(crate) fn joined_cost(
        &self,
        weight: f32,
        (vs, vt): (&[f32], &[f32]),
        (src, tgt): (std::ops::Range<usize>, std::ops::Range<usize>),
        bias: f32,
        gain: impl Fn(bool, usize) -> f32,
    ) -> (f32, f32) {
        let f = |x: f32| self.hinge(weight, x);
        let (cs, ct) = (dot(vs, self.tgt_centroid), dot(vt, self.src_centroid));
        let (sb, tb) = ((src.start, src.end), (tgt.start, tgt.end));
        let r = self.joined_ratio((vs, vt), src.clone(), tgt.clone(), bias);
        let quotes = self.quote_cost(src.clone(), tgt.clone());
        if self.member <= 0.0 {
            return (self.cost(weight, r, src.len(), tgt.len()) + quotes, r);
        }
        let mix = |rk: f32| f((1.0 - self.member) * r + self.member * rk);
        let mut total = f(r);
        for k in src {
            let v = self.src_vec(k);
            let rk = self.normalised(dot(v, vt), dot(v, self.tgt_centroid), ct);
            total += mix(self.rescale(rk, (k, k + 1), tb) - gain(true, k));
        }
        for k in tgt {
            let v = self.tgt_vec(k);
            let rk = self.normalised(dot(vs, v), cs, dot(v, self.src_centroid));
            total += mix(self.rescale(rk, sb, (k, k + 1)) - gain(false, k));
        }
        (0.5 * total + quotes, r)
    }

    /// The text's threshold on `r` (set by its typical distance to a translation, with
    /// `adaptive`): read by the confidence model, to which the same `r` means more in a text
    /// whose translations are far apart.
    pub(crate) fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The weighted dot product of source sentence `i` and target sentence `j` (0-based): the
    /// quantity summed over a bead by prefix sums.
    #[inline]
    pub fn pair(&self, i: usize, j: usize) -> f32 {
        let d = self.dim;
        self.sw[i] * self.tw[j] * dot(&self.src[i * d..(i + 1) * d], &self.tgt[j * d..(j + 1) * d])
    }

    /// The normalised distance `r` of the bead of source sentences `i − a .. i` and target
    /// sentences `j − b .. j`, given the sum of their [`Semantic::pair`] products: about 1 for
    /// unrelated text, towards 0 for a close translation.
    #[inline]
    pub fn ratio(&self, sum: f32, i: usize, a: usize, j: usize, b: usize) -> f32 {
        let (ks, kt) = (i * MAXK + a - 1, j * MAXK + b - 1);
        let den = self.s_norm[ks] * self.t_norm[kt];
        if den <= 0.0 {
            return 1.0;
        }
        let cos = sum / den;
        let spread = (1.0 - 0.5 * (self.s_cen[ks] + self.t_cen[kt])).max(MIN_SPREAD);
        ((1.0 - cos) / spread * self.bias[a * (MAXK + 1) + b]).clamp(0.0, MAX_RATIO)
    }

    /// The cost the search adds for a paired bead: `weight × (r − threshold)` (`penalty ×` above the threshold) per sentence pair
    /// covered (`(1 + a + b) / 2`, to a power: half a unit per bead, half per sentence), negative for a translation.
    #[inline]
    pub fn cost(&self, weight: f32, r: f32, a: usize, b: usize) -> f32 {
        let scale = if a > MAXK || b > MAXK {
            size_scale(self.exponent, a, b)
        } else {
            self.scale[a * (MAXK + 1) + b]
        };
        self.hinge(weight, r) * scale
    }

    /// [`Semantic::ratio`] of the bead of source sentences `src` and target sentences `tgt`
    /// of any size, from the sentences' vectors (the tables hold blocks of up to `MAXK`; the
    /// refinement's wide beads hold more).
    pub(crate) fn ratio_of(&self, src: std::ops::Range<usize>, tgt: std::ops::Range<usize>) -> f32 {
        let d = self.dim;
        let bias = size_bias(self.block_bias, src.len(), tgt.len());
        let sum = |v: &[f32], w: &[f32], r: std::ops::Range<usize>| {
            let mut acc = vec![0.0f32; d];
            for k in r {
                acc.iter_mut()
                    .zip(&v[k * d..(k + 1) * d])
                    .for_each(|(x, y)| *x += w[k] * y);
            }
            acc
        };
        let (vs, vt) = (sum(self.src, &self.sw, src), sum(self.tgt, &self.tw, tgt));
        let (ns, nt) = (dot(&vs, &vs).sqrt(), dot(&vt, &vt).sqrt());
        if ns * nt <= 0.0 {
            return 1.0;
        }
        let cos = dot(&vs, &vt) / (ns * nt);
        let (cs, ct) = (
            dot(&vs, self.tgt_centroid) / ns,
            dot(&vt, self.src_centroid) / nt,
        );
        (self.normalised(cos, cs, ct) * bias).clamp(0.0, MAX_RATIO)
    }

    /// One distance's part of a cost: `weight × (r − threshold)`, `penalty ×` above the
    /// threshold (unrelated text is priced by its own slope).
    #[inline]
    fn hinge(&self, weight: f32, r: f32) -> f32 {
        let d = r.max(self.floor) - self.threshold;
        if d > 0.0 {
            self.penalty * d
        } else {
            weight * d
        }
    }
}

/// How many times a paired bead of `a` and `b` sentences counts in the semantic cost:
/// `((1 + a + b) / 2)^exponent` — half a unit for the bead, half per sentence. The tables of
/// [`Semantic`] hold it up to [`MAXK`]; the refinement's wider beads compute it.
fn size_scale(exponent: f32, a: usize, b: usize) -> f32 {
    ((1 + a + b) as f32 / 2.0).powf(exponent)
}

/// The factor on the distance `r` of a bead of `a` and `b` sentences: `1 + bias` per sentence
/// beyond two (a block is closer to everything than its sentences are).
fn size_bias(bias: f32, a: usize, b: usize) -> f32 {
    1.0 + bias * ((a + b) as f32 - 2.0).max(0.0)
}

mod cues;
mod margin;
#[cfg(test)]
mod tests;
