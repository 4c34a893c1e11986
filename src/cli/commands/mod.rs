//! One file per command family.

mod auth;
pub(crate) mod completion;
mod policy;
mod read_write;

// The token store's commands.
mod login;
mod oidc_login;
mod token;

// Tokens themselves, the loopback issuer, the demo.
pub mod demo;
pub mod dev;
mod explain;
pub mod jwt;
// Secret engines and the kv helper.
mod kv;
pub mod lease;
mod secrets;
mod sync;
// The owner's way back to a root token.
mod operator;
mod status;

use super::args::{Cli, Command, Deferred};
use super::Session;
use anyhow::Result;

/// Runs a parsed command. A failure is an error (an [`output::Failure`](crate::cli::output::Failure)
/// for the ones with Vault's words or their own exit code), printed once by `cli::print_error`.
pub fn dispatch(cli: Cli) -> Result<()> {
    let dir = cli.data_dir.as_deref();
    crate::cli::set_http_flags(cli.http.clone());
    match cli.command {
        Command::Completion { shell } => completion::run(shell),
        Command::Token(Deferred(cmd)) => token::run(&mut Session::open(dir)?, cmd),
        Command::Lease(Deferred(cmd)) => lease::run(&mut Session::open(dir)?, cmd),
        Command::Login {
            out,
            method,
            path,
            no_store,
            token_only,
            no_print,
            args,
            jwt,
            role,
        } => login::run(
            &mut Session::open(dir)?,
            &out,
            login::Flags {
                method,
                path,
                no_store,
                token_only,
                no_print,
                jwt,
                role,
            },
            &args,
        ),
        Command::PathHelp { out, path } => {
            read_write::path_help(&mut Session::open(dir)?, &out, &path)
        }
        Command::Read { out, path, data } => {
            read_write::read(&mut Session::open(dir)?, &out, &path, &data)
        }
        Command::Write {
            out,
            force,
            path,
            data,
        } => read_write::write(&mut Session::open(dir)?, &out, force, &path, &data),
        Command::List { out, path } => read_write::list(&mut Session::open(dir)?, &out, &path),
        Command::Delete { out, path, data } => {
            read_write::delete(&mut Session::open(dir)?, &out, &path, &data)
        }
        Command::Auth(Deferred(cmd)) => auth::run(&mut Session::open(dir)?, cmd),
        Command::Policy(Deferred(cmd)) => policy::run(dir, cmd),
        Command::Jwt(Deferred(cmd)) => jwt::run(dir, cmd),
        Command::Dev(Deferred(cmd)) => dev::run(dir, cmd),
        Command::Demo { keep, database } => demo::run(keep, database.as_deref()),
        Command::Print { what: _ } => {
            // `print token`: the token requests are made with (VAULTJWT_TOKEN, else the
            // token helper, per address in remote mode), as `vault print token`.
            let s = Session::open(dir)?;
            println!("{}", s.token.unwrap_or_default());
            Ok(())
        }
        Command::Pull { paths, home, force } => sync::pull(home.as_deref().or(dir), &paths, force),
        Command::Plan { paths, prune } => sync::plan(dir, &paths, prune, None),
        Command::Apply {
            paths,
            prune,
            auto_approve,
        } => sync::plan(dir, &paths, prune, Some(auto_approve)),
        Command::Secrets(Deferred(cmd)) => secrets::run(&mut Session::open(dir)?, cmd),
        Command::Kv(Deferred(cmd)) => kv::run(&mut Session::open(dir)?, cmd),
        Command::Status { out, args } => status::status(&mut Session::open(dir)?, &out, &args),
        Command::Version { args: _ } => {
            println!("{}", status::version_line());
            Ok(())
        }
        Command::Operator(Deferred(cmd)) => operator::run(&mut Session::open(dir)?, cmd),
    }
}

/// The body the vault CLI sends to enable a mount (`api.EnableAuthOptions` /
/// `api.MountInput`, every field present): `sys/auth/<path>` and `sys/mounts/<path>` answer a
/// remote server exactly as they answer bao's CLI.
pub(crate) fn mount_enable_body(
    kind: &str,
    description: Option<String>,
    default_lease_ttl: Option<String>,
    max_lease_ttl: Option<String>,
    options: serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{json, Value};
    // The CLI's duration flags, sent as Go's `time.Duration` text.
    let ttl = |t: Option<String>| match t {
        None => json!("0s"),
        Some(t) => match crate::core::fields::parse_duration(&t) {
            Ok(secs) => json!(crate::core::fields::go_duration_string(secs)),
            Err(_) => json!(t),
        },
    };
    let mut body = serde_json::Map::new();
    body.insert("type".into(), json!(kind));
    body.insert("description".into(), json!(description.unwrap_or_default()));
    body.insert(
        "config".into(),
        json!({
            "options": null,
            "default_lease_ttl": ttl(default_lease_ttl),
            "max_lease_ttl": ttl(max_lease_ttl),
            "force_no_cache": false,
        }),
    );
    body.insert("local".into(), json!(false));
    body.insert("seal_wrap".into(), json!(false));
    body.insert("external_entropy_access".into(), json!(false));
    body.insert(
        "options".into(),
        if options.is_empty() {
            Value::Null
        } else {
            Value::Object(options)
        },
    );
    body
}
