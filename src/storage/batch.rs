//! [`Batch`]: a write buffer over a storage. Puts and deletes are kept in memory (reads see
//! them) and reach the storage only at [`Batch::commit`], as one [`Storage::apply`]: on a
//! [`super::FileStorage`] that is one durable, atomic unit (one journal record), so a login's
//! token, entity, alias and indexes land together or not at all.

use super::{check_key, Op, Result, Storage};
use serde_json::Value;
use std::cell::RefCell;

pub struct Batch<'a> {
    inner: &'a dyn Storage,
    /// Key → new value (`None`: deleted), in the order of each key's last write.
    ops: RefCell<Vec<(String, Option<Value>)>>,
}

impl<'a> Batch<'a> {
    pub fn new(inner: &'a dyn Storage) -> Self {
        Batch {
            inner,
            ops: RefCell::new(Vec::new()),
        }
    }

    /// The buffered writes, one per key, in the order of each key's last write (so a storage
    /// that applies them one by one writes them in the order the caller did).
    pub fn ops(&self) -> Vec<Op> {
        self.ops
            .borrow()
            .iter()
            .map(|(k, v)| match v {
                Some(v) => Op::Put(k.clone(), v.clone()),
                None => Op::Delete(k.clone()),
            })
            .collect()
    }

    fn record(&self, key: &str, value: Option<Value>) {
        let mut ops = self.ops.borrow_mut();
        ops.retain(|(k, _)| k != key);
        ops.push((key.to_string(), value));
    }

    /// Writes the buffered changes to the storage as one unit.
    pub fn commit(self) -> Result<()> {
        let ops = self.ops();
        self.inner.apply(&ops)
    }
}

impl Storage for Batch<'_> {
    fn get(&self, key: &str) -> Result<Option<Value>> {
        if let Some((_, v)) = self.ops.borrow().iter().find(|(k, _)| k == key) {
            return Ok(v.clone());
        }
        self.inner.get(key)
    }

    fn put(&self, key: &str, value: &Value) -> Result<()> {
        check_key(key)?;
        self.record(key, Some(value.clone()));
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        check_key(key)?;
        self.record(key, None);
        Ok(())
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let mut out: Vec<String> = self.inner.list(prefix)?;
        let ops = self.ops.borrow();
        let mut deleted_folders = Vec::new();
        let mut under: Vec<&(String, Option<Value>)> =
            ops.iter().filter(|(k, _)| k.starts_with(prefix)).collect();
        under.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v) in under {
            let rest = &k[prefix.len()..];
            match (rest.find('/'), v) {
                (Some(i), Some(_)) => out.push(rest[..=i].to_string()),
                (None, Some(_)) => out.push(rest.to_string()),
                (None, None) => out.retain(|c| c != rest),
                (Some(i), None) => deleted_folders.push(rest[..=i].to_string()),
            }
        }
        drop(ops);
        out.sort();
        out.dedup();
        // A folder whose keys were all deleted is gone.
        deleted_folders.dedup();
        for f in deleted_folders {
            if out.contains(&f) && self.list(&format!("{prefix}{f}"))?.is_empty() {
                out.retain(|c| c != &f);
            }
        }
        Ok(out)
    }

    fn apply(&self, ops: &[Op]) -> Result<()> {
        for op in ops {
            check_key(op.key())?;
        }
        for op in ops {
            match op {
                Op::Put(k, v) => self.record(k, Some(v.clone())),
                Op::Delete(k) => self.record(k, None),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;
    use serde_json::json;

    #[test]
    fn contract() {
        let m = MemoryStorage::default();
        let b = Batch::new(&m);
        crate::storage::tests::contract(&b);
    }

    #[test]
    fn nothing_reaches_the_storage_before_commit() {
        let m = MemoryStorage::default();
        m.put("a/old", &json!(0)).unwrap();
        m.put("gone/x", &json!(0)).unwrap();
        let b = Batch::new(&m);
        b.put("a/new", &json!(1)).unwrap();
        b.delete("a/old").unwrap();
        b.delete("gone/x").unwrap();
        assert_eq!(b.get("a/new").unwrap(), Some(json!(1)));
        assert_eq!(b.get("a/old").unwrap(), None);
        assert_eq!(b.list("a/").unwrap(), vec!["new"]);
        assert_eq!(b.list("").unwrap(), vec!["a/"]);
        assert_eq!(m.get("a/new").unwrap(), None);
        assert_eq!(m.get("a/old").unwrap(), Some(json!(0)));
        b.commit().unwrap();
        assert_eq!(m.get("a/new").unwrap(), Some(json!(1)));
        assert_eq!(m.get("a/old").unwrap(), None);
        assert_eq!(m.list("").unwrap(), vec!["a/"]);
    }

    #[test]
    fn a_failing_commit_changes_nothing() {
        let m = MemoryStorage::default();
        m.put("k", &json!(0)).unwrap();
        let b = Batch::new(&m);
        b.put("k", &json!(1)).unwrap();
        b.put("z", &json!(2)).unwrap();
        // A bad key is refused when buffered ...
        assert!(b.put("../x", &json!(1)).is_err());
        // ... and by the storage's apply, for the whole batch.
        let mut ops = b.ops();
        ops.push(Op::Put("a//b".into(), json!(3)));
        assert!(m.apply(&ops).is_err());
        assert_eq!(m.get("k").unwrap(), Some(json!(0)));
        assert_eq!(m.get("z").unwrap(), None);
    }
}
