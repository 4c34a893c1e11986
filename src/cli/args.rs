//! The clap definitions. Vault's single-dash long flags (`-format=json`) are rewritten to
//! `--format=json` by [`normalize`] before clap sees them.

use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

pub use super::commands::dev::DevCommand;
pub use super::commands::jwt::JwtCommand;

#[derive(Debug, Parser)]
#[command(
    name = "vaultjwt",
    version,
    about = "Vault's JWT auth method on your laptop: the vault CLI's commands, no server",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Data directory (default: $VAULTJWT_HOME, else the platform data dir + /vaultjwt)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(flatten)]
    pub http: HttpFlags,

    #[command(subcommand)]
    pub command: Command,
}

/// A group of subcommands whose clap definitions are built only when the command line
/// enters the group (`Command::defer`): `vaultjwt write ...` does not pay for building the
/// `token`, `kv` or `jwt` trees. Help, completions and `debug_assert` build everything.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Self)
    }
    fn from_arg_matches_mut(m: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(m).map(Self)
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
    fn update_from_arg_matches_mut(&mut self, m: &mut clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(m)
    }
}

impl<T: Subcommand> Subcommand for Deferred<T> {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_subcommands)
    }
    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_subcommands_for_update)
    }
    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

/// Output flags shared by the commands that print a response.
#[derive(Debug, Args, Clone, Default)]
pub struct OutputFlags {
    /// Output format: table, json or yaml (default: $VAULTJWT_FORMAT, else table)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Print only this field of the response
    #[arg(long, value_name = "NAME")]
    pub field: Option<String>,
}

/// Vault's HTTP options, on every command. With an address (the flag, `$VAULTJWT_ADDR` or
/// `address` in config.toml) the command goes to that OpenBao/Vault server instead of the
/// local engine; `VAULT_ADDR` is never read.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct HttpFlags {
    /// Send the command to this OpenBao/Vault server (default: $VAULTJWT_ADDR, else address in config.toml, else the local engine)
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "VAULTJWT_ADDR",
        hide_env = true
    )]
    pub address: Option<String>,
    /// The namespace of the request (X-Vault-Namespace)
    #[arg(
        long,
        alias = "ns",
        global = true,
        value_name = "NS",
        env = "VAULTJWT_NAMESPACE",
        hide_env = true
    )]
    pub namespace: Option<String>,
    /// A PEM file of CA certificates to verify the server with (replaces the system roots)
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "VAULTJWT_CACERT",
        hide_env = true
    )]
    pub ca_cert: Option<PathBuf>,
    /// A directory of PEM CA certificates to verify the server with
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "VAULTJWT_CAPATH",
        hide_env = true
    )]
    pub ca_path: Option<PathBuf>,
    /// A PEM client certificate for TLS authentication to the server
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "VAULTJWT_CLIENT_CERT",
        hide_env = true
    )]
    pub client_cert: Option<PathBuf>,
    /// The PEM private key of -client-cert
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "VAULTJWT_CLIENT_KEY",
        hide_env = true
    )]
    pub client_key: Option<PathBuf>,
    /// Do not verify the server's certificate (insecure)
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL", env = "VAULTJWT_SKIP_VERIFY", hide_env = true)]
    pub tls_skip_verify: Option<bool>,
    /// How long a request to the server may take, e.g. 30s (default 60s)
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        env = "VAULTJWT_CLIENT_TIMEOUT",
        hide_env = true
    )]
    pub client_timeout: Option<String>,
    /// Print the curl command of the request instead of sending it
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub output_curl_string: Option<bool>,
    /// Ask the server to wrap the answer in a token with this TTL (X-Vault-Wrap-TTL)
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        env = "VAULTJWT_WRAP_TTL",
        hide_env = true
    )]
    pub wrap_ttl: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read data at a path
    Read {
        #[command(flatten)]
        out: OutputFlags,
        /// The path, e.g. auth/jwt/config
        path: String,
        /// key=value query parameters
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        data: Vec<String>,
    },
    /// Write data to a path (key=value, key=@file, key=-, or - for a JSON body on stdin)
    Write {
        #[command(flatten)]
        out: OutputFlags,
        /// Allow a write with no data
        #[arg(long, short = 'f')]
        force: bool,
        path: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        data: Vec<String>,
    },
    /// List the keys at a path
    List {
        #[command(flatten)]
        out: OutputFlags,
        path: String,
    },
    /// Delete data at a path
    Delete {
        #[command(flatten)]
        out: OutputFlags,
        path: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        data: Vec<String>,
    },
    /// Print the help of a path: its parameters and what it does (Vault's path-help)
    PathHelp {
        #[command(flatten)]
        out: OutputFlags,
        /// The path, e.g. auth/jwt/role/dev
        path: String,
    },
    /// Enable, disable and list auth methods
    #[command(subcommand)]
    Auth(Deferred<AuthCommand>),
    /// Manage ACL policies (write, read, list, delete, fmt)
    #[command(subcommand)]
    Policy(Deferred<PolicyCommand>),
    /// Print a shell completion script
    Completion {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Create, look up, renew, revoke tokens and list their capabilities
    #[command(subcommand)]
    Token(Deferred<TokenCommand>),
    /// Look up, renew and revoke leases (database credentials)
    #[command(subcommand)]
    Lease(Deferred<crate::cli::commands::lease::LeaseCommand>),
    /// Authenticate: store a token (or one from `-method=jwt`) in the token helper
    Login {
        #[command(flatten)]
        out: OutputFlags,
        /// Auth method: token (default) or jwt
        #[arg(long, default_value = "token")]
        method: String,
        /// Mount path of the auth method (default: the method name)
        #[arg(long)]
        path: Option<String>,
        /// Do not store the token in the token helper
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        no_store: bool,
        /// Print only the token (implies -no-store)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        token_only: bool,
        /// Print nothing on success
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        no_print: bool,
        /// The token (or `-` for stdin), or key=value pairs for the method
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
        /// The JWT to log in with (implies -method=jwt); @FILE reads it from a file, - from stdin
        #[arg(long, allow_hyphen_values = true)]
        jwt: Option<String>,
        /// The role to log in with (with -jwt)
        #[arg(long)]
        role: Option<String>,
    },
    /// Tokens themselves: decode, explain, keygen, sign
    #[command(subcommand)]
    Jwt(Deferred<JwtCommand>),
    /// Development tools: a loopback OIDC issuer
    #[command(subcommand)]
    Dev(Deferred<DevCommand>),
    /// Print a value of the CLI's configuration: `print token`, the token requests are made with
    Print {
        /// What to print: token
        #[arg(value_name = "WHAT", value_parser = ["token"])]
        what: String,
    },
    /// Copy a server's JWT mounts, configs, roles, the policies they name and external groups into the data directory
    Pull {
        /// Only this mount (repeatable; default: every jwt mount)
        #[arg(long = "path", value_name = "MOUNT")]
        paths: Vec<String>,
        /// Pull into this data directory instead (created when missing)
        #[arg(long, value_name = "DIR")]
        home: Option<PathBuf>,
        /// Replace the JWT mounts, policies and groups the data directory already holds
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        force: bool,
    },
    /// Show what apply would change on the server to make it match the local state
    Plan {
        /// Only this mount (repeatable; default: every local jwt mount)
        #[arg(long = "path", value_name = "MOUNT")]
        paths: Vec<String>,
        /// Also delete what the server has and the local state does not
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        prune: bool,
    },
    /// Make the server match the local state: policies, mounts, config, roles, groups
    Apply {
        /// Only this mount (repeatable; default: every local jwt mount)
        #[arg(long = "path", value_name = "MOUNT")]
        paths: Vec<String>,
        /// Also delete what the server has and the local state does not
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        prune: bool,
        /// Apply without asking for confirmation (needed when not on a terminal)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        auto_approve: bool,
    },
    /// The whole JWT login story in one command, in a throwaway data directory
    Demo {
        /// Keep the throwaway data directory
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        keep: bool,
        /// A PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DB, a user that can create
        /// roles): adds the dynamic database credentials chapter
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Enable, disable and list secret engines
    #[command(subcommand)]
    Secrets(Deferred<SecretsCommand>),
    /// Read and write secrets in a KV secret engine (versions 1 and 2)
    #[command(subcommand)]
    Kv(Deferred<KvCommand>),
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Enable an auth method (jwt or oidc)
    Enable {
        #[command(flatten)]
        out: OutputFlags,
        /// Mount path (default: the type)
        #[arg(long)]
        path: Option<String>,
        /// Human-readable description of the mount
        #[arg(long)]
        description: Option<String>,
        /// Default lease TTL of tokens issued by this mount
        #[arg(long)]
        default_lease_ttl: Option<String>,
        /// Maximum lease TTL of tokens issued by this mount
        #[arg(long)]
        max_lease_ttl: Option<String>,
        /// The auth method type
        #[arg(value_name = "TYPE")]
        kind: String,
    },
    /// Disable an auth method and remove its data
    Disable {
        #[command(flatten)]
        out: OutputFlags,
        path: String,
    },
    /// List enabled auth methods
    List {
        #[command(flatten)]
        out: OutputFlags,
        /// Show more details
        #[arg(long)]
        detailed: bool,
    },
    /// Move an auth method to a new path (auth/SOURCE auth/DESTINATION); its tokens are revoked
    Move {
        /// SOURCE DESTINATION
        args: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Upload a policy from a file, or from stdin with `-`
    Write {
        #[command(flatten)]
        out: OutputFlags,
        /// Policy name (lower-cased)
        name: String,
        /// Policy file (HCL or JSON), or - for stdin
        path: String,
    },
    /// Print a policy's rules
    Read {
        #[command(flatten)]
        out: OutputFlags,
        name: String,
    },
    /// List the policies
    List {
        #[command(flatten)]
        out: OutputFlags,
    },
    /// Delete a policy
    Delete {
        #[command(flatten)]
        out: OutputFlags,
        name: String,
    },
    /// Check and reformat a policy file in place
    Fmt {
        #[command(flatten)]
        out: OutputFlags,
        path: String,
    },
}

/// Rewrites Vault's single-dash long flags (`-format=json`, `-detailed`) to clap's `--` form.
/// A lone `-` (stdin), `--`, and everything after `--` are left alone, as are `key=value`
/// arguments, which never start with `-`.
pub fn normalize(args: Vec<OsString>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = false;
    for (i, a) in args.into_iter().enumerate() {
        if i == 0 || rest {
            out.push(a);
            continue;
        }
        let Some(s) = a.to_str() else {
            out.push(a);
            continue;
        };
        if s == "--" {
            rest = true;
            out.push(a);
            continue;
        }
        let is_single_dash_long = s.len() > 2
            && s.starts_with('-')
            && !s.starts_with("--")
            && s[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && s[1..].split('=').next().is_some_and(|n| {
                n.len() > 1
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if is_single_dash_long {
            out.push(OsString::from(format!("-{s}")));
        } else {
            out.push(a);
        }
    }
    out
}

// Parsed once per run, so the size of the `create` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token
    Create {
        #[command(flatten)]
        out: OutputFlags,
        /// A policy of the token (repeatable)
        #[arg(long = "policy", value_name = "NAME")]
        policies: Vec<String>,
        /// Initial TTL
        #[arg(long)]
        ttl: Option<String>,
        /// Explicit maximum lifetime
        #[arg(long)]
        explicit_max_ttl: Option<String>,
        /// Renewal period (periodic token)
        #[arg(long)]
        period: Option<String>,
        /// Number of uses before the token is revoked (0 = unlimited)
        #[arg(long)]
        use_limit: Option<String>,
        /// Create the token with no parent
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        orphan: bool,
        /// Do not attach the default policy
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        no_default_policy: bool,
        /// service or batch
        #[arg(long = "type")]
        token_type: Option<String>,
        /// Display name (shown as token-<name>)
        #[arg(long)]
        display_name: Option<String>,
        /// Metadata key=value (repeatable)
        #[arg(long = "metadata", value_name = "K=V")]
        metadata: Vec<String>,
        /// Whether the token can be renewed
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = true)]
        renewable: bool,
        /// Custom token value (root only)
        #[arg(long)]
        id: Option<String>,
        /// Token role (not supported by vaultjwt)
        #[arg(long)]
        role: Option<String>,
        /// (none: extra arguments are refused as Vault refuses them)
        #[arg(hide = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Show a token's properties (the current token when none is given)
    Lookup {
        #[command(flatten)]
        out: OutputFlags,
        /// Treat the argument as an accessor
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        accessor: bool,
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Renew a token (the current token when none is given)
    Renew {
        #[command(flatten)]
        out: OutputFlags,
        /// Requested TTL from now
        #[arg(long, short = 'i')]
        increment: Option<String>,
        /// Treat the argument as an accessor
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        accessor: bool,
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Revoke a token and its children
    Revoke {
        #[command(flatten)]
        out: OutputFlags,
        /// Treat the argument as an accessor
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        accessor: bool,
        /// Revoke the current token
        #[arg(long = "self", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false)]
        self_: bool,
        /// orphan: keep the children (as orphans)
        #[arg(long)]
        mode: Option<String>,
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// List a token's capabilities on a path
    Capabilities {
        #[command(flatten)]
        out: OutputFlags,
        /// [TOKEN] PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: &[&str]) -> Vec<String> {
        normalize(v.iter().map(OsString::from).collect())
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect()
    }

    #[test]
    fn single_dash_flags_become_long() {
        assert_eq!(
            n(&[
                "vaultjwt",
                "read",
                "-format=json",
                "-field=x",
                "auth/jwt/config"
            ]),
            [
                "vaultjwt",
                "read",
                "--format=json",
                "--field=x",
                "auth/jwt/config"
            ]
        );
        assert_eq!(n(&["v", "write", "p", "-"]), ["v", "write", "p", "-"]);
        assert_eq!(n(&["v", "write", "p", "a=-1"]), ["v", "write", "p", "a=-1"]);
        assert_eq!(n(&["v", "write", "-f", "p"]), ["v", "write", "-f", "p"]);
        assert_eq!(n(&["v", "--", "-x1"]), ["v", "--", "-x1"]);
    }

    #[test]
    fn clap_definitions_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Enable a secret engine (kv, kv-v2)
    Enable {
        #[command(flatten)]
        out: OutputFlags,
        /// Mount path (default: the type)
        #[arg(long)]
        path: Option<String>,
        /// Human-readable description of the mount
        #[arg(long)]
        description: Option<String>,
        /// KV version (1 or 2); same as -options=version=N
        #[arg(long)]
        version: Option<String>,
        /// Default lease TTL of the mount
        #[arg(long)]
        default_lease_ttl: Option<String>,
        /// Maximum lease TTL of the mount
        #[arg(long)]
        max_lease_ttl: Option<String>,
        /// Mount option key=value (repeatable)
        #[arg(long = "options", value_name = "K=V")]
        options: Vec<String>,
        /// TYPE
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Disable a secret engine and remove its data
    Disable {
        #[command(flatten)]
        out: OutputFlags,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// List enabled secret engines
    List {
        #[command(flatten)]
        out: OutputFlags,
        /// Show more details
        #[arg(long)]
        detailed: bool,
    },
    /// Tune a secret engine's lease TTLs and description
    Tune {
        #[command(flatten)]
        out: OutputFlags,
        /// Default lease TTL (a duration; "system" or -1 resets it)
        #[arg(long, allow_hyphen_values = true)]
        default_lease_ttl: Option<String>,
        /// Maximum lease TTL (a duration; "system" or -1 resets it)
        #[arg(long, allow_hyphen_values = true)]
        max_lease_ttl: Option<String>,
        /// Human-readable description of the mount
        #[arg(long, allow_hyphen_values = true)]
        description: Option<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Move a secret engine to a new path, with its data
    Move {
        /// SOURCE DESTINATION
        args: Vec<String>,
    },
}

/// Flags every `kv` subcommand takes.
#[derive(Debug, Args, Clone, Default)]
pub struct KvFlags {
    #[command(flatten)]
    pub out: OutputFlags,
    /// Mount path of the KV engine; the argument is then the secret path below it
    #[arg(long)]
    pub mount: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KvCommand {
    /// Write a secret (a new version on KV v2)
    Put {
        #[command(flatten)]
        kv: KvFlags,
        /// Check-and-set: the current version (0 = only if the key does not exist)
        #[arg(long, allow_hyphen_values = true)]
        cas: Option<String>,
        /// PATH then key=value data
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Read a secret
    Get {
        #[command(flatten)]
        kv: KvFlags,
        /// The version to read (KV v2)
        #[arg(long, allow_hyphen_values = true)]
        version: Option<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Update some keys of the latest version (KV v2)
    Patch {
        #[command(flatten)]
        kv: KvFlags,
        /// Check-and-set: the current version
        #[arg(long, allow_hyphen_values = true)]
        cas: Option<String>,
        /// patch (HTTP PATCH only) or rw (read, then write)
        #[arg(long)]
        method: Option<String>,
        /// A key to remove (repeatable)
        #[arg(long = "remove-data", value_name = "KEY")]
        remove_data: Vec<String>,
        /// PATH then key=value data
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Delete a secret (KV v2: soft-delete the latest version or -versions)
    Delete {
        #[command(flatten)]
        kv: KvFlags,
        /// Versions to delete (comma-separated or repeated)
        #[arg(long, value_name = "N,...")]
        versions: Vec<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Restore soft-deleted versions (KV v2)
    Undelete {
        #[command(flatten)]
        kv: KvFlags,
        /// Versions to restore (comma-separated or repeated)
        #[arg(long, value_name = "N,...")]
        versions: Vec<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Permanently remove versions (KV v2)
    Destroy {
        #[command(flatten)]
        kv: KvFlags,
        /// Versions to destroy (comma-separated or repeated)
        #[arg(long, value_name = "N,...")]
        versions: Vec<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// List the keys at a path
    List {
        #[command(flatten)]
        kv: KvFlags,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Read and write a key's metadata and settings (KV v2)
    #[command(subcommand)]
    Metadata(KvMetadataCommand),
}

#[derive(Debug, Subcommand)]
pub enum KvMetadataCommand {
    /// Show a key's metadata and versions
    Get {
        #[command(flatten)]
        kv: KvFlags,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Create a key or change its settings
    Put {
        #[command(flatten)]
        kv: KvFlags,
        #[command(flatten)]
        settings: KvMetadataSettings,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Delete a key, all its versions and metadata
    Delete {
        #[command(flatten)]
        kv: KvFlags,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Change some of a key's settings and custom metadata, keeping the rest
    Patch {
        #[command(flatten)]
        kv: KvFlags,
        #[command(flatten)]
        settings: KvMetadataSettings,
        /// Custom metadata key to remove (repeatable)
        #[arg(long = "remove-custom-metadata", value_name = "K")]
        remove_custom_metadata: Vec<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The settings `kv metadata put` and `kv metadata patch` both take.
#[derive(Args, Debug, Clone)]
pub struct KvMetadataSettings {
    /// Versions to keep (0 = the engine's setting)
    #[arg(long, allow_hyphen_values = true)]
    pub max_versions: Option<String>,
    /// Require check-and-set on every write
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub cas_required: Option<String>,
    /// Time after which a new version is deleted (e.g. 3h25m19s)
    #[arg(long, allow_hyphen_values = true)]
    pub delete_version_after: Option<String>,
    /// Custom metadata key=value to set (repeatable)
    #[arg(long = "custom-metadata", value_name = "K=V")]
    pub custom_metadata: Vec<String>,
}
