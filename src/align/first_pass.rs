//! The two passes over analysed sentences (as hunalign does): a first search over the whole
//! texts, re-estimation of the length model and the bead priors, dictionary induction, and a
//! second search in a band around the first path.

use super::lexicon::{Csr, Dictionary, weigh, weigh_with_anchors};
use super::options::Weights;
use super::refine;
use super::search::{self, Band, Level, Params, RawBead, TYPES, cumulative};
use super::semantic::Semantic;
use super::text::{Analyses, Sentences};
use super::widen::widen;
use super::{AlignError, PieceVecs, confidence, refined, timing};
use confidence::Evidence;
use indicatif::ProgressBar;

/// Cost of a null bead after two of its kind in the first pass (−ln 0.5: a run of two goes on as
/// often as not): see `search::Params::null_run`.
const FIRST_PASS_NULL_RUN: f32 = std::f32::consts::LN_2;

/// The best lexical similarity at which the lexical null evidence is neutral.
const LEX_NULL_NEUTRAL: f32 = 0.2;

/// Weight of the lexical similarity (in [0, 1]) against the length and prior costs.
const LAMBDA: f32 = 35.0;

/// Model-free, the lexical weight of the first pass: before the dictionary is induced few words
/// of a translation match, so a true pair's similarity is low and each clue must count more.
const LAMBDA_FIRST_FREE: f32 = 85.0;

/// Model-free, the lexical weight of the second pass (with the induced dictionary). Chosen with
/// [`LAMBDA_FIRST_FREE`] on the fit sets of `docs/aligner.md` (first 35 / 50 / 60 / 70 / 85 /
/// 100 × second 30 / 35 / 40 / 45 / 50 / 55).
const LAMBDA_SECOND_FREE: f32 = 40.0;

/// Scale of the length cost of null beads: an omitted sentence's length says little about
/// whether it was omitted, so it costs mainly its prior.
const NULL_LENGTH: f32 = 0.1;

/// Cost of a bead boundary that falls on a block boundary on one side only.
const BLOCK_PENALTY: f32 = 1.5;

/// Half-width of the band of the second pass around the first pass's path.
const SECOND_PASS_BAND: usize = 8;

/// Model-free, the half-width of that band: the first pass (no discount for runs of nulls)
/// spreads a missing passage over merges of its neighbours, so the second pass's run of nulls
/// lies as many positions off the first path as the passage has sentences; a band of 8 cut off
/// passages longer than that (deletion bench: omissions of 1–15 sentences), and the path in the
/// band did not touch its edge, so it was not widened.
const SECOND_PASS_BAND_FREE: usize = 16;

/// Model-free, in the second pass, a feature found in exactly one sentence of each side (a
/// number, a name, a rare cognate the texts share once) weighs this many times its inverse
/// document frequency: such a pair is an anchor that a path shifted by a missing passage loses.
/// Chosen on the fit sets of `docs/aligner.md` (2 / 2.5 / 3 / 4 / 6 / 8).
const ANCHOR_FREE: f32 = 3.0;

/// Model-free, a bead of one sentence against five or six replaces a smaller bead and the
/// nulls beside it only when it costs this much less (`widen`): chosen on the fit sets of
/// `docs/aligner.md` (0 / 1 / 2 / 3: the same figures at 0–2, mac-dev loses at 3).
const WIDE_MARGIN_FREE: f32 = 1.0;

/// Pseudo-count of the default priors when re-estimating them from the first pass.
const PRIOR_WEIGHT: f64 = 200.0;

/// Null beads of a run counted when re-estimating the priors (see `reestimate`): longer than
/// the omissions of the deletion bench (1–15 sentences), which are counted as before (with 2
/// or 4, textberg and hu1984 lost strict F1; with 8, hu1984 omission F1).
const RUN_COUNTED: usize = 16;

/// Align analysed sentences in two passes (see the module documentation). The analyses are
/// taken, and dropped once the second pass's features are made from them: a million sentences a
/// side hold several hundred MiB of them, and the peak of a long alignment comes later.
pub(super) fn align_infos(
    (si, ti): (Analyses, Analyses),
    bounds: Option<(&[bool], &[bool])>,
    dictionary: &Dictionary,
    progress: Option<&ProgressBar>,
    vecs: Option<PieceVecs<'_>>,
    null_costs: Weights,
    joined: Option<&refine::JoinedEmbed<'_>>,
) -> Result<(Vec<RawBead>, Vec<Evidence>), AlignError> {
    let (n, m) = (si.lens.len(), ti.lens.len());
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
    let (sl, tl) = (si.lens.clone(), ti.lens.clone());
    let sem = vecs.as_ref().map(|v| v.semantic(&sl, &tl));
    let weights = Weights {
        sem: vecs.map_or(0.0, |v| v.params.weight.max(0.0)),
        ..null_costs
    };
    let (mut params, dict, first) = first_pass(
        si.all(),
        ti.all(),
        bounds,
        dictionary,
        progress,
        sem.as_ref(),
        weights,
    );
    // Numbers and names across a cut only from the second pass on: in the first they moved
    // the re-estimated priors of 2-2 beads, and with them beads far from any name.
    // The null rebate's threshold from the first path's 1-1 beads, also from the second pass on.
    let sem = match (sem, vecs) {
        (Some(s), Some(v)) => {
            let pairs = first.iter().filter(|b| b.ty == 0).map(|b| (b.s0, b.t0));
            Some(v.with_names(s).with_matched(pairs))
        }
        (s, _) => s,
    };
    let timer = timing::phase(|| "second pass: features".into());
    let (sq, tq) = quote_ends(si.all(), ti.all());
    // Each side's analyses are dropped as soon as its features are made.
    let s = Csr::build_n(n, |k| dict.src_features(&si.all(), k));
    drop(si);
    let t = Csr::build_n(m, |k| dict.tgt_features(&ti.all(), k));
    drop(ti);
    let anchor = if weights.sem > 0.0 { 1.0 } else { ANCHOR_FREE };
    let (mut feats, anchors) = weigh_with_anchors(s, t, anchor);
    drop(timer);
    let level = Level {
        src_bound: bounds.map(|b| b.0),
        tgt_bound: bounds.map(|b| b.1),
        sem: sem.as_ref(),
        quotes: Some((&sq, &tq)),
        ..Level::new(&sl, &tl, &feats)
    };
    let timer = timing::phase(|| "second pass: search".into());
    let half = if weights.sem > 0.0 {
        SECOND_PASS_BAND
    } else {
        SECOND_PASS_BAND_FREE
    };
    let band = Band::around(&first, 1, half, n, m);
    drop(first);
    let (mut path, mut nulls) = search::dp_pieces(&level, &params, band, 3, progress);
    drop(timer);
    if let Some(run) = weights.ratio_again {
        let _t = timing::phase(|| "third search".into());
        (path, nulls) = search_again(
            &level,
            &mut params,
            &path,
            (&sl, &tl),
            (run, half),
            progress,
        );
    }
    if weights.sem <= 0.0 {
        // Without vectors there is no refinement to make beads of five or six.
        let _t = timing::phase(|| "second pass: wide beads".into());
        widen(&mut path, (&level, &params), &nulls, WIDE_MARGIN_FREE);
    }
    drop(nulls);
    // The searches' freed tables, before the evidence (where a long alignment peaks).
    super::memory::give_back(n + m);
    if let (Some(embed), Some(s), Some(v)) = (joined, sem.as_ref(), vecs) {
        path = refined(path, (&level, &params, s), v, embed)?;
    }
    let _t = timing::phase(|| "evidence".into());
    // How narrowly the search took each decision, by its own costs (its clue weights).
    let margins = confidence::margins(&path, search_costs(&level, &params, sem.as_ref()));
    drop(level);
    // The confidence model reads the plain weights it was fitted on.
    anchors.restore(&mut feats);
    let level = Level::new(&sl, &tl, &feats);
    let mut evidence =
        confidence::evidence(&path, &feats, &length_dev(&level, &params), sem.as_ref());
    confidence::set_margins(&mut evidence, &margins);
    Ok((path, evidence))
}

/// Model-free, with `AlignOptions::ratio_again`: the ratio measured along the second path
/// without its runs of at least `run` null beads, and the search again at it in a band of
/// half-width `half` around that path; `params` take that ratio. The first pass estimates the
/// ratio from the whole texts and pays for no run of nulls, so in a short text that lost much
/// of one side its path spreads the passage over merges, and the second search's ratio (along
/// the first path, runs and all) still counts the orphaned sentences as text the other side
/// renders.
fn search_again(
    level: &Level<'_>,
    params: &mut Params,
    second: &[RawBead],
    (sl, tl): (&[u32], &[u32]),
    (run, half): (usize, usize),
    progress: Option<&ProgressBar>,
) -> (Vec<RawBead>, search::NullInputs) {
    let (n, m) = (sl.len(), tl.len());
    let local = search::ratio_along_without_runs(second, (sl, tl), n, params.ratio, run.max(1));
    params.local = Some(std::sync::Arc::new(local));
    let band = Band::around(second, 1, half, n, m);
    search::dp_pieces(level, params, band, 3, progress)
}

/// Per sentence of each side, whether it ends with a quotation mark (`search::Level::quotes`).
pub(super) fn quote_ends(si: Sentences<'_>, ti: Sentences<'_>) -> (Vec<bool>, Vec<bool>) {
    (si.quotes.to_vec(), ti.quotes.to_vec())
}

/// How much the quotation marks ending a sentence say about where a bead ends in these texts,
/// read from the first path's 1-1 beads against the pairs one sentence off them (either side,
/// either way): ln of how much likelier off the path the two sentences disagree (one ends a
/// quotation, the other not), and ln of how much likelier on the path both end one; 0 where
/// not likelier. Where both languages close a turn of dialogue with a quotation mark
/// (Chinese–English literary text) the ends of a true bead disagree about one time in thirty
/// and those one sentence off one time in four; where one of them marks dialogue by dashes
/// (Hungarian, Russian) the rates are alike and the cue would only mislead (model-free
/// steinbeck lost strict F1 with a fixed cost).
fn quote_evidence(path: &[RawBead], (sq, tq): (&[bool], &[bool])) -> (f32, f32) {
    let (mut same, mut ones, mut off, mut offs) = (0u64, 0u64, 0u64, 0u64);
    let (mut both, mut both_off) = (0u64, 0u64);
    for b in path.iter().filter(|b| b.ty == 0) {
        let (i, j) = (b.s0, b.t0);
        ones += 1;
        same += u64::from(sq[i] != tq[j]);
        both += u64::from(sq[i] && tq[j]);
        let near = [
            (i.wrapping_sub(1), j),
            (i + 1, j),
            (i, j.wrapping_sub(1)),
            (i, j + 1),
        ];
        for (x, y) in near {
            if let (Some(a), Some(c)) = (sq.get(x), tq.get(y)) {
                offs += 1;
                off += u64::from(a != c);
                both_off += u64::from(*a && *c);
            }
        }
    }
    // ln of one rate over another, each smoothed by one pseudo-observation at the two's
    // pooled rate: without data (a text without quotation marks) the ratio is 1.
    let llr = |(k, n): (u64, u64), (k2, n2): (u64, u64)| {
        let pooled = (k + k2) as f64 / (n + n2).max(1) as f64;
        if pooled <= 0.0 {
            return 0.0;
        }
        let rate = |k: u64, n: u64| (k as f64 + pooled) / (n as f64 + 1.0);
        (rate(k, n) / rate(k2, n2)).ln().max(0.0) as f32
    };
    (
        llr((off, offs), (same, ones)),
        llr((both, ones), (both_off, offs)),
    )
}

/// What the search weighed, for the confidence model's margins.
pub(super) fn search_costs<'a>(
    level: &'a Level<'a>,
    params: &'a Params,
    sem: Option<&'a Semantic<'a>>,
) -> confidence::SearchCosts<'a> {
    confidence::SearchCosts { level, params, sem }
}

/// √δ² of a bead's lengths (capped at √50, as the evidence is) under the search's length model,
/// and its characters.
pub(super) fn length_dev<'a>(
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

/// The first pass over analysed sentences (both sides non-empty): the re-estimated parameters
/// (local ratio, variance, priors), the dictionary extended by induction, and the first path.
pub(super) fn first_pass(
    si: Sentences<'_>,
    ti: Sentences<'_>,
    bounds: Option<(&[bool], &[bool])>,
    dictionary: &Dictionary,
    progress: Option<&ProgressBar>,
    sem: Option<&Semantic<'_>>,
    weights: Weights,
) -> (Params, Dictionary, Vec<RawBead>) {
    let (n, m) = (si.len(), ti.len());
    let (sl, tl) = (si.lens, ti.lens);
    let (src_cum, tgt_cum) = (cumulative(sl), cumulative(tl));
    let mut params = first_params((tgt_cum[m] / src_cum[n].max(1.0)) as f32, weights);
    let features = |d: &Dictionary| {
        let s = Csr::build_n(n, |k| d.src_features(&si, k));
        let t = Csr::build_n(m, |k| d.tgt_features(&ti, k));
        weigh(s, t)
    };
    let msg = |m: &'static str| {
        if let Some(pb) = progress {
            pb.set_message(m);
        }
    };

    // Pass 1.
    msg("first pass");
    let timer = timing::phase(|| "first pass: features".into());
    let feats = features(dictionary);
    drop(timer);
    let (sq, tq) = quote_ends(si, ti);
    let level = Level {
        src_cum,
        tgt_cum,
        feats: &feats,
        src_bound: bounds.map(|b| b.0),
        tgt_bound: bounds.map(|b| b.1),
        sem,
        quotes: Some((&sq, &tq)),
    };
    let timer = timing::phase(|| "first pass: search".into());
    let first = search::search(&level, &params, 3, progress);
    drop(timer);
    drop(level);
    drop(feats);
    super::memory::give_back(n + m);
    let _timer = timing::phase(|| "re-estimate and induce".into());

    // Re-estimate, induce, realign.
    msg("second pass");
    params.local = Some(std::sync::Arc::new(match weights.ratio_skips_runs {
        Some(run) => search::ratio_along_without_runs(&first, (sl, tl), n, params.ratio, run),
        None => search::ratio_along(&first, &cumulative(sl), &cumulative(tl), 1, n, params.ratio),
    }));
    reestimate(&mut params, &first, sl, tl);
    second_params(&mut params, weights);
    // The quotation marks' costs at `weights.quotes` per unit of what they say in these texts.
    let (disagree, both) = quote_evidence(&first, (&sq, &tq));
    params.quote_both = params.quotes * both;
    params.quotes *= disagree;
    let pairs: Vec<(usize, usize)> = first
        .iter()
        .filter(|b| b.ty == 0 && b.d2 < 2.0)
        .map(|b| (b.s0, b.t0))
        .collect();
    let mut dict = dictionary.clone();
    dict.extend(&Dictionary::induce(si, ti, &pairs));
    (params, dict, first)
}

/// The parameters of the first pass: the global length ratio `ratio` (target characters per
/// source character; 1 when it is not a positive number) and the default variance, priors and
/// null costs, with the lexical weight of the evidence the pass has.
fn first_params(ratio: f32, weights: Weights) -> Params {
    Params {
        ratio: if ratio.is_finite() && ratio > 0.0 {
            ratio
        } else {
            1.0
        },
        local: None,
        var: 6.8,
        prior: search::PRIOR.map(|p| (-p.ln()) as f32),
        lambda: if weights.sem > 0.0 {
            LAMBDA
        } else {
            LAMBDA_FIRST_FREE
        },
        null_len: NULL_LENGTH,
        null_len_run: NULL_LENGTH,
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
        // The quotation marks from the second pass on (`quote_evidence` reads the first path).
        quotes: 0.0,
        quote_both: 0.0,
    }
}

/// Turns the first pass's parameters into the second pass's, after `reestimate`: the run
/// costs, the lexical null evidence and the lexical weight of the second pass.
fn second_params(p: &mut Params, weights: Weights) {
    if weights.sem > 0.0 {
        // 2-1 and 1-2 (indices 3 and 4 of `search::TYPES`).
        p.prior[3] += weights.prior_2_1;
        p.prior[4] += weights.prior_2_1;
    }
    p.null_extend = weights.null_extend;
    p.null_second = weights.null_second;
    p.null_run = f32::INFINITY;
    p.null_len_run = weights.null_len_run.unwrap_or(NULL_LENGTH);
    // The lexical null evidence needs the induced dictionary: in the first pass, before it,
    // few sentence pairs of a translation share clues. With sentence vectors it is left out:
    // the semantic evidence says more, and on the fit sets adding it lost omission F1.
    p.lex_null = if weights.sem > 0.0 {
        0.0
    } else {
        weights.lex_null
    };
    p.lex_null_t = LEX_NULL_NEUTRAL;
    p.quotes = weights.quotes;
    if weights.sem <= 0.0 {
        p.lambda = LAMBDA_SECOND_FREE;
    }
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
    for (k, b) in beads.iter().enumerate() {
        // A long run of nulls is one passage missing, not so many omissions: it counts as
        // `RUN_COUNTED` beads at most (the second pass prices a run's opening by this prior
        // and every further null by `null_extend`). Counted bead by bead, the nulls of missing
        // chapters (1M sentences a side, every 7th chapter missing) made the prior of a null
        // about 1.9 instead of 4.6, so reopening a run cost next to nothing and a lone
        // sentence inside it was paired with the target sentence after it on a shared name.
        let null = b.ty == 1 || b.ty == 2;
        if null && k >= RUN_COUNTED && beads[k - RUN_COUNTED..k].iter().all(|p| p.ty == b.ty) {
            continue;
        }
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
    fn a_long_run_of_nulls_counts_as_one_omission_in_the_priors() {
        // 1,000 sentences paired 1-1, then a chapter of 300 missing from the target: one
        // passage missing, not 300 omissions. Counted bead by bead, a null cost about
        // −ln(300/1300) ≈ 1.6 in the second pass, and reopening a run inside a missing
        // chapter next to nothing.
        let bead = RawBead::unscored;
        let mut path: Vec<RawBead> = (0..1000).map(|k| bead(k, k + 1, k, k + 1, 0)).collect();
        path.extend((1000..1300).map(|k| bead(k, k + 1, 1000, 1000, 1)));
        let (sl, tl) = (vec![20u32; 1300], vec![20u32; 1000]);
        let mut p = search::params_for_tests(1.0);
        reestimate(&mut p, &path, &sl, &tl);
        assert!(p.prior[1] > 4.0, "{:?}", p.prior);
        // Short runs count bead by bead, as before: two nulls in a row are two.
        let mut two = path[..1000].to_vec();
        two.extend((0..100).flat_map(|k| {
            let s = 1000 + 3 * k;
            [
                bead(s, s + 1, 1000 + k, 1000 + k, 1),
                bead(s + 1, s + 2, 1000 + k, 1000 + k, 1),
                bead(s + 2, s + 3, 1000 + k, 1001 + k, 0),
            ]
        }));
        let mut q = search::params_for_tests(1.0);
        reestimate(&mut q, &two, &[20u32; 1300], &[20u32; 1100]);
        assert!(q.prior[1] < 2.5, "{:?}", q.prior);
    }

    #[test]
    fn with_vectors_two_to_one_beads_cost_what_the_semantic_prior_says() {
        let text = |k: usize| {
            let s: Vec<String> = (0..40)
                .map(|i| format!("Sentence {i} of text {k}, ok."))
                .collect();
            Analyses::of(&s.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let (si, ti) = (text(0), text(1));
        let priors = |sem: f32, prior_2_1: f32| {
            let w = Weights {
                sem,
                prior_2_1,
                ..Weights::new(&super::super::AlignOptions::default(), sem)
            };
            first_pass(
                si.all(),
                ti.all(),
                None,
                &Dictionary::default(),
                None,
                None,
                w,
            )
            .0
            .prior
        };
        let (plain, cheaper) = (priors(6.0, 0.0), priors(6.0, -0.5));
        assert!(
            (cheaper[3] - plain[3] + 0.5).abs() < 1e-6,
            "{cheaper:?} {plain:?}"
        );
        assert!(
            (cheaper[4] - plain[4] + 0.5).abs() < 1e-6,
            "{cheaper:?} {plain:?}"
        );
        assert_eq!((cheaper[0], cheaper[5]), (plain[0], plain[5]));
        // Model-free, the priors are the first pass's alone.
        assert_eq!(priors(0.0, -0.5), priors(0.0, 0.0));
    }

    #[test]
    fn quotation_marks_count_only_where_both_languages_end_turns_with_them() {
        let bead = RawBead::unscored;
        let path: Vec<RawBead> = (0..40).map(|k| bead(k, k + 1, k, k + 1, 0)).collect();
        // Every fourth sentence closes a turn of dialogue, on both sides.
        let turns: Vec<bool> = (0..40).map(|k| k % 4 == 3).collect();
        let (disagree, both) = quote_evidence(&path, (&turns, &turns));
        assert!(disagree > 1.0 && both > 1.0, "{disagree} {both}");
        // The source marks dialogue by dashes: its ends say nothing about the target's.
        let dashes = vec![false; 40];
        let (disagree, both) = quote_evidence(&path, (&dashes, &turns));
        assert!(disagree < 0.1 && both == 0.0, "{disagree} {both}");
        assert_eq!(quote_evidence(&path, (&dashes, &dashes)), (0.0, 0.0));
        // The search's price of a bead's ends (source sentence i − 1, target j − 1).
        let p = Params {
            quotes: 2.0,
            quote_both: 1.0,
            ..search::params_for_tests(1.0)
        };
        let (s, t) = ([true, false], [true, true]);
        assert_eq!(p.quote_cost(Some((&s, &t)), 1, 1), -1.0);
        assert_eq!(p.quote_cost(Some((&s, &t)), 2, 2), 2.0);
        assert_eq!(p.quote_cost(Some((&s, &t)), 2, 0), 0.0);
        assert_eq!(p.quote_cost(None, 2, 2), 0.0);
    }

    /// A sentence of `len` characters or more, of syllables made of `letters` (consonants)
    /// and vowels, drawn by a small deterministic generator from `seed`.
    fn babble(seed: &mut u64, len: usize, letters: &[u8]) -> String {
        let mut next = || {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) as usize
        };
        let mut s = String::new();
        while s.len() < len {
            if !s.is_empty() {
                s.push(' ');
            }
            for _ in 0..2 + next() % 3 {
                s.push(letters[next() % letters.len()] as char);
                s.push(b"aeiou"[next() % 5] as char);
            }
        }
        s.push('.');
        s
    }

    #[test]
    fn a_third_search_at_the_second_paths_ratio_finds_more_of_a_long_missing_passage() {
        // 40 sentences and their "translation" of about the same length in other letters (no
        // clue in common: length is the only evidence), the target missing 15 of them: the
        // ratio of the damaged texts is far from the true 1, which the second path's paired
        // beads, its run of nulls left out, come close to.
        let mut seed = 7;
        let lens: Vec<usize> = (0..40).map(|k| 30 + (k * 37) % 110).collect();
        let src: Vec<String> = lens
            .iter()
            .map(|&l| babble(&mut seed, l, b"ptkbdg"))
            .collect();
        let gone = 8..23;
        let tgt: Vec<String> = lens
            .iter()
            .enumerate()
            .filter(|(k, _)| !gone.contains(k))
            .map(|(_, &l)| babble(&mut seed, l, b"mnlrsv"))
            .collect();
        let (s, t): (Vec<&str>, Vec<&str>) = (
            src.iter().map(String::as_str).collect(),
            tgt.iter().map(String::as_str).collect(),
        );
        let found = |again: Option<usize>| {
            let opts = crate::align::AlignOptions {
                ratio_again: again,
                ..Default::default()
            };
            let beads = crate::align::align(&s, &t, &opts).expect("aligned");
            let null: Vec<usize> = beads
                .iter()
                .filter(|b| b.tgt.is_empty())
                .flat_map(|b| b.src.clone())
                .collect();
            let right = null.iter().filter(|k| gone.contains(k)).count();
            (right, null.len() - right)
        };
        let (two, two_wrong) = found(None);
        let (three, three_wrong) = found(Some(2));
        assert!(three > two, "{three} against {two} of {}", gone.len());
        assert!(
            three_wrong <= two_wrong,
            "{three_wrong} against {two_wrong}"
        );
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
