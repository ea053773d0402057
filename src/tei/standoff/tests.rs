//! Tests of reading and writing alignment files.

#[cfg(test)]
mod read_write {
    use super::super::*;
    use crate::model::*;
    use crate::provenance::graph::derivation_order;
    #[allow(unused_imports)]
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    fn sample() -> WorkAlignment {
        let mut layer_files = BTreeMap::new();
        for l in ["ru", "cs", "en"] {
            layer_files.insert(l.to_owned(), format!("../../texts/letter 1968/{l}.xml"));
        }
        WorkAlignment {
            item_changes: Default::default(),
            work: "letter of 1968".into(),
            layer_files,
            agents: sample_agents(),
            relations: sample_relations(),
            edges: sample_edges(),
            segments: sample_segments(),
            changes: sample_changes(),
            id_high_water: BTreeMap::from([
                ("a.cs-en".to_owned(), 4),
                ("u.cs-en".to_owned(), 1),
                ("seg".to_owned(), 7),
            ]),
        }
    }

    fn sample_agents() -> Vec<Agent> {
        vec![
            Agent::new("kramer".into(), "Mark Kramer".into(), "translator".into()),
            Agent::new("tei-align".into(), "tei-align".into(), "aligner".into()),
            Agent::new("ed".into(), "An Editor & Co <x>".into(), "editor".into()),
        ]
    }

    fn sample_relations() -> Vec<Relation> {
        vec![
            Relation {
                id: "rel.ru-cs".into(),
                source: "ru".into(),
                derived: "cs".into(),
                kind: DerivationKind::Translation,
                resp: vec![],
                when: Some("1992-07-17".into()),
            },
            Relation {
                id: "rel.cs-en".into(),
                source: "cs".into(),
                derived: "en".into(),
                kind: DerivationKind::Other("adaptation".into()),
                resp: vec!["kramer".into()],
                when: None,
            },
        ]
    }

    /// ru-cs: two source gaps (the Russian text is lost); cs-en: a 1-2 link, a partial link
    /// an editor confirmed, and an unaligned English sentence.
    fn sample_edges() -> Vec<EdgeAlignment> {
        vec![
            EdgeAlignment {
                relation: "rel.ru-cs".into(),
                links: vec![],
                unaligned: vec![
                    Unaligned {
                        id: "u.ru-cs.1".into(),
                        kind: UnalignedKind::SourceGap,
                        layer: "cs".into(),
                        sentence: "cs.s1".into(),
                        cert: 1.0,
                        status: LinkStatus::Automatic,
                    },
                    Unaligned {
                        id: "u.ru-cs.2".into(),
                        kind: UnalignedKind::SourceGap,
                        layer: "cs".into(),
                        sentence: "cs.s2".into(),
                        cert: 1.0,
                        status: LinkStatus::Automatic,
                    },
                ],
            },
            EdgeAlignment {
                relation: "rel.cs-en".into(),
                links: vec![
                    Link {
                        partial: false,
                        id: "a.cs-en.1".into(),
                        source: vec!["cs.s1".into()],
                        derived: vec!["en.s1".into(), "en.s2".into()],
                        cert: 0.123456789,
                        status: LinkStatus::Automatic,
                    },
                    Link {
                        partial: true,
                        id: "a.cs-en.2".into(),
                        source: vec!["cs.s2".into()],
                        derived: vec!["en.s3".into()],
                        cert: 0.94,
                        status: LinkStatus::Verified {
                            who: "ed".into(),
                            when: "2026-11-25T10:00:00Z".into(),
                            digest: Some(crate::model::ConfirmedText {
                                digest: "0a1b2c3d 4e5f6071".into(),
                                newest: vec!["cs.s2".into(), "en.s3".into()],
                                recorded: None,
                            }),
                        },
                    },
                ],
                unaligned: vec![Unaligned {
                    id: "u.cs-en.1".into(),
                    kind: UnalignedKind::SourceGap,
                    layer: "en".into(),
                    sentence: "en.s4".into(),
                    cert: 0.875,
                    status: LinkStatus::Automatic,
                }],
            },
        ]
    }

    /// A segment's members on the three layers.
    fn members(ru: &[&str], cs: &[&str], en: &[&str]) -> BTreeMap<String, Vec<String>> {
        let mut m = BTreeMap::new();
        m.insert("ru".to_owned(), ru.iter().map(|s| s.to_string()).collect());
        m.insert("cs".to_owned(), cs.iter().map(|s| s.to_string()).collect());
        m.insert("en".to_owned(), en.iter().map(|s| s.to_string()).collect());
        m
    }

    fn sample_segments() -> Vec<Segment> {
        vec![
            Segment {
                id: "seg.1".into(),
                members: members(&[], &["cs.s1"], &["en.s1", "en.s2"]),
                chain: vec!["u.ru-cs.1".into(), "a.cs-en.1".into()],
            },
            Segment {
                id: "seg.2".into(),
                members: members(&[], &["cs.s2"], &["en.s3"]),
                chain: vec!["u.ru-cs.2".into(), "a.cs-en.2".into()],
            },
            Segment {
                id: "seg.3".into(),
                members: members(&[], &[], &["en.s4"]),
                chain: vec!["u.cs-en.1".into()],
            },
        ]
    }

    fn sample_changes() -> Vec<Change> {
        vec![
            Change {
                id: "ch1".into(),
                status: crate::model::ChangeStatus::Automatic,
                who: "tei-align".into(),
                when: "2026-11-25".into(),
                desc: "Aligned <all> edges & more.".into(),
            },
            Change {
                id: "ch2".into(),
                status: crate::model::ChangeStatus::Verified,
                who: "ed".into(),
                when: "2026-11-25T10:00:00Z".into(),
                desc: "Confirmed.".into(),
            },
        ]
    }

    pub(super) fn sample_for_jing() -> WorkAlignment {
        sample()
    }

    #[test]
    fn round_trip_is_exact() {
        let mut a = sample();
        let xml = to_tei(&a);
        let b = parse_alignment(&xml, "mem.xml").unwrap();
        // Read back, every item names its change.
        crate::provenance::record::pin_changes(&mut a);
        assert_eq!(a, b);
        // And writing again gives the same bytes.
        assert_eq!(xml, to_tei(&b));
    }

    #[test]
    fn output_has_the_documented_shape() {
        let xml = to_tei(&sample());
        // The maker is named in the description, not in @resp (who made the assertion); no
        // @targFunc (a 1-2 link has three pointers, not two).
        assert!(xml.contains(
            "<relation xml:id=\"rel.cs-en\" name=\"adaptation\" active=\"#layer.en\" passive=\"#layer.cs\"><desc>adaptation by <persName ref=\"#kramer\">"
        ), "{xml}");
        assert!(!xml.contains("targFunc"));
        assert!(xml.contains("<link xml:id=\"a.cs-en.1\" type=\"1-2\" target=\"../../texts/letter%201968/cs.xml#cs.s1 ../../texts/letter%201968/en.xml#en.s1 ../../texts/letter%201968/en.xml#en.s2\" cert=\"0.123456789\" resp=\"#tei-align\" change=\"#ch1\"/>"));
        assert!(xml.contains("resp=\"#ed\" change=\"#ch2\""));
        assert!(
            xml.contains("<link xml:id=\"a.cs-en.2\" type=\"1-1\" subtype=\"partial\" target=")
        );
        assert!(xml.contains("<ptr xml:id=\"seg.3\" target=\"../../texts/letter%201968/en.xml#en.s4\" corresp=\"#u.cs-en.1\"/>"));
        assert!(xml.contains("<witness xml:id=\"layer.ru\""));
        assert!(xml.contains("An Editor &amp; Co &lt;x&gt;"));
        // Segments list layers in derivation order: cs before en.
        let seg1 = xml.lines().find(|l| l.contains("seg.1")).unwrap();
        assert!(seg1.find("cs.s1").unwrap() < seg1.find("en.s1").unwrap());
    }

    #[test]
    fn the_text_confirmed_is_in_app_info_and_reads_back() {
        let xml = to_tei(&sample());
        let desc = "<desc type=\"confirmed-text\" corresp=\"#a.cs-en.2\">0a1b2c3d 4e5f6071</desc>";
        assert!(xml.contains(desc), "{xml}");
        // Only confirmed items with a digest get one.
        assert_eq!(xml.matches("type=\"confirmed-text\"").count(), 1);
        let a = parse_alignment(&xml, "a.xml").unwrap();
        assert_eq!(
            a.edges[1].links[1].status.digest(),
            Some("0a1b2c3d 4e5f6071")
        );
        // The newest sentence of each layer then, beside it, reads back too.
        assert!(
            xml.contains(
                "<desc type=\"confirmed-newest\" corresp=\"#a.cs-en.2\">cs.s2 en.s3</desc>"
            )
        );
        let t = a.edges[1].links[1].status.confirmed_text().unwrap();
        assert_eq!(t.newest, ["cs.s2", "en.s3"]);
        assert_eq!(t.recorded, None);
        // A file written before digests were kept: the confirmation stays, its text unknown.
        let old = parse_alignment(&xml.replace(desc, ""), "old.xml").unwrap();
        let st = &old.edges[1].links[1].status;
        assert!(st.is_verified() && st.digest().is_none());
        // A digest naming an automatic item does not make it confirmed.
        let odd = xml.replace("corresp=\"#a.cs-en.2\"", "corresp=\"#a.cs-en.1\"");
        let odd = parse_alignment(&odd, "odd.xml").unwrap();
        assert_eq!(odd.edges[1].links[0].status, LinkStatus::Automatic);
        assert_eq!(odd.edges[1].links[1].status.digest(), None);
    }

    #[test]
    fn high_water_marks_are_in_app_info_and_the_old_form_is_read() {
        let xml = to_tei(&sample());
        assert!(
            xml.contains("<desc type=\"high-water\">a.cs-en.4 seg.7 u.cs-en.1</desc>"),
            "{xml}"
        );
        assert!(!xml.contains(" n=\"high-water"));
        // As files written before kept them: on the linkGrps.
        let old = xml
            .replace(
                "\n          <desc type=\"high-water\">a.cs-en.4 seg.7 u.cs-en.1</desc>",
                "",
            )
            .replace(
                "corresp=\"#rel.cs-en\">",
                "corresp=\"#rel.cs-en\" n=\"high-water a.cs-en.4 u.cs-en.1\">",
            )
            .replace(
                "<linkGrp type=\"segments\">",
                "<linkGrp type=\"segments\" n=\"high-water seg.7\">",
            );
        assert_ne!(old, xml);
        let a = parse_alignment(&old, "old.xml").unwrap();
        assert_eq!(a.id_high_water, sample().id_high_water);
        assert_eq!(to_tei(&a), xml);
    }

    #[test]
    fn verified_link_without_change_gets_one() {
        let mut a = sample();
        a.changes
            .retain(|c| c.status != crate::model::ChangeStatus::Verified);
        let xml = to_tei(&a);
        assert!(xml.contains("<change xml:id=\"ch.v1\" status=\"verified\" who=\"#ed\""));
        let b = parse_alignment(&xml, "mem.xml").unwrap();
        assert_eq!(b.edges[1].links[1].status, a.edges[1].links[1].status);
    }

    #[test]
    fn hand_made_link_naming_a_person_is_verified() {
        // As an editor might type it in an XML editor: no change, their own resp.
        let xml = to_tei(&sample()).replace(
            "cert=\"0.123456789\" resp=\"#tei-align\" change=\"#ch1\"",
            "cert=\"1\" resp=\"#ed\"",
        );
        let b = parse_alignment(&xml, "a.xml").unwrap();
        let l = &b.edges[1].links[0];
        assert_eq!(
            l.status,
            LinkStatus::Verified {
                who: "ed".into(),
                when: String::new(),
                digest: None,
            }
        );
        // Written back: a verified change without a date, and the file still reads the same.
        let again = to_tei(&b);
        assert!(
            again.contains("status=\"verified\" who=\"#ed\">"),
            "{again}"
        );
        let c = parse_alignment(&again, "a.xml").unwrap();
        assert_eq!(c.edges, b.edges);
        assert_eq!(c.changes.len(), b.changes.len() + 1);
        assert_eq!(to_tei(&c), again);
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let xml = to_tei(&sample()).replacen("</titleStmt>", "</titleStm>", 1);
        let err = parse_alignment(&xml, "x/alignment.xml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x/alignment.xml:"), "{err}");
        let line = xml.lines().position(|l| l.contains("</titleStm>")).unwrap() + 1;
        assert!(err.contains(&format!(":{line}:")), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let n = crate::tei::dom::MAX_DEPTH + 1;
        let text = format!("<TEI>{}{}</TEI>", "<a>".repeat(n), "</a>".repeat(n));
        let e = parse_alignment(&text, "deep.xml").unwrap_err().to_string();
        assert!(e.starts_with("deep.xml:1:"), "{e}");
        assert!(e.contains("nested more than"), "{e}");
    }

    #[test]
    fn a_layer_is_not_taken_for_an_alignment() {
        let layer = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><revisionDesc><change>x</change></revisionDesc></teiHeader><text><body><p><s xml:id="cs.s1">A.</s></p></body></text></TEI>"#;
        let e = parse_alignment(layer, "cs.xml").unwrap_err().to_string();
        assert!(e.contains("not an alignment file"), "{e}");
    }

    #[test]
    fn pointer_to_unknown_file_is_an_error() {
        let xml = to_tei(&sample()).replace("letter%201968/en.xml#en.s3", "other.xml#en.s3");
        let err = parse_alignment(&xml, "a.xml").unwrap_err().to_string();
        assert!(err.contains("other.xml#en.s3"), "{err}");
    }

    #[test]
    fn derivation_order_puts_sources_first() {
        let a = sample();
        let ids: Vec<String> = a.layer_files.keys().cloned().collect();
        assert_eq!(derivation_order(&ids, &a.relations), ["ru", "cs", "en"]);
    }
}

#[cfg(test)]
mod jing_tests {
    /// The written file must be valid against tei_all (skipped when jing or the schema is absent).
    #[test]
    fn written_alignment_is_valid_tei() {
        let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/schema/tei_all.rng");
        let jing = std::process::Command::new("jing").arg("-h").output();
        if jing.is_err() || !std::path::Path::new(schema).exists() {
            eprintln!("skipping TEI validation: jing or {schema} is absent");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut undated = super::read_write::sample_for_jing();
        // A link confirmed by hand with no known date: its change has no @when.
        undated.edges[1].links[0].status = crate::model::LinkStatus::Verified {
            who: "ed".into(),
            when: String::new(),
            digest: None,
        };
        for (name, a) in [
            ("a.xml", super::read_write::sample_for_jing()),
            ("b.xml", undated),
        ] {
            let p = dir.path().join(name);
            super::super::write_alignment(&p, &a).unwrap();
            let out = std::process::Command::new("jing")
                .arg(schema)
                .arg(&p)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "jing: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[cfg(test)]
mod prop_tests {
    use super::super::*;
    use crate::model::*;
    use proptest::prelude::*;
    #[allow(unused_imports)]
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    /// Free text as people type it: XML specials, quotes, new lines, tabs, Cyrillic, Czech.
    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 &<>\"'\\n\\tčřžůЖизнь#%]{0,24}"
    }

    fn status() -> impl Strategy<Value = LinkStatus> {
        prop_oneof![
            Just(LinkStatus::Automatic),
            (0..3usize, prop::option::of(0..3usize)).prop_map(|(w, d)| LinkStatus::Verified {
                who: format!("ed{w}"),
                when: d.map(|d| format!("2026-0{}-01", d + 1)).unwrap_or_default(),
                digest: None,
            }),
        ]
    }

    prop_compose! {
        fn alignment()(
            n_src in 0..6usize,
            n_der in 1..6usize,
            certs in prop::collection::vec(0.0..=1.0f64, 12),
            statuses in prop::collection::vec(status(), 12),
            desc in text(),
            name in text(),
            dir in "[a-z ]{1,8}",
            marks in prop::collection::vec(0..60u64, 3),
        ) -> WorkAlignment {
            // Segments are n_der ≥ 1, so their linkGrp (which carries the seg mark) is written.
            let hw: BTreeMap<String, u64> = ["a.a-b", "u.a-b", "seg"]
                .iter()
                .zip(&marks)
                .filter(|(_, m)| **m > 0)
                .map(|(k, m)| (k.to_string(), *m))
                .collect();
            let mut layer_files = BTreeMap::new();
            layer_files.insert("a".to_string(), format!("../{dir}/a.xml"));
            layer_files.insert("b".to_string(), format!("../{dir}/b.xml"));
            // Pair sentences one to one, the rest of b are source gaps.
            let links: Vec<Link> = (0..n_src.min(n_der))
                .map(|k| Link {
                    id: format!("a.a-b.{}", k + 1),
                    source: vec![format!("a.s{}", k + 1)],
                    derived: vec![format!("b.s{}", k + 1)],
                    cert: certs[k],
                    status: statuses[k].clone(),
                    // Some partial, some not (the flag must read back too).
                    partial: certs[k] < 0.3,
                })
                .collect();
            let unaligned: Vec<Unaligned> = (n_src.min(n_der)..n_der)
                .map(|k| Unaligned {
                    id: format!("u.a-b.{}", k + 1),
                    kind: UnalignedKind::SourceGap,
                    layer: "b".into(),
                    sentence: format!("b.s{}", k + 1),
                    cert: certs[6 + k],
                    status: statuses[6 + k].clone(),
                })
                .collect();
            let segments = (0..n_der)
                .map(|k| {
                    let mut members = BTreeMap::new();
                    members.insert(
                        "a".to_string(),
                        if k < n_src { vec![format!("a.s{}", k + 1)] } else { vec![] },
                    );
                    members.insert("b".to_string(), vec![format!("b.s{}", k + 1)]);
                    Segment {
                        id: format!("seg.{}", k + 1),
                        members,
                        chain: vec![if k < n_src {
                            format!("a.a-b.{}", k + 1)
                        } else {
                            format!("u.a-b.{}", k + 1)
                        }],
                    }
                })
                .collect();
            let mut agents = vec![Agent::new("tei-align".into(), name, desc.clone())];
            for w in 0..3 {
                agents.push(Agent::new(format!("ed{w}"), format!("Editor {w}"), "editor".into()));
            }
            WorkAlignment {
                item_changes: Default::default(),
                work: format!("w {dir}"),
                layer_files,
                agents,
                relations: vec![Relation {
                    id: "rel.a-b".into(),
                    source: "a".into(),
                    derived: "b".into(),
                    kind: DerivationKind::Other(format!("k{}", n_src)),
                    resp: vec![],
                    when: None,
                }],
                edges: vec![EdgeAlignment { relation: "rel.a-b".into(), links, unaligned }],
                segments,
                changes: vec![Change {
                    id: "ch1".into(),
                    status: crate::model::ChangeStatus::Automatic,
                    who: "tei-align".into(),
                    when: "2026-01-01".into(),
                    desc,
                }],
                id_high_water: hw,
            }
        }
    }

    proptest! {
        /// Whatever the text and the statuses, what is read back is what was written, and
        /// writing it again gives the same bytes (the file is stable from the first write on).
        #[test]
        fn written_alignments_read_back(a in alignment()) {
            let xml = to_tei(&a);
            let b = parse_alignment(&xml, "p.xml").unwrap();
            prop_assert_eq!(&b.edges, &a.edges);
            prop_assert_eq!(&b.segments, &a.segments);
            prop_assert_eq!(&b.agents, &a.agents);
            prop_assert_eq!(&b.layer_files, &a.layer_files);
            prop_assert_eq!(&b.work, &a.work);
            prop_assert_eq!(&b.changes[..a.changes.len()], &a.changes[..]);
            prop_assert_eq!(to_tei(&b), xml);
        }
    }
}
