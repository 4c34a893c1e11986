//! The token store: tokens are kept only as salted hashes (HMAC-SHA256 with a random salt kept
//! in storage); the plaintext exists only in what is printed to its holder.
//!
//! Storage layout (all below `sys/token/`):
//! - `salt`: the random salt;
//! - `id/<hash(token)>`: the [`TokenEntry`];
//! - `accessor/<hash(accessor)>`: the token's hash, to find a token by accessor;
//! - `parent/<hash(parent)>/<hash(child)>`: children index, to revoke a token's children;
//! - `mount/<mount accessor>/<hash(token)>`: the tokens an auth mount issued (`auth disable`).
//!
//! Nothing on the lookup path lists keys: a lookup reads the entry and its ancestors' entries.
//! Expiry is enforced when a token is read: an expired token (or one whose ancestor expired)
//! is revoked then and reported missing. A token's last use (`num_uses`) leaves it at -1 for
//! the rest of that request; the next read revokes it.

pub mod backend;
pub mod ttl;

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
    /// Unix time of the last renewal; 0 = never renewed.
    #[serde(default)]
    pub last_renewal_time: i64,
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
    let mut mac = Hmac::<Sha256>::new_from_slice(&salt(storage)?)
        .map_err(|e| Error::internal(format!("cannot key the token hash: {e}")))?;
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

/// Storage key of a token entry.
fn id_key(h: &str) -> String {
    format!("sys/token/id/{h}")
}

/// Storage key of the index of the tokens an auth mount issued.
fn mount_key(mount_accessor: &str, h: &str) -> String {
    format!("sys/token/mount/{mount_accessor}/{h}")
}

/// Whether a mount accessor can be used as one storage key segment.
fn usable_segment(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && !s.contains('/') && !s.contains('\0')
}

/// Creates and stores a token; returns its plaintext and entry. The entry and its indexes
/// reach the storage as one batch (one atomic, durable write on the file storage).
pub fn create(storage: &dyn Storage, new: NewToken, now: i64) -> Result<(String, TokenEntry)> {
    let tx = crate::storage::Batch::new(storage);
    let out = create_in(&tx, new, now)?;
    tx.commit()?;
    Ok(out)
}

fn create_in(storage: &dyn Storage, new: NewToken, now: i64) -> Result<(String, TokenEntry)> {
    let batch = new.token_type == "batch";
    let prefix = if batch { "b." } else { "s." };
    let token = format!("{prefix}{}", random_string(24));
    // Vault's batch tokens have no accessor.
    let accessor = if batch {
        String::new()
    } else {
        random_string(24)
    };
    let h = hash(storage, &token)?;
    let entry = TokenEntry {
        hash: h.clone(),
        accessor: accessor.clone(),
        policies: new.policies,
        meta: new.meta,
        display_name: new.display_name,
        // A batch token carries only the fields of Vault's encoded batch entry (parent,
        // policies, path, meta, display name, times, entity, type, internal data, CIDRs): no
        // use count, explicit max TTL or period, which its TTL already accounts for.
        num_uses: if batch { 0 } else { new.num_uses },
        creation_time: now,
        ttl: new.ttl,
        creation_ttl: new.ttl,
        expire_time: if new.ttl > 0 {
            now.saturating_add(new.ttl)
        } else {
            0
        },
        issue_time: now,
        explicit_max_ttl: if batch { 0 } else { new.explicit_max_ttl },
        period: if batch { 0 } else { new.period },
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
        renewable: new.renewable && !batch,
        mount_accessor: new.mount_accessor,
        last_renewal_time: 0,
    };
    storage.put_as(&id_key(&h), &entry)?;
    if !accessor.is_empty() {
        storage.put(
            &format!("sys/token/accessor/{}", hash(storage, &accessor)?),
            &Value::String(h.clone()),
        )?;
    }
    if let Some(p) = &new.parent {
        storage.put(&format!("sys/token/parent/{p}/{h}"), &Value::Bool(true))?;
    }
    if usable_segment(&entry.mount_accessor) {
        storage.put(&mount_key(&entry.mount_accessor, &h), &Value::Bool(true))?;
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

/// Stores an updated entry (same hash).
pub fn save(storage: &dyn Storage, entry: &TokenEntry) -> Result<()> {
    storage.put_as(&id_key(&entry.hash), entry)?;
    Ok(())
}

/// Whether a stored entry can no longer be used: expired, or its last use already spent
/// (Vault revokes such a token at the end of the request that used it up).
fn is_dead(e: &TokenEntry, now: i64) -> bool {
    (e.expire_time > 0 && e.expire_time <= now) || e.num_uses < 0
}

/// Finds a live token by its salted hash. A dead token is revoked and reported missing, and
/// so is a token one of whose ancestors has expired (Vault revokes the children of an expired
/// token with it; expiry here is enforced when a token is next used).
pub fn lookup_by_hash(storage: &dyn Storage, h: &str, now: i64) -> Result<Option<TokenEntry>> {
    let Some(entry) = storage.get_as::<TokenEntry>(&id_key(h))? else {
        return Ok(None);
    };
    if is_dead(&entry, now) {
        revoke(storage, &entry)?;
        return Ok(None);
    }
    let mut parent = entry.parent.clone();
    let mut depth = 0;
    while !parent.is_empty() && depth < 1024 {
        match storage.get_as::<TokenEntry>(&id_key(&parent))? {
            Some(p) if is_dead(&p, now) => {
                revoke(storage, &p)?;
                // The subtree is gone; make sure this token went with it.
                revoke(storage, &entry)?;
                return Ok(None);
            }
            Some(p) => parent = p.parent,
            None => {
                // The parent was revoked without its children: they are revoked too.
                revoke(storage, &entry)?;
                return Ok(None);
            }
        }
        depth += 1;
    }
    Ok(Some(entry))
}

/// Finds a live token by its plaintext. An expired token is revoked and reported missing.
pub fn lookup(storage: &dyn Storage, token: &str, now: i64) -> Result<Option<TokenEntry>> {
    if token.is_empty() {
        return Ok(None);
    }
    let h = hash(storage, token)?;
    lookup_by_hash(storage, &h, now)
}

/// Finds a live token by its accessor.
pub fn lookup_by_accessor(
    storage: &dyn Storage,
    accessor: &str,
    now: i64,
) -> Result<Option<TokenEntry>> {
    if accessor.is_empty() {
        return Ok(None);
    }
    let key = format!("sys/token/accessor/{}", hash(storage, accessor)?);
    match storage.get(&key)? {
        Some(Value::String(h)) => lookup_by_hash(storage, &h, now),
        _ => Ok(None),
    }
}

/// The accessors of every live token (`list auth/token/accessors`), in the order of their
/// salted hashes as Vault lists its accessor index. Batch tokens have none.
pub fn list_accessors(storage: &dyn Storage, now: i64) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for key in storage.list("sys/token/accessor/")? {
        if key.ends_with('/') {
            continue;
        }
        let Some(Value::String(h)) = storage.get(&format!("sys/token/accessor/{key}"))? else {
            continue;
        };
        if let Some(entry) = lookup_by_hash(storage, &h, now)? {
            if !entry.accessor.is_empty() {
                out.push(entry.accessor);
            }
        }
    }
    Ok(out)
}

/// Looks a token up for a request and counts one use of it (`num_uses`), as Vault does: the
/// last use leaves the token at -1 for the rest of the request, after which it is gone.
pub fn use_token(storage: &dyn Storage, token: &str, now: i64) -> Result<Option<TokenEntry>> {
    let Some(mut e) = lookup(storage, token, now)? else {
        return Ok(None);
    };
    if e.num_uses > 0 {
        e.num_uses = if e.num_uses == 1 { -1 } else { e.num_uses - 1 };
        save(storage, &e)?;
    }
    Ok(Some(e))
}

/// Removes one token's own records (entry, accessor, parent and mount indexes).
///
/// The entry goes before its indexes: a crash in between leaves dangling index entries,
/// which every reader skips, never a live token that its parent's or its mount's index no
/// longer lists (and that revoking the parent or disabling the mount would then miss).
fn remove_entry(storage: &dyn Storage, entry: &TokenEntry) -> Result<()> {
    // The token's cubbyhole goes with it (`secrets::cubbyhole` keys it by accessor).
    if usable_segment(&entry.accessor) {
        storage.delete_prefix(&format!("cubbyhole/{}/", entry.accessor))?;
    }
    storage.delete(&id_key(&entry.hash))?;
    if !entry.accessor.is_empty() {
        storage.delete(&format!(
            "sys/token/accessor/{}",
            hash(storage, &entry.accessor)?
        ))?;
    }
    if !entry.parent.is_empty() {
        storage.delete(&format!("sys/token/parent/{}/{}", entry.parent, entry.hash))?;
    }
    if usable_segment(&entry.mount_accessor) {
        storage.delete(&mount_key(&entry.mount_accessor, &entry.hash))?;
    }
    Ok(())
}

/// Revokes a token and, recursively, its children.
pub fn revoke(storage: &dyn Storage, entry: &TokenEntry) -> Result<()> {
    // Iterative walk: a deep chain of children cannot overflow the stack.
    let mut pending = vec![entry.clone()];
    let mut order = Vec::new();
    while let Some(e) = pending.pop() {
        for child in storage.list(&format!("sys/token/parent/{}/", e.hash))? {
            if child.ends_with('/') {
                continue;
            }
            match storage.get_as::<TokenEntry>(&id_key(&child))? {
                Some(c) => pending.push(c),
                None => storage.delete(&format!("sys/token/parent/{}/{child}", e.hash))?,
            }
        }
        order.push(e);
    }
    // Children first, then the parent, so an interruption never leaves orphans behind a
    // revoked parent.
    for e in order.iter().rev() {
        remove_entry(storage, e)?;
    }
    crate::sys::leases::token_revoked(storage)
}

/// Revokes a token and makes its children orphans (`revoke-orphan`, `-mode=orphan`).
pub fn revoke_orphan(storage: &dyn Storage, entry: &TokenEntry) -> Result<()> {
    for child in storage.list(&format!("sys/token/parent/{}/", entry.hash))? {
        if child.ends_with('/') {
            continue;
        }
        if let Some(mut c) = storage.get_as::<TokenEntry>(&id_key(&child))? {
            c.parent.clear();
            c.orphan = true;
            save(storage, &c)?;
        }
        storage.delete(&format!("sys/token/parent/{}/{child}", entry.hash))?;
    }
    remove_entry(storage, entry)?;
    crate::sys::leases::token_revoked(storage)
}

/// Vault's error for a token that does not exist or has expired.
pub fn bad_token() -> Error {
    Error::new(403, "permission denied")
}

/// Revokes every token issued by the auth mount with this accessor (on `auth disable`).
pub fn revoke_by_mount(storage: &dyn Storage, mount_accessor: &str) -> Result<()> {
    if !usable_segment(mount_accessor) {
        return Ok(());
    }
    let prefix = format!("sys/token/mount/{mount_accessor}/");
    for h in storage.list(&prefix)? {
        if h.ends_with('/') {
            continue;
        }
        if let Some(e) = storage.get_as::<TokenEntry>(&id_key(&h))? {
            revoke(storage, &e)?;
        }
        storage.delete(&format!("{prefix}{h}"))?;
    }
    Ok(())
}

/// parseutil's `ParseDurationSecond` on a text (with its overflow error).
pub use crate::framework::go::parse_duration_second as parse_duration;

/// A `TypeDurationSecond` value (the `increment` of a renewal).
pub fn duration_value(v: &Value) -> std::result::Result<i64, String> {
    crate::core::fields::duration_seconds(v, false)
}

/// Vault's `policyutil.SanitizePolicies`: trimmed, lower-cased, empty names dropped, `root`
/// alone if present, `default` added on request, sorted and de-duplicated.
pub fn sanitize_policies(policies: &[String], add_default: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut default_found = false;
    for p in policies {
        let p = p.trim().to_lowercase();
        if p.is_empty() {
            continue;
        }
        if p == "root" {
            out = vec!["root".into()];
            default_found = true;
            break;
        }
        if p == "default" {
            default_found = true;
        }
        out.push(p);
    }
    if add_default && (out.is_empty() || !default_found) {
        out.push("default".into());
    }
    out.sort();
    out.dedup();
    out
}

/// A Unix time as Go's `time.Time` JSON (RFC 3339, local zone).
pub fn rfc3339(t: i64) -> Value {
    use chrono::TimeZone;
    match chrono::Local.timestamp_opt(t, 0).single() {
        Some(d) => Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        None => Value::Null,
    }
}

/// The data of a token lookup, in Vault's shape. `id` is the plaintext (empty for lookups by
/// accessor); `identity_policies` are the entity's, when it has any.
pub fn lookup_data(
    entry: &TokenEntry,
    id: &str,
    identity_policies: &[String],
    now: i64,
) -> Map<String, Value> {
    let mut d = Map::new();
    d.insert("accessor".into(), Value::from(entry.accessor.clone()));
    d.insert("creation_time".into(), Value::from(entry.creation_time));
    d.insert("creation_ttl".into(), Value::from(entry.creation_ttl));
    d.insert(
        "display_name".into(),
        Value::from(entry.display_name.clone()),
    );
    d.insert("entity_id".into(), Value::from(entry.entity_id.clone()));
    d.insert("expire_time".into(), Value::Null);
    d.insert(
        "explicit_max_ttl".into(),
        Value::from(entry.explicit_max_ttl),
    );
    d.insert("id".into(), Value::from(id.to_string()));
    d.insert(
        "meta".into(),
        if entry.meta.is_empty() {
            Value::Null
        } else {
            serde_json::to_value(&entry.meta).unwrap_or(Value::Null)
        },
    );
    d.insert("num_uses".into(), Value::from(entry.num_uses));
    d.insert("orphan".into(), Value::Bool(entry.parent.is_empty()));
    d.insert("path".into(), Value::from(entry.path.clone()));
    d.insert(
        "policies".into(),
        Value::from(
            entry
                .policies
                .iter()
                .map(|p| Value::from(p.clone()))
                .collect::<Vec<_>>(),
        ),
    );
    d.insert("ttl".into(), Value::from(0));
    d.insert("type".into(), Value::from(entry.token_type.clone()));
    if entry.period != 0 {
        d.insert("period".into(), Value::from(entry.period));
    }
    if !entry.bound_cidrs.is_empty() {
        d.insert(
            "bound_cidrs".into(),
            serde_json::to_value(&entry.bound_cidrs).unwrap_or(Value::Null),
        );
    }
    if entry.last_renewal_time > 0 {
        d.insert(
            "last_renewal_time".into(),
            Value::from(entry.last_renewal_time),
        );
        d.insert("last_renewal".into(), rfc3339(entry.last_renewal_time));
    }
    // Every token has lease times in OpenBao, the root token included (renewable: false).
    if entry.expire_time > 0 {
        d.insert("expire_time".into(), rfc3339(entry.expire_time));
        d.insert(
            "ttl".into(),
            Value::from(entry.expire_time.saturating_sub(now).max(0)),
        );
    }
    d.insert(
        "renewable".into(),
        Value::Bool(entry.renewable && entry.expire_time > 0 && entry.token_type != "batch"),
    );
    d.insert("issue_time".into(), rfc3339(entry.issue_time));
    if !entry.entity_id.is_empty() && !identity_policies.is_empty() {
        d.insert(
            "identity_policies".into(),
            serde_json::to_value(identity_policies).unwrap_or(Value::Null),
        );
        d.insert(
            "external_namespace_policies".into(),
            Value::Object(Map::new()),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;

    fn svc(ttl: i64, parent: Option<String>) -> NewToken {
        NewToken {
            policies: vec!["default".into()],
            ttl,
            parent,
            token_type: "service".into(),
            path: "auth/token/create".into(),
            renewable: true,
            ..Default::default()
        }
    }

    #[test]
    fn create_then_lookup_by_token_and_accessor() {
        let s = MemoryStorage::default();
        let (tok, e) = create(&s, svc(60, None), 1000).unwrap();
        assert!(tok.starts_with("s."));
        let got = lookup(&s, &tok, 1001).unwrap().unwrap();
        assert_eq!(got, e);
        assert_eq!(got.expire_time, 1060);
        let by_acc = lookup_by_accessor(&s, &e.accessor, 1001).unwrap().unwrap();
        assert_eq!(by_acc.hash, e.hash);
        assert!(lookup(&s, "s.nope", 1001).unwrap().is_none());
        assert!(lookup(&s, "", 1001).unwrap().is_none());
        assert!(lookup_by_accessor(&s, "nope", 1001).unwrap().is_none());
    }

    #[test]
    fn no_plaintext_in_storage() {
        let s = MemoryStorage::default();
        let (tok, e) = create(&s, svc(60, None), 1000).unwrap();
        for prefix in ["sys/token/id/", "sys/token/accessor/"] {
            for k in s.list(prefix).unwrap() {
                assert!(!k.contains(&tok) && !k.contains(&e.accessor));
                let v = s.get(&format!("{prefix}{k}")).unwrap().unwrap().to_string();
                assert!(!v.contains(&tok));
            }
        }
    }

    #[test]
    fn expired_token_is_gone() {
        let s = MemoryStorage::default();
        let (tok, e) = create(&s, svc(60, None), 1000).unwrap();
        assert!(lookup(&s, &tok, 1059).unwrap().is_some());
        assert!(lookup(&s, &tok, 1060).unwrap().is_none());
        // And it was removed, accessor index included.
        assert!(s.get(&id_key(&e.hash)).unwrap().is_none());
        assert!(lookup_by_accessor(&s, &e.accessor, 0).unwrap().is_none());
    }

    #[test]
    fn root_token_never_expires() {
        let s = MemoryStorage::default();
        let (tok, e) = create_root(&s, 1000).unwrap();
        assert_eq!(e.expire_time, 0);
        assert!(lookup(&s, &tok, i64::MAX / 2).unwrap().is_some());
    }

    #[test]
    fn num_uses_count_down_then_denied() {
        let s = MemoryStorage::default();
        let mut n = svc(0, None);
        n.num_uses = 2;
        let (tok, _) = create(&s, n, 1000).unwrap();
        assert_eq!(lookup(&s, &tok, 1000).unwrap().unwrap().num_uses, 2);
        assert_eq!(use_token(&s, &tok, 1000).unwrap().unwrap().num_uses, 1);
        assert_eq!(use_token(&s, &tok, 1000).unwrap().unwrap().num_uses, -1);
        assert!(use_token(&s, &tok, 1000).unwrap().is_none());
        assert!(lookup(&s, &tok, 1000).unwrap().is_none());
    }

    #[test]
    fn unlimited_token_is_not_counted() {
        let s = MemoryStorage::default();
        let (tok, _) = create(&s, svc(0, None), 1000).unwrap();
        for _ in 0..3 {
            assert_eq!(use_token(&s, &tok, 1000).unwrap().unwrap().num_uses, 0);
        }
    }

    #[test]
    fn revoking_parent_revokes_children_recursively() {
        let s = MemoryStorage::default();
        let (p, pe) = create(&s, svc(0, None), 1000).unwrap();
        let (c, ce) = create(&s, svc(0, Some(pe.hash.clone())), 1000).unwrap();
        let (g, _) = create(&s, svc(0, Some(ce.hash.clone())), 1000).unwrap();
        let (other, _) = create(&s, svc(0, None), 1000).unwrap();
        revoke(&s, &pe).unwrap();
        for t in [&p, &c, &g] {
            assert!(lookup(&s, t, 1000).unwrap().is_none(), "{t} survived");
        }
        assert!(lookup(&s, &other, 1000).unwrap().is_some());
        assert!(s.list("sys/token/parent/").unwrap().is_empty());
    }

    #[test]
    fn children_die_with_an_expired_parent() {
        let s = MemoryStorage::default();
        let (_, pe) = create(&s, svc(60, None), 1000).unwrap();
        let (c, ce) = create(&s, svc(600, Some(pe.hash.clone())), 1000).unwrap();
        let (g, _) = create(&s, svc(600, Some(ce.hash.clone())), 1000).unwrap();
        assert!(lookup(&s, &g, 1030).unwrap().is_some());
        assert!(lookup(&s, &g, 1100).unwrap().is_none());
        assert!(lookup(&s, &c, 1100).unwrap().is_none());
        assert!(s.list("sys/token/id/").unwrap().is_empty());
    }

    #[test]
    fn revoke_orphan_keeps_children_as_orphans() {
        let s = MemoryStorage::default();
        let (p, pe) = create(&s, svc(0, None), 1000).unwrap();
        let (c, ce) = create(&s, svc(0, Some(pe.hash.clone())), 1000).unwrap();
        assert!(!ce.orphan);
        revoke_orphan(&s, &pe).unwrap();
        assert!(lookup(&s, &p, 1000).unwrap().is_none());
        let child = lookup(&s, &c, 1000).unwrap().unwrap();
        assert!(child.orphan);
        assert!(child.parent.is_empty());
    }

    #[test]
    fn revoke_by_mount_only_touches_that_mount() {
        let s = MemoryStorage::default();
        let mut a = svc(0, None);
        a.mount_accessor = "auth_jwt_1".into();
        let mut b = svc(0, None);
        b.mount_accessor = "auth_jwt_2".into();
        let (ta, _) = create(&s, a, 1000).unwrap();
        let (tb, _) = create(&s, b, 1000).unwrap();
        revoke_by_mount(&s, "auth_jwt_1").unwrap();
        assert!(lookup(&s, &ta, 1000).unwrap().is_none());
        assert!(lookup(&s, &tb, 1000).unwrap().is_some());
        revoke_by_mount(&s, "../x").unwrap();
    }

    #[test]
    fn batch_tokens_have_no_accessor_and_do_not_renew() {
        let s = MemoryStorage::default();
        let mut n = svc(60, None);
        n.token_type = "batch".into();
        let (tok, e) = create(&s, n, 1000).unwrap();
        assert!(tok.starts_with("b."));
        assert!(e.accessor.is_empty());
        assert!(!e.renewable);
        assert!(s.list("sys/token/accessor/").unwrap().is_empty());
        assert!(lookup(&s, &tok, 1000).unwrap().is_some());
    }

    #[test]
    fn huge_day_counts_are_errors_not_panics() {
        assert!(parse_duration("999999999999999999d").is_err());
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("90m"), Ok(5400));
        assert!(duration_value(&Value::from("999999999999999999d")).is_err());
        assert_eq!(duration_value(&Value::from(60)), Ok(60));
    }

    #[test]
    fn sanitize() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sanitize_policies(&v(&[" B", "a", "", "a"]), true),
            v(&["a", "b", "default"])
        );
        assert_eq!(sanitize_policies(&v(&["x", "Root"]), true), v(&["root"]));
        assert_eq!(sanitize_policies(&v(&[]), false), Vec::<String>::new());
    }

    /// The keys bao 2.7.2 shows for a JWT login token (token-num-uses, token-bound-cidrs).
    #[test]
    fn lookup_keys_of_a_login_token_match_the_recordings() {
        let s = MemoryStorage::default();
        let mut n = svc(2_764_800, None);
        n.path = "auth/jwt/login".into();
        n.meta.insert("role".into(), "r".into());
        n.entity_id = "e1".into();
        n.num_uses = 2;
        n.mount_accessor = "auth_jwt_1234".into();
        let (tok, e) = create(&s, n, 1000).unwrap();
        let d = lookup_data(&e, &tok, &[], 1000);
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "accessor",
                "creation_time",
                "creation_ttl",
                "display_name",
                "entity_id",
                "expire_time",
                "explicit_max_ttl",
                "id",
                "issue_time",
                "meta",
                "num_uses",
                "orphan",
                "path",
                "policies",
                "renewable",
                "ttl",
                "type"
            ]
        );
        assert_eq!(d["meta"], serde_json::json!({"role": "r"}));
        let mut with_cidrs = e.clone();
        with_cidrs.bound_cidrs = vec!["127.0.0.1".into()];
        let d = lookup_data(&with_cidrs, &tok, &["p".into()], 1000);
        assert_eq!(d["bound_cidrs"], serde_json::json!(["127.0.0.1"]));
        assert_eq!(d["identity_policies"], serde_json::json!(["p"]));
    }

    #[test]
    fn lookup_shape() {
        let s = MemoryStorage::default();
        let (tok, e) = create(&s, svc(60, None), 1000).unwrap();
        let d = lookup_data(&e, &tok, &[], 1010);
        assert_eq!(d["ttl"], 50);
        assert_eq!(d["creation_ttl"], 60);
        assert_eq!(d["meta"], Value::Null);
        assert_eq!(d["orphan"], true);
        assert_eq!(d["renewable"], true);
        assert!(d["expire_time"].is_string());
        let (rt, re) = create_root(&s, 1000).unwrap();
        let r = lookup_data(&re, &rt, &[], 1010);
        assert_eq!(r["expire_time"], Value::Null);
        assert_eq!(r["ttl"], 0);
        assert_eq!(r["renewable"], false);
        assert!(r["issue_time"].is_string());
    }
}
