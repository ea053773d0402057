//! Session 16's adversarial review of durability and concurrency: each test fails on the code
//! before its fix (docs/robustness.md, "Two people at once, and a process that dies").

use crate::common::{self, EVA, ok_as, run_as, tei_align};
use std::path::Path;
use std::process::Stdio;
use tei_align::project::{LockMode, WorkLock};

/// The sentence ids of `layer` (a TEI file), in document order.
fn sentence_ids(layer: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(layer).unwrap();
    text.split("<s xml:id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

/// Whether a process other than this one waits for a `flock` (a `->` line of /proc/locks).
fn someone_waits_for_a_lock(child: u32) -> bool {
    std::fs::read_to_string("/proc/locks").is_ok_and(|t| {
        t.lines().any(|l| {
            l.contains("->")
                && l.split_whitespace()
                    .any(|w| w == child.to_string().as_str())
        })
    })
}

/// `align` waiting for the lock while an editor adds a sentence to a layer and confirms it
/// (`link`, under the lock): the confirmation must survive the `align` that then runs. Before
/// the fix `align` read the layers before taking the lock, so it aligned the layer as it was,
/// found the confirmed sentence missing and dropped the confirmation ("no longer exist(s)").
#[test]
fn align_waiting_for_the_lock_reads_the_layers_after_it() {
    if !Path::new("/proc/locks").exists() {
        common::missing("/proc/locks (to see that align waits for the lock)");
        return;
    }
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let layer = d.join("texts/letter/en.xml");
    let file = d.join("alignments/letter/alignment.xml");
    // What the editor will do, done beforehand in a copy of the project: a sentence added to
    // the English layer (imported in place, so it gets an id) and confirmed as an addition.
    let twin = tempfile::tempdir().unwrap();
    let t = twin.path();
    std::fs::create_dir_all(t.join("texts/letter")).unwrap();
    std::fs::create_dir_all(t.join("alignments/letter")).unwrap();
    for f in ["ru.xml", "cs.xml", "en.xml"] {
        std::fs::copy(
            d.join("texts/letter").join(f),
            t.join("texts/letter").join(f),
        )
        .unwrap();
    }
    std::fs::copy(&file, t.join("alignments/letter/alignment.xml")).unwrap();
    let twin_layer = t.join("texts/letter/en.xml");
    let before = sentence_ids(&twin_layer);
    let text = std::fs::read_to_string(&twin_layer).unwrap();
    let at = text.find("</s>").unwrap() + "</s>".len();
    let edited = format!(
        "{} A sentence the editor added.{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&twin_layer, edited).unwrap();
    ok_as(EVA, t, &["import", "--in-place", "texts/letter/en.xml"]);
    let new: Vec<String> = sentence_ids(&twin_layer)
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    let new = &new[0];
    // The sentence follows en.s1: linked with it to the Czech sentence both translate.
    ok_as(EVA, t, &["link", "texts/letter", "cs.s1", "en.s1", new]);
    let confirmed = std::fs::read(t.join("alignments/letter/alignment.xml")).unwrap();
    assert!(String::from_utf8_lossy(&confirmed).contains(&format!("#{new}\"")));

    // Another command holds the work; `align --wait` starts and waits for it.
    let lock = WorkLock::acquire(&file, "letter", LockMode::Fail, "link").unwrap();
    let child = tei_align(d)
        .args(["align", "texts/letter", "--wait", "--when", "2026-01-02"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while !someone_waits_for_a_lock(child.id()) {
        assert!(
            t0.elapsed().as_secs() < 60,
            "align never waited for the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // Meanwhile the editor's work lands: the layer saved, the confirmation written.
    std::fs::copy(&twin_layer, &layer).unwrap();
    std::fs::write(&file, &confirmed).unwrap();
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("dropped"),
        "a confirmation was dropped: {err}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    let kept = after
        .split('<')
        .any(|el| el.contains(&format!("#{new}\"")) && el.contains("resp=\"#eva\""));
    assert!(kept, "the confirmation of {new} is gone:\n{after}");
}

/// A command given the alignment through a symbolic link and one given the file itself take
/// the same lock. Before the fix each locked beside the path it was given, so both ran at once
/// and one's confirmation was overwritten by the other's save (20 `link --wait`, 10 pairs: 6
/// reported "confirmed" and lost).
#[test]
fn a_symlinked_alignment_is_locked_where_the_file_is() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let real = d.join("kept/alignment.xml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    let link = d.join("alignments/letter/alignment.xml");
    std::fs::rename(&link, &real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    // Another command edits the work through the file itself (`--alignment kept/alignment.xml`).
    let lock = WorkLock::acquire(&real, "letter", LockMode::Fail, "link").unwrap();
    let before = std::fs::read(&real).unwrap();
    let r = run_as(EVA, d, &["link", "texts/letter", "cs.s2", "en.s2"]);
    assert!(!r.ok, "link ran while the file was locked: {}", r.out);
    assert!(
        r.err.contains("being edited by pid") && r.err.trim_end().lines().count() == 1,
        "{}",
        r.err
    );
    assert_eq!(std::fs::read(&real).unwrap(), before);
    drop(lock);
    ok_as(EVA, d, &["link", "texts/letter", "cs.s2", "en.s2"]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A directory where a layer file was (`en.xml/`, an archive unpacked in place) is a layer
/// gone: `align` must refuse to drop what a person confirmed on its edges. Before the fix the
/// test was `exists()`, true for the directory, so the confirmed link was dropped with a
/// warning and exit 0.
#[test]
fn a_directory_in_place_of_a_layer_keeps_the_confirmed_links() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    ok_as(EVA, d, &["link", "texts/letter", "a.cs-en.2"]);
    let file = d.join("alignments/letter/alignment.xml");
    let before = std::fs::read(&file).unwrap();
    // The last layer of the chain (ru → cs → en): no other layer names it as its source.
    let en = d.join("texts/letter/en.xml");
    std::fs::rename(&en, d.join("en.xml.kept")).unwrap();
    std::fs::create_dir(&en).unwrap();
    for args in [
        &["align", "texts/letter"][..],
        &["run", "texts/letter"],
        &["link", "texts/letter", "cs.s3", "en.s3"],
    ] {
        let r = run_as(EVA, d, args);
        assert!(!r.ok, "{args:?} succeeded: {}", r.err);
        assert!(
            r.err.contains("en.xml, which is a directory, not a file"),
            "{args:?}: {}",
            r.err
        );
        assert_eq!(std::fs::read(&file).unwrap(), before, "{args:?}");
    }
}

/// A write that fails part-way (here: the file-size limit, as a full disk would) names the
/// output, not tei-align's temporary file, and leaves neither the temporary file nor the
/// directories made for the output. Before the fix the message ended `at path
/// ".../.tei-align.<pid>.<random>.tmp"` and `out/new/` stayed, empty.
#[test]
fn a_write_cut_short_names_the_output_and_leaves_nothing() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let r = common::run(
        std::process::Command::new("sh")
            .current_dir(d)
            .env("TEI_ALIGN_EDITOR", "eva")
            .arg("-c")
            // SIGXFSZ ignored: the write fails with EFBIG instead of killing the process.
            .arg("trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_tei-align"))
            .args([
                "export",
                "texts/letter",
                "--format",
                "tmx",
                "-o",
                "out/new/a.tmx",
            ]),
    );
    assert!(!r.ok);
    let line = r.err.trim_end();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("out/new/a.tmx: File too large"), "{line}");
    assert!(!line.contains(".tmp"), "{line}");
    assert!(
        !d.join("out").exists(),
        "a directory made for the output stayed"
    );
}

/// A bundle export (cesAlign: the alignment and the sentence documents it points into) that
/// fails part-way leaves the old bundle whole. Before the fix the files were replaced one by
/// one, so a full disk left the new alignment document pointing into an old sentence file.
#[test]
fn a_bundle_cut_short_leaves_the_old_bundle_whole() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let args = [
        "export",
        "texts/letter",
        "--format",
        "cesalign",
        "--edge",
        "cs-en",
    ];
    let r = common::run(tei_align(d).args(args).args(["-o", "b"]));
    assert!(r.ok, "{}", r.err);
    let files = ["b/cs-en.xml", "b/cs/letter.xml", "b/en/letter.xml"];
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(d.join(f)).unwrap().len())
        .collect();
    // A size limit (in 512-byte blocks) the first file fits in and another does not.
    let blocks = sizes[0].div_ceil(512);
    assert!(
        sizes.iter().any(|&s| s > blocks * 512),
        "the fixture's files are too alike in size: {sizes:?}"
    );
    for f in files {
        std::fs::write(d.join(f), "old\n").unwrap();
    }
    let r = common::run(
        std::process::Command::new("sh")
            .current_dir(d)
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_tei-align"))
            .args(args)
            .args(["-o", "b"]),
    );
    assert!(!r.ok, "the export fitted: {}", r.err);
    assert!(r.err.contains("File too large"), "{}", r.err);
    for f in files {
        assert_eq!(std::fs::read_to_string(d.join(f)).unwrap(), "old\n", "{f}");
    }
    let temps: Vec<_> = walk(&d.join("b"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".tei-align."))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// `run` holds the work's lock until its coverage and edition are written. Before, it let go
/// right after `align` wrote the alignment, so a `link` landing before the edition was written
/// left an edition made from an alignment that no longer existed, written after the one that
/// replaced it. `run` is stopped at that point (`TEI_ALIGN_PAUSE`) while a `link` tries.
#[test]
fn run_holds_the_lock_until_its_edition_is_written() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let file = d.join("alignments/letter/alignment.xml");
    let gate = d.join("run-paused");
    let child = tei_align(d)
        .args(["run", "texts/letter", "--when", "2026-01-02"])
        .env("TEI_ALIGN_PAUSE", format!("run-edition:{}", gate.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while !gate.exists() {
        assert!(t0.elapsed().as_secs() < 60, "run never reached its edition");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The alignment is written, the edition not yet: the work is still run's.
    let written = std::fs::read(&file).unwrap();
    let r = run_as(EVA, d, &["link", "texts/letter", "cs.s1", "en.s1"]);
    assert!(!r.ok, "link ran while run held the work: {}", r.out);
    assert!(
        r.err.contains("being edited by") && r.err.contains("run"),
        "{}",
        r.err
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        written,
        "link changed the file"
    );
    std::fs::remove_file(&gate).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The edition is that of the alignment on disk: `edition` makes the same files from it.
    ok_as(EVA, d, &["edition", "texts/letter", "-o", "again"]);
    let mut names: Vec<_> = std::fs::read_dir(d.join("editions/letter"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let ran = std::fs::read(d.join("editions/letter").join(&name)).unwrap();
        let again = std::fs::read(d.join("again").join(&name)).unwrap();
        assert!(
            ran == again,
            "{name:?} differs from the alignment's edition"
        );
    }
    // Once run is done, the link goes through.
    ok_as(EVA, d, &["link", "texts/letter", "cs.s1", "en.s1"]);
}
