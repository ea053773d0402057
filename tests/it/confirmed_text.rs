//! A confirmed link or ptr whose sentences were edited later (session 14's trial, "Months of
//! editing": a typo fixed in a confirmed sentence, a confirmed sentence split, a confirmed
//! omission's sentence edited) stayed "confirmed" without a word. Now the alignment records a
//! digest of the text each confirmation was made on, and `align`, `status`, `check`,
//! `coverage`, `trace` and the edition report such an item as "confirmed on another text:
//! review"; `link` confirms it anew. An alignment written before digests were kept works as
//! before (its confirmations are of unknown text: said once, never a false alarm).

use crate::common;

use common::{aligned_chain_letter, ok_in, run_in};
use std::path::Path;
use tei_align::model::{LinkStatus, WorkAlignment};
use tei_align::tei::standoff::read_alignment;

const ALIGNMENT: &str = "alignments/letter/alignment.xml";

fn alignment(d: &Path) -> WorkAlignment {
    read_alignment(&d.join(ALIGNMENT)).unwrap()
}

/// The cs-en item (link, else ptr) holding sentence `s`: (id, status).
fn item(al: &WorkAlignment, s: &str) -> (String, LinkStatus) {
    let e = al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    if let Some(l) = e
        .links
        .iter()
        .find(|l| l.source.iter().chain(&l.derived).any(|x| x == s))
    {
        return (l.id.clone(), l.status.clone());
    }
    let u = e.unaligned.iter().find(|u| u.sentence == s).unwrap();
    (u.id.clone(), u.status.clone())
}

/// Replace `from` by `to` in a layer file (once, and it must be there).
fn edit(d: &Path, layer: &str, from: &str, to: &str) {
    let p = d.join(format!("texts/letter/{layer}.xml"));
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// The chain letter aligned, with three links and an omission confirmed by jnovak.
fn confirmed() -> tempfile::TempDir {
    let dir = aligned_chain_letter();
    let d = dir.path();
    for ids in [
        &["cs.s2", "en.s2"][..],
        &["cs.s5", "en.s5"],
        &["cs.s6", "en.s6"],
    ] {
        let mut args = vec!["link", "texts/letter"];
        args.extend(ids);
        args.extend(["--by", "jnovak:Jan Novák"]);
        ok_in(d, &args);
    }
    // cs.s3 and en.s3 confirmed as without counterpart: an omission and an addition.
    ok_in(
        d,
        &["unlink", "texts/letter", "cs.s3", "en.s3", "--by", "jnovak"],
    );
    dir
}

/// Months of editing, in the layers' TEI files: a typo fixed in en.s5, en.s6 split in two
/// (`--resplit`: en.s6 keeps its id and the first half, the second gets a new id), the omitted
/// cs.s3 edited, and markup only around words of en.s2.
fn months_of_editing(d: &Path) {
    edit(
        d,
        "en",
        "have created conditions",
        "have created the conditions",
    );
    edit(
        d,
        "en",
        "government, this ultimate",
        "government. This ultimate",
    );
    edit(d, "cs", "je ohrožena", "je vážně ohrožena");
    edit(
        d,
        "en",
        "the Party leadership --",
        "the <hi rend=\"italic\">Party leadership</hi> --",
    );
    let en = [
        "import",
        "texts/letter/en.xml",
        "--in-place",
        "--resplit",
        "--when",
        "2026-03-01",
    ];
    ok_in(d, &en);
    ok_in(
        d,
        &[
            "import",
            "texts/letter/cs.xml",
            "--in-place",
            "--when",
            "2026-03-01",
        ],
    );
}

#[test]
fn confirmed_text_is_recorded_valid_and_every_command_reports_an_edit() {
    let dir = confirmed();
    let d = dir.path();
    let al = alignment(d);
    let ids: Vec<(String, LinkStatus)> = ["en.s2", "en.s5", "en.s6", "cs.s3", "en.s3"]
        .iter()
        .map(|s| item(&al, s))
        .collect();
    let xml = std::fs::read_to_string(d.join(ALIGNMENT)).unwrap();
    for (id, st) in &ids {
        let d = st.digest().unwrap_or_else(|| panic!("{id}: no digest"));
        assert!(
            xml.contains(&format!(
                "<desc type=\"confirmed-text\" corresp=\"#{id}\">{d}</desc>"
            )),
            "{id}"
        );
    }
    common::assert_valid_tei(&d.join(ALIGNMENT));
    ok_in(d, &["check", "texts/letter"]);

    months_of_editing(d);
    let r = ok_in(d, &["align", "texts/letter", "--when", "2026-03-02"]);
    let (s2, s5, s6, cs3) = (&ids[0].0, &ids[1].0, &ids[2].0, &ids[3].0);
    // en.s6 split: its first part edited, the second (en.s11) new right after it.
    for (id, sentences, edited) in [
        (s5, "cs.s5 en.s5", "en.s5 edited"),
        (s6, "cs.s6 en.s6", "en.s6 edited, en.s11 new after en.s6"),
        (cs3, "cs.s3", "cs.s3 edited"),
    ] {
        let line = format!(
            "{id} ({sentences}): confirmed on another text: review ({edited} since jnovak confirmed it on "
        );
        assert!(r.err.contains(&line), "{line}\n{}", r.err);
    }
    assert!(
        !r.err.contains(&format!("{s2} (")),
        "markup only: {}",
        r.err
    );
    // Kept as they were: confirmed by jnovak, on the same sentences, never re-aligned.
    let al = alignment(d);
    for (k, s) in ["en.s2", "en.s5", "en.s6", "cs.s3", "en.s3"]
        .iter()
        .enumerate()
    {
        assert_eq!(item(&al, s), ids[k], "{s}");
    }
    let e = al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let l6 = e.links.iter().find(|l| &l.id == s6).unwrap();
    assert_eq!(l6.derived, ["en.s6"]);
    let en = std::fs::read_to_string(d.join("texts/letter/en.xml")).unwrap();
    assert!(
        en.contains("<s xml:id=\"en.s11\">This ultimate step"),
        "not split: {en}"
    );

    let r = ok_in(d, &["status", "texts/letter", "--doubtful"]);
    assert!(
        r.out.contains("confirmed on another text") && r.out.contains(s5.as_str()),
        "{}",
        r.out
    );
    let r = ok_in(d, &["status", "texts/letter", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let listed: Vec<&str> = v["confirmed_on_another_text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [s5.as_str(), s6.as_str(), cs3.as_str()]);

    let r = run_in(d, &["check", "texts/letter"]);
    assert_eq!(r.code, Some(1), "check passed confirmations of edited text");
    assert!(
        r.out
            .contains(&format!("{s5} (cs.s5 en.s5): confirmed on another text"))
    );

    let r = ok_in(d, &["coverage", "texts/letter"]);
    assert!(r.out.contains("confirmed on another text"), "{}", r.out);
    let r = ok_in(d, &["coverage", "texts/letter", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let cs_en = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["relation"] == "rel.cs-en")
        .unwrap();
    assert_eq!(
        cs_en["confirmed_on_another_text"].as_array().unwrap().len(),
        3
    );

    let r = ok_in(d, &["trace", "en.s5", "--work", "texts/letter"]);
    assert!(
        r.out
            .contains("confirmed on another text: review (en.s5 edited since)"),
        "{}",
        r.out
    );
    let r = ok_in(d, &["trace", "en.s2", "--work", "texts/letter"]);
    assert!(!r.out.contains("confirmed on another text"), "{}", r.out);

    let out = d.join("ed");
    ok_in(d, &["edition", "texts/letter", "-o", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("text-changed"), "edition does not mark it");
    assert!(html.contains(&format!(
        "confirmed on another text: review: {s5} (en.s5 edited since)"
    )));

    // Confirmed anew: by another editor, a new digest, a change record of hers.
    ok_in(
        d,
        &[
            "link",
            "texts/letter",
            "cs.s5",
            "en.s5",
            "--by",
            "eva:Eva Nová",
        ],
    );
    let al = alignment(d);
    let (_, st) = item(&al, "en.s5");
    assert!(matches!(&st, LinkStatus::Verified { who, .. } if who == "eva"));
    assert_ne!(st.digest(), ids[1].1.digest());
    let last = al.changes.last().unwrap();
    assert_eq!(last.who, "eva");
    assert!(
        last.desc.contains("confirmed anew on its edited text"),
        "{}",
        last.desc
    );
    assert_eq!(al.item_changes[s5.as_str()], last.id);
    // By the ids the report names.
    ok_in(d, &["link", "texts/letter", s6, "--by", "jnovak"]);
    ok_in(d, &["link", "texts/letter", cs3, "--by", "jnovak"]);
    let r = ok_in(d, &["check", "texts/letter"]);
    assert!(!r.out.contains("confirmed on another text"), "{}", r.out);
    common::assert_valid_tei(&d.join(ALIGNMENT));
}

#[test]
fn confirmed_text_unknown_in_an_old_file_is_said_once_and_never_a_false_alarm() {
    let dir = confirmed();
    let d = dir.path();
    // The file as tei-align wrote it before digests were kept.
    let p = d.join(ALIGNMENT);
    let xml = std::fs::read_to_string(&p).unwrap();
    let old: String = xml
        .lines()
        .filter(|l| !l.contains("type=\"confirmed-text\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(old.len() < xml.len());
    std::fs::write(&p, &old).unwrap();
    months_of_editing(d);
    let r = ok_in(d, &["align", "texts/letter", "--when", "2026-03-02"]);
    assert!(!r.err.contains("confirmed on another text"), "{}", r.err);
    let note = "5 confirmed items have no record of the text confirmed";
    assert_eq!(r.err.matches(note).count(), 1, "{}", r.err);
    // align adds no digest of its own: it cannot know what the editor saw.
    let al = alignment(d);
    let (id5, st) = item(&al, "en.s5");
    assert_eq!(st.digest(), None);
    let r = ok_in(d, &["check", "texts/letter"]);
    assert!(!r.out.contains("confirmed on another text"), "{}", r.out);
    let r = ok_in(d, &["status", "texts/letter", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["confirmed_text_unknown"], 5);
    assert_eq!(v["confirmed_on_another_text"].as_array().unwrap().len(), 0);
    // Confirming it again records the text it is confirmed on now.
    ok_in(d, &["link", "texts/letter", &id5, "--by", "jnovak"]);
    let (_, st) = item(&alignment(d), "en.s5");
    assert!(st.digest().is_some());
    let r = ok_in(d, &["status", "texts/letter", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["confirmed_text_unknown"], 4);
    common::assert_valid_tei(&p);
}

/// The id of the sentence of a layer file whose text starts with `text`.
fn id_of(d: &Path, layer: &str, text: &str) -> String {
    let xml = std::fs::read_to_string(d.join(format!("texts/letter/{layer}.xml"))).unwrap();
    let at = xml
        .find(&format!("\">{text}"))
        .unwrap_or_else(|| panic!("{text}: {xml}"));
    let open = xml[..at].rfind("xml:id=\"").unwrap() + "xml:id=\"".len();
    xml[open..at].to_owned()
}

#[test]
fn text_split_off_a_confirmed_sentence_is_reported_and_the_edition_says_it() {
    let dir = confirmed();
    let d = dir.path();
    let (s5, _) = item(&alignment(d), "en.s5");
    let (s6, _) = item(&alignment(d), "en.s6");
    // A sentence added at the end of confirmed en.s5, split off by --resplit: en.s5 reads as
    // it did; and one added after en.s7, which no one confirmed.
    edit(
        d,
        "en",
        "counterrevolutionary coup.</s>",
        "counterrevolutionary coup. They have support abroad.</s>",
    );
    edit(
        d,
        "en",
        "all-round assistance.</s>",
        "all-round assistance. Added far from any confirmation.</s>",
    );
    let args = ["import", "texts/letter/en.xml", "--in-place", "--resplit"];
    ok_in(d, &[&args[..], &["--when", "2026-03-01"]].concat());
    let en_new = id_of(d, "en", "They have support abroad.");
    assert!(
        std::fs::read_to_string(d.join("texts/letter/en.xml"))
            .unwrap()
            .contains("a counterrevolutionary coup.</s>"),
        "en.s5 not given its old text back"
    );
    // The same by hand in the Czech: `</s><s>` typed, the new <s> given an id by import.
    edit(
        d,
        "cs",
        "kontrarevoluční převrat.</s>",
        "kontrarevoluční převrat.</s> <s>Mají podporu v cizině.</s>",
    );
    ok_in(
        d,
        &[
            "import",
            "texts/letter/cs.xml",
            "--in-place",
            "--when",
            "2026-03-01",
        ],
    );
    let cs_new = id_of(d, "cs", "Mají podporu v cizině.");

    let r = ok_in(d, &["align", "texts/letter", "--when", "2026-03-02"]);
    let line = format!(
        "{s5} (cs.s5 en.s5): confirmed on another text: review ({cs_new} new after cs.s5, \
         {en_new} new after en.s5 since jnovak confirmed it on "
    );
    assert!(r.err.contains(&line), "{line}\n{}", r.err);
    assert!(!r.err.contains(&format!("{s6} (")), "{}", r.err);
    let r = run_in(d, &["check", "texts/letter"]);
    assert_eq!(r.code, Some(1), "check passed a split confirmation");
    assert!(r.out.contains(&line), "{}", r.out);
    let r = ok_in(d, &["trace", "en.s5", "--work", "texts/letter"]);
    assert!(
        r.out.contains(&format!(
            "confirmed on another text: review ({cs_new} new after cs.s5, {en_new} new after en.s5 since)"
        )),
        "{}",
        r.out
    );

    // The TEI edition says it, as the HTML does: a certainty about the item, and the record
    // of the text confirmed, as the alignment keeps it.
    let out = d.join("ed");
    ok_in(d, &["edition", "texts/letter", "-o", out.to_str().unwrap()]);
    let tei = std::fs::read_to_string(out.join("edition.xml")).unwrap();
    let mark = format!(
        "<certainty type=\"confirmed-on-another-text\" target=\"#{s5}\" locus=\"value\" cert=\"unknown\"><desc>{s5} (cs.s5 en.s5): confirmed on another text: review ("
    );
    assert!(tei.contains(&mark), "{mark}\n{tei}");
    assert_eq!(tei.matches("<certainty ").count(), 1, "{tei}");
    let (_, st) = item(&alignment(d), "en.s5");
    assert!(tei.contains(&format!(
        "<desc type=\"confirmed-text\" corresp=\"#{s5}\">{}</desc>",
        st.digest().unwrap()
    )));
    common::assert_valid_tei(&out.join("edition.xml"));

    // Confirmed anew as it stands: the sentences beside it were there when it was confirmed.
    ok_in(d, &["link", "texts/letter", &s5, "--by", "jnovak"]);
    let r = ok_in(d, &["check", "texts/letter"]);
    assert!(!r.out.contains("confirmed on another text"), "{}", r.out);
    ok_in(d, &["edition", "texts/letter", "-o", out.to_str().unwrap()]);
    let tei = std::fs::read_to_string(out.join("edition.xml")).unwrap();
    assert!(!tei.contains("<certainty "), "{tei}");
}

#[test]
fn the_text_of_old_confirmations_is_recorded_on_request_under_the_name_of_who_asks() {
    let dir = confirmed();
    let d = dir.path();
    let p = d.join(ALIGNMENT);
    let xml = std::fs::read_to_string(&p).unwrap();
    let old: String = xml
        .lines()
        .filter(|l| !l.contains("type=\"confirmed-"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, &old).unwrap();
    let (s5, before) = item(&alignment(d), "en.s5");
    assert_eq!(before.digest(), None);
    let eva = ["--by", "eva:Eva Nová", "--when", "2026-04-01T10:00:00Z"];
    let r = ok_in(
        d,
        &[&["link", "texts/letter", "--record-text"][..], &eva].concat(),
    );
    assert!(
        r.out
            .contains("recorded the text of 5 confirmations as it reads now (by eva"),
        "{}",
        r.out
    );
    let al = alignment(d);
    let (_, st) = item(&al, "en.s5");
    // Still jnovak's confirmation, with its date; the text recorded by eva, then.
    let LinkStatus::Verified { who, when, digest } = &st else {
        panic!("{st:?}")
    };
    let LinkStatus::Verified { when: was, .. } = &before else {
        panic!()
    };
    assert_eq!((who.as_str(), when), ("jnovak", was));
    let t = digest.as_ref().unwrap();
    let r = t.recorded.as_ref().unwrap();
    assert_eq!(
        (r.who.as_str(), r.when.as_str()),
        ("eva", "2026-04-01T10:00:00Z")
    );
    let last = al.changes.last().unwrap();
    assert_eq!(last.who, "eva");
    assert!(
        last.desc
            .contains("recorded the text of 5 confirmations made before")
            && last
                .desc
                .contains(&format!("{s5} (confirmed by jnovak on {was})")),
        "{}",
        last.desc
    );
    // The item still points at jnovak's change (check 7 stays clean).
    assert_ne!(al.item_changes[s5.as_str()], last.id);
    let xml = std::fs::read_to_string(&p).unwrap();
    assert!(
        xml.contains(&format!(
            "<desc type=\"confirmed-text\" corresp=\"#{s5}\" resp=\"#eva\" change=\"#{}\">",
            last.id
        )),
        "{xml}"
    );
    common::assert_valid_tei(&p);
    ok_in(d, &["check", "texts/letter"]);
    let r = ok_in(d, &["status", "texts/letter", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["confirmed_text_unknown"], 0);
    // Nothing left to record; a text recorded already is not recorded anew.
    let r = ok_in(
        d,
        &[&["link", "texts/letter", "--record-text"][..], &eva].concat(),
    );
    assert!(r.out.contains("nothing recorded"), "{}", r.out);
    let r = run_in(
        d,
        &["link", "texts/letter", "--record-text", &s5, "--by", "eva"],
    );
    assert!(!r.ok && r.err.contains("recorded already"), "{}", r.err);
    // From now on an edit is reported, since eva recorded the text.
    edit(
        d,
        "en",
        "have created conditions",
        "have created the conditions",
    );
    let r = ok_in(d, &["align", "texts/letter", "--when", "2026-04-02"]);
    let line = format!(
        "{s5} (cs.s5 en.s5): confirmed on another text: review (en.s5 edited since eva recorded its text on 2026-04-01T10:00:00Z (jnovak confirmed it on {was}))"
    );
    assert!(r.err.contains(&line), "{line}\n{}", r.err);
}
