//! `cubbyhole/`: per-token private storage. Each service token sees its own KV v1 tree, kept
//! under `cubbyhole/<token accessor>/` in the storage; batch tokens have none.

use crate::core::{
    Backend, BackendContext, Caller, Core, Error, MountEntry, Operation, Request, Response, Result,
};
use crate::storage::View;

/// Answers a request below `cubbyhole/` for an authorized caller.
pub fn handle(
    core: &Core,
    mount: &MountEntry,
    req: &Request,
    caller: &Caller,
) -> Result<Option<Response>> {
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
    rel.path = req
        .path
        .strip_prefix("cubbyhole")
        .unwrap_or("")
        .trim_start_matches('/')
        .to_string();
    let ctx = BackendContext {
        storage: View::new(
            core.storage.as_ref(),
            format!("cubbyhole/{}/", caller.entry.accessor),
        ),
        mount,
        settings: &core.settings,
        now: crate::core::now(),
    };
    let resp = super::kv::v1::KvV1.handle(&ctx, &rel)?;
    // Cubbyhole secrets carry no lease.
    Ok(resp.map(|mut r| {
        r.lease_duration = 0;
        r
    }))
}
