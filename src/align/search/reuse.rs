//! The reuse of a previous search's rows. A band whose edge the best path touches is widened
//! there and searched again (`band::dp_widening`), and the widening changes a few stretches of
//! rows only: the search in the widened band restarts from the first changed row, keeps the
//! pairwise values of the states both bands hold, and copies the rows a widening cannot change
//! instead of computing them again (see [`Old`]). Without this a widening near the start of a
//! long text recomputed every row to its end (the 1M *missing* arrangement: 13–19 % of the CPU).

use super::MAXK;
use super::band::Band;
use super::dp::{GAP_CHECKPOINT, Tables};

/// What the search adds to a null bead of each source and each target sentence from the
/// lexical evidence around it in the band: it depends on the band, so a widened band can change
/// it for sentences near the widening. (The semantic null cost depends on the sentence alone,
/// not on the band: nothing of it to compare.)
#[derive(Default)]
pub(crate) struct NullInputs {
    pub(crate) lex_s: Vec<f32>,
    pub(crate) lex_t: Vec<f32>,
}

impl NullInputs {
    /// Per source and per target sentence: does its null cost differ from `old`'s (to the bit)?
    fn changed(&self, old: &NullInputs, n: usize, m: usize) -> (Vec<bool>, Vec<bool>) {
        let differ = |a: &[f32], b: &[f32], k: usize| {
            a.get(k).map(|x| x.to_bits()) != b.get(k).map(|x| x.to_bits())
        };
        let s = (0..n).map(|k| differ(&self.lex_s, &old.lex_s, k)).collect();
        let t = (0..m).map(|k| differ(&self.lex_t, &old.lex_t, k)).collect();
        (s, t)
    }
}

/// The rows of the previous search from the row the new one restarts at (`first`), kept so that
/// rows the widening cannot have changed are copied rather than computed again: once the new
/// search has come to the same state as the old (the same costs and back pointers in the last
/// [`MAXK`] rows, the same 1-0 run states) at a row whose band and inputs are the same as before,
/// every row up to the next changed one comes out the same, to the bit. A band is widened only
/// here and there (around runs of nulls), and the two searches meet again within a few dozen
/// rows, where before every row to the end of the text was computed again.
pub(crate) struct Old {
    rows: OldRows,
    /// For every row: the first row at or after it that the new band or the new null costs
    /// make different (n + 1 where there is none).
    next_changed: Vec<usize>,
}

impl Old {
    /// Old row `i`'s costs and back pointers.
    pub(crate) fn row(&self, i: usize) -> (&[f32], &[u8]) {
        let r = self.rows.band.off[i] - self.rows.band.off[self.rows.first]
            ..self.rows.band.off[i + 1] - self.rows.band.off[self.rows.first];
        (&self.rows.cost[r.clone()], &self.rows.back[r])
    }

    /// Copy the old rows `rows` into the new search's tables.
    pub(crate) fn copy_rows(
        &self,
        rows: std::ops::Range<usize>,
        band: &Band,
        (cost, back, least): (&mut [f32], &mut [u8], &mut Vec<f32>),
    ) {
        let base = self.rows.band.off[self.rows.first];
        let (a, b) = (band.off[rows.start], band.off[rows.end]);
        let (oa, ob) = (
            self.rows.band.off[rows.start] - base,
            self.rows.band.off[rows.end] - base,
        );
        cost[a..b].copy_from_slice(&self.rows.cost[oa..ob]);
        back[a..b].copy_from_slice(&self.rows.back[oa..ob]);
        least.extend_from_slice(
            &self.rows.least[rows.start - self.rows.first..rows.end - self.rows.first],
        );
    }

    /// The old run states saved at checkpoint row `i` (a multiple of [`GAP_CHECKPOINT`]).
    pub(crate) fn gap_at(&self, i: usize) -> Option<&Vec<f32>> {
        self.rows
            .gap_rows
            .get((i / GAP_CHECKPOINT).checked_sub(self.rows.first / GAP_CHECKPOINT)?)
    }

    /// At checkpoint row `i` of the new search: the row up to which the old rows may be copied
    /// (exclusive; a checkpoint, or n + 1), if the new search is in the old one's state.
    pub(crate) fn copy_until(
        &self,
        i: usize,
        new: (&Band, &[f32], &[u8], &[f32]),
        gap: Option<&[f32]>,
    ) -> Option<usize> {
        let (band, cost, back, least) = new;
        let n = band.lo.len() - 1;
        if i < self.rows.first + MAXK || self.next_changed[i - MAXK] <= i {
            return None;
        }
        let same_row = |r: usize| {
            let (oc, ob) = self.row(r);
            let k = band.off[r]..band.off[r + 1];
            oc.iter()
                .zip(&cost[k.clone()])
                .all(|(a, b)| a.to_bits() == b.to_bits())
                && ob == &back[k]
                && self.rows.least[r - self.rows.first].to_bits() == least[r].to_bits()
        };
        if !(i - MAXK..i).all(same_row) {
            return None;
        }
        if let Some(g) = gap {
            let old = self.gap_at(i)?;
            if old.len() != g.len() || old.iter().zip(g).any(|(a, b)| a.to_bits() != b.to_bits()) {
                return None;
            }
        }
        let d = self.next_changed[i];
        if d > n {
            return Some(n + 1);
        }
        let c = d.saturating_sub(MAXK) / GAP_CHECKPOINT * GAP_CHECKPOINT;
        (c > i).then_some(c)
    }
}

/// The previous search's tables from the row the new one restarts at, before the new band's
/// changed rows are known.
pub(crate) struct OldRows {
    band: Band,
    first: usize,
    cost: Vec<f32>,
    back: Vec<u8>,
    /// Per row from `first`.
    least: Vec<f32>,
    /// The 1-0 run states at every checkpoint from `first / GAP_CHECKPOINT` on.
    gap_rows: Vec<Vec<f32>>,
    nulls: NullInputs,
}

impl OldRows {
    /// With the rows the new `band` and its null costs change.
    pub(crate) fn into_old(self, band: &Band, nulls: &NullInputs, m: usize) -> Old {
        let n = band.lo.len() - 1;
        let (cs, ct) = nulls.changed(&self.nulls, n, m);
        Old {
            next_changed: next_changed(band, &self.band, (&cs, &ct)),
            rows: self,
        }
    }
}

/// Whether a search in a widened band copies the rows it cannot have changed
/// (`TEI_ALIGN_DP_COPY=0` turns it off, to compare).
pub(crate) fn copying() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("TEI_ALIGN_DP_COPY").map_or(true, |v| v != "0"))
}

/// For every row of `band`: the first row at or after it that differs from `old` (its limits,
/// or the null costs of a sentence it holds), n + 1 where none does.
fn next_changed(band: &Band, old: &Band, (cs, ct): (&[bool], &[bool])) -> Vec<usize> {
    let n = band.lo.len() - 1;
    // Prefix counts of the changed target sentences, to ask of a row's columns in one step.
    let mut ct_cum = Vec::with_capacity(ct.len() + 1);
    ct_cum.push(0usize);
    for &c in ct {
        ct_cum.push(ct_cum[ct_cum.len() - 1] + usize::from(c));
    }
    let mut out = vec![n + 1; n + 2];
    for i in (0..=n).rev() {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        let cols = |a: usize, b: usize| ct_cum[b.min(ct.len())] - ct_cum[a.min(ct.len())];
        let changed = lo != old.lo[i]
            || hi != old.hi[i]
            || (i > 0 && cs.get(i - 1).copied().unwrap_or(false))
            || cols(lo.saturating_sub(1), hi) > 0;
        out[i] = if changed { i } else { out[i + 1] };
    }
    out
}

/// What a search in a widened band takes over from the previous search's tables (`prev`): the
/// rows before the first changed one as they are, the pairwise values of the states both bands
/// hold, and the old rows after it to copy from.
pub(crate) struct Restart {
    /// The first row whose band limits changed (n + 1 where none did): the pairwise values
    /// are computed again from here.
    pub(crate) changed: usize,
    /// The row the search restarts at: `changed`, or with affine gaps the checkpoint at or
    /// before it (0 without a previous search).
    pub(crate) from: usize,
    pub(crate) lex: Vec<f32>,
    pub(crate) sem: Vec<f32>,
    pub(crate) cost: Vec<f32>,
    pub(crate) back: Vec<u8>,
    pub(crate) least: Vec<f32>,
    /// The 1-0 run states saved at the checkpoints before `from`.
    pub(crate) gap_rows: Vec<Vec<f32>>,
    /// The 1-0 run states of row `from − 1`.
    pub(crate) gap_start: Vec<f32>,
    /// The previous search's pairwise values from `changed` on.
    pub(crate) kept: Option<Kept>,
    /// The rows of the previous search from where this one restarts (see [`Old`]).
    pub(crate) old_rows: Option<OldRows>,
}

/// The pairwise values (lexical, semantic) of the previous search from the first changed row
/// on, to reuse for the states its band held.
pub(crate) struct Kept {
    band: Band,
    /// The state index of the first changed row in the old band.
    keep: usize,
    pub(crate) lex: Vec<f32>,
    pub(crate) sem: Vec<f32>,
}

impl Kept {
    /// The value of `old` (this search's `lex` or `sem`) at sentences (i, j) (state
    /// (i + 1, j + 1)), if the old band held it.
    pub(crate) fn at(&self, old: &[f32], i: usize, j: usize) -> Option<f32> {
        self.band
            .idx(i + 1, j + 1)
            .and_then(|k| old.get(k.checked_sub(self.keep)?).copied())
    }
}

impl Restart {
    /// A search from scratch.
    pub(crate) fn fresh() -> Restart {
        Restart {
            changed: 0,
            from: 0,
            lex: Vec::new(),
            sem: Vec::new(),
            cost: Vec::new(),
            back: Vec::new(),
            least: Vec::new(),
            gap_rows: Vec::new(),
            gap_start: Vec::new(),
            kept: None,
            old_rows: None,
        }
    }

    /// A search in `band` after the search `t` (its band differs from some row on), of `n`
    /// source sentences; `gap`: runs of nulls priced as affine gaps (run states checkpointed).
    pub(crate) fn after(t: Tables, band: &Band, gap: bool, n: usize) -> Restart {
        let mut gap_rows: Vec<Vec<f32>> = Vec::new();
        let mut gap_start: Vec<f32> = Vec::new();
        let r0 = (0..=n)
            .find(|&i| t.band.lo[i] != band.lo[i] || t.band.hi[i] != band.hi[i])
            .unwrap_or(n + 1);
        let keep = if r0 > n { band.states() } else { band.off[r0] };
        let (mut lex, mut semm, mut cost, mut back, mut least) =
            (t.lex, t.sem, t.cost, t.back, t.least);
        let old_band = t.band.clone();
        // The pairwise values of the rows searched again are kept for the states both
        // bands hold (most of them: a band is widened only here and there).
        let old_lex = lex.split_off(keep.min(lex.len()));
        let old_sem = semm.split_off(keep.min(semm.len()));
        let kept = Kept {
            band: t.band,
            keep,
            lex: old_lex,
            sem: old_sem,
        };
        let mut old_gap = Vec::new();
        let (d0, dkeep) = if gap {
            let k = (r0 / GAP_CHECKPOINT).min(t.gap_rows.len().saturating_sub(1));
            gap_rows = t.gap_rows;
            gap_start = gap_rows.get(k).cloned().unwrap_or_default();
            old_gap = gap_rows.split_off(k.min(gap_rows.len()));
            let d0 = k * GAP_CHECKPOINT;
            (d0, if d0 > n { band.states() } else { band.off[d0] })
        } else {
            (r0, keep)
        };
        let old_rows = OldRows {
            band: old_band,
            first: d0,
            cost: cost.split_off(dkeep.min(cost.len())),
            back: back.split_off(dkeep.min(back.len())),
            least: least.split_off(d0.min(least.len())),
            gap_rows: old_gap,
            nulls: t.nulls,
        };
        Restart {
            changed: r0,
            from: d0,
            lex,
            sem: semm,
            cost,
            back,
            least,
            gap_rows,
            gap_start,
            kept: Some(kept),
            old_rows: Some(old_rows),
        }
    }
}
