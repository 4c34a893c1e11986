//! Concurrency stress: 16 processes at once, each doing 100 mixed operations (JWT login as
//! several users, token create, token revoke, role write, policy write) against one data
//! directory. Afterwards nothing is lost, nothing is duplicated and the counts add up.
//!
//! The 16 processes are this test binary started again ([`stress_worker_child`]), each
//! doing its operations the way one CLI call per operation would: open the data directory
//! (taking its lock), send one request to the core, close it; and one operation in eight by
//! running the real `vaultjwt` binary instead. That keeps 1,600 operations to seconds on a
//! debug build. The data directory is on a tmpfs when the machine has one (see
//! `common::fast_tempdir`): fsyncs would otherwise serialise the run at the disk's pace.
//! Crashes are in `tests/it/storage.rs`.

use crate::common;

use common::{assert_all_json_parses, assert_unlocked, spawn_helper_test, TestEnv};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use vaultjwt::core::{Error, Operation, Request, Response};

const PROCS: usize = 16;
const OPS: usize = 100;
/// Distinct JWT subjects: few enough that every one logs in from several processes at once.
const USERS: usize = 12;
const AUDIENCE: &str = "stress";

/// One JWT per user.
fn mint_jwts() -> Vec<String> {
    (0..USERS)
        .map(|u| common::mint_jwt(&format!("user-{u}"), AUDIENCE))
        .collect()
}

/// One request through a freshly opened data directory, as one CLI call does.
fn request(
    dir: &Path,
    op: Operation,
    path: &str,
    token: Option<&str>,
    data: Value,
) -> Result<Option<Response>, Error> {
    let mut s = vaultjwt::cli::Session::open(Some(dir))
        .unwrap_or_else(|e| panic!("cannot open {}: {e:#}", dir.display()));
    let Value::Object(data) = data else {
        panic!("data must be an object")
    };
    s.handle(
        Request::new(op, path)
            .with_data(data)
            .with_token(token.map(str::to_string)),
    )
}

/// The same write through the real binary: `vaultjwt write -format=json PATH k=v...` (a list
/// is given comma-separated). Returns the `auth` block of its answer (or `null`).
fn write_with_binary(dir: &Path, path: &str, token: Option<&str>, data: &Value) -> Value {
    let mut c = std::process::Command::new(common::bin());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("VAULT") || k.starts_with("BAO_") {
            c.env_remove(&k);
        }
    }
    c.env("VAULTJWT_HOME", dir)
        .env("HOME", dir.parent().unwrap())
        .env("NO_COLOR", "1")
        .args(["write", "-format=json", path]);
    if let Some(t) = token {
        c.env("VAULTJWT_TOKEN", t);
    }
    for (k, v) in data.as_object().unwrap() {
        let v = match v {
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        c.arg(format!("{k}={v}"));
    }
    let o = c.output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(
        o.status.success(),
        "vaultjwt write {path}: {}\n{out}{err}",
        o.status
    );
    if out.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(&out).unwrap()["auth"].clone()
    } else {
        Value::Null
    }
}

/// A write (Vault's `update`) by one worker: through the library, or through the real
/// binary. Returns the issued token, its accessor and entity, if any.
fn write(
    dir: &Path,
    via_binary: bool,
    binary_calls: &mut usize,
    path: &str,
    token: Option<&str>,
    data: Value,
) -> Option<(String, String, String)> {
    if via_binary {
        *binary_calls += 1;
        let auth = write_with_binary(dir, path, token, &data);
        let s = |k: &str| auth[k].as_str().unwrap().to_string();
        return auth
            .is_object()
            .then(|| (s("client_token"), s("accessor"), s("entity_id")));
    }
    let r = request(dir, Operation::Update, path, token, data);
    ok(path, r)
        .auth
        .map(|a| (a.client_token, a.accessor, a.entity_id))
}

fn ok(what: &str, r: Result<Option<Response>, Error>) -> Response {
    match r {
        Ok(Some(r)) => r,
        Ok(None) => Response::default(),
        Err(e) => panic!("{what}: {e}"),
    }
}

fn role_body(ttl: u64) -> Value {
    json!({
        "role_type": "jwt",
        "user_claim": "sub",
        "bound_audiences": AUDIENCE,
        "token_ttl": ttl,
    })
}

fn policy_body(worker: usize, op: usize) -> String {
    format!("path \"secret/w{worker}/{op}\" {{\n  capabilities = [\"read\"]\n}}\n")
}

/// One of the 16 stress processes. Says `READY`, waits for a line on stdin (so all 16 start
/// at once), runs its operations and writes one JSON line per operation to its results file.
#[test]
#[ignore = "helper process for sixteen_processes_times_a_hundred_operations_lose_nothing"]
fn stress_worker_child() {
    let Some(dir) = std::env::var_os("VAULTJWT_STRESS_DIR") else {
        return;
    };
    let dir = Path::new(&dir);
    let var = |k: &str| std::env::var(k).unwrap();
    let worker: usize = var("VAULTJWT_STRESS_WORKER").parse().unwrap();
    let seed: u64 = var("VAULTJWT_STRESS_SEED").parse().unwrap();
    let root = var("VAULTJWT_STRESS_ROOT");
    let jwts: Vec<String> = var("VAULTJWT_STRESS_JWTS")
        .split(',')
        .map(str::to_string)
        .collect();
    let mut results = std::fs::File::create(var("VAULTJWT_STRESS_RESULTS")).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ (worker as u64) << 32);

    common::signal_ready();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();

    let mut live: Vec<String> = Vec::new();
    let mut binary_calls = 0;
    for op in 0..OPS {
        // One operation in eight goes through the real binary.
        let via_binary = rng.gen_range(0..8) == 0;
        let mut write = |path: &str, token: Option<&str>, data: Value| {
            write(dir, via_binary, &mut binary_calls, path, token, data)
        };
        // The first operations are logins, so entities are created concurrently.
        let pick = if op < 3 { 0 } else { rng.gen_range(0..100) };
        let record = match pick {
            0..30 => {
                let user = rng.gen_range(0..USERS);
                let data = json!({"role": "r", "jwt": jwts[user]});
                let (token, accessor, entity) =
                    write("auth/jwt/login", None, data).expect("login auth");
                live.push(token.clone());
                json!({"op": "login", "user": user, "token": token,
                       "accessor": accessor, "entity_id": entity})
            }
            30..45 if !live.is_empty() => {
                let t = live.swap_remove(rng.gen_range(0..live.len()));
                write("auth/token/revoke", Some(&root), json!({ "token": t }));
                json!({"op": "revoke", "token": t})
            }
            30..75 => {
                let data =
                    json!({"display_name": format!("w{worker}-{op}"), "policies": ["default"]});
                let (token, _, _) =
                    write("auth/token/create", Some(&root), data).expect("token auth");
                live.push(token.clone());
                json!({"op": "create", "token": token})
            }
            75..88 => {
                let name = format!("w{worker}-role{}", rng.gen_range(0..3));
                let ttl = 1000 + op as u64;
                write(
                    &format!("auth/jwt/role/{name}"),
                    Some(&root),
                    role_body(ttl),
                );
                json!({"op": "role", "name": name, "ttl": ttl})
            }
            _ => {
                let name = format!("w{worker}-policy{}", rng.gen_range(0..3));
                let body = policy_body(worker, op);
                write(
                    &format!("sys/policy/{name}"),
                    Some(&root),
                    json!({ "policy": body }),
                );
                json!({"op": "policy", "name": name, "body": body})
            }
        };
        writeln!(results, "{record}").unwrap();
    }
    writeln!(
        results,
        "{}",
        json!({"op": "end", "binary_calls": binary_calls})
    )
    .unwrap();
}

/// Lists `dir` below the storage root (file names only, `_NAME.json` → `NAME`).
fn stored(storage: &Path, dir: &str) -> BTreeSet<String> {
    match std::fs::read_dir(storage.join(dir)) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| Some(n.strip_prefix('_')?.strip_suffix(".json")?.to_string()))
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// The names of the folders in `dir` (none when it does not exist: empty folders are removed).
fn subdirs(dir: &Path) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// The data directory opened once for the checks after the run. It holds the lock: drop it
/// before running the binary.
struct Checker {
    session: vaultjwt::cli::Session,
    root: String,
}

impl Checker {
    fn open(dir: &Path, root: &str) -> Checker {
        let session = vaultjwt::cli::Session::open(Some(dir)).unwrap();
        Checker {
            session,
            root: root.to_string(),
        }
    }

    /// One request with the root token.
    fn req(&mut self, op: Operation, path: &str, data: Value) -> Result<Option<Response>, Error> {
        let Value::Object(data) = data else {
            panic!("data must be an object")
        };
        self.session.handle(
            Request::new(op, path)
                .with_data(data)
                .with_token(Some(self.root.clone())),
        )
    }
}

fn list_keys(check: &mut Checker, path: &str) -> Vec<String> {
    let r = ok(path, check.req(Operation::List, path, json!({})));
    let data = r.data.unwrap_or_default();
    let mut keys: Vec<String> = data
        .get("keys")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|k| k.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

#[test]
fn sixteen_processes_times_a_hundred_operations_lose_nothing() {
    let env = TestEnv::on_tmpfs();
    common::setup_jwt_mount(&env, AUDIENCE);
    let root = env.root_token();
    let jwts = mint_jwts();
    let seed: u64 = std::env::var("VAULTJWT_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("stress seed {seed} (VAULTJWT_STRESS_SEED={seed} replays the same operations)");
    let started = std::time::Instant::now();

    // Start the 16, wait until each is ready, then release them all at once.
    let results_dir = env.home.path().join("results");
    std::fs::create_dir(&results_dir).unwrap();
    let seed_s = seed.to_string();
    let joined = jwts.join(",");
    let mut children: Vec<_> = (0..PROCS)
        .map(|w| {
            let w_s = w.to_string();
            let results = results_dir.join(format!("w{w}.jsonl"));
            spawn_helper_test(
                "stress::stress_worker_child",
                &[
                    ("VAULTJWT_STRESS_DIR", env.data.as_os_str()),
                    ("VAULTJWT_STRESS_WORKER", w_s.as_ref()),
                    ("VAULTJWT_STRESS_SEED", seed_s.as_ref()),
                    ("VAULTJWT_STRESS_ROOT", root.as_ref()),
                    ("VAULTJWT_STRESS_JWTS", joined.as_ref()),
                    ("VAULTJWT_STRESS_RESULTS", results.as_os_str()),
                ],
            )
        })
        .collect();
    let _stdouts: Vec<_> = children.iter_mut().map(common::wait_ready).collect();
    for c in &mut children {
        c.stdin.take().unwrap().write_all(b"go\n").unwrap();
    }
    for (w, c) in children.into_iter().enumerate() {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "worker {w} failed ({}):\n{}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let ran = started.elapsed();

    // What each worker did, in its order.
    let mut logins: Vec<(usize, String, String)> = Vec::new(); // (user, token, entity)
    let mut created: Vec<String> = Vec::new();
    let mut revoked: BTreeSet<String> = BTreeSet::new();
    let mut roles: BTreeMap<String, u64> = BTreeMap::new();
    let mut policies: BTreeMap<String, String> = BTreeMap::new();
    let (mut ops, mut binary_calls) = (0, 0);
    for w in 0..PROCS {
        let text = std::fs::read_to_string(results_dir.join(format!("w{w}.jsonl"))).unwrap();
        for line in text.lines() {
            ops += 1;
            let r: Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            match r["op"].as_str().unwrap() {
                "login" => logins.push((
                    r["user"].as_u64().unwrap() as usize,
                    s("token"),
                    s("entity_id"),
                )),
                "create" => created.push(s("token")),
                "revoke" => assert!(revoked.insert(s("token")), "revoked twice"),
                "role" => {
                    roles.insert(s("name"), r["ttl"].as_u64().unwrap());
                }
                "policy" => {
                    policies.insert(s("name"), s("body"));
                }
                "end" => {
                    ops -= 1;
                    binary_calls += r["binary_calls"].as_u64().unwrap() as usize;
                }
                other => panic!("unknown op {other}"),
            }
        }
    }
    assert_eq!(ops, PROCS * OPS);
    let issued: BTreeSet<String> = logins
        .iter()
        .map(|l| l.1.clone())
        .chain(created.iter().cloned())
        .collect();
    assert_eq!(
        issued.len(),
        logins.len() + created.len(),
        "a token was issued twice"
    );
    assert!(revoked.is_subset(&issued));

    // The directory: every state file parses, no temp file, nobody holds the lock.
    let storage = env.storage();
    assert!(assert_all_json_parses(&storage) > 0);
    assert_unlocked(&storage);
    assert_eq!(common::temp_files(&storage), 0);
    let stray = common::stray_files(&storage);
    assert!(stray.is_empty(), "{stray:?}");

    // Every live token looks up (a login token with the entity it was issued for); every
    // revoked one is gone with OpenBao's error.
    let mut check = Checker::open(&env.data, &root);
    for t in issued.difference(&revoked) {
        let r = ok(
            "lookup",
            check.req(Operation::Update, "auth/token/lookup", json!({"token": t})),
        );
        let d = r.data.unwrap();
        assert_eq!(d["id"], json!(t));
    }
    for t in &revoked {
        let e = check
            .req(Operation::Update, "auth/token/lookup", json!({"token": t}))
            .expect_err("a revoked token still looks up");
        assert_eq!(
            (e.status, e.errors.clone()),
            (403, vec!["bad token".to_string()])
        );
    }
    // One entity per user, the same for every login of that user, whichever process.
    let mut entity_of: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (user, token, entity) in &logins {
        entity_of.entry(*user).or_default().insert(entity.clone());
        if !revoked.contains(token) {
            let d = ok(
                "lookup",
                check.req(
                    Operation::Update,
                    "auth/token/lookup",
                    json!({"token": token}),
                ),
            )
            .data
            .unwrap();
            assert_eq!(d["entity_id"], json!(entity));
        }
    }
    for (user, ids) in &entity_of {
        assert_eq!(ids.len(), 1, "user-{user} got entities {ids:?}");
    }
    let entities: BTreeSet<String> = entity_of.values().flatten().cloned().collect();
    let users = entity_of.len();
    let listed: BTreeSet<String> = list_keys(&mut check, "identity/entity/id")
        .into_iter()
        .collect();
    assert_eq!(listed, entities, "entities listed vs. issued");
    let aliases = ok(
        "aliases",
        check.req(Operation::List, "identity/entity-alias/id", json!({})),
    )
    .data
    .unwrap();
    let info = aliases["key_info"].as_object().unwrap();
    let mut alias_names: Vec<&str> = info.values().map(|a| a["name"].as_str().unwrap()).collect();
    alias_names.sort();
    let mut want: Vec<String> = entity_of.keys().map(|u| format!("user-{u}")).collect();
    want.sort();
    assert_eq!(alias_names, want, "one alias per user, no duplicate");
    for a in info.values() {
        assert!(entities.contains(a["canonical_id"].as_str().unwrap()));
    }

    // Roles and policies: each holds its last content, and nothing else is there.
    for (name, ttl) in &roles {
        let d = ok(
            "role read",
            check.req(Operation::Read, &format!("auth/jwt/role/{name}"), json!({})),
        )
        .data
        .unwrap();
        assert_eq!(d["token_ttl"], json!(ttl), "role {name}");
    }
    let mut want_roles: Vec<String> = roles.keys().cloned().collect();
    want_roles.push("r".into());
    want_roles.sort();
    assert_eq!(list_keys(&mut check, "auth/jwt/role"), want_roles);
    for (name, body) in &policies {
        let d = ok(
            "policy read",
            check.req(Operation::Read, &format!("sys/policy/{name}"), json!({})),
        )
        .data
        .unwrap();
        assert_eq!(d["rules"], json!(body), "policy {name}");
    }
    let mut want_policies: Vec<String> = policies.keys().cloned().collect();
    want_policies.extend(["default".to_string(), "root".to_string()]);
    want_policies.sort();
    assert_eq!(list_keys(&mut check, "sys/policy"), want_policies);

    // The counts, from the storage files (there is no endpoint listing tokens).
    let live = issued.len() - revoked.len();
    let token_files = stored(&storage, "sys/token/id");
    assert_eq!(
        token_files.len(),
        live + 1,
        "token entries = issued - revoked + root"
    );
    assert_eq!(
        stored(&storage, "sys/token/accessor").len(),
        live + 1,
        "accessor index"
    );
    let live_logins = logins.iter().filter(|l| !revoked.contains(&l.1)).count();
    let live_created = created.iter().filter(|t| !revoked.contains(*t)).count();
    let parents = subdirs(&storage.join("sys/token/parent"));
    assert!(
        parents.len() <= 1,
        "only the root token has children: {parents:?}"
    );
    let root_hash = parents.first();
    let children = root_hash.map_or(0, |h| {
        stored(&storage, &format!("sys/token/parent/{h}")).len()
    });
    assert_eq!(
        children, live_created,
        "children of root = created - revoked"
    );
    // Every token but root is indexed under the mount that issued it.
    let table = ok(
        "sys/auth",
        check.req(Operation::Read, "sys/auth", json!({})),
    )
    .data
    .unwrap();
    let accessor = |m: &str| table[m]["accessor"].as_str().unwrap().to_string();
    let (jwt, tok) = (accessor("jwt/"), accessor("token/"));
    let mounts = subdirs(&storage.join("sys/token/mount"));
    assert!(
        mounts.is_subset(&[jwt.clone(), tok.clone()].into()),
        "{mounts:?}"
    );
    let indexed = |acc: &str| stored(&storage, &format!("sys/token/mount/{acc}")).len();
    assert_eq!(
        indexed(&jwt),
        live_logins,
        "tokens of the jwt mount = logins - revoked"
    );
    assert_eq!(
        indexed(&tok),
        live_created,
        "tokens of token/ = created - revoked"
    );
    assert_eq!(
        stored(&storage, "identity/entity/id").len(),
        users,
        "entity files"
    );
    assert_eq!(
        stored(&storage, "identity/entity/name").len(),
        users,
        "entity name index"
    );
    assert_eq!(
        stored(&storage, "identity/alias/id").len(),
        users,
        "alias id index"
    );
    let factors: usize = subdirs(&storage.join("identity/alias/factors"))
        .iter()
        .map(|a| stored(&storage, &format!("identity/alias/factors/{a}")).len())
        .sum();
    assert_eq!(factors, users, "alias factor index");

    // A few of each through the real binary (once the lock is released), with its exact
    // output.
    drop(check);
    for t in issued.difference(&revoked).take(4) {
        let v = env
            .run(&["token", "lookup", "-format=json", t])
            .success()
            .json();
        assert_eq!(v["data"]["id"], json!(t));
    }
    for t in revoked.iter().take(4) {
        env.run(&["token", "lookup", t]).code(2).stdout_is("").stderr_is(
            "Error looking up token: Error making API request.\n\nCode: 403. Errors:\n\n* bad token\n",
        );
    }

    eprintln!(
        "{PROCS}x{OPS} operations ({binary_calls} through the binary) in {ran:?} ({} logins as \
         {users} users, {} tokens created, {} revoked, {} roles, {} policies); checks done at {:?}",
        logins.len(),
        created.len(),
        revoked.len(),
        roles.len(),
        policies.len(),
        started.elapsed()
    );
}
