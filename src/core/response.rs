use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A response from a backend. `data: None` on a read means "nothing there" (Vault's 404,
/// shown by the CLI as `No value found at PATH`); on a write it means 204 No Content.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub data: Option<Map<String, Value>>,
    pub auth: Option<Auth>,
    pub warnings: Vec<String>,
    pub lease_id: String,
    pub lease_duration: i64,
    pub renewable: bool,
    /// Vault's HTTP status when it is not 200/204: a KV v2 read of a deleted version answers
    /// 404 *with* its metadata, an invalid KV v2 path 404 with only a warning. 0 = success.
    pub status: u16,
}

impl Response {
    pub fn data(data: Map<String, Value>) -> Self {
        Response {
            data: Some(data),
            ..Default::default()
        }
    }

    /// Builds a data response from a `json!({...})` object.
    pub fn json(v: Value) -> Self {
        match v {
            Value::Object(m) => Response::data(m),
            other => {
                let mut m = Map::new();
                m.insert("value".into(), other);
                Response::data(m)
            }
        }
    }

    pub fn warning(mut self, w: impl Into<String>) -> Self {
        self.warnings.push(w.into());
        self
    }
}

/// An alias for identity: what a login says about the caller (Vault's `logical.Alias`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alias {
    pub name: String,
    pub metadata: BTreeMap<String, String>,
}

/// Vault's `logical.Auth`. An auth backend fills the request half (policies, TTLs, alias,
/// group aliases, metadata, ...); the core creates the entity and the token and fills the
/// issued half (client_token, accessor, entity_id, ...).
#[derive(Debug, Clone, Default)]
pub struct Auth {
    // --- from the backend ---
    pub display_name: String,
    pub policies: Vec<String>,
    pub metadata: BTreeMap<String, String>,
    pub alias: Option<Alias>,
    pub group_aliases: Vec<Alias>,
    pub internal_data: Map<String, Value>,
    /// Seconds; 0 = mount default.
    pub ttl: i64,
    pub max_ttl: i64,
    pub period: i64,
    pub explicit_max_ttl: i64,
    pub num_uses: i64,
    pub no_default_policy: bool,
    /// `service`, `batch`, `default`, `default-service`, `default-batch` or empty.
    pub token_type: String,
    pub bound_cidrs: Vec<String>,
    pub renewable: bool,
    // --- filled by the core when the token is issued ---
    pub client_token: String,
    pub accessor: String,
    pub token_policies: Vec<String>,
    pub identity_policies: Vec<String>,
    pub entity_id: String,
    pub orphan: bool,
    pub lease_duration: i64,
}
