//! The trust audit's follow-ups (session 16, docs/workflow.md "Trust audit of the two works,
//! session 16", "Follow-up"): the TSV, cesAlign and InterText exports showed a sentence past the
//! Czech break (a gap of the witness) exactly as a translator's addition and a partial link as a
//! full one.

use crate::common;

use common::{committed_work as committed, ok_no_editor, read, root, run_no_editor};
use std::path::Path;
use tei_align::model::{EdgeAlignment, Unaligned};
use tei_align::tei::standoff::read_alignment;

/// The letter's cs-en edge exported as `format` into `out` of a temp project.
fn export(format: &str, out: &str) -> tempfile::TempDir {
    let dir = committed("letter-1968");
    ok_no_editor(
        dir.path(),
        &[
            "export",
            "texts/letter-1968",
            "--format",
            format,
            "--edge",
            "cs-en",
            "-o",
            out,
        ],
    );
    dir
}

/// The `<link …/>` line of an XML export naming `id`.
fn link_line<'a>(xml: &'a str, id: &str) -> &'a str {
    xml.lines()
        .find(|l| l.contains(&format!("id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no link {id}"))
}

/// en.s17–s22 follow the Czech break: gaps of the Czech witness, not additions; a.cs-en.16
/// is partial (the Czech sentence is cut off); the full links say nothing more.
fn assert_marked(subtype_of: impl Fn(&str) -> Option<String>, format: &str) {
    for k in 1..=6 {
        let id = format!("u.cs-en.{k}");
        assert_eq!(
            subtype_of(&id).as_deref(),
            Some("source-gap"),
            "{format} {id}"
        );
    }
    assert_eq!(
        subtype_of("a.cs-en.16").as_deref(),
        Some("partial"),
        "{format}"
    );
    assert_eq!(subtype_of("a.cs-en.15"), None, "{format}");
}

#[test]
fn tsv_says_which_empty_side_is_a_gap_and_which_link_is_partial() {
    let dir = export("tsv", "out.tsv");
    let text = read(&dir.path().join("out.tsv"));
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n);
    let sub = col("subtype").expect("a subtype column");
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_marked(
        |id| {
            let row = rows.iter().find(|r| &r[0] == id).unwrap();
            Some(row[sub].to_owned()).filter(|s| !s.is_empty())
        },
        "tsv",
    );
}

#[test]
fn cesalign_and_intertext_say_which_empty_side_is_a_gap_and_which_link_is_partial() {
    for (format, file) in [
        ("cesalign", "out/cs-en.xml"),
        ("intertext", "out/letter-1968.cs.en.xml"),
    ] {
        let dir = export(format, "out");
        let xml = read(&dir.path().join(file));
        assert_marked(
            |id| {
                let l = link_line(&xml, id);
                let at = l.find(" subtype=\"")? + " subtype=\"".len();
                l[at..].split('"').next().map(str::to_owned)
            },
            format,
        );
    }
}

/// Everything the record says of an edge's beads that an export carries.
fn beads(e: &EdgeAlignment) -> Vec<String> {
    let mut out: Vec<String> = e
        .links
        .iter()
        .map(|l| {
            format!(
                "{} {:?}-{:?} {:.3} {:?} partial={}",
                l.id, l.source, l.derived, l.cert, l.status, l.partial
            )
        })
        .collect();
    out.extend(e.unaligned.iter().map(|u: &Unaligned| {
        format!(
            "{} {} {:?} {:.3} {:?}",
            u.id, u.sentence, u.kind, u.cert, u.status
        )
    }));
    out
}

#[test]
fn an_export_imported_back_keeps_gaps_partial_links_and_certainties() {
    for (format, file) in [
        ("cesalign", "out/cs-en.xml"),
        ("intertext", "out/letter-1968.cs.en.xml"),
        ("tsv", "out"),
        ("tmx", "out"),
    ] {
        for mode in [None, Some("--replace")] {
            let dir = export(format, "out");
            let ap = dir.path().join("alignments/letter-1968/alignment.xml");
            let edge = |p: &Path| {
                let al = read_alignment(p).unwrap();
                beads(al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap())
            };
            let before = edge(&ap);
            let mut args = vec![
                "import-alignment",
                "texts/letter-1968",
                file,
                "--format",
                format,
                "--edge",
                "cs-en",
            ];
            args.extend(mode);
            ok_no_editor(dir.path(), &args);
            assert_eq!(edge(&ap), before, "{format} {mode:?}");
        }
    }
}

/// The letter's editorial corrections are the project's, an organisation: no `persName`
/// anywhere it is named (layer, alignment, edition), and `--org` is what says so.
#[test]
fn the_project_that_corrected_the_english_is_no_person() {
    let dir = committed("letter-1968");
    ok_no_editor(dir.path(), &["edition", "texts/letter-1968", "-o", "out"]);
    for f in [
        "texts/letter-1968/en.xml",
        "alignments/letter-1968/alignment.xml",
        "out/edition.xml",
    ] {
        let xml = read(&dir.path().join(f));
        assert!(xml.contains("tei-align project"), "{f}");
        assert!(
            !xml.contains("<persName>tei-align project</persName>"),
            "{f} names the project as a person"
        );
        assert!(xml.contains("<orgName>tei-align project</orgName>"), "{f}");
    }
    // --org names an id of --resp; a wrong one is refused, not ignored.
    let r = run_no_editor(
        dir.path(),
        &[
            "import",
            "--lang",
            "en",
            "--id",
            "x",
            "-o",
            "x.xml",
            "--resp",
            "x.ed:Some project:editor",
            "--org",
            "x.editors",
        ],
    );
    assert!(!r.ok && r.err.contains("--org \"x.editors\""), "{}", r.err);
}

/// What the committed layers claim of their sources, held to what the sources say
/// (../shared/texts/*/README.md, en.source.md).
#[test]
fn the_layers_claim_what_the_sources_say_and_no_more() {
    let layer = |work: &str, l: &str| read(&root().join("texts").join(work).join(l));
    // The UDHR README: the texts come from "the translations published by the UN Office of
    // the High Commissioner for Human Rights" — all three, not the Russian only.
    for l in ["en.xml", "ru.xml", "cs.xml"] {
        let xml = layer("udhr", l);
        assert!(
            xml.contains(
                "<publisher>UN Office of the High Commissioner for Human Rights (OHCHR)</publisher>"
            ),
            "udhr {l}"
        );
        assert!(
            !xml.contains("<orgName>United Nations</orgName>"),
            "udhr {l}"
        );
    }
    // The README advises recording en → ru; it does not say the Russian was made from English
    // because English and French were the working languages.
    let ru = layer("udhr", "ru.xml");
    assert!(!ru.contains("derived from the English because English and French"));
    assert!(ru.contains("because the sources advise recording the chain so"));
    // The sources give one address of the English; the archive's other is not recorded.
    for xml in [
        layer("letter-1968", "en.xml"),
        read(&root().join("editions/letter-1968/edition.xml")),
    ] {
        assert!(xml.contains("wilson-center-digital-archive.dvincitest.com/document/114636"));
        assert!(!xml.contains("digitalarchive.wilsoncenter.org"));
    }
    // The Wilson Center record contradicts itself on the language; both layers say so, citing
    // both statements, and neither resolves it.
    for l in ["ru.xml", "en.xml"] {
        let xml = layer("letter-1968", l);
        assert!(xml.contains("Original Language: Czech"), "letter {l}");
        assert!(xml.contains("written in Russian"), "letter {l}");
        assert!(xml.contains("not resolved"), "letter {l}");
    }
}
