//! `status` and `version`: what `bao status` and `bao version` show, for a data directory.

use crate::cli::args::OutputFlags;
use crate::cli::output::{self, Format};
use crate::cli::Session;
use crate::core::request::Operation;
use crate::settings::Compat;
use anyhow::Result;
use serde_json::{json, Map, Value};

/// The OpenBao release whose answers vaultjwt gives.
pub const OPENBAO_VERSION: &str = "2.7.2";

/// `vaultjwt version`: this build and the OpenBao release it answers as.
pub fn version_line() -> String {
    format!(
        "vaultjwt v{} (answers as OpenBao v{OPENBAO_VERSION})",
        env!("CARGO_PKG_VERSION")
    )
}

/// `vaultjwt status`: `bao status` of a dev server, adapted: the data directory is the
/// server, always initialised and unsealed, stored in files.
pub fn status(s: &mut Session, out: &OutputFlags, args: &[String]) -> Result<()> {
    let format = s.format(out)?;
    if !args.is_empty() {
        return Err(output::local_error(&format!(
            "Too many arguments (expected 0, got {})",
            args.len()
        )));
    }
    if s.is_remote() {
        return remote_status(s, format);
    }
    let compat = match s.settings().compat {
        Compat::OpenBao => "openbao",
        Compat::Default => "default",
    };
    let version = format!("{} (OpenBao {OPENBAO_VERSION})", env!("CARGO_PKG_VERSION"));
    let dir = s.dir.display().to_string();
    match format {
        Format::Table => {
            let rows: Vec<(String, String)> = [
                ("Initialized", "true"),
                ("Sealed", "false"),
                ("Version", version.as_str()),
                ("Storage Type", "file"),
                ("Data Directory", dir.as_str()),
                ("Compat", compat),
                ("HA Enabled", "false"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            print!("{}", output::table(&rows, ("Key", "Value")));
        }
        f => {
            let v = json!({
                "initialized": true,
                "sealed": false,
                "version": version,
                "storage_type": "file",
                "data_directory": dir,
                "compat": compat,
                "ha_enabled": false,
            });
            print!("{}", output::render_value(&v, f));
        }
    }
    Ok(())
}

/// `status` against a server: `bao status` (Vault's `OutputSealStatus`): `sys/seal-status`
/// joined with `sys/leader`; exit 2 when the server is sealed.
fn remote_status(s: &mut Session, format: Format) -> Result<()> {
    let seal = match s.request(Operation::Read, "sys/seal-status", Map::new()) {
        Ok(r) => r.and_then(|r| r.data).unwrap_or_default(),
        Err(e) => {
            return Err(output::local_error(&format!(
                "Error checking seal status: {}",
                e.message()
            )));
        }
    };
    let leader = match s.request(Operation::Read, "sys/leader", Map::new()) {
        Ok(r) => r.and_then(|r| r.data).unwrap_or_default(),
        // A sealed HA server cannot answer for its leader.
        Err(e) if e.message().contains("Vault is sealed") => {
            let mut m = Map::new();
            m.insert("ha_enabled".into(), Value::Bool(true));
            m
        }
        Err(e) => {
            return Err(output::local_error(&format!(
                "Error checking leader status: {}",
                e.message()
            )));
        }
    };
    let v = status_output(&seal, &leader);
    match format {
        Format::Table => print!("{}", output::table(&status_rows(&v), ("Key", "Value"))),
        f => print!("{}", output::render_value(&Value::Object(v.clone()), f)),
    }
    if flag(&v, "sealed") {
        // The status is printed; a sealed server exits 2.
        return Err(output::Failure::Silent(output::EXIT_REQUEST).into());
    }
    Ok(())
}

fn flag(v: &Map<String, Value>, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn text(v: &Map<String, Value>, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(v: &Map<String, Value>, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

/// The CLI's `SealStatusOutput`: the seal status as sent, then the leader's fields (those
/// after `ha_enabled` only when set, as their `omitempty` tags have it).
fn status_output(seal: &Map<String, Value>, leader: &Map<String, Value>) -> Map<String, Value> {
    // api.SealStatusResponse's field order; what it does not know stays after.
    let mut v = Map::new();
    for k in [
        "type",
        "initialized",
        "sealed",
        "t",
        "n",
        "progress",
        "nonce",
        "version",
        "commit_date",
        "migration",
        "cluster_name",
        "cluster_id",
        "recovery_seal",
        "storage_type",
        "build_date",
    ] {
        let default = match k {
            "initialized" | "sealed" | "migration" | "recovery_seal" => Value::Bool(false),
            "t" | "n" | "progress" => Value::from(0),
            _ => Value::from(""),
        };
        v.insert(k.into(), seal.get(k).cloned().unwrap_or(default));
    }
    for (k, x) in seal {
        if !v.contains_key(k) {
            v.insert(k.clone(), x.clone());
        }
    }
    v.insert("ha_enabled".into(), Value::Bool(flag(leader, "ha_enabled")));
    for k in [
        "is_self",
        "active_time",
        "leader_address",
        "leader_cluster_address",
        "performance_standby",
        "performance_standby_last_remote_wal",
        "last_wal",
        "raft_committed_index",
        "raft_applied_index",
    ] {
        match leader.get(k) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(Value::String(s)) if s.is_empty() || s.starts_with("0001-01-01") => {}
            Some(Value::Number(n)) if n.as_u64() == Some(0) => {}
            Some(x) => {
                v.insert(k.into(), x.clone());
            }
        }
    }
    v
}

/// The table rows of `OutputSealStatusStruct`.
fn status_rows(v: &Map<String, Value>) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |k: &str, val: String| rows.push((k.to_string(), val));
    let prefix = if flag(v, "recovery_seal") {
        "Recovery "
    } else {
        ""
    };
    let sealed = flag(v, "sealed");
    row(&format!("{prefix}Seal Type"), text(v, "type"));
    row("Initialized", flag(v, "initialized").to_string());
    row("Sealed", sealed.to_string());
    row(&format!("Total {prefix}Shares"), number(v, "n").to_string());
    row("Threshold", number(v, "t").to_string());
    if sealed {
        row(
            "Unseal Progress",
            format!("{}/{}", number(v, "progress"), number(v, "t")),
        );
        row("Unseal Nonce", text(v, "nonce"));
    }
    if flag(v, "migration") {
        row("Seal Migration in Progress", "true".into());
    }
    row("Version", text(v, "version"));
    if !text(v, "commit_date").is_empty() {
        row("Commit Date", text(v, "commit_date"));
    } else {
        row("Build Date", text(v, "build_date"));
    }
    row("Storage Type", text(v, "storage_type"));
    let (name, id) = (text(v, "cluster_name"), text(v, "cluster_id"));
    if !name.is_empty() && !id.is_empty() {
        row("Cluster Name", name);
        row("Cluster ID", id);
    }
    let ha = flag(v, "ha_enabled");
    row("HA Enabled", ha.to_string());
    if ha && !sealed {
        row("HA Cluster", text(v, "leader_cluster_address"));
        let is_self = flag(v, "is_self");
        row("HA Mode", if is_self { "active" } else { "standby" }.into());
        let since = text(v, "active_time");
        if is_self && !since.is_empty() {
            row("Active Since", since);
        }
        if !is_self {
            let addr = text(v, "leader_address");
            row(
                "Active Node Address",
                if addr.is_empty() {
                    "<none>".into()
                } else {
                    addr
                },
            );
        }
    }
    for (k, label) in [
        ("raft_committed_index", "Raft Committed Index"),
        ("raft_applied_index", "Raft Applied Index"),
        ("last_wal", "Last WAL"),
    ] {
        let n = number(v, k);
        if n > 0 {
            row(label, n.to_string());
        }
    }
    rows
}
