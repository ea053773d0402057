//! The record is always right (issue 9): `edition.xml` and `alignment.xml` point every link at
//! the same targets, editor and `<change>`; every operation has its own change, even two in
//! the same second; an import touches only its edge, and an import that changes nothing
//! records and rewrites nothing.

use crate::common;

use crate::common::run_in;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tei_align::tei::standoff::read_alignment;

/// A temp project holding the committed work `name` (its texts and its alignment file).
fn committed(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = common::committed_work(name);
    let file = dir
        .path()
        .join("alignments")
        .join(name)
        .join("alignment.xml");
    (dir, file)
}

/// The value of attribute `name` in one line of XML.
fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let at = line.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = line[at..].find('"')?;
    Some(&line[at..at + len])
}

/// Every `<link>`/`<ptr>` with an id in a file written by the tool (one element a line): id →
/// (targets as sentence ids, resp, change).
type Pointers = BTreeMap<String, (Vec<String>, String, String)>;

fn pointers(xml: &str) -> Pointers {
    xml.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("<link ") || l.starts_with("<ptr "))
        .filter_map(|l| {
            let id = attr(l, "xml:id")?;
            let targets = attr(l, "target")?
                .split_whitespace()
                .map(|t| t.rsplit('#').next().unwrap_or(t).to_owned())
                .collect();
            let resp = attr(l, "resp").unwrap_or("").to_owned();
            let change = attr(l, "change").unwrap_or("").to_owned();
            Some((id.to_owned(), (targets, resp, change)))
        })
        .collect()
}

/// The edition of the work in `dir`, made by the library from the alignment file.
fn edition_of(dir: &Path, name: &str, file: &Path) -> String {
    let work = tei_align::tei::read_work(&dir.join("texts").join(name)).unwrap();
    let al = read_alignment(file).unwrap();
    tei_align::edition::to_tei(&work, &al).unwrap()
}

/// The edition and the alignment file agree on every link, ptr and segment.
fn assert_agree(dir: &Path, name: &str, file: &Path) {
    let aligned = pointers(&std::fs::read_to_string(file).unwrap());
    let edition = pointers(&edition_of(dir, name, file));
    assert!(aligned.len() > 10, "{name}: {} pointers", aligned.len());
    for (id, a) in &aligned {
        assert_eq!(edition.get(id), Some(a), "{name}: {id}");
    }
    // Each change a link points at is in the file.
    let text = std::fs::read_to_string(file).unwrap();
    for (_, _, change) in aligned.values().filter(|p| !p.2.is_empty()) {
        let id = change.trim_start_matches('#');
        assert!(text.contains(&format!("<change xml:id=\"{id}\"")), "{id}");
    }
}

#[test]
fn edition_and_alignment_agree_on_every_pointer_before_and_after_editing() {
    for name in ["letter-1968", "udhr"] {
        let (dir, file) = committed(name);
        assert_agree(dir.path(), name, &file);
    }
    // An editing session on the letter: two editors, confirm, relink, unlink.
    let (dir, file) = committed("letter-1968");
    let w = "texts/letter-1968";
    let when = ["--when", "2026-11-30T10:00:00Z"];
    for args in [
        &["link", w, "cs.s2", "en.s2", "--by", "eva"][..],
        &["link", w, "cs.s3", "en.s3", "--by", "jan"][..],
        &["unlink", w, "cs.s4", "en.s4", "--by", "eva"][..],
    ] {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(when);
        let r = run_in(dir.path(), &a);
        assert!(r.ok, "{a:?}: {}", r.err);
    }
    assert_agree(dir.path(), "letter-1968", &file);
}

#[test]
fn two_operations_in_the_same_second_get_their_own_changes() {
    let (dir, file) = committed("letter-1968");
    let before = read_alignment(&file).unwrap().changes.len();
    let w = "texts/letter-1968";
    let when = "2026-11-30T10:00:00Z";
    for ids in [["cs.s2", "en.s2"], ["cs.s3", "en.s3"]] {
        let r = run_in(
            dir.path(),
            &["link", w, ids[0], ids[1], "--by", "eva", "--when", when],
        );
        assert!(r.ok, "{}", r.err);
    }
    let al = read_alignment(&file).unwrap();
    assert_eq!(al.changes.len(), before + 2);
    let text = std::fs::read_to_string(&file).unwrap();
    let p = pointers(&text);
    let change_of = |sentence: &str| {
        p.values()
            .find(|(t, ..)| t.first().map(String::as_str) == Some(sentence))
            .map(|(.., c)| c.clone())
            .unwrap()
    };
    let (c2, c3) = (change_of("cs.s2"), change_of("cs.s3"));
    assert_ne!(c2, c3, "each link points at the change that confirmed it");
    for (c, s) in [(&c2, "cs.s2"), (&c3, "cs.s3")] {
        let line = text
            .lines()
            .find(|l| l.contains(&format!("xml:id=\"{}\"", c.trim_start_matches('#'))))
            .unwrap();
        assert!(line.contains(s), "{line}");
    }
}

/// The lines of the `linkGrp` of `rel` (its bytes in the file).
fn link_grp(text: &str, rel: &str) -> String {
    let start = text
        .find(&format!("<linkGrp type=\"alignment\" corresp=\"#{rel}\""))
        .unwrap();
    let len = text[start..].find("</linkGrp>").unwrap();
    text[start..start + len].to_owned()
}

#[test]
fn an_import_changes_its_edge_only_and_an_unchanged_one_nothing() {
    let (dir, file) = committed("letter-1968");
    let w = "texts/letter-1968";
    let export = ["export", w, "--format", "cesalign", "--edge", "cs-en"];
    let r = run_in(dir.path(), &[&export[..], &["-o", "out"]].concat());
    assert!(r.ok, "{}", r.err);
    let import = [
        "import-alignment",
        w,
        "out/cs-en.xml",
        "--format",
        "cesalign",
        "--edge",
        "cs-en",
        "--by",
        "eva",
    ];
    // The file agrees with the alignment: nothing recorded, nothing rewritten.
    let before = std::fs::read(&file).unwrap();
    let r = run_in(dir.path(), &import);
    assert!(r.ok, "{}", r.err);
    assert_eq!(std::fs::read(&file).unwrap(), before, "{}", r.out);

    // Another bead for cs.s2 in the file: only the cs-en edge changes.
    let cs_en = std::fs::read_to_string(dir.path().join("out/cs-en.xml")).unwrap();
    let al = read_alignment(&file).unwrap();
    let e = al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
    let l = e.links.iter().find(|l| l.source == ["cs.s2"]).unwrap();
    let changed: String = cs_en
        .lines()
        .map(|line| {
            if line.contains("xtargets=\"cs.s2;") {
                line.replace("status=\"auto\"", "status=\"man\"")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(changed, cs_en, "the export names cs.s2");
    std::fs::write(dir.path().join("out/cs-en.xml"), changed).unwrap();
    let old = String::from_utf8(before).unwrap();
    let r = run_in(dir.path(), &import);
    assert!(r.ok, "{}", r.err);
    let new = std::fs::read_to_string(&file).unwrap();
    assert_ne!(new, old);
    assert_eq!(link_grp(&new, "rel.ru-cs"), link_grp(&old, "rel.ru-cs"));
    let after = read_alignment(&file).unwrap();
    assert_eq!(after.changes.len(), al.changes.len() + 1);
    let last = after.changes.last().unwrap();
    assert!(
        last.desc.contains(&l.id),
        "the change names the link: {}",
        last.desc
    );
}
