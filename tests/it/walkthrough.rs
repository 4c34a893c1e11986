//! The seed's walkthrough, typed as written (issue 3, "Done when"): the provider URL is a
//! loopback issuer at `http://127.0.0.1:PORT/` (with the trailing slash the seed's
//! `https://idp/` has) serving discovery and a JWKS, and the token carries the seed's claims.
//!
//! Default mode logs in and prints each divergence warning once; strict mode
//! (`VAULTJWT_COMPAT=openbao`) fails where OpenBao 2.7.2 fails.

use crate::common;
use crate::loopback;

use common::{Out, TestEnv};
use loopback::{now, Issuer};
use serde_json::json;

/// The seed's token: its claims, `iss` with the trailing slash, an hour to live. (`iat` is
/// there as every issuer sets it: a token with only `exp` an hour ahead is refused by OpenBao
/// with the `nbf` message, spec §5.4.)
fn seed_token(idp: &Issuer) -> String {
    idp.sign(&json!({
        "iss": idp.issuer(),
        "sub": "user-12345",
        "aud": "vault-aud-value",
        "groups": ["developers", "ops"],
        "name": "Alice Smith",
        "email": "alice@example.com",
        "iat": now() - 5,
        "exp": now() + 3600,
    }))
}

/// The four commands of the walkthrough, as the user types them.
fn walkthrough(idp: &Issuer) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        s(&["auth", "enable", "jwt"]),
        s(&[
            "write",
            "auth/jwt/config",
            &format!("oidc_discovery_url={}", idp.discovery_url()),
            &format!("bound_issuer={}", idp.issuer()),
            "token_audiences=vault-aud-value",
        ]),
        s(&[
            "write",
            "auth/jwt/role/developer-role",
            "user_claim=sub",
            "groups_claim=groups",
            "token_policies=developer-policy",
            "bound_claims_type=glob",
            "bound_claims=groups=developers",
        ]),
        s(&[
            "write",
            "auth/jwt/login",
            "role=developer-role",
            "jwt=@token.jwt",
        ]),
    ]
}

fn run(env: &TestEnv, args: &[String], compat: Option<&str>) -> Out {
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut c = env.cmd(&argv);
    if let Some(m) = compat {
        c = c.env("VAULTJWT_COMPAT", m);
    }
    c.run()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The five default-mode divergences (issue 3), each recognised by a phrase of its warning.
const DIVERGENCES: [(&str, &str); 5] = [
    (
        "1 .well-known discovery URL",
        "OpenBao would refuse this 'oidc_discovery_url'",
    ),
    ("2 token_audiences honoured", "OpenBao ignores"),
    (
        "3 role without role_type is jwt",
        "OpenBao would make it an \"oidc\" role",
    ),
    (
        "4 bound_claims as key=value",
        "bound_claims was given as key=value text",
    ),
    (
        "5 no audience bound",
        "this role has no bound_audiences and the config sets no token_audiences",
    ),
];

#[test]
fn seed_walkthrough_logs_in_in_default_mode() {
    let idp = Issuer::start();
    let env = TestEnv::new();
    let jwt = seed_token(&idp);
    std::fs::write(env.home.path().join("token.jwt"), &jwt).unwrap();

    let mut shown = String::new();
    let mut outs = Vec::new();
    for args in walkthrough(&idp) {
        let out = run(&env, &args, None);
        out.success();
        shown.push_str(&out.stdout);
        shown.push_str(&out.stderr);
        shown.push('\n');
        outs.push(out);
    }
    let root = std::fs::read_to_string(env.data.join("token"))
        .unwrap()
        .trim()
        .to_string();
    outs[0].stdout_is("Success! Enabled jwt auth method at: jwt/\n");
    // The issuer is the discovery URL before its suffix, with the slash (what OpenBao compares
    // the document's issuer with, exactly).
    let config = env
        .cmd(&["read", "-format=json", "auth/jwt/config"])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success()
        .json();
    assert_eq!(config["data"]["oidc_discovery_url"], json!(idp.issuer()));
    assert_eq!(config["data"]["bound_issuer"], json!(idp.issuer()));
    assert_eq!(config["data"]["status"], json!("valid"));

    // The login (table output) shows the token with developer-policy and default.
    let login = &outs[3];
    for key in [
        "token ",
        "token_accessor",
        "token_duration",
        "token_renewable",
        "token_policies",
        "identity_policies",
        "policies ",
        "token_meta_role",
    ] {
        login.stdout_has(key);
    }
    login.stdout_has("token_policies       [\"default\" \"developer-policy\"]");
    login.stdout_has("developer-role");

    // The same login in JSON, twice more through `login`: policies exactly developer-policy +
    // default, the entity's alias is the sub claim.
    let mut entity_ids = Vec::new();
    let mut tokens = Vec::new();
    let logins: Vec<Vec<String>> = vec![
        vec![
            "write".into(),
            "-format=json".into(),
            "auth/jwt/login".into(),
            "role=developer-role".into(),
            "jwt=@token.jwt".into(),
        ],
        vec![
            "login".into(),
            "-format=json".into(),
            "-method=jwt".into(),
            "role=developer-role".into(),
            format!("jwt={jwt}"),
        ],
        vec![
            "login".into(),
            "-format=json".into(),
            "--jwt".into(),
            jwt.clone(),
            "--role".into(),
            "developer-role".into(),
        ],
    ];
    for args in &logins {
        let out = run(&env, args, None);
        out.success();
        shown.push_str(&out.stdout);
        shown.push_str(&out.stderr);
        shown.push('\n');
        let v = out.json();
        let auth = &v["auth"];
        assert_eq!(
            auth["token_policies"],
            json!(["default", "developer-policy"]),
            "{v}"
        );
        assert_eq!(auth["policies"], json!(["default", "developer-policy"]));
        assert_eq!(auth["metadata"]["role"], json!("developer-role"));
        entity_ids.push(auth["entity_id"].as_str().unwrap().to_string());
        tokens.push(auth["client_token"].as_str().unwrap().to_string());
    }
    assert!(!entity_ids[0].is_empty());
    assert!(
        entity_ids.iter().all(|e| e == &entity_ids[0]),
        "{entity_ids:?}"
    );

    // Each divergence warning once over the whole walkthrough, where it applies (the config
    // binds an audience, so the fifth does not).
    let shown = flat(&shown);
    for (name, phrase) in DIVERGENCES {
        let want = if name.starts_with('5') { 0 } else { 1 };
        assert_eq!(
            shown.matches(phrase).count(),
            want,
            "divergence {name}: {phrase:?} in\n{shown}"
        );
    }

    // The entity: one alias, user-12345 on the jwt mount.
    let accessor = env
        .cmd(&["auth", "list", "-format=json"])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success()
        .json()["jwt/"]["accessor"]
        .as_str()
        .unwrap()
        .to_string();
    let entity = env
        .cmd(&[
            "read",
            "-format=json",
            &format!("identity/entity/id/{}", entity_ids[0]),
        ])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success()
        .json();
    let aliases = entity["data"]["aliases"].as_array().unwrap();
    assert_eq!(aliases.len(), 1, "{entity}");
    assert_eq!(aliases[0]["name"], json!("user-12345"));
    assert_eq!(aliases[0]["mount_accessor"], json!(accessor));
    let found = env
        .cmd(&[
            "write",
            "-format=json",
            "identity/lookup/entity",
            "alias_name=user-12345",
            &format!("alias_mount_accessor={accessor}"),
        ])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success()
        .json();
    assert_eq!(found["data"]["id"], json!(entity_ids[0]));

    // The current token is the last login's; its capabilities follow developer-policy once
    // the operator writes it.
    let helper = std::fs::read_to_string(env.data.join("token")).unwrap();
    assert_eq!(helper.trim(), tokens[2]);
    env.run(&["token", "capabilities", "secret/data/dev/app"])
        .success()
        .stdout_is("deny\n");
    env.cmd(&["policy", "write", "developer-policy", "-"])
        .env("VAULTJWT_TOKEN", &root)
        .stdin("path \"secret/data/dev/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n")
        .run()
        .success();
    env.run(&["token", "capabilities", "secret/data/dev/app"])
        .success()
        .stdout_is("list, read\n");
    env.run(&["token", "capabilities", "secret/data/prod/app"])
        .success()
        .stdout_is("deny\n");
    // An admin command is denied to the logged-in token.
    env.run(&["auth", "enable", "-path=other", "jwt"])
        .code(2)
        .stderr_has("permission denied");

    // Discovery once (at the config write), the JWKS once (first login); the cache did the rest.
    assert_eq!(idp.hits("/.well-known/openid-configuration"), 1);
    assert_eq!(idp.hits("/jwks"), 1);
}

#[test]
fn seed_walkthrough_fails_where_openbao_fails_in_strict_mode() {
    let idp = Issuer::start();
    let env = TestEnv::new();
    let jwt = seed_token(&idp);
    std::fs::write(env.home.path().join("token.jwt"), &jwt).unwrap();
    let strict = Some("openbao");
    let steps = walkthrough(&idp);

    run(&env, &steps[0], strict)
        .success()
        .stdout_is("Success! Enabled jwt auth method at: jwt/\n");
    let before = env.snapshot();
    run(&env, &steps[1], strict).code(2).stderr_is(
        "Error writing data to auth/jwt/config: Error making API request.\n\n\
         Code: 400. Errors:\n\n\
         * 'oidc_discovery_url' contains '.well-known' component\n",
    );
    assert_eq!(idp.server.total_hits(), 0, "strict mode fetched something");
    run(&env, &steps[2], strict).code(2).stderr_has(
        "* error converting input for field \"bound_claims\": '' expected type \
         'map[string]interface {}', got unconvertible type 'string'",
    );
    run(&env, &steps[3], strict)
        .code(2)
        .stderr_has("* could not load configuration");
    assert_eq!(
        env.snapshot(),
        before,
        "a failed step changed the data directory"
    );
    run(
        &env,
        &[
            "read".into(),
            "-format=json".into(),
            "auth/jwt/config".into(),
        ],
        strict,
    )
    .code(2)
    .stderr_is("No value found at auth/jwt/config\n");
    // bao has no jwt login handler in its CLI.
    run(
        &env,
        &[
            "login".into(),
            "-method=jwt".into(),
            "role=developer-role".into(),
            format!("jwt={jwt}"),
        ],
        strict,
    )
    .code(1)
    .stderr_has("Unknown auth method: jwt.");
    run(
        &env,
        &[
            "login".into(),
            "--jwt".into(),
            jwt.clone(),
            "--role".into(),
            "developer-role".into(),
        ],
        strict,
    )
    .code(1)
    .stderr_is("flag provided but not defined: -jwt\n");
    assert_eq!(env.snapshot(), before);
}
