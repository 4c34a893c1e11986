//! JWT roles through the binary: CRUD, OpenBao's errors, and the default-mode differences.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

struct Cli {
    home: TempDir,
    compat: Option<&'static str>,
}

impl Cli {
    fn new(compat: Option<&'static str>) -> Cli {
        let cli = Cli {
            home: TempDir::new().expect("tempdir"),
            compat,
        };
        cli.ok(&["auth", "enable", "jwt"]);
        cli
    }

    fn cmd(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        let mut c = Command::from(crate::common::command(self.home.path()));
        c.env("VAULTJWT_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env_remove("VAULTJWT_TOKEN")
            .env_remove("VAULTJWT_COMPAT")
            .env_remove("VAULTJWT_FORMAT")
            .args(args);
        if let Some(m) = self.compat {
            c.env("VAULTJWT_COMPAT", m);
        }
        c.assert()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    }

    /// Stdout and stderr of a successful command, whitespace collapsed (warnings go to stderr,
    /// wrapped at 80 columns).
    fn ok_shown(&self, args: &[&str]) -> String {
        let out = self.cmd(args).success();
        let o = out.get_output();
        let all =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        all.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd(args).failure();
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json output")
    }
}

#[test]
fn role_crud_round_trip() {
    let cli = Cli::new(Some("openbao"));
    let out = cli.ok(&[
        "write",
        "auth/jwt/role/Alpha",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=a",
    ]);
    assert_eq!(out.trim(), "Success! Data written to: auth/jwt/role/Alpha");
    cli.ok(&[
        "write",
        "auth/jwt/role/beta",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_ttl=10m",
    ]);
    let list = cli.json(&["list", "-format=json", "auth/jwt/role"]);
    assert_eq!(list, serde_json::json!(["alpha", "beta"]));

    let read = cli.json(&["read", "-format=json", "auth/jwt/role/alpha"]);
    let d = &read["data"];
    assert_eq!(d["role_type"], "jwt");
    assert_eq!(d["bound_audiences"], serde_json::json!(["vault"]));
    assert_eq!(d["bound_claims"], Value::Null);
    assert_eq!(d["token_bound_cidrs"], serde_json::json!([]));
    assert_eq!(d["token_policies"], serde_json::json!(["a"]));
    assert_eq!(d["callback_mode"], "client");
    assert_eq!(d.as_object().map(|m| m.len()), Some(30));
    let beta = cli.json(&["read", "-format=json", "auth/jwt/role/beta"]);
    assert_eq!(beta["data"]["token_ttl"], 600);

    let out = cli.ok(&["delete", "auth/jwt/role/alpha"]);
    assert!(out.contains("Success! Data deleted (if it existed) at: auth/jwt/role/alpha"));
    cli.ok(&["delete", "auth/jwt/role/alpha"]);
    let err = cli.fails(&["read", "-format=json", "auth/jwt/role/alpha"]);
    assert!(err.contains("No value found at auth/jwt/role/alpha"));
    let list = cli.json(&["list", "-format=json", "auth/jwt/role"]);
    assert_eq!(list, serde_json::json!(["beta"]));
}

#[test]
fn role_read_table() {
    let cli = Cli::new(Some("openbao"));
    cli.ok(&[
        "write",
        "auth/jwt/role/r",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=p1,p2",
        "token_ttl=1h",
    ]);
    let out = cli.ok(&["read", "auth/jwt/role/r"]);
    assert!(
        out.contains("bound_claims                      <nil>"),
        "{out}"
    );
    assert!(
        out.contains("bound_subject                     n/a"),
        "{out}"
    );
    assert!(
        out.contains("token_policies                    [p1 p2]"),
        "{out}"
    );
    assert!(
        out.contains("token_ttl                         1h"),
        "{out}"
    );
    assert!(
        out.contains("token_max_ttl                     0s"),
        "{out}"
    );
}

#[test]
fn openbao_role_errors() {
    let cli = Cli::new(Some("openbao"));
    let err = cli.fails(&[
        "write",
        "auth/jwt/role/r",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_ttl=forever",
    ]);
    assert!(err.contains("Code: 400. Errors:"), "{err}");
    assert!(
        err.contains(
            "* error converting input for field \"token_ttl\": time: invalid duration \"forever\""
        ),
        "{err}"
    );
    let err = cli.fails(&[
        "write",
        "auth/jwt/role/noredirect",
        "user_claim=sub",
        "bound_audiences=vault",
    ]);
    assert!(
        err.contains(
            "* 'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."
        ),
        "{err}"
    );
    let err = cli.fails(&[
        "write",
        "auth/jwt/role/r",
        "role_type=jwt",
        "user_claim=sub",
    ]);
    assert!(
        err.contains("* must have at least one bound constraint when creating/updating a role"),
        "{err}"
    );
    let err = cli.fails(&[
        "write",
        "auth/jwt/role/developer-role",
        "role_type=jwt",
        "user_claim=sub",
        "bound_claims_type=glob",
        "bound_claims=groups=developers",
    ]);
    assert!(err.contains("* error converting input for field \"bound_claims\": '' expected type 'map[string]interface {}', got unconvertible type 'string'"), "{err}");
    let err = cli.fails(&[
        "write",
        "auth/jwt/role/bad",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=v",
        "token_type=bogus",
    ]);
    assert!(
        err.contains("* invalid 'token_type' value \"bogus\""),
        "{err}"
    );
    let err = cli.fails(&["read", "-format=json", "auth/jwt/role/r"]);
    assert!(err.contains("No value found at auth/jwt/role/r"));
}

#[test]
fn default_mode_walkthrough_role() {
    let cli = Cli::new(None);
    let out = cli.ok_shown(&[
        "write",
        "auth/jwt/role/developer-role",
        "user_claim=sub",
        "groups_claim=groups",
        "token_policies=developer-policy",
        "bound_claims_type=glob",
        "bound_claims=groups=developers",
    ]);
    assert!(
        out.contains("OpenBao would make it an \"oidc\" role"),
        "{out}"
    );
    assert!(
        out.contains("bound_claims was given as key=value text"),
        "{out}"
    );
    assert!(out.contains("no bound_audiences"), "{out}");
    let read = cli.json(&["read", "-format=json", "auth/jwt/role/developer-role"]);
    assert_eq!(read["data"]["role_type"], "jwt");
    assert_eq!(
        read["data"]["bound_claims"],
        serde_json::json!({"groups": "developers"})
    );
    assert_eq!(read["data"]["bound_claims_type"], "glob");
    // An update without role_type keeps the jwt type (with a warning).
    let out = cli.ok_shown(&[
        "write",
        "auth/jwt/role/developer-role",
        "bound_audiences=vault-aud-value",
    ]);
    assert!(out.contains("keeps its type \"jwt\""), "{out}");
    let read = cli.json(&["read", "-format=json", "auth/jwt/role/developer-role"]);
    assert_eq!(read["data"]["role_type"], "jwt");
    assert_eq!(
        read["data"]["bound_audiences"],
        serde_json::json!(["vault-aud-value"])
    );
}

#[test]
fn login_checks_before_keys() {
    let cli = Cli::new(Some("openbao"));
    let err = cli.fails(&["write", "auth/jwt/login", "role=r", "jwt=x"]);
    assert!(err.contains("* could not load configuration"), "{err}");
}
