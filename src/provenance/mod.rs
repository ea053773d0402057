//! The derivation graph of a work and the composition of pairwise beads into N-way segments,
//! each with its provenance chain.
//!
//! - [`derivation_graph`] turns the layers' `derivation` fields into [`Relation`]s (edges source →
//!   derived), rejecting cycles, missing sources and duplicate layer ids. Any forest works: a chain
//!   (ru → cs → en), a tree (en → ru, en → cs), several originals.
//! - [`align_edge`] aligns one edge with [`crate::align::align`] (block indices as soft anchors)
//!   and turns the beads into [`Link`]s and [`Unaligned`] ptrs. A 0-1 bead whose derived sentence
//!   stands where the source witness has a `<gap>` is a `source-gap`, not an addition; a source
//!   layer without any text gives no links, only `source-gap` ptrs. Links and ptrs confirmed by a
//!   person are kept exactly and the aligner aligns only between them.
//! - [`compose`] joins the pairwise links of all edges into N-way [`Segment`]s (connected
//!   components), in document order, each with its chain of link and ptr ids.
//! - [`align_work`] does all of it for a work, keeping the history of an existing alignment so
//!   that re-running on unchanged input gives the same alignment (and the same file).
//! - Ids are stable: on re-alignment a link, ptr or segment with exactly the targets of an
//!   existing one keeps its id; new ones are numbered above the high-water marks kept in the file
//!   ([`WorkAlignment::id_high_water`], see [`high_water`]), so an id is never reused.

use crate::align::{AlignError, AlignOptions};
use crate::model::{
    Agent, Bead, Change, EdgeAlignment, Layer, Link, LinkStatus, Relation, Segment, Unaligned,
    UnalignedKind, Work, WorkAlignment,
};
use crate::tei::standoff::{TOOL_ID, derivation_order};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Errors in the derivation graph or the composition.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    /// The graph is not what it must be (kept for callers that build their own messages).
    #[error("{0}")]
    Graph(String),
    /// Two layers of a work have the same id.
    #[error("{path}: layer id \"{id}\" is used by more than one layer")]
    DuplicateLayer {
        /// The duplicated id.
        id: String,
        /// The file of the second layer with that id.
        path: String,
    },
    /// A layer names a source layer the work does not have.
    #[error(
        "{path}: layer \"{layer}\" is derived from \"{source_layer}\", but the work has no layer \"{source_layer}\""
    )]
    MissingSource {
        /// The derived layer.
        layer: String,
        /// The source it names.
        source_layer: String,
        /// The derived layer's file.
        path: String,
    },
    /// The derivation graph has a cycle.
    #[error("{path}: the derivation graph has a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The layers of the cycle, the first repeated at the end.
        cycle: Vec<String>,
        /// The file of the first layer of the cycle.
        path: String,
    },
    /// A confirmed link points at a sentence that no longer exists (only with `strict`).
    #[error("{0}")]
    StaleLink(String),
    /// The alignment file could not be written.
    #[error(transparent)]
    Tei(#[from] crate::tei::TeiError),
    /// The existing alignment file cannot be read; it holds confirmed work, so it is left alone.
    #[error(
        "cannot re-align: the existing alignment is unreadable (fix it, or use --fresh to start over and lose its confirmed links): {0}"
    )]
    Unreadable(crate::tei::TeiError),
    /// The aligner failed on an edge.
    #[error("aligning {relation}: {source}")]
    Align {
        /// The relation id.
        relation: String,
        /// The aligner's error.
        source: AlignError,
    },
}

/// How to align a work.
#[derive(Debug, Clone, Default)]
pub struct WorkOptions {
    /// Date (ISO 8601) recorded in a new `<change>`; today (UTC) when `None`.
    pub when: Option<String>,
    /// Make a confirmed link that points at a missing sentence an error instead of a warning.
    pub strict: bool,
    /// Show the aligner's progress bar on long inputs.
    pub progress: bool,
    /// Re-align every automatic item (e.g. for a new aligner version). By default (false) the
    /// automatic items of the existing alignment that no edit of the texts disturbed are kept
    /// as they are, and only the neighbourhood of an edit is re-aligned.
    pub full: bool,
}

/// The result of aligning a work.
#[derive(Debug, Clone)]
pub struct WorkReport {
    /// The alignment to write.
    pub alignment: WorkAlignment,
    /// Problems worth telling the user (e.g. confirmed links dropped because their sentence is
    /// gone), one line each, naming the link.
    pub warnings: Vec<String>,
    /// False when the alignment is the same as the existing one (nothing to record).
    pub changed: bool,
}

/// The relation id of an edge: `rel.<source>-<derived>`.
pub fn relation_id(source: &str, derived: &str) -> String {
    format!("rel.{source}-{derived}")
}

/// The derivation graph of a work: one [`Relation`] per derived layer, in derivation order
/// (sources before what was derived from them). Errors for duplicate layer ids, a missing source
/// layer, and cycles.
pub fn derivation_graph(work: &Work) -> Result<Vec<Relation>, ProvenanceError> {
    let mut seen = HashSet::new();
    for l in &work.layers {
        if !seen.insert(l.id.as_str()) {
            return Err(ProvenanceError::DuplicateLayer {
                id: l.id.clone(),
                path: l.path.display().to_string(),
            });
        }
    }
    let by_id: HashMap<&str, &Layer> = work.layers.iter().map(|l| (l.id.as_str(), l)).collect();
    for l in &work.layers {
        if let Some(d) = l
            .derivations
            .iter()
            .find(|d| !by_id.contains_key(d.source.as_str()))
        {
            return Err(ProvenanceError::MissingSource {
                layer: l.id.clone(),
                source_layer: d.source.clone(),
                path: l.path.display().to_string(),
            });
        }
    }
    // A layer may have several sources, so the graph is a DAG, not a forest: a depth-first
    // search over derived → source edges finds a cycle (deterministic: layers in id order).
    let mut back: Vec<(String, String)> = work
        .layers
        .iter()
        .flat_map(|l| l.sources().map(|s| (l.id.clone(), s.to_owned())))
        .collect();
    back.sort();
    if let Some(found) = crate::check::find_cycle(&back) {
        // `found` follows sources (derived → source, first repeated at the end); show it
        // source → derived.
        let cycle: Vec<String> = found.into_iter().rev().collect();
        let first = by_id
            .get(cycle[0].as_str())
            .map(|l| l.path.display().to_string())
            .unwrap_or_default();
        return Err(ProvenanceError::Cycle { cycle, path: first });
    }
    let mut relations: Vec<Relation> = work
        .layers
        .iter()
        .flat_map(|l| {
            l.derivations.iter().map(|d| Relation {
                id: relation_id(&d.source, &l.id),
                source: d.source.clone(),
                derived: l.id.clone(),
                kind: d.kind.clone(),
                resp: d.resp.clone(),
                when: d.when.clone(),
            })
        })
        .collect();
    // The same source named twice in one header would make two edges with one id.
    relations.dedup_by(|a, b| a.id == b.id);
    let order = layer_order(work, &relations);
    let rank = |id: &str| order.iter().position(|o| o == id).unwrap_or(usize::MAX);
    relations.sort_by_key(|r| (rank(&r.derived), rank(&r.source)));
    Ok(relations)
}

/// The layer ids of a work in derivation order (originals first, ties by id).
pub fn layer_order(work: &Work, relations: &[Relation]) -> Vec<String> {
    let ids: Vec<String> = work.layers.iter().map(|l| l.id.clone()).collect();
    derivation_order(&ids, relations)
}

/// Round a confidence to three decimals: enough for a reader, and stable in the file.
fn round3(x: f64) -> f64 {
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
        source, derived, relation, confirmed, strict, progress, false, warnings, &mut marks,
    )
}

/// The number of an id `<prefix>.<n>`, if it has that form.
fn id_number(prefix: &str, id: &str) -> Option<u64> {
    id.strip_prefix(prefix)?.strip_prefix('.')?.parse().ok()
}

/// The highest number among ids `<prefix>.<n>` (0 if none).
fn max_number<'a>(prefix: &str, ids: impl IntoIterator<Item = &'a str>) -> u64 {
    ids.into_iter()
        .filter_map(|id| id_number(prefix, id))
        .max()
        .unwrap_or(0)
}

/// The next id `<prefix>.<n>` above the prefix's high-water mark (raising the mark), skipping
/// any id in `used`.
fn next_fresh(prefix: &str, marks: &mut BTreeMap<String, u64>, used: &HashSet<String>) -> String {
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
fn keep_segment_ids(segments: &mut [Segment], old: &[Segment], mark: &mut u64) {
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

/// [`align_edge`] with the id high-water marks of the work (`a.<tag>`, `u.<tag>`), raised as
/// new ids are given.
#[allow(clippy::too_many_arguments)]
fn align_edge_marked(
    source: &Layer,
    derived: &Layer,
    relation: &Relation,
    confirmed: Option<&EdgeAlignment>,
    strict: bool,
    progress: bool,
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
    // Partial links: by length (on the texts the aligner saw), or because a sentence of the
    // link breaks off inside (it holds a gap: evidence enough).
    let partial = crate::align::partial::by_length(
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
    for (b, &by_length) in beads.iter().zip(&partial) {
        if let Some(k) = b.src.last().and_then(|i| src_pos.get(i)) {
            consumed_src = consumed_src.max(k + 1);
        }
        let partial = by_length
            || b.src.iter().any(|&i| source.is_truncated(i))
            || b.tgt.iter().any(|&j| derived.is_truncated(j));
        if let Some(l) = fixed_by_bead.get(&(b.src.clone(), b.tgt.clone())) {
            let mut l = (*l).clone();
            // A held automatic link is re-judged like a new one (the layers may have changed,
            // or it was made by an older aligner); a person's judgement stands.
            if l.status == LinkStatus::Automatic {
                l.partial = partial;
            }
            links.push(l);
            continue;
        }
        let cert = round3(b.confidence);
        match (b.src.is_empty(), b.tgt.is_empty()) {
            (false, false) => links.push(Link {
                partial,
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
type HeldPtr = (bool, usize, Unaligned);

/// The positions of sentence ids in a layer (`None` for an id the layer no longer has).
fn positions<'a>(
    ids: &'a [String],
    index: &'a HashMap<&str, usize>,
) -> impl Iterator<Item = Option<usize>> + 'a {
    ids.iter().map(|x| index.get(x.as_str()).copied())
}

/// Positions within this many sentences of an edit count as disturbed: their automatic items
/// are re-aligned rather than held.
const DISTURBED_RADIUS: usize = 2;

/// The confirmed links `confirmed_links` (sorted, non-crossing) merged with the automatic links of
/// the existing edge `old` that no edit disturbed, and the undisturbed automatic ptrs, as
/// (derived side?, index, ptr). Undisturbed: every sentence the item names still exists, and none
/// lies within [`DISTURBED_RADIUS`] sentences of a change. A change is a sentence no item of the
/// edge names (new), or a surviving sentence of an item that lost one (deleted, split, merged).
/// Why hold them: the aligner re-run over everything usually gives the same beads in unchanged
/// regions, but nothing guarantees it, and an editor who reviewed a stretch must not find it
/// re-aligned because a sentence changed pages away. An automatic item that overlaps or crosses
/// a confirmed one is not held (the confirmed one wins), nor one that crosses a held one.
fn undisturbed_automatic(
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

/// Sentences per side up to which every cut point is tried; beyond, a coarse grid is refined.
const CUT_EXHAUSTIVE: usize = 200;

/// Most alignments tried to place a part of the derived text that lies between two gaps of
/// the source (every start and end pair); beyond, start and end are settled in turn.
const JOINT_CUT_BUDGET: usize = 5000;

/// Align `src` with `tgt` where the source witness has gaps: `gaps` are positions in `src`
/// (0 = before the first sentence, `src.len()` = after the last). The derived sentences that
/// stand in a gap are left out of the alignment and come back as 0-1 beads at the gap.
///
/// Why: the aligner expects both texts to cover the same content, and estimates their length
/// ratio from the totals. When the source breaks off (the Czech letter ends mid-word while the
/// English goes on for a paragraph and five signatures) or loses a passage, that assumption
/// drags the surplus derived sentences into the neighbouring beads. So the derived text is cut
/// where the alignment of each part is most convincing: the cut maximising the mean confidence
/// of its beads (a cut too early crams source sentences together, a cut too late crams derived
/// ones; both lower the confidence). Confirmed (fixed) beads are never cut through.
///
/// Limits: a part of only one or two source sentences between two gaps is placed unreliably
/// (the aligner estimates the length ratio from the part itself, so length says little there);
/// an editor should confirm such links by hand.
fn align_with_gaps(
    src: &[&str],
    tgt: &[&str],
    opts: &AlignOptions,
    gaps: &BTreeSet<usize>,
) -> Result<Vec<Bead>, AlignError> {
    let (n, m) = (src.len(), tgt.len());
    if gaps.is_empty() || n == 0 || m == 0 {
        return crate::align::align(src, tgt, opts);
    }
    let inner: Vec<usize> = gaps.iter().copied().filter(|&a| a > 0 && a < n).collect();
    let fixed_at = opts
        .fixed
        .iter()
        .map(|b| (b.src.first().copied(), b.tgt.first().copied()))
        .collect();
    let ctx = GapCtx {
        src,
        tgt,
        opts,
        fixed_at,
    };
    ctx.solve(
        (0, n),
        (0, m),
        gaps.contains(&0),
        gaps.iter().any(|&a| a >= n),
        &inner,
    )
}

/// The texts and options of one edge, for aligning parts of it.
struct GapCtx<'a> {
    src: &'a [&'a str],
    tgt: &'a [&'a str],
    opts: &'a AlignOptions,
    /// Where the fixed beads start (first source, first target sentence), to tell them apart.
    fixed_at: HashSet<(Option<usize>, Option<usize>)>,
}

impl GapCtx<'_> {
    /// Align `src[s0..s1]` with `tgt[d0..d1]` (beads in whole-text indices), with the confirmed
    /// beads that fall inside.
    fn run(
        &self,
        (s0, s1): (usize, usize),
        (d0, d1): (usize, usize),
    ) -> Result<Vec<Bead>, AlignError> {
        if s0 == s1 || d0 == d1 {
            // Nothing to pair with: every sentence stands alone.
            return Ok((s0..s1)
                .map(|i| Bead {
                    src: vec![i],
                    tgt: vec![],
                    confidence: 1.0,
                })
                .chain((d0..d1).map(|j| Bead {
                    src: vec![],
                    tgt: vec![j],
                    confidence: 1.0,
                }))
                .collect());
        }
        let inside = |b: &Bead| {
            b.src.first().is_some_and(|&x| x >= s0)
                && b.src.last().is_some_and(|&x| x < s1)
                && b.tgt.first().is_some_and(|&x| x >= d0)
                && b.tgt.last().is_some_and(|&x| x < d1)
        };
        let sub = AlignOptions {
            src_blocks: self.opts.src_blocks.as_ref().map(|v| v[s0..s1].to_vec()),
            tgt_blocks: self.opts.tgt_blocks.as_ref().map(|v| v[d0..d1].to_vec()),
            fixed: self
                .opts
                .fixed
                .iter()
                .filter(|b| inside(b))
                .map(|b| Bead {
                    src: b.src.iter().map(|i| i - s0).collect(),
                    tgt: b.tgt.iter().map(|j| j - d0).collect(),
                    confidence: b.confidence,
                })
                .collect(),
            // A bar only for the one big final run of a whole text.
            progress: self.opts.progress && s0 == 0 && s1 == self.src.len(),
            ..self.opts.clone()
        };
        let beads = crate::align::align(&self.src[s0..s1], &self.tgt[d0..d1], &sub)?;
        Ok(beads
            .into_iter()
            .map(|b| Bead {
                src: b.src.iter().map(|i| i + s0).collect(),
                tgt: b.tgt.iter().map(|j| j + d0).collect(),
                confidence: b.confidence,
            })
            .collect())
    }

    /// Mean confidence of the alignment of two ranges (0 when one is empty).
    fn score(&self, s: (usize, usize), d: (usize, usize)) -> Result<f64, AlignError> {
        if s.0 == s.1 || d.0 == d.1 {
            return Ok(0.0);
        }
        // Only the beads the aligner chose tell how good a cut is: the fixed ones inside are
        // the same whatever the cut, and counting them would favour a cut that leaves the
        // aligner fewer (even hopeless) beads.
        let beads: Vec<Bead> = self
            .run(s, d)?
            .into_iter()
            .filter(|b| {
                !self
                    .fixed_at
                    .contains(&(b.src.first().copied(), b.tgt.first().copied()))
            })
            .collect();
        Ok(mean_confidence(&beads))
    }

    /// The derived range a source range may be cut to without cutting a confirmed bead: cuts
    /// must lie in `lo..=hi`.
    fn cut_bounds(&self, split: usize, d: (usize, usize)) -> (usize, usize) {
        let mut lo = d.0;
        let mut hi = d.1;
        for b in &self.opts.fixed {
            let (Some(&s_last), Some(&s_first)) = (b.src.last(), b.src.first()) else {
                continue;
            };
            if s_last < split {
                if let Some(&t) = b.tgt.last() {
                    lo = lo.max(t + 1);
                }
            } else if s_first >= split
                && let Some(&t) = b.tgt.first()
            {
                hi = hi.min(t);
            }
        }
        (lo.min(d.1), hi.max(lo.min(d.1)))
    }

    fn solve(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        lead: bool,
        trail: bool,
        inner: &[usize],
    ) -> Result<Vec<Bead>, AlignError> {
        if let Some((&a, rest)) = inner.split_first() {
            // A gap inside the source at `a`: the derived text splits into the part before
            // (ending at c1), the sentences in the gap (c1..c2), and the part after (from c2).
            let (lo, hi) = self.cut_bounds(a, d);
            let c1 = if lead {
                // The part before the gap may also start late (a gap before it too).
                self.place((s.0, a), (d.0, hi), true, true, hi)?.1.max(lo)
            } else {
                best_cut(lo, hi, true, &|k| self.score((s.0, a), (d.0, k)))?
            };
            // Where the part after the gap starts depends on where it ends: at the next gap,
            // or at the end (itself open when the source breaks off there).
            let (b, b_trail) = match rest.first() {
                Some(&b) => (b, true),
                None => (s.1, trail),
            };
            let c2 = self.place((a, b), (c1, d.1), true, b_trail, hi)?.0;
            let left = self.solve((s.0, a), (d.0, c1), lead, false, &[])?;
            let right = self.solve((a, s.1), (c2, d.1), false, trail, rest)?;
            let conf = (mean_confidence(&left) + mean_confidence(&right)) / 2.0;
            let mut out = left;
            out.extend((c1..c2).map(|j| Bead {
                src: vec![],
                tgt: vec![j],
                confidence: conf,
            }));
            out.extend(right);
            return Ok(out);
        }
        let (start, end) = self.place(s, d, lead, trail, d.1)?;
        let inner_beads = self.run(s, (start, end))?;
        // How sure we are that the left-out sentences stand in the gap is how sure we are of
        // the alignment that left them out.
        let conf = mean_confidence(&inner_beads);
        let cut = |j: usize| Bead {
            src: vec![],
            tgt: vec![j],
            confidence: conf,
        };
        let mut out: Vec<Bead> = (d.0..start).map(cut).collect();
        out.extend(inner_beads);
        out.extend((end..d.1).map(cut));
        Ok(out)
    }

    /// Where the derived text of the source part `s` starts and ends inside `d`: with a gap
    /// before the part (`lead`) it may start later (at most at `start_hi`), with a gap after it
    /// (`trail`) it may end earlier. Confirmed beads stay inside.
    fn place(
        &self,
        s: (usize, usize),
        d: (usize, usize),
        lead: bool,
        trail: bool,
        start_hi: usize,
    ) -> Result<(usize, usize), AlignError> {
        if d.1 <= d.0 {
            return Ok(d);
        }
        let end_lo = self.cut_bounds(s.1, d).0.max(d.0 + 1);
        let start_hi = start_hi.min(self.cut_bounds(s.0, d).1).min(d.1 - 1);
        match (lead, trail) {
            (false, false) => Ok(d),
            (false, true) => Ok((
                d.0,
                best_cut(end_lo, d.1, true, &|k| self.score(s, (d.0, k)))?,
            )),
            (true, false) => Ok((
                best_cut(d.0, start_hi, false, &|j| self.score(s, (j, d.1)))?,
                d.1,
            )),
            (true, true) => {
                let span = d.1 - d.0;
                if span * span / 2 <= JOINT_CUT_BUDGET {
                    // Every (start, end) pair; ties go to the earliest start and latest end
                    // (the least text claimed for the gaps).
                    let mut top: Option<(f64, usize, usize)> = None;
                    for j in d.0..=start_hi {
                        for e in (end_lo.max(j + 1)..=d.1).rev() {
                            let sc = self.score(s, (j, e))?;
                            if top.is_none_or(|(t, _, _)| sc > t + 1e-9) {
                                top = Some((sc, j, e));
                            }
                        }
                    }
                    Ok(top.map(|(_, j, e)| (j, e)).unwrap_or(d))
                } else {
                    // Long texts: settle start and end in turn.
                    let (mut start, mut end) = d;
                    for _ in 0..4 {
                        let e = best_cut(end_lo.max(start + 1).min(d.1), d.1, true, &|k| {
                            self.score(s, (start, k))
                        })?;
                        let j = best_cut(d.0, start_hi.min(e - 1).max(d.0), false, &|j| {
                            self.score(s, (j, e))
                        })?;
                        if (j, e) == (start, end) {
                            break;
                        }
                        (start, end) = (j, e);
                    }
                    Ok((start, end))
                }
            }
        }
    }
}

fn mean_confidence(beads: &[Bead]) -> f64 {
    if beads.is_empty() {
        0.0
    } else {
        beads.iter().map(|b| b.confidence).sum::<f64>() / beads.len() as f64
    }
}

/// The cut in `lo..=hi` with the best score. Ties go to the cut that leaves the most text
/// aligned (`prefer_high` for a cut that ends a part, low for one that starts it), so a gap is
/// never claimed without evidence. Long ranges are searched on a coarse grid, then refined.
fn best_cut(
    lo: usize,
    hi: usize,
    prefer_high: bool,
    score: &dyn Fn(usize) -> Result<f64, AlignError>,
) -> Result<usize, AlignError> {
    if hi <= lo {
        return Ok(lo);
    }
    let mut top: Option<(usize, f64)> = None;
    let consider = |k: usize, top: &mut Option<(usize, f64)>| -> Result<(), AlignError> {
        let s = score(k)?;
        let better = match *top {
            None => true,
            Some((t, ts)) => {
                s > ts + 1e-9
                    || ((s - ts).abs() <= 1e-9 && (if prefer_high { k > t } else { k < t }))
            }
        };
        if better {
            *top = Some((k, s));
        }
        Ok(())
    };
    if hi - lo <= CUT_EXHAUSTIVE {
        for k in lo..=hi {
            consider(k, &mut top)?;
        }
    } else {
        let mut step = (hi - lo).div_ceil(32).max(1);
        let mut k = lo;
        while k <= hi {
            consider(k, &mut top)?;
            k += step;
        }
        consider(hi, &mut top)?;
        while step > 1 {
            let centre = top.map(|t| t.0).unwrap_or(hi);
            step = step.div_ceil(4);
            let from = centre.saturating_sub(3 * step).max(lo);
            let to = (centre + 3 * step).min(hi);
            let mut k = from;
            while k <= to {
                consider(k, &mut top)?;
                k += step;
            }
        }
    }
    Ok(top
        .map(|t| t.0)
        .unwrap_or(if prefer_high { hi } else { lo }))
}

/// Check that beads cover `n` source and `m` target sentences exactly once, in order.
fn check_cover(beads: &[Bead], n: usize, m: usize) -> Result<(), String> {
    let (mut s, mut t) = (0, 0);
    for b in beads {
        for &i in &b.src {
            if i != s {
                return Err(format!(
                    "the aligner's beads skip or repeat source sentence {s}"
                ));
            }
            s += 1;
        }
        for &j in &b.tgt {
            if j != t {
                return Err(format!(
                    "the aligner's beads skip or repeat target sentence {t}"
                ));
            }
            t += 1;
        }
    }
    if s != n || t != m {
        return Err(format!(
            "the aligner's beads cover {s}/{n} source and {t}/{m} target sentences"
        ));
    }
    Ok(())
}

/// Compose the pairwise alignments of all edges into N-way segments: the connected components of
/// the sentences joined by links, in document order (the order of every layer is respected;
/// where layers leave a choice, the layer earliest in derivation order decides). Every sentence
/// of every layer is in exactly one segment. Each segment lists every layer of the work (a layer
/// without text, or without a sentence here, with an empty list), and its chain: the ids of the
/// links and unaligned ptrs that touch it, edge by edge in derivation order.
///
/// Link ends that name sentences the work does not have are ignored (they cannot be placed).
pub fn compose(work: &Work, relations: &[Relation], edges: &[EdgeAlignment]) -> Vec<Segment> {
    let order = layer_order(work, relations);
    let layers: Vec<&Layer> = order.iter().filter_map(|id| work.layer(id)).collect();
    // Node numbering: layer by layer.
    let mut offset = Vec::with_capacity(layers.len());
    let mut total = 0;
    for l in &layers {
        offset.push(total);
        total += l.sentences.len();
    }
    let mut node_of: HashMap<(&str, &str), usize> = HashMap::new();
    for (li, l) in layers.iter().enumerate() {
        for (si, s) in l.sentences.iter().enumerate() {
            node_of.insert((l.id.as_str(), s.id.as_str()), offset[li] + si);
        }
    }
    let mut uf = UnionFind::new(total);
    let rel_by_id: HashMap<&str, &Relation> =
        relations.iter().map(|r| (r.id.as_str(), r)).collect();
    // Edges in derivation order (the order of `relations`), whatever order they are given in.
    let mut edge_order: Vec<&EdgeAlignment> = edges.iter().collect();
    let rank = |e: &EdgeAlignment| {
        relations
            .iter()
            .position(|r| r.id == e.relation)
            .unwrap_or(usize::MAX)
    };
    edge_order.sort_by_key(|e| rank(e));

    let link_nodes = |e: &EdgeAlignment, l: &Link| -> Vec<usize> {
        let Some(r) = rel_by_id.get(e.relation.as_str()) else {
            return Vec::new();
        };
        l.source
            .iter()
            .filter_map(|s| node_of.get(&(r.source.as_str(), s.as_str())).copied())
            .chain(
                l.derived
                    .iter()
                    .filter_map(|s| node_of.get(&(r.derived.as_str(), s.as_str())).copied()),
            )
            .collect()
    };
    for e in &edge_order {
        for l in &e.links {
            let nodes = link_nodes(e, l);
            for w in nodes.windows(2) {
                uf.union(w[0], w[1]);
            }
        }
    }
    // Components, and each one's first position in each layer.
    let mut comp_of_root: HashMap<usize, usize> = HashMap::new();
    let mut comp_nodes: Vec<Vec<usize>> = Vec::new();
    for node in 0..total {
        let root = uf.find(node);
        let c = *comp_of_root.entry(root).or_insert_with(|| {
            comp_nodes.push(Vec::new());
            comp_nodes.len() - 1
        });
        comp_nodes[c].push(node);
    }
    let comp_of = |node: usize, uf: &mut UnionFind| comp_of_root[&uf.find(node)];
    // Per layer, the components in the order they first appear.
    let mut lists: Vec<Vec<usize>> = Vec::with_capacity(layers.len());
    for (li, l) in layers.iter().enumerate() {
        let mut list = Vec::new();
        let mut seen = HashSet::new();
        for si in 0..l.sentences.len() {
            let c = comp_of(offset[li] + si, &mut uf);
            if seen.insert(c) {
                list.push(c);
            }
        }
        lists.push(list);
    }
    let layer_of = |node: usize| offset.iter().rposition(|&o| o <= node).unwrap_or(0);
    let comp_layers: Vec<BTreeSet<usize>> = comp_nodes
        .iter()
        .map(|ns| ns.iter().map(|&n| layer_of(n)).collect())
        .collect();
    // Merge the per-layer orders: emit a component when it heads every layer it occurs in,
    // trying layers in derivation order; if none is ready (crossing links), force the head of
    // the first non-empty layer so the merge always ends.
    let mut heads = vec![0usize; layers.len()];
    let mut emitted = vec![false; comp_nodes.len()];
    let mut out_order: Vec<usize> = Vec::with_capacity(comp_nodes.len());
    loop {
        for (li, h) in heads.iter_mut().enumerate() {
            while *h < lists[li].len() && emitted[lists[li][*h]] {
                *h += 1;
            }
        }
        let head = |li: usize| lists[li].get(heads[li]).copied();
        let ready = (0..layers.len())
            .filter_map(head)
            .find(|&c| comp_layers[c].iter().all(|&li| head(li) == Some(c)));
        let pick = match ready.or_else(|| (0..layers.len()).find_map(head)) {
            Some(c) => c,
            None => break,
        };
        emitted[pick] = true;
        out_order.push(pick);
    }

    // Chains: which links and ptrs touch each component.
    let mut chain_items: Vec<Vec<(usize, usize, String)>> = vec![Vec::new(); comp_nodes.len()];
    for (ei, e) in edge_order.iter().enumerate() {
        for (k, l) in e.links.iter().enumerate() {
            let nodes = link_nodes(e, l);
            if let Some(&n0) = nodes.first() {
                let c = comp_of(n0, &mut uf);
                chain_items[c].push((ei, k, l.id.clone()));
            }
        }
        for (k, u) in e.unaligned.iter().enumerate() {
            if let Some(&n0) = node_of.get(&(u.layer.as_str(), u.sentence.as_str())) {
                let c = comp_of(n0, &mut uf);
                chain_items[c].push((ei, e.links.len() + k, u.id.clone()));
            }
        }
    }
    out_order
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let mut members: BTreeMap<String, Vec<String>> = work
                .layers
                .iter()
                .map(|l| (l.id.clone(), Vec::new()))
                .collect();
            let mut nodes = comp_nodes[c].clone();
            nodes.sort_unstable();
            for n in nodes {
                let li = layer_of(n);
                let l = layers[li];
                if let Some(v) = members.get_mut(&l.id) {
                    v.push(l.sentences[n - offset[li]].id.clone());
                }
            }
            let mut items = chain_items[c].clone();
            items.sort();
            Segment {
                id: format!("seg.{}", k + 1),
                members,
                chain: items.into_iter().map(|(_, _, id)| id).collect(),
            }
        })
        .collect()
}

/// A bead mapped back around the sentences held by confirmed ptrs may enclose one of them (the
/// aligner never saw it), e.g. `cs.s12 ↔ en.s12 en.s14` around a confirmed `en.s13`. Keep the
/// first consecutive run of each side as the bead and make the sentences after a hole
/// unaligned (cert 0, to be reviewed), so that every link joins consecutive sentences.
fn split_at_holes(b: Bead) -> Vec<Bead> {
    let run = |v: &[usize]| {
        v.windows(2)
            .position(|w| w[1] != w[0] + 1)
            .map_or(v.len(), |p| p + 1)
    };
    let (ns, nt) = (run(&b.src), run(&b.tgt));
    if ns == b.src.len() && nt == b.tgt.len() {
        return vec![b];
    }
    let mut out = vec![Bead {
        src: b.src[..ns].to_vec(),
        tgt: b.tgt[..nt].to_vec(),
        confidence: b.confidence,
    }];
    out.extend(b.src[ns..].iter().map(|&i| Bead {
        src: vec![i],
        tgt: vec![],
        confidence: 0.0,
    }));
    out.extend(b.tgt[nt..].iter().map(|&j| Bead {
        src: vec![],
        tgt: vec![j],
        confidence: 0.0,
    }));
    out
}

/// Recompute the segments of an alignment after its edges changed (e.g. after a manual link).
/// A segment with the same members as before keeps its id; new ones get ids never used before.
/// The high-water marks are brought up to date.
pub fn recompose(work: &Work, alignment: &mut WorkAlignment) {
    let mut segments = compose(work, &alignment.relations, &alignment.edges);
    let mut mark = high_water(alignment, "seg");
    keep_segment_ids(&mut segments, &alignment.segments, &mut mark);
    alignment.segments = segments;
    let mut prefixes = vec!["seg".to_owned()];
    for r in &alignment.relations {
        prefixes.push(format!("a.{}-{}", r.source, r.derived));
        prefixes.push(format!("u.{}-{}", r.source, r.derived));
    }
    for p in prefixes {
        let m = high_water(alignment, &p);
        if m > 0 {
            alignment.id_high_water.insert(p, m);
        }
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins, so the result does not depend on the order of unions.
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

/// The agent record of the tool itself.
pub fn tool_agent() -> Agent {
    Agent {
        id: TOOL_ID.to_owned(),
        name: format!("tei-align {}", crate::VERSION),
        role: "automatic sentence alignment".to_owned(),
    }
}

/// Align a whole work along its derivation graph.
///
/// `layer_files` maps each layer id to its file as written in pointers (relative to the
/// alignment file; see [`relative_path`]). `existing` is the alignment file as it stands, if any:
/// its confirmed links and ptrs are kept exactly, its history (`changes`) is kept, and when the
/// new alignment equals it nothing new is recorded, so re-running on unchanged input gives the
/// same alignment, byte for byte once written.
pub fn align_work(
    work: &Work,
    existing: Option<&WorkAlignment>,
    layer_files: BTreeMap<String, String>,
    opts: &WorkOptions,
) -> Result<WorkReport, ProvenanceError> {
    let relations = derivation_graph(work)?;
    let mut warnings = Vec::new();
    // High-water marks of the automatic ids, from the existing alignment (0 without one, so a
    // fresh alignment numbers from 1).
    let mut marks: BTreeMap<String, u64> = BTreeMap::new();
    if let Some(a) = existing {
        for r in &relations {
            for p in [
                format!("a.{}-{}", r.source, r.derived),
                format!("u.{}-{}", r.source, r.derived),
            ] {
                let m = high_water(a, &p);
                marks.insert(p, m);
            }
        }
        marks.insert("seg".to_owned(), high_water(a, "seg"));
    }
    let mut edges = Vec::with_capacity(relations.len());
    for r in &relations {
        let (Some(src), Some(der)) = (work.layer(&r.source), work.layer(&r.derived)) else {
            continue; // derivation_graph guarantees both exist
        };
        let confirmed = existing.and_then(|a| a.edges.iter().find(|e| e.relation == r.id));
        edges.push(align_edge_marked(
            src,
            der,
            r,
            confirmed,
            opts.strict,
            opts.progress,
            !opts.full,
            &mut warnings,
            &mut marks,
        )?);
    }
    // Confirmed items on edges that no longer exist are reported too.
    if let Some(a) = existing {
        for e in &a.edges {
            if relations.iter().any(|r| r.id == e.relation) {
                continue;
            }
            let n = e
                .links
                .iter()
                .filter(|l| l.status != LinkStatus::Automatic)
                .count()
                + e.unaligned
                    .iter()
                    .filter(|u| u.status != LinkStatus::Automatic)
                    .count();
            if n > 0 {
                let msg = format!(
                    "{n} confirmed link(s) of {} were dropped: the work no longer has this derivation",
                    e.relation
                );
                if opts.strict {
                    return Err(ProvenanceError::StaleLink(msg));
                }
                warnings.push(msg);
            }
        }
    }
    let mut segments = compose(work, &relations, &edges);
    let mut seg_mark = marks.get("seg").copied().unwrap_or(0);
    keep_segment_ids(
        &mut segments,
        existing.map(|a| a.segments.as_slice()).unwrap_or(&[]),
        &mut seg_mark,
    );
    marks.insert("seg".to_owned(), seg_mark);
    marks.retain(|_, m| *m > 0);

    // Agents: the tool, the people of every layer (derivation order), and any editor named by a
    // confirmed item.
    let order = layer_order(work, &relations);
    let mut agents = vec![tool_agent()];
    for id in &order {
        if let Some(l) = work.layer(id) {
            for a in &l.agents {
                if !agents.iter().any(|x| x.id == a.id) {
                    agents.push(a.clone());
                }
            }
        }
    }
    // Editors: whoever confirmed a link, and whoever the kept history names (a `<change who>`
    // must resolve even when that person's links are gone).
    let editors: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| {
            e.links
                .iter()
                .map(|l| &l.status)
                .chain(e.unaligned.iter().map(|u| &u.status))
        })
        .filter_map(|s| match s {
            LinkStatus::Verified { who, .. } => Some(who.as_str()),
            LinkStatus::Automatic => None,
        })
        .chain(
            existing
                .iter()
                .flat_map(|a| a.changes.iter().map(|c| c.who.as_str())),
        )
        .filter(|w| !w.is_empty())
        .collect();
    for who in editors {
        if agents.iter().any(|x| x.id == who) {
            continue;
        }
        let known = existing.and_then(|a| a.agents.iter().find(|x| x.id == who));
        agents.push(known.cloned().unwrap_or_else(|| Agent {
            id: who.to_owned(),
            name: who.to_owned(),
            role: "editor".to_owned(),
        }));
    }
    // Same people as before in another order (e.g. an editor added by `tei-align link`): keep
    // the file's order, so nothing changes for nothing.
    if let Some(a) = existing {
        let by_id = |v: &[Agent]| {
            let mut v = v.to_vec();
            v.sort_by(|x, y| x.id.cmp(&y.id));
            v
        };
        if by_id(&a.agents) == by_id(&agents) {
            agents = a.agents.clone();
        }
    }

    let mut alignment = WorkAlignment {
        work: work.id.clone(),
        layer_files,
        agents,
        relations,
        edges,
        segments,
        changes: existing.map(|a| a.changes.clone()).unwrap_or_default(),
        id_high_water: marks,
    };
    let same = existing.is_some_and(|a| {
        a.work == alignment.work
            && a.layer_files == alignment.layer_files
            && a.agents == alignment.agents
            && a.relations == alignment.relations
            && a.edges == alignment.edges
            && a.segments == alignment.segments
    });
    if !same {
        let n = alignment
            .changes
            .iter()
            .filter_map(|c| {
                c.id.strip_prefix("ch")
                    .and_then(|x| x.parse::<usize>().ok())
            })
            .max()
            .unwrap_or(0)
            + 1;
        let links: usize = alignment.edges.iter().map(|e| e.links.len()).sum();
        let mut desc = format!(
            "Automatic alignment by tei-align {} along {} derivation edge(s): {} link(s), {} segment(s).",
            crate::VERSION,
            alignment.edges.len(),
            links,
            alignment.segments.len()
        );
        if !warnings.is_empty() {
            desc.push_str(" Dropped: ");
            desc.push_str(&warnings.join("; "));
        }
        // Ids that named something in the previous alignment and name nothing now: a reader
        // who meets one in a citation learns here that it is gone (it is never reused).
        if let Some(a) = existing {
            let retired = retired_ids(a, &alignment);
            if !retired.is_empty() {
                desc.push_str(" Ids retired (never reused): ");
                desc.push_str(&retired.join(" "));
                desc.push('.');
            }
        }
        alignment.changes.push(Change {
            id: format!("ch{n}"),
            status: "automatic".into(),
            who: TOOL_ID.into(),
            when: opts.when.clone().unwrap_or_else(today_utc),
            desc,
        });
    }
    Ok(WorkReport {
        alignment,
        warnings,
        changed: !same,
    })
}

/// The ids of links, ptrs and segments of `old` that `new` no longer has, in file order.
fn retired_ids(old: &WorkAlignment, new: &WorkAlignment) -> Vec<String> {
    let ids = |a: &WorkAlignment| -> Vec<String> {
        a.edges
            .iter()
            .flat_map(|e| {
                e.links
                    .iter()
                    .map(|l| l.id.clone())
                    .chain(e.unaligned.iter().map(|u| u.id.clone()))
            })
            .chain(a.segments.iter().map(|s| s.id.clone()))
            .collect()
    };
    let now: HashSet<String> = ids(new).into_iter().collect();
    ids(old)
        .into_iter()
        .filter(|id| !now.contains(id))
        .collect()
}

/// What [`align_to_file`] did.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The alignment, its warnings and whether it changed.
    pub report: WorkReport,
    /// False when the file already held exactly these bytes (it was not touched).
    pub written: bool,
}

/// Align a work and write its alignment file (`out`, e.g. `alignments/<work>/alignment.xml`),
/// keeping what the existing file holds: confirmed links and the history. An existing file that
/// cannot be read is an error and stays as it is, unless `fresh` (start over, losing its
/// confirmed links). A file that would not change is not rewritten.
pub fn align_to_file(
    work: &Work,
    out: &Path,
    opts: &WorkOptions,
    fresh: bool,
) -> Result<FileReport, ProvenanceError> {
    let existing = if out.exists() && !fresh {
        Some(crate::tei::standoff::read_alignment(out).map_err(ProvenanceError::Unreadable)?)
    } else {
        None
    };
    let report = align_work(work, existing.as_ref(), layer_files_for(work, out), opts)?;
    let xml = crate::tei::standoff::to_tei(&report.alignment);
    let same = std::fs::read(out).is_ok_and(|b| b == xml.as_bytes());
    if !same {
        crate::fsutil::write_atomic(out, xml.as_bytes()).map_err(crate::tei::TeiError::from)?;
    }
    Ok(FileReport {
        report,
        written: !same,
    })
}

/// Today's date in UTC as `YYYY-MM-DD` (civil-from-days, no time zone database needed).
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's algorithm: days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Make a path absolute (against the current directory) and remove `.` and `..` lexically.
fn normalise(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The path of `target` relative to the directory `from_dir`, with `/` separators, as written in
/// TEI pointers (e.g. `../../texts/letter-1968/cs.xml` from `alignments/letter-1968/`).
pub fn relative_path(from_dir: &Path, target: &Path) -> String {
    let from = normalise(from_dir);
    let to = normalise(target);
    let fc: Vec<Component> = from.components().collect();
    let tc: Vec<Component> = to.components().collect();
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..fc.len() {
        parts.push("..".into());
    }
    for c in &tc[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// The `layer_files` of a work's alignment written to `alignment_path`.
pub fn layer_files_for(work: &Work, alignment_path: &Path) -> BTreeMap<String, String> {
    let dir = alignment_path.parent().unwrap_or(Path::new("."));
    work.layers
        .iter()
        .map(|l| (l.id.clone(), relative_path(dir, &l.path)))
        .collect()
}

pub mod trace;

#[cfg(test)]
mod tests;
