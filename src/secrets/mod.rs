//! Secret engines mounted in the secret mount table (`sys/mounts`): today the KV engine,
//! versions 1 and 2.

pub mod cubbyhole;
pub mod database;
pub mod kv;

use crate::core::Backend;

/// The backend registered for a secret engine mount, if any.
pub fn backend(m: &crate::core::MountEntry) -> Option<Box<dyn Backend>> {
    match m.kind.as_str() {
        "kv" if m.kv_version() == 2 => Some(Box::new(kv::v2::KvV2)),
        "kv" => Some(Box::new(kv::v1::KvV1)),
        "database" => Some(Box::new(database::DatabaseBackend)),
        _ => None,
    }
}

/// The secret engine types `secrets enable` accepts.
pub const KINDS: &[&str] = &["kv", "database"];
