//! Reading what the user points the CLI at (`@file`, `-` for stdin, a policy file, a key
//! file) with a cap checked while reading: `@/dev/zero` or an endless pipe stops at the cap
//! with an error naming it, instead of filling memory first and checking after.

use std::io::{self, BufRead, Read};

/// A cap on one input, and how its error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: usize,
    /// `32 MiB, Vault's request size limit`.
    pub name: &'static str,
}

/// Vault's servers refuse a request body over 32 MiB (`max_request_size`): no value, body or
/// policy read from a file or stdin can be larger.
pub const REQUEST: Limit = Limit {
    bytes: 32 << 20,
    name: "32 MiB, Vault's request size limit",
};

/// The longest token login accepts ([`crate::auth::jwt::jws::MAX_TOKEN_BYTES`]): a `jwt`
/// read from a file or stdin stops just past it.
pub const TOKEN: Limit = Limit {
    bytes: crate::auth::jwt::jws::MAX_TOKEN_BYTES,
    name: "64 KiB, the longest token vaultjwt accepts",
};

impl Limit {
    /// The error text for `source` (`file /dev/zero`, `stdin`) being over this limit.
    pub fn exceeded(&self, source: &str) -> String {
        format!("{source} is larger than {}", self.name)
    }
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed; invalid UTF-8 is `InvalidData`, as `read_to_string` has it.
    Io(io::Error),
    /// There was more than the limit (reading stopped one byte past it).
    TooLarge,
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads `r` to its end as UTF-8, refusing more than `limit.bytes`.
pub fn read(r: &mut dyn Read, limit: Limit) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    r.take(limit.bytes as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > limit.bytes {
        return Err(ReadError::TooLarge);
    }
    utf8(buf)
}

/// Opens and reads the file at `path` as [`read`] does.
pub fn read_file(path: &str, limit: Limit) -> Result<String, ReadError> {
    read(&mut std::fs::File::open(path)?, limit)
}

/// One line (with its `\n`, if any) of `r`, refusing a line longer than `limit.bytes`.
pub fn read_line(r: &mut dyn BufRead, limit: Limit) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    r.take(limit.bytes as u64 + 1).read_until(b'\n', &mut buf)?;
    if buf.len() > limit.bytes {
        return Err(ReadError::TooLarge);
    }
    utf8(buf)
}

fn utf8(buf: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(buf).map_err(|_| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Limit = Limit {
        bytes: 4,
        name: "4 bytes",
    };

    #[test]
    fn reads_up_to_the_limit_and_stops_just_past_it() {
        assert_eq!(read(&mut &b"abcd"[..], TINY).unwrap(), "abcd");
        assert_eq!(read(&mut &b""[..], TINY).unwrap(), "");
        assert!(matches!(
            read(&mut &b"abcde"[..], TINY),
            Err(ReadError::TooLarge)
        ));
        // An endless source: read only to the limit and one byte more.
        let mut zero = io::repeat(0);
        let mut counted = (&mut zero).take(1 << 40);
        assert!(matches!(read(&mut counted, TINY), Err(ReadError::TooLarge)));
        assert_eq!(counted.limit(), (1 << 40) - 5);
        assert!(matches!(
            read(&mut &b"\xff"[..], TINY),
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::InvalidData
        ));
        assert_eq!(
            TINY.exceeded("stdin"),
            "stdin is larger than 4 bytes".to_string()
        );
    }

    #[test]
    fn lines() {
        let mut r = &b"ab\ncd"[..];
        assert_eq!(read_line(&mut r, TINY).unwrap(), "ab\n");
        assert_eq!(read_line(&mut r, TINY).unwrap(), "cd");
        assert!(matches!(
            read_line(&mut &b"abcde\n"[..], TINY),
            Err(ReadError::TooLarge)
        ));
        assert!(matches!(
            read_line(&mut io::BufReader::new(io::repeat(b'x')), TINY),
            Err(ReadError::TooLarge)
        ));
    }

    #[test]
    fn files() {
        assert!(matches!(
            read_file("/nonexistent/x", TINY),
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::NotFound
        ));
        if std::path::Path::new("/dev/zero").exists() {
            assert!(matches!(
                read_file("/dev/zero", REQUEST),
                Err(ReadError::TooLarge)
            ));
        }
    }
}
