//! `token create|lookup|renew|revoke|capabilities`.

use super::read_write::print_secret;
use crate::cli::args::{OutputFlags, TokenCommand};
use crate::cli::{output, Session};
use crate::core::{Operation, Response};
use crate::settings::Compat;
use anyhow::Result;
use serde_json::{json, Map, Value};

pub fn run(s: &mut Session, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create {
            out,
            policies,
            ttl,
            explicit_max_ttl,
            period,
            use_limit,
            orphan,
            no_default_policy,
            token_type,
            display_name,
            metadata,
            renewable,
            id,
            role,
            args,
        } => {
            s.format(&out)?;
            if !args.is_empty() {
                return Err(too_many("0", args.len()));
            }
            let mut body = Map::new();
            if let Some(id) = id.filter(|v| !v.is_empty()) {
                body.insert("id".into(), json!(id));
            }
            let policies: Vec<String> = policies
                .iter()
                .flat_map(|p| p.split(','))
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if !policies.is_empty() {
                body.insert("policies".into(), json!(policies));
            }
            if !metadata.is_empty() {
                let mut meta = Map::new();
                for kv in &metadata {
                    match kv.split_once('=') {
                        Some((k, v)) if !k.is_empty() => {
                            meta.insert(k.to_string(), json!(v));
                        }
                        _ => {
                            return Err(output::local_error(&format!(
                                "invalid value {kv:?} for flag -metadata: expected key=value"
                            )))
                        }
                    }
                }
                body.insert("meta".into(), Value::Object(meta));
            }
            for (name, v) in [
                ("ttl", ttl),
                ("explicit_max_ttl", explicit_max_ttl),
                ("period", period),
            ] {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    match crate::token::parse_duration(&v) {
                        Ok(secs) => {
                            body.insert(name.into(), json!(format!("{secs}s")));
                        }
                        Err(e) => {
                            return Err(output::local_error(&format!(
                                "invalid value {v:?} for flag -{}: {e}",
                                name.replace('_', "-")
                            )))
                        }
                    }
                }
            }
            if orphan {
                body.insert("no_parent".into(), json!(true));
            }
            if no_default_policy {
                body.insert("no_default_policy".into(), json!(true));
            }
            if let Some(dn) = display_name.filter(|v| !v.is_empty()) {
                body.insert("display_name".into(), json!(dn));
            }
            if let Some(n) = use_limit {
                match n.trim().parse::<i64>() {
                    Ok(n) => {
                        if n != 0 {
                            body.insert("num_uses".into(), json!(n));
                        }
                    }
                    Err(_) => {
                        return Err(output::local_error(&format!(
                            "invalid value {n:?} for flag -use-limit: parse error"
                        )))
                    }
                }
            }
            body.insert("renewable".into(), json!(renewable));
            if let Some(t) = token_type.filter(|v| !v.is_empty()) {
                body.insert("type".into(), json!(t));
            }
            let path = match role.filter(|r| !r.is_empty()) {
                Some(r) => format!("auth/token/create/{r}"),
                None => "auth/token/create".to_string(),
            };
            match s.request(Operation::Update, &path, body) {
                Err(e) => Err(output::api_error("Error creating token", &e)),
                Ok(resp) => print_secret(s, &out, &resp.unwrap_or_default()),
            }
        }
        TokenCommand::Lookup {
            out,
            self_,
            accessor,
            args,
        } => {
            s.format(&out)?;
            // `-self` is `token revoke`'s, and Vault users reach for it here too. OpenBao's
            // lookup has no such flag; vaultjwt's default mode takes it for what it means.
            if self_ {
                if s.settings().compat == Compat::OpenBao {
                    return Err(output::local_error("flag provided but not defined: -self"));
                }
                if accessor || !args.is_empty() {
                    return Err(output::local_error(
                        "-self looks up the current token: give no token or -accessor with it",
                    ));
                }
            }
            // As the vault CLI: a blank argument (`-accessor ""`, the accessor of a batch
            // token) looks up the calling token.
            let (op, path, body) = match (accessor, args.as_slice()) {
                (_, [t]) if t.trim().is_empty() => {
                    (Operation::Read, "auth/token/lookup-self", Map::new())
                }
                (true, [a]) => (
                    Operation::Update,
                    "auth/token/lookup-accessor",
                    one("accessor", a),
                ),
                (true, _) => {
                    return Err(output::local_error(&format!(
                        "{} arguments with -accessor (expected 1, got {})",
                        if args.is_empty() {
                            "Not enough"
                        } else {
                            "Too many"
                        },
                        args.len()
                    )))
                }
                (false, []) => (Operation::Read, "auth/token/lookup-self", Map::new()),
                (false, [t]) => (Operation::Update, "auth/token/lookup", one("token", t)),
                (false, _) => return Err(too_many("0-1", args.len())),
            };
            match s.request(op, path, body) {
                Err(e) => Err(output::api_error("Error looking up token", &e)),
                Ok(resp) => print_secret(s, &out, &resp.unwrap_or_default()),
            }
        }
        TokenCommand::Renew {
            out,
            increment,
            accessor,
            args,
        } => {
            s.format(&out)?;
            let mut body = Map::new();
            if let Some(i) = increment.filter(|v| !v.is_empty()) {
                match crate::token::parse_duration(&i) {
                    Ok(secs) => {
                        body.insert("increment".into(), json!(secs));
                    }
                    Err(e) => {
                        return Err(output::local_error(&format!(
                            "invalid value {i:?} for flag -increment: {e}"
                        )))
                    }
                }
            }
            let path = match args.as_slice() {
                [] => "auth/token/renew-self",
                [t] if accessor => {
                    body.insert("accessor".into(), json!(t.trim()));
                    "auth/token/renew-accessor"
                }
                [t] => {
                    body.insert("token".into(), json!(t.trim()));
                    "auth/token/renew"
                }
                _ => return Err(too_many("1", args.len())),
            };
            match s.request(Operation::Update, path, body) {
                Err(e) => Err(output::api_error("Error renewing token", &e)),
                Ok(resp) => print_secret(s, &out, &resp.unwrap_or_default()),
            }
        }
        TokenCommand::Revoke {
            out,
            accessor,
            self_,
            mode,
            args,
        } => {
            s.format(&out)?;
            let mode = mode.unwrap_or_default();
            let problem = if self_ && !args.is_empty() {
                Some(format!(
                    "Too many arguments with -self (expected 0, got {})",
                    args.len()
                ))
            } else if !self_ && args.len() > 1 {
                Some(format!(
                    "Too many arguments (expected 1 or -self, got {})",
                    args.len()
                ))
            } else if !self_ && args.is_empty() {
                Some("Not enough arguments (expected 1 or -self, got 0)".to_string())
            } else if self_ && accessor {
                Some("Cannot use -self with -accessor!".to_string())
            } else if self_ && !mode.is_empty() {
                Some("Cannot use -self with -mode!".to_string())
            } else if accessor && mode == "orphan" {
                Some("Cannot use -accessor with -mode=orphan!".to_string())
            } else if accessor && mode == "path" {
                Some("Cannot use -accessor with -mode=path!".to_string())
            } else if mode == "path" {
                Some("-mode=path (revocation by prefix) is not supported by vaultjwt".to_string())
            } else if !mode.is_empty() && mode != "orphan" {
                Some(format!("Invalid mode: {mode}"))
            } else {
                None
            };
            if let Some(p) = problem {
                return Err(output::local_error(&p));
            }
            let arg = args
                .first()
                .map(|a| a.trim().to_string())
                .unwrap_or_default();
            let (path, body) = if self_ {
                ("auth/token/revoke-self", Map::new())
            } else if accessor {
                ("auth/token/revoke-accessor", one("accessor", &arg))
            } else if mode == "orphan" {
                ("auth/token/revoke-orphan", one("token", &arg))
            } else {
                ("auth/token/revoke", one("token", &arg))
            };
            match s.request(Operation::Update, path, body) {
                Err(e) => Err(output::api_error("Error revoking token", &e)),
                Ok(_) => {
                    println!("Success! Revoked token (if it existed)");
                    Ok(())
                }
            }
        }
        TokenCommand::Capabilities { out, args } => capabilities(s, &out, &args),
    }
}

fn one(key: &str, value: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(key.into(), json!(value.trim()));
    m
}

fn too_many(expected: &str, got: usize) -> anyhow::Error {
    output::local_error(&format!(
        "Too many arguments (expected {expected}, got {got})"
    ))
}

fn capabilities(s: &mut Session, out: &OutputFlags, args: &[String]) -> Result<()> {
    let format = s.format(out)?;
    let (token, path) = match args {
        [] => {
            return Err(output::local_error(
                "Not enough arguments (expected 1-2, got 0)",
            ))
        }
        [p] => (None, p.clone()),
        [t, p] => (Some(t.clone()), p.clone()),
        _ => return Err(too_many("1-2", args.len())),
    };
    let mut body = Map::new();
    body.insert("paths".into(), json!([path]));
    let endpoint = match token {
        Some(t) => {
            body.insert("token".into(), json!(t));
            "sys/capabilities"
        }
        None => "sys/capabilities-self",
    };
    let resp = match s.request(Operation::Update, endpoint, body) {
        Err(e) => return Err(output::api_error("Error listing capabilities", &e)),
        Ok(r) => r.unwrap_or_default(),
    };
    let mut caps = capability_list(&resp, &path);
    match format {
        output::Format::Table => {
            caps.sort();
            println!("{}", caps.join(", "));
        }
        f => print!("{}", output::render_value(&json!(caps), f)),
    }
    Ok(())
}

/// The capabilities of a `sys/capabilities*` answer: under the path, else `capabilities`.
fn capability_list(resp: &Response, path: &str) -> Vec<String> {
    let data = resp.data.clone().unwrap_or_default();
    let list = data
        .get(path)
        .or_else(|| data.get("capabilities"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_prefer_the_path_key() {
        let resp = Response::json(json!({"capabilities": ["deny"], "a/b": ["read", "list"]}));
        assert_eq!(capability_list(&resp, "a/b"), vec!["read", "list"]);
        assert_eq!(capability_list(&resp, "c"), vec!["deny"]);
        assert!(capability_list(&Response::default(), "c").is_empty());
    }
}
