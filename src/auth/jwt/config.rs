//! `auth/<mount>/config` (spec §3).

use super::keys::{self, Discovery, FetchedJwks};
use super::pem::{self, SUPPORTED_ALGS};
use crate::core::{BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::go::go_quote;
use crate::framework::{FieldData, FieldSchema, FieldType, Path};
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
    let mut req = req.clone();
    if req.operation == Operation::Create {
        req.operation = Operation::Update;
    }
    config_path(ctx.settings.compat).handle_in(ctx.settings.compat, &req, &[], |d| {
        match req.operation {
            Operation::Read => read(ctx),
            _ => write(ctx, d),
        }
    })
}

const WELL_KNOWN: &str = ".well-known/openid-configuration";
const PROVIDERS: [&str; 5] = ["azure", "gsuite", "secureauth", "ibmisam", "kubernetes"];
/// `provider_config` keys never returned on read.
const SENSITIVE_PROVIDER_KEYS: [&str; 1] = ["gsuite_service_account"];

const CONF_HELP_SYN: &str = "
Configures the JWT authentication backend.
";
const CONF_HELP_DESC: &str = "
The JWT authentication backend validates JWTs (or OIDC) using the configured
credentials. If using OIDC Discovery, the URL must be provided, along
with (optionally) the CA cert to use for the connection. If performing JWT
validation locally, a set of public keys must be provided.
";

/// vaultjwt's extra parameter (default mode only).
const TOKEN_AUDIENCES: &str = "token_audiences";

/// The `config` path as OpenBao's jwt plugin declares it (`pathConfig`); in default mode
/// it also takes `token_audiences`.
pub fn config_path(compat: Compat) -> Path {
    use FieldType::*;
    let mut fields = vec![
        FieldSchema::new("oidc_discovery_url", String, "The base URL of the OIDC Discovery URL without \".well-known/openid-configuration\" component. Cannot be used with \"jwks_url\" or \"jwt_validation_pubkeys\"."),
        FieldSchema::new("oidc_discovery_ca_pem", String, "The CA certificate or chain of certificates, in PEM format, to use to validate connections to the OIDC Discovery URL. If not set, system certificates are used."),
        FieldSchema::new("oidc_client_id", String, "The OAuth Client ID configured with your OIDC provider."),
        FieldSchema::new("oidc_client_secret", String, "The OAuth Client Secret configured with your OIDC provider."),
        FieldSchema::new("oidc_response_mode", String, "The response mode to be used in the OAuth2 request. Allowed values are 'query' and 'form_post'."),
        FieldSchema::new("oidc_response_types", CommaStringSlice, "The response types to request. Allowed values are 'code' and 'id_token'. Defaults to 'code'."),
        FieldSchema::new("jwks_url", String, "JWKS URL to use to authenticate signatures. Cannot be used with \"oidc_discovery_url\" or \"jwt_validation_pubkeys\"."),
        FieldSchema::new("jwks_ca_pem", String, "The CA certificate or chain of certificates, in PEM format, to use to validate connections to the JWKS URL. If not set, system certificates are used."),
        FieldSchema::new("default_role", LowerCaseString, "The default role to use if none is provided during login. If not set, a role is required during login."),
        FieldSchema::new("jwt_validation_pubkeys", CommaStringSlice, "A list of PEM-encoded public keys to use to authenticate signatures locally. Cannot be used with \"jwks_url\" or \"oidc_discovery_url\"."),
        FieldSchema::new("jwt_supported_algs", CommaStringSlice, "A list of supported signing algorithms. Defaults to RS256."),
        FieldSchema::new("bound_issuer", String, "The value against which to match the 'iss' claim in a JWT. Optional."),
        FieldSchema::new("provider_config", Map, "Provider-specific configuration. Optional."),
        FieldSchema::new("override_allowed_server_names", CommaStringSlice, "A list of hostnames to accept when performing TLS validation, which applies both to OIDC and JWKS. This overrides default checks that expect the TLS subject to match the hostname specified in the connection URL"),
        FieldSchema::new("namespace_in_state", Bool, "Pass namespace in the OIDC state parameter instead of as a separate query parameter. With this setting, the allowed redirect URL(s) in OpenBao and on the provider side should not contain a namespace query parameter. This means only one redirect URL entry needs to be maintained on the provider side for all OpenBao namespaces that will be authenticating against it. Defaults to true for new configs."),
        FieldSchema::new("skip_jwks_validation", Bool, "When true and oidc_discovery_url or jwks_url are specified, if the connection fails to load, a warning will be issued and status can be checked later by reading the config endpoint."),
    ];
    if compat != Compat::OpenBao {
        fields.push(FieldSchema::new(
            TOKEN_AUDIENCES,
            CommaStringSlice,
            "vaultjwt only: the audiences required of tokens on roles without bound_audiences.",
        ));
    }
    Path {
        pattern: "^config$",
        fields,
        operations: &[Operation::Read, Operation::Update],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: CONF_HELP_SYN,
        description: CONF_HELP_DESC,
    }
}

fn write(ctx: &BackendContext, input: &FieldData) -> Result<Option<Response>> {
    let strict = ctx.settings.compat == Compat::OpenBao;
    let mut warnings: Vec<String> = Vec::new();

    let previous = load(ctx)?;
    let mut config = Config {
        oidc_discovery_url: input.str("oidc_discovery_url").unwrap_or_default(),
        oidc_discovery_ca_pem: input.str("oidc_discovery_ca_pem").unwrap_or_default(),
        oidc_client_id: input.str("oidc_client_id").unwrap_or_default(),
        oidc_client_secret: input.str("oidc_client_secret").unwrap_or_default(),
        oidc_response_mode: input.str("oidc_response_mode").unwrap_or_default(),
        oidc_response_types: input.list("oidc_response_types").unwrap_or_default(),
        jwks_url: input.str("jwks_url").unwrap_or_default(),
        jwks_ca_pem: input.str("jwks_ca_pem").unwrap_or_default(),
        jwt_validation_pubkeys: input.list("jwt_validation_pubkeys").unwrap_or_default(),
        jwt_supported_algs: input.list("jwt_supported_algs").unwrap_or_default(),
        bound_issuer: input.str("bound_issuer").unwrap_or_default(),
        default_role: input.str("default_role").unwrap_or_default(),
        provider_config: input
            .map_or_nil("provider_config")
            .flatten()
            .unwrap_or_default(),
        override_allowed_server_names: input
            .list("override_allowed_server_names")
            .unwrap_or_default(),
        namespace_in_state: input
            .bool("namespace_in_state")
            .unwrap_or_else(|| previous.as_ref().is_none_or(|p| p.namespace_in_state)),
        token_audiences: Vec::new(),
    };
    let skip = input.bool("skip_jwks_validation").unwrap_or(false);

    // vaultjwt default mode: the walkthrough fixes, each announced.
    let mut stripped = false;
    if !strict {
        if let Some(audiences) = input.list(TOKEN_AUDIENCES) {
            config.token_audiences = audiences;
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
                    go_quote(&config.oidc_discovery_url)
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
                go_quote(alg)
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
                go_quote(other)
            )))
        }
    }

    if !config.provider_config.is_empty() {
        match config.provider_config.get("provider") {
            Some(Value::String(name)) if PROVIDERS.contains(&name.as_str()) => {}
            Some(Value::String(name)) => {
                return Err(Error::bad_request(format!(
                    "invalid provider_config: provider {} not found in custom providers",
                    go_quote(name)
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
            "Field validation failed: error converting input for field \"jwt_supported_algs\": 1 error(s) decoding:\n\n* '[0]' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[a:1]'"
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
