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
/// (a.grc-cs.2)`; or through a third layer on the way, `en.s2 ↔ grc.s2 ↔ cs.s2 ↔ de.s2`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carried {
    /// The other source it goes through.
    pub via: String,
    /// The layers between the source and `via` on the path, when the two sources are not
    /// linked directly (`grc` in `en ↔ grc ↔ cs → de`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_way_of: Vec<String>,
    /// Its counterparts on the way, in path order (those in `via` last).
    pub through: Vec<String>,
    /// The same, one list per layer of the path after the source (`by_way_of`, then `via`).
    pub steps: Vec<Vec<String>>,
    /// The sentences of the derived layer they are linked to.
    pub derived: Vec<String>,
    /// The links of the path, in path order: source ↔ …, then via ↔ derived.
    pub links: Vec<String>,
    /// A link of the path is partial, or a sentence on it goes no further (`not_onward`).
    pub partial: bool,
    /// A link of the path is doubtful (automatic, below the threshold) or confirmed on another
    /// text.
    pub doubtful: bool,
    /// Sentences the path reaches that have no counterpart on the next step: what the source
    /// sentence says may stand there, so the path vouches for part of it only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_onward: Vec<String>,
}

impl Carried {
    /// The route in words: `grc`, or `cs by way of grc`.
    pub fn route(&self) -> String {
        if self.by_way_of.is_empty() {
            self.via.clone()
        } else {
            format!("{} by way of {}", self.via, self.by_way_of.join(", "))
        }
    }

    /// The path of sentence `from`: `en.s2 ↔ grc.s2 ↔ cs.s2 ↔ de.s2`.
    pub fn path(&self, from: &str) -> String {
        let mut parts = vec![from.to_owned()];
        parts.extend(self.steps.iter().map(|s| s.join(" ")));
        parts.push(self.derived.join(" "));
        parts.join(" ↔ ")
    }

    /// What goes with the path: its links and flags, `a.grc-en.2 a.grc-cs.2, partial: cs.s4
    /// goes no further`.
    pub fn evidence(&self) -> String {
        let mut o = self.links.join(" ");
        if self.partial {
            o.push_str(", partial");
            if !self.not_onward.is_empty() {
                o.push_str(&format!(": {} goes no further", self.not_onward.join(" ")));
            }
        }
        if self.doubtful {
            o.push_str(", doubtful");
        }
        o
    }
}

/// The most edges a path of [`Sources::carried`] takes between the two sources: a chain
/// through two layers between them at most. Longer chains join ever looser groups.
pub const MAX_HOPS: usize = 3;

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
        // A work without a layer made from several sources indexes nothing; one with such a
        // layer indexes every edge, since a sentence may reach it through a third layer.
        let several = {
            let mut n: HashMap<&str, usize> = HashMap::new();
            for r in &al.relations {
                *n.entry(r.derived.as_str()).or_default() += 1;
            }
            n.values().any(|&k| k > 1)
        };
        let wanted = |_: &Relation| several;
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

    /// The routes from `source` to each other source of `derived` over the edges of the work,
    /// never through `derived`, shortest first: `[en, grc]` (a direct edge between the two
    /// sources, either way), then `[en, grc, cs]` (through a third layer), up to
    /// `MAX_HOPS` edges. Only layers of a work with a layer made from several sources are
    /// indexed, so this is empty elsewhere.
    pub fn routes(&self, source: &str, derived: &str) -> Vec<Vec<&'a str>> {
        let others = self.sources_of(derived);
        let mut out: Vec<Vec<&'a str>> = Vec::new();
        let Some(start) = self
            .edges
            .iter()
            .flat_map(|e| [e.rel.source.as_str(), e.rel.derived.as_str()])
            .find(|l| *l == source)
        else {
            return out;
        };
        let mut paths: Vec<Vec<&'a str>> = vec![vec![start]];
        for _ in 0..MAX_HOPS {
            let mut next = Vec::new();
            for p in &paths {
                let last = p[p.len() - 1];
                for e in &self.edges {
                    let (a, b) = (e.rel.source.as_str(), e.rel.derived.as_str());
                    let far = if a == last {
                        b
                    } else if b == last {
                        a
                    } else {
                        continue;
                    };
                    if far == derived || p.contains(&far) {
                        continue;
                    }
                    let mut q = p.clone();
                    q.push(far);
                    if others.contains(&far) {
                        out.push(q);
                    } else {
                        next.push(q);
                    }
                }
            }
            paths = next;
        }
        out
    }

    /// The edge between two layers, either way (`true`: `a` is its source).
    fn between(&self, a: &str, b: &str) -> Option<(&EdgeIx<'a>, bool)> {
        self.edge(a, b)
            .map(|e| (e, true))
            .or_else(|| self.edge(b, a).map(|e| (e, false)))
    }

    /// Whether source sentence `sentence` of `source`, without a counterpart on the edge
    /// `source → derived`, is carried over into `derived` through another of its sources:
    /// linked to a sentence of that source which is linked into `derived`, by a link between
    /// the two sources (either way) or, failing that, by a chain of links through a third
    /// layer (`en.s4 ↔ grc.s4 ↔ cs.s4 ↔ de.s4`: de made from cs and en, both from grc). Every
    /// link of the path is named; the path is doubtful if one of them is, and partial if one
    /// is, or if a sentence the path reaches goes no further (`en.s3 ↔ grc.s3 ↔ cs.s3 cs.s4`
    /// with only cs.s3 linked into de: what en.s3 says may stand in cs.s4, which de omits).
    pub fn carried(&self, source: &str, derived: &str, sentence: &str) -> Option<Carried> {
        self.routes(source, derived)
            .into_iter()
            .find_map(|r| self.follow(&r, derived, sentence))
    }

    /// [`Self::carried`] along one route.
    fn follow(&self, route: &[&str], derived: &str, sentence: &str) -> Option<Carried> {
        let (&other, hops) = route.split_last()?;
        let into = self.edge(other, derived)?;
        let mut c = Carried {
            via: other.to_owned(),
            by_way_of: hops[1..].iter().map(|l| (*l).to_owned()).collect(),
            through: Vec::new(),
            steps: Vec::new(),
            derived: Vec::new(),
            links: Vec::new(),
            partial: false,
            doubtful: false,
            not_onward: Vec::new(),
        };
        let mut at: Vec<String> = vec![sentence.to_owned()];
        for w in route.windows(2) {
            let (e, forward) = self.between(w[0], w[1])?;
            let near = if forward { &e.src } else { &e.der };
            let far = |l: &Link| {
                if forward {
                    l.derived.clone()
                } else {
                    l.source.clone()
                }
            };
            let mut next: Vec<String> = Vec::new();
            for x in &at {
                let ls: Vec<&Link> = near
                    .get(x.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|l| !far(l).is_empty())
                    .copied()
                    .collect();
                if ls.is_empty() {
                    push_new(&mut c.not_onward, x);
                }
                for l in ls {
                    self.take(&mut c, l);
                    for y in far(l) {
                        push_new(&mut next, bare(&y));
                    }
                }
            }
            if next.is_empty() {
                return None;
            }
            c.through.extend(next.iter().cloned());
            c.steps.push(next.clone());
            at = next;
        }
        for y in &at {
            let onward: Vec<&Link> = into
                .src
                .get(y.as_str())
                .into_iter()
                .flatten()
                .filter(|m| !m.derived.is_empty())
                .copied()
                .collect();
            if onward.is_empty() {
                push_new(&mut c.not_onward, y);
            }
            for m in onward {
                self.take(&mut c, m);
                for d in &m.derived {
                    push_new(&mut c.derived, bare(d));
                }
            }
        }
        if c.derived.is_empty() {
            return None;
        }
        c.partial |= !c.not_onward.is_empty();
        Some(c)
    }

    /// A link on the path of `c`: named, its doubt and partiality taken.
    fn take(&self, c: &mut Carried, l: &Link) {
        push_new(&mut c.links, &l.id);
        c.partial |= l.partial;
        c.doubtful |= self.doubtful(l);
    }
}

fn push_new(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_owned());
    }
}
