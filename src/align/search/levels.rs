//! The texts as the search sees them at one level, and the descent from coarse to fine: a long
//! text is first aligned as blocks of sentences, and the finer level's band follows that path.

use super::RawBead;
use super::band::{BAND, Band, dp_widening};
use super::params::{Params, ratio_along};
use super::pieces::dp_pieces;
use crate::align::lexicon::Weighted;
use crate::align::semantic::Semantic;
use indicatif::ProgressBar;

/// Coarse levels up to this many coarsenings from the sentences price runs of nulls
/// (`Params::null_run`); coarser ones do not.
const RUN_DEPTH: usize = 3;
/// Texts with at most this many DP states are searched without a band.
const FULL_STATES: usize = 2_500_000;
/// How many sentences make one block of the coarser level.
const COARSEN: usize = 4;
/// Features kept per block at coarse levels.
const COARSE_CAP: usize = 64;

/// The texts as the search sees them at one level.
pub(crate) struct Level<'a> {
    /// Prefix sums of source lengths (n + 1 entries).
    pub src_cum: Vec<f64>,
    /// Prefix sums of target lengths (m + 1 entries).
    pub tgt_cum: Vec<f64>,
    pub feats: &'a Weighted,
    /// For positions 0..=n / 0..=m: is there a block boundary there? (soft anchors)
    pub src_bound: Option<&'a [bool]>,
    pub tgt_bound: Option<&'a [bool]>,
    /// Semantic evidence (sentence level only: coarse levels go by length and clues).
    pub sem: Option<&'a Semantic<'a>>,
    /// Per sentence of each side, whether it ends with a quotation mark (sentence level only;
    /// priced by `Params::quotes`).
    pub quotes: Option<(&'a [bool], &'a [bool])>,
}

impl<'a> Level<'a> {
    /// The sentence level of texts with these lengths and clues: no block boundaries, no
    /// semantic evidence (set them with struct update syntax where there are some).
    pub(crate) fn new(src_len: &[u32], tgt_len: &[u32], feats: &'a Weighted) -> Level<'a> {
        Level {
            src_cum: cumulative(src_len),
            tgt_cum: cumulative(tgt_len),
            feats,
            src_bound: None,
            tgt_bound: None,
            sem: None,
            quotes: None,
        }
    }
}

impl Level<'_> {
    pub(super) fn n(&self) -> usize {
        self.src_cum.len() - 1
    }
    pub(super) fn m(&self) -> usize {
        self.tgt_cum.len() - 1
    }
}

/// Prefix sums of lengths.
pub(crate) fn cumulative(lens: &[u32]) -> Vec<f64> {
    let mut v = Vec::with_capacity(lens.len() + 1);
    let mut acc = 0.0;
    v.push(0.0);
    for &l in lens {
        acc += f64::from(l);
        v.push(acc);
    }
    v
}

/// The weight of the lexical similarity at the coarse levels, whatever the pass's own weight
/// (`Params::lambda`, 35 to 85, fitted on texts short enough to be searched in full, so on
/// sentences only). A block's similarity is another quantity than a sentence's: the share of the
/// rarest clues ([`COARSE_CAP`]) two blocks hold in common grows with the block (over the 1-1
/// beads of the 1M *same order* path: 0.06 at 4 sentences a block, 0.11 at 16, 0.18 at 64, 0.24
/// at 256, 0.35 at 1,024), and it depends on where the block boundaries fall in the content, so
/// the same passage paired at another place where the boundaries happen to line up scores
/// higher. A null block costs its prior once, like one sentence. Weighed at 85, the lexical gain
/// of better-placed boundaries paid for runs of null blocks: at 1,024 sentences a block the path
/// left a copy of the books unpaired on one side and followed another copy (1M same order: 76
/// null blocks against 10, strict F1 0.77). 35 is what every coarse level was validated with
/// at 1M in all four arrangements of `benches/align_scale.rs`.
const COARSE_LAMBDA: f32 = 35.0;

/// Find the best path through `level`: coarse-to-fine when the text is long.
pub(crate) fn search(
    level: &Level<'_>,
    p: &Params,
    rounds: usize,
    progress: Option<&ProgressBar>,
) -> Vec<RawBead> {
    search_level(level, p, rounds, progress, true, 0)
}

/// [`search`] at one level; `sentences`: the finest. `p.null_run` prices runs of nulls only in
/// a long text, searched coarse-to-fine: there a chapter missing on one side must come out as
/// one run at every level, or the band of the finer level loses the course. A short text
/// searched in full is left without it: there it would only let short runs of omissions stand
/// in for links on weak evidence (Chinese–English before a dictionary is induced). `depth`:
/// how many coarsenings `level` is from the sentences. The coarsest levels of a very long text
/// (blocks of 256 sentences and more, in texts of more than about 100k sentences a side) do not price runs: there
/// a run of a few blocks is a whole book, and pricing it as one event let the path skip a copy of
/// a repeated book and stay on the wrong one (1M sentences of the same books in turn: strict F1
/// 0.42).
fn search_level(
    level: &Level<'_>,
    p: &Params,
    rounds: usize,
    progress: Option<&ProgressBar>,
    sentences: bool,
    depth: usize,
) -> Vec<RawBead> {
    let (n, m) = (level.n(), level.m());
    if (n + 1) * (m + 1) <= FULL_STATES || n.min(m) < 4 * COARSEN {
        let own = Params {
            null_run: if sentences { f32::INFINITY } else { p.null_run },
            ..p.clone()
        };
        let _t = crate::align::timing::phase(|| format!("  level {depth}: {n} rows, full"));
        return dp_widening(level, &own, Band::full(n, m), rounds, progress);
    }
    let group = |cum: &[f64]| -> Vec<f64> {
        let mut v: Vec<f64> = cum.iter().step_by(COARSEN).copied().collect();
        if !(cum.len() - 1).is_multiple_of(COARSEN) {
            v.push(cum[cum.len() - 1]);
        }
        v
    };
    let coarse_feats = Weighted {
        src: level.feats.src.coarsen(COARSEN, COARSE_CAP),
        tgt: level.feats.tgt.coarsen(COARSEN, COARSE_CAP),
    };
    let coarse = Level {
        src_cum: group(&level.src_cum),
        tgt_cum: group(&level.tgt_cum),
        feats: &coarse_feats,
        src_bound: None,
        tgt_bound: None,
        sem: None,
        quotes: None,
    };
    // Length deviations are not independent from sentence to sentence (a translator's style, a
    // passage of dialogue): a block's length is only as reliable as a sentence's, relatively.
    let coarse_params = Params {
        var: p.var * COARSEN as f32,
        local: p
            .local
            .as_ref()
            .map(|v| std::sync::Arc::new(v.iter().step_by(COARSEN).copied().collect::<Vec<f32>>())),
        null_run: if depth >= RUN_DEPTH {
            f32::INFINITY
        } else {
            p.null_run
        },
        // A block's similarity has its own weight: the pass's is fitted on sentences.
        lambda: COARSE_LAMBDA,
        ..p.clone()
    };
    let path = search_level(&coarse, &coarse_params, rounds, None, false, depth + 1);
    // The coarse clues are not needed once the coarse path is found: dropped before the finer
    // search (held through it, every coarser level's clues together took as much memory as
    // the sentences' own; the first pass of 1M sentences a side peaked there).
    let (coarse_src_cum, coarse_tgt_cum) = (coarse.src_cum, coarse.tgt_cum);
    drop(coarse_feats);
    crate::align::memory::give_back(n + m);
    let _t = crate::align::timing::phase(|| format!("  level {depth}: {n} rows"));
    let band = Band::around(&path, COARSEN, BAND, n, m);
    if p.local.is_some() {
        return dp_pieces(level, p, band, rounds, progress).0;
    }
    // The length ratio may change along a long text (another translator, another kind of
    // passage): measure it along the coarse path.
    let fine = Params {
        local: Some(std::sync::Arc::new(ratio_along(
            &path,
            &coarse_src_cum,
            &coarse_tgt_cum,
            COARSEN,
            n,
            p.ratio,
        ))),
        ..p.clone()
    };
    dp_pieces(level, &fine, band, rounds, progress).0
}
