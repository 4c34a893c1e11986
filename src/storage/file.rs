//! File storage: one JSON document per key under a root directory, as Vault's `file` backend.
//! Key `a/b/c` lives in `<root>/a/b/_c.json`. Writes go to a temp file that is fsynced, renamed
//! over the target and followed by an fsync of the directory, so a reader (or a crash) sees the
//! old document or the new one, never a torn one. The whole storage is held under an advisory
//! lock on `<root>/.lock` for the lifetime of the value, so concurrent processes serialize.
//!
//! Temp files live in `<root>/.tmp/` (same filesystem, so the rename is atomic). Only the
//! lock holder writes, so whatever is in `.tmp/` when the lock is granted was left by a
//! killed writer: it is removed at open. A state file that does not parse is reported with
//! its path and is never overwritten: `put` refuses to replace it.

use super::{check_key, Result, Storage, StorageError};
use serde_json::Value;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub struct FileStorage {
    root: PathBuf,
    _lock: File,
}

const SUFFIX: &str = ".json";
/// Folder of in-flight temp files, below the root.
const TMP_DIR: &str = ".tmp";

fn err(what: impl std::fmt::Display) -> StorageError {
    StorageError(format!("{}{what}", super::ERROR_PREFIX))
}

/// An I/O error without Rust's ` (os error N)` suffix, lower-case as Go prints it.
fn io_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or("").to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// Creates `dir` and its parents with mode 0700.
pub(crate) fn create_dir_0700(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

impl FileStorage {
    /// Opens (creating if needed) the storage rooted at `root`, and takes the lock: exclusive
    /// when `exclusive`, shared otherwise. Blocks until the lock is granted.
    pub fn open(root: &Path, exclusive: bool) -> Result<Self> {
        create_dir_0700(root).map_err(|e| {
            err(format!(
                "cannot create data directory {}: {}",
                root.display(),
                io_text(&e)
            ))
        })?;
        let lock_path = root.join(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .mode(0o600)
            .open(&lock_path)
            .map_err(|e| match e.kind() {
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => err(format!(
                    "data directory {} is not writable: {}",
                    root.display(),
                    io_text(&e)
                )),
                _ => err(format!(
                    "cannot open lock file {}: {}",
                    lock_path.display(),
                    io_text(&e)
                )),
            })?;
        let locked = if exclusive {
            lock.lock()
        } else {
            lock.lock_shared()
        };
        locked.map_err(|e| {
            err(format!(
                "cannot lock {}: {}",
                lock_path.display(),
                io_text(&e)
            ))
        })?;
        let s = FileStorage {
            root: root.to_path_buf(),
            _lock: lock,
        };
        if exclusive {
            s.clean_tmp()?;
        }
        Ok(s)
    }

    /// Removes the temp files of writers that were killed (only called under the exclusive
    /// lock, when no writer can be running).
    fn clean_tmp(&self) -> Result<()> {
        let dir = self.root.join(TMP_DIR);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(err(format!(
                    "cannot list {}: {}",
                    dir.display(),
                    io_text(&e)
                )))
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if let Err(e) = fs::remove_file(&p) {
                if e.kind() != ErrorKind::NotFound {
                    return Err(err(format!(
                        "cannot remove stale temp file {}: {}",
                        p.display(),
                        io_text(&e)
                    )));
                }
            }
        }
        Ok(())
    }

    /// Number of stale temp files (for tests and diagnostics).
    pub fn stale_temp_files(&self) -> usize {
        fs::read_dir(self.root.join(TMP_DIR))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    fn file_path(&self, key: &str) -> PathBuf {
        let (dir, name) = match key.rfind('/') {
            Some(i) => (&key[..i], &key[i + 1..]),
            None => ("", key),
        };
        let mut p = self.root.clone();
        if !dir.is_empty() {
            p.push(dir);
        }
        p.push(format!("_{name}{SUFFIX}"));
        p
    }
}

impl Storage for FileStorage {
    fn get(&self, key: &str) -> Result<Option<Value>> {
        check_key(key)?;
        let path = self.file_path(key);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(err(format!(
                    "cannot read state file {}: {}",
                    path.display(),
                    io_text(&e)
                )))
            }
        };
        parse(&path, &bytes).map(Some)
    }

    fn put(&self, key: &str, value: &Value) -> Result<()> {
        check_key(key)?;
        let path = self.file_path(key);
        let dir = path
            .parent()
            .ok_or_else(|| err(format!("invalid storage key {key:?}")))?;
        // Never replace a state file that does not parse: it may be the only copy of
        // something a person wants to recover.
        match fs::read(&path) {
            Ok(old) => {
                parse(&path, &old)?;
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => {
                return Err(err(format!(
                    "cannot read state file {}: {}",
                    path.display(),
                    io_text(&e)
                )))
            }
        }
        create_dir_0700(dir).map_err(|e| {
            err(format!(
                "cannot create directory {}: {}",
                dir.display(),
                io_text(&e)
            ))
        })?;
        let bytes =
            serde_json::to_vec(value).map_err(|e| err(format!("cannot encode {key}: {e}")))?;
        let tmp_dir = self.root.join(TMP_DIR);
        create_dir_0700(&tmp_dir).map_err(|e| {
            err(format!(
                "cannot create directory {}: {}",
                tmp_dir.display(),
                io_text(&e)
            ))
        })?;
        let tmp = tmp_dir.join(format!("{}-{}", std::process::id(), rand::random::<u64>()));
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &path)?;
            File::open(dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            err(format!(
                "cannot write state file {}: {}",
                path.display(),
                io_text(&e)
            ))
        })
    }

    fn delete(&self, key: &str) -> Result<()> {
        check_key(key)?;
        let path = self.file_path(key);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(err(format!(
                    "cannot delete state file {}: {}",
                    path.display(),
                    io_text(&e)
                )))
            }
        }
        // Remove now-empty parent folders, as Vault's file backend does.
        let mut dir = path.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if d == self.root || fs::remove_dir(&d).is_err() {
                break;
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        Ok(())
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let dir = if prefix.is_empty() {
            self.root.clone()
        } else {
            check_key(prefix.trim_end_matches('/'))?;
            self.root.join(prefix.trim_end_matches('/'))
        };
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(err(format!(
                    "cannot list {}: {}",
                    dir.display(),
                    io_text(&e)
                )))
            }
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| err(format!("cannot list {}: {e}", dir.display())))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                // Bookkeeping: the lock, temp files.
                continue;
            }
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir {
                out.push(format!("{name}/"));
            } else if let Some(n) = name.strip_prefix('_').and_then(|n| n.strip_suffix(SUFFIX)) {
                out.push(n.to_string());
            }
        }
        out.sort();
        Ok(out)
    }
}

/// Parses a state file; an error names the file and says it was left alone.
fn parse(path: &Path, bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|e| {
        err(format!(
            "state file {} is corrupt ({e}); it was left as it is",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn contract() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(&dir.path().join("data"), true).unwrap();
        super::super::tests::contract(&s);
    }

    #[test]
    fn files_are_private_and_corruption_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let s = FileStorage::open(&root, true).unwrap();
        s.put("core/x", &serde_json::json!({"a": 1})).unwrap();
        let f = root.join("core/_x.json");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            fs::metadata(&root).unwrap().permissions().mode() & 0o777,
            0o700
        );
        fs::write(&f, b"{\"a\":").unwrap();
        let e = s.get("core/x").unwrap_err().to_string();
        assert!(e.contains("_x.json") && e.contains("corrupt"), "{e}");
        assert_eq!(fs::read(&f).unwrap(), b"{\"a\":");
        // A write does not replace it either.
        let e = s
            .put("core/x", &serde_json::json!(1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("_x.json") && e.contains("corrupt"), "{e}");
        assert_eq!(fs::read(&f).unwrap(), b"{\"a\":");
    }

    #[test]
    fn stale_temp_files_are_ignored_and_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("a", &serde_json::json!(1)).unwrap();
            assert_eq!(s.stale_temp_files(), 0);
        }
        fs::write(root.join(".tmp/123-456"), b"{\"torn").unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.stale_temp_files(), 0);
        assert_eq!(s.list("").unwrap(), vec!["a"]);
        assert_eq!(s.get("a").unwrap(), Some(serde_json::json!(1)));
    }
}
