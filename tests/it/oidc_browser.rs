//! `login -method=oidc` as a person does it: headless Chromium (driven through chromedriver)
//! opens the URL the CLI prints, fills the dev issuer's sign-in form and is redirected to the
//! CLI's listener, which completes the login and prints the token. Skipped (with the reason)
//! without `chromium` and `chromedriver`; failed instead under `VAULTJWT_REQUIRE_EXTERNAL=1`.

use crate::common;
use crate::oidc_support;

use common::{external_or_skip, TestEnv};
use fantoccini::{ClientBuilder, Locator};
use oidc_support::{configure, free_port, read_auth_url, Issuer};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|b| b.is_file())
    })
}

/// The browser and its driver: `$CHROMIUM`/`$CHROMEDRIVER`, else `chromium` and
/// `chromedriver` on PATH.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path("chromium"))
        .or_else(|| on_path("chromium-browser"));
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| on_path("chromedriver"));
    external_or_skip(
        "headless Chromium (chromium and chromedriver on PATH)",
        chromium.zip(driver),
    )
}

/// chromedriver on a free loopback port, killed (by PID) when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(bin: &PathBuf) -> Driver {
        let port = free_port();
        let child = Command::new(bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// Opens `url` in headless Chromium, signs in as `subject` with the given claims, and
/// returns the text of the page the browser ends on.
async fn sign_in_with_browser(
    driver: &str,
    chromium: &str,
    profile: &str,
    url: &str,
    subject: &str,
    claims: &str,
    userinfo: &str,
) -> String {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run",
                     format!("--user-data-dir={profile}")],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("WebDriver session");
    let result = async {
        client.goto(url).await?;
        let subject_box = client.find(Locator::Id("subject")).await?;
        subject_box.clear().await?;
        subject_box.send_keys(subject).await?;
        let claims_box = client.find(Locator::Id("claims")).await?;
        claims_box.clear().await?;
        claims_box.send_keys(claims).await?;
        let userinfo_box = client.find(Locator::Id("userinfo")).await?;
        userinfo_box.clear().await?;
        userinfo_box.send_keys(userinfo).await?;
        client.find(Locator::Id("signin")).await?.click().await?;
        // The CLI's listener answers the redirect with its own page.
        let body = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("div.message"))
            .await?;
        body.text().await
    }
    .await;
    let _ = client.close().await;
    result.expect("browser sign-in")
}

#[test]
fn oidc_login_in_headless_chromium() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let env = TestEnv::new();
    let issuer = Issuer::start(&env);
    let port = free_port();
    configure(&env, &issuer, port);
    let root = env.root_token();

    let mut login = env
        .cmd(&[])
        .cmd
        .args([
            "login",
            "-method=oidc",
            "-format=json",
            "role=dev",
            &format!("port={port}"),
            "skip_browser=true",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start login");
    let (url, stderr) = read_auth_url(login.stderr.take().unwrap());
    assert!(
        url.starts_with(&format!("{}/authorize?", issuer.url)),
        "{url}"
    );
    assert!(url.contains("code_challenge_method=S256"), "{url}");

    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let page = rt.block_on(sign_in_with_browser(
        &driver.url,
        &chromium.to_string_lossy(),
        &profile.path().to_string_lossy(),
        &url,
        "alice",
        r#"{"groups": ["eng", "ops"]}"#,
        r#"{"email": "alice@example.com"}"#,
    ));
    assert!(
        page.contains("Signed in via your OIDC provider"),
        "browser page: {page}"
    );

    let out = login.wait_with_output().expect("login output");
    let stderr = stderr.join().unwrap();
    assert!(out.status.success(), "login failed: {stderr}");
    assert!(stderr.contains("Waiting for OIDC authentication to complete..."));
    let resp: Value = serde_json::from_slice(&out.stdout).expect("login JSON");
    let auth = &resp["auth"];
    let token = auth["client_token"].as_str().expect("token printed");
    assert!(token.starts_with("s."), "{token}");
    assert_eq!(auth["token_policies"], json!(["default", "dev"]));
    assert_eq!(
        auth["metadata"],
        json!({"role": "dev", "email": "alice@example.com"})
    );

    // The token was stored: `token lookup` without a token is this token.
    let lookup = env.run(&["token", "lookup", "-format=json"]);
    lookup.success();
    let data = &lookup.json()["data"];
    assert_eq!(data["display_name"], "oidc-alice");
    assert_eq!(data["policies"], json!(["default", "dev"]));
    assert_eq!(data["path"], "auth/oidc/oidc/callback");

    // The entity: one alias on the oidc mount, named by the user claim.
    let entity_id = auth["entity_id"].as_str().unwrap().to_string();
    let entity = env
        .cmd(&[
            "read",
            "-format=json",
            &format!("identity/entity/id/{entity_id}"),
        ])
        .env("VAULTJWT_TOKEN", &root)
        .run();
    entity.success();
    let aliases = &entity.json()["data"]["aliases"];
    assert_eq!(aliases.as_array().map(Vec::len), Some(1), "{aliases}");
    assert_eq!(aliases[0]["name"], "alice");
    assert_eq!(aliases[0]["mount_type"], "oidc");
}
