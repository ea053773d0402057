//! The `tei-align` command line. The only place that prints or exits; all work is in the library.

mod cli;

use clap::Parser;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // One line, like every other error: clap's message (which may name the missing
            // arguments on the following lines) without the usage block and tips.
            let text = e.render().to_string();
            let msg: Vec<&str> = text
                .split("\n\n")
                .next()
                .unwrap_or("invalid arguments")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let msg = msg.join(" ");
            let msg = msg.strip_prefix("error: ").unwrap_or(&msg);
            eprintln!("tei-align: error: {msg} (see --help)");
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
        std::process::exit(1);
    }
}
