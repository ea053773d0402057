//! The `tei-align` command line. The only place that prints or exits; all work is in the library.

mod cli;

use clap::Parser;
use clap::error::ErrorKind;

// The commands build and drop large trees of small allocations (a 50k-sentence work is some
// millions of nodes and strings); glibc's malloc spent a third of `link`'s time in malloc and
// free, mimalloc a fraction of it. The library leaves the allocator to its users.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        // --help, --version, and a bare `tei-align` (the whole help, exit 2).
        Err(e)
            if !e.use_stderr()
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit()
        }
        Err(e) => {
            eprintln!("tei-align: error: {} (see --help)", usage_line(&e));
            std::process::exit(2);
        }
    };
    if let Err(err) = cli::run(args) {
        if cli::is_broken_pipe(&err) {
            // The reader (e.g. `head`) has what it wanted; that is not a failure.
            std::process::exit(0);
        }
        // One line: the whole chain of causes, so the file and position are always named.
        let mut msg = err.to_string();
        for cause in err.chain().skip(1) {
            let c = cause.to_string();
            if !msg.contains(&c) {
                msg.push_str(": ");
                msg.push_str(&c);
            }
        }
        eprintln!("tei-align: error: {}", msg.replace('\n', " "));
        std::process::exit(cli::ui::exit_code(&err));
    }
}

/// One line, like every other error: clap's message (which may name the missing arguments on
/// the following lines) and its "did you mean" tip, without the usage block.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut paragraphs = text.split("\n\n");
    let mut parts: Vec<String> = Vec::new();
    if let Some(first) = paragraphs.next() {
        let lines: Vec<&str> = first
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        parts.push(lines.join(" "));
    }
    // clap's suggestions ("tip: a similar subcommand exists: 'align'") follow in their own
    // paragraph; the usage block and "For more information" do not help on one line.
    for p in paragraphs {
        let p = p.trim();
        if let Some(tip) = p.strip_prefix("tip:") {
            parts.push(tip.trim().to_owned());
        }
    }
    let msg = parts.join("; ");
    msg.strip_prefix("error: ").unwrap_or(&msg).to_owned()
}
