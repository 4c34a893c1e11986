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
