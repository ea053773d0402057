//! Two editors confirm links in two git clones of one work, then one pulls the other's work:
//! git merges `alignment.xml` with `tei-align merge-alignment`, installed by `tei-align
//! git-setup` (real git, real clones, as session 14's trial did it by hand).

use crate::common::{GIT_ENV, assert_valid_tei, fixture, ok_in, run, tei_align};
use std::path::{Path, PathBuf};
use std::process::Command;
use tei_align::model::{LinkStatus, WorkAlignment};

/// `git` in `dir`, with the tests' git identity.
pub(crate) fn git(dir: &Path, args: &[&str]) -> crate::common::Run {
    run(Command::new("git")
        .current_dir(dir)
        .envs(GIT_ENV)
        .args(args))
}

/// `git` that must succeed.
pub(crate) fn git_ok(dir: &Path, args: &[&str]) {
    let r = git(dir, args);
    assert!(r.ok, "git {args:?}: {}{}", r.out, r.err);
}

/// A project repository holding work `w` (two layers), aligned and committed, with the
/// merge driver set up; and two clones of it, each set up too.
pub(crate) fn two_clones() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    let work = origin.join("texts/w");
    std::fs::create_dir_all(&work).unwrap();
    for f in ["cs.xml", "en.xml"] {
        std::fs::copy(fixture("formats/work").join(f), work.join(f)).unwrap();
    }
    git_ok(&origin, &["init", "-q"]);
    ok_in(&origin, &["align", "texts/w", "--when", "2026-01-01"]);
    let setup = ok_in(&origin, &["git-setup"]).out;
    assert!(setup.contains("added to .gitattributes"), "{setup}");
    git_ok(&origin, &["add", "-A"]);
    git_ok(&origin, &["commit", "-qm", "aligned"]);
    let mut clones = Vec::new();
    for name in ["jan", "eva"] {
        git_ok(tmp.path(), &["clone", "-q", "origin", name]);
        let dir = tmp.path().join(name);
        // The attribute came with the clone; the driver's config does not (git's rule).
        let again = ok_in(&dir, &["git-setup"]).out;
        assert!(again.contains(".gitattributes already has"), "{again}");
        clones.push(dir);
    }
    let eva = clones.pop().unwrap();
    let jan = clones.pop().unwrap();
    (tmp, jan, eva)
}

/// `link` by an editor at a time, then commit.
pub(crate) fn link_and_commit(dir: &Path, by: &str, when: &str, ids: &[&str]) {
    let mut args = vec!["link", "texts/w"];
    args.extend_from_slice(ids);
    args.extend_from_slice(&["--by", by, "--when", when]);
    ok_in(dir, &args);
    git_ok(dir, &["commit", "-qam", "links"]);
}

pub(crate) fn alignment(dir: &Path) -> WorkAlignment {
    tei_align::tei::standoff::read_alignment(&dir.join("alignments/w/alignment.xml")).unwrap()
}

/// Who confirmed the link with these targets, and the change it points at (its id, who).
pub(crate) fn confirmation(
    al: &WorkAlignment,
    src: &[&str],
    der: &[&str],
) -> (String, String, String) {
    let l = al.edges[0]
        .links
        .iter()
        .find(|l| l.source == src && l.derived == der)
        .unwrap_or_else(|| panic!("no link {src:?} {der:?}"));
    let LinkStatus::Verified { who, .. } = &l.status else {
        panic!("{} is not confirmed", l.id)
    };
    let ch = al.item_changes.get(&l.id).expect("a change").clone();
    let c = al.changes.iter().find(|c| c.id == ch).expect("the change");
    (l.id.clone(), who.clone(), c.who.clone())
}

#[test]
fn a_pull_keeps_both_editors_confirmations_with_their_own_changes() {
    let (_tmp, jan, eva) = two_clones();
    // Jan confirms a link and makes a new one (a.cs-en.8 in his clone); Eva makes another new
    // one (a.cs-en.8 in hers too); both number their changes ch2, ch3.
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
    let eva_before = git(&eva, &["rev-parse", "HEAD"]).out.trim().to_owned();
    let pull = git(&eva, &["pull", "--no-rebase", "-q", "../jan", "HEAD"]);
    assert!(pull.ok, "pull: {}{}", pull.out, pull.err);
    assert!(git(&eva, &["status", "--porcelain"]).out.is_empty());
    let file = eva.join("alignments/w/alignment.xml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("<<<<<<<"), "{text}");
    let al = alignment(&eva);
    // Every confirmation kept, each pointing at its own editor's change.
    let (_, who, ch_who) = confirmation(&al, &["cs.s1"], &["en.s1"]);
    assert_eq!((who.as_str(), ch_who.as_str()), ("jan", "jan"));
    let (jan_new, who, ch_who) = confirmation(&al, &["cs.s5"], &["en.s6"]);
    assert_eq!((who.as_str(), ch_who.as_str()), ("jan", "jan"));
    let (eva_new, who, ch_who) = confirmation(&al, &["cs.s3"], &["en.s4"]);
    assert_eq!((who.as_str(), ch_who.as_str()), ("eva", "eva"));
    // Both clones made a.cs-en.8, for different links: each gets a new id and a.cs-en.8
    // names neither, so an id cited in one clone never names the other clone's link.
    assert!(eva_new != "a.cs-en.8" && jan_new != "a.cs-en.8" && eva_new != jan_new);
    assert!(al.edges[0].links.iter().all(|l| l.id != "a.cs-en.8"));
    let r = run(tei_align(&eva).args(["trace", "a.cs-en.8", "--work", "texts/w"]));
    assert!(
        !r.ok
            && r.err.contains("retired")
            && r.err.contains(&format!("a.cs-en.8 → {eva_new}"))
            && r.err.contains(&format!("a.cs-en.8 → {jan_new}")),
        "{}",
        r.err
    );
    // Jan merging Eva's commit on his own (the sides swapped) gives the same ids.
    git_ok(jan.parent().unwrap(), &["clone", "-q", "jan", "jan2"]);
    let jan2 = jan.parent().unwrap().join("jan2");
    ok_in(&jan2, &["git-setup"]);
    git_ok(&jan2, &["fetch", "-q", "../eva"]);
    git_ok(&jan2, &["merge", "--no-edit", "-q", &eva_before]);
    let ids = |al: &WorkAlignment| -> Vec<(String, Vec<String>)> {
        let mut v: Vec<_> = al.edges[0]
            .links
            .iter()
            .map(|l| (l.id.clone(), l.derived.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&alignment(&jan2)), ids(&al));
    let mut ids: Vec<&str> = al.changes.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), al.changes.len(), "change ids unique");
    for person in ["jan", "eva"] {
        assert!(
            al.agents.iter().any(|a| a.id == person),
            "{person} in respStmt"
        );
    }
    assert_valid_tei(&file);
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(
        check.ok,
        "check after a clean merge: {}{}",
        check.out, check.err
    );
    // And back: Jan pulls the merge, a fast-forward.
    git_ok(&jan, &["pull", "--no-rebase", "-q", "../eva", "HEAD"]);
    assert_eq!(alignment(&jan).edges, al.edges);
}

#[test]
fn two_confirmations_of_one_sentence_are_a_conflict_with_ours_kept_and_theirs_recorded() {
    let (_tmp, jan, eva) = two_clones();
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s3", "en.s3", "en.s4"],
    );
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    let pull = git(&eva, &["pull", "--no-rebase", "../jan", "HEAD"]);
    assert!(!pull.ok, "a true conflict must stop the merge");
    assert!(pull.out.contains("CONFLICT") || pull.err.contains("CONFLICT"));
    assert!(pull.err.contains("cs.s3 ↔ en.s3 en.s4"), "{}", pull.err);
    assert!(
        git(&eva, &["status", "--porcelain"])
            .out
            .contains("UU alignments/w/alignment.xml")
    );
    // The file is valid and explicit: ours kept, theirs in a conflict change.
    let file = eva.join("alignments/w/alignment.xml");
    assert_valid_tei(&file);
    let al = alignment(&eva);
    let (_, who, _) = confirmation(&al, &["cs.s3"], &["en.s4"]);
    assert_eq!(who, "eva");
    let conflict = al.changes.iter().find(|c| c.status.as_str() == "conflict");
    let conflict = conflict.expect("a conflict change");
    assert!(
        conflict.desc.contains("confirmed by jan"),
        "{}",
        conflict.desc
    );
    for cmd in ["check", "status"] {
        let r = run(tei_align(&eva).args([cmd, "texts/w"]));
        assert_eq!(r.code, Some(1), "{cmd}: {}{}", r.out, r.err);
        assert!(r.out.contains("merge conflict") || r.err.contains("merge conflict"));
    }
    // Eva decides (her link stands): the conflict is closed, the merge can be committed.
    ok_in(&eva, &["link", "texts/w", "cs.s3", "en.s4", "--by", "eva"]);
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
    git_ok(&eva, &["add", "alignments/w/alignment.xml"]);
    git_ok(&eva, &["commit", "-qm", "merged"]);
}

#[test]
fn versions_without_a_common_ancestor_merge_as_added_on_both_sides() {
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
        &["cs.s8", "en.s8"],
    );
    // The driver as git calls it for a file both added: %O empty.
    let x = eva.join(".merge");
    std::fs::create_dir(&x).unwrap();
    let path = "alignments/w/alignment.xml";
    std::fs::write(x.join("base"), "").unwrap();
    std::fs::copy(eva.join(path), x.join("ours")).unwrap();
    std::fs::copy(jan.join(path), x.join("theirs")).unwrap();
    let r = run(tei_align(&eva).args([
        "merge-alignment",
        ".merge/base",
        ".merge/ours",
        ".merge/theirs",
        path,
    ]));
    assert!(r.ok, "{}{}", r.out, r.err);
    std::fs::rename(x.join("ours"), eva.join(path)).unwrap();
    let al = alignment(&eva);
    assert_eq!(confirmation(&al, &["cs.s1"], &["en.s1"]).1, "jan");
    assert_eq!(confirmation(&al, &["cs.s8"], &["en.s8"]).1, "eva");
    assert_valid_tei(&eva.join(path));
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
}

#[test]
fn theirs_naming_a_sentence_of_their_new_layer_text_waits_for_the_layers_then_merges() {
    let (_tmp, jan, eva) = two_clones();
    // Jan adds a sentence to the English layer, re-aligns and confirms a link beside it.
    let en = jan.join("texts/w/en.xml");
    let text = std::fs::read_to_string(&en).unwrap();
    let added = r#"<s xml:id="en.s8">Yours, Jan</s> <s xml:id="en.s9">PS.</s>"#;
    let text = text.replace(r#"<s xml:id="en.s8">Yours, Jan</s>"#, added);
    assert!(text.contains("en.s9"));
    std::fs::write(&en, text).unwrap();
    ok_in(
        &jan,
        &["align", "texts/w", "--when", "2026-02-01T09:00:00Z"],
    );
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:00:00Z",
        &["cs.s8", "en.s8"],
    );
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s1", "en.s1"],
    );
    // While git merges, the working tree holds Eva's layers, without en.s9: no merge, ours
    // left valid, a conflict git reports, and what to do.
    let pull = git(&eva, &["pull", "--no-rebase", "../jan", "HEAD"]);
    assert!(!pull.ok);
    assert!(
        pull.err.contains("en.s9") && pull.err.contains("git checkout -m"),
        "{}",
        pull.err
    );
    let path = "alignments/w/alignment.xml";
    assert_valid_tei(&eva.join(path));
    // The layers are merged now: git runs the driver again.
    git_ok(&eva, &["checkout", "-m", path]);
    let al = alignment(&eva);
    assert_eq!(confirmation(&al, &["cs.s1"], &["en.s1"]).1, "eva");
    assert_eq!(confirmation(&al, &["cs.s8"], &["en.s8"]).1, "jan");
    git_ok(&eva, &["add", path]);
    let check = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(check.ok, "{}{}", check.out, check.err);
}

/// The ids a merge gave (both clones made `a.cs-en.8`) stay with their links through the work
/// that follows (session 17; docs/workflow.md): the source text edited — a word in confirmed
/// cs.s3 and in automatic cs.s4 — and the work re-aligned. Every link keeps its id while its
/// sentences stay the same, the retired id names nothing still and is not given again.
#[test]
fn ids_a_merge_gave_stay_with_their_links_across_an_edit_and_a_re_align() {
    let (_tmp, jan, eva) = two_clones();
    link_and_commit(
        &jan,
        "jan:Jan Novák",
        "2026-02-01T10:05:00Z",
        &["cs.s5", "en.s6"],
    );
    link_and_commit(
        &eva,
        "eva:Eva Svobodová",
        "2026-02-02T09:00:00Z",
        &["cs.s3", "en.s4"],
    );
    let pull = git(&eva, &["pull", "--no-rebase", "-q", "../jan", "HEAD"]);
    assert!(pull.ok, "pull: {}{}", pull.out, pull.err);
    let before = alignment(&eva);
    let (eva_new, ..) = confirmation(&before, &["cs.s3"], &["en.s4"]);
    let (jan_new, ..) = confirmation(&before, &["cs.s5"], &["en.s6"]);
    assert!(eva_new != "a.cs-en.8" && jan_new != "a.cs-en.8");
    let cs = eva.join("texts/w/cs.xml");
    let text = std::fs::read_to_string(&cs).unwrap();
    let edited = text
        .replacen("Počasí bylo krásné", "Počasí bylo velmi krásné", 1)
        .replacen("navštívili hrad", "navštívili starý hrad", 1);
    assert_ne!(text, edited);
    std::fs::write(&cs, edited).unwrap();
    ok_in(&eva, &["align", "texts/w", "--when", "2026-02-03"]);
    let after = alignment(&eva);
    assert_eq!(confirmation(&after, &["cs.s3"], &["en.s4"]).0, eva_new);
    assert_eq!(confirmation(&after, &["cs.s5"], &["en.s6"]).0, jan_new);
    let by_sentences = |al: &WorkAlignment| -> Vec<(Vec<String>, Vec<String>, String)> {
        al.edges[0]
            .links
            .iter()
            .map(|l| (l.source.clone(), l.derived.clone(), l.id.clone()))
            .collect()
    };
    let now = by_sentences(&after);
    for (s, d, id) in by_sentences(&before) {
        if let Some((.., id_now)) = now.iter().find(|(s2, d2, _)| *s2 == s && *d2 == d) {
            assert_eq!(*id_now, id, "{s:?} {d:?} renumbered by the re-align");
        }
    }
    assert!(after.edges[0].links.iter().all(|l| l.id != "a.cs-en.8"));
    let r = run(tei_align(&eva).args(["trace", "a.cs-en.8", "--work", "texts/w"]));
    assert!(!r.ok && r.err.contains("retired"), "{}", r.err);
    // The confirmed cs.s3 was edited: reported, under its merged id.
    let r = run(tei_align(&eva).args(["check", "texts/w"]));
    assert!(
        !r.ok
            && r.out.contains(&format!(
                "{eva_new} (cs.s3 en.s4): confirmed on another text"
            )),
        "{}{}",
        r.out,
        r.err
    );
}
