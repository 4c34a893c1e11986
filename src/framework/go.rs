//! Go's texts, written once: what `strconv`, `time`, `fmt`'s `%v`/`%q`, go-multierror and
//! mapstructure print, for the messages OpenBao returns word for word.

use serde_json::Value;

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

/// The Go type name mapstructure reports for a JSON value decoded with `UseNumber`.
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

/// The text of a JSON number as Go's `json.Number` keeps it.
pub fn number_text(n: &serde_json::Number) -> String {
    n.to_string()
}

/// Go's `%v` of a value decoded with `UseNumber` (request data, bound claims): numbers print
/// as their JSON text, maps as `map[a:b]` (sorted keys), lists as `[a b]`, null as `<nil>`.
pub fn go_v(v: &Value) -> String {
    go_v_with(v, &number_text)
}

/// Go's `%v` of a value decoded without `UseNumber` (token claims): numbers are float64 and
/// print as Go's `%v` of a float64 (`42`, `1.5`, `1e+06`).
pub fn go_v_float(v: &Value) -> String {
    go_v_with(v, &|n| go_float64(n.as_f64().unwrap_or(0.0)))
}

fn go_v_with(v: &Value, num: &dyn Fn(&serde_json::Number) -> String) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => num(n),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| go_v_with(i, num))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| {
                    let val = m.get(k.as_str()).map(|x| go_v_with(x, num));
                    format!("{k}:{}", val.unwrap_or_default())
                })
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest digits, in
/// exponent form (two-digit exponent) when the decimal exponent is below -4 or at least 6.
pub fn go_float64(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (sci.clone(), 0),
    };
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let s = f.to_string();
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

/// go-multierror's list format (`1 error occurred:\n\t* a\n\n`).
pub fn multierror(errors: &[String]) -> String {
    if errors.len() == 1 {
        return format!("1 error occurred:\n\t* {}\n\n", errors[0]);
    }
    let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
    format!(
        "{} errors occurred:\n\t{}\n\n",
        errors.len(),
        points.join("\n\t")
    )
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Why Go's `strconv.ParseInt` refused a text (`NumError.Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    Range,
}

impl NumError {
    pub fn text(self) -> &'static str {
        match self {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        }
    }
    /// The whole `*strconv.NumError` text: `strconv.ParseInt: parsing "x": invalid syntax`.
    pub fn full(self, func: &str, input: &str) -> String {
        format!(
            "strconv.{func}: parsing {}: {}",
            go_quote(input),
            self.text()
        )
    }
}

/// Go's `strconv.ParseInt(s, base, 64)` for base 10 or 0 (prefixes `0x`, `0o`, `0b`, `0`,
/// and `_` between digits).
pub fn parse_int(s: &str, base0: bool) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = parse_uint(body, base0)?;
    let cutoff: u64 = 1 << 63;
    match (neg, un) {
        (false, u) if u >= cutoff => Err(NumError::Range),
        (true, u) if u > cutoff => Err(NumError::Range),
        (true, u) => Ok((u as i128).wrapping_neg() as i64),
        (false, u) => Ok(u as i64),
    }
}

fn parse_uint(s: &str, base0: bool) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let bytes = s.as_bytes();
    let mut base: u64 = 10;
    let mut digits = bytes;
    if base0 && bytes[0] == b'0' {
        let lower = bytes.get(1).map(|b| b.to_ascii_lowercase());
        match lower {
            Some(b'b') if bytes.len() >= 3 => (base, digits) = (2, &bytes[2..]),
            Some(b'o') if bytes.len() >= 3 => (base, digits) = (8, &bytes[2..]),
            Some(b'x') if bytes.len() >= 3 => (base, digits) = (16, &bytes[2..]),
            _ => (base, digits) = (8, &bytes[1..]),
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            c if c.is_ascii_alphabetic() => c.to_ascii_lowercase() - b'a' + 10,
            _ => return Err(NumError::Syntax),
        };
        if u64::from(d) >= base {
            return Err(NumError::Syntax);
        }
        n = n
            .checked_mul(base)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or(NumError::Range)?;
    }
    if underscores && !underscore_ok(s) {
        return Err(NumError::Syntax);
    }
    Ok(n)
}

/// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
pub(crate) fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        b = &b[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || hex && c.to_ascii_lowercase().is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `time` package quoting of a duration text (bytes outside printable ASCII as `\x..`).
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) < 0x20 || (c as u32) >= 0x80 {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Go's `time.ParseDuration`, in nanoseconds, with Go's error texts and overflow rules.
pub fn parse_go_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    const LIMIT: u64 = 1 << 63;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // leadingInt
        let mut v: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(s[i] - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        let pre = i > 0;
        s = &s[i..];
        // leadingFraction
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut j = 0;
            let mut overflow = false;
            while j < s.len() && s[j].is_ascii_digit() {
                if !overflow {
                    if f > (LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[j] - b'0');
                        if y > LIMIT {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                j += 1;
            }
            post = j > 0;
            s = &s[j..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let mut u = 0;
        while u < s.len() && !(s[u] == b'.' || s[u].is_ascii_digit()) {
            u += 1;
        }
        if u == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let unit_text = String::from_utf8_lossy(&s[..u]).into_owned();
        s = &s[u..];
        let unit: u64 = match unit_text.as_str() {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(&unit_text),
                    time_quote(orig)
                ))
            }
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d += v;
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i128).wrapping_neg() as i64);
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// parseutil's error for a product of durations that does not fit.
pub const DURATION_OVERFLOW: &str =
    "multiplication of durations resulted in overflow, one operand may be too large";

/// parseutil's `ParseDurationSecond` on a text, in whole seconds (Go's `int(d.Seconds())`):
/// `""` is 0, an integer is seconds, `<n>d` is days, anything else a Go duration.
pub fn parse_duration_second(s: &str) -> Result<i64, String> {
    const SECOND: i64 = 1_000_000_000;
    if s.is_empty() {
        return Ok(0);
    }
    if let Ok(v) = parse_int(s, false) {
        return v
            .checked_mul(SECOND)
            .map(|_| v)
            .ok_or_else(|| DURATION_OVERFLOW.to_string());
    }
    if let Some(days) = s.strip_suffix('d') {
        let v = parse_int(days, false).map_err(|e| e.full("ParseInt", days))?;
        return v
            .checked_mul(86_400 * SECOND)
            .map(|_| v * 86_400)
            .ok_or_else(|| DURATION_OVERFLOW.to_string());
    }
    parse_go_duration(s).map(|nanos| nanos / SECOND)
}

/// Go's `time.Duration.String()` of whole seconds (`1h0m0s`, `30s`, `0s`).
pub fn duration_string(secs: i64) -> String {
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

/// Vault's CLI `humanDuration` (`768h`, `1h`, `1h30m`, `45s`).
pub fn human_duration(secs: i64) -> String {
    let mut s = duration_string(secs);
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
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{5}\n"), r#""\x05\n""#);
        assert_eq!(go_quote("é"), "\"é\"");
        assert_eq!(time_quote("1é"), r#""1\xc3\xa9""#);
    }

    #[test]
    fn ints_as_strconv() {
        assert_eq!(parse_int("42", true), Ok(42));
        assert_eq!(parse_int("-0x1f", true), Ok(-31));
        assert_eq!(parse_int("0o17", true), Ok(15));
        assert_eq!(parse_int("017", true), Ok(15));
        assert_eq!(parse_int("0", true), Ok(0));
        assert_eq!(parse_int("1_000", true), Ok(1000));
        assert_eq!(parse_int("1_000", false), Err(NumError::Syntax));
        assert_eq!(parse_int("_1", true), Err(NumError::Syntax));
        assert_eq!(parse_int("0x", true), Err(NumError::Syntax));
        assert_eq!(parse_int("1.5", true), Err(NumError::Syntax));
        assert_eq!(parse_int("", true), Err(NumError::Syntax));
        assert_eq!(parse_int("-", true), Err(NumError::Syntax));
        assert_eq!(parse_int("9223372036854775807", true), Ok(i64::MAX));
        assert_eq!(parse_int("-9223372036854775808", true), Ok(i64::MIN));
        assert_eq!(parse_int("9223372036854775808", true), Err(NumError::Range));
        assert_eq!(
            parse_int("99999999999999999999x", true),
            Err(NumError::Range)
        );
    }

    #[test]
    fn durations_as_go() {
        assert_eq!(parse_duration_second("90"), Ok(90));
        assert_eq!(parse_duration_second("1h30m"), Ok(5400));
        assert_eq!(parse_duration_second("2d"), Ok(172_800));
        assert_eq!(parse_duration_second("1500ms"), Ok(1));
        assert_eq!(parse_duration_second("-1500ms"), Ok(-1));
        assert_eq!(parse_duration_second("1.5h"), Ok(5400));
        assert_eq!(
            parse_duration_second("999999999999999999d"),
            Err(DURATION_OVERFLOW.to_string())
        );
        assert_eq!(
            parse_duration_second("9999999999"),
            Err(DURATION_OVERFLOW.to_string())
        );
        assert_eq!(
            parse_duration_second("1.5d"),
            Err("strconv.ParseInt: parsing \"1.5\": invalid syntax".to_string())
        );
        assert_eq!(
            parse_duration_second(" 5"),
            Err("time: invalid duration \" 5\"".to_string())
        );
        assert_eq!(
            parse_duration_second("1.5"),
            Err("time: missing unit in duration \"1.5\"".to_string())
        );
        assert_eq!(
            parse_duration_second("1e3"),
            Err("time: unknown unit \"e\" in duration \"1e3\"".to_string())
        );
        assert_eq!(
            parse_duration_second("3000000h"),
            Err("time: invalid duration \"3000000h\"".to_string())
        );
        assert_eq!(parse_go_duration("2562047h47m16.854775807s"), Ok(i64::MAX));
        assert_eq!(parse_go_duration("-2562047h47m16.854775808s"), Ok(i64::MIN));
    }

    #[test]
    fn printing() {
        assert_eq!(duration_string(3600), "1h0m0s");
        assert_eq!(human_duration(2_764_800), "768h");
        assert_eq!(human_duration(5400), "1h30m");
        assert_eq!(human_duration(3605), "1h5s");
        assert_eq!(human_duration(120), "2m");
        assert_eq!(
            go_v(&json!({"b": [1, "x"], "a": null})),
            "map[a:<nil> b:[1 x]]"
        );
        assert_eq!(go_float64(1e6), "1e+06");
        assert_eq!(go_float64(1.5), "1.5");
        assert_eq!(go_float64(42.0), "42");
        assert_eq!(go_float64(0.0001), "0.0001");
        assert_eq!(go_float64(0.00001), "1e-05");
        assert_eq!(go_float64(123456.0), "123456");
        assert_eq!(multierror(&["a".into()]), "1 error occurred:\n\t* a\n\n");
        assert_eq!(
            multierror(&["a".into(), "b".into()]),
            "2 errors occurred:\n\t* a\n\t* b\n\n"
        );
    }
}
