//! The cases of ../shared/research/security.md §5 and the "Bad input" list of issue 3, through
//! the binary: each refused with OpenBao's text (exit 2; a local failure exits 1), the data
//! directory unchanged by a refused login or write, and — where a URL is involved — the hits on
//! a loopback server counted (zero for jku/x5u/jwk; at most one refetch for a flood of kids).
//!
//! Where each §5 case is tested (U = unit test in src/, I = integration test in tests/; "here"
//! = this file). OpenBao 2.7.2 is the reference where §5 asks for something else (noted).
//!
//! 1 alg
//!   none/None/NONE, empty or garbage signature ......... here `alg_none_hmac_and_key_family_confusion`
//!     (+ U keys_tests::alg_none_and_hmac_key_confusion_are_refused; conformance attack-alg-none)
//!   HS256 MAC'd with the RSA key as SPKI PEM/DER, PKCS#1 DER; any secret ... here (same test)
//!     (+ U keys_tests::alg_none_and_hmac_key_confusion_are_refused, keys_tests::jwks_errors)
//!   ES256 header with an RSA key / with a P-384 key ..... here (same test)
//!   alg outside jwt_supported_algs ...................... U keys_tests::alg_is_checked_after_the_signature
//!   ES512: supported, as in OpenBao (§5 predates that) .. U keys_tests::every_algorithm_verifies_with_its_static_key
//! 2 header key material
//!   embedded jwk, jku, x5u: rejected, zero hits ......... here `token_urls_and_embedded_keys_fetch_nothing`
//!     (+ U keys_tests::token_urls_and_embedded_keys_are_never_used)
//!   x5c chain ignored ................................... here (same test)
//! 3 kid
//!   unknown kid: one refetch; 50 random kids: <= 1 refetch in the cooldown ... here `kid_flood_refetches_at_most_once`
//!     (+ U keys_tests::a_miss_refetches_at_most_once_per_cooldown)
//!   kid ../../../dev/null, 10 KB, unicode: clean reject .. here `odd_kids_are_lookup_keys_only`
//!   no kid with several keys: all tried ................. U keys_tests::jwks_kid_selection_and_cache_without_network,
//!                                                         U keys_tests::static_keys_are_all_tried_and_kid_is_ignored
//! 4 crit: unknown, [], ["alg"], ["b64"]+b64:false ....... here `crit_headers_are_refused`
//!     (+ U keys_tests::tampered_tokens_fail, jws::tests::duplicate_members_crit_and_b64).
//!     OpenBao (go-jose) accepts `crit: []`, `null` and `["b64"]`, and honours `b64: false`
//!     (signature over the raw payload); recorded against bao 2.7.2, so vaultjwt does the same.
//! 5 structure
//!   2, 4, 5 (JWE) parts; empty segments; padding; +/; whitespace ... here `malformed_tokens`
//!     (+ U jws::tests, keys_tests::malformed_tokens_give_go_jose_errors,
//!      keys_tests::whitespace_and_json_serialization_are_accepted; conformance attack-garbage-jwt)
//!   non-UTF-8 header; header / payload as a JSON array .. here `malformed_tokens`
//!     (+ U keys_tests::a_signed_non_object_payload_is_refused)
//!   duplicate alg in the header, duplicate sub in the payload ... here `duplicate_member_names`
//!     (bao 2.7.2: a repeated header member is refused; a repeated claim fails every static key,
//!      while through a JWKS the last one wins)
//! 6 signature
//!   bit flip per segment; ECDSA MAYCAQACAQA and 64 zero bytes; DER ECDSA; reused signature
//!     ... here `bad_signatures` (+ U keys_tests::tampered_tokens_fail; conformance attack-tampered)
//! 7 time: boundaries of every leeway .................... U login::tests::time_defaults_and_boundaries, ::leeways
//!   exp as string, float, negative, 1e300, bool, null, array ... here `time_claim_types`
//!     (+ U login::tests::registered_claim_types)
//! 8 iss: mismatch, slash-only, array, missing ........... here `issuer_and_subject_confusion`
//!   discovery issuer != configured ...................... I jwt_keys::oidc_discovery_checks_the_issuer,
//!                                                         U keys_tests::discovery_is_fetched_once_and_checks_the_issuer
//! 9 aud ................................................. U login::tests::audience_presence_rule, ::default_mode_token_audiences;
//!                                                         conformance aud-*
//! 10 sub / user_claim / groups; SUB and ſub do not satisfy sub ... here `issuer_and_subject_confusion`
//!     (+ U claims::tests::user_claim_rules, ::groups_rules; conformance user-claim-*, groups-claim-*)
//! 11 bound_claims ....................................... U claims::tests::bound_claims_*, ::glob_semantics;
//!                                                         conformance bound-claims-*
//! 12 transport
//!   http accepted (OpenBao accepts http URLs; not refused)
//!   pinned CA mismatch .................................. I jwt_keys::pinned_ca_replaces_the_system_roots
//!   redirect to another host ............................ I jwt_keys::redirects_to_another_host_are_refused
//!   2 MiB JWKS; 500; non-JSON ........................... I jwt_keys::jwks_url_is_checked_at_write,
//!                                                         U keys_tests::jwks_errors, ::fetch_failures_have_go_oidc_texts
//!   unreachable JWKS (connection refused) ............... here `bad_config_and_role_writes_change_nothing`
//!   slow server: timeout ................................ U keys_tests::a_silent_issuer_times_out
//!   oct key / use:enc in the JWKS ....................... here `jwks_oct_and_enc_keys` (bao 2.7.2: an oct JWK
//!     is valid and verifies nothing; `use` is not looked at)
//!   10k-key JWKS: bounded by the 1 MiB document cap ..... I jwt_keys::jwks_url_is_checked_at_write
//! 13 config: RSA-1024, bad PEM, two sources ............. here `bad_config_and_role_writes_change_nothing`
//!     (+ I jwt_keys::config_errors_leave_the_stored_config_untouched)
//!   role without audiences: warning ..................... I jwt_login::default_mode_walkthrough_role
//! 14 state: modes ....................................... I core_acceptance::private_modes_and_no_plaintext_token_in_the_data_directory
//!   interrupted write ................................... I storage::sigkill_during_writes_leaves_parseable_state
//!   links in / others' data directory; full disk ........ I data_dir_security (issue 12)
//!   the issued token never on stderr .................... here `the_issued_token_is_only_on_stdout`
//!   a JWT replayed succeeds (parity) .................... I walkthrough::seed_walkthrough_logs_in_in_default_mode
//! A17 oversize / deeply nested (§2 table): a 10 MiB token is refused before decoding (cap
//!   64 KiB) with a peak RSS near the input's own size; a 1,000-deep claim is refused by the
//!   JSON depth limit ... here `oversized_and_deeply_nested_tokens` (both deliberate differences
//!   from OpenBao, named by issue 6)
//! 15 parity list ........................................ conformance scenarios (harness), U login::tests::conformance_scenarios_replay

use crate::common;
use crate::loopback;

use common::{Out, TestEnv};
use loopback::{b64, fixture, now, rsa_jwk, sign_raw, Server};
use serde_json::{json, Value};

const NO_KNOWN_KEY: &str =
    "* error validating token: error verifying token signature: no known key successfully validated the token signature\n";
const FAILED_TO_VERIFY: &str =
    "* error validating token: error verifying token signature: failed to verify id token signature\n";

fn claims() -> Value {
    json!({"iss": "https://iss/", "sub": "alice", "aud": "vault", "iat": now() - 5, "exp": now() + 600})
}

/// `alg` RS256 with the trusted key `rsa2048.key`, header fields merged in.
fn rs256(header: Value, claims: &Value) -> String {
    let mut h = json!({"alg": "RS256", "typ": "JWT"});
    for (k, v) in header.as_object().unwrap() {
        h[k] = v.clone();
    }
    sign_raw(&h.to_string(), &claims.to_string(), "rsa2048.key")
}

/// A mount `jwt/` with static keys (RSA-2048 and P-256) and role `r`.
fn static_env() -> TestEnv {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&[
        "write",
        "auth/jwt/config",
        &format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub")),
        &format!("jwt_validation_pubkeys={}", fixture("ecP-256.pub")),
        "bound_issuer=https://iss/",
    ])
    .success();
    role(&env, "jwt");
    env
}

fn role(env: &TestEnv, mount: &str) {
    env.run(&[
        "write",
        &format!("auth/{mount}/role/r"),
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
    ])
    .success();
}

/// A mount `jwks/` whose config is a JWKS URL on `server` (`/jwks`: `k1` = rsa2048.pub).
fn jwks_mount(env: &TestEnv, server: &Server) {
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [rsa_jwk("rsa2048.pub", "k1")]}).to_string(),
    );
    env.run(&["auth", "enable", "-path=jwks", "jwt"]).success();
    env.run(&[
        "write",
        "auth/jwks/config",
        &format!("jwks_url={}", server.url("/jwks")),
    ])
    .success();
    role(env, "jwks");
}

fn login(env: &TestEnv, mount: &str, jwt: &str) -> Out {
    env.cmd(&["write", &format!("auth/{mount}/login"), "role=r", "jwt=-"])
        .stdin(jwt)
        .run()
}

/// The login is refused with `message` (the last line of stderr), exit 2, and the data
/// directory is exactly as before.
fn refused(env: &TestEnv, mount: &str, jwt: &str, message: &str) {
    let before = env.snapshot();
    let out = login(env, mount, jwt);
    out.code(2)
        .stderr_has(&format!("Error writing data to auth/{mount}/login: Error making API request.\n\nCode: 400. Errors:\n\n"));
    assert!(
        out.stderr.ends_with(message),
        "want {message:?}, got:\n{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    if mount == "jwt" {
        assert!(
            env.snapshot() == before,
            "a refused login changed the data directory"
        );
    }
}

fn accepted(env: &TestEnv, mount: &str, jwt: &str) {
    login(env, mount, jwt).success();
}

#[test]
fn alg_none_hmac_and_key_family_confusion() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    let c = claims();
    let payload = b64(c.to_string().as_bytes());
    for alg in ["none", "None", "NONE"] {
        let head = b64(json!({"alg": alg, "typ": "JWT"}).to_string().as_bytes());
        for sig in ["", "Z2FyYmFnZQ"] {
            let t = format!("{head}.{payload}.{sig}");
            refused(&env, "jwt", &t, NO_KNOWN_KEY);
            refused(
                &env,
                "jwks",
                &t,
                &format!("* error validating token: error verifying token signature: oidc: malformed jwt: unexpected signature algorithm \"{alg}\"; expected [\"RS256\" \"RS384\" \"RS512\" \"ES256\" \"ES384\" \"ES512\" \"PS256\" \"PS384\" \"PS512\" \"EdDSA\"]\n"),
            );
        }
    }
    // HS256 MAC'd with the RSA public key in every encoding, and with any secret.
    let pem = fixture("rsa2048.pub");
    let spki_der = {
        use rsa::pkcs8::{DecodePublicKey, EncodePublicKey};
        let k = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
        (
            k.to_public_key_der().unwrap().as_bytes().to_vec(),
            rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_der(&k)
                .unwrap()
                .as_bytes()
                .to_vec(),
        )
    };
    let head = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let input = format!("{head}.{payload}");
    for secret in [
        pem.as_bytes().to_vec(),
        pem.trim().as_bytes().to_vec(),
        spki_der.0,
        spki_der.1,
        b"secret".to_vec(),
    ] {
        let key = jsonwebtoken::EncodingKey::from_secret(&secret);
        let sig =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS256)
                .unwrap();
        refused(&env, "jwt", &format!("{input}.{sig}"), NO_KNOWN_KEY);
    }
    // ES256 in the header over an RSA signature; an ES256 header signed with a P-384 key.
    let rsa_sig = rs256(json!({}), &c);
    let (_, rest) = rsa_sig.split_once('.').unwrap();
    let es_head = b64(br#"{"alg":"ES256","typ":"JWT"}"#);
    let (_, sig) = rest.split_once('.').unwrap();
    refused(
        &env,
        "jwt",
        &format!("{es_head}.{payload}.{sig}"),
        NO_KNOWN_KEY,
    );
    let p384 = {
        let input = format!("{es_head}.{payload}");
        let k = jsonwebtoken::EncodingKey::from_ec_pem(fixture("ecP-384.key").as_bytes()).unwrap();
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &k, jsonwebtoken::Algorithm::ES384)
            .unwrap();
        format!("{input}.{sig}")
    };
    refused(&env, "jwt", &p384, NO_KNOWN_KEY);
    // The genuine ES256 token passes (the key family is not the problem).
    let es = {
        let input = format!("{es_head}.{payload}");
        let k = jsonwebtoken::EncodingKey::from_ec_pem(fixture("ecP-256.key").as_bytes()).unwrap();
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &k, jsonwebtoken::Algorithm::ES256)
            .unwrap();
        format!("{input}.{sig}")
    };
    accepted(&env, "jwt", &es);
}

#[test]
fn token_urls_and_embedded_keys_fetch_nothing() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    let attacker = Server::start();
    attacker.serve(
        "/keys",
        200,
        &json!({"keys": [rsa_jwk("rsa2048b.pub", "k1")]}).to_string(),
    );
    let cert: String = fixture("rsa2048.crt")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let header = json!({"alg": "RS256", "kid": "k1", "jku": attacker.url("/keys"),
        "x5u": attacker.url("/cert"), "jwk": rsa_jwk("rsa2048b.pub", "k1"), "x5c": [cert]});
    let forged = sign_raw(&header.to_string(), &claims().to_string(), "rsa2048b.key");
    let jwks_before = server.hits("/jwks");
    refused(&env, "jwt", &forged, NO_KNOWN_KEY);
    refused(&env, "jwks", &forged, FAILED_TO_VERIFY);
    assert_eq!(attacker.total_hits(), 0, "a URL from the token was fetched");
    assert!(server.hits("/jwks") - jwks_before <= 1);
    // The same header on a token the trusted key signed: the material is ignored, not used.
    let genuine = sign_raw(&header.to_string(), &claims().to_string(), "rsa2048.key");
    accepted(&env, "jwt", &genuine);
    accepted(&env, "jwks", &genuine);
    assert_eq!(attacker.total_hits(), 0);
}

#[test]
fn kid_flood_refetches_at_most_once() {
    let env = TestEnv::new();
    let server = Server::start();
    jwks_mount(&env, &server);
    let started = std::time::Instant::now();
    accepted(&env, "jwks", &rs256(json!({"kid": "k1"}), &claims()));
    let warm = server.hits("/jwks");
    // An unknown kid (signed by an unknown key): refused, one refetch.
    let stranger = |kid: &str| {
        sign_raw(
            &json!({"alg": "RS256", "kid": kid}).to_string(),
            &claims().to_string(),
            "rsa2048b.key",
        )
    };
    refused(&env, "jwks", &stranger("unknown"), FAILED_TO_VERIFY);
    assert_eq!(server.hits("/jwks"), warm + 1, "the first miss refetches");
    // 50 more random kids: no further refetch inside the cooldown (30 s).
    for i in 0..50 {
        let kid = format!("kid-{i}-{}", now());
        refused(&env, "jwks", &stranger(&kid), FAILED_TO_VERIFY);
    }
    let cooldowns = 1 + started.elapsed().as_secs() as usize / 30;
    assert!(
        server.hits("/jwks") <= warm + cooldowns,
        "{} fetches",
        server.hits("/jwks") - warm
    );
    // The cached key still works, with no request.
    let before = server.hits("/jwks");
    accepted(&env, "jwks", &rs256(json!({"kid": "k1"}), &claims()));
    assert_eq!(server.hits("/jwks"), before);
}

#[test]
fn odd_kids_are_lookup_keys_only() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    for kid in [
        "../../../dev/null".to_string(),
        "k".repeat(10 * 1024),
        "ключ-🔑".to_string(),
        "k1\u{0}".to_string(),
    ] {
        let t = rs256(json!({ "kid": kid }), &claims());
        refused(&env, "jwks", &t, FAILED_TO_VERIFY);
        // static keys ignore the kid
        accepted(&env, "jwt", &t);
    }
}

#[test]
fn crit_headers_are_refused() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    // Names go-jose does not support: every key fails.
    for extra in [
        json!({"crit": ["exp"], "exp": 1}),
        json!({"crit": ["alg"]}),
        json!({"crit": ["b64", "exp"]}),
        json!({"crit": "b64"}),
        json!({"crit": ["b64"], "b64": false}),
    ] {
        let mut h = extra.clone();
        h["kid"] = json!("k1");
        let t = rs256(h, &claims());
        refused(&env, "jwt", &t, NO_KNOWN_KEY);
        refused(&env, "jwks", &t, FAILED_TO_VERIFY);
    }
    // What OpenBao 2.7.2 accepts (recorded against bao): no names, and b64 (RFC 7797), whose
    // `false` makes the signature cover the payload bytes themselves.
    for extra in [
        json!({"crit": []}),
        json!({"crit": null}),
        json!({"crit": ["b64"]}),
        json!({"crit": ["b64"], "b64": true}),
    ] {
        let mut h = extra.clone();
        h["kid"] = json!("k1");
        let t = rs256(h, &claims());
        accepted(&env, "jwt", &t);
        accepted(&env, "jwks", &t);
    }
    let k = jsonwebtoken::EncodingKey::from_rsa_pem(fixture("rsa2048.key").as_bytes()).unwrap();
    for header in [
        r#"{"alg":"RS256","kid":"k1","crit":["b64"],"b64":false}"#,
        r#"{"alg":"RS256","kid":"k1","b64":false}"#,
    ] {
        let payload = claims().to_string();
        let signed = format!("{}.{payload}", b64(header.as_bytes()));
        let sig = jsonwebtoken::crypto::sign(signed.as_bytes(), &k, jsonwebtoken::Algorithm::RS256)
            .unwrap();
        let t = format!(
            "{}.{}.{sig}",
            b64(header.as_bytes()),
            b64(payload.as_bytes())
        );
        accepted(&env, "jwt", &t);
        accepted(&env, "jwks", &t);
    }
}

#[test]
fn malformed_tokens() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    let good = rs256(json!({"kid": "k1"}), &claims());
    let parts: Vec<&str> = good.split('.').collect();
    let three = "go-jose/go-jose: compact JWS format must have three parts";
    let sig_err =
        |d: &str| format!("* error validating token: error verifying token signature: {d}\n");
    let oidc_err = |d: &str| {
        format!(
            "* error validating token: error verifying token signature: oidc: malformed jwt: {d}\n"
        )
    };
    let cases: Vec<(String, String)> = vec![
        (format!("{}.{}", parts[0], parts[1]), three.into()),
        (format!("{good}.{}", parts[2]), three.into()),
        // JWE compact serialization: five parts
        (format!("{}.a.b.c.d", parts[0]), three.into()),
        (
            format!("{}..{}", parts[0], parts[2]),
            String::new(), // empty payload: a signature over another input
        ),
        (
            format!("{}+.{}.{}", parts[0], parts[1], parts[2]),
            format!("illegal base64 data at input byte {}", parts[0].len()),
        ),
        (
            format!("{}.{}/.{}", parts[0], parts[1], parts[2]),
            format!("illegal base64 data at input byte {}", parts[1].len()),
        ),
        (
            format!("{}.{}.{}", b64(b"[1,2]"), parts[1], parts[2]),
            "json: cannot unmarshal array into Go value of type jose.rawHeader".into(),
        ),
        (
            format!("{}.{}.{}", b64(b"\xff\xfe{}"), parts[1], parts[2]),
            "invalid character".into(),
        ),
    ];
    for (t, detail) in &cases {
        for mount in ["jwt", "jwks"] {
            let out = login(&env, mount, t);
            out.code(2);
            if detail.is_empty() {
                out.stderr_has("error verifying token signature");
            } else if mount == "jwt" {
                out.stderr_has(&sig_err(detail).replace('\n', ""));
            } else {
                out.stderr_has(&oidc_err(detail).replace('\n', ""));
            }
        }
    }
    // Empty parts: no header, so no alg: static keys try every key (go-jose v3); the JWKS
    // path (go-jose v4) refuses the alg "" when parsing (recorded against bao 2.7.2).
    refused(&env, "jwt", "..", NO_KNOWN_KEY);
    refused(
        &env,
        "jwks",
        "..",
        &oidc_err("unexpected signature algorithm \"\"; expected [\"RS256\" \"RS384\" \"RS512\" \"ES256\" \"ES384\" \"ES512\" \"PS256\" \"PS384\" \"PS512\" \"EdDSA\"]"),
    );
    // Outer and inner whitespace is tolerated, as go-jose does.
    let spaced = format!(" {}\n.{} .\t{}\n", parts[0], parts[1], parts[2]);
    accepted(&env, "jwt", &spaced);
    accepted(&env, "jwks", &spaced);
    // `=` padding: go-jose v3 (static keys) trims it, go-jose v4 (JWKS) refuses it.
    let padded = format!("{}=.{}==.{}", parts[0], parts[1], parts[2]);
    accepted(&env, "jwt", &padded);
    refused(
        &env,
        "jwks",
        &padded,
        &oidc_err(&format!(
            "illegal base64 data at input byte {}",
            parts[0].len()
        )),
    );
    // A signed payload that is a JSON array.
    let arr = sign_raw(r#"{"alg":"RS256","kid":"k1"}"#, "[1,2]", "rsa2048.key");
    refused(&env, "jwt", &arr, NO_KNOWN_KEY);
    refused(
        &env,
        "jwks",
        &arr,
        "* error validating token: error verifying token signature: json: cannot unmarshal array into Go value of type map[string]interface {}\n",
    );
}

#[test]
fn duplicate_member_names() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    let c = claims();
    let body = c.to_string();
    // duplicate alg in the protected header: go-jose's parser refuses it
    let t = sign_raw(
        r#"{"alg":"RS256","kid":"k1","alg":"RS256"}"#,
        &body,
        "rsa2048.key",
    );
    refused(
        &env,
        "jwt",
        &t,
        "* error validating token: error verifying token signature: json: duplicate key 'alg' in object\n",
    );
    refused(
        &env,
        "jwks",
        &t,
        "* error validating token: error verifying token signature: oidc: malformed jwt: json: duplicate key 'alg' in object\n",
    );
    // duplicate sub in the payload: go-jose's claims decoder refuses it with static keys (each
    // key then fails); with a JWKS, OpenBao decodes the payload with encoding/json, where the
    // last member wins.
    let dup = format!(
        r#"{{"iss":"https://iss/","sub":"mallory","aud":"vault","iat":{},"exp":{},"sub":"alice"}}"#,
        now() - 5,
        now() + 600
    );
    let t = sign_raw(r#"{"alg":"RS256","kid":"k1"}"#, &dup, "rsa2048.key");
    refused(&env, "jwt", &t, NO_KNOWN_KEY);
    let out = env
        .cmd(&[
            "write",
            "-field=token",
            "auth/jwks/login",
            "role=r",
            "jwt=-",
        ])
        .stdin(t.clone())
        .run();
    out.success();
    let who = env
        .cmd(&["token", "lookup", "-format=json"])
        .env("VAULTJWT_TOKEN", &out.stdout)
        .run()
        .success()
        .json();
    assert_eq!(who["data"]["display_name"], json!("jwks-alice"));
    // nested duplicates count too (static keys)
    let nested = format!(
        r#"{{"iss":"https://iss/","sub":"alice","aud":"vault","iat":{},"exp":{},"x":{{"a":1,"a":2}}}}"#,
        now() - 5,
        now() + 600
    );
    let t = sign_raw(r#"{"alg":"RS256"}"#, &nested, "rsa2048.key");
    refused(&env, "jwt", &t, NO_KNOWN_KEY);
}

#[test]
fn bad_signatures() {
    let env = static_env();
    let good = rs256(json!({}), &claims());
    let parts: Vec<&str> = good.split('.').collect();
    // one changed bit in the header (still valid JSON), the payload, the signature
    let header2 = b64(br#"{"alg":"RS256","typ":"JWS"}"#);
    refused(
        &env,
        "jwt",
        &format!("{header2}.{}.{}", parts[1], parts[2]),
        NO_KNOWN_KEY,
    );
    let mut payload = claims();
    payload["sub"] = json!("alicf");
    let p2 = b64(payload.to_string().as_bytes());
    refused(
        &env,
        "jwt",
        &format!("{}.{p2}.{}", parts[0], parts[2]),
        NO_KNOWN_KEY,
    );
    let mut sig =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[2])
            .unwrap();
    sig[100] ^= 0x01;
    refused(
        &env,
        "jwt",
        &format!("{}.{}.{}", parts[0], parts[1], b64(&sig)),
        NO_KNOWN_KEY,
    );
    // a signature reused from another token
    let other = rs256(
        json!({}),
        &json!({"iss": "https://iss/", "sub": "bob", "aud": "vault", "iat": now()}),
    );
    let other_sig = other.rsplit('.').next().unwrap();
    refused(
        &env,
        "jwt",
        &format!("{}.{}.{other_sig}", parts[0], parts[1]),
        NO_KNOWN_KEY,
    );
    // ECDSA: psychic signatures and DER encoding
    let es_head = b64(br#"{"alg":"ES256"}"#);
    let input = format!("{es_head}.{}", parts[1]);
    for sig in [b64(&[0u8; 64]), "MAYCAQACAQA".to_string(), String::new()] {
        refused(&env, "jwt", &format!("{input}.{sig}"), NO_KNOWN_KEY);
    }
    let raw = {
        let k = jsonwebtoken::EncodingKey::from_ec_pem(fixture("ecP-256.key").as_bytes()).unwrap();
        jsonwebtoken::crypto::sign(input.as_bytes(), &k, jsonwebtoken::Algorithm::ES256).unwrap()
    };
    accepted(&env, "jwt", &format!("{input}.{raw}"));
    let der = {
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &raw)
            .unwrap();
        let s = p256::ecdsa::Signature::from_slice(&bytes).unwrap();
        b64(s.to_der().as_bytes())
    };
    refused(&env, "jwt", &format!("{input}.{der}"), NO_KNOWN_KEY);
}

#[test]
fn time_claim_types() {
    let env = static_env();
    let numeric = "* error validating token: go-jose/go-jose/jwt: expected number value to unmarshal NumericDate\n";
    let expired =
        "* error validating token: invalid expiration time (exp) claim: token is expired\n";
    for (exp, want) in [
        (json!("soon"), Some(numeric)),
        (json!(true), Some(numeric)),
        (json!([now() + 600]), Some(numeric)),
        (json!({"t": now() + 600}), Some(numeric)),
        (json!(-5), Some(expired)),
        (json!(1e300), Some(expired)),
        (json!(null), None),
        (json!(now() as f64 + 600.7), None),
    ] {
        let mut c = claims();
        c["exp"] = exp.clone();
        let t = rs256(json!({}), &c);
        match want {
            Some(m) => refused(&env, "jwt", &t, m),
            None => accepted(&env, "jwt", &t),
        }
    }
    // nbf and iat mistyped the same way
    for name in ["nbf", "iat"] {
        let mut c = claims();
        c[name] = json!("yesterday");
        refused(&env, "jwt", &rs256(json!({}), &c), numeric);
    }
    // Extremes in every time claim, with and without the others: an answer, never a panic.
    // (Go's int64() of an out-of-range float is math.MinInt64 on amd64, as bao 2.7.2 shows.)
    for name in ["exp", "nbf", "iat"] {
        for v in [
            json!(-1e300),
            json!(1e300),
            json!(i64::MAX),
            json!(i64::MIN),
            json!(u64::MAX),
            json!(-0.5),
        ] {
            for alone in [false, true] {
                let mut c = if alone {
                    json!({"iss": "https://iss/", "sub": "alice", "aud": "vault"})
                } else {
                    claims()
                };
                c[name] = v.clone();
                let out = login(&env, "jwt", &rs256(json!({}), &c));
                assert!(
                    out.code == Some(0) || out.code == Some(2),
                    "{name}={v} alone={alone}: {out:?}"
                );
            }
        }
    }
}

#[test]
fn issuer_and_subject_confusion() {
    let env = static_env();
    let with = |k: &str, v: Value| {
        let mut c = claims();
        c["iss"] = json!("https://iss/");
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v;
        }
        rs256(json!({}), &c)
    };
    accepted(&env, "jwt", &with("iss", json!("https://iss/")));
    let bad_iss = "* error validating token: invalid issuer (iss) claim\n";
    refused(&env, "jwt", &with("iss", json!("https://evil/")), bad_iss);
    refused(&env, "jwt", &with("iss", json!("https://iss")), bad_iss);
    refused(&env, "jwt", &with("iss", Value::Null), bad_iss);
    refused(
        &env,
        "jwt",
        &with("iss", json!(["https://iss/"])),
        "* error validating token: json: cannot unmarshal array into Go struct field Claims.iss of type string\n",
    );
    // case variants and homoglyphs of `sub` are other claims
    for key in ["SUB", "Sub", "ſub", "sub\u{200b}"] {
        let mut c = claims();
        c["iss"] = json!("https://iss/");
        let v = c.as_object_mut().unwrap();
        let sub = v.remove("sub").unwrap();
        v.insert(key.to_string(), sub);
        refused(
            &env,
            "jwt",
            &rs256(json!({}), &c),
            "* claim \"sub\" not found in token\n",
        );
    }
}

#[test]
fn jwks_oct_and_enc_keys() {
    let env = TestEnv::new();
    let server = Server::start();
    jwks_mount(&env, &server);
    // An `oct` key next to the RSA key: an HS256 token MAC'd with it is refused before any
    // key is looked at; the RSA key still verifies.
    let mut enc = rsa_jwk("rsa2048.pub", "k1");
    enc["use"] = json!("enc");
    server.serve(
        "/jwks",
        200,
        &json!({"keys": [{"kty": "oct", "kid": "h", "k": b64(b"secret")}, enc]}).to_string(),
    );
    env.run(&[
        "write",
        "auth/jwks/config",
        &format!("jwks_url={}", server.url("/jwks")),
    ])
    .success();
    let head = b64(br#"{"alg":"HS256","kid":"h"}"#);
    let input = format!("{head}.{}", b64(claims().to_string().as_bytes()));
    let key = jsonwebtoken::EncodingKey::from_secret(b"secret");
    let sig =
        jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS256).unwrap();
    let out = login(&env, "jwks", &format!("{input}.{sig}"));
    out.code(2)
        .stderr_has("oidc: malformed jwt: unexpected signature algorithm \"HS256\"");
    // go-oidc does not look at `use`: the RSA key verifies, as in OpenBao.
    accepted(&env, "jwks", &rs256(json!({"kid": "k1"}), &claims()));
}

#[test]
fn bad_config_and_role_writes_change_nothing() {
    let env = static_env();
    let before = env.snapshot();
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("http://{a}/jwks")
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["jwt_validation_pubkeys=-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----".into()],
            "* error parsing public key:",
        ),
        (
            vec![format!("jwt_validation_pubkeys={}", fixture("rsa1024.pub"))],
            "* error parsing public key: RSA key of 1024 bits is too small",
        ),
        (
            vec![format!("jwks_url={dead}")],
            "* error checking jwks URL: cannot connect to the server: ",
        ),
        (
            vec![
                format!("jwks_url={dead}"),
                format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub")),
            ],
            "* exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', or 'provider_config' must be set\n",
        ),
        (
            vec![format!("oidc_discovery_url={}", dead.trim_end_matches("/jwks"))],
            "* error checking oidc discovery URL: ",
        ),
    ];
    for (params, msg) in cases {
        let mut args = vec!["write".to_string(), "auth/jwt/config".to_string()];
        args.extend(params);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&argv).code(2).stderr_has(msg);
        assert!(
            env.snapshot() == before,
            "{msg}: the data directory changed"
        );
    }
    for params in [
        vec!["bound_claims={\"a\":"],
        vec!["token_ttl=forever"],
        vec!["role_type=saml"],
        vec!["bound_claims_type=glob", "bound_claims={\"a\": 1}"],
        vec!["claim_mappings={\"x\": \"role\"}"],
        vec!["token_bound_cidrs=nope"],
    ] {
        let mut args = vec!["write", "auth/jwt/role/r"];
        args.extend(params.iter());
        let out = env.run(&args);
        out.code(2).stderr_has("Code: 400. Errors:");
        assert!(
            env.snapshot() == before,
            "{params:?}: the data directory changed"
        );
    }
}

#[test]
fn the_issued_token_is_only_on_stdout() {
    let env = static_env();
    let jwt = rs256(json!({}), &claims());
    for args in [
        vec!["write", "auth/jwt/login", "role=r", "jwt=-"],
        vec!["login", "-method=jwt", "role=r", "jwt=-"],
        vec!["login", "-method=jwt", "-no-store", "role=r", "jwt=-"],
    ] {
        let out = env.cmd(&args).stdin(jwt.clone()).run();
        out.success();
        let token = out
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("token "))
            .unwrap()
            .trim()
            .to_string();
        assert!(token.starts_with("s."));
        assert!(
            !out.stderr.contains(&token[2..]),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains(&jwt), "{args:?}");
    }
    // A refused JWT is not echoed either.
    let mut c = claims();
    c["aud"] = json!("other");
    let bad = rs256(json!({}), &c);
    let out = login(&env, "jwt", &bad);
    out.code(2);
    assert!(!out.stderr.contains(bad.rsplit('.').next().unwrap()));
}

/// Runs `cmd` (stdout and stderr discarded) and returns its exit code and peak RSS in KiB,
/// read from `wait4` for that one child.
fn exit_and_peak_rss(mut cmd: std::process::Command) -> (i32, i64) {
    use std::process::Stdio;
    #[allow(clippy::zombie_processes)] // reaped by wait4 below
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn vaultjwt");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    // reaped above: dropping the handle neither waits nor kills
    std::mem::forget(child);
    assert!(libc::WIFEXITED(status), "vaultjwt did not exit normally");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
fn oversized_and_deeply_nested_tokens() {
    let env = static_env();
    let server = Server::start();
    jwks_mount(&env, &server);
    let hits = server.total_hits();

    // Over 64 KiB: refused by its length, on both mounts, before anything is decoded or
    // fetched (given inline: from a file or stdin, the CLI stops reading first, below).
    let token_of = |len: usize| {
        format!(
            "{}.{}.{}",
            b64(br#"{"alg":"RS256","kid":"k1"}"#),
            "A".repeat(len),
            b64(b"sig")
        )
    };
    let over = token_of(70_000);
    let too_large = format!(
        "token is too large ({} bytes; at most 65536 are accepted)\n",
        over.len()
    );
    for mount in ["jwt", "jwks"] {
        let before = env.snapshot();
        let out = env.run(&[
            "write",
            &format!("auth/{mount}/login"),
            "role=r",
            &format!("jwt={over}"),
        ]);
        out.code(2);
        assert!(out.stderr.ends_with(&too_large), "{}", out.stderr);
        if mount == "jwt" {
            assert!(env.snapshot() == before, "a refused login changed the data");
        }
    }
    assert_eq!(
        server.total_hits(),
        hits,
        "an oversized token made a request"
    );
    // 10 MiB from stdin or a file: the CLI stops reading just past 64 KiB, so the peak is
    // nowhere near the input's size.
    let big = token_of(10 << 20);
    let local = "Failed to parse K=V data: stdin (for jwt) is larger than 64 KiB, the longest token vaultjwt accepts\n";
    login(&env, "jwks", &big).code(1).stderr_is(local);
    std::fs::write(env.home.path().join("big.jwt"), &big).unwrap();
    let (code, rss_kib) = exit_and_peak_rss(
        env.cmd(&["write", "auth/jwt/login", "role=r", "jwt=@big.jwt"])
            .cmd,
    );
    assert_eq!(code, 1);
    let (_, baseline_kib) = exit_and_peak_rss(
        env.cmd(&["write", "auth/jwt/login", "role=r", "jwt=x.y.z"])
            .cmd,
    );
    eprintln!("peak RSS for a 10 MiB token file: {rss_kib} KiB, for a tiny one {baseline_kib} KiB");
    assert!(
        rss_kib < baseline_kib + 5 * 1024,
        "peak RSS {rss_kib} KiB for a 10 MiB token file ({baseline_kib} KiB for a tiny one)"
    );
    // Just under the cap is parsed as usual (and fails on its signature).
    let padded = {
        let mut c = claims();
        c["pad"] = json!("x".repeat(40_000));
        rs256(json!({}), &c)
    };
    assert!(padded.len() < 65536);
    accepted(&env, "jwt", &padded);

    // 1,000 nested arrays in a claim, correctly signed: refused by the JSON depth limit.
    // The claims with `"deep"`: `levels` nested arrays, signed with the JWKS key.
    let nested = |levels: usize| {
        let mut c = claims().to_string();
        c.pop();
        c.push_str(&format!(
            r#","deep":{}{}}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        ));
        sign_raw(r#"{"alg":"RS256","kid":"k1"}"#, &c, "rsa2048.key")
    };
    let t = nested(1000);
    // Static keys: go-jose's claims decoding fails for each key; JWKS: encoding/json's error.
    refused(&env, "jwt", &t, NO_KNOWN_KEY);
    refused(
        &env,
        "jwks",
        &t,
        "* error validating token: error verifying token signature: exceeded max depth\n",
    );
    // 100 levels are within the limit: the token logs in.
    accepted(&env, "jwks", &nested(100));
}
