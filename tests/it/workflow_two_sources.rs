//! A layer with several sources (issue 4): the Russian of `tests/fixtures/work/two-sources` is
//! translated from the English with the Czech version at hand, so its header has two
//! `<relation>`s (en → ru, cs → ru) besides en → cs. The whole tool must follow: align (three
//! edges), segments (components joined along both edges into ru), trace (two paths to the
//! original), coverage, edition (jing-valid, derivation order topological), check, review and
//! import with several `--source-layer`s.

use crate::common;

use common::{run_no_editor, tool_jing as jing};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use tei_align::model::{LinkStatus, WorkAlignment};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/work/two-sources"
);

fn setup() -> tempfile::TempDir {
    common::temp_work(Path::new(FIXTURE), "w", &["en.xml", "cs.xml", "ru.xml"])
}

fn read(d: &Path) -> WorkAlignment {
    tei_align::tei::standoff::read_alignment(&d.join("alignments/w/alignment.xml")).unwrap()
}

#[test]
fn the_header_of_a_layer_with_two_sources_is_read_in_full() {
    let work = tei_align::tei::read_work(Path::new(FIXTURE)).unwrap();
    let ru = work.layer("ru").unwrap();
    let sources: Vec<&str> = ru.sources().collect();
    assert_eq!(sources, ["en", "cs"]);
    assert!(!ru.is_original());
    assert_eq!(
        ru.derivation_from("cs").and_then(|d| d.when.as_deref()),
        Some("1948")
    );
    let graph = tei_align::provenance::derivation_graph(&work).unwrap();
    let ids: Vec<&str> = graph.iter().map(|r| r.id.as_str()).collect();
    // Sources before what is derived from them: cs (from en) before either edge into ru.
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], "rel.en-cs", "{ids:?}");
    assert!(ids.contains(&"rel.en-ru") && ids.contains(&"rel.cs-ru"));
}

#[test]
fn align_trace_coverage_edition_and_check_follow_both_sources() {
    let dir = setup();
    let d = dir.path();
    let r = run_no_editor(d, &["align", "texts/w", "--when", "2026-11-25"]);
    assert!(r.ok, "{}", r.err);
    let al = read(d);
    let rels: BTreeSet<&str> = al.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        rels,
        BTreeSet::from(["rel.en-cs", "rel.en-ru", "rel.cs-ru"])
    );
    assert_eq!(al.edges.len(), 3);

    segments_join_both_edges_into_ru(d, &al);
    trace_follows_both_sources(d);
    coverage_has_both_edges_into_ru(d);
    edition_orders_and_names_both_sources(d);

    // Check: nothing to report.
    let r = run_no_editor(d, &["check", "texts/w"]);
    assert!(r.ok, "{}{}", r.out, r.err);
}

/// Segments: every sentence of every layer in exactly one segment, and the segment of the
/// merged ru.s2 (en.s2+en.s3, cs.s2+cs.s3 in its sources) joins both edges into ru.
fn segments_join_both_edges_into_ru(d: &Path, al: &WorkAlignment) {
    for layer in ["en", "cs", "ru"] {
        let work = tei_align::tei::read_work(&d.join("texts/w")).unwrap();
        for s in &work.layer(layer).unwrap().sentences {
            let n = al
                .segments
                .iter()
                .filter(|g| g.members.values().flatten().any(|x| x == &s.id))
                .count();
            assert_eq!(n, 1, "{} is in {n} segments", s.id);
        }
    }
    let seg = al
        .segments
        .iter()
        .find(|g| g.members.get("ru").is_some_and(|v| v == &["ru.s2"]))
        .unwrap();
    assert_eq!(seg.members["en"], ["en.s2", "en.s3"]);
    assert_eq!(seg.members["cs"], ["cs.s2", "cs.s3"]);
    assert!(
        seg.chain.iter().any(|c| c.starts_with("a.en-ru."))
            && seg.chain.iter().any(|c| c.starts_with("a.cs-ru.")),
        "{:?}",
        seg.chain
    );
}

/// Trace: both derivations of ru, and both paths back to the original.
fn trace_follows_both_sources(d: &Path) {
    let r = run_no_editor(d, &["trace", "--work", "texts/w", "ru.s2"]);
    assert!(r.ok, "{}", r.err);
    assert!(r.out.contains("derivation paths: "), "{}", r.out);
    assert!(
        r.out.contains("ru ← en") && r.out.contains("ru ← cs ← en"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("(from en)") && r.out.contains("(from cs)"),
        "{}",
        r.out
    );
    let r = run_no_editor(d, &["trace", "--work", "texts/w", "ru.s2", "--json"]);
    assert!(r.ok, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let ru = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "ru")
        .unwrap();
    assert_eq!(ru["derivations"].as_array().unwrap().len(), 2);
    assert_eq!(v["paths"].as_array().unwrap().len(), 2);
    // A sentence of the original has one path: itself.
    let r = run_no_editor(d, &["trace", "--work", "texts/w", "en.s1"]);
    assert!(r.ok && !r.out.contains("derivation paths"), "{}", r.out);
}

/// Coverage: one row per edge, both edges into ru with their 2-1 merge.
fn coverage_has_both_edges_into_ru(d: &Path) {
    let r = run_no_editor(d, &["coverage", "alignments/w/alignment.xml", "--json"]);
    assert!(r.ok, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let edges = v["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 3);
    for e in edges.iter().filter(|e| e["derived"] == "ru") {
        assert_eq!(e["total"]["merged_or_split"], 1, "{e}");
        assert_eq!(e["total"]["source_sentences_covered"], 5, "{e}");
    }
    assert_eq!(edges.iter().filter(|e| e["derived"] == "ru").count(), 2);
    let r = run_no_editor(d, &["coverage", "alignments/w/alignment.xml"]);
    assert!(r.ok, "{}", r.err);
    for row in ["en → cs", "en → ru", "cs → ru"] {
        assert!(r.out.contains(row), "{}", r.out);
    }
}

/// Edition: columns in a topological order (ru after both its sources), both derivations
/// named, and valid TEI.
fn edition_orders_and_names_both_sources(d: &Path) {
    let r = run_no_editor(d, &["edition", "texts/w", "-o", "ed"]);
    assert!(r.ok, "{}", r.err);
    let html = std::fs::read_to_string(d.join("ed/index.html")).unwrap();
    let pos = |l: &str| {
        html.find(&format!("<div class=\"colhead\" data-layer=\"{l}\""))
            .unwrap()
    };
    assert!(pos("en") < pos("cs") && pos("cs") < pos("ru"));
    // One phrase per source, in the column head of the layer made from two.
    let head = &html[pos("ru")..];
    let head = &head[..head.find("</div>").unwrap()];
    assert!(
        head.contains("translation from en by United Nations"),
        "{head}"
    );
    assert!(head.contains("; translation from cs"), "{head}");
    let tei = std::fs::read_to_string(d.join("ed/edition.xml")).unwrap();
    assert!(
        tei.contains("rel.cs-ru") || tei.contains("#layer.cs"),
        "{tei}"
    );
    match jing() {
        Some((jing, schema)) => {
            let out = Command::new(jing)
                .arg(schema)
                .arg(d.join("ed/edition.xml"))
                .arg(d.join("alignments/w/alignment.xml"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        None => eprintln!("jing or the TEI schema not found: validity not checked"),
    }
}

#[test]
fn review_on_either_edge_into_the_layer_survives_realignment() {
    let dir = setup();
    let d = dir.path();
    assert!(run_no_editor(d, &["align", "texts/w", "--when", "2026-11-25"]).ok);
    // Confirm one link of each edge into ru.
    for ids in [["cs.s4", "ru.s3"], ["en.s4", "ru.s3"]] {
        let mut args = vec!["link", "texts/w"];
        args.extend(ids);
        args.extend(["--by", "eva"]);
        let r = run_no_editor(d, &args);
        assert!(r.ok, "{}", r.err);
    }
    let verified = |al: &WorkAlignment, rel: &str| {
        al.edges
            .iter()
            .find(|e| e.relation == rel)
            .unwrap()
            .links
            .iter()
            .filter(|l| matches!(&l.status, LinkStatus::Verified { who, .. } if who == "eva"))
            .count()
    };
    let al = read(d);
    assert_eq!(verified(&al, "rel.cs-ru"), 1);
    assert_eq!(verified(&al, "rel.en-ru"), 1);
    let r = run_no_editor(d, &["status", "texts/w"]);
    assert!(r.ok, "{}", r.err);
    assert!(
        r.out.contains("cs → ru") && r.out.contains("en → ru"),
        "{}",
        r.out
    );
    let r = run_no_editor(d, &["align", "texts/w", "--when", "2026-11-26"]);
    assert!(r.ok, "{}", r.err);
    let al = read(d);
    assert_eq!(verified(&al, "rel.cs-ru"), 1);
    assert_eq!(verified(&al, "rel.en-ru"), 1);
}

#[test]
fn a_cycle_through_a_second_source_is_refused() {
    let dir = setup();
    let d = dir.path();
    // cs now also claims ru as a source: cs → ru → cs.
    let cs = d.join("texts/w/cs.xml");
    let src = std::fs::read_to_string(&cs).unwrap();
    let extra = "<relation name=\"translation\" active=\"#layer.cs\" passive=\"ru.xml#layer.ru\"/>\n          <relation name=\"translation\" active=\"#layer.cs\" passive=\"en.xml#layer.en\"";
    std::fs::write(
        &cs,
        src.replacen(
            "<relation name=\"translation\" active=\"#layer.cs\" passive=\"en.xml#layer.en\"",
            extra,
            1,
        ),
    )
    .unwrap();
    let r = run_no_editor(d, &["align", "texts/w", "--when", "2026-11-25"]);
    assert!(!r.ok, "{}", r.out);
    assert!(r.err.contains("cycle"), "{}", r.err);
    assert!(
        r.err.contains("cs → ru → cs") || r.err.contains("ru → cs → ru"),
        "{}",
        r.err
    );
    assert!(!d.join("alignments/w/alignment.xml").exists());
}

#[test]
fn import_takes_several_source_layers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("ru.txt"),
        "Статья 1\n\nВсе люди рождаются свободными.\n",
    )
    .unwrap();
    let base = [
        "import",
        "--lang",
        "ru",
        "--resp",
        "un:United Nations:publisher",
        "ru.txt",
        "-o",
    ];
    for (out, extra) in [
        ("a.xml", &["--source-layer", "en,cs"][..]),
        (
            "b.xml",
            &["--source-layer", "en", "--source-layer", "cs"][..],
        ),
        (
            "c.xml",
            &[
                "--source-layer",
                "en,cs",
                "--derivation",
                "translation,revision",
            ][..],
        ),
    ] {
        let mut args = base.to_vec();
        args.push(out);
        args.extend(["--id", "ru"]);
        args.extend(extra);
        let r = run_no_editor(d, &args);
        assert!(r.ok, "{args:?}: {}", r.err);
        let l = tei_align::tei::read_layer(&d.join(out)).unwrap();
        let sources: Vec<&str> = l.sources().collect();
        assert_eq!(sources, ["en", "cs"], "{out}");
        // A publisher published the version; it did not make it (session 16 trust audit).
        assert!(
            l.derivations[0].resp.is_empty(),
            "{:?}",
            l.derivations[0].resp
        );
        if let Some((jing, schema)) = jing() {
            let o = Command::new(jing)
                .arg(schema)
                .arg(d.join(out))
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        }
    }
    let c = tei_align::tei::read_layer(&d.join("c.xml")).unwrap();
    assert_eq!(c.derivations[1].kind.as_str(), "revision");
    assert_eq!(c.derivations[0].kind.as_str(), "translation");
    // Three kinds for two sources, or a source named twice, is an error before anything is
    // written.
    for (out, extra, want) in [
        (
            "d.xml",
            &["--source-layer", "en,cs", "--derivation", "a,b,c"][..],
            "3 kinds for 2 source layer(s)",
        ),
        ("e.xml", &["--source-layer", "en,en"][..], "named twice"),
    ] {
        let mut args = base.to_vec();
        args.push(out);
        args.extend(extra);
        let r = run_no_editor(d, &args);
        assert!(!r.ok, "{args:?}");
        assert_eq!(r.err.lines().count(), 1, "{}", r.err);
        assert!(r.err.contains(want), "{}", r.err);
        assert!(!d.join(out).exists());
    }
}
