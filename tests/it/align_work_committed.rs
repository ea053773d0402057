//! The committed alignments (`alignments/letter-1968`, `alignments/udhr`): they parse, every
//! pointer resolves to a sentence of the committed texts, every sentence is covered exactly once
//! per edge and once by the segments, and the letter's source gap and textless original are as
//! they must be. Valid TEI (jing) when jing is installed.

use crate::common;

use common::{assert_valid_tei as jing, root};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tei_align::model::{UnalignedKind, WorkAlignment};
use tei_align::tei::{read_layer, standoff::read_alignment};

fn load(work: &str) -> (PathBuf, WorkAlignment, BTreeMap<String, Vec<String>>) {
    let file = root().join("alignments").join(work).join("alignment.xml");
    let a = read_alignment(&file).unwrap();
    let mut sentences = BTreeMap::new();
    for (id, rel) in &a.layer_files {
        let layer = read_layer(&file.parent().unwrap().join(rel)).unwrap();
        sentences.insert(
            id.clone(),
            layer.sentences.iter().map(|s| s.id.clone()).collect(),
        );
    }
    (file, a, sentences)
}

fn check_cover(a: &WorkAlignment, sentences: &BTreeMap<String, Vec<String>>) {
    for e in &a.edges {
        let r = a.relations.iter().find(|r| r.id == e.relation).unwrap();
        let mut seen: Vec<(String, String)> = Vec::new();
        for l in &e.links {
            seen.extend(l.source.iter().map(|s| (r.source.clone(), s.clone())));
            seen.extend(l.derived.iter().map(|s| (r.derived.clone(), s.clone())));
        }
        seen.extend(
            e.unaligned
                .iter()
                .map(|u| (u.layer.clone(), u.sentence.clone())),
        );
        seen.sort();
        let mut want: Vec<(String, String)> = [&r.source, &r.derived]
            .iter()
            .flat_map(|l| sentences[*l].iter().map(|s| ((*l).clone(), s.clone())))
            .collect();
        // A derived layer without text has nothing to cover on its source side either.
        if sentences[&r.derived].is_empty() {
            want.retain(|(l, _)| l != &r.source);
        }
        want.sort();
        assert_eq!(seen, want, "edge {}", e.relation);
    }
    let mut in_segments: Vec<(String, String)> = a
        .segments
        .iter()
        .flat_map(|s| {
            s.members
                .iter()
                .flat_map(|(l, ids)| ids.iter().map(move |i| (l.clone(), i.clone())))
        })
        .collect();
    in_segments.sort();
    let mut all: Vec<(String, String)> = sentences
        .iter()
        .flat_map(|(l, ids)| ids.iter().map(move |i| (l.clone(), i.clone())))
        .collect();
    all.sort();
    assert_eq!(in_segments, all);
}

#[test]
fn letter_alignment_is_complete_and_records_the_gap() {
    let (file, a, sentences) = load("letter-1968");
    jing(&file);
    check_cover(&a, &sentences);
    let ids: Vec<&str> = a.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rel.ru-cs", "rel.cs-en"]);
    assert!(sentences["ru"].is_empty());
    assert!(a.edges[0].links.is_empty());
    // Every English sentence after the last Czech one is a source gap, and no English
    // sentence is called an addition by the translator.
    let cs_en = &a.edges[1];
    let last_cs = sentences["cs"].last().unwrap();
    let last_link = cs_en
        .links
        .iter()
        .find(|l| l.source.contains(last_cs))
        .unwrap();
    let after: usize = sentences["en"]
        .iter()
        .position(|s| Some(s) == last_link.derived.last())
        .unwrap()
        + 1;
    let tail = &sentences["en"][after..];
    assert!(!tail.is_empty());
    for s in tail {
        let u = cs_en.unaligned.iter().find(|u| &u.sentence == s).unwrap();
        assert_eq!(u.kind, UnalignedKind::SourceGap, "{s}");
    }
    assert!(
        cs_en
            .unaligned
            .iter()
            .all(|u| u.kind != UnalignedKind::DerivedOnly)
    );
    // The Russian witness is in every segment (with no sentences).
    assert!(
        a.segments
            .iter()
            .all(|s| s.members.get("ru") == Some(&vec![]))
    );
}

#[test]
fn udhr_alignment_is_complete() {
    let (file, a, sentences) = load("udhr");
    jing(&file);
    check_cover(&a, &sentences);
    let ids: Vec<&str> = a.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rel.en-cs", "rel.en-ru"]);
    // Article headings are unmistakable: "Article 1" is in one segment with "Článek 1" and
    // "Статья 1".
    let text = |layer: &str| {
        read_layer(&root().join(format!("texts/udhr/{layer}.xml")))
            .unwrap()
            .sentences
    };
    let (en, cs, ru) = (text("en"), text("cs"), text("ru"));
    let id_of = |v: &[tei_align::model::Sentence], t: &str| {
        v.iter()
            .find(|s| s.text == t)
            .map(|s| s.id.clone())
            .unwrap()
    };
    for (e, c, r) in [
        ("Article 1", "Článek 1", "Статья 1"),
        ("Article 30", "Článek 30", "Статья 30"),
    ] {
        let seg = a
            .segments
            .iter()
            .find(|s| s.members["en"].contains(&id_of(&en, e)))
            .unwrap();
        assert!(seg.members["cs"].contains(&id_of(&cs, c)), "{e}");
        assert!(seg.members["ru"].contains(&id_of(&ru, r)), "{e}");
    }
}

/// The letter's last Czech sentence breaks off mid-word ("…považujte toto naše prohlá"): its
/// link to the whole English sentence is partial, and no other link is; `coverage` counts 15
/// links in full and 1 partial and names it; `trace` says so.
#[test]
fn letter_truncated_sentence_makes_the_only_partial_link() {
    let (file, a, _) = load("letter-1968");
    let cs_en = a.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let partial: Vec<(&[String], &[String])> = cs_en
        .links
        .iter()
        .filter(|l| l.partial)
        .map(|l| (l.source.as_slice(), l.derived.as_slice()))
        .collect();
    assert_eq!(
        partial,
        [(&["cs.s16".to_owned()][..], &["en.s16".to_owned()][..])]
    );
    let layer = read_layer(&root().join("texts/letter-1968/cs.xml")).unwrap();
    assert!(layer.is_truncated(15) && !layer.is_truncated(14));

    let out = common::tool()
        .arg("coverage")
        .arg(&file)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["edges"][1]["total"];
    assert_eq!(t["source_sentences_covered"], 16);
    assert_eq!(t["source_sentences_partial"], 1);
    assert_eq!(t["partial"], 1);
    assert_eq!(v["edges"][1]["partial"][0]["source"][0], "cs.s16");
    let out = common::tool().arg("coverage").arg(&file).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let row = table.lines().find(|l| l.starts_with("cs → en")).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    // edge (3 words), sentences, coverage (2), chars (2), full, partial, …
    assert_eq!(
        &cells[3..10],
        ["16/16", "100.0", "%", "100.0", "%", "15", "1"]
    );
    assert!(
        table.contains("partial (one side covers clearly less"),
        "{table}"
    );

    let out = common::tool()
        .arg("trace")
        .arg("--alignment")
        .arg(&file)
        .arg("cs.s16")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("link 1-1, partial"), "{text}");
}
