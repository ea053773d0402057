//! The splitter is linear on any input (issue 13.5): pathological paragraphs — long runs of
//! punctuation (dots, spaced dots, `…`, `?`, `!`, dashes) mixed with many abbreviations that do
//! not end a sentence (`tj.`, `e.g.`, `Mr.`) and no sentence end for megabytes — are split at the
//! same speed per byte whatever their size.
//!
//! Run with `cargo bench --bench segment_linear`. It splits `SEGMENT_LINEAR_MB` (default 100)
//! megabytes in one paragraph per pattern and fails (exit 1) when the whole takes 10 s or more,
//! or when doubling the input more than triples the time (a super-linear corner).

use std::time::Instant;

/// The pathological patterns, each repeated to fill the input.
const PATTERNS: &[(&str, &str)] = &[
    ("dots", "...... tj. "),
    ("spaced dots", ". . . . . . . . e.g. "),
    ("ellipses", "…… tj. "),
    ("marks", "?!?!? ! ? ! e.g. "),
    ("dashes", "- - - - -- tj. "),
    ("abbreviations", "tj. e.g. Mr. viz. atd. "),
    ("no space", ".!?….!?…"),
];

fn input(pattern: &str, bytes: usize) -> String {
    // A letter first, so the runs belong to a sentence, as in the reports.
    let mut s = String::with_capacity(bytes + pattern.len() + 8);
    s.push_str("Word ");
    while s.len() < bytes {
        s.push_str(pattern);
    }
    s.push_str("end.");
    s
}

fn time(pattern: &str, bytes: usize, lang: &str) -> f64 {
    let text = input(pattern, bytes);
    let t = Instant::now();
    let n = tei_align::segment::split(&text, lang).len();
    std::hint::black_box(n);
    t.elapsed().as_secs_f64()
}

fn main() {
    let mb: usize = std::env::var("SEGMENT_LINEAR_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let per = (mb << 20) / PATTERNS.len();
    let mut total = 0.0;
    let mut ok = true;
    println!(
        "{:<14} {:>9} {:>9} {:>8}",
        "pattern", "MB", "seconds", "MB/s"
    );
    for (i, (name, p)) in PATTERNS.iter().enumerate() {
        let lang = ["cs", "en", "ru"][i % 3];
        let t = time(p, per, lang);
        total += t;
        let m = per as f64 / (1 << 20) as f64;
        println!("{name:<14} {m:>9.1} {t:>9.3} {:>8.1}", m / t.max(1e-9));
        // Linearity: half the input must take about half the time.
        let half = time(p, per / 2, lang);
        if t > 0.05 && t > 3.0 * half.max(1e-3) {
            println!("  super-linear: {half:.3} s for half the input, {t:.3} s for all");
            ok = false;
        }
    }
    println!("total: {mb} MB in {total:.2} s");
    if total >= 10.0 {
        println!("FAIL: 10 s or more");
        ok = false;
    }
    if !ok {
        std::process::exit(1);
    }
}
