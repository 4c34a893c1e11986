//! `auth/<mount>/login` (spec §5): the checks in OpenBao's order, then the `Auth`.
//!
//! The handler does the checks that come before the signature (config, role, token present,
//! bound CIDRs), calls `keys::verify`, then runs [`evaluate`]: the checks over the verified
//! claims as a pipeline of named [`Check`]s. [`evaluate`] stops at the first failure unless
//! asked to continue (for `jwt explain`).

use super::claims;
use super::config::{self, Config};
use super::keys;
use super::role::{self, Role};
use crate::core::fields;
use crate::core::{Alias, Auth, BackendContext, Error, Request, Response, Result};
use crate::settings::Compat;
use crate::token::TokenEntry;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// One check of the login pipeline, as `jwt explain` will show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Short name (`issuer`, `audience`, `expiration`, `bound_claims.groups`, ...).
    pub name: String,
    /// What the role or config expects.
    pub expected: String,
    /// What the token has.
    pub actual: String,
    pub passed: bool,
    /// The error OpenBao gives when this check fails (full text), empty when it passed.
    pub error: String,
    /// A hint in plain words for a failure, empty when none helps.
    pub hint: String,
    /// Not evaluated because an earlier check failed (`passed` is then false, `error` empty).
    pub skipped: bool,
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub checks: Vec<Check>,
    /// The Auth, when every check passed.
    pub auth: Option<Auth>,
    /// The first failure in OpenBao's order.
    pub error: Option<Error>,
    /// Default-mode notes on where OpenBao would answer differently.
    pub warnings: Vec<String>,
}

impl Evaluation {
    pub fn record(
        &mut self,
        name: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        outcome: std::result::Result<(), String>,
    ) -> bool {
        self.record_result(name, expected, actual, outcome.map_err(Error::bad_request))
    }

    /// Records a check whose failure is a full `Error` (any status).
    pub fn record_result(
        &mut self,
        name: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        outcome: Result<()>,
    ) -> bool {
        let (passed, error) = match outcome {
            Ok(()) => (true, String::new()),
            Err(e) => {
                let text = e.message();
                if self.error.is_none() {
                    self.error = Some(e);
                }
                (false, text)
            }
        };
        self.checks.push(Check {
            name: name.into(),
            expected: expected.into(),
            actual: actual.into(),
            passed,
            error,
            hint: String::new(),
            skipped: false,
        });
        passed
    }

    /// Records a check that could not be evaluated.
    pub fn skip(
        &mut self,
        name: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) {
        self.checks.push(Check {
            name: name.into(),
            expected: expected.into(),
            actual: actual.into(),
            passed: false,
            error: String::new(),
            hint: String::new(),
            skipped: true,
        });
    }

    /// Sets the hint of the last check, when it failed and the hint is not empty.
    pub fn hint(&mut self, hint: impl Into<String>) {
        let hint = hint.into();
        if let Some(c) = self.checks.last_mut() {
            if !c.passed && !c.skipped && !hint.is_empty() {
                c.hint = hint;
            }
        }
    }
}

/// How to run [`evaluate`].
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub compat: Compat,
    /// Current time, Unix seconds.
    pub now: i64,
    /// Keep checking after a failure (`jwt explain`); login stops at the first.
    pub continue_after_failure: bool,
}

/// The registered claims as go-jose reads them (spec §5.3 step 3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registered {
    pub iss: Option<String>,
    pub sub: Option<String>,
    /// `None` when absent; a string becomes a one-element list.
    pub aud: Option<Vec<String>>,
    /// Unix seconds, truncated; 0 (or absent) is `None`.
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
}

/// Reads the registered claims with go-jose's type errors: `Audience` and `NumericDate`
/// errors stop at once, plain type errors are reported after the whole object is read.
/// cap re-marshals the claims before decoding them into `jwt.Claims`, and Go's
/// `json.Marshal` sorts a map's keys, so the claims are read in byte order of their names
/// (`aud` before `iat`, `jti` before `sub`), whatever the token's order.
pub fn registered_claims(claims: &Map<String, Value>) -> std::result::Result<Registered, String> {
    let mut r = Registered::default();
    let mut type_error: Option<String> = None;
    let mut sorted: Vec<(&String, &Value)> = claims.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (key, v) in sorted {
        let field = key.to_ascii_lowercase();
        match field.as_str() {
            "iss" | "sub" | "jti" => {
                let s = match v {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    other => {
                        if type_error.is_none() {
                            type_error = Some(format!(
                                "json: cannot unmarshal {} into Go struct field Claims.{field} of type string",
                                json_kind(other)
                            ));
                        }
                        continue;
                    }
                };
                match field.as_str() {
                    "iss" => r.iss = s,
                    "sub" => r.sub = s,
                    _ => {}
                }
            }
            "aud" => {
                let err =
                    "go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience";
                r.aud = Some(match v {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| err.to_string())?,
                    _ => return Err(err.to_string()),
                });
            }
            "exp" | "nbf" | "iat" => {
                let t =
                    match v {
                        Value::Null => None,
                        Value::Number(n) => {
                            let f = n.as_f64().unwrap_or(0.0);
                            let secs = f.trunc();
                            // Go's int64(f) on amd64 (bao's reference build): a value out
                            // of range becomes math.MinInt64, so exp=1e300 is expired.
                            let secs = if secs >= i64::MAX as f64 || secs < i64::MIN as f64 {
                                i64::MIN
                            } else {
                                secs as i64
                            };
                            Some(secs).filter(|s| *s != 0)
                        }
                        _ => return Err(
                            "go-jose/go-jose/jwt: expected number value to unmarshal NumericDate"
                                .into(),
                        ),
                    };
                match field.as_str() {
                    "exp" => r.exp = t,
                    "nbf" => r.nbf = t,
                    _ => r.iat = t,
                }
            }
            _ => {}
        }
    }
    match type_error {
        Some(e) => Err(e),
        None => Ok(r),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The effective leeways: `<0` → 0, `0` → the default, else the value.
pub fn effective_leeway(value: i64, default: i64) -> i64 {
    match value {
        v if v < 0 => 0,
        0 => default,
        v => v,
    }
}

/// One time check of spec §5.4.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeCheck {
    pub name: &'static str,
    pub expected: String,
    pub actual: String,
    /// The error text follows `error validating token: `.
    pub outcome: std::result::Result<(), String>,
    pub hint: String,
}

/// The time checks of spec §5.4, in their order.
pub fn time_checks(r: &Registered, role: &Role, now: i64) -> Vec<TimeCheck> {
    use super::explain::{leeway_hint, show_time};
    let mut out = Vec::new();
    if r.iat.is_none() && r.nbf.is_none() && r.exp.is_none() {
        out.push(TimeCheck {
            name: "time_claims_present",
            expected: "one of iat, nbf, exp".to_string(),
            actual: "none".to_string(),
            outcome: Err(
                "no issued at (iat), not before (nbf), or expiration time (exp) claims in token"
                    .to_string(),
            ),
            hint: String::new(),
        });
        return out;
    }
    let el = effective_leeway(role.expiration_leeway, 150);
    let nl = effective_leeway(role.not_before_leeway, 150);
    let cs = effective_leeway(role.clock_skew_leeway, 60);
    let exp = match r.exp {
        Some(e) => e,
        None => r
            .iat
            .unwrap_or(0)
            .max(r.nbf.unwrap_or(0))
            .saturating_add(el),
    };
    let nbf = match (r.nbf, r.iat) {
        (Some(n), _) => n,
        (None, Some(i)) => i,
        (None, None) => exp.saturating_sub(nl),
    };
    let nbf_actual = match (r.nbf, r.iat) {
        (Some(n), _) => format!("nbf {}", show_time(n, now)),
        (None, Some(i)) => format!("no nbf; iat {}", show_time(i, now)),
        (None, None) => format!(
            "no nbf or iat; exp - not_before_leeway {nl}s = {}",
            show_time(nbf, now)
        ),
    };
    let failed = now.saturating_add(cs) < nbf;
    out.push(TimeCheck {
        name: "not_before",
        expected: format!("<= now + clock skew {cs}s"),
        actual: nbf_actual,
        outcome: if failed {
            Err("invalid not before (nbf) claim: token not yet valid".to_string())
        } else {
            Ok(())
        },
        hint: if failed {
            leeway_hint("not_before", r, role, nbf, now)
        } else {
            String::new()
        },
    });
    let exp_actual = match r.exp {
        Some(e) => format!("exp {}", show_time(e, now)),
        None => format!(
            "no exp; max(iat, nbf) + expiration_leeway {el}s = {}",
            show_time(exp, now)
        ),
    };
    let failed = now.saturating_sub(cs) > exp;
    out.push(TimeCheck {
        name: "expiration",
        expected: format!(">= now - clock skew {cs}s"),
        actual: exp_actual,
        outcome: if failed {
            Err("invalid expiration time (exp) claim: token is expired".to_string())
        } else {
            Ok(())
        },
        hint: if failed {
            leeway_hint("expiration", r, role, exp, now)
        } else {
            String::new()
        },
    });
    if let Some(iat) = r.iat {
        let failed = now.saturating_add(cs) < iat;
        out.push(TimeCheck {
            name: "issued_at",
            expected: format!("<= now + clock skew {cs}s"),
            actual: format!("iat {}", show_time(iat, now)),
            outcome: if failed {
                Err("invalid issued at (iat) claim: token issued in the future".to_string())
            } else {
                Ok(())
            },
            hint: if failed {
                leeway_hint("issued_at", r, role, iat, now)
            } else {
                String::new()
            },
        });
    }
    out
}

fn show_list(l: &[String]) -> String {
    format!("[{}]", l.join(" "))
}

fn show_opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "(absent)".into())
}

/// The default-mode note when `config.token_audiences` replaced the audience presence rule.
pub const WARN_TOKEN_AUDIENCES: &str = "the role has no bound_audiences, so the token's aud was checked against the config's token_audiences. OpenBao ignores token_audiences and would refuse this login with: audience claim found in JWT but no audiences bound to the role";

/// The checks that follow signature and `alg` verification (spec §5.2 steps 8–12), over
/// plain claim maps. The error of the first failing check is the login's error.
pub fn evaluate(
    role_name: &str,
    role: &Role,
    config: &Config,
    claims: &Map<String, Value>,
    opts: Options,
) -> Evaluation {
    let mut ev = Evaluation::default();
    let go_on = |ev: &Evaluation| opts.continue_after_failure || ev.error.is_none();
    let token_err = |e: String| format!("error validating token: {e}");

    // cap: registered claim types.
    let reg = match registered_claims(claims) {
        Ok(r) => {
            ev.record("claim_types", "registered claims well typed", "ok", Ok(()));
            Some(r)
        }
        Err(e) => {
            ev.record(
                "claim_types",
                "registered claims well typed",
                e.clone(),
                Err(token_err(e)),
            );
            if !opts.continue_after_failure {
                return ev;
            }
            ev.skip(
                "registered_claims",
                "the iss, sub, aud and time checks",
                "not checked: the registered claims could not be read",
            );
            None
        }
    };

    // The checks over the registered claims (skipped for explain when they are mistyped).
    if let Some(reg) = reg {
        registered_checks(&mut ev, role, config, &reg, opts);
        if !go_on(&ev) {
            return ev;
        }
    }

    // Identity: user claim, metadata, groups.
    let user = claims::user_claim(claims, &role.user_claim, role.user_claim_json_pointer);
    ev.record(
        "user_claim",
        format!("claim {:?} is a string", role.user_claim),
        match &user {
            Ok(u) => u.clone(),
            Err(_) => claim_text(claims, &role.user_claim, role.user_claim_json_pointer),
        },
        user.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    if user.is_err() {
        ev.hint(super::explain::user_claim_hint(
            claims,
            &role.user_claim,
            role.user_claim_json_pointer,
        ));
    }
    if !go_on(&ev) {
        return ev;
    }
    let empty = Map::new();
    let mappings = role.claim_mappings.as_ref().unwrap_or(&empty);
    let metadata = claims::mapped_metadata(claims, mappings);
    if !mappings.is_empty() {
        ev.record(
            "claim_mappings",
            "mapped claims are strings",
            match &metadata {
                Ok(m) => format!("{m:?}"),
                Err(_) => "not all strings".into(),
            },
            metadata.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        if !go_on(&ev) {
            return ev;
        }
    }
    let groups = if role.groups_claim.is_empty() {
        Ok(Vec::new())
    } else {
        let g = claims::groups(claims, &role.groups_claim);
        ev.record(
            "groups_claim",
            format!("claim {:?} is a list of strings", role.groups_claim),
            match &g {
                Ok(l) => show_list(l),
                Err(_) => claim_text(claims, &role.groups_claim, true),
            },
            g.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        if g.is_err() {
            ev.hint(super::explain::groups_hint(claims, &role.groups_claim));
        }
        if !go_on(&ev) {
            return ev;
        }
        g
    };

    // Bound claims.
    if let Some(bound) = &role.bound_claims {
        let glob = role.bound_claims_type == "glob";
        for (key, expected) in bound {
            let outcome = claims::check_one_bound_claim(claims, key, expected, glob)
                .map_err(|e| format!("error validating claims: {e}"));
            ev.record(
                format!("bound_claims.{key}"),
                format!(
                    "{} {}",
                    if glob { "glob" } else { "equals one of" },
                    claims::go_v(expected)
                ),
                claim_text(claims, key, true),
                outcome,
            );
            if ev.checks.last().is_some_and(|c| !c.passed) {
                ev.hint(super::explain::bound_claim_hint(
                    claims, key, expected, glob,
                ));
            }
            if !go_on(&ev) {
                return ev;
            }
        }
    }

    if ev.error.is_some() {
        return ev;
    }
    let (Ok(user), Ok(mut metadata), Ok(groups)) = (user, metadata, groups) else {
        return ev;
    };
    metadata.insert("role".to_string(), role_name.to_string());
    let mut auth = build_auth(role_name, role, user, metadata, groups);
    if role.token_policies_template_claims {
        match super::template::render(&role.token_policies, claims) {
            Ok(policies) => {
                ev.record(
                    "policy_templates",
                    show_list(&role.token_policies),
                    show_list(&policies),
                    Ok(()),
                );
                auth.policies = policies;
            }
            Err(e) => {
                ev.record(
                    "policy_templates",
                    show_list(&role.token_policies),
                    "template failed",
                    Err(e.clone()),
                );
                // A Go error in OpenBao (500).
                ev.error = Some(Error::internal(e));
                return ev;
            }
        }
    }
    ev.auth = Some(auth);
    ev
}

/// The checks of the registered claims (spec §5.3–5.4): iss, sub, aud, the time claims and
/// the audience presence rule. Part of [`evaluate`].
fn registered_checks(
    ev: &mut Evaluation,
    role: &Role,
    config: &Config,
    reg: &Registered,
    opts: Options,
) {
    let go_on = |ev: &Evaluation| opts.continue_after_failure || ev.error.is_none();
    let token_err = |e: String| format!("error validating token: {e}");
    if !config.bound_issuer.is_empty() {
        let ok = reg.iss.as_deref() == Some(config.bound_issuer.as_str());
        ev.record(
            "issuer",
            config.bound_issuer.clone(),
            show_opt(&reg.iss),
            if ok {
                Ok(())
            } else {
                Err(token_err("invalid issuer (iss) claim".into()))
            },
        );
        ev.hint(super::explain::near_miss_hint(
            "iss",
            &config.bound_issuer,
            reg.iss.as_deref(),
        ));
        if !go_on(ev) {
            return;
        }
    }
    if !role.bound_subject.is_empty() {
        let ok = reg.sub.as_deref() == Some(role.bound_subject.as_str());
        ev.record(
            "subject",
            role.bound_subject.clone(),
            show_opt(&reg.sub),
            if ok {
                Ok(())
            } else {
                Err(token_err("invalid subject (sub) claim".into()))
            },
        );
        ev.hint(match reg.sub.as_deref() {
            Some(sub) => {
                let h = super::explain::github_sub_hint(&role.bound_subject, sub);
                if h.is_empty() {
                    super::explain::near_miss_hint("sub", &role.bound_subject, Some(sub))
                } else {
                    h
                }
            }
            None => "the token has no sub claim".into(),
        });
        if !go_on(ev) {
            return;
        }
    }
    let token_aud = reg.aud.clone().unwrap_or_default();
    let role_auds = role.bound_audiences.clone().unwrap_or_default();
    let aud_mismatch =
        "invalid audience (aud) claim: audience claim does not match any expected audience";
    let mut presence_satisfied = false;
    if !role_auds.is_empty() {
        let ok = role_auds.iter().any(|a| token_aud.contains(a));
        ev.record(
            "audience",
            format!("one of {}", show_list(&role_auds)),
            show_list(&token_aud),
            if ok {
                Ok(())
            } else {
                Err(token_err(aud_mismatch.into()))
            },
        );
        ev.hint(match (&role_auds[..], &token_aud[..]) {
            (_, []) => "the token has no aud claim".to_string(),
            ([want], [have]) => super::explain::near_miss_hint("aud", want, Some(have)),
            _ => String::new(),
        });
        if !go_on(ev) {
            return;
        }
    } else if opts.compat == Compat::Default && !config.token_audiences.is_empty() {
        let ok = config.token_audiences.iter().any(|a| token_aud.contains(a));
        ev.record(
            "audience (config token_audiences)",
            format!("one of {}", show_list(&config.token_audiences)),
            show_list(&token_aud),
            if ok {
                Ok(())
            } else {
                Err(token_err(aud_mismatch.into()))
            },
        );
        if !token_aud.is_empty() {
            ev.warnings.push(WARN_TOKEN_AUDIENCES.to_string());
        }
        presence_satisfied = true;
        if !go_on(ev) {
            return;
        }
    }

    // cap: time.
    for t in time_checks(reg, role, opts.now) {
        ev.record(t.name, t.expected, t.actual, t.outcome.map_err(token_err));
        ev.hint(t.hint);
        if !go_on(ev) {
            return;
        }
    }

    // Audience presence rule.
    if role_auds.is_empty() && !presence_satisfied {
        let ok = token_aud.is_empty();
        ev.record(
            "audience_presence",
            "no aud (the role binds no audience)",
            match &reg.aud {
                None => "(absent)".to_string(),
                Some(a) => show_list(a),
            },
            if ok {
                Ok(())
            } else {
                Err("audience claim found in JWT but no audiences bound to the role".into())
            },
        );
        ev.hint(super::explain::aud_presence_hint(&config.token_audiences));
    }
}

/// A claim's value for display (`(absent)` when it does not resolve).
fn claim_text(claims: &Map<String, Value>, reference: &str, pointer: bool) -> String {
    let c = if pointer {
        claims::get_claim(claims, reference)
    } else {
        claims
            .get(reference)
            .filter(|v| !v.is_null())
            .map(|v| claims::Claim::Value(v.clone()))
    };
    match c {
        None => "(absent)".into(),
        Some(c) => c.to_value().to_string(),
    }
}

/// The `Auth` of spec §5.6 (bound CIDRs are the role's; the handler applies
/// `token_strictly_bind_ip`).
pub(crate) fn build_auth(
    role_name: &str,
    role: &Role,
    user: String,
    metadata: BTreeMap<String, String>,
    groups: Vec<String>,
) -> Auth {
    let mut internal = Map::new();
    internal.insert("role".into(), Value::String(role_name.to_string()));
    internal.insert("role_type".into(), Value::String("native".into()));
    Auth {
        display_name: user.clone(),
        policies: role.token_policies.clone(),
        metadata: metadata.clone(),
        alias: Some(Alias {
            name: user,
            metadata,
        }),
        group_aliases: groups
            .into_iter()
            .map(|g| Alias {
                name: g,
                metadata: BTreeMap::new(),
            })
            .collect(),
        internal_data: internal,
        ttl: role.token_ttl,
        max_ttl: role.token_max_ttl,
        period: role.token_period,
        explicit_max_ttl: role.token_explicit_max_ttl,
        num_uses: role.token_num_uses,
        no_default_policy: role.token_no_default_policy,
        token_type: role.token_type.clone(),
        bound_cidrs: role.token_bound_cidrs.clone(),
        renewable: true,
        ..Auth::default()
    }
}

fn field_failed(field: &str, detail: &str) -> Error {
    crate::framework::field_validation_failed(field, detail)
}

/// What the checks before the signature produce (spec §5.2 steps 1–6).
#[derive(Debug, Clone)]
pub struct LoginInputs {
    pub config: Config,
    /// Lower-cased; the config's `default_role` when the request names none.
    pub role_name: String,
    pub role: Role,
    pub jwt: String,
}

/// The checks before the signature, in OpenBao's order: field conversion, config, role name,
/// role, role type, token present, bound CIDRs (403 before any parsing).
pub fn prepare(ctx: &BackendContext, req: &Request) -> Result<LoginInputs> {
    let mut ev = Evaluation::default();
    match prepare_checked(ctx, req, &mut ev, false) {
        Some(i) if ev.error.is_none() => Ok(i),
        _ => Err(ev
            .error
            .unwrap_or_else(|| Error::internal("login preparation failed"))),
    }
}

/// [`prepare`] recording its checks in `ev`; `None` (and the error in `ev`) when one failed.
/// Nothing after a failure here makes sense, so these always stop at the first.
fn prepare_checked(
    ctx: &BackendContext,
    req: &Request,
    ev: &mut Evaluation,
    explain: bool,
) -> Option<LoginInputs> {
    let fail = |ev: &mut Evaluation, name: &str, expected: &str, actual: String, e: Error| {
        ev.record_result(name, expected, actual, Err(e));
        None
    };
    // Field conversion happens before the handler.
    let role_param = match req.data.get("role") {
        Some(v) => match fields::string(v) {
            Ok(r) => r.to_lowercase(),
            Err(d) => {
                return fail(
                    ev,
                    "request",
                    "role is a string",
                    v.to_string(),
                    field_failed("role", &d),
                )
            }
        },
        None => String::new(),
    };
    let jwt = match req.data.get("jwt") {
        Some(v) => match fields::string(v) {
            Ok(j) => j,
            Err(d) => {
                return fail(
                    ev,
                    "request",
                    "jwt is a string",
                    v.to_string(),
                    field_failed("jwt", &d),
                )
            }
        },
        None => String::new(),
    };

    // 1. config
    let config = match config::load(ctx) {
        Ok(Some(c)) => c,
        Ok(None) => {
            return fail(
                ev,
                "config",
                "the mount is configured",
                "no config".into(),
                Error::bad_request("could not load configuration"),
            )
        }
        Err(e) => return fail(ev, "config", "the mount is configured", e.message(), e),
    };
    // 2. role name
    let role_name = if role_param.is_empty() {
        config.default_role.to_lowercase()
    } else {
        role_param
    };
    let role_expected = "an existing role of role_type jwt";
    if role_name.is_empty() {
        return fail(
            ev,
            "role",
            role_expected,
            "no role given and no default_role".into(),
            Error::bad_request("missing role"),
        );
    }
    // 3. role exists
    let role = match role::load(&ctx.storage, &role_name) {
        Ok(Some(r)) => r,
        Ok(None) => {
            return fail(
                ev,
                "role",
                role_expected,
                format!("{role_name:?} does not exist"),
                Error::bad_request(format!(
                    "role {} could not be found",
                    fields::go_quote(&role_name)
                )),
            )
        }
        Err(e) => return fail(ev, "role", role_expected, e.message(), e),
    };
    // 4. role type. `jwt explain` goes on with an oidc role: after login's refusal, the
    // checks `oidc/callback` makes of an ID token (`oidc::explain`).
    if role.role_type == "oidc" {
        fail(
            ev,
            "role",
            role_expected,
            format!("{role_name:?}, role_type oidc"),
            Error::bad_request("role with oidc role_type is not allowed"),
        );
        if !explain {
            ev.hint(
                "role_type defaults to oidc on a role write; write the role again with role_type=jwt",
            );
            return None;
        }
        ev.hint(
            "an oidc role logs in through the browser (login -method=oidc), not at login: the \
             checks below are those oidc/callback makes of an ID token; write the role again \
             with role_type=jwt for a JWT login",
        );
    } else {
        ev.record(
            "role",
            role_expected,
            format!("{role_name:?}, role_type {}", role.role_type),
            Ok(()),
        );
    }
    // 5. token present
    if jwt.is_empty() {
        return fail(
            ev,
            "token",
            "a token in jwt=",
            "(empty)".into(),
            Error::bad_request("missing token"),
        );
    }
    // 6. bound CIDRs, before any parsing.
    if !role.token_bound_cidrs.is_empty() {
        let ok = role::cidrs_contain(&role.token_bound_cidrs, req.client_addr);
        ev.record_result(
            "token_bound_cidrs",
            format!("client address in {}", show_list(&role.token_bound_cidrs)),
            req.client_addr.to_string(),
            if ok {
                Ok(())
            } else {
                Err(Error::permission_denied())
            },
        );
        if !ok {
            return None;
        }
    }
    Some(LoginInputs {
        config,
        role_name,
        role,
        jwt,
    })
}

/// The whole login pipeline as recorded checks: the checks before the signature, the key
/// source, the token's form, signature and `alg`, then [`evaluate`]. `login` runs it and
/// issues only when no check failed; `jwt explain` runs it with `continue_after_failure`.
/// The inputs are returned when the checks before the signature passed.
pub fn run(
    ctx: &BackendContext,
    req: &Request,
    opts: Options,
) -> (Evaluation, Option<LoginInputs>) {
    let mut ev = Evaluation::default();
    let Some(inputs) = prepare_checked(ctx, req, &mut ev, opts.continue_after_failure) else {
        return (ev, None);
    };
    if inputs.role.role_type == "oidc" {
        super::oidc::explain(ctx, &inputs, &mut ev);
        return (ev, Some(inputs));
    }
    // 7–8 (first part). Key source, signature and alg.
    let inspection = keys::inspect(
        ctx,
        &inputs.config,
        &inputs.jwt,
        opts.continue_after_failure,
    );
    ev.warnings.extend(inspection.warnings.iter().cloned());
    for step in &inspection.steps {
        if step.skipped {
            ev.skip(step.name, step.expected.clone(), step.actual.clone());
            continue;
        }
        ev.record_result(
            step.name,
            step.expected.clone(),
            step.actual.clone(),
            step.outcome
                .clone()
                .map_err(|e| Error::bad_request(e.to_string())),
        );
        ev.hint(step.hint.clone());
    }
    let Some(claims) = inspection.claims.as_ref() else {
        if opts.continue_after_failure {
            ev.skip(
                "claims",
                "the checks of the token's claims",
                "not checked: the token's claims could not be read",
            );
        }
        return (ev, Some(inputs));
    };
    if ev.error.is_some() && !opts.continue_after_failure {
        return (ev, Some(inputs));
    }
    // 8–12.
    let later = evaluate(
        &inputs.role_name,
        &inputs.role,
        &inputs.config,
        claims,
        opts,
    );
    ev.checks.extend(later.checks);
    ev.warnings.extend(later.warnings);
    if ev.error.is_none() {
        ev.error = later.error;
        ev.auth = later.auth;
    }
    (ev, Some(inputs))
}

pub fn handle(ctx: &BackendContext, req: &Request) -> Result<Option<Response>> {
    if !matches!(
        req.operation,
        crate::core::Operation::Update | crate::core::Operation::Create
    ) {
        // A login request is not wrapped in a multierror as other requests are.
        return Err(Error::new(405, "unsupported operation"));
    }
    let (ev, inputs) = run(
        ctx,
        req,
        Options {
            compat: ctx.settings.compat,
            now: ctx.now,
            continue_after_failure: false,
        },
    );
    if let Some(e) = ev.error {
        return Err(e);
    }
    let (Some(mut auth), Some(inputs)) = (ev.auth, inputs) else {
        return Err(Error::internal("login produced no auth"));
    };
    if inputs.role.token_strictly_bind_ip {
        auth.bound_cidrs = vec![client_ip_text(req.client_addr)];
    }
    let mut resp = Response {
        auth: Some(auth),
        // The token_audiences divergence was announced at the config write; repeating it on
        // every login would make the walkthrough print it more than once (issue 3).
        warnings: (ev.warnings.into_iter())
            .filter(|w| w != WARN_TOKEN_AUDIENCES)
            .collect(),
        ..Response::default()
    };
    let ignored = super::login_path().unrecognized(&req.data);
    if !ignored.is_empty() {
        resp.warnings
            .push(crate::framework::unrecognized_warning(&ignored));
    }
    Ok(Some(resp))
}

fn client_ip_text(ip: IpAddr) -> String {
    ip.to_string()
}

/// Renewal of a token issued by this mount (spec §5.7).
pub fn renew(ctx: &BackendContext, token: &TokenEntry) -> Result<Auth> {
    let role_name = match token.internal_data.get("role") {
        Some(Value::String(r)) if !r.is_empty() => r.clone(),
        _ => return Err(Error::internal("failed to fetch role_name during renewal")),
    };
    match token.internal_data.get("role_type") {
        None => {}
        Some(Value::String(t)) if t.is_empty() || t == "native" => {}
        Some(other) => {
            let t = other
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| other.to_string());
            return Err(Error::internal(format!("unknown role type: {t}")));
        }
    }
    let role = role::load(&ctx.storage, &role_name)?.ok_or_else(|| {
        Error::internal(format!("role {role_name} does not exist during renewal"))
    })?;
    Ok(Auth {
        ttl: role.token_ttl,
        max_ttl: role.token_max_ttl,
        period: role.token_period,
        renewable: true,
        internal_data: token.internal_data.clone(),
        policies: token.policies.clone(),
        metadata: token.meta.clone(),
        display_name: token.display_name.clone(),
        ..Auth::default()
    })
}

#[cfg(test)]
mod tests;
