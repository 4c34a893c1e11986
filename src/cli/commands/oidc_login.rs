//! `login -method=oidc`: the vault CLI's OIDC handler (the jwt plugin's `cli.go`).
//!
//! Asks the mount for an authorization URL whose redirect_uri is a listener on the loopback
//! (`http://{callbackhost}:{callbackport}/oidc/callback`), opens the browser at it (or prints
//! it with `skip_browser=true`), waits up to two minutes for the provider's redirect,
//! completes the login at `auth/<mount>/oidc/callback` and returns its answer. Works the same
//! against the local data directory and a server. Interrupted (Ctrl-C), it closes the
//! listener and spends the pending state on the server, so nothing is left behind.

use crate::cli::{output, Engine, Session};
use crate::core::{Error, Operation, Request, Response};
use anyhow::Result;
use serde_json::{Map, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const DEFAULT_MOUNT: &str = "oidc";
const DEFAULT_LISTEN: &str = "localhost";
const DEFAULT_PORT: &str = "8250";
const DEFAULT_CALLBACK_HOST: &str = "localhost";
const DEFAULT_CALLBACK_METHOD: &str = "http";
/// How long the CLI waits for the provider's redirect.
const WAIT: Duration = Duration::from_secs(120);

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Catches SIGINT/SIGTERM/SIGHUP (and SIGTSTP, as the vault CLI does) while waiting.
struct Signals(Vec<(libc::c_int, libc::sighandler_t)>);

impl Signals {
    fn catch() -> Signals {
        let mut old = Vec::new();
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGTSTP] {
            // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
            let prev = unsafe { libc::signal(sig, on_signal as *const () as libc::sighandler_t) };
            old.push((sig, prev));
        }
        Signals(old)
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for (sig, prev) in &self.0 {
            // SAFETY: restores the disposition saved in `catch`.
            unsafe {
                libc::signal(*sig, *prev);
            }
        }
    }
}

const SUCCESS_HTML: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\">\
<title>OpenBao Authentication Succeeded</title></head><body>\
<div class=\"message is-success\"><div class=\"message-title\">Signed in via your OIDC provider</div>\
<p class=\"message-body\">You can now close this window and start using OpenBao.</p></div>\
</body></html>\n";

fn error_html(summary: &str, detail: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>OpenBao</title></head>\
         <body><div class=\"message is-danger\"><div class=\"message-title\">{}</div>\
         <p class=\"message-body\">{}</p></div></body></html>\n",
        esc(summary),
        esc(detail)
    )
}

/// `parseError`: the known headline sentences split from the rest.
fn parse_error(e: &Error) -> (String, String) {
    let msg = e.errors.last().cloned().unwrap_or_else(|| e.message());
    for h in [
        "No response from provider.",
        "OpenBao login failed.",
        "Token verification failed.",
    ] {
        if let Some(rest) = msg.strip_prefix(h) {
            return (h.to_string(), rest.trim().to_string());
        }
    }
    ("Login error".to_string(), msg)
}

/// Runs the OIDC login.
pub fn run(s: &mut Session, path: Option<&str>, args: &[String]) -> Result<Response> {
    let mut m: Map<String, Value> = Map::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(output::local_error(&format!(
                "Error parsing configuration: invalid key/value pair {a:?}: format must be key=value"
            )));
        };
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
    let get = |k: &str, d: &str| -> String {
        m.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| d.to_string())
    };
    let fail = |msg: String| -> Result<Response> {
        Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("Error authenticating: {msg}"),
        ))
    };
    let mount = path
        .map(|p| p.trim_matches('/').to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_MOUNT.to_string());
    let callback_mode = get("callbackmode", "client");
    if callback_mode != "client" && !callback_mode.is_empty() {
        return fail(format!(
            "callbackmode={callback_mode} is not supported by vaultjwt; use callbackmode=client"
        ));
    }
    let listen = get("listenaddress", DEFAULT_LISTEN);
    let port = get("port", DEFAULT_PORT);
    let callback_host = get("callbackhost", DEFAULT_CALLBACK_HOST);
    let callback_method = get("callbackmethod", DEFAULT_CALLBACK_METHOD);
    let callback_port = get("callbackport", &port);
    let mut flags = [
        ("skip_browser", false),
        ("show_qr", false),
        ("abort_on_error", false),
    ];
    for (name, value) in flags.iter_mut() {
        if let Some(v) = m.get(*name).and_then(Value::as_str) {
            match crate::framework::go::parse_bool(v) {
                Some(b) => *value = b,
                None => {
                    return fail(format!(
                        "failed to parse value for {name:?}, err=strconv.ParseBool: parsing {v:?}: invalid syntax"
                    ))
                }
            }
        }
    }
    let [(_, skip_browser), _, (_, abort_on_error)] = flags;
    let role = get("role", "");

    // fetchAuthURL
    let client_nonce = crate::token::random_string(20);
    let redirect_uri = format!("{callback_method}://{callback_host}:{callback_port}/oidc/callback");
    let mut data = Map::new();
    data.insert("role".into(), Value::String(role.clone()));
    data.insert("redirect_uri".into(), Value::String(redirect_uri.clone()));
    data.insert("client_nonce".into(), Value::String(client_nonce.clone()));
    let auth_path = format!("auth/{mount}/oidc/auth_url");
    let secret = match s.request(Operation::Update, &auth_path, data) {
        Ok(r) => r,
        Err(e) => return Err(output::api_error("Error authenticating", &e)),
    };
    let d = secret.as_ref().and_then(|r| r.data.clone());
    let field = |k: &str| {
        d.as_ref()
            .and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let auth_url = field("auth_url");
    if auth_url.is_empty() {
        return fail(format!(
            "Unable to authorize role {} with redirect_uri {}. Check OpenBao logs for more information.",
            crate::core::fields::go_quote(&role),
            crate::core::fields::go_quote(&redirect_uri)
        ));
    }
    if !field("state").is_empty() {
        return fail("state returned in client callback mode, try direct".into());
    }
    if !field("poll_interval").is_empty() {
        return fail("poll_interval returned in client callback mode".into());
    }
    let state = reqwest::Url::parse(&auth_url)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.split(",ns=").next().unwrap_or("").to_string())
        })
        .unwrap_or_default();

    let listener = match TcpListener::bind(format!("{listen}:{port}")) {
        Ok(l) => l,
        Err(e) => {
            spend_state(s, &mount, &state, &client_nonce);
            return fail(format!(
                "listen tcp {listen}:{port}: {}",
                crate::dev::issuer::io_text(&e)
            ));
        }
    };
    let _ = listener.set_nonblocking(true);

    if !skip_browser {
        eprint!("Complete the login via your OIDC provider. Launching browser to:\n\n    {auth_url}\n\n\n");
        if let Err(e) = open_browser(&auth_url) {
            if abort_on_error {
                spend_state(s, &mount, &state, &client_nonce);
                return fail(format!(
                    "failed to launch the browser abort_on_error={abort_on_error}, err={e}"
                ));
            }
            eprint!("Error attempting to automatically open browser: '{e}'.\nPlease visit the authorization URL manually.");
        }
    } else {
        eprint!("Complete the login via your OIDC provider. Open the following link in your browser:\n\n    {auth_url}\n\n\n");
    }
    eprintln!("Waiting for OIDC authentication to complete...");
    let _ = std::io::stderr().flush();

    // Nobody else is kept out of the data directory while the user signs in.
    if let Engine::Local(core) = &s.engine {
        let _ = core.storage.unlock();
    }
    let signals = Signals::catch();
    INTERRUPTED.store(false, Ordering::SeqCst);
    let deadline = Instant::now() + WAIT;
    let outcome = loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            break Wait::Interrupted;
        }
        if Instant::now() >= deadline {
            break Wait::TimedOut;
        }
        match listener.accept() {
            Ok((conn, _)) => {
                if let Some(params) = read_callback(conn_clone(&conn)) {
                    break Wait::Callback(conn, params);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    drop(signals);
    drop(listener);
    if let Engine::Local(core) = &s.engine {
        if let Err(e) = core.storage.relock() {
            return fail(e.to_string());
        }
    }
    match outcome {
        Wait::Interrupted => {
            spend_state(s, &mount, &state, &client_nonce);
            fail("interrupted".into())
        }
        Wait::TimedOut => {
            spend_state(s, &mount, &state, &client_nonce);
            fail("timed out waiting for response from provider".into())
        }
        Wait::Callback(mut conn, cb) => {
            let cb_path = format!("auth/{mount}/oidc/callback");
            let mut data = Map::new();
            data.insert("state".into(), Value::String(cb.state.clone()));
            data.insert("code".into(), Value::String(cb.code.clone()));
            data.insert("id_token".into(), Value::String(cb.id_token.clone()));
            data.insert("client_nonce".into(), Value::String(client_nonce.clone()));
            if cb.post {
                // form_post: the posted values go to the server first, then the read.
                let _ = s.request(Operation::Update, &cb_path, data.clone());
                data.remove("id_token");
            }
            let answer = s.handle(
                Request::new(Operation::Read, cb_path)
                    .with_data(data)
                    .with_token(s.token.clone()),
            );
            match answer {
                Ok(r) => {
                    reply(&mut conn, 200, SUCCESS_HTML);
                    Ok(r.unwrap_or_default())
                }
                Err(e) => {
                    let (summary, detail) = parse_error(&e);
                    reply(&mut conn, 200, &error_html(&summary, &detail));
                    Err(output::api_error("Error authenticating", &e))
                }
            }
        }
    }
}

enum Wait {
    Interrupted,
    TimedOut,
    Callback(TcpStream, Callback),
}

/// What the provider's redirect carried.
#[derive(Debug, Default)]
struct Callback {
    state: String,
    code: String,
    id_token: String,
    post: bool,
}

fn conn_clone(c: &TcpStream) -> Option<TcpStream> {
    c.try_clone().ok()
}

/// Reads one request on the listener; `Some` for the callback path (anything else gets a
/// 404 and the wait goes on).
fn read_callback(conn: Option<TcpStream>) -> Option<Callback> {
    let mut conn = conn?;
    let _ = conn.set_nonblocking(false);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("/").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path != "/oidc/callback" {
        reply(&mut conn, 404, "404 page not found\n");
        return None;
    }
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    // As Go's FormValue: the body's values first, then the query's.
    let mut pairs = crate::dev::oidc::parse_form(&String::from_utf8_lossy(&body));
    pairs.extend(crate::dev::oidc::parse_form(query));
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Some(Callback {
        state: get("state"),
        code: get("code"),
        id_token: get("id_token"),
        post: method == "POST",
    })
}

fn reply(conn: &mut TcpStream, status: u16, body: &str) {
    let (reason, ctype) = match status {
        200 => ("OK", "text/html; charset=utf-8"),
        _ => ("Not Found", "text/plain; charset=utf-8"),
    };
    let _ = write!(
        conn,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = conn.flush();
}

/// cap's `util.OpenURL` on Linux: `xdg-open URL` (on macOS `open`).
fn open_browser(url: &str) -> std::result::Result<(), String> {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(cmd)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("exec: \"{cmd}\": {}", crate::dev::issuer::io_text(&e)))
}

/// Spends the pending state (a callback that fails on purpose), so an abandoned login
/// leaves nothing on the server or in the data directory.
fn spend_state(s: &mut Session, mount: &str, state: &str, client_nonce: &str) {
    if state.is_empty() {
        return;
    }
    let mut data = Map::new();
    data.insert("state".into(), Value::String(state.to_string()));
    data.insert(
        "client_nonce".into(),
        Value::String(client_nonce.to_string()),
    );
    data.insert("error".into(), Value::String("access_denied".into()));
    let _ = s.handle(
        Request::new(Operation::Read, format!("auth/{mount}/oidc/callback"))
            .with_data(data)
            .with_token(s.token.clone()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_bool() {
        assert_eq!(crate::framework::go::parse_bool("true"), Some(true));
        assert_eq!(crate::framework::go::parse_bool("T"), Some(true));
        assert_eq!(crate::framework::go::parse_bool("0"), Some(false));
        assert_eq!(crate::framework::go::parse_bool("yes"), None);
    }

    #[test]
    fn error_headlines_are_split() {
        let e = Error::bad_request("OpenBao login failed. Expired or missing OAuth state.");
        assert_eq!(
            parse_error(&e),
            (
                "OpenBao login failed.".to_string(),
                "Expired or missing OAuth state.".to_string()
            )
        );
    }
}
