//! The coverage report: what each derived layer keeps, omits, adds, merges and doubts, told apart
//! from gaps in the source witness.

/// Errors of the coverage report.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The alignment does not fit its layers.
    #[error("{0}")]
    Inconsistent(String),
}
