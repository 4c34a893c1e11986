//! Vault's `key=value` arguments: `key=value`, `key=@file`, `key=-` (stdin), repeated keys
//! building lists, and a lone `-` or `@file.json` giving a whole JSON object.

use super::input::{self, Limit, ReadError};
use anyhow::{anyhow, bail, Result};
use serde_json::{Map, Value};
use std::io::Read;

/// Parses the data arguments of `write`/`read`/`delete` into a request body. Each `@file`
/// and stdin is read up to Vault's request size limit ([`input::REQUEST`]).
pub fn parse(args: &[String], stdin: &mut dyn Read) -> Result<Map<String, Value>> {
    parse_with(args, stdin, &mut open_file, false)
}

/// [`parse`] for a login (`write auth/M/login`, `login -method=jwt`, `jwt explain`): `jwt`
/// read from a file or stdin stops just past the token limit ([`input::TOKEN`]).
pub fn parse_login(args: &[String], stdin: &mut dyn Read) -> Result<Map<String, Value>> {
    parse_with(args, stdin, &mut open_file, true)
}

/// Whether `write PATH` is a login, whose `jwt` is capped as a token: `auth/MOUNT/login`
/// (and vaultjwt's `auth/MOUNT/explain`).
pub fn is_login_path(path: &str) -> bool {
    path.starts_with("auth/") && (path.ends_with("/login") || path.ends_with("/explain"))
}

fn open_file(path: &str) -> std::io::Result<Box<dyn Read>> {
    Ok(Box::new(std::fs::File::open(path)?))
}

/// [`parse`] with `@file` opened by `open_file` (the fuzzer reads no real files); with
/// `login`, as [`parse_login`].
pub fn parse_with(
    args: &[String],
    stdin: &mut dyn Read,
    open_file: &mut dyn FnMut(&str) -> std::io::Result<Box<dyn Read>>,
    login: bool,
) -> Result<Map<String, Value>> {
    let limit_of = |key: &str| -> Limit {
        if login && key == "jwt" {
            input::TOKEN
        } else {
            input::REQUEST
        }
    };
    let mut read_file = |file: &str, limit: Limit| -> std::result::Result<String, ReadError> {
        input::read(&mut open_file(file)?, limit)
    };
    let too_large = |source: String, limit: Limit| {
        anyhow!("Failed to parse K=V data: {}", limit.exceeded(&source))
    };
    let mut out = Map::new();
    let mut stdin_used = false;
    for arg in args {
        if arg == "-" {
            if stdin_used {
                bail!("Failed to parse K=V data: stdin already consumed");
            }
            stdin_used = true;
            let text = match input::read(stdin, input::REQUEST) {
                Ok(t) => t,
                Err(ReadError::TooLarge) => return Err(too_large("stdin".into(), input::REQUEST)),
                Err(ReadError::Io(e)) => {
                    return Err(anyhow!(e).context("Failed to read stdin"));
                }
            };
            merge_object(&mut out, &text, "stdin")?;
            continue;
        }
        if let Some(file) = arg.strip_prefix('@').filter(|_| !arg.contains('=')) {
            let text = match read_file(file, input::REQUEST) {
                Ok(t) => t,
                Err(ReadError::TooLarge) => {
                    return Err(too_large(format!("file {file}"), input::REQUEST))
                }
                Err(ReadError::Io(e)) => {
                    bail!("Failed to parse K=V data: open {file}: {}", go_io_error(&e))
                }
            };
            merge_object(&mut out, &text, file)?;
            continue;
        }
        let Some((key, raw)) = arg.split_once('=') else {
            bail!("Failed to parse K=V data: invalid key/value pair {arg:?}: format must be key=value");
        };
        if key.is_empty() {
            bail!("Failed to parse K=V data: invalid key/value pair {arg:?}: the key is empty");
        }
        let limit = limit_of(key);
        let value = if raw == "-" {
            if stdin_used {
                bail!("Failed to parse K=V data: stdin already consumed");
            }
            stdin_used = true;
            match input::read(stdin, limit) {
                Ok(t) => t,
                Err(ReadError::TooLarge) => {
                    return Err(too_large(format!("stdin (for {key})"), limit))
                }
                Err(ReadError::Io(e)) => {
                    return Err(anyhow!(e).context("Failed to read stdin"));
                }
            }
        } else if let Some(file) = raw.strip_prefix('@') {
            match read_file(file, limit) {
                Ok(t) => t,
                Err(ReadError::TooLarge) => {
                    return Err(too_large(format!("file {file} (for {key})"), limit))
                }
                Err(ReadError::Io(e)) => bail!(
                    "Failed to parse K=V data: error reading file: open {file}: {}",
                    go_io_error(&e)
                ),
            }
        } else if let Some(escaped) = raw.strip_prefix("\\@") {
            format!("@{escaped}")
        } else {
            raw.to_string()
        };
        match out.get_mut(key) {
            None => {
                out.insert(key.to_string(), Value::String(value));
            }
            Some(Value::Array(list)) => list.push(Value::String(value)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(value)]);
            }
        }
    }
    Ok(out)
}

/// An I/O error as Go prints it: `no such file or directory`, `permission denied`, ...
pub fn go_io_error(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn merge_object(out: &mut Map<String, Value>, text: &str, from: &str) -> Result<()> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| anyhow!("Failed to parse K=V data: invalid JSON in {from}: {e}"))?;
    match v {
        Value::Object(m) => {
            out.extend(m);
            Ok(())
        }
        _ => bail!("Failed to parse K=V data: the JSON in {from} is not an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(args: &[&str], stdin: &str) -> Result<Value> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&args, &mut stdin.as_bytes()).map(Value::Object)
    }

    #[test]
    fn pairs_lists_stdin_and_bodies() {
        assert_eq!(
            p(&["a=1", "b=x=y"], "").unwrap(),
            json!({"a": "1", "b": "x=y"})
        );
        assert_eq!(
            p(&["a=1", "a=2", "a=3"], "").unwrap(),
            json!({"a": ["1", "2", "3"]})
        );
        assert_eq!(p(&["jwt=-"], "tok").unwrap(), json!({"jwt": "tok"}));
        assert_eq!(
            p(&["-"], "{\"m\": {\"k\": 1}}").unwrap(),
            json!({"m": {"k": 1}})
        );
        assert!(p(&["novalue"], "")
            .unwrap_err()
            .to_string()
            .contains("novalue"));
        assert!(p(&["k=@/nonexistent/file"], "")
            .unwrap_err()
            .to_string()
            .contains("/nonexistent/file"));
        assert!(p(&["-"], "not json").is_err());
        assert_eq!(
            p(&["k=@/nonexistent/file"], "").unwrap_err().to_string(),
            "Failed to parse K=V data: error reading file: open /nonexistent/file: no such file or directory"
        );
        assert!(p(&["a=-", "b=-"], "x")
            .unwrap_err()
            .to_string()
            .contains("stdin already consumed"));
    }

    /// Stdin and files are read up to a cap: an endless stdin stops there.
    #[test]
    fn reads_are_capped() {
        use std::io::Read;
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let endless = || std::io::repeat(b'a').take(1 << 40);
        let e = parse_login(&args(&["role=r", "jwt=-"]), &mut endless()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to parse K=V data: stdin (for jwt) is larger than 64 KiB, the longest token vaultjwt accepts"
        );
        let e = parse(&args(&["k=-"]), &mut endless()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to parse K=V data: stdin (for k) is larger than 32 MiB, Vault's request size limit"
        );
        // Outside a login, `jwt` is any value; inside, other keys are.
        let long = "a".repeat(100_000);
        let body = parse(&args(&["jwt=-"]), &mut long.as_bytes()).unwrap();
        assert_eq!(body["jwt"], json!(long));
        let body = parse_login(&args(&["role=-"]), &mut long.as_bytes()).unwrap();
        assert_eq!(body["role"], json!(long));
        for (path, login) in [
            ("auth/jwt/login", true),
            ("auth/team/gh/login", true),
            ("auth/jwt/explain", true),
            ("auth/jwt/role/login", true),
            ("auth/jwt/config", false),
            ("secret/data/login", false),
            ("sys/auth/jwt", false),
        ] {
            assert_eq!(is_login_path(path), login, "{path}");
        }
    }
}
