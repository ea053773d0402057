//! The `link` and `unlink` commands.

/// Arguments of `link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {}

/// Arguments of `unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {}

/// Run `link`.
pub fn run_link(_args: LinkArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}

/// Run `unlink`.
pub fn run_unlink(_args: UnlinkArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
