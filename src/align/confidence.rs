//! Mapping a bead's evidence to a confidence in [0, 1].
//!
//! A logistic model of the evidence the search used: the bead's lexical similarity, the mean
//! similarity of the beads around it (a bead in a stretch of clear translations is probably right
//! even if it has no clue of its own; a stretch of unrelated text has none), how well the lengths
//! agree, and the bead type. The weights were fitted (logistic regression) on the beads the
//! aligner produced for the gold sets in `../shared/bench/data`, together with alignments of the
//! same texts against a reversed translation (all wrong), so that both clear and hopeless cases
//! are represented. On those, beads given 0.9–1 were right 98 % of the time, 0.5–0.6 about 56 %,
//! under 0.2 about 5 %.

use super::search::{RawBead, TYPES};

/// Beads on each side whose similarity makes the neighbourhood feature.
const NEIGHBOURS: usize = 5;

/// The confidence of each bead of a path (in order).
pub(crate) fn assign(path: &[RawBead]) -> Vec<f64> {
    let paired = |b: &RawBead| {
        let (a, c) = TYPES[b.ty as usize];
        a > 0 && c > 0
    };
    (0..path.len())
        .map(|k| {
            let lo = k.saturating_sub(NEIGHBOURS);
            let hi = (k + NEIGHBOURS + 1).min(path.len());
            let around: Vec<f64> = (lo..hi)
                .filter(|&x| x != k && paired(&path[x]))
                .map(|x| f64::from(path[x].lex))
                .collect();
            let nb = if around.is_empty() {
                0.0
            } else {
                around.iter().sum::<f64>() / around.len() as f64
            };
            of(&path[k], nb)
        })
        .collect()
}

/// The confidence of a 1-0 or 0-1 bead without evidence of its own or around it (a sentence
/// left alone only because nothing remains to pair it with).
pub(crate) fn unsupported_null() -> f64 {
    let b = RawBead {
        s0: 0,
        s1: 1,
        t0: 0,
        t1: 0,
        ty: TYPES.iter().position(|&t| t == (1, 0)).unwrap_or(1) as u8,
        d2: 0.0,
        lex: 0.0,
        sem: None,
    };
    of(&b, 0.0)
}

/// The confidence of one bead given the mean similarity `nb` of its neighbours.
fn of(b: &RawBead, nb: f64) -> f64 {
    let (a, c) = TYPES[b.ty as usize];
    let null = a == 0 || c == 0;
    let merge = matches!((a, c), (2, 1) | (1, 2));
    let other = !null && !merge && (a, c) != (1, 1);
    let d = f64::from(b.d2.min(50.0)).sqrt();
    let z = -3.973 + 4.488 * f64::from(b.lex) - 0.375 * d
        + if null { 0.397 } else { 0.0 }
        + if merge { -1.378 } else { 0.0 }
        + if other { -3.25 } else { 0.0 }
        + 29.587 * nb;
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(ty: u8, d2: f32, lex: f32) -> RawBead {
        RawBead {
            s0: 0,
            s1: 1,
            t0: 0,
            t1: 1,
            ty,
            d2,
            lex,
            sem: None,
        }
    }

    #[test]
    fn clear_neighbourhood_is_confident_unrelated_is_not() {
        let good: Vec<_> = (0..9).map(|_| bead(0, 0.5, 0.4)).collect();
        assert!(assign(&good).iter().all(|&c| c > 0.9));
        let bad: Vec<_> = (0..9).map(|_| bead(0, 3.0, 0.0)).collect();
        assert!(assign(&bad).iter().all(|&c| c < 0.2));
        // A rare bead type, same evidence: less sure.
        assert!(of(&bead(5, 0.5, 0.1), 0.1) < of(&bead(0, 0.5, 0.1), 0.1));
    }
}
