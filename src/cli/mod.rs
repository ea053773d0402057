//! Command definitions (clap derive) and dispatch; one file per command.

use clap::{Parser, Subcommand};

/// `println!` for command output: a closed pipe (`tei-align coverage … | head`) ends the command
/// quietly instead of panicking, and any other write error is returned like every other error.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            return Err(e.into());
        }
    }};
}

/// `print!` for command output, as [`outln!`].
#[allow(unused_macros)]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            return Err(e.into());
        }
    }};
}

mod align;
mod align_text;
mod check;
mod coverage;
mod edition;
mod embed;
mod embeddings;
mod export;
mod import;
mod import_alignment;
mod link;
mod merge_alignment;
mod model;
mod pipeline;
mod segment;
mod status;
mod trace;
pub mod ui;

/// Align the language layers of a TEI document sentence by sentence, with the provenance of
/// every segment.
#[derive(Debug, Parser)]
#[command(
    name = "tei-align",
    version,
    about,
    arg_required_else_help = true,
    after_help = "Exit codes: 0 success, 1 a check or threshold failed, 2 usage error, \
                  3 input or output error.\nEvery command has --help."
)]
pub struct Cli {
    /// Print nothing but the output and errors: no notes, no progress bars.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Say more on stderr: which files are read and written. Repeat for more.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Split plain text into sentences, one per line (blank line between paragraphs).
    Segment(segment::Args),
    /// Make a TEI layer from plain text, simple HTML or TEI, inserting <s xml:id>.
    Import(import::Args),
    /// Align two pre-split texts (one sentence per line) and print the beads.
    AlignText(align_text::Args),
    /// Align every layer of a work along its derivation graph; write alignments/<work>/alignment.xml.
    Align(align::Args),
    /// Show the segment holding a sentence: every layer along the chain, who made it, how sure.
    Trace(trace::Args),
    /// Report what each derived layer covers, omits, adds, merges and doubts.
    Coverage(coverage::Args),
    /// Write the TEI parallel edition and its HTML view.
    Edition(edition::Args),
    /// Confirm or create a link by hand.
    Link(link::LinkArgs),
    /// Remove a link by hand.
    Unlink(link::UnlinkArgs),
    /// Show review progress: links confirmed, automatic, doubtful.
    Status(status::Args),
    /// Check a work: pointers, ids, crossing beads, coverage per edge, graph, TEI validity.
    Check(check::Args),
    /// Export an alignment to another tool's format.
    Export(export::Args),
    /// Import an alignment from another tool's format.
    ImportAlignment(import_alignment::Args),
    /// The main job: align the works and write their editions and coverage reports.
    Run(pipeline::Args),
    /// Install the built-in sentence-embedding model, or show what is installed.
    Model(model::Args),
    /// Print sentence vectors: one sentence per line in, `.npy` or raw float32 rows out.
    Embed(embed::Args),
    /// Merge two versions of an alignment file: git's merge driver (see git-setup). Exit 1 on
    /// a conflict, with ours kept and theirs recorded.
    MergeAlignment(merge_alignment::Args),
    /// Make git merge alignment files with merge-alignment in this clone: git config and
    /// .gitattributes.
    GitSetup(merge_alignment::SetupArgs),
}

/// Check a language code given on the command line: a malformed or unregistered code is a usage
/// error (exit 2, with a suggestion: `cz` → cs); a registered code without rules of its own gets
/// a one-line note that the generic rules are used.
pub fn check_lang_arg(flag: &str, code: &str) -> anyhow::Result<()> {
    tei_align::segment::check_lang(code).map_err(|e| ui::UsageError(format!("{flag} {e}")))?;
    if let Some(n) = tei_align::segment::lang_note(code) {
        ui::note(&n);
    }
    Ok(())
}

/// True when the error is only that the reader of our standard output went away.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Run one command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    ui::set_level(cli.quiet, cli.verbose);
    match cli.command {
        Command::Segment(a) => segment::run(a),
        Command::Import(a) => import::run(a),
        Command::AlignText(a) => align_text::run(a),
        Command::Align(a) => align::run(a),
        Command::Trace(a) => trace::run(a),
        Command::Coverage(a) => coverage::run(a),
        Command::Edition(a) => edition::run(a),
        Command::Link(a) => link::run_link(a),
        Command::Unlink(a) => link::run_unlink(a),
        Command::Status(a) => status::run(a),
        Command::Check(a) => check::run(a),
        Command::Export(a) => export::run(a),
        Command::ImportAlignment(a) => import_alignment::run(a),
        Command::Run(a) => pipeline::run(a),
        Command::Model(a) => model::run(a),
        Command::Embed(a) => embed::run(a),
        Command::MergeAlignment(a) => merge_alignment::run(a),
        Command::GitSetup(a) => merge_alignment::run_setup(a),
    }
}
