//! Issue 12 item 6: every `@file` and stdin the CLI reads is capped while reading. An endless
//! source (`/dev/zero`, as a file or as stdin) stops at the cap with one line naming the limit
//! and the source, exit 1, and nothing stored: a `jwt` being logged in with just past 64 KiB
//! (the longest token login accepts), anything else (values, JSON bodies, policies, key
//! files) at 32 MiB, Vault's request size limit. Inputs under the caps work as before.

use crate::common;

use common::*;
use std::fs::File;
use std::process::Stdio;
use std::time::{Duration, Instant};

const TOKEN_LIMIT: &str = "is larger than 64 KiB, the longest token vaultjwt accepts";
const REQUEST_LIMIT: &str = "is larger than 32 MiB, Vault's request size limit";

/// Runs `vaultjwt ARGS` with stdin from `stdin` (a file such as /dev/zero, or nothing). A
/// guard against a hang, not a timing assertion: a CLI that read `/dev/zero` to its end would
/// never finish, so after two minutes it is killed and the test fails.
fn run_with_stdin(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = env.cmd(args).cmd;
    cmd.stdin(match stdin {
        Some(path) => Stdio::from(File::open(path).unwrap()),
        None => Stdio::null(),
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn vaultjwt");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vaultjwt {args:?} did not stop reading (killed after 2 minutes)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    Out {
        args: args.iter().map(|s| s.to_string()).collect(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code(),
    }
}

/// `args` (stdin from `stdin`) fails with exactly `message` on one line, exit 1, and leaves the
/// data directory as it was.
fn refused(env: &TestEnv, args: &[&str], stdin: Option<&str>, message: &str) {
    let before = env.snapshot();
    let out = run_with_stdin(env, args, stdin);
    out.code(1)
        .one_line_error()
        .stderr_is(&format!("{message}\n"));
    assert!(
        env.snapshot() == before,
        "vaultjwt {args:?} changed the data directory"
    );
}

/// A login token signed with the `rsa2048.key` fixture whose claims carry `pad` bytes of
/// padding, for `setup_jwt_mount(env, "vault")`.
fn padded_jwt(pad: usize) -> String {
    use vaultjwt::dev::{keys::PrivateKey, sign};
    let key = PrivateKey::from_pem(&fixture_key("rsa2048.key")).unwrap();
    let now = vaultjwt::dev::time::now();
    let claims = serde_json::json!({
        "sub": "alice", "aud": "vault", "iat": now - 5, "exp": now + 3600,
        "pad": "x".repeat(pad),
    });
    let serde_json::Value::Object(claims) = claims else {
        unreachable!()
    };
    sign::sign(&key, "RS256", None, &serde_json::Map::new(), &claims).unwrap()
}

#[test]
fn a_token_stops_just_past_64_kib() {
    let env = TestEnv::new();
    setup_jwt_mount(&env, "vault");
    let zero_file = format!("Failed to parse K=V data: file /dev/zero (for jwt) {TOKEN_LIMIT}");
    let zero_stdin = format!("Failed to parse K=V data: stdin (for jwt) {TOKEN_LIMIT}");
    let login = ["write", "auth/jwt/login", "role=r"];
    refused(
        &env,
        &[&login[..], &["jwt=@/dev/zero"]].concat(),
        None,
        &zero_file,
    );
    refused(
        &env,
        &[&login[..], &["jwt=-"]].concat(),
        Some("/dev/zero"),
        &zero_stdin,
    );
    refused(
        &env,
        &["login", "-method=jwt", "role=r", "jwt=@/dev/zero"],
        None,
        &zero_file,
    );
    refused(
        &env,
        &["login", "-jwt", "-", "-role", "r"],
        Some("/dev/zero"),
        &zero_stdin,
    );
    refused(
        &env,
        &["jwt", "explain", "role=r", "jwt=@/dev/zero"],
        None,
        &zero_file,
    );
    refused(
        &env,
        &["jwt", "decode", "@/dev/zero"],
        None,
        &format!("Token file /dev/zero {TOKEN_LIMIT}"),
    );
    refused(
        &env,
        &["jwt", "decode", "-"],
        Some("/dev/zero"),
        &format!("The token on stdin {TOKEN_LIMIT}"),
    );

    // The boundary: 65,536 bytes reach the login (which refuses them as a token, exit 2);
    // one byte more is refused while reading.
    let at_limit = env.home.path().join("at-limit.jwt");
    std::fs::write(&at_limit, "A".repeat(65536)).unwrap();
    let arg = format!("jwt=@{}", at_limit.display());
    run_with_stdin(&env, &[&login[..], &[&arg]].concat(), None)
        .code(2)
        .stderr_has("Error writing data to auth/jwt/login: Error making API request.");
    std::fs::write(&at_limit, "A".repeat(65537)).unwrap();
    refused(
        &env,
        &[&login[..], &[&arg]].concat(),
        None,
        &format!(
            "Failed to parse K=V data: file {} (for jwt) {TOKEN_LIMIT}",
            at_limit.display()
        ),
    );

    // A real token just under the cap logs in, from a file and from stdin.
    let jwt = padded_jwt(45_000);
    assert!(jwt.len() > 60_000 && jwt.len() < 65536, "{}", jwt.len());
    let file = env.home.path().join("big.jwt");
    std::fs::write(&file, &jwt).unwrap();
    let arg = format!("jwt=@{}", file.display());
    let out = env.run(&["write", "-format=json", "auth/jwt/login", "role=r", &arg]);
    out.success();
    assert!(out.json()["auth"]["client_token"].is_string());
    env.cmd(&["write", "-field=token", "auth/jwt/login", "role=r", "jwt=-"])
        .stdin(jwt.clone())
        .run()
        .success();
    // `jwt` is a token only in a login: elsewhere it is a value like any other.
    // A new data directory has `secret/` (kv-v2), as `vault server -dev` does.
    let big = env.home.path().join("big-value");
    std::fs::write(&big, "v".repeat(100_000)).unwrap();
    env.run(&["kv", "put", "secret/t", &format!("jwt=@{}", big.display())])
        .success();
    let out = env.run(&["kv", "get", "-field=jwt", "secret/t"]);
    out.success();
    assert_eq!(out.stdout.len(), 100_000);
}

#[test]
fn values_bodies_and_policies_stop_at_32_mib() {
    let env = TestEnv::new();
    // A new data directory has `secret/` (kv-v2), as `vault server -dev` does.
    env.run(&["auth", "enable", "jwt"]).success();
    let kv = |s: &str| format!("Failed to parse K=V data: {s} {REQUEST_LIMIT}");
    refused(
        &env,
        &["kv", "put", "secret/k", "k=@/dev/zero"],
        None,
        &kv("file /dev/zero (for k)"),
    );
    refused(
        &env,
        &["kv", "put", "secret/k", "k=-"],
        Some("/dev/zero"),
        &kv("stdin (for k)"),
    );
    refused(
        &env,
        &["write", "secret/data/k", "-"],
        Some("/dev/zero"),
        &kv("stdin"),
    );
    refused(
        &env,
        &["write", "secret/data/k", "@/dev/zero"],
        None,
        &kv("file /dev/zero"),
    );
    // Not a login: a `jwt_validation_pubkeys` value is capped as any value.
    refused(
        &env,
        &[
            "write",
            "auth/jwt/config",
            "jwt_validation_pubkeys=@/dev/zero",
        ],
        None,
        &kv("file /dev/zero (for jwt_validation_pubkeys)"),
    );
    refused(
        &env,
        &["policy", "write", "p", "/dev/zero"],
        None,
        &format!("Error reading policy: file /dev/zero {REQUEST_LIMIT}"),
    );
    refused(
        &env,
        &["policy", "write", "p", "-"],
        Some("/dev/zero"),
        &format!("Error reading policy: stdin {REQUEST_LIMIT}"),
    );
    refused(
        &env,
        &["policy", "fmt", "/dev/zero"],
        None,
        &format!("Error reading source file: file /dev/zero {REQUEST_LIMIT}"),
    );
    refused(
        &env,
        &["jwt", "sign", "-key=@/dev/zero"],
        None,
        &format!("Key file /dev/zero {REQUEST_LIMIT}"),
    );
    refused(
        &env,
        &["jwt", "sign", "-key=-"],
        Some("/dev/zero"),
        &format!("The key on stdin {REQUEST_LIMIT}"),
    );
    refused(
        &env,
        &["login", "-"],
        Some("/dev/zero"),
        &kv("stdin (for token)"),
    );
    // Nothing was stored.
    env.run(&["kv", "get", "secret/k"]).code(2);
    env.run(&["policy", "read", "p"]).code(2);

    // Under the cap: a 1 MiB value and a policy from stdin.
    let value = env.home.path().join("value");
    std::fs::write(&value, "x".repeat(1 << 20)).unwrap();
    env.run(&["kv", "put", "secret/k", &format!("k=@{}", value.display())])
        .success();
    let out = env.run(&["kv", "get", "-field=k", "secret/k"]);
    out.success();
    assert_eq!(out.stdout.len(), 1 << 20);
    env.cmd(&["policy", "write", "p", "-"])
        .stdin("path \"secret/*\" {\n  capabilities = [\"read\"]\n}\n")
        .run()
        .success();
    env.run(&["policy", "read", "p"])
        .success()
        .stdout_has("secret/*");
}

/// The token prompt of `login` (no token given) reads one line, capped too.
#[test]
fn the_token_prompt_stops_at_32_mib() {
    let env = TestEnv::new();
    env.run(&["auth", "list"]).success();
    let before = env.snapshot();
    let out = run_with_stdin(&env, &["login"], Some("/dev/zero"));
    out.code(1).stderr_is(&format!(
        "Token (will be hidden): Error authenticating: the token line on stdin {REQUEST_LIMIT}\n"
    ));
    assert!(env.snapshot() == before);
}
