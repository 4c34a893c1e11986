//! `completion SHELL` and `-autocomplete-install`: shell completion generated from the clap
//! tree, then taught the vault CLI's conventions: single-dash long flags (`-format=json`, as
//! the README writes them) complete as well as `--format`, and the flags whose values are a
//! fixed set (`-format`, `-preset`, `-alg`, `-method`) complete those values, not file names.

use crate::cli::args::Cli;
use anyhow::{anyhow, Context, Result};
use clap::builder::PossibleValuesParser;
use clap::{Arg, Command, CommandFactory};
use clap_complete::Shell;
use std::path::PathBuf;

/// The flags whose values are one of a fixed set, and the set.
fn enumerated(flag: &str) -> Option<Vec<&'static str>> {
    Some(match flag {
        "format" => vec!["table", "json", "yaml"],
        "preset" => crate::dev::presets::NAMES.to_vec(),
        "alg" => crate::auth::jwt::pem::SUPPORTED_ALGS.to_vec(),
        "method" => vec!["token", "jwt"],
        _ => return None,
    })
}

/// The clap tree for completion only: enumerated values declared (the parser used to run
/// commands keeps reading them itself, with Vault's own error texts).
fn completion_tree() -> Command {
    fn teach(mut cmd: Command) -> Command {
        cmd.build();
        let names: Vec<String> = cmd
            .get_arguments()
            .filter_map(Arg::get_long)
            .map(str::to_string)
            .collect();
        for long in names {
            if let Some(values) = enumerated(&long) {
                cmd = cmd.mut_arg(long.as_str(), |a| {
                    a.value_parser(PossibleValuesParser::new(values))
                });
            }
        }
        let subs: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in subs {
            cmd = cmd.mut_subcommand(name.as_str(), teach);
        }
        cmd
    }
    // The deferred subtrees (`jwt`, `token`, ...) are filled in by `build`.
    let mut cmd = Cli::command();
    cmd.build();
    teach(cmd)
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut cmd = completion_tree();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "vaultjwt", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => format!("{text}{BASH_SINGLE_DASH}"),
        Shell::Zsh => zsh_single_dash(&text),
        Shell::Fish => fish_single_dash(&text),
        _ => text,
    }
}

pub fn run(shell: Shell) -> Result<()> {
    print!("{}", script(shell));
    Ok(())
}

/// bash: a word starting with one dash and a letter is completed as its `--` form, and the
/// answers given back with one dash (`-for<TAB>` → `-format`).
const BASH_SINGLE_DASH: &str = r#"
# Vault's single-dash long flags: `-for` completes as `--for` and answers with one dash; a
# value after `-format ` or `-format=` completes as after `--format `.
_vaultjwt_single_dash() {
    local i cur="${COMP_WORDS[COMP_CWORD]}" prev="$3" strip=""
    if [[ "$cur" == "=" ]]; then
        cur=""
        prev="${COMP_WORDS[COMP_CWORD-1]}"
        COMP_WORDS=("${COMP_WORDS[@]:0:COMP_CWORD}" "")
    elif [[ "$prev" == "=" ]]; then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
        COMP_WORDS=("${COMP_WORDS[@]:0:COMP_CWORD-1}" "$cur")
        COMP_CWORD=$((COMP_CWORD-1))
    fi
    for i in "${!COMP_WORDS[@]}"; do
        if [[ "${COMP_WORDS[$i]}" == -[a-zA-Z]* ]]; then
            COMP_WORDS[$i]="-${COMP_WORDS[$i]}"
        fi
    done
    [[ "$prev" == -[a-zA-Z]* ]] && prev="-$prev"
    if [[ "$cur" == -[a-zA-Z]* ]]; then
        cur="-$cur"
        strip=1
    fi
    _vaultjwt "$1" "$cur" "$prev"
    if [[ -n "$strip" ]]; then
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[$i]="${COMPREPLY[$i]#-}"
        done
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _vaultjwt_single_dash -o nosort -o bashdefault -o default vaultjwt
else
    complete -F _vaultjwt_single_dash -o bashdefault -o default vaultjwt
fi
"#;

/// zsh: every `'--name...` option spec gets a single-dash twin.
fn zsh_single_dash(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(rest) = line.strip_prefix("'--") {
            if rest.starts_with(|c: char| c.is_ascii_alphabetic()) && !rest.starts_with("help") {
                out.push_str("'-");
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    out
}

/// fish: `-l name` (`--name`) also as `-o name` (`-name`).
fn fish_single_dash(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.lines() {
        let mut line = line.to_string();
        if let Some(i) = line.find(" -l ") {
            let name: String = line[i + 4..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            if name != "help" {
                line.insert_str(i + 4 + name.len(), &format!(" -o {name}"));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Where each shell looks for a user's completion script.
fn install_path(shell: Shell) -> Result<PathBuf> {
    let home = dirs::home_dir().ok_or_else(|| anyhow!("Cannot find your home directory"))?;
    let data = dirs::data_dir().unwrap_or_else(|| home.join(".local/share"));
    Ok(match shell {
        Shell::Bash => data.join("bash-completion/completions/vaultjwt"),
        Shell::Zsh => home.join(".zfunc/_vaultjwt"),
        Shell::Fish => dirs::config_dir()
            .unwrap_or_else(|| home.join(".config"))
            .join("fish/completions/vaultjwt.fish"),
        other => return Err(anyhow!("No completion install location for {other}")),
    })
}

/// `vaultjwt -autocomplete-install` (vault's flag): writes the completion script of the
/// user's shell (`$SHELL`) where that shell loads it, creating the directory.
pub fn install(uninstall: bool) -> Result<()> {
    let shell_path = std::env::var("SHELL").unwrap_or_default();
    let shell = match shell_path.rsplit('/').next().unwrap_or("") {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        other => {
            return Err(anyhow!(
                "Error executing CLI: cannot install completion for shell {:?} (bash, zsh and fish are supported; `vaultjwt completion SHELL` prints a script)",
                if other.is_empty() { "unknown" } else { other }
            ))
        }
    };
    let path = install_path(shell)?;
    if uninstall {
        match std::fs::remove_file(&path) {
            Ok(()) => eprintln!("Removed {}", path.display()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("Nothing to remove at {}", path.display())
            }
            Err(e) => return Err(e).with_context(|| format!("Cannot remove {}", path.display())),
        }
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    }
    std::fs::write(&path, script(shell))
        .with_context(|| format!("Cannot write {}", path.display()))?;
    eprintln!("Installed {shell} completion in {}", path.display());
    if shell == Shell::Zsh {
        eprintln!("Add `fpath=(~/.zfunc $fpath); autoload -U compinit; compinit` to ~/.zshrc if it is not there.");
    }
    eprintln!("Start a new shell to use it.");
    Ok(())
}
