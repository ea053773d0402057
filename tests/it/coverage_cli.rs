//! `tei-align coverage` end to end: project trees written from the fixtures (layers as TEI, the
//! alignment through the real standoff writer), read back by the real readers.

use crate::builder;

use crate::common;

use common::tool;
use serde_json::Value;

#[test]
fn letter_json_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::letter();
    let path = builder::write_project(dir.path(), &work, &al);
    let out = tool()
        .arg("coverage")
        .arg(&path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["work"], "letter-1968");
    assert_eq!(v["edges"][0]["source"], "ru");
    assert_eq!(v["edges"][0]["state"], "no-source-text");
    assert!(v["edges"][0]["total"]["coverage_pct"].is_null());
    assert_eq!(v["edges"][1]["derived"], "en");
    assert_eq!(v["edges"][1]["total"]["coverage_pct"], 100.0);
    assert_eq!(v["edges"][1]["source_gap"].as_array().unwrap().len(), 6);
    assert_eq!(v["edges"][1]["added"].as_array().unwrap().len(), 0);

    let out = tool()
        .arg("coverage")
        .arg(&path)
        .args(["--fail-under", "95"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("ru → cs"), "{table}");
    assert!(table.contains("no text"), "{table}");
    assert!(table.contains("16/16"), "{table}");
    assert!(table.contains("en.s17"), "{table}");
}

#[test]
fn fail_under_exits_non_zero_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::udhr();
    let path = builder::write_project(dir.path(), &work, &al);
    let out = tool()
        .arg("coverage")
        .arg(&path)
        .args(["--fail-under", "95"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("en → ru") && err.contains("88.9 %"), "{err}");
    // The report is still printed.
    assert!(String::from_utf8(out.stdout).unwrap().contains("8/9"));
    tool()
        .arg("coverage")
        .arg(&path)
        .args(["--fail-under", "80"])
        .assert()
        .success();
}

#[test]
fn doubt_below_changes_the_doubtful_links() {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::udhr();
    let path = builder::write_project(dir.path(), &work, &al);
    let out = tool()
        .arg("coverage")
        .arg(&path)
        .args(["--json", "--doubt-below", "0.2"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["edges"][0]["doubtful"].as_array().unwrap().len(), 0);
    let out = tool()
        .arg("coverage")
        .arg(&path)
        .args(["--json", "--doubt-below", "0.75"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // a.en-ru.3 (0.31) and a.en-ru.5 (0.7).
    assert_eq!(v["edges"][0]["doubtful"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_input_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.xml");
    let out = tool().arg("coverage").arg(&missing).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("nope.xml"), "{err}");

    let (work, al) = builder::letter();
    let path = builder::write_project(dir.path(), &work, &al);
    std::fs::remove_file(dir.path().join("texts/letter-1968/en.xml")).unwrap();
    let out = tool().arg("coverage").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("en.xml"), "{err}");

    let out = tool()
        .arg("coverage")
        .arg(&path)
        .args(["--doubt-below", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
