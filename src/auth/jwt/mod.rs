//! The JWT/OIDC auth method (OpenBao's `jwt` plugin).

use crate::core::{Backend, BackendContext, Error, Request, Response, Result};

pub struct JwtBackend;

impl Backend for JwtBackend {
    fn handle(&self, _ctx: &BackendContext, _req: &Request) -> Result<Option<Response>> {
        Err(Error::new(404, "unsupported path"))
    }

    fn is_unauthenticated(&self, path: &str) -> bool {
        path == "login"
    }
}
