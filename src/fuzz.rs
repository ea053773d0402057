//! Fuzz targets: the TEI reader, the alignment reader, the `<s>` inserter and the splitter, each
//! as a function of arbitrary bytes that panics when an invariant breaks (any other panic is a
//! bug too). The same functions are run by `cargo fuzz` (`fuzz/`, coverage-guided, nightly) and
//! by the stable harness of the integration tests (`tests/it/fuzz_stable.rs`, mutations of the
//! fixtures), so a crasher found by either is a regression test of both.
//!
//! Not part of the supported API.
#![doc(hidden)]

use crate::tei::TeiError;
use std::path::Path;

/// The bytes as text, the way a reading command sees a file: decoded as the file declares
/// (see [`crate::fsutil::decode`]); `None` when they would be refused before parsing.
fn text(data: &[u8]) -> Option<String> {
    crate::fsutil::decode(data.to_vec(), Path::new("fuzz.xml")).ok()
}

/// Reading a layer: errors are fine, panics are not; a layer read has NCName ids, unique, and
/// sentences with text trimmed and never holding a line break.
pub fn tei_reader(data: &[u8]) {
    let Some(src) = text(data) else { return };
    if let Ok(layer) = crate::tei::reader::parse_layer(&src, Path::new("fuzz.xml"), "fz") {
        let mut seen = std::collections::HashSet::new();
        for s in &layer.sentences {
            assert!(crate::tei::wf::is_ncname(&s.id), "id {:?} read", s.id);
            assert!(seen.insert(s.id.as_str()), "id {:?} read twice", s.id);
            assert_eq!(s.text.trim(), s.text, "untrimmed sentence text");
            assert!(!s.text.contains('\n'), "sentence text with a line break");
        }
    }
}

/// Reading an alignment: errors are fine, panics are not.
pub fn alignment_reader(data: &[u8]) {
    let Some(src) = text(data) else { return };
    let _ = crate::tei::standoff::parse_alignment(&src, "fuzz.xml");
}

/// Inserting `<s>`: when the inserter accepts a document, what it writes is read back by the
/// layer reader (it never writes what its readers reject), running it again inserts nothing, and
/// — for a document that held no `<s>` — removing the inserted tags gives the input back.
pub fn inserter(data: &[u8]) {
    let Some(src) = text(data) else { return };
    let opts = crate::tei::SegmentOptions {
        layer: "fz".into(),
        lang: "en".into(),
        ..Default::default()
    };
    let Ok(r) = crate::tei::resegment(&src, "fuzz.xml", &opts) else {
        return;
    };
    match crate::tei::reader::parse_layer(&r.xml, Path::new("fuzz.xml"), "fz") {
        Ok(_) => {}
        // A document that is not a layer for other reasons (no `<text>`) is not our concern.
        Err(TeiError::Invalid { message, .. }) if !message.contains("<s>") => {}
        Err(e) => panic!("the inserter wrote what the reader rejects: {e}\n{}", r.xml),
    }
    let again = crate::tei::resegment(&r.xml, "fuzz.xml", &opts)
        .unwrap_or_else(|e| panic!("the inserter rejects its own output: {e}\n{}", r.xml));
    assert!(
        again.new_ids.is_empty(),
        "a second run inserted {:?}\n{}",
        again.new_ids,
        r.xml
    );
    if !src.contains("s>") && !src.contains("<s") && !src.contains(":s") {
        assert_eq!(strip_inserted(&r.xml), src, "the inserter changed the text");
    }
}

/// `xml` without the `<s …>` start tags and `</s>` end tags the inserter adds.
pub(crate) fn strip_inserted(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find("<s xml:id=\"fz.s") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |k| i + k + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("</s>", "")
}

/// Splitting: ranges in order, not overlapping, trimmed, non-empty, on character boundaries,
/// and every letter or digit of the text inside one of them.
pub fn splitter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lang in ["cs", "en", "ru", "de"] {
        let ranges = crate::segment::split(text, lang);
        let mut last = 0;
        for r in &ranges {
            assert!(
                r.start >= last && r.start < r.end && r.end <= text.len(),
                "{r:?}"
            );
            let s = &text[r.clone()];
            assert_eq!(s.trim(), s, "untrimmed sentence");
            last = r.end;
        }
        let mut k = 0;
        for (i, c) in text.char_indices() {
            if !c.is_alphanumeric() {
                continue;
            }
            while k < ranges.len() && ranges[k].end <= i {
                k += 1;
            }
            assert!(
                k < ranges.len() && ranges[k].start <= i,
                "{c:?} at {i} is in no sentence"
            );
        }
    }
}
