//! Aligning one derivation edge: the aligner between what is held (links and ptrs a person
//! confirmed, and automatic ones no edit disturbed), beads turned into links and ptrs, stable ids.

use super::ProvenanceError;
use super::gaps::{align_with_gaps, check_cover, split_at_holes};
use super::ids::{max_number, next_fresh};
use crate::align::{AlignError, AlignOptions};
use crate::model::{
    Bead, EdgeAlignment, Layer, Link, LinkStatus, Relation, SentenceIndex, Unaligned, UnalignedKind,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Round a confidence to three decimals: enough for a reader, and stable in the file.
pub(super) fn round3(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
    }
}

/// Align one edge: `source` → `derived` as `relation`. `confirmed` is the existing alignment of
/// this edge, whose verified links and ptrs are kept exactly; automatic ones are recomputed,
/// keeping the id of an existing item with the same targets, new ones numbered above the
/// highest id of the existing edge. Confirmed items that point at sentences that no longer
/// exist are dropped and reported in `warnings` (or are an error when `strict`).
pub fn align_edge(
    source: &Layer,
    derived: &Layer,
    relation: &Relation,
    confirmed: Option<&EdgeAlignment>,
    strict: bool,
    progress: bool,
    warnings: &mut Vec<String>,
) -> Result<EdgeAlignment, ProvenanceError> {
    let mut marks = BTreeMap::new();
    if let Some(c) = confirmed {
        let tag = format!("{}-{}", relation.source, relation.derived);
        for prefix in [format!("a.{tag}"), format!("u.{tag}")] {
            let ids = c
                .links
                .iter()
                .map(|l| l.id.as_str())
                .chain(c.unaligned.iter().map(|u| u.id.as_str()));
            marks.insert(prefix.clone(), max_number(&prefix, ids));
        }
    }
    align_edge_marked(
        source, derived, relation, confirmed, strict, progress, None, false, warnings, &mut marks,
    )
}

/// [`align_edge`] with the id high-water marks of the work (`a.<tag>`, `u.<tag>`), raised as
/// new ids are given.
#[allow(clippy::too_many_arguments)]
pub(super) fn align_edge_marked(
    source: &Layer,
    derived: &Layer,
    relation: &Relation,
    confirmed: Option<&EdgeAlignment>,
    strict: bool,
    progress: bool,
    embedder: Option<&std::sync::Arc<dyn crate::embed::Embedder>>,
    hold_automatic: bool,
    warnings: &mut Vec<String>,
    marks: &mut BTreeMap<String, u64>,
) -> Result<EdgeAlignment, ProvenanceError> {
    let tag = format!("{}-{}", relation.source, relation.derived);
    let src_idx: HashMap<&str, usize> = source
        .sentences
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let der_idx: HashMap<&str, usize> = derived
        .sentences
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();

    // 1. The confirmed items that still hold.
    let mut stale = |what: String| -> Result<(), ProvenanceError> {
        if strict {
            Err(ProvenanceError::StaleLink(what))
        } else {
            warnings.push(what);
            Ok(())
        }
    };
    let mut fixed_links: Vec<(Bead, Link)> = Vec::new();
    let mut fixed_ptrs: Vec<(bool, usize, Unaligned)> = Vec::new(); // (derived side?, index, ptr)
    let mut taken_src: HashSet<usize> = HashSet::new();
    let mut taken_der: HashSet<usize> = HashSet::new();
    if let Some(c) = confirmed {
        for l in &c.links {
            if l.status == LinkStatus::Automatic {
                continue;
            }
            let s: Option<Vec<usize>> = positions(&l.source, &src_idx).collect();
            let d: Option<Vec<usize>> = positions(&l.derived, &der_idx).collect();
            let (Some(s), Some(d)) = (s, d) else {
                let missing: Vec<&str> = l
                    .source
                    .iter()
                    .filter(|x| !src_idx.contains_key(x.as_str()))
                    .chain(
                        l.derived
                            .iter()
                            .filter(|x| !der_idx.contains_key(x.as_str())),
                    )
                    .map(String::as_str)
                    .collect();
                stale(format!(
                    "confirmed link {} ({} → {}) points at {}, which no longer exist(s); the link was dropped",
                    l.id,
                    l.source.join(" "),
                    l.derived.join(" "),
                    missing.join(" ")
                ))?;
                continue;
            };
            let consecutive = |v: &[usize]| v.windows(2).all(|w| w[1] == w[0] + 1);
            if !consecutive(&s) || !consecutive(&d) || s.is_empty() || d.is_empty() {
                stale(format!(
                    "confirmed link {} ({} → {}) does not join consecutive sentences of both layers; the link was dropped",
                    l.id,
                    l.source.join(" "),
                    l.derived.join(" ")
                ))?;
                continue;
            }
            if s.iter().any(|i| taken_src.contains(i)) || d.iter().any(|i| taken_der.contains(i)) {
                stale(format!(
                    "confirmed link {} overlaps another confirmed link; the link was dropped",
                    l.id
                ))?;
                continue;
            }
            taken_src.extend(s.iter().copied());
            taken_der.extend(d.iter().copied());
            fixed_links.push((
                Bead {
                    src: s,
                    tgt: d,
                    confidence: round3(l.cert),
                },
                l.clone(),
            ));
        }
        for u in &c.unaligned {
            if u.status == LinkStatus::Automatic {
                continue;
            }
            let (side_derived, idx) = if u.layer == derived.id {
                (true, der_idx.get(u.sentence.as_str()).copied())
            } else if u.layer == source.id {
                (false, src_idx.get(u.sentence.as_str()).copied())
            } else {
                (false, None)
            };
            let Some(i) = idx else {
                stale(format!(
                    "confirmed unaligned ptr {} ({} in {}) points at a sentence that no longer exists; it was dropped",
                    u.id, u.sentence, u.layer
                ))?;
                continue;
            };
            let taken = if side_derived {
                &mut taken_der
            } else {
                &mut taken_src
            };
            if !taken.insert(i) {
                stale(format!(
                    "confirmed unaligned ptr {} ({}) overlaps a confirmed link; it was dropped",
                    u.id, u.sentence
                ))?;
                continue;
            }
            fixed_ptrs.push((side_derived, i, u.clone()));
        }
    }
    // Confirmed links must not cross: keep them in source order and drop any that go back.
    fixed_links.sort_by_key(|(b, _)| (b.src.first().copied(), b.tgt.first().copied()));
    let mut kept: Vec<(Bead, Link)> = Vec::new();
    for (b, l) in fixed_links {
        let crosses = kept
            .last()
            .is_some_and(|(p, _)| p.src.last() >= b.src.first() || p.tgt.last() >= b.tgt.first());
        if crosses {
            stale(format!(
                "confirmed link {} crosses confirmed link {}; the link was dropped",
                l.id,
                kept.last().map(|(_, p)| p.id.as_str()).unwrap_or("")
            ))?;
            continue;
        }
        kept.push((b, l));
    }
    let mut fixed_links = kept;
    if hold_automatic && let Some(c) = confirmed {
        let (links, ptrs) = undisturbed_automatic(
            c,
            (source, &src_idx),
            (derived, &der_idx),
            &fixed_links,
            (&taken_src, &taken_der),
        );
        fixed_links = links;
        fixed_ptrs.extend(ptrs);
    }

    // 2. The sentences the aligner sees: all but those held by confirmed ptrs (a confirmed
    // "no counterpart" must not be linked, and has no place the aligner could pin it to).
    // (A set: with the automatic ptrs held there may be many.)
    let held: HashSet<(bool, usize)> = fixed_ptrs.iter().map(|(d, j, _)| (*d, *j)).collect();
    let src_keep: Vec<usize> = (0..source.sentences.len())
        .filter(|&i| !held.contains(&(false, i)))
        .collect();
    let der_keep: Vec<usize> = (0..derived.sentences.len())
        .filter(|&j| !held.contains(&(true, j)))
        .collect();
    let src_pos: HashMap<usize, usize> =
        src_keep.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let der_pos: HashMap<usize, usize> =
        der_keep.iter().enumerate().map(|(k, i)| (*i, k)).collect();

    // Gap positions in the source, counted in the sentences the aligner sees.
    let gap_kept: BTreeSet<usize> = source
        .gaps
        .iter()
        .map(|g| src_keep.iter().filter(|&&i| i < g.after).count())
        .collect();
    let beads: Vec<Bead> = if !source.has_text() || derived.sentences.is_empty() {
        // Nothing to align against: every kept derived sentence is a source gap (below).
        der_keep
            .iter()
            .map(|&j| Bead {
                src: vec![],
                tgt: vec![j],
                confidence: 1.0,
            })
            .chain(
                src_keep
                    .iter()
                    .filter(|_| derived.has_text())
                    .map(|&i| Bead {
                        src: vec![i],
                        tgt: vec![],
                        confidence: 1.0,
                    }),
            )
            .collect()
    } else {
        let fixed: Vec<Bead> = fixed_links
            .iter()
            .map(|(b, _)| Bead {
                src: b.src.iter().map(|i| src_pos[i]).collect(),
                tgt: b.tgt.iter().map(|i| der_pos[i]).collect(),
                confidence: b.confidence,
            })
            .collect();
        let src_text: Vec<&str> = src_keep
            .iter()
            .map(|&i| source.sentences[i].text.as_str())
            .collect();
        let der_text: Vec<&str> = der_keep
            .iter()
            .map(|&i| derived.sentences[i].text.as_str())
            .collect();
        let opts = AlignOptions {
            src_lang: source.lang.clone(),
            tgt_lang: derived.lang.clone(),
            src_blocks: Some(
                src_keep
                    .iter()
                    .map(|&i| source.sentences[i].block)
                    .collect(),
            ),
            tgt_blocks: Some(
                der_keep
                    .iter()
                    .map(|&i| derived.sentences[i].block)
                    .collect(),
            ),
            fixed,
            progress,
            embedder: embedder.cloned(),
            ..AlignOptions::default()
        };
        let raw = align_with_gaps(&src_text, &der_text, &opts, &gap_kept).map_err(|source| {
            ProvenanceError::Align {
                relation: relation.id.clone(),
                source,
            }
        })?;
        check_cover(&raw, src_keep.len(), der_keep.len()).map_err(|msg| {
            ProvenanceError::Align {
                relation: relation.id.clone(),
                source: AlignError::Input(msg),
            }
        })?;
        raw.into_iter()
            .flat_map(|b| {
                split_at_holes(Bead {
                    src: b.src.iter().map(|&k| src_keep[k]).collect(),
                    tgt: b.tgt.iter().map(|&k| der_keep[k]).collect(),
                    confidence: b.confidence,
                })
            })
            .collect()
    };

    // 3. Beads → links and ptrs. A 0-1 bead is a source gap when the source has no text, or
    // when it stands where the source has a <gap> (after the source sentences consumed so far).
    let fixed_by_bead: HashMap<(Vec<usize>, Vec<usize>), &Link> = fixed_links
        .iter()
        .map(|(b, l)| ((b.src.clone(), b.tgt.clone()), l))
        .collect();
    let mut links: Vec<Link> = Vec::new();
    // (derived side?, sentence index, ptr)
    let mut ptrs: Vec<(bool, usize, Unaligned)> = fixed_ptrs;
    // Partial links: by length, or because a sentence of the link breaks off inside (it
    // holds a gap: evidence enough).
    let by_length = crate::align::partial::by_length(
        &source
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>(),
        &derived
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>(),
        &beads,
    );
    let mut consumed_src = 0usize;
    for (b, &by_length) in beads.iter().zip(&by_length) {
        if let Some(k) = b.src.last().and_then(|i| src_pos.get(i)) {
            consumed_src = consumed_src.max(k + 1);
        }
        let partial = by_length
            || b.src.iter().any(|&i| source.is_truncated(i))
            || b.tgt.iter().any(|&j| derived.is_truncated(j));
        if let Some(l) = fixed_by_bead.get(&(b.src.clone(), b.tgt.clone())) {
            let mut l = (*l).clone();
            // A held automatic link is re-judged like a new one (the layers may have changed,
            // or an older aligner made it); a person's judgement stands.
            if l.status == LinkStatus::Automatic {
                l.partial = partial;
            }
            links.push(l);
            continue;
        }
        let cert = round3(b.confidence);
        match (b.src.is_empty(), b.tgt.is_empty()) {
            (false, false) => links.push(Link {
                id: String::new(),
                source: b
                    .src
                    .iter()
                    .map(|&i| source.sentences[i].id.clone())
                    .collect(),
                derived: b
                    .tgt
                    .iter()
                    .map(|&j| derived.sentences[j].id.clone())
                    .collect(),
                cert,
                status: LinkStatus::Automatic,
                partial,
            }),
            (false, true) => {
                for &i in &b.src {
                    ptrs.push((
                        false,
                        i,
                        Unaligned {
                            id: String::new(),
                            kind: UnalignedKind::SourceOnly,
                            layer: source.id.clone(),
                            sentence: source.sentences[i].id.clone(),
                            cert,
                            status: LinkStatus::Automatic,
                        },
                    ));
                }
            }
            (true, false) => {
                let in_gap = !source.has_text() || gap_kept.contains(&consumed_src);
                for &j in &b.tgt {
                    ptrs.push((
                        true,
                        j,
                        Unaligned {
                            id: String::new(),
                            kind: if in_gap {
                                UnalignedKind::SourceGap
                            } else {
                                UnalignedKind::DerivedOnly
                            },
                            layer: derived.id.clone(),
                            sentence: derived.sentences[j].id.clone(),
                            // No text at all: certainly no counterpart to be found.
                            cert: if source.has_text() { cert } else { 1.0 },
                            status: LinkStatus::Automatic,
                        },
                    ));
                }
            }
            (true, true) => {}
        }
    }
    // Nothing a person confirmed may get lost on the way through the aligner.
    for (_, l) in &fixed_links {
        if !links.iter().any(|x| x.id == l.id && x.status == l.status) {
            return Err(ProvenanceError::Align {
                relation: relation.id.clone(),
                source: AlignError::Input(format!(
                    "the aligner did not keep confirmed link {} as given",
                    l.id
                )),
            });
        }
    }
    // 4. Stable ids. Confirmed items keep theirs. An automatic item whose targets are exactly
    // those of an item of the existing alignment keeps that item's id, so an id cited elsewhere
    // (a change, a paper, an editor's notes) keeps naming the same link. Anything else gets a
    // number above the edge's high-water mark, so an id that once named a link never names a
    // different one. With no existing alignment the marks are 0: ids run from 1 in order.
    let (a_prefix, u_prefix) = (format!("a.{tag}"), format!("u.{tag}"));
    let mut used: HashSet<String> = links
        .iter()
        .map(|l| l.id.clone())
        .chain(ptrs.iter().map(|(_, _, u)| u.id.clone()))
        .filter(|id| !id.is_empty())
        .collect();
    let old_links: HashMap<(&[String], &[String]), &str> = confirmed
        .map(|c| {
            c.links
                .iter()
                .map(|l| ((l.source.as_slice(), l.derived.as_slice()), l.id.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let old_ptrs: HashMap<(&str, &str), &str> = confirmed
        .map(|c| {
            c.unaligned
                .iter()
                .map(|u| ((u.layer.as_str(), u.sentence.as_str()), u.id.as_str()))
                .collect()
        })
        .unwrap_or_default();
    for l in &mut links {
        if !l.id.is_empty() {
            continue;
        }
        let reuse = old_links
            .get(&(l.source.as_slice(), l.derived.as_slice()))
            .filter(|id| !used.contains(**id))
            .map(|id| id.to_string());
        l.id = reuse.unwrap_or_else(|| next_fresh(&a_prefix, marks, &used));
        used.insert(l.id.clone());
    }
    // Ptrs in document order: source-side ones first (by source index), then derived-side ones.
    ptrs.sort_by_key(|(d, i, _)| (*d, *i));
    let mut unaligned: Vec<Unaligned> = Vec::with_capacity(ptrs.len());
    for (_, _, mut u) in ptrs {
        if u.id.is_empty() {
            let reuse = old_ptrs
                .get(&(u.layer.as_str(), u.sentence.as_str()))
                .filter(|id| !used.contains(**id))
                .map(|id| id.to_string());
            u.id = reuse.unwrap_or_else(|| next_fresh(&u_prefix, marks, &used));
            used.insert(u.id.clone());
        }
        unaligned.push(u);
    }
    Ok(EdgeAlignment {
        relation: relation.id.clone(),
        links,
        unaligned,
    })
}

/// A ptr held through a re-alignment: (on the derived side?, sentence index, the ptr).
pub(super) type HeldPtr = (bool, usize, Unaligned);

/// The positions of sentence ids in a layer (`None` for an id the layer no longer has).
pub(super) fn positions<'a>(
    ids: &'a [String],
    index: &'a HashMap<&str, usize>,
) -> impl Iterator<Item = Option<usize>> + 'a {
    ids.iter().map(|x| index.get(x.as_str()).copied())
}

/// Positions within this many sentences of an edit count as disturbed: their automatic items
/// are re-aligned rather than held.
pub(super) const DISTURBED_RADIUS: usize = 2;

/// The confirmed links `confirmed_links` (sorted, non-crossing) merged with the automatic links of
/// the existing edge `old` that no edit disturbed, and the undisturbed automatic ptrs, as
/// (derived side?, index, ptr). Undisturbed: every sentence the item names still exists, and none
/// lies within [`DISTURBED_RADIUS`] sentences of a change. A change is a sentence no item of the
/// edge names (new), or a surviving sentence of an item that lost one (deleted, split, merged).
/// Why hold them: the aligner re-run over everything usually gives the same beads in unchanged
/// regions, but nothing guarantees it, and an editor who reviewed a stretch must not find it
/// re-aligned because a sentence changed pages away. An automatic item that overlaps or crosses
/// a confirmed one is not held (the confirmed one wins), nor one that crosses a held one.
pub(super) fn undisturbed_automatic(
    old: &EdgeAlignment,
    (source, src_idx): (&Layer, &HashMap<&str, usize>),
    (derived, der_idx): (&Layer, &HashMap<&str, usize>),
    confirmed_links: &[(Bead, Link)],
    (taken_src, taken_der): (&HashSet<usize>, &HashSet<usize>),
) -> (Vec<(Bead, Link)>, Vec<HeldPtr>) {
    let (n, m) = (source.sentences.len(), derived.sentences.len());
    let mut named_src = vec![false; n];
    let mut named_der = vec![false; m];
    let mut changed_src: Vec<usize> = Vec::new();
    let mut changed_der: Vec<usize> = Vec::new();
    for l in &old.links {
        let s: Vec<Option<usize>> = positions(&l.source, src_idx).collect();
        let d: Vec<Option<usize>> = positions(&l.derived, der_idx).collect();
        let lost = s.iter().chain(&d).any(Option::is_none);
        for &i in s.iter().flatten() {
            named_src[i] = true;
            if lost {
                changed_src.push(i);
            }
        }
        for &j in d.iter().flatten() {
            named_der[j] = true;
            if lost {
                changed_der.push(j);
            }
        }
    }
    for u in &old.unaligned {
        if u.layer == source.id {
            if let Some(&i) = src_idx.get(u.sentence.as_str()) {
                named_src[i] = true;
            }
        } else if u.layer == derived.id
            && let Some(&j) = der_idx.get(u.sentence.as_str())
        {
            named_der[j] = true;
        }
    }
    changed_src.extend((0..n).filter(|&i| !named_src[i]));
    changed_der.extend((0..m).filter(|&j| !named_der[j]));
    let disturbed = |changed: &[usize], len: usize| {
        let mut d = vec![false; len];
        for &c in changed {
            let hi = (c + DISTURBED_RADIUS).min(len.saturating_sub(1));
            for x in d
                .iter_mut()
                .take(hi + 1)
                .skip(c.saturating_sub(DISTURBED_RADIUS))
            {
                *x = true;
            }
        }
        d
    };
    let (dis_src, dis_der) = (disturbed(&changed_src, n), disturbed(&changed_der, m));

    let consecutive = |v: &[usize]| v.windows(2).all(|w| w[1] == w[0] + 1);
    let crosses =
        |a: &Bead, b: &Bead| (a.src.first() < b.src.first()) != (a.tgt.first() < b.tgt.first());
    let mut auto: Vec<(Bead, Link)> = Vec::new();
    for l in old
        .links
        .iter()
        .filter(|l| l.status == LinkStatus::Automatic)
    {
        let s: Option<Vec<usize>> = positions(&l.source, src_idx).collect();
        let d: Option<Vec<usize>> = positions(&l.derived, der_idx).collect();
        let (Some(s), Some(d)) = (s, d) else { continue };
        if s.is_empty()
            || d.is_empty()
            || !consecutive(&s)
            || !consecutive(&d)
            || s.iter().any(|&i| dis_src[i] || taken_src.contains(&i))
            || d.iter().any(|&j| dis_der[j] || taken_der.contains(&j))
        {
            continue;
        }
        let b = Bead {
            src: s,
            tgt: d,
            confidence: round3(l.cert),
        };
        // The confirmed links are sorted and non-crossing (their targets ascend too): only the
        // two around `b` can cross it.
        let k = confirmed_links.partition_point(|(c, _)| c.src.first() < b.src.first());
        let around = &confirmed_links[k.saturating_sub(1)..(k + 1).min(confirmed_links.len())];
        if around.iter().any(|(c, _)| crosses(c, &b)) {
            continue;
        }
        auto.push((b, l.clone()));
    }
    auto.sort_by_key(|(b, _)| (b.src.first().copied(), b.tgt.first().copied()));
    let mut held_auto: Vec<(Bead, Link)> = Vec::new();
    for (b, l) in auto {
        let bad = held_auto
            .last()
            .is_some_and(|(p, _)| p.src.last() >= b.src.first() || p.tgt.last() >= b.tgt.first());
        if !bad {
            held_auto.push((b, l));
        }
    }
    let mut links: Vec<(Bead, Link)> = confirmed_links.to_vec();
    links.extend(held_auto);
    links.sort_by_key(|(b, _)| (b.src.first().copied(), b.tgt.first().copied()));

    let linked: HashSet<(bool, usize)> = links
        .iter()
        .flat_map(|(b, _)| {
            let s = b.src.iter().map(|&i| (false, i));
            s.chain(b.tgt.iter().map(|&j| (true, j)))
        })
        .collect();
    let in_links = |side_derived: bool, i: usize| linked.contains(&(side_derived, i));
    let mut ptrs = Vec::new();
    for u in old
        .unaligned
        .iter()
        .filter(|u| u.status == LinkStatus::Automatic)
    {
        let (side_derived, idx) = if u.layer == derived.id {
            (true, der_idx.get(u.sentence.as_str()).copied())
        } else if u.layer == source.id {
            (false, src_idx.get(u.sentence.as_str()).copied())
        } else {
            continue;
        };
        let Some(i) = idx else { continue };
        let (dis, taken) = if side_derived {
            (dis_der[i], taken_der.contains(&i))
        } else {
            (dis_src[i], taken_src.contains(&i))
        };
        if dis || taken || in_links(side_derived, i) {
            continue;
        }
        ptrs.push((side_derived, i, u.clone()));
    }
    (links, ptrs)
}

/// The span (first, last position) of a list of sentence ids in their layer.
pub(crate) fn span(idx: &SentenceIndex<'_>, ids: &[String]) -> Option<(usize, usize)> {
    let pos: Vec<usize> = ids.iter().filter_map(|id| idx.index(id)).collect();
    Some((*pos.iter().min()?, *pos.iter().max()?))
}

/// Sort the links and ptrs of an edge into document order (by their first sentence, source side
/// first), so that the written file reads in order.
pub fn sort_edge(idx: &SentenceIndex<'_>, rel: &Relation, edge: &mut EdgeAlignment) {
    let key_link = |l: &Link| {
        (
            span(idx, &l.source).map_or(usize::MAX, |s| s.0),
            span(idx, &l.derived).map_or(usize::MAX, |s| s.0),
        )
    };
    edge.links.sort_by_key(key_link);
    // Ptrs go by their own layer's order; source-side ptrs first.
    edge.unaligned.sort_by_key(|u| {
        (
            u.layer != rel.source,
            idx.index(&u.sentence).unwrap_or(usize::MAX),
        )
    });
}

/// The kind of a derived sentence without counterpart: a source gap when the source witness
/// has no text, or has a `<gap>` exactly where the sentence stands (after the source sentences
/// linked before it); otherwise an addition (derived-only).
pub fn derived_unaligned_kind(
    idx: &SentenceIndex<'_>,
    rel: &Relation,
    links: &[Link],
    derived_id: &str,
) -> UnalignedKind {
    let Some(src) = idx.work().layer(&rel.source) else {
        return UnalignedKind::SourceGap;
    };
    if !src.has_text() {
        return UnalignedKind::SourceGap;
    }
    let Some(d) = idx.index(derived_id) else {
        return UnalignedKind::DerivedOnly;
    };
    let consumed = links
        .iter()
        .filter(|l| {
            l.derived
                .first()
                .and_then(|x| idx.index(x))
                .is_some_and(|j| j < d)
        })
        .filter_map(|l| l.source.last().and_then(|x| idx.index(x)))
        .max()
        .map_or(0, |m| m + 1);
    if src.gaps.iter().any(|g| g.after == consumed) {
        UnalignedKind::SourceGap
    } else {
        UnalignedKind::DerivedOnly
    }
}
