//! Unit tests of `keys::verify`: every algorithm, the attacks, and the JWKS cache.

use super::*;
use crate::core::MountEntry;
use crate::settings::Settings;
use crate::storage::MemoryStorage;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::json;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Signs `claims` with the fixture private key `key` under `alg`, with `header` merged in.
fn sign(alg: &str, key: &str, header: Value, claims: Value) -> String {
    let mut h = json!({"alg": alg, "typ": "JWT"});
    if let (Some(h), Value::Object(extra)) = (h.as_object_mut(), header) {
        for (k, v) in extra {
            if v.is_null() {
                h.remove(&k);
            } else {
                h.insert(k, v);
            }
        }
    }
    let input = format!(
        "{}.{}",
        b64(h.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let pem = fixture(key);
    let sig = if alg == "ES512" {
        use p521::ecdsa::signature::RandomizedSigner;
        use p521::pkcs8::DecodePrivateKey;
        let secret = p521::SecretKey::from_pkcs8_pem(&pem).unwrap();
        let sk = p521::ecdsa::SigningKey::from_bytes(&secret.to_bytes()).unwrap();
        let s: p521::ecdsa::Signature = sk.sign_with_rng(&mut rand::rngs::OsRng, input.as_bytes());
        b64(&s.to_bytes())
    } else {
        let (a, k) = match alg {
            "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => (
                alg.parse::<Algorithm>().unwrap(),
                EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            ),
            "ES256" | "ES384" => (
                alg.parse::<Algorithm>().unwrap(),
                EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
            ),
            "EdDSA" => (
                Algorithm::EdDSA,
                EncodingKey::from_ed_pem(pem.as_bytes()).unwrap(),
            ),
            other => panic!("no signer for {other}"),
        };
        jsonwebtoken::crypto::sign(input.as_bytes(), &k, a).unwrap()
    };
    format!("{input}.{sig}")
}

fn claims() -> Value {
    json!({"sub": "alice", "aud": "vault", "iat": 1})
}

fn settings() -> Settings {
    Settings {
        http_timeout: 2,
        ..Default::default()
    }
}

fn with_ctx<T>(storage: &MemoryStorage, now: i64, f: impl FnOnce(&BackendContext) -> T) -> T {
    let mount = MountEntry::new("jwt/", "jwt", "");
    let settings = settings();
    let ctx = BackendContext {
        storage: crate::storage::View::new(storage, "auth/x/"),
        mount: &mount,
        settings: &settings,
        now,
    };
    f(&ctx)
}

fn static_config(keys: &[&str]) -> Config {
    Config {
        jwt_validation_pubkeys: keys.iter().map(|k| fixture(k)).collect(),
        ..Default::default()
    }
}

fn verify_static(keys: &[&str], algs: &[&str], jwt: &str) -> Result<Verified, VerifyError> {
    let mut config = static_config(keys);
    config.jwt_supported_algs = algs.iter().map(|s| s.to_string()).collect();
    let storage = MemoryStorage::default();
    with_ctx(&storage, 100, |ctx| verify(ctx, &config, jwt))
}

fn token_err(detail: &str) -> VerifyError {
    VerifyError::Token(format!("error verifying token signature: {detail}"))
}

#[test]
fn every_algorithm_verifies_with_its_static_key() {
    let cases = [
        ("RS256", "rsa2048.key", "rsa2048.pub"),
        ("RS384", "rsa2048.key", "rsa2048.pub"),
        ("RS512", "rsa2048.key", "rsa2048.crt"),
        ("PS256", "rsa2048.key", "rsa2048.pub"),
        ("PS384", "rsa2048.key", "rsa2048.pub"),
        ("PS512", "rsa2048.key", "rsa2048.pub"),
        ("ES256", "ecP-256.key", "ecP-256.pub"),
        ("ES384", "ecP-384.key", "ecP-384.pub"),
        ("ES512", "ecP-521.key", "ecP-521.pub"),
        ("EdDSA", "ed25519.key", "ed25519.pub"),
    ];
    for (alg, private, public) in cases {
        let jwt = sign(alg, private, json!({}), claims());
        let v = verify_static(&[public], &[], &jwt).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
        assert_eq!(v.claims.get("sub"), Some(&json!("alice")), "{alg}");
        assert_eq!(v.header.get("alg"), Some(&json!(alg)));
        // the wrong key of the same family fails
        if alg.starts_with('R') || alg.starts_with('P') {
            assert_eq!(
                verify_static(&["rsa2048b.pub"], &[], &jwt).unwrap_err(),
                token_err(NO_KNOWN_KEY)
            );
        }
    }
}

#[test]
fn static_keys_are_all_tried_and_kid_is_ignored() {
    let jwt = sign("ES256", "ecP-256.key", json!({"kid": "whatever"}), claims());
    let v = verify_static(&["rsa2048.pub", "ed25519.pub", "ecP-256.pub"], &[], &jwt);
    assert!(v.is_ok(), "{v:?}");
}

#[test]
fn alg_is_checked_after_the_signature() {
    let jwt = sign("RS256", "rsa2048.key", json!({}), claims());
    assert_eq!(
        verify_static(&["rsa2048.pub", "ecP-256.pub"], &["ES256"], &jwt).unwrap_err(),
        VerifyError::Token(UNEXPECTED_ALG.into())
    );
    assert!(verify_static(&["rsa2048.pub"], &["ES256", "RS256"], &jwt).is_ok());
    // a bad signature reports the signature, not the alg
    let bad = sign("RS256", "rsa2048b.key", json!({}), claims());
    assert_eq!(
        verify_static(&["rsa2048.pub"], &["ES256"], &bad).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
}

#[test]
fn alg_none_and_hmac_key_confusion_are_refused() {
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims().to_string().as_bytes())
    );
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], &format!("{input}.")).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
    // HS256 signed with the public PEM text as the HMAC secret
    let pem = fixture("rsa2048.pub");
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims().to_string().as_bytes())
    );
    for secret in [pem.as_str(), pem.trim()] {
        let key = EncodingKey::from_secret(secret.as_bytes());
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::HS256).unwrap();
        assert_eq!(
            verify_static(&["rsa2048.pub"], &[], &format!("{input}.{sig}")).unwrap_err(),
            token_err(NO_KNOWN_KEY)
        );
    }
}

#[test]
fn tampered_tokens_fail() {
    let jwt = sign("RS256", "rsa2048.key", json!({}), claims());
    let (rest, sig) = jwt.rsplit_once('.').unwrap();
    let mut raw = URL_SAFE_NO_PAD.decode(sig).unwrap();
    raw[10] ^= 1;
    let flipped = format!("{rest}.{}", b64(&raw));
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], &flipped).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
    let (header, _) = rest.split_once('.').unwrap();
    let swapped = format!(
        "{header}.{}.{sig}",
        b64(json!({"sub": "mallory"}).to_string().as_bytes())
    );
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], &swapped).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
    // a crit header is not understood
    let crit = sign("RS256", "rsa2048.key", json!({"crit": ["exp"]}), claims());
    assert!(verify_static(&["rsa2048.pub"], &[], &crit).is_err());
}

#[test]
fn errors_display_as_the_login_messages() {
    assert_eq!(
        token_err(NO_KNOWN_KEY).to_string(),
        "error validating token: error verifying token signature: no known key successfully validated the token signature"
    );
    assert_eq!(
        VerifyError::Validator("keyset configuration error: x".into()).to_string(),
        "error configuring token validator: keyset configuration error: x"
    );
}

#[test]
fn malformed_tokens_give_go_jose_errors() {
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], "this-is-not-a-jwt").unwrap_err(),
        token_err("go-jose/go-jose: compact JWS format must have three parts")
    );
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], "eyJ!!!.eyJ???.c2ln").unwrap_err(),
        token_err("illegal base64 data at input byte 3")
    );
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], "WzEsMiwzXQ.WzEsMiwzXQ.c2ln").unwrap_err(),
        token_err("json: cannot unmarshal array into Go value of type jose.rawHeader")
    );
}

#[test]
fn whitespace_and_json_serialization_are_accepted() {
    let jwt = sign("ES256", "ecP-256.key", json!({}), claims());
    let spaced: String = jwt
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if i % 20 == 0 {
                vec![' ', '\n', c]
            } else {
                vec![c]
            }
        })
        .collect();
    assert!(verify_static(&["ecP-256.pub"], &[], &spaced).is_ok());
    let parts: Vec<&str> = jwt.split('.').collect();
    let flat = json!({"protected": parts[0], "payload": parts[1], "signature": parts[2]});
    assert!(verify_static(&["ecP-256.pub"], &[], &flat.to_string()).is_ok());
}

/// A loopback HTTP server serving fixed documents and counting hits per path.
struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    routes: Arc<Mutex<HashMap<String, (u16, String)>>>,
}

impl Server {
    fn start() -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let routes: Arc<Mutex<HashMap<String, (u16, String)>>> = Arc::default();
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
                let (status, body) = r
                    .lock()
                    .unwrap()
                    .get(&path)
                    .cloned()
                    .unwrap_or((404, "not found".into()));
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Server { base, hits, routes }
    }
    fn serve(&self, path: &str, status: u16, body: &str) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, body.to_string()));
    }
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
    fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

fn rsa_jwk(public: &str, kid: &str) -> Value {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let k = rsa::RsaPublicKey::from_public_key_pem(&fixture(public)).unwrap();
    json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
           "n": b64(&k.n().to_bytes_be()), "e": b64(&k.e().to_bytes_be())})
}

fn ec_jwk(kid: &str) -> Value {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use p256::pkcs8::DecodePublicKey;
    let k = p256::PublicKey::from_public_key_pem(&fixture("ecP-256.pub")).unwrap();
    let p = k.to_encoded_point(false);
    json!({"kty": "EC", "crv": "P-256", "kid": kid,
           "x": b64(p.x().unwrap()), "y": b64(p.y().unwrap())})
}

fn jwks_config(server: &Server) -> Config {
    Config {
        jwks_url: format!("{}/jwks", server.base),
        ..Default::default()
    }
}

#[test]
fn jwks_kid_selection_and_cache_without_network() {
    let server = Server::start();
    let doc = json!({"keys": [rsa_jwk("rsa2048.pub", "k1"), ec_jwk("e1")]});
    server.serve("/jwks", 200, &doc.to_string());
    let config = jwks_config(&server);
    let storage = MemoryStorage::default();

    let rs = sign("RS256", "rsa2048.key", json!({"kid": "k1"}), claims());
    let es = sign("ES256", "ecP-256.key", json!({"kid": "e1"}), claims());
    let nokid = sign("ES256", "ecP-256.key", json!({}), claims());
    with_ctx(&storage, 100, |ctx| verify(ctx, &config, &rs)).unwrap();
    assert_eq!(server.hits("/jwks"), 1);
    // fresh cache: no request at all
    with_ctx(&storage, 101, |ctx| verify(ctx, &config, &es)).unwrap();
    with_ctx(&storage, 102, |ctx| verify(ctx, &config, &nokid)).unwrap();
    with_ctx(&storage, 10_000, |ctx| verify(ctx, &config, &rs)).unwrap();
    assert_eq!(server.hits("/jwks"), 1);

    // works offline once cached
    server.serve("/jwks", 500, "down");
    with_ctx(&storage, 10_001, |ctx| verify(ctx, &config, &rs)).unwrap();
    assert_eq!(server.hits("/jwks"), 1);
}

#[test]
fn a_miss_refetches_at_most_once_per_cooldown() {
    let server = Server::start();
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string(),
    );
    let config = jwks_config(&server);
    let storage = MemoryStorage::default();
    let good = sign("RS256", "rsa2048.key", json!({"kid": "k1"}), claims());
    let unknown = sign("RS256", "rsa2048.key", json!({"kid": "nope"}), claims());
    let rotated = sign("RS256", "rsa2048b.key", json!({"kid": "k2"}), claims());

    with_ctx(&storage, 1000, |ctx| verify(ctx, &config, &good)).unwrap();
    assert_eq!(server.hits("/jwks"), 1);
    let failed = token_err(FAILED_TO_VERIFY);
    assert_eq!(
        with_ctx(&storage, 1001, |ctx| verify(ctx, &config, &unknown)).unwrap_err(),
        failed
    );
    assert_eq!(server.hits("/jwks"), 2, "first miss refetches");
    for t in 1002..1010 {
        assert_eq!(
            with_ctx(&storage, t, |ctx| verify(ctx, &config, &unknown)).unwrap_err(),
            failed
        );
    }
    assert_eq!(server.hits("/jwks"), 2, "no refetch inside the cooldown");

    // key rotation: the new key is found on the first miss after the cooldown
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k1"), rsa_jwk("rsa2048b.pub", "k2")]}).to_string(),
    );
    assert!(with_ctx(&storage, 1015, |ctx| verify(ctx, &config, &rotated)).is_err());
    assert_eq!(server.hits("/jwks"), 2);
    with_ctx(&storage, 1001 + REFETCH_COOLDOWN_SECS, |ctx| {
        verify(ctx, &config, &rotated)
    })
    .unwrap();
    assert_eq!(server.hits("/jwks"), 3);

    // a failed refetch keeps the cached keys
    server.serve("/jwks", 503, "unavailable");
    let err = with_ctx(&storage, 5000, |ctx| verify(ctx, &config, &unknown)).unwrap_err();
    assert!(
        matches!(&err, VerifyError::Token(d) if d.starts_with("error verifying token signature: fetching keys oidc: get keys failed: 503")),
        "{err:?}"
    );
    with_ctx(&storage, 5001, |ctx| verify(ctx, &config, &rotated)).unwrap();
    assert_eq!(server.hits("/jwks"), 4);
}

#[test]
fn token_urls_and_embedded_keys_are_never_used() {
    let server = Server::start();
    server.serve("/jwks", 200, &json!({"keys": []}).to_string());
    server.serve(
        "/evil",
        200,
        &json!({"keys": [rsa_jwk("rsa2048b.pub", "k")]}).to_string(),
    );
    let evil = format!("{}/evil", server.base);
    let header = json!({"kid": "k", "jku": evil, "x5u": evil, "jwk": rsa_jwk("rsa2048b.pub", "k")});
    let jwt = sign("RS256", "rsa2048b.key", header, claims());
    // static keys: zero requests
    assert_eq!(
        verify_static(&["rsa2048.pub"], &[], &jwt).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
    assert_eq!(server.total_hits(), 0);
    // JWKS: only the configured URL is fetched
    let storage = MemoryStorage::default();
    let config = jwks_config(&server);
    assert_eq!(
        with_ctx(&storage, 1, |ctx| verify(ctx, &config, &jwt)).unwrap_err(),
        token_err(FAILED_TO_VERIFY)
    );
    assert_eq!(server.hits("/evil"), 0);
    assert_eq!(server.hits("/jwks"), 1);
}

#[test]
fn jwks_errors() {
    let server = Server::start();
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k")]}).to_string(),
    );
    let storage = MemoryStorage::default();
    let config = jwks_config(&server);
    let hs = format!(
        "{}.{}.c2ln",
        b64(br#"{"alg":"HS256"}"#),
        b64(claims().to_string().as_bytes())
    );
    let err = with_ctx(&storage, 1, |ctx| verify(ctx, &config, &hs)).unwrap_err();
    assert_eq!(
        err,
        token_err(
            "oidc: malformed jwt: unexpected signature algorithm \"HS256\"; expected [\"RS256\" \"RS384\" \"RS512\" \"ES256\" \"ES384\" \"ES512\" \"PS256\" \"PS384\" \"PS512\" \"EdDSA\"]"
        )
    );
    assert_eq!(
        with_ctx(&storage, 1, |ctx| verify(ctx, &config, "a.b")).unwrap_err(),
        token_err("oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts")
    );
    assert_eq!(server.total_hits(), 0, "malformed tokens fetch nothing");
    // an oversized JWKS is refused
    server.serve("/jwks", 200, &" ".repeat(2 * 1024 * 1024));
    let jwt = sign("RS256", "rsa2048.key", json!({"kid": "k"}), claims());
    let err = with_ctx(&storage, 1, |ctx| verify(ctx, &config, &jwt)).unwrap_err();
    assert!(
        matches!(&err, VerifyError::Token(d) if d.contains("exceeds the limit of 1048576 bytes")),
        "{err:?}"
    );
}

#[test]
fn discovery_is_fetched_once_and_checks_the_issuer() {
    let server = Server::start();
    let issuer = format!("{}/idp", server.base);
    server.serve(
        "/idp/.well-known/openid-configuration",
        200,
        &json!({"issuer": issuer, "jwks_uri": format!("{issuer}/keys")}).to_string(),
    );
    server.serve(
        "/idp/keys",
        200,
        &json!({"keys": [ec_jwk("e1")]}).to_string(),
    );
    let config = Config {
        oidc_discovery_url: issuer.clone(),
        ..Default::default()
    };
    let storage = MemoryStorage::default();
    let jwt = sign("ES256", "ecP-256.key", json!({"kid": "e1"}), claims());
    for t in 0..3 {
        with_ctx(&storage, t, |ctx| verify(ctx, &config, &jwt)).unwrap();
    }
    assert_eq!(server.hits("/idp/.well-known/openid-configuration"), 1);
    assert_eq!(server.hits("/idp/keys"), 1);

    // issuer mismatch: the validator cannot be built
    server.serve(
        "/other/.well-known/openid-configuration",
        200,
        &json!({"issuer": "https://elsewhere.example.com", "jwks_uri": "x"}).to_string(),
    );
    let other = Config {
        oidc_discovery_url: format!("{}/other", server.base),
        ..Default::default()
    };
    let storage = MemoryStorage::default();
    let err = with_ctx(&storage, 0, |ctx| verify(ctx, &other, &jwt)).unwrap_err();
    assert_eq!(
        err,
        VerifyError::Validator(format!(
            "keyset configuration error: issuer did not match the returned issuer, expected \"{}/other\" got \"https://elsewhere.example.com\"",
            server.base
        ))
    );
}

#[test]
fn fetch_failures_have_go_oidc_texts() {
    let server = Server::start();
    server.serve("/jwks", 200, "<html>");
    let storage = MemoryStorage::default();
    let jwt = sign("RS256", "rsa2048.key", json!({"kid": "k"}), claims());
    let err = with_ctx(&storage, 1, |ctx| verify(ctx, &jwks_config(&server), &jwt)).unwrap_err();
    assert_eq!(
        err,
        token_err("fetching keys oidc: failed to decode keys: got Content-Type = application/json, but could not unmarshal as JSON: invalid character '<' looking for beginning of value <html>")
    );
    let refused = Config {
        jwks_url: "http://127.0.0.1:1/jwks".into(),
        ..Default::default()
    };
    let err = with_ctx(&storage, 1, |ctx| verify(ctx, &refused, &jwt)).unwrap_err();
    assert_eq!(
        err,
        token_err("fetching keys oidc: get keys failed Get \"http://127.0.0.1:1/jwks\": dial tcp 127.0.0.1:1: connect: connection refused")
    );
    // nothing was cached by the failures
    assert_eq!(storage.list("auth/x/cache/").unwrap(), Vec::<String>::new());
}

#[test]
fn a_signed_non_object_payload_is_refused() {
    let jwt = sign("ES256", "ecP-256.key", json!({}), json!([1, 2]));
    assert_eq!(
        verify_static(&["ecP-256.pub"], &[], &jwt).unwrap_err(),
        token_err(NO_KNOWN_KEY)
    );
}

#[test]
fn a_silent_issuer_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn); // never answer
        }
    });
    let config = Config {
        jwks_url: format!("http://{addr}/jwks"),
        ..Default::default()
    };
    let storage = MemoryStorage::default();
    let jwt = sign("ES256", "ecP-256.key", json!({}), claims());
    let started = std::time::Instant::now();
    let err = with_ctx(&storage, 1, |ctx| verify(ctx, &config, &jwt)).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(
        err,
        token_err(format!(
            "fetching keys oidc: get keys failed Get \"http://{addr}/jwks\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        ).as_str())
    );
}

fn step<'a>(i: &'a Inspection, name: &str) -> &'a KeyStep {
    i.steps
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no step {name}: {:?}", i.steps))
}

#[test]
fn inspect_records_which_key_verified_or_why_not() {
    let storage = MemoryStorage::default();
    let config = static_config(&["ecP-256.pub", "rsa2048.pub"]);
    let good = sign("RS256", "rsa2048.key", json!({}), claims());
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, &good, false));
    assert_eq!(i.error(), None);
    assert_eq!(
        step(&i, "signature").actual,
        "verified by key #2 (RSA, RS256)"
    );
    assert_eq!(step(&i, "key_source").actual, "2 key(s): EC P-256, RSA");

    // The wrong key: login stops at the signature; explain goes on to the alg and claims.
    let other = sign("RS256", "rsa2048b.key", json!({}), claims());
    let stop = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, &other, false));
    assert_eq!(stop.error(), Some(&token_err(NO_KNOWN_KEY)));
    assert!(stop.claims.is_none());
    assert!(stop.steps.iter().all(|s| s.name != "alg"));
    let go = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, &other, true));
    assert_eq!(go.error(), Some(&token_err(NO_KNOWN_KEY)));
    assert!(step(&go, "signature").hint.contains("another key"));
    assert_eq!(step(&go, "alg").outcome, Ok(()));
    assert_eq!(go.claims.unwrap().get("sub"), Some(&json!("alice")));

    // No key of the token's type.
    let ed = sign("EdDSA", "ed25519.key", json!({}), claims());
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, &ed, true));
    assert!(step(&i, "signature")
        .hint
        .contains("no configured key can check EdDSA"));

    // An alg outside jwt_supported_algs.
    let mut narrow = config.clone();
    narrow.jwt_supported_algs = vec!["ES256".into()];
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &narrow, &good, true));
    assert_eq!(step(&i, "signature").outcome, Ok(()));
    assert_eq!(
        step(&i, "alg").outcome,
        Err(VerifyError::Token(UNEXPECTED_ALG.into()))
    );
    assert!(step(&i, "alg").hint.contains("jwt_supported_algs"));

    // An unparseable token stops everything.
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, "a.b", true));
    assert_eq!(i.steps.last().unwrap().name, "token_format");
    assert!(i.claims.is_none());

    // A broken key source: the signature is skipped, the claims still read.
    let broken = Config::default();
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &broken, &good, true));
    assert!(matches!(
        step(&i, "key_source").outcome,
        Err(VerifyError::Validator(_))
    ));
    assert!(step(&i, "signature").skipped);
    assert!(i.claims.is_some());
}

#[test]
fn inspect_names_the_jwks_kid_that_is_missing() {
    let server = Server::start();
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string(),
    );
    let config = jwks_config(&server);
    let storage = MemoryStorage::default();
    let good = sign("RS256", "rsa2048.key", json!({"kid": "k1"}), claims());
    let i = with_ctx(&storage, 100, |ctx| inspect(ctx, &config, &good, true));
    assert_eq!(
        step(&i, "signature").actual,
        "verified by JWKS key \"k1\" (RS256)"
    );
    let unknown = sign("RS256", "rsa2048.key", json!({"kid": "nope"}), claims());
    let i = with_ctx(&storage, 200, |ctx| inspect(ctx, &config, &unknown, true));
    assert_eq!(i.error(), Some(&token_err(FAILED_TO_VERIFY)));
    assert_eq!(
        step(&i, "signature").hint,
        "the token's kid \"nope\" is not in the JWKS (kids: \"k1\")"
    );
}
