//! `read`, `write`, `list`, `delete`, as OpenBao's `command/{read,write,list,delete}.go`.

use crate::cli::args::OutputFlags;
use crate::cli::{kv_args, output, Session};
use crate::core::{Operation, Response};
use anyhow::Result;
use serde_json::{Map, Value};

/// Vault's `sanitizePath`: surrounding spaces and leading/trailing slashes removed.
pub fn sanitize_path(p: &str) -> String {
    p.trim().trim_matches('/').to_string()
}

/// Prints a response as `read` does: for the other command modules.
#[allow(dead_code)]
pub fn print_secret(s: &Session, out: &OutputFlags, resp: &Response) -> Result<()> {
    let format = s.format(out)?;
    output::print_response(resp, format, out.field.as_deref())
}

/// Parses `key=value` arguments for a request to `path`; on failure a local error,
/// `Failed to parse K=V data: ...`.
fn parse_data(path: &str, data: &[String]) -> Result<Map<String, Value>> {
    let parse = if kv_args::is_login_path(path) {
        kv_args::parse_login
    } else {
        kv_args::parse
    };
    parse(data, &mut std::io::stdin()).map_err(|e| output::local_error(&format!("{e:#}")))
}

/// True when a response carries nothing Vault's HTTP layer would send (a 204).
fn is_empty(resp: &Response) -> bool {
    resp.data.as_ref().is_none_or(Map::is_empty)
        && resp.auth.is_none()
        && resp.warnings.is_empty()
        && resp.lease_duration == 0
}

/// `path-help PATH`: the help text of the path, from its declaration.
pub fn path_help(s: &mut Session, out: &OutputFlags, path: &str) -> Result<()> {
    s.format(out)?;
    let path = sanitize_path(path);
    match s.help(&path) {
        Ok(Some(text)) => {
            println!("{text}");
            Ok(())
        }
        Ok(None) => Err(output::local_error(&format!(
            "vaultjwt has no help for {path}: path-help covers the paths of jwt auth mounts and database engines"
        ))),
        Err(e) => Err(output::api_error("Error retrieving help", &e)),
    }
}

pub fn read(s: &mut Session, out: &OutputFlags, path: &str, data: &[String]) -> Result<()> {
    let format = s.format(out)?;
    let path = sanitize_path(path);
    let body = parse_data(&path, data)?;
    match s.request(Operation::Read, &path, body) {
        // The API client turns any 404 on a read into "no secret" (api.Logical.ReadWithData).
        Err(e) if e.status == 404 => Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {path}"),
        )),
        Err(e) => Err(output::api_error(&format!("Error reading {path}"), &e)),
        Ok(None) => Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {path}"),
        )),
        Ok(Some(Response {
            data: None,
            auth: None,
            ref warnings,
            ..
        })) if warnings.is_empty() => Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {path}"),
        )),
        Ok(Some(resp)) => output::print_response(&resp, format, out.field.as_deref()),
    }
}

pub fn write(
    s: &mut Session,
    out: &OutputFlags,
    force: bool,
    path: &str,
    data: &[String],
) -> Result<()> {
    let format = s.format(out)?;
    if data.is_empty() && !force {
        return Err(output::local_error("Must supply data or use -force"));
    }
    let path = sanitize_path(path);
    let body = parse_data(&path, data)?;
    match s.request(Operation::Update, &path, body) {
        Err(e) => Err(output::api_error(
            &format!("Error writing data to {path}"),
            &e,
        )),
        // A KV v2 path that is not an API path: a 404 carrying a warning.
        Ok(Some(resp)) if resp.status >= 400 => Err(output::status_error(
            &format!("Error writing data to {path}"),
            &resp,
        )),
        Ok(resp) => match resp.filter(|r| !is_empty(r)) {
            None => {
                // Vault prints nothing unless the format is table.
                if format == output::Format::Table {
                    println!("Success! Data written to: {path}");
                }
                Ok(())
            }
            Some(resp) => output::print_response(&resp, format, out.field.as_deref()),
        },
    }
}

pub fn list(s: &mut Session, out: &OutputFlags, path: &str) -> Result<()> {
    let format = s.format(out)?;
    let path = sanitize_path(path);
    let resp = match s.request(Operation::List, &path, Map::new()) {
        // As on a read, the API client treats a 404 as "nothing here".
        Err(e) if e.status == 404 => None,
        Err(e) => return Err(output::api_error(&format!("Error listing {path}"), &e)),
        Ok(r) => r,
    };
    // An empty list is Vault's 404: no secret at all.
    let resp = resp.filter(|r| {
        !matches!(r.data.as_ref().and_then(|d| d.get("keys")), Some(Value::Array(k)) if k.is_empty())
    });
    let keys = resp
        .as_ref()
        .and_then(|r| r.data.as_ref())
        .and_then(|d| d.get("keys"))
        .and_then(Value::as_array)
        .cloned();
    if format != output::Format::Table && keys.is_none() {
        print!(
            "{}",
            output::render_value(&Value::Object(Map::new()), format)
        );
        return Err(output::Failure::Silent(output::EXIT_REQUEST).into());
    }
    let Some(resp) = resp else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {path}"),
        ));
    };
    if resp.data.is_none() {
        return output::print_response(&resp, format, None);
    }
    let Some(keys) = keys else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No entries found at {path}"),
        ));
    };
    match format {
        output::Format::Table => {
            output::print_warnings(&resp);
            let mut names: Vec<String> = keys.iter().map(output::go_value).collect();
            names.sort();
            let rows: Vec<Vec<String>> = names.into_iter().map(|k| vec![k]).collect();
            print!("{}", output::table_with_header(&["Keys"], &rows));
        }
        f => print!("{}", output::render_value(&Value::Array(keys), f)),
    }
    Ok(())
}

pub fn delete(s: &mut Session, out: &OutputFlags, path: &str, data: &[String]) -> Result<()> {
    let format = s.format(out)?;
    let path = sanitize_path(path);
    let body = parse_data(&path, data)?;
    match s.request(Operation::Delete, &path, body) {
        Err(e) => Err(output::api_error(&format!("Error deleting {path}"), &e)),
        Ok(Some(resp)) if resp.status >= 400 => Err(output::status_error(
            &format!("Error deleting {path}"),
            &resp,
        )),
        Ok(_) => {
            // Vault prints nothing unless the format is table, and never the response.
            if format == output::Format::Table {
                println!("Success! Data deleted (if it existed) at: {path}");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sanitized() {
        assert_eq!(sanitize_path(" /auth/jwt/role/ "), "auth/jwt/role");
        assert_eq!(sanitize_path("sys/auth"), "sys/auth");
    }
}
