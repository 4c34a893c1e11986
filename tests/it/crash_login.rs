//! A login killed at every step of its writes (issue 6, item 2: "a kill between writing a
//! token and writing its entity").
//!
//! The debug build's storage has a fault hook (see `src/storage/file.rs`): with
//! `VAULTJWT_TEST_CRASH_AFTER=k` the process SIGKILLs itself at the k-th low-level step of a
//! write or a recovery (journal append halves, fdatasync, each temp file, rename, unlink,
//! header update). For every k, a first login (which creates the entity, its alias, joins an
//! external group and issues the token, with their indexes) runs in a copy of one prepared
//! data directory and is killed there; a second process is then killed at the first step of
//! its own recovery, if it has any. After that, the directory opens cleanly and the login
//! either happened entirely (a token whose entity exists, holds the alias and is in the group,
//! with every index in place) or not at all (the state is exactly the prepared one), and a
//! new login works.

use crate::common;

use common::TestEnv;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use vaultjwt::storage::{FileStorage, Storage};

const RSA_KEY: &str = include_str!("../fixtures/keys/rsa2048.key");
const RSA_PUB: &str = include_str!("../fixtures/keys/rsa2048.pub");

fn jwt() -> String {
    let now = vaultjwt::core::now();
    let claims = json!({
        "sub": "alice", "aud": "crash", "groups": ["devs"],
        "iat": now, "nbf": now - 60, "exp": now + 3600,
    });
    let key = EncodingKey::from_rsa_pem(RSA_KEY.as_bytes()).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
}

/// Every key and document of the storage at `root` (opened as the CLI opens it, so a
/// leftover journal record is replayed first).
fn state(root: &Path) -> BTreeMap<String, Value> {
    let s = FileStorage::open(root, true).expect("the data directory opens");
    assert_eq!(s.stale_temp_files(), 0);
    let mut out = BTreeMap::new();
    let mut stack = vec![String::new()];
    while let Some(prefix) = stack.pop() {
        for child in s.list(&prefix).unwrap() {
            let key = format!("{prefix}{child}");
            if child.ends_with('/') {
                stack.push(key);
            } else {
                let v = s.get(&key).unwrap().expect("a listed key reads");
                out.insert(key, v);
            }
        }
    }
    out
}

fn under<'a>(st: &'a BTreeMap<String, Value>, prefix: &str) -> Vec<(&'a str, &'a Value)> {
    st.iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v)))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Checks that the login happened entirely in `after` (compared with `before`); returns the
/// entity id.
fn assert_whole_login(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>, k: u64) {
    let new: BTreeMap<&String, &Value> = after
        .iter()
        .filter(|(key, _)| !before.contains_key(*key))
        .collect();
    let tokens = under(after, "sys/token/id/");
    let new_tokens: Vec<_> = tokens
        .iter()
        .filter(|(h, _)| !before.contains_key(&format!("sys/token/id/{h}")))
        .collect();
    assert_eq!(new_tokens.len(), 1, "k={k}: {new:#?}");
    let (hash, entry) = new_tokens[0];
    let entity_id = entry["entity_id"].as_str().unwrap();
    assert!(!entity_id.is_empty(), "k={k}");
    // The entity, its alias and the alias indexes.
    let entity = &after[&format!("identity/entity/id/{entity_id}")];
    let alias = &entity["aliases"][0];
    assert_eq!(alias["name"], "alice", "k={k}");
    let accessor = alias["mount_accessor"].as_str().unwrap();
    assert_eq!(entry["mount_accessor"], accessor, "k={k}");
    let factors = under(after, &format!("identity/alias/factors/{accessor}/"));
    assert_eq!(factors.len(), 1, "k={k}");
    assert_eq!(factors[0].1, entity_id, "k={k}");
    assert_eq!(
        after[&format!("identity/alias/id/{}", alias["id"].as_str().unwrap())],
        entity_id,
        "k={k}"
    );
    // The group membership, both ways.
    let groups = under(after, "identity/group/id/");
    assert_eq!(groups.len(), 1, "k={k}");
    let (gid, group) = groups[0];
    assert_eq!(group["member_entity_ids"], json!([entity_id]), "k={k}");
    assert!(
        after.contains_key(&format!("identity/member/{entity_id}/{gid}")),
        "k={k}: {new:#?}"
    );
    // The token's indexes.
    assert!(
        under(after, "sys/token/accessor/")
            .iter()
            .any(|(_, v)| v.as_str() == Some(hash)),
        "k={k}"
    );
    assert!(
        after.contains_key(&format!("sys/token/mount/{accessor}/{hash}")),
        "k={k}"
    );
}

#[test]
fn a_login_killed_at_any_step_is_whole_or_absent() {
    let template = TestEnv::new();
    let run_ok = |env: &TestEnv, args: &[&str]| env.run(args).success().stdout.clone();
    run_ok(&template, &["auth", "enable", "jwt"]);
    std::fs::write(template.home.path().join("rsa.pub"), RSA_PUB).unwrap();
    run_ok(
        &template,
        &[
            "write",
            "auth/jwt/config",
            "jwt_validation_pubkeys=@rsa.pub",
        ],
    );
    run_ok(
        &template,
        &[
            "write",
            "auth/jwt/role/r",
            "role_type=jwt",
            "user_claim=sub",
            "bound_audiences=crash",
            "groups_claim=groups",
            "token_policies=default",
        ],
    );
    let accessor = template
        .run(&["auth", "list", "-format=json"])
        .success()
        .json()["jwt/"]["accessor"]
        .as_str()
        .unwrap()
        .to_string();
    let gid = template
        .run(&[
            "write",
            "-format=json",
            "identity/group",
            "name=eng",
            "type=external",
            "policies=p",
        ])
        .success()
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    run_ok(
        &template,
        &[
            "write",
            "identity/group-alias",
            "name=devs",
            &format!("mount_accessor={accessor}"),
            &format!("canonical_id={gid}"),
        ],
    );
    let token = jwt();
    std::fs::write(template.home.path().join("login.jwt"), &token).unwrap();
    let before = state(&template.storage());
    let login = ["write", "auth/jwt/login", "role=r", "jwt=@login.jwt"];

    let (mut whole, mut absent) = (0, 0);
    let mut k = 1;
    loop {
        assert!(k < 200, "the login never completed");
        let env = TestEnv::new();
        copy_dir(&template.data, &env.data);
        std::fs::copy(
            template.home.path().join("login.jwt"),
            env.home.path().join("login.jwt"),
        )
        .unwrap();
        let mut c = env.cmd(&login).cmd;
        c.env("VAULTJWT_TEST_CRASH_AFTER", k.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let status = c.status().unwrap();
        if status.success() {
            // k is past the last step: the uncut login.
            assert_whole_login(&before, &state(&env.storage()), k);
            break;
        }
        assert_eq!(status.signal(), Some(9), "k={k}: {status}");
        // A second process killed at the first step of its recovery, if it has one.
        let mut c = env.cmd(&["auth", "list"]).cmd;
        c.env("VAULTJWT_TEST_CRASH_AFTER", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let second = c.status().unwrap();
        assert!(
            second.success() || second.signal() == Some(9),
            "k={k}: {second}"
        );

        let after = state(&env.storage());
        if under(&after, "sys/token/id/").len() == under(&before, "sys/token/id/").len() {
            assert_eq!(after, before, "k={k}: a partial login is visible");
            absent += 1;
        } else {
            assert_whole_login(&before, &after, k);
            whole += 1;
        }
        // The directory works: the next login succeeds and reuses or creates one entity.
        let out = env.run(&[
            "write",
            "-format=json",
            "auth/jwt/login",
            "role=r",
            "jwt=@login.jwt",
        ]);
        let auth = out.success().json()["auth"].clone();
        let eid = auth["entity_id"].as_str().unwrap().to_string();
        let last = state(&env.storage());
        assert_eq!(under(&last, "identity/entity/id/").len(), 1, "k={k}");
        assert!(last.contains_key(&format!("identity/entity/id/{eid}")));
        assert_eq!(auth["identity_policies"], json!(["p"]), "k={k}");
        env.cmd(&["token", "lookup", auth["client_token"].as_str().unwrap()])
            .run()
            .success();
        k += 1;
    }
    // Both outcomes were reached: a cut inside the journal append (a torn record, dropped),
    // and every cut after it (a complete record is replayed, even one that was killed before
    // its fdatasync: the page cache holds it, and the replay syncs it).
    assert!(absent >= 1 && whole >= 10, "absent {absent}, whole {whole}");
}
