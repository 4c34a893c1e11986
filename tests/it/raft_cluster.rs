//! `apply` against a real 3-node OpenBao Raft cluster on loopback: through a standby node,
//! with the active node killed in the middle, then re-run against a surviving node, after
//! which the cluster equals the local state. Skipped (saying why) without a bao binary;
//! `.ci/run` runs it.

use crate::common;

use common::TestEnv;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

struct Node {
    api: String,
    child: Option<Child>,
}

struct Cluster {
    bin: PathBuf,
    nodes: Vec<Node>,
    _dir: tempfile::TempDir,
    unseal_key: String,
    root: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for n in &mut self.nodes {
            if let Some(c) = n.child.as_mut() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

fn bao(bin: &Path, addr: &str, token: &str, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .args(args)
        .env("BAO_ADDR", addr)
        .env("BAO_TOKEN", token)
        .env_remove("VAULT_ADDR")
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run bao")
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("timed out waiting for {what}");
}

/// `sys/health`'s HTTP status of a node (200 active, 429 standby, 503 sealed, ...).
fn health(api: &str) -> u16 {
    use std::io::{Read, Write};
    let hostport = api.trim_start_matches("http://");
    let Ok(mut s) = std::net::TcpStream::connect(hostport) else {
        return 0;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET /v1/sys/health HTTP/1.0\r\nHost: {hostport}\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let bin = common::bao_bin()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let ports: Vec<(u16, u16)> = (0..3).map(|_| (free_port(), free_port())).collect();
        let mut nodes = Vec::new();
        for (i, (api, cluster)) in ports.iter().enumerate() {
            let data = dir.path().join(format!("n{i}"));
            std::fs::create_dir_all(&data).unwrap();
            let joins: String = ports
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (a, _))| {
                    format!(
                        "  retry_join {{\n    leader_api_addr = \"http://127.0.0.1:{a}\"\n  }}\n"
                    )
                })
                .collect();
            let config = format!(
                "storage \"raft\" {{\n  path = \"{}\"\n  node_id = \"n{i}\"\n{joins}}}\n\
                 listener \"tcp\" {{\n  address = \"127.0.0.1:{api}\"\n  cluster_address = \"127.0.0.1:{cluster}\"\n  tls_disable = true\n}}\n\
                 api_addr = \"http://127.0.0.1:{api}\"\ncluster_addr = \"https://127.0.0.1:{cluster}\"\n\
                 disable_mlock = true\n",
                data.display()
            );
            let cfg = dir.path().join(format!("n{i}.hcl"));
            std::fs::write(&cfg, config).unwrap();
            let log = std::fs::File::create(dir.path().join(format!("n{i}.log"))).unwrap();
            let child = Command::new(&bin)
                .args(["server", &format!("-config={}", cfg.display())])
                .env("HOME", dir.path())
                .env_remove("VAULT_ADDR")
                .env_remove("BAO_ADDR")
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("start bao");
            nodes.push(Node {
                api: format!("http://127.0.0.1:{api}"),
                child: Some(child),
            });
        }
        let first = nodes[0].api.clone();
        wait_for("node 0 to listen", 30, || health(&first) != 0);
        let init = bao(
            &bin,
            &first,
            "",
            &[
                "operator",
                "init",
                "-key-shares=1",
                "-key-threshold=1",
                "-format=json",
            ],
        );
        assert!(
            init.status.success(),
            "init: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let init: Value = serde_json::from_slice(&init.stdout).unwrap();
        let unseal_key = init["unseal_keys_b64"][0].as_str().unwrap().to_string();
        let root = init["root_token"].as_str().unwrap().to_string();
        let c = Cluster {
            bin,
            nodes,
            _dir: dir,
            unseal_key,
            root,
        };
        c.unseal(0);
        let first = c.nodes[0].api.clone();
        wait_for("node 0 to become active", 60, || health(&first) == 200);
        for i in 1..3 {
            let api = c.nodes[i].api.clone();
            wait_for("a node to listen", 30, || health(&api) != 0);
            // A joining node needs the unseal key once it has joined.
            wait_for("a node to join and unseal", 60, || {
                c.unseal(i);
                health(&api) == 429
            });
        }
        // Joined nodes start as non-voters (autopilot promotes them once stable): a quorum of
        // the survivors needs all three voting.
        wait_for("three raft voters", 90, || {
            let out = bao(
                &c.bin,
                &c.nodes[0].api,
                &c.root,
                &["operator", "raft", "list-peers", "-format=json"],
            );
            let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
            v["data"]["config"]["servers"]
                .as_array()
                .is_some_and(|s| s.len() == 3 && s.iter().all(|n| n["voter"] == true))
        });
        Some(c)
    }

    fn unseal(&self, i: usize) {
        let _ = bao(
            &self.bin,
            &self.nodes[i].api,
            "",
            &["operator", "unseal", &self.unseal_key],
        );
    }

    fn active(&self) -> usize {
        (0..3)
            .find(|i| self.nodes[*i].child.is_some() && health(&self.nodes[*i].api) == 200)
            .expect("an active node")
    }

    fn standby(&self) -> usize {
        (0..3)
            .find(|i| self.nodes[*i].child.is_some() && health(&self.nodes[*i].api) == 429)
            .expect("a standby node")
    }

    fn kill(&mut self, i: usize) {
        if let Some(mut c) = self.nodes[i].child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn apply_through_a_standby_survives_the_active_node_dying() {
    let Some(mut cluster) = Cluster::start() else {
        return;
    };
    // The local state: a mount, its config, many roles (so that apply takes a while), their
    // policy.
    let env = TestEnv::new();
    env.run(&["auth", "enable", "jwt"]).success();
    env.run(&[
        "write",
        "auth/jwt/config",
        &format!(
            "jwt_validation_pubkeys={}",
            common::fixture_key("rsa2048.pub")
        ),
    ])
    .success();
    env.cmd(&["policy", "write", "deploy", "-"])
        .stdin("path \"secret/*\" { capabilities = [\"read\"] }\n")
        .run()
        .success();
    let roles = 60;
    for i in 0..roles {
        env.run(&[
            "write",
            &format!("auth/jwt/role/r{i:02}"),
            "role_type=jwt",
            "user_claim=sub",
            &format!("bound_audiences=aud{i}"),
            "token_policies=deploy",
        ])
        .success();
    }

    let standby = cluster.standby();
    let active = cluster.active();
    let addr = cluster.nodes[standby].api.clone();
    let mut apply = std::process::Command::new(common::bin())
        .args(["apply", &format!("-address={addr}"), "-auto-approve"])
        .env("VAULTJWT_HOME", &env.data)
        .env("HOME", env.home.path())
        .env("VAULTJWT_TOKEN", &cluster.root)
        .env("VAULTJWT_MAX_RETRIES", "0")
        .env_remove("VAULT_ADDR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apply");
    // Kill the active node once the apply has written something.
    {
        use std::io::BufRead;
        let out = apply.stdout.take().unwrap();
        let mut lines = std::io::BufReader::new(out).lines();
        let mut written = 0;
        for line in lines.by_ref() {
            let line = line.unwrap_or_default();
            if line.contains(": created") || line.contains(": updated") {
                written += 1;
                if written == 5 {
                    cluster.kill(active);
                    break;
                }
            }
        }
        // Drain the rest.
        for _ in lines {}
        if written < 5 {
            let out = apply.wait_with_output().expect("apply");
            panic!(
                "the apply wrote too little to be cut ({written}): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // It may have failed (the active node died) or finished through the new leader.
    let first = apply.wait_with_output().expect("apply");
    eprintln!(
        "first apply: {:?}\n{}",
        first.status.code(),
        String::from_utf8_lossy(&first.stderr)
    );

    // A new leader among the two survivors.
    let survivors: Vec<usize> = (0..3).filter(|i| *i != active).collect();
    let deadline = Instant::now() + Duration::from_secs(90);
    while !survivors
        .iter()
        .any(|i| health(&cluster.nodes[*i].api) == 200)
    {
        if Instant::now() > deadline {
            for i in &survivors {
                let log = std::fs::read_to_string(cluster._dir.path().join(format!("n{i}.log")))
                    .unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(15).collect();
                eprintln!(
                    "node {i}: health {}\n{}",
                    health(&cluster.nodes[*i].api),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
            }
            panic!("no new active node");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let survivor = cluster.nodes[survivors[0]].api.clone();
    let rerun = env
        .cmd(&["apply", &format!("-address={survivor}"), "-auto-approve"])
        .env("VAULTJWT_TOKEN", &cluster.root)
        .run();
    rerun.success();
    // The cluster now equals the local state, seen from every surviving node.
    for i in &survivors {
        let addr = cluster.nodes[*i].api.clone();
        env.cmd(&["plan", &format!("-address={addr}")])
            .env("VAULTJWT_TOKEN", &cluster.root)
            .run()
            .success()
            .stdout_has("No changes");
    }
    let listed = env
        .cmd(&["list", "-format=json", "auth/jwt/role"])
        .env("VAULTJWT_ADDR", &survivor)
        .env("VAULTJWT_TOKEN", &cluster.root)
        .run();
    let keys: Value = listed.success().json();
    assert_eq!(keys.as_array().map(Vec::len), Some(roles));
}
