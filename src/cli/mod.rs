//! The command-line client: the only part of vaultjwt that knows about argv, stdin, terminals
//! and exit codes. It turns a command into [`Request`]s for the [`Core`] and prints the answers.

pub mod args;
mod commands;
/// The completion script `vaultjwt completion SHELL` prints (for the staleness test).
pub use commands::completion::script as completion_script;
pub mod input;
pub mod kv_args;
pub mod output;
pub mod output_policy;
pub mod yaml;

use crate::core::{Core, Error, Operation, Request, Response};
use crate::settings::Settings;
use crate::storage::{Dir, FileStorage};
use anyhow::{anyhow, Context, Result};
use args::{Cli, OutputFlags};
use output::Format;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Name of the token-helper file (the current token) inside the data directory.
pub const TOKEN_HELPER: &str = "token";

/// Runs the CLI on `args` (including argv\[0\]) and returns the process exit code.
pub fn run(args: Vec<OsString>) -> ExitCode {
    // Vault's `-autocomplete-install` / `-autocomplete-uninstall`, before any command.
    if let Some(flag) = args.get(1).and_then(|a| a.to_str()) {
        let flag = flag.trim_start_matches('-');
        if flag == "autocomplete-install" || flag == "autocomplete-uninstall" {
            return match commands::completion::install(flag == "autocomplete-uninstall") {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => exit_with(&output::local_error(&format!("{e:#}"))),
            };
        }
    }
    // `-output-policy` (anywhere before `--`, as Vault's CLI reads it): see `output_policy`.
    let (args, output_policy) = take_output_policy(args);
    // Vault's CLI reads `-format` wherever it is (before `--`), then each command reads its
    // flags up to its first positional argument (Go's flag package), the rest being arguments.
    let format = args::global_format(&args);
    if let Err(msg) = check_formats(format.as_deref()) {
        return exit_with(&output::local_error(&msg));
    }
    let after_dashdash = args.iter().skip(1).any(|a| a == "--");
    let split = if args::may_need_split(&args) {
        args::go_split(&args)
    } else {
        None
    };
    if let Some(warning) = split.as_ref().and_then(args::GoSplit::warning) {
        // Printed as Vault prints it: only for table output.
        let effective = format.clone().or_else(|| {
            std::env::var("VAULTJWT_FORMAT")
                .ok()
                .filter(|f| !f.is_empty())
        });
        if effective.as_deref().unwrap_or("table") == "table" {
            eprintln!("{warning}");
        }
    }
    if let Some(msg) = split.as_ref().and_then(args::GoSplit::too_many) {
        return exit_with(&output::local_error(&msg));
    }
    args::set_global_format(format);
    let original = args.clone();
    let args = args::normalize_split(args, split.as_ref());
    // `Cli::try_parse_from`, except that the command tree is not dropped: freeing clap's
    // tree costs about a sixth of a typical call's CPU time, and the process ends soon.
    let mut command = <Cli as clap::CommandFactory>::command();
    let matches = command.try_get_matches_from_mut(args);
    if let (Ok(m), false) = (&matches, after_dashdash) {
        if let Some(flag) = leading_unknown_flag(&command, m) {
            std::mem::forget(command);
            return exit_with(&output::local_error(&format!(
                "flag provided but not defined: {}",
                go_flag_name(&flag)
            )));
        }
    }
    let parsed = matches.and_then(|mut m| {
        <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut m)
            .map_err(|e| e.format(&mut <Cli as clap::CommandFactory>::command()))
    });
    std::mem::forget(command);
    let cli = match parsed {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            print!("{}", vault_style_help(&e.render().to_string()));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // An argument too many for a command that takes a fixed number: Vault's words.
            let counted = match e.kind() {
                clap::error::ErrorKind::UnknownArgument => {
                    args::go_split(&original).and_then(|s| s.too_many())
                }
                clap::error::ErrorKind::MissingRequiredArgument => {
                    args::go_split(&original).and_then(|s| s.not_enough())
                }
                _ => None,
            };
            if let Some(msg) = counted {
                return exit_with(&output::local_error(&msg));
            }
            return exit_with(&output::local_error(&usage_error(&e)));
        }
    };
    if !output_policy {
        return match commands::dispatch(cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => exit_with(&e),
        };
    }
    // As Vault's CLI: what the command prints on stderr is held back, and shown only when no
    // request was made.
    output_policy::enable();
    let held = StderrHold::start();
    let code = match commands::dispatch(cli) {
        Ok(()) => 0,
        Err(e) => print_error(&e),
    };
    let held = held.map(StderrHold::finish).unwrap_or_default();
    if let Some(policy) = output_policy::policy() {
        println!("{policy}");
        return ExitCode::SUCCESS;
    }
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = err.write_all(&held);
    if code == 0 {
        let _ = write!(err, "Could not generate policy");
        return ExitCode::from(output::EXIT_LOCAL);
    }
    let _ = writeln!(err, "Unable to generate policy from command");
    ExitCode::from(code)
}

/// Removes `-output-policy`/`--output-policy` from the command line (before `--`); true when
/// there was one.
fn take_output_policy(args: Vec<OsString>) -> (Vec<OsString>, bool) {
    let mut found = false;
    let mut rest = false;
    let mut out = Vec::with_capacity(args.len());
    for (i, a) in args.into_iter().enumerate() {
        if i > 0 && !rest {
            if a == "--" {
                rest = true;
            } else if a == "-output-policy" || a == "--output-policy" {
                found = true;
                continue;
            }
        }
        out.push(a);
    }
    (out, found)
}

/// stderr redirected to an unlinked temporary file, to be shown later or not.
struct StderrHold {
    saved: i32,
    file: std::fs::File,
}

impl StderrHold {
    fn start() -> Option<StderrHold> {
        use std::os::fd::AsRawFd;
        let path = std::env::temp_dir().join(format!(
            ".vaultjwt-stderr-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .ok()?;
        let _ = std::fs::remove_file(&path);
        // SAFETY: plain descriptor calls on descriptors this process owns.
        unsafe {
            let saved = libc::dup(2);
            if saved < 0 {
                return None;
            }
            if libc::dup2(file.as_raw_fd(), 2) < 0 {
                libc::close(saved);
                return None;
            }
            Some(StderrHold { saved, file })
        }
    }

    /// Puts stderr back and returns what was written to it meanwhile.
    fn finish(mut self) -> Vec<u8> {
        use std::io::{Read, Seek};
        // SAFETY: `saved` is the descriptor `start` duplicated from stderr.
        unsafe {
            libc::dup2(self.saved, 2);
            libc::close(self.saved);
        }
        let mut buf = Vec::new();
        let _ = self.file.rewind();
        let _ = self.file.read_to_end(&mut buf);
        buf
    }
}

/// clap's help in the words the documentation uses: `-flag` for `--flag` (both work), and a
/// boolean flag without its optional `[=<VALUE>]` (`-no-store`, `-no-store=false`). Each
/// replacement keeps the text's width, so the columns stay aligned.
pub fn vault_style_help(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut l = line.to_string();
        while let Some(i) = l.find("[=<") {
            let Some(len) = l[i..].find(">]").map(|j| j + 2) else {
                break;
            };
            l.replace_range(i..i + len, &" ".repeat(len));
        }
        // ` --flag` / `[--flag` → `  -flag` / `[ -flag`... only where a long flag starts.
        let bytes: Vec<char> = l.chars().collect();
        let mut fixed = String::with_capacity(l.len());
        let mut i = 0;
        while i < bytes.len() {
            let starts_flag = bytes[i] == '-'
                && bytes.get(i + 1) == Some(&'-')
                && bytes.get(i + 2).is_some_and(|c| c.is_ascii_lowercase())
                && (i == 0 || matches!(bytes[i - 1], ' ' | '[' | '('));
            if starts_flag {
                fixed.push(' ');
                fixed.push('-');
                i += 2;
                continue;
            }
            fixed.push(bytes[i]);
            i += 1;
        }
        out.push_str(&fixed);
    }
    out
}

/// Validates `-format` and `VAULTJWT_FORMAT` before anything is opened or sent, so a typo
/// changes nothing (Vault only notices after the request).
fn check_formats(flag: Option<&str>) -> std::result::Result<(), String> {
    if let Some(v) = flag {
        Format::parse(v)?;
    }
    if let Ok(v) = std::env::var("VAULTJWT_FORMAT") {
        if !v.is_empty() {
            Format::parse(&v)?;
        }
    }
    Ok(())
}

/// A local failure as one line, as Vault's CLI words them (`Invalid output format: x`,
/// `Error reading source file: ...`): the first letter upper-cased, no `Error:` prefix.
/// The one place an error is written to stderr: prints a command's error and gives its exit
/// code. An [`output::Failure`] is printed as its variant says (Vault's API error block, a
/// local error, a message with its own code, or nothing when the command printed its output
/// already); any other error is a local error (exit 1) in [`local_error`]'s words.
fn print_error(e: &anyhow::Error) -> u8 {
    use std::io::Write;
    let local;
    let failure = match e.downcast_ref::<output::Failure>() {
        Some(f) => f,
        None => {
            local = output::Failure::Local(local_error(e));
            &local
        }
    };
    let text = failure.text();
    if !text.is_empty() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
    failure.code()
}

/// [`print_error`], as the process's exit code.
fn exit_with(e: &anyhow::Error) -> ExitCode {
    ExitCode::from(print_error(e))
}

pub fn local_error(e: &anyhow::Error) -> String {
    let msg = format!("{e:#}");
    let msg = msg.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = msg.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => "Unknown error".to_string(),
    }
}

/// A flag as Go's flag package names it in an error: without its value, with one dash
/// (`normalize` turned Vault's `-x=1` into `--x=1`).
fn go_flag_name(arg: &str) -> &str {
    let name = arg.split('=').next().unwrap_or(arg);
    name.strip_prefix('-')
        .filter(|n| n.starts_with('-') && n.len() > 2)
        .unwrap_or(name)
}

/// Go's flag parsing reads flags up to the first argument that is not one, so an unknown
/// `-x` there is an error. clap, for a positional list that takes values starting with `-`
/// (`allow_hyphen_values`: token values, `k=-1`, `-` for stdin), hands it to that list
/// instead: returns the first positional value of the command that was run when it looks
/// like a flag (a known flag would have been taken by clap).
fn leading_unknown_flag(command: &clap::Command, matches: &clap::ArgMatches) -> Option<String> {
    let (mut cmd, mut m) = (command, matches);
    while let Some((name, sub)) = m.subcommand() {
        cmd = cmd.find_subcommand(name)?;
        m = sub;
    }
    let mut positionals: Vec<&clap::Arg> = cmd.get_positionals().collect();
    positionals.sort_by_key(|a| a.get_index());
    let first = positionals
        .iter()
        .find_map(|a| m.get_raw(a.get_id().as_str())?.next())?
        .to_str()?;
    (first.len() > 1 && first.starts_with('-')).then(|| first.to_string())
}

/// A clap usage error as one line, in Vault's words where Vault has them
/// (`flag provided but not defined: -x`).
pub fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = ctx(ContextKind::InvalidArg);
            format!("flag provided but not defined: {}", go_flag_name(&arg))
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "Not enough arguments: missing {}",
                ctx(ContextKind::InvalidArg)
            )
        }
        ErrorKind::InvalidSubcommand => {
            let suggested = ctx(ContextKind::SuggestedSubcommand);
            let hint = if suggested.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {suggested:?}?)")
            };
            format!(
                "unknown command {:?}{hint}: see 'vaultjwt --help'",
                ctx(ContextKind::InvalidSubcommand)
            )
        }
        _ => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid usage")
                .trim();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            let mut c = first.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => "Invalid usage".to_string(),
            }
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

/// Where a session's requests are answered: the local core over the data directory, or a
/// real OpenBao/Vault server (remote mode). Both answer in the core's shapes, so the commands
/// and the printer do not care which.
pub enum Engine {
    Local(Core),
    Remote(Box<crate::client::Client>),
}

/// The HTTP options of this run (set once by `commands::dispatch`).
static HTTP_FLAGS: std::sync::OnceLock<args::HttpFlags> = std::sync::OnceLock::new();

pub fn set_http_flags(flags: args::HttpFlags) {
    let _ = HTTP_FLAGS.set(flags);
}

/// One session: settings, the engine, and the caller's token.
pub struct Session {
    pub dir: PathBuf,
    pub engine: Engine,
    settings: Settings,
    /// The token requests are made with: `VAULTJWT_TOKEN`, else the token helper (in remote
    /// mode, the one kept for that server's address).
    pub token: Option<String>,
}

impl Session {
    /// The session a command runs in: remote when an address is given (the flag,
    /// `VAULTJWT_ADDR`, `address` in config.toml), else the local data directory.
    pub fn open(flag: Option<&Path>) -> Result<Session> {
        let dir = data_dir(flag)?;
        let settings = Settings::load(&dir)?;
        match Self::address(&settings) {
            Some(address) => Self::open_remote(dir, settings, &address),
            None => Self::open_local_in(dir, settings),
        }
    }

    /// The local data directory, whatever address is configured (`pull`, `plan`, `apply`),
    /// with its own token helper's token: `VAULTJWT_TOKEN` is the server's there.
    pub fn open_local(flag: Option<&Path>) -> Result<Session> {
        let dir = data_dir(flag)?;
        let settings = Settings::load(&dir)?;
        let mut s = Self::open_local_in(dir, settings)?;
        s.token = read_token_helper(&s.dir)?;
        Ok(s)
    }

    /// The server, which must be given (`pull`, `plan`, `apply`); `what` names the command.
    pub fn open_server(flag: Option<&Path>, what: &str) -> Result<Session> {
        let dir = data_dir(flag)?;
        let settings = Settings::load(&dir)?;
        let address = Self::address(&settings).ok_or_else(|| {
            anyhow!("{what} needs a server: -address=URL, VAULTJWT_ADDR, or address in config.toml")
        })?;
        Self::open_remote(dir, settings, &address)
    }

    fn address(settings: &Settings) -> Option<String> {
        let flags = HTTP_FLAGS.get().cloned().unwrap_or_default();
        flags
            .address
            .filter(|a| !a.is_empty())
            .or_else(|| settings.address.clone())
    }

    fn env_token() -> Option<String> {
        match std::env::var("VAULTJWT_TOKEN") {
            Ok(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    }

    /// Remote mode: nothing in the data directory is created or changed, and the local root
    /// token is never sent.
    fn open_remote(dir: PathBuf, settings: Settings, address: &str) -> Result<Session> {
        set_server_name(&settings);
        let flags = HTTP_FLAGS.get().cloned().unwrap_or_default();
        let token = match Self::env_token() {
            Some(t) => Some(t),
            None => read_remote_token(&dir, address)?,
        };
        let client = crate::client::Client::new(remote_config(address, &flags)?)
            .map_err(|e| anyhow!("{}", e.message()))?;
        Ok(Session {
            dir,
            engine: Engine::Remote(Box::new(client)),
            settings,
            token,
        })
    }

    fn open_local_in(dir: PathBuf, settings: Settings) -> Result<Session> {
        set_server_name(&settings);
        // Refused unless it is the caller's own and nobody else can write to it; everything
        // in it is reached from this handle without following links.
        let data = Dir::open_trusted(&dir, "data directory").map_err(|e| anyhow!(e))?;
        let storage = FileStorage::open_in(&data, true).map_err(|e| anyhow!("{e}"))?;
        let mut core = Core::new(Box::new(storage), settings.clone());
        // The root token is in the token helper before the store is marked initialised, so
        // a kill in between cannot leave a directory whose root token nobody has.
        let mut helper_error = None;
        let init = core.initialize_with(|root| {
            write_token_helper_in(&data, root).map_err(|e| {
                let msg = format!("{e:#}");
                helper_error = Some(e);
                Error::internal(msg)
            })
        });
        if let Some(e) = helper_error {
            return Err(e);
        }
        let root =
            init.map_err(|e| anyhow!("cannot initialise {}: {}", dir.display(), e.message()))?;
        if let Some(root) = root {
            // `vault server -dev` shows its root token; so does a new data directory, once, on
            // stderr (stdout stays the command's). Strict mode's output stays OpenBao's.
            if core.settings.compat != crate::settings::Compat::OpenBao {
                eprint!("{}", init_banner(&dir, &root));
            }
        }
        let token = match Self::env_token() {
            Some(t) => Some(t),
            None => read_token_helper_in(&data)?,
        };
        Ok(Session {
            dir,
            engine: Engine::Local(core),
            settings,
            token,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// In remote mode, sends the session's requests to another address of the same cluster
    /// (the active node), with the same options and token.
    pub fn retarget(&mut self, address: &str) -> Result<()> {
        let flags = HTTP_FLAGS.get().cloned().unwrap_or_default();
        let client = crate::client::Client::new(remote_config(address, &flags)?)
            .map_err(|e| anyhow!("{}", e.message()))?;
        self.engine = Engine::Remote(Box::new(client));
        Ok(())
    }

    /// Whether requests go to a real server.
    pub fn is_remote(&self) -> bool {
        matches!(self.engine, Engine::Remote(_))
    }

    /// Answers one request, locally or on the server.
    pub fn handle(&mut self, req: Request) -> std::result::Result<Option<Response>, Error> {
        // `-output-policy` captures the first request instead of sending it.
        if output_policy::capture(req.operation, &req.path) {
            return Err(Error::bad_request("output a policy, please"));
        }
        match &mut self.engine {
            Engine::Local(core) => core.handle(req),
            Engine::Remote(client) => {
                let curl = HTTP_FLAGS
                    .get()
                    .and_then(|f| f.output_curl_string)
                    .unwrap_or(false);
                if curl {
                    // As the vault CLI: the first request's curl command, and nothing sent.
                    println!("{}", client.curl_string(&req, "vaultjwt")?);
                    std::process::exit(0);
                }
                client.send(&req)
            }
        }
    }

    /// `path-help`: the path's help text, from its declaration (local) or the server's
    /// `?help=1` answer (remote).
    pub fn help(&mut self, path: &str) -> std::result::Result<Option<String>, Error> {
        let token = self.token.clone();
        match &mut self.engine {
            Engine::Local(core) => core.help(path, token.as_deref()),
            Engine::Remote(client) => {
                let mut q = serde_json::Map::new();
                q.insert("help".into(), serde_json::Value::from("1"));
                let (status, body) = client.raw(Operation::Read, path, &q, token.as_deref())?;
                let resp =
                    crate::client::decode(Operation::Update, status, body, client.address())?;
                Ok(resp
                    .and_then(|r| r.data)
                    .and_then(|d| d.get("help").and_then(|h| h.as_str()).map(str::to_string)))
            }
        }
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
        self.handle(req)
    }

    /// As [`Session::request`], for a vaultjwt command using vaultjwt's own endpoints
    /// (`jwt explain`), which answer it in strict mode too.
    pub fn request_extension(
        &mut self,
        op: Operation,
        path: &str,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> std::result::Result<Option<Response>, Error> {
        let mut req = Request::new(op, path)
            .with_data(data)
            .with_token(self.token.clone());
        req.extension = true;
        self.handle(req)
    }

    /// Keeps `token` as the current one: the data directory's token helper, or in remote
    /// mode the token kept for the server's address.
    pub fn store_token(&self, token: &str) -> Result<()> {
        match &self.engine {
            Engine::Local(_) => write_token_helper(&self.dir, token),
            Engine::Remote(c) => write_remote_token(&self.dir, c.address(), token),
        }
    }

    /// The output format: the flag, else `VAULTJWT_FORMAT` / `config.toml`, else table.
    pub fn format(&self, out: &OutputFlags) -> Result<Format> {
        let f = out
            .format
            .clone()
            .or_else(args::format_flag)
            .or_else(|| self.settings().format.clone())
            .unwrap_or_default();
        Format::parse(&f).map_err(|e| anyhow!(e))
    }
}

/// What a data directory's first command prints on stderr: where the root token is kept,
/// the token itself (as `vault server -dev` shows it) and how to get another one.
pub fn init_banner(dir: &Path, root: &str) -> String {
    format!(
        "Initialised a new data directory, as `vault server -dev` starts:\n    {}\n\
         You are its operator: the root token below is stored as the current token (the token\n\
         helper). A later `login` replaces it; `vaultjwt operator generate-root -local` makes\n\
         another.\n\
         \n\
         Root Token: {root}\n\
         \n",
        dir.display()
    )
}

pub fn read_token_helper(dir: &Path) -> Result<Option<String>> {
    read_token_helper_in(&Dir::open_trusted(dir, "data directory").map_err(|e| anyhow!(e))?)
}

/// The token helper of the data directory `data` (a regular file; a link is refused).
fn read_token_helper_in(data: &Dir) -> Result<Option<String>> {
    let path = data.join(TOKEN_HELPER);
    match data.read(TOKEN_HELPER) {
        Ok(Some(t)) => {
            Ok(Some(String::from_utf8_lossy(&t).trim().to_string()).filter(|t| !t.is_empty()))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read token helper {}", path.display())),
    }
}

/// Stores `token` as the current token (0600), atomically.
pub fn write_token_helper(dir: &Path, token: &str) -> Result<()> {
    write_token_helper_in(
        &Dir::open_trusted(dir, "data directory").map_err(|e| anyhow!(e))?,
        token,
    )
}

fn write_token_helper_in(data: &Dir, token: &str) -> Result<()> {
    // Written under the storage lock, with a temp file in the storage's `.tmp/`, which
    // `FileStorage::open` clears of a killed writer's leftovers; a link at its path is
    // replaced, never followed.
    crate::storage::write_beside(data, TOKEN_HELPER, token.as_bytes()).with_context(|| {
        format!(
            "cannot write token helper {}",
            data.join(TOKEN_HELPER).display()
        )
    })
}

fn set_server_name(settings: &Settings) {
    output::set_server_name(match settings.compat {
        crate::settings::Compat::OpenBao => "OpenBao",
        crate::settings::Compat::Default => "Vault",
    });
}

impl crate::client::sync::Api for Session {
    fn call(
        &mut self,
        op: Operation,
        path: &str,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> std::result::Result<Option<Response>, Error> {
        self.request(op, path, data)
    }
}

/// The client configuration of remote mode from the HTTP options.
fn remote_config(address: &str, flags: &args::HttpFlags) -> Result<crate::client::Config> {
    let mut cfg = crate::client::Config::new(address);
    cfg.namespace = flags.namespace.clone().filter(|n| !n.is_empty());
    cfg.ca_cert = flags.ca_cert.clone();
    cfg.ca_path = flags.ca_path.clone();
    cfg.client_cert = flags.client_cert.clone();
    cfg.client_key = flags.client_key.clone();
    cfg.tls_skip_verify = flags.tls_skip_verify.unwrap_or(false);
    if cfg.tls_skip_verify {
        eprintln!("WARNING! -tls-skip-verify: the server's certificate is not verified.");
    }
    if let Some(t) = flags.client_timeout.as_deref().filter(|t| !t.is_empty()) {
        let secs = crate::core::fields::parse_duration(t)
            .map_err(|e| anyhow!("invalid -client-timeout {t:?}: {e}"))?;
        cfg.timeout = std::time::Duration::from_secs(secs.max(1) as u64);
    }
    if let Ok(n) = std::env::var("VAULTJWT_MAX_RETRIES") {
        cfg.max_retries = n
            .trim()
            .parse()
            .map_err(|_| anyhow!("invalid VAULTJWT_MAX_RETRIES {n:?}: expected a whole number"))?;
    }
    cfg.wrap_ttl = flags.wrap_ttl.clone().filter(|w| !w.is_empty());
    for h in &flags.header {
        // Go's flag package and Vault's `StringMapVar`, then the client's own rule.
        let Some((k, v)) = h.split_once('=') else {
            return Err(output::Failure::Exit {
                code: output::EXIT_LOCAL,
                message: format!(
                    "invalid value {} for flag -header: missing = in KV pair: {}",
                    crate::framework::go::go_quote(h),
                    crate::framework::go::go_quote(h)
                ),
            }
            .into());
        };
        if k.starts_with("X-Vault-") {
            return Err(output::Failure::Exit {
                code: output::EXIT_REQUEST,
                message: format!(
                    "failed to setup Headers[{k}]: Header starting by 'X-Vault-' are for internal usage only"
                ),
            }
            .into());
        }
        cfg.headers.push((k.to_string(), v.to_string()));
    }
    cfg.tls_server_name = flags.tls_server_name.clone().filter(|n| !n.is_empty());
    Ok(cfg)
}

/// Where the token for a server is kept: `remote-tokens/<address as a file name>`.
/// The data directory's folder of tokens kept per server address.
const REMOTE_TOKENS: &str = "remote-tokens";

fn remote_token_path(dir: &Path, address: &str) -> PathBuf {
    let name: String = address
        .trim_end_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(REMOTE_TOKENS).join(name)
}

fn read_remote_token(dir: &Path, address: &str) -> Result<Option<String>> {
    let path = remote_token_path(dir, address);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let read = || -> std::io::Result<Option<Vec<u8>>> {
        let Some(data) = Dir::open_existing(dir)? else {
            return Ok(None);
        };
        let Some(tokens) = data.sub(REMOTE_TOKENS, false)? else {
            return Ok(None);
        };
        tokens.read(name)
    };
    match read() {
        Ok(t) => Ok(t
            .map(|t| String::from_utf8_lossy(&t).trim().to_string())
            .filter(|t| !t.is_empty())),
        Err(e) => Err(anyhow!(
            "cannot read token helper {}: {}",
            path.display(),
            crate::storage::io_text(&e)
        )),
    }
}

/// Keeps the token for a server (0600, in a 0700 directory of the data directory), written
/// to a temp file and renamed, never through a link.
fn write_remote_token(dir: &Path, address: &str, token: &str) -> Result<()> {
    use std::io::Write;
    let path = remote_token_path(dir, address);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let data = Dir::open_trusted(dir, "data directory").map_err(|e| anyhow!(e))?;
    let write = || -> std::io::Result<()> {
        let tokens = data
            .sub(REMOTE_TOKENS, true)?
            .ok_or(std::io::ErrorKind::NotFound)?;
        let tmp = format!(".tmp-{}-{}", std::process::id(), uuid::Uuid::new_v4());
        let res = (|| {
            let mut f = tokens.create_new(&tmp)?;
            f.write_all(token.as_bytes())?;
            f.sync_all()?;
            drop(f);
            tokens.rename(&tmp, &tokens, name)
        })();
        if res.is_err() {
            let _ = tokens.remove_file(&tmp);
        }
        res
    };
    write().map_err(|e| {
        anyhow!(
            "cannot write token helper {}: {}",
            path.display(),
            crate::storage::io_text(&e)
        )
    })
}
