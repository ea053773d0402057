//! An adversarial review of the merge driver (session 15): real git, three clones, rebases,
//! bad input. Each test failed before the fix it names in docs/workflow.md ("Review of the
//! merge driver").

use crate::common::{ok_in, run, tei_align};
use crate::merge_git::{alignment, git, git_ok, link_and_commit, two_clones};
use std::path::{Path, PathBuf};
use tei_align::model::{ChangeStatus, LinkStatus, WorkAlignment};

/// A third clone of the project, set up for the driver.
fn third_clone(tmp: &Path, name: &str) -> PathBuf {
    git_ok(tmp, &["clone", "-q", "origin", name]);
    let dir = tmp.join(name);
    ok_in(&dir, &["git-setup"]);
    dir
}

/// Each editor's operation (a verified change: who, when) is in the history once, every change
/// id is unique, and every confirmation points at a change of its own editor and date.
fn assert_history_sound(al: &WorkAlignment) {
    let mut ids: Vec<&str> = al.changes.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "change ids unique: {:?}", al.changes);
    let mut ops: Vec<(&str, &str)> = al
        .changes
        .iter()
        .filter(|c| c.status == ChangeStatus::Verified)
        .map(|c| (c.who.as_str(), c.when.as_str()))
        .collect();
    ops.sort_unstable();
    let n = ops.len();
    ops.dedup();
    assert_eq!(
        ops.len(),
        n,
        "one editor's operation recorded twice: {:#?}",
        al.changes
    );
    for l in &al.edges[0].links {
        let LinkStatus::Verified { who, when, .. } = &l.status else {
            continue;
        };
        let ch = &al.item_changes[&l.id];
        let c = al.changes.iter().find(|c| &c.id == ch).unwrap();
        assert_eq!((&c.who, &c.when), (who, when), "{} points at {ch}", l.id);
    }
}

#[test]
fn a_rebase_of_two_commits_records_each_editors_change_once() {
    let (_tmp, jan, eva) = two_clones();
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s1", "en.s1"],
    );
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    link_and_commit(&eva, "eva", "2026-02-02T09:05:00Z", &["cs.s5", "en.s6"]);
    let pull = git(&eva, &["pull", "--rebase", "-q", "../jan", "HEAD"]);
    assert!(pull.ok, "pull --rebase: {}{}", pull.out, pull.err);
    let al = alignment(&eva);
    for (src, der, who) in [("cs.s1", "en.s1", "jan"), ("cs.s3", "en.s4", "eva")] {
        let l = al.edges[0].links.iter().find(|l| l.source == [src]);
        let l = l.unwrap_or_else(|| panic!("{src}"));
        assert_eq!(l.derived, [der]);
        assert!(matches!(&l.status, LinkStatus::Verified { who: w, .. } if w == who));
    }
    assert_history_sound(&al);
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
}

#[test]
fn three_editors_merged_in_turn_record_each_change_once() {
    let (tmp, jan, eva) = two_clones();
    let petr = third_clone(tmp.path(), "petr");
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s1", "en.s1"],
    );
    // Petr has Jan's work (a fast-forward), then confirms his own link.
    git_ok(&petr, &["pull", "--no-rebase", "-q", "../jan", "HEAD"]);
    link_and_commit(
        &petr,
        "petr:Petr Malý",
        "2026-02-03T08:00:00Z",
        &["cs.s7", "en.s7"],
    );
    // Eva merges Jan's work into hers: Jan's change is renumbered there.
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    git_ok(&eva, &["pull", "--no-rebase", "-q", "../jan", "HEAD"]);
    // Petr merges Eva's: Jan's change is in both, under two ids.
    let pull = git(&petr, &["pull", "--no-rebase", "-q", "../eva", "HEAD"]);
    assert!(pull.ok, "{}{}", pull.out, pull.err);
    let al = alignment(&petr);
    assert_history_sound(&al);
    let check = run(tei_align(&petr).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
}

#[test]
fn a_malformed_version_is_one_line_naming_the_alignment_and_ours_is_untouched() {
    let (_tmp, jan, eva) = two_clones();
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    // Jan's file is cut off (a bad hand edit, committed).
    let path = "alignments/w/alignment.xml";
    let text = std::fs::read_to_string(jan.join(path)).unwrap();
    std::fs::write(jan.join(path), &text[..text.len() / 2]).unwrap();
    git_ok(&jan, &["commit", "-qam", "cut"]);
    let ours = std::fs::read(eva.join(path)).unwrap();
    let pull = git(&eva, &["pull", "--no-rebase", "../jan", "HEAD"]);
    assert!(!pull.ok, "a malformed version must stop the merge");
    let line = pull
        .err
        .lines()
        .chain(pull.out.lines())
        .find(|l| l.contains("tei-align: error"))
        .unwrap_or_else(|| panic!("no error line: {}{}", pull.out, pull.err));
    // The file the user knows, not git's temporary copy of it.
    assert!(line.contains(path), "{line}");
    assert!(!line.contains(".merge_file"), "{line}");
    assert_eq!(
        std::fs::read(eva.join(path)).unwrap(),
        ours,
        "ours untouched"
    );
}

#[test]
fn without_the_driver_a_conflicted_file_says_so_and_git_setup_then_checkout_m_merges_it() {
    let (tmp, jan, eva) = two_clones();
    // A clone that never ran git-setup, and no attribute: git merges line by line.
    let ann = tmp.path().join("ann");
    git_ok(tmp.path(), &["clone", "-q", "origin", "ann"]);
    std::fs::remove_file(ann.join(".gitattributes")).unwrap();
    git_ok(&ann, &["commit", "-qam", "no driver"]);
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s1", "en.s1"],
    );
    link_and_commit(
        &ann,
        "ann:Ann Lee",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    let pull = git(&ann, &["pull", "--no-rebase", "../jan", "HEAD"]);
    assert!(!pull.ok, "a line-by-line merge of two links conflicts");
    let check = run(tei_align(&ann).args(["check", "texts/w"]));
    assert_eq!(check.code, Some(3), "{}{}", check.out, check.err);
    assert_eq!(check.err.trim().lines().count(), 1, "{}", check.err);
    assert!(
        check.err.contains("conflict markers")
            && check.err.contains("tei-align git-setup")
            && check.err.contains("git checkout -m"),
        "{}",
        check.err
    );
    // The way out the message names.
    ok_in(&ann, &["git-setup"]);
    git_ok(&ann, &["checkout", "-m", "alignments/w/alignment.xml"]);
    let al = alignment(&ann);
    for (src, der, who) in [("cs.s1", "en.s1", "jan"), ("cs.s3", "en.s4", "ann")] {
        let l = al.edges[0]
            .links
            .iter()
            .find(|l| l.source == [src])
            .unwrap();
        assert_eq!(l.derived, [der]);
        assert!(matches!(&l.status, LinkStatus::Verified { who: w, .. } if w == who));
    }
    assert_history_sound(&al);
    let check = run(tei_align(&ann).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
    let _ = eva;
}

/// Session 16: a cherry-pick brings the picked commit's change, not the history before it.
/// git hands the driver the picked commit's parent as the common version; its changes that
/// ours lacks are the history the pick did not bring (Jan's first confirmation), and were
/// added to ours' record though their confirmation was not.
#[test]
fn a_cherry_pick_records_the_picked_change_only() {
    let (_tmp, jan, eva) = two_clones();
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s1", "en.s1"],
    );
    link_and_commit(&jan, "jan", "2026-02-01T10:05:00Z", &["cs.s5", "en.s6"]);
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    git_ok(&eva, &["fetch", "-q", "../jan", "HEAD"]);
    let pick = git(&eva, &["cherry-pick", "FETCH_HEAD"]);
    assert!(pick.ok, "cherry-pick: {}{}", pick.out, pick.err);
    let al = alignment(&eva);
    // The picked confirmation is there, the one before it is not …
    let confirmed_by = |src: &str| {
        al.edges[0]
            .links
            .iter()
            .find(|l| l.source == [src])
            .map(|l| l.status.clone())
    };
    assert!(
        matches!(confirmed_by("cs.s5"), Some(LinkStatus::Verified { who, .. }) if who == "jan")
    );
    assert!(!matches!(
        confirmed_by("cs.s1"),
        Some(LinkStatus::Verified { .. })
    ));
    // … and so is its change, alone: no record of Jan's first operation.
    let jan_ops: Vec<&str> = al
        .changes
        .iter()
        .filter(|c| c.who == "jan")
        .map(|c| c.when.as_str())
        .collect();
    assert_eq!(jan_ops, ["2026-02-01T10:05:00Z"], "{:?}", al.changes);
    assert_history_sound(&al);
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
}
