//! `jwt explain -address`: the server's config and role, read with read capability only, the
//! same checks as a login, verdicts equal to the server's own logins on the same tokens, and
//! nothing created on the server.

use crate::common;

use common::{fixture_key, BaoDev, TestEnv};
use serde_json::Value;

#[test]
fn explain_against_a_server_agrees_with_its_logins_and_creates_nothing() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    let remote = |args: &[&str], token: &str| {
        env.cmd(args)
            .env("VAULTJWT_ADDR", &bao.addr)
            .env("VAULTJWT_TOKEN", token)
            .env("VAULTJWT_COMPAT", "openbao")
            .run()
    };
    remote(&["auth", "enable", "jwt"], "root").success();
    remote(
        &[
            "write",
            "auth/jwt/config",
            &format!("jwt_validation_pubkeys={}", fixture_key("rsa2048.pub")),
        ],
        "root",
    )
    .success();
    env.cmd(&["write", "auth/jwt/role/ci", "-"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .env("VAULTJWT_TOKEN", "root")
        .stdin(
            r#"{"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault",
                "bound_claims_type": "glob", "bound_claims": {"repo": "org/*"},
                "token_policies": "deploy", "token_ttl": "1h"}"#,
        )
        .run()
        .success();
    // A token that may only read the mount's config and roles.
    env.cmd(&["policy", "write", "explainer", "-"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .env("VAULTJWT_TOKEN", "root")
        .stdin("path \"auth/jwt/config\" { capabilities = [\"read\"] }\npath \"auth/jwt/role/*\" { capabilities = [\"read\"] }\n")
        .run()
        .success();
    let reader = remote(
        &["token", "create", "-policy=explainer", "-field=token"],
        "root",
    );
    let reader = reader.success().stdout.trim().to_string();

    let now = vaultjwt::dev::time::now();
    let tokens = [
        // passes
        serde_json::json!({"sub": "a", "aud": "vault", "repo": "org/x", "iat": now - 5, "exp": now + 600}),
        // wrong audience
        serde_json::json!({"sub": "a", "aud": "other", "repo": "org/x", "iat": now - 5, "exp": now + 600}),
        // bound claim does not match
        serde_json::json!({"sub": "a", "aud": "vault", "repo": "elsewhere/x", "iat": now - 5, "exp": now + 600}),
        // expired
        serde_json::json!({"sub": "a", "aud": "vault", "repo": "org/x", "iat": now - 7200, "exp": now - 3600}),
        // no user claim
        serde_json::json!({"aud": "vault", "repo": "org/x", "iat": now - 5, "exp": now + 600}),
    ];
    let mut explained = Vec::new();
    for claims in &tokens {
        let jwt = common::mint_claims(claims.clone());
        let e = remote(
            &[
                "jwt",
                "explain",
                "-format=json",
                "role=ci",
                &format!("jwt={jwt}"),
            ],
            &reader,
        );
        let v: Value = serde_json::from_str(&e.stdout)
            .unwrap_or_else(|err| panic!("explain: {err}\n{}\n{}", e.stdout, e.stderr));
        explained.push((jwt, e.code, v));
    }
    // Nothing was created on the server by the explanations.
    let entities = remote(&["list", "-format=json", "identity/entity/id"], "root");
    assert_ne!(
        entities.code,
        Some(0),
        "explain created an entity: {}",
        entities.stdout
    );

    for (jwt, code, v) in &explained {
        let login = remote(
            &[
                "write",
                "-format=json",
                "auth/jwt/login",
                "role=ci",
                &format!("jwt={jwt}"),
            ],
            "",
        );
        let login_error = login
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("* "))
            .map(str::to_string);
        let explain_error = v["error"].as_str().map(str::to_string);
        assert_eq!(
            login.code == Some(0),
            *code == Some(0),
            "{v:#}\n{}",
            login.stderr
        );
        assert_eq!(login_error, explain_error, "{v:#}");
        if login.code == Some(0) {
            let l: Value = serde_json::from_str(&login.stdout).unwrap();
            assert_eq!(l["auth"]["policies"], v["would_issue"]["policies"]);
            assert_eq!(l["auth"]["lease_duration"], v["would_issue"]["ttl"]);
        }
    }

    // A caller who may not read the role is told which capability on which path it lacks.
    let out = remote(&["jwt", "explain", "role=ci", "jwt=x"], "nope");
    out.code(2);
    assert!(
        out.stderr.contains("\"read\"") && out.stderr.contains("auth/jwt/config"),
        "{}",
        out.stderr
    );
}
