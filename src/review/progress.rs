//! The progress of a review: what is confirmed, automatic and doubtful per edge (`status`).

use crate::model::{LinkStatus, Unaligned, UnalignedKind, WorkAlignment};

/// Review progress of one edge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EdgeStatus {
    /// The relation id.
    pub relation: String,
    /// Source layer id.
    pub source: String,
    /// Derived layer id.
    pub derived: String,
    /// Links confirmed by a person.
    pub confirmed: usize,
    /// Links made by the aligner and not yet looked at.
    pub automatic: usize,
    /// Automatic links, omissions and additions with `cert < 0.5`: look at these first.
    pub doubtful: usize,
    /// Unaligned ptrs confirmed by a person.
    pub unaligned_confirmed: usize,
    /// Unaligned ptrs made by the aligner.
    pub unaligned_automatic: usize,
    /// Unaligned derived sentences past a gap of the source witness (`source-gap`; also counted
    /// in the unaligned ptrs): what `coverage` counts as `source_gap`.
    pub source_gap: usize,
    /// Unaligned source sentences past a gap of the derived witness (`derived-gap`; also counted
    /// in the unaligned ptrs): what `coverage` counts as `derived_gap`.
    pub derived_gap: usize,
}

impl EdgeStatus {
    /// Share of reviewed items (links and ptrs), in percent.
    pub fn progress(&self) -> f64 {
        let total =
            self.confirmed + self.automatic + self.unaligned_confirmed + self.unaligned_automatic;
        if total == 0 {
            return 100.0;
        }
        100.0 * (self.confirmed + self.unaligned_confirmed) as f64 / total as f64
    }
}

/// Doubtful below this confidence: the threshold `coverage` uses by default
/// ([`crate::coverage::DEFAULT_DOUBT_BELOW`], where its meaning is documented).
pub const DOUBTFUL_BELOW: f64 = crate::coverage::DEFAULT_DOUBT_BELOW;

/// Whether an unaligned sentence is doubtful: automatic, not past a gap of a witness (source or
/// derived), and with `cert` below [`DOUBTFUL_BELOW`] (what `coverage` reports as a doubtful
/// omission or addition; a sentence left over by an edit has `cert` 0 and comes first).
pub fn doubtful_unaligned(u: &Unaligned) -> bool {
    u.status == LinkStatus::Automatic && !u.kind.is_gap() && u.cert < DOUBTFUL_BELOW
}

/// Review progress per edge, in the order of the alignment's edges.
pub fn status(al: &WorkAlignment) -> Vec<EdgeStatus> {
    al.edges
        .iter()
        .map(|e| {
            let rel = al.relations.iter().find(|r| r.id == e.relation);
            let is_verified = |s: &LinkStatus| matches!(s, LinkStatus::Verified { .. });
            let confirmed = e.links.iter().filter(|l| is_verified(&l.status)).count();
            // Doubtful as `coverage` counts it: omissions and additions the aligner is unsure
            // of are looked at like unsure links; a gap of a witness is a fact of the witness.
            let doubtful = e
                .links
                .iter()
                .filter(|l| !is_verified(&l.status) && l.cert < DOUBTFUL_BELOW)
                .count()
                + e.unaligned.iter().filter(|u| doubtful_unaligned(u)).count();
            let gaps = |k: UnalignedKind| e.unaligned.iter().filter(|u| u.kind == k).count();
            let uc = e
                .unaligned
                .iter()
                .filter(|u| is_verified(&u.status))
                .count();
            EdgeStatus {
                relation: e.relation.clone(),
                source: rel.map(|r| r.source.clone()).unwrap_or_default(),
                derived: rel.map(|r| r.derived.clone()).unwrap_or_default(),
                confirmed,
                automatic: e.links.len() - confirmed,
                doubtful,
                unaligned_confirmed: uc,
                unaligned_automatic: e.unaligned.len() - uc,
                source_gap: gaps(UnalignedKind::SourceGap),
                derived_gap: gaps(UnalignedKind::DerivedGap),
            }
        })
        .collect()
}

/// Overall progress over all edges, in percent of reviewed items.
pub fn overall_progress(edges: &[EdgeStatus]) -> f64 {
    let (mut done, mut total) = (0usize, 0usize);
    for e in edges {
        done += e.confirmed + e.unaligned_confirmed;
        total += e.confirmed + e.automatic + e.unaligned_confirmed + e.unaligned_automatic;
    }
    if total == 0 {
        100.0
    } else {
        100.0 * done as f64 / total as f64
    }
}
