//! The `tei-align` command line. The only place that prints or exits; all work is in the library.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    if let Err(err) = cli::run(args) {
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
