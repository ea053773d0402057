//! The committed texts in texts/: valid TEI, sound layers, faithful provenance, and exactly what
//! `texts/make.sh` makes from ../shared/texts.

use crate::common;

use common::shared;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tei_align::model::DerivationKind;
use tei_align::tei::read_work;

fn texts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("texts")
}

fn layer_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for work in ["letter-1968", "udhr"] {
        for e in std::fs::read_dir(texts().join(work)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_layer_is_valid_tei() {
    let files = layer_files();
    assert_eq!(files.len(), 6);
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    if let Some((ok, msg)) = common::jing_files(&files) {
        assert!(ok, "jing: {msg}");
    }
}

#[test]
fn the_letter_records_its_chain_and_its_gaps() {
    let w = read_work(&texts().join("letter-1968")).unwrap();
    let ids: Vec<&str> = w.layers.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["cs", "en", "ru"]);
    let ru = w.layer("ru").unwrap();
    let cs = w.layer("cs").unwrap();
    let en = w.layer("en").unwrap();
    // ru: the original, no text, a gap, the witness's metadata.
    assert!(!ru.has_text());
    assert!(ru.derivations.is_empty());
    assert_eq!(ru.gaps.len(), 1);
    assert_eq!(ru.gaps[0].reason, "text-unavailable");
    assert!(
        ru.source_desc
            .contains("Archive of the President of the Russian Federation")
    );
    assert!(ru.source_desc.contains("Soudobé dějiny"));
    // cs: from ru, ends with the gap after the last sentence, mid-word.
    let d = &cs.derivations[0];
    assert_eq!(
        (d.source.as_str(), &d.kind),
        ("ru", &DerivationKind::Translation)
    );
    assert!(cs.source_desc.contains("Hospodářské noviny"));
    assert!(cs.source_desc.contains("zvac_dop.htm") && cs.source_desc.contains("iDNES"));
    assert_eq!(cs.gaps.len(), 1);
    assert_eq!(cs.gaps[0].reason, "source-incomplete");
    assert_eq!(cs.gaps[0].after, cs.sentences.len());
    assert!(
        cs.sentences
            .last()
            .unwrap()
            .text
            .ends_with("považujte toto naše prohlá")
    );
    assert_eq!(cs.sentences[0].text, "Vážený Leonide Iljiči,");
    // en: from cs by Mark Kramer, complete, with the five signatures.
    let d = &en.derivations[0];
    assert_eq!(
        (d.source.as_str(), d.resp.as_slice()),
        ("cs", ["kramer".to_string()].as_slice())
    );
    assert_eq!(en.agent("kramer").unwrap().name, "Mark Kramer");
    assert!(en.source_desc.contains("114636"));
    assert!(en.gaps.is_empty());
    assert_eq!(en.sentences.last().unwrap().text, "Vasil Bilak");
    // The words of the witnesses are theirs: every sentence is a piece of the source text.
    let src = shared().join("texts/letter-1968");
    if src.exists() {
        for (layer, file) in [(cs, "cs.txt"), (en, "en.txt")] {
            let text = std::fs::read_to_string(src.join(file)).unwrap();
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for s in &layer.sentences {
                assert!(flat.contains(&s.text), "{} is not in {file}", s.text);
            }
        }
    }
}

#[test]
fn the_udhr_derives_from_english() {
    let w = read_work(&texts().join("udhr")).unwrap();
    for l in &w.layers {
        assert!(
            l.sentences.len() > 90,
            "{} has {} sentences",
            l.id,
            l.sentences.len()
        );
        assert!(l.source_desc.contains("udhr 6.0.0"));
        match l.id.as_str() {
            "en" => assert!(l.derivations.is_empty()),
            _ => assert_eq!(l.derivations[0].source, "en"),
        }
    }
    assert_eq!(
        w.layer("en").unwrap().sentences[0].text,
        "Universal Declaration of Human Rights"
    );
    assert_eq!(w.layer("ru").unwrap().lang, "ru");
}

#[test]
fn ids_are_unique_and_well_formed_in_every_work() {
    for work in ["letter-1968", "udhr"] {
        let w = read_work(&texts().join(work)).unwrap();
        let mut agents = HashSet::new();
        for l in &w.layers {
            for a in &l.agents {
                assert!(
                    agents.insert(a.id.clone()),
                    "agent id {} twice in {work}",
                    a.id
                );
            }
            let mut seen = HashSet::new();
            for (k, s) in l.sentences.iter().enumerate() {
                assert!(seen.insert(&s.id));
                assert_eq!(s.id, format!("{}.s{}", l.id, k + 1));
                assert!(!s.text.is_empty());
            }
        }
    }
}

#[test]
fn the_texts_are_what_make_sh_makes() {
    let src = shared().join("texts");
    if !src.exists() {
        crate::common::missing(&format!("{} is not available", src.display()));
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("bash")
        .arg(texts().join("make.sh"))
        .env("SHARED", shared())
        .env("OUT", out.path())
        .env("TEI_ALIGN", env!("CARGO_BIN_EXE_tei-align"))
        .env("NO_JING", "1")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in layer_files() {
        let rel = f.strip_prefix(texts()).unwrap();
        let made = std::fs::read_to_string(out.path().join(rel)).unwrap();
        let committed = std::fs::read_to_string(&f).unwrap();
        assert!(
            made == committed,
            "{} differs from what make.sh makes",
            rel.display()
        );
    }
}
