//! Issue 13, finding 9: real TEI. Importing an ELTeC-style novel (headings, a letter inside as
//! `<floatingText>`, page breaks, notes, a quoted verse) and a DraCor-style play (`sp`, `speaker`,
//! `stage` inline and between speeches, verse `l` and `lg`) gives valid TEI whose `<text>`, with
//! the `<s>` tags removed, is byte for byte the input's; `<s>` never wraps what TEI forbids in
//! it; punctuation-only fragments are no sentences; headings end sentences; "Kat. Ivanovna" is
//! one name.

use crate::common::{self, run, tei_align};
use std::path::Path;

/// The `<text>…</text>` of a document.
fn text_part(xml: &str) -> &str {
    let a = xml.find("<text>").expect("a <text>");
    let b = xml.rfind("</text>").expect("a </text>") + "</text>".len();
    &xml[a..b]
}

/// Import `fixture` (realtei/…) as layer `lang` into a temp dir; the output's text.
fn import(fixture: &str, lang: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("{lang}.xml"));
    let xml = import_to(dir.path(), fixture, &out);
    (dir, xml)
}

/// Import `fixture` (realtei/…) to `out`, run in `dir`: it must succeed, give valid TEI and keep
/// the text byte for byte apart from the `<s>` tags. The output's text.
fn import_to(dir: &Path, fixture: &str, out: &Path) -> String {
    let input = common::fixture(&format!("realtei/{fixture}"));
    let r = run(tei_align(dir).arg("import").arg(&input).arg("-o").arg(out));
    assert!(r.ok, "{}", r.err);
    let xml = std::fs::read_to_string(out).unwrap();
    let src = std::fs::read_to_string(&input).unwrap();
    assert_eq!(
        common::strip_s(text_part(&xml)),
        text_part(&src),
        "the text changed beyond <s> tags"
    );
    common::assert_valid_tei(out);
    xml
}

fn sentences(dir: &Path, lang: &str) -> Vec<String> {
    let layer = tei_align::tei::read_layer(&dir.join(format!("{lang}.xml"))).unwrap();
    layer.sentences.into_iter().map(|s| s.text).collect()
}

#[test]
fn eltec_style_novel() {
    let (dir, xml) = import("eltec-novel.xml", "en");
    let s = sentences(dir.path(), "en");
    assert!(
        s.contains(&"Kat. Ivanovna came home late.".to_owned()),
        "{s:#?}"
    );
    assert!(
        s.contains(
            &"Mr. Brown was waiting, e.g. by the window, with L. Novák beside him.".to_owned()
        ),
        "{s:#?}"
    );
    // A lone closing quote joins the sentence before it; "* * * * *" and "—" are no sentences.
    assert!(s.contains(&"\"Out,\" she said. \"".to_owned()), "{s:#?}");
    assert!(
        s.iter().all(|t| t.chars().any(char::is_alphanumeric)),
        "{s:#?}"
    );
    assert!(xml.contains("<p>* * * * *</p>") && xml.contains("<p>—</p>"));
    // Headings are sentences of their own; the letter inside is segmented.
    assert!(s.contains(&"CHAPTER I".to_owned()) && s.contains(&"Dear Katerina,".to_owned()));
    assert!(
        s.contains(&"She folded it again and said nothing.".to_owned()),
        "{s:#?}"
    );
    // The quoted verse is one sentence over two lines.
    assert!(
        s.contains(&"Over the hills and far away, the rain will fall another day.".to_owned()),
        "{s:#?}"
    );
}

#[test]
fn dracor_style_play() {
    let (dir, xml) = import("dracor-play.xml", "ru");
    // No <s> around a <stage> (TEI forbids it): the stage holds its own sentence.
    assert!(!xml.contains("\"><stage>"), "{xml}");
    assert!(xml.contains("<stage><s xml:id="), "{xml}");
    assert!(!xml.contains("<sp who=\"#nina\"><s"), "{xml}");
    let s = sentences(dir.path(), "ru");
    assert!(s.contains(&"(Смотрит на часы.)".to_owned()), "{s:#?}");
    assert!(s.contains(&"Ну вот, занавес.".to_owned()), "{s:#?}");
    // Speakers are not sentences.
    assert!(!s.iter().any(|t| t.starts_with("Треплев")), "{s:#?}");
    // A sentence over three lines is one sentence, in parts inside each line
    // (docs/segmentation.md, "Verse").
    assert!(
        s.contains(
            &"Люди, львы, орлы и куропатки, рогатые олени, гуси, пауки — всё кончено.".to_owned()
        ),
        "{s:#?}"
    );
    assert!(
        xml.contains("<l><s xml:id=\"ru.s") && xml.contains("part=\"I\">Люди"),
        "{xml}"
    );
    assert!(
        xml.contains("part=\"M\">рогатые") && xml.contains("part=\"F\">всё"),
        "{xml}"
    );
    // Two sentences in a line: two <s>; a stanza (<lg>) is a stretch of its own.
    assert!(
        s.contains(&"Холодно, холодно, холодно.".to_owned()),
        "{s:#?}"
    );
    assert!(s.contains(&"Пусто, пусто, пусто.".to_owned()), "{s:#?}");
    assert!(s.contains(&"Страшно!".to_owned()), "{s:#?}");
}

#[test]
fn plain_text_headings_end_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("novel.txt"),
        "CHAPTER I\nIt was a dark night. Kat. Ivanovna slept.\n\n* * * * *\n\nMorning came.\n",
    )
    .unwrap();
    let r = run(tei_align(dir.path()).args(["segment", "--lang", "en", "novel.txt"]));
    assert!(r.ok, "{}", r.err);
    let lines: Vec<&str> = r.out.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "CHAPTER I",
            "It was a dark night.",
            "Kat. Ivanovna slept.",
            "* * * * *",
            "Morning came."
        ]
    );
    // Imported, the ornament is no sentence of its own.
    let r =
        run(tei_align(dir.path()).args(["import", "--lang", "en", "novel.txt", "-o", "en.xml"]));
    assert!(r.ok, "{}", r.err);
    let s = sentences(dir.path(), "en");
    assert_eq!(s[0], "CHAPTER I", "{s:#?}");
    assert!(
        s.iter().all(|t| t.chars().any(char::is_alphanumeric)),
        "{s:#?}"
    );
}

/// A verse scene (`tests/fixtures/realtei/verse/`, German and its English translation):
/// sentences over two and three lines, two lines without white space between them (`</l><l>`),
/// a page break between lines, a `<hi>` in a line. Each layer imports to valid TEI, byte for byte
/// the input without the `<s>`; a sentence over lines is one sentence, and the alignment of the
/// two layers points at the first part's id only.
#[test]
fn verse_sentences_span_lines() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("texts/abend");
    std::fs::create_dir_all(&work).unwrap();
    for lang in ["de", "en"] {
        let out = work.join(format!("{lang}.xml"));
        let xml = import_to(dir.path(), &format!("verse/{lang}.xml"), &out);
        assert!(
            xml.contains("part=\"I\"") && xml.contains("part=\"F\""),
            "{xml}"
        );
        // Nothing new on a second run.
        let again = run(tei_align(dir.path())
            .arg("import")
            .arg("--in-place")
            .arg(&out));
        assert!(again.ok, "{}", again.err);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), xml);
    }
    let de = sentences(&work, "de");
    assert_eq!(
        de,
        [
            "Erste Szene",
            "Der Abend kommt, die Felder ruhn, und über allen Wipfeln steht der Mond.",
            "Was soll ich nun noch sagen, da der Tag vergeht?",
            "Ich gehe still nach Haus und lösche dann das Licht.",
            "Er geht ab."
        ]
    );
    let en = sentences(&work, "en");
    assert_eq!(
        en[2],
        "What more is there to say, now that the day is gone?"
    );
    let r = run(tei_align(dir.path()).args(["align", "texts/abend", "--when", "2026-01-01"]));
    assert!(r.ok, "{}", r.err);
    let al = std::fs::read_to_string(dir.path().join("alignments/abend/alignment.xml")).unwrap();
    let layer = tei_align::tei::read_layer(&work.join("de.xml")).unwrap();
    for s in &layer.sentences {
        assert!(
            al.contains(&format!("#{}\"", s.id)) || al.contains(&format!("#{} ", s.id)),
            "{} not aligned:\n{al}",
            s.id
        );
    }
    // The parts after the first (`de.s2.2`, `en.s3.3` …) are never pointed at.
    let pointers: Vec<&str> = al
        .split(['"', ' '])
        .filter_map(|t| t.split_once(".xml#").map(|(_, id)| id))
        .collect();
    assert!(pointers.len() >= 10, "{al}");
    assert!(
        pointers.iter().all(|id| id.matches('.').count() == 1),
        "{pointers:?}"
    );
    // The edition shows a later part as its sentence: same segment, and `data-s` names it.
    let r = run(tei_align(dir.path()).args(["edition", "texts/abend", "-o", "ed"]));
    assert!(r.ok, "{}", r.err);
    let html = std::fs::read_to_string(dir.path().join("ed/index.html")).unwrap();
    let seg_of = |id: &str| {
        let at = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} not shown"));
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        let seg = tag.split("data-seg=\"").nth(1).unwrap_or("");
        seg[..seg.find('"').unwrap_or(0)].to_owned()
    };
    assert!(!seg_of("de.s2").is_empty());
    assert_eq!(seg_of("de.s2.3"), seg_of("de.s2"));
    assert!(
        html.contains("id=\"de.s2.3\" data-s=\"de.s2\""),
        "de.s2.3 does not name its sentence"
    );
}
