//! The edits the inserter makes to the original text (splices) and the high-water mark of
//! sentence ids it records in the header.

use crate::tei::dom::{Doc, Node};
use std::ops::Range;

/// A replacement of `range` by `text`; `order` sorts splices at the same offset (closing tags
/// before opening ones).
#[derive(Debug)]
pub(super) struct Splice {
    pub(super) range: Range<usize>,
    pub(super) order: u8,
    pub(super) text: String,
}

pub(super) fn apply(src: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|s| (s.range.start, s.order));
    let mut out = String::with_capacity(src.len() + splices.len() * 24);
    let mut pos = 0;
    for s in splices {
        out.push_str(&src[pos..s.range.start]);
        out.push_str(&s.text);
        pos = s.range.end;
    }
    out.push_str(&src[pos..]);
    out
}

/// The largest N of `<layer>.s<N>` among the ids of the document and the recorded marks.
pub(super) fn high_water(doc: &Doc, header: Option<usize>, layer: &str) -> u64 {
    let prefix = format!("{layer}.s");
    let from_ids = doc
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => e
                .attrs
                .iter()
                .find(|(k, _)| *k == "xml:id")
                .and_then(|(_, v)| v.strip_prefix(&prefix))
                .and_then(|n| n.parse::<u64>().ok()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let recorded = header
        .and_then(|h| recorded_high_water(doc, h))
        .unwrap_or(0);
    from_ids.max(recorded)
}

/// The high-water mark recorded in the header, if any.
pub(super) fn recorded_high_water(doc: &Doc, header: usize) -> Option<u64> {
    let rd = doc.child_elems(header, "revisionDesc").next()?;
    let mut changes: Vec<usize> = doc.child_elems(rd, "change").collect();
    for lc in doc.child_elems(rd, "listChange") {
        changes.extend(doc.child_elems(lc, "change"));
    }
    changes
        .into_iter()
        .filter(|&c| doc.attr(c, "type") == Some("segmentation"))
        .filter_map(|c| doc.attr(c, "n").and_then(|n| n.trim().parse::<u64>().ok()))
        .max()
}

/// A splice that adds `change` as the last change of the header's `revisionDesc` (made if
/// missing).
pub(super) fn append_change(doc: &Doc, header: usize, change: &str, px: &str) -> Splice {
    match doc.child_elems(header, "revisionDesc").next() {
        Some(rd) => {
            let target = doc.child_elems(rd, "listChange").last().unwrap_or(rd);
            append_child(doc, target, change)
        }
        None => append_child(
            doc,
            header,
            &format!("<{px}revisionDesc>{change}</{px}revisionDesc>"),
        ),
    }
}

/// A splice that appends `child` to element `i`, keeping the indentation style.
pub(super) fn append_child(doc: &Doc, i: usize, child: &str) -> Splice {
    let Node::Element(e) = &doc.nodes[i] else {
        return Splice {
            range: 0..0,
            order: 0,
            text: String::new(),
        };
    };
    let (name, start, end) = (&e.name, &e.start, &e.end);
    match end {
        Some(end) => {
            // Indent like the end tag's line, one step deeper.
            let before = &doc.src[..end.start];
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            let indent = &before[line_start..];
            let text = if indent.chars().all(|c| c == ' ' || c == '\t') && line_start > 0 {
                format!("  {child}\n{indent}")
            } else {
                child.to_owned()
            };
            Splice {
                range: end.start..end.start,
                order: 0,
                text,
            }
        }
        None => {
            // `<revisionDesc/>`: rewrite the empty tag as a start tag, the child and an end tag.
            let tag = &doc.src[start.clone()];
            let open = tag.trim_end_matches('>').trim_end().trim_end_matches('/');
            Splice {
                range: start.clone(),
                order: 0,
                text: format!("{open}>{child}</{name}>"),
            }
        }
    }
}
