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

/// Elements whose content is not part of the running text: notes, the description inside a
/// `<gap>` (which says what is missing, not what is there), the other readings of an apparatus
/// entry (`rdg`: the text is its `lem`), the editor's side of a `<choice>` (`corr`, `reg`,
/// `expan`: the text is as the source has it, its `sic`, `orig` or `abbr`; both sides read
/// together made "Dr.Doctor") and text the writer struck out (`del`, also inside `<subst>`).
pub(crate) const SKIP: &[&str] = &["note", "gap", "rdg", "corr", "reg", "expan", "del"];

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
            s_node: 0,
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
                if *k == "xml:id" {
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
                    if let Some(&first) = seen.get(v.as_ref()) {
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
/// `fileDesc/titleStmt/title`, `respStmt[@xml:id]` (role in `resp`, name in `persName`/`orgName`/`name`)
/// in the `titleStmt` and in the witness descriptions of the `sourceDesc` (who made the text),
/// `bibl/publisher` (an agent with the role `publisher`), `sourceDesc` as text, and the
/// derivation as `sourceDesc/listRelation[@type="derivation"]/relation[@name @active @passive
/// @source @when]` with its `desc`. Who made a derivation is named in the witness description
/// that `@source` points at; older files name them in `@resp`, which is still read.
fn read_header(doc: &Doc, h: usize, layer: &mut Layer) {
    let Some(fd) = doc.child_elems(h, "fileDesc").next() else {
        return;
    };
    if let Some(ts) = doc.child_elems(fd, "titleStmt").next() {
        if let Some(t) = doc.child_elems(ts, "title").next() {
            layer.title = doc.norm_text(t, SKIP);
        }
        for rs in doc.child_elems(ts, "respStmt") {
            layer.agents.push(read_resp(doc, rs));
        }
    }
    let Some(sd) = doc.child_elems(fd, "sourceDesc").next() else {
        return;
    };
    let mut text = String::new();
    header_text(doc, sd, &mut text);
    layer.source_desc = super::dom::normalize_ws(&text);
    // Who made the text, by the witness description that names them.
    let mut makers: Vec<(Option<String>, Agent)> = Vec::new();
    for b in doc.child_elems(sd, "bibl") {
        let bid = doc.attr(b, "xml:id").map(str::to_owned);
        for rs in doc.child_elems(b, "respStmt") {
            let a = read_resp(doc, rs);
            layer.agents.push(a.clone());
            makers.push((bid.clone(), a));
        }
        for p in doc.child_elems(b, "publisher") {
            layer.agents.push(Agent {
                id: doc
                    .attr(p, "xml:id")
                    .map_or_else(|| format!("{}.publisher", layer.id), str::to_owned),
                name: doc.norm_text(p, SKIP),
                role: "publisher".into(),
                org: true,
                cert: doc.attr(p, "cert").map(str::to_owned),
            });
        }
    }
    // Every relation: a layer may be made from several sources.
    layer.derivations = doc
        .child_elems(sd, "listRelation")
        .filter(|&lr| doc.attr(lr, "type") == Some("derivation"))
        .flat_map(|lr| doc.child_elems(lr, "relation").collect::<Vec<_>>())
        .map(|r| read_relation(doc, r, &makers))
        .collect();
}

/// The text of a witness description for reading: its fields apart (`<repository>` and
/// `<idno>` are not one word), a `respStmt` as "role: name", the derivation graph left out.
fn header_text(doc: &Doc, i: usize, out: &mut String) {
    match doc.local(i) {
        Some("listRelation" | "textLang") => {}
        Some("respStmt") => {
            let a = read_resp(doc, i);
            out.push_str(&format!(" {}: {} ", a.role, a.name));
        }
        Some(local) => {
            // A quotation keeps its marks, an attribution its certainty: read as prose, the
            // header must not claim more than its markup says.
            let (open, close) = if local == "quote" {
                ("“", "”")
            } else {
                (" ", " ")
            };
            out.push_str(open);
            for &c in doc.children(i) {
                header_text(doc, c, out);
            }
            out.push_str(close);
            if let Some(c) = doc.attr(i, "cert") {
                out.push_str(&format!("(certainty: {c}) "));
            }
        }
        None => doc.text(i, SKIP, out),
    }
}

fn read_resp(doc: &Doc, rs: usize) -> Agent {
    let role = doc
        .child_elems(rs, "resp")
        .next()
        .map(|r| doc.norm_text(r, SKIP))
        .unwrap_or_default();
    let name_el = ["persName", "orgName", "name"]
        .iter()
        .find_map(|n| doc.child_elems(rs, n).next());
    let name = match name_el {
        Some(n) if doc.attr(n, "type") == Some("unknown") => super::header::UNKNOWN.to_owned(),
        Some(n) => doc.norm_text(n, SKIP),
        None => String::new(),
    };
    Agent {
        id: doc.attr(rs, "xml:id").unwrap_or("").to_owned(),
        name,
        role,
        org: name_el.is_some_and(|n| doc.local(n) == Some("orgName")),
        cert: doc.attr(rs, "cert").map(str::to_owned),
    }
}

/// The layer id a pointer names: `#layer.cs`, `cs.xml#layer.cs` → `cs`.
pub(crate) fn layer_of_pointer(p: &str) -> String {
    let frag = p.rsplit('#').next().unwrap_or(p);
    frag.strip_prefix("layer.").unwrap_or(frag).to_owned()
}

fn read_relation(doc: &Doc, r: usize, makers: &[(Option<String>, Agent)]) -> Derivation {
    let legacy: Vec<String> = doc
        .attr(r, "resp")
        .unwrap_or("")
        .split_whitespace()
        .map(|p| p.trim_start_matches('#').to_owned())
        .collect();
    let sources: Vec<&str> = doc
        .attr(r, "source")
        .unwrap_or("")
        .split_whitespace()
        .map(|p| p.trim_start_matches('#'))
        .collect();
    let kind = DerivationKind::parse(doc.attr(r, "name").unwrap_or(""));
    // A publisher, archive or institution the witness description names published or holds the
    // text: it did not make it (the UN publishes the UDHR's official versions; that does not say
    // who made the Russian one). Only for a publication is the publisher its maker.
    let made_it = |a: &Agent| {
        !super::header::is_org_role(&a.role)
            || (kind == DerivationKind::Publication && a.role == "publisher")
    };
    let resp = if !legacy.is_empty() {
        legacy
    } else {
        makers
            .iter()
            .filter(|(b, a)| b.as_deref().is_some_and(|b| sources.contains(&b)) && made_it(a))
            .map(|(_, a)| a.id.clone())
            .filter(|id| !id.is_empty())
            .collect()
    };
    Derivation {
        source: layer_of_pointer(doc.attr(r, "passive").unwrap_or("")),
        kind,
        resp,
        when: doc.attr(r, "when").map(str::to_owned),
        note: doc
            .child_elems(r, "desc")
            .next()
            .map(|d| doc.norm_text(d, SKIP))
            .filter(|d| !d.is_empty()),
    }
}

struct Walker<'d, 'a> {
    doc: &'d Doc<'a>,
    layer: &'d mut Layer,
    blocks: usize,
    block_stack: Vec<usize>,
    /// Byte offset of the `<s>` we are in, if any.
    in_s: Option<usize>,
    /// The node of the `<s>` being read (when `in_s`).
    s_node: usize,
    /// Byte offset where the last `<s>` ended, and the block it was in.
    last_s_end: Option<(usize, Option<usize>)>,
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
                    // Inside an <s>: that sentence breaks off (or resumes) here.
                    inside: self.in_s.is_some(),
                    at: self.in_s.map(|_| self.gap_offset(i)),
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

    /// Where gap `g`, inside the sentence being read, stands in the sentence's text (in
    /// characters): the text so far less what follows the gap in this `<s>`.
    fn gap_offset(&self, g: usize) -> usize {
        let mut after = String::new();
        self.doc
            .text_from(self.s_node, self.doc.range(g).end, SKIP, &mut after);
        let after = crate::tei::dom::normalize_ws(&after).chars().count();
        let total = self
            .layer
            .sentences
            .last()
            .map_or(0, |s| s.text.chars().count());
        total.saturating_sub(after)
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
            // Join with a space only where the file has white space between the parts, or a
            // line end: parts in two `<l>` (verse) are two words even in `</l><l>`.
            let block = self.block_stack.last().copied();
            let spaced = self
                .last_s_end
                .is_some_and(|(end, b)| b != block || space_between(doc.src, end, pos));
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
        self.s_node = i;
        for &c in doc.children(i) {
            self.walk(c)?;
        }
        self.in_s = None;
        self.last_s_end = Some((doc.range(i).end, self.block_stack.last().copied()));
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
