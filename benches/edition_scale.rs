//! Edition write time against work size: `cargo bench --bench edition_scale`.
//!
//! Builds the synthetic work of `edition_browser` (en → cs, 1-1, headings, paragraphs, notes)
//! at 5,000, 20,000 and 50,000 sentences per layer and prints, for each, the seconds of
//!
//! - `write`: `write_edition` on the work in memory (the TEI edition, the download files and
//!   the HTML page, written as one directory);
//! - `command`: what `tei-align edition` does: read the layers and the alignment file from
//!   disk, then write the edition.
//!
//! Writing is linear in the work: the bench fails when the time per sentence at the largest
//! size is more than 2.5 times that at the smallest (a quadratic step grows with the size
//! ratio, 10 here). `TEI_ALIGN_EDITION_SIZES` (comma-separated) changes the sizes.

#[path = "common/edition_work.rs"]
mod edition_work;

use std::time::Instant;
use tei_align::edition::{self, EditionOptions};
use tei_align::project::WorkRef;
use tei_align::tei::standoff::write_alignment;

/// Seconds of (`write`, `command`) for a work of `n` sentences per layer.
fn measure(n: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (work, al) = edition_work::work(dir.path(), n);
    let out = dir.path().join("edition");
    let t = Instant::now();
    edition::write_edition(&out, &work, &al, &EditionOptions::default()).expect("edition written");
    let write = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(out.join("index.html")).map_or(0, |m| m.len());
    let file = dir.path().join("alignment.xml");
    let mut al = al;
    for l in &work.layers {
        al.layer_files
            .insert(l.id.clone(), format!("texts/{}.xml", l.id));
    }
    write_alignment(&file, &al).expect("alignment written");
    let t = Instant::now();
    let opened = WorkRef::resolve(&work.dir, Some(&file))
        .and_then(|w| w.open())
        .expect("work and alignment read back");
    let read = t.elapsed().as_secs_f64();
    let out2 = dir.path().join("edition2");
    edition::write_edition(
        &out2,
        &opened.work,
        &opened.alignment,
        &EditionOptions::default(),
    )
    .expect("edition written from disk");
    let command = t.elapsed().as_secs_f64();
    println!(
        "edition_scale: {n:>6} sentences per layer, 2 layers: write {write:.2} s ({:.0} µs/sentence), \
         command {command:.2} s (of which reading {read:.2} s); index.html {:.1} MB",
        write * 1e6 / n as f64,
        size as f64 / 1e6
    );
    (write, command)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("TEI_ALIGN_EDITION_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![5_000, 20_000, 50_000]);
    let times: Vec<(usize, (f64, f64))> = sizes.iter().map(|&n| (n, measure(n))).collect();
    if let (Some(&(n0, t0)), Some(&(n1, t1))) = (times.first(), times.last()) {
        for (what, a, b) in [("write", t0.0, t1.0), ("command", t0.1, t1.1)] {
            let ratio = (b / a.max(1e-3)) / (n1 as f64 / n0 as f64);
            println!(
                "edition_scale: {what}: time per sentence at {n1} / at {n0} = {ratio:.2} (1 = linear)"
            );
            assert!(
                n1 < n0 * 2 || ratio < 2.5,
                "edition {what} is superlinear: {a:.2} s at {n0}, {b:.2} s at {n1} sentences"
            );
        }
    }
}
