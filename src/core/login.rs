//! What the core does with the `Auth` an auth method returns (spec §7): find or create the
//! entity and its alias, join external groups, compute TTLs and policies, and issue the token.
//!
//! Crash consistency: all of a login's writes go to the storage as one batch (see
//! [`complete`]), which the file storage applies atomically through its journal. The order
//! inside the batch still matters for storages that apply a batch key by key (the default
//! [`Storage::apply`]): the entity record (with its alias) is written first, then its index
//! keys, then group memberships, and the token last, so a cut at any point leaves no token
//! pointing to a missing entity; at worst a created entity without a token (reused by the
//! next login) or a dangling index entry, which lookups ignore (see `identity::store`).

use super::{Alias, Auth, Core, Error, MountEntry, Response, Result};
use crate::identity::store::{self, Entity, EntityAlias};
use crate::storage::{Batch, Storage};
use std::collections::BTreeMap;

/// Turns a backend's login response into an issued token.
///
/// Every write of the login (entity, alias, indexes, group memberships, token and its
/// indexes) is buffered and reaches the storage as one [`Storage::apply`]: on the file storage
/// one journal record, so a crash leaves the login whole or not there at all. The buffered
/// writes are applied whether or not the login then succeeds, exactly as if they had been
/// written one by one (an entity created before a refused policy check stays, as in Vault).
pub fn complete(
    core: &mut Core,
    mount: &MountEntry,
    path: &str,
    resp: Response,
) -> Result<Response> {
    let tx = Batch::new(core.storage.as_ref());
    let out = complete_in(&tx, mount, path, resp, Mode::Login);
    let committed = tx.commit();
    let (resp, _) = out?;
    committed?;
    Ok(resp)
}

/// `jwt explain`'s end: the very completion a login runs, on a batch that is dropped instead
/// of committed, going on past a failed stage so that every stage is reported. Returns the
/// response (its `Auth` filled in as the login would fill it, without a token) and what each
/// stage found; `None` when the backend returned no `Auth` (its own checks failed).
pub fn preview(
    core: &Core,
    mount: &MountEntry,
    path: &str,
    resp: Response,
) -> Result<(Response, Option<Completion>)> {
    if resp.auth.is_none() {
        return Ok((resp, None));
    }
    let tx = Batch::new(core.storage.as_ref());
    let (resp, completion) = complete_in(&tx, mount, path, resp, Mode::Explain)?;
    drop(tx);
    Ok((resp, Some(completion)))
}

/// How far [`complete_in`] goes: a login stops at the first failure; an explanation goes on to
/// report every stage, and issues no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Login,
    Explain,
}

/// What the completion of a login found, stage by stage (what `jwt explain` reports).
#[derive(Debug, Default)]
pub struct Completion {
    /// The entity holding the alias before this login; `None` when the login creates one
    /// (or there is no alias).
    pub entity: Option<Entity>,
    /// A refused entity: a disabled one, or an alias without a name.
    pub entity_error: Option<Error>,
    /// The external groups the login joins and leaves.
    pub groups: GroupChanges,
    /// The TTL's failure (it is then 0).
    pub ttl_error: Option<Error>,
    /// A policy an auth method may not give.
    pub policies_error: Option<Error>,
}

impl Completion {
    /// The first failure, in the order of the stages.
    pub fn error(&self) -> Option<&Error> {
        self.entity_error
            .as_ref()
            .or(self.ttl_error.as_ref())
            .or(self.policies_error.as_ref())
    }
}

/// One pipeline for a login and its explanation (spec §7). In [`Mode::Login`] the first
/// failure is returned; in [`Mode::Explain`] it is recorded in the [`Completion`] and the
/// later stages run on what there is, and no token is created.
fn complete_in(
    storage: &dyn Storage,
    mount: &MountEntry,
    path: &str,
    resp: Response,
    mode: Mode,
) -> Result<(Response, Completion)> {
    let mut resp = resp;
    let Some(mut auth) = resp.auth.take() else {
        return Err(Error::internal("login response carries no auth"));
    };
    let now = super::now();
    let mut done = Completion::default();
    // A stage's failure: the login's error, or a line of the explanation.
    let fail = |slot: &mut Option<Error>, e: Error| -> Result<()> {
        match mode {
            Mode::Login => Err(e),
            Mode::Explain => {
                *slot = Some(e);
                Ok(())
            }
        }
    };

    // §7.1–7.3: entity, alias and external groups.
    if let Some(alias) = auth.alias.clone() {
        if !alias.name.is_empty() {
            done.entity = store::entity_by_alias_factors(storage, &mount.accessor, &alias.name)?
                .map(|(e, _)| e);
        }
        match create_or_fetch_entity(storage, mount, &alias) {
            Ok(entity) => {
                if entity.disabled {
                    fail(&mut done.entity_error, Error::permission_denied())?;
                }
                auth.entity_id = entity.id.clone();
                done.groups = external_group_changes(
                    storage,
                    Some(&entity.id),
                    &mount.accessor,
                    &auth.group_aliases,
                )?;
                apply_group_changes(storage, &entity.id, &done.groups)?;
                auth.group_aliases = done.groups.valid.clone();
            }
            Err(e) => fail(&mut done.entity_error, e)?,
        }
    }

    // §7.4: display name.
    auth.display_name = display_name(mount, &auth);

    // §7.5: TTL.
    let ttl = match calculate_ttl(mount, &auth) {
        Ok((ttl, warnings)) => {
            resp.warnings.extend(warnings);
            ttl
        }
        Err(e) => {
            fail(&mut done.ttl_error, e)?;
            0
        }
    };

    // §7.6: policies.
    let token_policies = sanitize_policies(&auth.policies, !auth.no_default_policy);
    let identity = if auth.entity_id.is_empty() {
        Vec::new()
    } else {
        crate::identity::policies_for_entity(storage, &auth.entity_id)?
    };
    let identity_policies = sanitize_policies(&identity, false);
    let mut all: Vec<String> = token_policies.clone();
    all.extend(identity_policies.iter().cloned());
    if let Err(e) = check_assignable(&all) {
        fail(&mut done.policies_error, e)?;
    }
    let policies = sanitize_policies(&all, false);

    // §7.7: token type.
    let token_type = token_type(mount, &auth);
    let batch = token_type == "batch";
    let renewable = !batch && auth.renewable;

    if mode == Mode::Login {
        // Fields the token store may add later keep their defaults.
        #[allow(clippy::needless_update)]
        let new_token = crate::token::NewToken {
            policies: token_policies.clone(),
            meta: auth.metadata.clone(),
            display_name: auth.display_name.clone(),
            num_uses: auth.num_uses,
            ttl,
            explicit_max_ttl: auth.explicit_max_ttl,
            period: auth.period,
            parent: None,
            token_type: token_type.to_string(),
            path: path.trim_start_matches('/').to_string(),
            entity_id: auth.entity_id.clone(),
            bound_cidrs: auth.bound_cidrs.clone(),
            internal_data: auth.internal_data.clone(),
            renewable,
            mount_accessor: mount.accessor.clone(),
            ..Default::default()
        };
        let (token, entry) = crate::token::create(storage, new_token, now)?;
        auth.client_token = token;
        auth.accessor = if batch { String::new() } else { entry.accessor };
    }

    auth.token_policies = token_policies;
    auth.identity_policies = identity_policies;
    auth.policies = policies;
    auth.orphan = true;
    auth.ttl = ttl;
    auth.lease_duration = ttl;
    auth.renewable = renewable;
    auth.token_type = token_type.to_string();
    resp.auth = Some(auth);
    Ok((resp, done))
}

/// The token's display name: the mount path (`/` → `-`) before the backend's.
fn display_name(mount: &MountEntry, auth: &Auth) -> String {
    let source = mount.path.replace('/', "-");
    format!("{source}{}", auth.display_name)
        .trim_end_matches('-')
        .to_string()
}

/// Policies an auth method may not give.
fn check_assignable(all: &[String]) -> Result<()> {
    for p in all {
        if p == "root" {
            return Err(Error::bad_request("auth methods cannot create root tokens"));
        }
        crate::policy::check_assignable(std::slice::from_ref(p))?;
    }
    Ok(())
}

/// Vault's `CreateOrFetchEntity`: the entity holding the alias (mount accessor, name), with
/// the alias metadata replaced when it differs; or a new entity holding a new alias.
pub fn create_or_fetch_entity(
    storage: &dyn Storage,
    mount: &MountEntry,
    alias: &Alias,
) -> Result<Entity> {
    if alias.name.is_empty() {
        return Err(Error::internal("missing name in alias"));
    }
    let metadata = if alias.metadata.is_empty() {
        None
    } else {
        Some(alias.metadata.clone())
    };
    if let Some((entity, pos)) =
        store::entity_by_alias_factors(storage, &mount.accessor, &alias.name)?
    {
        let differs = entity
            .aliases
            .get(pos)
            // Vault's `changedAliasIndex`: only an exact name match has its metadata
            // replaced; a case-insensitive match returns the entity unchanged.
            .is_some_and(|a| {
                a.name == alias.name && a.metadata.clone().unwrap_or_default() != alias.metadata
            });
        if !differs {
            return Ok(entity);
        }
        let mut e2 = entity.clone();
        let now = store::timestamp();
        if let Some(a) = e2.aliases.get_mut(pos) {
            a.metadata = metadata;
            a.last_update_time = now.clone();
        }
        e2.last_update_time = now;
        store::save_entity(storage, &e2, Some(&entity))?;
        return Ok(e2);
    }

    let now = store::timestamp();
    let id = store::new_id();
    let entity = Entity {
        id: id.clone(),
        name: store::generate_name(storage, "entity")?,
        creation_time: now.clone(),
        last_update_time: now.clone(),
        aliases: vec![EntityAlias {
            id: store::new_id(),
            canonical_id: id,
            mount_accessor: mount.accessor.clone(),
            name: alias.name.clone(),
            metadata,
            custom_metadata: None,
            creation_time: now.clone(),
            last_update_time: now,
            local: mount.local,
            merged_from_canonical_ids: None,
        }],
        ..Default::default()
    };
    store::save_entity(storage, &entity, None)?;
    Ok(entity)
}

/// Joins the external groups of `changes.join` and leaves those of `changes.leave` (computed
/// by [`external_group_changes`]: this mount's external groups whose alias matches one of the
/// login's group aliases, and those that no longer match). Never creates a group.
fn apply_group_changes(
    storage: &dyn Storage,
    entity_id: &str,
    changes: &GroupChanges,
) -> Result<()> {
    for g in &changes.join {
        let mut g2 = g.clone();
        g2.member_entity_ids
            .get_or_insert_with(Vec::new)
            .push(entity_id.to_string());
        store::touch_group(&mut g2);
        store::save_group(storage, &g2, Some(g))?;
    }
    for g in &changes.leave {
        let mut g2 = g.clone();
        if let Some(m) = g2.member_entity_ids.as_mut() {
            m.retain(|x| x != entity_id);
        }
        store::touch_group(&mut g2);
        store::save_group(storage, &g2, Some(g))?;
    }
    Ok(())
}

/// The external-group changes of a login, computed without writing (see [`apply_group_changes`]).
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    /// The groups whose alias on this mount matched a group alias of the login.
    pub wanted: Vec<store::Group>,
    /// External groups the entity joins.
    pub join: Vec<store::Group>,
    /// External groups of this mount the entity leaves.
    pub leave: Vec<store::Group>,
    /// The login's group aliases that matched a group.
    pub valid: Vec<Alias>,
}

/// The external-group changes for an entity (`None`: one the login would create).
pub fn external_group_changes(
    storage: &dyn Storage,
    entity_id: Option<&str>,
    accessor: &str,
    group_aliases: &[Alias],
) -> Result<GroupChanges> {
    let mut out = GroupChanges::default();
    for ga in group_aliases {
        if let Some(g) = store::group_by_alias_factors(storage, accessor, &ga.name)? {
            if !out.wanted.iter().any(|w| w.id == g.id) {
                out.wanted.push(g);
            }
            out.valid.push(ga.clone());
        }
    }
    for g in &out.wanted {
        if g.kind != "external" {
            continue;
        }
        if entity_id.is_some_and(|id| g.member_entity_ids.iter().flatten().any(|m| m == id)) {
            continue;
        }
        out.join.push(g.clone());
    }
    let Some(entity_id) = entity_id else {
        return Ok(out);
    };
    for g in store::groups_of_entity(storage, entity_id)? {
        if g.kind != "external" || out.wanted.iter().any(|w| w.id == g.id) {
            continue;
        }
        // External groups of other mounts are left alone; they belong to other logins.
        if g.alias
            .as_ref()
            .is_some_and(|a| a.mount_accessor != accessor)
        {
            continue;
        }
        out.leave.push(g);
    }
    Ok(out)
}

/// Vault's `framework.CalculateTTL` for a new token (no increment, start = now): the TTL and
/// the warnings about capping.
pub fn calculate_ttl(mount: &MountEntry, auth: &Auth) -> Result<(i64, Vec<String>)> {
    crate::token::ttl::calculate(crate::token::ttl::TtlInput {
        default_lease_ttl: mount.default_ttl(),
        max_lease_ttl: mount.max_ttl(),
        backend_ttl: auth.ttl,
        period: auth.period,
        backend_max_ttl: auth.max_ttl,
        explicit_max_ttl: auth.explicit_max_ttl,
        ..Default::default()
    })
}

pub use crate::token::sanitize_policies;

/// The type of the token a login issues: the mount's forced type, else the Auth's, else the
/// mount's default (`default-service` → service).
pub fn token_type(mount: &MountEntry, auth: &Auth) -> &'static str {
    match mount.token_type.as_str() {
        "service" => "service",
        "batch" => "batch",
        mount_default => match auth.token_type.as_str() {
            "service" | "default-service" => "service",
            "batch" | "default-batch" => "batch",
            _ if mount_default == "default-batch" => "batch",
            _ => "service",
        },
    }
}

/// Metadata helper for tests and callers building an alias.
pub fn alias(name: &str, metadata: &[(&str, &str)]) -> Alias {
    Alias {
        name: name.to_string(),
        metadata: metadata
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{mounts, now, Operation, Request};
    use crate::settings::Settings;
    use crate::storage::{MemoryStorage, Storage};
    use serde_json::{json, Map, Value};

    fn setup() -> (Core, MountEntry) {
        let mut core = Core::new(Box::new(MemoryStorage::default()), Settings::default());
        core.initialize().unwrap();
        let mount = MountEntry::new("jwt/", "jwt", "");
        let mut table = mounts::load_auth(core.storage.as_ref()).unwrap();
        table.push(mount.clone());
        mounts::save_auth(core.storage.as_ref(), &table).unwrap();
        (core, mount)
    }

    fn login_auth(user: &str, groups: &[&str]) -> Auth {
        Auth {
            display_name: user.to_string(),
            policies: vec!["p1".into()],
            metadata: [("role".to_string(), "r".to_string())].into(),
            alias: Some(alias(user, &[("role", "r")])),
            group_aliases: groups.iter().map(|g| alias(g, &[])).collect(),
            renewable: true,
            ..Default::default()
        }
    }

    fn login(core: &mut Core, mount: &MountEntry, auth: Auth) -> Result<Response> {
        let resp = Response {
            auth: Some(auth),
            ..Default::default()
        };
        complete(core, mount, "auth/jwt/login", resp)
    }

    fn write(core: &mut Core, path: &str, data: Value) -> Option<Response> {
        let data: Map<String, Value> = serde_json::from_value(data).unwrap();
        let req = Request::new(Operation::Update, path).with_data(data);
        core.dispatch(&req, None).unwrap()
    }

    fn read(core: &mut Core, path: &str) -> Map<String, Value> {
        let req = Request::new(Operation::Read, path);
        core.dispatch(&req, None)
            .unwrap()
            .and_then(|r| r.data)
            .unwrap()
    }

    #[test]
    fn first_login_creates_entity_and_second_reuses_it() {
        let (mut core, mount) = setup();
        let a = login(&mut core, &mount, login_auth("alice", &[])).unwrap();
        let auth = a.auth.unwrap();
        assert!(!auth.entity_id.is_empty());
        assert!(auth.client_token.starts_with("s."));
        assert!(!auth.accessor.is_empty());
        assert!(auth.orphan);
        assert!(auth.renewable);
        assert_eq!(auth.lease_duration, 768 * 3600);
        assert_eq!(auth.token_policies, vec!["default", "p1"]);
        assert!(auth.identity_policies.is_empty());
        assert_eq!(auth.policies, vec!["default", "p1"]);

        let b = login(&mut core, &mount, login_auth("alice", &[])).unwrap();
        assert_eq!(b.auth.unwrap().entity_id, auth.entity_id);
        // Alias names are case-insensitive (Vault's default memdb schema), and a login
        // differing only in case does not touch the stored alias.
        let mut upper = login_auth("ALICE", &[]);
        upper.alias = Some(alias("ALICE", &[("role", "other")]));
        let c = login(&mut core, &mount, upper).unwrap();
        assert_eq!(c.auth.unwrap().entity_id, auth.entity_id);
        let d = login(&mut core, &mount, login_auth("bob", &[])).unwrap();
        assert_ne!(d.auth.unwrap().entity_id, auth.entity_id);

        let e = read(&mut core, &format!("identity/entity/id/{}", auth.entity_id));
        let name = e["name"].as_str().unwrap();
        assert!(name.starts_with("entity_") && name.len() == 15, "{name}");
        assert_eq!(e["aliases"][0]["name"], json!("alice"));
        assert_eq!(e["aliases"][0]["mount_type"], json!("jwt"));
        assert_eq!(e["aliases"][0]["mount_path"], json!("auth/jwt/"));
        assert_eq!(e["aliases"][0]["mount_accessor"], json!(mount.accessor));
        assert_eq!(e["aliases"][0]["canonical_id"], json!(auth.entity_id));
        assert_eq!(e["aliases"][0]["metadata"], json!({"role": "r"}));
        assert_eq!(e["direct_group_ids"], json!([]));
        assert_eq!(e["metadata"], Value::Null);
        assert_eq!(e["namespace_id"], json!("root"));

        // The token records the entity, the display name, the path and the metadata.
        let entry = crate::token::lookup(core.storage.as_ref(), &auth.client_token, now())
            .unwrap()
            .unwrap();
        assert_eq!(entry.entity_id, auth.entity_id);
        assert_eq!(entry.display_name, "jwt-alice");
        assert_eq!(entry.path, "auth/jwt/login");
        assert_eq!(entry.meta.get("role").map(String::as_str), Some("r"));
        assert!(entry.orphan);
        assert_eq!(entry.mount_accessor, mount.accessor);
    }

    #[test]
    fn alias_metadata_is_replaced_when_it_differs() {
        let (mut core, mount) = setup();
        let id = login(&mut core, &mount, login_auth("alice", &[]))
            .unwrap()
            .auth
            .unwrap()
            .entity_id;
        let mut auth = login_auth("alice", &[]);
        auth.alias = Some(alias("alice", &[("role", "r2"), ("team", "x")]));
        let again = login(&mut core, &mount, auth).unwrap().auth.unwrap();
        assert_eq!(again.entity_id, id);
        let e = read(&mut core, &format!("identity/entity/id/{id}"));
        assert_eq!(
            e["aliases"][0]["metadata"],
            json!({"role": "r2", "team": "x"})
        );
        assert_eq!(e["aliases"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn joins_and_leaves_external_groups() {
        let (mut core, mount) = setup();
        let g = write(
            &mut core,
            "identity/group",
            json!({"name": "eng", "type": "external", "policies": "eng-policy"}),
        )
        .unwrap()
        .data
        .unwrap();
        let gid = g["id"].as_str().unwrap().to_string();
        write(
            &mut core,
            "identity/group-alias",
            json!({"name": "developers", "mount_accessor": mount.accessor, "canonical_id": gid}),
        );

        let a = login(
            &mut core,
            &mount,
            login_auth("alice", &["developers", "ops"]),
        )
        .unwrap()
        .auth
        .unwrap();
        assert_eq!(a.identity_policies, vec!["eng-policy"]);
        assert_eq!(a.policies, vec!["default", "eng-policy", "p1"]);
        assert_eq!(a.group_aliases.len(), 1, "only matching aliases are kept");
        let grp = read(&mut core, &format!("identity/group/id/{gid}"));
        assert_eq!(grp["member_entity_ids"], json!([a.entity_id]));
        let e = read(&mut core, &format!("identity/entity/id/{}", a.entity_id));
        assert_eq!(e["direct_group_ids"], json!([gid]));
        assert_eq!(e["group_ids"], json!([gid]));
        // No group was created for "ops".
        let req = Request::new(Operation::List, "identity/group/id");
        let list = core.dispatch(&req, None).unwrap().unwrap();
        assert_eq!(list.data.unwrap()["keys"], json!([gid]));

        // Next login without the group: the entity leaves it.
        let b = login(&mut core, &mount, login_auth("alice", &["ops"]))
            .unwrap()
            .auth
            .unwrap();
        assert_eq!(b.entity_id, a.entity_id);
        assert!(b.identity_policies.is_empty());
        assert_eq!(b.policies, vec!["default", "p1"]);
        let grp = read(&mut core, &format!("identity/group/id/{gid}"));
        assert_eq!(grp["member_entity_ids"], json!([]));
    }

    #[test]
    fn groups_of_other_mounts_are_kept() {
        let (mut core, mount) = setup();
        let other = MountEntry::new("other/", "jwt", "");
        let mut table = mounts::load_auth(core.storage.as_ref()).unwrap();
        table.push(other.clone());
        mounts::save_auth(core.storage.as_ref(), &table).unwrap();
        let mut gids = Vec::new();
        for (name, m) in [("a", &mount), ("b", &other)] {
            let g = write(
                &mut core,
                "identity/group",
                json!({"name": name, "type": "external"}),
            )
            .unwrap()
            .data
            .unwrap();
            let gid = g["id"].as_str().unwrap().to_string();
            write(
                &mut core,
                "identity/group-alias",
                json!({"name": "devs", "mount_accessor": m.accessor, "canonical_id": gid}),
            );
            gids.push(gid);
        }
        // The same person on both mounts: one entity via an alias on the other mount.
        let id = login(&mut core, &mount, login_auth("alice", &["devs"]))
            .unwrap()
            .auth
            .unwrap()
            .entity_id;
        write(
            &mut core,
            "identity/entity-alias",
            json!({"name": "alice", "mount_accessor": other.accessor, "canonical_id": id}),
        );
        let b = login(&mut core, &other, login_auth("alice", &["devs"])).unwrap();
        assert_eq!(b.auth.unwrap().entity_id, id);
        let e = read(&mut core, &format!("identity/entity/id/{id}"));
        assert_eq!(e["direct_group_ids"].as_array().unwrap().len(), 2);
        // Logging in on the first mount without groups leaves only its group.
        login(&mut core, &mount, login_auth("alice", &[])).unwrap();
        let e = read(&mut core, &format!("identity/entity/id/{id}"));
        assert_eq!(e["direct_group_ids"], json!([gids[1]]));
    }

    /// A storage whose writes start failing once a budget is spent, as a crash would cut them.
    struct Crashy {
        inner: MemoryStorage,
        budget: std::rc::Rc<std::cell::Cell<i64>>,
    }

    impl Crashy {
        fn spend(&self) -> crate::storage::Result<()> {
            let b = self.budget.get();
            if b == 0 {
                return Err(crate::storage::StorageError::Local("crash".into()));
            }
            self.budget.set(b - 1);
            Ok(())
        }
    }

    impl Storage for Crashy {
        fn get(&self, key: &str) -> crate::storage::Result<Option<Value>> {
            self.inner.get(key)
        }
        fn put(&self, key: &str, value: &Value) -> crate::storage::Result<()> {
            self.spend()?;
            self.inner.put(key, value)
        }
        fn delete(&self, key: &str) -> crate::storage::Result<()> {
            self.spend()?;
            self.inner.delete(key)
        }
        fn list(&self, prefix: &str) -> crate::storage::Result<Vec<String>> {
            self.inner.list(prefix)
        }
    }

    #[test]
    fn a_login_cut_at_any_write_recovers() {
        for cut in 0..30 {
            let budget = std::rc::Rc::new(std::cell::Cell::new(-1));
            let storage = Crashy {
                inner: MemoryStorage::default(),
                budget: budget.clone(),
            };
            let mut core = Core::new(Box::new(storage), Settings::default());
            core.initialize().unwrap();
            let mount = MountEntry::new("jwt/", "jwt", "");
            let mut table = mounts::load_auth(core.storage.as_ref()).unwrap();
            table.push(mount.clone());
            mounts::save_auth(core.storage.as_ref(), &table).unwrap();
            let g = write(
                &mut core,
                "identity/group",
                json!({"name": "eng", "type": "external", "policies": "p"}),
            )
            .unwrap()
            .data
            .unwrap();
            write(
                &mut core,
                "identity/group-alias",
                json!({"name": "devs", "mount_accessor": mount.accessor, "canonical_id": g["id"]}),
            );

            budget.set(cut);
            let first = login(&mut core, &mount, login_auth("alice", &["devs"]));
            budget.set(-1);
            let second = login(&mut core, &mount, login_auth("alice", &["devs"]))
                .unwrap()
                .auth
                .unwrap();
            let third = login(&mut core, &mount, login_auth("alice", &["devs"]))
                .unwrap()
                .auth
                .unwrap();
            assert_eq!(second.entity_id, third.entity_id, "cut at {cut}");
            assert_eq!(second.identity_policies, vec!["p"], "cut at {cut}");
            if let Ok(r) = first {
                assert_eq!(r.auth.unwrap().entity_id, second.entity_id, "cut at {cut}");
            }
            let e = read(
                &mut core,
                &format!("identity/entity/id/{}", second.entity_id),
            );
            assert_eq!(e["aliases"].as_array().unwrap().len(), 1, "cut at {cut}");
            assert_eq!(e["direct_group_ids"], json!([g["id"]]), "cut at {cut}");
        }
    }

    #[test]
    fn inherited_group_policies_count() {
        let (mut core, mount) = setup();
        let ext = write(
            &mut core,
            "identity/group",
            json!({"name": "ext", "type": "external"}),
        )
        .unwrap()
        .data
        .unwrap();
        let ext_id = ext["id"].as_str().unwrap().to_string();
        write(
            &mut core,
            "identity/group-alias",
            json!({"name": "devs", "mount_accessor": mount.accessor, "canonical_id": ext_id}),
        );
        write(
            &mut core,
            "identity/group",
            json!({"name": "parent", "policies": "Parent-Pol", "member_group_ids": ext_id}),
        );
        let a = login(&mut core, &mount, login_auth("alice", &["devs"]))
            .unwrap()
            .auth
            .unwrap();
        assert_eq!(a.identity_policies, vec!["parent-pol"]);
        let e = read(&mut core, &format!("identity/entity/id/{}", a.entity_id));
        assert_eq!(e["direct_group_ids"], json!([ext_id]));
        assert_eq!(e["inherited_group_ids"].as_array().unwrap().len(), 1);
        assert_eq!(e["group_ids"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn ttl_rules() {
        let (mut core, mount) = setup();
        let mut auth = login_auth("alice", &[]);
        auth.ttl = 3600;
        auth.max_ttl = 7200;
        let r = login(&mut core, &mount, auth).unwrap();
        assert_eq!(r.auth.unwrap().lease_duration, 3600);
        assert!(r.warnings.is_empty());

        let mut auth = login_auth("alice", &[]);
        auth.ttl = 3600;
        auth.max_ttl = 1800;
        let r = login(&mut core, &mount, auth).unwrap();
        assert_eq!(r.auth.unwrap().lease_duration, 1800);
        assert_eq!(
            r.warnings,
            vec![
                // OpenBao's `humanDuration`: no zero units (recorded: login-ttl-capped).
                r#"TTL of "1h" exceeded the effective max_ttl of "30m"; TTL value is capped accordingly"#
            ]
        );

        let mut auth = login_auth("alice", &[]);
        auth.period = 600;
        auth.max_ttl = 60;
        let r = login(&mut core, &mount, auth).unwrap();
        assert_eq!(r.auth.unwrap().lease_duration, 60);
        assert_eq!(
            r.warnings,
            vec![
                r#"period of "10m" exceeded the effective max_ttl of "1m"; period value is capped accordingly"#
            ]
        );

        let mut auth = login_auth("alice", &[]);
        auth.explicit_max_ttl = 100;
        let r = login(&mut core, &mount, auth).unwrap();
        assert_eq!(r.auth.unwrap().lease_duration, 100);

        let mut tuned = mount.clone();
        tuned.default_lease_ttl = 300;
        let (ttl, w) = calculate_ttl(&tuned, &Auth::default()).unwrap();
        assert_eq!((ttl, w.len()), (300, 0));
    }

    #[test]
    fn policy_rules() {
        let (mut core, mount) = setup();
        let mut auth = login_auth("alice", &[]);
        auth.policies = vec![
            "Zeta".into(),
            " alpha".into(),
            "ALPHA".into(),
            "".into(),
            "default".into(),
        ];
        let a = login(&mut core, &mount, auth).unwrap().auth.unwrap();
        assert_eq!(a.token_policies, vec!["alpha", "default", "zeta"]);

        let mut auth = login_auth("alice", &[]);
        auth.policies = vec!["only-this".into()];
        auth.no_default_policy = true;
        let a = login(&mut core, &mount, auth).unwrap().auth.unwrap();
        assert_eq!(a.token_policies, vec!["only-this"]);
        assert_eq!(a.policies, vec!["only-this"]);

        let mut auth = login_auth("alice", &[]);
        auth.policies = vec!["a".into(), "Root".into()];
        let err = login(&mut core, &mount, auth).unwrap_err();
        assert_eq!(err.status, 400);
        assert_eq!(err.errors, vec!["auth methods cannot create root tokens"]);

        let mut auth = login_auth("alice", &[]);
        auth.policies = vec!["response-wrapping".into()];
        let err = login(&mut core, &mount, auth).unwrap_err();
        assert_eq!(
            err.errors,
            vec![r#"cannot assign policy "response-wrapping""#]
        );
    }

    #[test]
    fn batch_tokens() {
        let (mut core, mount) = setup();
        let mut auth = login_auth("alice", &[]);
        auth.token_type = "batch".into();
        let a = login(&mut core, &mount, auth).unwrap().auth.unwrap();
        assert!(a.client_token.starts_with("b."));
        assert_eq!(a.accessor, "");
        assert!(!a.renewable);
        assert_eq!(a.lease_duration, 768 * 3600);

        let mut forced = mount.clone();
        forced.token_type = "batch".into();
        assert_eq!(token_type(&forced, &Auth::default()), "batch");
        forced.token_type = "default-batch".into();
        assert_eq!(token_type(&forced, &Auth::default()), "batch");
        let svc = Auth {
            token_type: "service".into(),
            ..Default::default()
        };
        assert_eq!(token_type(&forced, &svc), "service");
        assert_eq!(token_type(&mount, &Auth::default()), "service");
    }

    #[test]
    fn disabled_entity_is_refused() {
        let (mut core, mount) = setup();
        let id = login(&mut core, &mount, login_auth("alice", &[]))
            .unwrap()
            .auth
            .unwrap()
            .entity_id;
        write(
            &mut core,
            &format!("identity/entity/id/{id}"),
            json!({"disabled": true}),
        );
        let err = login(&mut core, &mount, login_auth("alice", &[])).unwrap_err();
        assert_eq!(err.status, 403);
        assert_eq!(err.errors, vec!["permission denied"]);
    }

    #[test]
    fn empty_alias_name_is_refused() {
        let (mut core, mount) = setup();
        let err = login(&mut core, &mount, login_auth("", &[])).unwrap_err();
        assert_eq!(
            (err.status, err.message()),
            (500, "missing name in alias".to_string())
        );
    }

    #[test]
    fn display_name_uses_mount_path() {
        let (mut core, _) = setup();
        let nested = MountEntry::new("team/jwt/", "jwt", "");
        let mut table = mounts::load_auth(core.storage.as_ref()).unwrap();
        table.push(nested.clone());
        mounts::save_auth(core.storage.as_ref(), &table).unwrap();
        let a = login(&mut core, &nested, login_auth("bob", &[]))
            .unwrap()
            .auth
            .unwrap();
        let entry = crate::token::lookup(core.storage.as_ref(), &a.client_token, now())
            .unwrap()
            .unwrap();
        assert_eq!(entry.display_name, "team-jwt-bob");
        let mut empty = login_auth("carol", &[]);
        empty.display_name = String::new();
        let a = login(&mut core, &nested, empty).unwrap().auth.unwrap();
        let entry = crate::token::lookup(core.storage.as_ref(), &a.client_token, now())
            .unwrap()
            .unwrap();
        assert_eq!(entry.display_name, "team-jwt");
    }

    fn preview_of(core: &Core, mount: &MountEntry, auth: Auth) -> Map<String, Value> {
        let resp = Response {
            data: Some(Map::new()),
            auth: Some(auth),
            ..Default::default()
        };
        let (resp, completion) = preview(core, mount, "auth/jwt/explain", resp).unwrap();
        crate::auth::jwt::explain::report(mount, resp, completion)
            .unwrap()
            .data
            .unwrap()
    }

    #[test]
    fn preview_predicts_login_without_writing() {
        let (mut core, mount) = setup();
        let g = write(
            &mut core,
            "identity/group",
            json!({"name": "eng", "type": "external", "policies": "eng-policy"}),
        )
        .unwrap()
        .data
        .unwrap();
        let gid = g["id"].as_str().unwrap().to_string();
        write(
            &mut core,
            "identity/group-alias",
            json!({"name": "developers", "mount_accessor": mount.accessor, "canonical_id": gid}),
        );
        let before = store::all_entities(core.storage.as_ref()).unwrap().len();
        let p = preview_of(&core, &mount, login_auth("alice", &["developers", "ops"]));
        let w = &p["would_issue"];
        assert_eq!(w["policies"], json!(["default", "eng-policy", "p1"]));
        assert_eq!(w["identity_policies"], json!(["eng-policy"]));
        assert_eq!(w["groups_joined"], json!(["eng"]));
        assert_eq!(w["group_aliases"], json!(["developers"]));
        assert_eq!(w["new_entity"], json!(true));
        assert_eq!(w["ttl"], json!(768 * 3600));
        assert_eq!(w["alias"]["name"], json!("alice"));
        assert_eq!(
            store::all_entities(core.storage.as_ref()).unwrap().len(),
            before
        );
        let grp = read(&mut core, &format!("identity/group/id/{gid}"));
        assert!(grp["member_entity_ids"]
            .as_array()
            .is_none_or(|m| m.is_empty()));

        // After the login, the preview of a login without the group says it is left.
        let a = login(&mut core, &mount, login_auth("alice", &["developers"]))
            .unwrap()
            .auth
            .unwrap();
        let p = preview_of(&core, &mount, login_auth("alice", &["ops"]));
        let w = &p["would_issue"];
        assert_eq!(w["entity"]["id"], json!(a.entity_id));
        assert_eq!(w["groups_left"], json!(["eng"]));
        assert_eq!(w["identity_policies"], json!([]));
        let b = login(&mut core, &mount, login_auth("alice", &["ops"]))
            .unwrap()
            .auth
            .unwrap();
        assert_eq!(json!(b.policies), w["policies"]);
    }

    #[test]
    fn preview_reports_what_login_refuses() {
        let (mut core, mount) = setup();
        let mut root = login_auth("alice", &[]);
        root.policies = vec!["root".into()];
        let p = preview_of(&core, &mount, root);
        assert_eq!(p["error"], json!("auth methods cannot create root tokens"));
        assert_eq!(p["would_issue"], Value::Null);
        let checks = p["checks"].as_array().unwrap();
        assert_eq!(checks.last().unwrap()["check"], json!("policies"));
        assert_eq!(checks.last().unwrap()["result"], json!("fail"));

        // A disabled entity: 403, as login.
        let a = login(&mut core, &mount, login_auth("bob", &[]))
            .unwrap()
            .auth
            .unwrap();
        write(
            &mut core,
            &format!("identity/entity/id/{}", a.entity_id),
            json!({"disabled": true}),
        );
        let p = preview_of(&core, &mount, login_auth("bob", &[]));
        assert_eq!(p["error"], json!("permission denied"));
        assert_eq!(p["error_status"], json!(403));
        assert_eq!(
            login(&mut core, &mount, login_auth("bob", &[]))
                .unwrap_err()
                .status,
            403
        );
    }
}
