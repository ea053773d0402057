//! Where the sentences of a run go in the file: the run's units (text, references, inline
//! elements) as the splitter sees them and as they lie in the file, sentence boundaries moved
//! out of what cannot be entered, and sentences cut into `<s part="I|M|F">` at the edges of
//! inline elements (and of verse lines, see [`super::verse`]).

use super::Inserter;
use super::splice::Splice;
use crate::tei::dom::Node;
use crate::tei::reader::SKIP;
use std::ops::Range;

/// A piece of a block's content, as the splitter sees it and as it lies in the file.
#[derive(Debug)]
pub(super) struct Unit {
    /// Bytes in the run's text content.
    pub(super) content: Range<usize>,
    /// Bytes in the file.
    pub(super) raw: Range<usize>,
    /// True when the unit cannot be entered (an element, a reference): a sentence boundary
    /// inside it moves to its edge.
    pub(super) atomic: bool,
    /// The node.
    pub(super) node: usize,
}

/// Inline elements that may hold `<s>` (their content model includes `model.phrase`), so a
/// sentence can be split at their edges with `@part`.
pub(super) const ENTERABLE: &[&str] = &[
    "hi",
    "emph",
    "foreign",
    "term",
    "mentioned",
    "soCalled",
    "distinct",
    "name",
    "persName",
    "placeName",
    "orgName",
    "rs",
    "title",
    "q",
    "said",
    "ref",
    "seg",
];

/// The sub-range of `r` without leading and trailing white space, if anything is left.
pub(super) fn trim(content: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = content.get(r.clone())?;
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (lead + trail < s.len()).then(|| r.start + lead..r.end - trail)
}

impl Inserter<'_, '_> {
    /// The units of a run of sibling nodes and their text content; unit offsets start at `base`
    /// (the offset of the run in its block's content).
    pub(super) fn build_units(&self, nodes: &[usize], base: usize) -> (Vec<Unit>, String) {
        let doc = self.doc;
        let mut content = String::new();
        let mut units = Vec::new();
        for &n in nodes {
            let c0 = content.len();
            let (raw, atomic) = match &doc.nodes[n] {
                Node::Text { raw } => {
                    content.push_str(&doc.src[raw.clone()]);
                    (raw.clone(), false)
                }
                // A CDATA section is whole: a tag spliced into it would be text, not markup.
                Node::CData { content: c, raw } => {
                    content.push_str(&doc.src[c.clone()]);
                    (raw.clone(), true)
                }
                Node::Ref { raw, text } => {
                    content.push_str(text);
                    (raw.clone(), true)
                }
                Node::Other { raw } => (raw.clone(), true),
                Node::Element(_) => {
                    // The element's text (notes and gap descriptions left out), so the offsets
                    // of what follows stay put.
                    doc.text(n, SKIP, &mut content);
                    (doc.range(n), true)
                }
            };
            units.push(Unit {
                content: base + c0..base + content.len(),
                raw,
                atomic,
                node: n,
            });
        }
        (units, content)
    }

    /// True when a sentence may be split at this unit's edges with `@part` and continue inside
    /// it: an inline element whose content model allows `<s>`.
    pub(super) fn enterable(&self, u: &Unit) -> bool {
        u.atomic
            && self
                .doc
                .local(u.node)
                .is_some_and(|l| ENTERABLE.contains(&l))
    }

    /// Split a run of sibling nodes into sentences. With `inside` (the id of the `<s>` that
    /// holds the run), only boundaries are marked: the first sentence keeps that `<s>`.
    pub(super) fn run(&mut self, nodes: &[usize], s_name: &str, inside: Option<&str>) {
        let doc = self.doc;
        let (units, content) = self.build_units(nodes, 0);
        if content.trim().is_empty() {
            return;
        }
        let mut ranges = crate::segment::split(&content, &self.lang);
        // Punctuation alone ("* * *", "—" in a block of its own) is no sentence: it stays
        // outside `<s>`, as text of the block.
        ranges.retain(|r| content[r.clone()].chars().any(char::is_alphanumeric));
        if inside.is_none() {
            self.place_all(&units, &content, ranges, s_name);
            return;
        }
        // Inside an existing <s>: map each sentence onto the file, moving boundaries out of
        // inline elements (a boundary inside one keeps the sentences whole).
        let mut spans: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            if r.is_empty() {
                continue;
            }
            let (Some(s), Some(e)) = (snap_start(&units, r.start), snap_end(&units, r.end)) else {
                continue;
            };
            match spans.last_mut() {
                Some(prev) if s < prev.end => {
                    let (line, col) = doc.line_col(s);
                    self.warnings.push(format!(
                        "{}:{line}:{col}: a sentence boundary inside an inline element; the \
                         sentences are kept whole as one <s>",
                        doc.path
                    ));
                    prev.end = prev.end.max(e);
                }
                _ => spans.push(s..e),
            }
        }
        match inside {
            None => {}
            Some(id) => {
                if spans.len() > 1 {
                    self.split.push(id.to_owned());
                }
                for k in 1..spans.len() {
                    let new = self.fresh_id();
                    let close = spans[k - 1].end;
                    self.splices.push(Splice {
                        range: close..close,
                        order: 0,
                        text: format!("</{s_name}>"),
                    });
                    self.splices.push(Splice {
                        range: spans[k].start..spans[k].start,
                        order: 1,
                        text: format!("<{s_name} xml:id=\"{new}\">"),
                    });
                }
            }
        }
    }

    /// Place the sentences of a block's run: a sentence that crosses the edge of an inline
    /// element holding a boundary is split there into `<s part="I|M|F">`; where an element
    /// cannot hold `<s>`, the sentences are kept whole and a warning says where.
    pub(super) fn place_all(
        &mut self,
        units: &[Unit],
        content: &str,
        ranges: Vec<Range<usize>>,
        s_name: &str,
    ) {
        let mut sents: Vec<Range<usize>> = ranges.into_iter().filter(|r| !r.is_empty()).collect();
        while let Some((i, j, node)) = self.find_merge(units, &sents) {
            sents[i].end = sents[j].end;
            sents.drain(i + 1..=j);
            self.warn_kept_whole(node);
        }
        let indexed: Vec<(usize, Range<usize>)> = sents.into_iter().enumerate().collect();
        let mut frags: Vec<(usize, Range<usize>, String)> = Vec::new();
        self.place(units, content, &indexed, s_name, &mut frags);
        self.emit_parts(frags, indexed.len());
    }

    /// Warn that sentences sharing `node`, which cannot hold `<s>`, are kept as one.
    pub(super) fn warn_kept_whole(&mut self, node: usize) {
        let (line, col) = self.doc.line_col(self.doc.range(node).start);
        self.warnings.push(format!(
            "{}:{line}:{col}: a sentence boundary inside <{}>, which cannot hold <s>; the \
             sentences are kept whole as one <s>",
            self.doc.path,
            self.doc.local(node).unwrap_or("?")
        ));
    }

    /// Splice in the `<s>` of `n` sentences from their fragments `(sentence, file range, tag
    /// name)`: one fragment is a whole `<s>`; several are parts `I`, `M` …, `F`, the first with
    /// the sentence's id, the others with `<id>.<j>`.
    pub(super) fn emit_parts(&mut self, mut frags: Vec<(usize, Range<usize>, String)>, n: usize) {
        frags.sort_by_key(|f| f.1.start);
        let mut total = vec![0usize; n];
        for f in &frags {
            total[f.0] += 1;
        }
        let mut ids: Vec<Option<String>> = vec![None; n];
        let mut seen = vec![0usize; n];
        for (k, raw, name) in frags {
            seen[k] += 1;
            let base = match &ids[k] {
                Some(id) => id.clone(),
                None => {
                    let id = self.fresh_id();
                    ids[k] = Some(id.clone());
                    id
                }
            };
            let (id, part) = match (total[k], seen[k]) {
                (1, _) => (base, ""),
                (_, 1) => (base, " part=\"I\""),
                (t, j) if j == t => (format!("{base}.{j}"), " part=\"F\""),
                (_, j) => (format!("{base}.{j}"), " part=\"M\""),
            };
            self.splices.push(Splice {
                range: raw.start..raw.start,
                order: 1,
                text: format!("<{name} xml:id=\"{id}\"{part}>"),
            });
            self.splices.push(Splice {
                range: raw.end..raw.end,
                order: 0,
                text: format!("</{name}>"),
            });
        }
    }

    /// Two or more sentences that share an element that cannot hold `<s>`, searched depth
    /// first: `(first, last, the element's node)`.
    pub(super) fn find_merge(
        &self,
        units: &[Unit],
        sents: &[Range<usize>],
    ) -> Option<(usize, usize, usize)> {
        for u in units.iter().filter(|u| u.atomic && !u.content.is_empty()) {
            let over = window(sents, |r| r, &u.content);
            if over.len() < 2 {
                continue;
            }
            let (first, last) = (over.start, over.end - 1);
            if self.enterable(u) {
                let (inner, _) = self.build_units(self.doc.children(u.node), u.content.start);
                if let Some(m) = self.find_merge(&inner, sents) {
                    return Some(m);
                }
            } else {
                return Some((first, last, u.node));
            }
        }
        None
    }

    /// Place sentences `(k, content range)` on a run's units, recursing into elements that
    /// hold a boundary; collects `(k, file range, element name)` fragments.
    pub(super) fn place(
        &self,
        units: &[Unit],
        content: &str,
        sents: &[(usize, Range<usize>)],
        s_name: &str,
        frags: &mut Vec<(usize, Range<usize>, String)>,
    ) {
        // Sentences and units are in order and do not overlap, so the sentences a unit holds
        // (and the units a sentence crosses) are a window found by binary search: a paragraph of
        // many sentences and inline elements stays linear.
        let split: Vec<&Unit> = units
            .iter()
            .filter(|u| u.atomic && window(sents, |(_, r)| r, &u.content).len() >= 2)
            .collect();
        for u in &split {
            let (inner, _) = self.build_units(self.doc.children(u.node), u.content.start);
            let clipped: Vec<(usize, Range<usize>)> = sents[window(sents, |(_, r)| r, &u.content)]
                .iter()
                .filter_map(|(k, r)| {
                    trim(
                        content,
                        r.start.max(u.content.start)..r.end.min(u.content.end),
                    )
                    .map(|t| (*k, t))
                })
                .collect();
            let name = self.s_name(u.node);
            self.place(&inner, content, &clipped, &name, frags);
        }
        for (k, r) in sents {
            let mut pieces = Vec::new();
            let mut cur = r.start;
            for u in &split[window(&split, |u| &u.content, r)] {
                if cur < u.content.start {
                    pieces.push(cur..u.content.start);
                }
                cur = cur.max(u.content.end);
            }
            if cur < r.end {
                pieces.push(cur..r.end);
            }
            for p in pieces.into_iter().filter_map(|p| trim(content, p)) {
                if let (Some(s), Some(e)) = (snap_start(units, p.start), snap_end(units, p.end)) {
                    let e = self.gap_breaking_off(units, content, p.end, e).unwrap_or(e);
                    frags.push((*k, s..e, s_name.to_owned()));
                }
            }
        }
    }
}

impl Inserter<'_, '_> {
    /// A sentence that breaks off mid-word (its text ends in a letter or digit) right where a
    /// `<gap>` follows, with no space between, is incomplete: the gap belongs inside its `<s>`,
    /// so that every reader sees that this sentence, not the text after it, is cut off. Returns
    /// the file offset after the gap, or `None`.
    pub(super) fn gap_breaking_off(
        &self,
        units: &[Unit],
        content: &str,
        end: usize,
        file_end: usize,
    ) -> Option<usize> {
        let last = content.get(..end)?.chars().next_back()?;
        if !last.is_alphanumeric() {
            return None;
        }
        let gap = units
            .get(units.partition_point(|u| u.raw.start < file_end))
            .filter(|u| u.raw.start == file_end && u.content.is_empty())?;
        (self.doc.local(gap.node) == Some("gap")).then_some(gap.raw.end)
    }
}

/// The file offset where a sentence starting at content offset `a` starts.
pub(super) fn snap_start(units: &[Unit], a: usize) -> Option<usize> {
    // Units are in content order: a binary search keeps a block of many sentences linear.
    let u = units.get(units.partition_point(|u| u.content.end <= a))?;
    if u.content.start > a {
        return None;
    }
    Some(if u.atomic {
        u.raw.start
    } else {
        u.raw.start + (a - u.content.start)
    })
}

/// The file offset where a sentence ending at content offset `b` (exclusive) ends.
pub(super) fn snap_end(units: &[Unit], b: usize) -> Option<usize> {
    let u = units.get(units.partition_point(|u| u.content.end < b))?;
    if u.content.start >= b {
        return None;
    }
    Some(if u.atomic {
        u.raw.end
    } else {
        u.raw.start + (b - u.content.start)
    })
}

/// The indices of the `items` (in order, not overlapping, by `range`) that overlap `c`.
fn window<T>(items: &[T], range: impl Fn(&T) -> &Range<usize>, c: &Range<usize>) -> Range<usize> {
    let lo = items.partition_point(|x| range(x).end <= c.start);
    let hi = lo + items[lo..].partition_point(|x| range(x).start < c.end);
    lo..hi
}
