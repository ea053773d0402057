//! Helpers shared by the integration tests: copying a fixture work into a temp dir, running the
//! `tei-align` binary, validating with jing (skipped with a message when it is absent) and
//! undoing the `<s>` inserter. Each test binary uses only some of them, hence `dead_code`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared directory (outside the repository): `$TEI_ALIGN_SHARED`, else `../shared`.
pub fn shared() -> PathBuf {
    std::env::var_os("TEI_ALIGN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).to_owned())
}

/// A tool or file a test needs is missing: under CI (`CI=true`) that is a failure, because CI
/// installs everything the tests need; on a developer's machine the part is skipped with a
/// message saying what is missing and what it needs.
pub fn missing(what: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!ci, "CI=true and {what}: .ci/run must install it");
    eprintln!("SKIP: {what}");
}

/// The TEI schema every written TEI file must be valid against.
pub fn schema() -> PathBuf {
    shared().join("schema/tei_all.rng")
}

/// The root of this repository (where `texts/`, `alignments/` and `tests/fixtures/` are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>` of this repository.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A temp dir holding `texts/<name>` with the named `files` copied from the directory `from`.
pub fn temp_work(from: &Path, name: &str, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("texts").join(name);
    std::fs::create_dir_all(&dst).unwrap();
    for f in files {
        std::fs::copy(from.join(f), dst.join(f)).unwrap();
    }
    dir
}

/// A temp dir holding `texts/<name>` with every file of the directory `from` copied into it.
pub fn temp_work_all(from: &Path, name: &str) -> tempfile::TempDir {
    let names: Vec<String> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    temp_work(from, name, &names)
}

/// A temp project holding the committed layers (`texts/<work>`) and alignment
/// (`alignments/<work>/alignment.xml`) of `work`, as a reader of the published files sees them.
pub fn committed_work(work: &str) -> tempfile::TempDir {
    let root = root();
    let dir = temp_work_all(&root.join("texts").join(work), work);
    let al = dir.path().join("alignments").join(work);
    std::fs::create_dir_all(&al).unwrap();
    std::fs::copy(
        root.join("alignments").join(work).join("alignment.xml"),
        al.join("alignment.xml"),
    )
    .unwrap();
    dir
}

/// A temp dir holding `texts/w` with the two layers (cs, en) of `tests/fixtures/formats/work`,
/// not aligned.
pub fn formats_work() -> tempfile::TempDir {
    temp_work(&fixture("formats/work"), "w", &["cs.xml", "en.xml"])
}

/// A temp dir holding `texts/letter` copied from the chain fixture (ru → cs → en), not aligned.
pub fn chain_letter() -> tempfile::TempDir {
    temp_work(
        &fixture("work/chain"),
        "letter",
        &["ru.xml", "cs.xml", "en.xml"],
    )
}

/// [`chain_letter`], aligned with `--when 2026-01-01` (which must succeed).
pub fn aligned_chain_letter() -> tempfile::TempDir {
    let dir = chain_letter();
    let out = tei_align(dir.path())
        .args(["align", "texts/letter", "--when", "2026-01-01"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "align: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// The git configuration the tool sees in tests: `tests/fixtures/gitconfig` (user Test Editor,
/// tester@example.org) instead of the machine's, so that the editor taken from git config is the
/// same everywhere.
pub const GIT_ENV: [(&str, &str); 2] = [
    (
        "GIT_CONFIG_GLOBAL",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gitconfig"),
    ),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

/// The `tei-align` binary built for these tests, run in `dir`.
pub fn tei_align(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tei-align"));
    c.current_dir(dir).envs(GIT_ENV);
    // The works are copied into temp dirs, away from the shared schema the tool would find
    // beside the project: name it, as a user with their own layout would.
    if schema().is_file() {
        c.env("TEI_ALIGN_SCHEMA", schema());
    }
    c
}

/// The `tei-align` binary as an `assert_cmd` command (for `.assert()` chains).
pub fn tool() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tei-align").unwrap();
    c.envs(GIT_ENV);
    if schema().is_file() {
        c.env("TEI_ALIGN_SCHEMA", schema());
    }
    c
}

/// What a finished run of the tool gave: success, stdout and stderr as text.
pub struct Run {
    pub ok: bool,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    pub out: String,
    pub err: String,
}

/// Run `cmd` to the end and collect its result.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The editor most tests name in `TEI_ALIGN_EDITOR` (an `id:Name` form, for [`run_as`]).
pub const EVA: &str = "eva:Eva Nová";

/// `tei-align <args>` run in `dir`, with the editor (`TEI_ALIGN_EDITOR`) as the environment
/// of the test run has it; succeeding or not.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run(tei_align(dir).args(args))
}

/// [`run_in`], asserting that the tool succeeded (the message names the call, stdout and stderr).
pub fn ok_in(dir: &Path, args: &[&str]) -> Run {
    assert_ran(dir, args, run_in(dir, args))
}

/// `tei-align <args>` run in `dir` with `TEI_ALIGN_EDITOR` removed, so that the editor the tool
/// records comes from `--by` or git config ([`GIT_ENV`]: Test Editor), whatever the machine sets.
pub fn run_no_editor(dir: &Path, args: &[&str]) -> Run {
    run(tei_align(dir).args(args).env_remove("TEI_ALIGN_EDITOR"))
}

/// [`run_no_editor`], asserting that the tool succeeded.
pub fn ok_no_editor(dir: &Path, args: &[&str]) -> Run {
    assert_ran(dir, args, run_no_editor(dir, args))
}

/// `tei-align <args>` run in `dir` with `TEI_ALIGN_EDITOR=<editor>` (`id` or `id:Name`).
pub fn run_as(editor: &str, dir: &Path, args: &[&str]) -> Run {
    run(tei_align(dir).args(args).env("TEI_ALIGN_EDITOR", editor))
}

/// [`run_as`], asserting that the tool succeeded.
pub fn ok_as(editor: &str, dir: &Path, args: &[&str]) -> Run {
    assert_ran(dir, args, run_as(editor, dir, args))
}

/// `r`, after asserting that the run of `tei-align <args>` in `dir` succeeded.
fn assert_ran(dir: &Path, args: &[&str], r: Run) -> Run {
    assert!(
        r.ok,
        "tei-align {} (in {}) failed: {}{}",
        args.join(" "),
        dir.display(),
        r.out,
        r.err
    );
    r
}

/// The text of the file `p`; a test fails naming the file when it cannot be read.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `tei-align align texts/m` in `dir` (with `--embeddings e5` when `e5`), which must succeed;
/// the alignment it wrote, checked against the schema.
pub fn align_m(dir: &Path, e5: bool) -> tei_align::model::WorkAlignment {
    let mut args = vec!["align", "texts/m", "--when", "2026-12-02", "-q"];
    if e5 {
        args.extend(["--embeddings", "e5"]);
    }
    let out = tei_align(dir).args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("alignments/m/alignment.xml");
    assert_valid_tei(&file);
    tei_align::tei::standoff::read_alignment(&file).unwrap()
}

/// Whether the e5 model is installed; when it is not, [`missing`] says so (a failure under CI).
pub fn e5_installed() -> bool {
    match tei_align::embed::e5::E5::load_installed() {
        Ok(_) => true,
        Err(e) => {
            missing(&format!("the e5 model ({e})"));
            false
        }
    }
}

/// The interpreter of the Python virtual environment `.ci/run` makes (`TEI_ALIGN_PYTHON`:
/// OpusTools, translate-toolkit), if `module` can be imported with it; otherwise [`missing`]
/// says so (a failure under CI).
pub fn python(module: &str) -> Option<PathBuf> {
    let Some(p) = std::env::var_os("TEI_ALIGN_PYTHON").map(PathBuf::from) else {
        missing("TEI_ALIGN_PYTHON is not set (the Python venv .ci/run makes)");
        return None;
    };
    let ok = Command::new(&p)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("{} cannot import {module}", p.display()));
        return None;
    }
    Some(p)
}

/// LibreOffice's `soffice`, if installed (Debian's libreoffice-calc-nogui, which `.ci/run`
/// installs); otherwise [`missing`] says so (a failure under CI).
pub fn soffice() -> Option<&'static str> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        missing("soffice (LibreOffice, Debian's libreoffice-calc-nogui) is not installed");
        return None;
    }
    Some("soffice")
}

/// `s` with every run of white space made one space, and none at either end.
pub fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Validate `files` with jing against [`schema`] in one run: `Some((valid, jing's stdout))`, or
/// `None` (and a message) when jing or the schema is absent.
pub fn jing_files(files: &[&Path]) -> Option<(bool, String)> {
    let schema = schema();
    if !schema.exists() {
        missing(&format!(
            "the TEI schema {} is not there (set TEI_ALIGN_SHARED to the shared directory)",
            schema.display()
        ));
        return None;
    }
    match Command::new("jing").arg(&schema).args(files).output() {
        Ok(out) => Some((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )),
        Err(_) => {
            missing("jing is not installed (Debian package jing)");
            None
        }
    }
}

/// [`jing_files`] for one file.
pub fn jing(file: &Path) -> Option<(bool, String)> {
    jing_files(&[file])
}

/// Assert that `file` is valid TEI; skipped with a message when jing or the schema is absent.
pub fn assert_valid_tei(file: &Path) {
    if let Some((ok, msg)) = jing(file) {
        assert!(ok, "jing: {} is not valid TEI: {msg}", file.display());
    }
}

/// jing and the schema as the tool itself finds them (`check`'s lookup), if both are there.
pub fn tool_jing() -> Option<(PathBuf, PathBuf)> {
    Some((
        tei_align::check::find_in_path("jing")?,
        tei_align::check::find_schema(None, Path::new(env!("CARGO_MANIFEST_DIR"))).ok()??,
    ))
}

/// Remove the `<s xml:id="…">` start tags and `</s>` end tags the inserter adds.
pub fn strip_s(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<s xml:id=\"") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("\">").unwrap() + i + 2;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("</s>", "")
}
