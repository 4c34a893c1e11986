//! The mount table: which backend answers below which path.

use crate::core::error::{Error, Result};
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Storage key of the auth mount table.
pub const AUTH_TABLE: &str = "core/auth";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MountEntry {
    /// Path below `auth/`, with a trailing slash (`jwt/`).
    pub path: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    pub accessor: String,
    pub uuid: String,
    #[serde(default)]
    pub local: bool,
    #[serde(default)]
    pub seal_wrap: bool,
    /// Seconds; 0 = the system default (768h).
    #[serde(default)]
    pub default_lease_ttl: i64,
    #[serde(default)]
    pub max_lease_ttl: i64,
    /// `default-service` unless tuned.
    #[serde(default = "default_token_type")]
    pub token_type: String,
    #[serde(default)]
    pub options: Map<String, Value>,
}

fn default_token_type() -> String {
    "default-service".to_string()
}

/// The system-wide default and maximum lease TTL (Vault's 768h).
pub const SYSTEM_MAX_TTL: i64 = 768 * 3600;

impl MountEntry {
    pub fn new(path: &str, kind: &str, description: &str) -> Self {
        let prefix = if kind == "token" { "auth_token" } else { kind };
        let accessor = format!(
            "auth_{}_{:08x}",
            prefix.trim_start_matches("auth_"),
            rand::random::<u32>()
        );
        MountEntry {
            path: path.to_string(),
            kind: kind.to_string(),
            description: description.to_string(),
            accessor,
            uuid: uuid::Uuid::new_v4().to_string(),
            local: false,
            seal_wrap: false,
            default_lease_ttl: 0,
            max_lease_ttl: 0,
            token_type: default_token_type(),
            options: Map::new(),
        }
    }

    /// Storage prefix of this mount's data (Vault's barrier view `auth/<uuid>/`).
    pub fn storage_prefix(&self) -> String {
        format!("auth/{}/", self.uuid)
    }

    /// The full path of the mount, `auth/jwt/`.
    pub fn full_path(&self) -> String {
        format!("auth/{}", self.path)
    }

    pub fn default_ttl(&self) -> i64 {
        if self.default_lease_ttl > 0 {
            self.default_lease_ttl
        } else {
            SYSTEM_MAX_TTL
        }
    }

    pub fn max_ttl(&self) -> i64 {
        if self.max_lease_ttl > 0 {
            self.max_lease_ttl
        } else {
            SYSTEM_MAX_TTL
        }
    }
}

/// Loads the auth mount table (sorted by path).
pub fn load_auth(storage: &dyn Storage) -> Result<Vec<MountEntry>> {
    Ok(storage
        .get_as::<Vec<MountEntry>>(AUTH_TABLE)?
        .unwrap_or_default())
}

pub fn save_auth(storage: &dyn Storage, table: &[MountEntry]) -> Result<()> {
    let mut t = table.to_vec();
    t.sort_by(|a, b| a.path.cmp(&b.path));
    storage.put_as(AUTH_TABLE, &t).map_err(Error::from)
}

/// The auth mount whose path is the longest prefix of `rest` (a path below `auth/`).
pub fn match_auth<'a>(table: &'a [MountEntry], rest: &str) -> Option<&'a MountEntry> {
    table
        .iter()
        .filter(|m| rest.starts_with(&m.path) || format!("{rest}/") == m.path)
        .max_by_key(|m| m.path.len())
}

/// Normalises a user-given mount path: no leading slash, one trailing slash.
pub fn normalize_path(p: &str) -> String {
    let t = p.trim_matches('/');
    format!("{t}/")
}

// ---------------------------------------------------------------- secret engine mounts

/// Storage key of the secret engine mount table (Vault's `core/mounts`).
pub const SECRET_TABLE: &str = "core/mounts";

/// Mount types that are part of the core and can be neither mounted nor unmounted by hand.
pub const BUILTIN_SECRET_TYPES: [&str; 3] = ["cubbyhole", "identity", "system"];

impl MountEntry {
    /// A secret engine mount (`kv/`, `cubbyhole/`, ...): accessor `<type>_<8 hex>`.
    pub fn new_secret(path: &str, kind: &str, description: &str) -> Self {
        let mut m = MountEntry::new(path, kind, description);
        m.accessor = format!("{kind}_{:08x}", rand::random::<u32>());
        m
    }

    /// Storage prefix of a secret engine's data (Vault's barrier view `logical/<uuid>/`).
    pub fn logical_prefix(&self) -> String {
        format!("logical/{}/", self.uuid)
    }

    /// The KV version of a `kv` mount (`options.version`, "1" when absent).
    pub fn kv_version(&self) -> u8 {
        match self.options.get("version").and_then(Value::as_str) {
            Some("2") => 2,
            _ => 1,
        }
    }
}

/// The mounts `vault server -dev` has besides `secret/`: `cubbyhole/`, `identity/`, `sys/`.
fn default_secret_mounts() -> Vec<MountEntry> {
    let mut cubbyhole = MountEntry::new_secret(
        "cubbyhole/",
        "cubbyhole",
        "per-token private secret storage",
    );
    cubbyhole.local = true;
    let identity = MountEntry::new_secret("identity/", "identity", "identity store");
    let mut sys = MountEntry::new_secret(
        "sys/",
        "system",
        "system endpoints used for control, policy and debugging",
    );
    sys.seal_wrap = true;
    vec![cubbyhole, identity, sys]
}

/// Loads the secret engine mount table (sorted by path). A data directory created before
/// secret engines existed gets the built-in mounts on first use (see [`ensure_secret_table`]).
pub fn load_secret(storage: &dyn Storage) -> Result<Vec<MountEntry>> {
    Ok(storage
        .get_as::<Vec<MountEntry>>(SECRET_TABLE)?
        .unwrap_or_default())
}

pub fn save_secret(storage: &dyn Storage, table: &[MountEntry]) -> Result<()> {
    let mut t = table.to_vec();
    t.sort_by(|a, b| a.path.cmp(&b.path));
    storage.put_as(SECRET_TABLE, &t).map_err(Error::from)
}

/// The secret mount table of a new data directory, `vault server -dev`'s: the built-in mounts
/// and `secret/`, a KV version 2 engine.
pub fn dev_secret_mounts() -> Vec<MountEntry> {
    let mut table = default_secret_mounts();
    let mut secret = MountEntry::new_secret("secret/", "kv", "key/value secret storage");
    secret.options.insert("version".into(), Value::from("2"));
    table.push(secret);
    table
}

/// Creates the secret mount table with the built-in mounts if there is none yet (a data
/// directory initialised before secret engines existed; a new one starts with
/// [`dev_secret_mounts`]).
pub fn ensure_secret_table(storage: &dyn Storage) -> Result<()> {
    if storage.get(SECRET_TABLE)?.is_none() {
        save_secret(storage, &default_secret_mounts())?;
    }
    Ok(())
}

/// The secret mount whose path is the longest prefix of `path`.
pub fn match_secret<'a>(table: &'a [MountEntry], path: &str) -> Option<&'a MountEntry> {
    table
        .iter()
        .filter(|m| path.starts_with(&m.path) || format!("{path}/") == m.path)
        .max_by_key(|m| m.path.len())
}
