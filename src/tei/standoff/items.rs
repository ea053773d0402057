//! The standoff items both the alignment file and the parallel edition write — links, ptrs,
//! changes and respStmts — written once, so that the two documents say the same about every
//! link: its id, targets, type, certainty, who made it and which change did. They differ only in
//! how they point ([`Naming`]): the alignment file into the layer files (`cs.xml#cs.s1`), the
//! edition into itself (`#cs.s1`), where an id its layers already use cannot be given again.

use super::TOOL_ID;
use super::write::fmt_cert;
use crate::model::{
    Agent, Change, ChangeStatus, ConfirmedText, Link, LinkStatus, Relation, Unaligned,
};
use crate::model::{UNKNOWN_AGENT, WorkAlignment};
use crate::provenance::record::change_of;
use crate::tei::escape::{self, push_attr as esc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// How a standoff document points.
pub(crate) trait Naming {
    /// Append ` xml:id="…"` for an item, or nothing when the document cannot give it this id.
    fn id_attr(&mut self, out: &mut String, id: &str);
    /// Append the pointer to a sentence of a layer, escaped for an attribute.
    fn target(&self, out: &mut String, layer: &str, sentence: &str);
}

/// Append ` target="…"`: the pointers to `sentences`, each with the layer it is in.
pub(crate) fn targets<'s>(
    o: &mut String,
    n: &impl Naming,
    sentences: impl IntoIterator<Item = (&'s str, &'s str)>,
) {
    o.push_str(" target=\"");
    for (k, (layer, s)) in sentences.into_iter().enumerate() {
        if k > 0 {
            o.push(' ');
        }
        n.target(o, layer, s);
    }
    o.push('"');
}

/// Append ` cert="…"` ([`fmt_cert`]).
fn cert(o: &mut String, x: f64) {
    let _ = write!(o, " cert=\"{}\"", fmt_cert(x));
}

/// The change each link and ptr points at, by item id ([`change_of`]), and the changes to add
/// for confirmed items that name none (a link edited by hand): one per editor and date
/// (`ch.v<N>`), so that the document always resolves.
pub(crate) fn item_changes(a: &WorkAlignment) -> (HashMap<&str, String>, Vec<Change>) {
    let mut item_change = HashMap::new();
    let mut extra: Vec<Change> = Vec::new();
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
        let LinkStatus::Verified { who, when, .. } = st else {
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
            extra.push(Change {
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
    (item_change, extra)
}

/// What an item's `resp` and `change` attributes say: its status and the change it points at.
pub(crate) type Resp<'a> = (&'a LinkStatus, Option<&'a str>);

/// Append the `resp` and `change` attributes of an item: the tool for automatic ones, the
/// editor for confirmed ones.
pub(crate) fn resp_attrs(o: &mut String, (status, change): Resp<'_>) {
    let who = match status {
        LinkStatus::Automatic => TOOL_ID,
        LinkStatus::Verified { who, .. } => who.as_str(),
    };
    o.push_str(" resp=\"#");
    esc(o, who);
    o.push('"');
    if let Some(c) = change {
        o.push_str(" change=\"#");
        esc(o, c);
        o.push('"');
    }
}

/// A link of an edge whose layers are `(source, derived)`: `@target` the source sentences,
/// then the derived ones; `@type` `n-m`; `@subtype="partial"` when one side says clearly less.
/// A link with an empty side (a 1-0 bead kept as a link) needs two ends to be a TEI link: it is
/// written as an unaligned ptr.
pub(crate) fn link(
    o: &mut String,
    n: &mut impl Naming,
    l: &Link,
    (src, der): (&str, &str),
    resp: Resp<'_>,
) {
    if l.source.is_empty() || l.derived.is_empty() {
        let (sub, layer, t) = if l.derived.is_empty() {
            ("source-only", src, &l.source)
        } else {
            ("derived-only", der, &l.derived)
        };
        if t.is_empty() {
            return;
        }
        o.push_str("      <ptr");
        n.id_attr(o, &l.id);
        let _ = write!(o, " type=\"unaligned\" subtype=\"{sub}\"");
        targets(o, n, t.iter().map(|s| (layer, s.as_str())));
        cert(o, l.cert);
        resp_attrs(o, resp);
        o.push_str("/>\n");
        return;
    }
    o.push_str("      <link");
    n.id_attr(o, &l.id);
    o.push_str(" type=\"");
    esc(o, &l.kind());
    o.push('"');
    if l.partial {
        o.push_str(" subtype=\"partial\"");
    }
    let sides = l.source.iter().map(|s| (src, s.as_str()));
    targets(
        o,
        n,
        sides.chain(l.derived.iter().map(|s| (der, s.as_str()))),
    );
    cert(o, l.cert);
    resp_attrs(o, resp);
    o.push_str("/>\n");
}

/// An unaligned ptr. A gap of a witness (source or derived) is a fact of the witness (it has no text there), not a
/// judgement: no certainty is claimed for it.
pub(crate) fn ptr(o: &mut String, n: &mut impl Naming, u: &Unaligned, resp: Resp<'_>) {
    o.push_str("      <ptr");
    n.id_attr(o, &u.id);
    let _ = write!(o, " type=\"unaligned\" subtype=\"{}\"", u.kind.as_str());
    targets(o, n, [(u.layer.as_str(), u.sentence.as_str())]);
    if !(u.kind.is_gap() && u.cert == 1.0) {
        cert(o, u.cert);
    }
    resp_attrs(o, resp);
    o.push_str("/>\n");
}

/// A `<change>` of the history. An unknown person or date (a link edited by hand) is left out,
/// not written empty: an empty `@when` is not a date.
pub(crate) fn change(o: &mut String, n: &mut impl Naming, c: &Change) {
    let who = if c.who.is_empty() {
        String::new()
    } else {
        format!(" who=\"#{}\"", escape::attr(&c.who))
    };
    let when = if c.when.is_empty() {
        String::new()
    } else {
        format!(" when=\"{}\"", escape::attr(&c.when))
    };
    o.push_str("      <change");
    n.id_attr(o, &c.id);
    let _ = writeln!(
        o,
        " status=\"{}\"{who}{when}>{}</change>",
        escape::attr(c.status.as_str()),
        escape::attr(&c.desc)
    );
}

/// What a derivation is, in words, its makers pointing at their respStmts:
/// `translation by <persName ref="#kramer">Mark Kramer</persName>`.
pub(crate) fn relation_desc(agents: &[Agent], r: &Relation) -> String {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for id in &r.resp {
        let a = agents.iter().find(|a| &a.id == id);
        let name = a.map_or(id.as_str(), |a| a.name.as_str());
        if name == crate::model::UNKNOWN_AGENT {
            let label = a.map_or_else(|| id.clone(), crate::model::agent_label);
            unknown.push(format!(
                "<persName ref=\"#{}\" type=\"unknown\">{}</persName>",
                escape::attr(id),
                escape::attr(&label)
            ));
        } else {
            let org = a.is_some_and(|a| a.org || crate::tei::header::is_org_role(&a.role));
            let el = if org { "orgName" } else { "persName" };
            known.push(format!(
                "<{el} ref=\"#{}\">{}</{el}>",
                escape::attr(id),
                escape::attr(name)
            ));
        }
    }
    let mut d = escape::attr(r.kind.as_str());
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

/// A `respStmt` of the `titleStmt`, declaring an agent that `@resp` and `@who` point at.
pub(crate) fn resp_stmt(o: &mut String, n: &mut impl Naming, a: &Agent) {
    o.push_str("        <respStmt");
    n.id_attr(o, &a.id);
    if let Some(c) = &a.cert {
        let _ = write!(o, " cert=\"{}\"", escape::attr(c));
    }
    let _ = writeln!(
        o,
        ">\n          <resp>{}</resp>\n          {}\n        </respStmt>",
        escape::attr(&a.role),
        agent_name_el(a)
    );
}

/// The name element of a respStmt: software as `name`, an organisation as `orgName`, someone
/// the sources do not name as `persName type="unknown"`, anyone else as `persName`.
pub(crate) fn agent_name_el(a: &Agent) -> String {
    if a.id == TOOL_ID {
        format!("<name type=\"software\">{}</name>", escape::attr(&a.name))
    } else if a.name == UNKNOWN_AGENT {
        format!(
            "<persName type=\"unknown\">{}</persName>",
            escape::attr(&a.name)
        )
    } else if a.org || crate::tei::header::is_org_role(&a.role) {
        format!("<orgName>{}</orgName>", escape::attr(&a.name))
    } else {
        format!("<persName>{}</persName>", escape::attr(&a.name))
    }
}

/// The change that recorded a confirmation's text after it was made (`link --record-text`):
/// the last `verified` change of that editor at that time. `None` for a text recorded at the
/// confirmation, or when the history has no such change.
pub(crate) fn recorded_change<'c>(
    changes: impl IntoIterator<Item = &'c Change, IntoIter: DoubleEndedIterator>,
    t: &ConfirmedText,
) -> Option<&'c str> {
    let r = t.recorded.as_ref()?;
    changes
        .into_iter()
        .rev()
        .find(|c| c.status == ChangeStatus::Verified && c.who == r.who && c.when == r.when)
        .map(|c| c.id.as_str())
}

/// The tool's record of the text of one confirmed item, as `desc`s of its `application`: the
/// digest (`<desc type="confirmed-text" corresp="#a.cs-en.5">3f2a9c1e 7b0d11aa</desc>`, with
/// `resp` and `change` when someone recorded it after the confirmation) and the newest sentence
/// of each of its layers then (`<desc type="confirmed-newest" …>cs.s40 en.s41</desc>`).
pub(crate) fn confirmed_text(o: &mut String, id: &str, t: &ConfirmedText, change: Option<&str>) {
    o.push_str("\n          <desc type=\"");
    o.push_str(super::CONFIRMED_TEXT);
    o.push_str("\" corresp=\"#");
    esc(o, id);
    o.push('"');
    if let Some(r) = &t.recorded {
        o.push_str(" resp=\"#");
        esc(o, &r.who);
        o.push('"');
        if let Some(c) = change {
            o.push_str(" change=\"#");
            esc(o, c);
            o.push('"');
        }
    }
    o.push('>');
    o.push_str(&escape::text(&t.digest));
    o.push_str("</desc>");
    if !t.newest.is_empty() {
        o.push_str("\n          <desc type=\"");
        o.push_str(super::CONFIRMED_NEWEST);
        o.push_str("\" corresp=\"#");
        esc(o, id);
        o.push_str("\">");
        o.push_str(&escape::text(&t.newest.join(" ")));
        o.push_str("</desc>");
    }
}
