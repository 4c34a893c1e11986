//! A loopback OIDC issuer for integration tests (discovery document, JWKS, any fixed answer;
//! hits counted per path) and a token signer that emits arbitrary header/payload bytes.
//!
//! ```ignore
//! let idp = Issuer::start();              // serves /.well-known/openid-configuration + /jwks
//! let jwt = idp.sign(&json!({"sub": "alice", "iss": idp.issuer()}));
//! assert_eq!(idp.hits("/jwks"), 0);
//! ```
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Path → (status, body).
/// path -> (status, extra header lines, body)
type Routes = Arc<Mutex<HashMap<String, (u16, String, String)>>>;

/// A loopback HTTP server answering fixed documents and counting hits per path.
pub struct Server {
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    routes: Routes,
}

impl Server {
    pub fn start() -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let routes: Routes = Arc::default();
        let (h, r) = (hits.clone(), routes.clone());
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&buf);
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let (status, extra, body) = r.lock().unwrap().get(&path).cloned().unwrap_or((
                    404,
                    String::new(),
                    "404 page not found".into(),
                ));
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Server { base, hits, routes }
    }

    pub fn serve(&self, path: &str, status: u16, body: &str) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, String::new(), body.to_string()));
    }

    /// A `302` to `to`.
    pub fn redirect(&self, path: &str, to: &str) {
        self.routes.lock().unwrap().insert(
            path.into(),
            (302, format!("Location: {to}\r\n"), String::new()),
        );
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The public JWK of a fixture RSA key.
pub fn rsa_jwk(public: &str, kid: &str) -> Value {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let k = rsa::RsaPublicKey::from_public_key_pem(&fixture(public)).unwrap();
    json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
           "n": b64(&k.n().to_bytes_be()), "e": b64(&k.e().to_bytes_be())})
}

/// An OIDC issuer at `<base>/` (with the trailing slash, as the seed's `https://idp/`):
/// `/.well-known/openid-configuration` names it and `/jwks` (key `k1` = `rsa2048.pub`).
pub struct Issuer {
    pub server: Server,
}

impl Issuer {
    pub fn start() -> Issuer {
        let server = Server::start();
        let issuer = format!("{}/", server.base);
        server.serve(
            "/.well-known/openid-configuration",
            200,
            &json!({"issuer": issuer, "jwks_uri": format!("{issuer}jwks"),
                    "authorization_endpoint": format!("{issuer}authorize"),
                    "token_endpoint": format!("{issuer}token"),
                    "id_token_signing_alg_values_supported": ["RS256"]})
            .to_string(),
        );
        server.serve(
            "/jwks",
            200,
            &json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string(),
        );
        Issuer { server }
    }

    /// The issuer URL, with its trailing slash.
    pub fn issuer(&self) -> String {
        format!("{}/", self.server.base)
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.server.base)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.server.hits(path)
    }

    /// `claims` signed RS256 by the issuer's key `k1`.
    pub fn sign(&self, claims: &Value) -> String {
        sign_raw(
            &json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}).to_string(),
            &claims.to_string(),
            "rsa2048.key",
        )
    }
}

/// Signs the exact header and payload bytes given, RS256 with the fixture private key `key`.
pub fn sign_raw(header: &str, payload: &str, key: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let k = jsonwebtoken::EncodingKey::from_rsa_pem(fixture(key).as_bytes()).unwrap();
    let sig =
        jsonwebtoken::crypto::sign(input.as_bytes(), &k, jsonwebtoken::Algorithm::RS256).unwrap();
    format!("{input}.{sig}")
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
