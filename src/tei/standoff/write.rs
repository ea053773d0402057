//! Writing an alignment file: the header (agents, witnesses, the tool's bookkeeping, the
//! history), the derivation graph, one `linkGrp` per edge and the segments. The links, ptrs,
//! changes and respStmts are written by [`super::items`], as the edition writes them.

use super::items::{self, Naming};
use super::{HIGH_WATER, segment_members};
use crate::model::*;
use crate::provenance::graph::derivation_order;
use crate::tei::escape::{attr as esc, push_attr};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

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

/// A probability as written in `@cert`: shortest form that reads back as the same number;
/// anything outside [0, 1] (or NaN) is clamped so the file stays valid.
pub(crate) fn fmt_cert(x: f64) -> String {
    let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
    format!("{x}")
}

pub(super) struct Writer<'a> {
    a: &'a WorkAlignment,
    naming: FileNaming<'a>,
    /// The change each link and ptr points to, by item id.
    item_change: HashMap<&'a str, String>,
    /// Changes to add because a verified item names none.
    extra_changes: Vec<Change>,
}

/// The alignment file points into the layer files, and every item has its own id.
struct FileNaming<'a> {
    /// Per layer, the start of a pointer into its file (`cs.xml#`), encoded and escaped once.
    prefix: HashMap<&'a str, String>,
}

impl<'a> FileNaming<'a> {
    fn new(layer_files: &'a BTreeMap<String, String>) -> Self {
        let prefix = layer_files
            .iter()
            .map(|(l, f)| (l.as_str(), format!("{}#", esc(&encode_path(f)))))
            .collect();
        FileNaming { prefix }
    }
}

// On a shared reference: the writer's naming has nothing to remember between items.
impl Naming for &FileNaming<'_> {
    fn id_attr(&mut self, out: &mut String, id: &str) {
        out.push_str(" xml:id=\"");
        push_attr(out, id);
        out.push('"');
    }

    fn target(&self, out: &mut String, layer: &str, sentence: &str) {
        // A layer without a file cannot be pointed into; keep a local pointer so nothing is
        // lost (check reports it as unresolved).
        out.push_str(self.prefix.get(layer).map_or("#", String::as_str));
        push_attr(out, sentence);
    }
}

impl<'a> Writer<'a> {
    pub(super) fn new(a: &'a WorkAlignment) -> Self {
        let (item_change, extra_changes) = items::item_changes(a);
        Writer {
            a,
            naming: FileNaming::new(&a.layer_files),
            item_change,
            extra_changes,
        }
    }

    /// What the `resp` and `change` attributes of an item say.
    fn status_attrs<'s>(&'s self, id: &str, status: &'s LinkStatus) -> items::Resp<'s> {
        (status, self.item_change.get(id).map(String::as_str))
    }

    /// The tool's bookkeeping in its `application`: the high-water marks of the automatic ids
    /// (`<desc type="high-water">a.cs-en.57 seg.80 u.cs-en.12</desc>`), then the digest of the
    /// texts of every confirmed item that has one, in file order
    /// (`<desc type="confirmed-text" corresp="#a.cs-en.5">3f2a9c1e 7b0d11aa</desc>`).
    fn marks(&self) -> String {
        let mut out = self.high_water();
        for e in &self.a.edges {
            let links = e.links.iter().map(|l| (&l.id, &l.status));
            let ptrs = e.unaligned.iter().map(|u| (&u.id, &u.status));
            for (id, st) in links.chain(ptrs) {
                if let Some(t) = st.confirmed_text() {
                    let change = items::recorded_change(&self.a.changes, t);
                    items::confirmed_text(&mut out, id, t, change);
                }
            }
        }
        out
    }

    /// The high-water marks, or nothing when none is recorded.
    fn high_water(&self) -> String {
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

    pub(super) fn write(&self) -> String {
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
            items::resp_stmt(&mut o, &mut &self.naming, ag);
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
                items::change(&mut o, &mut &self.naming, c);
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
                let _ = writeln!(
                    o,
                    "><desc>{}</desc></relation>",
                    items::relation_desc(&self.a.agents, r)
                );
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
        let mut naming = &self.naming;
        for l in &e.links {
            items::link(
                o,
                &mut naming,
                l,
                (src_layer, der_layer),
                self.status_attrs(&l.id, &l.status),
            );
        }
        for u in &e.unaligned {
            items::ptr(o, &mut naming, u, self.status_attrs(&u.id, &u.status));
        }
        o.push_str("    </linkGrp>\n");
    }

    fn write_segments(&self, o: &mut String) {
        if self.a.segments.is_empty() {
            return;
        }
        let order = self.layer_order();
        o.push_str("    <linkGrp type=\"segments\">\n");
        let mut members = Vec::new();
        for s in &self.a.segments {
            members.clear();
            members.extend(segment_members(&order, s));
            let elem = if members.len() >= 2 { "link" } else { "ptr" };
            let _ = write!(o, "      <{elem}");
            let mut naming = &self.naming;
            naming.id_attr(o, &s.id);
            items::targets(o, &naming, members.iter().copied());
            if !s.chain.is_empty() {
                o.push_str(" corresp=\"");
                for (k, c) in s.chain.iter().enumerate() {
                    o.push_str(if k > 0 { " #" } else { "#" });
                    push_attr(o, c);
                }
                o.push('"');
            }
            o.push_str("/>\n");
        }
        o.push_str("    </linkGrp>\n");
    }
}
