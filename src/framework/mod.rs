//! What Vault's `sdk/framework` is to its backends: a backend declares its paths (pattern,
//! operations, existence check, typed fields, help) and [`Path::handle`] applies Vault's
//! request rules around the handler, written once:
//!
//! - the fields given are converted by their types before the handler runs
//!   ([`field::FieldData`]); a failure is a 400 `Field validation failed: error converting
//!   input for field "<name>": ...`, without the prefix on a write to a path with an
//!   existence check (Vault converts there first, in `HandleExistenceCheck`);
//! - parameters the path does not declare are named in the response's warning `Endpoint
//!   ignored these unrecognized parameters: [a b]` (only when there is a response);
//! - `path-help` text from the declaration ([`Path::help`]).
//!
//! [`tokenutil`] is the token fields block that auth methods add to their roles, and [`go`]
//! the Go texts (strconv, time, `%v`, `%q`, multierror) the messages are made of.

pub mod field;
pub mod go;
pub mod router;
pub mod tokenutil;

pub use field::{FieldData, FieldSchema, FieldType};
pub use router::{Captures, Routes};

use crate::core::{Error, Operation, Request, Response, Result};
use crate::settings::Compat;
use serde_json::{Map, Value};

/// A path of a backend (`framework.Path`).
#[derive(Debug, Clone)]
pub struct Path {
    /// Vault's route pattern, as `path-help` shows it (`^role/(?P<name>...)$`).
    pub pattern: &'static str,
    pub fields: Vec<FieldSchema>,
    pub operations: &'static [Operation],
    /// Whether the path has an existence check (a write is then a `create` or an `update`).
    pub existence_check: bool,
    /// `TakesArbitraryInput`: no field is unrecognized.
    pub takes_arbitrary_input: bool,
    pub synopsis: &'static str,
    pub description: &'static str,
}

impl Path {
    /// Vault's `HandleRequest` around `handler`: the operation must be declared, the fields
    /// (with the `captures` from the request path, which take priority) are converted, then
    /// the handler answers and the warnings about ignored or replaced parameters are added.
    pub fn handle(
        &self,
        req: &Request,
        captures: &[(&str, &str)],
        handler: impl FnOnce(&FieldData) -> Result<Option<Response>>,
    ) -> Result<Option<Response>> {
        self.handle_in(Compat::OpenBao, req, captures, handler)
    }

    /// [`Path::handle`] in a compatibility mode: in default mode a write that has nothing to
    /// say still names the parameters it ignored (OpenBao's warning rides on a response, so
    /// it then says nothing).
    pub fn handle_in(
        &self,
        compat: Compat,
        req: &Request,
        captures: &[(&str, &str)],
        handler: impl FnOnce(&FieldData) -> Result<Option<Response>>,
    ) -> Result<Option<Response>> {
        if !self.operations.contains(&req.operation) {
            return Err(Error::unsupported_operation());
        }
        let ignored = self.unrecognized(&req.data);
        let mut replaced: Vec<&str> = Vec::new();
        let data = if captures.is_empty() {
            std::borrow::Cow::Borrowed(&req.data)
        } else {
            let mut raw = req.data.clone();
            for (k, v) in captures {
                if raw.get(*k).is_some_and(|x| !x.is_null()) {
                    replaced.push(k);
                }
                raw.insert(k.to_string(), Value::String(v.to_string()));
            }
            std::borrow::Cow::Owned(raw)
        };
        let fields =
            FieldData::new(&self.fields, &data).map_err(|e| self.validation_error(req, e))?;
        let mut resp = handler(&fields)?;
        let write = matches!(req.operation, Operation::Create | Operation::Update);
        if resp.is_none() && write && compat == Compat::Default && !ignored.is_empty() {
            resp = Some(Response::default());
        }
        if let Some(r) = resp.as_mut() {
            if !ignored.is_empty() {
                r.warnings.push(unrecognized_warning(&ignored));
            }
            if !replaced.is_empty() {
                replaced.sort_unstable();
                r.warnings.push(format!(
                    "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [{}]",
                    replaced.join(" ")
                ));
            }
        }
        Ok(resp)
    }

    /// The error of a field that cannot be converted: a write to a path with an existence
    /// check fails in the check, whose error has no prefix.
    pub fn validation_error(&self, req: &Request, detail: String) -> Error {
        let in_existence_check =
            self.existence_check && matches!(req.operation, Operation::Create | Operation::Update);
        if in_existence_check {
            Error::bad_request(detail)
        } else {
            Error::bad_request(format!("Field validation failed: {detail}"))
        }
    }

    /// The request parameters this path does not declare, sorted.
    pub fn unrecognized(&self, data: &Map<String, Value>) -> Vec<String> {
        if self.takes_arbitrary_input {
            return Vec::new();
        }
        let mut out: Vec<String> = data
            .keys()
            .filter(|k| !self.fields.iter().any(|f| f.name == k.as_str()))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Vault's path help text for `request` (the path relative to the mount).
    pub fn help(&self, request: &str) -> String {
        let or_none = |s: &str, none: &str| {
            let t = s.trim();
            if t.is_empty() {
                none.to_string()
            } else {
                t.to_string()
            }
        };
        let mut out = format!(
            "Request:        {request}\nMatching Route: {}\n\n{}\n\n",
            self.pattern,
            or_none(self.synopsis, "<no synopsis>")
        );
        let mut fields: Vec<&FieldSchema> = self.fields.iter().collect();
        fields.sort_by_key(|f| f.name);
        if !fields.is_empty() {
            out.push_str("## PARAMETERS\n");
            for f in fields {
                let mut desc = or_none(f.description, "<no description>");
                if f.deprecated {
                    desc = format!("(DEPRECATED) {desc}");
                }
                out.push_str(&format!(
                    "\n{} ({})\n\n{}\n",
                    indent(4, f.name),
                    f.ty.help_name(),
                    indent(8, &desc)
                ));
            }
        }
        out.push_str(&format!(
            "\n## DESCRIPTION\n\n{}\n",
            or_none(self.description, "<no description>")
        ));
        out.trim().to_string()
    }
}

/// The template function `indent`: every line prefixed by `count` spaces.
fn indent(count: usize, text: &str) -> String {
    let prefix = " ".repeat(count);
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error of a request whose field `message` (`error converting input for field ...`)
/// failed: Vault's `HandleRequest` prefixes it with `Field validation failed: `; in an
/// existence check (a write to a path that has one) it is returned as it is.
pub fn validation_failed(message: String, in_existence_check: bool) -> Error {
    if in_existence_check {
        Error::bad_request(message)
    } else {
        Error::bad_request(format!("Field validation failed: {message}"))
    }
}

/// [`validation_failed`] for a handler that converts the field `field` itself, on a path
/// without an existence check.
pub fn field_validation_failed(field: &str, detail: &str) -> Error {
    validation_failed(field::conversion_error(field, detail), false)
}

/// The warning naming the parameters a path ignored.
pub fn unrecognized_warning(names: &[String]) -> String {
    format!(
        "Endpoint ignored these unrecognized parameters: [{}]",
        names.join(" ")
    )
}

/// Vault's `GenericNameRegex`: the name rule of `role/<name>` and the like
/// (`\w(([\w-.]+)?\w)?` with Go's ASCII `\w`).
pub fn is_generic_name(name: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match name.as_bytes() {
        [] => false,
        [one] => word(*one),
        [first, middle @ .., last] => {
            word(*first) && word(*last) && middle.iter().all(|&b| word(b) || b == b'-' || b == b'.')
        }
    }
}

/// The pattern text of `GenericNameRegex(name)`.
pub const GENERIC_NAME: &str = r"\w(([\w-.]+)?\w)?";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(existence_check: bool) -> Path {
        Path {
            pattern: "^thing/(?P<name>\\w(([\\w-.]+)?\\w)?)$",
            fields: vec![
                FieldSchema::new("name", FieldType::LowerCaseString, "Name."),
                FieldSchema::new("count", FieldType::Int, "How many.\nAt most 3."),
                FieldSchema::new("old", FieldType::Int, "Use count.").deprecated(),
            ],
            operations: &[Operation::Read, Operation::Update],
            existence_check,
            takes_arbitrary_input: false,
            synopsis: "\n  A thing.\n",
            description: "",
        }
    }

    fn req(op: Operation, data: Value) -> Request {
        Request::new(op, "thing/x").with_data(data.as_object().cloned().unwrap_or_default())
    }

    #[test]
    fn validation_prefix_depends_on_the_existence_check() {
        let bad = json!({"count": "x"});
        let detail = "error converting input for field \"count\": '' cannot parse value as 'int': strconv.ParseInt: invalid syntax";
        let err = path(true)
            .handle(&req(Operation::Update, bad.clone()), &[], |_| Ok(None))
            .unwrap_err();
        assert_eq!(err.message(), detail);
        let err = path(false)
            .handle(&req(Operation::Update, bad.clone()), &[], |_| Ok(None))
            .unwrap_err();
        assert_eq!(err.message(), format!("Field validation failed: {detail}"));
        let err = path(true)
            .handle(&req(Operation::Read, bad), &[], |_| Ok(None))
            .unwrap_err();
        assert_eq!(err.message(), format!("Field validation failed: {detail}"));
        let err = path(true)
            .handle(&req(Operation::Delete, json!({})), &[], |_| Ok(None))
            .unwrap_err();
        assert_eq!(err.status, 405);
    }

    #[test]
    fn default_mode_names_ignored_parameters_of_a_silent_write() {
        let p = path(false);
        let r = req(Operation::Update, json!({"zeta": 1, "count": 2}));
        assert!(p.handle(&r, &[], |_| Ok(None)).unwrap().is_none());
        let resp = p
            .handle_in(Compat::Default, &r, &[], |_| Ok(None))
            .unwrap()
            .unwrap();
        assert_eq!(
            resp.warnings,
            vec!["Endpoint ignored these unrecognized parameters: [zeta]".to_string()]
        );
        // A read, or a write with nothing ignored, stays silent.
        let read = req(Operation::Read, json!({"zeta": 1}));
        assert!(p
            .handle_in(Compat::Default, &read, &[], |_| Ok(None))
            .unwrap()
            .is_none());
        let clean = req(Operation::Update, json!({"count": 2}));
        assert!(p
            .handle_in(Compat::Default, &clean, &[], |_| Ok(None))
            .unwrap()
            .is_none());
    }

    #[test]
    fn warnings_only_on_a_response() {
        let p = path(false);
        let r = req(
            Operation::Update,
            json!({"zeta": 1, "alpha": 2, "name": "y", "count": 2}),
        );
        let resp = p
            .handle(&r, &[("name", "X")], |f| {
                assert_eq!(f.str("name").as_deref(), Some("x"));
                assert_eq!(f.int("count"), Some(2));
                Ok(Some(Response::default()))
            })
            .unwrap()
            .unwrap();
        assert_eq!(
            resp.warnings,
            vec![
                "Endpoint ignored these unrecognized parameters: [alpha zeta]".to_string(),
                "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [name]".to_string(),
            ]
        );
        assert!(p.handle(&r, &[], |_| Ok(None)).unwrap().is_none());
    }

    #[test]
    fn help_text() {
        assert_eq!(
            path(false).help("thing/x"),
            "Request:        thing/x\nMatching Route: ^thing/(?P<name>\\w(([\\w-.]+)?\\w)?)$\n\nA thing.\n\n## PARAMETERS\n\n    count (int)\n\n        How many.\n        At most 3.\n\n    name (lowercase string)\n\n        Name.\n\n    old (int)\n\n        (DEPRECATED) Use count.\n\n## DESCRIPTION\n\n<no description>"
        );
    }

    #[test]
    fn names() {
        assert!(is_generic_name("a"));
        assert!(is_generic_name("my-role.v1"));
        assert!(!is_generic_name("-a"));
        assert!(!is_generic_name("a/b"));
        assert!(!is_generic_name(""));
    }
}
