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
mod export;
mod import;
mod import_alignment;
mod link;
mod model;
mod pipeline;
mod segment;
mod status;
mod trace;

/// Align the language layers of a TEI document sentence by sentence, with the provenance of
/// every segment.
#[derive(Debug, Parser)]
#[command(name = "tei-align", version, about, propagate_version = true)]
pub struct Cli {
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
    }
}
