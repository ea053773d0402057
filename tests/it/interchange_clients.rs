//! The exports read by the tools their users have (issue 14): OpusTools' `opus_read` prints
//! every link of the OPUS bundle with its texts, translate-toolkit reads every TMX unit with its
//! languages, Python's `csv` module reads the TSV back exactly, every TMX is valid against the
//! TMX 1.4b DTD, and the InterText bundle follows the rules of InterText's loader. The Python
//! tools come from the virtual environment `.ci/run` makes (its interpreter in
//! `TEI_ALIGN_PYTHON`); `xmllint` from Debian's libxml2-utils. Under `CI=true` a missing tool
//! fails the test, elsewhere it is skipped with a message.

use crate::common::{self, norm, python};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;
use tei_align::formats::{EdgeItem, ExportOptions, Format, edge_items, export_files};
use tei_align::model::{LinkStatus, Work, WorkAlignment};

/// The committed work and its alignment.
fn committed(work: &str) -> (Work, WorkAlignment) {
    let w = tei_align::tei::read_work(&common::root().join("texts").join(work)).unwrap();
    let al = tei_align::tei::standoff::read_alignment(
        &common::root()
            .join("alignments")
            .join(work)
            .join("alignment.xml"),
    )
    .unwrap();
    (w, al)
}

/// The beads of every edge of an alignment, by edge name (`cs-en`).
fn edges(w: &Work, al: &WorkAlignment) -> Vec<(String, String, String, Vec<EdgeItem>)> {
    al.edges
        .iter()
        .map(|e| {
            let rel = al.relations.iter().find(|r| r.id == e.relation).unwrap();
            let items = edge_items(w, rel, e).unwrap();
            (
                format!("{}-{}", rel.source, rel.derived),
                rel.source.clone(),
                rel.derived.clone(),
                items,
            )
        })
        .collect()
}

/// `tei-align export` of a committed work into `out` (in `dir`).
fn export(dir: &Path, work: &str, args: &[&str], out: &str) {
    let texts = common::root().join("texts").join(work);
    let al = common::root()
        .join("alignments")
        .join(work)
        .join("alignment.xml");
    let r = common::run(
        common::tei_align(dir)
            .arg("export")
            .arg(&texts)
            .arg("--alignment")
            .arg(&al)
            .args(args)
            .args(["-o", out]),
    );
    assert!(r.ok, "export {work} {args:?}: {}", r.err);
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The sentence texts of a work by id.
fn texts(w: &Work) -> HashMap<String, String> {
    w.layers
        .iter()
        .flat_map(|l| l.sentences.iter().map(|s| (s.id.clone(), s.text.clone())))
        .collect()
}

/// `opus_read`'s normal output as pairs: (source (id, text)s, target (id, text)s).
type Printed = Vec<(Vec<(String, String)>, Vec<(String, String)>)>;

fn parse_opus_read(out: &str) -> Printed {
    let mut pairs = Vec::new();
    for block in out.split("================================") {
        let mut pair = (Vec::new(), Vec::new());
        for line in block.lines() {
            let side = if let Some(r) = line.strip_prefix("(src)=\"") {
                Some((&mut pair.0, r))
            } else {
                line.strip_prefix("(trg)=\"").map(|r| (&mut pair.1, r))
            };
            if let Some((v, rest)) = side {
                let (id, text) = rest.split_once("\">").unwrap();
                v.push((id.to_owned(), text.to_owned()));
            }
        }
        if !pair.0.is_empty() || !pair.1.is_empty() {
            pairs.push(pair);
        }
    }
    pairs
}

#[test]
fn opus_read_prints_every_link_of_the_bundle_with_its_texts() {
    let Some(py) = python("opustools") else {
        return;
    };
    let opus_read = py.with_file_name("opus_read");
    let dir = tempfile::tempdir().unwrap();
    for work in ["letter-1968", "udhr"] {
        let (w, al) = committed(work);
        let text = texts(&w);
        for (name, src, der, items) in edges(&w, &al) {
            if items.iter().all(|it| it.source.is_empty()) {
                continue; // an edge whose source has no text (the Russian witness)
            }
            let out = format!("{work}-{name}");
            export(
                dir.path(),
                work,
                &["--format", "cesalign", "--edge", &name],
                &out,
            );
            let bundle = dir.path().join(&out);
            let printed = run_ok(
                Command::new(&opus_read)
                    .args(["-d", work, "-s", &src, "-t", &der, "-af"])
                    .arg(bundle.join(format!("{name}.xml")))
                    .arg("-dl")
                    .arg(&bundle),
            );
            let pairs = parse_opus_read(&printed);
            if work == "letter-1968" {
                assert_eq!(pairs.len(), 22, "the letter's cs-en edge: 16 links, 6 gaps");
            }
            assert_eq!(pairs.len(), items.len(), "{work} {name}: {printed}");
            for ((s, d), it) in pairs.iter().zip(&items) {
                let ids =
                    |v: &[(String, String)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
                assert_eq!(ids(s), it.source, "{work} {name}");
                assert_eq!(ids(d), it.derived, "{work} {name}");
                for (id, t) in s.iter().chain(d) {
                    assert_eq!(t, &norm(&text[id]), "{work} {id}");
                }
            }
        }
    }
}

#[test]
fn a_cesalign_file_opus_read_writes_imports_back_unchanged() {
    let Some(py) = python("opustools") else {
        return;
    };
    let opus_read = py.with_file_name("opus_read");
    let dir = tempfile::tempdir().unwrap();
    export(
        dir.path(),
        "letter-1968",
        &["--format", "cesalign", "--edge", "cs-en"],
        "b",
    );
    let b = dir.path().join("b");
    // OPUS's own writer: a DOCTYPE, its own linkGrp line, the links' attributes as read.
    run_ok(
        Command::new(&opus_read)
            .args([
                "-d", "letter", "-s", "cs", "-t", "en", "-wm", "links", "-af",
            ])
            .arg(b.join("cs-en.xml"))
            .arg("-dl")
            .arg(&b)
            .arg("-w")
            .arg(dir.path().join("opus.xml")),
    );
    let written = std::fs::read_to_string(dir.path().join("opus.xml")).unwrap();
    assert!(written.contains("<!DOCTYPE cesAlign"), "{written}");
    // Import into a copy of the work: links, statuses and who confirmed them stay as they were.
    let copy = common::temp_work_all(&common::root().join("texts/letter-1968"), "letter-1968");
    let ap = copy.path().join("alignment.xml");
    std::fs::copy(
        common::root().join("alignments/letter-1968/alignment.xml"),
        &ap,
    )
    .unwrap();
    let before = tei_align::tei::standoff::read_alignment(&ap).unwrap();
    let r = common::run(
        common::tei_align(copy.path())
            .args(["import-alignment", "texts/letter-1968"])
            .arg(dir.path().join("opus.xml"))
            .args(["--format", "cesalign", "--edge", "cs-en", "--alignment"])
            .arg(&ap),
    );
    assert!(r.ok, "{}", r.err);
    let after = tei_align::tei::standoff::read_alignment(&ap).unwrap();
    assert_eq!(after.edges, before.edges);
    // Every link was read and agreed (an import of nothing would empty the edge): an unchanged
    // import adds no change record and says so.
    assert_eq!(after.changes, before.changes);
    assert!(r.out.contains("nothing changed"), "{}", r.out);
    assert!(!r.err.contains("left out"), "{}", r.err);
}

/// The units translate-toolkit reads: (tuid, languages, texts, translated).
const READ_TMX: &str = r#"
import sys, json
from translate.storage.tmx import tmxfile
from translate.misc.xml_helpers import getXMLlang
with open(sys.argv[1], "rb") as f:
    store = tmxfile(f)
for u in store.units:
    nodes = u.getlanguageNodes()
    print(json.dumps([u.getid(), [getXMLlang(n) for n in nodes],
                      [u.getNodeText(n) for n in nodes], bool(u.istranslated())]))
"#;

#[test]
fn translate_toolkit_reads_every_tmx_unit_with_its_languages() {
    let Some(py) = python("translate.storage.tmx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for work in ["letter-1968", "udhr"] {
        let (w, al) = committed(work);
        let text = texts(&w);
        let lang: HashMap<&str, &str> = w
            .layers
            .iter()
            .map(|l| (l.id.as_str(), l.lang.as_str()))
            .collect();
        // What each unit must hold: tuid → (lang → text), for units with two languages or more.
        let expect = |members: Vec<(&str, &[String])>| -> BTreeMap<String, String> {
            members
                .into_iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(l, ids)| {
                    let t: Vec<&str> = ids.iter().map(|i| text[i].as_str()).collect();
                    (lang[l].to_owned(), t.join(" "))
                })
                .collect()
        };
        let mut n_way = BTreeMap::new();
        for s in &al.segments {
            n_way.insert(
                s.id.clone(),
                expect(
                    s.members
                        .iter()
                        .map(|(l, v)| (l.as_str(), v.as_slice()))
                        .collect(),
                ),
            );
        }
        let mut pairs = BTreeMap::new();
        for (_, src, der, items) in edges(&w, &al) {
            for it in &items {
                pairs.insert(
                    it.id.clone(),
                    expect(vec![(&src, &it.source), (&der, &it.derived)]),
                );
            }
        }
        for (args, all) in [(vec![], n_way), (vec!["--pairs"], pairs)] {
            let out = format!("{work}{}.tmx", args.join(""));
            let mut a = vec!["--format", "tmx"];
            a.extend(args.iter().copied());
            export(dir.path(), work, &a, &out);
            let read = run_ok(
                Command::new(&py)
                    .args(["-c", READ_TMX])
                    .arg(dir.path().join(&out)),
            );
            let units: Vec<(String, Vec<String>, Vec<String>, bool)> = read
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            let want: BTreeMap<&String, &BTreeMap<String, String>> =
                all.iter().filter(|(_, m)| m.len() >= 2).collect();
            assert_eq!(units.len(), want.len(), "{out}");
            assert!(!units.is_empty());
            for (id, langs, texts, translated) in &units {
                assert!(translated, "{out}: {id} read as untranslated");
                assert!(langs.len() >= 2, "{out}: {id} has {langs:?}");
                let got: BTreeMap<String, String> =
                    langs.iter().cloned().zip(texts.iter().cloned()).collect();
                assert_eq!(Some(&&got), want.get(id), "{out}: {id}");
            }
        }
    }
}

/// `xmllint`, if installed.
fn xmllint() -> Option<&'static str> {
    let ok = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        common::missing("xmllint (Debian: libxml2-utils) is not installed");
        return None;
    }
    Some("xmllint")
}

fn dtd_valid(file: &Path) -> (bool, String) {
    let out = Command::new("xmllint")
        .args(["--noout", "--dtdvalid"])
        .arg(common::fixture("tmx14b.dtd"))
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_tmx_is_valid_against_the_tmx_1_4b_dtd() {
    if xmllint().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for work in ["letter-1968", "udhr"] {
        for args in [&[][..], &["--pairs"][..]] {
            let out = format!("{work}{}.tmx", args.join(""));
            let mut a = vec!["--format", "tmx"];
            a.extend(args.iter().copied());
            export(dir.path(), work, &a, &out);
            let (ok, msg) = dtd_valid(&dir.path().join(&out));
            assert!(ok, "{out}: {msg}");
        }
    }
    // The DTD does see a fault: a prop after the tuv it should precede.
    let good = std::fs::read_to_string(dir.path().join("letter-1968.tmx")).unwrap();
    let bad = good.replacen(
        "</seg>\n</tuv>",
        "</seg>\n</tuv>\n<prop type=\"x\">late</prop>",
        1,
    );
    std::fs::write(dir.path().join("bad.tmx"), bad).unwrap();
    assert!(!dtd_valid(&dir.path().join("bad.tmx")).0);
}

/// Reads a TSV with Python's csv module: every record as a list of fields, as JSON.
const READ_TSV: &str = r#"
import sys, csv, json
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    print(json.dumps(list(csv.reader(f, delimiter="\t"))))
"#;

#[test]
fn python_csv_reads_the_tsv_of_a_hostile_text_back_exactly() {
    let Some(py) = python("csv") else {
        return;
    };
    let (mut w, al) = committed("letter-1968");
    // Sentences full of what breaks naive TSV and spreadsheets. Layers keep white space
    // normalised, but the writer must not rely on it: tabs and line breaks too.
    let hostile = [
        "\"Quoted,\" she said, \"twice\".",
        "=SUM(A1:A3) is a formula",
        "+420 is a prefix",
        "-- a dash opens it",
        "@mention",
        "tab\there and a\nline break",
        "'=already quoted",
        "\"",
        "plain text",
        "a \"\"double\"\" quote",
        "\r\ncarriage return",
    ];
    let mut k = 0;
    for l in &mut w.layers {
        for s in &mut l.sentences {
            s.text = hostile[k % hostile.len()].to_owned();
            k += 1;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let text = texts(&w);
    let items = {
        let e = al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap();
        let rel = al.relations.iter().find(|r| r.id == e.relation).unwrap();
        edge_items(&w, rel, e).unwrap()
    };
    for excel in [false, true] {
        let opts = ExportOptions {
            excel,
            ..ExportOptions::default()
        };
        let out = export_files(Format::Tsv, &w, &al, Some("cs-en"), opts).unwrap();
        let path = dir.path().join(format!("t{excel}.tsv"));
        std::fs::write(&path, &out.files[0].text).unwrap();
        let read = run_ok(Command::new(&py).args(["-c", READ_TSV]).arg(&path));
        let rows: Vec<Vec<String>> = serde_json::from_str(&read).unwrap();
        assert_eq!(rows[0], tei_align::formats::tsv::COLUMNS);
        assert_eq!(rows.len(), 1 + items.len());
        let mut neutralised = 0;
        for (row, it) in rows[1..].iter().zip(&items) {
            assert_eq!(row.len(), 8);
            // The last column says what the bead is (partial, a gap, an addition …).
            assert_eq!(row[7], it.subtype().unwrap_or(""));
            assert_eq!(row[0], it.id);
            assert_eq!(row[1], it.source.join(" "));
            assert_eq!(row[2], it.derived.join(" "));
            let status = match &it.status {
                LinkStatus::Automatic => "auto".to_owned(),
                LinkStatus::Verified { who, when, .. } => format!("man:{who}:{when}"),
            };
            assert_eq!(row[4], status);
            for (cell, ids) in [(&row[5], &it.source), (&row[6], &it.derived)] {
                let want: Vec<&str> = ids.iter().map(|i| text[i].as_str()).collect();
                let want = want.join(" ");
                if excel {
                    assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?}");
                    neutralised += usize::from(cell != &want);
                    assert_eq!(tei_align::formats::tsv::strip_neutraliser(cell), want);
                } else {
                    assert_eq!(cell, &want);
                }
            }
        }
        if excel {
            assert!(neutralised > 0, "no formula cell was neutralised");
            assert!(out.files[0].text.starts_with('\u{feff}'));
        }
    }
}

/// An element of an XML file as InterText's DOM sees it: name, attributes (qualified names).
#[derive(Debug)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
}

fn elements(path: &Path) -> Vec<El> {
    let src = std::fs::read_to_string(path).unwrap();
    let mut r = quick_xml::Reader::from_str(&src);
    let mut out = Vec::new();
    loop {
        match r.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let qn = e.name();
                let name: &str = qn.as_ref();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let k: &str = a.key.as_ref();
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap();
                        (k.to_owned(), v.into_owned())
                    })
                    .collect();
                out.push(El {
                    name: name.to_owned(),
                    attrs,
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn the_intertext_bundle_follows_the_rules_of_intertexts_loader() {
    let dir = tempfile::tempdir().unwrap();
    export(
        dir.path(),
        "letter-1968",
        &["--format", "intertext", "--edge", "cs-en"],
        "it",
    );
    let b = dir.path().join("it");
    let (w, al) = committed("letter-1968");
    let (_, _, _, items) = edges(&w, &al).into_iter().find(|e| e.0 == "cs-en").unwrap();
    // The server's names: text.version1.version2.xml beside text.version.xml.
    let alignment = b.join("letter-1968.cs.en.xml");
    assert!(alignment.is_file());
    let els = elements(&alignment);
    // loadFile: the root is linkGrp; fromDoc/toDoc are opened beside the alignment file.
    assert_eq!(els[0].name, "linkGrp");
    let doc = |attr: &str| b.join(&els[0].attrs[attr]);
    let (from, to) = (doc("fromDoc"), doc("toDoc"));
    assert_eq!(from, b.join("letter-1968.cs.xml"));
    assert_eq!(to, b.join("letter-1968.en.xml"));
    // ItDocument::createIndex: every element with an `id` (no namespace), unique per document.
    let index = |p: &Path| -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        let ids: Vec<String> = elements(p)
            .into_iter()
            .filter_map(|e| e.attrs.get("id").cloned())
            .collect();
        for id in &ids {
            assert!(
                seen.insert(id.clone()),
                "duplicate id {id} in {}",
                p.display()
            );
        }
        ids
    };
    let (from_ids, to_ids) = (index(&from), index(&to));
    let cs: Vec<&str> = w
        .layer("cs")
        .unwrap()
        .sentences
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let en: Vec<&str> = w
        .layer("en")
        .unwrap()
        .sentences
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(from_ids, cs);
    assert_eq!(to_ids, en);
    // The links as loadFile reads them: xtargets[0] are toDoc ids, xtargets[1] fromDoc ids, each
    // read only when its count in `type` ("to-from") is not 0; a missing status is man.
    let links: Vec<&El> = els.iter().filter(|e| e.name == "link").collect();
    assert_eq!(links.len(), 22);
    let (mut read_from, mut read_to) = (Vec::new(), Vec::new());
    for (l, it) in links.iter().zip(&items) {
        let xt: Vec<&str> = l.attrs["xtargets"].split(';').collect();
        assert_eq!(xt.len(), 2);
        let ratio: Vec<&str> = l.attrs["type"].split('-').collect();
        let side = |k: usize| -> Vec<String> {
            if ratio[k] == "0" {
                vec![]
            } else {
                xt[k].split(' ').map(str::to_owned).collect()
            }
        };
        let (r_ids, l_ids) = (side(0), side(1));
        assert_eq!(r_ids.len().to_string(), ratio[0]);
        assert_eq!(l_ids.len().to_string(), ratio[1]);
        assert_eq!(r_ids, it.derived);
        assert_eq!(l_ids, it.source);
        read_to.extend(r_ids);
        read_from.extend(l_ids);
        let status = l.attrs.get("status").map_or("man", String::as_str);
        let verified = matches!(it.status, LinkStatus::Verified { .. });
        assert_eq!(status, if verified { "man" } else { "auto" });
        // A mark is a number; set on doubtful automatic links only.
        let mark: u16 = l.attrs.get("mark").map_or(0, |m| m.parse().unwrap());
        assert_eq!(mark > 0, !verified && it.cert < 0.5, "{:?}", l.attrs);
    }
    // Every element the links name is found, each once, in document order.
    assert_eq!(read_from, cs);
    assert_eq!(read_to, en);
}

/// Loads a TMX with translate-toolkit and saves it again (argv 1 → argv 2).
const REWRITE_TMX: &str = r#"
import sys
from translate.storage.tmx import tmxfile
with open(sys.argv[1], "rb") as f:
    store = tmxfile(f)
with open(sys.argv[2], "wb") as out:
    store.serialize(out)
"#;

#[test]
fn a_tmx_saved_by_translate_toolkit_imports_back_unchanged() {
    let Some(py) = python("translate.storage.tmx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for work in ["letter-1968", "udhr"] {
        let (w, al) = committed(work);
        for args in [&["--pairs"][..], &[][..]] {
            let out = format!("{work}{}.tmx", args.join(""));
            let mut a = vec!["--format", "tmx"];
            a.extend(args.iter().copied());
            export(dir.path(), work, &a, &out);
            let saved = dir.path().join(format!("saved-{out}"));
            run_ok(
                Command::new(&py)
                    .args(["-c", REWRITE_TMX])
                    .arg(dir.path().join(&out))
                    .arg(&saved),
            );
            for (name, ..) in edges(&w, &al) {
                let copy = common::temp_work_all(&common::root().join("texts").join(work), work);
                let ap = copy.path().join("alignment.xml");
                std::fs::copy(
                    common::root()
                        .join("alignments")
                        .join(work)
                        .join("alignment.xml"),
                    &ap,
                )
                .unwrap();
                let r = common::run(
                    common::tei_align(copy.path())
                        .args(["import-alignment", &format!("texts/{work}")])
                        .arg(&saved)
                        .args(["--format", "tmx", "--edge", &name, "--alignment"])
                        .arg(&ap),
                );
                assert!(r.ok, "{out} {name}: {}", r.err);
                let after = tei_align::tei::standoff::read_alignment(&ap).unwrap();
                if args.is_empty() {
                    // From N-way units an edge gets the segment's sentences in its two layers:
                    // where a chain joins two of the edge's links into one segment (the UDHR's
                    // en.s9–10, one Russian sentence), that bead is their union; everything
                    // else stays as it was.
                    assert_coarser_only(&al, &after, &name);
                    continue;
                }
                assert_eq!(after.edges, al.edges, "{out} {name}");
                // Unchanged: no change record added, and the import says so.
                assert_eq!(after.changes, al.changes, "{out} {name}");
                assert!(r.out.contains("nothing changed"), "{out} {name}: {}", r.out);
            }
        }
    }
}

/// Every link of `after`'s edge `name` is a link of `before` (same status), or the union of two
/// or more links of `before` that one N-way segment joins; the other edges are unchanged.
fn assert_coarser_only(before: &WorkAlignment, after: &WorkAlignment, name: &str) {
    let rel = format!("rel.{name}");
    for (b, a) in before.edges.iter().zip(&after.edges) {
        if b.relation != rel {
            assert_eq!(a, b);
            continue;
        }
        for l in &a.links {
            if b.links.contains(l) {
                continue;
            }
            let parts: Vec<&tei_align::model::Link> = b
                .links
                .iter()
                .filter(|p| p.source.iter().all(|x| l.source.contains(x)))
                .filter(|p| p.derived.iter().all(|x| l.derived.contains(x)))
                .collect();
            let covered: usize = parts.iter().map(|p| p.source.len() + p.derived.len()).sum();
            assert!(parts.len() >= 2, "{name}: {l:?} is new");
            assert_eq!(covered, l.source.len() + l.derived.len(), "{name}: {l:?}");
            let joined = before
                .segments
                .iter()
                .any(|s| parts.iter().all(|p| s.chain.contains(&p.id)));
            assert!(joined, "{name}: {l:?} joins links no segment joins");
        }
        // Nothing of `before` is lost: each link is kept or inside a union.
        for l in &b.links {
            assert!(
                a.links
                    .iter()
                    .any(|n| l.source.iter().all(|x| n.source.contains(x))
                        && l.derived.iter().all(|x| n.derived.contains(x))),
                "{name}: {} lost",
                l.id
            );
        }
        assert_eq!(a.unaligned, b.unaligned, "{name}");
    }
}

/// Builds a translation memory with translate-toolkit from JSON pairs (argv 1 → argv 2): a TMX
/// as another tool writes it, without tei-align's props.
const WRITE_TM: &str = r#"
import sys, json
from translate.storage.tmx import tmxfile
store = tmxfile(sourcelanguage="cs")
for src, tgt in json.load(open(sys.argv[1], encoding="utf-8")):
    store.addtranslation(src, "cs", tgt, "en")
with open(sys.argv[2], "wb") as out:
    store.serialize(out)
"#;

#[test]
fn a_translation_memory_made_by_translate_toolkit_is_placed_by_its_texts() {
    let Some(py) = python("translate.storage.tmx") else {
        return;
    };
    let (w, al) = committed("letter-1968");
    let text = texts(&w);
    let (_, _, _, items) = edges(&w, &al).into_iter().find(|e| e.0 == "cs-en").unwrap();
    let joined = |ids: &[String]| {
        ids.iter()
            .map(|i| text[i].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pairs: Vec<(String, String)> = items
        .iter()
        .filter(|it| !it.source.is_empty() && !it.derived.is_empty())
        .map(|it| (joined(&it.source), joined(&it.derived)))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("pairs.json");
    std::fs::write(&json, serde_json::to_string(&pairs).unwrap()).unwrap();
    let tm = dir.path().join("tm.tmx");
    run_ok(Command::new(&py).args(["-c", WRITE_TM]).arg(&json).arg(&tm));
    let copy = common::temp_work_all(&common::root().join("texts/letter-1968"), "letter-1968");
    let ap = copy.path().join("alignment.xml");
    std::fs::copy(
        common::root().join("alignments/letter-1968/alignment.xml"),
        &ap,
    )
    .unwrap();
    let r = common::run(
        common::tei_align(copy.path())
            .args(["import-alignment", "texts/letter-1968"])
            .arg(&tm)
            .args(["--format", "tmx", "--edge", "cs-en", "--alignment"])
            .arg(&ap),
    );
    assert!(r.ok, "{}", r.err);
    let after = tei_align::tei::standoff::read_alignment(&ap).unwrap();
    // Every unit found its sentences; the links, statuses and ids are those of the edge.
    assert_eq!(after.edges, al.edges);
    assert!(!pairs.is_empty());
    assert_eq!(
        after.changes, al.changes,
        "an unchanged import adds no change"
    );
    assert!(r.out.contains("nothing changed"), "{}", r.out);
}
