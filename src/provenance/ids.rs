//! Stable ids: the numbers of automatic ids (`a.cs-en.12`, `u.cs-en.3`, `seg.40`) never go back,
//! so an id that once named a link never names a different one.

use crate::model::{Relation, Segment, WorkAlignment};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The number of an id `<prefix>.<n>`, if it has that form.
pub(super) fn id_number(prefix: &str, id: &str) -> Option<u64> {
    id.strip_prefix(prefix)?.strip_prefix('.')?.parse().ok()
}

/// The highest number among ids `<prefix>.<n>` (0 if none).
pub(super) fn max_number<'a>(prefix: &str, ids: impl IntoIterator<Item = &'a str>) -> u64 {
    ids.into_iter()
        .filter_map(|id| id_number(prefix, id))
        .max()
        .unwrap_or(0)
}

/// The next id `<prefix>.<n>` above the prefix's high-water mark (raising the mark), skipping
/// any id in `used`.
pub(super) fn next_fresh(
    prefix: &str,
    marks: &mut BTreeMap<String, u64>,
    used: &HashSet<String>,
) -> String {
    let m = marks.entry(prefix.to_owned()).or_insert(0);
    loop {
        *m += 1;
        let id = format!("{prefix}.{m}");
        if !used.contains(&id) {
            break id;
        }
    }
}

/// The highest number ever given to an id `<prefix>.<n>` in an alignment (`a.cs-en`, `u.cs-en`,
/// `seg`): the recorded high-water mark, the ids it holds, and the ids its change history names
/// (removed links live on there), whichever is highest; 0 if none.
pub fn high_water(al: &WorkAlignment, prefix: &str) -> u64 {
    let held = al
        .edges
        .iter()
        .flat_map(|e| {
            e.links
                .iter()
                .map(|l| l.id.as_str())
                .chain(e.unaligned.iter().map(|u| u.id.as_str()))
        })
        .chain(al.segments.iter().map(|s| s.id.as_str()));
    let named = al.changes.iter().flat_map(|c| {
        c.desc
            .split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')'))
            .map(|t| t.trim_end_matches(['.', ':']))
    });
    let recorded = al.id_high_water.get(prefix).copied().unwrap_or(0);
    recorded.max(max_number(prefix, held.chain(named)))
}

/// Give segments their ids: a segment with exactly the members of an old one keeps its id;
/// the others get numbers above `mark` (which is raised), in document order.
pub(super) fn keep_segment_ids(segments: &mut [Segment], old: &[Segment], mark: &mut u64) {
    // Members compared without the layers that have no sentence in the segment: a file read
    // back lists every layer, a composed segment every layer of the work.
    let key = |s: &Segment| -> Vec<(String, Vec<String>)> {
        s.members
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let old_ids: HashMap<Vec<(String, Vec<String>)>, &str> =
        old.iter().map(|s| (key(s), s.id.as_str())).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut fresh: Vec<usize> = Vec::new();
    for (i, s) in segments.iter_mut().enumerate() {
        match old_ids.get(&key(s)) {
            Some(id) if !used.contains(*id) => {
                s.id = (*id).to_owned();
                used.insert(s.id.clone());
            }
            _ => fresh.push(i),
        }
    }
    let mut marks = BTreeMap::from([("seg".to_owned(), *mark)]);
    for i in fresh {
        segments[i].id = next_fresh("seg", &mut marks, &used);
    }
    *mark = marks.get("seg").copied().unwrap_or(*mark);
}

/// All `xml:id`s used in the alignment (links, ptrs, segments, changes, relations).
fn used_ids(al: &WorkAlignment) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    for r in &al.relations {
        s.insert(r.id.clone());
    }
    for e in &al.edges {
        s.extend(e.links.iter().map(|l| l.id.clone()));
        s.extend(e.unaligned.iter().map(|u| u.id.clone()));
    }
    s.extend(al.segments.iter().map(|g| g.id.clone()));
    s.extend(al.changes.iter().map(|c| c.id.clone()));
    // The recorded high-water marks (`a.cs-en.57`) count as used, so fresh ids go above them.
    s.extend(al.id_high_water.iter().map(|(p, n)| format!("{p}.{n}")));
    // Removed links and ptrs live on only in the change descriptions: their ids count as used
    // so they are never given to something else.
    for c in &al.changes {
        s.extend(
            c.desc
                .split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')'))
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    s
}

/// A fresh id `prefix<n>` with `n` above every number already used with that prefix, so that
/// the ids of removed links are never reused.
pub fn fresh_id(al: &WorkAlignment, prefix: &str) -> String {
    fresh_id_avoiding(al, &BTreeSet::new(), prefix)
}

/// Like [`fresh_id`], also avoiding the ids in `extra` (ids about to be written).
pub fn fresh_id_avoiding(al: &WorkAlignment, extra: &BTreeSet<String>, prefix: &str) -> String {
    let mut used = used_ids(al);
    used.extend(extra.iter().cloned());
    let max = used
        .iter()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = max + 1;
    loop {
        let id = format!("{prefix}{n}");
        if !used.contains(&id) {
            return id;
        }
        n += 1;
    }
}

/// Hands out fresh ids `prefix<n>` in bulk: never an id used in the alignment (nor one named
/// in its change history), nor one handed out or reserved before. Linear in the number of ids,
/// where calling [`fresh_id`] repeatedly would be quadratic.
#[derive(Debug, Clone)]
pub struct IdAlloc {
    used: BTreeSet<String>,
    next: HashMap<String, u64>,
}

impl IdAlloc {
    /// Start from everything the alignment uses.
    pub fn new(al: &WorkAlignment) -> Self {
        IdAlloc {
            used: used_ids(al),
            next: HashMap::new(),
        }
    }

    /// Mark an id as taken.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_owned());
    }

    /// A fresh id with this prefix.
    pub fn fresh(&mut self, prefix: &str) -> String {
        let used = &self.used;
        let mut n = *self.next.entry(prefix.to_owned()).or_insert_with(|| {
            used.iter()
                .filter_map(|id| id.strip_prefix(prefix))
                .filter_map(|n| n.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                + 1
        });
        loop {
            let id = format!("{prefix}{n}");
            n += 1;
            if !self.used.contains(&id) {
                self.next.insert(prefix.to_owned(), n);
                self.used.insert(id.clone());
                return id;
            }
        }
    }
}

/// The id prefix of the links of an edge: `a.cs-en.`.
pub fn link_prefix(rel: &Relation) -> String {
    format!("a.{}-{}.", rel.source, rel.derived)
}

/// The id prefix of the unaligned ptrs of an edge: `u.cs-en.`.
pub fn ptr_prefix(rel: &Relation) -> String {
    format!("u.{}-{}.", rel.source, rel.derived)
}
