//! Records of the identity store and their storage layout.
//!
//! Everything lives below `identity/`:
//! - `entity/id/<id>`: an [`Entity`] with its aliases embedded (as Vault packs them);
//! - `entity/name/<hex(name)>`: the id of the entity with that name;
//! - `alias/factors/<mount accessor>/<hex(name)>`: the id of the entity holding the alias;
//! - `alias/id/<alias id>`: the id of the entity holding the alias;
//! - `group/id/<id>`: a [`Group`] with its alias embedded;
//! - `group/name/<hex(name)>`: the id of the group with that name;
//! - `group-alias/factors/<mount accessor>/<hex(name)>` and `group-alias/id/<alias id>`: the
//!   id of the group holding the alias;
//! - `member/<entity id>/<group id>`: the entity is a direct member of the group;
//! - `parent/<parent group id>/<child group id>`: the child group is a member of the parent.
//!
//! Names are lower-cased (identity names are case-insensitive, as in Vault's default) and
//! hex-encoded in keys so that any name is a valid, single key segment.
//!
//! Write order (crash consistency): index keys pointing to a record are written before the
//! record and removed after it (or after the record stops referring to them). Every index
//! read checks that the record it points to exists and still matches, so a crash between two
//! writes leaves at worst a dangling index entry, which is ignored and overwritten by the next
//! write; a record is never missing one of its index entries.

use crate::core::{Error, Result};
use crate::storage::{Storage, StorageExt};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const NAMESPACE_ROOT: &str = "root";

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct EntityAlias {
    pub id: String,
    pub canonical_id: String,
    pub mount_accessor: String,
    pub name: String,
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub custom_metadata: Option<BTreeMap<String, String>>,
    pub creation_time: String,
    pub last_update_time: String,
    #[serde(default)]
    pub local: bool,
    #[serde(default)]
    pub merged_from_canonical_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Entity {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub policies: Vec<String>,
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub disabled: bool,
    pub creation_time: String,
    pub last_update_time: String,
    #[serde(default)]
    pub aliases: Vec<EntityAlias>,
    #[serde(default)]
    pub merged_entity_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct GroupAlias {
    pub id: String,
    pub canonical_id: String,
    pub mount_accessor: String,
    pub name: String,
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    pub creation_time: String,
    pub last_update_time: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// `internal` or `external`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub policies: Option<Vec<String>>,
    #[serde(default)]
    pub member_entity_ids: Option<Vec<String>>,
    #[serde(default)]
    pub parent_group_ids: Option<Vec<String>>,
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    pub creation_time: String,
    pub last_update_time: String,
    #[serde(default)]
    pub modify_index: u64,
    #[serde(default)]
    pub alias: Option<GroupAlias>,
}

/// The current time as Go's `ptypes.TimestampString` prints it (RFC 3339, UTC).
pub fn timestamp() -> String {
    go_rfc3339_nano(chrono::Utc::now())
}

/// Go's `time.RFC3339Nano` in UTC: nanoseconds with trailing zeros trimmed (and no fraction
/// at all when it is zero).
fn go_rfc3339_nano(t: chrono::DateTime<chrono::Utc>) -> String {
    let s = t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    match s.strip_suffix('Z').and_then(|b| b.split_once('.')) {
        Some((secs, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                format!("{secs}Z")
            } else {
                format!("{secs}.{frac}Z")
            }
        }
        None => s,
    }
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A name as a key segment: its hex encoding, or for names longer than 64 bytes (whose hex
/// would make too long a file name) `sha256-` and the hex digest. Lookups always compare the
/// record's own name, so the encoding never decides equality.
pub fn hex(name: &str) -> String {
    if name.len() > 64 {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(name.as_bytes());
        return format!("sha256-{}", to_hex(&digest));
    }
    to_hex(name.as_bytes())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The storage key segment of a name. Identity names (entity and group names, alias names)
/// are case-insensitive as in Vault's default memdb schema (`lowerCaseName`): the key is
/// built from the lower-cased name.
pub fn name_key(name: &str) -> String {
    hex(&name.to_lowercase())
}

/// Whether two identity names are the same name (case-insensitively).
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

fn get_id(storage: &dyn Storage, key: &str) -> Result<Option<String>> {
    Ok(storage.get_as::<String>(key)?)
}

fn put_id(storage: &dyn Storage, key: &str, id: &str) -> Result<()> {
    storage
        .put(key, &serde_json::Value::String(id.to_string()))
        .map_err(Error::from)
}

/// A storage key segment made of a user-given id: ids must be non-empty and contain no `/`.
fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.contains('/')
        && id != "."
        && id != ".."
        && !id.contains('\0')
}

// ---------------------------------------------------------------- entities

pub fn entity_by_id(storage: &dyn Storage, id: &str) -> Result<Option<Entity>> {
    if !id_ok(id) {
        return Ok(None);
    }
    Ok(storage.get_as::<Entity>(&format!("identity/entity/id/{id}"))?)
}

pub fn entity_by_name(storage: &dyn Storage, name: &str) -> Result<Option<Entity>> {
    if name.is_empty() {
        return Ok(None);
    }
    let Some(id) = get_id(storage, &format!("identity/entity/name/{}", name_key(name)))? else {
        return Ok(None);
    };
    Ok(entity_by_id(storage, &id)?.filter(|e| same_name(&e.name, name)))
}

/// The entity holding the alias (mount accessor, name), and the alias's index in it.
pub fn entity_by_alias_factors(
    storage: &dyn Storage,
    accessor: &str,
    name: &str,
) -> Result<Option<(Entity, usize)>> {
    if !id_ok(accessor) || name.is_empty() {
        return Ok(None);
    }
    let key = format!("identity/alias/factors/{accessor}/{}", name_key(name));
    let Some(id) = get_id(storage, &key)? else {
        return Ok(None);
    };
    Ok(entity_by_id(storage, &id)?.and_then(|e| {
        let pos = e
            .aliases
            .iter()
            .position(|a| a.mount_accessor == accessor && same_name(&a.name, name))?;
        Some((e, pos))
    }))
}

/// The entity holding the alias with this id, and the alias's index in it.
pub fn entity_by_alias_id(
    storage: &dyn Storage,
    alias_id: &str,
) -> Result<Option<(Entity, usize)>> {
    if !id_ok(alias_id) {
        return Ok(None);
    }
    let Some(id) = get_id(storage, &format!("identity/alias/id/{alias_id}"))? else {
        return Ok(None);
    };
    Ok(entity_by_id(storage, &id)?.and_then(|e| {
        let pos = e.aliases.iter().position(|a| a.id == alias_id)?;
        Some((e, pos))
    }))
}

/// Writes an entity and its indexes: the indexes first, then the record, then the removal of
/// the stale index entries of `old` (the previous version: old name, removed aliases).
pub fn save_entity(storage: &dyn Storage, e: &Entity, old: Option<&Entity>) -> Result<()> {
    put_id(
        storage,
        &format!("identity/entity/name/{}", name_key(&e.name)),
        &e.id,
    )?;
    for a in &e.aliases {
        put_id(
            storage,
            &format!(
                "identity/alias/factors/{}/{}",
                a.mount_accessor,
                name_key(&a.name)
            ),
            &e.id,
        )?;
        put_id(storage, &format!("identity/alias/id/{}", a.id), &e.id)?;
    }
    storage.put_as(&format!("identity/entity/id/{}", e.id), e)?;
    if let Some(old) = old {
        drop_stale_entity_indexes(storage, e, old)?;
    }
    Ok(())
}

/// Removes the index entries of `old` that `e` (the same entity, newer) no longer has.
fn drop_stale_entity_indexes(storage: &dyn Storage, e: &Entity, old: &Entity) -> Result<()> {
    {
        if !same_name(&old.name, &e.name) {
            delete_index_if(
                storage,
                &format!("identity/entity/name/{}", name_key(&old.name)),
                &e.id,
            )?;
        }
        for a in &old.aliases {
            let still = e
                .aliases
                .iter()
                .any(|n| n.mount_accessor == a.mount_accessor && same_name(&n.name, &a.name));
            if !still {
                delete_index_if(
                    storage,
                    &format!(
                        "identity/alias/factors/{}/{}",
                        a.mount_accessor,
                        name_key(&a.name)
                    ),
                    &e.id,
                )?;
            }
            if !e.aliases.iter().any(|n| n.id == a.id) {
                delete_index_if(storage, &format!("identity/alias/id/{}", a.id), &e.id)?;
            }
        }
    }
    Ok(())
}

/// Deletes an index key only if it still points to `id`.
fn delete_index_if(storage: &dyn Storage, key: &str, id: &str) -> Result<()> {
    if get_id(storage, key)?.as_deref() == Some(id) {
        storage.delete(key)?;
    }
    Ok(())
}

/// Deletes an entity: its group memberships, then the record, then its indexes.
pub fn delete_entity(storage: &dyn Storage, e: &Entity) -> Result<()> {
    for g in groups_of_entity(storage, &e.id)? {
        let mut g2 = g.clone();
        if let Some(m) = g2.member_entity_ids.as_mut() {
            m.retain(|x| x != &e.id);
        }
        touch_group(&mut g2);
        save_group(storage, &g2, Some(&g))?;
    }
    storage.delete(&format!("identity/entity/id/{}", e.id))?;
    let gone = Entity {
        id: e.id.clone(),
        ..Default::default()
    };
    drop_stale_entity_indexes(storage, &gone, e)
}

/// All entities (only for LIST endpoints; never on the login path).
pub fn all_entities(storage: &dyn Storage) -> Result<Vec<Entity>> {
    let mut out = Vec::new();
    for id in storage.list("identity/entity/id/")? {
        if id.ends_with('/') {
            continue;
        }
        if let Some(e) = entity_by_id(storage, &id)? {
            out.push(e);
        }
    }
    Ok(out)
}

/// A fresh name `<kind>_<8 hex>` not used yet by an entity or group.
pub fn generate_name(storage: &dyn Storage, kind: &str) -> Result<String> {
    for _ in 0..100 {
        let id = new_id();
        let candidate = format!("{kind}_{}", id.get(..8).unwrap_or("00000000"));
        let taken = if kind == "entity" {
            entity_by_name(storage, &candidate)?.is_some()
        } else {
            group_by_name(storage, &candidate)?.is_some()
        };
        if !taken {
            return Ok(candidate);
        }
    }
    Err(Error::internal(format!(
        "failed to generate a unique {kind} name"
    )))
}

// ---------------------------------------------------------------- groups

pub fn group_by_id(storage: &dyn Storage, id: &str) -> Result<Option<Group>> {
    if !id_ok(id) {
        return Ok(None);
    }
    Ok(storage.get_as::<Group>(&format!("identity/group/id/{id}"))?)
}

pub fn group_by_name(storage: &dyn Storage, name: &str) -> Result<Option<Group>> {
    if name.is_empty() {
        return Ok(None);
    }
    let Some(id) = get_id(storage, &format!("identity/group/name/{}", name_key(name)))? else {
        return Ok(None);
    };
    Ok(group_by_id(storage, &id)?.filter(|g| same_name(&g.name, name)))
}

pub fn group_by_alias_factors(
    storage: &dyn Storage,
    accessor: &str,
    name: &str,
) -> Result<Option<Group>> {
    if !id_ok(accessor) || name.is_empty() {
        return Ok(None);
    }
    let key = format!("identity/group-alias/factors/{accessor}/{}", name_key(name));
    let Some(id) = get_id(storage, &key)? else {
        return Ok(None);
    };
    Ok(group_by_id(storage, &id)?.filter(|g| {
        g.alias
            .as_ref()
            .is_some_and(|a| a.mount_accessor == accessor && same_name(&a.name, name))
    }))
}

pub fn group_by_alias_id(storage: &dyn Storage, alias_id: &str) -> Result<Option<Group>> {
    if !id_ok(alias_id) {
        return Ok(None);
    }
    let Some(id) = get_id(storage, &format!("identity/group-alias/id/{alias_id}"))? else {
        return Ok(None);
    };
    Ok(group_by_id(storage, &id)?.filter(|g| g.alias.as_ref().is_some_and(|a| a.id == alias_id)))
}

/// Marks a group modified: a new `last_update_time` and `modify_index`.
pub fn touch_group(g: &mut Group) {
    g.last_update_time = timestamp();
    g.modify_index += 1;
}

/// Writes a group and its indexes (name, alias, membership, parents): the indexes first, then
/// the record, then the removal of the stale index entries of `old`.
pub fn save_group(storage: &dyn Storage, g: &Group, old: Option<&Group>) -> Result<()> {
    put_id(
        storage,
        &format!("identity/group/name/{}", name_key(&g.name)),
        &g.id,
    )?;
    if let Some(a) = &g.alias {
        put_id(
            storage,
            &format!(
                "identity/group-alias/factors/{}/{}",
                a.mount_accessor,
                name_key(&a.name)
            ),
            &g.id,
        )?;
        put_id(storage, &format!("identity/group-alias/id/{}", a.id), &g.id)?;
    }
    let members = g.member_entity_ids.clone().unwrap_or_default();
    for m in &members {
        if id_ok(m) {
            storage.put(
                &format!("identity/member/{m}/{}", g.id),
                &serde_json::Value::Bool(true),
            )?;
        }
    }
    let parents = g.parent_group_ids.clone().unwrap_or_default();
    for p in &parents {
        if id_ok(p) {
            storage.put(
                &format!("identity/parent/{p}/{}", g.id),
                &serde_json::Value::Bool(true),
            )?;
        }
    }
    storage.put_as(&format!("identity/group/id/{}", g.id), g)?;
    if let Some(old) = old {
        drop_stale_group_indexes(storage, g, old)?;
    }
    Ok(())
}

/// Removes the index entries of `old` that `g` (the same group, newer) no longer has.
fn drop_stale_group_indexes(storage: &dyn Storage, g: &Group, old: &Group) -> Result<()> {
    let members = g.member_entity_ids.clone().unwrap_or_default();
    let parents = g.parent_group_ids.clone().unwrap_or_default();
    {
        if !same_name(&old.name, &g.name) {
            delete_index_if(
                storage,
                &format!("identity/group/name/{}", name_key(&old.name)),
                &g.id,
            )?;
        }
        if let Some(a) = &old.alias {
            let same = g.alias.as_ref().is_some_and(|n| {
                n.mount_accessor == a.mount_accessor && same_name(&n.name, &a.name)
            });
            if !same {
                delete_index_if(
                    storage,
                    &format!(
                        "identity/group-alias/factors/{}/{}",
                        a.mount_accessor,
                        name_key(&a.name)
                    ),
                    &g.id,
                )?;
            }
            if g.alias.as_ref().map(|n| n.id.as_str()) != Some(a.id.as_str()) {
                delete_index_if(storage, &format!("identity/group-alias/id/{}", a.id), &g.id)?;
            }
        }
        for m in old.member_entity_ids.iter().flatten() {
            if id_ok(m) && !members.contains(m) {
                storage.delete(&format!("identity/member/{m}/{}", g.id))?;
            }
        }
        for p in old.parent_group_ids.iter().flatten() {
            if id_ok(p) && !parents.contains(p) {
                storage.delete(&format!("identity/parent/{p}/{}", g.id))?;
            }
        }
    }
    Ok(())
}

/// Deletes a group: removes it from its member groups' parent lists, then deletes the record,
/// then its indexes.
pub fn delete_group(storage: &dyn Storage, g: &Group) -> Result<()> {
    for child in member_groups(storage, &g.id)? {
        let mut c2 = child.clone();
        if let Some(p) = c2.parent_group_ids.as_mut() {
            p.retain(|x| x != &g.id);
        }
        touch_group(&mut c2);
        save_group(storage, &c2, Some(&child))?;
    }
    storage.delete(&format!("identity/group/id/{}", g.id))?;
    let gone = Group {
        id: g.id.clone(),
        ..Default::default()
    };
    drop_stale_group_indexes(storage, &gone, g)
}

/// The groups an entity is a direct member of, sorted by id.
pub fn groups_of_entity(storage: &dyn Storage, entity_id: &str) -> Result<Vec<Group>> {
    let mut out = Vec::new();
    if !id_ok(entity_id) {
        return Ok(out);
    }
    for gid in storage.list(&format!("identity/member/{entity_id}/"))? {
        if let Some(g) = group_by_id(storage, &gid)? {
            if g.member_entity_ids
                .as_ref()
                .is_some_and(|m| m.iter().any(|x| x == entity_id))
            {
                out.push(g);
            }
        }
    }
    Ok(out)
}

/// The groups whose parent is `parent_id` (its `member_group_ids`), sorted by id.
pub fn member_groups(storage: &dyn Storage, parent_id: &str) -> Result<Vec<Group>> {
    let mut out = Vec::new();
    if !id_ok(parent_id) {
        return Ok(out);
    }
    for cid in storage.list(&format!("identity/parent/{parent_id}/"))? {
        if let Some(c) = group_by_id(storage, &cid)? {
            if c.parent_group_ids
                .as_ref()
                .is_some_and(|p| p.iter().any(|x| x == parent_id))
            {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// The ancestors of the given groups (their parents, recursively), excluding the groups
/// themselves, in discovery order.
pub fn ancestors(storage: &dyn Storage, groups: &[Group]) -> Result<Vec<Group>> {
    let mut seen: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let mut queue: Vec<String> = groups
        .iter()
        .flat_map(|g| g.parent_group_ids.clone().unwrap_or_default())
        .collect();
    let mut out = Vec::new();
    while let Some(id) = queue.pop() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        if let Some(g) = group_by_id(storage, &id)? {
            queue.extend(g.parent_group_ids.clone().unwrap_or_default());
            out.push(g);
        }
    }
    Ok(out)
}

/// All groups (only for LIST endpoints).
pub fn all_groups(storage: &dyn Storage) -> Result<Vec<Group>> {
    let mut out = Vec::new();
    for id in storage.list("identity/group/id/")? {
        if id.ends_with('/') {
            continue;
        }
        if let Some(g) = group_by_id(storage, &id)? {
            out.push(g);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_roundtrip_any_name() {
        for n in ["alice", "a/b", "..", "é ü", "", &"z".repeat(64)] {
            assert_eq!(unhex(&hex(n)).as_deref(), Some(n));
        }
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn long_names_are_hashed_into_short_keys() {
        let long = "x".repeat(500);
        let k = hex(&long);
        assert!(k.starts_with("sha256-") && k.len() == 71, "{k}");
        assert_ne!(hex(&"y".repeat(500)), k);
        assert_eq!(hex("ab"), "6162");
        assert!(!id_ok(&"a".repeat(201)));
        assert!(!id_ok("a/b") && !id_ok("..") && id_ok("abc-1"));
    }

    #[test]
    fn lookups_of_long_and_odd_names_do_not_fail() {
        let s = crate::storage::MemoryStorage::default();
        let long = "n".repeat(1000);
        assert!(entity_by_name(&s, &long).unwrap().is_none());
        assert!(entity_by_alias_factors(&s, "auth_jwt_1", &long)
            .unwrap()
            .is_none());
        assert!(entity_by_id(&s, &"i".repeat(5000)).unwrap().is_none());
        assert!(group_by_alias_id(&s, "../x").unwrap().is_none());
    }

    #[test]
    fn names_are_case_insensitive_keys() {
        assert_eq!(name_key("Alice"), name_key("alice"));
        assert!(same_name("ALICE", "alice") && !same_name("alice", "bob"));
    }

    #[test]
    fn timestamps_trim_trailing_zeros_like_go() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .timestamp_opt(1_700_000_000, 202_799_120)
            .unwrap();
        assert_eq!(go_rfc3339_nano(t), "2023-11-14T22:13:20.20279912Z");
        let t = chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap();
        assert_eq!(go_rfc3339_nano(t), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn timestamp_is_rfc3339_utc() {
        let t = timestamp();
        assert!(t.ends_with('Z'), "{t}");
        assert!(chrono::DateTime::parse_from_rfc3339(&t).is_ok());
    }
}
