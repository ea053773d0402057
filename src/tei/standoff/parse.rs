//! Reading an alignment file: a minimal element tree (quick-xml events), then the
//! [`WorkAlignment`] it holds, every error naming the file and line.

use super::{CONFIRMED_NEWEST, CONFIRMED_TEXT, HIGH_WATER, TOOL_ID, parse_high_water};
use crate::model::*;
use crate::tei::TeiError;
use crate::tei::dom::{Doc, Node};
use std::collections::{BTreeMap, HashMap};

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

/// An element of the conformant front end's tree ([`Doc`]): the alignment is read from the
/// same tree that checked it, so the file is parsed once.
#[derive(Clone, Copy)]
struct El<'d> {
    doc: &'d Doc<'d>,
    i: usize,
}

impl<'d> El<'d> {
    /// Its local name.
    fn name(self) -> &'d str {
        self.doc.local(self.i).unwrap_or("")
    }

    /// The byte offset where it starts (for the line in messages).
    fn pos(self) -> usize {
        self.doc.range(self.i).start
    }

    /// The value of an attribute (qualified name as written).
    fn attr(self, name: &str) -> Option<&'d str> {
        self.doc.attr(self.i, name)
    }

    /// Its child elements.
    fn elems(self) -> impl Iterator<Item = El<'d>> {
        let doc = self.doc;
        doc.children(self.i)
            .iter()
            .filter(move |&&c| matches!(doc.nodes[c], Node::Element(_)))
            .map(move |&i| El { doc, i })
    }

    /// Child elements with this local name.
    fn kids(self, name: &'d str) -> impl Iterator<Item = El<'d>> {
        self.elems().filter(move |c| c.name() == name)
    }

    /// The first child element with this local name.
    fn kid(self, name: &str) -> Option<El<'d>> {
        self.elems().find(|c| c.name() == name)
    }

    /// The text as written when the element holds only text (so what the writer put there
    /// reads back exactly); with child elements, all text inside with white space collapsed.
    fn exact_text(self) -> String {
        if self.elems().next().is_some() {
            return self.all_text();
        }
        let mut s = String::new();
        self.doc.text(self.i, &[], &mut s);
        // XML reads a line break as `\n` whatever the file holds.
        if s.contains('\r') {
            s = s.replace("\r\n", "\n").replace('\r', "\n");
        }
        s
    }

    /// All text inside, white space collapsed; an element's text is a word of its own.
    fn all_text(self) -> String {
        fn collect(e: El<'_>, s: &mut String) {
            for &c in e.doc.children(e.i) {
                if matches!(e.doc.nodes[c], Node::Element(_)) {
                    s.push(' ');
                    collect(El { doc: e.doc, i: c }, s);
                    s.push(' ');
                } else {
                    e.doc.text(c, &[], s);
                }
            }
        }
        let mut s = String::new();
        collect(self, &mut s);
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Read the alignment in `doc` (after the conformance checks).
pub(super) fn alignment(doc: &Doc<'_>) -> Result<WorkAlignment, TeiError> {
    let root = El { doc, i: doc.root };
    Parser { doc }.alignment(root)
}

struct Parser<'a> {
    doc: &'a Doc<'a>,
}

impl Parser<'_> {
    fn invalid(&self, el: Option<El<'_>>, message: String) -> TeiError {
        let line = el.map(|e| self.doc.line_of(e.pos())).unwrap_or(0);
        TeiError::Invalid {
            path: self.doc.path.clone(),
            line,
            message,
        }
    }

    fn need<'e>(&self, el: El<'e>, attr: &str) -> Result<&'e str, TeiError> {
        el.attr(attr)
            .ok_or_else(|| self.invalid(Some(el), format!("<{}> has no @{attr}", el.name())))
    }

    fn cert(&self, el: El<'_>) -> Result<f64, TeiError> {
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

    fn alignment(&self, root: El<'_>) -> Result<WorkAlignment, TeiError> {
        if root.name() != "TEI" {
            return Err(self.invalid(
                Some(root),
                format!("the root element is <{}>, not <TEI>", root.name()),
            ));
        }
        let standoff = root.kid("standOff").ok_or_else(|| {
            self.invalid(
                Some(root),
                "not an alignment file: it has no <standOff> (a layer? alignments are written by `tei-align align` to alignments/<work>/alignment.xml)".into(),
            )
        })?;
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
        let layer_files = self.witnesses(file_desc)?;
        let changes = self.changes(header)?;
        let relations = self.relations(standoff)?;
        let mut id_high_water = recorded_marks(header);
        let mut refs = Refs {
            p: self,
            file_to_layer: layer_files
                .iter()
                .map(|(k, v)| (v.clone(), k.clone()))
                .collect(),
            change_by_id: changes.iter().map(|c| (c.id.as_str(), c)).collect(),
            item_changes: BTreeMap::new(),
            digests: recorded_digests(header, &changes),
        };
        let mut edges = Vec::new();
        let mut segments = Vec::new();
        for g in standoff.kids("linkGrp") {
            // Files written before the marks moved to appInfo kept them in `linkGrp/@n`.
            for (prefix, n) in parse_high_water(g.attr("n").unwrap_or("")) {
                let m = id_high_water.entry(prefix).or_insert(0);
                *m = (*m).max(n);
            }
            match g.attr("type") {
                Some("alignment") => edges.push(refs.edge(g, &relations)?),
                Some("segments") => refs.segments(g, &layer_files, &mut segments)?,
                _ => {}
            }
        }
        Ok(WorkAlignment {
            item_changes: refs.item_changes,
            work,
            layer_files,
            agents: agents(title_stmt),
            relations,
            edges,
            segments,
            changes,
            id_high_water,
        })
    }

    /// The layer files the witnesses name, by layer id.
    fn witnesses(&self, file_desc: Option<El<'_>>) -> Result<BTreeMap<String, String>, TeiError> {
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
        Ok(layer_files)
    }

    /// The history.
    fn changes(&self, header: El<'_>) -> Result<Vec<Change>, TeiError> {
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
        Ok(changes)
    }

    /// The derivation graph.
    fn relations(&self, standoff: El<'_>) -> Result<Vec<Relation>, TeiError> {
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
                                d.elems()
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

        Ok(relations)
    }
}

/// The agents the `respStmt`s of the title statement declare.
fn agents(title_stmt: Option<El<'_>>) -> Vec<Agent> {
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
                org: r.kid("orgName").is_some(),
                cert: r.attr("cert").map(str::to_owned),
            });
        }
    }

    agents
}

/// The high-water marks the tool recorded in its `appInfo`.
fn recorded_marks(header: El<'_>) -> BTreeMap<String, u64> {
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
    id_high_water
}

/// The texts confirmed, by item id, as the tool recorded them in its `appInfo`:
/// `<desc type="confirmed-text" corresp="#a.cs-en.5">3f2a9c1e 7b0d11aa</desc>` (with
/// `resp="#eva" change="#ch12"` when someone recorded it after the confirmation, that change
/// dating it) and `<desc type="confirmed-newest" corresp="#a.cs-en.5">cs.s40 en.s41</desc>`.
/// A newest without a digest says nothing.
fn recorded_digests(header: El<'_>, changes: &[Change]) -> HashMap<String, ConfirmedText> {
    let descs: Vec<El<'_>> = header
        .kid("encodingDesc")
        .into_iter()
        .flat_map(|e| e.kids("appInfo"))
        .flat_map(|a| a.kids("application"))
        .filter(|a| a.attr("ident") == Some(TOOL_ID))
        .flat_map(|a| a.kids("desc"))
        .collect();
    let of = |d: El<'_>, ty: &str| -> Option<(String, String)> {
        if d.attr("type") != Some(ty) {
            return None;
        }
        let item = d.attr("corresp")?.trim().trim_start_matches('#');
        let value = super::super::dom::normalize_ws(&d.all_text());
        (!item.is_empty() && !value.is_empty()).then(|| (item.to_owned(), value))
    };
    let mut out: HashMap<String, ConfirmedText> = HashMap::new();
    for &d in &descs {
        let Some((item, digest)) = of(d, CONFIRMED_TEXT) else {
            continue;
        };
        let who = d.attr("resp").map(|r| r.trim().trim_start_matches('#'));
        let recorded = who.filter(|w| !w.is_empty()).map(|w| {
            let change = d.attr("change").map(|c| c.trim().trim_start_matches('#'));
            let when = changes.iter().find(|c| Some(c.id.as_str()) == change);
            Recorded {
                who: w.to_owned(),
                when: when.map(|c| c.when.clone()).unwrap_or_default(),
            }
        });
        out.insert(
            item,
            ConfirmedText {
                digest,
                newest: Vec::new(),
                recorded,
            },
        );
    }
    for &d in &descs {
        if let Some((item, newest)) = of(d, CONFIRMED_NEWEST)
            && let Some(t) = out.get_mut(&item)
        {
            t.newest = newest.split_whitespace().map(str::to_owned).collect();
        }
    }
    out
}

/// What the links and ptrs of the file refer to: the layer files, the changes, the digests of
/// confirmed texts; and the change each item points at, as read.
struct Refs<'a> {
    p: &'a Parser<'a>,
    file_to_layer: HashMap<String, String>,
    change_by_id: HashMap<&'a str, &'a Change>,
    item_changes: BTreeMap<String, String>,
    digests: HashMap<String, ConfirmedText>,
}

impl Refs<'_> {
    /// Split a pointer into (layer, sentence id).
    fn resolve(&self, el: El<'_>, p: &str) -> Result<(String, String), TeiError> {
        let (file, id) = p.rsplit_once('#').ok_or_else(|| {
            self.p
                .invalid(Some(el), format!("pointer \"{p}\" has no #fragment"))
        })?;
        // Most pointers have no `%XX` escape: look them up without a decoded copy.
        let decoded;
        let file = if file.contains('%') {
            decoded = decode_path(file);
            decoded.as_str()
        } else {
            file
        };
        let layer = self.file_to_layer.get(file).ok_or_else(|| {
            self.p.invalid(
                Some(el),
                format!("pointer \"{p}\" names a file that is not a listed witness"),
            )
        })?;
        Ok((layer.clone(), id.to_owned()))
    }

    /// The status an item's `@change` and `@resp` give it, with the digest of the text
    /// confirmed when the tool recorded one.
    fn status(&self, el: El<'_>) -> LinkStatus {
        let mut status = self.bare_status(el);
        if let (LinkStatus::Verified { digest, .. }, Some(id)) = (&mut status, el.attr("xml:id")) {
            digest.clone_from(&self.digests.get(id).cloned());
        }
        status
    }

    /// The status an item's `@change` and `@resp` give it.
    fn bare_status(&self, el: El<'_>) -> LinkStatus {
        let change = el
            .attr("change")
            .map(|c| c.trim_start_matches('#'))
            .and_then(|c| self.change_by_id.get(c));
        let resp = el
            .attr("resp")
            .and_then(|r| r.split_whitespace().next())
            .map(|r| r.trim_start_matches('#').to_owned())
            .filter(|r| !r.is_empty());
        match (change, resp) {
            (Some(c), resp) if c.status == ChangeStatus::Verified => LinkStatus::Verified {
                who: resp.unwrap_or_else(|| c.who.clone()),
                when: c.when.clone(),
                digest: None,
            },
            // A link someone added or edited by hand in an XML editor names a person, not
            // the tool: it is theirs, and re-alignment must not touch it.
            (c, Some(who)) if who != TOOL_ID => LinkStatus::Verified {
                who,
                when: c.map(|c| c.when.clone()).unwrap_or_default(),
                digest: None,
            },
            _ => LinkStatus::Automatic,
        }
    }

    /// Remember the change an item points at (when it names one the file has).
    fn note_change(&mut self, el: El<'_>) {
        let change = el.attr("change").map(|c| c.trim_start_matches('#'));
        if let (Some(id), Some(c)) = (el.attr("xml:id"), change)
            && self.change_by_id.contains_key(c)
        {
            self.item_changes.insert(id.to_owned(), c.to_owned());
        }
    }

    /// One `linkGrp type="alignment"`: an edge.
    fn edge(&mut self, g: El<'_>, relations: &[Relation]) -> Result<EdgeAlignment, TeiError> {
        let p = self.p;
        let rel_id = p.need(g, "corresp")?.trim_start_matches('#').to_owned();
        let rel = relations.iter().find(|r| r.id == rel_id).ok_or_else(|| {
            p.invalid(
                Some(g),
                format!("linkGrp points to relation #{rel_id}, which is not declared"),
            )
        })?;
        let mut edge = EdgeAlignment {
            relation: rel_id.clone(),
            links: Vec::new(),
            unaligned: Vec::new(),
        };
        for el in g.elems() {
            match (el.name(), el.attr("type")) {
                ("link", _) => edge.links.push(self.link(el, rel)?),
                ("ptr", Some("unaligned")) => edge.unaligned.push(self.ptr(el)?),
                _ => {}
            }
        }
        Ok(edge)
    }

    /// A `link` of an edge: source targets first, then derived ones.
    fn link(&mut self, el: El<'_>, rel: &Relation) -> Result<Link, TeiError> {
        let p = self.p;
        let mut source = Vec::new();
        let mut derived = Vec::new();
        for t in p.need(el, "target")?.split_whitespace() {
            let (layer, id) = self.resolve(el, t)?;
            if layer == rel.source && derived.is_empty() {
                source.push(id);
            } else if layer == rel.derived {
                derived.push(id);
            } else {
                return Err(p.invalid(
                    Some(el),
                    format!(
                        "link target {t} is neither in {} (first) nor in {}",
                        rel.source, rel.derived
                    ),
                ));
            }
        }
        self.note_change(el);
        Ok(Link {
            id: p.need(el, "xml:id")?.to_owned(),
            source,
            derived,
            cert: p.cert(el)?,
            status: self.status(el),
            partial: el.attr("subtype") == Some("partial"),
        })
    }

    /// An unaligned `ptr` of an edge.
    fn ptr(&mut self, el: El<'_>) -> Result<Unaligned, TeiError> {
        let p = self.p;
        let kind = match p.need(el, "subtype")? {
            "source-only" => UnalignedKind::SourceOnly,
            "derived-only" => UnalignedKind::DerivedOnly,
            "source-gap" => UnalignedKind::SourceGap,
            "derived-gap" => UnalignedKind::DerivedGap,
            other => {
                return Err(p.invalid(Some(el), format!("unknown unaligned subtype \"{other}\"")));
            }
        };
        let target = p.need(el, "target")?;
        let (layer, sentence) = self.resolve(el, target.trim())?;
        self.note_change(el);
        Ok(Unaligned {
            id: p.need(el, "xml:id")?.to_owned(),
            kind,
            layer,
            sentence,
            // A gap of a witness is written without @cert: it is a fact of the witness, which
            // the model holds as certain.
            cert: if kind.is_gap() && el.attr("cert").is_none() {
                1.0
            } else {
                p.cert(el)?
            },
            status: self.status(el),
        })
    }

    /// The `linkGrp type="segments"`: the N-way segments.
    fn segments(
        &self,
        g: El<'_>,
        layer_files: &BTreeMap<String, String>,
        segments: &mut Vec<Segment>,
    ) -> Result<(), TeiError> {
        let p = self.p;
        for el in g.elems() {
            if el.name() != "link" && el.name() != "ptr" {
                continue;
            }
            let mut members: BTreeMap<String, Vec<String>> = layer_files
                .keys()
                .map(|k| (k.clone(), Vec::new()))
                .collect();
            for t in p.need(el, "target")?.split_whitespace() {
                let (layer, id) = self.resolve(el, t)?;
                members.entry(layer).or_default().push(id);
            }
            segments.push(Segment {
                id: p.need(el, "xml:id")?.to_owned(),
                members,
                chain: el
                    .attr("corresp")
                    .unwrap_or("")
                    .split_whitespace()
                    .map(|c| c.trim_start_matches('#').to_owned())
                    .collect(),
            });
        }
        Ok(())
    }
}
