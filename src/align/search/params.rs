//! The model's parameters for one pair of texts, and the length evidence they price.

use super::RawBead;

/// The model's parameters for one pair of texts.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// Target characters per source character.
    pub ratio: f32,
    /// The ratio along the text, per source position (0..=n), when known from a first pass:
    /// it follows passages where one side is relatively longer.
    pub local: Option<std::sync::Arc<Vec<f32>>>,
    /// Variance of the target length around `ratio ×` source length, per character.
    pub var: f32,
    /// Cost (−ln probability) of each bead type.
    pub prior: [f32; 12],
    /// Weight of the lexical evidence (per unit of matched feature weight).
    pub lambda: f32,
    /// Cost of ending a bead at a block boundary on one side only.
    pub block_penalty: f32,
    /// Scale of the length cost of null beads.
    pub null_len: f32,
    /// Scale of the length cost of a null bead that extends a run (with affine gaps).
    pub null_len_run: f32,
    /// Weight of the semantic evidence, when there is any (see [`Semantic::cost`](crate::align::semantic::Semantic::cost)).
    pub sem_weight: f32,
    /// Cost of a null bead right after one of the same kind (the prior when dearer): a run of
    /// omitted sentences opens once. When finite, runs are priced exactly (affine gaps: the
    /// search keeps, per state, the best path ending in a run of each kind), and `null_run`
    /// is not used.
    pub null_extend: f32,
    /// Cost of the second null bead of a run (with affine gaps; `null_extend` when lower): from
    /// the third on a run costs `null_extend`. Read from whether the best run state before
    /// extended a run or opened it.
    pub null_second: f32,
    /// Cost of a null bead after two of the same kind (the smaller of this and `null_extend`
    /// counts), in long texts only (see `levels::search_level`). The first pass prices runs this way: a chapter missing on one side must
    /// come out as one run already there, or its nulls are spread over merges and wrong pairs
    /// chosen by length, and the band of the second pass follows that; from the third null on,
    /// short runs on weak evidence (Chinese–English before a dictionary) are not encouraged.
    pub null_run: f32,
    /// Weight of the lexical evidence in a null bead's cost (see `lex_null_costs`), and the
    /// best similarity at which it is neutral.
    pub lex_null: f32,
    pub lex_null_t: f32,
    /// Cost of a paired bead whose last source and last target sentence disagree in ending
    /// with a quotation mark (`Level::quotes`), and what is taken off one where both end with
    /// one. Model-free, from the second pass on, set by what the marks say in the texts
    /// (`first_pass::quote_evidence`); with vectors 0 (the semantic evidence prices them,
    /// `Semantic::quote_cost`).
    pub quotes: f32,
    pub quote_both: f32,
}

impl Params {
    /// What a paired bead ending after source sentence `i − 1` and target sentence `j − 1`
    /// costs for its ends' quotation marks: [`Params::quotes`] where one ends a quotation and
    /// the other does not, less `quote_both` where both do; nothing without `quotes`.
    #[inline]
    pub(crate) fn quote_cost(&self, quotes: Option<(&[bool], &[bool])>, i: usize, j: usize) -> f32 {
        match quotes {
            Some((s, t)) if i > 0 && j > 0 => match (s[i - 1], t[j - 1]) {
                (true, true) => -self.quote_both,
                (false, false) => 0.0,
                _ => self.quotes,
            },
            _ => 0.0,
        }
    }

    /// The length ratio at source position `i`.
    #[inline]
    pub(crate) fn ratio_at(&self, i: usize) -> f32 {
        match &self.local {
            Some(v) => v.get(i).copied().unwrap_or(self.ratio),
            None => self.ratio,
        }
    }

    /// With affine gaps, what a null bead that continues a run costs besides its length and
    /// evidence: `null_second` for the run's second null (`null_extend` when that is dearer),
    /// `null_extend` for any later one, never more than the bead kind's `prior` (opening a new
    /// run). The search and the model-free widening price runs by this one rule.
    #[inline]
    pub(crate) fn run_step(&self, second: bool, prior: f32) -> f32 {
        let step = if second {
            self.null_second.max(self.null_extend)
        } else {
            self.null_extend
        };
        step.min(prior)
    }
}

/// Length cost of a bead with `ls` source and `lt` target characters, and its δ².
#[inline]
pub(crate) fn length_d2(p: &Params, i: usize, ls: f64, lt: f64) -> f32 {
    let ls = ls * f64::from(p.ratio_at(i));
    let mean = ((ls + lt) / 2.0).max(1.0);
    ((lt - ls) * (lt - ls) / (f64::from(p.var) * mean)) as f32
}

/// −ln likelihood of a length deviation: Gaussian near the mean, linear in the tails so a single
/// badly translated or badly OCR'd sentence cannot push the whole path off course.
#[inline]
pub(crate) fn length_cost(d2: f32) -> f32 {
    if d2 <= 9.0 {
        d2 / 2.0
    } else {
        4.5 + 3.0 * (d2.sqrt() - 3.0)
    }
}

/// Beads on either side over which [`ratio_along`] measures the ratio.
pub(crate) const RATIO_WINDOW: usize = 100;

/// The length ratio along a path given on a grid `scale` times coarser than the `n` positions it
/// is wanted for: target over source length of the beads within [`RATIO_WINDOW`] beads either
/// side, kept within a factor 4 of the global ratio.
pub(crate) fn ratio_along(
    path: &[RawBead],
    src_cum: &[f64],
    tgt_cum: &[f64],
    scale: usize,
    n: usize,
    global: f32,
) -> Vec<f32> {
    // The path is contiguous: the lengths before bead k are the cumulative lengths at its start.
    let before = |cum: &[f64], start: fn(&RawBead) -> usize, end: fn(&RawBead) -> usize| {
        let last = path.last().map(|b| cum[end(b)]);
        path.iter()
            .map(|b| cum[start(b)])
            .chain(last)
            .collect::<Vec<f64>>()
    };
    let ps = before(src_cum, |b| b.s0, |b| b.s1);
    let pt = before(tgt_cum, |b| b.t0, |b| b.t1);
    ratio_window(path, (&ps, &pt), scale, n, global)
}

/// As [`ratio_along`] at the sentence level, but runs of at least `run` null beads of one kind
/// (`run` ≥ 1) do not count: a passage missing on one side is not a passage where that side
/// runs shorter. In a short text the window spans the whole text, so a deleted passage moved
/// the ratio of every bead and made merges of its neighbours look the right length.
pub(crate) fn ratio_along_without_runs(
    path: &[RawBead],
    (sl, tl): (&[u32], &[u32]),
    n: usize,
    global: f32,
    run: usize,
) -> Vec<f32> {
    let is_null = |b: &RawBead| b.s1 == b.s0 || b.t1 == b.t0;
    // Prefix sums over the path of the lengths that count.
    let (mut ps, mut pt) = (vec![0.0f64; path.len() + 1], vec![0.0f64; path.len() + 1]);
    let mut x = 0;
    while x < path.len() {
        let mut y = x + 1;
        while is_null(&path[x]) && y < path.len() && path[y].ty == path[x].ty {
            y += 1;
        }
        let skip = is_null(&path[x]) && y - x >= run;
        for (k, b) in path.iter().enumerate().take(y).skip(x) {
            let len = |v: &[u32], a: usize, z: usize| -> f64 {
                if skip {
                    0.0
                } else {
                    v[a..z].iter().map(|&l| f64::from(l)).sum()
                }
            };
            ps[k + 1] = ps[k] + len(sl, b.s0, b.s1);
            pt[k + 1] = pt[k] + len(tl, b.t0, b.t1);
        }
        x = y;
    }
    ratio_window(path, (&ps, &pt), 1, n, global)
}

/// The ratio over `RATIO_WINDOW` beads either side of every bead, from prefix sums over the
/// path of the lengths that count (`ps[k]`, `pt[k]`: the beads before bead k), given to the
/// source positions the bead covers (at `scale` sentences per unit).
fn ratio_window(
    path: &[RawBead],
    (ps, pt): (&[f64], &[f64]),
    scale: usize,
    n: usize,
    global: f32,
) -> Vec<f32> {
    let mut out = vec![global; n + 1];
    for (x, b) in path.iter().enumerate() {
        let (lo, hi) = (
            x.saturating_sub(RATIO_WINDOW),
            (x + RATIO_WINDOW + 1).min(path.len()),
        );
        let (s, t) = (ps[hi] - ps[lo], pt[hi] - pt[lo]);
        let r = if s > 0.0 { (t / s) as f32 } else { global };
        let r = r.clamp(global / 4.0, global * 4.0);
        let (i0, i1) = ((b.s0 * scale + 1).min(n), (b.s1 * scale).min(n));
        for v in &mut out[i0..=i1] {
            *v = r;
        }
    }
    out
}

#[cfg(test)]
/// Parameters for tests: length and clues only, no price for runs of nulls.
pub(crate) fn for_tests(ratio: f32) -> Params {
    Params {
        ratio,
        local: None,
        var: 6.8,
        prior: super::PRIOR.map(|p| (-p.ln()) as f32),
        lambda: 35.0,
        block_penalty: 1.5,
        null_len: 0.1,
        null_len_run: 0.1,
        sem_weight: 0.0,
        null_extend: f32::INFINITY,
        null_second: 0.0,
        null_run: f32::INFINITY,
        lex_null: 0.0,
        lex_null_t: 0.0,
        quotes: 0.0,
        quote_both: 0.0,
    }
}
