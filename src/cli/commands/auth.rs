//! `auth enable|disable|list`.

use crate::cli::args::AuthCommand;
use crate::cli::{output, Session};
use crate::core::{mounts, Operation};
use anyhow::Result;
use serde_json::{json, Map, Value};

pub fn run(s: &mut Session, cmd: AuthCommand) -> Result<u8> {
    match cmd {
        AuthCommand::Enable {
            out,
            path,
            description,
            default_lease_ttl,
            max_lease_ttl,
            kind,
        } => {
            s.format(&out)?;
            let path = mounts::normalize_path(path.as_deref().unwrap_or(&kind));
            let mut body = Map::new();
            body.insert("type".into(), json!(kind));
            if let Some(d) = description {
                body.insert("description".into(), json!(d));
            }
            let mut config = Map::new();
            if let Some(t) = default_lease_ttl {
                config.insert("default_lease_ttl".into(), json!(t));
            }
            if let Some(t) = max_lease_ttl {
                config.insert("max_lease_ttl".into(), json!(t));
            }
            if !config.is_empty() {
                body.insert("config".into(), Value::Object(config));
            }
            match s.request(Operation::Update, &format!("sys/auth/{path}"), body) {
                Err(e) => Ok(output::print_api_error(
                    &format!("Error enabling {kind} auth"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Enabled {kind} auth method at: {path}");
                    Ok(0)
                }
            }
        }
        AuthCommand::Disable { out, path } => {
            s.format(&out)?;
            let path = mounts::normalize_path(&path);
            match s.request(Operation::Delete, &format!("sys/auth/{path}"), Map::new()) {
                Err(e) => Ok(output::print_api_error(
                    &format!("Error disabling auth method at {path}"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Disabled the auth method (if it existed) at: {path}");
                    Ok(0)
                }
            }
        }
        AuthCommand::List { out, detailed } => {
            let format = s.format(&out)?;
            let resp = match s.request(Operation::Read, "sys/auth", Map::new()) {
                Err(e) => {
                    return Ok(output::print_api_error(
                        "Error listing enabled authentications",
                        &e,
                    ))
                }
                Ok(r) => r.unwrap_or_default(),
            };
            let data = resp.data.unwrap_or_default();
            if format != output::Format::Table {
                print!("{}", output::render_value(&Value::Object(data), format));
                return Ok(0);
            }
            let mut rows: Vec<Vec<String>> = Vec::new();
            let header: Vec<&str> = if detailed {
                vec![
                    "Path",
                    "Plugin",
                    "Accessor",
                    "Default TTL",
                    "Max TTL",
                    "Token Type",
                    "Replication",
                    "Seal Wrap",
                    "External Entropy Access",
                    "Options",
                    "Description",
                    "UUID",
                ]
            } else {
                vec!["Path", "Type", "Accessor", "Description"]
            };
            for (path, m) in &data {
                let g = |k: &str| m.get(k).map(output::go_value).unwrap_or_default();
                let c = |k: &str| {
                    m.get("config")
                        .and_then(|c| c.get(k))
                        .map(output::go_value)
                        .unwrap_or_default()
                };
                let ttl = |k: &str| match c(k).as_str() {
                    "0" => "system".to_string(),
                    v => v.to_string(),
                };
                let desc = m
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                rows.push(if detailed {
                    vec![
                        path.clone(),
                        g("type"),
                        g("accessor"),
                        ttl("default_lease_ttl"),
                        ttl("max_lease_ttl"),
                        c("token_type"),
                        "replicated".into(),
                        g("seal_wrap"),
                        g("external_entropy_access"),
                        g("options"),
                        if desc.is_empty() { "n/a".into() } else { desc },
                        g("uuid"),
                    ]
                } else {
                    vec![
                        path.clone(),
                        g("type"),
                        g("accessor"),
                        if desc.is_empty() { "n/a".into() } else { desc },
                    ]
                });
            }
            print!("{}", columns(&header, &rows));
            Ok(0)
        }
    }
}

/// Columns separated by at least 4 spaces, with a dashed rule under the header.
pub fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}", w = widths[i] + 4));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push_str(&line(header.iter().map(|h| "-".repeat(h.len())).collect()));
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}
