//! Sync between the laptop and a real server: the JWT side of a Vault, read from either
//! engine into one [`State`], compared object by object ([`diff`]), and a [`Plan`] carried out
//! on the other engine in dependency order ([`apply`]).
//!
//! What it covers: the JWT auth mounts (description and TTL tune), each mount's `config` and
//! roles, the ACL policies the roles and groups name, and the external identity groups with
//! an alias on one of those mounts. Objects are matched by name, never by id or accessor.
//! Secrets are not copied: `oidc_client_secret` is write-only in Vault.

use crate::core::{Error, Operation, Response, Result};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One side of a sync: anything that answers Vault's API (the local core, a server).
pub trait Api {
    fn call(
        &mut self,
        op: Operation,
        path: &str,
        data: Map<String, Value>,
    ) -> Result<Option<Response>>;
}

/// An auth mount of type `jwt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub description: String,
    pub default_lease_ttl: i64,
    pub max_lease_ttl: i64,
}

/// An external group with, when it has one, its alias on one of the synced mounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub policies: Vec<String>,
    pub metadata: Value,
    /// (mount path, alias name).
    pub alias: Option<(String, String)>,
}

/// The JWT side of one engine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub mounts: BTreeMap<String, Mount>,
    pub configs: BTreeMap<String, Map<String, Value>>,
    /// (mount, role) → the role as a read returns it.
    pub roles: BTreeMap<(String, String), Map<String, Value>>,
    pub policies: BTreeMap<String, String>,
    pub groups: BTreeMap<String, Group>,
}

impl State {
    pub fn is_empty(&self) -> bool {
        self.mounts.is_empty() && self.policies.is_empty() && self.groups.is_empty()
    }
}

fn data_of(r: Option<Response>) -> Map<String, Value> {
    r.and_then(|r| r.data).unwrap_or_default()
}

/// A read that may find nothing (a 404 is `None`).
fn read(api: &mut dyn Api, path: &str) -> Result<Option<Map<String, Value>>> {
    match api.call(Operation::Read, path, Map::new()) {
        Ok(r) => Ok(r.and_then(|r| r.data)),
        Err(e) if e.status == 404 => Ok(None),
        Err(e) => Err(named(path, "read", e)),
    }
}

fn list(api: &mut dyn Api, path: &str) -> Result<Vec<String>> {
    match api.call(Operation::List, path, Map::new()) {
        Ok(r) => Ok(super::strings(data_of(r).get("keys"))),
        Err(e) if e.status == 404 => Ok(Vec::new()),
        Err(e) => Err(named(path, "list", e)),
    }
}

/// An error that says which capability on which path was refused.
fn named(path: &str, capability: &str, e: Error) -> Error {
    if e.status == 403 {
        Error::new(
            403,
            format!("permission denied: the token lacks the {capability:?} capability on {path:?}"),
        )
    } else {
        Error {
            errors: e.errors.iter().map(|m| format!("{path}: {m}")).collect(),
            ..e
        }
    }
}

fn as_i64(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => crate::core::fields::parse_duration(s).unwrap_or(0),
        _ => 0,
    }
}

/// Reads the JWT side of an engine: every `jwt` mount, or those in `only` (paths without
/// the trailing slash).
pub fn read_state(api: &mut dyn Api, only: &[String]) -> Result<State> {
    let mut st = State::default();
    let auth = read(api, "sys/auth")?.unwrap_or_default();
    let mut accessors: BTreeMap<String, String> = BTreeMap::new();
    for (path, m) in &auth {
        if m.get("type").and_then(Value::as_str) != Some("jwt") {
            continue;
        }
        let path = path.trim_end_matches('/').to_string();
        if !only.is_empty() && !only.iter().any(|o| o.trim_matches('/') == path) {
            continue;
        }
        let config = m.get("config");
        st.mounts.insert(
            path.clone(),
            Mount {
                description: m
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                default_lease_ttl: as_i64(config.and_then(|c| c.get("default_lease_ttl"))),
                max_lease_ttl: as_i64(config.and_then(|c| c.get("max_lease_ttl"))),
            },
        );
        if let Some(a) = m.get("accessor").and_then(Value::as_str) {
            accessors.insert(a.to_string(), path.clone());
        }
    }
    let mut wanted_policies: BTreeSet<String> = BTreeSet::new();
    for mount in st.mounts.keys().cloned().collect::<Vec<_>>() {
        if let Some(mut c) = read(api, &format!("auth/{mount}/config"))? {
            c.remove("status");
            st.configs.insert(mount.clone(), c);
        }
        for role in list(api, &format!("auth/{mount}/role"))? {
            if let Some(r) = read(api, &format!("auth/{mount}/role/{role}"))? {
                for k in ["token_policies", "policies"] {
                    for p in r.get(k).and_then(Value::as_array).into_iter().flatten() {
                        if let Some(p) = p.as_str() {
                            wanted_policies.insert(p.trim().to_lowercase());
                        }
                    }
                }
                st.roles.insert((mount.clone(), role), r);
            }
        }
    }
    for name in list(api, "identity/group/name")? {
        let Some(g) = read(api, &format!("identity/group/name/{name}"))? else {
            continue;
        };
        if g.get("type").and_then(Value::as_str) != Some("external") {
            continue;
        }
        let alias = g.get("alias").and_then(Value::as_object).and_then(|a| {
            let acc = a.get("mount_accessor").and_then(Value::as_str)?;
            let mount = accessors.get(acc)?;
            Some((mount.clone(), a.get("name")?.as_str()?.to_string()))
        });
        // Only the groups of the synced mounts.
        if alias.is_none() {
            continue;
        }
        let policies = super::strings(g.get("policies"));
        wanted_policies.extend(policies.iter().map(|p| p.trim().to_lowercase()));
        st.groups.insert(
            name,
            Group {
                policies,
                metadata: g.get("metadata").cloned().unwrap_or(Value::Null),
                alias,
            },
        );
    }
    for p in wanted_policies {
        if p.is_empty() || p == "default" || p == "root" {
            continue;
        }
        if let Some(d) = read(api, &format!("sys/policies/acl/{p}"))? {
            if let Some(text) = d.get("policy").and_then(Value::as_str) {
                st.policies.insert(p, text.to_string());
            }
        }
    }
    Ok(st)
}

/// What a change does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create,
    /// With the changed fields: (field, from, to).
    Update(Vec<(String, String, String)>),
    Delete,
}

/// One object to change on the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `policy`, `mount`, `config`, `role`, `group` (the order changes are applied in).
    pub kind: &'static str,
    /// The object's Vault path, e.g. `auth/jwt/role/ci`.
    pub path: String,
    pub action: Action,
}

/// The changes that make `target` match `source`, in dependency order (deletes, only with
/// `prune`, last and in reverse).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |f: fn(&Action) -> bool| self.changes.iter().filter(|c| f(&c.action)).count();
        (
            n(|a| *a == Action::Create),
            n(|a| matches!(a, Action::Update(_))),
            n(|a| *a == Action::Delete),
        )
    }

    /// The plan as `terraform plan` shows one: `+ create`, `~ update` with the fields,
    /// `- delete`, then the totals.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            match &c.action {
                Action::Create => out.push_str(&format!("  + {} {}\n", c.kind, c.path)),
                Action::Delete => out.push_str(&format!("  - {} {}\n", c.kind, c.path)),
                Action::Update(fields) => {
                    out.push_str(&format!("  ~ {} {}\n", c.kind, c.path));
                    for (f, from, to) in fields {
                        out.push_str(&format!("      {f}: {from} -> {to}\n"));
                    }
                }
            }
        }
        let (c, u, d) = self.counts();
        if self.is_empty() {
            out.push_str("No changes: the server matches the local state.\n");
        } else {
            out.push_str(&format!(
                "\nPlan: {c} to create, {u} to update, {d} to delete.\n"
            ));
        }
        out
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Field-level differences between two objects (keys of either side).
fn field_diff(from: &Map<String, Value>, to: &Map<String, Value>) -> Vec<(String, String, String)> {
    let keys: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let a = from.get(k).unwrap_or(&Value::Null);
            let b = to.get(k).unwrap_or(&Value::Null);
            (a != b).then(|| (k.clone(), show(a), show(b)))
        })
        .collect()
}

fn mount_map(m: &Mount) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("description".into(), json!(m.description));
    out.insert("default_lease_ttl".into(), json!(m.default_lease_ttl));
    out.insert("max_lease_ttl".into(), json!(m.max_lease_ttl));
    out
}

fn group_map(g: &Group) -> Map<String, Value> {
    let mut out = Map::new();
    let mut p = g.policies.clone();
    p.sort();
    out.insert("policies".into(), json!(p));
    out.insert(
        "metadata".into(),
        match &g.metadata {
            Value::Object(m) if m.is_empty() => Value::Null,
            other => other.clone(),
        },
    );
    out.insert(
        "alias".into(),
        match &g.alias {
            Some((m, n)) => json!(format!("{n} on auth/{m}")),
            None => Value::Null,
        },
    );
    out
}

/// The changes that make `target` match `source`.
pub fn diff(source: &State, target: &State, prune: bool) -> Plan {
    let mut plan = Plan::default();
    let mut deletes = Vec::new();
    #[allow(clippy::type_complexity)]
    fn pair<'a, K: Ord + Clone, V>(
        src: &'a BTreeMap<K, V>,
        dst: &'a BTreeMap<K, V>,
    ) -> Vec<(K, Option<&'a V>, Option<&'a V>)> {
        let keys: BTreeSet<&K> = src.keys().chain(dst.keys()).collect();
        keys.into_iter()
            .map(|k| (k.clone(), src.get(k), dst.get(k)))
            .collect()
    }
    let mut push = |kind: &'static str,
                    path: String,
                    s: Option<Map<String, Value>>,
                    t: Option<Map<String, Value>>| match (s, t) {
        (Some(_), None) => plan.changes.push(Change {
            kind,
            path,
            action: Action::Create,
        }),
        (Some(a), Some(b)) => {
            let fields = field_diff(&b, &a);
            if !fields.is_empty() {
                plan.changes.push(Change {
                    kind,
                    path,
                    action: Action::Update(fields),
                });
            }
        }
        (None, Some(_)) => deletes.push(Change {
            kind,
            path,
            action: Action::Delete,
        }),
        (None, None) => {}
    };
    for (name, s, t) in pair(&source.policies, &target.policies) {
        let m = |p: Option<&String>| p.map(|p| Map::from_iter([("policy".to_string(), json!(p))]));
        push("policy", format!("sys/policies/acl/{name}"), m(s), m(t));
    }
    for (name, s, t) in pair(&source.mounts, &target.mounts) {
        push(
            "mount",
            format!("sys/auth/{name}"),
            s.map(mount_map),
            t.map(mount_map),
        );
    }
    for (name, s, t) in pair(&source.configs, &target.configs) {
        push(
            "config",
            format!("auth/{name}/config"),
            s.cloned(),
            t.cloned(),
        );
    }
    for ((m, r), s, t) in pair(&source.roles, &target.roles) {
        push("role", format!("auth/{m}/role/{r}"), s.cloned(), t.cloned());
    }
    for (name, s, t) in pair(&source.groups, &target.groups) {
        push(
            "group",
            format!("identity/group/name/{name}"),
            s.map(group_map),
            t.map(group_map),
        );
    }
    if prune {
        deletes.reverse();
        plan.changes.extend(deletes);
    }
    plan
}

/// Carries out `plan` on `target`, taking the objects from `source`. Stops at the first
/// failure and says what was applied and what was not; a re-run computes a new plan, so it
/// converges. `skip_key_checks`: config writes do not fetch the issuer's keys (a pull onto
/// the laptop, which may not reach production's IdP).
pub fn apply(
    plan: &Plan,
    source: &State,
    target: &mut dyn Api,
    skip_key_checks: bool,
    mut progress: impl FnMut(&Change),
) -> Result<()> {
    for (done, c) in plan.changes.iter().enumerate() {
        let r = apply_one(c, source, target, skip_key_checks);
        if let Err(e) = r {
            let left: Vec<String> = plan.changes[done..]
                .iter()
                .map(|c| format!("{} {}", c.kind, c.path))
                .collect();
            return Err(Error {
                errors: vec![format!(
                    "{} {}: {}; applied {done} of {} changes, not applied: {}",
                    c.kind,
                    c.path,
                    e.message(),
                    plan.changes.len(),
                    left.join(", ")
                )],
                ..e
            });
        }
        progress(c);
    }
    Ok(())
}

fn write(api: &mut dyn Api, path: &str, body: Map<String, Value>) -> Result<()> {
    api.call(Operation::Update, path, body).map(|_| ())
}

/// A read's fields as a write's body: a `null` (never set) is left out, which leaves the
/// field unset on the other side too.
fn body_of(read: Map<String, Value>) -> Map<String, Value> {
    read.into_iter().filter(|(_, v)| !v.is_null()).collect()
}

fn apply_one(c: &Change, src: &State, api: &mut dyn Api, skip_key_checks: bool) -> Result<()> {
    let tail = |prefix: &str| c.path.strip_prefix(prefix).unwrap_or(&c.path).to_string();
    if c.action == Action::Delete {
        return match c.kind {
            "mount" => api.call(Operation::Delete, &c.path, Map::new()).map(|_| ()),
            _ => api.call(Operation::Delete, &c.path, Map::new()).map(|_| ()),
        };
    }
    match c.kind {
        "policy" => {
            let name = tail("sys/policies/acl/");
            let text = src.policies.get(&name).cloned().unwrap_or_default();
            write(
                api,
                &c.path,
                Map::from_iter([("policy".into(), json!(text))]),
            )
        }
        "mount" => {
            let name = tail("sys/auth/");
            let m = src
                .mounts
                .get(&name)
                .cloned()
                .ok_or_else(|| Error::internal("no mount"))?;
            if c.action == Action::Create {
                write(
                    api,
                    &c.path,
                    Map::from_iter([
                        ("type".into(), json!("jwt")),
                        ("description".into(), json!(m.description)),
                    ]),
                )?;
            } else {
                write(
                    api,
                    &format!("{}/tune", c.path),
                    Map::from_iter([("description".into(), json!(m.description))]),
                )?;
            }
            let ttl = |s: i64| if s == 0 { json!("system") } else { json!(s) };
            write(
                api,
                &format!("{}/tune", c.path),
                Map::from_iter([
                    ("default_lease_ttl".into(), ttl(m.default_lease_ttl)),
                    ("max_lease_ttl".into(), ttl(m.max_lease_ttl)),
                ]),
            )
        }
        "config" => {
            let mount = tail("auth/");
            let mount = mount.trim_end_matches("/config").to_string();
            let mut body = body_of(src.configs.get(&mount).cloned().unwrap_or_default());
            if skip_key_checks {
                body.insert("skip_jwks_validation".into(), json!(true));
            }
            write(api, &c.path, body)
        }
        "role" => {
            let rest = tail("auth/");
            let (mount, role) = rest.split_once("/role/").unwrap_or((&rest, ""));
            let body = body_of(
                src.roles
                    .get(&(mount.to_string(), role.to_string()))
                    .cloned()
                    .unwrap_or_default(),
            );
            write(api, &c.path, body)
        }
        "group" => {
            let name = tail("identity/group/name/");
            let g = src
                .groups
                .get(&name)
                .cloned()
                .ok_or_else(|| Error::internal("no group"))?;
            let mut body = Map::new();
            body.insert("type".into(), json!("external"));
            body.insert("policies".into(), json!(g.policies));
            if !g.metadata.is_null() {
                body.insert("metadata".into(), g.metadata.clone());
            }
            write(api, &c.path, body)?;
            let Some((mount, alias)) = &g.alias else {
                return Ok(());
            };
            let group = read(api, &c.path)?.unwrap_or_default();
            let id = group
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let auth = read(api, "sys/auth")?.unwrap_or_default();
            let accessor = auth
                .get(&format!("{mount}/"))
                .and_then(|m| m.get("accessor"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let existing = group.get("alias").and_then(Value::as_object).cloned();
            let same = existing.as_ref().is_some_and(|a| {
                a.get("name").and_then(Value::as_str) == Some(alias)
                    && a.get("mount_accessor").and_then(Value::as_str) == Some(&accessor)
            });
            if same {
                return Ok(());
            }
            let mut body = Map::new();
            body.insert("name".into(), json!(alias));
            body.insert("mount_accessor".into(), json!(accessor));
            body.insert("canonical_id".into(), json!(id));
            match existing
                .and_then(|a| a.get("id").and_then(Value::as_str).map(str::to_string))
                .filter(|i| !i.is_empty())
            {
                Some(alias_id) => write(api, &format!("identity/group-alias/id/{alias_id}"), body),
                None => write(api, "identity/group-alias", body),
            }
        }
        other => Err(Error::internal(format!("unknown object kind {other}"))),
    }
}
