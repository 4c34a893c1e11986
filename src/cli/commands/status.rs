//! `status` and `version`: what `bao status` and `bao version` show, for a data directory.

use crate::cli::args::OutputFlags;
use crate::cli::output::{self, Format};
use crate::cli::Session;
use crate::settings::Compat;
use anyhow::Result;
use serde_json::json;

/// The OpenBao release whose answers vaultjwt gives.
pub const OPENBAO_VERSION: &str = "2.7.2";

/// `vaultjwt version`: this build and the OpenBao release it answers as.
pub fn version_line() -> String {
    format!(
        "vaultjwt v{} (answers as OpenBao v{OPENBAO_VERSION})",
        env!("CARGO_PKG_VERSION")
    )
}

/// `vaultjwt status`: `bao status` of a dev server, adapted: the data directory is the
/// server, always initialised and unsealed, stored in files.
pub fn status(s: &mut Session, out: &OutputFlags, args: &[String]) -> Result<u8> {
    let format = s.format(out)?;
    if !args.is_empty() {
        return Ok(output::print_local_error(&format!(
            "Too many arguments (expected 0, got {})",
            args.len()
        )));
    }
    let compat = match s.settings().compat {
        Compat::OpenBao => "openbao",
        Compat::Default => "default",
    };
    let version = format!("{} (OpenBao {OPENBAO_VERSION})", env!("CARGO_PKG_VERSION"));
    let dir = s.dir.display().to_string();
    match format {
        Format::Table => {
            let rows: Vec<(String, String)> = [
                ("Initialized", "true"),
                ("Sealed", "false"),
                ("Version", version.as_str()),
                ("Storage Type", "file"),
                ("Data Directory", dir.as_str()),
                ("Compat", compat),
                ("HA Enabled", "false"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            print!("{}", output::table(&rows, ("Key", "Value")));
        }
        f => {
            let v = json!({
                "initialized": true,
                "sealed": false,
                "version": version,
                "storage_type": "file",
                "data_directory": dir,
                "compat": compat,
                "ha_enabled": false,
            });
            print!("{}", output::render_value(&v, f));
        }
    }
    Ok(0)
}
