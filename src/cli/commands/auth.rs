//! `auth enable|disable|list`.

use crate::cli::args::AuthCommand;
use crate::cli::{output, Session};
use crate::core::{mounts, Operation};
use anyhow::Result;
use serde_json::{Map, Value};

pub fn run(s: &mut Session, cmd: AuthCommand) -> Result<()> {
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
            let body = super::mount_enable_body(
                &kind,
                description,
                default_lease_ttl,
                max_lease_ttl,
                Map::new(),
            );
            match s.request(Operation::Update, &format!("sys/auth/{path}"), body) {
                Err(e) => Err(output::api_error(
                    &format!("Error enabling {kind} auth"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Enabled {kind} auth method at: {path}");
                    Ok(())
                }
            }
        }
        AuthCommand::Disable { out, path } => {
            s.format(&out)?;
            let path = mounts::normalize_path(&path);
            match s.request(Operation::Delete, &format!("sys/auth/{path}"), Map::new()) {
                Err(e) => Err(output::api_error(
                    &format!("Error disabling auth method at {path}"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Disabled the auth method (if it existed) at: {path}");
                    Ok(())
                }
            }
        }
        AuthCommand::Move { args } => super::secrets::move_mount(s, &args, "auth method"),
        AuthCommand::Tune {
            out,
            default_lease_ttl,
            max_lease_ttl,
            description,
            token_type,
            args,
        } => {
            s.format(&out)?;
            let mut body =
                super::secrets::tune_body(&default_lease_ttl, &max_lease_ttl, description)?;
            if let Some(t) = token_type {
                body.insert("token_type".into(), serde_json::json!(t));
            }
            let path = mounts::normalize_path(super::secrets::one_arg(&args)?);
            // As the vault CLI: through `sys/mounts/auth/PATH/tune`.
            let api = format!("sys/mounts/auth/{path}tune");
            match s.request(Operation::Update, &api, body) {
                Err(e) => Err(output::api_error(
                    &format!("Error tuning auth method {path}"),
                    &e,
                )),
                Ok(_) => {
                    println!("Success! Tuned the auth method at: {path}");
                    Ok(())
                }
            }
        }
        AuthCommand::List { out, detailed } => {
            let format = s.format(&out)?;
            let resp = match s.request(Operation::Read, "sys/auth", Map::new()) {
                Err(e) => {
                    return Err(output::api_error(
                        "Error listing enabled authentications",
                        &e,
                    ))
                }
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
    }
}

/// `auth list` as a table, as OpenBao's `simpleMounts` / `detailedMounts`.
pub fn list_table(data: &Map<String, Value>, detailed: bool) -> String {
    let header: &[&str] = if detailed {
        &[
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
            "Version",
            "Running Version",
            "Running SHA256",
            "Deprecation Status",
        ]
    } else {
        &["Path", "Type", "Accessor", "Description", "Version"]
    };
    let mut paths: Vec<&String> = data.keys().collect();
    paths.sort();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for path in paths {
        let Some(m) = data.get(path.as_str()) else {
            continue;
        };
        let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let config = |k: &str| m.get("config").and_then(|c| c.get(k)).cloned();
        if !detailed {
            rows.push(vec![
                path.clone(),
                s("type"),
                s("accessor"),
                s("description"),
                s("plugin_version"),
            ]);
            continue;
        }
        let ttl = |k: &str| match config(k).and_then(|v| v.as_i64()) {
            Some(t) if t != 0 => t.to_string(),
            _ => "system".to_string(),
        };
        let flag = |k: &str| {
            m.get(k)
                .and_then(Value::as_bool)
                .unwrap_or(false)
                .to_string()
        };
        let options = match m.get("options") {
            Some(v @ Value::Object(_)) => output::go_value(v),
            _ => "map[]".to_string(),
        };
        rows.push(vec![
            path.clone(),
            s("type"),
            s("accessor"),
            ttl("default_lease_ttl"),
            ttl("max_lease_ttl"),
            config("token_type")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            if m.get("local").and_then(Value::as_bool).unwrap_or(false) {
                "local".into()
            } else {
                "replicated".into()
            },
            flag("seal_wrap"),
            flag("external_entropy_access"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_list_is_columnized() {
        let data = json!({
            "token/": {"type": "token", "accessor": "auth_token_1", "description": "token based credentials"},
            "jwt/": {"type": "jwt", "accessor": "auth_jwt_2", "description": ""},
        });
        let t = list_table(data.as_object().unwrap(), false);
        assert_eq!(
            t,
            "Path      Type     Accessor        Description                Version\n\
             ----      ----     --------        -----------                -------\n\
             jwt/      jwt      auth_jwt_2      n/a                        n/a\n\
             token/    token    auth_token_1    token based credentials    n/a\n"
        );
        let d = list_table(data.as_object().unwrap(), true);
        assert!(d.lines().nth(2).unwrap().contains("system"), "{d}");
    }
}
