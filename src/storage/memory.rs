use super::{check_key, Op, Result, Storage};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// In-memory storage for unit tests.
#[derive(Default)]
pub struct MemoryStorage {
    map: RefCell<BTreeMap<String, Value>>,
}

impl Storage for MemoryStorage {
    fn get(&self, key: &str) -> Result<Option<Value>> {
        Ok(self.map.borrow().get(key).cloned())
    }
    fn put(&self, key: &str, value: &Value) -> Result<()> {
        check_key(key)?;
        self.map.borrow_mut().insert(key.to_string(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }
    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let map = self.map.borrow();
        let mut out: Vec<String> = Vec::new();
        // Keys are sorted: those under `prefix` form one range (no scan of the whole map).
        let under = map
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(prefix));
        for k in under {
            let rest = &k[prefix.len()..];
            let child = match rest.find('/') {
                Some(i) => rest[..=i].to_string(),
                None => rest.to_string(),
            };
            if out.last() != Some(&child) {
                out.push(child);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
    /// All or nothing: every key is checked before anything changes.
    fn apply(&self, ops: &[Op]) -> Result<()> {
        for op in ops {
            check_key(op.key())?;
        }
        let mut map = self.map.borrow_mut();
        for op in ops {
            match op {
                Op::Put(k, v) => map.insert(k.clone(), v.clone()),
                Op::Delete(k) => map.remove(k),
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn contract() {
        super::super::tests::contract(&super::MemoryStorage::default());
    }
}
