//! `vaultjwt jwt ...`: tools for tokens themselves. `jwt explain` shows why a token would
//! pass or fail a login (`super::explain`); decode, keygen and sign use `crate::dev` and
//! only read flags and files and print here.

use super::explain;
use crate::cli::args::OutputFlags;
use crate::cli::input::{self, Limit, ReadError};
use crate::cli::output::{self, Format};
use crate::cli::Session;
use crate::dev::keys::{self, KeyType, PrivateKey};
use crate::dev::{issuer, presets, sign, time};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Print a token's header and claims (nothing is verified)
    Decode {
        /// Output format: table (default), json or yaml
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// The token, @FILE, or - for stdin
        #[arg(allow_hyphen_values = true)]
        token: String,
    },
    /// Generate a signing key: private key PEM (0600), public key PEM and JWKS
    Keygen(KeygenArgs),
    /// Sign a test token (claims from flags, a JSON file or a preset)
    Sign(SignArgs),
    /// Run every check login runs for a role and a token, and show what login would issue
    /// (creates nothing; exit 0 when login would succeed, 2 when it would fail)
    Explain {
        #[command(flatten)]
        out: OutputFlags,
        /// Mount path of the jwt auth method
        #[arg(long, default_value = "jwt")]
        path: String,
        /// role=NAME jwt=TOKEN (key=@file and key=- read a file or stdin)
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA
    #[arg(long, default_value = "RS256")]
    pub alg: String,
    /// Key ID written to the JWKS (default: the key's RFC 7638 thumbprint)
    #[arg(long)]
    pub kid: Option<String>,
    /// Output prefix: writes PREFIX.private.pem, PREFIX.public.pem and PREFIX.jwks.json
    /// (default: jwt-<alg>; a directory gets jwt-<alg> inside it)
    #[arg(long, value_name = "PREFIX")]
    pub out: Option<PathBuf>,
    /// RSA modulus size in bits (2048 to 4096)
    #[arg(long, default_value_t = keys::RSA_BITS)]
    pub bits: usize,
    /// Replace existing files
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key PEM to sign with: @FILE (or FILE, or - for stdin)
    #[arg(
        long,
        value_name = "@FILE",
        conflicts_with = "issuer",
        allow_hyphen_values = true
    )]
    pub key: Option<String>,
    /// Sign with the dev issuer's key (see `vaultjwt dev issuer`) and set `iss` to its URL
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
    pub issuer: bool,
    /// Signing algorithm (default: RS256 for RSA keys, ES256/384/512 by curve, EdDSA)
    #[arg(long)]
    pub alg: Option<String>,
    /// `kid` header (default: the key's RFC 7638 thumbprint; -kid= for none)
    #[arg(long)]
    pub kid: Option<String>,
    /// A claim, key=value (repeatable); the value is JSON when it parses, else a string;
    /// a key starting with / is a JSON pointer into nested claims
    #[arg(long = "claim", value_name = "K=V", allow_hyphen_values = true)]
    pub claims: Vec<String>,
    /// Claims from a JSON object: @FILE (or - for stdin)
    #[arg(long = "claims", value_name = "@FILE", allow_hyphen_values = true)]
    pub claims_file: Option<String>,
    /// A header parameter, key=value (repeatable)
    // The id is the global `-header`'s (an HTTP header for a server): clap then leaves
    // `jwt sign` its own.
    #[arg(
        id = "header",
        long = "header",
        value_name = "K=V",
        allow_hyphen_values = true
    )]
    pub headers: Vec<String>,
    /// Expiry: now, +DURATION, -DURATION, an epoch, RFC 3339, or none (default: +1h)
    #[arg(long, allow_hyphen_values = true)]
    pub exp: Option<String>,
    /// Issued at (default: now)
    #[arg(long, allow_hyphen_values = true)]
    pub iat: Option<String>,
    /// Not before (default: none, or the preset's)
    #[arg(long, allow_hyphen_values = true)]
    pub nbf: Option<String>,
    /// Start from a realistic claim set: github-actions, gitlab or kubernetes
    #[arg(long)]
    pub preset: Option<String>,
}

/// Runs a `jwt` subcommand; `data_dir` is the `--data-dir` flag.
pub fn run(data_dir: Option<&Path>, cmd: JwtCommand) -> Result<()> {
    match cmd {
        JwtCommand::Decode { format, token } => decode(format.as_deref(), &token),
        JwtCommand::Keygen(args) => keygen(&args),
        JwtCommand::Sign(args) => {
            let jwt = sign_token(data_dir, &args)?;
            println!("{jwt}");
            Ok(())
        }
        JwtCommand::Explain { out, path, args } => {
            explain::run(&mut Session::open(data_dir)?, &out, &path, &args)
        }
    }
}

/// Reads `@FILE`, `-` (stdin) or, when `plain_is_path`, a bare path, at most `limit`; else
/// the text itself.
fn read_input(value: &str, what: &str, plain_is_path: bool, limit: Limit) -> Result<String> {
    if value == "-" {
        return match input::read(&mut std::io::stdin(), limit) {
            Ok(s) => Ok(s),
            Err(ReadError::TooLarge) => {
                let what = what.trim_end_matches(" file");
                bail!(limit.exceeded(&format!("the {what} on stdin")))
            }
            Err(ReadError::Io(e)) => {
                Err(e).with_context(|| format!("cannot read the {what} from stdin"))
            }
        };
    }
    let path = match value.strip_prefix('@') {
        Some(p) => p,
        None if plain_is_path => value,
        None => return Ok(value.to_string()),
    };
    input::read_file(path, limit).map_err(|e| match e {
        ReadError::TooLarge => anyhow!(limit.exceeded(&format!("{what} {path}"))),
        ReadError::Io(e) => anyhow!("cannot read {what} {path}: {}", issuer::io_text(&e)),
    })
}

// ---- decode ----

fn decode(format: Option<&str>, token: &str) -> Result<()> {
    let format = Format::parse(format.unwrap_or("table")).map_err(|e| anyhow!(e))?;
    let text = read_input(token, "token file", false, input::TOKEN)?;
    let text = text.trim();
    if text.split('.').count() == 5 {
        bail!("malformed token: this is an encrypted token (JWE, five parts); only signed tokens (JWS) can be decoded");
    }
    let jws = crate::auth::jwt::jws::parse(text, crate::auth::jwt::jws::Jose::V3).map_err(|e| {
        anyhow!(
            "malformed token: {}",
            e.trim_start_matches("go-jose/go-jose: ")
        )
    })?;
    let claims = match serde_json::from_slice::<Value>(&jws.payload) {
        Ok(Value::Object(m)) => m,
        Ok(_) => bail!("malformed token: the payload is not a JSON object"),
        Err(e) => bail!("malformed token: the payload is not JSON: {e}"),
    };
    let now = time::now();
    match format {
        Format::Json | Format::Yaml => {
            let doc = serde_json::json!({
                "verified": false,
                "header": jws.header,
                "claims": claims,
            });
            let text = if format == Format::Json {
                serde_json::to_string_pretty(&doc)? + "\n"
            } else {
                output::go_yaml(&doc) + "\n"
            };
            std::io::stdout().write_all(text.as_bytes())?;
        }
        Format::Table => {
            let mut out = String::from(
                "NOT VERIFIED: the signature, issuer, audience and times were not checked.\n\nHeader\n",
            );
            out.push_str(&rows(&jws.header, now));
            out.push_str("\nClaims\n");
            out.push_str(&rows(&claims, now));
            std::io::stdout().write_all(out.as_bytes())?;
        }
    }
    Ok(())
}

const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "nbf", "auth_time"];

fn rows(m: &Map<String, Value>, now: i64) -> String {
    let rows: Vec<Vec<String>> = m
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) if TIME_CLAIMS.contains(&k.as_str()) => match n.as_i64() {
                    Some(t) => time::describe(t, now),
                    None => n.to_string(),
                },
                other => other.to_string(),
            };
            vec![k.clone(), shown]
        })
        .collect();
    if rows.is_empty() {
        return "(none)\n".into();
    }
    output::columnize(&rows)
}

// ---- keygen ----

fn keygen(args: &KeygenArgs) -> Result<()> {
    let alg = keys::parse_alg(&args.alg).map_err(|e| anyhow!(e))?;
    let kind = KeyType::for_alg(alg).ok_or_else(|| anyhow!("unsupported algorithm {alg}"))?;
    let stem = format!("jwt-{}", alg.to_ascii_lowercase());
    let prefix = match &args.out {
        None => PathBuf::from(&stem),
        Some(p) if p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/') => p.join(&stem),
        Some(p) => p.clone(),
    };
    let with = |suffix: &str| {
        let mut s = prefix.clone().into_os_string();
        s.push(suffix);
        PathBuf::from(s)
    };
    let (private, public, jwks_path) = (
        with(".private.pem"),
        with(".public.pem"),
        with(".jwks.json"),
    );
    if !args.force {
        for p in [&private, &public, &jwks_path] {
            if p.exists() {
                bail!("{} already exists (use -force to replace it)", p.display());
            }
        }
    }
    if let Some(dir) = prefix.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            bail!(
                "cannot write keys: directory {} does not exist",
                dir.display()
            );
        }
    }
    let key = PrivateKey::generate(kind, args.bits).map_err(|e| anyhow!(e))?;
    let kid = args.kid.clone().unwrap_or_else(|| key.thumbprint());
    let jwks = keys::jwks(vec![key.public_jwk(&kid, Some(alg))]);
    write_file(
        &private,
        key.to_pem().map_err(|e| anyhow!(e))?.as_bytes(),
        0o600,
    )?;
    write_file(
        &public,
        key.public_pem().map_err(|e| anyhow!(e))?.as_bytes(),
        0o644,
    )?;
    write_file(
        &jwks_path,
        (serde_json::to_string_pretty(&jwks)? + "\n").as_bytes(),
        0o644,
    )?;
    let rows = vec![
        vec!["Algorithm".into(), alg.to_string()],
        vec!["Key ID".into(), kid.clone()],
        vec![
            "Private key".into(),
            format!("{} (mode 0600; keep it secret)", private.display()),
        ],
        vec!["Public key".into(), public.display().to_string()],
        vec!["JWKS".into(), jwks_path.display().to_string()],
    ];
    let mut out = output::columnize(&rows);
    // `jwt sign` defaults to the thumbprint kid; name any other kid explicitly.
    let kid_flag = if kid == key.thumbprint() {
        String::new()
    } else {
        format!(" -kid={}", sign_shell_quote(&kid))
    };
    out.push_str(&format!(
        "\nTrust it:   vaultjwt write auth/jwt/config jwt_validation_pubkeys=@{}\nSign with:  vaultjwt jwt sign -key=@{} -alg={alg}{kid_flag} -claim sub=alice\n",
        public.display(),
        private.display(),
    ));
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(())
}

fn sign_shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Writes `path` with `mode` (replacing it), via a temp file and a rename.
fn write_file(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".vaultjwt-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let fail =
        |e: std::io::Error| anyhow!("cannot write {}: {}", path.display(), issuer::io_text(&e));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .map_err(fail)?;
    let res = f.write_all(contents).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = res.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

// ---- sign ----

/// Builds and signs the token `args` describe (also used by `demo`).
pub fn sign_token(data_dir: Option<&Path>, args: &SignArgs) -> Result<String> {
    let now = time::now();
    // Claims given by the user, in order: the file, then each -claim.
    let mut user = Map::new();
    if let Some(f) = &args.claims_file {
        let text = read_input(f, "claims file", true, input::REQUEST)?;
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => user.extend(m),
            Ok(_) => bail!("claims file {f}: not a JSON object"),
            Err(e) => bail!("claims file {f}: invalid JSON: {e}"),
        }
    }
    for c in &args.claims {
        let (k, v) = sign::parse_kv(c, "claim").map_err(|e| anyhow!(e))?;
        sign::set_claim(&mut user, &k, v).map_err(|e| anyhow!(e))?;
    }
    let mut header = Map::new();
    for h in &args.headers {
        let (k, v) = sign::parse_kv(h, "header").map_err(|e| anyhow!(e))?;
        header.insert(k, v);
    }
    let times = [
        ("exp", args.exp.as_deref()),
        ("iat", args.iat.as_deref()),
        ("nbf", args.nbf.as_deref()),
    ]
    .into_iter()
    .map(|(name, spec)| {
        spec.map(|s| {
            time::parse_time(s, now)
                .map(|t| (name, t))
                .map_err(|e| anyhow!("-{name}: {e}"))
        })
        .transpose()
    })
    .collect::<Result<Vec<_>>>()?;

    // The key (and, with -issuer, iss).
    let (key, iss) = if args.issuer {
        let dir = crate::cli::data_dir(data_dir)?;
        let url = issuer::last_url(&dir).map_err(|e| anyhow!(e))?;
        if !issuer::is_listening(&url) {
            eprintln!(
                "Warning: the dev issuer last started at {url} is not running; logins that fetch its keys will fail until it is started again"
            );
        }
        let kind = match &args.alg {
            Some(a) => KeyType::for_alg(keys::parse_alg(a).map_err(|e| anyhow!(e))?)
                .ok_or_else(|| anyhow!("unsupported algorithm {a}"))?,
            None => KeyType::Rsa,
        };
        (issuer::key(&dir, kind).map_err(|e| anyhow!(e))?, Some(url))
    } else {
        let Some(k) = &args.key else {
            bail!("no signing key: give -key=@FILE (a private key PEM, see `vaultjwt jwt keygen`) or -issuer");
        };
        let text = read_input(k, "key file", true, input::REQUEST)?;
        let shown = k.trim_start_matches('@');
        let key = PrivateKey::from_pem(&text).map_err(|e| anyhow!("key file {shown}: {e}"))?;
        (key, None)
    };
    let alg = sign::choose_alg(&key, args.alg.as_deref()).map_err(|e| anyhow!(e))?;

    let mut claims = match &args.preset {
        Some(p) => presets::claims(p, now, &user).map_err(|e| anyhow!(e))?,
        None => Map::new(),
    };
    if let Some(url) = iss {
        claims.insert("iss".into(), url.into());
    }
    for (k, v) in user {
        claims.insert(k, v);
    }
    for (name, value) in times.into_iter().flatten() {
        match value {
            Some(t) => claims.insert(name.into(), t.into()),
            None => claims.remove(name),
        };
    }
    let explicit = |n: &str| {
        [&args.exp, &args.iat]
            .iter()
            .zip(["exp", "iat"])
            .any(|(a, b)| b == n && a.is_some())
    };
    if !claims.contains_key("iat") && !explicit("iat") {
        claims.insert("iat".into(), now.into());
    }
    if !claims.contains_key("exp") && !explicit("exp") {
        claims.insert("exp".into(), (now + 3600).into());
    }
    let kid = match &args.kid {
        Some(k) if k.is_empty() => None,
        Some(k) => Some(k.clone()),
        None => Some(key.thumbprint()),
    };
    sign::sign(&key, alg, kid.as_deref(), &header, &claims).map_err(|e| anyhow!(e))
}
