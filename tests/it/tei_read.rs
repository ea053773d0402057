//! `tei::read_layer` and `tei::read_work` on fixtures, and their errors.

use std::path::{Path, PathBuf};
use tei_align::model::DerivationKind;
use tei_align::tei::{TeiError, read_layer, read_work};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tei")
        .join(name)
}

#[test]
fn reads_header_sentences_and_gaps() {
    let l = read_layer(&fixture("layer.xml")).unwrap();
    assert_eq!(l.id, "layer");
    assert_eq!(l.lang, "en");
    assert_eq!(l.title, "A test letter");
    assert_eq!(l.agents.len(), 2);
    assert_eq!(l.agents[0].id, "kramer");
    assert_eq!(l.agents[0].name, "Mark Kramer");
    assert_eq!(l.agents[0].role, "translator");
    assert_eq!(l.agents[1].name, "Hospodářské noviny");
    assert!(l.source_desc.contains("doc. 114636"), "{}", l.source_desc);
    let d = &l.derivations[0];
    assert_eq!(d.source, "cs");
    assert_eq!(d.kind, DerivationKind::Translation);
    assert_eq!(d.resp, vec!["kramer".to_string()]);
    assert_eq!(d.when.as_deref(), Some("1992"));

    let ids: Vec<&str> = l.sentences.iter().map(|s| s.id.as_str()).collect();
    // en.s5 is the final part of en.s4 and continues it.
    assert_eq!(ids, ["en.s1", "en.s2", "en.s3", "en.s4", "en.s6"]);
    assert_eq!(l.sentences[0].text, "Esteemed Leonid Ilich,");
    // White space normalised, the note left out, the <hi> content kept.
    assert_eq!(
        l.sentences[1].text,
        "Conscious of the full responsibility for our decision, we appeal."
    );
    assert_eq!(l.sentences[2].text, "A sentence & more text.");
    assert_eq!(l.sentences[3].text, "Split across an element.");
    // Blocks: salute is block 1 inside opener (block 0); the two <p>s; signed inside closer.
    let blocks: Vec<usize> = l.sentences.iter().map(|s| s.block).collect();
    assert_eq!(blocks, [1, 2, 2, 3, 5]);
    assert_eq!(l.sentences[0].line, 22);
    assert_eq!(l.gaps.len(), 1);
    assert_eq!(l.gaps[0].reason, "source-incomplete");
    assert_eq!(l.gaps[0].after, 4);
    assert_eq!(l.gaps[0].block, 3);
    assert_eq!(l.gaps[0].desc.as_deref(), Some("The rest is lost."));
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn tei(body: &str) -> String {
    format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"cs\">\n<teiHeader/>\n<text><body>\n{body}\n</body></text>\n</TEI>\n"
    )
}

fn err_of(body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.xml", body);
    let e = read_layer(&p).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("x.xml"), "message names the file: {msg}");
    assert!(!msg.contains('\n'), "one line: {msg}");
    msg
}

#[test]
fn errors_name_file_and_position() {
    let m = err_of(&tei("<p><s xml:id=\"a\">x</p>"));
    assert!(m.contains("x.xml:4:"), "{m}");
    assert!(m.contains("malformed XML"), "{m}");
    let m = err_of(&tei("<p><s xml:id=\"a\">x</s><s xml:id=\"a\">y</s></p>"));
    assert!(m.contains("duplicate xml:id \"a\""), "{m}");
    let m = err_of(&tei("<p><s>x</s></p>"));
    assert!(m.contains("without xml:id"), "{m}");
    let m = err_of(&tei("<p>\n<s xml:id=\"a\">x <s xml:id=\"b\">y</s></s></p>"));
    assert!(m.contains("nested"), "{m}");
    assert!(m.contains("x.xml:5:"), "{m}");
    let m = err_of("<html><body/></html>");
    assert!(m.contains("not a TEI layer"), "{m}");
    let m = err_of("   \n");
    assert!(m.contains("empty"), "{m}");
    let m = err_of("<TEI>\n<teiHeader/>\n<text>");
    assert!(m.contains("not closed"), "{m}");
}

#[test]
fn missing_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_layer(&dir.path().join("none.xml")).unwrap_err();
    assert!(e.to_string().contains("none.xml"));
    let p = dir.path().join("bad.xml");
    std::fs::write(&p, b"<TEI>\xff</TEI>").unwrap();
    let e = read_layer(&p).unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
}

#[test]
fn malformed_xml_position_is_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "m.xml",
        "<TEI>\n  <text>\n    <p>a & b</p>\n</TEI>",
    );
    match read_layer(&p).unwrap_err() {
        TeiError::Xml { line, column, .. } => {
            assert_eq!(line, 3);
            assert!((10..=12).contains(&column), "column {column}");
        }
        other => panic!("expected an XML error, got {other:?}"),
    }
}

#[test]
fn read_work_sorts_layers_and_rejects_two_files_for_one_layer() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("letter");
    std::fs::create_dir(&w).unwrap();
    write(&w, "en.xml", &tei("<p><s xml:id=\"en.s1\">Hello.</s></p>"));
    write(&w, "cs.xml", &tei("<p><s xml:id=\"cs.s1\">Ahoj.</s></p>"));
    write(&w, "notes.txt", "not a layer");
    let work = read_work(&w).unwrap();
    assert_eq!(work.id, "letter");
    let ids: Vec<&str> = work.layers.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["cs", "en"]);
    assert_eq!(work.layer("cs").unwrap().sentences[0].text, "Ahoj.");

    let twice = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"layer.cs\"><teiHeader/><text><body><p/></body></text></TEI>";
    write(&w, "cs.xml", twice);
    write(&w, "cs-copy.xml", twice);
    let e = read_work(&w).unwrap_err().to_string();
    assert!(e.contains("declares layer \"cs\""), "{e}");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(
        read_work(&empty)
            .unwrap_err()
            .to_string()
            .contains("no layers")
    );
    assert!(read_work(&dir.path().join("missing")).is_err());
}
