//! Policy parameter constraints (`allowed_parameters`, `denied_parameters`,
//! `required_parameters`, wrapping TTLs) enforced on the requests of a non-root token, as
//! OpenBao 2.7.2 enforces them (recorded in tests/conformance/policy-parameters*.json).

use crate::common;
use common::TestEnv;

const DENIED: &str = "Code: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied";

fn token(env: &TestEnv, policies: &[&str]) -> String {
    let mut args = vec!["token", "create", "-field=token"];
    let flags: Vec<String> = policies.iter().map(|p| format!("-policy={p}")).collect();
    args.extend(flags.iter().map(String::as_str));
    let out = env.run(&args);
    out.success();
    out.stdout.trim().to_string()
}

fn policy(env: &TestEnv, name: &str, text: &str) {
    env.cmd(&["policy", "write", name, "-"])
        .stdin(text)
        .run()
        .success();
}

/// Runs `write PATH KV...` as `tok`; true when it succeeded, false on a 403.
fn write(env: &TestEnv, tok: &str, path: &str, kv: &[&str]) -> bool {
    let mut args = vec!["write", path];
    args.extend_from_slice(kv);
    let out = env.cmd(&args).env("VAULTJWT_TOKEN", tok).run();
    if out.code == Some(0) {
        return true;
    }
    out.code(2).stderr_has(DENIED);
    false
}

#[test]
fn allowed_denied_and_required_parameters() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv"]).success();
    policy(
        &env,
        "p",
        r#"
path "kv/allowed/*" {
  capabilities = ["create", "update", "read"]
  allowed_parameters = {
    "a"   = []
    "env" = ["dev", "test-*", "*-stage"]
  }
}
path "kv/block/*" {
  capabilities = ["create", "update"]
  allowed_parameters {
    "a" = ["*"]
  }
}
path "kv/denied/*" {
  capabilities = ["create", "update"]
  denied_parameters = {
    "secret" = []
    "env"    = ["prod", "*-prod"]
  }
}
path "kv/required/*" {
  capabilities = ["create", "update", "read"]
  required_parameters = ["a", "b"]
}
path "kv/wrapped/*" {
  capabilities = ["create", "update", "read"]
  min_wrapping_ttl = "1m"
}
"#,
    );
    let t = token(&env, &["p"]);
    let cases: &[(&str, &[&str], bool)] = &[
        ("kv/allowed/1", &["a=1"], true),
        ("kv/allowed/2", &["b=1"], false),
        ("kv/allowed/3", &["a=1", "b=2"], false),
        ("kv/allowed/4", &["env=dev"], true),
        ("kv/allowed/5", &["env=test-9"], true),
        ("kv/allowed/6", &["env=eu-stage"], true),
        ("kv/allowed/7", &["env=prod"], false),
        ("kv/allowed/8", &["A=1"], true),
        // A one-character value is literal, `*` included.
        ("kv/block/1", &["a=x"], false),
        ("kv/block/2", &["a=*"], true),
        ("kv/denied/1", &["secret=x"], false),
        ("kv/denied/2", &["SECRET=x"], false),
        ("kv/denied/3", &["env=eu-prod"], false),
        ("kv/denied/4", &["env=dev", "other=1"], true),
        ("kv/required/1", &["a=1"], false),
        ("kv/required/2", &["a=1", "b=2", "c=3"], true),
        ("kv/wrapped/1", &["a=1"], false),
    ];
    for (path, kv, ok) in cases {
        assert_eq!(write(&env, &t, path, kv), *ok, "write {path} {kv:?}");
    }
    // Nothing denied was stored.
    env.run(&["read", "kv/allowed/2"]).code(2);
    env.run(&["read", "-field=a", "kv/allowed/1"])
        .success()
        .stdout_is("1");
    // A read is checked too: required parameters it does not carry deny it.
    env.cmd(&["read", "kv/required/2"])
        .env("VAULTJWT_TOKEN", &t)
        .run()
        .code(2)
        .stderr_has(DENIED);
    // `token capabilities` is about capabilities only.
    env.run(&["token", "capabilities", &t, "kv/wrapped/1"])
        .success()
        .stdout_is("create, read, update\n");
}

#[test]
fn constraints_merge_across_policies_and_deny_wins() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv"]).success();
    policy(
        &env,
        "m1",
        r#"
path "kv/merge/*" {
  capabilities = ["create"]
  allowed_parameters = {
    "a" = ["x"]
  }
  required_parameters = ["a"]
}
path "kv/any/*" {
  capabilities = ["create"]
  allowed_parameters = {
    "a" = ["x"]
  }
}
path "kv/gone/*" {
  capabilities = ["create"]
}
"#,
    );
    policy(
        &env,
        "m2",
        r#"
path "kv/merge/*" {
  capabilities = ["update"]
  allowed_parameters = {
    "a" = ["y"]
    "d" = []
  }
  required_parameters = ["d"]
}
path "kv/any/*" {
  capabilities = ["update"]
  allowed_parameters = {
    "a" = []
  }
}
path "kv/gone/*" {
  capabilities = ["deny"]
}
"#,
    );
    let t = token(&env, &["m1", "m2"]);
    assert!(write(&env, &t, "kv/merge/1", &["a=x", "d=1"]));
    assert!(write(&env, &t, "kv/merge/2", &["a=y", "d=1"]));
    assert!(!write(&env, &t, "kv/merge/3", &["a=z", "d=1"]));
    assert!(!write(&env, &t, "kv/merge/4", &["a=x"]));
    assert!(write(&env, &t, "kv/any/1", &["a=whatever"]));
    assert!(!write(&env, &t, "kv/gone/1", &["a=1"]));
}

#[test]
fn kv_v2_commands_send_data_and_options() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv-v2"])
        .success();
    policy(
        &env,
        "only-data",
        "path \"kv/data/*\" {\n  capabilities = [\"create\", \"update\", \"read\"]\n  allowed_parameters = {\n    \"data\" = []\n  }\n}\n",
    );
    let t = token(&env, &["only-data"]);
    env.cmd(&["kv", "put", "kv/k", "a=1"])
        .env("VAULTJWT_TOKEN", &t)
        .run()
        .code(2)
        .stderr_has(DENIED);
}

#[test]
fn bad_constraints_are_refused_at_write() {
    let env = TestEnv::new();
    env.run(&["policy", "list"]).success();
    let cases = [
        (
            "path \"a/*\" {\n  capabilities = [\"read\"]\n  min_wrapping_ttl = \"abc\"\n}\n",
            "failed to parse policy: path \"a/*\": error parsing min_wrapping_ttl: time: invalid duration \"abc\"",
        ),
        (
            "path \"a/*\" {\n  capabilities = [\"read\"]\n  min_wrapping_ttl = \"1h\"\n  max_wrapping_ttl = \"1m\"\n}\n",
            "failed to parse policy: path \"a/*\": max_wrapping_ttl cannot be less than min_wrapping_ttl",
        ),
        (
            "path \"a/*\" {\n  capabilities = [\"read\"]\n  allowed_parameters = \"x\"\n}\n",
            "failed to parse policy: path \"a/*\": path \"a/*\": At 3:24: root.allowed_parameters: not an object type for map (*ast.LiteralType)",
        ),
        (
            "path \"a/*\" {\n  capabilities = [\"update\"]\n  allowed_parameters = {\n    \"a\" = \"x\"\n  }\n}\n",
            "failed to parse policy: path \"a/*\": path \"a/*\": At 4:11: unknown slice type: *ast.LiteralType",
        ),
    ];
    for (text, message) in cases {
        let before = env.snapshot();
        env.cmd(&["policy", "write", "bad", "-"])
            .stdin(text)
            .run()
            .code(2)
            .stderr_has(message);
        assert_eq!(before, env.snapshot(), "{text}");
    }
}
