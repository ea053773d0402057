//! The edge core: the one way an edge of an alignment is made or changed. An alignment run, an
//! import and a `link`/`unlink` by hand each decide which items of the old edge to hold and
//! which new beads to put in; [`build_edge`] does the rest the same way for all of them:
//!
//! - held links and ptrs are kept exactly, with their ids;
//! - a new bead becomes a link (sentences on both sides) or unaligned ptrs (one per sentence);
//! - a derived sentence without counterpart is a source gap or an addition, a source sentence
//!   without counterpart a derived gap or an omission, by one rule ([`GapRule`]);
//! - with [`EdgeEdit::fill`], a sentence nothing covers becomes an automatic ptr with certainty
//!   0 (to be reviewed);
//! - ids come from one allocator ([`IdAlloc`]): an id the bead asks for when it is free, else
//!   the id of the old item with exactly the same targets, else a fresh one above the
//!   high-water mark — so an id never passes to a different bead;
//! - links and ptrs come out in document order;
//! - a held item the operation restates ([`Restate`]: a confirmation of a link or ptr as it
//!   stands, an import repeating a link with a status or certainty of its own) changes in its
//!   status and certainty only, keeping its id, targets and kind;
//! - a confirmed item records the digest of the texts it was confirmed on
//!   ([`super::digest::settle`]), a new bead and a restated item alike.
//!
//! Everything is looked up in hash maps and sorted lists: linear (up to a log) in the size of
//! the edge, whatever the number of held items. The change record of the operation is made
//! from the difference between the old and the new edges ([`super::record::record_edges`]).

use super::ids::{IdAlloc, link_prefix, ptr_prefix};
use crate::model::{EdgeAlignment, Layer, Link, LinkStatus, Relation, Unaligned, UnalignedKind};
use std::collections::{HashMap, HashSet};

/// A bead to put into an edge, on sentence positions of its two layers (ascending).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewBead {
    /// Positions in the source layer.
    pub src: Vec<usize>,
    /// Positions in the derived layer.
    pub tgt: Vec<usize>,
    /// Its certainty.
    pub cert: f64,
    /// Made by the aligner, or confirmed by a person.
    pub status: LinkStatus,
    /// A partial link (one side says less than the other).
    pub partial: bool,
    /// The id it asks for (an imported file's), taken when free.
    pub id: Option<String>,
    /// For a 0-1 or 1-0 bead: its kind when the caller knows it (a kind of the other side is
    /// ignored); otherwise [`GapRule`] decides.
    pub kind: Option<UnalignedKind>,
}

impl NewBead {
    /// An automatic bead with this certainty and nothing else said.
    pub fn automatic(src: Vec<usize>, tgt: Vec<usize>, cert: f64) -> Self {
        NewBead {
            src,
            tgt,
            cert,
            status: LinkStatus::Automatic,
            partial: false,
            id: None,
            kind: None,
        }
    }
}

/// What an operation says anew of a held item (by its id): its status, its certainty, or both.
/// A confirmation by hand is one (`Verified` by the editor, certainty 1), an imported bead that
/// repeats a link is another. The item keeps its id, targets and kind; a confirmation without a
/// digest gets one as a new bead's does ([`super::digest::settle`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Restate {
    /// Its new status (`None`: as it is).
    pub status: Option<LinkStatus>,
    /// Its new certainty (`None`: as it is).
    pub cert: Option<f64>,
    /// A confirmation made now (`link`): its text is the text of now, even when the same person
    /// confirmed the item in the same second before. Otherwise (an import repeating a
    /// confirmation) the text recorded with the confirmation it repeats is kept.
    pub anew: bool,
}

/// What an operation makes of one edge.
#[derive(Debug, Clone)]
pub(crate) struct EdgeEdit<'a> {
    /// The edge's relation.
    pub relation: &'a Relation,
    /// Its source layer.
    pub source: &'a Layer,
    /// Its derived layer.
    pub derived: &'a Layer,
    /// The edge as it was (its ids are reused for beads with the same targets).
    pub old: Option<&'a EdgeAlignment>,
    /// Links kept exactly as they are.
    pub held_links: Vec<Link>,
    /// Ptrs kept exactly as they are.
    pub held_ptrs: Vec<Unaligned>,
    /// Held links and ptrs (by id) whose status or certainty the operation restates; an id no
    /// held item has is ignored.
    pub restate: HashMap<String, Restate>,
    /// The new beads; they must not overlap each other or the held items.
    pub beads: Vec<NewBead>,
    /// Make every sentence nothing covers an automatic ptr with certainty 0.
    pub fill: bool,
}

/// The edge an [`EdgeEdit`] made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EdgeBuilt {
    /// The new edge, in document order.
    pub edge: EdgeAlignment,
    /// The sentences [`EdgeEdit::fill`] made unaligned, in document order (source side first).
    pub uncovered: Vec<String>,
}

/// An item on its way into the edge: its sort key, the item, the id it asks for.
struct Pending<T> {
    key: (usize, usize),
    item: T,
    wanted: Option<String>,
}

/// The positions of the sentences of the edge's two layers.
struct Positions<'a> {
    src: HashMap<&'a str, usize>,
    der: HashMap<&'a str, usize>,
}

impl<'a> Positions<'a> {
    fn new(source: &'a Layer, derived: &'a Layer) -> Self {
        let index = |l: &'a Layer| {
            l.sentences
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect()
        };
        Positions {
            src: index(source),
            der: index(derived),
        }
    }

    /// First and last position of sentence ids (`usize::MAX` for none known).
    fn span(map: &HashMap<&str, usize>, ids: &[String]) -> (usize, usize) {
        let pos = ids.iter().filter_map(|x| map.get(x.as_str()).copied());
        let (mut lo, mut hi) = (usize::MAX, 0);
        for p in pos {
            lo = lo.min(p);
            hi = hi.max(p);
        }
        (lo, if lo == usize::MAX { usize::MAX } else { hi })
    }
}

/// The one gap rule, for either side. A sentence without counterpart stands somewhere between
/// the sentences of the other side linked before it and those linked after it. A derived
/// sentence there is a source gap when the source witness has no text, or has a `<gap>`
/// anywhere in that stretch (the sentence may translate what the witness lost); otherwise it is
/// an addition (derived-only). The mirror: a source sentence is a derived gap when the derived
/// witness has no text or a `<gap>` in its stretch (what translated it is lost with the
/// witness); otherwise it is an omission (source-only).
///
/// Why the whole stretch and not one point: the order of unlinked sentences between two links
/// is not evidence (the aligner breaks ties there arbitrarily, and a link made by hand says
/// nothing about it), so the rule must not depend on it.
pub(crate) struct GapRule<'a> {
    /// The witness whose gaps excuse a missing counterpart (the other side).
    witness: &'a Layer,
    /// The links as (first own, first other, last other) positions, by first own.
    links: Vec<(usize, usize, usize)>,
    /// The kind when a gap excuses it, and when nothing does.
    kinds: (UnalignedKind, UnalignedKind),
}

impl<'a> GapRule<'a> {
    /// The rule for the derived sentences of an edge whose (non-crossing) links have these
    /// spans: ((first, last) source, (first, last) derived).
    pub fn new(source: &'a Layer, spans: impl IntoIterator<Item = SpanPair>) -> Self {
        let links = spans
            .into_iter()
            .map(|((s0, s1), (d0, _))| (d0, s0, s1))
            .collect();
        Self::sorted(
            source,
            links,
            (UnalignedKind::SourceGap, UnalignedKind::DerivedOnly),
        )
    }

    /// The rule for the source sentences of the edge, the derived layer being the witness.
    pub fn for_source(derived: &'a Layer, spans: impl IntoIterator<Item = SpanPair>) -> Self {
        let links = spans
            .into_iter()
            .map(|((s0, _), (d0, d1))| (s0, d0, d1))
            .collect();
        Self::sorted(
            derived,
            links,
            (UnalignedKind::DerivedGap, UnalignedKind::SourceOnly),
        )
    }

    fn sorted(
        witness: &'a Layer,
        mut links: Vec<(usize, usize, usize)>,
        kinds: (UnalignedKind, UnalignedKind),
    ) -> Self {
        links.sort_unstable();
        GapRule {
            witness,
            links,
            kinds,
        }
    }

    /// The kind of the sentence at position `j` of its side.
    pub fn kind(&self, j: usize) -> UnalignedKind {
        if !self.witness.has_text() {
            return self.kinds.0;
        }
        let k = self.links.partition_point(|&(own, _, _)| own < j);
        let lo = k.checked_sub(1).map_or(0, |p| self.links[p].2 + 1);
        let hi = self
            .links
            .get(k)
            .map_or(self.witness.sentences.len(), |l| l.1);
        if self
            .witness
            .gaps
            .iter()
            .any(|g| lo <= g.position() && g.position() <= hi)
        {
            self.kinds.0
        } else {
            self.kinds.1
        }
    }
}

/// The spans of a link on both sides: ((first, last) source, (first, last) derived).
pub(crate) type SpanPair = ((usize, usize), (usize, usize));

/// Make the edge: held items as they are, new beads as links and ptrs, uncovered sentences as
/// ptrs (with `fill`), ids from `ids`, in document order. Pure but for the allocator.
pub(crate) fn build_edge(mut edit: EdgeEdit<'_>, ids: &mut IdAlloc) -> EdgeBuilt {
    let pos = Positions::new(edit.source, edit.derived);
    let (n, m) = (edit.source.sentences.len(), edit.derived.sentences.len());
    let mut covered = (vec![false; n], vec![false; m]);
    let mut written: HashSet<String> = HashSet::new();
    let mut links: Vec<Pending<Link>> = Vec::new();
    let mut ptrs: Vec<Pending<Unaligned>> = Vec::new();
    let (to_settle, anew) = restate_held(&mut edit);
    for l in std::mem::take(&mut edit.held_links) {
        let (s, d) = (
            Positions::span(&pos.src, &l.source),
            Positions::span(&pos.der, &l.derived),
        );
        cover(&mut covered.0, s);
        cover(&mut covered.1, d);
        ids.reserve(&l.id);
        written.insert(l.id.clone());
        links.push(Pending {
            key: (s.0, d.0),
            item: l,
            wanted: None,
        });
    }
    for u in std::mem::take(&mut edit.held_ptrs) {
        let on_derived = u.layer == edit.derived.id;
        let map = if on_derived { &pos.der } else { &pos.src };
        let i = map.get(u.sentence.as_str()).copied().unwrap_or(usize::MAX);
        let side = if on_derived {
            &mut covered.1
        } else {
            &mut covered.0
        };
        cover(side, (i, i));
        ids.reserve(&u.id);
        written.insert(u.id.clone());
        ptrs.push(Pending {
            key: (usize::from(on_derived), i),
            item: u,
            wanted: None,
        });
    }
    // The positions of the ptrs whose kind the gap rule decides (once the links are known), on
    // the source side and on the derived side.
    let mut unclassified: [HashSet<usize>; 2] = Default::default();
    for b in std::mem::take(&mut edit.beads) {
        put_bead(
            &edit,
            b,
            &mut covered,
            &mut links,
            &mut ptrs,
            &mut unclassified,
        );
    }
    let uncovered = if edit.fill {
        fill_uncovered(&edit, &covered, &mut ptrs, &mut unclassified)
    } else {
        Vec::new()
    };
    links.sort_by_key(|p| p.key);
    let spans: Vec<SpanPair> = links
        .iter()
        .map(|p| {
            (
                Positions::span(&pos.src, &p.item.source),
                Positions::span(&pos.der, &p.item.derived),
            )
        })
        .collect();
    let rules = [
        GapRule::for_source(edit.derived, spans.iter().copied()),
        GapRule::new(edit.source, spans),
    ];
    for p in ptrs.iter_mut() {
        let side = p.key.0;
        if p.item.id.is_empty() && unclassified[side].contains(&p.key.1) {
            p.item.kind = rules[side].kind(p.key.1);
        }
    }
    ptrs.sort_by_key(|p| p.key);
    // What each new confirmation was made on (the new items have no id yet; a restated one is
    // held with its id): kept from the old item it repeats, or the texts as they are now.
    let settles = |id: &String| id.is_empty() || to_settle.contains(id);
    super::digest::settle(
        links
            .iter_mut()
            .filter(|p| settles(&p.item.id))
            .map(|p| &mut p.item),
        ptrs.iter_mut()
            .filter(|p| settles(&p.item.id))
            .map(|p| &mut p.item),
        edit.old,
        (edit.source, edit.derived),
    );
    // A confirmation made now is on the text of now: no old item to carry a text from, so
    // the same person confirming again within one second still records what they read.
    super::digest::settle(
        links
            .iter_mut()
            .filter(|p| anew.contains(&p.item.id))
            .map(|p| &mut p.item),
        ptrs.iter_mut()
            .filter(|p| anew.contains(&p.item.id))
            .map(|p| &mut p.item),
        None,
        (edit.source, edit.derived),
    );
    give_ids(&edit, &mut links, &mut ptrs, &mut written, ids);
    EdgeBuilt {
        edge: EdgeAlignment {
            relation: edit.relation.id.clone(),
            links: links.into_iter().map(|p| p.item).collect(),
            unaligned: ptrs.into_iter().map(|p| p.item).collect(),
        },
        uncovered,
    }
}

/// Apply [`EdgeEdit::restate`] to the held items. Returns the ids of those given a new status,
/// whose digest (for a confirmation) is then settled as a new bead's: a certainty alone leaves
/// the status as it is, digest or its absence included.
fn restate_held(edit: &mut EdgeEdit<'_>) -> (HashSet<String>, HashSet<String>) {
    let restate = std::mem::take(&mut edit.restate);
    let links = edit
        .held_links
        .iter_mut()
        .map(|l| (&l.id, &mut l.status, &mut l.cert));
    let ptrs = edit
        .held_ptrs
        .iter_mut()
        .map(|u| (&u.id, &mut u.status, &mut u.cert));
    let (mut settle, mut anew) = (HashSet::new(), HashSet::new());
    for (id, status, cert) in links.chain(ptrs) {
        if restated(&restate, id, (status, cert)) {
            match restate.get(id.as_str()) {
                Some(r) if r.anew => anew.insert(id.clone()),
                _ => settle.insert(id.clone()),
            };
        }
    }
    (settle, anew)
}

/// Apply the restatement of item `id`, if any, to its status and certainty; true when it gave
/// the item a new status.
fn restated(
    restate: &HashMap<String, Restate>,
    id: &str,
    (status, cert): (&mut LinkStatus, &mut f64),
) -> bool {
    let Some(r) = restate.get(id) else {
        return false;
    };
    if let Some(c) = r.cert {
        *cert = c;
    }
    match &r.status {
        Some(s) => {
            *status = s.clone();
            true
        }
        None => false,
    }
}

/// Mark the positions of a span as covered (nothing for an unknown span).
fn cover(side: &mut [bool], (lo, hi): (usize, usize)) {
    if lo <= hi && hi < side.len() {
        side[lo..=hi].iter_mut().for_each(|c| *c = true);
    }
}

/// A new bead as a pending link, or as one pending ptr per sentence.
fn put_bead(
    edit: &EdgeEdit<'_>,
    b: NewBead,
    covered: &mut (Vec<bool>, Vec<bool>),
    links: &mut Vec<Pending<Link>>,
    ptrs: &mut Vec<Pending<Unaligned>>,
    unclassified: &mut [HashSet<usize>; 2],
) {
    let (src, der) = (edit.source, edit.derived);
    for &i in &b.src {
        cover(&mut covered.0, (i, i));
    }
    for &j in &b.tgt {
        cover(&mut covered.1, (j, j));
    }
    if !b.src.is_empty() && !b.tgt.is_empty() {
        links.push(Pending {
            key: (b.src[0], b.tgt[0]),
            item: Link {
                id: String::new(),
                source: b.src.iter().map(|&i| src.sentences[i].id.clone()).collect(),
                derived: b.tgt.iter().map(|&j| der.sentences[j].id.clone()).collect(),
                cert: b.cert,
                status: b.status,
                partial: b.partial,
            },
            wanted: b.id,
        });
        return;
    }
    let on_derived = b.src.is_empty();
    let (layer, positions) = if on_derived {
        (der, &b.tgt)
    } else {
        (src, &b.src)
    };
    for (k, &i) in positions.iter().enumerate() {
        let kind = match b.kind {
            Some(kind) if kind.on_source() != on_derived => kind,
            _ => {
                unclassified[usize::from(on_derived)].insert(i);
                if on_derived {
                    UnalignedKind::DerivedOnly
                } else {
                    UnalignedKind::SourceOnly
                }
            }
        };
        ptrs.push(Pending {
            key: (usize::from(on_derived), i),
            item: Unaligned {
                id: String::new(),
                kind,
                layer: layer.id.clone(),
                sentence: layer.sentences[i].id.clone(),
                cert: b.cert,
                status: b.status.clone(),
            },
            wanted: if k == 0 { b.id.clone() } else { None },
        });
    }
}

/// Every sentence nothing covers as an automatic ptr with certainty 0 (left over by an
/// operation, not itself looked at: it shows up for review). Returns their ids.
fn fill_uncovered(
    edit: &EdgeEdit<'_>,
    covered: &(Vec<bool>, Vec<bool>),
    ptrs: &mut Vec<Pending<Unaligned>>,
    unclassified: &mut [HashSet<usize>; 2],
) -> Vec<String> {
    let mut out = Vec::new();
    for (on_derived, layer, side) in [
        (false, edit.source, &covered.0),
        (true, edit.derived, &covered.1),
    ] {
        for (i, _) in side.iter().enumerate().filter(|(_, c)| !**c) {
            unclassified[usize::from(on_derived)].insert(i);
            let sentence = layer.sentences[i].id.clone();
            out.push(sentence.clone());
            ptrs.push(Pending {
                key: (usize::from(on_derived), i),
                item: Unaligned {
                    id: String::new(),
                    kind: UnalignedKind::SourceOnly,
                    layer: layer.id.clone(),
                    sentence,
                    cert: 0.0,
                    status: LinkStatus::Automatic,
                },
                wanted: None,
            });
        }
    }
    out
}

/// Give every new item its id, links first, each in document order: the id it asks for when
/// free, else the id of the old item with the same targets when no item of the new edge has
/// it, else a fresh one.
fn give_ids(
    edit: &EdgeEdit<'_>,
    links: &mut [Pending<Link>],
    ptrs: &mut [Pending<Unaligned>],
    written: &mut HashSet<String>,
    ids: &mut IdAlloc,
) {
    let old_links: HashMap<(&[String], &[String]), &str> = edit
        .old
        .iter()
        .flat_map(|o| &o.links)
        .map(|l| ((l.source.as_slice(), l.derived.as_slice()), l.id.as_str()))
        .collect();
    let old_ptrs: HashMap<(&str, &str), &str> = edit
        .old
        .iter()
        .flat_map(|o| &o.unaligned)
        .map(|u| ((u.layer.as_str(), u.sentence.as_str()), u.id.as_str()))
        .collect();
    let mut pick = |wanted: Option<&str>, same: Option<&str>, prefix: &str| -> String {
        let id = match (wanted, same) {
            (Some(w), _) if ids.is_free(w) => w.to_owned(),
            (Some(w), Some(s)) if w == s && !written.contains(w) => w.to_owned(),
            (_, Some(s)) if !written.contains(s) => s.to_owned(),
            _ => ids.fresh(prefix),
        };
        ids.reserve(&id);
        written.insert(id.clone());
        id
    };
    let lp = link_prefix(edit.relation);
    for p in links.iter_mut().filter(|p| p.item.id.is_empty()) {
        let key = (p.item.source.as_slice(), p.item.derived.as_slice());
        let same = old_links.get(&key).copied();
        p.item.id = pick(p.wanted.as_deref(), same, &lp);
    }
    let pp = ptr_prefix(edit.relation);
    for p in ptrs.iter_mut().filter(|p| p.item.id.is_empty()) {
        let key = (p.item.layer.as_str(), p.item.sentence.as_str());
        let same = old_ptrs.get(&key).copied();
        p.item.id = pick(p.wanted.as_deref(), same, &pp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gap, WorkAlignment};
    use crate::review::testdata::{alignment, work};

    /// The cs-en edge of the test alignment, its layers and relation.
    fn parts() -> (crate::model::Work, WorkAlignment) {
        (work(), alignment())
    }

    fn edit<'a>(
        w: &'a crate::model::Work,
        al: &'a WorkAlignment,
        beads: Vec<NewBead>,
        held: usize,
    ) -> EdgeEdit<'a> {
        let old = &al.edges[1];
        EdgeEdit {
            relation: &al.relations[1],
            source: w.layer("cs").unwrap(),
            derived: w.layer("en").unwrap(),
            old: Some(old),
            held_links: old.links[..held].to_vec(),
            held_ptrs: vec![],
            restate: HashMap::new(),
            beads,
            fill: true,
        }
    }

    #[test]
    fn ids_are_asked_for_reused_by_targets_or_fresh_and_the_rest_is_filled() {
        let (w, al) = parts();
        // Hold a.cs-en.1; cs.s2 ↔ en.s2 en.s3 again (keeps a.cs-en.2), cs.s3 ↔ en.s4 asking for
        // a free id, cs.s4 ↔ en.s5 asking for a held one (keeps the id of the old link with its
        // targets instead), cs.s5 ↔ en.s6 new (a fresh id).
        let mut asks = NewBead::automatic(vec![2], vec![3], 0.5);
        asks.id = Some("mine".into());
        let mut held_id = NewBead::automatic(vec![3], vec![4], 0.5);
        held_id.id = Some("a.cs-en.1".into());
        let beads = vec![
            NewBead::automatic(vec![1], vec![1, 2], 0.7),
            asks,
            held_id,
            NewBead::automatic(vec![4], vec![5], 0.5),
        ];
        let mut ids = IdAlloc::new(&al);
        let built = build_edge(edit(&w, &al, beads, 1), &mut ids);
        let got: Vec<&str> = built.edge.links.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            got,
            ["a.cs-en.1", "a.cs-en.2", "mine", "a.cs-en.4", "a.cs-en.5"]
        );
        assert!(built.uncovered.is_empty());
        assert!(built.edge.unaligned.is_empty());
        // Without the last bead, cs.s5 and en.s6 are uncovered: automatic ptrs with certainty
        // 0, their old ptrs' ids back.
        let mut e = edit(&w, &al, vec![], 4);
        e.fill = true;
        let built = build_edge(e, &mut IdAlloc::new(&al));
        assert_eq!(built.uncovered, ["cs.s5", "en.s6"]);
        let ptrs: Vec<(&str, f64)> = built
            .edge
            .unaligned
            .iter()
            .map(|u| (u.id.as_str(), u.cert))
            .collect();
        assert_eq!(ptrs, [("u.cs-en.1", 0.0), ("u.cs-en.2", 0.0)]);
    }

    #[test]
    fn a_derived_sentence_is_a_source_gap_when_a_gap_lies_anywhere_it_could_stand() {
        let (mut w, al) = parts();
        // en.s6 after the last link (cs.s4 ↔ en.s5) could stand after cs.s4 or after cs.s5.
        let beads = || vec![NewBead::automatic(vec![4], vec![], 0.5)];
        let kind = |w: &crate::model::Work| {
            let mut ids = IdAlloc::new(&al);
            let built = build_edge(edit(w, &al, beads(), 4), &mut ids);
            let u = built.edge.unaligned.iter().find(|u| u.sentence == "en.s6");
            u.map(|u| u.kind)
        };
        assert_eq!(kind(&w), Some(UnalignedKind::DerivedOnly));
        // A gap after cs.s5 (the end of the witness): within reach, whichever order the
        // aligner would have put cs.s5 and en.s6 in.
        w.layers[0].gaps.push(Gap {
            inside: false,
            at: None,
            after: 5,
            block: 2,
            reason: "source-incomplete".into(),
            desc: None,
        });
        assert_eq!(kind(&w), Some(UnalignedKind::SourceGap));
    }

    #[test]
    fn a_source_sentence_is_a_derived_gap_when_the_derived_witness_has_a_gap_in_its_stretch() {
        let (mut w, al) = parts();
        // cs.s5 after the last link (cs.s4 ↔ en.s5) could stand after en.s5 or after en.s6.
        let beads = || vec![NewBead::automatic(vec![4], vec![], 0.5)];
        let kind = |w: &crate::model::Work| {
            let mut ids = IdAlloc::new(&al);
            let built = build_edge(edit(w, &al, beads(), 4), &mut ids);
            let u = built.edge.unaligned.iter().find(|u| u.sentence == "cs.s5");
            u.map(|u| u.kind)
        };
        assert_eq!(kind(&w), Some(UnalignedKind::SourceOnly));
        // The English breaks off inside en.s6: cs.s5 may be what it lost.
        let en = w.layers.iter().position(|l| l.id == "en").unwrap();
        w.layers[en].gaps.push(Gap {
            inside: true,
            after: 6,
            block: 2,
            reason: "source-incomplete".into(),
            desc: None,
            at: None,
        });
        assert_eq!(kind(&w), Some(UnalignedKind::DerivedGap));
        // A gap before the last link excuses nothing after it.
        w.layers[en].gaps[0].after = 2;
        assert_eq!(kind(&w), Some(UnalignedKind::SourceOnly));
    }

    #[test]
    fn a_confirmation_records_its_text_unless_it_repeats_one_made_before() {
        let (w, mut al) = parts();
        let by = |who: &str, digest: Option<&str>| LinkStatus::Verified {
            who: who.into(),
            when: "2026-01-01".into(),
            digest: digest.map(crate::model::ConfirmedText::of_digest),
        };
        // Confirmed before digests were kept: held, its text stays unknown.
        al.edges[1].links[0].status = by("eva", None);
        let built = build_edge(edit(&w, &al, vec![], 1), &mut IdAlloc::new(&al));
        assert_eq!(built.edge.links[0].status.digest(), None);
        // The same confirmation put in again (an import repeating it) keeps what it had.
        let l0 = al.edges[1].links[0].clone();
        let at = |layer: &str, ids: &[String]| -> Vec<usize> {
            let l = w.layer(layer).unwrap();
            ids.iter().map(|id| l.index_of(id).unwrap()).collect()
        };
        let again = |status: LinkStatus| NewBead {
            status,
            ..NewBead::automatic(at("cs", &l0.source), at("en", &l0.derived), 1.0)
        };
        let built = build_edge(
            edit(&w, &al, vec![again(by("eva", None))], 0),
            &mut IdAlloc::new(&al),
        );
        assert_eq!(built.edge.links[0].status.digest(), None);
        al.edges[1].links[0].status = by("eva", Some("0a1b2c3d 00000000"));
        let built = build_edge(
            edit(&w, &al, vec![again(by("eva", None))], 0),
            &mut IdAlloc::new(&al),
        );
        assert_eq!(
            built.edge.links[0].status.digest(),
            Some("0a1b2c3d 00000000")
        );
        // Confirmed now by another hand: the digest of its sentences as they read.
        let built = build_edge(
            edit(&w, &al, vec![again(by("jan", None))], 0),
            &mut IdAlloc::new(&al),
        );
        let idx = crate::model::SentenceIndex::new(&w);
        let texts = l0
            .source
            .iter()
            .chain(&l0.derived)
            .map(|s| idx.text(s).unwrap());
        let want = super::super::digest::digest_of(texts);
        assert_eq!(built.edge.links[0].status.digest(), Some(want.as_str()));
    }

    /// Confirm the held items `ids` of the cs-en edge as `who` at `when`, holding everything.
    fn confirm(
        w: &crate::model::Work,
        al: &WorkAlignment,
        ids: &[&str],
        (who, when): (&str, &str),
    ) -> (EdgeBuilt, IdAlloc) {
        let mut e = edit(w, al, vec![], 4);
        e.held_ptrs = al.edges[1].unaligned.clone();
        e.fill = false;
        let status = LinkStatus::Verified {
            who: who.into(),
            when: when.into(),
            digest: None,
        };
        e.restate = ids
            .iter()
            .map(|id| {
                let r = Restate {
                    status: Some(status.clone()),
                    cert: Some(1.0),
                    anew: true,
                };
                ((*id).to_owned(), r)
            })
            .collect();
        let mut alloc = IdAlloc::new(al);
        (build_edge(e, &mut alloc), alloc)
    }

    #[test]
    fn a_confirmation_of_a_link_whose_sentence_was_split_keeps_every_invariant() {
        let (mut w, mut al) = parts();
        // eva confirms a.cs-en.2 (cs.s2 ↔ en.s2 en.s3) on the texts as they read.
        let (built, _) = confirm(&w, &al, &["a.cs-en.2"], ("eva", "2026-01-01"));
        al.edges[1] = built.edge;
        let eva = al.edges[1].links[1].status.clone();
        assert_eq!(
            eva.confirmed_text().map(|t| t.newest.clone()),
            Some(vec!["cs.s5".to_owned(), "en.s6".to_owned()])
        );
        // Then "This letter." (en.s3) is split: en.s3 keeps "This", "letter." is a new en.s7
        // right after it, which no item of the edge holds.
        let en = w.layers.iter().position(|l| l.id == "en").unwrap();
        w.layers[en].sentences[2].text = "This".into();
        let mut split = w.layers[en].sentences[2].clone();
        split.id = "en.s7".into();
        split.text = "letter.".into();
        w.layers[en].sentences.insert(3, split);
        let before = al.edges[1].clone();
        let mark = IdAlloc::new(&al).mark("a.cs-en.");
        // jan confirms it again, as it stands.
        let (built, mut after) = confirm(&w, &al, &["a.cs-en.2"], ("jan", "2026-02-02"));
        let edge = &built.edge;
        let l = &edge.links[1];
        let jan = l.clone();
        // Its id and targets are kept (the split-off sentence is not taken in), no id is handed
        // out, and no other item changes (en.s7 is not made a ptr: a confirmation says nothing
        // of it).
        assert_eq!(l.id, "a.cs-en.2");
        assert_eq!(
            (&l.source, &l.derived),
            (&before.links[1].source, &before.links[1].derived)
        );
        assert_eq!(after.mark("a.cs-en."), mark);
        assert!(built.uncovered.is_empty());
        assert_eq!(edge.unaligned, before.unaligned);
        for k in [0, 2, 3] {
            assert_eq!(edge.links[k], before.links[k]);
        }
        // It is jan's now, with the editor's certainty, on the texts as they read now: en.s3's
        // new text, and en.s7 as the newest English sentence, so the split is no longer news.
        let LinkStatus::Verified { who, when, digest } = &l.status else {
            panic!("not confirmed: {:?}", l.status);
        };
        assert_eq!(
            (who.as_str(), when.as_str(), l.cert),
            ("jan", "2026-02-02", 1.0)
        );
        let idx = crate::model::SentenceIndex::new(&w);
        let texts = ["cs.s2", "en.s2", "en.s3"].map(|s| idx.text(s).unwrap());
        let text = digest.as_ref().unwrap();
        assert_eq!(text.digest, super::super::digest::digest_of(texts));
        assert_ne!(Some(text), eva.confirmed_text());
        assert_eq!(text.newest, ["cs.s5", "en.s7"]);
        // eva confirming again by hand in the same second records the text she reads now
        // (en.s3 edited), not the one she confirmed a moment before ...
        let (built, _) = confirm(&w, &al, &["a.cs-en.2"], ("eva", "2026-01-01"));
        let again = built.edge.links[1].status.confirmed_text();
        assert_eq!(again.map(|t| &t.digest), Some(&text.digest));
        assert_ne!(again, eva.confirmed_text());
        // ... while an import repeating her confirmation (same person, same time) keeps the
        // text recorded with it.
        let mut e = edit(&w, &al, vec![], 4);
        e.held_ptrs = al.edges[1].unaligned.clone();
        e.fill = false;
        let repeat = Restate {
            status: Some(LinkStatus::Verified {
                who: "eva".into(),
                when: "2026-01-01".into(),
                digest: None,
            }),
            cert: Some(1.0),
            anew: false,
        };
        e.restate = HashMap::from([("a.cs-en.2".to_owned(), repeat)]);
        let built = build_edge(e, &mut IdAlloc::new(&al));
        assert_eq!(built.edge.links[1].status, eva);
        // A certainty alone (an import repeating the link with a score) leaves the status,
        // digest included, as it was.
        let mut e = edit(&w, &al, vec![], 4);
        e.held_ptrs = al.edges[1].unaligned.clone();
        let r = Restate {
            status: None,
            cert: Some(0.5),
            anew: false,
        };
        e.restate = HashMap::from([("a.cs-en.2".to_owned(), r)]);
        let built = build_edge(e, &mut IdAlloc::new(&al));
        assert_eq!(
            (&built.edge.links[1].status, built.edge.links[1].cert),
            (&eva, 0.5)
        );
        // By hand (`link`), the change is recorded under jan's name and the link points at it.
        let mut by_hand = al.clone();
        let ids = crate::review::testdata::ids(&["cs.s2", "en.s2", "en.s3"]);
        crate::review::link(&w, &mut by_hand, &ids, "jan", "2026-02-02").unwrap();
        let change = by_hand.changes.last().unwrap();
        assert_eq!(
            (change.who.as_str(), change.when.as_str()),
            ("jan", "2026-02-02")
        );
        assert_eq!(by_hand.item_changes.get("a.cs-en.2"), Some(&change.id));
        assert!(by_hand.agents.iter().any(|a| a.id == "jan"));
        assert_eq!(by_hand.edges[1].links[1], jan);
    }

    #[test]
    fn fresh_ids_go_above_every_id_the_history_names() {
        let (w, mut al) = parts();
        al.changes[0].desc = "removed a.cs-en.9 (cs.s1 ↔ en.s1).".into();
        let mut ids = IdAlloc::new(&al);
        let beads = vec![NewBead::automatic(vec![0, 1], vec![0, 1, 2], 0.5)];
        let built = build_edge(edit(&w, &al, beads, 0), &mut ids);
        assert_eq!(built.edge.links[0].id, "a.cs-en.10");
        // A file may still ask for a named id: no item holds it.
        assert!(ids.is_free("a.cs-en.9"));
        assert!(!ids.is_free("a.cs-en.10"));
    }
}
