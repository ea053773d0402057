//! Whether a second, differently made alignment of the same text agrees with a null bead: does
//! it leave the bead's sentence unpaired too, and where it pairs it, how far from where the bead
//! stands (`docs/aligner.md`, Calibration, session 17). A null bead's level depends on the text
//! in ways the bead's own evidence does not predict; two alignments that disagree about a
//! sentence are something a text tells about itself. An alignment made with sentence vectors is
//! judged against the model-free alignment of the same text (`align::model_free`); the search's
//! own first pass, tried for model-free alignments, did not pass the calibration bench's rule.

use super::{BeadKind, Evidence};

/// A bead as the sentences it spans: source start, source end, target start, target end (a
/// null bead's empty side is the place where it stands).
pub type Span = (usize, usize, usize, usize);

/// A sentence the other alignment leaves unpaired.
const UNPAIRED: (u32, u32) = (u32::MAX, u32::MAX);

/// The second alignment, as each sentence's partner block on the other side (start, end), or
/// `UNPAIRED`. Two `u32` a sentence: a million sentences a side cost 16 MB.
#[derive(Debug, Clone, Default)]
pub struct OtherPath {
    src: Vec<(u32, u32)>,
    tgt: Vec<(u32, u32)>,
}

impl OtherPath {
    /// The other alignment of `n` source and `m` target sentences from its beads' spans.
    pub fn of(spans: impl IntoIterator<Item = Span>, n: usize, m: usize) -> Self {
        let mut out = OtherPath {
            src: vec![UNPAIRED; n],
            tgt: vec![UNPAIRED; m],
        };
        let narrow = |x: usize| u32::try_from(x).unwrap_or(u32::MAX - 1);
        for (s0, s1, t0, t1) in spans {
            if s1 > s0 && t1 > t0 {
                for p in out.src.get_mut(s0..s1).into_iter().flatten() {
                    *p = (narrow(t0), narrow(t1));
                }
                for p in out.tgt.get_mut(t0..t1).into_iter().flatten() {
                    *p = (narrow(s0), narrow(s1));
                }
            }
        }
        out
    }

    /// `agree` and `agree_far` of a null bead of sentences `from` (source side when `source`)
    /// standing at position `at` of the other side.
    fn judge(&self, source: bool, from: usize, at: usize) -> (f32, f32) {
        let side = if source { &self.src } else { &self.tgt };
        match side.get(from) {
            None => (0.0, 0.0),
            Some(&p) if p == UNPAIRED => (1.0, 0.0),
            Some(&(a, b)) => {
                let (a, b) = (a as usize, b as usize);
                // 0 where the bead's place touches the partner block.
                let gap = if at < a { a - at } else { at.saturating_sub(b) };
                (0.0, (gap as f32).ln_1p())
            }
        }
    }
}

/// The spans of beads given as their sentence lists in document order: a null bead's empty side
/// stands after the last sentence of that side seen so far.
pub fn spans<'a>(beads: impl IntoIterator<Item = (&'a [usize], &'a [usize])>) -> Vec<Span> {
    let (mut s, mut t) = (0usize, 0usize);
    beads
        .into_iter()
        .map(|(src, tgt)| {
            let s0 = src.first().copied().unwrap_or(s);
            let s1 = src.last().map_or(s, |x| x + 1);
            let t0 = tgt.first().copied().unwrap_or(t);
            let t1 = tgt.last().map_or(t, |x| x + 1);
            (s, t) = (s1.max(s), t1.max(t));
            (s0, s1, t0, t1)
        })
        .collect()
}

/// Sets the agreement features of every null bead of an alignment (`this`: its beads' spans, in
/// the order of `evidence`) against `other`: [`Evidence::agree`], [`Evidence::agree_far`] and,
/// on every bead, [`Evidence::doc_agree`].
pub fn set_agreement(
    evidence: &mut [Evidence],
    this: impl IntoIterator<Item = Span>,
    other: &OtherPath,
) {
    let (mut nulls, mut agreed) = (0usize, 0usize);
    for (e, (s0, s1, t0, _)) in evidence.iter_mut().zip(this) {
        if e.kind != BeadKind::Null {
            continue;
        }
        // One sentence in every null bead the search makes; a longer one (a person's) is judged
        // by its first sentence.
        let (agree, far) = if s1 > s0 {
            other.judge(true, s0, t0)
        } else {
            other.judge(false, t0, s0)
        };
        e.agree = agree;
        e.agree_far = far;
        nulls += 1;
        agreed += usize::from(agree > 0.0);
    }
    let share = if nulls == 0 {
        1.0
    } else {
        agreed as f32 / nulls as f32
    };
    for e in evidence {
        e.doc_agree = share;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_bead_is_judged_by_where_the_other_alignment_puts_its_sentence() {
        // This alignment: 0-0, source 1 alone (at target 1), 2-1, 3-2, target 3 alone (at
        // source 4), 4-4, source 5 alone (at target 5).
        let this: Vec<Span> = vec![
            (0, 1, 0, 1),
            (1, 2, 1, 1),
            (2, 3, 1, 2),
            (3, 4, 2, 3),
            (4, 4, 3, 4),
            (4, 5, 4, 5),
            (5, 6, 5, 5),
        ];
        // The other: 0-0, source 1 alone too, 2-1, 3-2 and 3, 4-4, source 5 with target 0
        // (far off).
        let other = OtherPath::of(
            [
                (0, 1, 0, 1),
                (1, 2, 1, 1),
                (2, 3, 1, 2),
                (3, 4, 2, 4),
                (4, 5, 4, 5),
                (5, 6, 0, 1),
            ],
            6,
            5,
        );
        let mut e: Vec<Evidence> = this
            .iter()
            .map(|&(s0, s1, t0, t1)| Evidence::none(BeadKind::of(s1 - s0, t1 - t0)))
            .collect();
        set_agreement(&mut e, this.iter().copied(), &other);
        let got: Vec<(f32, f32)> = e.iter().map(|x| (x.agree, x.agree_far)).collect();
        assert_eq!(got[1], (1.0, 0.0));
        // Target 3 paired by the other with source 3, right before where it stands (source 4).
        assert_eq!(got[4], (0.0, 0.0));
        // Source 5 paired with target 0, five sentences before where it stands (target 5).
        assert_eq!(got[6], (0.0, 4.0f32.ln_1p()));
        // Paired beads are not judged.
        assert_eq!(got[0], (0.0, 0.0));
        assert!(e.iter().all(|x| (x.doc_agree - 1.0 / 3.0).abs() < 1e-6));
    }

    #[test]
    fn spans_of_beads_place_a_null_bead_after_what_came_before() {
        let beads: Vec<(Vec<usize>, Vec<usize>)> = vec![
            (vec![0], vec![0, 1]),
            (vec![1], vec![]),
            (vec![], vec![2]),
            (vec![2, 3], vec![3]),
        ];
        let got = spans(beads.iter().map(|(s, t)| (s.as_slice(), t.as_slice())));
        assert_eq!(
            got,
            vec![(0, 1, 0, 2), (1, 2, 2, 2), (2, 2, 2, 3), (2, 4, 3, 4)]
        );
    }
}
