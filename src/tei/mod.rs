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
    /// A character XML cannot hold (a control character such as NUL or BEL, U+FFFE, U+FFFF):
    /// in an XML input it makes the file malformed; in a text input it could not be written.
    #[error(
        "{path}:{line}:{column}: character U+{code:04X} is not allowed in XML; remove or \
         replace it"
    )]
    BadChar {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The code point.
        code: u32,
    },
    /// The XML is well-formed but not what a layer or alignment must be.
    #[error("{}", at(path, *line, message))]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line (0 when it concerns the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The first character of `text` that XML 1.0 does not allow (C0 controls other than tab, line
/// feed and carriage return; U+FFFE, U+FFFF), as a [`TeiError::BadChar`] naming `path`.
pub(crate) fn check_xml_chars(text: &str, path: &str) -> Result<(), TeiError> {
    // Bytes, not chars: this runs over every file read, and the bad characters are either one
    // byte (< 0x20) or the three bytes EF BF BE / EF BF BF.
    let b = text.as_bytes();
    let bad = b.iter().enumerate().position(|(i, &x)| {
        (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))
            || (x == 0xEF
                && b.get(i + 1) == Some(&0xBF)
                && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    });
    let Some(pos) = bad else {
        return Ok(());
    };
    let before = &text[..pos];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Err(TeiError::BadChar {
        path: path.to_owned(),
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        code: text[pos..].chars().next().map_or(0, |c| c as u32),
    })
}

/// `path:line: message`, or `path: message` when the problem concerns the whole file (line 0):
/// "ew:0:" would send a user looking for a line that does not exist.
fn at(path: &str, line: usize, message: &str) -> String {
    if line == 0 {
        format!("{path}: {message}")
    } else {
        format!("{path}:{line}: {message}")
    }
}

pub mod annotate;
pub(crate) mod content_model;
pub(crate) mod dom;
pub(crate) mod escape;
pub mod header;
pub mod import;
pub mod insert;
pub(crate) mod reader;
pub mod standoff;
pub(crate) mod wf;

pub use insert::{Resegmented, SegmentOptions, is_ncname, resegment};

use crate::model::{Layer, Work};
use std::collections::BTreeMap;
use std::path::Path;

/// Read one TEI layer: its header (title, agents, source, derivation) and its `<s xml:id>`
/// sentences and gaps. The layer id is the file stem.
///
/// The header conventions (all valid TEI P5):
/// - `fileDesc/titleStmt/title`: the title;
/// - `fileDesc/titleStmt/respStmt[@xml:id]` with `<resp>` (the role: translator, publisher, editor,
///   transcriber) and `<persName>`/`<orgName>`/`<name>`: the agents;
/// - `fileDesc/sourceDesc`: where the text came from, read as text;
/// - `fileDesc/sourceDesc/listRelation[@type="derivation"]/relation`: the derivation, with
///   `@name` the kind, `@passive` the source layer (`cs.xml#layer.cs`), `@active` this layer
///   (`#layer.en`, the `xml:id` of the root `<TEI>`), `@resp` who, `@when` when.
///
/// Sentence text is white-space normalised and leaves out `<note>` and `<gap>` content; an
/// `<s part="M">` or `<s part="F">` continues the sentence its `part="I"` opened (one sentence,
/// named by the first part's id). Blocks are counted over `p`, `head`, `opener`, `salute`,
/// `closer`, `signed`, `item`, `ab`, `l`, … in document order.
///
/// Errors: the file missing, empty or not UTF-8; malformed XML (with line and column); a root
/// other than `<TEI>`; a duplicate `xml:id`; an `<s>` without `xml:id`; an `<s>` inside an `<s>`.
pub fn read_layer(path: &Path) -> Result<Layer, TeiError> {
    let src = crate::fsutil::read_text(path)?;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    reader::parse_layer(&src, path, &id)
}

/// Sentence ids must be unique across the layers of a work, not only within a file: the
/// commands name sentences by bare id (`trace en.s18`, `link cs.s16 en.s16`) and the edition puts
/// every layer into one document. A second copy of a layer, or an edition written into the work
/// directory (its `<group>` holds every layer's sentences), would otherwise be read as a layer.
fn check_sentence_ids(layers: &[Layer]) -> Result<(), TeiError> {
    let mut seen: std::collections::HashMap<&str, &Layer> = std::collections::HashMap::new();
    for layer in layers {
        for s in &layer.sentences {
            if let Some(first) = seen.insert(s.id.as_str(), layer) {
                return Err(TeiError::Invalid {
                    path: layer.path.display().to_string(),
                    line: s.line,
                    message: format!(
                        "sentence id \"{}\" is also used in {} (sentence ids must be unique \
                         across the layers of a work)",
                        s.id,
                        first.path.display()
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Read every layer (`*.xml`) of a work directory, sorted by layer id. The work id is the
/// directory name. Two files that declare the same layer (root `xml:id="layer.<id>"`, or the
/// same file stem) are rejected.
pub fn read_work(dir: &Path) -> Result<Work, TeiError> {
    let entries = std::fs::read_dir(dir).map_err(|source| crate::fsutil::FsError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    for e in entries {
        let e = e.map_err(|source| crate::fsutil::FsError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let p = e.path();
        if p.extension().is_some_and(|x| x == "xml") && p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(TeiError::Invalid {
            path: dir.display().to_string(),
            line: 0,
            message: "no layers (*.xml) in this work directory".into(),
        });
    }
    // The layers are independent documents: read them side by side. The results are taken in
    // file order, so the error reported is the first file's, as a reading one by one would.
    let parsed: Vec<_> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|f| -> Result<_, TeiError> {
                let src = crate::fsutil::read_text(f)?;
                let stem = f
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let (layer, decl) = reader::parse_layer_decl(&src, f, &stem)?;
                Ok((layer, decl.unwrap_or(stem)))
            })
            .collect()
    };
    let mut declared: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    let mut layers = Vec::new();
    for (f, result) in files.into_iter().zip(parsed) {
        let (layer, decl) = result?;
        if let Some(other) = declared.get(&decl) {
            return Err(TeiError::Invalid {
                path: f.display().to_string(),
                line: 0,
                message: format!(
                    "declares layer \"{decl}\", which {} declares already",
                    other.display()
                ),
            });
        }
        declared.insert(decl, f.clone());
        layers.push(layer);
    }
    layers.sort_by(|a, b| a.id.cmp(&b.id));
    check_sentence_ids(&layers)?;
    Ok(Work {
        id: dir
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dir: dir.to_owned(),
        layers,
    })
}
