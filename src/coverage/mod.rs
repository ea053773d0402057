//! The coverage report: what each derived layer keeps, omits, adds, merges and doubts, told apart
//! from gaps in the source witness.
//!
//! For every derivation edge (source → derived) the report counts the source sentences (and their
//! characters) that have a counterpart in the derived layer, and lists
//! - omissions (1-0 beads, `source-only`): the translator left a source sentence out;
//! - additions (0-1 beads, `derived-only`): the derived layer has a sentence the source lacks;
//! - source gaps (`source-gap`): a derived sentence has no counterpart because the source
//!   *witness* is incomplete there — not the translator's doing, so it never counts as an addition;
//! - derived gaps (`derived-gap`, the mirror): a source sentence has no counterpart because the
//!   derived *witness* is incomplete there (it breaks off, a `<gap>`) — not the translator's
//!   omission; such sentences count neither as omitted nor against the coverage percentages
//!   (which are of what the derived witness holds);
//! - merges and splits (n:m beads other than 1-1);
//! - partial links (`@subtype="partial"`): one side covers clearly less than the other (a witness
//!   cut off mid-sentence, a dropped clause); their source sentences count as covered, but not
//!   as covered in full;
//! - doubtful links: automatic links, omissions and additions whose `@cert` is below a threshold
//!   ([`DEFAULT_DOUBT_BELOW`] unless asked otherwise; `@cert` is the calibrated probability that
//!   the bead is right, so by default a bead more likely wrong than right).
//!
//! The same figures are given per block (paragraph, heading …) of each side and for the whole
//! work. A source layer without any text is reported as "no text", never as 0 % coverage.

mod edge;
mod layer;
mod sources;
mod text;

pub use layer::{LayerCounts, LayerCoverage, LayerNote};
pub use sources::{Carried, Elsewhere, Sources};
pub use text::to_text;

use crate::model::{Relation, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use edge::edge_coverage;
use serde::Serialize;
use std::collections::HashMap;

/// Errors of the coverage report.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The alignment does not fit its layers.
    #[error("{0}")]
    Inconsistent(String),
    /// The alignment or a layer could not be read.
    #[error(transparent)]
    Tei(#[from] crate::tei::TeiError),
}

/// Read an alignment file and the layers it names (`layer_files`, relative to the alignment
/// file), as the work they make up.
pub fn load(alignment_path: &std::path::Path) -> Result<(Work, WorkAlignment), CoverageError> {
    let alignment = crate::tei::standoff::read_alignment(alignment_path)?;
    let base = alignment_path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let mut layers = Vec::new();
    for (id, rel) in &alignment.layer_files {
        let path = crate::fsutil::lexical(&base.join(rel.split('#').next().unwrap_or(rel)));
        if !path.exists() {
            // Say who named the file: a layer moved or renamed since the alignment was made.
            return Err(CoverageError::Inconsistent(format!(
                "{}: layer {id} is {rel}, but {} does not exist",
                alignment_path.display(),
                path.display()
            )));
        }
        let mut layer = crate::tei::read_layer(&path)?;
        if layer.id != *id {
            // The alignment names the layer; a file stem that differs must not break lookups.
            layer.id = id.clone();
        }
        layers.push(layer);
    }
    layers.sort_by(|a, b| a.id.cmp(&b.id));
    let dir = layers
        .first()
        .and_then(|l| l.path.parent())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    Ok((
        Work {
            id: alignment.work.clone(),
            dir,
            layers,
        },
        alignment,
    ))
}

/// The default threshold below which an automatic link (or omission, or addition) counts as
/// doubtful: the aligner's `@cert` is a calibrated probability that the bead is right
/// (`docs/aligner.md`, "Calibration"), so below 0.5 it is more likely wrong than right.
pub const DEFAULT_DOUBT_BELOW: f64 = 0.5;

/// How the report is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverageOptions {
    /// Automatic links with `cert` strictly below this are doubtful (verified links never are:
    /// a person has looked at them).
    pub doubt_below: f64,
}

impl Default for CoverageOptions {
    fn default() -> Self {
        CoverageOptions {
            doubt_below: DEFAULT_DOUBT_BELOW,
        }
    }
}

/// The coverage of a whole work: one entry per derivation edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The work id.
    pub work: String,
    /// The doubt threshold used.
    pub doubt_below: f64,
    /// One entry per derivation edge, in the order of the derivation graph.
    pub edges: Vec<EdgeCoverage>,
    /// Totals over every edge whose source has text.
    pub total: Counts,
    /// Derivations the layers' headers declare that the alignment has no edge for
    /// (`"en → ar"`): a layer or a source added after the work was aligned.
    pub missing_edges: Vec<String>,
    /// One entry per derived layer, in derivation order: the layer against *all* its sources
    /// (for a layer with one source, the figures of its edge). A sentence without a
    /// counterpart in one source but linked in another is from the other source, not an
    /// addition; a source sentence carried over through another source is not an omission.
    pub layers: Vec<LayerCoverage>,
}

impl CoverageReport {
    /// Why the alignment is not up to date with the layers, if it is not: sentences in no link
    /// and no unaligned ptr (on either side of an edge), derivations without an edge. A gate
    /// must not pass such a report on its percentages, which count only what was aligned.
    pub fn stale(&self) -> Option<String> {
        let mut ids: Vec<String> = Vec::new();
        for e in &self.edges {
            for s in e.unaccounted.iter().chain(&e.unaccounted_derived) {
                ids.push(format!("{} ({} → {})", s.id, e.source, e.derived));
            }
        }
        if ids.is_empty() && self.missing_edges.is_empty() {
            return None;
        }
        let mut why = Vec::new();
        if !ids.is_empty() {
            let shown: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
            why.push(format!(
                "{} sentence(s) in no link or unaligned ptr: {}{}",
                ids.len(),
                shown.join(", "),
                if ids.len() > 3 { ", …" } else { "" }
            ));
        }
        if !self.missing_edges.is_empty() {
            why.push(format!(
                "no edge for the derivation(s) {}",
                self.missing_edges.join(", ")
            ));
        }
        Some(format!(
            "the alignment is not up to date with the layers ({}): run tei-align align",
            why.join("; ")
        ))
    }

    /// The lowest coverage (percent of source sentences with a counterpart) over the edges whose
    /// source and derived layers both have text, with the relation id; `None` if there is none.
    pub fn lowest(&self) -> Option<(&EdgeCoverage, f64)> {
        self.edges
            .iter()
            .filter_map(|e| e.total.coverage_pct.map(|p| (e, p)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The figures a gate (`--fail-under`) compares, named: for a layer made from several
    /// sources its figure against all of them (`"cs (from grc, en)"`), for any other derived
    /// layer the figure of its edge (`"cs → en"`); only those that can be measured.
    pub fn gate_figures(&self) -> Vec<(String, f64)> {
        let several: Vec<&LayerCoverage> =
            self.layers.iter().filter(|l| l.sources.len() > 1).collect();
        let mut out: Vec<(String, f64)> = self
            .edges
            .iter()
            .filter(|e| !several.iter().any(|l| l.layer == e.derived))
            .filter_map(|e| {
                let p = e.total.coverage_pct?;
                Some((format!("{} → {}", e.source, e.derived), p))
            })
            .collect();
        out.extend(several.iter().filter_map(|l| {
            let p = l.total.coverage_pct?;
            Some((l.name(), p))
        }));
        out
    }

    /// The lowest of [`CoverageReport::gate_figures`].
    pub fn lowest_gate(&self) -> Option<(String, f64)> {
        self.gate_figures()
            .into_iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Whether an edge can be measured at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeState {
    /// Both layers have text: the figures mean something.
    Measured,
    /// The source witness has no text (e.g. the lost Russian original): nothing to cover.
    NoSourceText,
    /// The derived witness has no text.
    NoDerivedText,
}

/// The coverage of one derived layer against its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeCoverage {
    /// The relation id (`rel.cs-en`).
    pub relation: String,
    /// The source layer id.
    pub source: String,
    /// The derived layer id.
    pub derived: String,
    /// How the derived layer was made (`translation` …).
    pub kind: String,
    /// Who made it (agent ids).
    pub resp: Vec<String>,
    /// Whether the figures mean something.
    pub state: EdgeState,
    /// The figures for the whole edge.
    pub total: Counts,
    /// Figures per block of the source layer (source sentences, omissions, doubtful links).
    pub source_blocks: Vec<BlockCoverage>,
    /// Figures per block of the derived layer (derived sentences, additions, source gaps).
    pub derived_blocks: Vec<BlockCoverage>,
    /// Source sentences the derived layer omits (1-0), not carried over through another source.
    pub omitted: Vec<SentenceNote>,
    /// Derived sentences with no source counterpart (0-1) that no other source of the derived
    /// layer accounts for: additions.
    pub added: Vec<SentenceNote>,
    /// Derived sentences with no counterpart in this source (0-1) that another source of the
    /// derived layer links, or has a gap at: from the other source, not additions (only on
    /// an edge into a layer made from several sources).
    pub from_other_source: Vec<LayerNote>,
    /// Source sentences with no counterpart on this edge (1-0) whose counterpart in another
    /// source of the derived layer is linked into it: carried over, not omitted (ditto).
    pub carried_over: Vec<LayerNote>,
    /// Derived sentences whose source counterpart is lost in a gap of the source witness.
    pub source_gap: Vec<SentenceNote>,
    /// Source sentences whose counterpart is lost in a gap of the derived witness: not omissions.
    pub derived_gap: Vec<SentenceNote>,
    /// Beads other than 1-1, 1-0 and 0-1 (merges, splits, n:m).
    pub merged_or_split: Vec<LinkNote>,
    /// Links one side of which covers clearly less than the other.
    pub partial: Vec<LinkNote>,
    /// Automatic links, omissions (kind `1-0`) and additions (`0-1`) below the doubt threshold,
    /// links first, in document order of each.
    pub doubtful: Vec<LinkNote>,
    /// Source sentences that are in no link and no unaligned ptr: the alignment is incomplete.
    /// Counted as without counterpart.
    pub unaccounted: Vec<SentenceNote>,
    /// Derived sentences that are in no link and no unaligned ptr (a sentence added to the
    /// layer after it was aligned): the alignment is incomplete.
    pub unaccounted_derived: Vec<SentenceNote>,
    /// Confirmed links and ptrs whose sentences were edited since they were confirmed: the
    /// confirmation is of another text, to review ([`crate::provenance::digest`]).
    pub confirmed_on_another_text: Vec<crate::provenance::digest::TextChanged>,
}

/// Counts for an edge, a block or the whole work.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Source sentences.
    pub source_sentences: usize,
    /// Source sentences with a counterpart in the derived layer.
    pub source_sentences_covered: usize,
    /// Characters of the source sentences.
    pub source_chars: usize,
    /// Characters of the source sentences with a counterpart.
    pub source_chars_covered: usize,
    /// Derived sentences.
    pub derived_sentences: usize,
    /// Derived sentences with a counterpart in the source layer.
    pub derived_sentences_covered: usize,
    /// Covered source sentences whose link is partial (the rest are covered in full).
    pub source_sentences_partial: usize,
    /// Partial links (in a block: those of its source sentences).
    pub partial: usize,
    /// Omitted source sentences (1-0), not carried over through another source.
    pub omitted: usize,
    /// Added derived sentences (0-1) that no other source accounts for.
    pub added: usize,
    /// Derived sentences without a counterpart here (0-1) that another source of the derived
    /// layer accounts for: not additions.
    pub from_other_source: usize,
    /// Source sentences without a counterpart here (1-0) carried over into the derived layer
    /// through another of its sources: not omissions, but not in `source_sentences_covered`
    /// (the edge's own figure) either.
    pub carried_over: usize,
    /// Derived sentences without counterpart because of a gap in the source witness.
    pub source_gap: usize,
    /// Source sentences without counterpart because of a gap in the derived witness (not in the
    /// denominator of the percentages).
    pub derived_gap: usize,
    /// Characters of those sentences (not in the denominator of the character percentage).
    pub derived_gap_chars: usize,
    /// Merges, splits and other n:m beads.
    pub merged_or_split: usize,
    /// Doubtful links, omissions and additions (for a block: its source sentences in one).
    pub doubtful: usize,
    /// Percent of source sentences with a counterpart, of those not lost in a gap of the derived
    /// witness; `None` where there is nothing to measure (a side without text).
    pub coverage_pct: Option<f64>,
    /// Percent of source characters with a counterpart; `None` as above.
    pub char_coverage_pct: Option<f64>,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.source_sentences += o.source_sentences;
        self.source_sentences_covered += o.source_sentences_covered;
        self.source_chars += o.source_chars;
        self.source_chars_covered += o.source_chars_covered;
        self.derived_sentences += o.derived_sentences;
        self.derived_sentences_covered += o.derived_sentences_covered;
        self.source_sentences_partial += o.source_sentences_partial;
        self.partial += o.partial;
        self.omitted += o.omitted;
        self.added += o.added;
        self.from_other_source += o.from_other_source;
        self.carried_over += o.carried_over;
        self.source_gap += o.source_gap;
        self.derived_gap += o.derived_gap;
        self.derived_gap_chars += o.derived_gap_chars;
        self.merged_or_split += o.merged_or_split;
        self.doubtful += o.doubtful;
    }

    fn finish(&mut self, measurable: bool) {
        let pct = |a: usize, b: usize| {
            if measurable && b > 0 {
                Some(100.0 * a as f64 / b as f64)
            } else {
                None
            }
        };
        // What a gap of the derived witness took is not the translator's to cover.
        self.coverage_pct = pct(
            self.source_sentences_covered,
            self.source_sentences - self.derived_gap,
        );
        self.char_coverage_pct = pct(
            self.source_chars_covered,
            self.source_chars - self.derived_gap_chars,
        );
    }
}

/// The figures of one block (paragraph, heading …) of one side of an edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockCoverage {
    /// The block index within its layer (0-based, as in [`crate::model::Sentence::block`]).
    pub block: usize,
    /// The id of the first sentence of the block, to find it.
    pub first_sentence: String,
    /// The figures.
    pub counts: Counts,
}

/// A sentence named in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceNote {
    /// Its id.
    pub id: String,
    /// Its block.
    pub block: usize,
    /// Its text.
    pub text: String,
}

/// A link named in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkNote {
    /// The link id.
    pub id: String,
    /// The bead type (`2-1`).
    pub kind: String,
    /// Source sentence ids.
    pub source: Vec<String>,
    /// Derived sentence ids.
    pub derived: Vec<String>,
    /// Its confidence.
    pub cert: f64,
    /// Whether a person confirmed it.
    pub verified: bool,
}

/// The relations in derivation order (by the position of their derived layer).
pub(crate) fn relations_in_order<'a>(
    work: &Work,
    alignment: &'a WorkAlignment,
) -> Vec<&'a Relation> {
    let order = ordered_layers(work, &alignment.relations);
    let pos = |id: &str| order.iter().position(|l| l.id == id).unwrap_or(usize::MAX);
    let mut rels: Vec<&Relation> = alignment.relations.iter().collect();
    rels.sort_by_key(|r| (pos(&r.derived), pos(&r.source)));
    rels
}

/// Compute the coverage report of a work from its layers and its alignment.
pub fn report(
    work: &Work,
    alignment: &WorkAlignment,
    opts: &CoverageOptions,
) -> Result<CoverageReport, CoverageError> {
    let mut edges = Vec::new();
    let mut total = Counts::default();
    let mut texts = crate::provenance::digest::check_texts(work, alignment).changed;
    let without_text = work
        .layers
        .iter()
        .filter(|l| !l.has_text())
        .map(|l| l.id.clone())
        .collect();
    let changed = texts.iter().map(|c| c.item.clone()).collect();
    let sources = Sources::new(alignment, without_text, opts.doubt_below, changed);
    let mut sides = Vec::new();
    for rel in relations_in_order(work, alignment) {
        let (mut edge, s) = edge_coverage(work, alignment, rel, opts, &sources)?;
        sides.push(s);
        let (mine, rest) = texts.into_iter().partition(|c| c.relation == rel.id);
        edge.confirmed_on_another_text = mine;
        texts = rest;
        if edge.state == EdgeState::Measured {
            total.add(&edge.total);
        }
        edges.push(edge);
    }
    total.finish(true);
    let missing_edges = work
        .layers
        .iter()
        .flat_map(|l| l.derivations.iter().map(move |d| (&d.source, &l.id)))
        .filter(|(src, der)| {
            !alignment
                .relations
                .iter()
                .any(|r| &r.source == *src && &r.derived == *der)
        })
        .map(|(src, der)| format!("{src} → {der}"))
        .collect();
    let layers = layer::layers(work, &edges, &sides, &sources);
    Ok(CoverageReport {
        work: alignment.work.clone(),
        doubt_below: opts.doubt_below,
        edges,
        total,
        missing_edges,
        layers,
    })
}

/// Name an agent for people: its display name if a layer or the alignment knows it.
pub(crate) fn agent_name(work: &Work, alignment: &WorkAlignment, id: &str) -> String {
    let mut names: HashMap<&str, &crate::model::Agent> = HashMap::new();
    for a in work
        .layers
        .iter()
        .flat_map(|l| l.agents.iter())
        .chain(alignment.agents.iter())
    {
        names.entry(a.id.as_str()).or_insert(a);
    }
    // "translator unknown", never a bare "unknown" that reads as a name.
    names
        .get(id)
        .map(|a| crate::model::agent_label(a))
        .unwrap_or_else(|| id.to_owned())
}
