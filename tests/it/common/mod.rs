//! Shared helpers for the integration tests: run the `vaultjwt` binary in a fresh data
//! directory, with `HOME` in a tempdir and every `VAULT*`/`VAULTJWT_*`/`BAO_*` variable of the
//! caller removed, and assert on stdout, stderr and the exit status.
//!
//! ```ignore
//! let env = TestEnv::new();
//! env.run(&["auth", "enable", "jwt"]).success().stdout_is("Success! Enabled jwt auth method at: jwt/\n");
//! env.cmd(&["write", "auth/jwt/login", "role=r", "jwt=-"]).stdin("eyJ...").run().code(2);
//! ```
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Whether a test that needs something outside the repository (`what`: the conformance harness
/// in `../shared`, a `bao` binary, ...) may run. When it is absent the test is skipped with the
/// reason on stderr, so a plain `cargo test` on a fresh clone passes; `.ci/run` sets
/// `VAULTJWT_REQUIRE_EXTERNAL=1`, which turns the skip into a failure there, so CI still proves it.
pub fn external_or_skip<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_none() {
        let required = std::env::var_os("VAULTJWT_REQUIRE_EXTERNAL").is_some_and(|v| v == "1");
        assert!(!required, "{what} is needed (VAULTJWT_REQUIRE_EXTERNAL=1)");
        // Straight to fd 2, past the test harness's capture, so a plain `cargo test` shows it.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped: {what} is not available");
    }
    found
}

/// The path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vaultjwt")
}

/// `vaultjwt` with nothing of the caller's environment that steers it: every `VAULT*` and
/// `BAO_*` variable removed, `HOME` and `VAULTJWT_HOME` set to `home` (a [`TestEnv`] sets its
/// own data directory after). Every test starts the binary through here.
pub fn command(home: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(bin());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("VAULT") || k.starts_with("BAO_") {
            c.env_remove(&k);
        }
    }
    c.env("HOME", home).env("VAULTJWT_HOME", home);
    c
}

/// A fresh `HOME` and data directory (`$HOME/data`, created on first use by the binary).
pub struct TestEnv {
    pub home: tempfile::TempDir,
    pub data: PathBuf,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let home = tempfile::tempdir().expect("tempdir");
        let data = home.path().join("data");
        TestEnv { home, data }
    }

    /// A command builder for `vaultjwt ARGS` in this environment.
    pub fn cmd(&self, args: &[&str]) -> Cmd {
        let mut c = command(self.home.path());
        c.env("HOME", self.home.path())
            .env("VAULTJWT_HOME", &self.data)
            .env("NO_COLOR", "1")
            .current_dir(self.home.path())
            .args(args);
        Cmd {
            cmd: c,
            stdin: None,
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Runs `vaultjwt ARGS` with no stdin.
    pub fn run(&self, args: &[&str]) -> Out {
        self.cmd(args).run()
    }

    /// A snapshot of every file and directory below the data directory (path → mode and
    /// contents), to assert that a failing command changed nothing.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, (u32, Vec<u8>)> {
        snapshot(&self.data)
    }

    /// Path of the storage root inside the data directory.
    pub fn storage(&self) -> PathBuf {
        self.data.join("storage")
    }
}

pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o7777;
        if meta.is_dir() {
            out.insert(p.clone(), (mode, Vec::new()));
            if let Ok(rd) = std::fs::read_dir(&p) {
                for e in rd.flatten() {
                    stack.push(e.path());
                }
            }
        } else {
            out.insert(p.clone(), (mode, std::fs::read(&p).unwrap_or_default()));
        }
    }
    out
}

/// Every regular file below `root`.
pub fn files_below(root: &Path) -> Vec<PathBuf> {
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| p.is_file())
        .map(|(p, _)| p)
        .collect()
}

pub struct Cmd {
    pub cmd: std::process::Command,
    stdin: Option<Vec<u8>>,
    args: Vec<String>,
}

impl Cmd {
    pub fn stdin(mut self, s: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(s.into());
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn run(mut self) -> Out {
        use std::io::Write;
        use std::process::Stdio;
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn vaultjwt");
        if let Some(mut stdin) = child.stdin.take() {
            if let Some(data) = &self.stdin {
                let _ = stdin.write_all(data);
            }
        }
        let o = child.wait_with_output().expect("wait for vaultjwt");
        Out {
            args: self.args,
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code(),
        }
    }
}

/// The result of one run, with chainable assertions that print the whole run on failure.
#[derive(Debug)]
pub struct Out {
    pub args: Vec<String>,
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Out {
    fn fail(&self, what: &str) -> ! {
        panic!(
            "vaultjwt {:?}: {what}\n--- exit: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }

    pub fn success(&self) -> &Self {
        if self.code != Some(0) {
            self.fail("expected exit 0");
        }
        self
    }

    pub fn code(&self, code: i32) -> &Self {
        if self.code != Some(code) {
            self.fail(&format!("expected exit {code}"));
        }
        self
    }

    pub fn stdout_is(&self, s: &str) -> &Self {
        if self.stdout != s {
            self.fail(&format!("expected stdout {s:?}"));
        }
        self
    }

    pub fn stderr_is(&self, s: &str) -> &Self {
        if self.stderr != s {
            self.fail(&format!("expected stderr {s:?}"));
        }
        self
    }

    pub fn stdout_has(&self, s: &str) -> &Self {
        if !self.stdout.contains(s) {
            self.fail(&format!("expected stdout to contain {s:?}"));
        }
        self
    }

    pub fn stderr_has(&self, s: &str) -> &Self {
        if !self.stderr.contains(s) {
            self.fail(&format!("expected stderr to contain {s:?}"));
        }
        self
    }

    pub fn stderr_lacks(&self, s: &str) -> &Self {
        if self.stderr.contains(s) {
            self.fail(&format!("expected stderr not to contain {s:?}"));
        }
        self
    }

    /// A failure reported as exactly one line on stderr, nothing on stdout.
    pub fn one_line_error(&self) -> &Self {
        if self.code == Some(0) {
            self.fail("expected a non-zero exit");
        }
        if self.stderr.lines().count() != 1 || !self.stderr.ends_with('\n') {
            self.fail("expected exactly one line on stderr");
        }
        if !self.stdout.is_empty() {
            self.fail("expected nothing on stdout");
        }
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| self.fail(&format!("stdout is not JSON: {e}")))
    }
}

/// A temp directory on a tmpfs (`/dev/shm`) when the machine has a usable one, else an
/// ordinary one. For tests that run thousands of writes through the lock: on tmpfs an
/// fsync costs nothing, so the run time measures locking and the code, not the disk.
/// Locking, renames and `O_EXCL` behave the same on both.
pub fn fast_tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(shm) {
            return d;
        }
    }
    tempfile::tempdir().expect("tempdir")
}

impl TestEnv {
    /// Like [`TestEnv::new`], in [`fast_tempdir`].
    pub fn on_tmpfs() -> TestEnv {
        let home = fast_tempdir();
        let data = home.path().join("data");
        TestEnv { home, data }
    }

    /// The root token the first command stored in the token helper.
    pub fn root_token(&self) -> String {
        std::fs::read_to_string(self.data.join("token"))
            .expect("token helper")
            .trim()
            .to_string()
    }
}

/// Every regular file below `root`, without reading them (cheaper than [`files_below`]).
pub fn paths_below(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => out.push(e.path()),
                _ => {}
            }
        }
    }
    out
}

/// Every `*.json` file below `root` parses as JSON; returns how many there are.
pub fn assert_all_json_parses(root: &Path) -> usize {
    let mut n = 0;
    for f in paths_below(root) {
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

/// Nobody holds the storage lock: taking it without blocking succeeds (and it is released
/// again at once).
pub fn assert_unlocked(root: &Path) {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(root.join(".lock"))
        .unwrap();
    if let Err(e) = f.try_lock() {
        panic!("the storage lock {} is still held: {e}", root.display());
    }
}

/// Files below the storage root that readers could see but are not state files. Readers
/// (`FileStorage::list`) skip every name starting with `.` (the lock, temp files, any other
/// bookkeeping); anything else must be a `_NAME.json` state file.
pub fn stray_files(root: &Path) -> Vec<PathBuf> {
    paths_below(root)
        .into_iter()
        .filter(|f| {
            let rel = f.strip_prefix(root).unwrap();
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let name = f.file_name().unwrap().to_string_lossy();
            let state = name.starts_with('_') && name.ends_with(".json");
            !(hidden || state)
        })
        .collect()
}

/// Number of in-flight temp files (those of killed writers) in the storage's `.tmp/`.
pub fn temp_files(root: &Path) -> usize {
    std::fs::read_dir(root.join(".tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Starts this test binary again to run the ignored helper test `name` alone, its stdout
/// and stdin piped (for a readiness handshake) and its stderr piped, with the given
/// environment and none of the caller's `VAULT*`/`BAO_*` variables.
pub fn spawn_helper_test(name: &str, envs: &[(&str, &std::ffi::OsStr)]) -> std::process::Child {
    use std::process::{Command, Stdio};
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        name,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
        "-q",
    ]);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("VAULT") || k.starts_with("BAO_") {
            c.env_remove(&k);
        }
    }
    for (k, v) in envs {
        c.env(k, v);
    }
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn helper test")
}

/// Reads the child's stdout until it prints the line `READY` (a readiness handshake: the
/// child prints it with [`signal_ready`] once it has got going). Panics with the child's
/// stderr when it exits first.
pub fn wait_ready(
    child: &mut std::process::Child,
) -> std::io::BufReader<std::process::ChildStdout> {
    use std::io::{BufRead, Read};
    let mut r = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            let _ = child.wait();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("the helper process exited before it was ready:\n{err}");
        }
        if line.trim_end() == "READY" {
            return r;
        }
    }
}

/// The child half of [`wait_ready`]: prints `READY` straight to fd 1 (past libtest's
/// output capture) and flushes.
pub fn signal_ready() {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(b"READY\n").unwrap();
    out.flush().unwrap();
}

/// The text of `tests/fixtures/keys/NAME`.
pub fn fixture_key(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A JWT for `sub` and `aud`, RS256-signed with the `rsa2048.key` fixture (trust it with
/// `jwt_validation_pubkeys=` the `rsa2048.pub` fixture), valid for an hour.
pub fn mint_jwt(sub: &str, aud: &str) -> String {
    use vaultjwt::dev::{keys::PrivateKey, sign};
    let key = PrivateKey::from_pem(&fixture_key("rsa2048.key")).unwrap();
    let now = vaultjwt::dev::time::now();
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), sub.into());
    claims.insert("aud".into(), aud.into());
    claims.insert("iat".into(), (now - 5).into());
    claims.insert("exp".into(), (now + 3600).into());
    sign::sign(&key, "RS256", None, &serde_json::Map::new(), &claims).unwrap()
}

/// A JWT with these claims, RS256-signed with the `rsa2048.key` fixture.
pub fn mint_claims(claims: serde_json::Value) -> String {
    use vaultjwt::dev::{keys::PrivateKey, sign};
    let key = PrivateKey::from_pem(&fixture_key("rsa2048.key")).unwrap();
    let claims = claims.as_object().cloned().unwrap_or_default();
    sign::sign(&key, "RS256", None, &serde_json::Map::new(), &claims).unwrap()
}

/// Enables `jwt/` trusting the `rsa2048.pub` fixture, with role `r` (`user_claim=sub`,
/// `bound_audiences=AUD`).
pub fn setup_jwt_mount(env: &TestEnv, aud: &str) {
    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&[
        "write",
        "auth/jwt/config",
        &format!("jwt_validation_pubkeys={}", fixture_key("rsa2048.pub")),
    ])
    .success();
    env.run(&[
        "write",
        "auth/jwt/role/r",
        "role_type=jwt",
        "user_claim=sub",
        &format!("bound_audiences={aud}"),
    ])
    .success();
}

/// Watches a process's writes to the storage at `root`, to time a kill in the middle of them
/// without assuming how fast the process is: each of its temp files appearing in `.tmp/`
/// (named `PID-...`; the token helper's temp file is one of them), and each change of the
/// journal (`.journal`, on a storage that keeps one), is one event.
pub struct WriteWatch {
    root: PathBuf,
    prefix: String,
    seen: std::collections::BTreeSet<String>,
    journal: Option<(u64, std::time::SystemTime)>,
    events: usize,
}

impl WriteWatch {
    pub fn new(root: &Path, pid: u32) -> WriteWatch {
        let mut w = WriteWatch {
            root: root.to_path_buf(),
            prefix: format!("{pid}-"),
            seen: Default::default(),
            journal: None,
            events: 0,
        };
        w.journal = w.journal_state();
        w
    }

    fn journal_state(&self) -> Option<(u64, std::time::SystemTime)> {
        let m = std::fs::metadata(self.root.join(".journal")).ok()?;
        Some((m.len(), m.modified().ok()?))
    }

    /// Looks again; returns the number of events seen so far.
    pub fn poll(&mut self) -> usize {
        if let Ok(rd) = std::fs::read_dir(self.root.join(".tmp")) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&self.prefix) && self.seen.insert(name) {
                    self.events += 1;
                }
            }
        }
        let j = self.journal_state();
        if j != self.journal {
            self.journal = j;
            self.events += 1;
        }
        self.events
    }
}

/// The `bao` binary (OpenBao 2.7.2) for tests that need a real server: `$BAO_BIN`, else the
/// conformance harness's cache, else `bao` on `PATH`; skipped (or, under
/// `VAULTJWT_REQUIRE_EXTERNAL=1`, failed) when there is none.
pub fn bao_bin() -> Option<PathBuf> {
    let cached = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/vaultjwt-conformance/openbao-2.7.2/bao"));
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("bao"))
            .find(|b| b.is_file())
    });
    let found = std::env::var_os("BAO_BIN")
        .map(PathBuf::from)
        .into_iter()
        .chain(cached)
        .chain(on_path)
        .find(|b| {
            std::process::Command::new(b)
                .arg("version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    external_or_skip("a bao binary ($BAO_BIN, the harness cache or PATH)", found)
}

/// A `bao server -dev` on a free loopback port with root token `root`, stopped (by PID) when
/// dropped.
pub struct BaoDev {
    child: std::process::Child,
    pub addr: String,
    /// With TLS (`start_tls`): the dev server's CA certificate.
    pub ca: Option<PathBuf>,
    _dir: tempfile::TempDir,
}

impl BaoDev {
    /// Starts one, or `None` (skipped) when there is no bao binary.
    pub fn start() -> Option<BaoDev> {
        Self::start_with(false)
    }

    /// [`BaoDev::start`] with `-dev-tls`: https, a certificate for localhost and 127.0.0.1
    /// signed by the CA in [`BaoDev::ca`].
    pub fn start_tls() -> Option<BaoDev> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Option<BaoDev> {
        let bin = bao_bin()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let certs = dir.path().join("tls");
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port();
            let scheme = if tls { "https" } else { "http" };
            let addr = format!("{scheme}://127.0.0.1:{port}");
            let mut args = vec![
                "server".to_string(),
                "-dev".into(),
                "-dev-root-token-id=root".into(),
                format!("-dev-listen-address=127.0.0.1:{port}"),
            ];
            if tls {
                std::fs::create_dir_all(&certs).expect("cert dir");
                args.insert(2, "-dev-tls".into());
                args.insert(3, format!("-dev-tls-cert-dir={}", certs.display()));
            }
            let mut child = std::process::Command::new(&bin)
                .args(&args)
                .env("HOME", dir.path())
                .env_remove("BAO_ADDR")
                .env_remove("VAULT_ADDR")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("start bao");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while std::time::Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                let up = if tls {
                    certs.join("vault-ca.pem").exists()
                        && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
                } else {
                    health_ok(port)
                };
                if up {
                    if tls {
                        // Unsealed and serving: give the listener its first second.
                        std::thread::sleep(std::time::Duration::from_millis(500));
                    }
                    return Some(BaoDev {
                        child,
                        addr,
                        ca: tls.then(|| certs.join("vault-ca.pem")),
                        _dir: dir,
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("bao server -dev did not start");
    }
}

fn health_ok(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    let req = "GET /v1/sys/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200")
}

impl Drop for BaoDev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The PostgreSQL server binaries (Debian's `postgresql` package), if installed.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| d.join("initdb").is_file() && d.join("postgres").is_file())
        .collect();
    dirs.sort();
    external_or_skip(
        "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin, apt-get install postgresql)",
        dirs.pop(),
    )
}

/// A throwaway PostgreSQL: `initdb` into a temp dir, run as the unprivileged `postgres` user
/// when we are root, on a free loopback port with its socket in the temp dir, superuser
/// `postgres` with password [`PgServer::PASSWORD`] (scram over TCP). Stopped by PID when dropped.
pub struct PgServer {
    child: std::process::Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl PgServer {
    pub const PASSWORD: &'static str = "pg-root-secret";

    /// Starts one, or `None` (skipped, saying why) when PostgreSQL is not installed.
    pub fn start() -> Option<PgServer> {
        let bin = postgres_bin_dir()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = unsafe { libc::geteuid() } == 0;
        let as_pg = |prog: &str| {
            let mut c = if root {
                let mut c = std::process::Command::new("setpriv");
                c.args([
                    "--reuid=postgres",
                    "--regid=postgres",
                    "--init-groups",
                    "--",
                ])
                .arg(bin.join(prog));
                c
            } else {
                std::process::Command::new(bin.join(prog))
            };
            c.env_remove("PGDATA").env("LC_ALL", "C");
            c
        };
        if root {
            let pw = std::process::Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .expect("id");
            let gw = std::process::Command::new("id")
                .args(["-g", "postgres"])
                .output()
                .expect("id");
            let uid: u32 = String::from_utf8_lossy(&pw.stdout)
                .trim()
                .parse()
                .expect("postgres uid");
            let gid: u32 = String::from_utf8_lossy(&gw.stdout)
                .trim()
                .parse()
                .expect("postgres gid");
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, Self::PASSWORD).expect("pwfile");
        if root {
            let _ = std::process::Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&pwfile)
                .status();
        }
        let data = dir.path().join("data");
        let out = as_pg("initdb")
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .arg("-D")
            .arg(&data)
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port();
            let mut child = as_pg("postgres")
                .arg("-D")
                .arg(&data)
                .args(["-p", &port.to_string(), "-k"])
                .arg(dir.path())
                .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
                .stdout(std::process::Stdio::null())
                .stderr(std::fs::File::create(dir.path().join("log")).expect("log"))
                .spawn()
                .expect("start postgres");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while std::time::Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if pg_connect(port, "postgres", Self::PASSWORD).is_ok() {
                    return Some(PgServer { child, port, dir });
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("postgres did not start");
    }
}

impl PgServer {
    /// `postgresql://postgres:<password>@127.0.0.1:<port>/postgres`.
    pub fn root_url(&self) -> String {
        format!(
            "postgresql://postgres:{}@127.0.0.1:{}/postgres?sslmode=disable",
            Self::PASSWORD,
            self.port
        )
    }

    /// A Vault `connection_url` with the `{{username}}`/`{{password}}` templates.
    pub fn template_url(&self) -> String {
        format!(
            "postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        )
    }

    /// A connection as the superuser.
    pub fn root(&self) -> postgres::Client {
        pg_connect(self.port, "postgres", Self::PASSWORD).expect("connect as postgres")
    }

    /// A connection as `user` with `password` (over TCP, password checked).
    pub fn connect(&self, user: &str, password: &str) -> Result<postgres::Client, postgres::Error> {
        pg_connect(self.port, user, password)
    }

    /// Whether the role `name` exists.
    pub fn role_exists(&self, name: &str) -> bool {
        let mut c = self.root();
        let rows = c
            .query("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])
            .expect("query pg_roles");
        !rows.is_empty()
    }

    /// The server's log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }
}

/// Connects to the loopback PostgreSQL on `port`.
pub fn pg_connect(
    port: u16,
    user: &str,
    password: &str,
) -> Result<postgres::Client, postgres::Error> {
    postgres::Config::new()
        .host("127.0.0.1")
        .port(port)
        .user(user)
        .password(password)
        .dbname("postgres")
        .connect_timeout(std::time::Duration::from_secs(5))
        .connect(postgres::NoTls)
}

impl Drop for PgServer {
    fn drop(&mut self) {
        // SIGINT: PostgreSQL's fast shutdown.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The SQLSTATE of a PostgreSQL error, if the server sent one.
pub fn sql_state(e: &postgres::Error) -> Option<&str> {
    e.as_db_error().map(|d| d.code().code())
}
