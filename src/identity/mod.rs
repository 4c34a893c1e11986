//! The identity store: entities, entity aliases, groups and group aliases.

use crate::core::{Caller, Core, Error, Request, Response, Result};

pub fn handle(core: &mut Core, req: &Request, caller: Option<&Caller>) -> Result<Option<Response>> {
    let _ = (core, caller);
    Err(Error::new(404, format!("unsupported path: {}", req.path)))
}

/// The identity policies of an entity: its own plus those of every group it belongs to
/// (directly or by inheritance). Empty for an unknown or empty id.
pub fn policies_for_entity(
    storage: &dyn crate::storage::Storage,
    entity_id: &str,
) -> Result<Vec<String>> {
    let _ = (storage, entity_id);
    Ok(Vec::new())
}
