//! The remote-mode client (`vaultjwt::client`) against a real `bao server -dev` on loopback:
//! requests go out as the vault CLI sends them and the answers come back in the core's shapes.

use crate::common;

use serde_json::{json, Map, Value};
use vaultjwt::client::{Client, Config};
use vaultjwt::core::{Operation, Request};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn client(addr: &str, token: Option<&str>) -> Client {
    let mut cfg = Config::new(addr);
    cfg.token = token.map(str::to_string);
    cfg.max_retries = 0;
    Client::new(cfg).expect("client")
}

#[test]
fn writes_reads_lists_and_errors_against_bao() {
    let Some(bao) = common::BaoDev::start() else {
        return;
    };
    let c = client(&bao.addr, Some("root"));
    let send = |op, path: &str, data: Value| c.send(&Request::new(op, path).with_data(obj(data)));

    // A write with no answer (204), then a read and a list of what it wrote.
    let r = send(Operation::Update, "sys/auth/jwt", json!({"type": "jwt"})).unwrap();
    assert!(r.is_none());
    let r = send(
        Operation::Update,
        "sys/policies/acl/p1",
        json!({"policy": "path \"a\" { capabilities = [\"read\"] }"}),
    )
    .unwrap();
    assert!(r.is_none());
    let r = send(Operation::Read, "sys/policies/acl/p1", json!({}))
        .unwrap()
        .unwrap();
    assert_eq!(r.data.unwrap()["name"], json!("p1"));
    let r = send(Operation::List, "sys/policies/acl", json!({}))
        .unwrap()
        .unwrap();
    let keys = r.data.unwrap()["keys"].clone();
    assert!(keys.as_array().unwrap().contains(&json!("p1")), "{keys}");

    // A read of nothing is None ("No value found").
    assert!(send(Operation::Read, "auth/jwt/role/nope", json!({}))
        .unwrap()
        .is_none());

    // An error keeps Vault's status and messages.
    let e = send(
        Operation::Update,
        "auth/jwt/login",
        json!({"role": "r", "jwt": "x"}),
    )
    .unwrap_err();
    assert_eq!(e.status, 400);
    assert_eq!(e.errors, vec!["could not load configuration".to_string()]);

    // A token create answers with auth, in the core's Auth.
    let r = send(
        Operation::Update,
        "auth/token/create",
        json!({"policies": ["p1"], "ttl": "1h"}),
    )
    .unwrap()
    .unwrap();
    let a = r.auth.unwrap();
    assert!(
        a.client_token.starts_with("s.") || a.client_token.starts_with("hvs."),
        "{}",
        a.client_token
    );
    assert_eq!(a.policies, vec!["default".to_string(), "p1".to_string()]);
    assert_eq!(a.lease_duration, 3600);

    // The token is sent per request when given, else the config's: a bad one is refused.
    let anon = client(&bao.addr, Some("nope"));
    let e = anon
        .send(&Request::new(Operation::Read, "sys/policies/acl/p1"))
        .unwrap_err();
    assert_eq!(e.status, 403);
    let r = anon
        .send(
            &Request::new(Operation::Read, "auth/token/lookup-self")
                .with_token(Some(a.client_token.clone())),
        )
        .unwrap()
        .unwrap();
    assert_eq!(r.data.unwrap()["policies"], json!(["default", "p1"]));

    // Deletes.
    assert!(send(Operation::Delete, "sys/policies/acl/p1", json!({}))
        .unwrap()
        .is_none());
    assert!(send(Operation::Read, "sys/policies/acl/p1", json!({}))
        .unwrap()
        .is_none());
}
