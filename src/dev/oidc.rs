//! The dev issuer's OIDC provider endpoints: `/authorize` (a plain HTML sign-in form),
//! `/token` (client authentication, PKCE S256, single-use codes, an ID token signed by the
//! issuer's RSA key) and `/userinfo`. State is in memory: codes and access tokens die with
//! the process.

use super::keys::KeyType;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

pub const AUTHORIZE_PATH: &str = "/authorize";
pub const TOKEN_PATH: &str = "/token";
pub const USERINFO_PATH: &str = "/userinfo";

/// How long an authorization code can be exchanged (seconds).
const CODE_TTL_SECS: i64 = 120;
/// Lifetime of the ID and access tokens issued (seconds).
const TOKEN_TTL_SECS: i64 = 3600;

/// The one client the dev issuer knows.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
}

/// An HTTP request as the issuer's tiny server reads it.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    fn json(status: u16, v: Value) -> Self {
        HttpResponse {
            status,
            content_type: "application/json",
            headers: vec![("Cache-Control".into(), "no-store".into())],
            body: serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
        }
    }
    fn html(status: u16, body: String) -> Self {
        HttpResponse {
            status,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body,
        }
    }
    fn oauth_error(status: u16, code: &str, description: &str) -> Self {
        Self::json(
            status,
            json!({"error": code, "error_description": description}),
        )
    }
}

/// What `/authorize` granted, until `/token` redeems it.
#[derive(Debug, Clone)]
struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    id_claims: Map<String, Value>,
    userinfo: Map<String, Value>,
    expires_at: i64,
    used: bool,
}

/// Access tokens issued: expiry and the userinfo claims they give.
type AccessTokens = HashMap<String, (i64, Map<String, Value>)>;

/// The provider's in-memory state.
pub struct Provider {
    pub url: String,
    pub data_dir: PathBuf,
    pub client: Client,
    codes: Mutex<HashMap<String, Grant>>,
    access: Mutex<AccessTokens>,
}

use crate::core::now;

fn random(len: usize) -> String {
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Decodes `application/x-www-form-urlencoded` text.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    match reqwest::Url::parse(&format!("http://x/?{text}")) {
        Ok(u) => u.query_pairs().into_owned().collect(),
        Err(_) => Vec::new(),
    }
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto}}\
         label{{display:block;margin-top:1em}}input,textarea{{width:100%;font-family:monospace}}\
         button{{margin-top:1.5em;padding:.5em 2em}}</style></head><body>\
         <h1>{t}</h1>\n{body}\n</body></html>\n",
        t = html_escape(title)
    )
}

/// A redirect URI the dev issuer sends a browser to: http(s) on a loopback host only.
fn loopback_redirect(uri: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(uri) else {
        return false;
    };
    if !matches!(u.scheme(), "http" | "https") {
        return false;
    }
    let host = u.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let mut u = match reqwest::Url::parse(uri) {
        Ok(u) => u,
        Err(_) => return uri.to_string(),
    };
    {
        let mut q = u.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    u.to_string()
}

fn parse_object(text: &str, what: &str) -> Result<Map<String, Value>, String> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(format!("{what} must be a JSON object")),
        Err(e) => Err(format!("{what} is not valid JSON: {e}")),
    }
}

impl Provider {
    pub fn new(url: String, data_dir: PathBuf, client: Client) -> Provider {
        Provider {
            url,
            data_dir,
            client,
            codes: Mutex::new(HashMap::new()),
            access: Mutex::new(HashMap::new()),
        }
    }

    /// Answers a request to one of the provider's paths; `None` for other paths.
    pub fn handle(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let method = req.method.as_str();
        Some(match (req.path.as_str(), method) {
            (AUTHORIZE_PATH, "GET") => self.authorize_form(&req.query),
            (AUTHORIZE_PATH, "POST") => {
                self.authorize_submit(&parse_form(&String::from_utf8_lossy(&req.body)))
            }
            (TOKEN_PATH, "POST") => self.token(req),
            (USERINFO_PATH, "GET" | "POST") => self.userinfo(req),
            (AUTHORIZE_PATH | TOKEN_PATH | USERINFO_PATH, _) => {
                HttpResponse::oauth_error(405, "invalid_request", "method not allowed")
            }
            _ => return None,
        })
    }

    /// Checks the authorization request; the error page text when it is not acceptable.
    fn check_authorize(&self, q: &[(String, String)]) -> Result<(), String> {
        if get(q, "client_id") != self.client.id {
            return Err(format!(
                "unknown client_id {:?} (this issuer's client is {:?})",
                get(q, "client_id"),
                self.client.id
            ));
        }
        let redirect = get(q, "redirect_uri");
        if !loopback_redirect(redirect) {
            return Err(format!(
                "redirect_uri {redirect:?} refused: the dev issuer only redirects to loopback addresses"
            ));
        }
        if get(q, "response_type") != "code" {
            return Err(format!(
                "response_type {:?} is not supported (only \"code\")",
                get(q, "response_type")
            ));
        }
        let scopes = get(q, "scope");
        if !scopes.split(' ').any(|s| s == "openid") {
            return Err("the scope must include \"openid\"".into());
        }
        let method = get(q, "code_challenge_method");
        if !get(q, "code_challenge").is_empty() && method != "S256" {
            return Err(format!(
                "code_challenge_method {method:?} is not supported (only S256)"
            ));
        }
        Ok(())
    }

    fn authorize_form(&self, q: &[(String, String)]) -> HttpResponse {
        if let Err(e) = self.check_authorize(q) {
            return HttpResponse::html(400, page("Sign-in refused", &html_escape(&e)));
        }
        let mut hidden = String::new();
        for k in [
            "client_id",
            "redirect_uri",
            "response_type",
            "scope",
            "state",
            "nonce",
            "code_challenge",
            "code_challenge_method",
            "max_age",
        ] {
            hidden.push_str(&format!(
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">\n",
                html_escape(get(q, k))
            ));
        }
        let body = format!(
            "<p>vaultjwt dev issuer <code>{issuer}</code>: sign in to <code>{client}</code>.</p>\n\
             <form method=\"post\" action=\"{AUTHORIZE_PATH}\">\n{hidden}\
             <label for=\"subject\">Subject (sub)</label>\
             <input id=\"subject\" name=\"subject\" value=\"alice\" required>\n\
             <label for=\"claims\">Extra ID token claims (JSON object; they override the defaults)</label>\
             <textarea id=\"claims\" name=\"claims\" rows=\"5\">{{}}</textarea>\n\
             <label for=\"userinfo\">Userinfo claims (JSON object)</label>\
             <textarea id=\"userinfo\" name=\"userinfo\" rows=\"3\">{{}}</textarea>\n\
             <button id=\"signin\" type=\"submit\">Sign in</button>\n</form>",
            issuer = html_escape(&self.url),
            client = html_escape(&self.client.id),
        );
        HttpResponse::html(200, page("Sign in", &body))
    }

    fn authorize_submit(&self, f: &[(String, String)]) -> HttpResponse {
        if let Err(e) = self.check_authorize(f) {
            return HttpResponse::html(400, page("Sign-in refused", &html_escape(&e)));
        }
        let subject = get(f, "subject").trim();
        if subject.is_empty() {
            return HttpResponse::html(400, page("Sign-in refused", "the subject is empty"));
        }
        let parsed = parse_object(get(f, "claims"), "the extra claims")
            .and_then(|c| parse_object(get(f, "userinfo"), "the userinfo claims").map(|u| (c, u)));
        let (extra, mut userinfo) = match parsed {
            Ok(p) => p,
            Err(e) => return HttpResponse::html(400, page("Sign-in refused", &html_escape(&e))),
        };
        let t = now();
        let mut claims = Map::new();
        claims.insert("iss".into(), self.url.clone().into());
        claims.insert("sub".into(), subject.into());
        claims.insert("aud".into(), self.client.id.clone().into());
        claims.insert("iat".into(), t.into());
        claims.insert("auth_time".into(), t.into());
        claims.insert("exp".into(), (t + TOKEN_TTL_SECS).into());
        if !get(f, "nonce").is_empty() {
            claims.insert("nonce".into(), get(f, "nonce").into());
        }
        for (k, v) in extra {
            claims.insert(k, v);
        }
        userinfo
            .entry("sub".to_string())
            .or_insert_with(|| subject.into());
        let code = random(32);
        let grant = Grant {
            client_id: get(f, "client_id").to_string(),
            redirect_uri: get(f, "redirect_uri").to_string(),
            challenge: get(f, "code_challenge").to_string(),
            id_claims: claims,
            userinfo,
            expires_at: t + CODE_TTL_SECS,
            used: false,
        };
        if let Ok(mut codes) = self.codes.lock() {
            codes.retain(|_, g| g.expires_at > t);
            codes.insert(code.clone(), grant);
        }
        let mut params: Vec<(&str, &str)> = vec![("code", &code)];
        if !get(f, "state").is_empty() {
            params.push(("state", get(f, "state")));
        }
        let location = with_params(get(f, "redirect_uri"), &params);
        HttpResponse {
            status: 302,
            content_type: "text/html; charset=utf-8",
            headers: vec![("Location".into(), location.clone())],
            body: format!("<a href=\"{}\">Continue</a>\n", html_escape(&location)),
        }
    }

    /// The client's credentials: HTTP basic (`client_secret_basic`, form-encoded as RFC 6749
    /// §2.3.1 says) or in the form (`client_secret_post`).
    fn client_of(&self, req: &HttpRequest, form: &[(String, String)]) -> Option<(String, String)> {
        if let Some(basic) = req.header("authorization").and_then(|h| {
            h.strip_prefix("Basic ")
                .or_else(|| h.strip_prefix("basic "))
        }) {
            use base64::Engine;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(basic.trim())
                .ok()?;
            let text = String::from_utf8(raw).ok()?;
            let (id, secret) = text.split_once(':')?;
            let dec = |s: &str| {
                parse_form(&format!("v={s}"))
                    .pop()
                    .map(|(_, v)| v)
                    .unwrap_or_default()
            };
            return Some((dec(id), dec(secret)));
        }
        let id = get(form, "client_id");
        if id.is_empty() {
            return None;
        }
        Some((id.to_string(), get(form, "client_secret").to_string()))
    }

    fn token(&self, req: &HttpRequest) -> HttpResponse {
        let form = parse_form(&String::from_utf8_lossy(&req.body));
        let authenticated = self
            .client_of(req, &form)
            .is_some_and(|(id, secret)| id == self.client.id && secret == self.client.secret);
        if !authenticated {
            let mut r =
                HttpResponse::oauth_error(401, "invalid_client", "client authentication failed");
            r.headers.push((
                "WWW-Authenticate".into(),
                "Basic realm=\"vaultjwt dev issuer\"".into(),
            ));
            return r;
        }
        if get(&form, "grant_type") != "authorization_code" {
            return HttpResponse::oauth_error(
                400,
                "unsupported_grant_type",
                "only authorization_code is supported",
            );
        }
        let code = get(&form, "code");
        let t = now();
        let grant = {
            let Ok(mut codes) = self.codes.lock() else {
                return HttpResponse::oauth_error(500, "server_error", "state lock poisoned");
            };
            match codes.get_mut(code) {
                None => {
                    return HttpResponse::oauth_error(
                        400,
                        "invalid_grant",
                        "unknown authorization code",
                    )
                }
                Some(g) if g.used => {
                    return HttpResponse::oauth_error(
                        400,
                        "invalid_grant",
                        "authorization code already used",
                    )
                }
                Some(g) => {
                    // Used once, whatever the outcome.
                    g.used = true;
                    g.clone()
                }
            }
        };
        if grant.expires_at <= t {
            return HttpResponse::oauth_error(400, "invalid_grant", "authorization code expired");
        }
        if grant.client_id != self.client.id {
            return HttpResponse::oauth_error(
                400,
                "invalid_grant",
                "code issued to another client",
            );
        }
        if get(&form, "redirect_uri") != grant.redirect_uri {
            return HttpResponse::oauth_error(400, "invalid_grant", "redirect_uri does not match");
        }
        if !grant.challenge.is_empty() {
            let verifier = get(&form, "code_verifier");
            if verifier.is_empty() {
                return HttpResponse::oauth_error(400, "invalid_grant", "code_verifier required");
            }
            if crate::auth::jwt::oidc::pkce_challenge(verifier) != grant.challenge {
                return HttpResponse::oauth_error(400, "invalid_grant", "PKCE verification failed");
            }
        }
        let key = match super::issuer::key(&self.data_dir, KeyType::Rsa) {
            Ok(k) => k,
            Err(e) => return HttpResponse::oauth_error(500, "server_error", &e),
        };
        let id_token = match super::sign::sign(
            &key,
            "RS256",
            Some(&key.thumbprint()),
            &Map::new(),
            &grant.id_claims,
        ) {
            Ok(t) => t,
            Err(e) => return HttpResponse::oauth_error(500, "server_error", &e),
        };
        let access_token = random(40);
        if let Ok(mut access) = self.access.lock() {
            access.retain(|_, (exp, _)| *exp > t);
            access.insert(access_token.clone(), (t + TOKEN_TTL_SECS, grant.userinfo));
        }
        HttpResponse::json(
            200,
            json!({
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_TTL_SECS,
                "id_token": id_token,
            }),
        )
    }

    fn userinfo(&self, req: &HttpRequest) -> HttpResponse {
        let token = req
            .header("authorization")
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .unwrap_or("")
            .trim();
        let found = self
            .access
            .lock()
            .ok()
            .and_then(|a| a.get(token).cloned())
            .filter(|(exp, _)| *exp > now());
        match found {
            Some((_, claims)) => HttpResponse::json(200, Value::Object(claims)),
            None => {
                let mut r = HttpResponse::oauth_error(
                    401,
                    "invalid_token",
                    "unknown or expired access token",
                );
                r.headers.push((
                    "WWW-Authenticate".into(),
                    "Bearer error=\"invalid_token\"".into(),
                ));
                r
            }
        }
    }
}
