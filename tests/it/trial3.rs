//! What the third new user's trial found (session 15, docs/workflow.md "New-user trial, session
//! 15"): a corpus builder starting a work from TEI a converter wrote (no language, an empty
//! title, no derivation) and from TEI with `<choice>`/`<subst>` in sentences; a scholarly editor
//! reading an Arabic layer in the edition; a CI maintainer whose coverage gate passed an
//! alignment older than its layers.

use crate::cdp::{Browser, find_chromium};
use crate::common;

use common::{Run, ok_no_editor, run_no_editor};
use std::path::Path;

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.out).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A TEI file as pandoc's TEI writer makes one from a DOCX: no `xml:lang`, an empty title, an
/// empty `publicationStmt`, paragraphs without `<s>`.
const PANDOC_TEI: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader>
  <fileDesc>
    <titleStmt>
      <title></title>
    </titleStmt>
    <publicationStmt>
    </publicationStmt>
    <sourceDesc>
      <p>Produced by pandoc.</p>
    </sourceDesc>
  </fileDesc>
</teiHeader>
<text>
<body>
<div type="level1" xml:id="the-north-wind-and-the-sun">
  <head>The North Wind and the Sun</head>
  <p>The North Wind and the Sun were quarrelling about which of them was
  the stronger. They agreed that the victory should go to whichever of
  them could strip a traveller of his clothes.</p>
  <p>The Sun at first shone moderately.</p>
</div>
</body>
</text>
</TEI>
"#;

/// The Arabic of the same text, in plain text.
const ARABIC: &str = "الريح الشمالية والشمس\n\nتنازعت الريح الشمالية والشمس أيهما أقوى. واتفقتا على أن يكون النصر لمن تنزع منهما ثياب رجل مسافر.\n\nفأشرقت الشمس أولاً باعتدال.\n";

#[test]
fn a_tei_file_without_a_language_gets_the_one_given_and_an_empty_title_is_no_heading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("en-pandoc.xml"), PANDOC_TEI);
    // Without --lang: the layer would have no language; import says so.
    let r = ok_no_editor(d, &["import", "en-pandoc.xml", "-o", "texts/nw/x.xml"]);
    assert!(r.err.contains("declares no language"), "{}", r.err);
    std::fs::remove_file(d.join("texts/nw/x.xml")).unwrap();
    // With --lang: written on the root, nothing else of the file touched but the <s>.
    ok_no_editor(
        d,
        &[
            "import",
            "en-pandoc.xml",
            "--lang",
            "en",
            "-o",
            "texts/nw/en.xml",
        ],
    );
    let en = std::fs::read_to_string(d.join("texts/nw/en.xml")).unwrap();
    assert!(
        en.contains("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\">"),
        "{en}"
    );
    write(&d.join("ar.txt"), ARABIC);
    ok_no_editor(
        d,
        &[
            "import",
            "ar.txt",
            "--lang",
            "ar",
            "--source-layer",
            "en",
            "-o",
            "texts/nw/ar.xml",
        ],
    );
    ok_no_editor(d, &["align", "texts/nw"]);
    ok_no_editor(d, &["edition", "texts/nw", "-o", "editions/nw"]);
    let html = std::fs::read_to_string(d.join("editions/nw/index.html")).unwrap();
    assert!(!html.contains("lang=\"\""), "an element without language");
    // pandoc's empty <title/> is no title: no empty heading, title cell or page title.
    let empty_h1 = regex_free_find(&html, "<h1", "></h1>");
    assert!(!empty_h1, "an empty <h1>");
    assert!(
        !html.contains("<dd lang=\"en\"></dd>"),
        "an empty title cell"
    );
    assert!(
        !html.contains("<title> —"),
        "a page title without a work title"
    );
}

/// Whether an element that starts with `open` ends at once with `close` (`<h1 …></h1>`).
fn regex_free_find(html: &str, open: &str, close: &str) -> bool {
    html.match_indices(open).any(|(i, _)| {
        let rest = &html[i..];
        rest.find('>')
            .is_some_and(|gt| rest[gt + 1..].starts_with(close.trim_start_matches('>')))
    })
}

#[test]
fn choice_and_subst_are_read_as_one_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("en.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>The visit</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
  <p>The <choice><abbr>Dr.</abbr><expan>Doctor</expan></choice> came. He said the <choice><orig>colour</orig><reg>color</reg></choice> was red. It was <subst><del>blue</del><add>green</add></subst> once.</p>
  </body></text>
</TEI>
"#,
    );
    ok_no_editor(d, &["import", "en.xml", "-o", "texts/v/en.xml"]);
    write(
        &d.join("de.txt"),
        "Der Doktor kam. Er sagte, die Farbe sei rot. Sie war einmal grün.\n",
    );
    ok_no_editor(
        d,
        &[
            "import",
            "de.txt",
            "--lang",
            "de",
            "--source-layer",
            "en",
            "-o",
            "texts/v/de.xml",
        ],
    );
    ok_no_editor(d, &["align", "texts/v"]);
    let all: String = ["en.s1", "en.s2", "en.s3"]
        .iter()
        .map(|id| {
            json(&ok_no_editor(
                d,
                &["trace", id, "--work", "texts/v", "--json"],
            ))
            .to_string()
        })
        .collect();
    // The text as the source has it (abbr, orig, as sic is kept against corr), without what
    // the writer struck out: never both sides glued together.
    for (want, not) in [
        ("The Dr. came.", "Dr.Doctor"),
        ("He said the colour was red.", "colourcolor"),
        ("It was green once.", "bluegreen"),
    ] {
        assert!(all.contains(want), "no {want:?} in {all}");
        assert!(!all.contains(not), "{not:?} in {all}");
    }
}

#[test]
fn align_says_when_no_layer_names_a_source() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("en-pandoc.xml"), PANDOC_TEI);
    ok_no_editor(
        d,
        &[
            "import",
            "en-pandoc.xml",
            "--lang",
            "en",
            "-o",
            "texts/nw/en.xml",
        ],
    );
    write(&d.join("ar.txt"), ARABIC);
    // The Arabic imported without --source-layer: two originals, nothing to compare.
    ok_no_editor(
        d,
        &["import", "ar.txt", "--lang", "ar", "-o", "texts/nw/ar.xml"],
    );
    let r = ok_no_editor(d, &["align", "texts/nw"]);
    assert!(
        r.err.contains("nothing was aligned") && r.err.contains("--source-layer"),
        "{}",
        r.err
    );
}

#[test]
fn an_arabic_layer_is_laid_out_right_to_left() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("en-pandoc.xml"), PANDOC_TEI);
    ok_no_editor(
        d,
        &[
            "import",
            "en-pandoc.xml",
            "--lang",
            "en",
            "-o",
            "texts/nw/en.xml",
        ],
    );
    write(&d.join("ar.txt"), ARABIC);
    ok_no_editor(
        d,
        &[
            "import",
            "ar.txt",
            "--lang",
            "ar",
            "--source-layer",
            "en",
            "--title",
            "الريح الشمالية والشمس",
            "-o",
            "texts/nw/ar.xml",
        ],
    );
    ok_no_editor(d, &["align", "texts/nw"]);
    ok_no_editor(d, &["edition", "texts/nw", "-o", "editions/nw"]);
    let page = d.join("editions/nw/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("data-layer=\"ar\" data-label=\"ar · Arabic\" lang=\"ar\" dir=\"rtl\">"),
        "the Arabic cells are not right to left"
    );
    assert!(
        !html.contains("lang=\"en\" dir=\"rtl\""),
        "English marked rtl"
    );
    let Some(bin) = find_chromium() else {
        common::missing("chromium (the right-to-left layout check)");
        return;
    };
    let mut b = Browser::launch(&bin);
    b.open(&format!("file://{}", page.display()), 1400, 1000, false);
    // Laid out as a reader of Arabic expects: the cell runs right to left, and its first
    // sentence starts at the cell's right edge (left to right, it started at the left).
    let v = b.eval(
        "(function(){var c=document.querySelector('.cell[data-layer=ar]');\
         var s=document.getElementById('ar.s2');var cr=c.getBoundingClientRect();\
         var r=s.getClientRects()[0];\
         return [getComputedStyle(c).direction, cr.right - r.right, r.left - cr.left];})()",
    );
    assert_eq!(v[0], "rtl", "{v}");
    assert!(v[1].as_f64().unwrap() < 30.0, "not at the right edge: {v}");
    assert!(v[2].as_f64().unwrap() > 30.0, "at the left edge: {v}");
}

#[test]
fn a_stale_alignment_fails_the_coverage_gate() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    ok_no_editor(d, &["coverage", "texts/w", "--fail-under", "50"]);
    // A sentence added to the derived layer after it was aligned: the percentages count only
    // what was aligned, so they stay at 100 %; the gate must still fail.
    let en = d.join("texts/w/en.xml");
    let xml = std::fs::read_to_string(&en).unwrap();
    let xml = xml.replace(
        "Tomorrow we will go on to Olomouc.</s>",
        "Tomorrow we will go on to Olomouc.</s> We will stay there for two days.",
    );
    std::fs::write(&en, xml).unwrap();
    ok_no_editor(d, &["import", "--in-place", "texts/w/en.xml"]);
    let r = run_no_editor(d, &["coverage", "texts/w", "--fail-under", "50", "--json"]);
    assert_eq!(r.code, Some(1), "{}{}", r.out, r.err);
    assert!(
        r.err.contains("not up to date") && r.err.contains("run tei-align align"),
        "{}",
        r.err
    );
    let cov = json(&r);
    let stale: usize = cov["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["unaccounted_derived"].as_array().unwrap().len())
        .sum();
    assert_eq!(stale, 1, "{cov}");
    // The report alone still prints, with a warning.
    let r = ok_no_editor(d, &["coverage", "texts/w"]);
    assert!(r.err.contains("not up to date"), "{}", r.err);
    // Aligned again: the gate passes.
    ok_no_editor(d, &["align", "texts/w"]);
    ok_no_editor(d, &["coverage", "texts/w", "--fail-under", "50"]);
    // A new derived layer after the alignment: its edge is missing.
    write(
        &d.join("de.txt"),
        "Lieber Peter,\n\nGestern sind wir in Brno angekommen.\n",
    );
    ok_no_editor(
        d,
        &[
            "import",
            "de.txt",
            "--lang",
            "de",
            "--source-layer",
            "en",
            "-o",
            "texts/w/de.xml",
        ],
    );
    let r = run_no_editor(d, &["coverage", "texts/w", "--fail-under", "50"]);
    assert_eq!(r.code, Some(1), "{}{}", r.out, r.err);
    assert!(r.err.contains("en → de"), "{}", r.err);
}

#[test]
fn a_greek_question_mark_ends_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines = |lang: &str, text: &str| -> Vec<String> {
        write(&d.join("in.txt"), text);
        let r = ok_no_editor(d, &["segment", "--lang", lang, "-q", "in.txt"]);
        r.out.lines().map(str::to_owned).collect()
    };
    // Greek writes its question mark as `;` (U+037E, which NFC makes `;`).
    for lang in ["grc", "el"] {
        assert_eq!(
            lines(lang, "Τί ἐστι τοῦτο; Οὐδὲν ἐστι.\n"),
            ["Τί ἐστι τοῦτο;", "Οὐδὲν ἐστι."],
            "{lang}"
        );
    }
    assert_eq!(
        lines("de", "Τί ἐστι τοῦτο\u{37E} Οὐδὲν ἐστι.\n"),
        ["Τί ἐστι τοῦτο\u{37E}", "Οὐδὲν ἐστι."]
    );
    // Elsewhere a semicolon is not a sentence end.
    assert_eq!(lines("en", "It rained; Peter stayed.\n").len(), 1);
}

#[test]
fn who_confirmed_a_link_is_on_the_page_without_javascript() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    ok_no_editor(
        d,
        &["link", "texts/w", "cs.s2", "en.s2", "--by", "eva:Eva Nová"],
    );
    ok_no_editor(d, &["edition", "texts/w", "-o", "editions/w"]);
    let html = std::fs::read_to_string(d.join("editions/w/index.html")).unwrap();
    // The sentence's own tooltip (the provenance panel needs the script).
    let at = html.find("id=\"en.s2\"").expect("en.s2 on the page");
    let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
    assert!(tag.contains("confirmed by Eva Nová on 20"), "{tag}");
}

#[test]
fn without_javascript_the_notes_are_shown_as_footnotes() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    ok_no_editor(d, &["edition", "texts/w", "-o", "editions/w"]);
    let html = std::fs::read_to_string(d.join("editions/w/index.html")).unwrap();
    let head = &html[..html.find("</head>").unwrap()];
    // The footnote lists print shows, shown on screen when the script cannot run.
    let ns = &head[head.find("<noscript>").expect("a <noscript> in the head")..];
    assert!(ns.contains(".fnotes { display:block;"), "{ns}");
}
