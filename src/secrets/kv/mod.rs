//! The KV secrets engine, as OpenBao's `builtin/logical/kv`: version 1 (`passthrough.go`, one
//! document per path) and version 2 (`path_data.go`, `path_metadata.go`, ...: versioned data,
//! soft delete, destroy, check-and-set, per-key metadata).

pub mod v1;
pub mod v2;

use crate::core::{Error, Result};

/// Checks a secret path (relative to the mount, without the API prefix) can be a storage key:
/// no empty, `.` or `..` segment.
pub(crate) fn check_path(path: &str) -> Result<()> {
    if path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        || path.contains('\0')
    {
        return Err(Error::bad_request(format!(
            "invalid secret path {}",
            crate::core::fields::go_quote(path)
        )));
    }
    if let Some(seg) = path.split('/').find(|s| s.len() > MAX_SEGMENT) {
        return Err(Error::bad_request(format!(
            "a secret path segment of {} bytes is longer than the {MAX_SEGMENT} bytes the local storage holds: {}...",
            seg.len(),
            seg.chars().take(16).collect::<String>()
        )));
    }
    Ok(())
}

/// The longest path segment the file storage can hold (a file name is the segment plus a
/// prefix and `.json`, within the usual 255-byte limit).
pub(crate) const MAX_SEGMENT: usize = 240;

/// Vault's multierror text of `unsupported operation`, as a framework path without a handler
/// for the operation answers.
pub(crate) fn unsupported_operation() -> Error {
    Error::new(
        405,
        crate::policy::parse::multierror(&["unsupported operation".to_string()]),
    )
}
