//! Building and signing test tokens (compact JWS).

use super::keys::{KeyType, PrivateKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// Parses `key=value`; the value is JSON when it parses as JSON (`42`, `true`,
/// `["a","b"]`, `"quoted"`), else the text itself. A value that starts as a JSON array,
/// object or string (`[`, `{`, `"`) but does not parse is refused: `groups=[dev` is a typo,
/// not the text "[dev".
pub fn parse_kv(arg: &str, what: &str) -> Result<(String, Value), String> {
    let (k, v) = arg
        .split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("invalid {what} {arg:?}: expected key=value"))?;
    let value = match serde_json::from_str::<Value>(v) {
        Ok(value) => value,
        Err(e) if v.trim_start().starts_with(['[', '{', '"']) => {
            return Err(format!(
                "invalid {what} {arg:?}: the value looks like JSON but is not ({e}); \
                 for the text itself, give it as a JSON string: {k}='\"...\"'"
            ))
        }
        Err(_) => Value::String(v.to_string()),
    };
    Ok((k.to_string(), value))
}

/// Sets `key` in `claims`. A key starting with `/` is a JSON pointer into nested objects
/// (`/kubernetes.io/namespace`), created as needed; any other key is taken literally.
pub fn set_claim(claims: &mut Map<String, Value>, key: &str, value: Value) -> Result<(), String> {
    let Some(pointer) = key.strip_prefix('/') else {
        claims.insert(key.to_string(), value);
        return Ok(());
    };
    let parts: Vec<String> = pointer
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (last, parents) = parts
        .split_last()
        .ok_or_else(|| format!("invalid claim pointer {key:?}"))?;
    let mut cur = claims;
    for p in parents {
        let entry = cur
            .entry(p.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        cur = entry
            .as_object_mut()
            .ok_or_else(|| format!("invalid claim pointer {key:?}"))?;
    }
    cur.insert(last.clone(), value);
    Ok(())
}

/// The algorithm to sign with: `alg` (checked against the key type) or the key's default.
pub fn choose_alg(key: &PrivateKey, alg: Option<&str>) -> Result<&'static str, String> {
    match alg {
        None => Ok(key.key_type().default_alg()),
        Some(a) => {
            let a = super::keys::parse_alg(a)?;
            if KeyType::for_alg(a) != Some(key.key_type()) {
                return Err(format!(
                    "algorithm {a} needs {}, but the key is {}",
                    KeyType::for_alg(a)
                        .map(KeyType::describe)
                        .unwrap_or("another key"),
                    key.key_type().describe()
                ));
            }
            Ok(a)
        }
    }
}

/// Signs `claims` as a compact JWT. The header is `alg`, `typ: JWT`, `kid` when given, then
/// `extra_header` (which may override any of them, for negative tests).
pub fn sign(
    key: &PrivateKey,
    alg: &str,
    kid: Option<&str>,
    extra_header: &Map<String, Value>,
    claims: &Map<String, Value>,
) -> Result<String, String> {
    let mut header = Map::new();
    header.insert("alg".into(), alg.into());
    if let Some(k) = kid {
        header.insert("kid".into(), k.into());
    }
    header.insert("typ".into(), "JWT".into());
    for (k, v) in extra_header {
        header.insert(k.clone(), v.clone());
    }
    let enc = |v: &Map<String, Value>| -> Result<String, String> {
        let bytes = serde_json::to_vec(v).map_err(|e| e.to_string())?;
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    };
    let signing_input = format!("{}.{}", enc(&header)?, enc(claims)?);
    let sig = key.sign(alg, signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_values() {
        assert_eq!(
            parse_kv("sub=user-1", "claim").unwrap(),
            ("sub".into(), Value::String("user-1".into()))
        );
        assert_eq!(
            parse_kv(r#"groups=["developers"]"#, "claim").unwrap().1,
            serde_json::json!(["developers"])
        );
        assert_eq!(parse_kv("n=42", "claim").unwrap().1, serde_json::json!(42));
        assert_eq!(parse_kv("e=", "claim").unwrap().1, serde_json::json!(""));
        assert_eq!(
            parse_kv("nokv", "claim").unwrap_err(),
            "invalid claim \"nokv\": expected key=value"
        );
        assert!(parse_kv("=v", "claim").is_err());
    }

    #[test]
    fn pointers_nest() {
        let mut m = Map::new();
        set_claim(&mut m, "/kubernetes.io/namespace", "prod".into()).unwrap();
        set_claim(&mut m, "/a~1b", 1.into()).unwrap();
        set_claim(&mut m, "plain.key", 2.into()).unwrap();
        assert_eq!(
            Value::Object(m),
            serde_json::json!({"kubernetes.io": {"namespace": "prod"}, "a/b": 1, "plain.key": 2})
        );
    }

    #[test]
    fn signed_token_parses_and_verifies() {
        let key = PrivateKey::generate(KeyType::P521, 2048).unwrap();
        let mut claims = Map::new();
        claims.insert("sub".into(), "x".into());
        let jwt = sign(&key, "ES512", Some("k1"), &Map::new(), &claims).unwrap();
        let jws = crate::auth::jwt::jws::parse(&jwt, crate::auth::jwt::jws::Jose::V3).unwrap();
        assert_eq!(jws.alg, "ES512");
        assert_eq!(jws.kid.as_deref(), Some("k1"));
        let public =
            crate::auth::jwt::pem::parse_public_key_pem(&key.public_pem().unwrap()).unwrap();
        assert!(public.verify("ES512", &jws.signing_input, &jws.signature));
        assert_eq!(
            choose_alg(&key, Some("RS256")).unwrap_err(),
            "algorithm RS256 needs an RSA key, but the key is a P-521 key"
        );
        assert_eq!(choose_alg(&key, Some("es512")).unwrap(), "ES512");
    }
}
