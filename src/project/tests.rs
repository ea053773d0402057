use super::*;
use crate::model::Agent;

/// A project in a temp dir: `texts/w/` (empty; the resolution does not read layers).
fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("texts/w")).unwrap();
    d
}

#[test]
fn root_is_the_nearest_directory_holding_texts() {
    let d = project();
    let root = d.path().canonicalize().unwrap();
    let work = root.join("texts/w");
    assert_eq!(find_root(&work), Some(root.clone()));
    assert_eq!(find_root(&root), Some(root.clone()));
    // A nested project wins over the outer one.
    std::fs::create_dir_all(root.join("sub/texts/v")).unwrap();
    assert_eq!(find_root(&root.join("sub/texts/v")), Some(root.join("sub")));
}

#[test]
fn every_spelling_of_a_work_gives_one_alignment_file() {
    let d = project();
    let root = d.path().canonicalize().unwrap();
    let want = root.join("alignments/w/alignment.xml");
    for dir in [
        root.join("texts/w"),
        root.join("texts/w/"),
        root.join("texts/w/."),
        root.join("texts/./w"),
        root.join("texts/w/../w"),
    ] {
        let w = WorkRef::resolve(&dir, None).unwrap();
        assert_eq!(w.id, "w", "{}", dir.display());
        assert_eq!(
            absolute_clean(&w.alignment),
            want,
            "{} gave {}",
            dir.display(),
            w.alignment.display()
        );
        assert_eq!(w.root.as_deref(), Some(root.as_path()));
    }
}

#[test]
fn a_named_file_or_directory_of_alignments_wins() {
    let d = project();
    let dir = d.path().join("texts/w");
    let w = WorkRef::resolve(&dir, Some(Path::new("x/a.xml"))).unwrap();
    assert_eq!(w.alignment, Path::new("x/a.xml"));
    let w = WorkRef::resolve_in(&dir, Path::new("out")).unwrap();
    assert_eq!(w.alignment, Path::new("out/w/alignment.xml"));
}

#[test]
fn a_work_outside_any_project_or_not_a_directory_is_refused() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("loose")).unwrap();
    std::fs::write(d.path().join("file.xml"), "<x/>").unwrap();
    let e = WorkRef::resolve(&d.path().join("loose"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not inside a project"), "{e}");
    // A named alignment file is enough.
    assert!(WorkRef::resolve(&d.path().join("loose"), Some(Path::new("a.xml"))).is_ok());
    let e = WorkRef::resolve(&d.path().join("file.xml"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a directory"), "{e}");
    let e = WorkRef::resolve(&d.path().join("missing"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
}

#[test]
fn the_lock_names_its_holder_and_is_released_on_drop() {
    let d = tempfile::tempdir().unwrap();
    let al = d.path().join("alignments/w/alignment.xml");
    let held = WorkLock::acquire(&al, "w", LockMode::Fail, "link").unwrap();
    assert_eq!(
        held.path(),
        d.path().join("alignments/w/.alignment.xml.lock")
    );
    // flock locks belong to the open file description: a second open in this process
    // conflicts like another process would.
    let e = WorkLock::acquire(&al, "w", LockMode::Fail, "unlink")
        .unwrap_err()
        .to_string();
    let me = format!("pid {}", std::process::id());
    assert!(e.contains("work w is being edited by"), "{e}");
    assert!(e.contains(&me) && e.contains("tei-align link"), "{e}");
    assert!(e.contains("--wait"), "{e}");
    drop(held);
    assert!(WorkLock::acquire(&al, "w", LockMode::Fail, "unlink").is_ok());
}

#[test]
fn a_file_changed_since_reading_is_not_overwritten() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a.xml");
    std::fs::write(&f, "one").unwrap();
    let stamp = Stamp::of(Some(b"one"));
    std::fs::write(&f, "two").unwrap();
    let e = write_checked(&f, &stamp, "three").unwrap_err();
    assert!(matches!(e, ProjectError::Changed { .. }), "{e}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
    write_checked(&f, &Stamp::of(Some(b"two")), "three").unwrap();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "three");
    // A file that appeared since it was found missing is not overwritten either.
    let g = d.path().join("b.xml");
    std::fs::write(&g, "new").unwrap();
    assert!(write_checked(&g, &Stamp::of(None), "x").is_err());
}

fn alignment_with(agents: Vec<Agent>) -> WorkAlignment {
    WorkAlignment {
        item_changes: Default::default(),
        work: "w".into(),
        layer_files: [("cs".to_owned(), "cs.xml".to_owned())].into(),
        agents,
        relations: Vec::new(),
        edges: Vec::new(),
        segments: Vec::new(),
        changes: Vec::new(),
        id_high_water: Default::default(),
    }
}

fn work_with_publisher() -> Work {
    Work {
        id: "w".into(),
        dir: PathBuf::from("texts/w"),
        layers: vec![Layer {
            id: "cs".into(),
            lang: "cs".into(),
            path: PathBuf::from("texts/w/cs.xml"),
            title: String::new(),
            agents: vec![Agent::new(
                "hn".into(),
                "Hospodářské noviny".into(),
                "publisher".into(),
            )],
            source_desc: String::new(),
            derivations: Vec::new(),
            sentences: Vec::new(),
            gaps: Vec::new(),
        }],
    }
}

#[test]
fn editor_ids_and_names_parse() {
    let e = Editor::parse("jnovak:Jan Novák", "--by").unwrap();
    assert_eq!(e.id, "jnovak");
    assert_eq!(e.name.as_deref(), Some("Jan Novák"));
    assert_eq!(Editor::parse("eva", "--by").unwrap().name, None);
    for bad in ["Eva Nová", "1eva", "eva:", "a/b:Name"] {
        assert!(Editor::parse(bad, "--by").is_err(), "{bad}");
    }
}

#[test]
fn an_editor_id_that_names_someone_else_is_refused() {
    let work = work_with_publisher();
    let al = alignment_with(vec![Agent::new(
        "tei-align".into(),
        "tei-align".into(),
        "automatic sentence alignment".into(),
    )]);
    let hn = Editor::parse("hn", "--by").unwrap();
    let e = hn.check(&work, &al).unwrap_err().to_string();
    assert!(
        e.contains("Hospodářské noviny") && e.contains("cs.xml"),
        "{e}"
    );
    assert!(!e.contains('\n'));
    let tool = Editor::parse("tei-align", "--by").unwrap();
    assert!(tool.check(&work, &al).is_err());
    let layer = Editor::parse("layer.cs", "--by").unwrap();
    assert!(layer.check(&work, &al).is_err());
    let eva = Editor::parse("eva:Eva Nová", "--by").unwrap();
    assert!(eva.check(&work, &al).is_ok());
}

#[test]
fn an_editor_is_recorded_with_their_name_and_keeps_it() {
    let work = work_with_publisher();
    let mut al = alignment_with(Vec::new());
    Editor::parse("eva:Eva Nová", "--by")
        .unwrap()
        .record(&mut al);
    assert_eq!(al.agents[0].name, "Eva Nová");
    assert_eq!(al.agents[0].role, "editor");
    // The id alone refers to the recorded editor.
    let bare = Editor::parse("eva", "--by").unwrap();
    bare.check(&work, &al).unwrap();
    bare.record(&mut al);
    assert_eq!(al.agents.len(), 1);
    assert_eq!(al.agents[0].name, "Eva Nová");
    // Another person under the same id is refused.
    let other = Editor::parse("eva:Eva Svobodová", "--by").unwrap();
    let e = other.check(&work, &al).unwrap_err().to_string();
    assert!(e.contains("Eva Nová"), "{e}");
}
