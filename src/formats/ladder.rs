//! hunalign's ladder format for an edge: one rung per line, `src_index<TAB>tgt_index<TAB>score`.
//! Two consecutive rungs delimit a bead (the sentences from the first rung up to, not including,
//! the second); the last rung is the end of both texts. Indices count sentences from 0 in each
//! layer, so the ladder goes with the layers' sentence lists, not their ids. The writing itself is
//! the aligner's ([`super::beads::write_ladder`]), so `align-text --format ladder` and `export
//! --format ladder` agree.

use super::{EdgeItem, FormatError, ImportedBead, ImportedFile};
use crate::model::{Bead, Relation, Work};

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

/// Read a ladder into beads of edge `rel`: rung indices are positions in the two layers as they
/// are now (a ladder made before a re-segmentation no longer fits). A ladder says nothing about
/// review, so beads equal to links of the edge keep their status when merged.
pub fn import(
    src: &str,
    path: &str,
    work: &Work,
    rel: &Relation,
) -> Result<ImportedFile, FormatError> {
    let empty = Vec::new();
    let s = work.layer(&rel.source).map_or(&empty, |l| &l.sentences);
    let d = work.layer(&rel.derived).map_or(&empty, |l| &l.sentences);
    let beads = super::beads::parse_ladder(src, path, s.len(), d.len())?;
    let ids = |side: &[crate::model::Sentence], k: &[usize]| -> Vec<String> {
        k.iter()
            .filter_map(|&i| side.get(i).map(|x| x.id.clone()))
            .collect()
    };
    Ok(ImportedFile {
        beads: beads
            .iter()
            .map(|b| ImportedBead {
                id: None,
                source: ids(s, &b.src),
                derived: ids(d, &b.tgt),
                cert: Some(b.confidence),
                status: None,
                line: 0,
            })
            .collect(),
        ..ImportedFile::default()
    })
}
