//! Public keys: PEM parsing as OpenBao's `certutil.ParsePublicKeyPEM` (PKIX public key or
//! X.509 certificate), JWKS decoding (go-jose's `JSONWebKeySet`), and signature verification
//! of the ten JWT algorithms. The crypto is jsonwebtoken's RustCrypto backend, plus the
//! `p521` crate for ES512, which jsonwebtoken lacks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;
use spki::der::asn1::ObjectIdentifier;
use spki::der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};

/// The ten algorithms OpenBao accepts for JWT login, in its order.
pub const SUPPORTED_ALGS: [&str; 10] = [
    "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA",
];

/// The smallest RSA modulus vaultjwt accepts (bits).
pub const MIN_RSA_BITS: usize = 2048;
/// The smallest RSA modulus accepted in a JWKS (bits): Go's `crypto/rsa` minimum, as OpenBao.
/// Keys between this and [`MIN_RSA_BITS`] verify, with a default-mode warning.
pub const MIN_JWKS_RSA_BITS: usize = 1024;
/// The largest RSA modulus the RustCrypto backend verifies with (bits).
pub const MAX_RSA_BITS: usize = 4096;

/// The bit length of a big-endian unsigned integer.
fn bit_length(be: &[u8]) -> usize {
    let n = strip_leading_zeros(be);
    match n.first() {
        Some(b) => n.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// A verification key.
#[derive(Clone)]
pub enum PublicKey {
    /// RS256/384/512 and PS256/384/512.
    Rsa(DecodingKey),
    P256(DecodingKey),
    P384(DecodingKey),
    P521(Box<p521::ecdsa::VerifyingKey>),
    Ed25519(DecodingKey),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PublicKey::Rsa(_) => "PublicKey::Rsa",
            PublicKey::P256(_) => "PublicKey::P256",
            PublicKey::P384(_) => "PublicKey::P384",
            PublicKey::P521(_) => "PublicKey::P521",
            PublicKey::Ed25519(_) => "PublicKey::Ed25519",
        })
    }
}

impl PublicKey {
    /// The key type in words (`RSA`, `EC P-256`, ..., `Ed25519`), for `jwt explain`.
    pub fn kind(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::P256(_) => "EC P-256",
            PublicKey::P384(_) => "EC P-384",
            PublicKey::P521(_) => "EC P-521",
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }

    /// Whether this key type can check an `alg` signature at all.
    pub fn fits(&self, alg: &str) -> bool {
        matches!(
            (alg, self),
            (
                "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512",
                PublicKey::Rsa(_)
            ) | ("ES256", PublicKey::P256(_))
                | ("ES384", PublicKey::P384(_))
                | ("ES512", PublicKey::P521(_))
                | ("EdDSA", PublicKey::Ed25519(_))
        )
    }

    /// Whether `sig` is a valid `alg` signature of `msg` by this key. HMAC, `none` and any
    /// other name are never valid; a key of the wrong type never verifies.
    pub fn verify(&self, alg: &str, msg: &[u8], sig: &[u8]) -> bool {
        let jwt_alg = match (alg, self) {
            ("ES512", PublicKey::P521(key)) => {
                use p521::ecdsa::signature::Verifier;
                return match p521::ecdsa::Signature::from_slice(sig) {
                    Ok(s) => key.verify(msg, &s).is_ok(),
                    Err(_) => false,
                };
            }
            ("RS256", PublicKey::Rsa(_)) => Algorithm::RS256,
            ("RS384", PublicKey::Rsa(_)) => Algorithm::RS384,
            ("RS512", PublicKey::Rsa(_)) => Algorithm::RS512,
            ("PS256", PublicKey::Rsa(_)) => Algorithm::PS256,
            ("PS384", PublicKey::Rsa(_)) => Algorithm::PS384,
            ("PS512", PublicKey::Rsa(_)) => Algorithm::PS512,
            ("ES256", PublicKey::P256(_)) => Algorithm::ES256,
            ("ES384", PublicKey::P384(_)) => Algorithm::ES384,
            ("EdDSA", PublicKey::Ed25519(_)) => Algorithm::EdDSA,
            _ => return false,
        };
        let key = match self {
            PublicKey::Rsa(k) | PublicKey::P256(k) | PublicKey::P384(k) | PublicKey::Ed25519(k) => {
                k
            }
            PublicKey::P521(_) => return false,
        };
        if ring_verifies(jwt_alg, key, msg, sig) {
            return true;
        }
        let sig_b64 = URL_SAFE_NO_PAD.encode(sig);
        jsonwebtoken::crypto::verify(&sig_b64, msg, key, jwt_alg).unwrap_or(false)
    }
}

/// A fast path: `ring` (already linked for TLS) verifies RSA and P-256/P-384 signatures about
/// ten times faster than the RustCrypto backend. It accepts a subset of what that backend
/// accepts (e.g. only uncompressed EC points, public exponents of at least 3), so a `false`
/// here is not an answer: the caller then asks the RustCrypto backend, whose verdict stands.
fn ring_verifies(alg: Algorithm, key: &DecodingKey, msg: &[u8], sig: &[u8]) -> bool {
    use jsonwebtoken::DecodingKeyKind;
    use ring::signature as rs;
    let rsa: &rs::RsaParameters = match alg {
        Algorithm::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &rs::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &rs::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &rs::RSA_PSS_2048_8192_SHA512,
        Algorithm::ES256 | Algorithm::ES384 => {
            let ec = if alg == Algorithm::ES256 {
                &rs::ECDSA_P256_SHA256_FIXED
            } else {
                &rs::ECDSA_P384_SHA384_FIXED
            };
            return match key.kind() {
                DecodingKeyKind::SecretOrDer(point) => rs::UnparsedPublicKey::new(ec, point)
                    .verify(msg, sig)
                    .is_ok(),
                DecodingKeyKind::RsaModulusExponent { .. } => false,
            };
        }
        _ => return false,
    };
    match key.kind() {
        DecodingKeyKind::SecretOrDer(der) => rs::UnparsedPublicKey::new(rsa, der)
            .verify(msg, sig)
            .is_ok(),
        DecodingKeyKind::RsaModulusExponent { n, e } => rs::RsaPublicKeyComponents { n, e }
            .verify(rsa, msg, sig)
            .is_ok(),
    }
}

/// Parses one `jwt_validation_pubkeys` element. The error is the detail that follows
/// `error parsing public key: `.
pub fn parse_public_key_pem(text: &str) -> Result<PublicKey, String> {
    const NO_KEYS: &str = "data does not contain any valid public keys";
    let (der, rest) = match first_pem_block(text) {
        Some(b) => (b.der, b.rest),
        None => return Err(NO_KEYS.into()),
    };
    if !rest.trim().is_empty() {
        return Err("unexpected trailing data after parsed PEM block".into());
    }
    let key = match from_spki_der(&der) {
        Ok(k) => k,
        Err(SpkiError::Malformed) => {
            let spki = spki_of_certificate(&der).ok_or("x509: malformed certificate")?;
            match from_spki_der(&spki) {
                Ok(k) => k,
                Err(SpkiError::Unsupported) => return Err(NO_KEYS.into()),
                Err(SpkiError::Malformed) => return Err("x509: malformed certificate".into()),
                Err(SpkiError::Refused(e)) => return Err(e),
            }
        }
        Err(SpkiError::Unsupported) => return Err(NO_KEYS.into()),
        Err(SpkiError::Refused(e)) => return Err(e),
    };
    Ok(key)
}

enum SpkiError {
    /// Not a SubjectPublicKeyInfo (Go's `ParsePKIXPublicKey` fails).
    Malformed,
    /// A well-formed key of a type JWT cannot use (X25519, DSA, P-224, ...).
    Unsupported,
    /// A key vaultjwt refuses (RSA under 2048 bits).
    Refused(String),
}

fn from_spki_der(der: &[u8]) -> Result<PublicKey, SpkiError> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| SpkiError::Malformed)?;
    let bits = info
        .subject_public_key
        .as_bytes()
        .ok_or(SpkiError::Malformed)?;
    let oid = info.algorithm.oid;
    if oid == OID_RSA {
        let raw = rsa::pkcs1::RsaPublicKey::from_der(bits).map_err(|_| SpkiError::Malformed)?;
        let size = bit_length(raw.modulus.as_bytes());
        if size < MIN_RSA_BITS {
            return Err(SpkiError::Refused(format!(
                "RSA key of {size} bits is too small (at least {MIN_RSA_BITS} bits are required)"
            )));
        }
        if size > MAX_RSA_BITS {
            return Err(SpkiError::Refused(format!(
                "RSA key of {size} bits is too large (at most {MAX_RSA_BITS} bits are supported)"
            )));
        }
        return Ok(PublicKey::Rsa(DecodingKey::from_rsa_der(bits)));
    }
    if oid == OID_EC {
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .ok_or(SpkiError::Malformed)?;
        return ec_key(curve, bits).ok_or(SpkiError::Unsupported);
    }
    if oid == OID_ED25519 {
        if bits.len() != 32 {
            return Err(SpkiError::Malformed);
        }
        return Ok(PublicKey::Ed25519(DecodingKey::from_ed_der(bits)));
    }
    Err(SpkiError::Unsupported)
}

/// An EC key from its curve and SEC1 point, checked to be on the curve.
pub(crate) fn ec_key(curve: ObjectIdentifier, point: &[u8]) -> Option<PublicKey> {
    if curve == OID_P256 {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok()?;
        Some(PublicKey::P256(DecodingKey::from_ec_der(point)))
    } else if curve == OID_P384 {
        p384::ecdsa::VerifyingKey::from_sec1_bytes(point).ok()?;
        Some(PublicKey::P384(DecodingKey::from_ec_der(point)))
    } else if curve == OID_P521 {
        let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(point).ok()?;
        Some(PublicKey::P521(Box::new(key)))
    } else {
        None
    }
}

/// The DER SubjectPublicKeyInfo inside an X.509 certificate.
fn spki_of_certificate(der: &[u8]) -> Option<Vec<u8>> {
    use spki::der::asn1::AnyRef;
    let mut outer = SliceReader::new(der).ok()?;
    let cert: AnyRef = outer.decode().ok()?;
    if cert.tag() != Tag::Sequence || !outer.is_finished() {
        return None;
    }
    let mut r = SliceReader::new(cert.value()).ok()?;
    let tbs: AnyRef = r.decode().ok()?;
    if tbs.tag() != Tag::Sequence {
        return None;
    }
    let mut t = SliceReader::new(tbs.value()).ok()?;
    let mut serial: AnyRef = t.decode().ok()?;
    if serial.tag()
        == (Tag::ContextSpecific {
            constructed: true,
            number: TagNumber::N0,
        })
    {
        serial = t.decode().ok()?;
    }
    if serial.tag() != Tag::Integer {
        return None;
    }
    for _ in 0..4 {
        // signature algorithm, issuer, validity, subject
        let _: AnyRef = t.decode().ok()?;
    }
    let spki: AnyRef = t.decode().ok()?;
    spki.to_der().ok()
}

/// One PEM block: its DER contents and the text after its END line.
pub struct PemBlock<'a> {
    pub label: String,
    pub der: Vec<u8>,
    pub rest: &'a str,
}

/// Go's `pem.Decode`: the first well-formed PEM block (text before it is skipped).
pub fn first_pem_block(text: &str) -> Option<PemBlock<'_>> {
    let mut search = text;
    loop {
        let start = search.find("-----BEGIN ")?;
        let after = &search[start + "-----BEGIN ".len()..];
        let label_end = after.find("-----")?;
        let label = &after[..label_end];
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        if label.contains('\n') {
            search = after;
            continue;
        }
        let Some(end) = body_start.find(&end_marker) else {
            search = after;
            continue;
        };
        let body: String = body_start[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let rest = &body_start[end + end_marker.len()..];
        match base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
            Ok(der) => {
                return Some(PemBlock {
                    label: label.to_string(),
                    der,
                    rest,
                })
            }
            Err(_) => search = rest,
        }
    }
}

/// Checks a CA bundle (`jwks_ca_pem`, `oidc_discovery_ca_pem`) holds at least one
/// certificate, and returns the certificates' DER.
pub fn parse_ca_pem(text: &str) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(block) = first_pem_block(rest) {
        if block.label == "CERTIFICATE" && spki_of_certificate(&block.der).is_some() {
            out.push(block.der);
        }
        rest = block.rest;
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// A key of a JWKS, with its `kid`.
#[derive(Debug, Clone)]
pub struct Jwk {
    pub kid: Option<String>,
    pub key: Option<PublicKey>,
    /// The modulus size of a usable RSA key shorter than [`MIN_RSA_BITS`].
    pub weak_rsa_bits: Option<usize>,
}

/// Decodes a JWKS document as go-jose does: a key of unknown `kty` or with bad parameters
/// fails the whole set. RSA keys of 1024 to 2047 bits are usable, as in OpenBao (and marked
/// weak); keys vaultjwt refuses (RSA < 1024 or > 4096 bits) are kept without a usable key, so
/// they never verify anything.
pub fn parse_jwks(body: &[u8]) -> Result<Vec<Jwk>, String> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let keys = match doc.get("keys") {
        Some(Value::Array(keys)) => keys,
        Some(Value::Null) | None => return Ok(Vec::new()),
        Some(_) => {
            return Err(
                "json: cannot unmarshal non-array into Go struct field JSONWebKeySet.keys".into(),
            )
        }
    };
    // go-oidc decodes the set with go-jose v4: the first key it cannot read fails the set
    for key in keys {
        super::header::jwk(&key.to_string(), super::header::Jose::V4)?;
    }
    keys.iter().map(parse_jwk).collect()
}

fn b64_param(jwk: &Value, name: &str) -> Result<Vec<u8>, String> {
    let s = jwk
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("go-jose/go-jose: invalid JWK, missing {name}"))?;
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|e| format!("go-jose/go-jose: invalid JWK parameter {name}: {e}"))
}

fn parse_jwk(jwk: &Value) -> Result<Jwk, String> {
    let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_string);
    let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("");
    let mut weak_rsa_bits = None;
    let key = match kty {
        "RSA" => {
            let n = b64_param(jwk, "n")?;
            let e = b64_param(jwk, "e")?;
            let n = strip_leading_zeros(&n);
            let bits = bit_length(n);
            if !(MIN_JWKS_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
                None
            } else {
                if bits < MIN_RSA_BITS {
                    weak_rsa_bits = Some(bits);
                }
                Some(PublicKey::Rsa(DecodingKey::from_rsa_raw_components(n, &e)))
            }
        }
        "EC" => {
            let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or("");
            let (oid, size) = match crv {
                "P-256" => (OID_P256, 32),
                "P-384" => (OID_P384, 48),
                "P-521" => (OID_P521, 66),
                other => {
                    return Err(format!(
                        "go-jose/go-jose: unsupported elliptic curve '{other}'"
                    ))
                }
            };
            let x = b64_param(jwk, "x")?;
            let y = b64_param(jwk, "y")?;
            if x.len() != size || y.len() != size {
                return Err("go-jose/go-jose: invalid EC key, missing x/y".into());
            }
            let mut point = vec![4u8];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            Some(ec_key(oid, &point).ok_or("go-jose/go-jose: invalid EC key, point not on curve")?)
        }
        "OKP" => {
            let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or("");
            if crv != "Ed25519" {
                return Err(format!("go-jose/go-jose: unknown curve {crv}'"));
            }
            let x = b64_param(jwk, "x")?;
            if x.len() != 32 {
                return Err("go-jose/go-jose: invalid Ed25519 key".into());
            }
            Some(PublicKey::Ed25519(DecodingKey::from_ed_der(&x)))
        }
        // A symmetric key is a valid JWK for go-jose; it never verifies an asymmetric alg.
        "oct" => {
            if jwk.get("k").and_then(Value::as_str).is_none() {
                return Err("go-jose/go-jose: invalid OCT (symmetric) key, missing k value".into());
            }
            None
        }
        other => {
            return Err(format!(
                "go-jose/go-jose: unknown json web key type '{other}'"
            ))
        }
    };
    Ok(Jwk {
        kid,
        key,
        weak_rsa_bits,
    })
}

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    /// The `ring` fast path accepts exactly the good signatures, and never one the RustCrypto
    /// backend refuses: PEM and JWKS keys, each RSA/EC algorithm, good and tampered signatures.
    #[test]
    fn ring_fast_path_agrees_with_rustcrypto() {
        use jsonwebtoken::EncodingKey;
        let rsa_jwk = {
            use rsa::traits::PublicKeyParts;
            use spki::DecodePublicKey;
            let k = rsa::RsaPublicKey::from_public_key_pem(&fixture("rsa2048.pub")).unwrap();
            let k = serde_json::json!({"kty": "RSA", "n": URL_SAFE_NO_PAD.encode(k.n().to_bytes_be()),
                                       "e": URL_SAFE_NO_PAD.encode(k.e().to_bytes_be())});
            parse_jwk(&k).unwrap().key.unwrap()
        };
        let cases = [
            ("RS256", "rsa2048", Algorithm::RS256),
            ("RS384", "rsa2048", Algorithm::RS384),
            ("RS512", "rsa2048", Algorithm::RS512),
            ("PS256", "rsa2048", Algorithm::PS256),
            ("PS384", "rsa2048", Algorithm::PS384),
            ("PS512", "rsa2048", Algorithm::PS512),
            ("ES256", "ecP-256", Algorithm::ES256),
            ("ES384", "ecP-384", Algorithm::ES384),
        ];
        for (alg, name, a) in cases {
            let private = fixture(&format!("{name}.key"));
            let enc = if alg.starts_with('E') {
                EncodingKey::from_ec_pem(private.as_bytes()).unwrap()
            } else {
                EncodingKey::from_rsa_pem(private.as_bytes()).unwrap()
            };
            let msg = b"header.payload";
            let sig_b64 = jsonwebtoken::crypto::sign(msg, &enc, a).unwrap();
            let good = URL_SAFE_NO_PAD.decode(&sig_b64).unwrap();
            let mut keys = vec![parse_public_key_pem(&fixture(&format!("{name}.pub"))).unwrap()];
            if name == "rsa2048" {
                keys.push(rsa_jwk.clone());
            }
            for key in &keys {
                let dk = match key {
                    PublicKey::Rsa(k) | PublicKey::P256(k) | PublicKey::P384(k) => k,
                    _ => unreachable!(),
                };
                let rustcrypto = |m: &[u8], s: &[u8]| {
                    jsonwebtoken::crypto::verify(&URL_SAFE_NO_PAD.encode(s), m, dk, a)
                        .unwrap_or(false)
                };
                assert!(ring_verifies(a, dk, msg, &good), "{alg} {key:?}");
                assert!(rustcrypto(msg, &good), "{alg}");
                assert!(key.verify(alg, msg, &good), "{alg}");
                let mut bad_sig = good.clone();
                bad_sig[10] ^= 1;
                let mut short = good.clone();
                short.pop();
                for (m, s) in [
                    (&b"header.payloaD"[..], &good[..]),
                    (msg, &bad_sig),
                    (msg, &short),
                ] {
                    assert!(!ring_verifies(a, dk, m, s), "{alg}");
                    assert!(!rustcrypto(m, s), "{alg}");
                    assert!(!key.verify(alg, m, s), "{alg}");
                }
            }
        }
    }

    #[test]
    fn parses_every_supported_key_type() {
        assert!(matches!(
            parse_public_key_pem(&fixture("rsa2048.pub")),
            Ok(PublicKey::Rsa(_))
        ));
        assert!(matches!(
            parse_public_key_pem(&fixture("rsa2048.crt")),
            Ok(PublicKey::Rsa(_))
        ));
        assert!(matches!(
            parse_public_key_pem(&fixture("ecP-256.pub")),
            Ok(PublicKey::P256(_))
        ));
        assert!(matches!(
            parse_public_key_pem(&fixture("ecP-384.pub")),
            Ok(PublicKey::P384(_))
        ));
        assert!(matches!(
            parse_public_key_pem(&fixture("ecP-521.pub")),
            Ok(PublicKey::P521(_))
        ));
        assert!(matches!(
            parse_public_key_pem(&fixture("ed25519.pub")),
            Ok(PublicKey::Ed25519(_))
        ));
    }

    #[test]
    fn bad_pems_give_go_errors() {
        assert_eq!(
            parse_public_key_pem("not-a-pem").unwrap_err(),
            "data does not contain any valid public keys"
        );
        assert_eq!(
            parse_public_key_pem(&fixture("ecP-256.key")).unwrap_err(),
            "x509: malformed certificate"
        );
        assert_eq!(
            parse_public_key_pem(&format!("{}trailing", fixture("rsa2048.pub"))).unwrap_err(),
            "unexpected trailing data after parsed PEM block"
        );
        assert_eq!(
            parse_public_key_pem(&fixture("x25519.pub")).unwrap_err(),
            "data does not contain any valid public keys"
        );
        let truncated = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
        assert_eq!(
            parse_public_key_pem(truncated).unwrap_err(),
            "x509: malformed certificate"
        );
    }

    #[test]
    fn rsa_1024_is_refused() {
        let err = parse_public_key_pem(&fixture("rsa1024.pub")).unwrap_err();
        assert!(err.contains("1024 bits is too small"), "{err}");
        let err = parse_public_key_pem(&fixture("rsa8192.pub")).unwrap_err();
        assert!(err.contains("8192 bits is too large"), "{err}");
    }

    #[test]
    fn ca_bundle_needs_a_certificate() {
        assert!(parse_ca_pem(&fixture("rsa2048.crt")).is_some());
        assert!(parse_ca_pem(&fixture("rsa2048.pub")).is_none());
        assert!(parse_ca_pem("garbage").is_none());
    }

    #[test]
    fn jwks_with_unknown_kty_fails_as_a_whole() {
        let body = br#"{"keys":[{"kty":"foo","k":"c2VjcmV0"}]}"#;
        assert!(parse_jwks(body).is_err());
        // oct keys are valid JWKs without a usable key; without k the set fails
        let oct = parse_jwks(br#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#).unwrap();
        assert!(oct[0].key.is_none());
        assert_eq!(
            parse_jwks(br#"{"keys":[{"kty":"oct"}]}"#).unwrap_err(),
            "go-jose/go-jose: invalid OCT (symmetric) key, missing k value"
        );
        assert!(parse_jwks(b"not json").is_err());
        assert_eq!(parse_jwks(br#"{"keys":[]}"#).unwrap().len(), 0);
    }

    #[test]
    fn wrong_key_type_never_verifies() {
        let rsa = parse_public_key_pem(&fixture("rsa2048.pub")).unwrap();
        assert!(!rsa.verify("ES256", b"m", &[0u8; 64]));
        assert!(!rsa.verify("HS256", b"m", &[0u8; 32]));
        assert!(!rsa.verify("none", b"m", &[]));
        let ec = parse_public_key_pem(&fixture("ecP-521.pub")).unwrap();
        assert!(!ec.verify("ES512", b"m", &[0u8; 132]));
        assert!(!ec.verify("ES512", b"m", &[1u8; 3]));
    }
}
