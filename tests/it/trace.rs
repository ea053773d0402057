//! `tei-align trace`: the segment of a sentence, every layer from the original down.

use crate::common;

use common::aligned_chain_letter as setup;
use std::path::Path;

fn trace(dir: &Path, args: &[&str]) -> std::process::Output {
    common::tei_align(dir)
        .arg("trace")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn text_trace_goes_from_the_original_down() {
    let dir = setup();
    let out = trace(dir.path(), &["cs.s2", "--work", "texts/letter"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = String::from_utf8_lossy(&out.stdout);
    let (ru, cs, en) = (
        t.find("[ru]").unwrap(),
        t.find("[cs]").unwrap(),
        t.find("[en]").unwrap(),
    );
    assert!(ru < cs && cs < en, "{t}");
    // The Russian witness: no text, but its metadata and gap.
    let ru_part = &t[ru..cs];
    assert!(ru_part.contains("no text available"), "{ru_part}");
    assert!(ru_part.contains("text-unavailable"), "{ru_part}");
    assert!(ru_part.contains("Archive of the President"), "{ru_part}");
    // cs: made from ru, a source gap on that step, its sentence.
    let cs_part = &t[cs..en];
    // The translator is unknown; the paper is its publisher, not its translator, and a date
    // of publication is not a date of translation.
    assert!(
        cs_part.contains("translation, translator unknown (from ru)\n"),
        "{cs_part}"
    );
    assert!(!cs_part.contains("by Hospodářské noviny"), "{cs_part}");
    assert!(
        cs_part.contains("Hospodářské noviny (publisher, attribution with medium certainty)"),
        "{cs_part}"
    );
    assert!(cs_part.contains("the source witness has a gap here"));
    assert!(cs_part.contains("cs.s2: Náš kolektiv - vedení strany - se dopustil řady chyb."));
    // en: made by Kramer, the 1-1 step with its confidence.
    let en_part = &t[en..];
    assert!(
        en_part.contains("translation by Mark Kramer (from cs)"),
        "{en_part}"
    );
    assert!(en_part.contains("step a.cs-en.2: link 1-1, cert "));
    assert!(en_part.contains(
        "en.s2: Our collective -- the Party leadership -- has made a number of mistakes."
    ));
}

#[test]
fn json_trace_of_a_sentence_after_the_gap() {
    let dir = setup();
    // Found without --work: the alignment under ./alignments that holds the sentence.
    let out = trace(dir.path(), &["en.s9", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sentence"], "en.s9");
    let layers = v["layers"].as_array().unwrap();
    let ids: Vec<&str> = layers.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ru", "cs", "en"]);
    assert_eq!(layers[0]["has_text"], false);
    assert!(layers[1]["sentences"].as_array().unwrap().is_empty());
    // The cs layer has text but none here: the trace shows where it breaks off.
    assert!(
        layers[1]["gaps"][0]
            .as_str()
            .unwrap()
            .starts_with("source-incomplete")
    );
    let en = &layers[2];
    assert_eq!(en["sentences"][0]["text"], "Alois Indra");
    assert_eq!(en["steps"][0]["kind"], "source-gap");
    assert_eq!(en["derivation"]["resp"][0]["name"], "Mark Kramer");
}

#[test]
fn unknown_sentence_is_an_error() {
    let dir = setup();
    let out = trace(dir.path(), &["xx.s1", "--work", "texts/letter"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("xx.s1") && err.contains("alignment.xml"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1);
}
