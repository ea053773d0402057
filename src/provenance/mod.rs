//! The derivation graph of a work and the composition of pairwise beads into N-way segments,
//! each with its provenance chain.
//!
//! - [`derivation_graph`] turns the layers' `derivation` fields into [`Relation`](crate::model::Relation)s (edges source →
//!   derived), rejecting cycles, missing sources and duplicate layer ids. Any forest works: a chain
//!   (ru → cs → en), a tree (en → ru, en → cs), several originals.
//! - [`align_edge`] aligns one edge with [`crate::align::align`] (block indices as soft anchors)
//!   and turns the beads into [`Link`](crate::model::Link)s and [`Unaligned`](crate::model::Unaligned) ptrs. A 0-1 bead whose derived sentence
//!   stands where the source witness has a `<gap>` is a `source-gap`, not an addition; a source
//!   layer without any text gives no links, only `source-gap` ptrs. Links and ptrs confirmed by a
//!   person are kept exactly and the aligner aligns only between them.
//! - [`compose`] joins the pairwise links of all edges into N-way [`Segment`](crate::model::Segment)s (connected
//!   components), in document order, each with its chain of link and ptr ids.
//! - [`align_work`] does all of it for a work, keeping the history of an existing alignment so
//!   that re-running on unchanged input gives the same alignment (and the same file).
//! - Ids are stable: on re-alignment a link, ptr or segment with exactly the targets of an
//!   existing one keeps its id; new ones are numbered above the high-water marks kept in the file
//!   ([`WorkAlignment::id_high_water`](crate::model::WorkAlignment::id_high_water), see [`high_water`]), so an id is never reused.
//!
//! The rooms: [`graph`] (relations, the one layer order, cycles), `edit` (the edge core: the
//! one way any operation — an alignment run, an import, a link by hand — makes an edge, with one
//! id allocator and one source-gap rule), `edge` (aligning one edge), `gaps`
//! (aligning around gaps of the source witness), `compose` (N-way segments), `ids` (stable
//! ids), `work` (a whole work and its file), [`trace`] (one sentence's chain).

use crate::align::AlignError;

/// Errors in the derivation graph or the composition.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    /// The graph is not what it must be (kept for callers that build their own messages).
    #[error("{0}")]
    Graph(String),
    /// Two layers of a work have the same id.
    #[error("{path}: layer id \"{id}\" is used by more than one layer")]
    DuplicateLayer {
        /// The duplicated id.
        id: String,
        /// The file of the second layer with that id.
        path: String,
    },
    /// A layer names a source layer the work does not have.
    #[error(
        "{path}: layer \"{layer}\" is derived from \"{source_layer}\", but the work has no layer \"{source_layer}\""
    )]
    MissingSource {
        /// The derived layer.
        layer: String,
        /// The source it names.
        source_layer: String,
        /// The derived layer's file.
        path: String,
    },
    /// The derivation graph has a cycle.
    #[error("{path}: the derivation graph has a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The layers of the cycle, the first repeated at the end.
        cycle: Vec<String>,
        /// The file of the first layer of the cycle.
        path: String,
    },
    /// A confirmed link points at a sentence that no longer exists (only with `strict`).
    #[error("{0}")]
    StaleLink(String),
    /// The alignment file could not be written.
    #[error(transparent)]
    Tei(#[from] crate::tei::TeiError),
    /// The existing alignment file cannot be read; it holds confirmed work, so it is left alone.
    #[error(
        "cannot re-align: the existing alignment is unreadable (fix it, or use --fresh to start over and lose its confirmed links): {0}"
    )]
    Unreadable(crate::tei::TeiError),
    /// The aligner failed on an edge.
    #[error("aligning {relation}: {source}")]
    Align {
        /// The relation id.
        relation: String,
        /// The aligner's error.
        source: AlignError,
    },
}

mod compose;
pub mod digest;
pub(crate) mod edge;
pub(crate) mod edit;
mod gaps;
pub mod graph;
mod ids;
pub mod merge;
pub mod record;
pub mod trace;
mod work;

#[cfg(test)]
pub(crate) use compose::recompose_full;
pub use compose::{compose, recompose};
pub use edge::align_edge;
pub(crate) use edit::{EdgeBuilt, EdgeEdit, NewBead, Restate, build_edge};
pub use graph::{derivation_graph, derivation_order, layer_order, relation_id};
pub(crate) use ids::IdAlloc;
pub use ids::high_water;
pub use work::{
    FileReport, WorkOptions, WorkReport, align_to_file, align_work, layer_files_for, relative_path,
    today_utc, tool_agent,
};

#[cfg(test)]
mod tests;
