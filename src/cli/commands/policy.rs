//! `policy write|read|list|delete|fmt`, as Vault's CLI (requests go to `sys/policies/acl`).

use crate::cli::args::{OutputFlags, PolicyCommand};
use crate::cli::input::{self, ReadError};
use crate::cli::{output, Session};
use crate::core::{Operation, Response};
use anyhow::Result;
use serde_json::{json, Map, Value};
use std::path::Path;

pub fn run(dir: Option<&Path>, cmd: PolicyCommand) -> Result<()> {
    match cmd {
        PolicyCommand::Write { out, name, path } => {
            write(&mut Session::open(dir)?, &out, &name, &path)
        }
        PolicyCommand::Read { out, name } => read(&mut Session::open(dir)?, &out, &name),
        PolicyCommand::List { out } => list(&mut Session::open(dir)?, &out),
        PolicyCommand::Delete { out, name } => delete(&mut Session::open(dir)?, &out, &name),
        PolicyCommand::Fmt { out: _, path } => fmt(&path),
    }
}

/// Vault's policy names: trimmed and lower-cased by the CLI too.
fn policy_name(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Go's text for an OS error on `op` of `path` (`open x.hcl: no such file or directory`).
fn go_io_error(op: &str, path: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let what = match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        ErrorKind::InvalidData => "invalid UTF-8".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    };
    format!("{op} {path}: {what}")
}

/// The policy text from `path` or stdin (`-`), at most Vault's request size limit. A policy
/// over the limit is a local error (exit 1, vaultjwt's own check); an I/O error exits 2, as
/// Vault.
fn read_source(path: &str) -> Result<String> {
    let (result, name) = if path == "-" {
        (
            input::read(&mut std::io::stdin(), input::REQUEST),
            "/dev/stdin",
        )
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            output::exit_error(
                output::EXIT_REQUEST,
                format!(
                    "Error opening policy file: {}",
                    go_io_error("open", path, &e)
                ),
            )
        })?;
        (input::read(&mut &file, input::REQUEST), path)
    };
    result.map_err(|e| match e {
        ReadError::TooLarge => output::local_error(&format!(
            "Error reading policy: {}",
            input::REQUEST.exceeded(&match path {
                "-" => "stdin".to_string(),
                _ => format!("file {path}"),
            })
        )),
        ReadError::Io(e) => output::exit_error(
            output::EXIT_REQUEST,
            format!("Error reading policy: {}", go_io_error("read", name, &e)),
        ),
    })
}

fn write(s: &mut Session, out: &OutputFlags, name: &str, path: &str) -> Result<()> {
    s.format(out)?;
    let name = policy_name(name);
    let rules = read_source(path.trim())?;
    let mut body = Map::new();
    body.insert("policy".into(), json!(rules));
    match s.request(Operation::Update, &format!("sys/policies/acl/{name}"), body) {
        Err(e) => Err(output::api_error("Error uploading policy", &e)),
        Ok(_) => {
            println!("Success! Uploaded policy: {name}");
            Ok(())
        }
    }
}

fn read(s: &mut Session, out: &OutputFlags, name: &str) -> Result<()> {
    let format = s.format(out)?;
    let name = policy_name(name);
    let resp = s.request(
        Operation::Read,
        &format!("sys/policies/acl/{name}"),
        Map::new(),
    );
    let rules = match resp {
        Err(e) if e.status == 404 => String::new(),
        Err(e) => {
            return Err(output::api_error(
                &format!("Error reading policy named {name}"),
                &e,
            ))
        }
        Ok(Some(Response { data: Some(d), .. })) => d
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        Ok(_) => String::new(),
    };
    if rules.is_empty() {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No policy named: {name}"),
        ));
    }
    match format {
        output::Format::Table => println!("{}", rules.trim()),
        f => print!("{}", output::render_value(&json!({ "policy": rules }), f)),
    }
    Ok(())
}

fn list(s: &mut Session, out: &OutputFlags) -> Result<()> {
    let format = s.format(out)?;
    let keys = match s.request(Operation::List, "sys/policies/acl", Map::new()) {
        Err(e) => return Err(output::api_error("Error listing policies", &e)),
        Ok(r) => r
            .and_then(|r| r.data)
            .and_then(|d| d.get("keys").cloned())
            .unwrap_or(Value::Array(Vec::new())),
    };
    match format {
        output::Format::Table => {
            if let Value::Array(items) = &keys {
                for k in items {
                    println!("{}", output::go_value(k));
                }
            }
        }
        f => print!("{}", output::render_value(&keys, f)),
    }
    Ok(())
}

fn delete(s: &mut Session, out: &OutputFlags, name: &str) -> Result<()> {
    s.format(out)?;
    let name = policy_name(name);
    match s.request(
        Operation::Delete,
        &format!("sys/policies/acl/{name}"),
        Map::new(),
    ) {
        Err(e) => Err(output::api_error(&format!("Error deleting {name}"), &e)),
        Ok(_) => {
            println!("Success! Deleted policy: {name}");
            Ok(())
        }
    }
}

/// `policy fmt`, as Vault's: every failure is a local one, exit 1.
fn fmt(path: &str) -> Result<()> {
    let path = match expand_home(path.trim()) {
        Ok(p) => p,
        Err(e) => {
            return Err(output::local_error(&format!("Failed to expand path: {e}")));
        }
    };
    let path = path.as_str();
    let raw = match input::read_file(path, input::REQUEST) {
        Ok(r) => r,
        Err(ReadError::TooLarge) => {
            return Err(output::local_error(&format!(
                "Error reading source file: {}",
                input::REQUEST.exceeded(&format!("file {path}"))
            )));
        }
        Err(ReadError::Io(e)) => {
            let op = if e.kind() == std::io::ErrorKind::IsADirectory {
                "read"
            } else {
                "open"
            };
            return Err(output::local_error(&format!(
                "Error reading source file: {}",
                go_io_error(op, path, &e)
            )));
        }
    };
    if let Err(e) = crate::policy::parse::parse(&raw) {
        return Err(output::local_error(&e.to_string()));
    }
    let formatted = match crate::policy::parse::format(&raw) {
        Ok(f) => f,
        Err(e) => {
            return Err(output::local_error(&format!("Error printing result: {e}")));
        }
    };
    if let Err(e) = std::fs::write(path, formatted) {
        return Err(output::local_error(&format!(
            "Error writing result: {}",
            go_io_error("open", path, &e)
        )));
    }
    println!("Success! Formatted policy: {path}");
    Ok(())
}

/// `~` and `~/x` as go-homedir's `Expand` reads them; `~user` is refused as there.
fn expand_home(path: &str) -> std::result::Result<String, &'static str> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(path.to_string());
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        return Err("cannot expand user-specific home dir");
    }
    let home = std::env::var("HOME").unwrap_or_default();
    Ok(format!("{home}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_style_io_errors() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            go_io_error("open", "a.hcl", &e),
            "open a.hcl: no such file or directory"
        );
        assert_eq!(policy_name(" App "), "app");
    }
}
