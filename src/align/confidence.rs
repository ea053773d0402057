//! Mapping a bead's evidence to a confidence in [0, 1].
//!
//! The confidence is a logistic function of the evidence the search used: how well the lengths
//! agree (δ²), how much lexical evidence the bead has, and how unusual its type is. Null beads have
//! no lexical evidence by nature, so they are never certain.

use super::search::{Params, RawBead, TYPES};

/// The confidence of a bead of the search.
pub(crate) fn of(b: &RawBead, p: &Params) -> f64 {
    let (a, c) = TYPES[b.ty as usize];
    let lex = f64::from(b.lex);
    let d2 = f64::from(b.d2.min(50.0));
    let type_cost = match (a, c) {
        (1, 1) => 0.0,
        (0, _) | (_, 0) => 1.5,
        (2, 1) | (1, 2) => 0.7,
        _ => 1.2,
    };
    let _ = p;
    let z = -0.5 + 6.0 * lex - 0.35 * d2 - type_cost;
    1.0 / (1.0 + (-z).exp())
}
