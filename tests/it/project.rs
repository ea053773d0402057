//! The project layer from the command line: one alignment file for a work whichever directory a
//! command runs in; editors recorded as people and never confused with the people of the layer
//! headers; the work lock, so that concurrent editors lose nothing.

use crate::common;

use common::{EVA, ok_as, run_as, tei_align};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tei_align::model::{LinkStatus, WorkAlignment};
use tei_align::tei::standoff::read_alignment;

fn alignment(root: &Path, work: &str) -> WorkAlignment {
    read_alignment(&root.join(format!("alignments/{work}/alignment.xml"))).unwrap()
}

/// Whether the link `src`–`der` of the alignment is confirmed by `who`.
fn confirmed_by(al: &WorkAlignment, src: &str, der: &str, who: &str) -> bool {
    al.edges.iter().flat_map(|e| &e.links).any(|l| {
        l.source == [src]
            && l.derived == [der]
            && matches!(&l.status, LinkStatus::Verified { who: w, .. } if w.trim_start_matches('#') == who)
    })
}

/// Every `alignment.xml` under `dir`, but for the copies in editions.
fn alignment_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "alignment.xml")
                // An edition carries a copy of its alignment: that is not another alignment.
                && !p.with_file_name("edition.xml").exists()
            {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn every_command_uses_one_alignment_file_from_any_directory() {
    let dir = common::chain_letter();
    let root = dir.path().canonicalize().unwrap();
    let work_abs = root.join("texts/letter");
    let work_abs = work_abs.to_str().unwrap();
    let texts = root.join("texts");
    // (current directory, how the work is named from there)
    let places: [(&Path, &str); 3] = [
        (Path::new("/"), work_abs),
        (&texts, "letter"),
        (&root, "texts/letter"),
    ];
    for (i, (cwd, w)) in places.iter().enumerate() {
        ok_as(EVA, cwd, &["align", w, "--when", "2026-01-01"]);
        let by = format!("ed{i}:Editor {i}");
        let r = ok_as(EVA, cwd, &["link", w, "cs.s2", "en.s2", "--by", &by]);
        assert!(r.out.contains(&format!("by ed{i}")), "{}", r.out);
        ok_as(EVA, cwd, &["unlink", w, "cs.s4", "en.s4", "--by", &by]);
        ok_as(EVA, cwd, &["link", w, "cs.s4", "en.s4", "--by", &by]);
        let st = ok_as(EVA, cwd, &["status", w, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&st.out).unwrap();
        let path = cwd.join(v["alignment"].as_str().unwrap());
        assert_eq!(
            path.canonicalize().unwrap(),
            root.join("alignments/letter/alignment.xml"),
            "status from {}",
            cwd.display()
        );
        ok_as(EVA, cwd, &["check", w, "--no-jing"]);
        ok_as(EVA, cwd, &["trace", "en.s2", "--work", w]);
        ok_as(EVA, cwd, &["coverage", w]);
        let exported = root.join(format!("out{i}.tsv"));
        let exported = exported.to_str().unwrap();
        ok_as(
            EVA,
            cwd,
            &[
                "export", w, "--format", "tsv", "--edge", "cs-en", "-o", exported,
            ],
        );
        let edition = root.join(format!("ed{i}"));
        ok_as(EVA, cwd, &["edition", w, "-o", edition.to_str().unwrap()]);
        // The edition was made from the file `link` wrote: it names this round's editor.
        let xml = std::fs::read_to_string(edition.join("edition.xml")).unwrap();
        assert!(
            xml.contains(&format!("#ed{i}")),
            "edition from {}",
            cwd.display()
        );
        assert!(
            xml.contains(&format!("Editor {i}")),
            "edition from {}",
            cwd.display()
        );
        let al = alignment(&root, "letter");
        assert!(confirmed_by(&al, "cs.s2", "en.s2", &format!("ed{i}")));
        assert!(confirmed_by(&al, "cs.s4", "en.s4", &format!("ed{i}")));
    }
    // trace without --work finds the alignment of the project holding the current directory.
    ok_as(EVA, &texts, &["trace", "en.s2"]);
    assert_eq!(
        alignment_files(&root),
        [root.join("alignments/letter/alignment.xml")],
        "one alignment file, in the project"
    );
    assert!(!Path::new("/alignments/letter").exists());
}

#[test]
fn align_dot_inside_a_work_names_the_work() {
    let dir = common::chain_letter();
    let root = dir.path().canonicalize().unwrap();
    let work = root.join("texts/letter");
    let r = ok_as(EVA, &work, &["align", ".", "--when", "2026-01-01"]);
    assert!(
        r.out.starts_with("../../alignments/letter/alignment.xml:"),
        "{}",
        r.out
    );
    assert_eq!(alignment(&root, "letter").work, "letter");
    ok_as(EVA, &work, &["link", ".", "cs.s2", "en.s2"]);
    assert!(confirmed_by(
        &alignment(&root, "letter"),
        "cs.s2",
        "en.s2",
        "eva"
    ));
    ok_as(EVA, &work, &["run", "."]);
    assert!(root.join("editions/letter/edition.xml").is_file());
    assert_eq!(alignment_files(&root).len(), 1);
}

#[test]
fn a_work_outside_a_project_needs_a_named_alignment() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("loose");
    std::fs::create_dir(&work).unwrap();
    for f in ["cs.xml", "en.xml"] {
        std::fs::copy(common::fixture("formats/work").join(f), work.join(f)).unwrap();
    }
    let r = run_as(EVA, dir.path(), &["align", "loose"]);
    assert!(!r.ok);
    assert!(r.err.contains("loose: not inside a project"), "{}", r.err);
    assert!(!dir.path().join("alignments").exists());
    ok_as(EVA, dir.path(), &["align", "loose", "-o", "a/loose.xml"]);
    ok_as(
        EVA,
        dir.path(),
        &[
            "link",
            "loose",
            "cs.s1",
            "en.s1",
            "--alignment",
            "a/loose.xml",
        ],
    );
}

/// The letter of 1968 as committed (its headers name the translator `kramer` and the newspaper
/// Hospodářské noviny as `cs.publisher`), aligned.
fn letter_1968() -> tempfile::TempDir {
    let texts = Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/letter-1968");
    let dir = common::temp_work_all(&texts, "letter-1968");
    ok_as(EVA, dir.path(), &["align", "texts/letter-1968"]);
    dir
}

#[test]
fn an_editor_id_of_a_person_in_a_layer_header_is_refused() {
    let dir = letter_1968();
    let file = dir.path().join("alignments/letter-1968/alignment.xml");
    let before = std::fs::read(&file).unwrap();
    for by in [
        "cs.publisher",
        "kramer",
        "kramer:Mark Kramer",
        "tei-align",
        "layer.cs",
    ] {
        let r = run_as(
            EVA,
            dir.path(),
            &["link", "texts/letter-1968", "cs.s14", "en.s14", "--by", by],
        );
        assert!(!r.ok, "--by {by} accepted");
        assert_eq!(r.err.trim_end().lines().count(), 1, "{}", r.err);
        assert!(r.err.contains("needs an id of their own"), "{}", r.err);
        assert_eq!(std::fs::read(&file).unwrap(), before, "--by {by} wrote");
    }
    let r = run_as(
        EVA,
        dir.path(),
        &[
            "link",
            "texts/letter-1968",
            "cs.s14",
            "en.s14",
            "--by",
            "cs.publisher",
        ],
    );
    assert!(r.err.contains("Hospodářské noviny"), "{}", r.err);
    assert!(r.err.contains("texts/letter-1968/cs.xml"), "{}", r.err);
}

#[test]
fn an_editor_is_recorded_with_their_name() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    ok_as(
        EVA,
        d,
        &[
            "link",
            "texts/letter",
            "cs.s2",
            "en.s2",
            "--by",
            "jnovak:Jan Novák",
        ],
    );
    // Without --by or $TEI_ALIGN_EDITOR: git config (the tests' own, see common::GIT_ENV).
    let r = common::run(
        tei_align(d)
            .args(["link", "texts/letter", "cs.s4", "en.s4"])
            .env_remove("TEI_ALIGN_EDITOR"),
    );
    assert!(r.ok, "{}", r.err);
    let al = alignment(d, "letter");
    let name = |id: &str| {
        al.agents
            .iter()
            .find(|a| a.id == id)
            .map(|a| (a.name.clone(), a.role.clone()))
    };
    assert_eq!(name("jnovak"), Some(("Jan Novák".into(), "editor".into())));
    assert_eq!(
        name("tester"),
        Some(("Test Editor".into(), "editor".into()))
    );
    assert!(confirmed_by(&al, "cs.s2", "en.s2", "jnovak"));
    assert!(confirmed_by(&al, "cs.s4", "en.s4", "tester"));
    // The id alone names the recorded editor; a second person under it is refused.
    ok_as(
        EVA,
        d,
        &["unlink", "texts/letter", "cs.s2", "en.s2", "--by", "jnovak"],
    );
    assert_eq!(
        name("jnovak"),
        alignment(d, "letter")
            .agents
            .iter()
            .find(|a| a.id == "jnovak")
            .map(|a| (a.name.clone(), a.role.clone()))
    );
    let r = run_as(
        EVA,
        d,
        &[
            "link",
            "texts/letter",
            "cs.s2",
            "en.s2",
            "--by",
            "jnovak:Jana Nová",
        ],
    );
    assert!(!r.ok && r.err.contains("Jan Novák"), "{}", r.err);
}

#[test]
fn no_editor_is_an_error_saying_how_to_name_one() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let file = d.join("alignments/letter/alignment.xml");
    let before = std::fs::read(&file).unwrap();
    for args in [
        &["link", "texts/letter", "cs.s2", "en.s2"][..],
        &["unlink", "texts/letter", "cs.s2", "en.s2"][..],
    ] {
        let r = common::run(
            tei_align(d)
                .args(args)
                .env_remove("TEI_ALIGN_EDITOR")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("USER", "someone"),
        );
        assert!(!r.ok, "{args:?}: {}", r.out);
        assert_eq!(r.err.trim_end().lines().count(), 1, "{}", r.err);
        assert!(
            r.err.contains("no editor named") && r.err.contains("--by"),
            "{}",
            r.err
        );
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }
    assert!(!String::from_utf8_lossy(&before).contains("#editor"));
}

#[test]
fn a_locked_work_names_its_holder_and_wait_waits() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    let file = d.join("alignments/letter/alignment.xml");
    let lock = tei_align::project::WorkLock::acquire(
        &file,
        "letter",
        tei_align::project::LockMode::Fail,
        "link",
    )
    .unwrap();
    let r = run_as(EVA, d, &["link", "texts/letter", "cs.s2", "en.s2"]);
    assert!(!r.ok);
    let me = format!(
        "work letter is being edited by pid {} since ",
        std::process::id()
    );
    assert!(r.err.contains(&me) && r.err.contains("--wait"), "{}", r.err);
    // A layer is written under the same lock.
    let layer = d.join("texts/letter/cs.xml");
    let layer_before = std::fs::read(&layer).unwrap();
    let r = run_as(EVA, d, &["import", "--in-place", "texts/letter/cs.xml"]);
    assert!(!r.ok && r.err.contains(&me), "{}", r.err);
    assert_eq!(std::fs::read(&layer).unwrap(), layer_before);
    // Reading is not locked.
    ok_as(EVA, d, &["status", "texts/letter"]);
    let child = tei_align(d)
        .args(["link", "texts/letter", "cs.s2", "en.s2", "--wait"])
        .env("TEI_ALIGN_EDITOR", "eva")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!confirmed_by(
        &alignment(d, "letter"),
        "cs.s2",
        "en.s2",
        "eva"
    ));
    drop(lock);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(confirmed_by(
        &alignment(d, "letter"),
        "cs.s2",
        "en.s2",
        "eva"
    ));
}

/// A work of two layers (cs, en) of `n` sentences, one per paragraph, under `texts/w`.
fn synthetic(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("texts/w");
    std::fs::create_dir_all(&w).unwrap();
    let layer = |lang: &str, relation: &str, text: &dyn Fn(usize) -> String| {
        let body: String = (1..=n)
            .map(|k| format!("<p><s xml:id=\"{lang}.s{k}\">{}</s></p>\n", text(k)))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{lang}\" xml:id=\"layer.{lang}\">\n\
             <teiHeader><fileDesc><titleStmt><title>{lang}</title></titleStmt>\n\
             <publicationStmt><p>Test.</p></publicationStmt>\n\
             <sourceDesc><p>Test.</p>{relation}</sourceDesc></fileDesc></teiHeader>\n\
             <text><body>\n{body}</body></text></TEI>\n"
        )
    };
    let cs = layer("cs", "", &|k| {
        format!("Věta číslo {k} má {} slov.", k % 7 + 3)
    });
    let rel = "<listRelation type=\"derivation\"><relation name=\"translation\" \
               active=\"#layer.en\" passive=\"cs.xml#layer.cs\"/></listRelation>";
    let en = layer("en", rel, &|k| {
        format!("Sentence number {k} has {} words.", k % 7 + 3)
    });
    std::fs::write(w.join("cs.xml"), cs).unwrap();
    std::fs::write(w.join("en.xml"), en).unwrap();
    dir
}

/// 20 processes link 20 different sentences of one work at once, 50 times over, each round by
/// another editor: after every round, every link is confirmed by that round's editor.
#[test]
fn concurrent_editors_lose_no_confirmation() {
    const PROCS: usize = 20;
    const ROUNDS: usize = 50;
    let dir = synthetic(PROCS);
    let d = dir.path();
    ok_as(EVA, d, &["align", "texts/w"]);
    for round in 0..ROUNDS {
        let by = format!("r{round}:Round {round}");
        let children: Vec<_> = (1..=PROCS)
            .map(|k| {
                tei_align(d)
                    .args(["link", "texts/w", &format!("cs.s{k}"), &format!("en.s{k}")])
                    .args(["--by", &by, "--wait"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let al = alignment(d, "w");
        let who = format!("r{round}");
        let missing: Vec<usize> = (1..=PROCS)
            .filter(|k| !confirmed_by(&al, &format!("cs.s{k}"), &format!("en.s{k}"), &who))
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: confirmations lost: {missing:?}"
        );
    }
}

/// `link` started while `align` runs waits for it and is not overwritten by it.
#[test]
fn link_right_after_align_is_kept() {
    let dir = synthetic(300);
    let d = dir.path();
    for _ in 0..5 {
        let align: std::process::Child = tei_align(d)
            .args(["align", "texts/w", "--full", "--wait"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `link` needs the alignment file: wait for the first align to have made it.
        while !d.join("alignments/w/alignment.xml").exists() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let r = run_as(EVA, d, &["link", "texts/w", "cs.s7", "en.s7", "--wait"]);
        let out = align.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(r.ok, "{}", r.err);
        assert!(confirmed_by(&alignment(d, "w"), "cs.s7", "en.s7", "eva"));
        ok_as(EVA, d, &["unlink", "texts/w", "cs.s7", "en.s7"]);
    }
    let _ = Command::new("true");
}

/// The people an imported file names as confirmers are editors too: an id of a person of a layer
/// header is refused, a new one is recorded in the alignment's header.
#[test]
fn an_imported_confirmer_is_an_editor_too() {
    let dir = letter_1968();
    let d = dir.path();
    ok_as(EVA, d, &["link", "texts/letter-1968", "cs.s14", "en.s14"]);
    ok_as(
        EVA,
        d,
        &[
            "export",
            "texts/letter-1968",
            "--format",
            "intertext",
            "--edge",
            "cs-en",
            "-o",
            "x",
        ],
    );
    let text = std::fs::read_to_string(d.join("x/letter-1968.cs.en.xml")).unwrap();
    assert!(text.contains("resp=\"eva\""), "{text}");
    let file = d.join("alignments/letter-1968/alignment.xml");
    let before = std::fs::read(&file).unwrap();
    std::fs::write(
        d.join("x/hn.xml"),
        text.replace("resp=\"eva\"", "resp=\"cs.publisher\""),
    )
    .unwrap();
    let args = [
        "import-alignment",
        "texts/letter-1968",
        "x/hn.xml",
        "--format",
        "intertext",
    ];
    let r = run_as(EVA, d, &[&args[..], &["--edge", "cs-en"]].concat());
    assert!(!r.ok, "{}", r.out);
    assert!(
        r.err.contains("resp in x/hn.xml 'cs.publisher'") && r.err.contains("Hospodářské noviny"),
        "{}",
        r.err
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    std::fs::write(
        d.join("x/mn.xml"),
        text.replace("resp=\"eva\"", "resp=\"mnovak\""),
    )
    .unwrap();
    let args = [
        "import-alignment",
        "texts/letter-1968",
        "x/mn.xml",
        "--format",
        "intertext",
    ];
    ok_as(EVA, d, &[&args[..], &["--edge", "cs-en"]].concat());
    let al = alignment(d, "letter-1968");
    assert!(
        al.agents
            .iter()
            .any(|a| a.id == "mnovak" && a.role == "editor")
    );
    assert!(confirmed_by(&al, "cs.s14", "en.s14", "mnovak"));
}
