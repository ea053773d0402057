//! Refinement of a path with the vectors of joined text.
//!
//! The search judges a bead of several sentences by the length-weighted sum of its sentences'
//! vectors (`semantic.rs`): cheap, but blind to what the model makes of the sentences read
//! together, so it tells a true 1-2 from a 1-1 and a 0-1 beside it, or a 2-2 from two 1-1s,
//! less well than Vecalign and Bertalign, which embed the concatenated sentences. Embedding
//! every block the search may consider would multiply the dearest step by the bead sizes; so,
//! as in Bertalign's second step, only where the path is in doubt: around every bead that is
//! not 1-1 (with one bead either side), the joined texts of the path's own blocks there and of
//! each paired block grown by a neighbouring null's sentence are embedded (cached by text like
//! sentence vectors), and the segmentation of that window is decided again by a small dynamic
//! programme over the search's own costs — priors, length, lexical clues, block boundaries,
//! runs of nulls priced exactly — with the semantic cost of every block read from its own
//! vector. A block of several sentences not among those is not considered there. Where the
//! edge sentence of a paired bead in a window is (nearly) closer to its neighbour's block than
//! to its own bead's, the blocks with the boundary moved by that sentence are embedded too.

use super::lexicon::{bead_similarity, sentence_weights};
use super::search::{
    Level, MAXK, Params, RawBead, TYPES, length_cost, length_d2, type_index, wide_prior,
};
use super::semantic::Semantic;
use crate::embed::EmbedError;
use std::collections::{BTreeSet, HashMap};

/// Beads of one sentence against more than the search's blocks hold, which the refinement
/// alone may make, from a paired bead and the run of nulls beside it on its side of several
/// sentences: a sentence translated by a list of five or six (Text+Berg's gold has 1-5 beads,
/// mac's 1-5 and 1-6); left to the search, the list's last members came out as additions.
const WIDE: [(usize, usize); 4] = [(1, 5), (5, 1), (1, 6), (6, 1)];

/// The most sentences of a side of a [`WIDE`] bead.
const MAXW: usize = 6;

/// The sentences either side of a bead kind of the window's programme: the search's
/// [`TYPES`], then [`WIDE`].
fn kind(t: usize) -> (usize, usize) {
    match TYPES.get(t) {
        Some(&k) => k,
        None => WIDE[t - TYPES.len()],
    }
}

/// The cost (−ln prior) of bead kind `t`: the search's for its own kinds; for a [`WIDE`] kind,
/// [`wide_prior`]'s.
fn prior(p: &Params, t: usize) -> f32 {
    if t < TYPES.len() {
        return p.prior[t];
    }
    wide_prior(p, kind(t))
}

/// Consecutive sentences of one side: start, end (exclusive), in piece indices.
pub(crate) type Span = (usize, usize);

/// The vectors of joined texts, by span.
type Joined = HashMap<Span, Vec<f32>>;

/// Embeds the joined texts of spans of one side (`true`: the source): one vector per span.
pub(crate) type JoinedEmbed<'a> =
    dyn Fn(bool, &[Span]) -> Result<Vec<Vec<f32>>, EmbedError> + Sync + 'a;

/// What the refinement weighs, as the search's second pass weighed it.
pub(crate) struct Refiner<'a> {
    pub level: &'a Level<'a>,
    pub params: &'a Params,
    pub sem: &'a Semantic<'a>,
    /// Weight of the semantic evidence.
    pub weight: f32,
    /// A joined block's `r` is raised by this share per sentence of the bead beyond two.
    pub bias: f32,
    /// Boundary shifts between neighbouring paired beads of a window are embedded where the
    /// edge sentence's vector is within this of being closer to the neighbour's block than to
    /// its own bead's (`None`: none are).
    pub shift: Option<f32>,
    /// See [`super::SemanticParams::member_gain`].
    pub gain: f32,
}

/// The windows of `path` worth deciding again, as ranges of bead indices: every bead that is not
/// 1-1, with one bead either side, windows that touch merged. The bead just outside a window is
/// a 1-1 bead (or the text's edge), so no run of nulls crosses a window's edge.
fn windows(path: &[RawBead]) -> Vec<(usize, usize)> {
    let n = path.len();
    let mut marked = vec![false; n];
    for (k, b) in path.iter().enumerate() {
        if b.ty != 0 {
            marked[k.saturating_sub(1)..(k + 2).min(n)].fill(true);
        }
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < n {
        if marked[k] {
            let start = k;
            while k < n && marked[k] {
                k += 1;
            }
            out.push((start, k));
        } else {
            k += 1;
        }
    }
    out
}

/// The blocks of several sentences a window may use, per side: those of its beads, and each
/// grown by one sentence towards a neighbouring null bead on that side (the null merged into
/// its neighbour: a 1-1 and a 0-1 against a 1-2). An n:m bead split into smaller beads needs
/// no new block: its sentences' own vectors serve. Shrinking blocks by a sentence and growing
/// them towards n:m neighbours (boundary shifts) were measured too: with them the search finds
/// a little more (mac-dev strict F1 0.816 → 0.823) but embeds three times the joined texts,
/// which breaks the time budget of Text+Berg (`docs/aligner.md`).
fn spans(beads: &[RawBead], src: &mut BTreeSet<Span>, tgt: &mut BTreeSet<Span>) {
    let mut add = |on_src: bool, (x0, x1): Span, lo: bool, hi: bool| {
        let set = if on_src { &mut *src } else { &mut *tgt };
        let mut put = |a: usize, b: usize| {
            if b >= a + 2 && b - a <= MAXK {
                set.insert((a, b));
            }
        };
        put(x0, x1);
        if lo && x0 > 0 {
            put(x0 - 1, x1);
        }
        if hi {
            put(x0, x1 + 1);
        }
    };
    // Is `other` a null bead holding a sentence of this side?
    let null_on = |other: Option<&RawBead>, on_src: bool| {
        other.is_some_and(|o| {
            if on_src {
                o.t1 == o.t0 && o.s1 > o.s0
            } else {
                o.s1 == o.s0 && o.t1 > o.t0
            }
        })
    };
    for (k, b) in beads.iter().enumerate() {
        let (prev, next) = (k.checked_sub(1).map(|x| &beads[x]), beads.get(k + 1));
        if b.s1 > b.s0 && b.t1 > b.t0 {
            add(true, (b.s0, b.s1), null_on(prev, true), null_on(next, true));
            add(
                false,
                (b.t0, b.t1),
                null_on(prev, false),
                null_on(next, false),
            );
        }
    }
    for k in 0..beads.len() {
        wide(beads, k, src, tgt);
    }
}

/// The blocks of [`WIDE`] beads a paired bead `beads[k]` of one sentence on one side may grow
/// into on the other, through the runs of nulls of that side just before and after it.
fn wide(beads: &[RawBead], k: usize, src: &mut BTreeSet<Span>, tgt: &mut BTreeSet<Span>) {
    let b = &beads[k];
    let (a, c) = (b.s1 - b.s0, b.t1 - b.t0);
    for on_src in [true, false] {
        // The side that grows holds at least one sentence, the other exactly one.
        if (on_src && a >= 1 && c == 1) || (!on_src && c >= 1 && a == 1) {
            grow(beads, k, on_src, if on_src { &mut *src } else { &mut *tgt });
        }
    }
}

/// See [`wide`]: the blocks of side `on_src` of `beads[k]` grown through its neighbouring nulls.
fn grow(beads: &[RawBead], k: usize, on_src: bool, set: &mut BTreeSet<Span>) {
    let b = &beads[k];
    // Sentences of that side in the nulls of the run before and after the bead.
    let null_len = |o: &RawBead| {
        if on_src && o.t1 == o.t0 {
            o.s1 - o.s0
        } else if !on_src && o.s1 == o.s0 {
            o.t1 - o.t0
        } else {
            0
        }
    };
    let run = |it: &mut dyn Iterator<Item = &RawBead>| {
        let mut n = 0;
        for o in it {
            match null_len(o) {
                0 => break,
                x => n += x,
            }
        }
        n
    };
    let before = run(&mut beads[..k].iter().rev());
    let after = run(&mut beads[k + 1..].iter());
    let (x0, x1) = if on_src { (b.s0, b.s1) } else { (b.t0, b.t1) };
    for p in 0..=before.min(MAXW) {
        for q in 0..=after.min(MAXW) {
            let (a, z) = (x0 - p, x1 + q);
            if z - a > MAXK && z - a <= MAXW {
                set.insert((a, z));
            }
        }
    }
}

/// Refine `path` (see the module documentation): the beads of the windows in doubt decided again
/// with the vectors of joined text from `embed`.
pub(crate) fn refine(
    path: Vec<RawBead>,
    r: &Refiner<'_>,
    embed: &JoinedEmbed<'_>,
) -> Result<Vec<RawBead>, EmbedError> {
    let wins = windows(&path);
    if wins.is_empty() {
        return Ok(path);
    }
    let (mut ss, mut ts) = (BTreeSet::new(), BTreeSet::new());
    for &(k0, k1) in &wins {
        spans(&path[k0..k1], &mut ss, &mut ts);
    }
    let vectors = |src: bool, set: BTreeSet<Span>| -> Result<HashMap<Span, Vec<f32>>, EmbedError> {
        let list: Vec<Span> = set.into_iter().collect();
        let rows = if list.is_empty() {
            Vec::new()
        } else {
            embed(src, &list)?
        };
        if rows.len() != list.len() {
            return Err(EmbedError::Server(format!(
                "{} vectors returned for {} joined texts",
                rows.len(),
                list.len()
            )));
        }
        Ok(list.into_iter().zip(rows.into_iter().map(unit)).collect())
    };
    let (mut sv, mut tv) = (vectors(true, ss)?, vectors(false, ts)?);
    if let Some(eps) = r.shift {
        // Boundary shifts: a second round, judged with the path's own blocks embedded above.
        let (mut s2, mut t2) = (BTreeSet::new(), BTreeSet::new());
        for &(k0, k1) in &wins {
            for k in k0..k1.saturating_sub(1) {
                shifts(
                    r.sem,
                    (&path[k], &path[k + 1]),
                    (&sv, &tv),
                    eps,
                    (&mut s2, &mut t2),
                );
            }
        }
        s2.retain(|x| !sv.contains_key(x));
        t2.retain(|x| !tv.contains_key(x));
        sv.extend(vectors(true, s2)?);
        tv.extend(vectors(false, t2)?);
    }
    let local = Local {
        r,
        sv: &sv,
        tv: &tv,
        sw: sentence_weights(&r.level.feats.src),
        tw: sentence_weights(&r.level.feats.tgt),
    };
    let mut out = Vec::with_capacity(path.len());
    let mut next = 0;
    for &(k0, k1) in &wins {
        out.extend_from_slice(&path[next..k0]);
        let (a, b) = (&path[k0], &path[k1 - 1]);
        out.extend(local.decide(a.s0, b.s1, a.t0, b.t1));
        next = k1;
    }
    out.extend_from_slice(&path[next..]);
    Ok(out)
}

/// A block's vector: a single sentence's own, or a joined text's from `map`.
fn block_vec<'v>(
    sem: &'v Semantic<'_>,
    src: bool,
    (x0, x1): Span,
    map: &'v Joined,
) -> Option<&'v [f32]> {
    match (x1 - x0, src) {
        (0, _) => None,
        (1, true) => Some(sem.src_vec(x0)),
        (1, false) => Some(sem.tgt_vec(x0)),
        _ => map.get(&(x0, x1)).map(Vec::as_slice),
    }
}

fn dotp(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The blocks of a boundary shift between two neighbouring paired beads `b` and `c` worth
/// embedding: the edge sentence of one side moved into the other bead where its own vector is
/// (nearly, within `eps`) as close to the other bead's block on the other side as to its own
/// bead's. Most strict errors of mac-dev with e5 put a boundary sentence into the wrong
/// neighbour; embedding every shift triples the joined texts (`docs/aligner.md`), this test on
/// the vectors at hand keeps the ones worth deciding.
fn shifts(
    sem: &Semantic<'_>,
    (b, c): (&RawBead, &RawBead),
    (sv, tv): (&Joined, &Joined),
    eps: f32,
    (s2, t2): (&mut BTreeSet<Span>, &mut BTreeSet<Span>),
) {
    let paired = |x: &RawBead| x.s1 > x.s0 && x.t1 > x.t0;
    if !paired(b) || !paired(c) {
        return;
    }
    for on_src in [true, false] {
        // This side's spans of b and c, the other side's, the other side's joined vectors.
        let (bs, cs, bo, co, other, out) = if on_src {
            (
                (b.s0, b.s1),
                (c.s0, c.s1),
                (b.t0, b.t1),
                (c.t0, c.t1),
                tv,
                &mut *s2,
            )
        } else {
            (
                (b.t0, b.t1),
                (c.t0, c.t1),
                (b.s0, b.s1),
                (c.s0, c.s1),
                sv,
                &mut *t2,
            )
        };
        let (Some(vb), Some(vc)) = (
            block_vec(sem, !on_src, bo, other),
            block_vec(sem, !on_src, co, other),
        ) else {
            continue;
        };
        let v = |x: usize| {
            if on_src {
                sem.src_vec(x)
            } else {
                sem.tgt_vec(x)
            }
        };
        let mut put = |a: usize, z: usize| {
            if z >= a + 2 && z - a <= MAXK {
                out.insert((a, z));
            }
        };
        // b's last sentence into c.
        if bs.1 - bs.0 >= 2 && cs.1 - cs.0 < MAXK {
            let x = bs.1 - 1;
            if dotp(v(x), vc) > dotp(v(x), vb) - eps {
                put(bs.0, x);
                put(x, cs.1);
            }
        }
        // c's first sentence into b.
        if cs.1 - cs.0 >= 2 && bs.1 - bs.0 < MAXK {
            let y = cs.0;
            if dotp(v(y), vb) > dotp(v(y), vc) - eps {
                put(bs.0, y + 1);
                put(y + 1, cs.1);
            }
        }
    }
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

/// One window's search.
struct Local<'a> {
    r: &'a Refiner<'a>,
    sv: &'a HashMap<Span, Vec<f32>>,
    tv: &'a HashMap<Span, Vec<f32>>,
    sw: Vec<f32>,
    tw: Vec<f32>,
}

/// Back pointer flags of the window's programme (as the search's).
const EXT_S: u8 = 0x80;
const EXT_T: u8 = 0x40;
const TYPE: u8 = 0x3f;

impl Local<'_> {
    /// The block vector of `span` on one side, if it may be used.
    fn block(&self, src: bool, x0: usize, x1: usize) -> Option<&[f32]> {
        match (x1 - x0, src) {
            (1, true) => Some(self.r.sem.src_vec(x0)),
            (1, false) => Some(self.r.sem.tgt_vec(x0)),
            (_, true) => self.sv.get(&(x0, x1)).map(Vec::as_slice),
            (_, false) => self.tv.get(&(x0, x1)).map(Vec::as_slice),
        }
    }

    /// Lexical similarity of a paired bead, as the search measures it.
    fn lex(&self, s: Span, t: Span) -> f32 {
        bead_similarity(self.r.level.feats, (&self.sw, &self.tw), s, t)
    }

    /// Length δ² of a bead ending at source position `i1`.
    fn d2(&self, (i0, i1): Span, (j0, j1): Span) -> f32 {
        let l = self.r.level;
        let ls = l.src_cum[i1] - l.src_cum[i0];
        let lt = l.tgt_cum[j1] - l.tgt_cum[j0];
        length_d2(self.r.params, i1, ls, lt)
    }

    /// The cost of a paired bead besides its prior, or `None` where a block is not available.
    fn paired(&self, s: Span, t: Span) -> Option<f32> {
        let vs = self.block(true, s.0, s.1)?;
        let vt = self.block(false, t.0, t.1)?;
        let sem = self.r.sem;
        let (bias, r) = (self.r.bias, self.r.gain);
        let with = sem.joined_ratio((vs, vt), s.0..s.1, t.0..t.1, bias);
        // A member that takes the bead further from the other side and is like nothing near
        // it pays for it (see `SemanticParams::member_gain`).
        let gain = |on_src: bool, k: usize| {
            if r <= 0.0 || !sem.unlike_anything(on_src, k) {
                return 0.0;
            }
            self.without(on_src, k, (s, t)).map_or(0.0, |(v, (a, b))| {
                sem.member_gain(r, on_src, k, (with, sem.joined_ratio(v, a, b, bias)))
            })
        };
        let (cost, _) = sem.joined_cost(self.r.weight, (vs, vt), (s.0..s.1, t.0..t.1), bias, gain);
        Some(length_cost(self.d2(s, t)) - self.r.params.lambda * self.lex(s, t) + cost)
    }

    /// The blocks' vectors and spans of the bead of source `s` and target `t` without its
    /// sentence `k` of one side, where `k` is at the edge of a block of several and the rest
    /// has a vector (a single sentence's, or a joined text embedded for the window).
    #[allow(clippy::type_complexity)]
    fn without(
        &self,
        on_src: bool,
        k: usize,
        (s, t): (Span, Span),
    ) -> Option<(
        (&[f32], &[f32]),
        (std::ops::Range<usize>, std::ops::Range<usize>),
    )> {
        let (x0, x1) = if on_src { s } else { t };
        if x1 - x0 < 2 {
            return None;
        }
        let rest = match k {
            k if k == x0 => (x0 + 1, x1),
            k if k + 1 == x1 => (x0, x1 - 1),
            _ => return None,
        };
        let (s2, t2) = if on_src { (rest, t) } else { (s, rest) };
        let vs = self.block(true, s2.0, s2.1)?;
        let vt = self.block(false, t2.0, t2.1)?;
        Some(((vs, vt), (s2.0..s2.1, t2.0..t2.1)))
    }

    /// The best segmentation of source `s0..s1` against target `t0..t1` (a full programme over
    /// the window, runs of nulls priced exactly).
    fn decide(&self, s0: usize, s1: usize, t0: usize, t1: usize) -> Vec<RawBead> {
        let p = self.r.params;
        let (w, h) = (s1 - s0 + 1, t1 - t0 + 1);
        let at = |i: usize, j: usize| (i - s0) * h + (j - t0);
        let inf = f32::INFINITY;
        let (mut best, mut gs, mut gt) = (vec![inf; w * h], vec![inf; w * h], vec![inf; w * h]);
        let mut back = vec![u8::MAX; w * h];
        best[0] = 0.0;
        let bound = match (self.r.level.src_bound, self.r.level.tgt_bound) {
            (Some(sb), Some(tb)) => Some((sb, tb)),
            _ => None,
        };
        for i in s0..=s1 {
            for j in t0..=t1 {
                if i == s0 && j == t0 {
                    continue;
                }
                let pen = match bound {
                    Some((sb, tb)) if sb[i] != tb[j] => p.block_penalty,
                    _ => 0.0,
                } + self.r.sem.cross_cost(self.r.weight, i, j);
                let k = at(i, j);
                let mut flags = 0u8;
                for t in 0..TYPES.len() + WIDE.len() {
                    let (a, b) = kind(t);
                    if i < s0 + a || j < t0 + b {
                        continue;
                    }
                    let pk = at(i - a, j - b);
                    let prev = best[pk];
                    if prev == inf && a > 0 && b > 0 {
                        continue;
                    }
                    let (sp, tp) = ((i - a, i), (j - b, j));
                    let c = if a == 0 || b == 0 {
                        let runs = if a == 0 { &gt } else { &gs };
                        let open = prev + prior(p, t);
                        let ext = runs[pk] + p.null_extend.min(prior(p, t));
                        let (c, extended) = if ext < open {
                            (ext, true)
                        } else {
                            (open, false)
                        };
                        let sem = if a == 0 {
                            self.r.sem.null_cost(false, j - 1)
                        } else {
                            self.r.sem.null_cost(true, i - 1)
                        };
                        let c = c + pen + p.null_len * length_cost(self.d2(sp, tp)) + sem;
                        if extended {
                            flags |= if a == 0 { EXT_T } else { EXT_S };
                        }
                        if a == 0 {
                            gt[k] = c;
                        } else {
                            gs[k] = c;
                        }
                        c
                    } else {
                        match self.paired(sp, tp) {
                            Some(x) => prev + prior(p, t) + pen + x,
                            None => continue,
                        }
                    };
                    if c < best[k] {
                        best[k] = c;
                        back[k] = t as u8;
                    }
                }
                if back[k] != u8::MAX {
                    back[k] |= flags;
                }
            }
        }
        self.trace(&back, (s0, s1, t0, t1))
    }

    /// The beads of the window's best path, with the evidence the confidence model reads.
    fn trace(&self, back: &[u8], (s0, s1, t0, t1): (usize, usize, usize, usize)) -> Vec<RawBead> {
        let h = t1 - t0 + 1;
        let mut beads = Vec::new();
        let (mut i, mut j) = (s1, t1);
        let mut in_run: Option<u8> = None;
        while i > s0 || j > t0 {
            let k = back[(i - s0) * h + (j - t0)];
            if k == u8::MAX {
                break;
            }
            let t = in_run.unwrap_or(k & TYPE);
            in_run = match t {
                1 if k & EXT_S != 0 => Some(1),
                2 if k & EXT_T != 0 => Some(2),
                _ => None,
            };
            let (a, b) = kind(usize::from(t));
            let (sp, tp) = ((i - a, i), (j - b, j));
            let paired = a > 0 && b > 0;
            // A wide bead takes the kind of the search's that comes closest (1-4 or 4-1): the
            // kind only says how runs of nulls continue, and those are behind us.
            let near = |k: (usize, usize)| type_index(k).unwrap_or(0) as u8;
            beads.push(RawBead {
                s0: i - a,
                s1: i,
                t0: j - b,
                t1: j,
                ty: match (a > MAXK, b > MAXK) {
                    (true, _) => near((MAXK, 1)),
                    (_, true) => near((1, MAXK)),
                    _ => t,
                },
                d2: self.d2(sp, tp),
                lex: if paired { self.lex(sp, tp) } else { 0.0 },
                // As the search measures it (summed vectors): the confidence model was fitted
                // on that.
                sem: paired.then(|| {
                    if a > MAXK || b > MAXK {
                        return self.r.sem.ratio_of(sp.0..sp.1, tp.0..tp.1);
                    }
                    let mut sum = 0.0;
                    for x in sp.0..sp.1 {
                        for y in tp.0..tp.1 {
                            sum += self.r.sem.pair(x, y);
                        }
                    }
                    self.r.sem.ratio(sum, i, a, j, b)
                }),
            });
            i -= a;
            j -= b;
        }
        beads.reverse();
        beads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(s0: usize, s1: usize, t0: usize, t1: usize) -> RawBead {
        let ty = TYPES.iter().position(|&t| t == (s1 - s0, t1 - t0)).unwrap() as u8;
        RawBead::unscored(s0, s1, t0, t1, ty)
    }

    #[test]
    fn windows_hold_every_bead_in_doubt_with_one_neighbour_each_side() {
        // 1-1, 1-1, 2-1, 1-1, 1-1, 1-1, 1-0, 1-1
        let path = [
            bead(0, 1, 0, 1),
            bead(1, 2, 1, 2),
            bead(2, 4, 2, 3),
            bead(4, 5, 3, 4),
            bead(5, 6, 4, 5),
            bead(6, 7, 5, 6),
            bead(7, 8, 6, 6),
            bead(8, 9, 6, 7),
        ];
        assert_eq!(windows(&path), vec![(1, 4), (5, 8)]);
        assert!(windows(&path[..2]).is_empty());
    }

    #[test]
    fn spans_are_the_blocks_of_the_path_and_their_merges_with_a_neighbouring_null() {
        // 1-1, 0-1, 2-1, 1-0
        let path = [
            bead(0, 1, 0, 1),
            bead(1, 1, 1, 2),
            bead(1, 3, 2, 3),
            bead(3, 4, 3, 3),
        ];
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        spans(&path, &mut s, &mut t);
        // Source: the 2-1's block, and it grown by the 1-0's sentence.
        assert_eq!(s.into_iter().collect::<Vec<_>>(), vec![(1, 3), (1, 4)]);
        // Target: the 1-1's sentence and the 2-1's each joined to the 0-1's.
        assert_eq!(t.into_iter().collect::<Vec<_>>(), vec![(0, 2), (1, 3)]);
    }

    #[test]
    fn a_bead_of_one_sentence_grows_through_the_nulls_beside_it_into_wide_blocks() {
        // 1-1, 1-2, 0-1, 0-1, 0-1, 1-1: the 1-2's target block grown by one, two, three
        // nulls; only the blocks beyond four sentences are new (the others come from `add`).
        let path = [
            bead(0, 1, 0, 1),
            bead(1, 2, 1, 3),
            bead(2, 2, 3, 4),
            bead(2, 2, 4, 5),
            bead(2, 2, 5, 6),
            bead(2, 3, 6, 7),
        ];
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        wide(&path, 1, &mut s, &mut t);
        assert!(s.is_empty());
        assert_eq!(t.into_iter().collect::<Vec<_>>(), vec![(1, 6)]);
        // The 1-1 after the run grows backwards through it: 4 + 1 sentences, not more.
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        wide(&path, 5, &mut s, &mut t);
        assert!(s.is_empty() && t.is_empty(), "{t:?}");
        let mut longer = path.to_vec();
        longer.insert(5, bead(2, 2, 6, 7));
        longer[6] = bead(2, 3, 7, 8);
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        wide(&longer, 6, &mut s, &mut t);
        assert!(s.is_empty());
        assert_eq!(t.into_iter().collect::<Vec<_>>(), vec![(3, 8)]);
    }

    #[test]
    fn a_wide_bead_costs_more_than_a_one_to_four_by_the_priors_own_step() {
        let p = crate::align::search::params_for_tests(1.0);
        let at = |k: (usize, usize)| (0..TYPES.len() + WIDE.len()).find(|&t| kind(t) == k);
        let cost = |k| prior(&p, at(k).unwrap());
        let step = cost((1, 4)) - cost((1, 3));
        assert!(step > 0.0);
        assert!((cost((1, 5)) - cost((1, 4)) - step).abs() < 1e-5);
        assert!((cost((6, 1)) - cost((4, 1)) - 2.0 * step).abs() < 1e-5);
    }

    #[test]
    fn a_boundary_sentence_closer_to_the_neighbour_is_tried_there() {
        use crate::align::semantic::Vectors;
        let e = |k: usize| {
            let mut v = vec![0.2f32; 3];
            v[k] = 1.0;
            v
        };
        // Source: A, B; target: A', B', B'' (a 1-2 then a 1-1 as the search found them).
        let rows = vec![e(0), e(1), e(0), e(1), e(1)];
        let vecs = Vectors::new(3, rows, 2);
        let params = crate::align::SemanticParams::default();
        let sem = Semantic::new(&vecs, &vecs.src, &vecs.tgt, &[40; 2], &[40; 3], &params);
        let (b, c) = (bead(0, 1, 0, 2), bead(1, 2, 2, 3));
        let none = HashMap::new();
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        shifts(&sem, (&b, &c), (&none, &none), 0.0, (&mut s, &mut t));
        // B' is B's: the target block B' B'' is worth embedding; nothing moves on the source.
        assert!(s.is_empty());
        assert_eq!(t.into_iter().collect::<Vec<_>>(), vec![(1, 3)]);
        // With A'' in place of B', it stays where it is.
        let rows = vec![e(0), e(1), e(0), e(0), e(1)];
        let vecs = Vectors::new(3, rows, 2);
        let sem = Semantic::new(&vecs, &vecs.src, &vecs.tgt, &[40; 2], &[40; 3], &params);
        let (mut s, mut t) = (BTreeSet::new(), BTreeSet::new());
        shifts(&sem, (&b, &c), (&none, &none), 0.0, (&mut s, &mut t));
        assert!(s.is_empty() && t.is_empty());
    }
}
