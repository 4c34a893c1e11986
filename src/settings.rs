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
    http_timeout: Option<toml::Value>,
    compat: Option<String>,
    address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Default output format (`table`, `json`, `yaml`).
    pub format: Option<String>,
    /// Timeout of one HTTP request to an issuer, in seconds.
    pub http_timeout: u64,
    pub compat: Compat,
    /// A server to send commands to (`address = "https://..."`): remote mode by default.
    pub address: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: None,
            http_timeout: 10,
            compat: Compat::Default,
            address: None,
        }
    }
}

impl Settings {
    /// Reads `<data_dir>/config.toml` if present, then applies `VAULTJWT_COMPAT` and
    /// `VAULTJWT_FORMAT`. Errors name the file and the line.
    pub fn load(data_dir: &Path) -> anyhow::Result<Settings> {
        let path = data_dir.join("config.toml");
        let mut s = Settings::default();
        // Read without following a link (as everything in the data directory).
        let read = match crate::storage::Dir::open_existing(data_dir) {
            Ok(Some(d)) => d
                .read("config.toml")
                .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned())),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        match read {
            Ok(Some(text)) => {
                let f: File = toml::from_str(&text).map_err(|e| {
                    let line = e.span().map(|sp| line_of(&text, sp.start)).unwrap_or(1);
                    anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
                })?;
                if let Some(fmt) = f.format {
                    check_format(&fmt).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    s.format = Some(fmt);
                }
                if let Some(t) = f.http_timeout {
                    let at = |e: String| {
                        let line = text
                            .find("http_timeout")
                            .map(|i| line_of(&text, i))
                            .unwrap_or(1);
                        anyhow::anyhow!("{}:{line}: http_timeout: {e}", path.display())
                    };
                    let secs = match t {
                        toml::Value::Integer(i) if i >= 0 => i,
                        toml::Value::String(d) => crate::core::fields::parse_duration(d.trim())
                            .map_err(|e| at(e.to_string()))?,
                        other => {
                            return Err(at(format!(
                                "expected a duration such as \"30s\", got {other}"
                            )))
                        }
                    };
                    s.http_timeout = secs.max(1) as u64;
                }
                s.address = f.address.filter(|a| !a.is_empty());
                if let Some(c) = f.compat {
                    s.compat =
                        parse_compat(&c).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                }
            }
            Ok(None) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => anyhow::bail!(
                "cannot read {}: {}",
                path.display(),
                crate::storage::io_text(&e)
            ),
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

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()
        .get(..end)
        .map(|b| b.iter().filter(|c| **c == b'\n').count() + 1)
        .unwrap_or(1)
}

/// The output formats vaultjwt prints: Vault's `table`, `json`, `yaml` (`yml`).
pub fn check_format(f: &str) -> Result<(), String> {
    match f.to_ascii_lowercase().as_str() {
        "table" | "json" | "yaml" | "yml" => Ok(()),
        _ => Err(format!("Invalid output format: {f}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(text: &str) -> anyhow::Result<Settings> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        Settings::load(dir.path())
    }

    #[test]
    fn config_file_is_read_and_errors_name_file_and_line() {
        let s = load_with("format = \"json\"\nhttp_timeout = \"30s\"\n").unwrap();
        assert_eq!(s.format.as_deref(), Some("json"));
        assert_eq!(s.http_timeout, 30);
        assert_eq!(load_with("http_timeout = 5\n").unwrap().http_timeout, 5);
        let e = load_with("format = \"json\"\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("config.toml:2:"), "{e}");
        let e = load_with("format = \"json\n").unwrap_err().to_string();
        assert!(e.contains("config.toml:1:"), "{e}");
        let e = load_with("\nformat = \"xml\"\n").unwrap_err().to_string();
        assert!(e.contains("Invalid output format: xml"), "{e}");
        let e = load_with("\n\nhttp_timeout = \"forever\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("config.toml:3: http_timeout"), "{e}");
    }
}
