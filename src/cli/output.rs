//! The only place that turns responses and errors into text: Vault's table, JSON and YAML
//! output, `-field`, the error shapes, and exit codes (0 ok, 1 local/usage, 2 request error).
//!
//! The shapes follow OpenBao's `command/format.go` and `command/util.go`: JSON is Go's
//! `json.MarshalIndent` (maps sorted, `<>&` escaped), YAML has every map sorted, tables are
//! columnized with four spaces and empty cells shown as `n/a`, warnings go to stderr.

use crate::core::{fields, Auth, Error, Response};
use serde_json::{json, Map, Value};
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
}

impl Format {
    /// Vault's formatter names (`table`, `json`, `yaml`, `yml`); anything else is
    /// `Invalid output format: NAME`.
    pub fn parse(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "table" | "" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            _ => Err(format!("Invalid output format: {s}")),
        }
    }
}

/// Exit status of a request error.
pub const EXIT_REQUEST: u8 = 2;
/// Exit status of a local or usage error.
pub const EXIT_LOCAL: u8 = 1;

/// The text of a request error as Vault's API client formats it (without the URL line, as
/// there is no server): `Error making API request.`, `Code: N. Errors:`, `* message`.
pub fn api_error_text(headline: &str, err: &Error) -> String {
    // No answer from a server (remote mode): Go's error after the headline, as the vault CLI.
    if err.status == 0 {
        return format!("{headline}: {}\n", err.message());
    }
    if err.raw {
        return format!(
            "{headline}: Error making API request.\n\nCode: {}. Raw Message:\n\n{}\n",
            err.status,
            err.message()
        );
    }
    let mut s = format!(
        "{headline}: Error making API request.\n\nCode: {}. Errors:\n\n",
        err.status
    );
    for m in &err.errors {
        s.push_str(&format!("* {m}\n"));
    }
    s
}

/// The one error type of the CLI: every command and helper returns it (inside `anyhow`)
/// instead of printing and returning an exit code; `cli::print_error` is the one place its
/// text is written to stderr, and gives the process its exit code.
#[derive(Debug)]
pub enum Failure {
    /// A request the core or a server answered with an error: Vault's `Error making API
    /// request.` block under `headline` (`Error writing data to auth/jwt/role/x`), exit 2. A
    /// failure of the local storage (a corrupt or unwritable state file) carried this way is a
    /// local error: `Error: MESSAGE`, exit 1.
    /// An empty headline is the shape of the kv preflight's error: Vault's block alone.
    Api { headline: String, error: Error },
    /// A response that is an HTTP error for Vault's API client though it carries no error
    /// (a 404 with warnings, a bodiless 404): the block under `headline`, then the warnings;
    /// exit 2.
    Status {
        headline: String,
        response: Box<Response>,
    },
    /// A local or usage error: one line, as it is, exit 1.
    Local(String),
    /// Its own exit code and its text as it is (as Vault's CLI prints a failure to set up its
    /// client, exit 2, or `No value found at PATH`, exit 2).
    Exit { code: u8, message: String },
    /// The command already printed what it had to say (`jwt explain`'s report of a refused
    /// login): only the exit code.
    Silent(u8),
}

impl Failure {
    /// The exit status the process ends with.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Api { headline, error }
                if !headline.is_empty() && local_storage_message(error).is_some() =>
            {
                EXIT_LOCAL
            }
            Failure::Api { .. } | Failure::Status { .. } => EXIT_REQUEST,
            Failure::Local(_) => EXIT_LOCAL,
            Failure::Exit { code, .. } | Failure::Silent(code) => *code,
        }
    }

    /// The exact bytes written to stderr (each line ending with a newline; empty for
    /// [`Failure::Silent`]).
    pub fn text(&self) -> String {
        match self {
            Failure::Api { headline, error } if headline.is_empty() => api_error_text("", error)
                .trim_start_matches(": ")
                .to_string(),
            Failure::Api { headline, error } => match local_storage_message(error) {
                Some(msg) => format!("Error: {msg}\n"),
                None => api_error_text(headline, error),
            },
            Failure::Status { headline, response } => {
                let mut text = format!(
                    "{headline}: Error making API request.\n\nCode: {}. ",
                    response.status
                );
                if response.warnings.is_empty() && response.data.is_none() {
                    text.push_str("Raw Message:\n\n\n");
                } else {
                    text.push_str("Errors:\n\n\n");
                }
                if !response.warnings.is_empty() {
                    text.push_str(&warnings_text(&response.warnings));
                }
                text
            }
            Failure::Local(message) | Failure::Exit { message, .. } => format!("{message}\n"),
            Failure::Silent(_) => String::new(),
        }
    }
}

/// The message of a request error that is really a failure of the local storage (marked
/// `local` by the core, see `StorageError::Local`).
fn local_storage_message(err: &Error) -> Option<&str> {
    match err.errors.as_slice() {
        [msg] if err.local => Some(msg),
        _ => None,
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().trim_end_matches('\n'))
    }
}

impl std::error::Error for Failure {}

/// A request error under `headline`, as an error for `?` (see [`Failure::Api`]).
pub fn api_error(headline: &str, err: &Error) -> anyhow::Error {
    Failure::Api {
        headline: headline.to_string(),
        error: err.clone(),
    }
    .into()
}

/// A local or usage error, as an error for `?` (see [`Failure::Local`]).
pub fn local_error(msg: &str) -> anyhow::Error {
    Failure::Local(msg.to_string()).into()
}

/// A response that is an HTTP error though it carries no error (see [`Failure::Status`]).
pub fn status_error(headline: &str, resp: &Response) -> anyhow::Error {
    Failure::Status {
        headline: headline.to_string(),
        response: Box::new(resp.clone()),
    }
    .into()
}

/// An error with its own exit code and message (see [`Failure::Exit`]).
pub fn exit_error(code: u8, message: impl Into<String>) -> anyhow::Error {
    Failure::Exit {
        code,
        message: message.into(),
    }
    .into()
}

/// Vault's API secret shape (`api.Secret`) of a response.
pub fn secret_json(resp: &Response) -> Value {
    let mut out = Map::new();
    out.insert("request_id".into(), json!(uuid::Uuid::new_v4().to_string()));
    out.insert("lease_id".into(), json!(resp.lease_id));
    out.insert("lease_duration".into(), json!(resp.lease_duration));
    out.insert("renewable".into(), json!(resp.renewable));
    out.insert(
        "data".into(),
        resp.data
            .clone()
            .map(|d| sorted(&Value::Object(d)))
            .unwrap_or(Value::Null),
    );
    out.insert(
        "warnings".into(),
        if resp.warnings.is_empty() {
            Value::Null
        } else {
            json!(resp.warnings)
        },
    );
    if let Some(auth) = &resp.auth {
        out.insert("auth".into(), auth_json(auth));
    }
    Value::Object(out)
}

/// Vault's `api.SecretAuth` shape.
pub fn auth_json(a: &Auth) -> Value {
    json!({
        "client_token": a.client_token,
        "accessor": a.accessor,
        "policies": a.policies,
        // Go's nil slices: the core leaves both unset when there is nothing to put in them.
        "token_policies": if a.token_policies.is_empty() { Value::Null } else { json!(a.token_policies) },
        "identity_policies": if a.identity_policies.is_empty() { Value::Null } else { json!(a.identity_policies) },
        "metadata": if a.metadata.is_empty() { Value::Null } else { json!(a.metadata) },
        "orphan": a.orphan,
        "entity_id": a.entity_id,
        "lease_duration": a.lease_duration,
        "renewable": a.renewable,
        "mfa_requirement": Value::Null,
    })
}

/// `v` with the keys of every object sorted, as Go marshals a `map[string]interface{}`.
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), sorted(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Go's `json.MarshalIndent(v, "", "  ")`: two-space indent, and `<`, `>`, `&`, U+2028 and
/// U+2029 escaped (they can only occur inside strings, so a textual replacement is exact).
pub fn go_json(v: &Value) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// YAML as `sigs.k8s.io/yaml` writes it (see [`crate::cli::yaml`]), without the final
/// newline.
pub fn go_yaml(v: &Value) -> String {
    let mut s = crate::cli::yaml::to_string(v);
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

/// Go's `%v` rendering of a decoded JSON value, as Vault's table output shows values.
pub use crate::framework::go::go_v as go_value;

/// Vault's `looksLikeDuration`: keys whose integer values a table shows as durations.
pub fn looks_like_duration(k: &str) -> bool {
    k == "period"
        || k.ends_with("_period")
        || k == "ttl"
        || k.ends_with("_ttl")
        || k == "duration"
        || k.ends_with("_duration")
        || k == "lease_max"
        || k == "ttl_max"
}

/// A table value: integers under duration-like keys as durations (`humanDurationInt`),
/// everything else as Go's `%v`.
fn table_value(k: &str, v: &Value) -> String {
    if looks_like_duration(k) {
        if let Some(secs) = v.as_i64() {
            return fields::human_duration(secs);
        }
    }
    go_value(v)
}

/// Vault's `columnize` with `Glue: "    "` and `Empty: "n/a"`: cells trimmed, empty cells
/// shown as `n/a`, every column but the last padded to its widest cell.
pub fn columnize(rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| {
                    let t = c.trim();
                    if t.is_empty() {
                        "n/a".to_string()
                    } else {
                        t.to_string()
                    }
                })
                .collect()
        })
        .collect();
    let ncols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; ncols];
    for r in &cells {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let mut out = String::new();
    for r in &cells {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                let w = widths.get(i).copied().unwrap_or(0);
                line.push_str(&format!("{c:<w$}    "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Vault's `tableOutput`: a header row, a rule of dashes under each header, then the rows.
pub fn table_with_header(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = Vec::with_capacity(rows.len() + 2);
    all.push(header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    all.push(header.iter().map(|h| "-".repeat(h.len())).collect());
    all.extend(rows.iter().cloned());
    columnize(&all)
}

/// [`table_with_header`] made to fit `width` columns: when the table is wider, the widest
/// columns are narrowed (not below 12 characters) and their cells wrapped onto continuation
/// lines; `None` (no limit) gives the plain table.
pub fn table_fitted(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    const GAP: usize = 4;
    const MIN: usize = 12;
    let Some(width) = width else {
        return table_with_header(header, rows);
    };
    let mut all = Vec::with_capacity(rows.len() + 2);
    all.push(header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    all.push(header.iter().map(|h| "-".repeat(h.len())).collect());
    all.extend(rows.iter().map(|r| {
        r.iter()
            .map(|c| match c.trim() {
                "" => "n/a".to_string(),
                t => t.to_string(),
            })
            .collect::<Vec<_>>()
    }));
    let ncols = header.len();
    let mut widths = vec![0usize; ncols];
    for r in &all {
        for (i, c) in r.iter().enumerate().take(ncols) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
    // Narrow the widest column, one character at a time, until it fits or cannot.
    while total(&widths) > width {
        let (i, w) = widths
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|&(_, w)| w)
            .unwrap_or((0, 0));
        if w <= MIN {
            break;
        }
        widths[i] = w - 1;
    }
    let mut out = String::new();
    for r in &all {
        let cells: Vec<Vec<String>> = (0..ncols)
            .map(|i| wrap_hard(r.get(i).map(String::as_str).unwrap_or(""), widths[i]))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let c = cell.get(line).map(String::as_str).unwrap_or("");
                if i + 1 == ncols {
                    text.push_str(c);
                } else {
                    let pad = widths[i] - c.chars().count().min(widths[i]);
                    text.push_str(c);
                    text.push_str(&" ".repeat(pad + GAP));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Greedy word wrap into lines of at most `lim` characters; a word longer than a line is cut.
fn wrap_hard(s: &str, lim: usize) -> Vec<String> {
    let lim = lim.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let cur_len = cur.chars().count();
            let need = if cur.is_empty() {
                word.len()
            } else {
                cur_len + 1 + word.len()
            };
            if need <= lim {
                if !cur.is_empty() {
                    cur.push(' ');
                }
                cur.extend(word.iter());
                break;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
                continue;
            }
            let rest = word.split_off(lim);
            lines.push(word.iter().collect());
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The width of the terminal standard output is, when it is one (`COLUMNS` first, as shells
/// set it); `None` when output goes to a pipe or a file.
pub fn terminal_width() -> Option<usize> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|&n| n > 0)
}

/// Key/Value rows under a `Key  Value` header, columns padded as Vault's columnize does.
pub fn table(rows: &[(String, String)], header: (&str, &str)) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    table_with_header(&[header.0, header.1], &rows)
}

/// kr/text's `Wrap`: words re-flowed into lines of at most `lim` characters, choosing the
/// breaks that minimise raggedness (the sum of squared slack), as Vault's CLI wraps text.
pub fn wrap(s: &str, lim: usize) -> String {
    let text = s.trim().replace('\n', " ");
    let words: Vec<&str> = text.split(' ').collect();
    let n = words.len();
    if n == 0 {
        return String::new();
    }
    // len(i, j): length of words i..=j joined by single spaces.
    let mut prefix = vec![0usize; n + 1];
    for (i, w) in words.iter().enumerate() {
        prefix[i + 1] = prefix[i] + w.chars().count();
    }
    let len = |i: usize, j: usize| prefix[j + 1] - prefix[i] + (j - i);
    const PENALTY: i64 = 100_000;
    let lim_i = lim as i64;
    let mut cost = vec![i64::MAX; n + 1];
    let mut brk = vec![n; n];
    cost[n] = 0;
    for i in (0..n).rev() {
        if len(i, n - 1) <= lim || i == n - 1 {
            cost[i] = 0;
            brk[i] = n;
            continue;
        }
        for j in i + 1..n {
            let l = len(i, j - 1) as i64;
            let d = lim_i - l;
            let mut c = d.saturating_mul(d).saturating_add(cost[j]);
            if l > lim_i {
                c = c.saturating_add(PENALTY);
            }
            if c < cost[i] {
                cost[i] = c;
                brk[i] = j;
            }
        }
    }
    let mut lines = Vec::new();
    let mut i = 0;
    while i < n {
        let j = brk[i].max(i + 1);
        lines.push(words[i..j].join(" "));
        i = j;
    }
    lines.join("\n")
}

/// Vault's `wrapAtLengthWithPadding` (80 columns).
pub fn wrap_with_padding(s: &str, pad: usize) -> String {
    wrap(s, 80 - pad)
        .lines()
        .map(|l| format!("{}{l}", " ".repeat(pad)))
        .collect::<Vec<_>>()
        .join("\n")
}

static SERVER_NAME: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// Names the server in messages that name it: `OpenBao` in strict mode (bao's own wording),
/// `Vault` otherwise. Set once per process by the session.
pub fn set_server_name(name: &'static str) {
    let _ = SERVER_NAME.set(name);
}

fn server_name() -> &'static str {
    SERVER_NAME.get().copied().unwrap_or("Vault")
}

/// The warnings block the table format prints to stderr before a secret.
pub fn warnings_text(warnings: &[String]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "WARNING! The following warnings were returned from {}:\n\n",
        server_name()
    );
    for w in warnings {
        s.push_str(&wrap_with_padding(&format!("* {w}"), 2));
        s.push_str("\n\n");
    }
    s
}

/// Prints the warnings of a response to stderr (table format only, as Vault does).
pub fn print_warnings(resp: &Response) {
    if !resp.warnings.is_empty() {
        eprint!("{}", warnings_text(&resp.warnings));
    }
}

/// Table output of a secret (stdout part): lease rows, auth rows, data rows. Empty when
/// there is nothing to show. Warnings are not included: see [`print_warnings`].
pub fn secret_table(resp: &Response) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    if resp.lease_duration > 0 {
        if !resp.lease_id.is_empty() {
            rows.push(("lease_id".into(), resp.lease_id.clone()));
            rows.push((
                "lease_duration".into(),
                fields::human_duration(resp.lease_duration),
            ));
            rows.push(("lease_renewable".into(), resp.renewable.to_string()));
        } else {
            rows.push((
                "refresh_interval".into(),
                fields::human_duration(resp.lease_duration),
            ));
        }
    }
    if let Some(a) = &resp.auth {
        rows.extend(auth_rows(a));
    }
    if let Some(data) = &resp.data {
        let mut keys: Vec<&String> = data.keys().collect();
        keys.sort();
        for k in keys {
            if let Some(v) = data.get(k.as_str()) {
                rows.push((k.clone(), table_value(k, v)));
            }
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    table(&rows, ("Key", "Value"))
}

fn go_quoted_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| fields::go_quote(s)).collect();
    format!("[{}]", q.join(" "))
}

fn auth_rows(a: &Auth) -> Vec<(String, String)> {
    let mut rows = vec![
        ("token".to_string(), a.client_token.clone()),
        ("token_accessor".to_string(), a.accessor.clone()),
        (
            "token_duration".to_string(),
            if a.lease_duration == 0 {
                "∞".into()
            } else {
                fields::human_duration(a.lease_duration)
            },
        ),
        ("token_renewable".to_string(), a.renewable.to_string()),
        (
            "token_policies".to_string(),
            go_quoted_list(&a.token_policies),
        ),
        (
            "identity_policies".to_string(),
            go_quoted_list(&a.identity_policies),
        ),
        ("policies".to_string(), go_quoted_list(&a.policies)),
    ];
    for (k, v) in &a.metadata {
        rows.push((format!("token_meta_{k}"), v.clone()));
    }
    rows
}

/// Renders any JSON value in the chosen format (used for lists and custom outputs), with a
/// trailing newline. Table format shows a string as it is and anything else as Go's `%v`.
pub fn render_value(v: &Value, format: Format) -> String {
    match format {
        Format::Json => format!("{}\n", go_json(v)),
        Format::Yaml => format!("{}\n", go_yaml(v)),
        Format::Table => match v {
            Value::String(s) => format!("{s}\n"),
            other => format!("{}\n", go_value(other)),
        },
    }
}

/// Renders a whole response in the chosen format (stdout part; for the table format the
/// warnings are printed separately by [`print_warnings`]).
pub fn render_secret(resp: &Response, format: Format) -> String {
    match format {
        Format::Table => secret_table(resp),
        other => render_value(&secret_json(resp), other),
    }
}

/// Prints a response as Vault's `OutputSecret` / `PrintRawField` do: the whole secret, or
/// only `field`. A local error (exit 1) when the field is absent. This is the entry
/// point commands should use to print a response.
pub fn print_response(resp: &Response, format: Format, field: Option<&str>) -> anyhow::Result<()> {
    if let Some(field) = field {
        return match field_value(resp, field) {
            Some(v) => {
                print_raw(&render_field(&v, format));
                Ok(())
            }
            None => Err(local_error(&format!(
                "Field {} not present in secret",
                fields::go_quote(field)
            ))),
        };
    }
    if format == Format::Table {
        print_warnings(resp);
    }
    print!("{}", render_secret(resp, format));
    Ok(())
}

/// Vault's `PrintRaw`: the value followed by a newline on a terminal, and exactly the
/// value when stdout is piped (so `$(vaultjwt read -field=x ...)` needs no trimming).
pub fn print_raw(s: &str) {
    let mut out = std::io::stdout().lock();
    if out.is_terminal() {
        let _ = writeln!(out, "{s}");
    } else {
        let _ = write!(out, "{s}");
    }
    let _ = out.flush();
}

/// The value of `-field=NAME` (Vault's `RawField`): with auth, `token`, `token_accessor`,
/// `token_duration` (seconds), `token_renewable`, `token_policies`, `identity_policies`,
/// `policies`, else a data key; without auth, `lease_duration`, `lease_id`, `request_id`,
/// `renewable`, `refresh_interval`, `data`, else a data key. `None` (absent or null) is
/// Vault's `Field "NAME" not present in secret`.
pub fn field_value(resp: &Response, field: &str) -> Option<Value> {
    let data = |k: &str| {
        resp.data
            .as_ref()
            .and_then(|d| d.get(k))
            .filter(|v| !v.is_null())
            .cloned()
    };
    if let Some(a) = &resp.auth {
        return match field {
            "token" => Some(json!(a.client_token)),
            "token_accessor" => Some(json!(a.accessor)),
            "token_duration" => Some(json!(a.lease_duration)),
            "token_renewable" => Some(json!(a.renewable)),
            "token_policies" => Some(json!(a.token_policies)),
            "identity_policies" => Some(json!(a.identity_policies)),
            "policies" => Some(json!(a.policies)),
            other => data(other),
        };
    }
    match field {
        "lease_duration" | "refresh_interval" => Some(json!(resp.lease_duration)),
        "lease_id" => Some(json!(resp.lease_id)),
        "request_id" => Some(json!(uuid::Uuid::new_v4().to_string())),
        "renewable" => Some(json!(resp.renewable)),
        "data" => data("data").or_else(|| resp.data.clone().map(Value::Object)),
        other => data(other),
    }
}

/// `-field` output: table as Go's `%v`; JSON and YAML as the formatter renders the value
/// (a string is quoted in JSON). No trailing newline: see [`print_raw`].
pub fn render_field(v: &Value, format: Format) -> String {
    match format {
        Format::Table => go_value(v),
        Format::Json => go_json(&sorted(v)),
        Format::Yaml => crate::cli::yaml::to_string(v),
    }
}

#[cfg(test)]
mod tests {
    use super::{Failure, EXIT_LOCAL, EXIT_REQUEST};
    use crate::core::{Error, Response};

    #[test]
    fn an_api_error_prints_vaults_block_once_and_exits_2() {
        let e = Error {
            status: 400,
            errors: vec!["first problem".into(), "second problem".into()],
            raw: false,
            local: false,
        };
        let err = super::api_error("Error writing data to auth/jwt/role/x", &e);
        let f = err.downcast_ref::<Failure>().expect("a Failure");
        assert_eq!(f.code(), EXIT_REQUEST);
        assert_eq!(
            f.text(),
            "Error writing data to auth/jwt/role/x: Error making API request.\n\n\
             Code: 400. Errors:\n\n* first problem\n* second problem\n"
        );
    }

    #[test]
    fn a_local_storage_failure_carried_as_a_request_error_is_local() {
        let error: Error =
            crate::storage::StorageError::Local("state file is corrupt".into()).into();
        let msg = error.message();
        let f = Failure::Api {
            headline: "Error reading x".into(),
            error,
        };
        assert_eq!(f.code(), EXIT_LOCAL);
        assert_eq!(f.text(), format!("Error: {msg}\n"));
        // The preflight's shape (no headline) keeps Vault's block, as before.
        let f = Failure::Api {
            headline: String::new(),
            error: Error::new(403, "permission denied"),
        };
        assert_eq!(f.code(), EXIT_REQUEST);
        assert_eq!(
            f.text(),
            "Error making API request.\n\nCode: 403. Errors:\n\n* permission denied\n"
        );
    }

    #[test]
    fn local_exit_and_silent_failures_keep_their_words_and_codes() {
        let f = Failure::Local("Must supply data".into());
        assert_eq!(
            (f.code(), f.text().as_str()),
            (EXIT_LOCAL, "Must supply data\n")
        );
        let f = Failure::Exit {
            code: EXIT_REQUEST,
            message: "No value found at secret/x".into(),
        };
        assert_eq!(
            (f.code(), f.text().as_str()),
            (EXIT_REQUEST, "No value found at secret/x\n")
        );
        let f = Failure::Silent(EXIT_REQUEST);
        assert_eq!((f.code(), f.text().as_str()), (EXIT_REQUEST, ""));
    }

    #[test]
    fn a_status_error_prints_the_block_then_the_warnings() {
        let resp = Response {
            status: 404,
            warnings: vec!["Invalid path for a versioned K/V secrets engine.".into()],
            ..Default::default()
        };
        let f = Failure::Status {
            headline: "Error writing data to secret/x".into(),
            response: Box::new(resp.clone()),
        };
        assert_eq!(f.code(), EXIT_REQUEST);
        let text = f.text();
        assert!(
            text.starts_with(
                "Error writing data to secret/x: Error making API request.\n\nCode: 404. Errors:\n\n\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(&super::warnings_text(&resp.warnings)),
            "{text}"
        );
        let bodiless = Failure::Status {
            headline: "Error writing data to secret/x".into(),
            response: Box::new(Response {
                status: 404,
                ..Default::default()
            }),
        };
        assert!(bodiless.text().ends_with("Code: 404. Raw Message:\n\n\n"));
    }

    #[test]
    fn a_fitted_table_wraps_its_widest_columns_to_the_width() {
        let rows = vec![vec![
            "iss".to_string(),
            "https://issuer.example/a/very/long/path".to_string(),
            "x".to_string(),
            "the issuer in the token is not the one the configuration expects".to_string(),
        ]];
        let header = ["Check", "Expected", "Actual", "Error / hint"];
        // No width: one line per row, as table_with_header.
        assert_eq!(
            table_fitted(&header, &rows, None),
            table_with_header(&header, &rows)
        );
        let t = table_fitted(&header, &rows, Some(60));
        assert!(t.lines().all(|l| l.chars().count() <= 60), "{t}");
        assert!(t.lines().count() > 3, "{t}");
        // Nothing is lost: the long URL is cut into pieces that follow each other.
        let pieces: String = t
            .lines()
            .skip(2)
            .filter_map(|l| l.get(9..).and_then(|r| r.split_whitespace().next()))
            .filter(|w| w.contains('/') || w.starts_with('h') || w.starts_with("ple"))
            .collect();
        assert_eq!(pieces, "https://issuer.example/a/very/long/path", "{t}");
        assert!(t.contains("configuration"), "{t}");
        // Wide enough: unchanged.
        assert_eq!(
            table_fitted(&header, &rows, Some(500)),
            table_with_header(&header, &rows)
        );
    }

    use super::*;

    #[test]
    fn formats_parse_and_reject() {
        assert_eq!(Format::parse("JSON"), Ok(Format::Json));
        assert_eq!(Format::parse("yml"), Ok(Format::Yaml));
        assert_eq!(
            Format::parse("xml"),
            Err("Invalid output format: xml".to_string())
        );
    }

    #[test]
    fn table_pads_and_shows_empty_cells_as_na() {
        let t = table(
            &[
                ("bound_subject".into(), "".into()),
                ("token_ttl".into(), "1h".into()),
            ],
            ("Key", "Value"),
        );
        assert_eq!(
            t,
            "Key              Value\n---              -----\nbound_subject    n/a\ntoken_ttl        1h\n"
        );
    }

    #[test]
    fn secret_table_matches_bao() {
        let resp = Response::json(json!({
            "token_ttl": 3600, "clock_skew_leeway": 0, "bound_claims": null,
            "bound_audiences": ["vault"], "groups_claim": "", "token_period": 0,
            "ttl_text": "5", "token_bound_cidrs": [], "m": {"b": 1, "a": "x"}
        }));
        let t = secret_table(&resp);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Key                  Value");
        assert!(lines.contains(&"bound_audiences      [vault]"), "{t}");
        assert!(lines.contains(&"bound_claims         <nil>"), "{t}");
        assert!(lines.contains(&"clock_skew_leeway    0"), "{t}");
        assert!(lines.contains(&"groups_claim         n/a"), "{t}");
        assert!(lines.contains(&"token_period         0s"), "{t}");
        assert!(lines.contains(&"token_ttl            1h"), "{t}");
        assert!(lines.contains(&"ttl_text             5"), "{t}");
        assert!(lines.contains(&"token_bound_cidrs    []"), "{t}");
        assert!(lines.contains(&"m                    map[a:x b:1]"), "{t}");
    }

    #[test]
    fn lease_rows_use_refresh_interval_without_lease_id() {
        let mut r = Response::json(json!({"a": 1}));
        r.lease_duration = 90;
        assert!(secret_table(&r).contains("refresh_interval    1m30s"));
        r.lease_id = "x/1".into();
        let t = secret_table(&r);
        assert!(t.contains("lease_id           x/1") && t.contains("lease_renewable    false"));
    }

    #[test]
    fn json_is_sorted_and_html_escaped() {
        let r = Response::json(json!({"z": 1, "a": "<b>&"}));
        let s = render_secret(&r, Format::Json);
        let a = s.find("\"a\"").unwrap();
        let z = s.find("\"z\"").unwrap();
        assert!(a < z, "{s}");
        assert!(s.contains("\\u003cb\\u003e\\u0026"), "{s}");
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["data"]["a"], "<b>&");
        assert_eq!(v["warnings"], Value::Null);
    }

    #[test]
    fn yaml_is_sorted_and_trimmed() {
        let y = render_value(&json!({"b": [1], "a": {"d": 1, "c": 2}}), Format::Yaml);
        assert_eq!(y, "a:\n  c: 2\n  d: 1\nb:\n- 1\n");
    }

    #[test]
    fn fields_follow_raw_field() {
        let mut r = Response::json(json!({"algs": ["RS256", "ES256"], "s": "x", "n": null}));
        assert_eq!(
            render_field(&field_value(&r, "algs").unwrap(), Format::Table),
            "[RS256 ES256]"
        );
        assert_eq!(
            render_field(&field_value(&r, "s").unwrap(), Format::Json),
            "\"x\""
        );
        assert_eq!(field_value(&r, "n"), None);
        assert_eq!(field_value(&r, "missing"), None);
        assert_eq!(field_value(&r, "lease_duration"), Some(json!(0)));
        r.auth = Some(Auth {
            client_token: "t".into(),
            lease_duration: 3600,
            policies: vec!["default".into()],
            ..Default::default()
        });
        assert_eq!(field_value(&r, "token"), Some(json!("t")));
        assert_eq!(field_value(&r, "token_duration"), Some(json!(3600)));
        assert_eq!(
            render_field(&field_value(&r, "policies").unwrap(), Format::Table),
            "[default]"
        );
        assert_eq!(field_value(&r, "lease_id"), None);
    }

    #[test]
    fn warnings_wrap_like_kr_text() {
        let w = "x ".repeat(50);
        let text = warnings_text(&[w.trim().to_string()]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "WARNING! The following warnings were returned from Vault:"
        );
        assert_eq!(lines[1], "");
        assert!(lines[2].starts_with("  * x x"));
        assert!(lines.iter().all(|l| l.chars().count() <= 80));
        assert_eq!(wrap("a b", 80), "a b");
        assert_eq!(wrap("", 10), "");
        // A word longer than the limit stays whole on its own line.
        assert_eq!(wrap("aaaaaaaaaaaa b", 5), "aaaaaaaaaaaa\nb");
    }

    #[test]
    fn api_error_shape() {
        let e = Error::bad_request("missing role");
        assert_eq!(
            api_error_text("Error writing data to auth/jwt/login", &e),
            "Error writing data to auth/jwt/login: Error making API request.\n\nCode: 400. Errors:\n\n* missing role\n"
        );
    }
}
