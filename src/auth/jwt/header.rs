//! The JOSE header as go-jose reads it: `rawHeader` (a JSON object of raw members, each name
//! at most once), then `rawHeader.sanitized()` member by member, then the embedded-`jwk` check
//! of `rawJSONWebSignature.sanitized()`. OpenBao parses a token with two go-jose versions:
//! static keys with v3 (hashicorp/cap), JWKS and discovery with v4 (go-oidc v3); the header
//! rules are the same in both, the embedded JWK's texts differ in two places (see [`Jose`]).
//!
//! `sanitized()`, member by member (a member whose value is JSON `null` is skipped, as if absent):
//! - `kid`: a JSON string, else `failed to unmarshal key ID: <json error>: <raw, %#v>`;
//! - `alg`: a JSON string, else `failed to unmarshal algorithm: ...`;
//! - `nonce`: a JSON string, else `failed to unmarshal nonce: ...`;
//! - `x5c`: a JSON array of strings (`json: cannot unmarshal X into Go value of type []string`,
//!   or `... of type string` for an element), each standard padded base64 (`illegal base64
//!   data at input byte N`) of one DER certificate that Go's `x509.ParseCertificate` accepts
//!   (`x509: malformed certificate`, `x509: trailing data`, ...); errors read
//!   `failed to unmarshal x5c header: <error>: <raw>`;
//! - `jwk`: a JSON web key as `JSONWebKey.UnmarshalJSON` reads it (an object; `kty` `RSA`/`EC`/
//!   `OKP`/`oct` with their parameters), else `failed to unmarshal JWK: <error>: <raw>`; once
//!   the whole header is read (and, in v4, `alg` is checked against the allowed list), a key
//!   that is not a valid public key (symmetric, private) is
//!   `go-jose/go-jose: invalid embedded jwk, must be public key`;
//! - any other member: any JSON value that Go decodes into `interface{}` (a number must fit a
//!   float64), else `failed to unmarshal value: ...`.
//!
//! Go visits the members in map order (random); here they are visited in document order, so
//! a header with two bad members reports the first one.

use super::jws::go_base64_decode;
use super::pem;
use crate::core::fields::go_quote;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Which go-jose parses the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jose {
    /// go-jose v3 (cap's static keys): `=` padding trimmed from compact segments and key
    /// parameters; a JWK without `kty` is `unknown json web key type ''`.
    V3,
    /// go-jose v4 (go-oidc's JWKS and discovery): no padding; the `alg` must be in the
    /// allowed list; `missing json web key type`, `unsupported key type/format`.
    V4,
}

/// The header's members that matter after parsing.
#[derive(Debug, Clone, Default)]
pub struct Sanitized {
    /// The members as JSON values, in document order (`null` members kept as `Null`).
    pub members: Map<String, Value>,
    pub alg: String,
    /// `kid` as go-jose's `Header.KeyID`: absent, `null` and `""` are all `""`.
    pub kid: String,
    /// An embedded `jwk` that is not a valid public key (checked after `alg`).
    pub jwk_not_public: bool,
}

/// The JSON kind of a value's text, as Go names it in `cannot unmarshal <kind>`.
pub fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't') | Some(b'f') => "bool",
        Some(b'n') => "null",
        _ => "number",
    }
}

fn type_error(raw: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go value of type {go_type}",
        kind_of(raw)
    )
}

/// The members of a JSON object in document order, with their raw text. `raw` must be a
/// JSON object.
fn raw_members(raw: &str) -> Result<Vec<(String, &RawValue)>, String> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    de.deserialize_map(V).map_err(|e| e.to_string())
}

/// The members of a JSON object's text, with their raw texts, in document order.
pub fn members_text(raw: &str) -> Result<Vec<(String, String)>, String> {
    Ok(raw_members(raw)?
        .into_iter()
        .map(|(k, v)| (k, v.get().to_string()))
        .collect())
}

/// go-jose's `rawHeader.isSet`: present, not `null` and not `""`.
pub fn is_set(raw: &str) -> bool {
    raw != "null" && raw != "\"\""
}

/// A JSON string member's value; `Err` is Go's type error.
fn string_of(raw: &str) -> Result<String, String> {
    serde_json::from_str::<String>(raw).map_err(|_| type_error(raw, "string"))
}

/// Go's `json.Unmarshal` into `interface{}`: every number must be a finite float64.
fn any_of(raw: &str) -> Result<Value, String> {
    if let Some(n) = first_overflowing_number(raw) {
        return Err(format!(
            "json: cannot unmarshal number {n} into Go value of type float64"
        ));
    }
    serde_json::from_str::<Value>(raw).map_err(|e| e.to_string())
}

/// The first number literal outside strings whose float64 value is infinite.
fn first_overflowing_number(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let lit = &raw[start..i];
                if lit.parse::<f64>().is_ok_and(|f| f.is_infinite()) {
                    return Some(lit);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// `rawHeader.sanitized()` of a decoded protected header (a JSON object's text whose member
/// names are unique), with go-jose's texts.
pub fn sanitize(raw: &str, jose: Jose) -> Result<Sanitized, String> {
    let mut out = Sanitized::default();
    for (name, value) in raw_members(raw)? {
        let text = value.get();
        let fail = |what: &str, e: String| format!("{what}: {e}: {}", go_quote(text));
        if text == "null" {
            out.members.insert(name, Value::Null);
            continue;
        }
        let v = match name.as_str() {
            "kid" => {
                let s = string_of(text).map_err(|e| fail("failed to unmarshal key ID", e))?;
                out.kid = s.clone();
                Value::String(s)
            }
            "alg" => {
                let s = string_of(text).map_err(|e| fail("failed to unmarshal algorithm", e))?;
                out.alg = s.clone();
                Value::String(s)
            }
            "nonce" => {
                Value::String(string_of(text).map_err(|e| fail("failed to unmarshal nonce", e))?)
            }
            "x5c" => {
                x5c(text).map_err(|e| fail("failed to unmarshal x5c header", e))?;
                any_of(text).map_err(|e| fail("failed to unmarshal x5c header", e))?
            }
            "jwk" => {
                let public = jwk(text, jose).map_err(|e| fail("failed to unmarshal JWK", e))?;
                out.jwk_not_public = !public;
                any_of(text).map_err(|e| fail("failed to unmarshal JWK", e))?
            }
            _ => any_of(text).map_err(|e| fail("failed to unmarshal value", e))?,
        };
        out.members.insert(name, v);
    }
    Ok(out)
}

/// `[]string` as the go-jose decoder reads it: an array whose elements are strings (a `null`
/// element is `""`); the first element of another type is the error.
fn string_list(raw: &str) -> Result<Vec<String>, String> {
    let items: Vec<&RawValue> = match raw.as_bytes().first() {
        Some(b'[') => serde_json::from_str(raw).map_err(|e| e.to_string())?,
        _ => return Err(type_error(raw, "[]string")),
    };
    let mut out = Vec::new();
    let mut first_error = None;
    for item in items {
        match item.get() {
            "null" => out.push(String::new()),
            t => match string_of(t) {
                Ok(s) => out.push(s),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            },
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// `parseCertificateChain`: each element standard base64 of a DER certificate.
fn x5c(raw: &str) -> Result<(), String> {
    certificate_chain(&string_list(raw)?)
}

fn certificate_chain(chain: &[String]) -> Result<(), String> {
    for cert in chain {
        let der = go_base64_decode(cert.as_bytes(), false, true)?;
        parse_certificate(&der)?;
    }
    Ok(())
}

/// One DER TLV as `cryptobyte.ReadASN1Element`: single-byte tag, minimal definite length.
/// Returns (tag, contents, rest).
fn der_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&len0, rest) = rest.split_first()?;
    let (len, rest) = if len0 & 0x80 == 0 {
        (len0 as usize, rest)
    } else {
        let n = (len0 & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let bytes = &rest[..n];
        if bytes[0] == 0 {
            return None;
        }
        let len = bytes.iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        if len < 128 {
            return None;
        }
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

const SEQUENCE: u8 = 0x30;

/// `cryptobyte`'s DER INTEGER check: not empty, no superfluous leading byte.
fn der_integer_ok(b: &[u8]) -> bool {
    match b {
        [] => false,
        [_] => true,
        [0, second, ..] => second & 0x80 != 0,
        [0xff, second, ..] => second & 0x80 == 0,
        _ => true,
    }
}

/// `cryptobyte`'s BIT STRING check: a padding count 0..=7 whose bits are zero.
fn der_bit_string_ok(b: &[u8]) -> bool {
    match b {
        [] => false,
        [pad] => *pad == 0,
        [pad, .., last] => *pad <= 7 && last & ((1u16 << pad) - 1) as u8 == 0,
    }
}

/// Go's `parseAI`: an OBJECT IDENTIFIER, then at most one parameters element.
fn parse_ai(ai: &[u8]) -> Result<(), String> {
    let oid_ok = |b: &[u8]| {
        // cryptobyte: non-empty; base-128 components, minimal, terminated, at most 5 bytes
        !b.is_empty()
            && b.last().is_some_and(|l| l & 0x80 == 0)
            && b.split_inclusive(|x| x & 0x80 == 0)
                .all(|c| c[0] != 0x80 && c.len() <= 5 && (c.len() < 5 || c[0] & 0x70 == 0))
    };
    match der_tlv(ai) {
        Some((0x06, oid, rest)) if oid_ok(oid) => {
            if !rest.is_empty() && der_tlv(rest).is_none() {
                return Err("x509: malformed parameters".into());
            }
            Ok(())
        }
        _ => Err("x509: malformed OID".into()),
    }
}

/// The structure of Go's `x509.ParseCertificate`, in its order and with its texts, down to
/// the SubjectPublicKeyInfo's two parts (algorithm identifiers read as `parseAI`). The
/// contents of the names, times, the key itself and the extensions are not checked (Go's
/// parser refuses more there).
fn parse_certificate(der: &[u8]) -> Result<(), String> {
    let err = |s: &str| Err(format!("x509: {s}"));
    let Some((SEQUENCE, cert, trailing)) = der_tlv(der) else {
        return err("malformed certificate");
    };
    let Some((SEQUENCE, tbs, outer)) = der_tlv(cert) else {
        return err("malformed tbs certificate");
    };
    let mut t = tbs;
    let mut version = 0u8;
    if let Some((0xa0, explicit, r)) = der_tlv(t) {
        match der_tlv(explicit) {
            Some((0x02, v, [])) if der_integer_ok(v) && v.len() <= 8 => {
                if v[0] & 0x80 != 0 {
                    return err("malformed version");
                }
                let n = v.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
                if n > 2 {
                    return err("invalid version");
                }
                version = n as u8;
                t = r;
            }
            _ => return err("malformed version"),
        }
    }
    match der_tlv(t) {
        Some((0x02, serial, r)) if der_integer_ok(serial) => t = r,
        _ => return err("malformed serial number"),
    }
    let Some((SEQUENCE, inner_ai, r)) = der_tlv(t) else {
        return err("malformed signature algorithm identifier");
    };
    t = r;
    let Some((SEQUENCE, outer_ai, outer)) = der_tlv(outer) else {
        return err("malformed algorithm identifier");
    };
    if inner_ai != outer_ai {
        return err("inner and outer signature algorithm identifiers don't match");
    }
    parse_ai(inner_ai)?;
    for what in [
        "malformed issuer",
        "malformed validity",
        "malformed subject",
    ] {
        match der_tlv(t) {
            Some((SEQUENCE, _, r)) => t = r,
            _ => return err(what),
        }
    }
    let Some((SEQUENCE, spki, r)) = der_tlv(t) else {
        return err("malformed spki");
    };
    t = r;
    let Some((SEQUENCE, pk_ai, spk)) = der_tlv(spki) else {
        return err("malformed public key algorithm identifier");
    };
    parse_ai(pk_ai)?;
    match der_tlv(spk) {
        Some((0x03, bits, _)) if der_bit_string_ok(bits) => {}
        _ => return err("malformed subjectPublicKey"),
    }
    if version >= 1 {
        for (tag, what) in [(0x81, "issuerUniqueID"), (0x82, "subjectUniqueID")] {
            // cryptobyte's SkipOptionalASN1: only an element with that tag is read
            if t.first() == Some(&tag) {
                match der_tlv(t) {
                    Some((_, _, r)) => t = r,
                    None => return err(&format!("malformed {what}")),
                }
            }
        }
    }
    match der_tlv(outer) {
        Some((0x03, bits, _)) if der_bit_string_ok(bits) => {}
        _ => return err("malformed signature"),
    }
    if !trailing.is_empty() {
        return err("trailing data");
    }
    Ok(())
}

/// `JSONWebKey.UnmarshalJSON` of a key's JSON text (embedded in a header, or one key of a
/// JWKS). Ok: whether it is a valid public key.
pub fn jwk(raw: &str, jose: Jose) -> Result<bool, String> {
    if !raw.starts_with('{') {
        return Err(type_error(raw, "jose.rawJSONWebKey"));
    }
    let members = raw_members(raw)?;
    // rawJSONWebKey: string members (type errors are kept, the first reported at the end),
    // byteBuffer members (errors stop at once), x5c.
    let mut strings: std::collections::HashMap<&str, String> = Default::default();
    let mut buffers: std::collections::HashMap<&str, Vec<u8>> = Default::default();
    let mut x5c: Vec<String> = Vec::new();
    let mut saved: Option<String> = None;
    for (name, value) in &members {
        let text = value.get();
        let name = name.as_str();
        match name {
            "use" | "kty" | "kid" | "crv" | "alg" | "x5u" | "x5t" | "x5t#S256" => {
                if text == "null" {
                    strings.remove(name);
                    continue;
                }
                match string_of(text) {
                    Ok(s) => {
                        strings.insert(name, s);
                    }
                    Err(e) => {
                        saved.get_or_insert(e);
                    }
                }
            }
            "k" | "x" | "y" | "n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi" => {
                if text == "null" {
                    buffers.remove(name);
                    continue;
                }
                let s = string_of(text)?;
                let s = match jose {
                    Jose::V3 => s.trim_end_matches('='),
                    Jose::V4 => s.as_str(),
                };
                buffers.insert(name, go_base64_decode(s.as_bytes(), true, false)?);
            }
            "x5c" => {
                if text == "null" {
                    x5c.clear();
                    continue;
                }
                match string_list(text) {
                    Ok(l) => x5c = l,
                    Err(e) => {
                        saved.get_or_insert(e);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(e) = saved {
        return Err(e);
    }
    certificate_chain(&x5c)
        .map_err(|e| format!("go-jose/go-jose: failed to unmarshal x5c field: {e}"))?;
    let get = |k: &str| strings.get(k).map(String::as_str).unwrap_or("");
    let buf = |k: &str| buffers.get(k);
    let has = |k: &str| buffers.contains_key(k);
    let missing = |names: &[&str]| -> String {
        names
            .iter()
            .filter(|n| !has(&n.to_ascii_lowercase()))
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let public = match get("kty") {
        "EC" => {
            let size = match get("crv") {
                "P-256" => 32,
                "P-384" => 48,
                "P-521" => 66,
                crv => {
                    return Err(format!(
                        "go-jose/go-jose: unsupported elliptic curve '{crv}'"
                    ))
                }
            };
            let private = has("d");
            let which = if private { "private" } else { "public" };
            if private {
                let m = match jose {
                    Jose::V3 => {
                        if has("x") && has("y") {
                            String::new()
                        } else {
                            "x/y/d".into()
                        }
                    }
                    Jose::V4 => missing(&["X", "Y", "D"]),
                };
                if !m.is_empty() {
                    return Err(match jose {
                        Jose::V3 => "go-jose/go-jose: invalid EC private key, missing x/y/d values"
                            .to_string(),
                        Jose::V4 => {
                            format!("go-jose/go-jose: invalid EC private key, missing {m} value(s)")
                        }
                    });
                }
            } else if !(has("x") && has("y")) {
                return Err("go-jose/go-jose: invalid EC key, missing x/y values".into());
            }
            let (x, y) = (
                buf("x").cloned().unwrap_or_default(),
                buf("y").cloned().unwrap_or_default(),
            );
            if x.len() != size {
                return Err(format!(
                    "go-jose/go-jose: invalid EC {which} key, wrong length for x"
                ));
            }
            if y.len() != size {
                return Err(format!(
                    "go-jose/go-jose: invalid EC {which} key, wrong length for y"
                ));
            }
            if private && buf("d").map(Vec::len) != Some(size) {
                return Err("go-jose/go-jose: invalid EC private key, wrong length for d".into());
            }
            let oid = match size {
                32 => pem::OID_P256,
                48 => pem::OID_P384,
                _ => pem::OID_P521,
            };
            let point = [&[4u8][..], &x, &y].concat();
            if pem::ec_key(oid, &point).is_none() {
                return Err(
                    "go-jose/go-jose: invalid EC key, X/Y are not on declared curve".into(),
                );
            }
            !private
        }
        "RSA" => {
            if has("d") {
                let m = missing(&["N", "E", "D", "P", "Q"]);
                if !m.is_empty() {
                    return Err(format!(
                        "go-jose/go-jose: invalid RSA private key, missing {m} value(s)"
                    ));
                }
                false
            } else {
                let (Some(n), Some(e)) = (buf("n"), buf("e")) else {
                    return Err("go-jose/go-jose: invalid RSA key, missing n/e values".into());
                };
                // Valid(): N set, E (as Go's int) not 0
                let _ = n;
                e.iter().rev().take(8).any(|b| *b != 0)
            }
        }
        "oct" => {
            if !x5c.is_empty() {
                return Err(
                    "go-jose/go-jose: invalid JWK, found 'oct' (symmetric) key with cert chain"
                        .into(),
                );
            }
            if !has("k") {
                return Err("go-jose/go-jose: invalid OCT (symmetric) key, missing k value".into());
            }
            false
        }
        "OKP" if get("crv") == "Ed25519" && (jose == Jose::V4 || has("x")) => {
            if has("d") {
                let m = missing(&["D", "X"]);
                if !m.is_empty() {
                    return Err(format!(
                        "go-jose/go-jose: invalid Ed25519 private key, missing {m} value(s)"
                    ));
                }
                false
            } else if !has("x") {
                return Err("go-jose/go-jose: invalid Ed key, missing x value".into());
            } else {
                true
            }
        }
        kty => {
            return Err(match (jose, kty) {
                (Jose::V3, "OKP") => {
                    format!("go-jose/go-jose: unknown curve {}'", get("crv"))
                }
                (Jose::V3, _) => format!("go-jose/go-jose: unknown json web key type '{kty}'"),
                (Jose::V4, "") => "go-jose/go-jose: missing json web key type".into(),
                (Jose::V4, _) => "go-jose/go-jose: unsupported key type/format".into(),
            })
        }
    };
    // thumbprints: base64url, 20 / 32 bytes (or their hex)
    for (name, size, label) in [("x5t", 20, "x5t"), ("x5t#S256", 32, "x5t#S256")] {
        let bytes = go_base64_decode(get(name).as_bytes(), true, false).map_err(|_| {
            format!("go-jose/go-jose: invalid JWK, {label} header has invalid encoding")
        })?;
        let len = if bytes.len() == 2 * size {
            if !bytes.iter().all(u8::is_ascii_hexdigit) {
                return Err(format!(
                    "go-jose/go-jose: invalid JWK, unable to hex decode {label}: encoding/hex: invalid byte: {}",
                    bytes
                        .iter()
                        .find(|b| !b.is_ascii_hexdigit())
                        .map(|b| format!("U+{:04X} {}", b, crate::core::fields::go_quote_char(*b)))
                        .unwrap_or_default()
                ));
            }
            size
        } else {
            bytes.len()
        };
        if len > 0 && len != size {
            return Err(format!(
                "go-jose/go-jose: invalid JWK, {label} header is of incorrect size"
            ));
        }
    }
    Ok(public)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(header: &str) -> String {
        sanitize(header, Jose::V4).unwrap_err()
    }

    #[test]
    fn string_members_must_be_strings() {
        assert_eq!(
            err(r#"{"alg":"RS256","kid":5}"#),
            r#"failed to unmarshal key ID: json: cannot unmarshal number into Go value of type string: "5""#
        );
        assert_eq!(
            err(r#"{"kid":{"a":1}}"#),
            r#"failed to unmarshal key ID: json: cannot unmarshal object into Go value of type string: "{\"a\":1}""#
        );
        assert_eq!(
            err(r#"{"kid":["k"]}"#),
            r#"failed to unmarshal key ID: json: cannot unmarshal array into Go value of type string: "[\"k\"]""#
        );
        assert_eq!(
            err(r#"{"alg":true}"#),
            r#"failed to unmarshal algorithm: json: cannot unmarshal bool into Go value of type string: "true""#
        );
        assert_eq!(
            err(r#"{"nonce":7}"#),
            r#"failed to unmarshal nonce: json: cannot unmarshal number into Go value of type string: "7""#
        );
        let ok = sanitize(
            r#"{"alg":"RS256","kid":null,"nonce":"n","typ":5}"#,
            Jose::V3,
        )
        .unwrap();
        assert_eq!(ok.alg, "RS256");
        assert_eq!(ok.kid, "");
        assert_eq!(ok.members.get("typ"), Some(&serde_json::json!(5)));
        // the first bad member in document order
        assert!(err(r#"{"nonce":1,"kid":2}"#).starts_with("failed to unmarshal nonce"));
    }

    #[test]
    fn other_members_decode_as_interface() {
        let big = format!("1{}", "0".repeat(400));
        assert_eq!(
            err(&format!(r#"{{"x":[{big}]}}"#)),
            format!(
                r#"failed to unmarshal value: json: cannot unmarshal number {big} into Go value of type float64: "[{big}]""#
            )
        );
        assert!(sanitize(r#"{"x":{"y":[1e300,"1e400"]}}"#, Jose::V4).is_ok());
    }

    #[test]
    fn x5c_rules() {
        let t = |v: &str| err(&format!(r#"{{"x5c":{v}}}"#));
        assert_eq!(
            t(r#""abc""#),
            r#"failed to unmarshal x5c header: json: cannot unmarshal string into Go value of type []string: "\"abc\"""#
        );
        assert_eq!(
            t("[5]"),
            r#"failed to unmarshal x5c header: json: cannot unmarshal number into Go value of type string: "[5]""#
        );
        assert_eq!(
            t(r#"["ab-_"]"#),
            r#"failed to unmarshal x5c header: illegal base64 data at input byte 2: "[\"ab-_\"]""#
        );
        assert_eq!(
            t(r#"["AAA"]"#),
            r#"failed to unmarshal x5c header: illegal base64 data at input byte 0: "[\"AAA\"]""#
        );
        assert_eq!(
            t(r#"["AAAA"]"#),
            r#"failed to unmarshal x5c header: x509: malformed certificate: "[\"AAAA\"]""#
        );
        assert_eq!(
            t(r#"[""]"#),
            r#"failed to unmarshal x5c header: x509: malformed certificate: "[\"\"]""#
        );
        assert!(sanitize(r#"{"x5c":[]}"#, Jose::V3).is_ok());
        let pem = std::fs::read_to_string(format!(
            "{}/tests/fixtures/keys/rsa2048.crt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let der = pem::first_pem_block(&pem).unwrap().der;
        use base64::Engine;
        let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
        assert!(sanitize(&format!(r#"{{"x5c":["{}"]}}"#, b64(&der)), Jose::V3).is_ok());
        let trailing = [&der[..], &[0]].concat();
        assert!(t(&format!(r#"["{}"]"#, b64(&trailing)))
            .starts_with("failed to unmarshal x5c header: x509: trailing data: "));
    }

    #[test]
    fn jwk_rules() {
        let t = |v: &str, jose| sanitize(&format!(r#"{{"jwk":{v}}}"#,), jose);
        assert_eq!(
            t("5", Jose::V3).unwrap_err(),
            r#"failed to unmarshal JWK: json: cannot unmarshal number into Go value of type jose.rawJSONWebKey: "5""#
        );
        assert_eq!(
            t("{}", Jose::V3).unwrap_err(),
            r#"failed to unmarshal JWK: go-jose/go-jose: unknown json web key type '': "{}""#
        );
        assert_eq!(
            t("{}", Jose::V4).unwrap_err(),
            r#"failed to unmarshal JWK: go-jose/go-jose: missing json web key type: "{}""#
        );
        assert_eq!(
            t(r#"{"kty":"foo"}"#, Jose::V4).unwrap_err(),
            r#"failed to unmarshal JWK: go-jose/go-jose: unsupported key type/format: "{\"kty\":\"foo\"}""#
        );
        assert_eq!(
            t(r#"{"kty":"RSA","e":"AQAB"}"#, Jose::V4).unwrap_err(),
            r#"failed to unmarshal JWK: go-jose/go-jose: invalid RSA key, missing n/e values: "{\"kty\":\"RSA\",\"e\":\"AQAB\"}""#
        );
        assert!(t(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","kid":5}"#, Jose::V4)
            .unwrap_err()
            .starts_with(
                "failed to unmarshal JWK: json: cannot unmarshal number into Go value of type string: "
            ));
        assert!(
            t(r#"{"kty":"oct","k":"c2VjcmV0"}"#, Jose::V4)
                .unwrap()
                .jwk_not_public
        );
        assert!(
            !t(r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, Jose::V4)
                .unwrap()
                .jwk_not_public
        );
        let ec = r#"{"kty":"EC","crv":"P-256","x":"B1XOR6TkBjR2R4rux8KJKfyiVYihui_YsBfpciXRuYM","y":"oQPKzK5KO5E9t8VjHPM31TTZJX_dg85HtU5xo9RdlZE""#;
        assert!(!t(&format!("{ec}}}"), Jose::V3).unwrap().jwk_not_public);
        let private = format!(r#"{ec},"d":"8JyFnEN7CVfxGy1orj4tDU1IjfyPRxnU3zHB9P457-w"}}"#);
        assert!(t(&private, Jose::V4).unwrap().jwk_not_public);
        // padding in a key parameter: v3 trims it, v4 refuses it
        assert!(t(r#"{"kty":"RSA","n":"AQAB","e":"AQAB=="}"#, Jose::V3).is_ok());
        assert_eq!(
            t(r#"{"kty":"RSA","n":"AQAB","e":"AQAB=="}"#, Jose::V4).unwrap_err(),
            r#"failed to unmarshal JWK: illegal base64 data at input byte 4: "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB==\"}""#
        );
    }

    #[test]
    fn certificate_structure_as_go() {
        let pem = std::fs::read_to_string(format!(
            "{}/tests/fixtures/keys/rsa2048.crt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let der = pem::first_pem_block(&pem).unwrap().der;
        assert_eq!(parse_certificate(&der), Ok(()));
        assert_eq!(
            parse_certificate(&[0x30, 0x00]).unwrap_err(),
            "x509: malformed tbs certificate"
        );
        assert_eq!(
            parse_certificate(&[0x30, 0x02, 0x30, 0x00]).unwrap_err(),
            "x509: malformed serial number"
        );
        assert_eq!(
            parse_certificate(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err(),
            "x509: malformed signature algorithm identifier"
        );
        assert_eq!(
            parse_certificate(&[0x30, 0x07, 0x30, 0x05, 0x02, 0x01, 0x01, 0x30, 0x00]).unwrap_err(),
            "x509: malformed algorithm identifier"
        );
        assert_eq!(
            parse_certificate(&[0x30, 0x09, 0x30, 0x05, 0x02, 0x01, 0x01, 0x30, 0x00, 0x30, 0x00])
                .unwrap_err(),
            "x509: malformed OID"
        );
        assert_eq!(
            parse_certificate(&[0x30, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x05]).unwrap_err(),
            "x509: invalid version"
        );
        // a different outer algorithm identifier
        let mut other = der.clone();
        let ai = [
            0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
        ];
        let last = other.windows(ai.len()).rposition(|w| w == ai).unwrap();
        other[last + 12] = 0x0c;
        assert_eq!(
            parse_certificate(&other).unwrap_err(),
            "x509: inner and outer signature algorithm identifiers don't match"
        );
    }

    #[test]
    fn der_lengths_are_minimal() {
        assert!(der_tlv(&[0x30, 0x00]).is_some());
        assert!(der_tlv(&[0x30, 0x81, 0x05, 0, 0, 0, 0, 0]).is_none());
        assert!(der_tlv(&[0x30, 0x80]).is_none());
        assert!(der_tlv(&[0x30, 0x02, 0]).is_none());
    }
}
