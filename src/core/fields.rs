//! The conversions of Vault's field types for handlers that read a raw request value
//! directly: thin names over [`crate::framework`], where the conversions and the Go texts
//! live (one implementation). Each function takes the raw JSON value and returns the
//! converted value or the conversion detail; callers wrap it with [`conversion_error`].

use crate::framework::field;
use serde_json::{Map, Value};

pub use crate::framework::field::conversion_error;
pub use crate::framework::go::{go_type, human_duration};

/// The text of a conversion failure, without the field prefix.
pub type Detail = String;

/// `TypeString`: numbers and bools become their text, `null` is `""`.
pub fn string(v: &Value) -> Result<String, Detail> {
    field::string(v)
}

/// `TypeBool`: a bool, or a text as Go's `strconv.ParseBool` reads it; `""` is false.
pub fn boolean(v: &Value) -> Result<bool, Detail> {
    field::weak_bool(v)
}

/// `TypeInt`: an integer or an integer text (Go `ParseInt` base 0).
pub fn int(v: &Value) -> Result<i64, Detail> {
    field::weak_int(v)
}

/// `TypeDurationSecond` (`signed = false`) and `TypeSignedDurationSecond` (`signed = true`),
/// whole seconds; `null` is 0.
pub fn duration_seconds(v: &Value, signed: bool) -> Result<i64, Detail> {
    let secs = field::duration_second(v)?.unwrap_or(0);
    if !signed && secs < 0 {
        return Err(format!("cannot provide negative value '{secs}'"));
    }
    Ok(secs)
}

/// parseutil's `ParseDurationSecond` on a text: `""` is 0, an integer is seconds, `<n>d`
/// is days, anything else is a Go duration; overflow is parseutil's error.
pub fn parse_duration(s: &str) -> Result<i64, Detail> {
    crate::framework::go::parse_duration_second(s)
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn go_parse_duration(orig: &str) -> Result<i128, Detail> {
    crate::framework::go::parse_go_duration(orig).map(i128::from)
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

/// `TypeCommaStringSlice`.
pub fn comma_string_slice(v: &Value) -> Result<Vec<String>, Detail> {
    field::comma_string_slice(v)
}

/// `TypeStringSlice`.
pub fn string_slice(v: &Value) -> Result<Vec<String>, Detail> {
    field::string_slice(v)
}

/// `TypeKVPairs` of the field `name` (named in its error); `null` is empty.
pub fn kv_pairs(name: &str, v: &Value) -> Result<Vec<(String, String)>, Detail> {
    Ok(field::kv_pairs(name, v)?
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect())
}

/// `TypeMap`; `null` is empty.
pub fn map(v: &Value) -> Result<Map<String, Value>, Detail> {
    field::map(v).map(Option::unwrap_or_default)
}

/// Go's `time.Duration.String()` of whole seconds (`1h0m0s`, `30s`, `0s`).
pub fn go_duration_string(secs: i64) -> String {
    crate::framework::go::duration_string(secs)
}
