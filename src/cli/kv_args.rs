//! Vault's `key=value` arguments: `key=value`, `key=@file`, `key=-` (stdin), repeated keys
//! building lists, and a lone `-` or `@file.json` giving a whole JSON object.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{Map, Value};
use std::io::Read;

/// Parses the data arguments of `write`/`read`/`delete` into a request body.
pub fn parse(args: &[String], stdin: &mut dyn Read) -> Result<Map<String, Value>> {
    parse_with(args, stdin, &mut |file| std::fs::read_to_string(file))
}

/// [`parse`] with the `@file` reads done by `read_file` (the fuzzer reads no real files).
pub fn parse_with(
    args: &[String],
    stdin: &mut dyn Read,
    read_file: &mut dyn FnMut(&str) -> std::io::Result<String>,
) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    let mut stdin_used = false;
    for arg in args {
        if arg == "-" {
            if stdin_used {
                bail!("Failed to parse K=V data: stdin already consumed");
            }
            stdin_used = true;
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .context("Failed to read stdin")?;
            merge_object(&mut out, &text, "stdin")?;
            continue;
        }
        if let Some(file) = arg.strip_prefix('@').filter(|_| !arg.contains('=')) {
            let text = read_file(file).map_err(|e| {
                anyhow!("Failed to parse K=V data: open {file}: {}", go_io_error(&e))
            })?;
            merge_object(&mut out, &text, file)?;
            continue;
        }
        let Some((key, raw)) = arg.split_once('=') else {
            bail!("Failed to parse K=V data: invalid key/value pair {arg:?}: format must be key=value");
        };
        if key.is_empty() {
            bail!("Failed to parse K=V data: invalid key/value pair {arg:?}: the key is empty");
        }
        let value = if raw == "-" {
            if stdin_used {
                bail!("Failed to parse K=V data: stdin already consumed");
            }
            stdin_used = true;
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .context("Failed to read stdin")?;
            text
        } else if let Some(file) = raw.strip_prefix('@') {
            read_file(file).map_err(|e| {
                anyhow!(
                    "Failed to parse K=V data: error reading file: open {file}: {}",
                    go_io_error(&e)
                )
            })?
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
}
