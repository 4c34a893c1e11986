//! `login` with a JWT (issue 3, point 7): `login -method=jwt [-path=P] role=R jwt=J`, the short
//! `login -jwt J [-role R] [-path P]`, `-no-store`, `-token-only`, `-field`, Vault's login table,
//! `jwt=@file` and `jwt=-`, and failures that leave the token helper alone.

use crate::common;
use crate::loopback;

use common::TestEnv;
use loopback::{fixture, now, sign_raw};
use serde_json::json;

const SUCCESS: &str =
    "Success! You are now authenticated. The token information displayed below is\n\
already stored in the token helper. You do NOT need to run \"vaultjwt login\"\n\
again. Future vaultjwt requests will automatically use this token.\n\n";

const NOT_STORED: &str =
    "The token was not stored in token helper. Set the VAULTJWT_TOKEN environment\n\
variable or pass the token below with each request to vaultjwt.\n\n";

/// A data directory with a jwt mount at `corp/` (static key, role `dev` that is also the
/// default role), and a token for it. Returns (env, root token, jwt).
fn setup() -> (TestEnv, String, String) {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "-path=corp", "jwt"]).success();
    let root = helper(&env);
    env.run(&[
        "write",
        "auth/corp/config",
        &format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub")),
        "default_role=dev",
    ])
    .success();
    env.run(&[
        "write",
        "auth/corp/role/dev",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=dev-pol",
        "token_ttl=1h",
    ])
    .success();
    let jwt = sign_raw(
        r#"{"alg":"RS256","typ":"JWT"}"#,
        &json!({"sub": "alice", "aud": "vault", "iat": now() - 5, "exp": now() + 600}).to_string(),
        "rsa2048.key",
    );
    (env, root, jwt)
}

fn helper(env: &TestEnv) -> String {
    std::fs::read_to_string(env.data.join("token"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn every_form_of_jwt_login() {
    let (env, root, jwt) = setup();
    std::fs::write(env.home.path().join("t.jwt"), format!("{jwt}\n")).unwrap();
    let forms: Vec<(Vec<String>, Option<&str>)> = vec![
        (
            vec![
                "login".into(),
                "-method=jwt".into(),
                "-path=corp".into(),
                "role=dev".into(),
                format!("jwt={jwt}"),
            ],
            None,
        ),
        (
            vec![
                "login".into(),
                "-method=jwt".into(),
                "-path=corp/".into(),
                "role=dev".into(),
                "jwt=@t.jwt".into(),
            ],
            None,
        ),
        (
            vec![
                "login".into(),
                "-method=jwt".into(),
                "-path=corp".into(),
                "jwt=-".into(),
            ],
            Some(jwt.as_str()),
        ),
        (
            vec![
                "login".into(),
                "--jwt".into(),
                jwt.clone(),
                "--role".into(),
                "dev".into(),
                "--path".into(),
                "corp".into(),
            ],
            None,
        ),
        (
            vec![
                "login".into(),
                format!("-jwt={jwt}"),
                "-role=dev".into(),
                "-path=corp".into(),
            ],
            None,
        ),
        (
            vec!["login".into(), "-jwt=@t.jwt".into(), "-path=corp".into()],
            None,
        ),
        (
            vec![
                "login".into(),
                "-jwt".into(),
                "-".into(),
                "-path=corp".into(),
            ],
            Some(jwt.as_str()),
        ),
    ];
    let mut seen = Vec::new();
    for (args, stdin) in forms {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut c = env.cmd(&argv);
        if let Some(s) = stdin {
            c = c.stdin(format!("{s}\n"));
        }
        let out = c.run();
        out.success().stderr_is("");
        assert!(out.stdout.starts_with(SUCCESS), "{out:?}");
        let token = helper(&env);
        assert_ne!(token, root);
        assert!(
            !seen.contains(&token),
            "{args:?}: the token was not replaced"
        );
        // Vault's login table, with this token.
        let rows: Vec<Vec<&str>> = out.stdout[SUCCESS.len()..]
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        let keys: Vec<&str> = rows.iter().map(|r| r[0]).collect();
        assert_eq!(
            keys,
            [
                "Key",
                "---",
                "token",
                "token_accessor",
                "token_duration",
                "token_renewable",
                "token_policies",
                "identity_policies",
                "policies",
                "token_meta_role"
            ],
            "{}",
            out.stdout
        );
        assert_eq!(rows[2][1], token);
        assert_eq!(rows[4][1], "1h");
        assert_eq!(rows[5][1], "true");
        assert_eq!(rows[6][1..].join(" "), "[\"default\" \"dev-pol\"]");
        assert_eq!(rows[7][1], "[]");
        assert_eq!(rows[9][1], "dev");
        // The stored token is the current one.
        let v = env
            .run(&["token", "lookup", "-format=json"])
            .success()
            .json();
        assert_eq!(v["data"]["display_name"], json!("corp-alice"));
        assert_eq!(v["data"]["path"], json!("auth/corp/login"));
        seen.push(token);
    }
    // The root token still works through the environment.
    let v = env
        .cmd(&["token", "lookup", "-format=json"])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success()
        .json();
    assert_eq!(v["data"]["policies"], json!(["root"]));
}

#[test]
fn no_store_token_only_and_field() {
    let (env, root, jwt) = setup();
    let jwt_arg = format!("jwt={jwt}");

    // -no-store: the table, a notice on stderr, the helper unchanged.
    let out = env.run(&["login", "-method=jwt", "-path=corp", "-no-store", &jwt_arg]);
    out.success().stderr_is(NOT_STORED);
    assert!(out.stdout.starts_with(SUCCESS), "{out:?}");
    assert_eq!(helper(&env), root);

    // -token-only: just the token, no newline when piped; not stored; no notice.
    let out = env.run(&["login", "-jwt", &jwt, "-path=corp", "-token-only"]);
    out.success().stderr_is("");
    assert!(out.stdout.starts_with("s.") && !out.stdout.contains(char::is_whitespace));
    assert_eq!(helper(&env), root);
    let v = env
        .cmd(&["token", "lookup", "-format=json"])
        .env("VAULTJWT_TOKEN", &out.stdout)
        .run()
        .success()
        .json();
    assert_eq!(v["data"]["policies"], json!(["default", "dev-pol"]));

    // -field: one value (stored, as Vault does).
    let out = env.run(&[
        "login",
        "-method=jwt",
        "-path=corp",
        "-field=token_policies",
        &jwt_arg,
    ]);
    out.success().stdout_is("[default dev-pol]");
    assert_ne!(helper(&env), root);

    // -format=json: the API response with its auth block.
    let out = env.run(&[
        "login",
        "-format=json",
        "-no-store",
        "-jwt",
        &jwt,
        "-path=corp",
    ]);
    out.success();
    let v = out.json();
    assert_eq!(v["auth"]["token_policies"], json!(["default", "dev-pol"]));
    assert_eq!(v["auth"]["metadata"], json!({"role": "dev"}));
    assert_eq!(v["auth"]["lease_duration"], json!(3600));

    // -no-print: nothing at all, stored.
    let before = helper(&env);
    env.run(&["login", "-jwt", &jwt, "-path=corp", "-no-print"])
        .success()
        .stdout_is("")
        .stderr_is("");
    assert_ne!(helper(&env), before);
}

#[test]
fn failed_logins_change_nothing() {
    let (env, root, jwt) = setup();
    std::fs::write(env.home.path().join("t.jwt"), &jwt).unwrap();
    let before = env.snapshot();
    // a changed character inside the signature (the last one may only hold padding bits)
    let cut = jwt.len() - 20;
    let flipped = if &jwt[cut..cut + 1] == "A" { "B" } else { "A" };
    let tampered = format!("{}{flipped}{}", &jwt[..cut], &jwt[cut + 1..]);
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            vec!["login".into(), "-jwt".into(), tampered, "-path=corp".into()],
            2,
            "Error authenticating: Error making API request.\n\nCode: 400. Errors:\n\n* error validating token: error verifying token signature: no known key successfully validated the token signature\n",
        ),
        (
            vec![
                "login".into(),
                "-jwt".into(),
                jwt.clone(),
                "-role=nope".into(),
                "-path=corp".into(),
            ],
            2,
            "* role \"nope\" could not be found\n",
        ),
        (
            vec!["login".into(), "-jwt".into(), jwt.clone()],
            2,
            // sent without a token, as Vault's CLI does for every method but token
            "Code: 403. Errors:\n\n* permission denied\n",
        ),
        (
            vec![
                "login".into(),
                "-method=jwt".into(),
                "-path=corp".into(),
                "jwt=@missing.jwt".into(),
            ],
            1,
            "missing.jwt",
        ),
        (
            vec![
                "login".into(),
                "-method=jwt".into(),
                "-path=corp".into(),
                "role".into(),
            ],
            1,
            "",
        ),
        (
            vec!["login".into(), "-method=jwt".into(), "-path=corp".into()],
            2,
            "* missing token\n",
        ),
    ];
    for (args, code, text) in cases {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&argv);
        out.code(code).stderr_has(text);
        assert!(out.stdout.is_empty(), "{out:?}");
        assert_eq!(
            env.snapshot(),
            before,
            "{args:?} changed the data directory"
        );
    }
    assert_eq!(helper(&env), root);
}

#[test]
fn identity_policies_in_the_login_table() {
    let (env, _root, _) = setup();
    env.run(&[
        "write",
        "auth/corp/role/dev",
        "role_type=jwt",
        "user_claim=sub",
        "groups_claim=groups",
        "bound_audiences=vault",
        "token_policies=dev-pol",
        "token_ttl=1h",
    ])
    .success();
    let accessor = env.run(&["auth", "list", "-format=json"]).success().json()["corp/"]["accessor"]
        .as_str()
        .unwrap()
        .to_string();
    let group = env
        .run(&[
            "write",
            "-format=json",
            "identity/group",
            "name=devs",
            "type=external",
            "policies=grp-pol",
        ])
        .success()
        .json();
    let gid = group["data"]["id"].as_str().unwrap().to_string();
    env.run(&[
        "write",
        "identity/group-alias",
        "name=developers",
        &format!("mount_accessor={accessor}"),
        &format!("canonical_id={gid}"),
    ])
    .success();
    let jwt = sign_raw(
        r#"{"alg":"RS256"}"#,
        &json!({"sub": "bob", "aud": "vault", "groups": ["developers", "ops"],
                "iat": now() - 5, "exp": now() + 600})
        .to_string(),
        "rsa2048.key",
    );
    let out = env.run(&["login", "-jwt", &jwt, "-path=corp"]);
    out.success();
    let row = |k: &str| {
        out.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(k))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no {k} row in\n{}", out.stdout))
    };
    assert_eq!(row("token_policies"), "[\"default\" \"dev-pol\"]");
    assert_eq!(row("identity_policies"), "[\"grp-pol\"]");
    assert_eq!(row("policies"), "[\"default\" \"dev-pol\" \"grp-pol\"]");
    assert_eq!(row("token_meta_role"), "dev");
}
