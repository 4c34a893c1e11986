//! Go's builtin template functions (funcs.go) and the helpers OpenBao registers for its string
//! templates (`sdk/helper/template/funcs.go`), each with its Go signature so that arguments are
//! checked and converted as `reflect` would.

use super::fmt as gofmt;
use super::value::{Go, Value};
use sha2::Digest;
use std::rc::Rc;

/// A parameter type of a Go function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`
    Any,
    /// `reflect.Value`
    Reflect,
    Str,
    Int,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Reflect => "reflect.Value",
            Ty::Str => "string",
            Ty::Int => "int",
        }
    }
}

pub type Run = fn(&[Value]) -> Result<Value, String>;

pub struct Func {
    pub name: &'static str,
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
    pub builtin: bool,
    pub run: Run,
}

const fn b(name: &'static str, params: &'static [Ty], variadic: Option<Ty>, run: Run) -> Func {
    Func {
        name,
        params,
        variadic,
        builtin: true,
        run,
    }
}

const fn f(name: &'static str, params: &'static [Ty], run: Run) -> Func {
    Func {
        name,
        params,
        variadic: None,
        builtin: false,
        run,
    }
}

use Ty::{Any, Int, Reflect, Str};

static BUILTINS: &[Func] = &[
    b("and", &[Reflect], Some(Reflect), unreachable_special),
    b("call", &[Reflect], Some(Reflect), unreachable_special),
    b("html", &[], Some(Any), |a| {
        ok_str(html_escape(&eval_args(a)))
    }),
    b("index", &[Reflect], Some(Reflect), index),
    b("slice", &[Reflect], Some(Reflect), slice),
    b("js", &[], Some(Any), |a| ok_str(js_escape(&eval_args(a)))),
    b("len", &[Reflect], None, length),
    b("not", &[Reflect], None, |a| {
        Ok(Value::of(Go::Bool(!truth(&a[0]))))
    }),
    b("or", &[Reflect], Some(Reflect), unreachable_special),
    b("print", &[], Some(Any), |a| ok_str(gofmt::sprint(a))),
    b("printf", &[Str], Some(Any), |a| {
        ok_str(gofmt::sprintf(&string_of(&a[0]), &a[1..]))
    }),
    b("println", &[], Some(Any), |a| ok_str(gofmt::sprintln(a))),
    b("urlquery", &[], Some(Any), |a| {
        ok_str(query_escape(&eval_args(a)))
    }),
    b("eq", &[Reflect], Some(Reflect), |a| {
        eq(&a[0], &a[1..]).map(|t| Value::of(Go::Bool(t)))
    }),
    b("ge", &[Reflect, Reflect], None, |a| {
        lt(&a[0], &a[1]).map(|t| Value::of(Go::Bool(!t)))
    }),
    b("gt", &[Reflect, Reflect], None, |a| {
        le(&a[0], &a[1]).map(|t| Value::of(Go::Bool(!t)))
    }),
    b("le", &[Reflect, Reflect], None, |a| {
        le(&a[0], &a[1]).map(|t| Value::of(Go::Bool(t)))
    }),
    b("lt", &[Reflect, Reflect], None, |a| {
        lt(&a[0], &a[1]).map(|t| Value::of(Go::Bool(t)))
    }),
    b("ne", &[Reflect, Reflect], None, |a| {
        eq(&a[0], &a[1..2]).map(|t| Value::of(Go::Bool(!t)))
    }),
];

/// The helpers of OpenBao's `sdk/helper/template`.
static OPENBAO: &[Func] = &[
    f("random", &[Int], |a| {
        // go-secure-stdlib base62.RandomWithReader: 0 is "", a negative length panics in
        // `make`, which the template call reports.
        let n = int_of(&a[0]);
        if n < 0 {
            return Err("runtime error: makeslice: cap out of range".into());
        }
        ok_str(random_base62(n as usize))
    }),
    f("truncate", &[Int, Str], |a| {
        let max = int_of(&a[0]);
        if max <= 0 {
            return Err(format!("max length must be > 0 but was {max}"));
        }
        let s = string_of(&a[1]);
        ok_str(byte_prefix(&s, max as usize))
    }),
    f("truncate_sha256", &[Int, Str], |a| {
        let max = int_of(&a[0]);
        if max <= 8 {
            return Err(format!("max length must be > 8 but was {max}"));
        }
        let s = string_of(&a[1]);
        let max = max as usize;
        if s.len() <= max {
            return ok_str(s.to_string());
        }
        let cut = max - 8;
        let hash = hex_encode(&sha2::Sha256::digest(&s.as_bytes()[cut..]));
        ok_str(format!("{}{}", byte_prefix(&s, cut), &hash[..8]))
    }),
    f("uppercase", &[Str], |a| {
        ok_str(map_runes(&string_of(&a[0]), true))
    }),
    f("lowercase", &[Str], |a| {
        ok_str(map_runes(&string_of(&a[0]), false))
    }),
    f("replace", &[Str, Str, Str], |a| {
        let (find, repl, s) = (string_of(&a[0]), string_of(&a[1]), string_of(&a[2]));
        ok_str(go_replace_all(&s, &find, &repl))
    }),
    f("sha256", &[Str], |a| {
        ok_str(hex_encode(&sha2::Sha256::digest(
            string_of(&a[0]).as_bytes(),
        )))
    }),
    f("base64", &[Str], |a| {
        use base64::Engine;
        ok_str(base64::engine::general_purpose::STANDARD.encode(string_of(&a[0]).as_bytes()))
    }),
    f("decode_base64", &[Str], |a| {
        let data = decode_base64_go(string_of(&a[0]).as_bytes())?;
        ok_str(String::from_utf8_lossy(&data).into_owned())
    }),
    f("hex", &[Str], |a| {
        ok_str(hex_encode(string_of(&a[0]).as_bytes()))
    }),
    f("decode_hex", &[Str], |a| {
        let data = decode_hex_go(string_of(&a[0]).as_bytes())?;
        ok_str(String::from_utf8_lossy(&data).into_owned())
    }),
    f("unix_time", &[], |_| {
        ok_str(chrono::Utc::now().timestamp().to_string())
    }),
    f("unix_time_millis", &[], |_| {
        ok_str(chrono::Utc::now().timestamp_millis().to_string())
    }),
    f("timestamp", &[Str], |a| {
        ok_str(go_time_format(&string_of(&a[0])))
    }),
    f("uuid", &[], |_| {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut b);
        let h = hex_encode(&b);
        ok_str(format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        ))
    }),
    f("glob", &[Str, Str], |a| {
        let (p, v) = (string_of(&a[0]), string_of(&a[1]));
        Ok(Value::of(Go::Bool(crate::auth::jwt::claims::glob_match(
            &p, &v,
        ))))
    }),
];

pub fn builtin(name: &str) -> Option<&'static Func> {
    BUILTINS.iter().find(|f| f.name == name)
}

/// OpenBao's helpers, then Go's builtins (as `template.Funcs` layers them).
pub fn openbao(name: &str) -> Option<&'static Func> {
    OPENBAO
        .iter()
        .find(|f| f.name == name)
        .or_else(|| builtin(name))
}

fn unreachable_special(_: &[Value]) -> Result<Value, String> {
    Err("unreachable".into())
}

fn ok_str(s: String) -> Result<Value, String> {
    Ok(Value::string(&s))
}

fn string_of(v: &Value) -> Rc<str> {
    match &v.v {
        Some(Go::Str(s)) => Rc::clone(s),
        _ => Rc::from(""),
    }
}

fn int_of(v: &Value) -> i64 {
    match v.v {
        Some(Go::Int(i)) => i,
        _ => 0,
    }
}

fn truth(v: &Value) -> bool {
    super::exec::is_true(&v.concrete()).0
}

/// `evalArgs`: one string as is, else `fmt.Sprint` with nil shown as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [a] = args {
        if let Some(Go::Str(s)) = &a.v {
            return s.to_string();
        }
    }
    let shown: Vec<Value> = args
        .iter()
        .map(|a| match &a.v {
            None => Value::string("<no value>"),
            Some(_) => a.concrete(),
        })
        .collect();
    gofmt::sprint(&shown)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if gofmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `call`: there are no function values in template data, so every call fails as Go's does.
pub fn call(callee: &str, argv: &[Value]) -> Result<Value, String> {
    let fnv = argv
        .first()
        .map(Value::concrete)
        .unwrap_or_else(Value::invalid);
    match &fnv.v {
        None => Err("call of nil".into()),
        Some(g) => Err(format!("non-function {callee} of type {}", g.type_name())),
    }
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x: i64 = match &index.v {
        Some(Go::Int(i)) => *i,
        Some(Go::Uint8(u)) => *u as i64,
        None => return Err("cannot index slice/array with nil".into()),
        Some(g) => {
            return Err(format!(
                "cannot index slice/array with type {}",
                g.type_name()
            ))
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(a: &[Value]) -> Result<Value, String> {
    let mut item = a[0].concrete();
    if !item.is_valid() {
        return Err("index of untyped nil".into());
    }
    for idx in &a[1..] {
        let idx = idx.concrete();
        if item.is_nil_iface() {
            return Err("index of nil pointer".into());
        }
        item = match &item.v {
            Some(Go::Slice(items)) => {
                let x = index_arg(&idx, items.len())?;
                match items.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Some(Go::Str(s)) => {
                let x = index_arg(&idx, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Value::of(Go::Uint8(*b)),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Some(Go::Map(m)) => {
                let key = match &idx.v {
                    Some(Go::Str(k)) => k.to_string(),
                    None => return Err("value is nil; should be of type string".into()),
                    Some(g) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            g.type_name()
                        ))
                    }
                };
                m.get(&key).cloned().unwrap_or(Value {
                    v: None,
                    iface: true,
                })
            }
            Some(g) => return Err(format!("can't index item of type {}", g.type_name())),
            None => return Err("index of nil pointer".into()),
        };
    }
    Ok(item)
}

fn slice(a: &[Value]) -> Result<Value, String> {
    let item = a[0].concrete();
    let Some(g) = &item.v else {
        return Err("slice of untyped nil".into());
    };
    let indexes = &a[1..];
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match g {
        Go::Str(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Go::Slice(items) => items.len(),
        g => return Err(format!("can't slice item of type {}", g.type_name())),
    };
    let mut idx = [0usize, len, len];
    for (i, index) in indexes.iter().enumerate() {
        // Unlike index, slice does not look inside an interface.
        if index.iface {
            return Err("cannot index slice/array with type interface {}".into());
        }
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match g {
        Go::Str(s) => match s.as_bytes().get(idx[0]..idx[1]) {
            Some(b) => Value::string(&String::from_utf8_lossy(b)),
            None => Value::string(""),
        },
        Go::Slice(items) => Value::of(Go::Slice(Rc::new(items[idx[0]..idx[1]].to_vec()))),
        _ => Value::invalid(),
    })
}

fn length(a: &[Value]) -> Result<Value, String> {
    let item = &a[0];
    if item.is_nil_iface() {
        return Err("len of nil pointer".into());
    }
    let n = match &item.v {
        None => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Some(Go::Str(s)) => s.len(),
        Some(Go::Slice(s)) => s.len(),
        Some(Go::Map(m)) => m.len(),
        Some(g) => return Err(format!("len of type {}", g.type_name())),
    };
    Ok(Value::of(Go::Int(n as i64)))
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Value) -> Kind {
    match &v.v {
        Some(Go::Bool(_)) => Kind::Bool,
        Some(Go::Int(_)) => Kind::Int,
        Some(Go::Uint8(_)) => Kind::Uint,
        Some(Go::Float(_)) => Kind::Float,
        Some(Go::Complex(..)) => Kind::Complex,
        Some(Go::Str(_)) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn as_int(v: &Value) -> i64 {
    match v.v {
        Some(Go::Int(i)) => i,
        _ => 0,
    }
}

fn as_uint(v: &Value) -> u64 {
    match v.v {
        Some(Go::Uint8(u)) => u as u64,
        _ => 0,
    }
}

fn as_float(v: &Value) -> f64 {
    match v.v {
        Some(Go::Float(f)) => f,
        _ => 0.0,
    }
}

fn as_str(v: &Value) -> &str {
    match &v.v {
        Some(Go::Str(s)) => s,
        _ => "",
    }
}

/// The `reflect.Kind` of the values `basicKind` does not know.
fn reflect_kind(v: &Value) -> u8 {
    match &v.v {
        None => 0,
        Some(Go::Slice(_)) => 1,
        Some(Go::Map(_)) => 2,
        Some(_) => 3,
    }
}

const BAD_TYPE: &str = "invalid type for comparison";

fn incompatible(a: &Value, b: &Value) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    )
}

fn eq(arg1: &Value, arg2: &[Value]) -> Result<bool, String> {
    let arg1 = arg1.concrete();
    if arg2.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&arg1);
    for arg in arg2 {
        let arg = arg.concrete();
        let k2 = basic_kind(&arg);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => {
                    as_int(&arg1) >= 0 && as_int(&arg1) as u64 == as_uint(&arg)
                }
                (Kind::Uint, Kind::Int) => {
                    as_int(&arg) >= 0 && as_uint(&arg1) == as_int(&arg) as u64
                }
                _ => {
                    if arg1.is_valid() && arg.is_valid() {
                        return Err(incompatible(&arg1, &arg));
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => {
                    matches!((&arg1.v, &arg.v), (Some(Go::Bool(a)), Some(Go::Bool(b))) if a == b)
                }
                Kind::Complex => {
                    matches!((&arg1.v, &arg.v), (Some(Go::Complex(a, b)), Some(Go::Complex(c, d))) if a == c && b == d)
                }
                Kind::Float => as_float(&arg1) == as_float(&arg),
                Kind::Int => as_int(&arg1) == as_int(&arg),
                Kind::String => as_str(&arg1) == as_str(&arg),
                Kind::Uint => as_uint(&arg1) == as_uint(&arg),
                Kind::Invalid => {
                    let same_kind = reflect_kind(&arg1) == reflect_kind(&arg);
                    let can_compare = same_kind || !arg1.is_valid() || !arg.is_valid();
                    if !can_compare {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            gofmt::s(&arg1),
                            arg1.type_name(),
                            arg.type_name(),
                            gofmt::v(&arg)
                        ));
                    }
                    if !arg1.is_valid() || !arg.is_valid() {
                        arg1.is_valid() == arg.is_valid()
                    } else {
                        return Err(format!(
                            "non-comparable type {}: {}",
                            gofmt::s(&arg),
                            arg.type_name()
                        ));
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let arg1 = arg1.concrete();
    let k1 = basic_kind(&arg1);
    if k1 == Kind::Invalid {
        return Err(BAD_TYPE.into());
    }
    let arg2 = arg2.concrete();
    let k2 = basic_kind(&arg2);
    if k2 == Kind::Invalid {
        return Err(BAD_TYPE.into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => {
                Ok(as_int(&arg1) < 0 || (as_int(&arg1) as u64) < as_uint(&arg2))
            }
            (Kind::Uint, Kind::Int) => {
                Ok(as_int(&arg2) >= 0 && as_uint(&arg1) < as_int(&arg2) as u64)
            }
            _ => Err(incompatible(&arg1, &arg2)),
        };
    }
    match k1 {
        Kind::Bool | Kind::Complex | Kind::Invalid => Err(BAD_TYPE.into()),
        Kind::Float => Ok(as_float(&arg1) < as_float(&arg2)),
        Kind::Int => Ok(as_int(&arg1) < as_int(&arg2)),
        Kind::String => Ok(as_str(&arg1) < as_str(&arg2)),
        Kind::Uint => Ok(as_uint(&arg1) < as_uint(&arg2)),
    }
}

fn le(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let less = lt(arg1, arg2)?;
    if less {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `s[:n]` on bytes (a cut inside a character is shown as U+FFFD).
fn byte_prefix(s: &str, n: usize) -> String {
    let b = s.as_bytes();
    String::from_utf8_lossy(&b[..n.min(b.len())]).into_owned()
}

/// `strings.ToUpper` / `ToLower`: rune by rune, a rune without a one-rune mapping kept.
fn map_runes(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut m: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if m.len() == 1 {
                m.pop().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// `strings.ReplaceAll`; an empty `old` inserts `new` before every rune and at the end.
fn go_replace_all(s: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::new();
        for c in s.chars() {
            out.push_str(new);
            out.push(c);
        }
        out.push_str(new);
        return out;
    }
    s.replace(old, new)
}

fn random_base62(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..n.min(1 << 20))
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// `base64.StdEncoding.DecodeString`, with Go's error offsets (`\r` and `\n` skipped).
pub fn decode_base64_go(src: &[u8]) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u8> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    }
    let corrupt = |n: usize| format!("illegal base64 data at input byte {n}");
    let mut out = Vec::new();
    let mut si = 0usize;
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0usize;
        let mut end = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(corrupt(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = val(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(corrupt(si - 1));
            }
            match j {
                0 | 1 => return Err(corrupt(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(corrupt(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(corrupt(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(corrupt(si));
            }
            dlen = j;
            end = true;
            break;
        }
        let v = (dbuf[0] as u32) << 18
            | (dbuf[1] as u32) << 12
            | (dbuf[2] as u32) << 6
            | dbuf[3] as u32;
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        match dlen {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.extend_from_slice(&bytes[..1]),
            _ => {}
        }
        if end {
            return Ok(out);
        }
    }
}

/// `hex.DecodeString` with Go's errors.
pub fn decode_hex_go(src: &[u8]) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let bad = |c: u8| format!("encoding/hex: invalid byte: {}", gofmt::sharp_u(c as char));
    let mut out = Vec::new();
    let mut j = 1;
    while j < src.len() {
        let (p, q) = (src[j - 1], src[j]);
        let a = val(p).ok_or_else(|| bad(p))?;
        let b = val(q).ok_or_else(|| bad(q))?;
        out.push(a << 4 | b);
        j += 2;
    }
    if src.len() % 2 == 1 {
        let last = src[j - 1];
        if val(last).is_none() {
            return Err(bad(last));
        }
        return Err("encoding/hex: odd length hex string".into());
    }
    Ok(out)
}

/// Go's `time.Now().Format(layout)` in UTC, for the layout elements in common use.
fn go_time_format(layout: &str) -> String {
    use chrono::{Datelike, Timelike};
    let now = chrono::Utc::now();
    let mut out = String::new();
    let mut rest = layout;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let month = MONTHS[now.month0() as usize];
    let day = DAYS[now.weekday().num_days_from_sunday() as usize];
    let h12 = match now.hour() % 12 {
        0 => 12,
        h => h,
    };
    while !rest.is_empty() {
        let table: &[(&str, String)] = &[
            ("January", month.to_string()),
            ("Jan", month[..3].to_string()),
            ("Monday", day.to_string()),
            ("Mon", day[..3].to_string()),
            ("MST", "UTC".into()),
            ("2006", format!("{:04}", now.year())),
            ("Z07:00", "Z".into()),
            ("Z0700", "Z".into()),
            ("-07:00", "+00:00".into()),
            ("-0700", "+0000".into()),
            ("-07", "+00".into()),
            ("01", format!("{:02}", now.month())),
            ("02", format!("{:02}", now.day())),
            ("_2", format!("{:>2}", now.day())),
            ("002", format!("{:03}", now.ordinal())),
            ("03", format!("{h12:02}")),
            ("04", format!("{:02}", now.minute())),
            ("05", format!("{:02}", now.second())),
            ("06", format!("{:02}", now.year() % 100)),
            ("15", format!("{:02}", now.hour())),
            ("PM", if now.hour() >= 12 { "PM" } else { "AM" }.into()),
            ("pm", if now.hour() >= 12 { "pm" } else { "am" }.into()),
            (
                ".000000000",
                format!(".{:09}", now.nanosecond() % 1_000_000_000),
            ),
            (
                ".000000",
                format!(".{:06}", now.nanosecond() / 1000 % 1_000_000),
            ),
            (
                ".000",
                format!(".{:03}", now.nanosecond() / 1_000_000 % 1000),
            ),
            ("1", now.month().to_string()),
            ("2", now.day().to_string()),
            ("3", h12.to_string()),
            ("4", now.minute().to_string()),
            ("5", now.second().to_string()),
        ];
        match table.iter().find(|(k, _)| rest.starts_with(k)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &rest[k.len()..];
            }
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_base64_errors() {
        assert_eq!(decode_base64_go(b"YQ==").unwrap(), b"a");
        assert_eq!(decode_base64_go(b"YWJj").unwrap(), b"abc");
        assert_eq!(
            decode_base64_go(b"YQ=").unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            decode_base64_go(b"Y!==").unwrap_err(),
            "illegal base64 data at input byte 1"
        );
        assert_eq!(
            decode_base64_go(b"YQ").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
    }

    #[test]
    fn go_hex_errors() {
        assert_eq!(decode_hex_go(b"6869").unwrap(), b"hi");
        assert_eq!(
            decode_hex_go(b"6g").unwrap_err(),
            "encoding/hex: invalid byte: U+0067 'g'"
        );
        assert_eq!(
            decode_hex_go(b"686").unwrap_err(),
            "encoding/hex: odd length hex string"
        );
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
        );
        assert_eq!(
            js_escape("a'b\"<=>\n"),
            "a\\'b\\\"\\u003C\\u003D\\u003E\\u000A"
        );
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}
