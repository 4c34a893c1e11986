//! What the core does with the `Auth` an auth method returns (spec §7): find or create the
//! entity and its alias, join external groups, compute TTLs and policies, and issue the token.

use super::{Core, Error, MountEntry, Request, Response, Result};

/// Turns a backend's login response into an issued token.
pub fn complete(
    core: &mut Core,
    mount: &MountEntry,
    req: &Request,
    resp: Response,
) -> Result<Response> {
    let _ = (core, mount, req, resp);
    Err(Error::internal("login is not implemented yet"))
}
