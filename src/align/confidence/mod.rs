//! Mapping a bead's evidence to a confidence in [0, 1]: the probability that the bead is exactly
//! right (the same sentences on both sides as a careful human alignment would have).
//!
//! One logistic model per bead kind ([`BeadKind`]: 1-1, 2-1 / 1-2, other n:m, 1-0 / 0-1), of the
//! evidence the search used ([`Evidence`]): the bead's lexical similarity, the similarity of the
//! beads around it (a bead in a stretch of clear translations is probably right even if it has no
//! clue of its own; a stretch of unrelated text has none), how well the lengths agree, how
//! many beads around it are omissions, and for an omission where it stands in its run of
//! omissions. The coefficients ([`SHIPPED`]) are fitted by
//! `cargo bench --bench align_calibration -- --refit` on the aligner's own output for half of the
//! gold sets ([`FIT_SETS`]) and checked on the other half (expected calibration error and a
//! reliability table per bead kind; figures in `docs/aligner.md`).
//!
//! Alignments made with sentence embeddings are judged by a second table of coefficients
//! ([`Model::embedded`]) that also weighs the semantic evidence ([`SemanticEvidence`]); the same
//! lexical score means something else when the search also weighed meaning.

mod agree;
mod evidence;
mod marginal;

pub use agree::{OtherPath, Span, set_agreement, spans};

pub(crate) use evidence::{document_pairing, evidence, fixed_evidence, unsupported_null};
pub(crate) use marginal::{SearchCosts, margins, set_margins};

/// The gold sets the shipped coefficients are fitted on; the others are held out to measure
/// calibration. Split by set (never by bead, so no document is on both sides), each language
/// family on both sides where the sets allow: the project's fit sets (the dev sets, dtm,
/// pud-cs-en-perturbed) and one of each other pair of siblings.
pub const FIT_SETS: [&str; 7] = [
    "textberg-dev",
    "mac-dev",
    "dtm",
    "hu1984",
    "steinbeck",
    "pud-cs-en-perturbed",
    "pud-cs-ru-perturbed",
];

/// The kinds of bead the confidence model treats apart: their evidence means different things
/// (a null bead has no lexical score of its own; an n:m bead's lengths add up over sentences).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BeadKind {
    /// One sentence on each side.
    OneOne,
    /// Two sentences on one side, one on the other.
    MergeSplit,
    /// Any other bead with sentences on both sides (2-2, 1-3, 3-2 …).
    OtherNm,
    /// A sentence on one side only (1-0 omission, 0-1 addition).
    Null,
}

impl BeadKind {
    /// Every kind, in the order of the model's coefficient table.
    pub const ALL: [BeadKind; 4] = [
        BeadKind::OneOne,
        BeadKind::MergeSplit,
        BeadKind::OtherNm,
        BeadKind::Null,
    ];

    /// The kind of a bead with `a` source and `b` target sentences.
    pub fn of(a: usize, b: usize) -> Self {
        match (a, b) {
            (1, 1) => BeadKind::OneOne,
            (0, _) | (_, 0) => BeadKind::Null,
            (2, 1) | (1, 2) => BeadKind::MergeSplit,
            _ => BeadKind::OtherNm,
        }
    }

    /// A short label: `1-1`, `2-1/1-2`, `n:m`, `1-0/0-1`.
    pub fn label(self) -> &'static str {
        match self {
            BeadKind::OneOne => "1-1",
            BeadKind::MergeSplit => "2-1/1-2",
            BeadKind::OtherNm => "other n:m",
            BeadKind::Null => "1-0/0-1",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Number of features (including the constant 1) the model weighs.
pub const FEATURES: usize = 29;

/// The evidence behind one bead, as the confidence model sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The bead's kind.
    pub kind: BeadKind,
    /// Its lexical similarity in [0, 1] (0 for a null bead).
    pub lex: f32,
    /// Mean lexical similarity of the paired beads within 5 beads either side.
    pub around: f32,
    /// Mean lexical similarity of the paired beads within 50 beads either side: how much lexical
    /// evidence this text has at all here (a language pair with few shared clues, or a stretch
    /// of unrelated text).
    pub wide: f32,
    /// Mean lexical similarity of the nearest paired bead before and after it.
    pub adjacent: f32,
    /// √δ² of its length deviation (capped at √50).
    pub length: f32,
    /// Share of null beads within 5 beads either side (a run of omissions is a sign of a
    /// stretch the aligner could not match).
    pub nulls_around: f32,
    /// The best lexical similarity between a sentence of the bead and a sentence just outside
    /// it on the other side (a rival: the bead's boundary may be one sentence off, or an
    /// "omitted" sentence may belong to the bead next to it). For a null bead also the other
    /// side's sentences left unpaired within 10 beads either side: two "omissions" that
    /// translate each other are a link the aligner could not make (a crossing, a moved
    /// caption), not two omissions.
    pub rival: f32,
    /// For a null bead: how much better (in √δ²) the lengths of the paired bead next to it
    /// agree when its sentence is added to that bead (0 for paired beads). A sentence that
    /// makes its neighbour's lengths fit is more likely part of it than omitted.
    pub merge_gain: f32,
    /// ln(1 + characters of the bead's sentences): short sentences carry little evidence.
    pub size: f32,
    /// ln(1 + total weight of the lexical clues of the bead's sentences): a sentence full of
    /// rare clues that match nothing is more surely unmatched than one without any.
    pub clues: f32,
    /// For a null bead: ln(1 + the number of null beads in the run of consecutive null beads
    /// it belongs to) (0 for paired beads).
    pub null_run: f32,
    /// Share of null beads in the whole alignment: how much this text leaves unpaired.
    pub doc_nulls: f32,
    /// For a null bead: ln(1 + the null beads between it and the nearer end of its run) (0 at
    /// either end, and for paired beads). A run's edges are where the aligner may have put
    /// the boundary one sentence off; inside a run of omissions a sentence is rarely misplaced.
    pub run_edge: f32,
    /// For a null bead: 1 at either end of its run (a lone null bead too), else 0.
    pub at_edge: f32,
    /// For a null bead: 1 when its run holds both omissions (1-0) and additions (0-1), else 0.
    /// Such a run is mostly a stretch the aligner could not pair, not text missing from one side.
    pub two_sided: f32,
    /// For a paired bead: the least, over its sentences, of the best lexical score of the
    /// sentence against a single sentence of the other side of the bead (0 for a null bead).
    /// A sentence merged into a bead without a clue shared with the other side may belong
    /// to the bead next to it; the bead's own score averages it away.
    pub member: f32,
    /// Share of the alignment's 1-1 beads without a shared clue (lexical similarity 0): how
    /// badly this text pairs up by its clues (unrelated text leaves many without one, a
    /// translation few, whatever share of it is left unpaired).
    pub doc_noclue: f32,
    /// For a null bead: how much the search's cost of the stretch around it (two beads either
    /// side) rises when its sentence is paired, clamped to ±10 (10 where nothing could pair
    /// it); negative where a search of the stretch alone would pair it (see `marginal.rs`).
    /// 0 for paired beads and beads fixed by a person.
    pub margin: f32,
    /// For a null bead of an alignment made with sentence vectors: 1 when a second alignment of
    /// the same text, made without them, leaves its sentence unpaired too, else 0 (see
    /// `agree.rs`). 0 for paired beads, and without vectors (no second alignment is made).
    pub agree: f32,
    /// For a null bead the second alignment pairs: ln(1 + the sentences between its partner
    /// block there and the place where the bead stands here). 0 otherwise.
    pub agree_far: f32,
    /// Share of the alignment's null beads whose sentence the second alignment leaves unpaired
    /// too (1 without null beads): how far two ways of aligning this text agree on its omissions.
    pub doc_agree: f32,
    /// The semantic evidence, when sentence embeddings were used.
    pub semantic: Option<SemanticEvidence>,
}

/// What sentence embeddings say about a bead (see `semantic.rs` for the normalised distance
/// `r`: about 1 for unrelated text, towards 0 for a translation). Similarities are `1 − r`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticEvidence {
    /// The bead's `1 − r` as the search measured it (0 for a null bead).
    pub similarity: f32,
    /// The best `1 − r` of a sentence of the bead with a single sentence of the other side just
    /// outside it (for a null bead: the other side's sentences around where it stands, and its
    /// unpaired sentences within 10 beads, as for [`Evidence::rival`]).
    pub rival: f32,
    /// Mean `1 − r` of the paired beads within 5 beads either side.
    pub around: f32,
    /// For a paired bead: the least `1 − r` of one of its sentences against the other side's
    /// block (0 for a null bead). A merge is right when every sentence it takes in belongs to
    /// the other side; the bead's own `1 − r` averages a stray sentence away.
    pub member: f32,
    /// For a paired bead: the best `1 − r` of a single pair of its sentences (0 for a null
    /// bead). Beside `similarity` it says whether the joined blocks agree better than their
    /// best parts, i.e. whether the merge is carried by the vectors.
    pub inner: f32,
    /// `1 − ` the text's threshold on `r` (the search's, set by the text's typical distance to
    /// a translation): how close translations are in this text for this model; the same
    /// `1 − r` means more in a text whose translations are far apart.
    pub text: f32,
    /// Mean `1 − r` of the alignment's 1-1 beads: how well this text pairs up by meaning (about
    /// −0.5 for unrelated text).
    pub doc_similarity: f32,
}

impl Evidence {
    /// The feature vector: 1, lex, around, wide, adjacent, length, nulls around, rival, merge gain,
    /// size, clues, null run, document's nulls, the semantic similarity, rival and
    /// neighbourhood (0 without embeddings), the null bead's place in its run (distance to
    /// the run's nearer end, at an end, run on both sides), the semantic member, inner and text
    /// scores, the lexical member score, for a null bead how well the document pairs up
    /// (the share of 1-1 beads without a clue; with embeddings their mean `1 − r`), the
    /// search's margin for a null bead, and a null bead's agreement with a second alignment
    /// (`agree`, `agree_far`, `doc_agree`).
    pub fn features(&self) -> [f64; FEATURES] {
        [
            1.0,
            f64::from(self.lex),
            f64::from(self.around),
            f64::from(self.wide),
            f64::from(self.adjacent),
            f64::from(self.length),
            // A run of omissions is no evidence that any one of them is right (an aligner that
            // lost its way, or a cut through unrelated text, makes runs too): null beads are not
            // judged by it, lest a caller comparing alignments by confidence prefer leaving
            // text out.
            if self.kind == BeadKind::Null {
                0.0
            } else {
                f64::from(self.nulls_around)
            },
            f64::from(self.rival),
            f64::from(self.merge_gain),
            f64::from(self.size),
            f64::from(self.clues),
            f64::from(self.null_run),
            f64::from(self.doc_nulls),
            self.semantic.map_or(0.0, |s| f64::from(s.similarity)),
            self.semantic.map_or(0.0, |s| f64::from(s.rival)),
            self.semantic.map_or(0.0, |s| f64::from(s.around)),
            f64::from(self.run_edge),
            f64::from(self.at_edge),
            f64::from(self.two_sided),
            self.semantic.map_or(0.0, |s| f64::from(s.member)),
            self.semantic.map_or(0.0, |s| f64::from(s.inner)),
            self.semantic.map_or(0.0, |s| f64::from(s.text)),
            f64::from(self.member),
            // Each table's null row weighs the pairing the fit-half rule picked for it: the
            // share of 1-1 beads without a clue without vectors, their mean `1 − r` with them.
            match (self.kind, self.semantic) {
                (BeadKind::Null, None) => f64::from(self.doc_noclue),
                _ => 0.0,
            },
            match (self.kind, self.semantic) {
                (BeadKind::Null, Some(s)) => f64::from(s.doc_similarity),
                _ => 0.0,
            },
            f64::from(self.margin),
            // The second alignment's agreement: defined for null beads only.
            self.null_only(self.agree),
            self.null_only(self.agree_far),
            self.null_only(self.doc_agree),
        ]
    }

    fn null_only(&self, x: f32) -> f64 {
        if self.kind == BeadKind::Null {
            f64::from(x)
        } else {
            0.0
        }
    }
}

/// Coefficients of the logistic model for one source of evidence: one row per [`BeadKind`] (in
/// [`BeadKind::ALL`] order), one column per feature of [`Evidence::features`].
pub type Table = [[f64; FEATURES]; 4];

/// The confidence model: one table for alignments made from length and lexical evidence alone,
/// one for alignments that also used sentence embeddings (their beads carry
/// [`Evidence::semantic`]; the same lexical evidence means something else when the search also
/// weighed meaning).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// Coefficients for beads without semantic evidence.
    pub free: Table,
    /// Coefficients for beads with semantic evidence.
    pub embedded: Table,
}

/// The shipped model, printed by `cargo bench --bench align_calibration -- --refit` (fitted on
/// [`FIT_SETS`]; `docs/aligner.md`; the bench keeps a row of the previous model while the fit
/// sets' beads cannot tell it from a calibrated one: the model-free 1-1, 2-1/1-2 and n:m rows
/// are fitted on the alignments of session 13's final aligner (07bcd4d: the model-free
/// quotation-mark cue, the pinyin names), the e5 1-1 and 2-1/1-2 rows on session 14's final
/// b20a6a0 (a member that dilutes its bead), the e5 n:m row f787452's; the model-free null row,
/// which weighs the search's margin (session 13), bfaffd5's; the e5 null row, which weighs the
/// document's share of null beads again (session 14) and whether the model-free alignment of
/// the same text agrees (session 17), on 5b26b3a's alignments (the aligner's output since).
pub const SHIPPED: Model = Model {
    free: [
        // 1-1
        [
            -3.9564, -10.1218, 0.3462, 35.3155, 2.4834, -0.5298, -4.0475, -8.3689, 0.0000, -0.2364,
            0.2531, 0.0000, -11.1090, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 13.1081, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 2-1/1-2
        [
            -3.9449, -1.1844, -1.6025, 17.7375, -0.1343, -0.4327, -2.8111, -5.4013, 0.0000,
            -0.6283, 1.2058, 0.0000, -8.1094, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 6.8733, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // other n:m
        [
            -4.5568, 1.1035, 1.1627, 1.4029, 2.3980, -0.6475, -2.0100, -1.4361, 0.0000, -1.9011,
            2.6160, 0.0000, -1.5421, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 1.3248, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 1-0/0-1
        [
            -4.1724, 0.0000, -0.1701, 9.0261, 1.7875, 0.7258, 0.0000, -4.1838, -0.0546, -0.1374,
            -0.5943, 1.2711, 0.0000, 0.0000, 0.0000, 0.0000, -0.0861, -0.6166, -3.1467, 0.0000,
            0.0000, 0.0000, 0.0000, -13.2833, 0.0000, 0.2275, 0.0000, 0.0000, 0.0000,
        ],
    ],
    embedded: [
        // 1-1
        [
            1.6065, 0.0489, -2.6198, 15.1626, 1.7683, -0.6784, -4.5611, -4.6726, 0.0000, -0.1399,
            0.3354, 0.0000, -12.3018, 0.7763, -2.0403, 8.1671, 0.0000, 0.0000, 0.0000, 0.7763,
            0.7763, 0.7887, 0.0489, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 2-1/1-2
        [
            0.3462, -1.1837, -0.4364, 2.7787, -0.0575, -0.4795, -2.6792, -1.6552, 0.0000, -1.6285,
            2.2688, 0.0000, -4.2456, -0.3145, -2.2799, 3.9407, 0.0000, 0.0000, 0.0000, 4.3074,
            -0.6250, 1.8485, -0.7519, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // other n:m
        [
            -2.3202, 0.2356, 0.7347, 1.2132, 1.7168, -0.5662, -0.4247, -1.7403, 0.0000, -2.0343,
            2.7006, 0.0000, -1.1914, 0.9455, -1.9836, 1.4347, 0.0000, 0.0000, 0.0000, 2.3173,
            -0.6944, -0.5351, -0.6564, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 1-0/0-1
        [
            -3.3274, 0.0000, -1.0084, 0.7293, -0.5880, 0.2326, 0.0000, -0.2100, -0.0027, -0.2826,
            0.4932, 1.2495, -2.2415, 0.0000, -1.3142, 1.5941, 0.0470, -0.1731, -2.0527, 0.0000,
            0.0000, 0.1326, 0.0000, 0.0000, 4.9753, 0.1958, 0.4358, -0.9984, 0.0000,
        ],
    ],
};

/// The model that judges where a text is cut around a gap of the source witness
/// (`provenance/gaps.rs` keeps the cut whose parts' beads score best on average): the
/// confidence model shipped until 2026-12-01 (main d4f80b8), frozen.
///
/// Why not [`SHIPPED`]: the calibrated probability is fitted to mean the same in every text, so
/// it may weigh facts of the whole alignment (its share of null beads, say) that move every
/// bead of a candidate part together; compared between cuts of the same text, such a fact
/// rewards a cut for what it does to the part's statistics, not for its beads (a refit with
/// the document's median similarities as features put the letter's last sentences into one
/// 4-1 bead). Placement wants a fixed ranking of how convincing a part's beads are, which this
/// model gives and which the `align_work` tests pin down; the calibration can then be refitted
/// freely.
pub const PLACEMENT: Model = Model {
    free: [
        // 1-1
        [
            -6.0571, 4.2786, 4.4382, 35.1118, 4.4283, -0.3966, -5.0519, -9.4108, 0.0000, 0.0450,
            0.0037, 0.0000, -0.0562, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 2-1/1-2
        [
            -5.8104, 2.5608, -0.2068, 17.8975, 1.6318, -0.4717, -3.8592, -5.4077, 0.0000, -0.2021,
            0.8831, 0.0000, -0.7079, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // other n:m
        [
            -4.9474, 1.3492, 2.7559, 2.2905, 2.5671, -0.5414, -3.0543, -1.9676, 0.0000, -0.9421,
            1.5770, 0.0000, -0.8592, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 1-0/0-1
        [
            -3.8807, 0.0000, 1.7226, 5.8230, 3.4004, 0.8510, 0.0000, -3.0905, -0.3079, -0.4802,
            -0.5757, 1.1776, 1.7718, 0.0000, 0.0000, 0.0000, 0.4993, -0.9131, -2.2072, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
    ],
    embedded: [
        // 1-1
        [
            2.8789, 0.2246, -0.1502, 4.2764, 1.9027, -0.4755, -4.5050, -2.9122, 0.0000, 0.0845,
            -0.0698, 0.0000, -9.4931, 3.3861, -3.7974, 7.7386, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 2-1/1-2
        [
            -0.9185, -0.4466, -1.0234, 1.3181, -0.3132, -0.4489, -3.1079, -0.9860, 0.0000, -0.6487,
            1.2670, 0.0000, -5.2231, 1.9903, -3.0528, 4.4385, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // other n:m
        [
            -1.7136, -0.0373, 0.6725, 0.5538, 1.4869, -0.5772, -2.5654, -1.3779, 0.0000, -1.2880,
            1.5829, 0.0000, -2.4245, 1.6037, -3.1326, 1.6403, 0.0000, 0.0000, 0.0000, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
        // 1-0/0-1
        [
            -2.0567, 0.0000, -1.4432, 0.5673, 1.2295, 0.5688, 0.0000, -1.2556, -0.2883, -0.2547,
            0.0415, 1.3338, -5.2237, 0.0000, -2.9501, 3.8178, -1.0436, -2.3008, -3.0106, 0.0000,
            0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
        ],
    ],
};

/// The surest the model ever is: `@cert` is written with three decimals, and `cert="1"` is an
/// editor's confirmation; the gold sets (a few thousand beads a kind) could not show a machine's
/// error rate below one in a thousand anyway.
pub const MOST_SURE: f64 = 0.999;

impl Model {
    /// The coefficients that judge a bead with this evidence.
    fn row(&self, e: &Evidence) -> &[f64; FEATURES] {
        let table = if e.semantic.is_some() {
            &self.embedded
        } else {
            &self.free
        };
        &table[e.kind.index()]
    }

    /// The probability that a bead with this evidence is right, within [`MOST_SURE`] of 0 and 1.
    pub fn predict(&self, e: &Evidence) -> f64 {
        let z: f64 = self
            .row(e)
            .iter()
            .zip(e.features())
            .map(|(w, x)| w * x)
            .sum();
        (1.0 / (1.0 + (-z).exp())).clamp(1.0 - MOST_SURE, MOST_SURE)
    }

    /// Fit the model by (ridge-regularised) logistic regression on beads known to be right or
    /// wrong, each with a weight, each kind and each table (with or without semantic evidence)
    /// apart, with the ridge penalty `ridge[table][kind]` (table 0: without embeddings). A kind
    /// without examples keeps `fallback`'s row.
    pub fn fit(rows: &[(Evidence, bool, f64)], fallback: &Model, ridge: &Ridges) -> Model {
        Model::fit_with(rows, fallback, ridge, &NOT_WEIGHED)
    }

    /// As [`Model::fit`], with the columns each row leaves out given (`not_weighed`, in the
    /// form of [`NOT_WEIGHED`]): for the calibration bench's candidates that weigh more.
    pub fn fit_with(
        rows: &[(Evidence, bool, f64)],
        fallback: &Model,
        ridge: &Ridges,
        not_weighed: &[[&[usize]; 4]; 2],
    ) -> Model {
        let mut out = *fallback;
        for (t, embedded) in [false, true].into_iter().enumerate() {
            let table = if embedded {
                &mut out.embedded
            } else {
                &mut out.free
            };
            for kind in BeadKind::ALL {
                let data: Vec<([f64; FEATURES], f64, f64)> = rows
                    .iter()
                    .filter(|(e, _, _)| e.kind == kind && e.semantic.is_some() == embedded)
                    .map(|(e, y, w)| (e.features(), if *y { 1.0 } else { 0.0 }, *w))
                    .collect();
                if data.len() >= 20 {
                    let mut data = data;
                    for (x, _, _) in &mut data {
                        for &c in not_weighed[t][kind.index()] {
                            x[c] = 0.0;
                        }
                    }
                    table[kind.index()] = logistic(&data, ridge[t][kind.index()]);
                }
            }
        }
        out
    }
}

/// Columns of [`Evidence::features`] that a kind's rows do not weigh (fitted as 0), per table
/// (without, with embeddings) and [`BeadKind::ALL`]. The model-free null row leaves out the
/// document's share of null beads (column 12): on the fit half a real null bead in a document
/// with many of them is right as often as elsewhere, and the share only marked unrelated text,
/// which how well the document pairs up (column 23) measures directly (`docs/aligner.md`,
/// Calibration, session 12). The e5 null row weighs it again beside its pairing column (24):
/// with the unrelated-text signal carried by the vectors, the share is the text's own base rate
/// of reported omissions, and three fit sets judged by a row fitted on the other four are better
/// calibrated with it (session 14). Not a mask of the features themselves: the frozen
/// [`PLACEMENT`] model still weighs that share. The e5 null row weighs whether the model-free
/// alignment of the same text agrees (columns 26, 27; session 17's rule picked them, not the
/// text's share of agreed nulls, 28); a model-free alignment has no second alignment.
pub const NOT_WEIGHED: [[&[usize]; 4]; 2] =
    [[&[], &[], &[], &[12, 26, 27, 28]], [&[], &[], &[], &[28]]];

/// Ridge penalties per coefficient (intercept excluded), per table (without, with embeddings)
/// and bead kind. The penalty keeps features that never vary in a kind (the semantic slots
/// without embeddings, lex of null beads) at zero, and the fit of a kind with few beads from
/// following one set's peculiarities.
pub type Ridges = [[f64; 4]; 2];

/// The ridge penalties the shipped model was fitted with (chosen per kind by leave-one-set-out
/// calibration error on the fit sets, `benches/align_calibration.rs`).
pub const SHIPPED_RIDGE: Ridges = [[0.01, 0.01, 1.0, 0.1], [0.1, 1.0, 1.0, 1.0]];

/// Logistic regression by Newton's method (iteratively reweighted least squares).
fn logistic(data: &[([f64; FEATURES], f64, f64)], ridge: f64) -> [f64; FEATURES] {
    let mut w = [0.0; FEATURES];
    for _ in 0..50 {
        let mut grad = [0.0; FEATURES];
        let mut hess = [[0.0; FEATURES]; FEATURES];
        for (x, y, weight) in data {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let s = weight * (p * (1.0 - p)).max(1e-9);
            for r in 0..FEATURES {
                grad[r] += weight * (p - y) * x[r];
                for c in 0..FEATURES {
                    hess[r][c] += s * x[r] * x[c];
                }
            }
        }
        for r in 1..FEATURES {
            grad[r] += ridge * w[r];
            hess[r][r] += ridge;
        }
        let step = solve(hess, grad);
        let mut change = 0.0f64;
        for r in 0..FEATURES {
            w[r] -= step[r];
            change = change.max(step[r].abs());
        }
        if change < 1e-8 {
            break;
        }
    }
    w
}

/// Solve `a x = b` (a symmetric positive definite, small) by Gaussian elimination with pivoting.
fn solve(mut a: [[f64; FEATURES]; FEATURES], mut b: [f64; FEATURES]) -> [f64; FEATURES] {
    for col in 0..FEATURES {
        let piv = (col..FEATURES)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap_or(col);
        a.swap(col, piv);
        b.swap(col, piv);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        let pivot_row = a[col];
        let pivot_b = b[col];
        for (r, (row, br)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
            if r != col {
                let f = row[col] / d;
                for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
                *br -= f * pivot_b;
            }
        }
    }
    let mut x = [0.0; FEATURES];
    for r in 0..FEATURES {
        if a[r][r].abs() >= 1e-12 {
            x[r] = b[r] / a[r][r];
        }
    }
    x
}

impl Evidence {
    /// A bead of this kind with no evidence at all (every score 0, no semantic score).
    pub(crate) fn none(kind: BeadKind) -> Self {
        Evidence {
            kind,
            lex: 0.0,
            around: 0.0,
            wide: 0.0,
            adjacent: 0.0,
            length: 0.0,
            nulls_around: 0.0,
            rival: 0.0,
            merge_gain: 0.0,
            size: 0.0,
            clues: 0.0,
            null_run: 0.0,
            doc_nulls: 0.0,
            run_edge: 0.0,
            at_edge: 0.0,
            two_sided: 0.0,
            member: 0.0,
            doc_noclue: 0.0,
            margin: 0.0,
            agree: 0.0,
            agree_far: 0.0,
            doc_agree: 0.0,
            semantic: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::search::RawBead;

    fn bead(k: usize, d2: f32, lex: f32) -> RawBead {
        RawBead {
            s0: k,
            s1: k + 1,
            t0: k,
            t1: k + 1,
            ty: 0,
            d2,
            lex,
            sem: None,
        }
    }

    #[test]
    fn more_evidence_in_and_around_a_bead_means_more_confidence() {
        // Ten 1-1 beads of 100 characters each, lexical similarity `lex` each.
        let conf = |lex: f32| {
            let path: Vec<_> = (0..10).map(|k| bead(k, 0.5, lex)).collect();
            let none = || super::super::lexicon::Csr::build(&[0u8; 0], |_| Vec::new());
            let feats = super::super::lexicon::weigh(none(), none());
            let e = evidence(&path, &feats, &|_, _, _, _| (0.7, 100.0), None);
            SHIPPED.predict(&e[5])
        };
        assert!(
            conf(0.0) < conf(0.1) && conf(0.1) < conf(0.2) && conf(0.2) <= conf(0.5),
            "{} {} {} {}",
            conf(0.0),
            conf(0.1),
            conf(0.2),
            conf(0.5)
        );
        assert!(conf(0.5) > 0.9);
        assert!((0.0..=1.0).contains(&conf(0.0)));
        // Never certain: `cert="1"` is an editor's.
        assert!(conf(1.0) <= MOST_SURE && conf(1.0) > 0.99, "{}", conf(1.0));
    }

    #[test]
    fn with_vectors_a_closer_pair_is_surer_and_unrelated_text_is_doubted() {
        // A 1-1 bead judged by the table for alignments with sentence vectors, with the
        // medians of the gold sets' right 1-1 beads but few shared clues (lexical scores 0.05,
        // the case where vectors matter), its own `1 − r` (= its member and inner score, one
        // sentence a side) varied.
        let bead = |lex: f32, sim: f32, around: f32, rival: f32, text: f32| Evidence {
            lex,
            around: lex,
            wide: lex,
            adjacent: lex,
            length: 0.7,
            rival: 0.06,
            size: 4.9,
            clues: 4.8,
            doc_nulls: 0.06,
            member: lex,
            semantic: Some(SemanticEvidence {
                similarity: sim,
                rival,
                around,
                member: sim,
                inner: sim,
                text,
                doc_similarity: 0.27,
            }),
            ..Evidence::none(BeadKind::OneOne)
        };
        let conf: Vec<f64> = [-0.6, -0.3, 0.0, 0.3]
            .iter()
            .map(|&sim| SHIPPED.predict(&bead(0.05, sim, 0.0, -0.4, -0.1)))
            .collect();
        assert!(conf.windows(2).all(|w| w[0] < w[1]), "{conf:?}");
        // Vectors that agree vouch for a bead the lexical evidence alone doubts.
        let free = Evidence {
            semantic: None,
            ..bead(0.05, 0.0, 0.0, -0.4, -0.1)
        };
        assert!(conf[2] > 0.9, "{conf:?}");
        assert!(SHIPPED.predict(&free) < 0.5, "{}", SHIPPED.predict(&free));
        // Unrelated text (the medians of a text against its reversed translation): no clue,
        // every `1 − r` around −0.55.
        let unrelated = SHIPPED.predict(&bead(0.04, -0.55, -0.57, -0.52, -0.24));
        assert!(unrelated < 0.15, "{unrelated}");
    }

    #[test]
    fn two_omissions_that_translate_each_other_are_doubted() {
        // Twelve sentences a side; sentence k carries clue 100 + k on both sides, except that
        // the source's sentence 5 (left alone by the path) carries `clue` and the target's
        // sentence 7 (left alone too, two beads later) carries clue 999.
        let feats = |clue: u32| {
            let src: Vec<u32> = (0..12)
                .map(|k| if k == 5 { clue } else { 100 + k })
                .collect();
            let tgt: Vec<u32> = (0..12)
                .map(|k| if k == 7 { 999 } else { 100 + k })
                .collect();
            let csr = |v: &[u32]| super::super::lexicon::Csr::build(v, |&f| vec![f]);
            super::super::lexicon::weigh(csr(&src), csr(&tgt))
        };
        let null = |s: usize, t: usize, ds: usize, dt: usize| RawBead {
            d2: 50.0,
            ..RawBead::unscored(s, s + ds, t, t + dt, 0)
        };
        // Beads: 0..5 1-1, source 5 alone, 1-1 beads (6, 5) and (7, 6), target 7 alone, then
        // 1-1 beads to the end.
        let mut path: Vec<RawBead> = (0..5).map(|k| bead(k, 0.5, 0.6)).collect();
        path.push(null(5, 5, 1, 0));
        for (i, j) in [(6, 5), (7, 6)] {
            path.push(RawBead {
                t0: j,
                t1: j + 1,
                ..bead(i, 0.5, 0.6)
            });
        }
        path.push(null(8, 7, 0, 1));
        path.extend((8..12).map(|k| bead(k, 0.5, 0.6)));
        let judge = |clue: u32| {
            let e = evidence(&path, &feats(clue), &|_, _, _, _| (7.0, 100.0), None);
            (e[5].rival, SHIPPED.predict(&e[5]))
        };
        let (apart, crossing) = (judge(555), judge(999));
        assert_eq!(apart.0, 0.0);
        assert!(crossing.0 > 0.9, "rival {}", crossing.0);
        assert!(crossing.1 < apart.1, "{} !< {}", crossing.1, apart.1);
    }

    #[test]
    fn a_null_bead_knows_its_place_in_its_run() {
        let null = |s: usize, t: usize, ds: usize, dt: usize| RawBead {
            d2: 20.0,
            ..RawBead::unscored(s, s + ds, t, t + dt, 0)
        };
        // 1-1 beads 0..3, source sentences 3..8 omitted one by one, 1-1 bead (8, 3), then a
        // source omission followed by a target addition, then 1-1 bead (10, 5).
        let mut path: Vec<RawBead> = (0..3).map(|k| bead(k, 0.5, 0.6)).collect();
        path.extend((3..8).map(|i| null(i, 3, 1, 0)));
        path.push(RawBead {
            t0: 3,
            t1: 4,
            ..bead(8, 0.5, 0.6)
        });
        path.push(null(9, 4, 1, 0));
        path.push(null(10, 4, 0, 1));
        path.push(RawBead {
            t0: 5,
            t1: 6,
            ..bead(10, 0.5, 0.6)
        });
        let none = || super::super::lexicon::Csr::build(&[0u8; 0], |_| Vec::new());
        let feats = super::super::lexicon::weigh(none(), none());
        let e = evidence(&path, &feats, &|_, _, _, _| (4.5, 100.0), None);
        let place: Vec<(f32, f32, f32)> = e
            .iter()
            .map(|x| (x.run_edge, x.at_edge, x.two_sided))
            .collect();
        let ln = |x: f32| x.ln_1p();
        assert_eq!(
            place[3..8],
            [
                (0.0, 1.0, 0.0),
                (ln(1.0), 0.0, 0.0),
                (ln(2.0), 0.0, 0.0),
                (ln(1.0), 0.0, 0.0),
                (0.0, 1.0, 0.0)
            ]
        );
        assert_eq!(place[9..11], [(0.0, 1.0, 1.0), (0.0, 1.0, 1.0)]);
        // Paired beads have no place in a run.
        for k in [0, 2, 8, 11] {
            assert_eq!(place[k], (0.0, 0.0, 0.0), "bead {k}");
        }
    }

    #[test]
    fn every_bead_knows_how_well_its_document_pairs_up() {
        // Ten 1-1 beads, four of them without a shared clue, and a null bead.
        let mut path: Vec<RawBead> = (0..10)
            .map(|k| bead(k, 0.5, if k % 3 == 0 { 0.0 } else { 0.4 }))
            .collect();
        path.push(RawBead {
            d2: 20.0,
            ..RawBead::unscored(10, 11, 10, 10, 0)
        });
        let none = || super::super::lexicon::Csr::build(&[0u8; 0], |_| Vec::new());
        let feats = super::super::lexicon::weigh(none(), none());
        let e = evidence(&path, &feats, &|_, _, _, _| (0.7, 100.0), None);
        assert!(e.iter().all(|x| (x.doc_noclue - 0.4).abs() < 1e-6));
        // Only the null row weighs it, and no row of the shipped model weighs a column its
        // kind does not (the share of null beads for a model-free null bead, say).
        let f = e[10].features();
        assert_eq!((f[23], f[24]), (f64::from(e[10].doc_noclue), 0.0));
        assert_eq!((e[3].features()[23], e[3].features()[24]), (0.0, 0.0));
        for (t, table) in [&SHIPPED.free, &SHIPPED.embedded].into_iter().enumerate() {
            for kind in BeadKind::ALL {
                for &c in NOT_WEIGHED[t][kind.index()] {
                    assert_eq!(table[kind.index()][c], 0.0, "{kind:?} column {c}");
                }
            }
        }
        // A null bead of a text that pairs up worse is doubted more.
        let worse = Evidence {
            doc_noclue: 0.9,
            ..e[10]
        };
        assert!(SHIPPED.predict(&worse) < SHIPPED.predict(&e[10]));
    }

    #[test]
    fn fit_recovers_a_known_logistic_relation() {
        // Labels drawn from p = σ(−2 + 6·lex), deterministically (a low-discrepancy sequence).
        let mut rows = Vec::new();
        for k in 0..4000 {
            let lex = (k % 100) as f32 / 100.0;
            let p = 1.0 / (1.0 + (-(-2.0 + 6.0 * f64::from(lex))).exp());
            let u = ((k as f64) * 0.618_033_988_75).fract();
            let e = Evidence {
                lex,
                ..Evidence::none(BeadKind::OneOne)
            };
            rows.push((e, u < p, 1.0));
        }
        let m = Model::fit(&rows, &SHIPPED, &SHIPPED_RIDGE);
        let w = m.free[0];
        assert!((w[0] + 2.0).abs() < 0.3, "intercept {}", w[0]);
        assert!((w[1] - 6.0).abs() < 0.6, "slope {}", w[1]);
        // Kinds without data keep the fallback.
        assert_eq!(m.free[3], SHIPPED.free[3]);
        assert_eq!(m.embedded, SHIPPED.embedded);
    }
}
