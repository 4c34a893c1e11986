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

/// Why a fetch failed, for the plain-words reason of default mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The URL could not be used (bad syntax, a scheme other than http/https, a bad CA PEM).
    Url,
    /// No connection (refused, unreachable, name resolution).
    Connect,
    /// The TLS handshake failed (untrusted or unsuitable certificate, protocol alert).
    Tls,
    /// A redirect was refused (to another origin, or too many).
    Redirect,
    /// No complete answer within the timeout.
    Timeout,
    /// The body is larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// Anything else (a broken connection, a malformed answer).
    Other,
}

/// A failed GET. `text` is Go's: `Get "<url>": <reason>` for a failure before the answer's
/// headers, `unable to read response body: <reason>` (go-oidc's) for one while reading the
/// body (`in_body`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub text: String,
    pub kind: Failure,
    pub in_body: bool,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<FetchError> for String {
    fn from(e: FetchError) -> String {
        e.text
    }
}

impl FetchError {
    /// The cause in plain words (vaultjwt default mode), e.g. `the server's TLS certificate is
    /// not trusted: ...`.
    pub fn reason(&self, timeout_secs: u64) -> String {
        let detail = self
            .text
            .strip_prefix("unable to read response body: ")
            .or_else(|| self.text.split_once("\": ").map(|(_, r)| r))
            .unwrap_or(&self.text);
        match self.kind {
            Failure::Url => format!("the URL cannot be fetched: {detail}"),
            Failure::Connect => format!("cannot connect to the server: {detail}"),
            Failure::Tls => format!("TLS handshake failed: {detail}"),
            Failure::Redirect => format!("redirect refused: {detail}"),
            Failure::Timeout => format!(
                "no complete answer within http_timeout ({}s)",
                timeout_secs.max(1)
            ),
            Failure::TooLarge => {
                format!("the response is larger than the limit of {MAX_DOCUMENT_BYTES} bytes")
            }
            Failure::Other => format!("the request failed: {detail}"),
        }
    }
}

/// One GET's identity and outcome.
type Answer = ((String, String, u64), Result<Fetched, FetchError>);

/// GETs made ahead of a request (see [`recording`]), to answer its own GETs without the
/// network (see [`replaying`]).
#[derive(Debug, Clone, Default)]
pub struct Prefetched(Vec<Answer>);

impl Prefetched {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

enum Mode {
    /// Every GET goes to the network.
    Direct,
    /// Every GET goes to the network and is remembered.
    Record(Vec<Answer>),
    /// A GET remembered is answered from memory; any other goes to the network.
    Replay(Vec<Answer>),
}

thread_local! {
    static MODE: std::cell::RefCell<Mode> = const { std::cell::RefCell::new(Mode::Direct) };
}

/// Puts the previous mode back when dropped (also on unwinding).
struct Restore(Option<Mode>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(m) = self.0.take() {
            MODE.with(|cell| *cell.borrow_mut() = m);
        }
    }
}

fn swap_mode(m: Mode) -> Mode {
    MODE.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), m))
}

/// Runs `f`, remembering every GET it makes (this thread): what `f` returned and the GETs.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Prefetched) {
    let mut restore = Restore(Some(swap_mode(Mode::Record(Vec::new()))));
    let out = f();
    let answers = match restore.0.take().map(swap_mode) {
        Some(Mode::Record(a)) => a,
        _ => Vec::new(),
    };
    (out, Prefetched(answers))
}

/// Runs `f` with its GETs answered from `prefetched` when they were made there (same URL,
/// CA and timeout); any other GET goes to the network.
pub fn replaying<T>(prefetched: Prefetched, f: impl FnOnce() -> T) -> T {
    let _restore = Restore(Some(swap_mode(Mode::Replay(prefetched.0))));
    f()
}

/// GETs `url`. `ca_pem` (when non-empty) is the only trust anchor for HTTPS. `timeout_secs`
/// bounds the whole request, body included (as Go's `http.Client.Timeout`), and the body is
/// capped at [`MAX_DOCUMENT_BYTES`] while it is read. Within [`replaying`], a GET made ahead
/// is answered from memory.
pub fn get(url: &str, ca_pem: &str, timeout_secs: u64) -> Result<Fetched, FetchError> {
    let key = (url.to_string(), ca_pem.to_string(), timeout_secs);
    let known = MODE.with(|cell| match &*cell.borrow() {
        Mode::Replay(answers) => answers
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| r.clone()),
        _ => None,
    });
    if let Some(answer) = known {
        return answer;
    }
    let answer = send_now(url, ca_pem, timeout_secs, &Extra::default());
    MODE.with(|cell| {
        if let Mode::Record(answers) = &mut *cell.borrow_mut() {
            answers.push((key, answer.clone()));
        }
    });
    answer
}

/// What a request carries besides a GET's (the OIDC token and userinfo endpoints).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// A POST of this form (`application/x-www-form-urlencoded`) when `Some`.
    pub form: Option<Vec<(String, String)>>,
    /// HTTP basic authentication (user, password).
    pub basic: Option<(String, String)>,
    /// `Authorization: Bearer` token.
    pub bearer: Option<String>,
}

/// A GET or POST with [`Extra`], with the same limits as [`get`], always to the network.
pub fn send(
    url: &str,
    ca_pem: &str,
    timeout_secs: u64,
    extra: &Extra,
) -> Result<Fetched, FetchError> {
    send_now(url, ca_pem, timeout_secs, extra)
}

fn send_now(
    url: &str,
    ca_pem: &str,
    timeout_secs: u64,
    extra: &Extra,
) -> Result<Fetched, FetchError> {
    let verb = if extra.form.is_some() { "Post" } else { "Get" };
    let fail = |kind: Failure, why: String| FetchError {
        text: format!("{verb} {}: {why}", crate::core::fields::go_quote(url)),
        kind,
        in_body: false,
    };
    let in_body = |kind: Failure, why: String| FetchError {
        text: format!("unable to read response body: {why}"),
        kind,
        in_body: true,
    };
    let timeout = std::time::Duration::from_secs(timeout_secs.max(1));
    let deadline = std::time::Instant::now() + timeout;
    let parsed = reqwest::Url::parse(url).map_err(|e| fail(Failure::Url, e.to_string()))?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => {
            return Err(fail(
                Failure::Url,
                format!("unsupported protocol scheme \"{other}\""),
            ))
        }
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
            .ok_or_else(|| fail(Failure::Url, "no certificate found in the CA PEM".into()))?;
        builder = builder.tls_built_in_root_certs(false);
        for der in certs {
            let cert = reqwest::Certificate::from_der(&der)
                .map_err(|e| fail(Failure::Url, e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
    }
    let client = builder
        .build()
        .map_err(|e| fail(Failure::Other, e.to_string()))?;
    // The request's own timeout is a total one: reqwest applies it to the body as well.
    let mut request = match &extra.form {
        Some(form) => client.post(parsed.clone()).form(form),
        None => client.get(parsed.clone()),
    };
    if let Some((user, password)) = &extra.basic {
        request = request.basic_auth(user, Some(password));
    }
    if let Some(token) = &extra.bearer {
        request = request.bearer_auth(token);
    }
    let mut resp = request
        .header("Accept", "application/json")
        .timeout(timeout)
        .send()
        .map_err(|e| {
            let (kind, why) = describe(&e, &parsed);
            fail(kind, why)
        })?;
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(len) = resp.content_length() {
        if len > MAX_DOCUMENT_BYTES {
            return Err(in_body(Failure::TooLarge, too_large()));
        }
    }
    // Read in chunks: each read is bounded by reqwest, the whole by the deadline, the size
    // by the cap, so a server that drips one byte at a time is cut off in time.
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if std::time::Instant::now() >= deadline {
            return Err(in_body(Failure::Timeout, BODY_TIMEOUT.into()));
        }
        match resp.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                body.extend_from_slice(&chunk[..n]);
                if body.len() as u64 > MAX_DOCUMENT_BYTES {
                    return Err(in_body(Failure::TooLarge, too_large()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let timed_out = std::time::Instant::now() >= deadline
                    || e.kind() == std::io::ErrorKind::TimedOut
                    || chain_has(&e, "timed out");
                return Err(if timed_out {
                    in_body(Failure::Timeout, BODY_TIMEOUT.into())
                } else {
                    in_body(Failure::Other, innermost(&e))
                });
            }
        }
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

/// Go's text for a body read cut off by `http.Client.Timeout`.
const BODY_TIMEOUT: &str =
    "context deadline exceeded (Client.Timeout or context cancellation while reading body)";

/// Whether any error in `e`'s source chain says `what`.
fn chain_has(e: &(dyn std::error::Error + 'static), what: &str) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        if c.to_string().contains(what) {
            return true;
        }
        cur = c.source();
    }
    false
}

/// The innermost cause of `e`, without Rust's ` (os error N)` suffix.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        text = s.to_string();
        src = s.source();
    }
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text,
    }
}

fn too_large() -> String {
    format!("response body exceeds the limit of {MAX_DOCUMENT_BYTES} bytes")
}

/// Go-like text of a request failure and its kind: `dial tcp 127.0.0.1:1: connect:
/// connection refused`, a TLS failure as Go's `tls: ...`, a timeout, or the innermost cause.
fn describe(e: &reqwest::Error, url: &reqwest::Url) -> (Failure, String) {
    if e.is_timeout() {
        return (
            Failure::Timeout,
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".into(),
        );
    }
    let inner = innermost(e);
    if e.is_redirect() {
        return (Failure::Redirect, inner);
    }
    if let Some(tls) = tls_text(&inner) {
        return (Failure::Tls, tls);
    }
    if e.is_connect() {
        let host = url.host_str().unwrap_or("");
        let port = url.port_or_known_default().unwrap_or(0);
        return (
            Failure::Connect,
            format!("dial tcp {host}:{port}: connect: {inner}"),
        );
    }
    (Failure::Other, inner)
}

/// Go's text for a rustls handshake failure (`invalid peer certificate: UnknownIssuer`,
/// `received fatal alert: ...`), `None` when `inner` is not one.
fn tls_text(inner: &str) -> Option<String> {
    if let Some(cert) = inner.strip_prefix("invalid peer certificate: ") {
        let x509 = match cert {
            "UnknownIssuer" => "certificate signed by unknown authority".to_string(),
            "Expired" | "NotValidYet" => "certificate has expired or is not yet valid".to_string(),
            c if c.starts_with("NotValidForName") || c.contains("not valid for") => {
                format!("certificate is not valid for this host ({c})")
            }
            c => c.to_string(),
        };
        return Some(format!("tls: failed to verify certificate: x509: {x509}"));
    }
    if let Some(alert) = inner.strip_prefix("received fatal alert: ") {
        return Some(format!("remote error: tls: {alert}"));
    }
    let tlsish = [
        "peer is incompatible",
        "peer misbehaved",
        "received corrupt message",
    ];
    if tlsish.iter().any(|w| inner.starts_with(w)) {
        return Some(format!("tls: {inner}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback server answering `body` to each of `n` connections; returns its URL.
    fn serve(n: usize, body: &'static str) -> String {
        use std::io::Write;
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/doc", l.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut c in l.incoming().flatten().take(n) {
                let mut buf = [0u8; 4096];
                let _ = c.read(&mut buf);
                let _ = write!(
                    c,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        url
    }

    #[test]
    fn recorded_gets_are_replayed_without_the_network() {
        let url = serve(1, "{}");
        let (first, recorded) = recording(|| get(&url, "", 2));
        assert_eq!(first.unwrap().body, b"{}");
        assert!(!recorded.is_empty());
        // The server answers no more: only the replay can answer.
        let again = replaying(recorded, || get(&url, "", 2));
        assert_eq!(again.unwrap().body, b"{}");
        // Another timeout is another GET; outside a replay, the network is asked.
        assert!(replaying(Prefetched::default(), || get(&url, "", 1)).is_err());
        assert!(get(&url, "", 1).is_err());
    }

    #[test]
    fn failures_have_kinds() {
        let dead = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/x", l.local_addr().unwrap())
        };
        let e = get(&dead, "", 1).unwrap_err();
        assert_eq!(e.kind, Failure::Connect, "{e}");
        assert!(e.text.contains("connect: connection refused"), "{e}");
        let e = get("ftp://127.0.0.1/x", "", 1).unwrap_err();
        assert_eq!(e.kind, Failure::Url);
        assert_eq!(
            e.text,
            "Get \"ftp://127.0.0.1/x\": unsupported protocol scheme \"ftp\""
        );
    }
}
