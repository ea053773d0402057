//! A whole editing session on a copy of the letter of August 1968: align, confirm and correct
//! links (also after a hand edit of the alignment file), edit the Czech text (fix a word, split
//! a sentence, delete one), re-segment, re-align — and check that every confirmed link survived,
//! every unchanged sentence kept its id, the deleted sentence's link was reported, and the work
//! is still consistent.

use crate::common;

use common::{ok_in, tei_align};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tei_align::model::{EdgeAlignment, Link, LinkStatus, Unaligned, UnalignedKind, WorkAlignment};
use tei_align::tei::{read_layer, standoff::read_alignment};

const LETTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/texts/letter-1968");

/// `status --json` of the letter, and its entry for the cs → en edge.
fn status_cs_en(d: &Path) -> (serde_json::Value, serde_json::Value) {
    let st: serde_json::Value =
        serde_json::from_str(&ok_in(d, &["status", "texts/letter-1968", "--json"]).out).unwrap();
    let cs_en = st["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["relation"] == "rel.cs-en")
        .unwrap()
        .clone();
    (st, cs_en)
}

fn cs_en(al: &WorkAlignment) -> &[Link] {
    &al.edges
        .iter()
        .find(|e| e.relation == "rel.cs-en")
        .unwrap()
        .links
}

/// The cs-en link holding a Czech sentence.
fn link_of(al: &WorkAlignment, cs: &str) -> Link {
    cs_en(al)
        .iter()
        .find(|l| l.source.iter().any(|s| s == cs))
        .unwrap()
        .clone()
}

fn ids_of(l: &Link) -> Vec<&str> {
    l.source
        .iter()
        .chain(&l.derived)
        .map(String::as_str)
        .collect()
}

fn texts(path: &Path) -> BTreeMap<String, String> {
    read_layer(path)
        .unwrap()
        .sentences
        .into_iter()
        .map(|s| (s.id, s.text))
        .collect()
}

fn is_verified_by(l: &Link, who: &str) -> bool {
    matches!(&l.status, LinkStatus::Verified { who: w, .. } if w == who)
}

#[test]
fn an_editing_session_on_the_letter_keeps_what_the_editor_confirmed() {
    if !Path::new(LETTER).join("cs.xml").is_file() {
        eprintln!("skipped: {LETTER} is not in the repository yet");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let w = d.join("texts/letter-1968");
    std::fs::create_dir_all(&w).unwrap();
    for e in std::fs::read_dir(LETTER).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "xml") {
            std::fs::copy(&p, w.join(p.file_name().unwrap())).unwrap();
        }
    }
    let ap: PathBuf = d.join("alignments/letter-1968/alignment.xml");
    let cs_file = w.join("cs.xml");
    let en_file = w.join("en.xml");
    let cs_before = texts(&cs_file);
    let en_before = texts(&en_file);

    // 1. Align.
    ok_in(d, &["align", "texts/letter-1968", "--when", "2026-11-25"]);
    let al = read_alignment(&ap).unwrap();
    assert!(cs_en(&al).iter().all(|l| l.status == LinkStatus::Automatic));
    let st = ok_in(d, &["status", "texts/letter-1968", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&st.out).unwrap();
    assert_eq!(v["progress"].as_f64(), Some(0.0));

    let confirmed = confirm_three_links(d, &al);
    let gap_ptr = confirm_the_source_gap(d, &al);
    let l13 = join_and_unlink(d, &ap, &al);
    take_back_by_hand_and_confirm_anew(d, &ap, &confirmed[0]);
    let al = read_alignment(&ap).unwrap();
    let check = ok_in(d, &["check", "texts/letter-1968"]);
    assert!(check.out.is_empty(), "{}", check.out);

    edit_the_czech(&cs_file);
    let l6 = &confirmed[2];
    resegment_and_realign(d, l6);
    let new = ids_are_stable(&cs_file, &en_file, &cs_before, &en_before);

    let after = read_alignment(&ap).unwrap();
    confirmed_links_survive(&al, &after, l6);
    let e = after
        .edges
        .iter()
        .find(|e| e.relation == "rel.cs-en")
        .unwrap();
    confirmed_ptrs_survive(e, &l13, &gap_ptr);
    // The new sentence is aligned (by the aligner).
    assert!(
        e.links.iter().any(|l| l.source.contains(&new))
            || e.unaligned.iter().any(|u| u.sentence == new)
    );
    // The word fixed in cs.s2, whose link eva confirmed: the link is kept and reported for
    // review until she confirms it again (session 15); then the whole work checks out.
    let c2 = &e.links.iter().find(|l| l.source == ["cs.s2"]).unwrap().id;
    let r = common::run(tei_align(d).args(["check", "texts/letter-1968"]));
    assert_eq!(r.code, Some(1), "{}{}", r.out, r.err);
    assert!(
        r.out.contains(&format!(
            "{c2} (cs.s2 en.s2): confirmed on another text: review (cs.s2 edited since eva"
        )),
        "{}",
        r.out
    );
    let when = "2026-11-26T09:00:00Z";
    ok_in(
        d,
        &[
            "link",
            "texts/letter-1968",
            c2,
            "--by",
            "eva",
            "--when",
            when,
        ],
    );
    let check = ok_in(d, &["check", "texts/letter-1968"]);
    assert!(check.out.is_empty(), "{}", check.out);
    let (st, cs_en_status) = status_cs_en(d);
    assert_eq!(cs_en_status["confirmed"].as_u64(), Some(3), "{st}"); // cs.s1, cs.s2, corrected
}

/// Step 2: eva confirms three links as they are.
fn confirm_three_links(d: &Path, al: &WorkAlignment) -> Vec<Link> {
    let mut confirmed: Vec<Link> = Vec::new();
    for (k, cs) in ["cs.s1", "cs.s2", "cs.s6"].iter().enumerate() {
        let l = link_of(al, cs);
        let when = format!("2026-11-25T10:0{k}:00Z");
        let mut args = vec!["link", "texts/letter-1968"];
        args.extend(ids_of(&l));
        args.extend(["--by", "eva", "--when", when.as_str()]);
        let r = ok_in(d, &args);
        assert!(r.out.contains(&format!("confirmed {}", l.id)), "{}", r.out);
        confirmed.push(l);
    }
    confirmed
}

/// Step 2, continued: eva confirms that the last English sentence (after the point where the
/// Czech breaks off) has no counterpart in the Czech.
fn confirm_the_source_gap(d: &Path, al: &WorkAlignment) -> Unaligned {
    let gap_ptr = al
        .edges
        .iter()
        .find(|e| e.relation == "rel.cs-en")
        .unwrap()
        .unaligned
        .iter()
        .rfind(|u| u.layer == "en")
        .unwrap()
        .clone();
    assert_eq!(gap_ptr.kind, UnalignedKind::SourceGap);
    let r = ok_in(
        d,
        &[
            "link",
            "texts/letter-1968",
            &gap_ptr.sentence,
            "--by",
            "eva",
            "--when",
            "2026-11-25T10:05:00Z",
        ],
    );
    assert!(
        r.out.contains("confirmed without counterpart on rel.cs-en"),
        "{}",
        r.out
    );
    gap_ptr
}

/// Step 3: the editor joins the links of cs.s10 and cs.s11 into one, and jan removes the link
/// of cs.s13 (its sentences are confirmed as having no counterpart). Returns that link.
fn join_and_unlink(d: &Path, ap: &Path, al: &WorkAlignment) -> Link {
    let (l10, l11) = (link_of(al, "cs.s10"), link_of(al, "cs.s11"));
    let mut joined: Vec<&str> = ids_of(&l10);
    joined.extend(ids_of(&l11));
    joined.sort();
    joined.dedup();
    let mut args = vec!["link", "texts/letter-1968"];
    args.extend(joined.iter().copied());
    args.extend(["--by", "eva", "--when", "2026-11-25T10:10:00Z"]);
    let r = ok_in(d, &args);
    assert!(r.out.contains("linked"), "{}", r.out);
    let al = read_alignment(ap).unwrap();
    let corrected = link_of(&al, "cs.s10");
    assert!(corrected.source.contains(&"cs.s11".to_string()));
    assert!(is_verified_by(&corrected, "eva"));
    assert!(
        !cs_en(&al)
            .iter()
            .any(|l| l.id == l10.id || (l11.id != l10.id && l.id == l11.id))
    );
    let l13 = link_of(&al, "cs.s13");
    ok_in(
        d,
        &[
            "unlink",
            "texts/letter-1968",
            &l13.id,
            "--by",
            "jan",
            "--when",
            "2026-11-25T10:20:00Z",
        ],
    );
    l13
}

/// Step 4: a hand edit in an XML editor: the confirmation of cs.s1's link is taken back by
/// pointing it at the tool again. status re-reads the file; link confirms it anew.
fn take_back_by_hand_and_confirm_anew(d: &Path, ap: &Path, l1: &Link) {
    let src = std::fs::read_to_string(ap).unwrap();
    let line = src
        .lines()
        .find(|l| l.contains(&format!("xml:id=\"{}\"", l1.id)))
        .unwrap()
        .to_owned();
    let resp_at = line.find(" resp=\"#eva\"").unwrap();
    let edited_line = format!("{} resp=\"#tei-align\"/>", &line[..resp_at]);
    std::fs::write(ap, src.replacen(&line, &edited_line, 1)).unwrap();
    let (st, cs_en_status) = status_cs_en(d);
    assert_eq!(cs_en_status["confirmed"].as_u64(), Some(3), "{st}"); // cs.s2, cs.s6, corrected
    let mut args = vec!["link", "texts/letter-1968"];
    args.extend(ids_of(l1));
    args.extend(["--by", "eva", "--when", "2026-11-25T10:30:00Z"]);
    ok_in(d, &args);
}

/// Step 5: edit the Czech text: fix a word in cs.s2, split cs.s8 (the editor types `</s> <s>`),
/// delete cs.s6 (whose link eva confirmed).
fn edit_the_czech(cs_file: &Path) {
    let x = std::fs::read_to_string(cs_file).unwrap();
    assert!(x.contains("plné odpovědnosti"));
    let x = x.replacen("plné odpovědnosti", "plné zodpovědnosti", 1);
    let x = x.replacen(
        "útoky proti socialismu, není",
        "útoky proti socialismu.</s> <s>Není",
        1,
    );
    let s6_start = x.find("<s xml:id=\"cs.s6\"").unwrap();
    let s6_end = s6_start + x[s6_start..].find("</s>").unwrap() + "</s> ".len();
    let x = format!("{}{}", &x[..s6_start], &x[s6_end..]);
    std::fs::write(cs_file, x).unwrap();
}

/// Steps 6 and 7: re-segment (ids kept, the new sentence gets a new id), re-align; the link of
/// the deleted sentence is reported.
fn resegment_and_realign(d: &Path, l6: &Link) {
    ok_in(
        d,
        &[
            "import",
            "texts/letter-1968/cs.xml",
            "--in-place",
            "--when",
            "2026-11-26",
        ],
    );
    let r = ok_in(d, &["align", "texts/letter-1968", "--when", "2026-11-26"]);
    let warnings = format!("{}{}", r.out, r.err);
    assert!(
        warnings.contains(&l6.id) && warnings.contains("cs.s6"),
        "the deleted sentence's link is reported: {warnings}"
    );
}

/// Every id of an unchanged sentence is the same; the split keeps its id on the first part;
/// the new sentence has an id never used before; the deleted id is gone, not reused. Returns
/// the new sentence's id.
fn ids_are_stable(
    cs_file: &Path,
    en_file: &Path,
    cs_before: &BTreeMap<String, String>,
    en_before: &BTreeMap<String, String>,
) -> String {
    let cs_after = texts(cs_file);
    let en_after = texts(en_file);
    assert_eq!(&en_after, en_before);
    for (id, text) in cs_before {
        match id.as_str() {
            "cs.s6" => assert!(!cs_after.contains_key(id)),
            "cs.s2" => assert!(cs_after[id].contains("plné zodpovědnosti")),
            "cs.s8" => assert!(cs_after[id].ends_with("proti socialismu.")),
            _ => assert_eq!(cs_after.get(id), Some(text), "{id} changed"),
        }
    }
    let new: Vec<&String> = cs_after
        .keys()
        .filter(|k| !cs_before.contains_key(*k))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(cs_after[new[0]].starts_with("Není s to organizovat"));
    let num = |id: &str| id.trim_start_matches("cs.s").parse::<u32>().unwrap();
    assert!(cs_before.keys().all(|k| num(k) < num(new[0])));
    new[0].clone()
}

/// Every confirmed link survived as it was (except the one whose sentence is gone).
fn confirmed_links_survive(al: &WorkAlignment, after: &WorkAlignment, l6: &Link) {
    for l in cs_en(al)
        .iter()
        .filter(|l| matches!(l.status, LinkStatus::Verified { .. }))
    {
        if l.id == l6.id {
            // Its sentence is gone, so is the link (reported above); nothing points at cs.s6.
            assert!(
                !cs_en(after)
                    .iter()
                    .any(|x| x.source.iter().any(|s| s == "cs.s6"))
            );
            continue;
        }
        let kept = cs_en(after)
            .iter()
            .find(|x| x.id == l.id)
            .unwrap_or_else(|| panic!("{} lost", l.id));
        assert_eq!(
            (&kept.source, &kept.derived, &kept.status),
            (&l.source, &l.derived, &l.status)
        );
    }
}

/// The sentences unlinked by jan stay confirmed as unaligned; eva's source gap stays hers.
fn confirmed_ptrs_survive(e: &EdgeAlignment, l13: &Link, gap_ptr: &Unaligned) {
    for s in ids_of(l13) {
        let u = e
            .unaligned
            .iter()
            .find(|u| u.sentence == s)
            .unwrap_or_else(|| panic!("{s} not unaligned"));
        assert!(matches!(&u.status, LinkStatus::Verified { who, .. } if who == "jan"));
        assert!(matches!(
            u.kind,
            UnalignedKind::SourceOnly | UnalignedKind::DerivedOnly
        ));
    }
    let g = e.unaligned.iter().find(|u| u.id == gap_ptr.id).unwrap();
    assert_eq!(
        (&g.sentence, g.kind),
        (&gap_ptr.sentence, UnalignedKind::SourceGap)
    );
    assert!(matches!(&g.status, LinkStatus::Verified { who, .. } if who == "eva"));
}
