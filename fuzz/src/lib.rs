//! Shared pieces of the fuzz targets: a small Go-template grammar driven by `arbitrary`, the
//! job the `exec` target renders, and the limits that keep legitimately slow inputs out.

use std::fmt::Write as _;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use rudder_gotmpl::render::{Chart, Job};
use serde_json::{Value as J, json};

/// The native stack each input runs on. The plugin runs with a 32 MiB WASM stack; a native
/// frame is not smaller than a WASM one, so an input that overflows this would overflow there.
pub const STACK: usize = 32 << 20;

/// Runs `f` on a thread with [`STACK`] bytes of stack (libFuzzer's own thread has whatever
/// the shell's limit is). A panic in `f` aborts the process through libFuzzer's panic hook.
pub fn on_big_stack<F: FnOnce() + Send>(f: F) {
    std::thread::scope(|s| {
        let t = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, || {
                let _alt = AltStack::install();
                f()
            })
            .expect("spawn fuzz thread");
        if let Err(e) = t.join() {
            std::panic::resume_unwind(e);
        }
    });
}

/// A signal stack for the current thread. libFuzzer's `main` replaces Rust's, so std sets up
/// no signal stack for new threads and a stack overflow would kill the process inside
/// libFuzzer's SIGSEGV handler (which then runs on the exhausted stack) before it saves the
/// input. With this, the handler runs and the overflow is reported as a crash with its input.
struct AltStack {
    mem: Vec<u8>,
}

impl AltStack {
    fn install() -> AltStack {
        static ONSTACK: std::sync::Once = std::sync::Once::new();
        // libFuzzer installs its SIGSEGV/SIGBUS handler without SA_ONSTACK: add the flag.
        ONSTACK.call_once(|| {
            for sig in [libc::SIGSEGV, libc::SIGBUS] {
                // SAFETY: reads the current action and installs it again with one more flag.
                unsafe {
                    let mut sa: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, std::ptr::null(), &mut sa) == 0 {
                        sa.sa_flags |= libc::SA_ONSTACK;
                        libc::sigaction(sig, &sa, std::ptr::null_mut());
                    }
                }
            }
        });
        let mut mem = vec![0u8; 1 << 20];
        let ss = libc::stack_t {
            ss_sp: mem.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: mem.len(),
        };
        // SAFETY: `ss` describes memory that stays alive until `drop` disables the stack.
        unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) };
        AltStack { mem }
    }
}

impl Drop for AltStack {
    fn drop(&mut self) {
        let ss = libc::stack_t {
            ss_sp: std::ptr::null_mut(),
            ss_flags: libc::SS_DISABLE,
            ss_size: 0,
        };
        // SAFETY: disables the signal stack before its memory is freed.
        unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) };
        let _ = self.mem.len();
    }
}

/// Functions left out of generated templates, and inputs that name them are skipped: each is
/// slow by design in Helm too (RSA/ECDSA key generation, scrypt, bcrypt), so a 10 s timeout
/// would only measure the machine.
pub const SLOW_FUNCS: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genSelfSignedCert",
    "genSignedCert",
    "derivePassword",
    "bcrypt",
    "htpasswd",
];

/// Words that multiply work or output: loops, recursion, repetition. Go runs
/// `range 100000000` or `repeat 99999 (repeat 99999 "x")` to completion (or runs out of
/// memory) just the same, so such inputs are bounded the way a sane chart is: see [`budget`].
const AMPLIFIERS: &[&str] = &[
    "range", "template", "include", "tpl", "block", "repeat", "until", "seq", "mul", "rand",
    "indent",
];

/// Whether an input may run: `false` for work that is unbounded in Go as well.
///
/// When the text uses a loop, recursion or a repeating function, it may use at most three
/// such words and only small numbers (no literal of three or more digits, no exponent, hex
/// or char literals, no number-like strings of three or more digits in the values), so the
/// worst case is about a million steps. Everything else always runs.
pub fn budget(text: &str, values: &J) -> bool {
    if SLOW_FUNCS.iter().any(|f| text.contains(f)) {
        return false;
    }
    // A template that can call itself recurses a thousand levels deep; with anything that
    // grows per level (`template "t" (toJson .)`) that is 2^1000 work, in Helm too (seen:
    // Helm killed at 23 GB). So with a definition, allow one call at most.
    let count = |ws: &[&str]| -> usize { ws.iter().map(|w| text.matches(w).count()).sum() };
    if count(&["define", "block"]) > 0 && count(&["template", "include", "tpl", "block"]) >= 2 {
        return false;
    }
    let amplifiers = count(AMPLIFIERS);
    if amplifiers == 0 {
        return true;
    }
    if amplifiers > 3 || text.contains('\'') || has_big_number(text) {
        return false;
    }
    !values_have_big_numbers(values, 0)
}

/// A digit run of three or more, or a digit followed by an exponent, hex, octal, binary or
/// `_` marker (`1e9`, `0x7f`, `1_000`).
fn has_big_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 3 {
                return true;
            }
            if let Some(&n) = b.get(i + 1)
                && matches!(
                    n,
                    b'e' | b'E' | b'x' | b'X' | b'o' | b'O' | b'b' | b'B' | b'_' | b'p' | b'P'
                )
            {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

fn values_have_big_numbers(v: &J, depth: usize) -> bool {
    if depth > 64 {
        return true;
    }
    match v {
        J::Number(n) => n.as_f64().is_none_or(|f| f.abs() >= 100.0),
        J::String(s) => has_big_number(s),
        J::Array(a) => a.iter().any(|x| values_have_big_numbers(x, depth + 1)),
        J::Object(o) => o
            .iter()
            .any(|(k, x)| has_big_number(k) || values_have_big_numbers(x, depth + 1)),
        _ => false,
    }
}

/// Every function name of the engine's tables, less [`SLOW_FUNCS`], sorted.
pub fn func_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut v: Vec<&'static str> = rudder_gotmpl::funcs::TABLES
            .iter()
            .flat_map(|t| t.iter().map(|f| f.name))
            .filter(|n| !SLOW_FUNCS.iter().any(|s| n.starts_with(s)))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Names used for fields, map keys, variables and template names, so that lookups hit.
const WORDS: &[&str] = &[
    "Values",
    "Release",
    "Chart",
    "Files",
    "Capabilities",
    "Template",
    "Subcharts",
    "Name",
    "Namespace",
    "Version",
    "AppVersion",
    "APIVersions",
    "KubeVersion",
    "Major",
    "Get",
    "Glob",
    "Lines",
    "AsConfig",
    "AsSecrets",
    "GetBytes",
    "Has",
    "BasePath",
    "a",
    "b",
    "items",
    "x",
    "name",
    "enabled",
    "port",
    "list",
    "map",
    "0",
    "",
];

const FILES: &[&str] = &[
    "files/a.txt",
    "files/b.yaml",
    "config/c.json",
    "files/sub/d.conf",
    "e.toml",
];

fn word(i: u8) -> &'static str {
    WORDS[usize::from(i) % WORDS.len()]
}

/// A value tree for `.Values`.
#[derive(Arbitrary, Debug)]
pub enum Val {
    Nil,
    Bool(bool),
    Int(i64),
    SmallInt(i8),
    Float(f64),
    Str(String),
    Word(u8),
    List(Vec<Val>),
    Map(Vec<(u8, Val)>),
}

impl Val {
    pub fn to_json(&self, depth: usize) -> J {
        if depth > 8 {
            return J::Null;
        }
        match self {
            Val::Nil => J::Null,
            Val::Bool(b) => J::Bool(*b),
            Val::Int(i) => J::from(*i),
            Val::SmallInt(i) => J::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Val::Str(s) => J::String(s.clone()),
            Val::Word(w) => J::String(word(*w).to_string()),
            Val::List(l) => J::Array(l.iter().map(|v| v.to_json(depth + 1)).collect()),
            Val::Map(m) => J::Object(
                m.iter()
                    .map(|(k, v)| (word(*k).to_string(), v.to_json(depth + 1)))
                    .collect(),
            ),
        }
    }
}

/// An operand of a command.
#[derive(Arbitrary, Debug)]
pub enum Arg {
    Dot,
    Field(Vec<u8>),
    Values(Vec<u8>),
    Var(u8, Vec<u8>),
    Int(i8),
    BigInt(i64),
    Float(f64),
    Str(String),
    WordStr(u8),
    Bool(bool),
    Nil,
    Func(u16),
    Paren(Box<Pipe>),
    /// A parenthesised pipeline followed by fields: `(...).a.b`.
    ParenField(Box<Pipe>, Vec<u8>),
}

/// A command: a function call or an operand with arguments.
#[derive(Arbitrary, Debug)]
pub struct Cmd {
    pub func: Option<u16>,
    pub first: Arg,
    pub args: Vec<Arg>,
}

/// A pipeline, maybe declaring or assigning a variable.
#[derive(Arbitrary, Debug)]
pub struct Pipe {
    pub decl: Option<(u8, bool)>,
    pub cmds: Vec<Cmd>,
}

/// One piece of template text.
#[derive(Arbitrary, Debug)]
pub enum Node {
    Text(String),
    Newline,
    Action(Pipe, bool, bool),
    If(Pipe, Vec<Node>, Option<Vec<Node>>),
    ElseIf(Pipe, Vec<Node>, Pipe, Vec<Node>),
    Range(Option<(u8, Option<u8>)>, Pipe, Vec<Node>, Option<Vec<Node>>),
    With(Pipe, Vec<Node>, Option<Vec<Node>>),
    Define(u8, Vec<Node>),
    Template(u8, Option<Pipe>),
    Block(u8, Pipe, Vec<Node>),
    Include(u8, Pipe),
    Break,
    Continue,
    Comment(String),
    Raw(String),
}

/// The structured part of an `exec` input.
#[derive(Arbitrary, Debug)]
pub struct Input {
    pub nodes: Vec<Node>,
    pub values: Val,
    pub files: Vec<(u8, String)>,
    pub helpers: Vec<Node>,
    pub strict: bool,
}

fn var(i: u8) -> String {
    match i % 6 {
        0 => "$".into(),
        n => format!("$v{n}"),
    }
}

fn template_name(i: u8) -> &'static str {
    ["t1", "t2", "c.fullname", "x"][usize::from(i) % 4]
}

fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c) & 0xffff);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn fields(out: &mut String, f: &[u8]) {
    for &w in f.iter().take(4) {
        out.push('.');
        let w = word(w);
        out.push_str(if w.is_empty() { "a" } else { w });
    }
}

/// Writes Go-template text. `depth` bounds nesting so the text stays small.
pub struct Writer {
    pub out: String,
}

impl Writer {
    fn arg(&mut self, a: &Arg, depth: usize) {
        let out = &mut self.out;
        match a {
            Arg::Dot => out.push('.'),
            Arg::Field(f) => {
                if f.is_empty() {
                    out.push('.');
                }
                fields(out, f);
            }
            Arg::Values(f) => {
                out.push_str(".Values");
                fields(out, f);
            }
            Arg::Var(v, f) => {
                out.push_str(&var(*v));
                fields(out, f);
            }
            Arg::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Arg::BigInt(i) => {
                let _ = write!(out, "{i}");
            }
            Arg::Float(f) => {
                if f.is_finite() {
                    let _ = write!(out, "{f:?}");
                } else {
                    out.push_str("1.5");
                }
            }
            Arg::Str(s) => out.push_str(&go_quote(s)),
            Arg::WordStr(w) => out.push_str(&go_quote(word(*w))),
            Arg::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Arg::Nil => out.push_str("nil"),
            Arg::Func(i) => {
                let names = func_names();
                out.push_str(names[usize::from(*i) % names.len()]);
            }
            Arg::Paren(p) | Arg::ParenField(p, _) => {
                if depth > 4 {
                    out.push('.');
                    return;
                }
                out.push('(');
                self.pipe(p, depth + 1);
                self.out.push(')');
                if let Arg::ParenField(_, f) = a {
                    fields(&mut self.out, f);
                }
            }
        }
    }

    fn pipe(&mut self, p: &Pipe, depth: usize) {
        if let Some((v, assign)) = p.decl {
            let _ = write!(
                self.out,
                "$v{} {} ",
                v % 5 + 1,
                if assign { "=" } else { ":=" }
            );
        }
        if p.cmds.is_empty() {
            self.out.push('.');
        }
        for (i, c) in p.cmds.iter().take(4).enumerate() {
            if i > 0 {
                self.out.push_str(" | ");
            }
            if let Some(f) = c.func {
                let names = func_names();
                self.out.push_str(names[usize::from(f) % names.len()]);
                self.out.push(' ');
            }
            self.arg(&c.first, depth);
            for a in c.args.iter().take(4) {
                self.out.push(' ');
                self.arg(a, depth);
            }
        }
    }

    fn action(&mut self, p: &Pipe, l: bool, r: bool) {
        self.out.push_str(if l { "{{- " } else { "{{ " });
        self.pipe(p, 0);
        self.out.push_str(if r { " -}}" } else { " }}" });
    }

    fn keyword_pipe(&mut self, kw: &str, p: &Pipe) {
        let _ = write!(self.out, "{{{{ {kw} ");
        self.pipe(p, 0);
        self.out.push_str(" }}");
    }

    fn else_end(&mut self, e: &Option<Vec<Node>>, depth: usize) {
        if let Some(e) = e {
            self.out.push_str("{{ else }}");
            self.nodes(e, depth + 1);
        }
        self.out.push_str("{{ end }}");
    }

    pub fn nodes(&mut self, nodes: &[Node], depth: usize) {
        if depth > 6 {
            return;
        }
        for n in nodes.iter().take(16) {
            self.node(n, depth);
        }
    }

    fn node(&mut self, n: &Node, depth: usize) {
        match n {
            Node::Text(s) => self.out.push_str(&s.replace("{{", "{ {")),
            Node::Newline => self.out.push('\n'),
            Node::Action(p, l, r) => self.action(p, *l, *r),
            Node::If(p, b, e) => {
                self.keyword_pipe("if", p);
                self.nodes(b, depth + 1);
                self.else_end(e, depth);
            }
            Node::ElseIf(p, b, q, c) => {
                self.keyword_pipe("if", p);
                self.nodes(b, depth + 1);
                self.keyword_pipe("else if", q);
                self.nodes(c, depth + 1);
                self.out.push_str("{{ end }}");
            }
            Node::Range(vars, p, b, e) => {
                self.out.push_str("{{ range ");
                match vars {
                    Some((k, Some(v))) => {
                        let _ = write!(self.out, "$v{}, $v{} := ", k % 5 + 1, v % 5 + 1);
                    }
                    Some((v, None)) => {
                        let _ = write!(self.out, "$v{} := ", v % 5 + 1);
                    }
                    None => {}
                }
                self.pipe(p, 0);
                self.out.push_str(" }}");
                self.nodes(b, depth + 1);
                self.else_end(e, depth);
            }
            Node::With(p, b, e) => {
                self.keyword_pipe("with", p);
                self.nodes(b, depth + 1);
                self.else_end(e, depth);
            }
            Node::Define(name, b) => {
                let _ = write!(
                    self.out,
                    "{{{{ define {} }}}}",
                    go_quote(template_name(*name))
                );
                self.nodes(b, depth + 1);
                self.out.push_str("{{ end }}");
            }
            Node::Template(name, p) => {
                let _ = write!(
                    self.out,
                    "{{{{ template {} ",
                    go_quote(template_name(*name))
                );
                if let Some(p) = p {
                    self.pipe(p, 0);
                }
                self.out.push_str(" }}");
            }
            Node::Block(name, p, b) => {
                let _ = write!(self.out, "{{{{ block {} ", go_quote(template_name(*name)));
                self.pipe(p, 0);
                self.out.push_str(" }}");
                self.nodes(b, depth + 1);
                self.out.push_str("{{ end }}");
            }
            Node::Include(name, p) => {
                let _ = write!(self.out, "{{{{ include {} ", go_quote(template_name(*name)));
                self.pipe(p, 0);
                self.out.push_str(" }}");
            }
            Node::Break => self.out.push_str("{{ break }}"),
            Node::Continue => self.out.push_str("{{ continue }}"),
            Node::Comment(c) => {
                let _ = write!(self.out, "{{{{/* {} */}}}}", c.replace("*/", "* /"));
            }
            Node::Raw(s) => self.out.push_str(s),
        }
    }
}

/// Template text for a node list.
pub fn write_nodes(nodes: &[Node]) -> String {
    let mut w = Writer { out: String::new() };
    w.nodes(nodes, 0);
    w.out
}

/// An `exec` input: `RAW \0 STRUCTURED`. The raw part (all of it when there is no NUL byte,
/// so seed files are plain templates) starts the template; the structured part, decoded
/// with `arbitrary`, adds generated template text, the values, files and helpers.
pub struct Case {
    pub template: String,
    pub helpers: String,
    pub values: J,
    pub files: Vec<(String, Vec<u8>)>,
    pub strict: bool,
}

impl Case {
    pub fn from_bytes(data: &[u8]) -> Case {
        let (raw, structured) = match data.iter().position(|&b| b == 0) {
            Some(i) => (&data[..i], &data[i + 1..]),
            None => (data, &[][..]),
        };
        let mut template = String::from_utf8_lossy(raw).into_owned();
        let u = Unstructured::new(structured);
        let input = Input::arbitrary_take_rest(u).unwrap_or(Input {
            nodes: Vec::new(),
            values: Val::Nil,
            files: Vec::new(),
            helpers: Vec::new(),
            strict: false,
        });
        template.push_str(&write_nodes(&input.nodes));
        let values = match input.values.to_json(0) {
            v @ J::Object(_) => v,
            J::Null => json!({}),
            v => json!({ "a": v }),
        };
        let files = input
            .files
            .iter()
            .take(4)
            .map(|(n, c)| {
                (
                    FILES[usize::from(*n) % FILES.len()].to_string(),
                    c.clone().into_bytes(),
                )
            })
            .collect();
        Case {
            template,
            helpers: write_nodes(&input.helpers),
            values,
            files,
            strict: input.strict,
        }
    }

    /// All template text, for [`budget`].
    pub fn all_text(&self) -> String {
        format!("{}{}", self.template, self.helpers)
    }

    /// The job: chart `c` with `templates/t.yaml` (and `templates/_helpers.tpl` when the input
    /// has helpers), rendered like the template-case suite renders.
    pub fn job(&self) -> Job {
        let mut templates = vec![(
            "templates/t.yaml".to_string(),
            self.template.clone().into_bytes(),
        )];
        if !self.helpers.is_empty() {
            templates.push((
                "templates/_helpers.tpl".to_string(),
                self.helpers.clone().into_bytes(),
            ));
        }
        Job {
            charts: vec![Chart {
                parent: None,
                values_key: String::new(),
                path: "c".into(),
                metadata: json!({"apiVersion": "v2", "name": "c", "version": "0.1.0",
                                 "appVersion": "1.0.0"}),
                templates,
                files: self.files.clone(),
                subcharts: vec![],
            }],
            values: rudder_gotmpl::value::Value::from_json(&self.values),
            release: json!({"Name": "x", "Namespace": "ns", "Revision": 1, "IsInstall": true,
                            "IsUpgrade": false, "Service": "Helm"}),
            capabilities: json!({
                "KubeVersion": {"Version": "v1.35.0", "Major": "1", "Minor": "35"},
                "APIVersions": ["v1", "apps/v1", "batch/v1"],
                "HelmVersion": {"version": "v4.1.4"},
            }),
            targets: vec![],
            strict: self.strict,
            now: (1_700_000_000, 0),
            seed: 1,
        }
    }
}
