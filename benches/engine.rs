//! Criterion benchmarks of the engine, in process (no CLI start-up, no disk):
//! - `login/<alg>`: a whole `auth/<mount>/login` through `Core::handle` on memory storage
//!   (config and role read, PEM parsed, signature verified, claims checked, entity found,
//!   token created), for each of the ten algorithms;
//! - `bound_claims/glob`: `bound_claims` glob matching over a GitHub-Actions-like claim set;
//! - `policy/*`: parsing and evaluating a policy of 1,000 path rules.
//!
//! `cargo bench --bench engine` (add `-- login/` to filter). `cargo test` only builds it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use criterion::{criterion_group, criterion_main, Criterion};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Map, Value};
use std::hint::black_box;
use vaultjwt::core::{Core, Operation, Request};
use vaultjwt::policy::parse::parse;
use vaultjwt::policy::Acl;
use vaultjwt::settings::Settings;
use vaultjwt::storage::MemoryStorage;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Signs `claims` under `alg` with the fixture private key `key`.
fn sign(alg: &str, key: &str, claims: &Value) -> String {
    let header = json!({"alg": alg, "typ": "JWT"});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let pem = fixture(key);
    let sig = if alg == "ES512" {
        use p521::ecdsa::signature::RandomizedSigner;
        use p521::pkcs8::DecodePrivateKey;
        let secret = p521::SecretKey::from_pkcs8_pem(&pem).expect("P-521 key");
        let sk = p521::ecdsa::SigningKey::from_bytes(&secret.to_bytes()).expect("P-521 key");
        let s: p521::ecdsa::Signature = sk.sign_with_rng(&mut rand::rngs::OsRng, input.as_bytes());
        b64(&s.to_bytes())
    } else {
        let k = match &alg[..2] {
            "RS" | "PS" => EncodingKey::from_rsa_pem(pem.as_bytes()),
            "ES" => EncodingKey::from_ec_pem(pem.as_bytes()),
            _ => EncodingKey::from_ed_pem(pem.as_bytes()),
        }
        .expect("fixture key");
        let a: Algorithm = alg.parse().expect("algorithm");
        jsonwebtoken::crypto::sign(input.as_bytes(), &k, a).expect("sign")
    };
    format!("{input}.{sig}")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn write(core: &mut Core, token: &str, path: &str, data: Value) {
    let req = Request::new(Operation::Update, path)
        .with_data(obj(data))
        .with_token(Some(token.to_string()));
    if let Err(e) = core.handle(req) {
        panic!("{path}: {}", e.message());
    }
}

/// (algorithm, private key, public key) — one mount per public key.
const ALGS: [(&str, &str, &str); 10] = [
    ("RS256", "rsa2048.key", "rsa2048.pub"),
    ("RS384", "rsa2048.key", "rsa2048.pub"),
    ("RS512", "rsa2048.key", "rsa2048.pub"),
    ("PS256", "rsa2048.key", "rsa2048.pub"),
    ("PS384", "rsa2048.key", "rsa2048.pub"),
    ("PS512", "rsa2048.key", "rsa2048.pub"),
    ("ES256", "ecP-256.key", "ecP-256.pub"),
    ("ES384", "ecP-384.key", "ecP-384.pub"),
    ("ES512", "ecP-521.key", "ecP-521.pub"),
    ("EdDSA", "ed25519.key", "ed25519.pub"),
];

fn login(c: &mut Criterion) {
    let mut core = Core::new(Box::<MemoryStorage>::default(), Settings::default());
    let root = core.initialize().expect("init").expect("root token");
    let now = vaultjwt::core::now();
    let claims = json!({
        "sub": "bench-user", "aud": "bench", "iss": "https://bench.example",
        "iat": now, "nbf": now - 60, "exp": now + 86400 * 365,
        "groups": ["dev", "ops"], "email": "bench@example.com",
    });
    let mut group = c.benchmark_group("login");
    for (alg, private, public) in ALGS {
        let mount = format!("jwt-{}", public.trim_end_matches(".pub").to_lowercase());
        if core
            .handle(
                Request::new(Operation::Read, format!("sys/auth/{mount}"))
                    .with_token(Some(root.clone())),
            )
            .is_err()
        {
            write(
                &mut core,
                &root,
                &format!("sys/auth/{mount}"),
                json!({"type": "jwt"}),
            );
            write(
                &mut core,
                &root,
                &format!("auth/{mount}/config"),
                json!({"jwt_validation_pubkeys": [fixture(public)], "bound_issuer": "https://bench.example"}),
            );
            write(
                &mut core,
                &root,
                &format!("auth/{mount}/role/bench"),
                json!({"role_type": "jwt", "user_claim": "sub", "bound_audiences": ["bench"],
                       "groups_claim": "groups", "claim_mappings": {"email": "email"},
                       "token_policies": ["default"], "token_ttl": "1h"}),
            );
        }
        let data = obj(json!({"role": "bench", "jwt": sign(alg, private, &claims)}));
        let path = format!("auth/{mount}/login");
        // The first login creates the entity; the measured ones find it.
        let first =
            core.handle(Request::new(Operation::Update, path.clone()).with_data(data.clone()));
        assert!(
            matches!(&first, Ok(Some(r)) if r.auth.is_some()),
            "{alg}: login failed: {:?}",
            first.err().map(|e| e.message().to_string())
        );
        group.bench_function(alg, |b| {
            b.iter(|| {
                let req = Request::new(Operation::Update, path.clone()).with_data(data.clone());
                black_box(core.handle(req).expect("login"))
            })
        });
    }
    group.finish();
}

fn bound_claims(c: &mut Criterion) {
    // The claims of a GitHub Actions OIDC token.
    let claims = obj(json!({
        "jti": "example-id", "sub": "repo:my-org/my-repo:environment:prod",
        "aud": "https://github.com/my-org", "ref": "refs/heads/main",
        "sha": "example-sha", "repository": "my-org/my-repo", "repository_owner": "my-org",
        "repository_owner_id": "65", "run_id": "2044285683", "run_number": "26",
        "run_attempt": "1", "repository_visibility": "private", "repository_id": "74",
        "actor_id": "12", "actor": "octocat", "workflow": "deploy", "head_ref": "",
        "base_ref": "", "event_name": "push", "ref_type": "branch", "environment": "prod",
        "job_workflow_ref": "my-org/workflows/.github/workflows/deploy.yml@refs/heads/main",
        "runner_environment": "github-hosted", "iss": "https://token.actions.githubusercontent.com",
        "nbf": 1632492967, "exp": 1632493867, "iat": 1632493567,
        "groups": ["dev", "ops", "release-managers"],
        "nested": {"team": {"name": "platform", "tier": 1}},
    }));
    let bound = obj(json!({
        "repository": "my-org/*",
        "ref": ["refs/heads/main", "refs/tags/v*"],
        "environment": ["staging", "prod*"],
        "job_workflow_ref": "my-org/workflows/.github/workflows/*.yml@refs/heads/main",
        "groups": ["admins", "release-*"],
        "/nested/team/name": "plat*",
        "runner_environment": "github-hosted",
    }));
    assert_eq!(
        vaultjwt::auth::jwt::claims::check_bound_claims(&claims, &bound, true),
        Ok(())
    );
    c.bench_function("bound_claims/glob", |b| {
        b.iter(|| vaultjwt::auth::jwt::claims::check_bound_claims(&claims, black_box(&bound), true))
    });
}

/// 1,000 rules: exact paths, `*` prefixes, `+` segment wildcards and a few denies.
fn policy_text() -> String {
    let mut s = String::new();
    for i in 0..1000 {
        let (path, caps) = match i % 4 {
            0 => (format!("secret/data/team-{i}/config"), r#""read""#),
            1 => (
                format!("secret/data/team-{i}/*"),
                r#""create", "read", "update", "list""#,
            ),
            2 => (format!("secret/+/team-{i}/shared/*"), r#""read", "list""#),
            _ => (format!("secret/data/team-{i}/admin"), r#""deny""#),
        };
        s.push_str(&format!(
            "path \"{path}\" {{\n  capabilities = [{caps}]\n}}\n"
        ));
    }
    s
}

fn policy(c: &mut Criterion) {
    let text = policy_text();
    let parsed = parse(&text).expect("policy parses");
    assert_eq!(parsed.paths.len(), 1000);
    let mut group = c.benchmark_group("policy");
    group.bench_function("parse_1000_rules", |b| b.iter(|| parse(black_box(&text))));
    group.bench_function("acl_from_1000_rules", |b| {
        b.iter(|| Acl::from_rules([parsed.paths.as_slice()]))
    });
    let acl = Acl::from_rules([parsed.paths.as_slice()]);
    let paths = [
        "secret/data/team-500/config",   // exact
        "secret/data/team-501/app/db",   // prefix
        "secret/meta/team-502/shared/x", // + wildcard
        "secret/data/team-503/admin",    // deny
        "secret/data/nobody/else",       // no rule
    ];
    assert!(acl.allows(Operation::Read, paths[0]) && !acl.allows(Operation::Read, paths[3]));
    group.bench_function("allows_1000_rules", |b| {
        b.iter(|| {
            paths
                .iter()
                .filter(|p| acl.allows(Operation::Read, black_box(p)))
                .count()
        })
    });
    group.bench_function("capabilities_1000_rules", |b| {
        b.iter(|| acl.capabilities(black_box("secret/meta/team-502/shared/x")))
    });
    group.finish();
}

criterion_group!(benches, login, bound_claims, policy);
criterion_main!(benches);
