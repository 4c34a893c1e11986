//! The `kv` helper commands, as OpenBao's `command/kv_*.go`: a preflight read of
//! `sys/internal/ui/mounts/PATH` tells the mount and its KV version, and v2 paths get their
//! API prefix (`data/`, `metadata/`, `delete/`, ...) inserted after the mount path.

use super::read_write;
use super::secrets::one_arg;
use crate::cli::args::{KvCommand, KvFlags, KvMetadataCommand, KvMetadataSettings};
use crate::cli::output::{self, Format};
use crate::cli::{kv_args, Session};
use crate::core::{Error, Operation, Response};
use anyhow::Result;
use serde_json::{json, Map, Value};

pub fn run(s: &mut Session, cmd: KvCommand) -> Result<()> {
    match cmd {
        KvCommand::Put { kv, cas, args } => put(s, &kv, cas.as_deref(), &args),
        KvCommand::Get { kv, version, args } => get(s, &kv, version.as_deref(), &args),
        KvCommand::Patch {
            kv,
            cas,
            method,
            remove_data,
            args,
        } => patch(
            s,
            &kv,
            cas.as_deref(),
            method.as_deref(),
            &remove_data,
            &args,
        ),
        KvCommand::Delete { kv, versions, args } => delete(s, &kv, &versions, &args),
        KvCommand::Undelete { kv, versions, args } => {
            versions_cmd(s, &kv, &versions, &args, "undelete")
        }
        KvCommand::Destroy { kv, versions, args } => {
            versions_cmd(s, &kv, &versions, &args, "destroy")
        }
        KvCommand::List { kv, args } => list(s, &kv, &args),
        KvCommand::Metadata(m) => metadata(s, m),
    }
}

/// Go's `path.Join`: segments joined by `/`, cleaned (no empty or `.` segments, `..`
/// resolved), no trailing slash.
pub fn join(parts: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    let joined = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    let abs = joined.starts_with('/');
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !abs {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let s = out.join("/");
    if abs {
        format!("/{s}")
    } else {
        s
    }
}

/// Vault's `addPrefixToKVPath`: `secret/foo` under mount `secret/` → `secret/data/foo`.
pub fn add_prefix(path: &str, mount: &str, prefix: &str) -> String {
    if path == mount || path == mount.trim_end_matches('/') {
        return join(&[mount, prefix]);
    }
    let suffix = path.strip_prefix(mount).unwrap_or(path);
    join(&[mount, prefix, suffix])
}

/// Where a `kv` command's argument points: the mount path, whether it is KV v2, and the
/// path the command works on (mount-relative paths already joined to the mount).
struct Target {
    mount: String,
    v2: bool,
    partial: String,
    mount_flag: bool,
}

impl Target {
    /// The API path: v2 paths get `prefix` inserted, v1 paths are as given.
    fn full(&self, prefix: &str) -> String {
        if self.v2 {
            add_prefix(&self.partial, &self.mount, prefix)
        } else if self.mount_flag {
            join(&[&self.mount, &self.partial])
        } else {
            self.partial.clone()
        }
    }
}

/// The preflight (`kvPreflightVersionRequest`): mount path and KV version of `path`.
fn preflight(s: &mut Session, path: &str) -> Result<(String, bool)> {
    match s.request(
        Operation::Read,
        &format!("sys/internal/ui/mounts/{path}"),
        Map::new(),
    ) {
        Err(e) if e.status == 404 => Ok((String::new(), false)),
        Err(e) => Err(output::api_error("", &e)),
        Ok(resp) => {
            let data = resp.and_then(|r| r.data).unwrap_or_default();
            let mount = data
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let v2 = data
                .get("options")
                .and_then(|o| o.get("version"))
                .and_then(Value::as_str)
                == Some("2");
            Ok((mount, v2))
        }
    }
}

fn target(s: &mut Session, kv: &KvFlags, arg: &str) -> Result<Target> {
    let mount_flag = kv.mount.as_deref().is_some_and(|m| !m.is_empty());
    let partial = read_write::sanitize_path(arg);
    if mount_flag {
        let m = read_write::sanitize_path(kv.mount.as_deref().unwrap_or(""));
        let (mount, v2) = preflight(s, &m)?;
        let partial = if v2 {
            join(&[&mount, &partial])
        } else {
            partial
        };
        Ok(Target {
            mount,
            v2,
            partial,
            mount_flag,
        })
    } else {
        let (mount, v2) = preflight(s, &partial)?;
        Ok(Target {
            mount,
            v2,
            partial,
            mount_flag,
        })
    }
}

fn parse_data(args: &[String]) -> Result<Map<String, Value>> {
    kv_args::parse(args, &mut std::io::stdin()).map_err(|e| output::local_error(&format!("{e:#}")))
}

/// Parses an integer flag as Go's flag package: `invalid value "x" for flag -cas: parse error`.
fn int_flag(name: &str, v: Option<&str>) -> Result<Option<i64>> {
    match v {
        None => Ok(None),
        Some(t) => t.trim().parse::<i64>().map(Some).map_err(|_| {
            output::local_error(&format!(
                "invalid value {t:?} for flag -{name}: parse error"
            ))
        }),
    }
}

/// `Error ...` for a request error, or a status error, or `None` for a success.
fn check(
    headline: &str,
    r: std::result::Result<Option<Response>, Error>,
) -> Result<Option<Response>> {
    match r {
        Err(e) => Err(output::api_error(headline, &e)),
        Ok(Some(resp)) if resp.status >= 400 => Err(output::status_error(headline, &resp)),
        Ok(r) => Ok(r),
    }
}

/// A `== Title ==` header sized for a map's keys (`getHeaderForMap`).
fn header_for_map(title: &str, data: &Map<String, Value>) -> String {
    let max = data.keys().map(|k| k.len()).max().unwrap_or(0);
    pad_equal_signs(title, max + 4 + 5)
}

fn pad_equal_signs(title: &str, total: usize) -> String {
    let mut n = total as i64 - (title.len() as i64 + 2);
    if n <= 0 {
        n = 4;
    }
    if n % 2 != 0 {
        n += 1;
    }
    let eq = "=".repeat((n / 2) as usize);
    format!("{eq} {title} {eq}")
}

/// `outputPath`: the path under a `== Title ==` header, then a blank line.
fn output_path(path: &str, title: &str) {
    println!("{}", pad_equal_signs(title, path.len()));
    println!("{path}");
    println!();
}

/// `OutputData` in table format: a Key/Value table of a map (nothing when empty).
fn data_table(data: &Map<String, Value>) -> String {
    output::secret_table(&Response::data(data.clone()))
}

fn has_any_data(resp: &Response) -> bool {
    resp.data.as_ref().is_some_and(|d| !d.is_empty()) || !resp.warnings.is_empty()
}

fn format_of(s: &Session, kv: &KvFlags) -> Result<Format> {
    s.format(&kv.out)
}

/// The output of a write that returned version metadata (`kv put`, `kv patch`).
fn print_written(format: Format, kv: &KvFlags, full: &str, resp: Option<Response>) -> Result<()> {
    let Some(resp) = resp.filter(has_any_data) else {
        if format == Format::Table {
            println!("Success! Data written to: {full}");
        }
        return Ok(());
    };
    if let Some(f) = kv.out.field.as_deref() {
        return output::print_response(&resp, format, Some(f));
    }
    if format == Format::Table {
        output::print_warnings(&resp);
        output_path(full, "Secret Path");
        let data = resp.data.clone().unwrap_or_default();
        println!("{}", header_for_map("Metadata", &data));
        print!("{}", data_table(&data));
        return Ok(());
    }
    output::print_response(&resp, format, None)
}

fn put(s: &mut Session, kv: &KvFlags, cas: Option<&str>, args: &[String]) -> Result<()> {
    let format = format_of(s, kv)?;
    match args.len() {
        0 => {
            return Err(output::local_error(
                "Not enough arguments (expected >1, got 0)",
            ))
        }
        1 => return Err(output::local_error("Must supply data")),
        _ => {}
    }
    let cas = int_flag("cas", cas)?.unwrap_or(-1);
    let data = parse_data(&args[1..])?;
    let t = target(s, kv, &args[0])?;
    let full = t.full("data");
    let body = if t.v2 {
        let mut options = Map::new();
        if cas > -1 {
            options.insert("cas".into(), json!(cas));
        }
        let mut b = Map::new();
        b.insert("data".into(), Value::Object(data));
        b.insert("options".into(), Value::Object(options));
        b
    } else {
        data
    };
    let r = s.request(Operation::Update, &full, body);
    let resp = check(&format!("Error writing data to {full}"), r)?;
    print_written(format, kv, &full, resp)
}

fn get(s: &mut Session, kv: &KvFlags, version: Option<&str>, args: &[String]) -> Result<()> {
    let format = format_of(s, kv)?;
    let arg = one_arg(args)?;
    let version = int_flag("version", version)?.unwrap_or(0);
    let arg = arg.trim_start_matches('/').to_string();
    let t = target(s, kv, &arg)?;
    let full = t.full("data");
    let mut params = Map::new();
    if t.v2 && version > 0 {
        params.insert("version".into(), json!(version.to_string()));
    }
    let resp = match s.request(Operation::Read, &full, params) {
        Err(e) if e.status == 404 => None,
        Err(e) => {
            return Err(output::api_error(&format!("Error reading {full}"), &e));
        }
        Ok(r) => r.filter(|r| r.status != 404 || has_any_data(r)),
    };
    let Some(resp) = resp.filter(|r| r.data.is_some() || !r.warnings.is_empty()) else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {full}"),
        ));
    };
    if let Some(field) = kv.out.field.as_deref() {
        if !t.v2 {
            return output::print_response(&resp, format, Some(field));
        }
        let inner = resp
            .data
            .as_ref()
            .and_then(|d| d.get("data"))
            .filter(|v| !v.is_null())
            .cloned();
        let Some(inner) = inner else {
            return Err(output::exit_error(
                output::EXIT_REQUEST,
                format!("No data found at {full}"),
            ));
        };
        if field == "data" && inner.get("data").is_none() {
            return output::print_response(&resp, format, Some(field));
        }
        let value = inner.get(field).filter(|v| !v.is_null()).cloned();
        return match value {
            Some(v) => {
                output::print_raw(&output::render_field(&v, format));
                Ok(())
            }
            None => Err(output::local_error(&format!(
                "Field {} not present in secret",
                crate::core::fields::go_quote(field)
            ))),
        };
    }
    if format != Format::Table {
        return output::print_response(&resp, format, None);
    }
    output::print_warnings(&resp);
    if t.v2 {
        output_path(&full, "Secret Path");
    }
    let all = resp.data.clone().unwrap_or_default();
    if let Some(Value::Object(meta)) = all.get("metadata") {
        println!("{}", header_for_map("Metadata", meta));
        print!("{}", data_table(meta));
        println!();
    }
    let data = if t.v2 {
        match all.get("data") {
            Some(Value::Object(d)) => Some(d.clone()),
            _ => None,
        }
    } else {
        Some(all)
    };
    if let Some(d) = data {
        println!("{}", header_for_map("Data", &d));
        print!("{}", data_table(&d));
    }
    Ok(())
}

fn patch(
    s: &mut Session,
    kv: &KvFlags,
    cas: Option<&str>,
    method: Option<&str>,
    remove: &[String],
    args: &[String],
) -> Result<()> {
    let format = format_of(s, kv)?;
    if args.is_empty() {
        return Err(output::local_error(
            "Not enough arguments (expected >1, got 0)",
        ));
    }
    if remove.is_empty() && args.len() == 1 {
        return Err(output::local_error("Must supply data"));
    }
    let cas = int_flag("cas", cas)?.unwrap_or(0);
    let mut data = parse_data(&args[1..])?;
    let t = target(s, kv, &args[0])?;
    if !t.v2 {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            "K/V engine mount must be version 2 for patch support",
        ));
    }
    let full = t.full("data");
    for k in remove {
        data.insert(k.clone(), Value::Null);
    }
    let (patch_first, fallback) = match method.unwrap_or("") {
        "rw" => (false, false),
        "patch" => (true, false),
        "" => (true, true),
        other => {
            return Err(output::exit_error(
                output::EXIT_REQUEST,
                format!("Unsupported method provided to -method flag: {other}"),
            ));
        }
    };
    if patch_first {
        let mut options = Map::new();
        if cas > 0 {
            options.insert("cas".into(), json!(cas));
        }
        let mut body = Map::new();
        body.insert("data".into(), Value::Object(data.clone()));
        body.insert("options".into(), Value::Object(options));
        match s.request(Operation::Patch, &full, body) {
            Err(e) if fallback && (e.status == 405 || e.status == 403) => {
                if e.status == 403 {
                    eprintln!("Data was written to {full} but we recommend that you add the \"patch\" capability to your ACL policy in order to use HTTP PATCH in the future.");
                }
            }
            r => {
                let resp = check(&format!("Error writing data to {full}"), r)?;
                return print_written(format, kv, &full, resp);
            }
        }
    }
    // Read, merge locally, write with cas = the version read.
    let current = match s.request(Operation::Read, &full, Map::new()) {
        Err(e) if e.status == 404 => None,
        Err(e) => {
            return Err(output::api_error(
                &format!("Error doing pre-read at {full}"),
                &e,
            ))
        }
        Ok(r) => r.filter(|r| r.status != 404 || has_any_data(r)),
    };
    let Some(current) = current.and_then(|r| r.data) else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No value found at {full}"),
        ));
    };
    let Some(Value::Object(meta)) = current.get("metadata").cloned() else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No metadata found at {full}; patch only works on existing data"),
        ));
    };
    let Some(Value::Object(mut old)) = current.get("data").cloned() else {
        return Err(output::exit_error(
            output::EXIT_REQUEST,
            format!("No data found at {full}; patch only works on existing data"),
        ));
    };
    for (k, v) in data {
        old.insert(k, v);
    }
    let mut body = Map::new();
    body.insert("data".into(), Value::Object(old));
    body.insert(
        "options".into(),
        json!({"cas": meta.get("version").cloned().unwrap_or(Value::Null)}),
    );
    let r = s.request(Operation::Update, &full, body);
    let resp = check(&format!("Error writing data to {full}"), r)?;
    print_written(format, kv, &full, resp)
}

/// `-versions` values, each split on commas (`kvParseVersionsFlags`).
fn versions_list(v: &[String]) -> Vec<String> {
    v.iter()
        .flat_map(|x| x.split(',').map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect()
}

fn delete(s: &mut Session, kv: &KvFlags, versions: &[String], args: &[String]) -> Result<()> {
    let format = format_of(s, kv)?;
    let arg = one_arg(args)?;
    let t = target(s, kv, arg)?;
    let full = t.full("data");
    let r = if t.v2 && !versions.is_empty() {
        let mut body = Map::new();
        body.insert("versions".into(), json!(versions_list(versions)));
        s.request(Operation::Update, &t.full("delete"), body)
    } else {
        s.request(Operation::Delete, &full, Map::new())
    };
    match check(&format!("Error deleting {full}"), r) {
        Err(e) => Err(e),
        Ok(resp) => match resp.filter(has_any_data) {
            None => {
                if format == Format::Table {
                    println!("Success! Data deleted (if it existed) at: {full}");
                }
                Ok(())
            }
            Some(resp) => output::print_response(&resp, format, kv.out.field.as_deref()),
        },
    }
}

/// `kv undelete` and `kv destroy`.
fn versions_cmd(
    s: &mut Session,
    kv: &KvFlags,
    versions: &[String],
    args: &[String],
    what: &str,
) -> Result<()> {
    let format = format_of(s, kv)?;
    let arg = one_arg(args)?;
    if versions.is_empty() {
        return Err(output::local_error(&format!(
            "No versions provided, use the \"-versions\" flag to specify the version to {what}."
        )));
    }
    let t = target(s, kv, arg)?;
    if !t.v2 {
        let name = if what == "undelete" {
            "Undelete"
        } else {
            "Destroy"
        };
        return Err(output::local_error(&format!(
            "{name} not supported on KV Version 1"
        )));
    }
    let full = t.full(what);
    let mut body = Map::new();
    body.insert("versions".into(), json!(versions_list(versions)));
    let r = s.request(Operation::Update, &full, body);
    match check(&format!("Error writing data to {full}"), r) {
        Err(e) => Err(e),
        Ok(resp) => match resp.filter(has_any_data) {
            None => {
                if format == Format::Table {
                    println!("Success! Data written to: {full}");
                }
                Ok(())
            }
            Some(resp) => output::print_response(&resp, format, None),
        },
    }
}

fn list(s: &mut Session, kv: &KvFlags, args: &[String]) -> Result<()> {
    let arg = match args {
        [] if kv.mount.as_deref().is_some_and(|m| !m.is_empty()) => String::new(),
        _ => {
            let a = one_arg(args)?;
            a.to_string()
        }
    };
    let t = target(s, kv, &arg)?;
    let full = t.full("metadata");
    read_write::list(s, &kv.out, &full)
}

fn metadata(s: &mut Session, cmd: KvMetadataCommand) -> Result<()> {
    let (kv, args) = match &cmd {
        KvMetadataCommand::Get { kv, args }
        | KvMetadataCommand::Put { kv, args, .. }
        | KvMetadataCommand::Patch { kv, args, .. }
        | KvMetadataCommand::Delete { kv, args } => (kv.clone(), args.clone()),
    };
    let format = format_of(s, &kv)?;
    let arg = one_arg(&args)?.to_string();
    // Flags are checked before any request, as Go's flag parsing does.
    let mut body = Map::new();
    let flags = match &cmd {
        KvMetadataCommand::Put { settings, .. } => Some((settings, None)),
        KvMetadataCommand::Patch {
            settings,
            remove_custom_metadata,
            ..
        } => Some((settings, Some(remove_custom_metadata))),
        _ => None,
    };
    if let Some((settings, remove)) = flags {
        let KvMetadataSettings {
            max_versions,
            cas_required,
            delete_version_after,
            custom_metadata,
        } = settings;
        if let Some(n) = int_flag("max-versions", max_versions.as_deref())?.filter(|n| *n >= 0) {
            body.insert("max_versions".into(), json!(n));
        }
        if let Some(d) = delete_version_after {
            match crate::core::fields::go_parse_duration(d.trim()) {
                Ok(nanos) if nanos >= 0 => {
                    let secs = (nanos / 1_000_000_000) as i64;
                    body.insert(
                        "delete_version_after".into(),
                        json!(crate::core::fields::go_duration_string(secs)),
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(output::local_error(&format!(
                        "invalid value {d:?} for flag -delete-version-after: {e}"
                    )))
                }
            }
        }
        if let Some(c) = cas_required {
            match crate::core::fields::boolean(&json!(c)) {
                Ok(b) if !c.is_empty() => {
                    body.insert("cas_required".into(), json!(b));
                }
                _ => {
                    return Err(output::local_error(&format!(
                        "invalid boolean value {c:?} for -cas-required: parse error"
                    )))
                }
            }
        }
        if !custom_metadata.is_empty() {
            let mut m = Map::new();
            for kvp in custom_metadata {
                match kvp.split_once('=') {
                    Some((k, v)) => {
                        m.insert(k.to_string(), json!(v));
                    }
                    None => {
                        return Err(output::local_error(&format!(
                            "invalid value {kvp:?} for flag -custom-metadata: missing = in KV pair: {kvp:?}"
                        )))
                    }
                }
            }
            body.insert("custom_metadata".into(), Value::Object(m));
        }
        // A patch always carries custom_metadata; a null removes a key (JSON merge patch).
        if let Some(remove) = remove {
            let mut m = match body.remove("custom_metadata") {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            for k in remove {
                m.insert(k.clone(), Value::Null);
            }
            body.insert("custom_metadata".into(), Value::Object(m));
        }
    }
    let t = target(s, &kv, &arg)?;
    if !t.v2 {
        return Err(output::local_error(
            "Metadata not supported on KV Version 1",
        ));
    }
    let full = t.full("metadata");
    match cmd {
        KvMetadataCommand::Get { .. } => {
            let resp = match s.request(Operation::Read, &full, Map::new()) {
                Err(e) if e.status == 404 => None,
                Err(e) => return Err(output::api_error(&format!("Error reading {full}"), &e)),
                Ok(r) => r.filter(|r| r.data.is_some()),
            };
            let Some(resp) = resp else {
                return Err(output::exit_error(
                    output::EXIT_REQUEST,
                    format!("No value found at {full}"),
                ));
            };
            if let Some(f) = kv.out.field.as_deref() {
                return output::print_response(&resp, format, Some(f));
            }
            if format != Format::Table {
                return output::print_response(&resp, format, None);
            }
            let mut data = resp.data.clone().unwrap_or_default();
            let Some(Value::Object(versions)) = data.remove("versions") else {
                return Err(output::exit_error(
                    output::EXIT_REQUEST,
                    format!("No value found at {full}"),
                ));
            };
            output_path(&full, "Metadata Path");
            println!("{}", header_for_map("Metadata", &data));
            let mut rest = resp.clone();
            rest.data = Some(data);
            output::print_warnings(&rest);
            print!("{}", output::secret_table(&rest));
            let mut nums: Vec<u64> = versions.keys().filter_map(|k| k.parse().ok()).collect();
            nums.sort();
            for n in nums {
                if let Some(Value::Object(v)) = versions.get(&n.to_string()) {
                    println!();
                    println!("{}", header_for_map(&format!("Version {n}"), v));
                    print!("{}", data_table(v));
                }
            }
            Ok(())
        }
        KvMetadataCommand::Put { .. } | KvMetadataCommand::Patch { .. } => {
            let op = if matches!(cmd, KvMetadataCommand::Put { .. }) {
                Operation::Update
            } else {
                Operation::Patch
            };
            let r = s.request(op, &full, body);
            match check(&format!("Error writing data to {full}"), r) {
                Err(e) => Err(e),
                Ok(resp) => match resp.filter(has_any_data) {
                    None => {
                        if format == Format::Table {
                            println!("Success! Data written to: {full}");
                        }
                        Ok(())
                    }
                    Some(resp) => output::print_response(&resp, format, None),
                },
            }
        }
        KvMetadataCommand::Delete { .. } => {
            let r = s.request(Operation::Delete, &full, Map::new());
            match check(&format!("Error deleting {full}"), r) {
                Err(e) => Err(e),
                Ok(_) => {
                    if format == Format::Table {
                        println!("Success! Data deleted (if it existed) at: {full}");
                    }
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_go() {
        assert_eq!(join(&["kv2/", "data", "foo"]), "kv2/data/foo");
        assert_eq!(join(&["kv2/", "data", ""]), "kv2/data");
        assert_eq!(join(&["a//b/", "./c/../d"]), "a/b/d");
        assert_eq!(
            add_prefix("kv2/foo/bar", "kv2/", "data"),
            "kv2/data/foo/bar"
        );
        assert_eq!(add_prefix("kv2", "kv2/", "metadata"), "kv2/metadata");
        assert_eq!(pad_equal_signs("Secret Path", 12), "== Secret Path ==");
        let m: Map<String, Value> = serde_json::from_value(json!({"custom_metadata": 1})).unwrap();
        assert_eq!(header_for_map("Metadata", &m), "======= Metadata =======");
        assert_eq!(header_for_map("Data", &Map::new()), "== Data ==");
    }
}
