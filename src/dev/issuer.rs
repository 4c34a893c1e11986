//! The loopback OIDC issuer: discovery and JWKS over plain HTTP on 127.0.0.1 / ::1 only,
//! from keys kept in the data directory (`dev-issuer/`).
//!
//! Layout of `$VAULTJWT_HOME/dev-issuer/` (directory 0700, files 0600):
//! - `rsa.pem`, `p256.pem`, `p384.pem`, `p521.pem`, `ed25519.pem`: one PKCS#8 key per key
//!   type, created on first use, so a token of any of the ten algorithms can be signed;
//!   each key's `kid` is its RFC 7638 thumbprint;
//! - `issuer.json`: `{"issuer": URL}` of the issuer last started, read by `jwt sign -issuer`.
//!
//! The JWKS is re-read from the directory on every request.

use super::keys::{KeyType, PrivateKey, ALGS, RSA_BITS};
use crate::storage::Dir;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Directory of the issuer's state inside a data directory.
pub fn issuer_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(ISSUER_DIR)
}

/// Name of the issuer's folder in the data directory.
const ISSUER_DIR: &str = "dev-issuer";

/// Path of the JWKS below the issuer URL.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// Path of the discovery document below the issuer URL.
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// The issuer's folder in the data directory, created (0700) when missing and `create`:
/// the data directory must be the caller's and not writable by others, and nothing below it
/// is reached through a link (see `crate::storage::Dir`). `None` when missing.
fn open_issuer_dir(data_dir: &Path, create: bool) -> Result<Option<Dir>, String> {
    let data = Dir::open_trusted(data_dir, "data directory")?;
    data.sub(ISSUER_DIR, create).map_err(|e| {
        format!(
            "cannot use {}: {}",
            data.join(ISSUER_DIR).display(),
            io_text(&e)
        )
    })
}

/// Writes `contents` to `name` in `dir` (0600) unless it exists; never replaces an existing
/// file. Returns false when another writer got there first.
fn write_new_private(dir: &Dir, name: &str, contents: &[u8]) -> Result<bool, String> {
    let tmp = format!(
        ".tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let path = dir.join(name);
    let fail = |e: std::io::Error| format!("cannot write {}: {}", path.display(), io_text(&e));
    let mut f = dir.create_new(&tmp).map_err(fail)?;
    let written = f.write_all(contents).and_then(|_| f.sync_all());
    drop(f);
    let linked = written.and_then(|_| dir.link(&tmp, dir, name));
    let _ = dir.remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fail(e)),
    }
}

/// Reads `name` in `dir` as text (a regular file; a link is refused); `None` when missing.
fn read_text(dir: &Dir, name: &str) -> Result<Option<String>, String> {
    dir.read(name)
        .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned()))
        .map_err(|e| format!("cannot read {}: {}", dir.join(name).display(), io_text(&e)))
}

/// An I/O error without Rust's `(os error N)` suffix, lower-cased as Go prints it.
pub fn io_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// The issuer's key of `kind`, created (0600) when missing.
pub fn key(data_dir: &Path, kind: KeyType) -> Result<PrivateKey, String> {
    let dir = open_issuer_dir(data_dir, true)?
        .ok_or_else(|| format!("cannot create {}", issuer_dir(data_dir).display()))?;
    let name = format!("{}.pem", kind.stem());
    let path = dir.join(&name);
    if let Some(text) = read_text(&dir, &name)? {
        return PrivateKey::from_pem(&text).map_err(|e| format!("{}: {e}", path.display()));
    }
    let k = PrivateKey::generate(kind, RSA_BITS)?;
    if write_new_private(&dir, &name, k.to_pem()?.as_bytes())? {
        Ok(k)
    } else {
        // created concurrently: use the one on disk
        let text = read_text(&dir, &name)?.unwrap_or_default();
        PrivateKey::from_pem(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Every key of the issuer, creating the missing ones.
pub fn all_keys(data_dir: &Path) -> Result<Vec<PrivateKey>, String> {
    KeyType::ALL.iter().map(|k| key(data_dir, *k)).collect()
}

/// The JWKS of the issuer's keys that exist on disk.
pub fn jwks(data_dir: &Path) -> Value {
    let Ok(Some(dir)) = open_issuer_dir(data_dir, false) else {
        return super::keys::jwks(Vec::new());
    };
    let keys = KeyType::ALL
        .iter()
        .filter_map(|k| read_text(&dir, &format!("{}.pem", k.stem())).ok().flatten())
        .filter_map(|t| PrivateKey::from_pem(&t).ok())
        .map(|k| k.public_jwk(&k.thumbprint(), None))
        .collect();
    super::keys::jwks(keys)
}

/// The discovery document of the issuer at `url`.
pub fn discovery(url: &str) -> Value {
    use super::oidc::{AUTHORIZE_PATH, TOKEN_PATH, USERINFO_PATH};
    json!({
        "issuer": url,
        "jwks_uri": format!("{url}{JWKS_PATH}"),
        "authorization_endpoint": format!("{url}{AUTHORIZE_PATH}"),
        "token_endpoint": format!("{url}{TOKEN_PATH}"),
        "userinfo_endpoint": format!("{url}{USERINFO_PATH}"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ALGS,
        "scopes_supported": ["openid"],
        "claims_supported": ["sub", "aud", "exp", "iat", "iss", "nbf", "jti"],
    })
}

/// The URL of the issuer last started with this data directory.
pub fn last_url(data_dir: &Path) -> Result<String, String> {
    let path = issuer_dir(data_dir).join("issuer.json");
    let text = match open_issuer_dir(data_dir, false)? {
        Some(dir) => read_text(&dir, "issuer.json")?,
        None => None,
    };
    let text = match text {
        Some(t) => t,
        None => {
            return Err(format!(
                "no dev issuer has been started with the data directory {}: run `vaultjwt dev issuer` first",
                data_dir.display()
            ))
        }
    };
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("issuer").and_then(Value::as_str).map(str::to_string))
        .ok_or_else(|| format!("{} is not a valid issuer state file", path.display()))
}

/// Whether something accepts connections at the host and port of `url`
/// (`http://127.0.0.1:PORT`).
pub fn is_listening(url: &str) -> bool {
    let Some(hostport) = url.strip_prefix("http://") else {
        return false;
    };
    match hostport.trim_end_matches('/').parse::<SocketAddr>() {
        Ok(addr) => TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok(),
        Err(_) => false,
    }
}

fn save_url(data_dir: &Path, url: &str) -> Result<(), String> {
    let dir = open_issuer_dir(data_dir, true)?
        .ok_or_else(|| format!("cannot create {}", issuer_dir(data_dir).display()))?;
    let path = dir.join("issuer.json");
    let tmp = format!(".issuer-{}", std::process::id());
    let fail = |e: std::io::Error| format!("cannot write {}: {}", path.display(), io_text(&e));
    let mut f = dir.open_or_create(&tmp, true).map_err(fail)?;
    f.write_all(json!({ "issuer": url }).to_string().as_bytes())
        .map_err(fail)?;
    f.sync_all().map_err(fail)?;
    dir.rename(&tmp, &dir, "issuer.json").map_err(fail)
}

/// Parses a listen address and refuses anything but loopback. `localhost:PORT` means
/// 127.0.0.1; a bare port means 127.0.0.1:PORT.
pub fn parse_listen(listen: &str) -> Result<SocketAddr, String> {
    let s = listen.trim();
    let addr: SocketAddr = if let Ok(port) = s.parse::<u16>() {
        SocketAddr::from(([127, 0, 0, 1], port))
    } else if let Some(port) = s.strip_prefix("localhost:") {
        let port = port
            .parse::<u16>()
            .map_err(|_| format!("invalid listen address {listen:?}: expected HOST:PORT"))?;
        SocketAddr::from(([127, 0, 0, 1], port))
    } else {
        s.parse().map_err(|_| {
            format!("invalid listen address {listen:?}: expected a loopback IP:PORT such as 127.0.0.1:0")
        })?
    };
    if !addr.ip().is_loopback() {
        return Err(format!(
            "refusing to listen on {addr}: the dev issuer only listens on loopback addresses (127.0.0.0/8, ::1)"
        ));
    }
    Ok(addr)
}

/// A running issuer; dropping it stops the server.
pub struct Handle {
    /// The issuer URL (`http://127.0.0.1:PORT`), the `iss` of its tokens.
    pub url: String,
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Handle {
    /// Blocks until the server stops (never, unless it is stopped from another thread).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // wake the accept loop
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(500));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the issuer where it listened the last time with this data directory (its URL is in
/// the directories' configurations and tokens), or on a free port the first time.
pub fn start_again(data_dir: &Path, client: super::oidc::Client) -> Result<Handle, String> {
    let Ok(url) = last_url(data_dir) else {
        return start_with(data_dir, "127.0.0.1:0", client);
    };
    let hostport = url.strip_prefix("http://").unwrap_or(&url).to_string();
    start_with(data_dir, &hostport, client).map_err(|e| {
        format!("{e} (the address of the last start, kept so that {url} stays valid; -listen=127.0.0.1:0 picks a new port)")
    })
}

/// The default OIDC client id of the dev issuer.
pub const DEFAULT_CLIENT_ID: &str = "vaultjwt";

/// The client secret kept in the issuer's folder (`client-secret`, 0600), created on first
/// use.
pub fn client_secret(data_dir: &Path) -> Result<String, String> {
    let dir = open_issuer_dir(data_dir, true)?
        .ok_or_else(|| format!("cannot create {}", issuer_dir(data_dir).display()))?;
    if let Some(s) = read_text(&dir, "client-secret")? {
        return Ok(s.trim().to_string());
    }
    let secret: String = {
        use rand::Rng;
        rand::thread_rng()
            .sample_iter(&rand::distributions::Alphanumeric)
            .take(32)
            .map(char::from)
            .collect()
    };
    write_new_private(&dir, "client-secret", secret.as_bytes())?;
    Ok(read_text(&dir, "client-secret")?
        .unwrap_or(secret)
        .trim()
        .to_string())
}

/// Starts the issuer on `listen` (loopback only) with keys from `data_dir` (created when
/// missing), records its URL there, and serves in a background thread. Its OIDC client is
/// [`DEFAULT_CLIENT_ID`] with the secret of [`client_secret`].
pub fn start(data_dir: &Path, listen: &str) -> Result<Handle, String> {
    let client = super::oidc::Client {
        id: DEFAULT_CLIENT_ID.to_string(),
        secret: client_secret(data_dir)?,
    };
    start_with(data_dir, listen, client)
}

/// [`start`] with the given OIDC client.
pub fn start_with(
    data_dir: &Path,
    listen: &str,
    client: super::oidc::Client,
) -> Result<Handle, String> {
    let wanted = parse_listen(listen)?;
    all_keys(data_dir)?;
    let listener = TcpListener::bind(wanted).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("cannot listen on {wanted}: address already in use")
        } else {
            format!("cannot listen on {wanted}: {}", io_text(&e))
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {wanted}: {}", io_text(&e)))?;
    let url = format!("http://{addr}");
    save_url(data_dir, &url)?;
    let stop = Arc::new(AtomicBool::new(false));
    let provider = Arc::new(super::oidc::Provider::new(
        url.clone(),
        data_dir.to_path_buf(),
        client,
    ));
    let s = stop.clone();
    let thread = std::thread::spawn(move || {
        for conn in listener.incoming() {
            if s.load(Ordering::SeqCst) {
                break;
            }
            let Ok(conn) = conn else { continue };
            let p = provider.clone();
            std::thread::spawn(move || serve(conn, &p));
        }
    });
    Ok(Handle {
        url,
        addr,
        stop,
        thread: Some(thread),
    })
}

/// The largest request body read (bytes).
const MAX_BODY: usize = 64 * 1024;

/// Answers one HTTP/1.x request and closes the connection.
fn serve(mut conn: TcpStream, provider: &super::oidc::Provider) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 16 * 1024 {
            return respond(
                &mut conn,
                431,
                "text/plain",
                &[],
                "request header too large\n",
            );
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let text = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return respond(
            &mut conn,
            413,
            "text/plain",
            &[],
            "request body too large\n",
        );
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    let req = super::oidc::HttpRequest {
        method: method.clone(),
        path: path.to_string(),
        query: super::oidc::parse_form(query),
        headers,
        body,
    };
    if let Some(r) = provider.handle(&req) {
        return respond(&mut conn, r.status, r.content_type, &r.headers, &r.body);
    }
    if method != "GET" && method != "HEAD" {
        return respond(&mut conn, 405, "text/plain", &[], "method not allowed\n");
    }
    let (status, body) = match path {
        DISCOVERY_PATH => (200, pretty(&discovery(&provider.url))),
        JWKS_PATH => (200, pretty(&jwks(&provider.data_dir))),
        _ => (404, "404 page not found\n".to_string()),
    };
    let ctype = if status == 200 {
        "application/json"
    } else {
        "text/plain"
    };
    if method == "HEAD" {
        let _ = write!(
            conn,
            "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            reason(status),
            body.len()
        );
        return;
    }
    respond(&mut conn, status, ctype, &[], &body)
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}

fn respond(
    conn: &mut TcpStream,
    status: u16,
    ctype: &str,
    headers: &[(String, String)],
    body: &str,
) {
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let _ = write!(
        conn,
        "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        reason(status),
        body.len()
    );
    let _ = conn.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback() {
        assert!(parse_listen("127.0.0.1:0").is_ok());
        assert!(parse_listen("[::1]:0").is_ok());
        assert_eq!(parse_listen("8200").unwrap().to_string(), "127.0.0.1:8200");
        assert_eq!(
            parse_listen("localhost:9").unwrap().to_string(),
            "127.0.0.1:9"
        );
        assert!(parse_listen("0.0.0.0:8200")
            .unwrap_err()
            .starts_with("refusing to listen on 0.0.0.0:8200"));
        assert!(parse_listen("example.com:80").is_err());
    }

    #[test]
    fn serves_discovery_and_jwks() {
        let dir = tempfile::tempdir().unwrap();
        let h = start(dir.path(), "127.0.0.1:0").unwrap();
        assert_eq!(last_url(dir.path()).unwrap(), h.url);
        assert!(is_listening(&h.url));
        let get = |p: &str| crate::auth::jwt::fetch::get(&format!("{}{p}", h.url), "", 5).unwrap();
        let d: Value = serde_json::from_slice(&get(DISCOVERY_PATH).body).unwrap();
        assert_eq!(d["issuer"], h.url.as_str());
        let body = get(JWKS_PATH).body;
        let keys = crate::auth::jwt::pem::parse_jwks(&body).unwrap();
        assert_eq!(keys.len(), 5);
        assert_eq!(get("/nope").status, 404);
        // a second server on the same port fails
        let err = start(dir.path(), &h.addr.to_string()).err().unwrap();
        assert!(err.ends_with("address already in use"), "{err}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(issuer_dir(dir.path()).join("rsa.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let url = h.url.clone();
        drop(h);
        assert!(!is_listening(&url));
    }
}
