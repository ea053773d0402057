//! The derivation graph of a work and the composition of pairwise beads into N-way segments,
//! each with its provenance chain.

/// Errors in the derivation graph or the composition.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    /// The graph is not what it must be (a cycle, a missing source, a duplicate layer).
    #[error("{0}")]
    Graph(String),
}
