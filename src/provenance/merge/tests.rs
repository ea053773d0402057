use super::*;
use crate::review::testdata::{alignment, ids, work};
use crate::review::{link, unlink};

fn merge(b: &WorkAlignment, o: &WorkAlignment, t: &WorkAlignment) -> MergeOutcome {
    merge_alignments(&work(), Some(b), o, t, "2026-12-02T00:00:00Z").unwrap()
}

fn find<'a>(al: &'a WorkAlignment, src: &str) -> &'a Link {
    let e = &al.edges[1];
    e.links.iter().find(|l| l.source[0] == src).unwrap()
}

/// Ours' or theirs' alignment run: a.cs-en.3 with another certainty, by a change of `when`.
fn run_at(base: &WorkAlignment, cert: f64, when: &str) -> WorkAlignment {
    let mut al = base.clone();
    al.edges[1].links[2].cert = cert;
    al.changes.push(Change {
        id: "ch2".into(),
        status: ChangeStatus::Automatic,
        who: "tei-align".into(),
        when: when.into(),
        desc: "aligned again".into(),
    });
    al
}

#[test]
fn between_two_alignment_runs_the_newer_ones_links_stay() {
    let base = alignment();
    let (a, b) = (
        run_at(&base, 0.4, "2026-11-26"),
        run_at(&base, 0.7, "2026-11-27"),
    );
    let m = merge(&base, &a, &b);
    assert!(m.conflicts.is_empty());
    let l = find(&m.alignment, "cs.s3");
    assert_eq!((l.id.as_str(), l.cert), ("a.cs-en.3", 0.7));
    assert_eq!(
        m.alignment.item_changes["a.cs-en.3"], "ch3",
        "theirs' ch2, renumbered"
    );
    let m = merge(&base, &b, &a);
    assert_eq!(find(&m.alignment, "cs.s3").cert, 0.7);
}

#[test]
fn a_confirmation_beats_the_other_runs_link_and_one_confirmed_twice_is_one() {
    let (w, base) = (work(), alignment());
    let mut ours = base.clone();
    link(
        &w,
        &mut ours,
        &ids(&["cs.s2", "en.s2", "en.s3"]),
        "jan",
        "2026-12-01",
    )
    .unwrap();
    let mut theirs = run_at(&base, 0.7, "2026-12-01T10:00:00Z");
    // Their run also made cs.s2 ↔ en.s2 and en.s3 without counterpart.
    theirs.edges[1].links[1].derived = ids(&["en.s2"]);
    let m = merge(&base, &ours, &theirs);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let l = find(&m.alignment, "cs.s2");
    assert_eq!(l.derived, ids(&["en.s2", "en.s3"]));
    assert!(matches!(&l.status, LinkStatus::Verified { who, .. } if who == "jan"));
    // Their new run's link elsewhere is taken.
    assert_eq!(find(&m.alignment, "cs.s3").cert, 0.7);
    // Both confirm the same link: one link, ours, no conflict.
    let mut theirs = base.clone();
    link(
        &w,
        &mut theirs,
        &ids(&["cs.s2", "en.s2", "en.s3"]),
        "eva",
        "2026-12-02",
    )
    .unwrap();
    let m = merge(&base, &ours, &theirs);
    assert!(m.conflicts.is_empty());
    let l = find(&m.alignment, "cs.s2");
    assert!(matches!(&l.status, LinkStatus::Verified { who, .. } if who == "jan"));
}

#[test]
fn a_link_confirmed_and_removed_by_the_other_is_an_open_conflict_until_decided() {
    let (w, base) = (work(), alignment());
    let mut ours = base.clone();
    link(
        &w,
        &mut ours,
        &ids(&["cs.s1", "en.s1"]),
        "jan",
        "2026-12-01",
    )
    .unwrap();
    let mut theirs = base.clone();
    unlink(&w, &mut theirs, &ids(&["a.cs-en.1"]), "eva", "2026-12-02").unwrap();
    let mut m = merge(&base, &ours, &theirs);
    assert_eq!(m.conflicts.len(), 1);
    assert!(
        m.conflicts[0].contains("kept a.cs-en.1"),
        "{}",
        m.conflicts[0]
    );
    let open = open_conflicts(&m.alignment);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].items, ["a.cs-en.1"]);
    // Jan's link stands; eva's confirmed ptrs were not taken.
    assert!(find(&m.alignment, "cs.s1").status != LinkStatus::Automatic);
    link(
        &w,
        &mut m.alignment,
        &ids(&["cs.s1", "en.s1"]),
        "jan",
        "2026-12-03",
    )
    .unwrap();
    assert!(open_conflicts(&m.alignment).is_empty());
}

/// Found by the months-of-editing walk: jan decides the conflict by confirming his link again
/// in the same second he confirmed it (a script, or `link` run twice): the link reads as it
/// did, yet the decision must be recorded, or the conflict stays open for good.
#[test]
fn a_conflict_decided_by_confirming_again_in_the_same_second_is_closed() {
    let (w, base) = (work(), alignment());
    let when = "2026-12-01T10:00:00Z";
    let mut ours = base.clone();
    let cs1 = ids(&["cs.s1", "en.s1"]);
    link(&w, &mut ours, &cs1, "jan", when).unwrap();
    let mut theirs = base.clone();
    unlink(&w, &mut theirs, &ids(&["a.cs-en.1"]), "eva", "2026-12-02").unwrap();
    let mut m = merge(&base, &ours, &theirs);
    assert_eq!(open_conflicts(&m.alignment).len(), 1);
    let (n, status) = (
        m.alignment.changes.len(),
        find(&m.alignment, "cs.s1").status.clone(),
    );
    link(&w, &mut m.alignment, &cs1, "jan", when).unwrap();
    assert_eq!(
        m.alignment.changes.len(),
        n + 1,
        "the decision was not recorded"
    );
    let c = m.alignment.changes.last().unwrap();
    assert_eq!((c.who.as_str(), c.when.as_str()), ("jan", when));
    assert_eq!(m.alignment.item_changes["a.cs-en.1"], c.id);
    assert_eq!(find(&m.alignment, "cs.s1").status, status);
    assert!(open_conflicts(&m.alignment).is_empty());
}

#[test]
fn tokens_of_renamed_ids_are_renamed_and_nothing_else() {
    let map: HashMap<String, String> = [("ch2".to_owned(), "ch4".to_owned())].into();
    assert_eq!(
        rename_tokens("linked a.cs-en.8: (ch2), ch22 ch2.", &map),
        "linked a.cs-en.8: (ch4), ch22 ch4."
    );
}
