//! The letter's header claims (session 17): Hospodářské noviny is named as the Czech
//! translation's publisher by the Wilson Center's citation only, so the Czech layer holds the
//! attribution with `cert="medium"`; every place that repeats it must carry the same doubt. The
//! Wilson Center record's conflict on the original language is a TEI note with its quotations
//! and their sources, and the edition shows it.

use crate::common::{self, ok_in as ok, run_in};

#[test]
fn every_repetition_of_the_hospodarske_noviny_attribution_keeps_its_doubt() {
    let dir = common::committed_work("letter-1968");
    let d = dir.path();
    let al = std::fs::read_to_string(d.join("alignments/letter-1968/alignment.xml")).unwrap();
    assert!(
        al.contains("<respStmt xml:id=\"cs.publisher\" cert=\"medium\">"),
        "the alignment's titleStmt states the publisher without doubt"
    );
    let en = std::fs::read_to_string(d.join("texts/letter-1968/en.xml")).unwrap();
    assert!(
        !en.contains("Published in Czech in Hospodarske noviny, 17 July 1992. "),
        "the English header states the attribution as its own"
    );
    assert!(en.contains("<quote>Published in Czech in Hospodarske noviny, 17 July 1992</quote>"));
    ok(d, &["edition", "texts/letter-1968", "-o", "ed"]);
    let tei = std::fs::read_to_string(d.join("ed/edition.xml")).unwrap();
    for want in [
        "<respStmt xml:id=\"cs.publisher\" cert=\"medium\">",
        "<respStmt cert=\"medium\"><resp>publisher</resp><name>Hospodářské noviny</name></respStmt>",
        "Hospodářské noviny (certainty: medium) 1992-07-17 (certainty: medium)",
        "“Published in Czech in Hospodarske noviny, 17 July 1992”",
    ] {
        assert!(tei.contains(want), "no {want:?} in edition.xml");
    }
    common::assert_valid_tei(&d.join("ed/edition.xml"));
    let r = ok(d, &["trace", "cs.s1", "--work", "texts/letter-1968"]);
    assert!(
        r.out
            .contains("Hospodářské noviny (publisher, attribution with medium certainty)"),
        "{}",
        r.out
    );
    // Wherever an export names the paper, it says how sure that is.
    for format in ["tmx", "cesalign", "intertext"] {
        let out = format!("x.{format}");
        ok(
            d,
            &[
                "export",
                "texts/letter-1968",
                "--format",
                format,
                "--edge",
                "cs-en",
                "-o",
                &out,
            ],
        );
        let p = d.join(&out);
        let files: Vec<std::path::PathBuf> = if p.is_dir() {
            std::fs::read_dir(&p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        } else {
            vec![p]
        };
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (at, _) in text.match_indices("Hospod") {
                let near = &text[at.saturating_sub(300)..(at + 300).min(text.len())];
                assert!(near.contains("medium"), "{}: {near}", f.display());
            }
        }
    }
}

#[test]
fn the_conflict_on_the_original_language_is_a_tei_note_the_edition_shows() {
    let dir = common::committed_work("letter-1968");
    let d = dir.path();
    for layer in ["ru", "en"] {
        let p = d.join(format!("texts/letter-1968/{layer}.xml"));
        let xml = std::fs::read_to_string(&p).unwrap();
        let note = format!(
            "<note type=\"conflict\" subtype=\"original-language\" resp=\"#{layer}.editors\">"
        );
        assert!(xml.contains(&note), "{layer}: no {note}");
        for q in [
            "<cit><quote>Original Language: Czech</quote> <bibl>Wilson Center Digital Archive, doc. 114636, the record&apos;s field",
            "<cit><quote>both were written in Russian to ensure that they would be read promptly</quote> <bibl>Wilson Center Digital Archive, doc. 114636, the record&apos;s summary</bibl></cit>",
        ] {
            let q = q.replace("&apos;", "'");
            assert!(xml.contains(&q), "{layer}: no {q}");
        }
        assert!(
            xml.contains(&format!("<respStmt xml:id=\"{layer}.editors\">")),
            "{layer}: the note's resp points at nobody"
        );
        common::assert_valid_tei(&p);
    }
    ok(d, &["edition", "texts/letter-1968", "-o", "ed"]);
    let html = std::fs::read_to_string(d.join("ed/index.html")).unwrap();
    assert!(
        html.contains("<dt>The sources disagree</dt>")
            && html.contains("“Original Language: Czech” (Wilson Center Digital Archive, doc. 114636, the record&#39;s field"),
        "the page does not show the conflict"
    );
}

#[test]
fn a_malformed_source_note_is_refused_in_one_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("cs.txt"), "Jedna věta.\n").unwrap();
    for bad in [
        "conflict|{{Original Language: Czech|the record",
        "conflict|an empty {{|source}}",
        "two words|text",
        "no text at all",
    ] {
        let r = run_in(
            d,
            &[
                "import",
                "cs.txt",
                "--lang",
                "cs",
                "-o",
                "cs.xml",
                "--source-note",
                bad,
            ],
        );
        assert!(!r.ok, "{bad:?} accepted");
        assert_eq!(r.err.trim().lines().count(), 1, "{}", r.err);
        assert!(r.err.contains("--source-note"), "{}", r.err);
        assert!(!d.join("cs.xml").exists(), "{bad:?}: a file was written");
    }
    let good = "conflict/language@cs.ed|They disagree: {{A|one source}}; {{B}}.";
    ok(
        d,
        &[
            "import",
            "cs.txt",
            "--lang",
            "cs",
            "-o",
            "cs.xml",
            "--resp",
            "cs.ed:Editors:editor",
            "--source-note",
            good,
        ],
    );
    let xml = std::fs::read_to_string(d.join("cs.xml")).unwrap();
    assert!(
        xml.contains("<note type=\"conflict\" subtype=\"language\" resp=\"#cs.ed\">They disagree: <cit><quote>A</quote> <bibl>one source</bibl></cit>; <quote>B</quote>.</note>"),
        "{xml}"
    );
    common::assert_valid_tei(&d.join("cs.xml"));
}
