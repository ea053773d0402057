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

use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use tei_align::edition::{self, EditionOptions};
use tei_align::model::*;

const WORDS_EN: &[&str] = &[
    "rights",
    "freedom",
    "people",
    "nations",
    "law",
    "dignity",
    "peace",
    "justice",
    "everyone",
    "shall",
    "equal",
    "protection",
    "society",
    "education",
    "work",
    "family",
];
const WORDS_CS: &[&str] = &[
    "práva",
    "svoboda",
    "lidé",
    "národy",
    "zákon",
    "důstojnost",
    "mír",
    "spravedlnost",
    "každý",
    "musí",
    "rovný",
    "ochrana",
    "společnost",
    "vzdělání",
    "práce",
    "rodina",
];

fn sentence(words: &[&str], i: usize) -> String {
    let mut s = String::new();
    for k in 0..(8 + i % 9) {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(words[(i * 7 + k * 3) % words.len()]);
    }
    let _ = write!(s, " {i}.");
    s[..1].to_uppercase() + &s[1..]
}

/// A layer file with divisions, headings, paragraphs and notes, and its model.
fn layer(dir: &std::path::Path, id: &str, words: &[&str], n: usize) -> Layer {
    let mut body = String::new();
    let mut sentences = Vec::new();
    let mut block = 0;
    for i in 0..n {
        if i % 40 == 0 {
            if i > 0 {
                body.push_str("</p></div>\n");
            }
            let _ = write!(body, "<div><head>Part {}</head><p>", i / 40 + 1);
            block += 2;
        } else if i % 4 == 0 {
            body.push_str("</p>\n<p>");
            block += 1;
        }
        let text = sentence(words, i);
        let note = if i % 100 == 7 {
            "<note>A note on this sentence.</note>"
        } else {
            ""
        };
        let _ = write!(body, "<s xml:id=\"{id}.s{}\">{text}{note}</s> ", i + 1);
        sentences.push(Sentence {
            id: format!("{id}.s{}", i + 1),
            text,
            block,
            line: 0,
        });
    }
    body.push_str("</p></div>");
    let path = dir.join(format!("{id}.xml"));
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{id}\"><teiHeader><fileDesc><titleStmt><title>Synthetic work ({id})</title></titleStmt><publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>Generated.</p></sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>\n"
    );
    std::fs::write(&path, xml).unwrap();
    Layer {
        id: id.into(),
        lang: id.into(),
        path,
        title: format!("Synthetic work ({id})"),
        agents: vec![],
        source_desc: "Generated.".into(),
        derivations: vec![],
        sentences,
        gaps: vec![],
    }
}

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
    let texts = dir.path().join("texts");
    std::fs::create_dir_all(&texts).unwrap();
    let en = layer(&texts, "en", WORDS_EN, n);
    let mut cs = layer(&texts, "cs", WORDS_CS, n);
    cs.derivations = vec![Derivation {
        source: "en".into(),
        kind: DerivationKind::Translation,
        resp: vec![],
        when: None,
        note: None,
    }];
    let mut links = Vec::new();
    let mut segments = Vec::new();
    for i in 1..=n {
        links.push(Link {
            id: format!("a.en-cs.{i}"),
            source: vec![format!("en.s{i}")],
            derived: vec![format!("cs.s{i}")],
            cert: 0.4 + (i % 60) as f64 / 100.0,
            status: LinkStatus::Automatic,
            partial: i % 500 == 3,
        });
        let mut m = BTreeMap::new();
        m.insert("en".to_owned(), vec![format!("en.s{i}")]);
        m.insert("cs".to_owned(), vec![format!("cs.s{i}")]);
        segments.push(Segment {
            id: format!("seg.{i}"),
            members: m,
            chain: vec![format!("a.en-cs.{i}")],
        });
    }
    let work = Work {
        id: "synthetic".into(),
        dir: texts.clone(),
        layers: vec![cs, en],
    };
    let al = WorkAlignment {
        work: "synthetic".into(),
        layer_files: BTreeMap::new(),
        agents: vec![],
        relations: vec![Relation {
            id: "rel.en-cs".into(),
            source: "en".into(),
            derived: "cs".into(),
            kind: DerivationKind::Translation,
            resp: vec![],
            when: None,
        }],
        edges: vec![EdgeAlignment {
            relation: "rel.en-cs".into(),
            links,
            unaligned: vec![],
        }],
        segments,
        changes: vec![],
        id_high_water: BTreeMap::new(),
    };
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
