//! `identity/group...` and `identity/group-alias...` endpoints.

use super::store::{self, Group, GroupAlias, NAMESPACE_ROOT};
use super::{
    field_kv, field_list, field_string, list_response, mount_info, opt_list, opt_map,
    remove_duplicates, remove_duplicates_stable,
};
use crate::core::{Error, Request, Response, Result};
use crate::storage::Storage;
use serde_json::{json, Map, Value};

const INTERNAL: &str = "internal";
const EXTERNAL: &str = "external";

/// `identity/group` (Vault's `pathGroupRegister`): by `id`, else by `name`, else a new group.
pub fn register(storage: &dyn Storage, req: &Request) -> Result<Option<Response>> {
    if req.data.contains_key("id") {
        let id = field_string(req, "id")?.unwrap_or_default();
        return update_by_id(storage, req, &id);
    }
    if req.data.contains_key("name") {
        let name = field_string(req, "name")?.unwrap_or_default();
        return update_by_name(storage, req, &name);
    }
    update_common(storage, req, None, None)
}

pub fn update_by_id(storage: &dyn Storage, req: &Request, id: &str) -> Result<Option<Response>> {
    if id.is_empty() {
        return Err(Error::bad_request("empty group ID"));
    }
    match store::group_by_id(storage, id)? {
        None => Err(Error::bad_request("invalid group ID")),
        Some(g) => update_common(storage, req, Some(g), None),
    }
}

pub fn update_by_name(
    storage: &dyn Storage,
    req: &Request,
    name: &str,
) -> Result<Option<Response>> {
    if name.is_empty() {
        return Err(Error::bad_request("empty group name"));
    }
    let g = store::group_by_name(storage, name)?;
    update_common(storage, req, g, Some(name))
}

/// Vault's `handleGroupUpdateCommon` and `sanitizeAndUpsertGroup`.
fn update_common(
    storage: &dyn Storage,
    req: &Request,
    group: Option<Group>,
    path_name: Option<&str>,
) -> Result<Option<Response>> {
    let old = group.clone();
    let new_group = group.is_none();
    let mut g = group.unwrap_or_default();

    if let Some(p) = field_list(req, "policies")? {
        g.policies = Some(remove_duplicates_stable(&p));
    }
    if g.policies.iter().flatten().any(|p| p == "root") {
        return Err(Error::bad_request("policies cannot contain root"));
    }
    if let Some(t) = field_string(req, "type")? {
        if !g.kind.is_empty() && t != g.kind {
            return Err(Error::bad_request("group type cannot be changed"));
        }
        g.kind = t;
    }
    if g.kind.is_empty() {
        g.kind = INTERNAL.to_string();
    }
    if g.kind != INTERNAL && g.kind != EXTERNAL {
        return Err(Error::bad_request(format!(
            "invalid group type {:?}",
            g.kind
        )));
    }
    let name = match path_name {
        Some(n) => n.to_string(),
        None => field_string(req, "name")?.unwrap_or_default(),
    };
    if !name.is_empty() {
        if let Some(by_name) = store::group_by_name(storage, &name)? {
            if by_name.id != g.id {
                return Err(Error::bad_request("group name is already in use"));
            }
        }
        g.name = name;
    }
    if let Some(m) = field_kv(req, "metadata")? {
        g.metadata = Some(m);
    }
    if let Some(ids) = field_list(req, "member_entity_ids")? {
        if g.kind == EXTERNAL {
            return Err(Error::bad_request(
                "member entities can't be set manually for external groups",
            ));
        }
        g.member_entity_ids = Some(ids);
    }
    let member_groups = match field_list(req, "member_group_ids")? {
        Some(ids) => {
            if g.kind == EXTERNAL {
                return Err(Error::bad_request(
                    "member groups can't be set for external groups",
                ));
            }
            Some(remove_duplicates(&ids))
        }
        None => None,
    };

    // sanitize
    let now = store::timestamp();
    if new_group {
        g.id = store::new_id();
        g.creation_time = now.clone();
    }
    if g.name.is_empty() {
        g.name = store::generate_name(storage, "group")?;
    }
    if let Some(members) = g.member_entity_ids.take() {
        let members = remove_duplicates(&members);
        for id in &members {
            if store::entity_by_id(storage, id)?.is_none() {
                return Err(Error::internal(format!("invalid entity ID {id:?}")));
            }
        }
        g.member_entity_ids = Some(members);
    }

    // Member groups: validate before anything is written.
    let mut ancestors_of_g: Vec<String> = Vec::new();
    if let Some(ids) = &member_groups {
        if !new_group {
            ancestors_of_g = store::ancestors(storage, std::slice::from_ref(&g))?
                .into_iter()
                .map(|a| a.id)
                .collect();
        }
        for id in ids {
            if id == &g.id {
                return Err(Error::bad_request(format!(
                    "member group ID {id:?} is same as the ID of the group"
                )));
            }
            if store::group_by_id(storage, id)?.is_none() {
                return Err(Error::internal(format!("invalid member group ID {id:?}")));
            }
            if ancestors_of_g.contains(id) {
                return Err(Error::bad_request(format!(
                    "cyclic relationship detected for member group ID {id:?}"
                )));
            }
        }
    }

    g.last_update_time = now;
    g.modify_index += 1;
    store::save_group(storage, &g, old.as_ref())?;

    if let Some(ids) = member_groups {
        // Children no longer listed lose this parent; new ones gain it.
        for child in store::member_groups(storage, &g.id)? {
            if !ids.contains(&child.id) {
                let mut c2 = child.clone();
                if let Some(p) = c2.parent_group_ids.as_mut() {
                    p.retain(|x| x != &g.id);
                }
                store::touch_group(&mut c2);
                store::save_group(storage, &c2, Some(&child))?;
            }
        }
        for id in &ids {
            if let Some(child) = store::group_by_id(storage, id)? {
                if child.parent_group_ids.iter().flatten().any(|p| p == &g.id) {
                    continue;
                }
                let mut c2 = child.clone();
                c2.parent_group_ids
                    .get_or_insert_with(Vec::new)
                    .push(g.id.clone());
                store::touch_group(&mut c2);
                store::save_group(storage, &c2, Some(&child))?;
            }
        }
    }

    if !new_group {
        return Ok(None);
    }
    Ok(Some(Response::json(json!({"id": g.id, "name": g.name}))))
}

/// The data of a group read (Vault's `handleGroupReadCommon`).
pub fn group_data(storage: &dyn Storage, g: &Group) -> Result<Map<String, Value>> {
    let mut alias = Map::new();
    if let Some(a) = &g.alias {
        alias.insert("canonical_id".into(), json!(a.canonical_id));
        alias.insert("creation_time".into(), json!(a.creation_time));
        alias.insert("id".into(), json!(a.id));
        alias.insert("last_update_time".into(), json!(a.last_update_time));
        alias.insert("merged_from_canonical_ids".into(), Value::Null);
        alias.insert("metadata".into(), opt_map(&a.metadata));
        alias.insert("mount_accessor".into(), json!(a.mount_accessor));
        if let Some((path, kind)) = mount_info(storage, &a.mount_accessor)? {
            alias.insert("mount_path".into(), json!(path));
            alias.insert("mount_type".into(), json!(kind));
        }
        alias.insert("name".into(), json!(a.name));
    }
    let children: Vec<String> = store::member_groups(storage, &g.id)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut m = Map::new();
    m.insert("alias".into(), Value::Object(alias));
    m.insert("creation_time".into(), json!(g.creation_time));
    m.insert("id".into(), json!(g.id));
    m.insert("last_update_time".into(), json!(g.last_update_time));
    m.insert("member_entity_ids".into(), opt_list(&g.member_entity_ids));
    m.insert(
        "member_group_ids".into(),
        if children.is_empty() {
            Value::Null
        } else {
            json!(children)
        },
    );
    m.insert("metadata".into(), opt_map(&g.metadata));
    m.insert("modify_index".into(), json!(g.modify_index));
    m.insert("name".into(), json!(g.name));
    m.insert("namespace_id".into(), json!(NAMESPACE_ROOT));
    m.insert("parent_group_ids".into(), opt_list(&g.parent_group_ids));
    m.insert("policies".into(), opt_list(&g.policies));
    m.insert("type".into(), json!(g.kind));
    Ok(m)
}

pub fn read(storage: &dyn Storage, g: Option<Group>) -> Result<Option<Response>> {
    match g {
        None => Ok(None),
        Some(g) => Ok(Some(Response::data(group_data(storage, &g)?))),
    }
}

pub fn delete(storage: &dyn Storage, g: Option<Group>) -> Result<Option<Response>> {
    if let Some(g) = g {
        store::delete_group(storage, &g)?;
    }
    Ok(None)
}

/// LIST `identity/group/id` or `identity/group/name`.
pub fn list(storage: &dyn Storage, by_id: bool) -> Result<Option<Response>> {
    let mounts = crate::core::mounts::load_auth(storage)?;
    let mut keys = Vec::new();
    let mut info = Map::new();
    for g in store::all_groups(storage)? {
        keys.push(if by_id { g.id.clone() } else { g.name.clone() });
        let mut entry = Map::new();
        entry.insert("name".into(), json!(g.name));
        entry.insert(
            "num_member_entities".into(),
            json!(g.member_entity_ids.as_ref().map_or(0, |m| m.len())),
        );
        entry.insert(
            "num_parent_groups".into(),
            json!(g.parent_group_ids.as_ref().map_or(0, |m| m.len())),
        );
        if let Some(a) = &g.alias {
            let mut am = Map::new();
            am.insert("mount_accessor".into(), json!(a.mount_accessor));
            if let Some(mt) = mounts.iter().find(|m| m.accessor == a.mount_accessor) {
                am.insert("mount_path".into(), json!(mt.full_path()));
                am.insert("mount_type".into(), json!(mt.kind));
            }
            am.insert("name".into(), json!(a.name));
            entry.insert("alias".into(), Value::Object(am));
        }
        info.insert(g.id.clone(), Value::Object(entry));
    }
    if !by_id {
        keys.sort();
    }
    list_response(keys, info)
}

// ---------------------------------------------------------------- group aliases

pub fn alias_register(storage: &dyn Storage, req: &Request) -> Result<Option<Response>> {
    if req.data.contains_key("id") {
        let id = field_string(req, "id")?.unwrap_or_default();
        return alias_update_by_id(storage, req, &id);
    }
    alias_update_common(storage, req, None)
}

pub fn alias_update_by_id(
    storage: &dyn Storage,
    req: &Request,
    id: &str,
) -> Result<Option<Response>> {
    if id.is_empty() {
        return Err(Error::bad_request("empty group alias ID"));
    }
    match store::group_by_alias_id(storage, id)? {
        None => Err(Error::bad_request("invalid group alias ID")),
        Some(g) => alias_update_common(storage, req, Some(g)),
    }
}

/// Vault's `handleGroupAliasUpdateCommon`. `current` is the group holding the alias being
/// updated (by id), `None` for a new alias.
fn alias_update_common(
    storage: &dyn Storage,
    req: &Request,
    current: Option<Group>,
) -> Result<Option<Response>> {
    let now = store::timestamp();
    let mut alias = match current.as_ref().and_then(|g| g.alias.clone()) {
        Some(mut a) => {
            a.last_update_time = now.clone();
            a
        }
        None => GroupAlias {
            creation_time: now.clone(),
            last_update_time: now.clone(),
            ..Default::default()
        },
    };
    let name = field_string(req, "name")?.unwrap_or_default();
    if name.is_empty() {
        return Err(Error::bad_request("missing alias name"));
    }
    let accessor = field_string(req, "mount_accessor")?.unwrap_or_default();
    if accessor.is_empty() {
        return Err(Error::bad_request("missing mount_accessor"));
    }
    let canonical = field_string(req, "canonical_id")?.unwrap_or_default();
    if current.is_some()
        && alias.name == name
        && alias.mount_accessor == accessor
        && (canonical.is_empty() || alias.canonical_id == canonical)
    {
        return Ok(None);
    }

    let mut new_group: Option<Group> = None;
    if !canonical.is_empty() {
        match store::group_by_id(storage, &canonical)? {
            None => {
                return Err(Error::bad_request(
                    "invalid group ID given in 'canonical_id'",
                ))
            }
            Some(g) if g.kind != EXTERNAL => {
                return Err(Error::bad_request(
                    "alias can't be set on an internal group",
                ))
            }
            Some(g) => new_group = Some(g),
        }
    }
    let Some(mount) = crate::core::mounts::load_auth(storage)?
        .into_iter()
        .find(|m| m.accessor == accessor)
    else {
        return Err(Error::bad_request(format!(
            "invalid mount accessor {accessor:?}"
        )));
    };
    if mount.local {
        return Err(Error::bad_request(format!(
            "mount accessor {accessor:?} is a local mount"
        )));
    }
    if let Some(other) = store::group_by_alias_factors(storage, &accessor, &name)? {
        let other_alias_id = other
            .alias
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_default();
        if other_alias_id != alias.id {
            return Err(Error::bad_request(
                "combination of mount and group alias name is already in use",
            ));
        }
    }
    alias.name = name;
    alias.mount_accessor = accessor;

    // The group the alias ends up in, and the one it leaves (if it moves).
    let (target_old, mut target, previous) = match current {
        None => {
            let target = match new_group {
                Some(g) => g,
                None => Group {
                    kind: EXTERNAL.to_string(),
                    ..Default::default()
                },
            };
            let old = if target.id.is_empty() {
                None
            } else {
                Some(target.clone())
            };
            (old, target, None)
        }
        Some(prev) => match new_group {
            Some(ng) if ng.id != prev.id => (Some(ng.clone()), ng, Some(prev)),
            _ => (Some(prev.clone()), prev, None),
        },
    };
    if target.id.is_empty() {
        target.id = store::new_id();
        target.creation_time = now.clone();
    }
    if target.name.is_empty() {
        target.name = store::generate_name(storage, "group")?;
    }
    if alias.id.is_empty() {
        alias.id = store::new_id();
    }
    alias.canonical_id = target.id.clone();
    // A group has one alias: a former alias of the target group is replaced.
    target.alias = Some(alias.clone());
    target.last_update_time = now;
    target.modify_index += 1;
    store::save_group(storage, &target, target_old.as_ref())?;
    if let Some(prev) = previous {
        let mut p2 = prev.clone();
        p2.alias = None;
        store::touch_group(&mut p2);
        store::save_group(storage, &p2, Some(&prev))?;
    }
    Ok(Some(Response::json(json!({
        "canonical_id": target.id,
        "id": alias.id,
    }))))
}

pub fn alias_read(storage: &dyn Storage, id: &str) -> Result<Option<Response>> {
    let Some(g) = store::group_by_alias_id(storage, id)? else {
        return Ok(None);
    };
    let Some(a) = &g.alias else {
        return Ok(None);
    };
    let mut m = Map::new();
    m.insert("canonical_id".into(), json!(a.canonical_id));
    m.insert("creation_time".into(), json!(a.creation_time));
    m.insert("custom_metadata".into(), Value::Null);
    m.insert("id".into(), json!(a.id));
    m.insert("last_update_time".into(), json!(a.last_update_time));
    m.insert("local".into(), json!(false));
    m.insert("merged_from_canonical_ids".into(), Value::Null);
    m.insert("metadata".into(), opt_map(&a.metadata));
    m.insert("mount_accessor".into(), json!(a.mount_accessor));
    if let Some((path, kind)) = mount_info(storage, &a.mount_accessor)? {
        m.insert("mount_path".into(), json!(path));
        m.insert("mount_type".into(), json!(kind));
    }
    m.insert("name".into(), json!(a.name));
    m.insert("namespace_id".into(), json!(NAMESPACE_ROOT));
    Ok(Some(Response::data(m)))
}

pub fn alias_delete(storage: &dyn Storage, id: &str) -> Result<Option<Response>> {
    if let Some(g) = store::group_by_alias_id(storage, id)? {
        let mut g2 = g.clone();
        g2.alias = None;
        store::touch_group(&mut g2);
        store::save_group(storage, &g2, Some(&g))?;
    }
    Ok(None)
}

/// LIST `identity/group-alias/id`.
pub fn list_aliases(storage: &dyn Storage) -> Result<Option<Response>> {
    let mounts = crate::core::mounts::load_auth(storage)?;
    let mut all: Vec<GroupAlias> = store::all_groups(storage)?
        .into_iter()
        .filter_map(|g| g.alias)
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let mut keys = Vec::new();
    let mut info = Map::new();
    for a in all {
        keys.push(a.id.clone());
        let mut m = Map::new();
        m.insert("canonical_id".into(), json!(a.canonical_id));
        m.insert("custom_metadata".into(), Value::Null);
        m.insert("local".into(), json!(false));
        m.insert("metadata".into(), opt_map(&a.metadata));
        m.insert("mount_accessor".into(), json!(a.mount_accessor));
        if let Some(mt) = mounts.iter().find(|m| m.accessor == a.mount_accessor) {
            m.insert("mount_path".into(), json!(mt.full_path()));
            m.insert("mount_type".into(), json!(mt.kind));
        }
        m.insert("name".into(), json!(a.name));
        info.insert(a.id.clone(), Value::Object(m));
    }
    list_response(keys, info)
}

/// `identity/lookup/group`: by `id`, `name`, `alias_id` or `alias_name` (with
/// `alias_mount_accessor`); the group's read data, or nothing.
pub fn lookup(storage: &dyn Storage, req: &Request) -> Result<Option<Response>> {
    let (field, value) = super::one_lookup_input(req, &["id", "name", "alias_id", "alias_name"])?;
    let group = match field.as_str() {
        "id" => store::group_by_id(storage, &value)?,
        "name" => store::group_by_name(storage, &value)?,
        "alias_id" => store::group_by_alias_id(storage, &value)?,
        _ => {
            let accessor = field_string(req, "alias_mount_accessor")?.unwrap_or_default();
            if accessor.is_empty() {
                return Err(Error::bad_request(
                    "'alias_mount_accessor' needs to be set along with 'alias_name'",
                ));
            }
            store::group_by_alias_factors(storage, &accessor, &value)?
        }
    };
    read(storage, group)
}
