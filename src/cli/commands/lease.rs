//! `lease lookup|renew|revoke`, as `bao lease ...`: requests to `sys/leases/*`.

use super::read_write::print_secret;
use crate::cli::args::OutputFlags;
use crate::cli::{output, Session};
use crate::core::Operation;
use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Map};

#[derive(Debug, Subcommand)]
pub enum LeaseCommand {
    /// Look up a lease: its path, issue and expire times, TTL
    Lookup {
        #[command(flatten)]
        out: OutputFlags,
        /// ID
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Renew a lease (its secret engine may cap the TTL)
    Renew {
        #[command(flatten)]
        out: OutputFlags,
        /// Requested TTL of the lease
        #[arg(long, allow_hyphen_values = true)]
        increment: Option<String>,
        /// ID
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Revoke a lease (and its secret), or every lease under a prefix
    Revoke {
        #[command(flatten)]
        out: OutputFlags,
        /// Treat the ID as a prefix: revoke every lease under it
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        prefix: bool,
        /// Remove the leases even when revoking their secrets fails (needs -prefix)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        force: bool,
        /// Wait for the revocation (vaultjwt always does)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        sync: bool,
        /// ID
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The one ID argument, with the CLI's complaints (`missing`: what no argument says;
/// `expected`: the count the too-many message names, `1-2` for renew as bao says).
fn one_arg(args: &[String], missing: &str, expected: &str) -> Result<String> {
    match args {
        [id] => Ok(id.trim().to_string()),
        [] => Err(output::local_error(missing)),
        _ => Err(output::local_error(&format!(
            "Too many arguments (expected {expected}, got {})",
            args.len()
        ))),
    }
}

const MISSING_ID: &str = "Missing ID!";

pub fn run(s: &mut Session, cmd: LeaseCommand) -> Result<()> {
    match cmd {
        LeaseCommand::Lookup { out, args } => {
            s.format(&out)?;
            let id = one_arg(&args, MISSING_ID, "1")?;
            let mut body = Map::new();
            body.insert("lease_id".into(), json!(id));
            match s.request(Operation::Update, "sys/leases/lookup", body) {
                Err(e) => Err(output::api_error(
                    &format!("error looking up lease id {id}"),
                    &e,
                )),
                Ok(resp) => print_secret(s, &out, &resp.unwrap_or_default()),
            }
        }
        LeaseCommand::Renew {
            out,
            increment,
            args,
        } => {
            s.format(&out)?;
            let id = one_arg(&args, MISSING_ID, "1-2")?;
            let mut body = Map::new();
            body.insert("lease_id".into(), json!(id));
            if let Some(i) = increment.filter(|v| !v.is_empty()) {
                match crate::token::parse_duration(&i) {
                    Ok(secs) => {
                        body.insert("increment".into(), json!(secs));
                    }
                    Err(e) => {
                        return Err(output::local_error(&format!(
                            "invalid value {i:?} for flag -increment: {e}"
                        )))
                    }
                }
            }
            match s.request(Operation::Update, "sys/leases/renew", body) {
                Err(e) => Err(output::api_error(&format!("Error renewing {id}"), &e)),
                Ok(resp) => print_secret(s, &out, &resp.unwrap_or_default()),
            }
        }
        LeaseCommand::Revoke {
            out,
            prefix,
            force,
            sync,
            args,
        } => {
            s.format(&out)?;
            let id = one_arg(&args, "Not enough arguments (expected 1, got 0)", "1")?;
            if force && !prefix {
                return Err(output::local_error(
                    "Specifying -force requires also specifying -prefix",
                ));
            }
            let mut body = Map::new();
            if force {
                eprintln!(
                    "Warning! Force-removing leases can cause OpenBao to become out of sync with\nsecret engines!"
                );
                let path = format!("sys/leases/revoke-force/{id}");
                return match s.request(Operation::Update, &path, body) {
                    Err(e) => Err(output::api_error(
                        &format!("Error force revoking leases with prefix {id}"),
                        &e,
                    )),
                    Ok(_) => {
                        println!("Success! Force revoked any leases with prefix: {id}");
                        Ok(())
                    }
                };
            }
            body.insert("sync".into(), json!(sync));
            let (path, headline, done) = if prefix {
                (
                    format!("sys/leases/revoke-prefix/{id}"),
                    format!("Error revoking leases with prefix {id}"),
                    format!("Success! Revoked any leases with prefix: {id}"),
                )
            } else {
                body.insert("lease_id".into(), json!(id));
                (
                    "sys/leases/revoke".to_string(),
                    format!("Error revoking lease {id}"),
                    format!("Success! Revoked lease: {id}"),
                )
            };
            match s.request(Operation::Update, &path, body) {
                Err(e) => Err(output::api_error(&headline, &e)),
                Ok(_) if sync => {
                    println!("{done}");
                    Ok(())
                }
                Ok(_) => {
                    println!("All revocation operations queued successfully!");
                    Ok(())
                }
            }
        }
    }
}
