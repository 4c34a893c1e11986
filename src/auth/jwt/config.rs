//! `auth/<mount>/config` (spec §3).

use crate::core::{BackendContext, Error, Request, Response, Result};
use crate::storage::StorageExt;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    let _ = (ctx, req);
    Err(Error::unsupported_path())
}
