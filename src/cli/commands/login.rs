//! `login [-method=token|jwt] ...`: authenticate and store the token in the token helper.

use crate::cli::args::OutputFlags;
use crate::cli::{kv_args, output, Session};
use crate::core::{Auth, Operation, Request, Response};
use crate::settings::Compat;
use anyhow::Result;
use serde_json::Value;

/// The login flags besides `-format`/`-field`.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub method: String,
    pub path: Option<String>,
    pub no_store: bool,
    pub token_only: bool,
    pub no_print: bool,
    /// `-jwt J`: the JWT (implies `-method=jwt`); `@FILE` and `-` as for `jwt=`.
    pub jwt: Option<String>,
    /// `-role R` with `-jwt`.
    pub role: Option<String>,
}

pub fn run(s: &mut Session, out: &OutputFlags, flags: Flags, args: &[String]) -> Result<()> {
    let mut out = out.clone();
    let format = s.format(&out)?;
    let mut no_store = flags.no_store;
    if flags.token_only {
        no_store = true;
        out.field = Some("token".into());
    }
    let mut method = flags.method.trim().trim_end_matches('/').to_string();
    // `login -jwt J [-role R]`: the short form of `login -method=jwt role=R jwt=J`.
    let mut args = args.to_vec();
    if s.settings().compat == Compat::OpenBao {
        // The short form is vaultjwt's own: bao's flag parser refuses it.
        let extra = [("jwt", &flags.jwt), ("role", &flags.role)];
        if let Some((name, _)) = extra.iter().find(|(_, v)| v.is_some()) {
            return Err(output::local_error(&format!(
                "flag provided but not defined: -{name}"
            )));
        }
    }
    if flags.jwt.is_some() || flags.role.is_some() {
        if method == "token" {
            method = "jwt".into();
        }
        if let Some(j) = &flags.jwt {
            args.push(format!("jwt={j}"));
        }
        if let Some(r) = &flags.role {
            args.push(format!("role={r}"));
        }
    }
    let args = &args[..];
    let resp = match method.as_str() {
        "token" => token_login(s, args)?,
        "jwt" if s.settings().compat == Compat::Default => {
            let mount = flags
                .path
                .as_deref()
                .unwrap_or("jwt")
                .trim_matches('/')
                .to_string();
            let data = kv_args::parse_login(args, &mut std::io::stdin())?;
            let req =
                Request::new(Operation::Update, format!("auth/{mount}/login")).with_data(data);
            match s.handle(req) {
                Err(e) => return Err(output::api_error("Error authenticating", &e)),
                Ok(r) => r.unwrap_or_default(),
            }
        }
        "oidc" => super::oidc_login::run(s, flags.path.as_deref(), args)?,
        other => {
            return Err(output::local_error(&wrap_at_length(&format!(
                "Unknown auth method: {other}. Use \"vaultjwt auth list\" to see the \
                 complete list of auth methods. Additionally, some auth methods are only \
                 available via the HTTP API."
            ))));
        }
    };
    let Some(auth) = &resp.auth else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            wrap_at_length(
                "vaultjwt returned a secret, but the secret has no authentication information \
                 attached. This should never happen and is likely a bug.",
            ),
        ));
    };
    if !no_store {
        s.store_token(&auth.client_token)?;
        if std::env::var("VAULTJWT_TOKEN").is_ok_and(|t| !t.is_empty()) {
            eprintln!(
                "{}\n",
                wrap_at_length(
                    "WARNING! The VAULTJWT_TOKEN environment variable is set! The value of \
                     this variable will take precedence; if this is unwanted please unset \
                     VAULTJWT_TOKEN or update its value accordingly."
                )
            );
        }
    } else if !flags.token_only {
        eprintln!(
            "{}\n",
            wrap_at_length(
                "The token was not stored in token helper. Set the VAULTJWT_TOKEN environment \
                 variable or pass the token below with each request to vaultjwt."
            )
        );
    }
    if flags.no_print {
        return Ok(());
    }
    if out.field.is_some() {
        return output::print_response(&resp, format, out.field.as_deref());
    }
    if format == output::Format::Table {
        println!(
            "{}\n",
            wrap_at_length(
                "Success! You are now authenticated. The token information displayed below is \
                 already stored in the token helper. You do NOT need to run \"vaultjwt login\" \
                 again. Future vaultjwt requests will automatically use this token."
            )
        );
    }
    output::print_response(&resp, format, None)
}

/// `-method=token`: the token from the arguments (`TOKEN`, `token=TOKEN`, `-` for stdin) or
/// typed on stdin, checked with a `lookup-self`.
fn token_login(s: &mut Session, args: &[String]) -> Result<Response> {
    let mut args = args.to_vec();
    if let Some(first) = args.first_mut() {
        if !first.contains('=') {
            *first = format!("token={first}");
        }
    }
    let data = kv_args::parse(&args, &mut std::io::stdin())?;
    let mut token = match data.get("token") {
        Some(Value::String(t)) => t.trim().to_string(),
        Some(other) => output::go_value(other),
        None => String::new(),
    };
    if token.is_empty() {
        use crate::cli::input::{self, ReadError};
        eprint!("Token (will be hidden): ");
        let line = match input::read_line(&mut std::io::stdin().lock(), input::REQUEST) {
            Ok(l) => l,
            Err(ReadError::TooLarge) => {
                return Err(output::local_error(&format!(
                    "Error authenticating: {}",
                    input::REQUEST.exceeded("the token line on stdin")
                )))
            }
            Err(ReadError::Io(e)) => return Err(e.into()),
        };
        token = line.trim().to_string();
    }
    if token.is_empty() {
        return Err(output::local_error(
            "Error authenticating: a token must be passed to auth, please view the help for more information",
        ));
    }
    let req = Request::new(Operation::Read, "auth/token/lookup-self").with_token(Some(token));
    let data = match s.handle(req) {
        Err(e) => {
            return Err(output::api_error(
                "Error authenticating: error looking up token",
                &e,
            ))
        }
        Ok(r) => r.and_then(|r| r.data).unwrap_or_default(),
    };
    let str_of = |k: &str| {
        data.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let list_of = |k: &str| -> Vec<String> {
        data.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let policies = list_of("policies");
    let identity = list_of("identity_policies");
    let mut all = policies.clone();
    all.extend(identity.iter().cloned());
    all.sort();
    all.dedup();
    let metadata = data
        .get("meta")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), output::go_value(v)))
                .collect()
        })
        .unwrap_or_default();
    let auth = Auth {
        client_token: str_of("id"),
        accessor: str_of("accessor"),
        policies: all,
        token_policies: policies,
        identity_policies: identity,
        metadata,
        entity_id: str_of("entity_id"),
        orphan: data.get("orphan").and_then(Value::as_bool).unwrap_or(false),
        lease_duration: data.get("ttl").and_then(Value::as_i64).unwrap_or(0),
        renewable: data
            .get("renewable")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        ..Default::default()
    };
    Ok(Response {
        auth: Some(auth),
        ..Default::default()
    })
}

/// Vault's `wrapAtLength`: `kr/text.Wrap` at 78 columns, which minimises raggedness (the sum
/// of squared trailing spaces) rather than filling lines greedily.
pub fn wrap_at_length(s: &str) -> String {
    output::wrap(s, 78)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_vault() {
        let text = "Success! You are now authenticated. The token information displayed below \
                    is already stored in the token helper. You do NOT need to run \"vault login\" \
                    again. Future Vault requests will automatically use this token.";
        assert_eq!(
            wrap_at_length(text),
            "Success! You are now authenticated. The token information displayed below\n\
             is already stored in the token helper. You do NOT need to run \"vault login\"\n\
             again. Future Vault requests will automatically use this token."
        );
        // bao 2.7.2's own text, as it prints it.
        let bao = "Success! You are now authenticated. The token information displayed below \
                   is already stored in the token helper. You do NOT need to run \"bao login\" \
                   again. Future OpenBao requests will automatically use this token.";
        assert_eq!(
            wrap_at_length(bao),
            "Success! You are now authenticated. The token information displayed below is\n\
             already stored in the token helper. You do NOT need to run \"bao login\" again.\n\
             Future OpenBao requests will automatically use this token."
        );
        assert_eq!(
            wrap_at_length(
                "The token was not stored in token helper. Set the BAO_TOKEN environment \
                 variable or pass the token below with each request to Vault."
            ),
            "The token was not stored in token helper. Set the BAO_TOKEN environment\n\
             variable or pass the token below with each request to Vault."
        );
        assert_eq!(wrap_at_length("short"), "short");
        assert_eq!(wrap_at_length(""), "");
    }
}
