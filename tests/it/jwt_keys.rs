//! `auth/<mount>/config` through the binary: static keys, JWKS URL and OIDC discovery
//! against a loopback HTTP server, errors, and the two compat modes.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

struct Env {
    home: tempfile::TempDir,
    compat: Option<&'static str>,
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Env {
    fn new(compat: Option<&'static str>) -> Env {
        let env = Env {
            home: tempfile::tempdir().unwrap(),
            compat,
        };
        let out = env.run(&["auth", "enable", "jwt"]);
        assert!(out.ok, "{}", out.stderr);
        env
    }
    fn strict() -> Env {
        Env::new(Some("openbao"))
    }
    fn default_mode() -> Env {
        Env::new(None)
    }
    fn run(&self, args: &[&str]) -> Out {
        let mut cmd = Command::from(crate::common::command(self.home.path()));
        cmd.args(args)
            .env("VAULTJWT_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env_remove("VAULTJWT_TOKEN")
            .env_remove("VAULTJWT_COMPAT")
            .env_remove("VAULTJWT_FORMAT");
        if let Some(c) = self.compat {
            cmd.env("VAULTJWT_COMPAT", c);
        }
        let o = cmd.output().unwrap();
        Out {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
    fn write_config(&self, params: &[String]) -> Out {
        let mut args = vec!["write", "auth/jwt/config"];
        args.extend(params.iter().map(String::as_str));
        self.run(&args)
    }
    fn read_config(&self) -> Option<Value> {
        let out = self.run(&["read", "-format=json", "auth/jwt/config"]);
        if !out.ok {
            assert!(
                out.stderr.contains("No value found at auth/jwt/config"),
                "{}",
                out.stderr
            );
            return None;
        }
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        Some(v["data"].clone())
    }
}

fn expect_error(out: &Out, message: &str) {
    assert!(!out.ok, "expected an error, got {}", out.stdout);
    assert!(
        out.stderr.contains("Error writing data to auth/jwt/config"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("* {message}")),
        "expected {message:?} in:\n{}",
        out.stderr
    );
}

/// Path → (status, extra header lines, body).
use crate::loopback::Server;

fn jwks_doc() -> String {
    json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})
    .to_string()
}

fn discovery_doc(issuer: &str) -> String {
    json!({"issuer": issuer, "jwks_uri": format!("{issuer}/jwks")}).to_string()
}

#[test]
fn static_config_roundtrip() {
    let env = Env::strict();
    assert!(env.read_config().is_none());
    let out = env.write_config(&[
        format!("jwt_validation_pubkeys={}", fixture("ecP-256.pub")),
        format!("jwt_validation_pubkeys={}", fixture("rsa2048.crt")),
        "jwt_supported_algs=ES256,RS256".into(),
        "bound_issuer=https://issuer.example".into(),
        "default_role=Dev".into(),
        "oidc_client_secret_unknown=x".into(),
    ]);
    assert!(out.ok, "{}", out.stderr);
    assert!(out
        .stdout
        .contains("Success! Data written to: auth/jwt/config"));
    let data = env.read_config().unwrap();
    assert_eq!(
        data,
        json!({
            "bound_issuer": "https://issuer.example",
            "default_role": "dev",
            "jwks_ca_pem": "",
            "jwks_url": "",
            "jwt_supported_algs": ["ES256", "RS256"],
            "jwt_validation_pubkeys": [fixture("ecP-256.pub").trim(), fixture("rsa2048.crt").trim()],
            "namespace_in_state": true,
            "oidc_client_id": "",
            "oidc_discovery_ca_pem": "",
            "oidc_discovery_url": "",
            "oidc_response_mode": "",
            "oidc_response_types": [],
            "override_allowed_server_names": [],
            "provider_config": {},
            "status": "valid"
        })
    );
}

#[test]
fn config_errors_leave_the_stored_config_untouched() {
    let env = Env::strict();
    let good = format!("jwt_validation_pubkeys={}", fixture("ed25519.pub"));
    assert!(env.write_config(std::slice::from_ref(&good)).ok);
    let before = env.read_config().unwrap();

    expect_error(
        &env.write_config(&["jwt_validation_pubkeys=not-a-pem".into()]),
        "error parsing public key: data does not contain any valid public keys",
    );
    expect_error(
        &env.write_config(&[format!("jwt_validation_pubkeys={}", fixture("ecP-256.key"))]),
        "error parsing public key: x509: malformed certificate",
    );
    let small = env.write_config(&[format!("jwt_validation_pubkeys={}", fixture("rsa1024.pub"))]);
    expect_error(
        &small,
        "error parsing public key: RSA key of 1024 bits is too small",
    );
    expect_error(
        &env.write_config(&["bound_issuer=x".into()]),
        "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', or 'provider_config' must be set",
    );
    expect_error(
        &env.write_config(&[good.clone(), "jwt_supported_algs=RS256,HS256".into()]),
        "invalid jwt_supported_algs: unsupported signing algorithm \"HS256\"",
    );
    expect_error(
        &env.write_config(&[good.clone(), "oidc_client_id=a".into()]),
        "both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC",
    );
    expect_error(
        &env.write_config(&[good.clone(), "oidc_response_types=code,token".into()]),
        "invalid response_types [code token]. 'code' and 'id_token' are allowed",
    );
    expect_error(
        &env.write_config(&[good.clone(), "oidc_response_mode=fragment".into()]),
        "invalid response_mode: \"fragment\"",
    );
    expect_error(
        &env.write_config(&[good.clone(), "provider_config={\"provider\":\"x\"}".into()]),
        "Field validation failed: error converting input for field \"provider_config\": '' expected type 'map[string]interface {}', got unconvertible type 'string'",
    );
    expect_error(
        &env.write_config(&[good.clone(), "namespace_in_state=maybe".into()]),
        "Field validation failed: error converting input for field \"namespace_in_state\"",
    );
    assert_eq!(env.read_config().unwrap(), before);
}

#[test]
fn namespace_in_state_is_kept_across_writes() {
    let env = Env::strict();
    let key = format!("jwt_validation_pubkeys={}", fixture("ed25519.pub"));
    assert!(
        env.write_config(&[key.clone(), "namespace_in_state=false".into()])
            .ok
    );
    assert!(env.write_config(std::slice::from_ref(&key)).ok);
    assert_eq!(
        env.read_config().unwrap()["namespace_in_state"],
        json!(false)
    );
}

#[test]
fn jwks_url_is_checked_at_write() {
    let server = Server::start();
    server.serve("/jwks", 200, &jwks_doc());
    let env = Env::strict();
    let out = env.write_config(&[format!("jwks_url={}", server.url("/jwks"))]);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(server.hits("/jwks"), 1);
    let data = env.read_config().unwrap();
    assert_eq!(data["jwks_url"], json!(server.url("/jwks")));
    assert_eq!(data["status"], json!("valid"));
    assert_eq!(server.hits("/jwks"), 1, "read does not fetch the JWKS");

    // 404, non-JSON, oversized, other schemes
    expect_error(
        &env.write_config(&[format!("jwks_url={}", server.url("/missing"))]),
        "error checking jwks URL",
    );
    server.serve("/text", 200, "<html>");
    expect_error(
        &env.write_config(&[format!("jwks_url={}", server.url("/text"))]),
        "error checking jwks URL",
    );
    server.serve("/big", 200, &" ".repeat(1024 * 1024 + 10));
    expect_error(
        &env.write_config(&[format!("jwks_url={}", server.url("/big"))]),
        "error checking jwks URL",
    );
    expect_error(
        &env.write_config(&["jwks_url=ftp://127.0.0.1/jwks".into()]),
        "error checking jwks URL",
    );
    expect_error(
        &env.write_config(&[
            format!("jwks_url={}", server.url("/jwks")),
            "jwks_ca_pem=not a pem".into(),
        ]),
        "error checking jwks_ca_pem",
    );
    assert_eq!(env.read_config().unwrap(), data);

    // skip_jwks_validation: stored anyway, with the warning
    let out = env.write_config(&[
        format!("jwks_url={}", server.url("/missing")),
        "skip_jwks_validation=true".into(),
    ]);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        (out.stdout.clone() + &out.stderr).contains("error checking jwks URL"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert_eq!(
        env.read_config().unwrap()["jwks_url"],
        json!(server.url("/missing"))
    );
    assert!(env
        .read_config()
        .unwrap()
        .get("skip_jwks_validation")
        .is_none());
}

#[test]
fn redirects_to_another_host_are_refused() {
    let other = Server::start();
    other.serve("/jwks", 200, &jwks_doc());
    let server = Server::start();
    server.redirect("/jwks", &other.url("/jwks"));
    server.serve("/real", 200, &jwks_doc());
    server.redirect("/moved", &server.url("/real"));
    let env = Env::strict();
    expect_error(
        &env.write_config(&[format!("jwks_url={}", server.url("/jwks"))]),
        "error checking jwks URL",
    );
    assert_eq!(other.hits("/jwks"), 0);
    let out = env.write_config(&[format!("jwks_url={}", server.url("/moved"))]);
    assert!(out.ok, "same-host redirect: {}", out.stderr);
    assert_eq!(server.hits("/real"), 1);
}

#[test]
fn oidc_discovery_checks_the_issuer() {
    let server = Server::start();
    let issuer = server.url("/idp");
    server.serve(
        "/idp/.well-known/openid-configuration",
        200,
        &discovery_doc(&issuer),
    );
    let env = Env::strict();
    let out = env.write_config(&[format!("oidc_discovery_url={issuer}")]);
    assert!(out.ok, "{}", out.stderr);
    let data = env.read_config().unwrap();
    assert_eq!(data["oidc_discovery_url"], json!(issuer));
    assert_eq!(data["status"], json!("valid"));
    assert_eq!(server.hits("/idp/.well-known/openid-configuration"), 1);

    server.serve(
        "/bad/.well-known/openid-configuration",
        200,
        &discovery_doc("https://elsewhere.example.com"),
    );
    let bad = server.url("/bad");
    expect_error(
        &env.write_config(&[format!("oidc_discovery_url={bad}")]),
        &format!("error checking oidc discovery URL: issuer did not match the returned issuer, expected \"{bad}\" got \"https://elsewhere.example.com\""),
    );
    expect_error(
        &env.write_config(&[format!("oidc_discovery_url={}", server.url("/nothing"))]),
        "error checking oidc discovery URL: 404 Not Found: 404 page not found",
    );
    // skip: stored, read reports it invalid
    let out = env.write_config(&[
        format!("oidc_discovery_url={}", server.url("/nothing")),
        "skip_jwks_validation=true".into(),
    ]);
    assert!(out.ok, "{}", out.stderr);
    let out = env.run(&["read", "-format=json", "auth/jwt/config"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["data"]["status"], json!("invalid"));
    assert!(
        v["warnings"][0].as_str().unwrap().starts_with(
            "failed to construct JWK validator: keyset configuration error: 404 Not Found"
        ),
        "{v}"
    );
}

#[test]
fn well_known_discovery_url_strict_vs_default() {
    let server = Server::start();
    let issuer = server.url("/idp");
    server.serve(
        "/idp/.well-known/openid-configuration",
        200,
        &discovery_doc(&issuer),
    );
    let full = format!("oidc_discovery_url={issuer}/.well-known/openid-configuration");

    let strict = Env::strict();
    expect_error(
        &strict.write_config(std::slice::from_ref(&full)),
        "'oidc_discovery_url' contains '.well-known' component",
    );
    assert!(strict.read_config().is_none());
    assert_eq!(server.hits("/idp/.well-known/openid-configuration"), 0);

    let env = Env::default_mode();
    let out = env.write_config(std::slice::from_ref(&full));
    assert!(out.ok, "{}", out.stderr);
    let shown = (out.stdout.clone() + &out.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("'oidc_discovery_url' contains '.well-known' component"),
        "{shown}"
    );
    assert_eq!(
        env.read_config().unwrap()["oidc_discovery_url"],
        json!(issuer)
    );
}

#[test]
fn token_audiences_strict_vs_default() {
    let key = format!("jwt_validation_pubkeys={}", fixture("ecP-384.pub"));
    let strict = Env::strict();
    let out = strict.write_config(&[key.clone(), "token_audiences=a,b".into()]);
    assert!(out.ok, "{}", out.stderr);
    assert!(!out.stderr.contains("WARNING"), "{}", out.stderr);
    assert!(!out.stdout.contains("token_audiences"), "{}", out.stdout);
    assert!(strict
        .read_config()
        .unwrap()
        .get("token_audiences")
        .is_none());

    let env = Env::default_mode();
    let out = env.write_config(&[key, "token_audiences=a, b".into()]);
    assert!(out.ok, "{}", out.stderr);
    let shown = (out.stdout.clone() + &out.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(shown.contains("OpenBao ignores it"), "{shown}");
    assert_eq!(
        env.read_config().unwrap()["token_audiences"],
        json!(["a", "b"])
    );
}

/// A loopback HTTPS server (certificate for IP 127.0.0.1 issued by `tls/ca.crt`) serving
/// one JWKS at `/jwks`; returns its base URL and a hit counter.
fn start_tls_server() -> (String, Arc<Mutex<usize>>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = format!("{}/tests/fixtures/keys/tls", env!("CARGO_MANIFEST_DIR"));
    let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(format!("{dir}/server.crt"))
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let hits: Arc<Mutex<usize>> = Arc::default();
    let h = hits.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            let mut ok = true;
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut chunk) {
                    Ok(0) | Err(_) => {
                        ok = false;
                        break;
                    }
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            if !ok {
                continue;
            }
            *h.lock().unwrap() += 1;
            let body = jwks_doc();
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    (base, hits)
}

#[test]
fn pinned_ca_replaces_the_system_roots() {
    let (base, hits) = start_tls_server();
    let env = Env::strict();
    let url = format!("jwks_url={base}/jwks");
    let ca = fixture("tls/ca.crt");
    // not trusted by the system roots
    expect_error(
        &env.write_config(std::slice::from_ref(&url)),
        "error checking jwks URL",
    );
    assert_eq!(*hits.lock().unwrap(), 0);
    // a pinned CA that did not issue the server certificate
    expect_error(
        &env.write_config(&[
            url.clone(),
            format!("jwks_ca_pem={}", fixture("rsa2048.crt")),
        ]),
        "error checking jwks URL",
    );
    assert_eq!(*hits.lock().unwrap(), 0);
    // the issuing CA
    let out = env.write_config(&[url, format!("jwks_ca_pem={ca}")]);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(*hits.lock().unwrap(), 1);
    assert_eq!(env.read_config().unwrap()["jwks_ca_pem"], json!(ca));
}

#[test]
fn well_known_discovery_url_with_a_slash_issuer_in_default_mode() {
    let server = Server::start();
    let issuer = server.url("/slash/");
    server.serve(
        "/slash/.well-known/openid-configuration",
        200,
        &discovery_doc(&issuer),
    );
    let env = Env::default_mode();
    let out = env.write_config(&[format!(
        "oidc_discovery_url={issuer}.well-known/openid-configuration"
    )]);
    assert!(out.ok, "{}", out.stderr);
    let shown = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains(&format!(
            "vaultjwt uses the issuer URL \"{issuer}\" instead"
        )),
        "{shown}"
    );
    assert_eq!(
        env.read_config().unwrap()["oidc_discovery_url"],
        json!(issuer)
    );
}
