//! Remote mode: the same [`Request`] the CLI hands to the local core, sent to a real
//! OpenBao/Vault server over Vault's HTTP API, and its answer turned back into the
//! [`Response`] or [`Error`] the core would return, so that one printer serves both.
//!
//! What it sends is what the vault/bao CLI's `api` package sends: `/v1/<path>`, the token in
//! `X-Vault-Token`, `X-Vault-Request: true`, `X-Vault-Namespace` and `X-Vault-Wrap-TTL` when
//! set; reads as `GET`, lists as `GET ?list=true`, writes as `PUT` with a JSON body, deletes as
//! `DELETE`, patches as `PATCH` with `application/merge-patch+json`. Like the api package it
//! retries a `412` and a `5xx` other than `501` (and a request that reached no server), by
//! default twice, waiting 1 s and then 1.5 s.
//!
//! An answer that carries no Vault status (no server, a TLS failure, a body that is not
//! Vault's JSON, one over [`MAX_RESPONSE_BYTES`]) is an [`Error`] with status 0 and one
//! message naming the address and what went wrong.

pub mod sync;

use crate::core::{Alias, Auth, Error, Operation, Request, Response, Result};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

/// The largest response body read from a server (Vault's own request cap).
pub const MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// How to reach a server: Vault's client flags and their `VAULTJWT_*` variables.
#[derive(Debug, Clone)]
pub struct Config {
    /// `http(s)://host:port`, without `/v1`.
    pub address: String,
    pub token: Option<String>,
    pub namespace: Option<String>,
    /// A PEM file of CA certificates that replaces the system roots.
    pub ca_cert: Option<PathBuf>,
    /// A directory of PEM CA certificates that replaces the system roots.
    pub ca_path: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub tls_skip_verify: bool,
    /// Extra headers (`-header`), sent with every request.
    pub headers: Vec<(String, String)>,
    /// `-tls-server-name`: the name sent as SNI and checked against the certificate.
    pub tls_server_name: Option<String>,
    /// The whole request, body included (`-client-timeout`; Vault's default is 60 s).
    pub timeout: Duration,
    /// Retries after the first attempt (`VAULT_MAX_RETRIES` semantics; default 2).
    pub max_retries: u32,
    /// `-wrap-ttl`: the server answers with a wrapping token instead of the data.
    pub wrap_ttl: Option<String>,
    /// The wait before the first retry; later ones wait 1.5 times as long (Vault: 1 s).
    pub retry_wait: Duration,
}

impl Config {
    pub fn new(address: impl Into<String>) -> Config {
        Config {
            address: address.into(),
            token: None,
            namespace: None,
            ca_cert: None,
            ca_path: None,
            client_cert: None,
            client_key: None,
            tls_skip_verify: false,
            headers: Vec::new(),
            tls_server_name: None,
            timeout: Duration::from_secs(60),
            max_retries: 2,
            wrap_ttl: None,
            retry_wait: Duration::from_millis(1000),
        }
    }
}

/// A connection to one server.
pub struct Client {
    http: reqwest::blocking::Client,
    base: reqwest::Url,
    config: Config,
}

/// A failure with no Vault status: one line, naming the address.
fn local(msg: impl Into<String>) -> Error {
    Error::new(0, msg)
}

impl Client {
    /// Builds the HTTP client: TLS settings are read here, so a bad CA file fails before any
    /// request is sent.
    pub fn new(config: Config) -> Result<Client> {
        let trimmed = config.address.trim_end_matches('/');
        let mut base = reqwest::Url::parse(&format!("{trimmed}/"))
            .map_err(|e| local(format!("invalid address {:?}: {e}", config.address)))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(local(format!(
                "invalid address {:?}: the scheme must be http or https",
                config.address
            )));
        }
        let mut b = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("vaultjwt/", env!("CARGO_PKG_VERSION")));
        let mut cas: Vec<PathBuf> = config.ca_cert.iter().cloned().collect();
        if let Some(dir) = &config.ca_path {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| local(format!("cannot read -ca-path {}: {e}", dir.display())))?;
            let mut files: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            cas.extend(files);
        }
        if !cas.is_empty() {
            b = b.tls_built_in_root_certs(false);
            for path in &cas {
                let pem = read_capped(path)
                    .map_err(|e| local(format!("cannot read CA file {}: {e}", path.display())))?;
                let certs = reqwest::Certificate::from_pem_bundle(&pem)
                    .map_err(|e| local(format!("invalid CA file {}: {e}", path.display())))?;
                if certs.is_empty() && config.ca_path.is_none() {
                    return Err(local(format!(
                        "invalid CA file {}: no certificate in it",
                        path.display()
                    )));
                }
                for c in certs {
                    b = b.add_root_certificate(c);
                }
            }
        }
        match (&config.client_cert, &config.client_key) {
            (Some(cert), Some(key)) => {
                let mut pem = read_capped(cert).map_err(|e| {
                    local(format!(
                        "cannot read client certificate {}: {e}",
                        cert.display()
                    ))
                })?;
                pem.push(b'\n');
                pem.extend(read_capped(key).map_err(|e| {
                    local(format!("cannot read client key {}: {e}", key.display()))
                })?);
                let id = reqwest::Identity::from_pem(&pem)
                    .map_err(|e| local(format!("invalid client certificate or key: {e}")))?;
                b = b.identity(id);
            }
            (None, None) => {}
            _ => return Err(local("-client-cert and -client-key must be given together")),
        }
        if config.tls_skip_verify {
            b = b.danger_accept_invalid_certs(true);
        }
        if let Some(name) = config.tls_server_name.as_deref() {
            // The requests go to `name` (so it is the SNI and the name the certificate is
            // checked against), which resolves to the address's own host and port.
            if base.scheme() == "https" && base.host_str() != Some(name) {
                use std::net::ToSocketAddrs;
                let host = base.host_str().unwrap_or_default().to_string();
                let port = base.port_or_known_default().unwrap_or(443);
                let addrs: Vec<std::net::SocketAddr> = (host.trim_matches(['[', ']']), port)
                    .to_socket_addrs()
                    .map_err(|e| local(format!("cannot resolve {host}: {e}")))?
                    .collect();
                b = b.resolve_to_addrs(name, &addrs);
                base.set_host(Some(name))
                    .map_err(|e| local(format!("invalid -tls-server-name {name:?}: {e}")))?;
            }
        }
        let http = b
            .build()
            .map_err(|e| local(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client { http, base, config })
    }

    pub fn address(&self) -> &str {
        &self.config.address
    }

    /// Sends a request and turns the answer into the core's shapes: `Ok(None)` for a `204`
    /// or a read of nothing (`404` without data), an [`Error`] with Vault's status and
    /// messages for an error answer.
    pub fn send(&self, req: &Request) -> Result<Option<Response>> {
        let (status, body) = self.raw(
            req.operation,
            &req.path,
            &req.data,
            req.client_token.as_deref(),
        )?;
        decode(req.operation, status, body, &self.config.address)
    }

    /// One request: the status and the JSON body (`None` when empty), with the retries of
    /// Vault's api package.
    pub fn raw(
        &self,
        op: Operation,
        path: &str,
        data: &Map<String, Value>,
        token: Option<&str>,
    ) -> Result<(u16, Option<Value>)> {
        let url = self.url(op, path)?;
        let mut wait = self.config.retry_wait;
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(op, &url, data, token);
            let retryable = |status: u16| status == 412 || (status >= 500 && status != 501);
            let retry = match &outcome {
                Ok((status, _)) => retryable(*status),
                Err(e) if e.status == 0 => e.errors.iter().any(|m| m.contains("connect")),
                Err(e) => retryable(e.status),
            };
            if !retry || attempt >= self.config.max_retries {
                return outcome;
            }
            attempt += 1;
            std::thread::sleep(wait);
            wait = wait.mul_f32(1.5);
        }
    }

    /// The request as a curl command line, as the vault CLI's `-output-curl-string` prints
    /// it (the token as `$(CLI print token)`, so that it is not shown).
    pub fn curl_string(&self, req: &Request, cli: &str) -> Result<String> {
        let mut url = self.url(req.operation, &req.path)?;
        let method = match req.operation {
            Operation::Read | Operation::List => "GET",
            Operation::Create | Operation::Update => "PUT",
            Operation::Delete => "DELETE",
            Operation::Patch => "PATCH",
        };
        // OpenBao's `OutputStringError.buildCurlString`: `-X` unless GET, the TLS files,
        // each header as `-H "K: V"`, the body single-quoted, then the URL in double quotes.
        let quote = |s: &str| format!("'{}'", s.replace('\'', "'\"'\"'"));
        let mut out = String::from("curl");
        if self.config.tls_skip_verify {
            out.push_str(" --insecure");
        }
        if method != "GET" {
            out.push_str(&format!(" -X {method}"));
        }
        for (flag, file) in [
            ("--cacert", &self.config.ca_cert),
            ("--capath", &self.config.ca_path),
            ("--cert", &self.config.client_cert),
            ("--key", &self.config.client_key),
        ] {
            if let Some(f) = file {
                out.push_str(&format!(" {flag} {}", quote(&f.display().to_string())));
            }
        }
        let mut headers: Vec<(String, String)> = vec![("X-Vault-Request".into(), "true".into())];
        if req.client_token.is_some() || self.config.token.is_some() {
            headers.push(("X-Vault-Token".into(), format!("$({cli} print token)")));
        }
        if let Some(ns) = &self.config.namespace {
            headers.push(("X-Vault-Namespace".into(), ns.clone()));
        }
        if let Some(w) = &self.config.wrap_ttl {
            headers.push(("X-Vault-Wrap-Ttl".into(), w.clone()));
        }
        headers.extend(self.config.headers.iter().cloned());
        for (k, v) in &headers {
            out.push_str(&format!(" -H \"{k}: {v}\""));
        }
        match req.operation {
            Operation::Read | Operation::List => {
                for (k, v) in &req.data {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    url.query_pairs_mut().append_pair(k, &text);
                }
            }
            _ if !req.data.is_empty() => {
                out.push_str(&format!(
                    " -d {}",
                    quote(&Value::Object(req.data.clone()).to_string())
                ));
            }
            _ => {}
        }
        out.push_str(&format!(" \"{url}\""));
        Ok(out)
    }

    fn url(&self, op: Operation, path: &str) -> Result<reqwest::Url> {
        // The api package builds the URL with Go's `path.Join`, which cleans it: no trailing
        // slash, no empty, `.` or `..` segments.
        let clean = go_path_clean(&format!("/v1/{path}"));
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}{}",
            self.base.path().trim_end_matches('/'),
            clean
        ));
        if url.cannot_be_a_base() {
            return Err(local(format!("invalid path {path:?}")));
        }
        if op == Operation::List {
            url.query_pairs_mut().append_pair("list", "true");
        }
        Ok(url)
    }

    fn attempt(
        &self,
        op: Operation,
        url: &reqwest::Url,
        data: &Map<String, Value>,
        token: Option<&str>,
    ) -> Result<(u16, Option<Value>)> {
        use reqwest::Method;
        let method = match op {
            Operation::Read | Operation::List => Method::GET,
            Operation::Create | Operation::Update => Method::PUT,
            Operation::Delete => Method::DELETE,
            Operation::Patch => Method::PATCH,
        };
        // A read's data goes in the query string (`read PATH k=v`, `kv get -version=N`).
        let mut url = url.clone();
        if matches!(op, Operation::Read | Operation::List) {
            for (k, v) in data {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                url.query_pairs_mut().append_pair(k, &text);
            }
        }
        let url = &url;
        let mut rb = self
            .http
            .request(method.clone(), url.clone())
            .header("X-Vault-Request", "true");
        if let Some(t) = token.or(self.config.token.as_deref()) {
            rb = rb.header("X-Vault-Token", t);
        }
        if let Some(ns) = &self.config.namespace {
            rb = rb.header("X-Vault-Namespace", ns);
        }
        if let Some(w) = &self.config.wrap_ttl {
            rb = rb.header("X-Vault-Wrap-TTL", w);
        }
        for (k, v) in &self.config.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        match op {
            Operation::Create | Operation::Update => {
                rb = rb
                    .header("Content-Type", "application/json")
                    .body(Value::Object(data.clone()).to_string());
            }
            Operation::Patch => {
                rb = rb
                    .header("Content-Type", "application/merge-patch+json")
                    .body(Value::Object(data.clone()).to_string());
            }
            Operation::Delete if !data.is_empty() => {
                rb = rb
                    .header("Content-Type", "application/json")
                    .body(Value::Object(data.clone()).to_string());
            }
            _ => {}
        }
        let resp = rb.send().map_err(|e| {
            // Named by the address the user gave, not the `-tls-server-name` it goes by.
            let mut shown = url.clone();
            if let Ok(given) = reqwest::Url::parse(&self.config.address) {
                let _ = shown.set_host(given.host_str());
            }
            transport_error(&method, &shown, &e)
        })?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        resp.take(MAX_RESPONSE_BYTES + 1)
            .read_to_end(&mut body)
            .map_err(|e| local(format!("{method} {url}: reading the answer: {e}")))?;
        if body.len() as u64 > MAX_RESPONSE_BYTES {
            return Err(local(format!(
                "{method} {url}: the answer is larger than {} MiB",
                MAX_RESPONSE_BYTES >> 20
            )));
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok((status, None));
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => Ok((status, Some(v))),
            Err(_) if status >= 400 => Err(Error::raw(
                status,
                String::from_utf8_lossy(&body).into_owned(),
            )),
            Err(_) => {
                let text = String::from_utf8_lossy(&body);
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                let first: String = first.chars().take(120).collect();
                Err(local(format!(
                    "{method} {url}: code {status}: the answer is not JSON ({first:?})"
                )))
            }
        }
    }
}

/// Go's `path.Clean` of an absolute path.
fn go_path_clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// A request that got no HTTP answer, in the words of Go's `net/http` where they match
/// (`Put "http://...": dial tcp ...: connect: connection refused`).
fn transport_error(method: &reqwest::Method, url: &reqwest::Url, e: &reqwest::Error) -> Error {
    let verb = {
        let m = method.as_str().to_ascii_lowercase();
        let mut c = m.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let mut cause = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let what = if e.is_timeout() {
        "timed out (-client-timeout)".to_string()
    } else if e.is_connect() {
        let lower = cause.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            format!("TLS handshake failed: {cause}")
        } else if lower.contains("refused") {
            let host = url.host_str().unwrap_or_default();
            let port = url.port_or_known_default().unwrap_or_default();
            format!("dial tcp {host}:{port}: connect: connection refused")
        } else {
            format!("cannot connect: {cause}")
        }
    } else {
        cause
    };
    local(format!("{verb} {:?}: {what}", url.as_str()))
}

/// The core's shapes for a server's answer (Vault's `api.ParseSecret` and error handling).
pub fn decode(
    op: Operation,
    status: u16,
    body: Option<Value>,
    address: &str,
) -> Result<Option<Response>> {
    let read = matches!(op, Operation::Read | Operation::List);
    let obj = match body {
        // Only a read of nothing is no error: any other bodiless 4xx/5xx is.
        None if status >= 400 && !(read && status == 404) => {
            return Err(Error::raw(status, ""));
        }
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(local(format!(
                "{address}: code {status}: the answer is not a JSON object: {other}"
            )))
        }
    };
    if status >= 400 {
        let errors: Vec<String> = obj
            .get("errors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| {
                        e.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| e.to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        // An error answer with no errors but data or warnings (a KV v2 read of a deleted
        // version, a write to an invalid KV v2 path) is a response with that status, as the
        // local core gives it; a read of nothing (404, nothing at all) is "No value found".
        if errors.is_empty() {
            let has_data = obj.get("data").is_some_and(|d| !d.is_null())
                || obj.get("warnings").is_some_and(|w| !w.is_null());
            if has_data {
                let mut resp = secret(&obj);
                resp.status = status;
                return Ok(Some(resp));
            }
            if read && status == 404 {
                return Ok(None);
            }
        }
        return Err(Error {
            status,
            errors,
            raw: false,
            local: false,
        });
    }
    if status == 204 || obj.is_empty() {
        return Ok(None);
    }
    Ok(Some(secret(&obj)))
}

/// The strings of a JSON list (anything else: none).
pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Vault's `api.Secret` as a [`Response`]. As the api package's `ParseSecret`, a body that
/// has none of a secret's fields (set to something other than its zero value) is itself the
/// data: `sys/health`, `sys/leader`, `sys/seal-status` answer that way.
fn secret(obj: &Map<String, Value>) -> Response {
    let zero = |v: &Value| match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(_) => false,
    };
    const FIELDS: [&str; 9] = [
        "request_id",
        "lease_id",
        "lease_duration",
        "renewable",
        "data",
        "warnings",
        "auth",
        "wrap_info",
        "mount_type",
    ];
    if FIELDS.iter().all(|k| obj.get(*k).is_none_or(zero)) {
        return Response {
            data: Some(obj.clone()),
            ..Default::default()
        };
    }
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    Response {
        data: obj.get("data").and_then(Value::as_object).cloned(),
        auth: obj.get("auth").and_then(Value::as_object).map(auth),
        warnings: strings(obj.get("warnings")),
        lease_id: str_of(obj.get("lease_id")),
        lease_duration: obj
            .get("lease_duration")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        renewable: obj
            .get("renewable")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        status: 0,
    }
}

/// Vault's `api.SecretAuth` as an [`Auth`].
fn auth(a: &Map<String, Value>) -> Auth {
    let s = |k: &str| {
        a.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let list = |k: &str| strings(a.get(k));
    let metadata = a
        .get("metadata")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let lease = a.get("lease_duration").and_then(Value::as_i64).unwrap_or(0);
    Auth {
        client_token: s("client_token"),
        accessor: s("accessor"),
        policies: list("policies"),
        token_policies: list("token_policies"),
        identity_policies: list("identity_policies"),
        metadata,
        orphan: a.get("orphan").and_then(Value::as_bool).unwrap_or(false),
        entity_id: s("entity_id"),
        lease_duration: lease,
        ttl: lease,
        renewable: a.get("renewable").and_then(Value::as_bool).unwrap_or(false),
        token_type: s("token_type"),
        alias: None::<Alias>,
        ..Default::default()
    }
}

/// A TLS file (CA, client certificate or key), refused past 1 MiB: no such file is larger,
/// and a device or a huge file must not be read whole.
fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    const LIMIT: u64 = 1 << 20;
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(LIMIT + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > LIMIT {
        return Err(std::io::Error::other("larger than 1 MiB, not a PEM file"));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_vault_answers() {
        // 204: nothing.
        assert_eq!(
            decode(Operation::Update, 204, None, "a")
                .unwrap()
                .map(|r| r.data),
            None
        );
        // A read of nothing.
        assert!(
            decode(Operation::Read, 404, Some(json!({"errors": []})), "a")
                .unwrap()
                .is_none()
        );
        // A KV v2 read of a deleted version: 404 with its metadata.
        let r = decode(
            Operation::Read,
            404,
            Some(json!({"data": {"data": null}, "warnings": null})),
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.status, 404);
        // An error.
        let e = decode(
            Operation::Update,
            400,
            Some(json!({"errors": ["missing role"]})),
            "a",
        )
        .unwrap_err();
        assert_eq!(
            (e.status, e.errors),
            (400, vec!["missing role".to_string()])
        );
        // A secret with auth.
        let r = decode(
            Operation::Update,
            200,
            Some(
                json!({"lease_id": "", "lease_duration": 0, "renewable": false, "data": null,
                "warnings": ["w"], "auth": {"client_token": "s.x", "accessor": "a",
                "policies": ["default"], "token_policies": ["default"], "metadata": {"role": "r"},
                "orphan": true, "entity_id": "e", "lease_duration": 60, "renewable": true}}),
            ),
            "a",
        )
        .unwrap()
        .unwrap();
        let a = r.auth.unwrap();
        assert_eq!(a.client_token, "s.x");
        assert_eq!(a.metadata.get("role").map(String::as_str), Some("r"));
        assert_eq!(a.lease_duration, 60);
        assert_eq!(r.warnings, vec!["w".to_string()]);
        // A body that is not a secret is the data.
        let r = decode(
            Operation::Read,
            200,
            Some(json!({"ha_enabled": true, "is_self": false})),
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.data.unwrap()["is_self"], json!(false));
        // Not an object.
        // A bodiless 404 to a write is an error, printed as a raw message.
        let e = decode(Operation::Patch, 404, None, "a").unwrap_err();
        assert!(e.raw && e.status == 404);
        assert_eq!(
            decode(Operation::Update, 200, Some(json!([1])), "a")
                .unwrap_err()
                .status,
            0
        );
    }

    #[test]
    fn curl_strings() {
        let c = Client::new(Config::new("http://127.0.0.1:8200")).unwrap();
        let mut data = Map::new();
        data.insert("type".into(), json!("jwt"));
        let req = Request::new(Operation::Update, "sys/auth/jwt/")
            .with_data(data)
            .with_token(Some("s.x".into()));
        assert_eq!(
            c.curl_string(&req, "vaultjwt").unwrap(),
            "curl -X PUT -H \"X-Vault-Request: true\" -H \"X-Vault-Token: $(vaultjwt print token)\" -d '{\"type\":\"jwt\"}' \"http://127.0.0.1:8200/v1/sys/auth/jwt\""
        );
        let mut q = Map::new();
        q.insert("version".into(), json!("2"));
        let req = Request::new(Operation::Read, "secret/data/a").with_data(q);
        assert_eq!(
            c.curl_string(&req, "vaultjwt").unwrap(),
            "curl -H \"X-Vault-Request: true\" \"http://127.0.0.1:8200/v1/secret/data/a?version=2\""
        );
    }

    #[test]
    fn urls_and_bad_addresses() {
        let c = Client::new(Config::new("http://127.0.0.1:8200/")).unwrap();
        assert_eq!(
            c.url(Operation::List, "/auth/jwt/role").unwrap().as_str(),
            "http://127.0.0.1:8200/v1/auth/jwt/role?list=true"
        );
        assert_eq!(
            c.url(Operation::Update, "sys/auth/jwt/").unwrap().as_str(),
            "http://127.0.0.1:8200/v1/sys/auth/jwt"
        );
        assert_eq!(go_path_clean("/v1/a//b/./c/../d/"), "/v1/a/b/d");
        assert!(Client::new(Config::new("ftp://x")).is_err());
        assert!(Client::new(Config::new("not a url")).is_err());
        let mut cfg = Config::new("https://127.0.0.1:1");
        cfg.ca_cert = Some("/nonexistent/ca.pem".into());
        let e = Client::new(cfg).err().unwrap();
        assert!(e.message().contains("/nonexistent/ca.pem"), "{e:?}");
    }

    #[test]
    fn no_server_is_one_line_naming_the_address() {
        // A port nothing listens on (bound, then closed).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cfg = Config::new(format!("http://127.0.0.1:{port}"));
        cfg.max_retries = 0;
        let c = Client::new(cfg).unwrap();
        let e = c
            .send(&Request::new(Operation::Update, "auth/jwt/login"))
            .unwrap_err();
        assert_eq!(e.status, 0);
        assert_eq!(
            e.message(),
            format!(
                "Put \"http://127.0.0.1:{port}/v1/auth/jwt/login\": dial tcp 127.0.0.1:{port}: connect: connection refused"
            )
        );
    }
}
