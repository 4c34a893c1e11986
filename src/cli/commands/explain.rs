//! `jwt explain [-path=jwt] role=R jwt=J`: asks the mount's `explain` endpoint (the login
//! pipeline, run to the end without issuing) and prints one row per check, then the token
//! login would issue.

use crate::auth::jwt::explain::show_time;
use crate::cli::args::OutputFlags;
use crate::cli::{kv_args, output, Session};
use crate::core::{fields, Operation};
use anyhow::Result;
use serde_json::{Map, Value};

pub fn run(s: &mut Session, out: &OutputFlags, mount: &str, args: &[String]) -> Result<()> {
    let format = s.format(out)?;
    let mount = mount.trim_matches('/').to_string();
    let data = kv_args::parse_login(args, &mut std::io::stdin())?;
    let path = format!("auth/{mount}/explain");
    let answer = if s.is_remote() {
        remote_explain(s, &mount, data)
    } else {
        s.request_extension(Operation::Update, &path, data)
    };
    let resp = match answer {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => {
            return Err(output::api_error(
                &format!("Error writing data to {path}"),
                &e,
            ))
        }
    };
    let data = resp.data.clone().unwrap_or_default();
    let failed = !data.get("error").is_none_or(Value::is_null);
    // A refused login: the report is printed, then the command exits 2.
    let done = || match failed {
        true => Err(output::Failure::Silent(output::EXIT_REQUEST).into()),
        false => Ok(()),
    };
    if let Some(field) = &out.field {
        return match data.get(field) {
            Some(v) => {
                output::print_raw(&output::render_field(v, format));
                done()
            }
            None => Err(output::local_error(&format!(
                "Field {} not present in secret",
                fields::go_quote(field)
            ))),
        };
    }
    if format != output::Format::Table {
        if !resp.warnings.is_empty() {
            eprint!("{}", output::warnings_text(&resp.warnings));
        }
        print!("{}", output::render_value(&Value::Object(data), format));
        return done();
    }
    if !resp.warnings.is_empty() {
        eprint!("{}", output::warnings_text(&resp.warnings));
    }
    print!("{}", render_table(&mount, &data, output::terminal_width()));
    done()
}

/// `jwt explain -address=URL`: the mount's config and the role are read from the server (read
/// capability only), written into a scratch local engine in memory, and the login pipeline
/// runs there, fetching keys as the server would. Nothing is created on the server: no
/// entity, alias, token or login in its audit log.
fn remote_explain(
    s: &mut Session,
    mount: &str,
    data: Map<String, Value>,
) -> std::result::Result<Option<crate::core::Response>, crate::core::Error> {
    use crate::core::{Core, Error, Request};
    let needs = |path: &str, e: Error| -> Error {
        if e.status == 403 {
            Error::new(
                403,
                format!(
                    "permission denied: jwt explain needs the \"read\" capability on \"{path}\""
                ),
            )
        } else {
            e
        }
    };
    let config_path = format!("auth/{mount}/config");
    let config = s
        .request(Operation::Read, &config_path, Map::new())
        .map_err(|e| needs(&config_path, e))?
        .and_then(|r| r.data);
    let role_name = data
        .get("role")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .or_else(|| {
            config
                .as_ref()
                .and_then(|c| c.get("default_role"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default()
        .to_lowercase();
    let role = if role_name.is_empty() {
        None
    } else {
        let role_path = format!("auth/{mount}/role/{role_name}");
        s.request(Operation::Read, &role_path, Map::new())
            .map_err(|e| needs(&role_path, e))?
            .and_then(|r| r.data)
    };
    // The mount's TTL limits, when the caller may read them (else the defaults).
    let tune = s
        .request(
            Operation::Read,
            &format!("sys/auth/{mount}/tune"),
            Map::new(),
        )
        .ok()
        .flatten()
        .and_then(|r| r.data);
    // The server's clock, for the time checks.
    let server_time = s
        .request(Operation::Read, "sys/health", Map::new())
        .ok()
        .flatten()
        .and_then(|r| r.data)
        .and_then(|d| d.get("server_time_utc").and_then(Value::as_i64));

    let storage = crate::storage::MemoryStorage::default();
    let mut core = Core::new(Box::new(storage), s.settings().clone());
    let root = core.initialize()?.unwrap_or_default();
    let mut local = |op: Operation, path: &str, body: Map<String, Value>| {
        core.handle(
            Request::new(op, path)
                .with_data(body)
                .with_token(Some(root.clone())),
        )
    };
    let mut enable = Map::new();
    enable.insert("type".into(), Value::from("jwt"));
    local(Operation::Update, &format!("sys/auth/{mount}"), enable)?;
    if let Some(t) = tune {
        let mut body = Map::new();
        for k in ["default_lease_ttl", "max_lease_ttl", "token_type"] {
            if let Some(v) = t.get(k) {
                body.insert(k.into(), v.clone());
            }
        }
        let _ = local(Operation::Update, &format!("sys/auth/{mount}/tune"), body);
    }
    let mut warnings = vec![format!(
        "explained by vaultjwt against the config and role read from {}: the keys were fetched by this machine (the server may hold other cached keys), and the server's entities and groups were not consulted",
        match &s.engine {
            crate::cli::Engine::Remote(c) => c.address().to_string(),
            crate::cli::Engine::Local(_) => String::new(),
        }
    )];
    if let Some(mut c) = config {
        c.remove("status");
        // The secret is never readable; a placeholder keeps the client id valid.
        if c.get("oidc_client_id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.is_empty())
        {
            c.insert("oidc_client_secret".into(), Value::from("(not readable)"));
        }
        let out = local(Operation::Update, &config_path, c).map_err(|e| {
            Error::new(
                e.status,
                format!("the server's config cannot be used here: {}", e.message()),
            )
        })?;
        warnings.extend(out.map(|r| r.warnings).unwrap_or_default());
    }
    if let Some(r) = role {
        local(
            Operation::Update,
            &format!("auth/{mount}/role/{role_name}"),
            r,
        )
        .map_err(|e| {
            Error::new(
                e.status,
                format!("the server's role cannot be used here: {}", e.message()),
            )
        })?;
    }
    if let Some(t) = server_time {
        let skew = t - crate::core::now();
        if skew.abs() > 5 {
            warnings.push(format!(
                "this machine's clock differs from the server's by {skew}s: time checks near a boundary may get another verdict there"
            ));
        }
    }
    let mut req = Request::new(Operation::Update, format!("auth/{mount}/explain"))
        .with_data(data)
        .with_token(Some(root.clone()));
    req.extension = true;
    let mut resp = core.handle(req)?;
    if let Some(r) = resp.as_mut() {
        warnings.append(&mut r.warnings);
        r.warnings = warnings;
    }
    Ok(resp)
}

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => output::go_value(other),
    }
}

/// The table form: a heading, one row per check, the verdict, then the would-be token.
/// `width`: the terminal's, to wrap the checks to (`None` when piped: one line per check).
pub fn render_table(mount: &str, data: &Map<String, Value>, width: Option<usize>) -> String {
    let now = data.get("now").and_then(Value::as_i64).unwrap_or(0);
    let mut out = String::new();
    let role = text(data.get("role"));
    out.push_str(&format!(
        "Login to auth/{mount}{}, checked at {}\n\n",
        if role.is_empty() {
            String::new()
        } else {
            format!(" as role {role:?}")
        },
        show_time(now, now)
    ));
    let rows: Vec<Vec<String>> = data
        .get("checks")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let result = match c.get("result").and_then(Value::as_str) {
                Some("pass") => "pass",
                Some("skip") => "skip",
                _ => "FAIL",
            };
            let mut hint = text(c.get("hint"));
            if result == "FAIL" {
                let err = text(c.get("error"));
                hint = if hint.is_empty() {
                    err
                } else {
                    format!("{err} -- {hint}")
                };
            }
            vec![
                text(c.get("check")),
                text(c.get("expected")),
                text(c.get("actual")),
                result.to_string(),
                if hint.is_empty() { "-".into() } else { hint },
            ]
        })
        .collect();
    out.push_str(&output::table_fitted(
        &["Check", "Expected", "Actual", "Result", "Error / hint"],
        &rows,
        width,
    ));
    out.push('\n');
    let error = text(data.get("error"));
    if !error.is_empty() {
        out.push_str(&format!("Login would FAIL: {error}\n"));
        return out;
    }
    out.push_str("Login would succeed. It would issue (nothing was created):\n\n");
    let Some(w) = data.get("would_issue").and_then(Value::as_object) else {
        return out;
    };
    let list = |k: &str| output::go_value(w.get(k).unwrap_or(&Value::Null));
    let secs = |k: &str| {
        let n = w.get(k).and_then(Value::as_i64).unwrap_or(0);
        fields::human_duration(n)
    };
    let alias = w.get("alias").and_then(Value::as_object);
    let alias_name = alias.map(|a| text(a.get("name"))).unwrap_or_default();
    let alias_meta = alias
        .and_then(|a| a.get("metadata"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", text(Some(v))))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let entity = match w.get("entity").and_then(Value::as_object) {
        Some(e) => format!("{} ({})", text(e.get("name")), text(e.get("id"))),
        None if w.get("new_entity") == Some(&Value::Bool(true)) => {
            "a new entity (created at login)".into()
        }
        None => String::new(),
    };
    let mut rows = vec![
        ("policies".to_string(), list("policies")),
        ("token_policies".into(), list("token_policies")),
        ("identity_policies".into(), list("identity_policies")),
        ("ttl".into(), secs("ttl")),
        ("token_type".into(), text(w.get("token_type"))),
        ("display_name".into(), text(w.get("display_name"))),
        ("entity".into(), entity),
        ("alias".into(), alias_name),
        ("alias metadata".into(), alias_meta),
        ("groups joined".into(), list("groups_joined")),
    ];
    let groups = list("groups");
    if groups != list("groups_joined") {
        rows.push(("groups (already a member)".into(), groups));
    }
    if w.get("groups_left")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        rows.push(("groups left".into(), list("groups_left")));
    }
    for (k, label) in [
        ("period", "period"),
        ("max_ttl", "max_ttl"),
        ("explicit_max_ttl", "explicit_max_ttl"),
    ] {
        if w.get(k).and_then(Value::as_i64).unwrap_or(0) > 0 {
            rows.push((label.into(), secs(k)));
        }
    }
    if w.get("num_uses").and_then(Value::as_i64).unwrap_or(0) > 0 {
        rows.push(("num_uses".into(), text(w.get("num_uses"))));
    }
    if w.get("bound_cidrs")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        rows.push(("bound_cidrs".into(), list("bound_cidrs")));
    }
    out.push_str(&output::table(&rows, ("Key", "Value")));
    out
}
