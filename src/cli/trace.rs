//! The `trace` command: show the segment holding a sentence, every layer along its chain.

use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tei_align::provenance::trace;
use tei_align::tei;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sentence id (e.g. `en.s12`).
    pub sentence: String,
    /// The work directory (`texts/<work>`); its alignment is `alignments/<work>/alignment.xml`.
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// The alignment file [default: from --work, or the one under ./alignments holding the sentence].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Find the alignment file to read.
fn alignment_path(args: &Args) -> anyhow::Result<PathBuf> {
    if let Some(a) = &args.alignment {
        return Ok(a.clone());
    }
    if let Some(w) = &args.work {
        // The work id is the directory name (also for `.` or a trailing slash).
        let full = std::fs::canonicalize(w).unwrap_or_else(|_| w.clone());
        let name = full
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(Path::new("alignments").join(name).join("alignment.xml"));
    }
    // Look for the sentence in every alignment under ./alignments.
    let dir = Path::new("alignments");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| {
            format!(
                "{}: no alignments here; give --work or --alignment",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("alignment.xml"))
        .filter(|p| p.is_file())
        .collect();
    candidates.sort();
    for c in candidates {
        let a = tei::standoff::read_alignment(&c)?;
        if a.segments
            .iter()
            .any(|s| s.members.values().flatten().any(|x| *x == args.sentence))
        {
            return Ok(c);
        }
    }
    anyhow::bail!(
        "sentence \"{}\" is in no alignment under {}; give --work or --alignment",
        args.sentence,
        dir.display()
    )
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let path = alignment_path(&args)?;
    let alignment = tei::standoff::read_alignment(&path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut layers = BTreeMap::new();
    for (id, file) in &alignment.layer_files {
        let p = base.join(file);
        let layer = tei::read_layer(&p)
            .with_context(|| format!("{}: layer {id} of the alignment", path.display()))?;
        layers.insert(id.clone(), layer);
    }
    let t = trace::trace(&alignment, &layers, &args.sentence)
        .with_context(|| path.display().to_string())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&t)?);
    } else {
        print!("{}", t.to_text());
    }
    Ok(())
}
