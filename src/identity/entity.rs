//! `identity/entity...` and `identity/entity-alias...` endpoints.

use super::store::{self, Entity, EntityAlias, NAMESPACE_ROOT};
use super::{
    field_bool, field_kv, field_list, field_string, list_response, mount_info, opt_list, opt_map,
    remove_duplicates,
};
use crate::core::{Error, Request, Response, Result};
use crate::storage::Storage;
use serde_json::{json, Map, Value};

/// Create or update an entity (`identity/entity`, `identity/entity/id/<id>`,
/// `identity/entity/name/<name>`): Vault's `handleEntityUpdateCommon`.
pub fn update(
    storage: &dyn Storage,
    req: &Request,
    path_id: Option<&str>,
    path_name: Option<&str>,
) -> Result<Option<Response>> {
    let id = match path_id {
        Some(id) => id.to_string(),
        None => field_string(req, "id")?.unwrap_or_default(),
    };
    let name = match path_name {
        Some(n) => n.to_string(),
        None => field_string(req, "name")?.unwrap_or_default(),
    };
    let policies = field_list(req, "policies")?;
    let disabled = field_bool(req, "disabled")?;

    let mut entity: Option<Entity> = None;
    if !id.is_empty() {
        entity = store::entity_by_id(storage, &id)?;
        if entity.is_none() {
            return Err(Error::bad_request("entity not found from id"));
        }
    }
    if !name.is_empty() {
        if let Some(by_name) = store::entity_by_name(storage, &name)? {
            match &entity {
                None => entity = Some(by_name),
                Some(e) if e.id == by_name.id => {}
                Some(_) => return Err(Error::bad_request("entity name is already in use")),
            }
        }
    }
    let old = entity.clone();
    let mut e = entity.unwrap_or_default();
    if !name.is_empty() {
        e.name = name;
    }
    if let Some(p) = policies {
        e.policies = remove_duplicates(&p);
    }
    if e.policies.iter().any(|p| p == "root") {
        return Err(Error::bad_request("policies cannot contain root"));
    }
    if let Some(d) = disabled {
        e.disabled = d;
    }
    if let Some(m) = field_kv(req, "metadata")? {
        e.metadata = Some(m);
    }
    let new_entity = e.id.is_empty();
    let now = store::timestamp();
    if new_entity {
        e.id = store::new_id();
        e.creation_time = now.clone();
    }
    if e.name.is_empty() {
        e.name = store::generate_name(storage, "entity")?;
    }
    e.last_update_time = now;
    store::save_entity(storage, &e, old.as_ref())?;
    if !new_entity {
        return Ok(None);
    }
    let aliases: Vec<String> = e.aliases.iter().map(|a| a.id.clone()).collect();
    Ok(Some(Response::json(json!({
        "aliases": if aliases.is_empty() { Value::Null } else { json!(aliases) },
        "id": e.id,
        "name": e.name,
    }))))
}

/// The JSON of an entity alias as an entity read shows it.
fn alias_json(storage: &dyn Storage, a: &EntityAlias, standalone: bool) -> Result<Value> {
    let mut m = Map::new();
    m.insert("canonical_id".into(), json!(a.canonical_id));
    m.insert("creation_time".into(), json!(a.creation_time));
    m.insert("custom_metadata".into(), opt_map(&a.custom_metadata));
    m.insert("id".into(), json!(a.id));
    m.insert("last_update_time".into(), json!(a.last_update_time));
    m.insert("local".into(), json!(a.local));
    m.insert(
        "merged_from_canonical_ids".into(),
        opt_list(&a.merged_from_canonical_ids),
    );
    m.insert("metadata".into(), opt_map(&a.metadata));
    m.insert("mount_accessor".into(), json!(a.mount_accessor));
    if let Some((path, kind)) = mount_info(storage, &a.mount_accessor)? {
        m.insert("mount_path".into(), json!(path));
        m.insert("mount_type".into(), json!(kind));
    }
    m.insert("name".into(), json!(a.name));
    if standalone {
        m.insert("namespace_id".into(), json!(NAMESPACE_ROOT));
    }
    Ok(Value::Object(m))
}

/// The data of an entity read (Vault's `handleEntityReadCommon`).
pub fn entity_data(storage: &dyn Storage, e: &Entity) -> Result<Map<String, Value>> {
    let aliases = e
        .aliases
        .iter()
        .map(|a| alias_json(storage, a, false))
        .collect::<Result<Vec<_>>>()?;
    let direct = store::groups_of_entity(storage, &e.id)?;
    let inherited = store::ancestors(storage, &direct)?;
    let direct_ids: Vec<String> = direct.iter().map(|g| g.id.clone()).collect();
    let inherited_ids: Vec<String> = inherited.iter().map(|g| g.id.clone()).collect();
    let all: Vec<String> = direct_ids.iter().chain(&inherited_ids).cloned().collect();
    let mut m = Map::new();
    m.insert("aliases".into(), Value::Array(aliases));
    m.insert("creation_time".into(), json!(e.creation_time));
    m.insert("direct_group_ids".into(), json!(direct_ids));
    m.insert("disabled".into(), json!(e.disabled));
    m.insert("group_ids".into(), json!(all));
    m.insert("id".into(), json!(e.id));
    m.insert("inherited_group_ids".into(), json!(inherited_ids));
    m.insert("last_update_time".into(), json!(e.last_update_time));
    m.insert("merged_entity_ids".into(), opt_list(&e.merged_entity_ids));
    m.insert("metadata".into(), opt_map(&e.metadata));
    m.insert("name".into(), json!(e.name));
    m.insert("namespace_id".into(), json!(NAMESPACE_ROOT));
    m.insert("policies".into(), json!(remove_duplicates(&e.policies)));
    Ok(m)
}

pub fn read(storage: &dyn Storage, e: Option<Entity>) -> Result<Option<Response>> {
    match e {
        None => Ok(None),
        Some(e) => Ok(Some(Response::data(entity_data(storage, &e)?))),
    }
}

pub fn delete(storage: &dyn Storage, e: Option<Entity>) -> Result<Option<Response>> {
    if let Some(e) = e {
        store::delete_entity(storage, &e)?;
    }
    Ok(None)
}

/// LIST `identity/entity/id` or `identity/entity/name`.
pub fn list(storage: &dyn Storage, by_id: bool) -> Result<Option<Response>> {
    let mounts = crate::core::mounts::load_auth(storage)?;
    let mut keys = Vec::new();
    let mut info = Map::new();
    for e in store::all_entities(storage)? {
        keys.push(if by_id { e.id.clone() } else { e.name.clone() });
        let mut entry = Map::new();
        entry.insert("name".into(), json!(e.name));
        if !e.aliases.is_empty() {
            let list: Vec<Value> = e
                .aliases
                .iter()
                .map(|a| {
                    let mut m = Map::new();
                    m.insert("id".into(), json!(a.id));
                    m.insert("mount_accessor".into(), json!(a.mount_accessor));
                    if let Some(mt) = mounts.iter().find(|m| m.accessor == a.mount_accessor) {
                        m.insert("mount_path".into(), json!(mt.full_path()));
                        m.insert("mount_type".into(), json!(mt.kind));
                    }
                    m.insert("name".into(), json!(a.name));
                    Value::Object(m)
                })
                .collect();
            entry.insert("aliases".into(), Value::Array(list));
        }
        info.insert(e.id.clone(), Value::Object(entry));
    }
    if !by_id {
        keys.sort();
    }
    list_response(keys, info)
}

// ---------------------------------------------------------------- entity aliases

pub fn alias_read(storage: &dyn Storage, id: &str) -> Result<Option<Response>> {
    match store::entity_by_alias_id(storage, id)? {
        None => Ok(None),
        Some((e, pos)) => match e.aliases.get(pos) {
            None => Ok(None),
            Some(a) => match alias_json(storage, a, true)? {
                Value::Object(m) => Ok(Some(Response::data(m))),
                _ => Ok(None),
            },
        },
    }
}

pub fn alias_delete(storage: &dyn Storage, id: &str) -> Result<Option<Response>> {
    if let Some((e, pos)) = store::entity_by_alias_id(storage, id)? {
        let mut e2 = e.clone();
        if pos < e2.aliases.len() {
            e2.aliases.remove(pos);
        }
        e2.last_update_time = store::timestamp();
        store::save_entity(storage, &e2, Some(&e))?;
    }
    Ok(None)
}

/// LIST `identity/entity-alias/id`.
pub fn list_aliases(storage: &dyn Storage) -> Result<Option<Response>> {
    let mounts = crate::core::mounts::load_auth(storage)?;
    let mut all: Vec<EntityAlias> = store::all_entities(storage)?
        .into_iter()
        .flat_map(|e| e.aliases)
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let mut keys = Vec::new();
    let mut info = Map::new();
    for a in all {
        keys.push(a.id.clone());
        let mut m = Map::new();
        m.insert("canonical_id".into(), json!(a.canonical_id));
        m.insert("custom_metadata".into(), opt_map(&a.custom_metadata));
        m.insert("local".into(), json!(a.local));
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

/// `identity/entity-alias` and `identity/entity-alias/id/<id>` writes (Vault's
/// `handleAliasCreateUpdate`).
pub fn alias_update(
    storage: &dyn Storage,
    req: &Request,
    path_id: Option<&str>,
) -> Result<Option<Response>> {
    let mut name = field_string(req, "name")?.unwrap_or_default();
    let mut accessor = field_string(req, "mount_accessor")?.unwrap_or_default();
    let id = match path_id {
        Some(i) => i.to_string(),
        None => field_string(req, "id")?.unwrap_or_default(),
    };
    let custom = field_kv(req, "custom_metadata")?;
    let mut canonical = field_string(req, "canonical_id")?.unwrap_or_default();
    if canonical.is_empty() {
        canonical = field_string(req, "entity_id")?.unwrap_or_default();
    }

    if !id.is_empty() {
        let Some((entity, pos)) = store::entity_by_alias_id(storage, &id)? else {
            return Err(Error::bad_request("invalid alias ID provided"));
        };
        let Some(alias) = entity.aliases.get(pos).cloned() else {
            return Err(Error::bad_request("invalid alias ID provided"));
        };
        match (accessor.is_empty(), name.is_empty()) {
            (true, true) => {
                if canonical.is_empty() && custom.is_none() {
                    return Ok(None);
                }
                name = alias.name.clone();
                accessor = alias.mount_accessor.clone();
            }
            (true, false) => accessor = alias.mount_accessor.clone(),
            (false, true) => name = alias.name.clone(),
            _ => {}
        }
        let custom = custom.or_else(|| alias.custom_metadata.clone());
        return alias_change(storage, entity, alias, &canonical, &name, &accessor, custom);
    }

    if accessor.is_empty() || name.is_empty() {
        return Err(Error::bad_request(
            "'id' or 'mount_accessor' and 'name' must be provided",
        ));
    }
    let Some(mount) = crate::core::mounts::load_auth(storage)?
        .into_iter()
        .find(|m| m.accessor == accessor)
    else {
        return Err(Error::bad_request(format!(
            "invalid mount accessor {accessor:?}"
        )));
    };
    if let Some((entity, pos)) = store::entity_by_alias_factors(storage, &accessor, &name)? {
        let Some(alias) = entity.aliases.get(pos).cloned() else {
            return Err(Error::internal("alias index is inconsistent"));
        };
        let custom = custom.or_else(|| Some(Default::default()));
        return alias_change(storage, entity, alias, &canonical, &name, &accessor, custom);
    }

    // A new alias.
    let (mut entity, old) = if !canonical.is_empty() {
        match store::entity_by_id(storage, &canonical)? {
            None => return Err(Error::bad_request("invalid canonical ID")),
            Some(e) => (e.clone(), Some(e)),
        }
    } else {
        let now = store::timestamp();
        let e = Entity {
            id: store::new_id(),
            name: store::generate_name(storage, "entity")?,
            creation_time: now.clone(),
            last_update_time: now,
            ..Default::default()
        };
        (e, None)
    };
    if entity.aliases.iter().any(|a| a.mount_accessor == accessor) {
        return Err(Error::bad_request(
            "Alias already exists for requested entity and mount accessor",
        ));
    }
    let now = store::timestamp();
    let alias = EntityAlias {
        id: store::new_id(),
        canonical_id: entity.id.clone(),
        mount_accessor: accessor,
        name,
        metadata: None,
        custom_metadata: custom.filter(|m| !m.is_empty()),
        creation_time: now.clone(),
        last_update_time: now.clone(),
        local: mount.local,
        merged_from_canonical_ids: None,
    };
    entity.aliases.push(alias.clone());
    entity.last_update_time = now;
    store::save_entity(storage, &entity, old.as_ref())?;
    Ok(Some(Response::json(json!({
        "canonical_id": entity.id,
        "id": alias.id,
    }))))
}

/// Vault's `handleAliasUpdate`: rename, move to another entity, or change custom metadata.
fn alias_change(
    storage: &dyn Storage,
    current: Entity,
    mut alias: EntityAlias,
    canonical: &str,
    name: &str,
    accessor: &str,
    custom: Option<std::collections::BTreeMap<String, String>>,
) -> Result<Option<Response>> {
    let custom_norm = custom.clone().filter(|m| !m.is_empty());
    let same_custom = custom_norm == alias.custom_metadata.clone().filter(|m| !m.is_empty());
    if name == alias.name
        && accessor == alias.mount_accessor
        && (canonical == alias.canonical_id || canonical.is_empty())
        && same_custom
    {
        return Ok(None);
    }
    alias.last_update_time = store::timestamp();
    let moving = !canonical.is_empty() && canonical != alias.canonical_id;
    if accessor != alias.mount_accessor
        && !moving
        && current
            .aliases
            .iter()
            .any(|a| a.mount_accessor == accessor && a.id != alias.id)
    {
        return Err(Error::bad_request(
            "Alias cannot be updated as the entity already has an alias for the given 'mount_accessor' ",
        ));
    }
    if name != alias.name || accessor != alias.mount_accessor || !same_custom {
        let Some(mount) = crate::core::mounts::load_auth(storage)?
            .into_iter()
            .find(|m| m.accessor == accessor)
        else {
            return Err(Error::bad_request(format!(
                "invalid mount accessor {accessor:?}"
            )));
        };
        if let Some((other, pos)) = store::entity_by_alias_factors(storage, accessor, name)? {
            if other.aliases.get(pos).map(|a| a.id.as_str()) != Some(alias.id.as_str()) {
                return Err(Error::bad_request(
                    "alias with combination of mount accessor and name already exists",
                ));
            }
        }
        alias.name = name.to_string();
        alias.mount_accessor = accessor.to_string();
        alias.custom_metadata = custom_norm;
        alias.local = mount.local;
    }
    if moving {
        if alias.local {
            return Err(Error::bad_request(
                "local aliases can't be moved between entities",
            ));
        }
        let Some(target) = store::entity_by_id(storage, canonical)? else {
            return Err(Error::bad_request(
                "given 'canonical_id' is not associated with an entity",
            ));
        };
        if target.aliases.iter().any(|a| a.mount_accessor == accessor) {
            return Err(Error::bad_request(
                "Alias cannot be updated as the given entity already has an alias for this mount ",
            ));
        }
        let mut t2 = target.clone();
        alias.canonical_id = t2.id.clone();
        t2.aliases.push(alias.clone());
        t2.last_update_time = alias.last_update_time.clone();
        store::save_entity(storage, &t2, Some(&target))?;
        let mut c2 = current.clone();
        c2.aliases.retain(|a| a.id != alias.id);
        c2.last_update_time = alias.last_update_time.clone();
        store::save_entity(storage, &c2, Some(&current))?;
        return Ok(Some(Response::json(json!({
            "canonical_id": t2.id,
            "id": alias.id,
        }))));
    }
    let mut c2 = current.clone();
    for a in c2.aliases.iter_mut() {
        if a.id == alias.id {
            *a = alias.clone();
        }
    }
    c2.last_update_time = alias.last_update_time.clone();
    store::save_entity(storage, &c2, Some(&current))?;
    Ok(Some(Response::json(json!({
        "canonical_id": c2.id,
        "id": alias.id,
    }))))
}

/// `identity/lookup/entity`: by `id`, `name`, `alias_id` or `alias_name` (with
/// `alias_mount_accessor`); the entity's read data, or nothing.
pub fn lookup(storage: &dyn Storage, req: &Request) -> Result<Option<Response>> {
    let (field, value) = super::one_lookup_input(req, &["id", "name", "alias_id", "alias_name"])?;
    let entity = match field.as_str() {
        "id" => store::entity_by_id(storage, &value)?,
        "name" => store::entity_by_name(storage, &value)?,
        "alias_id" => store::entity_by_alias_id(storage, &value)?.map(|(e, _)| e),
        _ => {
            let accessor = field_string(req, "alias_mount_accessor")?.unwrap_or_default();
            if accessor.is_empty() {
                return Err(Error::bad_request(
                    "'alias_mount_accessor' needs to be set along with 'alias_name'",
                ));
            }
            store::entity_by_alias_factors(storage, &accessor, &value)?.map(|(e, _)| e)
        }
    };
    read(storage, entity)
}
