//! Manual review of an alignment: confirming, creating and removing links by hand, and the
//! progress of the review.

/// Errors of manual review.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The requested change cannot be made.
    #[error("{0}")]
    Rejected(String),
}
