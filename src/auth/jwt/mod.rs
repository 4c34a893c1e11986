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
pub mod oidc;
pub mod pem;
pub mod role;
pub mod template;

use crate::core::{Auth, Backend, BackendContext, Error, Operation, Request, Response, Result};
use crate::framework::{FieldSchema, FieldType, Path, Routes};
use crate::token::TokenEntry;
use std::sync::OnceLock;

/// The `login` path as OpenBao's jwt plugin declares it (`pathLogin`).
pub fn login_path() -> Path {
    Path {
        pattern: "^login$",
        fields: vec![
            FieldSchema::new(
                "role",
                FieldType::LowerCaseString,
                "The role to log in against.",
            ),
            FieldSchema::new("jwt", FieldType::String, "The signed JWT to validate."),
        ],
        operations: &[Operation::Update],
        existence_check: false,
        takes_arbitrary_input: false,
        synopsis: "\n\tAuthenticates to OpenBao using a JWT (or OIDC) token.\n\t",
        description: "\nAuthenticates JWTs.\n",
    }
}

/// The declared path that answers `path` (relative to the mount), for `path-help`.
pub fn path_for(path: &str) -> Option<Path> {
    match path {
        "config" => Some(config::config_path(crate::settings::Compat::OpenBao)),
        "login" => Some(login_path()),
        "oidc/auth_url" => Some(oidc::auth_url_path()),
        "oidc/callback" => Some(oidc::callback_path()),
        "role" | "role/" => Some(role::role_list_path()),
        _ => match path.strip_prefix(role::ROLE_PREFIX) {
            Some(n) if role::valid_name(n) => Some(role::role_path()),
            _ => None,
        },
    }
}

pub struct JwtBackend;

type Handler = fn(&BackendContext, &Request) -> Result<Option<Response>>;

/// The plugin's paths, relative to the mount, in matching order.
fn routes() -> &'static Routes<Handler> {
    static ROUTES: OnceLock<Routes<Handler>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        Routes::new(vec![
            ("config", config::handle),
            ("role|role/.*", role::handle),
            ("login", login::handle),
            ("oidc/auth_url|oidc/callback", oidc::handle),
            // `explain` is vaultjwt's own: in strict mode only `jwt explain` reaches it, and
            // the path typed by hand is unsupported, as in OpenBao.
            ("explain", |ctx, req| {
                if req.extension || ctx.settings.compat != crate::settings::Compat::OpenBao {
                    explain::handle(ctx, req)
                } else {
                    Err(Error::unsupported_path())
                }
            }),
        ])
    })
}

impl Backend for JwtBackend {
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
        let path = req.path.as_str();
        // A list request's path ends in `/`, which only `role/` takes.
        if req.operation == crate::core::Operation::List && !(path == "role" || path == "role/") {
            return Err(Error::unsupported_path());
        }
        match routes().find(path) {
            Some((handler, _)) => handler(ctx, req),
            None => Err(Error::unsupported_path()),
        }
    }

    fn may_fetch(&self, ctx: &BackendContext, req: &Request) -> bool {
        let stored = || config::load(ctx).ok().flatten();
        match req.path.as_str() {
            // A static key source never fetches; a JWKS or discovery source may.
            "login" | "explain" => stored().is_some_and(|c| c.jwt_validation_pubkeys.is_empty()),
            "config" if req.operation == crate::core::Operation::Read => {
                stored().is_some_and(|c| !c.oidc_discovery_url.is_empty())
            }
            // A write fetches what it names.
            "config" => ["jwks_url", "oidc_discovery_url"]
                .iter()
                .any(|k| req.data.contains_key(*k)),
            _ => false,
        }
    }

    fn help(&self, path: &str) -> Result<Option<String>> {
        match path_for(path) {
            Some(p) => Ok(Some(p.help(path))),
            None => Err(Error::unsupported_path()),
        }
    }

    fn is_unauthenticated(&self, path: &str) -> bool {
        matches!(path, "login" | "oidc/auth_url" | "oidc/callback")
    }

    fn previews_login(&self, path: &str) -> bool {
        path == "explain"
    }

    fn report(
        &self,
        mount: &crate::core::MountEntry,
        resp: Response,
        completion: Option<crate::core::login::Completion>,
    ) -> Result<Response> {
        explain::report(mount, resp, completion)
    }

    fn renew(&self, ctx: &BackendContext, token: &TokenEntry) -> Result<Auth> {
        login::renew(ctx, token)
    }
}
