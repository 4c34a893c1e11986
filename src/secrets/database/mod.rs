//! OpenBao's `database` secrets engine (`builtin/logical/database`) with its built-in
//! PostgreSQL plugin ([`postgresql`]): connections (`config/<name>`, `reset/<name>`,
//! `rotate-root/<name>`), roles (`roles/<name>`) and dynamic credentials (`creds/<role>`),
//! each with a lease ([`crate::sys::leases`]) that revokes the database user.
//!
//! A credential's lease is recorded as pending *before* the user is created in PostgreSQL, so
//! a process killed in between leaves a lease the next command revokes (dropping the user if
//! it exists), never a user nothing will revoke.

pub mod postgresql;

use crate::core::{Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::{FieldData, FieldSchema, FieldType, Path};
use crate::storage::Storage;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub struct DatabaseBackend;

/// A stored connection (`DatabaseConfig`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DatabaseConfig {
    #[serde(default)]
    pub plugin_name: String,
    #[serde(default)]
    pub plugin_version: String,
    #[serde(default)]
    pub connection_details: Map<String, Value>,
    #[serde(default)]
    pub allowed_roles: Vec<String>,
    #[serde(default)]
    pub root_credentials_rotate_statements: Vec<String>,
    #[serde(default)]
    pub password_policy: String,
}

/// A stored role (`roleEntry`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoleEntry {
    pub db_name: String,
    #[serde(default)]
    pub creation_statements: Vec<String>,
    #[serde(default)]
    pub revocation_statements: Vec<String>,
    #[serde(default)]
    pub rollback_statements: Vec<String>,
    #[serde(default)]
    pub renew_statements: Vec<String>,
    #[serde(default)]
    pub default_ttl: i64,
    #[serde(default)]
    pub max_ttl: i64,
    #[serde(default)]
    pub credential_type: String,
}

fn config_path() -> Path {
    Path {
        pattern: r"^config/(?P<name>\w(([\w-.]+)?\w)?)$",
        fields: vec![
            FieldSchema::new("name", FieldType::String, "Name of this database connection"),
            FieldSchema::new(
                "plugin_name",
                FieldType::String,
                "The name of a builtin or previously registered plugin known to OpenBao. This endpoint will create an instance of that plugin type.",
            ),
            FieldSchema::new(
                "plugin_version",
                FieldType::String,
                "The version of the plugin to use.",
            ),
            FieldSchema::new(
                "verify_connection",
                FieldType::Bool,
                "If true, the connection details are verified by actually connecting to the database. Defaults to true.",
            ),
            FieldSchema::new(
                "allowed_roles",
                FieldType::CommaStringSlice,
                "Comma separated string or array of the role names allowed to get creds from this database connection. If empty no roles are allowed. If \"*\" all roles are allowed.",
            ),
            FieldSchema::new(
                "root_rotation_statements",
                FieldType::StringSlice,
                "Specifies the database statements to be executed to rotate the root user's credentials. See the plugin's API page for more information on support and formatting for this parameter.",
            ),
            FieldSchema::new(
                "password_policy",
                FieldType::String,
                "Password policy to use when generating passwords.",
            ),
        ],
        operations: &[
            Operation::Create,
            Operation::Update,
            Operation::Read,
            Operation::Delete,
        ],
        existence_check: true,
        // The plugin's own parameters (connection_url, username, ...) go to it, and are
        // named in the "unrecognized parameters" warning all the same, as OpenBao does.
        takes_arbitrary_input: false,
        synopsis: "Configure connection details to a database plugin.",
        description: "This path configures the connection details used to connect to a particular database. This path runs the provided plugin name and passes the configured connection details to the plugin. See the documentation for the plugin specified for a full list of accepted connection details.",
    }
}

fn role_path() -> Path {
    Path {
        pattern: r"^roles/(?P<name>\w(([\w-.]+)?\w)?)$",
        fields: vec![
            FieldSchema::new("name", FieldType::String, "Name of the role."),
            FieldSchema::new("db_name", FieldType::String, "Name of the database this role acts on."),
            FieldSchema::new(
                "creation_statements",
                FieldType::StringSlice,
                "Specifies the database statements executed to create and configure a user. See the plugin's API page for more information on support and formatting for this parameter.",
            ),
            FieldSchema::new(
                "revocation_statements",
                FieldType::StringSlice,
                "Specifies the database statements to be executed to revoke a user. See the plugin's API page for more information on support and formatting for this parameter.",
            ),
            FieldSchema::new(
                "renew_statements",
                FieldType::StringSlice,
                "Specifies the database statements to be executed to renew a user. Not every plugin type will support this functionality. See the plugin's API page for more information on support and formatting for this parameter. ",
            ),
            FieldSchema::new(
                "rollback_statements",
                FieldType::StringSlice,
                "Specifies the database statements to be executed rollback a create operation in the event of an error. Not every plugin type will support this functionality. See the plugin's API page for more information on support and formatting for this parameter.",
            ),
            FieldSchema::new(
                "default_ttl",
                FieldType::DurationSecond,
                "Default ttl for role.",
            ),
            FieldSchema::new(
                "max_ttl",
                FieldType::DurationSecond,
                "Maximum time a credential is valid for",
            ),
            FieldSchema::new(
                "credential_type",
                FieldType::String,
                "The type of credential to manage. Options include: 'password', 'rsa_private_key', 'client_certificate'. Defaults to 'password'.",
            ),
            FieldSchema::new(
                "credential_config",
                FieldType::Map,
                "The configuration for the given credential_type.",
            ),
        ],
        operations: &[
            Operation::Create,
            Operation::Update,
            Operation::Read,
            Operation::Delete,
        ],
        existence_check: true,
        takes_arbitrary_input: false,
        synopsis: "Manage the roles that can be created with this backend.",
        description: "This path lets you manage the roles that can be created with this backend.",
    }
}

fn name_only(pattern: &'static str, ops: &'static [Operation]) -> Path {
    Path {
        pattern,
        fields: vec![FieldSchema::new(
            "name",
            FieldType::String,
            "Name of the role.",
        )],
        operations: ops,
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "",
        description: "",
    }
}

fn list_path(pattern: &'static str) -> Path {
    Path {
        pattern,
        fields: Vec::new(),
        operations: &[Operation::List],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "",
        description: "",
    }
}

fn config_key(name: &str) -> String {
    format!("config/{name}")
}

fn role_key(name: &str) -> String {
    format!("role/{name}")
}

/// Go's error of a handler that returned `err` (a 500 with the multierror text).
fn internal(msg: impl Into<String>) -> Error {
    Error::new(500, crate::framework::go::multierror(&[msg.into()]))
}

/// `b.DatabaseConfig`: the connection `name`, or the 500 Vault answers.
pub fn load_config(storage: &dyn Storage, name: &str) -> Result<DatabaseConfig> {
    match storage.get(&config_key(name))? {
        Some(v) => serde_json::from_value(v)
            .map_err(|e| internal(format!("failed to read connection configuration: {e}"))),
        None => Err(internal(format!(
            "failed to find entry for connection with name: {}",
            crate::framework::go::go_quote(name)
        ))),
    }
}

fn load_role(storage: &dyn Storage, name: &str) -> Result<Option<RoleEntry>> {
    match storage.get(&role_key(name))? {
        Some(v) => Ok(serde_json::from_value(v).ok()),
        None => Ok(None),
    }
}

/// Which path a request (relative to the mount) is for, with its `name`.
enum Route<'a> {
    Config(&'a str),
    ConfigList,
    Role(&'a str),
    RoleList,
    Creds(&'a str),
    Reset(&'a str),
    RotateRoot(&'a str),
}

fn route(path: &str) -> Option<Route<'_>> {
    let named = |p: &'static str| {
        path.strip_prefix(p)
            .filter(|n| crate::framework::is_generic_name(n))
    };
    if path == "config" || path == "config/" {
        return Some(Route::ConfigList);
    }
    if path == "roles" || path == "roles/" {
        return Some(Route::RoleList);
    }
    if let Some(n) = named("config/") {
        return Some(Route::Config(n));
    }
    if let Some(n) = named("roles/") {
        return Some(Route::Role(n));
    }
    if let Some(n) = named("creds/") {
        return Some(Route::Creds(n));
    }
    if let Some(n) = named("reset/") {
        return Some(Route::Reset(n));
    }
    if let Some(n) = named("rotate-root/") {
        return Some(Route::RotateRoot(n));
    }
    None
}

impl Backend for DatabaseBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let Some(r) = route(&req.path) else {
            return Err(Error::unsupported_path());
        };
        let s = &ctx.storage;
        match r {
            Route::ConfigList => list_path("^config/?$").handle(req, &[], |_| {
                Ok(crate::secrets::kv::v1::list_response(s.list("config/")?))
            }),
            Route::RoleList => list_path("^roles/?$").handle(req, &[], |_| {
                Ok(crate::secrets::kv::v1::list_response(s.list("role/")?))
            }),
            Route::Config(name) => {
                // The plugin's parameters (connection_url, username, ...) are not declared
                // but are used: default mode does not name them as ignored on a silent write.
                let p = config_path();
                p.handle(req, &[("name", name)], |d| match req.operation {
                    Operation::Read => read_config(s, name),
                    Operation::Delete => {
                        s.delete(&config_key(name))?;
                        Ok(None)
                    }
                    _ => write_config(s, req, d, name),
                })
            }
            Route::Role(name) => {
                let p = role_path();
                p.handle_in(ctx.settings.compat, req, &[("name", name)], |d| {
                    match req.operation {
                        Operation::Read => read_role(s, name),
                        Operation::Delete => {
                            s.delete(&role_key(name))?;
                            Ok(None)
                        }
                        _ => write_role(s, req, d, name),
                    }
                })
            }
            Route::Creds(name) => name_only(
                r"^creds/(?P<name>\w(([\w-.]+)?\w)?)$",
                &[Operation::Read],
            )
            .handle(req, &[("name", name)], |_| creds(ctx, req, name)),
            Route::Reset(name) => name_only(
                r"^reset/(?P<name>\w(([\w-.]+)?\w)?)$",
                &[Operation::Update],
            )
            .handle(req, &[("name", name)], |_| {
                // No connection is kept between commands: a reset only checks the
                // connection exists.
                load_config(s, name)?;
                Ok(None)
            }),
            Route::RotateRoot(name) => name_only(
                r"^rotate-root/(?P<name>\w(([\w-.]+)?\w)?)$",
                &[Operation::Update],
            )
            .handle(req, &[("name", name)], |_| rotate_root(s, name)),
        }
    }

    fn exists(&self, ctx: &BackendContext, req: &Request) -> Result<Option<bool>> {
        match route(&req.path) {
            Some(Route::Config(n)) => Ok(Some(ctx.storage.get(&config_key(n))?.is_some())),
            Some(Route::Role(n)) => Ok(Some(ctx.storage.get(&role_key(n))?.is_some())),
            _ => Ok(None),
        }
    }

    fn help(&self, path: &str) -> Result<Option<String>> {
        let p = match route(path) {
            Some(Route::Config(_)) => config_path(),
            Some(Route::Role(_)) => role_path(),
            _ => return Ok(None),
        };
        Ok(Some(p.help(path)))
    }
}

/// The keys of `connection_details` that are the engine's, not the plugin's.
const ENGINE_KEYS: &[&str] = &[
    "name",
    "plugin_name",
    "plugin_version",
    "allowed_roles",
    "verify_connection",
    "root_rotation_statements",
    "password_policy",
];

fn write_config(
    s: &dyn Storage,
    req: &Request,
    d: &FieldData,
    name: &str,
) -> Result<Option<Response>> {
    let create = req.operation == Operation::Create;
    let verify = if d.has("verify_connection") {
        d.bool("verify_connection").unwrap_or(true)
    } else {
        true
    };
    let mut config: DatabaseConfig = match s.get(&config_key(name))? {
        Some(v) => serde_json::from_value(v).unwrap_or_default(),
        None => DatabaseConfig::default(),
    };
    if d.has("plugin_name") || create {
        config.plugin_name = d.str("plugin_name").unwrap_or_default();
    }
    if config.plugin_name.is_empty() {
        return Err(Error::bad_request("empty plugin name"));
    }
    if d.has("plugin_version") {
        config.plugin_version = d.str("plugin_version").unwrap_or_default();
    }
    if d.has("allowed_roles") || create {
        config.allowed_roles = d.list("allowed_roles").unwrap_or_default();
    }
    if d.has("root_rotation_statements") || create {
        config.root_credentials_rotate_statements =
            d.list("root_rotation_statements").unwrap_or_default();
    }
    if d.has("password_policy") {
        config.password_policy = d.str("password_policy").unwrap_or_default();
    }
    let raw: Map<String, Value> = req
        .data
        .iter()
        .filter(|(k, _)| !ENGINE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if create {
        config.connection_details = raw;
    } else {
        for (k, v) in raw {
            config.connection_details.insert(k, v);
        }
    }
    if config.plugin_name != postgresql::PLUGIN_NAME {
        let missing = format!("plugin not found in the catalog: {}", config.plugin_name);
        return Err(Error::bad_request(format!(
            "error creating database object: invalid database version: {}",
            crate::framework::go::multierror(&[missing.clone(), missing])
        )));
    }
    initialize(&config, verify)
        .map_err(|e| Error::bad_request(format!("error creating database object: {e}")))?;
    s.put(
        &config_key(name),
        &serde_json::to_value(&config).map_err(|e| Error::internal(e.to_string()))?,
    )?;
    let url = crate::framework::field::weak_string(
        config
            .connection_details
            .get("connection_url")
            .unwrap_or(&Value::Null),
    )
    .unwrap_or_default();
    if url_has_password(&url) {
        return Ok(Some(Response::default().warning(
            "Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information.",
        )));
    }
    Ok(None)
}

/// The plugin's `Initialize`: the username template and password authentication are
/// checked, and the connection when `verify` (as `verify_connection`).
fn initialize(config: &DatabaseConfig, verify: bool) -> std::result::Result<(), String> {
    let d = &config.connection_details;
    let get = |k: &str| {
        d.get(k)
            .map(|v| crate::framework::field::weak_string(v).unwrap_or_default())
            .unwrap_or_default()
    };
    if get("connection_url").is_empty() {
        return Err("connection_url cannot be empty".into());
    }
    let tpl = get("username_template");
    if !tpl.is_empty() {
        let t = crate::gotemplate::openbao::new_template(&tpl)
            .map_err(|e| format!("unable to initialize username template: {e}"))?;
        crate::gotemplate::openbao::generate(
            &t,
            &json!({"DisplayName": "", "RoleName": ""}),
            crate::gotemplate::MissingKey::default(),
        )
        .map_err(|e| format!("invalid username template: {e}"))?;
    }
    let auth = get("password_authentication");
    if !auth.is_empty() && auth != "password" && auth != "scram-sha-256" {
        return Err(format!(
            "'{auth}' is not a valid password authentication type"
        ));
    }
    if verify {
        postgresql::Connection::from_details(d)
            .verify()
            .map_err(|e| format!("error verifying connection: {e}"))?;
    }
    Ok(())
}

/// Whether Go's `url.Parse` finds a password in the URL's userinfo.
fn url_has_password(url: &str) -> bool {
    userinfo_password_span(url).is_some()
}

/// The byte range of the password in `scheme://user:password@host...`, when Go's
/// `url.Parse` would accept the userinfo.
fn userinfo_password_span(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..auth_end].rfind('@')?;
    let userinfo = &rest[..at];
    let valid = userinfo
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b));
    if !valid {
        return None;
    }
    let colon = userinfo.find(':')?;
    Some((start + colon + 1, start + at))
}

fn read_config(s: &dyn Storage, name: &str) -> Result<Option<Response>> {
    let Some(v) = s.get(&config_key(name))? else {
        return Ok(None);
    };
    let mut config: DatabaseConfig =
        serde_json::from_value(v).map_err(|e| Error::internal(e.to_string()))?;
    if let Some(Value::String(url)) = config.connection_details.get_mut("connection_url") {
        if let Some((a, b)) = userinfo_password_span(url) {
            url.replace_range(a..b, "xxxxx");
        }
    }
    config.connection_details.remove("password");
    config.connection_details.remove("private_key");
    Ok(Some(Response::json(json!({
        "allowed_roles": config.allowed_roles,
        "connection_details": config.connection_details,
        "password_policy": config.password_policy,
        "plugin_name": config.plugin_name,
        "plugin_version": config.plugin_version,
        "root_credentials_rotate_statements": config.root_credentials_rotate_statements,
    }))))
}

fn write_role(
    s: &dyn Storage,
    req: &Request,
    d: &FieldData,
    name: &str,
) -> Result<Option<Response>> {
    let create = req.operation == Operation::Create;
    let mut role = load_role(s, name)?.unwrap_or_default();
    if let Some(db) = d.str("db_name").filter(|_| d.has("db_name")) {
        role.db_name = db;
    }
    if role.db_name.is_empty() {
        return Err(Error::bad_request("database name is required"));
    }
    if d.has("credential_type") || create {
        let t = d.str("credential_type").unwrap_or_default();
        role.credential_type = if t.is_empty() { "password".into() } else { t };
    }
    if !matches!(
        role.credential_type.as_str(),
        "password" | "rsa_private_key" | "client_certificate"
    ) {
        return Err(Error::bad_request(format!(
            "invalid credential_type {}",
            crate::framework::go::go_quote(&role.credential_type)
        )));
    }
    if role.credential_type != "password" {
        return Err(Error::bad_request(format!(
            "credential_type {} is not supported by vaultjwt's database engine",
            crate::framework::go::go_quote(&role.credential_type)
        )));
    }
    let non_empty = |v: Vec<String>| v.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>();
    for (field, target) in [
        ("creation_statements", &mut role.creation_statements),
        ("revocation_statements", &mut role.revocation_statements),
        ("rollback_statements", &mut role.rollback_statements),
        ("renew_statements", &mut role.renew_statements),
    ] {
        if d.has(field) || create {
            *target = non_empty(d.list(field).unwrap_or_default());
        }
    }
    if d.has("default_ttl") || create {
        role.default_ttl = d.int("default_ttl").unwrap_or(0);
    }
    if d.has("max_ttl") || create {
        role.max_ttl = d.int("max_ttl").unwrap_or(0);
    }
    s.put(
        &role_key(name),
        &serde_json::to_value(&role).map_err(|e| Error::internal(e.to_string()))?,
    )?;
    Ok(None)
}

fn read_role(s: &dyn Storage, name: &str) -> Result<Option<Response>> {
    let Some(role) = load_role(s, name)? else {
        return Ok(None);
    };
    Ok(Some(Response::json(json!({
        "creation_statements": role.creation_statements,
        "credential_type": role.credential_type,
        "db_name": role.db_name,
        "default_ttl": role.default_ttl,
        "max_ttl": role.max_ttl,
        "renew_statements": role.renew_statements,
        "revocation_statements": role.revocation_statements,
        "rollback_statements": role.rollback_statements,
    }))))
}

/// The default password policy of the engine: 20 characters of `[a-zA-Z0-9-]` with at least
/// one lower case letter, one upper case letter, one digit and one dash.
pub fn generate_password() -> String {
    use rand::Rng;
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"0123456789";
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, b"-"].concat();
    let mut rng = rand::rngs::OsRng;
    loop {
        let p: Vec<u8> = (0..20).map(|_| all[rng.gen_range(0..all.len())]).collect();
        let has = |set: &[u8]| p.iter().any(|c| set.contains(c));
        if has(LOWER) && has(UPPER) && has(DIGITS) && has(b"-") {
            return String::from_utf8(p).unwrap_or_default();
        }
    }
}

/// The username for a credential: the connection's `username_template` (default the
/// plugin's) applied to the caller's display name and the role name.
fn generate_username(config: &DatabaseConfig, display_name: &str, role: &str) -> Result<String> {
    let tpl = config
        .connection_details
        .get("username_template")
        .and_then(|v| crate::framework::field::weak_string(v).ok())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| postgresql::DEFAULT_USERNAME_TEMPLATE.to_string());
    let t = crate::gotemplate::openbao::new_template(&tpl).map_err(internal)?;
    crate::gotemplate::openbao::generate(
        &t,
        &json!({"DisplayName": display_name, "RoleName": role}),
        crate::gotemplate::MissingKey::default(),
    )
    .map_err(internal)
}

/// `CalculateTTL` without an increment: the role's default TTL (else the mount's), capped by
/// the role's max TTL (else the mount's).
fn creds_ttl(ctx: &BackendContext, role: &RoleEntry) -> (i64, i64) {
    let mount_max = ctx.mount.max_ttl();
    let max = if role.max_ttl > 0 && role.max_ttl < mount_max {
        role.max_ttl
    } else {
        mount_max
    };
    let ttl = if role.default_ttl > 0 {
        role.default_ttl
    } else {
        ctx.mount.default_ttl()
    };
    (ttl.min(max), max)
}

fn creds(ctx: &BackendContext, req: &Request, name: &str) -> Result<Option<Response>> {
    let s = &ctx.storage;
    let Some(role) = load_role(s, name)? else {
        return Err(Error::bad_request(format!("unknown role: {name}")));
    };
    let config = load_config(s, &role.db_name)?;
    let allowed = config.allowed_roles.iter().any(|r| r == "*")
        || config
            .allowed_roles
            .iter()
            .any(|g| crate::policy::globbed_match(g, name));
    if !allowed {
        return Err(internal(format!(
            "{} is not an allowed role",
            crate::framework::go::go_quote(name)
        )));
    }
    if role.creation_statements.is_empty() {
        return Err(internal("empty creation statements"));
    }
    let (ttl, max) = creds_ttl(ctx, &role);
    let display = req
        .caller
        .as_ref()
        .map(|c| c.entry.display_name.clone())
        .unwrap_or_default();
    let username = generate_username(&config, &display, name)?;
    let password = generate_password();
    // A small buffer: the user outlives its lease by a few seconds, never the reverse.
    let expiration = ctx.now + ttl + 5;
    let secret = json!({
        "username": username,
        "role": name,
        "db_name": role.db_name,
        "revocation_statements": role.revocation_statements,
    });
    let secret_copy = secret.clone();
    let lease = crate::sys::leases::begin(
        ctx.storage.root(),
        crate::sys::leases::NewLease {
            path: format!("{}creds/{name}", ctx.mount.path),
            mount: ctx.mount.path.clone(),
            owner: req.caller.as_ref().map(|c| c.entry.clone()),
            ttl,
            max_ttl: role.max_ttl.min(max),
            secret,
            now: ctx.now,
        },
    )?;
    crate::sys::leases::failpoint("database-creds-pending");
    let conn = postgresql::Connection::from_details(&config.connection_details);
    // PostgreSQL is called with the storage's lock released: other commands go on meanwhile
    // (the pending lease, marked with this process's id, is left alone while it lives).
    let root = ctx.storage.root();
    root.unlock()?;
    let created = postgresql::new_user(
        &conn,
        &role.creation_statements,
        &username,
        &password,
        expiration,
    );
    root.relock()?;
    if let Err(e) = created {
        // The transaction rolled back: nothing to revoke.
        crate::sys::leases::discard(root, &lease)?;
        return Err(internal(e));
    }
    crate::sys::leases::failpoint("database-creds-created");
    if !crate::sys::leases::activate(root, &lease, ctx.now)? {
        let _ = revoke_secret(&ctx.storage, &secret_copy);
        return Err(internal(format!(
            "lease {lease} was revoked while its user was being created"
        )));
    }
    let mut resp = Response::json(json!({"password": password, "username": username}));
    resp.lease_id = lease;
    resp.lease_duration = ttl;
    resp.renewable = true;
    Ok(Some(resp))
}

fn rotate_root(s: &dyn Storage, name: &str) -> Result<Option<Response>> {
    let mut config = load_config(s, name)?;
    let conn = postgresql::Connection::from_details(&config.connection_details);
    if conn.username.is_empty() {
        return Err(Error::bad_request(
            "unable to rotate root credentials: no username in configuration",
        ));
    }
    let password = generate_password();
    postgresql::change_password(
        &conn,
        &config.root_credentials_rotate_statements,
        &conn.username,
        &password,
    )
    .map_err(|e| internal(format!("failed to update user: {e}")))?;
    config
        .connection_details
        .insert("password".into(), Value::String(password));
    s.put(
        &config_key(name),
        &serde_json::to_value(&config).map_err(|e| Error::internal(e.to_string()))?,
    )?;
    Ok(None)
}

/// Revokes a credential (the lease's internal data `secret`): the role's revocation
/// statements (those stored with the lease when the role is gone), or the default drop.
pub fn revoke_secret(storage: &dyn Storage, secret: &Value) -> std::result::Result<(), String> {
    let username = secret["username"].as_str().unwrap_or_default();
    if username.is_empty() {
        return Err("secret is missing username internal data".into());
    }
    let role_name = secret["role"].as_str().unwrap_or_default();
    let db_name = secret["db_name"].as_str().unwrap_or_default();
    let mut statements: Vec<String> =
        serde_json::from_value(secret["revocation_statements"].clone()).unwrap_or_default();
    if let Ok(Some(role)) = load_role(storage, role_name) {
        if !role.revocation_statements.is_empty() {
            statements = role.revocation_statements;
        }
    }
    let config = load_config(storage, db_name).map_err(|e| e.message().trim().to_string())?;
    let conn = postgresql::Connection::from_details(&config.connection_details);
    postgresql::delete_user(&conn, &statements, username)
}

/// Renews a credential: its `VALID UNTIL` (the role's renew statements) moves to `expire`
/// (plus the same small buffer as at creation).
pub fn renew_secret(
    storage: &dyn Storage,
    secret: &Value,
    expire: i64,
) -> std::result::Result<(), String> {
    let username = secret["username"].as_str().unwrap_or_default();
    let role_name = secret["role"].as_str().unwrap_or_default();
    let Some(role) = load_role(storage, role_name).map_err(|e| e.message().to_string())? else {
        return Err(format!(
            "error during renew: could not find role with name {}",
            crate::framework::go::go_quote(role_name)
        ));
    };
    let config = load_config(storage, &role.db_name).map_err(|e| e.message().trim().to_string())?;
    let conn = postgresql::Connection::from_details(&config.connection_details);
    postgresql::renew_user(&conn, &role.renew_statements, username, expire + 5)
}

/// The role's TTLs, for a renewal: `(default_ttl, max_ttl)`.
pub fn role_ttls(storage: &dyn Storage, secret: &Value) -> Option<(i64, i64)> {
    let role_name = secret["role"].as_str().unwrap_or_default();
    load_role(storage, role_name)
        .ok()
        .flatten()
        .map(|r| (r.default_ttl, r.max_ttl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_have_the_default_policy_shape() {
        for _ in 0..50 {
            let p = generate_password();
            assert_eq!(p.len(), 20);
            assert!(p.contains('-'));
            assert!(p.bytes().any(|b| b.is_ascii_digit()));
            assert!(p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        }
    }

    #[test]
    fn url_passwords() {
        assert!(!url_has_password(
            "postgresql://{{username}}:{{password}}@h:5432/db"
        ));
        let u = "postgresql://u:secret@h:5432/db";
        assert_eq!(userinfo_password_span(u), Some((15, 21)));
        assert!(!url_has_password("postgresql://u@h/db"));
    }

    #[test]
    fn default_username_shape() {
        let config = DatabaseConfig::default();
        let u = generate_username(&config, "token", "readonly").unwrap();
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(parts[0], "v");
        assert_eq!(parts[1], "token");
        assert_eq!(parts[2], "readonly");
        assert_eq!(parts[3].len(), 20);
        assert!(u.len() <= 63);
    }
}
