//! Secret engines, the kv helper and templated policies through the binary: two JWT users
//! logged in with one templated policy each read and write only their own path; tokens
//! without the policy, revoked tokens and expired tokens are denied; bad input changes
//! nothing.

use crate::common;

use common::TestEnv;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A JWT signed in-process with the RSA fixture key.
fn jwt(claims: Value) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(fixture("rsa2048.key").as_bytes()).unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &key,
    )
    .unwrap()
}

fn user_jwt(sub: &str, email: &str, exp_in: i64) -> String {
    jwt(json!({
        "iss": "https://idp.example",
        "sub": sub,
        "aud": "vault",
        "email": email,
        "iat": now() - 5,
        "exp": now() + exp_in,
    }))
}

/// The templated policy: each user gets `kv/data/users/<their email>/*`.
fn policy(accessor: &str) -> String {
    format!(
        r#"path "kv/data/users/{{{{identity.entity.aliases.{accessor}.metadata.email}}}}/*" {{
  capabilities = ["create", "read", "update", "delete", "list"]
}}

path "kv/metadata/users/{{{{identity.entity.aliases.{accessor}.metadata.email}}}}/*" {{
  capabilities = ["list", "read"]
}}
"#
    )
}

/// A data directory with a `kv/` v2 mount, a `jwt/` mount trusting the fixture key, a role
/// mapping the `email` claim into alias metadata, and the templated `kv-user` policy.
fn setup(env: &TestEnv) {
    env.run(&["secrets", "enable", "-path=kv", "kv-v2"])
        .success()
        .stdout_is("Success! Enabled the kv-v2 secrets engine at: kv/\n");
    env.run(&["auth", "enable", "jwt"]).success();
    let pubkey = format!("jwt_validation_pubkeys={}", fixture("rsa2048.pub"));
    env.run(&["write", "auth/jwt/config", &pubkey]).success();
    env.cmd(&["write", "auth/jwt/role/user", "-"])
        .stdin(
            json!({
                "role_type": "jwt",
                "user_claim": "sub",
                "bound_audiences": ["vault"],
                "claim_mappings": {"email": "email"},
                "token_policies": ["kv-user"],
                "token_ttl": "1h",
            })
            .to_string(),
        )
        .run()
        .success();
    let accessor = env.run(&["read", "-field=accessor", "sys/auth/jwt"]);
    accessor.success();
    env.cmd(&["policy", "write", "kv-user", "-"])
        .stdin(policy(accessor.stdout.trim()))
        .run()
        .success()
        .stdout_is("Success! Uploaded policy: kv-user\n");
}

fn login(env: &TestEnv, token: &str) -> String {
    let out = env.run(&[
        "write",
        "-field=token",
        "auth/jwt/login",
        "role=user",
        &format!("jwt={token}"),
    ]);
    out.success();
    out.stdout.trim().to_string()
}

/// Runs a command as `token`.
fn as_token(env: &TestEnv, token: &str, args: &[&str]) -> common::Out {
    env.cmd(args).env("VAULTJWT_TOKEN", token).run()
}

const DENIED: &str = "Code: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied\n";

#[test]
fn each_jwt_user_reads_and_writes_only_their_own_path() {
    let env = TestEnv::new();
    setup(&env);
    let alice = login(&env, &user_jwt("alice", "alice@example.com", 3600));
    let bob = login(&env, &user_jwt("bob", "bob@example.com", 3600));

    // Each writes and reads under their own path.
    as_token(
        &env,
        &alice,
        &[
            "kv",
            "put",
            "-field=version",
            "kv/users/alice@example.com/db",
            "pass=a1",
        ],
    )
    .success()
    .stdout_is("1");
    as_token(
        &env,
        &bob,
        &[
            "kv",
            "put",
            "-mount=kv",
            "-field=version",
            "users/bob@example.com/db",
            "pass=b1",
        ],
    )
    .success()
    .stdout_is("1");
    as_token(
        &env,
        &alice,
        &["kv", "get", "-field=pass", "kv/users/alice@example.com/db"],
    )
    .success()
    .stdout_is("a1");
    as_token(
        &env,
        &bob,
        &["kv", "get", "-field=pass", "kv/users/bob@example.com/db"],
    )
    .success()
    .stdout_is("b1");
    as_token(&env, &alice, &["kv", "list", "kv/users/alice@example.com"])
        .success()
        .stdout_is("Keys\n----\ndb\n");

    // Neither reaches the other's path, for any operation.
    for (who, other) in [(&alice, "bob@example.com"), (&bob, "alice@example.com")] {
        let path = format!("kv/users/{other}/db");
        let data_path = format!("kv/data/users/{other}/db");
        as_token(&env, who, &["kv", "get", &path])
            .code(2)
            .stderr_has(&format!(
                "Error reading {data_path}: Error making API request.\n\n{DENIED}"
            ));
        as_token(&env, who, &["kv", "put", &path, "pass=stolen"])
            .code(2)
            .stderr_has(DENIED);
        as_token(&env, who, &["kv", "delete", &path])
            .code(2)
            .stderr_has(DENIED);
        as_token(&env, who, &["kv", "list", &format!("kv/users/{other}")])
            .code(2)
            .stderr_has(DENIED);
        as_token(&env, who, &["kv", "patch", "-method=patch", &path, "x=1"])
            .code(2)
            .stderr_has(DENIED);
    }
    // Nothing was overwritten.
    env.run(&["kv", "get", "-field=pass", "kv/users/bob@example.com/db"])
        .success()
        .stdout_is("b1");
    env.run(&["kv", "get", "-field=pass", "kv/users/alice@example.com/db"])
        .success()
        .stdout_is("a1");
    // The capabilities the template gives, as `token capabilities` reports them.
    env.run(&[
        "token",
        "capabilities",
        &alice,
        "kv/data/users/alice@example.com/x",
    ])
    .success()
    .stdout_is("create, delete, list, read, update\n");
    env.run(&[
        "token",
        "capabilities",
        &alice,
        "kv/data/users/bob@example.com/x",
    ])
    .success()
    .stdout_is("deny\n");
    // No `patch` capability: kv patch falls back to read-then-write, with Vault's warning.
    let out = as_token(
        &env,
        &alice,
        &[
            "kv",
            "patch",
            "-format=json",
            "kv/users/alice@example.com/db",
            "user=alice",
        ],
    );
    out.success()
        .stderr_has("we recommend that you add the \"patch\" capability");
    assert_eq!(out.json()["data"]["version"], 2);
}

#[test]
fn tokens_without_the_policy_revoked_or_expired_are_denied() {
    let env = TestEnv::new();
    setup(&env);
    env.run(&[
        "kv",
        "put",
        "-field=version",
        "kv/users/alice@example.com/db",
        "pass=a1",
    ])
    .success();

    // A token without the policy: the kv helper's preflight refuses it.
    let plain = env.run(&["token", "create", "-field=token", "-policy=default"]);
    plain.success();
    let plain = plain.stdout.trim();
    as_token(&env, plain, &["kv", "get", "kv/users/alice@example.com/db"])
        .code(2)
        .stderr_is("Error making API request.\n\nCode: 403. Errors:\n\n* preflight capability check returned 403, please ensure client's policies grant access to path \"kv/users/alice@example.com/db/\"\n");
    as_token(&env, plain, &["read", "kv/data/users/alice@example.com/db"])
        .code(2)
        .stderr_has(DENIED);
    as_token(&env, plain, &["list", "kv/metadata/users"])
        .code(2)
        .stderr_has(DENIED);

    // A revoked token.
    let alice = login(&env, &user_jwt("alice", "alice@example.com", 3600));
    as_token(
        &env,
        &alice,
        &["kv", "get", "-field=pass", "kv/users/alice@example.com/db"],
    )
    .success()
    .stdout_is("a1");
    env.run(&["token", "revoke", &alice]).success();
    as_token(
        &env,
        &alice,
        &["kv", "get", "kv/users/alice@example.com/db"],
    )
    .code(2)
    .stderr_is("Error making API request.\n\nCode: 403. Errors:\n\n* permission denied\n");
    as_token(
        &env,
        &alice,
        &["read", "kv/data/users/alice@example.com/db"],
    )
    .code(2)
    .stderr_has("* permission denied");

    // An expired JWT cannot log in at all.
    env.run(&[
        "write",
        "auth/jwt/login",
        "role=user",
        &format!("jwt={}", user_jwt("alice", "alice@example.com", -3600)),
    ])
    .code(2)
    .stderr_has("token is expired");

    // An expired token: a role issuing 1-second tokens; once it has lapsed, denied.
    env.run(&[
        "write",
        "auth/jwt/role/short",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=kv-user",
        "token_ttl=1s",
        "token_max_ttl=1s",
    ])
    .success();
    let out = env.run(&[
        "write",
        "-field=token",
        "auth/jwt/login",
        "role=short",
        &format!("jwt={}", user_jwt("alice", "alice@example.com", 3600)),
    ]);
    out.success();
    let short = out.stdout.trim().to_string();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    as_token(
        &env,
        &short,
        &["read", "kv/data/users/alice@example.com/db"],
    )
    .code(2)
    .stderr_has("* permission denied");
    as_token(
        &env,
        &short,
        &["kv", "get", "kv/users/alice@example.com/db"],
    )
    .code(2)
    .stderr_has("* permission denied");
}

#[test]
fn kv_v2_table_output_as_vault() {
    let env = TestEnv::new();
    // `secret/` is there from the start, a KV v2 engine, as in `vault server -dev`.
    let put = env.run(&["kv", "put", "secret/app", "user=admin", "password=pw"]);
    put.success();
    let lines: Vec<&str> = put.stdout.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "= Secret Path =",
            "secret/data/app",
            "",
            "======= Metadata =======",
            "Key                Value"
        ]
    );
    assert!(lines.contains(&"version            1"), "{}", put.stdout);
    let get = env.run(&["kv", "get", "secret/app"]);
    get.success();
    let text = &get.stdout;
    assert!(
        text.starts_with("= Secret Path =\nsecret/data/app\n\n======= Metadata =======\n"),
        "{text}"
    );
    assert!(text.contains("custom_metadata    <nil>\ndeletion_time      n/a\ndestroyed          false\nversion            1\n\n"), "{text}");
    assert!(text.ends_with("====== Data ======\nKey         Value\n---         -----\npassword    pw\nuser        admin\n"), "{text}");
    // KV v1: only the data section.
    env.run(&["secrets", "enable", "-path=old", "kv"]).success();
    env.run(&["kv", "put", "old/app", "a=1"])
        .success()
        .stdout_is("Success! Data written to: old/app\n");
    env.run(&["kv", "get", "old/app"])
        .success()
        .stdout_is("== Data ==\nKey    Value\n---    -----\na      1\n");
    env.run(&["read", "old/app"]).success().stdout_is("Key                 Value\n---                 -----\nrefresh_interval    768h\na                   1\n");
    // The mounts of `vault server -dev`, and `old/`.
    let list = env.run(&["secrets", "list"]);
    list.success();
    let paths: Vec<&str> = list
        .stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        paths,
        ["cubbyhole/", "identity/", "old/", "secret/", "sys/"]
    );
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv-v2"])
        .success();
    env.run(&["kv", "put", "-field=version", "kv/a", "x=1"])
        .success()
        .stdout_is("1");
    let before = env.snapshot();
    let refused: &[(&[&str], i32, &str)] = &[
        (&["kv", "put", "kv/a"], 1, "Must supply data\n"),
        (&["write", "kv/data/a", "x=2"], 2, "* no data provided\n"),
        (&["kv", "put", "-cas=0", "kv/a", "x=2"], 2, "* check-and-set parameter did not match the current version\n"),
        (&["kv", "patch", "-cas=7", "kv/a", "x=2"], 2, "* check-and-set parameter did not match the current version\n"),
        (&["kv", "get", "-version=9", "kv/a"], 2, "No value found at kv/data/a\n"),
        (&["kv", "get", "kv/nope"], 2, "No value found at kv/data/nope\n"),
        (&["kv", "undelete", "kv/a"], 1, "No versions provided, use the \"-versions\" flag to specify the version to undelete.\n"),
        (&["kv", "put", "nomount/a", "x=1"], 2, "preflight capability check returned 403"),
        (&["secrets", "enable", "-path=kv/sub", "kv"], 2, "* path is already in use at kv/\n"),
        (&["secrets", "enable", "-path=sys", "kv"], 2, "* cannot mount \"sys/\"\n"),
        (&["secrets", "enable", "transit"], 2, "* plugin not found in the catalog: transit\n"),
        (&["secrets", "disable", "cubbyhole"], 2, "* cannot unmount \"cubbyhole/\"\n"),
    ];
    for (args, code, msg) in refused {
        env.run(args).code(*code).stderr_has(msg);
    }
    // A path segment too long for a file name: a request error, not a storage failure.
    let long = format!("kv/{}", "a".repeat(300));
    env.run(&["kv", "put", &long, "x=1"])
        .code(2)
        .stderr_has("* a secret path segment of 300 bytes is longer than the 240 bytes");
    // A template with a syntax error is refused at write, naming the path.
    env.cmd(&["policy", "write", "bad", "-"])
        .stdin("path \"kv/data/{{identity.entity.id}/x\" {\n  capabilities = [\"read\"]\n}\n")
        .run()
        .code(2)
        .stderr_has("* failed to parse policy: path \"kv/data/{{identity.entity.id}/x\": failed to validate policy templating: unbalanced templating characters\n");
    assert!(
        before == env.snapshot(),
        "a refused command changed the data directory"
    );

    // A destroyed version: its metadata, no data.
    env.run(&["kv", "destroy", "-versions=1", "kv/a"])
        .success()
        .stdout_is("Success! Data written to: kv/destroy/a\n");
    env.run(&["kv", "get", "-field=x", "kv/a"])
        .code(2)
        .stderr_is("No data found at kv/data/a\n");
    let got = env.run(&["kv", "get", "-format=json", "kv/a"]);
    got.success();
    let v = got.json();
    assert_eq!(v["data"]["data"], Value::Null);
    assert_eq!(v["data"]["metadata"]["destroyed"], true);
    env.run(&["kv", "undelete", "-versions=1", "kv/a"])
        .success();
    env.run(&["kv", "get", "-field=x", "kv/a"]).code(2);
}

#[test]
fn disabling_a_mount_removes_its_data() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=tmp", "kv"]).success();
    env.run(&["kv", "put", "tmp/a", "x=1"]).success();
    env.run(&["secrets", "disable", "tmp"])
        .success()
        .stdout_is("Success! Disabled the secrets engine (if it existed) at: tmp/\n");
    env.run(&["secrets", "enable", "-path=tmp", "kv"]).success();
    env.run(&["kv", "get", "tmp/a"])
        .code(2)
        .stderr_is("No value found at tmp/a\n");
    let stray: Vec<_> = common::files_below(&env.storage())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("/logical/"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn cubbyhole_is_per_token_and_goes_with_the_token() {
    let env = TestEnv::new();
    let t = env.run(&["token", "create", "-field=token", "-policy=default"]);
    t.success();
    let t = t.stdout.trim().to_string();
    as_token(&env, &t, &["write", "cubbyhole/note", "text=mine"])
        .success()
        .stdout_is("Success! Data written to: cubbyhole/note\n");
    as_token(&env, &t, &["read", "-field=text", "cubbyhole/note"])
        .success()
        .stdout_is("mine");
    // The operator's cubbyhole is another one.
    env.run(&["read", "cubbyhole/note"])
        .code(2)
        .stderr_is("No value found at cubbyhole/note\n");
    let cubby = env.storage().join("cubbyhole");
    assert!(!common::files_below(&cubby).is_empty());
    env.run(&["token", "revoke", &t]).success();
    assert!(
        common::files_below(&cubby).is_empty(),
        "a revoked token's cubbyhole is removed"
    );
}
