//! `jwt ...`: tools around JWTs. `jwt explain` shows why a token would pass or fail a login.

use super::explain;
use crate::cli::args::OutputFlags;
use crate::cli::Session;
use anyhow::Result;
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Run every check login runs for a role and a token, and show what login would issue
    /// (creates nothing; exit 0 when login would succeed, 2 when it would fail)
    Explain {
        #[command(flatten)]
        out: OutputFlags,
        /// Mount path of the jwt auth method
        #[arg(long, default_value = "jwt")]
        path: String,
        /// role=NAME jwt=TOKEN (key=@file and key=- read a file or stdin)
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

pub fn run(dir: Option<&Path>, cmd: JwtCommand) -> Result<u8> {
    match cmd {
        JwtCommand::Explain { out, path, args } => {
            explain::run(&mut Session::open(dir)?, &out, &path, &args)
        }
    }
}
