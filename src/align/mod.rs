//! The pairwise sentence aligner: length and lexical evidence, banded dynamic programming,
//! anchors and dictionary induction.
//!
//! How it works, in two passes (as hunalign does):
//! 1. every sentence is reduced to its length and its language-independent clues (`text`):
//!    numbers, punctuation, and the transliterated start of each word (cognates, names);
//! 2. a first search (`search`) combines a Gale–Church length cost (ratio estimated from the
//!    texts) with the matched clues, optionally with a user dictionary;
//! 3. from the first pass the length variance and the bead-type priors are re-estimated, and a
//!    dictionary is induced from the co-occurrence of words in its 1-1 beads (`lexicon`);
//! 4. a second search in a band around the first path gives the result; each bead's evidence is
//!    mapped to a confidence ([`confidence`]).
//!
//! Beads fixed in advance split the texts into independent pieces, aligned in parallel.

pub mod confidence;
mod lexicon;
pub mod partial;
mod refine;
mod search;
mod semantic;
mod text;

use crate::model::Bead;
use confidence::Evidence;
use indicatif::{ProgressBar, ProgressStyle};
use lexicon::{Csr, Dictionary, weigh};
use rayon::prelude::*;
use search::{Band, Level, Params, RawBead, TYPES, cumulative};
use semantic::{Semantic, Vectors};
use text::SentenceInfo;

/// Errors of the aligner.
#[derive(Debug, thiserror::Error)]
pub enum AlignError {
    /// The input cannot be aligned as given.
    #[error("{0}")]
    Input(String),
    /// The sentence vectors asked for could not be computed.
    #[error("sentence embeddings: {0}")]
    Embed(#[from] crate::embed::EmbedError),
}

/// What the aligner needs besides the two sentence lists.
#[derive(Debug, Clone, Default)]
pub struct AlignOptions {
    /// Source language code (any; used only for tokenisation hints).
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Block (paragraph) index of each source sentence, if known: soft anchors.
    pub src_blocks: Option<Vec<usize>>,
    /// Block index of each target sentence, if known.
    pub tgt_blocks: Option<Vec<usize>>,
    /// A bilingual dictionary: (source word, target word) pairs.
    pub dictionary: Vec<(String, String)>,
    /// Beads fixed in advance (confirmed by a person): kept as they are, the aligner aligns only
    /// between them. Sorted, non-crossing.
    pub fixed: Vec<Bead>,
    /// Show a progress bar on stderr (for long inputs on a terminal).
    pub progress: bool,
    /// Semantic evidence: a source of sentence vectors (none: length and lexical evidence only).
    /// Every sentence of both sides is embedded once; see the module documentation.
    pub embedder: Option<std::sync::Arc<dyn crate::embed::Embedder>>,
    /// How the semantic evidence is weighed (with `embedder` only). The defaults were fitted on
    /// some gold sets and reported on the others (`docs/aligner.md`); for experiments.
    pub semantic: SemanticParams,
    /// Cost (−ln probability) of a 1-0 / 0-1 bead that continues a run of its kind, in the
    /// second pass (a run opens at the bead kind's prior): a deleted passage is one omission,
    /// not many. `None`: `NULL_EXTEND` (1); for experiments.
    pub null_extend: Option<f32>,
    /// Cost of the second null bead of a run in the second pass (from the third on, a run
    /// costs `null_extend`). `None`: `null_extend` (every null after the first costs the
    /// same); for experiments (`docs/aligner.md`, *Omissions and additions*).
    pub null_second: Option<f32>,
    /// Weight of the lexical evidence in a null bead's cost, model-free (`None`: `LEX_NULL`,
    /// 4); for experiments.
    pub lex_null: Option<f32>,
    /// Runs of at least this many null beads of the first path are left out when the length
    /// ratio is measured along the text for the second pass (`None`: every bead counts): a
    /// passage missing on one side is not a passage where that side runs shorter. For
    /// experiments (`docs/aligner.md`).
    pub ratio_skips_runs: Option<usize>,
}

/// How the semantic evidence enters a paired bead's cost: with the bead's normalised distance
/// `r` (about 1 for unrelated text, towards 0 for a translation; see `semantic.rs`), the cost is
/// `slope × (r × (1 + block_bias × (a + b − 2)) − threshold) × ((1 + a + b) / 2)^exponent`, where
/// the slope is `weight` below the threshold (a bonus) and `penalty` above it (a cost).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticParams {
    /// Cost units (−ln probability) per unit of `r`, per sentence pair.
    pub weight: f32,
    /// How the term grows with the sentences the bead covers.
    pub exponent: f32,
    /// The `r` at which a pairing is neither rewarded nor penalised: pairs less alike than
    /// this cost more than they would unpaired (apart from the bead priors).
    pub threshold: f32,
    /// Cost units per unit of `r` above the threshold: how dear pairing unrelated text is,
    /// against leaving it unpaired (an omission or addition).
    pub penalty: f32,
    /// Summed block vectors look closer than the joined text would: `r` of a bead of `a + b`
    /// sentences is raised by this share per sentence beyond two.
    pub block_bias: f32,
    /// How much each member sentence of a paired bead is judged by its own distance to the
    /// other side's block rather than by the bead's (0–1): merging in an unrelated sentence
    /// then earns nothing for it.
    pub member: f32,
    /// Cost units per unit of a sentence's best distance (to any sentence of the other side
    /// near the path) below `null_threshold`, added to a null bead: leaving a sentence with a
    /// likely counterpart unpaired is dear, a sentence like nothing near it is cheap to leave.
    pub null_weight: f32,
    /// The best distance at which a null bead is neither cheaper nor dearer.
    pub null_threshold: f32,
    /// Decide the path again where it is in doubt with the vectors of joined text (see
    /// `refine.rs`): the beads that are not 1-1 and their neighbours.
    pub refine: bool,
    /// In that refinement, a joined block's `r` is raised by this share per sentence of the
    /// bead beyond two.
    pub joined_bias: f32,
    /// Weight of the semantic evidence in that refinement, as a multiple of `weight`.
    pub refine_weight: f32,
    /// How far the search's semantic costs judge a pair against each sentence's nearest
    /// neighbours on the other side (a margin, after Artetxe & Schwenk) rather than against the
    /// other text's centroid: 0 the centroid only, 1 the neighbours (see `semantic.rs`). The
    /// distances the confidence model reads stay normalised by the centroids.
    pub margin: f32,
    /// The weight of a paired bead's own distance in its semantic cost, beside the half unit of
    /// each member sentence (1: half a unit for the bead, as for a sentence). Every bead earns
    /// it, so it favours finer segmentations: two 1-1 beads earn it twice, the 2-2 once.
    pub bead_share: f32,
    /// Distances `r` below this count as this (0: none does).
    pub floor: f32,
}

impl Default for SemanticParams {
    fn default() -> Self {
        SemanticParams {
            weight: 6.0,
            exponent: 1.0,
            threshold: 1.0,
            penalty: 4.0,
            block_bias: 0.05,
            member: 1.0,
            null_weight: 0.0,
            null_threshold: 0.8,
            refine: true,
            joined_bias: 0.0,
            refine_weight: 1.0,
            margin: 0.0,
            bead_share: 1.0,
            floor: 0.0,
        }
    }
}

/// Default cost of a null bead that continues a run of null beads of its kind (second pass).
/// Chosen on the fit sets of `docs/aligner.md` among 0.5, 1, 2, 3 and none.
pub(crate) const NULL_EXTEND: f32 = 1.0;
/// Cost of a null bead after two of its kind in the first pass (−ln 0.5: a run of two goes on as
/// often as not): see `search::Params::null_run`.
const FIRST_PASS_NULL_RUN: f32 = std::f32::consts::LN_2;
/// Weight of the lexical evidence in a null bead's cost (second pass): a sentence whose best
/// lexical similarity to any single sentence of the other side near the path is below
/// [`LEX_NULL_NEUTRAL`] is cheaper to leave unpaired, one with a better match dearer, in
/// proportion to its clue weight against the mean. Chosen on the fit sets of `docs/aligner.md`
/// (weight 4 / 8 × neutral point 0.1 / 0.2 / 0.3).
const LEX_NULL: f32 = 4.0;
/// The best lexical similarity at which the lexical null evidence is neutral.
const LEX_NULL_NEUTRAL: f32 = 0.2;
/// Weight of the lexical similarity (in [0, 1]) against the length and prior costs.
const LAMBDA: f32 = 35.0;
/// Scale of the length cost of null beads: an omitted sentence's length says little about
/// whether it was omitted, so it costs mainly its prior.
const NULL_LENGTH: f32 = 0.1;
/// Cost of a bead boundary that falls on a block boundary on one side only.
const BLOCK_PENALTY: f32 = 1.5;
/// Half-width of the band of the second pass around the first pass's path.
const SECOND_PASS_BAND: usize = 8;
/// Pseudo-count of the default priors when re-estimating them from the first pass.
const PRIOR_WEIGHT: f64 = 200.0;
/// Sentences per side from which a progress bar is worth showing.
const PROGRESS_MIN: usize = 50_000;

/// Align two texts given as sentence lists. Returns beads covering every sentence of both sides
/// exactly once, in document order, each with a confidence in [0, 1].
pub fn align(src: &[&str], tgt: &[&str], opts: &AlignOptions) -> Result<Vec<Bead>, AlignError> {
    Ok(align_with_evidence(src, tgt, opts)?
        .into_iter()
        .map(|(b, _)| b)
        .collect())
}

/// As [`align`], with the evidence each bead's confidence was computed from (for fitting and
/// checking the confidence model: `benches/align_calibration.rs`). Fixed beads keep their
/// confidence and come with empty evidence of their kind.
pub fn align_with_evidence(
    src: &[&str],
    tgt: &[&str],
    opts: &AlignOptions,
) -> Result<Vec<(Bead, Evidence)>, AlignError> {
    check_blocks(opts.src_blocks.as_deref(), src.len(), "source")?;
    check_blocks(opts.tgt_blocks.as_deref(), tgt.len(), "target")?;
    let pieces = pieces_between_fixed(&opts.fixed, src.len(), tgt.len())?;
    let progress = progress_bar(opts.progress && src.len().max(tgt.len()) >= PROGRESS_MIN);
    let dictionary = Dictionary::from_pairs(&opts.dictionary);
    let vectors = match &opts.embedder {
        Some(e) => Some(embed_all(e.as_ref(), src, tgt)?),
        None => None,
    };
    let sem_params = opts.semantic;
    let null_costs = Weights::new(opts, 0.0);
    let piece_vecs = |s0: usize, s1: usize, t0: usize, t1: usize| {
        vectors.as_ref().map(|v| PieceVecs {
            all: v,
            src: &v.src[s0 * v.dim..s1 * v.dim],
            tgt: &v.tgt[t0 * v.dim..t1 * v.dim],
            params: sem_params,
            embedder: opts.embedder.as_deref(),
        })
    };
    // With fixed beads the pieces between them are short: statistics estimated from one piece
    // alone (length ratio, variance, priors, induced dictionary) are noise. So they are
    // estimated once on the whole texts and every piece is aligned with them.
    let global = (!opts.fixed.is_empty()
        && pieces.iter().any(|&(s0, s1, t0, t1)| s1 > s0 && t1 > t0))
    .then(|| {
        Global::estimate(
            src,
            tgt,
            opts,
            &dictionary,
            piece_vecs(0, src.len(), 0, tgt.len()),
        )
    });
    let mut aligned: Vec<Vec<(Bead, Evidence)>> = pieces
        .par_iter()
        .map(|&(s0, s1, t0, t1)| {
            let blocks = match (&opts.src_blocks, &opts.tgt_blocks) {
                (Some(sb), Some(tb)) => Some((&sb[s0..s1], &tb[t0..t1])),
                _ => None,
            };
            // Only a single piece is worth a bar; pieces between fixed beads are short.
            let pb = if pieces.len() == 1 {
                progress.as_ref()
            } else {
                None
            };
            let vecs = piece_vecs(s0, s1, t0, t1);
            let mut beads = match &global {
                Some(g) => {
                    let text = (&src[s0..s1], &tgt[t0..t1]);
                    g.align_piece((s0, s1, t0, t1), text, blocks, vecs)?
                }
                None => {
                    let text = (&src[s0..s1], &tgt[t0..t1]);
                    align_piece(text, blocks, &dictionary, pb, vecs, null_costs)?
                }
            };
            for (b, _) in &mut beads {
                b.src.iter_mut().for_each(|x| *x += s0);
                b.tgt.iter_mut().for_each(|x| *x += t0);
            }
            Ok(beads)
        })
        .collect::<Result<_, AlignError>>()?;
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    if opts.fixed.is_empty()
        && let Some(only) = aligned.pop()
    {
        // One piece: no need to copy a million beads.
        return Ok(only);
    }
    let (mut out, is_fixed) = interleave(aligned, &opts.fixed, src.len().max(tgt.len()));
    if let Some(g) = &global {
        // Each piece was judged alone, without the beads around it; judge every bead in the
        // whole alignment instead (a piece between two confirmed beads is as sure as they make
        // it look).
        g.rescore(&mut out, &is_fixed);
    }
    Ok(out)
}

/// The bar shown while one long text is aligned (`None` when not `shown`).
fn progress_bar(shown: bool) -> Option<ProgressBar> {
    shown.then(|| {
        let pb = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>32} [{bar:40}] {percent:>3}% eta {eta}")
        {
            pb.set_style(style.progress_chars("=> "));
        }
        pb
    })
}

/// The aligned pieces and the fixed beads between them in text order (piece 0, fixed 0,
/// piece 1, fixed 1, …), with which of them are fixed.
fn interleave(
    aligned: Vec<Vec<(Bead, Evidence)>>,
    fixed: &[Bead],
    capacity: usize,
) -> (Vec<(Bead, Evidence)>, Vec<bool>) {
    let mut out = Vec::with_capacity(capacity);
    let mut fixed = fixed.iter();
    let mut is_fixed = Vec::with_capacity(capacity);
    for piece in aligned {
        is_fixed.extend(std::iter::repeat_n(false, piece.len()));
        out.extend(piece);
        if let Some(f) = fixed.next() {
            out.push((f.clone(), confidence::fixed_evidence(f)));
            is_fixed.push(true);
        }
    }
    (out, is_fixed)
}

/// Embed every sentence of both sides in one call (an embedder batches and caches better with
/// everything at once).
fn embed_all(
    e: &dyn crate::embed::Embedder,
    src: &[&str],
    tgt: &[&str],
) -> Result<Vectors, AlignError> {
    let texts: Vec<&str> = src.iter().chain(tgt).copied().collect();
    let rows = e.embed(&texts)?;
    if rows.len() != texts.len() {
        return Err(AlignError::Embed(crate::embed::EmbedError::Server(
            format!(
                "{} vectors returned for {} sentences",
                rows.len(),
                texts.len()
            ),
        )));
    }
    Ok(Vectors::new(e.dim(), rows, src.len()))
}

/// The sentence vectors of one piece of text, with the whole texts' centroids.
#[derive(Clone, Copy)]
struct PieceVecs<'a> {
    all: &'a Vectors,
    src: &'a [f32],
    tgt: &'a [f32],
    params: SemanticParams,
    /// For the vectors of joined text (the refinement).
    embedder: Option<&'a dyn crate::embed::Embedder>,
}

impl PieceVecs<'_> {
    fn semantic(&self, sl: &[u32], tl: &[u32]) -> Semantic<'_> {
        Semantic::new(self.all, self.src, self.tgt, sl, tl, &self.params)
    }
}

fn check_blocks(blocks: Option<&[usize]>, n: usize, side: &str) -> Result<(), AlignError> {
    match blocks {
        Some(b) if b.len() != n => Err(AlignError::Input(format!(
            "{side} block indices: {} given for {n} sentences",
            b.len()
        ))),
        _ => Ok(()),
    }
}

/// The (src start, src end, tgt start, tgt end) ranges between fixed beads, after checking that
/// the fixed beads are in range, consecutive inside, ascending and non-crossing.
fn pieces_between_fixed(
    fixed: &[Bead],
    n: usize,
    m: usize,
) -> Result<Vec<(usize, usize, usize, usize)>, AlignError> {
    let mut pieces = Vec::with_capacity(fixed.len() + 1);
    let (mut s, mut t) = (0, 0);
    for (k, b) in fixed.iter().enumerate() {
        let bad = |why: &str| AlignError::Input(format!("fixed bead {k} ({}): {why}", b.kind()));
        if b.src.is_empty() && b.tgt.is_empty() {
            return Err(bad("empty on both sides"));
        }
        if !(0.0..=1.0).contains(&b.confidence) {
            return Err(bad("confidence outside [0, 1]"));
        }
        for (ids, len) in [(&b.src, n), (&b.tgt, m)] {
            if ids.windows(2).any(|w| w[1] != w[0] + 1) {
                return Err(bad("sentence indices are not consecutive"));
            }
            if ids.last().is_some_and(|&x| x >= len) {
                return Err(bad("sentence index out of range"));
            }
        }
        let bs = b.src.first().copied().unwrap_or(s);
        let bt = b.tgt.first().copied().unwrap_or(t);
        if bs < s || bt < t {
            return Err(bad("overlaps or crosses an earlier fixed bead"));
        }
        pieces.push((s, bs, t, bt));
        s = b.src.last().map_or(bs, |&x| x + 1);
        t = b.tgt.last().map_or(bt, |&x| x + 1);
    }
    pieces.push((s, n, t, m));
    Ok(pieces)
}

/// Align one piece of text (no fixed beads inside).
fn align_piece(
    (src, tgt): (&[&str], &[&str]),
    blocks: Option<(&[usize], &[usize])>,
    dictionary: &Dictionary,
    progress: Option<&ProgressBar>,
    vecs: Option<PieceVecs<'_>>,
    null_costs: Weights,
) -> Result<Vec<(Bead, Evidence)>, AlignError> {
    let (n, m) = (src.len(), tgt.len());
    if n == 0 || m == 0 {
        return Ok(lone_beads(n, m));
    }
    let si: Vec<SentenceInfo> = src.par_iter().map(|s| text::analyse(s)).collect();
    let ti: Vec<SentenceInfo> = tgt.par_iter().map(|s| text::analyse(s)).collect();
    let bounds = blocks.map(|(sb, tb)| (boundaries(sb), boundaries(tb)));
    let bounds = bounds.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice()));
    let joined = joined_embedder((src, tgt), vecs);
    let joined: Option<&refine::JoinedEmbed<'_>> =
        if refining(vecs) { Some(&joined) } else { None };
    let infos = (si.as_slice(), ti.as_slice());
    let (path, evidence) = align_infos(
        infos, bounds, dictionary, progress, vecs, null_costs, joined,
    )?;
    Ok(to_beads(path, evidence))
}

/// The vectors of joined sentences of a piece (its `src` and `tgt` sentences, indices in the
/// piece), for the refinement of the path where it is in doubt.
fn joined_embedder<'a>(
    (src, tgt): (&'a [&'a str], &'a [&'a str]),
    vecs: Option<PieceVecs<'a>>,
) -> impl Fn(bool, &[refine::Span]) -> Result<Vec<Vec<f32>>, crate::embed::EmbedError> + Sync + 'a {
    move |from_src: bool, spans: &[refine::Span]| {
        let side = if from_src { src } else { tgt };
        let texts: Vec<String> = spans.iter().map(|&(a, b)| side[a..b].join(" ")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        match vecs.and_then(|v| v.embedder) {
            Some(e) => e.embed(&refs),
            None => Ok(Vec::new()),
        }
    }
}

/// The path decided again where it is in doubt with the vectors of joined text, under the
/// search's own level, parameters and semantic evidence.
fn refined(
    path: Vec<RawBead>,
    (level, params, sem): (&Level<'_>, &Params, &Semantic<'_>),
    v: PieceVecs<'_>,
    embed: &refine::JoinedEmbed<'_>,
) -> Result<Vec<RawBead>, AlignError> {
    let r = refine::Refiner {
        level,
        params,
        sem,
        weight: v.params.weight.max(0.0) * v.params.refine_weight,
        bias: v.params.joined_bias,
    };
    Ok(refine::refine(path, &r, embed)?)
}

/// Whether the path is refined with the vectors of joined text: with vectors, an embedder to
/// make them, and the refinement on.
fn refining(vecs: Option<PieceVecs<'_>>) -> bool {
    vecs.is_some_and(|v| v.params.refine && v.embedder.is_some())
}

/// The beads of a path, each with its evidence and the confidence the model gives it.
fn to_beads(path: Vec<RawBead>, evidence: Vec<Evidence>) -> Vec<(Bead, Evidence)> {
    path.into_iter()
        .zip(evidence)
        .map(|(b, e)| {
            let bead = Bead {
                src: (b.s0..b.s1).collect(),
                tgt: (b.t0..b.t1).collect(),
                confidence: confidence::SHIPPED.predict(&e),
            };
            (bead, e)
        })
        .collect()
}

/// The beads of a piece with one side empty: every sentence stands alone. Forced, but with no
/// evidence that the sentence really has no counterpart (it is forced only by the beads around
/// the piece, or by where a caller cut the text), so each gets the confidence the model gives a
/// null bead without evidence, not a blanket 1.0 that would make an empty piece look best to a
/// caller comparing cuts by confidence.
fn lone_beads(n: usize, m: usize) -> Vec<(Bead, Evidence)> {
    let e = confidence::unsupported_null();
    let confidence = confidence::SHIPPED.predict(&e);
    (0..n)
        .map(|i| Bead {
            src: vec![i],
            tgt: vec![],
            confidence,
        })
        .chain((0..m).map(|j| Bead {
            src: vec![],
            tgt: vec![j],
            confidence,
        }))
        .map(|b| (b, e))
        .collect()
}

/// Statistics estimated on the whole texts, for aligning the pieces between fixed beads.
struct Global {
    si: Vec<SentenceInfo>,
    ti: Vec<SentenceInfo>,
    params: Params,
    dict: Dictionary,
}

impl Global {
    /// A first pass over the whole texts (fixed beads ignored: they are few and agree with it
    /// or not, the statistics hardly change), re-estimation and dictionary induction.
    fn estimate(
        src: &[&str],
        tgt: &[&str],
        opts: &AlignOptions,
        dictionary: &Dictionary,
        vecs: Option<PieceVecs<'_>>,
    ) -> Self {
        let si: Vec<SentenceInfo> = src.par_iter().map(|s| text::analyse(s)).collect();
        let ti: Vec<SentenceInfo> = tgt.par_iter().map(|s| text::analyse(s)).collect();
        let bounds = match (&opts.src_blocks, &opts.tgt_blocks) {
            (Some(sb), Some(tb)) => Some((boundaries(sb), boundaries(tb))),
            _ => None,
        };
        let bounds = bounds.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice()));
        let sl: Vec<u32> = si.iter().map(|s| s.len).collect();
        let tl: Vec<u32> = ti.iter().map(|s| s.len).collect();
        let sem = vecs.as_ref().map(|v| v.semantic(&sl, &tl));
        let weights = Weights::new(opts, vecs.map_or(0.0, |v| v.params.weight.max(0.0)));
        let (params, dict, _) =
            first_pass(&si, &ti, bounds, dictionary, None, sem.as_ref(), weights);
        Global {
            si,
            ti,
            params,
            dict,
        }
    }

    /// The evidence of every bead of a whole alignment (fixed beads included, as the
    /// neighbours they are), and the confidence of the beads not fixed from it.
    fn rescore(&self, beads: &mut [(Bead, Evidence)], fixed: &[bool]) {
        let s = Csr::build(&self.si, |x| self.dict.src_features(x));
        let t = Csr::build(&self.ti, |x| self.dict.tgt_features(x));
        let feats = weigh(s, t);
        let sl: Vec<u32> = self.si.iter().map(|s| s.len).collect();
        let tl: Vec<u32> = self.ti.iter().map(|s| s.len).collect();
        let level = Level::new(&sl, &tl, &feats);
        let weight = |c: &Csr, k: usize| -> f32 { c.get(k).1.iter().map(|w| w.abs()).sum() };
        let (mut i, mut j) = (0, 0);
        let path: Vec<RawBead> = beads
            .iter()
            .map(|(b, e)| {
                let s0 = b.src.first().copied().unwrap_or(i);
                let s1 = b.src.last().map_or(s0, |&x| x + 1);
                let t0 = b.tgt.first().copied().unwrap_or(j);
                let t1 = b.tgt.last().map_or(t0, |&x| x + 1);
                (i, j) = (s1, t1);
                let mut matched = 0.0;
                for a in s0..s1 {
                    for c in t0..t1 {
                        matched += lexicon::overlap(feats.src.get(a), feats.tgt.get(c));
                    }
                }
                let total: f32 = (s0..s1).map(|a| weight(&feats.src, a)).sum::<f32>()
                    + (t0..t1).map(|c| weight(&feats.tgt, c)).sum::<f32>();
                let lex = if total > 0.0 {
                    (2.0 * matched / total).min(1.0)
                } else {
                    0.0
                };
                let ls = level.src_cum[s1] - level.src_cum[s0];
                let lt = level.tgt_cum[t1] - level.tgt_cum[t0];
                RawBead {
                    s0,
                    s1,
                    t0,
                    t1,
                    ty: 0,
                    d2: search::length_d2(&self.params, s1, ls, lt),
                    lex,
                    // As the piece's search measured it (the whole texts' vectors are not
                    // kept here).
                    sem: e.semantic.and_then(|s| {
                        (b.src.len() * b.tgt.len() > 0).then_some(1.0 - s.similarity)
                    }),
                }
            })
            .collect();
        let evidence = confidence::evidence(&path, &feats, &length_dev(&level, &self.params), None);
        for (((b, e), mut new), &f) in beads.iter_mut().zip(evidence).zip(fixed) {
            // The semantic evidence as the piece's search measured it (the whole texts'
            // vectors are not kept here).
            new.semantic = e.semantic;
            *e = new;
            if !f {
                b.confidence = confidence::SHIPPED.predict(e);
            }
        }
    }

    /// Align the piece `src[s0..s1]`, `tgt[t0..t1]` with the global statistics (beads in piece
    /// indices).
    fn align_piece(
        &self,
        (s0, s1, t0, t1): (usize, usize, usize, usize),
        (src, tgt): (&[&str], &[&str]),
        blocks: Option<(&[usize], &[usize])>,
        vecs: Option<PieceVecs<'_>>,
    ) -> Result<Vec<(Bead, Evidence)>, AlignError> {
        let (n, m) = (s1 - s0, t1 - t0);
        if n == 0 || m == 0 {
            return Ok(lone_beads(n, m));
        }
        let (si, ti) = (&self.si[s0..s1], &self.ti[t0..t1]);
        let mut params = self.params.clone();
        // The local ratio is indexed by source position: shift it to the piece.
        params.local = self.params.local.as_ref().map(|v| {
            std::sync::Arc::new(
                (s0..=s1)
                    .map(|i| v.get(i).copied().unwrap_or(self.params.ratio))
                    .collect(),
            )
        });
        let bounds = blocks.map(|(sb, tb)| (boundaries(sb), boundaries(tb)));
        let s = Csr::build(si, |x| self.dict.src_features(x));
        let t = Csr::build(ti, |x| self.dict.tgt_features(x));
        let feats = weigh(s, t);
        let sl: Vec<u32> = si.iter().map(|s| s.len).collect();
        let tl: Vec<u32> = ti.iter().map(|s| s.len).collect();
        let sem = vecs.as_ref().map(|v| v.semantic(&sl, &tl));
        let level = Level {
            src_bound: bounds.as_ref().map(|b| b.0.as_slice()),
            tgt_bound: bounds.as_ref().map(|b| b.1.as_slice()),
            sem: sem.as_ref(),
            ..Level::new(&sl, &tl, &feats)
        };
        let mut path = search::search(&level, &params, 3, None);
        // Refined as a piece without fixed beads is (`align_infos`): a confirmed link must not
        // leave the text around it judged by weaker evidence than the rest.
        if let (Some(sem), Some(v)) = (sem.as_ref(), vecs.filter(|&v| refining(Some(v)))) {
            let embed = joined_embedder((src, tgt), vecs);
            path = refined(path, (&level, &params, sem), v, &embed)?;
        }
        let evidence =
            confidence::evidence(&path, &feats, &length_dev(&level, &params), sem.as_ref());
        Ok(to_beads(path, evidence))
    }
}

/// Align analysed sentences in two passes (see the module documentation).
fn align_infos(
    (si, ti): (&[SentenceInfo], &[SentenceInfo]),
    bounds: Option<(&[bool], &[bool])>,
    dictionary: &Dictionary,
    progress: Option<&ProgressBar>,
    vecs: Option<PieceVecs<'_>>,
    null_costs: Weights,
    joined: Option<&refine::JoinedEmbed<'_>>,
) -> Result<(Vec<RawBead>, Vec<Evidence>), AlignError> {
    let (n, m) = (si.len(), ti.len());
    if n == 0 || m == 0 {
        // Nothing to pair with: every sentence stands alone.
        let null = RawBead::unscored;
        let path: Vec<RawBead> = (0..n)
            .map(|i| null(i, i + 1, 0, 0, 1))
            .chain((0..m).map(|j| null(0, 0, j, j + 1, 2)))
            .collect();
        let evidence = vec![confidence::unsupported_null(); path.len()];
        return Ok((path, evidence));
    }
    let sl: Vec<u32> = si.iter().map(|s| s.len).collect();
    let tl: Vec<u32> = ti.iter().map(|s| s.len).collect();
    let sem = vecs.as_ref().map(|v| v.semantic(&sl, &tl));
    let weights = Weights {
        sem: vecs.map_or(0.0, |v| v.params.weight.max(0.0)),
        ..null_costs
    };
    let (params, dict, first) =
        first_pass(si, ti, bounds, dictionary, progress, sem.as_ref(), weights);
    let s = Csr::build(si, |x| dict.src_features(x));
    let t = Csr::build(ti, |x| dict.tgt_features(x));
    let feats = weigh(s, t);
    let level = Level {
        src_bound: bounds.map(|b| b.0),
        tgt_bound: bounds.map(|b| b.1),
        sem: sem.as_ref(),
        ..Level::new(&sl, &tl, &feats)
    };
    let band = Band::around(&first, 1, SECOND_PASS_BAND, n, m);
    let mut path = search::dp_pieces(&level, &params, band, 3, progress);
    if let (Some(embed), Some(s), Some(v)) = (joined, sem.as_ref(), vecs) {
        path = refined(path, (&level, &params, s), v, embed)?;
    }
    let evidence = confidence::evidence(&path, &feats, &length_dev(&level, &params), sem.as_ref());
    Ok((path, evidence))
}

/// √δ² of a bead's lengths (capped at √50, as the evidence is) under the search's length model,
/// and its characters.
fn length_dev<'a>(
    level: &'a Level<'_>,
    params: &'a Params,
) -> impl Fn(usize, usize, usize, usize) -> (f32, f32) + Sync + 'a {
    move |s0, s1, t0, t1| {
        let ls = level.src_cum[s1] - level.src_cum[s0];
        let lt = level.tgt_cum[t1] - level.tgt_cum[t0];
        let d = search::length_d2(params, s1, ls, lt).min(50.0).sqrt();
        (d, (ls + lt) as f32)
    }
}

/// How the costs are weighed that are not estimated from the texts.
#[derive(Debug, Clone, Copy)]
struct Weights {
    /// Weight of the semantic evidence (0 without vectors).
    sem: f32,
    /// Cost of a null bead continuing a run, from the second pass on.
    null_extend: f32,
    /// Cost of the second null of a run, from the second pass on.
    null_second: f32,
    /// Weight of the lexical evidence in a null bead's cost (model-free).
    lex_null: f32,
    /// Null runs this long or longer do not count in the local length ratio.
    ratio_skips_runs: Option<usize>,
}

impl Weights {
    fn new(opts: &AlignOptions, sem: f32) -> Self {
        let null_extend = opts.null_extend.unwrap_or(NULL_EXTEND);
        Weights {
            sem,
            null_extend,
            null_second: opts.null_second.unwrap_or(null_extend),
            lex_null: opts.lex_null.unwrap_or(LEX_NULL),
            ratio_skips_runs: opts.ratio_skips_runs,
        }
    }
}

/// The first pass over analysed sentences (both sides non-empty): the re-estimated parameters
/// (local ratio, variance, priors), the dictionary extended by induction, and the first path.
fn first_pass(
    si: &[SentenceInfo],
    ti: &[SentenceInfo],
    bounds: Option<(&[bool], &[bool])>,
    dictionary: &Dictionary,
    progress: Option<&ProgressBar>,
    sem: Option<&Semantic<'_>>,
    weights: Weights,
) -> (Params, Dictionary, Vec<RawBead>) {
    let (n, m) = (si.len(), ti.len());
    let sl: Vec<u32> = si.iter().map(|s| s.len).collect();
    let tl: Vec<u32> = ti.iter().map(|s| s.len).collect();
    let (src_cum, tgt_cum) = (cumulative(&sl), cumulative(&tl));
    let ratio = (tgt_cum[m] / src_cum[n].max(1.0)) as f32;
    let mut params = Params {
        ratio: if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        },
        local: None,
        var: 6.8,
        prior: search::PRIOR.map(|p| (-p.ln()) as f32),
        lambda: LAMBDA,
        null_len: NULL_LENGTH,
        block_penalty: BLOCK_PENALTY,
        sem_weight: weights.sem,
        // No discount from the second null of a run in the first pass: on weak evidence
        // (Chinese–English before the dictionary is induced) it would let runs of omissions
        // stand in for poor links, and the priors and the band of the second pass are
        // estimated from this path. Long runs (a missing chapter) must be found here, though:
        // in a text long enough to be searched coarse-to-fine, from the third null on, a run
        // is priced as one event (`search::search_level`).
        null_extend: f32::INFINITY,
        null_second: 0.0,
        null_run: FIRST_PASS_NULL_RUN,
        lex_null: 0.0,
        lex_null_t: 0.0,
    };
    let features = |d: &Dictionary| {
        let s = Csr::build(si, |x| d.src_features(x));
        let t = Csr::build(ti, |x| d.tgt_features(x));
        weigh(s, t)
    };
    let msg = |m: &'static str| {
        if let Some(pb) = progress {
            pb.set_message(m);
        }
    };

    // Pass 1.
    msg("first pass");
    let feats = features(dictionary);
    let level = Level {
        src_cum,
        tgt_cum,
        feats: &feats,
        src_bound: bounds.map(|b| b.0),
        tgt_bound: bounds.map(|b| b.1),
        sem,
    };
    let first = search::search(&level, &params, 3, progress);
    drop(level);
    drop(feats);

    // Re-estimate, induce, realign.
    msg("second pass");
    params.local = Some(std::sync::Arc::new(match weights.ratio_skips_runs {
        Some(run) => search::ratio_along_without_runs(&first, (&sl, &tl), n, params.ratio, run),
        None => search::ratio_along(
            &first,
            &cumulative(&sl),
            &cumulative(&tl),
            1,
            n,
            params.ratio,
        ),
    }));
    reestimate(&mut params, &first, &sl, &tl);
    params.null_extend = weights.null_extend;
    params.null_second = weights.null_second;
    params.null_run = f32::INFINITY;
    // The lexical null evidence needs the induced dictionary: in the first pass, before it,
    // few sentence pairs of a translation share clues. With sentence vectors it is left out:
    // the semantic evidence says more, and on the fit sets adding it lost omission F1.
    params.lex_null = if weights.sem > 0.0 {
        0.0
    } else {
        weights.lex_null
    };
    params.lex_null_t = LEX_NULL_NEUTRAL;
    let pairs: Vec<(usize, usize)> = first
        .iter()
        .filter(|b| b.ty == 0 && b.d2 < 2.0)
        .map(|b| (b.s0, b.t0))
        .collect();
    let mut dict = dictionary.clone();
    dict.extend(&Dictionary::induce(si, ti, &pairs));
    (params, dict, first)
}

/// For positions 0..=n: does a block start or end there? (Both ends of the text count.)
fn boundaries(blocks: &[usize]) -> Vec<bool> {
    let n = blocks.len();
    (0..=n)
        .map(|i| i == 0 || i == n || blocks[i - 1] != blocks[i])
        .collect()
}

/// Re-estimate the length variance (robustly, from the 1-1 beads) and the bead-type priors
/// (smoothed towards the defaults) from a first alignment.
fn reestimate(p: &mut Params, beads: &[RawBead], sl: &[u32], tl: &[u32]) {
    let len = |v: &[u32]| v.iter().map(|&x| f64::from(x)).sum::<f64>();
    let mut d: Vec<f32> = beads
        .iter()
        .filter(|b| b.ty == 0)
        .map(|b| {
            let ls = len(&sl[b.s0..b.s1]) * f64::from(p.ratio_at(b.s1));
            let lt = len(&tl[b.t0..b.t1]);
            ((lt - ls) * (lt - ls) / ((ls + lt) / 2.0).max(1.0)) as f32
        })
        .collect();
    if d.len() >= 20 {
        let mid = d.len() / 2;
        let (_, med, _) = d.select_nth_unstable_by(mid, f32::total_cmp);
        // The median of χ²(1) is 0.455.
        p.var = (*med / 0.455).clamp(1.0, 200.0);
    }
    let mut counts = [0.0f64; TYPES.len()];
    for b in beads {
        counts[b.ty as usize] += 1.0;
    }
    let total: f64 = counts.iter().sum::<f64>() + PRIOR_WEIGHT;
    for (t, c) in counts.iter().enumerate() {
        let prob = (c + PRIOR_WEIGHT * search::PRIOR[t]) / total;
        p.prior[t] = (-prob.ln()) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_beads_are_validated() {
        let b = |s: Vec<usize>, t: Vec<usize>| Bead {
            src: s,
            tgt: t,
            confidence: 1.0,
        };
        assert!(pieces_between_fixed(&[b(vec![5], vec![0])], 3, 3).is_err());
        assert!(pieces_between_fixed(&[b(vec![0, 2], vec![0])], 3, 3).is_err());
        assert!(pieces_between_fixed(&[b(vec![1], vec![1]), b(vec![0], vec![2])], 3, 3).is_err());
        let p = pieces_between_fixed(&[b(vec![1], vec![2])], 3, 4).unwrap();
        assert_eq!(p, vec![(0, 1, 0, 2), (2, 3, 3, 4)]);
    }

    #[test]
    fn a_run_of_omissions_does_not_move_the_local_ratio() {
        // 20 source sentences of 10 characters paired 1-1 with 20 of 20 (ratio 2), then a
        // run of 5 target sentences of 30 characters without counterpart (position 0 is
        // before every sentence: the global ratio).
        let bead = RawBead::unscored;
        let mut path: Vec<RawBead> = (0..20).map(|k| bead(k, k + 1, k, k + 1, 0)).collect();
        path.extend((20..25).map(|k| bead(20, 20, k, k + 1, 2)));
        let (sl, tl) = (vec![10u32; 20], [vec![20u32; 20], vec![30; 5]].concat());
        let skipped = search::ratio_along_without_runs(&path, (&sl, &tl), 20, 2.75, 2);
        assert!(
            skipped[1..].iter().all(|&r| (r - 2.0).abs() < 1e-6),
            "{skipped:?}"
        );
        // Runs shorter than asked for count, as every bead does in `search::ratio_along`.
        let counted = search::ratio_along_without_runs(&path, (&sl, &tl), 20, 2.75, 6);
        let all = search::ratio_along(&path, &cumulative(&sl), &cumulative(&tl), 1, 20, 2.75);
        assert!(
            counted[1..].iter().all(|&r| (r - 2.75).abs() < 1e-6),
            "{counted:?}"
        );
        assert_eq!(counted[1..], all[1..]);
    }
}
