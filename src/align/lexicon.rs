//! Dictionaries (given by the user, or induced from a first alignment pass) and the weighted
//! feature lists the search compares.

use super::text::{Sentences, dict_feature, stem_of};
use std::hash::{BuildHasherDefault, Hasher};

/// The keys here are already hashes (or pairs of them): a multiply-mix hasher is enough and much
/// faster than SipHash.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        // The multiply leaves its best bits high; the table indexes with the low ones.
        self.0 ^ (self.0 >> 32)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<MixHasher>>;
type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<MixHasher>>;

/// How many translations of one source stem the induced dictionary keeps.
const INDUCED_PER_WORD: usize = 3;
/// Minimum co-occurrence count and Dice coefficient for an induced entry.
const INDUCE_MIN_COUNT: u32 = 2;
const INDUCE_MIN_DICE: f64 = 0.3;
/// At most this many beads feed the induction; more add little and cost time on huge texts.
const INDUCE_MAX_BEADS: usize = 30_000;

/// A bilingual dictionary on stems: source stem → target stems.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dictionary {
    map: HashMap<u32, Vec<u32>>,
    targets: HashSet<u32>,
}

impl Dictionary {
    /// Build from (source word, target word) pairs; multi-word entries are ignored because the
    /// aligner compares single words.
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut d = Dictionary::default();
        for (s, t) in pairs {
            let (s, t) = (s.trim().to_lowercase(), t.trim().to_lowercase());
            if s.is_empty() || t.is_empty() || s.contains(' ') || t.contains(' ') {
                continue;
            }
            d.insert(stem_of(&s), stem_of(&t));
        }
        d
    }

    fn insert(&mut self, s: u32, t: u32) {
        let v = self.map.entry(s).or_default();
        if !v.contains(&t) {
            v.push(t);
        }
        self.targets.insert(t);
    }

    /// Add every entry of another dictionary.
    pub fn extend(&mut self, other: &Dictionary) {
        let mut keys: Vec<_> = other.map.keys().copied().collect();
        keys.sort_unstable();
        for s in keys {
            for &t in &other.map[&s] {
                self.insert(s, t);
            }
        }
    }

    /// The sorted feature list of source sentence `k`: its base features plus the dictionary
    /// features of its stems' translations.
    pub(crate) fn src_features(&self, text: &Sentences<'_>, k: usize) -> Vec<u32> {
        let mut f = text.base(k).to_vec();
        if !self.map.is_empty() {
            for s in text.stems(k) {
                if let Some(ts) = self.map.get(s) {
                    f.extend(ts.iter().map(|&t| dict_feature(t)));
                }
            }
            f.sort_unstable();
        }
        f.shrink_to_fit();
        f
    }

    /// The sorted feature list of target sentence `k`: base features plus the dictionary feature
    /// of every stem that some source word translates into.
    pub(crate) fn tgt_features(&self, text: &Sentences<'_>, k: usize) -> Vec<u32> {
        let mut f = text.base(k).to_vec();
        if !self.targets.is_empty() {
            f.extend(
                text.stems(k)
                    .iter()
                    .filter(|s| self.targets.contains(s))
                    .map(|&t| dict_feature(t)),
            );
            f.sort_unstable();
        }
        f.shrink_to_fit();
        f
    }

    /// Induce a dictionary from sentence pairs believed to be translations of each other: stems
    /// that co-occur in them far more than chance (Dice coefficient), as hunalign does. Pairs whose
    /// stems are equal are left out: the cognate features already match them.
    pub(crate) fn induce(src: Sentences<'_>, tgt: Sentences<'_>, pairs: &[(usize, usize)]) -> Self {
        let step = pairs.len().div_ceil(INDUCE_MAX_BEADS).max(1);
        // Counting by sorting packed pairs is much faster than hashing each co-occurrence.
        let mut src_stems: Vec<u32> = Vec::new();
        let mut tgt_stems: Vec<u32> = Vec::new();
        let mut both: Vec<u64> = Vec::new();
        let mut ss = Vec::new();
        let mut ts = Vec::new();
        for &(i, j) in pairs.iter().step_by(step) {
            ss.clear();
            ss.extend_from_slice(src.stems(i));
            ss.sort_unstable();
            ss.dedup();
            ts.clear();
            ts.extend_from_slice(tgt.stems(j));
            ts.sort_unstable();
            ts.dedup();
            src_stems.extend_from_slice(&ss);
            tgt_stems.extend_from_slice(&ts);
            for &s in &ss {
                both.extend(ts.iter().map(|&t| (u64::from(s) << 32) | u64::from(t)));
            }
        }
        let cs = run_counts(src_stems);
        let ct = run_counts(tgt_stems);
        let cst = run_counts(both);
        let mut best: HashMap<u32, Vec<(f64, u32)>> = HashMap::default();
        for (&st, &c) in &cst {
            let (s, t) = ((st >> 32) as u32, st as u32);
            if c < INDUCE_MIN_COUNT || s == t {
                continue;
            }
            let dice = 2.0 * f64::from(c) / f64::from(cs[&s] + ct[&t]);
            if dice >= INDUCE_MIN_DICE {
                best.entry(s).or_default().push((dice, t));
            }
        }
        let mut d = Dictionary::default();
        let mut keys: Vec<_> = best.keys().copied().collect();
        keys.sort_unstable();
        for s in keys {
            let v = best.get_mut(&s).map(std::mem::take).unwrap_or_default();
            let mut v = v;
            // Highest Dice first; ties by id so the result never depends on hash order.
            v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, t) in v.iter().take(INDUCED_PER_WORD) {
                d.insert(s, t);
            }
        }
        d
    }
}

/// Count equal values by sorting.
fn run_counts<T: Ord + Copy + std::hash::Hash>(mut v: Vec<T>) -> HashMap<T, u32> {
    v.sort_unstable();
    let mut out = HashMap::default();
    let mut k = 0;
    while k < v.len() {
        let mut e = k + 1;
        while e < v.len() && v[e] == v[k] {
            e += 1;
        }
        out.insert(v[k], (e - k) as u32);
        k = e;
    }
    out
}

/// Feature lists of both sides with one weight per feature: rare features are strong evidence,
/// features present everywhere none (inverse document frequency over both texts).
pub(crate) struct Weighted {
    /// Per sentence: sorted (feature, weight) lists, flattened.
    pub src: Csr,
    /// Same for the target side.
    pub tgt: Csr,
}

/// A list of sorted feature lists stored flat: `ids[off[k]..off[k+1]]` belong to sentence `k`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub off: Vec<usize>,
    pub ids: Vec<u32>,
    pub w: Vec<f32>,
}

impl Csr {
    /// Number of lists.
    pub fn len(&self) -> usize {
        self.off.len().saturating_sub(1)
    }

    /// The ids of list `k`.
    pub(crate) fn get_ids(&self, k: usize) -> &[u32] {
        &self.ids[self.off[k]..self.off[k + 1]]
    }

    /// The (ids, weights) of list `k`.
    pub fn get(&self, k: usize) -> (&[u32], &[f32]) {
        let r = self.off[k]..self.off[k + 1];
        (&self.ids[r.clone()], &self.w[r])
    }

    /// [`Csr::build_n`] over `items`: list k is `f(&items[k])`.
    #[cfg(test)]
    pub fn build<T: Sync>(items: &[T], f: impl Fn(&T) -> Vec<u32> + Sync) -> Self {
        Csr::build_n(items.len(), |k| f(&items[k]))
    }

    /// Build `n` lists, list k being `f(k)`, made in parallel chunks so that no list per
    /// sentence is ever held (a million sentences a side must fit in memory).
    pub fn build_n(n: usize, f: impl Fn(usize) -> Vec<u32> + Sync) -> Self {
        use rayon::prelude::*;
        const CHUNK: usize = 4096;
        let chunks: Vec<(Vec<u32>, Vec<u32>)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let chunk = c * CHUNK..((c + 1) * CHUNK).min(n);
                let mut lens = Vec::with_capacity(chunk.len());
                let mut ids = Vec::new();
                for x in chunk {
                    let l = f(x);
                    lens.push(l.len() as u32);
                    ids.extend_from_slice(&l);
                }
                ids.shrink_to_fit();
                (lens, ids)
            })
            .collect();
        let total = chunks.iter().map(|c| c.1.len()).sum();
        let mut off = Vec::with_capacity(n + 1);
        off.push(0);
        let mut ids = Vec::with_capacity(total);
        for (lens, c) in chunks {
            for l in lens {
                off.push(off[off.len() - 1] + l as usize);
            }
            ids.extend_from_slice(&c);
        }
        let w = Vec::new();
        Csr { off, ids, w }
    }

    /// A copy of lists `range` (renumbered from 0), weights included.
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Self {
        let (a, b) = (self.off[range.start], self.off[range.end]);
        Csr {
            off: self.off[range.start..=range.end]
                .iter()
                .map(|&o| o - a)
                .collect(),
            ids: self.ids[a..b].to_vec(),
            w: if self.w.is_empty() {
                Vec::new()
            } else {
                self.w[a..b].to_vec()
            },
        }
    }

    /// The same lists without the features that can match nothing (weight ≤ 0: found on one
    /// side only, or everywhere): [`overlap`] gives the same sums over these, exactly (the
    /// features left out add nothing, the others are added in the same order), in fewer steps.
    /// Lists `from..` only (renumbered from 0).
    pub(crate) fn matchable(&self, from: usize) -> Self {
        let mut off = Vec::with_capacity(self.off.len().saturating_sub(from));
        let mut ids = Vec::new();
        let mut w = Vec::new();
        off.push(0);
        for k in from..self.len() {
            let (i, ws) = self.get(k);
            for (&f, &x) in i.iter().zip(ws) {
                if x > 0.0 {
                    ids.push(f);
                    w.push(x);
                }
            }
            off.push(ids.len());
        }
        Csr { off, ids, w }
    }

    /// Merge consecutive lists `group` at a time (a coarser view of the text), keeping at most
    /// `cap` features per merged list: those found on both sides, rarest first (weights are
    /// global, so both sides keep the same features), which tell blocks apart best.
    pub(crate) fn coarsen(&self, group: usize, cap: usize) -> Self {
        let n = self.len();
        let mut off = vec![0];
        let mut ids = Vec::new();
        let mut w = Vec::new();
        let mut buf: Vec<(u32, f32)> = Vec::new();
        let mut k = 0;
        while k < n {
            buf.clear();
            for g in k..(k + group).min(n) {
                let (i, ws) = self.get(g);
                buf.extend(i.iter().copied().zip(ws.iter().copied()));
            }
            if buf.len() > cap {
                // Matchable (positive weight) first, then the rarest.
                buf.sort_unstable_by(|a, b| {
                    (b.1 > 0.0)
                        .cmp(&(a.1 > 0.0))
                        .then(b.1.abs().total_cmp(&a.1.abs()))
                        .then(a.0.cmp(&b.0))
                });
                buf.truncate(cap);
            }
            buf.sort_unstable_by_key(|p| p.0);
            ids.extend(buf.iter().map(|p| p.0));
            w.extend(buf.iter().map(|p| p.1));
            off.push(ids.len());
            k += group;
        }
        Csr { off, ids, w }
    }
}

/// Weigh every feature by its inverse document frequency over both texts.
pub(crate) fn weigh(s: Csr, t: Csr) -> Weighted {
    weigh_with_anchors(s, t, 1.0).0
}

/// Where [`weigh_with_anchors`] raised the weight of a feature, and the weight it had: what
/// [`Anchors::restore`] puts back.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    src: Vec<(usize, f32)>,
    tgt: Vec<(usize, f32)>,
}

impl Anchors {
    /// Put back the plain inverse-document-frequency weights (the confidence model was fitted
    /// on them).
    pub(crate) fn restore(&self, w: &mut Weighted) {
        for &(k, x) in &self.src {
            w.src.w[k] = x;
        }
        for &(k, x) in &self.tgt {
            w.tgt.w[k] = x;
        }
    }
}

/// As [`weigh`], but a feature found in exactly one sentence of each side (a number, a name, a
/// rare cognate the two texts share once: an anchor) weighs `anchor` times as much. Also
/// returned: where those occurrences are, with their plain weights.
pub(crate) fn weigh_with_anchors(mut s: Csr, mut t: Csr, anchor: f32) -> (Weighted, Anchors) {
    // Document frequency per side. A feature found on one side only can never match: its weight
    // is stored negated, so that coarse blocks sample matchable features first (see `coarsen`);
    // sentence similarity uses the magnitude.
    let count = |c: &Csr| {
        let mut df: HashMap<u32, u32> = HashMap::default();
        for k in 0..c.len() {
            let mut prev = None;
            for &f in c.get_ids(k) {
                if prev != Some(f) {
                    *df.entry(f).or_default() += 1;
                    prev = Some(f);
                }
            }
        }
        df
    };
    let (ds, dt) = rayon::join(|| count(&s), || count(&t));
    let total = (s.len() + t.len()).max(1) as f64;
    let weight = |a: Option<u32>, b: Option<u32>| {
        let d = f64::from(a.unwrap_or(0) + b.unwrap_or(0)).max(1.0);
        let w = (total / d).ln().clamp(0.0, 8.0) as f32;
        if a.is_some() && b.is_some() { w } else { -w }
    };
    let once = |f: &u32| ds.get(f) == Some(&1) && dt.get(f) == Some(&1);
    // One weight per distinct feature, then one look-up per occurrence (a million sentences a
    // side hold tens of millions of occurrences of a few hundred thousand features).
    let (ws, wt) = rayon::join(
        || -> HashMap<u32, f32> {
            ds.iter()
                .map(|(&f, &a)| (f, weight(Some(a), dt.get(&f).copied())))
                .collect()
        },
        || -> HashMap<u32, f32> {
            dt.iter()
                .map(|(&f, &b)| (f, weight(ds.get(&f).copied(), Some(b))))
                .collect()
        },
    );
    use rayon::prelude::*;
    s.w = s.ids.par_iter().map(|f| ws[f]).collect();
    t.w = t.ids.par_iter().map(|f| wt[f]).collect();
    let mut anchors = Anchors::default();
    if anchor != 1.0 {
        let raise = |c: &mut Csr| -> Vec<(usize, f32)> {
            let at: Vec<usize> = (0..c.ids.len())
                .into_par_iter()
                .filter(|&k| once(&c.ids[k]))
                .collect();
            at.into_iter()
                .map(|k| {
                    let plain = c.w[k];
                    c.w[k] = plain * anchor;
                    (k, plain)
                })
                .collect()
        };
        anchors.src = raise(&mut s);
        anchors.tgt = raise(&mut t);
    }
    (Weighted { src: s, tgt: t }, anchors)
}

/// Each sentence's total feature weight (what a bead's lexical similarity is measured against).
pub(crate) fn sentence_weights(c: &Csr) -> Vec<f32> {
    (0..c.len())
        .map(|k| c.get(k).1.iter().map(|w| w.abs()).sum())
        .collect()
}

/// The lexical similarity of a bead of source sentences `i0..i1` and target sentences `j0..j1`,
/// as the search measures it: twice the weight of the features they share over their total
/// weight (`sw`, `tw`: [`sentence_weights`] of each side), at most 1.
pub(crate) fn bead_similarity(
    feats: &Weighted,
    (sw, tw): (&[f32], &[f32]),
    (i0, i1): (usize, usize),
    (j0, j1): (usize, usize),
) -> f32 {
    let total: f32 = sw[i0..i1].iter().sum::<f32>() + tw[j0..j1].iter().sum::<f32>();
    if total <= 0.0 {
        return 0.0;
    }
    let mut m = 0.0;
    for x in i0..i1 {
        for y in j0..j1 {
            m += overlap(feats.src.get(x), feats.tgt.get(y));
        }
    }
    (2.0 * m / total).min(1.0)
}

/// The summed weight of the features two sorted lists share (multisets: each occurrence matches
/// at most once).
#[inline]
pub(crate) fn overlap(a: (&[u32], &[f32]), b: (&[u32], &[f32])) -> f32 {
    let (ai, aw) = a;
    let (bi, bw) = b;
    let (mut x, mut y) = (0, 0);
    let mut sum = 0.0;
    // Branch-free steps (the band's pair values are a quarter of a long alignment's time, and
    // whether the next id is on the left or the right is a coin toss the CPU mispredicts);
    // the equal ids are summed in the same order as before, so the sum is the same.
    while x < ai.len() && y < bi.len() {
        let (u, v) = (ai[x], bi[y]);
        if u == v {
            sum += aw[x].min(bw[y]);
        }
        x += usize::from(u <= v);
        y += usize::from(u >= v);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::text::Analyses;

    #[test]
    fn induction_finds_a_repeated_pair_and_ignores_noise() {
        let src = Analyses::of(&["ház nagy", "ház kicsi", "kutya ház", "macska"]);
        let tgt = Analyses::of(&["house big", "house small", "dog house", "cat"]);
        let pairs = [(0, 0), (1, 1), (2, 2), (3, 3)];
        let d = Dictionary::induce(src.all(), tgt.all(), &pairs);
        let haz = stem_of("ház");
        assert!(d.map[&haz].contains(&stem_of("house")));
        // "macska"/"cat" co-occur once only: below the minimum count.
        assert!(!d.map.contains_key(&stem_of("macska")));
    }

    #[test]
    fn matchable_features_give_the_same_overlaps() {
        // Features found on one side only (negative weight) or everywhere (weight 0) match
        // nothing: the pair values without them are the same, bit for bit.
        let src: Vec<Vec<u32>> = (0..40u32)
            .map(|k| (0..k % 9).map(|x| (x * 7 + k) % 23).collect())
            .collect();
        let tgt: Vec<Vec<u32>> = (0..40u32)
            .map(|k| (0..k % 7).map(|x| (x * 5 + k) % 31 + 3).collect())
            .collect();
        let sorted = |v: &Vec<u32>| {
            let mut v = v.clone();
            v.sort_unstable();
            v
        };
        let w = weigh(Csr::build(&src, sorted), Csr::build(&tgt, sorted));
        let (ms, mt) = (w.src.matchable(0), w.tgt.matchable(0));
        assert!(ms.ids.len() < w.src.ids.len() && mt.ids.len() < w.tgt.ids.len());
        let mut some = 0;
        for i in 0..src.len() {
            for j in 0..tgt.len() {
                let full = overlap(w.src.get(i), w.tgt.get(j));
                assert_eq!(full.to_bits(), overlap(ms.get(i), mt.get(j)).to_bits());
                some += usize::from(full > 0.0);
            }
        }
        assert!(some > 100, "{some}");
        // From a list on: the same lists renumbered.
        let late = w.src.matchable(30);
        assert_eq!((late.len(), late.get(2).0), (10, ms.get(32).0));
    }

    #[test]
    fn a_feature_shared_once_weighs_more_until_restored() {
        // Feature 9 is in one sentence of each side (an anchor), feature 4 in two of each,
        // feature 7 in one source sentence only.
        let src = vec![vec![4u32, 9], vec![4], vec![7]];
        let tgt = vec![vec![4u32], vec![9], vec![4]];
        let build = || {
            (
                Csr::build(&src, Clone::clone),
                Csr::build(&tgt, Clone::clone),
            )
        };
        let plain = {
            let (s, t) = build();
            weigh(s, t)
        };
        let (mut raised, anchors) = {
            let (s, t) = build();
            weigh_with_anchors(s, t, 3.0)
        };
        assert!(plain.src.w[1] > 0.0);
        assert_eq!(raised.src.w[1], 3.0 * plain.src.w[1]);
        assert_eq!(raised.tgt.w[1], 3.0 * plain.tgt.w[1]);
        // Nothing else moves: the shared feature found twice, the unmatchable one.
        assert_eq!(raised.src.w[0], plain.src.w[0]);
        assert_eq!(raised.src.w[3], plain.src.w[3]);
        anchors.restore(&mut raised);
        assert_eq!(raised.src.w, plain.src.w);
        assert_eq!(raised.tgt.w, plain.tgt.w);
    }

    #[test]
    fn overlap_counts_each_occurrence_once() {
        let a = (
            [1u32, 2, 2, 5].as_slice(),
            [1.0f32, 1.0, 1.0, 1.0].as_slice(),
        );
        let b = ([2u32, 5, 7].as_slice(), [1.0f32, 2.0, 1.0].as_slice());
        assert_eq!(overlap(a, b), 2.0);
    }
}
