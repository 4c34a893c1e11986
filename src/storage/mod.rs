//! Storage: a small key/value trait holding one JSON document per key, like Vault's physical
//! layer. Keys are `/`-separated paths (`core/auth`, `auth/<uuid>/role/dev`).

mod batch;
mod dir;
mod file;
mod journal;
mod memory;

pub use batch::Batch;
pub use dir::{io_text, Dir};
pub use file::{write_beside, FileStorage, STORAGE_DIR};
pub use memory::MemoryStorage;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// A storage failure: names the key or file it concerns, ready to print as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The local storage itself failed (a state file, the journal, the lock): the CLI prints
    /// it as a local error, one line, exit 1. Shown as `local storage: <detail>`.
    #[error("local storage: {0}")]
    Local(String),
    /// A stored document or key that a request cannot use (a state entry that does not
    /// decode, an invalid key): answered as an internal error of the request (500).
    #[error("{0}")]
    Invalid(String),
}

impl StorageError {
    /// What went wrong, without the `local storage: ` of a local failure.
    pub fn detail(&self) -> &str {
        match self {
            StorageError::Local(d) | StorageError::Invalid(d) => d,
        }
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

pub trait Storage {
    fn get(&self, key: &str) -> Result<Option<Value>>;
    fn put(&self, key: &str, value: &Value) -> Result<()>;
    fn delete(&self, key: &str) -> Result<()>;
    /// Vault's list semantics: the immediate children of `prefix` (which ends with `/` or is
    /// empty), sorted; sub-folders end with `/`.
    fn list(&self, prefix: &str) -> Result<Vec<String>>;
    /// Applies `ops` in order as one unit. The default applies them one by one (a failure or
    /// crash part-way leaves the earlier ones applied); [`FileStorage`] and [`MemoryStorage`]
    /// apply them all or none, also across a crash.
    fn apply(&self, ops: &[Op]) -> Result<()> {
        for op in ops {
            match op {
                Op::Put(k, v) => self.put(k, v)?,
                Op::Delete(k) => self.delete(k)?,
            }
        }
        Ok(())
    }
    /// Releases the storage's lock for a wait that must not hold up other processes (a
    /// network fetch). Until [`Storage::relock`], reads see whatever other processes have
    /// written (a document at a time) and writes are refused. A no-op by default.
    fn unlock(&self) -> Result<()> {
        Ok(())
    }
    /// Takes the lock back after [`Storage::unlock`]: forgets what was read before and
    /// recovers what a writer killed in the meantime left, as an open does.
    fn relock(&self) -> Result<()> {
        Ok(())
    }
}

/// One write of a batch given to [`Storage::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Put(String, Value),
    Delete(String),
}

impl Op {
    pub fn key(&self) -> &str {
        match self {
            Op::Put(k, _) | Op::Delete(k) => k,
        }
    }
}

/// Typed helpers over any [`Storage`].
pub trait StorageExt: Storage {
    fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        match self.get(key)? {
            None => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(|e| {
                StorageError::Invalid(format!("state entry {key:?} is not valid: {e}"))
            }),
        }
    }
    fn put_as<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let v = serde_json::to_value(value)
            .map_err(|e| StorageError::Invalid(format!("cannot encode {key:?}: {e}")))?;
        self.put(key, &v)
    }
    /// Deletes every key below `prefix` (recursively).
    fn delete_prefix(&self, prefix: &str) -> Result<()> {
        for child in self.list(prefix)? {
            let key = format!("{prefix}{child}");
            if child.ends_with('/') {
                self.delete_prefix(&key)?;
            } else {
                self.delete(&key)?;
            }
        }
        Ok(())
    }
}

impl<S: Storage + ?Sized> StorageExt for S {}

/// A view of a storage below a prefix, as Vault gives each mount (`auth/<uuid>/`).
pub struct View<'a> {
    inner: &'a dyn Storage,
    prefix: String,
}

impl<'a> View<'a> {
    pub fn new(inner: &'a dyn Storage, prefix: impl Into<String>) -> Self {
        View {
            inner,
            prefix: prefix.into(),
        }
    }

    /// The whole storage the view is a part of.
    pub fn root(&self) -> &'a dyn Storage {
        self.inner
    }
}

impl Storage for View<'_> {
    fn get(&self, key: &str) -> Result<Option<Value>> {
        self.inner.get(&format!("{}{key}", self.prefix))
    }
    fn put(&self, key: &str, value: &Value) -> Result<()> {
        self.inner.put(&format!("{}{key}", self.prefix), value)
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.inner.delete(&format!("{}{key}", self.prefix))
    }
    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        self.inner.list(&format!("{}{prefix}", self.prefix))
    }
    fn apply(&self, ops: &[Op]) -> Result<()> {
        let ops: Vec<Op> = ops
            .iter()
            .map(|op| match op {
                Op::Put(k, v) => Op::Put(format!("{}{k}", self.prefix), v.clone()),
                Op::Delete(k) => Op::Delete(format!("{}{k}", self.prefix)),
            })
            .collect();
        self.inner.apply(&ops)
    }
    fn unlock(&self) -> Result<()> {
        self.inner.unlock()
    }
    fn relock(&self) -> Result<()> {
        self.inner.relock()
    }
}

/// Rejects keys that could escape the storage root or collide with its bookkeeping.
pub(crate) fn check_key(key: &str) -> Result<()> {
    let bad = key.is_empty()
        || key.starts_with('/')
        || key.ends_with('/')
        || key
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || key.contains('\0');
    if bad {
        return Err(StorageError::Invalid(format!(
            "invalid storage key {key:?}"
        )));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// The contract every backend must meet.
    pub(crate) fn contract(s: &dyn Storage) {
        assert_eq!(s.get("a/b").unwrap(), None);
        s.put("a/b", &json!({"x": 1})).unwrap();
        s.put("a/c/d", &json!("v")).unwrap();
        s.put("top", &json!(true)).unwrap();
        assert_eq!(s.get("a/b").unwrap(), Some(json!({"x": 1})));
        assert_eq!(s.list("a/").unwrap(), vec!["b", "c/"]);
        assert_eq!(s.list("").unwrap(), vec!["a/", "top"]);
        s.put("a/b", &json!(2)).unwrap();
        assert_eq!(s.get("a/b").unwrap(), Some(json!(2)));
        s.delete("a/b").unwrap();
        s.delete("a/b").unwrap();
        assert_eq!(s.get("a/b").unwrap(), None);
        s.delete_prefix("a/").unwrap();
        assert_eq!(s.list("a/").unwrap(), Vec::<String>::new());
        assert!(s.put("../x", &json!(1)).is_err());
        assert!(s.put("a//b", &json!(1)).is_err());
    }

    #[test]
    fn view_prefixes_keys() {
        let m = MemoryStorage::default();
        let v = View::new(&m, "auth/123/");
        v.put("role/r", &json!(1)).unwrap();
        assert_eq!(m.get("auth/123/role/r").unwrap(), Some(json!(1)));
        assert_eq!(v.list("role/").unwrap(), vec!["r"]);
    }
}
