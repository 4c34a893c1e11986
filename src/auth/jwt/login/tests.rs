use super::*;
use crate::core::{MountEntry, Operation};
use crate::settings::Settings;
use crate::storage::{MemoryStorage, StorageExt, View};
use serde_json::json;

const NOW: i64 = 1_700_000_000;

fn m(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn jwt_role(extra: Value) -> Role {
    let mut base = json!({
        "role_type": "jwt", "user_claim": "sub", "bound_audiences": ["vault"],
        "bound_claims_type": "string", "token_type": "default"
    });
    if let (Some(o), Value::Object(x)) = (base.as_object_mut(), extra) {
        o.extend(x);
    }
    serde_json::from_value(base).unwrap_or_default()
}

fn run(role: &Role, config: &Config, claims: Value, compat: Compat) -> Evaluation {
    evaluate(
        "r",
        role,
        config,
        &m(claims),
        Options {
            compat,
            now: NOW,
            continue_after_failure: false,
        },
    )
}

fn err_of(ev: &Evaluation) -> Option<String> {
    ev.error.as_ref().map(|e| e.message())
}

fn time_err(role: &Role, claims: Value) -> Option<String> {
    let reg = registered_claims(&m(claims)).unwrap();
    time_checks(&reg, role, NOW)
        .into_iter()
        .find_map(|t| t.outcome.err())
}

const NBF: &str = "invalid not before (nbf) claim: token not yet valid";
const EXP: &str = "invalid expiration time (exp) claim: token is expired";
const IAT: &str = "invalid issued at (iat) claim: token issued in the future";

#[test]
fn time_defaults_and_boundaries() {
    let r = jwt_role(json!({}));
    assert_eq!(
        time_err(&r, json!({})).as_deref(),
        Some("no issued at (iat), not before (nbf), or expiration time (exp) claims in token")
    );
    // exp with clock skew 60: valid at exactly exp + 60, expired one second later.
    assert_eq!(time_err(&r, json!({"iat": NOW - 5, "exp": NOW - 60})), None);
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 5, "exp": NOW - 61})).as_deref(),
        Some(EXP)
    );
    // nbf: valid at exactly nbf - 60.
    assert_eq!(
        time_err(&r, json!({"nbf": NOW + 60, "exp": NOW + 3600})),
        None
    );
    assert_eq!(
        time_err(&r, json!({"nbf": NOW + 61, "exp": NOW + 3600})).as_deref(),
        Some(NBF)
    );
    // Only iat: valid for 150 + 60 s.
    assert_eq!(time_err(&r, json!({"iat": NOW - 210})), None);
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 211})).as_deref(),
        Some(EXP)
    );
    // A future iat without nbf fails with the nbf message.
    assert_eq!(
        time_err(&r, json!({"iat": NOW + 120, "exp": NOW + 3600})).as_deref(),
        Some(NBF)
    );
    // A future iat with an nbf in the past fails with the iat message.
    assert_eq!(
        time_err(
            &r,
            json!({"iat": NOW + 120, "nbf": NOW - 10, "exp": NOW + 3600})
        )
        .as_deref(),
        Some(IAT)
    );
    // Only exp: synthetic nbf = exp - 150, so exp at most 210 s ahead.
    assert_eq!(time_err(&r, json!({"exp": NOW + 210})), None);
    assert_eq!(
        time_err(&r, json!({"exp": NOW + 211})).as_deref(),
        Some(NBF)
    );
    assert_eq!(
        time_err(&r, json!({"exp": NOW + 3600})).as_deref(),
        Some(NBF)
    );
    // No maximum lifetime when nbf or iat is present.
    assert_eq!(
        time_err(&r, json!({"iat": NOW, "exp": NOW + 10_000_000})),
        None
    );
    // 0 counts as absent; fractions are truncated.
    assert_eq!(
        time_err(
            &r,
            json!({"iat": NOW - 5, "nbf": 0, "exp": (NOW - 60) as f64 + 0.9})
        ),
        None
    );
}

#[test]
fn leeways() {
    // expiration_leeway only matters without exp.
    let r = jwt_role(json!({"expiration_leeway": 600}));
    assert_eq!(time_err(&r, json!({"iat": NOW - 650})), None);
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 661})).as_deref(),
        Some(EXP)
    );
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 100, "exp": NOW - 61})).as_deref(),
        Some(EXP)
    );
    // Negative means 0.
    let r = jwt_role(json!({"expiration_leeway": -1, "clock_skew_leeway": -1}));
    assert_eq!(time_err(&r, json!({"iat": NOW})), None);
    assert_eq!(time_err(&r, json!({"iat": NOW - 1})).as_deref(), Some(EXP));
    // clock_skew_leeway widens exp.
    let r = jwt_role(json!({"clock_skew_leeway": 300}));
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 400, "exp": NOW - 300})),
        None
    );
    assert_eq!(
        time_err(&r, json!({"iat": NOW - 400, "exp": NOW - 301})).as_deref(),
        Some(EXP)
    );
    // not_before_leeway only matters without nbf and iat.
    let r = jwt_role(json!({"not_before_leeway": 3600}));
    assert_eq!(time_err(&r, json!({"exp": NOW + 3600})), None);
    assert_eq!(
        time_err(&r, json!({"exp": NOW + 3661})).as_deref(),
        Some(NBF)
    );
    assert_eq!(
        time_err(&r, json!({"nbf": NOW + 61, "exp": NOW + 3600})).as_deref(),
        Some(NBF)
    );
    assert_eq!(effective_leeway(0, 150), 150);
    assert_eq!(effective_leeway(-5, 150), 0);
    assert_eq!(effective_leeway(7, 150), 7);
}

#[test]
fn registered_claim_types() {
    let aud_err = "go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience";
    assert_eq!(
        registered_claims(&m(json!({"aud": null}))).unwrap_err(),
        aud_err
    );
    assert_eq!(
        registered_claims(&m(json!({"aud": [1]}))).unwrap_err(),
        aud_err
    );
    assert_eq!(
        registered_claims(&m(json!({"aud": 5}))).unwrap_err(),
        aud_err
    );
    assert_eq!(
        registered_claims(&m(json!({"exp": "soon"}))).unwrap_err(),
        "go-jose/go-jose/jwt: expected number value to unmarshal NumericDate"
    );
    assert_eq!(
        registered_claims(&m(json!({"iss": 5}))).unwrap_err(),
        "json: cannot unmarshal number into Go struct field Claims.iss of type string"
    );
    // A NumericDate error later in the document wins over an earlier type error.
    assert_eq!(
        registered_claims(&m(json!({"sub": true, "exp": "x"}))).unwrap_err(),
        "go-jose/go-jose/jwt: expected number value to unmarshal NumericDate"
    );
    // Read in byte order of the names (Go's json.Marshal of the map), not the token's order.
    assert_eq!(
        registered_claims(&m(json!({"iat": "x", "aud": 5}))).unwrap_err(),
        aud_err
    );
    assert_eq!(
        registered_claims(&m(json!({"sub": 1, "jti": true}))).unwrap_err(),
        "json: cannot unmarshal bool into Go struct field Claims.jti of type string"
    );
    let r = registered_claims(&m(json!({"aud": "a", "exp": null, "iat": 12.9}))).unwrap();
    assert_eq!(r.aud, Some(vec!["a".to_string()]));
    assert_eq!(r.exp, None);
    assert_eq!(r.iat, Some(12));
}

fn good_claims() -> Value {
    json!({"iss": "https://iss/", "sub": "alice", "aud": ["vault"], "iat": NOW - 5, "exp": NOW + 3600})
}

#[test]
fn order_of_checks_openbao() {
    let cfg = Config {
        bound_issuer: "https://iss/".into(),
        ..Config::default()
    };
    let r = jwt_role(json!({"bound_subject": "alice"}));
    let ok = run(&r, &cfg, good_claims(), Compat::OpenBao);
    assert_eq!(err_of(&ok), None);
    let auth = ok.auth.unwrap();
    assert_eq!(auth.display_name, "alice");
    assert_eq!(auth.alias.unwrap().name, "alice");
    assert_eq!(auth.metadata.get("role").map(String::as_str), Some("r"));
    assert_eq!(
        auth.internal_data,
        m(json!({"role": "r", "role_type": "native"}))
    );
    assert!(auth.renewable);

    let mut c = good_claims();
    c["iss"] = json!("https://other/");
    c["sub"] = json!("bob");
    assert_eq!(
        err_of(&run(&r, &cfg, c, Compat::OpenBao)).as_deref(),
        Some("error validating token: invalid issuer (iss) claim")
    );
    let mut c = good_claims();
    c["sub"] = json!("bob");
    c["aud"] = json!("x");
    assert_eq!(
        err_of(&run(&r, &cfg, c, Compat::OpenBao)).as_deref(),
        Some("error validating token: invalid subject (sub) claim")
    );
    let mut c = good_claims();
    c["aud"] = json!(["x"]);
    c["exp"] = json!(NOW - 1000);
    assert_eq!(
        err_of(&run(&r, &cfg, c, Compat::OpenBao)).as_deref(),
        Some("error validating token: invalid audience (aud) claim: audience claim does not match any expected audience")
    );
    let mut c = good_claims();
    c.as_object_mut().unwrap().remove("aud");
    assert!(err_of(&run(&r, &cfg, c, Compat::OpenBao))
        .unwrap()
        .contains("audience claim does not match"));
    let mut c = good_claims();
    c["exp"] = json!(NOW - 1000);
    assert_eq!(
        err_of(&run(&r, &cfg, c, Compat::OpenBao)).as_deref(),
        Some("error validating token: invalid expiration time (exp) claim: token is expired")
    );
}

#[test]
fn audience_presence_rule() {
    let cfg = Config {
        token_audiences: vec!["vault-aud-value".into()],
        ..Config::default()
    };
    let r = jwt_role(json!({"bound_audiences": null, "bound_subject": "alice"}));
    let msg = "audience claim found in JWT but no audiences bound to the role";
    assert_eq!(
        err_of(&run(&r, &cfg, good_claims(), Compat::OpenBao)).as_deref(),
        Some(msg)
    );
    let mut c = good_claims();
    c["aud"] = json!("");
    assert_eq!(
        err_of(&run(&r, &cfg, c, Compat::OpenBao)).as_deref(),
        Some(msg)
    );
    let mut c = good_claims();
    c["aud"] = json!([]);
    assert_eq!(
        err_of(&run(&r, &Config::default(), c, Compat::OpenBao)),
        None
    );
    // The presence rule comes after the time checks.
    let mut c = good_claims();
    c["exp"] = json!(NOW - 1000);
    assert!(err_of(&run(&r, &cfg, c, Compat::OpenBao))
        .unwrap()
        .contains("expired"));
    // A user-claim failure comes after the presence rule.
    let mut c = good_claims();
    c.as_object_mut().unwrap().remove("sub");
    let r2 = jwt_role(json!({"bound_audiences": null, "bound_claims": {"x": "y"}}));
    assert_eq!(
        err_of(&run(&r2, &cfg, c, Compat::OpenBao)).as_deref(),
        Some(msg)
    );
}

#[test]
fn default_mode_token_audiences() {
    let cfg = Config {
        token_audiences: vec!["vault-aud-value".into()],
        ..Config::default()
    };
    let r = jwt_role(json!({"bound_audiences": null, "bound_subject": "alice"}));
    let mut c = good_claims();
    c["aud"] = json!("vault-aud-value");
    let ev = run(&r, &cfg, c, Compat::Default);
    assert_eq!(err_of(&ev), None);
    assert!(ev.auth.is_some());
    assert_eq!(ev.warnings, vec![WARN_TOKEN_AUDIENCES.to_string()]);
    // A non-matching aud is refused with the audience message.
    assert_eq!(
        err_of(&run(&r, &cfg, good_claims(), Compat::Default)).as_deref(),
        Some("error validating token: invalid audience (aud) claim: audience claim does not match any expected audience")
    );
    // Without token_audiences, default mode keeps OpenBao's presence rule.
    assert_eq!(
        err_of(&run(&r, &Config::default(), good_claims(), Compat::Default)).as_deref(),
        Some("audience claim found in JWT but no audiences bound to the role")
    );
}

#[test]
fn walkthrough_default_mode_login() {
    let cfg = Config {
        bound_issuer: "https://iss/".into(),
        token_audiences: vec!["vault-aud-value".into()],
        ..Config::default()
    };
    let r = jwt_role(json!({
        "bound_audiences": null, "groups_claim": "groups", "token_policies": ["developer-policy"],
        "bound_claims_type": "glob", "bound_claims": {"groups": "developers"}
    }));
    let claims = json!({"iss": "https://iss/", "sub": "user-12345", "aud": "vault-aud-value",
                        "groups": ["developers", "ops"], "iat": NOW - 5, "exp": NOW + 3600});
    let ev = evaluate(
        "developer-role",
        &r,
        &cfg,
        &m(claims.clone()),
        Options {
            compat: Compat::Default,
            now: NOW,
            continue_after_failure: false,
        },
    );
    assert_eq!(err_of(&ev), None);
    let auth = ev.auth.unwrap();
    assert_eq!(auth.display_name, "user-12345");
    assert_eq!(auth.policies, vec!["developer-policy".to_string()]);
    let groups: Vec<&str> = auth.group_aliases.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, vec!["developers", "ops"]);
    assert_eq!(
        auth.metadata.get("role").map(String::as_str),
        Some("developer-role")
    );
    // The same in OpenBao mode is refused by the presence rule.
    let ev = evaluate(
        "developer-role",
        &r,
        &cfg,
        &m(claims.clone()),
        Options {
            compat: Compat::OpenBao,
            now: NOW,
            continue_after_failure: false,
        },
    );
    assert_eq!(
        err_of(&ev).as_deref(),
        Some("audience claim found in JWT but no audiences bound to the role")
    );
    // ops only: bound claims fail.
    let mut ops = claims;
    ops["groups"] = json!(["ops"]);
    let ev = evaluate(
        "developer-role",
        &r,
        &cfg,
        &m(ops),
        Options {
            compat: Compat::Default,
            now: NOW,
            continue_after_failure: false,
        },
    );
    assert_eq!(
        err_of(&ev).as_deref(),
        Some("error validating claims: claim \"groups\" does not match any associated bound claim values")
    );
}

#[test]
fn identity_before_bound_claims() {
    let r = jwt_role(
        json!({"user_claim": "email", "bound_claims": {"color": "red"},
                            "claim_mappings": {"name": "first_name"}, "groups_claim": "groups"}),
    );
    let mut c = good_claims();
    assert_eq!(
        err_of(&run(&r, &Config::default(), c.clone(), Compat::OpenBao)).as_deref(),
        Some("claim \"email\" not found in token")
    );
    c["email"] = json!("a@x");
    c["name"] = json!(5);
    assert_eq!(
        err_of(&run(&r, &Config::default(), c.clone(), Compat::OpenBao)).as_deref(),
        Some("error converting claim 'name' to string")
    );
    c["name"] = json!("Al");
    assert_eq!(
        err_of(&run(&r, &Config::default(), c.clone(), Compat::OpenBao)).as_deref(),
        Some("failed to fetch groups: \"groups\" claim not found in token")
    );
    c["groups"] = json!(["g1", "", "g2"]);
    assert_eq!(
        err_of(&run(&r, &Config::default(), c.clone(), Compat::OpenBao)).as_deref(),
        Some("error validating claims: claim \"color\" is missing")
    );
    c["color"] = json!("red");
    let ev = run(&r, &Config::default(), c, Compat::OpenBao);
    let auth = ev.auth.unwrap();
    let alias = auth.alias.unwrap();
    assert_eq!(alias.name, "a@x");
    assert_eq!(
        alias.metadata.get("first_name").map(String::as_str),
        Some("Al")
    );
    assert_eq!(alias.metadata.get("role").map(String::as_str), Some("r"));
    assert_eq!(auth.group_aliases.len(), 2);
}

#[test]
fn explain_continues_past_failures() {
    let r = jwt_role(json!({"bound_subject": "alice", "bound_claims": {"team": "x"}}));
    let mut c = good_claims();
    c["sub"] = json!("bob");
    c["aud"] = json!("nope");
    let ev = evaluate(
        "r",
        &r,
        &Config::default(),
        &m(c),
        Options {
            compat: Compat::OpenBao,
            now: NOW,
            continue_after_failure: true,
        },
    );
    assert_eq!(
        err_of(&ev).as_deref(),
        Some("error validating token: invalid subject (sub) claim")
    );
    let failed: Vec<&str> = ev
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failed, vec!["subject", "audience", "bound_claims.team"]);
    assert!(ev.auth.is_none());
}

struct Env {
    storage: MemoryStorage,
    mount: MountEntry,
    settings: Settings,
}

impl Env {
    fn new() -> Env {
        Env {
            storage: MemoryStorage::default(),
            mount: MountEntry::new("jwt/", "jwt", ""),
            settings: Settings {
                compat: Compat::OpenBao,
                ..Settings::default()
            },
        }
    }
    fn ctx(&self) -> BackendContext<'_> {
        BackendContext {
            storage: View::new(&self.storage, "auth/x/"),
            mount: &self.mount,
            settings: &self.settings,
            now: NOW,
        }
    }
    fn login(&self, data: Value) -> String {
        let req = Request::new(Operation::Update, "login").with_data(m(data));
        match handle(&self.ctx(), &req) {
            Ok(_) => "ok".into(),
            Err(e) => format!("{} {}", e.status, e.message()),
        }
    }
}

#[test]
fn handler_checks_before_the_signature() {
    let e = Env::new();
    assert_eq!(
        e.login(json!({"role": "r", "jwt": "x"})),
        "400 could not load configuration"
    );
    e.ctx()
        .storage
        .put_as(config::CONFIG_KEY, &Config::default())
        .unwrap();
    assert_eq!(e.login(json!({"jwt": "x"})), "400 missing role");
    assert_eq!(
        e.login(json!({"role": "NoPe", "jwt": "x"})),
        "400 role \"nope\" could not be found"
    );
    let store = |name: &str, r: &Role| {
        e.ctx().storage.put_as(&format!("role/{name}"), r).unwrap();
    };
    store("web", &jwt_role(json!({"role_type": "oidc"})));
    assert_eq!(
        e.login(json!({"role": "web", "jwt": "x"})),
        "400 role with oidc role_type is not allowed"
    );
    store("r", &jwt_role(json!({})));
    assert_eq!(
        e.login(json!({"role": "R", "jwt": ""})),
        "400 missing token"
    );
    store(
        "far",
        &jwt_role(json!({"token_bound_cidrs": ["10.0.0.0/8"]})),
    );
    assert_eq!(
        e.login(json!({"role": "far", "jwt": "x"})),
        "403 permission denied"
    );
    // The config has no key source, so the token is refused at the signature step: the role's
    // CIDRs allowed loopback.
    store(
        "near",
        &jwt_role(json!({"token_bound_cidrs": ["127.0.0.0/8"]})),
    );
    assert_eq!(
        e.login(json!({"role": "near", "jwt": "x"})),
        "400 error configuring token validator: keyset configuration error: no key source is configured"
    );
    // default_role
    e.ctx()
        .storage
        .put_as(
            config::CONFIG_KEY,
            &Config {
                default_role: "R".into(),
                ..Config::default()
            },
        )
        .unwrap();
    assert_eq!(e.login(json!({"jwt": ""})), "400 missing token");
    assert!(e
        .login(json!({"role": {"a": 1}, "jwt": "x"}))
        .starts_with("400 Field validation failed: error converting input for field \"role\""));
}

#[test]
fn renew_uses_the_current_role() {
    let e = Env::new();
    let mut token = TokenEntry::default();
    assert_eq!(
        renew(&e.ctx(), &token).unwrap_err(),
        Error::internal("failed to fetch role_name during renewal")
    );
    token.internal_data = m(json!({"role": "r", "role_type": "native"}));
    assert_eq!(
        renew(&e.ctx(), &token).unwrap_err(),
        Error::internal("role r does not exist during renewal")
    );
    e.ctx()
        .storage
        .put_as(
            "role/r",
            &jwt_role(json!({"token_ttl": 60, "token_max_ttl": 120, "token_period": 0})),
        )
        .unwrap();
    let a = renew(&e.ctx(), &token).unwrap();
    assert_eq!((a.ttl, a.max_ttl, a.period), (60, 120, 0));
    token.internal_data = m(json!({"role": "r", "role_type": "cel"}));
    assert_eq!(
        renew(&e.ctx(), &token).unwrap_err().message(),
        "unknown role type: cel"
    );
}

/// Replays the public conformance scenarios (role writes, config writes, logins) against the
/// role handler, the login handler's pre-signature checks and `evaluate`, and compares with
/// bao's recorded outcome. Signature and key errors belong to `keys` and are skipped.
#[test]
fn conformance_scenarios_replay() {
    let cases: Value = serde_json::from_str(include_str!("../testdata/scenarios.json")).unwrap();
    let mut checked = 0;
    for case in cases.as_array().unwrap() {
        let scenario = case["scenario"].as_str().unwrap();
        let e = Env::new();
        let mut config: Option<Config> = None;
        for op in case["ops"].as_array().unwrap() {
            match op["op"].as_str().unwrap() {
                "config" if op["ok"] == json!(true) => {
                    let d = &op["data"];
                    let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
                    let c = Config {
                        bound_issuer: text("bound_issuer"),
                        default_role: text("default_role"),
                        token_audiences: crate::core::fields::comma_string_slice(
                            &d["token_audiences"],
                        )
                        .unwrap(),
                        ..Config::default()
                    };
                    e.ctx().storage.put_as(config::CONFIG_KEY, &c).unwrap();
                    config = Some(c);
                }
                "delete" => {
                    let path = format!("role/{}", op["name"].as_str().unwrap());
                    let req = Request::new(Operation::Delete, path);
                    role::handle(&e.ctx(), &req).unwrap();
                }
                "role" => {
                    let path = format!("role/{}", op["name"].as_str().unwrap());
                    let req =
                        Request::new(Operation::Update, path).with_data(m(op["data"].clone()));
                    let got = role::handle(&e.ctx(), &req).err().map(|e| e.message());
                    assert_eq!(
                        got.as_deref(),
                        op["error"].as_str(),
                        "{scenario}: role write {}",
                        op["data"]
                    );
                    checked += 1;
                }
                "login" => {
                    let expected = op["error"].as_str();
                    if expected.is_some_and(|x| {
                        x.contains("error verifying token signature")
                            || x.contains("invalid algorithm (alg)")
                            || x.contains("error configuring token validator")
                    }) {
                        continue;
                    }
                    let mut claims = m(op["claims"].clone());
                    for v in claims.values_mut() {
                        if let Some(rel) = v.get("rel").and_then(Value::as_i64) {
                            *v = json!(NOW + rel);
                        }
                    }
                    let mut data = json!({"jwt": "x.y.z"});
                    if let Some(r) = op["role"].as_str() {
                        data["role"] = json!(r);
                    }
                    let req = Request::new(Operation::Update, "login").with_data(m(data.clone()));
                    let got = match handle(&e.ctx(), &req) {
                        Err(err) if err.message().contains("no key source is configured") => {
                            // No keys in the replayed config: the signature step is the only one
                            // refused, so continue with the claims as if verified.
                            let cfg = config.clone().unwrap_or_default();
                            let name = op["role"]
                                .as_str()
                                .map(str::to_lowercase)
                                .unwrap_or_else(|| cfg.default_role.to_lowercase());
                            let role = role::load(&e.ctx().storage, &name).unwrap().unwrap();
                            let ev = evaluate(
                                &name,
                                &role,
                                &cfg,
                                &claims,
                                Options {
                                    compat: Compat::OpenBao,
                                    now: NOW,
                                    continue_after_failure: false,
                                },
                            );
                            if let (Some(auth), Some(md)) = (&ev.auth, op["metadata"].as_object()) {
                                let want: BTreeMap<String, String> = md
                                    .iter()
                                    .map(|(k, v)| {
                                        (k.clone(), v.as_str().unwrap_or_default().into())
                                    })
                                    .collect();
                                assert_eq!(auth.metadata, want, "{scenario}: metadata");
                            }
                            ev.error.map(|e| e.message())
                        }
                        Err(err) => Some(err.message()),
                        Ok(_) => None,
                    };
                    assert_eq!(got.as_deref(), expected, "{scenario}: login {claims:?}");
                    checked += 1;
                }
                _ => {}
            }
        }
    }
    assert!(checked > 100, "only {checked} steps checked");
}

#[test]
fn policy_templates_at_login() {
    let r = jwt_role(json!({
        "token_policies_template_claims": true,
        "token_policies": ["policy_{{ .sub }}", "{{ .team }}", "static"]
    }));
    let mut c = good_claims();
    c["team"] = json!("blue");
    let ev = run(&r, &Config::default(), c, Compat::OpenBao);
    assert_eq!(
        ev.auth.unwrap().policies,
        vec!["blue".to_string(), "policy_alice".into(), "static".into()]
    );
    let ev = run(&r, &Config::default(), good_claims(), Compat::OpenBao);
    let err = ev.error.unwrap();
    assert_eq!(err.status, 500);
    assert!(err
        .message()
        .ends_with("executing \"template\" at <.team>: map has no entry for key \"team\""));
}

#[test]
fn run_records_the_checks_before_the_signature() {
    let e = Env::new();
    let opts = Options {
        compat: Compat::OpenBao,
        now: NOW,
        continue_after_failure: true,
    };
    let req = |data: Value| Request::new(Operation::Update, "login").with_data(m(data));
    let names = |ev: &Evaluation| {
        ev.checks
            .iter()
            .map(|c| (c.name.clone(), c.passed))
            .collect::<Vec<_>>()
    };
    let (ev, inputs) = super::run(&e.ctx(), &req(json!({"role": "r", "jwt": "x"})), opts);
    assert!(inputs.is_none());
    assert_eq!(names(&ev), vec![("config".to_string(), false)]);
    assert_eq!(ev.checks[0].error, "could not load configuration");

    e.ctx()
        .storage
        .put_as(config::CONFIG_KEY, &Config::default())
        .unwrap();
    e.ctx()
        .storage
        .put_as("role/web", &jwt_role(json!({"role_type": "oidc"})))
        .unwrap();
    let (ev, _) = super::run(&e.ctx(), &req(json!({"role": "web", "jwt": "x"})), opts);
    assert_eq!(ev.checks[0].name, "role");
    assert!(!ev.checks[0].passed);
    assert!(ev.checks[0].hint.contains("role_type=jwt"));
    // explain goes on with the checks of the OIDC callback; the verdict stays login's
    assert!(ev.checks.iter().any(|c| c.name == "id_token"));
    assert_eq!(
        ev.error.as_ref().map(|e| e.message()),
        Some("role with oidc role_type is not allowed".to_string())
    );

    e.ctx()
        .storage
        .put_as(
            "role/far",
            &jwt_role(json!({"token_bound_cidrs": ["10.0.0.0/8"]})),
        )
        .unwrap();
    let (ev, _) = super::run(&e.ctx(), &req(json!({"role": "far", "jwt": "x"})), opts);
    assert_eq!(
        names(&ev),
        vec![
            ("role".to_string(), true),
            ("token_bound_cidrs".to_string(), false)
        ]
    );
    assert_eq!(ev.error.unwrap().status, 403);

    // No key source: the signature is skipped, the token still read ("x" is not a JWS).
    e.ctx()
        .storage
        .put_as("role/r", &jwt_role(json!({})))
        .unwrap();
    let (ev, inputs) = super::run(&e.ctx(), &req(json!({"role": "r", "jwt": "x"})), opts);
    assert!(inputs.is_some());
    let n: Vec<String> = ev.checks.iter().map(|c| c.name.clone()).collect();
    assert_eq!(n, vec!["role", "key_source", "token_format", "claims"]);
    assert!(ev.checks[3].skipped);
    assert!(ev
        .error
        .unwrap()
        .message()
        .starts_with("error configuring token validator"));
}

#[test]
fn explain_skips_the_registered_checks_when_they_cannot_be_read() {
    let r = jwt_role(json!({"bound_subject": "alice"}));
    let mut c = good_claims();
    c["exp"] = json!("tomorrow");
    let opts = |go_on| Options {
        compat: Compat::OpenBao,
        now: NOW,
        continue_after_failure: go_on,
    };
    let ev = evaluate("r", &r, &Config::default(), &m(c.clone()), opts(true));
    let names: Vec<(&str, bool, bool)> = ev
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.passed, c.skipped))
        .collect();
    assert_eq!(
        names,
        vec![
            ("claim_types", false, false),
            ("registered_claims", false, true),
            ("user_claim", true, false)
        ]
    );
    let login = evaluate("r", &r, &Config::default(), &m(c), opts(false));
    assert_eq!(err_of(&ev), err_of(&login));
    assert_eq!(
        err_of(&login).as_deref(),
        Some("error validating token: go-jose/go-jose/jwt: expected number value to unmarshal NumericDate")
    );
}
