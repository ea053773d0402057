//! Manual review of an alignment: confirming, creating and removing links by hand, and the
//! progress of the review.
//!
//! Everything here works on plain values ([`Work`], [`WorkAlignment`]); the CLI reads the files
//! afresh on every command (so an alignment file edited by hand in an XML editor is honoured),
//! recomposes the N-way segments ([`crate::provenance::recompose`]) and writes the result back
//! atomically.

use crate::model::{
    Agent, ChangeStatus, ConfirmedText, Link, LinkStatus, Relation, Unaligned, Work, WorkAlignment,
};
pub use crate::model::{SentenceIndex, SentencePos};
use crate::provenance::edge::span;
use crate::provenance::record;
use crate::provenance::{EdgeBuilt, EdgeEdit, IdAlloc, NewBead, Restate, build_edge};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Errors of manual review.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The requested change cannot be made.
    #[error("{0}")]
    Rejected(String),
    /// A sentence id is not in any layer of the work.
    #[error("unknown sentence id '{0}' (not in any layer of the work)")]
    UnknownId(String),
    /// The ids come from layers that no derivation edge joins.
    #[error("{0}")]
    NoEdge(String),
    /// The editor id cannot be an `xml:id` (it becomes one in the alignment file).
    #[error(
        "'{0}' is not a valid editor id: use letters, digits, '-', '_' or '.', starting with a letter"
    )]
    BadEditor(String),
    /// The new link would cross an existing one.
    #[error("the link would cross {0}: remove it first (tei-align unlink) or link differently")]
    Crossing(String),
}

/// What `link` did.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkOutcome {
    /// The relation (edge) id.
    pub relation: String,
    /// The id of the confirmed or created link.
    pub link: String,
    /// True when an existing link was confirmed as it was; false when a new one was made.
    pub confirmed_existing: bool,
    /// Links removed because the new one overlaps them (id, and whether a person had confirmed it).
    pub removed: Vec<(String, bool)>,
    /// Sentences left without a counterpart by the removal (now unaligned ptrs).
    pub orphaned: Vec<String>,
}

/// What `unlink` did.
#[derive(Debug, Clone, PartialEq)]
pub struct UnlinkOutcome {
    /// The relation (edge) id.
    pub relation: String,
    /// The id of the removed link.
    pub link: String,
    /// The sentences now recorded as confirmed unaligned.
    pub unaligned: Vec<String>,
}

/// Find the edge joining the layers of `ids` and split the ids into its source and derived side,
/// each in document order.
fn resolve_edge(
    idx: &SentenceIndex<'_>,
    al: &WorkAlignment,
    ids: &[String],
) -> Result<(usize, Vec<String>, Vec<String>), ReviewError> {
    if ids.is_empty() {
        return Err(ReviewError::Rejected("no sentence ids given".into()));
    }
    let mut layers: BTreeSet<&str> = BTreeSet::new();
    for id in ids {
        let l = idx
            .layer_id(id)
            .ok_or_else(|| ReviewError::UnknownId(id.clone()))?;
        layers.insert(l);
    }
    let layers: Vec<&str> = layers.into_iter().collect();
    if layers.len() != 2 {
        return Err(ReviewError::NoEdge(format!(
            "a link joins sentences of exactly two layers, but the ids given are from {}: {}",
            if layers.len() == 1 { "one" } else { "more" },
            layers.join(", ")
        )));
    }
    let rel = al
        .relations
        .iter()
        .position(|r| {
            (r.source == layers[0] && r.derived == layers[1])
                || (r.source == layers[1] && r.derived == layers[0])
        })
        .ok_or_else(|| {
            ReviewError::NoEdge(format!(
                "layers {} and {} are not joined by a derivation edge",
                layers[0], layers[1]
            ))
        })?;
    let relation = &al.relations[rel];
    let edge = al
        .edges
        .iter()
        .position(|e| e.relation == relation.id)
        .ok_or_else(|| {
            ReviewError::NoEdge(format!(
                "the alignment has no linkGrp for {} (run tei-align align first)",
                relation.id
            ))
        })?;
    let side = |layer: &str| -> Result<Vec<String>, ReviewError> {
        let mut v: Vec<(usize, String)> = ids
            .iter()
            .filter(|id| idx.layer_id(id) == Some(layer))
            .map(|id| (idx.index(id).unwrap_or(0), id.clone()))
            .collect();
        v.sort();
        v.dedup();
        for w in v.windows(2) {
            if w[1].0 != w[0].0 + 1 {
                return Err(ReviewError::Rejected(format!(
                    "{} and {} are not consecutive sentences: a link joins a run of consecutive \
                     sentences on each side",
                    w[0].1, w[1].1
                )));
            }
        }
        Ok(v.into_iter().map(|(_, id)| id).collect())
    };
    let src = side(&relation.source)?;
    let der = side(&relation.derived)?;
    Ok((edge, src, der))
}

/// True when two beads (given as spans on both sides) cross: one is before the other on one side
/// and after it on the other.
fn crosses(a: ((usize, usize), (usize, usize)), b: ((usize, usize), (usize, usize))) -> bool {
    let before = a.0.1 < b.0.0 && a.1.1 < b.1.0;
    let after = a.0.0 > b.0.1 && a.1.0 > b.1.1;
    !(before || after)
}

/// Make sure the editor is named among the alignment's agents.
/// The editor id must be an XML name: it is written as `respStmt/@xml:id` and `@resp="#who"`.
fn check_editor(who: &str) -> Result<(), ReviewError> {
    if crate::tei::is_ncname(who) {
        Ok(())
    } else {
        Err(ReviewError::BadEditor(who.to_owned()))
    }
}

fn ensure_agent(al: &mut WorkAlignment, who: &str) {
    if !al.agents.iter().any(|a| a.id == who) {
        al.agents
            .push(Agent::new(who.to_owned(), who.to_owned(), "editor".into()));
    }
}

/// Record a manual step that turned `old` into `al` as its own change (saying what it did to
/// the edge), the items it made or changed pointing at it.
fn record_step(old: &WorkAlignment, al: &mut WorkAlignment, (who, when): (&str, &str), what: &str) {
    ensure_agent(al, who);
    record::record_edges(old, al, ChangeStatus::Verified, who, when, what);
}

/// A confirmation repeated by the same editor in the same second leaves the edge as it was,
/// but it is a decision all the same — it is how a person closes a merge conflict, which stays
/// open until a change after it holds the item ([`crate::provenance::merge::open_conflicts`]) —
/// so it is recorded as a change of the item, under the person's name.
fn record_again(
    old: &WorkAlignment,
    al: &mut WorkAlignment,
    (ei, item): (usize, &str),
    (who, when): (&str, &str),
    what: &str,
) {
    ensure_agent(al, who);
    let diff = record::EdgeDiff {
        relation: al.edges[ei].relation.clone(),
        changed: vec![item.to_owned()],
        ..Default::default()
    };
    let desc = format!("{what} {}: confirmed again ({item}).", diff.relation);
    let by = (ChangeStatus::Verified, who, when);
    record::record_diffs(old, al, &[diff], by, desc);
}

/// `al` as it is before an edit, for the change record, which compares its edges and history:
/// the segments (the largest part, recomposed after the edit) are not copied.
fn before_edit(al: &mut WorkAlignment) -> WorkAlignment {
    let segments = std::mem::take(&mut al.segments);
    let old = al.clone();
    al.segments = segments;
    old
}

/// The relation of edge `ei`.
fn relation_at(al: &WorkAlignment, ei: usize) -> Result<Relation, ReviewError> {
    al.relations
        .iter()
        .find(|r| r.id == al.edges[ei].relation)
        .cloned()
        .ok_or_else(|| ReviewError::NoEdge("edge without relation".into()))
}

/// Which links and ptrs of an edge an edit drops.
type Dropping<'f> = (&'f dyn Fn(&Link) -> bool, &'f dyn Fn(&Unaligned) -> bool);

/// What a step by hand does to an edge: the items it drops, the beads it puts in, the held items
/// it restates (a confirmation).
struct Step<'f> {
    drop: Dropping<'f>,
    beads: Vec<NewBead>,
    restate: HashMap<String, Restate>,
}

impl<'f> Step<'f> {
    /// A step that puts `beads` in place of the items `drop` rejects (`link`, `unlink`).
    fn replace(drop: Dropping<'f>, beads: Vec<NewBead>) -> Self {
        Step {
            drop,
            beads,
            restate: HashMap::new(),
        }
    }

    /// A step that confirms the items `ids` as they stand, under `who` at `when`: the editor's
    /// certainty (1) replaces the aligner's score, which the change record keeps.
    fn confirm(ids: impl IntoIterator<Item = String>, (who, when): (&str, &str)) -> Self {
        let status = LinkStatus::Verified {
            who: who.to_owned(),
            when: when.to_owned(),
            digest: None,
        };
        let r = Restate {
            status: Some(status),
            cert: Some(1.0),
            anew: true,
        };
        Step {
            drop: (&|_| false, &|_| false),
            beads: Vec::new(),
            restate: ids.into_iter().map(|id| (id, r.clone())).collect(),
        }
    }
}

/// Make `step` on edge `ei` with the edge core: the items it does not drop held as they are
/// (those it restates changed in status and certainty only). After a `link` or `unlink`,
/// sentences nothing covers become automatic ptrs (certainty 0); a confirmation leaves the rest
/// of the edge exactly as it was, since it says nothing about any other sentence.
fn edit_edge(
    work: &Work,
    al: &mut WorkAlignment,
    (ei, rel): (usize, &Relation),
    step: Step<'_>,
) -> Result<EdgeBuilt, ReviewError> {
    let (Some(source), Some(derived)) = (work.layer(&rel.source), work.layer(&rel.derived)) else {
        return Err(ReviewError::NoEdge(format!(
            "the work has no layers for {}",
            rel.id
        )));
    };
    let old = &al.edges[ei];
    let drop = step.drop;
    let edit = EdgeEdit {
        relation: rel,
        source,
        derived,
        old: Some(old),
        held_links: old.links.iter().filter(|l| !drop.0(l)).cloned().collect(),
        held_ptrs: old
            .unaligned
            .iter()
            .filter(|u| !drop.1(u))
            .cloned()
            .collect(),
        fill: step.restate.is_empty(),
        restate: step.restate,
        beads: step.beads,
    };
    let mut ids = IdAlloc::new(al);
    let built = build_edge(edit, &mut ids);
    al.edges[ei] = built.edge.clone();
    Ok(built)
}

/// Confirm or create a link by hand.
///
/// `ids` are sentence ids of the two layers of one derivation edge. If exactly these sentences
/// form a link of that edge, it is confirmed (`Verified{who, when}`); otherwise a new verified
/// link is made, the links it overlaps are removed, their leftover sentences become (automatic)
/// unaligned ptrs, and unaligned ptrs of the linked sentences are dropped. A link that would
/// cross another link of the edge is rejected. A `<change status="verified">` records the step.
pub fn link(
    work: &Work,
    al: &mut WorkAlignment,
    ids: &[String],
    who: &str,
    when: &str,
) -> Result<LinkOutcome, ReviewError> {
    check_editor(who)?;
    let idx = SentenceIndex::new(work);
    let (ei, src, der) = resolve_edge(&idx, al, ids)?;
    let rel = relation_at(al, ei)?;
    if let Some(li) = al.edges[ei]
        .links
        .iter()
        .position(|l| l.source == src && l.derived == der)
    {
        return confirm_link(work, al, (ei, li), &rel, (who, when));
    }
    let (Some(ns), Some(nd)) = (span(&idx, &src), span(&idx, &der)) else {
        return Err(ReviewError::Rejected("empty side".into()));
    };
    let src_set: HashSet<&String> = src.iter().collect();
    let der_set: HashSet<&String> = der.iter().collect();
    let overlaps = |l: &Link| {
        l.source.iter().any(|s| src_set.contains(s))
            || l.derived.iter().any(|d| der_set.contains(d))
    };
    // Reject crossings with the links that stay.
    for l in al.edges[ei].links.iter().filter(|l| !overlaps(l)) {
        if let (Some(ls), Some(ld)) = (span(&idx, &l.source), span(&idx, &l.derived))
            && crosses((ns, nd), (ls, ld))
        {
            return Err(ReviewError::Crossing(format!(
                "link {} ({})",
                l.id,
                ids_str(&l.source, &l.derived)
            )));
        }
    }
    let removed: Vec<(String, bool)> = al.edges[ei]
        .links
        .iter()
        .filter(|l| overlaps(l))
        .map(|l| {
            (
                l.id.clone(),
                matches!(l.status, LinkStatus::Verified { .. }),
            )
        })
        .collect();
    let on_linked = |u: &Unaligned| {
        u.layer == rel.source && src_set.contains(&u.sentence)
            || u.layer == rel.derived && der_set.contains(&u.sentence)
    };
    let bead = NewBead {
        status: LinkStatus::Verified {
            who: who.to_owned(),
            when: when.to_owned(),
            digest: None,
        },
        ..NewBead::automatic((ns.0..=ns.1).collect(), (nd.0..=nd.1).collect(), 1.0)
    };
    let old = before_edit(al);
    let step = Step::replace((&overlaps, &on_linked), vec![bead]);
    let built = edit_edge(work, al, (ei, &rel), step)?;
    let link_id = built
        .edge
        .links
        .iter()
        .find(|l| l.source == src && l.derived == der)
        .map(|l| l.id.clone())
        .unwrap_or_default();
    let what = format!("linked {} as {link_id}:", ids_str(&src, &der));
    record_step(&old, al, (who, when), &what);
    Ok(LinkOutcome {
        relation: rel.id,
        link: link_id,
        confirmed_existing: false,
        removed,
        orphaned: built.uncovered,
    })
}

/// Confirm link `li` of edge `ei` as it stands, on its sentences' texts of now, through the
/// edge core (which keeps its id and targets and records the digest of its text).
fn confirm_link(
    work: &Work,
    al: &mut WorkAlignment,
    (ei, li): (usize, usize),
    rel: &Relation,
    (who, when): (&str, &str),
) -> Result<LinkOutcome, ReviewError> {
    let old = before_edit(al);
    let was = &old.edges[ei].links[li];
    edit_edge(
        work,
        al,
        (ei, rel),
        Step::confirm([was.id.clone()], (who, when)),
    )?;
    let Some(now) = al.edges[ei].links.iter().find(|l| l.id == was.id) else {
        return Err(ReviewError::Rejected(format!("link {} was lost", was.id)));
    };
    // The link's certainty is now the editor's; the aligner's score it replaces is kept in
    // the change record, which has its own @who.
    let machine = match &was.status {
        LinkStatus::Automatic => format!(
            "; the aligner's score was {}",
            crate::tei::standoff::fmt_cert(was.cert)
        ),
        LinkStatus::Verified {
            who: by, when: at, ..
        } => reconfirmed(&was.status, now.status.confirmed_text(), by, at),
    };
    let what = format!(
        "confirmed link {} ({}){machine}:",
        was.id,
        ids_str(&was.source, &was.derived)
    );
    // The same confirmation again (same editor, same second, same text).
    let again = now.status == was.status && was.cert == 1.0;
    let link = was.id.clone();
    if again {
        record_again(&old, al, (ei, &link), (who, when), &what);
    } else {
        record_step(&old, al, (who, when), &what);
    }
    Ok(LinkOutcome {
        relation: rel.id.clone(),
        link,
        confirmed_existing: true,
        removed: vec![],
        orphaned: vec![],
    })
}

/// What a confirmation of an item confirmed before says about the earlier one: that its text
/// changed since (the digest recorded then is not that of the text now), or nothing.
fn reconfirmed(old: &LinkStatus, now: Option<&ConfirmedText>, who: &str, when: &str) -> String {
    match (old.digest(), now.map(|t| t.digest.as_str())) {
        (Some(was), Some(now)) if was != now => {
            format!(
                "; confirmed anew on its edited text (confirmed by {who} on {when} on another text)"
            )
        }
        _ => String::new(),
    }
}

fn ids_str(src: &[String], der: &[String]) -> String {
    format!("{} ↔ {}", src.join(" "), der.join(" "))
}

/// The one link that `ids` name: a link id, or sentence ids that all belong to one link.
fn find_link(
    idx: &SentenceIndex<'_>,
    al: &WorkAlignment,
    ids: &[String],
) -> Result<(usize, usize), ReviewError> {
    if ids.is_empty() {
        return Err(ReviewError::Rejected(
            "no sentence or link ids given".into(),
        ));
    }
    // Candidates: (edge index, link index).
    let mut found: Vec<(usize, usize)> = Vec::new();
    if ids.len() == 1 {
        for (ei, e) in al.edges.iter().enumerate() {
            if let Some(li) = e.links.iter().position(|l| l.id == ids[0]) {
                found.push((ei, li));
            }
        }
    }
    if found.is_empty() {
        for id in ids {
            if idx.get(id).is_none() {
                return Err(if ids.len() == 1 {
                    ReviewError::Rejected(format!(
                        "'{id}' is neither a link id of the alignment nor a sentence id of the work"
                    ))
                } else {
                    ReviewError::UnknownId(id.clone())
                });
            }
        }
        for (ei, e) in al.edges.iter().enumerate() {
            for (li, l) in e.links.iter().enumerate() {
                if ids
                    .iter()
                    .all(|id| l.source.contains(id) || l.derived.contains(id))
                {
                    found.push((ei, li));
                }
            }
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(ReviewError::Rejected(format!(
            "no link holds all of {}",
            ids.join(" ")
        ))),
        many => {
            let names: Vec<&str> = many
                .iter()
                .map(|&(e, l)| al.edges[e].links[l].id.as_str())
                .collect();
            Err(ReviewError::Rejected(format!(
                "{} is in several links ({}): name the sentences of both layers or the link id",
                ids.join(" "),
                names.join(", ")
            )))
        }
    }
}

/// The sentences a link or ptr id names, to confirm it again by its id (as `align` and `check`
/// name an item to review): a link's sentences (source first), or a ptr's sentence with its
/// edge (`cs-en`). `None` when `id` names no item.
pub fn item_sentences(al: &WorkAlignment, id: &str) -> Option<(Vec<String>, Option<String>)> {
    for e in &al.edges {
        if let Some(l) = e.links.iter().find(|l| l.id == id) {
            return Some((l.source.iter().chain(&l.derived).cloned().collect(), None));
        }
        if let Some(u) = e.unaligned.iter().find(|u| u.id == id) {
            let edge = al
                .relations
                .iter()
                .find(|r| r.id == e.relation)
                .map(|r| format!("{}-{}", r.source, r.derived));
            return Some((vec![u.sentence.clone()], edge));
        }
    }
    None
}

/// Remove a link by hand. `ids` are either the link's `xml:id`, or sentence ids that all belong
/// to one link (of one edge). The link's sentences become unaligned ptrs confirmed as such by
/// `who` (the editor says: these have no counterpart).
pub fn unlink(
    work: &Work,
    al: &mut WorkAlignment,
    ids: &[String],
    who: &str,
    when: &str,
) -> Result<UnlinkOutcome, ReviewError> {
    check_editor(who)?;
    let idx = SentenceIndex::new(work);
    let (ei, li) = find_link(&idx, al, ids)?;
    let rel = relation_at(al, ei)?;
    let removed = al.edges[ei].links[li].clone();
    let verified = LinkStatus::Verified {
        who: who.to_owned(),
        when: when.to_owned(),
        digest: None,
    };
    let positions = |v: &[String]| v.iter().filter_map(|x| idx.index(x)).collect::<Vec<_>>();
    let beads = [
        (positions(&removed.source), vec![]),
        (vec![], positions(&removed.derived)),
    ]
    .into_iter()
    .map(|(s, d)| NewBead {
        status: verified.clone(),
        ..NewBead::automatic(s, d, 1.0)
    })
    .collect();
    let old = before_edit(al);
    let is_removed = |l: &Link| l.id == removed.id;
    let step = Step::replace((&is_removed, &|_| false), beads);
    edit_edge(work, al, (ei, &rel), step)?;
    let what = format!(
        "removed link {} ({}); its sentences have no counterpart:",
        removed.id,
        ids_str(&removed.source, &removed.derived)
    );
    record_step(&old, al, (who, when), &what);
    Ok(UnlinkOutcome {
        relation: rel.id,
        link: removed.id,
        unaligned: removed
            .source
            .iter()
            .chain(&removed.derived)
            .cloned()
            .collect(),
    })
}

/// The one edge (its index) of `layer` on which all of `ids` are unaligned (`edge`, `cs-en`,
/// when given): an error says why there is none, or that there are several to choose from.
fn unaligned_edge(
    al: &WorkAlignment,
    ids: &[String],
    layer: &str,
    edge: Option<&str>,
) -> Result<usize, ReviewError> {
    let name = |r: &Relation| format!("{}-{}", r.source, r.derived);
    let candidates: Vec<usize> = al
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let Some(r) = al.relations.iter().find(|r| r.id == e.relation) else {
                return false;
            };
            (r.source == layer || r.derived == layer)
                && edge.is_none_or(|x| x.strip_prefix("rel.").unwrap_or(x) == name(r))
                && ids.iter().all(|id| {
                    e.unaligned
                        .iter()
                        .any(|u| &u.sentence == id && u.layer == layer)
                })
        })
        .map(|(k, _)| k)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(ReviewError::Rejected(format!(
            "{} {} not all unaligned on {}: a link holds some of them (remove it with \
                 tei-align unlink, or link the sentences of both layers)",
            ids.join(" "),
            if ids.len() == 1 { "is" } else { "are" },
            edge.map_or("any edge of layer ".to_owned() + layer, |e| format!(
                "edge {e}"
            ))
        ))),
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|&k| al.relations.iter().find(|r| r.id == al.edges[k].relation))
                .map(name)
                .collect();
            Err(ReviewError::Rejected(format!(
                "{} {} unaligned on several edges ({}): choose one with --edge",
                ids.join(" "),
                if ids.len() == 1 { "is" } else { "are" },
                names.join(", ")
            )))
        }
    }
}

/// What `confirm_unaligned` did.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmOutcome {
    /// The relation (edge) id.
    pub relation: String,
    /// The ids of the confirmed ptrs.
    pub ptrs: Vec<String>,
}

/// Confirm that sentences of one layer have no counterpart: their unaligned ptrs on one edge
/// become `Verified{who, when}` (re-alignment then keeps them unaligned). `edge` (`cs-en`)
/// chooses the edge when the layer is on several where these sentences are unaligned.
pub fn confirm_unaligned(
    work: &Work,
    al: &mut WorkAlignment,
    ids: &[String],
    edge: Option<&str>,
    who: &str,
    when: &str,
) -> Result<ConfirmOutcome, ReviewError> {
    check_editor(who)?;
    let idx = SentenceIndex::new(work);
    let mut layers = BTreeSet::new();
    for id in ids {
        layers.insert(
            idx.layer_id(id)
                .ok_or_else(|| ReviewError::UnknownId(id.clone()))?,
        );
    }
    let [layer] = layers.into_iter().collect::<Vec<_>>()[..] else {
        return Err(ReviewError::Rejected(
            "to confirm sentences as unaligned, give sentences of one layer".into(),
        ));
    };
    let ei = unaligned_edge(al, ids, layer, edge)?;
    let relation = al.edges[ei].relation.clone();
    let rel = relation_at(al, ei)?;
    let old = before_edit(al);
    let chosen: Vec<&Unaligned> = old.edges[ei]
        .unaligned
        .iter()
        .filter(|u| u.layer == layer && ids.contains(&u.sentence))
        .collect();
    let step = Step::confirm(chosen.iter().map(|u| u.id.clone()), (who, when));
    edit_edge(work, al, (ei, &rel), step)?;
    let mut ptrs = Vec::new();
    let mut scores = Vec::new();
    let mut again = Vec::new();
    for u in chosen {
        ptrs.push(u.id.clone());
        match &u.status {
            // The editor's certainty replaces the aligner's score, kept in the change record.
            LinkStatus::Automatic => scores.push(format!(
                "{} {}",
                u.id,
                crate::tei::standoff::fmt_cert(u.cert)
            )),
            LinkStatus::Verified {
                who: was, when: at, ..
            } => {
                let now = al.edges[ei].unaligned.iter().find(|n| n.id == u.id);
                let text = now.and_then(|n| n.status.confirmed_text());
                if !reconfirmed(&u.status, text, was, at).is_empty() {
                    again.push(format!("{} (confirmed by {was} on {at})", u.id));
                }
            }
        }
    }
    let what = format!(
        "confirmed that {} {} no counterpart on {relation} ({}){}:",
        ids.join(" "),
        if ids.len() == 1 { "has" } else { "have" },
        ptrs.join(" "),
        if scores.is_empty() {
            String::new()
        } else {
            format!("; the aligner's scores were {}", scores.join(", "))
        }
    );
    let what = if again.is_empty() {
        what
    } else {
        let what = what.trim_end_matches(':');
        format!(
            "{what}; confirmed anew on their edited text: {}:",
            again.join(", ")
        )
    };
    record_step(&old, al, (who, when), &what);
    Ok(ConfirmOutcome { relation, ptrs })
}

/// The current time in UTC as ISO 8601 (`2026-11-25T09:41:00Z`), for `@when`.
pub fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    iso_from_unix(secs)
}

/// Format seconds since the Unix epoch as ISO 8601 UTC.
pub(crate) fn iso_from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

mod progress;
mod record_text;
pub use progress::{DOUBTFUL_BELOW, EdgeStatus, doubtful_unaligned, overall_progress, status};
pub use record_text::{RecordedTexts, record_texts};

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests;
