//! `token_policies_template_claims` through the binary: Go's template language on the claims,
//! OpenBao's errors at role write (a multierror) and at login (a plain Go error).

use crate::common;

use common::TestEnv;
use serde_json::Value;

fn strict(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> common::Out {
    let mut c = env.cmd(args).env("VAULTJWT_COMPAT", "openbao");
    if let Some(s) = stdin {
        c = c.stdin(s);
    }
    c.run()
}

/// A static-key mount; returns the `-key=` argument for `jwt sign`.
fn setup(env: &TestEnv) -> String {
    let prefix = env.home.path().join("k");
    env.run(&[
        "jwt",
        "keygen",
        "-alg=ES256",
        &format!("-out={}", prefix.display()),
    ])
    .success();
    strict(env, &["auth", "enable", "jwt"], None).success();
    strict(
        env,
        &[
            "write",
            "auth/jwt/config",
            &format!("jwt_validation_pubkeys=@{}.public.pem", prefix.display()),
        ],
        None,
    )
    .success();
    format!("-key=@{}.private.pem", prefix.display())
}

fn role(env: &TestEnv, name: &str, templates: &[&str]) -> common::Out {
    let body = serde_json::json!({
        "role_type": "jwt",
        "user_claim": "sub",
        "bound_audiences": ["vault"],
        "token_policies_template_claims": true,
        "token_policies": templates,
    });
    strict(
        env,
        &["write", &format!("auth/jwt/role/{name}"), "-"],
        Some(&body.to_string()),
    )
}

fn login(env: &TestEnv, role: &str, jwt: &str) -> common::Out {
    strict(
        env,
        &[
            "write",
            "-format=json",
            "auth/jwt/login",
            &format!("role={role}"),
            &format!("jwt={jwt}"),
        ],
        None,
    )
}

#[test]
fn templates_run_the_whole_language_on_the_claims() {
    let env = TestEnv::new();
    let key = setup(&env);
    let out = role(
        &env,
        "r",
        &[
            "{{ if eq .env \"prod\" }}prod-admin{{ else if eq .env \"dev\" }}dev{{ end }}",
            "{{ range $i, $g := .groups }}{{ if $i }}+{{ end }}team-{{ $g }}{{ end }}",
            "{{ with .org }}{{ .name | replace \" \" \"-\" | truncate 8 }}{{ end }}",
            "{{ printf \"level-%03.0f\" .level }}",
            "{{ if glob \"ci-*\" .sub }}ci{{ end }}",
        ],
    );
    out.success();
    let jwt = {
        let o = env.run(&[
            "jwt",
            "sign",
            &key,
            "-claim",
            "sub=ci-runner",
            "-claim",
            "aud=vault",
            "-claim",
            "env=prod",
            "-claim",
            r#"groups=["a","b"]"#,
            "-claim",
            r#"org={"name":"the big org"}"#,
            "-claim",
            "level=7",
        ]);
        o.success();
        o.stdout.trim().to_string()
    };
    let out = login(&env, "r", &jwt);
    out.success();
    let auth: Value = out.json()["auth"].clone();
    assert_eq!(
        auth["token_policies"],
        serde_json::json!([
            "ci",
            "default",
            "level-007",
            "prod-admin",
            "team-a+team-b",
            "the-big-"
        ])
    );

    // A template that fails to execute fails the login with Go's error, located.
    role(&env, "bad", &["ok", "{{ if eq .level 7 }}x{{ end }}"]).success();
    let out = login(&env, "bad", &jwt);
    out.code(2);
    assert!(
        out.stderr.contains(
            "* failed to template policy [1]: unable to apply template: template: template:1:6: \
             executing \"template\" at <eq .level 7>: error calling eq: incompatible types for \
             comparison: float64 and int"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_template_that_does_not_parse_is_refused_at_role_write() {
    let env = TestEnv::new();
    setup(&env);
    let out = role(&env, "r", &["fine", "{{ range .groups }}{{ .x }}"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "Code: 500. Errors:\n\n* 1 error occurred:\n\t* failed to parse template policy [1]: \
             unable to parse template: template: template:1: unexpected EOF"
        ),
        "{}",
        out.stderr
    );
    strict(&env, &["read", "auth/jwt/role/r"], None).code(2);
}
