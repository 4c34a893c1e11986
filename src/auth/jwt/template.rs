//! Policy templating (OpenBao, `token_policies_template_claims=true`, spec §5.8): each policy
//! is a Go `text/template` (the whole language, OpenBao's helper functions included; see
//! [`crate::gotemplate`]) executed against the token's claims with `missingkey=error`, as
//! `jwtRole.maybeTemplatePolicies` does.

use crate::gotemplate::{openbao, MissingKey};
use serde_json::{Map, Value};

/// Checks every policy parses (role write, spec §4.2 step 17). The error is the full text.
pub fn validate(policies: &[String]) -> Result<(), String> {
    for (i, p) in policies.iter().enumerate() {
        openbao::new_template(p)
            .map_err(|e| format!("failed to parse template policy [{i}]: {e}"))?;
    }
    Ok(())
}

/// Executes the templates against the claims. Empty results are dropped, then the list goes
/// through `strutil.RemoveDuplicates`: each trimmed, empty ones dropped, de-duplicated, sorted.
pub fn render(policies: &[String], claims: &Map<String, Value>) -> Result<Vec<String>, String> {
    let data = Value::Object(claims.clone());
    let mut out = Vec::new();
    for (i, p) in policies.iter().enumerate() {
        let t = openbao::new_template(p)
            .map_err(|e| format!("failed to parse template policy [{i}]: {e}"))?;
        let s = openbao::generate(&t, &data, MissingKey::Error)
            .map_err(|e| format!("failed to template policy [{i}]: {e}"))?;
        if !s.is_empty() {
            out.push(s);
        }
    }
    let mut out: Vec<String> = out
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Map<String, Value> {
        json!({
            "sub": "r3qXcK2bix9eFECzsU3Sbmh0K16fatW6@clients",
            "custom_claim": "policy_for_custom_claim",
            "nested_claim": {"policy": "policy_for_nested_claim"},
            "https://x/y": "slashy",
            "big": 123456789,
            "env": "Prod"
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    fn p(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn upstream_l14() {
        let out = render(
            &p(&[
                "policy_{{ .sub }}",
                "{{ .custom_claim }}",
                "{{ .nested_claim.policy }}",
            ]),
            &claims(),
        )
        .unwrap();
        assert_eq!(
            out,
            p(&[
                "policy_for_custom_claim",
                "policy_for_nested_claim",
                "policy_r3qXcK2bix9eFECzsU3Sbmh0K16fatW6@clients"
            ])
        );
    }

    #[test]
    fn missing_key_is_an_error() {
        let mut c = claims();
        c.remove("nested_claim");
        let err = render(&p(&["{{ .nested_claim.policy }}"]), &c).unwrap_err();
        assert_eq!(
            err,
            "failed to template policy [0]: unable to apply template: template: template:1:16: executing \"template\" at <.nested_claim.policy>: map has no entry for key \"nested_claim\""
        );
    }

    #[test]
    fn functions_pipelines_and_numbers() {
        let out = render(
            &p(&[
                "{{ index . \"https://x/y\" }}",
                "{{ .env | lowercase }}",
                "{{ uppercase .env }}",
                "n-{{ .big }}",
                "{{- \"\" -}}",
                "{{ .env | lowercase }}",
            ]),
            &claims(),
        )
        .unwrap();
        assert_eq!(out, p(&["PROD", "n-1.23456789e+08", "prod", "slashy"]));
        assert_eq!(
            render(&p(&["{{ hex \"a\" }}-{{ base64 \"a\" }}"]), &claims()).unwrap(),
            p(&["61-YQ=="])
        );
    }

    #[test]
    fn the_whole_language() {
        let mut c = claims();
        c.insert("groups".into(), serde_json::json!(["a", "b", "a"]));
        let out = render(
            &p(&[
                "{{ if eq .env \"Prod\" }}prod{{ else }}other{{ end }}",
                "{{- range $i, $g := .groups }}{{ if $i }}-{{ end }}{{ $g }}{{ end -}}",
                "{{ with .nested_claim }}{{ .policy | replace \"_\" \"-\" | truncate 10 }}{{ end }}",
                "  {{ printf \"%s-%03d\" .env 7 }}  ",
                "{{ if glob \"r3q*\" .sub }}globbed{{ end }}",
            ]),
            &c,
        )
        .unwrap();
        assert_eq!(
            out,
            p(&["Prod-007", "a-b-a", "globbed", "policy-for", "prod"])
        );
        assert_eq!(
            render(&p(&["{{ if .nope }}x{{ end }}"]), &c).unwrap_err(),
            "failed to template policy [0]: unable to apply template: template: template:1:6: executing \"template\" at <.nope>: map has no entry for key \"nope\""
        );
        assert_eq!(
            render(&p(&["{{ if eq .big 1 }}x{{ end }}"]), &c).unwrap_err(),
            "failed to template policy [0]: unable to apply template: template: template:1:6: executing \"template\" at <eq .big 1>: error calling eq: incompatible types for comparison: float64 and int"
        );
        assert!(render(&p(&["  ", "{{ \"\" }}"]), &c).unwrap().is_empty());
    }

    #[test]
    fn parse_errors_at_write() {
        assert_eq!(
            validate(&p(&["ok", ""])).unwrap_err(),
            "failed to parse template policy [1]: missing template"
        );
        assert!(validate(&p(&["{{ .a "])).unwrap_err().starts_with(
            "failed to parse template policy [0]: unable to parse template: template: template:1:"
        ));
        assert!(validate(&p(&["{{ nope .a }}"]))
            .unwrap_err()
            .ends_with("function \"nope\" not defined"));
        assert!(validate(&p(&["plain", "{{ .sub }}"])).is_ok());
    }
}

#[cfg(test)]
mod no_panic {
    use rand::{Rng, SeedableRng};
    use serde_json::{json, Value};

    /// Random inputs built from the characters the parsers care about never panic.
    #[test]
    fn random_inputs() {
        let alphabet: Vec<char> = "{}-. |()\"`\\abc_0123456789=,/*é€\t".chars().collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let claims = json!({"a": {"b": "x"}, "c": [1, "y"], "é": 1.5})
            .as_object()
            .cloned()
            .unwrap_or_default();
        for _ in 0..20_000 {
            let len = rng.gen_range(0..24);
            let s: String = (0..len)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                .collect();
            let _ = super::validate(std::slice::from_ref(&s));
            let _ = super::render(std::slice::from_ref(&s), &claims);
            let _ = super::super::role::parse_bound_claims_text(&Value::String(s.clone()));
            let _ = super::super::role::parse_cidr(&s);
            let _ = super::super::claims::glob_match(&s, "abc.é€x");
            let _ = super::super::claims::get_claim(&claims, &s);
        }
    }
}
