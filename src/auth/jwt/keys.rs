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
use crate::settings::Compat;
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
    /// The OIDC flow's endpoints (empty when the document names none).
    #[serde(default)]
    pub authorization_endpoint: String,
    #[serde(default)]
    pub token_endpoint: String,
    #[serde(default)]
    pub userinfo_endpoint: String,
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

/// One step of signature verification, as `jwt explain` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyStep {
    /// `key_source`, `token_format`, `signature`, `alg`, `payload`.
    pub name: &'static str,
    pub expected: String,
    pub actual: String,
    pub outcome: Result<(), VerifyError>,
    /// A plain-words hint for a failure, empty when none helps.
    pub hint: String,
    /// Not evaluated (an earlier step failed); `outcome` is then `Ok`.
    pub skipped: bool,
}

/// What [`inspect`] learnt: its steps in order, and the token's header and claims when the
/// token parsed and its payload is a JSON object (even if the signature failed).
#[derive(Debug, Clone, Default)]
pub struct Inspection {
    pub steps: Vec<KeyStep>,
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    /// Default-mode notes (a weak key verified the token); always empty in strict mode.
    pub warnings: Vec<String>,
}

impl Inspection {
    /// The first failure, in the order login meets it.
    pub fn error(&self) -> Option<&VerifyError> {
        self.steps.iter().find_map(|s| s.outcome.as_ref().err())
    }

    fn push(
        &mut self,
        name: &'static str,
        expected: impl Into<String>,
        actual: impl Into<String>,
        outcome: Result<(), VerifyError>,
        hint: impl Into<String>,
    ) -> bool {
        let ok = outcome.is_ok();
        self.steps.push(KeyStep {
            name,
            expected: expected.into(),
            actual: actual.into(),
            outcome,
            hint: if ok { String::new() } else { hint.into() },
            skipped: false,
        });
        ok
    }
}

/// Verifies `jwt` against the config's key source, then checks its `alg` against
/// `jwt_supported_algs` (all ten when empty). Never uses a URL or key taken from the token.
pub fn verify(ctx: &BackendContext, config: &Config, jwt: &str) -> Result<Verified, VerifyError> {
    let i = inspect(ctx, config, jwt, false);
    if let Some(e) = i.error() {
        return Err(e.clone());
    }
    match (i.header, i.claims) {
        (Some(header), Some(claims)) => Ok(Verified { header, claims }),
        _ => Err(sig_err(NO_KNOWN_KEY)),
    }
}

/// Verification as a list of steps (what [`verify`] does, step by step). With
/// `continue_after_failure` (for `jwt explain`) a failed key source or signature does not stop
/// it: the `alg` and the payload are still looked at, so that the claims can be checked too.
/// An unparseable token always stops it. Writes only the key cache a login would write.
pub fn inspect(
    ctx: &BackendContext,
    config: &Config,
    jwt: &str,
    continue_after_failure: bool,
) -> Inspection {
    let mut out = Inspection::default();
    let go_on = |out: &Inspection| continue_after_failure || out.error().is_none();
    let is_static = !config.jwt_validation_pubkeys.is_empty();

    // The key source (the validator in OpenBao).
    let source: Result<Source, VerifyError> = if is_static {
        config
            .jwt_validation_pubkeys
            .iter()
            .map(|p| pem::parse_public_key_pem(p))
            .collect::<Result<Vec<_>, _>>()
            .map(Source::Static)
            .map_err(|e| {
                VerifyError::Validator(format!(
                    "keyset configuration error: error parsing public key: {e}"
                ))
            })
    } else {
        remote_source(ctx, config)
            .map(|(url, ca)| Source::Remote { url, ca })
            .map_err(|e| VerifyError::Validator(format!("keyset configuration error: {e}")))
    };
    let (expected, actual) = match &source {
        Ok(Source::Static(keys)) => (
            describe_source(config),
            format!(
                "{} key(s): {}",
                keys.len(),
                keys.iter().map(|k| k.kind()).collect::<Vec<_>>().join(", ")
            ),
        ),
        Ok(Source::Remote { url, .. }) => (describe_source(config), format!("JWKS {url}")),
        Err(e) => (describe_source(config), e.to_string()),
    };
    out.push(
        "key_source",
        expected,
        actual,
        source.as_ref().map(|_| ()).map_err(Clone::clone),
        "",
    );
    if !go_on(&out) {
        return out;
    }

    // The token's JWS structure.
    let jose = if is_static {
        jws::Jose::V3
    } else {
        jws::Jose::V4
    };
    let jws = match jws::parse(jwt, jose) {
        Ok(j) => {
            out.push(
                "token_format",
                "a signed JWT (JWS)",
                format!(
                    "alg {}, kid {}",
                    show_alg(&j.alg),
                    j.kid.as_deref().unwrap_or("(none)")
                ),
                Ok(()),
                "",
            );
            j
        }
        Err(e) => {
            let err = if is_static {
                sig_err(&e)
            } else {
                sig_err(format!("oidc: malformed jwt: {e}"))
            };
            let hint = if e.starts_with("unexpected signature algorithm ") {
                let alg = e.split('"').nth(1).unwrap_or("");
                unsupported_alg_hint(alg)
            } else if e.starts_with("failed to unmarshal") || e.contains("embedded jwk") {
                "the token's header has a member of the wrong type or content".to_string()
            } else if e.starts_with("illegal base64") && !is_static && jwt.contains('=') {
                "a token checked against a JWKS may not pad its base64url parts with '='".into()
            } else {
                "the token is not a JWS: compact form is three base64url parts separated by dots"
                    .into()
            };
            out.push("token_format", "a signed JWT (JWS)", e, Err(err), hint);
            return out;
        }
    };

    // The signature.
    match &source {
        Ok(Source::Static(keys)) => {
            let expected = "signed by one of the static keys";
            let payload_problem = payload_problem(&jws.payload);
            match keys.iter().position(|k| verifies(k, &jws)) {
                Some(i) if payload_problem.is_none() => out.push(
                    "signature",
                    expected,
                    format!(
                        "verified by key #{} ({}, {})",
                        i + 1,
                        keys[i].kind(),
                        jws.alg
                    ),
                    Ok(()),
                    "",
                ),
                Some(_) => {
                    let problem = payload_problem.unwrap_or_default();
                    let hint = if problem.contains("duplicate key") {
                        "the issuer repeated a claim name: OpenBao refuses such claims with \
                         static keys (with a JWKS, the last value is used)"
                    } else {
                        ""
                    };
                    out.push(
                        "signature",
                        expected,
                        format!("signature verifies, but {problem}"),
                        Err(sig_err(NO_KNOWN_KEY)),
                        hint,
                    )
                }
                None => out.push(
                    "signature",
                    expected,
                    format!("no key verified an {} signature", show_alg(&jws.alg)),
                    Err(sig_err(NO_KNOWN_KEY)),
                    static_miss_hint(keys, &jws),
                ),
            };
        }
        Ok(Source::Remote { url, ca }) => {
            let expected = format!("signed by a key of {url}");
            match remote_verify(ctx, url, ca, &jws) {
                Ok((kid, weak)) => {
                    if let Some(bits) = weak.filter(|_| ctx.settings.compat != Compat::OpenBao) {
                        out.warnings.push(format!(
                            "the token was verified by the {bits}-bit RSA key {} of {url}: \
                             OpenBao accepts it and so does vaultjwt, but RSA keys shorter \
                             than 2048 bits are weak (RFC 7518): the issuer should rotate \
                             to a longer key",
                            kid.as_deref().map(go_quote).unwrap_or("(no kid)".into())
                        ));
                    }
                    out.push(
                        "signature",
                        expected,
                        format!(
                            "verified by JWKS key {} ({})",
                            kid.as_deref().map(go_quote).unwrap_or("(no kid)".into()),
                            jws.alg
                        ),
                        Ok(()),
                        "",
                    )
                }
                Err((e, kids)) => {
                    let hint = remote_miss_hint(&jws, kids.as_deref());
                    out.push(
                        "signature",
                        expected,
                        format!(
                            "no JWKS key verified it (alg {}, kid {})",
                            jws.alg,
                            jws.kid.as_deref().map(go_quote).unwrap_or("(none)".into())
                        ),
                        Err(e),
                        hint,
                    )
                }
            };
        }
        Err(_) => out.steps.push(KeyStep {
            name: "signature",
            expected: "signed by a key of the key source".into(),
            actual: "not checked: the key source failed".into(),
            outcome: Ok(()),
            hint: String::new(),
            skipped: true,
        }),
    }
    if !go_on(&out) {
        return out;
    }

    // The alg against jwt_supported_algs.
    let allowed = config.jwt_supported_algs.contains(&jws.alg)
        || (config.jwt_supported_algs.is_empty() && SUPPORTED_ALGS.contains(&jws.alg.as_str()));
    out.push(
        "alg",
        if config.jwt_supported_algs.is_empty() {
            format!("one of {} (default)", SUPPORTED_ALGS.join(" "))
        } else {
            format!("one of {}", config.jwt_supported_algs.join(" "))
        },
        show_alg(&jws.alg),
        if allowed {
            Ok(())
        } else {
            Err(VerifyError::Token(UNEXPECTED_ALG.into()))
        },
        if config.jwt_supported_algs.is_empty() {
            unsupported_alg_hint(&jws.alg)
        } else if SUPPORTED_ALGS.contains(&jws.alg.as_str()) {
            format!(
                "{} is not in the config's jwt_supported_algs; add it there if the issuer really signs with it",
                jws.alg
            )
        } else {
            unsupported_alg_hint(&jws.alg)
        },
    );
    if !go_on(&out) {
        return out;
    }

    // The payload.
    let claims = match serde_json::from_slice::<Value>(&jws.payload) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                _ => "bool",
            };
            Err(sig_err(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            )))
        }
        Err(e) => Err(sig_err(super::fetch::go_json_error(&jws.payload, &e))),
    };
    match claims {
        Ok(m) => {
            out.header = Some(jws.header);
            out.claims = Some(m);
        }
        Err(e) => {
            let text = e.to_string();
            out.push("payload", "a JSON object of claims", text, Err(e), "");
        }
    }
    out
}

enum Source {
    Static(Vec<PublicKey>),
    Remote { url: String, ca: String },
}

/// The configured key source in words.
fn describe_source(config: &Config) -> String {
    if !config.jwt_validation_pubkeys.is_empty() {
        format!(
            "{} static key(s) (jwt_validation_pubkeys)",
            config.jwt_validation_pubkeys.len()
        )
    } else if !config.jwks_url.is_empty() {
        format!("JWKS at {}", config.jwks_url)
    } else if !config.oidc_discovery_url.is_empty() {
        format!("OIDC discovery at {}", config.oidc_discovery_url)
    } else {
        "a key source (jwt_validation_pubkeys, jwks_url or oidc_discovery_url)".into()
    }
}

fn show_alg(alg: &str) -> String {
    if alg.is_empty() {
        "(none)".into()
    } else {
        alg.to_string()
    }
}

fn unsupported_alg_hint(alg: &str) -> String {
    match alg {
        "none" | "" => "an unsigned token (alg none) is never accepted".into(),
        a if a.starts_with("HS") => format!(
            "{a} is an HMAC (shared-secret) algorithm; the JWT auth method accepts only public-key algorithms ({})",
            SUPPORTED_ALGS.join(" ")
        ),
        a => format!(
            "{a} is not one of the supported algorithms ({})",
            SUPPORTED_ALGS.join(" ")
        ),
    }
}

/// Why no static key verified the token, when it can be told.
fn static_miss_hint(keys: &[PublicKey], jws: &Jws) -> String {
    if jws.header.contains_key("crit") {
        return "the token's header has a \"crit\" parameter, which is never understood".into();
    }
    if !SUPPORTED_ALGS.contains(&jws.alg.as_str()) {
        return unsupported_alg_hint(&jws.alg);
    }
    if !keys.iter().any(|k| k.fits(&jws.alg)) {
        return format!(
            "no configured key can check {} (keys: {})",
            jws.alg,
            keys.iter().map(|k| k.kind()).collect::<Vec<_>>().join(", ")
        );
    }
    "the token was signed by another key, or was altered after signing".into()
}

/// Why no JWKS key verified the token, when it can be told (`kids`: the JWKS's key ids).
fn remote_miss_hint(jws: &Jws, kids: Option<&[Option<String>]>) -> String {
    if jws.header.contains_key("crit") {
        return "the token's header has a \"crit\" parameter, which is never understood".into();
    }
    let Some(kids) = kids else {
        return String::new();
    };
    if let Some(kid) = &jws.kid {
        if !kids.iter().any(|k| k.as_deref() == Some(kid.as_str())) {
            let known: Vec<String> = kids
                .iter()
                .map(|k| k.as_deref().map(go_quote).unwrap_or("(no kid)".into()))
                .collect();
            return format!(
                "the token's kid {} is not in the JWKS (kids: {})",
                go_quote(kid),
                known.join(", ")
            );
        }
    }
    "the token was signed by another key, or was altered after signing".into()
}

/// Why go-jose's claims decoder refuses the payload, in words (`None`: it takes it): not a
/// JSON object, or a member name repeated at any depth (`there is a duplicate key "sub" in
/// the token's claims`).
fn payload_problem(payload: &[u8]) -> Option<String> {
    if !matches!(
        serde_json::from_slice::<Value>(payload),
        Ok(Value::Object(_)) | Ok(Value::Null)
    ) {
        return Some("the payload is not a JSON object".into());
    }
    jws::duplicate_key(payload).map(|key| {
        format!(
            "there is a duplicate key {} in the token's claims",
            go_quote(&key)
        )
    })
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
    fetch_discovery_of(ctx, &[issuer], ca)
}

/// [`fetch_discovery`] accepting the document when its `issuer` equals any of `issuers`
/// (all with the same discovery URL, e.g. with and without a trailing slash): one request.
/// A mismatch reports the first candidate, as OpenBao would.
pub fn fetch_discovery_of(
    ctx: &BackendContext,
    issuers: &[&str],
    ca: &str,
) -> Result<Discovery, String> {
    let issuer = issuers.first().copied().unwrap_or_default();
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let resp = super::fetch::get(&url, ca, ctx.settings.http_timeout)?;
    if resp.status != 200 {
        // go-oidc quotes the whole body (capped by the fetch)
        return Err(format!(
            "{}: {}",
            resp.status_line,
            String::from_utf8_lossy(&resp.body)
        ));
    }
    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        issuer: String,
        #[serde(default)]
        jwks_uri: String,
        #[serde(default)]
        authorization_endpoint: String,
        #[serde(default)]
        token_endpoint: String,
        #[serde(default)]
        userinfo_endpoint: String,
    }
    let doc: Doc = resp
        .json()
        .map_err(|e| format!("failed to decode OIDC discovery document: {e}"))?;
    let Some(issuer) = issuers.iter().find(|i| **i == doc.issuer) else {
        return Err(format!(
            "issuer did not match the returned issuer, expected {} got {}",
            go_quote(issuer),
            go_quote(&doc.issuer)
        ));
    };
    if doc.jwks_uri.is_empty() {
        return Err("the OIDC discovery document has no \"jwks_uri\"".into());
    }
    Ok(Discovery {
        url: issuer.to_string(),
        issuer: doc.issuer,
        jwks_uri: doc.jwks_uri,
        fetched_at: ctx.now,
        authorization_endpoint: doc.authorization_endpoint,
        token_endpoint: doc.token_endpoint,
        userinfo_endpoint: doc.userinfo_endpoint,
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

impl FetchedJwks {
    /// Its RSA keys under 2048 bits, as `kid (N bits)` (for a default-mode warning).
    pub fn weak_keys(&self) -> Vec<String> {
        self.keys
            .iter()
            .filter_map(|k| {
                let bits = k.weak_rsa_bits?;
                Some(format!(
                    "{} ({bits} bits)",
                    k.kid.as_deref().map(go_quote).unwrap_or("(no kid)".into())
                ))
            })
            .collect()
    }
}

/// Why a JWKS could not be had: go-oidc's text (`oidc: get keys failed ...`), and the cause in
/// plain words for vaultjwt's default mode.
#[derive(Debug, Clone, PartialEq)]
pub struct JwksError {
    pub text: String,
    pub reason: String,
}

impl std::fmt::Display for JwksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The default-mode warning for RSA keys under 2048 bits in a JWKS.
pub fn weak_keys_warning(url: &str, weak: &[String]) -> String {
    format!(
        "the JWKS at {url} has RSA keys shorter than 2048 bits: {}; OpenBao accepts them and so \
         does vaultjwt, but such keys are weak (RFC 7518 requires 2048 bits): the issuer \
         should rotate to a longer key",
        weak.join(", ")
    )
}

/// GETs and decodes a JWKS, with go-oidc's error texts (`oidc: get keys failed ...`), whose
/// bodies are quoted whole as go-oidc does (the fetch caps them).
pub fn fetch_jwks(ctx: &BackendContext, url: &str, ca: &str) -> Result<FetchedJwks, JwksError> {
    let timeout = ctx.settings.http_timeout;
    let resp = super::fetch::get(url, ca, timeout).map_err(|e| JwksError {
        text: if e.in_body {
            e.text.clone()
        } else {
            format!("oidc: get keys failed {e}")
        },
        reason: e.reason(timeout),
    })?;
    let body = String::from_utf8_lossy(&resp.body);
    if resp.status != 200 {
        return Err(JwksError {
            text: format!("oidc: get keys failed: {} {body}", resp.status_line),
            reason: format!("the server answered {}", resp.status_line),
        });
    }
    let doc: Value = resp.json().map_err(|e| JwksError {
        text: format!("oidc: failed to decode keys: {e} {body}"),
        reason: format!("the response is not a JSON document ({e})"),
    })?;
    let keys = pem::parse_jwks(&resp.body).map_err(|e| JwksError {
        text: format!("oidc: failed to decode keys: {e} {body}"),
        reason: format!("the JWKS has a key that cannot be used ({e})"),
    })?;
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
/// Returns the kid of the key that verified (`None` for a key without kid) and its size when
/// it is a weak RSA key.
fn remote_keys_verify(keys: &[Jwk], jws: &Jws) -> Option<(Option<String>, Option<usize>)> {
    keys.iter()
        .filter(|k| jws.kid.is_none() || k.kid == jws.kid)
        .find(|k| k.key.as_ref().is_some_and(|key| verifies(key, jws)))
        .map(|k| (k.kid.clone(), k.weak_rsa_bits))
}

/// Verifies against the JWKS at `url` (cached, refetched on a miss at most once per
/// cooldown). Ok: the kid of the key that verified, and its size when it is a weak RSA key. Err: the error and the kids of the JWKS
/// looked at, when there was one.
#[allow(clippy::type_complexity)]
fn remote_verify(
    ctx: &BackendContext,
    url: &str,
    ca: &str,
    jws: &Jws,
) -> Result<(Option<String>, Option<usize>), (VerifyError, Option<Vec<Option<String>>>)> {
    let kids = |keys: &[Jwk]| keys.iter().map(|k| k.kid.clone()).collect::<Vec<_>>();
    if let Some(keys) = cached_jwks(ctx, url) {
        if let Some(kid) = remote_keys_verify(&keys, jws) {
            return Ok(kid);
        }
        if let Ok(Some(r)) = ctx.storage.get_as::<Refetch>(CACHE_REFETCH) {
            if ctx.now >= r.at && ctx.now - r.at < REFETCH_COOLDOWN_SECS {
                return Err((sig_err(FAILED_TO_VERIFY), Some(kids(&keys))));
            }
        }
        let _ = ctx.storage.put_as(CACHE_REFETCH, &Refetch { at: ctx.now });
    }
    let fetched =
        fetch_jwks(ctx, url, ca).map_err(|e| (sig_err(format!("fetching keys {e}")), None))?;
    cache_jwks(ctx, &fetched);
    match remote_keys_verify(&fetched.keys, jws) {
        Some(kid) => Ok(kid),
        None => Err((sig_err(FAILED_TO_VERIFY), Some(kids(&fetched.keys)))),
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
