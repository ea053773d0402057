//! The `check` command.

use std::path::PathBuf;
use tei_align::check::{CheckOptions, check, find_in_path, find_schema};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// Do not run jing (TEI validation), even when it is installed.
    #[arg(long)]
    pub no_jing: bool,
    /// The TEI schema (tei_all.rng) [default: $TEI_ALIGN_SCHEMA, else shared/schema/ beside
    /// the project].
    #[arg(long, value_name = "RNG")]
    pub schema: Option<PathBuf>,
    /// Print the result as JSON (`ok`, `problems` with file, line and message, `notes`).
    #[arg(long)]
    pub json: bool,
}

/// Run the command: one line per problem on stdout, non-zero exit if there is any.
pub fn run(args: Args) -> anyhow::Result<()> {
    let tei_align::project::Opened {
        work,
        path,
        alignment: al,
        ..
    } = tei_align::project::WorkRef::resolve(&args.work, args.alignment.as_deref())?.open()?;
    let opts = CheckOptions {
        jing: (!args.no_jing).then(|| find_in_path("jing")).flatten(),
        schema: find_schema(args.schema.as_deref(), &args.work)?,
    };
    let rep = check(&work, &al, &path, &opts);
    if args.json {
        let problems: Vec<_> = rep
            .problems
            .iter()
            .map(|p| serde_json::json!({"file": p.file, "line": p.line, "message": p.message}))
            .collect();
        let v = serde_json::json!({
            "ok": rep.is_ok(),
            "alignment": path,
            "layers": work.layers.len(),
            "problems": problems,
            "warnings": rep.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "notes": rep.notes,
        });
        outln!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for p in &rep.problems {
            outln!("{p}");
        }
        for w in &rep.warnings {
            eprintln!("warning: {w}");
        }
        for n in &rep.notes {
            super::ui::note(n);
        }
    }
    if !rep.is_ok() {
        return Err(super::ui::CheckFailed(format!(
            "{} problem(s) found in {}",
            rep.problems.len(),
            args.work.display()
        ))
        .into());
    }
    if super::ui::notes_on() && !args.json {
        eprintln!(
            "ok: {} layers and {} checked",
            work.layers.len(),
            path.display()
        );
    }
    Ok(())
}
