//! `vaultjwt jwt explain` through the binary: it agrees with `login` on every public
//! conformance scenario, renders checks and the would-be token, gives hints, needs `update`
//! on `auth/<mount>/explain`, and writes nothing but the key cache.

use crate::common;

use common::TestEnv;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn sign_with(key: &str, alg: Algorithm, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some("k1".into());
    let pem = fixture(key);
    let k = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
        _ => EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
    };
    jsonwebtoken::encode(&header, claims, &k).unwrap()
}

fn sign(claims: &Value) -> String {
    sign_with("rsa2048.key", Algorithm::RS256, claims)
}

fn alice() -> Value {
    let n = now();
    json!({
        "iss": "https://idp.example.com/", "sub": "user-12345", "aud": "vault",
        "email": "alice@example.com", "groups": ["developers", "staff"],
        "iat": n - 5, "exp": n + 3600
    })
}

/// A strict-mode data directory with `jwt` enabled, static keys, and `developer-role`.
fn setup() -> TestEnv {
    let env = TestEnv::new();
    let run = |args: &[&str]| {
        env.cmd(args)
            .env("VAULTJWT_COMPAT", "openbao")
            .run()
            .success();
    };
    run(&["auth", "enable", "jwt"]);
    let pubkey = format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub"));
    run(&[
        "write",
        "auth/jwt/config",
        &pubkey,
        "bound_issuer=https://idp.example.com/",
    ]);
    env.cmd(&["write", "auth/jwt/role/developer-role", "-"])
        .env("VAULTJWT_COMPAT", "openbao")
        .stdin(
            json!({
                "role_type": "jwt", "user_claim": "email", "bound_audiences": ["vault"],
                "groups_claim": "groups", "bound_claims": {"groups": ["developers"]},
                "claim_mappings": {"sub": "subject"},
                "token_policies": ["developer-policy"], "token_ttl": "1h"
            })
            .to_string(),
        )
        .run()
        .success();
    env
}

fn explain(env: &TestEnv, args: &[&str]) -> common::Out {
    let mut argv = vec!["jwt", "explain"];
    argv.extend_from_slice(args);
    env.cmd(&argv).env("VAULTJWT_COMPAT", "openbao").run()
}

fn explain_json(env: &TestEnv, jwt: &str, code: i32) -> Value {
    let jwt_arg = format!("jwt={jwt}");
    let out = explain(env, &["-format=json", "role=developer-role", &jwt_arg]);
    out.code(code);
    out.json()
}

fn check<'a>(data: &'a Value, name: &str) -> &'a Value {
    data["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {data:#}"))
}

/// Storage without the mount's key cache.
fn stored(env: &TestEnv) -> Vec<(PathBuf, Vec<u8>)> {
    common::snapshot(&env.storage())
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().contains("/cache/") && p.is_file())
        .map(|(p, (_, c))| (p, c))
        .collect()
}

fn conformance_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("VAULTJWT_CONFORMANCE_DIR").map(PathBuf::from),
        Some(root.join("../shared/conformance")),
        Some(root.join("../../shared/conformance")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("harness.py").is_file())
}

/// The issue's "Done when": for every failing login of the public scenarios, explain reports
/// login's error on a check showing both values; for every passing one, it predicts the
/// policies, metadata, TTL and alias login issues. The scenarios are run by the conformance
/// harness's own code (tests/explain_scenarios.py), explain before each login.
#[test]
fn explain_agrees_with_login_on_every_public_scenario() {
    let Some(dir) = common::external_or_skip(
        "the conformance harness (../shared/conformance, or $VAULTJWT_CONFORMANCE_DIR)",
        conformance_dir(),
    ) else {
        return;
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/explain_scenarios.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg("--cli")
        .arg(env!("CARGO_BIN_EXE_vaultjwt"))
        .arg("--harness")
        .arg(dir.join("harness.py"))
        .arg("--scenarios")
        .arg(dir.join("scenarios/public"))
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "explain and login disagree:\n{stdout}\n{stderr}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.ends_with("0 mismatches"), "{summary}");
}

#[test]
fn passing_token_shows_checks_and_the_token_it_would_issue() {
    let env = setup();
    // An external group with an alias on the mount, for "groups joined".
    let g = env
        .run(&[
            "write",
            "-format=json",
            "identity/group",
            "name=devs",
            "type=external",
            "policies=group-policy",
        ])
        .json();
    let gid = g["data"]["id"].as_str().unwrap().to_string();
    let accessor = env.run(&["auth", "list", "-format=json"]).json()["jwt/"]["accessor"]
        .as_str()
        .unwrap()
        .to_string();
    env.run(&[
        "write",
        "identity/group-alias",
        "name=developers",
        &format!("mount_accessor={accessor}"),
        &format!("canonical_id={gid}"),
    ])
    .success();

    let jwt = sign(&alice());
    let before = stored(&env);
    let data = explain_json(&env, &jwt, 0);
    assert_eq!(stored(&env), before, "explain wrote to storage");
    assert_eq!(data["error"], Value::Null);
    for c in data["checks"].as_array().unwrap() {
        assert_eq!(c["result"], "pass", "{c}");
    }
    for name in [
        "role",
        "key_source",
        "signature",
        "alg",
        "issuer",
        "audience",
        "expiration",
        "bound_claims.groups",
        "entity",
        "policies",
    ] {
        check(&data, name);
    }
    assert!(check(&data, "signature")["actual"]
        .as_str()
        .unwrap()
        .contains("verified by key #1 (RSA, RS256)"));
    let w = &data["would_issue"];
    assert_eq!(
        w["policies"],
        json!(["default", "developer-policy", "group-policy"])
    );
    assert_eq!(w["token_policies"], json!(["default", "developer-policy"]));
    assert_eq!(w["identity_policies"], json!(["group-policy"]));
    assert_eq!(w["ttl"], 3600);
    assert_eq!(w["alias"]["name"], "alice@example.com");
    assert_eq!(
        w["alias"]["metadata"],
        json!({"role": "developer-role", "subject": "user-12345"})
    );
    assert_eq!(w["groups_joined"], json!(["devs"]));
    assert_eq!(w["new_entity"], true);
    // Nothing was created.
    env.run(&["list", "identity/entity/id"]).code(2);

    // The table: a row per check, then the would-be token.
    let out = explain(&env, &["role=developer-role", &format!("jwt={jwt}")]);
    out.success()
        .stdout_has("Check ")
        .stdout_has("Result")
        .stdout_has("signature")
        .stdout_has("Login would succeed")
        .stdout_has("[default developer-policy group-policy]")
        .stdout_has("alice@example.com")
        .stdout_has("role=developer-role subject=user-12345")
        .stdout_has("[devs]")
        .stdout_has("1h");
    // Times: epoch, ISO-8601 and relative.
    let iso = regex_like_iso(&out.stdout);
    assert!(iso, "no ISO-8601 time in:\n{}", out.stdout);
    assert!(out.stdout.contains(", in 59m)") || out.stdout.contains(", in 1h)"));
    assert!(out.stdout.contains("s ago)"), "{}", out.stdout);

    // Login then issues exactly that, and a second explain finds the entity.
    let login = env
        .cmd(&[
            "write",
            "-format=json",
            "auth/jwt/login",
            "role=developer-role",
            &format!("jwt={jwt}"),
        ])
        .env("VAULTJWT_COMPAT", "openbao")
        .run();
    let auth = login.json()["auth"].clone();
    assert_eq!(auth["policies"], w["policies"]);
    let again = explain_json(&env, &jwt, 0);
    assert_eq!(again["would_issue"]["new_entity"], false);
    assert_eq!(again["would_issue"]["entity"]["id"], auth["entity_id"]);
    assert_eq!(again["would_issue"]["groups_joined"], json!([]));
    assert_eq!(again["would_issue"]["groups"], json!(["devs"]));
}

fn regex_like_iso(s: &str) -> bool {
    // 2026-11-28T17:43:11Z
    s.as_bytes().windows(20).any(|w| {
        let t = std::str::from_utf8(w).unwrap_or("");
        t.len() == 20
            && t.as_bytes()[4] == b'-'
            && t.as_bytes()[10] == b'T'
            && t.ends_with('Z')
            && t[..4].bytes().all(|b| b.is_ascii_digit())
    })
}

#[test]
fn failing_token_continues_past_the_first_failure_and_exits_2() {
    let env = setup();
    let mut c = alice();
    c["groups"] = json!(["staff"]);
    c["aud"] = json!("other");
    // Signed by another key: the signature fails, the claims are still checked.
    let jwt = sign_with("rsa2048b.key", Algorithm::RS256, &c);
    let before = stored(&env);
    let data = explain_json(&env, &jwt, 2);
    assert_eq!(stored(&env), before);
    let msg = "error validating token: error verifying token signature: no known key successfully validated the token signature";
    assert_eq!(data["error"], msg);
    assert_eq!(check(&data, "signature")["result"], "fail");
    assert_eq!(check(&data, "audience")["result"], "fail");
    assert_eq!(check(&data, "audience")["actual"], "[other]");
    let groups = check(&data, "bound_claims.groups");
    assert_eq!(groups["result"], "fail");
    assert_eq!(groups["actual"], "[\"staff\"]");
    assert_eq!(groups["expected"], "equals one of [developers]");
    assert_eq!(data["would_issue"], Value::Null);

    let out = explain(&env, &["role=developer-role", &format!("jwt={jwt}")]);
    out.code(2)
        .stdout_has("FAIL")
        .stdout_has(&format!("Login would FAIL: {msg}"));
    // Login says the same.
    env.cmd(&[
        "write",
        "auth/jwt/login",
        "role=developer-role",
        &format!("jwt={jwt}"),
    ])
    .env("VAULTJWT_COMPAT", "openbao")
    .run()
    .code(2)
    .stderr_has(msg);
}

/// Issue 12 item 12: a payload with a repeated member name is refused as login refuses it
/// (static keys: go-jose's decoder fails, so no key "verifies"), and explain names the
/// repeated key instead of calling the payload "not a JSON object".
#[test]
fn duplicate_claim_names_are_named() {
    use base64::Engine;
    let env = setup();
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let key = vaultjwt::dev::keys::PrivateKey::from_pem(&fixture("rsa2048.key")).unwrap();
    let sign_raw = |payload: &str| {
        let input = format!(
            "{}.{}",
            b64(br#"{"alg":"RS256","kid":"k1"}"#),
            b64(payload.as_bytes())
        );
        let sig = key.sign("RS256", input.as_bytes()).unwrap();
        format!("{input}.{}", b64(&sig))
    };
    let n = now();
    let head = format!(
        r#""iss":"https://idp.example.com/","sub":"user-12345","aud":"vault","groups":["developers"],"iat":{},"exp":{}"#,
        n - 5,
        n + 3600
    );
    let msg = "error validating token: error verifying token signature: no known key successfully validated the token signature";
    for (payload, key) in [
        (
            format!(r#"{{{head},"email":"mallory@example.com","email":"alice@example.com"}}"#),
            "email",
        ),
        (
            format!(r#"{{{head},"email":"alice@example.com","x":[{{"a":1,"a":2}}]}}"#),
            "a",
        ),
    ] {
        let jwt = sign_raw(&payload);
        let data = explain_json(&env, &jwt, 2);
        assert_eq!(data["error"], msg);
        let sig = check(&data, "signature");
        assert_eq!(sig["result"], "fail");
        assert_eq!(
            sig["actual"],
            format!(
                "signature verifies, but there is a duplicate key \"{key}\" in the token's claims"
            )
        );
        assert!(
            sig["hint"]
                .as_str()
                .unwrap()
                .contains("repeated a claim name"),
            "{sig}"
        );
        env.cmd(&[
            "write",
            "auth/jwt/login",
            "role=developer-role",
            &format!("jwt={jwt}"),
        ])
        .env("VAULTJWT_COMPAT", "openbao")
        .run()
        .code(2)
        .stderr_has(msg);
    }
    // A payload that is not an object keeps its words.
    let data = explain_json(&env, &sign_raw("[1]"), 2);
    assert_eq!(
        check(&data, "signature")["actual"],
        "signature verifies, but the payload is not a JSON object"
    );
}

#[test]
fn unparseable_token_stops_with_a_skipped_row() {
    let env = setup();
    let data = explain_json(&env, "not-a-jwt", 2);
    assert_eq!(
        data["error"],
        "error validating token: error verifying token signature: go-jose/go-jose: compact JWS format must have three parts"
    );
    assert_eq!(check(&data, "token_format")["result"], "fail");
    assert_eq!(check(&data, "claims")["result"], "skip");
    assert!(data["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["check"] != "issuer"));
}

#[test]
fn hints_for_the_common_mistakes() {
    let env = setup();
    let hint = |data: &Value, name: &str| check(data, name)["hint"].as_str().unwrap().to_string();

    // Issuer differing only by the trailing slash.
    let mut c = alice();
    c["iss"] = json!("https://idp.example.com");
    let d = explain_json(&env, &sign(&c), 2);
    assert_eq!(
        d["error"],
        "error validating token: invalid issuer (iss) claim"
    );
    assert!(hint(&d, "issuer").contains("trailing slash"), "{d:#}");
    assert_eq!(check(&d, "issuer")["expected"], "https://idp.example.com/");
    assert_eq!(check(&d, "issuer")["actual"], "https://idp.example.com");

    // Expired, with an expiration_leeway that does not apply to a present exp.
    env.cmd(&[
        "write",
        "auth/jwt/role/leeway",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "expiration_leeway=1h",
    ])
    .env("VAULTJWT_COMPAT", "openbao")
    .run()
    .success();
    let mut c = alice();
    c["exp"] = json!(now() - 600);
    let jwt = format!("jwt={}", sign(&c));
    let out = explain(&env, &["-format=json", "role=leeway", &jwt]);
    out.code(2);
    let d = out.json();
    assert!(hint(&d, "expiration").contains("only applies to tokens without exp"));
    assert!(check(&d, "expiration")["actual"]
        .as_str()
        .unwrap()
        .contains("10m ago"));

    // aud present, no bound audiences.
    env.cmd(&[
        "write",
        "auth/jwt/role/noaud",
        "role_type=jwt",
        "user_claim=sub",
        "bound_subject=user-12345",
    ])
    .env("VAULTJWT_COMPAT", "openbao")
    .run()
    .success();
    let out = explain(
        &env,
        &[
            "-format=json",
            "role=noaud",
            &format!("jwt={}", sign(&alice())),
        ],
    );
    out.code(2);
    let d = out.json();
    assert_eq!(
        d["error"],
        "audience claim found in JWT but no audiences bound to the role"
    );
    assert!(hint(&d, "audience_presence").contains("bound_audiences"));

    // A sub glob written for GitHub's old subject format.
    env.cmd(&["write", "auth/jwt/role/gh", "-"])
        .env("VAULTJWT_COMPAT", "openbao")
        .stdin(
            json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault",
                   "bound_claims_type": "glob", "bound_claims": {"sub": "repo:octo-org/app:*"}})
            .to_string(),
        )
        .run()
        .success();
    let mut c = alice();
    c["sub"] = json!("repo:octo-org@1234/app@5678:ref:refs/heads/main");
    let out = explain(
        &env,
        &["-format=json", "role=gh", &format!("jwt={}", sign(&c))],
    );
    out.code(2);
    assert!(hint(&out.json(), "bound_claims.sub").contains("immutable subjects"));

    // The alg not in jwt_supported_algs.
    env.cmd(&[
        "write",
        "auth/jwt/config",
        &format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub")),
        "jwt_supported_algs=ES256",
    ])
    .env("VAULTJWT_COMPAT", "openbao")
    .run()
    .success();
    let d = explain_json(&env, &sign(&alice()), 2);
    assert_eq!(
        d["error"],
        "error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm"
    );
    assert!(hint(&d, "alg").contains("jwt_supported_algs"));
    assert_eq!(check(&d, "alg")["actual"], "RS256");
}

#[test]
fn explain_needs_update_on_the_explain_path() {
    let env = setup();
    let run = |args: &[&str]| env.cmd(args).env("VAULTJWT_COMPAT", "openbao").run();
    std::fs::write(
        env.home.path().join("login-only.hcl"),
        "path \"auth/jwt/login\" { capabilities = [\"update\"] }\n",
    )
    .unwrap();
    std::fs::write(
        env.home.path().join("explain.hcl"),
        "path \"auth/jwt/explain\" { capabilities = [\"update\"] }\n",
    )
    .unwrap();
    run(&["policy", "write", "login-only", "login-only.hcl"]).success();
    run(&["policy", "write", "explainer", "explain.hcl"]).success();
    let token = |policy: &str| {
        run(&[
            "token",
            "create",
            "-format=json",
            &format!("-policy={policy}"),
        ])
        .json()["auth"]["client_token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let jwt = format!("jwt={}", sign(&alice()));
    let args = ["jwt", "explain", "role=developer-role", jwt.as_str()];
    env.cmd(&args)
        .env("VAULTJWT_COMPAT", "openbao")
        .env("VAULTJWT_TOKEN", token("login-only"))
        .run()
        .code(2)
        .stderr_has("permission denied");
    env.cmd(&args)
        .env("VAULTJWT_COMPAT", "openbao")
        .env("VAULTJWT_TOKEN", token("explainer"))
        .run()
        .success()
        .stdout_has("Login would succeed");
}

#[test]
fn bad_input() {
    let env = setup();
    // No such mount: the request fails (exit 2), as a write there would.
    explain(&env, &["-path=nope", "role=r", "jwt=x"])
        .code(2)
        .stderr_has("auth/nope/explain");
    // An unreadable file: one line, exit 1.
    explain(&env, &["role=developer-role", "jwt=@/nonexistent/token"])
        .code(1)
        .one_line_error();
    // No such role: a failed check, exit 2.
    let d = explain(&env, &["-format=json", "role=nope", "jwt=x"]);
    d.code(2);
    let d = d.json();
    assert_eq!(d["error"], "role \"nope\" could not be found");
    assert_eq!(check(&d, "role")["result"], "fail");
    // The token from stdin.
    env.cmd(&["jwt", "explain", "role=developer-role", "jwt=-"])
        .env("VAULTJWT_COMPAT", "openbao")
        .stdin(sign(&alice()))
        .run()
        .success();
}
