//! `sigs.k8s.io/yaml.Marshal`'s output: the JSON value is read back by go-yaml (JSON numbers
//! become ints or floats, strings stay strings) and written by go-yaml v2's emitter with its
//! defaults: block style, 2-space indentation, sequences not indented under their key, keys in
//! go-yaml's "natural" order, plain scalars where they read back the same, literal blocks for
//! multi-line strings, and folding of long plain and quoted scalars past column 80.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::resolve::{Scalar, is_base60_float, resolve};
use rudder_gocompat::num::{format_g, json_float};

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i64 = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

/// What go-yaml's scalar analysis found out about a value.
#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain: bool,
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_break(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || (c == 0xC2 && at(b, i + 1) == 0x85)
        || (c == 0xE2 && at(b, i + 1) == 0x80 && matches!(at(b, i + 2), 0xA8 | 0xA9))
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b' ' || c == b'\t' || c == 0 || is_break(b, i)
}

fn is_printable(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && c1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && c1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
}

fn analyze(value: &str) -> Analysis {
    let b = value.as_bytes();
    if b.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain: false,
            block_plain: true,
            single_quoted: true,
            block: false,
        };
    }
    let mut block_ind = false;
    let mut flow_ind = false;
    let mut line_breaks = false;
    let mut special = false;
    let (mut lead_space, mut lead_break, mut trail_space, mut trail_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    if value.starts_with("---") || value.starts_with("...") {
        block_ind = true;
        flow_ind = true;
    }
    let mut preceded_by_ws = true;
    let mut i = 0;
    while i < b.len() {
        let w = width(b[i]);
        let followed_by_ws = i + w >= b.len() || is_blankz(b, i + w);
        if i == 0 {
            match b[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                b'?' | b':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                b'-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match b[i] {
                b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_ind = true,
                b':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                b'#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        if !is_printable(b, i) {
            special = true;
        }
        if is_space(b, i) {
            if i == 0 {
                lead_space = true;
            }
            if i + w == b.len() {
                trail_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(b, i) {
            line_breaks = true;
            if i == 0 {
                lead_break = true;
            }
            if i + w == b.len() {
                trail_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = is_blankz(b, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain: true,
        block_plain: true,
        single_quoted: true,
        block: true,
    };
    if lead_space || lead_break || trail_space || trail_break {
        a.flow_plain = false;
        a.block_plain = false;
    }
    if trail_space {
        a.block = false;
    }
    if break_space {
        a.flow_plain = false;
        a.block_plain = false;
        a.single_quoted = false;
    }
    if space_break || special {
        a.flow_plain = false;
        a.block_plain = false;
        a.single_quoted = false;
        a.block = false;
    }
    if line_breaks {
        a.flow_plain = false;
        a.block_plain = false;
    }
    if flow_ind {
        a.flow_plain = false;
    }
    if block_ind {
        a.block_plain = false;
    }
    a
}

/// go-yaml's `keyList.Less` for two string keys: letters before other characters, runs of
/// digits compared as numbers.
fn key_less(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_numeric() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_numeric() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_numeric() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// go-yaml's float text.
fn format_float(f: f64) -> String {
    match format_g(f, false).as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        s => s.to_string(),
    }
}

/// The text and requested style of a scalar, as go-yaml's encoder picks them for the value it
/// decoded from the JSON text.
fn scalar_of(v: &serde_json::Value, v3: bool) -> (Cow<'_, str>, Style) {
    use serde_json::Value as J;
    match v {
        J::Null => ("null".into(), Style::Plain),
        J::Bool(b) => ((if *b { "true" } else { "false" }).into(), Style::Plain),
        J::Number(n) => {
            let text = if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else if v3 {
                // yaml.v3 writes the Go float64 itself, no JSON round trip.
                return (format_float(n.as_f64().unwrap_or(0.0)).into(), Style::Plain);
            } else {
                json_float(n.as_f64().unwrap_or(0.0))
            };
            let out = match resolve("", &text) {
                Ok(Scalar::Int(i)) => i.to_string(),
                Ok(Scalar::Uint(u)) => u.to_string(),
                Ok(Scalar::Float(f)) => format_float(f),
                _ => text,
            };
            (out.into(), Style::Plain)
        }
        // The JSON text go-yaml decoded had U+FFFD for each byte that is not UTF-8.
        J::String(s) => {
            let s = rudder_gocompat::gostr::lossy(s);
            let style = string_style(&s);
            (s, style)
        }
        J::Array(_) | J::Object(_) => ("".into(), Style::Plain),
    }
}

/// The style go-yaml's encoder asks for a string: literal when multi-line, double-quoted
/// when it would read back as something else, plain otherwise.
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if matches!(resolve("", s), Ok(Scalar::Str(_))) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

struct Emitter {
    /// yaml.v3's emitter (Helm's `toYamlPretty`): no folding, sequences always indented.
    v3: bool,
    width: usize,
    out: String,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Copies the character starting at byte `*i` of `b`.
    fn write(&mut self, b: &[u8], i: &mut usize) {
        if b[*i].is_ascii() {
            self.out.push(b[*i] as char);
            self.column += 1;
            *i += 1;
            return;
        }
        let w = width(b[*i]).min(b.len() - *i);
        self.out
            .push_str(std::str::from_utf8(&b[*i..*i + w]).unwrap_or("\u{FFFD}"));
        self.column += 1;
        *i += w;
    }

    fn write_str(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self.write(b, &mut i);
        }
    }

    fn write_break(&mut self, b: &[u8], i: &mut usize) {
        if b[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(b, i);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write_str(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn node(&mut self, v: &serde_json::Value, ctx: Ctx) {
        use serde_json::Value as J;
        match v {
            J::Array(items) if items.is_empty() => self.flow_empty("[", "]"),
            J::Object(m) if m.is_empty() => self.flow_empty("{", "}"),
            J::Array(items) => {
                let indentless = ctx.mapping && !self.indention && !self.v3;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Ctx::default());
                }
                self.pop_indent();
            }
            J::Object(m) => {
                self.increase_indent(false, false);
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by(|a, b| key_less(a, b));
                for k in keys {
                    let val = &m[k];
                    self.write_indent();
                    let simple = !analyze(k).multiline && k.len() <= 128;
                    let key_style = string_style(k);
                    let vctx = Ctx {
                        mapping: true,
                        simple_key: false,
                    };
                    if simple {
                        self.scalar(
                            k,
                            key_style,
                            Ctx {
                                mapping: true,
                                simple_key: true,
                            },
                        );
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.scalar(k, key_style, vctx);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(val, vctx);
                }
                self.pop_indent();
            }
            scalar => {
                let (text, style) = scalar_of(scalar, self.v3);
                self.scalar(&text, style, ctx);
            }
        }
    }

    fn flow_empty(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain || (value.is_empty() && ctx.simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.plain(value, allow_breaks),
            Style::Single => self.single_quoted(value, allow_breaks),
            Style::Double => self.double_quoted(value, allow_breaks),
            Style::Literal => self.literal(value),
        }
        self.pop_indent();
    }

    fn plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        self.write_folding(value.as_bytes(), allow_breaks, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folding(value.as_bytes(), allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The text of a plain or single-quoted scalar: a space may fold the line once past the
    /// width, and a line break is written twice to survive folding. Single-quoted, a quote is
    /// doubled and neither the first nor the last character folds.
    fn write_folding(&mut self, b: &[u8], allow_breaks: bool, single_quoted: bool) {
        let (mut spaces, mut breaks) = (false, false);
        let mut i = 0;
        while i < b.len() {
            if is_space(b, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.width
                    && (!single_quoted || (i > 0 && i < b.len() - 1))
                    && !is_space(b, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(b, &mut i);
                }
                spaces = true;
            } else if is_break(b, i) {
                if !breaks && b[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(b, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if single_quoted && b[i] == b'\'' {
                    self.put('\'');
                }
                self.write(b, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn double_quoted(&mut self, value: &str, allow_breaks: bool) {
        let b = value.as_bytes();
        let bom = b.starts_with(&[0xEF, 0xBB, 0xBF]);
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        let mut i = 0;
        while i < b.len() {
            if !is_printable(b, i) || bom || is_break(b, i) || b[i] == b'"' || b[i] == b'\\' {
                let w = width(b[i]).min(b.len() - i);
                let c = std::str::from_utf8(&b[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .unwrap_or('\u{FFFD}');
                i += w;
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let v = c as u32;
                        let (letter, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if is_space(b, i) {
                if allow_breaks && !spaces && self.column > self.width && i > 0 && i < b.len() - 1 {
                    self.write_indent();
                    if is_space(b, i + 1) {
                        self.put('\\');
                    }
                    i += 1;
                } else {
                    self.write(b, &mut i);
                }
                spaces = true;
            } else {
                self.write(b, &mut i);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, value: &str) {
        let b = value.as_bytes();
        self.write_indicator("|", true, false, false);
        if is_space(b, 0) || is_break(b, 0) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = if b.is_empty() {
            Some("-")
        } else {
            let mut i = b.len() - 1;
            while i > 0 && b[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(b, i) {
                Some("-")
            } else if i == 0 {
                Some("+")
            } else {
                i -= 1;
                while i > 0 && b[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(b, i) { Some("+") } else { None }
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(c, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < b.len() {
            if is_break(b, i) {
                self.write_break(b, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(b, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

pub(crate) fn to_string(v: &serde_json::Value, v3: bool) -> String {
    let mut e = Emitter {
        v3,
        width: if v3 { usize::MAX } else { BEST_WIDTH },
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
    };
    e.node(v, Ctx::default());
    // Document end: back to indentation 0 on a fresh line.
    e.indent = -1;
    e.write_indent();
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["a10", "a2", "b", "a1", "B", "_x", "1", "10", "2"];
        keys.sort_by(|a, b| key_less(a, b));
        assert_eq!(keys, ["_x", "1", "2", "10", "B", "a1", "a2", "a10", "b"]);
    }
}
