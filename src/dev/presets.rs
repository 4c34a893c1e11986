//! Claim presets: the tokens users really meet, with their real `iss`, `aud` and `sub`
//! shapes and claim names.
//!
//! - `github-actions`: GitHub's OIDC token (docs.github.com, "OpenID Connect reference").
//!   All custom claims are strings, as GitHub sends them; `aud` defaults to
//!   `https://github.com/<owner>`; `sub` is `repo:<owner>/<repo>:ref:<ref>` (or
//!   `:environment:<name>` when the job has an environment).
//! - `gitlab`: a GitLab CI `id_tokens:` token (docs.gitlab.com, "OpenID Connect (OIDC)
//!   Authentication Using ID Tokens"); ids are strings, `sub` is
//!   `project_path:<group>/<project>:ref_type:<type>:ref:<ref>`.
//! - `kubernetes`: a projected service-account token (`iss`
//!   `https://kubernetes.default.svc.cluster.local`, `sub`
//!   `system:serviceaccount:<ns>:<sa>`, the `kubernetes.io` object).
//!
//! A few claims given by the user steer the derived ones, so `-claim repository=acme/api`
//! also changes `sub`, `repository_owner`, `aud` and the workflow refs; any claim given
//! explicitly still wins over its derived value.

use serde_json::{json, Map, Value};

pub const NAMES: [&str; 3] = ["github-actions", "gitlab", "kubernetes"];

/// The claims of preset `name` at time `now`, steered by the user's `overrides` (which the
/// caller applies on top afterwards).
pub fn claims(
    name: &str,
    now: i64,
    overrides: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    let s = |k: &str, default: &str| -> String {
        overrides
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let jti = uuid::Uuid::new_v4().to_string();
    let v = match name {
        "github-actions" => {
            let repository = s("repository", "octo-org/octo-repo");
            let owner = s(
                "repository_owner",
                repository.split('/').next().unwrap_or("octo-org"),
            );
            let git_ref = s("ref", "refs/heads/main");
            let ref_type = if git_ref.starts_with("refs/tags/") {
                "tag"
            } else {
                "branch"
            };
            let environment = overrides.get("environment").and_then(Value::as_str);
            let sub = match environment {
                Some(env) => format!("repo:{repository}:environment:{env}"),
                None => format!("repo:{repository}:ref:{git_ref}"),
            };
            let sha = "ed7b2b4e3e7d5c8d1a8b9f6e2c3d4a5b6c7d8e9f";
            let workflow_path = ".github/workflows/deploy.yml";
            let mut v = json!({
                "jti": jti,
                "sub": sub,
                "aud": format!("https://github.com/{owner}"),
                "ref": git_ref,
                "sha": sha,
                "repository": repository,
                "repository_owner": owner,
                "repository_owner_id": "65432",
                "repository_visibility": "private",
                "repository_id": "123456789",
                "actor_id": "1234567",
                "actor": "octocat",
                "workflow": "Deploy",
                "head_ref": "",
                "base_ref": "",
                "event_name": "push",
                "ref_protected": "true",
                "ref_type": ref_type,
                "workflow_ref": format!("{repository}/{workflow_path}@{git_ref}"),
                "workflow_sha": sha,
                "job_workflow_ref": format!("{repository}/{workflow_path}@{git_ref}"),
                "job_workflow_sha": sha,
                "runner_environment": "github-hosted",
                "run_id": "8842341515",
                "run_number": "42",
                "run_attempt": "1",
                "iss": "https://token.actions.githubusercontent.com",
                "nbf": now - 5,
                "iat": now,
            });
            if let Some(env) = environment {
                v["environment"] = env.into();
            }
            v
        }
        "gitlab" => {
            let project_path = s("project_path", "my-group/my-project");
            let namespace = s(
                "namespace_path",
                project_path
                    .rsplit_once('/')
                    .map(|(ns, _)| ns)
                    .unwrap_or("my-group"),
            );
            let git_ref = s("ref", "main");
            let ref_type = s("ref_type", "branch");
            json!({
                "namespace_id": "72",
                "namespace_path": namespace,
                "project_id": "42",
                "project_path": project_path,
                "user_id": "17",
                "user_login": "alice",
                "user_email": "alice@example.com",
                "user_access_level": "developer",
                "pipeline_id": "1212",
                "pipeline_source": "push",
                "job_id": "3434",
                "ref": git_ref,
                "ref_type": ref_type,
                "ref_path": if ref_type == "tag" { format!("refs/tags/{git_ref}") } else { format!("refs/heads/{git_ref}") },
                "ref_protected": "true",
                "runner_id": 1,
                "runner_environment": "gitlab-hosted",
                "sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
                "project_visibility": "private",
                "ci_config_ref_uri": format!("gitlab.com/{project_path}//.gitlab-ci.yml@refs/heads/{git_ref}"),
                "ci_config_sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
                "jti": jti,
                "iss": "https://gitlab.com",
                "iat": now,
                "nbf": now - 5,
                "sub": format!("project_path:{project_path}:ref_type:{ref_type}:ref:{git_ref}"),
                "aud": "https://vault.example.com",
            })
        }
        "kubernetes" => {
            // sub steers namespace and service account
            let sub = s("sub", "system:serviceaccount:default:my-app");
            let (ns, sa) = sub
                .strip_prefix("system:serviceaccount:")
                .and_then(|r| r.split_once(':'))
                .map(|(n, a)| (n.to_string(), a.to_string()))
                .unwrap_or_else(|| ("default".into(), "my-app".into()));
            json!({
                "aud": ["https://kubernetes.default.svc.cluster.local"],
                "iat": now,
                "iss": "https://kubernetes.default.svc.cluster.local",
                "jti": jti,
                "kubernetes.io": {
                    "namespace": ns,
                    "pod": {
                        "name": format!("{sa}-7d9c6b5f4-x2k8j"),
                        "uid": "b0a7a3f2-5c1e-4f7a-9a59-2f6d0d8c1e3b",
                    },
                    "serviceaccount": {
                        "name": sa,
                        "uid": "3b1c9f4e-8d2a-4c6b-a1e5-7f9d0c2b4a68",
                    },
                },
                "nbf": now,
                "sub": format!("system:serviceaccount:{ns}:{sa}"),
            })
        }
        other => {
            return Err(format!(
                "unknown preset {other:?}: use one of {}",
                NAMES.join(", ")
            ))
        }
    };
    match v {
        Value::Object(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_derives_from_repository_and_ref() {
        let mut o = Map::new();
        o.insert("repository".into(), "acme/api".into());
        o.insert("ref".into(), "refs/heads/release".into());
        let c = claims("github-actions", 100, &o).unwrap();
        assert_eq!(c["sub"], "repo:acme/api:ref:refs/heads/release");
        assert_eq!(c["aud"], "https://github.com/acme");
        assert_eq!(c["repository_owner"], "acme");
        assert_eq!(
            c["job_workflow_ref"],
            "acme/api/.github/workflows/deploy.yml@refs/heads/release"
        );
        o.insert("environment".into(), "prod".into());
        let c = claims("github-actions", 100, &o).unwrap();
        assert_eq!(c["sub"], "repo:acme/api:environment:prod");
    }

    #[test]
    fn gitlab_and_kubernetes_shapes() {
        let c = claims("gitlab", 100, &Map::new()).unwrap();
        assert_eq!(
            c["sub"],
            "project_path:my-group/my-project:ref_type:branch:ref:main"
        );
        assert_eq!(c["project_id"], "42");
        let mut o = Map::new();
        o.insert("sub".into(), "system:serviceaccount:prod:api".into());
        let c = claims("kubernetes", 100, &o).unwrap();
        assert_eq!(c["kubernetes.io"]["namespace"], "prod");
        assert_eq!(c["kubernetes.io"]["serviceaccount"]["name"], "api");
        assert!(claims("okta", 100, &Map::new())
            .unwrap_err()
            .contains("unknown preset \"okta\""));
    }
}
