//! The data directory as a hostile environment leaves it (issue 12, items 1, 2, 3 and 8).
//!
//! - A symbolic link planted at any path the storage, the token helper, the settings or the
//!   dev issuer open, create, rename or remove (`.tmp`, `.journal`, `.lock`, `token`, a state
//!   document, `storage/` itself, a folder of the storage, `config.toml`, `dev-issuer/`) is
//!   never followed: reads, writes and logins fail with one line naming the link, and the
//!   link's target (a folder or file outside the data directory) is untouched. A FIFO there
//!   does not hang a command.
//! - A data directory or `storage/` that is not the caller's, or that group or others can
//!   write, is refused with one line saying how to fix it (OpenSSH's `StrictModes`), and
//!   nothing in it changes.
//! - A full disk (a small tmpfs; needs root to mount it, skipped otherwise): a write that
//!   exits 1 is not applied, also once space returns, and one that exits 0 is; reads work
//!   while the disk is full.

use crate::common;

use common::{mint_jwt, setup_jwt_mount, snapshot, TestEnv};
use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A folder outside the data directory with known contents, that no command may change.
struct Victim {
    dir: tempfile::TempDir,
    before: BTreeMap<PathBuf, (u32, Vec<u8>)>,
}

impl Victim {
    fn new() -> Victim {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("folder");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("id_ed25519"), b"private key").unwrap();
        std::fs::write(d.join("config"), b"Host *").unwrap();
        std::fs::write(dir.path().join("file"), b"precious").unwrap();
        let before = snapshot(dir.path());
        Victim { dir, before }
    }
    fn folder(&self) -> PathBuf {
        self.dir.path().join("folder")
    }
    fn file(&self) -> PathBuf {
        self.dir.path().join("file")
    }
    fn missing(&self) -> PathBuf {
        self.dir.path().join("missing")
    }
    fn assert_untouched(&self, what: &str) {
        assert_eq!(
            snapshot(self.dir.path()),
            self.before,
            "{what}: the link's target was changed"
        );
    }
}

/// A data directory with a JWT mount, a KV mount holding `secret/k`, and a root token.
fn prepared() -> TestEnv {
    let env = TestEnv::new();
    setup_jwt_mount(&env, "aud");
    // A new data directory has `secret/` (kv-v2), as `vault server -dev` does.
    env.run(&["kv", "put", "secret/k", "v=0"]).success();
    env
}

/// One command of each kind: `(name, args, stdin)`.
fn commands() -> Vec<(&'static str, Vec<String>, Option<&'static str>)> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        ("auth list", s(&["auth", "list"]), None),
        ("token lookup", s(&["token", "lookup"]), None),
        ("kv get", s(&["kv", "get", "secret/k"]), None),
        ("kv put", s(&["kv", "put", "secret/k", "v=1"]), None),
        (
            "policy write",
            s(&["policy", "write", "p", "-"]),
            Some("path \"x/*\" { capabilities = [\"read\"] }"),
        ),
        (
            "login",
            vec![
                "login".into(),
                "-method=jwt".into(),
                "role=r".into(),
                format!("jwt={}", mint_jwt("alice", "aud")),
            ],
            None,
        ),
    ]
}

/// Replaces `rel` (below the data directory) by a link to `target`.
fn plant(env: &TestEnv, rel: &str, target: &Path) {
    let p = env.data.join(rel);
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p).unwrap(),
        Ok(_) => std::fs::remove_file(&p).unwrap(),
        Err(_) => {}
    }
    symlink(target, &p).unwrap();
}

/// Runs every kind of command with a link at `rel`: each fails naming the link, the target
/// is untouched, and the link is still a link.
fn assert_refused_everywhere(rel: &str, target: impl Fn(&Victim) -> PathBuf) {
    assert_never_followed(rel, target, true)
}

/// As [`assert_refused_everywhere`]; unless `every`, a command that does not need the path
/// may succeed (at least one must fail).
fn assert_never_followed(rel: &str, target: impl Fn(&Victim) -> PathBuf, every: bool) {
    let env = prepared();
    let victim = Victim::new();
    let tgt = target(&victim);
    plant(&env, rel, &tgt);
    let named = env.data.join(rel).display().to_string();
    let mut failed = 0;
    for (name, args, stdin) in commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut c = env.cmd(&args);
        if let Some(s) = stdin {
            c = c.stdin(s);
        }
        let out = c.run();
        if out.code == Some(0) {
            assert!(!every, "{rel}: {name} succeeded: {out:?}");
        } else {
            failed += 1;
            // Exit 1, or 2 with the error as an API error when a backend met it.
            assert!(matches!(out.code, Some(1 | 2)), "{rel}: {name}: {out:?}");
            if !out.stderr.contains("symbolic link") || !out.stderr.contains(&named) {
                panic!("{rel}: {name}: expected the link named in the error, got {out:?}");
            }
        }
        victim.assert_untouched(&format!("{rel}: {name}"));
        assert!(
            !victim.missing().exists(),
            "{rel}: {name} created the target"
        );
        assert!(
            std::fs::symlink_metadata(env.data.join(rel))
                .unwrap()
                .file_type()
                .is_symlink(),
            "{rel}: {name} removed the link"
        );
    }
    assert!(failed > 0, "{rel}: no command needed it");
}

#[test]
fn a_link_at_tmp_is_never_followed_nor_its_target_emptied() {
    assert_refused_everywhere("storage/.tmp", Victim::folder);
}

#[test]
fn a_link_at_the_journal_is_never_followed() {
    assert_refused_everywhere("storage/.journal", Victim::file);
    assert_refused_everywhere("storage/.journal", Victim::missing);
}

#[test]
fn a_link_at_the_lock_is_never_followed() {
    assert_refused_everywhere("storage/.lock", Victim::file);
    assert_refused_everywhere("storage/.lock", Victim::missing);
}

#[test]
fn a_link_at_the_token_helper_is_never_followed() {
    assert_refused_everywhere("token", Victim::file);
}

#[test]
fn a_link_at_a_state_document_is_never_followed() {
    assert_never_followed("storage/core/_mounts.json", Victim::file, false);
    assert_never_followed("storage/sys/token/_salt.json", Victim::file, false);
}

#[test]
fn a_link_at_a_storage_folder_is_never_followed() {
    assert_never_followed("storage/core", Victim::folder, false);
    assert_never_followed("storage/sys", Victim::folder, false);
    assert_never_followed("storage/logical", Victim::folder, false);
}

#[test]
fn a_link_at_the_storage_is_never_followed() {
    assert_refused_everywhere("storage", Victim::folder);
    assert_refused_everywhere("storage", Victim::missing);
}

#[test]
fn a_link_at_the_settings_is_never_followed() {
    assert_refused_everywhere("config.toml", Victim::file);
}

#[test]
fn a_link_in_tmp_is_removed_as_a_link() {
    let env = prepared();
    let victim = Victim::new();
    symlink(victim.file(), env.storage().join(".tmp/123-456")).unwrap();
    symlink(victim.folder(), env.storage().join(".tmp/123-789")).unwrap();
    env.run(&["auth", "list"]).success();
    victim.assert_untouched(".tmp/123-456");
    assert_eq!(
        std::fs::read_dir(env.storage().join(".tmp"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn the_token_helper_replaces_a_link_without_following_it() {
    // With the token from the environment the helper is not read, only written by the
    // login: the link is replaced by the token, its target is untouched.
    let env = prepared();
    let root = env.root_token();
    let victim = Victim::new();
    plant(&env, "token", &victim.file());
    env.cmd(&[
        "login",
        "-method=jwt",
        "role=r",
        &format!("jwt={}", mint_jwt("alice", "aud")),
    ])
    .env("VAULTJWT_TOKEN", &root)
    .run()
    .success();
    victim.assert_untouched("login");
    let meta = std::fs::symlink_metadata(env.data.join("token")).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_ne!(env.root_token(), root);
}

#[test]
fn a_link_at_the_dev_issuer_is_never_followed() {
    let env = prepared();
    let victim = Victim::new();
    std::fs::write(
        victim.folder().join("issuer.json"),
        r#"{"issuer":"http://127.0.0.1:9"}"#,
    )
    .unwrap();
    let victim = Victim {
        before: snapshot(victim.dir.path()),
        ..victim
    };
    plant(&env, "dev-issuer", &victim.folder());
    let out = env.run(&["jwt", "sign", "-issuer", "-alg=ES256", "-claim=sub=x"]);
    out.code(1)
        .stderr_has("symbolic link")
        .stderr_has("dev-issuer");
    victim.assert_untouched("jwt sign -issuer");
}

/// Runs `args` with a deadline; a command that hangs is killed and fails the test.
fn run_with_deadline(env: &TestEnv, args: &[&str]) -> std::process::Output {
    use std::process::Stdio;
    let mut c = env.cmd(args).cmd;
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vaultjwt {args:?} hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_fifo_does_not_hang_a_command() {
    for rel in ["token", "storage/.journal", "storage/.lock", "config.toml"] {
        let env = prepared();
        let p = env.data.join(rel);
        std::fs::remove_file(&p).ok();
        rustix::fs::mkfifoat(rustix::fs::CWD, &p, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
        let out = run_with_deadline(&env, &["auth", "list"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{rel}: {stderr}");
        assert!(
            stderr.contains("not a regular file") && stderr.contains(rel),
            "{rel}: {stderr}"
        );
    }
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_data_directory_others_can_write_is_refused() {
    let env = prepared();
    let d = env.data.display().to_string();
    for mode in [0o770, 0o702, 0o777, 0o720] {
        chmod(&env.data, mode);
        let before = env.snapshot();
        for (name, args, stdin) in commands() {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut c = env.cmd(&args);
            if let Some(s) = stdin {
                c = c.stdin(s);
            }
            c.run().code(1).stderr_is(&format!(
                "Refusing to use data directory {d}: it is writable by group or others (chmod 700 {d})\n"
            ));
            assert_eq!(
                env.snapshot(),
                before,
                "{mode:o}: {name} changed the directory"
            );
        }
    }
    chmod(&env.data, 0o700);
    env.run(&["kv", "get", "secret/k"]).success();
    // Readable by others (0755, as an older vaultjwt or a plain mkdir leaves it) is fine.
    chmod(&env.data, 0o755);
    env.run(&["kv", "get", "secret/k"]).success();
}

#[test]
fn a_storage_directory_others_can_write_is_refused() {
    let env = prepared();
    let s = env.storage().display().to_string();
    chmod(&env.storage(), 0o775);
    let before = env.snapshot();
    env.run(&["kv", "put", "secret/k", "v=2"])
        .code(1)
        .one_line_error()
        .stderr_has(&format!(
            "Local storage: refusing to use storage directory {s}: it is writable by group or others (chmod 700 {s})"
        ));
    assert_eq!(env.snapshot(), before);
    chmod(&env.storage(), 0o700);
    env.run(&["kv", "get", "-field=v", "secret/k"])
        .success()
        .stdout_is("0");
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[test]
fn a_data_directory_of_another_user_is_refused() {
    if !is_root() {
        eprintln!("skipped: needs root to give a directory to another user");
        return;
    }
    let nobody = rustix::process::Uid::from_raw(65534);
    let env = prepared();
    let d = env.data.display().to_string();
    rustix::fs::chown(&env.data, Some(nobody), None).unwrap();
    let before = env.snapshot();
    env.run(&["auth", "list"])
        .code(1)
        .one_line_error()
        .stderr_has(&format!(
            "Refusing to use data directory {d}: it is owned by uid 65534, not by you (uid 0)"
        ));
    assert_eq!(env.snapshot(), before);
    rustix::fs::chown(&env.data, Some(rustix::process::Uid::ROOT), None).unwrap();
    rustix::fs::chown(env.storage(), Some(nobody), None).unwrap();
    env.run(&["kv", "put", "secret/k", "v=2"])
        .code(1)
        .one_line_error()
        .stderr_has("Local storage: refusing to use storage directory")
        .stderr_has("owned by uid 65534");
    assert_eq!(env.snapshot(), before);
}

/// A tmpfs of `size` mounted on a fresh folder, unmounted when dropped; `None` (with the
/// reason printed) when it cannot be mounted (not root, no mount permission).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        if !is_root() {
            eprintln!("skipped: needs root to mount a small tmpfs");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(SmallDisk { dir }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the disk at `dir` with one-page files (`fill/N`) until it is full; returns them.
fn fill(dir: &Path) -> Vec<PathBuf> {
    use std::io::Write;
    let fill = dir.join("fill");
    std::fs::create_dir(&fill).unwrap();
    let page = vec![b'x'; 4096];
    let mut out = Vec::new();
    for i in 0.. {
        let p = fill.join(i.to_string());
        let ok = std::fs::File::create(&p)
            .and_then(|mut f| f.write_all(&page).and_then(|_| f.sync_all()));
        if ok.is_err() {
            let _ = std::fs::remove_file(&p);
            break;
        }
        out.push(p);
    }
    out
}

#[test]
fn on_a_full_disk_a_failed_write_is_not_applied_and_reads_work() {
    let Some(disk) = SmallDisk::mount("2m") else {
        return;
    };
    let env = TestEnv {
        home: tempfile::tempdir().unwrap(),
        data: disk.path().join("data"),
    };
    setup_jwt_mount(&env, "aud");
    // A new data directory has `secret/` (kv-v2), as `vault server -dev` does.
    env.run(&["kv", "put", "secret/k", "v=0"]).success();
    let accessors = || {
        env.run(&["list", "-format=json", "auth/token/accessors"])
            .success()
            .json()
    };
    let tokens_before = accessors();
    let helper_before = env.root_token();
    let mut filler = fill(disk.path());
    assert!(!filler.is_empty());

    // Full: reads work.
    env.run(&["kv", "get", "-field=v", "secret/k"])
        .success()
        .stdout_is("0");
    env.run(&["auth", "list"]).success();
    env.run(&["token", "lookup"]).success();
    assert_eq!(accessors(), tokens_before);
    // A login and a write fail, saying why.
    let login = env.run(&[
        "login",
        "-method=jwt",
        "role=r",
        &format!("jwt={}", mint_jwt("alice", "aud")),
    ]);
    login
        .code(1)
        .one_line_error()
        .stderr_has("no space left on device");
    env.run(&["kv", "put", "secret/k", "v=full"])
        .code(1)
        .one_line_error()
        .stderr_has("no space left on device");

    // Space returns one page at a time: each write fails (not applied) or succeeds
    // (applied), whichever step ran out of space.
    let big = "y".repeat(6000);
    let mut outcomes = Vec::new();
    let (mut failed_append, mut failed_stage) = (0, 0);
    for i in 0..24 {
        if let Some(p) = filler.pop() {
            std::fs::remove_file(p).unwrap();
        }
        let out = env.run(&["kv", "put", &format!("secret/k{i}"), &format!("v={big}")]);
        match out.code {
            Some(0) => outcomes.push((i, true)),
            Some(1) => {
                out.one_line_error().stderr_has("no space left on device");
                if out.stderr.contains(".journal") {
                    failed_append += 1; // the temp files fit, the record did not
                } else {
                    failed_stage += 1;
                }
                outcomes.push((i, false));
            }
            _ => panic!("unexpected: {out:?}"),
        }
        // Reads keep working throughout.
        env.run(&["kv", "get", "-field=v", "secret/k"])
            .success()
            .stdout_is("0");
    }
    assert!(outcomes.iter().any(|(_, ok)| !ok), "{outcomes:?}");
    assert!(outcomes.iter().any(|(_, ok)| *ok), "{outcomes:?}");
    assert!(failed_append > 0 && failed_stage > 0, "{outcomes:?}");

    // All the space back: exactly what succeeded is there.
    for p in filler {
        std::fs::remove_file(p).unwrap();
    }
    env.run(&["kv", "get", "-field=v", "secret/k"])
        .success()
        .stdout_is("0");
    for (i, ok) in &outcomes {
        let out = env.run(&["kv", "get", "-field=v", &format!("secret/k{i}")]);
        if *ok {
            out.success().stdout_is(&big);
        } else {
            out.code(2);
        }
    }
    assert_eq!(accessors(), tokens_before, "the failed login left a token");
    assert_eq!(env.root_token(), helper_before);
    env.run(&["kv", "put", "secret/k", "v=after"]).success();
    env.run(&["kv", "get", "-field=v", "secret/k"])
        .success()
        .stdout_is("after");
    assert_eq!(common::temp_files(&env.storage()), 0);
}

#[test]
fn on_a_full_disk_a_write_left_in_the_journal_is_read_through() {
    let Some(disk) = SmallDisk::mount("2m") else {
        return;
    };
    let env = TestEnv {
        home: tempfile::tempdir().unwrap(),
        data: disk.path().join("data"),
    };
    // A new data directory has `secret/` (kv-v2), as `vault server -dev` does.
    env.run(&["kv", "put", "secret/c", "v=old"]).success();
    // A writer killed right after its record's fdatasync (step 5: two temp files, two
    // halves of the record, the fdatasync), before any rename: the record is committed,
    // the state files are not written.
    let out = env
        .cmd(&["kv", "put", "secret/c", "v=new"])
        .env("VAULTJWT_TEST_CRASH_AFTER", "5")
        .run();
    assert_eq!(out.code, None, "killed: {out:?}");
    let meta = common::paths_below(&env.storage())
        .into_iter()
        .find(|p| p.ends_with("metadata/_c.json"))
        .unwrap();
    let on_disk = || std::fs::read_to_string(&meta).unwrap();
    assert!(
        on_disk().contains(r#""current_version":1"#),
        "{}",
        on_disk()
    );
    // Its temp files go (as the next open removes them), so they free no space for the
    // replay.
    for e in std::fs::read_dir(env.storage().join(".tmp")).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    let filler = fill(disk.path());
    // Opening cannot replay it (no space for the temp files), but reads see it.
    for _ in 0..2 {
        env.run(&["kv", "get", "-field=v", "secret/c"])
            .success()
            .stdout_is("new");
        env.run(&["auth", "list"]).success();
    }
    assert!(
        on_disk().contains(r#""current_version":1"#),
        "{}",
        on_disk()
    );
    // A write is refused (nothing else is written before the record is completed).
    env.run(&["kv", "put", "secret/d", "v=1"])
        .code(1)
        .one_line_error()
        .stderr_has("no space left on device");
    for p in filler {
        std::fs::remove_file(p).unwrap();
    }
    env.run(&["kv", "put", "secret/d", "v=1"]).success();
    assert!(
        on_disk().contains(r#""current_version":2"#),
        "{}",
        on_disk()
    );
    env.run(&["kv", "get", "-field=v", "secret/c"])
        .success()
        .stdout_is("new");
    env.run(&["kv", "get", "-field=v", "secret/d"])
        .success()
        .stdout_is("1");
    assert_eq!(common::temp_files(&env.storage()), 0);
}
