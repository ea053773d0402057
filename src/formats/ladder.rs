//! hunalign's ladder format: one rung per line, `src_index<TAB>tgt_index<TAB>score`. Two
//! consecutive rungs delimit a bead (the sentences from the first rung up to, not including,
//! the second); the last rung is the end of both texts. Indices count sentences from 0 in each
//! layer, so the ladder goes with the layers' sentence lists, not their ids.

use super::EdgeItem;

/// Write the beads of an edge as a ladder.
pub fn export(items: &[EdgeItem]) -> String {
    let mut out = String::new();
    let (mut n, mut m) = (0, 0);
    for it in items {
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            it.src_start,
            it.der_start,
            super::cesalign::fmt_cert(it.cert)
        ));
        n = it.src_start + it.source.len();
        m = it.der_start + it.derived.len();
    }
    out.push_str(&format!("{n}\t{m}\t0\n"));
    out
}

/// A bead of a ladder: source sentence range, target sentence range, score.
pub type LadderBead = (std::ops::Range<usize>, std::ops::Range<usize>, f64);

/// Read a ladder back into beads of sentence indices `(src range, tgt range, score)`; for tests
/// and for tools that produce ladders.
pub fn parse(src: &str) -> Option<Vec<LadderBead>> {
    let mut rungs = Vec::new();
    for line in src.lines().filter(|l| !l.trim().is_empty()) {
        let mut f = line.split('\t');
        let i: usize = f.next()?.trim().parse().ok()?;
        let j: usize = f.next()?.trim().parse().ok()?;
        let s: f64 = f.next().unwrap_or("0").trim().parse().ok()?;
        rungs.push((i, j, s));
    }
    Some(
        rungs
            .windows(2)
            .map(|w| (w[0].0..w[1].0, w[0].1..w[1].1, w[0].2))
            .collect(),
    )
}
