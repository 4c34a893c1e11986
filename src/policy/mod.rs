//! ACL policies: Vault's HCL/JSON policy language, capabilities and their evaluation.

pub mod backend;

use crate::core::{Operation, Result};
use crate::storage::Storage;
use crate::token::TokenEntry;

/// The merged rules of a set of policies, as Vault's `ACL`.
#[derive(Debug, Clone, Default)]
pub struct Acl {
    root: bool,
}

impl Acl {
    /// Capabilities on `path`, as `token capabilities` prints them (`["deny"]` when none).
    pub fn capabilities(&self, _path: &str) -> Vec<String> {
        if self.root {
            vec!["root".into()]
        } else {
            vec!["deny".into()]
        }
    }

    /// Whether the operation is allowed on `path`.
    pub fn allows(&self, _op: Operation, _path: &str) -> bool {
        self.root
    }
}

/// The ACL of a token: its policies plus its entity's and groups' identity policies.
pub fn acl_for_token(_storage: &dyn Storage, entry: &TokenEntry) -> Result<Acl> {
    Ok(Acl {
        root: entry.policies.iter().any(|p| p == "root"),
    })
}
