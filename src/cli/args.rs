//! The clap definitions. Vault's single-dash long flags (`-format=json`) are rewritten to
//! `--format=json` by [`normalize`] before clap sees them.

use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

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
    /// An HTTP header sent with every request to the server (repeatable; not X-Vault-*)
    #[arg(long, global = true, value_name = "K=V")]
    pub header: Vec<String>,
    /// The name to use as SNI and to verify the server's certificate with (default: the
    /// address's host)
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        env = "VAULTJWT_TLS_SERVER_NAME",
        hide_env = true
    )]
    pub tls_server_name: Option<String>,
    /// Do not verify the server's certificate (insecure)
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL", env = "VAULTJWT_SKIP_VERIFY", hide_env = true, hide_possible_values = true)]
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
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL", hide_possible_values = true)]
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
    #[command(after_help = "Examples:
  vaultjwt read auth/jwt/config
  vaultjwt read -format=json auth/jwt/role/developer-role
  vaultjwt read -field=token_policies auth/jwt/role/developer-role")]
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
    #[command(after_help = "Examples:
  vaultjwt write auth/jwt/config oidc_discovery_url=\"https://idp/\" bound_issuer=\"https://idp/\"
  vaultjwt write auth/jwt/role/dev role_type=jwt user_claim=sub token_policies=dev
  vaultjwt write auth/jwt/login role=dev jwt=@token.jwt
  echo '{\"bound_claims\": {\"groups\": \"dev*\"}}' | vaultjwt write auth/jwt/role/dev -")]
    Write {
        #[command(flatten)]
        out: OutputFlags,
        /// Allow a write with no data
        #[arg(long, short = 'f')]
        force: bool,
        /// The path, e.g. auth/jwt/role/dev
        path: String,
        /// key=value, key=@FILE (the file's content), key=- (stdin), or - alone for a JSON body on stdin
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        data: Vec<String>,
    },
    /// List the keys at a path
    #[command(after_help = "Examples:
  vaultjwt list auth/jwt/role
  vaultjwt list -format=json identity/entity/id")]
    List {
        #[command(flatten)]
        out: OutputFlags,
        /// The path whose keys to list, e.g. auth/jwt/role
        path: String,
    },
    /// Delete data at a path
    #[command(after_help = "Examples:
  vaultjwt delete auth/jwt/role/dev")]
    Delete {
        #[command(flatten)]
        out: OutputFlags,
        /// The path to delete, e.g. auth/jwt/role/dev
        path: String,
        /// key=value parameters of the request
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
    #[command(after_help = "Examples:
  vaultjwt login -method=jwt role=dev jwt=@token.jwt
  vaultjwt login -jwt=@token.jwt role=dev
  vaultjwt login s.xxxxxxxx")]
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
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        no_store: bool,
        /// Print only the token (implies -no-store)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        token_only: bool,
        /// Print nothing on success
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
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
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
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
    /// The data directory's status, as `vault status` shows a dev server's
    Status {
        #[command(flatten)]
        out: OutputFlags,
        /// (none)
        #[arg(hide = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Print vaultjwt's version and the OpenBao release it answers as
    Version {
        /// (ignored, as Vault ignores them)
        #[arg(hide = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Operator commands: a new root token for the owner of the data directory
    #[command(subcommand)]
    Operator(Deferred<OperatorCommand>),
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Make a new root token and store it as the current token (-local: from the data
    /// directory you own; vaultjwt has no unseal keys)
    GenerateRoot {
        #[command(flatten)]
        out: OutputFlags,
        /// Make the root token from the local data directory (required)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        local: bool,
        /// Do not store the token in the token helper
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        no_store: bool,
    },
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
        /// The auth method's path, e.g. jwt
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
    /// Tune an auth method's lease TTLs, description and token type
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
        /// Type of the tokens the method issues (service, batch, default-service, ...)
        #[arg(long)]
        token_type: Option<String>,
        /// PATH
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
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
        /// The policy's name
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
        /// The policy's name
        name: String,
    },
    /// Check and reformat a policy file in place
    Fmt {
        #[command(flatten)]
        out: OutputFlags,
        /// The policy file (HCL or JSON)
        path: String,
    },
}

/// The flags Vault's CLI reads anywhere on the command line before `--`, whatever the
/// command (`setupEnv` in its command/main.go): they are honoured after positional arguments
/// too, and left out of the "flags must be provided before" warning.
pub const GLOBAL_FLAGS: [&str; 5] = [
    "output-curl-string",
    "output-policy",
    "output-profile",
    "format",
    "detailed",
];

/// The value of the last `-format`/`--format` (`=V` or the next argument) before `--`,
/// lower-cased, as Vault's CLI reads it before any command parses its flags.
pub fn global_format(args: &[OsString]) -> Option<String> {
    let mut found = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let name = a.trim_start_matches('-');
        if a.starts_with('-') && a.len() - name.len() <= 2 {
            if let Some(v) = name.strip_prefix("format=") {
                found = Some(v.to_lowercase());
            } else if name == "format" {
                found = it.next().map(|v| v.to_lowercase());
            }
        }
    }
    found
}

static GLOBAL_FORMAT: OnceLock<Option<String>> = OnceLock::new();

/// Records the command line's [`global_format`] for [`format_flag`]; once per process.
pub fn set_global_format(f: Option<String>) {
    let _ = GLOBAL_FORMAT.set(f);
}

/// The `-format` given anywhere on the command line (see [`global_format`]).
pub fn format_flag() -> Option<String> {
    GLOBAL_FORMAT.get().cloned().flatten()
}

/// Where Go's flag parsing stops for the command a command line runs: Vault's commands read
/// their flags up to the first positional argument, and everything from there on is an
/// argument, `-field=x` and `--` included.
#[derive(Debug, Clone, PartialEq)]
pub struct GoSplit {
    /// Index (in argv) of the first positional argument.
    pub first: usize,
    /// The arguments after it that look like flags and are not [`GLOBAL_FLAGS`]: what Vault
    /// warns about (`Command flags must be provided before positional arguments...`).
    pub trailing_flags: Vec<String>,
    /// The command's number of positional arguments when it is fixed (`auth enable TYPE`),
    /// `None` when the command takes a list and counts them itself.
    pub expected: Option<usize>,
    /// How many positional arguments were given.
    pub given: usize,
    /// How many positional arguments the command requires.
    pub required: usize,
    /// Whether the command takes more than its required arguments (`delete PATH [K=V...]`).
    pub at_least: bool,
}

impl GoSplit {
    /// Vault's warning, when some flag-like argument comes after a positional one.
    pub fn warning(&self) -> Option<String> {
        (!self.trailing_flags.is_empty()).then(|| {
            format!(
                "Command flags must be provided before positional arguments. The following \
                 arguments will not be parsed as flags: [{}]",
                self.trailing_flags.join(",")
            )
        })
    }

    /// Vault's `Not enough arguments (expected N, got M)`.
    pub fn not_enough(&self) -> Option<String> {
        let n = self.required;
        let at_least = if self.at_least { "at least " } else { "" };
        (self.given < n).then(|| {
            format!(
                "Not enough arguments (expected {at_least}{n}, got {})",
                self.given
            )
        })
    }

    /// Vault's `Too many arguments (expected N, got M)`, when the command's count is fixed.
    pub fn too_many(&self) -> Option<String> {
        let n = self.expected?;
        (self.given > n).then(|| format!("Too many arguments (expected {n}, got {})", self.given))
    }
}

/// The commands of vaultjwt's own (no Vault counterpart): their flags go anywhere, as clap
/// reads them.
const OWN_COMMANDS: [&str; 4] = ["jwt", "dev", "demo", "completion"];

/// Whether [`go_split`] can find anything: a flag-like argument after a non-flag one past the
/// command name. Cheap, so that most command lines do not build a second clap tree.
pub fn may_need_split(args: &[OsString]) -> bool {
    let mut seen_word = false;
    for a in args.iter().skip(2) {
        let a = a.to_string_lossy();
        if a == "--" && !seen_word {
            return false;
        }
        if a.starts_with('-') && a.len() > 1 {
            if seen_word {
                return true;
            }
        } else {
            seen_word = true;
        }
    }
    false
}

/// The subcommands of a group whose clap definitions are deferred ([`Deferred`]).
fn expand_group(cmd: &clap::Command) -> clap::Command {
    // A group (`auth`, `lease`, ...) is `Deferred`: building it fills in its subcommands,
    // whichever group it is.
    let mut c = cmd.clone();
    c.build();
    c
}

/// Finds, as Go's flag package would, where the flags of the command being run end (see
/// [`GoSplit`]). `None` for vaultjwt's own commands, when no positional argument is given, or
/// when the user's own `--` comes first.
pub fn go_split(args: &[OsString]) -> Option<GoSplit> {
    use clap::CommandFactory;
    let root = Cli::command();
    let mut cmd = root.clone();
    let mut depth = 0;
    let mut i = 1;
    let strs: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    while i < strs.len() {
        let a = &strs[i];
        if a == "--" {
            return None;
        }
        if a.starts_with('-') && a.len() > 1 {
            let name = a.trim_start_matches('-');
            let (name, has_value) = match name.split_once('=') {
                Some((n, _)) => (n, true),
                None => (name, false),
            };
            let find = |c: &clap::Command| -> Option<clap::Arg> {
                c.get_arguments()
                    .find(|x| {
                        x.get_long() == Some(name)
                            || (name.len() == 1 && x.get_short() == name.chars().next())
                    })
                    .cloned()
            };
            if let Some(arg) = find(&cmd).or_else(|| find(&root)) {
                let takes_next = arg.get_action().takes_values()
                    && !arg.is_require_equals_set()
                    && arg.get_num_args().is_none_or(|r| r.min_values() > 0);
                if takes_next && !has_value {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if let Some(sub) = cmd.find_subcommand(a) {
            if depth == 0 && OWN_COMMANDS.contains(&sub.get_name()) {
                return None;
            }
            cmd = if depth == 0 {
                expand_group(sub)
            } else {
                sub.clone()
            };
            depth += 1;
            i += 1;
            continue;
        }
        break;
    }
    if depth == 0 {
        return None;
    }
    let i = i.min(strs.len());
    let positionals: Vec<&clap::Arg> = cmd.get_positionals().collect();
    let fixed = positionals
        .iter()
        .all(|p| !matches!(p.get_action(), clap::ArgAction::Append) && !p.is_hide_set());
    let required = positionals.iter().filter(|p| p.is_required_set()).count();
    // Vault's `delete` alone says "at least" (its arguments are PATH [K=V...]).
    let at_least = depth == 1 && cmd.get_name() == "delete";
    let trailing_flags = strs[(i + 1).min(strs.len())..]
        .iter()
        .filter(|a| a.starts_with('-') && a.as_str() != "-")
        .filter(|a| {
            let name = a.trim_start_matches('-');
            let name = name.split('=').next().unwrap_or(name);
            !GLOBAL_FLAGS.contains(&name)
        })
        .cloned()
        .collect();
    Some(GoSplit {
        first: i,
        trailing_flags,
        expected: fixed.then_some(positionals.len()),
        given: strs.len() - i,
        required,
        at_least,
    })
}

/// Rewrites Vault's single-dash long flags (`-format=json`, `-detailed`) to clap's `--` form.
/// A lone `-` (stdin), `--`, and everything after `--` are left alone, as are `key=value`
/// arguments, which never start with `-`. With `split`, the arguments from its first
/// positional on are arguments, as Go reads them: `--` goes before them when one looks like a
/// flag, so that clap takes them as they are.
pub fn normalize(args: Vec<OsString>) -> Vec<OsString> {
    normalize_split(args, None)
}

/// [`normalize`], with Go's split of the command line (see [`GoSplit`]).
pub fn normalize_split(args: Vec<OsString>, split: Option<&GoSplit>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len() + 1);
    let mut rest = false;
    for (i, a) in args.into_iter().enumerate() {
        if let Some(sp) = split {
            if i == sp.first && !rest {
                out.push(OsString::from("--"));
                rest = true;
            }
        }
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
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        orphan: bool,
        /// Do not attach the default policy
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
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
        /// Whether the token can be renewed (default: true; -renewable=false)
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = true, hide_possible_values = true, hide_default_value = true)]
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
        /// Look up the current token (the default; OpenBao has no such flag)
        #[arg(long = "self", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        self_: bool,
        /// Treat the argument as an accessor
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        accessor: bool,
        /// TOKEN (or ACCESSOR with -accessor); the current token when none is given
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
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        accessor: bool,
        /// TOKEN (or ACCESSOR with -accessor); the current token when none is given
        #[arg(allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Revoke a token and its children
    Revoke {
        #[command(flatten)]
        out: OutputFlags,
        /// Treat the argument as an accessor
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        accessor: bool,
        /// Revoke the current token
        #[arg(long = "self", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set, default_value_t = false, hide_possible_values = true, hide_default_value = true)]
        self_: bool,
        /// orphan: keep the children (as orphans)
        #[arg(long)]
        mode: Option<String>,
        /// TOKEN (or ACCESSOR with -accessor)
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
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", hide_possible_values = true, hide_default_value = true)]
    pub cas_required: Option<String>,
    /// Time after which a new version is deleted (e.g. 3h25m19s)
    #[arg(long, allow_hyphen_values = true)]
    pub delete_version_after: Option<String>,
    /// Custom metadata key=value to set (repeatable)
    #[arg(long = "custom-metadata", value_name = "K=V")]
    pub custom_metadata: Vec<String>,
}

#[cfg(test)]
mod go_split_tests {
    use super::*;

    fn split(v: &[&str]) -> Option<GoSplit> {
        let args: Vec<OsString> = v.iter().map(OsString::from).collect();
        go_split(&args)
    }

    #[test]
    fn flags_end_at_the_first_positional() {
        let s = split(&["v", "kv", "get", "-mount", "secret", "x", "-field=a"]).unwrap();
        assert_eq!(s.first, 5);
        assert_eq!(s.trailing_flags, ["-field=a"]);
        assert_eq!(s.too_many(), None); // kv get counts its own arguments
        let s = split(&["v", "auth", "enable", "jwt", "-path=x", "-format=json", "-"]).unwrap();
        assert_eq!(s.trailing_flags, ["-path=x"]);
        assert_eq!(
            s.too_many().as_deref(),
            Some("Too many arguments (expected 1, got 4)")
        );
        assert!(s.warning().unwrap().ends_with("[-path=x]"));
        let s = split(&["v", "--data-dir", "d", "write", "-f", "p", "a=1", "--"]).unwrap();
        assert_eq!(
            (s.first, s.trailing_flags.clone()),
            (5, vec!["--".to_string()])
        );
        // A user's `--` first, vaultjwt's own commands, no positional: nothing to split.
        assert_eq!(split(&["v", "read", "--", "p", "-x"]), None);
        assert_eq!(split(&["v", "jwt", "decode", "t", "-format=json"]), None);
        assert_eq!(split(&["v", "auth", "list", "-detailed"]).unwrap().given, 0);
        let s = split(&["v", "policy", "write", "-format=json", "a"]).unwrap();
        assert_eq!(
            s.not_enough().as_deref(),
            Some("Not enough arguments (expected 2, got 1)")
        );
        let s = split(&["v", "delete"]).unwrap();
        assert_eq!(
            s.not_enough().as_deref(),
            Some("Not enough arguments (expected at least 1, got 0)")
        );
        assert!(may_need_split(
            &["v", "read", "p", "--"].map(OsString::from)
        ));
        assert!(!may_need_split(
            &["v", "read", "-format=json", "p"].map(OsString::from)
        ));
    }

    #[test]
    fn format_is_read_anywhere_before_dashdash() {
        let f = |v: &[&str]| global_format(&v.iter().map(OsString::from).collect::<Vec<_>>());
        assert_eq!(
            f(&["v", "read", "p", "-format=JSON"]).as_deref(),
            Some("json")
        );
        assert_eq!(
            f(&["v", "read", "p", "--format", "yaml"]).as_deref(),
            Some("yaml")
        );
        assert_eq!(f(&["v", "read", "p", "--", "-format=json"]), None);
        assert_eq!(f(&["v", "read", "p", "---format=json"]), None);
    }
}
