//! The fuzz targets of `tei_align::fuzz` (also run coverage-guided by `cargo fuzz`, see
//! `fuzz/`) on stable Rust: proptest mutates the fixtures (inserting XML-significant tokens,
//! deleting and duplicating spans, flipping bytes) and checks each target's invariants.
//!
//! Cases per target: `TEI_ALIGN_FUZZ_CASES`, default 100,000 in a release build (what CI runs)
//! and 2,000 in a debug build; `TEI_ALIGN_FUZZ_SEED` picks other cases (default 0: the same
//! cases every run).

use crate::common;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;

fn cases() -> u32 {
    std::env::var("TEI_ALIGN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            2_000
        } else {
            100_000
        })
}

/// Tokens a mutation inserts: what XML, TEI, the inserter and the splitter treat specially.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "&",
    ";",
    "\"",
    "'",
    "]]>",
    "<![CDATA[x]]>",
    "<!--c-->",
    "<?pi x?>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE TEI [<!ENTITY cc \"Central Committee\">]>",
    "&cc;",
    "&nosuch;",
    "&#8;",
    "&#xFFFE;",
    "&#233;",
    "&amp;",
    "<s>",
    "</s>",
    "<s xml:id=\"x.s1\">",
    "<s xml:id=\"a b\">",
    " part=\"I\"",
    " part=\"F\"",
    "<p>",
    "</p>",
    "<hi>",
    "</hi>",
    "<note>",
    "</note>",
    "<lb/>",
    "<pb/>",
    "<gap/>",
    "<choice>",
    "</choice>",
    "<stage>",
    "</stage>",
    "<l>",
    "</l>",
    "<sp>",
    "</sp>",
    "<head>",
    "</head>",
    "xml:id=\"d\"",
    ". ",
    "… ",
    "?! ",
    "tj. ",
    "e.g. ",
    "Mr. ",
    " - ",
    "—",
    "\u{feff}",
    "\r\n",
    "\n\n",
    "é",
    "<tei:p>",
    "</tei:p>",
    "<link target=\"#a #b\"/>",
    "<linkGrp>",
    "</linkGrp>",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Byte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Byte(p, b)),
    ]
}

fn mutate(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut d = seed.to_vec();
    for m in muts {
        let len = d.len().max(1);
        match *m {
            Mutation::Insert(p, t) => {
                let p = p % (d.len() + 1);
                d.splice(p..p, TOKENS[t].bytes());
            }
            Mutation::Delete(p, n) => {
                let p = p % len;
                let e = (p + n).min(d.len());
                d.drain(p.min(e)..e);
            }
            Mutation::Duplicate(p, n) => {
                let p = p % len;
                let e = (p + n).min(d.len());
                let span: Vec<u8> = d[p.min(e)..e].to_vec();
                d.splice(e..e, span);
            }
            Mutation::Byte(p, b) => {
                if !d.is_empty() {
                    let p = p % d.len();
                    d[p] = b;
                }
            }
        }
    }
    d
}

/// Every `*.xml` of at most 6 KB under the fixture directories and `texts/`, as bytes.
fn xml_seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut todo = vec![root.join("tests/fixtures"), root.join("texts")];
    while let Some(dir) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                // Small seeds: many cases in CI time; the big texts add no new structure.
                let b = std::fs::read(&p).unwrap();
                if b.len() <= 6_000 {
                    out.push(b);
                }
            }
        }
    }
    assert!(out.len() >= 10, "fixtures missing: {} seeds", out.len());
    out
}

fn alignment_seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("alignments");
    let mut out = Vec::new();
    for w in std::fs::read_dir(&root).unwrap().flatten() {
        let p = w.path().join("alignment.xml");
        if p.exists() {
            let b = std::fs::read(p).unwrap();
            if b.len() <= 16_000 {
                out.push(b);
            }
        }
    }
    assert!(
        !out.is_empty(),
        "no committed alignments under {}",
        root.display()
    );
    out
}

/// Layers with their `<s>` removed: what the inserter is given on import.
fn unsegmented_seeds() -> Vec<Vec<u8>> {
    xml_seeds()
        .into_iter()
        .filter_map(|b| String::from_utf8(b).ok())
        .filter(|s| s.contains("<TEI"))
        .map(|s| strip_all_s(&s).into_bytes())
        .collect()
}

/// `xml` without any `<s …>` start tag or `</s>` end tag.
fn strip_all_s(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<s ").or_else(|| rest.find("<s>")) {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |k| i + k + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("</s>", "")
}

/// The random seed: `TEI_ALIGN_FUZZ_SEED` (a number), default 0, so that CI runs the same cases
/// every time and a failure can be run again; another seed explores other cases.
fn rng() -> TestRng {
    let seed: u64 = std::env::var("TEI_ALIGN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn run_target(seeds: Vec<Vec<u8>>, target: fn(&[u8])) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng());
    let n = seeds.len();
    let strategy = (0..n, proptest::collection::vec(mutation(), 0..8));
    let result = runner.run(&strategy, |(k, muts)| {
        let data = mutate(&seeds[k], &muts);
        let outcome = std::panic::catch_unwind(|| target(&data));
        prop_assert!(
            outcome.is_ok(),
            "target panicked on seed {k} with {muts:?}:\n{}",
            String::from_utf8_lossy(&data)
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn fuzz_tei_reader() {
    run_target(xml_seeds(), tei_align::fuzz::tei_reader);
}

#[test]
fn fuzz_alignment_reader() {
    run_target(alignment_seeds(), tei_align::fuzz::alignment_reader);
}

#[test]
fn fuzz_inserter() {
    run_target(unsegmented_seeds(), tei_align::fuzz::inserter);
}

#[test]
fn fuzz_splitter() {
    let mut seeds: Vec<Vec<u8>> = ["segment/letter-cs.txt", "segment/letter-en.txt"]
        .iter()
        .map(|f| std::fs::read(common::fixture(f)).unwrap())
        .collect();
    // Adversarial paragraphs: punctuation runs among abbreviations, as in issue 13.5.
    seeds.push(
        b"Word ...... tj. . . . . e.g. ?!?! - - - Mr. \xe2\x80\xa6\xe2\x80\xa6 end.".to_vec(),
    );
    seeds.push(
        b"A. B. C. D. Kat. Ivanovna said: 1. one; 2. two. (?) [...] \"Go!\" he said.".to_vec(),
    );
    run_target(seeds, tei_align::fuzz::splitter);
}

/// Crashers and findings of the fuzzing, kept as regression tests.
#[test]
fn regressions() {
    let cases: &[&[u8]] = &[
        b"<TEI><text><body><p>a ]]> b</p></body></text></TEI>",
        b"<TEI><text><body><p>&#8; x. Y.</p></body></text></TEI>",
        // Seed 4 (TEI_ALIGN_FUZZ_SEED=4, 100,000 cases): a sentence that starts inside a CDATA
        // section had its `<s>` spliced into the section (as text) and its `</s>` after it.
        b"<TEI><text><body><p><![CDATA[x]]>Esteemed Leonid Ilich,</p></body></text></TEI>",
        b"<TEI><text><body><p>One. <![CDATA[Two. Three]]> four. Five.</p></body></text></TEI>",
        b"<TEI><text><body><closer><signed>A. Indra</signed><![CDATA[x. Y]]></closer></body></text></TEI>",
    ];
    for c in cases {
        tei_align::fuzz::tei_reader(c);
        tei_align::fuzz::inserter(c);
        tei_align::fuzz::splitter(c);
    }
}
