//! The token store and the `token`/`login` commands, driven through the binary.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

struct Env {
    home: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, token: Option<&str>) -> Command {
        let mut c = Command::from(crate::common::command(self.home.path()));
        c.env("VAULTJWT_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env_remove("VAULTJWT_TOKEN")
            .env_remove("VAULTJWT_COMPAT")
            .env_remove("VAULTJWT_FORMAT");
        if let Some(t) = token {
            c.env("VAULTJWT_TOKEN", t);
        }
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    fn run(&self, token: Option<&str>, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd(token).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, token: Option<&str>, args: &[&str]) -> Value {
        let (code, out, err) = self.run(token, args);
        assert_eq!(code, 0, "{args:?} failed: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// The root token (the operator's token, written to the helper on first use).
    fn root(&self) -> String {
        let v = self.json(None, &["token", "lookup", "-format=json"]);
        v["data"]["id"].as_str().unwrap().to_string()
    }

    /// Creates a token as `as_token` (the helper's token when `None`); returns (token, accessor).
    fn create(&self, as_token: Option<&str>, extra: &[&str]) -> (String, String) {
        let mut args = vec!["token", "create", "-format=json"];
        args.extend_from_slice(extra);
        let v = self.json(as_token, &args);
        (
            v["auth"]["client_token"].as_str().unwrap().to_string(),
            v["auth"]["accessor"].as_str().unwrap().to_string(),
        )
    }

    fn lookup(&self, token: &str) -> (i32, String, String) {
        self.run(None, &["token", "lookup", "-format=json", token])
    }
}

fn all_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn create_then_lookup_shows_vault_fields() {
    let env = Env::new();
    let (tok, acc) = env.create(
        None,
        &[
            "-policy=app",
            "-ttl=1h",
            "-display-name=My App",
            "-metadata=team=ops",
        ],
    );
    let v = env.json(None, &["token", "lookup", "-format=json", &tok]);
    let d = &v["data"];
    assert_eq!(d["id"], tok.as_str());
    assert_eq!(d["accessor"], acc.as_str());
    assert_eq!(d["policies"], serde_json::json!(["app", "default"]));
    assert_eq!(d["display_name"], "token-My-App");
    assert_eq!(d["creation_ttl"], 3600);
    assert!(d["ttl"].as_i64().unwrap() > 3500);
    assert_eq!(d["meta"]["team"], "ops");
    assert_eq!(d["orphan"], false);
    assert_eq!(d["path"], "auth/token/create");
    assert_eq!(d["type"], "service");
    assert_eq!(d["renewable"], true);
    assert!(d["expire_time"].is_string());
    // By accessor: same token, id hidden.
    let a = env.json(
        None,
        &["token", "lookup", "-format=json", "-accessor", &acc],
    );
    assert_eq!(a["data"]["id"], "");
    assert_eq!(a["data"]["display_name"], "token-My-App");
}

#[test]
fn root_lookup_never_expires() {
    let env = Env::new();
    let v = env.json(None, &["token", "lookup", "-format=json"]);
    assert_eq!(v["data"]["policies"], serde_json::json!(["root"]));
    assert_eq!(v["data"]["expire_time"], Value::Null);
    assert_eq!(v["data"]["ttl"], 0);
    assert_eq!(v["data"]["path"], "auth/token/root");
}

#[test]
fn expired_token_is_rejected() {
    let env = Env::new();
    let (tok, _) = env.create(None, &["-ttl=1s"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (code, _, err) = env.run(Some(&tok), &["token", "lookup"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Code: 403") && err.contains("* permission denied"),
        "{err}"
    );
    let (code, _, err) = env.lookup(&tok);
    assert_eq!(code, 2);
    assert!(
        err.contains("Error looking up token") && err.contains("* bad token"),
        "{err}"
    );
}

#[test]
fn use_limit_counts_down_then_permission_denied() {
    let env = Env::new();
    let (tok, _) = env.create(None, &["-use-limit=2"]);
    assert_eq!(
        env.json(None, &["token", "lookup", "-format=json", &tok])["data"]["num_uses"],
        2
    );
    let first = env.json(Some(&tok), &["token", "lookup", "-format=json"]);
    assert_eq!(first["data"]["num_uses"], 1);
    let second = env.json(Some(&tok), &["token", "lookup", "-format=json"]);
    assert_eq!(second["data"]["num_uses"], -1);
    let (code, _, err) = env.run(Some(&tok), &["token", "lookup", "-format=json"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("Error looking up token: Error making API request.")
            && err.contains("Code: 403. Errors:")
            && err.contains("* permission denied"),
        "{err}"
    );
}

#[test]
fn revoking_a_parent_revokes_its_children() {
    let env = Env::new();
    let (parent, _) = env.create(None, &[]);
    let (child, _) = env.create(Some(&parent), &[]);
    let (grandchild, _) = env.create(Some(&child), &[]);
    let (orphan, _) = env.create(Some(&parent), &["-orphan"]);
    let (code, out, _) = env.run(None, &["token", "revoke", &parent]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "Success! Revoked token (if it existed)");
    for t in [&parent, &child, &grandchild] {
        assert_eq!(env.lookup(t).0, 2, "{t} survived its parent");
    }
    assert_eq!(env.lookup(&orphan).0, 0);
}

#[test]
fn revoke_mode_orphan_keeps_children() {
    let env = Env::new();
    let (parent, _) = env.create(None, &[]);
    let (child, _) = env.create(Some(&parent), &[]);
    assert_eq!(
        env.run(None, &["token", "revoke", "-mode=orphan", &parent])
            .0,
        0
    );
    assert_eq!(env.lookup(&parent).0, 2);
    let v = env.json(None, &["token", "lookup", "-format=json", &child]);
    assert_eq!(v["data"]["orphan"], true);
}

#[test]
fn revoke_by_accessor_and_self() {
    let env = Env::new();
    let (a, acc) = env.create(None, &[]);
    assert_eq!(env.run(None, &["token", "revoke", "-accessor", &acc]).0, 0);
    assert_eq!(env.lookup(&a).0, 2);
    let (b, _) = env.create(None, &[]);
    assert_eq!(env.run(Some(&b), &["token", "revoke", "-self"]).0, 0);
    assert_eq!(env.lookup(&b).0, 2);
    let (code, _, err) = env.run(None, &["token", "revoke", "-self", "-accessor"]);
    assert_eq!(code, 1);
    assert!(err.contains("Cannot use -self with -accessor!"), "{err}");
}

#[test]
fn child_policies_must_be_subset_and_batch_rules() {
    let env = Env::new();
    let (limited, _) = env.create(None, &["-policy=app"]);
    // A non-root parent cannot widen its policies (nor, without ACLs, reach the endpoint).
    let (code, _, err) = env.run(Some(&limited), &["token", "create", "-policy=other"]);
    assert_eq!(code, 2);
    assert!(err.contains("Error creating token"), "{err}");
    let (code, _, err) = env.run(None, &["token", "create", "-type=batch", "-use-limit=3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("* batch tokens cannot have \"num_uses\" set"),
        "{err}"
    );
    let (code, _, err) = env.run(None, &["token", "create", "-type=nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("* invalid 'token_type' value"), "{err}");
    let v = env.json(
        None,
        &[
            "token",
            "create",
            "-format=json",
            "-type=batch",
            "-policy=app",
        ],
    );
    assert_eq!(v["auth"]["accessor"], "");
    assert_eq!(v["auth"]["renewable"], false);
    let b = v["auth"]["client_token"].as_str().unwrap();
    let l = env.json(None, &["token", "lookup", "-format=json", b]);
    assert_eq!(l["data"]["type"], "batch");
    let (code, _, err) = env.run(None, &["token", "renew", b]);
    assert_eq!(code, 2);
    assert!(err.contains("* batch tokens cannot be renewed"), "{err}");
}

#[test]
fn renew_applies_increment_within_max() {
    let env = Env::new();
    let (tok, _) = env.create(None, &["-ttl=10m", "-explicit-max-ttl=1h"]);
    let v = env.json(
        None,
        &["token", "renew", "-format=json", "-increment=30m", &tok],
    );
    assert_eq!(v["auth"]["lease_duration"], 1800);
    let v = env.json(
        None,
        &["token", "renew", "-format=json", "-increment=5h", &tok],
    );
    let ttl = v["auth"]["lease_duration"].as_i64().unwrap();
    assert!(ttl <= 3600 && ttl > 3500, "{ttl}");
    let w = v["warnings"][0].as_str().unwrap();
    assert!(w.contains("exceeded the effective max_ttl"), "{w}");
    let l = env.json(None, &["token", "lookup", "-format=json", &tok]);
    assert!(l["data"]["last_renewal_time"].is_i64());
    // The root token does not expire, so it cannot be renewed.
    let (code, _, err) = env.run(None, &["token", "renew"]);
    assert_eq!(code, 2);
    assert!(err.contains("Error renewing token"), "{err}");
}

#[test]
fn login_stores_token_and_env_token_still_wins() {
    let env = Env::new();
    let root = env.root();
    // A child of root (root policy) with a TTL: until ACLs land, only root may look itself up.
    let (tok, _) = env.create(None, &["-ttl=1h", "-display-name=cli"]);
    let (code, out, err) = env.run(None, &["login", &tok]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Success! You are now authenticated."),
        "{out}"
    );
    assert!(out.contains("\"vaultjwt login\""), "{out}");
    assert!(out.contains(&tok));
    let helper = std::fs::read_to_string(env.home.path().join("token")).unwrap();
    assert_eq!(helper.trim(), tok);
    let v = env.json(None, &["token", "lookup", "-format=json"]);
    assert_eq!(v["data"]["id"], tok.as_str());
    assert_eq!(v["data"]["display_name"], "token-cli");
    // The environment variable takes precedence over the helper.
    let v = env.json(Some(&root), &["token", "lookup", "-format=json"]);
    assert_eq!(v["data"]["id"], root.as_str());
    assert_eq!(v["data"]["policies"], serde_json::json!(["root"]));
}

#[test]
fn login_token_only_does_not_store() {
    let env = Env::new();
    let root = env.root();
    let (tok, _) = env.create(None, &[]);
    let (code, out, _) = env.run(None, &["login", "-token-only", &tok]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), tok);
    let helper = std::fs::read_to_string(env.home.path().join("token")).unwrap();
    assert_eq!(helper.trim(), root);
    // From stdin, and a bad token is refused.
    let out = env
        .cmd(None)
        .args(["login", "-no-store", "-field=token_policies", "-"])
        .write_stdin(format!("{tok}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[root]");
    let (code, _, err) = env.run(None, &["login", "s.doesnotexist"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Error authenticating: error looking up token")
            && err.contains("* permission denied"),
        "{err}"
    );
}

#[test]
fn login_unknown_method_and_strict_jwt() {
    let env = Env::new();
    env.run(None, &["auth", "list"]); // initialised first: its root token banner is not the point
    let (code, _, err) = env.run(None, &["login", "-method=userpass", "username=x"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("Unknown auth method: userpass."), "{err}");
    let out = env
        .cmd(None)
        .env("VAULTJWT_COMPAT", "openbao")
        .args(["login", "-method=jwt", "role=r", "jwt=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Unknown auth method: jwt."));
}

#[test]
fn no_plaintext_token_in_storage() {
    let env = Env::new();
    let root = env.root();
    // (The accessor is kept in the entry, as Vault does: lookups show it, and it does not
    // authenticate.)
    let (tok, _) = env.create(None, &["-ttl=1h"]);
    let (child, _) = env.create(Some(&tok), &["-ttl=10m"]);
    let mut files = Vec::new();
    all_files(&env.home.path().join("storage"), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let name = f.to_string_lossy().into_owned();
        let body = std::fs::read(&f).unwrap();
        let body = String::from_utf8_lossy(&body);
        for secret in [&root, &tok, &child] {
            let bare = secret.trim_start_matches("s.");
            assert!(!name.contains(bare), "{secret} in file name {name}");
            assert!(!body.contains(bare), "{secret} in {name}");
        }
    }
}

#[test]
fn capabilities_and_argument_errors() {
    let env = Env::new();
    let (code, _, err) = env.run(None, &["token", "capabilities"]);
    assert_eq!(code, 1);
    assert!(err.contains("Not enough arguments (expected 1-2, got 0)"));
    let (code, _, err) = env.run(None, &["token", "lookup", "a", "b"]);
    assert_eq!(code, 1);
    assert!(err.contains("Too many arguments (expected 0-1, got 2)"));
    let (code, _, err) = env.run(None, &["token", "revoke"]);
    assert_eq!(code, 1);
    assert!(err.contains("Not enough arguments (expected 1 or -self, got 0)"));
    let (code, _, err) = env.run(None, &["token", "revoke", "-mode=bogus", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("Invalid mode: bogus"), "{err}");
    let (code, _, err) = env.run(None, &["token", "lookup", "-accessor"]);
    assert_eq!(code, 1);
    assert!(err.contains("Not enough arguments with -accessor (expected 1, got 0)"));
    let (code, _, err) = env.run(None, &["token", "create", "x"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Too many arguments (expected 0, got 1)"),
        "{err}"
    );
    let (code, _, err) = env.run(None, &["token", "renew", "a", "b"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Too many arguments (expected 1, got 2)"),
        "{err}"
    );
}

#[test]
fn login_jwt_default_mode_posts_to_the_mount() {
    let env = Env::new();
    env.root();
    // Nothing is mounted at auth/nothere: the request itself fails, reported as Vault does.
    let (code, out, err) = env.run(
        None,
        &["login", "-method=jwt", "-path=nothere", "role=r", "jwt=x"],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.starts_with("Error authenticating: Error making API request."),
        "{err}"
    );
    assert!(out.is_empty());
}

#[test]
fn login_no_store_warns_and_keeps_the_helper() {
    let env = Env::new();
    let root = env.root();
    let (tok, _) = env.create(None, &["-ttl=1h"]);
    let (code, out, err) = env.run(None, &["login", "-no-store", "-format=json", &tok]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("The token was not stored in token helper."),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["auth"]["client_token"], tok.as_str());
    assert_eq!(
        v["auth"]["lease_duration"].as_i64().map(|d| d > 3500),
        Some(true)
    );
    let helper = std::fs::read_to_string(env.home.path().join("token")).unwrap();
    assert_eq!(helper.trim(), root);
}
