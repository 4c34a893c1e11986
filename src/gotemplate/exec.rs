//! Execution as Go's `text/template` (exec.go) does it: the same evaluation order, the same
//! node an error is reported at (`template: NAME:LINE:COL: executing "NAME" at <NODE>: ...`),
//! the same argument checks for functions, and `missingkey`.

use super::fmt as gofmt;
use super::funcs::{self, Func, Ty};
use super::parse::{Arg, Branch, BranchKind, Command, List, Node, Number, Pipe, TreeSet};
use super::value::{Go, Value};
use std::rc::Rc;

/// `Option("missingkey=...")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `default` / `invalid`: a missing key is the invalid value (`<no value>`).
    #[default]
    Invalid,
    /// `zero`: the map's zero value (nil for `interface{}`).
    Zero,
    /// `error`: execution stops.
    Error,
}

/// Where an error is reported.
#[derive(Clone, Copy)]
enum At<'a> {
    Node(&'a Node),
    List(&'a List),
    Arg(&'a Arg),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Node(n) => n.pos(),
            At::List(l) => l.pos,
            At::Arg(a) => a.pos(),
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
        }
    }

    fn text(&self) -> String {
        match self {
            At::Node(n) => n.to_string(),
            At::List(l) => l.to_string(),
            At::Arg(a) => a.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
        }
    }
}

/// Control flow out of a walk: an error, or `{{break}}` / `{{continue}}`.
pub enum Flow {
    Err(String),
    Break,
    Continue,
}

type R<T> = Result<T, Flow>;

/// The deepest `{{template}}` nesting run. Go allows 100000; past this one the error is
/// Go's text all the same (the output is dropped with any error, so only the depth differs).
const MAX_EXEC_DEPTH: usize = 200;

/// The deepest nesting of control actions, parenthesized pipelines and `{{template}}` calls
/// together, so that a recursive template of deeply nested actions cannot exhaust the stack;
/// past it the error is the one Go gives for runaway recursion.
const MAX_NEST: usize = 300;

const DEPTH_ERROR: &str = "exceeded maximum template depth (100000)";

pub struct State<'a> {
    pub parse_name: &'a str,
    pub tmpl_name: String,
    pub text: &'a str,
    pub trees: &'a TreeSet,
    pub funcs: &'a dyn Fn(&str) -> Option<&'static Func>,
    pub missing: MissingKey,
    node: Option<At<'a>>,
    vars: Vec<(String, Value)>,
    depth: usize,
    nest: usize,
    pub out: String,
}

fn truth(v: &Value) -> bool {
    is_true(&v.concrete()).0
}

/// `isTrue`: the truth of a value and whether it has one.
pub fn is_true(v: &Value) -> (bool, bool) {
    if v.iface {
        return (v.v.is_some(), true);
    }
    match &v.v {
        None => (false, true),
        Some(g) => (
            match g {
                Go::Bool(b) => *b,
                Go::Int(i) => *i != 0,
                Go::Uint8(u) => *u != 0,
                Go::Float(f) => *f != 0.0,
                Go::Complex(r, i) => *r != 0.0 || *i != 0.0,
                Go::Str(s) => !s.is_empty(),
                Go::Slice(s) => !s.is_empty(),
                Go::Map(m) => !m.is_empty(),
            },
            true,
        ),
    }
}

/// The value after a command: an interface is unwrapped one level.
fn unwrap_iface(v: Value) -> Value {
    if v.iface {
        v.concrete()
    } else {
        v
    }
}

impl<'a> State<'a> {
    pub fn new(
        parse_name: &'a str,
        text: &'a str,
        trees: &'a TreeSet,
        funcs: &'a dyn Fn(&str) -> Option<&'static Func>,
        missing: MissingKey,
        data: Value,
    ) -> State<'a> {
        State {
            parse_name,
            tmpl_name: parse_name.to_string(),
            text,
            trees,
            funcs,
            missing,
            node: None,
            vars: vec![("$".to_string(), data)],
            depth: 0,
            nest: 0,
            out: String::new(),
        }
    }

    fn at(&mut self, a: At<'a>) {
        self.node = Some(a);
    }

    fn errorf<T>(&self, msg: impl std::fmt::Display) -> R<T> {
        Err(Flow::Err(self.error_text(&msg.to_string())))
    }

    fn error_text(&self, msg: &str) -> String {
        match self.node {
            None => format!("template: {}: {msg}", self.tmpl_name),
            Some(n) => {
                let pos = n.pos().min(self.text.len());
                let before = &self.text[..floor_char(self.text, pos)];
                let (line, col) = match before.rfind('\n') {
                    None => (1, pos),
                    Some(i) => (1 + before.matches('\n').count(), pos - (i + 1)),
                };
                format!(
                    "template: {}:{}:{}: executing {} at <{}>: {msg}",
                    self.parse_name,
                    line,
                    col,
                    gofmt::go_quote(&self.tmpl_name),
                    n.text()
                )
            }
        }
    }

    fn enter_nest(&mut self) -> R<()> {
        if self.nest >= MAX_NEST {
            return self.errorf(DEPTH_ERROR);
        }
        self.nest += 1;
        Ok(())
    }

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, v: Value) -> R<()> {
        for slot in self.vars.iter_mut().rev() {
            if slot.0 == name {
                slot.1 = v;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, v: Value) {
        let len = self.vars.len();
        if n <= len {
            self.vars[len - n].1 = v;
        }
    }

    fn var_value(&self, name: &str) -> R<Value> {
        for slot in self.vars.iter().rev() {
            if slot.0 == name {
                return Ok(slot.1.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    pub fn walk_list(&mut self, dot: &Value, list: &'a List) -> R<()> {
        self.at(At::List(list));
        for n in &list.nodes {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> R<()> {
        self.at(At::Node(node));
        match node {
            Node::Action(_, pipe) => {
                let val = self.eval_pipeline(dot, Some(pipe))?;
                if pipe.decl.is_empty() {
                    self.at(At::Node(node));
                    match &val.v {
                        None => self.out.push_str("<no value>"),
                        Some(_) => self.out.push_str(&gofmt::v(&val)),
                    }
                }
                Ok(())
            }
            Node::Break(_) => Err(Flow::Break),
            Node::Continue(_) => Err(Flow::Continue),
            Node::Comment(..) | Node::End(_) | Node::Else(_) => Ok(()),
            Node::Branch(b) => {
                self.enter_nest()?;
                let r = match b.kind {
                    BranchKind::Range => self.walk_range(dot, node, b),
                    _ => self.walk_if_or_with(dot, b),
                };
                self.nest -= 1;
                r
            }
            Node::Template(_, name, pipe) => self.walk_template(dot, node, name, pipe.as_ref()),
            Node::Text(_, t) => {
                self.out.push_str(t);
                Ok(())
            }
        }
    }

    fn walk_if_or_with(&mut self, dot: &Value, b: &'a Branch) -> R<()> {
        let mark = self.mark();
        let r = (|| {
            let val = self.eval_pipeline(dot, Some(&b.pipe))?;
            let (t, ok) = is_true(&val.concrete());
            if !ok {
                return self.errorf(format!("if/with can't use {}", gofmt::v(&val)));
            }
            if t {
                if b.kind == BranchKind::With {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &Value, node: &'a Node, r: &'a Branch) -> R<()> {
        self.at(At::Node(node));
        let outer = self.mark();
        let res = self.walk_range_inner(dot, r);
        self.pop(outer);
        match res {
            Err(Flow::Break) => Ok(()),
            other => other,
        }
    }

    fn one_iteration(&mut self, r: &'a Branch, index: Value, elem: Value, mark: usize) -> R<()> {
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].1, index.clone())?;
                } else {
                    self.set_var(&decl[0].1, elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].1, elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let res = self.walk_list(&elem, &r.list);
        self.pop(mark);
        match res {
            Err(Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_range_inner(&mut self, dot: &Value, r: &'a Branch) -> R<()> {
        let val = self.eval_pipeline(dot, Some(&r.pipe))?.concrete();
        let mark = self.mark();
        match &val.v {
            Some(Go::Int(_)) | Some(Go::Uint8(_)) => {
                let n = match val.v {
                    Some(Go::Int(i)) => i,
                    Some(Go::Uint8(u)) => u as i64,
                    _ => 0,
                };
                if r.pipe.decl.len() > 1 {
                    return self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::v(&val)
                    ));
                }
                if n > 0 {
                    for i in 0..n {
                        let e = match val.v {
                            Some(Go::Uint8(_)) => Value::of(Go::Uint8(i as u8)),
                            _ => Value::of(Go::Int(i)),
                        };
                        self.one_iteration(r, Value::invalid(), e, mark)?;
                    }
                    return Ok(());
                }
            }
            Some(Go::Slice(items)) if !items.is_empty() => {
                let items = Rc::clone(items);
                for (i, it) in items.iter().enumerate() {
                    self.one_iteration(r, Value::of(Go::Int(i as i64)), it.clone(), mark)?;
                }
                return Ok(());
            }
            Some(Go::Map(m)) if !m.is_empty() => {
                let m = Rc::clone(m);
                for (k, v) in m.iter() {
                    self.one_iteration(r, Value::string(k), v.clone(), mark)?;
                }
                return Ok(());
            }
            Some(Go::Slice(_)) | Some(Go::Map(_)) => {}
            None => {}
            Some(_) => {
                return self.errorf(format!("range can't iterate over {}", gofmt::v(&val)));
            }
        }
        if let Some(e) = &r.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Value,
        node: &'a Node,
        name: &str,
        pipe: Option<&'a Pipe>,
    ) -> R<()> {
        self.at(At::Node(node));
        let Some(tree) = self.trees.get(name) else {
            return self.errorf(format!("template {} not defined", gofmt::go_quote(name)));
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return self.errorf(DEPTH_ERROR);
        }
        let newdot = self.eval_pipeline(dot, pipe)?;
        self.enter_nest()?;
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), newdot.clone())]);
        let saved_name = std::mem::replace(&mut self.tmpl_name, name.to_string());
        self.depth += 1;
        let r = self.walk_list(&newdot, tree);
        self.depth -= 1;
        self.nest -= 1;
        self.tmpl_name = saved_name;
        self.vars = saved_vars;
        r
    }

    pub fn eval_pipeline(&mut self, dot: &Value, pipe: Option<&'a Pipe>) -> R<Value> {
        let Some(pipe) = pipe else {
            return Ok(Value::invalid());
        };
        self.at(At::Pipe(pipe));
        self.enter_nest()?;
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = match self.eval_command(dot, cmd, value.take()) {
                Ok(v) => v,
                Err(e) => {
                    self.nest -= 1;
                    return Err(e);
                }
            };
            value = Some(unwrap_iface(v));
        }
        self.nest -= 1;
        let value = value.unwrap_or_else(Value::invalid);
        for (_, name) in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: &Option<Value>) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            let first = args.first().map(|a| a.to_string()).unwrap_or_default();
            return self.errorf(format!("can't give argument to non-function {first}"));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'a Command, final_: Option<Value>) -> R<Value> {
        let Some(first) = cmd.args.first() else {
            return self.errorf("empty command");
        };
        match first {
            Arg::Field(_, ident) => {
                self.at(At::Arg(first));
                return self.eval_field_chain(dot, dot.clone(), first, ident, &cmd.args, final_);
            }
            Arg::Chain(..) => return self.eval_chain_node(dot, first, &cmd.args, final_),
            Arg::Identifier(_, name) => {
                return self.eval_function(dot, first, name, At::Cmd(cmd), &cmd.args, final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                return self.eval_pipeline(dot, Some(p));
            }
            Arg::Variable(..) => return self.eval_variable_node(dot, first, &cmd.args, final_),
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &final_)?;
        match first {
            Arg::Bool(_, b) => Ok(Value::of(Go::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command"),
            Arg::Number(_, n) => self.ideal_constant(first, n),
            Arg::String(_, _, s) => Ok(Value::string(s)),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                gofmt::go_quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, node: &'a Arg, n: &Number) -> R<Value> {
        self.at(At::Arg(node));
        let t = &n.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] == b'x' || t.as_bytes()[1] == b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.is_complex {
            return Ok(Value::of(Go::Complex(n.complex.0, n.complex.1)));
        }
        if n.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::of(Go::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Value::of(Go::Int(n.int64)));
        }
        if n.is_uint {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Value::invalid())
    }

    fn eval_variable_node(
        &mut self,
        dot: &Value,
        var: &'a Arg,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(var));
        let Arg::Variable(_, ident) = var else {
            return self.errorf("not a variable");
        };
        let value = self.var_value(&ident[0])?;
        if ident.len() == 1 {
            self.not_a_function(args, &final_)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &ident[1..], args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Value,
        chain: &'a Arg,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(chain));
        let Arg::Chain(_, node, fields) = chain else {
            return self.errorf("not a chain");
        };
        if fields.is_empty() {
            return self.errorf("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil(_) = node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, pipe, chain, fields, args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: Value,
        node: &'a Arg,
        ident: &[String],
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let n = ident.len();
        for name in &ident[..n.saturating_sub(1)] {
            receiver = self.eval_field(name, &[], None, receiver)?;
        }
        let _ = (dot, node);
        match ident.last() {
            Some(last) => self.eval_field(last, args, final_, receiver),
            None => Ok(receiver),
        }
    }

    fn eval_field(
        &mut self,
        field: &str,
        args: &[Arg],
        final_: Option<Value>,
        receiver: Value,
    ) -> R<Value> {
        if !receiver.is_valid() {
            if self.missing == MissingKey::Error {
                return self.errorf(format!(
                    "nil data; no entry for key {}",
                    gofmt::go_quote(field)
                ));
            }
            return Ok(Value::invalid());
        }
        let typ = receiver.type_name();
        if receiver.is_nil_iface() {
            return self.errorf(format!("nil pointer evaluating {typ}.{field}"));
        }
        let has_args = args.len() > 1 || final_.is_some();
        if let Some(Go::Map(m)) = &receiver.v {
            if has_args {
                return self.errorf(format!("{field} is not a method but has arguments"));
            }
            return match m.get(field) {
                Some(v) => Ok(v.clone()),
                None => match self.missing {
                    MissingKey::Invalid => Ok(Value::invalid()),
                    MissingKey::Zero => Ok(Value {
                        v: None,
                        iface: true,
                    }),
                    MissingKey::Error => self.errorf(format!(
                        "map has no entry for key {}",
                        gofmt::go_quote(field)
                    )),
                },
            };
        }
        self.errorf(format!("can't evaluate field {field} in type {typ}"))
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        ident: &'a Arg,
        name: &str,
        node: At<'a>,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(ident));
        let Some(f) = (self.funcs)(name) else {
            return self.errorf(format!(
                "{} is not a defined function",
                gofmt::go_quote(name)
            ));
        };
        self.eval_call(dot, f, node, name, args, final_)
    }

    fn eval_call(
        &mut self,
        dot: &Value,
        f: &'static Func,
        node: At<'a>,
        name: &str,
        args: &'a [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let args: &'a [Arg] = if args.is_empty() { args } else { &args[1..] };
        let num_in_fn = f.params.len() + usize::from(f.variadic.is_some());
        let mut num_in = args.len();
        if final_.is_some() {
            num_in += 1;
        }
        let mut num_fixed = args.len();
        if f.variadic.is_some() {
            num_fixed = f.params.len();
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    num_fixed,
                    args.len()
                ));
            }
        } else if num_in != num_in_fn {
            return self.errorf(format!(
                "wrong number of args for {name}: want {num_in_fn} got {num_in}"
            ));
        }
        let param_ty = |i: usize| -> Ty {
            if i < f.params.len() {
                f.params[i]
            } else {
                f.variadic.unwrap_or(Ty::Any)
            }
        };

        if f.builtin && (name == "and" || name == "or") {
            let want = name == "or";
            let mut v = Value::invalid();
            for a in args {
                v = self.eval_arg(dot, Some(Ty::Reflect), a)?;
                if truth(&v) == want {
                    return Ok(v);
                }
            }
            if let Some(fv) = final_ {
                v = self.validate_type(fv, Some(Ty::Reflect))?;
            }
            return Ok(v);
        }

        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, Some(param_ty(i)), &args[i])?);
            i += 1;
        }
        if f.variadic.is_some() {
            while i < args.len() {
                argv.push(self.eval_arg(dot, f.variadic, &args[i])?);
                i += 1;
            }
        }
        if let Some(fv) = final_.clone() {
            let t = if f.variadic.is_some() {
                if num_in - 1 < num_fixed {
                    param_ty(num_in - 1)
                } else {
                    f.variadic.unwrap_or(Ty::Any)
                }
            } else {
                param_ty(num_in_fn.saturating_sub(1))
            };
            argv.push(self.validate_type(fv, Some(t))?);
        }
        if f.builtin && name == "call" {
            let callee = match args.first() {
                Some(a) => a.to_string(),
                // reflect.Value.String(): the string itself, else "<T Value>".
                None => match final_.as_ref().and_then(|f| f.v.as_ref()) {
                    Some(Go::Str(s)) => s.to_string(),
                    Some(g) => format!("<{} Value>", g.type_name()),
                    None => "<invalid Value>".to_string(),
                },
            };
            let r = funcs::call(&callee, &argv);
            if let Err(e) = r {
                self.at(node);
                return self.errorf(format!("error calling {name}: {e}"));
            }
            return r.map_err(Flow::Err);
        }
        match (f.run)(&argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node);
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }

    /// `validateType`: the value as an argument of the given type.
    fn validate_type(&mut self, value: Value, typ: Option<Ty>) -> R<Value> {
        if !value.is_valid() {
            return match typ {
                None | Some(Ty::Any) | Some(Ty::Reflect) => Ok(Value::invalid()),
                Some(t) => self.errorf(format!("invalid value; expected {}", t.name())),
            };
        }
        let Some(t) = typ else {
            return Ok(value);
        };
        match t {
            Ty::Any | Ty::Reflect => Ok(value),
            Ty::Str | Ty::Int => {
                let ok = |g: &Go| matches!((t, g), (Ty::Str, Go::Str(_)) | (Ty::Int, Go::Int(_)));
                if !value.iface {
                    if value.v.as_ref().is_some_and(ok) {
                        return Ok(value);
                    }
                    return self.errorf(format!(
                        "wrong type for value; expected {}; got {}",
                        t.name(),
                        value.type_name()
                    ));
                }
                match &value.v {
                    Some(g) if ok(g) => Ok(value.concrete()),
                    Some(g) => self.errorf(format!(
                        "wrong type for value; expected {}; got {}",
                        t.name(),
                        g.type_name()
                    )),
                    None => self.errorf(format!(
                        "wrong type for value; expected {}; got interface {{}}",
                        t.name()
                    )),
                }
            }
        }
    }

    fn eval_arg(&mut self, dot: &Value, typ: Option<Ty>, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Dot(_) => return self.validate_type(dot.clone(), typ),
            Arg::Nil(_) => {
                return match typ {
                    Some(Ty::Any) | Some(Ty::Reflect) | None => Ok(Value::invalid()),
                    Some(t) => self.errorf(format!("cannot assign nil to {}", t.name())),
                }
            }
            Arg::Field(_, ident) => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    ident,
                    std::slice::from_ref(n),
                    None,
                )?;
                return self.validate_type(v, typ);
            }
            Arg::Variable(..) => {
                let v = self.eval_variable_node(dot, n, &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, Some(p))?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier(_, name) => {
                let v = self.eval_function(dot, n, name, At::Arg(n), &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain(..) => {
                let v = self.eval_chain_node(dot, n, &[], None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        match typ {
            Some(Ty::Int) => match n {
                Arg::Number(_, num) if num.is_int => Ok(Value::of(Go::Int(num.int64))),
                _ => self.errorf(format!("expected integer; found {n}")),
            },
            Some(Ty::Str) => match n {
                Arg::String(_, _, s) => Ok(Value::string(s)),
                _ => self.errorf(format!("expected string; found {n}")),
            },
            _ => self.eval_empty_interface(n),
        }
    }

    fn eval_empty_interface(&mut self, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Bool(_, b) => Ok(Value::of(Go::Bool(*b))),
            Arg::Number(_, num) => self.ideal_constant(n, num),
            Arg::String(_, _, s) => Ok(Value::string(s)),
            _ => self.errorf(format!(
                "can't handle assignment of {n} to empty interface argument"
            )),
        }
    }
}

/// The largest char boundary at or below `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
