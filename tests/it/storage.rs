//! Storage robustness: concurrent processes, SIGKILL at random moments, unwritable and
//! corrupt data directories.
//!
//! The crash tests (about 250 SIGKILLs per run, no timed assertions):
//! - [`sigkill_during_writes_leaves_old_or_new_versions`]: 100 kills of a `FileStorage`
//!   writer whose values carry their step number; after each, every key holds the old or
//!   the new version, exactly.
//! - [`sigkills_during_cli_writes_leave_old_or_new_state`]: 120 kills of real CLI writes
//!   (login, token create/revoke, role and policy writes, auth enable/disable), some while a
//!   second writer waits for the lock; after each, the next command succeeds and shows the
//!   old or the new state.
//! - [`sigkill_during_the_first_command_leaves_a_usable_root_token`] and
//!   [`sigkill_during_auth_disable_never_leaves_its_tokens_valid`]: kills aimed at the
//!   writes of initialisation and of `auth disable`.
//!
//! After every kill: nobody holds the lock (taken without blocking), readers see no temp
//! file, every state file parses, and the next open removes the killed writer's temp files.
//! Children are never assumed to be quick: the writer says `READY` after its first write
//! before a kill is timed, and the CLI kills are either timed from the start (any moment is
//! a valid one) or triggered by the child's own temp files appearing.

use crate::common;

use common::{assert_all_json_parses, assert_unlocked, TestEnv};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use vaultjwt::storage::{FileStorage, Storage};

#[test]
fn sixteen_concurrent_enables_all_land() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..16)
        .map(|i| {
            let mut c = env
                .cmd(&["auth", "enable", &format!("-path=p{i}"), "jwt"])
                .cmd;
            c.stdout(Stdio::piped()).stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    for i in 0..16 {
        assert_eq!(v[format!("p{i}/")]["type"], "jwt", "p{i}/ missing: {v}");
    }
    // One initialisation only: one root token, one token/ mount.
    assert_eq!(v.as_object().unwrap().len(), 17);
    assert!(assert_all_json_parses(&env.storage()) > 0);
    assert_unlocked(&env.storage());
}

/// Size of the padding in each value of the crash writer, so a write takes long enough to be
/// interrupted in the middle.
const PAD: usize = 4 * 1024;

/// The key the crash writer's step `n` writes.
fn writer_key(n: u64) -> String {
    format!("dir{}/sub{}/k{}", n % 3, n % 5, n % 7)
}

/// The value the crash writer's step `n` writes: `n`, and a padding made of `n` too, so a
/// file holding a mix of two versions cannot pass for one of them.
fn writer_value(n: u64) -> serde_json::Value {
    let unit = format!("{n}.");
    serde_json::json!({"n": n, "pad": unit.repeat(PAD / unit.len())})
}

/// The crash writer's state (key → step that wrote it) after steps `1..=n`: step `m` puts
/// `writer_key(m)`, deletes `writer_key(m + 1)` when `m % 4 == 0`, then puts `counter = m`.
/// A writer restarts at the stored counter, so after steps `1..=n` completed the state is
/// exactly this, whatever was killed on the way.
fn writer_state(n: u64) -> BTreeMap<String, u64> {
    let mut s = BTreeMap::new();
    for m in 1..=n {
        s.insert(writer_key(m), m);
        if m % 4 == 0 {
            s.remove(&writer_key(m + 1));
        }
    }
    s
}

/// Run by [`sigkill_during_writes_leaves_old_or_new_versions`] in a child process: writes
/// through `FileStorage` until killed, and says `READY` once its first write is done (so
/// the parent never kills it before it got going, however loaded the machine).
#[test]
#[ignore = "helper process for sigkill_during_writes_leaves_old_or_new_versions"]
fn crash_writer_child() {
    let Some(root) = std::env::var_os("VAULTJWT_TEST_WRITER_ROOT") else {
        return;
    };
    let s = FileStorage::open(Path::new(&root), true).unwrap();
    let mut n: u64 = s
        .get("counter")
        .unwrap()
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    let mut ready = false;
    loop {
        n += 1;
        s.put(&writer_key(n), &writer_value(n)).unwrap();
        if !ready {
            common::signal_ready();
            ready = true;
        }
        if n.is_multiple_of(4) {
            s.delete(&writer_key(n + 1)).unwrap();
        }
        s.put("counter", &serde_json::json!(n)).unwrap();
    }
}

/// After a kill: nobody holds the lock, readers see only state files, each parses, and each
/// key holds the version of the last completed step or of the interrupted one, never
/// anything else. Returns the stored counter.
fn check_writer_state(root: &Path, previous_counter: u64) -> u64 {
    assert_unlocked(root);
    let stray = common::stray_files(root);
    assert!(
        stray.is_empty(),
        "files visible beside the state: {stray:?}"
    );
    assert_all_json_parses(root);
    // A reader (shared lock: it cleans nothing) sees no temp file in any listing.
    let s = FileStorage::open(root, false).unwrap();
    let mut pending = vec![String::new()];
    while let Some(prefix) = pending.pop() {
        for k in s.list(&prefix).unwrap() {
            assert!(!k.starts_with('.'), "listing {prefix:?} shows {k:?}");
            if k.ends_with('/') {
                pending.push(format!("{prefix}{k}"));
            } else {
                assert!(s.get(&format!("{prefix}{k}")).unwrap().is_some());
            }
        }
    }
    let counter = s
        .get("counter")
        .unwrap()
        .map(|v| v.as_u64().expect("counter is a number"))
        .unwrap_or(0);
    assert!(
        counter >= previous_counter,
        "counter went back from {previous_counter} to {counter}"
    );
    let (old, new) = (writer_state(counter), writer_state(counter + 1));
    for (a, b, c) in (0..3).flat_map(|a| (0..5).flat_map(move |b| (0..7).map(move |c| (a, b, c)))) {
        let key = format!("dir{a}/sub{b}/k{c}");
        let got = s.get(&key).unwrap().map(|v| {
            let n = v["n"].as_u64().expect("n");
            assert_eq!(v, writer_value(n), "{key} holds a mixed value");
            n
        });
        let (o, w) = (old.get(&key).copied(), new.get(&key).copied());
        assert!(
            got == o || got == w,
            "{key} holds step {got:?}; after step {counter} it must be {o:?} (old) or {w:?} (new)"
        );
    }
    counter
}

#[test]
fn sigkill_during_writes_leaves_old_or_new_versions() {
    use std::os::unix::process::ExitStatusExt;
    // On a disk (not tmpfs): each write's fsyncs keep it open long enough to be cut.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("storage");
    let started = std::time::Instant::now();
    let (mut kills, mut mid_write, mut counter) = (0, 0, 0);
    while kills < 100 {
        let mut child = common::spawn_helper_test(
            "storage::crash_writer_child",
            &[("VAULTJWT_TEST_WRITER_ROOT", root.as_os_str())],
        );
        let _stdout = common::wait_ready(&mut child);
        std::thread::sleep(Duration::from_micros(rand::random::<u64>() % 6000));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if status.signal() != Some(9) {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            panic!("the writer stopped on its own ({status}):\n{err}");
        }
        kills += 1;
        if common::temp_files(&root) > 0 {
            mid_write += 1;
        }
        counter = check_writer_state(&root, counter);
    }
    eprintln!(
        "{kills} kills ({mid_write} left a temp file), {counter} steps, in {:?}",
        started.elapsed()
    );
    // Opening for writing cleans the temp files of killed writers; the state is complete.
    let s = FileStorage::open(&root, true).unwrap();
    assert_eq!(s.stale_temp_files(), 0);
    assert!(counter > 0);
    drop(s);
    check_writer_state(&root, counter);
}

#[test]
fn sigkill_during_cli_commands_leaves_a_working_directory() {
    let env = TestEnv::new();
    // Initialised first: on a loaded machine every one of the kills below may land before
    // the command got as far as creating the directory.
    env.run(&["auth", "list"]).success();
    for i in 0..30 {
        let args: Vec<String> = if i % 2 == 0 {
            vec![
                "auth".into(),
                "enable".into(),
                format!("-path=k{}", i % 4),
                "jwt".into(),
            ]
        } else {
            vec!["auth".into(), "disable".into(), format!("k{}", (i - 1) % 4)]
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut c = env.cmd(&args).cmd;
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = c.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rand::random::<u64>() % 8));
        let _ = child.kill();
        let _ = child.wait();
    }
    assert_all_json_parses(&env.storage());
    assert_unlocked(&env.storage());
    env.run(&["auth", "enable", "-path=after", "jwt"]).success();
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    assert_eq!(v["after/"]["type"], "jwt");
    assert_eq!(v["token/"]["type"], "token");
}

#[test]
fn corrupt_state_file_is_named_and_left_alone() {
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    let table = env.storage().join("core/_auth.json");
    assert!(table.is_file());
    std::fs::write(&table, b"{\"truncated\": ").unwrap();
    let before = env.snapshot();
    for args in [
        &["auth", "list"][..],
        &["auth", "enable", "-path=more", "jwt"][..],
        &["auth", "disable", "jwt"][..],
    ] {
        env.run(args)
            .one_line_error()
            .stderr_has(&table.display().to_string())
            .stderr_has("corrupt");
        assert_eq!(before, env.snapshot(), "{args:?} changed the directory");
    }
}

#[test]
fn data_directory_that_cannot_be_created_is_one_line() {
    let env = TestEnv::new();
    let file = env.home.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    env.cmd(&["auth", "list"])
        .env("VAULTJWT_HOME", file.join("data"))
        .run()
        .one_line_error()
        .code(1)
        .stderr_has(&file.display().to_string());
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(true)
}

#[test]
fn unwritable_data_directory_is_one_line_and_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.run(&["auth", "list"]).success();
    let storage = env.storage();
    std::fs::remove_file(storage.join(".lock")).unwrap();
    let set = |mode| {
        for d in [&env.data, &storage] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    set(0o500);
    let before = env.snapshot();
    let out = env.run(&["auth", "enable", "jwt"]);
    set(0o700);
    if is_root() {
        // root writes anyway; the permission check cannot be exercised.
        out.success();
        return;
    }
    out.one_line_error()
        .code(1)
        .stderr_has("not writable")
        .stderr_has(&storage.display().to_string());
    set(0o500);
    assert_eq!(before, env.snapshot());
    set(0o700);
}

#[test]
fn storage_put_get_list_through_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let s = FileStorage::open(&dir.path().join("s"), true).unwrap();
    s.put("a/b", &serde_json::json!({"x": 1})).unwrap();
    assert_eq!(s.list("").unwrap(), vec!["a/"]);
    assert_eq!(s.get("a/b").unwrap().unwrap()["x"], 1);
    assert!(s.put("../escape", &serde_json::json!(1)).is_err());
    assert!(!dir.path().join("escape").exists());
}

/// What the CLI crash test believes is stored: roles (`token_ttl`), policies (rules) and
/// extra auth mounts (description), each `None` when absent; live and revoked tokens, which
/// live ones may create children and whose children they are; the entity every user's
/// logins got.
#[derive(Default)]
struct Model {
    roles: BTreeMap<String, Option<u64>>,
    policies: BTreeMap<String, Option<String>>,
    mounts: BTreeMap<String, Option<String>>,
    live: Vec<String>,
    revoked: Vec<String>,
    creators: Vec<String>,
    parent_of: BTreeMap<String, String>,
    entity_of: BTreeMap<String, String>,
}

impl Model {
    fn revoked(&mut self, t: &str) {
        self.live.retain(|x| x != t);
        self.creators.retain(|x| x != t);
        self.revoked.push(t.to_string());
    }

    /// The live tokens below `t` (children, grandchildren, ...).
    fn descendants(&self, t: &str) -> Vec<String> {
        self.live
            .iter()
            .filter(|x| {
                let mut p = self.parent_of.get(*x);
                while let Some(q) = p {
                    if q == t {
                        return true;
                    }
                    p = self.parent_of.get(q);
                }
                false
            })
            .cloned()
            .collect()
    }
}

/// `token_ttl` of a role, `None` when there is no such role.
fn observed_role(env: &TestEnv, name: &str) -> Option<u64> {
    let path = format!("auth/jwt/role/{name}");
    let out = env.run(&["read", "-format=json", &path]);
    if out.code == Some(2) {
        out.stderr_is(&format!("No value found at {path}\n"));
        return None;
    }
    Some(out.success().json()["data"]["token_ttl"].as_u64().unwrap())
}

fn observed_policy(env: &TestEnv, name: &str) -> Option<String> {
    let path = format!("sys/policy/{name}");
    let out = env.run(&["read", "-format=json", &path]);
    if out.code == Some(2) {
        out.stderr_is(&format!("No value found at {path}\n"));
        return None;
    }
    Some(
        out.success().json()["data"]["rules"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

fn observed_mount(env: &TestEnv, name: &str) -> Option<String> {
    let v = env.run(&["auth", "list", "-format=json"]).success().json();
    let m = &v[format!("{name}/")];
    m.is_object()
        .then(|| m["description"].as_str().unwrap().to_string())
}

/// Whether `token` looks up (exit 0) or is gone (OpenBao's exact error); anything else fails.
fn token_is_live(env: &TestEnv, token: &str) -> bool {
    let out = env.run(&["token", "lookup", "-format=json", token]);
    if out.code == Some(0) {
        assert_eq!(out.json()["data"]["id"], token);
        return true;
    }
    out.code(2).stderr_is(
        "Error looking up token: Error making API request.\n\nCode: 403. Errors:\n\n* bad token\n",
    );
    false
}

/// Kills `child` at a random moment: either after a random delay from its start, or at its
/// 1st to 4th write seen by [`kill_after_writes`] (a temp file of its own in `.tmp/`, the
/// journal changing, the token helper's temp file), at random. A share `finish` of the
/// commands is left to finish, so the state grows (tokens to revoke, users with entities).
/// Returns whether it was killed by the signal (it may have finished first) and its output.
fn kill_at_random_moment(
    mut child: std::process::Child,
    data: &Path,
    finish: f64,
    rng: &mut impl rand::Rng,
) -> (bool, std::process::Output) {
    use std::os::unix::process::ExitStatusExt;
    if rng.gen_bool(finish) {
        // Left to finish.
    } else if rng.gen_bool(0.5) {
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..15_000)));
        let _ = child.kill();
    } else {
        return kill_after_writes(child, data, rng.gen_range(1..5));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.signal() == Some(9), out)
}

#[test]
fn sigkills_during_cli_writes_leave_old_or_new_state() {
    use rand::{Rng, SeedableRng};
    let env = TestEnv::new();
    common::setup_jwt_mount(&env, "crash");
    let creator = "path \"auth/token/create\" { capabilities = [\"update\"] }";
    env.run(&["write", "sys/policy/creator", &format!("policy={creator}")])
        .success();
    let storage = env.storage();
    let users: Vec<String> = (0..6).map(|u| format!("user-{u}")).collect();
    let jwts: BTreeMap<&str, String> = users
        .iter()
        .map(|u| (u.as_str(), common::mint_jwt(u, "crash")))
        .collect();
    let seed: u64 = std::env::var("VAULTJWT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash seed {seed} (VAULTJWT_CRASH_SEED={seed} replays the same choices)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut m = Model::default();
    for k in 0..3 {
        m.roles.insert(format!("c{k}"), None);
        m.policies.insert(format!("p{k}"), None);
        m.mounts.insert(format!("m{k}"), None);
    }
    let started = std::time::Instant::now();
    let (mut kills, mut mid_write, mut commands, mut companions) = (0, 0, 0, 0);
    let mut seq: u64 = 0;
    while kills < 120 {
        seq += 1;
        assert!(seq < 2000, "only {kills} of {seq} commands could be killed");
        let k = rng.gen_range(0..3);
        let kind = rng.gen_range(0..6);
        let (args, what): (Vec<String>, String) = match kind {
            0 => {
                let u = &users[rng.gen_range(0..users.len())];
                let jwt = format!("jwt={}", jwts[u.as_str()]);
                let a = ["write", "-format=json", "auth/jwt/login", "role=r", &jwt];
                (a.map(String::from).to_vec(), u.clone())
            }
            1 => {
                // A child of root, or of a token created earlier.
                let parent = if !m.creators.is_empty() && rng.gen_bool(0.5) {
                    m.creators[rng.gen_range(0..m.creators.len())].clone()
                } else {
                    String::new()
                };
                let a = ["token", "create", "-format=json", "-policy=creator"];
                (a.map(String::from).to_vec(), parent)
            }
            2 if !m.live.is_empty() => {
                let t = m.live[rng.gen_range(0..m.live.len())].clone();
                (vec!["token".into(), "revoke".into(), t.clone()], t)
            }
            2 | 3 => {
                let name = format!("c{k}");
                let a = vec![
                    "write".into(),
                    format!("auth/jwt/role/{name}"),
                    "role_type=jwt".into(),
                    "user_claim=sub".into(),
                    "bound_audiences=crash".into(),
                    format!("token_ttl={}", 1000 + seq),
                ];
                (a, name)
            }
            4 => {
                let name = format!("p{k}");
                let a = vec![
                    "write".into(),
                    format!("sys/policy/{name}"),
                    format!("policy=path \"secret/{seq}\" {{ capabilities = [\"read\"] }}"),
                ];
                (a, name)
            }
            _ => {
                let name = format!("m{k}");
                let a = if m.mounts[&name].is_some() {
                    vec!["auth".into(), "disable".into(), name.clone()]
                } else {
                    vec![
                        "auth".into(),
                        "enable".into(),
                        format!("-path={name}"),
                        format!("-description=d{seq}"),
                        "jwt".into(),
                    ]
                };
                (a, name)
            }
        };
        let kind = if kind == 2 && args[0] != "token" {
            3
        } else {
            kind
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let spawn = |argv: &[&str], token: &str| {
            let mut c = env.cmd(argv).cmd;
            if !token.is_empty() {
                c.env("VAULTJWT_TOKEN", token);
            }
            c.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        };
        // Now and then a second writer waits for the lock while the first is killed: it
        // must get the lock and succeed.
        let companion = seq.is_multiple_of(8).then(|| {
            let body = format!("policy=path \"companion/{seq}\" {{ capabilities = [\"list\"] }}");
            spawn(&["write", &format!("sys/policy/q{seq}"), &body], "")
        });
        let child = spawn(&argv, if kind == 1 { &what } else { "" });
        commands += 1;
        // Logins and token creates finish more often: they are what later commands use.
        let finish = if kind < 2 { 0.4 } else { 0.12 };
        let (killed, out) = kill_at_random_moment(child, &env.data, finish, &mut rng);
        if let Some(c) = companion {
            let o = c.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "the companion writer failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            companions += 1;
            m.policies.insert(
                format!("q{seq}"),
                Some(format!(
                    "path \"companion/{seq}\" {{ capabilities = [\"list\"] }}"
                )),
            );
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !killed {
            assert!(
                out.status.success(),
                "{argv:?} failed ({}):\n{stdout}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Right after the kill: the lock is free, readers see only whole state files.
        assert_unlocked(&storage);
        let stray = common::stray_files(&storage);
        assert!(stray.is_empty(), "visible beside the state: {stray:?}");
        assert_all_json_parses(&storage);
        if killed {
            kills += 1;
            if common::temp_files(&storage) > 0 {
                mid_write += 1;
            }
        }
        // The next command opens the directory and succeeds; what was being written is
        // the old version or the new one.
        match kind {
            0 if killed => assert!(token_is_live(&env, &env.root_token())),
            0 => {
                let auth =
                    serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["auth"].clone();
                let t = auth["client_token"].as_str().unwrap().to_string();
                let e = auth["entity_id"].as_str().unwrap().to_string();
                let known = m.entity_of.entry(what.clone()).or_insert(e.clone());
                assert_eq!(*known, e, "{what} logged in as another entity");
                m.live.push(t);
            }
            1 if killed => assert!(token_is_live(&env, &env.root_token())),
            1 => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let t = v["auth"]["client_token"].as_str().unwrap().to_string();
                if !what.is_empty() {
                    m.parent_of.insert(t.clone(), what.clone());
                }
                m.live.push(t.clone());
                m.creators.push(t);
            }
            2 => {
                let below = m.descendants(&what);
                if !killed {
                    for t in below.iter().chain([&what]) {
                        m.revoked(t);
                    }
                } else {
                    // Killed half-way, the token may still look up: then it stays live (and a
                    // later revoke finishes the job). Once it is gone, so are its children.
                    let gone = !token_is_live(&env, &what);
                    for t in &below {
                        let child_gone = !token_is_live(&env, t);
                        assert!(!gone || child_gone, "{t} outlived its revoked parent");
                        if child_gone {
                            m.revoked(t);
                        }
                    }
                    if gone {
                        m.revoked(&what);
                    }
                }
            }
            3 => {
                let new = Some(1000 + seq);
                let got = if killed {
                    observed_role(&env, &what)
                } else {
                    new
                };
                assert!(got == m.roles[&what] || got == new, "role {what}: {got:?}");
                m.roles.insert(what.clone(), got);
            }
            4 => {
                let new = Some(format!(
                    "path \"secret/{seq}\" {{ capabilities = [\"read\"] }}"
                ));
                let got = if killed {
                    observed_policy(&env, &what)
                } else {
                    new.clone()
                };
                assert!(
                    got == m.policies[&what] || got == new,
                    "policy {what}: {got:?}"
                );
                m.policies.insert(what.clone(), got);
            }
            _ => {
                let old = m.mounts[&what].clone();
                let new = if old.is_some() {
                    None
                } else {
                    Some(format!("d{seq}"))
                };
                let got = if killed {
                    observed_mount(&env, &what)
                } else {
                    new.clone()
                };
                assert!(got == old || got == new, "mount {what}: {got:?}");
                m.mounts.insert(what.clone(), got);
            }
        }
        // That command (or the one that succeeded) removed every temp file.
        assert_eq!(
            common::temp_files(&storage),
            0,
            "temp files left after a clean command"
        );
    }
    let ran = started.elapsed();

    // Everything the model holds is there, and nothing came back.
    for t in &m.live {
        assert!(token_is_live(&env, t), "token {t} was lost");
    }
    for t in &m.revoked {
        assert!(!token_is_live(&env, t), "revoked token {t} is back");
    }
    for (name, want) in &m.roles {
        assert_eq!(&observed_role(&env, name), want, "role {name}");
    }
    for (name, want) in &m.policies {
        assert_eq!(&observed_policy(&env, name), want, "policy {name}");
    }
    for (name, want) in &m.mounts {
        assert_eq!(&observed_mount(&env, name), want, "mount {name}");
    }
    // One entity per user whatever was killed: no alias name twice.
    let out = env.run(&["list", "-format=json", "identity/entity-alias/id"]);
    let ids: Vec<String> = if out.code == Some(2) {
        Vec::new() // an empty list
    } else {
        serde_json::from_value(out.success().json()).unwrap()
    };
    let mut names: Vec<String> = ids
        .iter()
        .map(|id| {
            let path = format!("identity/entity-alias/id/{id}");
            let v = env.run(&["read", "-format=json", &path]).success().json();
            v["data"]["name"].as_str().unwrap().to_string()
        })
        .collect();
    let v = &names;
    for u in m.entity_of.keys() {
        assert!(names.contains(u), "no alias for {u}: {v:?}");
    }
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "an alias name appears twice");
    eprintln!(
        "{kills} kills of {commands} CLI writes ({mid_write} left a temp file, {companions} \
         companion writers got the lock), {} users logged in, {} tokens created by tokens, {} live, {} revoked; {ran:?}",
        m.entity_of.len(),
        m.parent_of.len(),
        m.live.len(),
        m.revoked.len()
    );
}

/// Run by [`sigkill_during_the_first_command_leaves_a_usable_root_token`]: kills `child` once
/// `want` of its writes have been seen (see [`common::WriteWatch`]; the token helper's temp
/// file counts too), or lets it finish.
fn kill_after_writes(
    mut child: std::process::Child,
    data: &Path,
    want: usize,
) -> (bool, std::process::Output) {
    use std::os::unix::process::ExitStatusExt;
    let mut watch = common::WriteWatch::new(&data.join("storage"), child.id());
    while child.try_wait().unwrap().is_none() {
        if watch.poll() >= want {
            let _ = child.kill();
            break;
        }
        std::thread::yield_now();
    }
    let out = child.wait_with_output().unwrap();
    (out.status.signal() == Some(9), out)
}

/// The first command initialises the directory: mounts `token/`, creates the root token and
/// stores it in the token helper. Killed at any of its writes, the next command still
/// finds a root token that works.
#[test]
fn sigkill_during_the_first_command_leaves_a_usable_root_token() {
    let mut kills = 0;
    // The initialisation writes the mount table, the token salt, the root token and its
    // accessor index, the token helper, then the marker: each is a kill point (several
    // times over; rounds that want more writes than there are let the command finish).
    for round in 0..24 {
        let env = TestEnv::new();
        let mut c = env.cmd(&["token", "lookup", "-format=json"]).cmd;
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (killed, out) = kill_after_writes(c.spawn().unwrap(), &env.data, 1 + round % 8);
        if killed {
            kills += 1;
        } else {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_unlocked(&env.storage());
        let v = env
            .run(&["token", "lookup", "-format=json"])
            .success()
            .json();
        assert_eq!(v["data"]["policies"], serde_json::json!(["root"]));
        assert_eq!(v["data"]["id"].as_str().unwrap(), env.root_token());
        env.run(&["auth", "enable", "jwt"]).success();
        // The killed command's temp files are gone, the token helper's among them (it
        // writes its temp file in the storage's .tmp/ now), and none by the old name.
        assert_eq!(common::temp_files(&env.storage()), 0);
        let left: Vec<_> = std::fs::read_dir(&env.data)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".token-"))
            .collect();
        assert!(left.is_empty(), "token helper temp files left: {left:?}");
    }
    eprintln!("{kills} kills during initialisation");
}

/// `auth disable` revokes the tokens the mount issued. Killed at any moment, it leaves either
/// the mount (and whatever tokens were not revoked yet: the next disable finishes) or no
/// mount and none of its tokens: never a token that outlives its disabled mount.
#[test]
fn sigkill_during_auth_disable_never_leaves_its_tokens_valid() {
    use rand::Rng;
    use std::os::unix::process::ExitStatusExt;
    let env = TestEnv::new();
    env.run(&["auth", "list"]).success();
    let jwt = format!("jwt={}", common::mint_jwt("someone", "crash"));
    let storage = env.storage();
    let token_files = || {
        std::fs::read_dir(storage.join("sys/token/id"))
            .map(|rd| rd.count())
            .unwrap_or(0)
    };
    let mut rng = rand::thread_rng();
    let (mut kills, mut between, mut before_table) = (0, 0, 0);
    for round in 0..18 {
        let mount = format!("x{round}");
        env.run(&["auth", "enable", &format!("-path={mount}"), "jwt"])
            .success();
        let pubkey = format!(
            "jwt_validation_pubkeys={}",
            common::fixture_key("rsa2048.pub")
        );
        env.run(&["write", &format!("auth/{mount}/config"), &pubkey])
            .success();
        let role = format!("auth/{mount}/role/r");
        let role_args = ["role_type=jwt", "user_claim=sub", "bound_audiences=crash"];
        env.run(&[&["write", role.as_str()][..], &role_args].concat())
            .success();
        let login = format!("auth/{mount}/login");
        let tokens: Vec<String> = (0..3)
            .map(|_| {
                let out = env.run(&["write", "-field=token", &login, "role=r", &jwt]);
                out.success().stdout.trim().to_string()
            })
            .collect();
        let before = token_files();
        let mut c = env.cmd(&["auth", "disable", &mount]).cmd;
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut watch = common::WriteWatch::new(&storage, child.id());
        // Kill it once a first token is revoked, or at its first sign of a write, or after
        // a random delay.
        let delay = Duration::from_micros(rng.gen_range(0..15_000));
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            let fire = match round % 3 {
                0 => token_files() < before,
                1 => watch.poll() > 0,
                _ => started.elapsed() >= delay,
            };
            if fire {
                let _ = child.kill();
                break;
            }
            std::thread::yield_now();
        }
        let out = child.wait_with_output().unwrap();
        if out.status.signal() == Some(9) {
            kills += 1;
        } else {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_unlocked(&storage);
        let table = env.run(&["auth", "list", "-format=json"]).success().json();
        let mounted = table[format!("{mount}/")].is_object();
        let live = tokens
            .iter()
            .filter(|t| env.run(&["token", "lookup", t]).code == Some(0))
            .count();
        if !mounted {
            assert_eq!(
                live, 0,
                "{mount}/ is disabled but {live} of its tokens still work"
            );
        } else if live == 0 {
            before_table += 1;
        } else if live < tokens.len() {
            between += 1;
        }
        // The next disable finishes the job.
        env.run(&["auth", "disable", &mount]).success();
        for t in &tokens {
            env.run(&["token", "lookup", t]).code(2);
        }
    }
    eprintln!(
        "{kills} kills during auth disable ({between} between two revocations, \
         {before_table} after the revocations and before the table was written)"
    );
}
