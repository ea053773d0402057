//! Alignment around beads a person confirmed: the pieces of text between them, the statistics
//! estimated once on the whole texts for aligning those pieces, and the confidence of every
//! bead judged again in the whole alignment.

use super::confidence::{self, Evidence};
use super::first_pass::{first_pass, length_dev, quote_ends, search_costs};
use super::lexicon::{self, Csr, Dictionary, weigh};
use super::options::{AlignOptions, Weights};
use super::search::{self, Level, Params, RawBead};
use super::text::Analyses;
use super::{
    AlignError, PieceVecs, boundaries, joined_embedder, lone_beads, refined, refining, to_beads,
};
use crate::model::Bead;

/// The (src start, src end, tgt start, tgt end) ranges between fixed beads, after checking that
/// the fixed beads are in range, consecutive inside, ascending and non-crossing.
pub(super) fn pieces_between_fixed(
    fixed: &[Bead],
    n: usize,
    m: usize,
) -> Result<Vec<(usize, usize, usize, usize)>, AlignError> {
    let mut pieces = Vec::with_capacity(fixed.len() + 1);
    let (mut s, mut t) = (0, 0);
    for (k, b) in fixed.iter().enumerate() {
        let bad = |why: &str| AlignError::Input(format!("fixed bead {k} ({}): {why}", b.kind()));
        if b.src.is_empty() && b.tgt.is_empty() {
            return Err(bad("empty on both sides"));
        }
        if !(0.0..=1.0).contains(&b.confidence) {
            return Err(bad("confidence outside [0, 1]"));
        }
        for (ids, len) in [(&b.src, n), (&b.tgt, m)] {
            if ids.windows(2).any(|w| w[1] != w[0] + 1) {
                return Err(bad("sentence indices are not consecutive"));
            }
            if ids.last().is_some_and(|&x| x >= len) {
                return Err(bad("sentence index out of range"));
            }
        }
        let bs = b.src.first().copied().unwrap_or(s);
        let bt = b.tgt.first().copied().unwrap_or(t);
        if bs < s || bt < t {
            return Err(bad("overlaps or crosses an earlier fixed bead"));
        }
        pieces.push((s, bs, t, bt));
        s = b.src.last().map_or(bs, |&x| x + 1);
        t = b.tgt.last().map_or(bt, |&x| x + 1);
    }
    pieces.push((s, n, t, m));
    Ok(pieces)
}

/// The aligned pieces and the fixed beads between them in text order (piece 0, fixed 0,
/// piece 1, fixed 1, …), with which of them are fixed.
pub(super) fn interleave(
    aligned: Vec<Vec<(Bead, Evidence)>>,
    fixed: &[Bead],
    capacity: usize,
) -> (Vec<(Bead, Evidence)>, Vec<bool>) {
    let mut out = Vec::with_capacity(capacity);
    let mut fixed = fixed.iter();
    let mut is_fixed = Vec::with_capacity(capacity);
    for piece in aligned {
        is_fixed.extend(std::iter::repeat_n(false, piece.len()));
        out.extend(piece);
        if let Some(f) = fixed.next() {
            out.push((f.clone(), confidence::fixed_evidence(f)));
            is_fixed.push(true);
        }
    }
    (out, is_fixed)
}

/// Statistics estimated on the whole texts, for aligning the pieces between fixed beads.
pub(super) struct Global {
    si: Analyses,
    ti: Analyses,
    params: Params,
    dict: Dictionary,
}

impl Global {
    /// A first pass over the whole texts (fixed beads ignored: they are few and agree with it
    /// or not, the statistics hardly change), re-estimation and dictionary induction.
    pub(super) fn estimate(
        src: &[&str],
        tgt: &[&str],
        opts: &AlignOptions,
        dictionary: &Dictionary,
        vecs: Option<PieceVecs<'_>>,
    ) -> Self {
        let si = Analyses::of(src);
        let ti = Analyses::of(tgt);
        let bounds = match (&opts.src_blocks, &opts.tgt_blocks) {
            (Some(sb), Some(tb)) => Some((boundaries(sb), boundaries(tb))),
            _ => None,
        };
        let bounds = bounds.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice()));
        let sem = vecs.as_ref().map(|v| v.semantic(&si.lens, &ti.lens));
        let weights = Weights::new(opts, vecs.map_or(0.0, |v| v.params.weight.max(0.0)));
        let (params, dict, _) = first_pass(
            si.all(),
            ti.all(),
            bounds,
            dictionary,
            None,
            sem.as_ref(),
            weights,
        );
        Global {
            si,
            ti,
            params,
            dict,
        }
    }

    /// The evidence of every bead of a whole alignment (fixed beads included, as the
    /// neighbours they are), and the confidence of the beads not fixed from it.
    pub(super) fn rescore(&self, beads: &mut [(Bead, Evidence)], fixed: &[bool]) {
        let (si, ti) = (self.si.all(), self.ti.all());
        let s = Csr::build_n(si.len(), |k| self.dict.src_features(&si, k));
        let t = Csr::build_n(ti.len(), |k| self.dict.tgt_features(&ti, k));
        let feats = weigh(s, t);
        let level = Level::new(si.lens, ti.lens, &feats);
        let weight = |c: &Csr, k: usize| -> f32 { c.get(k).1.iter().map(|w| w.abs()).sum() };
        let (mut i, mut j) = (0, 0);
        let path: Vec<RawBead> = beads
            .iter()
            .map(|(b, e)| {
                let s0 = b.src.first().copied().unwrap_or(i);
                let s1 = b.src.last().map_or(s0, |&x| x + 1);
                let t0 = b.tgt.first().copied().unwrap_or(j);
                let t1 = b.tgt.last().map_or(t0, |&x| x + 1);
                (i, j) = (s1, t1);
                let mut matched = 0.0;
                for a in s0..s1 {
                    for c in t0..t1 {
                        matched += lexicon::overlap(feats.src.get(a), feats.tgt.get(c));
                    }
                }
                let total: f32 = (s0..s1).map(|a| weight(&feats.src, a)).sum::<f32>()
                    + (t0..t1).map(|c| weight(&feats.tgt, c)).sum::<f32>();
                let lex = if total > 0.0 {
                    (2.0 * matched / total).min(1.0)
                } else {
                    0.0
                };
                let ls = level.src_cum[s1] - level.src_cum[s0];
                let lt = level.tgt_cum[t1] - level.tgt_cum[t0];
                RawBead {
                    s0,
                    s1,
                    t0,
                    t1,
                    ty: 0,
                    d2: search::length_d2(&self.params, s1, ls, lt),
                    lex,
                    // As the piece's search measured it (the whole texts' vectors are not
                    // kept here).
                    sem: e.semantic.and_then(|s| {
                        (b.src.len() * b.tgt.len() > 0).then_some(1.0 - s.similarity)
                    }),
                }
            })
            .collect();
        let mut evidence =
            confidence::evidence(&path, &feats, &length_dev(&level, &self.params), None);
        for (new, (_, e)) in evidence.iter_mut().zip(beads.iter()) {
            // The semantic evidence and the margin as the piece's search measured them (the
            // whole texts' vectors are not kept here).
            new.semantic = e.semantic;
            new.margin = e.margin;
        }
        // The document features again, now over the whole alignment's semantic scores.
        confidence::document_pairing(&mut evidence);
        for (((b, e), new), &f) in beads.iter_mut().zip(evidence).zip(fixed) {
            *e = new;
            if !f {
                b.confidence = confidence::SHIPPED.predict(e);
            }
        }
    }

    /// Align the piece `src[s0..s1]`, `tgt[t0..t1]` with the global statistics (beads in piece
    /// indices).
    pub(super) fn align_piece(
        &self,
        (s0, s1, t0, t1): (usize, usize, usize, usize),
        (src, tgt): (&[&str], &[&str]),
        blocks: Option<(&[usize], &[usize])>,
        vecs: Option<PieceVecs<'_>>,
    ) -> Result<Vec<(Bead, Evidence)>, AlignError> {
        let (n, m) = (s1 - s0, t1 - t0);
        if n == 0 || m == 0 {
            return Ok(lone_beads(n, m));
        }
        let (si, ti) = (self.si.all().slice(s0..s1), self.ti.all().slice(t0..t1));
        let mut params = self.params.clone();
        // The local ratio is indexed by source position: shift it to the piece.
        params.local = self.params.local.as_ref().map(|v| {
            std::sync::Arc::new(
                (s0..=s1)
                    .map(|i| v.get(i).copied().unwrap_or(self.params.ratio))
                    .collect(),
            )
        });
        let bounds = blocks.map(|(sb, tb)| (boundaries(sb), boundaries(tb)));
        let s = Csr::build_n(n, |k| self.dict.src_features(&si, k));
        let t = Csr::build_n(m, |k| self.dict.tgt_features(&ti, k));
        let feats = weigh(s, t);
        let (sl, tl) = (si.lens, ti.lens);
        let vecs = vecs.map(|v| v.with_texts((src, tgt)));
        let sem = vecs.as_ref().map(|v| v.with_names(v.semantic(sl, tl)));
        let (sq, tq) = quote_ends(si, ti);
        let level = Level {
            quotes: Some((&sq, &tq)),
            src_bound: bounds.as_ref().map(|b| b.0.as_slice()),
            tgt_bound: bounds.as_ref().map(|b| b.1.as_slice()),
            sem: sem.as_ref(),
            ..Level::new(sl, tl, &feats)
        };
        let mut path = search::search(&level, &params, 3, None);
        // Refined as a piece without fixed beads is (`align_infos`): a confirmed link must not
        // leave the text around it judged by weaker evidence than the rest.
        if let (Some(sem), Some(v)) = (sem.as_ref(), vecs.filter(|&v| refining(Some(v)))) {
            let embed = joined_embedder((src, tgt), vecs);
            path = refined(path, (&level, &params, sem), v, &embed)?;
        }
        let mut evidence =
            confidence::evidence(&path, &feats, &length_dev(&level, &params), sem.as_ref());
        let margins = confidence::margins(&path, search_costs(&level, &params, sem.as_ref()));
        confidence::set_margins(&mut evidence, &margins);
        Ok(to_beads(path, evidence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_beads_are_validated() {
        let b = |s: Vec<usize>, t: Vec<usize>| Bead {
            src: s,
            tgt: t,
            confidence: 1.0,
        };
        assert!(pieces_between_fixed(&[b(vec![5], vec![0])], 3, 3).is_err());
        assert!(pieces_between_fixed(&[b(vec![0, 2], vec![0])], 3, 3).is_err());
        assert!(pieces_between_fixed(&[b(vec![1], vec![1]), b(vec![0], vec![2])], 3, 3).is_err());
        let p = pieces_between_fixed(&[b(vec![1], vec![2])], 3, 4).unwrap();
        assert_eq!(p, vec![(0, 1, 0, 2), (2, 3, 3, 4)]);
    }
}
