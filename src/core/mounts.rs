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
