//! `read`, `write`, `list`, `delete`.

use crate::cli::args::OutputFlags;
use crate::cli::{kv_args, output, Session};
use crate::core::{Operation, Response};
use anyhow::Result;
use serde_json::Value;

/// Prints a response as `read` does (also used by `write` when there is something to show).
pub fn print_secret(s: &Session, out: &OutputFlags, resp: &Response) -> Result<u8> {
    let format = s.format(out)?;
    if let Some(field) = &out.field {
        return match output::field_value(resp, field) {
            Some(v) => {
                println!("{}", output::render_field(&v, format));
                Ok(0)
            }
            None => Ok(output::print_local_error(&format!(
                "Field \"{field}\" not present in secret"
            ))),
        };
    }
    print!("{}", output::render_secret(resp, format));
    Ok(0)
}

pub fn read(s: &mut Session, out: &OutputFlags, path: &str, data: &[String]) -> Result<u8> {
    let format = s.format(out)?;
    let body = kv_args::parse(data, &mut std::io::stdin())?;
    match s.request(Operation::Read, path, body) {
        Err(e) => Ok(output::print_api_error(
            &format!("Error reading {path}"),
            &e,
        )),
        Ok(None)
        | Ok(Some(Response {
            data: None,
            auth: None,
            ..
        })) => {
            eprintln!("No value found at {path}");
            Ok(output::EXIT_REQUEST)
        }
        Ok(Some(resp)) => {
            let _ = format;
            print_secret(s, out, &resp)
        }
    }
}

pub fn write(
    s: &mut Session,
    out: &OutputFlags,
    force: bool,
    path: &str,
    data: &[String],
) -> Result<u8> {
    s.format(out)?;
    let body = kv_args::parse(data, &mut std::io::stdin())?;
    if body.is_empty() && !force {
        eprintln!("Must supply data or use -force");
        return Ok(output::EXIT_LOCAL);
    }
    match s.request(Operation::Update, path, body) {
        Err(e) => Ok(output::print_api_error(
            &format!("Error writing data to {path}"),
            &e,
        )),
        Ok(None) => {
            println!("Success! Data written to: {path}");
            Ok(0)
        }
        Ok(Some(resp)) => {
            if resp.data.is_none() && resp.auth.is_none() && resp.warnings.is_empty() {
                println!("Success! Data written to: {path}");
                return Ok(0);
            }
            print_secret(s, out, &resp)
        }
    }
}

pub fn list(s: &mut Session, out: &OutputFlags, path: &str) -> Result<u8> {
    let format = s.format(out)?;
    let missing = || {
        eprintln!(
            "No value found at {}",
            path.trim_end_matches('/').to_string() + "/"
        );
        Ok(output::EXIT_REQUEST)
    };
    let resp = match s.request(Operation::List, path, Default::default()) {
        Err(e) => {
            return Ok(output::print_api_error(
                &format!("Error listing {path}"),
                &e,
            ))
        }
        Ok(None) => return missing(),
        Ok(Some(r)) => r,
    };
    let keys = resp.data.as_ref().and_then(|d| d.get("keys")).cloned();
    let Some(Value::Array(keys)) = keys else {
        return missing();
    };
    if keys.is_empty() {
        return missing();
    }
    match format {
        output::Format::Table => {
            let mut text = String::from("Keys\n----\n");
            for k in &keys {
                text.push_str(&output::go_value(k));
                text.push('\n');
            }
            print!("{text}");
        }
        f => print!("{}", output::render_value(&Value::Array(keys), f)),
    }
    Ok(0)
}

pub fn delete(s: &mut Session, out: &OutputFlags, path: &str, data: &[String]) -> Result<u8> {
    s.format(out)?;
    let body = kv_args::parse(data, &mut std::io::stdin())?;
    match s.request(Operation::Delete, path, body) {
        Err(e) => Ok(output::print_api_error(
            &format!("Error deleting {path}"),
            &e,
        )),
        Ok(_) => {
            println!("Success! Data deleted (if it existed) at: {path}");
            Ok(0)
        }
    }
}
