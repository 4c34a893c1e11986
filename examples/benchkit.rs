//! Helper of `bench/compare.sh`: writes keys and signed tokens, and seeds a data directory with
//! many tokens and entities through the library's [`Core`], fast.
//!
//! ```text
//! benchkit keys OUT_DIR
//!     rsa.pub, ed.pub (PEM public keys), jwks.json (the P-256 key, kid "bench-ec"),
//!     rs256.jwt and es256.jwt (sub "bench-user", aud "bench", iss "https://bench.example",
//!     valid for a day). The keys are the test fixtures in tests/fixtures/keys.
//! benchkit seed DATA_DIR N [MOUNT]
//!     N logins of distinct users on auth/MOUNT (default jwt) with EdDSA tokens: N tokens, N
//!     entities and their aliases. The mount must already trust ed.pub and have role "bench".
//! ```
//!
//! Seeding goes through `Core::handle` exactly as the CLI does, but on a storage that writes
//! the same state files as `FileStorage` without its journal and fsync per write, so 100,000
//! logins take about a minute instead of many. The result is an ordinary data directory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};
use std::fs;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vaultjwt::core::{Core, Operation, Request};
use vaultjwt::settings::Settings;
use vaultjwt::storage::{Storage, StorageError};

const RSA_KEY: &str = include_str!("../tests/fixtures/keys/rsa2048.key");
const RSA_PUB: &str = include_str!("../tests/fixtures/keys/rsa2048.pub");
const EC_KEY: &str = include_str!("../tests/fixtures/keys/ecP-256.key");
const EC_PUB: &str = include_str!("../tests/fixtures/keys/ecP-256.pub");
const ED_KEY: &str = include_str!("../tests/fixtures/keys/ed25519.key");
const ED_PUB: &str = include_str!("../tests/fixtures/keys/ed25519.pub");

pub const ISSUER: &str = "https://bench.example";

fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

fn now() -> i64 {
    vaultjwt::core::now()
}

fn sign(alg: Algorithm, key: &EncodingKey, kid: Option<&str>, claims: &Value) -> String {
    let mut header = jsonwebtoken::Header::new(alg);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, key).expect("sign")
}

fn claims(sub: &str) -> Value {
    let t = now();
    json!({"sub": sub, "aud": "bench", "iss": ISSUER, "iat": t, "nbf": t - 60, "exp": t + 86400})
}

/// The JWK of the P-256 fixture key.
fn ec_jwk() -> Value {
    use p256::pkcs8::DecodePublicKey;
    let pk = p256::PublicKey::from_public_key_pem(EC_PUB).expect("P-256 fixture");
    let pt = p256::EncodedPoint::from(pk);
    json!({
        "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "bench-ec",
        "x": b64(pt.x().expect("x")), "y": b64(pt.y().expect("y")),
    })
}

fn keys(out: &Path) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, text: &str| {
        fs::write(out.join(name), text).map_err(|e| format!("{name}: {e}"))
    };
    write("rsa.pub", RSA_PUB)?;
    write("ed.pub", ED_PUB)?;
    write("ec.pub", EC_PUB)?;
    write("jwks.json", &json!({"keys": [ec_jwk()]}).to_string())?;
    let rsa = EncodingKey::from_rsa_pem(RSA_KEY.as_bytes()).map_err(|e| e.to_string())?;
    let ec = EncodingKey::from_ec_pem(EC_KEY.as_bytes()).map_err(|e| e.to_string())?;
    let c = claims("bench-user");
    write("rs256.jwt", &sign(Algorithm::RS256, &rsa, None, &c))?;
    write(
        "es256.jwt",
        &sign(Algorithm::ES256, &ec, Some("bench-ec"), &c),
    )?;
    Ok(())
}

/// `FileStorage`'s layout (`a/b/c` is `<root>/a/b/_c.json`, directories 0700, files 0600)
/// without temp files and fsyncs: only for seeding a benchmark directory.
struct SeedStorage {
    root: PathBuf,
}

impl SeedStorage {
    fn path(&self, key: &str) -> PathBuf {
        let (dir, name) = key.rsplit_once('/').unwrap_or(("", key));
        self.root.join(dir).join(format!("_{name}.json"))
    }
}

fn serr(e: impl std::fmt::Display) -> StorageError {
    StorageError::Local(e.to_string())
}

impl Storage for SeedStorage {
    fn get(&self, key: &str) -> vaultjwt::storage::Result<Option<Value>> {
        match fs::read(self.path(key)) {
            Ok(b) => serde_json::from_slice(&b).map(Some).map_err(serr),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(serr(e)),
        }
    }
    fn put(&self, key: &str, value: &Value) -> vaultjwt::storage::Result<()> {
        let path = self.path(key);
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(serr)?;
        }
        let bytes = serde_json::to_vec(value).map_err(serr)?;
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut f| f.write_all(&bytes))
            .map_err(serr)
    }
    fn delete(&self, key: &str) -> vaultjwt::storage::Result<()> {
        match fs::remove_file(self.path(key)) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(serr(e)),
            _ => Ok(()),
        }
    }
    fn list(&self, prefix: &str) -> vaultjwt::storage::Result<Vec<String>> {
        let dir = self.root.join(prefix.trim_end_matches('/'));
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(serr(e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                out.push(format!("{name}/"));
            } else if let Some(n) = name.strip_prefix('_').and_then(|n| n.strip_suffix(".json")) {
                out.push(n.to_string());
            }
        }
        out.sort();
        Ok(out)
    }
}

fn seed(data_dir: &Path, n: usize, mount: &str) -> Result<(), String> {
    let settings = Settings::load(data_dir).map_err(|e| format!("{e:#}"))?;
    let storage = SeedStorage {
        root: data_dir.join("storage"),
    };
    let mut core = Core::new(Box::new(storage), settings);
    let ed = EncodingKey::from_ed_pem(ED_KEY.as_bytes()).map_err(|e| e.to_string())?;
    let path = format!("auth/{mount}/login");
    for i in 0..n {
        let jwt = sign(Algorithm::EdDSA, &ed, None, &claims(&format!("seed-{i}")));
        let mut data = serde_json::Map::new();
        data.insert("role".into(), json!("bench"));
        data.insert("jwt".into(), json!(jwt));
        let resp = core
            .handle(Request::new(Operation::Update, path.clone()).with_data(data))
            .map_err(|e| format!("seed login {i}: {}", e.message()))?;
        if resp.and_then(|r| r.auth).is_none() {
            return Err(format!("seed login {i}: no token issued"));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["keys", out] => keys(Path::new(out)),
        ["seed", dir, n] | ["seed", dir, n, _] => match n.parse::<usize>() {
            Ok(n) => seed(
                Path::new(dir),
                n,
                args.get(3).map(String::as_str).unwrap_or("jwt"),
            ),
            Err(_) => Err(format!("not a number: {n}")),
        },
        _ => Err("usage: benchkit keys OUT_DIR | benchkit seed DATA_DIR N [MOUNT]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchkit: {e}");
            ExitCode::FAILURE
        }
    }
}
