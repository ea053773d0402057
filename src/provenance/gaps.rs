//! Aligning where a witness has gaps: the other text is cut where the alignment of each part
//! is most convincing, and the other side's sentences standing in a gap come back as null
//! beads there (0-1 for a gap of the source, 1-0 for a gap of the derived witness).

use crate::align::confidence::PLACEMENT;
use crate::align::{AlignError, AlignOptions};
use crate::model::Bead;
use std::collections::{BTreeSet, HashSet};

/// Sentences per side up to which every cut point is tried; beyond, a coarse grid is refined.
const CUT_EXHAUSTIVE: usize = 200;

/// Most alignments tried to place a part of the derived text that lies between two gaps of
/// the source (every start and end pair); beyond, start and end are settled in turn.
const JOINT_CUT_BUDGET: usize = 5000;

/// Which witness of an edge has the gaps the other text is cut around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GapSide {
    /// The source witness breaks off or has lacunae (the Czech letter): derived sentences in a
    /// gap come back as 0-1 beads.
    Source,
    /// The derived witness does (a translation imported with `--gap-end`): source sentences in
    /// a gap come back as 1-0 beads.
    Derived,
}

/// Align `src` with `tgt` where one witness has gaps: `gaps` are positions in that witness's
/// text (`side`; 0 = before its first sentence, its length = after its last). The other text's
/// sentences that stand in a gap are left out of the alignment and come back as null beads at
/// the gap.
///
/// Why: the aligner expects both texts to cover the same content, and estimates their length
/// ratio from the totals. When the source breaks off (the Czech letter ends mid-word while the
/// English goes on for a paragraph and five signatures) or loses a passage, that assumption
/// drags the surplus derived sentences into the neighbouring beads; the same holds the other
/// way for a translation that breaks off. So the other text is cut where the alignment of each
/// part is most convincing: the cut maximising the mean score of its beads (a cut too early
/// crams the gapped side's sentences together, a cut too late crams the other side's; both
/// lower the score). The score is the frozen [`PLACEMENT`] model's, not the calibrated `@cert`
/// (see there why). The aligner always runs source against derived, whichever side has the
/// gaps. Confirmed (fixed) beads are never cut through.
///
/// Limits: a part of only one or two sentences between two gaps is placed unreliably (the
/// aligner estimates the length ratio from the part itself, so length says little there); an
/// editor should confirm such links by hand.
pub(super) fn align_with_gaps(
    src: &[&str],
    tgt: &[&str],
    opts: &AlignOptions,
    gaps: &BTreeSet<usize>,
    side: GapSide,
    truncated: &BTreeSet<usize>,
) -> Result<Vec<Bead>, AlignError> {
    if gaps.is_empty() || src.is_empty() || tgt.is_empty() {
        return crate::align::align(src, tgt, opts);
    }
    let flip = side == GapSide::Derived;
    // From here on, beads are in (gapped side, other side) order: `src`/`tgt` of a bead are
    // the gapped witness's and the other text's sentences.
    let (gapped, other) = if flip { (tgt, src) } else { (src, tgt) };
    let (n, m) = (gapped.len(), other.len());
    let fixed: Vec<Bead> = opts.fixed.iter().map(|b| orient(b.clone(), flip)).collect();
    let inner: Vec<usize> = gaps.iter().copied().filter(|&a| a > 0 && a < n).collect();
    let fixed_at = fixed
        .iter()
        .map(|b| (b.src.first().copied(), b.tgt.first().copied()))
        .collect();
    let ctx = GapCtx {
        src,
        tgt,
        opts,
        flip,
        truncated,
        fixed,
        fixed_at,
    };
    let beads = ctx.solve(
        (0, n),
        (0, m),
        gaps.contains(&0),
        gaps.iter().any(|&a| a >= n),
        &inner,
    )?;
    Ok(beads.into_iter().map(|b| orient(b, flip)).collect())
}

/// A bead between (source, derived) and (gapped, other) order: its sides swapped when `flip`.
fn orient(b: Bead, flip: bool) -> Bead {
    if flip {
        Bead {
            src: b.tgt,
            tgt: b.src,
            confidence: b.confidence,
        }
    } else {
        b
    }
}

/// The texts and options of one edge, for aligning parts of it. Ranges and beads are in
/// (gapped side, other side) order; only [`GapCtx::run_scored`] turns them into the aligner's
/// (source, derived) order and back.
struct GapCtx<'a> {
    src: &'a [&'a str],
    tgt: &'a [&'a str],
    opts: &'a AlignOptions,
    /// The gaps are the derived witness's: (gapped, other) is (derived, source).
    flip: bool,
    /// The gapped side's sentences that break off inside (they hold a gap).
    truncated: &'a BTreeSet<usize>,
    /// The confirmed beads, in (gapped, other) order.
    fixed: Vec<Bead>,
    /// Where the fixed beads start (first gapped, first other sentence), to tell them apart.
    fixed_at: HashSet<(Option<usize>, Option<usize>)>,
}

impl GapCtx<'_> {
    /// Align `src[s0..s1]` with `tgt[d0..d1]` (beads in whole-text indices), with the confirmed
    /// beads that fall inside.
    fn run(&self, s: (usize, usize), d: (usize, usize)) -> Result<Vec<Bead>, AlignError> {
        Ok(self.run_scored(s, d)?.into_iter().map(|(b, _)| b).collect())
    }

    /// As [`Self::run`], each bead with its placement score ([`PLACEMENT`]; meaningless for a
    /// confirmed bead, which [`Self::score`] leaves out). `g` and `o` are ranges of the gapped
    /// and the other side.
    fn run_scored(
        &self,
        g: (usize, usize),
        o: (usize, usize),
    ) -> Result<Vec<(Bead, f64)>, AlignError> {
        if g.0 == g.1 || o.0 == o.1 {
            // Nothing to pair with: every sentence stands alone.
            let lone = |src: Vec<usize>, tgt: Vec<usize>| {
                let b = Bead {
                    src,
                    tgt,
                    confidence: 1.0,
                };
                (b, 1.0)
            };
            return Ok((g.0..g.1)
                .map(|i| lone(vec![i], vec![]))
                .chain((o.0..o.1).map(|j| lone(vec![], vec![j])))
                .collect());
        }
        if let Some(out) = self.run_broken_off(g, o)? {
            return Ok(out);
        }
        // The aligner's own order: source against derived.
        let ((s0, s1), (d0, d1)) = if self.flip { (o, g) } else { (g, o) };
        let inside = |b: &Bead| {
            b.src.first().is_some_and(|&x| x >= s0)
                && b.src.last().is_some_and(|&x| x < s1)
                && b.tgt.first().is_some_and(|&x| x >= d0)
                && b.tgt.last().is_some_and(|&x| x < d1)
        };
        let sub = AlignOptions {
            src_blocks: self.opts.src_blocks.as_ref().map(|v| v[s0..s1].to_vec()),
            tgt_blocks: self.opts.tgt_blocks.as_ref().map(|v| v[d0..d1].to_vec()),
            fixed: self
                .opts
                .fixed
                .iter()
                .filter(|b| inside(b))
                .map(|b| Bead {
                    src: b.src.iter().map(|i| i - s0).collect(),
                    tgt: b.tgt.iter().map(|j| j - d0).collect(),
                    confidence: b.confidence,
                })
                .collect(),
            // A bar only for the one big final run of a whole text.
            progress: self.opts.progress && s0 == 0 && s1 == self.src.len(),
            ..self.opts.clone()
        };
        let beads = crate::align::align_with_evidence(&self.src[s0..s1], &self.tgt[d0..d1], &sub)?;
        Ok(beads
            .into_iter()
            .map(|(b, e)| {
                let score = PLACEMENT.predict(&e);
                let bead = Bead {
                    src: b.src.iter().map(|i| i + s0).collect(),
                    tgt: b.tgt.iter().map(|j| j + d0).collect(),
                    confidence: b.confidence,
                };
                (orient(bead, self.flip), score)
            })
            .collect())
    }

    /// The alignment of a part whose last gapped sentence breaks off inside (it holds the gap
    /// that ends the part), or `None` for any other part. What is left of such a sentence is
    /// the start of its counterpart, however short: its length says nothing of the
    /// counterpart's (the aligner would cram "V případě, že by" into the bead before, or leave
    /// it alone). So the rest of the part is aligned without it, and it is paired with the
    /// other range's last sentence: the cut search, which chooses where that range ends,
    /// chooses its counterpart. The pair gets the confidence and score of the rest of the part
    /// (how sure we are of the alignment that places it). Not when a confirmed bead holds
    /// either sentence.
    fn run_broken_off(
        &self,
        g: (usize, usize),
        o: (usize, usize),
    ) -> Result<Option<Vec<(Bead, f64)>>, AlignError> {
        let last = g.1 - 1;
        if !self.truncated.contains(&last)
            || g.1 - g.0 < 2
            || o.1 - o.0 < 2
            || self
                .fixed
                .iter()
                .any(|b| b.src.contains(&last) || b.tgt.contains(&(o.1 - 1)))
        {
            return Ok(None);
        }
        let mut out = self.run_scored((g.0, last), (o.0, o.1 - 1))?;
        let n = out.len().max(1) as f64;
        let conf = out.iter().map(|(b, _)| b.confidence).sum::<f64>() / n;
        let score = out.iter().map(|(_, x)| x).sum::<f64>() / n;
        let pair = Bead {
            src: vec![last],
            tgt: vec![o.1 - 1],
            confidence: conf,
        };
        out.push((pair, score));
        Ok(Some(out))
    }

    /// Mean placement score of the alignment of two ranges (0 when one is empty).
    fn score(&self, s: (usize, usize), d: (usize, usize)) -> Result<f64, AlignError> {
        if s.0 == s.1 || d.0 == d.1 {
            return Ok(0.0);
        }
        // Only the beads the aligner chose tell how good a cut is: the fixed ones inside are
        // the same whatever the cut, and counting them would favour a cut that leaves the
        // aligner fewer (even hopeless) beads. A null bead is no evidence for a cut: it counts
        // as 0, not as its own (often high) score, lest a cut that leaves one side's
        // sentences unpaired win (a run of 0-1 beads scores well; a translation cut off at its
        // fourth sentence once beat the right cut at its seventh that way).
        let scores: Vec<f64> = self
            .run_scored(s, d)?
            .into_iter()
            .filter(|(b, _)| {
                !self
                    .fixed_at
                    .contains(&(b.src.first().copied(), b.tgt.first().copied()))
            })
            .map(|(b, x)| {
                if b.src.is_empty() || b.tgt.is_empty() {
                    0.0
                } else {
                    x
                }
            })
            .collect();
        Ok(if scores.is_empty() {
            0.0
        } else {
            scores.iter().sum::<f64>() / scores.len() as f64
        })
    }

    /// The derived range a source range may be cut to without cutting a confirmed bead: cuts
    /// must lie in `lo..=hi`.
    fn cut_bounds(&self, split: usize, d: (usize, usize)) -> (usize, usize) {
        let mut lo = d.0;
        let mut hi = d.1;
        for b in &self.fixed {
            let (Some(&s_last), Some(&s_first)) = (b.src.last(), b.src.first()) else {
                continue;
            };
            if s_last < split {
                if let Some(&t) = b.tgt.last() {
                    lo = lo.max(t + 1);
                }
            } else if s_first >= split
                && let Some(&t) = b.tgt.first()
            {
                hi = hi.min(t);
            }
        }
        (lo.min(d.1), hi.max(lo.min(d.1)))
    }

    fn solve(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        lead: bool,
        trail: bool,
        inner: &[usize],
    ) -> Result<Vec<Bead>, AlignError> {
        if let Some((&a, rest)) = inner.split_first() {
            // A gap inside the source at `a`: the derived text splits into the part before
            // (ending at c1), the sentences in the gap (c1..c2), and the part after (from c2).
            let (lo, hi) = self.cut_bounds(a, d);
            let c1 = if lead {
                // The part before the gap may also start late (a gap before it too).
                self.place((s.0, a), (d.0, hi), true, true, hi)?.1.max(lo)
            } else {
                best_cut(lo, hi, true, &|k| self.score((s.0, a), (d.0, k)))?
            };
            // Where the part after the gap starts depends on where it ends: at the next gap,
            // or at the end (itself open when the source breaks off there).
            let (b, b_trail) = match rest.first() {
                Some(&b) => (b, true),
                None => (s.1, trail),
            };
            let c2 = self.place((a, b), (c1, d.1), true, b_trail, hi)?.0;
            let left = self.solve((s.0, a), (d.0, c1), lead, false, &[])?;
            let right = self.solve((a, s.1), (c2, d.1), false, trail, rest)?;
            let conf = (mean_confidence(&left) + mean_confidence(&right)) / 2.0;
            let mut out = left;
            out.extend((c1..c2).map(|j| Bead {
                src: vec![],
                tgt: vec![j],
                confidence: conf,
            }));
            out.extend(right);
            return Ok(out);
        }
        let (start, end) = self.place(s, d, lead, trail, d.1)?;
        let inner_beads = self.run(s, (start, end))?;
        // How sure we are that the left-out sentences stand in the gap is how sure we are of
        // the alignment that left them out.
        let conf = mean_confidence(&inner_beads);
        let cut = |j: usize| Bead {
            src: vec![],
            tgt: vec![j],
            confidence: conf,
        };
        let mut out: Vec<Bead> = (d.0..start).map(cut).collect();
        out.extend(inner_beads);
        out.extend((end..d.1).map(cut));
        Ok(out)
    }

    /// Where the derived text of the source part `s` starts and ends inside `d`: with a gap
    /// before the part (`lead`) it may start later (at most at `start_hi`), with a gap after it
    /// (`trail`) it may end earlier. Confirmed beads stay inside.
    fn place(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        lead: bool,
        trail: bool,
        start_hi: usize,
    ) -> Result<(usize, usize), AlignError> {
        if d.1 <= d.0 {
            return Ok(d);
        }
        let end_lo = self.cut_bounds(s.1, d).0.max(d.0 + 1);
        let start_hi = start_hi.min(self.cut_bounds(s.0, d).1).min(d.1 - 1);
        match (lead, trail) {
            (false, false) => Ok(d),
            (false, true) => Ok((
                d.0,
                best_cut(end_lo, d.1, true, &|k| self.score(s, (d.0, k)))?,
            )),
            (true, false) => Ok((
                best_cut(d.0, start_hi, false, &|j| self.score(s, (j, d.1)))?,
                d.1,
            )),
            (true, true) => {
                let span = d.1 - d.0;
                if span * span / 2 <= JOINT_CUT_BUDGET {
                    // Every (start, end) pair; ties go to the earliest start and latest end
                    // (the least text claimed for the gaps).
                    let mut top: Option<(f64, usize, usize)> = None;
                    for j in d.0..=start_hi {
                        for e in (end_lo.max(j + 1)..=d.1).rev() {
                            let sc = self.score(s, (j, e))?;
                            if top.is_none_or(|(t, _, _)| sc > t + 1e-9) {
                                top = Some((sc, j, e));
                            }
                        }
                    }
                    Ok(top.map(|(_, j, e)| (j, e)).unwrap_or(d))
                } else {
                    // Long texts: settle start and end in turn.
                    let (mut start, mut end) = d;
                    for _ in 0..4 {
                        let e = best_cut(end_lo.max(start + 1).min(d.1), d.1, true, &|k| {
                            self.score(s, (start, k))
                        })?;
                        let j = best_cut(d.0, start_hi.min(e - 1).max(d.0), false, &|j| {
                            self.score(s, (j, e))
                        })?;
                        if (j, e) == (start, end) {
                            break;
                        }
                        (start, end) = (j, e);
                    }
                    Ok((start, end))
                }
            }
        }
    }
}

fn mean_confidence(beads: &[Bead]) -> f64 {
    if beads.is_empty() {
        0.0
    } else {
        beads.iter().map(|b| b.confidence).sum::<f64>() / beads.len() as f64
    }
}

/// The cut in `lo..=hi` with the best score. Ties go to the cut that leaves the most text
/// aligned (`prefer_high` for a cut that ends a part, low for one that starts it), so a gap is
/// never claimed without evidence. Long ranges are searched on a coarse grid, then refined.
fn best_cut(
    lo: usize,
    hi: usize,
    prefer_high: bool,
    score: &dyn Fn(usize) -> Result<f64, AlignError>,
) -> Result<usize, AlignError> {
    if hi <= lo {
        return Ok(lo);
    }
    let mut top: Option<(usize, f64)> = None;
    let consider = |k: usize, top: &mut Option<(usize, f64)>| -> Result<(), AlignError> {
        let s = score(k)?;
        let better = match *top {
            None => true,
            Some((t, ts)) => {
                s > ts + 1e-9
                    || ((s - ts).abs() <= 1e-9 && (if prefer_high { k > t } else { k < t }))
            }
        };
        if better {
            *top = Some((k, s));
        }
        Ok(())
    };
    if hi - lo <= CUT_EXHAUSTIVE {
        for k in lo..=hi {
            consider(k, &mut top)?;
        }
    } else {
        let mut step = (hi - lo).div_ceil(32).max(1);
        let mut k = lo;
        while k <= hi {
            consider(k, &mut top)?;
            k += step;
        }
        consider(hi, &mut top)?;
        while step > 1 {
            let centre = top.map(|t| t.0).unwrap_or(hi);
            step = step.div_ceil(4);
            let from = centre.saturating_sub(3 * step).max(lo);
            let to = (centre + 3 * step).min(hi);
            let mut k = from;
            while k <= to {
                consider(k, &mut top)?;
                k += step;
            }
        }
    }
    Ok(top
        .map(|t| t.0)
        .unwrap_or(if prefer_high { hi } else { lo }))
}

/// Check that beads cover `n` source and `m` target sentences exactly once, in order.
pub(super) fn check_cover(beads: &[Bead], n: usize, m: usize) -> Result<(), String> {
    let (mut s, mut t) = (0, 0);
    for b in beads {
        for &i in &b.src {
            if i != s {
                return Err(format!(
                    "the aligner's beads skip or repeat source sentence {s}"
                ));
            }
            s += 1;
        }
        for &j in &b.tgt {
            if j != t {
                return Err(format!(
                    "the aligner's beads skip or repeat target sentence {t}"
                ));
            }
            t += 1;
        }
    }
    if s != n || t != m {
        return Err(format!(
            "the aligner's beads cover {s}/{n} source and {t}/{m} target sentences"
        ));
    }
    Ok(())
}

/// A bead mapped back around the sentences held by confirmed ptrs may enclose one of them (the
/// aligner never saw it), e.g. `cs.s12 ↔ en.s12 en.s14` around a confirmed `en.s13`. Keep the
/// first consecutive run of each side as the bead and make the sentences after a hole
/// unaligned (cert 0, to be reviewed), so that every link joins consecutive sentences.
pub(super) fn split_at_holes(b: Bead) -> Vec<Bead> {
    let run = |v: &[usize]| {
        v.windows(2)
            .position(|w| w[1] != w[0] + 1)
            .map_or(v.len(), |p| p + 1)
    };
    let (ns, nt) = (run(&b.src), run(&b.tgt));
    if ns == b.src.len() && nt == b.tgt.len() {
        return vec![b];
    }
    let mut out = vec![Bead {
        src: b.src[..ns].to_vec(),
        tgt: b.tgt[..nt].to_vec(),
        confidence: b.confidence,
    }];
    out.extend(b.src[ns..].iter().map(|&i| Bead {
        src: vec![i],
        tgt: vec![],
        confidence: 0.0,
    }));
    out.extend(b.tgt[nt..].iter().map(|&j| Bead {
        src: vec![],
        tgt: vec![j],
        confidence: 0.0,
    }));
    out
}
