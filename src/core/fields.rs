//! The conversions of Vault's field types for handlers that read a raw request value
//! directly: thin names over [`crate::framework`], where the conversions and the Go texts
//! live (one implementation). Each function takes the raw JSON value and returns the
//! converted value or the conversion detail; callers wrap it with [`conversion_error`].

use crate::framework::field;
use serde_json::{Map, Value};

pub use crate::framework::field::conversion_error;
pub use crate::framework::go::{go_is_print, go_quote, go_quote_char, go_type, human_duration};

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
