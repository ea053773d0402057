//! Partial links: a link whose one side covers clearly less than the other.
//!
//! Model-free evidence is the length of the two sides. The translation of a sentence is longer
//! or shorter than its source by the language pair's ratio and a spread that grows with length;
//! a side shorter than [`SHARE`] of what the other side leads one to expect, by at least
//! `MIN_CHARS` characters, has lost something (a clause, the end of a sentence). On the gold
//! sets of `../shared/bench` (about 37k hand-aligned links, none of them marked partial) this
//! flags 0–0.9 % of the links per set (ro1984 0.8 %, mac 0.5–0.9 %, the others ≤ 0.4 %); eight
//! flagged ro1984 links read by hand all do cover clearly less on one side (a sentence split
//! elsewhere, a clause missing). A sentence the witness breaks off inside (it
//! holds a `<gap>`) makes its link partial whatever the lengths: the caller knows that, not the
//! aligner.

use crate::model::Bead;

/// The shorter side, in expected characters, over the longer one below which a link is partial.
pub const SHARE: f64 = 0.4;
/// The least number of (expected) characters the shorter side must lack.
pub(crate) const MIN_CHARS: f64 = 40.0;

/// For each bead: does one side cover clearly less than the other, by length? Null beads never
/// do. The length ratio is that of the whole texts.
pub fn by_length(src: &[&str], tgt: &[&str], beads: &[Bead]) -> Vec<bool> {
    let chars = |s: &&str| s.chars().count() as f64;
    let sl: Vec<f64> = src.iter().map(chars).collect();
    let tl: Vec<f64> = tgt.iter().map(chars).collect();
    let (ts, tt) = (sl.iter().sum::<f64>(), tl.iter().sum::<f64>());
    let ratio = if ts > 0.0 && tt > 0.0 { tt / ts } else { 1.0 };
    beads
        .iter()
        .map(|b| {
            if b.src.is_empty() || b.tgt.is_empty() {
                return false;
            }
            let ls = b.src.iter().filter_map(|&i| sl.get(i)).sum::<f64>() * ratio;
            let lt = b.tgt.iter().filter_map(|&j| tl.get(j)).sum::<f64>();
            let (short, long) = (ls.min(lt), ls.max(lt));
            short < SHARE * long && long - short >= MIN_CHARS
        })
        .collect()
}

/// With sentence vectors: the shorter side, in expected characters, over the longer one below
/// which a link whose meaning also falls short is partial.
pub const SEM_SHARE: f64 = 0.7;
/// With sentence vectors: how far (in robust standard deviations of the text's own links) a
/// link's semantic distance must lie above the text's median to count as falling short.
pub const SEM_SPREAD: f64 = 2.0;

/// For each bead: does one side cover clearly less than the other, by length and meaning
/// together? `vectors` holds one unit vector per source sentence, then one per target sentence
/// (as an [`crate::embed::Embedder`] returns them for `src` then `tgt`).
///
/// A dropped clause makes one side shorter and moves its vector away from the other side's, but
/// a loose translation does either alone: so a link is flagged when its shorter side is under
/// [`SEM_SHARE`] of the longer (and at least `MIN_CHARS` short), and its semantic distance
/// (normalised as in the search: `(1 − cos) / (1 − mean cosine with the other text)`, the
/// block vectors weighted by sentence length) lies more than [`SEM_SPREAD`] robust standard
/// deviations above the median of the text's links. Links [`by_length`] flags stay flagged.
pub fn by_meaning(src: &[&str], tgt: &[&str], beads: &[Bead], vectors: &[Vec<f32>]) -> Vec<bool> {
    by_meaning_with(src, tgt, beads, vectors, (SEM_SHARE, SEM_SPREAD))
}

/// [`by_meaning`] with another share and spread in place of [`SEM_SHARE`] and [`SEM_SPREAD`]
/// (for measuring them: `benches/align_calibration.rs`).
pub fn by_meaning_with(
    src: &[&str],
    tgt: &[&str],
    beads: &[Bead],
    vectors: &[Vec<f32>],
    (share, spread): (f64, f64),
) -> Vec<bool> {
    let mut out = by_length(src, tgt, beads);
    if vectors.len() != src.len() + tgt.len() {
        return out;
    }
    let (sv, tv) = vectors.split_at(src.len());
    let d = distances(src, tgt, beads, sv, tv, share);
    let mut known: Vec<f64> = d.iter().filter_map(|x| x.map(|(r, _)| r)).collect();
    if known.len() < 8 {
        // Too few links to know what is usual for this text.
        return out;
    }
    let med = median(&mut known);
    let mut dev: Vec<f64> = known.iter().map(|x| (x - med).abs()).collect();
    // 1.4826 × MAD estimates the standard deviation of a normal sample; a floor keeps a text
    // of near-identical links from flagging every small wobble.
    let sd = (1.4826 * median(&mut dev)).max(0.02);
    for (flag, dist) in out.iter_mut().zip(&d) {
        if let Some((r, short)) = *dist {
            *flag |= short && r > med + spread * sd;
        }
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// For each paired bead: its normalised semantic distance, and whether its lengths fall short
/// enough (under `share` of the longer, by [`MIN_CHARS`]) for the distance to matter.
fn distances(
    src: &[&str],
    tgt: &[&str],
    beads: &[Bead],
    sv: &[Vec<f32>],
    tv: &[Vec<f32>],
    share: f64,
) -> Vec<Option<(f64, bool)>> {
    let chars = |s: &&str| s.chars().count() as f64;
    let sl: Vec<f64> = src.iter().map(chars).collect();
    let tl: Vec<f64> = tgt.iter().map(chars).collect();
    let (ts, tt) = (sl.iter().sum::<f64>(), tl.iter().sum::<f64>());
    let ratio = if ts > 0.0 && tt > 0.0 { tt / ts } else { 1.0 };
    let dim = sv.first().or(tv.first()).map_or(0, Vec::len);
    // Length-weighted sum of the vectors of some sentences (mean pooling over the joined text,
    // as the search reads a block).
    let block = |ids: &[usize], v: &[Vec<f32>], l: &[f64]| -> Vec<f64> {
        let mut acc = vec![0.0f64; dim];
        for &k in ids {
            if let (Some(row), Some(&w)) = (v.get(k), l.get(k)) {
                for (a, x) in acc.iter_mut().zip(row) {
                    *a += w.max(4.0) * f64::from(*x);
                }
            }
        }
        acc
    };
    let all = |v: &[Vec<f32>], l: &[f64]| block(&(0..v.len()).collect::<Vec<_>>(), v, l);
    let (s_cen, t_cen) = (all(sv, &sl), all(tv, &tl));
    let cos = |a: &[f64], b: &[f64]| -> f64 {
        let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let n =
            (a.iter().map(|x| x * x).sum::<f64>() * b.iter().map(|x| x * x).sum::<f64>()).sqrt();
        if n > 0.0 { dot / n } else { 0.0 }
    };
    beads
        .iter()
        .map(|b| {
            if b.src.is_empty() || b.tgt.is_empty() {
                return None;
            }
            let (s, t) = (block(&b.src, sv, &sl), block(&b.tgt, tv, &tl));
            let spread = (1.0 - 0.5 * (cos(&s, &t_cen) + cos(&t, &s_cen))).max(0.02);
            let r = (1.0 - cos(&s, &t)) / spread;
            let ls = b.src.iter().filter_map(|&i| sl.get(i)).sum::<f64>() * ratio;
            let lt = b.tgt.iter().filter_map(|&j| tl.get(j)).sum::<f64>();
            let (short, long) = (ls.min(lt), ls.max(lt));
            Some((r, short < share * long && long - short >= MIN_CHARS))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(s: usize, t: usize) -> Bead {
        Bead {
            src: vec![s],
            tgt: vec![t],
            confidence: 1.0,
        }
    }

    #[test]
    fn a_side_that_lacks_most_of_the_other_is_partial() {
        let long = "A sentence with a clause, and then another clause that the translation drops.";
        // Eight faithful pairs fix the ratio near 1.
        let mut src = vec![long; 8];
        let mut tgt = vec![long; 8];
        src.extend([long, "Short one.", "Tiny."]);
        tgt.extend(["A sentence with a clause.", "Short one.", "Tiny, tiny."]);
        let beads: Vec<Bead> = (0..11).map(|k| bead(k, k)).collect();
        // Only the ninth lacks much; the last differs a lot relatively but by few characters.
        let flags = by_length(&src, &tgt, &beads);
        assert_eq!(flags.iter().filter(|&&f| f).count(), 1);
        assert!(flags[8]);
        let null = Bead {
            src: vec![0],
            tgt: vec![],
            confidence: 1.0,
        };
        assert_eq!(by_length(&src, &tgt, &[null]), [false]);
    }

    #[test]
    fn with_vectors_a_shorter_side_that_also_means_less_is_partial() {
        // Fourteen pairs of 200-character sentences whose vectors agree closely (each pair its own
        // direction), then three suspects: shorter (60 %) and far in meaning; shorter only;
        // far in meaning only. Only the first is partial; length alone flags none of them.
        let dim = 20;
        let axis = |k: usize, tilt: f32| {
            let mut v = vec![0.0f32; dim];
            v[k % dim] = 1.0;
            v[(k + 1) % dim] = tilt;
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let long = "x".repeat(200);
        let short = "y".repeat(120);
        let src = vec![long.as_str(); 17];
        let mut tgt = vec![long.as_str(); 17];
        tgt[14] = &short;
        tgt[15] = &short;
        let sv: Vec<Vec<f32>> = (0..17).map(|k| axis(k, 0.0)).collect();
        let mut tv: Vec<Vec<f32>> = (0..17).map(|k| axis(k, 0.05 * (k % 3) as f32)).collect();
        tv[14] = axis(14, 1.5);
        tv[16] = axis(16, 1.5);
        let beads: Vec<Bead> = (0..17).map(|k| bead(k, k)).collect();
        let vectors: Vec<Vec<f32>> = sv.into_iter().chain(tv).collect();
        assert!(by_length(&src, &tgt, &beads).iter().all(|f| !f));
        let flags = by_meaning(&src, &tgt, &beads, &vectors);
        let flagged: Vec<usize> = (0..17).filter(|&k| flags[k]).collect();
        assert_eq!(flagged, [14]);
        // Vectors that do not match the sentences: length only.
        assert_eq!(
            by_meaning(&src, &tgt, &beads, &vectors[1..]),
            by_length(&src, &tgt, &beads)
        );
    }
}
