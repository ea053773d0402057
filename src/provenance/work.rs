//! Aligning a whole work along its derivation graph and writing its alignment file, keeping
//! what the existing file holds (confirmed links, history, ids).

use super::ProvenanceError;
use super::compose::compose;
use super::edge::{EdgeRun, align_edge_with};
use super::graph::{derivation_graph, layer_order};
use super::ids::{IdAlloc, keep_segment_ids, mark_prefixes};
use super::record::{describe, diff_edges, record_diffs};
use crate::model::{Agent, ChangeStatus, EdgeAlignment, LinkStatus, Relation, Work, WorkAlignment};
use crate::tei::standoff::TOOL_ID;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path};

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
    /// Semantic evidence for the aligner (none: length and lexical evidence only); named in
    /// the `<change>` record when used.
    pub embedder: Option<std::sync::Arc<dyn crate::embed::Embedder>>,
}

/// The result of aligning a work.
#[derive(Debug, Clone)]
pub struct WorkReport {
    /// The alignment to write.
    pub alignment: WorkAlignment,
    /// Problems worth telling the user (e.g. confirmed links dropped because their sentence is
    /// gone), one line each, naming the link.
    pub warnings: Vec<String>,
    /// Confirmed items kept whose sentences were edited since they were confirmed ("confirmed
    /// on another text: review"), and those whose confirmed text is unknown.
    pub texts: super::digest::TextCheck,
    /// False when the alignment is the same as the existing one (nothing to record).
    pub changed: bool,
}

/// The agent record of the tool itself.
pub fn tool_agent() -> Agent {
    Agent::new(
        TOOL_ID.to_owned(),
        format!("tei-align {}", crate::VERSION),
        "automatic sentence alignment".to_owned(),
    )
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
    // One allocator for the run, from the existing alignment (an empty one without: a fresh
    // alignment numbers from 1).
    let mut ids = existing.map(IdAlloc::new).unwrap_or_default();
    let run = EdgeRun {
        strict: opts.strict,
        progress: opts.progress,
        embedder: opts.embedder.as_ref(),
        hold_automatic: !opts.full,
    };
    let mut edges = Vec::with_capacity(relations.len());
    for r in &relations {
        let (Some(src), Some(der)) = (work.layer(&r.source), work.layer(&r.derived)) else {
            continue; // derivation_graph guarantees both exist
        };
        let confirmed = existing.and_then(|a| a.edges.iter().find(|e| e.relation == r.id));
        edges.push(align_edge_with(
            src,
            der,
            r,
            confirmed,
            &run,
            &mut warnings,
            &mut ids,
        )?);
    }
    if let Some(a) = existing {
        report_dropped_edges(a, &relations, opts.strict, &mut warnings)?;
    }
    let mut segments = compose(work, &relations, &edges);
    keep_segment_ids(
        &mut segments,
        existing.map(|a| a.segments.as_slice()).unwrap_or(&[]),
        &mut ids,
    );
    let prefixes = mark_prefixes(&relations);
    let marks = ids.marks(prefixes.iter().map(String::as_str));

    let agents = work_agents(work, existing, &relations, &edges);
    let mut alignment = WorkAlignment {
        work: work.id.clone(),
        layer_files,
        agents,
        relations,
        edges,
        segments,
        changes: existing.map(|a| a.changes.clone()).unwrap_or_default(),
        id_high_water: marks,
        item_changes: existing.map(|a| a.item_changes.clone()).unwrap_or_default(),
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
        record_run(existing, &mut alignment, &warnings, opts);
    }
    let texts = super::digest::check_texts(work, &alignment);
    Ok(WorkReport {
        alignment,
        warnings,
        texts,
        changed: !same,
    })
}

/// Confirmed items on edges the work no longer has (its derivation changed) are reported: a
/// warning, or an error when strict.
fn report_dropped_edges(
    a: &WorkAlignment,
    relations: &[Relation],
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<(), ProvenanceError> {
    for e in &a.edges {
        if relations.iter().any(|r| r.id == e.relation) {
            continue;
        }
        let n = e.confirmed();
        if n > 0 {
            let msg = format!(
                "{n} confirmed link(s) of {} were dropped: the work no longer has this derivation",
                e.relation
            );
            if strict {
                return Err(ProvenanceError::StaleLink(msg));
            }
            warnings.push(msg);
        }
    }
    Ok(())
}

/// The agents of the alignment: the tool, the people of every layer (derivation order), and
/// every editor a confirmed item or the kept history names.
fn work_agents(
    work: &Work,
    existing: Option<&WorkAlignment>,
    relations: &[Relation],
    edges: &[EdgeAlignment],
) -> Vec<Agent> {
    // Agents: the tool, the people of every layer (derivation order), and any editor named by a
    // confirmed item.
    let order = layer_order(work, relations);
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
        agents.push(
            known
                .cloned()
                .unwrap_or_else(|| Agent::new(who.to_owned(), who.to_owned(), "editor".to_owned())),
        );
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

    agents
}

/// Record an alignment run that changed the alignment: one change saying what it did to each
/// edge, the items it made or re-aligned pointing at it.
fn record_run(
    existing: Option<&WorkAlignment>,
    alignment: &mut WorkAlignment,
    warnings: &[String],
    opts: &WorkOptions,
) {
    let none = WorkAlignment {
        edges: vec![],
        changes: vec![],
        item_changes: BTreeMap::new(),
        ..alignment.clone()
    };
    let old = existing.unwrap_or(&none);
    let links: usize = alignment.edges.iter().map(|e| e.links.len()).sum();
    let mut desc = format!(
        "Automatic alignment by tei-align {} along {} derivation edge(s): {} link(s), {} segment(s).",
        crate::VERSION,
        alignment.edges.len(),
        links,
        alignment.segments.len()
    );
    let diffs = diff_edges(&old.edges, &alignment.edges);
    if !diffs.is_empty() {
        desc.push(' ');
        desc.push_str(&describe(&diffs));
    }
    if !warnings.is_empty() {
        desc.push_str(" Dropped: ");
        desc.push_str(&warnings.join("; "));
    }
    // Ids that named something in the previous alignment and name nothing now: a reader who
    // meets one in a citation learns here that it is gone (it is never reused).
    let retired = retired_ids(old, alignment);
    if !retired.is_empty() {
        desc.push_str(" Ids retired (never reused): ");
        desc.push_str(&retired.join(" "));
        desc.push('.');
    }
    if let Some(e) = &opts.embedder {
        // Say exactly what the vectors did: they weigh in the search beside length and lexical
        // clues; nothing else (confidence, partial links) rests on them.
        desc.push_str(&format!(
            " Sentence embeddings ({}) used as evidence: the search weighed the cosine of the \
             two sides' vectors (normalised by their closeness to the rest of the text) with \
             length and lexical evidence.",
            e.describe()
        ));
    }
    let when = opts.when.clone().unwrap_or_else(today_utc);
    let status = (ChangeStatus::Automatic, TOOL_ID, when.as_str());
    record_diffs(old, alignment, &diffs, status, desc);
}

/// The ids of links, ptrs and segments of `old` that `new` no longer has, in file order.
pub(super) fn retired_ids(old: &WorkAlignment, new: &WorkAlignment) -> Vec<String> {
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
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
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

/// The path of `target` relative to the directory `from_dir`, with `/` separators, as written in
/// TEI pointers (e.g. `../../texts/letter-1968/cs.xml` from `alignments/letter-1968/`).
pub fn relative_path(from_dir: &Path, target: &Path) -> String {
    let from = crate::fsutil::absolute_clean(from_dir);
    let to = crate::fsutil::absolute_clean(target);
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
