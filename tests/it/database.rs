//! The database secrets engine against a real, throwaway PostgreSQL (skipped, saying why, when
//! PostgreSQL is not installed): the story from a JWT login to a short-lived database user
//! that is gone after `lease revoke`, TTL expiry, owner-token revocation, a process killed
//! between recording the lease and creating the user, and the error paths.

use crate::common;

use common::{PgServer, TestEnv};

/// `database/` configured against `pg` with roles `readonly` (SELECT on everything) and
/// `admin` (superuser), a table `t` with one row.
fn setup(env: &TestEnv, pg: &PgServer, ttl: &str) {
    let mut root = pg.root();
    root.batch_execute("CREATE TABLE t (x int); INSERT INTO t VALUES (42);")
        .expect("create table");
    env.run(&["secrets", "enable", "database"]).success();
    env.run(&[
        "write",
        "database/config/pg",
        "plugin_name=postgresql-database-plugin",
        &format!("connection_url={}", pg.template_url()),
        "username=postgres",
        &format!("password={}", PgServer::PASSWORD),
        "allowed_roles=readonly,admin,bad",
    ])
    .success()
    // The plugin's parameters are used, not ignored: no default-mode warning names them.
    .stderr_lacks("unrecognized");
    env.run(&[
        "write",
        "database/roles/readonly",
        "db_name=pg",
        "creation_statements=CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT pg_read_all_data TO \"{{name}}\";",
        &format!("default_ttl={ttl}"),
        "max_ttl=24h",
    ])
    .success();
    env.run(&[
        "write",
        "database/roles/admin",
        "db_name=pg",
        "creation_statements=CREATE ROLE \"{{name}}\" WITH SUPERUSER LOGIN PASSWORD '{{password}}';",
    ])
    .success();
}

/// `read -format=json database/creds/ROLE` (as `token` when given): (lease id, user, password).
fn creds(env: &TestEnv, role: &str, token: Option<&str>) -> (String, String, String) {
    let mut c = env.cmd(&["read", "-format=json", &format!("database/creds/{role}")]);
    if let Some(t) = token {
        c = c.env("VAULTJWT_TOKEN", t);
    }
    let out = c.run();
    out.success();
    let j = out.json();
    assert_eq!(j["renewable"], true, "{j}");
    assert!(j["lease_duration"].as_i64().unwrap() > 0, "{j}");
    (
        j["lease_id"].as_str().unwrap().to_string(),
        j["data"]["username"].as_str().unwrap().to_string(),
        j["data"]["password"].as_str().unwrap().to_string(),
    )
}

#[test]
fn story_jwt_login_to_a_short_lived_postgres_user() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    env.cmd(&["policy", "write", "developer-policy", "-"])
        .stdin("path \"database/creds/readonly\" {\n  capabilities = [\"read\"]\n}\n")
        .run()
        .success();
    common::setup_jwt_mount(&env, "vault");
    env.run(&[
        "write",
        "auth/jwt/role/r",
        "role_type=jwt",
        "user_claim=sub",
        "bound_audiences=vault",
        "token_policies=developer-policy",
    ])
    .success();
    let jwt = common::mint_jwt("app-1", "vault");
    let login = env.run(&[
        "write",
        "-format=json",
        "auth/jwt/login",
        "role=r",
        &format!("jwt={jwt}"),
    ]);
    login.success();
    let token = login.json()["auth"]["client_token"]
        .as_str()
        .unwrap()
        .to_string();

    // The policy allows readonly, not admin.
    env.cmd(&["read", "database/creds/admin"])
        .env("VAULTJWT_TOKEN", &token)
        .run()
        .code(2)
        .stderr_has("permission denied");
    let (lease, user, password) = creds(&env, "readonly", Some(&token));
    assert!(user.starts_with("v-jwt-"), "{user}");
    assert!(pg.role_exists(&user));

    // The credentials work: SELECT yes, CREATE TABLE no.
    let mut c = pg
        .connect(&user, &password)
        .expect("connect as the new user");
    let x: i32 = c.query_one("SELECT x FROM t", &[]).unwrap().get(0);
    assert_eq!(x, 42);
    let denied = c.batch_execute("CREATE TABLE mine (y int)").unwrap_err();
    assert!(
        common::sql_state(&denied) == Some("42501"),
        "CREATE TABLE should be refused: {denied}"
    );
    drop(c);

    let look = env.run(&["lease", "lookup", "-format=json", &lease]);
    look.success();
    assert_eq!(look.json()["data"]["path"], "database/creds/readonly");

    env.run(&["lease", "revoke", "-sync", &lease])
        .success()
        .stdout_has(&format!("Success! Revoked lease: {lease}"));
    assert!(
        pg.connect(&user, &password).is_err(),
        "the user still logs in"
    );
    assert!(!pg.role_exists(&user), "the user is still in pg_roles");
    env.run(&["lease", "lookup", &lease])
        .code(2)
        .stderr_has("invalid lease");
}

#[test]
fn expiry_and_owner_token_revocation_revoke_the_user() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "2s");
    let (_, user, _) = creds(&env, "readonly", None);
    assert!(pg.role_exists(&user));
    std::thread::sleep(std::time::Duration::from_secs(3));
    // Any command revokes what has expired.
    env.run(&["secrets", "list"]).success();
    assert!(!pg.role_exists(&user), "an expired lease's user survived");

    // A child token's credentials go when the token is revoked.
    env.run(&["write", "database/roles/readonly", "default_ttl=1h"])
        .success();
    let child = env.run(&["token", "create", "-format=json", "-policy=root"]);
    child.success();
    let tok = child.json()["auth"]["client_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (lease, user, _) = creds(&env, "readonly", Some(&tok));
    env.run(&["token", "revoke", &tok]).success();
    assert!(!pg.role_exists(&user), "a revoked token's user survived");
    env.run(&["lease", "lookup", &lease]).code(2);

    // And when the token expires.
    let short = env.run(&["token", "create", "-format=json", "-policy=root", "-ttl=3s"]);
    short.success();
    let tok = short.json()["auth"]["client_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, user, _) = creds(&env, "readonly", Some(&tok));
    std::thread::sleep(std::time::Duration::from_secs(4));
    env.run(&["secrets", "list"]).success();
    assert!(!pg.role_exists(&user), "an expired token's user survived");

    // Disabling the engine revokes what is left.
    let (_, user, _) = creds(&env, "readonly", None);
    env.run(&["secrets", "disable", "database"]).success();
    assert!(!pg.role_exists(&user), "a disabled engine's user survived");
}

/// `rotate-root` changes the root password in PostgreSQL and in storage, never printing it.
#[test]
fn rotate_root_changes_the_password_where_it_is_used() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    pg.root()
        .batch_execute("CREATE ROLE vaultadmin WITH LOGIN CREATEROLE PASSWORD 'first-password'; GRANT pg_read_all_data TO vaultadmin WITH ADMIN OPTION;")
        .unwrap();
    env.run(&[
        "write",
        "database/config/pg",
        "username=vaultadmin",
        "password=first-password",
    ])
    .success();
    let out = env.run(&["write", "-f", "database/rotate-root/pg"]);
    out.success();
    assert!(!out.stdout.contains("password"), "{}", out.stdout);
    assert!(pg.connect("vaultadmin", "first-password").is_err());
    // The engine still works, with the password only it knows.
    let (_, user, password) = creds(&env, "readonly", None);
    assert!(pg.connect(&user, &password).is_ok());
    let read = env.run(&["read", "-format=json", "database/config/pg"]);
    assert!(read.json()["data"]["connection_details"]
        .get("password")
        .is_none());
}

#[test]
fn renew_moves_valid_until_and_honours_max_ttl() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    let (lease, user, _) = creds(&env, "readonly", None);
    let out = env.run(&["lease", "renew", "-format=json", "-increment=100h", &lease]);
    out.success();
    let j = out.json();
    let d = j["lease_duration"].as_i64().unwrap();
    assert!(d <= 86400 && d > 86000, "{j}");
    assert!(j["warnings"][0]
        .as_str()
        .unwrap()
        .contains("exceeded the effective max_ttl"));
    let mut root = pg.root();
    let until: String = root
        .query_one(
            "SELECT rolvaliduntil::text FROM pg_roles WHERE rolname = $1",
            &[&user],
        )
        .unwrap()
        .get(0);
    let tomorrow = chrono::Utc::now() + chrono::Duration::hours(23);
    assert!(
        until.as_str() > tomorrow.format("%Y-%m-%d %H").to_string().as_str(),
        "VALID UNTIL {until} not moved"
    );
}

/// A process killed between recording the lease and creating the user (or between creating
/// it and marking the lease active) leaves a pending lease that the next command revokes.
#[test]
fn a_crash_around_user_creation_leaves_nothing_behind() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    for point in ["database-creds-pending", "database-creds-created"] {
        let out = env
            .cmd(&["read", "database/creds/readonly"])
            .env("VAULTJWT_FAILPOINT", point)
            .run();
        assert_eq!(out.code, None, "{point}: not killed: {out:?}");
        let users = vault_users(&pg);
        if point == "database-creds-created" {
            assert_eq!(users.len(), 1, "the user should exist before cleanup");
        }
        // The next command, whatever it is, cleans up: the pending lease and its user go.
        env.run(&["secrets", "list"]).success();
        assert!(
            vault_users(&pg).is_empty(),
            "{point}: {:?}",
            vault_users(&pg)
        );
        env.run(&["list", "sys/leases/lookup/database/creds/readonly"])
            .code(2);
    }
}

fn vault_users(pg: &PgServer) -> Vec<String> {
    pg.root()
        .query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%'", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn errors_read_as_openbao_s() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    env.run(&["read", "database/creds/nope"])
        .code(2)
        .stderr_has("* unknown role: nope");
    env.run(&[
        "write",
        "database/roles/other",
        "db_name=pg",
        "creation_statements=SELECT 1",
    ])
    .success();
    env.run(&["read", "database/creds/other"])
        .code(2)
        .stderr_has("Code: 500. Errors:")
        .stderr_has("* \"other\" is not an allowed role");
    env.run(&[
        "write",
        "database/roles/bad",
        "db_name=pg",
        "creation_statements=CREATE ROLEX \"{{name}}\";",
    ])
    .success();
    env.run(&["read", "database/creds/bad"]).code(2).stderr_has(
        "* failed to execute query: ERROR: syntax error at or near \"ROLEX\" (SQLSTATE 42601)",
    );
    // A failed creation leaves no lease.
    env.run(&["list", "sys/leases/lookup/database/creds/bad"])
        .code(2);
    env.run(&["write", "database/roles/nodb", "creation_statements=x"])
        .code(2)
        .stderr_has("* database name is required");
    let refused = env.run(&[
        "write",
        "database/config/down",
        "plugin_name=postgresql-database-plugin",
        "connection_url=postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres",
        "username=postgres",
        "password=x",
    ]);
    refused.code(2).stderr_has(
        "* error creating database object: error verifying connection: failed to connect to `user=postgres database=postgres`:\n\t127.0.0.1:1 (127.0.0.1): dial error: dial tcp 127.0.0.1:1: connect: connection refused",
    );
    // The config reads back without its password.
    let read = env.run(&["read", "-format=json", "database/config/pg"]);
    read.success();
    let j = read.json();
    assert_eq!(j["data"]["connection_details"]["username"], "postgres");
    assert!(j["data"]["connection_details"].get("password").is_none());
    assert!(!read.stdout.contains(PgServer::PASSWORD));
}

/// A revocation that fails (the database is down) keeps the lease, with its error; `-force`
/// drops it.
#[test]
fn failed_revocations_are_kept_until_forced() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    let (lease, _, _) = creds(&env, "readonly", None);
    let port = pg.port;
    drop(pg);
    // OpenBao's text, pgx's one-attempt error (sslmode=disable) inside.
    env.run(&["lease", "revoke", "-sync", &lease])
        .code(2)
        .stderr_has(&format!(
            "* failed to revoke entry: resp: (*logical.Response)(nil) err: failed to connect to `user=postgres database=postgres`: 127.0.0.1:{port} (127.0.0.1): dial error: dial tcp 127.0.0.1:{port}: connect: connection refused"
        ));
    env.run(&[
        "lease",
        "revoke",
        "-sync",
        "-prefix",
        "database/creds/readonly",
    ])
    .code(2)
    .stderr_has(&format!(
        "* failed to revoke \"{lease}\" (1 / 1): failed to revoke entry: "
    ));
    let look = env.run(&["lease", "lookup", "-format=json", &lease]);
    look.success();
    assert!(look.json()["data"]["revocation_error"]
        .as_str()
        .unwrap()
        .contains("connection refused"));
    env.run(&[
        "lease",
        "revoke",
        "-force",
        "-prefix",
        "database/creds/readonly",
    ])
    .success()
    .stderr_has("Force-removing leases");
    env.run(&["lease", "lookup", &lease]).code(2);
}

/// PostgreSQL is called with the data directory's lock released: a slow creation statement
/// does not hold up another command, which leaves the pending lease of the live process alone.
#[test]
fn a_slow_database_does_not_hold_the_data_directory() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    setup(&env, &pg, "1h");
    env.run(&[
        "write",
        "database/roles/slow",
        "db_name=pg",
        "creation_statements=SELECT pg_sleep(3); CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}';",
    ])
    .success();
    env.run(&["write", "database/config/pg", "allowed_roles=*"])
        .success();
    let mut slow = env
        .cmd(&["read", "-format=json", "database/creds/slow"])
        .cmd;
    let child = slow
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let started = std::time::Instant::now();
    env.run(&["secrets", "list"]).success();
    assert!(
        started.elapsed() < std::time::Duration::from_millis(1800),
        "waited {:?} for the slow creation",
        started.elapsed()
    );
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let user = j["data"]["username"].as_str().unwrap();
    assert!(
        pg.role_exists(user),
        "the pending lease was revoked under the creator"
    );
    env.run(&["lease", "lookup", j["lease_id"].as_str().unwrap()])
        .success();
}

/// `demo -database=URL` adds the dynamic secrets chapter, which leaves no user behind.
#[test]
fn demo_database_chapter() {
    let Some(pg) = PgServer::start() else { return };
    let env = TestEnv::new();
    let tmp = env.home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = env
        .cmd(&["demo", &format!("-database={}", pg.root_url())])
        .env("TMPDIR", &tmp)
        .run();
    out.success();
    assert!(out
        .stdout
        .contains("$ vaultjwt read database/creds/readonly\nKey"));
    assert!(out
        .stdout
        .contains("Success! Revoked lease: database/creds/readonly/"));
    assert!(
        !out.stdout.contains(PgServer::PASSWORD),
        "the password was shown"
    );
    assert!(out.stdout.ends_with("The demo ran as expected.\n"));
    assert!(vault_users(&pg).is_empty(), "{:?}", vault_users(&pg));
}
