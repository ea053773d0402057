//! The search: dynamic programming over bead types inside a band of target positions per source
//! position (memory linear in text length), found coarse-to-fine: long texts are first aligned as
//! blocks of sentences, and the sentence-level band follows that coarse path. A band whose edge the
//! best path touches is widened there and the search repeated.
//!
//! The search is in six parts: [`params`] (the model's parameters and the length cost),
//! [`levels`] (the texts at one level and the coarse-to-fine descent), [`band`] (the band of
//! target positions per source position and its widening), [`dp`] (the dynamic programme with
//! its affine-gap states), [`reuse`] (a search in a widened band copies the rows the widening
//! cannot change), [`pieces`] (a long search cut into pieces searched in parallel).

mod band;
mod dp;
mod levels;
mod params;
mod pieces;
mod reuse;

pub(crate) use band::Band;
pub(crate) use levels::{Level, cumulative, search};
#[cfg(test)]
pub(crate) use params::for_tests as params_for_tests;
pub(crate) use params::{Params, length_cost, length_d2, ratio_along, ratio_along_without_runs};
pub(crate) use pieces::dp_pieces;
pub(crate) use reuse::NullInputs;

/// Bead types the search considers, as (source sentences, target sentences).
pub(crate) const TYPES: [(usize, usize); 12] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
    (4, 1),
    (1, 4),
    (3, 2),
    (2, 3),
];

/// Default prior probability of each bead type (same order as [`TYPES`]): mostly 1-1, a few merges
/// and splits, rare omissions. Re-estimated from the first pass over the texts themselves.
pub(crate) const PRIOR: [f64; 12] = [
    0.85, 0.01, 0.01, 0.04, 0.04, 0.01, 0.008, 0.008, 0.002, 0.002, 0.002, 0.002,
];

/// The most sentences on one side of a bead.
pub(crate) const MAXK: usize = 4;

/// The index in [`TYPES`] of the bead kind of `k.0` source and `k.1` target sentences.
pub(crate) fn type_index(k: (usize, usize)) -> Option<usize> {
    TYPES.iter().position(|&x| x == k)
}

/// The cost (−ln prior) of a bead of one sentence against `k.0.max(k.1)` > [`MAXK`] (a kind
/// the search does not make: the refinement's and the model-free widening's beads of five or
/// six): that of the 1-4 (4-1) bead plus, per sentence beyond four, the step from 1-3 to 1-4
/// (at least nothing) — the re-estimated priors' own rate of decay.
pub(crate) fn wide_prior(p: &Params, k: (usize, usize)) -> f32 {
    let at = |k: (usize, usize)| type_index(k).map_or(0.0, |i| p.prior[i]);
    let (four, three) = if k.0 > k.1 {
        (at((4, 1)), at((3, 1)))
    } else {
        (at((1, 4)), at((1, 3)))
    };
    four + (four - three).max(0.0) * (k.0.max(k.1) - MAXK) as f32
}

/// One bead of the search's result, with the evidence that chose it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RawBead {
    pub s0: usize,
    pub s1: usize,
    pub t0: usize,
    pub t1: usize,
    /// Index into [`TYPES`].
    pub ty: u8,
    /// Squared length deviation (Gale–Church δ²).
    pub d2: f32,
    /// Lexical similarity in [0, 1]: twice the matched feature weight over the total.
    pub lex: f32,
    /// Semantic distance ratio of a paired bead when vectors were used ([`Semantic::ratio`](crate::align::semantic::Semantic::ratio):
    /// about 1 for unrelated text, towards 0 for a close translation).
    pub sem: Option<f32>,
}

impl RawBead {
    /// A bead with its place and type but no evidence yet (no length deviation, no lexical or
    /// semantic score): what a side without sentences on the other gives, and what tests build.
    pub(crate) fn unscored(s0: usize, s1: usize, t0: usize, t1: usize, ty: u8) -> RawBead {
        RawBead {
            s0,
            s1,
            t0,
            t1,
            ty,
            d2: 0.0,
            lex: 0.0,
            sem: None,
        }
    }
}
