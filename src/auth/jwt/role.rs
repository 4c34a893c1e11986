//! `auth/<mount>/role/<name>` (spec §4).

use crate::core::{BackendContext, Error, Request, Response, Result};

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let _ = (ctx, req);
    Err(Error::unsupported_path())
}
