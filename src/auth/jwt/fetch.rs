//! HTTP GET of issuer documents (OIDC discovery, JWKS) with the limits vaultjwt imposes:
//! a timeout, a size cap, redirects only within the same origin, and a pinned CA bundle
//! replacing the system roots when one is configured.

use std::io::Read;

/// The largest document accepted (bytes).
pub const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// Go's `resp.Status`, e.g. `404 Not Found`.
    pub status_line: String,
    /// The `Content-Type` header, empty when absent.
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Fetched {
    /// go-oidc's `unmarshalResp`: the JSON error, explained by the content type.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let err = go_json_error(&self.body, &e);
            let media = self
                .content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if media == "application/json" {
                format!(
                    "got Content-Type = application/json, but could not unmarshal as JSON: {err}"
                )
            } else {
                format!(
                    "expected Content-Type = application/json, got {}: {err}",
                    crate::core::fields::go_quote(&self.content_type)
                )
            }
        })
    }
}

/// An approximation of Go's `encoding/json` error texts.
pub fn go_json_error(body: &[u8], e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "unexpected end of JSON input".into();
    }
    if e.is_data() {
        return format!("json: {e}");
    }
    // serde_json stops at 128 levels of nesting; Go's limit is 10,000, with this text
    if e.to_string().starts_with("recursion limit exceeded") {
        return "exceeded max depth".into();
    }
    // the offending byte, from serde's 1-based line and (byte) column, quoted as Go does
    let msg = e.to_string();
    let offset = body
        .split(|b| *b == b'\n')
        .take(e.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    // serde reports a control character in a string one byte early
    let offset = offset + usize::from(msg.starts_with("control character"));
    let context = if msg.starts_with("control character") {
        "in string literal"
    } else if msg.starts_with("invalid escape") {
        "in string escape code"
    } else if msg.starts_with("expected `:`") {
        "after object key"
    } else if msg.starts_with("expected `,` or `}`") {
        "after object key:value pair"
    } else if msg.starts_with("expected `,` or `]`") {
        "after array element"
    } else if msg.starts_with("key must be a string") {
        "looking for beginning of object key string"
    } else if msg.starts_with("trailing characters") {
        "after top-level value"
    } else {
        "looking for beginning of value"
    };
    match body.get(offset) {
        Some(&b) => format!(
            "invalid character {} {context}",
            crate::core::fields::go_quote_char(b)
        ),
        None => format!("invalid JSON: {e}"),
    }
}

/// GETs `url`. `ca_pem` (when non-empty) is the only trust anchor for HTTPS. Errors read
/// as Go's `Get "<url>": <reason>`.
pub fn get(url: &str, ca_pem: &str, timeout_secs: u64) -> Result<Fetched, String> {
    let fail = |why: String| format!("Get {}: {why}", crate::core::fields::go_quote(url));
    let parsed = reqwest::Url::parse(url).map_err(|e| fail(e.to_string()))?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => return Err(fail(format!("unsupported protocol scheme \"{other}\""))),
    }
    let origin = parsed.origin();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 10 {
            attempt.error("stopped after 10 redirects")
        } else if attempt.url().origin() != origin {
            let to = attempt.url().to_string();
            attempt.error(format!("refusing redirect to another host ({to})"))
        } else {
            attempt.follow()
        }
    });
    let timeout = std::time::Duration::from_secs(timeout_secs.max(1));
    let mut builder = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(policy)
        .user_agent(concat!("vaultjwt/", env!("CARGO_PKG_VERSION")));
    // as Go's ProxyFromEnvironment: never a proxy for loopback hosts
    let host = parsed
        .host_str()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        builder = builder.no_proxy();
    }
    if !ca_pem.trim().is_empty() {
        let certs = super::pem::parse_ca_pem(ca_pem)
            .ok_or_else(|| fail("no certificate found in the CA PEM".into()))?;
        builder = builder.tls_built_in_root_certs(false);
        for der in certs {
            let cert = reqwest::Certificate::from_der(&der).map_err(|e| fail(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
    }
    let client = builder.build().map_err(|e| fail(e.to_string()))?;
    let resp = client
        .get(parsed.clone())
        .header("Accept", "application/json")
        .send()
        .map_err(|e| fail(describe(&e, &parsed)))?;
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(len) = resp.content_length() {
        if len > MAX_DOCUMENT_BYTES {
            return Err(fail(too_large()));
        }
    }
    let mut body = Vec::new();
    resp.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| fail(e.to_string()))?;
    if body.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(fail(too_large()));
    }
    Ok(Fetched {
        status: status.as_u16(),
        status_line: format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string(),
        content_type,
        body,
    })
}

fn too_large() -> String {
    format!("response body exceeds the limit of {MAX_DOCUMENT_BYTES} bytes")
}

/// Go-like text of a request failure: `dial tcp 127.0.0.1:1: connect: connection refused`,
/// a timeout, or the innermost cause.
fn describe(e: &reqwest::Error, url: &reqwest::Url) -> String {
    if e.is_timeout() {
        return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".into();
    }
    let mut innermost = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        innermost = s.to_string();
        src = s.source();
    }
    let innermost = match innermost.find(" (os error") {
        Some(i) => innermost[..i].to_lowercase(),
        None => innermost,
    };
    if e.is_connect() {
        let host = url.host_str().unwrap_or("");
        let port = url.port_or_known_default().unwrap_or(0);
        return format!("dial tcp {host}:{port}: connect: {innermost}");
    }
    innermost
}
