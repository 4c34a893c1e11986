//! The identity endpoints through the binary, as root on a fresh data directory.

use assert_cmd::Command;
use serde_json::{json, Value};
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::from(crate::common::command(self.dir.path()));
        c.env("VAULTJWT_HOME", self.dir.path())
            .env("HOME", self.dir.path())
            .env_remove("VAULTJWT_TOKEN")
            .env_remove("VAULTJWT_COMPAT")
            .env_remove("VAULTJWT_FORMAT")
            .args(args);
        c
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a `-format=json` command that must succeed; returns its `data`.
    fn json(&self, args: &[&str]) -> Value {
        let v: Value = serde_json::from_str(&self.ok(args)).unwrap();
        v["data"].clone()
    }

    /// `list -format=json PATH`: the keys.
    fn list(&self, path: &str) -> Value {
        serde_json::from_str(&self.ok(&["list", "-format=json", path])).unwrap()
    }

    /// Runs a command that must fail with exit 2; returns its stderr.
    fn err(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    fn accessor(&self, mount: &str) -> String {
        self.ok(&["auth", "enable", &format!("-path={mount}"), "jwt"]);
        self.ok(&["read", "-field=accessor", &format!("sys/auth/{mount}")])
            .trim()
            .to_string()
    }
}

#[test]
fn external_group_create_read_by_id_and_name() {
    let env = Env::new();
    let created = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        "name=g",
        "type=external",
        "policies=p",
    ]);
    assert_eq!(created["name"], json!("g"));
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created.as_object().unwrap().len(), 2, "{created}");

    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{id}")]);
    assert_eq!(g["name"], json!("g"));
    assert_eq!(g["type"], json!("external"));
    assert_eq!(g["policies"], json!(["p"]));
    assert_eq!(g["alias"], json!({}));
    assert_eq!(g["member_entity_ids"], Value::Null);
    assert_eq!(g["member_group_ids"], Value::Null);
    assert_eq!(g["parent_group_ids"], Value::Null);
    assert_eq!(g["metadata"], Value::Null);
    assert_eq!(g["namespace_id"], json!("root"));
    assert!(g["modify_index"].is_u64());

    let by_name = env.json(&["read", "-format=json", "identity/group/name/g"]);
    assert_eq!(by_name["id"], json!(id));
    // Identity names are case-insensitive.
    let upper = env.json(&["read", "-format=json", "identity/group/name/G"]);
    assert_eq!(upper["id"], json!(id));

    let list = env.list("identity/group/id");
    assert_eq!(list, json!([id]));
    let names = env.list("identity/group/name");
    assert_eq!(names, json!(["g"]));

    // An update by name answers 204.
    let out = env.ok(&["write", "identity/group/name/g", "policies=p,q"]);
    assert!(
        out.contains("Success! Data written to: identity/group/name/g"),
        "{out}"
    );
    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{id}")]);
    assert_eq!(g["policies"], json!(["p", "q"]));
}

#[test]
fn group_alias_on_a_mount() {
    let env = Env::new();
    let acc = env.accessor("jwt");
    let gid = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        "name=eng",
        "type=external",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let alias = env.json(&[
        "write",
        "-format=json",
        "identity/group-alias",
        "name=developers",
        &format!("mount_accessor={acc}"),
        &format!("canonical_id={gid}"),
    ]);
    assert_eq!(alias["canonical_id"], json!(gid));
    let alias_id = alias["id"].as_str().unwrap().to_string();

    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{gid}")]);
    assert_eq!(g["alias"]["id"], json!(alias_id));
    assert_eq!(g["alias"]["name"], json!("developers"));
    assert_eq!(g["alias"]["mount_accessor"], json!(acc));
    assert_eq!(g["alias"]["mount_path"], json!("auth/jwt/"));
    assert_eq!(g["alias"]["mount_type"], json!("jwt"));

    let a = env.json(&[
        "read",
        "-format=json",
        &format!("identity/group-alias/id/{alias_id}"),
    ]);
    assert_eq!(a["canonical_id"], json!(gid));
    assert_eq!(a["name"], json!("developers"));

    // The same alias twice is refused.
    let eid = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        "name=other",
        "type=external",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let err = env.err(&[
        "write",
        "identity/group-alias",
        "name=developers",
        &format!("mount_accessor={acc}"),
        &format!("canonical_id={eid}"),
    ]);
    assert!(
        err.contains("* combination of mount and group alias name is already in use"),
        "{err}"
    );

    // Deleting the alias empties the group's alias.
    env.ok(&["delete", &format!("identity/group-alias/id/{alias_id}")]);
    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{gid}")]);
    assert_eq!(g["alias"], json!({}));
}

#[test]
fn group_errors() {
    let env = Env::new();
    let err = env.err(&["write", "identity/group", "name=g", "type=weird"]);
    assert!(err.contains("Code: 400"), "{err}");
    assert!(err.contains(r#"* invalid group type "weird""#), "{err}");
    let err = env.err(&["write", "identity/group", "name=g", "policies=root"]);
    assert!(err.contains("* policies cannot contain root"), "{err}");
    let err = env.err(&[
        "write",
        "identity/group-alias",
        "name=x",
        "mount_accessor=auth_jwt_00000000",
    ]);
    assert!(
        err.contains(r#"* invalid mount accessor "auth_jwt_00000000""#),
        "{err}"
    );
    let err = env.err(&["write", "identity/group-alias", "name=x"]);
    assert!(err.contains("* missing mount_accessor"), "{err}");
    env.ok(&["write", "identity/group", "name=g", "type=external"]);
    let err = env.err(&["write", "identity/group/name/g", "type=internal"]);
    assert!(err.contains("* group type cannot be changed"), "{err}");
    let err = env.err(&["write", "identity/group/name/g", "member_entity_ids=abc"]);
    assert!(
        err.contains("* member entities can't be set manually for external groups"),
        "{err}"
    );
}

#[test]
fn entity_crud_and_internal_group_membership() {
    let env = Env::new();
    let created = env.json(&[
        "write",
        "-format=json",
        "identity/entity",
        "name=bob",
        "policies=b,a",
        "metadata=team=x",
    ]);
    assert_eq!(created["name"], json!("bob"));
    let id = created["id"].as_str().unwrap().to_string();

    let e = env.json(&["read", "-format=json", "identity/entity/name/bob"]);
    assert_eq!(e["id"], json!(id));
    assert_eq!(e["policies"], json!(["a", "b"]));
    assert_eq!(e["metadata"], json!({"team": "x"}));
    assert_eq!(e["aliases"], json!([]));
    assert_eq!(e["disabled"], json!(false));
    assert_eq!(e["direct_group_ids"], json!([]));

    // An internal group with the entity as member.
    let gid = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        "name=staff",
        &format!("member_entity_ids={id}"),
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let e = env.json(&["read", "-format=json", &format!("identity/entity/id/{id}")]);
    assert_eq!(e["direct_group_ids"], json!([gid]));
    assert_eq!(e["group_ids"], json!([gid]));
    assert_eq!(e["inherited_group_ids"], json!([]));

    // A parent group gives inherited membership.
    let pid = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        "name=all",
        &format!("member_group_ids={gid}"),
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let e = env.json(&["read", "-format=json", &format!("identity/entity/id/{id}")]);
    assert_eq!(e["inherited_group_ids"], json!([pid]));
    let p = env.json(&["read", "-format=json", &format!("identity/group/id/{pid}")]);
    assert_eq!(p["member_group_ids"], json!([gid]));
    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{gid}")]);
    assert_eq!(g["parent_group_ids"], json!([pid]));
    // Making the parent a member of its child is a cycle.
    let err = env.err(&[
        "write",
        &format!("identity/group/id/{gid}"),
        &format!("member_group_ids={pid}"),
    ]);
    assert!(err.contains("cyclic relationship detected"), "{err}");

    // Update by id answers 204; the name list follows.
    let out = env.ok(&["write", &format!("identity/entity/id/{id}"), "name=robert"]);
    assert!(out.contains("Success!"), "{out}");
    let names = env.list("identity/entity/name");
    assert_eq!(names, json!(["robert"]));
    let out = env
        .cmd(&["read", "identity/entity/name/bob"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Delete: gone from reads and from the group.
    env.ok(&["delete", &format!("identity/entity/id/{id}")]);
    let out = env
        .cmd(&["read", &format!("identity/entity/id/{id}")])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No value found"),
        "{out:?}"
    );
    let g = env.json(&["read", "-format=json", &format!("identity/group/id/{gid}")]);
    assert_eq!(g["member_entity_ids"], json!([]));
}

#[test]
fn entity_alias_create_read_delete() {
    let env = Env::new();
    let acc = env.accessor("jwt");
    let alias = env.json(&[
        "write",
        "-format=json",
        "identity/entity-alias",
        "name=alice",
        &format!("mount_accessor={acc}"),
    ]);
    let eid = alias["canonical_id"].as_str().unwrap().to_string();
    let aid = alias["id"].as_str().unwrap().to_string();

    let e = env.json(&["read", "-format=json", &format!("identity/entity/id/{eid}")]);
    let name = e["name"].as_str().unwrap();
    assert!(name.starts_with("entity_") && name.len() == 15, "{name}");
    assert_eq!(e["aliases"][0]["id"], json!(aid));
    assert_eq!(e["aliases"][0]["mount_path"], json!("auth/jwt/"));
    assert_eq!(e["aliases"][0]["mount_type"], json!("jwt"));

    let a = env.json(&[
        "read",
        "-format=json",
        &format!("identity/entity-alias/id/{aid}"),
    ]);
    assert_eq!(a["name"], json!("alice"));
    assert_eq!(a["canonical_id"], json!(eid));
    assert_eq!(a["namespace_id"], json!("root"));

    let list = env.list("identity/entity-alias/id");
    assert_eq!(list, json!([aid]));

    // A second alias for the same entity on the same mount is refused.
    let err = env.err(&[
        "write",
        "identity/entity-alias",
        "name=alice2",
        &format!("mount_accessor={acc}"),
        &format!("canonical_id={eid}"),
    ]);
    assert!(
        err.contains("* Alias already exists for requested entity and mount accessor"),
        "{err}"
    );

    env.ok(&["delete", &format!("identity/entity-alias/id/{aid}")]);
    let e = env.json(&["read", "-format=json", &format!("identity/entity/id/{eid}")]);
    assert_eq!(e["aliases"], json!([]));
}

#[test]
fn unknown_identity_paths() {
    let env = Env::new();
    // The API client reads any 404 as "no value", as `vault read` does.
    let err = env.err(&["read", "identity/nothing/here"]);
    assert!(
        err.contains("No value found at identity/nothing/here"),
        "{err}"
    );
    let err = env.err(&["write", "identity/nothing/here", "a=b"]);
    assert!(err.contains("Code: 404"), "{err}");
    let out = env.cmd(&["list", "identity/entity/id"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn long_names_work_with_the_file_store() {
    let env = Env::new();
    let long = "n".repeat(300);
    let created = env.json(&[
        "write",
        "-format=json",
        "identity/entity",
        &format!("name={long}"),
    ]);
    let id = created["id"].as_str().unwrap().to_string();
    let e = env.json(&[
        "read",
        "-format=json",
        &format!("identity/entity/name/{long}"),
    ]);
    assert_eq!(e["id"], json!(id));
    let g = env.json(&[
        "write",
        "-format=json",
        "identity/group",
        &format!("name={long}"),
    ]);
    assert_eq!(g["name"], json!(long));
    let out = env
        .cmd(&["read", &format!("identity/entity/id/{}", "x".repeat(400))])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No value found"),
        "{out:?}"
    );
}

#[test]
fn lookup_entity_and_group() {
    let env = Env::new();
    let acc = env.accessor("jwt");
    let alias = env.json(&[
        "write",
        "-format=json",
        "identity/entity-alias",
        "name=alice",
        &format!("mount_accessor={acc}"),
    ]);
    let eid = alias["canonical_id"].as_str().unwrap().to_string();
    let e = env.json(&[
        "write",
        "-format=json",
        "identity/lookup/entity",
        "alias_name=alice",
        &format!("alias_mount_accessor={acc}"),
    ]);
    assert_eq!(e["id"], json!(eid));
    let err = env.err(&["write", "identity/lookup/entity", "alias_name=alice"]);
    assert!(
        err.contains("* 'alias_mount_accessor' needs to be set along with 'alias_name'"),
        "{err}"
    );
    let err = env.err(&["write", "identity/lookup/entity", "id=a", "name=b"]);
    assert!(
        err.contains(r#"* only one of "id", "name", "alias_id" or "alias_name" should be set"#),
        "{err}"
    );
    let gid = env.json(&["write", "-format=json", "identity/group", "name=g"])["id"].clone();
    let g = env.json(&["write", "-format=json", "identity/lookup/group", "name=g"]);
    assert_eq!(g["id"], gid);
}
