//! The command-line client: the only part of vaultjwt that knows about argv, stdin, terminals
//! and exit codes. It turns a command into [`Request`]s for the [`Core`] and prints the answers.

pub mod args;
mod commands;
pub mod kv_args;
pub mod output;

use crate::core::{Core, Error, Operation, Request, Response};
use crate::settings::Settings;
use crate::storage::FileStorage;
use anyhow::{anyhow, Context, Result};
use args::{Cli, OutputFlags};
use clap::Parser;
use output::Format;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Name of the token-helper file (the current token) inside the data directory.
pub const TOKEN_HELPER: &str = "token";

/// Runs the CLI on `args` (including argv\[0\]) and returns the process exit code.
pub fn run(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args::normalize(args)) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                output::EXIT_LOCAL
            } else {
                0
            });
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let msg = format!("Error: {e:#}");
            ExitCode::from(output::print_local_error(
                msg.lines().next().unwrap_or("Error"),
            ))
        }
    }
}

/// The data directory: `--data-dir`, else `VAULTJWT_HOME`, else the platform data dir.
pub fn data_dir(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(h) = std::env::var_os("VAULTJWT_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    dirs::data_dir().map(|d| d.join("vaultjwt")).ok_or_else(|| {
        anyhow!("cannot determine a data directory: set VAULTJWT_HOME or --data-dir")
    })
}

/// One open data directory: settings, the core over file storage, and the caller's token.
pub struct Session {
    pub dir: PathBuf,
    pub core: Core,
    /// The token requests are made with: `VAULTJWT_TOKEN`, else the token helper.
    pub token: Option<String>,
}

impl Session {
    pub fn open(flag: Option<&Path>) -> Result<Session> {
        let dir = data_dir(flag)?;
        let settings = Settings::load(&dir)?;
        let storage = FileStorage::open(&dir.join("storage"), true).map_err(|e| anyhow!("{e}"))?;
        let mut core = Core::new(Box::new(storage), settings);
        if let Some(root) = core
            .initialize()
            .map_err(|e| anyhow!("cannot initialise {}: {}", dir.display(), e.message()))?
        {
            write_token_helper(&dir, &root)?;
        }
        let token = match std::env::var("VAULTJWT_TOKEN") {
            Ok(t) if !t.is_empty() => Some(t),
            _ => read_token_helper(&dir)?,
        };
        Ok(Session { dir, core, token })
    }

    pub fn settings(&self) -> &Settings {
        &self.core.settings
    }

    /// Sends one request with the session's token.
    pub fn request(
        &mut self,
        op: Operation,
        path: &str,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> std::result::Result<Option<Response>, Error> {
        let req = Request::new(op, path)
            .with_data(data)
            .with_token(self.token.clone());
        self.core.handle(req)
    }

    /// The output format: the flag, else `VAULTJWT_FORMAT` / `config.toml`, else table.
    pub fn format(&self, out: &OutputFlags) -> Result<Format> {
        let f = out
            .format
            .clone()
            .or_else(|| self.settings().format.clone())
            .unwrap_or_default();
        Format::parse(&f).map_err(|e| anyhow!(e))
    }
}

pub fn read_token_helper(dir: &Path) -> Result<Option<String>> {
    let path = dir.join(TOKEN_HELPER);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t.trim().to_string()).filter(|t| !t.is_empty())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read token helper {}", path.display())),
    }
}

/// Stores `token` as the current token (0600), atomically.
pub fn write_token_helper(dir: &Path, token: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(TOKEN_HELPER);
    let tmp = dir.join(format!(".token-{}", std::process::id()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("cannot write token helper {}", path.display()))?;
    f.write_all(token.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)
        .with_context(|| format!("cannot write token helper {}", path.display()))?;
    Ok(())
}
