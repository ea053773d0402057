//! A long banded search cut into overlapping pieces along the band, searched in parallel and
//! joined where their paths meet: the dynamic programme is sequential row by row, so one long
//! search keeps one core busy, and a band widened near its start is searched again from there to
//! the end. Pieces are searched on every core, and a piece whose band is widened is searched
//! again alone.

use super::RawBead;
use super::band::{Band, dp_widening_rows};
use super::levels::Level;
use super::params::Params;
use super::reuse::NullInputs;
use crate::align::lexicon::Weighted;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::HashMap;

/// Source positions per piece: shorter texts are searched whole (every gold set is).
pub(crate) const PIECE: usize = 50_000;
/// Rows each piece reaches beyond its cut on either side. A piece must begin and end at a
/// state of the band, which need not be on the best path; the path from a wrong corner joins the
/// best one within a few dozen sentences, or a few hundred after a long run of nulls, and the
/// pieces are joined near the cut, far from both corners.
const OVERLAP: usize = 2_000;

/// As [`super::band::dp_widening`], in pieces of about [`PIECE`] rows when the text is long
/// enough (and has no semantic evidence, whose tables are not cut). Two pieces are joined at the
/// state both paths pass through nearest their cut; where they share none in the overlap (not
/// seen on the benches), the whole band is searched at once instead. Also the per-sentence null
/// costs the searches used ([`NullInputs`]; in the overlap of two pieces, the later piece's).
pub(crate) fn dp_pieces(
    level: &Level<'_>,
    p: &Params,
    band: Band,
    rounds: usize,
    progress: Option<&ProgressBar>,
) -> (Vec<RawBead>, NullInputs) {
    let (n, m) = (level.n(), level.m());
    let all = 0..n + 1;
    if n < 2 * PIECE || level.sem.is_some() {
        return dp_widening_rows(level, p, band, rounds, progress, all);
    }
    let k = n / PIECE;
    let cuts: Vec<usize> = (1..k).map(|x| x * PIECE).collect();
    // The target position of a corner: the middle of the band there.
    let mid = |i: usize| (band.lo[i] + band.hi[i]) / 2;
    let ranges: Vec<(usize, usize, usize, usize)> = (0..k)
        .map(|x| {
            let a = if x == 0 { 0 } else { cuts[x - 1] - OVERLAP };
            let b = if x == k - 1 { n } else { cuts[x] + OVERLAP };
            let ja = if a == 0 { 0 } else { mid(a) };
            let jb = if b == n { m } else { mid(b).max(ja) };
            (a, b, ja, jb)
        })
        .collect();
    if let Some(pb) = progress {
        pb.set_length(n as u64 + 1);
        pb.set_position(0);
    }
    let searched: Vec<(Vec<RawBead>, NullInputs)> = ranges
        .par_iter()
        .map(|&r| {
            let done = piece(level, p, &band, r, rounds);
            if let Some(pb) = progress {
                pb.inc((r.1 - r.0) as u64);
            }
            done
        })
        .collect();
    let mut nulls = NullInputs::default();
    if p.lex_null != 0.0 {
        nulls.lex_s = vec![0.0; n];
        nulls.lex_t = vec![0.0; m];
    }
    let mut out: Vec<RawBead> = Vec::with_capacity(n + m / 8);
    for (x, (path, own)) in searched.into_iter().enumerate() {
        let (a, _, ja, _) = ranges[x];
        place(&mut nulls.lex_s, &own.lex_s, a);
        place(&mut nulls.lex_t, &own.lex_t, ja);
        if x == 0 {
            out = path;
            continue;
        }
        match join(&out, &path, cuts[x - 1]) {
            Some((keep, from)) => {
                out.truncate(keep);
                out.extend_from_slice(&path[from..]);
            }
            None => {
                return dp_widening_rows(level, p, band, rounds, progress, all);
            }
        }
    }
    (out, nulls)
}

/// Copy a piece's per-sentence values `own`, of the sentences from `from` on, into `all`.
fn place(all: &mut [f32], own: &[f32], from: usize) {
    if let Some(dst) = all.get_mut(from..from + own.len()) {
        dst.copy_from_slice(own);
    }
}

/// Search rows `a..=b`, target positions `ja..=jb` of `band` alone; the path in whole-text
/// positions.
fn piece(
    level: &Level<'_>,
    p: &Params,
    band: &Band,
    (a, b, ja, jb): (usize, usize, usize, usize),
    rounds: usize,
) -> (Vec<RawBead>, NullInputs) {
    let feats = Weighted {
        src: level.feats.src.slice(a..b),
        tgt: level.feats.tgt.slice(ja..jb),
    };
    let sub = Level {
        src_cum: level.src_cum[a..=b].to_vec(),
        tgt_cum: level.tgt_cum[ja..=jb].to_vec(),
        feats: &feats,
        src_bound: level.src_bound.map(|s| &s[a..=b]),
        tgt_bound: level.tgt_bound.map(|t| &t[ja..=jb]),
        sem: None,
        quotes: level.quotes.map(|(s, t)| (&s[a..b], &t[ja..jb])),
    };
    let params = Params {
        local: p
            .local
            .as_ref()
            .map(|v| std::sync::Arc::new(v[a..=b.min(v.len() - 1)].to_vec())),
        ..p.clone()
    };
    let clip = |j: usize| j.clamp(ja, jb) - ja;
    let lo = (a..=b).map(|i| clip(band.lo[i])).collect();
    let hi = (a..=b).map(|i| clip(band.hi[i])).collect();
    let sub_band = Band::new(lo, hi, jb - ja);
    // Only the rows within half the overlap of the cuts are kept (see `join`).
    let first = if a == 0 { 0 } else { OVERLAP / 2 };
    let last = if b == level.n() {
        b - a
    } else {
        b - a - OVERLAP / 2
    };
    let (mut path, nulls) =
        dp_widening_rows(&sub, &params, sub_band, rounds, None, first..last + 1);
    for bead in &mut path {
        bead.s0 += a;
        bead.s1 += a;
        bead.t0 += ja;
        bead.t1 += ja;
    }
    (path, nulls)
}

/// Where to join path `left` and the next piece's path `right`, both in whole-text positions:
/// (beads of `left` kept, first bead of `right` taken), at the state both pass through nearest
/// the row `cut`, within half the overlap of it.
fn join(left: &[RawBead], right: &[RawBead], cut: usize) -> Option<(usize, usize)> {
    let near = |i: usize| i.abs_diff(cut) <= OVERLAP / 2;
    let starts: HashMap<(usize, usize), usize> = right
        .iter()
        .enumerate()
        .filter(|(_, b)| near(b.s0))
        .map(|(x, b)| ((b.s0, b.t0), x))
        .collect();
    left.iter()
        .enumerate()
        .filter(|(_, b)| near(b.s1))
        .filter_map(|(x, b)| starts.get(&(b.s1, b.t1)).map(|&y| (x + 1, y, b.s1)))
        .min_by_key(|&(_, _, i)| i.abs_diff(cut))
        .map(|(x, y, _)| (x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(s0: usize, t0: usize, a: usize, b: usize) -> RawBead {
        RawBead::unscored(s0, s0 + a, t0, t0 + b, 0)
    }

    #[test]
    fn paths_are_joined_at_a_shared_state_nearest_the_cut() {
        // Left: the diagonal to 3000. Right, from a wrong corner at (1000, 1010): a run of
        // nulls each way back to the diagonal at 1500, then on it.
        let left: Vec<RawBead> = (0..3000).map(|i| bead(i, i, 1, 1)).collect();
        let right: Vec<RawBead> = std::iter::once(bead(1000, 1010, 500, 0))
            .chain(std::iter::once(bead(1500, 1010, 0, 490)))
            .chain((1500..4000).map(|i| bead(i, i, 1, 1)))
            .collect();
        let (keep, from) = join(&left, &right, 2000).expect("the paths share states");
        assert_eq!(left[keep - 1].s1, 2000);
        assert_eq!((right[from].s0, right[from].t0), (2000, 2000));
        // No shared state near the cut: no join.
        let apart: Vec<RawBead> = (1000..4000).map(|i| bead(i, i + 1, 1, 1)).collect();
        assert!(join(&left, &apart, 2000).is_none());
    }
}
