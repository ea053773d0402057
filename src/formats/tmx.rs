//! TMX 1.4b: one `<tu>` per N-way segment, or (`--pairs`, or `--edge`) one per bead of each
//! edge; one `<tuv xml:lang>` per layer that has sentences in it, and the provenance in `<prop
//! type="x-…">`: the chain of links (`x-chain`), each step of it in words (`x-provenance`), the
//! lowest confidence along the chain (`x-cert`), and whether a person confirmed every step
//! (`x-status`: `man`/`auto`); a pairwise unit also names its edge (`x-edge`) and who confirmed
//! it (`x-resp`, `x-when`). Each `tuv` names its layer and sentence ids (`x-layer`, `x-ids`).
//!
//! A unit with text in one language only (a sentence with no counterpart: a source gap, an
//! addition) is no translation unit: a TMX reader (translate-toolkit, a CAT tool) would take it
//! for an untranslated segment. Such beads are left out of the body and listed in the header,
//! one `<prop type="x-unaligned">` each (`tuid=… layer=… ids=a,b cert=… status=… [resp=…
//! when=…] [edge=…]`), so that importing the file back keeps them and their review state; the
//! export reports how many there are.

use super::{
    EdgeItem, FormatError, ImportedBead, ImportedFile, cesalign::fmt_cert, edge_items, relation_of,
    xml,
};
use crate::model::SentenceIndex;
use crate::model::{LinkStatus, Relation, Work, WorkAlignment};
use std::collections::{BTreeMap, HashMap};

/// One step of a chain, looked up by link or ptr id.
struct Step<'a> {
    rel: &'a Relation,
    kind: String,
    /// `None` for a gap of a witness written without `@cert`.
    cert: Option<f64>,
    status: &'a LinkStatus,
}

fn steps(al: &WorkAlignment) -> HashMap<&str, Step<'_>> {
    let mut m = HashMap::new();
    for e in &al.edges {
        let Some(rel) = al.relations.iter().find(|r| r.id == e.relation) else {
            continue;
        };
        for l in &e.links {
            // A partial link says so: a unit whose one side is cut off (a witness that
            // breaks off mid-sentence) is no full translation of the other.
            m.insert(
                l.id.as_str(),
                Step {
                    rel,
                    kind: if l.partial {
                        format!("{} partial", l.kind())
                    } else {
                        l.kind()
                    },
                    cert: Some(l.cert),
                    status: &l.status,
                },
            );
        }
        for u in &e.unaligned {
            m.insert(
                u.id.as_str(),
                Step {
                    rel,
                    kind: u.kind.as_str().to_owned(),
                    // A gap of a witness held as certain is a fact, written without @cert.
                    cert: Some(u.cert).filter(|&c| !(u.kind.is_gap() && c == 1.0)),
                    status: &u.status,
                },
            );
        }
    }
    m
}

fn describe(al: &WorkAlignment, id: &str, s: &Step<'_>) -> String {
    // Agents by name where the alignment declares them.
    let names: Vec<String> = s
        .rel
        .resp
        .iter()
        .map(|r| {
            al.agents
                .iter()
                .find(|a| &a.id == r)
                .map_or_else(|| r.clone(), crate::model::agent_label)
        })
        .collect();
    let mut who = names.join(", ");
    if let Some(w) = &s.rel.when {
        if !who.is_empty() {
            who.push_str(", ");
        }
        who.push_str(w);
    }
    let status = match s.status {
        LinkStatus::Automatic => "automatic".to_owned(),
        LinkStatus::Verified { who, when, .. } => format!("confirmed by {who} {when}"),
    };
    format!(
        "{} → {} {}{}: {id} {}{} {status}",
        s.rel.source,
        s.rel.derived,
        s.rel.kind.as_str(),
        if who.is_empty() {
            String::new()
        } else {
            format!(" ({who})")
        },
        s.kind,
        s.cert
            .map(|c| format!(" cert {}", fmt_cert(c)))
            .unwrap_or_default()
    )
}

/// A translation unit to write.
struct Unit {
    tuid: String,
    /// Sentence ids per layer.
    members: BTreeMap<String, Vec<String>>,
    /// The links and ptrs it stands on.
    chain: Vec<String>,
    /// For a pairwise unit, its edge (`cs-en`).
    edge: Option<String>,
}

/// The units of the whole alignment: one per N-way segment, or (`pairs`, or `edge`) one per
/// bead of each edge (of `edge` only, when given).
fn units(
    work: &Work,
    al: &WorkAlignment,
    edge: Option<usize>,
    pairs: bool,
) -> Result<Vec<Unit>, FormatError> {
    let mut out = Vec::new();
    if edge.is_none() && !pairs {
        if al.segments.is_empty() {
            return Err(FormatError::Alignment(
                "the alignment has no N-way segments: run tei-align align, or export pairs (--pairs or --edge)".into(),
            ));
        }
        // The segments are made of every edge's links: an edge broken by a hand edit (a link
        // to a deleted sentence, a layer file gone) would give units with empty text, so it is
        // refused here as the pairwise export refuses it.
        for e in &al.edges {
            edge_items(work, relation_of(al, e)?, e)?;
        }
        for s in &al.segments {
            out.push(Unit {
                tuid: s.id.clone(),
                members: s.members.clone(),
                chain: s.chain.clone(),
                edge: None,
            });
        }
        return Ok(out);
    }
    let edges: Vec<usize> = match edge {
        Some(ei) if ei < al.edges.len() => vec![ei],
        Some(ei) => return Err(FormatError::Alignment(format!("no edge number {ei}"))),
        None => (0..al.edges.len()).collect(),
    };
    for ei in edges {
        let e = &al.edges[ei];
        let rel = relation_of(al, e)?;
        let items: Vec<EdgeItem> = edge_items(work, rel, e)?;
        for it in items {
            let mut members = BTreeMap::new();
            members.insert(rel.source.clone(), it.source.clone());
            members.insert(rel.derived.clone(), it.derived.clone());
            out.push(Unit {
                tuid: it.id.clone(),
                members,
                chain: vec![it.id],
                edge: Some(format!("{}-{}", rel.source, rel.derived)),
            });
        }
    }
    Ok(out)
}

/// The review state of a unit: the lowest confidence along its chain, and its status (`man`
/// only when a person confirmed every step; who and when only for a single step).
fn unit_state(steps: &HashMap<&str, Step<'_>>, u: &Unit) -> (Option<f64>, LinkStatus) {
    let known: Vec<&Step<'_>> = u
        .chain
        .iter()
        .filter_map(|c| steps.get(c.as_str()))
        .collect();
    // A gap of a witness (no @cert) is certain: it lowers no unit's confidence.
    let min = known
        .iter()
        .map(|s| s.cert.unwrap_or(1.0))
        .fold(f64::INFINITY, f64::min);
    let all_man = !known.is_empty()
        && known
            .iter()
            .all(|s| matches!(s.status, LinkStatus::Verified { .. }));
    let status = match known.as_slice() {
        [one] => one.status.clone(),
        _ if all_man => LinkStatus::Verified {
            who: String::new(),
            when: String::new(),
            digest: None,
        },
        _ => LinkStatus::Automatic,
    };
    (min.is_finite().then_some(min), status)
}

/// Write TMX: all segments of the alignment, or pairwise units (`pairs`: of every edge;
/// `edge`: of that edge). Returns the text and a note on the units left out.
pub fn export(
    work: &Work,
    al: &WorkAlignment,
    edge: Option<usize>,
    pairs: bool,
) -> Result<(String, Vec<String>), FormatError> {
    let idx = SentenceIndex::new(work);
    let steps = steps(al);
    let units = units(work, al, edge, pairs)?;
    let (body_units, single): (Vec<&Unit>, Vec<&Unit>) = units
        .iter()
        .partition(|u| u.members.values().filter(|v| !v.is_empty()).count() > 1);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
    out.push_str(&format!(
        "<header creationtool=\"tei-align\" creationtoolversion=\"{}\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"*all*\" o-tmf=\"tei-align\">\n<prop type=\"x-work\">{}</prop>\n",
        crate::VERSION,
        xml::text(&al.work)
    ));
    for u in &single {
        out.push_str(&format!(
            "<prop type=\"x-unaligned\">{}</prop>\n",
            xml::text(&unaligned_prop(&steps, u))
        ));
    }
    out.push_str("</header>\n<body>\n");
    // Layers in derivation order: sources before what was derived from them.
    let order = crate::provenance::layer_order(work, &al.relations);
    for u in &body_units {
        write_unit(&mut out, work, al, &idx, &steps, &order, u);
    }
    out.push_str("</body>\n</tmx>\n");
    let mut notes = Vec::new();
    if !single.is_empty() {
        notes.push(format!(
            "{} unit(s) with text in one language only (sentences without a counterpart) are \
             not translation units: listed in the header (prop x-unaligned), not in the body",
            single.len()
        ));
    }
    Ok((out, notes))
}

/// The header entry of a one-language unit.
fn unaligned_prop(steps: &HashMap<&str, Step<'_>>, u: &Unit) -> String {
    let (cert, status) = unit_state(steps, u);
    let (layer, ids) = u
        .members
        .iter()
        .find(|(_, v)| !v.is_empty())
        .map_or(("", String::new()), |(l, v)| (l.as_str(), v.join(",")));
    let mut p = format!("tuid={} layer={layer} ids={ids}", u.tuid);
    if let Some(c) = cert {
        p.push_str(&format!(" cert={}", fmt_cert(c)));
    }
    match &status {
        LinkStatus::Verified { who, when, .. } if !who.is_empty() => {
            p.push_str(&format!(" status=man resp={who} when={when}"))
        }
        LinkStatus::Verified { .. } => p.push_str(" status=man"),
        LinkStatus::Automatic => p.push_str(" status=auto"),
    }
    if let Some(e) = &u.edge {
        p.push_str(&format!(" edge={e}"));
    }
    if u.edge.is_none() {
        p.push_str(&format!(" chain={}", u.chain.join(",")));
    }
    p
}

fn write_unit(
    out: &mut String,
    work: &Work,
    al: &WorkAlignment,
    idx: &SentenceIndex<'_>,
    steps: &HashMap<&str, Step<'_>>,
    order: &[String],
    u: &Unit,
) {
    out.push_str(&format!("<tu tuid=\"{}\">\n", xml::attr(&u.tuid)));
    let prop = |out: &mut String, t: &str, v: &str| {
        out.push_str(&format!("<prop type=\"{t}\">{}</prop>\n", xml::text(v)));
    };
    if let Some(e) = &u.edge {
        prop(out, "x-edge", e);
    }
    prop(out, "x-chain", &u.chain.join(" "));
    for id in &u.chain {
        if let Some(s) = steps.get(id.as_str()) {
            prop(out, "x-provenance", &describe(al, id, s));
        }
    }
    let (cert, status) = unit_state(steps, u);
    if let Some(c) = cert {
        prop(out, "x-cert", &fmt_cert(c));
    }
    prop(out, "x-status", super::status_word(&status));
    if let LinkStatus::Verified { who, when, .. } = &status
        && !who.is_empty()
    {
        prop(out, "x-resp", who);
        prop(out, "x-when", when);
    }
    for layer in order {
        let Some(ids) = u.members.get(layer.as_str()) else {
            continue;
        };
        if ids.is_empty() {
            continue;
        }
        let lang = work
            .layer(layer)
            .map_or(layer.as_str(), |l| l.lang.as_str());
        let text: Vec<&str> = ids.iter().filter_map(|id| idx.text(id)).collect();
        out.push_str(&format!(
            "<tuv xml:lang=\"{}\">\n<prop type=\"x-layer\">{}</prop>\n<prop type=\"x-ids\">{}</prop>\n<seg>{}</seg>\n</tuv>\n",
            xml::attr(lang),
            xml::text(layer),
            xml::text(&ids.join(" ")),
            xml::text(&text.join(" "))
        ));
    }
    out.push_str("</tu>\n");
}

/// One `<tuv>` as read: its language, props and text.
#[derive(Debug, Default)]
struct RawTuv {
    lang: String,
    props: BTreeMap<String, String>,
    /// The text of its `seg` (inline codes left out).
    seg: String,
}

/// One `<tu>` as read.
#[derive(Debug, Default)]
struct RawUnit {
    tuid: Option<String>,
    props: BTreeMap<String, String>,
    tuvs: Vec<RawTuv>,
    line: usize,
}

/// The `x-unaligned` header props (with their lines) and the units of a TMX file.
type RawTmx = (Vec<(String, usize)>, Vec<RawUnit>);

/// What is open while a TMX file is read, and what has been read.
#[derive(Default)]
struct TmxState {
    stack: Vec<String>,
    /// The open prop: type, text, line.
    prop: Option<(String, String, usize)>,
    unit: Option<RawUnit>,
    tuv: Option<RawTuv>,
    header: Vec<(String, usize)>,
    units: Vec<RawUnit>,
}

impl TmxState {
    fn open(&mut self, name: String, attr: impl Fn(&str) -> Option<String>, line: usize) {
        match name.as_str() {
            "tu" => {
                self.unit = Some(RawUnit {
                    tuid: attr("tuid"),
                    line,
                    ..RawUnit::default()
                })
            }
            "tuv" => {
                self.tuv = Some(RawTuv {
                    lang: attr("xml:lang")
                        .or_else(|| attr("lang"))
                        .unwrap_or_default(),
                    ..RawTuv::default()
                })
            }
            "prop" => self.prop = Some((attr("type").unwrap_or_default(), String::new(), line)),
            _ => {}
        }
        self.stack.push(name);
    }

    /// Text goes to the open prop, or to the open tuv's segment when it stands in `seg` (or
    /// `hi`, which marks text); the content of inline codes (`bpt`, `ph` …) is markup.
    fn text(&mut self, text: &str) {
        if let Some(p) = self.prop.as_mut() {
            p.1.push_str(text);
        } else if let Some(v) = self.tuv.as_mut()
            && matches!(self.stack.last().map(String::as_str), Some("seg" | "hi"))
        {
            v.seg.push_str(text);
        }
    }

    fn close(&mut self) {
        let name = self.stack.pop().unwrap_or_default();
        match name.as_str() {
            "prop" => {
                let Some((ty, value, line)) = self.prop.take() else {
                    return;
                };
                let parent = self.stack.last().map_or("", String::as_str);
                match (parent, self.tuv.as_mut(), self.unit.as_mut()) {
                    ("tuv", Some(v), _) => {
                        v.props.entry(ty).or_insert(value);
                    }
                    ("tu", _, Some(u)) => {
                        u.props.entry(ty).or_insert(value);
                    }
                    ("header", _, _) if ty == "x-unaligned" => self.header.push((value, line)),
                    _ => {}
                }
            }
            "tuv" => {
                if let (Some(v), Some(u)) = (self.tuv.take(), self.unit.as_mut()) {
                    u.tuvs.push(v);
                }
            }
            "tu" => self.units.extend(self.unit.take()),
            _ => {}
        }
    }
}

fn read_tmx(src: &str, path: &str) -> Result<RawTmx, FormatError> {
    use quick_xml::events::Event;
    let err = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let mut reader = quick_xml::Reader::from_str(src);
    let mut lines = xml::LineCounter::default();
    let mut st = TmxState::default();
    // The first element: a file of another format (a TSV given with --format tmx) has none or
    // another one, and must not read as a TMX without units (with --replace that would empty
    // the edge).
    let mut root: Option<(String, usize)> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            err(
                xml::line_at(src, reader.error_position() as usize),
                format!("malformed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) => {
                let name = {
                    let ln = e.local_name();
                    let n: &str = ln.as_ref();
                    n.to_owned()
                };
                let attr = |key: &str| -> Option<String> {
                    e.attributes()
                        .flatten()
                        .find(|a| {
                            let k: &str = a.key.as_ref();
                            k == key
                        })
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                };
                let line = lines.line(src, pos);
                root.get_or_insert_with(|| (name.clone(), line));
                st.open(name, attr, line);
            }
            Event::Empty(e) if root.is_none() => {
                let ln = e.local_name();
                let n: &str = ln.as_ref();
                root = Some((n.to_owned(), lines.line(src, pos)));
            }
            Event::Text(t) => st.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|x| err(lines.line(src, pos), x.to_string()))?
                        .map(String::from)
                } else {
                    let name = r.xml10_content();
                    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                };
                st.text(&resolved.unwrap_or_default());
            }
            Event::End(_) => st.close(),
            Event::Eof => break,
            _ => {}
        }
    }
    match root {
        None => Err(err(1, "no XML element found: not a TMX file".into())),
        Some((name, line)) if name != "tmx" => Err(err(
            line,
            format!("the root element is <{name}>, not <tmx>: not a TMX file"),
        )),
        Some(_) => Ok((st.header, st.units)),
    }
}

/// Where the text of a segment stands in a layer: the first run of consecutive sentences from
/// `from` on whose texts, joined by a space, are the segment's (white space normalised).
fn find_run(
    sentences: &[crate::model::Sentence],
    from: usize,
    seg: &str,
) -> Option<(usize, usize)> {
    let want: Vec<&str> = seg.split_whitespace().collect();
    if want.is_empty() {
        return None;
    }
    (from..sentences.len()).find_map(|start| {
        let mut words = 0;
        for (k, s) in sentences[start..].iter().enumerate() {
            let w: Vec<&str> = s.text.split_whitespace().collect();
            if want.get(words..words + w.len()) != Some(w.as_slice()) {
                return None;
            }
            words += w.len();
            if words == want.len() {
                return Some((start, k + 1));
            }
        }
        None
    })
}

/// The status a unit's props give: `x-status` `man` (with `x-resp`/`x-when`, else unnamed) or
/// `auto`. A unit of an N-way segment is `auto` unless every step is confirmed, which says
/// nothing about the one edge being imported: then no status.
fn props_status(
    props: &BTreeMap<String, String>,
    pairwise: bool,
    default_who: &str,
    now: &str,
) -> Result<(Option<LinkStatus>, bool), String> {
    match props.get("x-status").map(|s| s.trim()) {
        Some("man") => {
            let who = props.get("x-resp").map(|w| w.trim().to_owned());
            if let Some(w) = &who
                && !crate::tei::is_ncname(w)
            {
                return Err(format!("x-resp '{w}' is not a valid editor id"));
            }
            let unnamed = who.is_none();
            Ok((
                Some(LinkStatus::Verified {
                    who: who.unwrap_or_else(|| default_who.to_owned()),
                    when: props
                        .get("x-when")
                        .map_or_else(|| now.to_owned(), |w| w.trim().to_owned()),
                    digest: None,
                }),
                unnamed,
            ))
        }
        Some("auto") if pairwise => Ok((Some(LinkStatus::Automatic), false)),
        _ => Ok((None, false)),
    }
}

fn parse_cert(v: Option<&String>) -> Option<f64> {
    v.and_then(|c| c.trim().parse::<f64>().ok())
        .filter(|c| c.is_finite())
        .map(|c| c.clamp(0.0, 1.0))
}

/// Read a TMX file (as [`export`] writes it: pairwise or one unit per N-way segment) into beads
/// of edge `rel`. A unit's sentences come from its `tuv`s' `x-layer`/`x-ids` props (a `tuv`
/// without `x-layer` is placed by its language); units of other edges (`x-edge`) are left out;
/// the header's `x-unaligned` entries give the sentences without a counterpart. An N-way
/// segment gives the edge the bead of its sentences in the edge's two layers, which is coarser
/// than the edge's own beads where a chain joins several of them: export `--pairs` for an exact
/// round trip.
pub fn import(
    src: &str,
    path: &str,
    work: &Work,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    let (header, units) = read_tmx(src, path)?;
    let edge_name = format!("{}-{}", rel.source, rel.derived);
    let of_other_edge = |props: &BTreeMap<String, String>| {
        props.get("x-edge").is_some_and(|e| e.trim() != edge_name)
    };
    let mut out = ImportedFile::default();
    let idx = SentenceIndex::new(work);
    // Per layer, the sentence after the last one a unit without ids was placed on.
    let mut cursor: HashMap<String, usize> = HashMap::new();
    // Units placed on no sentence of the edge because their languages are no layer's.
    let mut foreign: Vec<String> = Vec::new();
    for u in units.iter().filter(|u| !of_other_edge(&u.props)) {
        let (source, derived) =
            unit_members(u, (work, &idx), rel, &mut cursor, (path, &mut out.notes))?;
        let langs = foreign_langs(u, work);
        if source.is_empty() && derived.is_empty() && !langs.is_empty() {
            foreign.push(format!("{} ({})", u.line, langs.join(", ")));
        }
        let bead = Placed {
            props: &u.props,
            tuid: u.tuid.as_ref(),
            source,
            derived,
            line: u.line,
        };
        push_bead(&mut out, bead, path, default_who, now)?;
    }
    if !foreign.is_empty() {
        let langs: Vec<String> = work.layers.iter().map(|l| l.lang.clone()).collect();
        out.notes.push(format!(
            "{path}: {} unit(s) left out: their languages are none of the work's ({}): lines {}",
            foreign.len(),
            langs.join(", "),
            foreign.join(", ")
        ));
    }
    for (value, line) in &header {
        let mut props: BTreeMap<String, String> = value
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (format!("x-{k}"), v.to_owned()))
            .collect();
        if of_other_edge(&props) {
            continue;
        }
        let ids: Vec<String> = props
            .remove("x-ids")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let layer = props.get("x-layer").cloned().unwrap_or_default();
        let (source, derived) = if layer == rel.source {
            (ids, vec![])
        } else if layer == rel.derived {
            (vec![], ids)
        } else {
            continue;
        };
        let tuid = props.get("x-tuid").cloned();
        let bead = Placed {
            props: &props,
            tuid: tuid.as_ref(),
            source,
            derived,
            line: *line,
        };
        push_bead(&mut out, bead, path, default_who, now)?;
    }
    Ok(out)
}

/// A unit placed on sentences, with the props that give its review state.
struct Placed<'a> {
    props: &'a BTreeMap<String, String>,
    tuid: Option<&'a String>,
    source: Vec<String>,
    derived: Vec<String>,
    line: usize,
}

/// Add a placed unit to the import (nothing when it has no sentence of the edge). Only a
/// pairwise unit (`x-edge`) speaks for one edge: its tuid is the link id, its `x-cert` the link's
/// confidence; a segment's `x-cert` is the lowest along its whole chain.
fn push_bead(
    out: &mut ImportedFile,
    b: Placed<'_>,
    path: &str,
    default_who: &str,
    now: &str,
) -> Result<(), FormatError> {
    if b.source.is_empty() && b.derived.is_empty() {
        return Ok(());
    }
    let pairwise = b.props.contains_key("x-edge");
    let (status, unnamed) =
        props_status(b.props, pairwise, default_who, now).map_err(|message| {
            FormatError::Parse {
                path: path.to_owned(),
                line: b.line,
                message,
            }
        })?;
    if unnamed {
        out.unnamed.push(out.beads.len());
    }
    out.beads.push(ImportedBead {
        id: b
            .tuid
            .filter(|t| pairwise && crate::tei::is_ncname(t))
            .cloned(),
        source: b.source,
        derived: b.derived,
        cert: parse_cert(b.props.get("x-cert")).filter(|_| pairwise),
        status,
        line: b.line,
    });
    Ok(())
}

/// The layer a TMX language tag stands for: the one layer whose language is the tag, case and
/// `_` for `-` aside (`CS`, `en_GB`, as CAT tools write them), else the one layer whose language
/// has the tag's primary subtag (`cs-CZ` is the `cs` layer). `None` when no layer or several
/// fit.
fn layer_of_lang(work: &Work, tag: &str) -> Option<String> {
    fn norm(t: &str) -> String {
        t.trim().replace('_', "-").to_ascii_lowercase()
    }
    fn primary(t: &str) -> &str {
        t.split('-').next().unwrap_or(t)
    }
    let tag = norm(tag);
    let only = |fits: &dyn Fn(&str) -> bool| {
        let mut it = work.layers.iter().filter(|l| fits(&norm(&l.lang)));
        match (it.next(), it.next()) {
            (Some(l), None) => Some(l.id.clone()),
            _ => None,
        }
    };
    only(&|l| l == tag).or_else(|| only(&|l| primary(l) == primary(&tag)))
}

/// The languages of a unit's `tuv`s that stand for no layer of the work (no `x-layer`, and no
/// layer or several of their language), for the note on units left out.
fn foreign_langs(u: &RawUnit, work: &Work) -> Vec<String> {
    u.tuvs
        .iter()
        .filter(|v| !v.props.contains_key("x-layer") && layer_of_lang(work, &v.lang).is_none())
        .map(|v| v.lang.clone())
        .collect()
}

/// The sentences of a unit in the edge's source and derived layers: from each `tuv`'s `x-ids`,
/// or (a TMX from another tool) by its text, in document order from `cursor` on. A `tuv` is of
/// the layer its `x-layer` names, else of the one layer with its language.
fn unit_members(
    u: &RawUnit,
    (work, idx): (&Work, &SentenceIndex<'_>),
    rel: &Relation,
    cursor: &mut HashMap<String, usize>,
    (path, notes): (&str, &mut Vec<String>),
) -> Result<(Vec<String>, Vec<String>), FormatError> {
    let by_lang = |lang: &str| layer_of_lang(work, lang);
    let (mut source, mut derived) = (Vec::new(), Vec::new());
    for v in &u.tuvs {
        let Some(layer) = v
            .props
            .get("x-layer")
            .map(|l| l.trim().to_owned())
            .or_else(|| by_lang(&v.lang))
        else {
            continue;
        };
        let side = if layer == rel.source {
            &mut source
        } else if layer == rel.derived {
            &mut derived
        } else {
            continue;
        };
        if let Some(ids) = v.props.get("x-ids") {
            let ids: Vec<String> = ids.split_whitespace().map(str::to_owned).collect();
            let texts: Option<Vec<&str>> = ids.iter().map(|id| idx.text(id)).collect();
            // A translation corrected in a CAT tool: not imported, but said (as for TSV).
            if texts.is_some_and(|t| !t.join(" ").split_whitespace().eq(v.seg.split_whitespace())) {
                notes.push(format!(
                    "{path}:{}: the text of {} is not the layer's; texts are not imported (the \
                     ids place the beads): make the change in the layer (`tei-align import \
                     --in-place --resplit`)",
                    u.line,
                    ids.join(" ")
                ));
            }
            side.extend(ids);
            continue;
        }
        let sentences = work.layer(&layer).map_or(&[][..], |l| &l.sentences[..]);
        let from = cursor.get(&layer).copied().unwrap_or(0);
        let (start, n) = find_run(sentences, from, &v.seg).ok_or_else(|| FormatError::Parse {
            path: path.to_owned(),
            line: u.line,
            message: format!(
                "the text of tuv xml:lang='{}' is not a run of sentences of layer {layer}{} \
                 (and it has no x-ids prop)",
                v.lang,
                sentences
                    .get(from.wrapping_sub(1))
                    .map_or(String::new(), |s| format!(" after {}", s.id))
            ),
        })?;
        cursor.insert(layer.clone(), start + n);
        side.extend(sentences[start..start + n].iter().map(|s| s.id.clone()));
    }
    Ok((source, derived))
}
