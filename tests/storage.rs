//! Storage robustness: concurrent processes, SIGKILL at random moments, unwritable and
//! corrupt data directories.

mod common;

use common::{files_below, TestEnv};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use vaultjwt::storage::{FileStorage, Storage};

/// Every `*.json` file below `root` parses.
fn assert_all_json_parses(root: &Path) -> usize {
    let mut n = 0;
    for f in files_below(root) {
        if f.extension().is_some_and(|e| e == "json") {
            let bytes = std::fs::read(&f).unwrap();
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                panic!("{} does not parse: {e}", f.display());
            }
            n += 1;
        }
    }
    n
}

/// Nobody holds the storage lock.
fn assert_unlocked(root: &Path) {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(root.join(".lock"))
        .unwrap();
    f.try_lock().expect("the storage lock is still held");
}

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

/// Run by [`sigkill_during_writes_leaves_parseable_state`] in a child process: writes
/// through `FileStorage` until killed.
#[test]
#[ignore = "helper process for sigkill_during_writes_leaves_parseable_state"]
fn crash_writer_child() {
    let Some(root) = std::env::var_os("VAULTJWT_TEST_WRITER_ROOT") else {
        return;
    };
    let s = FileStorage::open(Path::new(&root), true).unwrap();
    let big = "x".repeat(64 * 1024);
    let mut n: u64 = s
        .get("counter")
        .unwrap()
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    loop {
        n += 1;
        let key = format!("dir{}/sub{}/k{}", n % 3, n % 5, n % 7);
        s.put(&key, &serde_json::json!({"n": n, "pad": big}))
            .unwrap();
        if n.is_multiple_of(4) {
            s.delete(&format!(
                "dir{}/sub{}/k{}",
                (n + 1) % 3,
                (n + 1) % 5,
                (n + 1) % 7
            ))
            .unwrap();
        }
        s.put("counter", &serde_json::json!(n)).unwrap();
    }
}

#[test]
fn sigkill_during_writes_leaves_parseable_state() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("storage");
    let me = std::env::current_exe().unwrap();
    let started = std::time::Instant::now();
    let mut kills = 0;
    while kills < 120 {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "crash_writer_child",
                "--ignored",
                "--test-threads=1",
            ])
            .env("VAULTJWT_TEST_WRITER_ROOT", &root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(2 + rand::random::<u64>() % 20));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "the writer stopped on its own: {status}");
        kills += 1;
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    // Writes happened, every state file parses, nobody holds the lock.
    let n = assert_all_json_parses(&root);
    assert!(n >= 2, "only {n} state files: the writer never wrote");
    assert_unlocked(&root);
    // Opening cleans the temp files of killed writers and everything reads back.
    let s = FileStorage::open(&root, true).unwrap();
    assert_eq!(s.stale_temp_files(), 0);
    let counter = s.get("counter").unwrap().and_then(|v| v.as_u64());
    assert!(counter.unwrap_or(0) > 0, "counter {counter:?}");
    for d in s.list("").unwrap() {
        if let Some(d) = d.strip_suffix('/') {
            for sub in s.list(&format!("{d}/")).unwrap() {
                for k in s.list(&format!("{d}/{sub}")).unwrap() {
                    let v = s.get(&format!("{d}/{sub}{k}")).unwrap();
                    assert!(v.is_some_and(|v| v["n"].is_u64()));
                }
            }
        }
    }
}

#[test]
fn sigkill_during_cli_commands_leaves_a_working_directory() {
    let env = TestEnv::new();
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
