//! Sprig's string functions (`trim`, `upper`, `indent`, `quote`, `snakecase`, `splitList`,
//! ...), with Go's semantics: byte-based slicing where Go slices bytes, Go's simple
//! one-rune case mappings, and the same panics (as errors) where Go would panic.

use std::sync::Arc;

use rudder_gocompat::gostr;

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::conv::{go_quote, sprint_v, strslice, strval};
use crate::funcs::{arg_int, arg_str};
use crate::value::{Map, MapType, Value};

pub static FUNCS: &[Func] = &[
    Func::new("abbrev", &[Ty::Int, Ty::String], abbrev),
    Func::new("abbrevboth", &[Ty::Int, Ty::Int, Ty::String], abbrevboth),
    Func::new("trunc", &[Ty::Int, Ty::String], trunc),
    Func::new("trim", &[Ty::String], trim),
    Func::new("upper", &[Ty::String], upper),
    Func::new("lower", &[Ty::String], lower),
    Func::new("title", &[Ty::String], title),
    Func::new("untitle", &[Ty::String], untitle),
    Func::new("substr", &[Ty::Int, Ty::Int, Ty::String], substr),
    Func::new("repeat", &[Ty::Int, Ty::String], repeat),
    Func::new("trimall", &[Ty::String, Ty::String], trim_all),
    Func::new("trimAll", &[Ty::String, Ty::String], trim_all),
    Func::new("trimSuffix", &[Ty::String, Ty::String], trim_suffix),
    Func::new("trimPrefix", &[Ty::String, Ty::String], trim_prefix),
    Func::new("nospace", &[Ty::String], nospace),
    Func::new("initials", &[Ty::String], initials),
    Func::new("swapcase", &[Ty::String], swapcase),
    Func::new("snakecase", &[Ty::String], snakecase),
    Func::new("camelcase", &[Ty::String], camelcase),
    Func::new("kebabcase", &[Ty::String], kebabcase),
    Func::new("wrap", &[Ty::Int, Ty::String], wrap),
    Func::new("wrapWith", &[Ty::Int, Ty::String, Ty::String], wrap_with),
    Func::new("contains", &[Ty::String, Ty::String], contains),
    Func::new("hasPrefix", &[Ty::String, Ty::String], has_prefix),
    Func::new("hasSuffix", &[Ty::String, Ty::String], has_suffix),
    Func::variadic("quote", &[], Ty::Any, quote),
    Func::variadic("squote", &[], Ty::Any, squote),
    Func::variadic("cat", &[], Ty::Any, cat),
    Func::new("indent", &[Ty::Int, Ty::String], indent),
    Func::new("nindent", &[Ty::Int, Ty::String], nindent),
    Func::new("replace", &[Ty::String, Ty::String, Ty::String], replace),
    Func::new("plural", &[Ty::String, Ty::String, Ty::Int], plural),
    Func::new("split", &[Ty::String, Ty::String], split),
    Func::new("splitList", &[Ty::String, Ty::String], split_list),
    Func::new("splitn", &[Ty::String, Ty::Int, Ty::String], splitn),
    Func::new("join", &[Ty::String, Ty::Any], join),
];

fn ok_str(s: impl Into<Arc<str>>) -> Result<Value, String> {
    Ok(Value::String(s.into()))
}

/// Go's `string(b)` for bytes Go may have cut inside a UTF-8 sequence (see
/// `rudder_gocompat::gostr`).
fn from_bytes(b: &[u8]) -> String {
    gostr::from_bytes(b).into_owned()
}

/// Go's `s[lo:hi]` on a string: the same panic text when the bounds are out of range.
pub(crate) fn go_slice(s: &str, lo: Option<i64>, hi: Option<i64>) -> Result<String, String> {
    let b = gostr::to_bytes(s);
    let len = b.len() as i64;
    let l = lo.unwrap_or(0);
    let h = hi.unwrap_or(len);
    let fmt_bounds = || match (lo, hi) {
        (None, Some(h)) => format!("[:{h}]"),
        (Some(l), None) => format!("[{l}:]"),
        (Some(l), Some(h)) => format!("[{l}:{h}]"),
        (None, None) => "[:]".into(),
    };
    if h < 0 || (hi.is_some() && h > len) {
        return Err(format!(
            "runtime error: slice bounds out of range [:{h}] with length {len}"
        ));
    }
    if l < 0 {
        return Err(format!(
            "runtime error: slice bounds out of range {}",
            fmt_bounds()
        ));
    }
    if l > h {
        return Err(format!(
            "runtime error: slice bounds out of range [{l}:{h}]"
        ));
    }
    Ok(from_bytes(&b[l as usize..h as usize]))
}

/// The rune Go decodes for `c`: a byte that is not UTF-8 reads as U+FFFD, which a
/// `strings.Map` then writes out.
fn go_rune(c: char) -> char {
    if rudder_gocompat::gostr::raw_byte(c).is_some() {
        '\u{FFFD}'
    } else {
        c
    }
}

/// Go's `unicode.ToUpper` for one rune: the simple mapping, never several runes.
pub(crate) fn upper_rune(c: char) -> char {
    let c = go_rune(c);
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower` for one rune.
pub(crate) fn lower_rune(c: char) -> char {
    let c = go_rune(c);
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToTitle` for one rune: the title-case letters differ from upper case.
fn title_rune(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => upper_rune(c),
    }
}

fn is_title_case(c: char) -> bool {
    matches!(c, '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}' | '\u{1F88}'..='\u{1F8F}'
        | '\u{1F98}'..='\u{1F9F}' | '\u{1FA8}'..='\u{1FAF}' | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn go_upper(s: &str) -> String {
    s.chars().map(upper_rune).collect()
}

fn go_lower(s: &str) -> String {
    s.chars().map(lower_rune).collect()
}

fn abbrev(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (width, s) = (arg_int(a, 0), arg_str(a, 1));
    if width < 4 {
        return ok_str(s);
    }
    ok_str(abbreviate_full(s, 0, width))
}

fn abbrevboth(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (left, right, s) = (arg_int(a, 0), arg_int(a, 1), arg_str(a, 2));
    if right < 4 || (left > 0 && right < 7) {
        return ok_str(s);
    }
    ok_str(abbreviate_full(s, left, right))
}

/// goutils' `AbbreviateFull` (byte offsets, as the Go code counts them).
fn abbreviate_full(s: &str, offset: i64, width: i64) -> String {
    let b = gostr::to_bytes(s);
    let len = b.len() as i64;
    if s.is_empty() || width < 4 {
        return String::new();
    }
    if len <= width {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    if offset <= 4 {
        return from_bytes(&b[..(width - 3) as usize]) + "...";
    }
    if width < 7 {
        return String::new();
    }
    if offset + width - 3 < len {
        let rest = from_bytes(&b[offset as usize..]);
        return format!("...{}", abbreviate_full(&rest, 0, width - 3));
    }
    format!("...{}", from_bytes(&b[(len - (width - 3)) as usize..]))
}

fn trunc(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (c, s) = (arg_int(a, 0), arg_str(a, 1));
    let b = gostr::to_bytes(s);
    let len = b.len() as i64;
    if c < 0 && len + c > 0 {
        return ok_str(from_bytes(&b[(len + c) as usize..]));
    }
    if c >= 0 && len > c {
        return ok_str(from_bytes(&b[..c as usize]));
    }
    ok_str(s)
}

fn trim(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(arg_str(a, 0).trim_matches(is_space))
}

fn upper(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(go_upper(arg_str(a, 0)))
}

fn lower(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(go_lower(arg_str(a, 0)))
}

/// Go's `strings.Title` word boundaries.
fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    is_space(c)
}

fn title(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut prev = ' ';
    let out: String = arg_str(a, 0)
        .chars()
        .map(|c| {
            let c = go_rune(c);
            let r = if is_title_separator(prev) {
                title_rune(c)
            } else {
                c
            };
            prev = c;
            r
        })
        .collect();
    ok_str(out)
}

fn untitle(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut next = true;
    let out: String = arg_str(a, 0)
        .chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                lower_rune(c)
            } else {
                c
            }
        })
        .collect();
    ok_str(out)
}

fn substr(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (start, end, s) = (arg_int(a, 0), arg_int(a, 1), arg_str(a, 2));
    let len = s.len() as i64;
    let out = if start < 0 {
        go_slice(s, None, Some(end))?
    } else if end < 0 || end > len {
        go_slice(s, Some(start), None)
            .map_err(|_| format!("runtime error: slice bounds out of range [{start}:{len}]"))?
    } else {
        go_slice(s, Some(start), Some(end))?
    };
    ok_str(out)
}

/// Largest string `repeat` builds; Go would try and run out of memory in the sandbox.
const MAX_REPEAT_BYTES: usize = 1 << 30;

fn repeat(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (count, s) = (arg_int(a, 0), arg_str(a, 1));
    if count < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let total = (s.len() as u128) * (count as u128);
    if total > MAX_REPEAT_BYTES as u128 {
        return Err("strings: Repeat output length overflow".into());
    }
    ok_str(s.repeat(count as usize))
}

fn trim_all(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (cutset, s) = (arg_str(a, 0), arg_str(a, 1));
    ok_str(s.trim_matches(|c| cutset.contains(c)))
}

fn trim_suffix(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (suffix, s) = (arg_str(a, 0), arg_str(a, 1));
    ok_str(s.strip_suffix(suffix).unwrap_or(s))
}

fn trim_prefix(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (prefix, s) = (arg_str(a, 0), arg_str(a, 1));
    ok_str(s.strip_prefix(prefix).unwrap_or(s))
}

/// goutils reads the string byte by byte and writes each kept byte back as the rune with
/// that number, so multi-byte characters come out as Latin-1 mojibake unless nothing was
/// removed (then the input is returned as it was).
fn bytes_as_runes(bytes: impl Iterator<Item = u8>) -> String {
    bytes.map(char::from).collect()
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xA0)
}

fn nospace(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let s = arg_str(a, 0);
    if !s.bytes().any(is_space_byte) {
        return ok_str(s);
    }
    ok_str(bytes_as_runes(s.bytes().filter(|&b| !is_space_byte(b))))
}

fn initials(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut gap = true;
    let mut out = Vec::new();
    for b in arg_str(a, 0).bytes() {
        if is_space_byte(b) {
            gap = true;
        } else if gap {
            out.push(b);
            gap = false;
        }
    }
    ok_str(bytes_as_runes(out.into_iter()))
}

fn swapcase(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut ws = true;
    let out: String = arg_str(a, 0)
        .chars()
        .map(|c| {
            if c.is_uppercase() || is_title_case(c) {
                ws = false;
                lower_rune(c)
            } else if c.is_lowercase() {
                if ws {
                    ws = false;
                    title_rune(c)
                } else {
                    upper_rune(c)
                }
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect();
    ok_str(out)
}

// --- xstrings' case conversions ----------------------------------------------------------

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// Go's `unicode.IsPunct` (categories P*), approximated with the ASCII punctuation that is
/// not a symbol plus the general punctuation block.
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(c, '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}'
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}' | '\u{FF01}'..='\u{FF0F}')
}

fn is_alphabet(c: char) -> bool {
    if !c.is_alphabetic() {
        return false;
    }
    !matches!(c, '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordType {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextWord`: the type and text of the word at the start of `s`, and the rest.
fn next_word(s: &str) -> (WordType, &str, &str) {
    let mut it = s.char_indices().peekable();
    let Some((_, first)) = it.next() else {
        return (WordType::Invalid, "", "");
    };
    let mut end = first.len_utf8();
    let take_while = |end: &mut usize, pred: &dyn Fn(char) -> bool| {
        for c in s[*end..].chars() {
            if !pred(c) {
                break;
            }
            *end += c.len_utf8();
        }
    };
    let wt = if is_connector(first) {
        take_while(&mut end, &is_connector);
        WordType::Connector
    } else if is_punct(first) {
        take_while(&mut end, &is_punct);
        WordType::Punct
    } else if first.is_uppercase() {
        if let Some(second) = s[end..].chars().next() {
            if second.is_uppercase() {
                // A run of capitals; the last one starts the next word when a lower-case
                // letter follows ("HTTPServer" → "HTTP", "Server").
                let mut prev_size = second.len_utf8();
                end += prev_size;
                let mut stop = None;
                for c in s[end..].chars() {
                    if !c.is_uppercase() {
                        stop = Some(c);
                        break;
                    }
                    prev_size = c.len_utf8();
                    end += prev_size;
                }
                if let Some(c) = stop
                    && is_alphabet(c)
                {
                    end -= prev_size;
                }
            } else if is_alphabet(second) {
                end += second.len_utf8();
                take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
            }
        }
        WordType::Upper
    } else if is_alphabet(first) {
        take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
        WordType::Alphabet
    } else if first.is_numeric() {
        take_while(&mut end, &|c: char| c.is_numeric());
        WordType::Number
    } else {
        take_while(&mut end, &|c| {
            !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
        });
        WordType::Other
    };
    (wt, &s[..end], &s[end..])
}

fn push_lower(buf: &mut String, wt: WordType, word: &str, connector: char) {
    if wt != WordType::Upper && wt != WordType::Connector {
        buf.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            buf.push(connector);
        } else if c.is_uppercase() {
            buf.push(lower_rune(c));
        } else {
            buf.push(c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (`snakecase`, `kebabcase`).
fn camel_to_lower(s: &str, connector: char) -> String {
    use WordType::*;
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Connector {
            push_lower(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, rest) = next_word(rest);
        match prev {
            Number => {
                while wt == Alphabet || wt == Number {
                    push_lower(&mut buf, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Punct && wt != Connector {
                    buf.push(connector);
                }
            }
            Connector => push_lower(&mut buf, prev, last, connector),
            Punct => {}
            _ => {
                if wt != Number {
                    if wt != Connector && wt != Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rest) = next_word(rest);
                if wt != Alphabet {
                    push_lower(&mut buf, Number, last, connector);
                    if wt != Connector && wt != Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                push_lower(&mut buf, Number, last, connector);
                while wt == Alphabet || wt == Number {
                    push_lower(&mut buf, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Connector && wt != Punct {
                    buf.push(connector);
                }
            }
        }
    }
    push_lower(&mut buf, wt, word, connector);
    buf
}

/// xstrings' `ToPascalCase` (Sprig's `camelcase`).
fn to_pascal(s: &str) -> String {
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut r0 = '\0';
    let mut first_upper = false;
    let mut found = false;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = c.is_uppercase();
            r0 = upper_rune(c);
            found = true;
            break;
        }
        buf.push(c);
    }
    if !found {
        // Go writes the last rune once more when the loop above consumed everything.
        if let Some(last) = s.chars().last() {
            buf.push(last);
        }
        return buf;
    }
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = r0.is_uppercase();
            r0 = upper_rune(r0);
        } else {
            if first_upper {
                if r0.is_uppercase() {
                    r0 = lower_rune(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

fn snakecase(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(camel_to_lower(arg_str(a, 0), '_'))
}

fn kebabcase(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(camel_to_lower(arg_str(a, 0), '-'))
}

fn camelcase(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(to_pascal(arg_str(a, 0)))
}

/// goutils' `WrapCustom`: wraps at spaces, byte columns, leading spaces of a line dropped.
fn wrap_custom(s: &str, width: i64, newline: &str, wrap_long: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::with_capacity(len + 8);
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(i) = space {
            out.extend_from_slice(&b[offset..offset + i]);
            out.extend_from_slice(newline.as_bytes());
            offset += i + 1;
        } else if wrap_long {
            out.extend_from_slice(&b[offset..offset + width]);
            out.extend_from_slice(newline.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(i) => {
                    out.extend_from_slice(&b[offset..end + i]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = end + i + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    from_bytes(&out)
}

fn wrap(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(wrap_custom(arg_str(a, 1), arg_int(a, 0), "", false))
}

fn wrap_with(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(wrap_custom(
        arg_str(a, 2),
        arg_int(a, 0),
        arg_str(a, 1),
        true,
    ))
}

fn contains(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(arg_str(a, 1).contains(arg_str(a, 0))))
}

fn has_prefix(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(arg_str(a, 1).starts_with(arg_str(a, 0))))
}

fn has_suffix(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(arg_str(a, 1).ends_with(arg_str(a, 0))))
}

fn quote(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    join_non_nil(a, |v| match v {
        Value::Bytes(b) => go_quote(&gostr::from_bytes(b)),
        other => go_quote(&strval(other)),
    })
}

fn squote(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    join_non_nil(a, |v| format!("'{}'", sprint_v(v)))
}

fn cat(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    join_non_nil(a, sprint_v)
}

/// The arguments that are not nil, each as `show` writes it, joined by spaces.
fn join_non_nil(a: &[Value], show: impl Fn(&Value) -> String) -> Result<Value, String> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(show)
        .collect();
    ok_str(parts.join(" "))
}

fn indent_str(spaces: i64, s: &str) -> Result<String, String> {
    if spaces < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let pad = " ".repeat(spaces.min(1 << 20) as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

fn indent(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(indent_str(arg_int(a, 0), arg_str(a, 1))?)
}

fn nindent(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    ok_str(format!("\n{}", indent_str(arg_int(a, 0), arg_str(a, 1))?))
}

fn replace(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let (old, new, src) = (arg_str(a, 0), arg_str(a, 1), arg_str(a, 2));
    ok_str(src.replace(old, new))
}

fn plural(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let i = if arg_int(a, 2) == 1 { 0 } else { 1 };
    ok_str(arg_str(a, i))
}

/// Go's `strings.SplitN(s, sep, n)`: an empty separator splits into runes; `n < 0` means
/// no limit, `n == 0` gives nothing.
pub(crate) fn go_split_n(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    if sep.is_empty() {
        let mut out: Vec<String> = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if out.len() + 1 == limit {
                out.push(rest.to_string());
                return out;
            }
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push(rest[..c].to_string());
            rest = &rest[c..];
        }
        return out;
    }
    s.splitn(limit, sep).map(str::to_string).collect()
}

fn split_map(parts: Vec<String>) -> Value {
    let m: Map = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::str(p)))
        .collect();
    Value::NamedMap(MapType::StringMap, Arc::new(m))
}

fn split(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(split_map(go_split_n(arg_str(a, 1), arg_str(a, 0), -1)))
}

fn splitn(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(split_map(go_split_n(
        arg_str(a, 2),
        arg_str(a, 0),
        arg_int(a, 1),
    )))
}

fn split_list(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let parts = go_split_n(arg_str(a, 1), arg_str(a, 0), -1);
    Ok(Value::StringList(Arc::new(
        parts.into_iter().map(Arc::from).collect(),
    )))
}

fn join(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let parts = strslice(&a[1]);
    ok_str(parts.join(arg_str(a, 0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::{call, out, s};

    #[test]
    fn case_conversions() {
        for (input, snake, kebab) in [
            ("FirstName", "first_name", "first-name"),
            ("HTTPServer", "http_server", "http-server"),
            ("NoHTTPS", "no_https", "no-https"),
            ("GO_PATH", "go_path", "go-path"),
            ("GO PATH", "go_path", "go-path"),
            ("http2xx", "http_2xx", "http-2xx"),
            ("HTTP20xOK", "http_20x_ok", "http-20x-ok"),
            ("Duration2m3s", "duration_2m3s", "duration-2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd", "bld4-floor-3rd"),
        ] {
            assert_eq!(camel_to_lower(input, '_'), snake, "{input}");
            assert_eq!(camel_to_lower(input, '-'), kebab, "{input}");
        }
        for (input, want) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(to_pascal(input), want, "{input}");
        }
    }

    #[test]
    fn slicing_and_panics() {
        assert_eq!(
            out(call(substr, &[Value::Int(1), Value::Int(3), s("hello")])),
            "el"
        );
        assert_eq!(
            out(call(substr, &[Value::Int(-1), Value::Int(9), s("abc")])),
            "ERR runtime error: slice bounds out of range [:9] with length 3"
        );
        assert_eq!(out(call(trunc, &[Value::Int(-2), s("hello")])), "lo");
        assert_eq!(out(call(trunc, &[Value::Int(9), s("hello")])), "hello");
        assert_eq!(
            out(call(repeat, &[Value::Int(-1), s("x")])),
            "ERR strings: negative Repeat count"
        );
    }

    #[test]
    fn misc() {
        assert_eq!(
            out(call(abbrev, &[Value::Int(5), s("hello world")])),
            "he..."
        );
        assert_eq!(
            out(call(
                abbrevboth,
                &[Value::Int(5), Value::Int(10), s("1234 5678 9123")]
            )),
            "...5678..."
        );
        assert_eq!(
            out(call(wrap, &[Value::Int(5), s("Hello World")])),
            "Hello\nWorld"
        );
        assert_eq!(out(call(title, &[s("hello wORLD-x")])), "Hello WORLD-X");
        assert_eq!(
            out(call(swapcase, &[s("This Is A.Test")])),
            "tHIS iS a.tEST"
        );
        assert_eq!(out(call(initials, &[s("first try")])), "ft");
        assert_eq!(
            out(call(quote, &[s("a\"b"), Value::Nil, Value::Int(1)])),
            "\"a\\\"b\" \"1\""
        );
        assert_eq!(
            out(call(cat, &[s("a"), Value::Nil, Value::Float(1e6)])),
            "a 1e+06"
        );
        assert_eq!(out(call(indent, &[Value::Int(2), s("a\nb")])), "  a\n  b");
        assert_eq!(out(call(split_list, &[s(""), s("ab")])), "[a b]");
        assert_eq!(
            out(call(splitn, &[s("$"), Value::Int(2), s("a$b$c")])),
            "map[_0:a _1:b$c]"
        );
        assert_eq!(out(call(nospace, &[s("a b\tc")])), "abc");
    }
}
