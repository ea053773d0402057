//! The record of who changed what: every operation that changes an alignment (an alignment run,
//! an import, a `link`) gets its own `<change>`, and every link and ptr points at the change
//! that made it ([`WorkAlignment::item_changes`]).
//!
//! Why by operation and not by who + when: two operations in the same second by the same
//! person are two changes, and an item untouched by an operation keeps pointing at the change
//! that made it (an import into one edge leaves every other edge as it was). An operation that
//! changes nothing records nothing.

use super::ids::fresh_id;
use crate::model::{Change, ChangeStatus, EdgeAlignment, LinkStatus, WorkAlignment};
use std::collections::{BTreeMap, HashMap};

/// The change an item points at: its recorded change when that change exists; otherwise, for
/// an automatic item the latest automatic change, for a confirmed one the first change of its
/// editor at its date (as files written before changes were recorded per item). `None` when
/// nothing fits.
pub fn change_of(al: &WorkAlignment, item: &str, status: &LinkStatus) -> Option<String> {
    // A recorded change that no longer fits the item (a link confirmed by editing the model,
    // or the file, by hand) is not its change any more.
    let fits = |c: &Change| match status {
        LinkStatus::Automatic => c.status == ChangeStatus::Automatic,
        LinkStatus::Verified { when, .. } => &c.when == when,
    };
    if let Some(c) = al.item_changes.get(item)
        && al.changes.iter().any(|x| &x.id == c && fits(x))
    {
        return Some(c.clone());
    }
    fallback_change(&al.changes, status)
}

/// [`change_of`] for an item without a recorded change.
fn fallback_change(changes: &[Change], status: &LinkStatus) -> Option<String> {
    match status {
        LinkStatus::Automatic => changes
            .iter()
            .rev()
            .find(|c| c.status == ChangeStatus::Automatic)
            .map(|c| c.id.clone()),
        LinkStatus::Verified { who, when } => changes
            .iter()
            .find(|c| c.status == ChangeStatus::Verified && &c.who == who && &c.when == when)
            .map(|c| c.id.clone()),
    }
}

/// Every item of the alignment with its status, by id.
fn statuses(al: &WorkAlignment) -> impl Iterator<Item = (&str, &LinkStatus)> {
    al.edges.iter().flat_map(|e| {
        e.links
            .iter()
            .map(|l| (l.id.as_str(), &l.status))
            .chain(e.unaligned.iter().map(|u| (u.id.as_str(), &u.status)))
    })
}

/// Make every item's change explicit (and forget the items that are gone), so that a change
/// added next does not capture items it did not make.
pub fn pin_changes(al: &mut WorkAlignment) {
    let pinned: BTreeMap<String, String> = statuses(al)
        .filter_map(|(id, st)| Some((id.to_owned(), change_of(al, id, st)?)))
        .collect();
    al.item_changes = pinned;
}

/// Start an operation: pin the existing items' changes, add a `<change>` with a fresh id and
/// return the id. Items the operation makes or changes are then marked with [`mark`].
pub fn new_change(
    al: &mut WorkAlignment,
    status: ChangeStatus,
    who: &str,
    when: &str,
    desc: String,
) -> String {
    pin_changes(al);
    let id = fresh_id(al, "ch");
    al.changes.push(Change {
        id: id.clone(),
        status,
        who: who.to_owned(),
        when: when.to_owned(),
        desc,
    });
    id
}

/// Record that `change` made or changed these items.
pub fn mark<'a>(al: &mut WorkAlignment, change: &str, items: impl IntoIterator<Item = &'a str>) {
    for id in items {
        al.item_changes.insert(id.to_owned(), change.to_owned());
    }
}

/// What an operation did to one edge: the ids added, changed (same id, other targets,
/// confidence, status or kind) and removed, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EdgeDiff {
    /// The relation id.
    pub relation: String,
    /// Items new in the edge.
    pub added: Vec<String>,
    /// Items whose content changed.
    pub changed: Vec<String>,
    /// Items gone from the edge.
    pub removed: Vec<String>,
}

impl EdgeDiff {
    /// True when the edge is as it was.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// An item's content, to compare two versions of it.
fn contents(e: &EdgeAlignment) -> HashMap<&str, String> {
    let links = e.links.iter().map(|l| {
        let key = format!("L {:?} {:?} {} {:?}", l.source, l.derived, l.cert, l.status);
        (l.id.as_str(), key)
    });
    let ptrs = e.unaligned.iter().map(|u| {
        let key = format!(
            "U {:?} {} {} {} {:?}",
            u.kind, u.layer, u.sentence, u.cert, u.status
        );
        (u.id.as_str(), key)
    });
    links.chain(ptrs).collect()
}

/// Compare two versions of the edges, edge by edge (edges of `new` in order; an edge only in
/// `old` counts as all removed). Edges that did not change are left out.
pub fn diff_edges(old: &[EdgeAlignment], new: &[EdgeAlignment]) -> Vec<EdgeDiff> {
    let empty = EdgeAlignment {
        relation: String::new(),
        links: vec![],
        unaligned: vec![],
    };
    let find = |v: &'_ [EdgeAlignment], rel: &str| v.iter().position(|e| e.relation == rel);
    let mut out = Vec::new();
    for n in new {
        let o = find(old, &n.relation).map_or(&empty, |k| &old[k]);
        out.push(diff_edge(o, n));
    }
    for o in old.iter().filter(|o| find(new, &o.relation).is_none()) {
        let mut d = diff_edge(o, &empty);
        d.relation = o.relation.clone();
        out.push(d);
    }
    out.retain(|d| !d.is_empty());
    out
}

fn item_ids(e: &EdgeAlignment) -> impl Iterator<Item = &str> {
    e.links
        .iter()
        .map(|l| l.id.as_str())
        .chain(e.unaligned.iter().map(|u| u.id.as_str()))
}

fn diff_edge(old: &EdgeAlignment, new: &EdgeAlignment) -> EdgeDiff {
    let (before, after) = (contents(old), contents(new));
    let mut d = EdgeDiff {
        relation: new.relation.clone(),
        ..EdgeDiff::default()
    };
    for id in item_ids(new) {
        match before.get(id) {
            None => d.added.push(id.to_owned()),
            Some(b) if after.get(id) != Some(b) => d.changed.push(id.to_owned()),
            Some(_) => {}
        }
    }
    d.removed = item_ids(old)
        .filter(|id| !after.contains_key(id))
        .map(str::to_owned)
        .collect();
    d
}

/// Most ids a change description lists per kind; beyond, it gives the count only.
const LIST_AT_MOST: usize = 12;

/// One sentence per changed edge: `rel.cs-en: 2 added (a.cs-en.17 u.cs-en.3), 1 removed
/// (a.cs-en.9).`
pub fn describe(diffs: &[EdgeDiff]) -> String {
    let part = |what: &str, ids: &[String]| -> Option<String> {
        match ids.len() {
            0 => None,
            n if n <= LIST_AT_MOST => Some(format!("{n} {what} ({})", ids.join(" "))),
            n => Some(format!("{n} {what}")),
        }
    };
    diffs
        .iter()
        .map(|d| {
            let parts: Vec<String> = [
                part("added", &d.added),
                part("changed", &d.changed),
                part("removed", &d.removed),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("{}: {}.", d.relation, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Record an operation that turned `old` into `new`: when an edge changed, add one change
/// (`what` followed by what it did to each edge) and point the items it added or changed at
/// it; items it did not touch keep their change. Returns the change id, or `None` (and adds
/// nothing) when no edge changed.
pub fn record_edges(
    old: &WorkAlignment,
    new: &mut WorkAlignment,
    status: ChangeStatus,
    who: &str,
    when: &str,
    what: &str,
) -> Option<String> {
    let diffs = diff_edges(&old.edges, &new.edges);
    if diffs.is_empty() {
        return None;
    }
    let desc = format!("{what} {}", describe(&diffs));
    Some(record_diffs(old, new, &diffs, (status, who, when), desc))
}

/// Add the change for `diffs` (already computed) with this description.
pub(crate) fn record_diffs(
    old: &WorkAlignment,
    new: &mut WorkAlignment,
    diffs: &[EdgeDiff],
    (status, who, when): (ChangeStatus, &str, &str),
    desc: String,
) -> String {
    // The items that stay keep the change they had in `old`.
    let kept: BTreeMap<String, String> = statuses(old)
        .filter_map(|(id, st)| Some((id.to_owned(), change_of(old, id, st)?)))
        .collect();
    new.item_changes = kept;
    new.changes.clone_from(&old.changes);
    let id = new_change(new, status, who, when, desc);
    let touched: Vec<String> = diffs
        .iter()
        .flat_map(|d| d.added.iter().chain(&d.changed).cloned())
        .collect();
    mark(new, &id, touched.iter().map(String::as_str));
    pin_changes(new);
    id
}
