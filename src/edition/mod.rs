//! The TEI parallel edition and its static HTML view.
//!
//! [`to_tei`] makes ONE TEI document holding every layer of a work (`<text><group>` with one
//! `<text xml:lang>` per layer, in derivation order), a header that lists every witness
//! (`listWit`) and the derivation graph (`listRelation`), and the alignment as `<standOff>` with
//! pointers local to the document (`#cs.s12`). [`to_html`] makes one self-contained HTML page
//! (inline CSS and JS, no network) with the layers side by side, one row per N-way segment.
//! [`write_edition`] writes both atomically.

mod files;
mod html;
mod text;
mod witness;

use crate::coverage::{self, CoverageOptions};
use crate::model::{Layer, LinkStatus, UnalignedKind, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use crate::tei::standoff::{items, segment_members};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use html::to_html;

/// Errors of writing the edition.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// The edition could not be written.
    #[error("{0}")]
    Write(String),
    /// A file could not be written.
    #[error(transparent)]
    Fs(#[from] crate::fsutil::FsError),
    /// The alignment does not fit the layers.
    #[error(transparent)]
    Coverage(#[from] coverage::CoverageError),
}

/// How the edition is made.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EditionOptions {
    /// Which links count as doubtful (marked in the HTML view).
    pub coverage: CoverageOptions,
}

/// The name of the TEI file in the output directory.
pub(crate) const TEI_FILE: &str = "edition.xml";
/// The name of the HTML file in the output directory.
pub(crate) const HTML_FILE: &str = "index.html";

/// Write `edition.xml`, `index.html` and the downloads the page links (the layers, the
/// alignment, TMX, cesAlign) into `dir` (created if needed), atomically as a whole
/// ([`crate::fsutil::write_dir_atomic`]: a new directory swapped for the old); returns the paths
/// written. Nothing is written if any cannot be made.
pub fn write_edition(
    dir: &Path,
    work: &Work,
    alignment: &WorkAlignment,
    opts: &EditionOptions,
) -> Result<Vec<PathBuf>, EditionError> {
    let tei = to_tei(work, alignment)?;
    // The download files (layers, alignment, TMX, cesAlign) beside the page, which links them.
    let extras = files::extras(work, alignment);
    let html = html::page(work, alignment, opts, &extras)?;
    let mut files: Vec<(&str, &[u8])> = vec![(TEI_FILE, tei.as_bytes())];
    files.extend(
        extras
            .iter()
            .map(|x| (x.path.as_str(), x.content.as_slice())),
    );
    files.push((HTML_FILE, html.as_bytes()));
    crate::fsutil::write_dir_atomic(dir, &files)?;
    Ok(files.iter().map(|(name, _)| dir.join(name)).collect())
}

/// Escape text for XML and HTML content and attribute values (see `tei::escape`).
pub use crate::tei::escape::html as escape;

/// Is `s` usable as an `xml:id` (an NCName, simplified to what our ids look like)?
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Is `s` a W3C date or date-time as `@when` accepts (`1992`, `1992-07`, `1992-07-17`,
/// `2026-11-20T10:00:00Z` …)? Anything else is left out rather than making the file invalid.
fn is_w3c_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        n if n >= 19 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && b[10] == b'T'
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && b[16] == b':'
                && digits(17..19)
                && s[19..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || "+-:.Z".contains(c))
        }
        _ => false,
    }
}

/// Hands out each `xml:id` once: a clash would make the document invalid, so a second use of
/// an id is written without it.
#[derive(Default)]
struct Ids(HashSet<String>);

impl items::Naming for Ids {
    fn id_attr(&mut self, out: &mut String, id: &str) {
        out.push_str(&self.attr(id));
    }

    /// The edition holds every layer: a sentence is pointed at within it.
    fn target(&self, out: &mut String, _layer: &str, sentence: &str) {
        out.push('#');
        crate::tei::escape::push_attr(out, sentence);
    }
}

impl Ids {
    /// ` xml:id="…"` the first time an id is used, nothing after (or for an unusable id).
    fn attr(&mut self, id: &str) -> String {
        if is_ncname(id) && self.0.insert(id.to_owned()) {
            format!(" xml:id=\"{}\"", escape(id))
        } else {
            String::new()
        }
    }
}

/// Every agent named by the layers, the alignment, the relations and the verified links, once,
/// in that order: (id, name, role).
fn all_agents(work: &Work, alignment: &WorkAlignment) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut push = |id: &str, name: &str, role: &str| {
        if !out.iter().any(|a| a.0 == id) {
            out.push((id.to_owned(), name.to_owned(), role.to_owned()));
        }
    };
    for a in work.layers.iter().flat_map(|l| &l.agents) {
        push(&a.id, &a.name, &a.role);
    }
    for a in &alignment.agents {
        push(&a.id, &a.name, &a.role);
    }
    for r in &alignment.relations {
        for id in &r.resp {
            push(id, id, "named in the derivation graph");
        }
    }
    for c in &alignment.changes {
        push(&c.who, &c.who, "editor");
    }
    for e in &alignment.edges {
        for st in e
            .links
            .iter()
            .map(|l| &l.status)
            .chain(e.unaligned.iter().map(|u| &u.status))
        {
            if let LinkStatus::Verified { who, .. } = st {
                push(who, who, "editor");
            }
        }
    }
    push("tei-align", "tei-align", "aligner");
    out
}

/// `#a #b` from ids.
fn ptrs<'a>(ids: impl IntoIterator<Item = &'a String>) -> String {
    ids.into_iter()
        .map(|i| format!("#{}", i.rsplit('#').next().unwrap_or(i)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `<p>` blocks of one layer: sentences and gaps in document order, grouped by block.
fn write_layer_body(o: &mut String, layer: &Layer, ids: &mut Ids) {
    // block → items in order; a gap goes before the sentence with index `after`.
    let mut blocks: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let gap_xml = |g: &crate::model::Gap| {
        let desc = g
            .desc
            .as_deref()
            .map(|d| format!("<desc>{}</desc>", escape(d)))
            .unwrap_or_default();
        if desc.is_empty() {
            format!("<gap reason=\"{}\"/>", escape(&g.reason))
        } else {
            format!("<gap reason=\"{}\">{desc}</gap>", escape(&g.reason))
        }
    };
    let mut gaps = layer.gaps.iter().peekable();
    for (i, s) in layer.sentences.iter().enumerate() {
        while let Some(g) = gaps.next_if(|g| g.after <= i) {
            blocks.entry(g.block).or_default().push(gap_xml(g));
        }
        blocks.entry(s.block).or_default().push(format!(
            "<s{}>{}</s>",
            ids.attr(&s.id),
            escape(&s.text)
        ));
    }
    for g in gaps {
        blocks.entry(g.block).or_default().push(gap_xml(g));
    }
    if blocks.is_empty() {
        // A witness with no text and no recorded gap: say so rather than leave an empty body.
        blocks
            .entry(0)
            .or_default()
            .push("<gap reason=\"text-unavailable\"/>".into());
    }
    for items in blocks.values() {
        let _ = writeln!(o, "          <p>{}</p>", items.join(" "));
    }
}

/// The content of the layer file's `<text>` element, byte for byte, with the `xml:id`s in it —
/// when it can be copied into the edition safely: the file reads as XML, the content uses no
/// namespace prefix and no entity other than the predefined ones (both would need declarations
/// the edition does not carry), none of its ids is taken already, and it holds every sentence of
/// the layer. Otherwise `None`, and the edition writes the layer from the model instead.
fn original_text(layer: &Layer, taken: &Ids) -> Option<(String, Vec<String>)> {
    use quick_xml::events::Event;
    let src = crate::fsutil::read_text(&layer.path).ok()?;
    let mut reader = quick_xml::Reader::from_str(&src);
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut found: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let prefixed = |name: &str| name.split_once(':').is_some_and(|(p, _)| p != "xml");
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        let ev = reader.read_event().ok()?;
        let after = usize::try_from(reader.buffer_position()).ok()?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(ev, Event::Start(_));
                if start.is_none() {
                    if depth == 1 && e.name().as_ref() == "text" && is_start {
                        start = Some(after);
                    }
                } else {
                    if prefixed(e.name().as_ref()) {
                        return None;
                    }
                    for a in e.attributes() {
                        let a = a.ok()?;
                        let key = a.key.as_ref();
                        if prefixed(key) || key.starts_with("xmlns") {
                            return None;
                        }
                        if key == "xml:id" {
                            let v: String = a.value.into_owned();
                            if taken.0.contains(&v) || !seen.insert(v.clone()) {
                                return None;
                            }
                            found.push(v);
                        }
                    }
                }
                if is_start {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.checked_sub(1)?;
                if depth == 1
                    && let Some(st) = start
                {
                    let inner = src.get(st..before)?.to_owned();
                    let all = layer.sentences.iter().all(|s| seen.contains(&s.id));
                    return all.then_some((inner, found));
                }
            }
            Event::GeneralRef(ref r) if start.is_some() => {
                let name: &str = r.as_ref();
                if !name.starts_with('#')
                    && quick_xml::escape::resolve_predefined_entity(name).is_none()
                {
                    return None;
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The TEI parallel edition: one TEI document with every layer, the witnesses, the derivation
/// graph and the alignment as standOff. Deterministic.
pub fn to_tei(work: &Work, alignment: &WorkAlignment) -> Result<String, EditionError> {
    let order = ordered_layers(work, &alignment.relations);
    let mut ids = Ids::default();
    let mut o = String::new();
    let e = escape;
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\">\n");
    o.push_str("  <teiHeader>\n    <fileDesc>\n      <titleStmt>\n");
    let _ = writeln!(
        o,
        "        <title>{}: parallel edition of {} layers</title>",
        e(&work.id),
        order.len()
    );
    let agents: Vec<crate::model::Agent> = all_agents(work, alignment)
        .into_iter()
        .map(|(id, name, role)| {
            // An organisation stays one, and an attribution keeps its certainty: as the layers
            // or the alignment record them.
            let known = || {
                work.layers
                    .iter()
                    .flat_map(|l| &l.agents)
                    .chain(&alignment.agents)
                    .filter(|a| a.id == id)
            };
            let org = known().any(|a| a.org);
            let cert = known().find_map(|a| a.cert.clone());
            crate::model::Agent {
                id,
                name,
                role,
                org,
                cert,
            }
        })
        .collect();
    for agent in &agents {
        items::resp_stmt(&mut o, &mut ids, agent);
    }
    o.push_str("      </titleStmt>\n");
    let _ = writeln!(
        o,
        "      <publicationStmt><p>Generated by tei-align {} from the layers of {} and their alignment.</p></publicationStmt>",
        crate::VERSION,
        e(&work.id)
    );
    write_source_desc(&mut o, &order, alignment, &agents, &mut ids);
    o.push_str("      </sourceDesc>\n    </fileDesc>\n");
    // The tool's application, with the record of the texts confirmed, goes here once the
    // standOff has given the items their ids.
    let app_at = o.len();
    write_lang_usage(&mut o, &order);
    // The history as the alignment file writes it (with the changes it adds for confirmed
    // items that name none), less the changes without a date (not valid in an edition).
    let (item_change, extra) = items::item_changes(alignment);
    let changes: Vec<_> = alignment
        .changes
        .iter()
        .chain(&extra)
        .filter(|c| is_w3c_date(&c.when))
        .collect();
    if !changes.is_empty() {
        o.push_str("    <revisionDesc>\n");
        for c in &changes {
            items::change(&mut o, &mut ids, c);
        }
        o.push_str("    </revisionDesc>\n");
    }
    o.push_str("  </teiHeader>\n");
    write_texts(&mut o, &order, &mut ids);
    let written: HashSet<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    let item_change: HashMap<&str, String> = item_change
        .into_iter()
        .filter(|(_, c)| written.contains(c.as_str()))
        .collect();
    let texts = crate::provenance::digest::check_texts(work, alignment);
    write_standoff(&mut o, alignment, &item_change, &mut ids, &texts.changed);
    o.push_str("</TEI>\n");
    o.insert_str(app_at, &app_info(alignment, &changes, &ids));
    Ok(o)
}

/// The edition's `encodingDesc`: the tool, with its record of the text of each confirmed item
/// the edition gives an id, as the alignment file records it (`items::confirmed_text`).
fn app_info(alignment: &WorkAlignment, changes: &[&crate::model::Change], ids: &Ids) -> String {
    let mut marks = String::new();
    for e in &alignment.edges {
        let links = e.links.iter().map(|l| (&l.id, &l.status));
        let ptrs = e.unaligned.iter().map(|u| (&u.id, &u.status));
        for (id, st) in links.chain(ptrs) {
            if let Some(t) = st.confirmed_text()
                && ids.0.contains(id)
            {
                let change = items::recorded_change(changes.iter().copied(), t)
                    .filter(|c| ids.0.contains(*c));
                items::confirmed_text(&mut marks, id, t, change);
            }
        }
    }
    let close = if marks.is_empty() { "" } else { "\n        " };
    format!(
        "    <encodingDesc><appInfo><application ident=\"tei-align\" version=\"{}\"><label>tei-align</label>{marks}{close}</application></appInfo></encodingDesc>\n",
        crate::VERSION
    )
}

/// The `<langUsage>` of the edition: each language of its layers once, in layer order.
fn write_lang_usage(o: &mut String, order: &[&Layer]) {
    let e = escape;
    o.push_str("    <profileDesc><langUsage>");
    let mut seen = HashSet::new();
    for l in order {
        let lang = l.lang.as_str();
        if seen.insert(lang) {
            let _ = write!(
                o,
                "<language ident=\"{}\">{}</language>",
                e(lang),
                e(crate::tei::header::language_name(lang))
            );
        }
    }
    o.push_str("</langUsage></profileDesc>\n");
}

/// The `<text>` of the edition: a `<group>` with one `<text>` per layer, in `order`.
fn write_texts(o: &mut String, order: &[&Layer], ids: &mut Ids) {
    let e = escape;
    o.push_str("  <text>\n    <group>\n");
    for l in order {
        let _ = writeln!(
            o,
            "      <text xml:lang=\"{}\"{} corresp=\"#layer.{}\">\n        <body>",
            e(&l.lang),
            ids.attr(&format!("text.{}", l.id)),
            e(&l.id)
        );
        match original_text(l, ids) {
            Some((inner, found)) => {
                // The layer's own markup (heads, salutations, notes, page breaks …), byte for
                // byte; its ids are now taken.
                ids.0.extend(found);
                o.truncate(o.len() - "        <body>\n".len());
                o.push_str(&inner);
                o.push_str("</text>\n");
            }
            None => {
                write_layer_body(o, l, ids);
                o.push_str("        </body>\n      </text>\n");
            }
        }
    }
    o.push_str("    </group>\n  </text>\n");
}

/// The `sourceDesc`: a witness per layer (its title, makers, language and source) and the
/// derivation graph.
fn write_source_desc(
    o: &mut String,
    order: &[&Layer],
    alignment: &WorkAlignment,
    agents: &[crate::model::Agent],
    ids: &mut Ids,
) {
    let e = escape;
    o.push_str("      <sourceDesc>\n        <listWit>\n");
    for l in order {
        let _ = writeln!(
            o,
            "          <witness{}>",
            ids.attr(&format!("layer.{}", l.id))
        );
        let _ = write!(o, "            <bibl><title>{}</title>", e(&l.title));
        for a in &l.agents {
            let cert = a
                .cert
                .as_ref()
                .map(|c| format!(" cert=\"{}\"", e(c)))
                .unwrap_or_default();
            let _ = write!(
                o,
                "<respStmt{cert}><resp>{}</resp><name>{}</name></respStmt>",
                e(&a.role),
                e(&a.name)
            );
        }
        if is_ncname(&l.lang) {
            let _ = write!(o, "<textLang mainLang=\"{}\"/>", e(&l.lang));
        }
        if !l.source_desc.trim().is_empty() {
            let _ = write!(o, "<note>{}</note>", e(l.source_desc.trim()));
        }
        if !l.has_text() {
            o.push_str("<note type=\"availability\">No text of this witness is available.</note>");
        }
        o.push_str("</bibl>\n          </witness>\n");
    }
    o.push_str("        </listWit>\n");
    if !alignment.relations.is_empty() {
        o.push_str("        <listRelation type=\"derivation\">\n");
        for r in &alignment.relations {
            let mut attrs = format!(
                "{} name=\"{}\" active=\"#layer.{}\" passive=\"#layer.{}\"",
                ids.attr(&r.id),
                e(r.kind.as_str()),
                e(&r.derived),
                e(&r.source)
            );
            if let Some(w) = r.when.as_deref().filter(|w| is_w3c_date(w)) {
                let _ = write!(attrs, " when=\"{w}\"");
            }
            // As the alignment file writes it: who made the layer is named in the description,
            // pointing at the respStmt; `@resp` would say who made the assertion.
            let _ = writeln!(
                o,
                "          <relation{attrs}><desc>{}</desc></relation>",
                items::relation_desc(agents, r)
            );
        }
        o.push_str("        </listRelation>\n");
    }
}

/// The standOff: a `linkGrp` per edge (links and ptrs written as the alignment file writes
/// them, pointing into the edition) and the N-way segments.
fn write_standoff(
    o: &mut String,
    alignment: &WorkAlignment,
    item_change: &HashMap<&str, String>,
    ids: &mut Ids,
    on_another_text: &[crate::provenance::digest::TextChanged],
) {
    let e = escape;
    let mut body = String::new();
    let change_of = |id: &str| item_change.get(id).map(String::as_str);
    for edge in &alignment.edges {
        let rel = alignment.relations.iter().find(|r| r.id == edge.relation);
        let sides = rel.map_or(("", ""), |r| (r.source.as_str(), r.derived.as_str()));
        let mut lines = String::new();
        for l in &edge.links {
            items::link(&mut lines, ids, l, sides, (&l.status, change_of(&l.id)));
        }
        for u in &edge.unaligned {
            items::ptr(&mut lines, ids, u, (&u.status, change_of(&u.id)));
        }
        if lines.is_empty() {
            continue; // an empty linkGrp is invalid
        }
        let _ = writeln!(
            body,
            "    <linkGrp type=\"alignment\" corresp=\"#{}\">\n{lines}    </linkGrp>",
            e(&edge.relation)
        );
    }
    let mut segs = String::new();
    let layers: Vec<String> = alignment.layer_files.keys().cloned().collect();
    let order = crate::provenance::derivation_order(&layers, &alignment.relations);
    for s in &alignment.segments {
        let targets: Vec<String> = segment_members(&order, s)
            .map(|(_, id)| id.to_owned())
            .collect();
        if targets.is_empty() {
            continue;
        }
        let corresp = if s.chain.is_empty() {
            String::new()
        } else {
            format!(" corresp=\"{}\"", e(&ptrs(&s.chain)))
        };
        // A segment of one sentence (e.g. past a gap) cannot be a TEI link, which needs two ends.
        let (el, ty) = if targets.len() >= 2 {
            ("link", "")
        } else {
            ("ptr", " type=\"segment\"")
        };
        let _ = writeln!(
            segs,
            "      <{el}{}{ty} target=\"{}\"{corresp}/>",
            ids.attr(&s.id),
            e(&ptrs(&targets))
        );
    }
    if !segs.is_empty() {
        let _ = writeln!(
            body,
            "    <linkGrp type=\"segments\">\n{segs}    </linkGrp>"
        );
    }
    // A confirmation of a text edited since (or beside which text came since) is not a
    // confirmation of the text the edition holds: said as a `certainty` about the item (TEI
    // 22.1.2), unknown, with the reason every command gives. Links and ptrs are empty elements,
    // and no attribute of theirs says it.
    for c in on_another_text.iter().filter(|c| ids.0.contains(&c.item)) {
        let _ = writeln!(
            body,
            "    <certainty type=\"confirmed-on-another-text\" target=\"#{}\" locus=\"value\" cert=\"unknown\"><desc>{}</desc></certainty>",
            e(&c.item),
            e(&c.line())
        );
    }
    if !body.is_empty() {
        o.push_str("  <standOff>\n");
        o.push_str(&body);
        o.push_str("  </standOff>\n");
    }
}

/// What happened to a sentence along the edges it takes part in (for marking it).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentenceMarks {
    pub omitted_in: Vec<String>,
    pub added: bool,
    pub source_gap: bool,
    /// The derived layers whose witness has a gap where this (source) sentence would stand.
    pub derived_gap_in: Vec<String>,
    pub doubtful: bool,
    pub merged_or_split: bool,
    pub verified: bool,
    /// Who confirmed its links and when (editor id, then made a name by the page; the date):
    /// the sentence's tooltip says so, which a reader without JavaScript has.
    pub confirmed: Vec<(String, String)>,
    /// A link of it is partial: one side covers clearly less than the other.
    pub partial: bool,
    /// Its witness has a gap inside it, in words ("the text of cs breaks off inside this
    /// sentence (…)").
    pub gap_inside: Vec<String>,
    /// Confirmed items of it whose sentences were edited since they were confirmed, each as
    /// "a.cs-en.5 (en.s5 edited since)": confirmed on another text, to review.
    pub text_changed: Vec<String>,
    /// A sentence of a layer made from several sources without a counterpart in one of them
    /// that another accounts for, in words ("no counterpart in en; linked in grc"): from the
    /// other source, not an addition.
    pub from_other_source: Vec<String>,
    /// A source sentence without a counterpart on an edge but carried over into its derived
    /// layer through another source, in words ("cs, through grc"): not an omission.
    pub carried_in: Vec<String>,
}

/// Marks of every sentence, by id.
pub(crate) fn sentence_marks(
    alignment: &WorkAlignment,
    opts: &EditionOptions,
    without_text: &HashSet<&str>,
) -> BTreeMap<String, SentenceMarks> {
    let mut m: BTreeMap<String, SentenceMarks> = BTreeMap::new();
    let sources = crate::coverage::Sources::new(
        alignment,
        without_text.iter().map(|s| (*s).to_owned()).collect(),
        opts.coverage.doubt_below,
        HashSet::new(),
    );
    let source_of = |rel: &str| {
        alignment
            .relations
            .iter()
            .find(|r| r.id == rel)
            .map(|r| r.source.as_str())
            .unwrap_or_default()
    };
    let derived_of = |rel: &str| {
        alignment
            .relations
            .iter()
            .find(|r| r.id == rel)
            .map(|r| r.derived.clone())
            .unwrap_or_default()
    };
    for edge in &alignment.edges {
        for l in &edge.links {
            let verified = matches!(l.status, LinkStatus::Verified { .. });
            let doubtful = !verified && l.cert < opts.coverage.doubt_below;
            let nm = !l.source.is_empty()
                && !l.derived.is_empty()
                && (l.source.len() > 1 || l.derived.len() > 1);
            for id in l.source.iter().chain(&l.derived) {
                let e = m.entry(id.clone()).or_default();
                e.doubtful |= doubtful;
                e.merged_or_split |= nm;
                e.verified |= verified;
                if let LinkStatus::Verified { who, when, .. } = &l.status {
                    let day: String = when.chars().take(10).collect();
                    if !e.confirmed.iter().any(|(w, d)| w == who && *d == day) {
                        e.confirmed.push((who.clone(), day));
                    }
                }
                e.partial |= l.partial;
            }
            if l.derived.is_empty() {
                for id in &l.source {
                    let e = m.entry(id.clone()).or_default();
                    omitted(
                        e,
                        &sources,
                        source_of(&edge.relation),
                        &derived_of(&edge.relation),
                        id,
                    );
                }
            }
            if l.source.is_empty() {
                for id in &l.derived {
                    let e = m.entry(id.clone()).or_default();
                    added(
                        e,
                        &sources,
                        source_of(&edge.relation),
                        &derived_of(&edge.relation),
                        id,
                    );
                }
            }
        }
        for u in &edge.unaligned {
            let e = m.entry(u.sentence.clone()).or_default();
            let (src, der) = (source_of(&edge.relation), derived_of(&edge.relation));
            match u.kind {
                UnalignedKind::SourceOnly => omitted(e, &sources, src, &der, &u.sentence),
                UnalignedKind::DerivedOnly => added(e, &sources, src, &der, &u.sentence),
                // Every sentence of a layer whose source has no text at all lies "past a gap";
                // the column of the lost source says so once, marking each would be noise.
                UnalignedKind::SourceGap => {
                    e.source_gap |= !without_text.contains(source_of(&edge.relation))
                }
                UnalignedKind::DerivedGap => e.derived_gap_in.push(derived_of(&edge.relation)),
            }
        }
    }
    m
}

/// Mark source sentence `id` omitted in `der`, or carried over into it through another source.
fn omitted(
    e: &mut SentenceMarks,
    sources: &crate::coverage::Sources<'_>,
    src: &str,
    der: &str,
    id: &str,
) {
    match sources.carried(src, der, id) {
        Some(c) => e.carried_in.push(format!("{der}, through {}", c.route())),
        None => e.omitted_in.push(der.to_owned()),
    }
}

/// Mark derived sentence `id` (of `der`) added, or from another source of `der`.
fn added(
    e: &mut SentenceMarks,
    sources: &crate::coverage::Sources<'_>,
    src: &str,
    der: &str,
    id: &str,
) {
    let other = sources.elsewhere(der, src, id);
    if !other.matched_in.is_empty() {
        e.from_other_source.push(format!(
            "no counterpart in {src}; linked in {}",
            other.matched_in.join(", ")
        ));
    } else if !other.gap_in.is_empty() {
        e.from_other_source.push(format!(
            "no counterpart in {src}; the witness of {} has a gap here",
            other.gap_in.join(", ")
        ));
    } else {
        e.added = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_quotes_and_control_characters() {
        assert_eq!(escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39; ");
        assert_eq!(escape("Vážený Леонид"), "Vážený Леонид");
    }

    #[test]
    fn w3c_dates_are_told_from_free_text() {
        for ok in [
            "1992",
            "1992-07",
            "1992-07-17",
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:00:00+01:00",
        ] {
            assert!(is_w3c_date(ok), "{ok}");
        }
        for bad in ["July 1992", "92-07-17", "1992-7-17", "", "1992-07-17 10:00"] {
            assert!(!is_w3c_date(bad), "{bad}");
        }
    }

    #[test]
    fn ids_are_handed_out_once_and_only_when_usable() {
        let mut ids = Ids::default();
        assert_eq!(ids.attr("cs.s1"), " xml:id=\"cs.s1\"");
        assert_eq!(ids.attr("cs.s1"), "");
        assert_eq!(ids.attr("1abc"), "");
        assert_eq!(ids.attr("a b"), "");
    }
}
