//! Interchange formats: the field's bead format, hunalign's ladder, TSV, OPUS cesAlign,
//! InterText, TMX.

/// Errors of reading or writing an interchange format.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The input is not in the expected format.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
pub mod beads;
