//! The parser of Go's `text/template/parse` (parse.go, node.go): the same tree, the same
//! lookahead (so the same line in `template: NAME:LINE: ...`), the same error texts.
//!
//! One deliberate limit: nesting (parentheses and control actions together) deeper than
//! [`MAX_DEPTH`] is refused with Go's `max expression depth exceeded`, where Go allows 10000
//! parentheses and unbounded control nesting; Rust's stack is not Go's growable one.

use super::fmt::go_quote;
use super::lex::{Item, ItemType, Lexer};
use std::collections::HashMap;
use std::fmt;

pub const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone)]
pub struct Number {
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub complex: (f64, f64),
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Arg {
    Bool(usize, bool),
    Dot(usize),
    Nil(usize),
    Field(usize, Vec<String>),
    Variable(usize, Vec<String>),
    Identifier(usize, String),
    Number(usize, Box<Number>),
    /// Position, quoted text, value.
    String(usize, String, String),
    Pipe(Box<Pipe>),
    Chain(usize, Box<Arg>, Vec<String>),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Bool(p, _)
            | Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Field(p, _)
            | Arg::Variable(p, _)
            | Arg::Identifier(p, _)
            | Arg::Number(p, _)
            | Arg::String(p, _, _)
            | Arg::Chain(p, _, _) => *p,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Field(_, id) => {
                for i in id {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable(_, id) => f.write_str(&id.join(".")),
            Arg::Identifier(_, s) => f.write_str(s),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String(_, q, _) => f.write_str(q),
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Chain(_, node, fields) => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    /// Declared variables: (position, name).
    pub decl: Vec<(usize, String)>,
    pub cmds: Vec<Command>,
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            let names: Vec<&str> = self.decl.iter().map(|(_, n)| n.as_str()).collect();
            f.write_str(&names.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchKind {
    If,
    Range,
    With,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub kind: BranchKind,
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Text(usize, String),
    Comment(usize, String),
    Action(usize, Pipe),
    Branch(Box<Branch>),
    Template(usize, String, Option<Pipe>),
    Break(usize),
    Continue(usize),
    /// Not in a finished tree.
    End(usize),
    Else(usize),
}

impl Node {
    pub fn pos(&self) -> usize {
        match self {
            Node::Text(p, _)
            | Node::Comment(p, _)
            | Node::Action(p, _)
            | Node::Template(p, _, _)
            | Node::Break(p)
            | Node::Continue(p)
            | Node::End(p)
            | Node::Else(p) => *p,
            Node::Branch(b) => b.pos,
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(_, t) => f.write_str(t),
            Node::Comment(_, t) => write!(f, "{{{{{t}}}}}"),
            Node::Action(_, p) => write!(f, "{{{{{p}}}}}"),
            Node::Branch(b) => {
                let name = match b.kind {
                    BranchKind::If => "if",
                    BranchKind::Range => "range",
                    BranchKind::With => "with",
                };
                write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
                if let Some(e) = &b.else_list {
                    write!(f, "{{{{else}}}}{e}")?;
                }
                f.write_str("{{end}}")
            }
            Node::Template(_, name, pipe) => match pipe {
                None => write!(f, "{{{{template {}}}}}", go_quote(name)),
                Some(p) => write!(f, "{{{{template {} {p}}}}}", go_quote(name)),
            },
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
            Node::End(_) => f.write_str("{{end}}"),
            Node::Else(_) => f.write_str("{{else}}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct List {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

fn is_empty_tree(n: &Node) -> bool {
    match n {
        Node::Comment(..) => true,
        Node::Text(_, t) => t.trim_matches(|c: char| c.is_whitespace()).is_empty(),
        _ => false,
    }
}

pub fn is_empty_list(l: &List) -> bool {
    l.nodes.iter().all(is_empty_tree)
}

/// A parse error: Go's error text.
pub type PErr = String;
type R<T> = Result<T, PErr>;

/// The trees of one `Parse`: name → body.
pub type TreeSet = HashMap<String, List>;

struct Tree<'l> {
    name: String,
    parse_name: String,
    lex: &'l mut Lexer,
    token: [Item; 3],
    peek_count: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    depth: &'l std::cell::Cell<usize>,
    funcs: &'l dyn Fn(&str) -> bool,
}

fn blank_item() -> Item {
    Item {
        typ: ItemType::Eof,
        pos: 0,
        val: String::new(),
        line: 1,
    }
}

/// Parses `text` as the template `name`; `has_func` says whether a function name is defined.
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> R<TreeSet> {
    let mut lex = Lexer::new(text);
    lex.break_ok = !has_func("break");
    lex.continue_ok = !has_func("continue");
    let depth = std::cell::Cell::new(0);
    let mut set = TreeSet::new();
    let mut t = Tree::new(name, name, &mut lex, &depth, has_func);
    let root = t.parse(&mut set)?;
    t.add(root, &mut set)?;
    Ok(set)
}

impl<'l> Tree<'l> {
    fn new(
        name: &str,
        parse_name: &str,
        lex: &'l mut Lexer,
        depth: &'l std::cell::Cell<usize>,
        funcs: &'l dyn Fn(&str) -> bool,
    ) -> Tree<'l> {
        Tree {
            name: name.to_string(),
            parse_name: parse_name.to_string(),
            lex,
            token: [blank_item(), blank_item(), blank_item()],
            peek_count: 0,
            vars: vec!["$".to_string()],
            action_line: 0,
            range_depth: 0,
            depth,
            funcs,
        }
    }

    fn next(&mut self) -> Item {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = self.lex.next_item();
        }
        self.token[self.peek_count].clone()
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item) {
        self.token[1] = t1;
        self.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item, t1: Item) {
        self.token[1] = t1;
        self.token[2] = t2;
        self.peek_count = 3;
    }

    fn peek(&mut self) -> Item {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1].clone();
        }
        self.peek_count = 1;
        self.token[0] = self.lex.next_item();
        self.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, msg: impl fmt::Display) -> R<T> {
        Err(format!(
            "template: {}:{}: {}",
            self.parse_name, self.token[0].line, msg
        ))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> R<Item> {
        let t = self.next_non_space();
        if t.typ != expected {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> R<T> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn enter(&self) -> R<()> {
        if self.depth.get() >= MAX_DEPTH {
            return self.errorf("max expression depth exceeded");
        }
        self.depth.set(self.depth.get() + 1);
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    fn add(&self, root: List, set: &mut TreeSet) -> R<()> {
        match set.get(&self.name) {
            Some(existing) if !is_empty_list(existing) => {
                if !is_empty_list(&root) {
                    return self.errorf(format!(
                        "template: multiple definition of template {}",
                        go_quote(&self.name)
                    ));
                }
                Ok(())
            }
            _ => {
                set.insert(self.name.clone(), root);
                Ok(())
            }
        }
    }

    fn parse(&mut self, set: &mut TreeSet) -> R<List> {
        let mut root = List {
            pos: self.peek().pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    let depth = self.depth;
                    let funcs = self.funcs;
                    let parse_name = self.parse_name.clone();
                    let mut new_t = Tree::new("definition", &parse_name, self.lex, depth, funcs);
                    new_t.parse_definition(set)?;
                    continue;
                }
                self.backup2(delim);
            }
            let n = self.text_or_action(set)?;
            match n {
                Node::End(_) | Node::Else(_) => return self.errorf(format!("unexpected {n}")),
                n => root.nodes.push(n),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self, set: &mut TreeSet) -> R<()> {
        let context = "define clause";
        let name = self.next_non_space();
        if name.typ != ItemType::String && name.typ != ItemType::RawString {
            return self.unexpected(&name, context);
        }
        self.name = match unquote(&name.val) {
            Ok(s) => s,
            Err(e) => return self.errorf(e),
        };
        self.expect(ItemType::RightDelim, context)?;
        let (root, end) = self.item_list(set)?;
        if !matches!(end, Node::End(_)) {
            return self.errorf(format!("unexpected {end} in {context}"));
        }
        self.add(root, set)
    }

    fn item_list(&mut self, set: &mut TreeSet) -> R<(List, Node)> {
        let mut list = List {
            pos: self.peek_non_space().pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            let n = self.text_or_action(set)?;
            match n {
                Node::End(_) | Node::Else(_) => return Ok((list, n)),
                n => list.nodes.push(n),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self, set: &mut TreeSet) -> R<Node> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Node::Text(token.pos, token.val)),
            ItemType::LeftDelim => {
                self.action_line = token.line;
                let r = self.action(set);
                self.action_line = 0;
                r
            }
            ItemType::Comment => Ok(Node::Comment(token.pos, token.val)),
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self, set: &mut TreeSet) -> R<Node> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control(set),
            ItemType::Break => return self.break_control(token.pos, "{{break}}", true),
            ItemType::Continue => return self.break_control(token.pos, "{{continue}}", false),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                let t = self.expect(ItemType::RightDelim, "end")?;
                return Ok(Node::End(t.pos));
            }
            ItemType::If => return self.branch(BranchKind::If, set),
            ItemType::Range => return self.branch(BranchKind::Range, set),
            ItemType::Template => return self.template_control(),
            ItemType::With => return self.branch(BranchKind::With, set),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Node::Action(token.pos, pipe))
    }

    fn break_control(&mut self, pos: usize, what: &str, is_break: bool) -> R<Node> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, what);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{what} outside {{{{range}}}}"));
        }
        Ok(if is_break {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> R<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ == ItemType::Variable {
                self.next();
                let token_after_variable = self.peek();
                let next = self.peek_non_space();
                if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    pipe.decl.push((v.pos, v.val.clone()));
                    self.vars.push(v.val.clone());
                } else if next.typ == ItemType::Char && next.val == "," {
                    self.next_non_space();
                    pipe.decl.push((v.pos, v.val.clone()));
                    self.vars.push(v.val.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                } else if token_after_variable.typ == ItemType::Space {
                    self.backup3(v, token_after_variable);
                } else {
                    self.backup2(v);
                }
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> R<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String(..))
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn branch(&mut self, kind: BranchKind, set: &mut TreeSet) -> R<Node> {
        self.enter()?;
        let r = self.parse_control(kind, set);
        self.leave();
        let (pos, pipe, list, else_list) = r?;
        Ok(Node::Branch(Box::new(Branch {
            kind,
            pos,
            pipe,
            list,
            else_list,
        })))
    }

    #[allow(clippy::type_complexity)]
    fn parse_control(
        &mut self,
        kind: BranchKind,
        set: &mut TreeSet,
    ) -> R<(usize, Pipe, List, Option<List>)> {
        let mark = self.vars.len();
        let r = self.parse_control_inner(kind, set);
        self.vars.truncate(mark);
        r
    }

    #[allow(clippy::type_complexity)]
    fn parse_control_inner(
        &mut self,
        kind: BranchKind,
        set: &mut TreeSet,
    ) -> R<(usize, Pipe, List, Option<List>)> {
        let context = match kind {
            BranchKind::If => "if",
            BranchKind::Range => "range",
            BranchKind::With => "with",
        };
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if kind == BranchKind::Range {
            self.range_depth += 1;
        }
        let r = self.item_list(set);
        if kind == BranchKind::Range {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        if let Node::Else(epos) = next {
            let peek = self.peek().typ;
            if kind == BranchKind::If && peek == ItemType::If {
                self.next();
                let n = self.branch(BranchKind::If, set)?;
                else_list = Some(List {
                    pos: epos,
                    nodes: vec![n],
                });
            } else if kind == BranchKind::With && peek == ItemType::With {
                self.next();
                let n = self.branch(BranchKind::With, set)?;
                else_list = Some(List {
                    pos: epos,
                    nodes: vec![n],
                });
            } else {
                let (l, next) = self.item_list(set)?;
                if !matches!(next, Node::End(_)) {
                    return self.errorf(format!("expected end; found {next}"));
                }
                else_list = Some(l);
            }
        }
        Ok((pipe.pos, pipe, list, else_list))
    }

    fn else_control(&mut self) -> R<Node> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Node::Else(peek.pos));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Node::Else(token.pos))
    }

    fn block_control(&mut self, set: &mut TreeSet) -> R<Node> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        self.enter()?;
        let depth = self.depth;
        let funcs = self.funcs;
        let parse_name = self.parse_name.clone();
        let r = {
            let mut block = Tree::new(&name, &parse_name, self.lex, depth, funcs);
            let r = block.item_list(set);
            match r {
                Ok((root, end)) => {
                    if !matches!(end, Node::End(_)) {
                        // Go reports this with the outer tree's last token.
                        Err(Some(format!("unexpected {end} in {context}")))
                    } else {
                        block.add(root, set).map_err(Some)
                    }
                }
                Err(e) => Err(Some(e)),
            }
        };
        self.leave();
        match r {
            Ok(()) => {}
            Err(Some(e)) if e.starts_with("template: ") => return Err(e),
            Err(Some(e)) => return self.errorf(e),
            Err(None) => {}
        }
        Ok(Node::Template(token.pos, name, Some(pipe)))
    }

    fn template_control(&mut self) -> R<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, ItemType::RightDelim)?);
        }
        Ok(Node::Template(token.pos, name, pipe))
    }

    fn parse_template_name(&mut self, token: &Item, context: &str) -> R<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Ok(s) => Ok(s),
                Err(e) => self.errorf(e),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn command(&mut self) -> R<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> R<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ == ItemType::Field {
            let chain_pos = self.peek().pos;
            let mut fields = Vec::new();
            while self.peek().typ == ItemType::Field {
                let f = self.next().val;
                fields.push(f[1..].to_string());
            }
            return Ok(Some(match node {
                Arg::Field(_, mut id) => {
                    id.extend(fields);
                    Arg::Field(chain_pos, id)
                }
                Arg::Variable(_, mut id) => {
                    id.extend(fields);
                    Arg::Variable(chain_pos, id)
                }
                Arg::Bool(..) | Arg::String(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                    return self.errorf(format!(
                        "unexpected . after term {}",
                        go_quote(&node.to_string())
                    ));
                }
                other => Arg::Chain(chain_pos, Box::new(other), fields),
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> R<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                if !(self.funcs)(&token.val) {
                    return self.errorf(format!("function {} not defined", go_quote(&token.val)));
                }
                Arg::Identifier(token.pos, token.val)
            }
            ItemType::Dot => Arg::Dot(token.pos),
            ItemType::Nil => Arg::Nil(token.pos),
            ItemType::Variable => {
                let ident: Vec<String> = token.val.split('.').map(str::to_string).collect();
                let first = ident.first().cloned().unwrap_or_default();
                if !self.vars.contains(&first) {
                    return self.errorf(format!("undefined variable {}", go_quote(&first)));
                }
                Arg::Variable(token.pos, ident)
            }
            ItemType::Field => Arg::Field(
                token.pos,
                token.val[1..].split('.').map(str::to_string).collect(),
            ),
            ItemType::Bool => Arg::Bool(token.pos, token.val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(&token.val, token.typ) {
                    Ok(n) => Arg::Number(token.pos, Box::new(n)),
                    Err(e) => return self.errorf(e),
                }
            }
            ItemType::LeftParen => {
                self.enter()?;
                let r = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.leave();
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Ok(s) => Arg::String(token.pos, token.val, s),
                Err(e) => return self.errorf(e),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// `strconv.Unquote` for the two string forms the lexer makes; the error is `invalid syntax`.
pub fn unquote(s: &str) -> Result<String, String> {
    let bad = || "invalid syntax".to_string();
    if s.len() < 2 {
        return Err(bad());
    }
    if s.starts_with('`') {
        if !s.ends_with('`') {
            return Err(bad());
        }
        let inner = &s[1..s.len() - 1];
        if inner.contains('`') {
            return Err(bad());
        }
        return Ok(inner.replace('\r', ""));
    }
    if !s.starts_with('"') || !s.ends_with('"') {
        return Err(bad());
    }
    let inner = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (c, tail) = unquote_char(rest, '"').ok_or_else(bad)?;
        out.push_str(&c);
        rest = tail;
    }
    Ok(out)
}

/// `strconv.UnquoteChar`: one (possibly escaped) character and the rest.
fn unquote_char(s: &str, quote: char) -> Option<(String, &str)> {
    let c = s.chars().next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        return Some((c.to_string(), &s[c.len_utf8()..]));
    }
    let b = s.as_bytes();
    let e = *b.get(1)? as char;
    let rest = &s[2..];
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c.to_string(), rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(..n)?;
            let v = u32::from_str_radix(hex, 16).ok()?;
            if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            if e == 'x' {
                // A byte; in a Go string it may be invalid UTF-8, which Rust cannot hold.
                let ch = char::from_u32(v)?;
                return Some((ch.to_string(), &rest[n..]));
            }
            let ch = char::from_u32(v)?;
            Some((ch.to_string(), &rest[n..]))
        }
        '0'..='7' => {
            let oct = s.get(1..4)?;
            if !oct.chars().all(|c| ('0'..='7').contains(&c)) {
                return None;
            }
            let v = u32::from_str_radix(oct, 8).ok()?;
            if v > 255 {
                return None;
            }
            let ch = char::from_u32(v)?;
            Some((ch.to_string(), &s[4..]))
        }
        _ => None,
    }
}

/// `newNumber`: a number's readings as int, uint, float and complex.
pub fn new_number(text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number {
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex: (0.0, 0.0),
        text: text.to_string(),
    };
    match typ {
        ItemType::CharConstant => {
            let inner = &text[1..];
            let (c, tail) =
                unquote_char(inner, '\'').ok_or_else(|| "invalid syntax".to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let r = c.chars().next().map(|c| c as u32).unwrap_or(0);
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text).ok_or_else(|| "expected integer".to_string())?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(body) = text.strip_suffix('i') {
        if let Some(f) = parse_float(body) {
            n.is_complex = true;
            n.complex = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", go_quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", go_quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut Number) {
    n.is_float = n.complex.1 == 0.0;
    if n.is_float {
        let f = n.complex.0;
        n.float64 = f;
        n.is_int = (f as i64) as f64 == f;
        if n.is_int {
            n.int64 = f as i64;
        }
        n.is_uint = f >= 0.0 && (f as u64) as f64 == f;
        if n.is_uint {
            n.uint64 = f as u64;
        }
    }
}

fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let split = body
        .char_indices()
        .skip(1)
        .filter(|(i, c)| {
            (*c == '+' || *c == '-')
                && !matches!(body.as_bytes().get(i - 1), Some(b'e' | b'E' | b'p' | b'P'))
        })
        .map(|(i, _)| i)
        .last()?;
    Some((parse_float(&body[..split])?, parse_float(&body[split..])?))
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    }
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    parse_mag(s)
}

fn parse_mag(s: &str) -> Option<u64> {
    if s.contains('_') && !crate::framework::go::underscore_ok(s) {
        return None;
    }
    let lower = s.to_ascii_lowercase().replace('_', "");
    let (radix, body) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(body, radix).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int(s: &str) -> Option<i64> {
    let (neg, mag) = split_sign(s);
    if mag.starts_with(['+', '-']) {
        return None;
    }
    let u = parse_mag(mag)?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for decimal and hexadecimal forms.
fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !crate::framework::go::underscore_ok(s) {
        return None;
    }
    let (neg, mag) = split_sign(s);
    let lower = mag.to_ascii_lowercase().replace('_', "");
    let v = if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        let d = lower.as_str();
        if d.is_empty()
            || !d
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
            || !d.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || d == "."
        {
            return None;
        }
        d.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.split_once('p') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !s.contains('p') && mant.contains('.') {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}
