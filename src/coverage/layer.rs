//! A derived layer against all its sources: what the edges into it say together. For a layer
//! with one source these are the figures of its edge; for a layer made from several (a Czech
//! translation made from the Greek and the English) a sentence is accounted for when at least
//! one source links it, an addition only when no source does and none has a gap there, and a
//! source sentence omitted on its own edge but carried over through another source is no
//! omission. How sure the evidence is stays visible: a sentence matched only by partial or
//! doubtful links is not matched in full.

use super::edge::{Fate, Quality, Sides};
use super::sources::{Carried, Elsewhere, Sources};
use super::{EdgeCoverage, EdgeState, LinkNote};
use crate::model::{Layer, Sentence, Work};
use crate::provenance::digest::TextChanged;
use serde::Serialize;

/// A sentence named in the view of a layer against all its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerNote {
    /// Its id.
    pub id: String,
    /// Its layer.
    pub layer: String,
    /// Its block.
    pub block: usize,
    /// Its text.
    pub text: String,
    /// The sources that link it (a derived sentence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matched_in: Vec<String>,
    /// The sources tried that have no counterpart for it (a derived sentence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched_in: Vec<String>,
    /// The sources whose witness has a gap where it stands, or no text (a derived sentence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gap_in: Vec<String>,
    /// The links that match it in `matched_in`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// A source sentence carried over through another source: the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried: Option<Carried>,
    /// The paths tried for a source sentence omitted: its own edge (`en → cs`) and through each
    /// other source (`en ↔ grc → cs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
    /// How a matched sentence not matched in full is matched at best: `partial` or
    /// `doubtful` (doubtful links, or confirmations of a text since edited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<String>,
}

impl LayerNote {
    pub(super) fn new(layer: &Layer, s: &Sentence) -> Self {
        LayerNote {
            id: s.id.clone(),
            layer: layer.id.clone(),
            block: s.block,
            text: s.text.clone(),
            matched_in: Vec::new(),
            unmatched_in: Vec::new(),
            gap_in: Vec::new(),
            links: Vec::new(),
            carried: None,
            tried: Vec::new(),
            matched_by: None,
        }
    }

    pub(super) fn elsewhere(&mut self, e: Elsewhere) {
        self.matched_in = e.matched_in;
        self.links = e.links;
        self.gap_in = e.gap_in;
    }

    pub(super) fn carried(&mut self, c: Carried) {
        self.carried = Some(c);
    }
}

/// The figures of a layer against all its sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LayerCounts {
    /// Sentences of its sources (those with text), together.
    pub source_sentences: usize,
    /// Of those, with a counterpart on their own edge.
    pub source_sentences_covered: usize,
    /// Of those, without one on their own edge but carried over through another source.
    pub source_sentences_carried: usize,
    /// Covered or carried only by partial links.
    pub source_sentences_partial: usize,
    /// Characters of the source sentences.
    pub source_chars: usize,
    /// Characters of the source sentences covered or carried over.
    pub source_chars_covered: usize,
    /// Source sentences omitted: no counterpart on their edge, not carried over.
    pub omitted: usize,
    /// Source sentences lost in a gap of this layer's witness (not in the denominators).
    pub derived_gap: usize,
    /// Their characters.
    pub derived_gap_chars: usize,
    /// Sentences of the layer.
    pub derived_sentences: usize,
    /// Of those, linked in at least one source.
    pub derived_matched: usize,
    /// Linked in full (not partial, not doubtful) in at least one source.
    pub derived_full: usize,
    /// Linked at best by a partial link.
    pub derived_partial: usize,
    /// Linked only by doubtful links (or confirmations of a text since edited).
    pub derived_doubtful: usize,
    /// Linked in one source, without a counterpart in another: from the other source.
    pub from_other_source: usize,
    /// Linked in no source, and no source has a gap there: additions.
    pub added: usize,
    /// Linked in no source, past a gap of (or in a layer made from) a source without text.
    pub source_gap: usize,
    /// Sentences of either side in no link and no unaligned ptr (run `align`).
    pub unaccounted: usize,
    /// Percent of the source sentences covered or carried over, of those not lost in a gap of
    /// this layer's witness: what `--fail-under` compares for a layer made from several sources.
    pub coverage_pct: Option<f64>,
    /// The same for characters.
    pub char_coverage_pct: Option<f64>,
}

/// A derived layer against all its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerCoverage {
    /// The layer id.
    pub layer: String,
    /// Its sources, in derivation order.
    pub sources: Vec<String>,
    /// `measured`, `no-source-text` (none of its sources has text) or `no-derived-text`.
    pub state: EdgeState,
    /// The figures.
    pub total: LayerCounts,
    /// Source sentences omitted (with the paths tried).
    pub omitted: Vec<LayerNote>,
    /// Source sentences carried over through another source.
    pub carried_over: Vec<LayerNote>,
    /// Source sentences lost in a gap of this layer's witness.
    pub derived_gap: Vec<LayerNote>,
    /// Sentences of the layer linked in no source (with the sources tried).
    pub added: Vec<LayerNote>,
    /// Sentences without a counterpart in one source but linked in another.
    pub from_other_source: Vec<LayerNote>,
    /// Sentences linked in no source, past a gap of a source witness.
    pub source_gap: Vec<LayerNote>,
    /// Sentences linked, but not in full: only partially or doubtfully.
    pub not_in_full: Vec<LayerNote>,
    /// Partial links of the edges into the layer.
    pub partial: Vec<LinkNote>,
    /// Doubtful beads of the edges into the layer.
    pub doubtful: Vec<LinkNote>,
    /// Confirmations of the edges into the layer whose sentences were edited since.
    pub confirmed_on_another_text: Vec<TextChanged>,
}

impl LayerCoverage {
    /// `cs (from grc, en)`.
    pub fn name(&self) -> String {
        format!("{} (from {})", self.layer, self.sources.join(", "))
    }
}

fn chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// One entry per derived layer, in the order of the edges (derivation order).
pub(super) fn layers(
    work: &Work,
    edges: &[EdgeCoverage],
    sides: &[Sides],
    sources: &Sources<'_>,
) -> Vec<LayerCoverage> {
    let mut out: Vec<LayerCoverage> = Vec::new();
    for e in edges {
        if out.iter().any(|l| l.layer == e.derived) {
            continue;
        }
        let into: Vec<usize> = (0..edges.len())
            .filter(|&k| edges[k].derived == e.derived)
            .collect();
        if let Some(der) = work.layer(&e.derived) {
            out.push(layer(work, der, &into, edges, sides, sources));
        }
    }
    out
}

fn layer(
    work: &Work,
    der: &Layer,
    into: &[usize],
    edges: &[EdgeCoverage],
    sides: &[Sides],
    sources: &Sources<'_>,
) -> LayerCoverage {
    let names: Vec<String> = into.iter().map(|&k| edges[k].source.clone()).collect();
    let with_text = into
        .iter()
        .any(|&k| work.layer(&edges[k].source).is_some_and(Layer::has_text));
    let state = if !der.has_text() {
        EdgeState::NoDerivedText
    } else if !with_text {
        EdgeState::NoSourceText
    } else {
        EdgeState::Measured
    };
    let mut v = LayerCoverage {
        layer: der.id.clone(),
        sources: names,
        state,
        total: LayerCounts::default(),
        omitted: Vec::new(),
        carried_over: Vec::new(),
        derived_gap: Vec::new(),
        added: Vec::new(),
        from_other_source: Vec::new(),
        source_gap: Vec::new(),
        not_in_full: Vec::new(),
        partial: Vec::new(),
        doubtful: Vec::new(),
        confirmed_on_another_text: Vec::new(),
    };
    for &k in into {
        v.partial.extend(edges[k].partial.iter().cloned());
        v.doubtful.extend(edges[k].doubtful.iter().cloned());
        v.confirmed_on_another_text
            .extend(edges[k].confirmed_on_another_text.iter().cloned());
        if let Some(src) = work.layer(&edges[k].source) {
            source_side(&mut v, src, &edges[k], &sides[k], sources);
        }
    }
    derived_side(&mut v, der, into, edges, sides, sources);
    let t = &mut v.total;
    let measured = state == EdgeState::Measured;
    let pct = |a: usize, b: usize| (measured && b > 0).then(|| 100.0 * a as f64 / b as f64);
    t.coverage_pct = pct(
        t.source_sentences_covered + t.source_sentences_carried,
        t.source_sentences - t.derived_gap,
    );
    t.char_coverage_pct = pct(t.source_chars_covered, t.source_chars - t.derived_gap_chars);
    v
}

/// The sentences of one source of the layer, as its edge and the other sources leave them.
fn source_side(
    v: &mut LayerCoverage,
    src: &Layer,
    e: &EdgeCoverage,
    side: &Sides,
    sources: &Sources<'_>,
) {
    let t = &mut v.total;
    for (i, s) in src.sentences.iter().enumerate() {
        let n = chars(&s.text);
        t.source_sentences += 1;
        t.source_chars += n;
        match side.src[i] {
            Fate::Covered => {
                t.source_sentences_covered += 1;
                t.source_chars_covered += n;
                if side.src_quality[i] == Quality::Partial {
                    t.source_sentences_partial += 1;
                }
            }
            Fate::Carried => {
                t.source_sentences_carried += 1;
                t.source_chars_covered += n;
                if let Some(c) = e.carried_over.iter().find(|c| c.id == s.id) {
                    if c.carried.as_ref().is_some_and(|c| c.partial) {
                        t.source_sentences_partial += 1;
                    }
                    v.carried_over.push(c.clone());
                }
            }
            Fate::Omitted => {
                t.omitted += 1;
                let mut note = LayerNote::new(src, s);
                note.tried.push(format!("{} → {}", e.source, e.derived));
                for route in sources.routes(&e.source, &e.derived) {
                    note.tried
                        .push(format!("{} → {}", route.join(" ↔ "), e.derived));
                }
                v.omitted.push(note);
            }
            Fate::DerivedGap => {
                t.derived_gap += 1;
                t.derived_gap_chars += n;
                v.derived_gap.push(LayerNote::new(src, s));
            }
            Fate::Unaccounted => t.unaccounted += 1,
            Fate::Added | Fate::SourceGap | Fate::FromOtherSource => {}
        }
    }
}

/// The sentences of the layer, each against all its sources.
fn derived_side(
    v: &mut LayerCoverage,
    der: &Layer,
    into: &[usize],
    edges: &[EdgeCoverage],
    sides: &[Sides],
    sources: &Sources<'_>,
) {
    let t = &mut v.total;
    for (i, s) in der.sentences.iter().enumerate() {
        t.derived_sentences += 1;
        let (mut matched, mut unmatched, mut gap, mut unaccounted) = (0, Vec::new(), 0, false);
        let mut best = Quality::None;
        for &k in into {
            match sides[k].der[i] {
                Fate::Covered => {
                    matched += 1;
                    best = best.max(sides[k].der_quality[i]);
                }
                Fate::Added | Fate::FromOtherSource => unmatched.push(edges[k].source.clone()),
                Fate::SourceGap => gap += 1,
                Fate::Unaccounted => unaccounted = true,
                Fate::Omitted | Fate::DerivedGap | Fate::Carried => {}
            }
        }
        let mut note = LayerNote::new(der, s);
        note.elsewhere(sources.elsewhere(&der.id, "", &s.id));
        note.unmatched_in = unmatched;
        if matched > 0 {
            t.derived_matched += 1;
            let by = match best {
                Quality::Full => {
                    t.derived_full += 1;
                    None
                }
                Quality::Partial => {
                    t.derived_partial += 1;
                    Some("partial")
                }
                Quality::Doubtful | Quality::None => {
                    t.derived_doubtful += 1;
                    Some("doubtful")
                }
            };
            note.matched_by = by.map(str::to_owned);
            if by.is_some() {
                v.not_in_full.push(note.clone());
            }
            if !note.unmatched_in.is_empty() {
                t.from_other_source += 1;
                v.from_other_source.push(note);
            }
        } else if unaccounted {
            t.unaccounted += 1;
        } else if gap > 0 {
            t.source_gap += 1;
            v.source_gap.push(note);
        } else {
            t.added += 1;
            v.added.push(note);
        }
    }
}
