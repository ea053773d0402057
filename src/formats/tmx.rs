//! TMX 1.4b export: one `<tu>` per N-way segment (or per bead of one edge), one `<tuv
//! xml:lang>` per layer that has sentences in it, and the provenance in `<prop type="x-…">`:
//! the chain of links (`x-chain`), each step of it in words (`x-provenance`), the lowest
//! confidence along the chain (`x-cert`), and whether a person confirmed every step
//! (`x-status`: `man`/`auto`). Each `tuv` names its layer and sentence ids.

use super::{EdgeItem, FormatError, cesalign::fmt_cert, edge_items, relation_of, xml};
use crate::model::SentenceIndex;
use crate::model::{LinkStatus, Relation, Work, WorkAlignment};
use std::collections::{BTreeMap, HashMap};

/// One step of a chain, looked up by link or ptr id.
struct Step<'a> {
    rel: &'a Relation,
    kind: String,
    cert: f64,
    status: &'a LinkStatus,
}

fn steps(al: &WorkAlignment) -> HashMap<&str, Step<'_>> {
    let mut m = HashMap::new();
    for e in &al.edges {
        let Some(rel) = al.relations.iter().find(|r| r.id == e.relation) else {
            continue;
        };
        for l in &e.links {
            m.insert(
                l.id.as_str(),
                Step {
                    rel,
                    kind: l.kind(),
                    cert: l.cert,
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
                    cert: u.cert,
                    status: &u.status,
                },
            );
        }
    }
    m
}

fn describe(al: &WorkAlignment, id: &str, s: &Step<'_>) -> String {
    // Agents by name where the alignment declares them.
    let names: Vec<&str> = s
        .rel
        .resp
        .iter()
        .map(|r| {
            al.agents
                .iter()
                .find(|a| &a.id == r)
                .map_or(r.as_str(), |a| a.name.as_str())
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
        LinkStatus::Verified { who, when } => format!("confirmed by {who} {when}"),
    };
    format!(
        "{} → {} {}{}: {id} {} cert {} {status}",
        s.rel.source,
        s.rel.derived,
        s.rel.kind.as_str(),
        if who.is_empty() {
            String::new()
        } else {
            format!(" ({who})")
        },
        s.kind,
        fmt_cert(s.cert)
    )
}

/// A translation unit to write: tuid, sentence ids per layer, chain.
type Unit = (String, BTreeMap<String, Vec<String>>, Vec<String>);

/// Write TMX: all segments of the alignment, or (with `edge`) the beads of one edge.
pub fn export(work: &Work, al: &WorkAlignment, edge: Option<usize>) -> Result<String, FormatError> {
    let idx = SentenceIndex::new(work);
    let steps = steps(al);
    // (tuid, members per layer, chain)
    let mut units: Vec<Unit> = Vec::new();
    match edge {
        Some(ei) => {
            let e = al
                .edges
                .get(ei)
                .ok_or_else(|| FormatError::Alignment(format!("no edge number {ei}")))?;
            let rel = relation_of(al, e)?;
            let items: Vec<EdgeItem> = edge_items(work, rel, e)?;
            for it in items {
                let mut members = BTreeMap::new();
                members.insert(rel.source.clone(), it.source.clone());
                members.insert(rel.derived.clone(), it.derived.clone());
                units.push((it.id.clone(), members, vec![it.id]));
            }
        }
        None => {
            if al.segments.is_empty() {
                return Err(FormatError::Alignment(
                    "the alignment has no N-way segments: run tei-align align, or export one edge with --edge".into(),
                ));
            }
            for s in &al.segments {
                units.push((s.id.clone(), s.members.clone(), s.chain.clone()));
            }
        }
    }
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
    out.push_str(&format!(
        "<header creationtool=\"tei-align\" creationtoolversion=\"{}\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"*all*\" o-tmf=\"tei-align\">\n<prop type=\"x-work\">{}</prop>\n</header>\n<body>\n",
        crate::VERSION,
        xml::text(&al.work)
    ));
    // Layers in derivation order: sources before what was derived from them.
    let order = crate::provenance::layer_order(work, &al.relations);
    for (tuid, members, chain) in &units {
        out.push_str(&format!("<tu tuid=\"{}\">\n", xml::attr(tuid)));
        out.push_str(&format!(
            "<prop type=\"x-chain\">{}</prop>\n",
            xml::text(&chain.join(" "))
        ));
        let known: Vec<(&String, &Step<'_>)> = chain
            .iter()
            .filter_map(|c| steps.get(c.as_str()).map(|s| (c, s)))
            .collect();
        for (id, s) in &known {
            out.push_str(&format!(
                "<prop type=\"x-provenance\">{}</prop>\n",
                xml::text(&describe(al, id, s))
            ));
        }
        let min_cert = known
            .iter()
            .map(|(_, s)| s.cert)
            .fold(f64::INFINITY, f64::min);
        if min_cert.is_finite() {
            out.push_str(&format!(
                "<prop type=\"x-cert\">{}</prop>\n",
                fmt_cert(min_cert)
            ));
        }
        let all_man = !known.is_empty()
            && known
                .iter()
                .all(|(_, s)| matches!(s.status, LinkStatus::Verified { .. }));
        out.push_str(&format!(
            "<prop type=\"x-status\">{}</prop>\n",
            if all_man { "man" } else { "auto" }
        ));
        for layer in &order {
            let Some(ids) = members.get(layer.as_str()) else {
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
    out.push_str("</body>\n</tmx>\n");
    Ok(out)
}
