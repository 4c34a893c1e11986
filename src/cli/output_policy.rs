//! `-output-policy`, as Vault's CLI: the command runs until its first request, which is not
//! sent; the policy that request needs is printed instead (`path "P" { capabilities = [...] }`).

use crate::core::Operation;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static ON: AtomicBool = AtomicBool::new(false);
static CAPTURED: Mutex<Option<(Operation, String)>> = Mutex::new(None);

/// Turns the mode on (`-output-policy` on the command line).
pub fn enable() {
    ON.store(true, Ordering::SeqCst);
}

/// In the mode, records the request instead of sending it and returns true. The kv helper's
/// preflight (`sys/internal/ui/mounts/...`) is sent anyway, as Vault's client sends it.
pub fn capture(op: Operation, path: &str) -> bool {
    if !ON.load(Ordering::SeqCst) {
        return false;
    }
    let path = path.trim_start_matches('/');
    if path.starts_with("sys/internal/ui/mounts") {
        return false;
    }
    let mut c = CAPTURED.lock().unwrap_or_else(|e| e.into_inner());
    if c.is_none() {
        // The client's URL has no trailing slash (`auth enable` of `jwt/`: `sys/auth/jwt`).
        *c = Some((op, path.trim_end_matches('/').to_string()));
    }
    true
}

/// The policy for the captured request, if there was one.
pub fn policy() -> Option<String> {
    let c = CAPTURED.lock().unwrap_or_else(|e| e.into_inner());
    c.as_ref().map(|(op, path)| format_policy(*op, path))
}

/// Vault's `formatOutputPolicy`: the capabilities of the request's HTTP method, plus `sudo`
/// on the paths Vault's client knows to need it.
pub fn format_policy(op: Operation, path: &str) -> String {
    let mut caps: Vec<&str> = match op {
        Operation::Read => vec!["read"],
        Operation::Create | Operation::Update => vec!["create", "update"],
        Operation::Patch => vec!["patch"],
        Operation::Delete => vec!["delete"],
        Operation::List => vec!["list"],
    };
    if is_sudo_path(path) {
        caps.push("sudo");
    }
    format!(
        "path \"{path}\" {{\n  capabilities = [\"{}\"]\n}}",
        caps.join("\", \"")
    )
}

/// Vault's client-side list of paths that need `sudo` (api/plugin_helpers.go).
fn is_sudo_path(path: &str) -> bool {
    const EXACT: [&str; 16] = [
        "auth/token/accessors",
        "auth/token/accessors/",
        "pki/root",
        "pki/root/sign-self-issued",
        "sys/audit",
        "sys/config/auditing/request-headers",
        "sys/config/cors",
        "sys/config/ui/headers",
        "sys/config/ui/headers/",
        "sys/leases",
        "sys/leases/lookup",
        "sys/leases/lookup/",
        "sys/raw",
        "sys/remount",
        "sys/rotate",
        "sys/internal/inspect/request",
    ];
    const BELOW: [&str; 12] = [
        "sys/audit/",
        "sys/auth/",
        "sys/config/auditing/request-headers/",
        "sys/config/ui/headers/",
        "sys/leases/lookup/",
        "sys/leases/revoke-force/",
        "sys/leases/revoke-prefix/",
        "sys/plugins/catalog/",
        "sys/raw/",
        "sys/revoke-force/",
        "sys/revoke-prefix/",
        "sys/internal/inspect/router/",
    ];
    EXACT.contains(&path)
        || BELOW
            .iter()
            .any(|p| path.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_as_vault_prints_them() {
        assert_eq!(
            format_policy(Operation::Update, "auth/jwt/role/x"),
            "path \"auth/jwt/role/x\" {\n  capabilities = [\"create\", \"update\"]\n}"
        );
        assert_eq!(
            format_policy(Operation::Update, "sys/auth/jwt"),
            "path \"sys/auth/jwt\" {\n  capabilities = [\"create\", \"update\", \"sudo\"]\n}"
        );
        assert_eq!(
            format_policy(Operation::List, "auth/token/accessors"),
            "path \"auth/token/accessors\" {\n  capabilities = [\"list\", \"sudo\"]\n}"
        );
        assert!(!is_sudo_path("sys/auth/"));
        assert!(!is_sudo_path("sys/mounts/kv"));
    }
}
