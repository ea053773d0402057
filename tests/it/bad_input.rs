//! Bad input, as a user meets it: every failure is ONE line on stderr naming the file (and the
//! position for XML), a non-zero exit, no output file left behind, and the user's input untouched.

use crate::builder;

use crate::common;

use common::tool;
use std::path::{Path, PathBuf};

const LAYER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tei/layer.xml");

/// Run the tool in `dir`; it must fail with exactly one line on stderr, which is returned.
fn fails_one_line(dir: &Path, args: &[&str]) -> String {
    let o = tool().current_dir(dir).args(args).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(!o.status.success(), "{args:?} succeeded; stderr: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: not one line:\n{err}"
    );
    assert!(err.starts_with("tei-align: error: "), "{err}");
    err
}

/// A scratch directory with the usual bad files.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("ok.txt"), "Hello world. This is fine.\n").unwrap();
    std::fs::write(p.join("latin1.txt"), b"Caf\xe9 cr\xe8me. Fine.\n").unwrap();
    std::fs::write(p.join("empty.txt"), "").unwrap();
    std::fs::create_dir(p.join("adir")).unwrap();
    std::fs::write(
        p.join("broken.xml"),
        "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<text><body>\n  <p>One <hi>two.</p>\n</body></text></TEI>\n",
    )
    .unwrap();
    dir
}

#[test]
fn unreadable_inputs_are_named_by_every_reading_command() {
    let dir = scratch();
    let p = dir.path();
    let cases: &[(&str, &str)] = &[
        ("missing.txt", "missing.txt: No such file"),
        ("adir", "adir: Is a directory"),
        ("empty.txt", "empty.txt: file is empty"),
        (
            "latin1.txt",
            "latin1.txt:1:4: not UTF-8 (invalid byte 0xe9 at offset 3)",
        ),
    ];
    for (file, expect) in cases {
        for args in [
            vec!["segment", "--lang", "cs", file],
            vec!["import", "--lang", "cs", file, "-o", "out.xml"],
            vec!["coverage", file],
        ] {
            let err = fails_one_line(p, &args);
            // `coverage` takes a directory for a work, and says it is not one of a project.
            let expect = if args[0] == "coverage" && *file == "adir" {
                "adir: not inside a project"
            } else {
                expect
            };
            assert!(err.contains(expect), "{args:?}: {err}");
        }
        assert!(!p.join("out.xml").exists());
    }
    // Malformed XML: file, line and column.
    for args in [
        vec!["import", "broken.xml", "-o", "out.xml"],
        vec!["coverage", "broken.xml"],
    ] {
        let err = fails_one_line(p, &args);
        assert!(err.contains("broken.xml:4:18: malformed XML"), "{err}");
    }
    assert!(!p.join("out.xml").exists());
}

#[test]
fn malformed_language_codes_are_errors_unknown_ones_get_the_generic_rules() {
    let dir = scratch();
    let p = dir.path();
    for code in ["../x", "", "a b", "123"] {
        let err = fails_one_line(p, &["segment", "--lang", code, "ok.txt"]);
        assert!(
            err.contains("--lang") && err.contains("not a language code"),
            "{err}"
        );
        let err = fails_one_line(p, &["import", "--lang", code, "ok.txt", "-o", "en.xml"]);
        assert!(err.contains("not a language code"), "{err}");
        assert!(!p.join("en.xml").exists(), "written with --lang {code:?}");
    }
    let err = fails_one_line(p, &["segment", "--lang", "en_US", "ok.txt"]);
    assert!(err.contains("en-US"), "the fix is suggested: {err}");
    // Well-formed codes without rules of their own are fine.
    for code in ["de-AT", "is", "zh-Hant-TW"] {
        tool()
            .current_dir(p)
            .args(["segment", "--lang", code, "ok.txt"])
            .assert()
            .success()
            .stdout("Hello world.\nThis is fine.\n");
    }
}

#[test]
fn html_with_a_malformed_or_missing_lang_names_the_file() {
    let dir = scratch();
    let p = dir.path();
    std::fs::write(
        p.join("l.html"),
        "<html lang=\"en_US\"><body><h1>T</h1><p>One. Two.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        p.join("n.html"),
        "<html><body><h1>T</h1><p>One. Two.</p></body></html>",
    )
    .unwrap();
    let err = fails_one_line(p, &["import", "l.html", "-o", "en.xml"]);
    assert!(err.contains("l.html: html/@lang \"en_US\""), "{err}");
    let err = fails_one_line(p, &["import", "n.html", "-o", "en.xml"]);
    assert!(err.contains("n.html: no language"), "{err}");
    assert!(!p.join("en.xml").exists());
    // --lang settles it.
    tool()
        .current_dir(p)
        .args(["import", "l.html", "--lang", "en-US", "-o", "en.xml"])
        .assert()
        .success();
    let xml = std::fs::read_to_string(p.join("en.xml")).unwrap();
    assert!(xml.contains("xml:lang=\"en-US\""));
}

#[test]
fn ids_that_would_make_broken_pointers_are_refused() {
    let dir = scratch();
    let p = dir.path();
    let base = ["import", "--lang", "en", "ok.txt", "-o", "en.xml"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        base.iter().chain(extra).copied().collect()
    }
    let err = fails_one_line(p, &with(&base, &["--source-layer", "c s"]));
    assert!(err.contains("--source-layer \"c s\""), "{err}");
    let err = fails_one_line(p, &with(&base, &["--id", "../x"]));
    assert!(err.contains("--id \"../x\""), "{err}");
    // A derivation made by someone this layer does not name would point nowhere.
    let err = fails_one_line(
        p,
        &with(
            &base,
            &[
                "--resp",
                "kramer:Mark Kramer:translator",
                "--source-layer",
                "cs",
                "--derivation-resp",
                "kramer,nobody",
            ],
        ),
    );
    assert!(err.contains("--derivation-resp \"nobody\""), "{err}");
    let err = fails_one_line(p, &["import", "--lang", "en", "ok.txt", "-o", "9lives.xml"]);
    assert!(err.contains("9lives.xml") && err.contains("--id"), "{err}");
    assert!(!p.join("en.xml").exists() && !p.join("9lives.xml").exists());
    // The good form of the same command works.
    tool()
        .current_dir(p)
        .args(with(
            &base,
            &[
                "--resp",
                "kramer:Mark Kramer:translator",
                "--source-layer",
                "cs",
                "--derivation-resp",
                "kramer",
            ],
        ))
        .assert()
        .success();
    let xml = std::fs::read_to_string(p.join("en.xml")).unwrap();
    // Who made the translation is in the witness description the relation points at; `@resp`
    // keeps its TEI meaning (who made the assertion) and is not used for it.
    assert!(
        xml.contains("passive=\"cs.xml#layer.cs\" source=\"#en.source\"")
            && xml.contains("<respStmt xml:id=\"kramer\"><resp>translator</resp><persName>Mark Kramer</persName></respStmt>"),
        "{xml}"
    );
}

#[test]
fn outputs_that_cannot_be_written_are_named_and_inputs_never_overwritten() {
    let dir = scratch();
    let p = dir.path();
    // A file where a directory should be: named as such, not as the temporary file.
    let err = fails_one_line(
        p,
        &["import", "--lang", "en", "ok.txt", "-o", "ok.txt/en.xml"],
    );
    assert!(err.contains("ok.txt: not a directory"), "{err}");
    assert!(!err.contains(".tmp"), "{err}");
    // Writing over the input needs --in-place.
    let before = std::fs::read(p.join("ok.txt")).unwrap();
    let err = fails_one_line(p, &["import", "--lang", "en", "ok.txt", "-o", "ok.txt"]);
    assert!(err.contains("--in-place"), "{err}");
    assert_eq!(std::fs::read(p.join("ok.txt")).unwrap(), before);
    // Importing a TEI file writes the output only.
    std::fs::copy(LAYER, p.join("en.xml")).unwrap();
    let before = std::fs::read(p.join("en.xml")).unwrap();
    tool()
        .current_dir(p)
        .args(["import", "en.xml", "-o", "en2.xml"])
        .assert()
        .success();
    assert_eq!(std::fs::read(p.join("en.xml")).unwrap(), before);
    // No temporary file is left anywhere.
    let stray: Vec<PathBuf> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.file_name().unwrap().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// A project with the letter (texts/ and alignments/) in a temporary directory.
fn letter_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (work, al) = builder::letter();
    builder::write_project(dir.path(), &work, &al);
    let texts = dir.path().join("texts/letter-1968");
    (dir, texts)
}

#[test]
fn edition_names_a_wrong_work_directory_and_never_writes_into_it() {
    let (dir, texts) = letter_project();
    let p = dir.path();
    let err = fails_one_line(p, &["edition", "texts/nowork", "-o", "ed"]);
    assert!(err.contains("texts/nowork: No such file"), "{err}");
    let err = fails_one_line(p, &["edition", "texts/letter-1968/cs.xml", "-o", "ed"]);
    assert!(
        err.contains("texts/letter-1968/cs.xml: not a directory"),
        "{err}"
    );
    let err = fails_one_line(
        p,
        &["edition", "texts/letter-1968", "-o", "texts/letter-1968"],
    );
    assert!(
        err.contains("the output directory is the work directory"),
        "{err}"
    );
    assert!(!texts.join("edition.xml").exists());
    let err = fails_one_line(
        p,
        &[
            "edition",
            "texts/letter-1968",
            "-o",
            "texts/letter-1968/cs.xml",
        ],
    );
    assert!(err.contains("cs.xml: not a directory"), "{err}");
    assert!(!p.join("ed").exists());
}

#[test]
fn edition_names_the_alignment_that_does_not_fit() {
    let (dir, _texts) = letter_project();
    let p = dir.path();
    let al = p.join("alignments/letter-1968/alignment.xml");
    let xml = std::fs::read_to_string(&al).unwrap();
    let first_en = xml.find("#en.s").unwrap();
    let end = first_en + xml[first_en..].find(['"', ' ']).unwrap();
    let bad = format!("{}#en.s999{}", &xml[..first_en], &xml[end..]);
    std::fs::write(p.join("other.xml"), bad).unwrap();
    let err = fails_one_line(
        p,
        &[
            "edition",
            "texts/letter-1968",
            "--alignment",
            "other.xml",
            "-o",
            "ed",
        ],
    );
    assert!(
        err.contains("other.xml") && err.contains("en.s999"),
        "{err}"
    );
    assert!(!p.join("ed").exists());
}

#[test]
fn a_work_whose_layers_share_sentence_ids_is_refused() {
    let (_dir, texts) = letter_project();
    // A copy of a layer under another name (or an edition written into the work directory)
    // would otherwise be read as one more layer with the same sentences.
    let cs = std::fs::read_to_string(texts.join("cs.xml")).unwrap();
    let copy = cs.replacen("xml:id=\"layer.cs\"", "xml:id=\"layer.cs-copy\"", 1);
    assert_ne!(cs, copy, "the fixture declares its layer id");
    std::fs::write(texts.join("cs-copy.xml"), copy).unwrap();
    let err = tei_align::tei::read_work(&texts).unwrap_err().to_string();
    assert!(
        err.contains("cs-copy.xml") && err.contains("is also used in") && err.contains("cs.xml"),
        "{err}"
    );
}

#[test]
fn a_message_about_a_whole_file_has_no_line_zero() {
    let dir = tempfile::tempdir().unwrap();
    let err = tei_align::tei::read_work(dir.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no layers"), "{err}");
    assert!(!err.contains(":0:"), "{err}");
}

#[test]
fn run_checks_every_work_directory_before_starting() {
    let (dir, _texts) = letter_project();
    let p = dir.path();
    let err = fails_one_line(
        p,
        &[
            "run",
            "texts/letter-1968",
            "texts/typo",
            "--alignments",
            "al",
            "--editions",
            "ed",
        ],
    );
    assert!(err.contains("texts/typo: No such file"), "{err}");
    assert!(
        !p.join("al").exists() && !p.join("ed").exists(),
        "half done"
    );
}

#[test]
fn import_refuses_nested_sentences_it_could_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("nest.xml"),
        "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader><fileDesc><titleStmt><title>x</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>\n<text><body>\n<p><s xml:id=\"en.s1\">One. <s xml:id=\"en.s2\">Two.</s></s></p></body></text></TEI>\n",
    )
    .unwrap();
    let err = fails_one_line(p, &["import", "nest.xml", "-o", "en.xml"]);
    assert!(err.contains("nest.xml:4: <s> nested in the <s>"), "{err}");
    assert!(!p.join("en.xml").exists());
}

#[test]
fn control_characters_are_named_and_page_breaks_are_white_space() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("bell.txt"), "One.\nA bell\u{7} here.\n").unwrap();
    let err = fails_one_line(p, &["import", "--lang", "en", "bell.txt", "-o", "en.xml"]);
    assert!(err.contains("bell.txt:2:7: character U+0007"), "{err}");
    assert!(!p.join("en.xml").exists());
    // The same character in an XML file makes it malformed: every reader says where.
    std::fs::write(
        p.join("bell.xml"),
        "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text><body><p>A bell\u{7}.</p></body></text></TEI>\n",
    )
    .unwrap();
    let err = fails_one_line(p, &["import", "bell.xml", "-o", "en.xml"]);
    assert!(err.contains("bell.xml:2:"), "{err}");
    assert!(!p.join("en.xml").exists());
    // A form feed (a page break in text from a PDF) is white space, and the layer is valid XML.
    std::fs::write(p.join("ff.txt"), "Page one ends here.\u{c}\nPage two.\n").unwrap();
    tool()
        .current_dir(p)
        .args(["import", "--lang", "en", "ff.txt", "-o", "en.xml"])
        .assert()
        .success();
    let xml = std::fs::read_to_string(p.join("en.xml")).unwrap();
    assert!(!xml.contains('\u{c}'));
    let layer = tei_align::tei::read_layer(&p.join("en.xml")).unwrap();
    let texts: Vec<&str> = layer.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["Page one ends here.", "Page two."]);
}

#[test]
fn coverage_names_the_alignment_whose_layer_is_gone() {
    let (dir, texts) = letter_project();
    let p = dir.path();
    std::fs::rename(texts.join("en.xml"), p.join("en-moved.xml")).unwrap();
    let err = fails_one_line(p, &["coverage", "alignments/letter-1968/alignment.xml"]);
    assert!(
        err.contains("alignments/letter-1968/alignment.xml: layer en is ")
            && err.contains("but texts/letter-1968/en.xml does not exist"),
        "{err}"
    );
}

#[test]
fn import_reads_standard_input_with_the_same_checks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    tool()
        .current_dir(p)
        .args(["import", "-", "--lang", "en", "-o", "en.xml"])
        .write_stdin("One. Two.\n")
        .assert()
        .success();
    let layer = tei_align::tei::read_layer(&p.join("en.xml")).unwrap();
    assert_eq!(layer.sentences.len(), 2);
    let o = tool()
        .current_dir(p)
        .args(["import", "-", "--lang", "en", "-o", "empty.xml"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("<stdin>: file is empty"));
    assert!(!p.join("empty.xml").exists());
    let err = fails_one_line(p, &["import", "-", "--in-place"]);
    assert!(err.contains("standard input"), "{err}");
}

#[test]
fn run_never_writes_into_a_work_directory() {
    let (dir, texts) = letter_project();
    let p = dir.path();
    let before: Vec<_> = std::fs::read_dir(&texts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for args in [
        [
            "run",
            "texts/letter-1968",
            "--alignments",
            "texts",
            "--editions",
            "ed",
        ],
        [
            "run",
            "texts/letter-1968",
            "--alignments",
            "al",
            "--editions",
            "texts",
        ],
    ] {
        let err = fails_one_line(p, &args);
        assert!(err.contains("would write into the work directory"), "{err}");
    }
    let after: Vec<_> = std::fs::read_dir(&texts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before.len(), after.len(), "{after:?}");
    assert!(!p.join("al").exists() && !p.join("ed").exists());
}

#[test]
fn a_tei_file_with_a_malformed_xml_lang_is_imported_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let src = std::fs::read_to_string(LAYER).unwrap().replacen(
        "xml:lang=\"en\"",
        "xml:lang=\"en_US\"",
        1,
    );
    std::fs::write(p.join("in.xml"), &src).unwrap();
    let o = tool()
        .current_dir(p)
        .args(["import", "in.xml", "-o", "en.xml"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("warning: in.xml: TEI/@xml:lang \"en_US\": not a language code"),
        "{err}"
    );
}

#[test]
fn align_never_writes_over_a_layer() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("letter-1968");
    std::fs::create_dir(&work).unwrap();
    for l in ["ru", "cs", "en"] {
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/texts/letter-1968/").to_owned() + l + ".xml",
            work.join(format!("{l}.xml")),
        )
        .unwrap();
    }
    let before = std::fs::read(work.join("en.xml")).unwrap();
    let out = assert_cmd::Command::cargo_bin("tei-align")
        .unwrap()
        .args(["align", "--fresh", "--out"])
        .arg(work.join("en.xml"))
        .arg(&work)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("work directory"), "{err}");
    assert_eq!(std::fs::read(work.join("en.xml")).unwrap(), before);
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    // `tei-align coverage … --json | head -0`: the reader goes away before the report is written.
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("tei-align"))
        .args(["coverage", "--json"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/alignments/udhr/alignment.xml"
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}
