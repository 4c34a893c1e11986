//! One file per command family.

mod auth;
mod completion;
mod policy;
mod read_write;

// The token store's commands.
mod login;
mod token;

// Tokens themselves, the loopback issuer, the demo.
pub mod demo;
pub mod dev;
mod explain;
pub mod jwt;
// Secret engines and the kv helper.
mod kv;
mod secrets;
// The owner's way back to a root token.
mod operator;
mod status;

use super::args::{Cli, Command, Deferred};
use super::Session;
use anyhow::Result;

/// Runs a parsed command; returns the exit status.
pub fn dispatch(cli: Cli) -> Result<u8> {
    let dir = cli.data_dir.as_deref();
    match cli.command {
        Command::Completion { shell } => completion::run(shell),
        Command::Token(Deferred(cmd)) => token::run(&mut Session::open(dir)?, cmd),
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
        Command::Demo { keep } => demo::run(keep),
        Command::Secrets(Deferred(cmd)) => secrets::run(&mut Session::open(dir)?, cmd),
        Command::Kv(Deferred(cmd)) => kv::run(&mut Session::open(dir)?, cmd),
        Command::Status { out, args } => status::status(&mut Session::open(dir)?, &out, &args),
        Command::Version { args: _ } => {
            println!("{}", status::version_line());
            Ok(0)
        }
        Command::Operator(Deferred(cmd)) => operator::run(&mut Session::open(dir)?, cmd),
    }
}
