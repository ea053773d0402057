//! Issue 13, findings 6–8: the files tei-align writes. `edition` replaces its directory as a
//! whole and cleans its own stale temporary files; writes follow symbolic links; FIFOs and
//! devices are never replaced; `check` reads `%20` in pointers as a space.

use crate::common::{self, run, tei_align};
use std::path::Path;

/// A pid that runs no process (for stale temporary files).
fn dead_pid() -> u32 {
    (4_000_000..4_194_304)
        .find(|p| !Path::new(&format!("/proc/{p}")).exists())
        .unwrap()
}

#[test]
fn edition_replaces_its_directory_as_a_whole_and_cleans_stale_temporaries() {
    let dir = common::aligned_chain_letter();
    let p = dir.path();
    let pid = dead_pid();
    std::fs::create_dir_all(p.join("ed")).unwrap();
    std::fs::write(p.join("ed/edition.xml"), "old").unwrap();
    std::fs::write(p.join("ed/README"), "mine").unwrap();
    // Left by killed runs: a file of write_atomic, a directory of write_dir_atomic.
    std::fs::write(p.join(format!("ed/.tei-align.{pid}.abc.tmp")), "x").unwrap();
    std::fs::write(p.join(format!(".tei-align.{pid}.abc.tmp")), "x").unwrap();
    std::fs::create_dir(p.join(format!(".ed.tei-align.{pid}.xyz"))).unwrap();
    // Not ours (no pid, or a live one): kept.
    std::fs::write(p.join(".tmpABC"), "x").unwrap();
    let live = format!(".tei-align.{}.live.tmp", std::process::id());
    std::fs::write(p.join(&live), "x").unwrap();
    let r = run(tei_align(p).args(["edition", "texts/letter", "-o", "ed"]));
    assert!(r.ok, "{}", r.err);
    let ed = std::fs::read_to_string(p.join("ed/edition.xml")).unwrap();
    assert!(ed.contains("<TEI"), "not replaced");
    assert!(p.join("ed/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(p.join("ed/README")).unwrap(),
        "mine"
    );
    let names: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains(&format!("tei-align.{pid}"))),
        "stale temporaries left: {names:?}"
    );
    assert!(names.contains(&".tmpABC".to_owned()) && names.contains(&live));
    assert!(
        !names.iter().any(|n| n.starts_with(".ed.tei-align")),
        "{names:?}"
    );
}

#[test]
fn a_failed_directory_write_leaves_the_old_pair() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ed");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("edition.xml"), "old tei").unwrap();
    std::fs::write(out.join("index.html"), "old html").unwrap();
    // The second file cannot be made (its name holds a directory that does not exist).
    let err = tei_align::fsutil::write_dir_atomic(
        &out,
        &[("edition.xml", b"new tei"), ("no/such/index.html", b"new")],
    );
    assert!(err.is_err());
    assert_eq!(
        std::fs::read_to_string(out.join("edition.xml")).unwrap(),
        "old tei"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "old html"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "temporary left"
    );
}

#[cfg(unix)]
#[test]
fn writes_follow_symbolic_links() {
    let dir = common::aligned_chain_letter();
    let p = dir.path();
    // The layer lives elsewhere; the work holds a link to it.
    let real = p.join("store/en.xml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::rename(p.join("texts/letter/en.xml"), &real).unwrap();
    std::os::unix::fs::symlink(&real, p.join("texts/letter/en.xml")).unwrap();
    let before = std::fs::read_to_string(&real).unwrap();
    let edited = before.replace("<s xml:id=\"en.s3\">", "Added here. <s xml:id=\"en.s3\">");
    std::fs::write(&real, &edited).unwrap();
    let r = run(tei_align(p).args(["import", "--in-place", "texts/letter/en.xml"]));
    assert!(r.ok, "{}", r.err);
    let link = p.join("texts/letter/en.xml");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains(">Added here.</s>")
    );
    // The alignment behind a link: `link` updates the target.
    let al = p.join("alignments/letter/alignment.xml");
    let al_real = p.join("store/alignment.xml");
    std::fs::rename(&al, &al_real).unwrap();
    std::os::unix::fs::symlink(&al_real, &al).unwrap();
    let r = run(tei_align(p).args(["link", "texts/letter", "cs.s1", "en.s1", "--by", "ed"]));
    assert!(r.ok, "{}", r.err);
    assert!(
        std::fs::symlink_metadata(&al)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&al_real)
            .unwrap()
            .contains("who=\"#ed\"")
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_never_replaced() {
    let dir = common::aligned_chain_letter();
    let p = dir.path();
    let fifo = p.join("out.fifo");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    for target in [fifo.to_str().unwrap(), "/dev/null"] {
        let r = run(tei_align(p).args([
            "export",
            "texts/letter",
            "--format",
            "tsv",
            "--edge",
            "cs-en",
            "-o",
            target,
        ]));
        assert!(!r.ok, "export wrote to {target}");
        assert!(r.err.contains("not a regular file"), "{}", r.err);
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn check_reads_uri_escaped_paths() {
    let src = common::fixture("work/chain");
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("texts/letter 1968");
    std::fs::create_dir_all(&work).unwrap();
    for f in ["ru.xml", "cs.xml", "en.xml"] {
        std::fs::copy(src.join(f), work.join(f)).unwrap();
    }
    let r = run(tei_align(dir.path()).args(["align", "texts/letter 1968", "--when", "2026-01-01"]));
    assert!(r.ok, "{}", r.err);
    let al =
        std::fs::read_to_string(dir.path().join("alignments/letter 1968/alignment.xml")).unwrap();
    assert!(
        al.contains("letter%201968/"),
        "the pointers are not escaped"
    );
    let r = run(tei_align(dir.path()).args(["check", "--no-jing", "texts/letter 1968"]));
    assert!(
        !r.out.contains("does not exist") && !r.err.contains("does not exist"),
        "{}{}",
        r.out,
        r.err
    );
    assert!(r.ok, "{}{}", r.out, r.err);
}
