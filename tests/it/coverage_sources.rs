//! A layer made from two sources, against all of them (session 16): a Czech fable translated
//! from the Greek and the English (`tests/fixtures/work/fable`: the English leaves out the moral).
//! A Czech sentence without a counterpart in one source but linked in the other is "from the
//! other source", not an addition; an English sentence without a counterpart on its own edge
//! but linked into the Czech through the Greek is "carried over", not an omission; the gate
//! takes the layer's figure against all its sources; partial and doubtful links stay visible.

use crate::builder::{layer, link, relation, unaligned};
use crate::common;
use crate::common::{EVA, ok_as, run_as};
use std::collections::BTreeMap;
use std::path::Path;
use tei_align::coverage::{self, CoverageOptions, LayerNote};
use tei_align::model::*;

const FABLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/work/fable");

fn ids(v: &[LayerNote]) -> Vec<&str> {
    v.iter().map(|n| n.id.as_str()).collect()
}

/// grc (4 sentences) → en (3) and grc, en → cs (5), built in code:
/// - cs.s1 linked in full in both sources;
/// - cs.s2 linked in grc by a partial link only, none in en;
/// - cs.s3 linked in en by a doubtful link only, none in grc;
/// - cs.s4 linked in grc (the moral, which en leaves out), none in en;
/// - cs.s5 linked in neither: an addition;
/// - grc.s3 has no counterpart on grc → cs, but grc.s3 ↔ en.s3 ↔ cs.s3: carried over (doubtful);
/// - en.s2 has none on en → cs, but en.s2 ↔ grc.s2 ↔ cs.s2: carried over (partial).
fn built() -> (Work, WorkAlignment) {
    let grc = layer(
        "grc",
        "Fable",
        vec![],
        &[&["g1", "g2", "g3"], &["g4 moral"]],
    );
    let mut en = layer("en", "Fable (en)", vec![], &[&["e1", "e2", "e3"]]);
    let mut cs = layer(
        "cs",
        "Fable (cs)",
        vec![],
        &[&["c1", "c2", "c3"], &["c4", "c5"]],
    );
    let der = |s: &str| Derivation {
        source: s.into(),
        kind: DerivationKind::Translation,
        resp: vec![],
        when: None,
        note: None,
    };
    en.derivations = vec![der("grc")];
    cs.derivations = vec![der("grc"), der("en")];
    let mut partial = link("grc", "cs", 2, &[2], &[2], 0.9);
    partial.partial = true;
    let edges = vec![
        EdgeAlignment {
            relation: "rel.grc-en".into(),
            links: (1..=3)
                .map(|n| link("grc", "en", n, &[n], &[n], 0.9))
                .collect(),
            unaligned: vec![unaligned("grc-en", 1, UnalignedKind::SourceOnly, "grc", 4)],
        },
        EdgeAlignment {
            relation: "rel.grc-cs".into(),
            links: vec![
                link("grc", "cs", 1, &[1], &[1], 0.9),
                partial,
                link("grc", "cs", 3, &[4], &[4], 0.9),
            ],
            unaligned: vec![
                unaligned("grc-cs", 1, UnalignedKind::SourceOnly, "grc", 3),
                unaligned("grc-cs", 2, UnalignedKind::DerivedOnly, "cs", 3),
                unaligned("grc-cs", 3, UnalignedKind::DerivedOnly, "cs", 5),
            ],
        },
        EdgeAlignment {
            relation: "rel.en-cs".into(),
            links: vec![
                link("en", "cs", 1, &[1], &[1], 0.9),
                link("en", "cs", 2, &[3], &[3], 0.3),
            ],
            unaligned: vec![
                unaligned("en-cs", 1, UnalignedKind::SourceOnly, "en", 2),
                unaligned("en-cs", 2, UnalignedKind::DerivedOnly, "cs", 2),
                unaligned("en-cs", 3, UnalignedKind::DerivedOnly, "cs", 4),
                unaligned("en-cs", 4, UnalignedKind::DerivedOnly, "cs", 5),
            ],
        },
    ];
    let al = WorkAlignment {
        work: "fable".into(),
        layer_files: BTreeMap::new(),
        agents: vec![],
        relations: vec![
            relation("grc", "en", &[], None),
            relation("grc", "cs", &[], None),
            relation("en", "cs", &[], None),
        ],
        edges,
        segments: vec![],
        changes: vec![],
        id_high_water: BTreeMap::new(),
        item_changes: BTreeMap::new(),
    };
    let work = Work {
        id: "fable".into(),
        dir: "texts/fable".into(),
        layers: vec![cs, en, grc],
    };
    (work, al)
}

#[test]
fn a_layer_with_two_sources_is_judged_against_both() {
    let (work, al) = built();
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let cs = r.layers.iter().find(|l| l.layer == "cs").unwrap();
    assert_eq!(cs.sources, ["grc", "en"]);
    let t = &cs.total;
    // Derived side: one addition (linked nowhere), three from the other source.
    assert_eq!(ids(&cs.added), ["cs.s5"]);
    assert_eq!(cs.added[0].unmatched_in, ["grc", "en"], "the sources tried");
    assert_eq!(ids(&cs.from_other_source), ["cs.s2", "cs.s3", "cs.s4"]);
    assert_eq!(cs.from_other_source[2].matched_in, ["grc"]);
    assert_eq!(cs.from_other_source[2].unmatched_in, ["en"]);
    assert_eq!((t.derived_sentences, t.derived_matched), (5, 4));
    // Matched only by a partial or a doubtful link is not matched in full.
    assert_eq!(
        (t.derived_full, t.derived_partial, t.derived_doubtful),
        (2, 1, 1)
    );
    let by: Vec<(&str, Option<&str>)> = cs
        .not_in_full
        .iter()
        .map(|n| (n.id.as_str(), n.matched_by.as_deref()))
        .collect();
    assert_eq!(
        by,
        [("cs.s2", Some("partial")), ("cs.s3", Some("doubtful"))]
    );
    // Source side: grc.s3 and en.s2 carried over through the other source, with their doubt.
    assert_eq!(ids(&cs.carried_over), ["grc.s3", "en.s2"]);
    let g3 = cs.carried_over[0].carried.as_ref().unwrap();
    assert_eq!(
        (g3.via.as_str(), g3.doubtful, g3.partial),
        ("en", true, false)
    );
    assert_eq!(g3.links, ["a.grc-en.3", "a.en-cs.2"]);
    let e2 = cs.carried_over[1].carried.as_ref().unwrap();
    assert_eq!(
        (e2.via.as_str(), e2.doubtful, e2.partial),
        ("grc", false, true)
    );
    assert!(cs.omitted.is_empty(), "{:?}", cs.omitted);
    assert_eq!((t.source_sentences, t.source_sentences_covered), (7, 5));
    assert_eq!(
        (t.source_sentences_carried, t.source_sentences_partial),
        (2, 2)
    );
    assert_eq!(t.coverage_pct, Some(100.0));
    // Per edge: the edge's own figures stay; the 0-1 and 1-0 the other source accounts for
    // are named apart, never as additions or omissions.
    let e = |id: &str| r.edges.iter().find(|e| e.relation == id).unwrap();
    let en_cs = e("rel.en-cs");
    let names =
        |v: &[coverage::SentenceNote]| -> Vec<String> { v.iter().map(|n| n.id.clone()).collect() };
    assert_eq!(names(&en_cs.added), ["cs.s5"]);
    assert_eq!(ids(&en_cs.from_other_source), ["cs.s2", "cs.s4"]);
    assert_eq!(ids(&en_cs.carried_over), ["en.s2"]);
    assert!(en_cs.omitted.is_empty());
    assert_eq!((en_cs.total.added, en_cs.total.from_other_source), (1, 2));
    let pct = en_cs.total.coverage_pct.unwrap();
    assert!((pct - 200.0 / 3.0).abs() < 1e-9, "{pct}");
    // The English omits the moral: a single-source layer, a real omission.
    assert_eq!(names(&e("rel.grc-en").omitted), ["grc.s4"]);
    // The gate: grc → en on its edge (75 %), cs on its figure against both (100 %).
    let gate: BTreeMap<String, f64> = r.gate_figures().into_iter().collect();
    assert_eq!(
        gate.keys().collect::<Vec<_>>(),
        ["cs (from grc, en)", "grc → en"]
    );
    assert_eq!(r.lowest_gate(), Some(("grc → en".to_owned(), 75.0)));
    // The whole work: cs.s5 on each of its two edges, none of the three from the other source.
    assert_eq!(r.total.added, 2);
    assert_eq!(r.total.from_other_source, 3);
    let text = coverage::to_text(&r);
    assert!(
        text.contains("cs against all its sources (grc, en)"),
        "{text}"
    );
    assert!(text.contains("linked in a source 4 (in full 2, partial at best 1, only doubtful 1); from the other source 3; added 1"), "{text}");
    assert!(
        text.contains(
            "carried over through en: grc.s3 ↔ en.s3 ↔ cs.s3 (a.grc-en.3 a.en-cs.2, doubtful)"
        ),
        "{text}"
    );
}

#[test]
fn a_sentence_unmatched_in_one_source_and_past_a_gap_of_the_other_is_no_addition() {
    let (work, mut al) = built();
    // The Greek's witness is lost where cs.s5 stands.
    let grc_cs = al
        .edges
        .iter_mut()
        .find(|e| e.relation == "rel.grc-cs")
        .unwrap();
    let u = grc_cs
        .unaligned
        .iter_mut()
        .find(|u| u.sentence == "cs.s5")
        .unwrap();
    u.kind = UnalignedKind::SourceGap;
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let cs = r.layers.iter().find(|l| l.layer == "cs").unwrap();
    assert!(cs.added.is_empty(), "{:?}", cs.added);
    assert_eq!(ids(&cs.source_gap), ["cs.s5"]);
    assert_eq!(cs.source_gap[0].gap_in, ["grc"]);
    assert_eq!(cs.source_gap[0].unmatched_in, ["en"]);
    let en_cs = r.edges.iter().find(|e| e.relation == "rel.en-cs").unwrap();
    assert!(en_cs.added.is_empty(), "{:?}", en_cs.added);
    assert_eq!(ids(&en_cs.from_other_source), ["cs.s2", "cs.s4", "cs.s5"]);
}

/// The fable aligned, then set by an editor as the test needs it, whatever the aligner found:
/// the English translation (grc → en) confirmed sentence by sentence, the moral omitted; the
/// Czech's moral and cs.s4 confirmed from the Greek and without counterpart in the English,
/// and en.s4 without counterpart in the Czech.
fn fable() -> tempfile::TempDir {
    let dir = common::temp_work(Path::new(FABLE), "f", &["grc.xml", "en.xml", "cs.xml"]);
    let d = dir.path();
    let when = ["--when", "2026-12-02T10:00:00Z"];
    ok_as(EVA, d, &["align", "texts/f", "--when", "2026-12-02"]);
    for n in 1..=5 {
        let (g, e) = (format!("grc.s{n}"), format!("en.s{n}"));
        ok_as(EVA, d, &[&["link", "texts/f", &g, &e][..], &when].concat());
    }
    for ids in [
        &["grc.s6", "--edge", "grc-en"][..],
        &["grc.s4", "cs.s4"],
        &["grc.s6", "cs.s6"],
    ] {
        ok_as(EVA, d, &[&["link", "texts/f"][..], ids, &when].concat());
    }
    // Whatever holds en.s4 or cs.s4 on en → cs goes, then both are confirmed unmatched there.
    let al =
        tei_align::tei::standoff::read_alignment(&d.join("alignments/f/alignment.xml")).unwrap();
    let en_cs = al.edges.iter().find(|e| e.relation == "rel.en-cs").unwrap();
    for l in en_cs
        .links
        .iter()
        .filter(|l| l.source.iter().any(|s| s == "en.s4") || l.derived.iter().any(|s| s == "cs.s4"))
    {
        ok_as(EVA, d, &[&["unlink", "texts/f", &l.id][..], &when].concat());
    }
    for id in ["en.s4", "cs.s4", "cs.s6"] {
        ok_as(
            EVA,
            d,
            &[&["link", "texts/f", id, "--edge", "en-cs"][..], &when].concat(),
        );
    }
    dir
}

#[test]
fn coverage_trace_status_and_edition_of_the_fable_say_from_the_other_source() {
    let dir = fable();
    let d = dir.path();
    let r = ok_as(EVA, d, &["coverage", "texts/f", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let cs = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "cs")
        .unwrap();
    assert_eq!(cs["sources"], serde_json::json!(["grc", "en"]));
    assert_eq!(cs["total"]["added"], 0, "{cs}");
    assert_eq!(cs["total"]["from_other_source"], 2, "{cs}");
    assert_eq!(cs["total"]["source_sentences_carried"], 1, "{cs}");
    assert_eq!(cs["total"]["coverage_pct"], 100.0, "{cs}");
    let other: Vec<&str> = cs["from_other_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(other, ["cs.s4", "cs.s6"]);
    assert_eq!(cs["carried_over"][0]["id"], "en.s4");
    assert_eq!(cs["carried_over"][0]["carried"]["via"], "grc");
    let edges = v["edges"].as_array().unwrap();
    let en_cs = edges.iter().find(|e| e["relation"] == "rel.en-cs").unwrap();
    assert_eq!(en_cs["total"]["added"], 0, "{en_cs}");
    assert_eq!(en_cs["total"]["omitted"], 0, "{en_cs}");
    assert_eq!(
        en_cs["total"]["coverage_pct"], 80.0,
        "the edge's own figure stays"
    );
    // The gate: 83 passes on cs's figure against both sources (100 %) though en → cs alone is
    // 80 %; 90 fails on the English translation's omission of the moral, named.
    ok_as(EVA, d, &["coverage", "texts/f", "--fail-under", "83"]);
    let r = run_as(EVA, d, &["coverage", "texts/f", "--fail-under", "90"]);
    assert_eq!(r.code, Some(1), "{}", r.err);
    assert!(
        r.err.contains("coverage of grc → en is 83.3 %, below 90 %"),
        "{}",
        r.err
    );
    let r = ok_as(EVA, d, &["coverage", "texts/f"]);
    assert!(
        r.out.contains(
            "sentences of its sources with a counterpart: 11/11 (100.0 %), characters 100.0 %: 10 on their own edge, 1 carried over through another source; omitted 0"
        ),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("from the other source 2; added 0"),
        "{}",
        r.out
    );
    // Trace: the steps into cs say where the sentence came from.
    let r = ok_as(EVA, d, &["trace", "--work", "texts/f", "cs.s6"]);
    assert!(
        r.out
            .contains("from the other source: linked in grc (a.grc-cs.6), not an addition"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("added in this layer"), "{}", r.out);
    let r = ok_as(EVA, d, &["trace", "--work", "texts/f", "en.s4"]);
    assert!(
        r.out
            .contains("carried over through grc: en.s4 ↔ grc.s4 ↔ cs.s4"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("omitted in this layer"), "{}", r.out);
    // Status.
    let r = ok_as(EVA, d, &["status", "texts/f"]);
    assert!(
        r.out.contains("cs (from grc, en): 2 sentence(s) without a counterpart in one source but linked in another (from the other source, not additions): cs.s4 cs.s6; 1 source sentence(s) carried over through another source (not omissions): en.s4; added in no source: 0"),
        "{}",
        r.out
    );
    // The edition: marks, legend, the coverage table, valid TEI.
    ok_as(EVA, d, &["edition", "texts/f", "-o", "ed"]);
    let html = std::fs::read_to_string(d.join("ed/index.html")).unwrap();
    for want in [
        "class=\"s other-source verified\" id=\"cs.s6\"",
        "from the other source, not added: no counterpart in en; linked in grc",
        "class=\"s carried verified\" id=\"en.s4\"",
        "not omitted: carried over into cs, through grc",
        "<td>cs against all its sources (grc, en)</td><td>11/11 sentences of its sources (100.0 %)</td>",
        "no counterpart here (cs has it from another source)",
        "<span class=\"s other-source\">",
    ] {
        assert!(html.contains(want), "no {want:?} in the page");
    }
    assert!(!html.contains("added in cs"), "an addition claimed");
    common::assert_valid_tei(&d.join("ed/edition.xml"));
}
