//! `pull`, `plan`, `apply`: the JWT side of a real server and of the data directory, moved
//! from one to the other (see `client::sync`).

use crate::cli::{output, Session};
use crate::client::sync::{self, Action, Api, State};
use anyhow::{anyhow, Result};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// `pull -address=URL [-path=M ...] [-home DIR] [-force]`: the server's JWT side into the data
/// directory. Every object is first written to a scratch engine in memory, so a refusal
/// leaves the data directory untouched; then the data directory is changed.
pub fn pull(dir: Option<&Path>, paths: &[String], force: bool) -> Result<()> {
    let mut server = Session::open_server(dir, "pull")?;
    let address = server_address(&server);
    let remote = match sync::read_state(&mut server, paths) {
        Ok(s) => s,
        Err(e) => {
            return Err(output::api_error(
                &format!("Error reading from {address}"),
                &e,
            ))
        }
    };
    if remote.mounts.is_empty() {
        let what = if paths.is_empty() {
            "no jwt auth mount".to_string()
        } else {
            format!("no jwt auth mount at {}", paths.join(", "))
        };
        return Err(output::local_error(&format!(
            "Error: {address} has {what}: nothing to pull"
        )));
    }
    // A dry run on a scratch engine: every object must be accepted before any is written.
    let mut scratch = Scratch::new(server.settings().clone())?;
    let everything = sync::diff(&remote, &State::default(), false);
    if let Err(e) = sync::apply(&everything, &remote, &mut scratch, true, |_| {}) {
        return Err(output::api_error(
            "Error: the server's objects cannot be used locally",
            &e,
        ));
    }
    let mut local = Session::open_local(dir)?;
    let here = match sync::read_state(&mut local, &[]) {
        Ok(s) => s,
        Err(e) => return Err(output::api_error("Error reading the data directory", &e)),
    };
    if !here.is_empty() && !force {
        return Err(output::local_error(&format!(
            "Error: {} already holds JWT mounts, policies or groups: pull -force replaces them, or pull -home=DIR into a new data directory",
            local.dir.display()
        )));
    }
    let plan = sync::diff(&remote, &here, force);
    if let Err(e) = sync::apply(&plan, &remote, &mut local, true, |_| {}) {
        return Err(output::api_error("Error writing the data directory", &e));
    }
    println!(
        "Success! Pulled {} mount(s), {} role(s), {} polic(ies) and {} group(s) from {address} into {}",
        remote.mounts.len(),
        remote.roles.len(),
        remote.policies.len(),
        remote.groups.len(),
        local.dir.display()
    );
    Ok(())
}

/// `plan` (`confirm: None`) and `apply` (`Some(auto_approve)`): what would make the server
/// match the local state, and doing it.
pub fn plan(
    dir: Option<&Path>,
    paths: &[String],
    prune: bool,
    confirm: Option<bool>,
) -> Result<()> {
    let mut local = Session::open_local(dir)?;
    let mut server = Session::open_server(dir, if confirm.is_some() { "apply" } else { "plan" })?;
    // A standby of an HA cluster answers reads from its own, possibly older, copy and
    // forwards writes: plan and apply talk to the active node, so that they read what they
    // wrote.
    to_active_node(&mut server)?;
    let address = server_address(&server);
    let mine = match sync::read_state(&mut local, paths) {
        Ok(s) => s,
        Err(e) => return Err(output::api_error("Error reading the data directory", &e)),
    };
    let paths: Vec<String> = if paths.is_empty() {
        mine.mounts.keys().cloned().collect()
    } else {
        paths.to_vec()
    };
    let theirs = if paths.is_empty() {
        State::default()
    } else {
        match sync::read_state(&mut server, &paths) {
            Ok(s) => s,
            Err(e) => {
                return Err(output::api_error(
                    &format!("Error reading from {address}"),
                    &e,
                ))
            }
        }
    };
    let plan = sync::diff(&mine, &theirs, prune);
    print!("{}", plan.render());
    let Some(auto_approve) = confirm else {
        return Ok(());
    };
    if plan.is_empty() {
        return Ok(());
    }
    if !auto_approve {
        if !std::io::stdin().is_terminal() {
            return Err(output::local_error(
                "Error: apply asks for confirmation on a terminal; use -auto-approve in scripts",
            ));
        }
        print!("\nApply these changes to {address}? Only 'yes' is accepted: ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() != "yes" {
            println!("Apply cancelled.");
            return Err(output::Failure::Silent(output::EXIT_LOCAL).into());
        }
    }
    let result = sync::apply(&plan, &mine, &mut server, false, |c| {
        let verb = match c.action {
            Action::Create => "created",
            Action::Update(_) => "updated",
            Action::Delete => "deleted",
        };
        println!("{} {}: {verb}", c.kind, c.path);
    });
    match result {
        Ok(()) => {
            let (c, u, d) = plan.counts();
            println!("Apply complete! {c} created, {u} updated, {d} deleted.");
            Ok(())
        }
        Err(e) => Err(output::api_error(
            &format!("Error applying to {address}"),
            &e,
        )),
    }
}

/// Points the session at the cluster's active node when it was given a standby
/// (`sys/leader`); an error when a standby cannot say where the active node is.
fn to_active_node(server: &mut Session) -> Result<()> {
    let given = server_address(server);
    let leader = match server.request(
        crate::core::Operation::Read,
        "sys/leader",
        Default::default(),
    ) {
        Ok(r) => r.and_then(|r| r.data).unwrap_or_default(),
        // An old server, or one that does not say: use it as given.
        Err(_) => return Ok(()),
    };
    let flag = |k: &str| {
        leader
            .get(k)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    };
    if !flag("ha_enabled") || flag("is_self") {
        return Ok(());
    }
    let active = leader
        .get("leader_address")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    if active.is_empty() {
        return Err(output::local_error(&format!(
            "Error: {given} is a standby node that knows no active node to forward to (sys/leader): try again once the cluster has elected one, or give the active node's address"
        )));
    }
    eprintln!("{given} is a standby node: using the active node {active}");
    server.retarget(&active)?;
    Ok(())
}

fn server_address(s: &Session) -> String {
    match &s.engine {
        crate::cli::Engine::Remote(c) => c.address().to_string(),
        crate::cli::Engine::Local(_) => s.dir.display().to_string(),
    }
}

/// A local engine in memory, with its root token.
struct Scratch {
    core: crate::core::Core,
    root: String,
}

impl Scratch {
    fn new(settings: crate::settings::Settings) -> Result<Scratch> {
        let storage = crate::storage::MemoryStorage::default();
        let mut core = crate::core::Core::new(Box::new(storage), settings);
        let root = core
            .initialize()
            .map_err(|e| anyhow!("{}", e.message()))?
            .unwrap_or_default();
        Ok(Scratch { core, root })
    }
}

impl Api for Scratch {
    fn call(
        &mut self,
        op: crate::core::Operation,
        path: &str,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> crate::core::Result<Option<crate::core::Response>> {
        self.core.handle(
            crate::core::Request::new(op, path)
                .with_data(data)
                .with_token(Some(self.root.clone())),
        )
    }
}
