//! Who did what, after the new user's trial (session 13, docs/workflow.md "New-user trial",
//! "Found, not changed"): an import that brings a person's confirmations records them under a
//! `verified` change of that person, the tool's beads of the same file under an automatic one;
//! `trace` shows where a sentence breaks off, as the edition does.

use crate::common;

use crate::common::ok_no_editor;
use std::path::Path;
use tei_align::model::{ChangeStatus, LinkStatus};
use tei_align::tei::standoff::read_alignment;

#[test]
fn an_imported_confirmation_points_at_a_verified_change_of_its_editor() {
    let dir = common::formats_work();
    let d = dir.path();
    ok_no_editor(d, &["align", "texts/w", "--when", "2026-12-02"]);
    ok_no_editor(
        d,
        &["export", "texts/w", "--format", "tsv", "-o", "out.tsv"],
    );
    // The editor confirms a.cs-en.2 in the spreadsheet and lowers the certainty of a.cs-en.6
    // (an automatic bead, still automatic).
    let tsv = std::fs::read_to_string(d.join("out.tsv")).unwrap();
    let edited: String = tsv
        .lines()
        .map(|l| {
            let mut cells: Vec<String> = l.split('\t').map(str::to_owned).collect();
            match cells[0].as_str() {
                "a.cs-en.2" => cells[4] = "man".into(),
                "a.cs-en.6" => cells[3] = "0.5".into(),
                _ => {}
            }
            cells.join("\t") + "\n"
        })
        .collect();
    assert_ne!(edited, tsv);
    std::fs::write(d.join("out.tsv"), edited).unwrap();
    let file = d.join("alignments/w/alignment.xml");
    let before = read_alignment(&file).unwrap();
    ok_no_editor(
        d,
        &[
            "import-alignment",
            "texts/w",
            "out.tsv",
            "--format",
            "tsv",
            "--by",
            "eva:Eva Nová",
            "--when",
            "2026-12-03",
        ],
    );
    let al = read_alignment(&file).unwrap();
    let link = |id: &str| {
        al.edges[0]
            .links
            .iter()
            .find(|l| l.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let change = |id: &str| {
        let c = al.item_changes.get(id).unwrap_or_else(|| panic!("{id}"));
        al.changes.iter().find(|x| &x.id == c).unwrap()
    };
    // Hers, of the import's date, on the text of its sentences as they read (session 15).
    let st = &link("a.cs-en.2").status;
    assert!(
        matches!(st, LinkStatus::Verified { who, when, digest: Some(_) }
            if who == "eva" && when == "2026-12-03"),
        "{st:?}"
    );
    let confirmed = change("a.cs-en.2");
    assert_eq!(confirmed.status, ChangeStatus::Verified, "{confirmed:?}");
    assert_eq!(confirmed.who, "eva");
    assert_eq!(confirmed.when, "2026-12-03");
    assert!(confirmed.desc.contains("a.cs-en.2") && !confirmed.desc.contains("a.cs-en.6"));
    // The tool's bead of the same import: an automatic change of its own.
    assert_eq!(link("a.cs-en.6").cert, 0.5);
    let automatic = change("a.cs-en.6");
    assert_eq!(automatic.status, ChangeStatus::Automatic, "{automatic:?}");
    assert_eq!(automatic.who, "tei-align");
    assert!(automatic.desc.contains("a.cs-en.6") && !automatic.desc.contains("a.cs-en.2"));
    assert_eq!(al.changes.len(), before.changes.len() + 2);
    // Untouched links keep the change that made them; the editor is named in the header.
    assert_eq!(change("a.cs-en.1").id, "ch1");
    assert!(
        al.agents
            .iter()
            .any(|a| a.id == "eva" && a.name == "Eva Nová")
    );
    // The file says so: the link's @change names a change by the editor.
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("xml:id=\"a.cs-en.2\""))
        .unwrap();
    assert!(
        line.contains("resp=\"#eva\"") && line.contains(&format!("change=\"#{}\"", confirmed.id)),
        "{line}"
    );
    assert!(
        text.contains(&format!(
            "<change xml:id=\"{}\" status=\"verified\" who=\"#eva\" when=\"2026-12-03\">",
            confirmed.id
        )),
        "{text}"
    );
    // A file of confirmations only: one change, the editor's, as `link` would record it.
    let only: String = std::fs::read_to_string(d.join("out.tsv"))
        .unwrap()
        .lines()
        .map(|l| {
            l.replace("\tauto\t", "\tman\t")
                .replace("\t0.5\t", "\t0.962\t")
                + "\n"
        })
        .collect();
    std::fs::write(d.join("only.tsv"), only).unwrap();
    let args = ["--format", "tsv", "--by", "eva", "--when", "2026-12-04"];
    ok_no_editor(
        d,
        &[&["import-alignment", "texts/w", "only.tsv"][..], &args].concat(),
    );
    let after = read_alignment(&file).unwrap();
    assert_eq!(after.changes.len(), al.changes.len() + 1);
    let last = after.changes.last().unwrap();
    assert_eq!(
        (last.status.clone(), last.who.as_str(), last.when.as_str()),
        (ChangeStatus::Verified, "eva", "2026-12-04"),
        "{last:?}"
    );
}

#[test]
fn trace_marks_where_a_sentence_breaks_off() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = common::temp_work_all(&root.join("texts/letter-1968"), "letter-1968");
    let d = dir.path();
    // The committed alignment, as it is.
    std::fs::create_dir_all(d.join("alignments/letter-1968")).unwrap();
    std::fs::copy(
        root.join("alignments/letter-1968/alignment.xml"),
        d.join("alignments/letter-1968/alignment.xml"),
    )
    .unwrap();
    let text = ok_no_editor(d, &["trace", "cs.s16", "--work", "texts/letter-1968"]).out;
    assert!(
        text.contains("cs.s16: ") && text.contains("považujte toto naše prohlá[…]\n"),
        "{text}"
    );
    assert!(
        text.contains("[…] gap (source-incomplete): The sources break off mid-word"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &ok_no_editor(
            d,
            &["trace", "cs.s16", "--work", "texts/letter-1968", "--json"],
        )
        .out,
    )
    .unwrap();
    let cs = json["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "cs")
        .unwrap();
    let s = &cs["sentences"][0];
    assert_eq!(s["id"], "cs.s16");
    assert_eq!(s["gap"]["reason"], "source-incomplete", "{s}");
    let len = s["text"].as_str().unwrap().chars().count() as u64;
    assert_eq!(s["gap"]["at"], len, "the sentence breaks off at its end");
    // A sentence without a gap has none.
    let en = json["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "en")
        .unwrap();
    assert!(en["sentences"][0].get("gap").is_none(), "{en}");
}
