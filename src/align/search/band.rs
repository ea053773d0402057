//! The band of target positions searched per source position, and its widening where the best
//! path touches its edge.

use super::RawBead;
use super::dp::{Tables, dp};
use super::levels::Level;
use super::params::Params;
use super::reuse::NullInputs;
use indicatif::ProgressBar;

/// Half-width, in sentences, of the band around a coarse path.
pub(crate) const BAND: usize = 8;
/// Null beads in a row from which a path's run of nulls gets a wider band around it.
const RUN_MIN: usize = 3;
/// How much wider, in positions of the finer level, on every side (see [`Band::around`]).
const RUN_SLACK: usize = 32;

/// Target positions allowed for every source position 0..=n: `lo[i]..=hi[i]`, both monotone.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
    pub(super) off: Vec<usize>,
}

impl Band {
    pub(super) fn full(n: usize, m: usize) -> Self {
        Band::new(vec![0; n + 1], vec![m; n + 1], m)
    }

    /// Make a band from raw limits, repaired so that it is monotone and reaches both corners.
    pub(super) fn new(mut lo: Vec<usize>, mut hi: Vec<usize>, m: usize) -> Self {
        let n = lo.len() - 1;
        lo[0] = 0;
        hi[n] = m;
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]).min(m);
        }
        // Consecutive rows must overlap, or no bead could step from one to the next.
        for i in 1..=n {
            lo[i] = lo[i].min(hi[i - 1]);
        }
        for i in 0..=n {
            hi[i] = hi[i].min(m);
            lo[i] = lo[i].min(hi[i]);
        }
        let mut off = Vec::with_capacity(n + 2);
        let mut acc = 0;
        for i in 0..=n {
            off.push(acc);
            acc += hi[i] - lo[i] + 1;
        }
        off.push(acc);
        Band { lo, hi, off }
    }

    /// A band of half-width `w` around a path of beads given on a grid `scale` times coarser.
    pub fn around(beads: &[RawBead], scale: usize, w: usize, n: usize, m: usize) -> Self {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        for b in beads {
            let (i0, i1) = ((b.s0 * scale).min(n), (b.s1 * scale).min(n));
            let (j0, j1) = ((b.t0 * scale).min(m), (b.t1 * scale).min(m));
            for i in i0..=i1 {
                lo[i] = lo[i].min(j0.saturating_sub(w));
                hi[i] = hi[i].max((j1 + w).min(m));
            }
        }
        for (first, last) in null_runs(beads) {
            // Where a run of nulls begins and ends is the path's least certain part: on either
            // side of it the nulls cost about the same wherever they stand. The finer search
            // may slide it: the rectangle around the run, `RUN_SLACK` wider on every side.
            let (i0, j0) = (first.s0 * scale, first.t0 * scale);
            let (i1, j1) = ((last.s1 * scale).min(n), (last.t1 * scale).min(m));
            let (jlo, jhi) = (j0.saturating_sub(RUN_SLACK), (j1 + RUN_SLACK).min(m));
            for i in i0.saturating_sub(RUN_SLACK)..=(i1 + RUN_SLACK).min(n) {
                lo[i] = lo[i].min(jlo);
                hi[i] = hi[i].max(jhi);
            }
        }
        for i in 0..=n {
            if lo[i] == usize::MAX {
                lo[i] = 0;
                hi[i] = m;
            }
        }
        Band::new(lo, hi, m)
    }

    pub(super) fn states(&self) -> usize {
        self.off[self.off.len() - 1]
    }

    #[inline]
    pub(super) fn idx(&self, i: usize, j: usize) -> Option<usize> {
        if j >= self.lo[i] && j <= self.hi[i] {
            Some(self.off[i] + j - self.lo[i])
        } else {
            None
        }
    }
}

/// Label the progress bar for one run of the dynamic programme: the phase the caller named
/// ("first pass") and which run of it this is, so that a bar that starts again from 0 % says
/// why instead of seeming to restart.
fn label_run(progress: Option<&ProgressBar>, round: usize) {
    if let Some(pb) = progress {
        let msg = pb.message();
        let phase = msg.split(" · ").next().unwrap_or_default().to_owned();
        if round == 0 {
            pb.set_message(phase);
        } else {
            pb.set_message(format!("{phase} · band widened ({round})"));
        }
        pb.reset_eta();
    }
}

/// Runs of at least [`RUN_MIN`] null beads of one kind in `path`: (first bead, last bead).
fn null_runs(path: &[RawBead]) -> Vec<(&RawBead, &RawBead)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < path.len() {
        let ty = path[k].ty;
        let mut e = k + 1;
        if ty == 1 || ty == 2 {
            while e < path.len() && path[e].ty == ty {
                e += 1;
            }
            if e - k >= RUN_MIN {
                out.push((&path[k], &path[e - 1]));
            }
        }
        k = e;
    }
    out
}

/// Search inside `band`, widening it where the best path touches its edge (at most a few times).
pub(crate) fn dp_widening(
    level: &Level<'_>,
    p: &Params,
    band: Band,
    rounds: usize,
    progress: Option<&ProgressBar>,
) -> Vec<RawBead> {
    let all = 0..level.n() + 1;
    dp_widening_rows(level, p, band, rounds, progress, all).0
}

/// As [`dp_widening`], widening only where the path touches the edge in `rows`: a piece of a
/// longer search ([`super::pieces`]) is forced through corners that need not be on the best
/// path, and only the rows kept of it matter. Also the per-sentence null costs the final search
/// used ([`NullInputs`]: the model-free widening prices nulls with them).
pub(crate) fn dp_widening_rows(
    level: &Level<'_>,
    p: &Params,
    band: Band,
    rounds: usize,
    progress: Option<&ProgressBar>,
    rows: std::ops::Range<usize>,
) -> (Vec<RawBead>, NullInputs) {
    let m = level.m();
    let mut w = BAND;
    let mut band = Some(band);
    let mut prev: Option<Tables> = None;
    for round in 0..=rounds {
        let Some(b) = band.take() else { break };
        label_run(progress, round);
        let _t = crate::align::timing::phase(|| {
            format!("    dp round {round}: rows {rows:?}, {} states", b.states())
        });
        let (beads, tables) = dp(level, p, b, prev.take(), progress);
        if crate::align::timing::enabled() && tables.copied > 0 {
            eprintln!("[timing]     {} rows copied", tables.copied);
        }
        let bd = &tables.band;
        let wider = if rows.start == 0 && rows.end > level.n() {
            widened(bd, &beads, 2 * w, m)
        } else {
            let kept: Vec<RawBead> = beads
                .iter()
                .filter(|b| rows.contains(&b.s1))
                .copied()
                .collect();
            widened(bd, &kept, 2 * w, m)
        };
        if round == rounds {
            return (beads, tables.nulls);
        }
        let Some(wider) = wider else {
            return (beads, tables.nulls);
        };
        w *= 2;
        band = Some(wider);
        prev = Some(tables);
    }
    (Vec::new(), NullInputs::default())
}

/// The band widened by `w` on both sides where `path` touches its edge, or `None` where it does
/// not: every row within 2w of a bead that ends within 2 of an edge gets `w` more, once. (A run
/// of 1-0 beads along the edge touches it at every bead; widening once per touching bead made
/// the band grow with the square of the run's length: 3.9 GiB and 561 s on 100k sentences with
/// missing chapters.)
fn widened(bd: &Band, path: &[RawBead], w: usize, m: usize) -> Option<Band> {
    let n = bd.lo.len() - 1;
    let mut rows = vec![false; n + 1];
    let mut any = false;
    for b in path {
        let (i, j) = (b.s1, b.t1);
        if (bd.lo[i] > 0 && j < bd.lo[i] + 2) || (bd.hi[i] < m && j + 2 > bd.hi[i]) {
            rows[i.saturating_sub(2 * w)..=(i + 2 * w).min(n)].fill(true);
            any = true;
        }
    }
    if !any {
        return None;
    }
    let lo = (0..=n)
        .map(|k| {
            if rows[k] {
                bd.lo[k].saturating_sub(w)
            } else {
                bd.lo[k]
            }
        })
        .collect();
    let hi = (0..=n)
        .map(|k| {
            if rows[k] {
                (bd.hi[k] + w).min(m)
            } else {
                bd.hi[k]
            }
        })
        .collect();
    Some(Band::new(lo, hi, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::lexicon::{Csr, weigh};
    use crate::align::search::params::for_tests as params;
    use crate::align::text::analyse;

    #[test]
    fn a_run_of_nulls_along_the_edge_widens_the_band_once() {
        // A first path with 300 source sentences unpaired after source (and target) 400: the
        // band of half-width 8 around it. The path found in it leaves the same 300 unpaired
        // from source 393 on, along the band's lower edge (each of its 1-0 beads touches it).
        let (n, m) = (1000usize, 700usize);
        let first = |i: usize| {
            if i <= 400 {
                i
            } else {
                i.saturating_sub(300).max(400)
            }
        };
        let lo: Vec<usize> = (0..=n).map(|i| first(i).saturating_sub(8)).collect();
        let hi: Vec<usize> = (0..=n).map(|i| (first(i) + 8).min(m)).collect();
        let band = Band::new(lo, hi, m);
        let bead = |s0, t0, a, b| RawBead::unscored(s0, s0 + a, t0, t0 + b, u8::from(b == 0));
        let mut path: Vec<RawBead> = (0..393).map(|k| bead(k, k, 1, 1)).collect();
        path.extend((393..693).map(|i| bead(i, 393, 1, 0)));
        path.extend((693..n).map(|i| bead(i, i - 300, 1, 1)));
        let touching = path
            .iter()
            .filter(|b| b.t1 < band.lo[b.s1] + 2 && band.lo[b.s1] > 0)
            .count();
        assert!(touching > 250, "{touching}");
        let wider = widened(&band, &path, 16, m).expect("the path touches the edge");
        // The rows near the run get 16 more on either side, once, not once per touching bead.
        for i in 0..=n {
            assert!(wider.lo[i] + 16 >= band.lo[i], "row {i}: {}", wider.lo[i]);
            assert!(wider.hi[i] <= band.hi[i] + 16, "row {i}: {}", wider.hi[i]);
        }
        assert!(wider.lo[500] < band.lo[500]);
        assert!(widened(&wider, &path, 16, m).is_none());
    }

    #[test]
    fn a_run_of_nulls_in_a_path_gets_a_wider_band_around_it() {
        // The diagonal to 100, then 50 source sentences unpaired, then the diagonal again.
        let bead = |s0, t0, a, b| RawBead::unscored(s0, s0 + a, t0, t0 + b, u8::from(b == 0));
        let mut path: Vec<RawBead> = (0..100).map(|k| bead(k, k, 1, 1)).collect();
        path.extend((100..150).map(|i| bead(i, 100, 1, 0)));
        path.extend((150..300).map(|i| bead(i, i - 50, 1, 1)));
        let band = Band::around(&path, 1, 8, 300, 250);
        // Inside the run and RUN_SLACK rows either side of it: RUN_SLACK either side of it.
        for i in 100 - RUN_SLACK..=150 + RUN_SLACK {
            assert!(
                band.lo[i] <= 100 - RUN_SLACK && band.hi[i] >= 100 + RUN_SLACK,
                "{i}"
            );
        }
        // Far from it, the band is as narrow as asked.
        assert_eq!((band.lo[20], band.hi[20]), (11, 29));
        assert_eq!((band.lo[250], band.hi[250]), (191, 209));
        // Two nulls are no run.
        let mut short: Vec<RawBead> = (0..100).map(|k| bead(k, k, 1, 1)).collect();
        short.extend((100..102).map(|i| bead(i, 100, 1, 0)));
        short.extend((102..300).map(|i| bead(i, i - 2, 1, 1)));
        let band = Band::around(&short, 1, 8, 300, 298);
        assert!(band.hi[101] - band.lo[101] < 2 * RUN_SLACK);
    }

    #[test]
    fn band_is_repaired_to_be_monotone_and_connected() {
        let b = Band::new(vec![0, 5, 2, 9], vec![1, 6, 3, 9], 9);
        for i in 1..b.lo.len() {
            assert!(b.lo[i] >= b.lo[i - 1] && b.hi[i] >= b.hi[i - 1]);
            // Each row reaches back to the previous one.
            assert!(b.lo[i] <= b.hi[i - 1]);
        }
        assert_eq!((b.lo[0], b.hi[3]), (0, 9));
    }

    #[test]
    fn a_band_far_from_the_path_is_widened_until_it_holds_it() {
        // 60 numbered sentences a side: the right path is the diagonal.
        let s: Vec<String> = (0..60)
            .map(|k| format!("Sentence number {k} says {}.", "x".repeat(k % 7)))
            .collect();
        let si: Vec<_> = s.iter().map(|x| analyse(x)).collect();
        let feats = weigh(
            Csr::build(&si, |x| x.base.to_vec()),
            Csr::build(&si, |x| x.base.to_vec()),
        );
        let lens: Vec<u32> = si.iter().map(|x| x.len).collect();
        let level = Level::new(&lens, &lens, &feats);
        let p = params(1.0);
        let full = dp_widening(&level, &p, Band::full(60, 60), 0, None);
        assert!(full.iter().all(|b| b.s1 - b.s0 == 1 && b.s0 == b.t0));
        // A band that forces the path 20 sentences off the diagonal in the middle.
        let lo: Vec<usize> = (0..=60usize)
            .map(|i| {
                if (20..40).contains(&i) {
                    (i + 20).min(60)
                } else {
                    i.saturating_sub(3)
                }
            })
            .collect();
        let hi: Vec<usize> = (0..=60usize)
            .map(|i| {
                if (20..40).contains(&i) {
                    (i + 24).min(60)
                } else {
                    (i + 3).min(60)
                }
            })
            .collect();
        let narrow = dp_widening(&level, &p, Band::new(lo.clone(), hi.clone(), 60), 0, None);
        assert_ne!(
            narrow, full,
            "a wrong band should give a wrong path without widening"
        );
        let widened = dp_widening(&level, &p, Band::new(lo.clone(), hi.clone(), 60), 4, None);
        assert_eq!(widened, full);
        // The same with runs of nulls priced exactly (the search restarts from a checkpoint
        // of its run states).
        let p = Params {
            null_extend: 1.0,
            ..p
        };
        let full = dp_widening(&level, &p, Band::full(60, 60), 0, None);
        let widened = dp_widening(&level, &p, Band::new(lo, hi, 60), 4, None);
        assert_eq!(widened, full);
    }
}
