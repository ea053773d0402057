use super::*;
use crate::model::{LinkStatus, UnalignedKind};
use crate::review::testdata::{alignment, ids, work};

const NOW: &str = "2026-11-25T11:00:00Z";

/// [`import`] on the test work, the beads only.
fn imp(
    format: Format,
    src: &str,
    path: &str,
    rel: &crate::model::Relation,
    who: &str,
    now: &str,
) -> Result<Vec<ImportedBead>, FormatError> {
    import(format, src, path, &work(), rel, who, now).map(|f| f.beads)
}

/// The alignment with some review done: a confirmed link and a confirmed unaligned sentence.
fn reviewed() -> WorkAlignment {
    let w = work();
    let mut al = alignment();
    crate::review::link(
        &w,
        &mut al,
        &ids(&["cs.s2", "en.s2", "en.s3"]),
        "eva",
        "2026-11-20T08:00:00Z",
    )
    .unwrap();
    crate::review::link(
        &w,
        &mut al,
        &ids(&["cs.s3", "en.s4"]),
        "jan",
        "2026-11-21T08:00:00Z",
    )
    .unwrap();
    let idx = crate::model::SentenceIndex::new(&w);
    let e = &mut al.edges[1];
    let digest = crate::provenance::digest::current_digest(&idx, &[&e.unaligned[0].sentence]);
    e.unaligned[0].status = LinkStatus::Verified {
        who: "eva".into(),
        when: "2026-11-22T08:00:00Z".into(),
        digest,
    };
    al
}

fn round_trip(format: Format) {
    round_trip_with(format, ExportOptions::default(), Some("cs-en"));
}

fn round_trip_with(format: Format, opts: ExportOptions, edge: Option<&str>) {
    let w = work();
    let al = reviewed();
    let out = export_files(format, &w, &al, edge, opts).unwrap();
    let text = &out.files[0].text;
    let ei = find_edge(&al, Some("cs-en")).unwrap();
    let rel = al.relations[1].clone();
    let mut file = import(format, text, "x.xml", &w, &rel, "nobody", NOW).unwrap();
    keep_confirmers(&al, ei, &mut file);
    let beads = file.beads;
    // Import into an alignment whose edge was emptied: everything must come from the file.
    let mut back = al.clone();
    back.edges[ei].links.clear();
    back.edges[ei].unaligned.clear();
    let rep = merge_edge(&w, &mut back, ei, &beads, ImportMode::Replace, "x.xml").unwrap();
    assert!(rep.uncovered.is_empty(), "{rep:?}");
    assert_eq!(back.edges[ei].links, al.edges[ei].links, "{format:?}");
    // Ptrs: same ids, sentences, statuses and certainties; a source-gap cannot be told from a
    // derived-only ptr by these formats when the old alignment is gone.
    let strip = |v: &[crate::model::Unaligned]| {
        v.iter()
            .map(|u| (u.id.clone(), u.sentence.clone(), u.status.clone(), u.cert))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(&back.edges[ei].unaligned),
        strip(&al.edges[ei].unaligned)
    );
    assert_eq!(rep.verified, 3);
    // And into the alignment as it was: identical, ptr kinds included.
    let mut same = al.clone();
    merge_edge(&w, &mut same, ei, &beads, ImportMode::Replace, "x.xml").unwrap();
    assert_eq!(same, al);
}

#[test]
fn cesalign_round_trip_keeps_every_link_and_status() {
    round_trip(Format::CesAlign);
}

#[test]
fn intertext_round_trip_keeps_every_link_and_status() {
    round_trip(Format::InterText);
}

#[test]
fn tmx_pairs_round_trip_keeps_every_link_and_status() {
    let pairs = ExportOptions {
        pairs: true,
        ..ExportOptions::default()
    };
    // Every edge's pairs in one file, and one edge's.
    round_trip_with(Format::Tmx, pairs, None);
    round_trip_with(Format::Tmx, pairs, Some("cs-en"));
}

#[test]
fn tsv_round_trip_keeps_every_link_and_status() {
    round_trip(Format::Tsv);
    let excel = ExportOptions {
        excel: true,
        ..ExportOptions::default()
    };
    round_trip_with(Format::Tsv, excel, Some("cs-en"));
}

#[test]
fn a_ladder_read_back_changes_nothing() {
    // A ladder has no ids or statuses: into the alignment it came from it changes nothing.
    let w = work();
    let al = reviewed();
    let text = export(Format::Ladder, &w, &al, Some("cs-en")).unwrap();
    let file = import(Format::Ladder, &text, "l", &w, &al.relations[1], "x", NOW).unwrap();
    assert_eq!(file.beads.len(), 6);
    assert_eq!(file.beads[1].source, ids(&["cs.s2"]));
    assert_eq!(file.beads[1].derived, ids(&["en.s2", "en.s3"]));
    let mut same = al.clone();
    merge_edge(&w, &mut same, 1, &file.beads, ImportMode::Merge, "l").unwrap();
    assert_eq!(same, al);
}

#[test]
fn intertext_as_the_editor_saves_it_keeps_who_confirmed_and_defaults_to_man() {
    let w = work();
    let al = reviewed();
    // What InterText writes back after editing our export: no ids, resp or cert; a link without
    // status (InterText reads it as man); a mark.
    let src = "<?xml version='1.0' encoding='utf-8'?>\n\
<linkGrp toDoc='letter.en.xml' fromDoc='letter.cs.xml'>\n\
<link type='1-1' xtargets='en.s1;cs.s1' status='auto'/>\n\
<link type='2-1' xtargets='en.s2 en.s3;cs.s2' status='man'/>\n\
<link type='1-1' xtargets='en.s4;cs.s3' mark='2'/>\n\
<link type='1-1' xtargets='en.s5;cs.s4' status='man'/>\n\
<link type='0-1' xtargets=';cs.s5' status='man'/>\n\
<link type='1-0' xtargets='en.s6;' status='auto'/>\n\
</linkGrp>\n";
    let rel = al.relations[1].clone();
    let mut file = import(Format::InterText, src, "a.xml", &w, &rel, "imp", NOW).unwrap();
    assert_eq!(file.unnamed, vec![1, 2, 3, 4]);
    assert!(
        file.notes.iter().any(|n| n.contains("lines 5 (mark 2)")),
        "{:?}",
        file.notes
    );
    keep_confirmers(&al, 1, &mut file);
    let who = |k: usize| match &file.beads[k].status {
        Some(LinkStatus::Verified { who, .. }) => who.clone(),
        s => format!("{s:?}"),
    };
    // Unchanged beads keep their editor; a newly confirmed one is the importer's.
    assert_eq!(who(1), "eva");
    assert_eq!(who(2), "jan");
    assert_eq!(who(3), "imp");
    assert_eq!(who(4), "eva");
    let mut back = al.clone();
    merge_edge(&w, &mut back, 1, &file.beads, ImportMode::Merge, "a.xml").unwrap();
    let l = back.edges[1]
        .links
        .iter()
        .find(|l| l.source == ids(&["cs.s2"]))
        .unwrap();
    // Her confirmation as it was, with the text she confirmed.
    let was = al.edges[1].links.iter().find(|x| x.id == l.id).unwrap();
    assert!(was.status.digest().is_some());
    assert_eq!(
        l.status,
        LinkStatus::Verified {
            who: "eva".into(),
            when: "2026-11-20T08:00:00Z".into(),
            digest: was.status.confirmed_text().cloned(),
        }
    );
}

#[test]
fn an_opus_file_with_several_link_groups_gives_the_edge_its_pair() {
    let w = work();
    let al = alignment();
    // As OPUS writes a corpus: a DOCTYPE, one linkGrp per document pair, numbered link ids,
    // hunalign certainties beyond [0, 1]; one group of another pair, one written cs→en.
    let src = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<!DOCTYPE cesAlign PUBLIC \"-//CES//DTD XML cesAlign//EN\" \"\">\n\
<cesAlign version=\"1.0\">\n\
<linkGrp targType=\"s\" fromDoc=\"ru/other.xml.gz\" toDoc=\"cs/other.xml.gz\">\n\
<link id=\"1\" xtargets=\"1;1\" certainty=\"0.5\"/>\n\
</linkGrp>\n\
<linkGrp targType=\"s\" fromDoc=\"cs/letter.xml.gz\" toDoc=\"en/letter.xml.gz\">\n\
<link id=\"SL1\" xtargets=\"cs.s1;en.s1\" certainty=\"2.5\"/>\n\
<link id=\"2\" xtargets=\"cs.s2;en.s2 en.s3\" certainty=\"-0.1\"/>\n\
</linkGrp>\n\
</cesAlign>\n";
    let file = import(
        Format::CesAlign,
        src,
        "o.xml",
        &w,
        &al.relations[1],
        "e",
        NOW,
    )
    .unwrap();
    assert_eq!(file.beads.len(), 2);
    assert_eq!(file.beads[0].id.as_deref(), Some("SL1"));
    assert_eq!(file.beads[1].id, None, "'2' cannot be an xml:id");
    assert_eq!(file.beads[0].cert, Some(1.0));
    assert_eq!(file.beads[1].cert, Some(0.0));
    assert!(file.notes[0].contains("o.xml:4:"), "{:?}", file.notes);
    // A file none of whose groups is the edge's is refused.
    let other = "<cesAlign><linkGrp fromDoc='ru/a.xml' toDoc='cs/a.xml'><link xtargets='1;1'/></linkGrp>\
<linkGrp fromDoc='ru/b.xml' toDoc='cs/b.xml'><link xtargets='1;1'/></linkGrp></cesAlign>";
    assert!(
        import(
            Format::CesAlign,
            other,
            "o.xml",
            &w,
            &al.relations[1],
            "e",
            NOW
        )
        .is_err()
    );
}

#[test]
fn tsv_quotes_fields_and_neutralises_formulas_for_spreadsheets() {
    assert_eq!(tsv::neutralise("=1+1"), "'=1+1");
    assert_eq!(tsv::neutralise("'=1"), "''=1");
    assert_eq!(tsv::neutralise("'plain"), "'plain");
    assert_eq!(tsv::neutralise("a=b"), "a=b");
    for cell in ["=1+1", "'=1", "'plain", "-5", "@x", "''+"] {
        assert_eq!(tsv::strip_neutraliser(&tsv::neutralise(cell)), cell);
    }
}

#[test]
fn cesalign_lists_source_ids_first_and_intertext_derived_first() {
    let w = work();
    let al = reviewed();
    let ces = export(Format::CesAlign, &w, &al, Some("cs-en")).unwrap();
    assert!(
        ces.contains("fromDoc=\"cs/letter.xml\" toDoc=\"en/letter.xml\""),
        "{ces}"
    );
    assert!(ces.contains("xtargets=\"cs.s2;en.s2 en.s3\""), "{ces}");
    assert!(ces.contains("xtargets=\"cs.s5;\""), "{ces}");
    assert!(ces.contains("xtargets=\";en.s6\""), "{ces}");
    let it = export(Format::InterText, &w, &al, Some("cs-en")).unwrap();
    assert!(
        it.contains(
            "<link type=\"2-1\" xtargets=\"en.s2 en.s3;cs.s2\" status=\"man\" resp=\"eva\""
        ),
        "{it}"
    );
    assert!(
        it.contains("type=\"1-1\" xtargets=\"en.s1;cs.s1\" status=\"auto\""),
        "{it}"
    );
    // Document order: cs.s1 first, en.s6 last.
    let first = it.find("en.s1;cs.s1").unwrap();
    let last = it.find(";\" status").or_else(|| it.find("en.s6;")).unwrap();
    assert!(first < last);
}

#[test]
fn a_file_as_intertext_writes_it_is_read_with_the_todoc_side_first() {
    let w = work();
    let al = alignment();
    // As InterText's server exports it: single quotes, toDoc first, no ids, a 'plain' link.
    let src = "<?xml version='1.0' encoding='utf-8'?>\n\
<linkGrp toDoc='letter.en.xml' fromDoc='letter.cs.xml'>\n\
<link type='1-1' xtargets='en.s1;cs.s1' status='man'/>\n\
<link type='2-1' xtargets='en.s2 en.s3;cs.s2' status='auto'/>\n\
<link type='1-1' xtargets='en.s4;cs.s3' status='plain' mark='1'/>\n\
<link type='1-2' xtargets='en.s5;cs.s4 cs.s5' status='man'/>\n\
<link type='1-0' xtargets='en.s6;' status='auto'/>\n\
</linkGrp>\n";
    let rel = al.relations[1].clone();
    let beads = imp(Format::InterText, src, "a.xml", &rel, "eva", NOW).unwrap();
    assert_eq!(beads[1].source, ids(&["cs.s2"]));
    assert_eq!(beads[1].derived, ids(&["en.s2", "en.s3"]));
    assert_eq!(
        beads[0].status,
        Some(LinkStatus::Verified {
            who: "eva".into(),
            when: NOW.into(),
            digest: None,
        })
    );
    assert_eq!(beads[2].status, Some(LinkStatus::Automatic));
    assert_eq!(beads[4].line, 7);
    let mut al2 = al.clone();
    let rep = merge_edge(&w, &mut al2, 1, &beads, ImportMode::Replace, "a.xml").unwrap();
    assert_eq!((rep.links, rep.unaligned, rep.verified), (4, 1, 2));
    let e = &al2.edges[1];
    // Links equal to the old ones keep their ids; the new 2-1... 1-2 gets a fresh one.
    assert_eq!(e.links[0].id, "a.cs-en.1");
    assert_eq!(e.links[3].source, ids(&["cs.s4", "cs.s5"]));
    assert_eq!(e.links[3].id, "a.cs-en.5");
    // en.s6 was a source gap in the old alignment: still one.
    assert_eq!(e.unaligned[0].kind, UnalignedKind::SourceGap);
}

#[test]
fn intertext_with_a_type_that_contradicts_xtargets_is_an_error_naming_the_line() {
    let al = alignment();
    let src = "<linkGrp toDoc='en.xml' fromDoc='cs.xml'>\n<link type='1-2' xtargets='en.s2 en.s3;cs.s2' status='man'/>\n</linkGrp>";
    let err = imp(
        Format::InterText,
        src,
        "bad.xml",
        &al.relations[1],
        "eva",
        NOW,
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("bad.xml:2: type '1-2'"),
        "{err}"
    );
}

#[test]
fn import_errors_name_file_and_line() {
    let w = work();
    let al = alignment();
    let rel = al.relations[1].clone();
    let cases = [
        (
            "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n<link xtargets='cs.s1;en.s99'/></linkGrp></cesAlign>",
            "f.xml:2: unknown sentence id en.s99",
        ),
        (
            "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n<link xtargets='cs.s1;en.s1'/>\n<link xtargets='en.s2;cs.s2'/></linkGrp></cesAlign>",
            "f.xml:3: en.s2 is in layer en, expected a sentence of cs",
        ),
        (
            "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n<link xtargets='cs.s1;en.s2'/>\n<link xtargets='cs.s2;en.s1'/></linkGrp></cesAlign>",
            "f.xml:3: this bead crosses the one on line 2",
        ),
        (
            "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n<link xtargets='cs.s1;en.s1'/>\n<link xtargets='cs.s1;en.s2'/></linkGrp></cesAlign>",
            "f.xml:3: cs.s1 is already aligned on line 2",
        ),
        (
            "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n<link xtargets='cs.s1 cs.s3;en.s1'/></linkGrp></cesAlign>",
            "f.xml:2: the cs sentences of a bead must be consecutive",
        ),
    ];
    for (src, want) in cases {
        let beads = imp(Format::CesAlign, src, "f.xml", &rel, "eva", NOW).unwrap();
        let mut al2 = al.clone();
        let err = merge_edge(&w, &mut al2, 1, &beads, ImportMode::Replace, "f.xml").unwrap_err();
        assert!(err.to_string().starts_with(want), "{err} / {want}");
        assert_eq!(al2, al, "nothing changes on error");
    }
    let err = imp(
        Format::CesAlign,
        "<cesAlign><linkGrp>\n<link xtargets='cs.s1'/>",
        "f.xml",
        &rel,
        "e",
        NOW,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("f.xml:2: xtargets 'cs.s1' is not"),
        "{err}"
    );
    let err = imp(
        Format::CesAlign,
        "<cesAlign><linkGrp>\n<link xtargets='a;b'></cesAlign>",
        "f.xml",
        &rel,
        "e",
        NOW,
    )
    .unwrap_err();
    assert!(err.to_string().contains("malformed XML"), "{err}");
}

#[test]
fn a_reversed_cesalign_file_is_read_the_right_way_round() {
    let al = alignment();
    let src = "<cesAlign><linkGrp fromDoc='en.xml' toDoc='cs.xml'><link xtargets='en.s2 en.s3;cs.s2'/></linkGrp></cesAlign>";
    let beads = imp(Format::CesAlign, src, "f.xml", &al.relations[1], "e", NOW).unwrap();
    assert_eq!(
        (beads[0].source.clone(), beads[0].derived.clone()),
        (ids(&["cs.s2"]), ids(&["en.s2", "en.s3"]))
    );
    assert_eq!(beads[0].status, None);
}

#[test]
fn merge_keeps_confirmed_links_against_automatic_imports() {
    let w = work();
    let al = reviewed(); // a.cs-en.2 (cs.s2 ↔ en.s2 en.s3) confirmed by eva
    let verified_link = al.edges[1]
        .links
        .iter()
        .find(|l| l.source == ids(&["cs.s2"]))
        .unwrap()
        .clone();
    let src = "<cesAlign><linkGrp fromDoc='cs.xml' toDoc='en.xml'>\n\
<link xtargets='cs.s2;en.s2' status='auto'/>\n\
<link xtargets='cs.s4 cs.s5;en.s5' status='auto' certainty='0.7'/>\n</linkGrp></cesAlign>";
    let beads = imp(Format::CesAlign, src, "f.xml", &al.relations[1], "e", NOW).unwrap();
    // Eva confirmed that cs.s5 has no counterpart: an automatic bead does not undo that either.
    let mut m = al.clone();
    let rep = merge_edge(&w, &mut m, 1, &beads, ImportMode::Merge, "f.xml").unwrap();
    assert_eq!(rep.skipped, vec![2, 3]);
    assert!(rep.lost_verified.is_empty() && rep.lost_unaligned.is_empty());
    assert_eq!(m.edges[1], al.edges[1]);
    // Without her judgement on cs.s5, the bead goes in.
    let mut al = al.clone();
    al.edges[1].unaligned[0].status = LinkStatus::Automatic;
    let mut m = al.clone();
    let rep = merge_edge(&w, &mut m, 1, &beads, ImportMode::Merge, "f.xml").unwrap();
    assert_eq!(rep.skipped, vec![2]);
    assert!(rep.lost_verified.is_empty());
    let e = &m.edges[1];
    assert!(e.links.contains(&verified_link));
    let new = e
        .links
        .iter()
        .find(|l| l.source == ids(&["cs.s4", "cs.s5"]))
        .unwrap();
    assert_eq!((new.cert, new.status.clone()), (0.7, LinkStatus::Automatic));
    assert!(!e.unaligned.iter().any(|u| u.sentence == "cs.s5"));
    // Still exactly one bead per sentence.
    assert!(edge_items(&w, &m.relations[1], e).is_ok());
    // Replace mode reports the confirmed links the file drops.
    let mut r = al.clone();
    let rep = merge_edge(&w, &mut r, 1, &beads, ImportMode::Replace, "f.xml").unwrap();
    assert_eq!(rep.lost_verified.len(), 2, "{rep:?}");
    assert!(rep.uncovered.contains(&"cs.s1".to_string()));
}

#[test]
fn tsv_has_one_line_per_bead_with_texts() {
    let w = work();
    let al = reviewed();
    let t = export(Format::Tsv, &w, &al, Some("cs-en")).unwrap();
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines[0], tsv::HEADER);
    assert_eq!(lines.len(), 1 + 6);
    let two = lines.iter().find(|l| l.contains("\tcs.s2\t")).unwrap();
    let f: Vec<&str> = two.split('\t').collect();
    assert_eq!(f[2], "en.s2 en.s3");
    assert_eq!(f[4], "man:eva:2026-11-20T08:00:00Z");
    assert_eq!(f[5], "Píšeme vám dopis.");
    assert_eq!(f[6], "We write to you. This letter.");
    assert_eq!(f[7], "", "a full link has no subtype");
    assert!(lines.iter().all(|l| l.split('\t').count() == 8));
}

#[test]
fn ladder_rungs_rebuild_the_beads() {
    let w = work();
    let al = reviewed();
    let lad = export(Format::Ladder, &w, &al, Some("cs-en")).unwrap();
    let beads = beads::parse_ladder(&lad, "l", 5, 6).unwrap();
    let items = edge_items(&w, &al.relations[1], &al.edges[1]).unwrap();
    assert_eq!(beads.len(), items.len());
    for (b, it) in beads.iter().zip(&items) {
        assert_eq!(b.src.len(), it.source.len());
        assert_eq!(b.tgt.len(), it.derived.len());
        for (&k, id) in b.src.iter().zip(&it.source) {
            assert_eq!(&w.layer("cs").unwrap().sentences[k].id, id);
        }
        for (&k, id) in b.tgt.iter().zip(&it.derived) {
            assert_eq!(&w.layer("en").unwrap().sentences[k].id, id);
        }
    }
    assert!(lad.lines().last().unwrap().starts_with("5\t6\t"));
}

#[test]
fn tmx_has_a_tu_per_segment_with_texts_and_provenance() {
    let w = work();
    let mut al = reviewed();
    // Without segments TMX needs an edge.
    assert!(export(Format::Tmx, &w, &al, None).is_err());
    al.segments = vec![crate::model::Segment {
        id: "seg.2".into(),
        members: [
            ("ru".to_string(), vec![]),
            ("cs".to_string(), ids(&["cs.s2"])),
            ("en".to_string(), ids(&["en.s2", "en.s3"])),
        ]
        .into_iter()
        .collect(),
        chain: ids(&["u.ru-cs.2", "a.cs-en.5"]),
    }];
    let link_id = al.edges[1]
        .links
        .iter()
        .find(|l| l.source == ids(&["cs.s2"]))
        .unwrap()
        .id
        .clone();
    al.segments[0].chain[1] = link_id.clone();
    al.agents.push(crate::model::Agent::new(
        "kramer".into(),
        "Mark Kramer".into(),
        "translator".into(),
    ));
    let t = export(Format::Tmx, &w, &al, None).unwrap();
    assert_eq!(t.matches("<tu ").count(), 1);
    assert!(t.contains("<tu tuid=\"seg.2\">"));
    let cs = t.find("<tuv xml:lang=\"cs\">").unwrap();
    let en = t.find("<tuv xml:lang=\"en\">").unwrap();
    assert!(cs < en, "source layer first");
    assert!(
        !t.contains("xml:lang=\"ru\""),
        "no tuv for a layer without text"
    );
    assert!(t.contains("<seg>We write to you. This letter.</seg>"));
    assert!(t.contains(&format!(
        "<prop type=\"x-chain\">u.ru-cs.2 {link_id}</prop>"
    )));
    assert!(t.contains("cs → en translation (Mark Kramer, 1996)"), "{t}");
    assert!(t.contains("confirmed by eva"), "{t}");
    // ru-cs step is automatic, so the segment as a whole is not confirmed.
    assert!(t.contains("<prop type=\"x-status\">auto</prop>"));
    // Per edge: one tu per bead with text on both sides; the two beads with one side are
    // listed in the header, not left for a TMX reader to take for untranslated units.
    let t = export(Format::Tmx, &w, &al, Some("cs-en")).unwrap();
    assert_eq!(t.matches("<tu ").count(), 4);
    assert_eq!(t.matches("<prop type=\"x-unaligned\">").count(), 2, "{t}");
    assert!(
        t.contains("layer=cs ids=cs.s5 cert=0.6 status=man resp=eva"),
        "{t}"
    );
}

#[test]
fn edges_are_found_by_name_or_alone() {
    let al = alignment();
    assert_eq!(find_edge(&al, Some("cs-en")).unwrap(), 1);
    assert_eq!(find_edge(&al, Some("rel.ru-cs")).unwrap(), 0);
    // Only cs-en has links.
    assert_eq!(find_edge(&al, None).unwrap(), 1);
    let err = find_edge(&al, Some("en-cs")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no edge 'en-cs' in the alignment (edges: ru-cs, cs-en)"
    );
}

#[test]
fn merging_a_file_that_repeats_the_edge_only_updates_statuses() {
    let w = work();
    let al = reviewed();
    let ei = 1;
    let text = export(Format::InterText, &w, &al, Some("cs-en")).unwrap();
    // In InterText the editor confirmed the first link and (wrongly) set jan's back to auto.
    let jan = al.edges[ei]
        .links
        .iter()
        .find(|l| l.source == ids(&["cs.s3"]))
        .unwrap()
        .id
        .clone();
    let text = text
        .replacen(
            "xtargets=\"en.s1;cs.s1\" status=\"auto\"",
            "xtargets=\"en.s1;cs.s1\" status=\"man\" resp=\"petra\"",
            1,
        )
        .replace(
            &format!("status=\"man\" resp=\"jan\" when=\"2026-11-21T08:00:00Z\" id=\"{jan}\""),
            &format!("status=\"auto\" id=\"{jan}\""),
        );
    assert!(
        text.contains(&format!("status=\"auto\" id=\"{jan}\"")),
        "{text}"
    );
    let beads = imp(
        Format::InterText,
        &text,
        "f.xml",
        &al.relations[1],
        "x",
        NOW,
    )
    .unwrap();
    let mut m = al.clone();
    merge_edge(&w, &mut m, ei, &beads, ImportMode::Merge, "f.xml").unwrap();
    let (a, b) = (&m.edges[ei], &al.edges[ei]);
    assert_eq!(a.links.len(), b.links.len());
    for (x, y) in a.links.iter().zip(&b.links) {
        assert_eq!(
            (&x.id, &x.source, &x.derived),
            (&y.id, &y.source, &y.derived)
        );
        if x.id == "a.cs-en.1" {
            assert!(matches!(&x.status, LinkStatus::Verified { who, .. } if who == "petra"));
        } else {
            assert_eq!(
                x.status, y.status,
                "{} (jan's confirmation is not downgraded)",
                x.id
            );
        }
    }
    assert_eq!(a.unaligned, b.unaligned);
}

#[test]
fn a_file_with_the_sides_the_other_way_round_is_recognised_by_its_ids() {
    let w = work();
    let al = alignment();
    // Document names that say nothing, derived ids first.
    let src = "<cesAlign><linkGrp fromDoc='a.xml' toDoc='b.xml'>\n<link xtargets='en.s1;cs.s1'/>\n<link xtargets='en.s2 en.s3;cs.s2'/>\n</linkGrp></cesAlign>";
    let beads = imp(Format::CesAlign, src, "f.xml", &al.relations[1], "e", NOW).unwrap();
    let mut m = al.clone();
    merge_edge(&w, &mut m, 1, &beads, ImportMode::Merge, "f.xml").unwrap();
    assert_eq!(m, al, "the same beads as the edge has: nothing changes");
    // A file that mixes both orders is an error, not guessed.
    let src = "<cesAlign><linkGrp fromDoc='a.xml' toDoc='b.xml'>\n<link xtargets='en.s1;cs.s1'/>\n<link xtargets='cs.s2;en.s2 en.s3'/>\n</linkGrp></cesAlign>";
    let beads = imp(Format::CesAlign, src, "f.xml", &al.relations[1], "e", NOW).unwrap();
    let err = merge_edge(&w, &mut m.clone(), 1, &beads, ImportMode::Merge, "f.xml").unwrap_err();
    assert!(
        err.to_string().starts_with("f.xml:2: en.s1 is in layer en"),
        "{err}"
    );
}

#[test]
fn a_tmx_without_ids_is_placed_by_its_texts() {
    let w = work();
    let al = alignment();
    let text = |layer: &str, k: usize| w.layer(layer).unwrap().sentences[k].text.clone();
    let lang = |layer: &str| w.layer(layer).unwrap().lang.clone();
    let tu = |a: String, b: String| {
        format!(
            "<tu><tuv xml:lang=\"{}\"><seg>{}</seg></tuv><tuv xml:lang=\"{}\"><seg>{}</seg></tuv></tu>\n",
            lang("cs"),
            xml::text(&a),
            lang("en"),
            xml::text(&b)
        )
    };
    // As another tool writes a TM: no props, the second unit's English two sentences in one.
    let src = format!(
        "<tmx version=\"1.4\"><header srclang=\"cs\"/><body>\n{}{}</body></tmx>",
        tu(text("cs", 0), text("en", 0)),
        tu(
            text("cs", 1),
            format!("{}  {}", text("en", 1), text("en", 2))
        ),
    );
    let file = import(Format::Tmx, &src, "t.tmx", &w, &al.relations[1], "e", NOW).unwrap();
    assert_eq!(file.beads.len(), 2);
    assert_eq!(file.beads[0].source, ids(&["cs.s1"]));
    assert_eq!(file.beads[1].source, ids(&["cs.s2"]));
    assert_eq!(file.beads[1].derived, ids(&["en.s2", "en.s3"]));
    assert_eq!(file.beads[1].status, None);
    // A text the layer does not have is an error naming the unit's line.
    let bad = format!(
        "<tmx version=\"1.4\"><header/><body>\n{}\n{}</body></tmx>",
        tu(text("cs", 0), text("en", 0)),
        tu("Nothing like it.".into(), text("en", 1)),
    );
    let err = import(Format::Tmx, &bad, "t.tmx", &w, &al.relations[1], "e", NOW).unwrap_err();
    assert!(err.to_string().starts_with("t.tmx:4:"), "{err}");
    assert!(err.to_string().contains("after cs.s1"), "{err}");
}
