//! Unit tests of the graph, the edge alignment and the composition, on works built in code.

use super::compose::*;
use super::edge::*;
use super::graph::*;
use super::ids::*;
use super::work::*;

use crate::model::{
    Agent, Bead, Change, EdgeAlignment, Layer, Link, LinkStatus, Unaligned, UnalignedKind, Work,
};
use crate::model::{Derivation, DerivationKind, Gap, Sentence};
use crate::model::{Relation, Segment};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn layer(id: &str, source: Option<&str>, texts: &[&str]) -> Layer {
    Layer {
        id: id.into(),
        lang: id.into(),
        path: PathBuf::from(format!("texts/w/{id}.xml")),
        title: format!("{id} layer"),
        agents: vec![Agent::new(
            format!("{id}-tr"),
            format!("Translator {id}"),
            "translator".into(),
        )],
        source_desc: String::new(),
        derivations: source
            .map(|s| Derivation {
                source: s.into(),
                kind: DerivationKind::Translation,
                resp: vec![format!("{id}-tr")],
                when: Some("1992".into()),
                note: None,
            })
            .into_iter()
            .collect(),
        sentences: texts
            .iter()
            .enumerate()
            .map(|(i, t)| Sentence {
                id: format!("{id}.s{}", i + 1),
                text: (*t).into(),
                block: 0,
                line: 0,
            })
            .collect(),
        gaps: vec![],
    }
}

fn work(layers: Vec<Layer>) -> Work {
    Work {
        id: "w".into(),
        dir: PathBuf::from("texts/w"),
        layers,
    }
}

const CS: [&str; 3] = [
    "V roce 1968 bylo 14 lidí v Praze.",
    "Druhá věta je o něco delší než ta první, má 22 slov a čárku.",
    "Třetí věta: Brežněv, Bratislava, 3. srpna!",
];
const EN: [&str; 5] = [
    "In 1968 there were 14 people in Prague.",
    "The second sentence is somewhat longer than the first, has 22 words and a comma.",
    "Third sentence: Brezhnev, Bratislava, 3 August!",
    "We ask you to keep this letter strictly secret.",
    "Alois Indra, Drahomir Kolder, Antonin Kapek, Oldrich Svestka, Vasil Bilak.",
];

fn letter() -> Work {
    let mut cs = layer("cs", Some("ru"), &CS);
    cs.gaps.push(Gap {
        inside: false,
        at: None,
        after: 3,
        block: 0,
        reason: "source-incomplete".into(),
        desc: None,
    });
    let mut ru = layer("ru", None, &[]);
    ru.gaps.push(Gap {
        inside: false,
        at: None,
        after: 0,
        block: 0,
        reason: "text-unavailable".into(),
        desc: None,
    });
    work(vec![cs, layer("en", Some("cs"), &EN), ru])
}

fn kinds(e: &EdgeAlignment) -> Vec<(String, UnalignedKind)> {
    e.unaligned
        .iter()
        .map(|u| (u.sentence.clone(), u.kind))
        .collect()
}

#[test]
fn chain_graph_in_derivation_order() {
    let rels = derivation_graph(&letter()).unwrap();
    let ids: Vec<&str> = rels.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rel.ru-cs", "rel.cs-en"]);
    assert_eq!(rels[1].source, "cs");
    assert_eq!(rels[1].derived, "en");
    assert_eq!(rels[1].resp, ["en-tr"]);
    assert_eq!(rels[1].when.as_deref(), Some("1992"));
}

#[test]
fn tree_graph_is_accepted() {
    let w = work(vec![
        layer("en", None, &EN),
        layer("ru", Some("en"), &EN),
        layer("cs", Some("en"), &EN),
    ]);
    let rels = derivation_graph(&w).unwrap();
    let ids: Vec<&str> = rels.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rel.en-cs", "rel.en-ru"]);
    assert_eq!(layer_order(&w, &rels), ["en", "cs", "ru"]);
}

#[test]
fn graph_errors_name_the_problem() {
    let dup = work(vec![layer("cs", None, &CS), layer("cs", None, &CS)]);
    let e = derivation_graph(&dup).unwrap_err().to_string();
    assert!(e.contains("\"cs\"") && e.contains("more than one"), "{e}");

    let missing = work(vec![layer("en", Some("de"), &EN)]);
    let e = derivation_graph(&missing).unwrap_err().to_string();
    assert!(
        e.starts_with("texts/w/en.xml:") && e.contains("\"de\""),
        "{e}"
    );

    let cycle = work(vec![
        layer("a", Some("c"), &CS),
        layer("b", Some("a"), &CS),
        layer("c", Some("b"), &CS),
        layer("d", Some("a"), &CS),
    ]);
    let e = derivation_graph(&cycle).unwrap_err().to_string();
    assert!(e.contains("cycle"), "{e}");
    assert!(e.contains("a → b → c → a"), "{e}");

    let selfish = work(vec![layer("a", Some("a"), &CS)]);
    let e = derivation_graph(&selfish).unwrap_err().to_string();
    assert!(e.contains("a → a"), "{e}");
}

#[test]
fn textless_source_gives_only_source_gaps() {
    let w = letter();
    let rels = derivation_graph(&w).unwrap();
    let mut warn = Vec::new();
    let e = align_edge(
        w.layer("ru").unwrap(),
        w.layer("cs").unwrap(),
        &rels[0],
        None,
        false,
        false,
        &mut warn,
    )
    .unwrap();
    assert!(e.links.is_empty());
    assert_eq!(e.unaligned.len(), 3);
    assert!(
        e.unaligned
            .iter()
            .all(|u| u.kind == UnalignedKind::SourceGap && u.layer == "cs" && u.cert == 1.0)
    );
    assert_eq!(e.unaligned[0].id, "u.ru-cs.1");
    assert!(warn.is_empty());
}

#[test]
fn sentences_after_the_source_gap_are_source_gaps_not_additions() {
    let w = letter();
    let rels = derivation_graph(&w).unwrap();
    let mut warn = Vec::new();
    let e = align_edge(
        w.layer("cs").unwrap(),
        w.layer("en").unwrap(),
        &rels[1],
        None,
        false,
        false,
        &mut warn,
    )
    .unwrap();
    let pairs: Vec<(Vec<String>, Vec<String>)> = e
        .links
        .iter()
        .map(|l| (l.source.clone(), l.derived.clone()))
        .collect();
    assert_eq!(
        pairs,
        [
            (vec!["cs.s1".to_string()], vec!["en.s1".to_string()]),
            (vec!["cs.s2".into()], vec!["en.s2".into()]),
            (vec!["cs.s3".into()], vec!["en.s3".into()]),
        ]
    );
    assert_eq!(
        kinds(&e),
        [
            ("en.s4".to_string(), UnalignedKind::SourceGap),
            ("en.s5".to_string(), UnalignedKind::SourceGap)
        ]
    );
    assert_eq!(e.links[2].id, "a.cs-en.3");

    // The same layers without the gap: the extra sentences are the translator's additions.
    let mut cs = w.layer("cs").unwrap().clone();
    cs.gaps.clear();
    let e = align_edge(
        &cs,
        w.layer("en").unwrap(),
        &rels[1],
        None,
        false,
        false,
        &mut warn,
    )
    .unwrap();
    assert!(
        e.unaligned
            .iter()
            .all(|u| u.kind == UnalignedKind::DerivedOnly)
    );
    assert_eq!(e.unaligned.len(), 2);
}

fn link(id: &str, s: &[&str], d: &[&str]) -> Link {
    Link {
        partial: false,
        id: id.into(),
        source: s.iter().map(|x| x.to_string()).collect(),
        derived: d.iter().map(|x| x.to_string()).collect(),
        cert: 0.9,
        status: LinkStatus::Automatic,
    }
}

fn ptr(id: &str, kind: UnalignedKind, layer: &str, s: &str) -> Unaligned {
    Unaligned {
        id: id.into(),
        kind,
        layer: layer.into(),
        sentence: s.into(),
        cert: 0.5,
        status: LinkStatus::Automatic,
    }
}

fn members(seg: &Segment) -> Vec<(String, Vec<String>)> {
    seg.members
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn composition_of_a_chain_with_a_textless_original() {
    let w = letter();
    let rels = derivation_graph(&w).unwrap();
    use UnalignedKind::*;
    let edges = vec![
        EdgeAlignment {
            relation: "rel.ru-cs".into(),
            links: vec![],
            unaligned: (1..=3)
                .map(|i| {
                    ptr(
                        &format!("u.ru-cs.{i}"),
                        SourceGap,
                        "cs",
                        &format!("cs.s{i}"),
                    )
                })
                .collect(),
        },
        EdgeAlignment {
            relation: "rel.cs-en".into(),
            links: vec![
                link("a.cs-en.1", &["cs.s1"], &["en.s1", "en.s2"]),
                link("a.cs-en.2", &["cs.s3"], &["en.s4"]),
            ],
            unaligned: vec![
                ptr("u.cs-en.1", SourceOnly, "cs", "cs.s2"),
                ptr("u.cs-en.2", DerivedOnly, "en", "en.s3"),
                ptr("u.cs-en.3", SourceGap, "en", "en.s5"),
            ],
        },
    ];
    let segs = compose(&w, &rels, &edges);
    let ids: Vec<&str> = segs.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["seg.1", "seg.2", "seg.3", "seg.4", "seg.5"]);
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // seg.1: cs.s1 + en.s1 en.s2, ru present and empty.
    assert_eq!(
        members(&segs[0]),
        [
            ("cs".to_string(), v(&["cs.s1"])),
            ("en".to_string(), v(&["en.s1", "en.s2"])),
            ("ru".to_string(), v(&[]))
        ]
    );
    assert_eq!(segs[0].chain, ["u.ru-cs.1", "a.cs-en.1"]);
    // cs.s2 (omitted in en) comes before en.s3 (added) — both between seg.1 and cs.s3.
    assert_eq!(segs[1].members["cs"], ["cs.s2"]);
    assert!(segs[1].members["en"].is_empty());
    assert_eq!(segs[1].chain, ["u.ru-cs.2", "u.cs-en.1"]);
    assert_eq!(segs[2].members["en"], ["en.s3"]);
    assert_eq!(segs[2].chain, ["u.cs-en.2"]);
    assert_eq!(segs[3].chain, ["u.ru-cs.3", "a.cs-en.2"]);
    assert_eq!(segs[4].members["en"], ["en.s5"]);
    assert_eq!(segs[4].chain, ["u.cs-en.3"]);
    // Every sentence is in exactly one segment.
    let all: Vec<&String> = segs
        .iter()
        .flat_map(|s| s.members.values().flatten())
        .collect();
    assert_eq!(all.len(), 8);
}

#[test]
fn composition_joins_branches_of_a_tree() {
    // en → ru and en → cs: a segment holds the en sentence with its ru and cs counterparts.
    let w = work(vec![
        layer("en", None, &["E1", "E2", "E3"]),
        layer("ru", Some("en"), &["R1", "R2"]),
        layer("cs", Some("en"), &["C1", "C2", "C3", "C4"]),
    ]);
    let rels = derivation_graph(&w).unwrap();
    let edges = vec![
        // Given in the "wrong" order: compose sorts edges by derivation order itself.
        EdgeAlignment {
            relation: "rel.en-ru".into(),
            links: vec![
                link("a.en-ru.1", &["en.s1", "en.s2"], &["ru.s1"]),
                link("a.en-ru.2", &["en.s3"], &["ru.s2"]),
            ],
            unaligned: vec![],
        },
        EdgeAlignment {
            relation: "rel.en-cs".into(),
            links: vec![
                link("a.en-cs.1", &["en.s1"], &["cs.s1"]),
                link("a.en-cs.2", &["en.s2"], &["cs.s2", "cs.s3"]),
                link("a.en-cs.3", &["en.s3"], &["cs.s4"]),
            ],
            unaligned: vec![],
        },
    ];
    let segs = compose(&w, &rels, &edges);
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[0].members["en"], ["en.s1", "en.s2"]);
    assert_eq!(segs[0].members["ru"], ["ru.s1"]);
    assert_eq!(segs[0].members["cs"], ["cs.s1", "cs.s2", "cs.s3"]);
    assert_eq!(segs[0].chain, ["a.en-cs.1", "a.en-cs.2", "a.en-ru.1"]);
    assert_eq!(segs[1].chain, ["a.en-cs.3", "a.en-ru.2"]);
}

#[test]
fn rerun_on_unchanged_input_changes_nothing() {
    let w = letter();
    let files = BTreeMap::new();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let first = align_work(&w, None, files.clone(), &opts).unwrap();
    assert!(first.changed);
    assert_eq!(first.alignment.changes.len(), 1);
    assert_eq!(first.alignment.changes[0].when, "2026-01-02");
    let again = align_work(
        &w,
        Some(&first.alignment),
        files,
        &WorkOptions::default(), // a different day must not matter
    )
    .unwrap();
    assert!(!again.changed);
    assert_eq!(again.alignment, first.alignment);
    // The agents: the tool first, then the layers' people in derivation order.
    let ids: Vec<&str> = first
        .alignment
        .agents
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["tei-align", "ru-tr", "cs-tr", "en-tr"]);
}

#[test]
fn confirmed_links_survive_and_stale_ones_are_reported() {
    let w = letter();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let mut a = align_work(&w, None, BTreeMap::new(), &opts)
        .unwrap()
        .alignment;
    let verified = LinkStatus::Verified {
        who: "ed".into(),
        when: "2026-01-03".into(),
        digest: None,
    };
    // An editor says: cs.s3 is translated by en.s3 AND en.s4 (which the aligner left alone),
    // and cs.s9 (gone since) matched en.s5.
    let cs_en = &mut a.edges[1];
    cs_en.links.retain(|l| l.id != "a.cs-en.3");
    cs_en.links.push(Link {
        partial: false,
        id: "a.cs-en.3".into(),
        source: vec!["cs.s3".into()],
        derived: vec!["en.s3".into(), "en.s4".into()],
        cert: 1.0,
        status: verified.clone(),
    });
    cs_en.links.push(Link {
        partial: false,
        id: "a.cs-en.9".into(),
        source: vec!["cs.s9".into()],
        derived: vec!["en.s5".into()],
        cert: 1.0,
        status: verified.clone(),
    });
    let r = align_work(&w, Some(&a), BTreeMap::new(), &opts).unwrap();
    let e = &r.alignment.edges[1];
    let kept = e.links.iter().find(|l| l.id == "a.cs-en.3").unwrap();
    assert_eq!(kept.derived, ["en.s3", "en.s4"]);
    assert_eq!(kept.status, verified);
    assert!(e.links.iter().all(|l| l.id != "a.cs-en.9"));
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("a.cs-en.9") && r.warnings[0].contains("cs.s9"));
    // en.s5 is again a source gap; the history records the dropped link.
    assert_eq!(kinds(e), [("en.s5".to_string(), UnalignedKind::SourceGap)]);
    assert!(
        r.alignment
            .changes
            .last()
            .unwrap()
            .desc
            .contains("a.cs-en.9")
    );
    // The editor is declared.
    assert!(r.alignment.agents.iter().any(|x| x.id == "ed"));
    // Strict mode refuses.
    let strict = WorkOptions {
        strict: true,
        ..opts
    };
    let err = align_work(&w, Some(&a), BTreeMap::new(), &strict).unwrap_err();
    assert!(err.to_string().contains("a.cs-en.9"));
}

#[test]
fn confirmed_unaligned_ptr_is_kept_and_not_linked() {
    let w = letter();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let mut a = align_work(&w, None, BTreeMap::new(), &opts)
        .unwrap()
        .alignment;
    let e = &mut a.edges[1];
    e.links.retain(|l| l.source != ["cs.s2"]);
    e.unaligned.push(Unaligned {
        id: "u.cs-en.x".into(),
        kind: UnalignedKind::SourceOnly,
        layer: "cs".into(),
        sentence: "cs.s2".into(),
        cert: 1.0,
        status: LinkStatus::Verified {
            who: "ed".into(),
            when: "2026-01-03".into(),
            digest: None,
        },
    });
    let r = align_work(&w, Some(&a), BTreeMap::new(), &opts).unwrap();
    let e = &r.alignment.edges[1];
    assert!(
        e.links
            .iter()
            .all(|l| !l.source.contains(&"cs.s2".to_string()))
    );
    assert!(
        e.unaligned
            .iter()
            .any(|u| u.id == "u.cs-en.x" && u.sentence == "cs.s2")
    );
    // Every cs and en sentence is covered exactly once on the edge.
    let mut covered: Vec<String> = e
        .links
        .iter()
        .flat_map(|l| l.source.iter().chain(&l.derived).cloned())
        .chain(e.unaligned.iter().map(|u| u.sentence.clone()))
        .collect();
    covered.sort();
    let mut expected: Vec<String> = (1..=3)
        .map(|i| format!("cs.s{i}"))
        .chain((1..=5).map(|i| format!("en.s{i}")))
        .collect();
    expected.sort();
    assert_eq!(covered, expected);
}

#[test]
fn relative_paths_between_directories() {
    assert_eq!(
        relative_path(
            Path::new("alignments/letter-1968"),
            Path::new("texts/letter-1968/cs.xml")
        ),
        "../../texts/letter-1968/cs.xml"
    );
    assert_eq!(
        relative_path(Path::new("/a/b"), Path::new("/a/b/c/../d.xml")),
        "d.xml"
    );
}

#[test]
fn civil_dates() {
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    assert_eq!(civil_from_days(-1), (1969, 12, 31));
}

#[test]
fn agent_order_and_history_people_are_kept() {
    let w = letter();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let mut a = align_work(&w, None, BTreeMap::new(), &opts)
        .unwrap()
        .alignment;
    // Someone reordered the agents and recorded a change by an editor with no links left.
    a.agents.reverse();
    a.agents.push(Agent::new(
        "ed".into(),
        "Eda Editor".into(),
        "editor".into(),
    ));
    a.changes.push(Change {
        id: "ch2".into(),
        status: crate::model::ChangeStatus::Verified,
        who: "ed".into(),
        when: "2026-01-03".into(),
        desc: "Looked at it.".into(),
    });
    let r = align_work(&w, Some(&a), BTreeMap::new(), &opts).unwrap();
    assert!(!r.changed, "nothing but the order changed");
    assert_eq!(r.alignment.agents, a.agents);
    assert!(r.alignment.agents.iter().any(|x| x.name == "Eda Editor"));
}

#[test]
fn high_water_counts_the_mark_the_ids_and_the_history() {
    let w = letter();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let mut a = align_work(&w, None, BTreeMap::new(), &opts)
        .unwrap()
        .alignment;
    let links = a.edges[1].links.len() as u64;
    assert!(links >= 2);
    // A fresh alignment records its own highest numbers.
    assert_eq!(a.id_high_water.get("a.cs-en"), Some(&links));
    assert_eq!(a.id_high_water.get("seg"), Some(&(a.segments.len() as u64)));
    assert_eq!(high_water(&a, "a.cs-en"), links);
    // A recorded mark above the ids wins; so does an id named only in the history.
    a.id_high_water.insert("a.cs-en".into(), 40);
    assert_eq!(high_water(&a, "a.cs-en"), 40);
    a.changes[0].desc.push_str(" Removed a.cs-en.77.");
    assert_eq!(high_water(&a, "a.cs-en"), 77);
    // Other prefixes are not confused with it.
    assert_eq!(high_water(&a, "a.cs"), 0);
    // Re-aligning gives no new id (nothing changed), and keeps the mark.
    let r = align_work(&w, Some(&a), BTreeMap::new(), &opts).unwrap();
    assert_eq!(r.alignment.edges, a.edges);
    assert_eq!(r.alignment.id_high_water.get("a.cs-en"), Some(&77));
}

#[test]
fn recompose_keeps_the_ids_of_unchanged_segments() {
    let w = letter();
    let opts = WorkOptions {
        when: Some("2026-01-02".into()),
        ..Default::default()
    };
    let mut a = align_work(&w, None, BTreeMap::new(), &opts)
        .unwrap()
        .alignment;
    let before = a.segments.clone();
    let n = before.len() as u64;
    // Unlink cs.s1 from its English sentence: its segment splits in two.
    let e = &mut a.edges[1];
    let l1 = e.links.iter().position(|l| l.source == ["cs.s1"]).unwrap();
    let gone = e.links.remove(l1);
    recompose(&w, &mut a);
    let split: Vec<&Segment> = a
        .segments
        .iter()
        .filter(|s| {
            s.members["cs"] == ["cs.s1"] || s.members["en"].iter().any(|x| gone.derived.contains(x))
        })
        .collect();
    assert_eq!(split.len(), 2, "{split:?}");
    for s in &split {
        let k: u64 = s.id.strip_prefix("seg.").unwrap().parse().unwrap();
        assert!(k > n, "{} reuses a number at or below the mark {n}", s.id);
    }
    for s in &a.segments {
        if let Some(old) = before.iter().find(|o| o.members == s.members) {
            assert_eq!(old.id, s.id);
        }
    }
    assert_eq!(a.segments.len(), before.len() + 1);
    assert_eq!(a.id_high_water["seg"], n + 2);
}

/// Which automatic items a re-alignment holds: not those near a change (here a new derived
/// sentence at the end), not those overlapping or crossing a confirmed link.
#[test]
fn undisturbed_automatic_items_are_held_others_are_not() {
    let texts: Vec<String> = (1..=11).map(|k| format!("Sentence {k}.")).collect();
    let t: Vec<&str> = texts.iter().map(String::as_str).collect();
    let cs = layer("cs", None, &t[..10]);
    let en = layer("en", Some("cs"), &t); // en.s11 is new: no item names it
    let link = |id: &str, s: usize, d: usize, status: LinkStatus| Link {
        partial: false,
        id: id.into(),
        source: vec![format!("cs.s{s}")],
        derived: vec![format!("en.s{d}")],
        cert: 0.9,
        status,
    };
    let mut links: Vec<Link> = (1..=10)
        .map(|k| link(&format!("a.{k}"), k, k, LinkStatus::Automatic))
        .collect();
    let confirmed = link(
        "a.c",
        4,
        6,
        LinkStatus::Verified {
            who: "eva".into(),
            when: "2026".into(),
            digest: None,
        },
    );
    links.push(confirmed.clone());
    let old = EdgeAlignment {
        relation: "rel.cs-en".into(),
        links,
        unaligned: vec![],
    };
    fn idx(l: &Layer) -> HashMap<&str, usize> {
        l.sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect()
    }
    let (ci, ei) = (idx(&cs), idx(&en));
    let fixed = vec![(
        Bead {
            src: vec![3],
            tgt: vec![5],
            confidence: 1.0,
        },
        confirmed,
    )];
    let (taken_src, taken_der) = (HashSet::from([3]), HashSet::from([5]));
    let (held, ptrs) = undisturbed_automatic(
        &old,
        (&cs, &ci),
        (&en, &ei),
        &fixed,
        (&taken_src, &taken_der),
    );
    let ids: Vec<&str> = held.iter().map(|(_, l)| l.id.as_str()).collect();
    // a.4 shares cs.s4 and a.6 shares en.s6 with the confirmed link, a.5 crosses it; a.9 and
    // a.10 lie within 2 sentences of the new en.s11.
    assert_eq!(ids, ["a.1", "a.2", "a.3", "a.c", "a.7", "a.8"]);
    assert!(ptrs.is_empty());
}

#[test]
fn one_derivation_order_puts_a_layer_after_both_its_sources() {
    // de was translated from en with cs at hand: two sources. Every reader of the graph must
    // place it after both, whatever order the relations come in.
    let rel = |s: &str, d: &str| Relation {
        id: relation_id(s, d),
        source: s.into(),
        derived: d.into(),
        kind: crate::model::DerivationKind::Translation,
        resp: vec![],
        when: None,
    };
    let ids: Vec<String> = ["cs", "de", "en", "ru"].map(String::from).to_vec();
    for rels in [
        vec![
            rel("ru", "cs"),
            rel("cs", "en"),
            rel("en", "de"),
            rel("cs", "de"),
        ],
        vec![
            rel("cs", "de"),
            rel("en", "de"),
            rel("cs", "en"),
            rel("ru", "cs"),
        ],
    ] {
        let order = derivation_order(&ids, &rels);
        let at = |id: &str| order.iter().position(|o| o == id).unwrap();
        assert!(
            at("ru") < at("cs") && at("cs") < at("en") && at("en") < at("de"),
            "{order:?}"
        );
    }
}
