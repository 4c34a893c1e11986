//! KV version 2: versioned secrets. Storage (in the mount's view):
//! - `config`: the engine configuration;
//! - `metadata/PATH`: the key metadata (versions, current/oldest version, settings);
//! - `versions/<sha256(PATH)>/<n>`: the data of version `n` (`{"data": {...}}`).

use super::{check_path, unsupported_operation, v1::list_response};
use crate::core::{fields, Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub struct KvV2;

/// Versions kept per key unless configured otherwise.
const DEFAULT_MAX_VERSIONS: u64 = 10;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub max_versions: u64,
    #[serde(default)]
    pub cas_required: bool,
    #[serde(default)]
    pub metadata_cas_required: bool,
    /// Seconds; 0 = unset, negative = disabled for every key.
    #[serde(default)]
    pub delete_version_after: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VersionMeta {
    pub created_time: String,
    /// RFC 3339, empty when not (scheduled to be) deleted.
    #[serde(default)]
    pub deletion_time: String,
    #[serde(default)]
    pub destroyed: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyMeta {
    pub key: String,
    #[serde(default)]
    pub versions: BTreeMap<u64, VersionMeta>,
    #[serde(default)]
    pub current_version: u64,
    #[serde(default)]
    pub oldest_version: u64,
    #[serde(default)]
    pub max_versions: u64,
    #[serde(default)]
    pub cas_required: bool,
    /// Seconds; 0 = unset.
    #[serde(default)]
    pub delete_version_after: i64,
    #[serde(default)]
    pub custom_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub created_time: String,
    #[serde(default)]
    pub updated_time: String,
    #[serde(default)]
    pub current_metadata_version: u64,
}

impl KeyMeta {
    /// The version a read asks for (`version` > 0), else the current one, with its metadata.
    fn pick(&self, version: i64) -> Option<(u64, &VersionMeta)> {
        let n = if version > 0 {
            version as u64
        } else {
            self.current_version
        };
        self.versions.get(&n).map(|vm| (n, vm))
    }
}

/// Now as Go's `time.RFC3339Nano` prints it (trailing zeros of the fraction dropped).
fn now_string() -> String {
    time_string(chrono::Utc::now())
}

fn time_string(t: chrono::DateTime<chrono::Utc>) -> String {
    let s = t.format("%Y-%m-%dT%H:%M:%S%.9f").to_string();
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}Z")
}

/// Whether an RFC 3339 deletion time is set and in the past.
fn is_past(t: &str) -> bool {
    if t.is_empty() {
        return false;
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&chrono::Utc) < chrono::Utc::now())
        .unwrap_or(false)
}

fn meta_key(path: &str) -> String {
    format!("metadata/{path}")
}

fn version_key(path: &str, n: u64) -> String {
    let h = Sha256::digest(path.as_bytes());
    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
    format!("versions/{hex}/{n}")
}

fn load_config(s: &dyn Storage) -> Result<Config> {
    Ok(s.get_as::<Config>("config")?.unwrap_or_default())
}

fn load_meta(s: &dyn Storage, path: &str) -> Result<Option<KeyMeta>> {
    if path.is_empty() || check_path(path).is_err() {
        return Ok(None);
    }
    Ok(s.get_as::<KeyMeta>(&meta_key(path))?)
}

fn save_meta(s: &dyn Storage, m: &KeyMeta) -> Result<()> {
    s.put_as(&meta_key(&m.key), m).map_err(Error::from)
}

fn custom_metadata_json(m: &KeyMeta) -> Value {
    match &m.custom_metadata {
        Some(c) => json!(c),
        None => Value::Null,
    }
}

fn version_json(m: &KeyMeta, n: u64, v: &VersionMeta) -> Value {
    json!({
        "version": n,
        "created_time": v.created_time,
        "deletion_time": v.deletion_time,
        "destroyed": v.destroyed,
        "custom_metadata": custom_metadata_json(m),
    })
}

/// A response with Vault's status 404 and the given data (deleted or destroyed versions).
fn not_found_with(data: Map<String, Value>) -> Response {
    let mut r = Response::data(data);
    r.status = 404;
    r
}

/// A 404 with only a warning, as `pathInvalid`.
fn not_found_warning(w: String) -> Response {
    Response {
        warnings: vec![w],
        status: 404,
        ..Default::default()
    }
}

/// The deletion time of a version created at `created` (`deletionTime`): creation plus the
/// smallest non-zero of the mount's and the key's `delete_version_after`.
fn deletion_time(
    created: chrono::DateTime<chrono::Utc>,
    config: &Config,
    meta: &KeyMeta,
) -> String {
    if config.delete_version_after < 0 {
        return String::new();
    }
    let (mount, key) = (config.delete_version_after, meta.delete_version_after);
    let d = match (mount, key) {
        (0, 0) => return String::new(),
        (0, k) => k,
        (m, 0) => m,
        (m, k) => m.min(k),
    };
    time_string(created + chrono::Duration::seconds(d))
}

/// A conversion failure on the `config` path (no existence check: the framework's prefix).
fn conv_config(field: &'static str) -> impl Fn(String) -> Error {
    move |d| crate::framework::field_validation_failed(field, &d)
}

fn conv(field: &'static str) -> impl Fn(String) -> Error {
    move |d| Error::bad_request(fields::conversion_error(field, &d))
}

/// Validates the `cas` option (`validateCheckAndSetOption`).
fn check_cas(data: &Map<String, Value>, config: &Config, meta: &KeyMeta) -> Result<()> {
    let options = match data.get("options") {
        Some(v) => fields::map(v).map_err(conv("options"))?,
        None => Map::new(),
    };
    match options.get("cas") {
        Some(raw) => {
            let cas = match raw {
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                Value::Bool(b) => Some(*b as i64),
                Value::Null => Some(0),
                _ => None,
            }
            .ok_or_else(|| Error::bad_request("error parsing check-and-set parameter"))?;
            if cas < 0 || cas as u64 != meta.current_version {
                return Err(Error::bad_request(
                    "check-and-set parameter did not match the current version",
                ));
            }
            Ok(())
        }
        None if config.cas_required || meta.cas_required => Err(Error::bad_request(
            "check-and-set parameter required for this call",
        )),
        None => Ok(()),
    }
}

/// Adds a version (`KeyMetadata.AddVersion`); returns the versions whose data to drop.
fn add_version(meta: &mut KeyMeta, vm: VersionMeta, config: &Config) -> Vec<u64> {
    meta.current_version += 1;
    meta.updated_time = vm.created_time.clone();
    if meta.created_time.is_empty() {
        meta.created_time = vm.created_time.clone();
    }
    meta.versions.insert(meta.current_version, vm);
    let max = match meta.max_versions.max(config.max_versions) {
        0 => DEFAULT_MAX_VERSIONS,
        m => m,
    };
    let mut dropped = Vec::new();
    if meta.current_version - meta.oldest_version >= max {
        let to_delete = meta.current_version - max;
        for i in meta.oldest_version..=to_delete {
            if meta.versions.remove(&i).is_some() || i > 0 {
                dropped.push(i);
            }
        }
        meta.oldest_version = to_delete + 1;
    }
    dropped
}

/// Writes a new version holding `data`; the response is the new version's metadata.
fn write_version(
    s: &dyn Storage,
    mut meta: KeyMeta,
    config: &Config,
    data: Map<String, Value>,
) -> Result<Option<Response>> {
    let now = chrono::Utc::now();
    let vm = VersionMeta {
        created_time: time_string(now),
        deletion_time: deletion_time(now, config, &meta),
        destroyed: false,
    };
    let n = meta.current_version + 1;
    // One batch: the version and its metadata land together or not at all.
    let tx = crate::storage::Batch::new(s);
    tx.put(&version_key(&meta.key, n), &json!({ "data": data }))?;
    let dropped = add_version(&mut meta, vm, config);
    save_meta(&tx, &meta)?;
    for i in dropped {
        tx.delete(&version_key(&meta.key, i))?;
    }
    tx.commit()?;
    let v = meta.versions.get(&n).cloned().unwrap_or_default();
    Ok(Some(Response::json(version_json(&meta, n, &v))))
}

/// RFC 7386 JSON merge patch.
fn merge_patch(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        match v {
            Value::Null => {
                target.remove(k);
            }
            Value::Object(p) => {
                let entry = target
                    .entry(k.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Value::Object(t) = entry {
                    merge_patch(t, p);
                }
            }
            other => {
                target.insert(k.clone(), other.clone());
            }
        }
    }
}

/// Version numbers of `versions` (`TypeCommaIntSlice`).
fn versions_param(data: &Map<String, Value>) -> Result<Vec<u64>> {
    let raw = match data.get("versions") {
        None => return Ok(Vec::new()),
        Some(v) => v,
    };
    let items = fields::comma_string_slice(raw).map_err(conv("versions"))?;
    let mut out = Vec::new();
    for i in items {
        let n = fields::int(&Value::String(i.clone())).map_err(conv("versions"))?;
        if n >= 0 {
            out.push(n as u64);
        }
    }
    Ok(out)
}

fn cli_hint(ctx: &BackendContext, op: Operation) -> String {
    let sub = match op {
        Operation::Create | Operation::Update => "put",
        Operation::Patch => "patch",
        Operation::Read => "get",
        Operation::List => "list",
        Operation::Delete => "delete",
    };
    match ctx.settings.compat {
        crate::settings::Compat::OpenBao => format!(
            "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv {sub}' for this operation."
        ),
        crate::settings::Compat::Default => format!(
            "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the vaultjwt CLI, use 'vaultjwt kv {sub}' for this operation."
        ),
    }
}

impl Backend for KvV2 {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let s: &dyn Storage = &ctx.storage;
        let path = req.path.as_str();
        let op = req.operation;
        if matches!(
            path,
            "data" | "metadata" | "delete" | "undelete" | "destroy"
        ) && op != Operation::List
        {
            return Ok(Some(not_found_warning(
                "Non-listing operations on the root of a K/V v2 mount are not supported."
                    .to_string(),
            )));
        }
        if path == "config" {
            return match op {
                Operation::Read => config_read(s),
                Operation::Create | Operation::Update => config_write(s, &req.data),
                _ => Err(unsupported_operation()),
            };
        }
        let (section, key) = match path.split_once('/') {
            Some((sec, rest)) => (sec, rest),
            None => (path, ""),
        };
        let list_path = |p: &str| -> String {
            if op == Operation::List && !p.ends_with('/') && !p.is_empty() {
                format!("{p}/")
            } else {
                p.to_string()
            }
        };
        match (section, op) {
            ("data", Operation::Read) => data_read(s, key, &req.data),
            ("data", Operation::Create | Operation::Update) => data_write(s, key, &req.data),
            ("data", Operation::Patch) => data_patch(s, key, &req.data),
            ("data", Operation::Delete) => data_delete(s, key),
            ("metadata", Operation::Read) => metadata_read(s, key),
            ("metadata", Operation::Create | Operation::Update) => {
                metadata_write(s, key, &req.data)
            }
            ("metadata", Operation::Patch) => metadata_patch(s, key, &req.data),
            ("metadata", Operation::Delete) => metadata_delete(s, key),
            ("subkeys", Operation::Read) if !key.is_empty() => subkeys_read(s, key, &req.data),
            ("metadata", Operation::List) => metadata_list(s, &list_path(key)),
            ("delete", Operation::Create | Operation::Update) => {
                versions_op(s, key, &req.data, VersionsOp::Delete)
            }
            ("undelete", Operation::Create | Operation::Update) => {
                versions_op(s, key, &req.data, VersionsOp::Undelete)
            }
            ("destroy", Operation::Create | Operation::Update) => {
                versions_op(s, key, &req.data, VersionsOp::Destroy)
            }
            ("data" | "delete" | "undelete" | "destroy" | "subkeys", _)
                if !key.is_empty() || op == Operation::List =>
            {
                Err(unsupported_operation())
            }
            _ => Ok(Some(not_found_warning(cli_hint(ctx, op)))),
        }
    }

    fn exists(&self, ctx: &BackendContext, req: &Request) -> Result<Option<bool>> {
        let path = req.path.as_str();
        let key = path
            .strip_prefix("data/")
            .or_else(|| path.strip_prefix("metadata/"));
        match key {
            Some(k) => Ok(Some(load_meta(&ctx.storage, k)?.is_some())),
            None => Ok(None),
        }
    }
}

fn config_read(s: &dyn Storage) -> Result<Option<Response>> {
    let c = load_config(s)?;
    Ok(Some(Response::json(json!({
        "max_versions": c.max_versions,
        "cas_required": c.cas_required,
        "metadata_cas_required": c.metadata_cas_required,
        "delete_version_after": fields::go_duration_string(c.delete_version_after),
    }))))
}

fn config_write(s: &dyn Storage, data: &Map<String, Value>) -> Result<Option<Response>> {
    let mut c = load_config(s)?;
    let mut any = false;
    if let Some(v) = data.get("max_versions") {
        let n = fields::int(v).map_err(conv_config("max_versions"))?;
        c.max_versions = n.max(0) as u64;
        any = true;
    }
    if let Some(v) = data.get("cas_required") {
        c.cas_required = fields::boolean(v).map_err(conv_config("cas_required"))?;
        any = true;
    }
    if let Some(v) = data.get("metadata_cas_required") {
        c.metadata_cas_required =
            fields::boolean(v).map_err(conv_config("metadata_cas_required"))?;
        any = true;
    }
    if let Some(v) = data.get("delete_version_after") {
        let d = fields::duration_seconds(v, true).map_err(conv_config("delete_version_after"))?;
        c.delete_version_after = if d < 0 { -1 } else { d };
        any = true;
    }
    if any {
        s.put_as("config", &c)?;
    }
    Ok(None)
}

fn data_read(s: &dyn Storage, key: &str, params: &Map<String, Value>) -> Result<Option<Response>> {
    let version = match params.get("version") {
        Some(v) => fields::int(v).map_err(conv("version"))?,
        None => 0,
    };
    let Some(meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    let Some((n, vm)) = meta.pick(version) else {
        return Ok(None);
    };
    let mut data = Map::new();
    data.insert("data".into(), Value::Null);
    data.insert("metadata".into(), version_json(&meta, n, vm));
    if is_past(&vm.deletion_time) || vm.destroyed {
        return Ok(Some(not_found_with(data)));
    }
    let stored = s
        .get(&version_key(key, n))?
        .ok_or_else(|| Error::internal("could not find version data"))?;
    data.insert(
        "data".into(),
        stored.get("data").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(Some(Response::data(data)))
}

fn data_write(s: &dyn Storage, key: &str, body: &Map<String, Value>) -> Result<Option<Response>> {
    if key.is_empty() {
        return Err(Error::bad_request("missing path"));
    }
    let config = load_config(s)?;
    let data = match body.get("data") {
        None => return Err(Error::bad_request("no data provided")),
        Some(v) => fields::map(v).map_err(conv("data"))?,
    };
    check_path(key)?;
    let meta = load_meta(s, key)?.unwrap_or_else(|| KeyMeta {
        key: key.to_string(),
        ..Default::default()
    });
    check_cas(body, &config, &meta)?;
    write_version(s, meta, &config, data)
}

fn data_patch(s: &dyn Storage, key: &str, body: &Map<String, Value>) -> Result<Option<Response>> {
    let patch = match body.get("data") {
        None => return Err(Error::bad_request("no data provided")),
        Some(v) => fields::map(v).map_err(conv("data"))?,
    };
    let Some(meta) = load_meta(s, key)? else {
        return Ok(Some(Response {
            status: 404,
            ..Default::default()
        }));
    };
    let config = load_config(s)?;
    check_cas(body, &config, &meta)?;
    let n = meta.current_version;
    let Some(vm) = meta.versions.get(&n).cloned() else {
        return Ok(Some(Response {
            status: 404,
            ..Default::default()
        }));
    };
    if is_past(&vm.deletion_time) || vm.destroyed {
        let v = version_json(&meta, n, &vm);
        return Ok(Some(not_found_with(
            v.as_object().cloned().unwrap_or_default(),
        )));
    }
    let stored = s
        .get(&version_key(key, n))?
        .ok_or_else(|| Error::internal("could not find version data"))?;
    let mut data = stored
        .get("data")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    merge_patch(&mut data, &patch);
    write_version(s, meta, &config, data)
}

fn data_delete(s: &dyn Storage, key: &str) -> Result<Option<Response>> {
    let Some(mut meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    let cur = meta.current_version;
    let Some(lv) = meta.versions.get_mut(&cur) else {
        return Ok(None);
    };
    if lv.destroyed || is_past(&lv.deletion_time) {
        return Ok(None);
    }
    lv.deletion_time = now_string();
    save_meta(s, &meta)?;
    Ok(None)
}

#[derive(Clone, Copy)]
enum VersionsOp {
    Delete,
    Undelete,
    Destroy,
}

fn versions_op(
    s: &dyn Storage,
    key: &str,
    body: &Map<String, Value>,
    op: VersionsOp,
) -> Result<Option<Response>> {
    let versions = versions_param(body)?;
    if versions.is_empty() {
        return Err(Error::bad_request(match op {
            VersionsOp::Destroy => "no version number provided",
            _ => "No version number provided",
        }));
    }
    let config = load_config(s)?;
    let Some(mut meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let dva = deletion_time(now, &config, &meta);
    for n in &versions {
        let Some(v) = meta.versions.get_mut(n) else {
            continue;
        };
        if v.destroyed {
            continue;
        }
        match op {
            VersionsOp::Delete => {
                if !is_past(&v.deletion_time) {
                    v.deletion_time = time_string(now);
                }
            }
            VersionsOp::Undelete => v.deletion_time = dva.clone(),
            VersionsOp::Destroy => v.destroyed = true,
        }
    }
    save_meta(s, &meta)?;
    if let VersionsOp::Destroy = op {
        for n in versions {
            s.delete(&version_key(key, n))?;
        }
    }
    Ok(None)
}

fn metadata_read(s: &dyn Storage, key: &str) -> Result<Option<Response>> {
    let Some(meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    let config = load_config(s)?;
    let mut versions = Map::new();
    for (n, v) in &meta.versions {
        versions.insert(
            n.to_string(),
            json!({
                "created_time": v.created_time,
                "deletion_time": v.deletion_time,
                "destroyed": v.destroyed,
            }),
        );
    }
    Ok(Some(Response::json(json!({
        "versions": versions,
        "current_version": meta.current_version,
        "current_metadata_version": meta.current_metadata_version,
        "oldest_version": meta.oldest_version,
        "created_time": meta.created_time,
        "updated_time": meta.updated_time,
        "max_versions": meta.max_versions,
        "cas_required": meta.cas_required,
        "metadata_cas_required": config.metadata_cas_required,
        "delete_version_after": fields::go_duration_string(meta.delete_version_after),
        "custom_metadata": custom_metadata_json(&meta),
    }))))
}

const CM_PREFIX: &str = "custom_metadata validation failed";

fn custom_metadata(v: &Value) -> Result<BTreeMap<String, String>> {
    let m = fields::map(v).map_err(conv("custom_metadata"))?;
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let s = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if b { "1" } else { "0" }.to_string(),
            Value::Null => String::new(),
            other => {
                return Err(Error::bad_request(format!(
                    "{CM_PREFIX}: '' expected type 'string', got unconvertible type '{}'",
                    fields::go_type(&other)
                )))
            }
        };
        out.insert(k, s);
    }
    let mut errs = Vec::new();
    if out.len() > 64 {
        errs.push(format!(
            "{CM_PREFIX}: payload must contain at most 64 keys, provided {}",
            out.len()
        ));
    } else {
        for (k, v) in &out {
            if k.is_empty() || k.len() > 128 {
                errs.push(format!(
                    "{CM_PREFIX}: length of key {} is {} but must be 0 < len(key) <= 128",
                    fields::go_quote(k),
                    k.len()
                ));
            }
            if v.is_empty() || v.len() > 512 {
                errs.push(format!(
                    "{CM_PREFIX}: length of value for key {} is {} but must be 0 < len(value) <= 512",
                    fields::go_quote(k),
                    v.len()
                ));
            }
        }
    }
    if !errs.is_empty() {
        return Err(Error::bad_request(crate::policy::parse::multierror(&errs)));
    }
    Ok(out)
}

fn metadata_write(
    s: &dyn Storage,
    key: &str,
    body: &Map<String, Value>,
) -> Result<Option<Response>> {
    if key.is_empty() {
        return Err(Error::bad_request("missing path"));
    }
    let max = body.get("max_versions");
    let cas = body.get("cas_required");
    let dva = body.get("delete_version_after");
    let cm = body.get("custom_metadata");
    let max = max
        .map(|v| fields::int(v).map_err(conv("max_versions")))
        .transpose()?;
    let cas = cas
        .map(|v| fields::boolean(v).map_err(conv("cas_required")))
        .transpose()?;
    let dva = dva
        .map(|v| fields::duration_seconds(v, false).map_err(conv("delete_version_after")))
        .transpose()?;
    if max.is_none() && cas.is_none() && dva.is_none() && cm.is_none() {
        return Ok(None);
    }
    let cm = cm.map(custom_metadata).transpose()?;
    check_path(key)?;
    let config = load_config(s)?;
    let mut resp = None;
    if cas == Some(false) && config.cas_required {
        resp = Some(Response {
            warnings: vec!["\"cas_required\" set to false, but is mandated by backend config. This value will be ignored.".into()],
            ..Default::default()
        });
    }
    let now = now_string();
    let mut meta = load_meta(s, key)?.unwrap_or_else(|| KeyMeta {
        key: key.to_string(),
        created_time: now.clone(),
        ..Default::default()
    });
    if let Some(m) = max {
        meta.max_versions = m.max(0) as u64;
    }
    if let Some(c) = cas {
        meta.cas_required = c;
    }
    if let Some(d) = dva {
        meta.delete_version_after = d;
    }
    if let Some(c) = cm {
        meta.custom_metadata = Some(c);
    }
    meta.updated_time = now;
    meta.current_metadata_version += 1;
    save_meta(s, &meta)?;
    Ok(resp)
}

/// A query parameter of `TypeInt` as the framework reads a GET's string values.
fn query_int(params: &Map<String, Value>, name: &str) -> Result<i64> {
    match params.get(name) {
        None => Ok(0),
        Some(Value::String(t)) => t.trim().parse::<i64>().map_err(|_| {
            Error::bad_request(format!(
                "Field validation failed: error converting input for field {name:?}: '' cannot parse value as 'int': strconv.ParseInt: invalid syntax"
            ))
        }),
        Some(v) => fields::int(v).map_err(conv_dyn(name)),
    }
}

fn conv_dyn(field: &str) -> impl Fn(String) -> Error + '_ {
    move |d| Error::bad_request(fields::conversion_error(field, &d))
}

/// `subkeys/PATH`: the keys of a version's data without their values (`null` leaves), down
/// to `depth` levels (0: all), with the version's metadata. A deleted or destroyed version
/// has `subkeys: null`.
fn subkeys_read(
    s: &dyn Storage,
    key: &str,
    params: &Map<String, Value>,
) -> Result<Option<Response>> {
    let depth = query_int(params, "depth")?;
    let version = query_int(params, "version")?;
    let Some(meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    let Some((n, vm)) = meta.pick(version) else {
        return Ok(None);
    };
    let mut data = Map::new();
    data.insert("subkeys".into(), Value::Null);
    data.insert("metadata".into(), version_json(&meta, n, vm));
    if is_past(&vm.deletion_time) || vm.destroyed {
        return Ok(Some(Response::data(data)));
    }
    let stored = s
        .get(&version_key(key, n))?
        .ok_or_else(|| Error::internal("could not find version data"))?;
    fn walk(m: &Map<String, Value>, level: i64, depth: i64) -> Value {
        Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let sub = match v {
                        Value::Object(o) if !o.is_empty() && (depth == 0 || level < depth) => {
                            walk(o, level + 1, depth)
                        }
                        _ => Value::Null,
                    };
                    (k.clone(), sub)
                })
                .collect(),
        )
    }
    let empty = Map::new();
    let version_data = stored
        .get("data")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    data.insert("subkeys".into(), walk(version_data, 1, depth));
    Ok(Some(Response::data(data)))
}

/// `PATCH metadata/PATH`: a JSON merge patch of a key's settings and custom metadata (a
/// `null` value removes a custom key). A key without metadata is a bodiless 404.
fn metadata_patch(
    s: &dyn Storage,
    key: &str,
    body: &Map<String, Value>,
) -> Result<Option<Response>> {
    let Some(mut meta) = load_meta(s, key)? else {
        return Ok(Some(Response {
            status: 404,
            ..Default::default()
        }));
    };
    if let Some(v) = body.get("max_versions") {
        meta.max_versions = fields::int(v).map_err(conv("max_versions"))?.max(0) as u64;
    }
    if let Some(v) = body.get("cas_required") {
        meta.cas_required = fields::boolean(v).map_err(conv("cas_required"))?;
    }
    if let Some(v) = body.get("delete_version_after") {
        meta.delete_version_after =
            fields::duration_seconds(v, false).map_err(conv("delete_version_after"))?;
    }
    match body.get("custom_metadata") {
        None => {}
        Some(Value::Null) => meta.custom_metadata = None,
        Some(v) => {
            let patch = fields::map(v).map_err(conv("custom_metadata"))?;
            let mut merged: Map<String, Value> = meta
                .custom_metadata
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            for (k, v) in patch {
                if v.is_null() {
                    merged.remove(&k);
                } else {
                    merged.insert(k, v);
                }
            }
            meta.custom_metadata = Some(custom_metadata(&Value::Object(merged))?);
        }
    }
    meta.updated_time = now_string();
    meta.current_metadata_version += 1;
    save_meta(s, &meta)?;
    Ok(None)
}

fn metadata_delete(s: &dyn Storage, key: &str) -> Result<Option<Response>> {
    let Some(meta) = load_meta(s, key)? else {
        return Ok(None);
    };
    for n in meta.versions.keys() {
        s.delete(&version_key(key, *n))?;
    }
    s.delete(&meta_key(key))?;
    Ok(None)
}

fn metadata_list(s: &dyn Storage, dir: &str) -> Result<Option<Response>> {
    let d = dir.trim_end_matches('/');
    if !d.is_empty() && check_path(d).is_err() {
        return Ok(list_response(Vec::new()));
    }
    let prefix = if d.is_empty() {
        "metadata/".to_string()
    } else {
        format!("metadata/{d}/")
    };
    Ok(list_response(s.list(&prefix)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_times_and_patches() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-28T17:33:15.273948200Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(time_string(t), "2026-11-28T17:33:15.2739482Z");
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-28T17:33:15Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(time_string(t), "2026-11-28T17:33:15Z");
        let mut a = json!({"a": 1, "b": {"c": 2, "d": 3}})
            .as_object()
            .cloned()
            .unwrap();
        merge_patch(
            &mut a,
            json!({"a": null, "b": {"c": null, "e": 4}, "f": 5})
                .as_object()
                .unwrap(),
        );
        assert_eq!(Value::Object(a), json!({"b": {"d": 3, "e": 4}, "f": 5}));
    }

    #[test]
    fn max_versions_window() {
        let mut m = KeyMeta::default();
        let c = Config {
            max_versions: 3,
            ..Default::default()
        };
        let mut dropped = Vec::new();
        for _ in 0..5 {
            dropped.extend(add_version(&mut m, VersionMeta::default(), &c));
        }
        assert_eq!(m.current_version, 5);
        assert_eq!(m.oldest_version, 3);
        assert_eq!(
            m.versions.keys().copied().collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert!(dropped.contains(&1) && dropped.contains(&2));
    }
}
