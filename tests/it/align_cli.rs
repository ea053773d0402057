//! The `align-text` command: output formats and errors.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/align")
        .join(name)
}

fn cmd() -> Command {
    Command::cargo_bin("tei-align").unwrap()
}

#[test]
fn beads_one_per_line_in_order() {
    let out = cmd()
        .args(["align-text"])
        .arg(fixture("udhr.cs"))
        .arg(fixture("udhr.en"))
        .args(["--src-lang", "cs", "--tgt-lang", "en"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 22);
    for (k, line) in lines.iter().enumerate() {
        let prefix = format!("[{k}]:[{k}]:");
        assert!(line.starts_with(&prefix), "line {k}: {line}");
        let conf: f64 = line[prefix.len()..].parse().unwrap();
        assert!((0.0..=1.0).contains(&conf));
    }
}

#[test]
fn ladder_and_tsv_formats() {
    let ladder = cmd()
        .arg("align-text")
        .arg(fixture("udhr.ru"))
        .arg(fixture("udhr.en"))
        .args(["--format", "ladder"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ladder = String::from_utf8(ladder).unwrap();
    // One rung per bead plus the closing rung at (22, 22).
    assert_eq!(ladder.lines().count(), 23);
    assert!(ladder.lines().last().unwrap().starts_with("22\t22\t"));
    let tsv = cmd()
        .arg("align-text")
        .arg(fixture("udhr.cs"))
        .arg(fixture("udhr.en"))
        .args(["--format", "tsv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let tsv = String::from_utf8(tsv).unwrap();
    let first: Vec<&str> = tsv.lines().next().unwrap().split('\t').collect();
    assert_eq!(first.len(), 3);
    assert!(first[0].starts_with("Všichni lidé"));
    assert!(first[1].starts_with("All human beings"));
}

#[test]
fn dictionary_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (src, tgt, dict) = (
        dir.path().join("s.txt"),
        dir.path().join("t.txt"),
        dir.path().join("d.txt"),
    );
    std::fs::write(&src, "pes štěká\nkočka mňouká\n").unwrap();
    std::fs::write(&tgt, "cat meows\ndog barks\n").unwrap();
    std::fs::write(&dict, "dog @ pes\nbarks @ štěká\n").unwrap();
    cmd()
        .arg("align-text")
        .args([&src, &tgt])
        .arg("--dict")
        .arg(&dict)
        .assert()
        .success()
        .stdout(predicate::str::contains("[0]:[1]:"));
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    cmd()
        .arg("align-text")
        .arg(&missing)
        .arg(fixture("udhr.en"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("nope.txt"));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    cmd()
        .arg("align-text")
        .arg(fixture("udhr.cs"))
        .arg(&empty)
        .assert()
        .failure()
        .stderr(predicate::str::contains("empty.txt"));
    let dict = dir.path().join("dict.txt");
    std::fs::write(&dict, "dog @ pes\nno separator here\n").unwrap();
    cmd()
        .arg("align-text")
        .arg(fixture("udhr.cs"))
        .arg(fixture("udhr.en"))
        .arg("--dict")
        .arg(&dict)
        .assert()
        .failure()
        .stderr(predicate::str::contains("dict.txt:2"))
        .stdout(predicate::str::is_empty());
    cmd()
        .arg("align-text")
        .arg(fixture("udhr.cs"))
        .arg(fixture("udhr.en"))
        .args(["--format", "xml"])
        .assert()
        .failure();
}
