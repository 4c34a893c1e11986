//! The part of Go's `fmt` and `strconv` that templates reach: `Sprint`, `Sprintln`, `Sprintf`
//! (flags `#0+- `, width, precision, `*`, `[n]` indexes; verbs `v s q x X d b o O c U e E f F
//! g G t T %`, and the `%!v(...)` error forms), `%v` of every [`Go`] value, and `strconv.Quote`.
//! Not done: `%x`/`%b` of floats (printed as `%g`), `%#g`.

use super::value::{Go, Value};

/// `unicode.IsPrint`, approximated: graphic characters and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xFFFE | 0xFFFF
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

fn quote_with(s: &str, quote: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for r in s.chars() {
        escape_rune(&mut out, r, quote, ascii_only);
    }
    out.push(quote);
    out
}

fn escape_rune(out: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        out.push('\\');
        out.push(r);
        return;
    }
    if ascii_only {
        if r.is_ascii() && is_print(r) {
            out.push(r);
            return;
        }
    } else if is_print(r) {
        out.push(r);
        return;
    }
    match r {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        r if (r as u32) < 0x20 || r as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", r as u32));
        }
        r if (r as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", r as u32)),
        r => out.push_str(&format!("\\U{:08x}", r as u32)),
    }
}

/// `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// `%.Nq`: the first `n` runes, quoted.
pub fn go_quote_prec(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    go_quote(&t)
}

/// `strconv.QuoteRune`.
pub fn quote_rune(r: char, ascii_only: bool) -> String {
    quote_with(&r.to_string(), '\'', ascii_only)
}

/// `%#U`: `U+0041 'A'` (the quoted rune only when printable).
pub fn sharp_u(r: char) -> String {
    if is_print(r) {
        format!("U+{:04X} '{}'", r as u32, r)
    } else {
        format!("U+{:04X}", r as u32)
    }
}

/// `strconv.FormatFloat(f, verb, prec, 64)` for the verbs e E f F g G (prec -1: shortest).
pub fn format_float(f: f64, verb: char, prec: i64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let neg = f.is_sign_negative();
    let a = f.abs();
    let body = match verb {
        'x' | 'X' => hex_float(a, prec, verb == 'X'),
        'b' => binary_float(a),
        'e' | 'E' => {
            let (digits, dp) = digits_of(
                a,
                if prec < 0 {
                    None
                } else {
                    Some(prec as usize + 1)
                },
            );
            let p = if prec < 0 {
                digits.len().saturating_sub(1)
            } else {
                prec as usize
            };
            fmt_e(&digits, dp, p, verb)
        }
        'f' | 'F' => {
            if prec < 0 {
                let (digits, dp) = digits_of(a, None);
                let p = (digits.len() as i64 - dp as i64).max(0) as usize;
                format!("{a:.p$}")
            } else {
                let p = prec as usize;
                format!("{a:.p$}")
            }
        }
        _ => {
            // 'g' / 'G'
            let shortest = prec < 0;
            let (digits, dp) = if shortest {
                digits_of(a, None)
            } else {
                digits_of(a, Some(prec.max(1) as usize))
            };
            let nd = digits.len() as i64;
            let mut p = if shortest { nd } else { prec.max(1) };
            let mut eprec = p;
            if eprec > nd && nd >= dp as i64 {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp as i64 - 1;
            let e = if verb == 'G' { 'E' } else { 'e' };
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                fmt_e(&digits, dp, (p - 1).max(0) as usize, e)
            } else {
                if p > dp as i64 {
                    p = nd;
                }
                fmt_f(&digits, dp, (p - dp as i64).max(0) as usize)
            }
        }
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

/// The mantissa (53 bits, top bit set unless zero) and binary exponent of `a` ≥ 0, as
/// `a = mant × 2^(exp-52)`.
fn mant_exp(a: f64) -> (u64, i64) {
    let bits = a.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if e == 0 {
        (frac, -1022)
    } else {
        (frac | (1u64 << 52), e - 1023)
    }
}

/// strconv's `%b`: decimal mantissa, binary exponent.
fn binary_float(a: f64) -> String {
    let (mant, exp) = mant_exp(a);
    let e = exp - 52;
    format!("{mant}p{}{}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// strconv's `%x`: `0x1.hhhhp+dd`, shortest or with `prec` hex digits.
fn hex_float(a: f64, prec: i64, upper: bool) -> String {
    let (mut mant, mut exp) = mant_exp(a);
    if mant == 0 {
        exp = 0;
    } else {
        // Normalize subnormals so that bit 52 is the leading one.
        while mant & (1u64 << 52) == 0 {
            mant <<= 1;
            exp -= 1;
        }
    }
    // Shift so the fraction is 60 bits (15 hex digits after the point, the last 2 zero).
    let mut m = mant << 8; // leading 1 at bit 60
    if (0..15).contains(&prec) && mant != 0 {
        let shift = 60 - 4 * prec as u32;
        let half = 1u64 << (shift - 1);
        let rem = m & ((1u64 << shift) - 1);
        m >>= shift;
        if rem > half || (rem == half && m & 1 == 1) {
            m += 1;
        }
        m <<= shift;
        if m >> 61 != 0 {
            m >>= 1;
            exp += 1;
        }
    }
    let lead = if mant == 0 { 0 } else { m >> 60 };
    let frac = m & ((1u64 << 60) - 1);
    let mut digits = format!("{frac:015x}");
    if prec < 0 {
        digits = digits.trim_end_matches('0').to_string();
    } else {
        let p = prec as usize;
        if p <= 15 {
            digits.truncate(p);
        } else {
            digits.push_str(&"0".repeat(p - 15));
        }
    }
    let mut out = format!("0x{lead}");
    if !digits.is_empty() {
        out.push('.');
        out.push_str(&digits);
    }
    out.push('p');
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    if upper {
        out = out.to_uppercase();
    }
    out
}

/// Decimal digits (no trailing zeros) and decimal-point position of `a` ≥ 0, shortest or
/// rounded to `sig` significant digits.
fn digits_of(a: f64, sig: Option<usize>) -> (String, i32) {
    if a == 0.0 {
        return (String::new(), 0);
    }
    let s = match sig {
        None => format!("{a:e}"),
        Some(n) => format!("{:.*e}", n.saturating_sub(1), a),
    };
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = e.parse().unwrap_or(0);
    let digits: String = m.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    (digits, exp + 1)
}

fn fmt_e(digits: &str, dp: i32, prec: usize, e: char) -> String {
    let d: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    out.push(d.first().copied().unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.get(i).copied().unwrap_or('0'));
        }
    }
    let exp = if d.is_empty() { 0 } else { dp - 1 };
    out.push(e);
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(digits: &str, dp: i32, prec: usize) -> String {
    let d: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(d.get(i).copied().unwrap_or('0'));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            let j = dp as i64 + i as i64;
            let c = if j < 0 {
                '0'
            } else {
                d.get(j as usize).copied().unwrap_or('0')
            };
            out.push(c);
        }
    }
    out
}

/// Go's `%v` of a float64.
pub fn float_v(f: f64) -> String {
    format_float(f, 'g', -1)
}

fn complex_v(re: f64, im: f64, verb: char, prec: i64) -> String {
    let mut i = format_float(im, verb, prec);
    if !i.starts_with('-') && !i.starts_with('+') {
        i.insert(0, '+');
    }
    format!("({}{}i)", format_float(re, verb, prec), i)
}

#[derive(Default, Clone, Copy)]
struct Flags {
    sharp: bool,
    zero: bool,
    plus: bool,
    minus: bool,
    space: bool,
    sharp_v: bool,
    plus_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

struct Printer {
    buf: String,
    f: Flags,
}

/// The argument of a print function: an `interface{}` holding a value, or nil.
fn arg_of(v: &Value) -> Option<&Go> {
    v.v.as_ref()
}

impl Printer {
    fn new() -> Printer {
        Printer {
            buf: String::new(),
            f: Flags::default(),
        }
    }

    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero { '0' } else { ' ' };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        let Some(wid) = self.f.wid else {
            self.buf.push_str(s);
            return;
        };
        let n = s.chars().count();
        let width = wid.saturating_sub(n);
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            let z = self.f.zero;
            self.f.zero = false;
            self.write_padding(width);
            self.f.zero = z;
        }
    }

    fn pad_string(&mut self, s: &str) {
        self.pad(s);
    }

    fn truncate<'a>(&self, s: &'a str) -> &'a str {
        if let Some(p) = self.f.prec {
            if let Some((i, _)) = s.char_indices().nth(p) {
                return &s[..i];
            }
        }
        s
    }

    fn bad_verb(&mut self, verb: char, arg: Option<&Go>, elem: bool) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match arg {
            Some(g) => {
                self.buf.push_str(g.type_name());
                self.buf.push('=');
                if elem {
                    self.print_value(g, 'v', 1);
                } else {
                    self.print_arg(Some(g), 'v');
                }
            }
            None => self.buf.push_str("<nil>"),
        }
        self.buf.push(')');
    }

    fn print_arg(&mut self, arg: Option<&Go>, verb: char) {
        let Some(g) = arg else {
            match verb {
                'T' | 'v' => self.pad_string("<nil>"),
                _ => self.bad_verb(verb, None, false),
            }
            return;
        };
        if verb == 'T' {
            let t = self.truncate(g.type_name()).to_string();
            self.pad(&t);
            return;
        }
        self.print_value(g, verb, 0);
    }

    fn print_value(&mut self, g: &Go, verb: char, depth: usize) {
        let elem = depth > 0;
        match g {
            Go::Bool(b) => match verb {
                't' | 'v' => self.pad_string(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, Some(g), elem),
            },
            Go::Int(i) => self.fmt_integer(*i as u64, true, verb, g, elem),
            Go::Uint8(u) => self.fmt_integer(*u as u64, false, verb, g, elem),
            Go::Float(x) => match verb {
                'v' => self.fmt_float(*x, 'g', -1),
                'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(*x, verb, -1),
                'f' | 'e' | 'E' | 'F' => self.fmt_float(*x, verb, 6),
                _ => self.bad_verb(verb, Some(g), elem),
            },
            Go::Complex(re, im) => match verb {
                'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                    let v = if verb == 'v' { 'g' } else { verb };
                    let prec = self.f.prec.map(|p| p as i64).unwrap_or(match v {
                        'f' | 'F' | 'e' | 'E' => 6,
                        _ => -1,
                    });
                    let s = complex_v(*re, *im, v, prec);
                    self.pad(&s)
                }
                _ => self.bad_verb(verb, Some(g), elem),
            },
            Go::Str(s) => self.fmt_string(s, verb, g, elem),
            Go::Slice(items) => {
                if self.f.sharp_v {
                    self.buf.push_str("[]interface {}{");
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_elem(it, verb, depth + 1);
                    }
                    self.buf.push('}');
                    return;
                }
                self.buf.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.print_elem(it, verb, depth + 1);
                }
                self.buf.push(']');
            }
            Go::Map(m) => {
                if self.f.sharp_v {
                    self.buf.push_str("map[string]interface {}{");
                } else {
                    self.buf.push_str("map[");
                }
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.print_value(&Go::str(k), verb, depth + 1);
                    self.buf.push(':');
                    self.print_elem(v, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
        }
    }

    fn print_elem(&mut self, v: &Value, verb: char, depth: usize) {
        match &v.v {
            None => {
                if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.pad_string("<nil>");
                }
            }
            Some(g) => self.print_value(g, verb, depth),
        }
    }

    fn fmt_integer(&mut self, u: u64, signed: bool, verb: char, g: &Go, elem: bool) {
        match verb {
            'v' | 'd' => self.fmt_int_base(u, 10, signed, verb, false),
            'b' => self.fmt_int_base(u, 2, signed, verb, false),
            'o' | 'O' => self.fmt_int_base(u, 8, signed, verb, false),
            'x' => self.fmt_int_base(u, 16, signed, verb, false),
            'X' => self.fmt_int_base(u, 16, signed, verb, true),
            'c' => {
                let r = char::from_u32(u as u32)
                    .filter(|_| u <= 0x10FFFF)
                    .unwrap_or('\u{FFFD}');
                let s = self.truncate(&r.to_string()).to_string();
                self.pad(&s);
            }
            'q' => {
                let r = char::from_u32(u as u32)
                    .filter(|_| u <= 0x10FFFF)
                    .unwrap_or('\u{FFFD}');
                let s = quote_rune(r, self.f.plus);
                self.pad(&s);
            }
            'U' => {
                let mut s = format!("U+{:04X}", u);
                if let Some(p) = self.f.prec {
                    let hex = format!("{:X}", u);
                    if p > hex.len() {
                        s = format!("U+{}{}", "0".repeat(p - hex.len()), hex);
                    }
                }
                if self.f.sharp {
                    if let Some(r) = char::from_u32(u as u32) {
                        if u <= 0x10FFFF && is_print(r) {
                            s.push_str(&format!(" '{r}'"));
                        }
                    }
                }
                let z = self.f.zero;
                self.f.zero = false;
                self.pad(&s);
                self.f.zero = z;
            }
            _ => self.bad_verb(verb, Some(g), elem),
        }
    }

    fn fmt_int_base(&mut self, u: u64, base: u32, signed: bool, verb: char, upper: bool) {
        let negative = signed && (u as i64) < 0;
        let mag = if negative {
            (u as i64).unsigned_abs()
        } else {
            u
        };
        let mut prec = 0usize;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && mag == 0 {
                let z = self.f.zero;
                self.f.zero = false;
                let w = self.f.wid.unwrap_or(0);
                self.write_padding(w);
                self.f.zero = z;
                return;
            }
        } else if self.f.zero && !self.f.minus {
            if let Some(w) = self.f.wid {
                prec = w;
                if negative || self.f.plus || self.f.space {
                    prec = prec.saturating_sub(1);
                }
            }
        }
        let mut digits = match base {
            2 => format!("{mag:b}"),
            8 => format!("{mag:o}"),
            16 if upper => format!("{mag:X}"),
            16 => format!("{mag:x}"),
            _ => mag.to_string(),
        };
        if digits.len() < prec {
            digits = format!("{}{}", "0".repeat(prec - digits.len()), digits);
        }
        if self.f.sharp {
            match base {
                2 => digits.insert_str(0, "0b"),
                8 if !digits.starts_with('0') => digits.insert(0, '0'),
                16 => digits.insert_str(0, if upper { "0X" } else { "0x" }),
                _ => {}
            }
        }
        if verb == 'O' {
            digits.insert_str(0, "0o");
        }
        if negative {
            digits.insert(0, '-');
        } else if self.f.plus {
            digits.insert(0, '+');
        } else if self.f.space {
            digits.insert(0, ' ');
        }
        let z = self.f.zero;
        self.f.zero = false;
        self.pad(&digits);
        self.f.zero = z;
    }

    fn fmt_float(&mut self, v: f64, verb: char, prec: i64) {
        let prec = self.f.prec.map(|p| p as i64).unwrap_or(prec);
        let mut num = format_float(v, verb, prec);
        if !num.starts_with('-') && !num.starts_with('+') {
            num.insert(0, '+');
        }
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        let second = num.chars().nth(1).unwrap_or('0');
        if second == 'I' || second == 'N' {
            let z = self.f.zero;
            self.f.zero = false;
            if second == 'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = z;
            return;
        }
        if self.f.plus || !num.starts_with('+') {
            if let Some(w) = self.f.wid {
                if self.f.zero && !self.f.minus && w > num.len() {
                    let (sign, rest) = num.split_at(1);
                    self.buf.push_str(sign);
                    self.write_padding(w - num.len());
                    self.buf.push_str(rest);
                    return;
                }
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    fn fmt_string(&mut self, s: &str, verb: char, g: &Go, elem: bool) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s),
            'v' | 's' => {
                let t = self.truncate(s).to_string();
                self.pad(&t);
            }
            'x' | 'X' => {
                let bytes = s.as_bytes();
                let n = self
                    .f
                    .prec
                    .map(|p| p.min(bytes.len()))
                    .unwrap_or(bytes.len());
                let mut out = String::new();
                for (i, b) in bytes[..n].iter().enumerate() {
                    if self.f.space && i > 0 {
                        out.push(' ');
                    }
                    if self.f.sharp && (self.f.space || i == 0) {
                        out.push_str(if verb == 'X' { "0X" } else { "0x" });
                    }
                    if verb == 'X' {
                        out.push_str(&format!("{b:02X}"));
                    } else {
                        out.push_str(&format!("{b:02x}"));
                    }
                }
                self.pad(&out);
            }
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, Some(g), elem),
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        if self.f.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
            self.pad(&format!("`{s}`"));
            return;
        }
        let q = quote_with(&s, '"', self.f.plus);
        self.pad(&q);
    }
}

fn is_string(v: &Value) -> bool {
    matches!(v.v, Some(Go::Str(_)))
}

/// `fmt.Sprint`: spaces between operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !is_string(a) && !is_string(&args[i - 1]) {
            p.buf.push(' ');
        }
        p.print_arg(arg_of(a), 'v');
    }
    p.buf
}

/// `fmt.Sprintln`: spaces always, and a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg_of(a), 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `%v` of one value (`<nil>` for nil).
pub fn v(a: &Value) -> String {
    sprint(std::slice::from_ref(a))
}

/// Go's `%s` of one value.
pub fn s(a: &Value) -> String {
    sprintf("%s", std::slice::from_ref(a))
}

const TOO_LARGE: usize = 1_000_000;

fn parsenum(s: &[u8], start: usize, end: usize) -> (Option<usize>, usize) {
    if start >= end {
        return (None, end);
    }
    let mut num = 0usize;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if num > TOO_LARGE {
            return (None, end);
        }
        num = num * 10 + (s[i] - b'0') as usize;
        isnum = true;
        i += 1;
    }
    (if isnum { Some(num) } else { None }, i)
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, a: &[Value]) -> String {
    let mut p = Printer::new();
    let s = format.as_bytes();
    let end = s.len();
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut i = 0usize;
    'format: while i < end {
        let mut good_arg_num = true;
        let lasti = i;
        while i < end && s[i] != b'%' {
            i += 1;
        }
        if i > lasti {
            p.buf.push_str(&format[lasti..i]);
        }
        if i >= end {
            break;
        }
        i += 1;
        p.f = Flags::default();
        while i < end {
            match s[i] {
                b'#' => p.f.sharp = true,
                b'0' => p.f.zero = !p.f.minus,
                b'+' => p.f.plus = true,
                b'-' => {
                    p.f.minus = true;
                    p.f.zero = false;
                }
                b' ' => p.f.space = true,
                c => {
                    if c.is_ascii_lowercase() && arg_num < a.len() {
                        if c == b'v' {
                            p.f.sharp_v = p.f.sharp;
                            p.f.sharp = false;
                            p.f.plus_v = p.f.plus;
                            p.f.plus = false;
                        }
                        p.print_arg(arg_of(&a[arg_num]), c as char);
                        arg_num += 1;
                        i += 1;
                        continue 'format;
                    }
                    break;
                }
            }
            i += 1;
        }
        let mut after_index;
        (arg_num, i, after_index) =
            arg_number(&mut reordered, &mut good_arg_num, arg_num, s, i, a.len());
        if i < end && s[i] == b'*' {
            i += 1;
            let (w, ok, n) = int_from_arg(a, arg_num);
            arg_num = n;
            if !ok {
                p.buf.push_str("%!(BADWIDTH)");
                p.f.wid = None;
            } else if w < 0 {
                p.f.wid = Some(w.unsigned_abs() as usize);
                p.f.minus = true;
                p.f.zero = false;
            } else {
                p.f.wid = Some(w as usize);
            }
            after_index = false;
        } else {
            let (w, ni) = parsenum(s, i, end);
            p.f.wid = w;
            i = ni;
            if after_index && w.is_some() {
                good_arg_num = false;
            }
        }
        if i + 1 < end && s[i] == b'.' {
            i += 1;
            if after_index {
                good_arg_num = false;
            }
            (arg_num, i, after_index) =
                arg_number(&mut reordered, &mut good_arg_num, arg_num, s, i, a.len());
            if i < end && s[i] == b'*' {
                i += 1;
                let (pr, ok, n) = int_from_arg(a, arg_num);
                arg_num = n;
                if pr < 0 || !ok {
                    p.f.prec = None;
                } else {
                    p.f.prec = Some(pr as usize);
                }
                if !ok {
                    p.buf.push_str("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (pr, ni) = parsenum(s, i, end);
                i = ni;
                p.f.prec = Some(pr.unwrap_or(0));
            }
        }
        if !after_index {
            (arg_num, i, _) = arg_number(&mut reordered, &mut good_arg_num, arg_num, s, i, a.len());
        }
        if i >= end {
            p.buf.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('?');
        i += verb.len_utf8();
        match verb {
            '%' => p.buf.push('%'),
            _ if !good_arg_num => {
                p.buf.push_str("%!");
                p.buf.push(verb);
                p.buf.push_str("(BADINDEX)");
            }
            _ if arg_num >= a.len() => {
                p.buf.push_str("%!");
                p.buf.push(verb);
                p.buf.push_str("(MISSING)");
            }
            _ => {
                if verb == 'v' {
                    p.f.sharp_v = p.f.sharp;
                    p.f.sharp = false;
                    p.f.plus_v = p.f.plus;
                    p.f.plus = false;
                }
                p.print_arg(arg_of(&a[arg_num]), verb);
                arg_num += 1;
            }
        }
    }
    if !reordered && arg_num < a.len() {
        p.f = Flags::default();
        p.buf.push_str("%!(EXTRA ");
        for (k, arg) in a[arg_num..].iter().enumerate() {
            if k > 0 {
                p.buf.push_str(", ");
            }
            match arg_of(arg) {
                None => p.buf.push_str("<nil>"),
                Some(g) => {
                    p.buf.push_str(g.type_name());
                    p.buf.push('=');
                    p.print_arg(Some(g), 'v');
                }
            }
        }
        p.buf.push(')');
    }
    p.buf
}

fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    if arg_num < a.len() {
        let (n, ok) = match &a[arg_num].v {
            Some(Go::Int(i)) => (*i, true),
            Some(Go::Uint8(u)) => (*u as i64, true),
            _ => (0, false),
        };
        let too_large = !(-(TOO_LARGE as i64)..=TOO_LARGE as i64).contains(&n);
        if too_large {
            return (0, false, arg_num + 1);
        }
        return (n, ok, arg_num + 1);
    }
    (0, false, arg_num)
}

fn arg_number(
    reordered: &mut bool,
    good: &mut bool,
    arg_num: usize,
    s: &[u8],
    i: usize,
    num_args: usize,
) -> (usize, usize, bool) {
    if s.len() <= i || s[i] != b'[' {
        return (arg_num, i, false);
    }
    *reordered = true;
    let (index, wid, ok) = parse_arg_number(&s[i..]);
    if ok && index >= 0 && (index as usize) < num_args {
        return (index as usize, i + wid, true);
    }
    *good = false;
    (arg_num, i + wid, ok)
}

fn parse_arg_number(s: &[u8]) -> (i64, usize, bool) {
    if s.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (w, newi) = parsenum(s, 1, i);
            match w {
                Some(w) if newi == i => return (w as i64 - 1, i + 1, true),
                _ => return (0, i + 1, false),
            }
        }
    }
    (0, 1, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64) -> Value {
        Value::of(Go::Float(x))
    }
    fn i(x: i64) -> Value {
        Value::of(Go::Int(x))
    }
    fn st(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn floats_like_strconv() {
        assert_eq!(float_v(3.0), "3");
        assert_eq!(float_v(1.5), "1.5");
        assert_eq!(float_v(1e6), "1e+06");
        assert_eq!(float_v(123456789.0), "1.23456789e+08");
        assert_eq!(float_v(100000.0), "100000");
        assert_eq!(float_v(0.0001), "0.0001");
        assert_eq!(float_v(0.00001), "1e-05");
        assert_eq!(float_v(-2.5), "-2.5");
        assert_eq!(format_float(1.0, 'g', 3), "1");
        assert_eq!(format_float(1234.5678, 'g', 3), "1.23e+03");
        assert_eq!(format_float(1.23456, 'f', 2), "1.23");
        assert_eq!(format_float(1.23456, 'e', 3), "1.235e+00");
        assert_eq!(format_float(0.0, 'e', -1), "0e+00");
        assert_eq!(format_float(2.5, 'f', 0), "2");
        assert_eq!(format_float(123456789.0, 'x', -1), "0x1.d6f3454p+26");
        assert_eq!(format_float(1.0, 'x', -1), "0x1p+00");
        assert_eq!(format_float(0.0, 'x', -1), "0x0p+00");
        assert_eq!(format_float(-0.5, 'X', -1), "-0X1P-01");
        assert_eq!(format_float(1.0, 'b', -1), "4503599627370496p-52");
    }

    #[test]
    fn printf_verbs() {
        assert_eq!(sprintf("%d-%s", &[i(7), st("x")]), "7-x");
        assert_eq!(
            sprintf("%5d|%-5d|%05d", &[i(42), i(42), i(-42)]),
            "   42|42   |-0042"
        );
        assert_eq!(
            sprintf("%x %X %o %b %#x", &[i(255), i(255), i(8), i(5), i(255)]),
            "ff FF 10 101 0xff"
        );
        assert_eq!(sprintf("%q", &[st("a\"b\n")]), "\"a\\\"b\\n\"");
        assert_eq!(
            sprintf("%.2f %v %g", &[f(1.23456), f(2.0), f(1e21)]),
            "1.23 2 1e+21"
        );
        assert_eq!(
            sprintf("%t %v", &[Value::of(Go::Bool(true)), Value::invalid()]),
            "true <nil>"
        );
        assert_eq!(sprintf("%d", &[st("x")]), "%!d(string=x)");
        assert_eq!(sprintf("%d %d", &[i(1)]), "1 %!d(MISSING)");
        assert_eq!(sprintf("%d", &[i(1), st("a")]), "1%!(EXTRA string=a)");
        assert_eq!(sprintf("%!", &[]), "%!!(MISSING)");
        assert_eq!(sprintf("%", &[]), "%!(NOVERB)");
        assert_eq!(sprintf("100%%", &[]), "100%");
        assert_eq!(sprintf("%[2]s %[1]s", &[st("a"), st("b")]), "b a");
        assert_eq!(sprintf("%*d", &[i(4), i(1)]), "   1");
        assert_eq!(sprintf("%T %T", &[f(1.0), st("")]), "float64 string");
        assert_eq!(sprintf("%x", &[st("hi")]), "6869");
        assert_eq!(
            sprintf("%c %U %#U", &[i(65), i(65), i(65)]),
            "A U+0041 U+0041 'A'"
        );
        assert_eq!(sprintf("%6.2f|%+d", &[f(1.23456), i(3)]), "  1.23|+3");
        assert_eq!(sprintf("%.3s", &[st("abcdef")]), "abc");
        assert_eq!(sprintf("%d", &[f(1.0)]), "%!d(float64=1)");
        assert_eq!(sprintf("%#v", &[st("a")]), "\"a\"");
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(sprint(&[i(1), i(2)]), "1 2");
        assert_eq!(sprint(&[st("a"), i(2), st("b")]), "a2b");
        assert_eq!(sprintln(&[st("a"), st("b")]), "a b\n");
        let j = serde_json::json!({"b": [1, "x", null], "a": {"c": 1.5}});
        assert_eq!(v(&Value::from_json(&j)), "map[a:map[c:1.5] b:[1 x <nil>]]");
    }

    #[test]
    fn quoting() {
        assert_eq!(go_quote("a\u{1}é\u{200b}"), "\"a\\x01é\\u200b\"");
        assert_eq!(sharp_u('+'), "U+002B '+'");
        assert_eq!(go_quote_prec("abcdefghijkl", 10), "\"abcdefghij\"");
    }
}
