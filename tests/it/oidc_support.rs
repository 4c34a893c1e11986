//! Shared by the OIDC tests: the dev issuer as a child process, a mount configured for it,
//! and the sign-in a browser would do, over plain HTTP.
#![allow(dead_code)]

use crate::common::TestEnv;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// `vaultjwt dev issuer` running in `env`'s data directory; killed (by PID) when dropped.
pub struct Issuer {
    child: Child,
    pub url: String,
    pub client_id: String,
    pub secret: String,
}

impl Drop for Issuer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Issuer {
    pub fn start(env: &TestEnv) -> Issuer {
        // The data directory must exist before the issuer keeps its keys there.
        env.run(&["auth", "list"]).success();
        let mut cmd: Command = crate::common::command(env.home.path());
        cmd.args(["dev", "issuer", "--listen", "127.0.0.1:0"])
            .env("VAULTJWT_HOME", &env.data)
            .env("HOME", env.home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("start dev issuer");
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        let (mut url, mut client) = (String::new(), String::new());
        for line in lines.by_ref() {
            let line = line.expect("issuer output");
            if let Some(u) = line.strip_prefix("Issuer:") {
                url = u.trim().to_string();
            }
            if let Some(c) = line.strip_prefix("Client:") {
                client = c.trim().to_string();
                break;
            }
        }
        // Keep draining so the issuer never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        // "vaultjwt (secret S)"
        let (client_id, rest) = client.split_once(" (secret ").expect("client line");
        let secret = rest.trim_end_matches(')').to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Issuer {
            child,
            url,
            client_id: client_id.to_string(),
            secret,
        }
    }
}

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Enables `oidc/` (type oidc), configures it for `issuer` and writes role `dev` (groups from
/// the `groups` claim, bound to an `email` that only the userinfo endpoint gives).
pub fn configure(env: &TestEnv, issuer: &Issuer, port: u16) {
    env.run(&["auth", "enable", "oidc"]).success();
    env.run(&[
        "write",
        "auth/oidc/config",
        &format!("oidc_discovery_url={}", issuer.url),
        &format!("oidc_client_id={}", issuer.client_id),
        &format!("oidc_client_secret={}", issuer.secret),
        "default_role=dev",
    ])
    .success();
    let role = serde_json::json!({
        "role_type": "oidc",
        "user_claim": "sub",
        "groups_claim": "groups",
        "oidc_scopes": ["profile", "email"],
        "allowed_redirect_uris": [format!("http://localhost:{port}/oidc/callback")],
        "bound_claims": {"email": "alice@example.com"},
        "claim_mappings": {"email": "email"},
        "token_policies": ["dev"],
    });
    env.cmd(&["write", "auth/oidc/role/dev", "-"])
        .stdin(role.to_string())
        .run()
        .success();
}

/// What the dev issuer's sign-in form posts: the query of `auth_url` plus the subject and
/// the claims. Returns the redirect's `Location`.
pub fn sign_in(auth_url: &str, subject: &str, claims: &str, userinfo: &str) -> String {
    let parsed = reqwest::Url::parse(auth_url).expect("auth_url");
    let mut form: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    form.push(("subject".into(), subject.into()));
    form.push(("claims".into(), claims.into()));
    form.push(("userinfo".into(), userinfo.into()));
    let mut post = parsed.clone();
    post.set_query(None);
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client.post(post).form(&form).send().expect("sign in");
    assert_eq!(
        resp.status().as_u16(),
        302,
        "sign-in refused: {:?}",
        resp.text()
    );
    resp.headers()["location"].to_str().unwrap().to_string()
}

/// The `code` and `state` of a redirect to the callback.
pub fn code_and_state(location: &str) -> (String, String) {
    let u = reqwest::Url::parse(location).expect("location");
    let get = |k: &str| {
        u.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    (get("code"), get("state"))
}

/// Reads the stderr of `login -method=oidc` until the URL it prints; the rest of stderr is
/// collected by the returned thread.
pub fn read_auth_url(
    stderr: std::process::ChildStderr,
) -> (String, std::thread::JoinHandle<String>) {
    let mut reader = BufReader::new(stderr);
    let mut seen = String::new();
    let mut url = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        seen.push_str(&line);
        if let Some(u) = line.strip_prefix("    http") {
            url = format!("http{}", u.trim_end());
            line.clear();
            break;
        }
        line.clear();
    }
    assert!(!url.is_empty(), "no URL printed:\n{seen}");
    let rest = std::thread::spawn(move || {
        let mut all = seen;
        let _ = std::io::Read::read_to_string(&mut reader, &mut all);
        all
    });
    (url, rest)
}
