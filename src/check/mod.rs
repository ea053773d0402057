//! Consistency checks of a work and its alignment: pointers, ids, crossing beads, coverage per
//! edge, the derivation graph, TEI validity.
//!
//! The checks read the files themselves as well as the model, because a file edited by hand can
//! be wrong in ways the model no longer shows (a pointer into the wrong file, an id written
//! twice), and because every problem must name a file and a line.

mod encoding;

use crate::model::SentenceIndex;
use crate::model::{Work, WorkAlignment};
use crate::provenance::graph::find_cycle;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    let mut rep = CheckReport::default();
    let al_file = alignment_path.display().to_string();
    let mut p = |file: &str, line: usize, message: String| {
        rep.problems.push(Problem {
            file: file.to_owned(),
            line,
            message,
        })
    };
    let idx = SentenceIndex::new(work);
    // A check that compares nothing must not pass as if it had (a CI gate on a work whose
    // layers name no sources).
    if al.edges.is_empty() {
        p(
            &al_file,
            0,
            "no derivation edge: no layer names another as its source, so nothing was compared"
                .to_owned(),
        );
    }

    // 1. Ids in the layer files: no duplicates within a file, none across layers.
    let mut sentence_home: HashMap<&str, &str> = HashMap::new();
    for layer in &work.layers {
        let file = layer.path.display().to_string();
        match crate::fsutil::read_text(&layer.path) {
            Ok(src) => match scan_xml(&src, &file) {
                Ok(raw) => dup_ids(&raw.ids, &file, &mut p),
                Err(pr) => p(&pr.file, pr.line, pr.message),
            },
            Err(e) => p(&file, 0, format!("cannot read: {e}")),
        }
        for s in &layer.sentences {
            if let Some(other) = sentence_home.insert(&s.id, &layer.id)
                && other != layer.id
            {
                p(
                    &file,
                    s.line,
                    format!("sentence id '{}' is also used in layer {other}", s.id),
                );
            }
        }
    }

    // 2. The alignment file: ids, and every pointer resolves to a sentence of the file named.
    let mut line_of: HashMap<String, usize> = HashMap::new();
    match crate::fsutil::read_text(alignment_path) {
        Ok(src) => match scan_xml(&src, &al_file) {
            Ok(raw) => {
                dup_ids(&raw.ids, &al_file, &mut p);
                for (id, line) in &raw.ids {
                    line_of.entry(id.clone()).or_insert(*line);
                }
                let local: BTreeSet<&str> = raw.ids.iter().map(|(i, _)| i.as_str()).collect();
                let base = alignment_path.parent().unwrap_or(Path::new("."));
                let layer_by_file: HashMap<PathBuf, &crate::model::Layer> =
                    work.layers.iter().map(|l| (canon(&l.path), l)).collect();
                let mut missing_files: BTreeSet<String> = BTreeSet::new();
                for (attr, tok, line) in &raw.pointers {
                    let (file, frag) = match tok.split_once('#') {
                        Some((f, frag)) => (f, frag),
                        None => (tok.as_str(), ""),
                    };
                    if file.is_empty() {
                        // A pointer within the alignment file (`corresp`, `change`), or to a
                        // layer by its id (`#layer.cs`).
                        if let Some(l) = frag.strip_prefix("layer.") {
                            if work.layer(l).is_none() {
                                p(
                                    &al_file,
                                    *line,
                                    format!(
                                        "{attr} points to layer '{l}', which is not in the work"
                                    ),
                                );
                            }
                        } else if !local.contains(frag) && !al.agents.iter().any(|a| a.id == frag) {
                            p(
                                &al_file,
                                *line,
                                format!("{attr}=\"#{frag}\" does not resolve in this file"),
                            );
                        }
                        continue;
                    }
                    if attr != "target" {
                        continue;
                    }
                    // The pointer is a URI: `letter%201968/cs.xml` names `letter 1968/cs.xml`.
                    let path = base.join(crate::tei::standoff::decode_path(file));
                    if !path.is_file() {
                        if missing_files.insert(file.to_owned()) {
                            p(
                                &al_file,
                                *line,
                                format!("pointer to {file}, which does not exist"),
                            );
                        }
                        continue;
                    }
                    match layer_by_file.get(&canon(&path)) {
                        None => {
                            if missing_files.insert(file.to_owned()) {
                                p(
                                    &al_file,
                                    *line,
                                    format!(
                                        "pointer to {file}, which is not a layer of work {}",
                                        work.id
                                    ),
                                );
                            }
                        }
                        Some(layer) => {
                            // A pointer to the whole file (`<ref target="cs.xml">`) is fine.
                            if !frag.is_empty() && idx.layer_id(frag) != Some(layer.id.as_str()) {
                                p(
                                    &al_file,
                                    *line,
                                    format!("#{frag} does not resolve: no such sentence in {file}"),
                                );
                            }
                        }
                    }
                }
            }
            Err(pr) => p(&pr.file, pr.line, pr.message),
        },
        Err(e) => p(&al_file, 0, format!("cannot read: {e}")),
    }
    let at = |id: &str| line_of.get(id).copied().unwrap_or(0);

    // 3. The derivation graph: known layers, no cycle (in the alignment and in the headers).
    for r in &al.relations {
        for l in [&r.source, &r.derived] {
            if work.layer(l).is_none() {
                p(
                    &al_file,
                    at(&r.id),
                    format!(
                        "relation {} names layer '{l}', which is not in the work",
                        r.id
                    ),
                );
            }
        }
    }
    let edges: Vec<(String, String)> = al
        .relations
        .iter()
        .map(|r| (r.derived.clone(), r.source.clone()))
        .collect();
    if let Some(cycle) = find_cycle(&edges) {
        p(
            &al_file,
            0,
            format!("the derivation graph has a cycle: {}", cycle.join(" → ")),
        );
    }
    let header_edges: Vec<(String, String)> = work
        .layers
        .iter()
        .flat_map(|l| l.sources().map(|s| (l.id.clone(), s.to_owned())))
        .collect();
    if let Some(cycle) = find_cycle(&header_edges) {
        let first = cycle.first().and_then(|l| work.layer(l));
        p(
            &first
                .map(|l| l.path.display().to_string())
                .unwrap_or(al_file.clone()),
            0,
            format!(
                "the headers' derivation graph has a cycle: {}",
                cycle.join(" ← ")
            ),
        );
    }
    for layer in &work.layers {
        for d in layer
            .derivations
            .iter()
            .filter(|d| work.layer(&d.source).is_none())
        {
            p(
                &layer.path.display().to_string(),
                0,
                format!(
                    "layer {} is derived from '{}', which is not in the work",
                    layer.id, d.source
                ),
            );
        }
    }
    // The alignment's edges are the headers' derivations (else it is out of date).
    for (derived, source) in &header_edges {
        if !al
            .relations
            .iter()
            .any(|r| &r.source == source && &r.derived == derived)
            && let Some(l) = work.layer(derived)
        {
            p(
                &l.path.display().to_string(),
                0,
                format!(
                    "the header derives {derived} from {source}, but the alignment has no such edge (run tei-align align)"
                ),
            );
        }
    }
    for r in &al.relations {
        if !header_edges
            .iter()
            .any(|(d, s)| d == &r.derived && s == &r.source)
            && work.layer(&r.derived).is_some()
        {
            p(
                &al_file,
                at(&r.id),
                format!(
                    "relation {}: the header of layer {} does not derive it from {} (run tei-align align)",
                    r.id, r.derived, r.source
                ),
            );
        }
    }
    if let Some(cycle) = find_cycle(&header_edges) {
        p(
            &work.dir.display().to_string(),
            0,
            format!(
                "the derivation graph in the layer headers has a cycle: {}",
                cycle.join(" → ")
            ),
        );
    }

    // 4. Per edge: ids in the right layers, consecutive, no crossing, every sentence once.
    for r in &al.relations {
        if !al.edges.iter().any(|e| e.relation == r.id) {
            p(
                &al_file,
                at(&r.id),
                format!("no alignment (linkGrp) for relation {}", r.id),
            );
        }
    }
    for e in &al.edges {
        let Some(r) = al.relations.iter().find(|r| r.id == e.relation) else {
            p(
                &al_file,
                0,
                format!("linkGrp for unknown relation {}", e.relation),
            );
            continue;
        };
        let mut cover: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut spans = Vec::new();
        for l in &e.links {
            let mut sp = [None, None];
            for (k, (ids, layer)) in [(&l.source, &r.source), (&l.derived, &r.derived)]
                .into_iter()
                .enumerate()
            {
                let mut pos = Vec::new();
                for id in ids {
                    cover.entry(id).or_default().push(&l.id);
                    match idx.layer_id(id) {
                        Some(x) if x == layer => pos.push(idx.index(id).unwrap_or(0)),
                        Some(x) => p(
                            &al_file,
                            at(&l.id),
                            format!(
                                "link {}: {id} is in layer {x}, but this side of {} is layer {layer}",
                                l.id, r.id
                            ),
                        ),
                        None => p(
                            &al_file,
                            at(&l.id),
                            format!("link {}: unknown sentence {id}", l.id),
                        ),
                    }
                }
                pos.sort_unstable();
                if pos.windows(2).any(|w| w[1] != w[0] + 1) {
                    p(
                        &al_file,
                        at(&l.id),
                        format!("link {}: the {layer} sentences are not consecutive", l.id),
                    );
                }
                sp[k] = pos.first().map(|&f| (f, *pos.last().unwrap_or(&f)));
            }
            if l.source.is_empty() || l.derived.is_empty() {
                p(
                    &al_file,
                    at(&l.id),
                    format!(
                        "link {} has an empty side (write it as an unaligned ptr)",
                        l.id
                    ),
                );
            }
            if let [Some(s), Some(d)] = sp {
                spans.push((s, d, l.id.as_str()));
            }
        }
        spans.sort();
        for w in spans.windows(2) {
            let ((_, d0, a), (_, d1, b)) = ((w[0].0, w[0].1, w[0].2), (w[1].0, w[1].1, w[1].2));
            if d1.0 <= d0.1 {
                p(&al_file, at(b), format!("links {a} and {b} cross"));
            }
        }
        for u in &e.unaligned {
            cover.entry(&u.sentence).or_default().push(&u.id);
            if u.layer != r.source && u.layer != r.derived {
                p(
                    &al_file,
                    at(&u.id),
                    format!("ptr {}: layer {} is not on edge {}", u.id, u.layer, r.id),
                );
            }
            let on_source = u.kind == crate::model::UnalignedKind::SourceOnly;
            if (on_source && u.layer != r.source) || (!on_source && u.layer != r.derived) {
                p(
                    &al_file,
                    at(&u.id),
                    format!(
                        "ptr {}: a {} ptr must point into layer {}, not {}",
                        u.id,
                        u.kind.as_str(),
                        if on_source { &r.source } else { &r.derived },
                        u.layer
                    ),
                );
            }
            match idx.layer_id(&u.sentence) {
                Some(x) if x == u.layer => {}
                Some(x) => p(
                    &al_file,
                    at(&u.id),
                    format!(
                        "ptr {}: {} is in layer {x}, not {}",
                        u.id, u.sentence, u.layer
                    ),
                ),
                None => p(
                    &al_file,
                    at(&u.id),
                    format!("ptr {}: unknown sentence {}", u.id, u.sentence),
                ),
            }
        }
        for layer in [&r.source, &r.derived] {
            let Some(l) = work.layer(layer) else { continue };
            let file = l.path.display().to_string();
            for s in &l.sentences {
                match cover.get(s.id.as_str()).map(Vec::as_slice) {
                    None | Some([]) => p(
                        &file,
                        s.line,
                        format!(
                            "{} is not covered on edge {} (no link or unaligned ptr)",
                            s.id, r.id
                        ),
                    ),
                    Some([_]) => {}
                    Some(many) => p(
                        &al_file,
                        at(many[1]),
                        format!(
                            "{} is covered {} times on edge {} ({})",
                            s.id,
                            many.len(),
                            r.id,
                            many.join(", ")
                        ),
                    ),
                }
            }
        }
    }

    // 5. Segments: members in their layers, chains made of known links and ptrs.
    let bead_ids: BTreeSet<&str> = al
        .edges
        .iter()
        .flat_map(|e| {
            e.links
                .iter()
                .map(|l| l.id.as_str())
                .chain(e.unaligned.iter().map(|u| u.id.as_str()))
        })
        .collect();
    for g in &al.segments {
        for (layer, ids) in &g.members {
            for id in ids {
                if idx.layer_id(id) != Some(layer.as_str()) {
                    p(
                        &al_file,
                        at(&g.id),
                        format!("segment {}: {id} is not a sentence of layer {layer}", g.id),
                    );
                }
            }
        }
        for c in &g.chain {
            if !bead_ids.contains(c.as_str()) {
                p(
                    &al_file,
                    at(&g.id),
                    format!("segment {}: chain names {c}, which is no link or ptr", g.id),
                );
            }
        }
    }

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
