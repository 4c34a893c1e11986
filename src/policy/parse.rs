//! Vault's ACL policy language: HCL (or its JSON form) with `path "..." { ... }` blocks.
//!
//! Parsing follows OpenBao's `vault/policy.go`: the only top-level keys are `name` and `path`;
//! each path takes `capabilities` and the deprecated `policy` shorthand (plus keys that are
//! accepted and kept out of evaluation, such as `allowed_parameters`); `deny` wipes every other
//! capability of its rule; an unknown key or capability is an error that names it.

use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};
use hcl::edit::Span;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const DENY: u32 = 1;
pub const CREATE: u32 = 1 << 1;
pub const READ: u32 = 1 << 2;
pub const UPDATE: u32 = 1 << 3;
pub const DELETE: u32 = 1 << 4;
pub const LIST: u32 = 1 << 5;
pub const SUDO: u32 = 1 << 6;
pub const PATCH: u32 = 1 << 7;
pub const SCAN: u32 = 1 << 8;

/// Capability names and bits, in the alphabetical order `token capabilities` prints them.
pub const CAPABILITIES: [(&str, u32); 9] = [
    ("create", CREATE),
    ("delete", DELETE),
    ("deny", DENY),
    ("list", LIST),
    ("patch", PATCH),
    ("read", READ),
    ("scan", SCAN),
    ("sudo", SUDO),
    ("update", UPDATE),
];

/// The bit of a capability name, if it is one.
pub fn capability_bit(name: &str) -> Option<u32> {
    CAPABILITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

/// The capability names of a bitmap, sorted; `["deny"]` when deny is set or nothing is.
pub fn capability_names(bits: u32) -> Vec<String> {
    if bits & DENY != 0 || bits == 0 {
        return vec!["deny".into()];
    }
    CAPABILITIES
        .iter()
        .filter(|(_, b)| bits & b != 0)
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Parameter constraints of a rule (`allowed_parameters`, `denied_parameters`): lower-cased
/// parameter name (or `*`) to the values it may (or may not) take; an empty list means any
/// value.
pub type ParameterValues = std::collections::BTreeMap<String, Vec<Value>>;

/// One `path` rule: the path as written (without a leading `/`, with its `*`/`+`), the
/// capabilities it grants, and the constraints on request parameters and wrapping TTLs
/// (Vault's `ACLPermissions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathRule {
    pub path: String,
    pub capabilities: u32,
    #[serde(default, skip_serializing_if = "ParameterValues::is_empty")]
    pub allowed_parameters: ParameterValues,
    #[serde(default, skip_serializing_if = "ParameterValues::is_empty")]
    pub denied_parameters: ParameterValues,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_parameters: Vec<String>,
    /// Seconds; 0 (or negative) when not set.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_wrapping_ttl: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_wrapping_ttl: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// A parsed policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedPolicy {
    pub paths: Vec<PathRule>,
    /// Some path uses identity templating (`{{identity.entity.id}}`): the rules must be
    /// re-derived for each token from the raw text.
    pub templated: bool,
}

/// What templated paths are filled with when building a token's ACL: the calling token's
/// entity (if any) and the groups it belongs to, directly or by inheritance.
#[derive(Debug, Clone, Default)]
pub struct TemplateContext {
    pub entity: Option<TemplateEntity>,
    pub groups: Vec<TemplateGroup>,
}

#[derive(Debug, Clone, Default)]
pub struct TemplateEntity {
    pub id: String,
    pub name: String,
    pub metadata: std::collections::BTreeMap<String, String>,
    pub aliases: Vec<TemplateAlias>,
}

#[derive(Debug, Clone, Default)]
pub struct TemplateAlias {
    pub id: String,
    pub mount_accessor: String,
    pub name: String,
    pub metadata: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct TemplateGroup {
    pub id: String,
    pub name: String,
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl TemplateContext {
    /// A context with only an entity id and name (for tests and simple callers).
    pub fn for_entity(id: &str, name: &str) -> Self {
        TemplateContext {
            entity: Some(TemplateEntity {
                id: id.to_string(),
                name: name.to_string(),
                ..Default::default()
            }),
            groups: Vec::new(),
        }
    }
}

/// Vault's `identitytpl.ErrUnbalancedTemplatingCharacter`.
const UNBALANCED: &str = "unbalanced templating characters";

/// Vault's `identitytpl.PopulateString` in ACL mode: whether `s` has templating, and with a
/// context the filled string. Without a context only the braces are checked (the validity
/// check of a policy write). An error means the rule is skipped (with a context) or the
/// policy refused (without).
pub fn populate(s: &str, ctx: Option<&TemplateContext>) -> Result<(bool, String), String> {
    let pieces: Vec<&str> = s.split("{{").collect();
    if pieces[0].contains("}}") {
        return Err(UNBALANCED.into());
    }
    if pieces.len() == 1 {
        return Ok((false, s.to_string()));
    }
    let mut out = String::from(pieces[0]);
    for piece in &pieces[1..] {
        let parts: Vec<&str> = piece.split("}}").collect();
        if parts.len() != 2 {
            return Err(UNBALANCED.into());
        }
        if let Some(ctx) = ctx {
            out.push_str(&template_value(parts[0].trim(), ctx)?);
            out.push_str(parts[1]);
        }
    }
    Ok((true, out))
}

fn non_empty(v: &str) -> Result<String, String> {
    if v.is_empty() {
        Err("no value could be found for one of the template directives".into())
    } else {
        Ok(v.to_string())
    }
}

fn meta_value(m: &std::collections::BTreeMap<String, String>, key: &str) -> Result<String, String> {
    non_empty(m.get(key).map(String::as_str).unwrap_or(""))
}

/// One `{{ ... }}` directive (`performTemplating`).
fn template_value(input: &str, ctx: &TemplateContext) -> Result<String, String> {
    let not_found = || "no value could be found for one of the template directives".to_string();
    if let Some(rest) = input.strip_prefix("identity.entity.") {
        let e = ctx
            .entity
            .as_ref()
            .ok_or_else(|| "no entity associated with the request's token".to_string())?;
        return match rest {
            "id" => non_empty(&e.id),
            "name" => non_empty(&e.name),
            _ if rest.starts_with("metadata.") => {
                meta_value(&e.metadata, rest.trim_start_matches("metadata."))
            }
            _ if rest.starts_with("aliases.") => {
                let sel = &rest["aliases.".len()..];
                let (accessor, field) = sel
                    .split_once('.')
                    .ok_or_else(|| "invalid alias selector".to_string())?;
                let a = e
                    .aliases
                    .iter()
                    .find(|a| a.mount_accessor == accessor)
                    .ok_or_else(|| "alias not found".to_string())?;
                match field {
                    "id" => non_empty(&a.id),
                    "name" => non_empty(&a.name),
                    _ if field.starts_with("metadata.") => {
                        meta_value(&a.metadata, &field["metadata.".len()..])
                    }
                    _ => Err(not_found()),
                }
            }
            _ => Err(not_found()),
        };
    }
    if let Some(rest) = input.strip_prefix("identity.groups.") {
        if ctx.groups.is_empty() {
            return Err("no groups associated with the request's token".into());
        }
        let (kind, sel) = rest
            .split_once('.')
            .ok_or_else(|| "invalid groups selector".to_string())?;
        let by_id = match kind {
            "ids" => true,
            "names" => false,
            _ => return Err("invalid groups selector".into()),
        };
        let (key, field) = sel
            .split_once('.')
            .ok_or_else(|| "invalid groups accessor".to_string())?;
        let g = ctx
            .groups
            .iter()
            .find(|g| if by_id { g.id == key } else { g.name == key })
            .ok_or_else(|| format!("entity is not a member of group {key:?}"))?;
        return match field {
            "id" => non_empty(&g.id),
            "name" => non_empty(&g.name),
            _ if field.starts_with("metadata.") => {
                meta_value(&g.metadata, &field["metadata.".len()..])
            }
            _ => Err(not_found()),
        };
    }
    Err(not_found())
}

const PATH_KEYS: [&str; 13] = [
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "pagination_limit",
    "expiration",
    "list_scan_response_keys_filter_path",
    "control_group",
];

/// Go's multierror text of a list of errors.
pub fn multierror(errors: &[String]) -> String {
    let head = if errors.len() == 1 {
        "1 error occurred:".to_string()
    } else {
        format!("{} errors occurred:", errors.len())
    };
    let mut s = head;
    s.push('\n');
    for e in errors {
        s.push_str(&format!("\t* {e}\n"));
    }
    s.push('\n');
    s
}

fn quote(s: &str) -> String {
    crate::core::fields::go_quote(s)
}

/// `s` as an HCL string literal that parses back to `s`: HCL's escapes only (no Go `\x`),
/// and the template sequences `${` and `%{` doubled, as the parser unescapes them.
fn hcl_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses a policy without templating (as a write or `policy fmt` does). Errors are Vault's
/// texts, starting with `failed to parse policy: `.
pub fn parse(raw: &str) -> Result<ParsedPolicy, String> {
    parse_with(raw, None)
}

/// Parses a policy; with a template context, templated paths are filled in, and those that
/// cannot be (e.g. no entity) are skipped, as Vault does when building a token's ACL.
pub fn parse_with(raw: &str, ctx: Option<&TemplateContext>) -> Result<ParsedPolicy, String> {
    let items = if raw.trim_start().starts_with('{') {
        json_items(raw)?
    } else {
        hcl_items(raw)?
    };
    let mut out = ParsedPolicy::default();
    for item in items {
        let mut key = item.path;
        match (populate(&key, ctx), ctx) {
            // Building a token's ACL: a rule whose template does not resolve is skipped.
            (Err(_), Some(_)) => continue,
            (Err(e), None) => {
                return Err(format!(
                    "failed to parse policy: path {}: failed to validate policy templating: {e}",
                    quote(&key)
                ))
            }
            (Ok((true, filled)), Some(_)) => {
                out.templated = true;
                key = filled;
            }
            (Ok((true, _)), None) => out.templated = true,
            (Ok((false, _)), _) => {}
        }
        let path = key.strip_prefix('/').unwrap_or(&key).to_string();
        if path.contains("+*") {
            return Err(format!(
                "failed to parse policy: path {}: invalid use of wildcards ('+*' is forbidden)",
                quote(&path)
            ));
        }
        let mut caps = item.capabilities;
        if let Some(p) = &item.policy {
            match p.as_str() {
                "deny" => caps = vec!["deny".into()],
                "read" => caps.extend(["read", "list"].map(String::from)),
                "write" => {
                    caps.extend(["create", "read", "update", "delete", "list"].map(String::from))
                }
                "sudo" => caps.extend(
                    ["create", "read", "update", "delete", "list", "sudo"].map(String::from),
                ),
                other => {
                    return Err(format!(
                        "failed to parse policy: path {k}: path {k}: invalid policy {}",
                        quote(other),
                        k = quote(&key),
                    ))
                }
            }
        }
        let mut bits = 0;
        for c in &caps {
            match capability_bit(c) {
                Some(DENY) => {
                    bits = DENY;
                    break;
                }
                Some(b) => bits |= b,
                None => {
                    return Err(format!(
                        "failed to parse policy: path {k}: path {k}: invalid capability {}",
                        quote(c),
                        k = quote(&key),
                    ))
                }
            }
        }
        let mut rule = PathRule {
            path,
            capabilities: bits,
            ..Default::default()
        };
        // A deny rule keeps nothing else (Vault's `goto PathFinished`).
        if bits != DENY {
            let fail = |e: String| format!("failed to parse policy: path {}: {e}", quote(&key));
            rule.allowed_parameters = item.allowed_parameters;
            rule.denied_parameters = item.denied_parameters;
            rule.required_parameters = item.required_parameters;
            if let Some(v) = &item.min_wrapping_ttl {
                rule.min_wrapping_ttl = wrapping_ttl(v)
                    .map_err(|e| fail(format!("error parsing min_wrapping_ttl: {e}")))?;
            }
            if let Some(v) = &item.max_wrapping_ttl {
                rule.max_wrapping_ttl = wrapping_ttl(v)
                    .map_err(|e| fail(format!("error parsing max_wrapping_ttl: {e}")))?;
            }
            if rule.min_wrapping_ttl != 0
                && rule.max_wrapping_ttl != 0
                && rule.max_wrapping_ttl < rule.min_wrapping_ttl
            {
                return Err(fail(
                    "max_wrapping_ttl cannot be less than min_wrapping_ttl".into(),
                ));
            }
        }
        out.paths.push(rule);
    }
    Ok(out)
}

/// `parseutil.ParseDurationSecond` of a wrapping TTL: an integer is seconds, a string an
/// integer or a Go duration.
fn wrapping_ttl(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => Ok(n
            .as_i64()
            .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64)),
        Value::String(s) => crate::core::fields::parse_duration(s),
        Value::Bool(_) => Ok(0),
        _ => Err("could not parse duration from input".into()),
    }
}

/// One `path` item before capability checks.
#[derive(Default)]
struct Item {
    path: String,
    capabilities: Vec<String>,
    policy: Option<String>,
    allowed_parameters: ParameterValues,
    denied_parameters: ParameterValues,
    required_parameters: Vec<String>,
    min_wrapping_ttl: Option<Value>,
    max_wrapping_ttl: Option<Value>,
}

/// One key of a path's body: its name, the line of its `=`, the line and column of its
/// value, and the value as JSON.
struct Field {
    name: String,
    line: usize,
    at: (usize, usize),
    value: Value,
    /// For an object value: where each entry's value starts.
    entries: std::collections::BTreeMap<String, (usize, usize)>,
}

impl Field {
    fn new(src: &Source, name: String, line: usize, e: &Expression) -> Field {
        let mut entries = std::collections::BTreeMap::new();
        if let Expression::Object(o) = e {
            for (k, v) in o.iter() {
                if let Some(k) = object_key(k) {
                    entries.insert(k, src.pos_of(v.expr()));
                }
            }
        }
        Field {
            name,
            line,
            at: src.pos_of(e),
            value: expr_json(e),
            entries,
        }
    }
}

/// HCL1's AST type name of a value, as its decoder errors print it.
fn ast_type(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "*ast.ListType",
        Value::Object(_) => "*ast.ObjectType",
        _ => "*ast.LiteralType",
    }
}

/// An HCL expression as JSON (numbers, strings, bools, null, lists and objects; anything
/// else, such as a template or a function call, as its text).
fn expr_json(e: &Expression) -> Value {
    match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => {
            let n = n.value();
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        Expression::String(s) => Value::String(s.value().to_string()),
        Expression::Array(a) => Value::Array(a.iter().map(expr_json).collect()),
        Expression::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(x)) => x.value().to_string(),
                        ObjectKey::Expression(other) => other.to_string().trim().to_string(),
                    };
                    (key, expr_json(v.expr()))
                })
                .collect(),
        ),
        other => {
            let mut c = other.clone();
            use hcl::edit::Decorate;
            c.decor_mut().clear();
            Value::String(c.to_string().trim().to_string())
        }
    }
}

/// A policy's text with an index of its lines, so that the line and column of an offset take
/// a binary search rather than a scan from the start (a scan for each of a large policy's
/// keys made parsing quadratic: 10 MB took minutes).
struct Source<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`Source::CHUNK`] bytes.
    chars_before: Vec<usize>,
}

impl<'a> Source<'a> {
    const CHUNK: usize = 256;

    fn new(text: &'a str) -> Self {
        Self::with_synthetic(text, &[])
    }

    /// A source whose newlines at the byte offsets `synthetic` (added by [`hcl1_layout`])
    /// start no line.
    fn with_synthetic(text: &'a str, synthetic: &[usize]) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(newline_ends(bytes).filter(|end| synthetic.binary_search(&(end - 1)).is_err()))
            .collect();
        let mut chars_before = Vec::with_capacity(bytes.len() / Self::CHUNK + 1);
        let mut running = 0;
        for i in 0..=bytes.len() / Self::CHUNK {
            chars_before.push(running);
            let end = ((i + 1) * Self::CHUNK).min(bytes.len());
            running += char_starts(&bytes[i * Self::CHUNK..end]);
        }
        Source {
            text,
            line_starts,
            chars_before,
        }
    }

    /// Characters before byte `offset` (at most the text's length).
    fn char_index(&self, offset: usize) -> usize {
        let chunk = offset / Self::CHUNK;
        self.chars_before[chunk] + char_starts(&self.text.as_bytes()[chunk * Self::CHUNK..offset])
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// Line and column (1-based, in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = self.line_starts[line - 1];
        (line, self.char_index(offset) - self.char_index(start) + 1)
    }

    fn line_of_span(&self, s: &impl Span) -> usize {
        s.span().map(|r| self.line(r.start)).unwrap_or(0)
    }

    fn pos_of(&self, s: &impl Span) -> (usize, usize) {
        s.span().map(|r| self.line_col(r.start)).unwrap_or((0, 0))
    }
}

/// Offsets just past each `\n`.
fn newline_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

/// How many UTF-8 characters start in `bytes` (the bytes that are not continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

/// HCL1's name of the token starting at `offset` (`RBRACE`, `STRING`, `EOF`, ...).
fn hcl1_token(raw: &str, offset: usize) -> &'static str {
    let rest = raw.get(offset..).unwrap_or("").trim_start();
    match rest.chars().next() {
        None => "EOF",
        Some('}') => "RBRACE",
        Some('{') => "LBRACE",
        Some(']') => "RBRACK",
        Some('[') => "LBRACK",
        Some('=') => "ASSIGN",
        Some(',') => "COMMA",
        Some('.') => "PERIOD",
        Some('"') => "STRING",
        Some(c) if c.is_ascii_digit() || c == '-' => "NUMBER",
        Some(_) if rest.starts_with("true") || rest.starts_with("false") => "BOOL",
        Some(c) if c.is_alphabetic() || c == '_' => "IDENT",
        Some(_) => "ILLEGAL",
    }
}

/// A syntax error in HCL1's words where the case is a common one, with its line and column.
fn syntax_error(raw: &str, e: &hcl::edit::parser::Error) -> String {
    let loc = e.location();
    let message = if e.message() == "expected `]`" {
        format!(
            "error parsing list, expected comma or list end, got: {}",
            hcl1_token(raw, loc.offset())
        )
    } else {
        e.message().to_string()
    };
    format!("At {}:{}: {message}", loc.line(), loc.column())
}

/// The line HCL1's key check reports: that of the `=`, which a block has none of (line 0).
fn assign_line(src: &Source, s: &Structure) -> usize {
    match s {
        Structure::Attribute(a) => src.line_of_span(a),
        Structure::Block(_) => 0,
    }
}

/// Deepest bracket nesting the HCL parser is given: it recurses once per level, and a few
/// hundred levels overflow a thread's stack (found by the `policy` fuzz target).
pub const MAX_NESTING: usize = 32;

/// Refuses HCL nested deeper than [`MAX_NESTING`] brackets (`[`, `{`, `(`, outside quoted
/// strings), naming the line and column where the limit is passed.
fn check_nesting(raw: &str) -> Result<(), String> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for c in raw.chars() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' | '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "At {line}:{col}: nesting too deep (more than {MAX_NESTING} levels of brackets)"
                    ));
                }
            }
            ']' | '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Marks the second and later `allowed_parameters { ... }` blocks rewritten by
/// [`hcl1_blocks`] (`allowed_parameters__hcl1_2`); [`canonical_key`] takes it off.
const REPEAT_MARK: &str = "__hcl1_";

/// A path key without the mark of a repeated block.
fn canonical_key(name: &str) -> &str {
    match name.find(REPEAT_MARK) {
        Some(i)
            if name[i + REPEAT_MARK.len()..]
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            &name[..i]
        }
        _ => name,
    }
}

/// HCL1 takes `allowed_parameters { "key" = [...] }` (a block whose body has quoted keys),
/// which HCL2 refuses; such blocks are read as the equivalent `allowed_parameters = { ... }`
/// (a repeated block, whose keys HCL1 merges, as `allowed_parameters__hcl1_N = { ... }`).
/// Only text before the `{` changes, so lines stay where they were.
fn hcl1_blocks(raw: &str) -> std::borrow::Cow<'_, str> {
    const KEYS: [&str; 2] = ["allowed_parameters", "denied_parameters"];
    if !KEYS.iter().any(|k| raw.contains(k)) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut seen = [0usize; 2];
    let mut out = String::with_capacity(raw.len() + 8);
    for line in raw.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let key = KEYS.iter().find(|k| {
            trimmed
                .strip_prefix(**k)
                .is_some_and(|rest| rest.trim_start().starts_with('{'))
        });
        match key {
            Some(k) => {
                let n = &mut seen[usize::from(*k == KEYS[1])];
                *n += 1;
                out.push_str(indent);
                out.push_str(k);
                if *n > 1 {
                    out.push_str(&format!("{REPEAT_MARK}{n}"));
                }
                out.push_str(" =");
                out.push_str(&trimmed[k.len()..]);
            }
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The relaid text and the offsets of the line breaks added to it, when one was needed.
type Relayout = Option<(String, Vec<usize>)>;

/// HCL2's parse of a policy, with HCL1's free layout: when HCL2 refuses the text as written
/// (a `}` after an attribute on its line, two blocks on one line), it is read again with the
/// line breaks HCL2 needs ([`hcl1_layout`]), which are returned so that they are not counted as
/// lines. The error is that of the text as written.
fn parse_hcl1(raw: &str) -> Result<(Body, Relayout), hcl::edit::parser::Error> {
    match hcl::edit::parser::parse_body(raw) {
        Ok(body) => Ok((body, None)),
        Err(e) => hcl1_layout(raw)
            .and_then(|(t, ins)| {
                hcl::edit::parser::parse_body(&t)
                    .ok()
                    .map(|b| (b, Some((t, ins))))
            })
            .ok_or(e),
    }
}

/// HCL1's free block layout in HCL2's: a line break after a `{` and before a `}` whose
/// partner is on another line with something beside them, and after a `}` followed on its
/// line by more than a separator or a comment. Strings and comments are left as they are;
/// `None` when nothing needs a break (or for a heredoc, left to HCL2 as it is). The offsets
/// returned are those of the added `\n`s.
fn hcl1_layout(raw: &str) -> Option<(String, Vec<usize>)> {
    if raw.contains("<<") {
        return None;
    }
    // Byte offsets of the braces outside strings and comments, with their partners.
    let bytes = raw.as_bytes();
    // (offset, brace, line)
    let mut braces: Vec<(usize, u8, usize)> = Vec::new();
    let mut line = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    line += usize::from(bytes[i] == b'\n');
                    i += 1;
                }
                i += 1;
            }
            b'\n' => line += 1,
            b @ (b'{' | b'}') => braces.push((i, b, line)),
            _ => {}
        }
        i += 1;
    }
    let mut partner = vec![usize::MAX; braces.len()];
    let mut stack = Vec::new();
    for (k, &(_, b, _)) in braces.iter().enumerate() {
        if b == b'{' {
            stack.push(k);
        } else if let Some(open) = stack.pop() {
            partner[open] = k;
            partner[k] = open;
        }
    }
    // What follows `at` on its line, up to a comment.
    let rest_of_line = |at: usize| {
        let end = raw[at..].find('\n').map_or(raw.len(), |n| at + n);
        let rest = raw[at..end].trim();
        if rest.starts_with('#') || rest.starts_with("//") {
            ""
        } else {
            rest
        }
    };
    let before_on_line = |at: usize| {
        let start = raw[..at].rfind('\n').map_or(0, |n| n + 1);
        raw[start..at].trim()
    };
    let mut breaks_before: Vec<usize> = Vec::new();
    let mut breaks_after: Vec<usize> = Vec::new();
    for (k, &(at, b, line)) in braces.iter().enumerate() {
        let other = partner[k];
        let same_line = other != usize::MAX && braces[other].2 == line;
        if b == b'{' {
            if !same_line && !rest_of_line(at + 1).is_empty() {
                breaks_after.push(at);
            }
        } else {
            if !same_line && !before_on_line(at).is_empty() {
                breaks_before.push(at);
            }
            let rest = rest_of_line(at + 1);
            if !rest.is_empty() && !rest.starts_with([',', ']', ')', '}']) {
                breaks_after.push(at);
            }
        }
    }
    if breaks_before.is_empty() && breaks_after.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(raw.len() + breaks_before.len() + breaks_after.len());
    let mut added = Vec::new();
    let (mut before, mut after) = (
        breaks_before.iter().peekable(),
        breaks_after.iter().peekable(),
    );
    let mut last = 0;
    // Both lists are in offset order; braces are ASCII, so a break falls between characters.
    loop {
        let next_before = before.peek().map(|&&b| b);
        let next_after = after.peek().map(|&&a| a + 1);
        let at = match (next_before, next_after) {
            (None, None) => break,
            (Some(b), Some(a)) if b < a => {
                before.next();
                b
            }
            (Some(b), None) => {
                before.next();
                b
            }
            (_, Some(a)) => {
                after.next();
                a
            }
        };
        out.push_str(&raw[last..at]);
        last = at;
        added.push(out.len());
        out.push('\n');
    }
    out.push_str(&raw[last..]);
    Some((out, added))
}

fn hcl_items(raw: &str) -> Result<Vec<Item>, String> {
    check_nesting(raw).map_err(|e| format!("failed to parse policy: {e}"))?;
    let text = hcl1_blocks(raw);
    let raw: &str = &text;
    let relaid;
    let (body, relayout) = parse_hcl1(raw)
        .map_err(|e| format!("failed to parse policy: {}", syntax_error(raw, &e)))?;
    let (raw, synthetic): (&str, Vec<usize>) = match relayout {
        Some((t, ins)) => {
            relaid = t;
            (relaid.as_str(), ins)
        }
        None => (raw, Vec::new()),
    };
    let src = Source::with_synthetic(raw, &synthetic);
    // Top-level keys first, as Vault's CheckHCLKeys.
    let mut invalid = Vec::new();
    for s in body.iter() {
        let key = match s {
            Structure::Attribute(a) => a.key.as_str(),
            Structure::Block(b) => b.ident.as_str(),
        };
        if key != "name" && key != "path" {
            invalid.push(format!(
                "invalid key {} on line {}",
                quote(key),
                assign_line(&src, s)
            ));
        }
    }
    if !invalid.is_empty() {
        return Err(format!("failed to parse policy: {}", multierror(&invalid)));
    }
    let mut items = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) if a.key.as_str() == "name" => {
                if !matches!(a.value, Expression::String(_)) {
                    return Err(format!(
                        "failed to parse policy: At {}: name must be a string",
                        src.line_of_span(a)
                    ));
                }
            }
            Structure::Attribute(a) => {
                // `path = { "secret/*" = { capabilities = [...] } }`
                let Expression::Object(obj) = &a.value else {
                    return Err(format!(
                        "failed to parse policy: At {}: path must be an object",
                        src.line_of_span(a)
                    ));
                };
                for (k, v) in obj.iter() {
                    let path = object_key(k).ok_or_else(|| {
                        "failed to parse policy: path keys must be strings".to_string()
                    })?;
                    let Expression::Object(rule) = v.expr() else {
                        return Err(format!(
                            "failed to parse policy: path {}: rules must be an object",
                            quote(&path)
                        ));
                    };
                    let mut fields = Vec::new();
                    for (rk, rv) in rule.iter() {
                        fields.push(Field::new(
                            &src,
                            object_key(rk).unwrap_or_default(),
                            src.line_of_span(rv.expr()),
                            rv.expr(),
                        ));
                    }
                    items.push(rule_item(path, fields)?);
                }
            }
            Structure::Block(b) => items.push(block_item(&src, b)?),
        }
    }
    Ok(items)
}

fn object_key(k: &ObjectKey) -> Option<String> {
    match k {
        ObjectKey::Ident(i) => Some(i.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().to_string()),
        _ => None,
    }
}

fn block_item(src: &Source, b: &Block) -> Result<Item, String> {
    let path = match b.labels.as_slice() {
        [BlockLabel::String(s)] => s.value().to_string(),
        [BlockLabel::Ident(i)] => i.as_str().to_string(),
        _ => {
            return Err(format!(
                "failed to parse policy: At {}: path must have exactly one label",
                src.line_of_span(b)
            ))
        }
    };
    let mut fields = Vec::new();
    let mut invalid = Vec::new();
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => {
                fields.push(Field::new(
                    src,
                    a.key.as_str().to_string(),
                    src.line_of_span(a),
                    &a.value,
                ));
            }
            Structure::Block(inner) => {
                // `control_group { ... }`: checked, not evaluated.
                if !PATH_KEYS.contains(&inner.ident.as_str()) {
                    invalid.push(format!(
                        "invalid key {} on line {}",
                        quote(inner.ident.as_str()),
                        0
                    ));
                }
            }
        }
    }
    for f in &fields {
        if !PATH_KEYS.contains(&canonical_key(&f.name)) {
            invalid.push(format!("invalid key {} on line {}", quote(&f.name), f.line));
        }
    }
    if !invalid.is_empty() {
        return Err(path_keys_error(&path, &invalid));
    }
    rule_item(path, fields)
}

fn rule_item(path: String, fields: Vec<Field>) -> Result<Item, String> {
    let mut item = Item {
        path,
        ..Default::default()
    };
    let mut invalid = Vec::new();
    for f in fields {
        let line = f.line;
        // HCL1's decoder errors: `path "p": path "p": At L:C: ...`.
        let decode_error = |at: (usize, usize), msg: String| {
            format!(
                "failed to parse policy: path {q}: path {q}: At {}:{}: {msg}",
                at.0,
                at.1,
                q = quote(&item.path)
            )
        };
        match canonical_key(&f.name) {
            "capabilities" => {
                item.capabilities = string_list(&f.value).ok_or_else(|| {
                    format!(
                        "failed to parse policy: path {}: capabilities on line {line} must be a list of strings",
                        quote(&item.path)
                    )
                })?
            }
            "policy" => match &f.value {
                Value::String(s) => item.policy = Some(s.clone()),
                _ => {
                    return Err(format!(
                        "failed to parse policy: path {}: policy on line {line} must be a string",
                        quote(&item.path)
                    ))
                }
            },
            k @ ("allowed_parameters" | "denied_parameters") => {
                let Value::Object(map) = &f.value else {
                    return Err(decode_error(
                        f.at,
                        format!(
                            "root.{k}: not an object type for map ({})",
                            ast_type(&f.value)
                        ),
                    ));
                };
                let values = if k == "allowed_parameters" {
                    &mut item.allowed_parameters
                } else {
                    &mut item.denied_parameters
                };
                for (name, v) in map {
                    let list = match v {
                        Value::Array(a) => a.clone(),
                        Value::Object(_) => vec![v.clone()],
                        other => {
                            let at = f.entries.get(name).copied().unwrap_or((0, 0));
                            return Err(decode_error(
                                at,
                                format!("unknown slice type: {}", ast_type(other)),
                            ));
                        }
                    };
                    values.insert(name.to_lowercase(), list);
                }
            }
            "required_parameters" => {
                let Value::Array(a) = &f.value else {
                    return Err(decode_error(
                        f.at,
                        format!("unknown slice type: {}", ast_type(&f.value)),
                    ));
                };
                item.required_parameters = a
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
            }
            "min_wrapping_ttl" => item.min_wrapping_ttl = Some(f.value.clone()),
            "max_wrapping_ttl" => item.max_wrapping_ttl = Some(f.value.clone()),
            k if PATH_KEYS.contains(&k) => {}
            other => invalid.push(format!("invalid key {} on line {line}", quote(other))),
        }
    }
    if !invalid.is_empty() {
        return Err(path_keys_error(&item.path, &invalid));
    }
    Ok(item)
}

/// OpenBao's error for a path block with keys it does not know: `CheckHCLKeys`'s
/// multierror, wrapped whole with the path in front (`path "x": 1 error occurred: ...`).
fn path_keys_error(path: &str, invalid: &[String]) -> String {
    format!(
        "failed to parse policy: path {}: {}",
        quote(path),
        multierror(invalid)
    )
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a
            .iter()
            .map(|e| match e {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The JSON form: `{"path": {"secret/*": {"capabilities": ["read"]}}}` (or a list of such
/// objects under `path`).
fn json_items(raw: &str) -> Result<Vec<Item>, String> {
    let v: Value = serde_json::from_str(raw).map_err(|e| {
        format!(
            "failed to parse policy: At {}:{}: {}",
            e.line(),
            e.column(),
            e
        )
    })?;
    let Value::Object(top) = v else {
        return Err("failed to parse policy: does not contain a root object".into());
    };
    // HCL's JSON parser puts each member at the line of its `:`.
    let lines = JsonLines::of(raw);
    let invalid: Vec<String> = top
        .keys()
        .filter(|k| *k != "name" && *k != "path")
        .map(|k| format!("invalid key {} on line {}", quote(k), lines.line(k)))
        .collect();
    if !invalid.is_empty() {
        return Err(format!("failed to parse policy: {}", multierror(&invalid)));
    }
    let mut objects = Vec::new();
    let path_lines = lines.get("path");
    match top.get("path") {
        None => {}
        Some(Value::Object(m)) => objects.push((m.clone(), path_lines)),
        Some(Value::Array(list)) => {
            for (i, o) in list.iter().enumerate() {
                match o {
                    Value::Object(m) => objects.push((m.clone(), path_lines.index(i))),
                    _ => return Err("failed to parse policy: path must be an object".into()),
                }
            }
        }
        Some(_) => return Err("failed to parse policy: path must be an object".into()),
    }
    let mut items = Vec::new();
    for (obj, obj_lines) in objects {
        for (path, rule) in obj {
            let rule_lines = obj_lines.get(&path);
            let Value::Object(rule) = rule else {
                return Err(format!(
                    "failed to parse policy: path {}: rules must be an object",
                    quote(&path)
                ));
            };
            let fields = rule
                .into_iter()
                .map(|(name, value)| Field {
                    line: rule_lines.line(&name),
                    name,
                    at: (0, 0),
                    value,
                    entries: Default::default(),
                })
                .collect();
            items.push(rule_item(path, fields)?);
        }
    }
    Ok(items)
}

/// Where the members of a JSON document are: for each object member, the line of its `:`
/// (1-based), as HCL's JSON parser records an item's position. Read from text serde_json
/// has already accepted, so it is well formed and at most 128 levels deep.
#[derive(Debug, Default)]
enum JsonLines {
    Object(Vec<(String, usize, JsonLines)>),
    Array(Vec<JsonLines>),
    #[default]
    Other,
}

static NO_LINES: JsonLines = JsonLines::Other;

impl JsonLines {
    fn of(raw: &str) -> JsonLines {
        let mut scan = JsonScan {
            raw,
            at: 0,
            line: 1,
        };
        scan.value()
    }

    /// The line of member `key` (its last occurrence, the one whose value counts); 0 when
    /// unknown.
    fn line(&self, key: &str) -> usize {
        match self {
            JsonLines::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _, _)| k == key)
                .map_or(0, |(_, line, _)| *line),
            _ => 0,
        }
    }

    fn get(&self, key: &str) -> &JsonLines {
        match self {
            JsonLines::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _, _)| k == key)
                .map_or(&NO_LINES, |(_, _, v)| v),
            _ => &NO_LINES,
        }
    }

    fn index(&self, i: usize) -> &JsonLines {
        match self {
            JsonLines::Array(items) => items.get(i).unwrap_or(&NO_LINES),
            _ => &NO_LINES,
        }
    }
}

struct JsonScan<'a> {
    raw: &'a str,
    at: usize,
    line: usize,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.raw.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b) = self.peek() {
            if !b.is_ascii_whitespace() {
                break;
            }
            if b == b'\n' {
                self.line += 1;
            }
            self.at += 1;
        }
    }

    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += match b {
                b'\\' => 2,
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => 1,
            };
        }
        let end = self.at.min(self.raw.len());
        serde_json::from_str(self.raw.get(start..end).unwrap_or("\"\"")).unwrap_or_default()
    }

    fn value(&mut self) -> JsonLines {
        self.space();
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                loop {
                    self.space();
                    match self.peek() {
                        Some(b'"') => {
                            let key = self.string();
                            self.space();
                            let line = self.line;
                            self.at += 1; // the `:`
                            let v = self.value();
                            members.push((key, line, v));
                        }
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                JsonLines::Object(members)
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        None => break,
                        _ => items.push(self.value()),
                    }
                }
                JsonLines::Array(items)
            }
            Some(b'"') => {
                self.string();
                JsonLines::Other
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.at += 1;
                }
                JsonLines::Other
            }
        }
    }
}

/// Reformats a policy as `policy fmt` does: blocks separated by a blank line, two-space
/// indentation, aligned `=` among consecutive attributes, comments kept.
pub fn format(raw: &str) -> Result<String, String> {
    if raw.trim_start().starts_with('{') {
        // Vault's printer only reads HCL: a JSON policy is refused at its first brace.
        let offset = raw.len() - raw.trim_start().len();
        let line = Source::new(raw).line(offset);
        let line_start = raw[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = raw[line_start..offset].chars().count() + 1;
        return Err(format!(
            "At {line}:{column}: expected: IDENT | STRING got: LBRACE"
        ));
    }
    check_nesting(raw)?;
    let (body, _) = parse_hcl1(raw).map_err(|e| syntax_error(raw, &e))?;
    let mut out = String::new();
    format_body(&body, 0, &mut out, true);
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}

fn comments(prefix: Option<&str>) -> Vec<String> {
    prefix
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn format_body(body: &Body, depth: usize, out: &mut String, top: bool) {
    use hcl::edit::Decorate;
    let indent = "  ".repeat(depth);
    let items: Vec<&Structure> = body.iter().collect();
    let mut i = 0;
    let mut first = true;
    while i < items.len() {
        match items[i] {
            Structure::Attribute(_) => {
                // A run of consecutive attributes, `=` aligned.
                let mut run = Vec::new();
                while let Some(Structure::Attribute(a)) = items.get(i) {
                    run.push(a);
                    i += 1;
                }
                if top && !first {
                    out.push('\n');
                }
                let width = run.iter().map(|a| a.key.as_str().len()).max().unwrap_or(0);
                for a in run {
                    for c in comments(a.decor().prefix().map(|p| &**p)) {
                        out.push_str(&format!("{indent}{c}\n"));
                    }
                    let key = a.key.as_str();
                    let value = format_expr(&a.value, depth);
                    out.push_str(&format!("{indent}{key:<width$} = {value}"));
                    let trailing = comments(a.decor().suffix().map(|p| &**p));
                    if let Some(c) = trailing.first() {
                        out.push(' ');
                        out.push_str(c);
                    }
                    out.push('\n');
                }
            }
            Structure::Block(b) => {
                i += 1;
                if top && !first {
                    out.push('\n');
                }
                for c in comments(b.decor().prefix().map(|p| &**p)) {
                    out.push_str(&format!("{indent}{c}\n"));
                }
                let mut head = format!("{indent}{}", b.ident.as_str());
                for l in &b.labels {
                    match l {
                        BlockLabel::String(s) => {
                            head.push_str(&format!(" {}", hcl_quote(s.value())))
                        }
                        BlockLabel::Ident(id) => head.push_str(&format!(" {}", id.as_str())),
                    }
                }
                out.push_str(&head);
                out.push_str(" {\n");
                format_body(&b.body, depth + 1, out, false);
                for c in comments(
                    b.body
                        .decor()
                        .suffix()
                        .map(|p| &**p)
                        .or_else(|| b.body.decor().prefix().map(|p| &**p)),
                ) {
                    out.push_str(&format!("{indent}  {c}\n"));
                }
                out.push_str(&format!("{indent}}}\n"));
            }
        }
        first = false;
    }
}

fn format_expr(e: &Expression, depth: usize) -> String {
    match e {
        Expression::String(s) => hcl_quote(s.value()),
        Expression::Array(a) => {
            let parts: Vec<String> = a.iter().map(|x| format_expr(x, depth)).collect();
            format!("[{}]", parts.join(", "))
        }
        Expression::Object(o) => {
            let indent = "  ".repeat(depth + 1);
            let mut s = String::from("{\n");
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(x)) => hcl_quote(x.value()),
                    ObjectKey::Expression(other) => other.to_string().trim().to_string(),
                };
                s.push_str(&format!(
                    "{indent}{key} = {}\n",
                    format_expr(v.expr(), depth + 1)
                ));
            }
            s.push_str(&format!("{}}}", "  ".repeat(depth)));
            s
        }
        other => {
            let mut c = other.clone();
            use hcl::edit::Decorate;
            c.decor_mut().clear();
            c.to_string().trim().to_string()
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn hcl1_layouts_parse_and_keep_their_line_numbers() {
        for raw in [
            "path \"a/*\" {\ncapabilities=[\"read\"]}\n",
            "path \"a/*\" { capabilities=[\"read\"] } path \"b/*\" { capabilities=[\"list\"] }",
            "path \"a/*\" { capabilities = [\"read\"]\n}\npath \"b/*\" {\n capabilities = [\"list\"] } # c\n",
        ] {
            let p = super::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert!(!p.paths.is_empty(), "{raw:?}");
        }
        let two = super::parse(
            "path \"a/*\" { capabilities=[\"read\"] } path \"b/*\" { capabilities=[\"list\"] }",
        )
        .unwrap();
        assert_eq!(two.paths.len(), 2);
        // The line breaks added for HCL2 are not lines: the key is where it was written.
        assert_eq!(
            super::parse("path \"a/*\" {\ncapabilities=[\"read\"]}\npath \"x\" {\n bogus = 1 }\n")
                .unwrap_err(),
            "failed to parse policy: path \"x\": 1 error occurred:\n\t* invalid key \"bogus\" on line 4\n\n"
        );
        // Strings and comments are never split.
        assert!(super::hcl1_layout("path \"a{b}\" { capabilities = [\"read\"] } # {x}").is_none());
        // A layout HCL2 refuses for another reason is still an error.
        assert!(super::parse("path \"a\" {\ncapabilities=[\"read\"]}}\n").is_err());
    }

    #[test]
    fn json_policy_keys_are_on_the_line_of_their_colon() {
        assert_eq!(
            super::parse("{\"foo\": 1,\n \"path\": {\"x\": {\"capabilities\": [\"read\"]}}}")
                .unwrap_err(),
            "failed to parse policy: 1 error occurred:\n\t* invalid key \"foo\" on line 1\n\n"
        );
        assert_eq!(
            super::parse("{\"path\": [{\"y\": {}},\n{\"x\": {\"capabilities\": [\"read\"],\n\n \"bogus\"\n: 1}}]}")
                .unwrap_err(),
            "failed to parse policy: path \"x\": 1 error occurred:\n\t* invalid key \"bogus\" on line 5\n\n"
        );
    }
    use super::*;

    #[test]
    fn parses_capabilities_and_shorthand() {
        let p = parse(
            r#"
# comment
path "secret/*" {
  capabilities = ["read", "list"]
}
path "/sys/x" { policy = "write" }
path "a" { capabilities = ["read", "deny", "update"] }
"#,
        )
        .unwrap();
        assert_eq!(
            p.paths,
            vec![
                PathRule {
                    path: "secret/*".into(),
                    capabilities: READ | LIST,
                    ..Default::default()
                },
                PathRule {
                    path: "sys/x".into(),
                    capabilities: CREATE | READ | UPDATE | DELETE | LIST,
                    ..Default::default()
                },
                PathRule {
                    path: "a".into(),
                    capabilities: DENY,
                    ..Default::default()
                },
            ]
        );
        assert!(!p.templated);
    }

    #[test]
    fn json_form() {
        let p = parse(r#"{"path": {"secret/*": {"capabilities": ["read"]}}}"#).unwrap();
        assert_eq!(p.paths.len(), 1);
        assert_eq!(p.paths[0].capabilities, READ);
        let e = parse(r#"{"path": {"x": {"capabilities": ["fly"]}}}"#).unwrap_err();
        assert_eq!(
            e,
            r#"failed to parse policy: path "x": path "x": invalid capability "fly""#
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let e = parse("path \"x\" {\n  capabilities = [\"reed\"]\n}\n").unwrap_err();
        assert_eq!(
            e,
            r#"failed to parse policy: path "x": path "x": invalid capability "reed""#
        );
        let e = parse("path \"x\" {\n  policy = \"admin\"\n}\n").unwrap_err();
        assert_eq!(
            e,
            r#"failed to parse policy: path "x": path "x": invalid policy "admin""#
        );
        let e = parse("path \"x\" {\n  capabilities = [\"read\"]\n  foo = 1\n}\n").unwrap_err();
        assert_eq!(
            e,
            "failed to parse policy: path \"x\": 1 error occurred:\n\t* invalid key \"foo\" on line 3\n\n"
        );
        // A block has no `=`: HCL1 reports line 0.
        let e = parse("\n\nbogus \"x\" {}\nother = 1\n").unwrap_err();
        assert_eq!(
            e,
            "failed to parse policy: 2 errors occurred:\n\t* invalid key \"bogus\" on line 0\n\t* invalid key \"other\" on line 4\n\n"
        );
        let e = parse("path \"foo/+*\" { capabilities = [\"read\"] }").unwrap_err();
        assert_eq!(
            e,
            r#"failed to parse policy: path "foo/+*": invalid use of wildcards ('+*' is forbidden)"#
        );
    }

    #[test]
    fn syntax_error_names_the_line() {
        // Recorded from bao 2.7.2.
        let e = parse("path \"secret/*\" {\n  capabilities = [\"read\"\n}\n").unwrap_err();
        assert_eq!(
            e,
            "failed to parse policy: At 3:1: error parsing list, expected comma or list end, got: RBRACE"
        );
        let e = parse("path \"x\" {\n    capabilities == [\"read\"]\n}\n").unwrap_err();
        assert!(e.starts_with("failed to parse policy: At 2:"), "{e}");
        assert!(parse("{ not json").is_err());
    }

    /// A large policy parses (it took minutes when each key's line was found by a scan from
    /// the start: quadratic), and the errors near its end still name the right line and column.
    #[test]
    fn large_policy_parses() {
        let mut raw = String::new();
        let mut n = 0;
        while raw.len() < 4 << 20 {
            raw.push_str(&format!(
                "# rule {n}: ünïcode\npath \"secret/data/app{n}/*\" {{\n  capabilities = [\"read\", \"list\"]\n  allowed_parameters = {{ \"k{n}\" = [] }}\n}}\n"
            ));
            n += 1;
        }
        let started = std::time::Instant::now();
        let p = parse(&raw).unwrap();
        eprintln!("{} bytes, {n} paths: {:?}", raw.len(), started.elapsed());
        assert_eq!(p.paths.len(), n);
        let last = &p.paths[n - 1];
        assert_eq!(last.path, format!("secret/data/app{}/*", n - 1));
        assert_eq!(last.capabilities, READ | LIST);
        assert!(last.allowed_parameters.contains_key(&format!("k{}", n - 1)));
        // An error at the end names its line and column (lines are 1-based; the column
        // counts characters, so the ü and ï before it do not shift it).
        let lines = raw.lines().count();
        let bad = format!("{raw}path \"z\" {{\n  allowed_parameters = /* üü */ \"x\"\n}}\n");
        let e = parse(&bad).unwrap_err();
        assert!(
            e.contains(&format!("At {}:33: root.allowed_parameters", lines + 2)),
            "{e}"
        );
    }

    /// The line index agrees with counting from the start, across its chunk boundaries and
    /// with multi-byte characters.
    #[test]
    fn source_positions_match_a_scan() {
        let text = "ab\nçé€😀x\n\n".repeat(200) + "tail";
        let src = Source::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
            let column = before[start..].chars().count() + 1;
            assert_eq!(src.line_col(offset), (line, column), "offset {offset}");
            assert_eq!(src.line(offset), line);
        }
        assert_eq!(src.line_col(text.len() + 10), src.line_col(text.len()));
    }

    #[test]
    fn templating() {
        let raw = "path \"identity/entity/id/{{identity.entity.id}}\" { capabilities = [\"read\"] }\npath \"a\" { capabilities = [\"read\"] }";
        let p = parse(raw).unwrap();
        assert!(p.templated);
        let filled = parse_with(raw, Some(&TemplateContext::for_entity("e1", "n1"))).unwrap();
        assert_eq!(filled.paths[0].path, "identity/entity/id/e1");
        let none = parse_with(raw, Some(&TemplateContext::default())).unwrap();
        assert_eq!(none.paths.len(), 1);
        assert_eq!(none.paths[0].path, "a");
    }

    #[test]
    fn templates_as_identitytpl() {
        use std::collections::BTreeMap;
        let mut ctx = TemplateContext::for_entity("e1", "alice");
        let e = ctx.entity.as_mut().unwrap();
        e.metadata = BTreeMap::from([("team".to_string(), "blue".to_string())]);
        e.aliases.push(TemplateAlias {
            id: "a1".into(),
            mount_accessor: "auth_jwt_1234abcd".into(),
            name: "alice@x".into(),
            metadata: BTreeMap::from([("email".to_string(), "alice@example.com".to_string())]),
        });
        ctx.groups.push(TemplateGroup {
            id: "g1".into(),
            name: "devs".into(),
            ..Default::default()
        });
        let f = |s: &str| populate(s, Some(&ctx)).map(|(_, v)| v);
        assert_eq!(f("kv/{{identity.entity.id}}/x").unwrap(), "kv/e1/x");
        assert_eq!(f("kv/{{ identity.entity.name }}").unwrap(), "kv/alice");
        assert_eq!(
            f("kv/{{identity.entity.metadata.team}}").unwrap(),
            "kv/blue"
        );
        assert_eq!(
            f("u/{{identity.entity.aliases.auth_jwt_1234abcd.metadata.email}}/*").unwrap(),
            "u/alice@example.com/*"
        );
        assert_eq!(
            f("u/{{identity.entity.aliases.auth_jwt_1234abcd.name}}").unwrap(),
            "u/alice@x"
        );
        assert_eq!(f("g/{{identity.groups.ids.g1.name}}").unwrap(), "g/devs");
        assert_eq!(f("g/{{identity.groups.names.devs.id}}").unwrap(), "g/g1");
        for bad in [
            "kv/{{identity.entity.metadata.nope}}",
            "kv/{{identity.entity.aliases.auth_jwt_00000000.name}}",
            "kv/{{identity.groups.names.ops.id}}",
            "kv/{{identity.entity.bogus}}",
            "kv/{{other}}",
        ] {
            assert!(f(bad).is_err(), "{bad}");
        }
        assert!(populate(
            "kv/{{identity.entity.id}}",
            Some(&TemplateContext::default())
        )
        .is_err());
        // Syntax: only the braces are checked when the policy is written.
        assert_eq!(populate("a/b", None).unwrap(), (false, "a/b".to_string()));
        assert!(populate("kv/{{identity.entity.nope}}", None).unwrap().0);
        for bad in [
            "kv/{{identity.entity.id}/x",
            "kv/}}{{x}}",
            "kv/{{a}}}}",
            "kv/{{{{a}}",
        ] {
            assert_eq!(populate(bad, None).unwrap_err(), UNBALANCED, "{bad}");
        }
        let e = parse("path \"a/b\" { capabilities = [\"read\"] }\npath \"kv/{{identity.entity.id}/x\" { capabilities = [\"read\"] }").unwrap_err();
        assert_eq!(
            e,
            "failed to parse policy: path \"kv/{{identity.entity.id}/x\": failed to validate policy templating: unbalanced templating characters"
        );
    }

    #[test]
    fn formats() {
        let raw = "# top\npath \"a\" {\ncapabilities=[\"read\",\"list\"]\n  policy = \"read\"\n}\npath \"b\" { capabilities = [\"deny\"] }\n";
        let f = format(raw).unwrap();
        assert_eq!(
            f,
            "# top\npath \"a\" {\n  capabilities = [\"read\", \"list\"]\n  policy       = \"read\"\n}\n\npath \"b\" {\n  capabilities = [\"deny\"]\n}\n"
        );
        assert_eq!(parse(&f).unwrap(), parse(raw).unwrap());
        let d = crate::policy::store::DEFAULT_POLICY;
        let f = format(d).unwrap();
        assert_eq!(parse(&f).unwrap(), parse(d).unwrap());
        let count = |t: &str| {
            t.lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count()
        };
        assert_eq!(count(&f), count(d));
        assert_eq!(format(&f).unwrap(), f, "formatting is idempotent");
        assert_eq!(
            format("\n  {\"path\": {}}").unwrap_err(),
            "At 2:3: expected: IDENT | STRING got: LBRACE"
        );
    }

    #[test]
    fn capability_names_sorted() {
        assert_eq!(capability_names(READ | LIST), vec!["list", "read"]);
        assert_eq!(capability_names(0), vec!["deny"]);
        assert_eq!(capability_names(DENY | READ), vec!["deny"]);
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Odd inputs give errors or policies, never panics.
    #[test]
    fn odd_inputs_do_not_panic() {
        let inputs = [
            "",
            " ",
            "\n",
            "{",
            "}",
            "[",
            "\"",
            "path",
            "path \"",
            "path \"x\"",
            "path \"x\" {",
            "path \"x\" {}",
            "path \"é\" { capabilities = [\"réad\"] }",
            "path \"x\" { capabilities = [1, true, null] }",
            "path \"x\" { capabilities = {} }",
            "path \"x\" { policy = [\"read\"] }",
            "name = 1",
            "name = \"n\"\npath = 3",
            "path = { \"a\" = 1 }",
            "path = { \"a\" = { capabilities = [\"read\"] } }",
            "{\"path\": 1}",
            "{\"path\": [1]}",
            "{\"path\": {\"a\": 1}}",
            "{\"x\": 1}",
            "[]",
            "{}",
            "path \"{{\" {}",
            "path \"{{identity.entity.id\" {}",
            "path \"}}{{\" {}",
            "path \"+\" { capabilities = [\"read\"] }",
            "path \"*\" { capabilities = [\"read\"] }",
            "\u{feff}path \"x\" {}",
            "path \"x\" { capabilities = [\"read\"\n",
            "\0",
            "path \"x\" { allowed_parameters = { \"*\" = [] } }",
            "path \"x\" { control_group { ttl = 1 } }",
            "path \"x\" { bogus { } }",
            "path \"x\" {\n allowed_parameters {\n \"a\" = [1, true, null, [\"x\"], {k = 1}]\n }\n}",
            "path \"x\" {\n allowed_parameters {\n}\n allowed_parameters {\n \"é\" = \"\"\n }\n}",
            "path \"x\" {\n denied_parameters = { a = {} }\n required_parameters = [1, null, {}]\n}",
            "path \"x\" {\n capabilities = [\"read\"]\n min_wrapping_ttl = 1e300\n max_wrapping_ttl = -99999999999999999999\n}",
            "path \"x\" {\n capabilities = [\"read\"]\n min_wrapping_ttl = [\"1h\"]\n}",
            "path \"x\" {\n capabilities = [\"read\"]\n max_wrapping_ttl = \"9999999999999999h\"\n}",
            "{\"path\": {\"x\": {\"capabilities\": [\"read\"], \"allowed_parameters\": 1, \"min_wrapping_ttl\": {}}}}",
            "allowed_parameters {\n}",
            "  allowed_parameters   {  \"a\" = [] }",
        ];
        let ctx = TemplateContext::default();
        for raw in inputs {
            let _ = parse(raw);
            let _ = parse_with(raw, Some(&ctx));
            let _ = format(raw);
        }
        let acl = crate::policy::Acl::from_rules([parse("path \"+\" { capabilities = [\"read\"] }\npath \"+/*\" { capabilities = [\"list\"] }\npath \"*\" { capabilities = [\"update\"] }").unwrap().paths.as_slice()]);
        for p in ["", "/", "//", "a", "a/", "a/b/c", "+", "*", "é/ü"] {
            let _ = acl.capabilities(p);
            for op in [
                crate::core::Operation::Read,
                crate::core::Operation::List,
                crate::core::Operation::Update,
            ] {
                let _ = acl.allows(op, p);
            }
        }
        assert_eq!(acl.capabilities("a"), vec!["read"]);
    }

    /// Found by the `policy` fuzz target: `$${` (HCL's escape of `${`) in a path was written
    /// back by `policy fmt` as `${`, which no longer parses; Go-only escapes too.
    #[test]
    fn format_keeps_escapes_so_the_output_parses_the_same() {
        let raw = "path \"secr$${data/{{identity.entity.id}}/%%{x}\" {\n  capabilities = [\"read\"]\n}\npath \"a\\u0001\\tb\\\"c\" { policy = \"write\" }\n";
        let parsed = parse(raw).unwrap();
        assert_eq!(
            parsed.paths[0].path,
            "secr${data/{{identity.entity.id}}/%{x}"
        );
        assert_eq!(parsed.paths[1].path, "a\u{1}\tb\"c");
        let formatted = format(raw).unwrap();
        assert!(formatted.starts_with("path \"secr$${data/"), "{formatted}");
        assert!(formatted.contains("\"a\\u0001\\tb\\\"c\""), "{formatted}");
        assert_eq!(parse(&formatted).unwrap(), parsed);
        assert_eq!(format(&formatted).unwrap(), formatted);
    }

    /// Found by the `policy` fuzz target: a few hundred nested brackets overflowed the stack
    /// of the HCL parser (an abort, not an error).
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!(
            "path \"a\" {{\n  capabilities = {}\"read\"{}\n}}\n",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let e = parse(&deep).unwrap_err();
        assert_eq!(
            e,
            "failed to parse policy: At 2:49: nesting too deep (more than 32 levels of brackets)"
        );
        assert!(format(&deep).unwrap_err().contains("nesting too deep"));
        let mixed = format!("path \"a\" {{ x = {} }}", "[{(".repeat(2000));
        assert!(parse(&mixed).unwrap_err().contains("nesting too deep"));
        // brackets inside strings and templates do not count
        let ok = format!(
            "path \"{}{{{{identity.entity.id}}}}\" {{ capabilities = [\"read\"] }}",
            "[".repeat(100)
        );
        assert!(parse(&ok).is_ok());
    }
}
