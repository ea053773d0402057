//! `tei-align edition` end to end on project trees written from the fixtures.

use crate::builder;

use crate::common;

use common::{jing, tool};
use std::path::Path;

#[test]
fn letter_edition_with_the_default_alignment() {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::letter();
    builder::write_project(dir.path(), &work, &al);
    let texts = dir.path().join("texts/letter-1968");
    let before: Vec<Vec<u8>> = ["ru", "cs", "en"]
        .iter()
        .map(|l| std::fs::read(texts.join(format!("{l}.xml"))).unwrap())
        .collect();
    let out = dir.path().join("editions/letter-1968");
    tool()
        .arg("edition")
        .arg(&texts)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let tei = std::fs::read_to_string(out.join("edition.xml")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for l in &work.layers {
        for s in &l.sentences {
            assert!(
                tei.contains(&format!("<s xml:id=\"{}\">", s.id)),
                "{}",
                s.id
            );
            assert!(
                html.contains(&format!(" id=\"{}\" data-seg=", s.id)),
                "{}",
                s.id
            );
        }
    }
    assert!(tei.contains("Mark Kramer"));
    if let Some((ok, msg)) = jing(&out.join("edition.xml")) {
        assert!(ok, "edition.xml is not valid TEI: {msg}");
    }
    // The user's files are untouched.
    for (l, b) in ["ru", "cs", "en"].iter().zip(before) {
        assert_eq!(std::fs::read(texts.join(format!("{l}.xml"))).unwrap(), b);
    }
}

#[test]
fn explicit_alignment_and_missing_alignment() {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::udhr();
    let path = builder::write_project(dir.path(), &work, &al);
    let moved = dir.path().join("elsewhere.xml");
    std::fs::rename(&path, &moved).unwrap();
    let texts = dir.path().join("texts/udhr");
    let out = dir.path().join("out");
    // Without --alignment: one line naming where it looked; nothing written.
    let o = tool()
        .arg("edition")
        .arg(&texts)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("alignments/udhr/alignment.xml"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
    assert!(!out.exists());
    // With it: written.
    tool()
        .arg("edition")
        .arg(&texts)
        .arg("--alignment")
        .arg(&moved)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("Всеобщая декларация прав человека"));
    if let Some((ok, msg)) = jing(&out.join("edition.xml")) {
        assert!(ok, "{msg}");
    }
}

/// The editions committed in `editions/` are what the tool makes now from the committed texts and
/// alignments, and valid TEI. When this fails after a change, remake them with
/// `tei-align edition texts/<work> -o editions/<work>` (or the main `run` command).
#[test]
fn committed_editions_are_up_to_date_and_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for work in ["letter-1968", "udhr"] {
        let committed = root.join("editions").join(work);
        let alignment = root.join("alignments").join(work).join("alignment.xml");
        if !committed.join("edition.xml").is_file() || !alignment.is_file() {
            println!("SKIP {work}: no committed edition or alignment");
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        tool()
            .arg("edition")
            .arg(root.join("texts").join(work))
            .arg("-o")
            .arg(dir.path())
            .assert()
            .success();
        // Every file of the edition directory: the page, the TEI and the downloads.
        let mut files = vec![];
        let mut todo = vec![dir.path().to_owned()];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else {
                    files.push(p.strip_prefix(dir.path()).unwrap().to_owned());
                }
            }
        }
        assert!(files.len() > 2, "{files:?}");
        for f in &files {
            let fresh = std::fs::read_to_string(dir.path().join(f)).unwrap();
            let old = std::fs::read_to_string(committed.join(f)).unwrap_or_default();
            assert!(
                fresh == old,
                "editions/{work}/{} is stale: remake it with `tei-align edition texts/{work} -o editions/{work}`",
                f.display()
            );
        }
        if let Some((ok, msg)) = jing(&committed.join("edition.xml")) {
            assert!(ok, "editions/{work}/edition.xml is not valid TEI: {msg}");
        }
    }
}
