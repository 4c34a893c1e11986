//! The identity store: entities, entity aliases, groups and group aliases.

use crate::core::{Caller, Core, Error, Request, Response, Result};

pub fn handle(core: &mut Core, req: &Request, caller: Option<&Caller>) -> Result<Option<Response>> {
    let _ = (core, caller);
    Err(Error::new(404, format!("unsupported path: {}", req.path)))
}
