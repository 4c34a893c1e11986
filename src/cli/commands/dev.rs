//! `vaultjwt dev issuer`: the loopback OIDC issuer (`crate::dev::issuer`), in the foreground.

use crate::dev::issuer;
use anyhow::{anyhow, Result};
use clap::Subcommand;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Serve OIDC discovery and a JWKS on loopback from keys in the data directory
    Issuer {
        /// Loopback address to listen on (127.0.0.1:PORT, [::1]:PORT or PORT; port 0 picks a
        /// new one). Default: the address of the last start with this data directory, so that
        /// the issuer URL in auth/jwt/config stays valid; a free port the first time
        #[arg(long)]
        listen: Option<String>,
        /// OIDC client id the issuer accepts at its token endpoint
        #[arg(long, default_value = issuer::DEFAULT_CLIENT_ID)]
        client_id: String,
        /// OIDC client secret (default: one generated and kept in the data directory)
        #[arg(long)]
        client_secret: Option<String>,
    },
}

pub fn run(data_dir: Option<&Path>, cmd: DevCommand) -> Result<()> {
    match cmd {
        DevCommand::Issuer {
            listen,
            client_id,
            client_secret,
        } => {
            let dir = crate::cli::data_dir(data_dir)?;
            let secret = match client_secret {
                Some(s) => s,
                None => issuer::client_secret(&dir).map_err(|e| anyhow!(e))?,
            };
            let client = crate::dev::oidc::Client {
                id: client_id.clone(),
                secret: secret.clone(),
            };
            let handle = match &listen {
                Some(l) => issuer::start_with(&dir, l, client),
                None => issuer::start_again(&dir, client),
            }
            .map_err(|e| anyhow!(e))?;
            let url = &handle.url;
            let text = format!(
                "Issuer:     {url}\n\
                 Discovery:  {url}{}\n\
                 JWKS:       {url}{}\n\
                 Keys:       {}\n\
                 Client:     {client_id} (secret {secret})\n\n\
                 Trust it:   vaultjwt write auth/jwt/config oidc_discovery_url={url} bound_issuer={url}\n\
                 Sign with:  vaultjwt jwt sign -issuer -claim sub=alice -claim aud=vault\n\
                 OIDC login: vaultjwt auth enable oidc\n\
                 \x20           vaultjwt write auth/oidc/config oidc_discovery_url={url} oidc_client_id={client_id} oidc_client_secret={secret} default_role=default\n\
                 \x20           vaultjwt write auth/oidc/role/default user_claim=sub allowed_redirect_uris=http://localhost:8250/oidc/callback token_policies=default\n\
                 \x20           vaultjwt login -method=oidc\n\n\
                 Serving until interrupted (Ctrl-C).\n",
                issuer::DISCOVERY_PATH,
                issuer::JWKS_PATH,
                issuer::issuer_dir(&dir).display(),
            );
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            drop(out);
            handle.wait();
            Ok(())
        }
    }
}
