//! Small XML helpers shared by the XML interchange formats: escaping, and reading a file of
//! `<linkGrp fromDoc toDoc>` / `<link xtargets>` elements (cesAlign and InterText share that
//! shape) with the line of every link, for error messages, and turning those links into beads.

use super::{FormatError, ImportedBead, doc_layer, status_from_attrs};
use crate::model::Relation;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// Escape text for element content.
pub fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escape text for a double-quoted attribute value.
pub fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// 1-based line of a byte offset.
pub fn line_at(src: &str, offset: usize) -> usize {
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
pub struct LineCounter {
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

/// One `<link>` element: its attributes and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLink {
    /// Attribute name → value (unescaped).
    pub attrs: BTreeMap<String, String>,
    /// 1-based line.
    pub line: usize,
}

/// A file of link groups.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawLinkFile {
    /// Name of the root element.
    pub root: String,
    /// Attributes of the (first) `<linkGrp>`.
    pub group: BTreeMap<String, String>,
    /// Number of `<linkGrp>` elements.
    pub groups: usize,
    /// The links in file order.
    pub links: Vec<RawLink>,
}

/// Read every `<linkGrp>` and `<link>` of an XML file.
pub fn read_links(src: &str, path: &str) -> Result<RawLinkFile, FormatError> {
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
                            out.group = attrs;
                        }
                        out.groups += 1;
                    }
                    "link" => out.links.push(RawLink { attrs, line }),
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
pub fn split_xtargets(v: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (a, b) = v.split_once(';')?;
    if b.contains(';') {
        return None;
    }
    let side = |s: &str| s.split_whitespace().map(str::to_owned).collect();
    Some((side(a), side(b)))
}

/// How a link-list format (cesAlign, InterText) writes one link; everything else about reading
/// its links into beads is the same.
pub struct LinkLayout {
    /// `xtargets` lists the `toDoc` (derived) ids first, as InterText does; cesAlign lists the
    /// `fromDoc` (source) ids first.
    pub to_doc_first: bool,
    /// The attribute holding the link's confidence (`certainty`, `cert`).
    pub cert_attr: &'static str,
    /// A `type` attribute (`"2-1"`) must count the ids of `xtargets` in the order written.
    pub check_type: bool,
}

/// The links of `file` as beads of edge `rel`. When `fromDoc` names the derived layer and `toDoc`
/// the source (a file written the other way round), the sides are swapped. Errors name `path`
/// and the link's line.
pub fn import_beads(
    file: &RawLinkFile,
    layout: &LinkLayout,
    path: &str,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<Vec<ImportedBead>, FormatError> {
    let perr = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let from = file.group.get("fromDoc").map(|d| doc_layer(d).to_owned());
    let to = file.group.get("toDoc").map(|d| doc_layer(d).to_owned());
    let swapped =
        from.as_deref() == Some(rel.derived.as_str()) && to.as_deref() == Some(rel.source.as_str());
    file.links
        .iter()
        .map(|l| {
            let xt = l
                .attrs
                .get("xtargets")
                .ok_or_else(|| perr(l.line, "link without xtargets".into()))?;
            let (first, second) = split_xtargets(xt)
                .ok_or_else(|| perr(l.line, format!("xtargets '{xt}' is not 'ids;ids'")))?;
            if layout.check_type
                && let Some(t) = l.attrs.get("type")
            {
                let want = format!("{}-{}", first.len(), second.len());
                if t != &want {
                    return Err(perr(
                        l.line,
                        format!(
                            "type '{t}' does not match xtargets '{xt}' (expected {want}; \
                             InterText lists toDoc ids first)"
                        ),
                    ));
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
                Some(c) => Some(c.trim().parse::<f64>().map_err(|_| {
                    perr(
                        l.line,
                        format!("{} '{c}' is not a number", layout.cert_attr),
                    )
                })?),
                None => None,
            };
            Ok(ImportedBead {
                id: l.attrs.get("id").cloned(),
                source,
                derived,
                cert,
                status: status_from_attrs(&l.attrs, default_who, now)
                    .map_err(|m| perr(l.line, m))?,
                line: l.line,
            })
        })
        .collect()
}
