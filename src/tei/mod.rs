//! Reading and writing TEI: layers (`texts/<work>/<lang>.xml`) and the standoff alignment
//! (`alignments/<work>/alignment.xml`).

/// Errors of reading or writing TEI. Every message names the file, and the line and column where
/// the XML is at fault.
#[derive(Debug, thiserror::Error)]
pub enum TeiError {
    /// The file could not be read or written.
    #[error(transparent)]
    Fs(#[from] crate::fsutil::FsError),
    /// The XML is malformed.
    #[error("{path}:{line}:{column}: malformed XML: {message}")]
    Xml {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The XML is well-formed but not what a layer or alignment must be.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line (0 when it concerns the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
}
