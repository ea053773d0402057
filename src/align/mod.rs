//! The pairwise sentence aligner: length and lexical evidence, banded dynamic programming,
//! anchors and dictionary induction.

/// Errors of the aligner.
#[derive(Debug, thiserror::Error)]
pub enum AlignError {
    /// The input cannot be aligned as given.
    #[error("{0}")]
    Input(String),
}
