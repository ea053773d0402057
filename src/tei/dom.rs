//! A small read-only tree over an XML document that remembers the byte range of every node in the
//! original text. The reader walks it; the `<s>` inserter splices new tags into the original bytes
//! at these offsets, so everything it does not touch stays byte for byte.

use super::TeiError;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::borrow::Cow;
use std::ops::Range;

/// The deepest element nesting accepted (see [`Doc::parse`]).
pub(crate) const MAX_DEPTH: usize = 1000;

/// An element: its start tag (or the whole empty tag), end tag, attributes and children.
#[derive(Debug, Clone)]
pub(crate) struct Elem<'a> {
    /// Qualified name as written (`tei:p`, `p`).
    pub name: &'a str,
    /// Attributes as (qualified name, unescaped value). Names, and values that need no
    /// unescaping (nearly all), are slices of the source: an alignment file of 50k links has
    /// 600k attributes, and a string allocated for each was most of the cost of reading it.
    pub attrs: Vec<(&'a str, Cow<'a, str>)>,
    /// Bytes of the start tag (or of the empty-element tag).
    pub start: Range<usize>,
    /// Bytes of the end tag; `None` for an empty-element tag.
    pub end: Option<Range<usize>>,
    /// Child node indices.
    pub children: Vec<usize>,
}

/// One node of the tree.
///
/// Elements are boxed so that a node is 40 bytes, not 120: a long book has millions of text
/// nodes (a sentence and the space after it are two), and they dominated the memory of reading
/// it (a 2-million-sentence layer took 1.7 GB).
#[derive(Debug, Clone)]
pub(crate) enum Node<'a> {
    /// An element.
    Element(Box<Elem<'a>>),
    /// Character data as written (no references inside: they are [`Node::Ref`]).
    Text {
        /// Bytes in the source.
        raw: Range<usize>,
    },
    /// A CDATA section; `content` is the part between `<![CDATA[` and `]]>`.
    CData {
        /// Bytes of the whole section.
        raw: Range<usize>,
        /// Bytes of its content.
        content: Range<usize>,
    },
    /// An entity or character reference and what it stands for (empty when unknown).
    Ref {
        /// Bytes of the reference (`&amp;`).
        raw: Range<usize>,
        /// Its replacement text.
        text: Box<str>,
    },
    /// Comments, processing instructions, the XML declaration, the doctype.
    Other {
        /// Bytes in the source.
        raw: Range<usize>,
    },
}

/// What [`Doc::parse`] keeps between events.
#[derive(Default)]
struct ParseState {
    /// Lenient about entities (HTML input).
    html: bool,
    /// Open elements.
    stack: Vec<usize>,
    /// Nodes outside the root element (and the root).
    top: Vec<usize>,
    /// Whether the root element has started.
    root_seen: bool,
    /// The document type's declarations.
    dtd: Option<super::wf::Dtd>,
    /// Entities expanded so far.
    expanded: std::collections::HashMap<String, String>,
    /// Bytes of text all entity references expanded to.
    total: usize,
}

/// Whether `name` is a qualified XML name: an NCName, or two joined by one colon.
fn is_qname(name: &str) -> bool {
    match name.split_once(':') {
        Some((p, l)) => super::wf::is_ncname(p) && super::wf::is_ncname(l),
        None => super::wf::is_ncname(name),
    }
}

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    /// The source text.
    pub src: &'a str,
    /// All nodes; children refer to them by index.
    pub nodes: Vec<Node<'a>>,
    /// The root element's index.
    pub root: usize,
    /// Byte offsets where each line starts (for line:column in messages).
    line_starts: Vec<usize>,
    /// The file name used in messages.
    pub path: String,
}

impl<'a> Doc<'a> {
    /// Parse `src` as XML 1.0; `path` names the file in error messages. Every
    /// well-formedness error is refused with its line and column (see [`super::wf`]); entities
    /// declared in the internal subset are expanded in the text of [`Node::Ref`]s.
    pub fn parse(src: &'a str, path: &str) -> Result<Doc<'a>, TeiError> {
        Self::parse_with(src, path, false)
    }

    /// Like [`Doc::parse`], for the simple HTML `import` reads: entity references XML does not
    /// define (`&nbsp;`) are kept with an empty text for the caller to resolve.
    pub(crate) fn parse_html(src: &'a str, path: &str) -> Result<Doc<'a>, TeiError> {
        Self::parse_with(src, path, true)
    }

    fn parse_with(src: &'a str, path: &str, html: bool) -> Result<Doc<'a>, TeiError> {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut doc = Doc {
            src,
            nodes: Vec::new(),
            root: usize::MAX,
            line_starts,
            path: path.to_owned(),
        };
        // quick-xml lets control characters through; a file holding one is not XML, and a
        // layer written from it could not be read by any other XML tool.
        super::check_xml_chars(src, path)?;
        // quick-xml skips a byte-order mark without counting it in its positions, which would
        // shift every byte range (and so every `<s>` splice) by three bytes. Parse what follows
        // the mark and add its length: the mark itself stays in the file untouched.
        let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
        let mut reader = Reader::from_str(&src[bom..]);
        reader.config_mut().check_end_names = true;
        reader.config_mut().check_comments = true;
        let mut st = ParseState {
            html,
            ..ParseState::default()
        };
        loop {
            let before = reader.buffer_position() as usize + bom;
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    return Err(
                        doc.xml_error(reader.error_position() as usize + bom, &e.to_string())
                    );
                }
            };
            let after = reader.buffer_position() as usize + bom;
            if matches!(event, Event::Eof) {
                break;
            }
            doc.event(event, before..after, bom, &mut st)?;
        }
        doc.finish(&st)?;
        Ok(doc)
    }

    /// Add one event's node to the tree, checking what quick-xml does not.
    fn event(
        &mut self,
        event: Event<'_>,
        raw: Range<usize>,
        bom: usize,
        st: &mut ParseState,
    ) -> Result<(), TeiError> {
        let (before, after) = (raw.start, raw.end);
        let outside = st.stack.is_empty();
        let node = match event {
            Event::Start(ref e) => return self.element(e, true, raw, st),
            Event::Empty(ref e) => return self.element(e, false, raw, st),
            Event::End(_) => {
                self.end_tag(raw, st);
                return Ok(());
            }
            Event::Text(_) => {
                let text = &self.src[before..after];
                if let Some(k) = text.find("]]>") {
                    return Err(self.xml_error(
                        before + k,
                        "\"]]>\" in text (write \"]]&gt;\"): it may only end a CDATA section",
                    ));
                }
                if outside && !text.trim().is_empty() {
                    return Err(self.xml_error(before, "text outside the root element"));
                }
                Node::Text { raw }
            }
            Event::CData(_) => {
                if outside {
                    return Err(self.xml_error(before, "CDATA outside the root element"));
                }
                Node::CData {
                    raw,
                    content: (before + 9).min(after)..after.saturating_sub(3).max(before),
                }
            }
            Event::GeneralRef(ref r) => {
                if outside {
                    return Err(self.xml_error(before, "a reference outside the root element"));
                }
                let name = r.as_ref().to_owned();
                let text = self.reference(&name, before, st)?;
                Node::Ref {
                    raw,
                    text: text.into_boxed_str(),
                }
            }
            Event::Decl(ref d) => self.declaration(d.as_ref(), raw, bom)?,
            Event::PI(_) => self.processing_instruction(raw)?,
            Event::DocType(_) => self.doctype(raw, st)?,
            Event::Comment(_) => Node::Other { raw },
            Event::Eof => return Ok(()),
        };
        self.push(node, st);
        Ok(())
    }

    /// A start tag or an empty-element tag: its element, checked, added to the tree.
    fn element(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        is_start: bool,
        raw: Range<usize>,
        st: &mut ParseState,
    ) -> Result<(), TeiError> {
        let (before, after) = (raw.start, raw.end);
        let outside = st.stack.is_empty();
        if outside && st.root_seen {
            return Err(self.xml_error(before, "a second root element"));
        }
        let name = self.slice_of(e.name().as_ref());
        if !is_qname(name) {
            return Err(self.xml_error(before, &format!("<{name}> is not an XML name")));
        }
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.xml_error(before, &err.to_string()))?;
            let key = self.slice_of(a.key.as_ref());
            if !is_qname(key) {
                return Err(self.xml_error(
                    before,
                    &format!("attribute name \"{key}\" is not an XML name"),
                ));
            }
            let value = self.attr_value(&a.value, key, before, st)?;
            attrs.push((key, value));
        }
        // A Vec grows to room for four at its first push: 200 bytes for the one attribute of
        // every `<s>`, most of a long book's memory.
        attrs.shrink_to_fit();
        let idx = self.push(
            Node::Element(Box::new(Elem {
                name,
                attrs,
                start: before..after,
                end: None,
                children: Vec::new(),
            })),
            st,
        );
        if outside {
            st.root_seen = true;
        }
        if is_start {
            st.stack.push(idx);
            // The tree is walked recursively; a pathological depth would overflow the stack (a
            // crash) instead of giving an error. Real TEI nests a few dozen levels at most.
            if st.stack.len() > MAX_DEPTH {
                return Err(self.xml_error(
                    before,
                    &format!("elements nested more than {MAX_DEPTH} deep"),
                ));
            }
        }
        Ok(())
    }

    /// An end tag closes the open element (check_end_names guarantees that they match).
    fn end_tag(&mut self, raw: Range<usize>, st: &mut ParseState) {
        if let Some(idx) = st.stack.pop()
            && let Node::Element(e) = &mut self.nodes[idx]
        {
            e.end = Some(raw);
            e.children.shrink_to_fit();
        }
    }

    /// The XML declaration, which may only open the file.
    fn declaration(&self, decl: &str, raw: Range<usize>, bom: usize) -> Result<Node<'a>, TeiError> {
        if raw.start != bom {
            return Err(self.xml_error(
                raw.start,
                "an XML declaration (<?xml …?>) is allowed only at the very start of the file",
            ));
        }
        self.check_decl(decl, raw.start)?;
        Ok(Node::Other { raw })
    }

    /// A processing instruction, whose target may not be `xml` in any case.
    fn processing_instruction(&self, raw: Range<usize>) -> Result<Node<'a>, TeiError> {
        let target = self.src[raw.start + 2..raw.end]
            .split(|c: char| c.is_whitespace() || c == '?')
            .next()
            .unwrap_or("");
        if target.eq_ignore_ascii_case("xml") {
            return Err(self.xml_error(
                raw.start,
                "an XML declaration (<?xml …?>) is allowed only at the very start of the file",
            ));
        }
        Ok(Node::Other { raw })
    }

    /// The document type declaration: once, before the root element; its declarations are
    /// kept for the entity references that follow.
    fn doctype(&self, raw: Range<usize>, st: &mut ParseState) -> Result<Node<'a>, TeiError> {
        if !st.stack.is_empty() || st.root_seen || st.dtd.is_some() {
            return Err(self.xml_error(
                raw.start,
                "a document type declaration (<!DOCTYPE …>) must come once, before the root \
                 element",
            ));
        }
        let dtd = super::wf::Dtd::parse(&self.src[raw.clone()])
            .map_err(|(k, m)| self.xml_error(raw.start + k, &m))?;
        st.dtd = Some(dtd);
        Ok(Node::Other { raw })
    }

    /// The text an entity or character reference stands for.
    fn reference(&self, name: &str, pos: usize, st: &mut ParseState) -> Result<String, TeiError> {
        if let Some(num) = name.strip_prefix('#') {
            return super::wf::char_ref(num)
                .map(String::from)
                .map_err(|m| self.xml_error(pos, &m));
        }
        if let Some(p) = super::wf::predefined(name) {
            return Ok(p.to_owned());
        }
        let declared = st
            .dtd
            .as_ref()
            .is_some_and(|d| d.entities.contains_key(name));
        if st.html && !declared {
            // An HTML named entity: the caller resolves it.
            return Ok(String::new());
        }
        if let Some(t) = st.expanded.get(name) {
            st.total += t.len();
        } else {
            let dtd = st.dtd.take().unwrap_or_default();
            let t = dtd.expand(name);
            st.dtd = Some(dtd);
            let t = t.map_err(|m| self.xml_error(pos, &m))?;
            st.total += t.len();
            st.expanded.insert(name.to_owned(), t);
        }
        if st.total > super::wf::MAX_TOTAL_EXPANSION {
            return Err(self.xml_error(
                pos,
                "entity references expand to more text than tei-align reads (a \"billion \
                 laughs\" document?)",
            ));
        }
        Ok(st.expanded.get(name).cloned().unwrap_or_default())
    }

    /// An attribute's value as XML normalises it: references expanded, white space characters
    /// as spaces; `<` and references XML does not allow are errors.
    fn attr_value(
        &self,
        raw: &str,
        key: &str,
        pos: usize,
        st: &mut ParseState,
    ) -> Result<Cow<'a, str>, TeiError> {
        if raw.contains('<') {
            return Err(self.xml_error(
                pos,
                &format!("'<' in the value of attribute {key} (write &lt;)"),
            ));
        }
        if !raw.contains(['&', '\t', '\n', '\r']) {
            return Ok(match self.within(raw) {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(raw.to_owned()),
            });
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(k) = rest.find(['&', '\t', '\n', '\r']) {
            out.push_str(&rest[..k]);
            if rest[k..].starts_with('&') {
                let r = &rest[k + 1..];
                let end = r.find(';').ok_or_else(|| {
                    self.xml_error(pos, &format!("'&' without ';' in attribute {key}"))
                })?;
                let name = &r[..end];
                if st.html && !name.starts_with('#') && super::wf::predefined(name).is_none() {
                    out.push_str(&rest[k..k + end + 2]);
                } else {
                    out.push_str(&self.reference(name, pos, st)?);
                }
                rest = &r[end + 1..];
            } else {
                out.push(' ');
                rest = &rest[k + 1..];
            }
        }
        out.push_str(rest);
        Ok(Cow::Owned(out))
    }

    /// `s` as a slice of the source with the source's lifetime, when it lies in the source
    /// (quick-xml hands names and values out borrowed from the event, though they are the
    /// source's bytes).
    fn within(&self, s: &str) -> Option<&'a str> {
        let start = (s.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        // Two live allocations never overlap: a range inside the source's is the source.
        let found = self.src.get(start..start.checked_add(s.len())?)?;
        (found.as_ptr() == s.as_ptr()).then_some(found)
    }

    /// A name as a slice of the source (see [`Doc::within`]); empty (not a name, refused by
    /// the caller) for one that is not the source's.
    fn slice_of(&self, s: &str) -> &'a str {
        self.within(s).unwrap_or("")
    }

    /// The XML declaration: the text is read as UTF-8 (a file in another encoding was decoded
    /// and its declaration relabelled by [`crate::fsutil::read_text`]), so any other encoding
    /// declared is untrue.
    fn check_decl(&self, decl: &str, pos: usize) -> Result<(), TeiError> {
        if let Some((enc, col)) = crate::fsutil::pseudo_attr(decl, "encoding") {
            let e = enc.to_ascii_lowercase();
            if e != "utf-8" && e != "utf8" {
                return Err(self.xml_error(
                    pos + 2 + col - 1,
                    &format!(
                        "declares encoding \"{enc}\" but the text is UTF-8; correct the \
                         declaration to encoding=\"UTF-8\""
                    ),
                ));
            }
        }
        Ok(())
    }

    /// After the last event: every element closed, exactly one root.
    fn finish(&mut self, st: &ParseState) -> Result<(), TeiError> {
        let src = self.src;
        if let Some(&open) = st.stack.last() {
            let (name, pos) = match &self.nodes[open] {
                Node::Element(e) => (e.name, e.start.start),
                _ => ("", 0),
            };
            return Err(self.xml_error(
                src.len(),
                &format!(
                    "unexpected end of file: <{name}> opened at line {} is not closed",
                    self.line_col(pos).0
                ),
            ));
        }
        let roots: Vec<usize> = st
            .top
            .iter()
            .copied()
            .filter(|&i| matches!(self.nodes[i], Node::Element(_)))
            .collect();
        match roots.as_slice() {
            [r] => self.root = *r,
            [] => return Err(self.xml_error(src.len(), "no root element")),
            [_, second, ..] => {
                let pos = self.range(*second).start;
                return Err(self.xml_error(pos, "a second root element"));
            }
        }
        Ok(())
    }

    fn push(&mut self, node: Node<'a>, st: &mut ParseState) -> usize {
        let idx = self.nodes.len();
        self.nodes.push(node);
        match st.stack.last() {
            Some(&parent) => {
                if let Node::Element(e) = &mut self.nodes[parent] {
                    e.children.push(idx);
                }
            }
            None => st.top.push(idx),
        }
        idx
    }

    /// 1-based line of a byte offset (cheap: no column count).
    pub(crate) fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos.min(self.src.len()))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.src.len());
        let line = self.line_starts.partition_point(|&s| s <= pos);
        let start = self.line_starts[line.saturating_sub(1)];
        let mut p = pos;
        while !self.src.is_char_boundary(p) {
            p -= 1;
        }
        (line, self.src[start..p].chars().count() + 1)
    }

    /// A malformed-XML error at a byte offset.
    pub(crate) fn xml_error(&self, pos: usize, message: &str) -> TeiError {
        let (line, column) = self.line_col(pos);
        TeiError::Xml {
            path: self.path.clone(),
            line,
            column,
            message: message.to_owned(),
        }
    }

    /// An invalid-layer error at a byte offset.
    pub fn invalid(&self, pos: usize, message: impl Into<String>) -> TeiError {
        TeiError::Invalid {
            path: self.path.clone(),
            line: self.line_of(pos),
            message: message.into(),
        }
    }

    /// The whole byte range of a node (start tag to end tag for elements).
    pub fn range(&self, i: usize) -> Range<usize> {
        match &self.nodes[i] {
            Node::Element(e) => e.start.start..e.end.as_ref().map_or(e.start.end, |x| x.end),
            Node::Text { raw } | Node::CData { raw, .. } | Node::Ref { raw, .. } => raw.clone(),
            Node::Other { raw } => raw.clone(),
        }
    }

    /// The local name of an element (without prefix), or `None` for other nodes.
    pub fn local(&self, i: usize) -> Option<&str> {
        match &self.nodes[i] {
            Node::Element(e) => Some(e.name.rsplit(':').next().unwrap_or(e.name)),
            _ => None,
        }
    }

    /// An attribute of an element by qualified name.
    pub fn attr(&self, i: usize, key: &str) -> Option<&str> {
        match &self.nodes[i] {
            Node::Element(e) => e
                .attrs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_ref()),
            _ => None,
        }
    }

    /// The children of an element (empty for other nodes).
    pub fn children(&self, i: usize) -> &[usize] {
        match &self.nodes[i] {
            Node::Element(e) => &e.children,
            _ => &[],
        }
    }

    /// The child elements with this local name.
    pub(crate) fn child_elems<'s>(
        &'s self,
        i: usize,
        local: &'s str,
    ) -> impl Iterator<Item = usize> + 's {
        self.children(i)
            .iter()
            .copied()
            .filter(move |&c| self.local(c) == Some(local))
    }

    /// The first descendant element (depth first, `i` excluded) with this local name.
    pub fn find(&self, i: usize, local: &str) -> Option<usize> {
        for &c in self.children(i) {
            if self.local(c) == Some(local) {
                return Some(c);
            }
            if let Some(f) = self.find(c, local) {
                return Some(f);
            }
        }
        None
    }

    /// The text content of a node; `skip` names elements whose content is left out (notes).
    pub fn text(&self, i: usize, skip: &[&str], out: &mut String) {
        match &self.nodes[i] {
            Node::Element(e) => {
                let local = self.local(i).unwrap_or("");
                if skip.contains(&local) {
                    return;
                }
                // A line, page or column break is white space ("One.<lb/>Two." is two
                // sentences, "One<lb/>two" two words), unless it is marked as inside a word.
                if matches!(local, "lb" | "pb" | "cb")
                    && !matches!(self.attr(i, "break"), Some("no" | "false"))
                {
                    out.push(' ');
                    return;
                }
                for &c in &e.children {
                    self.text(c, skip, out);
                }
            }
            Node::Text { raw } => out.push_str(&self.src[raw.clone()]),
            Node::CData { content, .. } => out.push_str(&self.src[content.clone()]),
            Node::Ref { text, .. } => out.push_str(text),
            Node::Other { .. } => {}
        }
    }

    /// [`Doc::text`] of the nodes of `i` that start at byte `from` or later: the text after a
    /// point inside `i` (after a `<gap>` in a sentence).
    pub(crate) fn text_from(&self, i: usize, from: usize, skip: &[&str], out: &mut String) {
        let Node::Element(e) = &self.nodes[i] else {
            if self.range(i).start >= from {
                self.text(i, skip, out);
            }
            return;
        };
        if self.range(i).start >= from {
            self.text(i, skip, out);
            return;
        }
        if skip.contains(&self.local(i).unwrap_or("")) {
            return;
        }
        for &c in &e.children {
            if self.range(c).end > from {
                self.text_from(c, from, skip, out);
            }
        }
    }

    /// The text content with white space normalised to single spaces.
    pub(crate) fn norm_text(&self, i: usize, skip: &[&str]) -> String {
        let mut s = String::new();
        self.text(i, skip, &mut s);
        normalize_ws(&s)
    }
}

/// Collapse runs of white space to one space and trim.
pub(crate) fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_source_bytes() {
        let src = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\"><b>t&amp;u</b><c/><!-- k --></a>\n";
        let doc = Doc::parse(src, "t.xml").unwrap();
        assert_eq!(doc.local(doc.root), Some("a"));
        assert_eq!(doc.attr(doc.root, "x"), Some("1 & 2"));
        assert_eq!(
            &src[doc.range(doc.root)],
            "<a x=\"1 &amp; 2\"><b>t&amp;u</b><c/><!-- k --></a>"
        );
        let b = doc.find(doc.root, "b").unwrap();
        assert_eq!(doc.norm_text(b, &[]), "t&u");
        let c = doc.find(doc.root, "c").unwrap();
        assert_eq!(&src[doc.range(c)], "<c/>");
    }

    #[test]
    fn a_node_stays_small() {
        // Millions of nodes in a long book: the size of one is the memory of reading it.
        assert!(
            std::mem::size_of::<Node>() <= 40,
            "{}",
            std::mem::size_of::<Node>()
        );
    }

    #[test]
    fn pathological_nesting_is_an_error_not_a_stack_overflow() {
        let n = MAX_DEPTH + 1;
        let src = format!("<a>{}x{}</a>", "<b>".repeat(n), "</b>".repeat(n));
        match Doc::parse(&src, "deep.xml") {
            Err(TeiError::Xml { message, line, .. }) => {
                assert!(message.contains("nested more than"), "{message}");
                assert_eq!(line, 1);
            }
            other => panic!("expected an XML error, got {other:?}"),
        }
        let ok = format!("<a>{}x{}</a>", "<b>".repeat(50), "</b>".repeat(50));
        assert!(Doc::parse(&ok, "ok.xml").is_ok());
    }

    #[test]
    fn errors_give_line_and_column() {
        let src = "<a>\n  <b>\n  </c>\n</a>";
        match Doc::parse(src, "t.xml") {
            Err(TeiError::Xml { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected an XML error, got {other:?}"),
        }
        match Doc::parse("<a>\n<b>", "t.xml") {
            Err(TeiError::Xml { message, .. }) => assert!(message.contains("not closed")),
            other => panic!("expected an XML error, got {other:?}"),
        }
    }
}
