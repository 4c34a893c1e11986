//! `pull`, `plan`, `apply` against a real `bao server -dev`: production's JWT config comes
//! home and explains a login offline; a role proved locally reaches the server; after `apply`
//! the same tokens get the same verdicts and policies from both; a second `apply` does
//! nothing; a token without the capabilities stops before the first write.

use crate::common;

use common::{fixture_key, BaoDev, TestEnv};
use serde_json::{json, Value};

struct Both<'a> {
    env: &'a TestEnv,
    addr: String,
}

impl Both<'_> {
    /// On the server, as root.
    fn server(&self, args: &[&str], stdin: Option<&str>) -> common::Out {
        let mut c = self
            .env
            .cmd(args)
            .env("VAULTJWT_ADDR", &self.addr)
            .env("VAULTJWT_TOKEN", "root");
        if let Some(s) = stdin {
            c = c.stdin(s);
        }
        c.run()
    }
    /// `pull`/`plan`/`apply`: the server's token in VAULTJWT_TOKEN.
    fn sync(&self, args: &[&str], token: &str) -> common::Out {
        let addr = format!("-address={}", self.addr);
        let mut all = vec![args[0], addr.as_str()];
        all.extend_from_slice(&args[1..]);
        self.env.cmd(&all).env("VAULTJWT_TOKEN", token).run()
    }
    /// Locally.
    fn local(&self, args: &[&str], stdin: Option<&str>) -> common::Out {
        let mut c = self.env.cmd(args);
        if let Some(s) = stdin {
            c = c.stdin(s);
        }
        c.run()
    }
}

fn verdict(out: &common::Out) -> (bool, Value) {
    if out.code == Some(0) {
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        (true, v["auth"]["policies"].clone())
    } else {
        let msg = out
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("* "))
            .unwrap_or_default()
            .to_string();
        (false, json!(msg))
    }
}

#[test]
fn pull_explain_plan_apply_against_a_server() {
    let Some(bao) = BaoDev::start() else {
        return;
    };
    let env = TestEnv::new();
    let b = Both {
        env: &env,
        addr: bao.addr.clone(),
    };
    // Production: a mount with a config, a role, its policies, an external group.
    b.server(&["auth", "enable", "-path=ci", "jwt"], None)
        .success();
    b.server(
        &[
            "write",
            "auth/ci/config",
            &format!("jwt_validation_pubkeys={}", fixture_key("rsa2048.pub")),
        ],
        None,
    )
    .success();
    b.server(
        &["write", "auth/ci/role/deploy", "-"],
        Some(r#"{"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault", "groups_claim": "groups", "bound_claims": {"env": "prod"}, "token_policies": "deploy", "token_ttl": "1h"}"#),
    )
    .success();
    b.server(
        &["policy", "write", "deploy", "-"],
        Some("path \"secret/*\" { capabilities = [\"read\"] }\n"),
    )
    .success();
    b.server(
        &["policy", "write", "devs", "-"],
        Some("path \"kv/*\" { capabilities = [\"list\"] }\n"),
    )
    .success();
    let g = b
        .server(
            &[
                "write",
                "-format=json",
                "identity/group",
                "name=devs",
                "type=external",
                "policies=devs",
            ],
            None,
        )
        .success()
        .json();
    let gid = g["data"]["id"].as_str().unwrap().to_string();
    let mounts = b
        .server(&["read", "-format=json", "sys/auth"], None)
        .success()
        .json();
    let acc = mounts["data"]["ci/"]["accessor"]
        .as_str()
        .unwrap()
        .to_string();
    b.server(
        &[
            "write",
            "identity/group-alias",
            "name=developers",
            &format!("mount_accessor={acc}"),
            &format!("canonical_id={gid}"),
        ],
        None,
    )
    .success();

    // pull brings it home.
    b.sync(&["pull", "-path=ci"], "root")
        .success()
        .stdout_has("Pulled 1 mount(s), 1 role(s), 2 polic(ies) and 1 group(s)");
    // A second pull into a directory that holds objects is refused, changing nothing.
    let before = env.snapshot();
    b.sync(&["pull", "-path=ci"], "root")
        .code(1)
        .one_line_error()
        .stderr_has("-force");
    assert_eq!(env.snapshot(), before);
    // Nothing differs, and explain works offline against production's exact config.
    b.sync(&["plan"], "root").success().stdout_has("No changes");
    let now = vaultjwt::dev::time::now();
    let good = common::mint_claims(
        json!({"sub": "alice", "aud": "vault", "env": "prod", "groups": ["developers"], "iat": now - 5, "exp": now + 600}),
    );
    let bad = common::mint_claims(
        json!({"sub": "alice", "aud": "vault", "env": "dev", "iat": now - 5, "exp": now + 600}),
    );
    b.local(
        &[
            "jwt",
            "explain",
            "-path=ci",
            "role=deploy",
            &format!("jwt={bad}"),
        ],
        None,
    )
    .code(2)
    .stdout_has("env");

    // A local change reaches the server through plan and apply.
    b.local(
        &["write", "auth/ci/role/deploy", "-"],
        Some(r#"{"role_type": "jwt", "user_claim": "sub", "bound_audiences": "vault", "groups_claim": "groups", "bound_claims": {"env": ["prod", "staging"]}, "token_policies": "deploy,audit", "token_ttl": "2h"}"#),
    )
    .success();
    b.local(
        &["policy", "write", "audit", "-"],
        Some("path \"sys/audit\" { capabilities = [\"read\"] }\n"),
    )
    .success();
    let plan = b.sync(&["plan"], "root");
    plan.success()
        .stdout_has("+ policy sys/policies/acl/audit")
        .stdout_has("~ role auth/ci/role/deploy")
        .stdout_has("token_ttl: 3600 -> 7200");
    // apply asks on a terminal; without one it needs -auto-approve, and changes nothing.
    b.sync(&["apply"], "root").code(1);
    b.sync(&["plan"], "root")
        .stdout_has("Plan: 1 to create, 1 to update");
    // A token without the capabilities stops before the first write, naming what it lacks.
    let weak = b
        .server(
            &["token", "create", "-policy=default", "-field=token"],
            None,
        )
        .success()
        .stdout
        .trim()
        .to_string();
    b.sync(&["apply", "-auto-approve"], &weak)
        .code(2)
        .stderr_has("permission denied");
    b.sync(&["plan"], "root")
        .stdout_has("Plan: 1 to create, 1 to update");
    b.sync(&["apply", "-auto-approve"], "root")
        .success()
        .stdout_has("Apply complete! 1 created, 1 updated, 0 deleted.");
    // Idempotent.
    b.sync(&["apply", "-auto-approve"], "root")
        .success()
        .stdout_has("No changes");

    // The same tokens get the same answers from both.
    let staging = common::mint_claims(
        json!({"sub": "bob", "aud": "vault", "env": "staging", "groups": ["developers"], "iat": now - 5, "exp": now + 600}),
    );
    let wrong_aud = common::mint_claims(
        json!({"sub": "bob", "aud": "x", "env": "prod", "iat": now - 5, "exp": now + 600}),
    );
    for jwt in [&good, &bad, &staging, &wrong_aud] {
        let args = [
            "write",
            "-format=json",
            "auth/ci/login",
            "role=deploy",
            &format!("jwt={jwt}"),
        ];
        let here = verdict(&b.local(&args, None));
        let there = verdict(&b.server(&args, None));
        assert_eq!(here, there, "local and server disagree on a token");
    }
    assert!(
        verdict(&b.server(
            &[
                "write",
                "-format=json",
                "auth/ci/login",
                "role=deploy",
                &format!("jwt={staging}")
            ],
            None
        ))
        .0
    );
}
