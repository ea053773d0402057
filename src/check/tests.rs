use super::*;
use crate::model::{DerivationKind, Link, LinkStatus, Relation};
use crate::provenance::graph::find_cycle;
use crate::review::testdata::{alignment, ids, work};

/// Write the test work's layers and a minimal alignment file (as the standoff writer lays it
/// out: links and ptrs with `xml:id` and `target` pointers relative to the alignment file).
fn on_disk(al: &WorkAlignment) -> (tempfile::TempDir, Work, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut w = work();
    let tdir = dir.path().join("texts/letter");
    std::fs::create_dir_all(&tdir).unwrap();
    for l in &mut w.layers {
        l.path = tdir.join(format!("{}.xml", l.id));
        let mut x = format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{}\">\n<text><body><p>\n",
            l.lang
        );
        for (k, s) in l.sentences.iter_mut().enumerate() {
            s.line = 3 + k;
            x.push_str(&format!("<s xml:id=\"{}\">{}</s>\n", s.id, s.text));
        }
        x.push_str("</p></body></text></TEI>\n");
        std::fs::write(&l.path, x).unwrap();
    }
    w.dir = tdir;
    let ap = dir.path().join("alignments/letter/alignment.xml");
    std::fs::create_dir_all(ap.parent().unwrap()).unwrap();
    std::fs::write(&ap, mini_tei(al)).unwrap();
    (dir, w, ap)
}

fn ptr(id: &str) -> String {
    let layer = id.split('.').next().unwrap();
    format!("../../texts/letter/{layer}.xml#{id}")
}

fn mini_tei(al: &WorkAlignment) -> String {
    let mut x = String::from(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<standOff>\n<listRelation type=\"derivation\">\n",
    );
    for r in &al.relations {
        x.push_str(&format!(
            "<relation xml:id=\"{}\" active=\"#layer.{}\" passive=\"#layer.{}\"/>\n",
            r.id, r.derived, r.source
        ));
    }
    x.push_str("</listRelation>\n");
    for e in &al.edges {
        x.push_str(&format!(
            "<linkGrp type=\"alignment\" corresp=\"#{}\">\n",
            e.relation
        ));
        for l in &e.links {
            let t: Vec<String> = l.source.iter().chain(&l.derived).map(|s| ptr(s)).collect();
            x.push_str(&format!(
                "<link xml:id=\"{}\" target=\"{}\"/>\n",
                l.id,
                t.join(" ")
            ));
        }
        for u in &e.unaligned {
            x.push_str(&format!(
                "<ptr xml:id=\"{}\" type=\"unaligned\" target=\"{}\"/>\n",
                u.id,
                ptr(&u.sentence)
            ));
        }
        x.push_str("</linkGrp>\n");
    }
    x.push_str("</standOff>\n</TEI>\n");
    x
}

fn no_jing() -> CheckOptions {
    CheckOptions {
        jing: None,
        schema: None,
    }
}

fn messages(rep: &CheckReport) -> Vec<String> {
    rep.problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn a_consistent_work_has_no_problems_and_says_validation_was_skipped() {
    let al = alignment();
    let (_d, w, ap) = on_disk(&al);
    let rep = check(&w, &al, &ap, &no_jing());
    assert!(rep.is_ok(), "{:?}", messages(&rep));
    assert_eq!(
        rep.notes,
        vec!["jing not installed (or not run): TEI validity not checked".to_string()]
    );
}

#[test]
fn dangling_pointers_and_duplicate_ids_are_reported_with_file_and_line() {
    let al = alignment();
    let (_d, w, ap) = on_disk(&al);
    // Hand edits: a pointer to a sentence that does not exist, one into a file that is not a
    // layer, and an id written twice.
    let src = std::fs::read_to_string(&ap).unwrap();
    let src = src
        .replacen("en.xml#en.s1\"", "en.xml#en.s77\"", 1)
        .replacen("xml:id=\"a.cs-en.4\"", "xml:id=\"a.cs-en.3\"", 1)
        .replacen(
            "../../texts/letter/cs.xml#cs.s5",
            "../../texts/other.xml#cs.s5",
            1,
        );
    std::fs::write(&ap, &src).unwrap();
    let line = |needle: &str| src.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let rep = check(&w, &al, &ap, &no_jing());
    let m = messages(&rep);
    let f = ap.display().to_string();
    assert!(
        m.contains(&format!(
            "{f}:{}: #en.s77 does not resolve: no such sentence in ../../texts/letter/en.xml",
            line("en.s77")
        )),
        "{m:?}"
    );
    let dup: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("xml:id=\"a.cs-en.3\""))
        .map(|(k, _)| k + 1)
        .collect();
    assert_eq!(dup.len(), 2);
    assert!(
        m.contains(&format!(
            "{f}:{}: duplicate xml:id 'a.cs-en.3' (first on line {})",
            dup[1], dup[0]
        )),
        "{m:?}"
    );
    assert!(
        m.contains(&format!(
            "{f}:{}: pointer to ../../texts/other.xml, which does not exist",
            line("other.xml")
        )),
        "{m:?}"
    );
    assert_eq!(m.len(), 3, "{m:?}");
}

#[test]
fn crossing_links_and_coverage_are_checked_per_edge() {
    let mut al = alignment();
    let e = &mut al.edges[1];
    // a.cs-en.1 now cs.s1 ↔ en.s4: crosses a.cs-en.2 and a.cs-en.3; en.s1 is uncovered and
    // en.s4 covered twice.
    e.links[0].derived = ids(&["en.s4"]);
    let (_d, w, ap) = on_disk(&al);
    let rep = check(&w, &al, &ap, &no_jing());
    let m = messages(&rep);
    let f = ap.display().to_string();
    let src = std::fs::read_to_string(&ap).unwrap();
    let line = |needle: &str| src.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        m.contains(&format!(
            "{f}:{}: links a.cs-en.1 and a.cs-en.2 cross",
            line("a.cs-en.2")
        )),
        "{m:?}"
    );
    let en = w.layer("en").unwrap();
    assert!(
        m.contains(&format!(
            "{}:{}: en.s1 is not covered on edge rel.cs-en (no link or unaligned ptr)",
            en.path.display(),
            en.sentences[0].line
        )),
        "{m:?}"
    );
    assert!(
        m.contains(&format!(
            "{f}:{}: en.s4 is covered 2 times on edge rel.cs-en (a.cs-en.1, a.cs-en.3)",
            line("a.cs-en.3")
        )),
        "{m:?}"
    );
}

#[test]
fn links_with_sentences_of_the_wrong_layer_are_reported() {
    let mut al = alignment();
    al.edges[1].links.push(Link {
        partial: false,
        id: "a.cs-en.9".into(),
        source: ids(&["en.s1"]),
        derived: ids(&["cs.s1"]),
        cert: 0.5,
        status: LinkStatus::Automatic,
    });
    let (_d, w, ap) = on_disk(&al);
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    assert!(
        m.iter().any(|x| x.ends_with(
            "link a.cs-en.9: en.s1 is in layer en, but this side of rel.cs-en is layer cs"
        )),
        "{m:?}"
    );
}

#[test]
fn a_cycle_in_the_derivation_graph_is_reported() {
    let mut al = alignment();
    al.relations.push(Relation {
        id: "rel.en-ru".into(),
        source: "en".into(),
        derived: "ru".into(),
        kind: DerivationKind::Translation,
        resp: vec![],
        when: None,
    });
    let (_d, w, ap) = on_disk(&al);
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    assert!(
        m.iter()
            .any(|x| x.contains("the derivation graph has a cycle: ")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|x| x.contains("no alignment (linkGrp) for relation rel.en-ru")),
        "{m:?}"
    );
    assert_eq!(
        find_cycle(&[("a".into(), "b".into()), ("b".into(), "c".into())]),
        None
    );
    assert_eq!(
        find_cycle(&[("a".into(), "b".into()), ("b".into(), "a".into())]),
        Some(vec!["a".to_string(), "b".into(), "a".into()])
    );
}

#[test]
fn malformed_xml_is_one_problem_with_line_and_column() {
    let al = alignment();
    let (_d, w, ap) = on_disk(&al);
    std::fs::write(&ap, "<TEI>\n<standOff>\n<linkGrp></standOff>\n</TEI>\n").unwrap();
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    let f = ap.display().to_string();
    assert!(
        m.iter()
            .any(|x| x.starts_with(&format!("{f}:3: column")) && x.contains("malformed XML")),
        "{m:?}"
    );
}

#[test]
fn jing_messages_become_problems() {
    let p = parse_jing_line("/x/cs.xml:12:34: error: element \"foo\" not allowed here");
    assert_eq!(
        p.to_string(),
        "/x/cs.xml:12: column 34: not valid TEI: element \"foo\" not allowed here"
    );
}

#[test]
fn jing_finds_invalid_tei_when_installed() {
    let opts = CheckOptions::detect(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    if opts.jing.is_none() || opts.schema.is_none() {
        eprintln!("skipped: jing or tei_all.rng not available");
        return;
    }
    let al = alignment();
    let (_d, w, ap) = on_disk(&al);
    // The mini files are not full TEI (no teiHeader): jing must say so, naming each file.
    let rep = check(&w, &al, &ap, &opts);
    // jing's own launcher warnings are not problems of the files.
    assert!(
        rep.problems.iter().all(|p| !p.file.is_empty()),
        "{:?}",
        messages(&rep)
    );
    for l in &w.layers {
        let f = l.path.display().to_string();
        assert!(
            rep.problems
                .iter()
                .any(|p| p.file == f && p.message.contains("not valid TEI")),
            "{:?}",
            messages(&rep)
        );
    }
}

#[test]
fn an_alignment_out_of_date_with_the_headers_is_reported() {
    let al = alignment();
    let (_d, mut w, ap) = on_disk(&al);
    // The editor changed en's header: now a translation of ru.
    w.layers[1].derivations[0].source = "ru".into();
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    let en = w.layer("en").unwrap().path.display().to_string();
    assert!(m.contains(&format!("{en}: the header derives en from ru, but the alignment has no such edge (run tei-align align)")), "{m:?}");
    assert!(
        m.iter()
            .any(|x| x
                .contains("relation rel.cs-en: the header of layer en does not derive it from cs")),
        "{m:?}"
    );
}

#[test]
fn a_ptr_of_the_wrong_kind_for_its_side_is_reported() {
    let mut al = alignment();
    al.edges[1].unaligned[0].kind = crate::model::UnalignedKind::DerivedOnly; // cs.s5, a source sentence
    let (_d, w, ap) = on_disk(&al);
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    assert!(
        m.iter()
            .any(|x| x
                .ends_with("ptr u.cs-en.1: a derived-only ptr must point into layer en, not cs")),
        "{m:?}"
    );
    assert_eq!(m.len(), 1, "{m:?}");
}

#[test]
fn a_problem_without_a_line_is_printed_without_line_zero() {
    let p = |line| Problem {
        file: "a/en.xml".into(),
        line,
        message: "m".into(),
    };
    assert_eq!(p(0).to_string(), "a/en.xml: m");
    assert_eq!(p(7).to_string(), "a/en.xml:7: m");
}

#[test]
fn a_cycle_through_a_second_source_in_the_headers_is_reported_on_a_layer_file() {
    let al = alignment();
    let (_d, mut w, ap) = on_disk(&al);
    // cs keeps ru as its source and also claims en, which is derived from cs.
    let mut second = w.layers[0].derivations[0].clone();
    second.source = "en".into();
    w.layers[0].derivations.push(second);
    let m = messages(&check(&w, &al, &ap, &no_jing()));
    let hit: Vec<&String> = m
        .iter()
        .filter(|x| x.contains("the headers' derivation graph has a cycle"))
        .collect();
    let all_cycles = m.iter().filter(|x| x.contains("has a cycle")).count();
    assert_eq!(all_cycles, 1, "a cycle is reported once: {m:?}");
    assert_eq!(hit.len(), 1, "{m:?}");
    assert!(hit[0].contains("cs") && hit[0].contains("en"), "{m:?}");
    assert!(!hit[0].contains(":0:"), "{m:?}");
    let files: Vec<String> = w
        .layers
        .iter()
        .map(|l| l.path.display().to_string())
        .collect();
    assert!(
        files.iter().any(|f| hit[0].starts_with(&format!("{f}: "))),
        "{m:?}"
    );
}
