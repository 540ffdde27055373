//! Go's `fmt` as templates see it: `%v` printing of every [`Value`] (what `{{ . }}` writes),
//! `print`/`println`, and `printf` with its verbs, flags, width, precision and error forms.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::value::{Object, Value};

/// A Go `complex128`: what a complex constant in an action (`1i`, `1+2i`) evaluates to.
/// Templates can only print, compare and pass it on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex(pub f64, pub f64);

/// The field under which a [`Complex`] hands out its parts; no template can name it.
const COMPLEX_PARTS: &str = "\0parts";

impl Complex {
    pub fn value(self) -> Value {
        Value::Object(Arc::new(self))
    }
}

impl Object for Complex {
    fn type_name(&self) -> &str {
        "complex128"
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == COMPLEX_PARTS)
            .then(|| Value::list(vec![Value::Float(self.0), Value::Float(self.1)]))
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn go_format(&self) -> String {
        let mut out = String::new();
        format_complex(&mut out, &Flags::default(), 'v', &Value::Nil, *self);
        out
    }
    fn truthy(&self) -> bool {
        self.0 != 0.0 || self.1 != 0.0
    }
}

/// The `complex128` inside a value, if it is one.
pub fn as_complex(v: &Value) -> Option<Complex> {
    let Value::Object(o) = v else { return None };
    if o.type_name() != "complex128" {
        return None;
    }
    match o.field(COMPLEX_PARTS)? {
        Value::List(l) => match l.as_slice() {
            [Value::Float(re), Value::Float(im)] => Some(Complex(*re, *im)),
            _ => None,
        },
        _ => None,
    }
}

/// Go's `reflect.Kind` name of a value as Sprig's `kindOf` prints it: [`Value::kind_name`],
/// `complex128` for a complex number and `map` for objects that are Go maps.
pub fn go_kind(v: &Value) -> &'static str {
    match v {
        _ if as_complex(v).is_some() => "complex128",
        // Go maps that are objects here: a nil `map[string]string`, `.Files` (`engine.files`).
        Value::Object(o) if o.type_name().starts_with("map[") || o.entries().is_some() => "map",
        _ => v.kind_name(),
    }
}

pub use rudder_gocompat::quote::{
    char_u as go_char_u, is_print, quote as quote_go, quote_ascii as quote_go_ascii,
};

/// Shortest decimal digits of a finite, non-negative float and the decimal point position:
/// `1500.0` gives (`"15"`, 4).
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{f:e}");
    split_exp(&s)
}

/// Digits rounded to `n` significant digits (n >= 1).
fn sig_digits(f: f64, n: usize) -> (String, i32) {
    let s = format!("{:.*e}", n - 1, f);
    split_exp(&s)
}

fn split_exp(s: &str) -> (String, i32) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    if digits == "0" {
        return (digits, 1);
    }
    (digits, exp + 1)
}

fn fmt_e_digits(out: &mut String, digits: &str, dp: i32, prec: usize, upper: bool) {
    // Mantissa: first digit, then `prec` digits (padded with zeros).
    let mut d = digits.chars();
    out.push(d.next().unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        let mut n = 0;
        for c in d.by_ref().take(prec) {
            out.push(c);
            n += 1;
        }
        for _ in n..prec {
            out.push('0');
        }
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    let _ = write!(out, "{a}");
}

fn fmt_f_digits(out: &mut String, digits: &str, dp: i32, prec: usize) {
    let db = digits.as_bytes();
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(*db.get(i).unwrap_or(&b'0') as char);
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            let j = dp + i as i32;
            let c = if j < 0 {
                b'0'
            } else {
                *db.get(j as usize).unwrap_or(&b'0')
            };
            out.push(c as char);
        }
    }
}

/// strconv.FormatFloat(f, 'g', prec, 64) for a non-negative finite `f` (prec < 0: shortest).
fn format_g_abs(f: f64, prec: i32, upper: bool) -> String {
    let shortest = prec < 0;
    let (digits, dp) = if shortest {
        shortest_digits(f)
    } else {
        sig_digits(f, prec.max(1) as usize)
    };
    let nd = digits.len() as i32;
    let mut eprec = if shortest { nd } else { prec.max(1) };
    if !shortest && eprec > nd && nd >= dp {
        eprec = nd;
    }
    if shortest {
        eprec = 6;
    }
    let exp = dp - 1;
    let mut out = String::new();
    if digits == "0" {
        out.push('0');
        return out;
    }
    if exp < -4 || exp >= eprec {
        let p = if shortest { nd } else { prec.max(1).min(nd) };
        fmt_e_digits(&mut out, &digits, dp, (p - 1).max(0) as usize, upper);
        return out;
    }
    let p = if shortest { nd } else { prec.max(1).min(nd) };
    let p = if p > dp { nd } else { p };
    fmt_f_digits(&mut out, &digits, dp, (p - dp).max(0) as usize);
    out
}

/// `%v` of a float64, as Go's fmt prints it: `1e+06`, `3.5`, `100000`, `1e-05`.
pub fn format_float_v(f: f64) -> String {
    rudder_gocompat::num::format_g(f, false)
}

/// Appends `%v` of a value.
pub fn write_v(out: &mut String, v: &Value) {
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Uint64(u) => {
            let _ = write!(out, "{u}");
        }
        Value::Float(f) => out.push_str(&format_float_v(*f)),
        Value::String(s) => out.push_str(s),
        Value::Bytes(b) => write_seq(out, "[", b.iter(), |out, x| {
            let _ = write!(out, "{x}");
        }),
        Value::List(l) | Value::IntList(l) => write_seq(out, "[", l.iter(), write_v),
        Value::StringList(l) | Value::VersionSet(l) => {
            write_seq(out, "[", l.iter(), |out, x| out.push_str(x))
        }
        Value::Map(m) | Value::NamedMap(_, m) => write_seq(out, "map[", m.iter(), |out, (k, x)| {
            out.push_str(k);
            out.push(':');
            write_v(out, x);
        }),
        Value::Object(o) => out.push_str(&o.go_format()),
    }
}

/// `%v` of a value.
pub fn to_v(v: &Value) -> String {
    let mut s = String::new();
    write_v(&mut s, v);
    s
}

fn is_string(v: &Value) -> bool {
    matches!(v, Value::String(_))
}

/// Go's `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !is_string(a) && !is_string(&args[i - 1]) {
            out.push(' ');
        }
        write_v(&mut out, a);
    }
    out
}

/// Go's `fmt.Sprintln`: spaces between every operand and a final newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_v(&mut out, a);
    }
    out.push('\n');
    out
}

#[derive(Clone, Copy, Default)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Flags {
    fn pad(&self, out: &mut String, s: &str) {
        self.pad_with(out, s, |out, s, fill| {
            if self.zero {
                // Zero padding goes after a sign.
                let (sign, rest) = match s.as_bytes().first() {
                    Some(b'-' | b'+' | b' ') => s.split_at(1),
                    _ => ("", s),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', fill));
                out.push_str(rest);
            } else {
                out.extend(std::iter::repeat_n(' ', fill));
                out.push_str(s);
            }
        });
    }

    /// Padding for strings: zero padding applies to strings too in Go (with spaces for `-`).
    fn pad_str(&self, out: &mut String, s: &str) {
        self.pad_with(out, s, |out, s, fill| {
            let c = if self.zero { '0' } else { ' ' };
            out.extend(std::iter::repeat_n(c, fill));
            out.push_str(s);
        });
    }

    /// Writes `s` padded to the width: with `-`, spaces after it; otherwise `left` writes
    /// `fill` characters of padding and `s`.
    fn pad_with(&self, out: &mut String, s: &str, left: impl FnOnce(&mut String, &str, usize)) {
        let w = self.width.unwrap_or(0);
        let n = s.chars().count();
        if n >= w {
            out.push_str(s);
            return;
        }
        let fill = w - n;
        if self.minus {
            out.push_str(s);
            out.extend(std::iter::repeat_n(' ', fill));
        } else {
            left(out, s, fill);
        }
    }
}

fn bad_verb(out: &mut String, verb: char, v: &Value) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    match v {
        Value::Nil => out.push_str("<nil>"),
        _ => {
            out.push_str(&v.type_name());
            out.push('=');
            write_v(out, v);
        }
    }
    out.push(')');
}

fn fmt_int(out: &mut String, f: &Flags, verb: char, neg: bool, mag: u128) {
    let mut digits = match verb {
        'd' | 'v' => format!("{mag}"),
        'b' => format!("{mag:b}"),
        'o' | 'O' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        _ => format!("{mag}"),
    };
    let mut zero_pad_prec = false;
    if let Some(p) = f.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
        zero_pad_prec = true;
    }
    let mut prefix = String::new();
    if neg {
        prefix.push('-');
    } else if f.plus {
        prefix.push('+');
    } else if f.space {
        prefix.push(' ');
    }
    match verb {
        'b' if f.sharp => prefix.push_str("0b"),
        'o' if f.sharp && !digits.starts_with('0') => prefix.push('0'),
        'O' => prefix.push_str("0o"),
        'x' if f.sharp => prefix.push_str("0x"),
        'X' if f.sharp => prefix.push_str("0X"),
        _ => {}
    }
    let w = f.width.unwrap_or(0);
    if f.zero && !f.minus && !zero_pad_prec && w > 0 {
        let total = prefix.len() + digits.len();
        if total < w {
            let zeros = "0".repeat(w - total);
            out.push_str(&prefix);
            out.push_str(&zeros);
            out.push_str(&digits);
            return;
        }
    }
    let s = prefix + &digits;
    let mut nf = *f;
    nf.zero = false;
    nf.pad(out, &s);
}

fn format_int_verb(out: &mut String, f: &Flags, verb: char, v: &Value, i: i128) {
    let neg = i < 0;
    let mag = i.unsigned_abs();
    match verb {
        'd' | 'v' | 'b' | 'o' | 'O' | 'x' | 'X' => fmt_int(out, f, verb, neg, mag),
        'c' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            f.pad(out, &c.to_string());
        }
        'q' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            f.pad(out, &rudder_gocompat::quote::quote_rune(c));
        }
        'U' => {
            let mut s = format!("U+{:04X}", i as u64);
            if f.sharp
                && let Some(c) = u32::try_from(i).ok().and_then(char::from_u32)
                && is_print(c)
            {
                let _ = write!(s, " '{c}'");
            }
            f.pad(out, &s);
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => bad_verb(out, verb, v),
        _ => bad_verb(out, verb, v),
    }
}

fn format_float_verb(out: &mut String, f: &Flags, verb: char, v: &Value, x: f64) {
    let body = if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        "Inf".to_string()
    } else {
        let a = x.abs();
        match verb {
            'v' | 'g' | 'G' => {
                let p = f.prec.map_or(-1, |p| p as i32);
                let mut s = format_g_abs(a, p, verb == 'G');
                if f.sharp && verb != 'v' {
                    s = sharp_g(&s, if p < 0 { 6 } else { p.max(1) as usize });
                }
                s
            }
            'e' | 'E' => {
                let p = f.prec.unwrap_or(6);
                let (d, dp) = sig_digits(a, p + 1);
                let mut s = String::new();
                fmt_e_digits(&mut s, &d, dp, p, verb == 'E');
                s
            }
            'f' | 'F' => format!("{:.*}", f.prec.unwrap_or(6), a),
            'x' | 'X' => hex_float(a, f.prec, verb == 'X'),
            _ => {
                bad_verb(out, verb, v);
                return;
            }
        }
    };
    let sign = if x.is_sign_negative() && !x.is_nan() {
        "-"
    } else if f.plus {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    let s = format!("{sign}{body}");
    let mut nf = *f;
    if x.is_infinite() || x.is_nan() {
        nf.zero = false;
    }
    nf.pad(out, &s);
}

/// `fmt`'s complex formatting: both parts with the float verb, flags and width, the
/// imaginary part always signed, in parentheses.
fn format_complex(out: &mut String, f: &Flags, verb: char, v: &Value, c: Complex) {
    if !matches!(verb, 'v' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E') {
        bad_verb(out, verb, v);
        return;
    }
    out.push('(');
    format_float_verb(out, f, verb, v, c.0);
    let imag = Flags { plus: true, ..*f };
    format_float_verb(out, &imag, verb, v, c.1);
    out.push_str("i)");
}

fn truncate(s: &str, prec: Option<usize>) -> &str {
    match prec {
        Some(p) => match s.char_indices().nth(p) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    }
}

fn hex_bytes(out: &mut String, f: &Flags, b: &[u8], upper: bool) {
    let mut s = String::new();
    for (i, x) in b.iter().enumerate() {
        if f.space && i > 0 {
            s.push(' ');
        }
        if f.sharp && (f.space || i == 0) {
            s.push_str(if upper { "0X" } else { "0x" });
        }
        if upper {
            let _ = write!(s, "{x:02X}");
        } else {
            let _ = write!(s, "{x:02x}");
        }
    }
    f.pad_str(out, &s);
}

fn format_str_verb(out: &mut String, f: &Flags, verb: char, v: &Value, s: &str) {
    match verb {
        'v' | 's' => f.pad_str(out, truncate(s, f.prec)),
        'q' => {
            let t = truncate(s, f.prec);
            let q = if f.sharp && !t.contains('`') && t.chars().all(|c| c == '\t' || is_print(c)) {
                format!("`{t}`")
            } else if f.plus {
                quote_go_ascii(t)
            } else {
                quote_go(t)
            };
            f.pad_str(out, &q);
        }
        'x' | 'X' => {
            let t = truncate(s, f.prec);
            hex_bytes(out, f, &rudder_gocompat::gostr::to_bytes(t), verb == 'X');
        }
        _ => bad_verb(out, verb, v),
    }
}

/// `%#g`: keep a decimal point and pad with zeros to `digits` significant digits.
fn sharp_g(s: &str, digits: usize) -> String {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mut m = mant.to_string();
    if !m.contains('.') {
        m.push('.');
    }
    let sig = m
        .chars()
        .filter(|c| c.is_ascii_digit())
        .skip_while(|&c| c == '0')
        .count();
    let sig = if sig == 0 { 1 } else { sig };
    for _ in sig..digits {
        m.push('0');
    }
    m + exp
}

/// `%x` of a float: Go's hexadecimal mantissa and binary exponent (`0x1.8p+01`).
fn hex_float(a: f64, prec: Option<usize>, upper: bool) -> String {
    let (mut mant, mut exp) = if a == 0.0 {
        (0u64, 0i64)
    } else {
        let bits = a.to_bits();
        let e = ((bits >> 52) & 0x7ff) as i64;
        let m = bits & ((1u64 << 52) - 1);
        if e == 0 {
            // Subnormal: normalise.
            let shift = m.leading_zeros() as i64 - 11;
            (
                (m << shift) & ((1u64 << 52) - 1) | (1u64 << 52),
                -1022 - shift,
            )
        } else {
            (m | (1u64 << 52), e - 1023)
        }
    };
    let mut frac = mant & ((1u64 << 52) - 1);
    if let Some(p) = prec
        && p < 13
    {
        // Round the 52-bit fraction to p hex digits, half to even.
        let drop = 52 - 4 * p as u32;
        let rem = frac & ((1u64 << drop) - 1);
        frac >>= drop;
        let half = 1u64 << (drop - 1);
        if rem > half || (rem == half && frac & 1 == 1) {
            frac += 1;
            if p == 0 || frac >> (4 * p) != 0 {
                frac &= (1u64 << (4 * p as u32)).wrapping_sub(1);
                mant += 1 << 52;
                if mant >> 53 != 0 {
                    exp += 1;
                }
            }
        }
        frac <<= drop;
    }
    let lead = if a == 0.0 { 0 } else { 1 };
    let mut digits = format!("{frac:013x}");
    match prec {
        Some(p) => digits.truncate(p.min(13)),
        None => {
            while digits.ends_with('0') {
                digits.pop();
            }
        }
    }
    if let Some(p) = prec {
        while digits.len() < p {
            digits.push('0');
        }
    }
    let sign = if exp < 0 { '-' } else { '+' };
    let e = exp.unsigned_abs();
    let mut s = format!("0x{lead}");
    if !digits.is_empty() {
        s.push('.');
        s.push_str(&digits);
    }
    s.push_str(&format!("p{sign}{e:02}"));
    if upper { s.to_uppercase() } else { s }
}

/// Formats one operand with one verb.
fn format_one(out: &mut String, f: &Flags, verb: char, v: &Value) {
    if verb == 'T' {
        f.pad_str(out, &v.type_name());
        return;
    }
    if verb == 'v' && f.sharp {
        let s = match v {
            Value::Float(x) => format_float_v(*x),
            other => go_syntax(other),
        };
        f.pad_str(out, &s);
        return;
    }
    match v {
        Value::Nil => match verb {
            'v' => f.pad_str(out, "<nil>"),
            _ => bad_verb(out, verb, v),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => f.pad_str(out, if *b { "true" } else { "false" }),
            _ => bad_verb(out, verb, v),
        },
        Value::Int(i) | Value::Int64(i) => format_int_verb(out, f, verb, v, i128::from(*i)),
        Value::Uint64(u) => format_int_verb(out, f, verb, v, i128::from(*u)),
        Value::Float(x) => match verb {
            'v' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'x' | 'X' => {
                format_float_verb(out, f, verb, v, *x)
            }
            _ => bad_verb(out, verb, v),
        },
        Value::String(s) => format_str_verb(out, f, verb, v, s),
        Value::Bytes(b) => match verb {
            's' => f.pad_str(
                out,
                truncate(&rudder_gocompat::gostr::from_bytes(b), f.prec),
            ),
            'q' => f.pad_str(
                out,
                &quote_go(truncate(&rudder_gocompat::gostr::from_bytes(b), f.prec)),
            ),
            'x' | 'X' => hex_bytes(out, f, b, verb == 'X'),
            _ => write_seq(out, "[", b.iter(), |out, x| {
                format_int_verb(out, f, verb, &Value::Int(*x as i64), i128::from(*x))
            }),
        },
        // `%#v` was handled above, so these print element by element.
        Value::List(l) | Value::IntList(l) => {
            write_seq(out, "[", l.iter(), |out, x| format_one(out, f, verb, x))
        }
        Value::StringList(l) | Value::VersionSet(l) => write_seq(out, "[", l.iter(), |out, x| {
            format_str_verb(out, f, verb, &Value::String(x.clone()), x)
        }),
        Value::Map(m) | Value::NamedMap(_, m) => write_seq(out, "map[", m.iter(), |out, (k, x)| {
            format_str_verb(out, f, verb, &Value::str(k.as_str()), k);
            out.push(':');
            format_one(out, f, verb, x);
        }),
        Value::Object(_) if as_complex(v).is_some() => {
            if let Some(c) = as_complex(v) {
                format_complex(out, f, verb, v, c);
            }
        }
        Value::Object(o) => match verb {
            'v' | 's' => f.pad_str(out, &o.go_format()),
            _ => bad_verb(out, verb, v),
        },
    }
}

/// Go's slices and maps: `open`, the items separated by spaces, then `]`.
fn write_seq<I: Iterator>(
    out: &mut String,
    open: &str,
    items: I,
    mut item: impl FnMut(&mut String, I::Item),
) {
    out.push_str(open);
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        item(out, x);
    }
    out.push(']');
}

/// `%#v` of a value (Go syntax).
pub fn go_syntax(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Int64(i) => i.to_string(),
        Value::Uint64(u) => format!("0x{u:x}"),
        Value::Float(f) => format_float_v(*f),
        Value::String(s) => quote_go(s),
        Value::Bytes(b) => {
            let items: Vec<String> = b.iter().map(|x| format!("0x{x:x}")).collect();
            format!("[]byte{{{}}}", items.join(", "))
        }
        Value::List(l) | Value::IntList(l) => {
            let items: Vec<String> = l.iter().map(go_syntax).collect();
            format!("{}{{{}}}", v.type_name(), items.join(", "))
        }
        Value::StringList(l) | Value::VersionSet(l) => {
            let items: Vec<String> = l.iter().map(|s| quote_go(s)).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
        Value::Map(m) | Value::NamedMap(_, m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{}:{}", quote_go(k), go_syntax(x)))
                .collect();
            format!("{}{{{}}}", v.type_name(), items.join(", "))
        }
        Value::Object(o) => o.go_format(),
    }
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut argi = 0usize;
    let mut reordered = false;
    let b = format.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Copy literal text up to the next '%'.
        let start = i;
        while i < b.len() && b[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= b.len() {
            break;
        }
        i += 1; // skip '%'
        let mut f = Flags::default();
        // Flags.
        while i < b.len() {
            match b[i] {
                b'#' => f.sharp = true,
                b'0' => f.zero = !f.minus,
                b'+' => f.plus = true,
                b'-' => {
                    f.minus = true;
                    f.zero = false;
                }
                b' ' => f.space = true,
                _ => break,
            }
            i += 1;
        }
        // Argument index.
        let parse_index = |i: &mut usize, argi: &mut usize, reordered: &mut bool| -> bool {
            if *i < b.len() && b[*i] == b'[' {
                *reordered = true;
                if let Some(end) = format[*i..].find(']') {
                    let n: Option<usize> = format[*i + 1..*i + end].parse().ok();
                    *i += end + 1;
                    if let Some(n) = n
                        && n >= 1
                        && n <= args.len()
                    {
                        *argi = n - 1;
                        return true;
                    }
                    return false;
                }
                return false;
            }
            true
        };
        let mut good_index = parse_index(&mut i, &mut argi, &mut reordered);
        // Width.
        if i < b.len() && b[i] == b'*' {
            i += 1;
            match args.get(argi) {
                Some(Value::Int(n) | Value::Int64(n)) => {
                    if *n < 0 {
                        f.minus = true;
                        f.zero = false;
                    }
                    f.width = Some(n.unsigned_abs() as usize);
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            argi += 1;
        } else {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i > s {
                // Go rejects widths over a million.
                match format[s..i].parse::<usize>() {
                    Ok(w) if w <= 1_000_000 => f.width = Some(w),
                    // Go gives up on the rest of the format.
                    _ => i = b.len(),
                }
            }
        }
        // Precision.
        if i < b.len() && b[i] == b'.' {
            i += 1;
            good_index = good_index && parse_index(&mut i, &mut argi, &mut reordered);
            if i < b.len() && b[i] == b'*' {
                i += 1;
                match args.get(argi) {
                    Some(Value::Int(n) | Value::Int64(n)) if (0..=1_000_000).contains(n) => {
                        f.prec = Some(*n as usize)
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                argi += 1;
            } else {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                match format[s..i].parse::<usize>() {
                    Ok(p) if p <= 1_000_000 => f.prec = Some(p),
                    Err(_) if s == i => f.prec = Some(0),
                    _ => i = b.len(),
                }
            }
        }
        if i < b.len() && b[i] == b'[' {
            good_index = good_index && parse_index(&mut i, &mut argi, &mut reordered);
        }
        let Some(verb) = format[i..].chars().next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_index {
            out.push_str("%!");
            out.push(verb);
            out.push_str("(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(argi) else {
            out.push_str("%!");
            out.push(verb);
            out.push_str("(MISSING)");
            continue;
        };
        argi += 1;
        if verb == 'v' && f.plus {
            f.plus = false;
            // %+v prints like %v for our values.
        }
        format_one(&mut out, &f, verb, arg);
    }
    if !reordered && argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[argi..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            match a {
                Value::Nil => out.push_str("<nil>"),
                _ => {
                    out.push_str(&a.type_name());
                    out.push('=');
                    write_v(&mut out, a);
                }
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats() {
        assert_eq!(format_float_v(1e6), "1e+06");
        assert_eq!(format_float_v(100000.0), "100000");
        assert_eq!(format_float_v(3.5), "3.5");
        assert_eq!(format_float_v(1e-5), "1e-05");
        assert_eq!(format_float_v(0.0001), "0.0001");
        assert_eq!(format_float_v(1.0), "1");
        assert_eq!(format_float_v(123456789.0), "1.23456789e+08");
        assert_eq!(format_float_v(-2.5), "-2.5");
    }

    #[test]
    fn printf() {
        assert_eq!(
            sprintf(
                "%5d|%-4s|%05.1f",
                &[Value::Int(3), Value::str("ab"), Value::Float(3.25159)]
            ),
            "    3|ab  |003.3"
        );
        assert_eq!(sprintf("%d", &[Value::str("x")]), "%!d(string=x)");
        assert_eq!(sprintf("%d", &[]), "%!d(MISSING)");
        assert_eq!(sprintf("a", &[Value::Int(1)]), "a%!(EXTRA int=1)");
        assert_eq!(
            sprintf(
                "%x %q %e %g",
                &[
                    Value::Int(255),
                    Value::str("a\"b"),
                    Value::Float(1234.5),
                    Value::Float(0.000012)
                ]
            ),
            "ff \"a\\\"b\" 1.234500e+03 1.2e-05"
        );
    }
}
