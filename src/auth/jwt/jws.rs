//! JWS parsing as go-jose's `ParseSigned`: whitespace stripped, compact or JSON
//! serialization, the header read as go-jose reads it ([`super::header`]), go-jose's and
//! Go's error texts. No verification here.
//!
//! Base64url segments: go-jose v3 (static keys) trims trailing `=` from each segment before
//! Go's `RawURLEncoding`; v4 (JWKS, discovery) does not, so padding is `illegal base64 data
//! at input byte N`. The signing input is the re-encoding of the decoded segments (as
//! go-jose's `computeAuthData`), so a padded header or payload still verifies in v3.

use super::fetch::go_json_error;
pub use super::header::Jose;
use super::pem::SUPPORTED_ALGS;
use crate::core::fields::go_quote;
use base64::Engine;
use serde_json::{Map, Value};

/// A parsed, not yet verified, JWS.
#[derive(Debug, Clone)]
pub struct Jws {
    /// The protected header.
    pub header: Map<String, Value>,
    /// `alg` of the protected header (empty when absent).
    pub alg: String,
    /// `kid` of the protected header; go-jose's `Header.KeyID`, so an empty `kid` is `None`.
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

/// Parses `token` as `jose` does. Errors are go-jose's texts (`go-jose/go-jose: compact JWS
/// format must have three parts`, `illegal base64 data at input byte 3`, `json: cannot
/// unmarshal array into Go value of type jose.rawHeader`, `failed to unmarshal key ID: ...`).
/// With [`Jose::V4`] the `alg` must be one of the ten (go-oidc's `allAlgs`).
pub fn parse(token: &str, jose: Jose) -> Result<Jws, String> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(format!(
            "token is too large ({} bytes; at most {MAX_TOKEN_BYTES} are accepted)",
            token.len()
        ));
    }
    let token: String = token.chars().filter(|c| !c.is_whitespace()).collect();
    if token.starts_with('{') {
        return parse_json(&token, jose);
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err("go-jose/go-jose: compact JWS format must have three parts".into());
    };
    let raw_header = segment(h, jose)?;
    let payload = segment(p, jose)?;
    let signature = segment(s, jose)?;
    let header = decode_header(&raw_header, None, jose)?;
    Ok(build(header, &raw_header, payload, signature))
}

/// One base64url segment as `jose` decodes it.
pub fn segment(s: &str, jose: Jose) -> Result<Vec<u8>, String> {
    let s = match jose {
        Jose::V3 => s.trim_end_matches('='),
        Jose::V4 => s,
    };
    go_base64_decode(s.as_bytes(), true, false)
}

fn build(
    (header, alg, kid, b64_false): Decoded,
    raw_header: &[u8],
    payload: Vec<u8>,
    signature: Vec<u8>,
) -> Jws {
    let b64 = |d: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d);
    // RFC 7797 `"b64": false` in the protected header (go-jose honours it, with or without
    // `crit`): the signature covers the payload bytes themselves.
    let signing_input = if b64_false {
        [b64(raw_header).as_bytes(), b".", &payload[..]].concat()
    } else {
        format!("{}.{}", b64(raw_header), b64(&payload)).into_bytes()
    };
    Jws {
        header,
        alg,
        kid: Some(kid).filter(|k| !k.is_empty()),
        signing_input,
        payload,
        signature,
    }
}

/// JWS JSON serialization, flattened or general with exactly one signature.
fn parse_json(token: &str, jose: Jose) -> Result<Jws, String> {
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
    let unprotected = match sig_obj.get("header") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type jose.rawHeader",
                super::header::kind_of(&other.to_string())
            ))
        }
    };
    let raw_header = segment(protected_b64, jose)?;
    let payload = segment(payload_b64, jose)?;
    let signature = segment(signature_b64, jose)?;
    let header = decode_header(&raw_header, unprotected, jose)?;
    Ok(build(header, &raw_header, payload, signature))
}

/// go-jose v4's `alg` check (go-oidc passes its ten algorithms); the text has no
/// `go-jose/go-jose:` prefix.
fn check_alg(alg: &str, jose: Jose) -> Result<(), String> {
    if jose == Jose::V4 && !SUPPORTED_ALGS.contains(&alg) {
        return Err(format!(
            "unexpected signature algorithm {}; expected [{}]",
            go_quote(alg),
            SUPPORTED_ALGS.map(go_quote).join(" ")
        ));
    }
    Ok(())
}

/// The header members (protected and unprotected merged), `alg`, `kid`, and whether the
/// protected header has `"b64": false`.
type Decoded = (Map<String, Value>, String, String, bool);

/// The header as go-jose's `rawJSONWebSignature.sanitized()` reads it: the protected header
/// (`rawHeader`: a JSON object, names unique, or empty/`null`), no `nonce` in the unprotected
/// header, the merged header (protected members, then unprotected members the protected
/// header leaves unset: absent, `null` or `""`) `sanitized()`, the v4 `alg` check, the
/// unprotected and protected headers `sanitized()`, then the embedded-`jwk` check.
fn decode_header(
    raw: &[u8],
    unprotected: Option<&Map<String, Value>>,
    jose: Jose,
) -> Result<Decoded, String> {
    use super::header::{is_set, members_text, sanitize};
    let protected = if raw.is_empty() {
        None
    } else {
        let text = match serde_json::from_slice::<&serde_json::value::RawValue>(raw) {
            Ok(v) => v.get(),
            Err(e) => return Err(go_json_error(raw, &e)),
        };
        match text.as_bytes().first() {
            Some(b'{') => {
                check_duplicate_keys(raw)?;
                Some(text)
            }
            Some(b'n') => None,
            _ => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go value of type jose.rawHeader",
                    super::header::kind_of(text)
                ))
            }
        }
    };
    let b64_false = protected.is_some_and(|p| {
        serde_json::from_str::<Map<String, Value>>(p)
            .is_ok_and(|m| m.get("b64") == Some(&Value::Bool(false)))
    });
    let Some(unprotected) = unprotected else {
        // compact serialization: the merged header is the protected header
        let h = sanitize(protected.unwrap_or("{}"), jose)?;
        check_alg(&h.alg, jose)?;
        if h.jwk_not_public {
            return Err("go-jose/go-jose: invalid embedded jwk, must be public key".into());
        }
        return Ok((h.members, h.alg, h.kid, b64_false));
    };
    if matches!(unprotected.get("nonce"), Some(Value::String(n)) if !n.is_empty()) {
        return Err("go-jose/go-jose: Nonce parameter included in unprotected header".into());
    }
    let unprotected_text = Value::Object(unprotected.clone()).to_string();
    let mut merged: Vec<(String, String)> = match protected {
        Some(p) => members_text(p)?,
        None => Vec::new(),
    };
    for (name, raw) in members_text(&unprotected_text)? {
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) if is_set(v) => {}
            Some((_, v)) => *v = raw,
            None => merged.push((name, raw)),
        }
    }
    let merged_text = format!(
        "{{{}}}",
        merged
            .iter()
            .map(|(n, v)| format!("{}:{v}", Value::String(n.clone())))
            .collect::<Vec<_>>()
            .join(",")
    );
    let h = sanitize(&merged_text, jose)?;
    check_alg(&h.alg, jose)?;
    sanitize(&unprotected_text, jose)?;
    if let Some(p) = protected {
        sanitize(p, jose)?;
    }
    if h.jwk_not_public {
        return Err("go-jose/go-jose: invalid embedded jwk, must be public key".into());
    }
    Ok((h.members, h.alg, h.kid, b64_false))
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

/// Go's `encoding/base64` `DecodeString` (not strict): `url` picks the URL alphabet,
/// `padded` the padded encodings (`StdEncoding`) rather than the raw ones (`RawURLEncoding`).
/// `\r` and `\n` are skipped; errors are `illegal base64 data at input byte N` with Go's N.
pub fn go_base64_decode(src: &[u8], url: bool, padded: bool) -> Result<Vec<u8>, String> {
    let illegal = |n: usize| format!("illegal base64 data at input byte {n}");
    let val = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' if url => 62,
            b'_' if url => 63,
            b'+' if !url => 62,
            b'/' if !url => 63,
            _ => return None,
        } as u32)
    };
    let newline = |b: u8| b == b'\n' || b == b'\r';
    let mut out = Vec::with_capacity(src.len() / 4 * 3 + 3);
    let mut si = 0;
    // decodeQuantum, one quantum of four characters at a time
    while si < src.len() {
        let mut dbuf = [0u32; 4];
        let mut dlen = 4;
        let mut trailing = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                if j == 1 || padded {
                    return Err(illegal(si - j));
                }
                dlen = j;
                break;
            }
            let b = src[si];
            si += 1;
            if let Some(v) = val(b) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if newline(b) {
                continue;
            }
            if !padded || b != b'=' {
                return Err(illegal(si - 1));
            }
            match j {
                0 | 1 => return Err(illegal(si - 1)),
                2 => {
                    while si < src.len() && newline(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(illegal(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(illegal(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            dlen = j;
            break;
        }
        let v = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(n) = trailing {
            return Err(illegal(n));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tokens_give_go_jose_errors() {
        assert_eq!(
            parse("this-is-not-a-jwt", Jose::V3).unwrap_err(),
            "go-jose/go-jose: compact JWS format must have three parts"
        );
        assert_eq!(
            parse("a.b", Jose::V3).unwrap_err(),
            "go-jose/go-jose: compact JWS format must have three parts"
        );
        assert_eq!(
            parse("eyJ!!!.eyJ???.c2ln", Jose::V3).unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            parse("WzEsMiwzXQ.WzEsMiwzXQ.c2ln", Jose::V3).unwrap_err(),
            "json: cannot unmarshal array into Go value of type jose.rawHeader"
        );
        assert_eq!(
            parse("abcde.e30.c2ln", Jose::V3).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
    }

    #[test]
    fn json_syntax_errors_quote_bytes_as_go() {
        use base64::Engine;
        let b = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let t = |h: &[u8]| parse(&format!("{}.e30.c2ln", b(h)), Jose::V3).unwrap_err();
        assert_eq!(
            t(b"{\"kid\":\"a\x05\"}"),
            r"invalid character '\x05' in string literal"
        );
        assert_eq!(t(b"{\"kid\" 1}"), "invalid character '1' after object key");
        assert_eq!(
            t(b"{\"kid\":1 \"a\"}"),
            r#"invalid character '"' after object key:value pair"#
        );
        assert_eq!(
            t(b"{\"a\":\x01}"),
            r"invalid character '\x01' looking for beginning of value"
        );
    }

    #[test]
    fn padding_and_alg_per_go_jose_version() {
        use base64::Engine;
        let b = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let h = b(br#"{"alg":"RS256","kid":"k"}"#);
        let plain = parse(&format!("{h}.e30.c2ln"), Jose::V4).unwrap();
        // v3 trims '=' from every segment; the signing input is the re-encoding
        let padded = parse(&format!("{h}==.e30=.c2ln=="), Jose::V3).unwrap();
        assert_eq!(padded.signing_input, plain.signing_input);
        assert_eq!(padded.signature, b"sig");
        // v4 refuses it at the first '='
        assert_eq!(
            parse(&format!("{h}.e30=.c2ln"), Jose::V4).unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            parse(&format!("{h}.e30.c2ln=="), Jose::V4).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        // kid "" is no kid
        let empty = parse(
            &format!("{}.e30.c2ln", b(br#"{"alg":"RS256","kid":""}"#)),
            Jose::V4,
        )
        .unwrap();
        assert_eq!(empty.kid, None);
        // v4 checks alg against the ten, after the header members
        let hs = format!("{}.e30.c2ln", b(br#"{"alg":"HS256"}"#));
        assert!(parse(&hs, Jose::V3).is_ok());
        assert!(parse(&hs, Jose::V4)
            .unwrap_err()
            .starts_with(r#"unexpected signature algorithm "HS256"; expected ["RS256" "RS384""#));
        let hs_kid = format!("{}.e30.c2ln", b(br#"{"alg":"HS256","kid":5}"#));
        assert!(parse(&hs_kid, Jose::V4)
            .unwrap_err()
            .starts_with("failed to unmarshal key ID"));
        let oct = format!(
            "{}.e30.c2ln",
            b(br#"{"alg":"RS256","jwk":{"kty":"oct","k":"c2VjcmV0"}}"#)
        );
        assert_eq!(
            parse(&oct, Jose::V3).unwrap_err(),
            "go-jose/go-jose: invalid embedded jwk, must be public key"
        );
    }

    #[test]
    fn go_base64_matches_go() {
        let d = |s: &str, url, pad| go_base64_decode(s.as_bytes(), url, pad);
        assert_eq!(d("AQAB", true, false).unwrap(), [1, 0, 1]);
        assert_eq!(d("AQ", true, false).unwrap(), [1]);
        assert_eq!(
            d("A", true, false).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            d("AQ==", true, false).unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        assert_eq!(d("AQ==", false, true).unwrap(), [1]);
        assert_eq!(
            d("AQ=", false, true).unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            d("AQ", false, true).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            d("AQ==AQ==", false, true).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(d("A\nQ\r\nAB", true, false).unwrap(), [1, 0, 1]);
        assert_eq!(
            d("ab-_", false, true).unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        // trailing bits are ignored (not strict)
        assert_eq!(d("AR", true, false).unwrap(), [1]);
    }

    #[test]
    fn whitespace_is_stripped_and_parts_decoded() {
        let t = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ\n.e30 .c2ln";
        let jws = parse(t, Jose::V3).unwrap();
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
            parse(&dup, Jose::V3).unwrap_err(),
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
        let jws = parse(&t, Jose::V3).unwrap();
        assert_eq!(
            jws.signing_input,
            format!("{}.{{}}", b(r#"{"alg":"RS256","b64":false}"#)).into_bytes()
        );
    }

    #[test]
    fn json_serialization_is_accepted() {
        let flat = r#"{"protected":"eyJhbGciOiJFUzI1NiJ9","payload":"e30","signature":"c2ln"}"#;
        let jws = parse(flat, Jose::V3).unwrap();
        assert_eq!(jws.alg, "ES256");
        assert_eq!(jws.signing_input, b"eyJhbGciOiJFUzI1NiJ9.e30");
        let general = r#"{"payload":"e30","signatures":[{"protected":"eyJhbGciOiJFUzI1NiJ9","signature":"c2ln"}]}"#;
        assert_eq!(parse(general, Jose::V3).unwrap().alg, "ES256");
        // the unprotected header: merged where the protected one leaves a member unset
        let with = |h: &str| {
            format!(
                r#"{{"protected":"eyJhbGciOiJFUzI1NiJ9","header":{h},"payload":"e30","signature":"c2ln"}}"#
            )
        };
        let jws = parse(&with(r#"{"kid":"u","alg":"HS256"}"#), Jose::V4).unwrap();
        assert_eq!((jws.alg.as_str(), jws.kid.as_deref()), ("ES256", Some("u")));
        assert_eq!(
            parse(&with(r#"{"nonce":"n"}"#), Jose::V3).unwrap_err(),
            "go-jose/go-jose: Nonce parameter included in unprotected header"
        );
        assert!(parse(&with(r#"{"kid":5}"#), Jose::V3)
            .unwrap_err()
            .starts_with("failed to unmarshal key ID"));
        assert_eq!(
            parse(&with("[]"), Jose::V3).unwrap_err(),
            "json: cannot unmarshal array into Go value of type jose.rawHeader"
        );
        let two = r#"{"payload":"e30","signatures":[{},{}]}"#;
        assert!(parse(two, Jose::V3).is_err());
        assert!(parse("{", Jose::V3).is_err());
    }
}
