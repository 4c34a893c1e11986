//! `auth/<mount>/config` (spec §3).

use super::keys::{self, Discovery, FetchedJwks};
use super::pem::{self, SUPPORTED_ALGS};
use crate::core::fields::{self, conversion_error};
use crate::core::{BackendContext, Error, Operation, Request, Response, Result};
use crate::settings::Compat;
use crate::storage::StorageExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Storage key of the config inside the mount's view.
pub const CONFIG_KEY: &str = "config";

/// The stored config (OpenBao's `jwtConfig`), plus `token_audiences` (vaultjwt default mode).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub oidc_discovery_url: String,
    pub oidc_discovery_ca_pem: String,
    pub oidc_client_id: String,
    pub oidc_client_secret: String,
    pub oidc_response_mode: String,
    pub oidc_response_types: Vec<String>,
    pub jwks_url: String,
    pub jwks_ca_pem: String,
    pub jwt_validation_pubkeys: Vec<String>,
    pub jwt_supported_algs: Vec<String>,
    pub bound_issuer: String,
    pub default_role: String,
    pub provider_config: Map<String, Value>,
    pub override_allowed_server_names: Vec<String>,
    pub namespace_in_state: bool,
    /// vaultjwt default mode only: audiences required of tokens on roles without
    /// `bound_audiences`. OpenBao ignores this parameter.
    pub token_audiences: Vec<String>,
}

/// Loads the config, `None` when none was written.
pub fn load(ctx: &BackendContext) -> Result<Option<Config>> {
    Ok(ctx.storage.get_as::<Config>(CONFIG_KEY)?)
}

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    match req.operation {
        Operation::Read => read(ctx),
        Operation::Create | Operation::Update => write(ctx, req),
        _ => Err(Error::unsupported_operation()),
    }
}

const WELL_KNOWN: &str = ".well-known/openid-configuration";
const PROVIDERS: [&str; 5] = ["azure", "gsuite", "secureauth", "ibmisam", "kubernetes"];
/// `provider_config` keys never returned on read.
const SENSITIVE_PROVIDER_KEYS: [&str; 1] = ["gsuite_service_account"];

#[derive(Clone, Copy)]
enum Kind {
    Str,
    LowerStr,
    CommaList,
    Map,
    Bool,
}

/// The parameters of the config path, in schema order.
const PARAMS: [(&str, Kind); 16] = [
    ("oidc_discovery_url", Kind::Str),
    ("oidc_discovery_ca_pem", Kind::Str),
    ("oidc_client_id", Kind::Str),
    ("oidc_client_secret", Kind::Str),
    ("oidc_response_mode", Kind::Str),
    ("oidc_response_types", Kind::CommaList),
    ("jwks_url", Kind::Str),
    ("jwks_ca_pem", Kind::Str),
    ("jwt_validation_pubkeys", Kind::CommaList),
    ("jwt_supported_algs", Kind::CommaList),
    ("bound_issuer", Kind::Str),
    ("default_role", Kind::LowerStr),
    ("provider_config", Kind::Map),
    ("override_allowed_server_names", Kind::CommaList),
    ("namespace_in_state", Kind::Bool),
    ("skip_jwks_validation", Kind::Bool),
];

/// vaultjwt's extra parameter (default mode only).
const TOKEN_AUDIENCES: &str = "token_audiences";

/// A converted parameter value.
enum Val {
    S(String),
    L(Vec<String>),
    M(Map<String, Value>),
    B(bool),
}

struct Input {
    values: Map<String, Value>,
    converted: std::collections::HashMap<&'static str, Val>,
}

impl Input {
    fn string(&self, name: &str) -> String {
        match self.converted.get(name) {
            Some(Val::S(s)) => s.clone(),
            _ => String::new(),
        }
    }
    fn list(&self, name: &str) -> Vec<String> {
        match self.converted.get(name) {
            Some(Val::L(l)) => l.clone(),
            _ => Vec::new(),
        }
    }
    fn map(&self, name: &str) -> Map<String, Value> {
        match self.converted.get(name) {
            Some(Val::M(m)) => m.clone(),
            _ => Map::new(),
        }
    }
    fn boolean(&self, name: &str) -> Option<bool> {
        match self.converted.get(name) {
            Some(Val::B(b)) => Some(*b),
            _ => None,
        }
    }
}

/// Converts the known parameters (Vault's field validation, before the handler runs).
fn convert(data: &Map<String, Value>) -> Result<Input> {
    let mut converted = std::collections::HashMap::new();
    for (name, kind) in PARAMS {
        let Some(raw) = data.get(name) else { continue };
        let val = match kind {
            Kind::Str => fields::string(raw).map(Val::S),
            Kind::LowerStr => fields::string(raw).map(|s| Val::S(s.to_lowercase())),
            Kind::CommaList => fields::comma_string_slice(raw).map(Val::L),
            Kind::Map => fields::map(raw).map(Val::M),
            Kind::Bool => fields::boolean(raw).map(Val::B),
        }
        .map_err(|detail| {
            Error::bad_request(format!(
                "Field validation failed: {}",
                conversion_error(name, &detail)
            ))
        })?;
        converted.insert(name, val);
    }
    Ok(Input {
        values: data.clone(),
        converted,
    })
}

fn write(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let strict = ctx.settings.compat == Compat::OpenBao;
    let input = convert(&req.data)?;
    let mut warnings: Vec<String> = Vec::new();

    let previous = load(ctx)?;
    let mut config = Config {
        oidc_discovery_url: input.string("oidc_discovery_url"),
        oidc_discovery_ca_pem: input.string("oidc_discovery_ca_pem"),
        oidc_client_id: input.string("oidc_client_id"),
        oidc_client_secret: input.string("oidc_client_secret"),
        oidc_response_mode: input.string("oidc_response_mode"),
        oidc_response_types: input.list("oidc_response_types"),
        jwks_url: input.string("jwks_url"),
        jwks_ca_pem: input.string("jwks_ca_pem"),
        jwt_validation_pubkeys: input.list("jwt_validation_pubkeys"),
        jwt_supported_algs: input.list("jwt_supported_algs"),
        bound_issuer: input.string("bound_issuer"),
        default_role: input.string("default_role"),
        provider_config: input.map("provider_config"),
        override_allowed_server_names: input.list("override_allowed_server_names"),
        namespace_in_state: input
            .boolean("namespace_in_state")
            .unwrap_or_else(|| previous.as_ref().is_none_or(|p| p.namespace_in_state)),
        token_audiences: Vec::new(),
    };
    let skip = input.boolean("skip_jwks_validation").unwrap_or(false);

    // vaultjwt default mode: the walkthrough fixes, each announced.
    let mut stripped = false;
    if !strict {
        if let Some(raw) = input.values.get(TOKEN_AUDIENCES) {
            config.token_audiences = fields::comma_string_slice(raw).map_err(|detail| {
                Error::bad_request(format!(
                    "Field validation failed: {}",
                    conversion_error(TOKEN_AUDIENCES, &detail)
                ))
            })?;
            warnings.push(
                "'token_audiences' is not an OpenBao parameter: OpenBao ignores it; vaultjwt \
                 stores it and requires one of these audiences of tokens on roles without \
                 'bound_audiences'"
                    .to_string(),
            );
        }
        if let Some(issuer) = strip_well_known(&config.oidc_discovery_url) {
            stripped = true;
            config.oidc_discovery_url = issuer;
        }
    }

    let provider = config
        .provider_config
        .get("provider")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let sources = [
        !config.oidc_discovery_url.is_empty(),
        !config.jwt_validation_pubkeys.is_empty(),
        !config.jwks_url.is_empty(),
        provider == "kubernetes",
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if sources != 1 {
        return Err(Error::bad_request(
            "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', \
             'oidc_discovery_url', or 'provider_config' must be set",
        ));
    }
    if config.oidc_client_id.is_empty() != config.oidc_client_secret.is_empty() {
        return Err(Error::bad_request(
            "both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC",
        ));
    }

    let mut discovered: Option<Discovery> = None;
    let mut jwks: Option<FetchedJwks> = None;
    if !config.oidc_discovery_url.is_empty() {
        if config.oidc_discovery_url.contains(WELL_KNOWN) {
            return Err(Error::bad_request(
                "'oidc_discovery_url' contains '.well-known' component",
            ));
        }
        // Default mode, `.well-known` stripped: the issuer may be the URL before the suffix
        // with its trailing slash (the same document, fetched once).
        let with_slash = format!("{}/", config.oidc_discovery_url);
        let mut candidates = vec![config.oidc_discovery_url.as_str()];
        if stripped {
            candidates.push(&with_slash);
        }
        let fetched = keys::fetch_discovery_of(ctx, &candidates, &config.oidc_discovery_ca_pem);
        if let Ok(d) = &fetched {
            config.oidc_discovery_url = d.url.clone();
        }
        if stripped {
            warnings.insert(
                0,
                format!(
                    "OpenBao would refuse this 'oidc_discovery_url' ('oidc_discovery_url' \
                     contains '.well-known' component); vaultjwt uses the issuer URL {} instead",
                    fields::go_quote(&config.oidc_discovery_url)
                ),
            );
        }
        match fetched {
            Ok(d) => {
                if !strict && insecure_jwks_uri(&config.oidc_discovery_url, &d.jwks_uri) {
                    warnings.push(insecure_jwks_uri_warning(&d.jwks_uri));
                }
                discovered = Some(d)
            }
            Err(_) if skip => warnings.push("error checking oidc discovery URL".into()),
            Err(e) => {
                return Err(Error::bad_request(format!(
                    "error checking oidc discovery URL: {e}"
                )))
            }
        }
    } else if !config.oidc_client_id.is_empty() {
        return Err(Error::bad_request(
            "'oidc_discovery_url' must be set for OIDC",
        ));
    }

    if !config.jwks_url.is_empty() {
        if !config.jwks_ca_pem.is_empty() && pem::parse_ca_pem(&config.jwks_ca_pem).is_none() {
            return Err(Error::bad_request("error checking jwks_ca_pem"));
        }
        match keys::fetch_jwks(ctx, &config.jwks_url, &config.jwks_ca_pem) {
            Ok(j) => jwks = Some(j),
            // vaultjwt default mode says why (OpenBao gives no reason).
            Err(e) if skip => warnings.push(jwks_failure(strict, &e)),
            Err(e) => return Err(Error::bad_request(jwks_failure(strict, &e))),
        }
    }

    for key in &config.jwt_validation_pubkeys {
        pem::parse_public_key_pem(key)
            .map_err(|e| Error::bad_request(format!("error parsing public key: {e}")))?;
    }

    if provider == "kubernetes" {
        return Err(Error::bad_request(
            "invalid provider_config: error initializing \"kubernetes\" provider_config: \
             vaultjwt does not run inside a Kubernetes cluster",
        ));
    }

    for alg in &config.jwt_supported_algs {
        if !SUPPORTED_ALGS.contains(&alg.as_str()) {
            return Err(Error::bad_request(format!(
                "invalid jwt_supported_algs: unsupported signing algorithm {}",
                fields::go_quote(alg)
            )));
        }
    }

    if config
        .oidc_response_types
        .iter()
        .any(|t| t != "code" && t != "id_token")
    {
        return Err(Error::bad_request(format!(
            "invalid response_types [{}]. 'code' and 'id_token' are allowed",
            config.oidc_response_types.join(" ")
        )));
    }
    let has_id_token = config.oidc_response_types.iter().any(|t| t == "id_token");
    match config.oidc_response_mode.as_str() {
        "" | "query" if has_id_token => {
            return Err(Error::bad_request(
                "query response_mode may not be used with an id_token response_type",
            ))
        }
        "" | "query" | "form_post" => {}
        other => {
            return Err(Error::bad_request(format!(
                "invalid response_mode: {}",
                fields::go_quote(other)
            )))
        }
    }

    if !config.provider_config.is_empty() {
        match config.provider_config.get("provider") {
            Some(Value::String(name)) if PROVIDERS.contains(&name.as_str()) => {}
            Some(Value::String(name)) => {
                return Err(Error::bad_request(format!(
                    "invalid provider_config: provider {} not found in custom providers",
                    fields::go_quote(name)
                )))
            }
            _ => {
                return Err(Error::bad_request(
                    "invalid provider_config: 'provider' field not found in provider_config",
                ))
            }
        }
    }

    if let Some(j) = jwks.as_ref().filter(|_| !strict) {
        let weak = j.weak_keys();
        if !weak.is_empty() {
            warnings.push(keys::weak_keys_warning(&config.jwks_url, &weak));
        }
    }

    ctx.storage.put_as(CONFIG_KEY, &config)?;
    keys::drop_cache(&ctx.storage)?;
    if let Some(d) = &discovered {
        keys::cache_discovery(ctx, d);
    }
    if let Some(j) = &jwks {
        keys::cache_jwks(ctx, j);
    }

    if warnings.is_empty() {
        return Ok(None);
    }
    let mut unknown: Vec<&str> = input
        .values
        .keys()
        .map(String::as_str)
        .filter(|k| !PARAMS.iter().any(|(p, _)| p == k))
        .filter(|k| strict || *k != TOKEN_AUDIENCES)
        .collect();
    unknown.sort_unstable();
    if !unknown.is_empty() {
        warnings.push(format!(
            "Endpoint ignored these unrecognized parameters: [{}]",
            unknown.join(" ")
        ));
    }
    Ok(Some(Response {
        warnings,
        ..Default::default()
    }))
}

/// `error checking jwks URL`, with the reason in default mode.
fn jwks_failure(strict: bool, e: &keys::JwksError) -> String {
    if strict {
        "error checking jwks URL".into()
    } else {
        format!("error checking jwks URL: {}", e.reason)
    }
}

/// Whether an `https://` discovery document names a `jwks_uri` that is not `https://`.
pub fn insecure_jwks_uri(discovery_url: &str, jwks_uri: &str) -> bool {
    let https = |u: &str| {
        u.get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    };
    https(discovery_url) && !https(jwks_uri)
}

/// The default-mode warning for [`insecure_jwks_uri`].
pub fn insecure_jwks_uri_warning(jwks_uri: &str) -> String {
    format!(
        "the https discovery document names a jwks_uri without TLS ({jwks_uri}): the keys \
         are fetched over plain HTTP, as OpenBao does, so anyone on the path can replace them"
    )
}

/// The issuer URL of a discovery URL ending in `/.well-known/openid-configuration`.
fn strip_well_known(url: &str) -> Option<String> {
    let base = url
        .strip_suffix(WELL_KNOWN)
        .or_else(|| url.strip_suffix(&format!("{WELL_KNOWN}/")))?;
    let issuer = base.strip_suffix('/')?;
    if issuer.is_empty() || issuer.contains(WELL_KNOWN) {
        return None;
    }
    Some(issuer.to_string())
}

fn read(ctx: &BackendContext) -> Result<Option<Response>> {
    let Some(config) = load(ctx)? else {
        return Ok(None);
    };
    let mut provider_config = config.provider_config.clone();
    for k in SENSITIVE_PROVIDER_KEYS {
        provider_config.remove(k);
    }
    let mut warnings = Vec::new();
    let status = if !config.oidc_discovery_url.is_empty() {
        match keys::discovery(ctx, &config) {
            Ok(_) => "valid",
            Err(e) => {
                warnings.push(format!(
                    "failed to construct JWK validator: keyset configuration error: {e}"
                ));
                "invalid"
            }
        }
    } else {
        "valid"
    };
    let mut data = json!({
        "bound_issuer": config.bound_issuer,
        "default_role": config.default_role,
        "jwks_ca_pem": config.jwks_ca_pem,
        "jwks_url": config.jwks_url,
        "jwt_supported_algs": config.jwt_supported_algs,
        "jwt_validation_pubkeys": config.jwt_validation_pubkeys,
        "namespace_in_state": config.namespace_in_state,
        "oidc_client_id": config.oidc_client_id,
        "oidc_discovery_ca_pem": config.oidc_discovery_ca_pem,
        "oidc_discovery_url": config.oidc_discovery_url,
        "oidc_response_mode": config.oidc_response_mode,
        "oidc_response_types": config.oidc_response_types,
        "override_allowed_server_names": config.override_allowed_server_names,
        "provider_config": provider_config,
        "status": status,
    });
    if ctx.settings.compat != Compat::OpenBao && !config.token_audiences.is_empty() {
        if let Some(m) = data.as_object_mut() {
            m.insert("token_audiences".into(), json!(config.token_audiences));
        }
    }
    let mut resp = Response::json(data);
    resp.warnings = warnings;
    Ok(Some(resp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::MountEntry;
    use crate::settings::Settings;
    use crate::storage::{MemoryStorage, Storage, View};

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    fn run(storage: &MemoryStorage, compat: Compat, data: Value) -> Result<Option<Response>> {
        let mount = MountEntry::new("jwt/", "jwt", "");
        let settings = Settings {
            compat,
            ..Default::default()
        };
        let ctx = BackendContext {
            storage: View::new(storage, "auth/x/"),
            mount: &mount,
            settings: &settings,
            now: 1,
        };
        let req = Request::new(Operation::Update, "config")
            .with_data(data.as_object().cloned().unwrap_or_default());
        handle(&ctx, &req)
    }

    #[test]
    fn a_write_replaces_the_config_and_drops_the_cache() {
        let s = MemoryStorage::default();
        let key = fixture("ed25519.pub");
        run(
            &s,
            Compat::OpenBao,
            json!({"jwt_validation_pubkeys": key, "bound_issuer": "a", "default_role": "R"}),
        )
        .unwrap();
        s.put("auth/x/cache/jwks", &json!({"url": "u"})).unwrap();
        s.put("auth/x/cache/refetch", &json!({"at": 1})).unwrap();
        run(&s, Compat::OpenBao, json!({"jwt_validation_pubkeys": key})).unwrap();
        let stored: Config = s.get_as("auth/x/config").unwrap().unwrap();
        assert_eq!(stored.bound_issuer, "");
        assert_eq!(stored.default_role, "");
        assert!(stored.namespace_in_state);
        assert_eq!(s.list("auth/x/cache/").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn conversion_errors_are_field_validation_failures() {
        let s = MemoryStorage::default();
        let err = run(
            &s,
            Compat::OpenBao,
            json!({"jwt_validation_pubkeys": fixture("ed25519.pub"), "jwt_supported_algs": {"a": 1}}),
        )
        .unwrap_err();
        assert_eq!(err.status, 400);
        assert_eq!(
            err.message(),
            "Field validation failed: error converting input for field \"jwt_supported_algs\": '' expected type '[]string', got unconvertible type 'map[string]interface {}'"
        );
        assert_eq!(s.get("auth/x/config").unwrap(), None);
    }

    #[test]
    fn token_audiences_only_in_default_mode() {
        let s = MemoryStorage::default();
        let key = fixture("ed25519.pub");
        let resp = run(
            &s,
            Compat::OpenBao,
            json!({"jwt_validation_pubkeys": key, "token_audiences": "a,b"}),
        )
        .unwrap();
        assert!(resp.is_none(), "no warning in strict mode");
        let stored: Config = s.get_as("auth/x/config").unwrap().unwrap();
        assert!(stored.token_audiences.is_empty());

        let resp = run(
            &s,
            Compat::Default,
            json!({"jwt_validation_pubkeys": key, "token_audiences": "a,b", "junk": 1}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(resp.warnings.len(), 2, "{:?}", resp.warnings);
        assert_eq!(
            resp.warnings[1],
            "Endpoint ignored these unrecognized parameters: [junk]"
        );
        let stored: Config = s.get_as("auth/x/config").unwrap().unwrap();
        assert_eq!(stored.token_audiences, vec!["a", "b"]);
    }

    #[test]
    fn well_known_suffix_is_recognised() {
        assert_eq!(
            strip_well_known("https://idp.example/.well-known/openid-configuration").as_deref(),
            Some("https://idp.example")
        );
        assert_eq!(
            strip_well_known("https://idp.example/t/.well-known/openid-configuration/").as_deref(),
            Some("https://idp.example/t")
        );
        assert_eq!(strip_well_known("https://idp.example"), None);
        assert_eq!(strip_well_known("/.well-known/openid-configuration"), None);
        assert_eq!(
            strip_well_known("https://a/.well-known/openid-configuration/x"),
            None
        );
    }

    #[test]
    fn order_of_checks() {
        let s = MemoryStorage::default();
        // two sources beat everything else
        let err = run(
            &s,
            Compat::OpenBao,
            json!({"jwt_validation_pubkeys": "bad", "jwks_url": "x", "jwt_supported_algs": "HS256"}),
        )
        .unwrap_err();
        assert!(err.message().starts_with("exactly one of"));
        // the key is parsed before the algorithms are checked
        let err = run(
            &s,
            Compat::OpenBao,
            json!({"jwt_validation_pubkeys": "bad", "jwt_supported_algs": "HS256"}),
        )
        .unwrap_err();
        assert!(err.message().starts_with("error parsing public key"));
        // the .well-known check happens before any fetch, in strict mode
        let err = run(
            &s,
            Compat::OpenBao,
            json!({"oidc_discovery_url": "http://127.0.0.1:1/.well-known/openid-configuration"}),
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "'oidc_discovery_url' contains '.well-known' component"
        );
    }
}
