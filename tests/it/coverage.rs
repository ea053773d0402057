//! The coverage report on works built in code (the letter and a UDHR-like declaration).

use crate::builder;

use tei_align::coverage::{self, CoverageOptions, EdgeState};

fn ids(notes: &[coverage::SentenceNote]) -> Vec<&str> {
    notes.iter().map(|n| n.id.as_str()).collect()
}

#[test]
fn letter_en_complete_up_to_the_gap_and_ru_has_no_text() {
    let (work, al) = builder::letter();
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    assert_eq!(r.edges.len(), 2);
    // Derivation order: ru → cs first, then cs → en.
    let ru_cs = &r.edges[0];
    assert_eq!(
        (ru_cs.source.as_str(), ru_cs.derived.as_str()),
        ("ru", "cs")
    );
    assert_eq!(ru_cs.state, EdgeState::NoSourceText);
    assert_eq!(ru_cs.total.coverage_pct, None, "no text is not 0 %");
    // Nothing in cs counts as the translator's addition: the Russian is lost.
    assert!(ru_cs.added.is_empty());
    assert_eq!(ru_cs.source_gap.len(), 16);

    let cs_en = &r.edges[1];
    assert_eq!(cs_en.state, EdgeState::Measured);
    assert_eq!(cs_en.total.source_sentences, 16);
    assert_eq!(cs_en.total.source_sentences_covered, 16);
    assert_eq!(cs_en.total.coverage_pct, Some(100.0));
    assert_eq!(cs_en.total.char_coverage_pct, Some(100.0));
    assert!(cs_en.omitted.is_empty());
    assert!(
        cs_en.added.is_empty(),
        "sentences after the gap are not additions"
    );
    assert_eq!(
        ids(&cs_en.source_gap),
        ["en.s17", "en.s18", "en.s19", "en.s20", "en.s21", "en.s22"]
    );
    assert_eq!(cs_en.total.derived_sentences, 22);
    assert_eq!(cs_en.total.derived_sentences_covered, 16);
    // Whole work: only the measurable edge counts.
    assert_eq!(r.total.source_sentences, 16);
    assert_eq!(r.total.coverage_pct, Some(100.0));
    // The blocks of en past the gap (7..=12) carry the source-gap sentences.
    let gap_blocks: Vec<usize> = cs_en
        .derived_blocks
        .iter()
        .filter(|b| b.counts.source_gap > 0)
        .map(|b| b.block)
        .collect();
    assert_eq!(gap_blocks, [7, 8, 9, 10, 11, 12]);

    let text = coverage::to_text(&r);
    assert!(text.contains("no text"), "{text}");
    assert!(text.contains("16/16"), "{text}");
    assert!(text.contains("source gap"), "{text}");
}

#[test]
fn doubt_threshold_is_configurable_and_spares_verified_links() {
    let (work, al) = builder::letter();
    // Links a.cs-en.n have cert 0.6 + 0.02 n; a.cs-en.3 is verified.
    let r = coverage::report(&work, &al, &CoverageOptions { doubt_below: 0.69 }).unwrap();
    let doubtful: Vec<&str> = r.edges[1].doubtful.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(doubtful, ["a.cs-en.1", "a.cs-en.2", "a.cs-en.4"]);
    assert_eq!(r.edges[1].total.doubtful, 3);
    let none = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    assert!(none.edges[1].doubtful.is_empty());
}

#[test]
fn udhr_omission_addition_merge_and_doubt() {
    let (work, al) = builder::udhr();
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let names: Vec<(&str, &str)> = r
        .edges
        .iter()
        .map(|e| (e.source.as_str(), e.derived.as_str()))
        .collect();
    assert_eq!(names, [("en", "ru"), ("en", "cs")]);

    let ru = &r.edges[0];
    assert_eq!(ru.total.source_sentences_covered, 8);
    assert_eq!(ru.total.source_sentences, 9);
    let pct = ru.total.coverage_pct.unwrap();
    assert!((pct - 800.0 / 9.0).abs() < 1e-9, "{pct}");
    assert_eq!(ids(&ru.omitted), ["en.s9"]);
    assert!(ru.added.is_empty());
    let merged: Vec<(&str, String)> = ru
        .merged_or_split
        .iter()
        .map(|l| (l.id.as_str(), l.kind.clone()))
        .collect();
    assert_eq!(merged, [("a.en-ru.5", "2-1".to_string())]);
    assert_eq!(ru.doubtful.len(), 1);
    assert_eq!(ru.doubtful[0].id, "a.en-ru.3");
    // Per block: the last block of en (en.s8, en.s9) is half covered, block 2 holds the doubt.
    let last = ru.source_blocks.last().unwrap();
    assert_eq!(last.block, 6);
    assert_eq!(last.counts.source_sentences_covered, 1);
    assert_eq!(last.counts.omitted, 1);
    assert_eq!(last.counts.coverage_pct, Some(50.0));
    let b2 = ru.source_blocks.iter().find(|b| b.block == 2).unwrap();
    assert_eq!(b2.counts.doubtful, 1);
    // Characters: the omitted sentence's characters are missing from the covered count.
    let omitted_chars = work.layer("en").unwrap().sentences[8]
        .text
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    assert_eq!(
        ru.total.source_chars - ru.total.source_chars_covered,
        omitted_chars
    );

    let cs = &r.edges[1];
    assert_eq!(cs.total.coverage_pct, Some(100.0));
    assert_eq!(ids(&cs.added), ["cs.s9"]);
    assert!(cs.source_gap.is_empty());
    assert!(cs.doubtful.is_empty());

    assert_eq!(r.total.source_sentences, 18);
    assert_eq!(r.total.source_sentences_covered, 17);
    let lowest = r.lowest().unwrap();
    assert_eq!(lowest.0.derived, "ru");

    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["edges"][0]["state"], "measured");
    assert_eq!(json["edges"][0]["omitted"][0]["id"], "en.s9");
}

#[test]
fn a_link_to_a_missing_sentence_is_an_error_naming_it() {
    let (work, mut al) = builder::udhr();
    al.edges[0].links[0].derived = vec!["ru.s99".into()];
    let err = coverage::report(&work, &al, &CoverageOptions::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("ru.s99") && msg.contains("a.en-ru.1"), "{msg}");
}

#[test]
fn sentences_missing_from_the_alignment_are_not_covered() {
    let (work, mut al) = builder::udhr();
    // Drop the link of en.s2 from en → cs: en.s2 is now unaccounted for.
    al.edges[1].links.remove(1);
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let cs = &r.edges[1];
    assert_eq!(ids(&cs.unaccounted), ["en.s2"]);
    assert_eq!(cs.total.source_sentences_covered, 8);
}

#[test]
fn derivation_order_sources_first_and_cycles_once() {
    let (mut work, al) = builder::letter();
    let order: Vec<&str> = tei_align::provenance::graph::ordered_layers(&work, &al.relations)
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(order, ["ru", "cs", "en"]);
    // A layer no relation mentions is an original (placed first, by id); the layers of a
    // cycle come last, each once.
    let mut extra = work.layers[0].clone();
    extra.id = "de".into();
    work.layers.push(extra);
    let mut rels = al.relations.clone();
    rels.push(builder::relation("en", "ru", &[], None));
    let order: Vec<&str> = tei_align::provenance::graph::ordered_layers(&work, &rels)
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(order.len(), 4);
    assert_eq!(order[0], "de");
    let mut sorted = order.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "{order:?}");
}

#[test]
fn a_work_without_derivation_edges_says_so_instead_of_a_table_of_zeros() {
    let (work, mut al) = builder::udhr();
    al.edges.clear();
    al.relations.clear();
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let text = coverage::to_text(&r);
    assert!(text.contains("no derivation edges"), "{text}");
    assert!(!text.contains("0/0"), "{text}");
}

#[test]
fn unsure_omissions_and_additions_are_doubtful_like_links() {
    let (work, mut al) = builder::udhr();
    // en → ru omits en.s9, en → cs adds cs.s9 (both automatic, cert 0.9 in the fixture).
    assert_eq!(al.edges[0].unaligned[0].sentence, "en.s9");
    assert_eq!(al.edges[1].unaligned[0].sentence, "cs.s9");
    let omission = al.edges[0].unaligned[0].id.clone();
    al.edges[0].unaligned[0].cert = 0.3;
    al.edges[1].unaligned[0].cert = 0.45;
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let (ru, cs) = (&r.edges[0], &r.edges[1]);
    let kinds = |e: &coverage::EdgeCoverage| -> Vec<(String, String)> {
        e.doubtful
            .iter()
            .map(|l| (l.id.clone(), l.kind.clone()))
            .collect()
    };
    assert_eq!(
        kinds(ru),
        [
            ("a.en-ru.3".to_owned(), "1-1".to_owned()),
            (omission, "1-0".to_owned())
        ]
    );
    assert_eq!(ru.doubtful[1].source, ["en.s9"]);
    assert_eq!(ru.total.doubtful, 2);
    // The omitted source sentence counts as doubtful in its block (en.s8, en.s9).
    assert_eq!(ru.source_blocks.last().unwrap().counts.doubtful, 1);
    assert_eq!(cs.doubtful.len(), 1);
    assert_eq!(cs.doubtful[0].kind, "0-1");
    assert_eq!(cs.doubtful[0].derived, ["cs.s9"]);
    // At 0.3 none is doubtful (the link's cert is 0.31; the omission's 0.3 is not below 0.3).
    let low = coverage::report(&work, &al, &CoverageOptions { doubt_below: 0.3 }).unwrap();
    assert!(low.edges.iter().all(|e| e.doubtful.is_empty()));
    // A person's confirmed omission is never doubtful.
    al.edges[0].unaligned[0].status = tei_align::model::LinkStatus::Verified {
        who: "ed".into(),
        when: "2026-01-01".into(),
        digest: None,
    };
    let r2 = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    assert_eq!(r2.edges[0].doubtful.len(), 1);
    // The table names the threshold and what it applies to.
    let text = coverage::to_text(&r);
    assert!(
        text.contains("doubtful: automatic links, omissions and additions with cert < 0.5"),
        "{text}"
    );
}
