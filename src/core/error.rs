use crate::framework::go::multierror;
use crate::storage::StorageError;

/// An error answered by the core or a backend: Vault's HTTP status and error list. The CLI
/// prints it as `Error ... Error making API request.` / `Code: N. Errors:` / `* message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: u16,
    pub errors: Vec<String>,
    /// The server's answer was not Vault's JSON error list: `errors` holds its body, printed
    /// as `Raw Message:` (remote mode).
    pub raw: bool,
    /// A failure of the local storage under the request (a state file, the journal, the
    /// lock), not an answer of a backend: the CLI prints it as a local error (exit 1).
    pub local: bool,
}

impl Error {
    pub fn new(status: u16, msg: impl Into<String>) -> Self {
        Error {
            status,
            errors: vec![msg.into()],
            raw: false,
            local: false,
        }
    }
    /// An error answer whose body is not Vault's JSON error list.
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Error {
            raw: true,
            ..Error::new(status, body)
        }
    }
    /// A user error (400), Vault's `logical.ErrorResponse`.
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Error::new(400, msg)
    }
    pub fn permission_denied() -> Self {
        Error::new(403, "permission denied")
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Error::new(404, msg)
    }
    /// An internal error (500), as Vault wraps a Go error returned by a handler.
    pub fn internal(msg: impl Into<String>) -> Self {
        Error::new(500, msg)
    }
    /// Vault's router errors, which its request handling wraps in a multierror.
    pub fn unsupported_path() -> Self {
        Error::new(404, multierror(&["unsupported path".into()]))
    }
    pub fn unsupported_operation() -> Self {
        Error::new(405, multierror(&["unsupported operation".into()]))
    }
    pub fn message(&self) -> String {
        self.errors.join("; ")
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Code: {}. Errors: {}", self.status, self.message())
    }
}

impl std::error::Error for Error {}

impl From<StorageError> for Error {
    fn from(e: StorageError) -> Self {
        Error {
            local: matches!(e, StorageError::Local(_)),
            ..Error::internal(e.to_string())
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_storage_failure_is_marked_local_not_by_its_text() {
        let e: Error = StorageError::Local("cannot write /x: disk full".into()).into();
        assert!(e.local);
        assert_eq!(e.status, 500);
        assert_eq!(e.message(), "local storage: cannot write /x: disk full");
        let e: Error = StorageError::Invalid("state entry \"k\" is not valid: x".into()).into();
        assert!(!e.local);
        // A backend's message that merely looks like one is not local.
        assert!(!Error::internal("local storage: not really").local);
    }
}
