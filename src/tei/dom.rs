//! A small read-only tree over an XML document that remembers the byte range of every node in the
//! original text. The reader walks it; the `<s>` inserter splices new tags into the original bytes
//! at these offsets, so everything it does not touch stays byte for byte.

use super::TeiError;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::ops::Range;

/// The deepest element nesting accepted (see [`Doc::parse`]).
pub(crate) const MAX_DEPTH: usize = 1000;

/// An element: its start tag (or the whole empty tag), end tag, attributes and children.
#[derive(Debug, Clone)]
pub(crate) struct Elem {
    /// Qualified name as written (`tei:p`, `p`).
    pub name: String,
    /// Attributes as (qualified name, unescaped value).
    pub attrs: Vec<(String, String)>,
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
pub(crate) enum Node {
    /// An element.
    Element(Box<Elem>),
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

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    /// The source text.
    pub src: &'a str,
    /// All nodes; children refer to them by index.
    pub nodes: Vec<Node>,
    /// The root element's index.
    pub root: usize,
    /// Byte offsets where each line starts (for line:column in messages).
    line_starts: Vec<usize>,
    /// The file name used in messages.
    pub path: String,
}

impl<'a> Doc<'a> {
    /// Parse `src`; `path` names the file in error messages.
    pub fn parse(src: &'a str, path: &str) -> Result<Doc<'a>, TeiError> {
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
        // quick-xml skips a byte-order mark without counting it in its positions, which would
        // shift every byte range (and so every `<s>` splice) by three bytes. Parse what follows
        // the mark and add its length: the mark itself stays in the file untouched.
        // quick-xml lets control characters through; a file holding one is not XML, and a
        // layer written from it could not be read by any other XML tool.
        super::check_xml_chars(src, path)?;
        let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
        let mut reader = Reader::from_str(&src[bom..]);
        reader.config_mut().check_end_names = true;
        reader.config_mut().check_comments = true;
        let mut stack: Vec<usize> = Vec::new();
        let mut top: Vec<usize> = Vec::new();
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
            let node = match event {
                Event::Eof => break,
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let name = e.name().as_ref().to_owned();
                    let mut attrs = Vec::new();
                    for a in e.attributes() {
                        let a = a.map_err(|err| doc.xml_error(before, &err.to_string()))?;
                        let key = a.key.as_ref().to_owned();
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|err| doc.xml_error(before, &err.to_string()))?
                            .into_owned();
                        attrs.push((key, value));
                    }
                    // A Vec grows to room for four at its first push: 200 bytes for the one
                    // attribute of every `<s>`, most of a long book's memory.
                    attrs.shrink_to_fit();
                    let is_start = matches!(event, Event::Start(_));
                    let idx = doc.push(
                        Node::Element(Box::new(Elem {
                            name,
                            attrs,
                            start: before..after,
                            end: None,
                            children: Vec::new(),
                        })),
                        &stack,
                        &mut top,
                    );
                    if is_start {
                        stack.push(idx);
                        // The tree is walked recursively; a pathological depth would overflow
                        // the stack (a crash) instead of giving an error. Real TEI nests a few
                        // dozen levels at most.
                        if stack.len() > MAX_DEPTH {
                            return Err(doc.xml_error(
                                before,
                                &format!("elements nested more than {MAX_DEPTH} deep"),
                            ));
                        }
                    }
                    continue;
                }
                Event::End(_) => {
                    // check_end_names guarantees the end tag matches the open element.
                    if let Some(idx) = stack.pop()
                        && let Node::Element(e) = &mut doc.nodes[idx]
                    {
                        e.end = Some(before..after);
                        e.children.shrink_to_fit();
                    }
                    continue;
                }
                Event::Text(_) => Node::Text { raw: before..after },
                Event::CData(_) => Node::CData {
                    raw: before..after,
                    content: (before + 9).min(after)..after.saturating_sub(3).max(before),
                },
                Event::GeneralRef(ref r) => {
                    let text = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => {
                                return Err(doc.xml_error(before, "invalid character reference"));
                            }
                        }
                    } else {
                        let name = r.as_ref().to_owned();
                        match name.as_str() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            // An entity declared in a DTD: kept byte for byte in the file; its
                            // text is unknown to us, so it contributes nothing to sentence text.
                            _ => String::new(),
                        }
                    };
                    Node::Ref {
                        raw: before..after,
                        text: text.into_boxed_str(),
                    }
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                    Node::Other { raw: before..after }
                }
            };
            if stack.is_empty()
                && let Node::Text { raw } = &node
                && !src[raw.clone()].trim().is_empty()
            {
                return Err(doc.xml_error(raw.start, "text outside the root element"));
            }
            doc.push(node, &stack, &mut top);
        }
        if let Some(&open) = stack.last() {
            let (name, pos) = match &doc.nodes[open] {
                Node::Element(e) => (e.name.clone(), e.start.start),
                _ => (String::new(), 0),
            };
            return Err(doc.xml_error(
                src.len(),
                &format!(
                    "unexpected end of file: <{name}> opened at line {} is not closed",
                    doc.line_col(pos).0
                ),
            ));
        }
        let roots: Vec<usize> = top
            .iter()
            .copied()
            .filter(|&i| matches!(doc.nodes[i], Node::Element(_)))
            .collect();
        match roots.as_slice() {
            [r] => doc.root = *r,
            [] => return Err(doc.xml_error(src.len(), "no root element")),
            [_, second, ..] => {
                let pos = doc.range(*second).start;
                return Err(doc.xml_error(pos, "a second root element"));
            }
        }
        Ok(doc)
    }

    fn push(&mut self, node: Node, stack: &[usize], top: &mut Vec<usize>) -> usize {
        let idx = self.nodes.len();
        self.nodes.push(node);
        match stack.last() {
            Some(&parent) => {
                if let Node::Element(e) = &mut self.nodes[parent] {
                    e.children.push(idx);
                }
            }
            None => top.push(idx),
        }
        idx
    }

    /// 1-based line of a byte offset (cheap: no column count).
    pub fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos.min(self.src.len()))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
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
    pub fn xml_error(&self, pos: usize, message: &str) -> TeiError {
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
            Node::Element(e) => Some(e.name.rsplit(':').next().unwrap_or(&e.name)),
            _ => None,
        }
    }

    /// An attribute of an element by qualified name.
    pub fn attr(&self, i: usize, key: &str) -> Option<&str> {
        match &self.nodes[i] {
            Node::Element(e) => e
                .attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
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
    pub fn child_elems<'s>(&'s self, i: usize, local: &'s str) -> impl Iterator<Item = usize> + 's {
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

    /// The text content with white space normalised to single spaces.
    pub fn norm_text(&self, i: usize, skip: &[&str]) -> String {
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
