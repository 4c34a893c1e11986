//! `list auth/token/accessors` (sudo), `token lookup -accessor` agreeing with it, and
//! OpenBao's router errors (recorded in tests/conformance/{token-accessors,router-errors}).

use crate::common;
use common::TestEnv;
use serde_json::Value;

fn create(env: &TestEnv, args: &[&str]) -> Value {
    let mut argv = vec!["token", "create", "-format=json"];
    argv.extend_from_slice(args);
    env.run(&argv).success().json()
}

fn keys(out: &common::Out) -> Vec<String> {
    out.json()
        .as_array()
        .expect("a list of accessors")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn accessors_list_every_live_service_token() {
    let env = TestEnv::new();
    let root_accessor = env
        .run(&["token", "lookup", "-field=accessor"])
        .success()
        .stdout
        .clone();
    let a = create(&env, &["-policy=default"]);
    let b = create(&env, &["-type=batch", "-policy=default"]);
    assert_eq!(b["auth"]["accessor"], "");
    let a_accessor = a["auth"]["accessor"].as_str().unwrap();
    let listed = keys(
        env.run(&["list", "-format=json", "auth/token/accessors"])
            .success(),
    );
    let mut sorted = listed.clone();
    sorted.sort();
    let mut expected = vec![root_accessor.clone(), a_accessor.to_string()];
    expected.sort();
    assert_eq!(sorted, expected);
    // Every listed accessor looks up the token it belongs to.
    for acc in &listed {
        let l = env
            .run(&["token", "lookup", "-format=json", "-accessor", acc])
            .success()
            .json();
        assert_eq!(l["data"]["accessor"], acc.as_str());
        assert_eq!(l["data"]["id"], "");
    }
    env.run(&["token", "revoke", "-accessor", a_accessor])
        .success();
    let listed = keys(
        env.run(&["list", "-format=json", "auth/token/accessors"])
            .success(),
    );
    assert_eq!(listed, vec![root_accessor]);
    env.run(&["token", "lookup", "-accessor", a_accessor])
        .code(2)
        .stderr_has("* invalid accessor");
}

#[test]
fn accessors_need_sudo() {
    let env = TestEnv::new();
    for (name, caps) in [
        ("plain", "\"list\", \"read\""),
        ("sudo", "\"list\", \"sudo\""),
    ] {
        env.cmd(&["policy", "write", name, "-"])
            .stdin(format!(
                "path \"auth/token/accessors/\" {{\n  capabilities = [{caps}]\n}}\n"
            ))
            .run()
            .success();
    }
    let plain = create(&env, &["-policy=plain"]);
    let sudo = create(&env, &["-policy=sudo"]);
    let as_token = |t: &Value, args: &[&str]| {
        env.cmd(args)
            .env(
                "VAULTJWT_TOKEN",
                t["auth"]["client_token"].as_str().unwrap(),
            )
            .run()
    };
    as_token(&plain, &["list", "auth/token/accessors"])
        .code(2)
        .stderr_has("Code: 403. Errors:\n\n* 1 error occurred:\n\t* permission denied");
    let listed = keys(as_token(&sudo, &["list", "-format=json", "auth/token/accessors"]).success());
    assert_eq!(listed.len(), 3);
    // Other operations on the path are unsupported.
    env.run(&["read", "auth/token/accessors"])
        .code(2)
        .stderr_has("Code: 405. Errors:\n\n* 1 error occurred:\n\t* unsupported operation");
}

#[test]
fn blank_accessor_looks_up_the_caller() {
    let env = TestEnv::new();
    let t = create(&env, &["-policy=default", "-display-name=me"]);
    let out = env
        .cmd(&["token", "lookup", "-format=json", "-accessor", " "])
        .env(
            "VAULTJWT_TOKEN",
            t["auth"]["client_token"].as_str().unwrap(),
        )
        .run();
    let l = out.success().json();
    assert_eq!(l["data"]["display_name"], "token-me");
    env.run(&["token", "lookup", "-accessor"])
        .code(1)
        .stderr_has("Not enough arguments with -accessor (expected 1, got 0)");
}

#[test]
fn explain_is_unsupported_by_hand_in_strict_mode() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    env.cmd(&["write", "auth/jwt/explain", "role=r", "jwt=x"])
        .env("VAULTJWT_COMPAT", "openbao")
        .run()
        .code(2)
        .stderr_has("Error writing data to auth/jwt/explain: Error making API request.\n\nCode: 404. Errors:\n\n* 1 error occurred:\n\t* unsupported path\n");
    // Default mode keeps it, and `jwt explain` reaches it in both modes.
    env.run(&[
        "write",
        "-format=json",
        "auth/jwt/explain",
        "role=r",
        "jwt=x",
    ])
    .success()
    .stdout_has("\"checks\"");
    let out = env
        .cmd(&["jwt", "explain", "-format=json", "role=r", "jwt=x"])
        .env("VAULTJWT_COMPAT", "openbao")
        .run();
    assert!(out.stdout.contains("\"checks\""), "{out:?}");
}
