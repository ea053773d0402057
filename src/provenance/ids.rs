//! Stable ids: the numbers of automatic ids (`a.cs-en.12`, `u.cs-en.3`, `seg.40`, `ch7`) never go
//! back, so an id that once named a link never names a different one. One allocator,
//! [`IdAlloc`], hands them out for every operation (an alignment run, an import, a `link`).

use crate::model::{Relation, Segment, WorkAlignment};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The number of an id `<prefix><n>` (`prefix` with its separator, `a.cs-en.`), if it has
/// that form.
pub(crate) fn number_after(prefix: &str, id: &str) -> Option<u64> {
    id.strip_prefix(prefix)?.parse().ok()
}

/// The key under which a prefix's high-water mark is recorded: the prefix without its
/// separator (`a.cs-en.` → `a.cs-en`).
fn mark_key(prefix: &str) -> &str {
    prefix.strip_suffix('.').unwrap_or(prefix)
}

/// The ids a change description names (`removed a.cs-en.9 (cs.s2 ↔ en.s2).`): removed links
/// and ptrs live on only there, so they count as used.
fn named_in(desc: &str) -> impl Iterator<Item = &str> {
    desc.split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')'))
        .map(|t| t.trim_end_matches(['.', ':']))
        .filter(|t| !t.is_empty())
}

/// Every `xml:id` the alignment uses: links, ptrs, segments, changes, relations.
fn live_ids(al: &WorkAlignment) -> HashSet<String> {
    let mut s = HashSet::new();
    s.extend(al.relations.iter().map(|r| r.id.clone()));
    for e in &al.edges {
        s.extend(e.links.iter().map(|l| l.id.clone()));
        s.extend(e.unaligned.iter().map(|u| u.id.clone()));
    }
    s.extend(al.segments.iter().map(|g| g.id.clone()));
    s.extend(al.changes.iter().map(|c| c.id.clone()));
    s
}

/// Every `xml:id` the alignment uses or once used: [`live_ids`], the ids its history names and
/// the recorded high-water marks (`a.cs-en.57`).
fn used_ids(al: &WorkAlignment, live: &HashSet<String>) -> HashSet<String> {
    let mut s = live.clone();
    s.extend(al.id_high_water.iter().map(|(p, n)| format!("{p}.{n}")));
    for c in &al.changes {
        s.extend(named_in(&c.desc).map(str::to_owned));
    }
    s
}

/// The one id allocator. Fresh ids `<prefix><n>` go above the prefix's high-water mark (the
/// highest number the alignment uses, ever named in its history, or recorded), skipping any id
/// taken; the marks rise as ids are handed out or reserved and are written back to the file
/// ([`IdAlloc::marks`]). Linear in the number of ids: the set of used ids is built once.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdAlloc {
    /// Ids an item of the alignment holds, or handed out or reserved since.
    live: HashSet<String>,
    /// Those and every id ever used (named in the history, below a recorded mark).
    used: HashSet<String>,
    /// By prefix with its separator (`a.cs-en.`).
    marks: HashMap<String, u64>,
}

impl IdAlloc {
    /// Start from everything the alignment uses or once used.
    pub fn new(al: &WorkAlignment) -> Self {
        let live = live_ids(al);
        IdAlloc {
            used: used_ids(al, &live),
            live,
            marks: HashMap::new(),
        }
    }

    /// Start from these ids only (an edge aligned on its own).
    pub fn from_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let live: HashSet<String> = ids.into_iter().map(str::to_owned).collect();
        IdAlloc {
            used: live.clone(),
            live,
            marks: HashMap::new(),
        }
    }

    /// True when no item holds the id (nor was it handed out). An id the history names is
    /// free for a file that asks for it: the file's bead is most likely the item it named (the
    /// file was exported from this alignment); fresh ids never take such an id.
    pub(crate) fn is_free(&self, id: &str) -> bool {
        !self.live.contains(id)
    }

    /// True when the alignment does not hold the id and its history does not name it (with
    /// the recorded marks, what a merge asks before it keeps an id of the other version).
    pub(crate) fn never_used(&self, id: &str) -> bool {
        !self.used.contains(id)
    }

    /// Mark an id as taken (an id a file asks for, or a held item's).
    pub(crate) fn reserve(&mut self, id: &str) {
        self.live.insert(id.to_owned());
        if self.used.insert(id.to_owned()) {
            for (prefix, m) in self.marks.iter_mut() {
                if let Some(n) = number_after(prefix, id) {
                    *m = (*m).max(n);
                }
            }
        }
    }

    /// The high-water mark of `prefix` (`a.cs-en.`, `seg.`, `ch`): the highest number given.
    pub fn mark(&mut self, prefix: &str) -> u64 {
        let used = &self.used;
        *self.marks.entry(prefix.to_owned()).or_insert_with(|| {
            used.iter()
                .filter_map(|id| number_after(prefix, id))
                .max()
                .unwrap_or(0)
        })
    }

    /// A fresh id with this prefix (`a.cs-en.` gives `a.cs-en.18`).
    pub fn fresh(&mut self, prefix: &str) -> String {
        let mut n = self.mark(prefix);
        loop {
            n += 1;
            let id = format!("{prefix}{n}");
            if !self.used.contains(&id) {
                self.marks.insert(prefix.to_owned(), n);
                self.used.insert(id.clone());
                self.live.insert(id.clone());
                return id;
            }
        }
    }

    /// The marks of these prefixes that are above 0, keyed as the file records them (`a.cs-en`).
    pub fn marks<'a>(
        &mut self,
        prefixes: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, u64> {
        prefixes
            .into_iter()
            .map(|p| (mark_key(p).to_owned(), self.mark(p)))
            .filter(|(_, m)| *m > 0)
            .collect()
    }
}

/// The highest number ever given to an id `<prefix>.<n>` in an alignment (`a.cs-en`, `u.cs-en`,
/// `seg`): the recorded high-water mark, the ids it holds, and the ids its change history names
/// (removed links live on there), whichever is highest; 0 if none.
pub fn high_water(al: &WorkAlignment, prefix: &str) -> u64 {
    IdAlloc::new(al).mark(&format!("{prefix}."))
}

/// The id prefixes of a work's alignment whose marks are recorded: links and ptrs of every
/// edge, and segments.
pub(crate) fn mark_prefixes(relations: &[Relation]) -> Vec<String> {
    let mut v: Vec<String> = relations
        .iter()
        .flat_map(|r| [link_prefix(r), ptr_prefix(r)])
        .collect();
    v.push("seg.".to_owned());
    v
}

/// Where fresh segment ids come from.
pub(super) trait SegmentIds {
    /// A fresh segment id (`seg.41`).
    fn fresh_segment(&mut self) -> String;
}

impl SegmentIds for IdAlloc {
    fn fresh_segment(&mut self) -> String {
        self.fresh("seg.")
    }
}

/// The high-water marks of an alignment's prefixes, as [`IdAlloc`] finds them, without the
/// sets of every id it keeps: for recomposing, which hands out only segment ids. An id above
/// the mark is never taken (a taken id's number is at most the mark), so a fresh one is the
/// mark plus one, as [`IdAlloc::fresh`] gives it.
pub(super) struct MarkAlloc {
    /// By prefix with its separator (`a.cs-en.`).
    marks: Vec<(String, u64)>,
}

impl MarkAlloc {
    /// The marks of [`mark_prefixes`] over what `al` uses or once used, its segments being
    /// `segments` (taken out of it to be recomposed).
    pub(super) fn new(al: &WorkAlignment, segments: &[Segment]) -> Self {
        let mut marks: Vec<(String, u64)> = mark_prefixes(&al.relations)
            .into_iter()
            .map(|p| (p, 0))
            .collect();
        let mut see = |id: &str| {
            for (p, m) in marks.iter_mut() {
                if let Some(n) = number_after(p, id) {
                    *m = (*m).max(n);
                }
            }
        };
        al.relations.iter().for_each(|r| see(&r.id));
        for e in &al.edges {
            e.links.iter().for_each(|l| see(&l.id));
            e.unaligned.iter().for_each(|u| see(&u.id));
        }
        segments.iter().for_each(|g| see(&g.id));
        al.segments.iter().for_each(|g| see(&g.id));
        for c in &al.changes {
            see(&c.id);
            named_in(&c.desc).for_each(&mut see);
        }
        for (p, n) in &al.id_high_water {
            see(&format!("{p}.{n}"));
        }
        MarkAlloc { marks }
    }

    /// The marks above 0, keyed as the file records them (`a.cs-en`).
    pub(super) fn marks(&self) -> BTreeMap<String, u64> {
        self.marks
            .iter()
            .filter(|(_, m)| *m > 0)
            .map(|(p, m)| (mark_key(p).to_owned(), *m))
            .collect()
    }
}

impl SegmentIds for MarkAlloc {
    fn fresh_segment(&mut self) -> String {
        let at = self.marks.iter().position(|(p, _)| p == "seg.");
        let m = match at {
            Some(i) => &mut self.marks[i].1,
            None => {
                self.marks.push(("seg.".to_owned(), 0));
                let last = self.marks.len() - 1;
                &mut self.marks[last].1
            }
        };
        *m += 1;
        format!("seg.{m}")
    }
}

/// Give segments their ids: a segment with exactly the members of an old one keeps its id;
/// the others get fresh ids from `ids`, in document order.
pub(super) fn keep_segment_ids(
    segments: &mut [Segment],
    old: &[Segment],
    ids: &mut impl SegmentIds,
) {
    // Members compared without the layers that have no sentence in the segment: a file read
    // back lists every layer, a composed segment every layer of the work.
    fn key(s: &Segment) -> Vec<(&str, &[String])> {
        s.members
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect()
    }
    let old_ids: HashMap<Vec<(&str, &[String])>, &str> =
        old.iter().map(|s| (key(s), s.id.as_str())).collect();
    // Computed before the ids change (a key borrows the segment).
    let found: Vec<Option<&str>> = segments
        .iter()
        .map(|s| old_ids.get(&key(s)).copied())
        .collect();
    let mut written: HashSet<String> = HashSet::new();
    let mut fresh: Vec<usize> = Vec::new();
    for (i, (s, id)) in segments.iter_mut().zip(found).enumerate() {
        match id {
            Some(id) if !written.contains(id) => {
                s.id = id.to_owned();
                written.insert(s.id.clone());
            }
            _ => fresh.push(i),
        }
    }
    for i in fresh {
        segments[i].id = ids.fresh_segment();
    }
}

/// The id prefix of the links of an edge: `a.cs-en.`.
pub(crate) fn link_prefix(rel: &Relation) -> String {
    format!("a.{}-{}.", rel.source, rel.derived)
}

/// The id prefix of the unaligned ptrs of an edge: `u.cs-en.`.
pub(crate) fn ptr_prefix(rel: &Relation) -> String {
    format!("u.{}-{}.", rel.source, rel.derived)
}
