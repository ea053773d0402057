//! Issue 13, findings 2–4: the XML front end. Not-well-formed files are refused with
//! file:line:col by every reading command; internal entities are expanded in every derived text
//! and kept in the layer file; a declared encoding is honoured; ids are NCNames.

use crate::common::{self, run, tei_align};
use std::path::Path;

/// The chain letter's English layer with `replace` applied to its text.
fn en_with(from: &str, to: &str) -> String {
    let en = std::fs::read_to_string(common::fixture("work/chain/en.xml")).unwrap();
    assert!(en.contains(from), "fixture lacks {from:?}");
    en.replacen(from, to, 1)
}

/// A work `texts/letter` (chain fixture) whose en.xml is `en`.
fn work_with_en(en: &str) -> tempfile::TempDir {
    let dir = common::chain_letter();
    std::fs::write(dir.path().join("texts/letter/en.xml"), en).unwrap();
    dir
}

#[test]
fn not_well_formed_layers_are_refused_with_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        // (what to replace, by what, what the message must say)
        ("has made a number", "has ]]> made a number", "]]>"),
        (
            "has made a number",
            "has &nosuch; made a number",
            "undefined entity &nosuch;",
        ),
        ("has made a number", "has &#xFFFE; made a number", "U+FFFE"),
        ("has made a number", "has &#xFFFF; made a number", "U+FFFF"),
        ("has made a number", "has &#8; made a number", "U+0008"),
        (
            "<p><s xml:id=\"en.s4\">",
            "<?xml version=\"1.0\"?><p><s xml:id=\"en.s4\">",
            "XML declaration",
        ),
        ("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", "UTF-16"),
        (
            "<s xml:id=\"en.s3\">",
            "<s xml:id=\"en.s3\" rend=\"a<b\">",
            "'<'",
        ),
    ];
    for (from, to, says) in cases {
        let dir = work_with_en(&en_with(from, to));
        for args in [
            vec!["check", "--no-jing", "texts/letter"],
            vec!["align", "texts/letter", "--when", "2026-01-01"],
        ] {
            let r = run(tei_align(dir.path()).args(&args));
            assert!(!r.ok, "{args:?} accepted {to:?}");
            assert!(r.err.contains(says), "{args:?} {to:?}: {}", r.err);
            assert!(
                r.err.contains("en.xml:"),
                "{args:?}: no file named: {}",
                r.err
            );
            // file:line:col
            let at = r.err.split("en.xml:").nth(1).unwrap_or("");
            let mut nums = at.split(':').take(2);
            assert!(
                nums.all(|n| n.parse::<usize>().is_ok()),
                "{args:?}: no line:col: {}",
                r.err
            );
        }
        assert!(
            !dir.path().join("alignments/letter/alignment.xml").exists(),
            "align wrote an alignment from a malformed layer"
        );
    }
}

#[test]
fn a_single_byte_encoding_declared_on_utf8_bytes_is_refused() {
    // "Ilich" with an accent so the bytes are not ASCII.
    let en = en_with("encoding=\"UTF-8\"", "encoding=\"ISO-8859-2\"")
        .replace("Leonid Ilich", "Leonid Iljič");
    let dir = work_with_en(&en);
    let r = run(tei_align(dir.path()).args(["check", "--no-jing", "texts/letter"]));
    assert!(!r.ok);
    assert!(
        r.err.contains("ISO-8859-2") && r.err.contains("UTF-8"),
        "{}",
        r.err
    );
}

#[test]
fn declared_encodings_are_decoded() {
    let en = en_with("Leonid Ilich", "Leonid Iljič");
    // ISO-8859-2: "č" is 0xE8.
    let latin2 = en.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-2\"");
    let (bytes, _, bad) = encoding_rs::ISO_8859_2.encode(&latin2);
    assert!(!bad);
    // UTF-16LE with a byte-order mark.
    let utf16 = en.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    let mut wide = vec![0xFF, 0xFE];
    wide.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
    for raw in [bytes.into_owned(), wide] {
        let dir = common::chain_letter();
        let p = dir.path().join("texts/letter/en.xml");
        std::fs::write(&p, &raw).unwrap();
        let layer = tei_align::tei::read_layer(&p).unwrap();
        assert_eq!(layer.sentences[0].text, "Esteemed Leonid Iljič,");
        let r = run(tei_align(dir.path()).args(["align", "texts/letter", "--when", "2026-01-01"]));
        assert!(r.ok, "{}", r.err);
        let r = run(tei_align(dir.path()).args(["trace", "en.s1", "--work", "texts/letter"]));
        assert!(r.out.contains("Iljič"), "{}{}", r.out, r.err);
        // The user's file is not rewritten.
        assert_eq!(std::fs::read(&p).unwrap(), raw);
    }
}

#[test]
fn internal_entities_reach_every_derived_text_and_stay_in_the_layer() {
    let en = en_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE TEI [\n  <!ENTITY cc \"Central Committee\">\n]>\n",
    )
    .replace(
        "has made a number of mistakes.",
        "has made a number of mistakes, says the Party's &cc;.",
    );
    let dir = work_with_en(&en);
    let p = dir.path();
    let r = run(tei_align(p).args(["align", "texts/letter", "--when", "2026-01-01"]));
    assert!(r.ok, "{}", r.err);
    let r = run(tei_align(p).args(["trace", "en.s2", "--work", "texts/letter"]));
    assert!(r.ok, "{}", r.err);
    assert!(
        r.out.contains("the Party's Central Committee."),
        "{}",
        r.out
    );
    let r = run(tei_align(p).args([
        "export",
        "texts/letter",
        "--format",
        "tsv",
        "--edge",
        "cs-en",
        "-o",
        "-",
    ]));
    assert!(r.ok, "{}", r.err);
    assert!(
        r.out.contains("the Party's Central Committee."),
        "{}",
        r.out
    );
    let r = run(tei_align(p).args(["edition", "texts/letter", "-o", "ed"]));
    assert!(r.ok, "{}", r.err);
    for f in ["ed/edition.xml", "ed/index.html"] {
        let t = std::fs::read_to_string(p.join(f)).unwrap();
        assert!(
            t.contains("Central Committee."),
            "{f} lost the entity's text"
        );
        assert!(!t.contains("Party's ."), "{f}");
    }
    // The layer keeps the reference.
    let layer = std::fs::read_to_string(p.join("texts/letter/en.xml")).unwrap();
    assert!(layer.contains("the Party's &cc;."));
}

#[test]
fn external_entities_are_reported_never_fetched() {
    let en = en_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE TEI [\n  <!ENTITY ext SYSTEM \"http://127.0.0.1:9/never\">\n]>\n",
    )
    .replace("has made a number", "has &ext; made a number");
    let dir = work_with_en(&en);
    let r = run(tei_align(dir.path()).args(["check", "--no-jing", "texts/letter"]));
    assert!(!r.ok);
    assert!(
        r.err.contains("external entity") && r.err.contains("en.xml:"),
        "{}",
        r.err
    );
}

#[test]
fn ids_that_are_not_ncnames_are_refused_before_align_writes() {
    for bad in ["en s3", "en#s3", "3en"] {
        let dir = work_with_en(&en_with("xml:id=\"en.s3\"", &format!("xml:id=\"{bad}\"")));
        let p = dir.path();
        let r = run(tei_align(p).args(["align", "texts/letter", "--when", "2026-01-01"]));
        assert!(!r.ok, "align accepted id {bad:?}");
        assert!(
            r.err.contains("en.xml:") && r.err.contains("NCName"),
            "{}",
            r.err
        );
        assert!(!p.join("alignments/letter/alignment.xml").exists());
    }
}

#[test]
fn alignment_ids_are_checked_at_reading() {
    let dir = common::aligned_chain_letter();
    let al = dir.path().join("alignments/letter/alignment.xml");
    let text = std::fs::read_to_string(&al).unwrap();
    let id_at = text.find("<link xml:id=\"").unwrap() + "<link xml:id=\"".len();
    let mut bad = text.clone();
    bad.insert(id_at, ' ');
    bad.insert(id_at, 'x');
    std::fs::write(&al, &bad).unwrap();
    let r = run(tei_align(dir.path()).args(["status", "texts/letter"]));
    assert!(!r.ok);
    assert!(
        r.err.contains("alignment.xml:") && r.err.contains("NCName"),
        "{}",
        r.err
    );
    assert!(Path::new(&al).exists());
}
