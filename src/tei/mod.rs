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

pub mod standoff;

use crate::model::{Layer, Work};
use std::path::Path;

/// Read one TEI layer: its header (title, agents, source, derivation) and its `<s xml:id>`
/// sentences and gaps.
pub fn read_layer(path: &Path) -> Result<Layer, TeiError> {
    Err(TeiError::Invalid {
        path: path.display().to_string(),
        line: 0,
        message: "reading layers is not implemented yet".into(),
    })
}

/// Read every layer (`*.xml`) of a work directory, sorted by layer id.
pub fn read_work(dir: &Path) -> Result<Work, TeiError> {
    Err(TeiError::Invalid {
        path: dir.display().to_string(),
        line: 0,
        message: "reading works is not implemented yet".into(),
    })
}
