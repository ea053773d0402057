//! The encoding of the sources (issue 12): attribution as the sources give it, witness
//! descriptions, where the text came from, on the letter and on a small generic fixture.

use crate::common::{self, assert_valid_tei, read, tool};
use std::path::{Path, PathBuf};
use tei_align::tei::read_layer;

fn letter(f: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("texts/letter-1968")
        .join(f)
}

/// The text between `<tag` and `</tag>` (the first such element).
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let start = xml
        .find(&format!("<{tag}"))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let name = tag.split(' ').next().unwrap_or(tag);
    let end = start + xml[start..].find(&format!("</{name}>")).unwrap();
    &xml[start..end]
}

#[test]
fn the_czech_translator_is_unknown_and_the_paper_its_publisher() {
    let xml = read(&letter("cs.xml"));
    let bibl = element(&xml, "bibl xml:id=\"cs.source\"");
    assert!(bibl.contains("<respStmt xml:id=\"cs.translator\"><resp>translator</resp><persName type=\"unknown\">unknown</persName></respStmt>"), "{bibl}");
    assert!(
        bibl.contains("<publisher cert=\"medium\">Hospodářské noviny</publisher>"),
        "{bibl}"
    );
    assert!(
        bibl.contains("<note type=\"attribution\">") && bibl.contains("Wilson Center"),
        "{bibl}"
    );
    // The derivation: no @resp (the assertion is the encoder's), no publication date as a
    // translation date, the words a reader sees.
    let rel = element(&xml, "relation");
    assert!(
        rel.contains("source=\"#cs.source\"") && !rel.contains("resp=") && !rel.contains("when="),
        "{rel}"
    );
    assert!(
        rel.contains("<desc>translation, translator unknown"),
        "{rel}"
    );
    assert!(!element(&xml, "titleStmt").contains("Hospodářské"));
    let l = read_layer(&letter("cs.xml")).unwrap();
    assert_eq!(l.derivations[0].resp, ["cs.translator"]);
    assert_eq!(
        l.describe_derivation(&l.derivations[0]),
        "translation from ru, translator unknown"
    );
    let en = read_layer(&letter("en.xml")).unwrap();
    assert_eq!(
        en.describe_derivation(&en.derivations[0]),
        "translation from cs by Mark Kramer"
    );
}

#[test]
fn the_udhr_russian_is_an_official_version_not_a_translation() {
    let xml = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/udhr/ru.xml"));
    let rel = element(&xml, "relation");
    assert!(rel.contains("name=\"official-version\""), "{rel}");
    assert!(rel.contains("<desc>official language version:"), "{rel}");
}

#[test]
fn trace_shows_the_translator_unknown_and_the_publisher_as_publisher() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = common::run(common::tei_align(root).args([
        "trace",
        "en.s16",
        "--work",
        "texts/letter-1968",
    ]));
    assert!(r.ok, "{}", r.err);
    let cs = &r.out[r.out.find("[cs]").unwrap()..r.out.find("[en]").unwrap()];
    assert!(
        cs.contains("translation, translator unknown (from ru)"),
        "{cs}"
    );
    assert!(
        cs.contains("Hospodářské noviny (publisher, attribution with medium certainty)"),
        "{cs}"
    );
    assert!(!r.out.contains("by Hospodářské noviny"), "{}", r.out);
}

#[test]
fn the_russian_witness_is_described_from_the_sources_only() {
    let xml = read(&letter("ru.xml"));
    let id = element(&xml, "msIdentifier");
    assert!(
        id.contains("<repository>Archive of the President of the Russian Federation</repository>"),
        "{id}"
    );
    // No settlement or shelfmark of the original: no source gives them.
    assert!(
        !id.contains("<settlement>") && !id.contains("<msIdentifier><idno>"),
        "{id}"
    );
    assert!(id.contains("<altIdentifier><repository>ÚSD</repository><collection>Sb. KV</collection><idno>Z/S 21</idno>"), "{id}");
    let hist = element(&xml, "history");
    assert!(
        hist.contains("<provenance>Found in the Politburo archive in Moscow in July 1992"),
        "{hist}"
    );
    assert!(
        !element(&xml, "profileDesc").contains("Found in"),
        "custody is not creation"
    );
    let authors: Vec<&str> = xml
        .match_indices("<author>")
        .map(|(i, _)| &xml[i + 8..i + xml[i..].find("</author>").unwrap()])
        .collect();
    assert_eq!(
        authors,
        [
            "Alois Indra",
            "Drahomír Kolder",
            "Antonín Kapek",
            "Oldřich Švestka",
            "Vasil Biľak"
        ]
    );
    for b in ["ru.janacek1993", "ru.navratil"] {
        assert!(xml.contains(&format!("<bibl xml:id=\"{b}\">")), "{b}");
    }
}

#[test]
fn every_layer_declares_its_segmentation_normalization_and_gap_reasons() {
    for f in ["ru.xml", "cs.xml", "en.xml"] {
        let xml = read(&letter(f));
        let ed = element(&xml, "editorialDecl");
        let v = format!("tei-align {}", env!("CARGO_PKG_VERSION"));
        assert!(element(ed, "segmentation").contains(&v), "{f}: {ed}");
        assert!(ed.contains("<normalization>"), "{f}");
        assert!(
            xml.contains("<language ident=") && !xml.contains("\"></language>"),
            "{f}"
        );
        for (i, _) in xml.match_indices("<gap reason=\"") {
            let reason = &xml[i + 13..i + 13 + xml[i + 13..].find('"').unwrap()];
            assert!(
                xml.contains(&format!("n=\"{reason}\"><catDesc>")),
                "{f}: {reason} undeclared"
            );
        }
    }
    assert!(element(&read(&letter("en.xml")), "normalization").contains("without diacritics"));
}

#[test]
fn the_czech_stretches_point_at_their_copies_and_the_variant_is_recorded() {
    let xml = read(&letter("cs.xml"));
    for n in 1..=16 {
        let copy = if n <= 10 { "A" } else { "B" };
        assert!(
            xml.contains(&format!("<s xml:id=\"cs.s{n}\" source=\"#cs.{copy}\">")),
            "cs.s{n}"
        );
    }
    assert!(xml.contains(
        "<app><lem wit=\"#cs.A\">s vědomím</lem><rdg wit=\"#cs.B\">S vědomím</rdg></app> plné"
    ));
    // The sentence reads as the layer prints it: the lemma, once.
    let l = read_layer(&letter("cs.xml")).unwrap();
    assert!(
        l.sentences[1]
            .text
            .starts_with("s vědomím plné odpovědnosti"),
        "{}",
        l.sentences[1].text
    );
}

#[test]
fn the_english_misprint_stays_as_printed_with_its_correction() {
    let xml = read(&letter("en.xml"));
    assert!(xml.contains("the <choice><sic>lending</sic><corr resp=\"#en.editors\">leading</corr></choice> representatives"));
    assert!(xml.contains("<respStmt xml:id=\"en.editors\">"));
    assert!(xml.contains(
        "<ref target=\"https://wilson-center-digital-archive.dvincitest.com/document/114636\">"
    ));
    // The sources give only this address; the archive's other one would be inferred from its
    // address scheme, so it is not recorded.
    assert!(!xml.contains("digitalarchive.wilsoncenter.org"));
    let l = read_layer(&letter("en.xml")).unwrap();
    let s12 = &l.sentences[11].text;
    assert!(
        s12.contains("the lending representatives") && !s12.contains("leading"),
        "{s12}"
    );
}

/// A small work made with every option: the generic rules, valid TEI, and kept by re-import.
#[test]
fn import_writes_attribution_witness_and_marks_for_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("b.txt"),
        "Hello there. The lending men came.\n\nSecond one.\n",
    )
    .unwrap();
    tool()
        .current_dir(d)
        .args([
            "import",
            "b.txt",
            "--lang",
            "en",
            "--id",
            "b",
            "-o",
            "b.xml",
            "--when",
            "2026-01-01",
        ])
        .args([
            "--source-layer",
            "a",
            "--translator",
            "unknown",
            "--resp",
            "ed:Some Editor:editor",
        ])
        .args([
            "--publisher",
            "A Paper",
            "--publisher-cert",
            "low",
            "--publisher-note",
            "Said elsewhere.",
        ])
        .args(["--bibl", "b.X=Copy X", "--bibl", "Copy Y"])
        .args([
            "--source-span",
            "b.X=b.s1..b.s2",
            "--source-span",
            "b.bibl2=b.s3..b.s3",
        ])
        .args([
            "--variant",
            "b.s1|Hello|b.X|Hallo|b.bibl2",
            "--sic",
            "b.s2|lending|leading|ed",
        ])
        .args(["--gap-end", "source-incomplete:Cut."])
        .assert()
        .success();
    let f = d.join("b.xml");
    assert_valid_tei(&f);
    let xml = read(&f);
    assert!(
        xml.contains("<s xml:id=\"b.s3\" source=\"#b.bibl2\">Second one.</s>"),
        "{xml}"
    );
    assert!(
        xml.contains("<publisher cert=\"low\">A Paper</publisher>"),
        "{xml}"
    );
    assert!(
        xml.contains("<category xml:id=\"gap-reasons.source-incomplete\" n=\"source-incomplete\">"),
        "{xml}"
    );
    let l = read_layer(&f).unwrap();
    assert_eq!(l.derivations[0].resp, ["b.translator"]);
    assert_eq!(
        l.describe_derivation(&l.derivations[0]),
        "translation from a, translator unknown"
    );
    let texts: Vec<&str> = l.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Hello there.", "The lending men came.", "Second one."]
    );
    reimport_keeps_header_and_marks(d, &f);
    a_mark_that_does_not_fit_is_refused(d);
}

/// Re-segmenting the file keeps the header and the marks as they are.
fn reimport_keeps_header_and_marks(d: &Path, f: &Path) {
    let before = read(f);
    tool()
        .current_dir(d)
        .args(["import", "--in-place", "b.xml", "--when", "2026-01-02"])
        .assert()
        .success();
    let after = read(f);
    let head = |x: &str| x[..x.find("<revisionDesc>").unwrap()].to_owned();
    assert_eq!(head(&before), head(&after));
    let body = |x: &str| x[x.find("<text>").unwrap()..].to_owned();
    assert_eq!(body(&before), body(&after));
}

/// A mark that does not fit the text is refused, naming it; nothing is written.
fn a_mark_that_does_not_fit_is_refused(d: &Path) {
    let r = common::run(
        common::tei_align(d)
            .args([
                "import", "b.txt", "--lang", "en", "--id", "b", "-o", "c.xml",
            ])
            .args(["--sic", "b.s2|lend|lead|ed"]),
    );
    assert!(!r.ok && r.err.contains("lend"), "{}", r.err);
    assert!(!d.join("c.xml").exists());
}

/// `check` warns (without failing) where the encoding leaves something unsaid, and is silent on
/// the letter, which says it all.
#[test]
fn check_warns_of_what_the_encoding_leaves_unsaid() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    // The fixture's English layer: its derivation names no one once @resp is gone.
    let en = d.join("texts/letter/en.xml");
    let x = read(&en);
    let rel_start = x.find("<relation ").unwrap();
    let rel_end = rel_start + x[rel_start..].find("/>").unwrap();
    let rel = &x[rel_start..rel_end];
    let resp_at = rel.find(" resp=\"").unwrap();
    let resp_end = resp_at + 7 + rel[resp_at + 7..].find('"').unwrap() + 1;
    let x = format!(
        "{}{}{}",
        &x[..rel_start + resp_at],
        &x[rel_start + resp_end..],
        ""
    );
    std::fs::write(&en, x).unwrap();
    let r = common::run(common::tei_align(d).args(["check", "texts/letter", "--no-jing"]));
    let warnings: Vec<&str> = r
        .err
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("en.xml") && w.contains("names no one responsible")),
        "{}",
        r.err
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ru.xml") && w.contains("no editorialDecl")),
        "{}",
        r.err
    );
    assert!(
        warnings.iter().any(|w| w.contains("cs.xml:")
            && w.contains("gap reason \"source-incomplete\" is not declared")),
        "{}",
        r.err
    );
    // The Czech layer names its translator as unknown: that is a responsible party recorded.
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("cs.xml") && w.contains("no one")),
        "{}",
        r.err
    );
    // Warnings are not problems.
    assert!(!r.out.contains("warning"), "{}", r.out);

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for work in ["texts/letter-1968", "texts/udhr"] {
        let r = common::run(common::tei_align(root).args(["check", work, "--no-jing"]));
        assert!(r.ok && !r.err.contains("warning:"), "{work}: {}", r.err);
    }
}

/// The pointer rules of the Guidelines' prose in the committed alignment and edition files.
#[test]
fn the_standoff_follows_the_pointer_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for work in ["letter-1968", "udhr"] {
        let al = read(&root.join("alignments").join(work).join("alignment.xml"));
        // No @targFunc: a 1-2 link has three pointers; the link's @type says how they split.
        assert!(!al.contains("targFunc"), "{work}");
        // The makers are in the relation's description, not in @resp.
        for (i, _) in al.match_indices("<relation ") {
            let tag = &al[i..i + al[i..].find('>').unwrap()];
            assert!(!tag.contains(" resp="), "{work}: {tag}");
        }
        // A gap in the source witness is a fact, not a judgement: no cert="1" (a sentence
        // past the point where a source breaks off keeps its score: that is a judgement).
        for line in al.lines().filter(|l| l.contains("subtype=\"source-gap\"")) {
            assert!(!line.contains("cert=\"1\""), "{work}: {line}");
        }
        assert!(
            work != "letter-1968"
                || al.contains(
                    "subtype=\"source-gap\" target=\"../../texts/letter-1968/cs.xml#cs.s1\" resp="
                ),
            "the ru-cs ptrs carry no cert"
        );
        // respStmt names are persName/orgName (name only for the software).
        assert!(!al.contains("<name>"), "{work}");
        let ed = read(&root.join("editions").join(work).join("edition.xml"));
        assert!(
            ed.contains("<language ident=\"cs\">Czech</language>"),
            "{work}"
        );
    }
    let al = read(&root.join("alignments/letter-1968/alignment.xml"));
    assert!(al.contains("<desc>translation, <persName ref=\"#cs.translator\" type=\"unknown\">translator unknown</persName></desc>"));
}

/// A link an editor confirms carries the editor's certainty; the aligner's score is kept in the
/// change record.
#[test]
fn a_confirmed_link_is_certain_by_the_editor_and_keeps_the_machine_score_in_its_change() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let al_file = d.join("alignments/letter/alignment.xml");
    let before = tei_align::tei::standoff::read_alignment(&al_file).unwrap();
    let link = before
        .edges
        .iter()
        .flat_map(|e| &e.links)
        .find(|l| l.cert < 1.0 && l.source.len() == 1 && l.derived.len() == 1)
        .unwrap()
        .clone();
    let r = common::run(
        common::tei_align(d)
            .args(["link", "texts/letter", "--by", "eva:Eva Editor"])
            .args(link.source.iter().chain(&link.derived).map(String::as_str)),
    );
    assert!(r.ok, "{}", r.err);
    let after = tei_align::tei::standoff::read_alignment(&al_file).unwrap();
    let now = after
        .edges
        .iter()
        .flat_map(|e| &e.links)
        .find(|l| l.id == link.id)
        .unwrap();
    assert_eq!(now.cert, 1.0);
    let change = after.changes.last().unwrap();
    assert_eq!(change.who, "eva");
    // The score as the file wrote it (the shortest form that reads back the same).
    assert!(
        change
            .desc
            .contains(&format!("the aligner's score was {}", link.cert)),
        "{}",
        change.desc
    );
}
