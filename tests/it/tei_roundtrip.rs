//! The TEI round trip: inserting `<s>` into a document with rich inline markup changes nothing
//! else — removing the `<s>` tags gives back the original bytes.

use crate::common;

use common::strip_s;
use std::path::Path;
use tei_align::tei::{SegmentOptions, read_layer, resegment};

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tei/rich.xml"),
    )
    .unwrap()
}

fn opts() -> SegmentOptions {
    SegmentOptions {
        layer: "rich".into(),
        lang: String::new(),
        resplit: false,
        record_when: None,
    }
}

#[test]
fn removing_the_s_tags_gives_back_the_original() {
    let src = fixture();
    assert!(!src.contains("<s "), "the fixture has no sentences yet");
    let r = resegment(&src, "rich.xml", &opts()).unwrap();
    assert!(
        r.new_ids.len() > 10,
        "sentences were inserted: {:?}",
        r.new_ids
    );
    assert_ne!(r.xml, src);
    assert_eq!(strip_s(&r.xml), src);
}

#[test]
fn the_result_is_a_layer_with_the_expected_sentences() {
    let r = resegment(&fixture(), "rich.xml", &opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rich.xml");
    std::fs::write(&p, &r.xml).unwrap();
    let layer = read_layer(&p).unwrap();
    let texts: Vec<&str> = layer.sentences.iter().map(|s| s.text.as_str()).collect();
    // Ids in document order, from 1, unique.
    let ids: Vec<String> = layer.sentences.iter().map(|s| s.id.clone()).collect();
    let expected: Vec<String> = (1..=ids.len()).map(|n| format!("rich.s{n}")).collect();
    assert_eq!(ids, expected);
    // Nothing from the header, nothing from notes.
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("Made up") || t.contains("A note"))
    );
    assert!(texts.contains(&"A Title with spaces"), "{texts:?}");
    assert!(texts.contains(&"Chapter One"), "{texts:?}");
    assert!(texts.contains(&"The first sentence has italic words and a note."));
    // The note stays inside the sentence it belongs to.
    assert!(r.xml.contains("<s xml:id=\"rich.s3\">The first sentence has <hi rend=\"italic\">italic words</hi> and a\n          note<note place=\"foot\" n=\"1\">A note. It has two sentences, which are not split.</note>.</s>"), "{}", r.xml);
    // Milestones, entities, comments and PIs inside and between sentences.
    assert!(
        texts.iter().any(|t| t.starts_with(
            "The second sentence crosses a page break & an entity \u{2014} and a line break."
        )),
        "{texts:?}"
    );
    assert!(
        r.xml
            .contains("break.</s> <!-- a comment between sentences --> <s xml:id=")
    );
    // A boundary inside <hi>: both sentences are split at its edges with @part, and read back
    // whole.
    assert!(texts.contains(&"A boundary inside."), "{texts:?}");
    assert!(
        texts.contains(&"An inline element splits with parts."),
        "{texts:?}"
    );
    assert!(r.xml.contains("<hi><s xml:id=\"rich.s6.2\" part=\"F\">inside.</s> <s xml:id=\"rich.s7\" part=\"I\">An inline</s></hi>"), "{}", r.xml);
    // A boundary inside an element not known to hold <s>: kept whole, with a warning.
    assert!(
        texts.contains(&"Kept whole. Because it is unclear."),
        "{texts:?}"
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("rich.xml:26:"),
        "{:?}",
        r.warnings
    );
    // No final punctuation; list items; an item inside a paragraph is a hard boundary.
    assert!(texts.contains(&"A paragraph without final punctuation"));
    assert!(texts.contains(&"First item.") && texts.contains(&"Two sentences."));
    assert!(texts.contains(&"Text before a list"), "{texts:?}");
    assert!(texts.contains(&"An item inside a paragraph."));
    assert!(texts.contains(&"and text after it."));
    assert!(texts.contains(&"A line of verse."));
    assert!(texts.contains(&"A back matter sentence."));
    // CDATA and an unknown (DTD) entity are carried along.
    assert!(
        r.xml.contains("<![CDATA[some <CDATA> text]]>.</s>"),
        "{}",
        r.xml
    );
    // Empty and white-space-only paragraphs get no sentence.
    assert!(r.xml.contains("<p>   </p>") && r.xml.contains("<p/>"));
}

#[test]
fn the_result_is_valid_tei() {
    let r = resegment(&fixture(), "rich.xml", &opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rich.xml");
    std::fs::write(&p, &r.xml).unwrap();
    common::assert_valid_tei(&p);
}

#[test]
fn resegmenting_the_result_changes_nothing() {
    let once = resegment(&fixture(), "rich.xml", &opts()).unwrap();
    let twice = resegment(&once.xml, "rich.xml", &opts()).unwrap();
    assert!(twice.new_ids.is_empty());
    assert_eq!(twice.kept, once.new_ids.len());
    assert_eq!(twice.xml, once.xml);
}

#[test]
fn parts_inside_nested_inline_elements_are_valid_tei() {
    let body = "<head>Head <hi>one. Two</hi>.</head><p>He said <q>Stop. <foreign xml:lang=\"de\">Halt. Nein</foreign> now</q>. Then <hi>a <name type=\"place\">Prague. Bratislava</name> b <title>One. Two</title> c. <emph>Go.</emph> Done</hi>.</p>\
        <item>Item <persName>Mark. Kramer</persName> ends.</item>";
    let src = format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body><div>{body}</div></body></text></TEI>"
    )
    .replace("<item>Item <persName>Mark. Kramer</persName> ends.</item>", "<list><item>Item <persName>Mark. Kramer</persName> ends.</item></list>");
    let r = resegment(
        &src,
        "nested.xml",
        &SegmentOptions {
            layer: "n".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        r.xml.contains("part=\"M\"") || r.xml.contains("part=\"F\""),
        "{}",
        r.xml
    );
    assert_eq!(strip_s(&r.xml), src);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nested.xml");
    std::fs::write(&p, &r.xml).unwrap();
    if let Some((ok, msg)) = common::jing(&p) {
        assert!(ok, "jing: {msg}\n{}", r.xml);
    }
    let layer = read_layer(&p).unwrap();
    let texts: Vec<&str> = layer.sentences.iter().map(|s| s.text.as_str()).collect();
    assert!(texts.contains(&"Halt."), "{texts:?}");
    assert!(texts.contains(&"Then a Prague."), "{texts:?}");
}

/// A file saved by an editor with a byte-order mark and Windows line ends: the mark and the
/// `\r\n` stay, and the `<s>` tags land exactly around the sentences (quick-xml does not count
/// the mark in its positions, which shifted every splice by three bytes).
#[test]
fn a_byte_order_mark_and_crlf_survive_and_do_not_shift_the_sentences() {
    let src = format!("\u{feff}{}", fixture().replace('\n', "\r\n"));
    let r = resegment(&src, "rich.xml", &opts()).unwrap();
    assert!(r.xml.starts_with("\u{feff}<?xml"), "the mark is kept");
    assert_eq!(strip_s(&r.xml), src);
    let plain = resegment(&fixture(), "rich.xml", &opts()).unwrap();
    assert_eq!(
        r.xml.replace("\r\n", "\n").trim_start_matches('\u{feff}'),
        plain.xml,
        "the same sentences as without the mark"
    );
    // The reader agrees.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rich.xml");
    std::fs::write(&p, &r.xml).unwrap();
    let layer = read_layer(&p).unwrap();
    assert_eq!(layer.sentences.len(), plain.new_ids.len());
    assert!(layer.sentences.iter().all(|s| !s.text.contains('\u{feff}')));
}

/// A line break is white space: "One.<lb/>Two." is two sentences and "Line<lb/>end" two words
/// (HTML's `<br>` becomes `<lb/>`), unless `break="no"` says the break is inside a word.
#[test]
fn line_breaks_are_white_space_unless_inside_a_word() {
    let src = "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader/><text><body><p>One.<lb/>Two words<lb/>here. A bro<lb break=\"no\"/>ken word.<pb n=\"2\"/>Next page.</p></body></text></TEI>\n";
    let r = resegment(src, "lb.xml", &opts()).unwrap();
    assert_eq!(strip_s(&r.xml), src);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lb.xml");
    std::fs::write(&p, &r.xml).unwrap();
    let texts: Vec<String> = read_layer(&p)
        .unwrap()
        .sentences
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(
        texts,
        ["One.", "Two words here.", "A broken word.", "Next page."],
        "{}",
        r.xml
    );
}
