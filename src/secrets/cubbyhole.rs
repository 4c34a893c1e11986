//! `cubbyhole/`: per-token private storage. Each service token sees its own KV v1 tree, kept
//! under `cubbyhole/<token accessor>/` in the storage; batch tokens have none.

use crate::core::{Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::storage::View;

/// The `cubbyhole/` mount's backend.
pub struct CubbyholeBackend;

impl Backend for CubbyholeBackend {
    /// Answers a request below `cubbyhole/` for an authorized caller.
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let caller = req.caller.as_deref().ok_or_else(Error::permission_denied)?;
        if caller.entry.token_type == "batch" || caller.entry.accessor.is_empty() {
            return Err(Error::bad_request(
                "cubbyhole operations are only supported by 'service' type tokens",
            ));
        }
        // Vault's cubbyhole returns a Go error here, not a user error: a 500.
        if matches!(req.operation, Operation::Create | Operation::Update) && req.data.is_empty() {
            return Err(Error::internal(crate::policy::parse::multierror(&[
                "missing data fields".to_string(),
            ])));
        }
        let mut rel = req.clone();
        rel.path = req.path.trim_start_matches('/').to_string();
        // The caller's own tree, as a KV v1 engine sees its mount.
        let own = BackendContext {
            storage: View::new(
                ctx.system(),
                format!("cubbyhole/{}/", caller.entry.accessor),
            ),
            mount: ctx.mount,
            settings: ctx.settings,
            now: ctx.now,
        };
        let resp = super::kv::v1::KvV1.handle(&own, &rel)?;
        // Cubbyhole secrets carry no lease.
        Ok(resp.map(|mut r| {
            r.lease_duration = 0;
            r
        }))
    }

    fn is_builtin(&self) -> bool {
        true
    }
}
