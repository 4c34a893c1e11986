//! Tool settings: `config.toml` in the data directory, overridden by the environment.

use serde::Deserialize;
use std::path::Path;

/// Which answers vaultjwt gives where OpenBao refuses the walkthrough users type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// vaultjwt's default: OpenBao's behaviour, except the documented walkthrough fixes,
    /// each announced by a warning.
    #[default]
    Default,
    /// Every answer exactly as OpenBao 2.7.2 gives it (`VAULTJWT_COMPAT=openbao`).
    OpenBao,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: Option<String>,
    http_timeout: Option<String>,
    compat: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Default output format (`table`, `json`, `yaml`).
    pub format: Option<String>,
    /// Timeout of one HTTP request to an issuer, in seconds.
    pub http_timeout: u64,
    pub compat: Compat,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: None,
            http_timeout: 10,
            compat: Compat::Default,
        }
    }
}

impl Settings {
    /// Reads `<data_dir>/config.toml` if present, then applies `VAULTJWT_COMPAT` and
    /// `VAULTJWT_FORMAT`. Errors name the file and the line.
    pub fn load(data_dir: &Path) -> anyhow::Result<Settings> {
        let path = data_dir.join("config.toml");
        let mut s = Settings::default();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let f: File = toml::from_str(&text).map_err(|e| {
                    let line = e
                        .span()
                        .map(|sp| text[..sp.start.min(text.len())].lines().count().max(1))
                        .unwrap_or(1);
                    anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
                })?;
                if let Some(fmt) = f.format {
                    check_format(&fmt).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    s.format = Some(fmt);
                }
                if let Some(t) = f.http_timeout {
                    let secs = crate::core::fields::parse_duration(&t)
                        .map_err(|e| anyhow::anyhow!("{}: http_timeout: {e}", path.display()))?;
                    s.http_timeout = secs.max(1) as u64;
                }
                if let Some(c) = f.compat {
                    s.compat =
                        parse_compat(&c).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        }
        if let Ok(c) = std::env::var("VAULTJWT_COMPAT") {
            s.compat = parse_compat(&c).map_err(|e| anyhow::anyhow!("VAULTJWT_COMPAT: {e}"))?;
        }
        if let Ok(f) = std::env::var("VAULTJWT_FORMAT") {
            if !f.is_empty() {
                s.format = Some(f);
            }
        }
        Ok(s)
    }
}

fn parse_compat(c: &str) -> Result<Compat, String> {
    match c {
        "" | "default" | "vaultjwt" => Ok(Compat::Default),
        "openbao" | "bao" => Ok(Compat::OpenBao),
        other => Err(format!(
            "unknown compat mode {other:?} (expected \"openbao\" or \"default\")"
        )),
    }
}

pub fn check_format(f: &str) -> Result<(), String> {
    match f {
        "table" | "json" | "yaml" | "pretty" | "raw" => Ok(()),
        other => Err(format!("Invalid output format: {other}")),
    }
}
