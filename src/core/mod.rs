//! The core: Vault's logical layer. A [`Request`] goes through the router and the mount table
//! to a backend and comes back as a [`Response`] or an [`Error`]. Every request but the
//! unauthenticated ones (`auth/<mount>/login`) is authorized by the calling token's policies.

pub mod error;
pub mod fields;
pub mod login;
pub mod mounts;
pub mod request;
pub mod response;

pub use error::{Error, Result};
pub use mounts::MountEntry;
pub use request::{Operation, Request};
pub use response::{Alias, Auth, Response};

use crate::auth::jwt::fetch;
use crate::settings::Settings;
use crate::storage::{Storage, StorageExt, View};
use crate::token::TokenEntry;

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// What a backend sees of the core: its mount, its storage, the settings, the time.
pub struct BackendContext<'a> {
    /// The mount's own storage (`auth/<uuid>/...`, `logical/<uuid>/...`); for a built-in
    /// backend, the whole storage (see [`Backend::is_builtin`]).
    pub storage: View<'a>,
    pub mount: &'a MountEntry,
    pub settings: &'a Settings,
    pub now: i64,
}

impl<'a> BackendContext<'a> {
    /// The whole storage, which Vault's built-in backends (`sys/`, the token store,
    /// `identity/`, `cubbyhole/`) reach through the core: mount tables, policies, tokens.
    pub fn system(&self) -> &'a dyn Storage {
        self.storage.root()
    }
}

/// A plugin backend mounted in the mount table.
pub trait Backend {
    /// Answers a request whose `path` is relative to the mount. `req.caller` is the token
    /// the request was authorized with (`None` on an unauthenticated path).
    fn handle(&self, ctx: &BackendContext, req: &Request) -> Result<Option<Response>>;

    /// A built-in backend of the core (`sys/`, the token store, `identity/`,
    /// `cubbyhole/`): its context's storage is the whole storage, as Vault's built-ins hold
    /// the core, and what it answers is never a login to complete.
    fn is_builtin(&self) -> bool {
        false
    }

    /// Vault's existence check for a write: `Some(true)` when the target exists (the write
    /// is an `update`), `Some(false)` when it does not (a `create`), `None` when the path has
    /// no existence check (always `update`).
    fn exists(&self, _ctx: &BackendContext, _req: &Request) -> Result<Option<bool>> {
        Ok(None)
    }

    /// Whether a request (its path relative to the mount) may fetch documents over the
    /// network (a JWT login against a JWKS, a config naming one): the core then fetches
    /// them first with the storage's lock released (see [`Core::handle`]). A cheap guess
    /// from the stored state, under the lock; `true` when unsure.
    fn may_fetch(&self, _ctx: &BackendContext, _req: &Request) -> bool {
        false
    }

    /// The `path-help` text of `path` (relative to the mount), from the path's declaration;
    /// `None` when the backend declares no paths, `Err` for a path it does not serve.
    fn help(&self, _path: &str) -> Result<Option<String>> {
        Ok(None)
    }

    /// Paths (relative to the mount) that need no token, as `login`.
    fn is_unauthenticated(&self, _path: &str) -> bool {
        false
    }

    /// Paths (relative to the mount) that answer what a login would issue without issuing
    /// it (`explain`): the core runs the login's completion on the returned `Auth` without
    /// committing it ([`login::preview`]) and hands what it found to [`Backend::report`].
    fn previews_login(&self, _path: &str) -> bool {
        false
    }

    /// The answer of a [`Backend::previews_login`] path, given the response the backend
    /// returned, its `Auth` filled in by the completion, and what each stage of the
    /// completion found (`None` when the backend returned no `Auth`).
    fn report(
        &self,
        _mount: &MountEntry,
        resp: Response,
        _completion: Option<login::Completion>,
    ) -> Result<Response> {
        Ok(resp)
    }

    /// Renewal of a token this mount issued (Vault's `AuthRenew`): given the token's internal
    /// data, returns the TTL, max TTL and period to apply.
    fn renew(&self, _ctx: &BackendContext, _token: &TokenEntry) -> Result<Auth> {
        Err(Error::bad_request(
            "this auth method does not support renewal",
        ))
    }
}

/// The backend registered for an auth mount type, if any.
pub fn auth_backend(kind: &str) -> Option<Box<dyn Backend>> {
    match kind {
        "jwt" | "oidc" => Some(Box::new(crate::auth::jwt::JwtBackend)),
        "token" => Some(Box::new(crate::token::backend::TokenBackend)),
        _ => None,
    }
}

/// The backend that serves a mount: an auth method (`auth/<path>`, from the auth table) or a
/// secret engine, the core's own mounts included (`sys/`, `identity/`, `cubbyhole/`).
pub fn backend_for(mount: &MountEntry, auth: bool) -> Option<Box<dyn Backend>> {
    if auth {
        return auth_backend(&mount.kind);
    }
    match mount.kind.as_str() {
        "system" => Some(Box::new(crate::sys::SystemBackend)),
        "identity" => Some(Box::new(crate::identity::IdentityBackend)),
        "cubbyhole" => Some(Box::new(crate::secrets::cubbyhole::CubbyholeBackend)),
        _ => crate::secrets::backend(mount),
    }
}

/// The mount a request path is under, from the auth table for `auth/...` and the secret
/// table otherwise: the mount, the path relative to it, and whether it is an auth mount.
struct Routed {
    mount: MountEntry,
    rel: String,
    auth: bool,
}

/// The token a request was made with, once it has been validated.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub entry: TokenEntry,
}

pub struct Core {
    pub storage: Box<dyn Storage>,
    pub settings: Settings,
}

/// Storage key of the marker written when the data directory is initialised.
const INIT_KEY: &str = "core/init";

impl Core {
    pub fn new(storage: Box<dyn Storage>, settings: Settings) -> Self {
        Core { storage, settings }
    }

    /// Initialises an empty store as `vault server -dev` does: mounts `token/` and creates a
    /// root token. Returns the root token when it was created, `None` if already initialised.
    pub fn initialize(&mut self) -> Result<Option<String>> {
        self.initialize_with(|_| Ok(()))
    }

    /// [`Core::initialize`], handing the new root token to `keep` before the store is marked
    /// initialised: a process killed before `keep` is done leaves a store that the next
    /// open initialises again (discarding the tokens of the interrupted attempt), never an
    /// initialised store whose root token nobody has.
    pub fn initialize_with(
        &mut self,
        keep: impl FnOnce(&str) -> Result<()>,
    ) -> Result<Option<String>> {
        if self.storage.get(INIT_KEY)?.is_some() {
            return Ok(None);
        }
        // Left by an interrupted initialisation, if anything.
        self.storage.delete_prefix("sys/token/")?;
        let token_mount = MountEntry::new("token/", "token", "token based credentials");
        mounts::save_auth(self.storage.as_ref(), &[token_mount])?;
        // `vault server -dev`'s fresh state: `secret/` is a KV v2 engine.
        mounts::save_secret(self.storage.as_ref(), &mounts::dev_secret_mounts())?;
        let (root, _) = crate::token::create_root(self.storage.as_ref(), now())?;
        keep(&root)?;
        self.storage.put(
            INIT_KEY,
            &serde_json::json!({"initialized_at": now(), "version": 1}),
        )?;
        Ok(Some(root))
    }

    /// Handles one request: routing, authorization, dispatch.
    ///
    /// A request to an auth method that may fetch documents over the network (a JWT login,
    /// `jwt explain`, the config) runs twice: first with the storage's lock released and its
    /// writes discarded, fetching what it needs ([`Core::rehearse`]); then for real, under
    /// the lock, with those fetches answered from memory. So no other process waits on a
    /// slow issuer, and what the request does and answers is the same as a single run (a
    /// fetch the real run needs that the first did not make, because another process
    /// changed the config in between, is made then).
    pub fn handle(&mut self, mut req: Request) -> Result<Option<Response>> {
        req.path = req.path.trim_start_matches('/').to_string();
        crate::sys::leases::sweep(self.storage.as_ref(), now());
        if !self.may_fetch(&mut req)? {
            let answer = self.route(req);
            crate::sys::leases::sweep(self.storage.as_ref(), now());
            return answer;
        }
        self.storage.unlock()?;
        let (_, prefetched) = fetch::recording(|| self.rehearse(&mut req));
        self.storage.relock()?;
        fetch::replaying(prefetched, || self.route(req))
    }

    /// The auth plugin mount a path is under, if any (not `token/`).
    fn plugin_mount(storage: &dyn Storage, path: &str) -> Result<Option<MountEntry>> {
        let Some(rest) = path.strip_prefix("auth/") else {
            return Ok(None);
        };
        let table = mounts::load_auth(storage)?;
        Ok(mounts::match_auth(&table, rest)
            .filter(|m| m.kind != "token")
            .cloned())
    }

    /// Whether `req` goes to an auth method that may fetch over the network.
    fn may_fetch(&self, req: &mut Request) -> Result<bool> {
        let Some(mount) = Self::plugin_mount(self.storage.as_ref(), &req.path)? else {
            return Ok(false);
        };
        let Some(backend) = auth_backend(&mount.kind) else {
            return Ok(false);
        };
        let ctx = BackendContext {
            storage: View::new(self.storage.as_ref(), mount.storage_prefix()),
            mount: &mount,
            settings: &self.settings,
            now: now(),
        };
        let rel = relative(&req.path, &mount.full_path()).to_string();
        let full = std::mem::replace(&mut req.path, rel);
        let may = backend.may_fetch(&ctx, req);
        req.path = full;
        Ok(may)
    }

    /// The part of [`Core::route`] that leads to an auth method's fetches (the mount, the
    /// token's authorization, the backend), over a scratch copy of the storage whose writes
    /// are dropped. Its result does not matter: only the fetches it makes do.
    fn rehearse(&self, req: &mut Request) -> Result<()> {
        let scratch = crate::storage::Batch::new(self.storage.as_ref());
        let Some(mount) = Self::plugin_mount(&scratch, &req.path)? else {
            return Ok(());
        };
        let Some(backend) = auth_backend(&mount.kind) else {
            return Ok(());
        };
        let rel = relative(&req.path, &mount.full_path()).to_string();
        if !backend.is_unauthenticated(&rel) {
            authorize_in(&scratch, req, req.operation, false)?;
        }
        let ctx = BackendContext {
            storage: View::new(&scratch, mount.storage_prefix()),
            mount: &mount,
            settings: &self.settings,
            now: now(),
        };
        // The request goes as it is (a login's `jwt` may be large), its path made relative
        // for the while.
        let full = std::mem::replace(&mut req.path, rel);
        let answer = backend.handle(&ctx, req);
        req.path = full;
        answer.map(|_| ())
    }

    /// The mount `path` is under, if any (see [`Routed`]).
    fn resolve(&self, path: &str) -> Result<Option<Routed>> {
        let storage = self.storage.as_ref();
        let (mount, auth) = if let Some(rest) = path.strip_prefix("auth/") {
            let table = mounts::load_auth(storage)?;
            (mounts::match_auth(&table, rest).cloned(), true)
        } else if path == "auth" {
            (None, true)
        } else {
            mounts::ensure_secret_table(storage)?;
            let table = mounts::load_secret(storage)?;
            (mounts::match_secret(&table, path).cloned(), false)
        };
        Ok(mount.map(|mount| {
            let full = if auth {
                mount.full_path()
            } else {
                mount.path.clone()
            };
            Routed {
                rel: relative(path, &full).to_string(),
                mount,
                auth,
            }
        }))
    }

    /// Routes one request (see [`Core::handle`]): the mount table names the mount and its
    /// backend; a secret engine decides between `create` and `update` before the token is
    /// authorized ([`Core::handle_secret`]); any other backend is authorized for the
    /// operation as sent (but on its unauthenticated paths), answers, and an auth method's
    /// `Auth` is completed into a token ([`login::complete`]).
    fn route(&mut self, req: Request) -> Result<Option<Response>> {
        let path = req.path.clone();
        let no_handler = || {
            Error::not_found(format!(
                "no handler for route \"{path}\". route entry not found."
            ))
        };
        let routed = self.resolve(&path)?;
        let backend = routed
            .as_ref()
            .and_then(|r| backend_for(&r.mount, r.auth).map(|b| (r, b)));
        let Some((routed, backend)) = backend else {
            self.authorize(&req)?;
            return Err(no_handler());
        };
        if !routed.auth && !backend.is_builtin() {
            return self.handle_secret(req, &routed.mount, backend.as_ref());
        }
        let caller = if backend.is_unauthenticated(&routed.rel) {
            None
        } else {
            Some(Box::new(self.authorize(&req)?))
        };
        let mount = &routed.mount;
        let prefix = if backend.is_builtin() {
            String::new()
        } else {
            mount.storage_prefix()
        };
        // The request moves to the backend (a login's `jwt` may be large); `path` keeps its
        // full path.
        let rel = Request {
            path: routed.rel.clone(),
            caller,
            ..req
        };
        let ctx = BackendContext {
            storage: View::new(self.storage.as_ref(), prefix),
            mount,
            settings: &self.settings,
            now: now(),
        };
        let resp = backend.handle(&ctx, &rel)?;
        if backend.is_builtin() {
            return Ok(resp);
        }
        match resp {
            Some(r) if backend.previews_login(&rel.path) => {
                let (r, completion) = login::preview(self, mount, &path, r)?;
                backend.report(mount, r, completion).map(Some)
            }
            Some(r) if r.auth.is_some() => login::complete(self, mount, &path, r).map(Some),
            other => Ok(other),
        }
    }

    /// Vault's help operation (`path-help`): the text of a path from its backend's
    /// declaration, `None` where vaultjwt declares no paths. Needs a valid token, as Vault
    /// does.
    pub fn help(&mut self, path: &str, token: Option<&str>) -> Result<Option<String>> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(Error::permission_denied)?;
        crate::token::use_token(self.storage.as_ref(), token, now())?
            .ok_or_else(Error::permission_denied)?;
        let Some(routed) = self.resolve(path.trim_start_matches('/'))? else {
            return Ok(None);
        };
        match backend_for(&routed.mount, routed.auth) {
            Some(b) => b.help(&routed.rel),
            None => Ok(None),
        }
    }

    /// A request handed to its mount's backend as `caller` made it, without authorization
    /// or login completion: for the unit tests of the built-in backends.
    #[cfg(test)]
    pub(crate) fn dispatch(
        &mut self,
        req: &Request,
        caller: Option<&Caller>,
    ) -> Result<Option<Response>> {
        let routed = self
            .resolve(&req.path)?
            .ok_or_else(Error::unsupported_path)?;
        let backend =
            backend_for(&routed.mount, routed.auth).ok_or_else(Error::unsupported_path)?;
        let prefix = if backend.is_builtin() {
            String::new()
        } else if routed.auth {
            routed.mount.storage_prefix()
        } else {
            routed.mount.logical_prefix()
        };
        let rel = Request {
            path: routed.rel.clone(),
            caller: caller.map(|c| Box::new(c.clone())),
            ..req.clone()
        };
        let ctx = BackendContext {
            storage: View::new(self.storage.as_ref(), prefix),
            mount: &routed.mount,
            settings: &self.settings,
            now: now(),
        };
        backend.handle(&ctx, &rel)
    }

    /// A request to a secret engine: the existence check decides between `create` and
    /// `update`, the token is authorized for exactly that, then the backend answers.
    fn handle_secret(
        &mut self,
        req: Request,
        mount: &MountEntry,
        backend: &dyn Backend,
    ) -> Result<Option<Response>> {
        let mut rel = req.clone();
        rel.path = relative(&req.path, &mount.path).to_string();
        let ctx = BackendContext {
            storage: View::new(self.storage.as_ref(), mount.logical_prefix()),
            mount,
            settings: &self.settings,
            now: now(),
        };
        let mut op = req.operation;
        if matches!(op, Operation::Create | Operation::Update) {
            op = match backend.exists(&ctx, &rel)? {
                Some(false) => Operation::Create,
                _ => Operation::Update,
            };
        }
        rel.caller = Some(Box::new(self.authorize_exact(&req, op)?));
        rel.operation = op;
        let ctx = BackendContext {
            storage: View::new(self.storage.as_ref(), mount.logical_prefix()),
            mount,
            settings: &self.settings,
            now: now(),
        };
        backend.handle(&ctx, &rel)
    }

    /// Validates the request's token and checks its policies allow the operation.
    fn authorize(&mut self, req: &Request) -> Result<Caller> {
        self.authorize_with(req, req.operation, false)
    }

    /// As [`Core::authorize`], for an operation decided by an existence check: `update`
    /// needs the `update` capability and `create` the `create` capability.
    fn authorize_exact(&mut self, req: &Request, op: Operation) -> Result<Caller> {
        self.authorize_with(req, op, true)
    }

    fn authorize_with(&mut self, req: &Request, op: Operation, exact: bool) -> Result<Caller> {
        authorize_in(self.storage.as_ref(), req, op, exact)
    }
}

/// Validates the request's token in `storage` and checks its policies allow `op`.
fn authorize_in(
    storage: &dyn Storage,
    req: &Request,
    op: Operation,
    exact: bool,
) -> Result<Caller> {
    let token = match req.client_token.as_deref() {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => return Err(Error::new(403, "permission denied")),
    };
    let entry = crate::token::use_token(storage, &token, now())?
        .ok_or_else(|| Error::new(403, "permission denied"))?;
    let acl = crate::policy::acl_for_token(storage, &entry)?;
    let allowed = acl.allows_request(op, &req.path, &req.data, exact);
    if !allowed {
        return Err(Error::new(
            403,
            crate::framework::go::multierror(&["permission denied".into()]),
        ));
    }
    Ok(Caller { token, entry })
}

/// `path` relative to the mount path `mount` (`auth/jwt/login` under `auth/jwt/` → `login`).
fn relative<'a>(path: &'a str, mount: &str) -> &'a str {
    path.strip_prefix(mount)
        .or_else(|| path.strip_prefix(mount.trim_end_matches('/')))
        .unwrap_or("")
}
