//! The policy endpoints: `sys/policy`, `sys/policies/acl`, `sys/capabilities*`.

use super::store;
use crate::core::{fields, BackendContext, Caller, Error, Operation, Request, Response, Result};
use crate::storage::StorageExt;
use crate::token::TokenEntry;
use base64::Engine;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Which family of endpoints a policy request came through: `sys/policy` answers `rules`
/// (and `policies` on lists), `sys/policies/acl` answers `policy`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Legacy,
    Acl,
}

/// `sys/capabilities`, `sys/capabilities-self`, `sys/capabilities-accessor` (`req.path`
/// relative to `sys/`).
pub fn capabilities_path(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    match req.operation {
        Operation::Update | Operation::Create => {
            capabilities(ctx, req, req.caller.as_deref(), &req.path)
        }
        _ => Err(Error::unsupported_operation()),
    }
}

/// `sys/policy[/NAME]` and `sys/policies/acl[/NAME]`: without a name, the list; with one
/// (a prefix, for a list), the policy.
pub fn policies(
    ctx: &BackendContext,
    req: &Request,
    family: Family,
    name: Option<&str>,
) -> Result<Option<Response>> {
    let Some(name) = name else {
        return match (req.operation, family) {
            (Operation::List, _) | (Operation::Read, Family::Legacy) => {
                list(ctx, family, "").map(Some)
            }
            _ => Err(Error::unsupported_operation()),
        };
    };
    match req.operation {
        Operation::List => list(ctx, family, name).map(Some),
        Operation::Read => read(ctx, family, name),
        Operation::Create | Operation::Update => write(ctx, req, family, name),
        Operation::Delete => {
            store::delete(ctx.system(), name)?;
            Ok(None)
        }
        Operation::Patch => Err(Error::unsupported_operation()),
    }
}

fn list(ctx: &BackendContext, family: Family, prefix: &str) -> Result<Response> {
    let mut keys: Vec<String> = store::list(ctx.system())?
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    if "root".starts_with(prefix) {
        keys.push("root".into());
    }
    let mut data = Map::new();
    data.insert("keys".into(), json!(keys));
    if family == Family::Legacy {
        data.insert("policies".into(), json!(keys));
    }
    Ok(Response::data(data))
}

fn read(ctx: &BackendContext, family: Family, name: &str) -> Result<Option<Response>> {
    let Some(p) = store::get(ctx.system(), name)? else {
        return Ok(None);
    };
    let field = match family {
        Family::Legacy => "rules",
        Family::Acl => "policy",
    };
    // Go encodes the map with sorted keys.
    let mut data = Map::new();
    data.insert("allow_slashes_in_identity_templates".into(), json!(false));
    data.insert("allow_wildcards_in_identity_templates".into(), json!(false));
    data.insert("cas_required".into(), json!(false));
    data.insert("modified".into(), json!(p.modified));
    data.insert("name".into(), json!(p.name));
    data.insert(field.into(), json!(p.raw));
    data.insert("version".into(), json!(p.version));
    Ok(Some(Response::data(data)))
}

fn string_field(req: &Request, key: &str) -> Result<String> {
    match req.data.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(v) => {
            fields::string(v).map_err(|d| Error::bad_request(fields::conversion_error(key, &d)))
        }
    }
}

fn write(
    ctx: &BackendContext,
    req: &Request,
    family: Family,
    name: &str,
) -> Result<Option<Response>> {
    let name = store::sanitize(name);
    if name.is_empty() {
        return Err(Error::bad_request(
            "policy name must be provided in the URL",
        ));
    }
    let mut warning = None;
    let mut raw = string_field(req, "policy")?;
    if raw.is_empty() && family == Family::Legacy {
        raw = string_field(req, "rules")?;
        warning = Some("'rules' is deprecated, please use 'policy' instead");
    }
    if raw.is_empty() {
        return Err(Error::bad_request(
            "'policy' parameter not supplied or empty",
        ));
    }
    // Vault accepts the policy base64-encoded.
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(raw.as_bytes()) {
        if let Ok(text) = String::from_utf8(bytes) {
            raw = text;
        }
    }
    store::put(ctx.system(), &name, &raw)?;
    Ok(warning.map(|w| Response::default().warning(w)))
}

/// Finds a live token entry by accessor.
fn entry_by_accessor(ctx: &BackendContext, accessor: &str) -> Result<Option<TokenEntry>> {
    let storage = ctx.system();
    let h = crate::token::hash(storage, accessor)?;
    let Some(Value::String(token_hash)) = storage.get(&format!("sys/token/accessor/{h}"))? else {
        return Ok(None);
    };
    let entry: Option<TokenEntry> = storage.get_as(&format!("sys/token/id/{token_hash}"))?;
    Ok(entry.filter(|e| e.expire_time == 0 || e.expire_time > crate::core::now()))
}

fn capabilities(
    ctx: &BackendContext,
    req: &Request,
    caller: Option<&Caller>,
    path: &str,
) -> Result<Option<Response>> {
    let storage = ctx.system();
    let entry = match path {
        "capabilities-self" => match caller {
            Some(c) => c.entry.clone(),
            None => return Err(Error::internal("no token found")),
        },
        "capabilities-accessor" => {
            let accessor = string_field(req, "accessor")?;
            if accessor.is_empty() {
                return Err(Error::bad_request("missing accessor"));
            }
            entry_by_accessor(ctx, &accessor)?
                .ok_or_else(|| Error::bad_request("invalid accessor"))?
        }
        _ => {
            let token = string_field(req, "token")?;
            if token.is_empty() {
                return Err(Error::internal("no token found"));
            }
            crate::token::lookup(storage, &token, crate::core::now())?
                .ok_or_else(|| Error::bad_request("invalid token"))?
        }
    };
    let list_field = |key: &str| -> Result<Vec<String>> {
        match req.data.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(v) => fields::comma_string_slice(v)
                .map_err(|d| Error::bad_request(fields::conversion_error(key, &d))),
        }
    };
    let mut paths = list_field("paths")?;
    if paths.is_empty() {
        paths = list_field("path")?;
    }
    let acl = super::acl_for_token(storage, &entry)?;
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for p in &paths {
        if p.is_empty() {
            return Err(Error::bad_request("missing path"));
        }
        out.insert(p.clone(), json!(acl.capabilities(p)));
    }
    if let [only] = paths.as_slice() {
        let caps = out.get(only).cloned().unwrap_or(Value::Null);
        out.insert("capabilities".into(), caps);
    }
    Ok(Some(Response::data(out.into_iter().collect())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Core;
    use crate::settings::Settings;
    use crate::storage::MemoryStorage;

    fn core() -> (Core, String) {
        let mut c = Core::new(Box::<MemoryStorage>::default(), Settings::default());
        let root = c.initialize().unwrap().unwrap();
        (c, root)
    }

    fn req(op: Operation, path: &str, data: Value, token: &str) -> Request {
        let Value::Object(m) = data else {
            panic!("object")
        };
        Request::new(op, path)
            .with_data(m)
            .with_token(Some(token.to_string()))
    }

    #[test]
    fn policy_crud_through_the_router() {
        let (mut c, root) = core();
        let policy = "path \"secret/*\" { capabilities = [\"read\"] }";
        let r = c
            .handle(req(
                Operation::Update,
                "sys/policies/acl/App",
                json!({"policy": policy}),
                &root,
            ))
            .unwrap();
        assert!(r.is_none());
        let r = c
            .handle(req(
                Operation::Read,
                "sys/policies/acl/app",
                json!({}),
                &root,
            ))
            .unwrap()
            .unwrap();
        let mut d = r.data.unwrap();
        assert!(d
            .remove("modified")
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with('Z'));
        assert_eq!(
            Value::Object(d),
            json!({
                "allow_slashes_in_identity_templates": false,
                "allow_wildcards_in_identity_templates": false,
                "cas_required": false,
                "name": "app",
                "policy": policy,
                "version": 1
            })
        );
        let r = c
            .handle(req(Operation::Read, "sys/policy/app", json!({}), &root))
            .unwrap()
            .unwrap();
        let d = r.data.unwrap();
        assert_eq!((&d["name"], &d["rules"]), (&json!("app"), &json!(policy)));
        assert!(!d.contains_key("policy"));
        let r = c
            .handle(req(Operation::Read, "sys/policy", json!({}), &root))
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(r.data.unwrap()),
            json!({"keys": ["app", "default", "root"], "policies": ["app", "default", "root"]})
        );
        let r = c
            .handle(req(Operation::List, "sys/policies/acl", json!({}), &root))
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(r.data.unwrap()),
            json!({"keys": ["app", "default", "root"]})
        );
        // `rules` on the legacy endpoint, with a warning; base64 accepted.
        let b64 = base64::engine::general_purpose::STANDARD.encode(policy);
        let r = c
            .handle(req(
                Operation::Update,
                "sys/policy/other",
                json!({"rules": b64}),
                &root,
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            r.warnings,
            vec!["'rules' is deprecated, please use 'policy' instead"]
        );
        assert_eq!(
            store::get(c.storage.as_ref(), "other")
                .unwrap()
                .unwrap()
                .raw,
            policy
        );
        let e = c
            .handle(req(
                Operation::Update,
                "sys/policies/acl/x",
                json!({"rules": policy}),
                &root,
            ))
            .unwrap_err();
        assert_eq!(e.message(), "'policy' parameter not supplied or empty");
        let e = c
            .handle(req(
                Operation::Update,
                "sys/policies/acl/root",
                json!({"policy": policy}),
                &root,
            ))
            .unwrap_err();
        assert_eq!(
            (e.status, e.message()),
            (400, "cannot update \"root\" policy".to_string())
        );
        let e = c
            .handle(req(
                Operation::Delete,
                "sys/policies/acl/default",
                json!({}),
                &root,
            ))
            .unwrap_err();
        assert_eq!(e.message(), "cannot delete default policy");
        c.handle(req(
            Operation::Delete,
            "sys/policies/acl/app",
            json!({}),
            &root,
        ))
        .unwrap();
        assert!(c
            .handle(req(
                Operation::Read,
                "sys/policies/acl/app",
                json!({}),
                &root
            ))
            .unwrap()
            .is_none());
    }

    #[test]
    fn capabilities_endpoints() {
        let (mut c, root) = core();
        store::put(
            c.storage.as_ref(),
            "app",
            "path \"secret/data/app/*\" { capabilities = [\"read\", \"list\"] }\npath \"secret/data/app/admin\" { capabilities = [\"deny\"] }",
        )
        .unwrap();
        let (token, entry) = crate::token::create(
            c.storage.as_ref(),
            crate::token::NewToken {
                policies: vec!["app".into(), "default".into()],
                ..Default::default()
            },
            crate::core::now(),
        )
        .unwrap();
        let r = c
            .handle(req(
                Operation::Update,
                "sys/capabilities-self",
                json!({"paths": "secret/data/app/x,secret/data/app/admin"}),
                &token,
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(r.data.unwrap()),
            json!({"secret/data/app/admin": ["deny"], "secret/data/app/x": ["list", "read"]})
        );
        let r = c
            .handle(req(
                Operation::Update,
                "sys/capabilities",
                json!({"token": token, "path": "auth/token/lookup-self"}),
                &root,
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(r.data.unwrap()),
            json!({"auth/token/lookup-self": ["read"], "capabilities": ["read"]})
        );
        let r = c
            .handle(req(
                Operation::Update,
                "sys/capabilities-accessor",
                json!({"accessor": entry.accessor, "path": "x"}),
                &root,
            ))
            .unwrap()
            .unwrap();
        assert_eq!(r.data.unwrap()["capabilities"], json!(["deny"]));
        let r = c
            .handle(req(
                Operation::Update,
                "sys/capabilities-self",
                json!({"path": "x"}),
                &root,
            ))
            .unwrap()
            .unwrap();
        assert_eq!(r.data.unwrap()["capabilities"], json!(["root"]));
        let e = c
            .handle(req(
                Operation::Update,
                "sys/capabilities",
                json!({"token": "s.nope", "path": "x"}),
                &root,
            ))
            .unwrap_err();
        assert_eq!((e.status, e.message()), (400, "invalid token".to_string()));
        let e = c
            .handle(req(
                Operation::Update,
                "sys/capabilities-accessor",
                json!({"accessor": "nope", "path": "x"}),
                &root,
            ))
            .unwrap_err();
        assert_eq!(e.message(), "invalid accessor");
        // The token cannot read policies: an ACL denial.
        let e = c
            .handle(req(
                Operation::Read,
                "sys/policies/acl/app",
                json!({}),
                &token,
            ))
            .unwrap_err();
        assert_eq!(e.status, 403);
        assert_eq!(e.message(), "1 error occurred:\n\t* permission denied\n\n");
        let e = c
            .handle(req(
                Operation::Read,
                "sys/policies/acl/app",
                json!({}),
                "s.bogus",
            ))
            .unwrap_err();
        assert_eq!(e.message(), "permission denied");
    }
}
