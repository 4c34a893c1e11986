//! The policy endpoints: `sys/policy`, `sys/policies/acl`, `sys/capabilities*`.

use crate::core::{Caller, Core, Error, Request, Response, Result};

pub fn handle(core: &mut Core, req: &Request, caller: Option<&Caller>) -> Result<Option<Response>> {
    let _ = (core, caller);
    let _ = req;
    Err(Error::unsupported_path())
}
