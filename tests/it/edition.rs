//! The TEI parallel edition and the HTML view, on works built in code.

use crate::builder;

use crate::common;

use common::jing;
use tei_align::edition::{self, EditionOptions};

fn position(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"))
}

/// The number of the row group (`<div class="grp" id="gN">`) that byte `at` of the page is in.
fn group_at(html: &str, at: usize) -> usize {
    let needle = "<div class=\"grp\" id=\"g";
    let g = html[..at].rfind(needle).unwrap() + needle.len();
    let n = &html[g..g + html[g..].find('"').unwrap()];
    n.parse().unwrap()
}

#[test]
fn tei_edition_of_the_letter_is_valid_and_complete() {
    let (work, al) = builder::letter();
    let dir = tempfile::tempdir().unwrap();
    let written =
        edition::write_edition(dir.path(), &work, &al, &EditionOptions::default()).unwrap();
    // The TEI, the page, and the downloads the page links (the alignment with local layer
    // paths, TMX and cesAlign; the layers have no files here).
    for f in [
        "edition.xml",
        "index.html",
        "alignment.xml",
        "letter-1968.tmx",
    ] {
        assert!(written.contains(&dir.path().join(f)), "{f} not written");
    }
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    for p in &written {
        let rel = p.strip_prefix(dir.path()).unwrap().to_str().unwrap();
        if rel != "index.html" {
            assert!(
                html.contains(&format!("href=\"{rel}\"")),
                "{rel} not linked"
            );
        }
    }
    let tei = std::fs::read_to_string(dir.path().join("edition.xml")).unwrap();
    // One <text xml:lang> per layer in derivation order ru, cs, en.
    let ru = position(&tei, "<text xml:lang=\"ru\"");
    let cs = position(&tei, "<text xml:lang=\"cs\"");
    let en = position(&tei, "<text xml:lang=\"en\"");
    assert!(ru < cs && cs < en);
    // Every sentence, once, with its id.
    for l in &work.layers {
        for s in &l.sentences {
            assert_eq!(
                tei.matches(&format!("<s xml:id=\"{}\">", s.id)).count(),
                1,
                "{}",
                s.id
            );
        }
    }
    // Witnesses, derivation graph, the gap of the Czech and the lost Russian.
    for w in ["layer.ru", "layer.cs", "layer.en"] {
        assert!(tei.contains(&format!("<witness xml:id=\"{w}\">")), "{w}");
    }
    // Who made a layer is named in the relation's description (as in the alignment file), not
    // in `@resp`, which says who made the assertion.
    assert!(tei.contains(
        "active=\"#layer.en\" passive=\"#layer.cs\"><desc>translation by <persName ref=\"#kramer\">"
    ));
    assert!(tei.contains("považujte toto naše prohlá</s> <gap reason=\"source-incomplete\">"));
    assert!(tei.contains("<gap reason=\"text-unavailable\">"));
    // The alignment as standOff with local pointers; the verified link points to its change.
    assert!(tei.contains("<link xml:id=\"a.cs-en.1\" type=\"1-1\" target=\"#cs.s1 #en.s1\""));
    assert!(tei.contains("resp=\"#editor\" change=\"#ch1\""));
    assert!(tei.contains("subtype=\"source-gap\" target=\"#en.s17\""));
    // One-member segments (past the gap) are ptrs, not one-ended links.
    assert!(tei.contains("<ptr xml:id=\"seg.17\" type=\"segment\" target=\"#en.s17\""));
    assert!(!tei.contains("../../texts"), "pointers must be local");
    if let Some((ok, msg)) = jing(&dir.path().join("edition.xml")) {
        assert!(ok, "jing: {msg}");
    }
}

#[test]
fn tei_edition_of_the_udhr_is_valid_and_escapes_text() {
    let (work, al) = builder::udhr();
    let tei = edition::to_tei(&work, &al).unwrap();
    // Derivation order: en first, then ru and cs as the relations list them.
    let en = position(&tei, "<text xml:lang=\"en\"");
    let ru = position(&tei, "<text xml:lang=\"ru\"");
    let cs = position(&tei, "<text xml:lang=\"cs\"");
    assert!(en < ru && ru < cs);
    assert!(tei.contains("country &lt;or&gt; territory &amp; its &quot;jurisdiction&quot;."));
    assert!(tei.contains("type=\"2-1\" target=\"#en.s5 #en.s6 #ru.s5\""));
    assert!(tei.contains("subtype=\"source-only\" target=\"#en.s9\""));
    assert!(tei.contains("subtype=\"derived-only\" target=\"#cs.s9\""));
    assert!(tei.contains("Всеобщая декларация прав человека"));
    // Deterministic.
    assert_eq!(tei, edition::to_tei(&work, &al).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("udhr.xml");
    std::fs::write(&f, &tei).unwrap();
    if let Some((ok, msg)) = jing(&f) {
        assert!(ok, "jing: {msg}");
    }
}

#[test]
fn html_view_shows_every_sentence_with_marks_and_no_network() {
    let (work, al) = builder::udhr();
    let html = edition::to_html(&work, &al, &EditionOptions::default()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"));
    assert!(html.contains("@media (max-width:700px)"));
    for l in &work.layers {
        for s in &l.sentences {
            assert_eq!(
                html.matches(&format!(" id=\"{}\" data-seg=", s.id)).count(),
                1,
                "{}",
                s.id
            );
        }
    }
    // Escaped text; the JSON island cannot close its script element.
    assert!(html.contains("country &lt;or&gt; territory &amp; its &quot;jurisdiction&quot;."));
    let json_start = position(&html, "<script type=\"application/json\" id=\"segdata\">");
    let json_end = json_start + html[json_start..].find("</script>").unwrap();
    assert!(!html[json_start + 10..json_end].contains('<'));
    // Self-contained: no external resources.
    for bad in ["src=\"http", "href=\"http", "<link ", "@import", "src=\"//"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // Marks: the merged sentences of seg.5, the doubtful link, the omission and the addition.
    assert!(html.contains("class=\"s nm\" id=\"ru.s5\" data-seg=\"seg.5\""));
    assert!(html.contains("class=\"s doubtful\" id=\"ru.s3\""));
    assert!(html.contains("class=\"s omitted\" id=\"en.s9\" data-seg=\"seg.9\""));
    assert!(html.contains("class=\"s added\" id=\"cs.s9\""));
    assert!(html.contains("omitted in ru"));
    // A permalink anchor per segment, in row groups in order.
    let rows: Vec<usize> = (1..=9)
        .map(|n| {
            group_at(
                &html,
                position(&html, &format!("<span class=\"anchor\" id=\"seg.{n}\">")),
            )
        })
        .collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]), "{rows:?}");
    assert!(rows[0] < rows[8], "{rows:?}");
}

#[test]
fn html_view_of_the_letter_marks_the_gap_and_the_lost_original() {
    let (work, al) = builder::letter();
    let html = edition::to_html(&work, &al, &EditionOptions::default()).unwrap();
    // The lost original: a narrow band that says why.
    assert!(html.contains("class=\"colhead notext\" data-layer=\"ru\""));
    assert!(html.contains("no text: text unavailable"));
    assert!(html.contains("class=\"s source-gap\" id=\"en.s17\""));
    // The cs cell of the row group past the gap says why it is empty.
    let row = html[..position(&html, "id=\"en.s18\"")]
        .rfind("<div class=\"grp\"")
        .unwrap();
    let end = row + html[row..].find("</div>\n").unwrap();
    assert!(
        html[row..end].contains("it has a gap here"),
        "{}",
        &html[row..end]
    );
    assert!(html.contains("gap (source-incomplete): The Czech source breaks off here."));
    assert!(html.contains("no text: the witness ru has no text"));
    assert!(html.contains("16/16 sentences (100.0 %)"));
    assert!(html.contains("Vážený Leonide Iljiči,"));
}

#[test]
fn sentences_outside_every_segment_still_get_a_row() {
    let (work, mut al) = builder::udhr();
    al.segments.retain(|s| s.id != "seg.8"); // cs.s9, the addition
    let html = edition::to_html(&work, &al, &EditionOptions::default()).unwrap();
    let orphan = group_at(
        &html,
        position(&html, "id=\"cs.s9\" data-seg=\"unaligned-cs.s9\""),
    );
    assert!(group_at(&html, position(&html, "id=\"seg.7\"")) <= orphan);
    assert!(orphan <= group_at(&html, position(&html, "id=\"seg.9\"")));
}

#[test]
fn write_edition_leaves_nothing_when_the_alignment_is_inconsistent() {
    let (work, mut al) = builder::udhr();
    al.edges[0].links[0].derived = vec!["ru.s99".into()];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let err = edition::write_edition(&out, &work, &al, &EditionOptions::default()).unwrap_err();
    assert!(err.to_string().contains("ru.s99"));
    assert!(!out.join("edition.xml").exists());
    assert!(!out.join("index.html").exists());
}

#[test]
fn the_layers_own_markup_is_kept_byte_for_byte() {
    let (mut work, al) = builder::letter();
    let dir = tempfile::tempdir().unwrap();
    // Give the en layer a file with real markup: a salutation, a note, a page break, a comment.
    let en = work.layers.iter_mut().find(|l| l.id == "en").unwrap();
    let mut body = String::from(
        "<body><div type=\"letter\"><opener><salute><s xml:id=\"en.s1\">Esteemed Leonid Ilich,</s></salute></opener>\n<p>",
    );
    for s in &en.sentences[1..] {
        body.push_str(&format!(
            "<s xml:id=\"{}\">{}</s> ",
            s.id,
            s.text.replace('&', "&amp;")
        ));
    }
    body.push_str("<note xml:id=\"en.n1\">A <hi rend=\"italic\">note</hi>.</note><pb n=\"2\"/><!-- kept --></p></div></body>");
    let file = dir.path().join("en.xml");
    std::fs::write(
        &file,
        format!(
            "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text>{body}</text></TEI>\n"
        ),
    )
    .unwrap();
    en.path = file.clone();
    let tei = edition::to_tei(&work, &al).unwrap();
    assert!(tei.contains(&body), "the en body is not copied verbatim");
    // The other layers (no file) are written from the model.
    assert!(tei.contains("<p><s xml:id=\"cs.s1\">Vážený Leonide Iljiči,</s></p>"));
    let out = dir.path().join("edition.xml");
    std::fs::write(&out, &tei).unwrap();
    if let Some((ok, msg)) = jing(&out) {
        assert!(ok, "jing: {msg}");
    }

    // An id in the file that the edition already uses (the agent `kramer`): written from the
    // model instead, so the document stays valid.
    let clash = body.replace("xml:id=\"en.n1\"", "xml:id=\"kramer\"");
    std::fs::write(
        &file,
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text>{clash}</text></TEI>"
        ),
    )
    .unwrap();
    let tei = edition::to_tei(&work, &al).unwrap();
    assert!(!tei.contains("<opener>"));
    assert!(tei.contains("<s xml:id=\"en.s1\">Esteemed Leonid Ilich,</s>"));
    assert_eq!(tei.matches("xml:id=\"kramer\"").count(), 1);
    // A file that lacks a sentence of the model is not trusted either.
    let short = body.replace("<s xml:id=\"en.s22\">Vasil Bilak</s>", "");
    std::fs::write(
        &file,
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader/><text>{short}</text></TEI>"
        ),
    )
    .unwrap();
    let tei = edition::to_tei(&work, &al).unwrap();
    assert!(!tei.contains("<opener>"));
    assert!(tei.contains("<s xml:id=\"en.s22\">Vasil Bilak</s>"));
}

#[test]
fn partial_links_are_marked_and_explained_in_the_legend() {
    let (work, mut al) = builder::udhr();
    let l = al.edges[0]
        .links
        .iter_mut()
        .find(|l| l.source.len() == 1 && l.derived.len() == 1)
        .unwrap();
    l.partial = true;
    let (s, d) = (l.source[0].clone(), l.derived[0].clone());
    let html = edition::to_html(&work, &al, &EditionOptions::default()).unwrap();
    for id in [&s, &d] {
        let at = position(&html, &format!(" id=\"{id}\" data-seg="));
        let tag = &html[html[..at].rfind('<').unwrap()..at];
        assert!(tag.contains("partial"), "{id}: {tag}");
    }
    assert!(
        html.contains("<span class=\"s partial\">"),
        "no legend entry"
    );
    // Without the flag, no sentence is marked.
    let (work, al) = builder::udhr();
    let html = edition::to_html(&work, &al, &EditionOptions::default()).unwrap();
    assert!(!html.contains(" partial\" id="));
}

/// The committed letter (its layer files and alignment): the page as a reader gets it.
fn committed_letter_html() -> String {
    let root = common::root();
    let work = tei_align::tei::read_work(&root.join("texts/letter-1968")).unwrap();
    let al = tei_align::tei::standoff::read_alignment(
        &root.join("alignments/letter-1968/alignment.xml"),
    )
    .unwrap();
    edition::to_html(&work, &al, &EditionOptions::default()).unwrap()
}

/// The Czech copy breaks off mid-word inside cs.s16 (its `<gap>` stands inside the `<s>`): the
/// sentence itself says so (its tooltip, which is also its accessible name), and the witness
/// panel places the gap inside that sentence, not after it.
#[test]
fn a_sentence_that_breaks_off_says_so_and_the_witness_places_the_gap_inside_it() {
    let html = committed_letter_html();
    let at = position(&html, " id=\"cs.s16\" data-seg=");
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[html[..at].rfind('<').unwrap()..tag_end];
    assert!(tag.contains("partial"), "{tag}");
    assert!(
        tag.contains("the text of cs breaks off inside this sentence (a gap in the witness: source incomplete)"),
        "{tag}"
    );
    // Only the sentence the gap stands in.
    let at15 = position(&html, " id=\"cs.s15\" data-seg=");
    let tag15 = &html[html[..at15].rfind('<').unwrap()..at15 + html[at15..].find('>').unwrap()];
    assert!(!tag15.contains("breaks off"), "{tag15}");
    let wit = &html[position(&html, "id=\"wit-cs\"")..];
    let wit = &wit[..wit.find("</article>").unwrap()];
    assert!(
        wit.contains("source incomplete (inside cs.s16, which breaks off there)"),
        "{wit}"
    );
    assert!(!wit.contains("after sentence 16"), "{wit}");
}

/// The letter's subtitle states the derivation ru → cs → en as the headers record it, but the
/// sources disagree on the original language (a `note[@type="conflict"]`): the subtitle must not
/// read as settled, and says where the disagreement is shown. The UDHR has no such note.
#[test]
fn the_subtitle_says_when_the_sources_disagree() {
    let sub = |html: &str| {
        let at = position(html, "<p class=\"sub\">");
        let end = at + html[at..].find("</p>").unwrap();
        html[at..end].to_owned()
    };
    let letter = sub(&committed_letter_html());
    assert!(letter.contains(" → "), "{letter}");
    assert!(
        letter.contains("The sources disagree on part of this")
            && letter.contains("href=\"#witnesses\""),
        "{letter}"
    );
    let root = common::root();
    let work = tei_align::tei::read_work(&root.join("texts/udhr")).unwrap();
    let al = tei_align::tei::standoff::read_alignment(&root.join("alignments/udhr/alignment.xml"))
        .unwrap();
    let udhr = sub(&edition::to_html(&work, &al, &EditionOptions::default()).unwrap());
    assert!(!udhr.contains("disagree"), "{udhr}");
}
