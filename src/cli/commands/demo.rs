//! `vaultjwt demo`: the seed's story in one command, in a throwaway data directory. A
//! loopback issuer runs in-process; every step runs the real CLI (this executable, with
//! `VAULTJWT_HOME` set to the throwaway directory) and is printed as a user would type it,
//! followed by its output (stderr, then stdout, as the CLI itself orders them).

use crate::cli::output;
use crate::dev::issuer;
use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AUDIENCE: &str = "vault-aud-value";

const POLICY: &str = r#"path "secret/data/dev/*" {
  capabilities = ["read"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}

path "database/creds/readonly" {
  capabilities = ["read"]
}
"#;

/// The throwaway data directory, removed on drop unless kept.
struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Scratch {
    fn new(keep: bool) -> Result<Scratch> {
        use std::os::unix::fs::DirBuilderExt;
        let path =
            std::env::temp_dir().join(format!("vaultjwt-demo-{}", uuid::Uuid::new_v4().simple()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Scratch { path, keep })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

struct Demo {
    exe: PathBuf,
    home: PathBuf,
    token: Option<String>,
    /// Alice's token, once she has logged in.
    alice: Option<String>,
    failures: Vec<String>,
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Quotes an argument for display as a POSIX shell would need it.
fn shell_quote(a: &str) -> String {
    if !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c))
    {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

impl Demo {
    /// Runs `vaultjwt ARGS` (shown as `shown`, or the quoted args) with optional stdin;
    /// prints its output; records a failure when the exit status is not `expect`.
    fn step(
        &mut self,
        shown: Option<&str>,
        args: &[&str],
        stdin: Option<&str>,
        expect: i32,
        print_stdout: bool,
    ) -> Result<Ran> {
        let line = match shown {
            Some(s) => s.to_string(),
            None => std::iter::once("vaultjwt".to_string())
                .chain(args.iter().map(|a| shell_quote(a)))
                .collect::<Vec<_>>()
                .join(" "),
        };
        say(&format!("\n$ {line}\n"));
        let mut cmd = Command::new(&self.exe);
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().into_owned();
            if k.starts_with("VAULTJWT_") {
                cmd.env_remove(&k);
            }
        }
        cmd.env("VAULTJWT_HOME", &self.home)
            .current_dir(&self.home)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(t) = &self.token {
            cmd.env("VAULTJWT_TOKEN", t);
        }
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot run {}", self.exe.display()))?;
        if let Some(mut pipe) = child.stdin.take() {
            if let Some(s) = stdin {
                let _ = pipe.write_all(s.as_bytes());
            }
        }
        let out = child.wait_with_output()?;
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut shown_out = stderr.trim_end().to_string();
        if print_stdout && !stdout.trim().is_empty() {
            if !shown_out.is_empty() {
                shown_out.push_str("\n\n");
            }
            shown_out.push_str(stdout.trim_end());
        }
        if !shown_out.is_empty() {
            say(&format!("{shown_out}\n"));
        }
        if code != expect {
            self.failures.push(format!(
                "`{line}` exited with status {code}, expected {expect}"
            ));
        }
        Ok(Ran {
            code,
            stdout,
            stderr,
        })
    }

    /// Records a failure unless `ok`.
    fn check(&mut self, ok: bool, what: &str) {
        if !ok {
            self.failures.push(what.to_string());
        }
    }

    /// `jwt sign -issuer` with the seed's claims for `sub` and `groups`, shown as an
    /// assignment to a shell variable.
    fn mint(&mut self, var: &str, sub: &str, groups: &str) -> Result<String> {
        let claim_sub = format!("sub={sub}");
        let claim_groups = format!("groups={groups}");
        let claim_aud = format!("aud={AUDIENCE}");
        let args = [
            "jwt",
            "sign",
            "-issuer",
            "-claim",
            &claim_sub,
            "-claim",
            &claim_groups,
            "-claim",
            &claim_aud,
        ];
        let shown = format!(
            "{var}=$(vaultjwt {})",
            args.iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let ran = self.step(Some(&shown), &args, None, 0, false)?;
        let jwt = ran.stdout.trim().to_string();
        if ran.code != 0 || jwt.is_empty() {
            bail!("could not sign {var}");
        }
        Ok(jwt)
    }
}

/// Runs the demo; returns 0 when every step had the expected outcome.
pub fn run(keep: bool, database: Option<&str>) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the vaultjwt executable")?;
    let scratch = Scratch::new(keep)?;
    let home = scratch.path.clone();
    say(&format!(
        "vaultjwt demo: the JWT login walkthrough, end to end, in a throwaway data directory\n\
         ({}). Each step shows the command as you would type it, then its output.\n",
        home.display()
    ));
    let server = issuer::start(&home, "127.0.0.1:0").map_err(|e| anyhow!(e))?;
    let url = server.url.clone();
    say(&format!(
        "\n# A stand-in identity provider: OIDC discovery and a JWKS on loopback.\n$ vaultjwt dev issuer &\nIssuer:     {url}\n"
    ));
    let mut demo = Demo {
        exe,
        home: home.clone(),
        token: None,
        alice: None,
        failures: Vec::new(),
    };
    story(&mut demo, &url, &home)?;
    drop(server);
    match database {
        Some(db) => database_chapter(&mut demo, db)?,
        None => say(
            "\n# Next: dynamic secrets. `vaultjwt demo -database=postgresql://USER:PASSWORD@127.0.0.1:5432/postgres`\n\
             # (a PostgreSQL user that can create roles) adds the chapter where Alice gets a PostgreSQL\n\
             # user that lives one hour, and the operator revokes it.\n",
        ),
    }
    if keep {
        say(&format!(
            "\nThe data directory is kept: export VAULTJWT_HOME={}\n",
            home.display()
        ));
    }
    if demo.failures.is_empty() {
        say("\nThe demo ran as expected.\n");
        Ok(())
    } else {
        let lines: Vec<String> = demo.failures.iter().map(|f| format!("demo: {f}")).collect();
        Err(output::local_error(&lines.join("\n")))
    }
}

fn story(d: &mut Demo, url: &str, _home: &Path) -> Result<()> {
    say("\n# As the operator (the root token of this fresh data directory):");
    d.step(None, &["auth", "enable", "jwt"], None, 0, true)?;
    let discovery = format!("oidc_discovery_url={url}/.well-known/openid-configuration");
    let bound = format!("bound_issuer={url}");
    let aud = format!("token_audiences={AUDIENCE}");
    d.step(
        Some(&format!(
            "vaultjwt write auth/jwt/config oidc_discovery_url=\"{url}/.well-known/openid-configuration\" bound_issuer=\"{url}\" token_audiences=\"{AUDIENCE}\""
        )),
        &["write", "auth/jwt/config", &discovery, &bound, &aud],
        None,
        0,
        true,
    )?;
    d.step(
        Some(&format!(
            "vaultjwt policy write developer-policy - <<EOF\n{POLICY}EOF"
        )),
        &["policy", "write", "developer-policy", "-"],
        Some(POLICY),
        0,
        true,
    )?;
    d.step(
        Some("vaultjwt write auth/jwt/role/developer-role user_claim=\"sub\" groups_claim=\"groups\" token_policies=\"developer-policy\" bound_claims_type=\"glob\" bound_claims=\"groups=developers\""),
        &[
            "write",
            "auth/jwt/role/developer-role",
            "user_claim=sub",
            "groups_claim=groups",
            "token_policies=developer-policy",
            "bound_claims_type=glob",
            "bound_claims=groups=developers",
        ],
        None,
        0,
        true,
    )?;

    say("\n# Alice, a developer, gets a token from the identity provider:");
    let alice = d.mint("ALICE_JWT", "user-12345", r#"["developers"]"#)?;
    d.step(
        Some("vaultjwt jwt decode \"$ALICE_JWT\""),
        &["jwt", "decode", &alice],
        None,
        0,
        true,
    )?;
    say("\n# She logs in with it:");
    let jwt_arg = format!("jwt={alice}");
    let login = d.step(
        Some("vaultjwt write auth/jwt/login role=developer-role jwt=\"$ALICE_JWT\""),
        &["write", "auth/jwt/login", "role=developer-role", &jwt_arg],
        None,
        0,
        true,
    )?;
    let token = login
        .stdout
        .lines()
        .find_map(|l| {
            let mut cols = l.split_whitespace();
            (cols.next() == Some("token")).then(|| cols.next().map(str::to_string))?
        })
        .ok_or_else(|| anyhow!("the login printed no token"))?;
    say(&format!("\n$ export VAULTJWT_TOKEN={token}\n"));
    d.alice = Some(token.clone());
    d.token = Some(token);
    let lookup = d.step(None, &["token", "lookup"], None, 0, true)?;
    d.check(
        lookup.stdout.contains("developer-policy"),
        "Alice's token does not carry developer-policy",
    );

    say("\n# What her policies allow: reading below secret/data/dev/ ...");
    let allowed = d.step(
        None,
        &["token", "capabilities", "secret/data/dev/app"],
        None,
        0,
        true,
    )?;
    d.check(
        allowed.stdout.trim() == "read",
        "Alice's token cannot read secret/data/dev/app",
    );
    say("\n# ... and what they do not: writing a policy is refused.");
    let denied = d.step(
        Some("vaultjwt policy write other-policy - <<EOF\npath \"*\" { capabilities = [\"sudo\"] }\nEOF"),
        &["policy", "write", "other-policy", "-"],
        Some("path \"*\" { capabilities = [\"sudo\"] }\n"),
        2,
        true,
    )?;
    d.check(
        denied.stderr.contains("permission denied"),
        "Alice's policy write was not refused with permission denied",
    );

    say("\n# Bob is not in `developers`; his login is refused:");
    let bob = d.mint("BOB_JWT", "user-67890", r#"["contractors"]"#)?;
    explain_failure(d, &bob)?;
    Ok(())
}

/// The last steps: Bob's refused login, then `jwt explain` of it as the operator.
fn explain_failure(d: &mut Demo, bob: &str) -> Result<()> {
    let jwt_arg = format!("jwt={bob}");
    let refused = d.step(
        Some("vaultjwt write auth/jwt/login role=developer-role jwt=\"$BOB_JWT\""),
        &["write", "auth/jwt/login", "role=developer-role", &jwt_arg],
        None,
        2,
        true,
    )?;
    d.check(
        refused.stderr.contains("claim \"groups\" does not match"),
        "Bob's login was not refused on his groups",
    );
    say("\n# Back as the operator: which check failed, and what the token had.\n$ unset VAULTJWT_TOKEN\n");
    d.token = None;
    let explained = d.step(
        Some("vaultjwt jwt explain role=developer-role jwt=\"$BOB_JWT\""),
        &["jwt", "explain", "role=developer-role", &jwt_arg],
        None,
        2,
        true,
    )?;
    d.check(
        explained.stdout.contains("bound_claims.groups"),
        "jwt explain did not name the failing bound claim",
    );
    Ok(())
}

/// `postgresql://user:password@rest` as a Vault connection: the URL with the
/// `{{username}}:{{password}}` templates, the username, the password.
fn split_url(url: &str) -> (String, String, String) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), String::new(), String::new());
    };
    let rest = &url[scheme_end..];
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..auth_end].rfind('@') else {
        return (url.to_string(), String::new(), String::new());
    };
    let (user, password) = match rest[..at].split_once(':') {
        Some((u, p)) => (u.to_string(), p.to_string()),
        None => (rest[..at].to_string(), String::new()),
    };
    let templated = format!(
        "{}{{{{username}}}}:{{{{password}}}}@{}",
        &url[..scheme_end],
        &rest[at + 1..]
    );
    (templated, user, password)
}

/// Dynamic secrets: Alice reads a PostgreSQL user that lives one hour; the operator revokes
/// its lease and the user is gone.
fn database_chapter(d: &mut Demo, db: &str) -> Result<()> {
    let (url, user, password) = split_url(db);
    say("\n# Dynamic secrets. As the operator: a PostgreSQL connection and a role whose users\n# can read everything, for one hour.\n$ unset VAULTJWT_TOKEN\n");
    d.token = None;
    d.step(None, &["secrets", "enable", "database"], None, 0, true)?;
    let url_arg = format!("connection_url={url}");
    let user_arg = format!("username={user}");
    let pw_arg = format!("password={password}");
    d.step(
        Some(&format!(
            "vaultjwt write database/config/demo plugin_name=postgresql-database-plugin connection_url='{url}' username='{user}' password=\"$PGPASSWORD\" allowed_roles=readonly"
        )),
        &[
            "write",
            "database/config/demo",
            "plugin_name=postgresql-database-plugin",
            &url_arg,
            &user_arg,
            &pw_arg,
            "allowed_roles=readonly",
        ],
        None,
        0,
        true,
    )?;
    let create = "creation_statements=CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT pg_read_all_data TO \"{{name}}\";";
    d.step(
        None,
        &[
            "write",
            "database/roles/readonly",
            "db_name=demo",
            create,
            "default_ttl=1h",
            "max_ttl=24h",
        ],
        None,
        0,
        true,
    )?;
    say("\n# Alice, with her token, gets a PostgreSQL user of her own:");
    d.token = d.alice.clone();
    say(&format!(
        "\n$ export VAULTJWT_TOKEN={}\n",
        d.token.clone().unwrap_or_default()
    ));
    let creds = d.step(None, &["read", "database/creds/readonly"], None, 0, true)?;
    let lease = creds.stdout.lines().find_map(|l| {
        let mut cols = l.split_whitespace();
        (cols.next() == Some("lease_id")).then(|| cols.next().map(str::to_string))?
    });
    d.check(lease.is_some(), "Alice's credentials came without a lease");
    say("\n# Back as the operator: the lease ends now, and the PostgreSQL user with it.\n$ unset VAULTJWT_TOKEN\n");
    d.token = None;
    if let Some(lease) = lease {
        d.step(None, &["lease", "revoke", "-sync", &lease], None, 0, true)?;
        d.step(None, &["lease", "lookup", &lease], None, 2, true)?;
    }
    Ok(())
}
