//! Aligning one derivation edge: the aligner between what is held (links and ptrs a person
//! confirmed, and automatic ones no edit disturbed), beads turned into links and ptrs, stable ids.

use super::ProvenanceError;
use super::edit::{EdgeEdit, NewBead, build_edge};
use super::gaps::{WitnessGaps, align_with_gaps, check_cover, split_at_holes};
use super::ids::IdAlloc;
use crate::align::{AlignError, AlignOptions};
use crate::model::{
    Bead, EdgeAlignment, Layer, Link, LinkStatus, Relation, SentenceIndex, Unaligned,
};
use std::collections::{HashMap, HashSet};

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
    let mut ids = IdAlloc::from_ids(confirmed.iter().flat_map(|c| {
        c.links
            .iter()
            .map(|l| l.id.as_str())
            .chain(c.unaligned.iter().map(|u| u.id.as_str()))
    }));
    let run = EdgeRun {
        strict,
        progress,
        embedder: None,
        hold_automatic: false,
    };
    align_edge_with(
        source, derived, relation, confirmed, &run, warnings, &mut ids,
    )
}

/// How to align one edge.
pub(super) struct EdgeRun<'a> {
    /// A confirmed item that no longer fits is an error, not a warning.
    pub strict: bool,
    /// Show the aligner's progress.
    pub progress: bool,
    /// Sentence embeddings, when computed.
    pub embedder: Option<&'a std::sync::Arc<dyn crate::embed::Embedder>>,
    /// Hold the automatic items no edit disturbed ([`undisturbed_automatic`]).
    pub hold_automatic: bool,
}

/// [`align_edge`] with the work's id allocator: decide what to hold, run the aligner between
/// it, and put the beads into the edge with the edge core ([`build_edge`]).
pub(super) fn align_edge_with<'a>(
    source: &'a Layer,
    derived: &'a Layer,
    relation: &Relation,
    confirmed: Option<&EdgeAlignment>,
    run: &EdgeRun<'_>,
    warnings: &mut Vec<String>,
    ids: &mut IdAlloc,
) -> Result<EdgeAlignment, ProvenanceError> {
    let index = |l: &'a Layer| -> HashMap<&'a str, usize> {
        l.sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect()
    };
    let (src_idx, der_idx) = (index(source), index(derived));
    let mut stale = Stale {
        strict: run.strict,
        warnings,
    };
    let mut held = Held::default();
    if let Some(c) = confirmed {
        held = hold_confirmed(c, (source, &src_idx), (derived, &der_idx), &mut stale)?;
        if run.hold_automatic {
            let (links, ptrs) = undisturbed_automatic(
                c,
                (source, &src_idx),
                (derived, &der_idx),
                &held.links,
                (&held.taken_src, &held.taken_der),
            );
            held.links = links;
            held.ptrs.extend(ptrs);
        }
    }
    let beads = aligner_beads(source, derived, relation, &held, run)?;
    let vectors = edge_vectors(source, derived, relation, run)?;
    let edit = beads_to_edit(
        source,
        derived,
        relation,
        confirmed,
        held,
        &beads,
        vectors.as_deref(),
    )?;
    Ok(build_edge(edit, ids).edge)
}

/// With embeddings: the vectors of every source then every derived sentence, for judging
/// partial links by meaning (from the vector cache: the aligner has just embedded them).
fn edge_vectors(
    source: &Layer,
    derived: &Layer,
    relation: &Relation,
    run: &EdgeRun<'_>,
) -> Result<Option<Vec<Vec<f32>>>, ProvenanceError> {
    let Some(e) = run.embedder else {
        return Ok(None);
    };
    if !source.has_text() || derived.sentences.is_empty() {
        return Ok(None);
    }
    let texts: Vec<&str> = source
        .sentences
        .iter()
        .chain(&derived.sentences)
        .map(|s| s.text.as_str())
        .collect();
    e.embed(&texts)
        .map(Some)
        .map_err(|err| ProvenanceError::Align {
            relation: relation.id.clone(),
            source: AlignError::Embed(err),
        })
}

/// Confirmed items that no longer fit: a warning, or an error when strict.
struct Stale<'w> {
    strict: bool,
    warnings: &'w mut Vec<String>,
}

impl Stale<'_> {
    fn report(&mut self, what: String) -> Result<(), ProvenanceError> {
        if self.strict {
            Err(ProvenanceError::StaleLink(what))
        } else {
            self.warnings.push(what);
            Ok(())
        }
    }
}

/// What a re-alignment holds: links (with their beads, sorted, non-crossing) and ptrs, and the
/// sentence positions they take.
#[derive(Default)]
pub(super) struct Held {
    links: Vec<(Bead, Link)>,
    ptrs: Vec<HeldPtr>,
    taken_src: HashSet<usize>,
    taken_der: HashSet<usize>,
}

/// A layer with the positions of its sentence ids.
pub(super) type Indexed<'a> = (&'a Layer, &'a HashMap<&'a str, usize>);

/// The confirmed links and ptrs of the old edge that still hold: every sentence they name
/// still exists, a link joins consecutive sentences, and nothing overlaps or crosses an
/// earlier one. The others are dropped and reported.
fn hold_confirmed(
    c: &EdgeAlignment,
    (source, src_idx): Indexed<'_>,
    (derived, der_idx): Indexed<'_>,
    stale: &mut Stale<'_>,
) -> Result<Held, ProvenanceError> {
    let mut held = Held::default();
    let placed = super::digest::placed(c);
    for l in c.links.iter().filter(|l| l.status != LinkStatus::Automatic) {
        let s: Option<Vec<usize>> = positions(&l.source, src_idx).collect();
        let d: Option<Vec<usize>> = positions(&l.derived, der_idx).collect();
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
            stale.report(format!(
                "confirmed link {} ({} → {}) points at {}, which no longer exist(s); the link was dropped",
                l.id,
                l.source.join(" "),
                l.derived.join(" "),
                missing.join(" ")
            ))?;
            continue;
        };
        let (l, s, d) = take_in_split(l, (s, source), (d, derived), &placed);
        if !consecutive(&s) || !consecutive(&d) || s.is_empty() || d.is_empty() {
            stale.report(format!(
                "confirmed link {} ({} → {}) does not join consecutive sentences of both layers; the link was dropped",
                l.id,
                l.source.join(" "),
                l.derived.join(" ")
            ))?;
            continue;
        }
        if s.iter().any(|i| held.taken_src.contains(i))
            || d.iter().any(|i| held.taken_der.contains(i))
        {
            stale.report(format!(
                "confirmed link {} overlaps another confirmed link; the link was dropped",
                l.id
            ))?;
            continue;
        }
        held.taken_src.extend(s.iter().copied());
        held.taken_der.extend(d.iter().copied());
        let bead = Bead {
            src: s,
            tgt: d,
            confidence: round3(l.cert),
        };
        held.links.push((bead, l));
    }
    hold_confirmed_ptrs(c, (source, src_idx), (derived, der_idx), &mut held, stale)?;
    drop_crossing(&mut held.links, stale)?;
    Ok(held)
}

/// A confirmed link with the sentences that now stand between its sentences taken in (in
/// either layer), when each of them came since the confirmation and no confirmed item places
/// it: text split off one of its sentences (`</s><s>`, `import --resplit`), or added inside
/// it. Dropping the link would lose the person's decision; taken in, it joins consecutive
/// sentences again and keeps its confirmation (who, when, and the text confirmed), and
/// [`super::digest::check_texts`] reports it as confirmed on another text (the sentence taken
/// in is new beside the one it came from) until a person looks at it again.
fn take_in_split(
    l: &Link,
    (s, source): (Vec<usize>, &Layer),
    (d, derived): (Vec<usize>, &Layer),
    placed: &HashSet<&str>,
) -> (Link, Vec<usize>, Vec<usize>) {
    let mut l = l.clone();
    let s = match between(&s, source, &l, placed) {
        Some(all) => {
            l.source = ids_at(source, &all);
            all
        }
        None => s,
    };
    let d = match between(&d, derived, &l, placed) {
        Some(all) => {
            l.derived = ids_at(derived, &all);
            all
        }
        None => d,
    };
    (l, s, d)
}

/// The positions from the first to the last of `at` (a confirmed link's sentences in `layer`,
/// in order but not consecutive), when every sentence between them that is not the link's came
/// since it was confirmed (numbered above the newest sentence of the layer then: ids are never
/// reused) and is not placed by a confirmed item; `None` otherwise, or when the confirmation
/// recorded no newest sentence (then nothing tells what came since).
fn between(at: &[usize], layer: &Layer, l: &Link, placed: &HashSet<&str>) -> Option<Vec<usize>> {
    if consecutive(at) || at.windows(2).any(|w| w[1] <= w[0]) {
        return None;
    }
    let newest = super::digest::newest_number(&l.status.confirmed_text()?.newest, &layer.id)?;
    let (&lo, &hi) = (at.first()?, at.last()?);
    let came_since = |k: usize| {
        let id = layer.sentences[k].id.as_str();
        !placed.contains(id)
            && super::digest::sentence_number(&layer.id, id).is_some_and(|n| n > newest)
    };
    (lo..=hi)
        .all(|k| at.contains(&k) || came_since(k))
        .then(|| (lo..=hi).collect())
}

/// The ids of the sentences of `layer` at `at`.
fn ids_at(layer: &Layer, at: &[usize]) -> Vec<String> {
    at.iter().map(|&k| layer.sentences[k].id.clone()).collect()
}

/// The confirmed ptrs of the old edge that still hold (see [`hold_confirmed`]).
fn hold_confirmed_ptrs(
    c: &EdgeAlignment,
    (source, src_idx): Indexed<'_>,
    (derived, der_idx): Indexed<'_>,
    held: &mut Held,
    stale: &mut Stale<'_>,
) -> Result<(), ProvenanceError> {
    for u in c
        .unaligned
        .iter()
        .filter(|u| u.status != LinkStatus::Automatic)
    {
        let (side_derived, idx) = if u.layer == derived.id {
            (true, der_idx.get(u.sentence.as_str()).copied())
        } else if u.layer == source.id {
            (false, src_idx.get(u.sentence.as_str()).copied())
        } else {
            (false, None)
        };
        let Some(i) = idx else {
            stale.report(format!(
                "confirmed unaligned ptr {} ({} in {}) points at a sentence that no longer exists; it was dropped",
                u.id, u.sentence, u.layer
            ))?;
            continue;
        };
        let taken = if side_derived {
            &mut held.taken_der
        } else {
            &mut held.taken_src
        };
        if !taken.insert(i) {
            stale.report(format!(
                "confirmed unaligned ptr {} ({}) overlaps a confirmed link; it was dropped",
                u.id, u.sentence
            ))?;
            continue;
        }
        held.ptrs.push((side_derived, i, u.clone()));
    }
    Ok(())
}

/// Confirmed links must not cross: keep them in source order and drop any that go back.
fn drop_crossing(
    links: &mut Vec<(Bead, Link)>,
    stale: &mut Stale<'_>,
) -> Result<(), ProvenanceError> {
    links.sort_by_key(|(b, _)| (b.src.first().copied(), b.tgt.first().copied()));
    let mut kept: Vec<(Bead, Link)> = Vec::with_capacity(links.len());
    for (b, l) in links.drain(..) {
        let crosses = kept
            .last()
            .is_some_and(|(p, _)| p.src.last() >= b.src.first() || p.tgt.last() >= b.tgt.first());
        if crosses {
            stale.report(format!(
                "confirmed link {} crosses confirmed link {}; the link was dropped",
                l.id,
                kept.last().map(|(_, p)| p.id.as_str()).unwrap_or("")
            ))?;
            continue;
        }
        kept.push((b, l));
    }
    *links = kept;
    Ok(())
}

fn consecutive(v: &[usize]) -> bool {
    v.windows(2).all(|w| w[1] == w[0] + 1)
}

/// The beads of the edge in layer positions: the aligner run over every sentence no held ptr
/// takes (a confirmed "no counterpart" must not be linked, and has no place the aligner could
/// pin it to), with the held links as fixed beads and a witness's gaps as cut points. With
/// nothing to align against, every sentence stands alone.
fn aligner_beads(
    source: &Layer,
    derived: &Layer,
    relation: &Relation,
    held: &Held,
    run: &EdgeRun<'_>,
) -> Result<Vec<Bead>, ProvenanceError> {
    // (A set: with the automatic ptrs held there may be many.)
    let by_ptr: HashSet<(bool, usize)> = held.ptrs.iter().map(|(d, j, _)| (*d, *j)).collect();
    let src_keep: Vec<usize> = (0..source.sentences.len())
        .filter(|&i| !by_ptr.contains(&(false, i)))
        .collect();
    let der_keep: Vec<usize> = (0..derived.sentences.len())
        .filter(|&j| !by_ptr.contains(&(true, j)))
        .collect();
    if !source.has_text() || derived.sentences.is_empty() {
        let lone = |src: Vec<usize>, tgt: Vec<usize>| Bead {
            src,
            tgt,
            confidence: 1.0,
        };
        let der = der_keep.iter().map(|&j| lone(vec![], vec![j]));
        let src = src_keep
            .iter()
            .filter(|_| derived.has_text())
            .map(|&i| lone(vec![i], vec![]));
        return Ok(der.chain(src).collect());
    }
    let src_pos: HashMap<usize, usize> =
        src_keep.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let der_pos: HashMap<usize, usize> =
        der_keep.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let (src_gaps, der_gaps) = (
        witness_gaps(source, &src_keep),
        witness_gaps(derived, &der_keep),
    );
    let fixed: Vec<Bead> = held
        .links
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
    let blocks =
        |l: &Layer, keep: &[usize]| Some(keep.iter().map(|&i| l.sentences[i].block).collect());
    let opts = AlignOptions {
        src_lang: source.lang.clone(),
        tgt_lang: derived.lang.clone(),
        src_blocks: blocks(source, &src_keep),
        tgt_blocks: blocks(derived, &der_keep),
        fixed,
        progress: run.progress,
        embedder: run.embedder.cloned(),
        ..AlignOptions::default()
    };
    let failed = |source: AlignError| ProvenanceError::Align {
        relation: relation.id.clone(),
        source,
    };
    let raw = align_with_gaps(&src_text, &der_text, &opts, &src_gaps, &der_gaps).map_err(failed)?;
    check_cover(&raw, src_keep.len(), der_keep.len()).map_err(|m| failed(AlignError::Input(m)))?;
    Ok(raw
        .into_iter()
        .flat_map(|b| {
            split_at_holes(Bead {
                src: b.src.iter().map(|&k| src_keep[k]).collect(),
                tgt: b.tgt.iter().map(|&k| der_keep[k]).collect(),
                confidence: b.confidence,
            })
        })
        .collect())
}

/// A witness's gaps counted in the sentences the aligner sees (`keep`: the sentences no held
/// ptr takes), with its sentences that break off inside and those that resume after a gap
/// inside them. A gap at the very start of a sentence's text stands before the sentence: the
/// text resumes there (a fragment, or the end of a lacuna that began mid-sentence).
fn witness_gaps(l: &Layer, keep: &[usize]) -> WitnessGaps {
    let mut w = WitnessGaps::default();
    for g in &l.gaps {
        let starts = g.opens_sentence();
        let k = keep.partition_point(|&i| i < g.position());
        w.at.insert(k);
        if g.inside && keep.get(k.wrapping_sub(usize::from(!starts))) == Some(&(g.after - 1)) {
            if starts {
                w.resumed.insert(k);
            } else {
                w.truncated.insert(k - 1);
            }
        }
    }
    w
}

/// The aligner's beads as an edit of the edge: the held items as they are (a held automatic
/// link re-judged for partiality, like a new one: the layers may have changed, or an older
/// aligner made it; a person's judgement stands), the other beads new. Fails when the aligner
/// lost a held link.
fn beads_to_edit<'a>(
    source: &'a Layer,
    derived: &'a Layer,
    relation: &'a Relation,
    confirmed: Option<&'a EdgeAlignment>,
    held: Held,
    beads: &[Bead],
    vectors: Option<&[Vec<f32>]>,
) -> Result<EdgeEdit<'a>, ProvenanceError> {
    // Partial links: by length (and meaning, with vectors), or because a sentence of the link
    // breaks off inside (it holds a gap: evidence enough).
    fn texts(l: &Layer) -> Vec<&str> {
        l.sentences.iter().map(|s| s.text.as_str()).collect()
    }
    let (st, dt) = (texts(source), texts(derived));
    let by_length = match vectors {
        Some(v) => crate::align::partial::by_meaning(&st, &dt, beads, v),
        None => crate::align::partial::by_length(&st, &dt, beads),
    };
    let mut fixed: HashMap<(Vec<usize>, Vec<usize>), Link> = held
        .links
        .into_iter()
        .map(|(b, l)| ((b.src, b.tgt), l))
        .collect();
    let mut edit = EdgeEdit {
        relation,
        source,
        derived,
        old: confirmed,
        held_links: Vec::with_capacity(fixed.len()),
        held_ptrs: held.ptrs.into_iter().map(|(_, _, u)| u).collect(),
        restate: HashMap::new(),
        beads: Vec::with_capacity(beads.len()),
        fill: false,
    };
    for (b, &by_length) in beads.iter().zip(&by_length) {
        let partial = by_length
            || b.src.iter().any(|&i| source.is_truncated(i))
            || b.tgt.iter().any(|&j| derived.is_truncated(j));
        if let Some(mut l) = fixed.remove(&(b.src.clone(), b.tgt.clone())) {
            // The aligner's judgement of its own bead, before the edge reaches the core.
            if l.status == LinkStatus::Automatic {
                l.partial = partial;
            }
            edit.held_links.push(l);
            continue;
        }
        let mut nb = NewBead::automatic(b.src.clone(), b.tgt.clone(), round3(b.confidence));
        nb.partial = partial && !b.src.is_empty() && !b.tgt.is_empty();
        edit.beads.push(nb);
    }
    // Nothing a person confirmed may get lost on the way through the aligner.
    if let Some(l) = fixed.values().find(|l| l.status != LinkStatus::Automatic) {
        return Err(ProvenanceError::Align {
            relation: relation.id.clone(),
            source: AlignError::Input(format!(
                "the aligner did not keep confirmed link {} as given",
                l.id
            )),
        });
    }
    Ok(edit)
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
    (source, src_idx): Indexed<'_>,
    (derived, der_idx): Indexed<'_>,
    confirmed_links: &[(Bead, Link)],
    taken: (&HashSet<usize>, &HashSet<usize>),
) -> (Vec<(Bead, Link)>, Vec<HeldPtr>) {
    let dis = disturbed(old, (source, src_idx), (derived, der_idx));
    let held_auto = undisturbed_links(old, (src_idx, der_idx), &dis, confirmed_links, taken);
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
            (dis.1[i], taken.1.contains(&i))
        } else {
            (dis.0[i], taken.0.contains(&i))
        };
        if dis || taken || linked.contains(&(side_derived, i)) {
            continue;
        }
        ptrs.push((side_derived, i, u.clone()));
    }
    (links, ptrs)
}

/// The positions of each layer within [`DISTURBED_RADIUS`] of a change (see
/// [`undisturbed_automatic`]).
fn disturbed(
    old: &EdgeAlignment,
    (source, src_idx): Indexed<'_>,
    (derived, der_idx): Indexed<'_>,
) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (source.sentences.len(), derived.sentences.len());
    let (mut named_src, mut named_der) = (vec![false; n], vec![false; m]);
    let mut changed_src: Vec<usize> = Vec::new();
    let mut changed_der: Vec<usize> = Vec::new();
    for l in &old.links {
        let s: Vec<Option<usize>> = positions(&l.source, src_idx).collect();
        let d: Vec<Option<usize>> = positions(&l.derived, der_idx).collect();
        let lost = s.iter().chain(&d).any(Option::is_none);
        for (pos, named, changed) in [
            (&s, &mut named_src, &mut changed_src),
            (&d, &mut named_der, &mut changed_der),
        ] {
            for &i in pos.iter().flatten() {
                named[i] = true;
                if lost {
                    changed.push(i);
                }
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
    let near = |changed: &[usize], len: usize| {
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
    (near(&changed_src, n), near(&changed_der, m))
}

/// The automatic links of `old` that no edit disturbed and that neither overlap nor cross a
/// confirmed link or an earlier held one, sorted.
fn undisturbed_links(
    old: &EdgeAlignment,
    (src_idx, der_idx): (&HashMap<&str, usize>, &HashMap<&str, usize>),
    (dis_src, dis_der): &(Vec<bool>, Vec<bool>),
    confirmed_links: &[(Bead, Link)],
    (taken_src, taken_der): (&HashSet<usize>, &HashSet<usize>),
) -> Vec<(Bead, Link)> {
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
    let mut held: Vec<(Bead, Link)> = Vec::new();
    for (b, l) in auto {
        let bad = held
            .last()
            .is_some_and(|(p, _)| p.src.last() >= b.src.first() || p.tgt.last() >= b.tgt.first());
        if !bad {
            held.push((b, l));
        }
    }
    held
}

/// The span (first, last position) of a list of sentence ids in their layer.
pub(crate) fn span(idx: &SentenceIndex<'_>, ids: &[String]) -> Option<(usize, usize)> {
    let pos: Vec<usize> = ids.iter().filter_map(|id| idx.index(id)).collect();
    Some((*pos.iter().min()?, *pos.iter().max()?))
}
