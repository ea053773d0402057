//! What the command line tells a person besides a command's output: notes and progress on
//! stderr, quietened by `-q` and widened by `-v`, and the exit code of a failure.
//!
//! Exit codes (one table, in the README): 0 success; 1 a check or a threshold failed (`check`
//! found problems, `coverage --fail-under`, `status` on a broken alignment) — the command did
//! its work and the answer is "no"; 2 a usage error (unknown option, bad value); 3 the command
//! could not do its work (a file missing, unreadable or malformed, a write that failed).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicI8, Ordering};

/// -1 quiet, 0 normal, 1+ verbose.
static LEVEL: AtomicI8 = AtomicI8::new(0);

/// Set the verbosity from `-q`/`-v` (quiet wins).
pub fn set_level(quiet: bool, verbose: u8) {
    let level = if quiet {
        -1
    } else {
        i8::try_from(verbose).unwrap_or(i8::MAX)
    };
    LEVEL.store(level, Ordering::Relaxed);
}

/// Whether notes are shown (not `-q`).
pub fn notes_on() -> bool {
    LEVEL.load(Ordering::Relaxed) >= 0
}

/// Whether to draw progress bars: stderr is a terminal and `-q` was not given (nothing on a
/// pipe or in a log file).
pub fn progress() -> bool {
    notes_on() && std::io::stderr().is_terminal()
}

/// Print a note on stderr unless `-q`.
pub fn note(msg: &str) {
    if notes_on() {
        eprintln!("note: {msg}");
    }
}

/// Print a warning on stderr (also under `-q`: a warning is about the result).
pub fn warn(msg: &str) {
    eprintln!("tei-align: warning: {msg}");
}

/// Print a detail on stderr with `-v` only.
pub fn detail(msg: &str) {
    if LEVEL.load(Ordering::Relaxed) >= 1 {
        eprintln!("{msg}");
    }
}

/// A failed check or threshold: the command did its work and the answer is "no" (exit 1), as
/// opposed to an error that kept it from doing its work (exit 3).
#[derive(Debug)]
pub struct CheckFailed(pub String);

impl std::fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckFailed {}

/// A mistake in how the command was called that clap cannot see (two options that exclude each
/// other by value, a value out of range): exit 2 like clap's own usage errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit code for an error (see the module documentation).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.chain().any(|c| c.is::<CheckFailed>()) {
        1
    } else if err.chain().any(|c| c.is::<UsageError>()) {
        2
    } else {
        3
    }
}
