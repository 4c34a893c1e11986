//! The Go values a template sees: what `encoding/json` decodes into `interface{}` (bool,
//! float64, string, `[]interface {}`, `map[string]interface {}`, nil), plus what the template
//! itself makes (`int` constants and results, `uint8` from indexing a string, `complex128`).
//!
//! A [`Value`] mirrors a `reflect.Value`: invalid (the zero Value), a concrete value, or a value
//! of static type `interface {}` (a map entry or list element), which may hold nil.

use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Go {
    Bool(bool),
    Int(i64),
    Uint8(u8),
    Float(f64),
    Complex(f64, f64),
    Str(Rc<str>),
    /// `[]interface {}`: every element is an interface value.
    Slice(Rc<Vec<Value>>),
    /// `map[string]interface {}`: every entry is an interface value; keys sorted as Go's
    /// fmt and range sort them.
    Map(Rc<BTreeMap<String, Value>>),
}

impl Go {
    pub fn type_name(&self) -> &'static str {
        match self {
            Go::Bool(_) => "bool",
            Go::Int(_) => "int",
            Go::Uint8(_) => "uint8",
            Go::Float(_) => "float64",
            Go::Complex(..) => "complex128",
            Go::Str(_) => "string",
            Go::Slice(_) => "[]interface {}",
            Go::Map(_) => "map[string]interface {}",
        }
    }

    pub fn str(s: &str) -> Go {
        Go::Str(Rc::from(s))
    }
}

#[derive(Clone, Debug)]
pub struct Value {
    pub v: Option<Go>,
    /// The static type is `interface {}` (Kind Interface).
    pub iface: bool,
}

impl Value {
    pub fn invalid() -> Value {
        Value {
            v: None,
            iface: false,
        }
    }

    pub fn of(g: Go) -> Value {
        Value {
            v: Some(g),
            iface: false,
        }
    }

    pub fn string(s: &str) -> Value {
        Value::of(Go::str(s))
    }

    pub fn is_valid(&self) -> bool {
        self.v.is_some() || self.iface
    }

    /// `v.Type().String()`; only for valid values.
    pub fn type_name(&self) -> &'static str {
        if self.iface {
            return "interface {}";
        }
        self.v.as_ref().map(Go::type_name).unwrap_or("<nil>")
    }

    /// `indirectInterface`: the concrete value inside an interface (nil → invalid).
    pub fn concrete(&self) -> Value {
        Value {
            v: self.v.clone(),
            iface: false,
        }
    }

    /// A nil interface value.
    pub fn is_nil_iface(&self) -> bool {
        self.iface && self.v.is_none()
    }

    pub fn from_json(v: &serde_json::Value) -> Value {
        Value {
            v: go_of_json(v),
            iface: false,
        }
    }
}

fn elem_of_json(v: &serde_json::Value) -> Value {
    Value {
        v: go_of_json(v),
        iface: true,
    }
}

fn go_of_json(v: &serde_json::Value) -> Option<Go> {
    use serde_json::Value as J;
    Some(match v {
        J::Null => return None,
        J::Bool(b) => Go::Bool(*b),
        J::Number(n) => Go::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Go::str(s),
        J::Array(a) => Go::Slice(Rc::new(a.iter().map(elem_of_json).collect())),
        J::Object(m) => Go::Map(Rc::new(
            m.iter()
                .map(|(k, v)| (k.clone(), elem_of_json(v)))
                .collect(),
        )),
    })
}
