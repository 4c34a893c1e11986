//! `secrets enable|disable|list`, as OpenBao's `command/secrets_*.go`.

use crate::cli::args::SecretsCommand;
use crate::cli::{output, Session};
use crate::core::{mounts, Operation};
use anyhow::Result;
use serde_json::{json, Map, Value};

/// Vault's positional-argument count check: `Not enough arguments (expected 1, got 0)`.
pub fn one_arg(args: &[String]) -> Result<&str> {
    match args {
        [a] => Ok(a.as_str()),
        [] => Err(output::local_error(
            "Not enough arguments (expected 1, got 0)",
        )),
        more => Err(output::local_error(&format!(
            "Too many arguments (expected 1, got {})",
            more.len()
        ))),
    }
}

/// The body of a tune request (`secrets tune`, `auth tune`). The vault CLI parses the TTL
/// flags itself and sends them back as Go durations ("system" for a negative one, nothing for
/// zero).
pub fn tune_body(
    default_lease_ttl: &Option<String>,
    max_lease_ttl: &Option<String>,
    description: Option<String>,
) -> Result<Map<String, serde_json::Value>> {
    let mut body = Map::new();
    for (flag, value) in [
        ("default-lease-ttl", default_lease_ttl),
        ("max-lease-ttl", max_lease_ttl),
    ] {
        let Some(v) = value else { continue };
        let v = if v == "system" { "-1" } else { v.as_str() };
        let secs = match crate::core::fields::parse_duration(v) {
            Ok(n) => n,
            Err(e) => {
                return Err(output::local_error(&format!(
                    "invalid value {} for flag -{flag}: {e}",
                    crate::core::fields::go_quote(v)
                )))
            }
        };
        let api = match secs {
            0 => continue,
            n if n < 0 => "system".to_string(),
            n => crate::core::fields::go_duration_string(n),
        };
        body.insert(flag.replace('-', "_"), json!(api));
    }
    if let Some(d) = description {
        body.insert("description".into(), json!(d));
    }
    Ok(body)
}

pub fn run(s: &mut Session, cmd: SecretsCommand) -> Result<()> {
    match cmd {
        SecretsCommand::Enable {
            out,
            path,
            description,
            version,
            default_lease_ttl,
            max_lease_ttl,
            options,
            args,
        } => {
            s.format(&out)?;
            let kind = one_arg(&args)?.to_string();
            let path = mounts::normalize_path(path.as_deref().unwrap_or(&kind));
            let mut opts = Map::new();
            for o in &options {
                let (k, v) = o.split_once('=').unwrap_or((o.as_str(), ""));
                opts.insert(k.to_string(), json!(v));
            }
            if let Some(v) = version {
                let n: i64 = match v.trim().parse() {
                    Ok(n) => n,
                    Err(_) => {
                        return Err(output::local_error(&format!(
                            "invalid value {v:?} for flag -version: parse error"
                        )))
                    }
                };
                if n > 0 {
                    opts.insert("version".into(), json!(n.to_string()));
                }
            }
            let body = super::mount_enable_body(
                &kind,
                description,
                default_lease_ttl,
                max_lease_ttl,
                opts,
            );
            match s.request(Operation::Update, &format!("sys/mounts/{path}"), body) {
                Err(e) => Err(output::api_error("Error enabling", &e)),
                Ok(_) => {
                    println!("Success! Enabled the {kind} secrets engine at: {path}");
                    Ok(())
                }
            }
        }
        SecretsCommand::Disable { out, args } => {
            s.format(&out)?;
            let path = mounts::normalize_path(one_arg(&args)?);
            match s.request(Operation::Delete, &format!("sys/mounts/{path}"), Map::new()) {
                Err(e) => Err(output::api_error(
                    &format!("Error disabling secrets engine at {path}"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Disabled the secrets engine (if it existed) at: {path}");
                    Ok(())
                }
            }
        }
        SecretsCommand::List { out, detailed } => {
            let format = s.format(&out)?;
            let resp = match s.request(Operation::Read, "sys/mounts", Map::new()) {
                Err(e) => return Err(output::api_error("Error listing secrets engines", &e)),
                Ok(r) => r.unwrap_or_default(),
            };
            let data = resp.data.unwrap_or_default();
            if format != output::Format::Table {
                let sorted = output::sorted(&Value::Object(data));
                print!("{}", output::render_value(&sorted, format));
                return Ok(());
            }
            print!("{}", list_table(&data, detailed));
            Ok(())
        }
        SecretsCommand::Tune {
            out,
            default_lease_ttl,
            max_lease_ttl,
            description,
            args,
        } => {
            s.format(&out)?;
            let body = tune_body(&default_lease_ttl, &max_lease_ttl, description)?;
            let path = mounts::normalize_path(one_arg(&args)?);
            match s.request(Operation::Update, &format!("sys/mounts/{path}tune"), body) {
                Err(e) => Err(output::api_error(
                    &format!("Error tuning secrets engine {path}"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Tuned the secrets engine at: {path}");
                    Ok(())
                }
            }
        }
        SecretsCommand::Move { args } => move_mount(s, &args, "secrets engine"),
    }
}

/// `secrets move` and `auth move`: one `sys/remount` request; `noun` is "secrets engine" or
/// "auth method". The move is done when the request returns, so the status poll of the vault
/// CLI would find it finished at once: both of its lines are printed together.
pub fn move_mount(s: &mut Session, args: &[String], noun: &str) -> Result<()> {
    // As the vault CLI, the paths are taken as given: `auth move auth/a auth/b`.
    let (src, dst) = match args {
        [a, b] => (mounts::normalize_path(a), mounts::normalize_path(b)),
        other => {
            return Err(output::local_error(&format!(
                "{} arguments (expected 2, got {})",
                if other.len() < 2 {
                    "Not enough"
                } else {
                    "Too many"
                },
                other.len()
            )))
        }
    };
    let mut body = Map::new();
    body.insert("from".into(), json!(src));
    body.insert("to".into(), json!(dst));
    match s.request(Operation::Update, "sys/remount", body) {
        Err(e) => Err(output::api_error(
            &format!("Error moving {noun} {src} to {dst}"),
            &e,
        )),
        Ok(resp) => {
            let id = resp
                .and_then(|r| r.data)
                .and_then(|d| d.get("migration_id").cloned())
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            println!("Started moving {noun} {src} to {dst}, with migration ID {id}");
            println!("Success! Finished moving {noun} {src} to {dst}, with migration ID {id}");
            Ok(())
        }
    }
}

/// `secrets list` as a table, as OpenBao's `simpleMounts` / `detailedMounts`.
pub fn list_table(data: &Map<String, Value>, detailed: bool) -> String {
    let header: &[&str] = if detailed {
        &[
            "Path",
            "Plugin",
            "Accessor",
            "Default TTL",
            "Max TTL",
            "Force No Cache",
            "Replication",
            "Seal Wrap",
            "External Entropy Access",
            "Options",
            "Description",
            "UUID",
            "Version",
            "Running Version",
            "Running SHA256",
            "Deprecation Status",
        ]
    } else {
        &["Path", "Type", "Accessor", "Description"]
    };
    let mut paths: Vec<&String> = data.keys().collect();
    paths.sort();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for path in paths {
        let Some(m) = data.get(path.as_str()) else {
            continue;
        };
        let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if !detailed {
            rows.push(vec![
                path.clone(),
                s("type"),
                s("accessor"),
                s("description"),
            ]);
            continue;
        }
        let kind = s("type");
        let config = |k: &str| m.get("config").and_then(|c| c.get(k)).cloned();
        let ttl = |k: &str| {
            if kind == "system" || kind == "cubbyhole" {
                return "n/a".to_string();
            }
            match config(k).and_then(|v| v.as_i64()) {
                Some(t) if t != 0 => t.to_string(),
                _ => "system".to_string(),
            }
        };
        let flag = |v: Option<&Value>| v.and_then(Value::as_bool).unwrap_or(false).to_string();
        let options = match m.get("options") {
            Some(v @ Value::Object(_)) => output::go_value(v),
            _ => "map[]".to_string(),
        };
        rows.push(vec![
            path.clone(),
            kind.clone(),
            s("accessor"),
            ttl("default_lease_ttl"),
            ttl("max_lease_ttl"),
            flag(m.get("config").and_then(|c| c.get("force_no_cache"))),
            if m.get("local").and_then(Value::as_bool).unwrap_or(false) {
                "local".into()
            } else {
                "replicated".into()
            },
            flag(m.get("seal_wrap")),
            flag(m.get("external_entropy_access")),
            options,
            s("description"),
            s("uuid"),
            s("plugin_version"),
            s("running_plugin_version"),
            s("running_sha256"),
            s("deprecation_status"),
        ]);
    }
    output::table_with_header(header, &rows)
}
