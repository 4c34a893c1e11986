//! The OIDC flow against the dev issuer, without a browser: the sign-in form is posted over
//! HTTP. The attacks of the security notes (replayed state, wrong nonce, code used twice,
//! redirect_uri not allowed, an ID token for another client, a missing PKCE verifier) are each
//! refused with OpenBao 2.7.2's error, in strict mode. Also: `auth_url` and `callback` as
//! separate processes, Ctrl-C, and the same login against a real bao server.

use crate::common;
use crate::oidc_support;

use common::TestEnv;
use oidc_support::{code_and_state, configure, free_port, read_auth_url, sign_in, Issuer};
use serde_json::Value;
use std::process::Stdio;

const USERINFO: &str = r#"{"email": "alice@example.com"}"#;
/// The ID token claims the role needs (its `groups_claim`).
const CLAIMS: &str = r#"{"groups": ["eng"]}"#;

struct Flow {
    env: TestEnv,
    issuer: Issuer,
    port: u16,
}

impl Flow {
    fn new() -> Flow {
        let env = TestEnv::new();
        let issuer = Issuer::start(&env);
        let port = free_port();
        configure(&env, &issuer, port);
        Flow { env, issuer, port }
    }

    fn strict(&self, args: &[&str]) -> common::Out {
        self.env.cmd(args).env("VAULTJWT_COMPAT", "openbao").run()
    }

    fn redirect_uri(&self) -> String {
        format!("http://localhost:{}/oidc/callback", self.port)
    }

    /// `auth_url` in its own process.
    fn auth_url(&self) -> String {
        let out = self.strict(&[
            "write",
            "-field=auth_url",
            "auth/oidc/oidc/auth_url",
            &format!("redirect_uri={}", self.redirect_uri()),
            "client_nonce=cn1",
        ]);
        out.success();
        out.stdout.trim().to_string()
    }

    /// The callback in its own process.
    fn callback(&self, code: &str, state: &str) -> common::Out {
        self.strict(&[
            "read",
            "-format=json",
            "auth/oidc/oidc/callback",
            &format!("code={code}"),
            &format!("state={state}"),
            "client_nonce=cn1",
        ])
    }

    /// A sign-in with these extra ID token claims; the code and state of the redirect.
    fn signed_in(&self, claims: &str) -> (String, String) {
        code_and_state(&sign_in(&self.auth_url(), "alice", claims, USERINFO))
    }
}

fn refused(out: &common::Out, message: &str) {
    out.code(2);
    assert!(
        out.stderr
            .contains(&format!("Code: 400. Errors:\n\n* {message}\n")),
        "expected {message:?} in:\n{}",
        out.stderr
    );
}

#[test]
fn auth_url_and_callback_as_separate_processes() {
    let f = Flow::new();
    let url = f.auth_url();
    let u = reqwest::Url::parse(&url).unwrap();
    let q: std::collections::BTreeMap<String, String> = u.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], "vaultjwt");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["scope"], "openid profile email");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["redirect_uri"], f.redirect_uri());
    assert!(
        q["state"].starts_with("st_") && q["state"].len() == 23,
        "{url}"
    );
    assert!(
        q["nonce"].starts_with("n_") && q["nonce"].len() == 22,
        "{url}"
    );
    assert_eq!(q["code_challenge"].len(), 43);

    let (code, state) = code_and_state(&sign_in(&url, "alice", CLAIMS, USERINFO));
    assert_eq!(state, q["state"]);
    let out = f.callback(&code, &state);
    out.success();
    let auth = &out.json()["auth"];
    assert_eq!(auth["metadata"]["email"], "alice@example.com");
    assert_eq!(
        auth["token_policies"],
        serde_json::json!(["default", "dev"])
    );
}

#[test]
fn a_replayed_state_is_refused() {
    let f = Flow::new();
    let (code, state) = f.signed_in(CLAIMS);
    f.callback(&code, &state).success();
    refused(
        &f.callback(&code, &state),
        "OpenBao login failed. Expired or missing OAuth state.",
    );
    // An unknown state too.
    refused(
        &f.callback(&code, "st_nope"),
        "OpenBao login failed. Expired or missing OAuth state.",
    );
}

#[test]
fn a_wrong_nonce_is_refused() {
    let f = Flow::new();
    let (code, state) = f.signed_in(r#"{"nonce": "n_from_another_login"}"#);
    refused(
        &f.callback(&code, &state),
        r#"OpenBao login failed. Error exchanging oidc code: "Provider.Exchange: id_token failed verification: Provider.VerifyIDToken: invalid id_token nonce: invalid nonce"."#,
    );
}

#[test]
fn a_code_used_twice_is_refused() {
    let f = Flow::new();
    let (code, state) = f.signed_in(CLAIMS);
    f.callback(&code, &state).success();
    // The same code with a fresh state (the state itself is single use).
    let (_, fresh) = code_and_state(&sign_in(&f.auth_url(), "alice", CLAIMS, USERINFO));
    refused(
        &f.callback(&code, &fresh),
        r#"OpenBao login failed. Error exchanging oidc code: "Provider.Exchange: unable to exchange auth code with provider: oauth2: \"invalid_grant\" \"authorization code already used\""."#,
    );
}

#[test]
fn a_redirect_uri_not_allowed_gets_no_url() {
    let f = Flow::new();
    for uri in [
        "http://evil.example:8250/oidc/callback",
        &format!("http://localhost:{}/oidc/callback/extra", f.port),
        &format!("http://127.0.0.1:{}/oidc/callback", f.port),
    ] {
        let out = f.strict(&[
            "write",
            "-format=json",
            "auth/oidc/oidc/auth_url",
            &format!("redirect_uri={uri}"),
        ]);
        out.success();
        assert_eq!(out.json()["data"]["auth_url"], "", "{uri}");
    }
    // Loopback: any port.
    let out = f.strict(&[
        "write",
        "-field=auth_url",
        "auth/oidc/oidc/auth_url",
        "redirect_uri=http://localhost:1/oidc/callback",
    ]);
    out.success();
    assert!(out.stdout.contains("state=st_"), "{}", out.stdout);
    // The CLI says so as the vault CLI does.
    let out = f
        .env
        .cmd(&[
            "login",
            "-method=oidc",
            "role=dev",
            "callbackhost=evil.example",
            "port=1",
        ])
        .env("VAULTJWT_COMPAT", "openbao")
        .run();
    out.code(2);
    out.stderr_is("Error authenticating: Unable to authorize role \"dev\" with redirect_uri \"http://evil.example:1/oidc/callback\". Check OpenBao logs for more information.\n");
}

#[test]
fn an_id_token_for_another_client_is_refused() {
    let f = Flow::new();
    let (code, state) = f.signed_in(r#"{"aud": "another-client"}"#);
    refused(
        &f.callback(&code, &state),
        r#"OpenBao login failed. Error exchanging oidc code: "Provider.Exchange: id_token failed verification: Provider.VerifyIDToken: invalid id_token: one audience (another-client) which is not the client_id (vaultjwt) and authorized party (%!s(<nil>)) is not equal client_id (vaultjwt): invalid authorized party (azp)"."#,
    );
    let (code, state) = f.signed_in(r#"{"aud": ["vaultjwt", "another-client"]}"#);
    refused(
        &f.callback(&code, &state),
        r#"OpenBao login failed. Error exchanging oidc code: "Provider.Exchange: id_token failed verification: Provider.VerifyIDToken: invalid id_token: multiple audiences and authorized party (%!s(<nil>)) is not equal client_id (vaultjwt): invalid authorized party (azp)"."#,
    );
}

#[test]
fn a_wrong_client_nonce_and_provider_errors_are_refused() {
    let f = Flow::new();
    let (code, state) = f.signed_in(CLAIMS);
    let out = f.strict(&[
        "read",
        "auth/oidc/oidc/callback",
        &format!("code={code}"),
        &format!("state={state}"),
        "client_nonce=other",
    ]);
    refused(&out, "invalid client_nonce");
    let (_, state) = f.signed_in(CLAIMS);
    let out = f.strict(&[
        "read",
        "auth/oidc/oidc/callback",
        &format!("state={state}"),
        "error=access_denied",
    ]);
    refused(&out, "OpenBao login failed. access_denied");
    // The bound claim comes from userinfo: without it, the login is refused.
    let url = f.auth_url();
    let (code, state) = code_and_state(&sign_in(
        &url,
        "alice",
        CLAIMS,
        r#"{"email": "eve@example.com"}"#,
    ));
    refused(
        &f.callback(&code, &state),
        "OpenBao login failed. error validating claims: claim \"email\" does not match any associated bound claim values",
    );
}

/// The token endpoint of the dev issuer, posted to directly.
fn token_request(f: &Flow, form: &[(&str, &str)], basic: bool) -> (u16, Value) {
    let client = reqwest::blocking::Client::new();
    let mut req = client.post(format!("{}/token", f.issuer.url)).form(form);
    if basic {
        req = req.basic_auth(&f.issuer.client_id, Some(&f.issuer.secret));
    }
    let resp = req.send().unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

#[test]
fn the_dev_issuer_requires_the_pkce_verifier_and_the_client_secret() {
    let f = Flow::new();
    let (code, _) = f.signed_in(CLAIMS);
    let redirect = f.redirect_uri();
    let base = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
    ];
    // No client authentication.
    let (status, body) = token_request(&f, &base, false);
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // A wrong secret in the form (client_secret_post).
    let mut form = base.to_vec();
    form.push(("client_id", "vaultjwt"));
    form.push(("client_secret", "wrong"));
    let (status, _) = token_request(&f, &form, false);
    assert_eq!(status, 401);
    // No verifier: refused, and the code is spent.
    let (status, body) = token_request(&f, &base, true);
    assert_eq!(status, 400);
    assert_eq!(body["error_description"], "code_verifier required");
    let mut form = base.to_vec();
    form.push(("code_verifier", "x".repeat(43).leak()));
    let (_, body) = token_request(&f, &form, true);
    assert_eq!(body["error_description"], "authorization code already used");

    // A wrong verifier on a fresh code.
    let (code, _) = f.signed_in(CLAIMS);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        (
            "code_verifier",
            "not-the-verifier-not-the-verifier-not-the-ve",
        ),
    ];
    let (status, body) = token_request(&f, &form, true);
    assert_eq!(status, 400);
    assert_eq!(body["error_description"], "PKCE verification failed");
}

#[test]
fn ctrl_c_leaves_nothing_behind() {
    let f = Flow::new();
    let mut login = f
        .env
        .cmd(&[])
        .cmd
        .args([
            "login",
            "-method=oidc",
            &format!("port={}", f.port),
            "skip_browser=true",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (url, stderr) = read_auth_url(login.stderr.take().unwrap());
    // While it waits, the data directory is not locked: other commands run.
    f.env.run(&["auth", "list"]).success();
    // SAFETY: sends SIGINT to our own child.
    unsafe {
        libc::kill(login.id() as i32, libc::SIGINT);
    }
    let status = login.wait().unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(stderr
        .join()
        .unwrap()
        .ends_with("Error authenticating: interrupted\n"));
    // The listener is gone and the state was spent.
    assert!(std::net::TcpStream::connect(("127.0.0.1", f.port)).is_err());
    let (code, state) = code_and_state(&sign_in(&url, "alice", CLAIMS, USERINFO));
    refused(
        &f.callback(&code, &state),
        "OpenBao login failed. Expired or missing OAuth state.",
    );
    common::assert_unlocked(&f.env.storage());
    assert!(common::stray_files(&f.env.storage()).is_empty());
}

#[test]
fn remote_mode_against_bao() {
    let Some(bao) = common::BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    let issuer = Issuer::start(&env);
    let port = free_port();
    let remote = |args: &[&str]| {
        env.cmd(args)
            .env("VAULTJWT_ADDR", &bao.addr)
            .env("VAULTJWT_TOKEN", "root")
            .run()
    };
    remote(&["auth", "enable", "oidc"]).success();
    remote(&[
        "write",
        "auth/oidc/config",
        &format!("oidc_discovery_url={}", issuer.url),
        "oidc_client_id=vaultjwt",
        &format!("oidc_client_secret={}", issuer.secret),
    ])
    .success();
    remote(&[
        "write",
        "auth/oidc/role/dev",
        "user_claim=sub",
        &format!("allowed_redirect_uris=http://localhost:{port}/oidc/callback"),
        "token_policies=dev",
    ])
    .success();
    let mut login = env
        .cmd(&[])
        .cmd
        .env("VAULTJWT_ADDR", &bao.addr)
        .args([
            "login",
            "-method=oidc",
            "-token-only",
            "role=dev",
            &format!("port={port}"),
            "skip_browser=true",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (url, stderr) = read_auth_url(login.stderr.take().unwrap());
    let location = sign_in(&url, "carol", "{}", "{}");
    let page = reqwest::blocking::get(&location).unwrap().text().unwrap();
    assert!(page.contains("Signed in via your OIDC provider"), "{page}");
    let out = login.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr.join().unwrap());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let lookup = env
        .cmd(&["token", "lookup", "-format=json", &token])
        .env("VAULTJWT_ADDR", &bao.addr)
        .env("VAULTJWT_TOKEN", "root")
        .run();
    lookup.success();
    assert_eq!(lookup.json()["data"]["display_name"], "oidc-carol");
    assert_eq!(
        lookup.json()["data"]["policies"],
        serde_json::json!(["default", "dev"])
    );
}

#[test]
fn jwt_explain_explains_an_id_token_against_an_oidc_role() {
    let f = Flow::new();
    let sign = |aud: &str| {
        let out = f.env.run(&[
            "jwt",
            "sign",
            "-issuer",
            "-claim",
            "sub=alice",
            "-claim",
            &format!("aud={aud}"),
            "-claim",
            r#"groups=["eng"]"#,
            "-claim",
            "email=alice@example.com",
        ]);
        out.success();
        out.stdout.trim().to_string()
    };
    let good = sign("vaultjwt");
    let out = f.env.run(&[
        "jwt",
        "explain",
        "-format=json",
        "-path=oidc",
        "role=dev",
        &format!("jwt={good}"),
    ]);
    // The verdict is the login path's (an oidc role cannot log in there); the checks that
    // follow are the OIDC callback's, and they pass.
    out.code(2);
    let v: Value = serde_json::from_str(&out.stdout).expect("explain JSON");
    assert_eq!(v["error"], "role with oidc role_type is not allowed", "{v}");
    let result = |name: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == name)
            .map(|c| c["result"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert_eq!(result("id_token"), "pass", "{v}");
    assert_eq!(result("identity"), "pass", "{v}");
    assert_eq!(result("nonce"), "skip", "{v}");

    let other = sign("another-client");
    let out = f.env.run(&[
        "jwt",
        "explain",
        "-path=oidc",
        "role=dev",
        &format!("jwt={other}"),
    ]);
    out.code(2);
    assert!(
        out.stdout.contains("OpenBao login failed. Error exchanging oidc code: \"Provider.Exchange: id_token failed verification: Provider.VerifyIDToken: invalid id_token: one audience (another-client) which is not the client_id (vaultjwt)"),
        "{}",
        out.stdout
    );
}
