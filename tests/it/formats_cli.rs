//! The interchange formats end to end: align a small work, review some links, export to each
//! format, import cesAlign and InterText back, and check that every link and its review status
//! survived; bad files are rejected with one line naming file and line, leaving the alignment
//! untouched.

use crate::common;

use common::{run_as, tei_align};
use std::path::PathBuf;
use tei_align::model::{LinkStatus, WorkAlignment};
use tei_align::tei::standoff::read_alignment;

/// The editor these tests name in `TEI_ALIGN_EDITOR`.
const TESTER: &str = "tester";

/// A temp dir with texts/w/{cs,en}.xml aligned into alignments/w/alignment.xml, with one link
/// confirmed and one created by hand.
fn aligned() -> (tempfile::TempDir, PathBuf) {
    let dir = common::formats_work();
    let r = run_as(
        TESTER,
        dir.path(),
        &["align", "texts/w", "--when", "2026-11-25"],
    );
    assert!(r.ok, "{}", r.err);
    let ap = dir.path().join("alignments/w/alignment.xml");
    assert!(ap.is_file());
    // Confirm the salutation, and link the third Czech sentence to two English ones (confirming
    // or creating that link, whichever the aligner left).
    let r = run_as(
        TESTER,
        dir.path(),
        &["link", "texts/w", "cs.s1", "en.s1", "--by", "eva"],
    );
    assert!(r.ok, "{}", r.err);
    let r = run_as(
        TESTER,
        dir.path(),
        &["link", "texts/w", "cs.s3", "en.s3", "en.s4", "--by", "jan"],
    );
    assert!(r.ok, "{}", r.err);
    (dir, ap)
}

fn edge(al: &WorkAlignment) -> &tei_align::model::EdgeAlignment {
    al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap()
}

fn verified_by(al: &WorkAlignment, who: &str) -> usize {
    edge(al)
        .links
        .iter()
        .filter(|l| matches!(&l.status, LinkStatus::Verified { who: w, .. } if w == who))
        .count()
}

/// Export the cs-en edge (`extra`: more export arguments) to `out`, import `file` (the path
/// the export wrote, inside the bundle for cesAlign and InterText) with `--replace`, and check
/// that every link, status and who confirmed it came back.
fn round_trip(format: &str, extra: &[&str], file: &str) {
    let (dir, ap) = aligned();
    let before = read_alignment(&ap).unwrap();
    assert_eq!(verified_by(&before, "eva"), 1);
    assert_eq!(verified_by(&before, "jan"), 1);
    let mut args = vec![
        "export", "texts/w", "--format", format, "--edge", "cs-en", "-o", "out",
    ];
    args.extend_from_slice(extra);
    let r = run_as(TESTER, dir.path(), &args);
    assert!(r.ok, "{}", r.err);
    let r = run_as(
        TESTER,
        dir.path(),
        &[
            "import-alignment",
            "texts/w",
            file,
            "--format",
            format,
            "--edge",
            "cs-en",
            "--replace",
        ],
    );
    assert!(r.ok, "{}", r.err);
    let after = read_alignment(&ap).unwrap();
    let (b, a) = (edge(&before), edge(&after));
    assert_eq!(a.links.len(), b.links.len());
    for l in &b.links {
        let m = a
            .links
            .iter()
            .find(|x| x.id == l.id)
            .unwrap_or_else(|| panic!("{} lost", l.id));
        assert_eq!(
            (&m.source, &m.derived, &m.status),
            (&l.source, &l.derived, &l.status)
        );
        assert!((m.cert - l.cert).abs() < 1e-3);
    }
    let key = |u: &tei_align::model::Unaligned| {
        (u.id.clone(), u.sentence.clone(), u.kind, u.status.clone())
    };
    assert_eq!(
        a.unaligned.iter().map(key).collect::<Vec<_>>(),
        b.unaligned.iter().map(key).collect::<Vec<_>>()
    );
    // Still consistent.
    let r = run_as(TESTER, dir.path(), &["check", "texts/w"]);
    assert!(r.ok, "{}{}", r.out, r.err);
}

#[test]
fn cesalign_round_trip_through_the_cli() {
    round_trip("cesalign", &[], "out/cs-en.xml");
}

#[test]
fn intertext_round_trip_through_the_cli() {
    round_trip("intertext", &[], "out/w.cs.en.xml");
}

#[test]
fn tmx_pairs_round_trip_through_the_cli() {
    round_trip("tmx", &["--pairs"], "out");
}

#[test]
fn tsv_round_trip_through_the_cli() {
    round_trip("tsv", &[], "out");
    round_trip("tsv", &["--excel"], "out");
}

#[test]
fn an_intertext_file_with_confirmed_links_is_merged_and_marked_verified() {
    let (dir, ap) = aligned();
    // InterText lists the toDoc (English) ids first.
    let it = "<?xml version='1.0' encoding='utf-8'?>\n<linkGrp toDoc='w.en.xml' fromDoc='w.cs.xml'>\n\
<link type='1-1' xtargets='en.s7;cs.s7' status='man'/>\n</linkGrp>\n";
    std::fs::write(dir.path().join("it.xml"), it).unwrap();
    let r = run_as(
        TESTER,
        dir.path(),
        &[
            "import-alignment",
            "texts/w",
            "it.xml",
            "--format",
            "intertext",
            "--by",
            "petra",
        ],
    );
    assert!(r.ok, "{}", r.err);
    let al = read_alignment(&ap).unwrap();
    let l = edge(&al)
        .links
        .iter()
        .find(|l| l.source == ["cs.s7"])
        .unwrap();
    assert_eq!(l.derived, ["en.s7"]);
    assert!(matches!(&l.status, LinkStatus::Verified { who, .. } if who == "petra"));
    // The links confirmed before are still there.
    assert_eq!(verified_by(&al, "eva"), 1);
    assert_eq!(verified_by(&al, "jan"), 1);
}

#[test]
fn a_bad_import_names_file_and_line_and_leaves_the_alignment_alone() {
    let (dir, ap) = aligned();
    let before = std::fs::read(&ap).unwrap();
    let bad = "<cesAlign version=\"1.0\">\n<linkGrp fromDoc=\"cs.xml\" toDoc=\"en.xml\">\n<link xtargets=\"cs.s1;en.s1\"/>\n<link xtargets=\"cs.s2;en.s99\"/>\n</linkGrp>\n</cesAlign>\n";
    std::fs::write(dir.path().join("bad.xml"), bad).unwrap();
    let r = run_as(
        TESTER,
        dir.path(),
        &[
            "import-alignment",
            "texts/w",
            "bad.xml",
            "--format",
            "cesalign",
        ],
    );
    assert!(!r.ok);
    assert_eq!(r.err.lines().count(), 1, "{}", r.err);
    assert!(
        r.err.contains("bad.xml:4: unknown sentence id en.s99"),
        "{}",
        r.err
    );
    assert_eq!(std::fs::read(&ap).unwrap(), before);
    // Malformed XML.
    std::fs::write(
        dir.path().join("bad.xml"),
        "<cesAlign>\n<linkGrp>\n</cesAlign>",
    )
    .unwrap();
    let r = run_as(
        TESTER,
        dir.path(),
        &[
            "import-alignment",
            "texts/w",
            "bad.xml",
            "--format",
            "cesalign",
        ],
    );
    assert!(!r.ok);
    assert!(r.err.contains("bad.xml:3: malformed XML"), "{}", r.err);
    assert_eq!(std::fs::read(&ap).unwrap(), before);
}

#[test]
fn tmx_tsv_and_ladder_exports() {
    let (dir, ap) = aligned();
    let al = read_alignment(&ap).unwrap();
    let work = tei_align::tei::read_work(&dir.path().join("texts/w")).unwrap();
    let r = run_as(
        TESTER,
        dir.path(),
        &["export", "texts/w", "--format", "tmx", "-o", "out.tmx"],
    );
    assert!(r.ok, "{}", r.err);
    let tmx = std::fs::read_to_string(dir.path().join("out.tmx")).unwrap();
    assert!(tmx.starts_with("<?xml") && tmx.contains("<tmx version=\"1.4\">"));
    // Well-formed XML, and the TMX 1.4b structure: header before body, prop before tuv/seg.
    let mut reader = quick_xml::Reader::from_str(&tmx);
    let mut path: Vec<String> = Vec::new();
    let mut seen_tuv_in_tu = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                let qn = e.name();
                let name: String = {
                    let n: &str = qn.as_ref();
                    n.to_owned()
                };
                if name == "tu" {
                    seen_tuv_in_tu = false;
                }
                if name == "tuv" {
                    seen_tuv_in_tu = true;
                }
                if name == "prop" && path.last().is_some_and(|p| p == "tu") {
                    assert!(!seen_tuv_in_tu, "prop after tuv");
                }
                path.push(name);
            }
            quick_xml::events::Event::End(_) => {
                path.pop();
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty());
    assert_eq!(tmx.matches("<tu ").count(), al.segments.len());
    // Every sentence of both layers appears once, in a tuv of its language.
    for layer in &work.layers {
        for s in &layer.sentences {
            let esc = s
                .text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(tmx.contains(&esc), "{} missing", s.id);
        }
    }
    assert_eq!(
        tmx.matches("<tuv xml:lang=\"cs\">").count() + tmx.matches("<tuv xml:lang=\"en\">").count(),
        al.segments
            .iter()
            .map(|s| s.members.values().filter(|v| !v.is_empty()).count())
            .sum::<usize>()
    );
    assert!(tmx.contains("confirmed by jan"));
    let r = run_as(
        TESTER,
        dir.path(),
        &["export", "texts/w", "--format", "tsv", "-o", "-"],
    );
    assert!(r.ok, "{}", r.err);
    let n_beads = edge(&al).links.len() + edge(&al).unaligned.len();
    assert_eq!(r.out.lines().count(), 1 + n_beads);
    let l3 = r.out.lines().find(|l| l.contains("\tcs.s3\t")).unwrap();
    let f: Vec<&str> = l3.split('\t').collect();
    assert_eq!(f[2], "en.s3 en.s4");
    assert!(f[4].starts_with("man:jan:2"), "{l3}");
    assert_eq!(
        f[6],
        "The weather was beautiful. The city was full of people."
    );
    let r = run_as(
        TESTER,
        dir.path(),
        &["export", "texts/w", "--format", "ladder", "-o", "-"],
    );
    assert!(r.ok, "{}", r.err);
    assert_eq!(r.out.lines().count(), n_beads + 1);
    assert!(r.out.lines().last().unwrap().starts_with("8\t8\t"));
    // An edge that does not exist.
    let r = run_as(
        TESTER,
        dir.path(),
        &[
            "export", "texts/w", "--format", "tsv", "--edge", "en-cs", "-o", "x.tsv",
        ],
    );
    assert!(!r.ok);
    assert!(r.err.contains("no edge 'en-cs'"), "{}", r.err);
    assert!(!dir.path().join("x.tsv").exists());
}

#[test]
fn format_options_of_another_format_are_a_usage_error() {
    let (dir, _) = aligned();
    for (format, flag) in [
        ("tsv", "--pairs"),
        ("tmx", "--excel"),
        ("cesalign", "--excel"),
    ] {
        let r = common::run(
            tei_align(dir.path())
                .args(["export", "texts/w", "--format", format, flag, "-o", "x"])
                .args(["--edge", "cs-en"]),
        );
        assert!(!r.ok);
        assert!(r.err.contains(flag), "{}", r.err);
        assert!(!dir.path().join("x").exists());
    }
}
