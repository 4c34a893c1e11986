//! Network I/O around key fetching (issue 12, items 4, 5, 9, 10, 13): `http_timeout` bounds
//! the whole request, body included; no other command waits on a fetch (the storage lock is
//! released meanwhile); default mode says why a JWKS fetch failed; 1024-bit RSA JWKS keys
//! verify (warned in default mode); an `http://` `jwks_uri` in an `https://` discovery
//! document is warned about in default mode. Loopback servers only.

use crate::common;
use crate::loopback;

use common::{Out, TestEnv};
use loopback::{fixture, now, rsa_jwk, sign_raw, Server};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A data directory with `jwt/` enabled and `http_timeout` set, strict or default mode.
fn env_with(timeout_secs: u64, strict: bool) -> (TestEnv, bool) {
    let env = TestEnv::new();
    std::fs::create_dir_all(&env.data).unwrap();
    std::fs::write(
        env.data.join("config.toml"),
        format!("http_timeout = {timeout_secs}\n"),
    )
    .unwrap();
    let e = (env, strict);
    run(&e, &["auth", "enable", "jwt"]).success();
    e
}

fn run(env: &(TestEnv, bool), args: &[&str]) -> Out {
    let mut c = env.0.cmd(args);
    if env.1 {
        c = c.env("VAULTJWT_COMPAT", "openbao");
    }
    c.run()
}

fn role(env: &(TestEnv, bool)) {
    run(
        env,
        &[
            "write",
            "auth/jwt/role/r",
            "role_type=jwt",
            "user_claim=sub",
            "bound_audiences=vault",
        ],
    )
    .success();
}

/// Whether the command said `text` (stdout or stderr, warnings re-wrapped).
fn said(out: &Out, text: &str) -> bool {
    let all = format!("{} {}", out.stdout, out.stderr);
    let flat = all
        .split_whitespace()
        .filter(|w| *w != "*")
        .collect::<Vec<_>>()
        .join(" ");
    flat.contains(text)
}

fn claims() -> serde_json::Value {
    json!({"sub": "alice", "aud": "vault", "iat": now() - 5, "exp": now() + 3600})
}

/// A loopback server whose every connection is handed to `serve` (after the request head was
/// read) on its own thread; returns the base URL.
fn raw_server(serve: impl Fn(&str, TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let serve = serve.clone();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&buf).into_owned();
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                serve(&path, conn);
            });
        }
    });
    base
}

/// Headers announcing 1000 bytes, then one byte a second.
fn drip_server() -> String {
    raw_server(|_, mut conn| {
        let _ = conn.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        );
        for _ in 0..1000 {
            if conn.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    })
}

#[test]
fn a_slow_drip_body_is_cut_off_at_http_timeout() {
    let base = drip_server();
    for strict in [false, true] {
        let env = env_with(2, strict);
        let started = Instant::now();
        let out = run(
            &env,
            &["write", "auth/jwt/config", &format!("jwks_url={base}/jwks")],
        );
        let took = started.elapsed();
        out.code(2);
        // A bound, not a benchmark: 2 s of timeout, loosely.
        assert!(took < Duration::from_secs(6), "took {took:?}: {out:?}");
        if strict {
            out.stderr_has("* error checking jwks URL\n");
        } else {
            out.stderr_has(
                "* error checking jwks URL: no complete answer within http_timeout (2s)\n",
            );
        }
    }
    // A login refetching from it is cut off too, with Go's text.
    let env = env_with(2, true);
    // Pointed at the drip by a config written with skip_jwks_validation (its own check is
    // cut off as above).
    let out = run(
        &env,
        &[
            "write",
            "auth/jwt/config",
            &format!("jwks_url={base}/jwks"),
            "skip_jwks_validation=true",
        ],
    );
    out.success();
    role(&env);
    let jwt = sign_raw(
        &json!({"alg": "RS256", "kid": "k1"}).to_string(),
        &claims().to_string(),
        "rsa2048.key",
    );
    let started = Instant::now();
    let out = run(
        &env,
        &["write", "auth/jwt/login", "role=r", &format!("jwt={jwt}")],
    );
    assert!(started.elapsed() < Duration::from_secs(6), "{out:?}");
    out.code(2).stderr_has(
        "fetching keys unable to read response body: context deadline exceeded \
         (Client.Timeout or context cancellation while reading body)",
    );
}

#[test]
fn other_commands_do_not_wait_for_a_fetch() {
    // Answers 404 until made silent; then holds each connection without a word.
    let silent = Arc::new(AtomicBool::new(false));
    let s = silent.clone();
    let base = raw_server(move |_, mut conn| {
        if s.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_secs(20));
        } else {
            let _ = conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let env = env_with(4, false);
    run(
        &env,
        &[
            "write",
            "auth/jwt/config",
            &format!("jwks_url={base}/jwks"),
            "skip_jwks_validation=true",
        ],
    )
    .success()
    .stderr_has("error checking jwks URL: the server answered 404 Not Found");
    role(&env);
    silent.store(true, Ordering::SeqCst);
    let jwt = sign_raw(
        &json!({"alg": "RS256", "kid": "k1"}).to_string(),
        &claims().to_string(),
        "rsa2048.key",
    );
    let mut login = env
        .0
        .cmd(&["write", "auth/jwt/login", "role=r", &format!("jwt={jwt}")])
        .cmd;
    login
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let started = Instant::now();
    let mut login = login.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(700));
    run(&env, &["token", "lookup"]).success();
    let lookup_done = started.elapsed();
    assert!(
        login.try_wait().unwrap().is_none(),
        "the login should still be waiting for the silent server (lookup took {lookup_done:?})"
    );
    let status = login.wait().unwrap();
    let login_done = started.elapsed();
    assert!(!status.success());
    assert!(
        lookup_done < login_done,
        "{lookup_done:?} vs {login_done:?}"
    );
    let mut err = String::new();
    login
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("fetching keys oidc: get keys failed Get \"")
            && err.contains("context deadline exceeded"),
        "{err}"
    );
    // One fetch, made without the lock: the login's real run did not fetch again.
    assert!(login_done < Duration::from_secs(4 * 2), "{login_done:?}");
}

#[test]
fn a_1024_bit_rsa_jwks_key_verifies() {
    let jwks = Server::start();
    jwks.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa1024.pub", "small")]}).to_string(),
    );
    let jwt = sign_raw(
        &json!({"alg": "RS256", "kid": "small"}).to_string(),
        &claims().to_string(),
        "rsa1024.key",
    );
    for strict in [true, false] {
        let env = env_with(5, strict);
        let out = run(
            &env,
            &[
                "write",
                "auth/jwt/config",
                &format!("jwks_url={}", jwks.url("/jwks")),
            ],
        );
        out.success();
        role(&env);
        let login = run(
            &env,
            &[
                "write",
                "-format=json",
                "auth/jwt/login",
                "role=r",
                &format!("jwt={jwt}"),
            ],
        );
        login.success();
        let v = login.json();
        assert_eq!(v["auth"]["metadata"]["role"], json!("r"), "{v}");
        let warnings = v["warnings"].to_string();
        if strict {
            assert!(!said(&out, "WARNING"), "{out:?}");
            assert_eq!(v["warnings"], json!(null), "{v}");
        } else {
            assert!(
                said(
                    &out,
                    "RSA keys shorter than 2048 bits: \"small\" (1024 bits)"
                ),
                "{out:?}"
            );
            assert!(
                warnings.contains("verified by the 1024-bit RSA key \\\"small\\\""),
                "{v}"
            );
        }
    }
}

/// One JWKS served by a plain HTTP server at `path` with `status` and `body`.
fn expect_reason(path: &str, status: u16, body: &str, reason: &str) {
    let server = Server::start();
    server.serve(path, status, body);
    for strict in [false, true] {
        let env = env_with(5, strict);
        let out = run(
            &env,
            &[
                "write",
                "auth/jwt/config",
                &format!("jwks_url={}", server.url(path)),
            ],
        );
        out.code(2);
        if strict {
            out.stderr_has("* error checking jwks URL\n");
        } else {
            out.stderr_has(&format!("* error checking jwks URL: {reason}"));
        }
    }
}

#[test]
fn default_mode_says_why_a_jwks_fetch_failed() {
    expect_reason(
        "/big",
        200,
        &" ".repeat(1024 * 1024 + 10),
        "the response is larger than the limit of 1048576 bytes",
    );
    expect_reason(
        "/html",
        200,
        "<html>",
        "the response is not a JSON document (got Content-Type = application/json, but could \
         not unmarshal as JSON: invalid character '<' looking for beginning of value)",
    );
    expect_reason(
        "/kty",
        200,
        &json!({"keys": [{"kty": "foo"}]}).to_string(),
        "the JWKS has a key that cannot be used (go-jose/go-jose: unsupported key type/format)",
    );
    expect_reason("/gone", 404, "nope", "the server answered 404 Not Found");

    // A redirect to another host.
    let other = Server::start();
    let to = other.url("/jwks");
    let base = raw_server(move |_, mut conn| {
        let _ = write!(
            conn,
            "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n"
        );
    });
    let env = env_with(5, false);
    run(
        &env,
        &["write", "auth/jwt/config", &format!("jwks_url={base}/jwks")],
    )
    .code(2)
    .stderr_has("* error checking jwks URL: redirect refused: refusing redirect to another host");
    assert_eq!(other.hits("/jwks"), 0);

    // A certificate no configured CA issued: a TLS failure, not a connection failure.
    let tls = tls_server(json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string());
    run(
        &env,
        &["write", "auth/jwt/config", &format!("jwks_url={tls}/jwks")],
    )
    .code(2)
    .stderr_has(
        "* error checking jwks URL: TLS handshake failed: tls: failed to verify certificate: \
         x509: certificate signed by unknown authority",
    );
    run(
        &env,
        &[
            "write",
            "auth/jwt/config",
            &format!("jwks_url={tls}/jwks"),
            &format!("jwks_ca_pem={}", fixture("tls/ca.crt")),
        ],
    )
    .success();
}

#[test]
fn an_http_jwks_uri_in_an_https_discovery_document_is_warned_about() {
    let jwks = Server::start();
    jwks.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string(),
    );
    let jwks_uri = jwks.url("/jwks");
    let issuer = Arc::new(std::sync::Mutex::new(String::new()));
    let i = issuer.clone();
    let base = tls_server_with(move |path| {
        (path == "/.well-known/openid-configuration").then(|| {
            json!({"issuer": *i.lock().unwrap(), "jwks_uri": jwks_uri.clone()}).to_string()
        })
    });
    *issuer.lock().unwrap() = base.clone();
    for strict in [false, true] {
        let env = env_with(5, strict);
        let out = run(
            &env,
            &[
                "write",
                "auth/jwt/config",
                &format!("oidc_discovery_url={base}"),
                &format!("oidc_discovery_ca_pem={}", fixture("tls/ca.crt")),
            ],
        );
        out.success();
        if strict {
            assert!(!said(&out, "WARNING"), "{out:?}");
        } else {
            assert!(said(&out, "names a jwks_uri without TLS"), "{out:?}");
        }
        // The keys are fetched from it all the same, as OpenBao does.
        role(&env);
        let jwt = sign_raw(
            &json!({"alg": "RS256", "kid": "k1"}).to_string(),
            &json!({"sub": "alice", "aud": "vault", "iss": base, "iat": now() - 5,
                    "exp": now() + 3600})
            .to_string(),
            "rsa2048.key",
        );
        run(
            &env,
            &["write", "auth/jwt/login", "role=r", &format!("jwt={jwt}")],
        )
        .success();
    }
}

/// A loopback HTTPS server (certificate for 127.0.0.1 issued by `tls/ca.crt`) serving `body`
/// at every path.
fn tls_server(body: String) -> String {
    tls_server_with(move |_| Some(body.clone()))
}

/// A loopback HTTPS server answering `route(path)` (404 for `None`).
fn tls_server_with(route: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> String {
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
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
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
            let text = String::from_utf8_lossy(&buf).into_owned();
            let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = match route(&path) {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", "404 page not found\n".to_string()),
            };
            let _ = write!(
                tls,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    base
}
