//! The coverage of one edge: what every link and unaligned ptr says about each sentence of the
//! two sides (its [`Fate`]), then the figures per block and for the whole edge.

use super::sources::Sources;
use super::{BlockCoverage, Counts, CoverageError, CoverageOptions, EdgeCoverage, EdgeState};
use super::{LayerNote, LinkNote, SentenceNote};
use crate::model::WorkAlignment;
use crate::model::{Layer, Link, LinkStatus, Relation, Unaligned, UnalignedKind, Work};
use std::collections::{BTreeMap, HashMap};

/// What one side's sentence turned out to be along an edge.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Fate {
    Covered,
    Omitted,
    Added,
    SourceGap,
    DerivedGap,
    Unaccounted,
    /// A derived sentence without a counterpart in this source that another source of its
    /// layer links (or has a gap at): not an addition.
    FromOtherSource,
    /// A source sentence without a counterpart on this edge carried over into the derived
    /// layer through another of its sources: not an omission.
    Carried,
}

/// How well a sentence is matched on an edge: by its best link.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Quality {
    /// In no link with a counterpart.
    None,
    /// Only by doubtful links (or confirmations of a text since edited).
    Doubtful,
    /// By a partial link at best.
    Partial,
    /// By a link neither partial nor doubtful.
    Full,
}

/// The per-sentence outcome of an edge, for the view of a layer against all its sources.
pub(super) struct Sides {
    pub(super) src: Vec<Fate>,
    pub(super) der: Vec<Fate>,
    pub(super) src_quality: Vec<Quality>,
    pub(super) der_quality: Vec<Quality>,
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

/// What the beads of an edge say about each sentence of its two sides, and the beads to name.
struct Fates<'a> {
    src_ix: Index<'a>,
    der_ix: Index<'a>,
    doubt_below: f64,
    src: Vec<Fate>,
    der: Vec<Fate>,
    /// Source sentences in a doubtful bead.
    src_doubt: Vec<bool>,
    /// Source sentences in a partial link.
    src_partial: Vec<bool>,
    src_quality: Vec<Quality>,
    der_quality: Vec<Quality>,
    merged_or_split: Vec<LinkNote>,
    partial: Vec<LinkNote>,
    doubtful: Vec<LinkNote>,
}

impl<'a> Fates<'a> {
    fn new(src: &'a Layer, der: &'a Layer, doubt_below: f64) -> Self {
        Fates {
            src_ix: Index::new(src),
            der_ix: Index::new(der),
            doubt_below,
            src: vec![Fate::Unaccounted; src.sentences.len()],
            der: vec![Fate::Unaccounted; der.sentences.len()],
            src_doubt: vec![false; src.sentences.len()],
            src_partial: vec![false; src.sentences.len()],
            src_quality: vec![Quality::None; src.sentences.len()],
            der_quality: vec![Quality::None; der.sentences.len()],
            merged_or_split: Vec::new(),
            partial: Vec::new(),
            doubtful: Vec::new(),
        }
    }

    /// Take in one link; `doubtful`: whether it is doubtful for the quality of its sentences
    /// (as [`Sources::doubtful`]).
    fn link(&mut self, link: &Link, doubtful: bool) -> Result<(), CoverageError> {
        let what = format!("link {}", link.id);
        let s: Vec<usize> = link
            .source
            .iter()
            .map(|id| self.src_ix.get(id, &what))
            .collect::<Result<_, _>>()?;
        let d: Vec<usize> = link
            .derived
            .iter()
            .map(|id| self.der_ix.get(id, &what))
            .collect::<Result<_, _>>()?;
        // A link with one empty side is a 1-0 or 0-1 bead kept as a link.
        let (sf, df) = match (s.is_empty(), d.is_empty()) {
            (false, false) => (Fate::Covered, Fate::Covered),
            (false, true) => (Fate::Omitted, Fate::Covered),
            (true, false) => (Fate::Covered, Fate::Added),
            (true, true) => return Ok(()),
        };
        for &i in &s {
            self.src[i] = sf;
        }
        for &i in &d {
            self.der[i] = df;
        }
        if !s.is_empty() && !d.is_empty() {
            let q = if doubtful {
                Quality::Doubtful
            } else if link.partial {
                Quality::Partial
            } else {
                Quality::Full
            };
            for &i in &s {
                self.src_quality[i] = self.src_quality[i].max(q);
            }
            for &i in &d {
                self.der_quality[i] = self.der_quality[i].max(q);
            }
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
            self.merged_or_split.push(note());
        }
        if link.partial && !s.is_empty() && !d.is_empty() {
            self.partial.push(note());
            for &i in &s {
                self.src_partial[i] = true;
            }
        }
        if !verified && link.cert < self.doubt_below {
            self.doubtful.push(note());
            for &i in &s {
                self.src_doubt[i] = true;
            }
        }
        Ok(())
    }

    fn unaligned(&mut self, u: &Unaligned, rel: &Relation) -> Result<(), CoverageError> {
        let what = format!("unaligned ptr {}", u.id);
        let on_source = u.layer == self.src_ix.layer.id;
        let on_derived = u.layer == self.der_ix.layer.id;
        // An omission or addition the aligner is unsure of is as doubtful as a link (the
        // confidence of a 1-0 / 0-1 bead is calibrated like any other). A gap of a witness
        // (source or derived) is a fact of the witness, never doubtful.
        let verified = matches!(u.status, LinkStatus::Verified { .. });
        if !u.kind.is_gap() && !verified && u.cert < self.doubt_below {
            let (source, derived, kind) = if u.kind == UnalignedKind::SourceOnly {
                (vec![u.sentence.clone()], Vec::new(), "1-0")
            } else {
                (Vec::new(), vec![u.sentence.clone()], "0-1")
            };
            if u.kind == UnalignedKind::SourceOnly && on_source {
                self.src_doubt[self.src_ix.get(&u.sentence, &what)?] = true;
            }
            self.doubtful.push(LinkNote {
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
                self.src[self.src_ix.get(&u.sentence, &what)?] = Fate::Omitted
            }
            (UnalignedKind::DerivedOnly, _, true) => {
                self.der[self.der_ix.get(&u.sentence, &what)?] = Fate::Added
            }
            (UnalignedKind::SourceGap, _, true) => {
                self.der[self.der_ix.get(&u.sentence, &what)?] = Fate::SourceGap
            }
            (UnalignedKind::DerivedGap, true, _) => {
                self.src[self.src_ix.get(&u.sentence, &what)?] = Fate::DerivedGap
            }
            _ => {
                return Err(CoverageError::Inconsistent(format!(
                    "unaligned ptr {} ({}) names layer '{}', which is not the {} side of {}",
                    u.id,
                    u.kind.as_str(),
                    u.layer,
                    if u.kind.on_source() {
                        "source"
                    } else {
                        "derived"
                    },
                    rel.id
                )));
            }
        }
        Ok(())
    }

    /// The sentences of `l` whose fate (in `fates`, one of this edge's sides) is `want`.
    fn pick(l: &Layer, fates: &[Fate], want: Fate) -> Vec<SentenceNote> {
        (0..fates.len())
            .filter(|&i| fates[i] == want)
            .map(|i| SentenceNote {
                id: l.sentences[i].id.clone(),
                block: l.sentences[i].block,
                text: l.sentences[i].text.clone(),
            })
            .collect()
    }

    /// The figures per block of the source side.
    fn source_blocks(&self) -> BTreeMap<usize, BlockCoverage> {
        let mut blocks: BTreeMap<usize, BlockCoverage> = BTreeMap::new();
        for (i, s) in self.src_ix.layer.sentences.iter().enumerate() {
            let c = &mut block(&mut blocks, s).counts;
            c.source_sentences += 1;
            c.source_chars += chars(&s.text);
            if self.src[i] == Fate::Covered {
                c.source_sentences_covered += 1;
                c.source_chars_covered += chars(&s.text);
                if self.src_partial[i] {
                    c.source_sentences_partial += 1;
                    c.partial += 1;
                }
            }
            if self.src[i] == Fate::Omitted {
                c.omitted += 1;
            }
            if self.src[i] == Fate::Carried {
                c.carried_over += 1;
            }
            if self.src[i] == Fate::DerivedGap {
                c.derived_gap += 1;
                c.derived_gap_chars += chars(&s.text);
            }
            if self.src_doubt[i] {
                c.doubtful += 1;
            }
        }
        blocks
    }

    /// The figures per block of the derived side.
    fn derived_blocks(&self) -> BTreeMap<usize, BlockCoverage> {
        let mut blocks: BTreeMap<usize, BlockCoverage> = BTreeMap::new();
        for (i, s) in self.der_ix.layer.sentences.iter().enumerate() {
            let c = &mut block(&mut blocks, s).counts;
            c.derived_sentences += 1;
            match self.der[i] {
                Fate::Covered => c.derived_sentences_covered += 1,
                Fate::Added => c.added += 1,
                Fate::SourceGap => c.source_gap += 1,
                Fate::FromOtherSource => c.from_other_source += 1,
                Fate::Omitted | Fate::DerivedGap | Fate::Unaccounted | Fate::Carried => {}
            }
        }
        blocks
    }
}

/// The entry of the block of sentence `s`, made when `s` is its first sentence.
fn block<'b>(
    blocks: &'b mut BTreeMap<usize, BlockCoverage>,
    s: &crate::model::Sentence,
) -> &'b mut BlockCoverage {
    blocks.entry(s.block).or_insert_with(|| BlockCoverage {
        block: s.block,
        first_sentence: s.id.clone(),
        counts: Counts::default(),
    })
}

/// The coverage of the edge of `rel`, and what it says of each sentence (for the view of its
/// derived layer against all its sources).
pub(super) fn edge_coverage(
    work: &Work,
    alignment: &WorkAlignment,
    rel: &Relation,
    opts: &CoverageOptions,
    sources: &Sources<'_>,
) -> Result<(EdgeCoverage, Sides), CoverageError> {
    let src = layer(work, &rel.source, rel)?;
    let der = layer(work, &rel.derived, rel)?;
    let state = if !src.has_text() {
        EdgeState::NoSourceText
    } else if !der.has_text() {
        EdgeState::NoDerivedText
    } else {
        EdgeState::Measured
    };
    let mut f = Fates::new(src, der, opts.doubt_below);
    if let Some(edge) = alignment.edges.iter().find(|e| e.relation == rel.id) {
        for link in &edge.links {
            f.link(link, sources.doubtful(link))?;
        }
        for u in &edge.unaligned {
            f.unaligned(u, rel)?;
        }
    }
    if state == EdgeState::NoSourceText {
        // Nothing in the derived layer can be the translator's addition: the source is lost.
        f.der.fill(Fate::SourceGap);
    }
    let (from_other_source, carried_over) = if state == EdgeState::Measured {
        other_sources(&mut f, rel, sources)
    } else {
        (Vec::new(), Vec::new())
    };
    let (mut sblocks, mut dblocks) = (f.source_blocks(), f.derived_blocks());
    let measurable = state == EdgeState::Measured;
    let mut total = Counts::default();
    for b in sblocks.values_mut().chain(dblocks.values_mut()) {
        total.add(&b.counts);
        b.counts.finish(measurable);
    }
    total.merged_or_split = f.merged_or_split.len();
    // Partial links, not partial source sentences, in the edge total.
    total.partial = f.partial.len();
    // Doubtful links, not doubtful source sentences, in the edge total.
    total.doubtful = f.doubtful.len();
    total.finish(measurable);

    let cov = EdgeCoverage {
        relation: rel.id.clone(),
        source: rel.source.clone(),
        derived: rel.derived.clone(),
        kind: rel.kind.as_str().to_owned(),
        resp: rel.resp.clone(),
        state,
        total,
        source_blocks: sblocks.into_values().collect(),
        derived_blocks: dblocks.into_values().collect(),
        omitted: Fates::pick(src, &f.src, Fate::Omitted),
        added: Fates::pick(der, &f.der, Fate::Added),
        from_other_source,
        carried_over,
        source_gap: Fates::pick(der, &f.der, Fate::SourceGap),
        derived_gap: Fates::pick(src, &f.src, Fate::DerivedGap),
        unaccounted: Fates::pick(src, &f.src, Fate::Unaccounted),
        unaccounted_derived: Fates::pick(der, &f.der, Fate::Unaccounted),
        merged_or_split: f.merged_or_split,
        partial: f.partial,
        doubtful: f.doubtful,
        confirmed_on_another_text: Vec::new(),
    };
    let sides = Sides {
        src: f.src,
        der: f.der,
        src_quality: f.src_quality,
        der_quality: f.der_quality,
    };
    Ok((cov, sides))
}

/// On an edge into a layer made from several sources: the derived sentences without a
/// counterpart here that another source accounts for (no longer additions), and the source
/// sentences without one carried over through another source (no longer omissions).
fn other_sources(
    f: &mut Fates<'_>,
    rel: &Relation,
    sources: &Sources<'_>,
) -> (Vec<LayerNote>, Vec<LayerNote>) {
    let (mut from, mut carried) = (Vec::new(), Vec::new());
    if !sources.several(&rel.derived) {
        return (from, carried);
    }
    let der = f.der_ix.layer;
    for (i, s) in der.sentences.iter().enumerate() {
        if f.der[i] != Fate::Added {
            continue;
        }
        let e = sources.elsewhere(&rel.derived, &rel.source, &s.id);
        if !e.is_empty() {
            f.der[i] = Fate::FromOtherSource;
            let mut n = LayerNote::new(der, s);
            n.unmatched_in = vec![rel.source.clone()];
            n.elsewhere(e);
            from.push(n);
        }
    }
    let src = f.src_ix.layer;
    for (i, s) in src.sentences.iter().enumerate() {
        if f.src[i] != Fate::Omitted {
            continue;
        }
        if let Some(c) = sources.carried(&rel.source, &rel.derived, &s.id) {
            f.src[i] = Fate::Carried;
            let mut n = LayerNote::new(src, s);
            n.carried(c);
            carried.push(n);
        }
    }
    (from, carried)
}
