//! The coverage report: what each derived layer keeps, omits, adds, merges and doubts, told apart
//! from gaps in the source witness.
//!
//! For every derivation edge (source → derived) the report counts the source sentences (and their
//! characters) that have a counterpart in the derived layer, and lists
//! - omissions (1-0 beads, `source-only`): the translator left a source sentence out;
//! - additions (0-1 beads, `derived-only`): the derived layer has a sentence the source lacks;
//! - source gaps (`source-gap`): a derived sentence has no counterpart because the source
//!   *witness* is incomplete there — not the translator's doing, so it never counts as an addition;
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

use crate::model::{Layer, LinkStatus, Relation, UnalignedKind, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
}

impl CoverageReport {
    /// The lowest coverage (percent of source sentences with a counterpart) over the edges whose
    /// source and derived layers both have text, with the relation id; `None` if there is none.
    pub fn lowest(&self) -> Option<(&EdgeCoverage, f64)> {
        self.edges
            .iter()
            .filter_map(|e| e.total.coverage_pct.map(|p| (e, p)))
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
    /// Source sentences the derived layer omits (1-0).
    pub omitted: Vec<SentenceNote>,
    /// Derived sentences with no source counterpart (0-1).
    pub added: Vec<SentenceNote>,
    /// Derived sentences whose source counterpart is lost in a gap of the source witness.
    pub source_gap: Vec<SentenceNote>,
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
    /// Omitted source sentences (1-0).
    pub omitted: usize,
    /// Added derived sentences (0-1).
    pub added: usize,
    /// Derived sentences without counterpart because of a gap in the source witness.
    pub source_gap: usize,
    /// Merges, splits and other n:m beads.
    pub merged_or_split: usize,
    /// Doubtful links, omissions and additions (for a block: its source sentences in one).
    pub doubtful: usize,
    /// Percent of source sentences with a counterpart; `None` where there is nothing to measure
    /// (a side without text).
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
        self.source_gap += o.source_gap;
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
        self.coverage_pct = pct(self.source_sentences_covered, self.source_sentences);
        self.char_coverage_pct = pct(self.source_chars_covered, self.source_chars);
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

/// What one side's sentence turned out to be along an edge.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Covered,
    Omitted,
    Added,
    SourceGap,
    Unaccounted,
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
    for rel in relations_in_order(work, alignment) {
        let edge = edge_coverage(work, alignment, rel, opts)?;
        if edge.state == EdgeState::Measured {
            total.add(&edge.total);
        }
        edges.push(edge);
    }
    total.finish(true);
    Ok(CoverageReport {
        work: alignment.work.clone(),
        doubt_below: opts.doubt_below,
        edges,
        total,
    })
}

fn layer<'a>(work: &'a Work, id: &str, rel: &Relation) -> Result<&'a Layer, CoverageError> {
    work.layer(id).ok_or_else(|| {
        CoverageError::Inconsistent(format!(
            "relation {} names layer '{}', which the work {} does not have",
            rel.id, id, work.id
        ))
    })
}

/// Sentence id → index in its layer, built once per layer so that looking up every link stays
/// linear in the length of the text.
struct Index<'a> {
    layer: &'a Layer,
    pos: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(layer: &'a Layer) -> Self {
        let pos = layer
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Index { layer, pos }
    }

    fn get(&self, id: &str, what: &str) -> Result<usize, CoverageError> {
        // Pointers may arrive as `cs.xml#cs.s3` or `#cs.s3`; the model keeps bare ids, but be
        // lenient.
        let bare = id.rsplit('#').next().unwrap_or(id);
        self.pos.get(bare).copied().ok_or_else(|| {
            CoverageError::Inconsistent(format!(
                "{what} points to sentence '{id}', which layer {} ({}) does not have",
                self.layer.id,
                self.layer.path.display()
            ))
        })
    }
}

fn chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn edge_coverage(
    work: &Work,
    alignment: &WorkAlignment,
    rel: &Relation,
    opts: &CoverageOptions,
) -> Result<EdgeCoverage, CoverageError> {
    let src = layer(work, &rel.source, rel)?;
    let der = layer(work, &rel.derived, rel)?;
    let state = if !src.has_text() {
        EdgeState::NoSourceText
    } else if !der.has_text() {
        EdgeState::NoDerivedText
    } else {
        EdgeState::Measured
    };
    let edge = alignment.edges.iter().find(|e| e.relation == rel.id);
    let (src_ix, der_ix) = (Index::new(src), Index::new(der));

    let mut src_fate = vec![Fate::Unaccounted; src.sentences.len()];
    let mut der_fate = vec![Fate::Unaccounted; der.sentences.len()];
    let mut src_doubt = vec![false; src.sentences.len()];
    let mut src_partial = vec![false; src.sentences.len()];
    let mut merged_or_split = Vec::new();
    let mut partial = Vec::new();
    let mut doubtful = Vec::new();
    if let Some(edge) = edge {
        for link in &edge.links {
            let what = format!("link {}", link.id);
            let s: Vec<usize> = link
                .source
                .iter()
                .map(|id| src_ix.get(id, &what))
                .collect::<Result<_, _>>()?;
            let d: Vec<usize> = link
                .derived
                .iter()
                .map(|id| der_ix.get(id, &what))
                .collect::<Result<_, _>>()?;
            // A link with one empty side is a 1-0 or 0-1 bead kept as a link.
            let (sf, df) = match (s.is_empty(), d.is_empty()) {
                (false, false) => (Fate::Covered, Fate::Covered),
                (false, true) => (Fate::Omitted, Fate::Covered),
                (true, false) => (Fate::Covered, Fate::Added),
                (true, true) => continue,
            };
            for &i in &s {
                src_fate[i] = sf;
            }
            for &i in &d {
                der_fate[i] = df;
            }
            let verified = matches!(link.status, LinkStatus::Verified { .. });
            let note = || LinkNote {
                id: link.id.clone(),
                kind: link.kind(),
                source: link.source.clone(),
                derived: link.derived.clone(),
                cert: link.cert,
                verified,
            };
            if !s.is_empty() && !d.is_empty() && (s.len() > 1 || d.len() > 1) {
                merged_or_split.push(note());
            }
            if link.partial && !s.is_empty() && !d.is_empty() {
                partial.push(note());
                for &i in &s {
                    src_partial[i] = true;
                }
            }
            if !verified && link.cert < opts.doubt_below {
                doubtful.push(note());
                for &i in &s {
                    src_doubt[i] = true;
                }
            }
        }
        for u in &edge.unaligned {
            let what = format!("unaligned ptr {}", u.id);
            let on_source = u.layer == src.id;
            let on_derived = u.layer == der.id;
            // An omission or addition the aligner is unsure of is as doubtful as a link (the
            // confidence of a 1-0 / 0-1 bead is calibrated like any other). A source gap is a
            // fact of the witness, never doubtful.
            let verified = matches!(u.status, LinkStatus::Verified { .. });
            if u.kind != UnalignedKind::SourceGap && !verified && u.cert < opts.doubt_below {
                let (source, derived, kind) = if u.kind == UnalignedKind::SourceOnly {
                    (vec![u.sentence.clone()], Vec::new(), "1-0")
                } else {
                    (Vec::new(), vec![u.sentence.clone()], "0-1")
                };
                if u.kind == UnalignedKind::SourceOnly && on_source {
                    src_doubt[src_ix.get(&u.sentence, &what)?] = true;
                }
                doubtful.push(LinkNote {
                    id: u.id.clone(),
                    kind: kind.to_owned(),
                    source,
                    derived,
                    cert: u.cert,
                    verified,
                });
            }
            match (u.kind, on_source, on_derived) {
                (UnalignedKind::SourceOnly, true, _) => {
                    src_fate[src_ix.get(&u.sentence, &what)?] = Fate::Omitted
                }
                (UnalignedKind::DerivedOnly, _, true) => {
                    der_fate[der_ix.get(&u.sentence, &what)?] = Fate::Added
                }
                (UnalignedKind::SourceGap, _, true) => {
                    der_fate[der_ix.get(&u.sentence, &what)?] = Fate::SourceGap
                }
                _ => {
                    return Err(CoverageError::Inconsistent(format!(
                        "unaligned ptr {} ({}) names layer '{}', which is not the {} side of {}",
                        u.id,
                        u.kind.as_str(),
                        u.layer,
                        if u.kind == UnalignedKind::SourceOnly {
                            "source"
                        } else {
                            "derived"
                        },
                        rel.id
                    )));
                }
            }
        }
    }
    if state == EdgeState::NoSourceText {
        // Nothing in the derived layer can be the translator's addition: the source is lost.
        der_fate.fill(Fate::SourceGap);
    }

    let note = |l: &Layer, i: usize| SentenceNote {
        id: l.sentences[i].id.clone(),
        block: l.sentences[i].block,
        text: l.sentences[i].text.clone(),
    };
    let pick = |l: &Layer, fates: &[Fate], want: Fate| -> Vec<SentenceNote> {
        (0..fates.len())
            .filter(|&i| fates[i] == want)
            .map(|i| note(l, i))
            .collect()
    };

    // Per block of each side.
    let mut sblocks: BTreeMap<usize, BlockCoverage> = BTreeMap::new();
    for (i, s) in src.sentences.iter().enumerate() {
        let b = sblocks.entry(s.block).or_insert_with(|| BlockCoverage {
            block: s.block,
            first_sentence: s.id.clone(),
            counts: Counts::default(),
        });
        let c = &mut b.counts;
        c.source_sentences += 1;
        c.source_chars += chars(&s.text);
        if src_fate[i] == Fate::Covered {
            c.source_sentences_covered += 1;
            c.source_chars_covered += chars(&s.text);
            if src_partial[i] {
                c.source_sentences_partial += 1;
                c.partial += 1;
            }
        }
        if src_fate[i] == Fate::Omitted {
            c.omitted += 1;
        }
        if src_doubt[i] {
            c.doubtful += 1;
        }
    }
    let mut dblocks: BTreeMap<usize, BlockCoverage> = BTreeMap::new();
    for (i, s) in der.sentences.iter().enumerate() {
        let b = dblocks.entry(s.block).or_insert_with(|| BlockCoverage {
            block: s.block,
            first_sentence: s.id.clone(),
            counts: Counts::default(),
        });
        let c = &mut b.counts;
        c.derived_sentences += 1;
        match der_fate[i] {
            Fate::Covered => c.derived_sentences_covered += 1,
            Fate::Added => c.added += 1,
            Fate::SourceGap => c.source_gap += 1,
            Fate::Omitted | Fate::Unaccounted => {}
        }
    }
    let measurable = state == EdgeState::Measured;
    let mut total = Counts::default();
    for b in sblocks.values_mut() {
        total.add(&b.counts);
        b.counts.finish(measurable);
    }
    for b in dblocks.values_mut() {
        total.add(&b.counts);
        b.counts.finish(measurable);
    }
    total.merged_or_split = merged_or_split.len();
    // Partial links, not partial source sentences, in the edge total.
    total.partial = partial.len();
    // Doubtful links, not doubtful source sentences, in the edge total.
    total.doubtful = doubtful.len();
    total.finish(measurable);

    Ok(EdgeCoverage {
        relation: rel.id.clone(),
        source: rel.source.clone(),
        derived: rel.derived.clone(),
        kind: rel.kind.as_str().to_owned(),
        resp: rel.resp.clone(),
        state,
        total,
        source_blocks: sblocks.into_values().collect(),
        derived_blocks: dblocks.into_values().collect(),
        omitted: pick(src, &src_fate, Fate::Omitted),
        added: pick(der, &der_fate, Fate::Added),
        source_gap: pick(der, &der_fate, Fate::SourceGap),
        merged_or_split,
        partial,
        doubtful,
        unaccounted: pick(src, &src_fate, Fate::Unaccounted),
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

fn pct(p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{p:.1} %"),
        None => "—".to_owned(),
    }
}

fn clip(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// The report as a readable table for the terminal.
pub fn to_text(report: &CoverageReport) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Coverage of {} (doubtful: automatic links, omissions and additions with cert < {})",
        report.work, report.doubt_below
    );
    let _ = writeln!(o);
    if report.edges.is_empty() {
        // A table of zeros would read as "nothing covered"; there is simply nothing to compare.
        let _ = writeln!(
            o,
            "no derivation edges: no layer of this work is derived from another, so there is \
             nothing to compare"
        );
        return o;
    }
    let _ = writeln!(
        o,
        "{:<12} {:>9} {:>9} {:>9} {:>5} {:>7} {:>7} {:>6} {:>10} {:>8} {:>8}",
        "edge",
        "sentences",
        "coverage",
        "chars",
        "full",
        "partial",
        "omitted",
        "added",
        "source-gap",
        "n:m",
        "doubtful"
    );
    for e in &report.edges {
        let name = format!("{} → {}", e.source, e.derived);
        let t = &e.total;
        match e.state {
            EdgeState::NoSourceText => {
                let _ = writeln!(
                    o,
                    "{:<12} no text: the source witness {} has no text ({} sentences of {} cannot be checked)",
                    name, e.source, t.derived_sentences, e.derived
                );
            }
            EdgeState::NoDerivedText => {
                let _ = writeln!(
                    o,
                    "{:<12} no text: the derived witness {} has no text",
                    name, e.derived
                );
            }
            EdgeState::Measured => {
                let _ = writeln!(
                    o,
                    "{:<12} {:>9} {:>9} {:>9} {:>5} {:>7} {:>7} {:>6} {:>10} {:>8} {:>8}",
                    name,
                    format!("{}/{}", t.source_sentences_covered, t.source_sentences),
                    pct(t.coverage_pct),
                    pct(t.char_coverage_pct),
                    t.source_sentences_covered - t.source_sentences_partial,
                    t.source_sentences_partial,
                    t.omitted,
                    t.added,
                    t.source_gap,
                    t.merged_or_split,
                    t.doubtful
                );
            }
        }
    }
    let _ = writeln!(
        o,
        "{:<12} {:>9} {:>9} {:>9} {:>5} {:>7} {:>7} {:>6} {:>10} {:>8} {:>8}",
        "whole work",
        format!(
            "{}/{}",
            report.total.source_sentences_covered, report.total.source_sentences
        ),
        pct(report.total.coverage_pct),
        pct(report.total.char_coverage_pct),
        report.total.source_sentences_covered - report.total.source_sentences_partial,
        report.total.source_sentences_partial,
        report.total.omitted,
        report.total.added,
        report.total.source_gap,
        report.total.merged_or_split,
        report.total.doubtful
    );
    for e in &report.edges {
        if e.state != EdgeState::Measured {
            continue;
        }
        let _ = writeln!(o);
        // Only the blocks with something to look at; the rest are summed up in one line.
        let notable: Vec<&BlockCoverage> = e
            .source_blocks
            .iter()
            .filter(|b| {
                b.counts.source_sentences_covered < b.counts.source_sentences
                    || b.counts.omitted > 0
                    || b.counts.partial > 0
                    || b.counts.doubtful > 0
            })
            .collect();
        let _ = writeln!(
            o,
            "{} → {} per block of {}: {} of {} blocks complete, in full and without doubt{}",
            e.source,
            e.derived,
            e.source,
            e.source_blocks.len() - notable.len(),
            e.source_blocks.len(),
            if notable.is_empty() {
                ""
            } else {
                "; the others:"
            }
        );
        for b in notable {
            let c = &b.counts;
            let mut extra = String::new();
            if c.omitted > 0 {
                let _ = write!(extra, "  omitted {}", c.omitted);
            }
            if c.partial > 0 {
                let _ = write!(extra, "  partial {}", c.partial);
            }
            if c.doubtful > 0 {
                let _ = write!(extra, "  doubtful {}", c.doubtful);
            }
            let _ = writeln!(
                o,
                "  {:<24} {:>7} {:>9}{}",
                format!("block {} (from {})", b.block, b.first_sentence),
                format!("{}/{}", c.source_sentences_covered, c.source_sentences),
                pct(c.coverage_pct),
                extra
            );
        }
        let marked: Vec<&BlockCoverage> = e
            .derived_blocks
            .iter()
            .filter(|b| b.counts.added > 0 || b.counts.source_gap > 0)
            .collect();
        if !marked.is_empty() {
            let _ = writeln!(
                o,
                "  blocks of {} with sentences lacking a source:",
                e.derived
            );
            for b in marked {
                let _ = writeln!(
                    o,
                    "  {:<24} added {}  source-gap {}",
                    format!("block {} (from {})", b.block, b.first_sentence),
                    b.counts.added,
                    b.counts.source_gap
                );
            }
        }
        let lists: [(&str, &Vec<SentenceNote>); 4] = [
            ("omitted (1-0)", &e.omitted),
            ("added (0-1)", &e.added),
            (
                "source gap (the source witness is incomplete)",
                &e.source_gap,
            ),
            ("not in the alignment", &e.unaccounted),
        ];
        for (title, list) in lists {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(o, "  {title}:");
            for s in list {
                let _ = writeln!(o, "    {:<10} {}", s.id, clip(&s.text, 60));
            }
        }
        for (title, list) in [
            ("merged/split", &e.merged_or_split),
            (
                "partial (one side covers clearly less than the other)",
                &e.partial,
            ),
            ("doubtful", &e.doubtful),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(o, "  {title}:");
            for l in list {
                let _ = writeln!(
                    o,
                    "    {:<12} {:<4} cert {:.2}  {} ↔ {}",
                    l.id,
                    l.kind,
                    l.cert,
                    l.source.join(" "),
                    l.derived.join(" ")
                );
            }
        }
    }
    o
}
