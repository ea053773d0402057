//! Manual review of an alignment: confirming, creating and removing links by hand, and the
//! progress of the review.
//!
//! Everything here works on plain values ([`Work`], [`WorkAlignment`]); the CLI reads the files
//! afresh on every command (so an alignment file edited by hand in an XML editor is honoured),
//! recomposes the N-way segments ([`crate::provenance::recompose`]) and writes the result back
//! atomically.

use crate::model::{
    Agent, ChangeStatus, Link, LinkStatus, Relation, Unaligned, UnalignedKind, Work, WorkAlignment,
};
pub use crate::model::{SentenceIndex, SentencePos};
use crate::provenance::edge::span;
use crate::provenance::record;
use crate::provenance::{
    derived_unaligned_kind, fresh_id, fresh_id_avoiding, link_prefix, ptr_prefix, sort_edge,
};
use std::collections::BTreeSet;

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
        al.agents.push(Agent {
            id: who.to_owned(),
            name: who.to_owned(),
            role: "editor".into(),
        });
    }
}

/// Record a manual step in the revision history as its own change, and point the items it made
/// or changed at it; returns the change id.
fn add_change(
    al: &mut WorkAlignment,
    (who, when): (&str, &str),
    desc: String,
    items: &[String],
) -> String {
    let id = record::new_change(al, ChangeStatus::Verified, who, when, desc);
    record::mark(al, &id, items.iter().map(String::as_str));
    id
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
    let rel = al
        .relations
        .iter()
        .find(|r| r.id == al.edges[ei].relation)
        .cloned()
        .ok_or_else(|| ReviewError::NoEdge("edge without relation".into()))?;
    let verified = LinkStatus::Verified {
        who: who.to_owned(),
        when: when.to_owned(),
    };

    // Confirming an existing link as it stands.
    if let Some(li) = al.edges[ei]
        .links
        .iter()
        .position(|l| l.source == src && l.derived == der)
    {
        let link_id = al.edges[ei].links[li].id.clone();
        ensure_agent(al, who);
        // The link's certainty is now the editor's; the aligner's score it replaces is kept in
        // the change record, which has its own @who.
        let machine = match al.edges[ei].links[li].status {
            LinkStatus::Automatic => format!(
                "; the aligner's score was {}",
                crate::tei::standoff::fmt_cert(al.edges[ei].links[li].cert)
            ),
            LinkStatus::Verified { .. } => String::new(),
        };
        add_change(
            al,
            (who, when),
            format!(
                "confirmed link {link_id} ({}){machine}",
                ids_str(&src, &der)
            ),
            std::slice::from_ref(&link_id),
        );
        al.edges[ei].links[li].status = verified;
        al.edges[ei].links[li].cert = 1.0;
        return Ok(LinkOutcome {
            relation: rel.id,
            link: link_id,
            confirmed_existing: true,
            removed: vec![],
            orphaned: vec![],
        });
    }

    let (Some(ns), Some(nd)) = (span(&idx, &src), span(&idx, &der)) else {
        return Err(ReviewError::Rejected("empty side".into()));
    };
    let src_set: BTreeSet<&String> = src.iter().collect();
    let der_set: BTreeSet<&String> = der.iter().collect();
    let edge = &al.edges[ei];
    let overlaps = |l: &Link| {
        l.source.iter().any(|s| src_set.contains(s))
            || l.derived.iter().any(|d| der_set.contains(d))
    };
    // Reject crossings with the links that stay.
    for l in edge.links.iter().filter(|l| !overlaps(l)) {
        if let (Some(ls), Some(ld)) = (span(&idx, &l.source), span(&idx, &l.derived))
            && crosses(((ns), (nd)), (ls, ld))
        {
            return Err(ReviewError::Crossing(format!(
                "link {} ({})",
                l.id,
                ids_str(&l.source, &l.derived)
            )));
        }
    }

    let mut new_al = al.clone();
    let edge = &mut new_al.edges[ei];
    let (removed_links, kept): (Vec<Link>, Vec<Link>) =
        edge.links.drain(..).partition(|l| overlaps(l));
    edge.links = kept;
    // Ids of what goes away stay taken: never given to the new link or ptrs.
    let mut gone: BTreeSet<String> = removed_links.iter().map(|l| l.id.clone()).collect();
    edge.unaligned.retain(|u| {
        let drop = u.layer == rel.source && src_set.contains(&u.sentence)
            || u.layer == rel.derived && der_set.contains(&u.sentence);
        if drop {
            gone.insert(u.id.clone());
        }
        !drop
    });
    let mut orphaned = Vec::new();
    for l in &removed_links {
        for s in l.source.iter().filter(|s| !src_set.contains(s)) {
            orphaned.push((rel.source.clone(), s.clone(), UnalignedKind::SourceOnly));
        }
        for d in l.derived.iter().filter(|d| !der_set.contains(d)) {
            orphaned.push((rel.derived.clone(), d.clone(), UnalignedKind::DerivedOnly));
        }
    }
    let link_id = fresh_id_avoiding(&new_al, &gone, &link_prefix(&rel));
    new_al.edges[ei].links.push(Link {
        partial: false,
        id: link_id.clone(),
        source: src.clone(),
        derived: der.clone(),
        cert: 1.0,
        status: verified,
    });
    let mut orphan_ids = Vec::new();
    let mut new_ptrs = vec![link_id.clone()];
    for (layer, sentence, kind) in orphaned {
        let id = fresh_id_avoiding(&new_al, &gone, &ptr_prefix(&rel));
        new_ptrs.push(id.clone());
        let kind = if kind == UnalignedKind::DerivedOnly {
            derived_unaligned_kind(&idx, &rel, &new_al.edges[ei].links, &sentence)
        } else {
            kind
        };
        orphan_ids.push(sentence.clone());
        // Left over by a manual change but not itself looked at: automatic, and doubtful
        // (cert 0) so that it shows up for review.
        new_al.edges[ei].unaligned.push(Unaligned {
            id,
            kind,
            layer,
            sentence,
            cert: 0.0,
            status: LinkStatus::Automatic,
        });
    }
    sort_edge(&idx, &rel, &mut new_al.edges[ei]);
    ensure_agent(&mut new_al, who);
    let removed: Vec<(String, bool)> = removed_links
        .iter()
        .map(|l| {
            (
                l.id.clone(),
                matches!(l.status, LinkStatus::Verified { .. }),
            )
        })
        .collect();
    let mut desc = format!("linked {} as {link_id}", ids_str(&src, &der));
    if !gone.is_empty() {
        // Every id that went away is named, so it stays taken (see `used_ids`).
        let r: Vec<&str> = gone.iter().map(String::as_str).collect();
        desc.push_str(&format!(", replacing {}", r.join(" ")));
    }
    add_change(&mut new_al, (who, when), desc, &new_ptrs);
    *al = new_al;
    Ok(LinkOutcome {
        relation: rel.id,
        link: link_id,
        confirmed_existing: false,
        removed,
        orphaned: orphan_ids,
    })
}

fn ids_str(src: &[String], der: &[String]) -> String {
    format!("{} ↔ {}", src.join(" "), der.join(" "))
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
    if ids.is_empty() {
        return Err(ReviewError::Rejected(
            "no sentence or link ids given".into(),
        ));
    }
    let idx = SentenceIndex::new(work);
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
    let (ei, li) = match found.as_slice() {
        [one] => *one,
        [] => {
            return Err(ReviewError::Rejected(format!(
                "no link holds all of {}",
                ids.join(" ")
            )));
        }
        many => {
            let names: Vec<&str> = many
                .iter()
                .map(|&(e, l)| al.edges[e].links[l].id.as_str())
                .collect();
            return Err(ReviewError::Rejected(format!(
                "{} is in several links ({}): name the sentences of both layers or the link id",
                ids.join(" "),
                names.join(", ")
            )));
        }
    };
    let rel = al
        .relations
        .iter()
        .find(|r| r.id == al.edges[ei].relation)
        .cloned()
        .ok_or_else(|| ReviewError::NoEdge("edge without relation".into()))?;
    let removed = al.edges[ei].links.remove(li);
    let mut unaligned = Vec::new();
    let mut new_ptrs = Vec::new();
    let sides = [
        (&rel.source, &removed.source, UnalignedKind::SourceOnly),
        (&rel.derived, &removed.derived, UnalignedKind::DerivedOnly),
    ];
    for (layer, sentences, kind) in sides {
        for s in sentences {
            let id = fresh_id(al, &ptr_prefix(&rel));
            new_ptrs.push(id.clone());
            al.edges[ei].unaligned.push(Unaligned {
                id,
                kind,
                layer: layer.clone(),
                sentence: s.clone(),
                cert: 1.0,
                status: LinkStatus::Verified {
                    who: who.to_owned(),
                    when: when.to_owned(),
                },
            });
            unaligned.push(s.clone());
        }
    }
    sort_edge(&idx, &rel, &mut al.edges[ei]);
    ensure_agent(al, who);
    add_change(
        al,
        (who, when),
        format!(
            "removed link {} ({}); its sentences have no counterpart",
            removed.id,
            ids_str(&removed.source, &removed.derived)
        ),
        &new_ptrs,
    );
    Ok(UnlinkOutcome {
        relation: rel.id,
        link: removed.id,
        unaligned,
    })
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
    let ei = match candidates.as_slice() {
        [one] => *one,
        [] => {
            return Err(ReviewError::Rejected(format!(
                "{} {} not all unaligned on {}: a link holds some of them (remove it with \
                 tei-align unlink, or link the sentences of both layers)",
                ids.join(" "),
                if ids.len() == 1 { "is" } else { "are" },
                edge.map_or("any edge of layer ".to_owned() + layer, |e| format!(
                    "edge {e}"
                ))
            )));
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|&k| al.relations.iter().find(|r| r.id == al.edges[k].relation))
                .map(name)
                .collect();
            return Err(ReviewError::Rejected(format!(
                "{} {} unaligned on several edges ({}): choose one with --edge",
                ids.join(" "),
                if ids.len() == 1 { "is" } else { "are" },
                names.join(", ")
            )));
        }
    };
    let relation = al.edges[ei].relation.clone();
    let mut ptrs = Vec::new();
    let mut scores = Vec::new();
    for u in al.edges[ei].unaligned.iter_mut() {
        if u.layer == layer && ids.contains(&u.sentence) {
            if u.status == LinkStatus::Automatic {
                scores.push(format!(
                    "{} {}",
                    u.id,
                    crate::tei::standoff::fmt_cert(u.cert)
                ));
            }
            u.status = LinkStatus::Verified {
                who: who.to_owned(),
                when: when.to_owned(),
            };
            // The editor's certainty; the aligner's score is kept in the change record.
            u.cert = 1.0;
            ptrs.push(u.id.clone());
        }
    }
    ensure_agent(al, who);
    add_change(
        al,
        (who, when),
        format!(
            "confirmed that {} {} no counterpart on {relation} ({}){}",
            ids.join(" "),
            if ids.len() == 1 { "has" } else { "have" },
            ptrs.join(" "),
            if scores.is_empty() {
                String::new()
            } else {
                format!("; the aligner's scores were {}", scores.join(", "))
            }
        ),
        &ptrs,
    );
    Ok(ConfirmOutcome { relation, ptrs })
}

/// Review progress of one edge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EdgeStatus {
    /// The relation id.
    pub relation: String,
    /// Source layer id.
    pub source: String,
    /// Derived layer id.
    pub derived: String,
    /// Links confirmed by a person.
    pub confirmed: usize,
    /// Links made by the aligner and not yet looked at.
    pub automatic: usize,
    /// Automatic links with `cert < 0.5`: look at these first.
    pub doubtful: usize,
    /// Unaligned ptrs confirmed by a person.
    pub unaligned_confirmed: usize,
    /// Unaligned ptrs made by the aligner.
    pub unaligned_automatic: usize,
}

impl EdgeStatus {
    /// Share of reviewed items (links and ptrs), in percent.
    pub fn progress(&self) -> f64 {
        let total =
            self.confirmed + self.automatic + self.unaligned_confirmed + self.unaligned_automatic;
        if total == 0 {
            return 100.0;
        }
        100.0 * (self.confirmed + self.unaligned_confirmed) as f64 / total as f64
    }
}

/// Doubtful below this confidence.
pub const DOUBTFUL_BELOW: f64 = 0.5;

/// Review progress per edge, in the order of the alignment's edges.
pub fn status(al: &WorkAlignment) -> Vec<EdgeStatus> {
    al.edges
        .iter()
        .map(|e| {
            let rel = al.relations.iter().find(|r| r.id == e.relation);
            let is_verified = |s: &LinkStatus| matches!(s, LinkStatus::Verified { .. });
            let confirmed = e.links.iter().filter(|l| is_verified(&l.status)).count();
            let doubtful = e
                .links
                .iter()
                .filter(|l| !is_verified(&l.status) && l.cert < DOUBTFUL_BELOW)
                .count();
            let uc = e
                .unaligned
                .iter()
                .filter(|u| is_verified(&u.status))
                .count();
            EdgeStatus {
                relation: e.relation.clone(),
                source: rel.map(|r| r.source.clone()).unwrap_or_default(),
                derived: rel.map(|r| r.derived.clone()).unwrap_or_default(),
                confirmed,
                automatic: e.links.len() - confirmed,
                doubtful,
                unaligned_confirmed: uc,
                unaligned_automatic: e.unaligned.len() - uc,
            }
        })
        .collect()
}

/// Overall progress over all edges, in percent of reviewed items.
pub fn overall_progress(edges: &[EdgeStatus]) -> f64 {
    let (mut done, mut total) = (0usize, 0usize);
    for e in edges {
        done += e.confirmed + e.unaligned_confirmed;
        total += e.confirmed + e.automatic + e.unaligned_confirmed + e.unaligned_automatic;
    }
    if total == 0 {
        100.0
    } else {
        100.0 * done as f64 / total as f64
    }
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
pub fn iso_from_unix(secs: u64) -> String {
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

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests;
