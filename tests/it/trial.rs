//! What a new user's trial of the command line found (session 13, docs/workflow.md "New-user
//! trial"): `status` and `coverage` disagreeing on what is doubtful, an edition page claiming a
//! chain of derivations the work does not have, a TMX export of a broken alignment, and the
//! alignment rewritten (confirmed links dropped, segment ids changed) when a layer file is gone.

use crate::common;

use common::{Run, ok_no_editor, run_no_editor};
use std::path::Path;

/// A refusal: non-zero exit, one line on stderr holding every one of `want`.
fn refused(r: &Run, want: &[&str], what: &str) {
    assert!(!r.ok, "{what} succeeded: {}", r.out);
    assert_eq!(r.err.lines().count(), 1, "{what}: {}", r.err);
    for w in want {
        assert!(r.err.contains(w), "{what}: no {w:?} in {}", r.err);
    }
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.out).unwrap()
}

#[test]
fn status_counts_and_lists_the_doubtful_items_coverage_reports() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    // A link by hand over cs.s3 leaves en.s4 without a counterpart: an automatic addition with
    // cert 0, which coverage calls doubtful ("first in line for review").
    ok_no_editor(
        d,
        &["link", "texts/w", "cs.s3", "en.s3", "--by", "eva:Eva Nová"],
    );
    let cov = json(&ok_no_editor(d, &["coverage", "texts/w", "--json"]));
    let cov_doubtful: u64 = cov["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["total"]["doubtful"].as_u64().unwrap())
        .sum();
    assert!(cov_doubtful >= 1, "{cov}");
    let st = json(&ok_no_editor(d, &["status", "texts/w", "--json"]));
    let st_doubtful: u64 = st["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["doubtful"].as_u64().unwrap())
        .sum();
    assert_eq!(st_doubtful, cov_doubtful, "status {st}\ncoverage {cov}");
    let listed = ok_no_editor(d, &["status", "texts/w", "--doubtful"]).out;
    assert!(
        listed.contains("0-1, added") && listed.contains("en.s4"),
        "{listed}"
    );
}

/// The subtitle of the HTML edition (`Parallel edition of … layers: …`).
fn subtitle(d: &Path, work: &str) -> String {
    let out = format!("out-{work}");
    ok_no_editor(d, &["edition", &format!("texts/{work}"), "-o", &out]);
    let html = std::fs::read_to_string(d.join(out).join("index.html")).unwrap();
    let at = html.find("Parallel edition of").unwrap();
    html[at..at + html[at..].find("</p>").unwrap()].to_owned()
}

#[test]
fn the_edition_draws_a_chain_only_for_a_chain() {
    // en → cs and en → ru: Russian is not made from Czech.
    let dir = common::temp_work_all(&common::fixture("work/tree"), "tree");
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/tree"]);
    let sub = subtitle(d, "tree");
    assert!(!sub.contains("(cs) →") && !sub.contains("(ru) →"), "{sub}");
    assert!(sub.contains("en → cs") && sub.contains("en → ru"), "{sub}");
    // ru → cs → en is a chain and says so.
    let dir = common::aligned_chain_letter();
    let sub = subtitle(dir.path(), "letter");
    assert!(sub.contains("(ru) → ") && sub.contains("(cs) → "), "{sub}");
}

#[test]
fn tmx_of_all_segments_refuses_a_broken_alignment() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    // A hand edit deletes en.s5 from the layer: a link now points nowhere.
    let en = d.join("texts/w/en.xml");
    let text = std::fs::read_to_string(&en).unwrap();
    let at = text.find("<s xml:id=\"en.s5\">").unwrap();
    let end = at + text[at..].find("</s>").unwrap() + 4;
    std::fs::write(&en, format!("{}{}", &text[..at], &text[end..])).unwrap();
    for extra in [&[][..], &["--pairs"][..]] {
        let args = [
            &["export", "texts/w", "--format", "tmx"][..],
            extra,
            &["-o", "out.tmx"],
        ]
        .concat();
        let r = run_no_editor(d, &args);
        refused(&r, &["alignments/w/alignment.xml", "en.s5"], "export tmx");
        assert!(!d.join("out.tmx").exists());
    }
}

#[test]
fn a_layer_file_gone_loses_nothing() {
    let dir = common::temp_work_all(&common::fixture("work/tree"), "t");
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/t"]);
    ok_no_editor(
        d,
        &["link", "texts/t", "en.s1", "ru.s1", "--by", "eva:Eva Nová"],
    );
    // The Russian layer is gone (deleted, moved away, a checkout without it).
    let ru = d.join("texts/t/ru.xml");
    std::fs::rename(&ru, d.join("ru.xml")).unwrap();
    let ap = d.join("alignments/t/alignment.xml");
    let before = std::fs::read(&ap).unwrap();
    let want = [
        "alignments/t/alignment.xml",
        "texts/t/ru.xml",
        "does not exist",
    ];

    // An edit elsewhere would recompose every segment without the Russian sentences.
    let r = run_no_editor(d, &["link", "texts/t", "en.s2", "cs.s2", "--by", "eva"]);
    refused(&r, &want, "link");
    // align would drop a confirmed link with the edge.
    let r = run_no_editor(d, &["align", "texts/t"]);
    refused(
        &r,
        &[&want[..], &["1 item(s)", "--drop-missing"]].concat(),
        "align",
    );
    let r = run_no_editor(
        d,
        &["export", "texts/t", "--format", "tmx", "-o", "out.tmx"],
    );
    refused(&r, &["alignments/t/alignment.xml"], "export");
    assert!(!d.join("out.tmx").exists());
    assert_eq!(
        std::fs::read(&ap).unwrap(),
        before,
        "the alignment was rewritten"
    );

    // Restored: all is as before. Removed on purpose: --drop-missing says so.
    std::fs::rename(d.join("ru.xml"), &ru).unwrap();
    ok_no_editor(d, &["status", "texts/t"]);
    std::fs::rename(&ru, d.join("ru.xml")).unwrap();
    let r = ok_no_editor(d, &["align", "texts/t", "--drop-missing"]);
    assert!(r.err.contains("rel.en-ru"), "{}", r.err);
    let after = std::fs::read_to_string(&ap).unwrap();
    assert!(!after.contains("ru.xml"), "{after}");
}

#[test]
fn import_over_a_layer_keeps_what_its_ids_name_or_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("texts/w")).unwrap();
    std::fs::write(
        d.join("a.txt"),
        "First one here. Second one here.\n\nThird.\n",
    )
    .unwrap();
    let import = |input: &str| {
        run_no_editor(
            d,
            &["import", input, "--lang", "en", "-o", "texts/w/en.xml"],
        )
    };
    assert!(import("a.txt").ok);
    // The same text again (texts/make.sh remakes the layers so): every id names what it did.
    let r = import("a.txt");
    assert!(r.ok, "{}", r.err);
    let layer = d.join("texts/w/en.xml");
    let before = std::fs::read(&layer).unwrap();
    // The text edited: without its first sentence, en.s1 would name "Second one here."
    std::fs::write(d.join("b.txt"), "Second one here.\n\nThird.\n").unwrap();
    let r = import("b.txt");
    refused(
        &r,
        &["texts/w/en.xml", "en.s1", "Second one here.", "--in-place"],
        "import over a layer",
    );
    assert_eq!(std::fs::read(&layer).unwrap(), before);
}

#[test]
fn a_file_of_another_format_is_not_read_as_an_empty_tmx() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    ok_no_editor(
        d,
        &["link", "texts/w", "cs.s1", "en.s1", "--by", "eva:Eva Nová"],
    );
    let export = ["export", "texts/w", "--format", "tsv", "--edge", "cs-en"];
    ok_no_editor(d, &[&export[..], &["-o", "w.tsv"]].concat());
    let ap = d.join("alignments/w/alignment.xml");
    let before = std::fs::read(&ap).unwrap();
    // The TSV given as TMX: with --replace it emptied the edge, confirmed link and all.
    for extra in [&[][..], &["--replace"][..]] {
        let import = ["import-alignment", "texts/w", "w.tsv", "--format", "tmx"];
        let r = run_no_editor(
            d,
            &[&import[..], &["--edge", "cs-en", "--by", "eva"], extra].concat(),
        );
        refused(&r, &["w.tsv", "not a TMX file"], "import-alignment");
        assert_eq!(std::fs::read(&ap).unwrap(), before);
    }
}
