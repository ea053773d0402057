use super::testdata::{alignment, ids, work};
use super::*;
use crate::model::{EdgeAlignment, UnalignedKind};

const WHEN: &str = "2026-11-25T10:00:00Z";

fn edge<'a>(al: &'a WorkAlignment, rel: &str) -> &'a EdgeAlignment {
    al.edges.iter().find(|e| e.relation == rel).unwrap()
}

/// Every sentence of both layers of the edge is covered exactly once.
fn assert_covered_once(w: &Work, al: &WorkAlignment, rel: &str) {
    let r = al.relations.iter().find(|r| r.id == rel).unwrap();
    let e = edge(al, rel);
    for (layer, side) in [(&r.source, true), (&r.derived, false)] {
        for s in &w.layer(layer).unwrap().sentences {
            let in_links = e
                .links
                .iter()
                .filter(|l| {
                    if side {
                        l.source.contains(&s.id)
                    } else {
                        l.derived.contains(&s.id)
                    }
                })
                .count();
            let in_ptrs = e
                .unaligned
                .iter()
                .filter(|u| &u.layer == layer && u.sentence == s.id)
                .count();
            assert_eq!(
                in_links + in_ptrs,
                1,
                "{} covered {} times",
                s.id,
                in_links + in_ptrs
            );
        }
    }
}

#[test]
fn confirming_an_existing_link_marks_it_verified_and_records_a_change() {
    let w = work();
    let mut al = alignment();
    let out = link(&w, &mut al, &ids(&["en.s3", "cs.s2", "en.s2"]), "eva", WHEN).unwrap();
    assert!(out.confirmed_existing);
    assert_eq!(out.link, "a.cs-en.2");
    let l = &edge(&al, "rel.cs-en").links[1];
    // Confirmed on the text of its sentences as they read now.
    let idx = SentenceIndex::new(&w);
    let digest = crate::provenance::digest::current_digest(&idx, &["cs.s2", "en.s2", "en.s3"]);
    assert!(digest.is_some());
    assert_eq!(
        l.status,
        LinkStatus::Verified {
            who: "eva".into(),
            when: WHEN.into(),
            digest,
        }
    );
    let ch = al.changes.last().unwrap();
    assert_eq!(
        (ch.status.as_str(), ch.who.as_str(), ch.when.as_str()),
        ("verified", "eva", WHEN)
    );
    assert!(ch.desc.contains("a.cs-en.2"));
    assert!(
        al.agents
            .iter()
            .any(|a| a.id == "eva" && a.role == "editor")
    );
    assert_eq!(al.edges[1].links.len(), 4);
}

#[test]
fn creating_a_link_replaces_overlapping_links_and_orphans_their_leftovers() {
    let w = work();
    let mut al = alignment();
    // cs.s2 ↔ en.s2 only: a.cs-en.2 (cs.s2 ↔ en.s2 en.s3) goes, en.s3 is left over.
    let out = link(&w, &mut al, &ids(&["cs.s2", "en.s2"]), "eva", WHEN).unwrap();
    assert!(!out.confirmed_existing);
    assert_eq!(out.link, "a.cs-en.5", "a fresh id, never a reused one");
    assert_eq!(out.removed, vec![("a.cs-en.2".to_string(), false)]);
    assert_eq!(out.orphaned, vec!["en.s3".to_string()]);
    let e = edge(&al, "rel.cs-en");
    let new = e.links.iter().find(|l| l.id == "a.cs-en.5").unwrap();
    assert_eq!(
        (new.source.clone(), new.derived.clone()),
        (ids(&["cs.s2"]), ids(&["en.s2"]))
    );
    assert!(matches!(new.status, LinkStatus::Verified { .. }));
    // Links stay in document order.
    let order: Vec<&str> = e.links.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(order, ["a.cs-en.1", "a.cs-en.5", "a.cs-en.3", "a.cs-en.4"]);
    let orphan = e.unaligned.iter().find(|u| u.sentence == "en.s3").unwrap();
    assert_eq!(orphan.kind, UnalignedKind::DerivedOnly);
    assert_eq!(orphan.status, LinkStatus::Automatic);
    assert_covered_once(&w, &al, "rel.cs-en");
}

#[test]
fn linking_an_unaligned_sentence_removes_its_ptr() {
    let w = work();
    let mut al = alignment();
    // cs.s4 cs.s5 ↔ en.s5: a 2-1 replacing a.cs-en.4 and the source-only ptr of cs.s5.
    let out = link(&w, &mut al, &ids(&["cs.s4", "cs.s5", "en.s5"]), "eva", WHEN).unwrap();
    assert_eq!(out.removed, vec![("a.cs-en.4".to_string(), false)]);
    assert!(out.orphaned.is_empty());
    let e = edge(&al, "rel.cs-en");
    assert!(!e.unaligned.iter().any(|u| u.sentence == "cs.s5"));
    assert_eq!(e.links.last().unwrap().kind(), "2-1");
    assert_covered_once(&w, &al, "rel.cs-en");
}

#[test]
fn crossing_links_are_rejected_and_nothing_changes() {
    let w = work();
    let mut al = alignment();
    let before = al.clone();
    // cs.s1 ↔ en.s4 would cross a.cs-en.2 (cs.s2 ↔ en.s2 en.s3).
    let err = link(&w, &mut al, &ids(&["cs.s1", "en.s4"]), "eva", WHEN).unwrap_err();
    assert!(matches!(err, ReviewError::Crossing(_)), "{err}");
    assert!(err.to_string().contains("a.cs-en.2"), "{err}");
    assert_eq!(al, before);
}

#[test]
fn unknown_ids_layers_without_edge_and_gaps_are_rejected() {
    let w = work();
    let mut al = alignment();
    let err = link(&w, &mut al, &ids(&["cs.s1", "en.s99"]), "eva", WHEN).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown sentence id 'en.s99' (not in any layer of the work)"
    );
    // Same layer only.
    let err = link(&w, &mut al, &ids(&["cs.s1", "cs.s2"]), "eva", WHEN).unwrap_err();
    assert!(matches!(err, ReviewError::NoEdge(_)), "{err}");
    // Non-consecutive run.
    let err = link(&w, &mut al, &ids(&["cs.s1", "cs.s3", "en.s1"]), "eva", WHEN).unwrap_err();
    assert!(err.to_string().contains("not consecutive"), "{err}");
    // ru and en are not joined by an edge (ru → cs → en); give ru a sentence to try.
    let mut w2 = w.clone();
    w2.layers[2].sentences.push(crate::model::Sentence {
        id: "ru.s1".into(),
        text: "x".into(),
        block: 0,
        line: 1,
    });
    let err = link(&w2, &mut al, &ids(&["ru.s1", "en.s1"]), "eva", WHEN).unwrap_err();
    assert_eq!(
        err.to_string(),
        "layers en and ru are not joined by a derivation edge"
    );
    assert_eq!(al, alignment());
}

#[test]
fn unlink_turns_sentences_into_confirmed_unaligned_ptrs() {
    let w = work();
    let mut al = alignment();
    let out = unlink(&w, &mut al, &ids(&["en.s3"]), "eva", WHEN).unwrap();
    assert_eq!(out.link, "a.cs-en.2");
    assert_eq!(out.unaligned, ids(&["cs.s2", "en.s2", "en.s3"]));
    let e = edge(&al, "rel.cs-en");
    assert!(!e.links.iter().any(|l| l.id == "a.cs-en.2"));
    for s in ["cs.s2", "en.s2", "en.s3"] {
        let u = e.unaligned.iter().find(|u| u.sentence == s).unwrap();
        assert!(matches!(u.status, LinkStatus::Verified { .. }));
        assert!(u.id.starts_with("u.cs-en."));
        assert_ne!(u.id, "u.cs-en.1");
        assert_ne!(u.id, "u.cs-en.2");
    }
    assert_covered_once(&w, &al, "rel.cs-en");
    // By link id too.
    unlink(&w, &mut al, &ids(&["a.cs-en.1"]), "eva", WHEN).unwrap();
    assert_eq!(edge(&al, "rel.cs-en").links.len(), 2);
    // A sentence in no link.
    let err = unlink(&w, &mut al, &ids(&["cs.s5"]), "eva", WHEN).unwrap_err();
    assert!(err.to_string().contains("no link holds"), "{err}");
}

#[test]
fn removed_ids_are_never_reused() {
    let w = work();
    let mut al = alignment();
    unlink(&w, &mut al, &ids(&["a.cs-en.4"]), "eva", WHEN).unwrap();
    // The highest link id is now a.cs-en.3, but a.cs-en.4 is mentioned in the change history.
    let out = link(&w, &mut al, &ids(&["cs.s4", "en.s5"]), "eva", WHEN).unwrap();
    assert_ne!(out.link, "a.cs-en.4");
}

#[test]
fn status_counts_confirmed_automatic_and_doubtful() {
    let w = work();
    let mut al = alignment();
    let st = status(&al);
    let cs_en = st.iter().find(|s| s.relation == "rel.cs-en").unwrap();
    assert_eq!(
        (cs_en.confirmed, cs_en.automatic, cs_en.doubtful),
        (0, 4, 1)
    );
    assert_eq!(
        (cs_en.unaligned_confirmed, cs_en.unaligned_automatic),
        (0, 2)
    );
    link(&w, &mut al, &ids(&["cs.s3", "en.s4"]), "eva", WHEN).unwrap();
    let st = status(&al);
    let cs_en = st.iter().find(|s| s.relation == "rel.cs-en").unwrap();
    assert_eq!(
        (cs_en.confirmed, cs_en.automatic, cs_en.doubtful),
        (1, 3, 0)
    );
    // 1 of 6 items on cs-en, 1 of 11 overall (5 ptrs on ru-cs).
    assert!((cs_en.progress() - 100.0 / 6.0).abs() < 1e-9);
    assert!((overall_progress(&st) - 100.0 / 11.0).abs() < 1e-9);
}

#[test]
fn iso_dates_are_right() {
    assert_eq!(iso_from_unix(0), "1970-01-01T00:00:00Z");
    // 2000-02-29 12:34:56 UTC (a leap day) = 951827696.
    assert_eq!(iso_from_unix(951_827_696), "2000-02-29T12:34:56Z");
    assert!(now_iso().starts_with("20"));
}

#[test]
fn confirming_unaligned_sentences_marks_their_ptrs_verified() {
    let w = work();
    let mut al = alignment();
    // cs.s5 is unaligned on ru-cs (no Russian text) and on cs-en: ambiguous without --edge.
    let err = confirm_unaligned(&w, &mut al, &ids(&["cs.s5"]), None, "eva", WHEN).unwrap_err();
    assert!(
        err.to_string().contains("several edges (ru-cs, cs-en)"),
        "{err}"
    );
    let out = confirm_unaligned(&w, &mut al, &ids(&["cs.s5"]), Some("cs-en"), "eva", WHEN).unwrap();
    assert_eq!(
        (out.relation.as_str(), out.ptrs.clone()),
        ("rel.cs-en", ids(&["u.cs-en.1"]))
    );
    let u = &edge(&al, "rel.cs-en").unaligned[0];
    let digest = crate::provenance::digest::current_digest(&SentenceIndex::new(&w), &["cs.s5"]);
    assert!(digest.is_some());
    assert_eq!(
        u.status,
        LinkStatus::Verified {
            who: "eva".into(),
            when: WHEN.into(),
            digest,
        }
    );
    assert!(
        al.changes
            .last()
            .unwrap()
            .desc
            .contains("cs.s5 has no counterpart")
    );
    // en.s6 is only on cs-en.
    confirm_unaligned(&w, &mut al, &ids(&["en.s6"]), None, "eva", WHEN).unwrap();
    // A linked sentence is not unaligned.
    let err = confirm_unaligned(&w, &mut al, &ids(&["en.s1"]), None, "eva", WHEN).unwrap_err();
    assert!(err.to_string().contains("a link holds"), "{err}");
    let st = status(&al);
    assert_eq!(st[1].unaligned_confirmed, 2);
}

#[test]
fn a_derived_sentence_left_over_after_the_source_breaks_off_is_a_source_gap() {
    let mut w = work();
    let mut al = alignment();
    // First make cs.s5 ↔ en.s5 en.s6, then narrow it to cs.s5 ↔ en.s5: en.s6 is left over.
    link(&w, &mut al, &ids(&["cs.s5", "en.s5", "en.s6"]), "eva", WHEN).unwrap();
    let mut no_gap = al.clone();
    link(&w, &mut no_gap, &ids(&["cs.s5", "en.s5"]), "eva", WHEN).unwrap();
    let u = edge(&no_gap, "rel.cs-en")
        .unaligned
        .iter()
        .find(|u| u.sentence == "en.s6")
        .unwrap();
    assert_eq!(
        u.kind,
        UnalignedKind::DerivedOnly,
        "the Czech goes on: an addition"
    );
    // The Czech witness breaks off after its fifth sentence.
    w.layers[0].gaps.push(crate::model::Gap {
        inside: false,
        at: None,
        after: 5,
        block: 2,
        reason: "source-incomplete".into(),
        desc: None,
    });
    link(&w, &mut al, &ids(&["cs.s5", "en.s5"]), "eva", WHEN).unwrap();
    let u = edge(&al, "rel.cs-en")
        .unaligned
        .iter()
        .find(|u| u.sentence == "en.s6")
        .unwrap();
    assert_eq!(u.kind, UnalignedKind::SourceGap);
    assert_covered_once(&w, &al, "rel.cs-en");
}

#[test]
fn a_new_link_never_takes_the_id_of_the_link_it_replaces() {
    let w = work();
    let mut al = alignment();
    // a.cs-en.4 (cs.s4 ↔ en.s5) holds the highest number; replacing it must not reuse it, nor
    // the id of the ptr of cs.s5 it absorbs.
    let out = link(&w, &mut al, &ids(&["cs.s4", "cs.s5", "en.s5"]), "eva", WHEN).unwrap();
    assert_eq!(out.removed[0].0, "a.cs-en.4");
    assert_eq!(out.link, "a.cs-en.5");
    let out = link(&w, &mut al, &ids(&["cs.s4", "en.s5"]), "eva", WHEN).unwrap();
    assert_eq!(out.link, "a.cs-en.6");
    let u = edge(&al, "rel.cs-en")
        .unaligned
        .iter()
        .find(|u| u.sentence == "cs.s5")
        .unwrap();
    assert_eq!(
        u.id, "u.cs-en.3",
        "u.cs-en.1 (the old ptr of cs.s5) is not reused"
    );
}

/// Recomposing only the segments an edit touched gives what composing them all gives: the same
/// segments and the same file, after each step of a sequence of links and unlinks.
mod incremental_recompose {
    use super::super::testdata::{self, alignment, work};
    use super::*;
    use crate::model::{Derivation, DerivationKind};
    use crate::provenance::{WorkOptions, align_work, recompose, recompose_full};
    use crate::tei::standoff::to_tei;
    use proptest::prelude::*;

    /// A segment as the file says it: id, members by layer, chain.
    type Said = (String, Vec<(String, Vec<String>)>, Vec<String>);

    /// Segments as the file says them: the layers without a sentence left out.
    fn said(al: &WorkAlignment) -> Vec<Said> {
        al.segments
            .iter()
            .map(|s| {
                let m = s.members.iter().filter(|(_, v)| !v.is_empty());
                let m = m.map(|(k, v)| (k.clone(), v.clone())).collect();
                (s.id.clone(), m, s.chain.clone())
            })
            .collect()
    }

    /// Recompose `al` both ways, check that they agree, and keep the incremental one.
    fn recompose_checked(w: &Work, al: &mut WorkAlignment) {
        let mut full = al.clone();
        recompose_full(w, &mut full);
        recompose(w, al);
        assert_eq!(said(al), said(&full));
        assert_eq!(al.id_high_water, full.id_high_water);
        assert_eq!(to_tei(al), to_tei(&full));
    }

    /// a (8 sentences) → b (9) → c (7), aligned: three layers, so segments join two edges.
    fn chain_work() -> (Work, WorkAlignment) {
        let texts: Vec<String> = (1..=9).map(|k| format!("Sentence {k} here.")).collect();
        let t: Vec<&str> = texts.iter().map(String::as_str).collect();
        let from = |s: &str| {
            Some(Derivation {
                source: s.into(),
                kind: DerivationKind::Translation,
                resp: vec![],
                when: None,
                note: None,
            })
        };
        let w = Work {
            id: "chain".into(),
            dir: "/nonexistent/texts/chain".into(),
            layers: vec![
                testdata::layer("a", "cs", &t[..8], None),
                testdata::layer("b", "en", &t, from("a")),
                testdata::layer("c", "de", &t[..7], from("b")),
            ],
        };
        let files = ["a", "b", "c"]
            .iter()
            .map(|l| (l.to_string(), format!("../../texts/chain/{l}.xml")))
            .collect();
        let opts = WorkOptions {
            when: Some("2026-11-30".into()),
            ..WorkOptions::default()
        };
        let al = align_work(&w, None, files, &opts).unwrap().alignment;
        (w, al)
    }

    /// One step of an editing session, chosen by numbers: link a source and a derived
    /// sentence of an edge, or unlink a link of an edge.
    fn step(w: &Work, al: &mut WorkAlignment, (kind, e, x, y): (bool, usize, usize, usize)) {
        let ei = e % al.edges.len();
        let rel = al.relations.iter().find(|r| r.id == al.edges[ei].relation);
        let Some(rel) = rel.cloned() else { return };
        let (Some(src), Some(der)) = (w.layer(&rel.source), w.layer(&rel.derived)) else {
            return;
        };
        if kind && !src.sentences.is_empty() && !der.sentences.is_empty() {
            let s = &src.sentences[x % src.sentences.len()].id;
            let d = &der.sentences[y % der.sentences.len()].id;
            // A crossing link is refused, and then nothing changed.
            let _ = link(w, al, &[s.clone(), d.clone()], "ed", WHEN);
        } else if !al.edges[ei].links.is_empty() {
            let id = al.edges[ei].links[x % al.edges[ei].links.len()].id.clone();
            unlink(w, al, &[id], "ed", WHEN).unwrap();
        }
        recompose_checked(w, al);
    }

    #[test]
    fn link_and_unlink_on_the_fixtures() {
        let w = work();
        let mut al = alignment();
        recompose_full(&w, &mut al);
        link(&w, &mut al, &ids(&["cs.s3", "en.s4"]), "ed", WHEN).unwrap();
        recompose_checked(&w, &mut al);
        unlink(&w, &mut al, &ids(&["cs.s1"]), "ed", WHEN).unwrap();
        recompose_checked(&w, &mut al);
        link(&w, &mut al, &ids(&["cs.s1", "en.s1", "en.s2"]), "ed", WHEN).unwrap();
        recompose_checked(&w, &mut al);
        let (w, mut al) = chain_work();
        for s in [
            (true, 0, 2, 4),
            (false, 1, 3, 0),
            (true, 1, 5, 5),
            (false, 0, 0, 0),
        ] {
            step(&w, &mut al, s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn random_editing_sessions(
            steps in proptest::collection::vec((any::<bool>(), 0..4usize, 0..12usize, 0..12usize), 1..8)
        ) {
            let (w, mut al) = chain_work();
            for s in steps {
                step(&w, &mut al, s);
            }
        }
    }
}
