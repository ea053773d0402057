//! A small work and its alignment built in code, for the unit tests of `review`, `check` and
//! `formats` (so they do not depend on the TEI readers).

use crate::model::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A layer of the letter with these sentences (`<id>.s1` …), two to a block.
pub fn layer(id: &str, lang: &str, texts: &[&str], derivation: Option<Derivation>) -> Layer {
    Layer {
        id: id.into(),
        lang: lang.into(),
        path: PathBuf::from(format!("/nonexistent/texts/letter/{id}.xml")),
        title: format!("Letter ({id})"),
        agents: vec![],
        source_desc: String::new(),
        derivations: derivation.into_iter().collect(),
        sentences: texts
            .iter()
            .enumerate()
            .map(|(i, t)| Sentence {
                id: format!("{id}.s{}", i + 1),
                text: (*t).into(),
                block: i / 2,
                line: 10 + i,
            })
            .collect(),
        gaps: vec![],
    }
}

/// ru (no text) → cs (5 sentences) → en (6 sentences).
pub fn work() -> Work {
    Work {
        id: "letter".into(),
        dir: PathBuf::from("/nonexistent/texts/letter"),
        layers: vec![
            layer(
                "cs",
                "cs",
                &[
                    "Vážení soudruzi.",
                    "Píšeme vám dopis.",
                    "Je to důležité.",
                    "Děkujeme.",
                    "Navždy vaši.",
                ],
                Some(Derivation {
                    source: "ru".into(),
                    kind: DerivationKind::Translation,
                    resp: vec![],
                    when: None,
                    note: None,
                }),
            ),
            layer(
                "en",
                "en",
                &[
                    "Dear comrades.",
                    "We write to you.",
                    "This letter.",
                    "It is important.",
                    "Thank you.",
                    "The rest is missing in Czech.",
                ],
                Some(Derivation {
                    source: "cs".into(),
                    kind: DerivationKind::Translation,
                    resp: vec!["kramer".into()],
                    when: Some("1996".into()),
                    note: None,
                }),
            ),
            layer("ru", "ru", &[], None),
        ],
    }
}

fn l(id: &str, s: &[&str], d: &[&str], cert: f64) -> Link {
    Link {
        partial: false,
        id: id.into(),
        source: s.iter().map(|x| x.to_string()).collect(),
        derived: d.iter().map(|x| x.to_string()).collect(),
        cert,
        status: LinkStatus::Automatic,
    }
}

/// The cs → en edge: 1-1, 1-2, 1-1 (doubtful), 1-1, a source-only cs.s5 and a source-gap en.s6.
pub fn alignment() -> WorkAlignment {
    let mut layer_files = BTreeMap::new();
    for id in ["ru", "cs", "en"] {
        layer_files.insert(id.to_string(), format!("../../texts/letter/{id}.xml"));
    }
    WorkAlignment {
        item_changes: Default::default(),
        work: "letter".into(),
        layer_files,
        agents: vec![Agent::new(
            "tei-align".into(),
            "tei-align".into(),
            "aligner".into(),
        )],
        relations: vec![
            Relation {
                id: "rel.ru-cs".into(),
                source: "ru".into(),
                derived: "cs".into(),
                kind: DerivationKind::Translation,
                resp: vec![],
                when: None,
            },
            Relation {
                id: "rel.cs-en".into(),
                source: "cs".into(),
                derived: "en".into(),
                kind: DerivationKind::Translation,
                resp: vec!["kramer".into()],
                when: Some("1996".into()),
            },
        ],
        edges: vec![
            EdgeAlignment {
                relation: "rel.ru-cs".into(),
                links: vec![],
                unaligned: (1..=5)
                    .map(|i| Unaligned {
                        id: format!("u.ru-cs.{i}"),
                        kind: UnalignedKind::SourceGap,
                        layer: "cs".into(),
                        sentence: format!("cs.s{i}"),
                        cert: 1.0,
                        status: LinkStatus::Automatic,
                    })
                    .collect(),
            },
            EdgeAlignment {
                relation: "rel.cs-en".into(),
                links: vec![
                    l("a.cs-en.1", &["cs.s1"], &["en.s1"], 0.9),
                    l("a.cs-en.2", &["cs.s2"], &["en.s2", "en.s3"], 0.8),
                    l("a.cs-en.3", &["cs.s3"], &["en.s4"], 0.3),
                    l("a.cs-en.4", &["cs.s4"], &["en.s5"], 0.95),
                ],
                unaligned: vec![
                    Unaligned {
                        id: "u.cs-en.1".into(),
                        kind: UnalignedKind::SourceOnly,
                        layer: "cs".into(),
                        sentence: "cs.s5".into(),
                        cert: 0.6,
                        status: LinkStatus::Automatic,
                    },
                    Unaligned {
                        id: "u.cs-en.2".into(),
                        kind: UnalignedKind::SourceGap,
                        layer: "en".into(),
                        sentence: "en.s6".into(),
                        cert: 0.9,
                        status: LinkStatus::Automatic,
                    },
                ],
            },
        ],
        segments: vec![],
        changes: vec![Change {
            id: "ch1".into(),
            status: crate::model::ChangeStatus::Automatic,
            who: "tei-align".into(),
            when: "2026-11-25T09:00:00Z".into(),
            desc: "aligned".into(),
        }],
        id_high_water: Default::default(),
    }
}

/// The sentence ids of a list, as owned strings.
pub fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
