//! Replays the committed fuzz inputs (fuzz/seeds, fuzz/corpus and fuzz/regressions, one
//! directory per target) through the same library functions the fuzz targets call
//! (`vaultjwt::fuzzing`), so CI catches a regression without running the fuzzer.
//!
//! `cargo test --test it -- --ignored fuzz_corpus::write_seeds` rewrites fuzz/seeds/ (the named,
//! hand-made inputs the corpora were grown from).

use serde_json::{json, Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use vaultjwt::fuzzing;

const TARGETS: [&str; 4] = ["token", "claims", "policy", "kv_args"];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every committed input of `target`, sorted, with its path.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["seeds", "corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() {
                let data = std::fs::read(&p).unwrap();
                out.push((p, data));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_committed_input_runs_without_panic() {
    let mut failures = Vec::new();
    let mut count = 0;
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for target in TARGETS {
        let run = fuzzing::target(target).unwrap();
        let files = inputs(target);
        assert!(!files.is_empty(), "no committed inputs for {target}");
        for (path, data) in files {
            count += 1;
            if std::env::var_os("FUZZ_CORPUS_TRACE").is_some() {
                eprintln!("{}", path.display());
            }
            if let Err(e) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {msg}", path.display()));
            }
        }
    }
    std::panic::set_hook(quiet);
    assert!(
        failures.is_empty(),
        "{} of {count} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn seed(target: &str, name: &str) -> String {
    std::fs::read_to_string(fuzz_dir().join("seeds").join(target).join(name)).unwrap()
}

#[test]
fn valid_seed_tokens_verify_and_tampered_ones_do_not() {
    for name in [
        "valid-rs256.jwt",
        "valid-ps256.jwt",
        "valid-es256.jwt",
        "valid-es384.jwt",
        "valid-eddsa.jwt",
        "valid-json-flattened.jwt",
    ] {
        let t = seed("token", name);
        let v = fuzzing::verify_static(&t).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.claims.get("sub"), Some(&json!("alice")), "{name}");
    }
    // by the JWKS: kid `ed` and the P-384 key without kid
    for name in ["valid-eddsa.jwt", "valid-es384.jwt", "valid-rs256.jwt"] {
        let t = seed("token", name);
        assert!(fuzzing::verify_jwks(&t).is_ok(), "{name} by the JWKS");
    }
    for name in [
        "tampered-signature.jwt",
        "tampered-payload.jwt",
        "alg-none.jwt",
        "hs256-key-confusion.jwt",
        "wrong-key.jwt",
        "crit-unknown.jwt",
        "kid-unknown.jwt",
        "valid-es512.jwt", // no P-521 key in the fixture key sets
    ] {
        let t = seed("token", name);
        let s = fuzzing::verify_static(&t);
        let j = fuzzing::verify_jwks(&t);
        assert!(
            j.is_err(),
            "{name} verified by the JWKS: {:?}",
            j.map(|v| v.claims)
        );
        if name != "kid-unknown.jwt" {
            // static keys ignore the kid
            assert!(s.is_err(), "{name} verified: {:?}", s.map(|v| v.claims));
        }
    }
}

// ---- seeds ---------------------------------------------------------------------------

fn b64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

fn key(name: &str) -> vaultjwt::dev::keys::PrivateKey {
    let pem = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keys")
            .join(name),
    )
    .unwrap();
    vaultjwt::dev::keys::PrivateKey::from_pem(&pem).unwrap()
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn claims() -> Map<String, Value> {
    obj(json!({
        "iss": "https://issuer.example", "sub": "alice", "aud": ["vault", "other"],
        "iat": 1_699_999_990, "nbf": 1_699_999_990, "exp": 1_700_003_600,
        "email": "alice@example.com", "groups": ["devs", "plat-ops"],
        "org": {"team": "platform", "ids": [1, 2.5]}
    }))
}

fn sign(
    key_file: &str,
    alg: &str,
    kid: Option<&str>,
    extra: Value,
    claims: &Map<String, Value>,
) -> String {
    vaultjwt::dev::sign::sign(&key(key_file), alg, kid, &obj(extra), claims).unwrap()
}

fn write(target: &str, name: &str, data: impl AsRef<[u8]>) {
    let dir = fuzz_dir().join("seeds").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), data).unwrap();
}

#[test]
#[ignore = "rewrites fuzz/seeds"]
fn write_seeds() {
    let c = claims();
    // ---- token
    let t = |name: &str, s: String| write("token", name, s);
    t(
        "valid-rs256.jwt",
        sign("rsa2048.key", "RS256", Some("rsa"), json!({}), &c),
    );
    t(
        "valid-ps256.jwt",
        sign("rsa2048.key", "PS256", None, json!({}), &c),
    );
    t(
        "valid-es256.jwt",
        sign("ecP-256.key", "ES256", Some("ec"), json!({}), &c),
    );
    t(
        "valid-es384.jwt",
        sign("ecP-384.key", "ES384", None, json!({}), &c),
    );
    t(
        "valid-es512.jwt",
        sign("ecP-521.key", "ES512", None, json!({}), &c),
    );
    t(
        "valid-eddsa.jwt",
        sign("ed25519.key", "EdDSA", Some("ed"), json!({}), &c),
    );
    let good = sign("ed25519.key", "EdDSA", None, json!({}), &c);
    let parts: Vec<&str> = good.split('.').collect();
    t(
        "valid-json-flattened.jwt",
        json!({"protected": parts[0], "payload": parts[1], "signature": parts[2]}).to_string(),
    );
    t(
        "json-general.jwt",
        json!({"payload": parts[1], "signatures": [{"protected": parts[0], "signature": parts[2]}]})
            .to_string(),
    );
    t(
        "whitespace.jwt",
        format!("{}\n.{} .{}\n", parts[0], parts[1], parts[2]),
    );
    // tampered: a flipped signature bit, a payload swapped after signing
    let mut sig =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[2])
            .unwrap();
    sig[5] ^= 1;
    t(
        "tampered-signature.jwt",
        format!("{}.{}.{}", parts[0], parts[1], b64(&sig)),
    );
    let mut swapped = c.clone();
    swapped.insert("sub".into(), json!("admin"));
    t(
        "tampered-payload.jwt",
        format!(
            "{}.{}.{}",
            parts[0],
            b64(Value::Object(swapped).to_string().as_bytes()),
            parts[2]
        ),
    );
    let payload = b64(Value::Object(c.clone()).to_string().as_bytes());
    t(
        "alg-none.jwt",
        format!("{}.{payload}.", b64(br#"{"alg":"none","typ":"JWT"}"#)),
    );
    {
        use hmac::Mac;
        let input = format!("{}.{payload}", b64(br#"{"alg":"HS256","typ":"JWT"}"#));
        let secret = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/rsa2048.pub"),
        )
        .unwrap();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&secret).unwrap();
        mac.update(input.as_bytes());
        t(
            "hs256-key-confusion.jwt",
            format!("{input}.{}", b64(&mac.finalize().into_bytes())),
        );
    }
    t(
        "wrong-key.jwt",
        sign("rsa2048b.key", "RS256", Some("rsa"), json!({}), &c),
    );
    t(
        "crit-unknown.jwt",
        sign(
            "ed25519.key",
            "EdDSA",
            None,
            json!({"crit": ["exp"], "exp": 1}),
            &c,
        ),
    );
    t(
        "crit-b64.jwt",
        sign(
            "ed25519.key",
            "EdDSA",
            None,
            json!({"crit": ["b64"], "b64": true}),
            &c,
        ),
    );
    t(
        "kid-unknown.jwt",
        sign("ed25519.key", "EdDSA", Some("nope"), json!({}), &c),
    );
    t(
        "jku-x5u-jwk.jwt",
        sign(
            "ed25519.key",
            "EdDSA",
            None,
            json!({"jku": "http://127.0.0.1:1/jwks", "x5u": "http://127.0.0.1:1/x", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}}),
            &c,
        ),
    );
    t(
        "unsupported-alg.jwt",
        sign("ed25519.key", "EdDSA", None, json!({"alg": "ES256K"}), &c),
    );
    t(
        "duplicate-header-member.jwt",
        format!(
            "{}.{payload}.{}",
            b64(br#"{"alg":"EdDSA","alg":"EdDSA"}"#),
            parts[2]
        ),
    );
    t("garbage.jwt", "this-is-not-a-jwt".into());
    t("empty.jwt", String::new());
    // structured: HEADER \0 PAYLOAD, signed by the target
    let s = |name: &str, header: Value, payload: Value| {
        write("token", name, format!("{header}\0{payload}"))
    };
    s(
        "structured-eddsa",
        json!({"alg": "EdDSA", "typ": "JWT"}),
        Value::Object(c.clone()),
    );
    s(
        "structured-es256-kid",
        json!({"alg": "ES256", "kid": "ec"}),
        json!({"sub": "alice"}),
    );
    s(
        "structured-es384",
        json!({"alg": "ES384"}),
        json!({"sub": "bob", "aud": "vault"}),
    );
    s(
        "structured-b64-false",
        json!({"alg": "EdDSA", "b64": false, "crit": ["b64"]}),
        json!({}),
    );
    s(
        "structured-null",
        json!({"alg": "EdDSA", "kid": "ed"}),
        Value::Null,
    );
    // key material
    let jwks = json!({"keys": [
        key("rsa2048.key").public_jwk("rsa", Some("RS256")),
        key("ecP-256.key").public_jwk("ec", None),
        key("ed25519.key").public_jwk("ed", None),
        {"kty": "oct", "k": "c2VjcmV0"}
    ]});
    write("token", "jwks.json", jwks.to_string());
    write(
        "token",
        "ec-public.pem",
        key("ecP-256.key").public_pem().unwrap(),
    );

    // ---- claims: CLAIMS \0 BOUND \0 USER \0 GROUPS \0 MAPPINGS \0 TEMPLATES
    let cl = |name: &str, parts: &[&str]| write("claims", name, parts.join("\0"));
    let cj = Value::Object(c.clone()).to_string();
    cl(
        "glob",
        &[
            &cj,
            r#"{"email":"*@example.com","/org/team":["plat*"]}"#,
            "sub",
            "groups",
            r#"{"email":"email"}"#,
            "",
        ],
    );
    cl(
        "string-list",
        &[
            &cj,
            r#"{"groups":["devs","x"],"sub":"alice"}"#,
            "/org/team",
            "/groups",
            "",
            "",
        ],
    );
    cl(
        "numbers",
        &[
            r#"{"n":123.9,"big":1e300,"neg":-0.5,"list":[1,2.5,"3"],"sub":"x","b":true}"#,
            r#"{"n":123,"b":true,"list":[1,"3"]}"#,
            "sub",
            "list",
            r#"{"n":"num"}"#,
            "",
        ],
    );
    cl(
        "pointer-escapes",
        &[
            r#"{"a/b":{"m~n":"v"},"arr":[["x"]],"sub":"s"}"#,
            r#"{"/a~1b/m~0n":"v","/arr/0/0":"x"}"#,
            "/a~1b/m~0n",
            "/arr/0",
            "",
            "",
        ],
    );
    cl(
        "bound-text",
        &[&cj, r#"{"sub":"alice"}"#, "sub", "", "", ""],
    );
    cl(
        "bad-types",
        &[
            r#"{"sub":1,"aud":5,"exp":"x","groups":{"a":1}}"#,
            r#"{"groups":[{"a":1}],"sub":null}"#,
            "sub",
            "groups",
            r#"{"sub":1}"#,
            "",
        ],
    );
    cl(
        "templates",
        &[
            &cj,
            "",
            "sub",
            "",
            "",
            "p-{{/org/team}},static,{{sub}}-{{/groups/0}}",
        ],
    );
    cl(
        "nested",
        &[
            r#"{"sub":"a","o":{"o":{"o":{"o":[[[[{"x":1}]]]]}}}}"#,
            r#"{"/o/o/o/o/0/0/0/0/x":1}"#,
            "/o/o",
            "/o/o/o/o/0",
            "",
            "",
        ],
    );

    // ---- policy: TEXT \0 PATHS
    let p = |name: &str, text: &str, paths: &str| write("policy", name, format!("{text}\0{paths}"));
    let acceptance = r#"path "secret/foo" { capabilities = ["read"] }
path "secret/bar/*" { capabilities = ["read", "list"] }
path "secret/zip-*" { capabilities = ["create", "update"] }
path "secret/+/teamb" { capabilities = ["delete"] }
path "secret/+/+/teamc" { capabilities = ["patch"] }
path "secret/+/team*" { capabilities = ["list"] }
path "prio/*" { capabilities = ["read"] }
path "prio/+/*" { capabilities = ["update"] }
path "prio/a/+" { capabilities = ["list"] }
path "prio/a/b*" { capabilities = ["delete"] }
path "prio/+/+/c" { capabilities = ["create"] }
path "prio/x/+/c" { capabilities = ["patch"] }
"#;
    p(
        "acceptance.hcl",
        acceptance,
        "secret/foo\nsecret/bar/baz\nsecret/x/teamb\nprio/a/b/c\nsecret/zip-zap",
    );
    p(
        "deny-sudo.hcl",
        "# comment\npath \"secret/data/app/private\" {\n  capabilities = [\"deny\"]\n}\n\npath \"shared/x\" { capabilities = [\"read\", \"update\", \"sudo\"] }\npath \"sys/auth/*\" { capabilities = [\"update\", \"sudo\"] }\npath \"wide/*\" { capabilities = [\"deny\"] }\n",
        "sys/auth/jwt\nshared/x\nwide/a\nsecret/data/app/private",
    );
    p(
        "templated.hcl",
        "path \"secret/data/users/{{identity.entity.aliases.auth_jwt_12345678.metadata.team}}/*\" {\n  capabilities = [\"create\", \"read\", \"update\"]\n}\npath \"auth/token/lookup-self\" { capabilities = [\"read\"] }\npath \"g/{{identity.groups.names.devs.id}}\" { capabilities = [\"list\"] }\npath \"e/{{identity.entity.name}}/{{identity.entity.metadata.team}}\" { policy = \"write\" }\n",
        "secret/data/users/plat/x\nauth/token/lookup-self\ng/grp-1",
    );
    p(
        "json.json",
        r#"{"path": {"secret/*": {"capabilities": ["read", "list"]}, "kv/data/+/x": {"policy": "deny"}, "a": {"capabilities": ["patch", "scan"], "allowed_parameters": {"k": []}}}}"#,
        "secret/a\nkv/data/q/x\na",
    );
    p(
        "old-style.hcl",
        "name = \"x\"\npath \"a/\" {\n  policy = \"sudo\"\n}\npath \"b\" {\n  policy = \"read\"\n  capabilities = [\"list\"]\n  min_wrapping_ttl = \"1s\"\n  required_parameters = [\"x\"]\n}\n",
        "a/\nb",
    );
    p(
        "errors.hcl",
        "path \"a\" { capabilities = [\"fly\"] }\npath \"b+*\" {}\nunknown = 1\n",
        "a",
    );
    p("heredoc.hcl", "path \"a\" {\n  capabilities = [\n    \"read\", # trailing\n    \"list\",\n  ]\n}\n/* block */\npath \"b\" { capabilities = [] }\n", "a\nb");

    // ---- kv_args: ARG \0 ... \0 STDIN
    let k = |name: &str, parts: &[&str]| write("kv_args", name, parts.join("\0"));
    k("pairs", &["a=1", "b=x=y", ""]);
    k("repeated", &["a=1", "a=2", "a=3", "b=", ""]);
    k("stdin-value", &["role=dev", "jwt=-", "eyJhbGciOi.e30.c2ln"]);
    k("stdin-body", &["-", r#"{"m": {"k": 1}, "l": [1, 2]}"#]);
    k("file-body", &[r#"@{"policy": "path \"a\" {}"}"#, ""]);
    k(
        "file-value",
        &[
            "policy=@path \"x\" { capabilities = [\"read\"] }",
            "k=@missing.txt",
            "",
        ],
    );
    k("escaped-at", &["k=\\@literal", "denied=@denied", ""]);
    k("twice-stdin", &["a=-", "-", "x"]);
    k("bad", &["novalue", "=empty", ""]);
    k(
        "cli-write",
        &["write", "-format=json", "secret/foo", "a=1", "a=2", ""],
    );
    k(
        "cli-login",
        &[
            "login",
            "-method=jwt",
            "-path=jwt",
            "role=dev",
            "jwt=-",
            "tok",
        ],
    );
    k(
        "cli-token",
        &[
            "token",
            "create",
            "-policy=a",
            "-ttl=1h",
            "-field=token",
            "--",
            "-x",
            "",
        ],
    );
}
