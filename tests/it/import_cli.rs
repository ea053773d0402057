//! `tei-align import` from the command line: text, HTML and TEI input, re-segmentation with
//! stable ids, and every kind of bad input.

use crate::common;

use assert_cmd::Command;
use common::tool;
use std::path::{Path, PathBuf};
use tei_align::model::DerivationKind;
use tei_align::tei::read_layer;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tei")
        .join(name)
}

/// Run a command that must fail: non-zero exit, one line on stderr containing `needles`, and no
/// file left in `dir` other than `keep`.
fn fails(cmd: &mut Command, needles: &[&str], dir: &Path, keep: &[&str]) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "the command succeeded");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr: {err:?}"
    );
    for n in needles {
        assert!(err.contains(n), "stderr {err:?} lacks {n:?}");
    }
    let mut left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let mut keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    keep.sort();
    assert_eq!(left, keep, "no output or temporary file is left behind");
    err
}

#[test]
fn plain_text_letter_with_header() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("en.txt");
    std::fs::write(
        &input,
        "Dear Comrade,\n\nWe write to you. It is urgent!\nStill the same paragraph.\n\nAnother paragraph\n\nAlois Indra\nVasil Bilak\n",
    )
    .unwrap();
    let out = dir.path().join("en.xml");
    tool()
        .args(["import", "--lang", "en", "--letter", "--title", "A letter"])
        .args([
            "--resp",
            "kramer:Mark Kramer:translator",
            "--source-layer",
            "cs",
        ])
        .args(["--derivation", "translation", "--derivation-when", "1992"])
        .args([
            "--source-desc",
            "Wilson Center",
            "--source-url",
            "https://example.org/1",
        ])
        .args([
            "--gap-start",
            "lost:The beginning is lost.",
            "--when",
            "2026-01-02",
        ])
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let l = read_layer(&out).unwrap();
    assert_eq!(l.id, "en");
    assert_eq!(l.lang, "en");
    assert_eq!(l.title, "A letter");
    assert_eq!(l.agents.len(), 1);
    assert_eq!(
        (l.agents[0].id.as_str(), l.agents[0].role.as_str()),
        ("kramer", "translator")
    );
    let d = l.derivations[0].clone();
    assert_eq!(
        (d.source.as_str(), d.kind),
        ("cs", DerivationKind::Translation)
    );
    assert_eq!(d.resp, ["kramer"]);
    assert!(
        l.source_desc.contains("Wilson Center") && l.source_desc.contains("https://example.org/1")
    );
    let texts: Vec<&str> = l.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Dear Comrade,",
            "We write to you.",
            "It is urgent!",
            "Still the same paragraph.",
            "Another paragraph",
            "Alois Indra",
            "Vasil Bilak"
        ]
    );
    assert_eq!(l.sentences[0].id, "en.s1");
    assert_eq!(l.gaps.len(), 1);
    assert_eq!((l.gaps[0].after, l.gaps[0].reason.as_str()), (0, "lost"));
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains("<opener>") && xml.contains("<closer>"));
    assert!(xml.contains("<signed><s xml:id=\"en.s6\">Alois Indra</s></signed>"));
    assert!(xml.contains("<change type=\"segmentation\" n=\"7\" when=\"2026-01-02\">"));
    // The input is untouched.
    assert!(
        std::fs::read_to_string(&input)
            .unwrap()
            .starts_with("Dear Comrade,\n\n")
    );
}

#[test]
fn html_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("eng.html");
    std::fs::write(
        &input,
        "<!doctype html>\n<html lang=\"en\"><head><title>English</title></head><body>\n<h1>Declaration</h1>\n<header><h2>Preamble</h2><p>Whereas one, and two.</p></header>\n<article data-number=\"1\"><h2>Article 1</h2><ol><li>All are free. All are equal.</li></ol></article>\n</body></html>\n",
    )
    .unwrap();
    let out = dir.path().join("en.xml");
    tool()
        .arg("import")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let l = read_layer(&out).unwrap();
    assert_eq!(l.lang, "en", "the language comes from html/@lang");
    assert_eq!(l.title, "Declaration");
    let texts: Vec<&str> = l.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Declaration",
            "Preamble",
            "Whereas one, and two.",
            "Article 1",
            "All are free.",
            "All are equal."
        ]
    );
    // Each head, p and item is its own block.
    let blocks: Vec<usize> = l.sentences.iter().map(|s| s.block).collect();
    assert_eq!(blocks, [0, 1, 2, 3, 4, 4]);
}

#[test]
fn tei_input_keeps_ids_and_never_reuses_deleted_ones() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("rich.xml");
    tool()
        .arg("import")
        .arg(fixture("rich.xml"))
        .arg("-o")
        .arg(&first)
        .assert()
        .success();
    let before = read_layer(&first).unwrap();
    let n = before.sentences.len();
    // An editor deletes the last sentence, adds a new one outside any <s>, and writes two
    // sentences into one <s>.
    let xml = std::fs::read_to_string(&first).unwrap();
    let last = format!("<s xml:id=\"rich.s{n}\">And another.</s>");
    assert!(xml.contains(&last));
    let id_of = |text: &str| {
        before
            .sentences
            .iter()
            .find(|s| s.text == text)
            .map(|s| s.id.clone())
            .unwrap()
    };
    let para = id_of("A paragraph without final punctuation");
    let line = id_of("Another line.");
    let edited = xml
        .replace(&last, "")
        .replace(
            &format!("<p><s xml:id=\"{para}\">"),
            &format!("<p>An added sentence. <s xml:id=\"{para}\">"),
        )
        .replace("Another line.</s>", "Another line. Now split.</s>");
    std::fs::write(&first, &edited).unwrap();
    tool()
        .args(["import", "--in-place", "--resplit"])
        .arg(&first)
        .assert()
        .success();
    let after = read_layer(&first).unwrap();
    // Every kept sentence has the same id and text.
    for s in &before.sentences[..n - 1] {
        let t = after.sentences.iter().find(|x| x.id == s.id).unwrap();
        if s.text != "Another line." {
            assert_eq!(t.text, s.text);
        }
    }
    let new: Vec<(&str, &str)> = after
        .sentences
        .iter()
        .filter(|s| !before.sentences.iter().any(|b| b.id == s.id))
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    // The deleted rich.s{n} is not reused: new ids start above it.
    assert_eq!(
        new,
        [
            (format!("rich.s{}", n + 1).as_str(), "An added sentence."),
            (format!("rich.s{}", n + 2).as_str(), "Now split.")
        ]
    );
    assert_eq!(
        after
            .sentences
            .iter()
            .find(|s| s.text == "Another line.")
            .map(|s| s.id.as_str()),
        Some(line.as_str())
    );
    // Deleting the newest sentence and re-segmenting still does not reuse its id.
    let xml = std::fs::read_to_string(&first).unwrap();
    let newest = format!("<s xml:id=\"rich.s{}\">Now split.</s>", n + 2);
    std::fs::write(&first, xml.replace(&newest, "Again new.")).unwrap();
    tool()
        .args(["import", "--in-place"])
        .arg(&first)
        .assert()
        .success();
    let again = read_layer(&first).unwrap();
    assert!(
        again
            .sentences
            .iter()
            .any(|s| s.id == format!("rich.s{}", n + 3) && s.text == "Again new.")
    );
    assert!(
        !again
            .sentences
            .iter()
            .any(|s| s.id == format!("rich.s{}", n + 2))
    );
}

#[test]
fn a_witness_without_text_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ru.xml");
    tool()
        .args(["import", "--lang", "ru", "--repository", "Some archive"])
        .args(["--gap-end", "text-unavailable:No transcription."])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let l = read_layer(&out).unwrap();
    assert!(!l.has_text());
    assert_eq!(l.gaps.len(), 1);
    assert_eq!(l.gaps[0].reason, "text-unavailable");
    assert_eq!(l.gaps[0].desc.as_deref(), Some("No transcription."));
    // Without a gap, a missing input is an error.
    fails(
        tool()
            .args(["import", "--lang", "ru", "-o"])
            .arg(dir.path().join("x.xml")),
        &["no input file"],
        dir.path(),
        &["ru.xml"],
    );
}

#[test]
fn bad_input_gives_one_line_naming_the_file_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out.xml");
    let write = |name: &str, bytes: &[u8]| {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let bad = write("bad.xml", b"<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader/>\n<text><body><p>a</q></body></text></TEI>\n");
    fails(
        tool().arg("import").arg(&bad).arg("-o").arg(&out),
        &["bad.xml:3:", "malformed XML"],
        d,
        &["bad.xml"],
    );
    let latin = write(
        "latin.txt",
        b"P\xf8\xedli\xb9 \x9elu\xbbou\xe8k\xfd k\xf9\xf2.\n",
    );
    fails(
        tool()
            .args(["import", "--lang", "cs"])
            .arg(&latin)
            .arg("-o")
            .arg(&out),
        &["latin.txt", "not UTF-8"],
        d,
        &["bad.xml", "latin.txt"],
    );
    let empty = write("empty.txt", b"\n \n");
    fails(
        tool()
            .args(["import", "--lang", "cs"])
            .arg(&empty)
            .arg("-o")
            .arg(&out),
        &["empty.txt", "empty"],
        d,
        &["bad.xml", "empty.txt", "latin.txt"],
    );
    let keep = ["bad.xml", "empty.txt", "latin.txt"];
    fails(
        tool()
            .args(["import", "--lang", "cs"])
            .arg(d.join("missing.txt"))
            .arg("-o")
            .arg(&out),
        &["missing.txt"],
        d,
        &keep,
    );
    let dup = write("dup.xml", b"<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text><body>\n<p><s xml:id=\"x.s1\">A.</s>\n<s xml:id=\"x.s1\">B.</s></p></body></text></TEI>");
    let keep = ["bad.xml", "dup.xml", "empty.txt", "latin.txt"];
    fails(
        tool().arg("import").arg(&dup).arg("-o").arg(&out),
        &["dup.xml:3:", "duplicate xml:id \"x.s1\""],
        d,
        &keep,
    );
    fails(
        tool()
            .args(["import", "--no-such-option"])
            .arg(&dup)
            .arg("-o")
            .arg(&out),
        &["--no-such-option"],
        d,
        &keep,
    );
    // The input is never overwritten without --in-place.
    fails(
        tool().arg("import").arg(&dup).arg("-o").arg(&dup),
        &["dup.xml", "--in-place"],
        d,
        &keep,
    );
    let html = write("x.html", b"<html><body><p>One</b></p></body></html>");
    let keep = ["bad.xml", "dup.xml", "empty.txt", "latin.txt", "x.html"];
    fails(
        tool()
            .args(["import", "--lang", "en"])
            .arg(&html)
            .arg("-o")
            .arg(&out),
        &["x.html:1:", "malformed XML"],
        d,
        &keep,
    );
    fails(
        tool()
            .args(["import", "--lang", "en", "--resp", "no-name"])
            .arg(&empty)
            .arg("-o")
            .arg(&out),
        &["--resp"],
        d,
        &keep,
    );
}

#[test]
fn a_failed_import_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cs.xml");
    std::fs::write(&out, "old contents").unwrap();
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, "<TEI><text>").unwrap();
    tool()
        .arg("import")
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .failure();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old contents");
}

/// A layer imported without `--title` (session 14): a derived one is named after its source
/// (the work's name from the source's title, then its language and derivation), as the letter's
/// layers are titled; one with nothing to be named after keeps its file name, and a note says
/// so (not under `-q`).
#[test]
fn a_layer_without_a_title_is_named_after_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("de.txt"),
        "Berger kam nach Brünn. Er druckte Kalender.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("cs.txt"),
        "Berger přišel do Brna. Tiskl kalendáře.\n",
    )
    .unwrap();
    let import = |args: &[&str]| {
        let out = tool()
            .current_dir(d)
            .arg("import")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    };
    let title = |f: &str| read_layer(&d.join(f)).unwrap().title;
    let err = import(&["de.txt", "--lang", "de", "-o", "a/de.xml"]);
    assert_eq!(title("a/de.xml"), "de");
    assert!(
        err.contains("no --title given") && err.contains("\"de\""),
        "{err}"
    );
    let err = import(&["-q", "de.txt", "--lang", "de", "-o", "q/de.xml"]);
    assert!(!err.contains("--title"), "{err}");
    let src = "Chronik der Druckerei Berger (Brünn, 1847–1852)";
    import(&["de.txt", "--lang", "de", "-o", "b/de.xml", "--title", src]);
    let err = import(&[
        "cs.txt",
        "--lang",
        "cs",
        "-o",
        "b/cs.xml",
        "--source-layer",
        "de",
    ]);
    assert_eq!(
        title("b/cs.xml"),
        "Chronik der Druckerei Berger: Czech translation"
    );
    assert!(!err.contains("--title"), "{err}");
    // A title given wins; a source layer not there yet leaves the file name.
    import(&[
        "cs.txt",
        "--lang",
        "cs",
        "-o",
        "c/cs.xml",
        "--source-layer",
        "de",
        "--title",
        "Kronika",
    ]);
    assert_eq!(title("c/cs.xml"), "Kronika");
    import(&[
        "cs.txt",
        "--lang",
        "cs",
        "-o",
        "e/cs.xml",
        "--source-layer",
        "de",
    ]);
    assert_eq!(title("e/cs.xml"), "cs");
    // Nor does a source that was itself titled after its file.
    import(&[
        "cs.txt",
        "--lang",
        "cs",
        "-o",
        "a/cs.xml",
        "--source-layer",
        "de",
    ]);
    assert_eq!(title("a/cs.xml"), "cs");
}
