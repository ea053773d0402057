//! Reading a layer: the header and the `<s xml:id>` sentences and `<gap>`s of the text.

use super::TeiError;
use super::dom::{Doc, Node};
use crate::model::{Agent, Derivation, DerivationKind, Gap, Layer, Sentence};
use std::collections::HashMap;
use std::path::Path;

/// Elements whose text is one block (a soft anchor for the aligner) and into which `<s>` go.
pub(crate) const BLOCKS: &[&str] = &[
    "p",
    "head",
    "salute",
    "signed",
    "item",
    "ab",
    "l",
    "dateline",
    "byline",
    "trailer",
    "opener",
    "closer",
    "label",
    "docTitle",
    "titlePart",
    "cell",
    // Stage directions (drama): their own sentences, never inside another's `<s>`.
    "stage",
];

/// Elements whose content is not part of the running text: notes, and the description inside a
/// `<gap>` (which says what is missing, not what is there).
pub(crate) const SKIP: &[&str] = &["note", "gap"];

/// Parse a layer from its source text. `id` is the layer id (the file stem).
pub(crate) fn parse_layer(src: &str, path: &Path, id: &str) -> Result<Layer, TeiError> {
    parse_layer_decl(src, path, id).map(|(l, _)| l)
}

/// Like [`parse_layer`], also returning the layer id the file declares with its root
/// `xml:id="layer.<id>"`, if it does.
pub(crate) fn parse_layer_decl(
    src: &str,
    path: &Path,
    id: &str,
) -> Result<(Layer, Option<String>), TeiError> {
    let doc = Doc::parse(src, &path.display().to_string())?;
    check_ids(&doc)?;
    let root = doc.root;
    if doc.local(root) != Some("TEI") {
        return Err(doc.invalid(
            doc.range(root).start,
            format!(
                "not a TEI layer: the root element is <{}>, not <TEI>",
                doc.local(root).unwrap_or("")
            ),
        ));
    }
    let header = doc.child_elems(root, "teiHeader").next();
    let text = doc.child_elems(root, "text").next();
    let lang = doc
        .attr(root, "xml:lang")
        .or_else(|| text.and_then(|t| doc.attr(t, "xml:lang")))
        .unwrap_or("")
        .to_owned();
    let mut layer = Layer {
        id: id.to_owned(),
        lang,
        path: path.to_owned(),
        title: String::new(),
        agents: Vec::new(),
        source_desc: String::new(),
        derivations: Vec::new(),
        sentences: Vec::new(),
        gaps: Vec::new(),
    };
    if let Some(h) = header {
        read_header(&doc, h, &mut layer);
    }
    if let Some(t) = text {
        let mut walker = Walker {
            doc: &doc,
            layer: &mut layer,
            blocks: 0,
            block_stack: Vec::new(),
            in_s: None,
            last_s_end: None,
        };
        walker.walk(t)?;
    }
    let declared = doc
        .attr(root, "xml:id")
        .and_then(|v| v.strip_prefix("layer."))
        .map(str::to_owned);
    Ok((layer, declared))
}

/// Every `xml:id` in the file must be an NCName (XML's type for ids: no spaces, no `#`, not
/// starting with a digit) and unique. An id that is not would break every pointer to it: the
/// alignment's `target="a.xml#cs s3"` reads as two pointers.
pub(crate) fn check_ids(doc: &Doc) -> Result<(), TeiError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, n) in doc.nodes.iter().enumerate() {
        if let Node::Element(e) = n {
            let start = &e.start;
            for (k, v) in &e.attrs {
                if k == "xml:id" {
                    if !super::wf::is_ncname(v) {
                        return Err(doc.invalid(
                            start.start,
                            format!(
                                "xml:id \"{v}\" is not an XML name (NCName: a letter or '_' \
                                 first, then letters, digits, '-', '.', '_'; no spaces, ':' or \
                                 '#')"
                            ),
                        ));
                    }
                    if let Some(&first) = seen.get(v.as_str()) {
                        return Err(doc.invalid(
                            start.start,
                            format!(
                                "duplicate xml:id \"{v}\" (first used on line {})",
                                doc.line_col(first).0
                            ),
                        ));
                    }
                    seen.insert(v, doc.range(i).start);
                }
            }
        }
    }
    Ok(())
}

/// Header conventions (written by `import`, see [`super::header`]):
/// `fileDesc/titleStmt/title`, `respStmt[@xml:id]` (role in `resp`, name in `persName`/`orgName`/`name`),
/// `sourceDesc` as text, and the derivation as
/// `sourceDesc/listRelation[@type="derivation"]/relation[@name @active @passive @resp @when]`.
fn read_header(doc: &Doc, h: usize, layer: &mut Layer) {
    if let Some(fd) = doc.child_elems(h, "fileDesc").next() {
        if let Some(ts) = doc.child_elems(fd, "titleStmt").next() {
            if let Some(t) = doc.child_elems(ts, "title").next() {
                layer.title = doc.norm_text(t, SKIP);
            }
            for rs in doc.child_elems(ts, "respStmt") {
                layer.agents.push(read_resp(doc, rs));
            }
        }
        if let Some(sd) = doc.child_elems(fd, "sourceDesc").next() {
            layer.source_desc = doc.norm_text(sd, &["listRelation"]);
            // Every relation: a layer may be made from several sources.
            layer.derivations = doc
                .child_elems(sd, "listRelation")
                .filter(|&lr| doc.attr(lr, "type") == Some("derivation"))
                .flat_map(|lr| doc.child_elems(lr, "relation").collect::<Vec<_>>())
                .map(|r| read_relation(doc, r))
                .collect();
        }
    }
}

fn read_resp(doc: &Doc, rs: usize) -> Agent {
    let role = doc
        .child_elems(rs, "resp")
        .next()
        .map(|r| doc.norm_text(r, SKIP))
        .unwrap_or_default();
    let name = ["persName", "orgName", "name"]
        .iter()
        .find_map(|n| doc.child_elems(rs, n).next())
        .map(|n| doc.norm_text(n, SKIP))
        .unwrap_or_default();
    Agent {
        id: doc.attr(rs, "xml:id").unwrap_or("").to_owned(),
        name,
        role,
    }
}

/// The layer id a pointer names: `#layer.cs`, `cs.xml#layer.cs` → `cs`.
pub(crate) fn layer_of_pointer(p: &str) -> String {
    let frag = p.rsplit('#').next().unwrap_or(p);
    frag.strip_prefix("layer.").unwrap_or(frag).to_owned()
}

fn read_relation(doc: &Doc, r: usize) -> Derivation {
    Derivation {
        source: layer_of_pointer(doc.attr(r, "passive").unwrap_or("")),
        kind: DerivationKind::parse(doc.attr(r, "name").unwrap_or("")),
        resp: doc
            .attr(r, "resp")
            .unwrap_or("")
            .split_whitespace()
            .map(|p| p.trim_start_matches('#').to_owned())
            .collect(),
        when: doc.attr(r, "when").map(str::to_owned),
    }
}

struct Walker<'d, 'a> {
    doc: &'d Doc<'a>,
    layer: &'d mut Layer,
    blocks: usize,
    block_stack: Vec<usize>,
    /// Byte offset of the `<s>` we are in, if any.
    in_s: Option<usize>,
    /// Byte offset where the last `<s>` ended.
    last_s_end: Option<usize>,
}

impl Walker<'_, '_> {
    fn walk(&mut self, i: usize) -> Result<(), TeiError> {
        let doc = self.doc;
        let Some(local) = doc.local(i) else {
            return Ok(());
        };
        let pos = doc.range(i).start;
        match local {
            "note" => return Ok(()),
            "s" => return self.sentence(i, pos),
            "gap" => {
                let block = self.block_stack.last().copied().unwrap_or(self.blocks);
                let desc = doc
                    .child_elems(i, "desc")
                    .next()
                    .map(|d| doc.norm_text(d, SKIP))
                    .filter(|d| !d.is_empty());
                self.layer.gaps.push(Gap {
                    after: self.layer.sentences.len(),
                    block,
                    reason: doc.attr(i, "reason").unwrap_or("").to_owned(),
                    desc,
                });
                return Ok(());
            }
            _ => {}
        }
        let is_block = BLOCKS.contains(&local);
        if is_block {
            self.block_stack.push(self.blocks);
            self.blocks += 1;
        }
        for &c in doc.children(i) {
            self.walk(c)?;
        }
        if is_block {
            self.block_stack.pop();
        }
        Ok(())
    }

    fn sentence(&mut self, i: usize, pos: usize) -> Result<(), TeiError> {
        let doc = self.doc;
        if let Some(outer) = self.in_s {
            return Err(doc.invalid(
                pos,
                format!(
                    "<s> nested in the <s> of line {} (TEI forbids nested sentences)",
                    doc.line_col(outer).0
                ),
            ));
        }
        let Some(id) = doc.attr(i, "xml:id") else {
            return Err(doc.invalid(pos, "<s> without xml:id"));
        };
        let text = doc.norm_text(i, SKIP);
        let part = doc.attr(i, "part").unwrap_or("N");
        // The middle and final parts of a sentence split at an element boundary continue the
        // sentence that the initial part opened: the aligner sees one sentence, named by its
        // first part's id.
        let continues = matches!(part, "M" | "F") && !self.layer.sentences.is_empty();
        if continues {
            // Join with a space only where the file has white space between the parts.
            let spaced = self
                .last_s_end
                .is_some_and(|end| space_between(doc.src, end, pos));
            if let Some(last) = self.layer.sentences.last_mut()
                && !text.is_empty()
            {
                if !last.text.is_empty() && spaced {
                    last.text.push(' ');
                }
                last.text.push_str(&text);
            }
        } else {
            let block = self.block_stack.last().copied().unwrap_or(self.blocks);
            self.layer.sentences.push(Sentence {
                id: id.to_owned(),
                text,
                block,
                line: doc.line_of(pos),
            });
        }
        // Look inside for nested <s> and for gaps.
        self.in_s = Some(pos);
        for &c in doc.children(i) {
            self.walk(c)?;
        }
        self.in_s = None;
        self.last_s_end = Some(doc.range(i).end);
        Ok(())
    }
}

/// True when the text between two offsets (tags left out) holds white space.
fn space_between(src: &str, from: usize, to: usize) -> bool {
    let Some(between) = src.get(from..to) else {
        return false;
    };
    let mut in_tag = false;
    for c in between.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}
