//! The editing loop with the tools users have (session 17): export the letter of 1968, change
//! the file as a user of InterText, a spreadsheet, a TMX tool or OPUS would, import it back, and
//! check that the record says who did what: the changed links are the importing editor's, the
//! unchanged ones keep their ids, confirmations and certainties, gaps and partial links survive,
//! nothing a person confirmed is undone without a word, and what a file says in another tool's
//! dialect (a `cs-CZ` language tag, a spreadsheet's thousands separator, a gzipped OPUS file) is
//! read, or said.
//!
//! InterText is not installable on a CI machine (a Qt desktop application): its editor is
//! emulated here as its source (czcorpus/InterText_editor, `ItAlignment`) describes it — one
//! column of positions per document, a position's status the highest of its sentences'
//! (`man` < `auto` < `plain`), every edit confirming all positions up to the edited one (the
//! default "auto-update status" mode), unconfirming a link making it `plain`, and the alignment
//! saved as `getAlignmentXML` writes it (single quotes, `type`, `xtargets`, `status`, `mark`,
//! nothing else). LibreOffice Calc is run for real (`soffice`, installed by `.ci/run`).

use crate::common;

use common::{Run, ok_in, python, run_in, soffice};
use std::io::Write;
use std::path::{Path, PathBuf};
use tei_align::model::{EdgeAlignment, Link, LinkStatus, UnalignedKind, WorkAlignment};
use tei_align::tei::standoff::read_alignment;

const WORK: &str = "texts/letter-1968";

/// The committed letter with Jan Novák's review: the link of cs.s3 and the partial link of the
/// broken-off cs.s16 confirmed, and en.s17 (past the Czech break) confirmed as having no
/// counterpart.
fn reviewed_letter() -> (tempfile::TempDir, PathBuf) {
    let dir = common::committed_work("letter-1968");
    let d = dir.path();
    ok_in(
        d,
        &["link", WORK, "cs.s3", "en.s3", "--by", "jnovak:Jan Novák"],
    );
    ok_in(d, &["link", WORK, "u.cs-en.1", "--by", "jnovak"]);
    ok_in(d, &["link", WORK, "a.cs-en.16", "--by", "jnovak"]);
    let ap = d.join("alignments/letter-1968/alignment.xml");
    (dir, ap)
}

fn cs_en(al: &WorkAlignment) -> &EdgeAlignment {
    al.edges.iter().find(|e| e.relation == "rel.cs-en").unwrap()
}

fn link_of<'a>(al: &'a WorkAlignment, src: &[&str], der: &[&str]) -> &'a Link {
    cs_en(al)
        .links
        .iter()
        .find(|l| l.source == src && l.derived == der)
        .unwrap_or_else(|| panic!("no link {src:?} {der:?}: {:#?}", cs_en(al).links))
}

fn who(s: &LinkStatus) -> Option<&str> {
    match s {
        LinkStatus::Verified { who, .. } => Some(who),
        LinkStatus::Automatic => None,
    }
}

fn import(dir: &Path, file: &str, format: &str) -> Run {
    run_in(
        dir,
        &[
            "import-alignment",
            WORK,
            file,
            "--format",
            format,
            "--edge",
            "cs-en",
            "--by",
            "eva:Eva Svobodová",
        ],
    )
}

/// The attributes of the first element in `s` (either quote).
fn attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq]
            .rsplit([' ', '<'])
            .next()
            .unwrap_or("")
            .to_owned();
        let q = rest[eq + 1..].chars().next().unwrap();
        let body = &rest[eq + 2..];
        let end = body.find(q).unwrap();
        out.push((name, body[..end].to_owned()));
        rest = &body[end + 1..];
    }
    out
}

const MAN: u8 = 1;
const AUTO: u8 = 2;
const PLAIN: u8 = 3;

/// InterText's editor holding an alignment: per document (0 fromDoc, 1 toDoc) a column of
/// positions, each a list of (sentence id, status, mark).
struct InterText {
    from_doc: String,
    to_doc: String,
    cols: [Vec<Vec<(String, u8, u8)>>; 2],
}

impl InterText {
    /// Load an alignment as `ItAlignment::loadFile` reads it.
    fn load(xml: &str) -> Self {
        let mut it = InterText {
            from_doc: String::new(),
            to_doc: String::new(),
            cols: [vec![], vec![]],
        };
        for line in xml.lines() {
            let a: std::collections::HashMap<String, String> = attrs(line).into_iter().collect();
            if line.starts_with("<linkGrp") {
                it.from_doc = a["fromDoc"].clone();
                it.to_doc = a["toDoc"].clone();
            } else if line.starts_with("<link ") {
                let status = match a.get("status").map(String::as_str) {
                    Some("auto") => AUTO,
                    Some("plain") => PLAIN,
                    _ => MAN,
                };
                let mark = a.get("mark").map_or(0, |m| m.parse().unwrap());
                let (to, from) = a["xtargets"].split_once(';').unwrap();
                for (k, ids) in [(0, from), (1, to)] {
                    it.cols[k].push(
                        ids.split_whitespace()
                            .map(|i| (i.to_owned(), status, mark))
                            .collect(),
                    );
                }
            }
        }
        it
    }

    fn rows(&self) -> usize {
        self.cols[0].len().max(self.cols[1].len())
    }

    /// The status of a position: the highest of its sentences' (none: `plain`).
    fn stat(&self, pos: usize) -> u8 {
        let m = self
            .cols
            .iter()
            .filter_map(|c| c.get(pos))
            .flatten()
            .map(|e| e.1)
            .max();
        m.unwrap_or(PLAIN)
    }

    fn set_stat(&mut self, pos: usize, s: u8) {
        for c in &mut self.cols {
            for e in c.get_mut(pos).into_iter().flatten() {
                e.1 = s;
            }
        }
    }

    /// The default mode: an edit at `pos` confirms every position up to it.
    fn update(&mut self, pos: usize) {
        for p in 0..=pos {
            if self.stat(p) != MAN {
                self.set_stat(p, MAN);
            }
        }
    }

    /// "Move both up": the position joins the one before it.
    fn both_up(&mut self, pos: usize) {
        for c in &mut self.cols {
            let moved = c.remove(pos);
            c[pos - 1].extend(moved);
        }
        self.update(pos - 1);
    }

    /// "Shift first up" in one document: the first sentence of `pos` joins the position before.
    fn shift(&mut self, doc: usize, pos: usize) {
        let c = &mut self.cols[doc];
        let first = c[pos].remove(0);
        c[pos - 1].push(first);
        if pos == c.len() - 1 && c[pos].is_empty() {
            c.pop();
        }
        self.update(pos - 1);
    }

    /// Confirm, or take a confirmation back (`plain`).
    fn toggle(&mut self, pos: usize) {
        let s = if self.stat(pos) == MAN { PLAIN } else { MAN };
        self.set_stat(pos, s);
    }

    /// The alignment as `ItAlignment::getAlignmentXML` writes it.
    fn save(&self) -> String {
        let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
        out += &format!(
            "<linkGrp toDoc='{}' fromDoc='{}'>\n",
            self.to_doc, self.from_doc
        );
        for p in 0..self.rows() {
            let ids = |k: usize| -> Vec<String> {
                self.cols[k]
                    .get(p)
                    .map_or(vec![], |v| v.iter().map(|e| e.0.clone()).collect())
            };
            let (l, r) = (ids(0), ids(1));
            let name = match self.stat(p) {
                MAN => "man",
                AUTO => "auto",
                _ => "plain",
            };
            let mark = self
                .cols
                .iter()
                .filter_map(|c| c.get(p))
                .flatten()
                .map(|e| e.2)
                .max();
            let mark = match mark {
                Some(m) if m > 0 => format!(" mark='{m}'"),
                _ => String::new(),
            };
            out += &format!(
                "<link type='{}-{}' xtargets='{};{}' status='{name}'{mark}/>\n",
                r.len(),
                l.len(),
                r.join(" "),
                l.join(" ")
            );
        }
        out + "</linkGrp>\n"
    }
}

/// Export the InterText bundle, let `edit` work on it in the emulated editor, save, import.
fn intertext_session(d: &Path, edit: impl FnOnce(&mut InterText)) -> Run {
    ok_in(
        d,
        &[
            "export",
            WORK,
            "--format",
            "intertext",
            "--edge",
            "cs-en",
            "-o",
            "it",
        ],
    );
    let f = d.join("it/letter-1968.cs.en.xml");
    let mut it = InterText::load(&std::fs::read_to_string(&f).unwrap());
    edit(&mut it);
    std::fs::write(&f, it.save()).unwrap();
    import(d, "it/letter-1968.cs.en.xml", "intertext")
}

#[test]
fn links_merged_and_confirmed_in_intertext_are_the_editors_and_the_rest_keeps_its_record() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    let before = read_alignment(&ap).unwrap();
    // Eva joins cs.s7+s8 with en.s7+s8 (InterText then confirms every position above), and
    // takes back Jan's confirmation of cs.s3 (position 2: line 5 of the saved file).
    let r = intertext_session(d, |it| {
        it.both_up(7);
        it.toggle(2);
    });
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    let merged = link_of(&al, &["cs.s7", "cs.s8"], &["en.s7", "en.s8"]);
    assert_eq!(who(&merged.status), Some("eva"), "{merged:?}");
    // Confirmed by InterText's rule, same link: id kept, now Eva's, certain as a confirmation
    // made with `link` is (not the aligner's score it had).
    let (b1, a1) = (
        link_of(&before, &["cs.s1"], &["en.s1"]),
        link_of(&al, &["cs.s1"], &["en.s1"]),
    );
    assert_eq!(a1.id, b1.id);
    assert!(b1.cert < 1.0 && a1.cert == 1.0, "{b1:?} {a1:?}");
    assert_eq!(who(&a1.status), Some("eva"));
    // Below the edit: untouched.
    for n in 9..=15 {
        let (s, e) = (format!("cs.s{n}"), format!("en.s{n}"));
        assert_eq!(
            link_of(&al, &[&s], &[&e]),
            link_of(&before, &[&s], &[&e]),
            "{s}"
        );
    }
    // Jan's confirmation of cs.s3 is kept (a merge never undoes one), and the user is told
    // where the file said otherwise.
    let l3 = link_of(&al, &["cs.s3"], &["en.s3"]);
    assert_eq!(who(&l3.status), Some("jnovak"));
    assert!(
        r.err.contains("letter-1968.cs.en.xml:5") && r.err.contains(&l3.id),
        "no word about the confirmation the file takes back: {}",
        r.err
    );
    // The partial link and the gaps survive, with their confirmations.
    let l16 = link_of(&al, &["cs.s16"], &["en.s16"]);
    assert!(l16.partial && who(&l16.status) == Some("jnovak"), "{l16:?}");
    let gaps = &cs_en(&al).unaligned;
    assert_eq!(gaps.len(), 6);
    assert!(gaps.iter().all(|u| u.kind == UnalignedKind::SourceGap));
    let u17 = gaps.iter().find(|u| u.sentence == "en.s17").unwrap();
    assert_eq!(who(&u17.status), Some("jnovak"));
}

#[test]
fn a_sentence_added_in_intertext_to_a_broken_off_sentence_makes_a_partial_link() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    // Eva moves en.s17 (past the Czech break, confirmed by Jan as without counterpart) up into
    // the link of the broken-off cs.s16 (position 15; en.s17 is the toDoc side of position 16).
    let r = intertext_session(d, |it| it.shift(1, 16));
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    let l = link_of(&al, &["cs.s16"], &["en.s16", "en.s17"]);
    assert_eq!(who(&l.status), Some("eva"));
    assert!(
        l.partial,
        "cs.s16 breaks off: the link is partial, whoever made it: {l:?}"
    );
    // Both of Jan's judgements it overrides are named.
    for id in ["a.cs-en.16", "u.cs-en.1"] {
        assert!(
            r.err.contains(&format!("confirmed link {id}"))
                || r.err.contains(&format!("{id} is no longer")),
            "{id} not reported: {}",
            r.err
        );
    }
}

#[test]
fn a_file_exported_before_a_confirmation_does_not_undo_it() {
    let dir = common::committed_work("letter-1968");
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "cesalign", "--edge", "cs-en", "-o", "opus",
        ],
    );
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tsv", "--edge", "cs-en", "-o", "old.tsv",
        ],
    );
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tmx", "--pairs", "--edge", "cs-en", "-o", "old.tmx",
        ],
    );
    // Then Jan confirms that en.s17 has no counterpart; the old files say it is automatic.
    ok_in(d, &["link", WORK, "u.cs-en.1", "--by", "jnovak"]);
    let ap = d.join("alignments/letter-1968/alignment.xml");
    for (file, format) in [
        ("opus/cs-en.xml", "cesalign"),
        ("old.tsv", "tsv"),
        ("old.tmx", "tmx"),
    ] {
        let r = import(d, file, format);
        assert!(r.ok, "{format}: {}{}", r.out, r.err);
        let al = read_alignment(&ap).unwrap();
        let u = cs_en(&al)
            .unaligned
            .iter()
            .find(|u| u.sentence == "en.s17")
            .unwrap();
        assert_eq!(who(&u.status), Some("jnovak"), "{format}: {u:?}");
        assert!(r.err.contains("u.cs-en.1"), "{format}: not said: {}", r.err);
    }
}

/// Rewrite a TSV as a spreadsheet user does: records `a` and `b` joined into `a` (its id,
/// status and certainty cells left as they were), `b` deleted.
fn join_rows(tsv: &str, a: &str, b: &str) -> String {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_reader(tsv.as_bytes());
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let k = rows.iter().position(|r| r[0] == a).unwrap();
    let second = rows.remove(k + 1);
    assert_eq!(second[0], b);
    for c in [1, 2, 5, 6] {
        rows[k][c] = format!("{} {}", rows[k][c], second[c]);
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn rows_joined_in_a_spreadsheet_are_the_importing_editors_links() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tsv", "--edge", "cs-en", "-o", "w.tsv",
        ],
    );
    let tsv = std::fs::read_to_string(d.join("w.tsv")).unwrap();
    // Eva joins the rows of cs.s3 (Jan's, `man:jnovak:…`) and cs.s4, and of cs.s7 and cs.s8
    // (automatic, 0.998): the status and certainty cells she leaves are the old rows'.
    let edited = join_rows(
        &join_rows(&tsv, "a.cs-en.3", "a.cs-en.4"),
        "a.cs-en.7",
        "a.cs-en.8",
    );
    std::fs::write(d.join("w.tsv"), edited).unwrap();
    let before = read_alignment(&ap).unwrap();
    let r = import(d, "w.tsv", "tsv");
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    for (src, der) in [
        (["cs.s3", "cs.s4"], ["en.s3", "en.s4"]),
        (["cs.s7", "cs.s8"], ["en.s7", "en.s8"]),
    ] {
        let l = link_of(&al, &src, &der);
        assert_eq!(who(&l.status), Some("eva"), "{l:?}");
    }
    // Not the aligner's certainty of the link cs.s7–en.s7 the row held before.
    let joined = link_of(&al, &["cs.s7", "cs.s8"], &["en.s7", "en.s8"]);
    let row = link_of(&before, &["cs.s7"], &["en.s7"]);
    assert!(row.cert < 1.0 && joined.cert != row.cert, "{joined:?}");
    // Jan's link is gone, and said so.
    assert!(r.err.contains("a.cs-en.3"), "{}", r.err);
}

#[test]
fn a_tsv_saved_by_calc_in_a_german_locale_imports_with_a_note_on_its_certainties() {
    let Some(soffice) = soffice() else {
        return;
    };
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tsv", "--excel", "--edge", "cs-en", "-o", "w.tsv",
        ],
    );
    let before = std::fs::read_to_string(&ap).unwrap();
    // Opened as tab-separated UTF-8 in German (language 1031: '.' groups thousands, so the
    // certainty 0.998 is read as 998), saved as CSV with ';' as a German user's Calc does.
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--infilter=Text - txt - csv (StarCalc):9,34,76,1,,1031",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "w.tsv",
        ])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(d.join("w.csv")).unwrap();
    assert!(
        csv.contains(";998;"),
        "Calc read the certainties otherwise: {csv}"
    );
    let r = import(d, "w.csv", "tsv");
    assert!(r.ok, "{}{}", r.out, r.err);
    assert!(r.out.contains("nothing changed"), "{}{}", r.out, r.err);
    assert!(
        r.err.contains("w.csv:2") && r.err.contains("998"),
        "{}",
        r.err
    );
    assert_eq!(std::fs::read_to_string(&ap).unwrap(), before);
}

/// The letter's cs-en pairs as a TMX another tool writes: no props, the languages as `langs`
/// spell them, UTF-16 with a byte-order mark and CRLF, inline codes in two segments, the pairs
/// of cs.s7 and cs.s8 in one unit, and one unit in languages the work does not have.
fn foreign_tmx(d: &Path, langs: (&str, &str)) -> Vec<u8> {
    let w = tei_align::tei::read_work(&d.join(WORK)).unwrap();
    let text = |l: &str, n: usize| {
        let s = &w.layer(l).unwrap().sentences[n - 1].text;
        tei_align::formats::xml::text(s)
    };
    let mut body = String::new();
    let mut n = 1;
    while n <= 16 {
        let (mut cs, mut en) = (text("cs", n), text("en", n));
        if n == 7 {
            cs = format!("{cs} {}", text("cs", 8));
            en = format!("{en} {}", text("en", 8));
        }
        if n == 2 {
            en = en.replacen(' ', " <ph x=\"1\">&lt;br/&gt;</ph>", 1);
        }
        if n == 4 {
            cs = format!("<bpt i=\"1\">&lt;b&gt;</bpt>{cs}<ept i=\"1\">&lt;/b&gt;</ept>");
        }
        body += &format!(
            "<tu><tuv xml:lang=\"{}\"><seg>{cs}</seg></tuv><tuv xml:lang=\"{}\"><seg>{en}</seg></tuv></tu>\n",
            langs.0, langs.1
        );
        n += if n == 7 { 2 } else { 1 };
    }
    body += "<tu><tuv xml:lang=\"de-DE\"><seg>Hallo</seg></tuv><tuv xml:lang=\"fr\"><seg>Salut</seg></tuv></tu>\n";
    let tmx = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<tmx version=\"1.4\"><header \
         creationtool=\"other\" creationtoolversion=\"1\" datatype=\"plaintext\" \
         segtype=\"sentence\" adminlang=\"en-US\" srclang=\"{}\" o-tmf=\"other\"/><body>\n\
         {body}</body></tmx>\n",
        langs.0
    )
    .replace('\n', "\r\n");
    let mut bytes = vec![0xff, 0xfe];
    for u in tmx.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    bytes
}

#[test]
fn a_tmx_with_regional_or_upper_case_language_tags_is_placed_on_the_layers() {
    for langs in [("cs-CZ", "EN-US"), ("CS", "en_GB")] {
        let (dir, ap) = reviewed_letter();
        let d = dir.path();
        std::fs::write(d.join("tm.tmx"), foreign_tmx(d, langs)).unwrap();
        let r = import(d, "tm.tmx", "tmx");
        assert!(r.ok, "{langs:?}: {}{}", r.out, r.err);
        let al = read_alignment(&ap).unwrap();
        link_of(&al, &["cs.s7", "cs.s8"], &["en.s7", "en.s8"]);
        // The unit in German and French is not lost without a word.
        assert!(
            r.err.contains("tm.tmx:") && r.err.contains("de-DE"),
            "{langs:?}: {}",
            r.err
        );
    }
}

#[test]
fn a_gzipped_opus_alignment_is_read_as_opus_ships_it() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "cesalign", "--edge", "cs-en", "-o", "opus",
        ],
    );
    let xml = std::fs::read_to_string(d.join("opus/cs-en.xml")).unwrap();
    let edited = xml
        .replace(
            "xtargets=\"cs.s7;en.s7\"",
            "xtargets=\"cs.s7 cs.s8;en.s7 en.s8\"",
        )
        .lines()
        .filter(|l| !l.contains("xtargets=\"cs.s8;en.s8\""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut gz = Vec::new();
    {
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        enc.write_all(edited.as_bytes()).unwrap();
        enc.finish().unwrap();
    }
    std::fs::write(d.join("cs-en.xml.gz"), gz).unwrap();
    let r = import(d, "cs-en.xml.gz", "cesalign");
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    link_of(&al, &["cs.s7", "cs.s8"], &["en.s7", "en.s8"]);
}

/// translate-toolkit's TMX API, as a translator's script uses it: load, correct the
/// translation of the third unit, save.
const CORRECT_TMX: &str = "import sys\n\
from translate.storage import tmx\n\
f = tmx.tmxfile.parsefile(sys.argv[1])\n\
u = f.units[2]\n\
assert 'basically correct' in u.target, u.target\n\
u.target = u.target.replace('basically correct', 'fundamentally sound')\n\
f.savefile(sys.argv[2])\n";

#[test]
fn a_translation_corrected_with_translate_toolkit_is_said_not_dropped() {
    let Some(py) = python("translate.storage.tmx") else {
        return;
    };
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tmx", "--pairs", "--edge", "cs-en", "-o", "w.tmx",
        ],
    );
    let out = std::process::Command::new(py)
        .args(["-c", CORRECT_TMX, "w.tmx", "saved.tmx"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = std::fs::read_to_string(&ap).unwrap();
    let r = import(d, "saved.tmx", "tmx");
    assert!(r.ok, "{}{}", r.out, r.err);
    // Texts are the layers' business: nothing changes, but the correction is not lost unseen.
    assert_eq!(std::fs::read_to_string(&ap).unwrap(), before);
    assert!(
        r.err.contains("saved.tmx:") && r.err.contains("the text of en.s3 is not the layer's"),
        "{}",
        r.err
    );
}

#[test]
fn a_link_confirmed_in_intertext_has_the_certainty_link_gives() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    let before = read_alignment(&ap).unwrap();
    let old = link_of(&before, &["cs.s6"], &["en.s6"]);
    assert!(old.cert < 1.0 && who(&old.status).is_none(), "{old:?}");
    // Eva confirms the link of cs.s6 (position 5) and nothing else.
    let r = intertext_session(d, |it| it.toggle(5));
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    let l6 = link_of(&al, &["cs.s6"], &["en.s6"]);
    assert_eq!(who(&l6.status), Some("eva"), "{l6:?}");
    // As `link` records a confirmation: certain, not the aligner's score it had.
    ok_in(d, &["link", WORK, "cs.s9", "en.s9", "--by", "eva"]);
    let al = read_alignment(&ap).unwrap();
    let by_link = link_of(&al, &["cs.s9"], &["en.s9"]);
    assert_eq!(l6.cert, by_link.cert, "{l6:?} {by_link:?}");
    assert_ne!(l6.cert, old.cert);
}

#[test]
fn a_row_typed_without_an_id_is_the_importing_editors_whatever_its_cells_say() {
    let (dir, ap) = reviewed_letter();
    let d = dir.path();
    ok_in(
        d,
        &[
            "export", WORK, "--format", "tsv", "--edge", "cs-en", "-o", "w.tsv",
        ],
    );
    let tsv = std::fs::read_to_string(d.join("w.tsv")).unwrap();
    // Eva deletes the rows of cs.s7 and cs.s8 and types one row for both, without an id,
    // claiming that Jan confirmed it long ago with certainty 0.42.
    let mut lines: Vec<String> = tsv
        .lines()
        .filter(|l| !l.starts_with("a.cs-en.7\t") && !l.starts_with("a.cs-en.8\t"))
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len() + 2, tsv.lines().count(), "rows not found");
    lines
        .push("\tcs.s7 cs.s8\ten.s7 en.s8\t0.42\tman:jnovak:2001-01-01T00:00:00Z\t\t\t".to_owned());
    std::fs::write(d.join("w.tsv"), lines.join("\n") + "\n").unwrap();
    let r = import(d, "w.tsv", "tsv");
    assert!(r.ok, "{}{}", r.out, r.err);
    let al = read_alignment(&ap).unwrap();
    let typed = link_of(&al, &["cs.s7", "cs.s8"], &["en.s7", "en.s8"]);
    assert_eq!(who(&typed.status), Some("eva"), "{typed:?}");
    let LinkStatus::Verified { when, .. } = &typed.status else {
        unreachable!()
    };
    assert!(!when.starts_with("2001"), "{typed:?}");
    assert_ne!(typed.cert, 0.42, "{typed:?}");
}
