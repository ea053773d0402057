//! What a new user's second trial found (session 14, docs/workflow.md "New-user trial, session
//! 14"): exchanging alignments with the tools users have and editing a work for months. An
//! InterText bundle saved after a sentence was split in the editor (InterText then numbers the
//! document's sentences anew) was imported onto the wrong sentences without a word; a CSV a
//! spreadsheet saves (`;` between cells, a decimal comma, empty rows) was refused, and a text
//! corrected in a spreadsheet cell was dropped without a word.

use crate::common;

use crate::common::{ok_as, run_as, soffice};
use std::path::{Path, PathBuf};
use std::process::Command;
use tei_align::model::{LinkStatus, WorkAlignment};
use tei_align::tei::standoff::read_alignment;

/// The editor of these trials (`TEI_ALIGN_EDITOR`).
const ENOVA: &str = "enova:Eva Nová";

/// The editor's InterText bundle (`it/`) imported into the work's cs–en edge.
const IMPORT_BUNDLE: &[&str] = &[
    "import-alignment",
    "texts/w",
    "it/w.cs.en.xml",
    "--format",
    "intertext",
];

/// The small cs-en work aligned; its alignment file.
fn aligned() -> (tempfile::TempDir, PathBuf) {
    let dir = common::formats_work();
    ok_as(
        ENOVA,
        dir.path(),
        &["align", "texts/w", "--when", "2026-12-02"],
    );
    let ap = dir.path().join("alignments/w/alignment.xml");
    (dir, ap)
}

/// (source ids, derived ids, confirmed by) of every link and ptr of the cs-en edge.
fn beads(al: &WorkAlignment) -> Vec<(Vec<String>, Vec<String>, Option<String>)> {
    let e = &al.edges[0];
    let who = |s: &LinkStatus| match s {
        LinkStatus::Verified { who, .. } => Some(who.clone()),
        LinkStatus::Automatic => None,
    };
    let mut v: Vec<_> = e
        .links
        .iter()
        .map(|l| (l.source.clone(), l.derived.clone(), who(&l.status)))
        .collect();
    v.sort();
    v
}

/// The links of an exported InterText alignment: (toDoc ids, fromDoc ids) as written.
fn intertext_links(exported: &str) -> Vec<(String, String)> {
    exported
        .lines()
        .filter_map(|l| l.split_once("xtargets=\"").map(|x| x.1))
        .map(|rest| {
            let x = &rest[..rest.find('"').unwrap()];
            let (to, from) = x.split_once(';').unwrap();
            (to.to_owned(), from.to_owned())
        })
        .collect()
}

/// An InterText alignment as the editor saves it (`ItAlignment::getAlignmentXML`): single
/// quotes, `type` (toDoc count first), `xtargets` (toDoc ids first), `status`, nothing else.
fn intertext_saved(links: &[(String, String)]) -> String {
    let n = |s: &str| s.split_whitespace().count();
    let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
    out.push_str("<linkGrp toDoc='w.en.xml' fromDoc='w.cs.xml'>\n");
    for (to, from) in links {
        out.push_str(&format!(
            "<link type='{}-{}' xtargets='{to};{from}' status='man'/>\n",
            n(to),
            n(from)
        ));
    }
    out.push_str("</linkGrp>\n");
    out
}

/// The Czech document after the editor split cs.s3 in two and merged cs.s5 with cs.s6, and
/// InterText numbered its sentences anew: the same ids cs.s1–cs.s8, but cs.s4 is now the second
/// half of the old cs.s3, cs.s5 the old cs.s4 and cs.s6 the old cs.s5 and cs.s6.
fn split_and_merged(cs: &str) -> String {
    let split = cs.replace("krásné a město", "krásné.</s>\n<s id=\"x\">A město");
    let merged = split.replace("mapy.</s>\n<s id=\"cs.s6\">", "mapy. ");
    let mut n = 0;
    merged
        .split("<s id=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_owned();
            }
            n += 1;
            format!("<s id=\"cs.s{n}{}", &part[part.find('"').unwrap()..])
        })
        .collect()
}

/// The links as the editor leaves them after that split and merge: each Czech id renamed as
/// InterText renumbered it, links sharing the merged sentence joined.
fn renumbered(links: &[(String, String)]) -> Vec<(String, String)> {
    let map = |id: &str| -> Vec<String> {
        let new: &[&str] = match id {
            "cs.s3" => &["cs.s3", "cs.s4"],
            "cs.s4" => &["cs.s5"],
            "cs.s5" | "cs.s6" => &["cs.s6"],
            _ => &[],
        };
        if new.is_empty() {
            vec![id.to_owned()]
        } else {
            new.iter().map(|s| s.to_string()).collect()
        }
    };
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (to, from) in links {
        let mut ids: Vec<String> = Vec::new();
        for id in from.split_whitespace().flat_map(map) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let to: Vec<String> = to.split_whitespace().map(str::to_owned).collect();
        match out.last_mut() {
            Some(last) if ids.iter().any(|id| last.1.contains(id)) => {
                last.0.extend(to);
                for id in ids {
                    if !last.1.contains(&id) {
                        last.1.push(id);
                    }
                }
            }
            _ => out.push((to, ids)),
        }
    }
    out.into_iter()
        .map(|(t, f)| (t.join(" "), f.join(" ")))
        .collect()
}

#[test]
fn an_intertext_bundle_renumbered_after_a_split_is_refused_not_misplaced() {
    let (dir, ap) = aligned();
    let d = dir.path();
    ok_as(
        ENOVA,
        d,
        &["export", "texts/w", "--format", "intertext", "-o", "it"],
    );
    let b = d.join("it");
    let al_file = b.join("w.cs.en.xml");
    let links = intertext_links(&std::fs::read_to_string(&al_file).unwrap());
    let old = read_alignment(&ap).unwrap();
    let before = std::fs::read_to_string(&ap).unwrap();

    // The editor confirms every link and saves, nothing else changed: imported, each link
    // confirmed by the importing editor, no sentence moved.
    std::fs::write(&al_file, intertext_saved(&links)).unwrap();
    let r = ok_as(ENOVA, d, IMPORT_BUNDLE);
    assert!(!r.err.contains("not compared"), "{}", r.err);
    let confirmed: Vec<_> = beads(&old)
        .into_iter()
        .map(|(s, t, _)| (s, t, Some("enova".to_owned())))
        .collect();
    assert_eq!(beads(&read_alignment(&ap).unwrap()), confirmed, "{}", r.err);
    std::fs::write(&ap, &before).unwrap();

    // The editor splits cs.s3, merges cs.s5 with cs.s6 and saves; InterText numbers the Czech
    // sentences anew, so the file's cs.s4 is the second half of the layer's cs.s3 and its cs.s5
    // the layer's cs.s4. Before: imported, every Czech sentence from cs.s4 to cs.s6 linked to
    // the English of another. Now refused, naming the document and the sentence, the
    // alignment untouched.
    let cs = std::fs::read_to_string(b.join("w.cs.xml")).unwrap();
    let changed = split_and_merged(&cs);
    assert_eq!(changed.matches("<s id").count(), 8, "{changed}");
    std::fs::write(b.join("w.cs.xml"), changed).unwrap();
    std::fs::write(&al_file, intertext_saved(&renumbered(&links))).unwrap();
    let r = run_as(ENOVA, d, IMPORT_BUNDLE);
    assert!(!r.ok, "a renumbered bundle was imported: {}", r.out);
    for want in [
        "w.cs.xml",
        "the text of cs.s3",
        "import --in-place --resplit",
    ] {
        assert!(r.err.contains(want), "no {want:?} in {}", r.err);
    }
    assert_eq!(std::fs::read_to_string(&ap).unwrap(), before);

    // A typo corrected in InterText's English document, ids as they were: refused the same way
    // (the correction belongs in the layer).
    std::fs::write(b.join("w.cs.xml"), &cs).unwrap();
    let en = std::fs::read_to_string(b.join("w.en.xml")).unwrap();
    std::fs::write(b.join("w.en.xml"), en.replace("old maps", "old charts")).unwrap();
    std::fs::write(&al_file, intertext_saved(&links)).unwrap();
    let r = run_as(ENOVA, d, IMPORT_BUNDLE);
    assert!(!r.ok && r.err.contains("the text of en.s6"), "{}", r.err);
    assert_eq!(std::fs::read_to_string(&ap).unwrap(), before);

    // The alignment alone (its documents not beside it): imported, with a note saying the
    // sentences could not be compared.
    std::fs::remove_file(b.join("w.en.xml")).unwrap();
    let r = ok_as(ENOVA, d, IMPORT_BUNDLE);
    assert!(r.err.contains("w.en.xml: not found beside"), "{}", r.err);
}

/// The cs-en edge exported with `--excel`, as records of cells (BOM, CRLF and quoting undone).
fn excel_records(d: &Path) -> Vec<Vec<String>> {
    ok_as(
        ENOVA,
        d,
        &[
            "export", "texts/w", "--format", "tsv", "--excel", "-o", "w.tsv",
        ],
    );
    let text = std::fs::read_to_string(d.join("w.tsv")).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Write records as a spreadsheet saves "CSV" where the comma is the decimal sign: BOM, `;`
/// between cells, every text cell quoted, CRLF.
fn write_semicolon_csv(path: &Path, records: &[Vec<String>]) {
    let mut out = String::from("\u{feff}");
    for r in records {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.is_empty() || c.parse::<f64>().is_ok() {
                    c.clone()
                } else {
                    format!("\"{}\"", c.replace('"', "\"\""))
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_spreadsheets_csv_imports_with_its_corrections_and_edited_texts_are_said() {
    let (dir, ap) = aligned();
    let d = dir.path();
    let recs = excel_records(d);
    let head = recs[0].clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    // Columns reordered (status first) with one of the user's own, a decimal comma, one link
    // confirmed by typing `man`, one English text corrected in its cell, two empty rows.
    let order = [
        "status",
        "note",
        "id",
        "source_ids",
        "derived_ids",
        "certainty",
        "source_text",
        "derived_text",
    ];
    let mut out = vec![order.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut confirmed = None;
    let mut edited = None;
    for r in &recs[1..] {
        let mut cells: Vec<String> = order
            .iter()
            .map(|k| match *k {
                "note" => "checked".to_owned(),
                "certainty" => r[col(k)].replace('.', ","),
                k => r[col(k)].clone(),
            })
            .collect();
        let (src, der) = (&r[col("source_ids")], &r[col("derived_ids")]);
        if confirmed.is_none() && !src.is_empty() && !der.is_empty() {
            cells[0] = "man".into();
            confirmed = Some((src.clone(), der.clone()));
        } else if edited.is_none() && !der.is_empty() {
            cells[7] = format!("{} (corrected)", cells[7]);
            edited = Some(der.clone());
        }
        out.push(cells);
    }
    out.push(vec![String::new(); order.len()]);
    out.push(vec![String::new(); order.len()]);
    write_semicolon_csv(&d.join("edited.csv"), &out);
    let before = beads(&read_alignment(&ap).unwrap());
    let r = run_as(
        ENOVA,
        d,
        &[
            "import-alignment",
            "texts/w",
            "edited.csv",
            "--format",
            "tsv",
        ],
    );
    assert!(r.ok, "a spreadsheet's CSV was refused: {}", r.err);
    let edited = edited.unwrap();
    assert!(
        r.err
            .contains(&format!("the text of {edited} is not the layer's")),
        "an edited text cell was dropped without a word: {}",
        r.err
    );
    let (src, der) = confirmed.unwrap();
    let want: Vec<_> = before
        .into_iter()
        .map(|(s, t, who)| {
            let hit = s.join(" ") == src && t.join(" ") == der;
            (s, t, if hit { Some("enova".to_owned()) } else { who })
        })
        .collect();
    assert_eq!(beads(&read_alignment(&ap).unwrap()), want);

    // The same file with `,` between cells (and decimal points) agrees with the alignment.
    let plain: Vec<Vec<String>> = recs.iter().map(|r| r.to_vec()).collect();
    let csv: String = plain
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect();
    std::fs::write(d.join("comma.csv"), csv).unwrap();
    let r = ok_as(
        ENOVA,
        d,
        &[
            "import-alignment",
            "texts/w",
            "comma.csv",
            "--format",
            "tsv",
        ],
    );
    assert!(r.out.contains("nothing changed"), "{}{}", r.out, r.err);
}

/// `soffice --headless --convert-to` with a profile of its own (parallel tests).
fn convert(soffice: &str, dir: &Path, profile: &Path, args: &[&str]) {
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .arg("--headless")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "soffice {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_tsv_opened_in_libreoffice_and_saved_as_csv_imports_back_unchanged() {
    let Some(soffice) = soffice() else {
        return;
    };
    let (dir, ap) = aligned();
    let d = dir.path();
    ok_as(ENOVA, d, &["link", "texts/w", "cs.s1", "en.s1"]);
    ok_as(
        ENOVA,
        d,
        &[
            "export", "texts/w", "--format", "tsv", "--excel", "-o", "w.tsv",
        ],
    );
    let before = std::fs::read_to_string(&ap).unwrap();
    let profile = tempfile::tempdir().unwrap();
    // Opened as tab-separated UTF-8 (filter options: tab, '"', UTF-8, from line 1), saved as
    // a workbook, then saved from it as CSV with ';' between cells.
    convert(
        soffice,
        d,
        profile.path(),
        &[
            "--infilter=Text - txt - csv (StarCalc):9,34,76,1",
            "--convert-to",
            "xlsx",
            "w.tsv",
        ],
    );
    convert(
        soffice,
        d,
        profile.path(),
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "w.xlsx",
        ],
    );
    let csv = std::fs::read_to_string(d.join("w.csv")).unwrap();
    assert!(csv.starts_with("\"id\";"), "{csv}");
    let r = ok_as(
        ENOVA,
        d,
        &["import-alignment", "texts/w", "w.csv", "--format", "tsv"],
    );
    assert!(r.out.contains("nothing changed"), "{}{}", r.out, r.err);
    assert!(!r.err.contains("not the layer's"), "{}", r.err);
    assert_eq!(std::fs::read_to_string(&ap).unwrap(), before);
}

#[test]
fn check_finds_a_confirmation_pointing_at_another_editors_change_after_a_merge() {
    // Two editors confirmed one link each in their own clones; both numbered their change the
    // same, git stopped on the conflict, and the merge was mended by renumbering one side's
    // change but not the link pointing at it: Jan's link now points at Eva's change, which says
    // she confirmed it, and when. Before: `check` passed it.
    let (dir, ap) = aligned();
    let d = dir.path();
    ok_as(
        ENOVA,
        d,
        &["link", "texts/w", "cs.s1", "en.s1", "--by", "jan:Jan Novák"],
    );
    ok_as(
        ENOVA,
        d,
        &["link", "texts/w", "cs.s2", "en.s2", "--by", "eva:Eva Nová"],
    );
    ok_as(ENOVA, d, &["check", "texts/w"]);
    let al = read_alignment(&ap).unwrap();
    let link_of = |cs: &str| {
        let l = al.edges[0].links.iter().find(|l| l.source == [cs]).unwrap();
        (l.id.clone(), al.item_changes[&l.id].clone())
    };
    let ((jan_link, jan_change), (_, eva_change)) = (link_of("cs.s1"), link_of("cs.s2"));
    let text = std::fs::read_to_string(&ap).unwrap();
    let merged: String = text
        .lines()
        .map(|l| {
            if l.contains(&format!("xml:id=\"{jan_link}\"")) {
                l.replace(
                    &format!("change=\"#{jan_change}\""),
                    &format!("change=\"#{eva_change}\""),
                )
            } else {
                l.to_owned()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(merged, text);
    std::fs::write(&ap, merged).unwrap();
    let r = run_as(ENOVA, d, &["check", "texts/w"]);
    assert!(
        !r.ok,
        "check passed a confirmation under another editor's change"
    );
    let want = format!("{jan_link} was confirmed by jan, but its change {eva_change} is eva's");
    assert!(
        r.out.contains(&want) || r.err.contains(&want),
        "{}{}",
        r.out,
        r.err
    );
}
