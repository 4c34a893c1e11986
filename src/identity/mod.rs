//! The identity store: entities, entity aliases, groups and group aliases (Vault's
//! `identity/` backend). Records and storage layout are in [`store`]; the endpoints in
//! [`entity`] and [`group`]; what a login does with them in `core::login`.

pub mod entity;
pub mod group;
pub mod store;

use crate::core::{
    fields, mounts, Backend, BackendContext, Error, Operation, Request, Response, Result,
};
use crate::framework::{Captures, Routes};
use crate::storage::Storage;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The `identity/` mount's backend.
pub struct IdentityBackend;

impl Backend for IdentityBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        handle(ctx, req)
    }

    fn is_builtin(&self) -> bool {
        true
    }
}

type Handler = fn(&dyn Storage, &Request, &Captures) -> Result<Option<Response>>;

/// A path of `identity/` and its handler per operation (`framework.Path`'s `Operations`);
/// a write is `create` or `update`.
#[derive(Default)]
struct Ops {
    read: Option<Handler>,
    write: Option<Handler>,
    delete: Option<Handler>,
}

/// The paths of `identity/` but the lists, relative to the mount, in matching order.
fn routes() -> &'static Routes<Ops> {
    static ROUTES: OnceLock<Routes<Ops>> = OnceLock::new();
    let write = |w: Handler| Ops {
        write: Some(w),
        ..Ops::default()
    };
    let all = |r: Handler, w: Handler, d: Handler| Ops {
        read: Some(r),
        write: Some(w),
        delete: Some(d),
    };
    ROUTES.get_or_init(|| {
        Routes::new(vec![
            ("lookup/entity/*", write(|s, req, _| entity::lookup(s, req))),
            ("lookup/group/*", write(|s, req, _| group::lookup(s, req))),
            (
                "entity",
                write(|s, req, _| entity::update(s, req, None, None)),
            ),
            (
                "entity/id/(?P<id>[^/]+)",
                all(
                    |s, _, c| entity::read(s, store::entity_by_id(s, c.get("id"))?),
                    |s, req, c| entity::update(s, req, Some(c.get("id")), None),
                    |s, _, c| entity::delete(s, store::entity_by_id(s, c.get("id"))?),
                ),
            ),
            (
                "entity/name/(?P<name>(?s:.+))",
                all(
                    |s, _, c| entity::read(s, store::entity_by_name(s, c.get("name"))?),
                    |s, req, c| entity::update(s, req, None, Some(c.get("name"))),
                    |s, _, c| entity::delete(s, store::entity_by_name(s, c.get("name"))?),
                ),
            ),
            (
                "entity-alias",
                write(|s, req, _| entity::alias_update(s, req, None)),
            ),
            (
                "entity-alias/id/(?P<id>[^/]+)",
                all(
                    |s, _, c| entity::alias_read(s, c.get("id")),
                    |s, req, c| entity::alias_update(s, req, Some(c.get("id"))),
                    |s, _, c| entity::alias_delete(s, c.get("id")),
                ),
            ),
            ("group", write(|s, req, _| group::register(s, req))),
            (
                "group/id/(?P<id>[^/]+)",
                all(
                    |s, _, c| group::read(s, store::group_by_id(s, c.get("id"))?),
                    |s, req, c| group::update_by_id(s, req, c.get("id")),
                    |s, _, c| group::delete(s, store::group_by_id(s, c.get("id"))?),
                ),
            ),
            (
                "group/name/(?P<name>(?s:.+))",
                all(
                    |s, _, c| group::read(s, store::group_by_name(s, c.get("name"))?),
                    |s, req, c| group::update_by_name(s, req, c.get("name")),
                    |s, _, c| group::delete(s, store::group_by_name(s, c.get("name"))?),
                ),
            ),
            (
                "group-alias",
                write(|s, req, _| group::alias_register(s, req)),
            ),
            (
                "group-alias/id/(?P<id>[^/]+)",
                all(
                    |s, _, c| group::alias_read(s, c.get("id")),
                    |s, req, c| group::alias_update_by_id(s, req, c.get("id")),
                    |s, _, c| group::alias_delete(s, c.get("id")),
                ),
            ),
        ])
    })
}

type Lister = fn(&dyn Storage) -> Result<Option<Response>>;

/// The LIST paths of `identity/` (a trailing `/` or none).
fn list_routes() -> &'static Routes<Lister> {
    static ROUTES: OnceLock<Routes<Lister>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        Routes::new(vec![
            ("entity/id/*", |s| entity::list(s, true)),
            ("entity/name/*", |s| entity::list(s, false)),
            ("entity-alias/id/*", entity::list_aliases),
            ("group/id/*", |s| group::list(s, true)),
            ("group/name/*", |s| group::list(s, false)),
            ("group-alias/id/*", group::list_aliases),
        ])
    })
}

/// A request below `identity/` (`req.path` relative to the mount).
pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let storage = ctx.system();
    let rest = req.path.trim_start_matches('/');
    if req.operation == Operation::List {
        let (list, _) = list_routes()
            .find(rest)
            .ok_or_else(Error::unsupported_path)?;
        return list(storage);
    }
    let (ops, captures) = routes().find(rest).ok_or_else(Error::unsupported_path)?;
    let handler = match req.operation {
        Operation::Read => ops.read,
        Operation::Create | Operation::Update => ops.write,
        Operation::Delete => ops.delete,
        Operation::List | Operation::Patch => None,
    };
    match handler {
        Some(h) => h(storage, req, &captures),
        None => Err(Error::unsupported_operation()),
    }
}

/// The identity policies of an entity: its own plus those of every group it belongs to
/// (directly or by inheritance), sorted and de-duplicated. Empty for an unknown, empty or
/// disabled entity.
pub fn policies_for_entity(storage: &dyn Storage, entity_id: &str) -> Result<Vec<String>> {
    if entity_id.is_empty() {
        return Ok(Vec::new());
    }
    let Some(e) = store::entity_by_id(storage, entity_id)? else {
        return Ok(Vec::new());
    };
    if e.disabled {
        return Ok(Vec::new());
    }
    let direct = store::groups_of_entity(storage, entity_id)?;
    policies_of(storage, &e.policies, &direct)
}

/// An entity's policies given its own and the groups it is a direct member of (their
/// ancestors' policies included).
pub fn policies_of(
    storage: &dyn Storage,
    own: &[String],
    direct: &[store::Group],
) -> Result<Vec<String>> {
    let mut out: Vec<String> = own.to_vec();
    let inherited = store::ancestors(storage, direct)?;
    for g in direct.iter().chain(inherited.iter()) {
        out.extend(g.policies.clone().unwrap_or_default());
    }
    out.retain(|p| !p.trim().is_empty());
    out.sort();
    out.dedup();
    Ok(out)
}

// ---------------------------------------------------------------- helpers

/// Where a mount accessor points: (`auth/<path>`, type), if it exists.
pub(crate) fn mount_info(
    storage: &dyn Storage,
    accessor: &str,
) -> Result<Option<(String, String)>> {
    Ok(mounts::load_auth(storage)?
        .into_iter()
        .find(|m| m.accessor == accessor)
        .map(|m| (m.full_path(), m.kind)))
}

fn conv(field: &str) -> impl Fn(String) -> Error + '_ {
    move |d| crate::framework::field_validation_failed(field, &d)
}

/// A `TypeString` field, `None` when absent.
pub(crate) fn field_string(req: &Request, name: &str) -> Result<Option<String>> {
    match req.data.get(name) {
        None => Ok(None),
        Some(v) => fields::string(v).map(Some).map_err(conv(name)),
    }
}

pub(crate) fn field_list(req: &Request, name: &str) -> Result<Option<Vec<String>>> {
    match req.data.get(name) {
        None => Ok(None),
        Some(v) => fields::comma_string_slice(v).map(Some).map_err(conv(name)),
    }
}

pub(crate) fn field_bool(req: &Request, name: &str) -> Result<Option<bool>> {
    match req.data.get(name) {
        None => Ok(None),
        Some(v) => fields::boolean(v).map(Some).map_err(conv(name)),
    }
}

/// A `TypeKVPairs` field; a conversion failure is reported as `failed to parse <name>: ...`.
pub(crate) fn field_kv(req: &Request, name: &str) -> Result<Option<BTreeMap<String, String>>> {
    match req.data.get(name) {
        None => Ok(None),
        Some(v) => fields::kv_pairs(name, v)
            .map(|pairs| Some(pairs.into_iter().collect()))
            .map_err(|d| crate::framework::field_validation_failed(name, &d)),
    }
}

/// Vault's `strutil.RemoveDuplicates(items, false)`: trimmed, empties dropped, sorted, unique.
pub(crate) fn remove_duplicates(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = items
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Vault's `strutil.RemoveDuplicatesStable(items, true)`: trimmed, empties dropped, first
/// occurrence kept (compared case-insensitively), order kept.
pub(crate) fn remove_duplicates_stable(items: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for s in items {
        let t = s.trim();
        if t.is_empty() {
            continue;
        }
        let k = t.to_lowercase();
        if !seen.contains(&k) {
            seen.push(k);
            out.push(t.to_string());
        }
    }
    out
}

/// The lookup selectors given (`identity/lookup/...`): exactly one must be set.
pub(crate) fn one_lookup_input(req: &Request, names: &[&str]) -> Result<(String, String)> {
    let mut given = Vec::new();
    for n in names {
        if let Some(v) = field_string(req, n)? {
            if !v.is_empty() {
                given.push((n.to_string(), v));
            }
        }
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    let listed = match quoted.split_last() {
        Some((last, first)) => format!("{} or {last}", first.join(", ")),
        None => String::new(),
    };
    match given.len() {
        0 => Err(Error::bad_request(format!("one of {listed} must be set"))),
        1 => Ok(given.remove(0)),
        _ => Err(Error::bad_request(format!(
            "only one of {listed} should be set"
        ))),
    }
}

pub(crate) fn opt_map(m: &Option<BTreeMap<String, String>>) -> Value {
    match m {
        None => Value::Null,
        Some(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect::<Map<String, Value>>(),
        ),
    }
}

pub(crate) fn opt_list(l: &Option<Vec<String>>) -> Value {
    match l {
        None => Value::Null,
        Some(l) => Value::Array(l.iter().cloned().map(Value::String).collect()),
    }
}

/// A LIST answer: `keys` and `key_info`, or nothing (Vault's 404) when there are no keys.
pub(crate) fn list_response(
    keys: Vec<String>,
    info: Map<String, Value>,
) -> Result<Option<Response>> {
    if keys.is_empty() {
        return Ok(None);
    }
    let mut m = Map::new();
    m.insert("key_info".into(), Value::Object(info));
    m.insert(
        "keys".into(),
        Value::Array(keys.into_iter().map(Value::String).collect()),
    );
    Ok(Some(Response::data(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table() {
        let route = |p: &str| {
            routes()
                .find(p)
                .map(|(_, c)| (c.get("id").to_string(), c.get("name").to_string()))
        };
        assert_eq!(route("entity"), Some((String::new(), String::new())));
        assert_eq!(route("entity/id/abc"), Some(("abc".into(), String::new())));
        assert_eq!(route("group/name/a/b"), Some((String::new(), "a/b".into())));
        assert_eq!(route("group/id/a/b"), None);
        assert_eq!(route("entity-alias/name/x"), None);
        assert_eq!(route("entity/"), None);
        assert!(routes().find("lookup/group/").is_some());
        assert!(list_routes().find("group-alias/id/").is_some());
        assert!(list_routes().find("group-alias/name").is_none());
    }

    #[test]
    fn dedup_helpers() {
        let v: Vec<String> = ["b", " a", "", "b", "A"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(remove_duplicates(&v), vec!["A", "a", "b"]);
        assert_eq!(remove_duplicates_stable(&v), vec!["b", "a"]);
    }
}
