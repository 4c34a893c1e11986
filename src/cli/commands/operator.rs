//! `operator generate-root -local`: a new root token for the owner of a data directory.
//!
//! Vault's `operator generate-root` needs a quorum of unseal keys. A vaultjwt data directory
//! has none: whoever owns its files is its operator (they could read or rewrite every token
//! there anyway), so `-local` makes a root token straight in the store, without asking for a
//! token. It is how the owner gets back in after `login` replaced the root token in the token
//! helper, without wiping the directory.

use super::read_write::print_secret;
use crate::cli::args::OperatorCommand;
use crate::cli::{output, write_token_helper, Session};
use crate::core::Response;
use anyhow::{anyhow, Context, Result};
use std::os::unix::fs::MetadataExt;

pub fn run(s: &mut Session, cmd: OperatorCommand) -> Result<()> {
    match cmd {
        OperatorCommand::GenerateRoot {
            out,
            local,
            no_store,
        } => {
            s.format(&out)?;
            if !local {
                return Err(output::local_error(
                    "vaultjwt has no unseal keys to generate a root token with: \
                     use -local (the owner of the data directory makes one directly)",
                ));
            }
            let crate::cli::Engine::Local(core) = &s.engine else {
                return Err(output::local_error(
                    "operator generate-root -local makes a root token in a local data \
                     directory; a server needs its unseal keys (vault operator generate-root)",
                ));
            };
            check_owner(&s.dir)?;
            let now = chrono::Utc::now().timestamp();
            let (token, entry) = crate::token::create_root(core.storage.as_ref(), now)
                .map_err(|e| anyhow!("cannot create a root token: {}", e.message()))?;
            if !no_store {
                write_token_helper(&s.dir, &token)?;
            }
            let resp = Response {
                auth: Some(crate::token::backend::issued_auth(
                    &entry,
                    token,
                    Vec::new(),
                    0,
                )),
                ..Default::default()
            };
            print_secret(s, &out, &resp)
        }
    }
}

/// Only the owner of the data directory (or root) may make a root token from it.
fn check_owner(dir: &std::path::Path) -> Result<()> {
    let storage = dir.join("storage");
    let meta = std::fs::metadata(&storage)
        .with_context(|| format!("cannot read {}", storage.display()))?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if me != 0 && meta.uid() != me {
        return Err(anyhow!(
            "{} belongs to uid {}, not to you (uid {me}): only its owner can make a root token",
            storage.display(),
            meta.uid()
        ));
    }
    Ok(())
}
