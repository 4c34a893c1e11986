//! The `auth/token/...` endpoints (Vault's token store backend).

use super::ttl::{self, TtlInput};
use super::{lookup_data, sanitize_policies, NewToken, TokenEntry};
use crate::core::fields;
use crate::core::mounts::{self, MountEntry, SYSTEM_MAX_TTL};
use crate::core::{auth_backend, Auth, Backend, BackendContext, Caller, Error, Operation};
use crate::core::{Request, Response, Result};
use crate::framework::Routes;
use crate::storage::{Storage, View};
use serde_json::Map;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The token store's backend (`auth/token/`).
pub struct TokenBackend;

impl Backend for TokenBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let rel = req.path.trim_end_matches('/');
        let caller = req.caller.as_deref().ok_or_else(Error::permission_denied)?;
        let (handler, _) = routes().find(rel).ok_or_else(Error::unsupported_path)?;
        let write = matches!(req.operation, Operation::Update | Operation::Create);
        let read_or_write = write || req.operation == Operation::Read;
        let allowed = match handler.ops {
            Ops::Write => write,
            Ops::ReadOrWrite => read_or_write,
            Ops::List => req.operation == Operation::List,
        };
        if !allowed {
            return Err(Error::unsupported_operation());
        }
        (handler.run)(ctx, req, caller, rel)
    }

    fn is_builtin(&self) -> bool {
        true
    }
}

/// The operations a token store path takes.
enum Ops {
    Write,
    ReadOrWrite,
    List,
}

/// A path of the token store: the operations it takes and its handler (given the path
/// relative to the mount, without trailing slashes).
struct Route {
    ops: Ops,
    run: fn(&BackendContext, &Request, &Caller, &str) -> Result<Option<Response>>,
}

/// The token store's paths, relative to `auth/token/`.
fn routes() -> &'static Routes<Route> {
    static ROUTES: OnceLock<Routes<Route>> = OnceLock::new();
    let route = |ops, run| Route { ops, run };
    ROUTES.get_or_init(|| {
        Routes::new(vec![
            ("create|create-orphan", route(Ops::Write, create_path)),
            ("lookup", route(Ops::ReadOrWrite, lookup_path)),
            ("lookup-self", route(Ops::ReadOrWrite, lookup_self)),
            ("lookup-accessor", route(Ops::Write, lookup_accessor)),
            (
                "renew|renew-self|renew-accessor",
                route(Ops::Write, renew_path),
            ),
            (
                "revoke|revoke-self|revoke-orphan",
                route(Ops::Write, revoke_path),
            ),
            ("revoke-accessor", route(Ops::Write, revoke_accessor)),
            // Sudo-protected (`SUDO_PATHS`); the ACL check has already asked for it.
            ("accessors", route(Ops::List, accessors)),
        ])
    })
}

/// The path of a request to the token store as the ACL sees it (`auth/token/create`).
fn full_path(ctx: &BackendContext, req: &Request) -> String {
    format!("{}{}", ctx.mount.full_path(), req.path)
}

fn create_path(
    ctx: &BackendContext,
    req: &Request,
    caller: &Caller,
    rel: &str,
) -> Result<Option<Response>> {
    create(ctx, req, caller, rel == "create-orphan", crate::core::now())
}
fn lookup_path(
    ctx: &BackendContext,
    req: &Request,
    caller: &Caller,
    _rel: &str,
) -> Result<Option<Response>> {
    let id = string_field(req, "token")?;
    let id = if id.is_empty() {
        caller.token.clone()
    } else {
        id
    };
    lookup(ctx, caller, &id, crate::core::now())
}

fn lookup_self(
    ctx: &BackendContext,
    _req: &Request,
    caller: &Caller,
    _rel: &str,
) -> Result<Option<Response>> {
    // The caller's entry as this request left it (its use already counted).
    let ip = identity_policies(ctx.system(), &caller.entry)?;
    Ok(Some(Response::data(lookup_data(
        &caller.entry,
        &caller.token,
        &ip,
        crate::core::now(),
    ))))
}

fn lookup_accessor(
    ctx: &BackendContext,
    req: &Request,
    _caller: &Caller,
    _rel: &str,
) -> Result<Option<Response>> {
    let now = crate::core::now();
    let accessor = string_field(req, "accessor")?;
    if accessor.is_empty() {
        return Err(Error::bad_request("missing accessor"));
    }
    let entry =
        super::lookup_by_accessor(ctx.system(), &accessor, now)?.ok_or_else(invalid_accessor)?;
    let ip = identity_policies(ctx.system(), &entry)?;
    Ok(Some(Response::data(lookup_data(&entry, "", &ip, now))))
}

/// `renew`, `renew-self`, `renew-accessor`.
fn renew_path(
    ctx: &BackendContext,
    req: &Request,
    caller: &Caller,
    rel: &str,
) -> Result<Option<Response>> {
    let now = crate::core::now();
    let increment = match req.data.get("increment") {
        Some(v) => super::duration_value(v)
            .map_err(|d| crate::framework::field_validation_failed("increment", &d))?,
        None => 0,
    };
    let entry = match rel {
        "renew-self" => find(ctx, caller, &caller.token, now)?,
        "renew" => {
            let id = string_field(req, "token")?;
            if id.is_empty() {
                return Err(Error::bad_request("missing token ID"));
            }
            find(ctx, caller, &id, now)?
        }
        _ => {
            let accessor = string_field(req, "accessor")?;
            if accessor.is_empty() {
                return Err(Error::bad_request("missing accessor"));
            }
            Some(
                super::lookup_by_accessor(ctx.system(), &accessor, now)?
                    .ok_or_else(invalid_accessor)?,
            )
        }
    };
    // A token on its last use is still valid for this request.
    let entry = match entry {
        Some(e) => e,
        None => return Err(Error::bad_request("token not found")),
    };
    // Vault does not show the token itself when renewing by accessor.
    let shown = match rel {
        "renew-self" => caller.token.clone(),
        "renew" => string_field(req, "token")?,
        _ => String::new(),
    };
    renew(ctx, entry, shown, increment, now).map(Some)
}

/// `revoke`, `revoke-self`, `revoke-orphan`.
fn revoke_path(
    ctx: &BackendContext,
    req: &Request,
    caller: &Caller,
    rel: &str,
) -> Result<Option<Response>> {
    let id = if rel == "revoke-self" {
        caller.token.clone()
    } else {
        string_field(req, "token")?
    };
    if id.is_empty() {
        return Err(Error::bad_request("missing token ID"));
    }
    if rel == "revoke-orphan" && !is_sudo(ctx, caller, &full_path(ctx, req))? {
        return Err(Error::bad_request(
            "root or sudo privileges required to revoke and orphan",
        ));
    }
    let entry = find(ctx, caller, &id, crate::core::now())?;
    let storage = ctx.system();
    let Some(entry) = entry else {
        if rel == "revoke-orphan" {
            return Err(Error::bad_request("token to revoke not found"));
        }
        return Ok(None);
    };
    if entry.token_type == "batch" {
        return Err(Error::bad_request("batch tokens cannot be revoked"));
    }
    if rel == "revoke-orphan" {
        super::revoke_orphan(storage, &entry)?;
    } else {
        super::revoke(storage, &entry)?;
    }
    Ok(None)
}

fn revoke_accessor(
    ctx: &BackendContext,
    req: &Request,
    _caller: &Caller,
    _rel: &str,
) -> Result<Option<Response>> {
    let accessor = string_field(req, "accessor")?;
    if accessor.is_empty() {
        return Err(Error::bad_request("missing accessor"));
    }
    let storage = ctx.system();
    match super::lookup_by_accessor(storage, &accessor, crate::core::now())? {
        Some(entry) => {
            super::revoke(storage, &entry)?;
            Ok(None)
        }
        None => Ok(Some(
            Response::default().warning("No token found with this accessor"),
        )),
    }
}

fn accessors(
    ctx: &BackendContext,
    _req: &Request,
    _caller: &Caller,
    _rel: &str,
) -> Result<Option<Response>> {
    let keys = super::list_accessors(ctx.system(), crate::core::now())?;
    let mut data = Map::new();
    data.insert("keys".into(), serde_json::json!(keys));
    Ok(Some(Response::data(data)))
}

/// OpenBao wraps this one in a multierror.
fn invalid_accessor() -> Error {
    Error::bad_request(crate::framework::go::multierror(&[
        "invalid accessor".into()
    ]))
}

/// A `TypeString` field of the request body (empty when absent).
fn string_field(req: &Request, name: &str) -> Result<String> {
    match req.data.get(name) {
        None => Ok(String::new()),
        Some(v) => {
            fields::string(v).map_err(|d| crate::framework::field_validation_failed(name, &d))
        }
    }
}

fn bool_field(req: &Request, name: &str, default: bool) -> Result<bool> {
    match req.data.get(name) {
        None => Ok(default),
        Some(v) => {
            fields::boolean(v).map_err(|d| crate::framework::field_validation_failed(name, &d))
        }
    }
}

/// Vault's `SudoPrivilege`: root, or the `sudo` capability on the path.
fn is_sudo(ctx: &BackendContext, caller: &Caller, path: &str) -> Result<bool> {
    if caller.entry.policies.iter().any(|p| p == "root") {
        return Ok(true);
    }
    let acl = crate::policy::acl_for_token(ctx.system(), &caller.entry)?;
    Ok(acl
        .capabilities(path)
        .iter()
        .any(|c| c == "sudo" || c == "root"))
}

fn identity_policies(storage: &dyn Storage, entry: &TokenEntry) -> Result<Vec<String>> {
    if entry.entity_id.is_empty() {
        return Ok(Vec::new());
    }
    crate::identity::policies_for_entity(storage, &entry.entity_id)
}

/// The `token/` mount (its TTLs are the token store's defaults).
fn token_mount(storage: &dyn Storage) -> Result<Option<MountEntry>> {
    Ok(mounts::load_auth(storage)?
        .into_iter()
        .find(|m| m.kind == "token"))
}

/// A token named in a request. The caller's own token is taken as this request sees it: on
/// its last use it is still valid until the request ends (Vault's tainted lookup).
fn find(ctx: &BackendContext, caller: &Caller, id: &str, now: i64) -> Result<Option<TokenEntry>> {
    if id == caller.token {
        return Ok(Some(caller.entry.clone()));
    }
    super::lookup(ctx.system(), id, now)
}

fn lookup(ctx: &BackendContext, caller: &Caller, id: &str, now: i64) -> Result<Option<Response>> {
    if id.is_empty() {
        return Err(Error::bad_request("missing token ID"));
    }
    let storage = ctx.system();
    let entry = find(ctx, caller, id, now)?.ok_or_else(|| Error::new(403, "bad token"))?;
    let ip = identity_policies(storage, &entry)?;
    Ok(Some(Response::data(lookup_data(&entry, id, &ip, now))))
}

/// A duration given as a string field (`ttl`, `period`, `explicit_max_ttl`): `None` if absent
/// or empty, as Vault's `TypeString` then `ParseDurationSecond`.
fn duration_field(req: &Request, name: &str) -> Result<Option<i64>> {
    let s = string_field(req, name)?;
    if s.is_empty() {
        return Ok(None);
    }
    super::parse_duration(&s)
        .map(Some)
        .map_err(Error::bad_request)
}

fn create(
    ctx: &BackendContext,
    req: &Request,
    caller: &Caller,
    orphan_path: bool,
    now: i64,
) -> Result<Option<Response>> {
    let storage = ctx.system();
    let parent = &caller.entry;
    if parent.token_type == "batch" {
        return Err(Error::bad_request("batch tokens cannot create more tokens"));
    }
    if parent.num_uses > 0 {
        return Err(Error::bad_request(
            "restricted use token cannot generate child tokens",
        ));
    }
    let is_sudo = is_sudo(ctx, caller, &full_path(ctx, req))?;
    let policies: Vec<String> = match req.data.get("policies") {
        Some(v) => fields::string_slice(v)
            .map_err(|d| crate::framework::field_validation_failed("policies", &d))?,
        None => Vec::new(),
    };
    let type_str = string_field(req, "type")?;
    let mut renewable = bool_field(req, "renewable", true)?;
    let explicit_raw = string_field(req, "explicit_max_ttl")?;
    let num_uses = match req.data.get("num_uses") {
        Some(v) => {
            fields::int(v).map_err(|d| crate::framework::field_validation_failed("num_uses", &d))?
        }
        None => 0,
    };
    let period_raw = string_field(req, "period")?;
    let batch = match type_str.as_str() {
        "" | "service" => false,
        "batch" => {
            let mut bad = "";
            if !explicit_raw.is_empty() {
                let d = super::parse_duration(&explicit_raw).map_err(|_| {
                    Error::bad_request("\"explicit_max_ttl\" value could not be parsed")
                })?;
                if d != 0 {
                    bad = "explicit_max_ttl";
                }
            } else if num_uses != 0 {
                bad = "num_uses";
            } else if !period_raw.is_empty() {
                let d = super::parse_duration(&period_raw)
                    .map_err(|_| Error::bad_request("\"period\" value could not be parsed"))?;
                if d != 0 {
                    bad = "period";
                }
            }
            if !bad.is_empty() {
                return Err(Error::bad_request(format!(
                    "batch tokens cannot have {bad:?} set"
                )));
            }
            renewable = false;
            true
        }
        _ => return Err(Error::bad_request("invalid 'token_type' value")),
    };
    if num_uses < 0 {
        return Err(Error::bad_request("number of uses cannot be negative"));
    }
    if !string_field(req, "entity_alias")?.is_empty() {
        return Err(Error::bad_request(
            "'entity_alias' is only allowed in combination with token role",
        ));
    }
    let meta: Option<BTreeMap<String, String>> = match req.data.get("meta") {
        Some(v) => Some(
            fields::kv_pairs("meta", v)
                .map_err(|d| crate::framework::field_validation_failed("meta", &d))?
                .into_iter()
                .collect(),
        ),
        None => None,
    };
    let rel = req.path.as_str();
    let mut display_name = "token".to_string();
    let dn = string_field(req, "display_name")?;
    if !dn.is_empty() {
        let full: String = format!("token-{dn}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        display_name = full.strip_suffix('-').unwrap_or(&full).to_string();
    }
    if !string_field(req, "id")?.is_empty() {
        // Custom token ids would need the plaintext as the key's input: refused here, as a
        // non-sudo caller is refused by Vault.
        if !is_sudo {
            return Err(Error::bad_request(
                "root or sudo privileges required to specify token id",
            ));
        }
        return Err(Error::bad_request(
            "custom token IDs are not supported by vaultjwt",
        ));
    }

    let no_default = bool_field(req, "no_default_policy", false)?;
    let mut add_default = false;
    let policies = if policies.is_empty() {
        sanitize_policies(&parent.policies, false)
    } else if !is_sudo {
        let input = sanitize_policies(&policies, false);
        let parent_set = sanitize_policies(&parent.policies, false);
        if !input.iter().all(|p| parent_set.contains(p)) {
            return Err(Error::bad_request(
                "child policies must be subset of parent",
            ));
        }
        if !no_default && parent.policies.iter().any(|p| p == "default") {
            add_default = true;
        }
        policies
    } else {
        add_default = !no_default;
        policies
    };
    let mut policies = sanitize_policies(&policies, add_default);
    if no_default {
        policies.retain(|p| p != "default");
    }
    crate::policy::check_assignable(&policies)?;
    let is_root = policies.iter().any(|p| p == "root");
    if is_root {
        if !parent.policies.iter().any(|p| p == "root") {
            return Err(Error::bad_request(
                "root tokens may not be created without parent token being root",
            ));
        }
        if batch {
            return Err(Error::bad_request("batch tokens cannot be root tokens"));
        }
    }

    let mut orphan = orphan_path;
    if bool_field(req, "no_parent", false)? {
        if !is_sudo {
            return Err(Error::bad_request(
                "root or sudo privileges required to create orphan token",
            ));
        }
        orphan = true;
    }
    let (entity_id, mut bound_cidrs) = if orphan {
        (String::new(), Vec::new())
    } else {
        (parent.entity_id.clone(), parent.bound_cidrs.clone())
    };

    let mut explicit_max_ttl = 0;
    if !explicit_raw.is_empty() {
        let d = super::parse_duration(&explicit_raw).map_err(Error::bad_request)?;
        if d < 0 {
            return Err(Error::bad_request("explicit_max_ttl must be positive"));
        }
        explicit_max_ttl = d;
    }
    let mut period = 0;
    if !period_raw.is_empty() {
        let d = super::parse_duration(&period_raw).map_err(Error::bad_request)?;
        if d < 0 {
            return Err(Error::bad_request("period must be positive"));
        }
        if d > 0 {
            if !is_sudo {
                return Err(Error::bad_request(
                    "root or sudo privileges required to create periodic token",
                ));
            }
            period = d;
        }
    }
    let mut token_ttl = 0;
    for name in ["ttl", "lease"] {
        if let Some(d) = duration_field(req, name)? {
            if d < 0 {
                return Err(Error::bad_request(format!("{name} must be positive")));
            }
            token_ttl = d;
            break;
        }
    }

    let mount = token_mount(storage)?;
    let (default_lease_ttl, max_lease_ttl) = match &mount {
        Some(m) => (m.default_ttl(), m.max_ttl()),
        None => (SYSTEM_MAX_TTL, SYSTEM_MAX_TTL),
    };
    let mut warnings = Vec::new();
    if period > 0 || token_ttl > 0 || !is_root {
        let (t, w) = ttl::calculate(TtlInput {
            default_lease_ttl,
            max_lease_ttl,
            backend_ttl: token_ttl,
            period,
            explicit_max_ttl,
            start: now,
            now,
            ..Default::default()
        })?;
        token_ttl = t;
        warnings.extend(w);
    }
    if token_ttl == 0 && explicit_max_ttl > 0 {
        token_ttl = explicit_max_ttl;
    }
    if token_ttl == 0 {
        if parent.expire_time > 0 {
            return Err(Error::bad_request(
                "expiring root tokens cannot create non-expiring root tokens",
            ));
        }
        renewable = false;
        bound_cidrs.clear();
    }

    let (client_token, entry) = super::create(
        storage,
        NewToken {
            policies: policies.clone(),
            meta: meta.unwrap_or_default(),
            display_name,
            num_uses,
            ttl: token_ttl,
            explicit_max_ttl,
            period,
            parent: if orphan {
                None
            } else {
                Some(parent.hash.clone())
            },
            token_type: if batch { "batch" } else { "service" }.into(),
            path: format!("auth/token/{rel}"),
            entity_id,
            bound_cidrs,
            internal_data: Map::new(),
            renewable,
            mount_accessor: mount.map(|m| m.accessor).unwrap_or_default(),
        },
        now,
    )?;
    let ip = identity_policies(storage, &entry)?;
    let mut resp = Response {
        auth: Some(issued_auth(&entry, client_token, ip, token_ttl)),
        ..Default::default()
    };
    // Vault's handleCreateCommon: a warning per attached policy that is not stored (yet).
    for p in &entry.policies {
        if crate::policy::store::get(storage, p)?.is_none() {
            warnings.push(format!("Policy {p:?} does not exist"));
        }
    }
    resp.warnings = warnings;
    Ok(Some(resp))
}

/// The `auth` block of a response about an issued or renewed token.
pub fn issued_auth(entry: &TokenEntry, client_token: String, ip: Vec<String>, ttl: i64) -> Auth {
    let mut all = entry.policies.clone();
    all.extend(ip.iter().cloned());
    all.sort();
    all.dedup();
    Auth {
        display_name: entry.display_name.clone(),
        policies: all,
        token_policies: entry.policies.clone(),
        identity_policies: ip,
        metadata: entry.meta.clone(),
        num_uses: entry.num_uses,
        period: entry.period,
        explicit_max_ttl: entry.explicit_max_ttl,
        token_type: entry.token_type.clone(),
        renewable: entry.renewable,
        client_token,
        accessor: entry.accessor.clone(),
        entity_id: entry.entity_id.clone(),
        orphan: entry.parent.is_empty(),
        lease_duration: ttl,
        ttl,
        ..Default::default()
    }
}

/// Renews a token (Vault's `ExpirationManager.RenewToken`).
fn renew(
    ctx: &BackendContext,
    mut entry: TokenEntry,
    shown_token: String,
    increment: i64,
    now: i64,
) -> Result<Response> {
    let storage = ctx.system();
    if entry.token_type == "batch" {
        return Err(Error::bad_request("batch tokens cannot be renewed"));
    }
    if entry.expire_time == 0 || !entry.renewable {
        return Err(Error::bad_request("lease is not renewable"));
    }
    let table = mounts::load_auth(storage)?;
    let from_token_store = entry.path.starts_with("auth/token/");
    let mount = if from_token_store {
        table.iter().find(|m| m.kind == "token")
    } else {
        table
            .iter()
            .find(|m| !entry.mount_accessor.is_empty() && m.accessor == entry.mount_accessor)
    };
    let (default_lease_ttl, max_lease_ttl) = match mount {
        Some(m) => (m.default_ttl(), m.max_ttl()),
        None => (SYSTEM_MAX_TTL, SYSTEM_MAX_TTL),
    };
    let mut input = TtlInput {
        default_lease_ttl,
        max_lease_ttl,
        increment,
        backend_ttl: entry.creation_ttl,
        period: entry.period,
        explicit_max_ttl: entry.explicit_max_ttl,
        start: entry.issue_time,
        now,
        ..Default::default()
    };
    if !from_token_store {
        let mount = mount.ok_or_else(|| {
            Error::bad_request("no mount found for the auth method that issued this token")
        })?;
        let backend = auth_backend(&mount.kind)
            .ok_or_else(|| Error::bad_request(format!("no backend for type {:?}", mount.kind)))?;
        let ctx = BackendContext {
            storage: View::new(storage, mount.storage_prefix()),
            mount,
            settings: ctx.settings,
            now,
        };
        let auth = backend.renew(&ctx, &entry)?;
        input.backend_ttl = auth.ttl;
        input.backend_max_ttl = auth.max_ttl;
        input.period = auth.period;
        if auth.explicit_max_ttl > 0 {
            input.explicit_max_ttl = auth.explicit_max_ttl;
        }
    }
    let (new_ttl, warnings) = ttl::calculate(input)?;
    entry.expire_time = now.saturating_add(new_ttl);
    entry.last_renewal_time = now;
    super::save(storage, &entry)?;
    let ip = identity_policies(storage, &entry)?;
    let auth = issued_auth(&entry, shown_token, ip, new_ttl);
    Ok(Response {
        auth: Some(auth),
        warnings,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Core;
    use crate::settings::Settings;
    use crate::storage::MemoryStorage;
    use serde_json::{json, Value};

    fn core() -> (Core, Caller) {
        let mut c = Core::new(Box::new(MemoryStorage::default()), Settings::default());
        let root = c.initialize().unwrap().unwrap();
        let entry = super::super::lookup(c.storage.as_ref(), &root, crate::core::now())
            .unwrap()
            .unwrap();
        (c, Caller { token: root, entry })
    }

    fn req(path: &str, body: Value) -> Request {
        let data = match body {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        Request::new(Operation::Update, path).with_data(data)
    }

    fn caller_for(c: &Core, token: &str) -> Caller {
        let entry = super::super::lookup(c.storage.as_ref(), token, crate::core::now())
            .unwrap()
            .unwrap();
        Caller {
            token: token.to_string(),
            entry,
        }
    }

    fn create_as(c: &mut Core, caller: &Caller, body: Value) -> Result<Auth> {
        let r = c
            .dispatch(&req("auth/token/create", body), Some(caller))?
            .unwrap();
        Ok(r.auth.unwrap())
    }

    #[test]
    fn root_creates_with_default_policy_and_mount_ttl() {
        let (mut c, root) = core();
        let a = create_as(&mut c, &root, json!({"policies": ["App", "app"]})).unwrap();
        assert_eq!(a.token_policies, vec!["app", "default"]);
        assert_eq!(a.lease_duration, 768 * 3600);
        assert!(a.renewable);
        assert!(!a.orphan);
        // No policies: the parent's, here root, which never expires.
        let r = create_as(&mut c, &root, json!({})).unwrap();
        assert_eq!(r.token_policies, vec!["root"]);
        assert_eq!(r.lease_duration, 0);
        assert!(!r.renewable);
    }

    #[test]
    fn child_policies_must_be_a_subset_for_non_root() {
        let (mut c, root) = core();
        let a = create_as(&mut c, &root, json!({"policies": ["app"], "ttl": "1h"})).unwrap();
        let parent = caller_for(&c, &a.client_token);
        let e = create_as(&mut c, &parent, json!({"policies": ["other"]})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("child policies must be subset of parent")
        );
        let ok = create_as(&mut c, &parent, json!({"policies": ["app"]})).unwrap();
        assert_eq!(ok.token_policies, vec!["app", "default"]);
        let e = create_as(&mut c, &parent, json!({"policies": ["root"]})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("child policies must be subset of parent")
        );
        let e = create_as(&mut c, &parent, json!({"no_parent": true})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("root or sudo privileges required to create orphan token")
        );
        let e = create_as(&mut c, &parent, json!({"period": "1h"})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("root or sudo privileges required to create periodic token")
        );
    }

    #[test]
    fn create_validations() {
        let (mut c, root) = core();
        let cases = [
            (json!({"num_uses": -1}), "number of uses cannot be negative"),
            (
                json!({"type": "batch", "period": "1h"}),
                "batch tokens cannot have \"period\" set",
            ),
            (json!({"type": "x"}), "invalid 'token_type' value"),
            (
                json!({"ttl": "forever"}),
                "time: invalid duration \"forever\"",
            ),
            (
                json!({"policies": ["response-wrapping"]}),
                "cannot assign policy \"response-wrapping\"",
            ),
            (
                json!({"type": "batch"}),
                "batch tokens cannot be root tokens",
            ),
        ];
        for (body, msg) in cases {
            let e = create_as(&mut c, &root, body.clone()).unwrap_err();
            assert_eq!(e.errors, vec![msg.to_string()], "{body}");
        }
    }

    #[test]
    fn ttl_is_capped_with_a_warning_and_no_default_policy_is_honoured() {
        let (mut c, root) = core();
        let r = c.dispatch(&req(
                "auth/token/create",
                json!({"ttl": "1000h", "policies": "app", "no_default_policy": true, "display_name": "a b!"}),
            ),
            Some(&root),
        )
        .unwrap()
        .unwrap();
        let a = r.auth.unwrap();
        assert_eq!(a.lease_duration, 768 * 3600);
        assert_eq!(a.token_policies, vec!["app"]);
        assert_eq!(a.display_name, "token-a-b");
        assert_eq!(
            r.warnings,
            vec![
                "TTL of \"1000h\" exceeded the effective max_ttl of \"768h\"; TTL value is capped accordingly",
                "Policy \"app\" does not exist",
            ]
        );
    }

    #[test]
    fn restricted_and_batch_parents_cannot_create() {
        let (mut c, root) = core();
        let limited = create_as(&mut c, &root, json!({"num_uses": 3})).unwrap();
        let p = caller_for(&c, &limited.client_token);
        let e = create_as(&mut c, &p, json!({})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("restricted use token cannot generate child tokens")
        );
        let batch = create_as(&mut c, &root, json!({"type": "batch", "policies": ["a"]})).unwrap();
        let b = caller_for(&c, &batch.client_token);
        let e = create_as(&mut c, &b, json!({})).unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("batch tokens cannot create more tokens")
        );
    }

    #[test]
    fn lookup_errors_match_vault() {
        let (mut c, root) = core();
        let e = c
            .dispatch(
                &req("auth/token/lookup", json!({"token": "s.nope"})),
                Some(&root),
            )
            .unwrap_err();
        assert_eq!(e, Error::new(403, "bad token"));
        let e = c
            .dispatch(&req("auth/token/lookup-accessor", json!({})), Some(&root))
            .unwrap_err();
        assert_eq!(e, Error::bad_request("missing accessor"));
        let e = c
            .dispatch(
                &req("auth/token/lookup-accessor", json!({"accessor": "x"})),
                Some(&root),
            )
            .unwrap_err();
        assert_eq!(e.message(), "1 error occurred:\n\t* invalid accessor\n\n");
        let e = c
            .dispatch(&req("auth/token/nope", json!({})), Some(&root))
            .unwrap_err();
        assert_eq!(e.status, 404);
        let r = c
            .dispatch(
                &req("auth/token/revoke-accessor", json!({"accessor": "x"})),
                Some(&root),
            )
            .unwrap()
            .unwrap();
        assert_eq!(r.warnings, vec!["No token found with this accessor"]);
    }

    #[test]
    fn renew_resets_to_creation_ttl_and_root_is_not_renewable() {
        let (mut c, root) = core();
        let a = create_as(&mut c, &root, json!({"ttl": "1h", "policies": ["a"]})).unwrap();
        let r = c
            .dispatch(
                &req("auth/token/renew", json!({"token": a.client_token})),
                Some(&root),
            )
            .unwrap()
            .unwrap();
        let auth = r.auth.unwrap();
        assert_eq!(auth.lease_duration, 3600);
        assert_eq!(auth.client_token, a.client_token);
        let r = c
            .dispatch(
                &req(
                    "auth/token/renew-accessor",
                    json!({"accessor": a.accessor, "increment": "2h"}),
                ),
                Some(&root),
            )
            .unwrap()
            .unwrap();
        let auth = r.auth.unwrap();
        assert_eq!(auth.lease_duration, 7200);
        assert_eq!(auth.client_token, "");
        let e = c
            .dispatch(&req("auth/token/renew-self", json!({})), Some(&root))
            .unwrap_err();
        assert_eq!(e, Error::bad_request("lease is not renewable"));
        let e = c
            .dispatch(
                &req("auth/token/renew", json!({"token": "s.nope"})),
                Some(&root),
            )
            .unwrap_err();
        assert_eq!(e, Error::bad_request("token not found"));
    }

    #[test]
    fn revoke_orphan_needs_sudo() {
        let (mut c, root) = core();
        let a = create_as(&mut c, &root, json!({"policies": ["a"], "ttl": "1h"})).unwrap();
        let p = caller_for(&c, &a.client_token);
        let e = c
            .dispatch(
                &req("auth/token/revoke-orphan", json!({"token": a.client_token})),
                Some(&p),
            )
            .unwrap_err();
        assert_eq!(
            e,
            Error::bad_request("root or sudo privileges required to revoke and orphan")
        );
        let e = c
            .dispatch(
                &req("auth/token/revoke-orphan", json!({"token": "s.nope"})),
                Some(&root),
            )
            .unwrap_err();
        assert_eq!(e, Error::bad_request("token to revoke not found"));
    }

    /// A token issued by a jwt mount: renewal goes to the mount's backend, and disabling the
    /// mount revokes it.
    #[test]
    fn login_tokens_renew_through_their_mount_and_die_with_it() {
        let (mut c, root) = core();
        c.handle(req("sys/auth/jwt", json!({"type": "jwt"})).with_token(Some(root.token.clone())))
            .unwrap();
        let mount = mounts::load_auth(c.storage.as_ref())
            .unwrap()
            .into_iter()
            .find(|m| m.path == "jwt/")
            .unwrap();
        let (tok, _) = super::super::create(
            c.storage.as_ref(),
            NewToken {
                policies: vec!["default".into()],
                ttl: 3600,
                path: "auth/jwt/login".into(),
                token_type: "service".into(),
                renewable: true,
                mount_accessor: mount.accessor.clone(),
                ..Default::default()
            },
            crate::core::now(),
        )
        .unwrap();
        // No role in the token's internal data: the jwt backend refuses, as OpenBao does.
        let e = c
            .dispatch(&req("auth/token/renew", json!({"token": tok})), Some(&root))
            .unwrap_err();
        assert_eq!(
            e.errors,
            vec!["failed to fetch role_name during renewal".to_string()]
        );
        c.handle(
            Request::new(Operation::Delete, "sys/auth/jwt").with_token(Some(root.token.clone())),
        )
        .unwrap();
        assert!(
            super::super::lookup(c.storage.as_ref(), &tok, crate::core::now())
                .unwrap()
                .is_none()
        );
    }
}
