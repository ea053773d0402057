//! Inserting `<s xml:id>` into a TEI document without disturbing anything else, and
//! re-segmenting an edited layer with stable ids.
//!
//! The document is parsed into a tree that knows the byte range of every node
//! (`tei::dom`); new tags are spliced into the original text, so every other element,
//! attribute, comment, processing instruction, entity reference and character stays byte for
//! byte where it was.
//!
//! This file walks the document and handles existing `<s>`; `place` maps a block's sentences
//! onto the file (parts at element edges), `verse` takes lines together, `splice` holds the
//! edits and the high-water mark in the header.
//!
//! ## Where sentences go
//! Text-bearing blocks (`p`, `head`, `salute`, `signed`, `item`, `ab`, `l`, … see
//! `tei::reader::BLOCKS`) are split with [`crate::segment::split`] on their text content
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
//! Sibling lines of verse (`<l>`) are split as one text, a sentence over lines written as parts
//! inside each line (`verse`, docs/segmentation.md).
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

mod place;
mod splice;
mod verse;

use place::Unit;
use splice::{Splice, append_change, apply, high_water, recorded_high_water};

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
    check_root_and_layer(&doc, &opts.layer)?;
    let (lang, lang_warning) = language(&doc, path, &opts.lang);
    let header = doc.child_elems(doc.root, "teiHeader").next();
    let hw = high_water(&doc, header, &opts.layer);
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
    let Inserter {
        mut splices,
        new_ids,
        kept,
        split,
        warnings,
        next,
        ..
    } = ins;
    let mut out = Resegmented {
        xml: String::new(),
        new_ids,
        kept,
        split,
        high_water: hw.max(next - 1),
        warnings,
    };
    if let Some(when) = &opts.record_when {
        splices.extend(segmentation_change(&doc, header, &opts.layer, when, &out)?);
        splices.extend(declared_language(&doc, &opts.lang));
    }
    out.xml = apply(src, splices);
    Ok(out)
}

/// The document is TEI, and `layer` can start an `xml:id`.
fn check_root_and_layer(doc: &Doc, layer: &str) -> Result<(), TeiError> {
    if doc.local(doc.root) != Some("TEI") {
        return Err(doc.invalid(
            doc.range(doc.root).start,
            format!(
                "not a TEI document: the root element is <{}>, not <TEI>",
                doc.local(doc.root).unwrap_or("")
            ),
        ));
    }
    if layer.is_empty() || !is_ncname(layer) {
        return Err(doc.invalid(
            0,
            format!(
                "layer id \"{layer}\" cannot start an xml:id (use letters, digits, '-', '.', '_')"
            ),
        ));
    }
    Ok(())
}

/// The language to split in (`lang`, else the root's `xml:lang`), and a warning when the
/// declared code is one the splitter cannot read.
fn language(doc: &Doc, path: &str, lang: &str) -> (String, Option<String>) {
    if !lang.is_empty() {
        return (lang.to_owned(), None);
    }
    // The reader's rule: the root's language, else the text's.
    let declared = doc
        .attr(doc.root, "xml:lang")
        .or_else(|| {
            let text = doc.child_elems(doc.root, "text").next()?;
            doc.attr(text, "xml:lang")
        })
        .unwrap_or("");
    // The file is the user's: its header is not ours to change, but a code the splitter
    // cannot read (and TEI does not accept) should not pass in silence.
    let warning = match crate::segment::check_lang(declared) {
        _ if declared.is_empty() => Some(format!(
            "{path}: the file declares no language (TEI/@xml:lang) and none was given: the \
             generic sentence rules were used and the layer has no language; give --lang"
        )),
        Err(e) => Some(format!(
            "{path}: TEI/@xml:lang {e}; TEI validators will reject it (the header is left as it is)"
        )),
        Ok(_) => None,
    };
    (declared.to_owned(), warning)
}

/// `xml:lang` on the root for the language given (`import --lang`) to a TEI file that declares
/// none (pandoc's TEI writer, a hand-made file): the reader takes a layer's language from the
/// file, so without it the layer had none (the edition wrote `lang=""`).
fn declared_language(doc: &Doc, lang: &str) -> Option<Splice> {
    let text = doc.child_elems(doc.root, "text").next();
    let declared = doc.attr(doc.root, "xml:lang").is_some()
        || text.is_some_and(|t| doc.attr(t, "xml:lang").is_some());
    let Node::Element(e) = &doc.nodes[doc.root] else {
        return None;
    };
    if lang.is_empty() || declared {
        return None;
    }
    // At the end of the start tag, after the namespace declarations (never self-closing: the
    // root holds the text).
    let at = e.start.end - 1;
    Some(Splice {
        range: at..at,
        order: 0,
        text: format!(" xml:lang=\"{}\"", xml_escape(lang)),
    })
}

/// The `<change type="segmentation">` recording this run and the high-water mark, when there is
/// something to record: new ids, or a mark not yet in the header.
fn segmentation_change(
    doc: &Doc,
    header: Option<usize>,
    layer: &str,
    when: &str,
    done: &Resegmented,
) -> Result<Option<Splice>, TeiError> {
    let recorded = header.is_some_and(|h| recorded_high_water(doc, h).is_some());
    if done.new_ids.is_empty() && recorded {
        return Ok(None);
    }
    let h = header.ok_or_else(|| doc.invalid(0, "the TEI document has no <teiHeader>"))?;
    let hw = done.high_water;
    let taken = if hw == 0 {
        "no sentence ids given yet".to_owned()
    } else {
        format!(
            "ids up to {}.s{hw} are taken and never reused",
            xml_escape(layer)
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
        done.new_ids.len(),
        done.kept,
        done.split.len(),
    );
    Ok(Some(append_change(doc, h, &change, &px)))
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
