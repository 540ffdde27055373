//! Sprig's list functions (`list`, `first`, `append`, `uniq`, `slice`, `until`, ...). Like
//! Sprig they accept any Go slice (`[]interface{}`, `[]string`, `[]byte`) and fail with
//! Sprig's message (`Cannot find first on type string`) on anything else; the plain and the
//! `must*` forms fail the same way, because text/template turns the plain form's panic into
//! the same error.

use std::sync::Arc;

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::arg_int;
use crate::funcs::conv::{deep_equal, empty, slice_items, strslice, to_int64};
use crate::value::Value;

pub static FUNCS: &[Func] = &[
    Func::variadic("list", &[], Ty::Any, list),
    Func::variadic("tuple", &[], Ty::Any, list),
    Func::new("append", &[Ty::Any, Ty::Any], push),
    Func::new("push", &[Ty::Any, Ty::Any], push),
    Func::new("mustAppend", &[Ty::Any, Ty::Any], push),
    Func::new("mustPush", &[Ty::Any, Ty::Any], push),
    Func::new("prepend", &[Ty::Any, Ty::Any], prepend),
    Func::new("mustPrepend", &[Ty::Any, Ty::Any], prepend),
    Func::new("first", &[Ty::Any], first),
    Func::new("mustFirst", &[Ty::Any], first),
    Func::new("rest", &[Ty::Any], rest),
    Func::new("mustRest", &[Ty::Any], rest),
    Func::new("last", &[Ty::Any], last),
    Func::new("mustLast", &[Ty::Any], last),
    Func::new("initial", &[Ty::Any], initial),
    Func::new("mustInitial", &[Ty::Any], initial),
    Func::new("reverse", &[Ty::Any], reverse),
    Func::new("mustReverse", &[Ty::Any], reverse),
    Func::new("uniq", &[Ty::Any], uniq),
    Func::new("mustUniq", &[Ty::Any], uniq),
    Func::variadic("without", &[Ty::Any], Ty::Any, without),
    Func::variadic("mustWithout", &[Ty::Any], Ty::Any, without),
    Func::new("has", &[Ty::Any, Ty::Any], has),
    Func::new("mustHas", &[Ty::Any, Ty::Any], has),
    Func::new("compact", &[Ty::Any], compact),
    Func::new("mustCompact", &[Ty::Any], compact),
    Func::variadic("slice", &[Ty::Any], Ty::Any, slice),
    Func::variadic("mustSlice", &[Ty::Any], Ty::Any, slice),
    Func::new("chunk", &[Ty::Int, Ty::Any], chunk),
    Func::new("mustChunk", &[Ty::Int, Ty::Any], chunk),
    Func::variadic("concat", &[], Ty::Any, concat),
    Func::new("sortAlpha", &[Ty::Any], sort_alpha),
    Func::new("until", &[Ty::Int], until),
    Func::new("untilStep", &[Ty::Int, Ty::Int, Ty::Int], until_step),
];

/// Go's panic when Sprig calls `reflect.TypeOf(nil).Kind()`.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// The elements of a slice argument, or Sprig's error naming the value's kind:
/// `what` is the text around the kind, e.g. `("Cannot find first on type ", "")`.
fn items(v: &Value, what: (&str, &str)) -> Result<Vec<Value>, String> {
    if matches!(v, Value::Nil) {
        return Err(NIL_DEREF.into());
    }
    slice_items(v).ok_or_else(|| format!("{}{}{}", what.0, crate::fmt::go_kind(v), what.1))
}

fn list(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::list(a.to_vec()))
}

fn push(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut l = items(&a[0], ("Cannot push on type ", ""))?;
    l.push(a[1].clone());
    Ok(Value::list(l))
}

fn prepend(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut l = items(&a[0], ("Cannot prepend on type ", ""))?;
    l.insert(0, a[1].clone());
    Ok(Value::list(l))
}

fn first(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot find first on type ", ""))?;
    Ok(l.into_iter().next().unwrap_or(Value::Nil))
}

fn last(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot find last on type ", ""))?;
    Ok(l.into_iter().next_back().unwrap_or(Value::Nil))
}

fn rest(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot find rest on type ", ""))?;
    Ok(Value::list(l.into_iter().skip(1).collect()))
}

fn initial(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut l = items(&a[0], ("Cannot find initial on type ", ""))?;
    l.pop();
    Ok(Value::list(l))
}

fn reverse(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut l = items(&a[0], ("Cannot find reverse on type ", ""))?;
    l.reverse();
    Ok(Value::list(l))
}

fn uniq(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot find uniq on type ", ""))?;
    let mut out: Vec<Value> = Vec::new();
    for x in l {
        if !out.iter().any(|y| deep_equal(&x, y)) {
            out.push(x);
        }
    }
    Ok(Value::list(out))
}

fn without(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot find without on type ", ""))?;
    let omit = &a[1..];
    Ok(Value::list(
        l.into_iter()
            .filter(|x| !omit.iter().any(|o| deep_equal(x, o)))
            .collect(),
    ))
}

fn has(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    if matches!(a[1], Value::Nil) {
        return Ok(Value::Bool(false));
    }
    let l = items(&a[1], ("Cannot find has on type ", ""))?;
    Ok(Value::Bool(l.iter().any(|x| deep_equal(&a[0], x))))
}

fn compact(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("Cannot compact on type ", ""))?;
    Ok(Value::list(l.into_iter().filter(|x| !empty(x)).collect()))
}

fn slice(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let l = items(&a[0], ("list should be type of slice or array but ", ""))?;
    let len = l.len() as i64;
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = a.get(1).map_or(0, to_int64);
    let end = if a.len() < 3 { len } else { to_int64(&a[2]) };
    if start < 0 || end < start || end > len {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    let (s, e) = (start as usize, end as usize);
    // reflect's Slice keeps the slice's type.
    Ok(match &a[0] {
        Value::StringList(sl) => Value::StringList(Arc::new(sl[s..e].to_vec())),
        Value::VersionSet(sl) => Value::VersionSet(Arc::new(sl[s..e].to_vec())),
        Value::IntList(_) => Value::IntList(Arc::new(l[s..e].to_vec())),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[s..e])),
        _ => Value::list(l[s..e].to_vec()),
    })
}

fn chunk(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let size = arg_int(a, 0);
    let l = items(&a[1], ("Cannot chunk type ", ""))?;
    // Sprig counts the chunks in float64; a size below one gives no chunk or a negative
    // length, which Go's make rejects.
    let len = l.len() as i64;
    let chunks =
        crate::funcs::conv::go_f64_to_i64(((len - 1) as f64 / size as f64).floor()).wrapping_add(1);
    const BAD_LEN: &str = "runtime error: makeslice: len out of range";
    if chunks < 0 {
        return Err(BAD_LEN.into());
    }
    if chunks == 0 {
        return Ok(Value::list(Vec::new()));
    }
    if size <= 0 {
        return Err(BAD_LEN.into());
    }
    Ok(Value::list(
        l.chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
    ))
}

fn concat(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for l in a {
        out.extend(items(l, ("Cannot concat type ", " as list"))?);
    }
    Ok(Value::list(out))
}

fn sort_alpha(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut l = match &a[0] {
        v @ (Value::List(_)
        | Value::IntList(_)
        | Value::StringList(_)
        | Value::VersionSet(_)
        | Value::Bytes(_)) => strslice(v),
        other => vec![Arc::from(crate::funcs::conv::strval(other))],
    };
    l.sort();
    Ok(Value::StringList(Arc::new(l)))
}

/// Largest list `until`/`untilStep` build; beyond this Go would exhaust memory anyway.
const MAX_RANGE: usize = 10_000_000;

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`; empty when the
/// step points the wrong way or is zero.
pub(crate) fn until_step_vec(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let down = stop < start;
    let mut v = Vec::new();
    if step == 0 || (step < 0) != down {
        return Ok(v);
    }
    let mut i = start;
    while if down { i > stop } else { i < stop } {
        v.push(i);
        if v.len() > MAX_RANGE {
            return Err("runtime error: out of memory".into());
        }
        match i.checked_add(step) {
            Some(n) => i = n,
            None => break,
        }
    }
    Ok(v)
}

/// A Go `[]int`.
fn ints(v: Vec<i64>) -> Value {
    Value::IntList(Arc::new(v.into_iter().map(Value::Int).collect()))
}

fn until(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let count = arg_int(a, 0);
    let step = if count < 0 { -1 } else { 1 };
    Ok(ints(until_step_vec(0, count, step)?))
}

fn until_step(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(ints(until_step_vec(
        arg_int(a, 0),
        arg_int(a, 1),
        arg_int(a, 2),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::{call, out, s};

    fn l(items: &[Value]) -> Value {
        Value::list(items.to_vec())
    }

    #[test]
    fn basics() {
        let abc = l(&[s("a"), s("b"), s("c")]);
        assert_eq!(out(call(first, std::slice::from_ref(&abc))), "a");
        assert_eq!(out(call(last, std::slice::from_ref(&abc))), "c");
        assert_eq!(out(call(rest, std::slice::from_ref(&abc))), "[b c]");
        assert_eq!(out(call(initial, std::slice::from_ref(&abc))), "[a b]");
        assert_eq!(out(call(reverse, std::slice::from_ref(&abc))), "[c b a]");
        assert_eq!(out(call(push, &[abc.clone(), s("d")])), "[a b c d]");
        assert_eq!(out(call(prepend, &[abc.clone(), s("z")])), "[z a b c]");
        assert_eq!(
            out(call(first, &[s("x")])),
            "ERR Cannot find first on type string"
        );
        assert_eq!(out(call(first, &[Value::Nil])), format!("ERR {NIL_DEREF}"));
        assert_eq!(out(call(first, &[l(&[])])), "<nil>");
        assert_eq!(
            out(call(concat, &[abc.clone(), s("x")])),
            "ERR Cannot concat type string as list"
        );
    }

    #[test]
    fn equality_based() {
        let v = l(&[
            Value::Int(1),
            Value::Int64(1),
            Value::Int(1),
            s("1"),
            Value::Nil,
            s(""),
        ]);
        assert_eq!(out(call(uniq, std::slice::from_ref(&v))), "[1 1 1 <nil> ]");
        assert_eq!(out(call(compact, std::slice::from_ref(&v))), "[1 1 1 1]");
        assert_eq!(
            out(call(without, &[v.clone(), Value::Int(1), Value::Nil])),
            "[1 1 ]"
        );
        assert_eq!(out(call(has, &[Value::Int64(1), v.clone()])), "true");
        assert_eq!(out(call(has, &[Value::Float(1.0), v])), "false");
        assert_eq!(out(call(has, &[Value::Int(1), Value::Nil])), "false");
    }

    #[test]
    fn slicing_and_ranges() {
        let v = l(&[Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4)]);
        assert_eq!(
            out(call(slice, &[v.clone(), Value::Int(1), Value::Int(3)])),
            "[2 3]"
        );
        assert_eq!(out(call(slice, &[v.clone(), Value::Int(2)])), "[3 4]");
        assert!(out(call(slice, &[v.clone(), Value::Int(3), Value::Int(9)])).starts_with("ERR"));
        assert_eq!(
            out(call(chunk, &[Value::Int(3), v.clone()])),
            "[[1 2 3] [4]]"
        );
        assert_eq!(out(call(until, &[Value::Int(-3)])), "[0 -1 -2]");
        assert_eq!(
            out(call(
                until_step,
                &[Value::Int(0), Value::Int(10), Value::Int(3)]
            )),
            "[0 3 6 9]"
        );
        assert_eq!(
            out(call(
                until_step,
                &[Value::Int(0), Value::Int(10), Value::Int(-1)]
            )),
            "[]"
        );
        assert_eq!(
            out(call(sort_alpha, &[l(&[s("b"), Value::Int(10), s("a")])])),
            "[10 a b]"
        );
        assert_eq!(out(call(sort_alpha, &[Value::Int(3)])), "[3]");
    }
}
