//! A gap in the derived witness is reported as a gap (session 13, docs/provenance.md "One gap
//! rule"): a translation that breaks off (`import --gap-end`) leaves the source sentences past
//! the break as `derived-gap`, not as the translator's omissions; an omission before the break
//! stays an omission, and a translation that stops without a `<gap>` omits what it leaves out.

use crate::common;

use crate::common::ok_no_editor;
use std::path::Path;

const DE: &str = "Im Jahr 1847 kam Johann Berger nach Brünn. Er eröffnete eine kleine Druckerei in der Rennergasse.

Die Stadt hatte damals 45000 Einwohner und drei Zeitungen. Viele Arbeiter kamen aus Mähren und Böhmen, um in den Tuchfabriken am Fluss Schwarzawa zu arbeiten, die Tag und Nacht liefen.

Berger druckte zuerst Kalender und Gebetbücher. Später kamen Flugblätter hinzu, die 1848 verboten wurden.

Im Winter 1849 floh er nach Wien. Dort arbeitete er bei Anton Strauß. Er kehrte erst 1852 nach Brünn zurück. Seine Druckerei war inzwischen an Karl Winiker verkauft worden.
";

/// The Czech leaves out de.s4 and breaks off inside its counterpart of de.s8.
const CS: &str = "V roce 1847 přišel Johann Berger do Brna. Otevřel malou tiskárnu v Rennerově ulici.

Město mělo tehdy 45000 obyvatel a tři noviny.

Berger tiskl nejprve kalendáře a modlitební knížky. Později přibyly letáky, které byly v roce 1848 zakázány.

V zimě 1849 uprchl do Vídně. Tam pracoval u Antona Strau
";

/// The German original and the Czech translation made from it in `texts/chron`, aligned; with
/// `gap`, the Czech is imported with a `<gap>` at its end.
fn work(gap: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("de.txt"), DE).unwrap();
    std::fs::write(d.join("cs.txt"), CS).unwrap();
    ok_no_editor(
        d,
        &[
            "import",
            "de.txt",
            "-o",
            "texts/chron/de.xml",
            "--lang",
            "de",
            "-q",
        ],
    );
    let mut cs = vec![
        "import",
        "cs.txt",
        "-o",
        "texts/chron/cs.xml",
        "--lang",
        "cs",
        "--source-layer",
        "de",
        "--derivation",
        "translation",
        "-q",
    ];
    if gap {
        cs.extend(["--gap-end", "source-incomplete:The copy breaks off here"]);
    }
    ok_no_editor(d, &cs);
    ok_no_editor(d, &["align", "texts/chron", "--when", "2026-12-02"]);
    dir
}

fn coverage(d: &Path) -> serde_json::Value {
    serde_json::from_str(&ok_no_editor(d, &["coverage", "texts/chron", "--json"]).out).unwrap()
}

fn ids(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
}

#[test]
fn derived_gap_past_the_break_is_not_an_omission() {
    let dir = work(true);
    let d = dir.path();
    let cov = coverage(d);
    let e = &cov["edges"][0];
    assert_eq!(ids(&e["derived_gap"]), ["de.s9", "de.s10"], "{e}");
    // The omission before the break is still the translator's.
    assert_eq!(ids(&e["omitted"]), ["de.s4"], "{e}");
    let t = &e["total"];
    assert_eq!(t["derived_gap"], 2, "{t}");
    assert_eq!(t["omitted"], 1, "{t}");
    // 7 of the 8 sentences the witness holds (not 7 of 10).
    assert_eq!(t["source_sentences_covered"], 7, "{t}");
    assert_eq!(t["coverage_pct"].as_f64().unwrap(), 87.5, "{t}");
    let table = ok_no_editor(d, &["coverage", "texts/chron"]).out;
    assert!(table.contains("derived-gap"), "{table}");
    assert!(table.contains("7/8"), "{table}");
    // Never doubtful: status agrees with coverage.
    let st: serde_json::Value =
        serde_json::from_str(&ok_no_editor(d, &["status", "texts/chron", "--json"]).out).unwrap();
    assert_eq!(st["edges"][0]["doubtful"], t["doubtful"], "{st}");
    // status counts the gaps as coverage does (session 14), in --json and in the table.
    assert_eq!(st["edges"][0]["derived_gap"], t["derived_gap"], "{st}");
    assert_eq!(st["edges"][0]["source_gap"], t["source_gap"], "{st}");
    let table = ok_no_editor(d, &["status", "texts/chron"]).out;
    let head: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    let row: Vec<&str> = table.lines().nth(2).unwrap().split_whitespace().collect();
    // The last two columns: gaps, then the share reviewed.
    assert_eq!(head[head.len() - 2..], ["gaps", "reviewed"], "{table}");
    assert_eq!(row[row.len() - 2], "2", "{table}");
    assert!(table.contains("0 source-gap, 2 derived-gap"), "{table}");
    let al = d.join("alignments/chron/alignment.xml");
    let xml = std::fs::read_to_string(&al).unwrap();
    assert!(
        xml.contains("subtype=\"derived-gap\" target=\"../../texts/chron/de.xml#de.s9\""),
        "{xml}"
    );
    common::assert_valid_tei(&al);
    ok_no_editor(d, &["check", "texts/chron"]);
    let tr = ok_no_editor(d, &["trace", "de.s10"]).out;
    assert!(tr.contains("the derived witness has a gap here"), "{tr}");
    ok_no_editor(d, &["edition", "texts/chron", "-o", "ed"]);
    let html = std::fs::read_to_string(d.join("ed/index.html")).unwrap();
    assert!(
        html.contains("class=\"s derived-gap\" id=\"de.s9\""),
        "{html}"
    );
    assert!(html.contains("2 past a gap in the derived witness"));
    // trace and the edition mark the break with one mark (`model::GAP_MARK`, session 14).
    let mark = tei_align::model::GAP_MARK;
    let tr = ok_no_editor(d, &["trace", "cs.s7"]).out;
    assert!(tr.contains(&format!("Strau{mark}")), "{tr}");
    assert!(html.contains(&format!(">{mark}<")), "{html}");
}

#[test]
fn derived_gap_confirmed_stays_through_realignment_and_an_import() {
    let dir = work(true);
    let d = dir.path();
    ok_no_editor(d, &["link", "texts/chron", "de.s9", "--by", "eva:Eva Nová"]);
    ok_no_editor(d, &["align", "texts/chron"]);
    ok_no_editor(
        d,
        &["export", "texts/chron", "--format", "tsv", "-o", "x.tsv"],
    );
    ok_no_editor(
        d,
        &[
            "import-alignment",
            "texts/chron",
            "x.tsv",
            "--format",
            "tsv",
        ],
    );
    let xml = std::fs::read_to_string(d.join("alignments/chron/alignment.xml")).unwrap();
    let ptr = xml
        .lines()
        .find(|l| l.contains("type=\"unaligned\"") && l.contains("#de.s9\""))
        .unwrap();
    assert!(
        ptr.contains("subtype=\"derived-gap\"") && ptr.contains("resp=\"#eva\""),
        "{ptr}"
    );
    let e = &coverage(d)["edges"][0];
    assert_eq!(ids(&e["derived_gap"]), ["de.s9", "de.s10"], "{e}");
}

#[test]
fn derived_gap_needs_the_gap_a_translation_that_stops_omits() {
    let dir = work(false);
    let e = &coverage(dir.path())["edges"][0];
    assert!(e["derived_gap"].as_array().unwrap().is_empty(), "{e}");
    assert_eq!(ids(&e["omitted"]), ["de.s4", "de.s9", "de.s10"], "{e}");
}
