//! What the core does with the `Auth` an auth method returns (spec §7): find or create the
//! entity and its alias, join external groups, compute TTLs and policies, and issue the token.
//!
//! Order of writes (crash consistency): the entity record (with its alias) is written first,
//! then its index keys, then group memberships, and the token last. A crash at any point
//! leaves no token pointing to a missing entity; at worst a created entity without a token
//! (reused by the next login, since the alias index is written right after the record) or a
//! dangling index entry, which lookups ignore (see `identity::store`).

use super::{fields, Alias, Auth, Core, Error, MountEntry, Request, Response, Result};
use crate::identity::store::{self, Entity, EntityAlias};
use crate::storage::Storage;
use std::collections::BTreeMap;

/// Policies that may never be given to a token by an auth method (OpenBao's list).
const NON_ASSIGNABLE: &[&str] = &["response-wrapping"];

/// Turns a backend's login response into an issued token.
pub fn complete(
    core: &mut Core,
    mount: &MountEntry,
    req: &Request,
    resp: Response,
) -> Result<Response> {
    let mut resp = resp;
    let Some(mut auth) = resp.auth.take() else {
        return Err(Error::internal("login response carries no auth"));
    };
    let storage = core.storage.as_ref();
    let now = super::now();

    // §7.1–7.3: entity, alias and external groups.
    if let Some(alias) = auth.alias.clone() {
        let entity = create_or_fetch_entity(storage, mount, &alias)?;
        if entity.disabled {
            return Err(Error::permission_denied());
        }
        auth.entity_id = entity.id.clone();
        auth.group_aliases =
            refresh_external_groups(storage, &entity.id, &mount.accessor, &auth.group_aliases)?;
    }

    // §7.4: display name.
    let source = mount.path.replace('/', "-");
    auth.display_name = format!("{source}{}", auth.display_name)
        .trim_end_matches('-')
        .to_string();

    // §7.5: TTL.
    let (ttl, warnings) = calculate_ttl(mount, &auth)?;
    resp.warnings.extend(warnings);

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
    for p in &all {
        if p == "root" {
            return Err(Error::bad_request("auth methods cannot create root tokens"));
        }
        if NON_ASSIGNABLE.contains(&p.as_str()) {
            return Err(Error::bad_request(format!("cannot assign policy {p:?}")));
        }
    }
    let policies = sanitize_policies(&all, false);

    // §7.7: token type.
    let token_type = token_type(mount, &auth);
    let batch = token_type == "batch";
    let renewable = !batch && auth.renewable;

    let (token, entry) = crate::token::create(
        storage,
        crate::token::NewToken {
            policies: token_policies.clone(),
            meta: auth.metadata.clone(),
            display_name: auth.display_name.clone(),
            num_uses: auth.num_uses,
            ttl,
            explicit_max_ttl: auth.explicit_max_ttl,
            period: auth.period,
            parent: None,
            token_type: token_type.to_string(),
            path: req.path.trim_start_matches('/').to_string(),
            entity_id: auth.entity_id.clone(),
            bound_cidrs: auth.bound_cidrs.clone(),
            internal_data: auth.internal_data.clone(),
            renewable,
            mount_accessor: mount.accessor.clone(),
        },
        now,
    )?;

    auth.client_token = token;
    auth.accessor = if batch { String::new() } else { entry.accessor };
    auth.token_policies = token_policies;
    auth.identity_policies = identity_policies;
    auth.policies = policies;
    auth.orphan = true;
    auth.ttl = ttl;
    auth.lease_duration = ttl;
    auth.renewable = renewable;
    auth.token_type = token_type.to_string();
    resp.auth = Some(auth);
    Ok(resp)
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
            .is_some_and(|a| a.metadata.clone().unwrap_or_default() != alias.metadata);
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

/// Joins the external groups whose alias on this mount matches one of the login's group
/// aliases, and leaves this mount's external groups that no longer match. Never creates a
/// group. Returns the group aliases that matched.
pub fn refresh_external_groups(
    storage: &dyn Storage,
    entity_id: &str,
    accessor: &str,
    group_aliases: &[Alias],
) -> Result<Vec<Alias>> {
    let mut wanted: Vec<store::Group> = Vec::new();
    let mut valid = Vec::new();
    for ga in group_aliases {
        if let Some(g) = store::group_by_alias_factors(storage, accessor, &ga.name)? {
            if !wanted.iter().any(|w| w.id == g.id) {
                wanted.push(g);
            }
            valid.push(ga.clone());
        }
    }
    for g in &wanted {
        if g.kind != "external" {
            continue;
        }
        if g.member_entity_ids.iter().flatten().any(|m| m == entity_id) {
            continue;
        }
        let mut g2 = g.clone();
        g2.member_entity_ids
            .get_or_insert_with(Vec::new)
            .push(entity_id.to_string());
        store::touch_group(&mut g2);
        store::save_group(storage, &g2, Some(g))?;
    }
    for g in store::groups_of_entity(storage, entity_id)? {
        if g.kind != "external" || wanted.iter().any(|w| w.id == g.id) {
            continue;
        }
        // Only this mount's external groups are left; others belong to other logins.
        if g.alias.as_ref().map(|a| a.mount_accessor.as_str()) != Some(accessor) {
            continue;
        }
        let mut g2 = g.clone();
        if let Some(m) = g2.member_entity_ids.as_mut() {
            m.retain(|x| x != entity_id);
        }
        store::touch_group(&mut g2);
        store::save_group(storage, &g2, Some(&g))?;
    }
    Ok(valid)
}

/// Vault's `framework.CalculateTTL` for a new token (no increment, start = now): the TTL and
/// the warnings about capping.
pub fn calculate_ttl(mount: &MountEntry, auth: &Auth) -> Result<(i64, Vec<String>)> {
    let mut warnings = Vec::new();
    let mut max_ttl = mount.max_ttl();
    if auth.max_ttl > 0 && auth.max_ttl < max_ttl {
        max_ttl = auth.max_ttl;
    }
    if auth.explicit_max_ttl > 0 && auth.explicit_max_ttl < max_ttl {
        max_ttl = auth.explicit_max_ttl;
    }
    if max_ttl <= 0 {
        return Err(Error::internal("max TTL must be greater than zero"));
    }
    let (mut ttl, max_valid) = if auth.period > 0 {
        let mut period = auth.period;
        if period > max_ttl {
            warnings.push(format!(
                "period of {} exceeded the effective max_ttl of {}; period value is capped accordingly",
                fields::go_quote(&fields::go_duration_string(period)),
                fields::go_quote(&fields::go_duration_string(max_ttl)),
            ));
            period = max_ttl;
        }
        let max_valid = if auth.explicit_max_ttl > 0 {
            Some(auth.explicit_max_ttl)
        } else {
            None
        };
        (period, max_valid)
    } else {
        let ttl = if auth.ttl > 0 {
            auth.ttl
        } else {
            mount.default_ttl()
        };
        (ttl, Some(max_ttl))
    };
    if let Some(max_valid) = max_valid {
        if ttl > max_valid {
            warnings.push(format!(
                "TTL of {} exceeded the effective max_ttl of {}; TTL value is capped accordingly",
                fields::go_quote(&fields::go_duration_string(ttl)),
                fields::go_quote(&fields::go_duration_string(max_valid)),
            ));
            ttl = max_valid;
        }
    }
    Ok((ttl, warnings))
}

/// Vault's `policyutil.SanitizePolicies`: lower-cased, trimmed, empties dropped, `default`
/// added when asked, `root` collapsing everything to `["root"]`, de-duplicated and sorted.
pub fn sanitize_policies(policies: &[String], add_default: bool) -> Vec<String> {
    let mut out: Vec<String> = policies
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    if out.iter().any(|p| p == "root") {
        return vec!["root".to_string()];
    }
    if add_default {
        out.push("default".to_string());
    }
    out.sort();
    out.dedup();
    out
}

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
