//! Signing keys for test tokens: generation, PEM (PKCS#8 private, PKIX public), JWKs and
//! signatures for the ten algorithms OpenBao accepts. All primitives are RustCrypto's
//! (`rsa`, `p256`, `p384`, `p521`, `ed25519-dalek`); ES512 uses `p521`, which the verifier
//! (`auth::jwt::pem`) also uses.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::Digest;

/// The ten algorithms, in OpenBao's order.
pub use crate::auth::jwt::pem::SUPPORTED_ALGS as ALGS;

/// The key type an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    P256,
    P384,
    P521,
    Ed25519,
}

impl KeyType {
    /// The key type `alg` needs, or `None` for an algorithm vaultjwt does not sign with.
    pub fn for_alg(alg: &str) -> Option<KeyType> {
        Some(match alg {
            "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => KeyType::Rsa,
            "ES256" => KeyType::P256,
            "ES384" => KeyType::P384,
            "ES512" => KeyType::P521,
            "EdDSA" => KeyType::Ed25519,
            _ => return None,
        })
    }

    /// The algorithm used when none is given.
    pub fn default_alg(self) -> &'static str {
        match self {
            KeyType::Rsa => "RS256",
            KeyType::P256 => "ES256",
            KeyType::P384 => "ES384",
            KeyType::P521 => "ES512",
            KeyType::Ed25519 => "EdDSA",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            KeyType::Rsa => "an RSA key",
            KeyType::P256 => "a P-256 key",
            KeyType::P384 => "a P-384 key",
            KeyType::P521 => "a P-521 key",
            KeyType::Ed25519 => "an Ed25519 key",
        }
    }

    /// A short file-name stem (`rsa`, `p256`, ...).
    pub fn stem(self) -> &'static str {
        match self {
            KeyType::Rsa => "rsa",
            KeyType::P256 => "p256",
            KeyType::P384 => "p384",
            KeyType::P521 => "p521",
            KeyType::Ed25519 => "ed25519",
        }
    }

    pub const ALL: [KeyType; 5] = [
        KeyType::Rsa,
        KeyType::P256,
        KeyType::P384,
        KeyType::P521,
        KeyType::Ed25519,
    ];
}

/// The canonical spelling of `alg` (case-insensitive), or an error listing the ten.
pub fn parse_alg(alg: &str) -> Result<&'static str, String> {
    ALGS.iter()
        .find(|a| a.eq_ignore_ascii_case(alg))
        .copied()
        .ok_or_else(|| {
            format!(
                "unsupported algorithm {alg:?}: use one of {}",
                ALGS.join(", ")
            )
        })
}

/// A private signing key.
#[derive(Clone)]
pub enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(Box<p521::ecdsa::SigningKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({:?})", self.key_type())
    }
}

/// The RSA modulus size `generate` uses.
pub const RSA_BITS: usize = 2048;

impl PrivateKey {
    /// A fresh key of `kind` (RSA: `rsa_bits`, 2048 to 4096).
    pub fn generate(kind: KeyType, rsa_bits: usize) -> Result<PrivateKey, String> {
        let mut rng = rand::thread_rng();
        Ok(match kind {
            KeyType::Rsa => {
                if !(2048..=4096).contains(&rsa_bits) {
                    return Err(format!(
                        "RSA key size {rsa_bits} is not supported: use 2048 to 4096 bits"
                    ));
                }
                let k = rsa::RsaPrivateKey::new(&mut rng, rsa_bits)
                    .map_err(|e| format!("cannot generate an RSA key: {e}"))?;
                PrivateKey::Rsa(Box::new(k))
            }
            KeyType::P256 => PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rng)),
            KeyType::P384 => PrivateKey::P384(p384::ecdsa::SigningKey::random(&mut rng)),
            KeyType::P521 => PrivateKey::P521(Box::new(p521::ecdsa::SigningKey::random(&mut rng))),
            KeyType::Ed25519 => {
                let mut seed = [0u8; 32];
                rand::RngCore::fill_bytes(&mut rng, &mut seed);
                PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed)))
            }
        })
    }

    pub fn key_type(&self) -> KeyType {
        match self {
            PrivateKey::Rsa(_) => KeyType::Rsa,
            PrivateKey::P256(_) => KeyType::P256,
            PrivateKey::P384(_) => KeyType::P384,
            PrivateKey::P521(_) => KeyType::P521,
            PrivateKey::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// Parses a private key PEM: PKCS#8 (`PRIVATE KEY`) of any supported type, PKCS#1
    /// (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).
    pub fn from_pem(text: &str) -> Result<PrivateKey, String> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::DecodePrivateKey;
        const UNSUPPORTED: &str =
            "not a private key PEM of a supported type (PKCS#8, PKCS#1 or SEC1; RSA, P-256, P-384, P-521 or Ed25519)";
        let text = text.trim();
        let label = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-----BEGIN "))
            .and_then(|l| l.strip_suffix("-----"))
            .ok_or(UNSUPPORTED)?;
        match label {
            "PRIVATE KEY" => {
                if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(text) {
                    return Ok(PrivateKey::Rsa(Box::new(k)));
                }
                if let Ok(k) = p256::SecretKey::from_pkcs8_pem(text) {
                    return Ok(PrivateKey::P256(k.into()));
                }
                if let Ok(k) = p384::SecretKey::from_pkcs8_pem(text) {
                    return Ok(PrivateKey::P384(k.into()));
                }
                if let Ok(k) = p521::SecretKey::from_pkcs8_pem(text) {
                    let sk = p521::ecdsa::SigningKey::from_bytes(&k.to_bytes())
                        .map_err(|_| UNSUPPORTED)?;
                    return Ok(PrivateKey::P521(Box::new(sk)));
                }
                if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(text) {
                    return Ok(PrivateKey::Ed25519(Box::new(k)));
                }
                Err(UNSUPPORTED.into())
            }
            "RSA PRIVATE KEY" => rsa::RsaPrivateKey::from_pkcs1_pem(text)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| format!("malformed RSA private key: {e}")),
            "EC PRIVATE KEY" => {
                if let Ok(k) = p256::SecretKey::from_sec1_pem(text) {
                    return Ok(PrivateKey::P256(k.into()));
                }
                if let Ok(k) = p384::SecretKey::from_sec1_pem(text) {
                    return Ok(PrivateKey::P384(k.into()));
                }
                if let Ok(k) = p521::SecretKey::from_sec1_pem(text) {
                    let sk = p521::ecdsa::SigningKey::from_bytes(&k.to_bytes())
                        .map_err(|_| UNSUPPORTED)?;
                    return Ok(PrivateKey::P521(Box::new(sk)));
                }
                Err(UNSUPPORTED.into())
            }
            "PUBLIC KEY" | "CERTIFICATE" => {
                Err("this is a public key or certificate; signing needs the private key".into())
            }
            _ => Err(UNSUPPORTED.into()),
        }
    }

    /// The private key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, String> {
        use rsa::pkcs8::{EncodePrivateKey, LineEnding};
        let pem = match self {
            PrivateKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P256(k) => {
                p256::SecretKey::from(k.as_nonzero_scalar()).to_pkcs8_pem(LineEnding::LF)
            }
            PrivateKey::P384(k) => {
                p384::SecretKey::from(k.as_nonzero_scalar()).to_pkcs8_pem(LineEnding::LF)
            }
            PrivateKey::P521(k) => {
                p521::SecretKey::from(k.as_nonzero_scalar()).to_pkcs8_pem(LineEnding::LF)
            }
            // RFC 8410's PKCS#8 v1, the seed alone: what OpenSSL and Python's `cryptography`
            // read (ed25519-dalek's own v2 form, with the public key, they refuse as
            // "extra data").
            PrivateKey::Ed25519(k) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_pem(LineEnding::LF),
        };
        pem.map(|p| p.to_string())
            .map_err(|e| format!("cannot encode the private key: {e}"))
    }

    /// The public key as PKIX (`PUBLIC KEY`) PEM, as `jwt_validation_pubkeys` takes it.
    pub fn public_pem(&self) -> Result<String, String> {
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let pem = match self {
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_pem(LineEnding::LF),
            PrivateKey::P256(k) => k.verifying_key().to_public_key_pem(LineEnding::LF),
            PrivateKey::P384(k) => k.verifying_key().to_public_key_pem(LineEnding::LF),
            PrivateKey::P521(k) => p521::PublicKey::from_secret_scalar(k.as_nonzero_scalar())
                .to_public_key_pem(LineEnding::LF),
            PrivateKey::Ed25519(k) => k.verifying_key().to_public_key_pem(LineEnding::LF),
        };
        pem.map_err(|e| format!("cannot encode the public key: {e}"))
    }

    /// The public JWK members that identify the key (RFC 7638 order: `crv`/`e`, `kty`, `n`/`x`, `y`).
    fn public_members(&self) -> Map<String, Value> {
        use rsa::traits::PublicKeyParts;
        let b64 = |b: &[u8]| Value::String(URL_SAFE_NO_PAD.encode(b));
        let mut m = Map::new();
        match self {
            PrivateKey::Rsa(k) => {
                m.insert("e".into(), b64(&k.e().to_bytes_be()));
                m.insert("kty".into(), "RSA".into());
                m.insert("n".into(), b64(&k.n().to_bytes_be()));
            }
            PrivateKey::P256(k) => {
                let p = k.verifying_key().to_encoded_point(false);
                m.insert("crv".into(), "P-256".into());
                m.insert("kty".into(), "EC".into());
                m.insert("x".into(), b64(p.x().map(|x| &x[..]).unwrap_or(&[])));
                m.insert("y".into(), b64(p.y().map(|y| &y[..]).unwrap_or(&[])));
            }
            PrivateKey::P384(k) => {
                let p = k.verifying_key().to_encoded_point(false);
                m.insert("crv".into(), "P-384".into());
                m.insert("kty".into(), "EC".into());
                m.insert("x".into(), b64(p.x().map(|x| &x[..]).unwrap_or(&[])));
                m.insert("y".into(), b64(p.y().map(|y| &y[..]).unwrap_or(&[])));
            }
            PrivateKey::P521(k) => {
                use p521::elliptic_curve::sec1::ToEncodedPoint;
                let p = p521::PublicKey::from_secret_scalar(k.as_nonzero_scalar())
                    .to_encoded_point(false);
                m.insert("crv".into(), "P-521".into());
                m.insert("kty".into(), "EC".into());
                m.insert("x".into(), b64(p.x().map(|x| &x[..]).unwrap_or(&[])));
                m.insert("y".into(), b64(p.y().map(|y| &y[..]).unwrap_or(&[])));
            }
            PrivateKey::Ed25519(k) => {
                m.insert("crv".into(), "Ed25519".into());
                m.insert("kty".into(), "OKP".into());
                m.insert("x".into(), b64(k.verifying_key().as_bytes()));
            }
        }
        m
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): the default `kid`.
    pub fn thumbprint(&self) -> String {
        let canonical =
            serde_json::to_string(&Value::Object(self.public_members())).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
    }

    /// The public JWK, with `kid`, `use: sig` and, when given, `alg`.
    pub fn public_jwk(&self, kid: &str, alg: Option<&str>) -> Value {
        let mut m = self.public_members();
        m.insert("kid".into(), kid.into());
        m.insert("use".into(), "sig".into());
        if let Some(a) = alg {
            m.insert("alg".into(), a.into());
        }
        Value::Object(m)
    }

    /// Signs `msg` with `alg`, which must suit the key type.
    pub fn sign(&self, alg: &str, msg: &[u8]) -> Result<Vec<u8>, String> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
        let wrong = || {
            format!(
                "algorithm {alg} needs {}, but the key is {}",
                KeyType::for_alg(alg)
                    .map(KeyType::describe)
                    .unwrap_or("a supported key"),
                self.key_type().describe()
            )
        };
        if KeyType::for_alg(alg) != Some(self.key_type()) {
            return Err(wrong());
        }
        let mut rng = rand::thread_rng();
        let sig = match (self, alg) {
            (PrivateKey::Rsa(k), "RS256") => {
                rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**k).clone())
                    .sign(msg)
                    .to_vec()
            }
            (PrivateKey::Rsa(k), "RS384") => {
                rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new((**k).clone())
                    .sign(msg)
                    .to_vec()
            }
            (PrivateKey::Rsa(k), "RS512") => {
                rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new((**k).clone())
                    .sign(msg)
                    .to_vec()
            }
            (PrivateKey::Rsa(k), "PS256") => {
                rsa::pss::BlindedSigningKey::<sha2::Sha256>::new((**k).clone())
                    .sign_with_rng(&mut rng, msg)
                    .to_vec()
            }
            (PrivateKey::Rsa(k), "PS384") => {
                rsa::pss::BlindedSigningKey::<sha2::Sha384>::new((**k).clone())
                    .sign_with_rng(&mut rng, msg)
                    .to_vec()
            }
            (PrivateKey::Rsa(k), "PS512") => {
                rsa::pss::BlindedSigningKey::<sha2::Sha512>::new((**k).clone())
                    .sign_with_rng(&mut rng, msg)
                    .to_vec()
            }
            (PrivateKey::P256(k), _) => {
                let s: p256::ecdsa::Signature = k.sign(msg);
                s.to_bytes().to_vec()
            }
            (PrivateKey::P384(k), _) => {
                let s: p384::ecdsa::Signature = k.sign(msg);
                s.to_bytes().to_vec()
            }
            (PrivateKey::P521(k), _) => {
                let s: p521::ecdsa::Signature = k.sign_with_rng(&mut rng, msg);
                s.to_bytes().to_vec()
            }
            (PrivateKey::Ed25519(k), _) => k.sign(msg).to_bytes().to_vec(),
            _ => return Err(wrong()),
        };
        Ok(sig)
    }
}

/// A JWKS document holding `keys`.
pub fn jwks(keys: Vec<Value>) -> Value {
    json!({ "keys": keys })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::pem::parse_public_key_pem;

    fn key(kind: KeyType) -> PrivateKey {
        PrivateKey::generate(kind, RSA_BITS).unwrap()
    }

    #[test]
    fn every_alg_signs_and_the_verifier_accepts_it() {
        for kind in KeyType::ALL {
            let k = key(kind);
            let public = parse_public_key_pem(&k.public_pem().unwrap()).unwrap();
            for alg in ALGS.iter().filter(|a| KeyType::for_alg(a) == Some(kind)) {
                let sig = k.sign(alg, b"hello").unwrap();
                assert!(public.verify(alg, b"hello", &sig), "{alg}");
                assert!(!public.verify(alg, b"hellO", &sig), "{alg}");
            }
            // PEM and JWK round trips
            let again = PrivateKey::from_pem(&k.to_pem().unwrap()).unwrap();
            assert_eq!(again.thumbprint(), k.thumbprint());
            let jwks = serde_json::to_vec(&jwks(vec![k.public_jwk("k", None)])).unwrap();
            let parsed = crate::auth::jwt::pem::parse_jwks(&jwks).unwrap();
            let alg = kind.default_alg();
            let sig = k.sign(alg, b"m").unwrap();
            assert!(parsed[0].key.as_ref().unwrap().verify(alg, b"m", &sig));
        }
    }

    #[test]
    fn wrong_alg_for_key_is_refused() {
        let k = key(KeyType::P256);
        let err = k.sign("RS256", b"m").unwrap_err();
        assert_eq!(
            err,
            "algorithm RS256 needs an RSA key, but the key is a P-256 key"
        );
        assert!(k.sign("HS256", b"m").is_err());
    }

    #[test]
    fn fixtures_parse() {
        for (f, kind) in [
            ("rsa2048.key", KeyType::Rsa),
            ("ecP-256.key", KeyType::P256),
            ("ecP-384.key", KeyType::P384),
            ("ecP-521.key", KeyType::P521),
            ("ed25519.key", KeyType::Ed25519),
        ] {
            let path = format!("{}/tests/fixtures/keys/{f}", env!("CARGO_MANIFEST_DIR"));
            let k = PrivateKey::from_pem(&std::fs::read_to_string(path).unwrap()).unwrap();
            assert_eq!(k.key_type(), kind);
        }
        assert!(PrivateKey::from_pem("garbage").is_err());
    }

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1: the canonical JSON of the example RSA key hashes to this value.
        let members = r#"{"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}"#;
        let digest = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(members.as_bytes()));
        assert_eq!(digest, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }
}
