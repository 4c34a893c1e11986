//! File storage: one JSON document per key under a root directory, as Vault's `file` backend.
//! Key `a/b/c` lives in `<root>/a/b/_c.json`. The whole storage is held under an advisory lock
//! on `<root>/.lock` for the lifetime of the value (exclusive for writers, shared for readers),
//! so concurrent processes serialize.
//!
//! # Writes: a journal, then the files
//!
//! Every write is a batch ([`Storage::apply`]; `put` and `delete` are batches of one):
//!
//! 1. the batch is appended as one record to the journal `<root>/.journal` and the journal is
//!    `fdatasync`ed: from here the batch is durable, and it is acknowledged only after this;
//! 2. each state file is replaced by writing a temp file in `<root>/.tmp/` and renaming it
//!    over the target (deletes unlink), without an fsync: a reader sees the old document or
//!    the new one, never a torn one;
//! 3. the journal header's `applied` offset is moved past the record (no fsync).
//!
//! So a batch costs one fsync instead of two per file (a login's token, accessor and mount
//! index, entity and alias indexes: one record). See `journal.rs` for the format.
//!
//! **Recovery** (at every exclusive open; a shared open that finds work to do takes the lock
//! exclusively for it). Only the lock holder writes, so anything unfinished was left by a
//! killed writer:
//! - same boot (the header's boot id is the running kernel's): the page cache still holds
//!   every write made so far, so only the records past `applied` (at most one: a writer killed
//!   between steps 1 and 3) are replayed;
//! - another boot (power loss, kernel crash): state files written without fsync may have lost
//!   their last writes or be torn, so every record still in the journal is replayed, in order.
//!
//! Replaying writes each key's value from the record regardless of what the file holds, so it
//! is idempotent and repairs torn files. A record that does not check (a torn tail: the append
//! never completed, so it was never acknowledged) is cut off. The replayed records are then
//! fdatasynced (the killed writer may have died before its own fdatasync).
//!
//! **When records leave the journal** (checkpoint): a record may be dropped only once the
//! files it wrote are durable themselves. When the journal grows past [`CHECKPOINT_BYTES`]
//! (and after replaying records of another boot), the writer fsyncs every state file named by
//! the journal's records and every directory from their parents up to the root, then
//! truncates the journal to its header and fsyncs it. Until then the records stay, however
//! long: they are what makes the un-fsynced files recoverable. Checkpoints are rare (one per
//! 256 KiB of records: about 250 logins of a known user, 100 of new ones), and by then the
//! kernel has usually written those files back already, so their fsyncs are cheap. On disk,
//! between a power loss and the next open, a state file named by the journal may be torn;
//! the next open replays it before anything reads it. (The journal itself is created once,
//! with its header; the first append also fsyncs the root directory.)
//!
//! Temp files of killed writers in `.tmp/` are removed at open. A state file that does not
//! parse is reported with its path and is never overwritten: a batch that would replace it is
//! refused whole (replay is the one exception: it writes what the journal says the file is).
//!
//! Reads are cached for the lifetime of the value: nobody else can write while the lock is
//! held, and this value's own writes drop the keys they touch from the cache.
//!
//! **Fault injection** (debug builds only, for `tests/crash_login.rs`): with
//! `VAULTJWT_TEST_CRASH_AFTER=k` in the environment, the process kills itself with SIGKILL at
//! the k-th step of a write or a recovery (appending the first or second half of a record,
//! fdatasync, each temp file, rename, unlink, header update, checkpoint step; counted from 1).
//! Release builds compile the hook to nothing.

use super::journal::{self, Header, RawOp, HEADER_LEN};
use super::{check_key, Op, Result, Storage, StorageError};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub struct FileStorage {
    root: PathBuf,
    lock: File,
    exclusive: bool,
    /// Documents read (`None`: no such file), valid while the lock is held.
    cache: RefCell<HashMap<String, Option<Value>>>,
    /// The open journal, once there is one.
    journal: RefCell<Option<Journal>>,
    /// `.tmp/` is known to exist.
    tmp_ready: std::cell::Cell<bool>,
    /// The lock is released for a while ([`Storage::unlock`]): no writes.
    unlocked: std::cell::Cell<bool>,
}

struct Journal {
    file: File,
    /// Offset of the end of the last complete record.
    end: u64,
    boot: String,
    /// Created by this process: the root directory must be synced with the first append.
    new: bool,
}

const SUFFIX: &str = ".json";
/// Folder of in-flight temp files, below the root.
const TMP_DIR: &str = ".tmp";

/// `PID-RANDOM` in `tmp_dir`.
fn fresh_temp_name(tmp_dir: &Path) -> PathBuf {
    tmp_dir.join(format!("{}-{}", std::process::id(), rand::random::<u64>()))
}
/// The journal, below the root.
const JOURNAL: &str = ".journal";
/// Journal size past which a writer checkpoints (see the module documentation).
pub const CHECKPOINT_BYTES: u64 = 256 * 1024;

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

/// The fault-injection hook (see the module documentation): a no-op in release builds.
#[cfg(debug_assertions)]
fn step() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    static DONE: AtomicU64 = AtomicU64::new(0);
    let limit = LIMIT.get_or_init(|| {
        std::env::var("VAULTJWT_TEST_CRASH_AFTER")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if let Some(limit) = *limit {
        if DONE.fetch_add(1, Ordering::SeqCst) + 1 >= limit {
            // SAFETY: plain system calls; SIGKILL cannot be caught, so this never returns.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            std::process::abort();
        }
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
fn step() {}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl FileStorage {
    /// Opens (creating if needed) the storage rooted at `root`, and takes the lock: exclusive
    /// when `exclusive`, shared otherwise. Blocks until the lock is granted. Recovers what a
    /// killed writer left (see the module documentation).
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
        let lock_err = |e: std::io::Error| {
            err(format!(
                "cannot lock {}: {}",
                lock_path.display(),
                io_text(&e)
            ))
        };
        if exclusive {
            lock.lock().map_err(lock_err)?;
        } else {
            lock.lock_shared().map_err(lock_err)?;
        }
        let mut s = FileStorage {
            root: root.to_path_buf(),
            lock,
            exclusive,
            cache: RefCell::new(HashMap::new()),
            journal: RefCell::new(None),
            tmp_ready: std::cell::Cell::new(false),
            unlocked: std::cell::Cell::new(false),
        };
        if exclusive {
            s.clean_tmp()?;
            s.recover()?;
        } else if s.needs_recovery()? {
            // Recovery writes: take the lock exclusively for it (flock converts the shared
            // lock), then share it again.
            s.lock.lock().map_err(lock_err)?;
            s.exclusive = true;
            s.clean_tmp()?;
            s.recover()?;
            s.exclusive = false;
            *s.journal.borrow_mut() = None;
            s.lock.lock_shared().map_err(lock_err)?;
        }
        Ok(s)
    }

    fn journal_path(&self) -> PathBuf {
        self.root.join(JOURNAL)
    }

    /// The journal's header; `None` for a journal whose creation never completed (shorter
    /// than a header, or a header of zeros): nothing in it was ever acknowledged, since the
    /// first append syncs the header before it returns.
    fn read_header(&self, file: &File) -> Result<Option<Header>> {
        let mut h = [0u8; HEADER_LEN as usize];
        if file.read_exact_at(&mut h, 0).is_err() || h.iter().all(|&b| b == 0) {
            return Ok(None);
        }
        Header::decode(&h).map(Some).ok_or_else(|| {
            err(format!(
                "journal {} is corrupt (bad header); it was left as it is",
                self.journal_path().display()
            ))
        })
    }

    /// Whether the journal holds records a writer must replay.
    fn needs_recovery(&self) -> Result<bool> {
        let file = match File::open(self.journal_path()) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(self.journal_err(&e)),
        };
        let Some(h) = self.read_header(&file)? else {
            return Ok(true);
        };
        let len = file.metadata().map_err(|e| self.journal_err(&e))?.len();
        let boot = journal::boot_id();
        Ok(if !boot.is_empty() && h.boot == boot {
            h.applied < len
        } else {
            len > HEADER_LEN
        })
    }

    fn journal_err(&self, e: &std::io::Error) -> StorageError {
        err(format!(
            "cannot use journal {}: {}",
            self.journal_path().display(),
            io_text(e)
        ))
    }

    /// Replays what a killed writer left in the journal (see the module documentation).
    fn recover(&self) -> Result<()> {
        let path = self.journal_path();
        let file = match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(self.journal_err(&e)),
        };
        let Some(h) = self.read_header(&file)? else {
            // Never used: start afresh.
            drop(file);
            let j = self.create_journal().map_err(|e| self.journal_err(&e))?;
            *self.journal.borrow_mut() = Some(j);
            return Ok(());
        };
        let len = file.metadata().map_err(|e| self.journal_err(&e))?.len();
        let boot = journal::boot_id();
        let same_boot = !boot.is_empty() && h.boot == boot;
        let start = if same_boot {
            h.applied.clamp(HEADER_LEN, len)
        } else {
            HEADER_LEN
        };
        if same_boot && start == len {
            *self.journal.borrow_mut() = Some(Journal {
                file,
                end: len,
                boot,
                new: false,
            });
            return Ok(());
        }
        let mut bytes = vec![0u8; (len - start) as usize];
        file.read_exact_at(&mut bytes, start)
            .map_err(|e| self.journal_err(&e))?;
        let (records, used) = journal::decode(&bytes);
        for ops in &records {
            for op in ops {
                self.write_op(op).map_err(|e| self.op_err(op, &e))?;
            }
        }
        let end = start + used as u64;
        let io = || -> std::io::Result<()> {
            if end < len {
                // A torn append: never acknowledged, never applied.
                file.set_len(end)?;
                step();
            }
            if !records.is_empty() {
                file.sync_data()?;
                step();
            }
            file.write_all_at(
                &Header {
                    applied: end,
                    boot: boot.clone(),
                }
                .encode(),
                0,
            )?;
            step();
            Ok(())
        };
        io().map_err(|e| self.journal_err(&e))?;
        *self.journal.borrow_mut() = Some(Journal {
            file,
            end,
            boot,
            new: false,
        });
        if !same_boot && end > HEADER_LEN {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Makes the files named by the journal durable, then empties the journal.
    fn checkpoint(&self) -> Result<()> {
        let mut guard = self.journal.borrow_mut();
        let Some(j) = guard.as_mut() else {
            return Ok(());
        };
        let mut bytes = vec![0u8; (j.end - HEADER_LEN) as usize];
        j.file
            .read_exact_at(&mut bytes, HEADER_LEN)
            .map_err(|e| self.journal_err(&e))?;
        let mut files = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        let (records, _) = journal::decode(&bytes);
        for op in records.iter().flatten() {
            let p = self.file_path(&op.key);
            let mut d = p.parent().map(Path::to_path_buf);
            while let Some(dir) = d {
                if !dirs.insert(dir.clone()) || dir == self.root {
                    break;
                }
                d = dir.parent().map(Path::to_path_buf);
            }
            files.insert(p);
        }
        dirs.insert(self.root.clone());
        let sync = |p: &Path| -> Result<()> {
            match File::open(p).and_then(|f| f.sync_all()) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(err(format!("cannot sync {}: {}", p.display(), io_text(&e)))),
            }
            step();
            Ok(())
        };
        for f in &files {
            sync(f)?;
        }
        // Deepest first; a folder removed since is skipped, its parent records the removal.
        for d in dirs.iter().rev() {
            sync(d)?;
        }
        let io = || -> std::io::Result<()> {
            j.file.set_len(HEADER_LEN)?;
            step();
            j.file.write_all_at(
                &Header {
                    applied: HEADER_LEN,
                    boot: j.boot.clone(),
                }
                .encode(),
                0,
            )?;
            j.file.sync_all()?;
            step();
            Ok(())
        };
        io().map_err(|e| self.journal_err(&e))?;
        j.end = HEADER_LEN;
        Ok(())
    }

    /// Creates an empty journal (header only). Not synced here: the first append syncs it
    /// and the root directory before anything is acknowledged, and a journal whose header
    /// never reached the disk held nothing acknowledged (see [`Self::open_journal`]).
    fn create_journal(&self) -> std::io::Result<Journal> {
        let boot = journal::boot_id();
        let path = self.journal_path();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all_at(
            &Header {
                applied: HEADER_LEN,
                boot: boot.clone(),
            }
            .encode(),
            0,
        )?;
        step();
        Ok(Journal {
            file,
            end: HEADER_LEN,
            boot,
            new: true,
        })
    }

    /// A fresh temp file name in `.tmp/` (the folder is created if needed).
    fn temp_path(&self) -> std::io::Result<PathBuf> {
        let tmp_dir = self.root.join(TMP_DIR);
        if !self.tmp_ready.get() {
            create_dir_0700(&tmp_dir)?;
            self.tmp_ready.set(true);
        }
        Ok(fresh_temp_name(&tmp_dir))
    }

    /// A fresh temp file name in the `.tmp/` of the storage at `root` (created if needed), for
    /// a file written beside the storage under its lock (the token helper): a writer killed
    /// before its rename leaves it where the next [`FileStorage::open`] removes it.
    pub fn temp_path_in(root: &Path) -> std::io::Result<PathBuf> {
        let tmp_dir = root.join(TMP_DIR);
        create_dir_0700(&tmp_dir)?;
        Ok(fresh_temp_name(&tmp_dir))
    }

    /// Applies one write to its state file (step 2): temp file + rename, or unlink.
    fn write_op(&self, op: &RawOp) -> std::io::Result<()> {
        let path = self.file_path(&op.key);
        match &op.doc {
            Some(bytes) => {
                let tmp = self.temp_path()?;
                let write = || -> std::io::Result<()> {
                    let mut f = OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(0o600)
                        .open(&tmp)?;
                    f.write_all(bytes)?;
                    drop(f);
                    step();
                    // The target's folder is created when the rename says it is missing.
                    match fs::rename(&tmp, &path) {
                        Err(e) if e.kind() == ErrorKind::NotFound => {
                            if let Some(dir) = path.parent() {
                                create_dir_0700(dir)?;
                            }
                            fs::rename(&tmp, &path)?;
                        }
                        other => other?,
                    }
                    step();
                    Ok(())
                };
                write().inspect_err(|_| {
                    let _ = fs::remove_file(&tmp);
                })
            }
            None => {
                match fs::remove_file(&path) {
                    Ok(()) => step(),
                    Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
                    Err(e) => return Err(e),
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
        }
    }

    fn op_err(&self, op: &RawOp, e: &std::io::Error) -> StorageError {
        let path = self.file_path(&op.key);
        let what = if op.doc.is_some() { "write" } else { "delete" };
        err(format!(
            "cannot {what} state file {}: {}",
            path.display(),
            io_text(e)
        ))
    }

    /// Refuses to replace a state file that does not parse: it may be the only copy of
    /// something a person wants to recover.
    fn check_replaceable(&self, key: &str) -> Result<()> {
        if self.cache.borrow().contains_key(key) {
            return Ok(()); // read (and parsed) or known absent
        }
        let path = self.file_path(key);
        match fs::read(&path) {
            Ok(old) => parse(&path, &old).map(|_| ()),
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => Ok(()),
            Err(e) => Err(err(format!(
                "cannot read state file {}: {}",
                path.display(),
                io_text(&e)
            ))),
        }
    }

    /// Removes the temp files of writers that were killed (only called under the exclusive
    /// lock, when no writer can be running).
    fn clean_tmp(&self) -> Result<()> {
        let dir = self.root.join(TMP_DIR);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => {
                self.tmp_ready.set(true);
                e
            }
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

    /// Size in bytes of the journal's records not yet checkpointed (for tests and benches).
    pub fn journal_backlog(&self) -> u64 {
        self.journal
            .borrow()
            .as_ref()
            .map_or(0, |j| j.end - HEADER_LEN)
    }

    /// Checkpoints now (see the module documentation); for tests and benches.
    pub fn flush_journal(&self) -> Result<()> {
        self.checkpoint()
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
        if let Some(v) = self.cache.borrow().get(key) {
            return Ok(v.clone());
        }
        let path = self.file_path(key);
        let v = match fs::read(&path) {
            Ok(b) => Some(parse(&path, &b)?),
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => {
                return Err(err(format!(
                    "cannot read state file {}: {}",
                    path.display(),
                    io_text(&e)
                )))
            }
        };
        self.cache.borrow_mut().insert(key.to_string(), v.clone());
        Ok(v)
    }

    fn put(&self, key: &str, value: &Value) -> Result<()> {
        self.apply(&[Op::Put(key.to_string(), value.clone())])
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.apply(&[Op::Delete(key.to_string())])
    }

    fn apply(&self, ops: &[Op]) -> Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        if !self.exclusive {
            return Err(err(format!(
                "cannot write to {}: opened for reading only",
                self.root.display()
            )));
        }
        if self.unlocked.get() {
            return Err(err(format!(
                "cannot write to {}: its lock is released",
                self.root.display()
            )));
        }
        let mut raw = Vec::with_capacity(ops.len());
        for op in ops {
            check_key(op.key())?;
            let doc = match op {
                Op::Put(k, v) => {
                    self.check_replaceable(k)?;
                    Some(
                        serde_json::to_vec(v)
                            .map_err(|e| err(format!("cannot encode {k}: {e}")))?,
                    )
                }
                Op::Delete(_) => None,
            };
            raw.push(RawOp {
                key: op.key().to_string(),
                doc,
            });
        }
        let record = journal::encode(&raw).ok_or_else(|| err("cannot write a batch over 4 GiB"))?;
        // 1. The record, durably.
        {
            let mut guard = self.journal.borrow_mut();
            if guard.is_none() {
                *guard = Some(self.create_journal().map_err(|e| self.journal_err(&e))?);
            }
            let Some(j) = guard.as_mut() else {
                return Err(err("journal unavailable"));
            };
            // Debug builds append in two halves, so the fault hook can tear a record.
            let half = if cfg!(debug_assertions) {
                record.len() / 2
            } else {
                record.len()
            };
            let append = || -> std::io::Result<()> {
                j.file.write_all_at(&record[..half], j.end)?;
                step();
                if half < record.len() {
                    j.file.write_all_at(&record[half..], j.end + half as u64)?;
                    step();
                }
                j.file.sync_data()?;
                step();
                if j.new {
                    sync_dir(&self.root)?;
                    step();
                }
                Ok(())
            };
            if let Err(e) = append() {
                // Leave no partial record behind a failed append.
                let _ = j.file.set_len(j.end);
                return Err(self.journal_err(&e));
            }
            j.end += record.len() as u64;
            j.new = false;
        }
        // 2. The state files.
        {
            let mut cache = self.cache.borrow_mut();
            for op in ops {
                cache.remove(op.key());
            }
        }
        for op in &raw {
            // On failure the record stays unapplied; the next open replays it.
            self.write_op(op).map_err(|e| self.op_err(op, &e))?;
        }
        // 3. Mark it applied.
        let end = {
            let guard = self.journal.borrow();
            let Some(j) = guard.as_ref() else {
                return Ok(());
            };
            j.file
                .write_all_at(&j.end.to_le_bytes(), 8)
                .map_err(|e| self.journal_err(&e))?;
            step();
            j.end
        };
        if end - HEADER_LEN > CHECKPOINT_BYTES {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Only a writer releases its lock (a reader's shared lock holds up no reader).
    fn unlock(&self) -> Result<()> {
        if !self.exclusive || self.unlocked.get() {
            return Ok(());
        }
        self.lock.unlock().map_err(|e| {
            err(format!(
                "cannot unlock {}: {}",
                self.root.join(".lock").display(),
                io_text(&e)
            ))
        })?;
        self.unlocked.set(true);
        self.cache.borrow_mut().clear();
        Ok(())
    }

    fn relock(&self) -> Result<()> {
        if !self.unlocked.get() {
            return Ok(());
        }
        self.lock.lock().map_err(|e| {
            err(format!(
                "cannot lock {}: {}",
                self.root.join(".lock").display(),
                io_text(&e)
            ))
        })?;
        self.unlocked.set(false);
        // Others may have written, checkpointed or died mid-write meanwhile: as an open.
        self.cache.borrow_mut().clear();
        *self.journal.borrow_mut() = None;
        self.tmp_ready.set(false);
        self.clean_tmp()?;
        self.recover()
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
    fn unlock_lets_another_writer_in_and_relock_sees_its_writes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let s = FileStorage::open(&root, true).unwrap();
        s.put("k", &serde_json::json!(1)).unwrap();
        assert_eq!(s.get("k").unwrap(), Some(serde_json::json!(1)));
        s.unlock().unwrap();
        // No writes without the lock.
        assert!(s.put("x", &serde_json::json!(0)).is_err());
        {
            // Another writer gets the lock at once, and writes.
            let other = FileStorage::open(&root, true).unwrap();
            other.put("k", &serde_json::json!(2)).unwrap();
        }
        s.relock().unwrap();
        // What was read before is forgotten; writes go on the journal as they should.
        assert_eq!(s.get("k").unwrap(), Some(serde_json::json!(2)));
        s.put("k", &serde_json::json!(3)).unwrap();
        drop(s);
        let again = FileStorage::open(&root, true).unwrap();
        assert_eq!(again.get("k").unwrap(), Some(serde_json::json!(3)));
    }

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

    use serde_json::json;

    fn put(k: &str, v: Value) -> Op {
        Op::Put(k.into(), v)
    }

    /// Appends a record of `ops` to the journal without applying it, as a writer killed
    /// between its fdatasync and its renames leaves it.
    fn append_unapplied(root: &Path, ops: &[Op]) {
        let raw: Vec<RawOp> = ops
            .iter()
            .map(|op| RawOp {
                key: op.key().into(),
                doc: match op {
                    Op::Put(_, v) => Some(serde_json::to_vec(v).unwrap()),
                    Op::Delete(_) => None,
                },
            })
            .collect();
        let rec = journal::encode(&raw).unwrap();
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .open(root.join(JOURNAL))
            .unwrap();
        let len = f.metadata().unwrap().len();
        f.write_all_at(&rec, len).unwrap();
    }

    fn set_header(root: &Path, applied: Option<u64>, boot: Option<&str>) {
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .open(root.join(JOURNAL))
            .unwrap();
        let mut h = [0u8; 64];
        f.read_exact_at(&mut h, 0).unwrap();
        let mut h = Header::decode(&h).unwrap();
        if let Some(a) = applied {
            h.applied = a;
        }
        if let Some(b) = boot {
            h.boot = b.into();
        }
        f.write_all_at(&h.encode(), 0).unwrap();
    }

    fn journal_len(root: &Path) -> u64 {
        fs::metadata(root.join(JOURNAL)).unwrap().len()
    }

    #[test]
    fn a_batch_is_refused_whole_when_one_write_is_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let s = FileStorage::open(&root, true).unwrap();
        s.put("keep", &json!(1)).unwrap();
        fs::create_dir_all(root.join("bad")).unwrap();
        fs::write(root.join("bad/_x.json"), b"{torn").unwrap();
        let before = journal_len(&root);
        // A corrupt target, then a bad key: nothing of either batch is written or journaled.
        let e = s
            .apply(&[put("a", json!(1)), put("bad/x", json!(2))])
            .unwrap_err();
        assert!(e.to_string().contains("corrupt"), "{e}");
        assert!(s
            .apply(&[put("a", json!(1)), put("../x", json!(2))])
            .is_err());
        assert_eq!(s.get("a").unwrap(), None);
        assert_eq!(journal_len(&root), before);
        assert_eq!(fs::read(root.join("bad/_x.json")).unwrap(), b"{torn");
    }

    #[test]
    fn a_batch_cut_after_its_journal_record_is_completed_at_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("t/old", &json!("gone soon")).unwrap();
            // A file where the second key's folder must go makes the batch fail half-applied.
            fs::write(root.join("u"), b"in the way").unwrap();
            let e = s
                .apply(&[
                    put("t/a", json!(1)),
                    put("u/b", json!(2)),
                    Op::Delete("t/old".into()),
                ])
                .unwrap_err();
            assert!(e.to_string().contains("_b.json"), "{e}");
            assert_eq!(s.get("t/a").unwrap(), Some(json!(1)));
            assert_eq!(s.get("t/old").unwrap(), Some(json!("gone soon")));
        }
        fs::remove_file(root.join("u")).unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("t/a").unwrap(), Some(json!(1)));
        assert_eq!(s.get("u/b").unwrap(), Some(json!(2)));
        assert_eq!(s.get("t/old").unwrap(), None);
        assert_eq!(s.list("t/").unwrap(), vec!["a"]);
    }

    #[test]
    fn a_leftover_record_is_replayed_once_and_replay_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("x/del", &json!(0)).unwrap();
            s.put("x/over", &json!("old")).unwrap();
        }
        let ops = [
            put("x/new", json!({"n": 1})),
            put("x/over", json!("new")),
            Op::Delete("x/del".into()),
        ];
        append_unapplied(&root, &ops);
        let len = journal_len(&root);
        for round in 0..3 {
            let s = FileStorage::open(&root, true).unwrap();
            assert_eq!(s.get("x/new").unwrap(), Some(json!({"n": 1})), "{round}");
            assert_eq!(s.get("x/over").unwrap(), Some(json!("new")), "{round}");
            assert_eq!(s.get("x/del").unwrap(), None, "{round}");
            assert_eq!(journal_len(&root), len);
            drop(s);
            // Pretend the replay itself was cut before it was marked applied.
            set_header(&root, Some(HEADER_LEN), None);
        }
        // A later write is not undone by a replay of an earlier record.
        let s = FileStorage::open(&root, true).unwrap();
        s.put("x/over", &json!("later")).unwrap();
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("x/over").unwrap(), Some(json!("later")));
    }

    #[test]
    fn a_torn_append_is_cut_off_and_never_applied() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("k", &json!(1)).unwrap();
        }
        let len = journal_len(&root);
        append_unapplied(&root, &[put("k", json!(2)), put("j", json!(3))]);
        let full = journal_len(&root);
        let f = OpenOptions::new()
            .write(true)
            .open(root.join(JOURNAL))
            .unwrap();
        f.set_len(full - 3).unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("k").unwrap(), Some(json!(1)));
        assert_eq!(s.get("j").unwrap(), None);
        assert_eq!(journal_len(&root), len);
        s.put("j", &json!(4)).unwrap();
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("j").unwrap(), Some(json!(4)));
    }

    #[test]
    fn after_a_reboot_every_record_is_replayed_and_checkpointed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("a/one", &json!(1)).unwrap();
            s.put("a/two", &json!(2)).unwrap();
            s.delete("a/one").unwrap();
            assert!(s.journal_backlog() > 0);
        }
        // A power loss: the renames of un-checkpointed writes were lost or the files torn.
        fs::write(root.join("a/_two.json"), b"").unwrap();
        fs::write(root.join("a/_one.json"), b"1").unwrap();
        set_header(&root, None, Some("another-boot"));
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("a/two").unwrap(), Some(json!(2)));
        assert_eq!(s.get("a/one").unwrap(), None);
        assert_eq!(s.journal_backlog(), 0);
        assert_eq!(journal_len(&root), HEADER_LEN);
    }

    #[test]
    fn the_journal_is_checkpointed_when_it_grows() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let s = FileStorage::open(&root, true).unwrap();
        let pad = "x".repeat(16 * 1024);
        let mut max = 0;
        for i in 0..40 {
            s.put(&format!("p/k{i}"), &json!({"i": i, "pad": pad}))
                .unwrap();
            max = max.max(s.journal_backlog());
        }
        assert!(max > CHECKPOINT_BYTES / 2, "{max}");
        assert!(s.journal_backlog() <= CHECKPOINT_BYTES);
        assert!(journal_len(&root) < 40 * 16 * 1024);
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.list("p/").unwrap().len(), 40);
        assert_eq!(s.get("p/k39").unwrap().unwrap()["i"], 39);
    }

    #[test]
    fn a_shared_open_completes_a_leftover_record() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        FileStorage::open(&root, true)
            .unwrap()
            .put("k", &json!(1))
            .unwrap();
        append_unapplied(&root, &[put("k", json!(2))]);
        let s = FileStorage::open(&root, false).unwrap();
        assert_eq!(s.get("k").unwrap(), Some(json!(2)));
        assert!(
            s.put("k", &json!(3)).is_err(),
            "a shared holder cannot write"
        );
    }

    #[test]
    fn a_journal_whose_creation_was_cut_is_started_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join(JOURNAL), [0u8; 100]).unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        s.put("k", &json!(1)).unwrap();
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("k").unwrap(), Some(json!(1)));
        drop(s);
        fs::write(
            root.join(JOURNAL),
            b"not a journal, but someone's file....................................",
        )
        .unwrap();
        let e = FileStorage::open(&root, true).err().unwrap().to_string();
        assert!(e.contains(".journal") && e.contains("corrupt"), "{e}");
    }
}
