//! The bodies of the fuzz targets in `fuzz/fuzz_targets/` (run by `cargo fuzz`), also called
//! by `tests/it/fuzz_corpus.rs`, which replays the committed corpora in the normal test suite.
//!
//! Each function takes arbitrary bytes and must not panic on any of them: bad input is an
//! error of the code under test, never a panic. Besides "no panic" each asserts properties
//! that must hold for every input (a verified token's claims are its payload, a tampered one
//! does not verify, `jwt explain` and login fail at the same check, `policy fmt` keeps the
//! meaning of a policy, ...). No function here reads a file or opens a connection.
//!
//! Input layouts (parts separated by NUL bytes, so that the fuzzer can splice them):
//! - [`token`]: the whole input is a token; when it holds a NUL, `HEADER \0 PAYLOAD` is also
//!   signed with a fixture key and the result checked (the "structured" variation).
//! - [`claims`]: `CLAIMS_JSON \0 BOUND_CLAIMS \0 USER_CLAIM \0 GROUPS_CLAIM \0 CLAIM_MAPPINGS
//!   \0 POLICY_TEMPLATES` (comma-separated), every part optional.
//! - [`policy`]: `POLICY_TEXT \0 PATH \n PATH ...`.
//! - [`kv_args`]: `ARG \0 ARG \0 ... \0 STDIN` (one part: a single argument, empty stdin).

use crate::auth::jwt::claims as jclaims;
use crate::auth::jwt::config::Config;
use crate::auth::jwt::keys::{self, Verified, VerifyError};
use crate::auth::jwt::login::{self, Options};
use crate::auth::jwt::pem::{self, PublicKey, SUPPORTED_ALGS};
use crate::auth::jwt::role::{self, Role};
use crate::auth::jwt::{jws, template};
use crate::core::{BackendContext, MountEntry, Operation, Request};
use crate::dev::keys::PrivateKey;
use crate::policy::parse::{self as pparse, TemplateAlias, TemplateContext, TemplateEntity};
use crate::policy::Acl;
use crate::settings::{Compat, Settings};
use crate::storage::{MemoryStorage, Storage, View};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The fixed "now" of every evaluation (2023-11-14).
pub const NOW: i64 = 1_700_000_000;
/// The JWKS URL of the JWKS key source. It is never fetched: the cache holds the JWKS and a
/// refetch was just made, so a miss stays a miss (checked after each verification).
pub const JWKS_URL: &str = "http://127.0.0.1:9/fuzz/jwks";
const MOUNT_PREFIX: &str = "auth/fuzz/";

const RSA2048_KEY: &str = include_str!("../tests/fixtures/keys/rsa2048.key");
const RSA2048_CRT: &str = include_str!("../tests/fixtures/keys/rsa2048.crt");
const P256_KEY: &str = include_str!("../tests/fixtures/keys/ecP-256.key");
const P256_PUB: &str = include_str!("../tests/fixtures/keys/ecP-256.pub");
const P384_KEY: &str = include_str!("../tests/fixtures/keys/ecP-384.key");
const P384_PUB: &str = include_str!("../tests/fixtures/keys/ecP-384.pub");
const ED25519_KEY: &str = include_str!("../tests/fixtures/keys/ed25519.key");
const ED25519_PUB: &str = include_str!("../tests/fixtures/keys/ed25519.pub");

struct TokenFixture {
    static_config: Config,
    jwks_config: Config,
    jwks: Value,
    /// The static keys, parsed (for the tamper checks).
    public_keys: Vec<PublicKey>,
    /// Signers of the structured variation: (alg, key, kid of the key in the JWKS).
    signers: Vec<(&'static str, PrivateKey, Option<&'static str>)>,
    mount: MountEntry,
    settings: Settings,
}

fn private(pem: &str) -> PrivateKey {
    PrivateKey::from_pem(pem).expect("fixture private key")
}

fn token_fixture() -> &'static TokenFixture {
    static FIXTURE: OnceLock<TokenFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let pubkeys = [RSA2048_CRT, P256_PUB, P384_PUB, ED25519_PUB];
        let rsa = private(RSA2048_KEY);
        let p256 = private(P256_KEY);
        let p384 = private(P384_KEY);
        let ed = private(ED25519_KEY);
        let mut no_kid = p384.public_jwk("", None);
        if let Some(m) = no_kid.as_object_mut() {
            m.remove("kid");
        }
        let jwks = json!({"keys": [
            rsa.public_jwk("rsa", Some("RS256")),
            p256.public_jwk("ec", None),
            ed.public_jwk("ed", None),
            no_kid,
        ]});
        TokenFixture {
            static_config: Config {
                jwt_validation_pubkeys: pubkeys.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            jwks_config: Config {
                jwks_url: JWKS_URL.into(),
                ..Default::default()
            },
            jwks,
            public_keys: pubkeys
                .iter()
                .map(|p| pem::parse_public_key_pem(p).expect("fixture public key"))
                .collect(),
            signers: vec![
                ("EdDSA", ed, Some("ed")),
                ("ES256", p256, Some("ec")),
                ("ES384", p384, None),
            ],
            mount: MountEntry::new("jwt/", "jwt", ""),
            settings: Settings {
                http_timeout: 1,
                ..Default::default()
            },
        }
    })
}

/// Runs `f` with a fresh in-memory mount storage holding a fresh JWKS cache of the fixture
/// JWKS and a refetch made at [`NOW`].
fn with_ctx<T>(compat: Compat, f: impl FnOnce(&BackendContext, &MemoryStorage) -> T) -> T {
    let fx = token_fixture();
    let storage = MemoryStorage::default();
    let put = |k: &str, v: Value| {
        storage
            .put(&format!("{MOUNT_PREFIX}{k}"), &v)
            .expect("memory storage")
    };
    put(
        keys::CACHE_JWKS,
        json!({"url": JWKS_URL, "fetched_at": NOW, "jwks": fx.jwks}),
    );
    put(keys::CACHE_REFETCH, json!({"at": NOW}));
    let settings = Settings {
        compat,
        ..fx.settings.clone()
    };
    let ctx = BackendContext {
        storage: View::new(&storage, MOUNT_PREFIX),
        mount: &fx.mount,
        settings: &settings,
        now: NOW,
    };
    f(&ctx, &storage)
}

/// Verifies `token` against the static fixture keys (RSA 2048 certificate, P-256, P-384 and
/// Ed25519 PEMs; no P-521, whose arithmetic is the slowest under the fuzzer).
pub fn verify_static(token: &str) -> Result<Verified, VerifyError> {
    with_ctx(Compat::Default, |ctx, _| {
        keys::verify(ctx, &token_fixture().static_config, token)
    })
}

/// Verifies `token` against the fixture JWKS (kids `rsa`, `ec` (P-256), `ed`, and a P-384
/// key without kid), served from the cache: never fetched.
pub fn verify_jwks(token: &str) -> Result<Verified, VerifyError> {
    with_ctx(Compat::Default, |ctx, storage| {
        let r = keys::verify(ctx, &token_fixture().jwks_config, token);
        // The JWKS was not fetched: no fetch error, and the refetch mark is untouched.
        if let Err(e) = &r {
            assert!(
                !e.to_string().contains("fetching keys"),
                "JWKS fetched: {e}"
            );
        }
        let mark = storage
            .get(&format!("{MOUNT_PREFIX}{}", keys::CACHE_REFETCH))
            .expect("memory storage");
        assert_eq!(mark, Some(json!({"at": NOW})), "JWKS refetch attempted");
        r
    })
}

/// Signs `header` and `payload` (raw bytes, base64url-encoded here) with the fixture key of
/// `alg` (EdDSA, ES256 or ES384; Ed25519 for any other alg): a compact JWS.
pub fn sign_fixture(alg: &str, header: &[u8], payload: &[u8]) -> String {
    let fx = token_fixture();
    let (signer_alg, key, _) = fx
        .signers
        .iter()
        .find(|(a, _, _)| *a == alg)
        .unwrap_or(&fx.signers[0]);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let sig = key
        .sign(signer_alg, input.as_bytes())
        .expect("fixture signer");
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// Target `token`: JWS parsing, header checks and signature verification (static PEM keys and
/// a JWKS), `jwt explain`'s inspection, key material parsing, and signed variations.
pub fn token(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = check_token(&text);
    // The same bytes as key material (a JWKS body or a PEM, as a config write or a JWKS
    // server could hand them over).
    let _ = pem::parse_jwks(data);
    let _ = pem::parse_public_key_pem(&text);
    let _ = pem::parse_ca_pem(&text);
    if let Some(i) = data.iter().position(|b| *b == 0) {
        structured(&data[..i], &data[i + 1..]);
    }
}

/// Verifies `token` every way and checks what must hold whatever the token. Returns whether
/// the static keys and the JWKS verified it.
fn check_token(token: &str) -> [bool; 2] {
    let fx = token_fixture();
    let parsed = jws::parse(token, jws::Jose::V3);
    let results = [
        (&fx.static_config, verify_static(token)),
        (&fx.jwks_config, verify_jwks(token)),
    ];
    let mut verified_by = [false; 2];
    for (i, (config, result)) in results.into_iter().enumerate() {
        // `jwt explain` (continuing after failures) stops at the same first error as login.
        let inspection = with_ctx(Compat::Default, |ctx, _| {
            keys::inspect(ctx, config, token, true)
        });
        assert_eq!(
            result.as_ref().err(),
            inspection.error(),
            "explain and login disagree on {token:?}"
        );
        let Ok(verified) = result else { continue };
        verified_by[i] = true;
        let jws = parsed.as_ref().expect("a verified token parses");
        assert!(
            SUPPORTED_ALGS.contains(&jws.alg.as_str()),
            "alg {}",
            jws.alg
        );
        let payload: Value = serde_json::from_slice(&jws.payload).expect("verified payload");
        let expected = match payload {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => panic!("verified payload is not an object: {other}"),
        };
        assert_eq!(verified.claims, expected, "claims are not the payload");
        assert_eq!(verified.header, jws.header);
        assert!(jws::crit_understood(&jws.header));
        // A flipped bit of the signature or of the signing input fails every key of the alg.
        for k in fx.public_keys.iter().filter(|k| k.fits(&jws.alg)) {
            let mut sig = jws.signature.clone();
            if let Some(b) = sig.get_mut(jws.signature.len() / 2) {
                *b ^= 0x10;
            }
            assert!(
                !k.verify(&jws.alg, &jws.signing_input, &sig),
                "tampered sig"
            );
            let mut input = jws.signing_input.clone();
            if let Some(last) = input.last_mut() {
                *last ^= 0x01;
            }
            assert!(
                !k.verify(&jws.alg, &input, &jws.signature),
                "tampered input"
            );
        }
        // The claims go on to the login checks.
        evaluate_all("fuzz", &fixed_role(), &verified.claims);
    }
    verified_by
}

/// `HEADER \0 PAYLOAD`, signed with a fixture key: a plain header over an object payload must
/// verify (statically; by the JWKS when the kid allows), anything verified must hold.
fn structured(header: &[u8], payload: &[u8]) {
    let fx = token_fixture();
    let header_json: Option<Map<String, Value>> = serde_json::from_slice::<Value>(header)
        .ok()
        .and_then(|v| v.as_object().cloned());
    let alg = header_json
        .as_ref()
        .and_then(|h| h.get("alg"))
        .and_then(Value::as_str)
        .unwrap_or("EdDSA");
    let token = sign_fixture(alg, header, payload);
    let [by_static, by_jwks] = check_token(&token);

    let Some((signer_alg, _, jwks_kid)) = fx.signers.iter().find(|(a, _, _)| *a == alg) else {
        return;
    };
    let plain_header = header_json.as_ref().is_some_and(|h| {
        h.iter().all(|(k, v)| {
            matches!(k.as_str(), "alg" | "typ" | "kid") && matches!(v, Value::String(_))
        }) && h.get("alg") == Some(&json!(signer_alg))
    }) && jws::check_duplicate_keys(header).is_ok();
    let object_payload = matches!(
        serde_json::from_slice::<Value>(payload),
        Ok(Value::Object(_) | Value::Null)
    ) && jws::check_duplicate_keys(payload).is_ok();
    if !(plain_header && object_payload) {
        return;
    }
    assert!(
        by_static,
        "a well-formed {alg} token fails static verification"
    );
    let kid = header_json
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str);
    // go-oidc: with a kid only the key of that kid; without, every key.
    let should_verify = kid.is_none() || kid == *jwks_kid;
    assert_eq!(
        by_jwks, should_verify,
        "JWKS verification of a well-formed {alg} token (kid {kid:?})"
    );
}

/// The role the token target evaluates verified claims with.
fn fixed_role() -> Role {
    Role {
        role_type: "jwt".into(),
        user_claim: "sub".into(),
        bound_audiences: Some(vec!["vault".into()]),
        bound_claims_type: "glob".into(),
        bound_claims: Some(
            json!({"/org/team": ["plat*", "*-ops"], "email": "*@example.com"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        ),
        claim_mappings: json!({"email": "email", "/org/team": "team"})
            .as_object()
            .cloned(),
        groups_claim: "groups".into(),
        token_type: "default".into(),
        ..Default::default()
    }
}

/// Runs the login checks in every mode, and checks that `jwt explain` (continuing after
/// failures) reports the same first error as login.
fn evaluate_all(role_name: &str, role: &Role, claims: &Map<String, Value>) {
    let config = Config::default();
    for compat in [Compat::Default, Compat::OpenBao] {
        let run = |continue_after_failure| {
            login::evaluate(
                role_name,
                role,
                &config,
                claims,
                Options {
                    compat,
                    now: NOW,
                    continue_after_failure,
                },
            )
        };
        let login = run(false);
        let explain = run(true);
        assert_eq!(
            login.error, explain.error,
            "explain and login disagree on the first failure"
        );
        assert_eq!(
            login.error.is_none(),
            login.auth.is_some(),
            "a login without error issues an Auth"
        );
        if let Some(failed) = login.checks.iter().find(|c| !c.passed) {
            assert!(
                login.error.is_some(),
                "check {} failed silently",
                failed.name
            );
        }
    }
}

/// Target `claims`: claim resolution (names, JSON pointers, number normalisation), user and
/// groups claims, claim mappings, bound-claim matching (string and glob), policy templating
/// over claims, and role writes carrying these parameters.
pub fn claims(data: &[u8]) {
    let mut parts = data.split(|b| *b == 0);
    let mut next = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (claims_text, bound_text, user_claim, groups_claim, mappings_text, templates) =
        (next(), next(), next(), next(), next(), next());
    let claims = match serde_json::from_str::<Value>(&claims_text) {
        Ok(Value::Object(m)) => m,
        _ => return,
    };
    let bound_value = serde_json::from_str::<Value>(&bound_text)
        .unwrap_or_else(|_| Value::String(bound_text.clone()));
    let mappings_value = serde_json::from_str::<Value>(&mappings_text)
        .unwrap_or_else(|_| Value::String(mappings_text.clone()));
    let templates: Vec<String> = if templates.is_empty() {
        Vec::new()
    } else {
        templates.split(',').map(str::to_string).collect()
    };

    // The claim functions on their own.
    let root = Value::Object(claims.clone());
    for reference in [&user_claim, &groups_claim] {
        let _ = jclaims::resolve_pointer(&root, reference);
        if let Some(c) = jclaims::get_claim(&claims, reference) {
            let _ = (c.to_value(), c.go_v());
            if let jclaims::Claim::Number(n) = &c {
                assert_integer_text(n);
            }
        }
        let _ = jclaims::user_claim(&claims, reference, true);
        let _ = jclaims::user_claim(&claims, reference, false);
        let _ = jclaims::groups(&claims, reference);
    }
    check_numbers(&root, 0);
    if let Value::Object(m) = &mappings_value {
        let _ = jclaims::mapped_metadata(&claims, m);
    }
    let bound =
        role::parse_bound_claims_text(&bound_value).or_else(|| bound_value.as_object().cloned());
    if let Some(bound) = &bound {
        for glob in [false, true] {
            let _ = jclaims::check_bound_claims(&claims, bound, glob);
        }
        check_globs(bound, &claims);
    }
    let _ = template::render(&templates, &claims);
    let _ = login::registered_claims(&claims);

    // A role written through the role endpoint (its validation included), else built as is.
    for bound_claims_type in ["string", "glob"] {
        let mut data = Map::new();
        data.insert("role_type".into(), json!("jwt"));
        data.insert("user_claim".into(), json!(user_claim));
        data.insert(
            "user_claim_json_pointer".into(),
            json!(user_claim.starts_with('/')),
        );
        data.insert("bound_claims_type".into(), json!(bound_claims_type));
        if !bound_text.is_empty() {
            data.insert("bound_claims".into(), bound_value.clone());
        }
        if !groups_claim.is_empty() {
            data.insert("groups_claim".into(), json!(groups_claim));
        }
        if !mappings_text.is_empty() {
            data.insert("claim_mappings".into(), mappings_value.clone());
        }
        if !templates.is_empty() {
            data.insert("token_policies".into(), json!(templates));
            data.insert("token_policies_template_claims".into(), json!(true));
        }
        let written = with_ctx(Compat::Default, |ctx, _| {
            let req = Request::new(Operation::Update, "role/r").with_data(data);
            role::handle(ctx, &req)
                .ok()
                .and_then(|_| role::load(&ctx.storage, "r").ok().flatten())
        });
        let role = written.unwrap_or_else(|| Role {
            role_type: "jwt".into(),
            user_claim: user_claim.clone(),
            user_claim_json_pointer: user_claim.starts_with('/'),
            bound_claims_type: bound_claims_type.into(),
            bound_claims: bound.clone(),
            claim_mappings: mappings_value.as_object().cloned(),
            groups_claim: groups_claim.clone(),
            token_policies_template_claims: !templates.is_empty(),
            token_policies: templates.clone(),
            token_type: "default".into(),
            ..Default::default()
        });
        evaluate_all("r", &role, &claims);
    }
}

/// A normalised number is the text of an integer.
fn assert_integer_text(n: &str) {
    let digits = n.strip_prefix('-').unwrap_or(n);
    assert!(
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        "normalised number {n:?}"
    );
}

/// Every number in `v`: normalisation gives integer text; Go's `%v` of its float64 reads
/// back as the same float64.
fn check_numbers(v: &Value, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Number(n) => {
            assert_integer_text(&jclaims::normalise_number(n));
            if let Some(f) = n.as_f64() {
                let text = jclaims::go_float64(f);
                let back: f64 = text.parse().unwrap_or(f64::NAN);
                assert!(back == f, "go_float64({f}) = {text}");
            }
        }
        Value::Array(items) => items.iter().for_each(|i| check_numbers(i, depth + 1)),
        Value::Object(m) => m.values().for_each(|i| check_numbers(i, depth + 1)),
        _ => {}
    }
}

/// The first 16 strings among a map's values and the items of its array values.
fn first_strings(m: &Map<String, Value>) -> Vec<&str> {
    m.values()
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .filter_map(Value::as_str)
        .take(16)
        .collect()
}

/// go-glob properties for every (pattern, string claim) pair.
fn check_globs(bound: &Map<String, Value>, claims: &Map<String, Value>) {
    let patterns = first_strings(bound);
    let subjects = first_strings(claims);
    for p in &patterns {
        // The pattern's literal parts in order match.
        assert!(
            jclaims::glob_match(p, &p.replace('*', "")),
            "glob {p:?} does not match its own literal text"
        );
        for s in &subjects {
            let m = jclaims::glob_match(p, s);
            if !p.contains('*') {
                assert_eq!(m, p == s, "glob {p:?} vs {s:?}");
            } else if m {
                let parts: Vec<&str> = p.split('*').collect();
                assert!(s.starts_with(parts[0]) && s.ends_with(parts[parts.len() - 1]));
            }
        }
    }
}

/// The template context policies are filled with in the policy target.
fn template_context() -> TemplateContext {
    let meta: BTreeMap<String, String> = [("team".to_string(), "plat".to_string())].into();
    TemplateContext {
        entity: Some(TemplateEntity {
            id: "ent-1".into(),
            name: "alice".into(),
            metadata: meta.clone(),
            aliases: vec![TemplateAlias {
                id: "alias-1".into(),
                mount_accessor: "auth_jwt_12345678".into(),
                name: "alice@example.com".into(),
                metadata: meta.clone(),
            }],
        }),
        groups: vec![crate::policy::parse::TemplateGroup {
            id: "grp-1".into(),
            name: "devs".into(),
            metadata: meta,
        }],
    }
}

/// Target `policy`: HCL/JSON policy parsing (with and without a template context), `policy
/// fmt`, and capability evaluation of the paths given and of the policy's own paths.
pub fn policy(data: &[u8]) {
    let (raw, paths) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let raw = String::from_utf8_lossy(raw);
    let paths = String::from_utf8_lossy(paths);
    let parsed = pparse::parse(&raw);
    let ctx = template_context();
    let filled = pparse::parse_with(&raw, Some(&ctx));
    if let Ok(p) = &parsed {
        if !p.templated {
            assert_eq!(
                filled.as_ref(),
                Ok(p),
                "a context changed an untemplated policy"
            );
        }
    }
    if let Ok(formatted) = pparse::format(&raw) {
        if let Ok(p) = &parsed {
            assert_eq!(
                pparse::parse(&formatted).as_ref(),
                Ok(p),
                "policy fmt changed the meaning of {raw:?} (formatted: {formatted:?})"
            );
        }
    }
    let Ok(policy) = filled else { return };

    // The capability properties below hold for the rules without their parameter and
    // wrapping-TTL constraints; the constrained ACL can only allow less.
    let bare: Vec<pparse::PathRule> = policy
        .paths
        .iter()
        .map(|r| pparse::PathRule {
            path: r.path.clone(),
            capabilities: r.capabilities,
            ..Default::default()
        })
        .collect();
    let constrained = Acl::from_rules([policy.paths.as_slice()]);
    let mut acl = Acl::from_rules([bare.as_slice()]);
    let mut candidates: Vec<String> = paths.split('\n').take(8).map(str::to_string).collect();
    for r in policy.paths.iter().take(8) {
        candidates.push(r.path.clone());
        candidates.push(r.path.trim_end_matches('*').replace('+', "x"));
        candidates.push(format!("{}/", r.path.trim_end_matches('*')));
    }
    for path in &candidates {
        check_path(&acl, path);
        check_constrained(&constrained, &acl, path);
    }
    // Exact rules: a lone policy grants exactly the merged capabilities of its rules.
    for r in &policy.paths {
        let p = r.path.as_str();
        if p.starts_with('/') || p.ends_with('*') || p == "+" || p.contains("/+") {
            continue;
        }
        if p.starts_with("+/") {
            continue;
        }
        let merged = policy
            .paths
            .iter()
            .filter(|o| o.path == r.path)
            .fold(None::<u32>, |acc, o| {
                Some(match acc {
                    None => o.capabilities,
                    Some(a) if a & pparse::DENY != 0 => a,
                    Some(_) if o.capabilities & pparse::DENY != 0 => pparse::DENY,
                    Some(a) => a | o.capabilities,
                })
            })
            .unwrap_or(0);
        assert_eq!(
            acl.capabilities(p),
            pparse::capability_names(merged),
            "capabilities of the exact rule {p:?}"
        );
    }
    // The same rules merged with a second policy still evaluate.
    acl.add_rules(&[pparse::PathRule {
        path: "secret/*".into(),
        capabilities: pparse::READ | pparse::LIST,
        ..Default::default()
    }]);
    for path in candidates.iter().take(4) {
        check_path(&acl, path);
    }
}

/// A rule's constraints only take away: what the constrained ACL allows, with or without
/// request data, the bare one allows too.
fn check_constrained(constrained: &Acl, bare: &Acl, path: &str) {
    let mut data = serde_json::Map::new();
    data.insert("x".into(), Value::from("1"));
    for op in [Operation::Read, Operation::Update, Operation::List] {
        for body in [&serde_json::Map::new(), &data] {
            for exact in [false, true] {
                if constrained.allows_request(op, path, body, exact) {
                    assert!(
                        bare.allows_request(op, path, body, exact),
                        "{op:?} on {path:?} allowed only with constraints"
                    );
                }
            }
        }
    }
}

fn check_path(acl: &Acl, path: &str) {
    let caps = acl.capabilities(path);
    let _ = acl.has_mount_access(path);
    let _ = acl.has_sudo(path);
    let _ = crate::policy::requires_sudo(path);
    for op in [
        Operation::Read,
        Operation::Create,
        Operation::Update,
        Operation::Delete,
        Operation::List,
        Operation::Patch,
    ] {
        let allowed = acl.allows(op, path);
        let exact = acl.allows_exact(op, path);
        assert!(!exact || allowed, "allows_exact without allows on {path:?}");
        // (Not for `dir/`: the capability list uses the list fallback to an exact `dir` rule,
        // a read of `dir/` does not, as in Vault's ACL.)
        if caps == ["deny"] && op != Operation::List && !path.ends_with('/') {
            assert!(!allowed, "{op:?} allowed on {path:?} with deny");
        }
        if op != Operation::List && !path.ends_with('/') && !crate::policy::requires_sudo(path) {
            assert_eq!(
                exact,
                caps.iter().any(|c| c == op.capability()),
                "{op:?} on {path:?} with capabilities {caps:?}"
            );
        }
    }
}

/// Target `kv_args`: the CLI's `key=value` data arguments (`k=v`, repeated keys, `k=@file`,
/// `@file`, `-` and `k=-` for stdin, `k=\@literal`), with `@file` reads answered in memory
/// (a name starting `missing` does not exist, `denied` cannot be read, any other name reads
/// as its own text), and the argv normalisation and clap parsing of the same arguments.
pub fn kv_args(data: &[u8]) {
    let mut parts: Vec<String> = data
        .split(|b| *b == 0)
        .take(65)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let stdin = if parts.len() > 1 {
        parts.pop().unwrap_or_default()
    } else {
        String::new()
    };
    let args = parts;
    let mut open_file = |name: &str| -> std::io::Result<Box<dyn std::io::Read>> {
        use std::io::{Error, ErrorKind};
        if name.starts_with("missing") {
            Err(Error::from(ErrorKind::NotFound))
        } else if name.starts_with("denied") {
            Err(Error::from(ErrorKind::PermissionDenied))
        } else {
            Ok(Box::new(std::io::Cursor::new(
                name.to_string().into_bytes(),
            )))
        }
    };
    let login = data.first().is_some_and(|b| b & 1 == 1);
    let result =
        crate::cli::kv_args::parse_with(&args, &mut stdin.as_bytes(), &mut open_file, login);
    match &result {
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.starts_with("Failed to parse K=V data"),
                "unexpected error {text:?}"
            );
        }
        Ok(body) => {
            // Plain `key=value` arguments give exactly the pairs, repeated keys as lists.
            let plain = |a: &String| {
                a.split_once('=')
                    .is_some_and(|(_, v)| v != "-" && !v.starts_with('@') && !v.starts_with("\\@"))
            };
            if args.iter().all(plain) {
                let mut expected = Map::new();
                for a in &args {
                    let (k, v) = a.split_once('=').unwrap_or_default();
                    match expected.get_mut(k) {
                        None => {
                            expected.insert(k.to_string(), json!(v));
                        }
                        Some(Value::Array(l)) => l.push(json!(v)),
                        Some(other) => *other = json!([other.take(), v]),
                    }
                }
                assert_eq!(body, &expected, "K=V data of {args:?}");
            }
        }
    }
    let argv: Vec<std::ffi::OsString> = std::iter::once("vaultjwt".to_string())
        .chain(args.iter().cloned())
        .map(Into::into)
        .collect();
    let normalized = crate::cli::args::normalize(argv.clone());
    assert_eq!(
        normalized.len(),
        argv.len(),
        "normalize changed the argument count"
    );
    for (a, n) in argv.iter().zip(&normalized) {
        if !a.to_string_lossy().starts_with('-') {
            assert_eq!(a, n, "normalize changed a non-flag argument");
        }
    }
    use clap::Parser;
    let _ = crate::cli::args::Cli::try_parse_from(normalized);
}

/// Which target a corpus directory belongs to, by name.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    match name {
        "token" => Some(token),
        "claims" => Some(claims),
        "policy" => Some(policy),
        "kv_args" => Some(kv_args),
        _ => None,
    }
}
