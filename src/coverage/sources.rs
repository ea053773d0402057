//! A layer made from several sources, seen against all of them. One edge alone says "no
//! counterpart in this source"; whether that is the translator's addition or omission depends on
//! the layer's other sources:
//! - a derived sentence with no counterpart in one source but linked in another came *from the
//!   other source* (and one past a gap of another source's witness cannot be checked there):
//!   not an addition;
//! - a source sentence with no counterpart on its own edge whose counterpart in another source
//!   of the layer is linked into it was *carried over* through that source: not an omission.
//!
//! Built from the alignment alone (links and ptrs name sentences by their ids, which are unique
//! in a work), so that `coverage`, `trace`, `status` and the edition say the same.

use crate::model::{Link, LinkStatus, Relation, Unaligned, UnalignedKind, WorkAlignment};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

fn bare(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

/// The links and ptrs of one edge by sentence id.
struct EdgeIx<'a> {
    rel: &'a Relation,
    /// Links by source sentence.
    src: HashMap<&'a str, Vec<&'a Link>>,
    /// Links by derived sentence.
    der: HashMap<&'a str, Vec<&'a Link>>,
    /// Unaligned ptrs by sentence.
    ptr: HashMap<&'a str, &'a Unaligned>,
}

/// What the other sources of a layer say about its sentences (see the module's text).
pub struct Sources<'a> {
    edges: Vec<EdgeIx<'a>>,
    without_text: HashSet<String>,
    doubt_below: f64,
    /// Confirmed items whose sentences were edited since (confirmed on another text).
    changed: HashSet<String>,
}

/// How the other sources of a layer account for one of its sentences that an edge leaves
/// without a counterpart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Elsewhere {
    /// The other sources that link it (their link ids in `links`).
    pub matched_in: Vec<String>,
    /// The links, one or more per source in `matched_in`.
    pub links: Vec<String>,
    /// The other sources whose witness has a gap where it stands (or no text at all).
    pub gap_in: Vec<String>,
}

impl Elsewhere {
    /// Whether no other source accounts for it.
    pub fn is_empty(&self) -> bool {
        self.matched_in.is_empty() && self.gap_in.is_empty()
    }
}

/// A source sentence without a counterpart on its own edge whose content reaches the derived
/// layer through another source of it: `en.s2 ↔ grc.s2 (a.grc-en.2)`, `grc.s2 ↔ cs.s2
/// (a.grc-cs.2)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carried {
    /// The other source it goes through.
    pub via: String,
    /// Its counterparts in that source.
    pub through: Vec<String>,
    /// The sentences of the derived layer they are linked to.
    pub derived: Vec<String>,
    /// The links of the path: source ↔ via, then via ↔ derived.
    pub links: Vec<String>,
    /// A link of the path is partial.
    pub partial: bool,
    /// A link of the path is doubtful (automatic, below the threshold) or confirmed on another
    /// text.
    pub doubtful: bool,
}

impl<'a> Sources<'a> {
    /// Index `al`. `without_text`: the layers without any text (their derived sentences are
    /// past a gap whatever the ptrs say); `doubt_below` as in the coverage options; `changed`:
    /// ids of confirmed items whose sentences were edited since.
    pub fn new(
        al: &'a WorkAlignment,
        without_text: HashSet<String>,
        doubt_below: f64,
        changed: HashSet<String>,
    ) -> Self {
        // Only the edges into a layer made from several sources, and those between two of its
        // sources, are asked about: a work without such a layer indexes nothing.
        let mut into: HashMap<&str, Vec<&str>> = HashMap::new();
        for r in &al.relations {
            into.entry(r.derived.as_str()).or_default().push(&r.source);
        }
        into.retain(|_, v| v.len() > 1);
        let wanted = |r: &Relation| {
            into.contains_key(r.derived.as_str())
                || into
                    .values()
                    .any(|v| v.contains(&r.source.as_str()) && v.contains(&r.derived.as_str()))
        };
        let edges = al
            .edges
            .iter()
            .filter_map(|e| {
                let rel = al.relations.iter().find(|r| r.id == e.relation)?;
                if !wanted(rel) {
                    return None;
                }
                let mut ix = EdgeIx {
                    rel,
                    src: HashMap::new(),
                    der: HashMap::new(),
                    ptr: HashMap::new(),
                };
                for l in &e.links {
                    for s in &l.source {
                        ix.src.entry(bare(s)).or_default().push(l);
                    }
                    for d in &l.derived {
                        ix.der.entry(bare(d)).or_default().push(l);
                    }
                }
                for u in &e.unaligned {
                    ix.ptr.insert(bare(&u.sentence), u);
                }
                Some(ix)
            })
            .collect();
        Sources {
            edges,
            without_text,
            doubt_below,
            changed,
        }
    }

    /// The sources of `layer` (those with an edge in the alignment), in the alignment's order.
    pub fn sources_of(&self, layer: &str) -> Vec<&'a str> {
        self.edges
            .iter()
            .filter(|e| e.rel.derived == layer)
            .map(|e| e.rel.source.as_str())
            .collect()
    }

    /// Whether `layer` is made from two or more sources.
    pub fn several(&self, layer: &str) -> bool {
        self.edges.iter().filter(|e| e.rel.derived == layer).count() > 1
    }

    fn edge(&self, source: &str, derived: &str) -> Option<&EdgeIx<'a>> {
        self.edges
            .iter()
            .find(|e| e.rel.source == source && e.rel.derived == derived)
    }

    /// Whether a link is doubtful: automatic below the threshold, or confirmed on a text since
    /// edited (the confirmation no longer vouches for it).
    pub fn doubtful(&self, l: &Link) -> bool {
        let verified = matches!(l.status, LinkStatus::Verified { .. });
        (!verified && l.cert < self.doubt_below) || self.changed.contains(&l.id)
    }

    /// How the sources of `layer` other than `except` account for its sentence `sentence`.
    pub fn elsewhere(&self, layer: &str, except: &str, sentence: &str) -> Elsewhere {
        let mut out = Elsewhere::default();
        for e in self
            .edges
            .iter()
            .filter(|e| e.rel.derived == layer && e.rel.source != except)
        {
            let links: Vec<&Link> = e
                .der
                .get(sentence)
                .into_iter()
                .flatten()
                .filter(|l| !l.source.is_empty())
                .copied()
                .collect();
            if !links.is_empty() {
                out.matched_in.push(e.rel.source.clone());
                out.links.extend(links.iter().map(|l| l.id.clone()));
            } else if self.without_text.contains(&e.rel.source)
                || e.ptr
                    .get(sentence)
                    .is_some_and(|u| u.kind == UnalignedKind::SourceGap)
            {
                out.gap_in.push(e.rel.source.clone());
            }
        }
        out
    }

    /// Whether source sentence `sentence` of `source`, without a counterpart on the edge
    /// `source → derived`, is carried over into `derived` through another of its sources: linked
    /// (on an edge between the two sources, either way) to a sentence of that source which is
    /// linked into `derived`. Only a direct link between the two sources counts: a chain
    /// through a third layer could join sentences by a merge made there.
    pub fn carried(&self, source: &str, derived: &str, sentence: &str) -> Option<Carried> {
        for other in self
            .sources_of(derived)
            .into_iter()
            .filter(|s| *s != source)
        {
            let Some(into) = self.edge(other, derived) else {
                continue;
            };
            // The counterparts of `sentence` in `other`, by the links between the two sources.
            let (between, forward) = match self.edge(source, other) {
                Some(e) => (e, true),
                None => match self.edge(other, source) {
                    Some(e) => (e, false),
                    None => continue,
                },
            };
            let side = if forward { &between.src } else { &between.der };
            let mut c = Carried {
                via: other.to_owned(),
                through: Vec::new(),
                derived: Vec::new(),
                links: Vec::new(),
                partial: false,
                doubtful: false,
            };
            for l in side.get(sentence).into_iter().flatten() {
                let ys = if forward { &l.derived } else { &l.source };
                for y in ys.iter().map(|y| bare(y)) {
                    let onward: Vec<&Link> = into
                        .src
                        .get(y)
                        .into_iter()
                        .flatten()
                        .filter(|m| !m.derived.is_empty())
                        .copied()
                        .collect();
                    if onward.is_empty() {
                        continue;
                    }
                    push_new(&mut c.links, &l.id);
                    c.partial |= l.partial;
                    c.doubtful |= self.doubtful(l);
                    push_new(&mut c.through, y);
                    for m in onward {
                        push_new(&mut c.links, &m.id);
                        c.partial |= m.partial;
                        c.doubtful |= self.doubtful(m);
                        for d in &m.derived {
                            push_new(&mut c.derived, bare(d));
                        }
                    }
                }
            }
            if !c.derived.is_empty() {
                return Some(c);
            }
        }
        None
    }
}

fn push_new(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_owned());
    }
}
