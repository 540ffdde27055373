//! Sprig's regular-expression functions over Go's RE2 syntax.
//!
//! Patterns run on the `regex` crate after a small translation to Go's meaning (`\d`, `\w`,
//! `\s` and `\b` are ASCII-only in Go, `\Q...\E` quotes). Go's syntax errors are recognised
//! before compiling so the messages are Go's (`missing closing ): ...`). Matching, splitting
//! and replacing follow Go's rules for empty matches, and `$1` / `${name}` expand as Go's
//! `Regexp.Expand` does.

use std::sync::Arc;

use regex::Regex;

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::{arg_int, arg_str};
use crate::value::Value;

pub static FUNCS: &[Func] = &[
    Func::new("regexMatch", &[Ty::String, Ty::String], regex_match),
    Func::new(
        "mustRegexMatch",
        &[Ty::String, Ty::String],
        must_regex_match,
    ),
    Func::new(
        "regexFindAll",
        &[Ty::String, Ty::String, Ty::Int],
        regex_find_all,
    ),
    Func::new(
        "mustRegexFindAll",
        &[Ty::String, Ty::String, Ty::Int],
        must_regex_find_all,
    ),
    Func::new("regexFind", &[Ty::String, Ty::String], regex_find),
    Func::new("mustRegexFind", &[Ty::String, Ty::String], must_regex_find),
    Func::new(
        "regexReplaceAll",
        &[Ty::String, Ty::String, Ty::String],
        regex_replace_all,
    ),
    Func::new(
        "mustRegexReplaceAll",
        &[Ty::String, Ty::String, Ty::String],
        must_regex_replace_all,
    ),
    Func::new(
        "regexReplaceAllLiteral",
        &[Ty::String, Ty::String, Ty::String],
        regex_replace_all_literal,
    ),
    Func::new(
        "mustRegexReplaceAllLiteral",
        &[Ty::String, Ty::String, Ty::String],
        must_regex_replace_all_literal,
    ),
    Func::new(
        "regexSplit",
        &[Ty::String, Ty::String, Ty::Int],
        regex_split,
    ),
    Func::new(
        "mustRegexSplit",
        &[Ty::String, Ty::String, Ty::Int],
        must_regex_split,
    ),
    Func::new("regexQuoteMeta", &[Ty::String], regex_quote_meta),
];

/// A compiled Go regular expression.
pub struct GoRegex {
    re: Regex,
    expr: String,
}

/// Patterns compiled so far: templates call the same few patterns in loops.
fn cache_get(expr: &str) -> Option<Result<Arc<GoRegex>, String>> {
    CACHE.with(|c| c.borrow().get(expr).cloned())
}

fn cache_put(expr: &str, r: Result<Arc<GoRegex>, String>) {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 512 {
            c.clear();
        }
        c.insert(expr.to_string(), r);
    });
}

type Cache = std::collections::HashMap<String, Result<Arc<GoRegex>, String>>;

thread_local! {
    static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
}

impl GoRegex {
    /// [`GoRegex::compile`] through a per-thread cache.
    pub fn cached(expr: &str) -> Result<Arc<GoRegex>, String> {
        if let Some(r) = cache_get(expr) {
            return r;
        }
        let r = GoRegex::compile(expr).map(Arc::new);
        cache_put(expr, r.clone());
        r
    }

    /// Go's `regexp.Compile`: `Err` carries Go's message (`error parsing regexp: ...`).
    pub fn compile(expr: &str) -> Result<GoRegex, String> {
        if let Some(e) = go_syntax_error(expr) {
            return Err(format!("error parsing regexp: {e}"));
        }
        let translated = translate(expr);
        let re = regex::RegexBuilder::new(&translated)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| format!("error parsing regexp: {}", rust_error_text(&e, expr)))?;
        Ok(GoRegex {
            re,
            expr: expr.to_string(),
        })
    }

    /// Go's `regexp.MustCompile` failure as text/template reports the panic.
    fn must(expr: &str) -> Result<Arc<GoRegex>, String> {
        GoRegex::cached(expr).map_err(|e| format!("regexp: Compile({}): {e}", regexp_quote(expr)))
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }

    /// `(start, end)` of each match as Go's `allMatches` yields them (an empty match right
    /// after the previous match is skipped), at most `n` (all when `n < 0`).
    pub fn find_all(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if n == 0 {
            return out;
        }
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        while pos <= s.len() {
            if n > 0 && out.len() as i64 >= n {
                break;
            }
            let Some(m) = self.re.find_at(s, pos) else {
                break;
            };
            let (a, b) = (m.start(), m.end());
            let mut accept = true;
            if b == a {
                if Some(a) == prev_end {
                    accept = false;
                }
                pos = next_pos(s, a);
            } else {
                pos = b;
            }
            prev_end = Some(b);
            if accept {
                out.push((a, b));
            }
        }
        out
    }

    /// Go's `ReplaceAllString` (with `$` expansion) or `ReplaceAllLiteralString`.
    pub fn replace_all(&self, src: &str, repl: &str, literal: bool) -> String {
        let mut dst = String::with_capacity(src.len());
        let mut last_end = 0;
        let mut search = 0;
        let mut locs = self.re.capture_locations();
        while search <= src.len() {
            let Some(m) = self.re.captures_read_at(&mut locs, src, search) else {
                break;
            };
            let (a, b) = (m.start(), m.end());
            dst.push_str(&src[last_end.min(a)..a]);
            if b > last_end || a == 0 {
                if literal {
                    dst.push_str(repl);
                } else {
                    self.expand(&mut dst, repl, src, &locs);
                }
            }
            last_end = b;
            let width = src[search..].chars().next().map_or(1, char::len_utf8);
            if search + width > b {
                search += width;
            } else if search + 1 > b {
                search += 1;
            } else {
                search = b;
            }
        }
        dst.push_str(&src[last_end.min(src.len())..]);
        dst
    }

    /// Go's `Regexp.Expand` of `template` for one match.
    fn expand(&self, dst: &mut String, template: &str, src: &str, locs: &regex::CaptureLocations) {
        let mut t = template;
        while let Some(i) = t.find('$') {
            dst.push_str(&t[..i]);
            t = &t[i + 1..];
            if let Some(rest) = t.strip_prefix('$') {
                dst.push('$');
                t = rest;
                continue;
            }
            let Some((name, num, rest)) = extract_name(t) else {
                dst.push('$');
                continue;
            };
            t = rest;
            let group = match num {
                Some(n) => Some(n),
                None => self.re.capture_names().position(|g| g == Some(name)),
            };
            if let Some((a, b)) = group.and_then(|g| locs.get(g)) {
                dst.push_str(&src[a..b]);
            }
        }
        dst.push_str(t);
    }

    /// Go's `Regexp.Split`.
    pub fn split(&self, s: &str, n: i64) -> Vec<String> {
        if n == 0 {
            return Vec::new();
        }
        if !self.expr.is_empty() && s.is_empty() {
            return vec![String::new()];
        }
        let matches = self.find_all(s, n);
        let mut out = Vec::with_capacity(matches.len() + 1);
        let (mut beg, mut end) = (0, 0);
        for (a, b) in matches {
            if n > 0 && out.len() as i64 == n - 1 {
                break;
            }
            end = a;
            if b != 0 {
                out.push(s[beg..end].to_string());
            }
            beg = b;
        }
        if end != s.len() {
            out.push(s[beg..].to_string());
        }
        out
    }
}

/// How Go's regexp package quotes a pattern in messages: in backquotes when
/// `strconv.CanBackquote` allows it, else with `strconv.Quote`.
fn regexp_quote(s: &str) -> String {
    let can = s.chars().all(|c| match c {
        '\t' => true,
        '`' | '\u{7f}' | '\u{FEFF}' => false,
        c => c >= ' ',
    });
    if can {
        format!("`{s}`")
    } else {
        crate::funcs::conv::go_quote(s)
    }
}

/// Whether `{...` at the start of `s` is a repetition Go accepts (`{n}`, `{n,}`, `{n,m}`);
/// otherwise Go reads the brace as a literal.
fn is_repeat(s: &str) -> bool {
    let Some(close) = s.find('}') else {
        return false;
    };
    let inner = &s[1..close];
    let (lo, hi) = inner.split_once(',').unwrap_or((inner, inner));
    !lo.is_empty()
        && lo.bytes().all(|x| x.is_ascii_digit())
        && hi.bytes().all(|x| x.is_ascii_digit())
}

/// Position after the rune at `i` (or one past the end).
fn next_pos(s: &str, i: usize) -> usize {
    match s[i..].chars().next() {
        Some(c) => i + c.len_utf8(),
        None => i + 1,
    }
}

/// Go's `extract`: the group name after `$` (`1`, `name`, `{name}`), its number when it is
/// all digits without a leading zero, and the rest of the template.
fn extract_name(t: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match t.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphabetic() || c.is_numeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for c in name.bytes() {
        match num {
            Some(n) if c.is_ascii_digit() && n < 100_000_000 => {
                num = Some(n * 10 + (c - b'0') as usize)
            }
            _ => {
                num = None;
                break;
            }
        }
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

/// Rewrites Go's syntax where the `regex` crate reads it differently.
fn translate(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len() + 16);
    let mut chars = expr.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let rep: Option<&str> = match e {
                    'd' => Some("[0-9]"),
                    'D' => Some("[^0-9]"),
                    'w' => Some("[0-9A-Za-z_]"),
                    'W' => Some("[^0-9A-Za-z_]"),
                    's' => Some("[\\t\\n\\f\\r ]"),
                    'S' => Some("[^\\t\\n\\f\\r ]"),
                    'b' if !in_class => Some("(?-u:\\b)"),
                    'B' if !in_class => Some("(?-u:\\B)"),
                    _ => None,
                };
                if let Some(r) = rep {
                    out.push_str(r);
                } else if e.is_digit(8) {
                    // Go's octal escape: `\\0`, `\\012`, `\\101` (up to three digits).
                    let mut n = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match chars.peek().and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                n = n * 8 + d;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push_str(&format!("\\x{{{n:x}}}"));
                } else if e == 'Q' {
                    // Literal text up to \E.
                    let mut lit = String::new();
                    while let Some(q) = chars.next() {
                        if q == '\\' && chars.peek() == Some(&'E') {
                            chars.next();
                            break;
                        }
                        lit.push(q);
                    }
                    if in_class {
                        for q in lit.chars() {
                            out.push_str(&regex::escape(&q.to_string()));
                        }
                    } else {
                        out.push_str(&regex::escape(&lit));
                    }
                } else if e.is_ascii_punctuation() && !is_meta(e) {
                    // Go allows escaping any punctuation; write it plainly.
                    out.push_str(&regex::escape(&e.to_string()));
                } else {
                    out.push('\\');
                    out.push(e);
                    // `\p{Greek}`, `\x{10FFFF}`: the braces belong to the escape.
                    if matches!(e, 'p' | 'P' | 'x') && chars.peek() == Some(&'{') {
                        for q in chars.by_ref() {
                            out.push(q);
                            if q == '}' {
                                break;
                            }
                        }
                    }
                }
                class_start = false;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                continue;
            }
            '[' if in_class => {
                // A POSIX class `[:alpha:]` stays; a lone `[` is a literal in Go.
                if chars.peek() == Some(&':') {
                    out.push('[');
                } else {
                    out.push_str("\\[");
                }
            }
            ']' if in_class && !class_start => {
                in_class = false;
                out.push(']');
            }
            ']' if in_class => out.push_str("\\]"),
            '{' if !in_class => {
                let rest: String = std::iter::once('{').chain(chars.clone()).collect();
                if is_repeat(&rest) {
                    out.push('{');
                } else {
                    out.push_str("\\{");
                }
            }
            '}' if !in_class => {
                // A closing brace that ends a repetition was emitted with it; others are
                // literal in Go.
                if out.ends_with(|c: char| c.is_ascii_digit() || c == ',') && open_repeat(&out) {
                    out.push('}');
                } else {
                    out.push_str("\\}");
                }
            }
            '&' | '~' | '-' if in_class && chars.peek() == Some(&c) => {
                // `&&`, `~~` and `--` are set operations for the regex crate, literals in Go.
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        class_start = false;
    }
    out
}

/// Whether the translated text ends inside a `{n,m` repetition.
fn open_repeat(out: &str) -> bool {
    let Some(i) = out.rfind('{') else {
        return false;
    };
    if i > 0 && out[..i].ends_with('\\') {
        return false;
    }
    out[i + 1..]
        .bytes()
        .all(|c| c.is_ascii_digit() || c == b',')
}

/// Characters the `regex` crate treats as syntax (and accepts escaped).
fn is_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// Go's parse errors for the mistakes people make; `None` when Go would accept the
/// pattern's structure.
fn go_syntax_error(expr: &str) -> Option<String> {
    let b: Vec<char> = expr.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    // Whether a repetition operator has something to repeat here, and whether the previous
    // item was itself a repetition.
    let mut can_repeat = false;
    let mut after_repeat: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        match c {
            '\\' => {
                if i + 1 >= b.len() {
                    return Some("trailing backslash at end of expression: ``".into());
                }
                let e = b[i + 1];
                if let Some(err) = escape_error(&b, i, false) {
                    return Some(err);
                }
                if e == 'Q' {
                    let rest: String = b[i + 2..].iter().collect();
                    let skip = rest
                        .find("\\E")
                        .map_or(rest.chars().count(), |p| rest[..p].chars().count() + 2);
                    i += 2 + skip;
                    can_repeat = true;
                    after_repeat = None;
                    continue;
                }
                if matches!(e, 'p' | 'P') {
                    i += 2;
                    if i < b.len() && b[i] == '{' {
                        while i < b.len() && b[i] != '}' {
                            i += 1;
                        }
                    }
                    i += 1;
                } else if e == 'x' {
                    i += 2;
                    if i < b.len() && b[i] == '{' {
                        while i < b.len() && b[i] != '}' {
                            i += 1;
                        }
                        i += 1;
                    } else {
                        i += 2;
                    }
                } else {
                    i += 2;
                }
                can_repeat = true;
                after_repeat = None;
                continue;
            }
            '(' => {
                depth += 1;
                if b.get(i + 1) == Some(&'?') {
                    // Flags or a named group: skip the header.
                    let mut j = i + 2;
                    if b.get(j) == Some(&'P') || b.get(j) == Some(&'<') {
                        let begin = i;
                        while j < b.len() && b[j] != '>' {
                            j += 1;
                        }
                        let head: String = b[begin..(j + 1).min(b.len())].iter().collect();
                        let name_start = if b.get(i + 2) == Some(&'P') {
                            i + 4
                        } else {
                            i + 3
                        };
                        let valid_head = b.get(i + 2) != Some(&'P') || b.get(i + 3) == Some(&'<');
                        let name: String = b[name_start.min(j)..j.min(b.len())].iter().collect();
                        if j >= b.len()
                            || !valid_head
                            || name.is_empty()
                            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            return Some(format!("invalid named capture: `{head}`"));
                        }
                        i = j + 1;
                    } else {
                        while j < b.len() && b[j] != ')' && b[j] != ':' {
                            if !matches!(b[j], 'i' | 'm' | 's' | 'U' | '-') {
                                let text: String = b[i..(j + 1).min(b.len())].iter().collect();
                                return Some(format!(
                                    "invalid or unsupported Perl syntax: `{text}`"
                                ));
                            }
                            j += 1;
                        }
                        if b.get(j) == Some(&')') {
                            depth -= 1;
                            i = j + 1;
                            can_repeat = false;
                            after_repeat = None;
                            continue;
                        }
                        i = j + 1;
                    }
                } else {
                    i += 1;
                }
                can_repeat = false;
                after_repeat = None;
                continue;
            }
            ')' => {
                if depth == 0 {
                    return Some(format!("unexpected ): `{expr}`"));
                }
                depth -= 1;
                can_repeat = true;
                after_repeat = None;
            }
            '|' => {
                can_repeat = false;
                after_repeat = None;
            }
            '[' => {
                let start = i;
                let mut j = i + 1;
                if b.get(j) == Some(&'^') {
                    j += 1;
                }
                if b.get(j) == Some(&']') {
                    j += 1;
                }
                let mut closed = false;
                let first = j;
                while j < b.len() {
                    if b[j] == ']' && j > first {
                        closed = true;
                        break;
                    }
                    if b[j] == '[' && b.get(j + 1) == Some(&':') {
                        let rest: String = b[j..].iter().collect();
                        if let Some(p) = rest.find(":]") {
                            j += rest[..p].chars().count() + 2;
                            continue;
                        }
                    }
                    // One class item: a character (maybe escaped), maybe a range `lo-hi`.
                    if b[j] == '\\'
                        && let Some(err) = escape_error(&b, j, true)
                    {
                        return Some(err);
                    }
                    let (lo, next) = class_char(&b, j);
                    j = next;
                    if b.get(j) == Some(&'-') && b.get(j + 1).is_some_and(|&c| c != ']') {
                        let (hi, after) = class_char(&b, j + 1);
                        if hi.is_none() && b[j + 1] == '\\' {
                            // A class such as `\\d` cannot end a range.
                            let text: String = b[j + 1..after].iter().collect();
                            return Some(format!("invalid escape sequence: `{text}`"));
                        }
                        if let (Some(lo), Some(hi)) = (lo, hi)
                            && hi < lo
                        {
                            let item: String = b[item_start(&b, next)..after].iter().collect();
                            return Some(format!("invalid character class range: `{item}`"));
                        }
                        j = after;
                    }
                }
                if !closed {
                    let text: String = b[start..].iter().collect();
                    return Some(format!("missing closing ]: `{text}`"));
                }
                i = j + 1;
                can_repeat = true;
                after_repeat = None;
                continue;
            }
            '*' | '+' | '?' | '{' => {
                let mut j = i + 1;
                if c == '{' {
                    // Only `{n}`, `{n,}`, `{n,m}` are repetitions; anything else is a literal.
                    let rest: String = b[i..].iter().collect();
                    let Some(close) = rest.find('}') else {
                        can_repeat = true;
                        after_repeat = None;
                        i += 1;
                        continue;
                    };
                    let inner = &rest[1..close];
                    let valid = {
                        let (lo, hi) = inner.split_once(',').unwrap_or((inner, inner));
                        !lo.is_empty()
                            && lo.bytes().all(|x| x.is_ascii_digit())
                            && hi.bytes().all(|x| x.is_ascii_digit())
                    };
                    if !valid {
                        can_repeat = true;
                        after_repeat = None;
                        i += 1;
                        continue;
                    }
                    let (lo, hi) = inner.split_once(',').unwrap_or((inner, inner));
                    let too_big = |s: &str| s.parse::<u64>().map_or(!s.is_empty(), |n| n > 1000);
                    let lo_n = lo.parse::<u64>().unwrap_or(0);
                    let bad_order = !hi.is_empty() && hi.parse::<u64>().is_ok_and(|h| h < lo_n);
                    j = i + inner.chars().count() + 2;
                    if too_big(lo) || too_big(hi) || bad_order {
                        let text: String = b[i..j].iter().collect();
                        return Some(format!("invalid repeat count: `{text}`"));
                    }
                }
                if b.get(j) == Some(&'?') {
                    j += 1;
                }
                let op: String = b[i..j].iter().collect();
                if let Some(prev) = after_repeat {
                    let text: String = b[prev..j].iter().collect();
                    return Some(format!("invalid nested repetition operator: `{text}`"));
                }
                if !can_repeat {
                    return Some(format!("missing argument to repetition operator: `{op}`"));
                }
                after_repeat = Some(i);
                i = j;
                continue;
            }
            '^' | '$' => {
                can_repeat = true;
                after_repeat = None;
            }
            _ => {
                can_repeat = true;
                after_repeat = None;
            }
        }
        i += 1;
    }
    if depth > 0 {
        return Some(format!("missing closing ): `{expr}`"));
    }
    None
}

/// Go's complaint about the escape at `b[j] == '\\'`, if any: unknown letters, `\\8`, a
/// lone `\\1` (a back-reference), or an unknown `\\p` class.
fn escape_error(b: &[char], j: usize, in_class: bool) -> Option<String> {
    let e = *b.get(j + 1)?;
    let bad = || Some(format!("invalid escape sequence: `\\{e}`"));
    match e {
        '0' => None,
        '1'..='7' => {
            if b.get(j + 2).is_some_and(|c| ('0'..='7').contains(c)) {
                None
            } else {
                bad()
            }
        }
        '8' | '9' => bad(),
        'p' | 'P' => {
            let (name, end) = if b.get(j + 2) == Some(&'{') {
                let close = b[j + 2..].iter().position(|&c| c == '}')? + j + 2;
                (b[j + 3..close].iter().collect::<String>(), close + 1)
            } else {
                (
                    b.get(j + 2).map(|c| c.to_string()).unwrap_or_default(),
                    j + 3,
                )
            };
            let name = name.strip_prefix('^').unwrap_or(&name).to_string();
            if Regex::new(&format!("\\p{{{name}}}")).is_err() {
                let text: String = b[j..end.min(b.len())].iter().collect();
                return Some(format!("invalid character class range: `{text}`"));
            }
            None
        }
        c if c.is_ascii_alphabetic() => {
            let ok = if in_class {
                "afnrtvxdDsSwW"
            } else {
                "afnrtvxAbBzdDsSwWQ"
            };
            if ok.contains(c) { None } else { bad() }
        }
        _ => None,
    }
}

/// The character of a class item at `j` (`None` for escapes such as `\\d` that are not
/// one character) and the index after it.
fn class_char(b: &[char], j: usize) -> (Option<char>, usize) {
    if b[j] != '\\' {
        return (Some(b[j]), j + 1);
    }
    match b.get(j + 1) {
        Some(&c) if c.is_ascii_punctuation() => (Some(c), j + 2),
        Some('n') => (Some('\n'), j + 2),
        Some('t') => (Some('\t'), j + 2),
        Some(_) => (None, j + 2),
        None => (None, j + 1),
    }
}

/// Where the class item ending just before `next` starts.
fn item_start(b: &[char], next: usize) -> usize {
    if next >= 2 && b[next - 2] == '\\' {
        next - 2
    } else {
        next - 1
    }
}

/// The `regex` crate's error, for patterns Go rejects in ways not recognised above.
fn rust_error_text(e: &regex::Error, expr: &str) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .unwrap_or("invalid syntax");
    format!("{}: `{expr}`", last.trim_start_matches("error: "))
}

fn strings(v: Vec<String>) -> Value {
    Value::StringList(Arc::new(v.into_iter().map(Arc::from).collect()))
}

fn regex_match(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        GoRegex::cached(arg_str(a, 0)).is_ok_and(|r| r.is_match(arg_str(a, 1))),
    ))
}

fn must_regex_match(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        GoRegex::cached(arg_str(a, 0))?.is_match(arg_str(a, 1)),
    ))
}

fn find_all(re: &GoRegex, s: &str, n: i64) -> Value {
    strings(
        re.find_all(s, n)
            .into_iter()
            .map(|(x, y)| s[x..y].to_string())
            .collect(),
    )
}

/// Defines one of Sprig's regular-expression functions and its `must` twin from one body,
/// which sees the pattern (the first argument) compiled as `re` and the arguments as `a`. The
/// plain function compiles with Go's `regexp.MustCompile`, whose panic becomes the error
/// ([`GoRegex::must`]); the `must` one returns the compile error ([`GoRegex::cached`]).
macro_rules! plain_and_must {
    ($plain:ident, $must:ident, |$re:ident, $a:ident| $body:expr) => {
        fn $plain(_: &mut FuncCtx<'_>, $a: &[Value]) -> Result<Value, String> {
            let $re = GoRegex::must(arg_str($a, 0))?;
            Ok($body)
        }

        fn $must(_: &mut FuncCtx<'_>, $a: &[Value]) -> Result<Value, String> {
            let $re = GoRegex::cached(arg_str($a, 0))?;
            Ok($body)
        }
    };
}

plain_and_must!(regex_find_all, must_regex_find_all, |re, a| find_all(
    &re,
    arg_str(a, 1),
    arg_int(a, 2)
));

fn find(re: &GoRegex, s: &str) -> Value {
    Value::str(re.re.find(s).map_or("", |m| m.as_str()))
}

plain_and_must!(regex_find, must_regex_find, |re, a| find(
    &re,
    arg_str(a, 1)
));

plain_and_must!(regex_replace_all, must_regex_replace_all, |re, a| {
    Value::str(re.replace_all(arg_str(a, 1), arg_str(a, 2), false))
});

plain_and_must!(
    regex_replace_all_literal,
    must_regex_replace_all_literal,
    |re, a| Value::str(re.replace_all(arg_str(a, 1), arg_str(a, 2), true))
);

plain_and_must!(regex_split, must_regex_split, |re, a| strings(
    re.split(arg_str(a, 1), arg_int(a, 2))
));

/// Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn regex_quote_meta(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(quote_meta(arg_str(a, 0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(e: &str) -> GoRegex {
        GoRegex::compile(e).unwrap()
    }

    #[test]
    fn go_empty_match_rules() {
        assert_eq!(
            re("a*").split("abaabaccadaaae", 5),
            ["", "b", "b", "c", "cadaaae"]
        );
        assert_eq!(re("x*").replace_all("abc", "-", false), "-a-b-c-");
        assert_eq!(re("a*").replace_all("baaac", "X", false), "XbXcX");
        assert_eq!(re("a").split("banana", -1), ["b", "n", "n", ""]);
        assert_eq!(re("z+").split("pizza", 2), ["pi", "a"]);
        assert_eq!(re("").split("abc", -1), ["a", "b", "c"]);
        assert_eq!(re("a").split("", -1), [""]);
        assert_eq!(re("a*").find_all("baaac", -1), [(0, 0), (1, 4), (5, 5)]);
    }

    #[test]
    fn expansion() {
        let r = re(r"(?P<first>\w+)\s(\w+)");
        assert_eq!(
            r.replace_all("hello world", "$2 ${first}", false),
            "world hello"
        );
        assert_eq!(r.replace_all("hello world", "$2x|$$|$", false), "|$|$");
        assert_eq!(r.replace_all("hello world", "${2}x", false), "worldx");
        assert_eq!(r.replace_all("hello world", "$2x", true), "$2x");
        assert_eq!(r.replace_all("hello world", "$01", false), "");
    }

    #[test]
    fn ascii_classes() {
        assert!(!re(r"^\d$").is_match("٣"));
        assert!(!re(r"^\w$").is_match("é"));
        assert!(re(r"^\Qa.b\E$").is_match("a.b"));
        assert!(!re(r"^\Qa.b\E$").is_match("axb"));
        assert!(re(r"^\/\!$").is_match("/!"));
        assert!(re(r"^\101\0$").is_match("A\0"));
        assert!(re(r"^\p{L}+\x{41}a{,2}x{$").is_match("éAa{,2}x{"));
    }

    #[test]
    fn go_errors() {
        let err = |e: &str| GoRegex::compile(e).err().unwrap_or_default();
        assert_eq!(
            err("(abc"),
            "error parsing regexp: missing closing ): `(abc`"
        );
        assert_eq!(err("abc)"), "error parsing regexp: unexpected ): `abc)`");
        assert_eq!(
            err("a[bc"),
            "error parsing regexp: missing closing ]: `[bc`"
        );
        assert_eq!(
            err("*a"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            err("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            err("a\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            GoRegex::must("(").err().unwrap_or_default(),
            "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
        assert!(GoRegex::compile("a{2}b*?c+?(?i)x(?:y)|[[:alpha:]]").is_ok());
    }
}
