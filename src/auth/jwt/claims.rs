//! Claims: resolution by name or JSON pointer with number normalisation (spec §6.1), user and
//! groups claims, `claim_mappings`, and `bound_claims` string/glob matching (§6.5).
//!
//! Everything here works on plain claim maps, so it can be tested without keys.

use crate::core::fields::go_quote;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A resolved claim value as OpenBao's `getClaim` returns it: a top-level number is turned
/// into the integer text of its truncation and typed as a number (`json.Number`).
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// A JSON number normalised to integer text (`123.9` → `"123"`).
    Number(String),
    /// Any other JSON value, as it is in the token (never `null`).
    Value(Value),
}

impl Claim {
    /// The claim as JSON (a normalised number becomes a JSON number again).
    pub fn to_value(&self) -> Value {
        match self {
            Claim::Number(n) => n
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(n.clone())),
            Claim::Value(v) => v.clone(),
        }
    }

    /// Go's `%v` of the claim.
    pub fn go_v(&self) -> String {
        match self {
            Claim::Number(n) => n.clone(),
            Claim::Value(v) => go_v_claim(v),
        }
    }
}

/// The integer text of a JSON number's truncation, as OpenBao normalises a float64 claim.
pub fn normalise_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 9.2e18 => (f.trunc() as i64).to_string(),
        Some(f) if f.is_finite() => {
            // Go's int(float64) of an out-of-range value is implementation-defined;
            // keep the truncated text rather than wrapping.
            format!("{:.0}", f.trunc())
        }
        _ => n.to_string(),
    }
}

/// Resolves an RFC 6901 JSON pointer; `None` when it does not resolve.
pub fn resolve_pointer<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut cur = root;
    for raw in rest.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Value::Object(m) => m.get(&token)?,
            Value::Array(items) => {
                if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                let idx: usize = token.parse().ok()?;
                items.get(idx)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// OpenBao's `getClaim`: a reference without a leading `/` is an exact top-level key, one
/// with it a JSON pointer. Absent, unresolved and `null` all give `None`. A string `aud` is
/// returned as a one-element list (OpenBao only).
pub fn get_claim(claims: &Map<String, Value>, reference: &str) -> Option<Claim> {
    let raw = if reference.starts_with('/') {
        // A pointer into the whole claims object.
        let root = Value::Object(claims.clone());
        resolve_pointer(&root, reference).cloned()
    } else {
        claims.get(reference).cloned()
    }?;
    match raw {
        Value::Null => None,
        Value::Number(n) => Some(Claim::Number(normalise_number(&n))),
        Value::String(s) if reference == "aud" => {
            Some(Claim::Value(Value::Array(vec![Value::String(s)])))
        }
        other => Some(Claim::Value(other)),
    }
}

pub use crate::framework::go::{go_float64, go_v, go_v_float as go_v_claim};

/// Why the identity could not be taken from the claims (the messages of spec §6.2–§6.4,
/// returned with no prefix).
pub type IdentityError = String;

/// The user claim value (spec §6.2).
pub fn user_claim(
    claims: &Map<String, Value>,
    user_claim: &str,
    json_pointer: bool,
) -> Result<String, IdentityError> {
    let raw = if json_pointer {
        get_claim(claims, user_claim)
    } else {
        match claims.get(user_claim) {
            None | Some(Value::Null) => None,
            Some(v) => Some(Claim::Value(v.clone())),
        }
    };
    match raw {
        None => Err(format!("claim {} not found in token", go_quote(user_claim))),
        Some(Claim::Value(Value::String(s))) => Ok(s),
        Some(_) => Err(format!(
            "claim {} could not be converted to string",
            go_quote(user_claim)
        )),
    }
}

/// The group alias names (spec §6.3): empty strings skipped, order and duplicates kept.
pub fn groups(
    claims: &Map<String, Value>,
    groups_claim: &str,
) -> Result<Vec<String>, IdentityError> {
    let raw = get_claim(claims, groups_claim).ok_or_else(|| {
        format!(
            "failed to fetch groups: {} claim not found in token",
            go_quote(groups_claim)
        )
    })?;
    let items: Vec<Claim> = match raw {
        Claim::Number(n) => vec![Claim::Number(n)],
        Claim::Value(Value::Array(items)) => items.into_iter().map(Claim::Value).collect(),
        Claim::Value(v @ (Value::String(_) | Value::Bool(_))) => vec![Claim::Value(v)],
        Claim::Value(_) => {
            return Err(format!(
                "{} claim could not be converted to string list",
                go_quote(groups_claim)
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Claim::Value(Value::String(s)) => {
                if !s.is_empty() {
                    out.push(s);
                }
            }
            other => {
                return Err(format!(
                    "value {} in groups claim could not be parsed as string",
                    other.go_v()
                ))
            }
        }
    }
    Ok(out)
}

/// `claim_mappings` → alias metadata (spec §6.4), without the `role` key.
pub fn mapped_metadata(
    claims: &Map<String, Value>,
    mappings: &Map<String, Value>,
) -> Result<BTreeMap<String, String>, IdentityError> {
    let mut out = BTreeMap::new();
    for (source, target) in mappings {
        let target = match target {
            Value::String(s) => s.clone(),
            other => go_v(other),
        };
        match get_claim(claims, source) {
            None => continue,
            Some(Claim::Value(Value::String(s))) => {
                out.insert(target, s);
            }
            Some(_) => return Err(format!("error converting claim '{source}' to string")),
        }
    }
    Ok(out)
}

/// One element of a claim or bound value, typed as Go compares them.
#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Str(String),
    /// `json.Number` text (a bound value, or a normalised top-level claim).
    Num(String),
    Bool(bool),
    /// A number inside a claim list: a Go float64, which never equals a `json.Number`.
    Float,
    /// A list or object inside a list: comparing it panics in Go; treated as no match.
    Other,
}

fn elem_of(v: &Value, in_claim_list: bool) -> Elem {
    match v {
        Value::String(s) => Elem::Str(s.clone()),
        Value::Bool(b) => Elem::Bool(*b),
        Value::Number(_) if in_claim_list => Elem::Float,
        Value::Number(n) => Elem::Num(n.to_string()),
        _ => Elem::Other,
    }
}

/// `bound_claims` matching (spec §6.5). Returns the message that follows
/// `error validating claims: `.
pub fn check_bound_claims(
    claims: &Map<String, Value>,
    bound: &Map<String, Value>,
    glob: bool,
) -> Result<(), String> {
    for (key, expected) in bound {
        check_one_bound_claim(claims, key, expected, glob)?;
    }
    Ok(())
}

/// One `(claim → expected)` pair of `bound_claims`.
pub fn check_one_bound_claim(
    claims: &Map<String, Value>,
    key: &str,
    expected: &Value,
    glob: bool,
) -> Result<(), String> {
    let actual =
        get_claim(claims, key).ok_or_else(|| format!("claim {} is missing", go_quote(key)))?;
    let actual: Vec<Elem> = match &actual {
        Claim::Number(n) => vec![Elem::Num(n.clone())],
        Claim::Value(Value::Array(items)) => items.iter().map(|v| elem_of(v, true)).collect(),
        Claim::Value(v @ (Value::String(_) | Value::Bool(_))) => vec![elem_of(v, false)],
        Claim::Value(other) => {
            return Err(format!(
                "received claim is not a string, bool, int or list: {}",
                go_v_claim(other)
            ))
        }
    };
    let expected: Vec<&Value> = match expected {
        Value::Array(items) => items.iter().collect(),
        v @ (Value::String(_) | Value::Bool(_) | Value::Number(_)) => vec![v],
        other => {
            return Err(format!(
                "bound claim is not a string, bool, int or list: {}",
                go_v(other)
            ))
        }
    };
    for exp in expected {
        if glob {
            let pattern = match exp {
                Value::String(s) => s,
                other => {
                    return Err(format!(
                        "received claim is not a glob string: {}xpVal",
                        go_bad_verb_e(other)
                    ))
                }
            };
            if actual
                .iter()
                .any(|a| matches!(a, Elem::Str(s) if glob_match(pattern, s)))
            {
                return Ok(());
            }
        } else {
            let e = elem_of(exp, false);
            if matches!(e, Elem::Other) {
                continue;
            }
            if actual
                .iter()
                .any(|a| *a == e && !matches!(a, Elem::Float | Elem::Other))
            {
                return Ok(());
            }
        }
    }
    Err(format!(
        "claim {} does not match any associated bound claim values",
        go_quote(key)
    ))
}

/// Go's `%!e(<type>=<value>)` for a value printed with the wrong verb.
fn go_bad_verb_e(v: &Value) -> String {
    match v {
        Value::Null => "%!e(<nil>)".into(),
        Value::Bool(b) => format!("%!e(bool={b})"),
        Value::Number(n) => format!("%!e(json.Number={n})"),
        Value::String(s) => format!("%!e(string={s})"),
        Value::Array(_) => format!("%!e([]interface {{}}={})", go_v(v)),
        Value::Object(_) => format!("%!e(map[string]interface {{}}={})", go_v(v)),
    }
}

/// `ryanuber/go-glob`: `*` matches any run of characters; no other metacharacters.
/// Case-sensitive; each literal part is matched at its first occurrence.
pub fn glob_match(pattern: &str, subject: &str) -> bool {
    if pattern.is_empty() {
        return subject.is_empty();
    }
    if pattern == "*" {
        return true;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return subject == pattern;
    }
    let leading = pattern.starts_with('*');
    let trailing = pattern.ends_with('*');
    let end = parts.len() - 1;
    let mut subj = subject;
    for (i, part) in parts.iter().enumerate().take(end) {
        match subj.find(part) {
            Some(idx) => {
                if i == 0 && !leading && idx != 0 {
                    return false;
                }
                subj = &subj[idx + part.len()..];
            }
            None => return false,
        }
    }
    trailing || parts.get(end).is_some_and(|last| subj.ends_with(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn get_claim_keys_and_pointers() {
        let c = m(json!({
            "https://vault/groups": ["a"],
            "org": {"team": "x", "a/b": 1, "m~n": 2, "list": [10, 20]},
            "n": 123.9,
            "neg": -4.5,
            "nul": null,
            "aud": "vault"
        }));
        assert_eq!(
            get_claim(&c, "https://vault/groups"),
            Some(Claim::Value(json!(["a"])))
        );
        assert_eq!(get_claim(&c, "/org/team"), Some(Claim::Value(json!("x"))));
        assert_eq!(get_claim(&c, "/org/a~1b"), Some(Claim::Number("1".into())));
        assert_eq!(get_claim(&c, "/org/m~0n"), Some(Claim::Number("2".into())));
        assert_eq!(
            get_claim(&c, "/org/list/1"),
            Some(Claim::Number("20".into()))
        );
        assert_eq!(get_claim(&c, "/org/list/2"), None);
        assert_eq!(get_claim(&c, "/org/team/x"), None);
        assert_eq!(get_claim(&c, "/missing"), None);
        assert_eq!(get_claim(&c, "nul"), None);
        assert_eq!(get_claim(&c, "n"), Some(Claim::Number("123".into())));
        assert_eq!(get_claim(&c, "neg"), Some(Claim::Number("-4".into())));
        // A list's numbers are not normalised.
        assert_eq!(
            get_claim(&c, "/org/list"),
            Some(Claim::Value(json!([10, 20])))
        );
        // OpenBao: a string aud is a one-element list.
        assert_eq!(get_claim(&c, "aud"), Some(Claim::Value(json!(["vault"]))));
    }

    #[test]
    fn user_claim_rules() {
        let c = m(
            json!({"sub": "alice", "uid": 5, "flag": true, "org": {"a": "b"},
                          "/weird": "w", "nested": {"email": "e@x"}}),
        );
        assert_eq!(user_claim(&c, "sub", false), Ok("alice".into()));
        assert_eq!(
            user_claim(&c, "email", false),
            Err("claim \"email\" not found in token".into())
        );
        for k in ["uid", "flag", "org"] {
            assert_eq!(
                user_claim(&c, k, false),
                Err(format!("claim \"{k}\" could not be converted to string"))
            );
        }
        // Without json_pointer a leading / is part of the key.
        assert_eq!(user_claim(&c, "/weird", false), Ok("w".into()));
        assert!(user_claim(&c, "/nested/email", false).is_err());
        assert_eq!(user_claim(&c, "/nested/email", true), Ok("e@x".into()));
    }

    #[test]
    fn groups_rules() {
        let c = m(json!({"g": ["a", "", "b", "a"], "s": "solo", "o": {"a": 1},
                          "bad": ["x", 42], "num": 7, "b": true}));
        assert_eq!(
            groups(&c, "g"),
            Ok(vec!["a".into(), "b".into(), "a".into()])
        );
        assert_eq!(groups(&c, "s"), Ok(vec!["solo".into()]));
        assert_eq!(
            groups(&c, "missing"),
            Err("failed to fetch groups: \"missing\" claim not found in token".into())
        );
        assert_eq!(
            groups(&c, "o"),
            Err("\"o\" claim could not be converted to string list".into())
        );
        assert_eq!(
            groups(&c, "bad"),
            Err("value 42 in groups claim could not be parsed as string".into())
        );
        assert_eq!(
            groups(&c, "num"),
            Err("value 7 in groups claim could not be parsed as string".into())
        );
        assert_eq!(
            groups(&c, "b"),
            Err("value true in groups claim could not be parsed as string".into())
        );
    }

    #[test]
    fn claim_mappings_rules() {
        let c = m(json!({"name": "jeff2", "org": {"primary": "eng"}, "n": 5, "aud": "x"}));
        let maps = m(json!({"name": "first_name", "/org/primary": "primary_org",
                             "/org/missing": "gone", "absent": "x"}));
        let md = mapped_metadata(&c, &maps).unwrap();
        assert_eq!(md.get("first_name").map(String::as_str), Some("jeff2"));
        assert_eq!(md.get("primary_org").map(String::as_str), Some("eng"));
        assert_eq!(md.len(), 2);
        assert_eq!(
            mapped_metadata(&c, &m(json!({"n": "num"}))),
            Err("error converting claim 'n' to string".into())
        );
        assert_eq!(
            mapped_metadata(&c, &m(json!({"aud": "a"}))),
            Err("error converting claim 'aud' to string".into())
        );
    }

    #[test]
    fn glob_semantics() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "x"));
        assert!(glob_match("*@example.com", "a@example.com"));
        assert!(!glob_match("*@example.com", "a@example.org"));
        assert!(glob_match("dev*", "developers"));
        assert!(!glob_match("Dev*", "developers"));
        assert!(glob_match("a*b*c", "aXbYc"));
        assert!(!glob_match("ab*b", "ab"));
        assert!(glob_match("team-?", "team-?"));
        assert!(!glob_match("team-?", "team-a"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
    }

    #[test]
    fn bound_claims_string_typing() {
        let c = m(json!({"num": 123.7, "s": "123", "b": true, "bs": "true",
                          "list": [42, "x"], "n42": 42, "obj": {"a": "b"},
                          "groups": ["developers", "ops"]}));
        let ok = |k: &str, v: Value| check_one_bound_claim(&c, k, &v, false).is_ok();
        assert!(!ok("num", json!("123")));
        assert!(ok("num", json!(123)));
        assert!(ok("s", json!("123")));
        assert!(!ok("s", json!(123)));
        assert!(ok("b", json!(true)));
        assert!(!ok("bs", json!(true)));
        assert!(!ok("list", json!([42])));
        assert!(!ok("list", json!(42)));
        assert!(ok("list", json!("x")));
        assert!(ok("n42", json!([42])));
        assert!(ok("groups", json!(["nope", "ops"])));
        assert_eq!(
            check_one_bound_claim(&c, "missing", &json!("x"), false),
            Err("claim \"missing\" is missing".into())
        );
        assert_eq!(
            check_one_bound_claim(&c, "obj", &json!("x"), false),
            Err("received claim is not a string, bool, int or list: map[a:b]".into())
        );
        assert_eq!(
            check_one_bound_claim(&c, "s", &json!({"a": 1}), false),
            Err("bound claim is not a string, bool, int or list: map[a:1]".into())
        );
        assert_eq!(
            check_one_bound_claim(&c, "s", &json!("nope"), false),
            Err("claim \"s\" does not match any associated bound claim values".into())
        );
        // Nested lists never match (Go panics there).
        let c2 = m(json!({"l": [[1]]}));
        assert!(check_one_bound_claim(&c2, "l", &json!([[1]]), false).is_err());
    }

    #[test]
    fn bound_claims_glob() {
        let c = m(json!({"groups": ["developers", "ops", 5], "email": "a@corp.com"}));
        assert!(check_one_bound_claim(&c, "groups", &json!("dev*"), true).is_ok());
        assert!(check_one_bound_claim(&c, "email", &json!(["*@corp.com"]), true).is_ok());
        assert_eq!(
            check_one_bound_claim(&c, "email", &json!("*@other.com"), true),
            Err("claim \"email\" does not match any associated bound claim values".into())
        );
        assert_eq!(
            check_one_bound_claim(&c, "email", &json!(5), true),
            Err("received claim is not a glob string: %!e(json.Number=5)xpVal".into())
        );
        let bound = m(json!({"groups": "developers", "email": "*@corp.com"}));
        assert!(check_bound_claims(&c, &bound, true).is_ok());
    }

    #[test]
    fn go_v_forms() {
        assert_eq!(
            go_v(&json!({"b": [1, "x"], "a": null})),
            "map[a:<nil> b:[1 x]]"
        );
        assert_eq!(go_v(&json!(1.5)), "1.5");
        assert_eq!(go_v_claim(&json!(2.0)), "2");
        assert_eq!(go_v_claim(&json!(42)), "42");
        assert_eq!(go_v_claim(&json!(100000)), "100000");
        assert_eq!(go_v_claim(&json!(1000000)), "1e+06");
        assert_eq!(go_v_claim(&json!(123456789)), "1.23456789e+08");
        assert_eq!(go_v_claim(&json!(0.0001)), "0.0001");
        assert_eq!(go_v_claim(&json!(0.00001)), "1e-05");
        assert_eq!(go_v_claim(&json!([1.5, {"a": 7}])), "[1.5 map[a:7]]");
    }
}
