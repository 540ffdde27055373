//! Sprig's dictionary functions (`dict`, `get`, `set`, `merge`, `dig`, `pick`, ...).
//!
//! Go maps are references: Sprig's `set`, `unset`, `merge` and `mergeOverwrite` change the
//! map they are given and return it. [`Value::Map`] is shared and immutable, so these
//! functions return the changed copy; making the change visible through other references to
//! the same map (`{{ $_ := set $d "k" 1 }}{{ $d.k }}`) is the executor's part.

use std::sync::Arc;

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::arg_str;
use crate::funcs::conv::{empty, strval};
use crate::value::{Map, Value};

pub static FUNCS: &[Func] = &[
    Func::variadic("dict", &[], Ty::Any, dict),
    Func::new("get", &[Ty::Map, Ty::String], get),
    Func::new("set", &[Ty::Map, Ty::String, Ty::Any], set),
    Func::new("unset", &[Ty::Map, Ty::String], unset),
    Func::new("hasKey", &[Ty::Map, Ty::String], has_key),
    Func::variadic("pluck", &[Ty::String], Ty::Map, pluck),
    Func::variadic("keys", &[], Ty::Map, keys),
    Func::variadic("pick", &[Ty::Map], Ty::String, pick),
    Func::variadic("omit", &[Ty::Map], Ty::String, omit),
    Func::variadic("merge", &[Ty::Map], Ty::Map, merge),
    Func::variadic("mustMerge", &[Ty::Map], Ty::Map, merge),
    Func::variadic("mergeOverwrite", &[Ty::Map], Ty::Map, merge_overwrite),
    Func::variadic("mustMergeOverwrite", &[Ty::Map], Ty::Map, merge_overwrite),
    Func::new("values", &[Ty::Map], values),
    Func::new("deepCopy", &[Ty::Any], deep_copy),
    Func::new("mustDeepCopy", &[Ty::Any], deep_copy),
    Func::variadic("dig", &[], Ty::Any, dig),
];

/// The map argument at `i`; a nil map (Go allows one for `map[string]interface{}`) is empty.
fn arg_map(a: &[Value], i: usize) -> Arc<Map> {
    match a.get(i) {
        Some(Value::Map(m)) => m.clone(),
        _ => Arc::new(Map::new()),
    }
}

fn dict(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut m = Map::new();
    for pair in a.chunks(2) {
        let key = strval(&pair[0]);
        let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(key, v);
    }
    Ok(Value::map(m))
}

fn get(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(arg_map(a, 0)
        .get(arg_str(a, 1))
        .cloned()
        .unwrap_or_else(|| Value::str("")))
}

fn set(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    if !matches!(&a[0], Value::Map(m) if !Value::is_nil_map(m)) {
        return Err("assignment to entry in nil map".into());
    }
    let mut m = arg_map(a, 0);
    Arc::make_mut(&mut m).insert(arg_str(a, 1).to_string(), a[2].clone());
    Ok(Value::Map(m))
}

fn unset(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let mut m = arg_map(a, 0);
    if m.contains_key(arg_str(a, 1)) {
        Arc::make_mut(&mut m).remove(arg_str(a, 1));
    }
    Ok(Value::Map(m))
}

fn has_key(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(arg_map(a, 0).contains_key(arg_str(a, 1))))
}

fn pluck(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let key = arg_str(a, 0);
    let out = a[1..]
        .iter()
        .filter_map(|d| match d {
            Value::Map(m) => m.get(key).cloned(),
            _ => None,
        })
        .collect();
    Ok(Value::list(out))
}

fn keys(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    // Go's map order is random; sorted order is one of the orders Helm can produce.
    let mut out: Vec<Arc<str>> = Vec::new();
    for d in a {
        if let Value::Map(m) = d {
            out.extend(m.keys().map(|k| Arc::from(k.as_str())));
        }
    }
    Ok(Value::StringList(Arc::new(out)))
}

fn pick(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let m = arg_map(a, 0);
    let mut out = Map::new();
    for k in a[1..].iter().filter_map(Value::as_str) {
        if let Some(v) = m.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    Ok(Value::map(out))
}

fn omit(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let m = arg_map(a, 0);
    let drop: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
    let out = m
        .iter()
        .filter(|(k, _)| !drop.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Value::map(out))
}

/// mergo's `Merge` (`overwrite == false`) and `MergeWithOverwrite` of `src` into `dst` for
/// `map[string]interface{}`: nested maps merge key by key; otherwise a key is taken from
/// `src` when `dst` lacks it or holds an empty value (or always, when overwriting; a nil in
/// `src` only overwrites).
pub fn merge_into(dst: &mut Map, src: &Map, overwrite: bool) {
    for (k, sv) in src {
        if matches!(sv, Value::Nil) {
            if overwrite {
                dst.insert(k.clone(), Value::Nil);
            }
            continue;
        }
        let dv = dst.get_mut(k);
        if let (Value::Map(sm), Some(Value::Map(dm))) = (sv, dv) {
            merge_into(Arc::make_mut(dm), sm, overwrite);
            if !dm.is_empty() {
                continue;
            }
        }
        let dv = dst.get(k);
        let dst_empty = dv.is_none_or(empty);
        if overwrite || dst_empty {
            dst.insert(k.clone(), sv.clone());
        }
    }
}

fn merge_all(a: &[Value], overwrite: bool) -> Result<Value, String> {
    let mut dst = arg_map(a, 0);
    for src in &a[1..] {
        if let Value::Map(s) = src {
            merge_into(Arc::make_mut(&mut dst), s, overwrite);
        }
    }
    Ok(Value::Map(dst))
}

fn merge(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    merge_all(a, false)
}

fn merge_overwrite(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    merge_all(a, true)
}

fn values(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::list(arg_map(a, 0).values().cloned().collect()))
}

/// A copy that shares nothing mutable with the original.
pub fn deep_copy_value(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::list(l.iter().map(deep_copy_value).collect()),
        Value::IntList(l) => Value::IntList(Arc::new(l.to_vec())),
        Value::NamedMap(t, m) => match deep_copy_value(&Value::Map(m.clone())) {
            Value::Map(c) => Value::NamedMap(*t, c),
            other => other,
        },
        Value::Map(m) if Value::is_nil_map(m) => v.clone(),
        Value::Map(m) => Value::map(
            m.iter()
                .map(|(k, x)| (k.clone(), deep_copy_value(x)))
                .collect(),
        ),
        Value::StringList(l) => Value::StringList(Arc::new(l.to_vec())),
        Value::VersionSet(l) => Value::VersionSet(Arc::new(l.to_vec())),
        Value::Bytes(b) => Value::Bytes(Arc::from(&b[..])),
        other => other.clone(),
    }
}

fn deep_copy(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    if matches!(a[0], Value::Nil) {
        return Err("reflect: call of reflect.Value.Type on zero Value".into());
    }
    Ok(deep_copy_value(&a[0]))
}

/// Go's message when a type assertion to `want` fails on `v`.
fn assertion_error(v: &Value, want: &str) -> String {
    let got = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    format!("interface conversion: interface {{}} is {got}, not {want}")
}

fn dig(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let map_ty = "map[string]interface {}";
    let last = &a[a.len() - 1];
    let Value::Map(mut cur) = last.clone() else {
        return Err(assertion_error(last, map_ty));
    };
    let default = &a[a.len() - 2];
    let mut path = Vec::with_capacity(a.len() - 2);
    for k in &a[..a.len() - 2] {
        path.push(k.as_str().ok_or_else(|| assertion_error(k, "string"))?);
    }
    for (i, k) in path.iter().enumerate() {
        let Some(step) = cur.get(*k).cloned() else {
            return Ok(default.clone());
        };
        if i + 1 == path.len() {
            return Ok(step);
        }
        match step {
            Value::Map(m) => cur = m,
            other => return Err(assertion_error(&other, map_ty)),
        }
    }
    Ok(default.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::sprint_v;
    use crate::funcs::conv::tests::{call, out, s};

    fn d(pairs: &[(&str, Value)]) -> Value {
        Value::map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn dict_get_set() {
        let m = call(
            dict,
            &[s("b"), Value::Int(1), Value::Int(2), s("x"), s("odd")],
        )
        .unwrap();
        assert_eq!(sprint_v(&m), "map[2:x b:1 odd:]");
        assert_eq!(out(call(get, &[m.clone(), s("b")])), "1");
        assert_eq!(out(call(get, &[m.clone(), s("zz")])), "");
        assert_eq!(
            out(call(set, &[m.clone(), s("c"), Value::Nil])),
            "map[2:x b:1 c:<nil> odd:]"
        );
        assert_eq!(out(call(unset, &[m.clone(), s("b")])), "map[2:x odd:]");
        assert_eq!(out(call(has_key, &[m.clone(), s("odd")])), "true");
        assert_eq!(out(call(pick, &[m.clone(), s("b"), s("q")])), "map[b:1]");
        assert_eq!(out(call(omit, &[m.clone(), s("b")])), "map[2:x odd:]");
        assert_eq!(
            out(call(keys, &[m.clone(), d(&[("a", Value::Nil)])])),
            "[2 b odd a]"
        );
    }

    #[test]
    fn merging() {
        let dst = d(&[
            ("a", Value::Int(1)),
            ("e", s("")),
            ("n", d(&[("x", Value::Int(1))])),
        ]);
        let src = d(&[
            ("a", Value::Int(2)),
            ("e", s("filled")),
            ("z", Value::Nil),
            ("n", d(&[("x", Value::Int(2)), ("y", Value::Int(3))])),
        ]);
        assert_eq!(
            out(call(merge, &[dst.clone(), src.clone()])),
            "map[a:1 e:filled n:map[x:1 y:3]]"
        );
        assert_eq!(
            out(call(merge_overwrite, &[dst, src])),
            "map[a:2 e:filled n:map[x:2 y:3] z:<nil>]"
        );
    }

    #[test]
    fn digging() {
        let m = d(&[("a", d(&[("b", s("c"))])), ("s", s("x"))]);
        assert_eq!(out(call(dig, &[s("a"), s("b"), s("def"), m.clone()])), "c");
        assert_eq!(
            out(call(dig, &[s("a"), s("q"), s("def"), m.clone()])),
            "def"
        );
        assert_eq!(
            out(call(dig, &[s("s"), s("q"), s("def"), m.clone()])),
            "ERR interface conversion: interface {} is string, not map[string]interface {}"
        );
        assert_eq!(
            out(call(dig, &[s("a"), m])),
            "ERR dig needs at least three arguments"
        );
    }
}
