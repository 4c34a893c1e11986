//! Field types and their conversion, as Vault's `framework.FieldData.getPrimitive` does it:
//! mapstructure v2's weak decoding for most types, parseutil (with mapstructure v1) for
//! durations and comma-separated lists. Request data is JSON decoded with `UseNumber`, so a
//! number is a `json.Number` (a string to mapstructure): `1` is not a bool, `1.5` not an int.

use super::go::{self, go_type, go_v, NumError};
use serde_json::{Map, Value};

/// Vault's `framework.FieldType`, the ones vaultjwt's backends use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    LowerCaseString,
    Int,
    Bool,
    Map,
    /// `TypeDurationSecond`: whole seconds, not negative.
    DurationSecond,
    SignedDurationSecond,
    StringSlice,
    CommaStringSlice,
    KvPairs,
}

impl FieldType {
    /// The name `path-help` shows (`FieldType.String()`).
    pub fn help_name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::LowerCaseString => "lowercase string",
            FieldType::Int => "int",
            FieldType::Bool => "bool",
            FieldType::Map => "map",
            FieldType::KvPairs => "keypair",
            FieldType::DurationSecond | FieldType::SignedDurationSecond => "duration (sec)",
            FieldType::StringSlice | FieldType::CommaStringSlice => "slice",
        }
    }
}

/// A field of a path (`framework.FieldSchema`).
#[derive(Debug, Clone)]
pub struct FieldSchema {
    pub name: &'static str,
    pub ty: FieldType,
    pub description: &'static str,
    pub deprecated: bool,
}

impl FieldSchema {
    pub const fn new(name: &'static str, ty: FieldType, description: &'static str) -> Self {
        FieldSchema {
            name,
            ty,
            description,
            deprecated: false,
        }
    }
    pub const fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }
}

/// A converted value. Maps keep Go's nil (`None`): a JSON `null` reads back as `null`, where
/// an empty map reads back as `{}`. Lists are never nil (parseutil and the framework return
/// an empty list for `null`).
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
    Map(Option<Map<String, Value>>),
}

/// Converts `raw` as `ty`. `Ok(None)` is Go's "not set" (a `null` duration); the error is the
/// detail that follows `error converting input for field "<name>": `.
pub fn convert(name: &str, ty: FieldType, raw: &Value) -> Result<Option<Field>, String> {
    Ok(Some(match ty {
        FieldType::String => {
            Field::Str(weak_string(raw).map_err(|t| unconvertible("", "string", t))?)
        }
        FieldType::LowerCaseString => Field::Str(
            weak_string(raw)
                .map_err(|t| unconvertible("", "string", t))?
                .to_lowercase(),
        ),
        FieldType::Int => Field::Int(weak_int(raw)?),
        FieldType::Bool => Field::Bool(weak_bool(raw)?),
        FieldType::DurationSecond | FieldType::SignedDurationSecond => {
            let Some(secs) = duration_second(raw)? else {
                return Ok(None);
            };
            if ty == FieldType::DurationSecond && secs < 0 {
                return Err(format!("cannot provide negative value '{secs}'"));
            }
            Field::Int(secs)
        }
        FieldType::CommaStringSlice => Field::List(comma_string_slice(raw)?),
        FieldType::StringSlice => Field::List(string_slice(raw)?),
        FieldType::Map => Field::Map(map(raw)?),
        FieldType::KvPairs => Field::Map(kv_pairs(name, raw)?),
    }))
}

/// mapstructure's `UnconvertibleTypeError` (v2 text).
fn unconvertible(name: &str, expected: &str, got: &Value) -> String {
    format!(
        "'{name}' expected type '{expected}', got unconvertible type '{}'",
        go_type(got)
    )
}

/// v2's joined errors, as `Decoder.Decode` returns them.
fn joined(errors: &[String]) -> String {
    format!(
        "decoding failed due to the following error(s):\n\n{}",
        errors.join("\n")
    )
}

/// mapstructure's weak `decodeString`; the value it cannot convert on failure.
pub fn weak_string(v: &Value) -> Result<String, &Value> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(go::number_text(n)),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        Value::Null => Ok(String::new()),
        other => Err(other),
    }
}

/// `TypeString` (mapstructure's weak string), with its error text.
pub fn string(v: &Value) -> Result<String, String> {
    weak_string(v).map_err(|t| unconvertible("", "string", t))
}

/// `TypeInt`: mapstructure's weak `decodeInt` (Go's `ParseInt(s, 0, 64)` on text).
pub fn weak_int(v: &Value) -> Result<i64, String> {
    let text = match v {
        Value::Null => return Ok(0),
        Value::Bool(b) => return Ok(i64::from(*b)),
        Value::String(s) => s.clone(),
        Value::Number(n) => go::number_text(n),
        other => return Err(unconvertible("", "int", other)),
    };
    let text = if text.is_empty() { "0".into() } else { text };
    go::parse_int(&text, true).map_err(|e| {
        format!(
            "'' cannot parse value as 'int': strconv.ParseInt: {}",
            e.text()
        )
    })
}

/// `TypeBool`: mapstructure's weak `decodeBool` (`""` is false).
pub fn weak_bool(v: &Value) -> Result<bool, String> {
    let text = match v {
        Value::Null => return Ok(false),
        Value::Bool(b) => return Ok(*b),
        Value::String(s) => s.clone(),
        Value::Number(n) => go::number_text(n),
        other => return Err(unconvertible("", "bool", other)),
    };
    match go::parse_bool(&text) {
        Some(b) => Ok(b),
        None if text.is_empty() => Ok(false),
        None => Err(format!(
            "'' cannot parse value as 'bool': strconv.ParseBool: {}",
            NumError::Syntax.text()
        )),
    }
}

/// `TypeDurationSecond` before the sign check: parseutil's `ParseDurationSecond`, in whole
/// seconds; `None` for `null` (not set).
pub fn duration_second(v: &Value) -> Result<Option<i64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => go::parse_duration_second(s).map(Some),
        Value::Number(n) => go::parse_duration_second(&go::number_text(n)).map(Some),
        _ => Err("could not parse duration from input".into()),
    }
}

/// mapstructure's weak decoding into `[]string` (v1 and v2 alike): a scalar or a non-empty
/// map is lifted into a one-element list, an empty map is an empty list, `null` is Go's nil
/// (`None`). The elements that are not strings are returned apart, with their index.
#[allow(clippy::type_complexity)]
fn lifted_strings(v: &Value) -> Option<(Vec<String>, Vec<(usize, &Value)>)> {
    let items: Vec<&Value> = match v {
        Value::Null => return None,
        Value::Object(m) if m.is_empty() => Vec::new(),
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::with_capacity(items.len());
    let mut bad = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match weak_string(item) {
            Ok(s) => out.push(s),
            Err(b) => bad.push((i, b)),
        }
    }
    Some((out, bad))
}

/// `TypeCommaStringSlice`: parseutil's `ParseCommaStringSlice` (mapstructure v1 with a
/// string-splitting hook; elements of a list are not split), each element trimmed; `null`
/// is empty (`strutil.TrimStrings` makes an empty list of Go's nil).
pub fn comma_string_slice(v: &Value) -> Result<Vec<String>, String> {
    let split = |s: &str| -> Vec<String> {
        match s {
            "" => Vec::new(),
            s => s.split(',').map(|p| p.trim().into()).collect(),
        }
    };
    let (out, bad) = match v {
        Value::String(s) => return Ok(split(s)),
        Value::Number(n) => return Ok(split(&go::number_text(n))),
        other => lifted_strings(other).unwrap_or_default(),
    };
    if bad.is_empty() {
        return Ok(out.iter().map(|s| s.trim().to_string()).collect());
    }
    // mapstructure v1's `*Error`: the points sorted.
    let mut points: Vec<String> = bad
        .iter()
        .map(|(i, b)| {
            format!(
                "* '[{i}]' expected type 'string', got unconvertible type '{}', value: '{}'",
                go_type(b),
                go_v(b)
            )
        })
        .collect();
    points.sort();
    Err(format!(
        "{} error(s) decoding:\n\n{}",
        points.len(),
        points.join("\n")
    ))
}

/// mapstructure v2's weak decoding into `[]string`; its errors joined.
fn v2_string_list(v: &Value) -> Result<Option<Vec<String>>, String> {
    let Some((out, bad)) = lifted_strings(v) else {
        return Ok(None);
    };
    if bad.is_empty() {
        return Ok(Some(out));
    }
    let errors: Vec<String> = bad
        .iter()
        .map(|(i, b)| unconvertible(&format!("[{i}]"), "string", b))
        .collect();
    Err(joined(&errors))
}

/// `TypeStringSlice`: `""` is empty; otherwise mapstructure v2's `[]string`, trimmed.
pub fn string_slice(v: &Value) -> Result<Vec<String>, String> {
    if v.as_str() == Some("") {
        return Ok(Vec::new());
    }
    Ok(v2_string_list(v)?
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.trim().to_string())
        .collect())
}

/// How a map's values are converted (the name of the value for errors, the value).
type ValueConversion<'a> = &'a dyn Fn(&str, &Value) -> Result<Value, Vec<String>>;

/// mapstructure v2's weak decoding into a map: an object as it is (values converted by
/// `value`), a list as its elements merged in order (`'[i]'` names the failing element).
fn v2_map(
    name: &str,
    v: &Value,
    expected: &str,
    value: ValueConversion,
    into: &mut Map<String, Value>,
) -> Result<(), Vec<String>> {
    match v {
        Value::Null => Ok(()),
        Value::Object(m) => {
            let mut errors = Vec::new();
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for k in keys {
                match value(&format!("{name}[{k}]"), &m[k.as_str()]) {
                    Ok(converted) => {
                        into.insert(k.clone(), converted);
                    }
                    Err(e) => errors.extend(e),
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                v2_map(&format!("{name}[{i}]"), item, expected, value, into)?;
            }
            Ok(())
        }
        other => Err(vec![unconvertible(name, expected, other)]),
    }
}

/// `TypeMap` (`map[string]interface{}`). `None` is Go's nil map (`null`).
pub fn map(v: &Value) -> Result<Option<Map<String, Value>>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let mut out = Map::new();
    v2_map(
        "",
        v,
        "map[string]interface {}",
        &|_, x| Ok(x.clone()),
        &mut out,
    )
    .map_err(|e| e.join("\n"))?;
    Ok(Some(out))
}

/// `TypeKVPairs`: a `map[string]string` (values weakly converted), else a list of `k=v`
/// strings split on the first `=`. `None` is Go's nil map (`null`).
pub fn kv_pairs(name: &str, v: &Value) -> Result<Option<Map<String, Value>>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let mut out = Map::new();
    let as_string = |n: &str, x: &Value| {
        weak_string(x)
            .map(Value::String)
            .map_err(|bad| vec![unconvertible(n, "string", bad)])
    };
    if v2_map("", v, "map[string]string", &as_string, &mut out).is_ok() {
        return Ok(Some(out));
    }
    let list = v2_string_list(v)?.unwrap_or_default();
    let mut out = Map::new();
    for (i, pair) in list.iter().enumerate() {
        match pair.split_once('=') {
            Some((k, val)) if !k.is_empty() => {
                out.insert(k.to_string(), Value::String(val.to_string()));
            }
            _ => {
                return Err(format!(
                    "invalid key pair at index {i} in field {}",
                    go::go_quote(name)
                ))
            }
        }
    }
    Ok(Some(out))
}

/// The message of a field that cannot be converted.
pub fn conversion_error(field: &str, detail: &str) -> String {
    format!(
        "error converting input for field {}: {detail}",
        go::go_quote(field)
    )
}

/// A request's data read through its path's schema (`framework.FieldData`): every given
/// field of the schema converted once, up front ([`FieldData::new`] is Vault's `Validate`).
#[derive(Debug, Clone)]
pub struct FieldData {
    values: Vec<(&'static str, Option<Field>)>,
}

impl FieldData {
    /// Converts the given fields of `schema` (in schema order); the first failure is
    /// `error converting input for field "<name>": <detail>`.
    pub fn new(schema: &[FieldSchema], data: &Map<String, Value>) -> Result<FieldData, String> {
        let mut values = Vec::new();
        for f in schema {
            let Some(raw) = data.get(f.name) else {
                continue;
            };
            let converted = convert(f.name, f.ty, raw).map_err(|d| conversion_error(f.name, &d))?;
            values.push((f.name, converted));
        }
        Ok(FieldData { values })
    }

    fn get(&self, k: &str) -> Option<&Field> {
        self.values
            .iter()
            .find(|(n, _)| *n == k)
            .and_then(|(_, v)| v.as_ref())
    }

    /// `GetOk`: whether the field was given (and, for a duration, not `null`).
    pub fn has(&self, k: &str) -> bool {
        self.get(k).is_some()
    }

    /// A string field, when given.
    pub fn str(&self, k: &str) -> Option<String> {
        match self.get(k) {
            Some(Field::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// An int, bool-free integer or duration (seconds) field, when given.
    pub fn int(&self, k: &str) -> Option<i64> {
        match self.get(k) {
            Some(Field::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, k: &str) -> Option<bool> {
        match self.get(k) {
            Some(Field::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A list field, when given.
    pub fn list(&self, k: &str) -> Option<Vec<String>> {
        match self.get(k) {
            Some(Field::List(l)) => Some(l.clone()),
            _ => None,
        }
    }

    /// A map or key-pair field, when given, keeping Go's nil (`Some(None)` for `null`).
    pub fn map_or_nil(&self, k: &str) -> Option<Option<Map<String, Value>>> {
        match self.get(k) {
            Some(Field::Map(m)) => Some(m.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(ty: FieldType, v: Value) -> Result<Option<Field>, String> {
        convert("f", ty, &v)
    }

    #[test]
    fn scalars_as_mapstructure() {
        use FieldType::*;
        assert_eq!(conv(Bool, json!("t")), Ok(Some(Field::Bool(true))));
        assert_eq!(conv(Bool, json!(1)), Ok(Some(Field::Bool(true))));
        assert_eq!(conv(Bool, json!("")), Ok(Some(Field::Bool(false))));
        assert_eq!(conv(Bool, json!(null)), Ok(Some(Field::Bool(false))));
        let bad_bool = "'' cannot parse value as 'bool': strconv.ParseBool: invalid syntax";
        assert_eq!(conv(Bool, json!(2)), Err(bad_bool.into()));
        assert_eq!(conv(Bool, json!("x")), Err(bad_bool.into()));
        assert_eq!(
            conv(Bool, json!([])),
            Err("'' expected type 'bool', got unconvertible type '[]interface {}'".into())
        );
        assert_eq!(conv(Int, json!("0x10")), Ok(Some(Field::Int(16))));
        assert_eq!(conv(Int, json!(true)), Ok(Some(Field::Int(1))));
        assert_eq!(
            conv(Int, json!(1.5)),
            Err("'' cannot parse value as 'int': strconv.ParseInt: invalid syntax".into())
        );
        assert_eq!(
            conv(Int, json!("99999999999999999999")),
            Err("'' cannot parse value as 'int': strconv.ParseInt: value out of range".into())
        );
        assert_eq!(conv(String, json!(false)), Ok(Some(Field::Str("0".into()))));
        assert_eq!(
            conv(LowerCaseString, json!("AbC")),
            Ok(Some(Field::Str("abc".into())))
        );
    }

    #[test]
    fn durations_as_parseutil() {
        use FieldType::*;
        assert_eq!(conv(DurationSecond, json!(null)), Ok(None));
        assert_eq!(
            conv(DurationSecond, json!("1h")),
            Ok(Some(Field::Int(3600)))
        );
        assert_eq!(conv(DurationSecond, json!(5)), Ok(Some(Field::Int(5))));
        assert_eq!(
            conv(DurationSecond, json!(true)),
            Err("could not parse duration from input".into())
        );
        assert_eq!(
            conv(DurationSecond, json!("-5m")),
            Err("cannot provide negative value '-300'".into())
        );
        assert_eq!(
            conv(SignedDurationSecond, json!("-5m")),
            Ok(Some(Field::Int(-300)))
        );
        assert_eq!(
            conv(DurationSecond, json!("999999999999999999d")),
            Err(go::DURATION_OVERFLOW.into())
        );
    }

    #[test]
    fn lists_and_maps() {
        use FieldType::*;
        let list = |v: Value| conv(CommaStringSlice, v);
        assert_eq!(list(json!(null)), Ok(Some(Field::List(vec![]))));
        assert_eq!(
            list(json!(" a, b,,c")),
            Ok(Some(Field::List(vec![
                "a".into(),
                "b".into(),
                "".into(),
                "c".into()
            ])))
        );
        assert_eq!(
            list(json!(["a=b,c", 1, true, null])),
            Ok(Some(Field::List(vec![
                "a=b,c".into(),
                "1".into(),
                "1".into(),
                "".into()
            ])))
        );
        assert_eq!(list(json!({})), Ok(Some(Field::List(vec![]))));
        assert_eq!(
            list(json!({"a": 1})),
            Err("1 error(s) decoding:\n\n* '[0]' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[a:1]'".into())
        );
        assert_eq!(
            list(json!([{"a": "b"}, ["x", "y"]])),
            Err("2 error(s) decoding:\n\n* '[0]' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[a:b]'\n* '[1]' expected type 'string', got unconvertible type '[]interface {}', value: '[x y]'".into())
        );

        let m = |v: Value| conv(Map, v);
        assert_eq!(m(json!(null)), Ok(Some(Field::Map(None))));
        assert_eq!(
            m(json!([{"a": 1}, {"b": 2}])),
            Ok(Some(Field::Map(
                json!({"a": 1, "b": 2}).as_object().cloned()
            )))
        );
        assert_eq!(
            m(json!(["a"])),
            Err(
                "'[0]' expected type 'map[string]interface {}', got unconvertible type 'string'"
                    .into()
            )
        );
        assert_eq!(
            m(json!([["a"]])),
            Err(
                "'[0][0]' expected type 'map[string]interface {}', got unconvertible type 'string'"
                    .into()
            )
        );
        assert_eq!(
            m(json!("a=b")),
            Err(
                "'' expected type 'map[string]interface {}', got unconvertible type 'string'"
                    .into()
            )
        );

        let kv = |v: Value| convert("claim_mappings", KvPairs, &v);
        assert_eq!(kv(json!(null)), Ok(Some(Field::Map(None))));
        assert_eq!(
            kv(json!({"a": true, "b": null, "c": 2})),
            Ok(Some(Field::Map(
                json!({"a": "1", "b": "", "c": "2"}).as_object().cloned()
            )))
        );
        assert_eq!(
            kv(json!(["a=b,c", "d=e"])),
            Ok(Some(Field::Map(
                json!({"a": "b,c", "d": "e"}).as_object().cloned()
            )))
        );
        assert_eq!(
            kv(json!("")),
            Err("invalid key pair at index 0 in field \"claim_mappings\"".into())
        );
        assert_eq!(
            kv(json!(["a=b", "=x"])),
            Err("invalid key pair at index 1 in field \"claim_mappings\"".into())
        );
        assert_eq!(
            kv(json!(["a", {"b": 2}])),
            Err("decoding failed due to the following error(s):\n\n'[1]' expected type 'string', got unconvertible type 'map[string]interface {}'".into())
        );
        assert_eq!(
            kv(json!([{"a": "b"}, {"c": "d"}])),
            Ok(Some(Field::Map(
                json!({"a": "b", "c": "d"}).as_object().cloned()
            )))
        );
    }
}
