//! What a caller can ask of the aligner ([`AlignOptions`], [`SemanticParams`]) and the weights
//! derived from it that are not estimated from the texts.

use crate::model::Bead;

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
    /// costs `null_extend`). `None`: 1.5 model-free, `null_extend` with sentence vectors; for
    /// experiments (`docs/aligner.md`, *Model-free omissions*).
    pub null_second: Option<f32>,
    /// Scale of the length cost of a null bead that extends a run, in the second pass (a run's
    /// first null pays its length at 0.1). `None`: 0.05 model-free, 0.1 with sentence vectors;
    /// for experiments (`docs/aligner.md`, *Model-free omissions*).
    pub null_len_run: Option<f32>,
    /// Weight of the lexical evidence in a null bead's cost, model-free (`None`: `LEX_NULL`,
    /// 4); for experiments.
    pub lex_null: Option<f32>,
    /// Runs of at least this many null beads of the first path are left out when the length
    /// ratio is measured along the text for the second pass (`None`: every bead counts): a
    /// passage missing on one side is not a passage where that side runs shorter. For
    /// experiments (`docs/aligner.md`).
    pub ratio_skips_runs: Option<usize>,
    /// Model-free, search a third time, with the length ratio measured along the second
    /// path without its runs of at least this many null beads (`None`: two searches). The
    /// second search finds a missing passage as one run more often than the first, whose
    /// ratio the second search used: in a short text that lost much of one side, the ratio
    /// of the whole damaged text makes merges beside the passage look the right length.
    /// Off by default: on the fit sets of `docs/aligner.md` it gains as much as it loses
    /// (*Model-free omissions: the ratio of the second path*); for experiments.
    pub ratio_again: Option<usize>,
    /// Weight of the quotation marks ending a paired bead's last sentences, model-free, per
    /// unit of what they say in the texts (`None`: 2; with sentence vectors
    /// [`SemanticParams::quotes`] prices them instead); for experiments (`docs/aligner.md`,
    /// *Quotation marks at a bead's end, model-free*).
    pub quotes: Option<f32>,
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
    /// Cost units taken off a null bead per unit of its sentence's distance to its closest
    /// sentence on the other side (as the margin measures it; with `margin` only) beyond
    /// `null_threshold ×` the threshold: a sentence like nothing near it is cheaper to leave
    /// unpaired. Never a surcharge (see `semantic.rs`). 0: off.
    pub null_weight: f32,
    /// The share of the threshold (the text's, with `adaptive`) beyond which a sentence's
    /// closest distance makes its null bead cheaper.
    pub null_threshold: f32,
    /// Decide the path again where it is in doubt with the vectors of joined text (see
    /// `refine.rs`): the beads that are not 1-1 and their neighbours.
    pub refine: bool,
    /// In that refinement, a joined block's `r` is raised by this share per sentence of the
    /// bead beyond two.
    pub joined_bias: f32,
    /// Weight of the semantic evidence in that refinement, as a multiple of `weight`.
    pub refine_weight: f32,
    /// In that refinement, the boundary between two neighbouring paired beads is also tried
    /// one sentence either way (the joined texts embedded) where the edge sentence's vector is
    /// within this cosine of being closer to the neighbour's block than to its own bead's
    /// (`None`: no shifts).
    pub shift: Option<f32>,
    /// How far the search's semantic costs judge a pair against each sentence's nearest
    /// neighbours on the other side (a margin, after Artetxe & Schwenk) rather than against the
    /// other text's centroid: 0 the centroid only, 1 the neighbours (see `semantic.rs`). The
    /// distances the confidence model reads stay normalised by the centroids.
    pub margin: f32,
    /// Distances `r` below this count as this (0: none does): every clear translation earns the
    /// same bonus, so that a strong model's finer and finer distances do not decide the bead
    /// sizes (the summed vectors of a block favour splitting it).
    pub floor: f32,
    /// When above 0 (and `margin` is on), the threshold is this multiple of the text's typical
    /// distance between a sentence and its closest neighbour (the median over both sides),
    /// instead of `threshold`: a weak model for the language pair (e5-small on Chinese–English)
    /// puts translations further apart, and must still earn them a bonus, where a strong one
    /// must not pay a sentence without counterpart for sitting next to unrelated text.
    pub adaptive: f32,
    /// Cost units taken off a null bead per unit of its sentence's own distance ratio beyond
    /// `null_own_threshold`: the distance to its closest sentence on the other side over the
    /// mean distance to its next three, unsmoothed. A translation stands out of its
    /// neighbourhood (ratio well below 1), a sentence without counterpart does not (about 1),
    /// whatever the text's level. 0: off.
    pub null_own_weight: f32,
    /// The own distance ratio beyond which a sentence's null bead is cheaper: this, or
    /// `null_own_relative ×` the text's median own ratio where that is higher (a weak model
    /// for the language pair lets no translation stand out; there the rebate would free
    /// translations).
    pub null_own_threshold: f32,
    /// See `null_own_threshold`.
    pub null_own_relative: f32,
    /// With vectors, from the second pass on: the null rebate's threshold (`null_threshold ×`
    /// the text's threshold) is raised to this quantile of the closest-neighbour distances of
    /// the sentences the first path pairs 1-1, where that is higher. A text whose translations
    /// lie far from their closest neighbour (magazine headings translated freely) does not
    /// then free a translation as if it were like nothing near it. 0: off.
    pub null_quantile: f32,
    /// Added to the cost (−ln prior) of 2-1 and 1-2 beads in the second pass and the
    /// refinement (negative: cheaper). The priors are re-estimated from the first pass, whose
    /// path finds too few of these beads where the semantic evidence is weak (zh–en: mac-dev's
    /// gold holds 19 more 1-2 beads than the path); fitted on the aligner's fit sets
    /// (`docs/aligner.md`, *A prior for 2-1 and 1-2 beads with vectors*).
    pub prior_2_1: f32,
    /// Cost of cutting the text between two sentences of a side where a sentence on one side
    /// of the cut is closer to one on the other side of it, in the other text, than the
    /// sentences each side are to their own neighbours across: per unit of distance `r` by
    /// which the crossing pair beats the weaker of the two pairs along the cut (capped at the
    /// threshold), as a multiple of `weight`. A true 2-2 whose halves each look like
    /// translations splits its content across the sentence boundaries; cutting it into two
    /// 1-1s leaves that crossing evidence unexplained (`docs/aligner.md`, *Evidence across a
    /// cut*). 0: off.
    pub cross: f32,
    /// Cost units of cutting the text where a number or a name (a capitalised word, spelt the
    /// same in both texts, found in few sentences of either) is shared by a sentence just
    /// before the cut on one side and one just after it on the other, and by no sentence
    /// next to them along the cut: per such token. Where e5-small's vectors do not show that
    /// the two sides break their sentences at different points (a true 2-2 split into two
    /// 1-1s), a date or a place crossing the cut does (`docs/aligner.md`, *Numbers and names
    /// across a cut*). With vectors only; 0: off.
    pub cross_names: f32,
    /// Cost units of a paired bead whose last sentence ends with a quotation mark on one side
    /// and not on the other: in literary text a bead boundary that splits a dialogue's turn
    /// differently on the two sides (`docs/aligner.md`, *Quotation marks at a bead's end*).
    /// With vectors only; 0: off.
    pub quotes: f32,
    /// In the refinement with the vectors of joined text, a member sentence at the edge of a
    /// block of several that is like nothing near it (its closest sentence of the other side
    /// beyond the null rebate's threshold) and takes its bead further from the other side has
    /// its distance `r` to the other side's block raised by this many times the bead's joined
    /// `r` with it minus without it (where the block without it has a vector: a single
    /// sentence's or a joined text of the window). An omission absorbed into a neighbour's
    /// bead dilutes the bead's joined vector; its own vector against the other side's longer
    /// block says less (`docs/aligner.md`, *The books with e5*). 0: off.
    pub member_gain: f32,
}

impl Default for SemanticParams {
    fn default() -> Self {
        SemanticParams {
            weight: 12.0,
            exponent: 1.0,
            threshold: 1.2,
            penalty: 6.0,
            block_bias: 0.05,
            member: 1.0,
            null_weight: 4.0,
            null_threshold: 1.1,
            refine: true,
            joined_bias: 0.0,
            refine_weight: 1.0,
            shift: Some(0.0),
            margin: 1.0,
            floor: 0.7,
            adaptive: 1.3,
            null_own_weight: 6.0,
            null_own_threshold: 0.9,
            null_own_relative: 1.4,
            null_quantile: 0.96,
            prior_2_1: -0.5,
            cross: 0.25,
            cross_names: 10.0,
            quotes: 2.0,
            member_gain: 2.0,
        }
    }
}

/// Default cost of a null bead that continues a run of null beads of its kind (second pass).
/// Chosen on the fit sets of `docs/aligner.md` among 0.5, 1, 2, 3 and none.
const NULL_EXTEND: f32 = 1.0;

/// Cost of the second null of a run (second pass, model-free; from the third on a run costs
/// [`NULL_EXTEND`]). Chosen with [`NULL_LENGTH_RUN`] on the fit sets of `docs/aligner.md`
/// (1 / 1.5 / 2 / 3 × 0.1 / 0.05 / 0 × lexical null weight 4 / 6).
const NULL_SECOND: f32 = 1.5;

/// Scale of the length cost of a null bead that extends a run (second pass, model-free), where
/// a lone null pays [`NULL_LENGTH`](super::first_pass): a passage missing on one side is one
/// omission, and the length of each further sentence in it says little about whether it was
/// omitted. Before, a passage of long sentences cost dear enough per sentence that merges of
/// its neighbours took it up.
const NULL_LENGTH_RUN: f32 = 0.05;

/// Weight of the lexical evidence in a null bead's cost (second pass): a sentence whose best
/// lexical similarity to any single sentence of the other side near the path is below
/// [`LEX_NULL_NEUTRAL`] is cheaper to leave unpaired, one with a better match dearer, in
/// proportion to its clue weight against the mean. Chosen on the fit sets of `docs/aligner.md`
/// (weight 4 / 8 × neutral point 0.1 / 0.2 / 0.3).
const LEX_NULL: f32 = 4.0;

/// Model-free, the weight of the quotation marks ending a bead's last sentences, per unit of
/// what they say in the texts (`first_pass::quote_evidence`): a paired bead whose ends disagree
/// costs this many times the log-ratio of disagreeing off and on the first path, one whose
/// ends both close a quotation earns this many times that of agreeing. Chosen on the fit sets
/// of `docs/aligner.md` (1 / 1.5 / 2 / 2.5 / 3 / 4; the agreement at 0 / 0.5 / 1 / 1.5 / 2 of it).
const QUOTES_FREE: f32 = 2.0;

/// How the costs are weighed that are not estimated from the texts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Weights {
    /// Weight of the semantic evidence (0 without vectors).
    pub(super) sem: f32,
    /// Cost of a null bead continuing a run, from the second pass on.
    pub(super) null_extend: f32,
    /// Cost of the second null of a run, from the second pass on.
    pub(super) null_second: f32,
    /// Scale of the length cost of a null extending a run, from the second pass on (`None`:
    /// the first null's, `NULL_LENGTH`).
    pub(super) null_len_run: Option<f32>,
    /// Weight of the lexical evidence in a null bead's cost (model-free).
    pub(super) lex_null: f32,
    /// Null runs this long or longer do not count in the local length ratio.
    pub(super) ratio_skips_runs: Option<usize>,
    /// Model-free, a third search at the ratio of the second path without its runs this
    /// long or longer.
    pub(super) ratio_again: Option<usize>,
    /// Added to the cost of 2-1 and 1-2 beads after the first pass (with vectors only).
    pub(super) prior_2_1: f32,
    /// Weight of the quotation marks ending a paired bead (model-free; 0 with vectors, whose
    /// evidence prices them).
    pub(super) quotes: f32,
}

impl Weights {
    /// The weights for aligning with semantic evidence of weight `sem` (0: model-free, where
    /// runs of nulls have defaults of their own).
    pub(super) fn new(opts: &AlignOptions, sem: f32) -> Self {
        let null_extend = opts.null_extend.unwrap_or(NULL_EXTEND);
        let free = sem <= 0.0;
        Weights {
            sem,
            null_extend,
            null_second: opts
                .null_second
                .unwrap_or(if free { NULL_SECOND } else { null_extend }),
            null_len_run: opts.null_len_run.or(free.then_some(NULL_LENGTH_RUN)),
            lex_null: opts.lex_null.unwrap_or(LEX_NULL),
            ratio_skips_runs: opts.ratio_skips_runs,
            ratio_again: opts.ratio_again.filter(|_| free),
            prior_2_1: if free { 0.0 } else { opts.semantic.prior_2_1 },
            quotes: if free {
                opts.quotes.unwrap_or(QUOTES_FREE)
            } else {
                0.0
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_nulls_have_their_own_defaults_model_free_only() {
        let opts = AlignOptions::default();
        let free = Weights::new(&opts, 0.0);
        assert_eq!(free.null_second, NULL_SECOND);
        assert_eq!(free.null_len_run, Some(NULL_LENGTH_RUN));
        // With sentence vectors the run costs stay as they were fitted for them.
        let with = Weights::new(&opts, 6.0);
        assert_eq!(with.null_second, with.null_extend);
        assert_eq!(with.null_len_run, None);
        // The semantic prior of 2-1 and 1-2 beads: with vectors only.
        assert_eq!(free.prior_2_1, 0.0);
        assert_eq!(with.prior_2_1, opts.semantic.prior_2_1);
        assert!(with.prior_2_1 != 0.0);
        // Asked for, a value holds either way.
        let asked = AlignOptions {
            null_second: Some(2.0),
            null_len_run: Some(0.0),
            ..AlignOptions::default()
        };
        assert_eq!(Weights::new(&asked, 6.0).null_second, 2.0);
        assert_eq!(Weights::new(&asked, 6.0).null_len_run, Some(0.0));
    }
}
