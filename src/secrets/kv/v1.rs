//! KV version 1: OpenBao's passthrough backend. The secret at `PATH` is stored as one JSON
//! object at `data/PATH` in the mount's storage.

use super::{check_path, unsupported_operation};
use crate::core::{fields, Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::storage::Storage;
use serde_json::{json, Map, Value};

pub struct KvV1;

fn key(path: &str) -> String {
    format!("data/{path}")
}

impl Backend for KvV1 {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let path = req.path.as_str();
        match req.operation {
            Operation::Read => {
                if path.is_empty() || path.ends_with('/') || check_path(path).is_err() {
                    return Ok(None);
                }
                let Some(Value::Object(data)) = ctx.storage.get(&key(path))? else {
                    return Ok(None);
                };
                // A `ttl` (or `lease`) key sets the lease duration shown to readers.
                let mut ttl = ctx.mount.default_ttl();
                if let Some(raw) = data.get("ttl").or_else(|| data.get("lease")) {
                    if let Ok(d) = fields::duration_seconds(raw, false) {
                        ttl = d;
                    }
                }
                let mut resp = Response::data(data);
                resp.lease_duration = ttl;
                // A read takes no parameters: OpenBao's framework names any it was given.
                if !req.data.is_empty() {
                    let mut names: Vec<String> = req.data.keys().cloned().collect();
                    names.sort_unstable();
                    resp.warnings
                        .push(crate::framework::unrecognized_warning(&names));
                }
                Ok(Some(resp))
            }
            Operation::Create | Operation::Update => {
                if path.is_empty() {
                    return Err(Error::bad_request("missing path"));
                }
                if req.data.is_empty() {
                    return Err(Error::bad_request("missing data fields"));
                }
                check_path(path)?;
                ctx.storage
                    .put(&key(path), &Value::Object(req.data.clone()))?;
                Ok(None)
            }
            Operation::Delete => {
                if !path.is_empty() && check_path(path.trim_end_matches('/')).is_ok() {
                    ctx.storage.delete(&key(path.trim_end_matches('/')))?;
                }
                Ok(None)
            }
            Operation::List => {
                let dir = path.trim_end_matches('/');
                if !dir.is_empty() && check_path(dir).is_err() {
                    return Ok(list_response(Vec::new()));
                }
                let prefix = if dir.is_empty() {
                    "data/".to_string()
                } else {
                    format!("data/{dir}/")
                };
                Ok(list_response(ctx.storage.list(&prefix)?))
            }
            Operation::Patch => Err(unsupported_operation()),
        }
    }

    fn exists(&self, ctx: &BackendContext, req: &Request) -> Result<Option<bool>> {
        let path = req.path.as_str();
        if path.is_empty() || check_path(path).is_err() {
            return Ok(Some(false));
        }
        Ok(Some(ctx.storage.get(&key(path))?.is_some()))
    }
}

/// Vault's `logical.ListResponse`: `{"keys": [...]}`; no keys is Vault's 404 (nothing).
pub(crate) fn list_response(keys: Vec<String>) -> Option<Response> {
    if keys.is_empty() {
        return None;
    }
    let mut data = Map::new();
    data.insert("keys".into(), json!(keys));
    Some(Response::data(data))
}
