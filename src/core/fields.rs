//! Parameter conversion with the semantics of Vault's `framework` field types (spec §1.1).
//! Each function takes the raw JSON value and returns the converted value or the conversion
//! detail; callers wrap it as `error converting input for field "<name>": <detail>`.

use serde_json::{Map, Value};

/// The text of a conversion failure, without the field prefix.
pub type Detail = String;

/// The message Vault gives for a field that cannot be converted.
pub fn conversion_error(field: &str, detail: &str) -> String {
    format!("error converting input for field {field:?}: {detail}")
}

/// Weak string conversion (`TypeString`): numbers and bools become their text.
pub fn string(v: &Value) -> Result<String, Detail> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        Value::Null => Ok(String::new()),
        other => Err(format!(
            "'' expected type 'string', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

/// `TypeBool`: a bool, or a string as Go's `strconv.ParseBool` reads it; `""` is false.
pub fn boolean(v: &Value) -> Result<bool, Detail> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Number(n) => Ok(n.as_f64().unwrap_or(0.0) != 0.0),
        Value::String(s) => match s.as_str() {
            "" => Ok(false),
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            _ => Err(format!(
                "cannot parse '' as bool: strconv.ParseBool: parsing {s:?}: invalid syntax"
            )),
        },
        other => Err(format!(
            "'' expected type 'bool', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

/// `TypeInt`: an integer or a numeric string (Go `ParseInt` base 0).
pub fn int(v: &Value) -> Result<i64, Detail> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| format!("cannot parse '' as int: {n}")),
        Value::String(s) if s.is_empty() => Ok(0),
        Value::String(s) => parse_int_base0(s).ok_or_else(|| {
            format!("cannot parse '' as int: strconv.ParseInt: parsing {s:?}: invalid syntax")
        }),
        Value::Bool(b) => Ok(*b as i64),
        Value::Null => Ok(0),
        other => Err(format!(
            "'' expected type 'int', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let body = body.replace('_', "");
    let n = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { -n } else { n })
}

/// `TypeDurationSecond` (`signed = false`) and `TypeSignedDurationSecond` (`signed = true`):
/// whole seconds from an integer, `"<n>d"`, or a Go duration string.
pub fn duration_seconds(v: &Value, signed: bool) -> Result<i64, Detail> {
    let secs = match v {
        Value::Null => 0,
        Value::Number(n) => match n.as_i64() {
            Some(i) => i,
            None => return Err(format!("time: missing unit in duration \"{n}\"")),
        },
        Value::String(s) => parse_duration(s)?,
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => {
            return Err(format!(
                "'' expected type 'int64', got unconvertible type '{}'",
                go_type(v)
            ))
        }
    };
    if !signed && secs < 0 {
        return Err(format!("cannot provide negative value '{secs}'"));
    }
    Ok(secs)
}

/// Vault's `parseutil.ParseDurationSecond` on a string: `""` is 0, an integer is seconds,
/// `<n>d` is days, anything else is a Go duration (`1h30m`, `500ms`), truncated to seconds.
pub fn parse_duration(s: &str) -> Result<i64, Detail> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(0);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i);
    }
    if let Some(d) = t.strip_suffix('d') {
        if let Ok(i) = d.parse::<i64>() {
            return Ok(i * 86_400);
        }
    }
    go_parse_duration(t).map(|nanos| (nanos / 1_000_000_000) as i64)
}

/// Go's `time.ParseDuration`, in nanoseconds, with Go's error texts.
pub fn go_parse_duration(orig: &str) -> Result<i128, Detail> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(r) = s.strip_prefix('-') {
        neg = true;
        s = r;
    } else if let Some(r) = s.strip_prefix('+') {
        s = r;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let num_end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let num = &s[..num_end];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        s = &s[num_end..];
        let unit_end = s
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(s.len());
        let unit = &s[..unit_end];
        s = &s[unit_end..];
        let scale: f64 = match unit {
            "" => return Err(format!("time: missing unit in duration {}", go_quote(orig))),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            u => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(u),
                    go_quote(orig)
                ))
            }
        };
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let n = total as i128;
    Ok(if neg { -n } else { n })
}

/// Go's `%q` (`strconv.Quote`) of a string: `\a \b \f \n \r \t \v`, other ASCII controls
/// and DEL as `\xHH`, non-printable runes as `\uHHHH` / `\UHHHHHHHH`, printable ones kept.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_go_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `%q` of one byte as `encoding/json` quotes an offending character (`quoteChar`):
/// `'\x05'`, `'\''`, `'"'`, `'a'`; a byte >= 0x80 is the rune of that value (`'Ã'`).
pub fn go_quote_char(b: u8) -> String {
    match b {
        b'\'' => r"'\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            let mut out = String::from("'");
            push_go_escaped(&mut out, char::from(b), '"');
            out.push('\'');
            out
        }
    }
}

fn push_go_escaped(out: &mut String, c: char, quote: char) {
    use std::fmt::Write;
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c == '\x7f' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if go_is_print(c) => out.push(c),
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// Go's `unicode.IsPrint` for a non-ASCII-control rune: letters, marks, numbers,
/// punctuation, symbols and U+0020. Spaces other than U+0020, controls, format characters,
/// private use and noncharacters are not printable. (Unassigned code points, which Go also
/// escapes, are not known here and count as printable.)
pub fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    const NOT_PRINT: &[(u32, u32)] = &[
        (0x80, 0xa0),
        (0xad, 0xad),
        (0x600, 0x605),
        (0x61c, 0x61c),
        (0x6dd, 0x6dd),
        (0x70f, 0x70f),
        (0x890, 0x891),
        (0x8e2, 0x8e2),
        (0x1680, 0x1680),
        (0x180e, 0x180e),
        (0x2000, 0x200f),
        (0x2028, 0x202f),
        (0x205f, 0x2064),
        (0x2066, 0x206f),
        (0x3000, 0x3000),
        (0xd800, 0xf8ff),
        (0xfdd0, 0xfdef),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0000, 0xe0fff),
        (0xf0000, 0x10ffff),
    ];
    if u & 0xfffe == 0xfffe {
        return false;
    }
    !NOT_PRINT.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// `TypeCommaStringSlice`: a JSON array, or a string split on `,`; elements trimmed, empty
/// elements kept, `""` → `[]`.
pub fn comma_string_slice(v: &Value) -> Result<Vec<String>, Detail> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::String(s) => Ok(s.split(',').map(|p| p.trim().to_string()).collect()),
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match item {
                    Value::String(s) if s.contains(',') => {
                        out.extend(s.split(',').map(|p| p.trim().to_string()))
                    }
                    other => out.push(string(other)?.trim().to_string()),
                }
            }
            Ok(out)
        }
        Value::Number(n) => Ok(vec![n.to_string()]),
        Value::Bool(b) => Ok(vec![if *b { "1" } else { "0" }.to_string()]),
        other => Err(format!(
            "'' expected type '[]string', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

/// `TypeStringSlice`: a JSON array of strings or one string (not split).
pub fn string_slice(v: &Value) -> Result<Vec<String>, Detail> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.iter().map(string).collect(),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        other => Ok(vec![string(other)?]),
    }
}

/// `TypeKVPairs`: a JSON object (values weakly converted), or strings `k=v` split on the first
/// `=` and never on commas.
pub fn kv_pairs(v: &Value) -> Result<Vec<(String, String)>, Detail> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Object(m) => m.iter().map(|(k, v)| Ok((k.clone(), string(v)?))).collect(),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::String(_) | Value::Array(_) => {
            let mut out = Vec::new();
            for item in string_slice(v)? {
                match item.split_once('=') {
                    Some((k, val)) if !k.is_empty() => out.push((k.to_string(), val.to_string())),
                    _ => return Err(format!("invalid key pair {}", go_quote(&item))),
                }
            }
            Ok(out)
        }
        other => Err(format!(
            "'' expected type 'map[string]string', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

/// `TypeMap`: a JSON object only.
pub fn map(v: &Value) -> Result<Map<String, Value>, Detail> {
    match v {
        Value::Object(m) => Ok(m.clone()),
        Value::Null => Ok(Map::new()),
        other => Err(format!(
            "'' expected type 'map[string]interface {{}}', got unconvertible type '{}'",
            go_type(other)
        )),
    }
}

/// The Go type name mapstructure reports for a JSON value.
pub fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "json.Number",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Formats seconds as Go's `time.Duration.String()` does (`1h0m0s`, `30s`, `0s`).
pub fn go_duration_string(secs: i64) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    let neg = secs < 0;
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let body = if h > 0 {
        format!("{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{m}m{sec}s")
    } else {
        format!("{sec}s")
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

/// Formats seconds as Vault's CLI `humanDuration` does (`768h`, `1h`, `1h30m`, `45s`).
pub fn human_duration(secs: i64) -> String {
    let mut s = go_duration_string(secs);
    if s == "0s" {
        return s;
    }
    if s.ends_with("m0s") {
        s.truncate(s.len() - 2);
    }
    if let Some(i) = s.find("h0m") {
        s.replace_range(i + 1..i + 3, "");
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn go_quote_is_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\x05\x07\x7f\n\t\x0b"), r#""\x05\a\x7f\n\t\v""#);
        assert_eq!(
            go_quote("é\u{a0}\u{ad}\u{200b}x"),
            r#""é\u00a0\u00ad\u200bx""#
        );
        assert_eq!(go_quote("\u{10ffff}😀"), r#""\U0010ffff😀""#);
        assert_eq!(go_quote_char(5), r"'\x05'");
        assert_eq!(go_quote_char(b'\''), r"'\''");
        assert_eq!(go_quote_char(b'"'), r#"'"'"#);
        assert_eq!(go_quote_char(b'\\'), r"'\\'");
        assert_eq!(go_quote_char(0xc3), "'Ã'");
        assert_eq!(go_quote_char(0x85), r"'\u0085'");
    }
    use super::*;
    use serde_json::json;

    #[test]
    fn durations() {
        assert_eq!(duration_seconds(&json!("90"), false), Ok(90));
        assert_eq!(duration_seconds(&json!("90s"), false), Ok(90));
        assert_eq!(duration_seconds(&json!("15m"), false), Ok(900));
        assert_eq!(duration_seconds(&json!("1h30m"), false), Ok(5400));
        assert_eq!(duration_seconds(&json!("768h"), false), Ok(2_764_800));
        assert_eq!(duration_seconds(&json!("2d"), false), Ok(172_800));
        assert_eq!(duration_seconds(&json!(3600), false), Ok(3600));
        assert_eq!(duration_seconds(&json!("1500ms"), false), Ok(1));
        assert_eq!(duration_seconds(&json!("-1"), true), Ok(-1));
        assert_eq!(
            duration_seconds(&json!("forever"), false),
            Err("time: invalid duration \"forever\"".to_string())
        );
        assert_eq!(
            duration_seconds(&json!("-5m"), false),
            Err("cannot provide negative value '-300'".to_string())
        );
        assert_eq!(
            duration_seconds(&json!("1.5"), false),
            Err("time: missing unit in duration \"1.5\"".to_string())
        );
    }

    #[test]
    fn slices_and_pairs() {
        assert_eq!(
            comma_string_slice(&json!("a, b,,c")).unwrap(),
            vec!["a", "b", "", "c"]
        );
        assert_eq!(
            comma_string_slice(&json!("")).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            kv_pairs(&json!("a=b,c=d")).unwrap(),
            vec![("a".to_string(), "b,c=d".to_string())]
        );
        assert_eq!(
            kv_pairs(&json!(["x"])).unwrap_err(),
            "invalid key pair \"x\""
        );
        assert!(map(&json!("groups=dev"))
            .unwrap_err()
            .contains("got unconvertible type 'string'"));
    }

    #[test]
    fn go_durations_print() {
        assert_eq!(go_duration_string(3600), "1h0m0s");
        assert_eq!(human_duration(3600), "1h");
        assert_eq!(human_duration(2_764_800), "768h");
        assert_eq!(human_duration(5400), "1h30m");
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(90), "1m30s");
        assert_eq!(human_duration(3605), "1h5s");
        assert_eq!(human_duration(120), "2m");
    }
}
