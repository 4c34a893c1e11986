//! The `sys/` backend: the auth mount table (`sys/auth`), and the policy endpoints, which live
//! in the policy module.

pub mod leases;

use crate::core::fields;
use crate::core::mounts::{self, MountEntry};
use crate::core::{Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::{Captures, Routes};
use crate::policy::backend::{self as policy, Family};
use crate::storage::StorageExt;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The `sys/` mount's backend (Vault's system backend).
pub struct SystemBackend;

type Handler = fn(&BackendContext, &Request, &Captures) -> Result<Option<Response>>;

/// The paths of `sys/`, relative to the mount, in matching order.
fn routes() -> &'static Routes<Handler> {
    static ROUTES: OnceLock<Routes<Handler>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        Routes::new(vec![
            ("leases/.*", |ctx, req, _| leases::handle(ctx, req)),
            ("auth", |ctx, req, _| match req.operation {
                Operation::Read => list_auth(ctx),
                _ => Err(Error::unsupported_operation()),
            }),
            ("auth/(?P<path>.*)/tune", |ctx, req, c| {
                tune(ctx, req, c.get("path"))
            }),
            ("auth/(?P<path>.*)", |ctx, req, c| {
                let rest = c.get("path");
                match req.operation {
                    Operation::Create | Operation::Update => enable_auth(ctx, req, rest),
                    Operation::Delete => disable_auth(ctx, rest),
                    Operation::Read => read_auth(ctx, rest),
                    _ => Err(Error::unsupported_operation()),
                }
            }),
            ("mounts", |ctx, req, _| match req.operation {
                Operation::Read => list_secret_mounts(ctx),
                _ => Err(Error::unsupported_operation()),
            }),
            // `sys/mounts/auth/PATH/tune` tunes an auth method (what `auth tune` sends).
            ("mounts/auth/(?P<path>.*)/tune", |ctx, req, c| {
                tune_auth_by_mounts(ctx, req, c.get("path"))
            }),
            ("mounts/(?P<path>.+)/tune", |ctx, req, c| {
                tune_secret(ctx, req, c.get("path"))
            }),
            ("mounts/(?P<path>.*)", |ctx, req, c| {
                let rest = c.get("path");
                match req.operation {
                    Operation::Create | Operation::Update => enable_secret(ctx, req, rest),
                    Operation::Delete => disable_secret(ctx, rest),
                    Operation::Read => read_secret_mount(ctx, rest),
                    _ => Err(Error::unsupported_operation()),
                }
            }),
            ("remount", |ctx, req, _| match req.operation {
                Operation::Create | Operation::Update => remount(ctx, req),
                _ => Err(Error::unsupported_operation()),
            }),
            (UI_MOUNTS, |ctx, req, _| internal_ui_mount(ctx, req)),
            (
                "capabilities|capabilities-self|capabilities-accessor",
                |ctx, req, _| policy::capabilities_path(ctx, req),
            ),
            ("policies/acl/?", |ctx, req, _| {
                policy::policies(ctx, req, Family::Acl, None)
            }),
            ("policies/acl/(?P<name>(?s:.+))", |ctx, req, c| {
                policy::policies(ctx, req, Family::Acl, Some(c.get("name")))
            }),
            ("policy/?", |ctx, req, _| {
                policy::policies(ctx, req, Family::Legacy, None)
            }),
            ("policy/(?P<name>(?s:.+))", |ctx, req, c| {
                policy::policies(ctx, req, Family::Legacy, Some(c.get("name")))
            }),
        ])
    })
}

/// `sys/internal/ui/mounts[/PATH]`, which needs no token.
const UI_MOUNTS: &str = "internal/ui/mounts(/.*)?";

impl Backend for SystemBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        match routes().find(&req.path) {
            Some((handler, captures)) => handler(ctx, req, &captures),
            None => Err(Error::unsupported_path()),
        }
    }

    fn is_builtin(&self) -> bool {
        true
    }

    fn is_unauthenticated(&self, path: &str) -> bool {
        static RE: OnceLock<Routes<()>> = OnceLock::new();
        RE.get_or_init(|| Routes::new(vec![(UI_MOUNTS, ())]))
            .find(path)
            .is_some()
    }
}

/// The version OpenBao reports for its built-in plugins (and the token store).
const BUILTIN_VERSION: &str = "v2.7.2+builtin.bao";

fn mount_json(m: &MountEntry) -> Value {
    let mut v = json!({
        "accessor": m.accessor,
        "config": {
            "default_lease_ttl": m.default_lease_ttl,
            "force_no_cache": false,
            "max_lease_ttl": m.max_lease_ttl,
            "token_type": m.token_type,
        },
        "description": m.description,
        "external_entropy_access": false,
        "local": m.local,
        "options": if m.options.is_empty() { Value::Null } else { Value::Object(m.options.clone()) },
        "plugin_version": "",
        "running_plugin_version": BUILTIN_VERSION,
        "running_sha256": "",
        "seal_wrap": m.seal_wrap,
        "type": m.kind,
        "uuid": m.uuid,
    });
    // Only plugins in the built-in registry carry a deprecation status; the token store is not one.
    if m.kind != "token" {
        v["deprecation_status"] = json!("supported");
    }
    v
}

fn list_auth(ctx: &BackendContext) -> Result<Option<Response>> {
    let table = mounts::load_auth(ctx.system())?;
    let mut data = Map::new();
    for m in &table {
        data.insert(m.path.clone(), mount_json(m));
    }
    Ok(Some(Response::data(data)))
}

fn read_auth(ctx: &BackendContext, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    let table = mounts::load_auth(ctx.system())?;
    match table.iter().find(|m| m.path == path) {
        Some(m) => Ok(Some(Response::json(mount_json(m)))),
        None => Err(Error::bad_request(format!("No auth engine at {}", path))),
    }
}

fn enable_auth(ctx: &BackendContext, req: &Request, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    if path == "/" {
        return Err(Error::bad_request("path cannot be empty"));
    }
    let kind = match req.data.get("type") {
        Some(v) => fields::string(v)
            .map_err(|d| Error::bad_request(fields::conversion_error("type", &d)))?,
        None => String::new(),
    };
    if kind.is_empty() {
        return Err(Error::bad_request(
            "backend type must be specified as a string",
        ));
    }
    let description = match req.data.get("description") {
        Some(v) => fields::string(v).unwrap_or_default(),
        None => String::new(),
    };
    if kind == "token" {
        return Err(Error::bad_request(
            "token credential backend cannot be instantiated",
        ));
    }
    if crate::core::auth_backend(&kind).is_none() {
        return Err(Error::bad_request(format!(
            "plugin not found in the catalog: {kind}"
        )));
    }
    let mut table = mounts::load_auth(ctx.system())?;
    if let Some(existing) = table
        .iter()
        .find(|m| path.starts_with(&m.path) || m.path.starts_with(&path))
    {
        return Err(Error::bad_request(format!(
            "path is already in use at {}",
            existing.path
        )));
    }
    let mut entry = MountEntry::new(&path, &kind, &description);
    if let Some(cfg) = req.data.get("config").and_then(Value::as_object) {
        if let Some(v) = cfg.get("default_lease_ttl") {
            entry.default_lease_ttl =
                fields::duration_seconds(v, false).map_err(Error::bad_request)?;
        }
        if let Some(v) = cfg.get("max_lease_ttl") {
            entry.max_lease_ttl = fields::duration_seconds(v, false).map_err(Error::bad_request)?;
        }
    }
    table.push(entry);
    mounts::save_auth(ctx.system(), &table)?;
    Ok(None)
}

fn disable_auth(ctx: &BackendContext, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    if path == "token/" {
        return Err(Error::bad_request(
            "token credential backend cannot be disabled",
        ));
    }
    let mut table = mounts::load_auth(ctx.system())?;
    let Some(pos) = table.iter().position(|m| m.path == path) else {
        // Vault answers success when nothing is mounted there.
        return Ok(None);
    };
    let entry = table.remove(pos);
    // Revoke its tokens first (as Vault does), while the mount is still there: a crash in
    // between leaves the mount, and the next disable finishes; never a token that outlives
    // its mount. Then drop the mount, then its data: a crash in between leaves unreachable
    // data, never a mount pointing at half-deleted state.
    crate::token::revoke_by_mount(ctx.system(), &entry.accessor)?;
    mounts::save_auth(ctx.system(), &table)?;
    ctx.system().delete_prefix(&entry.storage_prefix())?;
    Ok(None)
}

/// The part of a tune write that auth and secret mounts share: the lease TTLs ("system" puts
/// one back to the system's) and the description.
fn tune_entry(m: &mut MountEntry, req: &Request) -> Result<()> {
    let ttl = |v: &serde_json::Value| match v.as_str() {
        Some("system") => Ok(0),
        _ => fields::duration_seconds(v, false).map_err(Error::bad_request),
    };
    let mut default = m.default_lease_ttl;
    let mut max = m.max_lease_ttl;
    if let Some(v) = req.data.get("default_lease_ttl") {
        default = ttl(v)?;
    }
    if let Some(v) = req.data.get("max_lease_ttl") {
        max = ttl(v)?;
    }
    if max != 0 && default > max {
        return Err(Error::bad_request(format!(
            "backend max lease TTL of {max} would be less than backend default lease TTL of {default}"
        )));
    }
    m.default_lease_ttl = default;
    m.max_lease_ttl = max;
    if let Some(v) = req.data.get("description") {
        m.description = fields::string(v).unwrap_or_default();
    }
    Ok(())
}

fn tune(ctx: &BackendContext, req: &Request, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    let mut table = mounts::load_auth(ctx.system())?;
    let Some(m) = table.iter_mut().find(|m| m.path == path) else {
        return Err(Error::bad_request(format!(
            "cannot tune '{path}': no mount found"
        )));
    };
    if req.operation == Operation::Read {
        return Ok(Some(Response::json(json!({
            "default_lease_ttl": m.default_ttl(),
            "max_lease_ttl": m.max_ttl(),
            "description": m.description,
            "force_no_cache": false,
            "token_type": m.token_type,
        }))));
    }
    tune_entry(m, req)?;
    if let Some(v) = req.data.get("token_type") {
        m.token_type = fields::string(v).unwrap_or_default();
    }
    mounts::save_auth(ctx.system(), &table)?;
    Ok(None)
}

/// `sys/mounts/auth/PATH/tune`: [`tune`], with the errors of that path for a missing mount.
fn tune_auth_by_mounts(
    ctx: &BackendContext,
    req: &Request,
    rest: &str,
) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    if !mounts::load_auth(ctx.system())?
        .iter()
        .any(|m| m.path == path)
    {
        let full = fields::go_quote(&format!("auth/{path}"));
        return Err(Error::bad_request(if req.operation == Operation::Read {
            format!("cannot fetch sysview for path {full}")
        } else {
            format!("tune of path {full} failed: no mount entry found")
        }));
    }
    tune(ctx, req, rest)
}

// ---------------------------------------------------------------- secret engine mounts

/// A secret mount as `sys/mounts` shows it.
fn secret_mount_json(m: &MountEntry) -> Value {
    let mut config = json!({
        "default_lease_ttl": m.default_lease_ttl,
        "force_no_cache": false,
        "max_lease_ttl": m.max_lease_ttl,
    });
    match m.kind.as_str() {
        "identity" => config["passthrough_request_headers"] = json!(["Authorization"]),
        "system" => config["passthrough_request_headers"] = json!(["Accept"]),
        _ => {}
    }
    let mut v = json!({
        "accessor": m.accessor,
        "config": config,
        "description": m.description,
        "external_entropy_access": false,
        "local": m.local,
        "options": if m.options.is_empty() { Value::Null } else { Value::Object(m.options.clone()) },
        "plugin_version": "",
        "running_plugin_version": BUILTIN_VERSION,
        "running_sha256": "",
        "seal_wrap": m.seal_wrap,
        "type": m.kind,
        "uuid": m.uuid,
    });
    if !mounts::BUILTIN_SECRET_TYPES.contains(&m.kind.as_str()) {
        v["deprecation_status"] = json!("supported");
    }
    v
}

fn secret_table(ctx: &BackendContext) -> Result<Vec<MountEntry>> {
    mounts::ensure_secret_table(ctx.system())?;
    mounts::load_secret(ctx.system())
}

fn list_secret_mounts(ctx: &BackendContext) -> Result<Option<Response>> {
    let mut data = Map::new();
    for m in &secret_table(ctx)? {
        data.insert(m.path.clone(), secret_mount_json(m));
    }
    Ok(Some(Response::data(data)))
}

fn read_secret_mount(ctx: &BackendContext, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    match secret_table(ctx)?.iter().find(|m| m.path == path) {
        Some(m) => Ok(Some(Response::json(secret_mount_json(m)))),
        None => Err(Error::bad_request(format!(
            "No secret engine mount at {path}"
        ))),
    }
}

/// Paths below which nothing can be mounted: the core's own and the auth tree.
fn reserved_secret_path(path: &str) -> bool {
    ["sys/", "auth/", "identity/", "cubbyhole/"]
        .iter()
        .any(|p| path.starts_with(p))
}

fn enable_secret(ctx: &BackendContext, req: &Request, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    if path == "/" {
        return Err(Error::bad_request("path cannot be empty"));
    }
    let mut kind = match req.data.get("type") {
        Some(v) => fields::string(v)
            .map_err(|d| Error::bad_request(fields::conversion_error("type", &d)))?,
        None => String::new(),
    };
    if kind.is_empty() {
        return Err(Error::bad_request(
            "backend type must be specified as a string",
        ));
    }
    let description = match req.data.get("description") {
        Some(v) => fields::string(v).unwrap_or_default(),
        None => String::new(),
    };
    let mut options = match req.data.get("options") {
        Some(v) => fields::map(v)
            .map_err(|d| Error::bad_request(fields::conversion_error("options", &d)))?,
        None => Map::new(),
    };
    match kind.as_str() {
        "kv-v1" => {
            kind = "kv".into();
            options.insert("version".into(), json!("1"));
        }
        "kv-v2" => {
            kind = "kv".into();
            options.insert("version".into(), json!("2"));
        }
        _ => {}
    }
    for v in options.values_mut() {
        if !v.is_string() {
            *v = json!(fields::string(v).unwrap_or_default());
        }
    }
    if reserved_secret_path(&path) {
        return Err(Error::bad_request(format!(
            "cannot mount {}",
            fields::go_quote(&path)
        )));
    }
    if !crate::secrets::KINDS.contains(&kind.as_str()) {
        return Err(Error::bad_request(format!(
            "plugin not found in the catalog: {kind}"
        )));
    }
    if !matches!(
        options.get("version").and_then(Value::as_str),
        None | Some("") | Some("1") | Some("2")
    ) {
        return Err(Error::bad_request(format!(
            "nil backend of type {} returned from factory",
            fields::go_quote(&kind)
        )));
    }
    let mut table = secret_table(ctx)?;
    if let Some(existing) = table
        .iter()
        .find(|m| path.starts_with(&m.path) || m.path.starts_with(&path))
    {
        return Err(Error::bad_request(format!(
            "path is already in use at {}",
            existing.path
        )));
    }
    let mut entry = MountEntry::new_secret(&path, &kind, &description);
    entry.options = options;
    if let Some(cfg) = req.data.get("config").and_then(Value::as_object) {
        if let Some(v) = cfg.get("default_lease_ttl") {
            entry.default_lease_ttl =
                fields::duration_seconds(v, false).map_err(Error::bad_request)?;
        }
        if let Some(v) = cfg.get("max_lease_ttl") {
            entry.max_lease_ttl = fields::duration_seconds(v, false).map_err(Error::bad_request)?;
        }
    }
    table.push(entry);
    mounts::save_secret(ctx.system(), &table)?;
    Ok(None)
}

fn disable_secret(ctx: &BackendContext, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    let mut table = secret_table(ctx)?;
    let Some(pos) = table.iter().position(|m| m.path == path) else {
        // Vault answers success when nothing is mounted there.
        return Ok(None);
    };
    if mounts::BUILTIN_SECRET_TYPES.contains(&table[pos].kind.as_str()) {
        return Err(Error::bad_request(format!(
            "cannot unmount {}",
            fields::go_quote(&path)
        )));
    }
    leases::revoke_mount(ctx.system(), &path)?;
    let entry = table.remove(pos);
    // The mount goes first, then its data: a crash in between leaves unreachable data only.
    mounts::save_secret(ctx.system(), &table)?;
    ctx.system().delete_prefix(&entry.logical_prefix())?;
    Ok(None)
}

/// `sys/internal/ui/mounts/PATH`, the preflight of the `kv` helper commands: the mount
/// holding PATH and its options, when the calling token can access something below it.
/// Unauthenticated in Vault; the token, if any, decides what is visible.
fn internal_ui_mount(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let raw = req
        .path
        .strip_prefix("internal/ui/mounts")
        .unwrap_or("")
        .trim_start_matches('/');
    if raw.is_empty() {
        return Err(Error::bad_request("path not set"));
    }
    let path = format!("{}/", raw.trim_end_matches('/'));
    let denied = || {
        Error::new(
            403,
            format!(
                "preflight capability check returned 403, please ensure client's policies grant access to path {}",
                fields::go_quote(&path)
            ),
        )
    };
    let table = secret_table(ctx)?;
    let Some(m) = mounts::match_secret(&table, &path).cloned() else {
        return Err(denied());
    };
    let token = req.client_token.clone().unwrap_or_default();
    let acl = if token.is_empty() {
        crate::policy::Acl::default()
    } else {
        let entry = crate::token::lookup(ctx.system(), &token, crate::core::now())?
            .ok_or_else(Error::permission_denied)?;
        crate::policy::acl_for_token(ctx.system(), &entry)?
    };
    if !acl.has_mount_access(&m.path) {
        return Err(denied());
    }
    let mut data = secret_mount_json(&m);
    data["path"] = json!(m.path);
    Ok(Some(Response::json(data)))
}

/// `sys/mounts/PATH/tune`: a secret mount's lease TTLs and description.
fn tune_secret(ctx: &BackendContext, req: &Request, rest: &str) -> Result<Option<Response>> {
    let path = mounts::normalize_path(rest);
    let mut table = secret_table(ctx)?;
    let Some(m) = table.iter_mut().find(|m| m.path == path) else {
        return Err(Error::bad_request(if req.operation == Operation::Read {
            format!("cannot fetch sysview for path {}", fields::go_quote(&path))
        } else {
            format!(
                "tune of path {} failed: no mount entry found",
                fields::go_quote(&path)
            )
        }));
    };
    if req.operation == Operation::Read {
        return Ok(Some(Response::json(json!({
            "default_lease_ttl": m.default_ttl(),
            "max_lease_ttl": m.max_ttl(),
            "description": m.description,
            "force_no_cache": false,
        }))));
    }
    tune_entry(m, req)?;
    mounts::save_secret(ctx.system(), &table)?;
    Ok(None)
}

/// `sys/remount` of an auth method: the tokens it issued are revoked (Vault revokes the old
/// path's leases), its configuration and roles (keyed by the mount's UUID) stay.
fn remount_auth(ctx: &BackendContext, from: &str, to: &str) -> Result<Option<Response>> {
    let q = fields::go_quote;
    if from.starts_with("auth/token/") {
        return Err(Error::bad_request(format!("cannot remount {}", q(from))));
    }
    let mut table = mounts::load_auth(ctx.system())?;
    let Some(pos) = table.iter().position(|m| m.full_path() == from) else {
        return Err(Error::bad_request(format!(
            "no matching mount at {}",
            q(from)
        )));
    };
    let Some(dst) = to.strip_prefix("auth/") else {
        return Err(Error::bad_request(format!(
            "cannot remount auth mount to non-auth mount {}",
            q(to)
        )));
    };
    if to.starts_with("auth/token/") {
        return Err(Error::bad_request(format!(
            "cannot remount to destination {}",
            q(to)
        )));
    }
    if let Some(m) = table.iter().find(|m| {
        let full = m.full_path();
        to.starts_with(&full) || full.starts_with(to)
    }) {
        return Err(Error::bad_request(format!(
            "path already in use at {}",
            q(&m.full_path())
        )));
    }
    crate::token::revoke_by_mount(ctx.system(), &table[pos].accessor)?;
    table[pos].path = dst.to_string();
    mounts::save_auth(ctx.system(), &table)?;
    Ok(Some(migration_queued()))
}

/// OpenBao's answer to a remount: a migration ID and the warning that the move was queued
/// (here it is already done).
fn migration_queued() -> Response {
    let mut data = Map::new();
    data.insert(
        "migration_id".into(),
        json!(uuid::Uuid::new_v4().to_string()),
    );
    Response {
        data: Some(data),
        warnings: vec!["Mount move has been queued. Progress will be reported in OpenBao's server log, tagged with the returned migration_id".into()],
        ..Default::default()
    }
}

/// Mounts that can be neither moved nor moved onto (OpenBao's `protectedMounts`).
const PROTECTED_MOUNTS: [&str; 5] = ["audit/", "auth/", "sys/", "cubbyhole/", "identity/"];

/// `sys/remount` (`secrets move`): gives a secret engine a new path. Its data is keyed by
/// the mount's UUID, so the move is done at once; the answer is OpenBao's (a migration ID and
/// the warning that the move was queued). Moving auth mounts is not supported.
fn remount(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let text = |k: &str| req.data.get(k).and_then(Value::as_str).unwrap_or("");
    let (from, to) = (text("from"), text("to"));
    if from.is_empty() || to.is_empty() {
        return Err(Error::bad_request(
            "both 'from' and 'to' path must be specified as a string",
        ));
    }
    let from = mounts::normalize_path(from);
    let to = mounts::normalize_path(to);
    if from.starts_with("auth/") {
        return remount_auth(ctx, &from, &to);
    }
    let mut table = secret_table(ctx)?;
    let Some(pos) = table.iter().position(|m| m.path == from) else {
        return Err(Error::bad_request(format!(
            "no matching mount at {}",
            fields::go_quote(&from)
        )));
    };
    if PROTECTED_MOUNTS.iter().any(|p| from.starts_with(p)) {
        return Err(Error::bad_request(format!(
            "cannot remount {}",
            fields::go_quote(&from)
        )));
    }
    if PROTECTED_MOUNTS.iter().any(|p| to.starts_with(p)) {
        return Err(Error::bad_request(format!(
            "cannot remount to destination {to}"
        )));
    }
    if let Some(m) = table
        .iter()
        .find(|m| to.starts_with(&m.path) || m.path.starts_with(&to))
    {
        return Err(Error::bad_request(format!(
            "path already in use at {}",
            fields::go_quote(&m.path)
        )));
    }
    table[pos].path = to;
    mounts::save_secret(ctx.system(), &table)?;
    Ok(Some(migration_queued()))
}
