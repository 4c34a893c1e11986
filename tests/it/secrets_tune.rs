//! `secrets tune` (recorded in tests/conformance/secrets-tune).

use crate::common;
use common::TestEnv;

#[test]
fn tune_sets_and_resets_ttls_and_description() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv"]).success();
    env.run(&[
        "secrets",
        "tune",
        "-default-lease-ttl=1h",
        "-max-lease-ttl=2h",
        "-description=team secrets",
        "kv",
    ])
    .success()
    .stdout_is("Success! Tuned the secrets engine at: kv/\n");
    let t = env
        .run(&["read", "-format=json", "sys/mounts/kv/tune"])
        .success()
        .json();
    assert_eq!(t["data"]["default_lease_ttl"], 3600);
    assert_eq!(t["data"]["max_lease_ttl"], 7200);
    assert_eq!(t["data"]["description"], "team secrets");
    // A default above the max is refused and changes nothing.
    let before = env.snapshot();
    env.run(&["secrets", "tune", "-default-lease-ttl=3h", "kv"])
        .code(2)
        .stderr_has(
            "* backend max lease TTL of 7200 would be less than backend default lease TTL of 10800",
        );
    env.run(&["secrets", "tune", "-default-lease-ttl=abc", "kv"])
        .code(1)
        .stderr_has(
            "invalid value \"abc\" for flag -default-lease-ttl: time: invalid duration \"abc\"",
        );
    assert_eq!(before, env.snapshot());
    env.run(&[
        "secrets",
        "tune",
        "-max-lease-ttl=system",
        "-default-lease-ttl=-1",
        "kv",
    ])
    .success();
    let t = env
        .run(&["read", "-format=json", "sys/mounts/kv/tune"])
        .success()
        .json();
    assert_eq!(t["data"]["default_lease_ttl"], 2764800);
    assert_eq!(t["data"]["max_lease_ttl"], 2764800);
    env.run(&["secrets", "tune", "-max-lease-ttl=1h", "nope"])
        .code(2)
        .stderr_has("* tune of path \"nope/\" failed: no mount entry found");
}

/// `secrets move` (recorded in tests/conformance/secrets-move, its errors and `sys/remount`).
#[test]
fn move_takes_the_data_along() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=old", "kv-v2"])
        .success();
    env.run(&["kv", "put", "old/app", "x=1"]).success();
    let out = env.run(&["secrets", "move", "old", "new/"]);
    out.success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[0].starts_with("Started moving secrets engine old/ to new/, with migration ID "));
    assert!(lines[1]
        .starts_with("Success! Finished moving secrets engine old/ to new/, with migration ID "));
    env.run(&["kv", "get", "-field=x", "new/app"])
        .success()
        .stdout_is("1");
    env.run(&["kv", "get", "old/app"]).code(2);
    let before = env.snapshot();
    env.run(&["secrets", "move", "new", "sys"])
        .code(2)
        .stderr_has("* cannot remount to destination sys/");
    env.run(&["secrets", "move", "new", "new/sub"])
        .code(2)
        .stderr_has("* path already in use at \"new/\"");
    env.run(&["secrets", "move", "new"])
        .code(1)
        .stderr_has("Not enough arguments (expected 2, got 1)");
    assert_eq!(before, env.snapshot());
}

/// `auth move` (recorded in tests/conformance/auth-move, through `sys/remount`, where the
/// revocation of the tokens the mount issued is shown).
#[test]
fn auth_move_keeps_the_config() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "-path=a", "jwt"]).success();
    let keys = format!(
        "jwt_validation_pubkeys=@{}/tests/fixtures/keys/rsa2048.pub",
        env!("CARGO_MANIFEST_DIR")
    );
    env.run(&[
        "write",
        "auth/a/config",
        &keys,
        "bound_issuer=https://idp.example.com/",
    ])
    .success();
    env.run(&["auth", "move", "a", "b"])
        .code(2)
        .stderr_has("* no matching mount at \"a/\"");
    let out = env.run(&["auth", "move", "auth/a", "auth/b"]);
    out.success();
    assert!(out
        .stdout
        .starts_with("Started moving auth method auth/a/ to auth/b/, with migration ID "));
    env.run(&["read", "-field=bound_issuer", "auth/b/config"])
        .success()
        .stdout_is("https://idp.example.com/");
    env.run(&["read", "sys/auth/a"])
        .code(2)
        .stderr_has("* No auth engine at a/");
    env.run(&["auth", "move", "auth/token", "auth/t"])
        .code(2)
        .stderr_has("* cannot remount \"auth/token/\"");
    env.run(&["auth", "move", "auth/b", "kv"])
        .code(2)
        .stderr_has("* cannot remount auth mount to non-auth mount \"kv/\"");
}
