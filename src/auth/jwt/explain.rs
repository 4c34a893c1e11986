//! `auth/<mount>/explain`: what `login` would decide for a role and a token, check by check,
//! and the hints shown beside failed checks.
//!
//! The endpoint runs [`super::login::run`] — the very pipeline `login` runs — with
//! `continue_after_failure`, so explain and login cannot disagree. It issues nothing: the
//! backend returns the checks and the `Auth` login would hand to the core, the core runs the
//! login's own completion on it without committing (`core::login::preview`), and [`report`]
//! adds what that found (entity, policies, TTL) to the checks, with the token it would issue.
//! Unlike `login`, the path needs a token whose policies grant `update` on it, since the
//! answer reveals the role and config.

use super::claims;
use super::login::{self, Check, Options, Registered};
use super::role::Role;
use crate::core::login::Completion;
use crate::core::{
    fields, BackendContext, Error, MountEntry, Operation, Request, Response, Result,
};
use serde_json::{json, Map, Value};

/// The endpoint: `{checks, error, warnings, now}`, plus the `Auth` for the core's preview when
/// every check passed.
pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    if !matches!(req.operation, Operation::Update | Operation::Create) {
        return Err(Error::unsupported_operation());
    }
    let (ev, inputs) = login::run(
        ctx,
        req,
        Options {
            compat: ctx.settings.compat,
            now: ctx.now,
            continue_after_failure: true,
        },
    );
    let mut data = Map::new();
    data.insert("now".into(), json!(ctx.now));
    if let Some(i) = &inputs {
        data.insert("role".into(), json!(i.role_name));
    }
    data.insert(
        "checks".into(),
        Value::Array(ev.checks.iter().map(check_json).collect()),
    );
    data.insert(
        "error".into(),
        match &ev.error {
            Some(e) => json!(e.message()),
            None => Value::Null,
        },
    );
    data.insert(
        "error_status".into(),
        match &ev.error {
            Some(e) => json!(e.status),
            None => Value::Null,
        },
    );
    let mut auth = if ev.error.is_none() { ev.auth } else { None };
    if let (Some(a), Some(i)) = (auth.as_mut(), &inputs) {
        if i.role.token_strictly_bind_ip {
            a.bound_cidrs = vec![req.client_addr.to_string()];
        }
    }
    Ok(Some(Response {
        data: Some(data),
        auth,
        warnings: ev.warnings,
        ..Response::default()
    }))
}

/// The endpoint's answer once the core has run the completion: its stages (entity, TTL,
/// policies) become checks after the backend's own, the first failure becomes `error`, and
/// `would_issue` describes the token a login would get when nothing failed.
pub fn report(
    mount: &MountEntry,
    resp: Response,
    completion: Option<Completion>,
) -> Result<Response> {
    let mut resp = resp;
    let auth = resp.auth.take();
    let data = resp.data.get_or_insert_with(Default::default);
    let (Some(auth), Some(done)) = (auth, completion) else {
        data.entry("would_issue").or_insert(Value::Null);
        return Ok(resp);
    };
    let mut checks: Vec<Value> = match data.remove("checks") {
        Some(Value::Array(c)) => c,
        _ => Vec::new(),
    };
    let mut check =
        |name: &str, expected: &str, actual: String, error: Option<&Error>, hint: &str| {
            checks.push(json!({
                "check": name, "expected": expected, "actual": actual,
                "result": if error.is_some() { "fail" } else { "pass" },
                "error": error.map(Error::message).unwrap_or_default(),
                "hint": if error.is_some() { hint } else { "" },
            }));
        };

    if auth.alias.is_some() {
        match (&done.entity, &done.entity_error) {
            (Some(e), err) => check(
                "entity",
                "an enabled entity for the alias (created at the first login)",
                format!(
                    "entity {} ({}){}",
                    e.name,
                    e.id,
                    if e.disabled { ", disabled" } else { "" }
                ),
                err.as_ref(),
                "the entity holding this alias is disabled: enable it with identity/entity/id/<id> disabled=false",
            ),
            (None, None) => check(
                "entity",
                "an enabled entity for the alias (created at the first login)",
                "none yet: login creates one".into(),
                None,
                "",
            ),
            (None, Some(err)) => check("entity", "an entity for the alias", err.message(), Some(err), ""),
        }
    }
    check(
        "ttl",
        "a max TTL above zero",
        if done.ttl_error.is_some() {
            "0s".into()
        } else {
            fields::go_duration_string(auth.ttl)
        },
        done.ttl_error.as_ref(),
        "",
    );
    let mut all = auth.token_policies.clone();
    all.extend(auth.identity_policies.iter().cloned());
    check(
        "policies",
        "no root or response-wrapping policy",
        format!("[{}]", all.join(" ")),
        done.policies_error.as_ref(),
        "an auth method can never give the root policy: remove it from the role (or the entity/group)",
    );

    let data = resp.data.get_or_insert_with(Default::default);
    data.insert("checks".into(), Value::Array(checks));
    if let Some(e) = done.error() {
        data.insert("error".into(), json!(e.message()));
        data.insert("error_status".into(), json!(e.status));
        data.insert("would_issue".into(), Value::Null);
        return Ok(resp);
    }
    let names = |gs: &[crate::identity::store::Group]| {
        gs.iter().map(|g| g.name.clone()).collect::<Vec<_>>()
    };
    let alias = auth
        .alias
        .as_ref()
        .map(|a| json!({"name": a.name, "metadata": a.metadata, "mount_accessor": mount.accessor}));
    data.insert(
        "would_issue".into(),
        json!({
            "display_name": auth.display_name,
            "policies": auth.policies,
            "token_policies": auth.token_policies,
            "identity_policies": auth.identity_policies,
            "ttl": auth.ttl,
            "max_ttl": auth.max_ttl,
            "period": auth.period,
            "explicit_max_ttl": auth.explicit_max_ttl,
            "num_uses": auth.num_uses,
            "token_type": auth.token_type,
            "renewable": auth.renewable,
            "bound_cidrs": auth.bound_cidrs,
            "metadata": auth.metadata,
            "alias": alias,
            "entity": done.entity.as_ref().map(|e| json!({"id": e.id, "name": e.name})),
            "new_entity": auth.alias.is_some() && done.entity.is_none(),
            "group_aliases": auth.group_aliases.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
            "groups": names(&done.groups.wanted),
            "groups_joined": names(&done.groups.join),
            "groups_left": names(&done.groups.leave),
        }),
    );
    Ok(resp)
}

/// A check as the endpoint returns it.
pub fn check_json(c: &Check) -> Value {
    json!({
        "check": c.name,
        "expected": c.expected,
        "actual": c.actual,
        "result": if c.skipped { "skip" } else if c.passed { "pass" } else { "fail" },
        "error": c.error,
        "hint": c.hint,
    })
}

// ---------------------------------------------------------------- times

/// `1700003600 (2023-11-14T23:13:20Z, in 1h)`.
pub fn show_time(t: i64, now: i64) -> String {
    let iso = chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "out of range".into());
    format!("{t} ({iso}, {})", relative(t.saturating_sub(now)))
}

/// `in 5m`, `3h ago`, `now`: the largest whole unit.
pub fn relative(delta: i64) -> String {
    if delta == 0 {
        return "now".into();
    }
    let n = delta.unsigned_abs();
    let text = if n < 60 {
        format!("{n}s")
    } else if n < 3600 {
        format!("{}m", n / 60)
    } else if n < 86_400 {
        format!("{}h", n / 3600)
    } else {
        format!("{}d", n / 86_400)
    };
    if delta > 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

// ---------------------------------------------------------------- hints

/// A failed time check: which leeway applies and which does not (spec §5.4).
pub fn leeway_hint(check: &str, r: &Registered, role: &Role, value: i64, now: i64) -> String {
    let cs = login::effective_leeway(role.clock_skew_leeway, 60);
    let nl = login::effective_leeway(role.not_before_leeway, 150);
    let el = login::effective_leeway(role.expiration_leeway, 150);
    match check {
        "expiration" if r.exp.is_some() && role.expiration_leeway != 0 => format!(
            "expiration_leeway ({el}s) only applies to tokens without exp; a token with exp gets only clock_skew_leeway ({cs}s): it expired {}",
            relative(value.saturating_sub(now))
        ),
        "expiration" if r.exp.is_some() => format!(
            "the token expired {}; only clock_skew_leeway ({cs}s) is allowed past exp (expiration_leeway applies only to tokens without exp)",
            relative(value.saturating_sub(now))
        ),
        "expiration" => format!(
            "the token has no exp, so it counts as expired expiration_leeway ({el}s) after its iat/nbf"
        ),
        "not_before" if r.nbf.is_none() && r.iat.is_none() => format!(
            "the token has neither nbf nor iat, so its nbf is taken as exp - not_before_leeway ({nl}s); a token living longer than that is refused until then: have the issuer set iat, or raise not_before_leeway"
        ),
        "not_before" if role.not_before_leeway != 0 => format!(
            "not_before_leeway ({nl}s) only applies to tokens without nbf and iat; a token with them gets only clock_skew_leeway ({cs}s)"
        ),
        "not_before" => format!(
            "the token becomes valid {}; check the clocks, or raise clock_skew_leeway ({cs}s)",
            relative(value.saturating_sub(now))
        ),
        "issued_at" => format!(
            "iat is {} in the issuer's clock: the clocks differ by more than clock_skew_leeway ({cs}s)",
            relative(value.saturating_sub(now))
        ),
        _ => String::new(),
    }
}

/// An issuer (or audience) that differs from what is bound only in a way that is easy to miss.
pub fn near_miss_hint(what: &str, expected: &str, actual: Option<&str>) -> String {
    let Some(actual) = actual else {
        return format!("the token has no {what} claim");
    };
    let trim = |s: &str| s.trim_end_matches('/').to_string();
    let scheme_less = |s: &str| {
        s.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    };
    if expected != actual && trim(expected) == trim(actual) {
        let (with, without) = if expected.ends_with('/') {
            ("configured value", "token's")
        } else {
            ("token's", "configured value")
        };
        return format!(
            "{what} differs only by a trailing slash: the {with} ends with \"/\", the {without} does not; the comparison is exact"
        );
    }
    if expected != actual && scheme_less(expected) == scheme_less(actual) {
        return format!(
            "{what} differs only by its scheme (http vs https); the comparison is exact"
        );
    }
    if expected.eq_ignore_ascii_case(actual) {
        return format!("{what} differs only in letter case; the comparison is exact");
    }
    String::new()
}

/// The audience presence rule.
pub fn aud_presence_hint(config_token_audiences: &[String]) -> String {
    let mut h = "the token carries aud but the role has no bound_audiences: set bound_audiences on the role to the token's aud".to_string();
    if !config_token_audiences.is_empty() {
        h.push_str(" (the config's token_audiences is not used for this in OpenBao)");
    }
    h
}

/// A `sub` value or glob written for another shape of GitHub Actions' subject.
pub fn github_sub_hint(pattern: &str, actual: &str) -> String {
    let (Some(p), Some(a)) = (pattern.strip_prefix("repo:"), actual.strip_prefix("repo:")) else {
        return String::new();
    };
    let (p_repo, p_ctx) = p.split_once(':').unwrap_or((p, ""));
    let (a_repo, a_ctx) = a.split_once(':').unwrap_or((a, ""));
    if a_repo.contains('@') && !p_repo.contains('@') {
        return format!(
            "GitHub now issues immutable subjects (repo:OWNER@ID/REPO@ID:...) for new repositories; \"{pattern}\" is written for the old repo:OWNER/REPO:... format: bind on the repository or repository_id claim instead of sub"
        );
    }
    let kind = |ctx: &str| {
        ctx.split(':')
            .next()
            .unwrap_or("")
            .trim_end_matches('*')
            .to_string()
    };
    let (pk, ak) = (kind(p_ctx), kind(a_ctx));
    if !pk.is_empty() && !ak.is_empty() && pk != ak && !p_ctx.starts_with('*') {
        return format!(
            "GitHub's sub depends on the trigger: this token's is \"{ak}:...\" (e.g. a job with an environment gets environment:NAME instead of ref:REF), the role expects \"{pk}:...\"; add a value for this shape, or bind on the ref/environment claims"
        );
    }
    String::new()
}

/// A failed bound claim: missing, a type mismatch, a glob written for `string`, or a
/// GitHub subject shape.
pub fn bound_claim_hint(
    claims_map: &Map<String, Value>,
    key: &str,
    expected: &Value,
    glob: bool,
) -> String {
    let Some(actual) = claims::get_claim(claims_map, key) else {
        let mut h = format!("the token has no {key:?} claim");
        if !key.starts_with('/') && (key.contains('/') || key.contains('.')) {
            h.push_str("; for a nested claim use a JSON pointer such as \"/a/b\"");
        }
        return h;
    };
    let actual = actual.to_value();
    let wanted: Vec<&Value> = match expected {
        Value::Array(items) => items.iter().collect(),
        v => vec![v],
    };
    let actual_items: Vec<&Value> = match &actual {
        Value::Array(items) => items.iter().collect(),
        v => vec![v],
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for w in &wanted {
        for a in &actual_items {
            if std::mem::discriminant(*w) != std::mem::discriminant(*a) && text(w) == text(a) {
                return format!(
                    "same text, different types: the role binds {} ({}), the token has {} ({})",
                    w,
                    kind(w),
                    a,
                    kind(a)
                );
            }
        }
    }
    if !glob
        && wanted
            .iter()
            .any(|w| w.as_str().is_some_and(|s| s.contains('*')))
    {
        return "a bound value contains \"*\" but bound_claims_type is \"string\" (exact match); set bound_claims_type=glob for patterns".into();
    }
    if key.trim_start_matches('/') == "sub" {
        for w in &wanted {
            if let (Some(p), Some(a)) = (w.as_str(), actual.as_str()) {
                let h = github_sub_hint(p, a);
                if !h.is_empty() {
                    return h;
                }
            }
        }
    }
    if let (Some(a), [Value::String(w)]) = (actual.as_str(), &wanted[..]) {
        let h = near_miss_hint(key, w, Some(a));
        if !h.is_empty() {
            return h;
        }
    }
    String::new()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The user claim is missing or not a string.
pub fn user_claim_hint(claims_map: &Map<String, Value>, user_claim: &str, pointer: bool) -> String {
    let value = if pointer {
        claims::get_claim(claims_map, user_claim).map(|c| c.to_value())
    } else {
        claims_map.get(user_claim).filter(|v| !v.is_null()).cloned()
    };
    match value {
        None if user_claim.starts_with('/') && !pointer => format!(
            "{user_claim:?} looks like a JSON pointer: set user_claim_json_pointer=true on the role"
        ),
        None => format!(
            "the token has no {user_claim:?} claim (it has: {})",
            claim_names(claims_map)
        ),
        Some(v) => format!(
            "user_claim must name a string claim; {user_claim:?} is of type {} here: choose another claim (sub, email, ...)",
            kind(&v)
        ),
    }
}

/// The groups claim is missing or has the wrong type.
pub fn groups_hint(claims_map: &Map<String, Value>, groups_claim: &str) -> String {
    match claims::get_claim(claims_map, groups_claim) {
        None => format!(
            "the token has no {groups_claim:?} claim (it has: {}); some issuers omit it when the user is in no group, and a role with groups_claim then refuses the login",
            claim_names(claims_map)
        ),
        Some(c) => format!(
            "groups_claim must name a list of strings (or one string); {groups_claim:?} is of type {} here",
            kind(&c.to_value())
        ),
    }
}

fn claim_names(claims_map: &Map<String, Value>) -> String {
    let names: Vec<&str> = claims_map.keys().map(String::as_str).collect();
    if names.is_empty() {
        "no claims".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        assert_eq!(relative(0), "now");
        assert_eq!(relative(300), "in 5m");
        assert_eq!(relative(-3 * 3600 - 5), "3h ago");
        assert_eq!(relative(-59), "59s ago");
        assert_eq!(relative(2 * 86_400), "in 2d");
        assert_eq!(
            show_time(1_700_000_000, 1_700_000_300),
            "1700000000 (2023-11-14T22:13:20Z, 5m ago)"
        );
        assert!(show_time(i64::MAX, 0).contains("out of range"));
    }

    #[test]
    fn issuer_near_misses() {
        assert!(near_miss_hint("iss", "https://a/", Some("https://a"))
            .contains("configured value ends with \"/\""));
        assert!(near_miss_hint("iss", "https://a", Some("https://a/"))
            .contains("token's ends with \"/\""));
        assert!(near_miss_hint("iss", "https://a", Some("http://a")).contains("scheme"));
        assert_eq!(near_miss_hint("iss", "https://a", Some("https://b")), "");
        assert!(near_miss_hint("iss", "https://a", None).contains("no iss"));
    }

    #[test]
    fn github_subjects() {
        assert!(
            github_sub_hint("repo:org/app:*", "repo:org@1/app@2:ref:refs/heads/main")
                .contains("immutable")
        );
        assert!(github_sub_hint(
            "repo:org/app:ref:refs/heads/main",
            "repo:org/app:environment:prod"
        )
        .contains("\"environment:...\""));
        assert_eq!(
            github_sub_hint("repo:org/app:ref:*", "repo:other/app:ref:refs/heads/main"),
            ""
        );
        assert_eq!(github_sub_hint("alice", "bob"), "");
    }

    #[test]
    fn bound_claim_hints() {
        let c = json!({"n": 123, "s": "x", "sub": "repo:o/r:environment:prod"});
        let c = c.as_object().unwrap();
        assert!(bound_claim_hint(c, "n", &json!(["123"]), false).contains("different types"));
        assert!(bound_claim_hint(c, "s", &json!("x*"), false).contains("bound_claims_type=glob"));
        assert!(bound_claim_hint(c, "team", &json!("a"), false).contains("no \"team\" claim"));
        assert!(bound_claim_hint(c, "org.team", &json!("a"), false).contains("JSON pointer"));
        assert!(
            bound_claim_hint(c, "sub", &json!("repo:o/r:ref:refs/heads/*"), true)
                .contains("depends on the trigger")
        );
    }

    #[test]
    fn identity_hints() {
        let c = json!({"sub": 5, "groups": "x"});
        let c = c.as_object().unwrap();
        assert!(user_claim_hint(c, "sub", false).contains("is of type number"));
        assert!(user_claim_hint(c, "email", false).contains("has: sub, groups"));
        assert!(user_claim_hint(c, "/a/b", false).contains("user_claim_json_pointer"));
        assert!(groups_hint(c, "roles").contains("no \"roles\" claim"));
        let c = json!({"groups": {"a": 1}});
        assert!(groups_hint(c.as_object().unwrap(), "groups").contains("is of type object"));
    }
}
