//! Inserting `<s xml:id>` into a TEI document without disturbing anything else, and
//! re-segmenting an edited layer with stable ids.
//!
//! The document is parsed into a tree that knows the byte range of every node
//! ([`super::dom`]); new tags are spliced into the original text, so every other element,
//! attribute, comment, processing instruction, entity reference and character stays byte for
//! byte where it was.
//!
//! ## Where sentences go
//! Text-bearing blocks (`p`, `head`, `salute`, `signed`, `item`, `ab`, `l`, … see
//! [`super::reader::BLOCKS`]) are split with [`crate::segment::split`] on their text content
//! (notes left out). Inline children (`hi`, `name`, `pb`, `lb`, `gap`, `note`, comments, PIs,
//! references) normally stand whole inside a sentence. When a sentence boundary falls inside an
//! inline element that may hold `<s>` (`hi`, `name`, `foreign`, `q`, … see `ENTERABLE`), the
//! sentences on either side are split at the element's edges into parts:
//! `<s xml:id="en.s6" part="I">A boundary</s> <hi><s xml:id="en.s6.2" part="F">inside.</s>
//! <s xml:id="en.s7" part="I">Next</s></hi><s xml:id="en.s7.2" part="F"> one.</s>`; the reader
//! joins the parts into one sentence named by the first part's id. Inside an element that cannot
//! hold `<s>` (e.g. `choice`, `unclear`), the sentences are **kept whole** as one `<s>` and a
//! warning names the place. Children that hold blocks or sentences (`list`, `quote` with
//! `p`, an existing `<s>`) are hard boundaries: no sentence crosses them, and they are processed
//! on their own. `<note>` content and the `teiHeader` are never segmented. `<s>` is never nested.
//!
//! ## Stable ids (re-segmentation)
//! - An existing `<s xml:id>` is kept as it is, with its id.
//! - Text outside any `<s>` (added by an editor) gets new `<s>` elements with new ids.
//! - An `<s>` without `xml:id` (e.g. one an editor made by typing `</s><s>`) gets a new id.
//! - With `resplit`, an existing `<s>` whose text now holds a sentence boundary is split there:
//!   the first part keeps the id, the others get new ids. Without it, editors' `<s>` are trusted.
//! - New ids are `<layer>.s<N>` with N above the **high-water mark**: the largest N ever given,
//!   recorded in the header as `revisionDesc/change[@type="segmentation"]/@n`. So the id of a
//!   deleted sentence is never reused, even when it was the last one.

use super::TeiError;
use super::content_model::{may_be_in_s, may_hold_s};
use super::dom::{Doc, Node};
use super::reader::{BLOCKS, SKIP};
use std::ops::Range;

mod verse;

/// How to (re-)segment a document.
#[derive(Debug, Clone, Default)]
pub struct SegmentOptions {
    /// The layer id: new sentence ids are `<layer>.s<N>`.
    pub layer: String,
    /// The language for the splitter; empty means the root's `xml:lang`.
    pub lang: String,
    /// Split existing `<s>` whose text holds a sentence boundary (first part keeps the id).
    pub resplit: bool,
    /// When set, record the segmentation (and the high-water mark) as a `<change when="…">` in
    /// the header's `revisionDesc`. `None` leaves the header untouched.
    pub record_when: Option<String>,
}

/// The result of [`resegment`].
#[derive(Debug, Clone, PartialEq)]
pub struct Resegmented {
    /// The new document.
    pub xml: String,
    /// Ids given to new sentences, in document order.
    pub new_ids: Vec<String>,
    /// How many existing sentences were kept (an `<s part="I">` with its other parts counts once).
    pub kept: usize,
    /// Ids of existing `<s>` that were split (with `resplit`).
    pub split: Vec<String>,
    /// The high-water mark after this run (the largest N of `<layer>.s<N>` ever given).
    pub high_water: u64,
    /// Places where sentences were kept whole (a boundary inside an inline element).
    pub warnings: Vec<String>,
}

/// Insert `<s xml:id>` into `src` (a TEI document), keeping existing sentences and their ids.
/// `path` names the file in messages.
pub fn resegment(src: &str, path: &str, opts: &SegmentOptions) -> Result<Resegmented, TeiError> {
    let doc = Doc::parse(src, path)?;
    super::reader::check_ids(&doc)?;
    check_not_nested(&doc, doc.root)?;
    if doc.local(doc.root) != Some("TEI") {
        return Err(doc.invalid(
            doc.range(doc.root).start,
            format!(
                "not a TEI document: the root element is <{}>, not <TEI>",
                doc.local(doc.root).unwrap_or("")
            ),
        ));
    }
    if opts.layer.is_empty() || !is_ncname(&opts.layer) {
        return Err(doc.invalid(
            0,
            format!(
                "layer id \"{}\" cannot start an xml:id (use letters, digits, '-', '.', '_')",
                opts.layer
            ),
        ));
    }
    let mut lang_warning = None;
    let lang = if opts.lang.is_empty() {
        let declared = doc.attr(doc.root, "xml:lang").unwrap_or("");
        // The file is the user's: its header is not ours to change, but a code the splitter
        // cannot read (and TEI does not accept) should not pass in silence.
        lang_warning = match crate::segment::check_lang(declared) {
            Err(e) if !declared.is_empty() => Some(format!(
                "{path}: TEI/@xml:lang {e}; TEI validators will reject it (the header is left as it is)"
            )),
            _ => None,
        };
        declared.to_owned()
    } else {
        opts.lang.clone()
    };
    let header = doc.child_elems(doc.root, "teiHeader").next();
    let mut hw = high_water(&doc, header, &opts.layer);
    let mut ins = Inserter {
        doc: &doc,
        lang,
        layer: opts.layer.clone(),
        resplit: opts.resplit,
        next: hw + 1,
        splices: Vec::new(),
        new_ids: Vec::new(),
        kept: 0,
        split: Vec::new(),
        warnings: lang_warning.into_iter().collect(),
    };
    if let Some(text) = doc.child_elems(doc.root, "text").next() {
        ins.walk(text);
    }
    hw = hw.max(ins.next - 1);
    let Inserter {
        mut splices,
        new_ids,
        kept,
        split,
        warnings,
        ..
    } = ins;
    if let Some(when) = &opts.record_when {
        let recorded = header.is_some_and(|h| recorded_high_water(&doc, h).is_some());
        if !new_ids.is_empty() || !recorded {
            let h = header.ok_or_else(|| doc.invalid(0, "the TEI document has no <teiHeader>"))?;
            let taken = if hw == 0 {
                "no sentence ids given yet".to_owned()
            } else {
                format!(
                    "ids up to {}.s{hw} are taken and never reused",
                    xml_escape(&opts.layer)
                )
            };
            // Same prefix as the header's, so the change is in the TEI namespace.
            let px = match &doc.nodes[h] {
                Node::Element(e) => e
                    .name
                    .rsplit_once(':')
                    .map(|(p, _)| format!("{p}:"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let change = format!(
                "<{px}change type=\"segmentation\" n=\"{hw}\" when=\"{}\">tei-align {}: {} new \
                 sentence(s), {} kept, {} split; {taken}.</{px}change>",
                xml_escape(when),
                crate::VERSION,
                new_ids.len(),
                kept,
                split.len(),
            );
            splices.push(append_change(&doc, h, &change, &px));
        }
    }
    Ok(Resegmented {
        xml: apply(src, splices),
        new_ids,
        kept,
        split,
        high_water: hw,
        warnings,
    })
}

/// A replacement of `range` by `text`; `order` sorts splices at the same offset (closing tags
/// before opening ones).
#[derive(Debug)]
struct Splice {
    range: Range<usize>,
    order: u8,
    text: String,
}

fn apply(src: &str, mut splices: Vec<Splice>) -> String {
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
fn high_water(doc: &Doc, header: Option<usize>, layer: &str) -> u64 {
    let prefix = format!("{layer}.s");
    let from_ids = doc
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => e
                .attrs
                .iter()
                .find(|(k, _)| k == "xml:id")
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
fn recorded_high_water(doc: &Doc, header: usize) -> Option<u64> {
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
fn append_change(doc: &Doc, header: usize, change: &str, px: &str) -> Splice {
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
fn append_child(doc: &Doc, i: usize, child: &str) -> Splice {
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

/// A piece of a block's content, as the splitter sees it and as it lies in the file.
#[derive(Debug)]
struct Unit {
    /// Bytes in the run's text content.
    content: Range<usize>,
    /// Bytes in the file.
    raw: Range<usize>,
    /// True when the unit cannot be entered (an element, a reference): a sentence boundary
    /// inside it moves to its edge.
    atomic: bool,
    /// The node.
    node: usize,
}

/// Inline elements that may hold `<s>` (their content model includes `model.phrase`), so a
/// sentence can be split at their edges with `@part`.
const ENTERABLE: &[&str] = &[
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
fn trim(content: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = content.get(r.clone())?;
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (lead + trail < s.len()).then(|| r.start + lead..r.end - trail)
}

struct Inserter<'d, 'a> {
    doc: &'d Doc<'a>,
    lang: String,
    layer: String,
    resplit: bool,
    next: u64,
    splices: Vec<Splice>,
    new_ids: Vec<String>,
    kept: usize,
    split: Vec<String>,
    warnings: Vec<String>,
}

impl Inserter<'_, '_> {
    fn fresh_id(&mut self) -> String {
        let id = format!("{}.s{}", self.layer, self.next);
        self.next += 1;
        self.new_ids.push(id.clone());
        id
    }

    /// Walk outside blocks, looking for blocks (and stray `<s>`).
    fn walk(&mut self, i: usize) {
        let Some(local) = self.doc.local(i) else {
            return;
        };
        if SKIP.contains(&local) || local == "teiHeader" {
            return;
        }
        if local == "s" {
            self.existing_s(i);
        } else if BLOCKS.contains(&local) {
            self.block(i);
        } else {
            self.walk_children(self.doc.children(i));
        }
    }

    /// Walk sibling nodes, taking stretches of verse together (see [`verse`]).
    fn walk_children(&mut self, children: &[usize]) {
        let mut k = 0;
        while k < children.len() {
            match self.verse_len(&children[k..]) {
                0 => {
                    self.walk(children[k]);
                    k += 1;
                }
                len => {
                    self.verse(&children[k..k + len]);
                    k += len;
                }
            }
        }
    }

    /// True when element `i` holds a block, an `<s>` or an element that may not stand in `<s>`
    /// (outside notes).
    fn holds_structure(&self, i: usize) -> bool {
        self.doc.children(i).iter().any(|&c| {
            self.doc.local(c).is_some_and(|l| {
                !SKIP.contains(&l)
                    && (l == "s"
                        || BLOCKS.contains(&l)
                        || !may_be_in_s(l)
                        || self.holds_structure(c))
            })
        })
    }

    /// The `s` prefix to use inside element `i` (`tei:` when the document uses a prefix).
    fn s_name(&self, i: usize) -> String {
        match &self.doc.nodes[i] {
            Node::Element(e) => match e.name.rsplit_once(':') {
                Some((prefix, _)) => format!("{prefix}:s"),
                None => "s".into(),
            },
            _ => "s".into(),
        }
    }

    /// Segment the content of a block (or of an inline element holding structure).
    fn block(&mut self, i: usize) {
        let s_name = self.s_name(i);
        let mut run: Vec<usize> = Vec::new();
        let children = self.doc.children(i);
        let mut k = 0;
        while k < children.len() {
            let c = children[k];
            k += 1;
            let verse = match self.doc.local(c) {
                Some("l") => self.verse_len(&children[k - 1..]),
                _ => 0,
            };
            if verse > 0 {
                let r = std::mem::take(&mut run);
                self.run(&r, &s_name, None);
                self.verse(&children[k - 1..k - 1 + verse]);
                k += verse - 1;
                continue;
            }
            // What may not stand inside `<s>` (TEI's content model: a `<stage>` in a `<p>`, a
            // `<list>`, a block) ends the run: sentences close before it and start again after.
            let structural = self.doc.local(c).is_some_and(|l| {
                !SKIP.contains(&l)
                    && (l == "s"
                        || BLOCKS.contains(&l)
                        || !may_be_in_s(l)
                        || self.holds_structure(c))
            });
            if structural {
                let r = std::mem::take(&mut run);
                self.run(&r, &s_name, None);
                match self.doc.local(c) {
                    Some("s") => self.existing_s(c),
                    // Segmented inside where `<s>` may go, else looked into for blocks.
                    Some(l) if BLOCKS.contains(&l) || may_hold_s(l) => self.block(c),
                    _ => self.walk(c),
                }
            } else {
                run.push(c);
            }
        }
        self.run(&run, &s_name, None);
    }

    /// An existing `<s>`: keep it; give it an id if it has none; split it with `resplit`.
    fn existing_s(&mut self, i: usize) {
        let doc = self.doc;
        let Node::Element(e) = &doc.nodes[i] else {
            return;
        };
        let (start, end) = (&e.start, &e.end);
        let id = match doc.attr(i, "xml:id") {
            Some(id) => {
                // Parts after the first belong to the sentence their first part opened.
                if !matches!(doc.attr(i, "part"), Some("M" | "F")) {
                    self.kept += 1;
                }
                id.to_owned()
            }
            None => {
                let id = self.fresh_id();
                let tag = &doc.src[start.clone()];
                let at = start.start + tag.trim_end_matches('>').trim_end_matches('/').len();
                self.splices.push(Splice {
                    range: at..at,
                    order: 1,
                    text: format!(" xml:id=\"{id}\""),
                });
                id
            }
        };
        if self.resplit && end.is_some() && doc.attr(i, "part").is_none() {
            let children = doc.children(i).to_vec();
            let s_name = self.s_name(i);
            self.run(&children, &s_name, Some(&id));
        }
    }

    /// The units of a run of sibling nodes and their text content; unit offsets start at `base`
    /// (the offset of the run in its block's content).
    fn build_units(&self, nodes: &[usize], base: usize) -> (Vec<Unit>, String) {
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
    fn enterable(&self, u: &Unit) -> bool {
        u.atomic
            && self
                .doc
                .local(u.node)
                .is_some_and(|l| ENTERABLE.contains(&l))
    }

    /// Split a run of sibling nodes into sentences. With `inside` (the id of the `<s>` that
    /// holds the run), only boundaries are marked: the first sentence keeps that `<s>`.
    fn run(&mut self, nodes: &[usize], s_name: &str, inside: Option<&str>) {
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
    fn place_all(
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
    fn warn_kept_whole(&mut self, node: usize) {
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
    fn emit_parts(&mut self, mut frags: Vec<(usize, Range<usize>, String)>, n: usize) {
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
    fn find_merge(&self, units: &[Unit], sents: &[Range<usize>]) -> Option<(usize, usize, usize)> {
        for u in units.iter().filter(|u| u.atomic && !u.content.is_empty()) {
            let over: Vec<usize> = (0..sents.len())
                .filter(|&i| sents[i].start < u.content.end && u.content.start < sents[i].end)
                .collect();
            let (Some(&first), Some(&last)) = (over.first(), over.last()) else {
                continue;
            };
            if first == last {
                continue;
            }
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
    fn place(
        &self,
        units: &[Unit],
        content: &str,
        sents: &[(usize, Range<usize>)],
        s_name: &str,
        frags: &mut Vec<(usize, Range<usize>, String)>,
    ) {
        let overlaps =
            |u: &Unit, r: &Range<usize>| r.start < u.content.end && u.content.start < r.end;
        let split: Vec<&Unit> = units
            .iter()
            .filter(|u| u.atomic && sents.iter().filter(|(_, r)| overlaps(u, r)).count() >= 2)
            .collect();
        for u in &split {
            let (inner, _) = self.build_units(self.doc.children(u.node), u.content.start);
            let clipped: Vec<(usize, Range<usize>)> = sents
                .iter()
                .filter(|(_, r)| overlaps(u, r))
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
            for u in split.iter().filter(|u| overlaps(u, r)) {
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
    fn gap_breaking_off(
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
            .iter()
            .find(|u| u.raw.start == file_end && u.content.is_empty())?;
        (self.doc.local(gap.node) == Some("gap")).then_some(gap.raw.end)
    }
}

/// The file offset where a sentence starting at content offset `a` starts.
fn snap_start(units: &[Unit], a: usize) -> Option<usize> {
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
fn snap_end(units: &[Unit], b: usize) -> Option<usize> {
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

/// True when `s` can be the start of an `xml:id` (an XML NCName, ASCII subset).
/// TEI forbids an `<s>` inside an `<s>`; the reader rejects it, so the inserter must not keep
/// one (it would write a file that no later command can read).
fn check_not_nested(doc: &Doc, root: usize) -> Result<(), TeiError> {
    // Iterative: a deeply nested document must not overflow the stack here.
    let mut todo = vec![(root, None::<usize>)];
    while let Some((i, mut outer)) = todo.pop() {
        if doc.local(i) == Some("s") {
            let pos = doc.range(i).start;
            if let Some(o) = outer {
                return Err(doc.invalid(
                    pos,
                    format!(
                        "<s> nested in the <s> of line {} (TEI forbids nested sentences)",
                        doc.line_of(o)
                    ),
                ));
            }
            outer = Some(pos);
        }
        todo.extend(doc.children(i).iter().rev().map(|&c| (c, outer)));
    }
    Ok(())
}

/// Whether `s` can be an `xml:id` (an XML NCName, in the simple form tei-align uses for layer,
/// sentence and agent ids: a letter or `_`, then letters, digits, `-`, `.`, `_`).
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// Escape text for XML content and attribute values (see [`super::escape`]).
pub(crate) use super::escape::markup as xml_escape;

#[cfg(test)]
mod tests {
    use super::*;

    fn tei(body: &str) -> String {
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader>\n  <revisionDesc>\n    <change>x</change>\n  </revisionDesc>\n</teiHeader><text><body>{body}</body></text></TEI>"
        )
    }

    fn opts(resplit: bool) -> SegmentOptions {
        SegmentOptions {
            layer: "en".into(),
            lang: String::new(),
            resplit,
            record_when: None,
        }
    }

    #[test]
    fn inserts_into_blocks_and_keeps_inline_markup() {
        let src = tei("<p>One <hi>two</hi>. Three<pb/> four. </p><note><p>Not me.</p></note>");
        let r = resegment(&src, "t.xml", &opts(false)).unwrap();
        assert!(r.xml.contains(
            "<p><s xml:id=\"en.s1\">One <hi>two</hi>.</s> <s xml:id=\"en.s2\">Three<pb/> four.</s> </p><note><p>Not me.</p></note>"
        ), "{}", r.xml);
        assert_eq!(r.new_ids, ["en.s1", "en.s2"]);
    }

    #[test]
    fn a_sentence_breaking_off_mid_word_holds_its_gap() {
        let src = tei("<p>One. Two bro<gap reason=\"lost\"><desc>Cut.</desc></gap></p>");
        let r = resegment(&src, "t.xml", &opts(false)).unwrap();
        assert!(
            r.xml.contains(
                "<s xml:id=\"en.s2\">Two bro<gap reason=\"lost\"><desc>Cut.</desc></gap></s></p>"
            ),
            "{}",
            r.xml
        );
        let path = std::path::Path::new("t.xml");
        let layer = crate::tei::reader::parse_layer(&r.xml, path, "en").unwrap();
        assert_eq!(layer.sentences[1].text, "Two bro");
        assert!(layer.is_truncated(1) && !layer.is_truncated(0));
        // After a complete sentence, or after a space, the gap stands between sentences.
        for body in ["<p>One. Two.<gap/></p>", "<p>One. Two <gap/></p>"] {
            let r = resegment(&tei(body), "t.xml", &opts(false)).unwrap();
            assert!(
                r.xml.contains("</s><gap/>") || r.xml.contains("</s> <gap/>"),
                "{}",
                r.xml
            );
            let layer = crate::tei::reader::parse_layer(&r.xml, path, "en").unwrap();
            assert!(!layer.is_truncated(1) && layer.gaps.len() == 1);
        }
    }

    #[test]
    fn boundary_inside_inline_splits_with_parts() {
        let src = tei("<p>One <hi>two. Three</hi> four. <unclear>Five. Six</unclear> seven.</p>");
        let r = resegment(&src, "t.xml", &opts(false)).unwrap();
        assert!(
            r.xml.contains(
                "<p><s xml:id=\"en.s1\" part=\"I\">One</s> <hi><s xml:id=\"en.s1.2\" part=\"F\">two.</s> \
                 <s xml:id=\"en.s2\" part=\"I\">Three</s></hi> <s xml:id=\"en.s2.2\" part=\"F\">four.</s> \
                 <s xml:id=\"en.s3\"><unclear>Five. Six</unclear> seven.</s></p>"
            ),
            "{}",
            r.xml
        );
        assert_eq!(r.new_ids, ["en.s1", "en.s2", "en.s3"]);
        // <unclear> is not known to hold <s>: kept whole, with a warning.
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("<unclear>"), "{:?}", r.warnings);
        // The reader joins the parts into one sentence each.
        let l =
            super::super::reader::parse_layer(&r.xml, std::path::Path::new("t.xml"), "en").unwrap();
        let texts: Vec<&str> = l.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["One two.", "Three four.", "Five. Six seven."]);
        let ids: Vec<&str> = l.sentences.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["en.s1", "en.s2", "en.s3"]);
    }

    #[test]
    fn parts_nest_through_several_inline_levels() {
        let src = tei("<p>A <hi>big <name>Cat. Dogs</name> eat</hi>. Fish<hi>es</hi> swim.</p>");
        let r = resegment(&src, "t.xml", &opts(false)).unwrap();
        let l =
            super::super::reader::parse_layer(&r.xml, std::path::Path::new("t.xml"), "en").unwrap();
        let texts: Vec<&str> = l.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["A big Cat.", "Dogs eat.", "Fishes swim."],
            "{}",
            r.xml
        );
        assert!(r.xml.contains("<name><s xml:id=\"en.s1.3\" part=\"F\">Cat.</s> <s xml:id=\"en.s2\" part=\"I\">Dogs</s></name>"), "{}", r.xml);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn keeps_existing_ids_and_never_reuses_deleted_ones() {
        // en.s3 was deleted by an editor; the mark recorded 3, so the new sentence is en.s4.
        let src = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader><revisionDesc><change type=\"segmentation\" n=\"3\" when=\"2026-01-01\">x</change></revisionDesc></teiHeader><text><body><p><s xml:id=\"en.s1\">Kept one.</s> Added here. <s xml:id=\"en.s2\">Kept two. Now two.</s></p></body></text></TEI>";
        let mut o = opts(false);
        o.record_when = Some("2026-02-02".into());
        let r = resegment(src, "t.xml", &o).unwrap();
        assert_eq!(r.new_ids, ["en.s4"]);
        assert_eq!(r.kept, 2);
        assert!(r.xml.contains("<s xml:id=\"en.s1\">Kept one.</s> <s xml:id=\"en.s4\">Added here.</s> <s xml:id=\"en.s2\">Kept two. Now two.</s>"), "{}", r.xml);
        assert!(
            r.xml
                .contains("<change type=\"segmentation\" n=\"4\" when=\"2026-02-02\">"),
            "{}",
            r.xml
        );
        // With resplit, the second part of en.s2 gets a new id and en.s2 keeps the first.
        let again = resegment(&r.xml, "t.xml", &SegmentOptions { resplit: true, ..o }).unwrap();
        assert_eq!(again.new_ids, ["en.s5"]);
        assert_eq!(again.split, ["en.s2"]);
        assert!(
            again
                .xml
                .contains("<s xml:id=\"en.s2\">Kept two.</s> <s xml:id=\"en.s5\">Now two.</s>"),
            "{}",
            again.xml
        );
        assert!(again.xml.contains("n=\"5\""));
        // Nothing new: no change is recorded a second time.
        let third = resegment(
            &again.xml,
            "t.xml",
            &SegmentOptions {
                resplit: true,
                ..opts(false)
            },
        )
        .unwrap();
        assert!(third.new_ids.is_empty());
        assert_eq!(third.xml, again.xml);
    }

    #[test]
    fn s_without_id_gets_one_and_change_is_appended() {
        let src = tei("<p><s xml:id=\"en.s1\">A.</s><s>B.</s></p>");
        let mut o = opts(false);
        o.record_when = Some("2026-03-03".into());
        let r = resegment(&src, "t.xml", &o).unwrap();
        assert!(r.xml.contains("<s xml:id=\"en.s2\">B.</s>"), "{}", r.xml);
        assert!(
            r.xml
                .contains("<change>x</change>\n    <change type=\"segmentation\" n=\"2\""),
            "{}",
            r.xml
        );
    }

    #[test]
    fn prefixed_documents_and_list_change() {
        let src = "<tei:TEI xmlns:tei=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><tei:teiHeader><tei:revisionDesc><tei:listChange><tei:change>a</tei:change></tei:listChange></tei:revisionDesc></tei:teiHeader><tei:text><tei:body><tei:p>One. Two.</tei:p></tei:body></tei:text></tei:TEI>";
        let mut o = opts(false);
        o.record_when = Some("2026-04-04".into());
        // The root is TEI in the TEI namespace, whatever its prefix.
        let r = resegment(src, "t.xml", &o).unwrap();
        assert!(r.xml.contains("<tei:p><tei:s xml:id=\"en.s1\">One.</tei:s> <tei:s xml:id=\"en.s2\">Two.</tei:s></tei:p>"), "{}", r.xml);
        // The change goes into the listChange.
        assert!(
            r.xml
                .contains("<tei:change>a</tei:change><tei:change type=\"segmentation\" n=\"2\""),
            "{}",
            r.xml
        );
    }

    #[test]
    fn empty_revision_desc_and_header_get_the_change() {
        let src = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><revisionDesc/></teiHeader><text><body><p>One.</p></body></text></TEI>";
        let mut o = opts(false);
        o.record_when = Some("2026-04-04".into());
        let r = resegment(src, "t.xml", &o).unwrap();
        assert!(
            r.xml.contains(
                "<revisionDesc><change type=\"segmentation\" n=\"1\" when=\"2026-04-04\">"
            ),
            "{}",
            r.xml
        );
        let src = src.replace("<revisionDesc/>", "");
        let r = resegment(&src, "t.xml", &o).unwrap();
        assert!(
            r.xml.contains("<teiHeader><revisionDesc><change"),
            "{}",
            r.xml
        );
        assert!(r.xml.contains("</revisionDesc></teiHeader>"), "{}", r.xml);
    }

    #[test]
    fn rejects_non_tei_and_bad_layer_ids() {
        let e = resegment("<html/>", "t.xml", &opts(false)).unwrap_err();
        assert!(e.to_string().contains("not a TEI document"), "{e}");
        let mut o = opts(false);
        o.layer = "1 bad".into();
        let e = resegment(&tei("<p>A.</p>"), "t.xml", &o).unwrap_err();
        assert!(e.to_string().contains("layer id"), "{e}");
    }
}
