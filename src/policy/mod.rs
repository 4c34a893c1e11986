//! ACL policies: Vault's HCL/JSON policy language, capabilities and their evaluation.
//!
//! Evaluation follows OpenBao's `vault/acl.go`: an exact rule wins; otherwise the best of the
//! longest `*` prefix rule and the matching `+` segment-wildcard rules, by Vault's priority
//! (later first wildcard/glob, then non-prefix, then fewer `+`, then longer, then larger
//! lexicographically). The same path in several policies merges (deny wins).

pub mod backend;
pub mod parse;
pub mod store;

use crate::core::{Operation, Result};
use crate::storage::Storage;
use crate::token::TokenEntry;
use parse::{PathRule, CREATE, DELETE, DENY, LIST, PATCH, READ, SCAN, SUDO, UPDATE};
use serde_json::Value;
use std::collections::BTreeMap;

/// Policies no token may be given (OpenBao's `NonAssignablePolicies`; Vault Enterprise also
/// lists `control-group`, which OpenBao does not have).
pub const NON_ASSIGNABLE: &[&str] = &["response-wrapping"];

/// The error for a token given a policy of [`NON_ASSIGNABLE`], if one is among `policies`.
pub fn check_assignable(policies: &[String]) -> crate::core::Result<()> {
    match policies
        .iter()
        .find(|p| NON_ASSIGNABLE.contains(&p.as_str()))
    {
        Some(p) => Err(crate::core::Error::bad_request(format!(
            "cannot assign policy {}",
            crate::framework::go::go_quote(p)
        ))),
        None => Ok(()),
    }
}

/// Paths that need `sudo` on top of the operation's capability (OpenBao's system backend and
/// token store `PathsSpecial.Root`). A trailing `*` makes a prefix.
pub const SUDO_PATHS: &[&str] = &[
    "sys/auth/*",
    "sys/remount",
    "sys/audit",
    "sys/audit/*",
    "sys/raw",
    "sys/raw/*",
    "sys/rotate",
    "sys/config/cors",
    "sys/config/auditing/*",
    "sys/config/ui/headers/*",
    "sys/plugins/catalog/*",
    "sys/plugins/runtimes/catalog/*",
    "sys/revoke-prefix/*",
    "sys/revoke-force/*",
    "sys/leases/revoke-prefix/*",
    "sys/leases/revoke-force/*",
    "sys/leases/lookup/*",
    "sys/leases",
    "sys/internal/inspect/*",
    "auth/token/revoke-orphan/*",
    "auth/token/accessors*",
];

/// Whether `path` is protected by `sudo` (Vault's "root paths").
pub fn requires_sudo(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    SUDO_PATHS.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == *p,
    })
}

/// The merged permissions of one path across policies (Vault's `ACLPermissions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    pub capabilities: u32,
    pub allowed_parameters: parse::ParameterValues,
    pub denied_parameters: parse::ParameterValues,
    pub required_parameters: Vec<String>,
    pub min_wrapping_ttl: i64,
    pub max_wrapping_ttl: i64,
}

impl Permissions {
    fn of(r: &PathRule) -> Self {
        Permissions {
            capabilities: r.capabilities,
            allowed_parameters: r.allowed_parameters.clone(),
            denied_parameters: r.denied_parameters.clone(),
            required_parameters: r.required_parameters.clone(),
            min_wrapping_ttl: r.min_wrapping_ttl,
            max_wrapping_ttl: r.max_wrapping_ttl,
        }
    }

    /// Vault's `AllowOperation` after the capability check: wrapping TTLs (no request is
    /// response-wrapped here, so a rule with either TTL refuses every request), then the
    /// parameter constraints of reads, writes and patches.
    fn allows_data(&self, op: Operation, data: &serde_json::Map<String, Value>) -> bool {
        if self.max_wrapping_ttl > 0 || self.min_wrapping_ttl > 0 {
            return false;
        }
        if !matches!(
            op,
            Operation::Read | Operation::Update | Operation::Create | Operation::Patch
        ) {
            return true;
        }
        if self
            .required_parameters
            .iter()
            .any(|p| !data.contains_key(&p.to_lowercase()))
        {
            return false;
        }
        if data.is_empty() {
            return true;
        }
        if !self.denied_parameters.is_empty() {
            if self.denied_parameters.contains_key("*") {
                return false;
            }
            for (name, value) in data {
                if let Some(list) = self.denied_parameters.get(&name.to_lowercase()) {
                    if value_in_list(value, list) {
                        return false;
                    }
                }
            }
        }
        if self.allowed_parameters.is_empty() {
            return true;
        }
        let allowed_all = self.allowed_parameters.contains_key("*");
        if allowed_all && self.allowed_parameters.len() == 1 {
            return true;
        }
        data.iter().all(
            |(name, value)| match self.allowed_parameters.get(&name.to_lowercase()) {
                None => allowed_all,
                Some(list) => value_in_list(value, list),
            },
        )
    }
}

/// Vault's `valueInParameterList`: an empty list takes any value; strings match with `*`
/// at either end as a glob; other values must be equal as Go's `reflect.DeepEqual` sees a
/// JSON request body against HCL-decoded policy values (a JSON number is a `json.Number`,
/// never equal to a policy's number).
fn value_in_list(v: &Value, list: &[Value]) -> bool {
    list.is_empty()
        || list.iter().any(|el| match (el, v) {
            (Value::Null, _) | (_, Value::Null) => el == v,
            (Value::String(item), Value::String(val)) => globbed_match(item, val),
            _ => deep_equal(el, v),
        })
}

fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| deep_equal(p, q))
        }
        _ => false,
    }
}

/// `strutil.GlobbedStringsMatch`: `*` at the start and/or end of the pattern (a pattern of
/// one character, `*` included, is literal).
pub fn globbed_match(item: &str, val: &str) -> bool {
    if item.len() < 2 {
        return val == item;
    }
    let prefix = item.starts_with('*');
    let suffix = item.ends_with('*');
    match (prefix, suffix) {
        (true, true) => val.contains(&item[1..item.len() - 1]),
        (true, false) => val.ends_with(&item[1..]),
        (false, true) => val.starts_with(&item[..item.len() - 1]),
        (false, false) => val == item,
    }
}

/// The merged rules of a set of policies, as Vault's `ACL`.
#[derive(Debug, Clone, Default)]
pub struct Acl {
    root: bool,
    exact: BTreeMap<String, Permissions>,
    /// Keyed without the trailing `*`.
    prefix: BTreeMap<String, Permissions>,
    /// Paths with `+` segments, keyed as written (a trailing `*` kept).
    wildcard: BTreeMap<String, Permissions>,
}

/// Merges the parameter values of a second policy into a first (`NewACL`): an empty list
/// on either side wins (any value), otherwise the lists are concatenated.
fn merge_values(existing: &mut parse::ParameterValues, new: &parse::ParameterValues) {
    for (k, v) in new {
        match existing.get_mut(k) {
            Some(e) if e.is_empty() => {}
            Some(_) if v.is_empty() => {
                existing.insert(k.clone(), Vec::new());
            }
            Some(e) => {
                let mut merged = v.clone();
                merged.append(e);
                *e = merged;
            }
            None => {
                existing.insert(k.clone(), v.clone());
            }
        }
    }
}

fn merge(map: &mut BTreeMap<String, Permissions>, key: String, rule: &PathRule) {
    let Some(existing) = map.get_mut(&key) else {
        map.insert(key, Permissions::of(rule));
        return;
    };
    if existing.capabilities & DENY != 0 {
        return;
    }
    if rule.capabilities & DENY != 0 {
        existing.capabilities = DENY;
        existing.allowed_parameters.clear();
        existing.denied_parameters.clear();
        return;
    }
    existing.capabilities |= rule.capabilities;
    // The lesser of two wrapping TTLs wins.
    if rule.max_wrapping_ttl > 0
        && (existing.max_wrapping_ttl == 0 || rule.max_wrapping_ttl < existing.max_wrapping_ttl)
    {
        existing.max_wrapping_ttl = rule.max_wrapping_ttl;
    }
    if rule.min_wrapping_ttl > 0
        && (existing.min_wrapping_ttl == 0 || rule.min_wrapping_ttl < existing.min_wrapping_ttl)
    {
        existing.min_wrapping_ttl = rule.min_wrapping_ttl;
    }
    merge_values(&mut existing.allowed_parameters, &rule.allowed_parameters);
    merge_values(&mut existing.denied_parameters, &rule.denied_parameters);
    for p in &rule.required_parameters {
        if !existing.required_parameters.contains(p) {
            existing.required_parameters.push(p.clone());
        }
    }
}

impl Acl {
    /// The ACL of the `root` policy: everything is allowed.
    pub fn root() -> Acl {
        Acl {
            root: true,
            ..Default::default()
        }
    }

    pub fn is_root(&self) -> bool {
        self.root
    }

    /// Merges the rules of one policy into the ACL.
    pub fn add_rules(&mut self, rules: &[PathRule]) {
        for r in rules {
            let p = r.path.as_str();
            let segment_wc = p == "+" || p.contains("/+") || p.starts_with("+/");
            if segment_wc {
                merge(&mut self.wildcard, p.to_string(), r);
            } else if let Some(prefix) = p.strip_suffix('*') {
                merge(&mut self.prefix, prefix.to_string(), r);
            } else {
                merge(&mut self.exact, p.to_string(), r);
            }
        }
    }

    /// Builds an ACL from several policies' rules.
    pub fn from_rules<'a>(policies: impl IntoIterator<Item = &'a [PathRule]>) -> Acl {
        let mut acl = Acl::default();
        for rules in policies {
            acl.add_rules(rules);
        }
        acl
    }

    /// The capability bitmap governing `path`, if any rule matches. `list` enables Vault's
    /// list fallback (an exact rule without the trailing `/`).
    fn permissions(&self, path: &str, list: bool) -> Option<&Permissions> {
        let path = path.trim_start_matches('/');
        if let Some(c) = self.exact.get(path) {
            return Some(c);
        }
        if list {
            if let Some(c) = self.exact.get(path.strip_suffix('/').unwrap_or(path)) {
                return Some(c);
            }
        }
        self.non_exact(path)
    }

    fn non_exact(&self, path: &str) -> Option<&Permissions> {
        struct Cand<'a> {
            first: usize,
            is_prefix: bool,
            wildcards: usize,
            path: &'a str,
            caps: &'a Permissions,
        }
        let mut cands: Vec<Cand> = Vec::new();
        if let Some((k, c)) = self
            .prefix
            .iter()
            .filter(|(k, _)| path.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
        {
            cands.push(Cand {
                first: k.len(),
                is_prefix: true,
                wildcards: 0,
                path: k,
                caps: c,
            });
        }
        let parts: Vec<&str> = path.split('/').collect();
        'outer: for (full, caps) in &self.wildcard {
            let first = full.find('+').unwrap_or(0);
            let (cur, is_prefix) = match full.strip_suffix('*') {
                Some(c) => (c, true),
                None => (full.as_str(), false),
            };
            let split: Vec<&str> = cur.split('/').collect();
            if parts.len() < split.len() || (!is_prefix && split.len() != parts.len()) {
                continue;
            }
            let mut wildcards = 0;
            for (i, acl_part) in split.iter().enumerate() {
                let Some(part) = parts.get(i) else {
                    continue 'outer;
                };
                if *acl_part == "+" {
                    wildcards += 1;
                } else if acl_part == part
                    || (is_prefix && i + 1 == split.len() && part.starts_with(acl_part))
                {
                } else {
                    continue 'outer;
                }
            }
            cands.push(Cand {
                first,
                is_prefix,
                wildcards,
                path: cur,
                caps,
            });
        }
        // Highest priority last, as Vault's sort.
        cands
            .into_iter()
            .max_by(|a, b| {
                a.first
                    .cmp(&b.first)
                    .then(b.is_prefix.cmp(&a.is_prefix))
                    .then(b.wildcards.cmp(&a.wildcards))
                    .then(a.path.len().cmp(&b.path.len()))
                    .then(a.path.cmp(b.path))
            })
            .map(|c| c.caps)
    }

    /// Capabilities on `path`, as `token capabilities` prints them (`["deny"]` when none).
    pub fn capabilities(&self, path: &str) -> Vec<String> {
        if self.root {
            return vec!["root".into()];
        }
        parse::capability_names(self.permissions(path, true).map_or(0, |p| p.capabilities))
    }

    /// Vault's `hasMountAccess`: whether the ACL grants anything at or below the mount path
    /// `path` (`kv/`), as the `sys/internal/ui/mounts` preflight of the `kv` commands asks.
    pub fn has_mount_access(&self, path: &str) -> bool {
        if self.root {
            return true;
        }
        let granted = |c: u32| c & DENY == 0 && c & !(DENY | SCAN) != 0;
        if self
            .permissions(path, true)
            .is_some_and(|p| granted(p.capabilities))
        {
            return true;
        }
        let under = |m: &BTreeMap<String, Permissions>| {
            m.iter()
                .filter(|(k, _)| k.starts_with(path))
                .any(|(_, c)| granted(c.capabilities))
        };
        if under(&self.exact) || under(&self.prefix) {
            return true;
        }
        // A `+` rule whose leading segments match the mount path (`bareMount`).
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.wildcard.iter().any(|(rule, c)| {
            let segs: Vec<&str> = rule.trim_end_matches('*').split('/').collect();
            segs.len() >= parts.len()
                && parts
                    .iter()
                    .zip(segs.iter())
                    .enumerate()
                    .all(|(i, (p, s))| {
                        *s == "+"
                            || s == p
                            || (i + 1 == segs.len() && rule.ends_with('*') && p.starts_with(s))
                    })
                && granted(c.capabilities)
        })
    }

    /// Whether the token may use `sudo`-protected paths at `path`.
    pub fn has_sudo(&self, path: &str) -> bool {
        self.root
            || self
                .permissions(path, false)
                .is_some_and(|p| p.capabilities & DENY == 0 && p.capabilities & SUDO != 0)
    }

    /// Whether the operation is allowed on `path`.
    ///
    /// The CLI sends `Operation::Update` for every write, where Vault's existence check would
    /// choose between create and update; a write is therefore allowed with either the
    /// `update` or the `create` capability. `Create` needs `create`. Paths Vault protects
    /// with `sudo` ([`SUDO_PATHS`]) need `sudo` as well.
    pub fn allows(&self, op: Operation, path: &str) -> bool {
        self.allows_request(op, path, &serde_json::Map::new(), false)
    }

    /// As [`Acl::allows`], for an operation an existence check has decided: `Update` needs
    /// the `update` capability (not `create`).
    pub fn allows_exact(&self, op: Operation, path: &str) -> bool {
        self.allows_request(op, path, &serde_json::Map::new(), true)
    }

    /// Whether a request is allowed: the operation's capability (see [`Acl::allows`] and,
    /// with `exact`, [`Acl::allows_exact`]), then the rule's wrapping TTLs and its
    /// `required_parameters`, `denied_parameters` and `allowed_parameters` against the
    /// request's data, as Vault's `AllowOperation`.
    pub fn allows_request(
        &self,
        op: Operation,
        path: &str,
        data: &serde_json::Map<String, Value>,
        exact: bool,
    ) -> bool {
        if self.root {
            return true;
        }
        let path = path.trim_start_matches('/');
        let caps = if op == Operation::List {
            let with_slash = if path.ends_with('/') || path.is_empty() {
                path.to_string()
            } else {
                format!("{path}/")
            };
            // A `+` rule written without the trailing slash (`kv/metadata/+/dir`) also
            // governs listing that directory, as in Vault.
            self.permissions(&with_slash, true)
                .or_else(|| self.non_exact(with_slash.trim_end_matches('/')))
        } else {
            self.permissions(path, false)
        };
        let Some(perms) = caps else {
            return false;
        };
        let caps = perms.capabilities;
        if caps & DENY != 0 {
            return false;
        }
        let needed = match op {
            Operation::Read => READ,
            Operation::Create => CREATE,
            Operation::Update if exact => UPDATE,
            Operation::Update => UPDATE | CREATE,
            Operation::Delete => DELETE,
            Operation::List => LIST,
            Operation::Patch => PATCH,
        };
        if caps & needed == 0 || !perms.allows_data(op, data) {
            return false;
        }
        !requires_sudo(path) || caps & SUDO != 0
    }
}

/// The policy names that apply to a token: its own plus its entity's and groups' identity
/// policies, without duplicates, in that order.
pub fn token_policy_names(storage: &dyn Storage, entry: &TokenEntry) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    let identity = crate::identity::policies_for_entity(storage, &entry.entity_id)?;
    for n in entry.policies.iter().chain(identity.iter()) {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    Ok(names)
}

/// What policy templates of a token with this entity are filled with: the entity, its
/// aliases, and its groups (direct and inherited). No entity for an empty or unknown id.
pub fn template_context(storage: &dyn Storage, entity_id: &str) -> Result<parse::TemplateContext> {
    use crate::identity::store;
    let mut ctx = parse::TemplateContext::default();
    if entity_id.is_empty() {
        return Ok(ctx);
    }
    let Some(e) = store::entity_by_id(storage, entity_id)? else {
        return Ok(ctx);
    };
    ctx.entity = Some(parse::TemplateEntity {
        id: e.id.clone(),
        name: e.name.clone(),
        metadata: e.metadata.clone().unwrap_or_default(),
        aliases: e
            .aliases
            .iter()
            .map(|a| parse::TemplateAlias {
                id: a.id.clone(),
                mount_accessor: a.mount_accessor.clone(),
                name: a.name.clone(),
                metadata: a.metadata.clone().unwrap_or_default(),
            })
            .collect(),
    });
    let direct = store::groups_of_entity(storage, &e.id)?;
    let inherited = store::ancestors(storage, &direct)?;
    for g in direct.iter().chain(inherited.iter()) {
        ctx.groups.push(parse::TemplateGroup {
            id: g.id.clone(),
            name: g.name.clone(),
            metadata: g.metadata.clone().unwrap_or_default(),
        });
    }
    Ok(ctx)
}

/// The ACL of a token: its policies plus its entity's and groups' identity policies.
pub fn acl_for_token(storage: &dyn Storage, entry: &TokenEntry) -> Result<Acl> {
    let names = token_policy_names(storage, entry)?;
    if names.iter().any(|p| p == "root") {
        return Ok(Acl::root());
    }
    let ctx = template_context(storage, &entry.entity_id)?;
    let mut acl = Acl::default();
    for name in &names {
        if let Some(p) = store::get(storage, name)? {
            if p.templated {
                // A policy whose template cannot be evaluated contributes nothing for this
                // token rather than failing every request.
                if let Ok(filled) = parse::parse_with(&p.raw, Some(&ctx)) {
                    acl.add_rules(&filled.paths);
                }
            } else {
                acl.add_rules(&p.paths);
            }
        }
    }
    Ok(acl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_response_wrapping_is_non_assignable() {
        assert!(check_assignable(&["control-group".into(), "default".into()]).is_ok());
        assert_eq!(
            check_assignable(&["a".into(), "response-wrapping".into()])
                .unwrap_err()
                .message(),
            "cannot assign policy \"response-wrapping\""
        );
    }

    fn acl(policies: &[&str]) -> Acl {
        let parsed: Vec<parse::ParsedPolicy> =
            policies.iter().map(|p| parse::parse(p).unwrap()).collect();
        Acl::from_rules(parsed.iter().map(|p| p.paths.as_slice()))
    }

    /// Examples from Vault's policy documentation ("Policy syntax", "Priority matching").
    #[test]
    fn docs_examples() {
        let docs = acl(&[r#"
path "secret/foo" { capabilities = ["read"] }
path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }
path "secret/super-secret" { capabilities = ["deny"] }
path "secret/+/teamb" { capabilities = ["read"] }
path "secret/+/+/teamc" { capabilities = ["update"] }
path "secret/bar/*" { capabilities = ["list"] }
path "secret/zip-*" { capabilities = ["delete"] }
path "secret/zip-zap/+" { capabilities = ["patch"] }
path "sys/+/auth/*" { capabilities = ["sudo", "read"] }
path "exact/list" { capabilities = ["list"] }
"#]);
        let table: &[(&str, &[&str])] = &[
            // exact beats glob
            ("secret/foo", &["read"]),
            // glob
            (
                "secret/anything",
                &["create", "delete", "list", "read", "update"],
            ),
            ("secret/", &["create", "delete", "list", "read", "update"]),
            // deny on an exact path
            ("secret/super-secret", &["deny"]),
            // `+` only matches one segment; its first wildcard is later than the glob's
            ("secret/x/teamb", &["read"]),
            (
                "secret/x/y/teamb",
                &["create", "delete", "list", "read", "update"],
            ),
            ("secret/x/y/teamc", &["update"]),
            // a longer prefix wins
            ("secret/bar/baz", &["list"]),
            // foo/a* beats foo/+ ... and zip-zap/+ beats zip-*
            ("secret/zip-zap", &["delete"]),
            ("secret/zip-zap/a", &["patch"]),
            ("secret/zip-zap/a/b", &["delete"]),
            // prefix glob after wildcard
            ("sys/x/auth/jwt", &["read", "sudo"]),
            // nothing matches
            ("other/path", &["deny"]),
            ("secre", &["deny"]),
            // list fallback: trailing slash stripped for exact rules
            ("exact/list/", &["list"]),
        ];
        for (path, want) in table {
            assert_eq!(&docs.capabilities(path), want, "capabilities of {path}");
        }
    }

    #[test]
    fn priority_rules() {
        // Later first wildcard wins over an earlier one.
        let a = acl(&[r#"path "foo/+/bar/baz" { capabilities = ["read"] }
               path "foo/bar/+/baz" { capabilities = ["update"] }"#]);
        assert_eq!(a.capabilities("foo/bar/bar/baz"), vec!["update"]);
        // Non-prefix beats prefix at the same position: foo/+ over foo/*.
        let a = acl(&[r#"path "foo/+" { capabilities = ["read"] }
               path "foo/*" { capabilities = ["list"] }"#]);
        assert_eq!(a.capabilities("foo/x"), vec!["read"]);
        assert_eq!(a.capabilities("foo/x/y"), vec!["list"]);
        // Fewer wildcards wins.
        let a = acl(&[r#"path "foo/bar/+/baz" { capabilities = ["read"] }
               path "foo/+/+/baz" { capabilities = ["update"] }"#]);
        assert_eq!(a.capabilities("foo/bar/x/baz"), vec!["read"]);
        // Longer wins.
        let a = acl(&[r#"path "foo/+/bar/ba*" { capabilities = ["read"] }
               path "foo/+/bar/b*" { capabilities = ["update"] }"#]);
        assert_eq!(a.capabilities("foo/x/bar/baz"), vec!["read"]);
        assert_eq!(a.capabilities("foo/x/bar/bz"), vec!["update"]);
    }

    #[test]
    fn same_path_merges_and_deny_wins() {
        let a = acl(&[
            r#"path "s/a" { capabilities = ["read"] }"#,
            r#"path "s/a" { capabilities = ["list"] }
               path "s/b" { capabilities = ["read"] }"#,
            r#"path "s/b" { capabilities = ["deny"] }"#,
            r#"path "s/b" { capabilities = ["update"] }"#,
        ]);
        assert_eq!(a.capabilities("s/a"), vec!["list", "read"]);
        assert_eq!(a.capabilities("s/b"), vec!["deny"]);
        assert!(!a.allows(Operation::Read, "s/b"));
    }

    #[test]
    fn allows_operations() {
        let a = acl(&[r#"
path "kv/create-only" { capabilities = ["create"] }
path "kv/update-only" { capabilities = ["update"] }
path "kv/read" { capabilities = ["read"] }
path "kv/dir/" { capabilities = ["list"] }
path "sys/auth/*" { capabilities = ["create", "update", "read"] }
path "sys/auth/sudo" { capabilities = ["update", "sudo"] }
"#]);
        assert!(a.allows(Operation::Update, "kv/create-only"));
        assert!(a.allows(Operation::Update, "kv/update-only"));
        assert!(!a.allows(Operation::Create, "kv/update-only"));
        assert!(a.allows(Operation::Read, "kv/read"));
        assert!(!a.allows(Operation::Update, "kv/read"));
        assert!(!a.allows(Operation::Delete, "kv/read"));
        assert!(a.allows(Operation::List, "kv/dir"));
        assert!(a.allows(Operation::List, "kv/dir/"));
        let w = acl(&[r#"path "kv/metadata/+/dir" { capabilities = ["list"] }"#]);
        assert!(w.allows(Operation::List, "kv/metadata/x/dir"));
        assert!(!w.allows(Operation::List, "kv/metadata/x"));
        assert!(!w.allows(Operation::Read, "kv/metadata/x/dir"));
        assert!(!a.allows(Operation::Read, "kv/dir"));
        // sudo-protected
        assert!(!a.allows(Operation::Update, "sys/auth/jwt"));
        assert!(a.allows(Operation::Update, "sys/auth/sudo"));
        assert!(Acl::root().allows(Operation::Delete, "sys/auth/jwt"));
        assert_eq!(Acl::root().capabilities("anything"), vec!["root"]);
        assert!(requires_sudo("sys/auth/jwt/tune"));
        assert!(!requires_sudo("sys/auth"));
        assert!(requires_sudo("auth/token/accessors/"));
        assert!(!requires_sudo("sys/policy/x"));
    }

    #[test]
    fn token_acl_uses_stored_and_default_policies() {
        use crate::storage::MemoryStorage;
        let s = MemoryStorage::default();
        store::put(
            &s,
            "app",
            "path \"secret/data/app/*\" { capabilities = [\"read\", \"list\"] }",
        )
        .unwrap();
        crate::identity::store::save_entity(
            &s,
            &crate::identity::store::Entity {
                id: "ent-1".into(),
                name: "entity-one".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        let (_, entry) = crate::token::create(
            &s,
            crate::token::NewToken {
                policies: vec!["app".into(), "default".into(), "missing".into()],
                entity_id: "ent-1".into(),
                ..Default::default()
            },
            1,
        )
        .unwrap();
        let acl = acl_for_token(&s, &entry).unwrap();
        assert_eq!(acl.capabilities("secret/data/app/x"), vec!["list", "read"]);
        assert_eq!(acl.capabilities("auth/token/lookup-self"), vec!["read"]);
        assert_eq!(acl.capabilities("identity/entity/id/ent-1"), vec!["read"]);
        assert_eq!(acl.capabilities("identity/entity/id/other"), vec!["deny"]);
        assert_eq!(
            acl.capabilities("identity/entity/name/entity-one"),
            vec!["read"]
        );
        assert_eq!(acl.capabilities("sys/policy/app"), vec!["deny"]);
        assert!(acl.allows(Operation::Update, "sys/capabilities-self"));
        let (_, root) = crate::token::create_root(&s, 1).unwrap();
        assert!(acl_for_token(&s, &root).unwrap().is_root());
    }

    fn data(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn parameter_constraints_as_vault() {
        use serde_json::json;
        let a = acl(&[r#"
path "kv/p/*" {
  capabilities = ["create", "update", "read", "list"]
  allowed_parameters = {
    "a" = []
    "e" = ["dev", "t-*", "*-s", "*mid*"]
    "n" = [1]
    "b" = [true]
  }
  denied_parameters = {
    "e" = ["dev"]
  }
}
path "kv/r" {
  capabilities = ["update", "read", "list"]
  required_parameters = ["X"]
}
"#]);
        let ok = |op, path, d: &[(&str, Value)]| a.allows_request(op, path, &data(d), false);
        assert!(ok(Operation::Update, "kv/p/1", &[]));
        assert!(ok(Operation::Update, "kv/p/1", &[("A", json!("1"))]));
        assert!(!ok(Operation::Update, "kv/p/1", &[("z", json!("1"))]));
        assert!(ok(Operation::Update, "kv/p/1", &[("e", json!("t-1"))]));
        assert!(ok(Operation::Update, "kv/p/1", &[("e", json!("x-s"))]));
        assert!(ok(Operation::Update, "kv/p/1", &[("e", json!("amidst"))]));
        // Deny wins over allow.
        assert!(!ok(Operation::Update, "kv/p/1", &[("e", json!("dev"))]));
        // A JSON number is never equal to a policy number; bools compare.
        assert!(!ok(Operation::Update, "kv/p/1", &[("n", json!(1))]));
        assert!(!ok(Operation::Update, "kv/p/1", &[("n", json!("1"))]));
        assert!(ok(Operation::Update, "kv/p/1", &[("b", json!(true))]));
        assert!(!ok(Operation::Update, "kv/p/1", &[("b", json!("true"))]));
        // Constraints apply to reads, not to lists.
        assert!(!ok(Operation::Read, "kv/p/1", &[("z", json!("1"))]));
        assert!(ok(Operation::List, "kv/p/", &[("z", json!("1"))]));
        // Required names are looked up lower-cased; the data's names as given.
        assert!(ok(Operation::Update, "kv/r", &[("x", json!("1"))]));
        assert!(!ok(Operation::Update, "kv/r", &[("X", json!("1"))]));
        assert!(!ok(Operation::Read, "kv/r", &[]));
        assert!(ok(Operation::List, "kv/r", &[]));
        assert!(globbed_match("*", "*") && !globbed_match("*", "x"));
        assert!(globbed_match("**", "anything"));
    }

    #[test]
    fn parameter_constraints_merge() {
        use serde_json::json;
        let a = acl(&[
            "path \"k/*\" {\n capabilities = [\"create\"]\n allowed_parameters = {\n \"a\" = [\"x\"]\n }\n required_parameters = [\"a\"]\n max_wrapping_ttl = 60\n}\npath \"w/*\" {\n capabilities = [\"read\"]\n allowed_parameters = {\n \"a\" = [\"x\"]\n }\n}\n",
            "path \"k/*\" {\n capabilities = [\"update\"]\n allowed_parameters = {\n \"a\" = [\"y\"]\n \"b\" = []\n }\n required_parameters = [\"b\"]\n}\npath \"w/*\" {\n capabilities = [\"read\"]\n allowed_parameters = {\n \"a\" = []\n }\n}\n",
        ]);
        let p = a.permissions("k/1", false).unwrap();
        assert_eq!(p.capabilities, CREATE | UPDATE);
        assert_eq!(p.allowed_parameters["a"], vec![json!("y"), json!("x")]);
        assert_eq!(p.required_parameters, vec!["a", "b"]);
        assert_eq!(p.max_wrapping_ttl, 60);
        // A wrapping TTL refuses every (unwrapped) request.
        assert!(!a.allows_request(
            Operation::Update,
            "k/1",
            &data(&[("a", json!("x")), ("b", json!("1"))]),
            false
        ));
        let w = a.permissions("w/1", false).unwrap();
        assert!(w.allowed_parameters["a"].is_empty());
        assert!(a.allows_request(Operation::Read, "w/1", &data(&[("a", json!("z"))]), false));
    }
}
