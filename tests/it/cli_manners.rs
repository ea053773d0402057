//! The command line's manners (issue 15): typo suggestions, bare help, exit codes, language
//! codes, `-q`, paragraph marks and `-` in `align-text`, the schema path.

use crate::common::{Run, run, tei_align};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn code(dir: &Path, args: &[&str]) -> (Option<i32>, Run) {
    let out = tei_align(dir).args(args).output().unwrap();
    let r = Run {
        ok: out.status.success(),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (out.status.code(), r)
}

#[test]
fn a_typo_gets_a_suggestion_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (c, r) = code(dir.path(), &["algin", "x"]);
    assert_eq!(c, Some(2), "{}", r.err);
    assert!(r.err.contains("'align'"), "{}", r.err);
    assert_eq!(r.err.lines().count(), 1, "one line: {}", r.err);
}

#[test]
fn bare_command_prints_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let (c, r) = code(dir.path(), &[]);
    assert_eq!(c, Some(2));
    assert!(
        r.err.contains("Usage:") && r.err.contains("Commands:"),
        "{}",
        r.err
    );
    assert!(r.err.contains("Exit codes"), "{}", r.err);
}

#[test]
fn exit_codes_tell_usage_input_and_check_apart() {
    let dir = tempfile::tempdir().unwrap();
    // 2: a value clap cannot judge but the command can.
    let (c, _) = code(dir.path(), &["segment", "--lang", "en_US", "-"]);
    assert_eq!(c, Some(2));
    // 3: the input is missing.
    let (c, r) = code(dir.path(), &["segment", "--lang", "en", "nosuch.txt"]);
    assert_eq!(c, Some(3), "{}", r.err);
    assert!(r.err.contains("nosuch.txt"), "{}", r.err);
    // 1: a check that ran and found a problem: a hand edit left a pointer to nowhere.
    let work = crate::common::aligned_chain_letter();
    let al = work.path().join("alignments/letter/alignment.xml");
    let xml = std::fs::read_to_string(&al).unwrap();
    let broken = xml.replacen("#cs.s1\"", "#cs.s999\"", 1);
    assert_ne!(broken, xml, "the alignment names cs.s1");
    std::fs::write(&al, broken).unwrap();
    let (c, r) = code(work.path(), &["check", "texts/letter", "--no-jing"]);
    assert_eq!(c, Some(1), "{}{}", r.out, r.err);
    assert!(r.out.contains("cs.s999"), "{}", r.out);
}

#[test]
fn language_codes_are_checked_against_iso_639() {
    let dir = tempfile::tempdir().unwrap();
    let (c, r) = code(dir.path(), &["segment", "--lang", "cz", "-"]);
    assert_eq!(c, Some(2));
    assert!(r.err.contains("did you mean cs (Czech)?"), "{}", r.err);
    let (c, r) = code(dir.path(), &["segment", "--lang", "czech", "-"]);
    assert_eq!(c, Some(2));
    assert!(r.err.contains("did you mean cs?"), "{}", r.err);
    // A registered code without rules of its own: a note, and -q silences it.
    let p = dir.path().join("de.txt");
    std::fs::write(&p, "Er kam z. B. spät. Dann ging er.\n").unwrap();
    let r = run(tei_align(dir.path()).args(["segment", "--lang", "de", "de.txt"]));
    assert!(r.ok, "{}", r.err);
    assert!(
        r.err.contains("de (German)") && r.err.contains("generic"),
        "{}",
        r.err
    );
    let r = run(tei_align(dir.path()).args(["-q", "segment", "--lang", "de", "de.txt"]));
    assert!(r.ok && r.err.is_empty(), "{}", r.err);
    // Czech rules really apply to `cs` ("např." does not end a sentence).
    std::fs::write(
        dir.path().join("cs.txt"),
        "Přišel např. Novák. Pak odešel.\n",
    )
    .unwrap();
    let r = run(tei_align(dir.path()).args(["segment", "--lang", "cs", "cs.txt"]));
    assert_eq!(r.out.lines().count(), 2, "{}", r.out);
}

/// `segment | align-text`: blank lines and `<p>` are paragraph marks, never sentences, and the
/// ids count sentences.
#[test]
fn paragraph_marks_in_align_text_are_not_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("src.txt"),
        "One sentence here.\nTwo sentences here.\n\nThird one, new paragraph.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("tgt.txt"),
        "<p>\nJedna věta zde.\nDvě věty zde.\n<p>\nTřetí, nový odstavec.\n",
    )
    .unwrap();
    for mode in ["soft", "hard", "ignore"] {
        let r = run(tei_align(d).args(["align-text", "src.txt", "tgt.txt", "--paragraphs", mode]));
        assert!(r.ok, "{mode}: {}", r.err);
        assert_eq!(
            r.out
                .lines()
                .map(|l| l.rsplit_once(':').unwrap().0)
                .collect::<Vec<_>>(),
            ["[0]:[0]", "[1]:[1]", "[2]:[2]"],
            "{mode}: {}",
            r.out
        );
    }
    // Target from standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tei-align"))
        .current_dir(d)
        .args(["align-text", "src.txt", "-", "--format", "tsv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(d.join("tgt.txt")).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let tsv = String::from_utf8(out.stdout).unwrap();
    assert!(
        tsv.contains("Third one, new paragraph.\tTřetí, nový odstavec."),
        "{tsv}"
    );
    assert!(!tsv.contains("<p>"), "{tsv}");
    // Hard boundaries need the same number of paragraphs.
    std::fs::write(d.join("one.txt"), "Jedna věta zde.\nDvě věty zde.\n").unwrap();
    let (c, r) = code(
        d,
        &["align-text", "src.txt", "one.txt", "--paragraphs", "hard"],
    );
    assert_eq!(c, Some(2), "{}", r.err);
}

#[test]
fn a_schema_path_that_is_set_but_wrong_is_an_error() {
    let work = crate::common::aligned_chain_letter();
    let d = work.path();
    let (c, r) = code(d, &["check", "texts/letter", "--schema", "no/such.rng"]);
    assert_eq!(c, Some(3));
    assert!(
        r.err.contains("no/such.rng") && r.err.contains("--schema"),
        "{}",
        r.err
    );
    let out = tei_align(d)
        .args(["check", "texts/letter"])
        .env("TEI_ALIGN_SCHEMA", "no/such.rng")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3));
    assert!(err.contains("TEI_ALIGN_SCHEMA"), "{err}");
}

/// A gate that compared nothing does not pass: a work with one layer and no derivation edge.
#[test]
fn nothing_to_measure_fails_the_gates() {
    let work = crate::common::temp_work(&crate::common::fixture("work/chain"), "solo", &["ru.xml"]);
    let d = work.path();
    assert!(run(tei_align(d).args(["align", "texts/solo"])).ok);
    let al = "alignments/solo/alignment.xml";
    let (c, r) = code(d, &["coverage", al, "--fail-under", "90"]);
    assert_eq!(c, Some(1), "{}", r.err);
    assert!(r.err.contains("nothing to measure"), "{}", r.err);
    let (c, _) = code(d, &["coverage", al, "--fail-under", "90", "--allow-empty"]);
    assert_eq!(c, Some(0));
    let (c, r) = code(d, &["check", "texts/solo", "--no-jing"]);
    assert_eq!(c, Some(1));
    assert!(r.out.contains("no derivation edge"), "{}", r.out);
}

/// `--json` on the reports that had none (`align`, `run`, `check`), `coverage` of a work
/// directory, and `-` as the output of `import`.
#[test]
fn json_reports_and_stdin_stdout() {
    let work = crate::common::chain_letter();
    let d = work.path();
    let r = run(tei_align(d).args(["align", "texts/letter", "--json"]));
    assert!(r.ok, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["work"], "letter");
    assert_eq!(v["edges"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["changed"], true);
    let r = run(tei_align(d).args(["check", "texts/letter", "--no-jing", "--json"]));
    assert!(r.ok, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
    let r = run(tei_align(d).args(["-q", "run", "texts/letter", "--json"]));
    assert!(r.ok, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v[0]["align"]["changed"], false, "{v}");
    assert!(v[0]["coverage"]["edges"].is_array(), "{v}");
    assert!(
        v[0]["edition"].as_array().is_some_and(|f| !f.is_empty()),
        "{v}"
    );
    // coverage takes the work directory as well as the alignment file, with the same report.
    let by_dir = run(tei_align(d).args(["coverage", "texts/letter", "--json"]));
    let by_file = run(tei_align(d).args(["coverage", "alignments/letter/alignment.xml", "--json"]));
    assert!(by_dir.ok && by_file.ok, "{}{}", by_dir.err, by_file.err);
    assert_eq!(by_dir.out, by_file.out);
    // import to standard output needs --id.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tei-align"))
        .current_dir(d)
        .args(["import", "-", "--lang", "cs", "--id", "x", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Ahoj světe. Jak se máš?\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains(r#"<s xml:id="x.s2">Jak se máš?</s>"#), "{xml}");
    let (c, _) = code(d, &["import", "texts/letter/cs.xml", "-o", "-"]);
    assert_eq!(c, Some(2));
}
