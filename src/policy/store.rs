//! The policy store: one document per policy below `sys/policy/<name>`, holding the raw text
//! and its parsed rules (so evaluation does not re-parse). Names are lower-cased and trimmed;
//! characters outside `[a-z0-9_-]` are percent-encoded in the storage key.
//!
//! `root` is never stored (it grants everything); `default` is Vault's default policy until
//! it is overwritten; `response-wrapping` is fixed.

use super::parse::{self, PathRule};
use crate::core::{Error, Result};
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "sys/policy/";

/// OpenBao's default policy, verbatim.
pub const DEFAULT_POLICY: &str = r#"
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}


# Allow a token to look up its resultant ACL from all policies. This is useful
# for UIs. It is an internal path because the format may change at any time
# based on how the internal ACL features and capabilities change.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body; old path for
# old clients, new path for newer
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties. This requires knowing the lease ID ahead
# of time and does not divulge any sensitive information.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given
# response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token. This is a convenience to
# avoid client token swapping since this is also part of the response wrapping
# policy.
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Allow a token to make requests to the Authorization Endpoint for OIDC providers.
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
"#;

/// The fixed policy of response-wrapping tokens.
pub const RESPONSE_WRAPPING_POLICY: &str = r#"
path "cubbyhole/response" {
    capabilities = ["create", "read"]
}

path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}
"#;

/// Policies that can be neither written nor deleted.
pub const IMMUTABLE: [&str; 2] = ["root", "response-wrapping"];

/// A stored policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPolicy {
    pub name: String,
    pub raw: String,
    #[serde(default)]
    pub paths: Vec<PathRule>,
    #[serde(default)]
    pub templated: bool,
    /// Incremented on each write (Vault's `DataVersion`).
    #[serde(default)]
    pub version: u64,
    /// RFC 3339 time of the last write, as Vault's `modified`.
    #[serde(default)]
    pub modified: String,
    /// Format of `paths`: documents stored before parameter constraints were kept (0) have
    /// their rules re-derived from `raw` when read.
    #[serde(default)]
    pub rules_version: u32,
}

/// The current format of stored rules (1: with parameter constraints and wrapping TTLs).
pub const RULES_VERSION: u32 = 1;

/// Go's zero `time.Time`, as Vault reports it for a policy never written.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Vault's name normalisation: trimmed, lower-cased.
pub fn sanitize(name: &str) -> String {
    name.trim().to_lowercase()
}

fn encode(name: &str) -> String {
    let mut s = String::new();
    for b in name.bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-' {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn decode(key: &str) -> Option<String> {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = key.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn builtin(name: &str, raw: &str) -> Result<StoredPolicy> {
    let parsed = parse::parse(raw).map_err(Error::internal)?;
    Ok(StoredPolicy {
        name: name.to_string(),
        raw: raw.to_string(),
        paths: parsed.paths,
        templated: parsed.templated,
        version: 1,
        modified: ZERO_TIME.to_string(),
        rules_version: RULES_VERSION,
    })
}

/// Reads a policy by name. `root` is returned with empty rules (it is special-cased by the
/// ACL); `default` falls back to the built-in text until overwritten.
pub fn get(storage: &dyn Storage, name: &str) -> Result<Option<StoredPolicy>> {
    let name = sanitize(name);
    if name.is_empty() {
        return Ok(None);
    }
    match name.as_str() {
        "root" => {
            return Ok(Some(StoredPolicy {
                name,
                raw: String::new(),
                paths: Vec::new(),
                templated: false,
                version: 0,
                modified: ZERO_TIME.to_string(),
                rules_version: RULES_VERSION,
            }))
        }
        "response-wrapping" => {
            return builtin("response-wrapping", RESPONSE_WRAPPING_POLICY).map(Some)
        }
        _ => {}
    }
    let stored: Option<StoredPolicy> = storage.get_as(&format!("{PREFIX}{}", encode(&name)))?;
    match stored {
        Some(mut p) => {
            if p.rules_version < RULES_VERSION {
                if let Ok(parsed) = parse::parse(&p.raw) {
                    p.paths = parsed.paths;
                    p.templated = parsed.templated;
                    p.rules_version = RULES_VERSION;
                }
            }
            Ok(Some(p))
        }
        None if name == "default" => builtin("default", DEFAULT_POLICY).map(Some),
        None => Ok(None),
    }
}

/// Parses and stores a policy. Errors are Vault's 400s (parse errors, immutable names).
pub fn put(storage: &dyn Storage, name: &str, raw: &str) -> Result<StoredPolicy> {
    let name = sanitize(name);
    if name.is_empty() {
        return Err(Error::bad_request("policy name missing"));
    }
    if IMMUTABLE.contains(&name.as_str()) {
        return Err(Error::bad_request(format!(
            "cannot update {} policy",
            crate::core::fields::go_quote(&name)
        )));
    }
    let parsed = parse::parse(raw).map_err(Error::bad_request)?;
    let key = format!("{PREFIX}{}", encode(&name));
    let previous: Option<StoredPolicy> = storage.get_as(&key)?;
    let p = StoredPolicy {
        name,
        raw: raw.to_string(),
        paths: parsed.paths,
        templated: parsed.templated,
        version: previous.map(|p| p.version).unwrap_or(0) + 1,
        modified: now_rfc3339(),
        rules_version: RULES_VERSION,
    };
    storage.put_as(&key, &p)?;
    Ok(p)
}

/// Deletes a policy; deleting one that does not exist succeeds.
pub fn delete(storage: &dyn Storage, name: &str) -> Result<()> {
    let name = sanitize(name);
    if IMMUTABLE.contains(&name.as_str()) {
        return Err(Error::bad_request(format!(
            "cannot delete {} policy",
            crate::core::fields::go_quote(&name)
        )));
    }
    if name == "default" {
        return Err(Error::bad_request("cannot delete default policy"));
    }
    if name.is_empty() {
        return Ok(());
    }
    storage.delete(&format!("{PREFIX}{}", encode(&name)))?;
    Ok(())
}

/// The stored policy names (with `default`), sorted; without `root`.
pub fn list(storage: &dyn Storage) -> Result<Vec<String>> {
    let mut names: Vec<String> = storage
        .list(PREFIX)?
        .into_iter()
        .filter(|k| !k.ends_with('/'))
        .filter_map(|k| decode(&k))
        .collect();
    if !names.iter().any(|n| n == "default") {
        names.push("default".into());
    }
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;

    /// A policy stored before parameter constraints were kept gets them from its raw text.
    #[test]
    fn old_documents_are_reparsed() {
        let s = MemoryStorage::default();
        let raw =
            "path \"kv/*\" {\n  capabilities = [\"update\"]\n  required_parameters = [\"a\"]\n}\n";
        s.put(
            "sys/policy/old",
            &serde_json::json!({"name": "old", "raw": raw,
                "paths": [{"path": "kv/*", "capabilities": 8}], "version": 1}),
        )
        .unwrap();
        let p = get(&s, "old").unwrap().unwrap();
        assert_eq!(p.paths[0].required_parameters, vec!["a"]);
        assert_eq!(p.rules_version, RULES_VERSION);
    }

    #[test]
    fn builtins_and_crud() {
        let s = MemoryStorage::default();
        assert_eq!(list(&s).unwrap(), vec!["default"]);
        let d = get(&s, "default").unwrap().unwrap();
        assert_eq!(d.raw, DEFAULT_POLICY);
        assert!(d.templated);
        assert!(get(&s, "nope").unwrap().is_none());

        let p = put(
            &s,
            " My.Policy ",
            "path \"a\" { capabilities = [\"read\"] }",
        )
        .unwrap();
        assert_eq!(p.name, "my.policy");
        assert_eq!(p.version, 1);
        assert_eq!(list(&s).unwrap(), vec!["default", "my.policy"]);
        assert_eq!(get(&s, "MY.POLICY").unwrap().unwrap().raw, p.raw);
        assert_eq!(put(&s, "my.policy", "path \"a\" {}").unwrap().version, 2);

        assert_eq!(
            put(&s, "root", "path \"a\" {}").unwrap_err().message(),
            "cannot update \"root\" policy"
        );
        assert_eq!(
            delete(&s, "root").unwrap_err().message(),
            "cannot delete \"root\" policy"
        );
        assert_eq!(
            delete(&s, "Default").unwrap_err().message(),
            "cannot delete default policy"
        );
        let e = put(&s, "bad", "path \"a\" { capabilities = [\"fly\"] }").unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(
            e.message(),
            "failed to parse policy: path \"a\": path \"a\": invalid capability \"fly\""
        );

        put(&s, "default", "path \"x\" { capabilities = [\"read\"] }").unwrap();
        assert_eq!(get(&s, "default").unwrap().unwrap().paths.len(), 1);
        delete(&s, "my.policy").unwrap();
        delete(&s, "my.policy").unwrap();
        assert_eq!(list(&s).unwrap(), vec!["default"]);
    }

    #[test]
    fn names_round_trip_through_keys() {
        for n in ["a/b", "..", "x%y", "ü", "a b"] {
            assert_eq!(decode(&encode(n)).as_deref(), Some(n));
            assert!(!encode(n).contains('/'));
        }
        let s = MemoryStorage::default();
        put(&s, "a/b", "path \"a\" {}").unwrap();
        assert_eq!(list(&s).unwrap(), vec!["a/b", "default"]);
    }
}
