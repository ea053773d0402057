//! The `align` command: align every layer of a work along its derivation graph and write
//! `alignments/<work>/alignment.xml`.

use std::path::PathBuf;
use tei_align::provenance::{self, WorkOptions};
use tei_align::tei;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (`texts/<work>`), one TEI file per layer.
    pub work: PathBuf,
    /// The alignment file to write [default: alignments/<work>/alignment.xml].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Date recorded in the new <change> when the alignment changed (ISO 8601) [default: today].
    #[arg(long)]
    pub when: Option<String>,
    /// Fail (instead of warning) when a confirmed link points at a sentence that no longer exists.
    #[arg(long)]
    pub strict: bool,
    /// Ignore an existing alignment file, including its confirmed links and history.
    #[arg(long)]
    pub fresh: bool,
    /// Re-align every automatic link (e.g. after an aligner upgrade); by default only the
    /// neighbourhood of an edit of the texts is re-aligned. Confirmed links are kept either way.
    #[arg(long, conflicts_with = "fresh")]
    pub full: bool,
}

/// Accept `YYYY`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[Z|±hh:mm]`: what TEI's `@when` takes.
fn valid_when(w: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date = |d: &str| {
        let p: Vec<&str> = d.split('-').collect();
        p.len() == 3
            && p[0].len() == 4
            && p[1].len() == 2
            && p[2].len() == 2
            && p.iter().all(|x| digits(x))
    };
    match w.split_once('T') {
        None => (w.len() == 4 && digits(w)) || date(w),
        Some((d, t)) => {
            let t = t.trim_end_matches('Z');
            let t = t.split(['+', '-']).next().unwrap_or("");
            date(d)
                && t.split(':').count() == 3
                && t.split(':')
                    .all(|x| digits(x.split('.').next().unwrap_or("")))
        }
    }
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(w) = &args.when
        && !valid_when(w)
    {
        anyhow::bail!("--when {w}: not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)");
    }
    let work = tei::read_work(&args.work)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("alignments")
            .join(&work.id)
            .join("alignment.xml")
    });
    refuse_work_dir(&out, &work.dir)?;
    super::ui::detail(&format!(
        "work {} ({}): {} layer(s); alignment {}",
        work.id,
        work.dir.display(),
        work.layers.len(),
        out.display()
    ));
    let opts = WorkOptions {
        when: args.when.clone(),
        strict: args.strict,
        progress: super::ui::progress(),
        full: args.full,
    };
    let done = provenance::align_to_file(&work, &out, &opts, args.fresh)?;
    for w in &done.report.warnings {
        eprintln!("tei-align: warning: {}: {w}", out.display());
    }
    let a = &done.report.alignment;
    let same_bytes = !done.written;
    let links: usize = a.edges.iter().map(|e| e.links.len()).sum();
    let unaligned: usize = a.edges.iter().map(|e| e.unaligned.len()).sum();
    outln!(
        "{}: {} layer(s), {} edge(s), {links} link(s), {unaligned} unaligned, {} segment(s){}",
        out.display(),
        work.layers.len(),
        a.edges.len(),
        a.segments.len(),
        if same_bytes { " (unchanged)" } else { "" }
    );
    Ok(())
}

/// Refuse an output inside the work directory: it would overwrite a layer (the user's text), or
/// be taken for a layer by the next command that reads the work.
fn refuse_work_dir(out: &std::path::Path, work_dir: &std::path::Path) -> anyhow::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if let (Ok(a), Ok(b)) = (parent.canonicalize(), work_dir.canonicalize())
        && a == b
    {
        anyhow::bail!(
            "{}: refusing to write the alignment into the work directory {} (it holds the layers); alignments go to alignments/<work>/alignment.xml",
            out.display(),
            work_dir.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn when_formats() {
        for ok in [
            "2026",
            "2026-11-25",
            "2026-11-25T10:00:00Z",
            "2026-11-25T10:00:00+01:00",
        ] {
            assert!(super::valid_when(ok), "{ok}");
        }
        for bad in ["", "yesterday", "2026-1-5", "25.11.2026", "2026-11-25T10"] {
            assert!(!super::valid_when(bad), "{bad}");
        }
    }
}
