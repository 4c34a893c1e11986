//! The identity store: entities, entity aliases, groups and group aliases (Vault's
//! `identity/` backend). Records and storage layout are in [`store`]; the endpoints in
//! [`entity`] and [`group`]; what a login does with them in `core::login`.

pub mod entity;
pub mod group;
pub mod store;

use crate::core::{
    fields, mounts, Backend, BackendContext, Error, Operation, Request, Response, Result,
};
use crate::storage::Storage;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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

/// A request below `identity/` (`req.path` relative to the mount).
pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let storage = ctx.system();
    let rest = req.path.trim_start_matches('/');
    let list_path = rest.trim_end_matches('/');
    let op = req.operation;
    let is_list = op == Operation::List;

    // LIST endpoints (`identity/entity/id`, `identity/entity/id/`, ...).
    if is_list {
        return match list_path {
            "entity/id" => entity::list(storage, true),
            "entity/name" => entity::list(storage, false),
            "entity-alias/id" => entity::list_aliases(storage),
            "group/id" => group::list(storage, true),
            "group/name" => group::list(storage, false),
            "group-alias/id" => group::list_aliases(storage),
            _ => Err(Error::unsupported_path()),
        };
    }

    let write = matches!(op, Operation::Update | Operation::Create);
    match list_path {
        "lookup/entity" if write => return entity::lookup(storage, req),
        "lookup/group" if write => return group::lookup(storage, req),
        "lookup/entity" | "lookup/group" => return Err(Error::unsupported_operation()),
        _ => {}
    }
    let (collection, selector) = split(rest);
    match (collection, selector) {
        ("entity", Sel::None) if write => entity::update(storage, req, None, None),
        ("entity", Sel::Id(id)) => match op {
            Operation::Read => entity::read(storage, store::entity_by_id(storage, id)?),
            Operation::Delete => entity::delete(storage, store::entity_by_id(storage, id)?),
            _ if write => entity::update(storage, req, Some(id), None),
            _ => Err(Error::unsupported_operation()),
        },
        ("entity", Sel::Name(name)) => match op {
            Operation::Read => entity::read(storage, store::entity_by_name(storage, name)?),
            Operation::Delete => entity::delete(storage, store::entity_by_name(storage, name)?),
            _ if write => entity::update(storage, req, None, Some(name)),
            _ => Err(Error::unsupported_operation()),
        },
        ("entity-alias", Sel::None) if write => entity::alias_update(storage, req, None),
        ("entity-alias", Sel::Id(id)) => match op {
            Operation::Read => entity::alias_read(storage, id),
            Operation::Delete => entity::alias_delete(storage, id),
            _ if write => entity::alias_update(storage, req, Some(id)),
            _ => Err(Error::unsupported_operation()),
        },
        ("group", Sel::None) if write => group::register(storage, req),
        ("group", Sel::Id(id)) => match op {
            Operation::Read => group::read(storage, store::group_by_id(storage, id)?),
            Operation::Delete => group::delete(storage, store::group_by_id(storage, id)?),
            _ if write => group::update_by_id(storage, req, id),
            _ => Err(Error::unsupported_operation()),
        },
        ("group", Sel::Name(name)) => match op {
            Operation::Read => group::read(storage, store::group_by_name(storage, name)?),
            Operation::Delete => group::delete(storage, store::group_by_name(storage, name)?),
            _ if write => group::update_by_name(storage, req, name),
            _ => Err(Error::unsupported_operation()),
        },
        ("group-alias", Sel::None) if write => group::alias_register(storage, req),
        ("group-alias", Sel::Id(id)) => match op {
            Operation::Read => group::alias_read(storage, id),
            Operation::Delete => group::alias_delete(storage, id),
            _ if write => group::alias_update_by_id(storage, req, id),
            _ => Err(Error::unsupported_operation()),
        },
        ("entity" | "entity-alias" | "group" | "group-alias", Sel::None) => {
            Err(Error::unsupported_operation())
        }
        _ => Err(Error::unsupported_path()),
    }
}

enum Sel<'a> {
    None,
    Id(&'a str),
    Name(&'a str),
    Bad,
}

/// `entity/id/<id>` → ("entity", Id), `group/name/<name>` → ("group", Name), `group` → None.
fn split(rest: &str) -> (&str, Sel<'_>) {
    let Some((collection, tail)) = rest.split_once('/') else {
        return (rest, Sel::None);
    };
    if let Some(id) = tail.strip_prefix("id/") {
        // Vault's GenericNameRegex: no `/` in ids.
        if !id.is_empty() && !id.contains('/') {
            return (collection, Sel::Id(id));
        }
    } else if let Some(name) = tail.strip_prefix("name/") {
        if !name.is_empty() && matches!(collection, "entity" | "group") {
            return (collection, Sel::Name(name));
        }
    }
    (collection, Sel::Bad)
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
    fn split_paths() {
        assert!(matches!(split("entity"), ("entity", Sel::None)));
        assert!(matches!(split("entity/id/abc"), ("entity", Sel::Id("abc"))));
        assert!(matches!(
            split("group/name/a/b"),
            ("group", Sel::Name("a/b"))
        ));
        assert!(matches!(split("group/id/a/b"), ("group", Sel::Bad)));
        assert!(matches!(
            split("entity-alias/name/x"),
            ("entity-alias", Sel::Bad)
        ));
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
