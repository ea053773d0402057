//! A sentence carried over through a third layer (session 17): de is made from cs and en, both
//! made from grc; cs and en are not linked directly. en.s2, without a counterpart on en → de,
//! reaches de through cs, which got it from grc: `en.s2 ↔ grc.s2 ↔ cs.s2 ↔ de.s2`, carried
//! over, not omitted. en.s3 reaches de only in part: grc.s3 is rendered by cs.s3 and cs.s4,
//! and de leaves cs.s4 out, so what en.s3 says may be what de omits (partial, and named).
//! Coverage, trace, status and the edition must say the same.

use crate::builder::{layer, link, relation, unaligned, write_project};
use crate::common::{self, ok_in as run};
use std::collections::BTreeMap;
use tei_align::coverage::{self, CoverageOptions, LayerNote};
use tei_align::model::*;

fn ids(v: &[LayerNote]) -> Vec<&str> {
    v.iter().map(|n| n.id.as_str()).collect()
}

fn der(s: &str) -> Derivation {
    Derivation {
        source: s.into(),
        kind: DerivationKind::Translation,
        resp: vec![],
        when: None,
        note: None,
    }
}

/// grc (3) → en (3), grc → cs (4: grc.s3 is cs.s3 + cs.s4), cs and en → de (3).
fn built() -> (Work, WorkAlignment) {
    let grc = layer("grc", "Fable", vec![], &[&["g1", "g2", "g3"]]);
    let mut en = layer("en", "Fable (en)", vec![], &[&["e1", "e2", "e3"]]);
    let mut cs = layer("cs", "Fable (cs)", vec![], &[&["c1", "c2", "c3", "c4"]]);
    let mut de = layer("de", "Fable (de)", vec![], &[&["d1", "d2", "d3"]]);
    en.derivations = vec![der("grc")];
    cs.derivations = vec![der("grc")];
    de.derivations = vec![der("cs"), der("en")];
    let edges = vec![
        EdgeAlignment {
            relation: "rel.grc-en".into(),
            links: (1..=3)
                .map(|n| link("grc", "en", n, &[n], &[n], 0.9))
                .collect(),
            unaligned: vec![],
        },
        EdgeAlignment {
            relation: "rel.grc-cs".into(),
            links: vec![
                link("grc", "cs", 1, &[1], &[1], 0.9),
                link("grc", "cs", 2, &[2], &[2], 0.9),
                link("grc", "cs", 3, &[3], &[3, 4], 0.9),
            ],
            unaligned: vec![],
        },
        EdgeAlignment {
            relation: "rel.cs-de".into(),
            links: (1..=3)
                .map(|n| link("cs", "de", n, &[n], &[n], 0.9))
                .collect(),
            unaligned: vec![unaligned("cs-de", 1, UnalignedKind::SourceOnly, "cs", 4)],
        },
        EdgeAlignment {
            relation: "rel.en-de".into(),
            links: vec![link("en", "de", 1, &[1], &[1], 0.9)],
            unaligned: vec![
                unaligned("en-de", 1, UnalignedKind::SourceOnly, "en", 2),
                unaligned("en-de", 2, UnalignedKind::SourceOnly, "en", 3),
                unaligned("en-de", 3, UnalignedKind::DerivedOnly, "de", 2),
                unaligned("en-de", 4, UnalignedKind::DerivedOnly, "de", 3),
            ],
        },
    ];
    let al = WorkAlignment {
        work: "relay".into(),
        layer_files: BTreeMap::new(),
        agents: vec![],
        relations: vec![
            relation("grc", "en", &[], None),
            relation("grc", "cs", &[], None),
            relation("cs", "de", &[], None),
            relation("en", "de", &[], None),
        ],
        edges,
        segments: vec![],
        changes: vec![],
        id_high_water: BTreeMap::new(),
        item_changes: BTreeMap::new(),
    };
    let work = Work {
        id: "relay".into(),
        dir: "texts/relay".into(),
        layers: vec![grc, en, cs, de],
    };
    (work, al)
}

#[test]
fn a_sentence_reaching_a_two_source_layer_through_a_third_layer_is_carried_over() {
    let (work, al) = built();
    let r = coverage::report(&work, &al, &CoverageOptions::default()).unwrap();
    let de = r.layers.iter().find(|l| l.layer == "de").unwrap();
    assert_eq!(ids(&de.carried_over), ["en.s2", "en.s3"]);
    let e2 = de.carried_over[0].carried.as_ref().unwrap();
    assert_eq!(
        (e2.via.as_str(), e2.by_way_of.as_slice()),
        ("cs", &["grc".to_owned()][..])
    );
    assert_eq!(e2.path("en.s2"), "en.s2 ↔ grc.s2 ↔ cs.s2 ↔ de.s2");
    assert_eq!(e2.links, ["a.grc-en.2", "a.grc-cs.2", "a.cs-de.2"]);
    assert!(!e2.partial && !e2.doubtful);
    // Through a sentence that de omits: partial, and the sentence named.
    let e3 = de.carried_over[1].carried.as_ref().unwrap();
    assert_eq!(e3.path("en.s3"), "en.s3 ↔ grc.s3 ↔ cs.s3 cs.s4 ↔ de.s3");
    assert!(e3.partial, "{e3:?}");
    assert_eq!(e3.not_onward, ["cs.s4"]);
    // cs.s4 is what de omits: no path brings it in; the paths tried are named.
    assert_eq!(ids(&de.omitted), ["cs.s4"]);
    assert_eq!(
        de.omitted[0].tried,
        ["cs → de", "cs ↔ grc ↔ en → de"],
        "{:?}",
        de.omitted[0]
    );
    let t = &de.total;
    assert_eq!(
        (t.source_sentences_carried, t.source_sentences_partial),
        (2, 1)
    );
    let en_de = r.edges.iter().find(|e| e.relation == "rel.en-de").unwrap();
    assert!(en_de.omitted.is_empty(), "{:?}", en_de.omitted);
    assert_eq!(en_de.total.carried_over, 2);
}

#[test]
fn coverage_trace_status_and_edition_follow_the_chain_alike() {
    let (work, mut al) = built();
    al.layer_files = ["grc", "en", "cs", "de"]
        .iter()
        .map(|l| (l.to_string(), format!("../../texts/relay/{l}.xml")))
        .collect();
    al.segments = tei_align::provenance::compose(&work, &al.relations, &al.edges);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_project(d, &work, &al);
    // The builder's layer files declare one source each; de declares both.
    let de = d.join("texts/relay/de.xml");
    let xml = std::fs::read_to_string(&de).unwrap().replace(
        "</listRelation>",
        "<relation name=\"translation\" active=\"#layer.de\" passive=\"en.xml#layer.en\"/></listRelation>",
    );
    std::fs::write(&de, xml).unwrap();
    let path = "en.s2 ↔ grc.s2 ↔ cs.s2 ↔ de.s2";
    let r = run(d, &["coverage", "texts/relay"]);
    assert!(
        r.out.contains(&format!(
            "carried over through cs by way of grc: {path} (a.grc-en.2 a.grc-cs.2 a.cs-de.2)"
        )),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("(a.grc-en.3 a.grc-cs.3 a.cs-de.3, partial: cs.s4 goes no further)"),
        "{}",
        r.out
    );
    let r = run(d, &["trace", "--work", "texts/relay", "en.s2"]);
    assert!(
        r.out
            .contains(&format!("carried over through cs by way of grc: {path}")),
        "{}",
        r.out
    );
    assert!(!r.out.contains("omitted in this layer"), "{}", r.out);
    let r = run(d, &["status", "texts/relay"]);
    assert!(
        r.out.contains(
            "2 source sentence(s) carried over through another source (not omissions): en.s2 en.s3"
        ),
        "{}",
        r.out
    );
    run(d, &["edition", "texts/relay", "-o", "ed"]);
    let html = std::fs::read_to_string(d.join("ed/index.html")).unwrap();
    assert!(
        html.contains("not omitted: carried over into de, through cs by way of grc"),
        "no chain in the page"
    );
    assert!(!html.contains("de omits it\""), "an omission claimed");
    common::assert_valid_tei(&d.join("ed/edition.xml"));
}
