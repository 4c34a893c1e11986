//! `auth/<mount>/role/<name>` (spec §4): create/update in OpenBao's order with its messages,
//! read with OpenBao's shape (nulls vs `[]`, legacy keys), list with `after`/`limit`, delete.

use super::config;
use crate::core::{BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::go::{self, go_quote};
use crate::framework::tokenutil::{self, Legacy, TokenParams};
use crate::framework::{field, FieldData, FieldSchema, FieldType, Path};
use crate::settings::Compat;
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub use crate::framework::tokenutil::{cidrs_contain, parse_addr as parse_cidr, parse_policies};

/// Storage prefix of the roles inside the mount's view.
pub const ROLE_PREFIX: &str = "role/";

/// A stored role (OpenBao's `jwtRole` with `tokenutil.TokenParams`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Role {
    pub role_type: String,
    pub user_claim: String,
    pub user_claim_json_pointer: bool,
    pub bound_audiences: Option<Vec<String>>,
    pub bound_subject: String,
    pub bound_claims_type: String,
    pub bound_claims: Option<Map<String, Value>>,
    /// source claim → metadata key (values are strings).
    pub claim_mappings: Option<Map<String, Value>>,
    pub groups_claim: String,
    pub expiration_leeway: i64,
    pub not_before_leeway: i64,
    pub clock_skew_leeway: i64,
    pub max_age: i64,
    pub oidc_scopes: Option<Vec<String>>,
    pub allowed_redirect_uris: Option<Vec<String>>,
    pub verbose_oidc_logging: bool,
    pub callback_mode: String,
    pub poll_interval: i64,
    pub oidc_disable_confirmation: bool,
    pub oauth2_metadata: Option<Vec<String>>,
    pub token_policies_template_claims: bool,

    // tokenutil.TokenParams
    /// As displayed (`127.0.0.1/32` is kept as `127.0.0.1`).
    pub token_bound_cidrs: Vec<String>,
    pub token_explicit_max_ttl: i64,
    pub token_max_ttl: i64,
    pub token_no_default_policy: bool,
    pub token_period: i64,
    pub token_policies: Vec<String>,
    /// `default`, `service` or `batch`.
    pub token_type: String,
    pub token_ttl: i64,
    pub token_num_uses: i64,
    pub token_strictly_bind_ip: bool,

    // Deprecated names, shown only when set.
    pub policies: Vec<String>,
    pub bound_cidrs: Vec<String>,
    pub ttl: i64,
    pub max_ttl: i64,
    pub period: i64,
    pub num_uses: i64,
}

impl Role {
    /// The legacy upgrade applied on every load (spec §4.4).
    fn upgrade(&mut self) {
        if self.role_type.is_empty() {
            self.role_type = "jwt".into();
        }
        if self.bound_claims_type.is_empty() {
            self.bound_claims_type = "string".into();
        }
        let mut token = self.token_params();
        token.upgrade_stored();
        self.set_token_params(token);
    }

    /// The role's token fields (`tokenutil.TokenParams`) and deprecated names.
    pub fn token_params(&self) -> TokenParams {
        TokenParams {
            bound_cidrs: self.token_bound_cidrs.clone(),
            explicit_max_ttl: self.token_explicit_max_ttl,
            max_ttl: self.token_max_ttl,
            no_default_policy: self.token_no_default_policy,
            period: self.token_period,
            policies: self.token_policies.clone(),
            token_type: self.token_type.clone(),
            ttl: self.token_ttl,
            num_uses: self.token_num_uses,
            strictly_bind_ip: self.token_strictly_bind_ip,
            legacy: Legacy {
                policies: self.policies.clone(),
                bound_cidrs: self.bound_cidrs.clone(),
                ttl: self.ttl,
                max_ttl: self.max_ttl,
                period: self.period,
                num_uses: self.num_uses,
            },
        }
    }

    pub fn set_token_params(&mut self, t: TokenParams) {
        self.token_bound_cidrs = t.bound_cidrs;
        self.token_explicit_max_ttl = t.explicit_max_ttl;
        self.token_max_ttl = t.max_ttl;
        self.token_no_default_policy = t.no_default_policy;
        self.token_period = t.period;
        self.token_policies = t.policies;
        self.token_type = t.token_type;
        self.token_ttl = t.ttl;
        self.token_num_uses = t.num_uses;
        self.token_strictly_bind_ip = t.strictly_bind_ip;
        self.policies = t.legacy.policies;
        self.bound_cidrs = t.legacy.bound_cidrs;
        self.ttl = t.legacy.ttl;
        self.max_ttl = t.legacy.max_ttl;
        self.period = t.legacy.period;
        self.num_uses = t.legacy.num_uses;
    }

    /// The read output (spec §4.3), keys sorted as Vault prints them.
    pub fn to_data(&self) -> Map<String, Value> {
        let mut d: BTreeMap<&str, Value> = BTreeMap::new();
        let opt_list = |v: &Option<Vec<String>>| match v {
            Some(l) => Value::from(l.clone()),
            None => Value::Null,
        };
        let opt_map = |v: &Option<Map<String, Value>>| match v {
            Some(m) => Value::Object(m.clone()),
            None => Value::Null,
        };
        d.insert("role_type", self.role_type.clone().into());
        d.insert("expiration_leeway", self.expiration_leeway.into());
        d.insert("not_before_leeway", self.not_before_leeway.into());
        d.insert("clock_skew_leeway", self.clock_skew_leeway.into());
        d.insert("bound_audiences", opt_list(&self.bound_audiences));
        d.insert("bound_subject", self.bound_subject.clone().into());
        d.insert("bound_claims_type", self.bound_claims_type.clone().into());
        d.insert("bound_claims", opt_map(&self.bound_claims));
        d.insert("claim_mappings", opt_map(&self.claim_mappings));
        d.insert("oauth2_metadata", opt_list(&self.oauth2_metadata));
        d.insert("user_claim", self.user_claim.clone().into());
        d.insert(
            "user_claim_json_pointer",
            self.user_claim_json_pointer.into(),
        );
        d.insert("groups_claim", self.groups_claim.clone().into());
        d.insert(
            "allowed_redirect_uris",
            opt_list(&self.allowed_redirect_uris),
        );
        let callback = if self.callback_mode.is_empty() {
            "client".to_string()
        } else {
            self.callback_mode.clone()
        };
        d.insert("callback_mode", callback.into());
        d.insert("oidc_scopes", opt_list(&self.oidc_scopes));
        d.insert("verbose_oidc_logging", self.verbose_oidc_logging.into());
        d.insert("max_age", self.max_age.into());
        d.insert(
            "token_policies_template_claims",
            self.token_policies_template_claims.into(),
        );
        d.insert(
            "oidc_disable_confirmation",
            self.oidc_disable_confirmation.into(),
        );
        d.insert("token_bound_cidrs", self.token_bound_cidrs.clone().into());
        d.insert("token_explicit_max_ttl", self.token_explicit_max_ttl.into());
        d.insert("token_max_ttl", self.token_max_ttl.into());
        d.insert(
            "token_no_default_policy",
            self.token_no_default_policy.into(),
        );
        d.insert("token_period", self.token_period.into());
        d.insert("token_policies", self.token_policies.clone().into());
        d.insert("token_type", self.token_type.clone().into());
        d.insert("token_ttl", self.token_ttl.into());
        d.insert("token_num_uses", self.token_num_uses.into());
        d.insert("token_strictly_bind_ip", self.token_strictly_bind_ip.into());
        if self.poll_interval > 0 {
            d.insert("poll_interval", self.poll_interval.into());
        }
        if !self.policies.is_empty() {
            d.insert("policies", self.token_policies.clone().into());
        }
        if !self.bound_cidrs.is_empty() {
            d.insert("bound_cidrs", self.token_bound_cidrs.clone().into());
        }
        if self.ttl > 0 {
            d.insert("ttl", self.token_ttl.into());
        }
        if self.max_ttl > 0 {
            d.insert("max_ttl", self.token_max_ttl.into());
        }
        if self.period > 0 {
            d.insert("period", self.token_period.into());
        }
        if self.num_uses > 0 {
            d.insert("num_uses", self.token_num_uses.into());
        }
        d.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// Whether the role binds anything (spec §4.2 step 14).
    pub fn has_bound_constraint(&self) -> bool {
        self.bound_audiences.as_ref().is_some_and(|a| !a.is_empty())
            || !self.token_bound_cidrs.is_empty()
            || !self.bound_subject.is_empty()
            || self.bound_claims.as_ref().is_some_and(|m| !m.is_empty())
    }
}

/// Loads a role (name already lower-cased), with the legacy upgrade applied.
pub fn load(storage: &dyn Storage, name: &str) -> Result<Option<Role>> {
    let mut role: Option<Role> = storage.get_as(&format!("{ROLE_PREFIX}{name}"))?;
    if let Some(r) = role.as_mut() {
        r.upgrade();
    }
    Ok(role)
}

/// Vault's `GenericNameRegex`, the rule of a role name.
pub fn valid_name(name: &str) -> bool {
    crate::framework::is_generic_name(name)
}

const ROLE_HELP_SYN: &str = "Register an role with the backend.";
const ROLE_HELP_DESC: &str = "A role is required to authenticate with this backend. The role binds
		JWT token information with token policies and settings.
		The bindings, token polices and token settings can all be configured
		using this endpoint";

/// The `role/<name>` path as OpenBao's jwt plugin declares it (`pathRole`).
pub fn role_path() -> Path {
    use FieldType::*;
    let mut fields = vec![
        FieldSchema::new("name", LowerCaseString, "Name of the role."),
        FieldSchema::new(
            "role_type",
            String,
            "Type of the role, either 'jwt' or 'oidc'.",
        ),
    ];
    fields.extend(tokenutil::deprecated_fields());
    fields.extend([
        FieldSchema::new("expiration_leeway", SignedDurationSecond, "Duration in seconds of leeway when validating expiration of a token to account for clock skew.
Defaults to 150 (2.5 minutes) if set to 0 and can be disabled if set to -1."),
        FieldSchema::new("not_before_leeway", SignedDurationSecond, "Duration in seconds of leeway when validating not before values of a token to account for clock skew. 
Defaults to 150 (2.5 minutes) if set to 0 and can be disabled if set to -1."),
        FieldSchema::new("clock_skew_leeway", SignedDurationSecond, "Duration in seconds of leeway when validating all claims to account for clock skew.
Defaults to 60 (1 minute) if set to 0 and can be disabled if set to -1."),
        FieldSchema::new("bound_subject", String, "The 'sub' claim that is valid for login. Optional."),
        FieldSchema::new("bound_audiences", CommaStringSlice, "Comma-separated list of 'aud' claims that are valid for login; any match is sufficient"),
        FieldSchema::new("bound_claims_type", String, "How to interpret values in the map of claims/values (which must match for login): allowed values are 'string' or 'glob'"),
        FieldSchema::new("bound_claims", Map, "Map of claims/values which must match for login"),
        FieldSchema::new("claim_mappings", KvPairs, "Mappings of claims (key) that will be copied to a metadata field (value)"),
        FieldSchema::new("oauth2_metadata", CommaStringSlice, "Comma-separated list of one or more of access_token, id_token, refresh_token to return in metadata"),
        FieldSchema::new("user_claim", String, "The claim to use for the Identity entity alias name"),
        FieldSchema::new("user_claim_json_pointer", Bool, "If true, the user_claim value will use JSON pointer syntax
for referencing claims."),
        FieldSchema::new("groups_claim", String, "The claim to use for the Identity group alias names"),
        FieldSchema::new("oidc_scopes", CommaStringSlice, "Comma-separated list of OIDC scopes"),
        FieldSchema::new("allowed_redirect_uris", CommaStringSlice, "Comma-separated list of allowed values for redirect_uri"),
        FieldSchema::new("callback_mode", String, "OIDC callback mode from Authorization Server: allowed values are 'device' for device flow, 'direct' to server, or 'client', default 'client'"),
        FieldSchema::new("poll_interval", Int, "poll interval in seconds for device and direct flows, default value from Authorization Server for device flow, or '5'"),
        FieldSchema::new("verbose_oidc_logging", Bool, "Log received OIDC tokens and claims when debug-level logging is active.
Not recommended in production since sensitive information may be present
in OIDC responses."),
        FieldSchema::new("max_age", DurationSecond, "Specifies the allowable elapsed time in seconds since the last time the
user was actively authenticated."),
        FieldSchema::new("token_policies_template_claims", Bool, "When enabled, allows token_policies to be templated
based upon claims in the JWT or OIDC ID token. Empty policies are ignored."),
        FieldSchema::new("oidc_disable_confirmation", Bool, "If set to true, disables the interactive confirmation page shown
during OIDC direct callback mode login. The confirmation step is enabled by default, as a security
measure against token-hijacking attacks (see RFC 8628 5.4)."),
    ]);
    fields.extend(tokenutil::token_fields());
    Path {
        pattern: r"^role/(?P<name>\w(([\w-.]+)?\w)?)$",
        fields,
        operations: &[
            Operation::Read,
            Operation::Create,
            Operation::Update,
            Operation::Delete,
        ],
        existence_check: true,
        takes_arbitrary_input: false,
        synopsis: ROLE_HELP_SYN,
        description: ROLE_HELP_DESC,
    }
}

/// The `role/` list path (`pathRoleList`).
pub fn role_list_path() -> Path {
    Path {
        pattern: "^role/?$",
        fields: vec![
            FieldSchema::new(
                "after",
                FieldType::String,
                "Optional entry to list begin listing after, not required to exist.",
            ),
            FieldSchema::new(
                "limit",
                FieldType::Int,
                "Optional number of entries to return; defaults to all entries.",
            ),
        ],
        operations: &[Operation::List],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "Lists all the roles registered with the backend.",
        description: "The list will contain the names of the roles.",
    }
}

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let path = req.path.as_str();
    if path == "role" || path == "role/" {
        return role_list_path().handle(req, &[], |d| list(ctx, d));
    }
    let name = match path.strip_prefix(ROLE_PREFIX) {
        Some(n) if valid_name(n) => n.to_lowercase(),
        _ => return Err(Error::unsupported_path()),
    };
    // Default mode: `bound_claims` given as `key=value` text is read as a map (and the
    // write warns what OpenBao would answer).
    let mut kv_bound_claims = None;
    let mut text_claims_req;
    let mut req = req;
    if ctx.settings.compat == Compat::Default && req.operation != Operation::Read {
        if let Some(raw @ (Value::String(_) | Value::Array(_))) = req.data.get("bound_claims") {
            if let (Err(detail), Some(m)) = (field::map(raw), parse_bound_claims_text(raw)) {
                kv_bound_claims = Some(detail);
                text_claims_req = req.clone();
                text_claims_req
                    .data
                    .insert("bound_claims".into(), Value::Object(m));
                req = &text_claims_req;
            }
        }
    }
    // Default mode: `claim_mappings` given as JSON object text is read as that object.
    let mut json_claim_mappings = None;
    let mut json_mappings_req;
    if ctx.settings.compat == Compat::Default && req.operation != Operation::Read {
        if let Some(raw @ Value::String(text)) = req.data.get("claim_mappings") {
            let parsed = serde_json::from_str::<Map<String, Value>>(text.trim()).ok();
            if let (Err(detail), Some(m)) = (field::kv_pairs("claim_mappings", raw), parsed) {
                if m.values().all(Value::is_string) {
                    json_claim_mappings = Some((detail, Value::Object(m.clone())));
                    json_mappings_req = req.clone();
                    json_mappings_req
                        .data
                        .insert("claim_mappings".into(), Value::Object(m));
                    req = &json_mappings_req;
                }
            }
        }
    }
    let compat = ctx.settings.compat;
    role_path().handle_in(compat, req, &[("name", &name)], |d| match req.operation {
        Operation::Read => Ok(load(&ctx.storage, &name)?.map(|r| Response::data(r.to_data()))),
        Operation::Create | Operation::Update => {
            let mut resp = write(ctx, d, &name, kv_bound_claims)?;
            if let Some((detail, m)) = json_claim_mappings {
                resp.get_or_insert_with(Response::default).warnings.push(format!(
                    "claim_mappings was given as JSON text and read as {m}. OpenBao accepts key=value pairs here (claim_mappings=claim=key, repeated) or a JSON object in a JSON body, and would refuse this write with: {}",
                    field::conversion_error("claim_mappings", &detail)
                ));
            }
            Ok(resp)
        }
        _ => {
            ctx.storage.delete(&format!("{ROLE_PREFIX}{name}"))?;
            Ok(None)
        }
    })
}

fn list(ctx: &BackendContext, d: &FieldData) -> Result<Option<Response>> {
    let after = d.str("after").unwrap_or_default();
    let limit = d.int("limit").unwrap_or(0);
    let mut keys: Vec<String> = ctx
        .storage
        .list(ROLE_PREFIX)?
        .into_iter()
        .filter(|k| !k.ends_with('/'))
        .filter(|k| after.is_empty() || k.as_str() > after.as_str())
        .collect();
    keys.sort();
    if limit > 0 {
        keys.truncate(limit as usize);
    }
    if keys.is_empty() {
        return Ok(None);
    }
    Ok(Some(Response::json(serde_json::json!({ "keys": keys }))))
}

/// Default mode: `bound_claims` as text. A JSON object text is read as JSON; otherwise
/// `key=value` pairs separated by commas (an item without `=` adds a value to the previous
/// key), or the key repeated. A key given several values gets a list.
pub fn parse_bound_claims_text(raw: &Value) -> Option<Map<String, Value>> {
    let items: Vec<String> = match raw {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    if let [one] = items.as_slice() {
        if one.trim_start().starts_with('{') {
            return match serde_json::from_str::<Value>(one) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            };
        }
    }
    let mut out: Map<String, Value> = Map::new();
    let mut last_key: Option<String> = None;
    for item in &items {
        for part in item.split(',') {
            let part = part.trim();
            let (key, value) = match part.split_once('=') {
                Some((k, v)) => {
                    let k = k.trim();
                    if k.is_empty() {
                        return None;
                    }
                    (k.to_string(), v.trim().to_string())
                }
                None => match &last_key {
                    Some(k) if !part.is_empty() => (k.clone(), part.to_string()),
                    _ => return None,
                },
            };
            last_key = Some(key.clone());
            match out.get_mut(&key) {
                None => {
                    out.insert(key, Value::String(value));
                }
                Some(Value::Array(list)) => list.push(Value::String(value)),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, Value::String(value)]);
                }
            }
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// The default-mode warning for a role written without `role_type`.
pub const WARN_ROLE_TYPE_JWT: &str = "role_type was not set, so this role was created as a \"jwt\" role. OpenBao would make it an \"oidc\" role and refuse the write with: 'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified. Set role_type=jwt explicitly to be compatible.";

/// The default-mode notice for an update that omits `bound_claims_type` on a glob role
/// (OpenBao resets it to "string" silently, and so does vaultjwt).
pub const WARN_BOUND_CLAIMS_TYPE_RESET: &str = "bound_claims_type was not set, so it was reset to \"string\", as OpenBao resets it on every write that omits it: the role's bound_claims are now matched literally, not as globs. Repeat bound_claims_type=glob to keep glob matching.";

/// The default-mode warning for an update that omits `role_type` on a jwt role.
pub const WARN_ROLE_TYPE_KEPT: &str = "role_type was not set, so the role keeps its type \"jwt\". OpenBao resets role_type to \"oidc\" on every write that omits it and would refuse this write with: 'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified. Repeat role_type=jwt to be compatible.";

fn write(
    ctx: &BackendContext,
    p: &FieldData,
    name: &str,
    kv_bound_claims: Option<String>,
) -> Result<Option<Response>> {
    let compat = ctx.settings.compat;
    let mut warnings: Vec<String> = Vec::new();

    // 1. Existing role or empty.
    let existing = load(&ctx.storage, name)?;
    let is_new = existing.is_none();
    let mut role = existing.unwrap_or_default();

    // 2. role_type.
    // `null` and `""` are unspecified, as in OpenBao.
    let role_type = match p.str("role_type").filter(|t| !t.is_empty()) {
        Some(t) => t,
        None if compat == Compat::Default => {
            if !is_new {
                if role.role_type == "jwt" {
                    warnings.push(WARN_ROLE_TYPE_KEPT.to_string());
                }
                role.role_type.clone()
            } else if p
                .list("allowed_redirect_uris")
                .is_some_and(|l| !l.is_empty())
            {
                "oidc".to_string()
            } else {
                warnings.push(WARN_ROLE_TYPE_JWT.to_string());
                "jwt".to_string()
            }
        }
        None => "oidc".to_string(),
    };
    if role_type != "jwt" && role_type != "oidc" {
        return Err(Error::bad_request(format!(
            "invalid 'role_type': {role_type}"
        )));
    }
    role.role_type = role_type;

    // 3. Token fields (tokenutil.ParseTokenFields), 4. the deprecated names.
    let mut token = role.token_params();
    token.parse(p).map_err(Error::bad_request)?;
    token.upgrade_deprecated(p).map_err(Error::bad_request)?;
    role.set_token_params(token);

    // 5. Period against the mount's maximum.
    let mount_max = ctx.mount.max_ttl();
    if role.token_period > mount_max {
        return Err(Error::bad_request(format!(
            "'period' of '{}' is greater than the backend's maximum lease TTL of '{}'",
            go_quote(&go::duration_string(role.token_period)),
            go_quote(&go::duration_string(mount_max)),
        )));
    }

    // 6.
    if let Some(v) = p.int("expiration_leeway") {
        role.expiration_leeway = v;
    }
    if let Some(v) = p.int("not_before_leeway") {
        role.not_before_leeway = v;
    }
    if let Some(v) = p.int("clock_skew_leeway") {
        role.clock_skew_leeway = v;
    }
    if let Some(v) = p.list("bound_audiences") {
        role.bound_audiences = Some(v);
    }
    if let Some(v) = p.str("bound_subject") {
        role.bound_subject = v;
    }
    if let Some(v) = p.bool("verbose_oidc_logging") {
        role.verbose_oidc_logging = v;
    }
    if let Some(v) = p.int("max_age") {
        role.max_age = v;
    }
    if let Some(v) = p.bool("token_policies_template_claims") {
        role.token_policies_template_claims = v;
    }

    // 7. bound_claims_type, then bound_claims.
    let given_bct = p.str("bound_claims_type");
    if given_bct.is_none() && compat == Compat::Default && role.bound_claims_type == "glob" {
        warnings.push(WARN_BOUND_CLAIMS_TYPE_RESET.to_string());
    }
    let bct = given_bct.unwrap_or_else(|| "string".into());
    if bct != "string" && bct != "glob" {
        return Err(Error::bad_request(format!(
            "invalid 'bound_claims_type': {bct}"
        )));
    }
    role.bound_claims_type = bct;
    if let Some(bc) = p.map_or_nil("bound_claims") {
        if role.bound_claims_type == "glob" {
            check_glob_values(bc.as_ref()).map_err(Error::bad_request)?;
        }
        if let (Some(detail), Some(bc)) = (&kv_bound_claims, &bc) {
            warnings.push(format!(
                "bound_claims was given as key=value text and read as {}. OpenBao accepts only a JSON object here (send the role as a JSON body) and would refuse this write with: {}",
                Value::Object(bc.clone()),
                field::conversion_error("bound_claims", detail)
            ));
        }
        role.bound_claims = bc;
    }

    // 8. claim_mappings.
    if let Some(cm) = p.map_or_nil("claim_mappings") {
        let mut targets: Vec<&str> = Vec::new();
        for target in cm.iter().flat_map(|m| m.values()) {
            let t = target.as_str().unwrap_or_default();
            if t == "role" {
                return Err(Error::bad_request(format!(
                    "metadata key {} is reserved and may not be a mapping destination",
                    go_quote(t)
                )));
            }
            if targets.contains(&t) {
                return Err(Error::bad_request(format!(
                    "multiple keys are mapped to metadata key {}",
                    go_quote(t)
                )));
            }
            targets.push(t);
        }
        role.claim_mappings = cm;
    }

    // 9. oauth2_metadata.
    if let Some(list) = p.list("oauth2_metadata") {
        for v in &list {
            if !matches!(v.as_str(), "id_token" | "refresh_token" | "access_token") {
                return Err(Error::bad_request(format!(
                    "Unrecognized oauth2 metadata name {v}"
                )));
            }
        }
        role.oauth2_metadata = Some(list);
    }

    // 10. user_claim.
    if let Some(v) = p.str("user_claim") {
        role.user_claim = v;
    }
    if role.user_claim.is_empty() {
        return Err(Error::bad_request(
            "a user claim must be defined on the role",
        ));
    }

    // 11.
    if let Some(v) = p.bool("user_claim_json_pointer") {
        role.user_claim_json_pointer = v;
    }
    if let Some(v) = p.str("groups_claim") {
        role.groups_claim = v;
    }
    if let Some(v) = p.list("oidc_scopes") {
        role.oidc_scopes = Some(v);
    }
    if let Some(v) = p.list("allowed_redirect_uris") {
        role.allowed_redirect_uris = Some(v);
    }
    if let Some(v) = p.int("poll_interval") {
        role.poll_interval = v;
    }

    // 12.
    let cb = p.str("callback_mode").unwrap_or_else(|| "client".into());
    if !matches!(cb.as_str(), "client" | "direct" | "device") {
        return Err(Error::bad_request(format!("invalid 'callback_mode': {cb}")));
    }
    role.callback_mode = cb;
    role.oidc_disable_confirmation = p.bool("oidc_disable_confirmation").unwrap_or(false);

    // 13.
    if role.role_type == "oidc"
        && role
            .allowed_redirect_uris
            .as_ref()
            .is_none_or(|l| l.is_empty())
    {
        return Err(Error::bad_request(
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
        ));
    }

    // 14.
    if role.role_type != "oidc" && !role.has_bound_constraint() {
        return Err(Error::bad_request(
            "must have at least one bound constraint when creating/updating a role",
        ));
    }

    // 15.
    if role.token_max_ttl > 0 && role.token_ttl > role.token_max_ttl {
        return Err(Error::bad_request("ttl should not be greater than max ttl"));
    }

    // 16. Warnings.
    if role.token_max_ttl > mount_max {
        warnings.push("token max ttl is greater than the system or backend mount's maximum TTL value; issued tokens' max TTL value will be truncated".into());
    }
    if role.verbose_oidc_logging {
        warnings.push("verbose_oidc_logging has been enabled for this role. This is not recommended in production since sensitive information may be present in OIDC responses.".into());
    }
    if compat == Compat::Default
        && role.role_type == "jwt"
        && role.bound_audiences.as_ref().is_none_or(|a| a.is_empty())
    {
        let token_auds = config::load(ctx)?
            .map(|c| !c.token_audiences.is_empty())
            .unwrap_or(false);
        if !token_auds {
            warnings.push(WARN_NO_AUDIENCE.to_string());
        }
    }

    // 17. Policy templates must parse (a Go error in OpenBao: 500, which core wraps in a
    // multierror on this non-login request).
    if role.token_policies_template_claims {
        super::template::validate(&role.token_policies)
            .map_err(|e| Error::internal(crate::policy::parse::multierror(&[e])))?;
    }

    // 18. Store.
    ctx.storage
        .put_as(&format!("{ROLE_PREFIX}{name}"), &role)
        .map_err(Error::from)?;
    if warnings.is_empty() {
        return Ok(None);
    }
    Ok(Some(Response {
        warnings,
        ..Response::default()
    }))
}

/// The default-mode warning for a jwt role that binds no audience.
pub const WARN_NO_AUDIENCE: &str = "this role has no bound_audiences and the config sets no token_audiences: a token carrying an aud claim will be refused with \"audience claim found in JWT but no audiences bound to the role\" (as OpenBao does). Set bound_audiences on the role, or token_audiences on the config.";

/// Glob roles: every bound value must be a string or a list of strings (spec §4.1).
fn check_glob_values(bc: Option<&Map<String, Value>>) -> std::result::Result<(), String> {
    use crate::framework::go::go_v;
    for v in bc.iter().flat_map(|m| m.values()) {
        match v {
            Value::String(_) => {}
            Value::Array(items) => {
                for item in items {
                    if !item.is_string() {
                        return Err(format!("claim is not a string: {}", go_v(item)));
                    }
                }
            }
            Value::Number(_) | Value::Bool(_) => {
                return Err(format!("claim is not a string: {}", go_v(v)))
            }
            other => return Err(format!("claim is not a string or list: {}", go_v(other))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::MountEntry;
    use crate::settings::Settings;
    use crate::storage::{MemoryStorage, View};
    use serde_json::json;

    struct Env {
        storage: MemoryStorage,
        mount: MountEntry,
        settings: Settings,
    }

    impl Env {
        fn new(compat: Compat) -> Env {
            Env {
                storage: MemoryStorage::default(),
                mount: MountEntry::new("jwt/", "jwt", ""),
                settings: Settings {
                    compat,
                    ..Settings::default()
                },
            }
        }
        fn ctx(&self) -> BackendContext<'_> {
            BackendContext {
                storage: View::new(&self.storage, "auth/x/"),
                mount: &self.mount,
                settings: &self.settings,
                now: 1_000_000,
            }
        }
        fn req(&self, op: Operation, path: &str, data: Value) -> Result<Option<Response>> {
            let data = match data {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            handle(&self.ctx(), &Request::new(op, path).with_data(data))
        }
        fn write(&self, name: &str, data: Value) -> Result<Option<Response>> {
            self.req(Operation::Update, &format!("role/{name}"), data)
        }
        fn read(&self, name: &str) -> Option<Map<String, Value>> {
            self.req(Operation::Read, &format!("role/{name}"), json!({}))
                .unwrap()
                .and_then(|r| r.data)
        }
        fn err(&self, name: &str, data: Value) -> String {
            self.write(name, data).unwrap_err().message()
        }
    }

    #[test]
    fn names() {
        assert!(valid_name("a"));
        assert!(valid_name("my-role.v1"));
        assert!(valid_name("My_Role"));
        assert!(!valid_name("-a"));
        assert!(!valid_name("a-"));
        assert!(!valid_name(""));
        assert!(!valid_name("a/b"));
        assert!(!valid_name("a b"));
    }

    #[test]
    fn crud_read_shape_and_list() {
        let e = Env::new(Compat::OpenBao);
        assert!(e
            .write("Alpha", json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault", "token_policies": "a"}))
            .unwrap()
            .is_none());
        e.write("beta", json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault", "token_ttl": "10m"}))
            .unwrap();
        let d = e.read("alpha").unwrap();
        assert_eq!(d["role_type"], json!("jwt"));
        assert_eq!(d["bound_audiences"], json!(["vault"]));
        assert_eq!(d["bound_claims"], Value::Null);
        assert_eq!(d["claim_mappings"], Value::Null);
        assert_eq!(d["allowed_redirect_uris"], Value::Null);
        assert_eq!(d["token_bound_cidrs"], json!([]));
        assert_eq!(d["token_policies"], json!(["a"]));
        assert_eq!(d["token_type"], json!("default"));
        assert_eq!(d["callback_mode"], json!("client"));
        assert_eq!(d["bound_claims_type"], json!("string"));
        assert!(!d.contains_key("policies"));
        assert!(!d.contains_key("poll_interval"));
        assert_eq!(d.len(), 30);
        let keys: Vec<&String> = d.keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(e.read("beta").unwrap()["token_ttl"], json!(600));

        let list = e.req(Operation::List, "role/", json!({})).unwrap().unwrap();
        assert_eq!(list.data.unwrap()["keys"], json!(["alpha", "beta"]));
        let list = e
            .req(
                Operation::List,
                "role",
                json!({"after": "alpha", "limit": "5"}),
            )
            .unwrap()
            .unwrap();
        assert_eq!(list.data.unwrap()["keys"], json!(["beta"]));

        assert!(e
            .req(Operation::Delete, "role/alpha", json!({}))
            .unwrap()
            .is_none());
        assert!(e
            .req(Operation::Delete, "role/alpha", json!({}))
            .unwrap()
            .is_none());
        assert!(e.read("alpha").is_none());
        e.req(Operation::Delete, "role/beta", json!({})).unwrap();
        assert!(e
            .req(Operation::List, "role/", json!({}))
            .unwrap()
            .is_none());
        assert_eq!(
            e.req(Operation::Read, "role/-bad", json!({}))
                .unwrap_err()
                .status,
            404
        );
    }

    #[test]
    fn openbao_errors_in_order() {
        let e = Env::new(Compat::OpenBao);
        let base = |extra: Value| {
            let mut m =
                json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault"});
            if let (Some(o), Value::Object(x)) = (m.as_object_mut(), extra) {
                o.extend(x);
            }
            m
        };
        assert_eq!(
            e.err("r", base(json!({"token_ttl": "forever"}))),
            "error converting input for field \"token_ttl\": time: invalid duration \"forever\""
        );
        assert_eq!(
            e.err("r", base(json!({"token_max_ttl": "-5m"}))),
            "error converting input for field \"token_max_ttl\": cannot provide negative value '-300'"
        );
        assert_eq!(
            e.err(
                "r",
                json!({"user_claim": "sub", "bound_audiences": "vault"})
            ),
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."
        );
        assert_eq!(
            e.err("r", base(json!({"role_type": "bogus"}))),
            "invalid 'role_type': bogus"
        );
        assert_eq!(
            e.err("r", json!({"role_type": "jwt", "user_claim": "sub"})),
            "must have at least one bound constraint when creating/updating a role"
        );
        assert_eq!(
            e.err("r", base(json!({"token_type": "bogus"}))),
            "invalid 'token_type' value \"bogus\""
        );
        assert_eq!(
            e.err("r", base(json!({"token_type": "default-service"}))),
            "invalid 'token_type' value \"default-service\""
        );
        assert_eq!(
            e.err("r", base(json!({"token_num_uses": "-1"}))),
            "'token_num_uses' cannot be negative"
        );
        assert_eq!(
            e.err("r", base(json!({"token_type": "batch", "token_period": "1h"}))),
            "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens"
        );
        assert_eq!(
            e.err("r", base(json!({"token_ttl": "2h", "token_max_ttl": "1h"}))),
            "'token_ttl' cannot be greater than 'token_max_ttl'"
        );
        assert_eq!(
            e.err("r", base(json!({"ttl": "2h", "max_ttl": "1h"}))),
            "ttl should not be greater than max ttl"
        );
        assert_eq!(
            e.err("r", base(json!({"token_period": "800h"}))),
            "'period' of '\"800h0m0s\"' is greater than the backend's maximum lease TTL of '\"768h0m0s\"'"
        );
        assert_eq!(
            e.err("r", base(json!({"bound_claims": "groups=developers"}))),
            "error converting input for field \"bound_claims\": '' expected type 'map[string]interface {}', got unconvertible type 'string'"
        );
        assert_eq!(
            e.err("r", base(json!({"bound_claims_type": "regex"}))),
            "invalid 'bound_claims_type': regex"
        );
        assert_eq!(
            e.err(
                "r",
                base(json!({"bound_claims_type": "glob", "bound_claims": {"a": 5}}))
            ),
            "claim is not a string: 5"
        );
        assert_eq!(
            e.err(
                "r",
                base(json!({"bound_claims_type": "glob", "bound_claims": {"a": {"b": "c"}}}))
            ),
            "claim is not a string or list: map[b:c]"
        );
        assert_eq!(
            e.err("r", base(json!({"claim_mappings": {"email": "role"}}))),
            "metadata key \"role\" is reserved and may not be a mapping destination"
        );
        assert_eq!(
            e.err("r", base(json!({"claim_mappings": {"a": "x", "b": "x"}}))),
            "multiple keys are mapped to metadata key \"x\""
        );
        assert_eq!(
            e.err("r", base(json!({"oauth2_metadata": "id_token,bogus"}))),
            "Unrecognized oauth2 metadata name bogus"
        );
        assert_eq!(
            e.err("r", json!({"role_type": "jwt", "bound_audiences": "v"})),
            "a user claim must be defined on the role"
        );
        assert_eq!(
            e.err("r", base(json!({"callback_mode": "x"}))),
            "invalid 'callback_mode': x"
        );
        e.write(
            "sock",
            base(json!({"token_bound_cidrs": "10.0.0.0/33,/tmp/x"})),
        )
        .unwrap();
        // A UNIX socket's quoted String(), quoted again when read back (as bao 2.7.2 shows).
        assert_eq!(
            e.read("sock").unwrap()["token_bound_cidrs"],
            json!(["\"\\\"10.0.0.0/33\\\"\"", "\"\\\"/tmp/x\\\"\""])
        );
        assert!(!cidrs_contain(
            &["10.0.0.0/33".into()],
            "10.0.0.1".parse().unwrap()
        ));
        e.req(Operation::Delete, "role/sock", json!({})).unwrap();
        assert_eq!(
            e.err("r", base(json!({"token_bound_cidrs": "nope"}))),
            "error parsing address \"nope\": Unable to convert \"nope\" to an IPv4 or IPv6 address, or a UNIX Socket"
        );
        assert_eq!(
            e.err(
                "r",
                base(json!({"token_strictly_bind_ip": true, "token_bound_cidrs": "10.0.0.0/8"}))
            ),
            "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one"
        );
        // Nothing was stored by the failures.
        assert!(e.read("r").is_none());
    }

    #[test]
    fn resets_and_keeps_on_update() {
        let e = Env::new(Compat::OpenBao);
        e.write(
            "r",
            json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "v",
                             "bound_claims_type": "glob", "bound_claims": {"g": "dev*"},
                             "groups_claim": "groups", "token_policies": "P1"}),
        )
        .unwrap();
        // Without role_type OpenBao resets to oidc and refuses.
        assert_eq!(
            e.err("r", json!({"bound_subject": "s"})),
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."
        );
        e.write("r", json!({"role_type": "jwt", "bound_subject": "s"}))
            .unwrap();
        let d = e.read("r").unwrap();
        assert_eq!(d["bound_claims_type"], json!("string"));
        assert_eq!(d["bound_claims"], json!({"g": "dev*"}));
        assert_eq!(d["groups_claim"], json!("groups"));
        assert_eq!(d["bound_subject"], json!("s"));
        assert_eq!(d["token_policies"], json!(["P1"]));
    }

    #[test]
    fn deprecated_names_and_cidrs() {
        let e = Env::new(Compat::OpenBao);
        e.write("r", json!({"role_type": "jwt", "user_claim": "sub",
                             "policies": "B, a,a,,", "ttl": "1h", "bound_cidrs": "127.0.0.1/32,10.0.0.1/8"}))
            .unwrap();
        let d = e.read("r").unwrap();
        assert_eq!(d["policies"], json!(["a", "b"]));
        assert_eq!(d["token_policies"], json!(["a", "b"]));
        assert_eq!(d["ttl"], json!(3600));
        assert_eq!(d["token_ttl"], json!(3600));
        assert_eq!(d["bound_cidrs"], json!(["127.0.0.1", "10.0.0.1/8"]));
        // The new names clear the old ones.
        e.write(
            "r",
            json!({"role_type": "jwt", "token_policies": "X", "token_ttl": 60}),
        )
        .unwrap();
        let d = e.read("r").unwrap();
        assert!(!d.contains_key("policies"));
        assert!(!d.contains_key("ttl"));
        assert_eq!(d["token_policies"], json!(["X"]));
        assert!(cidrs_contain(
            &["127.0.0.0/8".into()],
            "127.0.0.1".parse().unwrap()
        ));
        assert!(cidrs_contain(
            &["127.0.0.1".into()],
            "127.0.0.1".parse().unwrap()
        ));
        assert!(!cidrs_contain(
            &["10.0.0.1/8".into()],
            "127.0.0.1".parse().unwrap()
        ));
        assert!(cidrs_contain(
            &["10.0.0.1/8".into()],
            "10.9.9.9".parse().unwrap()
        ));
    }

    #[test]
    fn legacy_role_upgraded_on_load() {
        let e = Env::new(Compat::OpenBao);
        e.ctx()
            .storage
            .put(
                "role/old",
                &json!({"user_claim": "sub", "bound_subject": "s", "policies": ["p"],
                        "ttl": 60, "bound_cidrs": ["10.0.0.0/8"]}),
            )
            .unwrap();
        let d = e.read("old").unwrap();
        assert_eq!(d["role_type"], json!("jwt"));
        assert_eq!(d["bound_claims_type"], json!("string"));
        assert_eq!(d["token_type"], json!("default"));
        assert_eq!(d["token_policies"], json!(["p"]));
        assert_eq!(d["policies"], json!(["p"]));
        assert_eq!(d["token_ttl"], json!(60));
        assert_eq!(d["ttl"], json!(60));
        assert_eq!(d["token_bound_cidrs"], json!(["10.0.0.0/8"]));
        assert_eq!(d["callback_mode"], json!("client"));
    }

    #[test]
    fn default_mode_names_what_openbao_ignores_or_resets_silently() {
        let base = json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": "a"});
        let with = |extra: Value| {
            let mut m = base.as_object().unwrap().clone();
            m.extend(extra.as_object().unwrap().clone());
            Value::Object(m)
        };
        // A misspelled parameter on a write that has nothing else to say.
        let strict = Env::new(Compat::OpenBao);
        assert!(strict
            .write("r", with(json!({"user_claim_typo": "2"})))
            .unwrap()
            .is_none());
        let e = Env::new(Compat::Default);
        let resp = e
            .write("r", with(json!({"user_claim_typo": "2"})))
            .unwrap()
            .unwrap();
        assert_eq!(
            resp.warnings,
            vec!["Endpoint ignored these unrecognized parameters: [user_claim_typo]".to_string()]
        );
        // bound_claims_type reset on a partial update of a glob role.
        e.write(
            "g",
            with(json!({"bound_claims_type": "glob", "bound_claims": {"g": "dev*"}})),
        )
        .unwrap();
        let resp = e.write("g", base.clone()).unwrap().unwrap();
        assert_eq!(
            resp.warnings,
            vec![WARN_BOUND_CLAIMS_TYPE_RESET.to_string()]
        );
        assert_eq!(e.read("g").unwrap()["bound_claims_type"], json!("string"));
        assert!(strict
            .write(
                "g",
                with(json!({"bound_claims_type": "glob", "bound_claims": {"g": "dev*"}}))
            )
            .unwrap()
            .is_none());
        assert!(strict.write("g", base.clone()).unwrap().is_none());
        // claim_mappings as JSON text: read as the object in default mode, refused in strict.
        let cm = with(json!({"claim_mappings": "{\"email\": \"mail\"}"}));
        assert_eq!(
            strict.err("c", cm.clone()),
            "error converting input for field \"claim_mappings\": invalid key pair at index 0 in field \"claim_mappings\""
        );
        let resp = e.write("c", cm).unwrap().unwrap();
        assert!(resp.warnings[0].starts_with("claim_mappings was given as JSON text"));
        assert_eq!(
            e.read("c").unwrap()["claim_mappings"],
            json!({"email": "mail"})
        );
    }

    #[test]
    fn default_mode_walkthrough_role() {
        let e = Env::new(Compat::Default);
        let resp = e
            .write(
                "developer-role",
                json!({"user_claim": "sub", "groups_claim": "groups",
                   "token_policies": "developer-policy", "bound_claims_type": "glob",
                   "bound_claims": "groups=developers"}),
            )
            .unwrap()
            .unwrap();
        assert!(resp.warnings.iter().any(|w| w == WARN_ROLE_TYPE_JWT));
        assert!(resp
            .warnings
            .iter()
            .any(|w| w.contains("bound_claims was given as key=value")));
        assert!(resp.warnings.iter().any(|w| w == WARN_NO_AUDIENCE));
        let d = e.read("developer-role").unwrap();
        assert_eq!(d["role_type"], json!("jwt"));
        assert_eq!(d["bound_claims"], json!({"groups": "developers"}));
        assert_eq!(d["bound_claims_type"], json!("glob"));
        // An update without role_type keeps jwt.
        let resp = e
            .write(
                "developer-role",
                json!({"bound_audiences": "vault-aud-value"}),
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            resp.warnings,
            vec![
                WARN_ROLE_TYPE_KEPT.to_string(),
                WARN_BOUND_CLAIMS_TYPE_RESET.to_string()
            ]
        );
        assert_eq!(e.read("developer-role").unwrap()["role_type"], json!("jwt"));
        // With redirect URIs and no role_type it is oidc, as in OpenBao.
        e.write(
            "web",
            json!({"user_claim": "sub", "allowed_redirect_uris": "http://x/cb"}),
        )
        .unwrap();
        assert_eq!(e.read("web").unwrap()["role_type"], json!("oidc"));
    }

    #[test]
    fn bound_claims_text_forms() {
        let p = |v: Value| parse_bound_claims_text(&v);
        assert_eq!(
            p(json!("groups=developers")),
            Some(map(json!({"groups": "developers"})))
        );
        assert_eq!(
            p(json!("groups=a,team=b")),
            Some(map(json!({"groups": "a", "team": "b"})))
        );
        assert_eq!(
            p(json!("groups=a,b")),
            Some(map(json!({"groups": ["a", "b"]})))
        );
        assert_eq!(
            p(json!(["groups=a", "groups=b"])),
            Some(map(json!({"groups": ["a", "b"]})))
        );
        assert_eq!(p(json!("{\"a\": 1}")), Some(map(json!({"a": 1}))));
        assert_eq!(p(json!("nonsense")), None);
        assert_eq!(p(json!("=x")), None);
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }
}
