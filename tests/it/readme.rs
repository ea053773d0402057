//! Every shell command in the README runs as written (issue 15): the ```sh blocks are extracted
//! and run with bash, in order, in a fresh copy of the project (its `texts/`, `alignments/`,
//! `editions/`, with `../shared` beside it), with the built `tei-align` first on the `PATH`.
//! `cargo run --release --` is the same binary. The cargo commands that build, install or test
//! the project itself cannot run inside its own test and are listed here, so a new one fails
//! until it is looked at.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Commands that are not run here: the test command itself, the install, and the benches
/// (which need release builds and minutes; CI runs the test command, the benches are measured
/// by hand with the command beside each figure).
const NOT_RUN: &[&str] = &["cargo install --path .", "cargo test --release"];

/// The ```sh blocks of the README, in order.
fn sh_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(b), "```") => {
                blocks.push(std::mem::take(b));
                current = None;
            }
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

#[test]
fn every_readme_command_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shared = crate::common::shared();
    if !shared.join("texts").is_dir() {
        crate::common::missing("../shared (the README's commands read ../shared/texts)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("tei-align");
    for d in ["texts", "alignments", "editions"] {
        copy_dir(&root.join(d), &project.join(d));
    }
    std::os::unix::fs::symlink(&shared, tmp.path().join("shared")).unwrap();
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_tei-align"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let blocks = sh_blocks(&readme);
    assert!(
        blocks.len() >= 5,
        "the README has {} sh blocks",
        blocks.len()
    );
    let mut ran = 0;
    for block in &blocks {
        let mut script = String::new();
        for line in block.lines() {
            let t = line.trim();
            if NOT_RUN.iter().any(|c| t.starts_with(c)) {
                continue;
            }
            assert!(
                !t.starts_with("cargo ") || t.starts_with("cargo run --release --"),
                "a cargo command the README test does not know: {t}"
            );
            script.push_str(&line.replace("cargo run --release --", "tei-align"));
            script.push('\n');
        }
        if script.trim().is_empty() {
            continue;
        }
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .current_dir(&project)
            .env("PATH", &path)
            .env("TEI_ALIGN_EDITOR", "readme")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README block failed:\n{script}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} README blocks ran");
}
