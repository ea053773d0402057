//! The crate-wide error type. Each module has its own typed error; this enum gathers them so the
//! CLI can report any of them in one line.

use thiserror::Error;

/// Any error the library can return.
#[derive(Debug, Error)]
pub enum Error {
    /// Reading or writing TEI failed.
    #[error(transparent)]
    Tei(#[from] crate::tei::TeiError),
    /// Aligning failed.
    #[error(transparent)]
    Align(#[from] crate::align::AlignError),
    /// The derivation graph or the composition of segments failed.
    #[error(transparent)]
    Provenance(#[from] crate::provenance::ProvenanceError),
    /// An interchange format could not be read or written.
    #[error(transparent)]
    Format(#[from] crate::formats::FormatError),
    /// The edition could not be written.
    #[error(transparent)]
    Edition(#[from] crate::edition::EditionError),
    /// A manual review step was rejected.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// A work's files could not be found, read or written.
    #[error(transparent)]
    Project(#[from] crate::project::ProjectError),
    /// The coverage report could not be computed.
    #[error(transparent)]
    Coverage(#[from] crate::coverage::CoverageError),
}

/// Result with the crate-wide error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
