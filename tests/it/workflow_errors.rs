//! `link`, `unlink` and `status` on bad input: one line on stderr naming the problem, non-zero
//! exit, and the alignment file left exactly as it was.

use crate::common::{self, Run, run_in};

#[test]
fn rejected_review_steps_leave_the_alignment_untouched() {
    let dir = common::formats_work();
    let d = dir.path();
    assert!(run_in(d, &["align", "texts/w", "--when", "2026-11-25"]).ok);
    let ap = d.join("alignments/w/alignment.xml");
    let before = std::fs::read(&ap).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["link", "texts/w", "cs.s1", "en.s99"],
            "unknown sentence id 'en.s99'",
        ),
        (
            &["link", "texts/w", "cs.s1", "cs.s2"],
            "a link holds some of them",
        ),
        (
            &["link", "texts/w", "cs.s1", "cs.s3", "en.s1"],
            "cs.s1 and cs.s3 are not consecutive",
        ),
        // cs.s1 ↔ en.s7 would cross every link between them.
        (
            &["link", "texts/w", "cs.s2", "en.s7"],
            "the link would cross",
        ),
        (
            &["unlink", "texts/w", "a.cs-en.999"],
            "'a.cs-en.999' is neither a link id",
        ),
        (
            &["link", "texts/nowhere", "cs.s1", "en.s1"],
            "texts/nowhere",
        ),
    ];
    for (args, want) in cases {
        let Run { ok, err, .. } = run_in(d, args);
        assert!(!ok, "{args:?} succeeded");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("tei-align: error: ") && err.contains(want),
            "{args:?}: {err}"
        );
        assert_eq!(
            std::fs::read(&ap).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
    // A malformed alignment file (a hand edit gone wrong) is reported with line and column.
    std::fs::write(&ap, "<TEI>\n  <standOff>\n</TEI>\n").unwrap();
    let Run { ok, err, .. } = run_in(d, &["status", "texts/w"]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("alignment.xml:3:"), "{err}");
}
