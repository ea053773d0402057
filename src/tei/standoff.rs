//! The standoff alignment file (`alignments/<work>/alignment.xml`): read and write a
//! [`WorkAlignment`] as TEI, as `DESIGN.md` describes.
//!
//! The file is a TEI document with a `teiHeader` and a `<standOff>` (no `<text>`):
//!
//! - `titleStmt/respStmt[@xml:id]` declares every agent named in `@resp`/`@who` (the translators
//!   and publishers of the layers, editors who confirmed links, and the tool itself, `#tei-align`);
//! - `encodingDesc/appInfo/application[@ident="tei-align"][@version]` records the tool;
//! - `sourceDesc/listWit/witness[@xml:id="layer.<id>"]` lists the layer files (the `ref/@target`
//!   is the file relative to the alignment file), so `#layer.<id>` pointers resolve;
//! - `revisionDesc/change[@xml:id][@status][@who][@when]` is the history: one `automatic` change
//!   per alignment run that changed something, one `verified` change per editor and date;
//! - `standOff/listRelation[@type="derivation"]/relation` is the derivation graph
//!   (`active` = derived layer, `passive` = its source);
//! - one `linkGrp[@type="alignment"][@corresp="#rel.<src>-<derived>"]` per edge, with a `link` per
//!   bead (`@target` = source sentences first, then derived ones; `@type` = `"n-m"`;
//!   `@subtype="partial"` when one side covers clearly less than the other) and a
//!   `ptr[@type="unaligned"][@subtype]` per unaligned sentence;
//! - one `linkGrp[@type="segments"]` with a `link` per N-way segment whose `@corresp` is its
//!   provenance chain. A segment of a single sentence (e.g. an English sentence whose Czech source
//!   is lost in a gap) is written as a `ptr` instead: TEI requires at least two targets on a
//!   `link`, and repeating a target would claim a correspondence that does not exist.
//!
//! **Confidence.** `@cert` takes TEI's `teidata.probCert`, which admits a probability (a double in
//! [0, 1]) as well as `high|medium|low|unknown`; we write the number itself (checked with jing
//! against `tei_all.rng`). Numbers are written in Rust's shortest round-trip form, so reading the
//! file back gives exactly the same `f64`.
//!
//! **Status.** A link's `@change` points to the `<change>` of the operation that made or last
//! changed it ([`WorkAlignment::item_changes`], see [`crate::provenance::record`]); its `@resp`
//! is the tool for automatic links, the editor for confirmed ones. A confirmed link whose change
//! is missing gets one written (`ch.v<N>`), so the file always resolves.
//!
//! **Stable ids.** The tool's `application` in `encodingDesc/appInfo` records the highest number
//! ever given to each prefix of automatic ids
//! (`<desc type="high-water">a.cs-en.57 seg.80 u.cs-en.12</desc>`), so that re-alignment can give
//! new links numbers above it and never reuse the id of a link that is gone
//! ([`WorkAlignment::id_high_water`]). Files written before kept them in `linkGrp/@n`
//! (`n="high-water a.cs-en.57 u.cs-en.12"`); that form is still read.
//!
//! The output is deterministic: the same [`WorkAlignment`] always gives the same bytes.

use super::TeiError;
use crate::model::{
    Agent, Change, ChangeStatus, DerivationKind, EdgeAlignment, Link, LinkStatus, Relation,
    Segment, Unaligned, UnalignedKind, WorkAlignment,
};
use crate::provenance::graph::derivation_order;
use crate::provenance::record::change_of;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// The id under which the tool itself is declared (`resp="#tei-align"`).
pub const TOOL_ID: &str = "tei-align";

/// The first word of a `linkGrp/@n` that records id high-water marks
/// ([`WorkAlignment::id_high_water`]).
pub const HIGH_WATER: &str = "high-water";

/// Parse a high-water `@n` (`high-water a.cs-en.57 u.cs-en.12`) into (prefix, number) pairs;
/// any other `@n` gives nothing (it is someone else's label), as does a token without a number.
pub fn parse_high_water(n: &str) -> Vec<(String, u64)> {
    let mut words = n.split_whitespace();
    if words.next() != Some(HIGH_WATER) {
        return Vec::new();
    }
    words
        .filter_map(|w| {
            let (prefix, num) = w.rsplit_once('.')?;
            Some((prefix.to_owned(), num.parse().ok()?))
        })
        .collect()
}

/// Read an alignment file.
pub fn read_alignment(path: &Path) -> Result<WorkAlignment, TeiError> {
    let text = crate::fsutil::read_text(path)?;
    parse_alignment(&text, &path.display().to_string())
}

/// Parse the text of an alignment file; `name` is used in error messages.
pub fn parse_alignment(text: &str, name: &str) -> Result<WorkAlignment, TeiError> {
    // The conformant front end first (well-formedness, ids as NCNames and unique), so the
    // alignment is held to the same rules as a layer.
    let doc = super::dom::Doc::parse(text, name)?;
    super::reader::check_ids(&doc)?;
    drop(doc);
    let root = xml::parse(text, name)?;
    Parser { name, text }.alignment(&root)
}

/// Serialise an alignment as a TEI document (deterministic: the same alignment gives the same
/// bytes).
pub fn to_tei(alignment: &WorkAlignment) -> String {
    Writer::new(alignment).write()
}

/// Write an alignment file atomically.
pub fn write_alignment(path: &Path, alignment: &WorkAlignment) -> Result<(), TeiError> {
    crate::fsutil::write_atomic(path, to_tei(alignment).as_bytes())?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Escape text for an attribute value or element content.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Keep white space in attributes exact: a literal newline would be normalised away.
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Encode a file path for use inside a space-separated pointer list: a space (or `%`/`#`) in a
/// path must not split or cut the URI.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Undo [`encode_path`] (and any other `%XX` escape).
pub(crate) fn decode_path(p: &str) -> String {
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| p.to_owned())
}

/// A probability as written in `@cert`: shortest form that reads back as the same number;
/// anything outside [0, 1] (or NaN) is clamped so the file stays valid.
pub(crate) fn fmt_cert(x: f64) -> String {
    let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
    format!("{x}")
}

struct Writer<'a> {
    a: &'a WorkAlignment,
    /// The change each link and ptr points to, by item id.
    item_change: HashMap<&'a str, String>,
    /// Changes to add because a verified item names none.
    extra_changes: Vec<Change>,
}

impl<'a> Writer<'a> {
    fn new(a: &'a WorkAlignment) -> Self {
        let mut item_change = HashMap::new();
        let mut extra_changes: Vec<Change> = Vec::new();
        // A confirmed item whose change is missing (a link edited by hand) gets one per editor
        // and date, so the file always resolves.
        let mut made: BTreeMap<(String, String), String> = BTreeMap::new();
        let used: BTreeSet<&str> = a.changes.iter().map(|c| c.id.as_str()).collect();
        let mut n = 0;
        let items = a.edges.iter().flat_map(|e| {
            e.links
                .iter()
                .map(|l| (l.id.as_str(), &l.status))
                .chain(e.unaligned.iter().map(|u| (u.id.as_str(), &u.status)))
        });
        for (id, st) in items {
            if let Some(c) = change_of(a, id, st) {
                item_change.insert(id, c);
                continue;
            }
            let LinkStatus::Verified { who, when } = st else {
                continue;
            };
            let c = made.entry((who.clone(), when.clone())).or_insert_with(|| {
                let id = loop {
                    n += 1;
                    let id = format!("ch.v{n}");
                    if !used.contains(id.as_str()) {
                        break id;
                    }
                };
                extra_changes.push(Change {
                    id: id.clone(),
                    status: ChangeStatus::Verified,
                    who: who.clone(),
                    when: when.clone(),
                    desc: "Links confirmed by hand.".into(),
                });
                id
            });
            item_change.insert(id, c.clone());
        }
        Writer {
            a,
            item_change,
            extra_changes,
        }
    }

    fn target(&self, layer: &str, sentence: &str) -> String {
        match self.a.layer_files.get(layer) {
            Some(f) => format!("{}#{}", encode_path(f), sentence),
            // A layer without a file cannot be pointed into; keep a local pointer so nothing is
            // lost (check reports it as unresolved).
            None => format!("#{sentence}"),
        }
    }

    /// What a derivation is, in words, its makers pointing at their respStmts:
    /// `translation by <persName ref="#kramer">Mark Kramer</persName>`.
    fn relation_desc(&self, r: &Relation) -> String {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for id in &r.resp {
            let a = self.a.agents.iter().find(|a| &a.id == id);
            let name = a.map_or(id.as_str(), |a| a.name.as_str());
            if name == crate::model::UNKNOWN_AGENT {
                let label = a.map_or_else(|| id.clone(), crate::model::agent_label);
                unknown.push(format!(
                    "<persName ref=\"#{}\" type=\"unknown\">{}</persName>",
                    esc(id),
                    esc(&label)
                ));
            } else {
                let el = match a.map(|a| a.role.as_str()) {
                    Some("publisher" | "archive" | "repository" | "institution") => "orgName",
                    _ => "persName",
                };
                known.push(format!("<{el} ref=\"#{}\">{}</{el}>", esc(id), esc(name)));
            }
        }
        let mut d = esc(r.kind.as_str());
        if !known.is_empty() {
            let _ = write!(d, " by {}", known.join(", "));
        }
        if !unknown.is_empty() {
            let _ = write!(d, ", {}", unknown.join(", "));
        }
        if r.resp.is_empty() {
            d.push_str("; who made it is not recorded");
        }
        d
    }

    /// `resp` and `change` attributes of an item.
    fn status_attrs(&self, id: &str, status: &LinkStatus) -> String {
        let who = match status {
            LinkStatus::Automatic => TOOL_ID,
            LinkStatus::Verified { who, .. } => who.as_str(),
        };
        let mut s = format!(" resp=\"#{}\"", esc(who));
        if let Some(c) = self.item_change.get(id) {
            let _ = write!(s, " change=\"#{}\"", esc(c));
        }
        s
    }

    /// The tool's bookkeeping in its `application`: the high-water marks of the automatic ids
    /// (`<desc type="high-water">a.cs-en.57 seg.80 u.cs-en.12</desc>`), or nothing when none is
    /// recorded.
    fn marks(&self) -> String {
        let tokens: Vec<String> = self
            .a
            .id_high_water
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(p, n)| format!("{p}.{n}"))
            .collect();
        if tokens.is_empty() {
            String::new()
        } else {
            format!(
                "\n          <desc type=\"{HIGH_WATER}\">{}</desc>",
                esc(&tokens.join(" "))
            )
        }
    }

    /// Layers in derivation order (sources before what was derived from them, ties by id).
    fn layer_order(&self) -> Vec<String> {
        let ids: Vec<String> = self.a.layer_files.keys().cloned().collect();
        derivation_order(&ids, &self.a.relations)
    }

    fn write(&self) -> String {
        let a = self.a;
        let mut o = String::new();
        o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // The work id on the root (`@n`), so it reads back exactly whatever the id is.
        let _ = writeln!(
            o,
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" n=\"{}\">",
            esc(&a.work)
        );
        o.push_str("  <teiHeader>\n    <fileDesc>\n      <titleStmt>\n");
        let _ = writeln!(
            o,
            "        <title>Sentence alignment of the layers of {}</title>",
            esc(&a.work)
        );
        for ag in &a.agents {
            let _ = writeln!(
                o,
                "        <respStmt xml:id=\"{}\">\n          <resp>{}</resp>\n          {}\n        </respStmt>",
                esc(&ag.id),
                esc(&ag.role),
                agent_name_el(ag)
            );
        }
        o.push_str("      </titleStmt>\n");
        o.push_str("      <publicationStmt>\n        <p>Generated by tei-align; links confirmed by an editor are marked by their change.</p>\n      </publicationStmt>\n");
        o.push_str("      <sourceDesc>\n        <listWit>\n");
        for (id, file) in &a.layer_files {
            let _ = writeln!(
                o,
                "          <witness xml:id=\"layer.{}\" n=\"{}\"><ref target=\"{}\">{}</ref></witness>",
                esc(id),
                esc(id),
                esc(&encode_path(file)),
                esc(file)
            );
        }
        o.push_str("        </listWit>\n      </sourceDesc>\n    </fileDesc>\n");
        let _ = writeln!(
            o,
            "    <encodingDesc>\n      <appInfo>\n        <application ident=\"tei-align\" version=\"{}\">\n          <label>tei-align</label>{}\n        </application>\n      </appInfo>\n    </encodingDesc>",
            esc(crate::VERSION),
            self.marks()
        );
        let changes: Vec<&Change> = a.changes.iter().chain(self.extra_changes.iter()).collect();
        if !changes.is_empty() {
            o.push_str("    <revisionDesc>\n");
            for c in changes {
                // An unknown person or date (a link edited by hand) is left out, not written
                // empty: an empty @when is not a date.
                let who = if c.who.is_empty() {
                    String::new()
                } else {
                    format!(" who=\"#{}\"", esc(&c.who))
                };
                let when = if c.when.is_empty() {
                    String::new()
                } else {
                    format!(" when=\"{}\"", esc(&c.when))
                };
                let _ = writeln!(
                    o,
                    "      <change xml:id=\"{}\" status=\"{}\"{who}{when}>{}</change>",
                    esc(&c.id),
                    esc(c.status.as_str()),
                    esc(&c.desc)
                );
            }
            o.push_str("    </revisionDesc>\n");
        }
        o.push_str("  </teiHeader>\n  <standOff>\n");
        if !a.relations.is_empty() {
            o.push_str("    <listRelation type=\"derivation\">\n");
            for r in &a.relations {
                let _ = write!(
                    o,
                    "      <relation xml:id=\"{}\" name=\"{}\" active=\"#layer.{}\" passive=\"#layer.{}\"",
                    esc(&r.id),
                    esc(r.kind.as_str()),
                    esc(&r.derived),
                    esc(&r.source)
                );
                if let Some(w) = &r.when {
                    let _ = write!(o, " when=\"{}\"", esc(w));
                }
                // Who made the layer is not `@resp` (in TEI: who made this assertion) but named
                // in the description, each pointing at its respStmt.
                let _ = writeln!(o, "><desc>{}</desc></relation>", self.relation_desc(r));
            }
            o.push_str("    </listRelation>\n");
        }
        for e in &a.edges {
            self.write_edge(&mut o, e);
        }
        self.write_segments(&mut o);
        o.push_str("  </standOff>\n</TEI>\n");
        o
    }

    fn write_edge(&self, o: &mut String, e: &EdgeAlignment) {
        let rel = self.a.relations.iter().find(|r| r.id == e.relation);
        let _ = writeln!(
            o,
            "    <linkGrp type=\"alignment\" corresp=\"#{}\">",
            esc(&e.relation)
        );
        // A linkGrp must hold at least one link or ptr: an edge with nothing to align (both
        // layers without text) gets a description instead of being dropped.
        if e.links.is_empty() && e.unaligned.is_empty() {
            o.push_str("      <desc>No sentences to align on this edge.</desc>\n      <ptr target=\"#layer.");
            let _ = writeln!(
                o,
                "{}\" type=\"empty\"/>",
                esc(rel.map(|r| r.derived.as_str()).unwrap_or(""))
            );
        }
        let (src_layer, der_layer) = match rel {
            Some(r) => (r.source.as_str(), r.derived.as_str()),
            None => ("", ""),
        };
        for l in &e.links {
            let targets: Vec<String> = l
                .source
                .iter()
                .map(|s| self.target(src_layer, s))
                .chain(l.derived.iter().map(|s| self.target(der_layer, s)))
                .collect();
            let _ = writeln!(
                o,
                "      <link xml:id=\"{}\" type=\"{}\"{} target=\"{}\" cert=\"{}\"{}/>",
                esc(&l.id),
                esc(&l.kind()),
                if l.partial {
                    " subtype=\"partial\""
                } else {
                    ""
                },
                esc(&targets.join(" ")),
                fmt_cert(l.cert),
                self.status_attrs(&l.id, &l.status)
            );
        }
        for u in &e.unaligned {
            // A source gap is a fact of the witness (it has no text there), not a judgement:
            // no certainty is claimed for it.
            let cert = if u.kind == UnalignedKind::SourceGap && u.cert == 1.0 {
                String::new()
            } else {
                format!(" cert=\"{}\"", fmt_cert(u.cert))
            };
            let _ = writeln!(
                o,
                "      <ptr xml:id=\"{}\" type=\"unaligned\" subtype=\"{}\" target=\"{}\"{cert}{}/>",
                esc(&u.id),
                u.kind.as_str(),
                esc(&self.target(&u.layer, &u.sentence)),
                self.status_attrs(&u.id, &u.status)
            );
        }
        o.push_str("    </linkGrp>\n");
    }

    fn write_segments(&self, o: &mut String) {
        if self.a.segments.is_empty() {
            return;
        }
        let order = self.layer_order();
        o.push_str("    <linkGrp type=\"segments\">\n");
        for s in &self.a.segments {
            let targets: Vec<String> = segment_members(&order, s)
                .map(|(l, id)| self.target(l, id))
                .collect();
            let elem = if targets.len() >= 2 { "link" } else { "ptr" };
            let _ = write!(
                o,
                "      <{elem} xml:id=\"{}\" target=\"{}\"",
                esc(&s.id),
                esc(&targets.join(" "))
            );
            if !s.chain.is_empty() {
                let chain: Vec<String> = s.chain.iter().map(|c| format!("#{c}")).collect();
                let _ = write!(o, " corresp=\"{}\"", esc(&chain.join(" ")));
            }
            o.push_str("/>\n");
        }
        o.push_str("    </linkGrp>\n");
    }
}

/// The members of a segment as (layer, sentence id), layers in `order` (the derivation order),
/// then any layer `order` does not name: the order both the alignment file and the edition
/// write a segment's targets in.
pub(crate) fn segment_members<'s>(
    order: &'s [String],
    s: &'s Segment,
) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
    let rest = s.members.keys().filter(|k| !order.contains(k));
    order
        .iter()
        .chain(rest)
        .filter_map(|l| Some((l.as_str(), s.members.get(l)?)))
        .flat_map(|(l, ids)| ids.iter().map(move |id| (l, id.as_str())))
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A minimal element tree, enough for the alignment file (which holds no mixed content we need).
mod xml {
    use super::TeiError;
    use quick_xml::events::Event;

    /// An element: its local name, attributes (qualified names as written), children, text and
    /// the byte offset where it starts.
    #[derive(Debug, Default)]
    pub struct Element {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<Element>,
        pub text: String,
        pub pos: usize,
    }

    impl Element {
        /// The value of an attribute.
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        /// Children with this local name.
        pub fn kids<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
            self.children.iter().filter(move |c| c.name == name)
        }

        /// The first child with this local name.
        pub fn kid(&self, name: &str) -> Option<&Element> {
            self.children.iter().find(|c| c.name == name)
        }

        /// The text as written when the element holds only text (so what the writer put there
        /// reads back exactly); with child elements, all text inside with white space collapsed.
        pub fn exact_text(&self) -> String {
            if self.children.is_empty() {
                self.text.clone()
            } else {
                self.all_text()
            }
        }

        /// All text inside, white space collapsed.
        pub fn all_text(&self) -> String {
            let mut s = String::new();
            self.collect(&mut s);
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        }

        fn collect(&self, s: &mut String) {
            s.push_str(&self.text);
            s.push(' ');
            for c in &self.children {
                c.collect(s);
            }
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
        let pos = pos.min(text.len());
        let before = &text.as_bytes()[..pos];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map(|p| p + 1)
            .unwrap_or(0);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (line, col)
    }

    fn local(name: &str) -> String {
        match name.rfind(':') {
            Some(i) => name[i + 1..].to_owned(),
            None => name.to_owned(),
        }
    }

    /// Parse a whole document into its root element.
    pub fn parse(text: &str, name: &str) -> Result<Element, TeiError> {
        let mut reader = quick_xml::Reader::from_str(text);
        let err = |pos: usize, message: String| {
            let (line, column) = line_col(text, pos);
            TeiError::Xml {
                path: name.to_owned(),
                line,
                column,
                message,
            }
        };
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let ev = reader.read_event().map_err(|e| {
                err(
                    usize::try_from(reader.error_position()).unwrap_or(0),
                    e.to_string(),
                )
            })?;
            match ev {
                Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                    let _ = e;
                    return Err(err(start, "content after the root element".into()));
                }
                Event::Start(e) => {
                    // The tree is dropped recursively: a pathological depth would overflow the
                    // stack, so refuse it as the layer reader does.
                    if stack.len() >= crate::tei::dom::MAX_DEPTH {
                        return Err(err(
                            start,
                            format!(
                                "elements nested more than {} deep",
                                crate::tei::dom::MAX_DEPTH
                            ),
                        ));
                    }
                    stack.push(element(&e, start, &err)?)
                }
                Event::Empty(e) => {
                    let el = element(&e, start, &err)?;
                    match stack.last_mut() {
                        Some(p) => p.children.push(el),
                        None => root = Some(el),
                    }
                }
                Event::End(_) => {
                    // quick-xml checks that end names match.
                    if let Some(el) = stack.pop() {
                        match stack.last_mut() {
                            Some(p) => p.children.push(el),
                            None => root = Some(el),
                        }
                    }
                }
                Event::Text(t) => {
                    if let Some(p) = stack.last_mut() {
                        p.text.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(p) = stack.last_mut() {
                        p.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .map_err(|e| err(start, e.to_string()))?
                            .map(String::from)
                    } else {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                    };
                    let Some(resolved) = resolved else {
                        return Err(err(
                            start,
                            format!("unknown entity &{};", r.xml10_content()),
                        ));
                    };
                    if let Some(p) = stack.last_mut() {
                        p.text.push_str(&resolved);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if let Some(open) = stack.last() {
            return Err(err(
                text.len(),
                format!("element <{}> is not closed", open.name),
            ));
        }
        root.ok_or_else(|| err(0, "no root element".into()))
    }

    fn element(
        e: &quick_xml::events::BytesStart<'_>,
        pos: usize,
        err: &dyn Fn(usize, String) -> TeiError,
    ) -> Result<Element, TeiError> {
        let mut el = Element {
            name: local(e.name().as_ref()),
            pos,
            ..Default::default()
        };
        for a in e.attributes() {
            let a = a.map_err(|x| err(pos, x.to_string()))?;
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| err(pos, x.to_string()))?;
            el.attrs.push((a.key.as_ref().to_owned(), v.into_owned()));
        }
        Ok(el)
    }
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
}

impl Parser<'_> {
    fn invalid(&self, el: Option<&xml::Element>, message: String) -> TeiError {
        let line = el.map(|e| xml::line_col(self.text, e.pos).0).unwrap_or(0);
        TeiError::Invalid {
            path: self.name.to_owned(),
            line,
            message,
        }
    }

    fn need<'e>(&self, el: &'e xml::Element, attr: &str) -> Result<&'e str, TeiError> {
        el.attr(attr)
            .ok_or_else(|| self.invalid(Some(el), format!("<{}> has no @{attr}", el.name)))
    }

    fn cert(&self, el: &xml::Element) -> Result<f64, TeiError> {
        match el.attr("cert") {
            None => Ok(0.0),
            Some("high") => Ok(0.9),
            Some("medium") => Ok(0.6),
            Some("low") => Ok(0.3),
            Some("unknown") => Ok(0.0),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| {
                    self.invalid(Some(el), format!("@cert \"{v}\" is not a probability"))
                }),
        }
    }

    fn alignment(&self, root: &xml::Element) -> Result<WorkAlignment, TeiError> {
        if root.name != "TEI" {
            return Err(self.invalid(
                Some(root),
                format!("the root element is <{}>, not <TEI>", root.name),
            ));
        }
        if root.kid("standOff").is_none() {
            return Err(self.invalid(
                Some(root),
                "not an alignment file: it has no <standOff> (a layer? alignments are written by `tei-align align` to alignments/<work>/alignment.xml)".into(),
            ));
        }
        let header = root
            .kid("teiHeader")
            .ok_or_else(|| self.invalid(Some(root), "no <teiHeader>".into()))?;
        let file_desc = header.kid("fileDesc");
        let title_stmt = file_desc.and_then(|f| f.kid("titleStmt"));

        // Work id: from the title, "… of <work>".
        let title = title_stmt
            .and_then(|t| t.kid("title"))
            .map(|t| t.all_text())
            .unwrap_or_default();
        let work = match root.attr("n") {
            Some(n) => n.to_owned(),
            None => title
                .rsplit_once(" of ")
                .map(|(_, w)| w.to_owned())
                .unwrap_or_else(|| title.clone()),
        };

        let mut agents = Vec::new();
        if let Some(ts) = title_stmt {
            for r in ts.kids("respStmt") {
                // A respStmt without an id cannot be pointed at; it names nobody we need.
                let Some(id) = r.attr("xml:id").map(str::to_owned) else {
                    continue;
                };
                agents.push(Agent {
                    id,
                    name: r
                        .kid("name")
                        .or_else(|| r.kid("persName"))
                        .or_else(|| r.kid("orgName"))
                        .map(|n| n.exact_text())
                        .unwrap_or_default(),
                    role: r.kid("resp").map(|n| n.exact_text()).unwrap_or_default(),
                });
            }
        }

        let mut layer_files = BTreeMap::new();
        let list_wit = file_desc
            .and_then(|f| f.kid("sourceDesc"))
            .and_then(|s| s.kid("listWit"));
        if let Some(lw) = list_wit {
            for w in lw.kids("witness") {
                let xid = self.need(w, "xml:id")?;
                let id = xid.strip_prefix("layer.").ok_or_else(|| {
                    self.invalid(
                        Some(w),
                        format!("witness id \"{xid}\" does not start with \"layer.\""),
                    )
                })?;
                let file = w.kid("ref").and_then(|r| r.attr("target")).ok_or_else(|| {
                    self.invalid(
                        Some(w),
                        format!("witness {xid} names no file (<ref target>)"),
                    )
                })?;
                layer_files.insert(id.to_owned(), decode_path(file));
            }
        }
        let file_to_layer: HashMap<String, String> = layer_files
            .iter()
            .map(|(k, v)| (v.clone(), k.clone()))
            .collect();

        let mut changes = Vec::new();
        if let Some(rd) = header.kid("revisionDesc") {
            for c in rd.kids("change") {
                changes.push(Change {
                    id: self.need(c, "xml:id")?.to_owned(),
                    status: ChangeStatus::parse(c.attr("status").unwrap_or("")),
                    who: c
                        .attr("who")
                        .unwrap_or("")
                        .trim_start_matches('#')
                        .to_owned(),
                    when: c.attr("when").unwrap_or("").to_owned(),
                    desc: c.exact_text(),
                });
            }
        }
        let change_by_id: HashMap<&str, &Change> =
            changes.iter().map(|c| (c.id.as_str(), c)).collect();

        let standoff = root
            .kid("standOff")
            .ok_or_else(|| self.invalid(Some(root), "no <standOff>".into()))?;

        let mut relations = Vec::new();
        for lr in standoff.kids("listRelation") {
            for r in lr.kids("relation") {
                let layer_ref = |attr: &str| -> Result<String, TeiError> {
                    let v = self.need(r, attr)?;
                    v.strip_prefix("#layer.").map(str::to_owned).ok_or_else(|| {
                        self.invalid(
                            Some(r),
                            format!("@{attr} \"{v}\" does not point to a #layer.<id> witness"),
                        )
                    })
                };
                relations.push(Relation {
                    id: self.need(r, "xml:id")?.to_owned(),
                    source: layer_ref("passive")?,
                    derived: layer_ref("active")?,
                    kind: DerivationKind::parse(r.attr("name").unwrap_or("")),
                    // Older files name the makers in @resp; newer ones in the description.
                    resp: match r.attr("resp") {
                        Some(v) => v
                            .split_whitespace()
                            .map(|x| x.trim_start_matches('#').to_owned())
                            .collect(),
                        None => r
                            .kid("desc")
                            .map(|d| {
                                d.children
                                    .iter()
                                    .filter_map(|c| c.attr("ref"))
                                    .flat_map(str::split_whitespace)
                                    .map(|x| x.trim_start_matches('#').to_owned())
                                    .collect()
                            })
                            .unwrap_or_default(),
                    },
                    when: r.attr("when").map(str::to_owned),
                });
            }
        }

        // Split a pointer into (layer, sentence id).
        let resolve = |el: &xml::Element, p: &str| -> Result<(String, String), TeiError> {
            let (file, id) = p.rsplit_once('#').ok_or_else(|| {
                self.invalid(Some(el), format!("pointer \"{p}\" has no #fragment"))
            })?;
            let file = decode_path(file);
            let layer = file_to_layer.get(&file).ok_or_else(|| {
                self.invalid(
                    Some(el),
                    format!("pointer \"{p}\" names a file that is not a listed witness"),
                )
            })?;
            Ok((layer.clone(), id.to_owned()))
        };
        let status = |el: &xml::Element| -> LinkStatus {
            let change = el
                .attr("change")
                .map(|c| c.trim_start_matches('#'))
                .and_then(|c| change_by_id.get(c));
            let resp = el
                .attr("resp")
                .and_then(|r| r.split_whitespace().next())
                .map(|r| r.trim_start_matches('#').to_owned())
                .filter(|r| !r.is_empty());
            match (change, resp) {
                (Some(c), resp) if c.status == ChangeStatus::Verified => LinkStatus::Verified {
                    who: resp.unwrap_or_else(|| c.who.clone()),
                    when: c.when.clone(),
                },
                // A link someone added or edited by hand in an XML editor names a person, not
                // the tool: it is theirs, and re-alignment must not touch it.
                (c, Some(who)) if who != TOOL_ID => LinkStatus::Verified {
                    who,
                    when: c.map(|c| c.when.clone()).unwrap_or_default(),
                },
                _ => LinkStatus::Automatic,
            }
        };

        // The change each link and ptr points at (when it names one the file has).
        let mut item_changes: BTreeMap<String, String> = BTreeMap::new();
        let mut note_change = |el: &xml::Element| {
            let change = el.attr("change").map(|c| c.trim_start_matches('#'));
            if let (Some(id), Some(c)) = (el.attr("xml:id"), change)
                && change_by_id.contains_key(c)
            {
                item_changes.insert(id.to_owned(), c.to_owned());
            }
        };
        let mut edges = Vec::new();
        let mut segments = Vec::new();
        let mut id_high_water: BTreeMap<String, u64> = BTreeMap::new();
        let apps = header
            .kid("encodingDesc")
            .into_iter()
            .flat_map(|e| e.kids("appInfo"))
            .flat_map(|a| a.kids("application"))
            .filter(|a| a.attr("ident") == Some(TOOL_ID));
        let recorded = apps
            .flat_map(|a| a.kids("desc"))
            .filter(|d| d.attr("type") == Some(HIGH_WATER))
            .map(|d| format!("{HIGH_WATER} {}", d.all_text()));
        for (prefix, n) in recorded.flat_map(|t| parse_high_water(&t)) {
            let m = id_high_water.entry(prefix).or_insert(0);
            *m = (*m).max(n);
        }
        for g in standoff.kids("linkGrp") {
            // Files written before the marks moved to appInfo kept them in `linkGrp/@n`.
            for (prefix, n) in parse_high_water(g.attr("n").unwrap_or("")) {
                let m = id_high_water.entry(prefix).or_insert(0);
                *m = (*m).max(n);
            }
            match g.attr("type") {
                Some("alignment") => {
                    let rel_id = self.need(g, "corresp")?.trim_start_matches('#').to_owned();
                    let rel = relations.iter().find(|r| r.id == rel_id).ok_or_else(|| {
                        self.invalid(
                            Some(g),
                            format!("linkGrp points to relation #{rel_id}, which is not declared"),
                        )
                    })?;
                    let mut edge = EdgeAlignment {
                        relation: rel_id.clone(),
                        links: Vec::new(),
                        unaligned: Vec::new(),
                    };
                    for el in &g.children {
                        match (el.name.as_str(), el.attr("type")) {
                            ("link", _) => {
                                let mut source = Vec::new();
                                let mut derived = Vec::new();
                                for p in self.need(el, "target")?.split_whitespace() {
                                    let (layer, id) = resolve(el, p)?;
                                    if layer == rel.source && derived.is_empty() {
                                        source.push(id);
                                    } else if layer == rel.derived {
                                        derived.push(id);
                                    } else {
                                        return Err(self.invalid(
                                            Some(el),
                                            format!(
                                                "link target {p} is neither in {} (first) nor in {}",
                                                rel.source, rel.derived
                                            ),
                                        ));
                                    }
                                }
                                note_change(el);
                                edge.links.push(Link {
                                    id: self.need(el, "xml:id")?.to_owned(),
                                    source,
                                    derived,
                                    cert: self.cert(el)?,
                                    status: status(el),
                                    partial: el.attr("subtype") == Some("partial"),
                                });
                            }
                            ("ptr", Some("unaligned")) => {
                                let sub = self.need(el, "subtype")?;
                                let kind = match sub {
                                    "source-only" => UnalignedKind::SourceOnly,
                                    "derived-only" => UnalignedKind::DerivedOnly,
                                    "source-gap" => UnalignedKind::SourceGap,
                                    other => {
                                        return Err(self.invalid(
                                            Some(el),
                                            format!("unknown unaligned subtype \"{other}\""),
                                        ));
                                    }
                                };
                                let target = self.need(el, "target")?;
                                let (layer, sentence) = resolve(el, target.trim())?;
                                note_change(el);
                                edge.unaligned.push(Unaligned {
                                    id: self.need(el, "xml:id")?.to_owned(),
                                    kind,
                                    layer,
                                    sentence,
                                    // A source gap is written without @cert: it is a fact of
                                    // the witness, which the model holds as certain.
                                    cert: if kind == UnalignedKind::SourceGap
                                        && el.attr("cert").is_none()
                                    {
                                        1.0
                                    } else {
                                        self.cert(el)?
                                    },
                                    status: status(el),
                                });
                            }
                            _ => {}
                        }
                    }
                    edges.push(edge);
                }
                Some("segments") => {
                    for el in &g.children {
                        if el.name != "link" && el.name != "ptr" {
                            continue;
                        }
                        let mut members: BTreeMap<String, Vec<String>> = layer_files
                            .keys()
                            .map(|k| (k.clone(), Vec::new()))
                            .collect();
                        for p in self.need(el, "target")?.split_whitespace() {
                            let (layer, id) = resolve(el, p)?;
                            members.entry(layer).or_default().push(id);
                        }
                        segments.push(Segment {
                            id: self.need(el, "xml:id")?.to_owned(),
                            members,
                            chain: el
                                .attr("corresp")
                                .unwrap_or("")
                                .split_whitespace()
                                .map(|c| c.trim_start_matches('#').to_owned())
                                .collect(),
                        });
                    }
                }
                _ => {}
            }
        }

        Ok(WorkAlignment {
            item_changes,
            work,
            layer_files,
            agents,
            relations,
            edges,
            segments,
            changes,
            id_high_water,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> WorkAlignment {
        let mut layer_files = BTreeMap::new();
        for l in ["ru", "cs", "en"] {
            layer_files.insert(l.to_owned(), format!("../../texts/letter 1968/{l}.xml"));
        }
        let members = |ru: &[&str], cs: &[&str], en: &[&str]| {
            let mut m = BTreeMap::new();
            m.insert("ru".to_owned(), ru.iter().map(|s| s.to_string()).collect());
            m.insert("cs".to_owned(), cs.iter().map(|s| s.to_string()).collect());
            m.insert("en".to_owned(), en.iter().map(|s| s.to_string()).collect());
            m
        };
        WorkAlignment {
            item_changes: Default::default(),
            work: "letter of 1968".into(),
            layer_files,
            agents: vec![
                Agent {
                    id: "kramer".into(),
                    name: "Mark Kramer".into(),
                    role: "translator".into(),
                },
                Agent {
                    id: "tei-align".into(),
                    name: "tei-align".into(),
                    role: "aligner".into(),
                },
                Agent {
                    id: "ed".into(),
                    name: "An Editor & Co <x>".into(),
                    role: "editor".into(),
                },
            ],
            relations: vec![
                Relation {
                    id: "rel.ru-cs".into(),
                    source: "ru".into(),
                    derived: "cs".into(),
                    kind: DerivationKind::Translation,
                    resp: vec![],
                    when: Some("1992-07-17".into()),
                },
                Relation {
                    id: "rel.cs-en".into(),
                    source: "cs".into(),
                    derived: "en".into(),
                    kind: DerivationKind::Other("adaptation".into()),
                    resp: vec!["kramer".into()],
                    when: None,
                },
            ],
            edges: vec![
                EdgeAlignment {
                    relation: "rel.ru-cs".into(),
                    links: vec![],
                    unaligned: vec![
                        Unaligned {
                            id: "u.ru-cs.1".into(),
                            kind: UnalignedKind::SourceGap,
                            layer: "cs".into(),
                            sentence: "cs.s1".into(),
                            cert: 1.0,
                            status: LinkStatus::Automatic,
                        },
                        Unaligned {
                            id: "u.ru-cs.2".into(),
                            kind: UnalignedKind::SourceGap,
                            layer: "cs".into(),
                            sentence: "cs.s2".into(),
                            cert: 1.0,
                            status: LinkStatus::Automatic,
                        },
                    ],
                },
                EdgeAlignment {
                    relation: "rel.cs-en".into(),
                    links: vec![
                        Link {
                            partial: false,
                            id: "a.cs-en.1".into(),
                            source: vec!["cs.s1".into()],
                            derived: vec!["en.s1".into(), "en.s2".into()],
                            cert: 0.123456789,
                            status: LinkStatus::Automatic,
                        },
                        Link {
                            partial: true,
                            id: "a.cs-en.2".into(),
                            source: vec!["cs.s2".into()],
                            derived: vec!["en.s3".into()],
                            cert: 0.94,
                            status: LinkStatus::Verified {
                                who: "ed".into(),
                                when: "2026-11-25T10:00:00Z".into(),
                            },
                        },
                    ],
                    unaligned: vec![Unaligned {
                        id: "u.cs-en.1".into(),
                        kind: UnalignedKind::SourceGap,
                        layer: "en".into(),
                        sentence: "en.s4".into(),
                        cert: 0.875,
                        status: LinkStatus::Automatic,
                    }],
                },
            ],
            segments: vec![
                Segment {
                    id: "seg.1".into(),
                    members: members(&[], &["cs.s1"], &["en.s1", "en.s2"]),
                    chain: vec!["u.ru-cs.1".into(), "a.cs-en.1".into()],
                },
                Segment {
                    id: "seg.2".into(),
                    members: members(&[], &["cs.s2"], &["en.s3"]),
                    chain: vec!["u.ru-cs.2".into(), "a.cs-en.2".into()],
                },
                Segment {
                    id: "seg.3".into(),
                    members: members(&[], &[], &["en.s4"]),
                    chain: vec!["u.cs-en.1".into()],
                },
            ],
            changes: vec![
                Change {
                    id: "ch1".into(),
                    status: crate::model::ChangeStatus::Automatic,
                    who: "tei-align".into(),
                    when: "2026-11-25".into(),
                    desc: "Aligned <all> edges & more.".into(),
                },
                Change {
                    id: "ch2".into(),
                    status: crate::model::ChangeStatus::Verified,
                    who: "ed".into(),
                    when: "2026-11-25T10:00:00Z".into(),
                    desc: "Confirmed.".into(),
                },
            ],
            id_high_water: BTreeMap::from([
                ("a.cs-en".to_owned(), 4),
                ("u.cs-en".to_owned(), 1),
                ("seg".to_owned(), 7),
            ]),
        }
    }

    pub(super) fn sample_for_jing() -> WorkAlignment {
        sample()
    }

    #[test]
    fn round_trip_is_exact() {
        let mut a = sample();
        let xml = to_tei(&a);
        let b = parse_alignment(&xml, "mem.xml").unwrap();
        // Read back, every item names its change.
        crate::provenance::record::pin_changes(&mut a);
        assert_eq!(a, b);
        // And writing again gives the same bytes.
        assert_eq!(xml, to_tei(&b));
    }

    #[test]
    fn output_has_the_documented_shape() {
        let xml = to_tei(&sample());
        // The maker is named in the description, not in @resp (who made the assertion); no
        // @targFunc (a 1-2 link has three pointers, not two).
        assert!(xml.contains(
            "<relation xml:id=\"rel.cs-en\" name=\"adaptation\" active=\"#layer.en\" passive=\"#layer.cs\"><desc>adaptation by <persName ref=\"#kramer\">"
        ), "{xml}");
        assert!(!xml.contains("targFunc"));
        assert!(xml.contains("<link xml:id=\"a.cs-en.1\" type=\"1-2\" target=\"../../texts/letter%201968/cs.xml#cs.s1 ../../texts/letter%201968/en.xml#en.s1 ../../texts/letter%201968/en.xml#en.s2\" cert=\"0.123456789\" resp=\"#tei-align\" change=\"#ch1\"/>"));
        assert!(xml.contains("resp=\"#ed\" change=\"#ch2\""));
        assert!(
            xml.contains("<link xml:id=\"a.cs-en.2\" type=\"1-1\" subtype=\"partial\" target=")
        );
        assert!(xml.contains("<ptr xml:id=\"seg.3\" target=\"../../texts/letter%201968/en.xml#en.s4\" corresp=\"#u.cs-en.1\"/>"));
        assert!(xml.contains("<witness xml:id=\"layer.ru\""));
        assert!(xml.contains("An Editor &amp; Co &lt;x&gt;"));
        // Segments list layers in derivation order: cs before en.
        let seg1 = xml.lines().find(|l| l.contains("seg.1")).unwrap();
        assert!(seg1.find("cs.s1").unwrap() < seg1.find("en.s1").unwrap());
    }

    #[test]
    fn high_water_marks_are_in_app_info_and_the_old_form_is_read() {
        let xml = to_tei(&sample());
        assert!(
            xml.contains("<desc type=\"high-water\">a.cs-en.4 seg.7 u.cs-en.1</desc>"),
            "{xml}"
        );
        assert!(!xml.contains(" n=\"high-water"));
        // As files written before kept them: on the linkGrps.
        let old = xml
            .replace(
                "\n          <desc type=\"high-water\">a.cs-en.4 seg.7 u.cs-en.1</desc>",
                "",
            )
            .replace(
                "corresp=\"#rel.cs-en\">",
                "corresp=\"#rel.cs-en\" n=\"high-water a.cs-en.4 u.cs-en.1\">",
            )
            .replace(
                "<linkGrp type=\"segments\">",
                "<linkGrp type=\"segments\" n=\"high-water seg.7\">",
            );
        assert_ne!(old, xml);
        let a = parse_alignment(&old, "old.xml").unwrap();
        assert_eq!(a.id_high_water, sample().id_high_water);
        assert_eq!(to_tei(&a), xml);
    }

    #[test]
    fn verified_link_without_change_gets_one() {
        let mut a = sample();
        a.changes
            .retain(|c| c.status != crate::model::ChangeStatus::Verified);
        let xml = to_tei(&a);
        assert!(xml.contains("<change xml:id=\"ch.v1\" status=\"verified\" who=\"#ed\""));
        let b = parse_alignment(&xml, "mem.xml").unwrap();
        assert_eq!(b.edges[1].links[1].status, a.edges[1].links[1].status);
    }

    #[test]
    fn hand_made_link_naming_a_person_is_verified() {
        // As an editor might type it in an XML editor: no change, their own resp.
        let xml = to_tei(&sample()).replace(
            "cert=\"0.123456789\" resp=\"#tei-align\" change=\"#ch1\"",
            "cert=\"1\" resp=\"#ed\"",
        );
        let b = parse_alignment(&xml, "a.xml").unwrap();
        let l = &b.edges[1].links[0];
        assert_eq!(
            l.status,
            LinkStatus::Verified {
                who: "ed".into(),
                when: String::new()
            }
        );
        // Written back: a verified change without a date, and the file still reads the same.
        let again = to_tei(&b);
        assert!(
            again.contains("status=\"verified\" who=\"#ed\">"),
            "{again}"
        );
        let c = parse_alignment(&again, "a.xml").unwrap();
        assert_eq!(c.edges, b.edges);
        assert_eq!(c.changes.len(), b.changes.len() + 1);
        assert_eq!(to_tei(&c), again);
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let xml = to_tei(&sample()).replacen("</titleStmt>", "</titleStm>", 1);
        let err = parse_alignment(&xml, "x/alignment.xml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x/alignment.xml:"), "{err}");
        let line = xml.lines().position(|l| l.contains("</titleStm>")).unwrap() + 1;
        assert!(err.contains(&format!(":{line}:")), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let n = crate::tei::dom::MAX_DEPTH + 1;
        let text = format!("<TEI>{}{}</TEI>", "<a>".repeat(n), "</a>".repeat(n));
        let e = parse_alignment(&text, "deep.xml").unwrap_err().to_string();
        assert!(e.starts_with("deep.xml:1:"), "{e}");
        assert!(e.contains("nested more than"), "{e}");
    }

    #[test]
    fn a_layer_is_not_taken_for_an_alignment() {
        let layer = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><revisionDesc><change>x</change></revisionDesc></teiHeader><text><body><p><s xml:id="cs.s1">A.</s></p></body></text></TEI>"#;
        let e = parse_alignment(layer, "cs.xml").unwrap_err().to_string();
        assert!(e.contains("not an alignment file"), "{e}");
    }

    #[test]
    fn pointer_to_unknown_file_is_an_error() {
        let xml = to_tei(&sample()).replace("letter%201968/en.xml#en.s3", "other.xml#en.s3");
        let err = parse_alignment(&xml, "a.xml").unwrap_err().to_string();
        assert!(err.contains("other.xml#en.s3"), "{err}");
    }

    #[test]
    fn derivation_order_puts_sources_first() {
        let a = sample();
        let ids: Vec<String> = a.layer_files.keys().cloned().collect();
        assert_eq!(derivation_order(&ids, &a.relations), ["ru", "cs", "en"]);
    }
}

#[cfg(test)]
mod jing_tests {
    /// The written file must be valid against tei_all (skipped when jing or the schema is absent).
    #[test]
    fn written_alignment_is_valid_tei() {
        let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/schema/tei_all.rng");
        let jing = std::process::Command::new("jing").arg("-h").output();
        if jing.is_err() || !std::path::Path::new(schema).exists() {
            eprintln!("skipping TEI validation: jing or {schema} is absent");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut undated = super::tests::sample_for_jing();
        // A link confirmed by hand with no known date: its change has no @when.
        undated.edges[1].links[0].status = crate::model::LinkStatus::Verified {
            who: "ed".into(),
            when: String::new(),
        };
        for (name, a) in [
            ("a.xml", super::tests::sample_for_jing()),
            ("b.xml", undated),
        ] {
            let p = dir.path().join(name);
            super::write_alignment(&p, &a).unwrap();
            let out = std::process::Command::new("jing")
                .arg(schema)
                .arg(&p)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "jing: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[cfg(test)]
mod prop_tests {
    use super::*;
    use proptest::prelude::*;

    /// Free text as people type it: XML specials, quotes, new lines, tabs, Cyrillic, Czech.
    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 &<>\"'\\n\\tčřžůЖизнь#%]{0,24}"
    }

    fn status() -> impl Strategy<Value = LinkStatus> {
        prop_oneof![
            Just(LinkStatus::Automatic),
            (0..3usize, prop::option::of(0..3usize)).prop_map(|(w, d)| LinkStatus::Verified {
                who: format!("ed{w}"),
                when: d.map(|d| format!("2026-0{}-01", d + 1)).unwrap_or_default(),
            }),
        ]
    }

    prop_compose! {
        fn alignment()(
            n_src in 0..6usize,
            n_der in 1..6usize,
            certs in prop::collection::vec(0.0..=1.0f64, 12),
            statuses in prop::collection::vec(status(), 12),
            desc in text(),
            name in text(),
            dir in "[a-z ]{1,8}",
            marks in prop::collection::vec(0..60u64, 3),
        ) -> WorkAlignment {
            // Segments are n_der ≥ 1, so their linkGrp (which carries the seg mark) is written.
            let hw: BTreeMap<String, u64> = ["a.a-b", "u.a-b", "seg"]
                .iter()
                .zip(&marks)
                .filter(|(_, m)| **m > 0)
                .map(|(k, m)| (k.to_string(), *m))
                .collect();
            let mut layer_files = BTreeMap::new();
            layer_files.insert("a".to_string(), format!("../{dir}/a.xml"));
            layer_files.insert("b".to_string(), format!("../{dir}/b.xml"));
            // Pair sentences one to one, the rest of b are source gaps.
            let links: Vec<Link> = (0..n_src.min(n_der))
                .map(|k| Link {
                    id: format!("a.a-b.{}", k + 1),
                    source: vec![format!("a.s{}", k + 1)],
                    derived: vec![format!("b.s{}", k + 1)],
                    cert: certs[k],
                    status: statuses[k].clone(),
                    // Some partial, some not (the flag must read back too).
                    partial: certs[k] < 0.3,
                })
                .collect();
            let unaligned: Vec<Unaligned> = (n_src.min(n_der)..n_der)
                .map(|k| Unaligned {
                    id: format!("u.a-b.{}", k + 1),
                    kind: UnalignedKind::SourceGap,
                    layer: "b".into(),
                    sentence: format!("b.s{}", k + 1),
                    cert: certs[6 + k],
                    status: statuses[6 + k].clone(),
                })
                .collect();
            let segments = (0..n_der)
                .map(|k| {
                    let mut members = BTreeMap::new();
                    members.insert(
                        "a".to_string(),
                        if k < n_src { vec![format!("a.s{}", k + 1)] } else { vec![] },
                    );
                    members.insert("b".to_string(), vec![format!("b.s{}", k + 1)]);
                    Segment {
                        id: format!("seg.{}", k + 1),
                        members,
                        chain: vec![if k < n_src {
                            format!("a.a-b.{}", k + 1)
                        } else {
                            format!("u.a-b.{}", k + 1)
                        }],
                    }
                })
                .collect();
            let mut agents = vec![Agent { id: "tei-align".into(), name, role: desc.clone() }];
            for w in 0..3 {
                agents.push(Agent { id: format!("ed{w}"), name: format!("Editor {w}"), role: "editor".into() });
            }
            WorkAlignment {
                item_changes: Default::default(),
                work: format!("w {dir}"),
                layer_files,
                agents,
                relations: vec![Relation {
                    id: "rel.a-b".into(),
                    source: "a".into(),
                    derived: "b".into(),
                    kind: DerivationKind::Other(format!("k{}", n_src)),
                    resp: vec![],
                    when: None,
                }],
                edges: vec![EdgeAlignment { relation: "rel.a-b".into(), links, unaligned }],
                segments,
                changes: vec![Change {
                    id: "ch1".into(),
                    status: crate::model::ChangeStatus::Automatic,
                    who: "tei-align".into(),
                    when: "2026-01-01".into(),
                    desc,
                }],
                id_high_water: hw,
            }
        }
    }

    proptest! {
        /// Whatever the text and the statuses, what is read back is what was written, and
        /// writing it again gives the same bytes (the file is stable from the first write on).
        #[test]
        fn written_alignments_read_back(a in alignment()) {
            let xml = to_tei(&a);
            let b = parse_alignment(&xml, "p.xml").unwrap();
            prop_assert_eq!(&b.edges, &a.edges);
            prop_assert_eq!(&b.segments, &a.segments);
            prop_assert_eq!(&b.agents, &a.agents);
            prop_assert_eq!(&b.layer_files, &a.layer_files);
            prop_assert_eq!(&b.work, &a.work);
            prop_assert_eq!(&b.changes[..a.changes.len()], &a.changes[..]);
            prop_assert_eq!(to_tei(&b), xml);
        }
    }
}

/// The name element of a respStmt: software as `name`, an organisation as `orgName`, someone
/// the sources do not name as `persName type="unknown"`, anyone else as `persName`.
fn agent_name_el(a: &Agent) -> String {
    if a.id == TOOL_ID {
        format!("<name type=\"software\">{}</name>", esc(&a.name))
    } else if a.name == crate::model::UNKNOWN_AGENT {
        format!("<persName type=\"unknown\">{}</persName>", esc(&a.name))
    } else if matches!(
        a.role.as_str(),
        "publisher" | "archive" | "repository" | "institution"
    ) {
        format!("<orgName>{}</orgName>", esc(&a.name))
    } else {
        format!("<persName>{}</persName>", esc(&a.name))
    }
}
