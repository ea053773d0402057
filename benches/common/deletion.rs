//! Seeded deletions of passages from gold documents, with the gold of the result: shared by the
//! deletion benchmark (are omissions reported?) and the calibration bench (is a reported
//! omission's `cert` right?). Include with `#[path = "common/deletion.rs"] mod deletion;` next to
//! `mod common;`.

#![allow(dead_code)]

/// Gold beads per deleted passage.
const BEADS_PER_DELETION: usize = 150;
/// The longest passage deleted, in sentences of the side it is deleted from.
const MAX_PASSAGE: usize = 15;

use crate::common::Rng;
use std::collections::HashSet;

/// The seed of a document's deletions (FNV-1a of its name), the same in every run and bench.
pub fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// One document with passages deleted: the texts, the gold null sentences (side, index; side 0
/// = source) and the counterparts of deleted passages among them.
pub struct Damaged {
    /// The source sentences left.
    pub src: Vec<String>,
    /// The target sentences left.
    pub tgt: Vec<String>,
    /// The sentences without a counterpart in the result's gold.
    pub gold_null: HashSet<(u8, usize)>,
    /// Those of them whose counterpart was deleted.
    pub orphaned: HashSet<(u8, usize)>,
    /// The sentences no gold bead holds (Text+Berg's gold leaves a few out): the gold says
    /// nothing about them, so they are not scored either way.
    pub unscored: HashSet<(u8, usize)>,
    /// How many passages were deleted.
    pub passages: usize,
    /// The gold of the result, renumbered: every gold bead with its deleted sentences taken
    /// out (a bead that lost one whole side is a null bead of the other side's sentences; a
    /// bead that lost both is gone).
    pub gold: Gold,
}

/// Gold beads as (source ids, target ids).
pub type Gold = Vec<(Vec<usize>, Vec<usize>)>;

/// Delete passages from one side of a document with gold `gold`, drawn from `rng`.
pub fn damage(src: &[String], tgt: &[String], gold: &Gold, rng: &mut Rng) -> Damaged {
    let nb = gold.len();
    let mut deleted_bead = vec![false; nb];
    let mut side_of = vec![0u8; nb];
    let mut blocked = vec![false; nb];
    let mut passages = 0;
    for _ in 0..(nb / BEADS_PER_DELETION).max(1) {
        let side = (rng.next() & 1) as u8;
        let want = 1 + rng.below(MAX_PASSAGE);
        let start = rng.below(nb);
        let mut k = start;
        let mut got = 0;
        let mut taken = Vec::new();
        while k < nb && got < want && !blocked[k] {
            let on_side = if side == 0 { &gold[k].0 } else { &gold[k].1 };
            got += on_side.len();
            taken.push(k);
            k += 1;
        }
        if got < want {
            continue; // ran into the end or another passage: draw again next round
        }
        passages += 1;
        for &b in &taken {
            deleted_bead[b] = true;
            side_of[b] = side;
        }
        let (lo, hi) = (start.saturating_sub(1), (k + 1).min(nb));
        blocked[lo..hi].iter_mut().for_each(|x| *x = true);
    }
    let mut gone = [vec![false; src.len()], vec![false; tgt.len()]];
    for (b, (s, t)) in gold.iter().enumerate() {
        if deleted_bead[b] {
            let ids = if side_of[b] == 0 { s } else { t };
            ids.iter()
                .for_each(|&i| gone[side_of[b] as usize][i] = true);
        }
    }
    // New index of every kept sentence.
    let renumber = |g: &[bool]| -> Vec<Option<usize>> {
        let mut next = 0;
        g.iter()
            .map(|&x| {
                (!x).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    };
    let new = [renumber(&gone[0]), renumber(&gone[1])];
    let mut gold_null = HashSet::new();
    let mut orphaned = HashSet::new();
    for (b, (s, t)) in gold.iter().enumerate() {
        let sides = [s, t];
        let other_empty = |side: usize| {
            let o = sides[1 - side];
            o.is_empty() || o.iter().all(|&i| gone[1 - side][i])
        };
        for side in 0..2 {
            for &i in sides[side] {
                if let Some(j) = new[side][i]
                    && other_empty(side)
                {
                    gold_null.insert((side as u8, j));
                    if deleted_bead[b] {
                        orphaned.insert((side as u8, j));
                    }
                }
            }
        }
    }
    let mut held = [vec![false; src.len()], vec![false; tgt.len()]];
    for (s, t) in gold {
        s.iter().for_each(|&i| held[0][i] = true);
        t.iter().for_each(|&j| held[1][j] = true);
    }
    let unscored: HashSet<(u8, usize)> = (0..2)
        .flat_map(|side| {
            let new = &new[side];
            held[side]
                .iter()
                .enumerate()
                .filter(|(_, h)| !**h)
                .filter_map(move |(i, _)| new[i].map(|j| (side as u8, j)))
        })
        .collect();
    let keep = |v: &[String], g: &[bool]| -> Vec<String> {
        v.iter()
            .zip(g)
            .filter(|(_, x)| !**x)
            .map(|(s, _)| s.clone())
            .collect()
    };
    let renumbered = |ids: &[usize], side: usize| -> Vec<usize> {
        ids.iter().filter_map(|&i| new[side][i]).collect()
    };
    let new_gold: Gold = gold
        .iter()
        .map(|(s, t)| (renumbered(s, 0), renumbered(t, 1)))
        .filter(|(s, t)| !s.is_empty() || !t.is_empty())
        .collect();
    Damaged {
        gold: new_gold,
        src: keep(src, &gone[0]),
        tgt: keep(tgt, &gone[1]),
        gold_null,
        orphaned,
        unscored,
        passages,
    }
}
