//! File storage: one JSON document per key under a root directory, as Vault's `file` backend.
//! Key `a/b/c` lives in `<root>/a/b/_c.json`. The whole storage is held under an advisory lock
//! on `<root>/.lock` for the lifetime of the value (exclusive for writers, shared for readers),
//! so concurrent processes serialize.
//!
//! # No symbolic links
//!
//! The root is opened once as a directory handle ([`Dir`]) and checked: it must be the
//! caller's and not writable by group or others. Every path below it (`.lock`, `.journal`,
//! `.tmp/` and its files, each folder and state file) is reached relative to that handle
//! without following a symbolic link, and must be what it should be (a directory, a regular
//! file): a link planted there is an error naming it, never followed (see `dir.rs`).
//!
//! # Writes: a journal, then the files
//!
//! Every write is a batch ([`Storage::apply`]; `put` and `delete` are batches of one):
//!
//! 0. everything that needs disk space is done first, invisibly: the folders of the new
//!    documents are created and each document is written to a temp file in `<root>/.tmp/`
//!    (no fsync). A failure here (a full disk) removes the temp files: nothing was applied;
//! 1. the batch is appended as one record to the journal `<root>/.journal` and the journal is
//!    `fdatasync`ed: from here the batch is durable, and it is acknowledged only after this.
//!    A failed append or fdatasync cuts the journal back to its previous length: the batch is
//!    not applied, and is never replayed;
//! 2. each temp file is renamed over its target (deletes unlink): a reader sees the old
//!    document or the new one, never a torn one;
//! 3. the journal header's `applied` offset is moved past the record (no fsync).
//!
//! So an error reported by a write means the write was not applied. Should step 2 still fail
//! (an I/O error), the batch is committed all the same: it stays in the journal, reads of
//! this value see it (below), and the next open completes it.
//!
//! A batch costs one fsync instead of two per file (a login's token, accessor and mount
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
//! **A replay that cannot write** (a full disk) does not make the storage unreadable: the
//! records stay in the journal, unapplied, and this value overlays them on what it reads
//! (pending writes). A later write of this value first tries to complete them and is refused,
//! with the reason, while it cannot; nothing is checkpointed meanwhile.
//!
//! **When records leave the journal** (checkpoint): a record may be dropped only once the
//! files it wrote are durable themselves. When the journal grows past [`CHECKPOINT_BYTES`]
//! (and after replaying records of another boot), the writer fsyncs every state file named by
//! the journal's records and every directory from their parents up to the root, then
//! truncates the journal to its header and fsyncs it. Until then the records stay, however
//! long: they are what makes the un-fsynced files recoverable. Checkpoints are rare (one per
//! 256 KiB of records: about 250 logins of a known user, 100 of new ones), and by then the
//! kernel has usually written those files back already, so their fsyncs are cheap. A
//! checkpoint that fails is tried again later; it never fails the write that triggered it.
//! On disk, between a power loss and the next open, a state file named by the journal may be
//! torn; the next open replays it before anything reads it. (The journal itself is created
//! once, with its header; the first append also fsyncs the root directory.)
//!
//! Temp files of killed writers in `.tmp/` are removed at open. A state file that does not
//! parse is reported with its path and is never overwritten: a batch that would replace it is
//! refused whole (replay is the one exception: it writes what the journal says the file is).
//!
//! Reads are cached for the lifetime of the value: nobody else can write while the lock is
//! held, and this value's own writes drop the keys they touch from the cache.
//!
//! **Fault injection** (debug builds only, for `tests/it/crash_login.rs`): with
//! `VAULTJWT_TEST_CRASH_AFTER=k` in the environment, the process kills itself with SIGKILL at
//! the k-th step of a write or a recovery (each temp file, appending the first or second half
//! of a record, fdatasync, rename, unlink, header update, checkpoint step; counted from 1).
//! Release builds compile the hook to nothing.

use super::dir::{io_text, Dir, Kind};
use super::journal::{self, Header, RawOp, HEADER_LEN};
use super::{check_key, Op, Result, Storage, StorageError};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub struct FileStorage {
    root: Dir,
    lock: File,
    exclusive: bool,
    /// Documents read (`None`: no such file), valid while the lock is held.
    cache: RefCell<HashMap<String, Option<Value>>>,
    /// The open journal, once there is one.
    journal: RefCell<Option<Journal>>,
    /// `.tmp/`, once open.
    tmp: RefCell<Option<Dir>>,
    /// Journaled writes not yet in the state files (see the module documentation).
    pending: RefCell<Pending>,
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

/// Writes the journal holds from `from` on that could not be applied to the state files.
#[derive(Default)]
struct Pending {
    /// Each key's last value in those records (`None`: deleted).
    docs: BTreeMap<String, Option<Value>>,
    from: u64,
}

/// A document written to its temp file, ready to be renamed over its target.
struct Staged {
    dir: Dir,
    name: String,
    tmp: String,
}

const SUFFIX: &str = ".json";
/// Folder of in-flight temp files, below the root.
const TMP_DIR: &str = ".tmp";
/// The storage's folder in a data directory ([`FileStorage::open_in`]).
pub const STORAGE_DIR: &str = "storage";
/// The journal, below the root.
const JOURNAL: &str = ".journal";
/// The lock file, below the root.
const LOCK: &str = ".lock";
/// Journal size past which a writer checkpoints (see the module documentation).
pub const CHECKPOINT_BYTES: u64 = 256 * 1024;

/// `PID-RANDOM`: a fresh temp file name.
fn fresh_temp_name() -> String {
    format!("{}-{}", std::process::id(), rand::random::<u64>())
}

fn err(what: impl std::fmt::Display) -> StorageError {
    StorageError::Local(what.to_string())
}

/// The folders and the file name of `key`'s state file (`a/b/c`: `a`, `b` and `_c.json`).
fn split_key(key: &str) -> (Vec<&str>, String) {
    let (dir, name) = match key.rfind('/') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    };
    let dirs = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    (dirs, format!("_{name}{SUFFIX}"))
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

/// A directory reached from the root: the root itself or one below it.
enum At<'a> {
    Root(&'a Dir),
    Sub(Dir),
}

impl std::ops::Deref for At<'_> {
    type Target = Dir;
    fn deref(&self) -> &Dir {
        match self {
            At::Root(d) => d,
            At::Sub(d) => d,
        }
    }
}

impl At<'_> {
    fn into_owned(self) -> std::io::Result<Dir> {
        match self {
            At::Root(d) => d.try_clone(),
            At::Sub(d) => Ok(d),
        }
    }
}

/// Writes `bytes` as the file `name` of the data directory `data` (0600, fsynced), atomically:
/// a temp file in its storage's `.tmp/` (which [`FileStorage::open`] clears of a killed
/// writer's leftovers) renamed over `name`; a link there is replaced, never followed. For the
/// token helper, written under the storage lock.
pub fn write_beside(data: &Dir, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp_dir = data
        .sub(STORAGE_DIR, true)?
        .and_then(|s| s.sub(TMP_DIR, true).transpose())
        .transpose()?
        .ok_or(ErrorKind::NotFound)?;
    let tmp = fresh_temp_name();
    let res = (|| {
        let mut f = tmp_dir.create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        tmp_dir.rename(&tmp, data, name)
    })();
    if res.is_err() {
        let _ = tmp_dir.remove_file(&tmp);
    }
    res
}

impl FileStorage {
    /// Opens (creating if needed) the storage rooted at `root`, and takes the lock: exclusive
    /// when `exclusive`, shared otherwise. Blocks until the lock is granted. Recovers what a
    /// killed writer left (see the module documentation). `root` must be the caller's and
    /// not writable by group or others.
    pub fn open(root: &Path, exclusive: bool) -> Result<Self> {
        let dir = Dir::open_trusted(root, "storage directory").map_err(err)?;
        Self::open_dir(dir, exclusive)
    }

    /// As [`FileStorage::open`], for the storage of the data directory `data`
    /// (`<data>/storage`, which must not be a link).
    pub fn open_in(data: &Dir, exclusive: bool) -> Result<Self> {
        let dir = data
            .sub_trusted(STORAGE_DIR, "storage directory")
            .map_err(err)?;
        Self::open_dir(dir, exclusive)
    }

    fn open_dir(root: Dir, exclusive: bool) -> Result<Self> {
        let lock_path = root.join(LOCK);
        let lock = root
            .open_or_create(LOCK, false)
            .map_err(|e| match e.kind() {
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => err(format!(
                    "data directory {} is not writable: {}",
                    root.path().display(),
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
            root,
            lock,
            exclusive,
            cache: RefCell::new(HashMap::new()),
            journal: RefCell::new(None),
            tmp: RefCell::new(None),
            pending: RefCell::new(Pending::default()),
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

    /// The path of `key`'s state file, for messages.
    fn file_path(&self, key: &str) -> PathBuf {
        let (dirs, name) = split_key(key);
        let mut p = self.root.path().to_path_buf();
        p.extend(dirs);
        p.push(name);
        p
    }

    /// The folder `dirs` below the root, created (0700) when `create`; `None` when missing.
    fn walk(&self, dirs: &[&str], create: bool) -> std::io::Result<Option<At<'_>>> {
        let mut cur = At::Root(&self.root);
        for d in dirs {
            match cur.sub(d, create)? {
                Some(next) => cur = At::Sub(next),
                None => return Ok(None),
            }
        }
        Ok(Some(cur))
    }

    /// `key`'s state file, as it is on disk; `None` when missing.
    fn read_doc(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        let (dirs, name) = split_key(key);
        match self.walk(&dirs, false)? {
            Some(d) => d.read(&name),
            None => Ok(None),
        }
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
        let file = match self.root.open_file(JOURNAL, false) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(false),
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
        let file = match self.root.open_file(JOURNAL, true) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(()),
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
        let end = start + used as u64;
        let replayed = self.replay(&records);
        if replayed.is_err() {
            // Cannot write now (a full disk): keep the records, read through them.
            self.set_pending(&records, start)?;
            if end < len {
                let _ = file.set_len(end);
            }
            let _ = file.sync_data();
            *self.journal.borrow_mut() = Some(Journal {
                file,
                end,
                boot,
                new: false,
            });
            return Ok(());
        }
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
            // Tried again at a later write when it fails.
            let _ = self.checkpoint();
        }
        Ok(())
    }

    /// Writes the ops of `records` to the state files, in order.
    fn replay(&self, records: &[Vec<RawOp>]) -> Result<()> {
        for op in records.iter().flatten() {
            self.write_op(op).map_err(|e| self.op_err(op, &e))?;
        }
        Ok(())
    }

    /// Makes `records` (from offset `from` of the journal) the pending writes.
    fn set_pending(&self, records: &[Vec<RawOp>], from: u64) -> Result<()> {
        let mut docs = BTreeMap::new();
        for op in records.iter().flatten() {
            let v = match &op.doc {
                Some(b) => Some(parse(&self.file_path(&op.key), b)?),
                None => None,
            };
            docs.insert(op.key.clone(), v);
        }
        let mut cache = self.cache.borrow_mut();
        for k in docs.keys() {
            cache.remove(k);
        }
        *self.pending.borrow_mut() = Pending { docs, from };
        Ok(())
    }

    /// Completes the pending writes, if any (before anything else is written).
    fn complete_pending(&self) -> Result<()> {
        let from = {
            let p = self.pending.borrow();
            if p.docs.is_empty() {
                return Ok(());
            }
            p.from
        };
        let guard = self.journal.borrow();
        let Some(j) = guard.as_ref() else {
            return Err(err("journal unavailable"));
        };
        let mut bytes = vec![0u8; (j.end - from) as usize];
        j.file
            .read_exact_at(&mut bytes, from)
            .map_err(|e| self.journal_err(&e))?;
        let (records, _) = journal::decode(&bytes);
        self.replay(&records).map_err(|e| {
            err(format!(
                "an earlier write is still in the journal and cannot be completed, so nothing \
                 else is written: {}",
                e.detail()
            ))
        })?;
        let _ = j.file.sync_data();
        let _ = j.file.write_all_at(
            &Header {
                applied: j.end,
                boot: j.boot.clone(),
            }
            .encode(),
            0,
        );
        let keys = std::mem::take(&mut *self.pending.borrow_mut()).docs;
        let mut cache = self.cache.borrow_mut();
        for k in keys.keys() {
            cache.remove(k);
        }
        Ok(())
    }

    /// Makes the files named by the journal durable, then empties the journal. Not while
    /// writes are pending: their records are the only copy.
    fn checkpoint(&self) -> Result<()> {
        if !self.pending.borrow().docs.is_empty() {
            return Ok(());
        }
        let mut guard = self.journal.borrow_mut();
        let Some(j) = guard.as_mut() else {
            return Ok(());
        };
        let mut bytes = vec![0u8; (j.end - HEADER_LEN) as usize];
        j.file
            .read_exact_at(&mut bytes, HEADER_LEN)
            .map_err(|e| self.journal_err(&e))?;
        let mut keys = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        let (records, _) = journal::decode(&bytes);
        for op in records.iter().flatten() {
            let (parts, _) = split_key(&op.key);
            for n in 1..=parts.len() {
                dirs.insert(parts[..n].join("/"));
            }
            keys.insert(op.key.clone());
        }
        let sync_err = |p: PathBuf, e: std::io::Error| {
            err(format!("cannot sync {}: {}", p.display(), io_text(&e)))
        };
        for key in &keys {
            let (parts, name) = split_key(key);
            let res = self.walk(&parts, false).and_then(|d| match d {
                Some(d) => match d.open_file(&name, false)? {
                    Some(f) => f.sync_all(),
                    None => Ok(()),
                },
                None => Ok(()),
            });
            res.map_err(|e| sync_err(self.file_path(key), e))?;
            step();
        }
        // Deepest first; a folder removed since is skipped, its parent records the removal.
        for d in dirs.iter().rev() {
            let parts: Vec<&str> = d.split('/').collect();
            let res = self.walk(&parts, false).and_then(|d| match d {
                Some(d) => d.sync(),
                None => Ok(()),
            });
            res.map_err(|e| sync_err(self.root.join(d), e))?;
            step();
        }
        self.root
            .sync()
            .map_err(|e| sync_err(self.root.path().to_path_buf(), e))?;
        step();
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
    /// never reached the disk held nothing acknowledged (see [`Self::read_header`]).
    fn create_journal(&self) -> std::io::Result<Journal> {
        let boot = journal::boot_id();
        let file = self.root.open_or_create(JOURNAL, true)?;
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

    /// Runs `f` on `.tmp/` (created if needed).
    fn with_tmp<T>(&self, f: impl FnOnce(&Dir) -> std::io::Result<T>) -> std::io::Result<T> {
        if self.tmp.borrow().is_none() {
            let d = self.root.sub(TMP_DIR, true)?.ok_or(ErrorKind::NotFound)?;
            *self.tmp.borrow_mut() = Some(d);
        }
        match self.tmp.borrow().as_ref() {
            Some(d) => f(d),
            None => Err(ErrorKind::NotFound.into()),
        }
    }

    /// Step 0 of a put: the folder of `key` (created if needed) and a temp file holding
    /// `bytes`.
    fn stage(&self, key: &str, bytes: &[u8]) -> std::io::Result<Staged> {
        let (dirs, name) = split_key(key);
        let dir = self
            .walk(&dirs, true)?
            .ok_or(ErrorKind::NotFound)?
            .into_owned()?;
        let tmp = fresh_temp_name();
        self.with_tmp(|t| {
            let res = t.create_new(&tmp).and_then(|mut f| f.write_all(bytes));
            if res.is_err() {
                let _ = t.remove_file(&tmp);
            }
            res
        })?;
        step();
        Ok(Staged { dir, name, tmp })
    }

    /// Step 2 of a put: renames the temp file over the target.
    fn publish(&self, s: &Staged) -> std::io::Result<()> {
        self.with_tmp(|t| t.rename(&s.tmp, &s.dir, &s.name))?;
        step();
        Ok(())
    }

    /// Removes temp files that were staged and not published.
    fn unstage(&self, staged: &[Option<Staged>]) {
        let _ = self.with_tmp(|t| {
            for s in staged.iter().flatten() {
                let _ = t.remove_file(&s.tmp);
            }
            Ok(())
        });
    }

    /// Undoes step 0 of a batch that is not going ahead: its temp files, and the folders it
    /// created (any folder of its keys left empty).
    fn abandon(&self, raw: &[RawOp], staged: &[Option<Staged>]) {
        self.unstage(staged);
        for op in raw {
            let (dirs, _) = split_key(&op.key);
            self.remove_empty_folders(&dirs);
        }
    }

    /// Deletes `key`'s state file (step 2 of a delete); then, when `tidy`, its folders once
    /// empty.
    fn delete_doc(&self, key: &str, tidy: bool) -> std::io::Result<()> {
        let (dirs, name) = split_key(key);
        let Some(d) = self.walk(&dirs, false)? else {
            return Ok(());
        };
        match d.remove_file(&name) {
            Ok(()) => step(),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
        drop(d);
        if tidy {
            self.remove_empty_folders(&dirs);
        }
        Ok(())
    }

    /// Removes the folders `dirs` below the root, deepest first, while they are empty, as
    /// Vault's file backend does.
    fn remove_empty_folders(&self, dirs: &[&str]) {
        for n in (1..=dirs.len()).rev() {
            let removed = match self.walk(&dirs[..n - 1], false) {
                Ok(Some(parent)) => parent.remove_dir(dirs[n - 1]).is_ok(),
                _ => false,
            };
            if !removed {
                break;
            }
        }
    }

    /// Applies one write to its state file (replay): temp file + rename, or unlink.
    fn write_op(&self, op: &RawOp) -> std::io::Result<()> {
        match &op.doc {
            Some(bytes) => {
                let s = self.stage(&op.key, bytes)?;
                self.publish(&s).inspect_err(|_| self.unstage(&[Some(s)]))
            }
            None => self.delete_doc(&op.key, true),
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
        if self.cache.borrow().contains_key(key) || self.pending.borrow().docs.contains_key(key) {
            return Ok(()); // read (and parsed) or known absent
        }
        let path = self.file_path(key);
        match self.read_doc(key) {
            Ok(Some(old)) => parse(&path, &old).map(|_| ()),
            Ok(None) => Ok(()),
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
        let path = self.root.join(TMP_DIR);
        let dir = match self.root.sub(TMP_DIR, false) {
            Ok(Some(d)) => d,
            Ok(None) => return Ok(()),
            Err(e) => {
                return Err(err(format!(
                    "cannot use temp folder {}: {}",
                    path.display(),
                    io_text(&e)
                )))
            }
        };
        let entries = dir
            .entries()
            .map_err(|e| err(format!("cannot list {}: {}", path.display(), io_text(&e))))?;
        for (name, _) in entries {
            if let Err(e) = dir.remove_file(&name) {
                if e.kind() != ErrorKind::NotFound {
                    return Err(err(format!(
                        "cannot remove stale temp file {}: {}",
                        path.join(&name).display(),
                        io_text(&e)
                    )));
                }
            }
        }
        *self.tmp.borrow_mut() = Some(dir);
        Ok(())
    }

    /// Number of stale temp files (for tests and diagnostics).
    pub fn stale_temp_files(&self) -> usize {
        match self.root.sub(TMP_DIR, false) {
            Ok(Some(d)) => d.entries().map(|e| e.len()).unwrap_or(0),
            _ => 0,
        }
    }

    /// Size in bytes of the journal's records not yet checkpointed (for tests and benches).
    pub fn journal_backlog(&self) -> u64 {
        self.journal
            .borrow()
            .as_ref()
            .map_or(0, |j| j.end - HEADER_LEN)
    }

    /// Number of keys written by journal records that could not be applied yet (for tests).
    pub fn pending_writes(&self) -> usize {
        self.pending.borrow().docs.len()
    }

    /// Checkpoints now (see the module documentation); for tests and benches.
    pub fn flush_journal(&self) -> Result<()> {
        self.checkpoint()
    }

    /// Step 1: appends `record` to the journal and syncs it. On failure the journal is cut
    /// back, so the record is never replayed. Returns the record's offset.
    fn append(&self, record: &[u8]) -> Result<u64> {
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
                self.root.sync()?;
                step();
            }
            Ok(())
        };
        if let Err(e) = append() {
            // Leave no record behind a failed append: it was not applied, so it must never
            // be replayed. Cutting a file needs no free space. Should even that fail, the
            // record's head is zeroed, which makes it a torn tail that replay drops.
            if j.file.set_len(j.end).is_err() {
                let _ = j.file.write_all_at(&[0u8; 16], j.end);
            }
            let _ = j.file.sync_data();
            return Err(self.journal_err(&e));
        }
        let at = j.end;
        j.end += record.len() as u64;
        j.new = false;
        Ok(at)
    }
}

impl Storage for FileStorage {
    fn get(&self, key: &str) -> Result<Option<Value>> {
        check_key(key)?;
        if let Some(v) = self.pending.borrow().docs.get(key) {
            return Ok(v.clone());
        }
        if let Some(v) = self.cache.borrow().get(key) {
            return Ok(v.clone());
        }
        let path = self.file_path(key);
        let v = match self.read_doc(key) {
            Ok(Some(b)) => Some(parse(&path, &b)?),
            Ok(None) => None,
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
                self.root.path().display()
            )));
        }
        if self.unlocked.get() {
            return Err(err(format!(
                "cannot write to {}: its lock is released",
                self.root.path().display()
            )));
        }
        self.complete_pending()?;
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
        // 0. What needs space, invisibly.
        let mut staged = Vec::with_capacity(raw.len());
        for op in &raw {
            match &op.doc {
                Some(bytes) => match self.stage(&op.key, bytes) {
                    Ok(s) => staged.push(Some(s)),
                    Err(e) => {
                        self.abandon(&raw, &staged);
                        return Err(self.op_err(op, &e));
                    }
                },
                None => staged.push(None),
            }
        }
        // 1. The record, durably.
        let at = match self.append(&record) {
            Ok(at) => at,
            Err(e) => {
                self.abandon(&raw, &staged);
                return Err(e);
            }
        };
        // 2. The state files.
        {
            let mut cache = self.cache.borrow_mut();
            for op in ops {
                cache.remove(op.key());
            }
        }
        let mut deleted = Vec::new();
        let mut done = Ok(());
        for (i, (op, s)) in raw.iter().zip(&staged).enumerate() {
            done = match s {
                Some(s) => self.publish(s),
                None => {
                    deleted.push(op.key.as_str());
                    self.delete_doc(&op.key, false)
                }
            };
            if done.is_err() {
                self.unstage(&staged[i..]);
                break;
            }
        }
        if done.is_err() {
            // Committed all the same: reads see it, the next write or open completes it.
            return self.set_pending(&[raw], at);
        }
        // Folders a delete emptied and a later put of the batch did not fill again.
        for key in deleted {
            let (dirs, _) = split_key(key);
            self.remove_empty_folders(&dirs);
        }
        // 3. Mark it applied. Should that fail, the record is replayed again: harmless.
        let end = {
            let guard = self.journal.borrow();
            let Some(j) = guard.as_ref() else {
                return Ok(());
            };
            if j.file.write_all_at(&j.end.to_le_bytes(), 8).is_ok() {
                step();
            }
            j.end
        };
        if end - HEADER_LEN > CHECKPOINT_BYTES {
            // Tried again at the next write when it fails; the batch is applied either way.
            let _ = self.checkpoint();
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
        *self.tmp.borrow_mut() = None;
        *self.pending.borrow_mut() = Pending::default();
        self.clean_tmp()?;
        self.recover()
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let dirs: Vec<&str> = if prefix.is_empty() {
            Vec::new()
        } else {
            check_key(prefix.trim_end_matches('/'))?;
            prefix.trim_end_matches('/').split('/').collect()
        };
        let path = self.root.path().join(prefix.trim_end_matches('/'));
        let list_err =
            |e: std::io::Error| err(format!("cannot list {}: {}", path.display(), io_text(&e)));
        let entries = match self.walk(&dirs, false) {
            Ok(Some(d)) => d.entries().map_err(list_err)?,
            Ok(None) => Vec::new(),
            Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(list_err(e)),
        };
        let mut out = BTreeSet::new();
        for (name, kind) in entries {
            if name.starts_with('.') {
                // Bookkeeping: the lock, the journal, temp files.
                continue;
            }
            match kind {
                Kind::Dir => {
                    out.insert(format!("{name}/"));
                }
                Kind::File => {
                    if let Some(n) = name.strip_prefix('_').and_then(|n| n.strip_suffix(SUFFIX)) {
                        out.insert(n.to_string());
                    }
                }
                Kind::Other => {}
            }
        }
        self.overlay_pending(prefix, &mut out)?;
        Ok(out.into_iter().collect())
    }
}

impl FileStorage {
    /// Adds the pending writes below `prefix` to its listing `out`.
    fn overlay_pending(&self, prefix: &str, out: &mut BTreeSet<String>) -> Result<()> {
        let mut maybe_empty = BTreeSet::new();
        {
            let pending = self.pending.borrow();
            for (key, v) in pending.docs.range(prefix.to_string()..) {
                let Some(rest) = key.strip_prefix(prefix) else {
                    break;
                };
                match (rest.split_once('/'), v) {
                    (Some((d, _)), Some(_)) => {
                        out.insert(format!("{d}/"));
                    }
                    (Some((d, _)), None) => {
                        maybe_empty.insert(format!("{d}/"));
                    }
                    (None, Some(_)) => {
                        out.insert(rest.to_string());
                    }
                    (None, None) => {
                        out.remove(rest);
                    }
                }
            }
        }
        for d in maybe_empty {
            if out.contains(&d) && self.list(&format!("{prefix}{d}"))?.is_empty() {
                out.remove(&d);
            }
        }
        Ok(())
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
    use std::fs::{self, OpenOptions};
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
    fn a_batch_that_cannot_be_written_is_not_applied_even_later() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("t/old", &json!("kept")).unwrap();
            // A file where the second key's folder must go makes the batch fail.
            fs::write(root.join("u"), b"in the way").unwrap();
            let before = journal_len(&root);
            let e = s
                .apply(&[
                    put("t/a", json!(1)),
                    put("u/b", json!(2)),
                    Op::Delete("t/old".into()),
                ])
                .unwrap_err();
            assert!(e.to_string().contains("_b.json"), "{e}");
            assert!(e.to_string().contains("not a directory"), "{e}");
            assert_eq!(s.get("t/a").unwrap(), None);
            assert_eq!(s.get("t/old").unwrap(), Some(json!("kept")));
            assert_eq!(journal_len(&root), before);
            assert_eq!(s.stale_temp_files(), 0);
        }
        fs::remove_file(root.join("u")).unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("t/a").unwrap(), None);
        assert_eq!(s.get("u/b").unwrap(), None);
        assert_eq!(s.get("t/old").unwrap(), Some(json!("kept")));
        assert_eq!(s.list("").unwrap(), vec!["t/"]);
    }

    #[test]
    fn a_record_that_cannot_be_replayed_is_read_through_until_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        {
            let s = FileStorage::open(&root, true).unwrap();
            s.put("t/old", &json!("gone soon")).unwrap();
            s.put("t/keep", &json!(0)).unwrap();
            s.put("v/only", &json!(0)).unwrap();
        }
        append_unapplied(
            &root,
            &[
                put("t/a", json!(1)),
                put("u/b", json!(2)),
                Op::Delete("t/old".into()),
                Op::Delete("v/only".into()),
            ],
        );
        fs::write(root.join("u"), b"in the way").unwrap();
        {
            // Opening works, and reads see the journal's writes.
            let s = FileStorage::open(&root, true).unwrap();
            assert!(s.pending_writes() > 0);
            assert_eq!(s.get("t/a").unwrap(), Some(json!(1)));
            assert_eq!(s.get("u/b").unwrap(), Some(json!(2)));
            assert_eq!(s.get("t/old").unwrap(), None);
            assert_eq!(s.list("t/").unwrap(), vec!["a", "keep"]);
            assert_eq!(s.list("").unwrap(), vec!["t/", "u/"]);
            // Nothing else is written meanwhile, and the reason is given.
            let e = s.put("w", &json!(1)).unwrap_err().to_string();
            assert!(e.contains("earlier write") && e.contains("_b.json"), "{e}");
            assert_eq!(s.get("w").unwrap(), None);
            // Not checkpointed either: the records are the only copy.
            s.flush_journal().unwrap();
            assert!(s.journal_backlog() > 0);
        }
        fs::remove_file(root.join("u")).unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.pending_writes(), 0);
        s.put("w", &json!(1)).unwrap();
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("u/b").unwrap(), Some(json!(2)));
        assert_eq!(s.get("w").unwrap(), Some(json!(1)));
        assert_eq!(s.list("").unwrap(), vec!["t/", "u/", "w"]);
    }

    #[test]
    fn a_pending_record_is_completed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        FileStorage::open(&root, true)
            .unwrap()
            .put("k", &json!(1))
            .unwrap();
        append_unapplied(&root, &[put("u/b", json!(2))]);
        fs::write(root.join("u"), b"in the way").unwrap();
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.pending_writes(), 1);
        fs::remove_file(root.join("u")).unwrap();
        s.put("k", &json!(3)).unwrap();
        assert_eq!(s.pending_writes(), 0);
        assert_eq!(fs::read(root.join("u/_b.json")).unwrap(), b"2");
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.get("k").unwrap(), Some(json!(3)));
        assert_eq!(s.get("u/b").unwrap(), Some(json!(2)));
    }

    #[test]
    fn a_delete_and_a_put_in_one_folder_keep_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let s = FileStorage::open(&root, true).unwrap();
        s.put("f/old", &json!(1)).unwrap();
        s.apply(&[Op::Delete("f/old".into()), put("f/new", json!(2))])
            .unwrap();
        s.apply(&[put("g/x", json!(1)), Op::Delete("g/x".into())])
            .unwrap();
        drop(s);
        let s = FileStorage::open(&root, true).unwrap();
        assert_eq!(s.list("f/").unwrap(), vec!["new"]);
        assert_eq!(s.get("g/x").unwrap(), None);
        assert_eq!(s.list("").unwrap(), vec!["f/"]);
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
