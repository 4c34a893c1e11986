use crate::cli::args::Cli;
use anyhow::Result;
use clap::CommandFactory;

pub fn run(shell: clap_complete::Shell) -> Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "vaultjwt", &mut std::io::stdout());
    Ok(0)
}
