//! End-to-end tests of `policy ...` and the capabilities endpoints through the binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const APP: &str = "path \"secret/data/app/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n\npath \"secret/data/app/admin\" {\n  capabilities = [\"deny\"]\n}\n";

fn cmd(home: &Path) -> Command {
    let mut c = Command::from(crate::common::command(home));
    c.env("VAULTJWT_HOME", home)
        .env("HOME", home)
        .env_remove("VAULTJWT_TOKEN")
        .env_remove("VAULTJWT_COMPAT")
        .env_remove("VAULTJWT_FORMAT")
        .current_dir(home);
    c
}

fn json_out(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON output")
}

/// Creates a token with `policies` directly in the data directory's storage.
fn make_token(home: &Path, policies: &[&str]) -> String {
    let storage = vaultjwt::storage::FileStorage::open(&home.join("storage"), true).unwrap();
    let (token, _) = vaultjwt::token::create(
        &storage,
        vaultjwt::token::NewToken {
            policies: policies.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        },
        chrono::Utc::now().timestamp(),
    )
    .unwrap();
    token
}

#[test]
fn policy_crud_as_root() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    std::fs::write(h.join("app.hcl"), APP).unwrap();

    cmd(h)
        .args(["policy", "write", "App", "app.hcl"])
        .assert()
        .success()
        .stdout("Success! Uploaded policy: app\n");
    cmd(h)
        .args(["policy", "read", "app"])
        .assert()
        .success()
        .stdout(format!("{}\n", APP.trim()));
    let out = cmd(h)
        .args(["policy", "read", "-format=json", "app"])
        .assert()
        .success();
    assert_eq!(
        json_out(&out.get_output().stdout),
        serde_json::json!({"policy": APP})
    );
    let out = cmd(h)
        .args(["read", "-format=json", "sys/policy/app"])
        .assert()
        .success();
    let v = json_out(&out.get_output().stdout);
    assert_eq!(v["data"]["rules"], APP);
    assert_eq!(v["data"]["version"], 1);

    cmd(h)
        .args(["policy", "write", "ops", "-"])
        .write_stdin("path \"sys/*\" { capabilities = [\"sudo\", \"read\"] }\n")
        .assert()
        .success()
        .stdout("Success! Uploaded policy: ops\n");
    cmd(h)
        .args(["policy", "list"])
        .assert()
        .success()
        .stdout("app\ndefault\nops\nroot\n");
    let out = cmd(h)
        .args(["policy", "list", "-format=json"])
        .assert()
        .success();
    assert_eq!(
        json_out(&out.get_output().stdout),
        serde_json::json!(["app", "default", "ops", "root"])
    );

    cmd(h)
        .args(["policy", "write", "root", "app.hcl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Error uploading policy: Error making API request.",
        ))
        .stderr(predicate::str::contains("Code: 400. Errors:"))
        .stderr(predicate::str::contains("* cannot update \"root\" policy"));
    cmd(h)
        .args(["policy", "delete", "default"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Error deleting default: Error making API request.",
        ))
        .stderr(predicate::str::contains("* cannot delete default policy"));

    std::fs::write(
        h.join("bad.hcl"),
        "path \"secret/*\" {\n  capabilities = [\"read\"\n}\n",
    )
    .unwrap();
    cmd(h)
        .args(["policy", "write", "bad", "bad.hcl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "* failed to parse policy: At 3:1: error parsing list, expected comma or list end, got: RBRACE",
        ));
    cmd(h)
        .args(["policy", "write", "bad", "missing.hcl"])
        .assert()
        .code(2)
        .stderr("Error opening policy file: open missing.hcl: no such file or directory\n");

    cmd(h)
        .args(["policy", "delete", "ops"])
        .assert()
        .success()
        .stdout("Success! Deleted policy: ops\n");
    cmd(h)
        .args(["policy", "read", "ops"])
        .assert()
        .code(2)
        .stderr("No policy named: ops\n");
    cmd(h)
        .args(["policy", "read", "root"])
        .assert()
        .code(2)
        .stderr("No policy named: root\n");
    // The default policy is there from the start.
    cmd(h)
        .args(["policy", "read", "default"])
        .assert()
        .success()
        .stdout(predicate::str::contains("path \"auth/token/lookup-self\""));
}

#[test]
fn capabilities_self_and_acl_denials() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    std::fs::write(h.join("app.hcl"), APP).unwrap();
    cmd(h)
        .args(["policy", "write", "app-reader", "app.hcl"])
        .assert()
        .success();

    let out = cmd(h)
        .args([
            "write",
            "-format=json",
            "sys/capabilities-self",
            "paths=secret/data/app/x,auth/token/lookup-self",
        ])
        .assert()
        .success();
    let v = json_out(&out.get_output().stdout);
    assert_eq!(v["data"]["secret/data/app/x"], serde_json::json!(["root"]));

    let token = make_token(h, &["app-reader", "default"]);
    let out = cmd(h)
        .env("VAULTJWT_TOKEN", &token)
        .args([
            "write",
            "-format=json",
            "sys/capabilities-self",
            "paths=secret/data/app/config,secret/data/app/admin,secret/data/other,auth/token/lookup-self",
        ])
        .assert()
        .success();
    let v = json_out(&out.get_output().stdout);
    assert_eq!(
        v["data"],
        serde_json::json!({
            "auth/token/lookup-self": ["read"],
            "secret/data/app/admin": ["deny"],
            "secret/data/app/config": ["list", "read"],
            "secret/data/other": ["deny"],
        })
    );

    // Root asks about the token.
    let out = cmd(h)
        .args([
            "write",
            "-format=json",
            "sys/capabilities",
            &format!("token={token}"),
            "path=secret/data/app/x",
        ])
        .assert()
        .success();
    let v = json_out(&out.get_output().stdout);
    assert_eq!(
        v["data"]["capabilities"],
        serde_json::json!(["list", "read"])
    );

    // The token may not read policies, nor enable auth methods (sudo-protected).
    cmd(h)
        .env("VAULTJWT_TOKEN", &token)
        .args(["policy", "read", "app-reader"])
        .assert()
        .code(2)
        .stderr(
            "Error reading policy named app-reader: Error making API request.\n\n\
             Code: 403. Errors:\n\n\
             * 1 error occurred:\n\t* permission denied\n\n\n",
        );
    cmd(h)
        .env("VAULTJWT_TOKEN", &token)
        .args(["policy", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Error listing policies"))
        .stderr(predicate::str::contains("Code: 403."));
    cmd(h)
        .env("VAULTJWT_TOKEN", "s.not-a-token")
        .args(["policy", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("* permission denied"))
        .stderr(predicate::str::contains("error occurred").not());
}

#[test]
fn policy_fmt_rewrites_in_place() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    std::fs::write(
        h.join("p.hcl"),
        "# reader\npath \"a/*\" {\ncapabilities=[\"read\",\"list\"]\n}\npath \"b\" { capabilities = [\"deny\"] }\n",
    )
    .unwrap();
    cmd(h)
        .args(["policy", "fmt", "p.hcl"])
        .assert()
        .success()
        .stdout("Success! Formatted policy: p.hcl\n");
    assert_eq!(
        std::fs::read_to_string(h.join("p.hcl")).unwrap(),
        "# reader\npath \"a/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n\npath \"b\" {\n  capabilities = [\"deny\"]\n}\n"
    );
    std::fs::write(
        h.join("bad.hcl"),
        "path \"a\" { capabilities = [\"fly\"] }\n",
    )
    .unwrap();
    cmd(h)
        .args(["policy", "fmt", "bad.hcl"])
        .assert()
        .code(1)
        .stderr("failed to parse policy: path \"a\": path \"a\": invalid capability \"fly\"\n");
    // The bad file is left alone.
    assert_eq!(
        std::fs::read_to_string(h.join("bad.hcl")).unwrap(),
        "path \"a\" { capabilities = [\"fly\"] }\n"
    );
}
