//! `vaultjwt demo`: the seed's story runs end to end and exits 0, showing the allowed and
//! the denied request, and removes its throwaway data directory.

use crate::common;

use common::TestEnv;

/// The throwaway directory the demo announces on its second line.
fn scratch_dir(stdout: &str) -> std::path::PathBuf {
    let start = stdout.find("(/").expect("data directory shown") + 1;
    let end = start + stdout[start..].find(')').unwrap();
    std::path::PathBuf::from(&stdout[start..end])
}

/// The output printed after the step `$ LINE`, up to the next blank line.
fn after<'a>(stdout: &'a str, line: &str) -> &'a str {
    let marker = format!("$ {line}\n");
    let start = stdout
        .find(&marker)
        .unwrap_or_else(|| panic!("step {line:?} missing from:\n{stdout}"))
        + marker.len();
    let rest = &stdout[start..];
    let end = ["\n\n$ ", "\n\n#", "\n\nThe demo"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn demo_tells_the_whole_story_and_exits_0() {
    let env = TestEnv::new();
    let tmp = env.home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = env.cmd(&["demo"]).env("TMPDIR", &tmp).run();
    out.success();
    let s = &out.stdout;
    // the operator's set-up, as the seed types it
    // the first command of the fresh data directory shows its root token, as `vault server -dev`
    let first = after(s, "vaultjwt auth enable jwt");
    assert!(
        first.starts_with("Initialised a new data directory"),
        "{first}"
    );
    assert!(first.contains("\nRoot Token: s."), "{first}");
    assert!(s.contains("\n\nSuccess! Enabled jwt auth method at: jwt/"));
    assert!(s.contains("token_audiences=\"vault-aud-value\""));
    assert!(s.contains("bound_claims=\"groups=developers\""));
    // Alice logs in and her token carries the developer policy
    let login = after(
        s,
        "vaultjwt write auth/jwt/login role=developer-role jwt=\"$ALICE_JWT\"",
    );
    assert!(
        login.contains("[\"default\" \"developer-policy\"]"),
        "{login}"
    );
    let lookup = after(s, "vaultjwt token lookup");
    assert!(
        lookup.contains("display_name        jwt-user-12345"),
        "{lookup}"
    );
    assert!(lookup.contains("[default developer-policy]"), "{lookup}");
    // the allowed request, then the denied one
    assert_eq!(
        after(s, "vaultjwt token capabilities secret/data/dev/app"),
        "read"
    );
    let denied = after(
        s,
        "vaultjwt policy write other-policy - <<EOF\npath \"*\" { capabilities = [\"sudo\"] }\nEOF",
    );
    assert!(denied.contains("Code: 403"), "{denied}");
    assert!(denied.contains("permission denied"), "{denied}");
    // Bob, outside `developers`, is refused
    let bob = after(
        s,
        "vaultjwt write auth/jwt/login role=developer-role jwt=\"$BOB_JWT\"",
    );
    assert!(
        bob.contains("claim \"groups\" does not match any associated bound claim values"),
        "{bob}"
    );
    // and `jwt explain`, as the operator, names the failing check and what the token had
    let explained = after(
        s,
        "vaultjwt jwt explain role=developer-role jwt=\"$BOB_JWT\"",
    );
    let row = explained
        .lines()
        .find(|l| l.starts_with("bound_claims.groups"))
        .unwrap_or_else(|| panic!("no bound_claims.groups row in:\n{explained}"));
    assert!(row.contains("contractors") && row.contains("FAIL"), "{row}");
    assert!(s.ends_with("The demo ran as expected.\n"));
    // the throwaway data directory is gone, and nothing else was left in TMPDIR
    let dir = scratch_dir(s);
    assert!(dir.starts_with(&tmp), "{}", dir.display());
    assert!(!dir.exists());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // and the caller's data directory was never touched
    assert!(!env.data.exists());
}

#[test]
fn demo_keep_leaves_a_usable_data_directory() {
    let env = TestEnv::new();
    let tmp = env.home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = env.cmd(&["demo", "-keep"]).env("TMPDIR", &tmp).run();
    out.success().stdout_has("The data directory is kept");
    let dir = scratch_dir(&out.stdout);
    assert!(dir.join("storage").is_dir());
    // the role the demo wrote is there
    env.cmd(&["read", "-format=json", "auth/jwt/role/developer-role"])
        .env("VAULTJWT_HOME", &dir)
        .run()
        .success()
        .stdout_has("developer-policy");
}
