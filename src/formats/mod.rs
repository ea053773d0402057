//! Interchange formats: the field's bead format, hunalign's ladder, TSV, OPUS cesAlign,
//! InterText, TMX.
//!
//! Export works on one derivation edge of a [`WorkAlignment`] (cesAlign, InterText, TSV, ladder)
//! or on the N-way segments (TMX). Import reads beads on sentence ids ([`ImportedBead`]) and
//! [`merge_edge`] puts them into an edge of the alignment, either replacing it or merging.

pub mod beads;
pub mod cesalign;
pub mod intertext;
pub mod ladder;
pub mod tmx;
pub mod tsv;
pub mod xml;

use crate::model::SentenceIndex;
use crate::model::{
    EdgeAlignment, Link, LinkStatus, Relation, Unaligned, UnalignedKind, Work, WorkAlignment,
};
use crate::provenance::{IdAlloc, derived_unaligned_kind, link_prefix, ptr_prefix, sort_edge};
use std::collections::{BTreeSet, HashMap, HashSet};

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
pub fn find_edge(al: &WorkAlignment, spec: Option<&str>) -> Result<usize, FormatError> {
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
pub fn relation_of<'a>(
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
    // A pointer to a sentence that is not in its layer (a hand edit, a deleted sentence) is
    // named as such before the walk, which would only see a gap in the chain of beads.
    // Sets, not scans of the layer: a scan per pointer made the edition quadratic.
    let src_ids: HashSet<&str> = src.iter().map(|s| s.id.as_str()).collect();
    let der_ids: HashSet<&str> = der.iter().map(|s| s.id.as_str()).collect();
    let in_layer = |side: &HashSet<&str>, id: &str| side.contains(id);
    for l in &edge.links {
        for (ids, side, layer) in [
            (&l.source, &src_ids, &rel.source),
            (&l.derived, &der_ids, &rel.derived),
        ] {
            if let Some(id) = ids.iter().find(|id| !in_layer(side, id)) {
                return Err(bad(format!(
                    "link {} points to {id}, which is not a sentence of layer {layer}",
                    l.id
                )));
            }
        }
    }
    for u in &edge.unaligned {
        let side = if u.layer == rel.source {
            &src_ids
        } else {
            &der_ids
        };
        if !in_layer(side, &u.sentence) {
            return Err(bad(format!(
                "{} points to {}, which is not a sentence of layer {}",
                u.id, u.sentence, u.layer
            )));
        }
    }
    let ptr_item = |u: &Unaligned, i: usize, j: usize, src_side: bool| EdgeItem {
        id: u.id.clone(),
        source: if src_side {
            vec![u.sentence.clone()]
        } else {
            vec![]
        },
        derived: if src_side {
            vec![]
        } else {
            vec![u.sentence.clone()]
        },
        src_start: i,
        der_start: j,
        cert: u.cert,
        status: u.status.clone(),
        unaligned: Some(u.kind),
    };
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < src.len() || j < der.len() {
        if let Some(u) = src.get(i).and_then(|s| src_ptr.get(s.id.as_str())) {
            out.push(ptr_item(u, i, j, true));
            i += 1;
        } else if let Some(u) = der.get(j).and_then(|s| der_ptr.get(s.id.as_str())) {
            out.push(ptr_item(u, i, j, false));
            j += 1;
        } else if let Some(&k) = src.get(i).and_then(|s| src_of.get(s.id.as_str())) {
            let l = &edge.links[k];
            let fits = |side: &[crate::model::Sentence], at: usize, ids: &[String]| {
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
            out.push(EdgeItem {
                id: l.id.clone(),
                source: l.source.clone(),
                derived: l.derived.clone(),
                src_start: i,
                der_start: j,
                cert: l.cert,
                status: l.status.clone(),
                unaligned: None,
            });
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
pub fn status_word(s: &LinkStatus) -> &'static str {
    match s {
        LinkStatus::Automatic => "auto",
        LinkStatus::Verified { .. } => "man",
    }
}

/// Write a status as attributes (` status="man" resp="eva" when="…"`), for the XML formats.
pub fn status_attrs(s: &LinkStatus) -> String {
    match s {
        LinkStatus::Automatic => " status=\"auto\"".into(),
        LinkStatus::Verified { who, when } => format!(
            " status=\"man\" resp=\"{}\" when=\"{}\"",
            xml::attr(who),
            xml::attr(when)
        ),
    }
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
    /// (InterText keeps only `status="man"`): [`keep_confirmers`] gives them the editor who
    /// confirmed the same bead before.
    pub unnamed: Vec<usize>,
    /// Things the user should know (groups left out, InterText marks not stored, units with
    /// one language), each a line for stderr.
    pub notes: Vec<String>,
}

/// A bead confirmed in the file without a name (InterText writes `status="man"` only) that is
/// the same as a bead of the edge a person confirmed keeps that person and time: the file says
/// nothing new about it, so the importer must not take the confirmation over.
pub fn keep_confirmers(al: &WorkAlignment, ei: usize, file: &mut ImportedFile) {
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

/// Read a status from link attributes: `status="man|auto"` with optional `resp`/`when`.
/// `default_who`/`when` fill a confirmed link whose file does not name the editor. An editor
/// that cannot be an `xml:id` (it becomes `respStmt/@xml:id` in the alignment) is an error
/// message for the caller to place at the link's line.
pub fn status_from_attrs(
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
            })
        }
        Some("auto") | Some("automatic") | Some("plain") => Some(LinkStatus::Automatic),
        _ => None,
    })
}

/// How imported beads go into an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// The file replaces the edge; sentences it does not mention become automatic unaligned
    /// ptrs (cert 0, to be reviewed).
    Replace,
    /// The file's beads replace the beads they overlap or cross; the rest of the edge stays.
    /// A bead that would remove a link a person confirmed is skipped unless it is confirmed
    /// itself.
    Merge,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// Links written.
    pub links: usize,
    /// Unaligned ptrs written.
    pub unaligned: usize,
    /// Of those, confirmed by a person.
    pub verified: usize,
    /// Confirmed links of the old edge that are gone (replace mode, or overridden by a
    /// confirmed imported bead).
    pub lost_verified: Vec<String>,
    /// Imported beads skipped because they conflict with a confirmed link (merge mode): lines.
    pub skipped: Vec<usize>,
    /// Sentences no bead covers, now unaligned (replace mode).
    pub uncovered: Vec<String>,
}

/// Put imported beads into edge `ei` of the alignment. Every id must be a sentence of the right
/// layer; within the file, beads must not overlap or cross. Ids from the file are kept when
/// they are free; beads equal to an existing link keep that link's id, confidence and (when the
/// file says nothing) status.
pub fn merge_edge(
    work: &Work,
    al: &mut WorkAlignment,
    ei: usize,
    beads: &[ImportedBead],
    mode: ImportMode,
    path: &str,
) -> Result<ImportReport, FormatError> {
    let idx = SentenceIndex::new(work);
    let Some(edge_now) = al.edges.get(ei) else {
        return Err(FormatError::Alignment(format!("no edge number {ei}")));
    };
    let rel = relation_of(al, edge_now)?.clone();
    let perr = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    // A file written the other way round (its first side is the derived layer) whose document
    // names did not tell: the ids do. Every id of the first side is in the derived layer and
    // every id of the second in the source layer → swap.
    let swapped: Vec<ImportedBead>;
    let beads = {
        let all_in =
            |ids: &[String], layer: &str| ids.iter().all(|id| idx.layer_id(id) == Some(layer));
        let reversed = rel.source != rel.derived
            && beads
                .iter()
                .any(|b| !b.source.is_empty() || !b.derived.is_empty())
            && beads
                .iter()
                .all(|b| all_in(&b.source, &rel.derived) && all_in(&b.derived, &rel.source));
        if reversed {
            swapped = beads
                .iter()
                .map(|b| ImportedBead {
                    source: b.derived.clone(),
                    derived: b.source.clone(),
                    ..b.clone()
                })
                .collect();
            &swapped[..]
        } else {
            beads
        }
    };
    // Validate: ids in the right layers, consecutive, no sentence twice, no crossing.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    type Span = Option<(usize, usize)>;
    let mut spans: Vec<(usize, Span, Span)> = Vec::new();
    for b in beads {
        if b.source.is_empty() && b.derived.is_empty() {
            continue;
        }
        let mut sp = [None, None];
        for (k, (ids, layer)) in [(&b.source, &rel.source), (&b.derived, &rel.derived)]
            .into_iter()
            .enumerate()
        {
            let mut pos = Vec::new();
            for id in ids {
                match idx.layer_id(id) {
                    Some(l) if l == layer => {}
                    Some(l) => {
                        return Err(perr(
                            b.line,
                            format!("{id} is in layer {l}, expected a sentence of {layer}"),
                        ));
                    }
                    None => {
                        return Err(perr(
                            b.line,
                            format!("unknown sentence id {id} in layer {layer}"),
                        ));
                    }
                }
                if let Some(prev) = seen.insert(id, b.line) {
                    return Err(perr(
                        b.line,
                        format!("{id} is already aligned on line {prev}"),
                    ));
                }
                pos.push(idx.index(id).unwrap_or(0));
            }
            pos.sort_unstable();
            if pos.windows(2).any(|w| w[1] != w[0] + 1) {
                return Err(perr(
                    b.line,
                    format!(
                        "the {layer} sentences of a bead must be consecutive: {}",
                        ids.join(" ")
                    ),
                ));
            }
            sp[k] = pos.first().map(|&f| (f, *pos.last().unwrap_or(&f)));
        }
        spans.push((b.line, sp[0], sp[1]));
    }
    let links_only: Vec<_> = spans
        .iter()
        .filter_map(|&(line, s, d)| Some((line, s?, d?)))
        .collect();
    let mut sorted = links_only.clone();
    sorted.sort_by_key(|&(_, s, _)| s);
    for w in sorted.windows(2) {
        if w[1].2.0 <= w[0].2.1 {
            return Err(perr(
                w[1].0,
                format!("this bead crosses the one on line {}", w[0].0),
            ));
        }
    }

    let old = al.edges[ei].clone();
    let mut report = ImportReport::default();
    let mut edge = match mode {
        ImportMode::Replace => EdgeAlignment {
            relation: old.relation.clone(),
            links: vec![],
            unaligned: vec![],
        },
        ImportMode::Merge => old.clone(),
    };
    // Every id the alignment uses stays taken, the old edge's too (an id never passes to a
    // different bead); a bead equal to an old one may keep its id.
    let mut alloc = IdAlloc::new(al);
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for e in &al.edges {
        taken.extend(e.links.iter().map(|l| l.id.clone()));
        taken.extend(e.unaligned.iter().map(|u| u.id.clone()));
    }
    // The old edge by content, for beads that repeat it.
    let old_by_members: HashMap<(&[String], &[String]), &Link> = old
        .links
        .iter()
        .map(|l| ((l.source.as_slice(), l.derived.as_slice()), l))
        .collect();
    let old_ptr_of: HashMap<&str, &Unaligned> = old
        .unaligned
        .iter()
        .map(|u| (u.sentence.as_str(), u))
        .collect();
    // Ids written into the edge by this import.
    let mut written: BTreeSet<String> = BTreeSet::new();
    let is_verified = |s: &LinkStatus| matches!(s, LinkStatus::Verified { .. });

    // Merge mode, fast path: a bead that repeats a link of the edge changes at most its status
    // (and confidence). Those are settled here in one pass, so that merging a whole file that
    // mostly agrees with the edge stays linear; only beads that change the structure go through
    // the overlap search below.
    let mut settled = vec![false; beads.len()];
    if mode == ImportMode::Merge {
        let pos: HashMap<&str, usize> = edge
            .links
            .iter()
            .enumerate()
            .map(|(k, l)| (l.id.as_str(), k))
            .collect();
        let mut updates: Vec<(usize, Option<LinkStatus>, Option<f64>)> = Vec::new();
        for (n, b) in beads.iter().enumerate() {
            if b.source.is_empty() || b.derived.is_empty() {
                continue;
            }
            let mut src = b.source.clone();
            let mut der = b.derived.clone();
            src.sort_by_key(|id| idx.index(id));
            der.sort_by_key(|id| idx.index(id));
            let Some(l) = old_by_members.get(&(src.as_slice(), der.as_slice())) else {
                continue;
            };
            let Some(&k) = pos.get(l.id.as_str()) else {
                continue;
            };
            settled[n] = true;
            // Never downgrade what a person confirmed.
            let status = match &b.status {
                Some(s) if is_verified(s) || !is_verified(&l.status) => Some(s.clone()),
                _ => None,
            };
            updates.push((k, status, b.cert));
        }
        for (k, status, cert) in updates {
            let l = &mut edge.links[k];
            if let Some(s) = status {
                l.status = s;
            }
            if let Some(c) = cert {
                l.cert = c;
            }
            written.insert(l.id.clone());
            taken.insert(l.id.clone());
        }
    }

    for (n, b) in beads.iter().enumerate() {
        if (b.source.is_empty() && b.derived.is_empty()) || settled[n] {
            continue;
        }
        let mut src = b.source.clone();
        let mut der = b.derived.clone();
        src.sort_by_key(|id| idx.index(id));
        der.sort_by_key(|id| idx.index(id));
        let same_old = old_by_members
            .get(&(src.as_slice(), der.as_slice()))
            .copied();
        let status = b
            .status
            .clone()
            .or_else(|| same_old.map(|l| l.status.clone()))
            .unwrap_or(LinkStatus::Automatic);

        if mode == ImportMode::Merge {
            // Existing links this bead overlaps or crosses.
            let bs = src
                .first()
                .and_then(|f| Some((idx.index(f)?, idx.index(src.last()?)?)));
            let bd = der
                .first()
                .and_then(|f| Some((idx.index(f)?, idx.index(der.last()?)?)));
            let conflicts = |l: &Link| -> bool {
                let overl = l.source.iter().any(|s| src.contains(s))
                    || l.derived.iter().any(|d| der.contains(d));
                let ls = l
                    .source
                    .first()
                    .and_then(|f| Some((idx.index(f)?, idx.index(l.source.last()?)?)));
                let ld = l
                    .derived
                    .first()
                    .and_then(|f| Some((idx.index(f)?, idx.index(l.derived.last()?)?)));
                let cross = match (bs, bd, ls, ld) {
                    (Some(a), Some(b2), Some(c), Some(d)) => {
                        !((a.1 < c.0 && b2.1 < d.0) || (a.0 > c.1 && b2.0 > d.1))
                    }
                    // A 1-0/0-1 bead crosses a link when it falls strictly inside its span on
                    // its side: that is an overlap, handled above.
                    _ => false,
                };
                overl || cross
            };
            let hit: Vec<usize> = edge
                .links
                .iter()
                .enumerate()
                .filter(|(_, l)| conflicts(l))
                .map(|(k, _)| k)
                .collect();
            if hit.iter().any(|&k| is_verified(&edge.links[k].status)) && !is_verified(&status) {
                // Never silently override what a person confirmed.
                if same_old.is_none() {
                    report.skipped.push(b.line);
                }
                continue;
            }
            for &k in hit.iter().rev() {
                let l = edge.links.remove(k);
                if is_verified(&l.status) && !(l.source == src && l.derived == der) {
                    report.lost_verified.push(l.id.clone());
                }
                for s in l.source.iter().filter(|s| !src.contains(s)) {
                    let id = alloc.fresh(&ptr_prefix(&rel));
                    taken.insert(id.clone());
                    edge.unaligned.push(Unaligned {
                        id,
                        kind: UnalignedKind::SourceOnly,
                        layer: rel.source.clone(),
                        sentence: s.clone(),
                        cert: 0.0,
                        status: LinkStatus::Automatic,
                    });
                }
                for d in l.derived.iter().filter(|d| !der.contains(d)) {
                    let id = alloc.fresh(&ptr_prefix(&rel));
                    taken.insert(id.clone());
                    edge.unaligned.push(Unaligned {
                        id,
                        kind: UnalignedKind::DerivedOnly,
                        layer: rel.derived.clone(),
                        sentence: d.clone(),
                        cert: 0.0,
                        status: LinkStatus::Automatic,
                    });
                }
            }
            edge.unaligned.retain(|u| {
                !(u.layer == rel.source && src.contains(&u.sentence)
                    || u.layer == rel.derived && der.contains(&u.sentence))
            });
        }

        let mut pick_id = |wanted: Option<&String>, fallback: Option<&String>, prefix: &str| {
            let id = match (wanted, fallback) {
                (Some(w), _) if !taken.contains(w) => w.clone(),
                (Some(w), Some(f)) if w == f && !written.contains(w) => w.clone(),
                (_, Some(f)) if !written.contains(f) => f.clone(),
                _ => alloc.fresh(prefix),
            };
            alloc.reserve(&id);
            taken.insert(id.clone());
            written.insert(id.clone());
            id
        };

        if !src.is_empty() && !der.is_empty() {
            let id = pick_id(b.id.as_ref(), same_old.map(|l| &l.id), &link_prefix(&rel));
            let cert = b
                .cert
                .or_else(|| same_old.map(|l| l.cert))
                .unwrap_or(if is_verified(&status) { 1.0 } else { 0.5 });
            edge.links.push(Link {
                partial: false,
                id,
                source: src,
                derived: der,
                cert,
                status,
            });
        } else {
            let (layer, sentence, src_side) = if src.is_empty() {
                (rel.derived.clone(), der[0].clone(), false)
            } else {
                (rel.source.clone(), src[0].clone(), true)
            };
            let old_ptr = old_ptr_of.get(sentence.as_str()).copied();
            let kind = match (src_side, old_ptr.map(|u| u.kind)) {
                (true, _) => UnalignedKind::SourceOnly,
                // A gap in the source witness is known from the old alignment; a plain 0-1
                // bead in the file cannot say it.
                (false, Some(UnalignedKind::SourceGap)) => UnalignedKind::SourceGap,
                (false, _) => UnalignedKind::DerivedOnly,
            };
            let status = b
                .status
                .clone()
                .or_else(|| old_ptr.map(|u| u.status.clone()))
                .unwrap_or(LinkStatus::Automatic);
            let id = pick_id(b.id.as_ref(), old_ptr.map(|u| &u.id), &ptr_prefix(&rel));
            let cert = b
                .cert
                .or_else(|| old_ptr.map(|u| u.cert))
                .unwrap_or(if is_verified(&status) { 1.0 } else { 0.5 });
            edge.unaligned.push(Unaligned {
                id,
                kind,
                layer,
                sentence,
                cert,
                status,
            });
        }
    }

    // Sentences nothing covers become unaligned (to be reviewed).
    let covered: BTreeSet<String> = edge
        .links
        .iter()
        .flat_map(|l| l.source.iter().chain(l.derived.iter()).cloned())
        .chain(edge.unaligned.iter().map(|u| u.sentence.clone()))
        .collect();
    for (layer, kind) in [
        (&rel.source, UnalignedKind::SourceOnly),
        (&rel.derived, UnalignedKind::DerivedOnly),
    ] {
        let Some(l) = work.layer(layer) else { continue };
        for s in &l.sentences {
            if !covered.contains(&s.id) {
                let id = alloc.fresh(&ptr_prefix(&rel));
                report.uncovered.push(s.id.clone());
                edge.unaligned.push(Unaligned {
                    id,
                    kind,
                    layer: layer.clone(),
                    sentence: s.id.clone(),
                    cert: 0.0,
                    status: LinkStatus::Automatic,
                });
            }
        }
    }
    if mode == ImportMode::Replace {
        for l in &old.links {
            if is_verified(&l.status)
                && !edge.links.iter().any(|n| {
                    n.source == l.source && n.derived == l.derived && is_verified(&n.status)
                })
            {
                report.lost_verified.push(l.id.clone());
            }
        }
    }
    // A derived sentence that had no ptr before: an addition, or a source gap when it stands
    // where the source witness breaks off (the formats cannot say which).
    let old_derived: BTreeSet<&str> = old
        .unaligned
        .iter()
        .filter(|u| u.layer == rel.derived)
        .map(|u| u.sentence.as_str())
        .collect();
    let links_now = edge.links.clone();
    for u in edge
        .unaligned
        .iter_mut()
        .filter(|u| u.layer == rel.derived && !old_derived.contains(u.sentence.as_str()))
    {
        u.kind = derived_unaligned_kind(&idx, &rel, &links_now, &u.sentence);
    }
    sort_edge(&idx, &rel, &mut edge);
    report.links = edge.links.len();
    report.unaligned = edge.unaligned.len();
    report.verified = edge.links.iter().filter(|l| is_verified(&l.status)).count()
        + edge
            .unaligned
            .iter()
            .filter(|u| is_verified(&u.status))
            .count();
    al.edges[ei] = edge;
    Ok(report)
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

/// The file name of a layer as the alignment names it (`../../texts/w/cs.xml`), or `cs.xml`.
pub fn layer_doc(al: &WorkAlignment, layer: &str) -> String {
    al.layer_files
        .get(layer)
        .cloned()
        .unwrap_or_else(|| format!("{layer}.xml"))
}

/// The layer a document name stands for: its file stem (`../../texts/w/cs.xml` → `cs`).
pub fn doc_layer(doc: &str) -> &str {
    let file = doc.rsplit(['/', '\\']).next().unwrap_or(doc);
    file.split('.').next().unwrap_or(file)
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
pub fn doc_side(doc: &str, rel: &Relation) -> Option<bool> {
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
/// `now` fill a confirmation the file does not attribute (see [`keep_confirmers`]).
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
        Format::Tsv => tsv::import(src, path, default_who, now),
        Format::Ladder => ladder::import(src, path, work, rel),
    }
}

#[cfg(test)]
mod tests;
