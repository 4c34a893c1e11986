//! Remote mode: the CLI as a client of a real `bao server -dev` on loopback (`-address`,
//! `VAULTJWT_ADDR`, `address` in config.toml), the token kept per address, nothing local
//! created or sent, and one clear line for a server that cannot answer.

use crate::common;

use common::{BaoDev, TestEnv};
use std::io::{Read, Write};

/// `vaultjwt -address=... ARGS` as root on the server.
fn remote(env: &TestEnv, bao: &BaoDev, args: &[&str]) -> common::Out {
    let addr = format!("-address={}", bao.addr);
    let mut all: Vec<&str> = vec![args[0], &addr];
    all.extend_from_slice(&args[1..]);
    env.cmd(&all).env("VAULTJWT_TOKEN", "root").run()
}

#[test]
fn commands_reach_the_server_and_nothing_local_is_created() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    remote(&env, &bao, &["auth", "enable", "jwt"])
        .success()
        .stdout_is("Success! Enabled jwt auth method at: jwt/\n");
    let out = env
        .cmd(&[
            "policy",
            &format!("-address={}", bao.addr),
            "write",
            "dev",
            "-",
        ])
        .env("VAULTJWT_TOKEN", "root")
        .stdin("path \"secret/*\" { capabilities = [\"read\"] }\n")
        .run();
    out.success();
    // What the server holds, read back through the CLI: the mount, the policy.
    let mounts = remote(&env, &bao, &["read", "-format=json", "sys/auth"]);
    let v = mounts.success().json();
    assert_eq!(v["data"]["jwt/"]["type"], "jwt", "{v:#}");
    remote(&env, &bao, &["policy", "read", "dev"])
        .success()
        .stdout_has("path \"secret/*\"");
    // The server's own errors, in Vault's shape, exit 2.
    let out = remote(&env, &bao, &["write", "auth/jwt/login", "role=r", "jwt=x"]);
    out.code(2)
        .stderr_has("Code: 400. Errors:")
        .stderr_has("* could not load configuration");
    // VAULTJWT_ADDR works as the flag does.
    env.cmd(&["auth", "list"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .env("VAULTJWT_TOKEN", "root")
        .run()
        .success()
        .stdout_has("jwt/");
    // The data directory was never created: remote mode changes nothing locally.
    assert!(!env.data.exists(), "{:?}", common::files_below(&env.data));
}

#[test]
fn vault_addr_is_never_read_and_the_local_root_token_never_sent() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    // VAULT_ADDR / VAULT_TOKEN pointing at the server: the command stays local.
    env.cmd(&["auth", "enable", "jwt"])
        .env("VAULT_ADDR", &bao.addr)
        .env("VAULT_TOKEN", "root")
        .run()
        .success();
    let v = env
        .cmd(&["read", "-format=json", "sys/auth"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .env("VAULTJWT_TOKEN", "root")
        .run()
        .success()
        .json();
    assert!(
        v["data"].get("jwt/").is_none(),
        "the local enable reached the server: {v:#}"
    );
    // A local data directory with its root token, then remote mode with no token: the
    // local root token is not sent, so the server refuses.
    env.run(&["token", "lookup"]).success();
    env.cmd(&["token", "lookup"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .run()
        .code(2)
        .stderr_has("Code: 403");
}

#[test]
fn login_keeps_one_token_per_address() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    // The local directory first: its helper holds the local root token.
    env.run(&["token", "lookup"]).success();
    let local_helper = std::fs::read_to_string(env.data.join("token")).unwrap();
    // Log in to the server with its root token: kept for that address only.
    env.cmd(&["login", &format!("-address={}", bao.addr), "root"])
        .run()
        .success();
    assert_eq!(
        std::fs::read_to_string(env.data.join("token")).unwrap(),
        local_helper,
        "the local token helper changed"
    );
    // Later remote commands use it without VAULTJWT_TOKEN; local ones still the local root.
    env.cmd(&["token", "lookup", "-format=json"])
        .env("VAULTJWT_ADDR", &bao.addr)
        .run()
        .success()
        .stdout_has("\"id\": \"root\"");
    env.run(&["token", "lookup"]).success();
    let dir = env.data.join("remote-tokens");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    use std::os::unix::fs::PermissionsExt;
    let mode = files[0].metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dmode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(dmode, 0o700);
}

/// A loopback server that answers every request with `answer` (a raw HTTP response).
fn fake_server(answer: &'static str) -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for s in l.incoming().flatten().take(16) {
            let mut s = s;
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(answer.as_bytes());
        }
    });
    addr
}

#[test]
fn a_server_that_cannot_answer_gets_one_line_and_exit_2() {
    let env = TestEnv::new();
    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("http://127.0.0.1:{port}");
    let out = env
        .cmd(&["read", &format!("-address={addr}"), "sys/auth"])
        .env("VAULTJWT_MAX_RETRIES", "0")
        .run();
    out.code(2).one_line_error();
    assert_eq!(
        out.stderr,
        format!(
            "Error reading sys/auth: Get \"{addr}/v1/sys/auth\": dial tcp 127.0.0.1:{port}: connect: connection refused\n"
        )
    );
    // Not JSON.
    let addr = fake_server(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\nConnection: close\r\n\r\n<html>hi</html>",
    );
    let out = env
        .cmd(&["read", &format!("-address={addr}"), "sys/auth"])
        .run();
    out.code(2)
        .one_line_error()
        .stderr_has(&addr)
        .stderr_has("not JSON");
    // A bad CA file is refused before anything is sent.
    let out = env
        .cmd(&[
            "read",
            "-address=https://127.0.0.1:1",
            "-ca-cert=/nonexistent/ca.pem",
            "sys/auth",
        ])
        .run();
    out.code(1)
        .one_line_error()
        .stderr_has("/nonexistent/ca.pem");
    // Nothing local was created by any of it.
    assert!(!env.data.exists());
}

#[test]
fn the_per_address_token_is_never_written_through_a_link() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    env.run(&["token", "lookup"]).success();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("keep"), "keep").unwrap();
    std::os::unix::fs::symlink(outside.path(), env.data.join("remote-tokens")).unwrap();
    let before = common::snapshot(outside.path());
    let out = env
        .cmd(&["login", &format!("-address={}", bao.addr), "root"])
        .run();
    assert_ne!(out.code, Some(0), "a login stored its token through a link");
    assert!(out.stderr.contains("remote-tokens"), "{}", out.stderr);
    assert_eq!(common::snapshot(outside.path()), before);
}

#[test]
fn output_curl_string_prints_the_request_and_sends_nothing() {
    // A port nothing listens on: had anything been sent, the command would fail.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = TestEnv::new();
    let out = env
        .cmd(&[
            "write",
            &format!("-address=http://127.0.0.1:{port}"),
            "-output-curl-string",
            "auth/jwt/role/r",
            "role_type=jwt",
        ])
        .env("VAULTJWT_TOKEN", "s.secret")
        .run();
    out.success().stdout_is(&format!(
        "curl -X PUT -H \"X-Vault-Request: true\" -H \"X-Vault-Token: $(vaultjwt print token)\" -d '{{\"role_type\":\"jwt\"}}' \"http://127.0.0.1:{port}/v1/auth/jwt/role/r\"\n"
    ));
    assert!(!out.stdout.contains("s.secret"));
    // `print token` gives what the curl line refers to.
    env.cmd(&["print", "token"])
        .env("VAULTJWT_TOKEN", "s.secret")
        .run()
        .success()
        .stdout_is("s.secret\n");
}

/// `status` against a server prints what `bao status` prints (table and JSON), exit 0.
#[test]
fn status_of_a_server_is_bao_status() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let bin = common::bao_bin().expect("bao");
    let env = TestEnv::new();
    for format in ["table", "json"] {
        let want = std::process::Command::new(&bin)
            .args(["status", &format!("-format={format}")])
            .env("BAO_ADDR", &bao.addr)
            .output()
            .expect("bao status");
        assert!(want.status.success());
        let want = String::from_utf8(want.stdout).unwrap();
        remote(&env, &bao, &["status", &format!("-format={format}")])
            .success()
            .stdout_is(&want);
    }
    // A server that is not there: bao's one line, exit 1.
    env.cmd(&["status", "-address=http://127.0.0.1:1"])
        .run()
        .code(1)
        .stderr_has("Error checking seal status: ");
}

/// A loopback server that answers one request with an empty JSON object and hands back the
/// request's text.
fn capturing_server() -> (String, std::sync::mpsc::Receiver<String>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Some(Ok(mut s)) = l.incoming().next() {
            let mut buf = vec![0u8; 8192];
            let n = s.read(&mut buf).unwrap_or(0);
            let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
            let body = "{\"data\":{\"a\":\"b\"}}";
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (addr, rx)
}

/// `-header K=V` (vault's global flag): sent with the request, shown by -output-curl-string,
/// X-Vault-* refused (exit 2) and a value without `=` refused (exit 1) as bao does; `jwt sign`
/// keeps its own `-header` (a JOSE header parameter).
#[test]
fn header_flags_are_sent_and_checked_as_vaults() {
    let env = TestEnv::new();
    let (addr, got) = capturing_server();
    env.cmd(&[
        "read",
        &format!("-address={addr}"),
        "-header=X-Team=platform",
        "-header",
        "X-Trace=a=b",
        "sys/x",
    ])
    .env("VAULTJWT_MAX_RETRIES", "0")
    .run()
    .success();
    let req = got
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap()
        .to_ascii_lowercase();
    assert!(req.contains("\r\nx-team: platform\r\n"), "{req}");
    assert!(req.contains("\r\nx-trace: a=b\r\n"), "{req}");
    env.cmd(&[
        "read",
        "-address=http://127.0.0.1:1",
        "-header=A=1",
        "-output-curl-string",
        "sys/mounts",
    ])
    .run()
    .success()
    .stdout_is(
        "curl -H \"X-Vault-Request: true\" -H \"A: 1\" \"http://127.0.0.1:1/v1/sys/mounts\"\n",
    );
    env.cmd(&[
        "read",
        "-address=http://127.0.0.1:1",
        "-header=X-Vault-Foo=1",
        "sys/mounts",
    ])
    .run()
    .code(2)
    .stderr_is("failed to setup Headers[X-Vault-Foo]: Header starting by 'X-Vault-' are for internal usage only\n");
    env.cmd(&[
        "read",
        "-address=http://127.0.0.1:1",
        "-header=nokv",
        "sys/mounts",
    ])
    .run()
    .code(1)
    .stderr_is("invalid value \"nokv\" for flag -header: missing = in KV pair: \"nokv\"\n");
    assert!(!env.data.exists());
    // `jwt sign -header` is still the token's header.
    let key = env.home.path().join("k");
    env.run(&[
        "jwt",
        "keygen",
        "-alg=ES256",
        &format!("-out={}", key.display()),
    ])
    .success();
    let token = env
        .run(&[
            "jwt",
            "sign",
            &format!("-key={}.private.pem", key.display()),
            "-header=typ=JWT",
            "-claim=sub=x",
        ])
        .success()
        .stdout
        .trim()
        .to_string();
    env.run(&["jwt", "decode", "-format=json", &token])
        .success()
        .stdout_has("\"typ\": \"JWT\"");
}

/// `-tls-server-name`: the name the certificate is checked against (and the SNI), the
/// connection still made to the address; a name the certificate does not have is refused.
#[test]
fn tls_server_name_is_the_name_the_certificate_is_checked_against() {
    let Some(bao) = BaoDev::start_tls() else {
        return;
    };
    let ca = bao.ca.clone().unwrap();
    let env = TestEnv::new();
    let run = |name: &str| {
        env.cmd(&[
            "read",
            &format!("-address={}", bao.addr),
            &format!("-ca-cert={}", ca.display()),
            &format!("-tls-server-name={name}"),
            "-field=type",
            "sys/mounts/secret",
        ])
        .env("VAULTJWT_TOKEN", "root")
        .env("VAULTJWT_MAX_RETRIES", "0")
        .run()
    };
    run("localhost").success().stdout_is("kv");
    run("other.example")
        .code(2)
        .one_line_error()
        .stderr_has(&bao.addr)
        .stderr_has("other.example");
}
