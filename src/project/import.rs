//! Importing an alignment made elsewhere (InterText, a TMX, a spreadsheet) into one edge of a
//! work's alignment: read the file, check and record the people it says confirmed its beads,
//! put the beads into the edge ([`crate::formats::merge_edge`], through the edge core) and record
//! the import as one change per hand that made its items (the person who confirmed them, the
//! tool) — none when the file agrees with the alignment.

use super::{ProjectError, Result, record_confirmers};
use crate::formats::{
    Format, FormatError, ImportMode, ImportReport, claim_edited, find_edge, import,
    keep_confirmers, merge_edge, relation_of,
};
use crate::model::{LinkStatus, Work, WorkAlignment};
use crate::provenance::record::record_edges_by_maker;

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The file's format.
    pub format: Format,
    /// Its name as the format is called on the command line (`intertext`), for the record.
    pub format_name: &'a str,
    /// Its text.
    pub text: &'a str,
    /// The file as messages name it (`-` for standard input).
    pub file: &'a str,
    /// The edge (`cs-en`); `None` when the alignment has one edge with links.
    pub edge: Option<&'a str>,
    /// Replace the edge, or merge into it.
    pub mode: ImportMode,
    /// Who confirmed the file's confirmed beads when it does not say.
    pub who: &'a str,
    /// The time to record.
    pub when: &'a str,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The relation (edge) id.
    pub relation: String,
    /// What happened to the edge.
    pub report: ImportReport,
    /// What the reader has to say about the file.
    pub notes: Vec<String>,
    /// False when the file agrees with the alignment: nothing changed, nothing recorded.
    pub changed: bool,
}

impl From<FormatError> for ProjectError {
    fn from(e: FormatError) -> Self {
        ProjectError::Format(e)
    }
}

/// The documents an InterText alignment names, saved beside it, must be the layers (see
/// [`crate::formats::intertext::check_document`]); a document that is not there (the
/// alignment alone, standard input) cannot be compared, which is said in a note.
fn check_intertext_documents(
    req: &ImportRequest<'_>,
    work: &Work,
    rel: &crate::model::Relation,
) -> Result<Vec<String>> {
    use crate::formats::intertext::{check_document, document_names};
    let mut notes = Vec::new();
    let dir = std::path::Path::new(req.file).parent();
    for name in document_names(req.text, req.file)? {
        let path = match dir {
            Some(d) if req.file != "-" => d.join(&name),
            _ => {
                notes.push(format!(
                    "{name}: the alignment comes without its documents; their sentences were \
                     not compared with the layers'"
                ));
                continue;
            }
        };
        if !path.is_file() {
            notes.push(format!(
                "{}: not found beside {}; its sentences were not compared with the layer's",
                path.display(),
                req.file
            ));
            continue;
        }
        let text = crate::fsutil::read_text(&path)?;
        check_document(&text, &path.display().to_string(), work, rel)?;
    }
    Ok(notes)
}

/// Import a file into an edge of `al` (as read from the alignment file; the caller saves it
/// when [`ImportOutcome::changed`]).
pub fn import_alignment(
    work: &Work,
    al: &mut WorkAlignment,
    req: &ImportRequest<'_>,
) -> Result<ImportOutcome> {
    let ei = find_edge(al, req.edge)?;
    let rel = relation_of(al, &al.edges[ei])?.clone();
    // Documents that are not the layers make every id of the file doubtful: said first.
    let doc_notes = match req.format {
        Format::InterText => check_intertext_documents(req, work, &rel)?,
        _ => Vec::new(),
    };
    let mut imported = import(
        req.format, req.text, req.file, work, &rel, req.who, req.when,
    )?;
    imported.notes.extend(doc_notes);
    // A bead whose ids someone changed in the file is that person's link, not the old item's.
    claim_edited(al, ei, &mut imported, req.who, req.when);
    // The people the file says confirmed its beads are editors like `--by`: never a person of a
    // layer header under the same id, and recorded in the alignment's header.
    let named: Vec<String> = imported
        .beads
        .iter()
        .filter_map(|b| match &b.status {
            Some(LinkStatus::Verified { who, .. }) => Some(who.clone()),
            _ => None,
        })
        .collect();
    record_confirmers(work, al, named.iter().map(String::as_str), req.file)?;
    // A confirmation the file does not attribute (InterText keeps only `status="man"`) stays
    // with whoever confirmed that very bead before.
    keep_confirmers(al, ei, &mut imported);
    let old = al.clone();
    let report = merge_edge(work, al, ei, &imported.beads, req.mode, req.file)?;
    let file_name = std::path::Path::new(req.file)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let what = format!(
        "imported {} beads of {} from {file_name} ({}, {}):",
        imported.beads.len(),
        rel.id,
        req.format_name,
        match req.mode {
            ImportMode::Replace => "replace",
            ImportMode::Merge => "merge",
        }
    );
    // The import's change, naming what it did: the links a person confirmed under a
    // `verified` change of that person (as `link` records a confirmation), the tool's under an
    // automatic one — two changes when the file brings both; none when the file agrees with
    // the alignment.
    let tool = crate::tei::standoff::TOOL_ID;
    let changed = !record_edges_by_maker(&old, al, tool, req.when, &what).is_empty();
    Ok(ImportOutcome {
        relation: rel.id,
        report,
        notes: imported.notes,
        changed,
    })
}
