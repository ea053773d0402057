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
enum GapSide {
    /// The source witness breaks off or has lacunae (the Czech letter): derived sentences in a
    /// gap come back as 0-1 beads.
    Source,
    /// The derived witness does (a translation imported with `--gap-end`): source sentences in
    /// a gap come back as 1-0 beads.
    Derived,
}

/// One witness's gaps, counted in the sentences the aligner sees.
#[derive(Debug, Clone, Default)]
pub(super) struct WitnessGaps {
    /// Positions of the gaps (0 = before the first sentence, the length = after the last).
    pub(super) at: BTreeSet<usize>,
    /// The sentences that break off inside (they hold the gap after them).
    pub(super) truncated: BTreeSet<usize>,
    /// The sentences that begin after a gap inside them (a witness or a lacuna that resumes
    /// mid-sentence: they hold the gap before them).
    pub(super) resumed: BTreeSet<usize>,
}

/// Align `src` with `tgt` where a witness has gaps: `source` and `derived` are each witness's
/// gaps. The other text's sentences that stand in a gap are left out of the alignment and
/// come back as null beads at the gap.
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
/// When both witnesses have gaps, the derived text is cut around the source's gaps, and each
/// part of it that holds gaps of its own is aligned by the same search turned round (the
/// source part cut around the derived gaps). A part after a gap is aligned with the beads
/// before it as context (see [`GapCtx::run_scored`]), so a short part is not read with a
/// length ratio of its own.
///
/// Limits: a part of only one or two sentences between two gaps is still placed by little
/// evidence; its links come out doubtful where the evidence cannot decide, and an editor
/// should confirm them by hand.
pub(super) fn align_with_gaps(
    src: &[&str],
    tgt: &[&str],
    opts: &AlignOptions,
    source: &WitnessGaps,
    derived: &WitnessGaps,
) -> Result<Vec<Bead>, AlignError> {
    let none = source.at.is_empty() && derived.at.is_empty();
    if none || src.is_empty() || tgt.is_empty() {
        return crate::align::align(src, tgt, opts);
    }
    // The source's gaps first; the derived witness's are cut around inside each part.
    let (side, gapped, others) = if source.at.is_empty() {
        (GapSide::Derived, derived, None)
    } else {
        (
            GapSide::Source,
            source,
            Some(derived).filter(|d| !d.at.is_empty()),
        )
    };
    let flip = side == GapSide::Derived;
    let ctx = GapCtx::new(src, tgt, opts, flip, gapped, others);
    // From here on, beads are in (gapped side, other side) order: `src`/`tgt` of a bead are
    // the gapped witness's and the other text's sentences.
    let (n, m) = if flip {
        (tgt.len(), src.len())
    } else {
        (src.len(), tgt.len())
    };
    let beads = ctx.solve_all((0, n), (0, m), &[])?;
    Ok(beads.into_iter().map(|(b, _)| orient(b, flip)).collect())
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
    /// The gapped side's gaps and broken sentences.
    gapped: &'a WitnessGaps,
    /// The other side's gaps, when it has any: a part holding some is cut around them by the
    /// search turned round.
    others: Option<&'a WitnessGaps>,
    /// The confirmed beads, in (gapped, other) order.
    fixed: Vec<Bead>,
    /// Where the fixed beads start (first gapped, first other sentence), to tell them apart.
    fixed_at: HashSet<(Option<usize>, Option<usize>)>,
}

/// Beads with their placement score, in (gapped, other) order.
type Scored = Vec<(Bead, f64)>;

/// Parts of the gapped side up to this many sentences are judged against their other
/// placements ([`GapCtx::doubt_short`]).
const SHORT_PART: usize = 2;

/// How far below a link's placement score another counterpart may score and still count as
/// about as good ([`GapCtx::doubt_short`]).
const NEAR: f64 = 0.1;

/// Paired beads before a part, at most this many, are the context it is aligned in.
const CONTEXT_BEADS: usize = 40;

impl<'a> GapCtx<'a> {
    fn new(
        src: &'a [&'a str],
        tgt: &'a [&'a str],
        opts: &'a AlignOptions,
        flip: bool,
        gapped: &'a WitnessGaps,
        others: Option<&'a WitnessGaps>,
    ) -> Self {
        let fixed: Vec<Bead> = opts.fixed.iter().map(|b| orient(b.clone(), flip)).collect();
        let fixed_at = fixed
            .iter()
            .map(|b| (b.src.first().copied(), b.tgt.first().copied()))
            .collect();
        GapCtx {
            src,
            tgt,
            opts,
            flip,
            gapped,
            others,
            fixed,
            fixed_at,
        }
    }

    /// The whole of ranges `g` (gapped) and `o` (other), cut around the gapped side's gaps
    /// that lie in `g` (one at `g.0` lets the other range start late, one at `g.1` end
    /// early), with `context` the beads before them.
    fn solve_all(
        &self,
        g: (usize, usize),
        o: (usize, usize),
        context: &[Bead],
    ) -> Result<Scored, AlignError> {
        let at = &self.gapped.at;
        let inner: Vec<usize> = at.range(g.0 + 1..g.1).copied().collect();
        let lead = at.contains(&g.0);
        let len = self.gapped_len();
        let trail = at.contains(&g.1) || (g.1 == len && at.range(g.1..).next().is_some());
        self.solve(g, o, (lead, trail), &inner, context)
    }

    /// Align the gapped range `g` with the other range `o` (beads in whole-text indices, with
    /// the confirmed beads that fall inside), each bead with its placement score
    /// ([`PLACEMENT`]; meaningless for a confirmed bead, which [`Self::score`] leaves out).
    /// `context` holds the beads just before them (paired ones are kept).
    ///
    /// A part after a gap is aligned together with up to [`CONTEXT_BEADS`] paired beads
    /// before it, held as fixed: the aligner then estimates the length ratio, variance and
    /// dictionary on the context and the part together, and judges the part's beads beside
    /// their neighbours. Why: alone, a short part between two gaps has its length ratio read
    /// off itself, so any stretch of the other text fits it about as well (five Czech
    /// sentences between a lacuna and the break were linked 1-2, 1-2, 1-1 to three English
    /// ones).
    fn run_scored(
        &self,
        g: (usize, usize),
        o: (usize, usize),
        context: &[Bead],
    ) -> Result<Scored, AlignError> {
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
        if let Some(out) = self.run_turned(g, o, context)? {
            return Ok(out);
        }
        if let Some(out) = self.run_broken_off(g, o, context)? {
            return Ok(out);
        }
        self.run_aligner(g, o, context)
    }

    /// The part cut around the other side's gaps inside `o` (the search turned round), or
    /// `None` when it has none.
    fn run_turned(
        &self,
        g: (usize, usize),
        o: (usize, usize),
        context: &[Bead],
    ) -> Result<Option<Scored>, AlignError> {
        let Some(others) = self.others else {
            return Ok(None);
        };
        if others.at.range(o.0..=o.1).next().is_none() {
            return Ok(None);
        }
        let turned = GapCtx::new(self.src, self.tgt, self.opts, !self.flip, others, None);
        let swap = |b: Bead| orient(b, true);
        let context: Vec<Bead> = context.iter().cloned().map(swap).collect();
        let out = turned.solve_all(o, g, &context)?;
        Ok(Some(out.into_iter().map(|(b, x)| (swap(b), x)).collect()))
    }

    /// The aligner on the part, with its paired context beads held as fixed.
    fn run_aligner(
        &self,
        g: (usize, usize),
        o: (usize, usize),
        context: &[Bead],
    ) -> Result<Scored, AlignError> {
        let paired: Vec<&Bead> = context
            .iter()
            .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
            .collect();
        let paired = &paired[paired.len().saturating_sub(CONTEXT_BEADS)..];
        // The sentences the aligner sees, in (gapped, other) order: the context's, then the
        // part's.
        let gi: Vec<usize> = paired
            .iter()
            .flat_map(|b| b.src.iter().copied())
            .chain(g.0..g.1)
            .collect();
        let oi: Vec<usize> = paired
            .iter()
            .flat_map(|b| b.tgt.iter().copied())
            .chain(o.0..o.1)
            .collect();
        let (ng, no) = (gi.len() - (g.1 - g.0), oi.len() - (o.1 - o.0));
        // Whole-text index -> position among the sentences seen.
        let pos = |v: &[usize], x: usize| v.binary_search(&x).ok();
        let inside = |b: &Bead| {
            b.src.first().is_some_and(|&x| x >= g.0)
                && b.src.last().is_some_and(|&x| x < g.1)
                && b.tgt.first().is_some_and(|&x| x >= o.0)
                && b.tgt.last().is_some_and(|&x| x < o.1)
        };
        let fixed: Vec<Bead> = paired
            .iter()
            .map(|b| (*b).clone())
            .chain(self.fixed.iter().filter(|b| inside(b)).cloned())
            .map(|b| Bead {
                src: b.src.iter().filter_map(|&x| pos(&gi, x)).collect(),
                tgt: b.tgt.iter().filter_map(|&x| pos(&oi, x)).collect(),
                confidence: b.confidence,
            })
            .map(|b| orient(b, self.flip))
            .collect();
        // The aligner's own order: source against derived.
        let (si, di) = if self.flip { (&oi, &gi) } else { (&gi, &oi) };
        let text = |all: &[&'a str], idx: &[usize]| idx.iter().map(|&i| all[i]).collect::<Vec<_>>();
        let blocks = |b: &Option<Vec<usize>>, idx: &[usize]| {
            b.as_ref().map(|v| idx.iter().map(|&i| v[i]).collect())
        };
        let whole = context.is_empty() && si.len() == self.src.len();
        let sub = AlignOptions {
            src_blocks: blocks(&self.opts.src_blocks, si),
            tgt_blocks: blocks(&self.opts.tgt_blocks, di),
            fixed,
            // A bar only for the one big final run of a whole text.
            progress: self.opts.progress && whole,
            ..self.opts.clone()
        };
        let beads =
            crate::align::align_with_evidence(&text(self.src, si), &text(self.tgt, di), &sub)?;
        let out: Scored = beads
            .into_iter()
            .map(|(b, e)| {
                let score = PLACEMENT.predict(&e);
                let bead = Bead {
                    src: b.src.iter().map(|&i| si[i]).collect(),
                    tgt: b.tgt.iter().map(|&j| di[j]).collect(),
                    confidence: b.confidence,
                };
                (orient(bead, self.flip), score)
            })
            // The context's own beads come back as they went in.
            .filter(|(b, _)| {
                b.src.first().is_some_and(|&x| pos(&gi, x) >= Some(ng))
                    || b.tgt.first().is_some_and(|&x| pos(&oi, x) >= Some(no))
            })
            .collect();
        Ok(one_to_one(g, o, out))
    }

    fn gapped_len(&self) -> usize {
        if self.flip {
            self.tgt.len()
        } else {
            self.src.len()
        }
    }

    /// The alignment of a part whose last gapped sentence breaks off inside (it holds the gap
    /// that ends the part), or whose first resumes after a gap inside it; `None` for any
    /// other part. What is left of such a sentence is the end or the start of its
    /// counterpart, however short: its length says nothing of the counterpart's (the aligner
    /// would cram "V případě, že by" into the bead before, or leave it alone). So the rest of
    /// the part is aligned without it, and it is paired with the other range's last (first)
    /// sentence: the cut search, which chooses where that range ends (starts), chooses its
    /// counterpart. The pair gets the confidence and score of the rest of the part (how sure
    /// we are of the alignment that places it). Not when a confirmed bead holds either
    /// sentence.
    fn run_broken_off(
        &self,
        g: (usize, usize),
        o: (usize, usize),
        context: &[Bead],
    ) -> Result<Option<Scored>, AlignError> {
        if g.1 - g.0 < 2 || o.1 == o.0 {
            return Ok(None);
        }
        let held = |i: usize, j: usize| {
            self.fixed
                .iter()
                .any(|b| b.src.contains(&i) || b.tgt.contains(&j))
        };
        let pair = |i: usize, j: usize, rest: &Scored| {
            // The rest's links only: a sentence standing alone says nothing of the placement
            // (with none linked, the pair has no evidence either).
            let linked = || {
                rest.iter()
                    .filter(|(b, _)| !b.src.is_empty() && !b.tgt.is_empty())
            };
            let n = linked().count().max(1) as f64;
            let conf = linked().map(|(b, _)| b.confidence).sum::<f64>() / n;
            let score = linked().map(|(_, x)| x).sum::<f64>() / n;
            let fit = self.fits_in(i, j, context.iter().chain(rest.iter().map(|(b, _)| b)));
            let b = Bead {
                src: vec![i],
                tgt: vec![j],
                confidence: conf * fit,
            };
            (b, score * fit)
        };
        if self.gapped.resumed.contains(&g.0) && !held(g.0, o.0) {
            let first = Bead {
                src: vec![g.0],
                tgt: vec![o.0],
                confidence: 1.0,
            };
            let mut ctx = context.to_vec();
            ctx.push(first);
            let rest = self.run_scored((g.0 + 1, g.1), (o.0 + 1, o.1), &ctx)?;
            let mut out = vec![pair(g.0, o.0, &rest)];
            out.extend(rest);
            return Ok(Some(out));
        }
        let last = g.1 - 1;
        if self.gapped.truncated.contains(&last) && !held(last, o.1 - 1) {
            let mut out = self.run_scored((g.0, last), (o.0, o.1 - 1), context)?;
            let p = pair(last, o.1 - 1, &out);
            out.push(p);
            return Ok(Some(out));
        }
        Ok(None)
    }

    /// How likely the broken gapped sentence `i` is part of the other side's sentence `j`: the
    /// probability that `j` is at least as long as what is left of `i` would be in its
    /// language (Gale and Church's length model: the ratio of the paired beads `by`, a
    /// variance of 6.8 per character; the normal CDF by its logistic approximation). Why: the
    /// pairing says nothing of the lengths, and a short sentence next to the right one (en.s15
    /// "Therefore, we will struggle…" before en.s16) took the broken Czech sentence that way.
    fn fits_in<'b>(&self, i: usize, j: usize, by: impl Iterator<Item = &'b Bead>) -> f64 {
        let (gt, ot) = if self.flip {
            (self.tgt, self.src)
        } else {
            (self.src, self.tgt)
        };
        let len = |t: &[&str], k: usize| t[k].chars().count() as f64;
        let (mut lg, mut lo) = (0.0, 0.0);
        for b in by.filter(|b| !b.src.is_empty() && !b.tgt.is_empty()) {
            lg += b.src.iter().map(|&k| len(gt, k)).sum::<f64>();
            lo += b.tgt.iter().map(|&k| len(ot, k)).sum::<f64>();
        }
        let ratio = if lg > 0.0 && lo > 0.0 { lo / lg } else { 1.0 };
        let expected = (len(gt, i) * ratio).max(1.0);
        let z = (len(ot, j) - expected) / (6.8 * expected).sqrt();
        1.0 / (1.0 + (-1.702 * z).exp())
    }

    /// Mean placement score of the alignment of two ranges (0 when one is empty).
    fn score(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        context: &[Bead],
    ) -> Result<f64, AlignError> {
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
            .run_scored(s, d, context)?
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

    /// The ranges `s` (gapped) and `d` (other) cut around the gapped side's gaps `inner`
    /// inside `s`, and (`ends`) before and after it; `context` the beads before them.
    fn solve(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        (lead, trail): (bool, bool),
        inner: &[usize],
        context: &[Bead],
    ) -> Result<Scored, AlignError> {
        if let Some((&a, rest)) = inner.split_first() {
            // A gap inside the source at `a`: the derived text splits into the part before
            // (ending at c1), the sentences in the gap (c1..c2), and the part after (from c2).
            let (lo, hi) = self.cut_bounds(a, d);
            let c1 = if lead {
                // The part before the gap may also start late (a gap before it too).
                let ends = (true, true);
                self.place((s.0, a), (d.0, hi), ends, hi, context, false)?
                    .1
                    .max(lo)
            } else {
                best_cut(lo, hi, true, &|k| self.score((s.0, a), (d.0, k), context))?
            };
            let left = self.solve((s.0, a), (d.0, c1), (lead, false), &[], context)?;
            // The part after the gap is placed and aligned beside the part before it.
            let mut before: Vec<Bead> = context.to_vec();
            before.extend(left.iter().map(|(b, _)| b.clone()));
            let mut out = left;
            // Where the part after the gap starts depends on where it ends: at the next gap,
            // or at the end (itself open when the source breaks off there).
            let (b, b_trail) = match rest.first() {
                Some(&b) => (b, true),
                None => (s.1, trail),
            };
            if let Some((&b, later)) = rest.split_first() {
                let (e, e_trail) = match later.first() {
                    Some(&e) => (e, true),
                    None => (s.1, trail),
                };
                if b - a < e - b {
                    // A part shorter than the one after the next gap: that one is placed first
                    // (beside the part before this gap), and the short part between the two,
                    // which little evidence places, only in what lies between them. Placed
                    // in turn, the short part (one sentence between two lacunae) could take a
                    // sentence far ahead and drag the longer part after it. Ties go to
                    // the latest start: what the longer part leaves, the short part may take.
                    let f = self
                        .place((b, e), (c1, d.1), (true, e_trail), d.1, &before, true)?
                        .0;
                    let mid = self.solve((a, b), (c1, f), (true, true), &[], &before)?;
                    before.extend(mid.iter().map(|(b, _)| b.clone()));
                    let right = self.solve((b, s.1), (f, d.1), (false, trail), later, &before)?;
                    out.extend(mid);
                    out.extend(right);
                    return Ok(out);
                }
            }
            if rest.is_empty() {
                // The last part: where it starts and ends is settled with it (and, for a short
                // one, doubted over every start).
                out.extend(self.solve((a, s.1), (c1, d.1), (true, trail), &[], &before)?);
                return Ok(out);
            }
            let c2 = self
                .place((a, b), (c1, d.1), (true, b_trail), hi, &before, false)?
                .0;
            let right = self.solve((a, s.1), (c2, d.1), (false, trail), rest, &before)?;
            let conf = (mean_confidence(&out) + mean_confidence(&right)) / 2.0;
            out.extend((c1..c2).map(|j| (lone_other(j, conf), 0.0)));
            out.extend(right);
            return Ok(out);
        }
        let (start, end) = self.place(s, d, (lead, trail), d.1, context, false)?;
        let mut inner_beads = self.run_scored(s, (start, end), context)?;
        if (lead || trail) && s.1 - s.0 <= SHORT_PART {
            self.doubt_short(s, d, (lead, trail), context, &mut inner_beads)?;
        }
        // How sure we are that the left-out sentences stand in the gap is how sure we are of
        // the alignment that left them out.
        let conf = mean_confidence(&inner_beads);
        let mut out: Scored = (d.0..start).map(|j| (lone_other(j, conf), 0.0)).collect();
        out.extend(inner_beads);
        out.extend((end..d.1).map(|j| (lone_other(j, conf), 0.0)));
        Ok(out)
    }

    /// Lower the confidence of the links of a short part (`s`, placed in `d`) where another
    /// placement pairs its sentence about as well: each link's confidence is at most its
    /// share of the placement scores of the counterparts within [`NEAR`] of it (the best
    /// score each counterpart gets in any placement). Why: one sentence between two gaps, or
    /// after the last, is placed by its own length and clues alone; a broken sentence fits
    /// the start of any long enough sentence, and the cut search picked one of five about
    /// equally good ones with a cert of .97.
    fn doubt_short(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        (lead, trail): (bool, bool),
        context: &[Bead],
        beads: &mut Scored,
    ) -> Result<(), AlignError> {
        let span = d.1 - d.0;
        if span == 0 || span * span / 2 > JOINT_CUT_BUDGET {
            return Ok(());
        }
        let end_lo = self.cut_bounds(s.1, d).0.max(d.0 + 1);
        let start_hi = self.cut_bounds(s.0, d).1.min(d.1 - 1);
        let starts = if lead { d.0..=start_hi } else { d.0..=d.0 };
        // The best score of each paired bead in any placement.
        let mut best: Vec<(Bead, f64)> = Vec::new();
        for j in starts {
            let ends = if trail {
                end_lo.max(j + 1)..=d.1
            } else {
                d.1..=d.1
            };
            for e in ends {
                for (b, x) in self.run_scored(s, (j, e), context)? {
                    if b.src.is_empty() || b.tgt.is_empty() {
                        continue;
                    }
                    match best
                        .iter_mut()
                        .find(|(c, _)| c.src == b.src && c.tgt == b.tgt)
                    {
                        Some(c) => c.1 = c.1.max(x),
                        None => best.push((b, x)),
                    }
                }
            }
        }
        for (b, x) in beads.iter_mut() {
            if b.src.is_empty() || b.tgt.is_empty() {
                continue;
            }
            let own = best
                .iter()
                .find(|(c, _)| c.src == b.src && c.tgt == b.tgt)
                .map_or(*x, |c| c.1);
            // The other counterparts of its gapped sentences, about as good.
            let rivals: f64 = best
                .iter()
                .filter(|(c, y)| {
                    c.tgt != b.tgt && c.src.iter().any(|i| b.src.contains(i)) && *y >= own - NEAR
                })
                .map(|(_, y)| y)
                .sum();
            if rivals > 0.0 {
                b.confidence = b.confidence.min(own / (own + rivals));
            }
        }
        Ok(())
    }

    /// Where the derived text of the source part `s` starts and ends inside `d`: with a gap
    /// before the part (`lead`) it may start later (at most at `start_hi`), with a gap after it
    /// (`trail`) it may end earlier. Confirmed beads stay inside. Ties go to the earliest
    /// start, or the latest when `late`.
    fn place(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        (lead, trail): (bool, bool),
        start_hi: usize,
        context: &[Bead],
        late: bool,
    ) -> Result<(usize, usize), AlignError> {
        if d.1 <= d.0 {
            return Ok(d);
        }
        let end_lo = self.cut_bounds(s.1, d).0.max(d.0 + 1);
        let start_hi = start_hi.min(self.cut_bounds(s.0, d).1).min(d.1 - 1);
        let score = |j: usize, e: usize| self.score(s, (j, e), context);
        match (lead, trail) {
            (false, false) => Ok(d),
            (false, true) => Ok((d.0, best_cut(end_lo, d.1, true, &|k| score(d.0, k))?)),
            (true, false) => Ok((best_cut(d.0, start_hi, late, &|j| score(j, d.1))?, d.1)),
            (true, true) => {
                let span = d.1 - d.0;
                if span * span / 2 <= JOINT_CUT_BUDGET {
                    // Every (start, end) pair; ties go to the earliest start and latest end
                    // (the least text claimed for the gaps).
                    let mut top: Option<(f64, usize, usize)> = None;
                    for j in d.0..=start_hi {
                        for e in (end_lo.max(j + 1)..=d.1).rev() {
                            let sc = score(j, e)?;
                            let better = |(t, tj, _): (f64, usize, usize)| {
                                sc > t + 1e-9 || (late && (sc - t).abs() <= 1e-9 && j > tj)
                            };
                            if top.is_none_or(better) {
                                top = Some((sc, j, e));
                            }
                        }
                    }
                    Ok(top.map(|(_, j, e)| (j, e)).unwrap_or(d))
                } else {
                    // Long texts: settle start and end in turn.
                    let (mut start, mut end) = d;
                    for _ in 0..4 {
                        let from = end_lo.max(start + 1).min(d.1);
                        let e = best_cut(from, d.1, true, &|k| score(start, k))?;
                        let to = start_hi.min(e - 1).max(d.0);
                        let j = best_cut(d.0, to, late, &|j| score(j, e))?;
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

/// One gapped sentence against one other sentence, both left alone by the aligner: a
/// doubtful link of the two, with the probability the aligner left for it (one less its
/// confidence that the gapped sentence has no counterpart), scored 0 for the cut search.
/// Why: between two gaps there is nothing else to pair either with, and the aligner, seeing
/// the two alone, says little; two sentences left alone there came out as a sure addition
/// (cert 1) and a lost sentence when `align` ran again over its own held links.
fn one_to_one(g: (usize, usize), o: (usize, usize), beads: Scored) -> Scored {
    let alone = beads.len() == 2
        && beads
            .iter()
            .all(|(b, _)| b.src.is_empty() || b.tgt.is_empty());
    if g.1 - g.0 != 1 || o.1 - o.0 != 1 || !alone {
        return beads;
    }
    let null = beads
        .iter()
        .find(|(b, _)| !b.src.is_empty())
        .map_or(1.0, |(b, _)| b.confidence);
    let pair = Bead {
        src: vec![g.0],
        tgt: vec![o.0],
        confidence: (1.0 - null).clamp(0.0, 1.0),
    };
    vec![(pair, 0.0)]
}

/// A sentence of the other side standing alone in a gap of the gapped side.
fn lone_other(j: usize, confidence: f64) -> Bead {
    Bead {
        src: vec![],
        tgt: vec![j],
        confidence,
    }
}

fn mean_confidence(beads: &[(Bead, f64)]) -> f64 {
    if beads.is_empty() {
        0.0
    } else {
        beads.iter().map(|(b, _)| b.confidence).sum::<f64>() / beads.len() as f64
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
