//! The editing-workflow commands (`export`, `import-alignment`, `link`, `unlink`, `status`,
//! `check`) on input found wrong by QA: an output that is the user's own file, an editor id that
//! cannot be an `xml:id`, a link that points nowhere, a whole-file problem.

use crate::common;

use common::{Run, run_no_editor, tei_align};
use std::path::{Path, PathBuf};

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = tei_align(dir);
    cmd.args(args).env_remove("TEI_ALIGN_EDITOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::run(&mut cmd)
}

/// A copy of the fixture work under `texts/w`, aligned into `alignments/w/alignment.xml`.
fn aligned() -> (tempfile::TempDir, PathBuf) {
    let dir = common::formats_work();
    let r = run_no_editor(dir.path(), &["align", "texts/w", "--when", "2026-11-25"]);
    assert!(r.ok, "{}", r.err);
    let ap = dir.path().join("alignments/w/alignment.xml");
    (dir, ap)
}

/// The bytes of every file the user owns, to prove that a refused command touched none.
fn snapshot(d: &Path) -> Vec<Vec<u8>> {
    [
        "texts/w/cs.xml",
        "texts/w/en.xml",
        "alignments/w/alignment.xml",
    ]
    .iter()
    .map(|f| std::fs::read(d.join(f)).unwrap())
    .collect()
}

fn assert_one_line_error(r: &Run, want: &str, what: &str) {
    assert!(!r.ok, "{what} succeeded: {}", r.out);
    assert_eq!(r.err.lines().count(), 1, "{what}: {}", r.err);
    assert!(
        r.err.starts_with("tei-align: error: ") && r.err.contains(want),
        "{what}: {}",
        r.err
    );
}

#[test]
fn export_refuses_to_overwrite_a_layer_or_the_alignment() {
    let (dir, _) = aligned();
    let d = dir.path();
    let before = snapshot(d);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "export",
                "texts/w",
                "--format",
                "tsv",
                "--edge",
                "cs-en",
                "-o",
                "texts/w/cs.xml",
            ],
            "refusing to overwrite layer cs",
        ),
        // The same file by another spelling.
        (
            &[
                "export",
                "texts/w",
                "--format",
                "cesalign",
                "-o",
                "./texts/w/../w/en.xml",
            ],
            "refusing to overwrite layer en",
        ),
        (
            &[
                "export",
                "texts/w",
                "--format",
                "tmx",
                "-o",
                "alignments/w/alignment.xml",
            ],
            "refusing to overwrite the alignment file",
        ),
    ];
    for (args, want) in cases {
        let r = run_no_editor(d, args);
        assert_one_line_error(&r, want, &format!("{args:?}"));
        assert_eq!(snapshot(d), before, "{args:?} changed a file");
    }
    // By its absolute path too.
    let abs = d.join("texts/w/cs.xml");
    let r = run_no_editor(
        d,
        &[
            "export",
            "texts/w",
            "--format",
            "ladder",
            "-o",
            abs.to_str().unwrap(),
        ],
    );
    assert_one_line_error(&r, "refusing to overwrite layer cs", "absolute path");
    assert_eq!(snapshot(d), before);
    // A new file in the work directory would be read as a layer next time.
    let r = run_no_editor(
        d,
        &[
            "export",
            "texts/w",
            "--format",
            "cesalign",
            "-o",
            "texts/w/cs-en.xml",
        ],
    );
    assert_one_line_error(&r, "refusing to write into the work directory", "work dir");
    assert!(!d.join("texts/w/cs-en.xml").exists());
    // A file elsewhere is written as before.
    let r = run_no_editor(
        d,
        &["export", "texts/w", "--format", "tsv", "-o", "out.tsv"],
    );
    assert!(r.ok, "{}", r.err);
    assert!(
        std::fs::read_to_string(d.join("out.tsv"))
            .unwrap()
            .contains("en.s1")
    );
}

#[test]
fn a_layer_given_as_the_alignment_file_is_refused() {
    let (dir, _) = aligned();
    let d = dir.path();
    std::fs::write(d.join("a.xml"), "<linkGrp/>").unwrap();
    let before = snapshot(d);
    for args in [
        &[
            "import-alignment",
            "texts/w",
            "a.xml",
            "--format",
            "cesalign",
            "--alignment",
            "texts/w/en.xml",
        ][..],
        &[
            "link",
            "texts/w",
            "cs.s1",
            "en.s1",
            "--alignment",
            "texts/w/cs.xml",
        ][..],
        &["status", "texts/w", "--alignment", "texts/w/cs.xml"][..],
    ] {
        let r = run_no_editor(d, args);
        assert_one_line_error(&r, "not its alignment file", &format!("{args:?}"));
        assert_eq!(snapshot(d), before, "{args:?} changed a file");
    }
}

#[test]
fn an_editor_id_that_is_not_an_xml_name_is_rejected() {
    let (dir, ap) = aligned();
    let d = dir.path();
    let before = snapshot(d);
    for by in ["a b", "../x", "1st", "#eva"] {
        for args in [
            &["link", "texts/w", "cs.s1", "en.s1", "--by", by][..],
            &["unlink", "texts/w", "cs.s1", "--by", by][..],
            &["link", "texts/w", "cs.s1", "--by", by][..],
        ] {
            let r = run_no_editor(d, args);
            assert_one_line_error(&r, "not a valid editor id", &format!("{args:?}"));
            assert!(r.err.contains(by), "{}", r.err);
            assert_eq!(snapshot(d), before, "{args:?} changed a file");
        }
    }
    // From the environment as well, naming where it came from.
    let r = run_env(
        d,
        &["link", "texts/w", "cs.s1", "en.s1"],
        &[("TEI_ALIGN_EDITOR", "Eva Nová")],
    );
    assert_one_line_error(&r, "$TEI_ALIGN_EDITOR 'Eva Nová'", "env");
    assert_eq!(snapshot(d), before);
    // An imported file whose `resp` cannot be an id names the file and the line.
    let al = std::fs::read_to_string(&ap).unwrap();
    assert!(al.contains("cs.s1"));
    let inter = d.join("inter.xml");
    std::fs::write(
        &inter,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<linkGrp toDoc=\"en.xml\" fromDoc=\"cs.xml\">\n\
         <link xtargets=\"en.s1;cs.s1\" status=\"man\" resp=\"Eva Nová\"/>\n</linkGrp>\n",
    )
    .unwrap();
    let r = run_no_editor(
        d,
        &[
            "import-alignment",
            "texts/w",
            "inter.xml",
            "--format",
            "intertext",
        ],
    );
    assert_one_line_error(
        &r,
        "inter.xml:3: resp 'Eva Nová' is not a valid editor id",
        "import",
    );
    assert_eq!(snapshot(d), before);
    // A valid id still works and is recorded.
    let r = run_no_editor(d, &["link", "texts/w", "cs.s1", "en.s1", "--by", "eva.n"]);
    assert!(r.ok, "{}", r.err);
    assert!(
        std::fs::read_to_string(&ap)
            .unwrap()
            .contains("xml:id=\"eva.n\"")
    );
}

#[test]
fn a_dangling_link_is_reported_by_status_and_export_with_the_alignment_file() {
    let (dir, ap) = aligned();
    let d = dir.path();
    let al = std::fs::read_to_string(&ap).unwrap();
    // Break the pairwise link that holds en.s5 (not the segment, which also points to it).
    let (line_no, line) = al
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("xml:id=\"a.cs-en.") && l.contains("en.xml#en.s5\""))
        .unwrap();
    let link_id = line
        .split("xml:id=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let broken: Vec<String> = al
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line_no {
                l.replace("en.xml#en.s5\"", "en.xml#en.s99\"")
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&ap, broken.join("\n") + "\n").unwrap();
    let before = snapshot(d);
    let want = format!("link {link_id} points to en.s99, which is not a sentence of layer en");

    let r = run_no_editor(d, &["status", "texts/w"]);
    assert!(!r.ok, "status succeeded silently: {}", r.out);
    assert!(
        r.err.contains(&format!(
            "warning: alignments/w/alignment.xml: rel.cs-en: {want}"
        )),
        "{}",
        r.err
    );
    assert!(
        r.err
            .lines()
            .last()
            .unwrap()
            .starts_with("tei-align: error: alignments/w/alignment.xml"),
        "{}",
        r.err
    );
    let r = run_no_editor(d, &["status", "texts/w", "--json"]);
    assert!(!r.ok);
    assert!(r.out.contains(&want), "{}", r.out);

    let r = run_no_editor(
        d,
        &["export", "texts/w", "--format", "tsv", "-o", "out.tsv"],
    );
    assert_one_line_error(
        &r,
        &format!("alignments/w/alignment.xml: rel.cs-en: {want}"),
        "export",
    );
    assert!(!d.join("out.tsv").exists());
    assert_eq!(snapshot(d), before);
}

#[test]
fn check_names_a_whole_file_problem_without_a_line_zero() {
    let (dir, _) = aligned();
    let d = dir.path();
    // The editor re-derives en from a layer that is not in the work: a problem of the whole
    // header, with no line of its own.
    let en = d.join("texts/w/en.xml");
    let src = std::fs::read_to_string(&en).unwrap();
    std::fs::write(&en, src.replace("cs.xml#layer.cs", "ru.xml#layer.ru")).unwrap();
    let r = run_no_editor(d, &["check", "texts/w", "--no-jing"]);
    assert!(!r.ok);
    assert!(!r.out.contains(":0:"), "{}", r.out);
    assert!(
        r.out
            .lines()
            .any(|l| l.starts_with("texts/w/en.xml: ") && l.contains("ru")),
        "{}",
        r.out
    );
}
