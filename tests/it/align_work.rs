//! `tei-align align` on small fixture works: the chain ru → cs → en with a textless original and a
//! source gap, a tree (en → cs, en → ru), the graph errors, byte-identical re-runs and confirmed
//! links that survive re-alignment.

use crate::common;

use assert_cmd::prelude::*;
use common::{assert_valid_tei as jing, tei_align};
use std::path::Path;
use tei_align::model::{LinkStatus, UnalignedKind, WorkAlignment};
use tei_align::tei::standoff::{read_alignment, write_alignment};

/// A temp dir holding `texts/<name>` copied from the fixture `tests/fixtures/work/<fixture>`.
fn setup(fixture: &str, name: &str) -> tempfile::TempDir {
    common::temp_work_all(&common::fixture(&format!("work/{fixture}")), name)
}

fn align(dir: &Path, work: &str) -> WorkAlignment {
    tei_align(dir)
        .args(["align", &format!("texts/{work}"), "--when", "2026-01-01"])
        .assert()
        .success();
    read_alignment(&dir.join(format!("alignments/{work}/alignment.xml"))).unwrap()
}

fn pairs(a: &WorkAlignment, rel: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let e = a.edges.iter().find(|e| e.relation == rel).unwrap();
    e.links
        .iter()
        .map(|l| (l.source.clone(), l.derived.clone()))
        .collect()
}

fn ids(prefix: &str, r: std::ops::RangeInclusive<usize>) -> Vec<String> {
    r.map(|i| format!("{prefix}.s{i}")).collect()
}

#[test]
fn chain_with_textless_original_and_source_gap() {
    let dir = setup("chain", "letter");
    let a = align(dir.path(), "letter");
    let file = dir.path().join("alignments/letter/alignment.xml");
    jing(&file);

    let rels: Vec<(&str, &str, &str)> = a
        .relations
        .iter()
        .map(|r| (r.id.as_str(), r.source.as_str(), r.derived.as_str()))
        .collect();
    assert_eq!(rels, [("rel.ru-cs", "ru", "cs"), ("rel.cs-en", "cs", "en")]);
    assert_eq!(a.layer_files["cs"], "../../texts/letter/cs.xml");

    // ru has no text: no links, every cs sentence is a source gap on that edge.
    let ru_cs = &a.edges[0];
    assert!(ru_cs.links.is_empty());
    let gap: Vec<&str> = ru_cs
        .unaligned
        .iter()
        .map(|u| u.sentence.as_str())
        .collect();
    assert_eq!(gap, ids("cs", 1..=7));
    assert!(
        ru_cs
            .unaligned
            .iter()
            .all(|u| u.kind == UnalignedKind::SourceGap)
    );

    // cs → en: sentence k ↔ sentence k (checked by reading the fixture), then the English
    // closing paragraph and signatures stand where the Czech breaks off: source gaps.
    let expected: Vec<(Vec<String>, Vec<String>)> = (1..=7)
        .map(|k| (vec![format!("cs.s{k}")], vec![format!("en.s{k}")]))
        .collect();
    assert_eq!(pairs(&a, "rel.cs-en"), expected);
    let cs_en = &a.edges[1];
    let tail: Vec<(&str, UnalignedKind)> = cs_en
        .unaligned
        .iter()
        .map(|u| (u.sentence.as_str(), u.kind))
        .collect();
    assert_eq!(
        tail,
        [
            ("en.s8", UnalignedKind::SourceGap),
            ("en.s9", UnalignedKind::SourceGap),
            ("en.s10", UnalignedKind::SourceGap)
        ]
    );
    assert!(cs_en.links.iter().all(|l| (0.0..=1.0).contains(&l.cert)));

    // Segments: one per English sentence, ru present (empty) in each, chains through ru → cs.
    assert_eq!(a.segments.len(), 10);
    assert!(a.segments.iter().all(|s| s.members["ru"].is_empty()));
    assert_eq!(a.segments[0].chain, ["u.ru-cs.1", "a.cs-en.1"]);
    assert_eq!(a.segments[9].members["en"], ["en.s10"]);
    assert!(a.segments[9].members["cs"].is_empty());
    assert_eq!(a.segments[9].chain, ["u.cs-en.3"]);
    // The agents of every layer and the tool are declared.
    for id in ["tei-align", "kramer", "cs.translator", "signatories"] {
        assert!(a.agents.iter().any(|x| x.id == id), "{id}");
    }
}

#[test]
fn rerun_on_unchanged_input_is_byte_identical() {
    let dir = setup("chain", "letter");
    align(dir.path(), "letter");
    let file = dir.path().join("alignments/letter/alignment.xml");
    let first = std::fs::read(&file).unwrap();
    // No --when: a later day must not change anything when nothing changed.
    let out = tei_align(dir.path())
        .args(["align", "texts/letter"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("(unchanged)"));
    assert_eq!(std::fs::read(&file).unwrap(), first);
    // Also with an explicit --out elsewhere, twice.
    for _ in 0..2 {
        tei_align(dir.path())
            .args([
                "align",
                "texts/letter",
                "--out",
                "x/a.xml",
                "--when",
                "2026-02-02",
            ])
            .assert()
            .success();
    }
    let other = std::fs::read_to_string(dir.path().join("x/a.xml")).unwrap();
    assert!(other.contains("target=\"../texts/letter/cs.xml#cs.s1 ../texts/letter/en.xml#en.s1\""));
    assert_eq!(other.matches("<change ").count(), 1);
}

#[test]
fn tree_graph_en_to_cs_and_ru() {
    let dir = setup("tree", "udhr");
    let a = align(dir.path(), "udhr");
    jing(&dir.path().join("alignments/udhr/alignment.xml"));
    let rels: Vec<&str> = a.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rels, ["rel.en-cs", "rel.en-ru"]);
    for (rel, l) in [("rel.en-cs", "cs"), ("rel.en-ru", "ru")] {
        let expected: Vec<(Vec<String>, Vec<String>)> = (1..=5)
            .map(|k| (vec![format!("en.s{k}")], vec![format!("{l}.s{k}")]))
            .collect();
        assert_eq!(pairs(&a, rel), expected, "{rel}");
    }
    assert_eq!(a.segments.len(), 5);
    let s2 = &a.segments[1];
    assert_eq!(s2.members["en"], ["en.s2"]);
    assert_eq!(s2.members["cs"], ["cs.s2"]);
    assert_eq!(s2.members["ru"], ["ru.s2"]);
    assert_eq!(s2.chain, ["a.en-cs.2", "a.en-ru.2"]);
}

/// Run align and expect a failure naming `needle`, with no alignment file written.
fn fails(dir: &Path, work: &str, needle: &str) {
    let out = tei_align(dir)
        .args(["align", &format!("texts/{work}")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(!dir.join("alignments").exists());
}

#[test]
fn cycle_is_an_error() {
    let dir = setup("chain", "letter");
    let ru = dir.path().join("texts/letter/ru.xml");
    let text = std::fs::read_to_string(&ru).unwrap().replace(
        "      </sourceDesc>",
        "        <listRelation type=\"derivation\"><relation name=\"translation\" active=\"#layer.ru\" passive=\"en.xml#layer.en\"/></listRelation>\n      </sourceDesc>",
    );
    std::fs::write(&ru, text).unwrap();
    fails(dir.path(), "letter", "cycle");
}

#[test]
fn missing_source_is_an_error() {
    let dir = setup("chain", "letter");
    std::fs::remove_file(dir.path().join("texts/letter/ru.xml")).unwrap();
    fails(dir.path(), "letter", "\"ru\"");
}

#[test]
fn duplicate_layer_is_an_error() {
    let dir = setup("chain", "letter");
    let d = dir.path().join("texts/letter");
    std::fs::copy(d.join("cs.xml"), d.join("cs2.xml")).unwrap();
    fails(dir.path(), "letter", "cs");
}

#[test]
fn missing_work_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fails(dir.path(), "nowhere", "nowhere");
}

#[test]
fn confirmed_links_survive_a_rerun() {
    let dir = setup("chain", "letter");
    let mut a = align(dir.path(), "letter");
    let file = dir.path().join("alignments/letter/alignment.xml");
    // An editor decides that cs.s7 (cut off) covers en.s7 and en.s8.
    let verified = LinkStatus::Verified {
        who: "editor".into(),
        when: "2026-03-04T05:06:07Z".into(),
        digest: None,
    };
    let e = &mut a.edges[1];
    let l = e.links.iter_mut().find(|l| l.id == "a.cs-en.7").unwrap();
    l.derived = vec!["en.s7".into(), "en.s8".into()];
    l.cert = 1.0;
    l.status = verified.clone();
    e.unaligned.retain(|u| u.sentence != "en.s8");
    // And confirms that cs.s2 ↔ en.s2 as the aligner had it.
    let l2 = e.links.iter_mut().find(|l| l.id == "a.cs-en.2").unwrap();
    l2.status = verified.clone();
    write_alignment(&file, &a).unwrap();

    let b = align(dir.path(), "letter");
    let e = &b.edges[1];
    let l = e.links.iter().find(|l| l.id == "a.cs-en.7").unwrap();
    assert_eq!(l.source, ["cs.s7"]);
    assert_eq!(l.derived, ["en.s7", "en.s8"]);
    assert_eq!(l.status, verified);
    assert_eq!(l.cert, 1.0);
    let l2 = e.links.iter().find(|l| l.id == "a.cs-en.2").unwrap();
    assert_eq!(l2.status, verified);
    let gaps: Vec<&str> = e.unaligned.iter().map(|u| u.sentence.as_str()).collect();
    assert_eq!(gaps, ["en.s9", "en.s10"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("status=\"verified\" who=\"#editor\" when=\"2026-03-04T05:06:07Z\""));
    jing(&file);
    // Nothing changed since: a third run leaves the file as it is.
    let before = std::fs::read(&file).unwrap();
    tei_align(dir.path())
        .args(["align", "texts/letter"])
        .assert()
        .success();
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn confirmed_link_to_a_deleted_sentence_is_reported() {
    let dir = setup("chain", "letter");
    let mut a = align(dir.path(), "letter");
    let file = dir.path().join("alignments/letter/alignment.xml");
    let l = a.edges[1]
        .links
        .iter_mut()
        .find(|l| l.id == "a.cs-en.3")
        .unwrap();
    l.status = LinkStatus::Verified {
        who: "editor".into(),
        when: "2026-03-04".into(),
        digest: None,
    };
    write_alignment(&file, &a).unwrap();
    // The editor deletes cs.s3 from the Czech text.
    let cs = dir.path().join("texts/letter/cs.xml");
    let text = std::fs::read_to_string(&cs).unwrap().replace(
        " <s xml:id=\"cs.s3\">Sama existence socialismu v naší zemi je ohrožena.</s>",
        "",
    );
    std::fs::write(&cs, text).unwrap();

    // --strict refuses and leaves the file alone.
    let before = std::fs::read(&file).unwrap();
    let out = tei_align(dir.path())
        .args(["align", "texts/letter", "--strict"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("a.cs-en.3"));
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Without it: a warning naming the link, and the history says so.
    let out = tei_align(dir.path())
        .args(["align", "texts/letter", "--when", "2026-03-05"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("a.cs-en.3") && err.contains("cs.s3"),
        "{err}"
    );
    let b = read_alignment(&file).unwrap();
    assert!(b.changes.last().unwrap().desc.contains("a.cs-en.3"));
    assert!(
        b.edges[1]
            .links
            .iter()
            .all(|l| !l.source.contains(&"cs.s3".to_string()))
    );
}

#[test]
fn unreadable_existing_alignment_is_not_overwritten() {
    let dir = setup("chain", "letter");
    let file = dir.path().join("alignments/letter/alignment.xml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "<TEI><oops></TEI>").unwrap();
    let out = tei_align(dir.path())
        .args(["align", "texts/letter"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("alignment.xml:1:"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "<TEI><oops></TEI>");
    // --fresh starts over.
    tei_align(dir.path())
        .args(["align", "texts/letter", "--fresh"])
        .assert()
        .success();
    assert!(read_alignment(&file).is_ok());
}

#[test]
fn gap_inside_the_source_is_a_source_gap() {
    // The letter with cs.s9–cs.s11 replaced by a <gap> (and the real break at the end).
    let dir = setup("gap-mid", "letter");
    let a = align(dir.path(), "letter");
    jing(&dir.path().join("alignments/letter/alignment.xml"));
    let expected: Vec<(Vec<String>, Vec<String>)> = (1..=16)
        .filter(|k| !(9..=11).contains(k))
        .map(|k| (vec![format!("cs.s{k}")], vec![format!("en.s{k}")]))
        .collect();
    assert_eq!(pairs(&a, "rel.cs-en"), expected);
    let gaps: Vec<(String, UnalignedKind)> = a.edges[1]
        .unaligned
        .iter()
        .map(|u| (u.sentence.clone(), u.kind))
        .collect();
    let want: Vec<(String, UnalignedKind)> = [9, 10, 11, 17, 18, 19, 20, 21, 22]
        .iter()
        .map(|k| (format!("en.s{k}"), UnalignedKind::SourceGap))
        .collect();
    assert_eq!(gaps, want);
}

#[test]
fn gaps_at_the_start_inside_and_at_the_end() {
    // The gap-mid letter with its first three Czech sentences lost as well.
    let dir = setup("gap-mid", "letter");
    let cs = dir.path().join("texts/letter/cs.xml");
    let mut text = std::fs::read_to_string(&cs).unwrap();
    for k in 1..=3 {
        let open = format!("<s xml:id=\"cs.s{k}\">");
        let start = text.find(&open).unwrap();
        let end = start + text[start..].find("</s>").unwrap() + "</s>".len();
        let gap = if k == 1 { "<gap reason=\"lost\"/>" } else { "" };
        text.replace_range(start..end, gap);
    }
    std::fs::write(&cs, text).unwrap();
    let a = align(dir.path(), "letter");
    let expected: Vec<(Vec<String>, Vec<String>)> = (4..=16)
        .filter(|k| !(9..=11).contains(k))
        .map(|k| (vec![format!("cs.s{k}")], vec![format!("en.s{k}")]))
        .collect();
    assert_eq!(pairs(&a, "rel.cs-en"), expected);
    let gaps: Vec<String> = a.edges[1]
        .unaligned
        .iter()
        .map(|u| {
            assert_eq!(u.kind, UnalignedKind::SourceGap, "{}", u.sentence);
            u.sentence.clone()
        })
        .collect();
    assert_eq!(
        gaps,
        ids("en", 1..=3)
            .into_iter()
            .chain(ids("en", 9..=11))
            .chain(ids("en", 17..=22))
            .collect::<Vec<_>>()
    );
}
