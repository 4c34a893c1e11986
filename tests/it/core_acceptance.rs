//! Issue 2, "Done when", through the binary: `token capabilities` against Vault's policy
//! documentation examples; 16 processes enabling mounts and creating tokens at once; `token
//! lookup` of root with `VAULTJWT_TOKEN` after a `login`; modes 0600/0700; no token in
//! plaintext in the data directory.
//!
//! (The matcher's unit tests are in src/policy/mod.rs: `docs_examples`, `priority_rules`,
//! `same_path_merges_and_deny_wins`; here the same rules go through policy write, token
//! create and `token capabilities`, across several policies of one token.)

use crate::common;

use common::{files_below, setup_jwt_mount, snapshot, TestEnv};
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;

fn root_of(env: &TestEnv) -> String {
    env.run(&["token", "lookup", "-format=json"])
        .success()
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn write_policy(env: &TestEnv, name: &str, hcl: &str) {
    env.cmd(&["policy", "write", name, "-"])
        .stdin(hcl)
        .run()
        .success();
}

fn create_token(env: &TestEnv, policies: &[&str]) -> String {
    let mut args = vec!["token", "create", "-field=token"];
    let flags: Vec<String> = policies.iter().map(|p| format!("-policy={p}")).collect();
    args.extend(flags.iter().map(String::as_str));
    env.run(&args).success().stdout.trim().to_string()
}

#[test]
fn token_capabilities_follow_the_policy_docs() {
    let env = TestEnv::new();
    // The issue's own example.
    write_policy(
        &env,
        "p",
        "path \"secret/data/app/*\" {\n  capabilities = [\"read\"]\n}\n",
    );
    // Vault's "Policies" page: exact paths, `*` prefixes, `+` segments.
    write_policy(
        &env,
        "docs",
        r#"
# Only "secret/foo": not "secret/food" nor "secret/foo/bar".
path "secret/foo" { capabilities = ["read"] }
# Everything under "secret/bar/": "secret/bar/zip", "secret/bar/zip/zap", not "secret/bars/zip".
path "secret/bar/*" { capabilities = ["read", "list"] }
# Everything prefixed "secret/zip-": "secret/zip-zap", "secret/zip-zap/zong", not "secret/zip/zap".
path "secret/zip-*" { capabilities = ["create", "update"] }
# One segment wildcard: "secret/foo/teamb", not "secret/foo/bar/teamb".
path "secret/+/teamb" { capabilities = ["delete"] }
# Two: "secret/foo/bar/teamc", "secret/bar/foo/teamc".
path "secret/+/+/teamc" { capabilities = ["patch"] }
# "+" then "*"
path "secret/+/team*" { capabilities = ["list"] }
# The "Priority matching" example: secret/* vs secret/+/* ...
path "prio/*" { capabilities = ["read"] }
path "prio/+/*" { capabilities = ["update"] }
# ... a later first wildcard wins, a non-glob beats a glob, fewer "+" win, longer wins.
path "prio/a/+" { capabilities = ["list"] }
path "prio/a/b*" { capabilities = ["delete"] }
path "prio/+/+/c" { capabilities = ["create"] }
path "prio/x/+/c" { capabilities = ["patch"] }
"#,
    );
    // Deny overrides every grant on the same path, from any policy; a more specific grant
    // is not overridden by a deny on a wider glob.
    write_policy(
        &env,
        "deny",
        r#"
path "secret/data/app/private" { capabilities = ["deny"] }
path "shared/x" { capabilities = ["deny"] }
path "wide/*" { capabilities = ["deny"] }
path "secret/foo" { capabilities = ["update"] }
"#,
    );
    write_policy(
        &env,
        "grant",
        r#"
path "shared/x" { capabilities = ["read", "update", "sudo"] }
path "wide/exact" { capabilities = ["read"] }
path "wide/sub/*" { capabilities = ["list"] }
"#,
    );

    let only_p = create_token(&env, &["p"]);
    let all = create_token(&env, &["p", "docs", "deny", "grant"]);
    let table: &[(&str, &str, &str)] = &[
        // (token, path, answer)
        ("p", "secret/data/app/x", "read"),
        ("p", "secret/data/app/x/y", "read"),
        ("p", "secret/data/app/", "read"),
        ("p", "secret/data/app", "deny"),
        ("p", "secret/data/other", "deny"),
        ("p", "secret/foo", "deny"),
        // the token's own default policy
        ("p", "auth/token/lookup-self", "read"),
        ("p", "sys/capabilities-self", "update"),
        ("all", "secret/data/app/x", "read"),
        ("all", "secret/data/app/private", "deny"),
        // exact: read from docs and update from deny merge
        ("all", "secret/foo", "read, update"),
        ("all", "secret/food", "deny"),
        ("all", "secret/foo/bar", "deny"),
        ("all", "secret/bar/zip", "list, read"),
        ("all", "secret/bar/zip/zap", "list, read"),
        ("all", "secret/bar/", "list, read"),
        ("all", "secret/bars/zip", "deny"),
        ("all", "secret/zip-zap", "create, update"),
        ("all", "secret/zip-zap/zong", "create, update"),
        ("all", "secret/zip/zap", "deny"),
        ("all", "secret/foo/teamb", "delete"),
        ("all", "secret/foo/bar/teamb", "deny"),
        ("all", "secret/foo/bar/teamc", "patch"),
        // secret/+/+/teamc matches too, but secret/bar/* has its first wildcard later
        ("all", "secret/bar/foo/teamc", "list, read"),
        ("all", "secret/baz/foo/teamc", "patch"),
        // secret/+/team* matches; secret/+/teamb (no glob) wins for teamb, the glob for teamz
        ("all", "secret/x/teamz", "list"),
        // priority
        ("all", "prio/q", "read"),
        // same first wildcard, both globs: fewer "+" segments win
        ("all", "prio/q/r", "read"),
        ("all", "prio/a/z", "list"),
        ("all", "prio/a/bc", "delete"),
        // the glob of prio/a/b* comes after the "+" of prio/a/+
        ("all", "prio/a/b", "delete"),
        ("all", "prio/y/z/c", "create"),
        ("all", "prio/x/z/c", "patch"),
        // deny
        ("all", "shared/x", "deny"),
        ("all", "wide/exact", "read"),
        ("all", "wide/other", "deny"),
        ("all", "wide/sub/thing", "list"),
        ("all", "nothing/here", "deny"),
    ];
    let mut failures = Vec::new();
    for (who, path, want) in table {
        let token = if *who == "p" { &only_p } else { &all };
        let got = env.run(&["token", "capabilities", token, path]);
        got.success();
        if got.stdout.trim_end() != *want {
            failures.push(format!("{who} {path}: want {want:?}, got {:?}", got.stdout));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // The self form (capabilities-self) answers the same for the token's own paths.
    env.cmd(&["token", "capabilities", "secret/data/app/x"])
        .env("VAULTJWT_TOKEN", &only_p)
        .run()
        .success()
        .stdout_is("read\n");
    // root is root everywhere.
    env.run(&["token", "capabilities", "anything/at/all"])
        .success()
        .stdout_is("root\n");
}

/// Every `.json` state file below `root` parses; returns how many.
fn all_state_parses(root: &Path) -> usize {
    let mut n = 0;
    for f in files_below(root) {
        if f.extension().is_some_and(|e| e == "json") {
            let bytes = std::fs::read(&f).unwrap();
            serde_json::from_slice::<Value>(&bytes)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", f.display()));
            n += 1;
        }
    }
    n
}

#[test]
fn sixteen_processes_enable_mounts_and_create_tokens_at_once() {
    let env = TestEnv::new();
    // Nothing initialised yet: the first of them initialises, the others wait for it.
    let mut children = Vec::new();
    for i in 0..16 {
        for args in [
            vec![
                "auth".to_string(),
                "enable".into(),
                format!("-path=p{i}"),
                "jwt".into(),
            ],
            vec![
                "token".to_string(),
                "create".into(),
                "-field=token".into(),
                format!("-display-name=t{i}"),
            ],
        ] {
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut c = env.cmd(&argv).cmd;
            c.stdout(Stdio::piped()).stderr(Stdio::piped());
            children.push((args.clone(), c.spawn().unwrap()));
        }
    }
    let mut tokens = Vec::new();
    for (args, c) in children {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if args[0] == "token" {
            tokens.push(String::from_utf8(o.stdout).unwrap());
        }
    }
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    for i in 0..16 {
        assert_eq!(v[format!("p{i}/")]["type"], "jwt", "p{i}/ missing: {v}");
    }
    assert_eq!(v.as_object().unwrap().len(), 17, "{v}");
    // One root token, 16 distinct children of it, each found.
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 16);
    let root = root_of(&env);
    let mut names = Vec::new();
    for t in &tokens {
        let l = env
            .run(&["token", "lookup", "-format=json", t])
            .success()
            .json();
        assert_eq!(l["data"]["policies"], serde_json::json!(["root"]));
        names.push(l["data"]["display_name"].as_str().unwrap().to_string());
    }
    names.sort();
    let mut want: Vec<String> = (0..16).map(|i| format!("token-t{i}")).collect();
    want.sort();
    assert_eq!(names, want);
    assert!(all_state_parses(&env.storage()) > 17 * 2);
    assert!(!tokens.contains(&root));
}

#[test]
fn root_lookup_with_the_environment_after_login_of_another_token() {
    let env = TestEnv::new();
    let root = root_of(&env);
    write_policy(
        &env,
        "reader",
        "path \"secret/*\" { capabilities = [\"read\"] }\n",
    );
    let other = create_token(&env, &["reader"]);
    env.run(&["login", &other]).success();
    assert_eq!(
        std::fs::read_to_string(env.data.join("token"))
            .unwrap()
            .trim(),
        other
    );
    // The helper's token is the other one now: not root, denied admin commands.
    let me = env
        .run(&["token", "lookup", "-format=json"])
        .success()
        .json();
    assert_eq!(me["data"]["id"], other.as_str());
    env.run(&["token", "lookup", "-format=json", &root])
        .code(2)
        .stderr_has("permission denied");
    env.run(&["auth", "enable", "jwt"])
        .code(2)
        .stderr_has("permission denied");
    // VAULTJWT_TOKEN wins over the helper.
    for args in [
        vec!["token", "lookup", "-format=json"],
        vec!["token", "lookup", "-format=json", root.as_str()],
    ] {
        let v = env
            .cmd(&args)
            .env("VAULTJWT_TOKEN", &root)
            .run()
            .success()
            .json();
        assert_eq!(v["data"]["id"], root.as_str());
        assert_eq!(v["data"]["policies"], serde_json::json!(["root"]));
        assert_eq!(v["data"]["ttl"], 0);
    }
    env.cmd(&["auth", "enable", "jwt"])
        .env("VAULTJWT_TOKEN", &root)
        .run()
        .success();
    // The helper still holds the other token.
    assert_eq!(
        std::fs::read_to_string(env.data.join("token"))
            .unwrap()
            .trim(),
        other
    );
}

#[test]
fn private_modes_and_no_plaintext_token_in_the_data_directory() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let root = root_of(&env);
    setup_jwt_mount(&env, "v");
    write_policy(
        &env,
        "p",
        "path \"x/*\" { capabilities = [\"read\"] }\n\
         path \"auth/token/create\" { capabilities = [\"update\"] }\n",
    );
    let created = create_token(&env, &["p"]);
    let child = env
        .cmd(&["token", "create", "-field=token", "-ttl=1h"])
        .env("VAULTJWT_TOKEN", &created)
        .run()
        .success()
        .stdout
        .trim()
        .to_string();
    let batch = env
        .run(&[
            "token",
            "create",
            "-field=token",
            "-type=batch",
            "-policy=p",
        ])
        .success()
        .stdout
        .trim()
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let jwt = {
        use base64::Engine;
        let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let input = format!(
            "{}.{}",
            b(r#"{"alg":"RS256"}"#),
            b(&format!(
                r#"{{"sub":"alice","aud":"v","iat":{},"exp":{}}}"#,
                now - 5,
                now + 600
            ))
        );
        let pem = std::fs::read(format!(
            "{}/tests/fixtures/keys/rsa2048.key",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let k = jsonwebtoken::EncodingKey::from_rsa_pem(&pem).unwrap();
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &k, jsonwebtoken::Algorithm::RS256)
            .unwrap();
        format!("{input}.{sig}")
    };
    let login = env
        .run(&[
            "login",
            "-method=jwt",
            "-field=token",
            "role=r",
            &format!("jwt={jwt}"),
        ])
        .success()
        .stdout
        .trim()
        .to_string();
    let renewed = env
        .cmd(&["token", "renew", "-format=json"])
        .env("VAULTJWT_TOKEN", &created)
        .run();
    renewed.success();

    let helper = env.data.join("token");
    let snap = snapshot(&env.data);
    assert!(snap.len() > 10, "{snap:?}");
    for (path, (mode, bytes)) in &snap {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{} has mode {mode:o}", path.display());
        // The helper holds the current token (the login's) and nothing else; no other file
        // holds any token, in its name or its bytes.
        let holds_current = *path == helper;
        for (what, t) in [
            ("root", &root),
            ("created", &created),
            ("child", &child),
            ("batch", &batch),
            ("login", &login),
        ] {
            let bare = t.trim_start_matches("s.").trim_start_matches("b.");
            assert!(bare.len() >= 16, "{what} token {t:?}");
            let name = path.to_string_lossy();
            assert!(!name.contains(bare), "{what} token in the name {name}");
            let found = bytes.windows(bare.len()).any(|w| w == bare.as_bytes());
            let allowed = holds_current && what == "login";
            assert_eq!(
                found,
                allowed,
                "{what} token {} in {}",
                if found { "found" } else { "not found" },
                path.display()
            );
        }
    }
    let m = std::fs::metadata(&helper).unwrap().permissions().mode() & 0o777;
    assert_eq!(m, 0o600);
    // the JWT itself is not stored either
    let sig = jwt.rsplit('.').next().unwrap();
    for (path, (_, bytes)) in &snap {
        assert!(
            !bytes.windows(sig.len()).any(|w| w == sig.as_bytes()),
            "the JWT is stored in {}",
            path.display()
        );
    }
}
