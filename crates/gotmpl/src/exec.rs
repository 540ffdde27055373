//! The executor of Go's text/template: walks parsed trees over [`Value`]s the way
//! `text/template/exec.go` walks `reflect.Value`s, with the same error texts.

use std::collections::HashMap;
use std::sync::Arc;

use crate::fmt::quote_go;
use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::builtins::{self, Special};
use crate::parse::{Arg, ArgKind, Cmd, Control, Node, Number, Pipe, Tree};
use crate::value::{Map, MapType, Value};

/// Helm's limit on nested `include`s of one name.
const RECURSION_MAX: usize = 1000;
/// Go's limit on nested `template` calls, as its error message names it.
const GO_MAX_EXEC_DEPTH: usize = 100_000;
/// Where we stop: Go's limit would need a stack no WASM instance has. Only an endless
/// recursion gets this deep, and it fails with the same message at the same node.
const MAX_EXEC_DEPTH: usize = 1_000;
/// How deep in-place changes are followed into nested maps and lists (see `materialize_at`).
const MAX_MATERIALIZE_DEPTH: usize = 1_000;
/// The methods of Helm's `common.Values`, which come before its keys.
const VALUES_METHODS: [&str; 5] = ["AsMap", "Encode", "PathValue", "Table", "YAML"];
/// How deep a merge's in-place changes to nested maps are recorded (see `forward_changes`).
const MAX_FORWARD_DEPTH: usize = 64;

/// An error as Go builds it: its text and the error it wraps (`errors.Unwrap`).
#[derive(Debug, Clone)]
pub struct GoErr {
    pub text: String,
    pub next: Option<Box<GoErr>>,
    /// For template execution errors: where it happened.
    pub at: Option<ErrPos>,
}

/// The place of an execution error, for the host's caret display.
#[derive(Debug, Clone)]
pub struct ErrPos {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub source_line: String,
    pub template: String,
}

impl GoErr {
    pub fn plain(text: impl Into<String>) -> GoErr {
        GoErr {
            text: text.into(),
            next: None,
            at: None,
        }
    }

    /// `fmt.Errorf("prefix: %w", cause)`.
    pub fn wrap(prefix: &str, cause: GoErr) -> GoErr {
        GoErr {
            text: format!("{prefix}: {}", cause.text),
            next: Some(Box::new(cause)),
            at: None,
        }
    }

    /// The innermost position in the chain.
    pub fn innermost_pos(&self) -> Option<&ErrPos> {
        let mut best = self.at.as_ref();
        let mut cur = self.next.as_deref();
        while let Some(e) = cur {
            if e.at.is_some() {
                best = e.at.as_ref();
            }
            cur = e.next.as_deref();
        }
        best
    }

    /// Template names from the innermost error outwards.
    pub fn call_stack(&self) -> Vec<String> {
        let mut v = Vec::new();
        let mut cur = Some(self);
        while let Some(e) = cur {
            if let Some(p) = &e.at
                && v.last() != Some(&p.template)
            {
                v.push(p.template.clone());
            }
            cur = e.next.as_deref();
        }
        v.reverse();
        v
    }
}

pub enum Flow {
    Break,
    Continue,
    Err(Box<GoErr>),
}

impl From<GoErr> for Flow {
    fn from(e: GoErr) -> Flow {
        Flow::Err(Box::new(e))
    }
}

type R<T> = Result<T, Flow>;

/// A value as the executor holds it. `iface` marks a value read out of an `interface{}`
/// container (a map or list element): a nil one is Go's nil interface, which errors on field
/// access, while a nil that is not `iface` is an invalid (absent) value, which does not.
#[derive(Clone, Default, Debug)]
pub struct V {
    pub v: Value,
    pub iface: bool,
}

impl V {
    pub fn val(v: Value) -> V {
        V { v, iface: false }
    }

    fn elem(v: Value) -> V {
        V { v, iface: true }
    }

    fn is_invalid(&self) -> bool {
        matches!(self.v, Value::Nil) && !self.iface
    }

    /// The static type Go's errors name: `interface {}` for container elements.
    fn static_type(&self) -> String {
        if self.iface {
            "interface {}".into()
        } else {
            self.v.type_name()
        }
    }
}

/// A set of named templates, possibly layered over another one (`tpl` adds its `define`s
/// to a copy of the set; here it gets a layer instead of a copy).
pub struct Set<'p> {
    pub trees: HashMap<String, Arc<Tree>>,
    pub parent: Option<&'p Set<'p>>,
}

impl<'p> Set<'p> {
    pub fn new() -> Set<'static> {
        Set {
            trees: HashMap::new(),
            parent: None,
        }
    }

    pub fn lookup(&self, name: &str) -> Option<Arc<Tree>> {
        let mut cur = Some(self);
        while let Some(s) = cur {
            if let Some(t) = s.trees.get(name) {
                return Some(t.clone());
            }
            cur = s.parent;
        }
        None
    }

    /// Go's `AddParseTree`: a later tree replaces an earlier one unless it is empty.
    pub fn add(&mut self, tree: Tree) {
        if tree.is_empty() && self.lookup(&tree.name).is_some() {
            return;
        }
        self.trees.insert(tree.name.clone(), Arc::new(tree));
    }
}

/// Whether a name is a function templates can call.
pub fn has_function(name: &str) -> bool {
    crate::funcs::find(name).is_some()
}

/// Functions that change their first argument in place (Go maps are references).
fn mutates_first_arg(name: &str) -> bool {
    matches!(
        name,
        "set" | "unset" | "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite"
    )
}

/// Functions that only look at the top level of their arguments or store them, so they need
/// not see in-place changes made deeper down (those are resolved when read).
fn shallow_args(name: &str) -> bool {
    matches!(
        name,
        "dict"
            | "list"
            | "tuple"
            | "set"
            | "unset"
            | "hasKey"
            | "get"
            | "index"
            | "include"
            | "tpl"
            | "required"
            | "default"
            | "empty"
            | "coalesce"
            | "ternary"
            | "typeOf"
            | "kindOf"
            | "kindIs"
            | "typeIs"
            | "not"
            | "len"
            | "pluck"
            | "keys"
            | "dig"
            | "append"
            | "push"
            | "prepend"
            | "first"
            | "last"
            | "rest"
            | "initial"
            | "fail"
            | "lookup"
            | "isAbs"
    )
}

/// Execution settings and per-render state shared by every template of a render.
pub struct Exec<'a> {
    pub strict: bool,
    pub ctx: FuncCtx<'a>,
    pub include_counts: HashMap<String, usize>,
    /// The name `tpl` gives its templates (`gotpl`, Helm's root template).
    pub root_name: String,
    /// Maps changed "in place" by `set`, `unset`, `merge`...: the address of the old map
    /// (kept alive here) to its new version. Reads resolve through it, which gives Go's
    /// reference semantics for maps without mutable values.
    pub forward: HashMap<usize, (Value, Value)>,
}

impl<'a> Exec<'a> {
    pub fn new(ctx: FuncCtx<'a>, strict: bool, root_name: &str) -> Exec<'a> {
        Exec {
            strict,
            ctx,
            include_counts: HashMap::new(),
            root_name: root_name.to_string(),
            forward: HashMap::new(),
        }
    }
}

/// The node Go's `state.at` points at: errors name it and its position.
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Arg(&'t Arg),
    Cmd(&'t Cmd),
    Pipe(&'t Pipe),
    Node(&'t Node),
}

impl At<'_> {
    fn pos(&self) -> Option<usize> {
        match self {
            At::None => None,
            At::Arg(a) => Some(a.pos),
            At::Cmd(c) => Some(c.pos),
            At::Pipe(p) => Some(p.pos),
            At::Node(n) => Some(match n {
                Node::Template { pos, .. } | Node::Break(pos) | Node::Continue(pos) => *pos,
                Node::Action(p) => p.pos,
                Node::If(c) | Node::Range(c) | Node::With(c) => c.pipe.pos,
                Node::Text(_) => 0,
            }),
        }
    }

    fn context(&self) -> String {
        match self {
            At::None => String::new(),
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Node(n) => n.to_string(),
        }
    }
}

struct Scope<'t> {
    tmpl: &'t Tree,
    vars: Vec<(&'t str, V)>,
    depth: usize,
    at: At<'t>,
}

impl<'a> Exec<'a> {
    /// Executes the template `name` of `set` (Go's `ExecuteTemplate`).
    pub fn execute_template(
        &mut self,
        set: &Set<'_>,
        name: &str,
        dot: V,
        out: &mut String,
    ) -> Result<(), GoErr> {
        let Some(tree) = set.lookup(name) else {
            return Err(GoErr::plain(format!(
                "template: no template {} associated with template {}",
                quote_go(name),
                quote_go(&self.root_name)
            )));
        };
        let mut sc = Scope {
            tmpl: &tree,
            vars: vec![("$", dot.clone())],
            depth: 0,
            at: At::None,
        };
        match self.walk(set, &mut sc, &dot, &tree.root, out) {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(*e),
            Err(_) => Ok(()),
        }
    }

    /// The current version of a map changed in place.
    pub(crate) fn fwd(&self, mut v: Value) -> Value {
        if self.forward.is_empty() {
            return v;
        }
        // The table has no cycles (see `record_change`), so a chain is never longer than
        // the table; the bound only makes that visible.
        for _ in 0..=self.forward.len() {
            let (m, named) = match &v {
                Value::Map(m) => (m, None),
                Value::NamedMap(t, m) => (m, Some(*t)),
                _ => break,
            };
            match self.forward.get(&map_addr(m)) {
                // The map changed in place: its type stays.
                Some((_, n)) => match (named, n) {
                    (Some(t), Value::Map(nm)) => v = Value::NamedMap(t, nm.clone()),
                    _ => v = n.clone(),
                },
                None => break,
            }
        }
        v
    }

    fn fwd_v(&self, v: V) -> V {
        V {
            v: self.fwd(v.v),
            iface: v.iface,
        }
    }

    /// The value with every in-place change applied at every depth.
    fn materialize(&self, v: Value) -> Value {
        self.materialize_at(v, 0, &mut false)
    }

    /// [`Self::materialize`] down to [`MAX_MATERIALIZE_DEPTH`] levels; deeper, values stay
    /// as they are and `too_deep` is set. Only a map that now contains itself (`set $d "a" $d`,
    /// `mergeOverwrite .Values .`) goes that deep: Go's data is then cyclic, which `len` or
    /// `hasKey` handle but printing does not (Helm dies of a stack overflow).
    fn materialize_at(&self, v: Value, depth: usize, too_deep: &mut bool) -> Value {
        if self.forward.is_empty() {
            return v;
        }
        if depth >= MAX_MATERIALIZE_DEPTH {
            *too_deep = true;
            return v;
        }
        let v = self.fwd(v);
        if let Value::NamedMap(t, m) = v {
            return match self.materialize_at(Value::Map(m), depth, too_deep) {
                Value::Map(m) => Value::NamedMap(t, m),
                other => other,
            };
        }
        match v {
            Value::Map(m) => {
                let mut changed: Option<crate::value::Map> = None;
                for (k, x) in m.iter() {
                    if matches!(x, Value::Map(_) | Value::List(_) | Value::NamedMap(..)) {
                        let nx = self.materialize_at(x.clone(), depth + 1, too_deep);
                        if !same(&nx, x) {
                            changed
                                .get_or_insert_with(|| (*m).clone())
                                .insert(k.clone(), nx);
                        }
                    }
                }
                match changed {
                    Some(c) => Value::map(c),
                    None => Value::Map(m),
                }
            }
            Value::List(l) => {
                let mut changed: Option<Vec<Value>> = None;
                for (i, x) in l.iter().enumerate() {
                    if matches!(x, Value::Map(_) | Value::List(_) | Value::NamedMap(..)) {
                        let nx = self.materialize_at(x.clone(), depth + 1, too_deep);
                        if !same(&nx, x) {
                            changed.get_or_insert_with(|| (*l).clone())[i] = nx;
                        }
                    }
                }
                match changed {
                    Some(c) => Value::list(c),
                    None => Value::List(l),
                }
            }
            other => other,
        }
    }

    /// Records that the map `old` became `new` in place: every alias of `old` (or of an
    /// older version of it) reads `new` from now on. Both ends are first resolved to their
    /// current versions, so an entry always goes from a current version to a current
    /// version: the table stays a set of chains without cycles, whatever order changes come
    /// in (a parent changed after its child holds the child's old version). Returns whether
    /// an entry was added.
    pub(crate) fn record_change(&mut self, old: &Value, new: &Value) -> bool {
        let (old, new) = (self.fwd(old.clone()), self.fwd(new.clone()));
        let (Some(o), Some(n)) = (old.as_map(), new.as_map()) else {
            return false;
        };
        // A nil map is never changed in place (merging into it makes a new map).
        if Arc::ptr_eq(o, n) || Value::is_nil_map(o) {
            return false;
        }
        let key = map_addr(o);
        let (o, n) = (Value::Map(o.clone()), Value::Map(n.clone()));
        self.forward.insert(key, (o, n));
        true
    }

    /// Records the in-place change a map-changing function made to its first argument:
    /// `old` as the template passed it (not materialized), `new` what the function returned.
    /// `set` and `unset` change only the map itself (a key they set to another map replaces
    /// it; the old one stays as it was). The merge functions also merge into the maps nested
    /// in the destination, so those are followed too: each old map once, at most
    /// [`MAX_FORWARD_DEPTH`] levels deep, so the work is bounded by the size of `old`.
    fn forward_changes(&mut self, old: &Value, new: &Value, deep: bool) {
        let mut seen = std::collections::HashSet::new();
        self.forward_changes_at(old, new, deep, 0, &mut seen);
    }

    fn forward_changes_at(
        &mut self,
        old: &Value,
        new: &Value,
        deep: bool,
        depth: usize,
        seen: &mut std::collections::HashSet<usize>,
    ) {
        let (old, new) = (self.fwd(old.clone()), self.fwd(new.clone()));
        let (Some(o), Some(n)) = (old.as_map(), new.as_map()) else {
            return;
        };
        if Arc::ptr_eq(o, n) || !seen.insert(map_addr(o)) {
            return;
        }
        if deep && depth < MAX_FORWARD_DEPTH {
            for (k, ov) in o.iter() {
                if let (Value::Map(_), Some(nv @ Value::Map(_))) = (ov, n.get(k)) {
                    self.forward_changes_at(ov, nv, deep, depth + 1, seen);
                }
            }
        }
        self.record_change(&old, &new);
    }

    fn errorf(&self, sc: &Scope<'_>, msg: String) -> Flow {
        self.error_with(sc, msg, None)
    }

    fn error_with(&self, sc: &Scope<'_>, msg: String, cause: Option<GoErr>) -> Flow {
        let Some(pos) = sc.at.pos() else {
            let text = format!("template: {}: {msg}", sc.tmpl.name);
            return Flow::Err(Box::new(GoErr {
                text,
                next: cause.map(Box::new),
                at: None,
            }));
        };
        let (loc, line, col) = sc.tmpl.location(pos);
        let text = format!(
            "template: {loc}: executing {} at <{}>: {msg}",
            quote_go(&sc.tmpl.name),
            sc.at.context()
        );
        Flow::Err(Box::new(GoErr {
            text,
            next: cause.map(Box::new),
            at: Some(ErrPos {
                file: sc.tmpl.parse_name.to_string(),
                line: line as u32,
                column: col as u32,
                source_line: sc.tmpl.source_line(pos),
                template: sc.tmpl.name.clone(),
            }),
        }))
    }

    fn walk<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        list: &'t [Node],
        out: &mut String,
    ) -> R<()> {
        for node in list {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Action(pipe) => {
                    let v = self.eval_pipeline(set, sc, dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print_value(sc, v, out)?;
                    }
                }
                Node::If(c) | Node::With(c) => {
                    let is_with = matches!(node, Node::With(_));
                    let mark = sc.vars.len();
                    let v = self.eval_pipeline(set, sc, dot, &c.pipe)?;
                    let r = if v.v.truthy() {
                        if is_with {
                            self.walk(set, sc, &v, &c.list, out)
                        } else {
                            self.walk(set, sc, dot, &c.list, out)
                        }
                    } else if let Some(e) = &c.else_list {
                        self.walk(set, sc, dot, e, out)
                    } else {
                        Ok(())
                    };
                    sc.vars.truncate(mark);
                    r?;
                }
                Node::Range(c) => {
                    let mark = sc.vars.len();
                    let r = self.walk_range(set, sc, dot, node, c, out);
                    sc.vars.truncate(mark);
                    r?;
                }
                Node::Template { name, pipe, .. } => {
                    sc.at = At::Node(node);
                    let Some(tree) = set.lookup(name) else {
                        return Err(
                            self.errorf(sc, format!("template {} not defined", quote_go(name)))
                        );
                    };
                    if sc.depth >= MAX_EXEC_DEPTH {
                        return Err(self.errorf(
                            sc,
                            format!("exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})"),
                        ));
                    }
                    let new_dot = match pipe {
                        Some(p) => self.eval_pipeline(set, sc, dot, p)?,
                        None => V::default(),
                    };
                    let mut inner = Scope {
                        tmpl: &tree,
                        vars: vec![("$", new_dot.clone())],
                        depth: sc.depth + 1,
                        at: At::None,
                    };
                    match self.walk(set, &mut inner, &new_dot, &tree.root, out) {
                        Ok(()) | Err(Flow::Break) | Err(Flow::Continue) => {}
                        Err(e) => return Err(e),
                    }
                }
                Node::Break(_) => return Err(Flow::Break),
                Node::Continue(_) => return Err(Flow::Continue),
            }
        }
        Ok(())
    }

    fn walk_range<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        node: &'t Node,
        c: &'t Control,
        out: &mut String,
    ) -> R<()> {
        sc.at = At::Node(node);
        let val = self.eval_pipeline(set, sc, dot, &c.pipe)?;
        let val = self.fwd(val.v);
        let mark = sc.vars.len();
        let decl = &c.pipe.decl;
        let one =
            |this: &mut Self, sc: &mut Scope<'t>, index: V, elem: V, out: &mut String| -> R<bool> {
                let elem = this.fwd_v(elem);
                if !decl.is_empty() {
                    if c.pipe.is_assign {
                        let first = if decl.len() > 1 {
                            index.clone()
                        } else {
                            elem.clone()
                        };
                        this.set_var(sc, &decl[0], first)?;
                    } else {
                        let n = sc.vars.len();
                        if n >= 1 {
                            sc.vars[n - 1].1 = elem.clone();
                        }
                    }
                }
                if decl.len() > 1 {
                    if c.pipe.is_assign {
                        this.set_var(sc, &decl[1], elem.clone())?;
                    } else {
                        let n = sc.vars.len();
                        if n >= 2 {
                            sc.vars[n - 2].1 = index;
                        }
                    }
                }
                let r = this.walk(set, sc, &elem, &c.list, out);
                sc.vars.truncate(mark);
                match r {
                    Ok(()) | Err(Flow::Continue) => Ok(true),
                    Err(Flow::Break) => Ok(false),
                    Err(e) => Err(e),
                }
            };
        let mut ran = false;
        match &val {
            Value::Int(n) | Value::Int64(n) => {
                if decl.len() > 1 {
                    return Err(self.errorf(
                        sc,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                let int = matches!(val, Value::Int(_));
                for i in 0..*n {
                    ran = true;
                    let x = if int { Value::Int(i) } else { Value::Int64(i) };
                    if !one(self, sc, V::val(x.clone()), V::val(x), out)? {
                        break;
                    }
                }
            }
            Value::Uint64(n) => {
                if decl.len() > 1 {
                    return Err(self.errorf(
                        sc,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                for i in 0..*n {
                    ran = true;
                    if !one(
                        self,
                        sc,
                        V::val(Value::Uint64(i)),
                        V::val(Value::Uint64(i)),
                        out,
                    )? {
                        break;
                    }
                }
            }
            Value::Nil => {}
            Value::Object(o) if o.entries().is_none() && !o.truthy() => {}
            other => {
                let Some(pairs) = range_pairs(other) else {
                    return Err(self.errorf(
                        sc,
                        format!("range can't iterate over {}", crate::fmt::to_v(other)),
                    ));
                };
                for (index, elem) in pairs {
                    ran = true;
                    if !one(self, sc, index, elem, out)? {
                        break;
                    }
                }
            }
        }
        if !ran && let Some(e) = &c.else_list {
            self.walk(set, sc, dot, e, out)?;
        }
        Ok(())
    }

    fn set_var(&self, sc: &mut Scope<'_>, name: &str, v: V) -> R<()> {
        for i in (0..sc.vars.len()).rev() {
            if sc.vars[i].0 == name {
                sc.vars[i].1 = v;
                return Ok(());
            }
        }
        Err(self.errorf(sc, format!("undefined variable: {name}")))
    }

    fn print_value(&self, sc: &Scope<'_>, v: V, out: &mut String) -> R<()> {
        match &v.v {
            Value::Nil => out.push_str("<no value>"),
            Value::Map(_) | Value::List(_) | Value::NamedMap(..) => {
                let mut too_deep = false;
                let v = self.materialize_at(v.v, 0, &mut too_deep);
                if too_deep {
                    return Err(self.errorf(
                        sc,
                        format!(
                            "value nests more than {MAX_MATERIALIZE_DEPTH} levels deep \
                             (a map that contains itself?)"
                        ),
                    ));
                }
                crate::fmt::write_v(out, &v)
            }
            // Go prints a Stringer with its String method (pointer methods included: the
            // value printed is addressable).
            Value::Object(o) if !o.type_name().starts_with("map[") && o.entries().is_none() => {
                match o.field("String") {
                    Some(Value::String(s)) => out.push_str(&s),
                    _ => out.push_str(&o.go_format()),
                }
            }
            other => crate::fmt::write_v(out, other),
        }
        Ok(())
    }

    fn eval_pipeline<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        pipe: &'t Pipe,
    ) -> R<V> {
        sc.at = At::Pipe(pipe);
        let mut value: Option<V> = None;
        for cmd in &pipe.cmds {
            let mut v = self.eval_command(set, sc, dot, cmd, value.take())?;
            // A value read from an interface{} is unwrapped: a nil one becomes invalid.
            v.iface = false;
            value = Some(v);
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(sc, name, value.clone())?;
            } else {
                sc.vars.push((name.as_str(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, sc: &Scope<'_>, args: &[Arg], has_final: bool) -> R<()> {
        if args.len() > 1 || has_final {
            return Err(self.errorf(
                sc,
                format!("can't give argument to non-function {}", args[0]),
            ));
        }
        Ok(())
    }

    fn eval_command<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        cmd: &'t Cmd,
        final_: Option<V>,
    ) -> R<V> {
        let first = &cmd.args[0];
        match &first.kind {
            ArgKind::Field(names) => {
                sc.at = At::Arg(first);
                return self.eval_field_chain(
                    set,
                    sc,
                    dot,
                    dot.clone(),
                    first,
                    names,
                    &cmd.args,
                    final_,
                );
            }
            ArgKind::Chain(node, fields) => {
                let recv = self.eval_chain_receiver(set, sc, dot, first, node)?;
                return self.eval_field_chain(set, sc, dot, recv, first, fields, &cmd.args, final_);
            }
            ArgKind::Identifier(name) => {
                sc.at = At::Arg(first);
                let Some(f) = crate::funcs::find(name) else {
                    return Err(
                        self.errorf(sc, format!("{} is not a defined function", quote_go(name)))
                    );
                };
                return self.eval_call(set, sc, dot, f, name, At::Cmd(cmd), &cmd.args[1..], final_);
            }
            ArgKind::Pipe(p) => {
                self.not_a_function(sc, &cmd.args, final_.is_some())?;
                return self.eval_pipeline(set, sc, dot, p);
            }
            ArgKind::Variable(names) => {
                return self.eval_variable(set, sc, dot, first, names, &cmd.args, final_);
            }
            _ => {}
        }
        sc.at = At::Arg(first);
        self.not_a_function(sc, &cmd.args, final_.is_some())?;
        match &first.kind {
            ArgKind::Bool(b) => Ok(V::val(Value::Bool(*b))),
            ArgKind::Dot => Ok(self.fwd_v(dot.clone())),
            ArgKind::Nil => Err(self.errorf(sc, "nil is not a command".into())),
            ArgKind::Number(n) => Ok(V::val(self.ideal_constant(sc, first, n)?)),
            ArgKind::String(_, s) => Ok(V::val(Value::String(s.clone()))),
            _ => Err(self.errorf(sc, format!("can't evaluate command {first}"))),
        }
    }

    fn ideal_constant<'t>(&self, sc: &mut Scope<'t>, arg: &'t Arg, n: &Number) -> R<Value> {
        sc.at = At::Arg(arg);
        let t = &n.text;
        let hexint =
            t.len() > 2 && (t.starts_with("0x") || t.starts_with("0X")) && !t.contains(['p', 'P']);
        let runeint = t.starts_with('\'');
        if n.is_complex {
            return Ok(crate::fmt::Complex(n.complex.0, n.complex.1).value());
        }
        if n.is_float && !hexint && !runeint && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float));
        }
        if n.is_int {
            return Ok(Value::Int(n.int));
        }
        if n.is_uint {
            return Err(self.errorf(sc, format!("{t} overflows int")));
        }
        Ok(Value::Nil)
    }

    fn eval_chain_receiver<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        chain: &'t Arg,
        node: &'t Arg,
    ) -> R<V> {
        sc.at = At::Arg(chain);
        if matches!(node.kind, ArgKind::Nil) {
            return Err(self.errorf(sc, format!("indirection through explicit nil in {chain}")));
        }
        self.eval_arg_value(set, sc, dot, node)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_variable<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        node: &'t Arg,
        names: &'t [String],
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        sc.at = At::Arg(node);
        let value = self.var_value(sc, &names[0])?;
        if names.len() == 1 {
            self.not_a_function(sc, args, final_.is_some())?;
            return Ok(value);
        }
        self.eval_field_chain(set, sc, dot, value, node, &names[1..], args, final_)
    }

    fn var_value(&self, sc: &Scope<'_>, name: &str) -> R<V> {
        for (n, v) in sc.vars.iter().rev() {
            if *n == name {
                return Ok(self.fwd_v(v.clone()));
            }
        }
        Err(self.errorf(sc, format!("undefined variable: {name}")))
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        mut receiver: V,
        node: &'t Arg,
        idents: &'t [String],
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        let n = idents.len();
        for name in &idents[..n - 1] {
            receiver = self.eval_field(set, sc, dot, name, node, &[], None, receiver)?;
        }
        self.eval_field(set, sc, dot, &idents[n - 1], node, args, final_, receiver)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        name: &str,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<V>,
        receiver: V,
    ) -> R<V> {
        if receiver.is_invalid() {
            if self.strict {
                return Err(
                    self.errorf(sc, format!("nil data; no entry for key {}", quote_go(name)))
                );
            }
            return Ok(V::default());
        }
        let receiver = self.fwd_v(receiver);
        let has_args = args.len() > 1 || final_.is_some();
        match &receiver.v {
            Value::Nil => {
                return Err(self.errorf(
                    sc,
                    format!("nil pointer evaluating {}.{name}", receiver.static_type()),
                ));
            }
            // Helm's `common.Values` has methods, and text/template looks a name up as a
            // method before it looks it up as a map key.
            Value::NamedMap(MapType::Values, m) if VALUES_METHODS.contains(&name) => {
                let m = m.clone();
                return self.call_values_method(set, sc, dot, node, name, args, final_, m);
            }
            Value::Map(m) | Value::NamedMap(_, m) => {
                if has_args {
                    return Err(
                        self.errorf(sc, format!("{name} is not a method but has arguments"))
                    );
                }
                return match m.get(name) {
                    Some(v) => Ok(V::elem(self.fwd(v.clone()))),
                    None => {
                        if self.strict {
                            Err(self
                                .errorf(sc, format!("map has no entry for key {}", quote_go(name))))
                        } else {
                            Ok(V::elem(Value::Nil))
                        }
                    }
                };
            }
            Value::Object(o) => {
                let o = o.clone();
                if !has_args && let Some(v) = o.field(name) {
                    return Ok(V::val(v));
                }
                if o.has_method(name) {
                    let mut argv = Vec::with_capacity(args.len());
                    if let Some((params, variadic)) = o.method_params(name) {
                        let given = args.len().saturating_sub(1) + usize::from(final_.is_some());
                        let fixed = params.len();
                        if variadic.is_some() {
                            if given < fixed {
                                return Err(self.errorf(
                                    sc,
                                    format!(
                                        "wrong number of args for {name}: want at least {fixed} got {}",
                                        args.len().saturating_sub(1)
                                    ),
                                ));
                            }
                        } else if given != fixed {
                            return Err(self.errorf(
                                sc,
                                format!(
                                    "wrong number of args for {name}: want {fixed} got {given}"
                                ),
                            ));
                        }
                        for (i, a) in args.iter().skip(1).enumerate() {
                            let ty = params.get(i).copied().or(variadic).unwrap_or(Ty::Any);
                            let v = self.eval_arg(set, sc, dot, ty, a)?;
                            argv.push(self.materialize(v));
                        }
                        if let Some(f) = final_ {
                            let ty = params
                                .get(given - 1)
                                .copied()
                                .or(variadic)
                                .unwrap_or(Ty::Any);
                            let v = self.validate_type(sc, f, ty)?;
                            argv.push(self.materialize(v));
                        }
                    } else {
                        for a in args.iter().skip(1) {
                            let v = self.eval_arg_value(set, sc, dot, a)?;
                            argv.push(self.materialize(v.v));
                        }
                        if let Some(f) = final_ {
                            argv.push(self.materialize(f.v));
                        }
                    }
                    return match o.call(name, &argv) {
                        Some(Ok(v)) => Ok(V::val(v)),
                        Some(Err(msg)) => {
                            if msg.starts_with("wrong number of args")
                                || msg.starts_with("wrong type for value")
                                || msg.starts_with("can't handle ")
                            {
                                Err(self.errorf(sc, msg))
                            } else {
                                sc.at = At::Arg(node);
                                let cause = GoErr::plain(msg);
                                let text = format!("error calling {name}: {}", cause.text);
                                Err(self.error_with(sc, text, Some(cause)))
                            }
                        }
                        None => Err(self.errorf(
                            sc,
                            format!(
                                "can't evaluate field {name} in type {}",
                                receiver.static_type()
                            ),
                        )),
                    };
                }
                if o.field(name).is_some() {
                    return Err(self.errorf(
                        sc,
                        format!("{name} has arguments but cannot be invoked as function"),
                    ));
                }
                if !o.truthy() {
                    return Err(self.errorf(
                        sc,
                        format!("nil pointer evaluating {}.{name}", receiver.static_type()),
                    ));
                }
            }
            Value::VersionSet(l) if name == "Has" => {
                // Capabilities.APIVersions is a `common.VersionSet`: a `[]string` with `Has`.
                let mut argv = Vec::new();
                for a in args.iter().skip(1) {
                    argv.push(self.eval_arg(set, sc, dot, Ty::String, a)?);
                }
                if let Some(f) = final_ {
                    argv.push(f.v);
                }
                if argv.len() != 1 {
                    return Err(self.errorf(
                        sc,
                        format!("wrong number of args for Has: want 1 got {}", argv.len()),
                    ));
                }
                let want = argv[0].as_str().unwrap_or("");
                return Ok(V::val(Value::Bool(l.iter().any(|x| &**x == want))));
            }
            _ => {}
        }
        Err(self.errorf(
            sc,
            format!(
                "can't evaluate field {name} in type {}",
                receiver.static_type()
            ),
        ))
    }

    /// A method of Helm's `common.Values`: `AsMap`, `YAML`, `Table NAME`, `PathValue PATH`
    /// and `Encode WRITER` (which no template can call with a writer).
    #[allow(clippy::too_many_arguments)]
    fn call_values_method<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        node: &'t Arg,
        name: &str,
        args: &'t [Arg],
        final_: Option<V>,
        m: Arc<Map>,
    ) -> R<V> {
        let want = usize::from(!matches!(name, "AsMap" | "YAML"));
        let given = args.len().saturating_sub(1) + usize::from(final_.is_some());
        if given != want {
            return Err(self.errorf(
                sc,
                format!("wrong number of args for {name}: want {want} got {given}"),
            ));
        }
        let ty = if name == "Encode" {
            Ty::Named("io.Writer")
        } else {
            Ty::String
        };
        let arg = match (args.get(1), final_) {
            (Some(a), _) if name == "Encode" && matches!(a.kind, ArgKind::Nil) => None,
            (Some(a), _) => Some(self.eval_arg(set, sc, dot, ty, a)?),
            (None, Some(f)) => Some(self.validate_type(sc, f, ty)?),
            (None, None) => None,
        };
        let path = arg.as_ref().and_then(Value::as_str).unwrap_or_default();
        let result = match name {
            "AsMap" => return Ok(V::val(Value::Map(m))),
            "YAML" => crate::funcs::helm::yaml_of(&Value::Map(m))
                .map(|text| V::val(Value::str(format!("{text}\n")))),
            "Table" => self
                .values_table(&m, path)
                .map(|t| V::val(Value::NamedMap(MapType::Values, t))),
            "PathValue" => self.values_path(&m, path).map(V::val),
            // Encode(nil) marshals, then writes to a nil writer: the call panics.
            _ => Err("runtime error: invalid memory address or nil pointer dereference".into()),
        };
        result.map_err(|msg| {
            sc.at = At::Arg(node);
            let cause = GoErr::plain(msg);
            let text = format!("error calling {name}: {}", cause.text);
            self.error_with(sc, text, Some(cause))
        })
    }

    /// `Values.Table`: the table at a dotted path, each step a `map[string]interface{}`
    /// or a `common.Values`.
    fn values_table(&self, m: &Arc<Map>, name: &str) -> Result<Arc<Map>, String> {
        let mut table = m.clone();
        for part in name.split('.') {
            table = match table.get(part).map(|v| self.fwd(v.clone())) {
                Some(Value::Map(t) | Value::NamedMap(MapType::Values, t)) => t,
                _ => return Err(format!("{} is not a table", quote_go(part))),
            };
        }
        Ok(table)
    }

    /// `Values.PathValue`: the value at a dotted path, which must not be a table.
    fn values_path(&self, m: &Arc<Map>, path: &str) -> Result<Value, String> {
        if path.is_empty() {
            return Err("YAML path cannot be empty".into());
        }
        let (table, key) = match path.rsplit_once('.') {
            Some((parent, key)) => match self.values_table(m, parent) {
                Ok(t) => (t, key),
                Err(_) => return Err(format!("{} is not a value", quote_go(key))),
            },
            None => (m.clone(), path),
        };
        // Only a `map[string]interface{}` is a table here, not a `common.Values`.
        match table.get(key).map(|v| self.fwd(v.clone())) {
            Some(Value::Map(_)) | None => Err(format!("{} is not a value", quote_go(key))),
            Some(v) => Ok(v),
        }
    }

    /// Go's `evalArg(dot, nil, n)`: no conversion, nil interfaces kept apart from invalid.
    fn eval_arg_value<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        arg: &'t Arg,
    ) -> R<V> {
        sc.at = At::Arg(arg);
        match &arg.kind {
            ArgKind::Dot => Ok(self.fwd_v(dot.clone())),
            ArgKind::Nil => Err(self.errorf(sc, "evalEmptyInterface: nil (can't happen)".into())),
            ArgKind::Field(names) => self.eval_field_chain(
                set,
                sc,
                dot,
                dot.clone(),
                arg,
                names,
                std::slice::from_ref(arg),
                None,
            ),
            ArgKind::Variable(names) => {
                self.eval_variable(set, sc, dot, arg, names, std::slice::from_ref(arg), None)
            }
            ArgKind::Pipe(p) => self.eval_pipeline(set, sc, dot, p),
            ArgKind::Identifier(name) => {
                let Some(f) = crate::funcs::find(name) else {
                    return Err(
                        self.errorf(sc, format!("{} is not a defined function", quote_go(name)))
                    );
                };
                self.eval_call(set, sc, dot, f, name, At::Arg(arg), &[], None)
            }
            ArgKind::Chain(node, fields) => {
                let recv = self.eval_chain_receiver(set, sc, dot, arg, node)?;
                self.eval_field_chain(
                    set,
                    sc,
                    dot,
                    recv,
                    arg,
                    fields,
                    std::slice::from_ref(arg),
                    None,
                )
            }
            ArgKind::Bool(b) => Ok(V::val(Value::Bool(*b))),
            ArgKind::Number(n) => Ok(V::val(self.ideal_constant(sc, arg, n)?)),
            ArgKind::String(_, s) => Ok(V::val(Value::String(s.clone()))),
        }
    }

    /// Go's `evalArg` for a parameter of type `ty`, then `validateType`.
    fn eval_arg<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        ty: Ty,
        arg: &'t Arg,
    ) -> R<Value> {
        sc.at = At::Arg(arg);
        match &arg.kind {
            ArgKind::Dot
            | ArgKind::Field(_)
            | ArgKind::Variable(_)
            | ArgKind::Pipe(_)
            | ArgKind::Identifier(_)
            | ArgKind::Chain(..) => {
                let v = self.eval_arg_value(set, sc, dot, arg)?;
                return self.validate_type(sc, v, ty);
            }
            ArgKind::Nil => {
                if can_be_nil(ty) {
                    return Ok(zero_of(ty));
                }
                return Err(self.errorf(sc, format!("cannot assign nil to {}", ty.go_name())));
            }
            _ => {}
        }
        match ty {
            Ty::Any => self.eval_arg_value(set, sc, dot, arg).map(|v| v.v),
            Ty::Bool => match &arg.kind {
                ArgKind::Bool(b) => Ok(Value::Bool(*b)),
                _ => Err(self.errorf(sc, format!("expected bool; found {arg}"))),
            },
            Ty::String => match &arg.kind {
                ArgKind::String(_, s) => Ok(Value::String(s.clone())),
                _ => Err(self.errorf(sc, format!("expected string; found {arg}"))),
            },
            Ty::Int | Ty::Int64 => match &arg.kind {
                ArgKind::Number(n) if n.is_int => Ok(if ty == Ty::Int {
                    Value::Int(n.int)
                } else {
                    Value::Int64(n.int)
                }),
                _ => Err(self.errorf(sc, format!("expected integer; found {arg}"))),
            },
            Ty::Float64 => match &arg.kind {
                ArgKind::Number(n) if n.is_float => Ok(Value::Float(n.float)),
                _ => Err(self.errorf(sc, format!("expected float; found {arg}"))),
            },
            _ => Err(self.errorf(
                sc,
                format!("can't handle {arg} for arg of type {}", ty.go_name()),
            )),
        }
    }

    fn validate_type(&self, sc: &Scope<'_>, v: V, ty: Ty) -> R<Value> {
        if v.is_invalid() {
            if can_be_nil(ty) {
                return Ok(zero_of(ty));
            }
            return Err(self.errorf(sc, format!("invalid value; expected {}", ty.go_name())));
        }
        if fits(&v.v, ty) {
            return Ok(v.v);
        }
        // A named map type is assignable to its underlying type, and becomes that type.
        if let (Ty::Map, Value::NamedMap(MapType::Values, m)) = (ty, &v.v) {
            return Ok(Value::Map(m.clone()));
        }
        let got = if matches!(v.v, Value::Nil) {
            "interface {}".to_string()
        } else {
            v.v.type_name()
        };
        Err(self.errorf(
            sc,
            format!("wrong type for value; expected {}; got {got}", ty.go_name()),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call<'t>(
        &mut self,
        set: &Set<'_>,
        sc: &mut Scope<'t>,
        dot: &V,
        f: &'static Func,
        name: &str,
        call_at: At<'t>,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        let num_in = args.len() + usize::from(final_.is_some());
        let fixed = f.params.len();
        if f.variadic.is_some() {
            if num_in < fixed {
                return Err(self.errorf(
                    sc,
                    format!(
                        "wrong number of args for {name}: want at least {fixed} got {}",
                        args.len()
                    ),
                ));
            }
        } else if num_in != fixed {
            return Err(self.errorf(
                sc,
                format!("wrong number of args for {name}: want {fixed} got {num_in}"),
            ));
        }
        let special = builtins::special(f);
        if let Some(s @ (Special::And | Special::Or)) = special {
            let want = s == Special::Or;
            let mut v = V::default();
            for a in args {
                v = self.eval_arg_value(set, sc, dot, a)?;
                if v.v.truthy() == want {
                    return Ok(V::val(v.v));
                }
            }
            if let Some(fv) = final_ {
                v = fv;
            }
            return Ok(V::val(v.v));
        }
        let shallow = shallow_args(name);
        let mutating = mutates_first_arg(name);
        // What a map-changing function changes: its first argument as passed, before any
        // in-place changes are applied to a copy of it.
        let mut original: Option<Value> = None;
        let mut argv: Vec<Value> = Vec::with_capacity(num_in);
        // `len` takes a `reflect.Value`: an invalid one (nil, or a variable holding a missing
        // key) fails inside it, where a nil read out of a map is a "nil pointer".
        let is_len = f.name == "len";
        let mut zero_value = false;
        for (i, a) in args.iter().enumerate() {
            let ty = if i < fixed {
                f.params[i]
            } else {
                f.variadic.unwrap_or(Ty::Any)
            };
            let v = if is_len {
                let v = match a.kind {
                    ArgKind::Nil => V::default(),
                    _ => self.eval_arg_value(set, sc, dot, a)?,
                };
                zero_value |= v.is_invalid();
                v.v
            } else {
                self.eval_arg(set, sc, dot, ty, a)?
            };
            if mutating && i == 0 {
                original = Some(v.clone());
            }
            argv.push(if shallow { v } else { self.materialize(v) });
        }
        if let Some(fv) = final_ {
            let ty = if f.variadic.is_some() && num_in > fixed {
                f.variadic.unwrap_or(Ty::Any)
            } else {
                f.params.get(num_in - 1).copied().unwrap_or(Ty::Any)
            };
            zero_value |= is_len && fv.is_invalid();
            let v = self.validate_type(sc, fv, ty)?;
            if mutating && argv.is_empty() {
                original = Some(v.clone());
            }
            argv.push(if shallow { v } else { self.materialize(v) });
        }
        let result = match special {
            _ if zero_value => Err(GoErr::plain(
                "reflect: call of reflect.Value.Type on zero Value".to_string(),
            )),
            Some(Special::Include) => self.call_include(set, &argv),
            Some(Special::Tpl) => self.call_tpl(set, &argv),
            _ => (f.body)(&mut self.ctx, &argv).map_err(GoErr::plain),
        };
        match result {
            Ok(v) => {
                // `set`/`unset` return the map; `merge` returns the destination.
                if let Some(old) = original {
                    self.forward_changes(&old, &v, !matches!(name, "set" | "unset"));
                }
                Ok(V::val(v))
            }
            Err(mut cause) => {
                if name == "call"
                    && let Some(rest) = cause.text.strip_prefix("non-function of type ")
                    && let Some(a) = args.first()
                {
                    cause.text = format!("non-function {a} of type {rest}");
                }
                sc.at = call_at;
                let msg = format!("error calling {name}: {}", cause.text);
                Err(self.error_with(sc, msg, Some(cause)))
            }
        }
    }

    fn call_include(&mut self, set: &Set<'_>, argv: &[Value]) -> Result<Value, GoErr> {
        let name = argv
            .first()
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let data = argv.get(1).cloned().unwrap_or_default();
        let count = self.include_counts.entry(name.clone()).or_insert(0);
        if *count > RECURSION_MAX {
            return Err(GoErr::plain(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        *count += 1;
        let mut buf = String::new();
        let r = self.execute_template(set, &name, V::val(data), &mut buf);
        if let Some(c) = self.include_counts.get_mut(&name) {
            *c = c.saturating_sub(1);
        }
        r?;
        Ok(Value::str(buf))
    }

    fn call_tpl(&mut self, set: &Set<'_>, argv: &[Value]) -> Result<Value, GoErr> {
        let text = argv
            .first()
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let data = argv.get(1).cloned().unwrap_or_default();
        let trees = crate::parse::parse(&self.root_name, &text, &has_function).map_err(|e| {
            GoErr::wrap(
                &format!("cannot parse template {}", quote_go(&text)),
                GoErr::plain(e.message),
            )
        })?;
        // Go executes the freshly parsed template itself, even when it is empty (and so was
        // not allowed to replace an outer `tpl`'s text of the same name): empty text gives "".
        if trees
            .iter()
            .find(|t| t.name == self.root_name)
            .is_none_or(|t| t.is_empty())
        {
            return Ok(Value::str(""));
        }
        let mut layer = Set {
            trees: HashMap::new(),
            parent: Some(set),
        };
        for t in trees {
            layer.add(t);
        }
        let mut buf = String::new();
        let root = self.root_name.clone();
        if let Err(e) = self.execute_template(&layer, &root, V::val(data), &mut buf) {
            return Err(GoErr::wrap(
                &format!(
                    "error during tpl function execution for {}",
                    quote_go(&text)
                ),
                e,
            ));
        }
        Ok(Value::str(buf.replace("<no value>", "")))
    }
}

/// The (index or key, element) pairs `range` visits in a collection, in Go's order (maps by
/// sorted key); `None` for a value `range` cannot iterate over.
fn range_pairs(val: &Value) -> Option<Box<dyn Iterator<Item = (V, V)> + '_>> {
    let index = |i: usize| V::val(Value::Int(i as i64));
    Some(match val {
        Value::List(l) => Box::new(
            l.iter()
                .enumerate()
                .map(move |(i, e)| (index(i), V::elem(e.clone()))),
        ),
        Value::IntList(l) => Box::new(
            l.iter()
                .enumerate()
                .map(move |(i, e)| (index(i), V::val(e.clone()))),
        ),
        Value::StringList(l) | Value::VersionSet(l) => Box::new(
            l.iter()
                .enumerate()
                .map(move |(i, e)| (index(i), V::val(Value::String(e.clone())))),
        ),
        Value::Bytes(b) => Box::new(
            b.iter()
                .enumerate()
                .map(move |(i, e)| (index(i), V::val(Value::Int(i64::from(*e))))),
        ),
        Value::Map(m) | Value::NamedMap(MapType::Values, m) => Box::new(
            m.iter()
                .map(|(k, e)| (V::val(Value::str(k.as_str())), V::elem(e.clone()))),
        ),
        Value::NamedMap(MapType::StringMap, m) => Box::new(
            m.iter()
                .map(|(k, e)| (V::val(Value::str(k.as_str())), V::val(e.clone()))),
        ),
        Value::Object(o) => Box::new(
            o.entries()?
                .into_iter()
                .map(|(k, e)| (V::val(Value::str(k)), V::val(e))),
        ),
        _ => return None,
    })
}

/// The address that identifies a map in [`Exec::forward`].
fn map_addr(m: &Arc<crate::value::Map>) -> usize {
    Arc::as_ptr(m) as *const () as usize
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Arc::ptr_eq(x, y),
        (Value::NamedMap(s, x), Value::NamedMap(t, y)) => s == t && Arc::ptr_eq(x, y),
        (Value::List(x), Value::List(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

fn can_be_nil(ty: Ty) -> bool {
    match ty {
        Ty::Named(n) => n.starts_with('*') || n.starts_with("[]") || n.starts_with("map["),
        _ => matches!(
            ty,
            Ty::Any | Ty::List | Ty::StringList | Ty::Map | Ty::Bytes
        ),
    }
}

fn zero_of(ty: Ty) -> Value {
    match ty {
        Ty::List => Value::list(Vec::new()),
        Ty::StringList => Value::StringList(Arc::new(Vec::new())),
        Ty::Map => Value::nil_map(),
        Ty::Bytes => Value::Bytes(Arc::from(&[][..])),
        _ => Value::Nil,
    }
}

fn fits(v: &Value, ty: Ty) -> bool {
    match ty {
        Ty::Any => true,
        Ty::String => matches!(v, Value::String(_)),
        Ty::Int => matches!(v, Value::Int(_)),
        Ty::Int64 => matches!(v, Value::Int64(_)),
        Ty::Float64 => matches!(v, Value::Float(_)),
        Ty::Bool => matches!(v, Value::Bool(_)),
        Ty::List => matches!(v, Value::List(_)),
        Ty::StringList => matches!(v, Value::StringList(_) | Value::VersionSet(_)),
        Ty::Map => matches!(v, Value::Map(_)),
        Ty::Bytes => matches!(v, Value::Bytes(_)),
        Ty::Named(n) => v.type_name() == n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::{Offline, Rng};

    fn run(text: &str, dot: Value) -> Result<String, GoErr> {
        let mut set = Set::new();
        for t in
            crate::parse::parse("t", text, &has_function).map_err(|e| GoErr::plain(e.message))?
        {
            set.add(t);
        }
        let ctx = FuncCtx {
            host: &Offline,
            now: (0, 0),
            rng: Rng::new(0),
            lint: false,
        };
        let mut exec = Exec::new(ctx, false, "gotpl");
        let mut out = String::new();
        exec.execute_template(&set, "t", V::val(dot), &mut out)?;
        Ok(out)
    }

    /// Runs `f` on a thread with a stack of `mib` MiB (debug builds need a big stack for
    /// deep recursion) and returns its result; a stack overflow fails the test.
    fn on_big_stack<T: Send + 'static>(mib: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(mib << 20)
            .spawn(f)
            .expect("thread")
            .join()
            .expect("no overflow")
    }

    #[test]
    fn missing_and_nil() {
        let mut m = crate::value::Map::new();
        m.insert("n".into(), Value::Nil);
        let dot = Value::map(m);
        assert_eq!(
            run("{{ .missing }}", dot.clone()).expect("ok"),
            "<no value>"
        );
        let e = run("{{ .n.x }}", dot.clone()).expect_err("nil pointer");
        assert!(
            e.text.ends_with("nil pointer evaluating interface {}.x"),
            "{}",
            e.text
        );
        assert_eq!(
            run("{{ $x := .missing }}{{ $x.y }}", dot).expect("ok"),
            "<no value>"
        );
    }

    #[test]
    fn in_place_changes_and_loop_control() {
        for (text, want) in [
            // A map changed in place is seen through every alias of it.
            (
                "{{ $a := dict \"x\" (dict) }}{{ $b := $a.x }}{{ $_ := set $b \"k\" 1 }}{{ $a }}",
                "map[x:map[k:1]]",
            ),
            (
                "{{ range $i := 5 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $i }}{{ end }}",
                "02",
            ),
        ] {
            assert_eq!(run(text, Value::Nil).expect("ok"), want, "{text}");
        }
    }

    #[test]
    fn endless_template_recursion_is_an_error() {
        let e = on_big_stack(256, || {
            run(
                "{{ define \"l\" }}{{ template \"l\" }}{{ end }}{{ template \"l\" }}",
                Value::Nil,
            )
        })
        .expect_err("depth");
        assert!(
            e.text.ends_with("exceeded maximum template depth (100000)"),
            "{}",
            e.text
        );
    }

    #[test]
    fn a_map_that_contains_itself_does_not_overflow() {
        // Found by fuzzing (`mergeOverwrite .Values .`). Go's map is then cyclic: `len` works,
        // printing it kills Helm with a stack overflow; here printing is an error.
        let (len, print) = on_big_stack(64, || {
            let set = "{{ $d := dict }}{{ $_ := set $d \"a\" $d }}";
            (
                run(&format!("{set}{{{{ len $d }}}}"), Value::Nil),
                run(&format!("{set}{{{{ $d }}}}"), Value::Nil),
            )
        });
        assert_eq!(len.expect("len"), "1");
        let e = print.expect_err("cyclic");
        assert!(e.text.contains("levels deep"), "{}", e.text);
    }
}
