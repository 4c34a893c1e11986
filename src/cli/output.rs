//! The only place that turns responses and errors into text: Vault's table, JSON and YAML
//! output, `-field`, the error shapes, and exit codes (0 ok, 1 local/usage, 2 request error).

use crate::core::{fields, Auth, Error, Response};
use serde_json::{json, Map, Value};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "table" | "" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            other => Err(format!("Invalid output format: {other}")),
        }
    }
}

/// Exit status of a request error.
pub const EXIT_REQUEST: u8 = 2;
/// Exit status of a local or usage error.
pub const EXIT_LOCAL: u8 = 1;

/// Prints a request error in Vault's shape; returns the exit status.
pub fn print_api_error(headline: &str, err: &Error) -> u8 {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{headline}: Error making API request.\n");
    let _ = writeln!(e, "Code: {}. Errors:\n", err.status);
    for m in &err.errors {
        let _ = writeln!(e, "* {m}");
    }
    EXIT_REQUEST
}

/// Prints a local error (`Error: ...` style is the caller's choice); returns exit status 1.
pub fn print_local_error(msg: &str) -> u8 {
    eprintln!("{msg}");
    EXIT_LOCAL
}

/// Vault's API secret shape (`api.Secret`) of a response.
pub fn secret_json(resp: &Response) -> Value {
    let mut out = Map::new();
    out.insert("request_id".into(), json!(uuid::Uuid::new_v4().to_string()));
    out.insert("lease_id".into(), json!(resp.lease_id));
    out.insert("lease_duration".into(), json!(resp.lease_duration));
    out.insert("renewable".into(), json!(resp.renewable));
    out.insert(
        "data".into(),
        resp.data.clone().map(Value::Object).unwrap_or(Value::Null),
    );
    out.insert(
        "warnings".into(),
        if resp.warnings.is_empty() {
            Value::Null
        } else {
            json!(resp.warnings)
        },
    );
    if let Some(auth) = &resp.auth {
        out.insert("auth".into(), auth_json(auth));
    }
    Value::Object(out)
}

/// Vault's `api.SecretAuth` shape.
pub fn auth_json(a: &Auth) -> Value {
    json!({
        "client_token": a.client_token,
        "accessor": a.accessor,
        "policies": a.policies,
        "token_policies": a.token_policies,
        "identity_policies": if a.identity_policies.is_empty() { Value::Null } else { json!(a.identity_policies) },
        "metadata": a.metadata,
        "orphan": a.orphan,
        "entity_id": a.entity_id,
        "lease_duration": a.lease_duration,
        "renewable": a.renewable,
        "mfa_requirement": Value::Null,
    })
}

/// Go's `%v` rendering of a decoded JSON value, as Vault's table output shows values.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(go_value).collect::<Vec<_>>().join(" ")
            )
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_value(&m[k.as_str()])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

fn looks_like_ttl(k: &str) -> bool {
    k == "period" || k.ends_with("_period") || k.ends_with("ttl")
}

/// A table value: empty strings as `n/a`, TTL-like numbers as durations.
fn table_value(k: &str, v: &Value) -> String {
    if looks_like_ttl(k) {
        if let Some(secs) = v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            return fields::human_duration(secs);
        }
    }
    match v {
        Value::String(s) if s.is_empty() => "n/a".into(),
        other => go_value(other),
    }
}

/// Key/Value rows under a `Key  Value` header, columns padded as Vault's columnize does.
pub fn table(rows: &[(String, String)], header: (&str, &str)) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.len())
        .chain([header.0.len()])
        .max()
        .unwrap_or(0)
        + 4;
    let mut out = String::new();
    let dashes = |s: &str| "-".repeat(s.len());
    out.push_str(&format!("{:<width$}{}\n", header.0, header.1));
    out.push_str(&format!(
        "{:<width$}{}\n",
        dashes(header.0),
        dashes(header.1)
    ));
    for (k, v) in rows {
        out.push_str(format!("{k:<width$}{v}").trim_end());
        out.push('\n');
    }
    out
}

fn warnings_text(warnings: &[String]) -> String {
    let mut s = String::from("WARNING! The following warnings were returned from Vault:\n\n");
    for w in warnings {
        s.push_str(&format!("  * {w}\n\n"));
    }
    s
}

/// Table output of a secret: lease rows, auth rows or data rows, then warnings.
pub fn secret_table(resp: &Response) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    if resp.lease_duration > 0 {
        if !resp.lease_id.is_empty() {
            rows.push(("lease_id".into(), resp.lease_id.clone()));
        }
        rows.push((
            "lease_duration".into(),
            fields::human_duration(resp.lease_duration),
        ));
        rows.push(("lease_renewable".into(), resp.renewable.to_string()));
    }
    if let Some(a) = &resp.auth {
        rows.extend(auth_rows(a));
    }
    if let Some(data) = &resp.data {
        let mut keys: Vec<&String> = data.keys().collect();
        keys.sort();
        for k in keys {
            rows.push((k.clone(), table_value(k, &data[k.as_str()])));
        }
    }
    let mut out = String::new();
    if !resp.warnings.is_empty() {
        out.push_str(&warnings_text(&resp.warnings));
    }
    if !rows.is_empty() {
        out.push_str(&table(&rows, ("Key", "Value")));
    }
    out
}

fn go_quoted_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| fields::go_quote(s)).collect();
    format!("[{}]", q.join(" "))
}

fn auth_rows(a: &Auth) -> Vec<(String, String)> {
    let mut rows = vec![
        ("token".to_string(), a.client_token.clone()),
        ("token_accessor".to_string(), a.accessor.clone()),
        (
            "token_duration".to_string(),
            if a.lease_duration == 0 {
                "∞".into()
            } else {
                fields::human_duration(a.lease_duration)
            },
        ),
        ("token_renewable".to_string(), a.renewable.to_string()),
        (
            "token_policies".to_string(),
            go_quoted_list(&a.token_policies),
        ),
        (
            "identity_policies".to_string(),
            go_quoted_list(&a.identity_policies),
        ),
        ("policies".to_string(), go_quoted_list(&a.policies)),
    ];
    for (k, v) in &a.metadata {
        rows.push((format!("token_meta_{k}"), v.clone()));
    }
    rows
}

/// Renders any JSON value in the chosen format (used for lists and custom outputs).
pub fn render_value(v: &Value, format: Format) -> String {
    match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default()),
        Format::Yaml => serde_yaml::to_string(v).unwrap_or_default(),
        Format::Table => match v {
            Value::String(s) => format!("{s}\n"),
            other => format!("{}\n", go_value(other)),
        },
    }
}

/// Renders a whole response in the chosen format.
pub fn render_secret(resp: &Response, format: Format) -> String {
    match format {
        Format::Table => secret_table(resp),
        other => render_value(&secret_json(resp), other),
    }
}

/// The value of `-field=NAME`: from auth (`token`, `token_accessor`, ...) or data.
pub fn field_value(resp: &Response, field: &str) -> Option<Value> {
    if let Some(a) = &resp.auth {
        let v = match field {
            "token" => Some(json!(a.client_token)),
            "token_accessor" => Some(json!(a.accessor)),
            "token_duration" => Some(json!(fields::human_duration(a.lease_duration))),
            "token_renewable" => Some(json!(a.renewable)),
            "token_policies" => Some(json!(a.token_policies)),
            "identity_policies" => Some(json!(a.identity_policies)),
            "policies" => Some(json!(a.policies)),
            _ => field
                .strip_prefix("token_meta_")
                .and_then(|k| a.metadata.get(k))
                .map(|v| json!(v)),
        };
        if v.is_some() {
            return v;
        }
    }
    resp.data.as_ref().and_then(|d| d.get(field)).cloned()
}

/// Prints `-field` output: strings raw, other values in the format (table: Go `%v`).
pub fn render_field(v: &Value, format: Format) -> String {
    match (v, format) {
        (Value::String(s), _) => s.clone(),
        (other, Format::Table) => go_value(other),
        (other, f) => render_value(other, f).trim_end().to_string(),
    }
}
