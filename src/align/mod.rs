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
//! With sentence vectors (`semantic`), their distances join the costs of both searches, and the
//! path is decided again where it is in doubt with the vectors of joined text (`refine`).
//!
//! Beads fixed in advance split the texts into independent pieces, aligned in parallel with
//! statistics estimated once on the whole texts (`global`).
//!
//! Rooms: `options` (what a caller asks for), `first_pass` (the two passes), `global` (pieces
//! between confirmed beads), `search` (the banded DP), `text`, `lexicon`, `semantic`, `refine`,
//! [`confidence`] and [`partial`]; this file holds the entry points and what they share.

pub mod confidence;
mod first_pass;
mod global;
mod lexicon;
mod memory;
mod options;
pub mod partial;
mod refine;
mod search;
mod semantic;
mod text;
mod timing;
mod widen;

use crate::model::Bead;
use confidence::Evidence;
use indicatif::{ProgressBar, ProgressStyle};
use lexicon::Dictionary;
use rayon::prelude::*;
use search::{Level, Params, RawBead};
use semantic::{Semantic, Vectors};

use first_pass::align_infos;
use global::{Global, interleave, pieces_between_fixed};
use options::Weights;
pub use options::{AlignOptions, SemanticParams};

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
    // With vectors, the model-free alignment of the same text: where it agrees about a null
    // bead is evidence the confidence model weighs (`confidence::set_agreement`).
    let second = match &vectors {
        Some(_) => Some(model_free(src, tgt, opts)?),
        None => None,
    };
    let sem_params = opts.semantic;
    // The weight of the semantic evidence decides the defaults of the null costs (model-free
    // runs of nulls have their own); `align_infos` sets it again per piece.
    let null_costs = Weights::new(
        opts,
        vectors.as_ref().map_or(0.0, |_| sem_params.weight.max(0.0)),
    );
    let piece_vecs = |s0: usize, s1: usize, t0: usize, t1: usize| {
        vectors.as_ref().map(|v| PieceVecs {
            all: v,
            src: &v.src[s0 * v.dim..s1 * v.dim],
            tgt: &v.tgt[t0 * v.dim..t1 * v.dim],
            params: sem_params,
            embedder: opts.embedder.as_deref(),
            texts: None,
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
        && let Some(mut only) = aligned.pop()
    {
        // One piece: no need to copy a million beads.
        if let Some(other) = &second {
            agree_with(&mut only, other, &[]);
        }
        return Ok(only);
    }
    let (mut out, is_fixed) = interleave(aligned, &opts.fixed, src.len().max(tgt.len()));
    if let Some(g) = &global {
        // Each piece was judged alone, without the beads around it; judge every bead in the
        // whole alignment instead (a piece between two confirmed beads is as sure as they make
        // it look).
        g.rescore(&mut out, &is_fixed);
    }
    if let Some(other) = &second {
        agree_with(&mut out, other, &is_fixed);
    }
    Ok(out)
}

/// The model-free alignment of the same texts (the same fixed beads and blocks), as each
/// sentence's partner: the second alignment a null bead of an alignment with vectors is judged
/// against. Costs one model-free alignment, little beside the embedding.
fn model_free(
    src: &[&str],
    tgt: &[&str],
    opts: &AlignOptions,
) -> Result<confidence::OtherPath, AlignError> {
    let free = AlignOptions {
        embedder: None,
        progress: false,
        ..opts.clone()
    };
    let beads = align_with_evidence(src, tgt, &free)?;
    let spans = confidence::spans(
        beads
            .iter()
            .map(|(b, _)| (b.src.as_slice(), b.tgt.as_slice())),
    );
    Ok(confidence::OtherPath::of(spans, src.len(), tgt.len()))
}

/// Sets the agreement of every null bead with `other` and judges the null beads not fixed by
/// a person again (`fixed`: per bead, empty when none is).
fn agree_with(beads: &mut [(Bead, Evidence)], other: &confidence::OtherPath, fixed: &[bool]) {
    let spans = confidence::spans(
        beads
            .iter()
            .map(|(b, _)| (b.src.as_slice(), b.tgt.as_slice())),
    );
    let mut evidence: Vec<Evidence> = beads.iter().map(|(_, e)| *e).collect();
    confidence::set_agreement(&mut evidence, spans, other);
    for (k, ((b, e), new)) in beads.iter_mut().zip(evidence).enumerate() {
        *e = new;
        if e.kind == confidence::BeadKind::Null && !fixed.get(k).copied().unwrap_or(false) {
            b.confidence = confidence::SHIPPED.predict(e);
        }
    }
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
    /// The piece's sentences, for the numbers and names shared across a cut (`None`: not read).
    texts: Option<(&'a [&'a str], &'a [&'a str])>,
}

impl<'a> PieceVecs<'a> {
    fn semantic(&self, sl: &[u32], tl: &[u32]) -> Semantic<'_> {
        Semantic::new(self.all, self.src, self.tgt, sl, tl, &self.params)
    }

    /// `sem` with the numbers and names of the piece's sentences where they are read (after
    /// the first pass: its path sets the bead priors, see `first_pass::align_infos`).
    fn with_names<'s>(&self, sem: Semantic<'s>) -> Semantic<'s> {
        match self.texts {
            Some(texts) if self.params.cross_names > 0.0 || self.params.quotes > 0.0 => {
                sem.with_names(texts)
            }
            _ => sem,
        }
    }

    /// The same vectors, with the piece's sentences `texts` (see [`Semantic::with_names`]).
    fn with_texts<'b>(self, texts: (&'b [&'b str], &'b [&'b str])) -> PieceVecs<'b>
    where
        'a: 'b,
    {
        PieceVecs {
            texts: Some(texts),
            ..self
        }
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
    let t = timing::phase(|| format!("analyse {n} + {m} sentences"));
    let si = text::Analyses::of(src);
    let ti = text::Analyses::of(tgt);
    drop(t);
    let bounds = blocks.map(|(sb, tb)| (boundaries(sb), boundaries(tb)));
    let bounds = bounds.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice()));
    let vecs = vecs.map(|v| v.with_texts((src, tgt)));
    let joined = joined_embedder((src, tgt), vecs);
    let joined: Option<&refine::JoinedEmbed<'_>> =
        if refining(vecs) { Some(&joined) } else { None };
    let (path, evidence) = align_infos(
        (si, ti),
        bounds,
        dictionary,
        progress,
        vecs,
        null_costs,
        joined,
    )?;
    let _t = timing::phase(|| "beads".into());
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
        shift: v.params.shift,
        gain: v.params.member_gain,
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

/// For positions 0..=n: does a block start or end there? (Both ends of the text count.)
fn boundaries(blocks: &[usize]) -> Vec<bool> {
    let n = blocks.len();
    (0..=n)
        .map(|i| i == 0 || i == n || blocks[i - 1] != blocks[i])
        .collect()
}
