//! `tei-align trace` on bad requests: an id that does not exist, the id of a link instead of a
//! sentence, and an alignment naming a layer file that is missing. Each is one line on stderr,
//! naming the files involved, with a non-zero exit.

use crate::common;

use assert_cmd::prelude::*;
use common::{aligned_chain_letter as setup, run, tei_align};
use std::path::Path;

/// Run trace and return (success, stdout, stderr).
fn trace(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let r = run(tei_align(dir).arg("trace").args(args));
    (r.ok, r.out, r.err)
}

fn one_line_error(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(lines[0].starts_with("tei-align: error: "), "{stderr}");
    lines[0]
}

#[test]
fn unknown_id_is_a_one_line_error_naming_the_alignment() {
    let dir = setup();
    let (ok, out, err) = trace(dir.path(), &["en.s99", "--work", "texts/letter"]);
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    let line = one_line_error(&err);
    assert!(line.contains("alignments/letter/alignment.xml"), "{line}");
    assert!(line.contains("\"en.s99\""), "{line}");
    // The same without --work: no alignment under ./alignments holds it.
    let (ok, _, err) = trace(dir.path(), &["en.s99"]);
    assert!(!ok);
    let line = one_line_error(&err);
    assert!(
        line.contains("en.s99") && line.contains("alignments"),
        "{line}"
    );
}

#[test]
fn a_link_id_is_explained() {
    let dir = setup();
    let (ok, _, err) = trace(dir.path(), &["a.cs-en.1", "--work", "texts/letter"]);
    assert!(!ok);
    let line = one_line_error(&err);
    assert!(line.contains("is the id of a link"), "{line}");
    assert!(line.contains("sentence id"), "{line}");
    let (ok, _, err) = trace(dir.path(), &["seg.1", "--work", "texts/letter"]);
    assert!(!ok);
    assert!(
        one_line_error(&err).contains("is the id of a segment"),
        "{err}"
    );
    // A real sentence still works.
    let (ok, out, err) = trace(dir.path(), &["en.s1", "--work", "texts/letter"]);
    assert!(ok, "{err}");
    assert!(out.contains("en.s1"), "{out}");
}

#[test]
fn missing_layer_file_names_both_files() {
    let dir = setup();
    std::fs::rename(
        dir.path().join("texts/letter/cs.xml"),
        dir.path().join("texts/letter/cs.old"),
    )
    .unwrap();
    let (ok, out, err) = trace(dir.path(), &["en.s1", "--work", "texts/letter"]);
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    let line = one_line_error(&err);
    assert!(line.contains("alignments/letter/alignment.xml"), "{line}");
    assert!(line.contains("texts/letter/cs.xml"), "{line}");
    assert!(!line.contains("/../"), "path not tidied: {line}");
    assert!(line.contains("does not exist"), "{line}");
}

#[test]
fn a_retired_link_id_says_when_it_was_retired() {
    let dir = setup();
    let en = dir.path().join("texts/letter/en.xml");
    let x = std::fs::read_to_string(&en).unwrap();
    // Delete en.s6: the link that held it is retired on re-alignment.
    let start = x.find("<s xml:id=\"en.s6\">").unwrap();
    let end = start + x[start..].find("</s>").unwrap() + "</s> ".len();
    std::fs::write(&en, format!("{}{}", &x[..start], &x[end..])).unwrap();
    let before = tei_align::tei::standoff::read_alignment(
        &dir.path().join("alignments/letter/alignment.xml"),
    )
    .unwrap();
    let old = before.edges[1]
        .links
        .iter()
        .find(|l| l.derived == ["en.s6"])
        .unwrap()
        .id
        .clone();
    tei_align(dir.path())
        .args(["align", "texts/letter", "--when", "2026-02-03"])
        .assert()
        .success();
    let (ok, _, err) = trace(dir.path(), &[&old, "--work", "texts/letter"]);
    assert!(!ok);
    let line = one_line_error(&err);
    assert!(
        line.contains("retired") && line.contains("2026-02-03"),
        "{line}"
    );
    assert!(line.contains(&format!("\"{old}\"")), "{line}");
}
