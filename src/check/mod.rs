//! Consistency checks of a work and its alignment: pointers, ids, crossing beads, coverage per
//! edge, the derivation graph, TEI validity.
//!
//! The checks read the files themselves as well as the model, because a file edited by hand can
//! be wrong in ways the model no longer shows (a pointer into the wrong file, an id written
//! twice), and because every problem must name a file and a line.

mod encoding;
mod steps;

use crate::model::{Work, WorkAlignment};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found: `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file at fault.
    pub file: String,
    /// 1-based line (0 when it concerns the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A whole-file problem has no line to name (`file:0:` would send an editor nowhere).
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// How to validate TEI.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The `jing` program; `None` skips validation (with a note).
    pub jing: Option<PathBuf>,
    /// The RELAX NG schema (`tei_all.rng`); `None` skips validation (with a note).
    pub schema: Option<PathBuf>,
}

impl CheckOptions {
    /// `jing` from the `PATH` and the schema from [`find_schema`] (no explicit path), when
    /// present.
    pub fn detect(work_dir: &Path) -> Result<Self, SchemaError> {
        Ok(CheckOptions {
            jing: find_in_path("jing"),
            schema: find_schema(None, work_dir)?,
        })
    }
}

/// A schema path that was given but is not there.
#[derive(Debug, thiserror::Error)]
#[error("{path}: schema not found (given by {by})")]
pub struct SchemaError {
    /// The path as given.
    pub path: String,
    /// Where it was given: `--schema` or `TEI_ALIGN_SCHEMA`.
    pub by: &'static str,
}

/// The TEI schema, found at run time: `explicit` (`--schema`), else `$TEI_ALIGN_SCHEMA`, else
/// `shared/schema/tei_all.rng` beside the project (searched from `start`, a work directory,
/// upwards: `texts/<work>` → `texts` → the project root, whose sibling `shared/` is the layout
/// of the project's checkouts). A path that is given but missing is an error, never silently
/// replaced by another; `Ok(None)` when nothing was given and nothing was found.
pub fn find_schema(explicit: Option<&Path>, start: &Path) -> Result<Option<PathBuf>, SchemaError> {
    let given = explicit.map(|p| (p.to_owned(), "--schema")).or_else(|| {
        std::env::var_os("TEI_ALIGN_SCHEMA").map(|p| (PathBuf::from(p), "TEI_ALIGN_SCHEMA"))
    });
    if let Some((p, by)) = given {
        return if p.is_file() {
            Ok(Some(p))
        } else {
            Err(SchemaError {
                path: p.display().to_string(),
                by,
            })
        };
    }
    let start = start.canonicalize().unwrap_or_else(|_| start.to_owned());
    Ok(start
        .ancestors()
        .map(|a| a.join("../shared/schema/tei_all.rng"))
        .find(|p| p.is_file()))
}

/// A program on the `PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The problems, one per line of output.
    pub problems: Vec<Problem>,
    /// Remarks that are not problems (e.g. "jing not installed: TEI validity not checked").
    pub notes: Vec<String>,
    /// What the encoding leaves unsaid (no `editorialDecl`, a derivation naming no one
    /// responsible, an undeclared gap reason): reported, but not a failure.
    pub warnings: Vec<Problem>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What a raw pass over an XML file finds: every `xml:id` and every pointer, with lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawXml {
    /// `xml:id` values with their lines, in file order.
    pub ids: Vec<(String, usize)>,
    /// (attribute, one pointer token, line) for `target`, `corresp`, `change`.
    pub pointers: Vec<(String, String, usize)>,
}

/// Scan an XML file for `xml:id`s and pointers. A malformed file is one problem naming the line
/// and column.
pub(crate) fn scan_xml(src: &str, file: &str) -> Result<RawXml, Problem> {
    let mut reader = quick_xml::Reader::from_str(src);
    let mut out = RawXml::default();
    let line_col = |off: usize| {
        let before = &src.as_bytes()[..off.min(src.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, col)
    };
    let mut lines = crate::formats::xml::LineCounter::default();
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event() {
            Err(e) => {
                let (line, col) = line_col(reader.error_position() as usize);
                return Err(Problem {
                    file: file.to_owned(),
                    line,
                    message: format!("column {col}: malformed XML: {e}"),
                });
            }
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let line = lines.line(src, pos);
                for a in e.attributes().flatten() {
                    let key: String = {
                        let k: &str = a.key.as_ref();
                        k.to_owned()
                    };
                    let value: String = a.value.to_string();
                    match key.as_str() {
                        "xml:id" => out.ids.push((value, line)),
                        "target" | "corresp" | "change" => {
                            for tok in value.split_whitespace() {
                                out.pointers.push((key.clone(), tok.to_owned(), line));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Ok(_) => {}
        }
    }
    Ok(out)
}

/// Canonical form of a path for comparing files (falls back to the path as given).
fn canon(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned())
}

/// Check a work and its alignment file. `work` and `al` are what the TEI readers made of the
/// files; the files are also read here for lines, ids and pointers.
pub fn check(
    work: &Work,
    al: &WorkAlignment,
    alignment_path: &Path,
    opts: &CheckOptions,
) -> CheckReport {
    let mut checker = steps::Checker::new(work, al, alignment_path);
    checker.something_is_compared();
    checker.layer_ids();
    checker.alignment_pointers(alignment_path);
    checker.derivation_graph();
    checker.edges();
    checker.segments();
    checker.confirmations();
    checker.merge_conflicts();
    let mut rep = CheckReport {
        problems: checker.problems,
        ..CheckReport::default()
    };

    // 6. TEI validity.
    let mut files: Vec<PathBuf> = work.layers.iter().map(|l| l.path.clone()).collect();
    files.push(alignment_path.to_owned());
    match (&opts.jing, &opts.schema) {
        (Some(jing), Some(schema)) => match run_jing(jing, schema, &files) {
            Ok(found) => rep.problems.extend(found),
            Err(e) => rep.notes.push(format!(
                "jing could not run ({e}): TEI validity not checked"
            )),
        },
        (None, _) => rep
            .notes
            .push("jing not installed (or not run): TEI validity not checked".into()),
        (_, None) => rep
            .notes
            .push("tei_all.rng not found (give --schema or set TEI_ALIGN_SCHEMA): TEI validity not checked".into()),
    }
    rep.problems.sort();
    rep.problems.dedup();
    rep.warnings = encoding::warnings(work);
    rep
}

fn dup_ids(ids: &[(String, usize)], file: &str, p: &mut impl FnMut(&str, usize, String)) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (id, line) in ids {
        if let Some(f) = first.get(id.as_str()) {
            p(
                file,
                *line,
                format!("duplicate xml:id '{id}' (first on line {f})"),
            );
        } else {
            first.insert(id, *line);
        }
    }
}

/// Run jing on the files; its messages (`file:line:col: error: …`) become problems.
pub(crate) fn run_jing(
    jing: &Path,
    schema: &Path,
    files: &[PathBuf],
) -> std::io::Result<Vec<Problem>> {
    let out = std::process::Command::new(jing)
        .arg(schema)
        .args(files)
        .output()?;
    let mut problems = Vec::new();
    // Errors come on stdout as `file:line:col: error: …`; stderr has the launcher's own
    // `[warning]` lines (missing optional jars), which are no problem of the files.
    for line in String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| !l.trim().is_empty() && !l.starts_with("[warning]"))
    {
        problems.push(parse_jing_line(line));
    }
    if !out.status.success() && problems.is_empty() {
        problems.push(Problem {
            file: files
                .first()
                .map(|f| f.display().to_string())
                .unwrap_or_default(),
            line: 0,
            message: format!("jing failed ({})", out.status),
        });
    }
    Ok(problems)
}

/// `/x/cs.xml:12:34: error: element "foo" not allowed here` → file, line, message.
fn parse_jing_line(line: &str) -> Problem {
    let mut parts = line.splitn(4, ':');
    let file = parts.next().unwrap_or("").to_owned();
    let l = parts.next().and_then(|x| x.trim().parse::<usize>().ok());
    let c = parts.next().and_then(|x| x.trim().parse::<usize>().ok());
    match (l, c, parts.next()) {
        (Some(l), Some(c), Some(msg)) => Problem {
            file,
            line: l,
            message: format!(
                "column {c}: not valid TEI:{}",
                msg.trim_start_matches(" error:")
            ),
        },
        _ => Problem {
            file: String::new(),
            line: 0,
            message: format!("jing: {line}"),
        },
    }
}

#[cfg(test)]
mod tests;
