//! hunalign's ladder format for an edge: one rung per line, `src_index<TAB>tgt_index<TAB>score`.
//! Two consecutive rungs delimit a bead (the sentences from the first rung up to, not including,
//! the second); the last rung is the end of both texts. Indices count sentences from 0 in each
//! layer, so the ladder goes with the layers' sentence lists, not their ids. The writing itself is
//! the aligner's ([`super::beads::write_ladder`]), so `align-text --format ladder` and `export
//! --format ladder` agree.

use super::EdgeItem;
use crate::model::Bead;

/// The beads of an edge on sentence indices.
pub fn beads(items: &[EdgeItem]) -> Vec<Bead> {
    items
        .iter()
        .map(|it| Bead {
            src: (it.src_start..it.src_start + it.source.len()).collect(),
            tgt: (it.der_start..it.der_start + it.derived.len()).collect(),
            confidence: it.cert,
        })
        .collect()
}

/// Write the beads of an edge as a ladder.
pub fn export(items: &[EdgeItem]) -> String {
    let (n, m) = items.last().map_or((0, 0), |it| {
        (
            it.src_start + it.source.len(),
            it.der_start + it.derived.len(),
        )
    });
    super::beads::write_ladder(&beads(items), n, m)
}
