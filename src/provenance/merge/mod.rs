//! Three-way merge of two versions of a work's alignment, as git's merge driver
//! (`tei-align merge-alignment %O %A %B %P`) asks for it: two editors confirmed links in two
//! clones, and a textual merge of their files either conflicts (both numbered their new changes
//! `ch9`, both added their `respStmt` at the same place) or, resolved by taking one side,
//! silently drops the other editor's work.
//!
//! The rule, item by item (a link or ptr, compared by its content: targets, status, editor,
//! date, certainty — not by its id, which both sides may have given to different beads):
//!
//! - an item both versions hold, or one version added (not in the base), is kept; an item of the
//!   base that one version dropped or changed is gone (the change wins);
//! - where an item of theirs overlaps or crosses an item of ours (both touched the same
//!   sentences): a confirmation beats an automatic link (a re-alignment holds confirmed links,
//!   so it would keep it too); the same link confirmed by both is one link (ours kept); two
//!   different confirmations are a **conflict** — ours is kept, theirs recorded in a
//!   `<change status="conflict">` that `check` and `status` report until a person decides
//!   ([`open_conflicts`]); two automatic links: the newer alignment run's (by the date of its
//!   change; ours on a tie). Why not re-align: a merge driver does not know the options the
//!   runs used (the e5 model, a dictionary) and must be quick and reproducible; `tei-align
//!   align` afterwards holds every confirmation and re-aligns the rest;
//! - the edge is made with the one edge core (`build_edge`, crate-internal): kept items held exactly (every
//!   field the model holds, whatever it is), sentences left without counterpart made automatic
//!   ptrs with certainty 0 (to review);
//! - ids stay: ours keep theirs; an item of theirs keeps its id unless ours uses (or once used)
//!   that id for another bead, when it gets a fresh one. A change of theirs keeps its id unless
//!   ours uses it (both numbered `ch9`): then it is renumbered above both histories, and the
//!   items and descriptions of theirs point at the new id. Every confirmation keeps its editor,
//!   date and change. A `<change>` of the tool records what the merge itself did (ids renamed,
//!   ptrs made), when it did anything.

use super::ids::{IdAlloc, link_prefix, ptr_prefix};
use super::record::change_of;
use super::{EdgeEdit, build_edge};
use crate::model::{
    Change, ChangeStatus, EdgeAlignment, Layer, Link, LinkStatus, Relation, Unaligned, Work,
    WorkAlignment,
};
mod changes;

use changes::{change_numbers, rename_tokens, their_changes};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The `@status` of the change that records a conflict of a merge.
pub const CONFLICT_STATUS: &str = "conflict";

/// Errors of a merge: the versions name what the work's layers do not have.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// An edge of the merged alignment joins layers the work does not have.
    #[error(
        "the alignment has edge {0}, but the work has no such layers here (merge or check out the layers first)"
    )]
    MissingLayer(String),
    /// An item names a sentence the work's layers do not have.
    #[error(
        "{side} version's {item} names sentence {sentence}, which the layers here do not have (the layers differ between the versions: merge them first, then the alignment)"
    )]
    UnknownSentence {
        /// `our` or `their`.
        side: &'static str,
        /// The item's id.
        item: String,
        /// The sentence id.
        sentence: String,
    },
}

/// What a merge made.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    /// The merged alignment (segments recomposed).
    pub alignment: WorkAlignment,
    /// The conflicts, in words (empty for a clean merge).
    pub conflicts: Vec<String>,
    /// How many items of theirs were taken (not also in ours).
    pub from_theirs: usize,
    /// Changes of theirs renumbered: (their id, new id).
    pub renamed_changes: Vec<(String, String)>,
    /// Items of theirs given a new id: (their id, new id).
    pub renamed_items: Vec<(String, String)>,
    /// Items of ours given a new id because theirs made the same id for another item (both
    /// new since the base): (our id, new id). The id is retired, so that an id cited in either
    /// clone before the merge never names the other clone's item after it.
    pub renamed_ours: Vec<(String, String)>,
    /// Sentences left without counterpart, made automatic ptrs with certainty 0.
    pub uncovered: Vec<String>,
}

/// Which version an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Theirs,
}

/// A link or a ptr of an edge.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Link(Link),
    Ptr(Unaligned),
}

impl Item {
    fn id(&self) -> &str {
        match self {
            Item::Link(l) => &l.id,
            Item::Ptr(u) => &u.id,
        }
    }

    fn set_id(&mut self, id: String) {
        match self {
            Item::Link(l) => l.id = id,
            Item::Ptr(u) => u.id = id,
        }
    }

    fn status(&self) -> &LinkStatus {
        match self {
            Item::Link(l) => &l.status,
            Item::Ptr(u) => &u.status,
        }
    }

    fn confirmed(&self) -> bool {
        matches!(self.status(), LinkStatus::Verified { .. })
    }

    /// The item without its id: what two versions compare.
    fn content(&self) -> Item {
        let mut c = self.clone();
        c.set_id(String::new());
        c
    }

    /// Its targets as one string, to find the items of the other versions with the same ones.
    fn key(&self) -> String {
        match self {
            Item::Link(l) => format!("{}|{}", l.source.join(" "), l.derived.join(" ")),
            Item::Ptr(u) => format!("{}#{}", u.layer, u.sentence),
        }
    }

    /// The same decision of a person: the same targets (and, for a link, the same `partial`).
    fn same_decision(&self, other: &Item) -> bool {
        match (self, other) {
            (Item::Link(a), Item::Link(b)) => {
                a.source == b.source && a.derived == b.derived && a.partial == b.partial
            }
            (Item::Ptr(a), Item::Ptr(b)) => a.layer == b.layer && a.sentence == b.sentence,
            _ => false,
        }
    }

    /// In words, for the record of a conflict.
    fn describe(&self) -> String {
        let by = match self.status() {
            LinkStatus::Verified { who, when, .. } => format!("confirmed by {who} on {when}"),
            LinkStatus::Automatic => "automatic".to_owned(),
        };
        match self {
            Item::Link(l) => format!(
                "{} ↔ {}{}, {by}",
                l.source.join(" "),
                l.derived.join(" "),
                if l.partial { " (partial)" } else { "" }
            ),
            Item::Ptr(u) => format!("{} without counterpart, {by}", u.sentence),
        }
    }
}

/// The items of an edge.
fn items(e: Option<&EdgeAlignment>) -> Vec<Item> {
    let Some(e) = e else { return Vec::new() };
    let links = e.links.iter().cloned().map(Item::Link);
    links
        .chain(e.unaligned.iter().cloned().map(Item::Ptr))
        .collect()
}

/// The contents of a version's items by their targets: is an item (by content) in it?
struct Contents(HashMap<String, Vec<Item>>);

impl Contents {
    fn new(items: &[Item]) -> Self {
        let mut m: HashMap<String, Vec<Item>> = HashMap::new();
        for i in items {
            m.entry(i.key()).or_default().push(i.content());
        }
        Contents(m)
    }

    fn has(&self, i: &Item) -> bool {
        let c = i.content();
        self.0.get(&i.key()).is_some_and(|v| v.contains(&c))
    }
}

/// Sentence positions of an edge's two layers.
struct Places<'a> {
    rel: &'a Relation,
    src: HashMap<&'a str, usize>,
    der: HashMap<&'a str, usize>,
}

/// An item's span on each side (`None`: no sentence there).
type Spans = (Option<(usize, usize)>, Option<(usize, usize)>);

impl<'a> Places<'a> {
    fn new(rel: &'a Relation, source: &'a Layer, derived: &'a Layer) -> Self {
        let index = |l: &'a Layer| -> HashMap<&'a str, usize> {
            let ids = l.sentences.iter().map(|s| s.id.as_str());
            ids.enumerate().map(|(i, s)| (s, i)).collect()
        };
        Places {
            rel,
            src: index(source),
            der: index(derived),
        }
    }

    /// The spans of an item, or the first sentence it names that the layers do not have.
    fn spans<'i>(&self, item: &'i Item) -> Result<Spans, &'i str> {
        let span = |map: &HashMap<&str, usize>, ids: &'i [String]| -> Result<_, &'i str> {
            let mut r: Option<(usize, usize)> = None;
            for id in ids {
                let p = *map.get(id.as_str()).ok_or(id.as_str())?;
                r = Some(r.map_or((p, p), |(lo, hi)| (lo.min(p), hi.max(p))));
            }
            Ok(r)
        };
        match item {
            Item::Link(l) => Ok((span(&self.src, &l.source)?, span(&self.der, &l.derived)?)),
            Item::Ptr(u) if u.layer == self.rel.source => {
                Ok((span(&self.src, std::slice::from_ref(&u.sentence))?, None))
            }
            Item::Ptr(u) => Ok((None, span(&self.der, std::slice::from_ref(&u.sentence))?)),
        }
    }
}

/// Two items cannot both stand: they share a sentence, or (two links) they cross.
fn clash(a: Spans, b: Spans) -> bool {
    let meets = |x: Option<(usize, usize)>, y: Option<(usize, usize)>| match (x, y) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        _ => false,
    };
    if meets(a.0, b.0) || meets(a.1, b.1) {
        return true;
    }
    match (a, b) {
        ((Some(s), Some(d)), (Some(t), Some(e))) => (s.1 < t.0) != (d.1 < e.0),
        _ => false,
    }
}

/// One version's item on its way into the merged edge.
struct Kept {
    item: Item,
    side: Side,
    spans: Spans,
    /// The id it had in its version.
    was: String,
}

/// The merge of one edge before ids and the edge core: the items kept, the conflicts.
struct EdgeMerge {
    kept: Vec<Kept>,
    conflicts: Vec<Conflict>,
}

/// The versions of one edge.
struct Versions<'a> {
    base: Option<&'a EdgeAlignment>,
    ours: Option<&'a EdgeAlignment>,
    theirs: Option<&'a EdgeAlignment>,
}

/// The latest date of the changes of a version's new automatic items (its alignment run).
fn run_date(al: &WorkAlignment, new_auto: &[&Item]) -> String {
    let when: HashMap<&str, &str> = al
        .changes
        .iter()
        .map(|c| (c.id.as_str(), c.when.as_str()))
        .collect();
    new_auto
        .iter()
        .filter_map(|i| change_of(al, i.id(), i.status()))
        .filter_map(|c| when.get(c.as_str()).map(|w| (*w).to_owned()))
        .max()
        .unwrap_or_default()
}

/// Merge the items of one edge (see the module's rule).
fn merge_edge(
    places: &Places<'_>,
    v: &Versions<'_>,
    (ours_al, theirs_al): (&WorkAlignment, &WorkAlignment),
) -> Result<EdgeMerge, MergeError> {
    let (b, o, t) = (items(v.base), items(v.ours), items(v.theirs));
    let (cb, co, ct) = (Contents::new(&b), Contents::new(&o), Contents::new(&t));
    let spans = |i: &Item, side: &'static str| {
        places.spans(i).map_err(|s| MergeError::UnknownSentence {
            side,
            item: i.id().to_owned(),
            sentence: s.to_owned(),
        })
    };
    let mut kept: Vec<Kept> = Vec::new();
    for i in o.into_iter().filter(|i| ct.has(i) || !cb.has(i)) {
        kept.push(Kept {
            spans: spans(&i, "our")?,
            was: i.id().to_owned(),
            item: i,
            side: Side::Ours,
        });
    }
    let theirs_new: Vec<Item> = t.into_iter().filter(|i| !co.has(i) && !cb.has(i)).collect();
    let new_auto = |al: &WorkAlignment, v: &[Item], c: &Contents| {
        let auto: Vec<&Item> = v.iter().filter(|i| !i.confirmed() && !c.has(i)).collect();
        run_date(al, &auto)
    };
    let ours_items: Vec<Item> = kept.iter().map(|k| k.item.clone()).collect();
    let theirs_newer = new_auto(theirs_al, &theirs_new, &cb) > new_auto(ours_al, &ours_items, &cb);
    let mut dropped = vec![false; kept.len()];
    let mut out = EdgeMerge {
        kept: Vec::new(),
        conflicts: Vec::new(),
    };
    let ours_n = kept.len();
    for item in theirs_new {
        let sp = spans(&item, "their")?;
        let others: Vec<usize> = (0..ours_n)
            .filter(|&k| !dropped[k] && clash(kept[k].spans, sp))
            .collect();
        let take = decide(&kept, &others, &item, theirs_newer, &mut out.conflicts);
        if take {
            others.iter().for_each(|&k| dropped[k] = true);
            kept.push(Kept {
                was: item.id().to_owned(),
                item,
                side: Side::Theirs,
                spans: sp,
            });
            dropped.push(false);
        }
    }
    out.kept = kept
        .into_iter()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|(k, _)| k)
        .collect();
    Ok(out)
}

/// Whether an item of theirs replaces the items of ours it clashes with (`others`); a conflict
/// is recorded in `conflicts` (and ours kept).
fn decide(
    kept: &[Kept],
    others: &[usize],
    item: &Item,
    theirs_newer: bool,
    conflicts: &mut Vec<Conflict>,
) -> bool {
    if others.is_empty() {
        return true;
    }
    let confirmed: Vec<&Kept> = others
        .iter()
        .map(|&k| &kept[k])
        .filter(|k| k.item.confirmed())
        .collect();
    if !item.confirmed() {
        // A confirmation stays; between two runs the newer one's links.
        return confirmed.is_empty() && theirs_newer;
    }
    if confirmed.is_empty() {
        return true;
    }
    if others.len() == 1 && confirmed[0].item.same_decision(item) {
        // Both confirmed the same link: one link, ours.
        return false;
    }
    let ours: Vec<String> = confirmed
        .iter()
        .map(|k| format!("kept {} ({})", k.item.id(), k.item.describe()))
        .collect();
    let ours = format!("{} of ours", ours.join(", "));
    let theirs = format!("their {} ({})", item.id(), item.describe());
    // Theirs' items against the same of ours (an unlink's two ptrs) are one conflict.
    match conflicts.last_mut() {
        Some(c) if c.ours == ours => c.theirs.push(theirs),
        _ => conflicts.push(Conflict {
            ours,
            theirs: vec![theirs],
        }),
    }
    false
}

/// A conflict of one edge: what ours kept, and the items of theirs not taken.
struct Conflict {
    ours: String,
    theirs: Vec<String>,
}

/// Merge `theirs` into `ours`, both made from `base` (`None`: no common version, as for a file
/// both added), against the work's layers. `when` dates the merge's own change.
pub fn merge_alignments(
    work: &Work,
    base: Option<&WorkAlignment>,
    ours: &WorkAlignment,
    theirs: &WorkAlignment,
    when: &str,
) -> Result<MergeOutcome, MergeError> {
    let mut r = ours.clone();
    union_header(&mut r, base, theirs);
    let (changes, known) = their_changes(base, ours, theirs);
    let change_map: HashMap<String, String> = changes
        .iter()
        .map(|(c, id)| (c.id.clone(), id.clone()))
        .chain(known)
        .collect();
    let mut merged = Vec::new();
    let mut conflicts = Vec::new();
    for rel in &r.relations {
        let (Some(source), Some(derived)) = (work.layer(&rel.source), work.layer(&rel.derived))
        else {
            return Err(MergeError::MissingLayer(rel.id.clone()));
        };
        fn edge<'e>(al: Option<&'e WorkAlignment>, rel: &str) -> Option<&'e EdgeAlignment> {
            al.and_then(|a| a.edges.iter().find(|e| e.relation == rel))
        }
        let v = Versions {
            base: edge(base, &rel.id),
            ours: edge(Some(ours), &rel.id),
            theirs: edge(Some(theirs), &rel.id),
        };
        let places = Places::new(rel, source, derived);
        let m = merge_edge(&places, &v, (ours, theirs))?;
        conflicts.extend(m.conflicts.iter().map(|c| {
            format!(
                "on {}: {}; not taken: {}",
                rel.id,
                c.ours,
                c.theirs.join(", ")
            )
        }));
        merged.push((rel.clone(), m));
    }
    let mut ids = id_alloc(&r, theirs);
    let Built {
        edges,
        renamed: renamed_items,
        renamed_ours,
        uncovered,
        origin,
    } = build_edges(work, (base, ours), &mut merged, &mut ids)?;
    let from_theirs = origin.values().filter(|o| o.0 == Side::Theirs).count();
    r.edges = edges;
    let mut item_map: HashMap<String, String> = renamed_items.iter().cloned().collect();
    item_map.extend(change_map.iter().map(|(a, b)| (a.clone(), b.clone())));
    for (c, id) in &changes {
        r.changes.push(Change {
            id: id.clone(),
            desc: rename_tokens(&c.desc, &item_map),
            ..c.clone()
        });
    }
    let renamed_changes: Vec<(String, String)> = changes
        .into_iter()
        .filter(|(c, id)| &c.id != id)
        .map(|(c, id)| (c.id, id))
        .collect();
    r.item_changes = item_changes(&r, (ours, theirs), &origin, &change_map);
    let record = Record {
        renamed_changes: &renamed_changes,
        renamed_items: &renamed_items,
        renamed_ours: &renamed_ours,
        uncovered: &uncovered,
        conflicts: &conflicts,
    };
    record.add(&mut r, when);
    // Their segments keep their ids when ours never gave them (recompose keeps the ids of
    // segments whose members are unchanged).
    let theirs_own = |id: &str| !ours_segment(ours, id) && !below_mark(ours, id);
    r.segments.extend(
        theirs
            .segments
            .iter()
            .filter(|s| theirs_own(&s.id))
            .cloned(),
    );
    super::recompose(work, &mut r);
    Ok(MergeOutcome {
        alignment: r,
        conflicts,
        from_theirs,
        renamed_changes,
        renamed_items,
        renamed_ours,
        uncovered,
    })
}

fn ours_segment(ours: &WorkAlignment, id: &str) -> bool {
    ours.segments.iter().any(|s| s.id == id)
}

/// The header of the merge: ours, with the people, layers and edges theirs added, and the
/// higher id marks of the two.
fn union_header(r: &mut WorkAlignment, base: Option<&WorkAlignment>, theirs: &WorkAlignment) {
    for a in &theirs.agents {
        if !r.agents.iter().any(|x| x.id == a.id) {
            r.agents.push(a.clone());
        }
    }
    for (k, v) in &theirs.layer_files {
        r.layer_files.entry(k.clone()).or_insert_with(|| v.clone());
    }
    // An edge theirs added (not in the base: one ours dropped stays dropped).
    let in_base = |id: &str| base.is_some_and(|b| b.relations.iter().any(|x| x.id == id));
    for rel in &theirs.relations {
        if !r.relations.iter().any(|x| x.id == rel.id) && !in_base(&rel.id) {
            r.relations.push(rel.clone());
        }
    }
    for (k, &n) in &theirs.id_high_water {
        let m = r.id_high_water.entry(k.clone()).or_insert(0);
        *m = (*m).max(n);
    }
}

/// An allocator that knows every id either version uses or once used.
fn id_alloc(r: &WorkAlignment, theirs: &WorkAlignment) -> IdAlloc {
    let mut both = WorkAlignment {
        segments: Vec::new(),
        item_changes: BTreeMap::new(),
        ..r.clone()
    };
    both.edges.extend(theirs.edges.iter().cloned());
    both.changes.extend(theirs.changes.iter().cloned());
    IdAlloc::new(&both)
}

/// True when `id` is `<prefix>.<n>` with `n` at or below the alignment's recorded mark for the
/// prefix: an id it gave once, to some bead.
fn below_mark(al: &WorkAlignment, id: &str) -> bool {
    al.id_high_water.iter().any(|(p, &m)| {
        id.strip_prefix(p.as_str())
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n <= m)
    })
}

/// Each item's version and its id there, by its id in the merge.
type Origin = HashMap<String, (Side, String)>;

/// The merged edges and what making them did.
struct Built {
    edges: Vec<EdgeAlignment>,
    /// Items of theirs given a new id: (their id, new id).
    renamed: Vec<(String, String)>,
    /// Items of ours given a new id (an id both versions made for different items).
    renamed_ours: Vec<(String, String)>,
    /// Sentences left without counterpart (made automatic ptrs).
    uncovered: Vec<String>,
    origin: Origin,
}

/// The merged edges, made by the edge core from the kept items; also the items of theirs
/// renamed, the sentences left uncovered and where every item comes from.
fn build_edges(
    work: &Work,
    (base, ours): (Option<&WorkAlignment>, &WorkAlignment),
    merged: &mut [(Relation, EdgeMerge)],
    ids: &mut IdAlloc,
) -> Result<Built, MergeError> {
    // The targets of the items that hold an id in ours or in the base.
    let mut ours_targets: HashMap<String, String> = HashMap::new();
    for e in base.iter().flat_map(|b| &b.edges).chain(&ours.edges) {
        for i in items(Some(e)) {
            ours_targets.insert(i.id().to_owned(), i.key());
        }
    }
    let ours_used = IdAlloc::new(ours);
    let in_base: HashSet<String> = base
        .iter()
        .flat_map(|b| &b.edges)
        .flat_map(|e| items(Some(e)))
        .map(|i| i.id().to_owned())
        .collect();
    let mut edges = Vec::new();
    let (mut renamed, mut renamed_ours) = (Vec::new(), Vec::new());
    let mut uncovered = Vec::new();
    let mut origin = Origin::new();
    for (rel, m) in merged.iter_mut() {
        for k in renumber(m, ours, (&ours_targets, &ours_used), &in_base) {
            let k = &mut m.kept[k];
            let prefix = match k.item {
                Item::Link(_) => link_prefix(rel),
                Item::Ptr(_) => ptr_prefix(rel),
            };
            let id = ids.fresh(&prefix);
            match k.side {
                Side::Theirs => renamed.push((k.was.clone(), id.clone())),
                Side::Ours => renamed_ours.push((k.was.clone(), id.clone())),
            }
            k.item.set_id(id);
        }
        for k in &m.kept {
            origin.insert(k.item.id().to_owned(), (k.side, k.was.clone()));
        }
        let (mut links, mut ptrs) = (Vec::new(), Vec::new());
        for k in std::mem::take(&mut m.kept) {
            match k.item {
                Item::Link(l) => links.push(l),
                Item::Ptr(u) => ptrs.push(u),
            }
        }
        let (Some(source), Some(derived)) = (work.layer(&rel.source), work.layer(&rel.derived))
        else {
            return Err(MergeError::MissingLayer(rel.id.clone()));
        };
        let edit = EdgeEdit {
            relation: rel,
            source,
            derived,
            old: ours.edges.iter().find(|e| e.relation == rel.id),
            held_links: links,
            held_ptrs: ptrs,
            restate: HashMap::new(),
            beads: Vec::new(),
            fill: true,
        };
        let built = build_edge(edit, ids);
        uncovered.extend(built.uncovered);
        edges.push(built.edge);
    }
    Ok(Built {
        edges,
        renamed,
        renamed_ours,
        uncovered,
        origin,
    })
}

/// The kept items of an edge that need a new id, in the order they get one: an item of theirs
/// whose id ours holds, held or names for another item; and when ours holds that id for an item
/// new since the base (both versions made the same id for different items), ours' item too, so
/// that the id names neither: an id cited in one clone before the merge then never names the
/// other clone's item. Both sides' are numbered in the order of their targets, so the two
/// clones' merges of the same versions give the same ids.
fn renumber(
    m: &EdgeMerge,
    ours: &WorkAlignment,
    (ours_targets, ours_used): (&HashMap<String, String>, &IdAlloc),
    in_base: &HashSet<String>,
) -> Vec<usize> {
    let held: HashMap<&str, usize> = m
        .kept
        .iter()
        .enumerate()
        .filter(|(_, k)| k.side == Side::Ours)
        .map(|(i, k)| (k.was.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut both = Vec::new();
    for (i, k) in m
        .kept
        .iter()
        .enumerate()
        .filter(|(_, k)| k.side == Side::Theirs)
    {
        let same = ours_targets.get(&k.was) == Some(&k.item.key());
        let unused = ours_used.never_used(&k.was) && !below_mark(ours, &k.was);
        let ours_item = held.get(k.was.as_str()).copied();
        if ours_item.is_none() && (same || unused) {
            continue;
        }
        match ours_item {
            Some(j)
                if !in_base.contains(k.was.as_str()) && m.kept[j].item.key() != k.item.key() =>
            {
                both.extend([i, j]);
            }
            _ => out.push(i),
        }
    }
    both.sort_by_key(|&i| (m.kept[i].item.key(), m.kept[i].side == Side::Theirs));
    out.extend(both);
    out
}

/// The change of every item that comes from a version: the one it had there (a change of
/// theirs under its id here).
fn item_changes(
    r: &WorkAlignment,
    (ours, theirs): (&WorkAlignment, &WorkAlignment),
    origin: &Origin,
    change_map: &HashMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in &r.edges {
        for i in items(Some(e)) {
            let c = match origin.get(i.id()) {
                Some((Side::Ours, was)) => change_of(ours, was, i.status()),
                Some((Side::Theirs, was)) => change_of(theirs, was, i.status())
                    .map(|c| change_map.get(&c).cloned().unwrap_or(c)),
                None => None,
            };
            if let Some(c) = c {
                out.insert(i.id().to_owned(), c);
            }
        }
    }
    out
}

/// What the merge itself did, for its own record.
struct Record<'a> {
    renamed_changes: &'a [(String, String)],
    renamed_items: &'a [(String, String)],
    renamed_ours: &'a [(String, String)],
    uncovered: &'a [String],
    conflicts: &'a [String],
}

impl Record<'_> {
    /// Add the tool's change for what the merge did (when it did anything: renamed ids, made
    /// ptrs), pointing the ptrs it made at it, and a `conflict` change for the conflicts.
    fn add(&self, r: &mut WorkAlignment, when: &str) {
        let tool = super::tool_agent();
        let mut next = change_numbers(r).max().unwrap_or(0);
        let mut fresh = || {
            next += 1;
            format!("ch{next}")
        };
        let pairs = |v: &[(String, String)]| {
            let v: Vec<String> = v.iter().map(|(a, b)| format!("{a} → {b}")).collect();
            v.join(", ")
        };
        let mut said = Vec::new();
        if !self.renamed_changes.is_empty() {
            said.push(format!(
                "their changes renumbered {}",
                pairs(self.renamed_changes)
            ));
        }
        let (both, theirs_only): (Vec<_>, Vec<_>) = self
            .renamed_items
            .iter()
            .cloned()
            .partition(|(a, _)| self.renamed_ours.iter().any(|(o, _)| o == a));
        if !self.renamed_ours.is_empty() {
            said.push(format!(
                "ids both versions made for different items renumbered in both, so that neither \
                 names the other's: ours {}; theirs {}",
                pairs(self.renamed_ours),
                pairs(&both)
            ));
        }
        if !theirs_only.is_empty() {
            said.push(format!("their ids renumbered {}", pairs(&theirs_only)));
        }
        if !self.uncovered.is_empty() {
            said.push(format!(
                "left without counterpart (to review) {}",
                self.uncovered.join(" ")
            ));
        }
        let needs_tool = !said.is_empty() || !self.conflicts.is_empty();
        if needs_tool && !r.agents.iter().any(|a| a.id == tool.id) {
            r.agents.push(tool.clone());
        }
        if !said.is_empty() {
            let id = fresh();
            r.changes.push(Change {
                id: id.clone(),
                status: ChangeStatus::Automatic,
                who: tool.id.clone(),
                when: when.to_owned(),
                desc: format!(
                    "merged two versions of the alignment: {}.{}",
                    said.join("; "),
                    self.retired()
                ),
            });
            let made: Vec<String> = r
                .edges
                .iter()
                .flat_map(|e| &e.unaligned)
                .filter(|u| !r.item_changes.contains_key(&u.id))
                .map(|u| u.id.clone())
                .collect();
            for u in made {
                r.item_changes.insert(u, id.clone());
            }
        }
        if !self.conflicts.is_empty() {
            r.changes.push(Change {
                id: fresh(),
                status: ChangeStatus::Other(CONFLICT_STATUS.to_owned()),
                who: tool.id,
                when: when.to_owned(),
                desc: format!(
                    "merge conflict, two editors decided differently: {}. Confirm what is right \
                     with tei-align link (or unlink), then git add the file.",
                    self.conflicts.join("; ")
                ),
            });
        }
    }
}

impl Record<'_> {
    /// The ids the merge renumbered in both versions, which name nothing now: said as every
    /// change that retires ids says it (`trace` finds them there).
    fn retired(&self) -> String {
        let mut ids: Vec<&str> = self.renamed_ours.iter().map(|(a, _)| a.as_str()).collect();
        ids.dedup();
        if ids.is_empty() {
            String::new()
        } else {
            format!(" Ids retired (never reused): {}.", ids.join(" "))
        }
    }
}

/// A conflict of a merge that no person has decided yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenConflict {
    /// The `conflict` change that records it.
    pub change: String,
    /// The items of ours the merge kept and no later change touched.
    pub items: Vec<String>,
    /// The record, in words.
    pub desc: String,
}

/// The conflicts recorded by merges ([`CONFLICT_STATUS`] changes) that are still open: an item
/// the merge kept still points at a change made before the conflict. Confirming it again
/// (`link`), replacing or removing it closes the conflict.
pub fn open_conflicts(al: &WorkAlignment) -> Vec<OpenConflict> {
    let at: HashMap<&str, usize> = al
        .changes
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id.as_str(), k))
        .collect();
    let status: HashMap<&str, &LinkStatus> = al
        .edges
        .iter()
        .flat_map(|e| {
            let links = e.links.iter().map(|l| (l.id.as_str(), &l.status));
            links.chain(e.unaligned.iter().map(|u| (u.id.as_str(), &u.status)))
        })
        .collect();
    let mut out = Vec::new();
    for (k, c) in al.changes.iter().enumerate() {
        if c.status.as_str() != CONFLICT_STATUS {
            continue;
        }
        let words: Vec<&str> = c.desc.split_whitespace().collect();
        let kept = words
            .windows(2)
            .filter(|w| w[0] == "kept")
            .map(|w| w[1].trim_end_matches([',', ';', '.']));
        let open: Vec<String> = kept
            .filter(|id| {
                status.get(id).is_some_and(|st| {
                    change_of(al, id, st)
                        .and_then(|ch| at.get(ch.as_str()).copied())
                        .is_none_or(|j| j < k)
                })
            })
            .map(str::to_owned)
            .collect();
        if !open.is_empty() {
            out.push(OpenConflict {
                change: c.id.clone(),
                items: open,
                desc: c.desc.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
