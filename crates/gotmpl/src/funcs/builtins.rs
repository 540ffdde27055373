//! text/template's predefined functions: `and`, `or`, `not`, `len`, `index`, `slice`, `eq`,
//! `ne`, `lt`, `le`, `gt`, `ge`, `print`, `printf`, `println`, `html`, `js`, `urlquery`, `call`.
//!
//! Their parameters are Go's `reflect.Value`s, so every one is declared [`Ty::Any`]: the
//! executor passes values unconverted. `and`/`or` short-circuit inside the executor.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::fmt as gofmt;
use crate::func::{Func, FuncCtx, Ty};
use crate::value::Value;

/// Functions the executor runs itself because they need more than their arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    And,
    Or,
    Include,
    Tpl,
}

/// The error a special function's body returns: it marks the entry as the executor's own,
/// so a table that overrides the name gets its own behaviour. (Addresses of statics cannot
/// tell the entries apart: constant data may be duplicated.)
pub const SPECIAL_MARKER: &str = "internal error: special function called directly";

/// Which special function `f` is, if any.
pub fn special(f: &'static Func) -> Option<Special> {
    let s = match f.name {
        "and" => Special::And,
        "or" => Special::Or,
        "include" => Special::Include,
        "tpl" => Special::Tpl,
        _ => return None,
    };
    let mut ctx = FuncCtx {
        host: &crate::func::Offline,
        now: (0, 0),
        rng: crate::func::Rng::new(0),
        lint: false,
    };
    match (f.body)(&mut ctx, &[]) {
        Err(e) if e == SPECIAL_MARKER => Some(s),
        _ => None,
    }
}

pub(crate) fn unreachable_special(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value, String> {
    Err(SPECIAL_MARKER.into())
}

pub static FUNCS: &[Func] = &[
    Func::variadic("and", &[Ty::Any], Ty::Any, unreachable_special),
    Func::variadic("or", &[Ty::Any], Ty::Any, unreachable_special),
    Func::new("not", &[Ty::Any], |_, a| Ok(Value::Bool(!a[0].truthy()))),
    Func::new("len", &[Ty::Any], len),
    Func::variadic("index", &[Ty::Any], Ty::Any, index),
    Func::variadic("slice", &[Ty::Any], Ty::Any, slice),
    Func::variadic("eq", &[Ty::Any], Ty::Any, eq),
    Func::new("ne", &[Ty::Any, Ty::Any], |_, a| {
        eq_pair(&a[0], &a[1]).map(|b| Value::Bool(!b))
    }),
    Func::new("lt", &[Ty::Any, Ty::Any], |_, a| {
        lt(&a[0], &a[1]).map(Value::Bool)
    }),
    Func::new("le", &[Ty::Any, Ty::Any], |_, a| {
        le(&a[0], &a[1]).map(Value::Bool)
    }),
    Func::new("gt", &[Ty::Any, Ty::Any], |_, a| {
        le(&a[0], &a[1]).map(|b| Value::Bool(!b))
    }),
    Func::new("ge", &[Ty::Any, Ty::Any], |_, a| {
        lt(&a[0], &a[1]).map(|b| Value::Bool(!b))
    }),
    Func::variadic("print", &[], Ty::Any, |_, a| {
        Ok(Value::str(gofmt::sprint(a)))
    }),
    Func::variadic("println", &[], Ty::Any, |_, a| {
        Ok(Value::str(gofmt::sprintln(a)))
    }),
    Func {
        name: "printf",
        params: &[Ty::String],
        variadic: Some(Ty::Any),
        body: |_, a| {
            Ok(Value::str(gofmt::sprintf(
                a[0].as_str().unwrap_or(""),
                &a[1..],
            )))
        },
    },
    Func::variadic("html", &[], Ty::Any, |_, a| {
        Ok(Value::str(html_escape(&eval_args(a))))
    }),
    Func::variadic("js", &[], Ty::Any, |_, a| {
        Ok(Value::str(js_escape(&eval_args(a))))
    }),
    Func::variadic("urlquery", &[], Ty::Any, |_, a| {
        Ok(Value::str(query_escape(&eval_args(a))))
    }),
    Func::variadic("call", &[Ty::Any], Ty::Any, call),
];

/// The text of the arguments of `html`, `js` and `urlquery`.
/// text/template's `evalArgs` for `html`, `js` and `urlquery`: one string as it is,
/// anything else through `fmt.Sprint`, where a nil operand is the string `<no value>` (so
/// no space is put next to it).
fn eval_args(a: &[Value]) -> String {
    if let [Value::String(s)] = a {
        return s.to_string();
    }
    let printable: Vec<Value> = a
        .iter()
        .map(|v| match v {
            Value::Nil => Value::str("<no value>"),
            v => v.clone(),
        })
        .collect();
    gofmt::sprint(&printable)
}

fn len(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let n = match &a[0] {
        Value::String(s) => crate::funcs::encoding::go_len(s),
        Value::Bytes(b) => b.len(),
        Value::List(l) | Value::IntList(l) => l.len(),
        Value::StringList(l) | Value::VersionSet(l) => l.len(),
        Value::Map(m) | Value::NamedMap(_, m) => m.len(),
        Value::Nil => return Err("len of nil pointer".into()),
        // Map-like objects (`.Files`, `.Files.Glob`) are Go maps.
        Value::Object(o) if o.entries().is_some() => o.entries().map_or(0, |e| e.len()),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Value::Int(n as i64))
}

fn index_arg(i: &Value, cap: usize) -> Result<usize, String> {
    let x = match i {
        Value::Int(x) | Value::Int64(x) => *x,
        Value::Uint64(x) => i64::try_from(*x).unwrap_or(i64::MAX),
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// Go's panic text when an index equals the length.
const SLICE_RANGE: &str = "reflect: slice index out of range";

fn index(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut item = a[0].clone();
    if matches!(item, Value::Nil) {
        return Err("index of untyped nil".into());
    }
    for i in &a[1..] {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l) | Value::IntList(l) => {
                let x = index_arg(i, l.len())?;
                l.get(x).cloned().ok_or(SLICE_RANGE)?
            }
            Value::StringList(l) | Value::VersionSet(l) => {
                let x = index_arg(i, l.len())?;
                Value::String(l.get(x).cloned().ok_or(SLICE_RANGE)?)
            }
            Value::Bytes(b) => {
                let x = index_arg(i, b.len())?;
                Value::Int(*b.get(x).ok_or(SLICE_RANGE)? as i64)
            }
            Value::String(s) => {
                let x = index_arg(i, s.len())?;
                Value::Int(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")? as i64,
                )
            }
            Value::Map(m) | Value::NamedMap(_, m) => match i {
                Value::String(k) => m.get(&**k).cloned().unwrap_or_default(),
                Value::Nil => Value::Nil,
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let item = &a[0];
    let len = match item {
        Value::Nil => return Err("slice of untyped nil".into()),
        Value::String(s) => rudder_gocompat::gostr::len(s),
        Value::List(l) | Value::IntList(l) => l.len(),
        Value::StringList(l) | Value::VersionSet(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    if a.len() > 4 {
        return Err(format!("too many slice indexes: {}", a.len() - 1));
    }
    if a.len() == 4 && matches!(item, Value::String(_)) {
        return Err("cannot 3-index slice a string".into());
    }
    let mut idx = [0usize, len, len];
    for (k, i) in a[1..].iter().enumerate() {
        idx[k] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if a.len() == 4 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(match item {
        Value::String(s) => {
            use rudder_gocompat::gostr;
            Value::str(gostr::from_bytes(&gostr::to_bytes(s)[i..j]).into_owned())
        }
        Value::List(l) => Value::list(l[i..j].to_vec()),
        Value::IntList(l) => Value::IntList(Arc::new(l[i..j].to_vec())),
        Value::StringList(l) => Value::StringList(Arc::new(l[i..j].to_vec())),
        Value::VersionSet(l) => Value::VersionSet(Arc::new(l[i..j].to_vec())),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[i..j])),
        _ => Value::Nil,
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Complex,
    String,
    Other,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Nil => Kind::Invalid,
        Value::Bool(_) => Kind::Bool,
        // Go's intKind and uintKind: compared by value with each other.
        Value::Int(_) | Value::Int64(_) | Value::Uint64(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        v if gofmt::as_complex(v).is_some() => Kind::Complex,
        _ => Kind::Other,
    }
}

/// An integer of any Go kind, exactly.
fn int_value(v: &Value) -> i128 {
    match v {
        Value::Int(i) | Value::Int64(i) => i128::from(*i),
        Value::Uint64(u) => i128::from(*u),
        _ => 0,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn comparable(v: &Value) -> bool {
    !matches!(
        v,
        Value::List(_)
            | Value::IntList(_)
            | Value::StringList(_)
            | Value::VersionSet(_)
            | Value::Map(_)
            | Value::NamedMap(..)
            | Value::Bytes(_)
    )
}

fn eq_pair(a: &Value, b: &Value) -> Result<bool, String> {
    let kind = |v: &Value| match basic_kind(v) {
        Kind::Other => Kind::Invalid,
        k => k,
    };
    let (k1, k2) = (kind(a), kind(b));
    if k1 != k2 {
        if !matches!(a, Value::Nil) && !matches!(b, Value::Nil) {
            return Err(format!(
                "{BAD_COMPARISON}: {} and {}",
                a.type_name(),
                b.type_name()
            ));
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (x, y) if k1 == Kind::Int => int_value(x) == int_value(y),
        (x, y) if k1 == Kind::Complex => gofmt::as_complex(x) == gofmt::as_complex(y),
        (Value::Nil, _) | (_, Value::Nil) => matches!(a, Value::Nil) == matches!(b, Value::Nil),
        _ => {
            if a.type_name() != b.type_name() {
                return Err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    gofmt::sprintf("%s", std::slice::from_ref(a)),
                    a.type_name(),
                    b.type_name(),
                    gofmt::sprintf("%v", std::slice::from_ref(b)),
                ));
            }
            if !comparable(b) {
                return Err(format!(
                    "non-comparable type {}: {}",
                    gofmt::sprintf("%s", std::slice::from_ref(b)),
                    b.type_name()
                ));
            }
            match (a, b) {
                // Go compares pointers by address and structs field by field.
                (Value::Object(x), Value::Object(y)) => {
                    Arc::ptr_eq(x, y)
                        || (!x.type_name().starts_with('*') && x.go_format() == y.go_format())
                }
                _ => false,
            }
        }
    })
}

fn eq(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    if a.len() < 2 {
        return Err("missing argument for comparison".into());
    }
    for b in &a[1..] {
        if eq_pair(&a[0], b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if matches!(k1, Kind::Invalid | Kind::Other) || matches!(k2, Kind::Invalid | Kind::Other) {
        return Err(BAD_COMPARISON_TYPE.to_string());
    }
    if k1 != k2 {
        return Err(format!(
            "{BAD_COMPARISON}: {} and {}",
            a.type_name(),
            b.type_name()
        ));
    }
    Ok(match (a, b) {
        (x, y) if k1 == Kind::Int => int_value(x) < int_value(y),
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x < y,
        _ => return Err(BAD_COMPARISON_TYPE.to_string()),
    })
}

fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq_pair(a, b)
}

fn call(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    match &a[0] {
        Value::Nil => Err("call of nil".into()),
        other => Err(format!("non-function of type {}", other.type_name())),
    }
}

/// `s` with each character written by `write`: as it is or escaped.
fn escape_chars(s: &str, mut write: impl FnMut(&mut String, char)) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        write(&mut out, c);
    }
    out
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    escape_chars(s, |out, c| match c {
        '\0' => out.push('\u{FFFD}'),
        '"' => out.push_str("&#34;"),
        '\'' => out.push_str("&#39;"),
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        c => out.push(c),
    })
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    escape_chars(s, |out, c| match c {
        '\\' => out.push_str("\\\\"),
        '\'' => out.push_str("\\'"),
        '"' => out.push_str("\\\""),
        '<' => out.push_str("\\u003C"),
        '>' => out.push_str("\\u003E"),
        '&' => out.push_str("\\u0026"),
        '=' => out.push_str("\\u003D"),
        c if (c as u32) < 0x20 || (!c.is_ascii() && !gofmt::is_print(c)) => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    })
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons() {
        assert_eq!(eq_pair(&Value::Int(1), &Value::Int64(1)), Ok(true));
        assert!(eq_pair(&Value::Int(1), &Value::Float(1.0)).is_err());
        assert_eq!(eq_pair(&Value::Nil, &Value::Int(1)), Ok(false));
        assert_eq!(lt(&Value::str("a"), &Value::str("b")), Ok(true));
        // Go compares int and uint kinds by value, a negative int below every uint.
        assert_eq!(eq_pair(&Value::Int(1), &Value::Uint64(1)), Ok(true));
        assert_eq!(
            eq_pair(&Value::Int(-1), &Value::Uint64(u64::MAX)),
            Ok(false)
        );
        assert_eq!(lt(&Value::Int(-1), &Value::Uint64(0)), Ok(true));
        assert_eq!(
            lt(&Value::Uint64(u64::MAX), &Value::Int64(i64::MAX)),
            Ok(false)
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(html_escape("<a href=\"x\">"), "&lt;a href=&#34;x&#34;&gt;");
        assert_eq!(js_escape("a'b<"), "a\\'b\\u003C");
        assert_eq!(query_escape("a b&"), "a+b%26");
    }
}

#[cfg(test)]
mod special_tests {
    #[test]
    fn finds_specials() {
        let f = crate::funcs::find("and").expect("and");
        assert_eq!(super::special(f), Some(super::Special::And));
        let f = crate::funcs::find("include").expect("include");
        assert_eq!(super::special(f), Some(super::Special::Include));
    }
}
