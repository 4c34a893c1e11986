//! Directory handles that never follow a symbolic link below them.
//!
//! The data directory and everything in it is reached from a handle opened once
//! ([`Dir::open_trusted`]): each name below it is opened with `openat(2)` and `O_NOFOLLOW`
//! relative to its parent's handle, created with `mkdirat`/`O_EXCL`, renamed with `renameat`
//! and removed with `unlinkat`, none of which follows a link in the last component. A link
//! planted anywhere inside is an error naming it, never a way out of the directory. Files
//! opened for reading are opened with `O_NONBLOCK` (a FIFO does not hang the open) and must
//! be regular files.
//!
//! The directory itself, and `storage/` below it, must be owned by the caller and not
//! writable by group or others (OpenSSH's `StrictModes`): someone else who can write there
//! could swap any of its files between a check and a use.

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use std::ffi::CStr;
use std::fs::File;
use std::io::{self, ErrorKind, Read};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// An open directory, and the path it was reached by (for messages).
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: PathBuf,
}

/// What a directory entry is, without following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    File,
    Other,
}

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

fn mode(bits: u32) -> Mode {
    Mode::from_raw_mode(bits as _)
}

/// The error for `path`, a symbolic link.
fn link_error(path: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is a symbolic link, which vaultjwt never follows inside its data directory (remove it)",
        path.display()
    ))
}

/// Opens a directory path from outside the data directory (the path may go through links,
/// as the user chose it). `None` when it does not exist.
fn open_path(path: &Path) -> io::Result<Option<OwnedFd>> {
    match rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => Ok(Some(fd)),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Refuses a directory that is not the caller's own or that others can write to, with a
/// one-line message saying how to fix it.
fn check_trusted(fd: &OwnedFd, path: &Path, what: &str) -> Result<(), String> {
    let st = rustix::fs::fstat(fd)
        .map_err(|e| format!("cannot use {what} {}: {}", path.display(), e))?;
    let me = rustix::process::geteuid().as_raw();
    if st.st_uid != me {
        return Err(format!(
            "refusing to use {what} {}: it is owned by uid {}, not by you (uid {me}) \
             (use a directory of your own: --data-dir or VAULTJWT_HOME)",
            path.display(),
            st.st_uid
        ));
    }
    if st.st_mode & 0o022 != 0 {
        return Err(format!(
            "refusing to use {what} {}: it is writable by group or others (chmod 700 {})",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

impl Dir {
    /// Opens the directory at `path`, creating it (and its parents) with mode 0700 when
    /// missing, and refuses it unless the caller owns it and nobody else can write to it.
    /// `what` names it in messages ("data directory").
    pub fn open_trusted(path: &Path, what: &str) -> Result<Dir, String> {
        let fd = match open_path(path) {
            Ok(Some(fd)) => fd,
            Ok(None) => {
                use std::os::unix::fs::DirBuilderExt;
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(DIR_MODE)
                    .create(path)
                    .map_err(|e| {
                        format!("cannot create {what} {}: {}", path.display(), io_text(&e))
                    })?;
                open_path(path)
                    .and_then(|fd| fd.ok_or_else(|| ErrorKind::NotFound.into()))
                    .map_err(|e| {
                        format!("cannot open {what} {}: {}", path.display(), io_text(&e))
                    })?
            }
            Err(e) => {
                return Err(format!(
                    "cannot open {what} {}: {}",
                    path.display(),
                    io_text(&e)
                ))
            }
        };
        check_trusted(&fd, path, what)?;
        Ok(Dir {
            fd,
            path: path.to_path_buf(),
        })
    }

    /// Opens the directory at `path` as it is (no checks, nothing created); `None` when it
    /// does not exist. For reading a data directory's settings outside a session.
    pub fn open_existing(path: &Path) -> io::Result<Option<Dir>> {
        Ok(open_path(path)?.map(|fd| Dir {
            fd,
            path: path.to_path_buf(),
        }))
    }

    /// The path this directory was reached by, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of `name` below this directory, for messages.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Opens the directory `name` below this one without following a link, creating it
    /// (0700) first when `create`. `None` when it does not exist and `create` is false.
    pub(crate) fn sub(&self, name: &str, create: bool) -> io::Result<Option<Dir>> {
        if create {
            match rustix::fs::mkdirat(&self.fd, name, mode(DIR_MODE)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => Ok(Some(Dir {
                fd,
                path: self.path.join(name),
            })),
            Err(rustix::io::Errno::NOENT) if !create => Ok(None),
            Err(rustix::io::Errno::LOOP) => Err(link_error(&self.path.join(name))),
            Err(rustix::io::Errno::NOTDIR) => Err(if self.is_link(name) {
                link_error(&self.path.join(name))
            } else {
                io::Error::other(format!(
                    "{} is not a directory",
                    self.path.join(name).display()
                ))
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// As [`Dir::sub`] with `create`, then refuses the directory unless the caller owns it
    /// and nobody else can write to it.
    pub(crate) fn sub_trusted(&self, name: &str, what: &str) -> Result<Dir, String> {
        let path = self.path.join(name);
        let d = self
            .sub(name, true)
            .and_then(|d| d.ok_or_else(|| ErrorKind::NotFound.into()))
            .map_err(|e| format!("cannot use {what} {}: {}", path.display(), io_text(&e)))?;
        check_trusted(&d.fd, &path, what)?;
        Ok(d)
    }

    fn is_link(&self, name: &str) -> bool {
        rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)
            .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink)
            .unwrap_or(false)
    }

    /// What `name` is, without following it; `None` when it does not exist.
    pub(crate) fn kind(&self, name: &str) -> io::Result<Option<Kind>> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(Some(match FileType::from_raw_mode(st.st_mode) {
                FileType::Directory => Kind::Dir,
                FileType::RegularFile => Kind::File,
                _ => Kind::Other,
            })),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Opens the file `name` without following a link: `flags` plus `O_NOFOLLOW`,
    /// `O_NONBLOCK`, `O_CLOEXEC`, and refuses anything but a regular file.
    fn open_with(&self, name: &str, flags: OFlags) -> io::Result<File> {
        let flags = flags | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, mode(FILE_MODE)) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP) => return Err(link_error(&self.path.join(name))),
            Err(e) => return Err(e.into()),
        };
        let st = rustix::fs::fstat(&fd)?;
        if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
            return Err(io::Error::other(format!(
                "{} is not a regular file",
                self.path.join(name).display()
            )));
        }
        // Back to blocking mode for the reads and writes that follow.
        let fl = rustix::fs::fcntl_getfl(&fd)?;
        rustix::fs::fcntl_setfl(&fd, fl - OFlags::NONBLOCK)?;
        Ok(File::from(fd))
    }

    /// Opens the regular file `name` for reading (and writing when `write`); `None` when it
    /// does not exist.
    pub(crate) fn open_file(&self, name: &str, write: bool) -> io::Result<Option<File>> {
        let flags = if write { OFlags::RDWR } else { OFlags::RDONLY };
        match self.open_with(name, flags) {
            Ok(f) => Ok(Some(f)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Opens the regular file `name` for reading and writing, creating it (0600) when
    /// missing; truncated when `truncate`.
    pub(crate) fn open_or_create(&self, name: &str, truncate: bool) -> io::Result<File> {
        let mut flags = OFlags::RDWR | OFlags::CREATE;
        if truncate {
            flags |= OFlags::TRUNC;
        }
        self.open_with(name, flags)
    }

    /// Creates the file `name` (0600), which must not exist yet.
    pub(crate) fn create_new(&self, name: &str) -> io::Result<File> {
        self.open_with(name, OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL)
    }

    /// Reads the regular file `name` whole; `None` when it does not exist.
    pub(crate) fn read(&self, name: &str) -> io::Result<Option<Vec<u8>>> {
        let Some(mut f) = self.open_file(name, false)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        f.read_to_end(&mut out)?;
        Ok(Some(out))
    }

    /// Renames `name` here to `to_name` in `to` (replacing what is there: a link is
    /// replaced, not followed).
    pub(crate) fn rename(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
        rustix::fs::renameat(&self.fd, name, &to.fd, to_name).map_err(Into::into)
    }

    /// Links `name` here as `to_name` in `to`, which must not exist.
    pub(crate) fn link(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
        rustix::fs::linkat(&self.fd, name, &to.fd, to_name, AtFlags::empty()).map_err(Into::into)
    }

    /// Removes the file (or link) `name`.
    pub(crate) fn remove_file(&self, name: &str) -> io::Result<()> {
        rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()).map_err(Into::into)
    }

    /// Removes the empty directory `name`.
    pub(crate) fn remove_dir(&self, name: &str) -> io::Result<()> {
        rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR).map_err(Into::into)
    }

    /// The entries of this directory (without `.` and `..`), each with what it is.
    pub(crate) fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
        let mut out = Vec::new();
        let mut d = rustix::fs::Dir::read_from(&self.fd)?;
        while let Some(entry) = d.read() {
            let entry = entry?;
            let name: &CStr = entry.file_name();
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let name = String::from_utf8_lossy(bytes).into_owned();
            let kind = match entry.file_type() {
                FileType::Directory => Kind::Dir,
                FileType::RegularFile => Kind::File,
                FileType::Unknown => self.kind(&name)?.unwrap_or(Kind::Other),
                _ => Kind::Other,
            };
            out.push((name, kind));
        }
        Ok(out)
    }

    /// `fsync`s the directory.
    pub(crate) fn sync(&self) -> io::Result<()> {
        rustix::fs::fsync(&self.fd).map_err(Into::into)
    }

    /// A second handle on the same directory.
    pub(crate) fn try_clone(&self) -> io::Result<Dir> {
        Ok(Dir {
            fd: self.fd.try_clone()?,
            path: self.path.clone(),
        })
    }
}

/// An I/O error without Rust's ` (os error N)` suffix, lower-case as Go prints it.
pub fn io_text(e: &io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or("").to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    #[test]
    fn links_are_never_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = t.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("f"), b"keep").unwrap();
        let d = Dir::open_trusted(&t.path().join("data"), "data directory").unwrap();
        symlink(&outside, t.path().join("data/sub")).unwrap();
        symlink(outside.join("f"), t.path().join("data/file")).unwrap();
        let e = d.sub("sub", true).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        let e = d.read("file").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(d.open_or_create("file", true).is_err());
        assert!(d.create_new("file").is_err());
        assert_eq!(std::fs::read(outside.join("f")).unwrap(), b"keep");
        // A rename over a link replaces the link.
        d.create_new("new").unwrap();
        d.rename("new", &d, "file").unwrap();
        assert_eq!(d.kind("file").unwrap(), Some(Kind::File));
        assert_eq!(std::fs::read(outside.join("f")).unwrap(), b"keep");
    }

    #[test]
    fn a_directory_others_can_write_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("data");
        let d = Dir::open_trusted(&p, "data directory").unwrap();
        assert_eq!(
            std::fs::metadata(d.path()).unwrap().permissions().mode() & 0o777,
            0o700
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o770)).unwrap();
        let e = Dir::open_trusted(&p, "data directory").unwrap_err();
        assert_eq!(
            e,
            format!(
                "refusing to use data directory {0}: it is writable by group or others (chmod 700 {0})",
                p.display()
            )
        );
    }
}
