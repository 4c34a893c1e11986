//! The CLI's output and error shapes, as OpenBao prints them.

use crate::common;

use common::TestEnv;
use std::io::Write;
use std::path::Path;

#[test]
fn enable_then_list_json_shows_the_mount() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"])
        .success()
        .stdout_is("Success! Enabled jwt auth method at: jwt/\n");
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    assert_eq!(v["jwt/"]["type"], "jwt");
    let acc = v["jwt/"]["accessor"].as_str().unwrap_or("");
    assert!(acc.starts_with("auth_jwt_"), "accessor {acc:?}");
    assert_eq!(v["token/"]["type"], "token");
    // JSON keys in Go's order: the paths sorted.
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["jwt/", "token/"]);
}

#[test]
fn second_enable_fails_as_vault_does() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let before = env.snapshot();
    env.run(&["auth", "enable", "jwt"])
        .code(2)
        .stdout_is("")
        .stderr_is(
            "Error enabling jwt auth: Error making API request.\n\nCode: 400. Errors:\n\n* path is already in use at jwt/\n",
        );
    assert_eq!(before, env.snapshot());
}

#[test]
fn auth_list_table_is_columnized() {
    let env = TestEnv::new();
    env.run(&[
        "auth",
        "enable",
        "-path=corp",
        "-description=Corp SSO",
        "oidc",
    ])
    .success()
    .stdout_is("Success! Enabled oidc auth method at: corp/\n");
    let out = env.run(&["auth", "list"]).success().stdout.clone();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("Path      Type     Accessor"), "{out}");
    assert!(lines[1].starts_with("----      ----     --------"), "{out}");
    assert!(
        lines[2].starts_with("corp/     oidc     auth_oidc_"),
        "{out}"
    );
    assert!(lines[2].contains("Corp SSO"), "{out}");
    assert!(lines[3].contains("token based credentials"), "{out}");
    // Empty cells read n/a.
    assert!(lines[3].ends_with("n/a"), "{out}");
}

#[test]
fn disable_and_yaml() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&["auth", "disable", "jwt"])
        .success()
        .stdout_is("Success! Disabled the auth method (if it existed) at: jwt/\n");
    let y = env
        .run(&["auth", "list", "-format=yaml"])
        .success()
        .stdout
        .clone();
    assert!(y.starts_with("token/:\n"), "{y}");
    assert!(!y.contains("jwt/"), "{y}");
}

#[test]
fn read_field_and_missing_values() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    // -field prints the raw value, without a newline when piped.
    let acc = env
        .run(&["read", "-field=accessor", "sys/auth/jwt"])
        .success()
        .stdout
        .clone();
    assert!(
        acc.starts_with("auth_jwt_") && !acc.ends_with('\n'),
        "{acc:?}"
    );
    env.run(&["read", "-format=json", "-field=type", "sys/auth/jwt"])
        .success()
        .stdout_is("\"jwt\"");
    env.run(&["read", "-field=nope", "sys/auth/jwt"])
        .code(1)
        .stderr_is("Field \"nope\" not present in secret\n");
    env.run(&["read", "auth/token/roles/none"])
        .code(2)
        .stdout_is("");
}

#[test]
fn table_read_shows_key_value() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let out = env.run(&["read", "sys/auth/jwt"]).success().stdout.clone();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("Key                        Value"),
        "{out}"
    );
    assert_eq!(
        lines.next(),
        Some("---                        -----"),
        "{out}"
    );
    assert!(out.contains("\ntype                       jwt\n"), "{out}");
    // An empty description is n/a; a nested map is Go's %v.
    assert!(out.contains("\ndescription                n/a\n"), "{out}");
    assert!(
        out.contains("\nconfig                     map[default_lease_ttl:0 "),
        "{out}"
    );
}

#[test]
fn write_needs_data_or_force() {
    let env = TestEnv::new();
    env.run(&["auth", "list"]).success();
    let before = env.snapshot();
    env.run(&["write", "sys/auth/x"])
        .one_line_error()
        .code(1)
        .stderr_is("Must supply data or use -force\n");
    assert_eq!(before, env.snapshot());
}

#[test]
fn write_reads_values_from_stdin_and_files() {
    let env = TestEnv::new();
    let desc = env.home.path().join("desc.txt");
    std::fs::write(&desc, "from a file").unwrap();
    env.cmd(&["write", "sys/auth/a", "type=jwt", "description=-"])
        .stdin("from stdin")
        .run()
        .success()
        .stdout_is("Success! Data written to: sys/auth/a\n");
    env.run(&[
        "write",
        "sys/auth/b",
        "type=jwt",
        &format!("description=@{}", desc.display()),
    ])
    .success();
    env.cmd(&["write", "sys/auth/c", "-"])
        .stdin(r#"{"type": "jwt", "description": "a JSON body"}"#)
        .run()
        .success();
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    assert_eq!(v["a/"]["description"], "from stdin");
    assert_eq!(v["b/"]["description"], "from a file");
    assert_eq!(v["c/"]["description"], "a JSON body");
    // With -format=json a write that returns nothing prints nothing, as Vault.
    env.run(&["write", "-format=json", "sys/auth/d", "type=jwt"])
        .success()
        .stdout_is("");
}

#[test]
fn environment_format_and_config_file() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let v: serde_json::Value = serde_json::from_str(
        &env.cmd(&["auth", "list"])
            .env("VAULTJWT_FORMAT", "json")
            .run()
            .success()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["jwt/"]["type"], "jwt");
    std::fs::write(env.data.join("config.toml"), "format = \"yaml\"\n").unwrap();
    env.run(&["auth", "list"]).success().stdout_has("jwt/:\n");
    // The flag wins over the file.
    env.run(&["auth", "list", "-format=table"])
        .success()
        .stdout_has("Path ");
    std::fs::write(
        env.data.join("config.toml"),
        "format = \"yaml\"\ncolour = 1\n",
    )
    .unwrap();
    env.run(&["auth", "list"])
        .one_line_error()
        .stderr_has("config.toml:2:");
}

/// Each bad input: a non-zero exit, one line naming the culprit, and nothing changed.
#[test]
fn bad_input_is_one_line_and_changes_nothing() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let before = env.snapshot();
    let missing = env.home.path().join("no-such-file.pem");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["auth".into(), "list".into(), "-bogus".into()],
            "flag provided but not defined: -bogus",
        ),
        (
            vec!["token".into(), "create".into(), "-bogus=1".into()],
            "flag provided but not defined: -bogus",
        ),
        (
            vec!["token".into(), "create".into(), "extra".into()],
            "Too many arguments (expected 0, got 1)",
        ),
        (
            vec!["token".into(), "lookup".into(), "-bogus".into()],
            "flag provided but not defined: -bogus",
        ),
        (
            vec!["secrets".into(), "disable".into(), "-bogus".into()],
            "flag provided but not defined: -bogus",
        ),
        (
            vec!["kv".into(), "get".into(), "--bogus".into(), "x".into()],
            "flag provided but not defined: -bogus",
        ),
        (
            vec!["write".into(), "auth/jwt/config".into(), "novalue".into()],
            "\"novalue\"",
        ),
        (
            vec![
                "write".into(),
                "auth/jwt/config".into(),
                format!("jwt_validation_pubkeys=@{}", missing.display()),
            ],
            "no-such-file.pem",
        ),
        (
            vec!["auth".into(), "list".into(), "-format=xml".into()],
            "Invalid output format: xml",
        ),
        (
            vec![
                "auth".into(),
                "enable".into(),
                "-format=xml".into(),
                "oidc".into(),
            ],
            "Invalid output format: xml",
        ),
        (vec!["frobnicate".into()], "frobnicate"),
        (vec!["read".into()], "Not enough arguments"),
    ];
    for (args, culprit) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&args).one_line_error().code(1).stderr_has(culprit);
        assert_eq!(
            before,
            env.snapshot(),
            "{args:?} changed the data directory"
        );
    }
    // A bad VAULTJWT_FORMAT too.
    env.cmd(&["auth", "list"])
        .env("VAULTJWT_FORMAT", "toml")
        .run()
        .one_line_error()
        .stderr_has("Invalid output format: toml");
    assert_eq!(before, env.snapshot());
}

#[test]
fn permissions_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&["auth", "enable", "-path=other", "jwt"]).success();
    let snap = env.snapshot();
    assert!(snap.len() > 4, "{snap:?}");
    for (path, (mode, _)) in &snap {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{} has mode {mode:o}", path.display());
    }
    let helper = env.data.join("token");
    let m = std::fs::metadata(&helper).unwrap().permissions().mode() & 0o777;
    assert_eq!(m, 0o600);
    assert!(!std::fs::read_to_string(&helper).unwrap().trim().is_empty());
}

#[test]
fn help_and_completion_work_without_a_data_directory() {
    let env = TestEnv::new();
    env.run(&["--help"]).success().stdout_has("auth");
    env.run(&["completion", "bash"])
        .success()
        .stdout_has("vaultjwt");
    assert!(!env.data.exists(), "help created the data directory");
}

#[test]
fn json_body_from_stdin_must_be_an_object() {
    let env = TestEnv::new();
    env.run(&["auth", "list"]).success();
    let before = env.snapshot();
    env.cmd(&["write", "sys/auth/x", "-"])
        .stdin("[1, 2]")
        .run()
        .one_line_error()
        .stderr_has("Failed to parse K=V data");
    assert_eq!(before, env.snapshot());
    let mut f = tempfile::NamedTempFile::new().unwrap();
    writeln!(f, "{{ not json").unwrap();
    env.run(&["write", "sys/auth/x", &format!("@{}", f.path().display())])
        .one_line_error()
        .stderr_has(&f.path().display().to_string());
    assert_eq!(before, env.snapshot());
}

/// The committed completion scripts match the clap definitions.
#[test]
fn completions_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (shell, file) in [
        (clap_complete::Shell::Bash, "vaultjwt.bash"),
        (clap_complete::Shell::Zsh, "_vaultjwt"),
        (clap_complete::Shell::Fish, "vaultjwt.fish"),
    ] {
        let want = vaultjwt::cli::completion_script(shell);
        let have = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        if have != want {
            stale.push(file);
        }
        // The command prints the same script.
        let env = TestEnv::new();
        let out = env.run(&["completion", &shell.to_string()]);
        out.success();
        assert!(
            out.stdout == want,
            "{shell}: `completion` prints another script"
        );
    }
    assert!(
        stale.is_empty(),
        "completions/{} out of date with the clap definitions: run scripts/update-completions",
        stale.join(", completions/")
    );
}
