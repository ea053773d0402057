//! Stable link ids across re-alignment: after a layer is edited (sentences deleted, one added),
//! re-segmented and re-aligned, every link, unaligned ptr and segment whose targets did not change
//! keeps its id, changed ones get ids never used before, and no id ever names two different
//! things. Re-running on unchanged input still writes a byte-identical file, and every file is
//! valid TEI.

use crate::common;

use common::{assert_valid_tei as jing, chain_letter as setup, ok_in};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tei_align::model::WorkAlignment;
use tei_align::tei::standoff::read_alignment;

fn alignment_file(dir: &Path) -> PathBuf {
    dir.join("alignments/letter/alignment.xml")
}

fn align(dir: &Path, when: &str) -> (WorkAlignment, Vec<u8>) {
    ok_in(dir, &["align", "texts/letter", "--when", when]);
    let f = alignment_file(dir);
    jing(&f);
    (read_alignment(&f).unwrap(), std::fs::read(&f).unwrap())
}

/// Every id of an alignment (links, ptrs, segments) with what it names: for a link its edge and
/// both sides, for a ptr its edge and sentence, for a segment its non-empty members.
fn named(a: &WorkAlignment) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for e in &a.edges {
        for l in &e.links {
            let what = format!(
                "{}: {} | {}",
                e.relation,
                l.source.join(" "),
                l.derived.join(" ")
            );
            assert!(m.insert(l.id.clone(), what).is_none(), "duplicate {}", l.id);
        }
        for u in &e.unaligned {
            let what = format!("{}: {} {}", e.relation, u.layer, u.sentence);
            assert!(m.insert(u.id.clone(), what).is_none(), "duplicate {}", u.id);
        }
    }
    for s in &a.segments {
        let what: Vec<String> = s
            .members
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}: {}", v.join(" ")))
            .collect();
        assert!(
            m.insert(s.id.clone(), what.join(" | ")).is_none(),
            "duplicate {}",
            s.id
        );
    }
    m
}

/// The number at the end of an id (`a.cs-en.12` → 12).
fn number(id: &str) -> u64 {
    id.rsplit_once('.').unwrap().1.parse().unwrap()
}

/// The id prefix (`a.cs-en.12` → `a.cs-en`).
fn prefix(id: &str) -> &str {
    id.rsplit_once('.').unwrap().0
}

/// Check the step from `before` to `after`, given every id ever seen (`history`: id → what it
/// named). Returns (kept, new) counts.
fn check_step(
    before: &WorkAlignment,
    after: &WorkAlignment,
    history: &mut BTreeMap<String, String>,
) -> (usize, usize) {
    let old = named(before);
    let new = named(after);
    // What a name meant before → its id then.
    let old_by_what: BTreeMap<&String, &String> = old.iter().map(|(id, w)| (w, id)).collect();
    // The highest number used so far, per prefix.
    let mut high: BTreeMap<String, u64> = BTreeMap::new();
    for id in history.keys() {
        let h = high.entry(prefix(id).to_owned()).or_insert(0);
        *h = (*h).max(number(id));
    }
    let (mut kept, mut fresh) = (0, 0);
    for (id, what) in &new {
        match old_by_what.get(what) {
            // Unchanged targets: the same id as before.
            Some(old_id) => {
                assert_eq!(*old_id, id, "{what} changed its id");
                kept += 1;
            }
            // Changed: an id never used before, above every number used with its prefix.
            None => {
                assert!(
                    !history.contains_key(id),
                    "{id} now names {what} but once named {}",
                    history[id]
                );
                assert!(
                    number(id) > high.get(prefix(id)).copied().unwrap_or(0),
                    "{id} is not above the high-water mark"
                );
                fresh += 1;
            }
        }
    }
    for (id, what) in new {
        history.insert(id, what);
    }
    (kept, fresh)
}

/// The links of an edge in file order must be in document order of the source sentences.
fn assert_document_order(a: &WorkAlignment) {
    for e in &a.edges {
        let firsts: Vec<u64> = e
            .links
            .iter()
            .map(|l| number(&l.source[0].replace(".s", ".")))
            .collect();
        assert!(
            firsts.windows(2).all(|w| w[0] < w[1]),
            "{}: {firsts:?}",
            e.relation
        );
    }
}

/// Delete `<s xml:id="ID">…</s>` (and what wraps it when `wrapper` is given) from a layer file.
fn delete_sentence(file: &Path, id: &str, wrapper: Option<&str>) {
    let x = std::fs::read_to_string(file).unwrap();
    let start_tag = format!("<s xml:id=\"{id}\">");
    let mut start = x.find(&start_tag).unwrap();
    let mut end = start + x[start..].find("</s>").unwrap() + "</s>".len();
    if let Some(w) = wrapper {
        start = x[..start].rfind(&format!("<{w}>")).unwrap();
        end += x[end..].find(&format!("</{w}>")).unwrap() + w.len() + 3;
    }
    // The space between two sentences goes with the deleted one.
    if x[end..].starts_with(' ') {
        end += 1;
    } else if x[..start].ends_with(' ') {
        start -= 1;
    }
    std::fs::write(file, format!("{}{}", &x[..start], &x[end..])).unwrap();
}

#[test]
fn ids_survive_an_edit_of_the_derived_layer_and_are_never_reused() {
    let dir = setup();
    let d = dir.path();
    let en = d.join("texts/letter/en.xml");

    // 0. The layer as `import` makes it: its header records the sentence-id high-water mark,
    // so that a deleted sentence's id (even the last one) is never given to a new sentence.
    // (Link ids follow sentence ids: an unchanged link is one with the same sentence ids.)
    resegment_en(d, "2026-01-01");

    // 1. A fresh alignment numbers from 1 in document order.
    let (a1, bytes1) = align(d, "2026-01-01");
    numbered_from_one(&a1);
    let cs_en = a1.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    // The link this test is about: en.s6 is linked, and the signature en.s10 is a source gap
    // with the highest ptr number of the edge.
    let l6 = cs_en
        .links
        .iter()
        .find(|l| l.derived == ["en.s6"])
        .unwrap()
        .clone();
    let last_ptr = cs_en.unaligned.last().unwrap().clone();
    assert_eq!(last_ptr.sentence, "en.s10");
    let mut history = named(&a1);

    // Re-running on unchanged input: byte-identical.
    let (_, again) = align(d, "2026-01-05");
    assert!(
        again == bytes1,
        "re-running on unchanged input changed the file"
    );

    // 2. Edit: delete en.s6 and the last signature (en.s10), re-segment, re-align.
    delete_sentence(&en, "en.s6", None);
    delete_sentence(&en, "en.s10", Some("signed"));
    let text = std::fs::read_to_string(&en).unwrap();
    assert!(!text.contains("en.s6\"") && !text.contains("en.s10\""));
    resegment_en(d, "2026-01-02");
    let (a2, bytes2) = align(d, "2026-01-02");
    let (kept, fresh) = check_step(&a1, &a2, &mut history);
    // Links of cs.s1–s5 ↔ en.s1–s5, their segments, the ru-cs ptrs: unchanged.
    assert!(kept >= 15, "only {kept} ids kept");
    assert!(fresh >= 1, "the edit changed nothing?");
    assert_document_order(&a2);
    first_links_keep_their_ids(&a2, 5);
    // The id of the link of the deleted sentence names nothing now; the change says so.
    assert!(!named(&a2).contains_key(&l6.id));
    let last_change = a2.changes.last().unwrap();
    assert!(
        last_change.desc.contains(&format!(" {} ", l6.id))
            || last_change.desc.contains(&format!(" {}.", l6.id)),
        "{}",
        last_change.desc
    );
    // The high-water marks are kept in the file, above the retired ids.
    assert!(a2.id_high_water["a.cs-en"] >= number(&l6.id));
    assert!(a2.id_high_water["u.cs-en"] >= number(&last_ptr.id));

    // Unchanged again: byte-identical.
    let (_, again) = align(d, "2026-01-06");
    assert!(
        again == bytes2,
        "re-running after the edit changed the file"
    );

    // 3. Edit: a new signature at the end, where en.s10 was. Its ptr and segment must not take
    // the retired ids of en.s10 (the highest numbers of their prefixes when they were retired).
    let x = std::fs::read_to_string(&en).unwrap();
    let x = x.replacen(
        "</signed></closer>",
        "</signed> <signed><s>Drahomír Kolder</s></signed></closer>",
        1,
    );
    std::fs::write(&en, x).unwrap();
    resegment_en(d, "2026-01-03");
    let (a3, _) = align(d, "2026-01-03");
    check_step(&a2, &a3, &mut history);
    assert_document_order(&a3);
    let e3 = a3.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let new_ptr = e3.unaligned.last().unwrap();
    assert!(new_ptr.sentence != "en.s10" && new_ptr.sentence != last_ptr.sentence);
    assert!(
        number(&new_ptr.id) > number(&last_ptr.id),
        "{} reuses a retired number (last was {})",
        new_ptr.id,
        last_ptr.id
    );
    // Across all three alignments no id named two different things (check_step asserted it
    // step by step; here over the whole history once more).
    let all: BTreeSet<&String> = history.keys().collect();
    assert!(all.len() >= named(&a1).len());
}

/// The links of en.s1 … en.s`n` (before the edit) are still `a.cs-en.1` … `a.cs-en.<n>`.
fn first_links_keep_their_ids(a: &WorkAlignment, n: usize) {
    let e = a.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    for k in 1..=n {
        let l = e
            .links
            .iter()
            .find(|l| l.derived == [format!("en.s{k}")])
            .unwrap();
        assert_eq!(l.id, format!("a.cs-en.{k}"), "{l:?}");
    }
}

/// `import --in-place` of the English layer: re-segment it, ids kept.
fn resegment_en(d: &Path, when: &str) {
    ok_in(
        d,
        &[
            "import",
            "texts/letter/en.xml",
            "--in-place",
            "--when",
            when,
        ],
    );
}

/// The links of cs-en and the segments of a fresh alignment are numbered from 1 in document
/// order.
fn numbered_from_one(a: &WorkAlignment) {
    let cs_en = a.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let link_ids: Vec<&str> = cs_en.links.iter().map(|l| l.id.as_str()).collect();
    let expected: Vec<String> = (1..=link_ids.len())
        .map(|k| format!("a.cs-en.{k}"))
        .collect();
    assert_eq!(link_ids, expected);
    let seg_ids: Vec<&str> = a.segments.iter().map(|s| s.id.as_str()).collect();
    let expected: Vec<String> = (1..=seg_ids.len()).map(|k| format!("seg.{k}")).collect();
    assert_eq!(seg_ids, expected);
}

#[test]
fn fresh_starts_numbering_from_one_again() {
    let dir = setup();
    let d = dir.path();
    align(d, "2026-01-01");
    delete_sentence(&d.join("texts/letter/en.xml"), "en.s2", None);
    let (a2, _) = align(d, "2026-01-02");
    let e = a2.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let max = e.links.iter().map(|l| number(&l.id)).max().unwrap();
    assert!(
        max > e.links.len() as u64,
        "re-alignment after a deletion gives new links numbers above the old ones"
    );
    ok_in(
        d,
        &["align", "texts/letter", "--when", "2026-01-03", "--fresh"],
    );
    let a3 = read_alignment(&alignment_file(d)).unwrap();
    let e = a3.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let ids: Vec<u64> = e.links.iter().map(|l| number(&l.id)).collect();
    let expected: Vec<u64> = (1..=ids.len() as u64).collect();
    assert_eq!(ids, expected);
}
