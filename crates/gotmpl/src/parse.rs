//! The parser of Go's text/template: builds the trees of one template text (the text itself
//! plus every `define` and `block` in it) with Go's error texts.

use std::fmt::{self, Display, Write as _};
use std::sync::Arc;

use crate::lex::{Item, ItemType, lex};

/// A parsed template: the text's own tree or one `define`/`block`.
#[derive(Debug)]
pub struct Tree {
    /// The template's name (the file name, or the `define`'s name).
    pub name: String,
    /// The name of the text it was parsed from, for error positions.
    pub parse_name: Arc<str>,
    /// The whole text it was parsed from, for error positions.
    pub text: Arc<str>,
    pub root: Vec<Node>,
}

impl Tree {
    /// `NAME:LINE:COL` of a byte offset, as Go's `ErrorContext` computes it (the column is
    /// the 0-based byte offset in the line).
    pub fn location(&self, pos: usize) -> (String, usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        (format!("{}:{}:{}", self.parse_name, line, col), line, col)
    }

    /// The source line holding byte offset `pos`.
    pub fn source_line(&self, pos: usize) -> String {
        let pos = pos.min(self.text.len());
        let start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[pos..]
            .find('\n')
            .map_or(self.text.len(), |i| pos + i);
        self.text[start..end].to_string()
    }

    pub fn is_empty(&self) -> bool {
        is_empty_list(&self.root)
    }
}

fn is_empty_list(list: &[Node]) -> bool {
    list.iter().all(|n| match n {
        Node::Text(t) => t.trim_ascii().is_empty(),
        _ => false,
    })
}

#[derive(Debug)]
pub enum Node {
    Text(Arc<str>),
    Action(Pipe),
    If(Control),
    Range(Control),
    With(Control),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(usize),
    Continue(usize),
}

#[derive(Debug)]
pub struct Control {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug)]
pub struct Cmd {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub struct Arg {
    pub pos: usize,
    pub kind: ArgKind,
}

#[derive(Debug)]
pub enum ArgKind {
    /// `.a.b`: the field names without dots.
    Field(Vec<String>),
    /// `$x.a.b`: `$x` then the field names.
    Variable(Vec<String>),
    /// `(pipe).a.b`, `f.a` is rejected at run time.
    Chain(Box<Arg>, Vec<String>),
    Identifier(String),
    Dot,
    Nil,
    Bool(bool),
    Number(Box<Number>),
    /// The quoted source text and the unquoted value.
    String(String, Arc<str>),
    Pipe(Box<Pipe>),
}

/// A numeric constant with every interpretation Go's parser found for it.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
    /// Real and imaginary parts, when `is_complex`.
    pub complex: (f64, f64),
}

impl Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
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

impl Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let ArgKind::Pipe(p) = &a.kind {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ArgKind::Field(names) => {
                for n in names {
                    write!(f, ".{n}")?;
                }
                Ok(())
            }
            ArgKind::Variable(names) => f.write_str(&names.join(".")),
            ArgKind::Chain(node, fields) => {
                if let ArgKind::Pipe(p) = &node.kind {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for n in fields {
                    write!(f, ".{n}")?;
                }
                Ok(())
            }
            ArgKind::Identifier(n) => f.write_str(n),
            ArgKind::Dot => f.write_str("."),
            ArgKind::Nil => f.write_str("nil"),
            ArgKind::Bool(b) => write!(f, "{b}"),
            ArgKind::Number(n) => f.write_str(&n.text),
            ArgKind::String(q, _) => f.write_str(q),
            ArgKind::Pipe(p) => write!(f, "{p}"),
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &[Node]) -> fmt::Result {
    for n in list {
        write!(f, "{n}")?;
    }
    Ok(())
}

impl Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let control = |f: &mut fmt::Formatter<'_>, kw: &str, c: &Control| -> fmt::Result {
            write!(f, "{{{{{kw} {}}}}}", c.pipe)?;
            write_list(f, &c.list)?;
            if let Some(e) = &c.else_list {
                f.write_str("{{else}}")?;
                write_list(f, e)?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text(t) => f.write_str(t),
            Node::Action(p) => write!(f, "{{{{{p}}}}}"),
            Node::If(c) => control(f, "if", c),
            Node::Range(c) => control(f, "range", c),
            Node::With(c) => control(f, "with", c),
            Node::Template { name, pipe, .. } => match pipe {
                Some(p) => write!(f, "{{{{template {} {p}}}}}", crate::fmt::quote_go(name)),
                None => write!(f, "{{{{template {}}}}}", crate::fmt::quote_go(name)),
            },
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

/// A parse error, already formatted as Go prints it (`template: NAME:LINE: msg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: usize,
    /// The column (from 1, in characters) of the token at fault on `line`; 0 when the
    /// error is not about one token.
    pub column: usize,
}

/// What `parse` returns: the text's own tree first, then the `define`d ones, each with
/// whether it may replace an existing template of the same name.
pub type Trees = Vec<Tree>;

/// Parses `text` named `name`. `has_func` says whether an identifier names a function.
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> Result<Trees, ParseError> {
    let text: Arc<str> = Arc::from(text);
    let items = lex(&text, !has_func("break"), !has_func("continue"));
    let mut p = Parser {
        items,
        text: text.clone(),
        action_line: 0,
        idx: 0,
        max_seen: 0,
        parse_name: Arc::from(name),
        vars: vec!["$".to_string()],
        range_depth: 0,
        paren_depth: 0,
        has_func,
        defined: Vec::new(),
    };
    let root = p.parse_top()?;
    let main = Tree {
        name: name.to_string(),
        parse_name: p.parse_name.clone(),
        text: text.clone(),
        root,
    };
    let mut out = Vec::with_capacity(1 + p.defined.len());
    out.push(main);
    for (n, root, line) in std::mem::take(&mut p.defined) {
        let t = Tree {
            name: n,
            parse_name: p.parse_name.clone(),
            text: text.clone(),
            root,
        };
        // Within one text, a name may be defined twice only if one of them is empty.
        if let Some(i) = out.iter().position(|o| o.name == t.name) {
            if out[i].is_empty() {
                out[i] = t;
            } else if !t.is_empty() {
                return Err(ParseError {
                    message: format!(
                        "template: {}:{}: template: multiple definition of template {}",
                        name,
                        line,
                        crate::fmt::quote_go(&t.name)
                    ),
                    line,
                    column: 0,
                });
            }
        } else {
            out.push(t);
        }
    }
    Ok(out)
}

/// How deeply parenthesized pipelines may nest: Go's parser stops past this many.
const MAX_PAREN_DEPTH: usize = 10_000;

struct Parser<'f> {
    items: Vec<Item>,
    text: Arc<str>,
    /// The line of the `{{` of the action being parsed, 0 outside actions (Go's
    /// `actionLine`): a lexer error on a later line says where the action started.
    action_line: usize,
    idx: usize,
    max_seen: usize,
    parse_name: Arc<str>,
    vars: Vec<String>,
    range_depth: usize,
    /// Parenthesized pipelines open around the current token.
    paren_depth: usize,
    has_func: &'f dyn Fn(&str) -> bool,
    defined: Vec<(String, Vec<Node>, usize)>,
}

type PResult<T> = Result<T, ParseError>;

impl Parser<'_> {
    fn item(&self, i: usize) -> &Item {
        // The lexer always ends with EOF or an error item; past it, repeat the last one.
        &self.items[i.min(self.items.len() - 1)]
    }

    fn next(&mut self) -> Item {
        let it = self.item(self.idx).clone();
        self.max_seen = self.max_seen.max(self.idx);
        // Always advance, even past the last item, so that `backup` undoes exactly this
        // step (stopping at the last item made `next` + `backup` step back one too many,
        // and `((` before a lexer error recursed forever).
        self.idx += 1;
        it
    }

    fn backup(&mut self) {
        self.idx = self.idx.saturating_sub(1);
    }

    fn peek(&mut self) -> Item {
        self.max_seen = self.max_seen.max(self.idx);
        self.item(self.idx).clone()
    }

    fn peek_type(&mut self) -> ItemType {
        self.max_seen = self.max_seen.max(self.idx);
        self.item(self.idx).typ
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

    fn errorf(&self, msg: String) -> ParseError {
        let line = self.item(self.max_seen).line;
        ParseError {
            message: format!("template: {}:{}: {}", self.parse_name, line, msg),
            line,
            column: 0,
        }
    }

    /// [`Self::errorf`] about the token at byte `pos`, whose column the error then carries
    /// (when the token is on the error's line).
    fn errorf_at(&self, pos: usize, msg: String) -> ParseError {
        let mut e = self.errorf(msg);
        if let Some(before) = self.text.get(..pos) {
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            if 1 + before.matches('\n').count() == e.line {
                e.column = before[start..].chars().count() + 1;
            }
        }
        e
    }

    fn unexpected(&self, token: &Item, context: &str) -> ParseError {
        if token.typ == ItemType::Error {
            return self.lex_error(token);
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    /// A lexer error, as Go's parser reports it: with where the action started when that
    /// was on an earlier line (`unclosed action started at NAME:LINE`).
    fn lex_error(&self, token: &Item) -> ParseError {
        let mut msg = token.val.clone();
        if self.action_line != 0 && self.action_line != token.line {
            let connector = if msg.ends_with(" action") {
                ""
            } else {
                " in action"
            };
            msg.push_str(&format!(
                "{connector} started at {}:{}",
                self.parse_name, self.action_line
            ));
        }
        self.errorf(msg)
    }

    fn expect(&mut self, typ: ItemType, context: &str) -> PResult<Item> {
        let t = self.next_non_space();
        if t.typ != typ {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek_type() != ItemType::Eof {
            if self.peek_type() == ItemType::LeftDelim {
                let save = self.idx;
                self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = save;
            }
            let n = self.text_or_action()?;
            match n {
                Parsed::End => return Err(self.errorf("unexpected {{end}}".into())),
                Parsed::Else(_) => return Err(self.errorf("unexpected {{else}}".into())),
                Parsed::Node(n) => root.push(n),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let name = self.next_non_space();
        if name.typ != ItemType::String && name.typ != ItemType::RawString {
            return Err(self.unexpected(&name, context));
        }
        let name_s = unquote(&name.val).map_err(|e| self.errorf(e))?;
        self.expect(ItemType::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!("unexpected {} in {}", end.describe(), context)));
        }
        let line = self.item(self.max_seen).line;
        self.defined.push((name_s, list, line));
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Parsed)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                other => return Ok((list, other)),
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text(Arc::from(token.val.as_str())))),
            ItemType::LeftDelim => {
                self.action_line = token.line;
                let action = self.action();
                self.action_line = 0;
                action
            }
            ItemType::Error => Err(self.lex_error(&token)),
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(token.pos, "break"),
            ItemType::Continue => return self.break_control(token.pos, "continue"),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => return Ok(Parsed::Node(Node::If(self.parse_control("if")?))),
            ItemType::Range => {
                return Ok(Parsed::Node(Node::Range(self.parse_control("range")?)));
            }
            ItemType::Template => return self.template_control(),
            ItemType::With => return Ok(Parsed::Node(Node::With(self.parse_control("with")?))),
            _ => {}
        }
        self.backup();
        Ok(Parsed::Node(Node::Action(
            self.pipeline("command", ItemType::RightDelim)?,
        )))
    }

    fn break_control(&mut self, pos: usize, kw: &str) -> PResult<Parsed> {
        let t = self.next_non_space();
        if t.typ != ItemType::RightDelim {
            return Err(self.unexpected(&t, &format!("{{{{{kw}}}}}")));
        }
        if self.range_depth == 0 {
            return Err(self.errorf(format!("{{{{{kw}}}}} outside {{{{range}}}}")));
        }
        Ok(Parsed::Node(if kw == "break" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        }))
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            // `{{else if ...` is `{{else}}{{if ...`: leave the keyword pending.
            return Ok(Parsed::Else(peek.typ));
        }
        self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(ItemType::RightDelim))
    }

    fn parse_control(&mut self, context: &str) -> PResult<Control> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        match next {
            Parsed::End => {}
            Parsed::Else(kw) => {
                let chained = (context == "if" && kw == ItemType::If)
                    || (context == "with" && kw == ItemType::With);
                if chained {
                    // Consume the keyword and parse the chained control; its {{end}} ends us.
                    self.next_non_space();
                    let inner = self.parse_control(context)?;
                    else_list = Some(vec![if context == "if" {
                        Node::If(inner)
                    } else {
                        Node::With(inner)
                    }]);
                } else {
                    if kw != ItemType::RightDelim {
                        // `{{else if}}` in a range: Go reads it as {{else}} then an if.
                        let t = self.next_non_space();
                        return Err(self.unexpected(&t, "input"));
                    }
                    let (el, next) = self.item_list()?;
                    if !matches!(next, Parsed::End) {
                        return Err(self.errorf(format!("expected end; found {}", next.describe())));
                    }
                    else_list = Some(el);
                }
            }
            Parsed::Node(_) => {}
        }
        self.vars.truncate(mark);
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn block_control(&mut self) -> PResult<Parsed> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!("unexpected {} in {}", end.describe(), context)));
        }
        let line = self.item(self.max_seen).line;
        self.defined.push((name.clone(), list, line));
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        Ok(Parsed::Node(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        }))
    }

    fn template_control(&mut self) -> PResult<Parsed> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, context)?;
        let pipe = if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            Some(self.pipeline(context, ItemType::RightDelim)?)
        } else {
            None
        };
        Ok(Parsed::Node(Node::Template {
            pos: token.pos,
            name,
            pipe,
        }))
    }

    fn template_name(&mut self, token: &Item, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => {
                unquote(&token.val).map_err(|e| self.errorf(e))
            }
            _ => Err(self.unexpected(token, context)),
        }
    }

    fn pipeline(&mut self, context: &str, _end: ItemType) -> PResult<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations or assignments.
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let save = self.idx;
            self.next_non_space();
            let after = self.peek_type();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val.clone());
                break;
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val.clone());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue;
                        }
                        _ => return Err(self.errorf("range can only initialize variables".into())),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else {
                let _ = after;
                self.idx = save;
                break;
            }
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                ItemType::RightDelim | ItemType::RightParen => {
                    self.check_pipeline(&pipe, context)?;
                    if token.typ == ItemType::RightParen {
                        self.backup();
                    }
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Complex
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                ItemType::Error => return Err(self.lex_error(&token)),
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(a) = c.args.first()
                && matches!(
                    a.kind,
                    ArgKind::Bool(_)
                        | ArgKind::Dot
                        | ArgKind::Nil
                        | ArgKind::Number(_)
                        | ArgKind::String(..)
                )
            {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Cmd> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Cmd {
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
                ItemType::Error => return Err(self.lex_error(&token)),
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.errorf(format!("unexpected {} in operand", token.describe()))),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek_type() == ItemType::Field {
            let chain_pos = self.peek().pos;
            let mut fields = Vec::new();
            while self.peek_type() == ItemType::Field {
                let t = self.next();
                fields.push(t.val[1..].to_string());
            }
            let kind = match node.kind {
                ArgKind::Field(mut names) => {
                    names.extend(fields);
                    ArgKind::Field(names)
                }
                ArgKind::Variable(mut names) => {
                    names.extend(fields);
                    ArgKind::Variable(names)
                }
                ArgKind::Bool(_)
                | ArgKind::String(..)
                | ArgKind::Number(_)
                | ArgKind::Nil
                | ArgKind::Dot => {
                    return Err(self.errorf(format!(
                        "unexpected . after term {}",
                        crate::fmt::quote_go(&node.to_string())
                    )));
                }
                other => ArgKind::Chain(
                    Box::new(Arg {
                        pos: node.pos,
                        kind: other,
                    }),
                    fields,
                ),
            };
            return Ok(Some(Arg {
                pos: chain_pos,
                kind,
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        let kind = match token.typ {
            ItemType::Error => return Err(self.lex_error(&token)),
            ItemType::Identifier => {
                if !(self.has_func)(&token.val) {
                    return Err(self.errorf_at(
                        token.pos,
                        format!("function {} not defined", crate::fmt::quote_go(&token.val)),
                    ));
                }
                ArgKind::Identifier(token.val.clone())
            }
            ItemType::Dot => ArgKind::Dot,
            ItemType::Nil => ArgKind::Nil,
            ItemType::Variable => {
                if !self.vars.contains(&token.val) {
                    return Err(self.errorf_at(
                        token.pos,
                        format!("undefined variable {}", crate::fmt::quote_go(&token.val)),
                    ));
                }
                ArgKind::Variable(vec![token.val.clone()])
            }
            ItemType::Field => ArgKind::Field(vec![token.val[1..].to_string()]),
            ItemType::Bool => ArgKind::Bool(token.val == "true"),
            ItemType::CharConstant | ItemType::Number | ItemType::Complex => {
                let n = match token.typ {
                    ItemType::Complex => parse_complex_pair(&token.val),
                    typ => parse_number(&token.val, typ == ItemType::CharConstant),
                }
                .map_err(|e| self.errorf(e))?;
                ArgKind::Number(Box::new(n))
            }
            ItemType::LeftParen => {
                self.paren_depth += 1;
                if self.paren_depth > MAX_PAREN_DEPTH {
                    return Err(self.errorf("max expression depth exceeded".into()));
                }
                let pipe = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.paren_depth -= 1;
                let pipe = pipe?;
                let t = self.next();
                if t.typ != ItemType::RightParen {
                    return Err(
                        self.errorf(format!("unclosed right paren: unexpected {}", t.describe()))
                    );
                }
                ArgKind::Pipe(Box::new(pipe))
            }
            ItemType::String | ItemType::RawString => {
                let s = unquote(&token.val).map_err(|e| self.errorf(e))?;
                ArgKind::String(token.val.clone(), Arc::from(s))
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(Arg { pos, kind }))
    }
}

enum Parsed {
    Node(Node),
    End,
    /// `{{else}}`, or `{{else if`/`{{else with` with the keyword left pending.
    Else(ItemType),
}

impl Parsed {
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End => "{{end}}".into(),
            Parsed::Else(_) => "{{else}}".into(),
        }
    }
}

/// Go's `strconv.Unquote` for the three quote styles.
pub fn unquote(s: &str) -> Result<String, String> {
    let bad = || "invalid syntax".to_string();
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(bad());
    }
    let q = b[0];
    if q != b[b.len() - 1] {
        return Err(bad());
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err(bad());
            }
            Ok(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            // Go strings hold bytes: `\xff` is one byte, and `\xc3\xa9` is "é".
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let push = |out: &mut Vec<u8>, c: char| {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            };
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                if c == q as char {
                    return Err(bad());
                }
                if c == '\n' {
                    return Err(bad());
                }
                if c != '\\' {
                    push(&mut out, c);
                    continue;
                }
                let e = chars.next().ok_or_else(bad)?;
                match e {
                    'a' => out.push(0x07),
                    'b' => out.push(0x08),
                    'f' => out.push(0x0c),
                    'n' => out.push(b'\n'),
                    'r' => out.push(b'\r'),
                    't' => out.push(b'\t'),
                    'v' => out.push(0x0b),
                    '\\' => out.push(b'\\'),
                    '\'' if q == b'\'' => out.push(b'\''),
                    '"' if q == b'"' => out.push(b'"'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut v: u32 = 0;
                        for _ in 0..n {
                            let d = chars.next().and_then(|c| c.to_digit(16)).ok_or_else(bad)?;
                            v = v * 16 + d;
                        }
                        if e == 'x' {
                            if q == b'\'' {
                                push(&mut out, char::from_u32(v).ok_or_else(bad)?);
                            } else {
                                out.push(v as u8);
                            }
                        } else {
                            push(&mut out, char::from_u32(v).ok_or_else(bad)?);
                        }
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let d = chars.next().and_then(|c| c.to_digit(8)).ok_or_else(bad)?;
                            v = v * 8 + d;
                        }
                        if v > 255 {
                            return Err(bad());
                        }
                        out.push(v as u8);
                    }
                    _ => return Err(bad()),
                }
            }
            let out = rudder_gocompat::gostr::from_vec(out);
            if q == b'\'' && out.chars().count() != 1 {
                return Err(bad());
            }
            Ok(out)
        }
        _ => Err(bad()),
    }
}

fn parse_go_int(text: &str) -> Option<(bool, u64)> {
    let (neg, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) =
        if let Some(r) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
            (2, r)
        } else if rest.len() > 1 && rest.starts_with('0') {
            (8, &rest[1..])
        } else {
            (10, rest)
        };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let v = u64::from_str_radix(&clean, radix).ok()?;
    Some((neg, v))
}

/// Go's `parse.NumberNode` construction: the constant's int, uint and float readings.
pub fn parse_number(text: &str, is_char: bool) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        uint: 0,
        float: 0.0,
        complex: (0.0, 0.0),
    };
    if is_char {
        let s = unquote(text)?;
        let c = s.chars().next().ok_or("invalid syntax")?;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        n.int = c as i64;
        n.uint = c as u64;
        n.float = c as u32 as f64;
        return Ok(n);
    }
    // An imaginary constant: the text before the `i` must be a float for `strconv.ParseFloat`
    // (no octal or binary prefixes, hexadecimal only with a `p` exponent, finite).
    if let Some(body) = text.strip_suffix('i') {
        if let Some(f) = parse_go_float(body) {
            n.complex = (0.0, f);
            n.simplify_complex();
            return Ok(n);
        }
        return Err(format!(
            "illegal number syntax: {}",
            crate::fmt::quote_go(text)
        ));
    }
    if let Some((neg, v)) = parse_go_int(text) {
        if !neg {
            n.is_uint = true;
            n.uint = v;
            if v <= i64::MAX as u64 {
                n.is_int = true;
                n.int = v as i64;
            }
        } else if v <= i64::MAX as u64 + 1 {
            n.is_int = true;
            n.int = (v as i64).wrapping_neg();
            if n.int == 0 {
                n.is_uint = true;
            }
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::fmt::quote_go(text)));
        }
        n.is_float = true;
        n.float = f;
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            n.is_int = true;
            n.int = f as i64;
        }
        if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::fmt::quote_go(text)
        ));
    }
    Ok(n)
}

impl Number {
    /// Go's `simplifyComplex`: a complex constant with no imaginary part is also a float, and
    /// an int or uint when its real part is integral and in range.
    fn simplify_complex(&mut self) {
        self.is_complex = true;
        let (re, im) = self.complex;
        self.is_float = im == 0.0;
        if self.is_float {
            self.float = re;
            self.is_int = re.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(63)).contains(&re);
            if self.is_int {
                self.int = re as i64;
            }
            self.is_uint = re.fract() == 0.0 && re >= 0.0 && re < 2f64.powi(64);
            if self.is_uint {
                self.uint = re as u64;
            }
        }
    }
}

/// A complex pair constant (`1+2i`, `-1.5-0.5i`) read as `fmt.Sscan` reads a `complex128`;
/// errors are Sscan's (`syntax error scanning complex number`, strconv's `invalid syntax`).
pub fn parse_complex_pair(text: &str) -> Result<Number, String> {
    let (re, im) = sscan_complex(text)?;
    let mut n = Number {
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: true,
        int: 0,
        uint: 0,
        float: 0.0,
        complex: (re, im),
    };
    n.simplify_complex();
    Ok(n)
}

/// The scanner state of `fmt`'s complex scanning: a cursor over the text.
struct ComplexScan<'a> {
    s: &'a [u8],
    i: usize,
    buf: String,
}

impl ComplexScan<'_> {
    /// Consumes the next byte if it is one of `ok`, keeping it in the token buffer.
    fn accept(&mut self, ok: &str) -> bool {
        match self.s.get(self.i) {
            Some(&c) if ok.as_bytes().contains(&c) => {
                self.buf.push(c as char);
                self.i += 1;
                true
            }
            _ => false,
        }
    }

    /// `fmt`'s `floatToken`: NaN, a sign, Inf, digits, a fraction and an exponent.
    fn float_token(&mut self) -> String {
        self.buf.clear();
        if self.accept("nN") && self.accept("aA") && self.accept("nN") {
            return self.buf.clone();
        }
        self.accept("+-");
        if self.accept("iI") && self.accept("nN") && self.accept("fF") {
            return self.buf.clone();
        }
        let (mut digits, mut exp) = ("0123456789_", "eEpP");
        if self.accept("0") && self.accept("xX") {
            digits = "0123456789aAbBcCdDeEfF_";
            exp = "pP";
        }
        while self.accept(digits) {}
        if self.accept(".") {
            while self.accept(digits) {}
        }
        if self.accept(exp) {
            self.accept("+-");
            while self.accept("0123456789_") {}
        }
        self.buf.clone()
    }
}

const COMPLEX_SYNTAX: &str = "syntax error scanning complex number";

fn sscan_complex(text: &str) -> Result<(f64, f64), String> {
    let mut sc = ComplexScan {
        s: text.trim_start().as_bytes(),
        i: 0,
        buf: String::new(),
    };
    if sc.s.is_empty() {
        return Err("unexpected EOF".into());
    }
    let parens = sc.accept("(");
    let real = sc.float_token();
    sc.buf.clear();
    if !sc.accept("+-") {
        return Err(COMPLEX_SYNTAX.into());
    }
    let sign = sc.buf.clone();
    let imag = sc.float_token();
    if !sc.accept("i") || (parens && !sc.accept(")")) {
        return Err(COMPLEX_SYNTAX.into());
    }
    Ok((scan_float(&real)?, scan_float(&format!("{sign}{imag}"))?))
}

/// `fmt`'s `convertFloat` for a 64-bit part, with strconv's error text: hexadecimal parts
/// need a `p` exponent, a decimal mantissa with a `p` exponent is scaled by a power of two.
fn scan_float(tok: &str) -> Result<f64, String> {
    let err = |what: &str| {
        format!(
            "strconv.ParseFloat: parsing {}: {what}",
            crate::fmt::quote_go(tok)
        )
    };
    let lower = tok.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if unsigned == "nan" || unsigned == "inf" {
        return Ok(match (unsigned, tok.starts_with('-')) {
            ("nan", _) => f64::NAN,
            (_, true) => f64::NEG_INFINITY,
            _ => f64::INFINITY,
        });
    }
    if unsigned.starts_with("0x") {
        return parse_go_float(tok).ok_or_else(|| err("invalid syntax"));
    }
    if let Some((mantissa, exp)) = tok.split_once('p') {
        let m = scan_float(mantissa).map_err(|_| err("invalid syntax"))?;
        let e: i32 = exp.parse().map_err(|_| {
            format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                crate::fmt::quote_go(tok)
            )
        })?;
        return Ok(m * 2f64.powi(e));
    }
    let clean: String = tok.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || clean == "+" || clean == "-" {
        return Err(err("invalid syntax"));
    }
    match clean.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        Ok(_) => Err(err("value out of range")),
        Err(_) => Err(err("invalid syntax")),
    }
}

fn parse_go_float(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if clean.contains(['x', 'X']) {
        return parse_hex_float(&clean);
    }
    if clean.contains(['p', 'P']) {
        return None;
    }
    clean.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Go's hexadecimal floating-point literal: `0x1p60`, `-0x1.8p-3` (the `p` exponent is
/// required; it scales by a power of two).
fn parse_hex_float(text: &str) -> Option<f64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))?;
    let (mantissa, exp) = body.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in whole.chars().chain(frac.chars()) {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let scale = exp.checked_sub(4 * i32::try_from(frac.len()).ok()?)?;
    let v = value * 2f64.powi(scale);
    v.is_finite().then_some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
    }

    #[test]
    fn parses_and_prints() {
        let t = parse(
            "t",
            "{{ $x := .a.b | f 1 \"s\" }}{{ if .c }}x{{ else if .d }}y{{ end }}",
            &all,
        )
        .expect("parse");
        assert_eq!(t[0].root[0].to_string(), "{{$x := .a.b | f 1 \"s\"}}");
        assert_eq!(
            t[0].root[1].to_string(),
            "{{if .c}}x{{else}}{{if .d}}y{{end}}{{end}}"
        );
    }

    #[test]
    fn errors() {
        let e = parse("t", "{{ if }}", &all).unwrap_err();
        assert_eq!(e.message, "template: t:1: missing value for if");
        let e = parse("t", "{{ nope }}", &|n| n != "nope").unwrap_err();
        assert_eq!(e.message, "template: t:1: function \"nope\" not defined");
    }

    #[test]
    fn lexer_error_after_paren_ends() {
        // Found by fuzzing: this recursed until the stack overflowed.
        let e = parse("t", "{{ (\u{fffd}x) }}", &all).unwrap_err();
        assert!(
            e.message.contains("unrecognized character in action"),
            "{}",
            e.message
        );
    }

    #[test]
    fn numbers() {
        let n = parse_number("1.0", false).expect("number");
        assert!(n.is_int && n.is_float);
        assert!(parse_number("0x10", false).expect("hex").int == 16);
        assert_eq!(
            parse_number("0x1p60", false).expect("hex float").float,
            2f64.powi(60)
        );
        assert_eq!(
            parse_number("0x1.8p1", false).expect("hex float").float,
            3.0
        );
        assert!(parse_number("99999999999999999999", false).is_err());
    }

    #[test]
    fn complex_numbers() {
        let n = parse_number("2.5i", false).expect("imaginary");
        assert!(n.is_complex && !n.is_float && n.complex == (0.0, 2.5));
        let n = parse_number("0i", false).expect("zero imaginary");
        assert!(n.is_complex && n.is_int && n.int == 0);
        assert!(parse_number("0x10i", false).is_err());
        assert!(parse_number("0o17i", false).is_err());
        assert_eq!(
            parse_number("017i", false).expect("decimal").complex,
            (0.0, 17.0)
        );
        let n = parse_complex_pair("1+2i").expect("pair");
        assert!(n.is_complex && !n.is_int && n.complex == (1.0, 2.0));
        let n = parse_complex_pair("3-0i").expect("real pair");
        assert!(n.is_int && n.int == 3 && n.is_uint && n.complex == (3.0, -0.0));
        let n = parse_complex_pair("9223372036854775807+0i").expect("big");
        assert!(!n.is_int && n.is_uint);
        assert_eq!(
            parse_complex_pair("1+0x1p4i").expect("hex imag").complex,
            (1.0, 16.0)
        );
        for (pair, err) in [
            (
                "0x10+1i",
                "strconv.ParseFloat: parsing \"0x10\": invalid syntax",
            ),
            ("1i+2i", "syntax error scanning complex number"),
            ("1+i", "syntax error scanning complex number"),
            (
                "1e400+1i",
                "strconv.ParseFloat: parsing \"1e400\": value out of range",
            ),
        ] {
            assert_eq!(parse_complex_pair(pair).unwrap_err(), err, "{pair}");
        }
    }
}
