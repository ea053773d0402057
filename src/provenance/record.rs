//! The record of who changed what: every operation that changes an alignment (an alignment run,
//! an import, a `link`) gets its own `<change>`, and every link and ptr points at the change
//! that made it ([`WorkAlignment::item_changes`]).
//!
//! Why by operation and not by who + when: two operations in the same second by the same
//! person are two changes, and an item untouched by an operation keeps pointing at the change
//! that made it (an import into one edge leaves every other edge as it was). An operation that
//! changes nothing records nothing.

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
        LinkStatus::Verified { who, when, .. } => changes
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
#[cfg(test)] // what a file read back holds: the standoff round-trip test compares with it
pub(crate) fn pin_changes(al: &mut WorkAlignment) {
    let pinned: BTreeMap<String, String> = statuses(al)
        .filter_map(|(id, st)| Some((id.to_owned(), change_of(al, id, st)?)))
        .collect();
    al.item_changes = pinned;
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

/// One item of an edge, to compare two versions of it.
#[derive(PartialEq)]
enum Item<'a> {
    Link(&'a crate::model::Link),
    Ptr(&'a crate::model::Unaligned),
}

/// The items of an edge by id.
fn contents(e: &EdgeAlignment) -> HashMap<&str, Item<'_>> {
    let links = e.links.iter().map(|l| (l.id.as_str(), Item::Link(l)));
    let ptrs = e.unaligned.iter().map(|u| (u.id.as_str(), Item::Ptr(u)));
    links.chain(ptrs).collect()
}

/// Compare two versions of the edges, edge by edge (edges of `new` in order; an edge only in
/// `old` counts as all removed). Edges that did not change are left out.
pub(crate) fn diff_edges(old: &[EdgeAlignment], new: &[EdgeAlignment]) -> Vec<EdgeDiff> {
    let empty = EdgeAlignment {
        relation: String::new(),
        links: vec![],
        unaligned: vec![],
    };
    let find = |v: &'_ [EdgeAlignment], rel: &str| v.iter().position(|e| e.relation == rel);
    let mut out = Vec::new();
    for n in new {
        let o = find(old, &n.relation).map_or(&empty, |k| &old[k]);
        // Most operations change one edge: the others are equal, and cheap to tell so.
        if o != n {
            out.push(diff_edge(o, n));
        }
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
pub(crate) fn record_edges(
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
    let group = ChangeGroup {
        diffs: diffs.to_vec(),
        status,
        who: who.to_owned(),
        when: when.to_owned(),
        desc,
    };
    record_groups(old, new, vec![group]).remove(0)
}

/// One change of an operation: what it did (`diffs`), by whom, when, in words.
struct ChangeGroup {
    diffs: Vec<EdgeDiff>,
    status: ChangeStatus,
    who: String,
    when: String,
    desc: String,
}

/// Record an operation whose items were made by different hands — an import brings beads a
/// person confirmed and beads the tool made —: one change per maker, each item it added or
/// changed pointing at the change of its own maker (a confirmed item at a `verified` change of
/// its editor and date, as `link` records it; an automatic one at an automatic change of the
/// tool). The removals go with the automatic change when there is one. With one maker this is
/// [`record_edges`]. Returns the change ids (none when no edge changed).
pub(crate) fn record_edges_by_maker(
    old: &WorkAlignment,
    new: &mut WorkAlignment,
    tool: &str,
    when: &str,
    what: &str,
) -> Vec<String> {
    let diffs = diff_edges(&old.edges, &new.edges);
    if diffs.is_empty() {
        return Vec::new();
    }
    let status_of: HashMap<&str, &LinkStatus> = statuses(new).collect();
    // The makers in file order of their first item: (who, when) of a person, `None` the tool.
    let mut makers: Vec<Option<(String, String)>> = Vec::new();
    let maker = |id: &str| match status_of.get(id) {
        Some(LinkStatus::Verified { who, when, .. }) => Some((who.clone(), when.clone())),
        _ => None,
    };
    for d in &diffs {
        for id in d.added.iter().chain(&d.changed) {
            let m = maker(id);
            if !makers.contains(&m) {
                makers.push(m);
            }
        }
    }
    if makers.len() <= 1 {
        let (status, who, w) = maker_change(makers.pop().flatten().as_ref(), tool, when);
        let desc = format!("{what} {}", describe(&diffs));
        return vec![record_diffs(old, new, &diffs, (status, &who, &w), desc)];
    }
    // Removals with the automatic change, else with the first.
    let removals_at = makers.iter().position(Option::is_none).unwrap_or(0);
    let groups = makers
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mine = |ids: &[String]| -> Vec<String> {
                ids.iter().filter(|id| maker(id) == *m).cloned().collect()
            };
            let part: Vec<EdgeDiff> = diffs
                .iter()
                .map(|d| EdgeDiff {
                    relation: d.relation.clone(),
                    added: mine(&d.added),
                    changed: mine(&d.changed),
                    removed: if k == removals_at {
                        d.removed.clone()
                    } else {
                        vec![]
                    },
                })
                .filter(|d| !d.is_empty())
                .collect();
            let (status, who, w) = maker_change(m.as_ref(), tool, when);
            let by = if m.is_some() {
                format!("confirmed by {who}")
            } else {
                "automatic".to_owned()
            };
            let what = what.trim_end_matches(':');
            let desc = format!("{what}, {by}: {}", describe(&part));
            ChangeGroup {
                diffs: part,
                status,
                who,
                when: w,
                desc,
            }
        })
        .collect();
    record_groups(old, new, groups)
}

/// The change a maker's items belong to: a person's `verified` change under their name and date,
/// or the tool's `automatic` change now (`None`).
fn maker_change(
    maker: Option<&(String, String)>,
    tool: &str,
    when: &str,
) -> (ChangeStatus, String, String) {
    match maker {
        Some((who, w)) => (ChangeStatus::Verified, who.clone(), w.clone()),
        None => (ChangeStatus::Automatic, tool.to_owned(), when.to_owned()),
    }
}

/// Add one change per group, in order, and point the items each group added or changed at its
/// change (when it fits them: an automatic ptr left over by a link by hand points at the
/// latest automatic change); the others keep the change they had in `old`. Returns the ids.
fn record_groups(
    old: &WorkAlignment,
    new: &mut WorkAlignment,
    groups: Vec<ChangeGroup>,
) -> Vec<String> {
    new.changes.clone_from(&old.changes);
    // The group that touched each item, and each group's change.
    let mut touched: HashMap<String, usize> = HashMap::new();
    let mut made: Vec<Change> = Vec::new();
    for (k, g) in groups.into_iter().enumerate() {
        for d in &g.diffs {
            for id in d.added.iter().chain(&d.changed) {
                touched.entry(id.clone()).or_insert(k);
            }
        }
        let change = Change {
            id: fresh_change_id(new),
            status: g.status,
            who: g.who,
            when: g.when,
            desc: g.desc,
        };
        // Pushed at once, so that the next fresh id is above it.
        new.changes.push(change.clone());
        made.push(change);
    }
    let changes = std::mem::take(&mut new.changes);
    let mut pinned: BTreeMap<String, String> = BTreeMap::new();
    for (item, st) in statuses(new) {
        let c = match touched.get(item).map(|&k| &made[k]) {
            Some(ch) => {
                let fits = match st {
                    LinkStatus::Automatic => ch.status == ChangeStatus::Automatic,
                    LinkStatus::Verified { when: w, .. } => w == &ch.when,
                };
                if fits {
                    Some(ch.id.clone())
                } else {
                    fallback_change(&changes, st)
                }
            }
            None => change_of(old, item, st),
        };
        if let Some(c) = c {
            pinned.insert(item.to_owned(), c);
        }
    }
    new.changes = changes;
    new.item_changes = pinned;
    made.into_iter().map(|c| c.id).collect()
}

/// A fresh change id `ch<n>` above every one used: only changes have such ids (and the history
/// may name them), but any id of the alignment is avoided.
fn fresh_change_id(al: &WorkAlignment) -> String {
    let number = |t: &str| t.strip_prefix("ch").and_then(|n| n.parse::<u64>().ok());
    let named = al.changes.iter().flat_map(|c| {
        std::iter::once(c.id.as_str()).chain(c.desc.split(|ch: char| {
            ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')' | '.' | ':')
        }))
    });
    let mut n = named.filter_map(number).max().unwrap_or(0);
    loop {
        n += 1;
        let id = format!("ch{n}");
        let taken =
            al.edges.iter().any(|e| {
                e.links.iter().any(|l| l.id == id) || e.unaligned.iter().any(|u| u.id == id)
            }) || al.segments.iter().any(|s| s.id == id)
                || al.relations.iter().any(|r| r.id == id);
        if !taken {
            return id;
        }
    }
}
