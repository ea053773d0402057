//! The TEI parallel edition and its static HTML view.

/// Errors of writing the edition.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// The edition could not be written.
    #[error("{0}")]
    Write(String),
}
