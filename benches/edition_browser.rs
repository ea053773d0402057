//! The HTML view of a long work in headless Chromium: `cargo bench --bench edition_browser`.
//!
//! Builds a synthetic work of 20,000 sentences per layer (en → cs, 1-1, paragraphs of four
//! sentences under a heading every 40, a note every 100 sentences), writes its edition, opens
//! it in headless Chromium and prints: the page's size, the time to first contentful paint
//! (from navigation start), the time until the page's script has run (load), and the time
//! the search takes to answer (the first search, which indexes every sentence, and a second
//! one). Targets: first paint < 1 s, search < 200 ms. `TEI_ALIGN_EDITION_SENTENCES` changes
//! the size; needs Chromium (`$CHROMIUM`, /usr/bin/chromium or PATH).

#[path = "../tests/it/cdp.rs"]
mod cdp;
#[path = "common/edition_work.rs"]
mod edition_work;

use serde_json::json;
use std::time::{Duration, Instant};
use tei_align::edition::{self, EditionOptions};

fn main() {
    let n: usize = std::env::var("TEI_ALIGN_EDITION_SENTENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let Some(bin) = cdp::find_chromium() else {
        eprintln!("edition_browser: chromium not found; nothing measured");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = edition_work::work(dir.path(), n);
    let out = dir.path().join("edition");
    let t = Instant::now();
    edition::write_edition(&out, &work, &al, &EditionOptions::default()).unwrap();
    let written = t.elapsed();
    let size = std::fs::metadata(out.join("index.html")).unwrap().len();
    let mut b = cdp::Browser::launch(&bin);
    let url = format!("file://{}/index.html", out.display());
    b.open(&url, 1400, 1000, false);
    // Once more, now that the browser is warm (the first navigation pays for its start-up).
    b.open(&url, 1400, 1000, false);
    std::thread::sleep(Duration::from_millis(300));
    let paint =
        b.eval("(performance.getEntriesByName('first-contentful-paint')[0]||{}).startTime||-1");
    let load = b.eval("performance.getEntriesByType('navigation')[0].loadEventEnd");
    let search = |b: &mut cdp::Browser, q: &str| {
        b.eval(&format!(
            "(function(){{var q=document.getElementById('q');q.value={};var t0=performance.now();\
             q.dispatchEvent(new KeyboardEvent('keydown',{{key:'Enter',bubbles:true}}));\
             return [performance.now()-t0, document.getElementById('q-status').textContent];}})()",
            json!(q)
        ))
    };
    // As a reader would: a moment after the page shows (the index is built meanwhile).
    std::thread::sleep(Duration::from_millis(1500));
    let first = search(&mut b, "1234.");
    let second = search(&mut b, "spravedlnost");
    println!(
        "edition_browser: {n} sentences per layer, 2 layers; index.html {:.1} MB, written in {:.2} s",
        size as f64 / 1e6,
        written.as_secs_f64()
    );
    println!("  first contentful paint: {paint} ms   (target < 1000)");
    println!("  load event end:         {load} ms");
    println!(
        "  search 1.5 s after load      : {:.1} ms → {}   (target < 200)",
        first[0].as_f64().unwrap_or(-1.0),
        first[1]
    );
    println!(
        "  second search:                   {:.1} ms → {}",
        second[0].as_f64().unwrap_or(-1.0),
        second[1]
    );
}
