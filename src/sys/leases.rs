//! Leases, as Vault's expiration manager keeps them, without a server process: each secret
//! with a TTL (a database credential) gets a lease stored at `sys/expire/id/<lease id>`,
//! owned by the token that created it. `sys/leases/*` looks them up, renews and revokes them.
//!
//! Expiry is enforced at the start (and end) of every command by [`sweep`]: one small index
//! document (`sys/expire/index`, `[check_at, lease id]` pairs ordered by time) says which
//! leases are due, so a data directory with nothing due pays one read. A lease is due when
//! it expires, when its owner token expires (or is revoked: [`token_revoked`] makes every
//! lease due for a check of its owner), or right away while it is *pending*: recorded before
//! its database user is created, so a pending lease seen by a later command is the trace of a
//! process killed in between, and is revoked (the user dropped if it exists). A revocation that
//! fails is kept, with its error, and retried with backoff; `revoke-force` drops it.

use crate::core::{fields, BackendContext, Error, Operation, Request, Response, Result};
use crate::storage::{Storage, StorageExt, View};
use crate::token::TokenEntry;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const INDEX_KEY: &str = "sys/expire/index";
const ID_PREFIX: &str = "sys/expire/id/";

/// A stored lease.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Lease {
    pub id: String,
    /// The request path that created the secret (`database/creds/readonly`).
    pub path: String,
    /// The secret engine's mount path (`database/`).
    pub mount: String,
    pub issue_time: i64,
    pub expire_time: i64,
    #[serde(default)]
    pub last_renewal: Option<i64>,
    pub renewable: bool,
    /// The role's max TTL at creation (0: the mount's).
    #[serde(default)]
    pub max_ttl: i64,
    /// The owner token's hash (empty: no owner).
    #[serde(default)]
    pub token: String,
    /// The engine's internal data (for the database engine: username, role, db_name).
    pub secret: Value,
    /// `pending` (the secret may or may not exist yet), `active`.
    pub state: String,
    /// Failed revocations so far, the last error, and when to try again.
    #[serde(default)]
    pub revoke_attempts: u32,
    #[serde(default)]
    pub revoke_error: String,
    /// The process creating the secret of a pending lease: while it lives (and for at most
    /// [`PENDING_GRACE`] seconds) other processes leave the lease alone.
    #[serde(default)]
    pub pid: u32,
}

/// How long a pending lease of a live process is left alone.
const PENDING_GRACE: i64 = 600;

/// Whether process `pid` is alive.
fn alive(pid: u32) -> bool {
    if pid == 0 || pid == std::process::id() {
        return false;
    }
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// What a secret engine records before creating a secret.
pub struct NewLease {
    pub path: String,
    pub mount: String,
    pub owner: Option<TokenEntry>,
    pub ttl: i64,
    pub max_ttl: i64,
    pub secret: Value,
    pub now: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    /// `(check_at, lease id)`, ordered.
    due: Vec<(i64, String)>,
}

fn id_key(id: &str) -> String {
    format!("{ID_PREFIX}{id}")
}

fn load_index(s: &dyn Storage) -> Result<Index> {
    Ok(s.get_as::<Index>(INDEX_KEY)?.unwrap_or_default())
}

fn save_index(s: &dyn Storage, index: &mut Index) -> Result<()> {
    index.due.sort();
    index.due.dedup();
    if index.due.is_empty() {
        Ok(s.delete(INDEX_KEY)?)
    } else {
        Ok(s.put_as(INDEX_KEY, index)?)
    }
}

/// Sets when `id` is next checked (`None`: never, the lease is gone).
fn schedule(s: &dyn Storage, id: &str, at: Option<i64>) -> Result<()> {
    let mut index = load_index(s)?;
    index.due.retain(|(_, i)| i != id);
    if let Some(t) = at {
        index.due.push((t, id.to_string()));
    }
    save_index(s, &mut index)
}

fn load(s: &dyn Storage, id: &str) -> Result<Option<Lease>> {
    if crate::storage::check_key(&id_key(id)).is_err() {
        return Ok(None);
    }
    Ok(s.get_as::<Lease>(&id_key(id))?)
}

/// When a lease must next be looked at: its expiry, or its owner's if sooner.
fn check_time(s: &dyn Storage, lease: &Lease, now: i64) -> Result<i64> {
    let mut at = lease.expire_time;
    if !lease.token.is_empty() {
        match crate::token::lookup_by_hash(s, &lease.token, now)? {
            Some(t) if t.expire_time > 0 => at = at.min(t.expire_time),
            Some(_) => {}
            None => at = now,
        }
    }
    Ok(at)
}

/// Records a lease as pending, before its secret is created; returns the lease id
/// (`<path>/<24 base62 characters>`).
pub fn begin(s: &dyn Storage, new: NewLease) -> Result<String> {
    let id = format!("{}/{}", new.path, crate::token::random_string(24));
    let lease = Lease {
        id: id.clone(),
        path: new.path,
        mount: new.mount,
        issue_time: new.now,
        expire_time: new.now + new.ttl,
        last_renewal: None,
        renewable: true,
        max_ttl: new.max_ttl,
        token: new.owner.map(|t| t.hash).unwrap_or_default(),
        secret: new.secret,
        state: "pending".into(),
        revoke_attempts: 0,
        revoke_error: String::new(),
        pid: std::process::id(),
    };
    s.put_as(&id_key(&id), &lease)?;
    // Due at once: only a crash leaves it pending for the next command.
    schedule(s, &id, Some(new.now))?;
    Ok(id)
}

/// The secret exists: the lease becomes active, due at its expiry. `false` when the lease
/// is gone (revoked by another process meanwhile): the caller must revoke the secret.
pub fn activate(s: &dyn Storage, id: &str, now: i64) -> Result<bool> {
    let Some(mut lease) = load(s, id)? else {
        return Ok(false);
    };
    lease.state = "active".into();
    lease.pid = 0;
    s.put_as(&id_key(id), &lease)?;
    let at = check_time(s, &lease, now)?;
    schedule(s, id, Some(at))?;
    Ok(true)
}

/// The secret was never created: the lease goes.
pub fn discard(s: &dyn Storage, id: &str) -> Result<()> {
    schedule(s, id, None)?;
    Ok(s.delete(&id_key(id))?)
}

/// A test hook: in debug builds, `VAULTJWT_FAILPOINT=<name>` kills the process (SIGKILL) when
/// it reaches the failpoint `name`, as a crash would. Compiled out of release builds.
pub fn failpoint(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("VAULTJWT_FAILPOINT").is_ok_and(|v| v == name) {
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// The secret engine mount a lease belongs to, with its storage.
fn engine_storage<'a>(
    s: &'a dyn Storage,
    lease: &Lease,
) -> Result<Option<(crate::core::MountEntry, View<'a>)>> {
    let table = crate::core::mounts::load_secret(s)?;
    Ok(table.into_iter().find(|m| m.path == lease.mount).map(|m| {
        let v = View::new(s, m.logical_prefix());
        (m, v)
    }))
}

/// Revokes the secret of a lease, then removes the lease. A failure keeps the lease (with the
/// error, retried later with backoff) and is returned.
fn revoke_now(s: &dyn Storage, lease: &Lease, now: i64) -> Result<()> {
    let outcome = match engine_storage(s, lease)? {
        // The mount is gone, and its secrets with it.
        None => Ok(()),
        Some((m, view)) if m.kind == "database" => {
            crate::secrets::database::revoke_secret(&view, &lease.secret)
        }
        Some(_) => Ok(()),
    };
    match outcome {
        Ok(()) => {
            schedule(s, &lease.id, None)?;
            Ok(s.delete(&id_key(&lease.id))?)
        }
        Err(e) => {
            let mut kept = lease.clone();
            kept.revoke_attempts += 1;
            kept.revoke_error = e.clone();
            s.put_as(&id_key(&lease.id), &kept)?;
            // 10 s, 20 s, 40 s, ... at most an hour.
            let backoff = (10i64 << kept.revoke_attempts.min(9)).min(3600);
            schedule(s, &lease.id, Some(now + backoff))?;
            Err(Error::bad_request(format!(
                "failed to revoke entry: resp: (*logical.Response)(nil) err: {e}"
            )))
        }
    }
}

/// Revokes the leases that are due: expired, owned by a token that is gone or expired, or
/// left pending by an interrupted command. Errors are kept in the leases, never returned.
pub fn sweep(s: &dyn Storage, now: i64) {
    sweep_within(s, now, Some(SWEEP_BUDGET));
}

/// How long the sweep at the start or end of a command may spend revoking (an unreachable
/// database must not make every command slow); what is left stays due for the next one.
const SWEEP_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

fn sweep_within(s: &dyn Storage, now: i64, budget: Option<std::time::Duration>) {
    let started = std::time::Instant::now();
    let Ok(index) = load_index(s) else {
        return;
    };
    let due: Vec<String> = index
        .due
        .iter()
        .take_while(|(t, _)| *t <= now)
        .map(|(_, id)| id.clone())
        .collect();
    for id in due {
        if budget.is_some_and(|b| started.elapsed() > b) {
            break;
        }
        let _ = check(s, &id, now);
    }
}

fn check(s: &dyn Storage, id: &str, now: i64) -> Result<()> {
    let Some(lease) = load(s, id)? else {
        return schedule(s, id, None);
    };
    if lease.state == "pending" && now - lease.issue_time < PENDING_GRACE && alive(lease.pid) {
        // Another process is creating its secret, with the storage's lock released.
        return schedule(s, id, Some(now + 5));
    }
    let owner_gone =
        !lease.token.is_empty() && crate::token::lookup_by_hash(s, &lease.token, now)?.is_none();
    if lease.state == "pending" || lease.expire_time <= now || owner_gone {
        return revoke_now(s, &lease, now);
    }
    let at = check_time(s, &lease, now)?;
    schedule(s, id, Some(at))
}

/// A token was revoked: every lease is checked for a living owner at the next sweep (the
/// token's children went with it, so any lease may have lost its owner).
pub fn token_revoked(s: &dyn Storage) -> Result<()> {
    let mut index = load_index(s)?;
    if index.due.is_empty() {
        return Ok(());
    }
    for e in index.due.iter_mut() {
        e.0 = 0;
    }
    save_index(s, &mut index)
}

fn lease_id_param(req: &Request, rest: Option<&str>) -> Result<String> {
    let from_body = match req.data.get("lease_id") {
        Some(v) => fields::string(v).map_err(|d| {
            Error::bad_request(format!(
                "Field validation failed: {}",
                fields::conversion_error("lease_id", &d)
            ))
        })?,
        None => String::new(),
    };
    Ok(match rest.filter(|r| !r.is_empty()) {
        Some(r) if from_body.is_empty() => r.to_string(),
        _ => from_body,
    })
}

/// `sys/leases/...` (and the older `sys/renew`, `sys/revoke`).
pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    let s = ctx.system();
    let now = crate::core::now();
    let path = req.path.strip_prefix("leases/").unwrap_or(&req.path);
    let (op, rest) = match path.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (path, None),
    };
    match (op, req.operation) {
        ("lookup", Operation::List) => {
            let prefix = rest.unwrap_or("").trim_end_matches('/');
            let key = if prefix.is_empty() {
                ID_PREFIX.to_string()
            } else {
                format!("{ID_PREFIX}{prefix}/")
            };
            if !prefix.is_empty() && crate::storage::check_key(&key[..key.len() - 1]).is_err() {
                return Ok(None);
            }
            Ok(crate::secrets::kv::v1::list_response(s.list(&key)?))
        }
        ("lookup", Operation::Update | Operation::Create) => {
            let id = lease_id_param(req, None)?;
            if id.is_empty() {
                return Err(Error::bad_request("lease_id must be specified"));
            }
            let Some(lease) = load(s, &id)? else {
                return Err(Error::bad_request("invalid lease"));
            };
            let mut data = json!({
                "expire_time": crate::token::rfc3339(lease.expire_time),
                "id": lease.id,
                "issue_time": crate::token::rfc3339(lease.issue_time),
                "last_renewal": lease.last_renewal.map(crate::token::rfc3339).unwrap_or(Value::Null),
                "path": lease.path,
                "renewable": lease.renewable,
                "ttl": (lease.expire_time - now).max(0),
            });
            let mut resp = Response::default();
            if !lease.revoke_error.is_empty()
                && ctx.settings.compat != crate::settings::Compat::OpenBao
            {
                data["revocation_error"] = json!(lease.revoke_error);
                data["revocation_attempts"] = json!(lease.revoke_attempts);
                resp.warnings.push(format!(
                    "revoking this lease failed {} time(s), last: {}; it is retried at the next command; `lease revoke -force -prefix {}` drops it (OpenBao keeps such leases the same way)",
                    lease.revoke_attempts, lease.revoke_error, lease.id
                ));
            }
            resp.data = data.as_object().cloned();
            Ok(Some(resp))
        }
        ("renew", Operation::Update | Operation::Create) => renew(ctx, req, rest, now),
        ("revoke", Operation::Update | Operation::Create) => {
            let id = lease_id_param(req, rest)?;
            if id.is_empty() {
                return Err(Error::bad_request("lease_id must be specified"));
            }
            if let Some(lease) = load(s, &id)? {
                revoke_now(s, &lease, now)?;
            }
            Ok(None)
        }
        ("revoke-prefix" | "revoke-force", Operation::Update | Operation::Create) => {
            let prefix = rest.unwrap_or("").trim_end_matches('/');
            let force = op == "revoke-force";
            let ids = leases_under(s, prefix)?;
            let total = ids.len();
            for (i, id) in ids.into_iter().enumerate() {
                let Some(lease) = load(s, &id)? else { continue };
                if force {
                    if revoke_now(s, &lease, now).is_err() {
                        schedule(s, &id, None)?;
                        s.delete(&id_key(&id))?;
                    }
                } else if let Err(e) = revoke_now(s, &lease, now) {
                    return Err(Error::bad_request(format!(
                        "failed to revoke {} ({} / {total}): {}",
                        fields::go_quote(&id),
                        i + 1,
                        e.message().trim()
                    )));
                }
            }
            Ok(None)
        }
        ("tidy", Operation::Update | Operation::Create) => {
            sweep_within(s, now, None);
            Ok(Some(Response::default().warning(
                "Tidy operation successfully started. Any information from the operation will be printed to OpenBao's server logs.",
            )))
        }
        ("lookup" | "renew" | "revoke" | "revoke-prefix" | "revoke-force" | "tidy", _) => {
            Err(Error::unsupported_operation())
        }
        _ => Err(Error::unsupported_path()),
    }
}

/// A secret engine at `mount` is being disabled: its leases are revoked first, as Vault
/// does; a failure stops the unmount (`lease revoke -force -prefix` unblocks it).
pub fn revoke_mount(s: &dyn Storage, mount: &str) -> Result<()> {
    let now = crate::core::now();
    for id in leases_under(s, mount.trim_end_matches('/'))? {
        if let Some(lease) = load(s, &id)? {
            revoke_now(s, &lease, now).map_err(|e| {
                Error::bad_request(format!(
                    "failed to revoke {}: {}",
                    fields::go_quote(mount),
                    e.message().trim()
                ))
            })?;
        }
    }
    Ok(())
}

/// The ids of the leases whose id starts with `prefix` (a path prefix).
fn leases_under(s: &dyn Storage, prefix: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut dirs = vec![prefix.to_string()];
    if !prefix.is_empty() && load(s, prefix)?.is_some() {
        out.push(prefix.to_string());
    }
    while let Some(d) = dirs.pop() {
        let key = if d.is_empty() {
            ID_PREFIX.to_string()
        } else {
            if crate::storage::check_key(&id_key(&d)).is_err() {
                continue;
            }
            format!("{ID_PREFIX}{d}/")
        };
        for name in s.list(&key)? {
            let full = if d.is_empty() {
                name.clone()
            } else {
                format!("{d}/{name}")
            };
            match full.strip_suffix('/') {
                Some(dir) => dirs.push(dir.to_string()),
                None => out.push(full),
            }
        }
    }
    out.sort();
    Ok(out)
}

fn renew(
    ctx: &BackendContext,
    req: &Request,
    rest: Option<&str>,
    now: i64,
) -> Result<Option<Response>> {
    let s = ctx.system();
    let id = lease_id_param(req, rest)?;
    if id.is_empty() {
        return Err(Error::bad_request("lease_id must be specified"));
    }
    let increment = match req.data.get("increment") {
        Some(v) => fields::duration_seconds(v, false).map_err(|d| {
            Error::bad_request(format!(
                "Field validation failed: {}",
                fields::conversion_error("increment", &d)
            ))
        })?,
        None => 0,
    };
    let Some(mut lease) = load(s, &id)? else {
        return Err(Error::bad_request("lease not found"));
    };
    if lease.expire_time <= now || lease.state == "pending" {
        return Err(Error::bad_request("lease expired"));
    }
    if !lease.renewable {
        return Err(Error::bad_request("lease is not renewable"));
    }
    let Some((mount, view)) = engine_storage(s, &lease)? else {
        return Err(Error::bad_request("lease not found"));
    };
    let (role_ttl, role_max) =
        crate::secrets::database::role_ttls(&view, &lease.secret).unwrap_or((0, lease.max_ttl));
    // CalculateTTL: the increment (else the role's TTL, else the mount's), never past the
    // issue time plus the max TTL.
    let max = if role_max > 0 && role_max < mount.max_ttl() {
        role_max
    } else {
        mount.max_ttl()
    };
    let mut ttl = if increment > 0 {
        increment
    } else if role_ttl > 0 {
        role_ttl
    } else {
        mount.default_ttl()
    };
    let mut warnings = Vec::new();
    let limit = lease.issue_time + max;
    if now + ttl > limit {
        warnings.push(format!(
            "TTL of {} exceeded the effective max_ttl of {}; TTL value is capped accordingly",
            fields::go_quote(&crate::framework::go::human_duration(ttl)),
            fields::go_quote(&crate::framework::go::human_duration(limit - now)),
        ));
        ttl = limit - now;
    }
    if ttl > 0 && mount.kind == "database" {
        crate::secrets::database::renew_secret(&view, &lease.secret, now + ttl)
            .map_err(|e| Error::new(500, crate::framework::go::multierror(&[e])))?;
    }
    lease.expire_time = now + ttl;
    lease.last_renewal = Some(now);
    s.put_as(&id_key(&id), &lease)?;
    let at = check_time(s, &lease, now)?;
    schedule(s, &id, Some(at))?;
    let mut resp = Response {
        lease_id: id,
        lease_duration: ttl,
        renewable: true,
        warnings,
        ..Default::default()
    };
    resp.data = None;
    Ok(Some(resp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStorage;

    fn new_lease(s: &dyn Storage, now: i64) -> String {
        begin(
            s,
            NewLease {
                path: "db/creds/r".into(),
                mount: "db/".into(),
                owner: None,
                ttl: 60,
                max_ttl: 0,
                secret: json!({"username": "u"}),
                now,
            },
        )
        .unwrap()
    }

    #[test]
    fn the_index_orders_what_is_due() {
        let s = MemoryStorage::default();
        let a = new_lease(&s, 100);
        assert!(a.starts_with("db/creds/r/") && a.len() == "db/creds/r/".len() + 24);
        // Pending: due at once.
        assert_eq!(load_index(&s).unwrap().due, vec![(100, a.clone())]);
        assert!(activate(&s, &a, 100).unwrap());
        let b = new_lease(&s, 50);
        assert!(activate(&s, &b, 50).unwrap());
        assert_eq!(
            load_index(&s).unwrap().due,
            vec![(110, b.clone()), (160, a.clone())]
        );
        token_revoked(&s).unwrap();
        assert!(load_index(&s).unwrap().due.iter().all(|(t, _)| *t == 0));
        assert_eq!(leases_under(&s, "db/creds").unwrap(), {
            let mut v = vec![a.clone(), b.clone()];
            v.sort();
            v
        });
        assert_eq!(leases_under(&s, &a).unwrap(), vec![a.clone()]);
        discard(&s, &a).unwrap();
        discard(&s, &b).unwrap();
        assert!(s.get(INDEX_KEY).unwrap().is_none());
        assert!(
            !activate(&s, &a, 100).unwrap(),
            "a gone lease cannot be activated"
        );
    }

    #[test]
    fn a_pending_lease_of_a_live_process_is_left_alone() {
        let s = MemoryStorage::default();
        let a = new_lease(&s, 100);
        let mut lease = load(&s, &a).unwrap().unwrap();
        // This process's own pending lease is a leftover (the sweep never runs mid-request);
        // another live process's is not.
        assert!(!alive(std::process::id()));
        let parent = unsafe { libc::getppid() } as u32;
        lease.pid = parent;
        s.put_as(&id_key(&a), &lease).unwrap();
        check(&s, &a, 100).unwrap();
        assert!(load(&s, &a).unwrap().is_some());
        assert_eq!(load_index(&s).unwrap().due, vec![(105, a.clone())]);
        // Past the grace period it is revoked (its mount is gone: nothing to drop).
        check(&s, &a, 100 + PENDING_GRACE).unwrap();
        assert!(load(&s, &a).unwrap().is_none());
    }
}
