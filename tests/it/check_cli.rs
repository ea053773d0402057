//! `tei-align check` end to end: a freshly aligned work is clean (and valid TEI where jing is
//! installed); hand edits that break pointers, coverage or ids are reported one per line with
//! file and line, and the exit code is non-zero.

use crate::common::{self, Run, run_in};

use std::path::{Path, PathBuf};

fn aligned() -> (tempfile::TempDir, PathBuf) {
    let dir = common::formats_work();
    let Run { ok, err, .. } = run_in(dir.path(), &["align", "texts/w", "--when", "2026-11-25"]);
    assert!(ok, "{err}");
    (dir, dir_path_alignment())
}

fn dir_path_alignment() -> PathBuf {
    PathBuf::from("alignments/w/alignment.xml")
}

#[test]
fn a_fresh_alignment_passes_every_check() {
    let (dir, _) = aligned();
    let Run { ok, out, err, .. } = run_in(dir.path(), &["check", "texts/w"]);
    assert!(ok, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    if which_jing() {
        assert!(!err.contains("not checked"), "{err}");
    } else {
        crate::common::missing("jing is not installed: the validation part is skipped");
        assert!(err.contains("jing not installed"), "{err}");
    }
}

fn which_jing() -> bool {
    common::tool_jing().is_some()
}

#[test]
fn hand_edits_that_break_the_alignment_are_reported_with_file_and_line() {
    let (dir, rel) = aligned();
    let ap = dir.path().join(&rel);
    let src = std::fs::read_to_string(&ap).unwrap();
    // Point a link at a sentence that does not exist.
    let edited = src
        .replacen("#en.s2\"", "#en.s22\"", 1)
        .replacen("#en.s2 ", "#en.s22 ", 1);
    assert_ne!(edited, src);
    std::fs::write(&ap, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains("en.s22")).unwrap() + 1;
    let Run { ok, out, err, .. } = run_in(dir.path(), &["check", "texts/w", "--no-jing"]);
    assert!(!ok);
    assert!(err.contains("problem(s) found"), "{err}");
    let want = format!("{}:{line}: #en.s22 does not resolve", rel.display());
    assert!(out.lines().any(|l| l.starts_with(&want)), "{want}\n{out}");
    // en.s2 lost its link: it is covered by nothing now.
    assert!(
        out.lines()
            .any(|l| l.contains("en.s2 is not covered on edge rel.cs-en")),
        "{out}"
    );
    assert!(
        out.lines().all(|l| l
            .split(':')
            .nth(1)
            .is_some_and(|n| n.parse::<usize>().is_ok())),
        "{out}"
    );
}

#[test]
fn a_missing_alignment_is_one_clear_error() {
    let dir = common::formats_work();
    let Run { ok, err, .. } = run_in(dir.path(), &["check", "texts/w"]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no alignment file"), "{err}");
}

#[test]
fn a_directory_where_the_alignment_file_should_be_is_named_not_taken_for_no_alignment() {
    // Telling the user to run `align` would not help: align cannot write there either.
    let dir = common::formats_work();
    std::fs::create_dir_all(dir.path().join("alignments/w/alignment.xml")).unwrap();
    let Run { ok, err, .. } = run_in(dir.path(), &["check", "texts/w"]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("no alignment file"), "{err}");
    assert!(err.contains("alignment.xml"), "{err}");
}

#[test]
fn the_committed_alignments_of_the_repository_pass_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for w in ["letter-1968", "udhr"] {
        if !root
            .join("alignments")
            .join(w)
            .join("alignment.xml")
            .is_file()
        {
            eprintln!("skipped {w}: no committed alignment");
            continue;
        }
        let Run { ok, out, err, .. } = run_in(root, &["check", &format!("texts/{w}")]);
        assert!(ok, "{w}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        checked += 1;
    }
    eprintln!("{checked} committed alignment(s) checked");
}
