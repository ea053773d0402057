//! The margin of a sentence: how close it comes to its nearest neighbours on the other side,
//! which the search's costs normalise by in place of the other text's centroid alone
//! (`docs/aligner.md`, *Margin and a threshold set by the text*).

use super::{MIN_SPREAD, dot};

/// A sentence's neighbourhood for the margin: its `KNN` closest sentences of the other side...
const KNN: usize = 4;
/// ...among those within `KNN_WINDOW` positions of its place on the diagonal (a linear cost,
/// and the counterpart is near there but for long omissions).
const KNN_WINDOW: usize = 64;
/// Sentences either side whose neighbour cosines a sentence's is smoothed with (see `smoothed`).
const SMOOTH: usize = 8;

/// Prefix sums, over one side's sentences, of their weights and of their weighted cosines with
/// the other text's centroid and with their nearest neighbours on the other side (the mean of
/// the `KNN` best). As in the margin scores of Artetxe & Schwenk (2019), a pair is judged against
/// how close each sentence comes to anything nearby: a centroid says what unrelated text looks
/// like on average, but the cosines of true pairs differ by language pair and text (zh–en
/// translations sit where de–fr neighbours do), which the nearest neighbours show.
#[derive(Debug, Default)]
pub(super) struct Margin {
    w: Vec<f32>,
    cen: Vec<f32>,
    knn: Vec<f32>,
    /// Each sentence's distance to its closest neighbour, normalised by its own neighbours.
    pub(super) best: Vec<f32>,
    /// Each sentence's distance to its closest neighbour over the mean distance to its next
    /// `KNN − 1` (unsmoothed): about 1 when nothing stands out.
    pub(super) own: Vec<f32>,
}

impl Margin {
    /// The weighted mean centroid and neighbour cosines of sentences `x0..x1`.
    #[inline]
    pub(super) fn mean(&self, x0: usize, x1: usize) -> (f32, f32) {
        let w = self.w[x1] - self.w[x0];
        if w <= 0.0 {
            return (0.0, 0.0);
        }
        (
            (self.cen[x1] - self.cen[x0]) / w,
            (self.knn[x1] - self.knn[x0]) / w,
        )
    }
}

/// The mean of the `KNN` best cosines of each of the `n` rows of `a` with the rows of `b`
/// within `KNN_WINDOW` of its diagonal position, the best of them, and the mean of the others.
fn nearest(a: &[f32], b: &[f32], dim: usize) -> Vec<(f32, f32, f32)> {
    use rayon::prelude::*;
    let (n, m) = (a.len() / dim.max(1), b.len() / dim.max(1));
    (0..n)
        .into_par_iter()
        .map(|i| {
            let c = if n > 1 {
                i * m.saturating_sub(1) / (n - 1)
            } else {
                0
            };
            let (lo, hi) = (c.saturating_sub(KNN_WINDOW), (c + KNN_WINDOW + 1).min(m));
            let mut top = [f32::NEG_INFINITY; KNN];
            let row = &a[i * dim..(i + 1) * dim];
            for j in lo..hi {
                let d = dot(row, &b[j * dim..(j + 1) * dim]);
                if d > top[KNN - 1] {
                    let mut k = KNN - 1;
                    while k > 0 && top[k - 1] < d {
                        top[k] = top[k - 1];
                        k -= 1;
                    }
                    top[k] = d;
                }
            }
            let got: Vec<f32> = top.into_iter().filter(|x| x.is_finite()).collect();
            let mean = got.iter().sum::<f32>() / got.len().max(1) as f32;
            let top = got.first().copied().unwrap_or(0.0);
            let others = got.get(1..).unwrap_or(&[]);
            let rest = if others.is_empty() {
                top
            } else {
                others.iter().sum::<f32>() / others.len() as f32
            };
            (mean, top, rest)
        })
        .collect()
}

/// Each sentence's neighbour cosine replaced by the median of its own and its `SMOOTH`
/// neighbours' on either side: the margin is meant to say how close the model puts a translation
/// in this part of the text, and a sentence without counterpart (an omission) has only unrelated
/// neighbours, a low mean cosine, hence a wide spread that would flatter its pairing with
/// anything; the median of its neighbourhood (up to `SMOOTH` such sentences in a row) does not.
fn smoothed(knn: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    let n = knn.len();
    (0..n)
        .map(|k| {
            let (lo, hi) = (k.saturating_sub(SMOOTH), (k + SMOOTH + 1).min(n));
            let mut w: Vec<f32> = knn[lo..hi].iter().map(|x| x.0).collect();
            let mid = w.len() / 2;
            w.select_nth_unstable_by(mid, f32::total_cmp);
            (w[mid], knn[k].1)
        })
        .collect()
}

/// One side's [`Margin`] (empty when the margin is off): its sentences' weights `w` and vectors
/// `v` against the `other` side's vectors and `centroid`.
pub(super) fn margin(
    v: &[f32],
    other: &[f32],
    w: &[f32],
    dim: usize,
    centroid: &[f32],
    on: bool,
) -> Margin {
    if !on {
        return Margin::default();
    }
    let near = nearest(v, other, dim);
    let own = near
        .iter()
        .map(|&(_, top, rest)| (1.0 - top) / (1.0 - rest).max(MIN_SPREAD))
        .collect();
    let knn = smoothed(near.into_iter().map(|(m, t, _)| (m, t)).collect());
    let mut out = Margin {
        own,
        w: vec![0.0; w.len() + 1],
        cen: vec![0.0; w.len() + 1],
        knn: vec![0.0; w.len() + 1],
        best: knn
            .iter()
            .map(|&(mean, top)| (1.0 - top) / (1.0 - mean).max(MIN_SPREAD))
            .collect(),
    };
    for (k, row) in v.chunks_exact(dim).enumerate() {
        out.w[k + 1] = out.w[k] + w[k];
        out.cen[k + 1] = out.cen[k] + w[k] * dot(row, centroid);
        out.knn[k + 1] = out.knn[k] + w[k] * knn[k].0;
    }
    out
}

/// The median of every sentence's distance to its closest neighbour on the other side: how
/// far apart the model puts a translation in this text.
pub(super) fn typical(s: &Margin, t: &Margin) -> Option<f32> {
    median(s.best.iter().chain(&t.best).copied().collect())
}

/// The median of every sentence's own distance ratio (see [`Margin::own`]) over both sides.
pub(super) fn typical_own(s: &Margin, t: &Margin) -> Option<f32> {
    median(s.own.iter().chain(&t.own).copied().collect())
}

/// The median of `all` (the upper one of an even count), `None` when empty.
fn median(mut all: Vec<f32>) -> Option<f32> {
    if all.is_empty() {
        return None;
    }
    let mid = all.len() / 2;
    all.select_nth_unstable_by(mid, f32::total_cmp);
    Some(all[mid])
}
