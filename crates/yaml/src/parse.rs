//! Reading YAML as `sigs.k8s.io/yaml.Unmarshal` into `interface{}` does: go-yaml v2 builds a
//! node tree from the first document, decodes it with YAML 1.1 resolution into
//! `map[interface{}]interface{}` trees, the keys are turned into strings, and the result goes
//! through `encoding/json` (so every number becomes a float64).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::rc::Rc;

use hashbrown::{DefaultHashBuilder, HashTable};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::Error;
use crate::errors::translate;
use crate::resolve::{Scalar, TAG_PREFIX, is_tag, resolve};
use rudder_gocompat::num::format_g;

/// Nesting deeper than this is refused (go-yaml has no limit, but a stack does).
const MAX_DEPTH: usize = 10_000;

pub(crate) enum Node {
    Scalar {
        value: String,
        plain: bool,
        tag: String,
    },
    Seq(Vec<Rc<Node>>),
    Map(Vec<(Rc<Node>, Rc<Node>)>),
    Alias(Rc<Node>),
}

fn long_tag(tag: &Option<Tag>) -> String {
    match tag {
        None => String::new(),
        Some(t) if t.handle == "!!" => format!("{TAG_PREFIX}{}", t.suffix),
        Some(t) => format!("{}{}", t.handle, t.suffix),
    }
}

/// One parsed document as go-yaml's parser sees it.
struct Builder<'a> {
    src: &'a str,
    anchors: HashMap<usize, Option<Rc<Node>>>,
    /// A problem found while building that go-yaml only reports when decoding.
    deferred: Option<Error>,
}

enum Frame {
    Seq(usize, Vec<Rc<Node>>),
    Map(usize, Vec<Rc<Node>>),
}

impl Builder<'_> {
    /// The name of the alias or anchor at `mark` (yaml-rust2 keeps only ids).
    fn name_at(&self, mark: &Marker) -> String {
        let rest: String = self.src.chars().skip(mark.index()).take(1024).collect();
        let rest = rest.trim_start_matches(['*', '&']);
        rest.chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect()
    }

    fn finish(&mut self, stack: &mut [Frame], node: Rc<Node>) -> Option<Rc<Node>> {
        match stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq(_, items)) | Some(Frame::Map(_, items)) => {
                items.push(node);
                None
            }
        }
    }

    fn set_anchor(&mut self, id: usize, node: &Rc<Node>) {
        if id != 0 {
            self.anchors.insert(id, Some(node.clone()));
        }
    }
}

/// go-yaml's reader accepts only these characters (YAML 1.1's printable set).
fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Parses the first document (or all documents) of `src` into node trees (`None` for an
/// empty document).
fn parse_first(src: &str, multi: bool) -> Result<Vec<Option<Rc<Node>>>, Error> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    // go-yaml's reader checks each character as it decodes it: bytes that are not UTF-8
    // (carried as stand-ins, see `rudder_gocompat::gostr`) and control characters.
    for c in src.chars() {
        if rudder_gocompat::gostr::raw_byte(c).is_some() {
            let msg = rudder_gocompat::gostr::yaml_utf8_error(src);
            return Err(Error::plain(msg.unwrap_or("invalid leading UTF-8 octet")));
        }
        if !allowed_char(c) {
            return Err(Error::plain("control characters are not allowed"));
        }
    }
    // YAML 1.1 counts NEL as a line break; yaml-rust2 (YAML 1.2) does not.
    let nel;
    let src = if src.contains('\u{85}') {
        nel = src.replace('\u{85}', "\n");
        nel.as_str()
    } else {
        src
    };
    leading_document_end(src)?;
    // yaml-rust2 (YAML 1.2) refuses a tab right after `key:`, which YAML 1.1 parsers accept
    // as separation: retry with such tabs turned into spaces (same lines and columns).
    let mut text = std::borrow::Cow::Borrowed(src);
    for _ in 0..64 {
        match parse_events(&text, multi) {
            Err(Fail::Scan(e)) if e.info() == TAB_AFTER_COLON => {
                let mut idx = e.marker().index();
                let mut chars: Vec<char> = text.chars().collect();
                let mut changed = false;
                while idx > 0 && chars.get(idx - 1) == Some(&'\t') {
                    chars[idx - 1] = ' ';
                    idx -= 1;
                    changed = true;
                }
                if !changed {
                    return Err(translate(&text, &e));
                }
                text = std::borrow::Cow::Owned(chars.into_iter().collect());
            }
            Err(Fail::Scan(e))
                if e.info() == FLOW_INDENT
                    && let Some(fixed) = indent_flow_line(&text, e.marker().index()) =>
            {
                text = std::borrow::Cow::Owned(fixed);
            }
            Err(Fail::Scan(e)) if e.info() == QUOTED_INDENT => {
                match indent_quoted(&text, e.marker().index(), e.marker().col()) {
                    Some(fixed) => text = std::borrow::Cow::Owned(fixed),
                    None => return Err(translate(&text, &e)),
                }
            }
            Err(Fail::Scan(e)) => return Err(translate(&text, &e)),
            Err(Fail::Other(e)) => return Err(e),
            Ok(docs) => return Ok(docs),
        }
    }
    Err(Error::plain("found character that cannot start any token"))
}

/// go-yaml (libyaml) refuses a stream whose first token is a document end marker `...`;
/// yaml-rust2 skips it.
fn leading_document_end(src: &str) -> Result<(), Error> {
    for (i, line) in src.lines().enumerate() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let is_end = line.starts_with("...")
            && line[3..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t');
        if is_end {
            let message = if i > 0 {
                format!("yaml: line {i}: did not find expected node content")
            } else {
                "yaml: did not find expected node content".to_string()
            };
            return Err(Error {
                line: i + 1,
                column: 1,
                message,
            });
        }
        return Ok(());
    }
    Ok(())
}

const QUOTED_INDENT: &str = "invalid indentation in quoted scalar";

/// libyaml does not check the indentation of a quoted scalar's continuation lines, yaml-rust2
/// does. Leading blanks of those lines are folded away, so indenting them (by the scalar's
/// column) changes nothing but the verdict. `None` when the scalar is not closed (go-yaml then
/// fails at the end of the input too).
fn indent_quoted(text: &str, start: usize, col: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let q = *chars.get(start)?;
    if q != '"' && q != '\'' {
        return None;
    }
    let mut line_starts = Vec::new();
    let mut i = start + 1;
    loop {
        let c = *chars.get(i)?;
        if c == '\n' {
            line_starts.push(i + 1);
        } else if q == '"' && c == '\\' {
            if chars.get(i + 1) == Some(&'\n') {
                line_starts.push(i + 2);
            }
            i += 1;
        } else if q == '\'' && c == '\'' && chars.get(i + 1) == Some(&'\'') {
            i += 1;
        } else if c == q {
            break;
        }
        i += 1;
    }
    if line_starts.is_empty() {
        return None;
    }
    let pad: String = " ".repeat(col.max(1));
    let mut out = String::with_capacity(text.len() + pad.len() * line_starts.len());
    let mut next = line_starts.iter().peekable();
    for (k, c) in chars.iter().enumerate() {
        if next.peek() == Some(&&k) {
            out.push_str(&pad);
            next.next();
        }
        out.push(*c);
    }
    Some(out)
}

const FLOW_INDENT: &str = "invalid indentation";

/// yaml-rust2 wants every line of a flow collection that follows a quoted scalar indented
/// deeper than the block around it (`b: [\n  "x"\n]` fails at the `]`); go-yaml does not
/// care. Between flow tokens, leading blanks mean nothing, so when the offending character
/// lies inside a flow collection its line is indented past the line that opened the
/// collection and parsed again (lines and line numbers stay the same). `None` when the
/// character is not inside a flow collection: then the error is real.
fn indent_flow_line(text: &str, at: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let open = flow_opened_at(&chars, at)?;
    let line_start = |i: usize| {
        chars[..i]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |p| p + 1)
    };
    let indent = |ls: usize| chars[ls..].iter().take_while(|&&c| c == ' ').count();
    let need = indent(line_start(open)) + 1;
    let ls = line_start(at.min(chars.len()));
    let have = indent(ls);
    let pad = if need > have { need - have } else { 1 };
    let mut out: String = chars[..ls].iter().collect();
    out.extend(std::iter::repeat_n(' ', pad));
    out.extend(&chars[ls..]);
    Some(out)
}

/// Where the innermost flow collection (`[` or `{`) still open at `at` was opened, if any.
/// A light scan: quoted scalars, comments and block scalars are skipped; `[`/`{` open a
/// collection only where a node may start (so `a: x[0]` is a plain scalar).
fn flow_opened_at(chars: &[char], at: usize) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut node_start = true;
    let mut after_blank = true;
    let mut line_indent = 0;
    let mut i = 0;
    while i < at.min(chars.len()) {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let blank_next = next.is_none_or(|n| n == ' ' || n == '\t' || n == '\n' || n == '\r');
        match c {
            '\n' => {
                line_indent = chars[i + 1..].iter().take_while(|&&c| c == ' ').count();
                node_start = true;
                after_blank = true;
                i += 1;
                continue;
            }
            ' ' | '\t' | '\r' => {
                after_blank = true;
                i += 1;
                continue;
            }
            '#' if after_blank => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '"' | '\'' if node_start || !open.is_empty() => {
                i += 1;
                while i < chars.len() {
                    match chars[i] {
                        '\\' if c == '"' => i += 1,
                        '\'' if c == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
                        q if q == c => break,
                        _ => {}
                    }
                    i += 1;
                }
                node_start = false;
            }
            '[' | '{' if node_start || !open.is_empty() => {
                open.push(i);
                node_start = true;
            }
            ']' | '}' if !open.is_empty() => {
                open.pop();
                node_start = false;
            }
            ',' if !open.is_empty() => node_start = true,
            ':' if blank_next || !open.is_empty() => node_start = true,
            '-' | '?' if node_start && open.is_empty() && blank_next => {}
            '|' | '>' if node_start && open.is_empty() => {
                // A block scalar: its lines are those indented deeper than this one.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                while i < chars.len() {
                    let ls = i + 1;
                    let ind = chars[ls.min(chars.len())..]
                        .iter()
                        .take_while(|&&c| c == ' ')
                        .count();
                    let rest = chars.get(ls + ind).copied();
                    let blank_line = rest.is_none_or(|r| r == '\n');
                    if ls >= chars.len() || (!blank_line && ind <= line_indent) {
                        break;
                    }
                    i = ls;
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                }
                continue;
            }
            _ => node_start = false,
        }
        after_blank = false;
        i += 1;
    }
    open.last().copied()
}

const TAB_AFTER_COLON: &str = "':' must be followed by a valid YAML whitespace";

/// YAML 1.2's `\/` escape, which yaml-rust2 accepts and go-yaml (YAML 1.1) refuses.
/// `start` is the byte offset of the opening quote, `line` its 1-based line.
fn check_double_quoted(src: &str, start: usize, line: usize) -> Result<(), Error> {
    let mut chars = src[start..].chars();
    if chars.next() != Some('"') {
        return Ok(());
    }
    let mut line = line;
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\n' => line += 1,
            '\\' => match chars.next() {
                Some('/') => {
                    let message = if line > 1 {
                        format!("yaml: line {line}: found unknown escape character")
                    } else {
                        "yaml: found unknown escape character".to_string()
                    };
                    return Err(Error {
                        line,
                        column: 0,
                        message,
                    });
                }
                Some('\n') => line += 1,
                _ => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// The `|` or `>` of the block scalar whose event is marked at byte `at` (line `line`), and
/// its line. yaml-rust2 marks a block scalar with content at its first content character,
/// so the indicator is on the closest earlier line that is not blank (outside a comment).
fn block_header(src: &str, at: usize, line: usize) -> (usize, usize) {
    if matches!(src.as_bytes().get(at), Some(b'|' | b'>')) {
        return (at, line);
    }
    let mut start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut line_no = line;
    while start > 0 {
        let prev_start = src[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let text = src[prev_start..start - 1].trim_end_matches('\r');
        line_no = line_no.saturating_sub(1);
        if text.trim_matches(' ').is_empty() {
            start = prev_start;
            continue;
        }
        let code = text.find(" #").map_or(text, |i| &text[..i]);
        if let Some(i) = code.rfind(['|', '>']) {
            return (prev_start + i, line_no);
        }
        break;
    }
    (at, line)
}

/// libyaml refuses a tab where a block scalar's indentation is expected (yaml-rust2 reads it
/// as content or as the end of the scalar). `byte_start` is the byte offset of the `|` or `>`,
/// `header_line` its 1-based line.
fn check_block_tabs(src: &str, byte_start: usize, header_line: usize) -> Result<(), Error> {
    let (byte_start, header_line) = block_header(src, byte_start, header_line);
    let line_start = src[..byte_start].rfind('\n').map_or(0, |i| i + 1);
    let header = &src[line_start..];
    let header = header.split('\n').next().unwrap_or("");
    let parent = header.len() - header.trim_start_matches(' ').len();
    let indicator = &src[byte_start..];
    let indicator = indicator.split('\n').next().unwrap_or("");
    let explicit = indicator
        .chars()
        .skip(1)
        .take(2)
        .find_map(|c| c.to_digit(10))
        .map(|d| parent + d as usize);
    let mut indent = explicit.unwrap_or(0);
    let mut max_blank = 0;
    for (k, line) in src[line_start..].split('\n').enumerate().skip(1) {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[spaces..];
        let tab_err = (indent == 0 || spaces < indent) && rest.starts_with('\t');
        if tab_err {
            let line_no = header_line + k;
            return Err(Error {
                line: line_no,
                column: spaces + 1,
                message: format!(
                    "yaml: line {line_no}: found a tab character where an indentation space is expected"
                ),
            });
        }
        if rest.is_empty() || rest == "\r" {
            max_blank = max_blank.max(spaces);
            continue;
        }
        if indent == 0 {
            indent = spaces.max(max_blank).max(parent + 1);
        }
        if spaces < indent {
            break;
        }
    }
    Ok(())
}

/// Turns the character offsets of yaml-rust2's markers into byte offsets and line numbers
/// with one walk over the text, as long as the offsets asked for grow (they do: events come
/// in document order), so checking every scalar stays linear in the input.
struct Locator<'a> {
    src: &'a str,
    chars: usize,
    byte: usize,
    line: usize,
}

impl<'a> Locator<'a> {
    fn new(src: &'a str) -> Locator<'a> {
        Locator {
            src,
            chars: 0,
            byte: 0,
            line: 1,
        }
    }

    /// The byte offset and 1-based line of the character at `index` (the end of the text
    /// when it is shorter).
    fn seek(&mut self, index: usize) -> (usize, usize) {
        if index < self.chars {
            *self = Locator::new(self.src);
        }
        let mut rest = self.src[self.byte..].chars();
        while self.chars < index {
            let Some(c) = rest.next() else { break };
            self.byte += c.len_utf8();
            self.chars += 1;
            if c == '\n' {
                self.line += 1;
            }
        }
        (self.byte, self.line)
    }
}

enum Fail {
    Scan(yaml_rust2::scanner::ScanError),
    Other(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail::Other(e)
    }
}

fn parse_events(src: &str, multi: bool) -> Result<Vec<Option<Rc<Node>>>, Fail> {
    let mut parser = Parser::new_from_str(src);
    let mut b = Builder {
        src,
        anchors: HashMap::new(),
        deferred: None,
    };
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Rc<Node>> = None;
    let mut in_doc = false;
    let check_escapes = src.contains("\\/");
    let has_tabs = src.contains('\t');
    let mut locator = Locator::new(src);
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => return Err(Fail::Scan(e)),
        };
        match ev {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart => {
                in_doc = true;
                root = None;
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                if let Some(e) = b.deferred.take() {
                    return Err(e.into());
                }
                docs.push(root.take());
                in_doc = false;
                if !multi {
                    break;
                }
            }
            Event::Alias(id) => {
                let node = match b.anchors.get(&id) {
                    Some(Some(n)) => Rc::new(Node::Alias(n.clone())),
                    _ => {
                        if b.deferred.is_none() {
                            b.deferred = Some(Error::plain(format!(
                                "anchor '{}' value contains itself",
                                b.name_at(&mark)
                            )));
                        }
                        Rc::new(Node::Scalar {
                            value: String::new(),
                            plain: true,
                            tag: String::new(),
                        })
                    }
                };
                root = root.or(b.finish(&mut stack, node));
            }
            Event::Scalar(value, style, anchor, tag) => {
                if style == TScalarStyle::DoubleQuoted && check_escapes {
                    let (at, line) = locator.seek(mark.index());
                    check_double_quoted(src, at, line)?;
                }
                if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) && has_tabs {
                    let (at, line) = locator.seek(mark.index());
                    check_block_tabs(src, at, line)?;
                }
                let node = Rc::new(Node::Scalar {
                    value,
                    plain: style == TScalarStyle::Plain,
                    tag: long_tag(&tag),
                });
                b.set_anchor(anchor, &node);
                root = root.or(b.finish(&mut stack, node));
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::plain("exceeded max depth of 10000").into());
                }
                if anchor != 0 {
                    b.anchors.insert(anchor, None);
                }
                stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq(anchor, Vec::new())
                } else {
                    Frame::Map(anchor, Vec::new())
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, node) = match stack.pop() {
                    Some(Frame::Seq(a, items)) => (a, Node::Seq(items)),
                    Some(Frame::Map(a, items)) => {
                        let mut pairs = Vec::with_capacity(items.len() / 2);
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                        (a, Node::Map(pairs))
                    }
                    None => continue,
                };
                let node = Rc::new(node);
                b.set_anchor(anchor, &node);
                root = root.or(b.finish(&mut stack, node));
            }
        }
    }
    if in_doc {
        if let Some(e) = b.deferred.take() {
            return Err(e.into());
        }
        docs.push(root.take());
    }
    Ok(docs)
}

/// A decoded go-yaml value (`interface{}` before the JSON conversion).
#[derive(Clone, Debug)]
pub(crate) enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

impl Y {
    fn same_key(&self, other: &Y) -> bool {
        match (self, other) {
            (Y::Null, Y::Null) => true,
            (Y::Bool(a), Y::Bool(b)) => a == b,
            (Y::Int(a), Y::Int(b)) => a == b,
            (Y::Uint(a), Y::Uint(b)) => a == b,
            (Y::Float(a), Y::Float(b)) => a == b,
            (Y::Str(a), Y::Str(b)) => a == b,
            _ => false,
        }
    }

    /// Go's `%#v` of the value, for error messages.
    fn go_syntax(&self) -> String {
        match self {
            Y::Null => "interface {}(nil)".into(),
            Y::Bool(b) => b.to_string(),
            Y::Int(i) => i.to_string(),
            Y::Uint(u) => format!("0x{u:x}"),
            Y::Float(f) => format_g(*f, false),
            Y::Str(s) => go_quote(s),
            Y::Seq(items) => {
                let inner: Vec<String> = items.iter().map(Y::go_syntax).collect();
                format!("[]interface {{}}{{{}}}", inner.join(", "))
            }
            Y::Map(pairs) => {
                let inner: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}:{}", k.go_syntax(), v.go_syntax()))
                    .collect();
                format!("map[interface {{}}]interface {{}}{{{}}}", inner.join(", "))
            }
        }
    }
}

pub(crate) use rudder_gocompat::quote::quote as go_quote;

struct Decoder {
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
}

fn allowed_alias_ratio(count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if count <= LOW {
        0.99
    } else if count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

fn is_merge(n: &Node) -> bool {
    matches!(n, Node::Scalar { value, plain, tag } if value == "<<"
        && ((*plain && tag.is_empty()) || is_tag(tag, "merge")))
}

fn unalias(n: &Node) -> &Node {
    match n {
        Node::Alias(t) => unalias(t),
        n => n,
    }
}

impl Decoder {
    fn tick(&mut self) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(Error::plain(
                "document contains excessive aliasing".to_string(),
            ));
        }
        Ok(())
    }

    fn decode(&mut self, n: &Node) -> Result<Y, Error> {
        self.tick()?;
        match n {
            Node::Alias(target) => {
                self.alias_depth += 1;
                let r = self.decode(target);
                self.alias_depth -= 1;
                r
            }
            Node::Scalar { value, plain, tag } => decode_scalar(value, *plain, tag),
            Node::Seq(items) => Ok(Y::Seq(
                items
                    .iter()
                    .map(|i| self.decode(i))
                    .collect::<Result<_, _>>()?,
            )),
            Node::Map(_) => {
                let mut out = MapOut::new();
                self.decode_map_into(n, &mut out)?;
                Ok(Y::Map(out.pairs))
            }
        }
    }

    fn decode_map_into(&mut self, n: &Node, out: &mut MapOut) -> Result<(), Error> {
        let Node::Map(pairs) = n else {
            return Ok(());
        };
        for (k, v) in pairs {
            if is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.decode(k)?;
            if matches!(key, Y::Seq(_) | Y::Map(_)) {
                return Err(Error::plain(format!(
                    "invalid map key: {}",
                    key.go_syntax()
                )));
            }
            let val = self.decode(v)?;
            out.insert(key, val);
        }
        Ok(())
    }

    fn merge(&mut self, n: &Node, out: &mut MapOut) -> Result<(), Error> {
        let want_map = || Error::plain("map merge requires map or sequence of maps as the value");
        match n {
            Node::Map(_) => {
                self.tick()?;
                self.decode_map_into(n, out)
            }
            Node::Alias(target) => {
                if !matches!(unalias(target), Node::Map(_)) {
                    return Err(want_map());
                }
                self.tick()?;
                self.alias_depth += 1;
                let r = self.decode_map_into(unalias(target), out);
                self.alias_depth -= 1;
                r
            }
            Node::Seq(items) => {
                for item in items.iter().rev() {
                    if !matches!(unalias(item), Node::Map(_)) {
                        return Err(want_map());
                    }
                    self.tick()?;
                    self.decode_map_into(unalias(item), out)?;
                }
                Ok(())
            }
            Node::Scalar { .. } => Err(want_map()),
        }
    }
}

/// Maps up to this many pairs find a repeated key by scanning; bigger ones keep a hash index.
const SCAN_LIMIT: usize = 16;

/// The pairs of one map being decoded (merged maps included), in first-seen order. A key seen
/// again keeps its place and takes the later value, as go-yaml v2's non-strict decoder does
/// (`SetMapIndex` on a Go map): Go's `==` on the dynamic key decides, so `1`, `1.0` and `"1"`
/// are three keys, `0.0` and `-0.0` one, and every NaN a key of its own. A Go map assignment
/// also stores the new key, so `{0.0: a, -0.0: b}` ends up keyed `-0`.
struct MapOut {
    pairs: Vec<(Y, Y)>,
    /// Indices into `pairs` by key hash, built once the map outgrows [`SCAN_LIMIT`].
    index: Option<HashTable<usize>>,
    hasher: DefaultHashBuilder,
}

/// The hash of a scalar key, consistent with [`Y::same_key`]; `None` for NaN (equal to
/// nothing, never looked up) and for collections (refused as keys before insertion).
fn key_hash(hasher: &DefaultHashBuilder, k: &Y) -> Option<u64> {
    Some(match k {
        Y::Null => hasher.hash_one(0u8),
        Y::Bool(b) => hasher.hash_one((1u8, *b)),
        Y::Int(i) => hasher.hash_one((2u8, *i)),
        Y::Uint(u) => hasher.hash_one((3u8, *u)),
        Y::Float(f) if f.is_nan() => return None,
        // 0.0 == -0.0 in Go, so both hash as 0.0.
        Y::Float(f) => hasher.hash_one((4u8, if *f == 0.0 { 0 } else { f.to_bits() })),
        Y::Str(s) => hasher.hash_one((5u8, s.as_str())),
        Y::Seq(_) | Y::Map(_) => return None,
    })
}

impl MapOut {
    fn new() -> MapOut {
        MapOut {
            pairs: Vec::new(),
            index: None,
            hasher: DefaultHashBuilder::default(),
        }
    }

    fn insert(&mut self, key: Y, val: Y) {
        if self.index.is_none() && self.pairs.len() >= SCAN_LIMIT {
            let mut table = HashTable::with_capacity(self.pairs.len() * 2);
            for (i, (k, _)) in self.pairs.iter().enumerate() {
                if let Some(h) = key_hash(&self.hasher, k) {
                    // The pairs hold distinct keys: no lookup needed.
                    table.insert_unique(h, i, |&j| {
                        key_hash(&self.hasher, &self.pairs[j].0).unwrap_or(0)
                    });
                }
            }
            self.index = Some(table);
        }
        let Some(table) = &mut self.index else {
            match self.pairs.iter_mut().find(|(k, _)| k.same_key(&key)) {
                Some(slot) => *slot = (key, val),
                None => self.pairs.push((key, val)),
            }
            return;
        };
        let Some(h) = key_hash(&self.hasher, &key) else {
            self.pairs.push((key, val));
            return;
        };
        let pairs = &mut self.pairs;
        match table.find(h, |&j| pairs[j].0.same_key(&key)) {
            Some(&j) => pairs[j] = (key, val),
            None => {
                let hasher = &self.hasher;
                table.insert_unique(h, pairs.len(), |&j| {
                    key_hash(hasher, &pairs[j].0).unwrap_or(0)
                });
                pairs.push((key, val));
            }
        }
    }
}

fn decode_scalar(value: &str, plain: bool, tag: &str) -> Result<Y, Error> {
    if tag.is_empty() && !plain {
        return Ok(Y::Str(value.to_string()));
    }
    if is_tag(tag, "binary") {
        use base64::Engine as _;
        let cleaned: String = value
            .chars()
            .filter(|c| !matches!(c, '\r' | '\n'))
            .collect();
        let data = base64::engine::general_purpose::STANDARD
            .decode(cleaned.as_bytes())
            .map_err(|_| Error::plain("!!binary value contains invalid base64 data"))?;
        return Ok(Y::Str(String::from_utf8_lossy(&data).into_owned()));
    }
    let r = resolve(tag, value).map_err(Error::plain)?;
    Ok(match r {
        Scalar::Null => Y::Null,
        Scalar::Bool(b) => Y::Bool(b),
        Scalar::Int(i) => Y::Int(i),
        Scalar::Uint(u) => Y::Uint(u),
        Scalar::Float(f) => Y::Float(f),
        Scalar::Str(s) | Scalar::Timestamp(s) => Y::Str(s),
        Scalar::Merge => Y::Str("<<".into()),
    })
}

/// Go's `%+#v` of a map value in sigs.k8s.io/yaml's key error.
fn go_plus_syntax(v: &Y) -> String {
    match v {
        Y::Null => "<nil>".into(),
        other => other.go_syntax(),
    }
}

fn key_string(k: Y, v: &Y) -> Result<String, Error> {
    Ok(match k {
        Y::Str(s) => s,
        Y::Int(i) => i.to_string(),
        Y::Float(f) => match format_g(f, true).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        },
        Y::Bool(b) => b.to_string(),
        Y::Uint(u) => {
            return Err(Error::raw(format!(
                "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                go_plus_syntax(v)
            )));
        }
        Y::Null => {
            return Err(Error::raw(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                go_plus_syntax(v)
            )));
        }
        Y::Seq(_) | Y::Map(_) => String::new(),
    })
}

/// sigs.k8s.io/yaml's JSON conversion followed by `encoding/json` into `interface{}`:
/// string keys, float64 numbers, NaN and infinities refused. The tree is consumed, so no
/// string is copied.
/// With `keep_ints`, integers stay JSON integers (what `YAMLToJSON` writes, before
/// `encoding/json` turns them into float64).
fn to_json(y: Y, keep_ints: bool) -> Result<serde_json::Value, Error> {
    use serde_json::Value as J;
    Ok(match y {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Int(i) if keep_ints => J::from(i),
        Y::Uint(u) if keep_ints => J::from(u),
        Y::Int(i) => float(i as f64)?,
        Y::Uint(u) => float(u as f64)?,
        Y::Float(f) => float(f)?,
        Y::Str(s) => J::String(s),
        Y::Seq(items) => J::Array(
            items
                .into_iter()
                .map(|i| to_json(i, keep_ints))
                .collect::<Result<_, _>>()?,
        ),
        Y::Map(pairs) => {
            // Every key is checked before any value, as the conversion does.
            let mut keyed = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                keyed.push((key_string(k, &v)?, v));
            }
            let mut m = serde_json::Map::new();
            for (k, v) in keyed {
                m.insert(k, to_json(v, keep_ints)?);
            }
            J::Object(m)
        }
    })
}

fn float(f: f64) -> Result<serde_json::Value, Error> {
    serde_json::Number::from_f64(f)
        .map(serde_json::Value::Number)
        .ok_or_else(|| Error::raw(format!("json: unsupported value: {}", format_g(f, false))))
}

/// Decodes one parsed document.
fn decode_doc(node: Option<&Rc<Node>>, keep_ints: bool) -> Result<serde_json::Value, Error> {
    let Some(node) = node else {
        return Ok(serde_json::Value::Null);
    };
    let mut d = Decoder {
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
    };
    let y = d.decode(node)?;
    to_json(y, keep_ints)
}

pub(crate) fn from_str(s: &str, keep_ints: bool) -> Result<serde_json::Value, Error> {
    let docs = parse_first(s, false)?;
    decode_doc(docs.first().and_then(Option::as_ref), keep_ints)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that are equal for Go's `==` and no others meet, whether the map is scanned or
    /// indexed: `1`, `1.0` and `"1"` stay three keys (the JSON conversion then keeps the last of
    /// them; Helm's choice between them is random), `-0.0` replaces `0.0`, NaNs never meet.
    #[test]
    fn key_equality_scanned_and_indexed() {
        for filler in [0, 30] {
            let mut src = String::from("{");
            for i in 0..filler {
                src.push_str(&format!("f{i}: 0, "));
            }
            src.push_str("1: int, 1.0: float, \"1\": str, 1: int2, 0.0: a, -0.0: b, .nan: n1, .nan: n2, true: t, yes: last}");
            let docs = parse_first(&src, false).unwrap();
            let node = docs[0].as_ref().unwrap();
            let mut d = Decoder {
                decode_count: 0,
                alias_count: 0,
                alias_depth: 0,
            };
            let Y::Map(pairs) = d.decode(node).unwrap() else {
                panic!("not a map");
            };
            let rest: Vec<String> = pairs[filler..]
                .iter()
                .map(|(k, v)| format!("{}={}", k.go_syntax(), v.go_syntax()))
                .collect();
            assert_eq!(
                rest,
                [
                    "1=\"int2\"",
                    "1=\"float\"",
                    "\"1\"=\"str\"",
                    "-0=\"b\"",
                    "NaN=\"n1\"",
                    "NaN=\"n2\"",
                    "true=\"last\"",
                ],
                "with {filler} keys before"
            );
        }
    }
}
