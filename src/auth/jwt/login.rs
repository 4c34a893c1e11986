//! `auth/<mount>/login` (spec §5): the checks in OpenBao's order, then the `Auth`.

use crate::core::{Auth, BackendContext, Error, Request, Response, Result};
use crate::token::TokenEntry;

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let _ = (ctx, req);
    Err(Error::unsupported_path())
}

/// Renewal of a token issued by this mount (spec §5.7).
pub fn renew(ctx: &BackendContext, token: &TokenEntry) -> Result<Auth> {
    let _ = (ctx, token);
    Err(Error::internal("failed to fetch role_name during renewal"))
}
