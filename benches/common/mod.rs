//! Helpers shared by the aligner benchmarks: where the shared data is, reading sets, memory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared directory: `$TEI_ALIGN_SHARED`, else `../shared` next to the crate.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("TEI_ALIGN_SHARED") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// The gold sets directory, or `None` (after printing why) when it is absent.
pub fn data_dir() -> Option<PathBuf> {
    let d = shared_dir().join("bench/data");
    if d.is_dir() {
        Some(d)
    } else {
        println!(
            "benchmark skipped: no gold data at {} (set TEI_ALIGN_SHARED to the shared directory)",
            d.display()
        );
        None
    }
}

/// The documents of a set, sorted: (name, source lines, target lines).
pub fn docs(set: &Path) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut names: Vec<String> = std::fs::read_dir(set.join("src"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.strip_suffix(".txt").map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter_map(|d| {
            let s = std::fs::read_to_string(set.join("src").join(format!("{d}.txt"))).ok()?;
            let t = std::fs::read_to_string(set.join("tgt").join(format!("{d}.txt"))).ok()?;
            Some((d, lines(&s), lines(&t)))
        })
        .collect()
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_owned).collect()
}

/// Gold beads of a document as (source ids, target ids).
pub fn gold(set: &Path, doc: &str) -> Vec<(Vec<usize>, Vec<usize>)> {
    let text =
        std::fs::read_to_string(set.join("gold").join(format!("{doc}.align"))).unwrap_or_default();
    tei_align::formats::beads::parse_beads(&text, doc)
        .unwrap_or_default()
        .into_iter()
        .map(|b| (b.src, b.tgt))
        .collect()
}

/// Reset the peak resident set size of this process (Linux: `clear_refs` 5).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident set size of this process since the last reset, in MiB (VmHWM).
pub fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The built-in e5 embedder with the on-disk vector cache, for the "with e5" columns; `None`
/// (the column says "not measured") when the model is not installed. Under `CI=true` a missing
/// model is a failure, as in the tests. `TEI_ALIGN_BENCH_E5=0` leaves the column out on purpose.
pub fn e5() -> Option<std::sync::Arc<dyn tei_align::embed::Embedder>> {
    use std::sync::Arc;
    use tei_align::embed::cache::CachedEmbedder;
    if std::env::var("TEI_ALIGN_BENCH_E5").is_ok_and(|v| v == "0") {
        return None;
    }
    let loaded = tei_align::embed::e5::E5::load_installed().and_then(|m| {
        let dir = tei_align::embed::e5::model_dir()?.join("vectors");
        let inner: Arc<dyn tei_align::embed::Embedder> = Arc::new(m);
        CachedEmbedder::open(inner, &dir)
    });
    match loaded {
        Ok(c) => Some(Arc::new(c)),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            eprintln!("CI=true and the e5 model is unusable: {e}");
            std::process::exit(1);
        }
        Err(e) => {
            println!("(with e5: not measured — {e})");
            None
        }
    }
}

/// What an e5 column says when `e5()` gave nothing: left out on purpose
/// (`TEI_ALIGN_BENCH_E5=0`) or no usable model — so a reader does not take the one for the other.
pub fn e5_not_measured() -> &'static str {
    if std::env::var("TEI_ALIGN_BENCH_E5").is_ok_and(|v| v == "0") {
        "not measured (TEI_ALIGN_BENCH_E5=0)"
    } else {
        "not measured (no model)"
    }
}

/// The semantic parameters: the defaults, or `TEI_ALIGN_SEM_WEIGHT`, `_EXP`, `_THRESHOLD`,
/// `_BLOCK_BIAS`, `_JOINED_BIAS`, `_PRIOR_21`, `_CROSS`, `_CROSS_NAMES`, `_REFINE` (0: off), `_SHIFT` (a number
/// or `off`), the null costs' `_NULL_WEIGHT`, `_NULL_THRESHOLD`, `_NULL_OWN_WEIGHT`, `_NULL_OWN_THRESHOLD`,
/// `_NULL_OWN_RELATIVE`, `_NULL_QUANTILE` and the others listed below in their place (for fitting them).
pub fn semantic_params() -> tei_align::align::SemanticParams {
    let mut p = tei_align::align::SemanticParams::default();
    let var = |k: &str| {
        std::env::var(format!("TEI_ALIGN_SEM_{k}"))
            .ok()?
            .parse::<f32>()
            .ok()
    };
    for (k, slot) in [
        ("WEIGHT", &mut p.weight),
        ("EXP", &mut p.exponent),
        ("THRESHOLD", &mut p.threshold),
        ("PENALTY", &mut p.penalty),
        ("BLOCK_BIAS", &mut p.block_bias),
        ("MEMBER", &mut p.member),
        ("NULL_WEIGHT", &mut p.null_weight),
        ("NULL_THRESHOLD", &mut p.null_threshold),
        ("JOINED_BIAS", &mut p.joined_bias),
        ("REFINE_WEIGHT", &mut p.refine_weight),
        ("MARGIN", &mut p.margin),
        ("FLOOR", &mut p.floor),
        ("ADAPTIVE", &mut p.adaptive),
        ("NULL_OWN_WEIGHT", &mut p.null_own_weight),
        ("NULL_OWN_THRESHOLD", &mut p.null_own_threshold),
        ("NULL_OWN_RELATIVE", &mut p.null_own_relative),
        ("NULL_QUANTILE", &mut p.null_quantile),
        ("PRIOR_21", &mut p.prior_2_1),
        ("CROSS", &mut p.cross),
        ("CROSS_NAMES", &mut p.cross_names),
        ("QUOTES", &mut p.quotes),
        ("MEMBER_GAIN", &mut p.member_gain),
    ] {
        if let Some(v) = var(k) {
            *slot = v;
        }
    }
    if let Some(v) = var("REFINE") {
        p.refine = v != 0.0;
    }
    // `TEI_ALIGN_SEM_SHIFT`: a number, or `off`.
    match std::env::var("TEI_ALIGN_SEM_SHIFT").as_deref() {
        Ok("off") => p.shift = None,
        Ok(_) => p.shift = var("SHIFT").or(p.shift),
        Err(_) => {}
    }
    p
}

/// The model-free options: the defaults, or in their place (for fitting them)
/// `TEI_ALIGN_NULL_EXTEND` (the cost of a null bead continuing a run), `TEI_ALIGN_NULL_SECOND`
/// (of the second null of a run), `TEI_ALIGN_NULL_LEN_RUN` (the scale of the length cost of a
/// null continuing a run), `TEI_ALIGN_LEX_NULL` (weight of the lexical evidence in a
/// null bead's cost), `TEI_ALIGN_RATIO_SKIPS_RUNS` (null runs this long do not count in the
/// local length ratio), `TEI_ALIGN_RATIO_AGAIN` (a third search at the ratio of the second path
/// without its null runs this long) and `TEI_ALIGN_QUOTES` (the cost of a paired bead whose ends disagree in
/// quotation marks).
pub fn model_free() -> tei_align::align::AlignOptions {
    fn var<T: std::str::FromStr>(name: &str) -> Option<T> {
        std::env::var(name).ok().and_then(|v| v.parse().ok())
    }
    tei_align::align::AlignOptions {
        null_extend: var("TEI_ALIGN_NULL_EXTEND"),
        null_second: var("TEI_ALIGN_NULL_SECOND"),
        null_len_run: var("TEI_ALIGN_NULL_LEN_RUN"),
        lex_null: var("TEI_ALIGN_LEX_NULL"),
        ratio_skips_runs: var("TEI_ALIGN_RATIO_SKIPS_RUNS"),
        ratio_again: var("TEI_ALIGN_RATIO_AGAIN"),
        quotes: var("TEI_ALIGN_QUOTES"),
        ..Default::default()
    }
}

/// A small deterministic generator (SplitMix64): the same passages and arrangements on every
/// machine and run, so bench figures can be compared.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The gold sets under `data` (directories holding a `meta.json`), sorted by name.
pub fn gold_sets(data: &Path) -> Vec<PathBuf> {
    let mut sets: Vec<PathBuf> = std::fs::read_dir(data)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    sets.retain(|p| p.join("meta.json").is_file());
    sets.sort();
    sets
}

/// The names of [`gold_sets`], without the plain PUD sets, which are 1-1 copies of the
/// perturbed sets' text.
pub fn distinct_set_names(data: &Path) -> Vec<String> {
    gold_sets(data)
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|s| !s.starts_with("pud") || s.ends_with("perturbed"))
        .collect()
}

/// The bench's own arguments: `cargo bench` passes `--bench`; anything else names what to run.
pub fn named_args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect()
}
