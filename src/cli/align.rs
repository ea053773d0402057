//! The `align` command: align every layer of a work along its derivation graph and write
//! `alignments/<work>/alignment.xml`.

use std::path::PathBuf;
use tei_align::model::{Work, WorkAlignment};
use tei_align::project::WorkRef;
use tei_align::provenance::WorkOptions;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (`texts/<work>`), one TEI file per layer.
    pub work: PathBuf,
    /// The alignment file to write [default: alignments/<work>/alignment.xml in the project
    /// holding the work].
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
    /// When another command is editing the work, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub embed: super::embeddings::EmbedArgs,
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

/// Check `--when`.
pub fn check_when(when: Option<&str>) -> anyhow::Result<()> {
    if let Some(w) = when
        && !valid_when(w)
    {
        anyhow::bail!("--when {w}: not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)");
    }
    Ok(())
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    check_when(args.when.as_deref())?;
    let w = WorkRef::resolve(&args.work, args.out.as_deref())?;
    let work = w.read_work()?;
    align(&w, &work, &args)?;
    Ok(())
}

/// Align the work (read already) and write its alignment; print what was done. Returns the
/// alignment, for `run` to go on with.
pub fn align(w: &WorkRef, work: &Work, args: &Args) -> anyhow::Result<WorkAlignment> {
    super::ui::detail(&format!(
        "work {} ({}): {} layer(s); alignment {}",
        work.id,
        work.dir.display(),
        work.layers.len(),
        w.alignment.display()
    ));
    let opts = WorkOptions {
        when: args.when.clone(),
        strict: args.strict,
        progress: super::ui::progress(),
        full: args.full,
        embedder: args.embed.embedder()?,
    };
    let done = w.align(work, &opts, args.fresh, super::link::lock_mode(args.wait))?;
    let out = &w.alignment;
    for warning in &done.report.warnings {
        eprintln!("tei-align: warning: {}: {warning}", out.display());
    }
    let a = done.report.alignment;
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
    Ok(a)
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
