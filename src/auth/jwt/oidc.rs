//! The OIDC browser flow of the jwt plugin (OpenBao's `path_oidc.go`): `oidc/auth_url` and
//! `oidc/callback`.
//!
//! `auth_url` keeps one request per `state` in the mount's storage (`oidc/state/<state>`), so
//! the callback may come from another process; a request is used once and expires after
//! [`REQUEST_TIMEOUT_SECS`] (OpenBao's `oidcRequestTimeout`). The callback exchanges the
//! code at the provider's token endpoint (PKCE S256, client authentication as Go's oauth2
//! does it), verifies the ID token as hashicorp/cap does, merges the userinfo claims, applies
//! the role's bindings and returns the `Auth` the core completes as for a JWT login.

use super::config::{self, Config};
use super::keys::{self, Discovery, VerifyError};
use super::role::{self, Role};
use super::{claims, login};
use crate::core::fields::go_quote;
use crate::core::{BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::{FieldData, FieldSchema, FieldType, Path};
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Storage prefix of the pending requests inside the mount's view.
pub const STATE_PREFIX: &str = "oidc/state/";
/// How long a request from `auth_url` stays valid (OpenBao: 10 minutes).
pub const REQUEST_TIMEOUT_SECS: i64 = 600;

const ERR_LOGIN_FAILED: &str = "OpenBao login failed.";
const ERR_TOKEN_VERIFICATION: &str = "Token verification failed.";
const ERR_NOT_OIDC_FLOW: &str = "OIDC login is not configured for this mount";
const NO_CODE: &str = "no_code";
/// RFC 6749 §4.1.2.1 error codes, repeated as they are.
const KNOWN_ERRORS: [&str; 7] = [
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
];
/// cap's leeway on `iat` and `auth_time`.
const LEEWAY_SECS: i64 = 60;

/// One pending OIDC login (OpenBao's `oidcRequest`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct OidcRequest {
    pub role: String,
    pub redirect_uri: String,
    pub nonce: String,
    /// The PKCE verifier; empty in the implicit flow.
    pub code_verifier: String,
    pub client_nonce: String,
    pub expires_at: i64,
    /// `max_age` requested (seconds), 0 for none.
    pub max_age: i64,
    pub created_at: i64,
    pub audiences: Vec<String>,
    pub scopes: Vec<String>,
    /// `form_post`: what the provider posted, for the following read.
    pub code: String,
    pub id_token: String,
}

pub fn auth_url_path() -> Path {
    Path {
        pattern: "^oidc/auth_url$",
        fields: vec![
            FieldSchema::new(
                "role",
                FieldType::LowerCaseString,
                "The role to issue an OIDC authorization URL against.",
            ),
            FieldSchema::new(
                "redirect_uri",
                FieldType::String,
                "The OAuth redirect_uri to use in the authorization URL.  Not needed with device flow.",
            ),
            FieldSchema::new(
                "client_nonce",
                FieldType::String,
                "Client-provided nonce that must match during callback, if present. Required only in direct callback mode.",
            ),
        ],
        operations: &[Operation::Update],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "",
        description: "",
    }
}

pub fn callback_path() -> Path {
    let f = |n| FieldSchema::new(n, FieldType::String, "");
    Path {
        pattern: "^oidc/callback$",
        fields: vec![
            f("state"),
            f("code"),
            f("id_token"),
            f("client_nonce"),
            f("error"),
            f("error_description"),
            f("error_uri"),
            f("confirmation"),
        ],
        operations: &[Operation::Read, Operation::Update],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "",
        description: "",
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::bad_request(msg)
}

fn login_failed(msg: &str) -> Error {
    bad(format!("{ERR_LOGIN_FAILED} {msg}"))
}

/// Whether the config runs the OIDC flow (OpenBao's `authType() == OIDCFlow`).
pub fn is_oidc_flow(c: &Config) -> bool {
    c.jwt_validation_pubkeys.is_empty()
        && c.jwks_url.is_empty()
        && !c.oidc_discovery_url.is_empty()
        && !c.oidc_client_id.is_empty()
        && !c.oidc_client_secret.is_empty()
}

/// `hasType`: the default response type is `code`.
fn has_type(c: &Config, t: &str) -> bool {
    (c.oidc_response_types.is_empty() && t == "code")
        || c.oidc_response_types.iter().any(|x| x == t)
}

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    match req.path.as_str() {
        "oidc/auth_url" => {
            let mut req = req.clone();
            if req.operation == Operation::Create {
                req.operation = Operation::Update;
            }
            auth_url_path().handle(&req, &[], |d| auth_url(ctx, d))
        }
        _ => {
            let mut req = req.clone();
            if req.operation == Operation::Create {
                req.operation = Operation::Update;
            }
            callback_path().handle(&req, &[], |d| match req.operation {
                Operation::Read => callback(ctx, &req, d),
                _ => callback_post(ctx, d),
            })
        }
    }
}

/// The S256 challenge of a PKCE verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's `url.Values.Encode`: sorted by key.
pub fn encode_values(values: &[(&str, String)]) -> String {
    let mut v: Vec<&(&str, String)> = values.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v.iter()
        .map(|(k, val)| format!("{}={}", query_escape(k), query_escape(val)))
        .collect::<Vec<_>>()
        .join("&")
}

/// OpenBao's `validRedirect`: an exact match, except that a loopback URI (`localhost`,
/// `127.0.0.1`, `::1`) matches whatever its port (RFC 8252 §7.3).
pub fn valid_redirect(uri: &str, allowed: &[String]) -> bool {
    let Ok(input) = reqwest::Url::parse(uri) else {
        return false;
    };
    let host = input.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if !["localhost", "127.0.0.1", "::1"].contains(&host) {
        return allowed.iter().any(|a| a == uri);
    }
    let without_port = |u: &reqwest::Url| {
        let mut u = u.clone();
        let _ = u.set_port(None);
        u.to_string()
    };
    let want = without_port(&input);
    for a in allowed {
        let Ok(a) = reqwest::Url::parse(a) else {
            return false;
        };
        if without_port(&a) == want {
            return true;
        }
    }
    false
}

/// Removes expired requests.
fn sweep(ctx: &BackendContext) {
    let Ok(names) = ctx.storage.list(STATE_PREFIX) else {
        return;
    };
    for n in names {
        let key = format!("{STATE_PREFIX}{n}");
        if let Ok(Some(r)) = ctx.storage.get_as::<OidcRequest>(&key) {
            if r.expires_at <= ctx.now {
                let _ = ctx.storage.delete(&key);
            }
        }
    }
}

/// The provider's discovery document, with the endpoints of the flow.
fn provider(ctx: &BackendContext, config: &Config) -> std::result::Result<Discovery, String> {
    let d = keys::discovery(ctx, config)?;
    if d.authorization_endpoint.is_empty() && d.token_endpoint.is_empty() {
        // A document cached before the endpoints were kept: fetch it again.
        let d = keys::fetch_discovery(
            ctx,
            &config.oidc_discovery_url,
            &config.oidc_discovery_ca_pem,
        )?;
        keys::cache_discovery(ctx, &d);
        return Ok(d);
    }
    Ok(d)
}

fn auth_url(ctx: &BackendContext, d: &FieldData) -> Result<Option<Response>> {
    let empty = || Ok(Some(Response::json(json!({"auth_url": ""}))));
    let Some(config) = config::load(ctx)? else {
        return Err(bad("could not load configuration"));
    };
    if !is_oidc_flow(&config) {
        return Err(bad(ERR_NOT_OIDC_FLOW));
    }
    let mut role_name = d.str("role").unwrap_or_default();
    if role_name.is_empty() {
        role_name = config.default_role.clone();
    }
    if role_name.is_empty() {
        return Err(bad("missing role"));
    }
    let mut redirect_uri = d.str("redirect_uri").unwrap_or_default();
    let Some(role) = role::load(&ctx.storage, &role_name)? else {
        return Err(bad(format!(
            "role {} could not be found",
            go_quote(&role_name)
        )));
    };
    let client_nonce = d.str("client_nonce").unwrap_or_default();
    if client_nonce.is_empty() && (role.callback_mode == "direct" || role.callback_mode == "device")
    {
        return Err(bad("missing client_nonce"));
    }
    if role.callback_mode == "direct" || role.callback_mode == "device" {
        return Err(bad(format!(
            "callback_mode {} is not supported by vaultjwt; use callback_mode=client",
            go_quote(&role.callback_mode)
        )));
    }
    if redirect_uri.is_empty() {
        return Err(bad("missing redirect_uri"));
    }
    let mut namespace = String::new();
    if config.namespace_in_state {
        let Ok(mut parsed) = reqwest::Url::parse(&redirect_uri) else {
            return empty();
        };
        let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        if let Some((_, ns)) = pairs.iter().find(|(k, _)| k == "namespace") {
            namespace = ns.clone();
        }
        if !namespace.is_empty() {
            let rest: Vec<(&str, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "namespace")
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            let q = encode_values(&rest);
            parsed.set_query(if q.is_empty() { None } else { Some(&q) });
            redirect_uri = parsed.to_string();
        }
    }
    let allowed = role.allowed_redirect_uris.clone().unwrap_or_default();
    if !valid_redirect(&redirect_uri, &allowed) {
        return empty();
    }
    if config.oidc_response_mode == "form_post" {
        redirect_uri = redirect_uri.replacen("ui/vault", "v1", 1);
    }
    let Ok(provider) = provider(ctx, &config) else {
        return empty();
    };
    sweep(ctx);

    let state = format!("st_{}", crate::token::random_string(20));
    let nonce = format!("n_{}", crate::token::random_string(20));
    let implicit = has_type(&config, "id_token");
    let verifier = if !implicit && has_type(&config, "code") {
        crate::token::random_string(43)
    } else {
        String::new()
    };
    let scopes = role.oidc_scopes.clone().unwrap_or_default();
    let request = OidcRequest {
        role: role_name.clone(),
        redirect_uri: redirect_uri.clone(),
        nonce: nonce.clone(),
        code_verifier: verifier.clone(),
        client_nonce,
        expires_at: ctx.now + REQUEST_TIMEOUT_SECS,
        max_age: role.max_age.max(0),
        created_at: ctx.now,
        audiences: role.bound_audiences.clone().unwrap_or_default(),
        scopes: scopes.clone(),
        ..Default::default()
    };
    ctx.storage
        .put_as(&format!("{STATE_PREFIX}{state}"), &request)?;

    let mut all_scopes = scopes;
    if !all_scopes.iter().any(|s| s == "openid") {
        all_scopes.insert(0, "openid".into());
    }
    let mut values: Vec<(&str, String)> = vec![
        ("response_type", "code".into()),
        ("client_id", config.oidc_client_id.clone()),
        ("redirect_uri", redirect_uri),
        ("scope", all_scopes.join(" ")),
        ("state", state.clone()),
        ("nonce", nonce),
    ];
    if implicit {
        values.retain(|(k, _)| *k != "response_type");
        values.push(("response_mode", "form_post".into()));
        values.push(("response_type", "id_token".into()));
    }
    if !verifier.is_empty() {
        values.push(("code_challenge", pkce_challenge(&verifier)));
        values.push(("code_challenge_method", "S256".into()));
    }
    if request.max_age > 0 {
        values.push(("max_age", request.max_age.to_string()));
    }
    let endpoint = &provider.authorization_endpoint;
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    let mut url = format!("{endpoint}{sep}{}", encode_values(&values));
    if config.namespace_in_state && !namespace.is_empty() {
        let with_ns = format!("{state},ns={namespace}");
        url = url.replacen(&state, &query_escape(&with_ns), 1);
    }
    Ok(Some(Response::json(json!({ "auth_url": url }))))
}

/// The request kept for `state` (expired ones count as missing).
fn load_request(ctx: &BackendContext, state: &str) -> Result<Option<OidcRequest>> {
    if state.is_empty() || state.contains('/') {
        return Ok(None);
    }
    let r: Option<OidcRequest> = ctx.storage.get_as(&format!("{STATE_PREFIX}{state}"))?;
    Ok(r.filter(|r| r.expires_at > ctx.now))
}

/// `form_post`: keeps what the provider posted for the read that follows.
fn callback_post(ctx: &BackendContext, d: &FieldData) -> Result<Option<Response>> {
    let Some(config) = config::load(ctx)? else {
        return Err(login_failed("Could not load configuration."));
    };
    if config.oidc_response_mode != "form_post" {
        return Err(Error::raw(405, ""));
    }
    let state = d.str("state").unwrap_or_default();
    let Some(mut r) = load_request(ctx, &state)? else {
        return Err(login_failed("Expired or missing OAuth state."));
    };
    r.code = d.str("code").unwrap_or_default();
    r.id_token = d.str("id_token").unwrap_or_default();
    ctx.storage.put_as(&format!("{STATE_PREFIX}{state}"), &r)?;
    Ok(None)
}

fn callback(ctx: &BackendContext, req: &Request, d: &FieldData) -> Result<Option<Response>> {
    let Some(config) = config::load(ctx)? else {
        return Err(login_failed("Could not load configuration"));
    };
    let state = d.str("state").unwrap_or_default();
    let Some(oidc_req) = load_request(ctx, &state)? else {
        return Err(login_failed("Expired or missing OAuth state."));
    };
    // Single use, whatever happens next.
    ctx.storage.delete(&format!("{STATE_PREFIX}{state}"))?;

    let role_name = oidc_req.role.clone();
    let Some(role) = role::load(&ctx.storage, &role_name)? else {
        return Err(login_failed("Role could not be found"));
    };

    let oidc_error = d.str("error").unwrap_or_default().trim().to_lowercase();
    if !oidc_error.is_empty() {
        if KNOWN_ERRORS.contains(&oidc_error.as_str()) {
            return Err(login_failed(&oidc_error));
        }
        return Err(login_failed(
            "An unknown error occurred during OIDC authentication. Check server logs for details",
        ));
    }

    let client_nonce = d.str("client_nonce").unwrap_or_default();
    if !oidc_req.client_nonce.is_empty() && client_nonce != oidc_req.client_nonce {
        return Err(bad("invalid client_nonce"));
    }

    if !role.token_bound_cidrs.is_empty()
        && !role::cidrs_contain(&role.token_bound_cidrs, req.client_addr)
    {
        return Err(Error::permission_denied());
    }

    let provider = provider(ctx, &config)
        .map_err(|e| Error::internal(format!("error getting provider for login operation: {e}")))?;

    let mut code = d.str("code").unwrap_or_default();
    if code == NO_CODE {
        code = oidc_req.code.clone();
    }
    let tokens = if code.is_empty() {
        if oidc_req.id_token.is_empty() {
            return Err(login_failed("No code or id_token received."));
        }
        verify_id_token(ctx, &config, &oidc_req, &oidc_req.id_token)
            .map_err(|e| bad(format!("{ERR_TOKEN_VERIFICATION} {e}")))?;
        Tokens {
            id_token: oidc_req.id_token.clone(),
            ..Default::default()
        }
    } else {
        exchange(ctx, &config, &provider, &oidc_req, &code)
            .map_err(|e| login_failed(&format!("Error exchanging oidc code: {}.", go_quote(&e))))?
    };
    let resp = process_token(
        ctx, &config, &provider, &role_name, &role, &oidc_req, &tokens,
    )?;
    let mut resp = resp;
    if role.token_strictly_bind_ip {
        if let Some(a) = resp.auth.as_mut() {
            a.bound_cidrs = vec![req.client_addr.to_string()];
        }
    }
    Ok(Some(resp))
}

/// What the token endpoint answered.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// Go's `time.Time` `%v` text of a Unix time.
fn go_time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|| t.to_string())
}

fn num(v: Option<&Value>) -> Option<i64> {
    v.and_then(Value::as_f64).map(|f| f as i64)
}

/// cap's `Provider.VerifyIDToken` (go-oidc's `Verify` inside): the claims when the token
/// holds; the error text after `Provider.VerifyIDToken: ` otherwise.
pub fn verify_id_token(
    ctx: &BackendContext,
    config: &Config,
    oidc_req: &OidcRequest,
    raw: &str,
) -> std::result::Result<Map<String, Value>, String> {
    const OP: &str = "Provider.VerifyIDToken";
    if raw.is_empty() {
        return Err(format!("{OP}: id_token is empty: invalid parameter"));
    }
    let invalid = |e: String| format!("{OP}: invalid id_token: {e}");
    let verified = keys::verify(ctx, config, raw).map_err(|e| {
        let text = match &e {
            VerifyError::Validator(t) => t.clone(),
            VerifyError::Token(t) => t
                .strip_prefix("error verifying token signature: ")
                .unwrap_or(t)
                .to_string(),
        };
        if text.contains("failed to verify id token signature")
            || text.contains("no known key successfully validated")
        {
            invalid(format!("{text}: invalid signature"))
        } else if text.contains("get keys failed") {
            invalid(format!("{text}: invalid jwks"))
        } else {
            invalid(text)
        }
    })?;
    // Supported algorithms: the config's, else RS256 only.
    let alg = verified
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let supported: Vec<String> = if config.jwt_supported_algs.is_empty() {
        vec!["RS256".into()]
    } else {
        config.jwt_supported_algs.clone()
    };
    if !supported.contains(&alg) {
        let list = supported
            .iter()
            .map(|a| go_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        return Err(invalid(format!(
            "oidc: id token signed with unsupported algorithm, expected [{list}] got {}: unsupported signing algorithm",
            go_quote(&alg)
        )));
    }
    let claims = verified.claims;
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    if iss != config.oidc_discovery_url {
        return Err(invalid(format!(
            "oidc: id token issued by a different provider, expected {} got {}: invalid issuer",
            go_quote(&config.oidc_discovery_url),
            go_quote(iss)
        )));
    }
    let now = ctx.now;
    if let Some(exp) = num(claims.get("exp")) {
        if exp < now {
            return Err(invalid(format!(
                "oidc: token is expired (Token Expiry: {}): token is expired",
                go_time(exp)
            )));
        }
    }
    if let Some(nbf) = num(claims.get("nbf")) {
        if now + 300 < nbf {
            return Err(invalid(format!(
                "oidc: current time {} before the nbf (not before) time: {}: invalid not before",
                go_time(now),
                go_time(nbf)
            )));
        }
    }
    let nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or("");
    if nonce != oidc_req.nonce {
        return Err(format!("{OP}: invalid id_token nonce: invalid nonce"));
    }
    if let Some(iat) = num(claims.get("iat")) {
        if now + LEEWAY_SECS < iat {
            return Err(format!(
                "{OP}: invalid id_token current time {} before the iat (issued at) time {}: invalid issued at (iat)",
                go_time(now),
                go_time(iat)
            ));
        }
    }
    if claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return Err(invalid("sub: missing required claim".into()));
    }
    let aud: Vec<String> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    if aud.is_empty() {
        return Err(invalid("aud: missing required claim".into()));
    }
    if !oidc_req.audiences.is_empty() && !oidc_req.audiences.iter().any(|a| aud.contains(a)) {
        return Err(format!(
            "{OP}: invalid id_token audiences: verifyAudiences: invalid id_token audiences: invalid audience"
        ));
    }
    let client_id = &config.oidc_client_id;
    if aud.len() > 1 && !aud.contains(client_id) {
        return Err(invalid(format!(
            "multiple audiences ({}) and one of them is not equal client_id ({client_id}): invalid audience",
            go_list(&aud)
        )));
    }
    let azp = claims.get("azp");
    let azp_text = match azp {
        None => "%!s(<nil>)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => format!("%!s({v})"),
    };
    let azp_is_client = azp.and_then(Value::as_str) == Some(client_id.as_str());
    if azp.is_some() && !azp_is_client {
        return Err(invalid(format!(
            "authorized party ({azp_text}) is not equal client_id ({client_id}): invalid authorized party (azp)"
        )));
    }
    if aud.len() > 1 && !azp_is_client {
        return Err(invalid(format!(
            "multiple audiences and authorized party ({azp_text}) is not equal client_id ({client_id}): invalid authorized party (azp)"
        )));
    }
    if aud.len() == 1 && aud[0] != *client_id && !azp_is_client {
        return Err(invalid(format!(
            "one audience ({}) which is not the client_id ({client_id}) and authorized party ({azp_text}) is not equal client_id ({client_id}): invalid authorized party (azp)",
            aud[0]
        )));
    }
    if oidc_req.max_age > 0 {
        let auth_after = oidc_req.created_at - oidc_req.max_age;
        let Some(auth_time) = claims.get("auth_time").and_then(Value::as_f64) else {
            return Err(format!(
                "{OP}: missing auth_time claim when max age was requested: missing required claim"
            ));
        };
        let auth_time = auth_time as i64;
        if auth_time + LEEWAY_SECS <= auth_after {
            return Err(format!(
                "{OP}: auth_time ({}) is beyond max age ({} / {}): expired auth_time",
                go_time(auth_time),
                oidc_req.max_age,
                go_time(auth_after)
            ));
        }
    }
    Ok(claims)
}

/// Go's `%s` of a `[]string`.
fn go_list(l: &[String]) -> String {
    format!("[{}]", l.join(" "))
}

/// oauth2's error text for a token endpoint answer that is not a success.
fn retrieve_error(f: &super::fetch::Fetched) -> String {
    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&f.body) {
        if let Some(code) = m
            .get("error")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
        {
            let mut s = format!("oauth2: {}", go_quote(code));
            if let Some(d) = m
                .get("error_description")
                .and_then(Value::as_str)
                .filter(|d| !d.is_empty())
            {
                s.push_str(&format!(" {}", go_quote(d)));
            }
            if let Some(u) = m
                .get("error_uri")
                .and_then(Value::as_str)
                .filter(|u| !u.is_empty())
            {
                s.push_str(&format!(" {}", go_quote(u)));
            }
            return s;
        }
    }
    format!(
        "oauth2: cannot fetch token: {}\nResponse: {}",
        f.status_line,
        String::from_utf8_lossy(&f.body)
    )
}

/// cap's `Provider.Exchange`: the text after nothing (it starts with `Provider.Exchange: `).
fn exchange(
    ctx: &BackendContext,
    config: &Config,
    provider: &Discovery,
    oidc_req: &OidcRequest,
    code: &str,
) -> std::result::Result<Tokens, String> {
    const OP: &str = "Provider.Exchange";
    if oidc_req.code_verifier.is_empty() && !oidc_req.id_token.is_empty() {
        return Err(format!(
            "{OP}: request should not be using the implicit flow: invalid OIDC flow"
        ));
    }
    let mut form: Vec<(String, String)> = vec![
        ("grant_type".into(), "authorization_code".into()),
        ("code".into(), code.into()),
        ("redirect_uri".into(), oidc_req.redirect_uri.clone()),
    ];
    if !oidc_req.code_verifier.is_empty() {
        form.push(("code_verifier".into(), oidc_req.code_verifier.clone()));
    }
    let timeout = ctx.settings.http_timeout;
    let unable = |e: String| format!("{OP}: unable to exchange auth code with provider: {e}");
    // oauth2's auto-detection: client credentials in the header, then in the form.
    let header = super::fetch::Extra {
        form: Some(form.clone()),
        basic: Some((
            query_escape(&config.oidc_client_id),
            query_escape(&config.oidc_client_secret),
        )),
        bearer: None,
    };
    let mut answer = super::fetch::send(
        &provider.token_endpoint,
        &config.oidc_discovery_ca_pem,
        timeout,
        &header,
    );
    if !matches!(&answer, Ok(f) if (200..300).contains(&f.status)) {
        let mut in_params = form;
        in_params.push(("client_id".into(), config.oidc_client_id.clone()));
        in_params.push(("client_secret".into(), config.oidc_client_secret.clone()));
        answer = super::fetch::send(
            &provider.token_endpoint,
            &config.oidc_discovery_ca_pem,
            timeout,
            &super::fetch::Extra {
                form: Some(in_params),
                ..Default::default()
            },
        );
    }
    let f = answer.map_err(|e| unable(format!("oauth2: cannot fetch token: {}", e.text)))?;
    if !(200..300).contains(&f.status) {
        return Err(unable(retrieve_error(&f)));
    }
    let body: Map<String, Value> = serde_json::from_slice(&f.body)
        .map_err(|e| unable(format!("oauth2: cannot parse json: {e}")))?;
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let access_token = text("access_token");
    if access_token.is_empty() {
        return Err(unable(
            "oauth2: server response missing access_token: access_token is missing".into(),
        ));
    }
    let id_token = text("id_token");
    if id_token.is_empty() {
        return Err(format!(
            "{OP}: id_token is missing from auth code exchange: id_token is missing"
        ));
    }
    verify_id_token(ctx, config, oidc_req, &id_token)
        .map_err(|e| format!("{OP}: id_token failed verification: {e}"))?;
    Ok(Tokens {
        id_token,
        access_token,
        refresh_token: text("refresh_token"),
    })
}

/// The claims of a verified token's payload.
fn payload_claims(jwt: &str) -> Map<String, Value> {
    use base64::Engine;
    jwt.split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The userinfo claims (cap's `Provider.UserInfo`), `None` when they cannot be used.
fn userinfo(
    ctx: &BackendContext,
    config: &Config,
    provider: &Discovery,
    access_token: &str,
    subject: &str,
) -> Option<Map<String, Value>> {
    if provider.userinfo_endpoint.is_empty() {
        return None;
    }
    let f = super::fetch::send(
        &provider.userinfo_endpoint,
        &config.oidc_discovery_ca_pem,
        ctx.settings.http_timeout,
        &super::fetch::Extra {
            bearer: Some(access_token.to_string()),
            ..Default::default()
        },
    )
    .ok()?;
    if !(200..300).contains(&f.status) {
        return None;
    }
    let m: Map<String, Value> = serde_json::from_slice(&f.body).ok()?;
    if m.get("sub").and_then(Value::as_str).unwrap_or("") != subject {
        return None;
    }
    let iss = m.get("iss").and_then(Value::as_str).unwrap_or("");
    if !iss.is_empty() && iss != config.oidc_discovery_url {
        return None;
    }
    Some(m)
}

/// OpenBao's `processToken`: nonce, bound subject, userinfo, identity, bound claims, `Auth`.
fn process_token(
    ctx: &BackendContext,
    config: &Config,
    provider: &Discovery,
    role_name: &str,
    role: &Role,
    oidc_req: &OidcRequest,
    tokens: &Tokens,
) -> Result<Response> {
    let mut all = payload_claims(&tokens.id_token);
    if let Some(n) = all.get("nonce") {
        if n.as_str() != Some(oidc_req.nonce.as_str()) {
            return Err(login_failed("invalid ID token nonce."));
        }
        all.remove("nonce");
    }
    let subject = all
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !role.bound_subject.is_empty() && role.bound_subject != subject {
        return Err(login_failed("sub claim does not match bound subject"));
    }
    if !tokens.access_token.is_empty() {
        if let Some(info) = userinfo(ctx, config, provider, &tokens.access_token, &subject) {
            for (k, v) in info {
                all.insert(k, v);
            }
        }
    }
    let mut oauth2 = Vec::new();
    for name in role.oauth2_metadata.clone().unwrap_or_default() {
        let v = match name.as_str() {
            "id_token" => tokens.id_token.clone(),
            "refresh_token" => tokens.refresh_token.clone(),
            "access_token" => tokens.access_token.clone(),
            other => {
                return Err(login_failed(&format!(
                    "Unrecognized oauth2 metadata name {other}"
                )))
            }
        };
        oauth2.push((format!("oauth2_{name}"), v));
    }
    let (auth, _) = identity(role_name, role, &all).map_err(|e| login_failed(&e))?;
    let mut auth = auth;
    for (k, v) in oauth2 {
        auth.metadata.insert(k, v);
    }
    Ok(Response {
        auth: Some(auth),
        ..Response::default()
    })
}

/// `createIdentity`, `validateBoundClaims` and the `Auth` with the role's token settings
/// and templated policies; the error text after `OpenBao login failed. `. Also the claims
/// that were used.
pub fn identity(
    role_name: &str,
    role: &Role,
    all: &Map<String, Value>,
) -> std::result::Result<(crate::core::Auth, ()), String> {
    let user = claims::user_claim(all, &role.user_claim, role.user_claim_json_pointer)?;
    let empty = Map::new();
    let mut metadata =
        claims::mapped_metadata(all, role.claim_mappings.as_ref().unwrap_or(&empty))?;
    let groups = if role.groups_claim.is_empty() {
        Vec::new()
    } else {
        claims::groups(all, &role.groups_claim)?
    };
    if let Some(bound) = &role.bound_claims {
        let glob = role.bound_claims_type == "glob";
        for (key, expected) in bound {
            claims::check_one_bound_claim(all, key, expected, glob)
                .map_err(|e| format!("error validating claims: {e}"))?;
        }
    }
    metadata.insert("role".to_string(), role_name.to_string());
    let mut auth = login::build_auth(role_name, role, user, metadata, groups);
    if role.token_policies_template_claims {
        auth.policies = super::template::render(&role.token_policies, all)?;
    }
    Ok((auth, ()))
}

/// `jwt explain` against an `oidc` role: the checks `oidc/callback` makes of the ID token the
/// provider returns (cap's verification, then OpenBao's `processToken`), recorded in `ev`.
/// The nonce and `max_age` belong to a pending login and are not checked; the userinfo
/// claims are not fetched.
pub fn explain(ctx: &BackendContext, inputs: &login::LoginInputs, ev: &mut login::Evaluation) {
    let config = &inputs.config;
    let role = &inputs.role;
    let fail_text = |e: &str| {
        format!(
            "{ERR_LOGIN_FAILED} Error exchanging oidc code: {}.",
            go_quote(&format!(
                "Provider.Exchange: id_token failed verification: {e}"
            ))
        )
    };
    let flow = is_oidc_flow(config);
    ev.record(
        "oidc_flow",
        "oidc_discovery_url, oidc_client_id and oidc_client_secret configured",
        if flow {
            "configured".to_string()
        } else {
            "not an OIDC flow config".to_string()
        },
        if flow {
            Ok(())
        } else {
            Err(ERR_NOT_OIDC_FLOW.to_string())
        },
    );
    let token_claims = payload_claims(&inputs.jwt);
    let nonce = token_claims
        .get("nonce")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let pending = OidcRequest {
        nonce,
        audiences: role.bound_audiences.clone().unwrap_or_default(),
        created_at: ctx.now,
        ..Default::default()
    };
    let verified = verify_id_token(ctx, config, &pending, &inputs.jwt);
    ev.record(
        "id_token",
        format!(
            "signature by the discovery keys, alg in {}, iss {}, exp/nbf/iat, sub, aud with client_id {}{}",
            if config.jwt_supported_algs.is_empty() {
                "[RS256]".to_string()
            } else {
                format!("[{}]", config.jwt_supported_algs.join(" "))
            },
            go_quote(&config.oidc_discovery_url),
            go_quote(&config.oidc_client_id),
            match &role.bound_audiences {
                Some(a) if !a.is_empty() => format!(", one of bound_audiences [{}]", a.join(" ")),
                _ => String::new(),
            }
        ),
        match &verified {
            Ok(_) => "valid".to_string(),
            Err(e) => e.clone(),
        },
        verified.as_ref().map(|_| ()).map_err(|e| fail_text(e)),
    );
    ev.skip(
        "nonce",
        "the nonce of the pending login (and auth_time within max_age)",
        "not checked: only the login started by auth_url knows them",
    );
    let mut all = token_claims;
    all.remove("nonce");
    let subject = all
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !role.bound_subject.is_empty() {
        let ok = role.bound_subject == subject;
        ev.record(
            "subject",
            role.bound_subject.clone(),
            subject.clone(),
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{ERR_LOGIN_FAILED} sub claim does not match bound subject"
                ))
            },
        );
    }
    ev.skip(
        "userinfo",
        "claims from the provider's userinfo endpoint, merged over the ID token's",
        "not fetched: they come with the access token of a real login",
    );
    match identity(&inputs.role_name, role, &all) {
        Ok((auth, ())) => {
            ev.record(
                "identity",
                "user claim, claim mappings, groups, bound claims",
                auth.display_name.clone(),
                Ok(()),
            );
            if ev.error.is_none() {
                ev.auth = Some(auth);
            }
        }
        Err(e) => {
            ev.record(
                "identity",
                "user claim, claim mappings, groups, bound claims",
                "refused",
                Err(format!("{ERR_LOGIN_FAILED} {e}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_ignore_the_port() {
        let allowed = vec![
            "http://localhost:8250/oidc/callback".to_string(),
            "https://app.example/cb".to_string(),
        ];
        assert!(valid_redirect(
            "http://localhost:8250/oidc/callback",
            &allowed
        ));
        assert!(valid_redirect(
            "http://localhost:9999/oidc/callback",
            &allowed
        ));
        assert!(!valid_redirect(
            "http://localhost:9999/oidc/other",
            &allowed
        ));
        assert!(!valid_redirect(
            "http://127.0.0.1:8250/oidc/callback",
            &allowed
        ));
        assert!(valid_redirect("https://app.example/cb", &allowed));
        assert!(!valid_redirect("https://app.example:444/cb", &allowed));
        assert!(!valid_redirect("https://evil.example/cb", &allowed));
    }

    #[test]
    fn query_values_as_go_encodes_them() {
        assert_eq!(query_escape("a b/c~*"), "a+b%2Fc~%2A");
        assert_eq!(
            encode_values(&[("state", "s".into()), ("client_id", "c d".into())]),
            "client_id=c+d&state=s"
        );
    }

    #[test]
    fn pkce_s256_of_rfc7636() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
