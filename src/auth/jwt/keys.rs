//! Key sources and signature verification (spec §3.3, §5.3 steps 1–2): static PEM keys, a
//! JWKS URL or OIDC discovery, with an on-disk cache in the mount's storage.
//!
//! Cache (in the mount's storage, dropped by every config write):
//! - `cache/discovery`: the discovery document's `jwks_uri` for the configured URL;
//! - `cache/jwks`: the last JWKS fetched successfully, with its URL and fetch time;
//! - `cache/refetch`: when a verification miss last caused a refetch. A miss refetches at
//!   most once per [`REFETCH_COOLDOWN_SECS`]; a failed refetch keeps the old keys.
//!
//! A login with a cached JWKS whose key verifies makes no network request.

use super::config::Config;
use super::jws::{self, Jws};
use super::pem::{self, Jwk, PublicKey, SUPPORTED_ALGS};
use crate::core::fields::go_quote;
use crate::core::BackendContext;
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A token whose signature (and `alg`) has been verified.
#[derive(Debug, Clone)]
pub struct Verified {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// Why verification failed.
#[derive(Debug, Clone, PartialEq)]
pub enum VerifyError {
    /// The validator could not be built (spec §5.2 step 7); the text follows
    /// `error configuring token validator: `.
    Validator(String),
    /// The token failed; the text follows `error validating token: `
    /// (e.g. `error verifying token signature: no known key successfully validated the token signature`).
    Token(String),
}

impl std::fmt::Display for VerifyError {
    /// The full login error text (spec §5.2 steps 7–8).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Validator(d) => write!(f, "error configuring token validator: {d}"),
            VerifyError::Token(d) => write!(f, "error validating token: {d}"),
        }
    }
}

pub const CACHE_PREFIX: &str = "cache/";
pub const CACHE_DISCOVERY: &str = "cache/discovery";
pub const CACHE_JWKS: &str = "cache/jwks";
pub const CACHE_REFETCH: &str = "cache/refetch";
/// Minimum time between two refetches of a JWKS caused by verification misses.
pub const REFETCH_COOLDOWN_SECS: i64 = 30;

const NO_KNOWN_KEY: &str = "no known key successfully validated the token signature";
const FAILED_TO_VERIFY: &str = "failed to verify id token signature";
const UNEXPECTED_ALG: &str =
    "invalid algorithm (alg) header parameter: token signed with unexpected algorithm";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Discovery {
    pub url: String,
    pub issuer: String,
    pub jwks_uri: String,
    pub fetched_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedJwks {
    url: String,
    fetched_at: i64,
    jwks: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Refetch {
    at: i64,
}

fn sig_err(detail: impl std::fmt::Display) -> VerifyError {
    VerifyError::Token(format!("error verifying token signature: {detail}"))
}

/// Verifies `jwt` against the config's key source, then checks its `alg` against
/// `jwt_supported_algs` (all ten when empty). Never uses a URL or key taken from the token.
pub fn verify(ctx: &BackendContext, config: &Config, jwt: &str) -> Result<Verified, VerifyError> {
    let jws = if !config.jwt_validation_pubkeys.is_empty() {
        let keys = config
            .jwt_validation_pubkeys
            .iter()
            .map(|p| pem::parse_public_key_pem(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                VerifyError::Validator(format!(
                    "keyset configuration error: error parsing public key: {e}"
                ))
            })?;
        let jws = jws::parse(jwt).map_err(sig_err)?;
        // go-jose's `Claims` fails (so the key counts as failing) on a non-object payload
        if !keys.iter().any(|k| verifies(k, &jws)) || !payload_is_object(&jws.payload) {
            return Err(sig_err(NO_KNOWN_KEY));
        }
        jws
    } else {
        let (url, ca) = remote_source(ctx, config)
            .map_err(|e| VerifyError::Validator(format!("keyset configuration error: {e}")))?;
        let jws = jws::parse(jwt).map_err(|e| sig_err(format!("oidc: malformed jwt: {e}")))?;
        if !SUPPORTED_ALGS.contains(&jws.alg.as_str()) {
            return Err(sig_err(format!(
                "oidc: malformed jwt: go-jose/go-jose: unexpected signature algorithm {}; expected [{}]",
                go_quote(&jws.alg),
                SUPPORTED_ALGS.map(go_quote).join(" ")
            )));
        }
        remote_verify(ctx, &url, &ca, &jws)?;
        jws
    };
    let allowed = config.jwt_supported_algs.contains(&jws.alg)
        || (config.jwt_supported_algs.is_empty() && SUPPORTED_ALGS.contains(&jws.alg.as_str()));
    if !allowed {
        return Err(VerifyError::Token(UNEXPECTED_ALG.into()));
    }
    let claims = match serde_json::from_slice::<Value>(&jws.payload) {
        Ok(Value::Object(m)) => m,
        Ok(Value::Null) => Map::new(),
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                _ => "bool",
            };
            return Err(sig_err(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            )));
        }
        Err(e) => {
            return Err(sig_err(super::fetch::go_json_error(&jws.payload, &e)));
        }
    };
    Ok(Verified {
        header: jws.header,
        claims,
    })
}

fn payload_is_object(payload: &[u8]) -> bool {
    // go-jose's decoder also refuses repeated member names (at any depth)
    matches!(
        serde_json::from_slice::<Value>(payload),
        Ok(Value::Object(_)) | Ok(Value::Null)
    ) && jws::check_duplicate_keys(payload).is_ok()
}

/// Whether `key` verifies the token. A `crit` header naming anything but `b64` is not
/// understood, so it fails (go-jose).
fn verifies(key: &PublicKey, jws: &Jws) -> bool {
    jws::crit_understood(&jws.header) && key.verify(&jws.alg, &jws.signing_input, &jws.signature)
}

/// The JWKS URL and CA for a remote key source (JWKS URL, or through discovery).
fn remote_source(ctx: &BackendContext, config: &Config) -> Result<(String, String), String> {
    if !config.jwks_url.is_empty() {
        if !config.jwks_ca_pem.is_empty() && pem::parse_ca_pem(&config.jwks_ca_pem).is_none() {
            return Err("could not parse CA PEM value successfully".into());
        }
        return Ok((config.jwks_url.clone(), config.jwks_ca_pem.clone()));
    }
    if !config.oidc_discovery_url.is_empty() {
        let d = discovery(ctx, config)?;
        return Ok((d.jwks_uri, config.oidc_discovery_ca_pem.clone()));
    }
    if config.provider_config.contains_key("provider") {
        return Err("provider key discovery is not supported by vaultjwt".into());
    }
    Err("no key source is configured".into())
}

/// The discovery document for the configured URL: from the cache, else fetched (and cached).
pub fn discovery(ctx: &BackendContext, config: &Config) -> Result<Discovery, String> {
    if let Ok(Some(d)) = ctx.storage.get_as::<Discovery>(CACHE_DISCOVERY) {
        if d.url == config.oidc_discovery_url {
            return Ok(d);
        }
    }
    let d = fetch_discovery(
        ctx,
        &config.oidc_discovery_url,
        &config.oidc_discovery_ca_pem,
    )?;
    let _ = ctx.storage.put_as(CACHE_DISCOVERY, &d);
    Ok(d)
}

/// GETs `<issuer>/.well-known/openid-configuration` and checks the issuer equals `issuer`.
pub fn fetch_discovery(ctx: &BackendContext, issuer: &str, ca: &str) -> Result<Discovery, String> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let resp = super::fetch::get(&url, ca, ctx.settings.http_timeout)?;
    if resp.status != 200 {
        return Err(format!("{}: {}", resp.status_line, excerpt(&resp.body)));
    }
    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        issuer: String,
        #[serde(default)]
        jwks_uri: String,
    }
    let doc: Doc = resp
        .json()
        .map_err(|e| format!("failed to decode OIDC discovery document: {e}"))?;
    if doc.issuer != issuer {
        return Err(format!(
            "issuer did not match the returned issuer, expected {} got {}",
            go_quote(issuer),
            go_quote(&doc.issuer)
        ));
    }
    if doc.jwks_uri.is_empty() {
        return Err("the OIDC discovery document has no \"jwks_uri\"".into());
    }
    Ok(Discovery {
        url: issuer.to_string(),
        issuer: doc.issuer,
        jwks_uri: doc.jwks_uri,
        fetched_at: ctx.now,
    })
}

/// Stores a discovery document fetched by a config write.
pub fn cache_discovery(ctx: &BackendContext, d: &Discovery) {
    let _ = ctx.storage.put_as(CACHE_DISCOVERY, d);
}

/// Drops every cached document (done by each config write).
pub fn drop_cache(storage: &dyn Storage) -> crate::storage::Result<()> {
    storage.delete_prefix(CACHE_PREFIX)
}

/// A JWKS fetched and decoded, ready to be cached.
pub struct FetchedJwks {
    url: String,
    doc: Value,
    keys: Vec<Jwk>,
}

/// GETs and decodes a JWKS, with go-oidc's error texts (`oidc: get keys failed: ...`).
pub fn fetch_jwks(ctx: &BackendContext, url: &str, ca: &str) -> Result<FetchedJwks, String> {
    let resp = super::fetch::get(url, ca, ctx.settings.http_timeout)
        .map_err(|e| format!("oidc: get keys failed {e}"))?;
    if resp.status != 200 {
        return Err(format!(
            "oidc: get keys failed: {} {}",
            resp.status_line,
            excerpt(&resp.body)
        ));
    }
    let doc: Value = resp
        .json()
        .map_err(|e| format!("oidc: failed to decode keys: {e} {}", excerpt(&resp.body)))?;
    let keys = pem::parse_jwks(&resp.body)
        .map_err(|e| format!("oidc: failed to decode keys: {e} {}", excerpt(&resp.body)))?;
    Ok(FetchedJwks {
        url: url.to_string(),
        doc,
        keys,
    })
}

/// Stores a fetched JWKS as the cache.
pub fn cache_jwks(ctx: &BackendContext, jwks: &FetchedJwks) {
    let _ = ctx.storage.put_as(
        CACHE_JWKS,
        &CachedJwks {
            url: jwks.url.clone(),
            fetched_at: ctx.now,
            jwks: jwks.doc.clone(),
        },
    );
}

fn cached_jwks(ctx: &BackendContext, url: &str) -> Option<Vec<Jwk>> {
    let c = ctx.storage.get_as::<CachedJwks>(CACHE_JWKS).ok()??;
    if c.url != url {
        return None;
    }
    let body = serde_json::to_vec(&c.jwks).ok()?;
    pem::parse_jwks(&body).ok()
}

/// go-oidc's candidate rule: with a `kid`, only keys of that exact `kid`; without, all keys.
fn remote_keys_verify(keys: &[Jwk], jws: &Jws) -> bool {
    keys.iter()
        .filter(|k| jws.kid.is_none() || k.kid == jws.kid)
        .filter_map(|k| k.key.as_ref())
        .any(|k| verifies(k, jws))
}

fn remote_verify(ctx: &BackendContext, url: &str, ca: &str, jws: &Jws) -> Result<(), VerifyError> {
    if let Some(keys) = cached_jwks(ctx, url) {
        if remote_keys_verify(&keys, jws) {
            return Ok(());
        }
        if let Ok(Some(r)) = ctx.storage.get_as::<Refetch>(CACHE_REFETCH) {
            if ctx.now >= r.at && ctx.now - r.at < REFETCH_COOLDOWN_SECS {
                return Err(sig_err(FAILED_TO_VERIFY));
            }
        }
        let _ = ctx.storage.put_as(CACHE_REFETCH, &Refetch { at: ctx.now });
    }
    let fetched = fetch_jwks(ctx, url, ca).map_err(|e| sig_err(format!("fetching keys {e}")))?;
    cache_jwks(ctx, &fetched);
    if remote_keys_verify(&fetched.keys, jws) {
        Ok(())
    } else {
        Err(sig_err(FAILED_TO_VERIFY))
    }
}

/// At most 512 bytes of a response body, for error messages.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut end = text.len().min(512);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end().to_string()
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
