//! JWS parsing as go-jose's `ParseSigned`: whitespace stripped, compact or JSON
//! serialization, go-jose's and Go's error texts. No verification here.

use super::fetch::go_json_error;
use serde_json::{Map, Value};

/// A parsed, not yet verified, JWS.
#[derive(Debug, Clone)]
pub struct Jws {
    /// The protected header.
    pub header: Map<String, Value>,
    /// `alg` of the protected header (empty when absent or not a string).
    pub alg: String,
    /// `kid` of the protected header, if any.
    pub kid: Option<String>,
    /// The signing input: `BASE64URL(header) "." BASE64URL(payload)`.
    pub signing_input: Vec<u8>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// The longest token accepted, checked before anything is decoded (security.md A17): real
/// JWTs are a few KiB, even with hundreds of groups; OpenBao has no cap of its own below its
/// 32 MiB request limit, so this is a deliberate difference.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Parses `token`. Errors are go-jose's texts (`go-jose/go-jose: compact JWS format must
/// have three parts`, `illegal base64 data at input byte 3`, `json: cannot unmarshal array
/// into Go value of type jose.rawHeader`).
pub fn parse(token: &str) -> Result<Jws, String> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(format!(
            "token is too large ({} bytes; at most {MAX_TOKEN_BYTES} are accepted)",
            token.len()
        ));
    }
    let token: String = token.chars().filter(|c| !c.is_whitespace()).collect();
    if token.starts_with('{') {
        return parse_json(&token);
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err("go-jose/go-jose: compact JWS format must have three parts".into());
    };
    let raw_header = go_b64url_decode(h)?;
    let payload = go_b64url_decode(p)?;
    let signature = go_b64url_decode(s)?;
    let header = decode_header(&raw_header)?;
    Ok(build(
        header,
        format!("{h}.{p}").into_bytes(),
        payload,
        signature,
    ))
}

fn build(
    header: Map<String, Value>,
    signing_input: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
) -> Jws {
    // RFC 7797 `"b64": false` (go-jose honours it, with or without `crit`): the signature
    // covers the payload bytes themselves.
    let signing_input = if header.get("b64") == Some(&Value::Bool(false)) {
        let protected = signing_input.split(|b| *b == b'.').next().unwrap_or(&[]);
        [protected, b".", &payload[..]].concat()
    } else {
        signing_input
    };
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .map(str::to_string);
    Jws {
        header,
        alg,
        kid,
        signing_input,
        payload,
        signature,
    }
}

/// JWS JSON serialization, flattened or general with exactly one signature.
fn parse_json(token: &str) -> Result<Jws, String> {
    let v: Value = serde_json::from_str(token).map_err(|e| go_json_error(token.as_bytes(), &e))?;
    let obj = v.as_object().ok_or_else(|| {
        "json: cannot unmarshal value into Go value of type jose.rawJSONWebSignature".to_string()
    })?;
    let payload_b64 = obj
        .get("payload")
        .and_then(Value::as_str)
        .ok_or("go-jose/go-jose: missing payload in JWS message")?;
    let sig_obj = match obj.get("signatures") {
        Some(Value::Array(sigs)) => match &sigs[..] {
            [one] => one
                .as_object()
                .ok_or("go-jose/go-jose: invalid JWS signature")?,
            _ => {
                return Err(
                    "go-jose/go-jose: too many signatures in payload; expecting only one".into(),
                )
            }
        },
        _ => obj,
    };
    let protected_b64 = sig_obj
        .get("protected")
        .and_then(Value::as_str)
        .unwrap_or("");
    let signature_b64 = sig_obj
        .get("signature")
        .and_then(Value::as_str)
        .unwrap_or("");
    let raw_header = go_b64url_decode(protected_b64)?;
    let payload = go_b64url_decode(payload_b64)?;
    let signature = go_b64url_decode(signature_b64)?;
    let header = if raw_header.is_empty() {
        Map::new()
    } else {
        decode_header(&raw_header)?
    };
    Ok(build(
        header,
        format!("{protected_b64}.{payload_b64}").into_bytes(),
        payload,
        signature,
    ))
}

fn decode_header(raw: &[u8]) -> Result<Map<String, Value>, String> {
    let v: Value = serde_json::from_slice(raw).map_err(|e| go_json_error(raw, &e))?;
    match v {
        Value::Object(m) => {
            check_duplicate_keys(raw)?;
            Ok(m)
        }
        Value::Null => Ok(Map::new()),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type jose.rawHeader",
            go_json_kind(&other)
        )),
    }
}

fn go_json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

/// Whether go-jose understands the `crit` header: absent, `null`, or a list naming only
/// `b64` (its one supported extension). Anything else makes every key fail to verify.
pub fn crit_understood(header: &Map<String, Value>) -> bool {
    match header.get("crit") {
        None | Some(Value::Null) => true,
        Some(Value::Array(names)) => names.iter().all(|n| n == "b64"),
        Some(_) => false,
    }
}

/// go-jose's JSON decoder refuses a document with a repeated member name in any object
/// (`json: duplicate key 'NAME' in object`); `raw` must be valid JSON.
pub fn check_duplicate_keys(raw: &[u8]) -> Result<(), String> {
    match duplicate_key(raw) {
        Some(key) => Err(format!("json: duplicate key '{key}' in object")),
        None => Ok(()),
    }
}

/// The first member name repeated in an object of `raw`, at any depth (`None` too when `raw`
/// is not JSON: the caller's parser reports that).
pub fn duplicate_key(raw: &[u8]) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;
    #[derive(Clone, Copy)]
    struct Dup<'a>(&'a RefCell<Option<String>>);
    impl<'de> DeserializeSeed<'de> for Dup<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Dup<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(self)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    *self.0.borrow_mut() = Some(key);
                    return Err(A::Error::custom("duplicate key"));
                }
                map.next_value_seed(self)?;
            }
            Ok(())
        }
    }
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(raw);
    let _ = Dup(&found).deserialize(&mut de);
    found.into_inner()
}

/// go-jose's `base64URLDecode`: trailing `=` trimmed, then Go's `RawURLEncoding` with its
/// `illegal base64 data at input byte N` errors.
pub fn go_b64url_decode(s: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let s = s.trim_end_matches('=');
    let illegal = |n: usize| format!("illegal base64 data at input byte {n}");
    if let Some(i) = s
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        return Err(illegal(i));
    }
    if s.len() % 4 == 1 {
        return Err(illegal(s.len() - 1));
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    engine
        .decode(s)
        .map_err(|_| illegal(s.len().saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tokens_give_go_jose_errors() {
        assert_eq!(
            parse("this-is-not-a-jwt").unwrap_err(),
            "go-jose/go-jose: compact JWS format must have three parts"
        );
        assert_eq!(
            parse("a.b").unwrap_err(),
            "go-jose/go-jose: compact JWS format must have three parts"
        );
        assert_eq!(
            parse("eyJ!!!.eyJ???.c2ln").unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            parse("WzEsMiwzXQ.WzEsMiwzXQ.c2ln").unwrap_err(),
            "json: cannot unmarshal array into Go value of type jose.rawHeader"
        );
        assert_eq!(
            parse("abcde.e30.c2ln").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
    }

    #[test]
    fn whitespace_is_stripped_and_parts_decoded() {
        let t = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ\n.e30 .c2ln";
        let jws = parse(t).unwrap();
        assert_eq!(jws.alg, "RS256");
        assert_eq!(jws.kid.as_deref(), Some("k"));
        assert_eq!(jws.payload, b"{}");
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.signing_input, b"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30");
    }

    #[test]
    fn duplicate_members_crit_and_b64() {
        use base64::Engine;
        let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let dup = format!(
            "{}.e30.c2ln",
            b(r#"{"alg":"RS256","kid":"a","alg":"RS256"}"#)
        );
        assert_eq!(
            parse(&dup).unwrap_err(),
            "json: duplicate key 'alg' in object"
        );
        assert_eq!(
            check_duplicate_keys(br#"{"a":[{"x":1,"y":{"z":1,"z":2}}]}"#).unwrap_err(),
            "json: duplicate key 'z' in object"
        );
        assert!(check_duplicate_keys(br#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#).is_ok());
        let h = |v: Value| v.as_object().unwrap().clone();
        assert!(crit_understood(&h(serde_json::json!({}))));
        assert!(crit_understood(&h(serde_json::json!({"crit": null}))));
        assert!(crit_understood(&h(serde_json::json!({"crit": []}))));
        assert!(crit_understood(&h(serde_json::json!({"crit": ["b64"]}))));
        assert!(!crit_understood(&h(
            serde_json::json!({"crit": ["b64", "exp"]})
        )));
        assert!(!crit_understood(&h(serde_json::json!({"crit": "b64"}))));
        // b64=false: the signature covers the raw payload
        let t = format!("{}.{}.c2ln", b(r#"{"alg":"RS256","b64":false}"#), b("{}"));
        let jws = parse(&t).unwrap();
        assert_eq!(
            jws.signing_input,
            format!("{}.{{}}", b(r#"{"alg":"RS256","b64":false}"#)).into_bytes()
        );
    }

    #[test]
    fn json_serialization_is_accepted() {
        let flat = r#"{"protected":"eyJhbGciOiJFUzI1NiJ9","payload":"e30","signature":"c2ln"}"#;
        let jws = parse(flat).unwrap();
        assert_eq!(jws.alg, "ES256");
        assert_eq!(jws.signing_input, b"eyJhbGciOiJFUzI1NiJ9.e30");
        let general = r#"{"payload":"e30","signatures":[{"protected":"eyJhbGciOiJFUzI1NiJ9","signature":"c2ln"}]}"#;
        assert_eq!(parse(general).unwrap().alg, "ES256");
        let two = r#"{"payload":"e30","signatures":[{},{}]}"#;
        assert!(parse(two).is_err());
        assert!(parse("{").is_err());
    }
}
