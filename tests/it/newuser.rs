//! What a new user trips on (issue 19): each test drives the binary as the user did, README in
//! hand, knowing the vault CLI.

use crate::common;

use common::TestEnv;

/// The walkthrough's set-up: a key pair, a jwt mount trusting it, a `ci` role and a token the
/// role accepts (in `token.jwt`). Returns the root token printed by the first command.
fn walkthrough(env: &TestEnv) -> String {
    let out = env.run(&["jwt", "keygen", "-alg=ES256", "-kid=k1", "-out=idp"]);
    out.success();
    let first = env.run(&["auth", "enable", "jwt"]);
    first.success();
    let root = first
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Root Token: "))
        .unwrap_or_else(|| panic!("no root token on stderr: {:?}", first.stderr))
        .to_string();
    env.run(&[
        "write",
        "auth/jwt/config",
        "jwt_validation_pubkeys=@idp.public.pem",
    ])
    .success();
    env.run(&[
        "write",
        "auth/jwt/role/ci",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=deploy",
    ])
    .success();
    let jwt = env.run(&[
        "jwt",
        "sign",
        "-key=@idp.private.pem",
        "-kid=k1",
        "-claim",
        "sub=alice",
        "-claim",
        "aud=vault",
    ]);
    jwt.success();
    std::fs::write(env.home.path().join("token.jwt"), jwt.stdout.trim()).unwrap();
    root
}

#[test]
fn the_first_command_shows_the_root_token_once_and_the_owner_can_get_root_back() {
    let env = TestEnv::new();
    let root = walkthrough(&env);
    assert_eq!(
        root,
        env.root_token(),
        "the printed token is the stored one"
    );
    env.run(&["token", "lookup", "-field=policies"])
        .success()
        .stdout_is("[root]");
    // Shown once: later commands print nothing of it.
    let again = env.run(&["auth", "list"]);
    again.success();
    assert!(!again.stderr.contains("Root Token"), "{}", again.stderr);

    // The README's login replaces the root token in the token helper ...
    env.run(&["login", "-method=jwt", "role=ci", "jwt=@token.jwt"])
        .success();
    env.run(&["token", "lookup", "-field=policies"])
        .success()
        .stdout_is("[default deploy]");
    env.run(&["auth", "list"]).code(2);

    // ... and the owner of the data directory gets a root token back, documented.
    env.run(&["operator", "generate-root"])
        .code(1)
        .stderr_has("-local");
    let out = env.run(&["operator", "generate-root", "-local", "-format=json"]);
    out.success();
    let new_root = out.json()["auth"]["client_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_root, root);
    assert_eq!(env.root_token(), new_root, "stored as the current token");
    env.run(&["token", "lookup", "-field=policies"])
        .success()
        .stdout_is("[root]");
    env.run(&["auth", "list"]).success();
    // -no-store: printed, not stored.
    let t = env.run(&[
        "operator",
        "generate-root",
        "-local",
        "-no-store",
        "-field=token",
    ]);
    t.success();
    assert_ne!(t.stdout, new_root);
    assert_eq!(env.root_token(), new_root);
    let readme = include_str!("../../README.md");
    assert!(readme.contains("operator generate-root -local"));
}

#[test]
fn strict_mode_prints_no_root_token() {
    let env = TestEnv::new();
    env.cmd(&["auth", "list"])
        .env("VAULTJWT_COMPAT", "openbao")
        .run()
        .success()
        .stderr_is("");
}

#[test]
fn a_fresh_data_directory_has_secret_as_kv_v2_like_vault_server_dev() {
    let env = TestEnv::new();
    // The tutorials' first command works as typed.
    env.run(&["kv", "put", "secret/app/db", "user=admin"])
        .success();
    env.run(&["kv", "get", "-field=user", "secret/app/db"])
        .success()
        .stdout_is("admin");
    let list = env.run(&["secrets", "list", "-format=json"]);
    list.success();
    let v = list.json();
    let secret = &v["secret/"];
    // As `bao secrets list -format=json` shows it on a fresh `bao server -dev`.
    assert_eq!(secret["type"], "kv");
    assert_eq!(secret["description"], "key/value secret storage");
    assert_eq!(secret["options"], serde_json::json!({"version": "2"}));
    assert_eq!(secret["local"], false);
    assert_eq!(secret["seal_wrap"], false);
    assert_eq!(secret["deprecation_status"], "supported");
    assert_eq!(
        secret["config"],
        serde_json::json!({"default_lease_ttl": 0, "max_lease_ttl": 0, "force_no_cache": false})
    );
    assert!(secret["accessor"].as_str().unwrap().starts_with("kv_"));
    let mut paths: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    paths.sort();
    assert_eq!(paths, ["cubbyhole/", "identity/", "secret/", "sys/"]);
    // Strict mode too: it is bao's own fresh state.
    let strict = TestEnv::new();
    strict
        .cmd(&["kv", "get", "secret/nothing"])
        .env("VAULTJWT_COMPAT", "openbao")
        .run()
        .code(2)
        .stderr_is("No value found at secret/data/nothing\n");
}

#[test]
fn flags_after_arguments_as_vault_reads_them() {
    let env = TestEnv::new();
    walkthrough(&env);
    // `-format` is read wherever it is: the JSON goes to jq; the endpoint says it ignored the
    // `-format` parameter it was also sent, as OpenBao does.
    let out = env.run(&[
        "write",
        "auth/jwt/login",
        "role=ci",
        "jwt=@token.jwt",
        "-format=json",
    ]);
    out.success().stderr_is("");
    let v = out.json();
    assert!(v["auth"]["client_token"].is_string(), "{v}");
    assert_eq!(
        v["warnings"],
        serde_json::json!(["Endpoint ignored these unrecognized parameters: [-format]"])
    );
    // Other flags after a positional argument are arguments, with Vault's warning, the same way
    // in every command.
    const WARN: &str =
        "Command flags must be provided before positional arguments. The following arguments will not be parsed as flags:";
    env.run(&["kv", "put", "secret/x", "a=1"]).success();
    env.run(&["kv", "get", "secret/x", "-field=a"])
        .code(1)
        .stderr_is(&format!(
            "{WARN} [-field=a]\nToo many arguments (expected 1, got 2)\n"
        ));
    env.run(&["auth", "enable", "jwt", "-path=jwt2"])
        .code(1)
        .stderr_is(&format!(
            "{WARN} [-path=jwt2]\nToo many arguments (expected 1, got 2)\n"
        ));
    env.run(&["auth", "enable", "jwt", "extra"])
        .code(1)
        .stderr_is("Too many arguments (expected 1, got 2)\n");
    env.run(&["write", "sys/policies/acl/p", "policy=x", "-f"])
        .code(1)
        .stderr_has(&format!("{WARN} [-f]\n"));
    // No warning for JSON output; the flags before the arguments work as always.
    env.run(&["kv", "get", "secret/x", "-format=json"])
        .code(1)
        .stderr_is("Too many arguments (expected 1, got 2)\n");
    env.run(&["kv", "get", "-field=a", "secret/x"])
        .success()
        .stdout_is("1");
    env.run(&["auth", "enable", "-path=jwt2", "jwt"]).success();
    // vaultjwt's own commands (jwt, dev) have no Vault counterpart: flags go anywhere.
    env.run(&["jwt", "decode", "@token.jwt", "-format=json"])
        .success();
}

#[test]
fn policy_fmt_failures_are_local_errors_in_vaults_words() {
    let env = TestEnv::new();
    env.run(&["policy", "fmt", "missing.hcl"])
        .code(1)
        .stderr_is("Error reading source file: open missing.hcl: no such file or directory\n");
    std::fs::write(env.home.path().join("bad.hcl"), "path \"a\" {\n bogus\n").unwrap();
    let out = env.run(&["policy", "fmt", "bad.hcl"]);
    out.code(1).one_line_error();
    std::fs::write(
        env.home.path().join("ok.hcl"),
        "path \"a\" {\ncapabilities=[\"read\"]\n}\n",
    )
    .unwrap();
    env.run(&["policy", "fmt", "~/ok.hcl"]).success();
    assert_eq!(
        std::fs::read_to_string(env.home.path().join("ok.hcl")).unwrap(),
        "path \"a\" {\n  capabilities = [\"read\"]\n}\n"
    );
    env.run(&["policy", "fmt"])
        .code(1)
        .stderr_is("Not enough arguments (expected 1, got 0)\n");
}

#[test]
fn version_status_auth_tune_and_token_lookup_self() {
    let env = TestEnv::new();
    env.run(&["version"]).success().stdout_is(&format!(
        "vaultjwt v{} (answers as OpenBao v2.7.2)\n",
        env!("CARGO_PKG_VERSION")
    ));
    let st = env.run(&["status"]);
    st.success();
    assert!(st.stdout.starts_with("Key               Value\n---               -----\nInitialized       true\nSealed            false\n"), "{}", st.stdout);
    assert!(
        st.stdout.contains("\nStorage Type      file\n"),
        "{}",
        st.stdout
    );
    let v = env.run(&["status", "-format=json"]).json();
    assert_eq!(v["sealed"], false);
    assert_eq!(v["storage_type"], "file");
    env.run(&["status", "x"])
        .code(1)
        .stderr_is("Too many arguments (expected 0, got 1)\n");

    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&[
        "auth",
        "tune",
        "-default-lease-ttl=1h",
        "-description=ci logins",
        "jwt",
    ])
    .success()
    .stdout_is("Success! Tuned the auth method at: jwt/\n");
    let t = env
        .run(&["read", "-format=json", "sys/auth/jwt/tune"])
        .json();
    assert_eq!(t["data"]["default_lease_ttl"], 3600);
    assert_eq!(t["data"]["description"], "ci logins");
    env.run(&["auth", "tune", "-description=x", "nope"])
        .code(2)
        .stderr_has("* tune of path \"auth/nope/\" failed: no mount entry found");

    env.run(&["token", "lookup", "-self", "-field=policies"])
        .success()
        .stdout_is("[root]");
    env.cmd(&["token", "lookup", "-self"])
        .env("VAULTJWT_COMPAT", "openbao")
        .run()
        .code(1)
        .stderr_is("flag provided but not defined: -self\n");
}

#[test]
fn output_policy_prints_the_policy_a_command_needs() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let before = env.snapshot();
    env.run(&[
        "write",
        "-output-policy",
        "auth/jwt/role/x",
        "role_type=jwt",
    ])
    .success()
    .stderr_is("")
    .stdout_is("path \"auth/jwt/role/x\" {\n  capabilities = [\"create\", \"update\"]\n}\n");
    env.run(&["auth", "enable", "-output-policy", "-path=other", "jwt"])
        .success()
        .stdout_is(
            "path \"sys/auth/other\" {\n  capabilities = [\"create\", \"update\", \"sudo\"]\n}\n",
        );
    env.run(&["kv", "get", "-output-policy", "secret/app"])
        .success()
        .stdout_is("path \"secret/data/app\" {\n  capabilities = [\"read\"]\n}\n");
    assert_eq!(before, env.snapshot(), "nothing was sent");
    env.run(&["write", "-output-policy", "auth/jwt/role/x"])
        .code(1)
        .stderr_is("Must supply data or use -force\nUnable to generate policy from command\n");
}

/// Starts `vaultjwt dev issuer ARGS`, returns its URL (first line) and the child.
fn issuer(env: &TestEnv, extra: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut args = vec!["dev", "issuer"];
    args.extend_from_slice(extra);
    let mut cmd = env.cmd(&args).cmd;
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("spawn dev issuer");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .strip_prefix("Issuer:")
        .unwrap_or("")
        .trim()
        .to_string();
    (child, url)
}

#[test]
fn the_dev_issuer_keeps_its_port() {
    let env = TestEnv::new();
    let (mut a, url) = issuer(&env, &[]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    // While it runs, a second start on the same port fails and says how to get another.
    let busy = env.run(&["dev", "issuer"]);
    busy.code(1)
        .stderr_has("address already in use")
        .stderr_has("-listen=127.0.0.1:0");
    let _ = a.kill();
    let _ = a.wait();
    // Restarted: the same URL, so the configured issuer and new tokens' iss stay valid.
    let (mut b, again) = issuer(&env, &[]);
    let _ = b.kill();
    let _ = b.wait();
    assert_eq!(again, url);
    // -listen picks another address, which is then remembered.
    let (mut c, other) = issuer(&env, &["-listen=127.0.0.1:0"]);
    let _ = c.kill();
    let _ = c.wait();
    assert!(other.starts_with("http://127.0.0.1:"), "{other:?}");
    let (mut d, last) = issuer(&env, &[]);
    let _ = d.kill();
    let _ = d.wait();
    assert_eq!(last, other);
}

/// The README's walkthrough block, run by `sh -e` exactly as written, with `vaultjwt` on PATH.
#[test]
fn the_readme_walkthrough_runs_top_to_bottom() {
    let readme = include_str!("../../README.md");
    let start = readme.find("## Walkthrough").expect("walkthrough section");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```\n").unwrap()];
    let env = TestEnv::new();
    let bin_dir = std::path::Path::new(common::bin()).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut sh = std::process::Command::new("sh");
    sh.arg("-ec")
        .arg(block)
        .current_dir(env.home.path())
        .env("HOME", env.home.path())
        .env("PATH", path)
        .env_remove("VAULTJWT_HOME")
        .env_remove("VAULTJWT_TOKEN")
        .env_remove("VAULTJWT_COMPAT")
        .env_remove("VAULTJWT_FORMAT");
    let o = sh.output().expect("sh");
    assert!(
        o.status.success(),
        "the walkthrough stopped:\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Success! Disabled the auth method (if it existed) at: jwt/"));
}

#[test]
fn jwt_sign_refuses_a_value_that_looks_like_json_but_is_not() {
    let env = TestEnv::new();
    env.run(&["jwt", "keygen", "-alg=ES256", "-out=idp"])
        .success();
    let out = env.run(&[
        "jwt",
        "sign",
        "-key=@idp.private.pem",
        "-claim",
        "groups=[dev",
    ]);
    out.code(1).one_line_error();
    assert!(
        out.stderr
            .starts_with("Invalid claim \"groups=[dev\": the value looks like JSON but is not"),
        "{}",
        out.stderr
    );
    // Errors of vaultjwt's own commands read like the others: no `Error:` prefix.
    env.run(&["jwt", "decode", "not-a-token"])
        .code(1)
        .stderr_has("Malformed token");
    // Valid JSON and plain text still work.
    let t = env.run(&[
        "jwt",
        "sign",
        "-key=@idp.private.pem",
        "-claim",
        "groups=[\"dev\"]",
        "-claim",
        "name=alice smith",
    ]);
    t.success();
    let d = env.run(&["jwt", "decode", "-format=json", t.stdout.trim()]);
    d.success();
    let v = d.json();
    let claims = if v["claims"].is_object() {
        &v["claims"]
    } else {
        &v["payload"]
    };
    assert_eq!(claims["groups"], serde_json::json!(["dev"]), "{v}");
}

/// Completion: single-dash flags and enumerated values complete in bash, and
/// `-autocomplete-install` puts the script where the user's shell loads it.
#[test]
fn completion_knows_single_dash_flags_values_and_installs_itself() {
    let env = TestEnv::new();
    let script = env.run(&["completion", "bash"]).success().stdout.clone();
    let path = env.home.path().join("vaultjwt.bash");
    std::fs::write(&path, &script).unwrap();
    let probe = format!(
        r#"source {}
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); _vaultjwt_single_dash vaultjwt "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"; echo "${{COMPREPLY[*]}}"; }}
t vaultjwt write -for
t vaultjwt write -format ""
t vaultjwt jwt sign -preset ""
t vaultjwt jwt keygen --alg ES"#,
        path.display()
    );
    let Ok(out) = std::process::Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
    else {
        println!("skipped: no bash to run the completion script in");
        return;
    };
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "-force -format",
            "table json yaml",
            "github-actions gitlab kubernetes",
            "ES256 ES384 ES512"
        ],
        "{out}"
    );
    // -autocomplete-install: the directory is created, the script is the one printed.
    env.cmd(&["-autocomplete-install"])
        .env("SHELL", "/bin/bash")
        .env("XDG_DATA_HOME", env.home.path().join("xdg"))
        .run()
        .success()
        .stderr_has("Installed bash completion in");
    let installed = env
        .home
        .path()
        .join("xdg/bash-completion/completions/vaultjwt");
    assert_eq!(std::fs::read_to_string(&installed).unwrap(), script);
    env.cmd(&["-autocomplete-uninstall"])
        .env("SHELL", "/bin/bash")
        .env("XDG_DATA_HOME", env.home.path().join("xdg"))
        .run()
        .success();
    assert!(!installed.exists());
    env.cmd(&["-autocomplete-install"])
        .env("SHELL", "/bin/tcsh")
        .run()
        .code(1)
        .stderr_has("cannot install completion for shell \"tcsh\"");
}

/// Help: every positional argument says what it is, the everyday commands show examples, and
/// no boolean flag lists `[possible values: true, false]`.
#[test]
fn help_describes_arguments_and_shows_examples() {
    let env = TestEnv::new();
    let commands: &[&[&str]] = &[
        &["read"],
        &["write"],
        &["list"],
        &["delete"],
        &["login"],
        &["auth", "disable"],
        &["policy", "read"],
        &["policy", "delete"],
        &["policy", "fmt"],
        &["token", "lookup"],
        &["token", "renew"],
        &["token", "revoke"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("-help");
        let out = env.run(&args);
        out.success();
        let help = &out.stdout;
        assert!(
            !help.contains("possible values: true, false"),
            "{cmd:?}: {help}"
        );
        let mut in_args = false;
        for line in help.lines() {
            if line == "Arguments:" {
                in_args = true;
            } else if line.is_empty() {
                in_args = false;
            } else if in_args && (line.starts_with("  [") || line.starts_with("  <")) {
                let described = line.split_whitespace().count() > 1;
                assert!(
                    described,
                    "{cmd:?}: argument without a description: {line:?}"
                );
            }
        }
        if ["read", "write", "list", "delete", "login"].contains(&cmd[0]) && cmd.len() == 1 {
            assert!(help.contains("\nExamples:\n  vaultjwt "), "{cmd:?}: {help}");
        }
    }
}
