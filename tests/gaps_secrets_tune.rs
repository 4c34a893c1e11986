//! `secrets tune` (recorded in tests/conformance/secrets-tune).

mod common;
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
