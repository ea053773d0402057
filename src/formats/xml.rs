//! Small XML helpers shared by the XML interchange formats: escaping, and reading a file of
//! `<linkGrp fromDoc toDoc>` / `<link xtargets>` elements (cesAlign and InterText share that
//! shape) with the line of every link, for error messages, and turning those links into beads.

use super::{FormatError, ImportedBead, ImportedFile, doc_side, status_from_attrs};
use crate::model::{LinkStatus, Relation};
use crate::tei::is_ncname;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// Escaping for element content and attributes (see `tei::escape`).
pub use crate::tei::escape::{attr, text};

/// 1-based line of a byte offset.
pub(crate) fn line_at(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Lines of increasing byte offsets, counting only the bytes since the last call (a file is
/// read once, not once per element).
#[derive(Debug, Default)]
pub(crate) struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// 1-based line of `offset`; an offset before the last one asked is counted from the start.
    pub fn line(&mut self, src: &str, offset: usize) -> usize {
        let end = offset.min(src.len());
        if end < self.offset || self.line == 0 {
            self.offset = 0;
            self.line = 1;
        }
        self.line += src.as_bytes()[self.offset..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = end;
        self.line
    }
}

/// One `<link>` element: its attributes, its line and its `<linkGrp>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawLink {
    /// Attribute name → value (unescaped).
    pub attrs: BTreeMap<String, String>,
    /// 1-based line.
    pub line: usize,
    /// Index of its `<linkGrp>` in [`RawLinkFile::group_list`] (0 when it stands in none).
    pub group: usize,
}

/// One `<linkGrp>`: its attributes and line.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RawGroup {
    /// Attribute name → value (unescaped).
    pub attrs: BTreeMap<String, String>,
    /// 1-based line.
    pub line: usize,
}

/// A file of link groups.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RawLinkFile {
    /// Name of the root element.
    pub root: String,
    /// Attributes of the (first) `<linkGrp>`.
    pub group: BTreeMap<String, String>,
    /// Number of `<linkGrp>` elements.
    pub groups: usize,
    /// Every `<linkGrp>` in file order (OPUS writes one per document pair).
    pub group_list: Vec<RawGroup>,
    /// The links in file order.
    pub links: Vec<RawLink>,
}

/// Read every `<linkGrp>` and `<link>` of an XML file.
pub(crate) fn read_links(src: &str, path: &str) -> Result<RawLinkFile, FormatError> {
    let mut reader = quick_xml::Reader::from_str(src);
    let mut out = RawLinkFile::default();
    let mut lines = LineCounter::default();
    let err = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            err(
                line_at(src, reader.error_position() as usize),
                format!("malformed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = {
                    let ln = e.local_name();
                    let n: &str = ln.as_ref();
                    n.to_owned()
                };
                let line = lines.line(src, pos);
                let mut attrs = BTreeMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| err(line, format!("bad attribute: {x}")))?;
                    let key = {
                        let ln = a.key.local_name();
                        let n: &str = ln.as_ref();
                        n.to_owned()
                    };
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|x| err(line, format!("bad attribute value: {x}")))?;
                    attrs.insert(key, value.into_owned());
                }
                if out.root.is_empty() {
                    out.root = name.clone();
                }
                match name.as_str() {
                    "linkGrp" => {
                        if out.groups == 0 {
                            out.group = attrs.clone();
                        }
                        out.groups += 1;
                        out.group_list.push(RawGroup { attrs, line });
                    }
                    "link" => out.links.push(RawLink {
                        attrs,
                        line,
                        group: out.groups.saturating_sub(1),
                    }),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if out.root.is_empty() {
        return Err(err(1, "no XML element found".into()));
    }
    Ok(out)
}

/// Split an `xtargets` value `"a b;c"` into its two sides.
pub(crate) fn split_xtargets(v: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (a, b) = v.split_once(';')?;
    if b.contains(';') {
        return None;
    }
    let side = |s: &str| s.split_whitespace().map(str::to_owned).collect();
    Some((side(a), side(b)))
}

/// How a link-list format (cesAlign, InterText) writes one link; everything else about reading
/// its links into beads is the same.
pub(crate) struct LinkLayout {
    /// `xtargets` lists the `toDoc` (derived) ids first, as InterText does; cesAlign lists the
    /// `fromDoc` (source) ids first.
    pub to_doc_first: bool,
    /// The attribute holding the link's confidence (`certainty`, `cert`).
    pub cert_attr: &'static str,
    /// A `type` attribute (`"2-1"`) must count the ids of `xtargets` in the order written.
    pub check_type: bool,
    /// A link with no `status` (or one the format does not know) was confirmed by a person:
    /// InterText's loader defaults to `man` (`DEFAULT_STATUS`). cesAlign says nothing then.
    pub manual_by_default: bool,
}

/// How a `<linkGrp>` stands to the edge being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupFit {
    /// `fromDoc` is the source layer, `toDoc` the derived one.
    Same,
    /// The other way round.
    Swapped,
    /// The names say nothing about the edge's layers.
    Unknown,
    /// The names point at other documents (another pair of an OPUS file).
    Other,
}

fn group_fit(g: &RawGroup, rel: &Relation) -> GroupFit {
    let side = |attr: &str| g.attrs.get(attr).and_then(|d| doc_side(d, rel));
    match (side("fromDoc"), side("toDoc")) {
        (Some(true), Some(false)) => GroupFit::Same,
        (Some(false), Some(true)) => GroupFit::Swapped,
        (None, None) => GroupFit::Unknown,
        _ => GroupFit::Other,
    }
}

/// The groups whose links are read, each with whether its sides are swapped, and notes on the
/// groups left out. Groups naming the edge's two documents are read; with none, a file whose
/// document names say nothing (or that has one group) is read as it stands: the ids decide.
fn chosen_groups(
    file: &RawLinkFile,
    path: &str,
    rel: &Relation,
) -> Result<(Vec<Option<bool>>, Vec<String>), FormatError> {
    let groups: Vec<RawGroup> = if file.group_list.is_empty() {
        vec![RawGroup::default()]
    } else {
        file.group_list.clone()
    };
    let fits: Vec<GroupFit> = groups.iter().map(|g| group_fit(g, rel)).collect();
    let any_match = fits
        .iter()
        .any(|f| matches!(f, GroupFit::Same | GroupFit::Swapped));
    let mut notes = Vec::new();
    let mut chosen = Vec::new();
    for (g, fit) in groups.iter().zip(&fits) {
        let take = match fit {
            GroupFit::Same => Some(false),
            GroupFit::Swapped => Some(true),
            _ if any_match => None,
            GroupFit::Unknown => Some(false),
            GroupFit::Other if groups.len() == 1 => Some(false),
            GroupFit::Other => None,
        };
        if take.is_none() {
            notes.push(format!(
                "{path}:{}: linkGrp fromDoc='{}' toDoc='{}' is not edge {}-{}: left out",
                g.line,
                g.attrs.get("fromDoc").map_or("", String::as_str),
                g.attrs.get("toDoc").map_or("", String::as_str),
                rel.source,
                rel.derived
            ));
        }
        chosen.push(take);
    }
    if chosen.iter().all(Option::is_none) {
        return Err(FormatError::Parse {
            path: path.to_owned(),
            line: 1,
            message: format!(
                "no linkGrp names the documents of edge {}-{}",
                rel.source, rel.derived
            ),
        });
    }
    Ok((chosen, notes))
}

/// The links of `file` as beads of edge `rel`. Of a file with several `<linkGrp>`s (OPUS writes
/// one per document pair) the groups that name the edge's documents are read; a group whose
/// `fromDoc` names the derived layer and `toDoc` the source is read the other way round. Errors
/// name `path` and the link's line.
pub(crate) fn import_beads(
    file: &RawLinkFile,
    layout: &LinkLayout,
    path: &str,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    let (chosen, notes) = chosen_groups(file, path, rel)?;
    let mut out = ImportedFile {
        notes,
        ..ImportedFile::default()
    };
    let mut marked: Vec<String> = Vec::new();
    for l in &file.links {
        let Some(&Some(swapped)) = chosen.get(l.group) else {
            continue;
        };
        let (bead, unnamed) = link_bead(l, layout, swapped, path, default_who, now)?;
        if unnamed {
            out.unnamed.push(out.beads.len());
        }
        if let Some(m) = l.attrs.get("mark").filter(|m| m.trim() != "0") {
            marked.push(format!("{} (mark {m})", l.line));
        }
        out.beads.push(bead);
    }
    if !marked.is_empty() {
        out.notes.push(format!(
            "{path}: {} link(s) carry an InterText mark, which the alignment does not store \
             (lines {})",
            marked.len(),
            marked.join(", ")
        ));
    }
    Ok(out)
}

/// One link as a bead (sides as source, derived), and whether it is confirmed without a name.
fn link_bead(
    l: &RawLink,
    layout: &LinkLayout,
    swapped: bool,
    path: &str,
    default_who: &str,
    now: &str,
) -> Result<(ImportedBead, bool), FormatError> {
    let perr = |message: String| FormatError::Parse {
        path: path.to_owned(),
        line: l.line,
        message,
    };
    let xt = l
        .attrs
        .get("xtargets")
        .ok_or_else(|| perr("link without xtargets".into()))?;
    let (first, second) =
        split_xtargets(xt).ok_or_else(|| perr(format!("xtargets '{xt}' is not 'ids;ids'")))?;
    if layout.check_type
        && let Some(t) = l.attrs.get("type")
    {
        let want = format!("{}-{}", first.len(), second.len());
        if t != &want {
            return Err(perr(format!(
                "type '{t}' does not match xtargets '{xt}' (expected {want}; InterText lists \
                 toDoc ids first)"
            )));
        }
    }
    // The sides as fromDoc, toDoc; then as source, derived.
    let (from_ids, to_ids) = if layout.to_doc_first {
        (second, first)
    } else {
        (first, second)
    };
    let (source, derived) = if swapped {
        (to_ids, from_ids)
    } else {
        (from_ids, to_ids)
    };
    let cert = match l.attrs.get(layout.cert_attr) {
        Some(c) => Some(
            c.trim()
                .parse::<f64>()
                .ok()
                .filter(|c| c.is_finite())
                .ok_or_else(|| perr(format!("{} '{c}' is not a number", layout.cert_attr)))?
                // Aligners' scores (hunalign's in OPUS) can leave [0, 1].
                .clamp(0.0, 1.0),
        ),
        None => None,
    };
    let mut attrs = l.attrs.clone();
    if layout.manual_by_default
        && !matches!(
            attrs.get("status").map(String::as_str),
            Some("man" | "auto" | "plain")
        )
    {
        attrs.insert("status".into(), "man".into());
    }
    let status = status_from_attrs(&attrs, default_who, now).map_err(perr)?;
    let unnamed =
        matches!(status, Some(LinkStatus::Verified { .. })) && !attrs.contains_key("resp");
    let bead = ImportedBead {
        // An id that cannot be an xml:id (OPUS numbers its links) is not kept.
        id: l.attrs.get("id").filter(|i| is_ncname(i)).cloned(),
        source,
        derived,
        cert,
        status,
        line: l.line,
    };
    Ok((bead, unnamed))
}
