//! The JWT/OIDC auth method (OpenBao's `jwt` plugin): `config`, `role/<name>`, `login`.
//!
//! - `config`: the issuer config and its key source (static PEM keys, JWKS URL, OIDC discovery);
//! - `keys`: fetching/caching keys and verifying a token's signature and `alg`;
//! - `role`: role CRUD;
//! - `login`: the checks of spec §5 in OpenBao's order, then the `Auth` for the core;
//! - `explain`: the same checks reported one by one, and what login would issue (no token);
//! - `claims`: claim resolution (JSON pointers, normalisation), bound-claim matching;
//! - `template`: OpenBao's policy templating over claims.

pub mod claims;
pub mod config;
pub mod explain;
pub mod fetch;
pub mod header;
pub mod jws;
pub mod keys;
pub mod login;
pub mod pem;
pub mod role;
pub mod template;

use crate::core::{Auth, Backend, BackendContext, Error, Request, Response, Result};
use crate::token::TokenEntry;

pub struct JwtBackend;

impl Backend for JwtBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let path = req.path.as_str();
        // A list request's path ends in `/`, which only `role/` takes.
        if req.operation == crate::core::Operation::List && !(path == "role" || path == "role/") {
            return Err(Error::unsupported_path());
        }
        if path == "config" {
            return config::handle(ctx, req);
        }
        if path == "role" || path == "role/" || path.starts_with("role/") {
            return role::handle(ctx, req);
        }
        if path == "login" {
            return login::handle(ctx, req);
        }
        // `explain` is vaultjwt's own: in strict mode only `jwt explain` reaches it, and the
        // path typed by hand is unsupported, as in OpenBao.
        if path == "explain"
            && (req.extension || ctx.settings.compat != crate::settings::Compat::OpenBao)
        {
            return explain::handle(ctx, req);
        }
        Err(Error::unsupported_path())
    }

    fn is_unauthenticated(&self, path: &str) -> bool {
        path == "login"
    }

    fn previews_login(&self, path: &str) -> bool {
        path == "explain"
    }

    fn renew(&self, ctx: &BackendContext, token: &TokenEntry) -> Result<Auth> {
        login::renew(ctx, token)
    }
}
