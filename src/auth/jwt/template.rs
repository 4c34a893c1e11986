//! Policy templating (OpenBao, `token_policies_template_claims=true`, spec §5.8): a subset of
//! Go's `text/template` executed against the token's claims with `missingkey=error`.
//!
//! Supported: literal text, `{{ }}` actions with `{{-`/`-}}` trimming, field chains
//! (`.`, `.a.b`), string and number literals, parentheses, pipelines (`x | f`), and the
//! functions `index lowercase uppercase sha256 base64 decode_base64 hex decode_hex`.
//! Control actions (`if`, `range`, `with`, ...) and the other functions are refused when
//! the role is written.

use super::claims::go_v_claim;
use base64::Engine;
use serde_json::{Map, Value};
use sha2::Digest;

const FUNCTIONS: &[&str] = &[
    "index",
    "lowercase",
    "uppercase",
    "sha256",
    "base64",
    "decode_base64",
    "hex",
    "decode_hex",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A field chain with its byte offset in the template: `.a.b` → ["a", "b"].
    Field(Vec<String>, usize, String),
    Str(String),
    Num(String),
    Ident(String),
    Pipe,
    Open,
    Close,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Action(Vec<Tok>),
}

fn parse_error(msg: &str) -> String {
    format!("unable to parse template: template: template:1: {msg}")
}

/// Parses a template; the error is the text after `failed to parse template policy [i]: `.
fn parse(src: &str) -> Result<Vec<Part>, String> {
    if src.is_empty() {
        return Err("missing template".into());
    }
    let mut parts = Vec::new();
    let mut rest = src;
    let mut offset = 0usize;
    let mut trim_next_text = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("{{") else {
            let mut t = rest.to_string();
            if trim_next_text {
                t = t.trim_start().to_string();
            }
            parts.push(Part::Text(t));
            break;
        };
        let mut text = rest[..start].to_string();
        if trim_next_text {
            text = text.trim_start().to_string();
        }
        let after_open = &rest[start + 2..];
        let trim_left = after_open.starts_with("- ") || after_open.starts_with("-\t");
        if trim_left {
            text = text.trim_end().to_string();
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let body_start = start + 2 + usize::from(trim_left);
        let Some(close_rel) = rest[body_start..].find("}}") else {
            return Err(parse_error("unclosed action"));
        };
        let mut body = &rest[body_start..body_start + close_rel];
        trim_next_text = false;
        if body.ends_with(" -") || body.ends_with("\t-") {
            body = &body[..body.len() - 1];
            trim_next_text = true;
        }
        let toks = lex(body, offset + body_start)?;
        check(&toks)?;
        parts.push(Part::Action(toks));
        let consumed = body_start + close_rel + 2;
        offset += consumed;
        rest = &rest[consumed..];
    }
    Ok(parts)
}

fn lex(body: &str, base: usize) -> Result<Vec<Tok>, String> {
    let bytes = body.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            b'(' => {
                toks.push(Tok::Open);
                i += 1;
            }
            b')' => {
                toks.push(Tok::Close);
                i += 1;
            }
            b'.' => {
                let start = i;
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'|' | b'(' | b')') {
                    i += 1;
                }
                let text = &body[start..i];
                let names: Vec<String> = text
                    .split('.')
                    .skip(1)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                if text != "." && text.split('.').skip(1).any(|s| s.is_empty()) {
                    return Err(parse_error(&format!("bad character in field {text:?}")));
                }
                toks.push(Tok::Field(names, base + start, text.to_string()));
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= bytes.len() {
                    return Err(parse_error("unterminated quoted string"));
                }
                i += 1;
                let s: String = serde_json::from_str(&body[start..i])
                    .map_err(|_| parse_error("bad quoted string"))?;
                toks.push(Tok::Str(s));
            }
            b'`' => {
                let start = i + 1;
                let Some(end) = body[start..].find('`') else {
                    return Err(parse_error("unterminated raw quoted string"));
                };
                toks.push(Tok::Str(body[start..start + end].to_string()));
                i = start + end + 1;
            }
            b'0'..=b'9' | b'-' => {
                let start = i;
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                toks.push(Tok::Num(body[start..i].to_string()));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                toks.push(Tok::Ident(body[start..i].to_string()));
            }
            _ => {
                let ch = body.get(i..).and_then(|t| t.chars().next()).unwrap_or('?');
                return Err(parse_error(&format!("unexpected {ch:?} in command")));
            }
        }
    }
    if toks.is_empty() {
        return Err(parse_error("missing value for command"));
    }
    Ok(toks)
}

fn check(toks: &[Tok]) -> Result<(), String> {
    for t in toks {
        if let Tok::Ident(name) = t {
            if matches!(
                name.as_str(),
                "if" | "else" | "end" | "range" | "with" | "define" | "template" | "block"
            ) {
                return Err(parse_error(&format!(
                    "{name:?} actions are not supported by vaultjwt"
                )));
            }
            if !FUNCTIONS.contains(&name.as_str()) {
                return Err(parse_error(&format!("function {name:?} not defined")));
            }
        }
    }
    let depth = toks.iter().try_fold(0i32, |d, t| {
        let d = match t {
            Tok::Open => d + 1,
            Tok::Close => d - 1,
            _ => d,
        };
        if d < 0 {
            None
        } else {
            Some(d)
        }
    });
    if depth != Some(0) {
        return Err(parse_error("unbalanced parentheses"));
    }
    Ok(())
}

/// Checks every policy parses (role write, spec §4.2 step 17). The error is the full text.
pub fn validate(policies: &[String]) -> Result<(), String> {
    for (i, p) in policies.iter().enumerate() {
        parse(p).map_err(|e| format!("failed to parse template policy [{i}]: {e}"))?;
    }
    Ok(())
}

/// Executes the templates against the claims: empty results dropped, de-duplicated, sorted.
pub fn render(policies: &[String], claims: &Map<String, Value>) -> Result<Vec<String>, String> {
    let root = Value::Object(claims.clone());
    let mut out = Vec::new();
    for (i, p) in policies.iter().enumerate() {
        let parts = parse(p).map_err(|e| format!("failed to parse template policy [{i}]: {e}"))?;
        let mut s = String::new();
        for part in &parts {
            match part {
                Part::Text(t) => s.push_str(t),
                Part::Action(toks) => {
                    let mut pos = 0;
                    let v = eval_pipeline(toks, &mut pos, &root).map_err(|e| {
                        format!("failed to template policy [{i}]: unable to apply template: {e}")
                    })?;
                    s.push_str(&print(&v));
                }
            }
        }
        if !s.is_empty() {
            out.push(s);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// How Go prints a value in a template (`<no value>` for a missing one).
fn print(v: &Option<Value>) -> String {
    match v {
        None | Some(Value::Null) => "<no value>".into(),
        Some(v) => go_v_claim(v),
    }
}

type Eval = Result<Option<Value>, String>;

fn eval_pipeline(toks: &[Tok], pos: &mut usize, root: &Value) -> Eval {
    let mut result = eval_command(toks, pos, root, None)?;
    while matches!(toks.get(*pos), Some(Tok::Pipe)) {
        *pos += 1;
        result = eval_command(toks, pos, root, Some(result))?;
    }
    Ok(result)
}

fn eval_command(toks: &[Tok], pos: &mut usize, root: &Value, piped: Option<Option<Value>>) -> Eval {
    match toks.get(*pos) {
        Some(Tok::Ident(name)) => {
            let name = name.clone();
            *pos += 1;
            let mut args = Vec::new();
            while let Some(t) = toks.get(*pos) {
                if matches!(t, Tok::Pipe | Tok::Close) {
                    break;
                }
                args.push(eval_operand(toks, pos, root)?);
            }
            if let Some(p) = piped {
                args.push(p);
            }
            call(&name, args)
        }
        Some(_) => {
            let v = eval_operand(toks, pos, root)?;
            if piped.is_some() {
                return Err("template: template:1: can't give argument to non-function".into());
            }
            Ok(v)
        }
        None => Err("template: template:1: missing value for command".into()),
    }
}

fn eval_operand(toks: &[Tok], pos: &mut usize, root: &Value) -> Eval {
    let tok = toks.get(*pos).cloned();
    *pos += 1;
    match tok {
        Some(Tok::Field(names, at, text)) => {
            let mut cur = root;
            for name in &names {
                match cur {
                    Value::Object(m) => match m.get(name) {
                        Some(v) => cur = v,
                        None => {
                            return Err(format!(
                                "template: template:1:{at}: executing \"template\" at <{text}>: map has no entry for key {name:?}"
                            ))
                        }
                    },
                    _ => {
                        return Err(format!(
                            "template: template:1:{at}: executing \"template\" at <{text}>: can't evaluate field {name} in type interface {{}}"
                        ))
                    }
                }
            }
            Ok(Some(cur.clone()))
        }
        Some(Tok::Str(s)) => Ok(Some(Value::String(s))),
        Some(Tok::Num(n)) => Ok(Some(
            serde_json::from_str::<Value>(&n).unwrap_or(Value::String(n)),
        )),
        Some(Tok::Open) => {
            let v = eval_pipeline(toks, pos, root)?;
            if matches!(toks.get(*pos), Some(Tok::Close)) {
                *pos += 1;
            }
            Ok(v)
        }
        Some(Tok::Ident(name)) => {
            // A function used as an operand without arguments.
            call(&name, Vec::new())
        }
        _ => Err("template: template:1: unexpected token in operand".into()),
    }
}

fn arg_str(name: &str, v: &Option<Value>) -> Result<String, String> {
    match v {
        Some(Value::String(s)) => Ok(s.clone()),
        other => Err(format!(
            "template: template:1: executing \"template\": error calling {name}: expected a string, got {}",
            print(other)
        )),
    }
}

fn call(name: &str, args: Vec<Option<Value>>) -> Eval {
    let one = |args: &[Option<Value>]| -> Result<String, String> {
        match args {
            [a] => arg_str(name, a),
            _ => Err(format!(
                "template: template:1: executing \"template\": wrong number of args for {name}: want 1 got {}",
                args.len()
            )),
        }
    };
    let s = |x: String| Ok(Some(Value::String(x)));
    match name {
        "index" => {
            let mut it = args.into_iter();
            let Some(mut cur) = it.next() else {
                return Err("template: template:1: executing \"template\": wrong number of args for index: want at least 1 got 0".into());
            };
            for key in it {
                cur = match (cur, key) {
                    (Some(Value::Object(m)), Some(Value::String(k))) => m.get(&k).cloned(),
                    (Some(Value::Array(a)), Some(Value::Number(n))) => {
                        let idx = n.as_u64().and_then(|i| usize::try_from(i).ok());
                        match idx.and_then(|i| a.get(i)) {
                            Some(v) => Some(v.clone()),
                            None => {
                                return Err(format!(
                                    "template: template:1: executing \"template\": error calling index: index out of range: {n}"
                                ))
                            }
                        }
                    }
                    _ => {
                        return Err("template: template:1: executing \"template\": error calling index: cannot index value".into())
                    }
                };
            }
            Ok(cur)
        }
        "lowercase" => s(one(&args)?.to_lowercase()),
        "uppercase" => s(one(&args)?.to_uppercase()),
        "sha256" => s(hex_encode(&sha2::Sha256::digest(one(&args)?.as_bytes()))),
        "base64" => s(base64::engine::general_purpose::STANDARD.encode(one(&args)?)),
        "decode_base64" => {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(one(&args)?)
                .map_err(|e| format!("template: template:1: executing \"template\": error calling decode_base64: {e}"))?;
            s(String::from_utf8_lossy(&raw).into_owned())
        }
        "hex" => s(hex_encode(one(&args)?.as_bytes())),
        "decode_hex" => {
            let text = one(&args)?;
            let bytes = hex_decode(&text).ok_or_else(|| {
                "template: template:1: executing \"template\": error calling decode_hex: encoding/hex: invalid byte".to_string()
            })?;
            s(String::from_utf8_lossy(&bytes).into_owned())
        }
        other => Err(format!(
            "template: template:1: function {other:?} not defined"
        )),
    }
}

fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
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
            "failed to template policy [0]: unable to apply template: template: template:1:3: executing \"template\" at <.nested_claim.policy>: map has no entry for key \"nested_claim\""
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
