//! Partial links: a link whose one side covers clearly less than the other.
//!
//! Model-free evidence is the length of the two sides. The translation of a sentence is longer
//! or shorter than its source by the language pair's ratio and a spread that grows with length;
//! a side shorter than [`SHARE`] of what the other side leads one to expect, by at least
//! [`MIN_CHARS`] characters, has lost something (a clause, the end of a sentence). On the gold
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
pub const MIN_CHARS: f64 = 40.0;

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
}
