//! Interchange formats: the field's bead format, hunalign's ladder, TSV, OPUS cesAlign,
//! InterText, TMX.
//!
//! Export works on one derivation edge of a [`WorkAlignment`] (cesAlign, InterText, TSV, ladder)
//! or on the N-way segments (TMX). Import reads beads on sentence ids ([`ImportedBead`]) and
//! `merge_edge` puts them into an edge of the alignment, either replacing it or merging.

pub mod beads;
pub mod cesalign;
pub mod intertext;
pub mod ladder;
mod merge;
pub mod tmx;
pub mod tsv;
pub mod xml;

pub(crate) use merge::merge_edge;
pub use merge::{ImportMode, ImportReport};

use crate::model::{
    EdgeAlignment, Link, LinkStatus, Relation, Sentence, Unaligned, UnalignedKind, Work,
    WorkAlignment,
};
use std::collections::{HashMap, HashSet};

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
    /// The alignment cannot be exported or merged as asked.
    #[error("{0}")]
    Alignment(String),
}

/// The formats `export` and `import-alignment` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OPUS cesAlign (`xtargets="src;tgt"`).
    CesAlign,
    /// InterText's alignment XML (`xtargets="tgt;src"`, `status="man|auto"`).
    InterText,
    /// TMX 1.4b, one `tu` per N-way segment (or per bead of the edges, `--pairs`).
    Tmx,
    /// Tab-separated: ids, texts, confidence, status.
    Tsv,
    /// hunalign's ladder (rungs `i j score`).
    Ladder,
}

impl Format {
    /// Parse a format name as the CLI takes it.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "cesalign" | "cesAlign" => Format::CesAlign,
            "intertext" | "InterText" => Format::InterText,
            "tmx" => Format::Tmx,
            "tsv" => Format::Tsv,
            "ladder" => Format::Ladder,
            _ => return None,
        })
    }

    /// True for the formats that can be read back (all of them).
    pub fn importable(self) -> bool {
        true
    }

    /// True for the formats exported as a directory (the alignment file and the sentence
    /// documents it points to).
    pub fn is_bundle(self) -> bool {
        matches!(self, Format::CesAlign | Format::InterText)
    }
}

/// Index of the edge named by `spec` (`cs-en`, `rel.cs-en`); with no spec, the only edge that
/// has sentences on both sides, or an error naming the choices.
pub(crate) fn find_edge(al: &WorkAlignment, spec: Option<&str>) -> Result<usize, FormatError> {
    let names: Vec<String> = al
        .relations
        .iter()
        .map(|r| format!("{}-{}", r.source, r.derived))
        .collect();
    let edge_of = |rel: &Relation| al.edges.iter().position(|e| e.relation == rel.id);
    match spec {
        Some(s) => {
            let s = s.strip_prefix("rel.").unwrap_or(s);
            let rel = al
                .relations
                .iter()
                .find(|r| format!("{}-{}", r.source, r.derived) == s)
                .ok_or_else(|| {
                    FormatError::Alignment(format!(
                        "no edge '{s}' in the alignment (edges: {})",
                        names.join(", ")
                    ))
                })?;
            edge_of(rel).ok_or_else(|| {
                FormatError::Alignment(format!("the alignment has no linkGrp for {}", rel.id))
            })
        }
        None => {
            let with_links: Vec<usize> = al
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.links.is_empty())
                .map(|(i, _)| i)
                .collect();
            match (al.edges.len(), with_links.as_slice()) {
                (1, _) => Ok(0),
                (_, [one]) => Ok(*one),
                _ => Err(FormatError::Alignment(format!(
                    "the work has several edges: choose one with --edge ({})",
                    names.join(", ")
                ))),
            }
        }
    }
}

/// The relation of an edge.
pub(crate) fn relation_of<'a>(
    al: &'a WorkAlignment,
    edge: &EdgeAlignment,
) -> Result<&'a Relation, FormatError> {
    al.relations
        .iter()
        .find(|r| r.id == edge.relation)
        .ok_or_else(|| {
            FormatError::Alignment(format!("linkGrp for unknown relation {}", edge.relation))
        })
}

/// One bead of an edge in document order: a link or an unaligned ptr.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeItem {
    /// The link's or ptr's `xml:id`.
    pub id: String,
    /// Source sentence ids.
    pub source: Vec<String>,
    /// Derived sentence ids.
    pub derived: Vec<String>,
    /// Index of the first source sentence of this bead (or where it would be for a 0-n bead).
    pub src_start: usize,
    /// Index of the first derived sentence (or where it would be).
    pub der_start: usize,
    /// Confidence.
    pub cert: f64,
    /// Automatic or verified.
    pub status: LinkStatus,
    /// For a ptr, its kind.
    pub unaligned: Option<UnalignedKind>,
    /// For a link, whether one side says clearly less (TEI `@subtype="partial"`).
    pub partial: bool,
}

/// A pointer to a sentence that is not in its layer (a hand edit, a deleted sentence), named
/// as such before the walk of [`edge_items`], which would only see a gap in the chain of beads.
fn check_pointers(
    rel: &Relation,
    edge: &EdgeAlignment,
    (src, der): (&[Sentence], &[Sentence]),
) -> Result<(), String> {
    // Sets, not scans of the layer: a scan per pointer made the edition quadratic.
    let src_ids: HashSet<&str> = src.iter().map(|s| s.id.as_str()).collect();
    let der_ids: HashSet<&str> = der.iter().map(|s| s.id.as_str()).collect();
    for l in &edge.links {
        for (ids, side, layer) in [
            (&l.source, &src_ids, &rel.source),
            (&l.derived, &der_ids, &rel.derived),
        ] {
            if let Some(id) = ids.iter().find(|id| !side.contains(id.as_str())) {
                return Err(format!(
                    "link {} points to {id}, which is not a sentence of layer {layer}",
                    l.id
                ));
            }
        }
    }
    for u in &edge.unaligned {
        let side = if u.layer == rel.source {
            &src_ids
        } else {
            &der_ids
        };
        if !side.contains(u.sentence.as_str()) {
            return Err(format!(
                "{} points to {}, which is not a sentence of layer {}",
                u.id, u.sentence, u.layer
            ));
        }
    }
    Ok(())
}

impl EdgeItem {
    /// An unaligned ptr at source position `i`, derived position `j`, on the source side or not.
    fn of_ptr(u: &Unaligned, i: usize, j: usize, src_side: bool) -> Self {
        let one = vec![u.sentence.clone()];
        let (source, derived) = if src_side {
            (one, vec![])
        } else {
            (vec![], one)
        };
        EdgeItem {
            id: u.id.clone(),
            source,
            derived,
            src_start: i,
            der_start: j,
            cert: u.cert,
            status: u.status.clone(),
            unaligned: Some(u.kind),
            partial: false,
        }
    }

    /// A link starting at source position `i`, derived position `j`.
    fn of_link(l: &Link, i: usize, j: usize) -> Self {
        EdgeItem {
            id: l.id.clone(),
            source: l.source.clone(),
            derived: l.derived.clone(),
            src_start: i,
            der_start: j,
            cert: l.cert,
            status: l.status.clone(),
            unaligned: None,
            partial: l.partial,
        }
    }

    /// What the bead is beyond its sides, in the TEI's words (`@subtype`): `partial` for a
    /// link one side of which says clearly less, the ptr's kind (`source-gap`, `derived-only`
    /// …) for a sentence without counterpart; `None` for a full link. The exports write it so
    /// that a gap of a witness is not read as an addition or omission, nor a partial link as
    /// a full translation.
    pub fn subtype(&self) -> Option<&'static str> {
        match self.unaligned {
            Some(k) => Some(k.as_str()),
            None => self.partial.then_some("partial"),
        }
    }

    /// The confidence an export writes: none for a gap of a witness held as certain (a fact of
    /// the witness, not a judgement of the aligner), as TMX writes it.
    pub fn shown_cert(&self) -> Option<f64> {
        let fact = self.unaligned.is_some_and(|k| k.is_gap()) && self.cert == 1.0;
        (!fact).then_some(self.cert)
    }
}

/// The beads of an edge in document order, walking both layers at once. Fails when the edge
/// does not cover every sentence exactly once or its beads cross (`tei-align check` says
/// where).
pub fn edge_items(
    work: &Work,
    rel: &Relation,
    edge: &EdgeAlignment,
) -> Result<Vec<EdgeItem>, FormatError> {
    let empty = Vec::new();
    let src = work.layer(&rel.source).map_or(&empty, |l| &l.sentences);
    let der = work.layer(&rel.derived).map_or(&empty, |l| &l.sentences);
    let mut src_of: HashMap<&str, usize> = HashMap::new();
    let mut der_of: HashMap<&str, usize> = HashMap::new();
    for (k, l) in edge.links.iter().enumerate() {
        for s in &l.source {
            src_of.insert(s, k);
        }
        for d in &l.derived {
            der_of.insert(d, k);
        }
    }
    let mut src_ptr: HashMap<&str, &Unaligned> = HashMap::new();
    let mut der_ptr: HashMap<&str, &Unaligned> = HashMap::new();
    for u in &edge.unaligned {
        if u.layer == rel.source {
            src_ptr.insert(&u.sentence, u);
        } else {
            der_ptr.insert(&u.sentence, u);
        }
    }
    let bad = |m: String| FormatError::Alignment(format!("{}: {m} (run tei-align check)", rel.id));
    check_pointers(rel, edge, (src, der)).map_err(bad)?;
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < src.len() || j < der.len() {
        if let Some(u) = src.get(i).and_then(|s| src_ptr.get(s.id.as_str())) {
            out.push(EdgeItem::of_ptr(u, i, j, true));
            i += 1;
        } else if let Some(u) = der.get(j).and_then(|s| der_ptr.get(s.id.as_str())) {
            out.push(EdgeItem::of_ptr(u, i, j, false));
            j += 1;
        } else if let Some(&k) = src.get(i).and_then(|s| src_of.get(s.id.as_str())) {
            let l = &edge.links[k];
            let fits = |side: &[Sentence], at: usize, ids: &[String]| {
                ids.iter()
                    .enumerate()
                    .all(|(o, id)| side.get(at + o).is_some_and(|s| &s.id == id))
            };
            if !fits(src, i, &l.source) || !fits(der, j, &l.derived) {
                return Err(bad(format!(
                    "link {} does not continue where the previous bead ends ({} / {})",
                    l.id,
                    src[i].id,
                    der.get(j).map_or("end", |s| s.id.as_str())
                )));
            }
            out.push(EdgeItem::of_link(l, i, j));
            i += l.source.len();
            j += l.derived.len();
        } else if let Some(s) = src.get(i) {
            return Err(bad(format!("{} is not covered", s.id)));
        } else {
            return Err(bad(format!("{} is not covered", der[j].id)));
        }
    }
    Ok(out)
}

/// What is wrong with the edges of an alignment, one message per edge (a pointer that does not
/// resolve, a sentence not covered, beads that cross): what `export` would refuse. Empty when
/// every edge can be walked. `tei-align check` gives the full report with lines.
pub fn alignment_problems(work: &Work, al: &WorkAlignment) -> Vec<String> {
    let mut out = Vec::new();
    for e in &al.edges {
        if let Err(err) = relation_of(al, e).and_then(|rel| edge_items(work, rel, e)) {
            out.push(err.to_string());
        }
    }
    out
}

/// Status as InterText writes it: `man` (confirmed by a person) or `auto`.
pub(crate) fn status_word(s: &LinkStatus) -> &'static str {
    match s {
        LinkStatus::Automatic => "auto",
        LinkStatus::Verified { .. } => "man",
    }
}

/// Write a status as attributes (` status="man" resp="eva" when="…"`), for the XML formats.
pub(crate) fn status_attrs(s: &LinkStatus) -> String {
    match s {
        LinkStatus::Automatic => " status=\"auto\"".into(),
        LinkStatus::Verified { who, when, .. } => format!(
            " status=\"man\" resp=\"{}\" when=\"{}\"",
            xml::attr(who),
            xml::attr(when)
        ),
    }
}

/// ` subtype="…"` of a partial link or a sentence without counterpart, or nothing.
pub(crate) fn subtype_attr(it: &EdgeItem) -> String {
    it.subtype()
        .map_or_else(String::new, |t| format!(" subtype=\"{t}\""))
}

/// A bead read from an interchange file, on sentence ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedBead {
    /// The link id in the file, if it gives one.
    pub id: Option<String>,
    /// Source-layer sentence ids.
    pub source: Vec<String>,
    /// Derived-layer sentence ids.
    pub derived: Vec<String>,
    /// Confidence, if the file gives one.
    pub cert: Option<f64>,
    /// `man` → verified, `auto` → automatic; `None` when the file does not say.
    pub status: Option<LinkStatus>,
    /// Line in the file (for messages).
    pub line: usize,
}

/// What a file holds for an edge: its beads, and what the reader has to say about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedFile {
    /// The beads in file order.
    pub beads: Vec<ImportedBead>,
    /// Indices (into `beads`) of beads the file marks as confirmed without naming who
    /// (InterText keeps only `status="man"`): `keep_confirmers` gives them the editor who
    /// confirmed the same bead before.
    pub unnamed: Vec<usize>,
    /// Things the user should know (groups left out, InterText marks not stored, units with
    /// one language), each a line for stderr.
    pub notes: Vec<String>,
}

/// A bead confirmed in the file without a name (InterText writes `status="man"` only) that is
/// the same as a bead of the edge a person confirmed keeps that person and time: the file says
/// nothing new about it, so the importer must not take the confirmation over.
pub(crate) fn keep_confirmers(al: &WorkAlignment, ei: usize, file: &mut ImportedFile) {
    let Some(edge) = al.edges.get(ei) else { return };
    let key = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let mut by_members: HashMap<(Vec<String>, Vec<String>), &LinkStatus> = HashMap::new();
    for l in &edge.links {
        by_members.insert((key(&l.source), key(&l.derived)), &l.status);
    }
    let rel = relation_of(al, edge).ok();
    for u in &edge.unaligned {
        let one = vec![u.sentence.clone()];
        let src_side = rel.is_some_and(|r| r.source == u.layer);
        let k = if src_side {
            (one, vec![])
        } else {
            (vec![], one)
        };
        by_members.insert(k, &u.status);
    }
    for &n in &file.unnamed {
        let Some(b) = file.beads.get_mut(n) else {
            continue;
        };
        if let Some(s @ LinkStatus::Verified { .. }) =
            by_members.get(&(key(&b.source), key(&b.derived))).copied()
        {
            b.status = Some(s.clone());
        }
    }
}

/// The sentences of a bead: source ids, derived ids.
type Members = (Vec<String>, Vec<String>);

/// A bead to which the file gives the id of an item of the edge but other sentences was changed
/// by hand: a spreadsheet row or a cesAlign link whose ids someone edited. The status and
/// certainty beside it are the old item's, left as they were, and say nothing about the new
/// bead: it is the importing editor's link, as one made with `link` is — confirmed by `who` at
/// `now`, with no certainty from the file (unless it differs from the old item's: then someone
/// typed it). A status naming a confirmation other than the old item's is the file's word and
/// stays.
pub(crate) fn claim_edited(
    al: &WorkAlignment,
    ei: usize,
    file: &mut ImportedFile,
    who: &str,
    now: &str,
) {
    let Some(edge) = al.edges.get(ei) else { return };
    let Ok(rel) = relation_of(al, edge) else {
        return;
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // By id: the item's sentences (source, derived; sorted), status and confidence.
    let mut items: HashMap<&str, (Members, &LinkStatus, f64)> = HashMap::new();
    for l in &edge.links {
        let members = (sorted(l.source.clone()), sorted(l.derived.clone()));
        items.insert(&l.id, (members, &l.status, l.cert));
    }
    for u in &edge.unaligned {
        let one = vec![u.sentence.clone()];
        let members = if u.layer == rel.source {
            (one, vec![])
        } else {
            (vec![], one)
        };
        items.insert(&u.id, (members, &u.status, u.cert));
    }
    let same_confirmation = merge::same_confirmation;
    let known: HashSet<&Members> = items.values().map(|(m, _, _)| m).collect();
    for b in &mut file.beads {
        let Some((members, status, cert)) = b.id.as_deref().and_then(|i| items.get(i)) else {
            // A new bead without an id (a row typed into a spreadsheet): whatever its status
            // and certainty cells say, nobody but the importing editor stands behind it.
            let new = !known.contains(&(sorted(b.source.clone()), sorted(b.derived.clone())));
            if b.id.is_none() && new && matches!(b.status, Some(LinkStatus::Verified { .. })) {
                b.status = Some(LinkStatus::Verified {
                    who: who.to_owned(),
                    when: now.to_owned(),
                    digest: None,
                });
                b.cert = None;
            }
            continue;
        };
        if *members == (sorted(b.source.clone()), sorted(b.derived.clone())) {
            continue;
        }
        let copied = match &b.status {
            None | Some(LinkStatus::Automatic) => true,
            Some(s) => same_confirmation(s, status),
        };
        if copied {
            b.status = Some(LinkStatus::Verified {
                who: who.to_owned(),
                when: now.to_owned(),
                digest: None,
            });
        }
        if b.cert == Some(*cert) {
            b.cert = None;
        }
    }
}

/// Read a status from link attributes: `status="man|auto"` with optional `resp`/`when`.
/// `default_who`/`when` fill a confirmed link whose file does not name the editor. An editor
/// that cannot be an `xml:id` (it becomes `respStmt/@xml:id` in the alignment) is an error
/// message for the caller to place at the link's line.
pub(crate) fn status_from_attrs(
    attrs: &std::collections::BTreeMap<String, String>,
    default_who: &str,
    now: &str,
) -> Result<Option<LinkStatus>, String> {
    Ok(match attrs.get("status").map(String::as_str) {
        Some("man") | Some("manual") | Some("verified") => {
            let who = attrs
                .get("resp")
                .map(|w| w.trim_start_matches('#').to_owned())
                .unwrap_or_else(|| default_who.to_owned());
            if !crate::tei::is_ncname(&who) {
                return Err(format!(
                    "resp '{who}' is not a valid editor id (letters, digits, '-', '_', '.', \
                     starting with a letter)"
                ));
            }
            Some(LinkStatus::Verified {
                who,
                when: attrs.get("when").cloned().unwrap_or_else(|| now.to_owned()),
                digest: None,
            })
        }
        Some("auto") | Some("automatic") | Some("plain") => Some(LinkStatus::Automatic),
        _ => None,
    })
}

/// Options of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// TMX: one unit per bead of every edge (of `--edge` when given) instead of one per N-way
    /// segment.
    pub pairs: bool,
    /// TSV for a spreadsheet: a UTF-8 BOM, CRLF, and cells a spreadsheet would read as a
    /// formula neutralised with a leading `'`.
    pub excel: bool,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    /// Its path inside the bundle directory (`cs-en.xml`, `cs/letter.xml`); for a single-file
    /// format, a default file name.
    pub name: String,
    /// Its content.
    pub text: String,
}

/// What an export writes: its files (for a bundle the alignment file first) and notes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exported {
    /// The files; one for TMX, TSV and the ladder.
    pub files: Vec<ExportFile>,
    /// Things the user should know (units left out of a TMX body).
    pub notes: Vec<String>,
}

/// Export one edge (or, for TMX with no edge, all segments or all pairs) in a format: the
/// files to write. cesAlign and InterText are bundles: the alignment file and the two sentence
/// documents it points to, by paths relative to the bundle directory.
pub fn export_files(
    format: Format,
    work: &Work,
    al: &WorkAlignment,
    edge: Option<&str>,
    opts: ExportOptions,
) -> Result<Exported, FormatError> {
    let edge_data = || -> Result<(&Relation, Vec<EdgeItem>), FormatError> {
        let e = &al.edges[find_edge(al, edge)?];
        let rel = relation_of(al, e)?;
        Ok((rel, edge_items(work, rel, e)?))
    };
    let single = |name: &str, text: String| Exported {
        files: vec![ExportFile {
            name: name.to_owned(),
            text,
        }],
        notes: vec![],
    };
    let stem = cesalign::file_stem(&al.work);
    Ok(match format {
        Format::Tmx => {
            let ei = match edge {
                Some(_) => Some(find_edge(al, edge)?),
                None => None,
            };
            let (text, notes) = tmx::export(work, al, ei, opts.pairs)?;
            Exported {
                notes,
                ..single(&format!("{stem}.tmx"), text)
            }
        }
        Format::CesAlign => {
            let (rel, items) = edge_data()?;
            Exported {
                files: cesalign::export(work, al, rel, &items),
                notes: vec![],
            }
        }
        Format::InterText => {
            let (rel, items) = edge_data()?;
            Exported {
                files: intertext::export(work, al, rel, &items),
                notes: vec![],
            }
        }
        Format::Tsv => {
            let (_, items) = edge_data()?;
            single(
                &format!("{stem}.tsv"),
                tsv::export(work, &items, opts.excel)?,
            )
        }
        Format::Ladder => {
            let (_, items) = edge_data()?;
            single(&format!("{stem}.ladder"), ladder::export(&items))
        }
    })
}

/// Export with default options; the text of the main file (for a bundle, the alignment file,
/// whose document references are relative to the bundle).
pub fn export(
    format: Format,
    work: &Work,
    al: &WorkAlignment,
    edge: Option<&str>,
) -> Result<String, FormatError> {
    let out = export_files(format, work, al, edge, ExportOptions::default())?;
    Ok(out
        .files
        .into_iter()
        .next()
        .map(|f| f.text)
        .unwrap_or_default())
}

/// The names a document reference can give its layer: the file stem (`cs.xml`), the version
/// of InterText's `text.version.xml`, and the directories (OPUS's `cs/book.xml.gz`).
fn doc_names(doc: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = doc.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or(doc);
    let file = file.strip_suffix(".gz").unwrap_or(file);
    let file = file.strip_suffix(".xml").unwrap_or(file);
    let mut names: Vec<&str> = file.split('.').take(1).collect();
    if let Some((_, version)) = file.rsplit_once('.') {
        names.push(version);
    }
    names.extend(parts);
    names
}

/// Which side of edge `rel` a document reference names: `Some(true)` the source layer,
/// `Some(false)` the derived one, `None` neither or both.
pub(crate) fn doc_side(doc: &str, rel: &Relation) -> Option<bool> {
    let names = doc_names(doc);
    let src = names.contains(&rel.source.as_str());
    let der = names.contains(&rel.derived.as_str());
    match (src, der) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Read a file in `format` into beads on sentence ids of edge `rel` of `work`. `default_who` and
/// `now` fill a confirmation the file does not attribute (see `keep_confirmers`).
pub fn import(
    format: Format,
    src: &str,
    path: &str,
    work: &Work,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    match format {
        Format::CesAlign => cesalign::import(src, path, rel, default_who, now),
        Format::InterText => intertext::import(src, path, rel, default_who, now),
        Format::Tmx => tmx::import(src, path, work, rel, default_who, now),
        Format::Tsv => tsv::import(src, path, work, default_who, now),
        Format::Ladder => ladder::import(src, path, work, rel),
    }
}

#[cfg(test)]
mod tests;
