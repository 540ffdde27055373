//! Sprig's conversions, defaults and reflection helpers (`toString`, `int64`, `default`,
//! `empty`, `typeOf`, `getHostByName`, ...), and the conversion rules the other Sprig
//! modules share: [`strval`] (Sprig's `toString`), [`to_int64`] / [`to_float64`]
//! (spf13/cast, which Sprig uses for every numeric operand), [`empty`], [`deep_equal`] and
//! Go's `%v` ([`sprint_v`]).

use std::sync::Arc;

use crate::func::{Func, FuncCtx, Ty};
use crate::value::Value;

pub static FUNCS: &[Func] = &[
    Func::new("atoi", &[Ty::String], atoi),
    Func::new("int", &[Ty::Any], int),
    Func::new("int64", &[Ty::Any], int64),
    Func::new("float64", &[Ty::Any], float64),
    Func::new("toString", &[Ty::Any], to_string),
    Func::new("toStrings", &[Ty::Any], to_strings),
    Func::new("toDecimal", &[Ty::Any], to_decimal),
    Func::variadic("default", &[Ty::Any], Ty::Any, default),
    Func::new("empty", &[Ty::Any], empty_fn),
    Func::variadic("coalesce", &[], Ty::Any, coalesce),
    Func::variadic("all", &[], Ty::Any, all),
    Func::variadic("any", &[], Ty::Any, any),
    Func::new("ternary", &[Ty::Any, Ty::Any, Ty::Bool], ternary),
    Func::new("typeOf", &[Ty::Any], type_of),
    Func::new("typeIs", &[Ty::String, Ty::Any], type_is),
    Func::new("typeIsLike", &[Ty::String, Ty::Any], type_is_like),
    Func::new("kindOf", &[Ty::Any], kind_of),
    Func::new("kindIs", &[Ty::String, Ty::Any], kind_is),
    Func::new("deepEqual", &[Ty::Any, Ty::Any], deep_equal_fn),
    Func::new("getHostByName", &[Ty::String], get_host_by_name),
    Func::new("hello", &[], hello),
];

// ---------------------------------------------------------------------------------------
// Shared conversions.

/// Sprig's `strval` (its `toString`): strings as they are, `[]byte` as text, `Stringer`s
/// through `String()`, anything else through `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => rudder_gocompat::gostr::from_bytes(b).into_owned(),
        other => sprint_v(other),
    }
}

/// spf13/cast's `ToInt64` as Sprig uses it: numbers convert (floats truncate), strings parse
/// as Go integer literals (`0x1f`, `0o17`, `017`, `1_000`, a trailing `.0` dropped), bools
/// are 1 or 0, and everything else (nil, lists, maps, unparsable strings) is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint64(u) => *u as i64,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_go_int(trim_zero_decimal(s), 0).unwrap_or(0),
        _ => 0,
    }
}

/// spf13/cast's `ToFloat64`: numbers convert, strings parse as Go float literals, bools are
/// 1 or 0, everything else is 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint64(u) => *u as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Go's `int64(f)` on amd64: truncation toward zero; NaN and out-of-range values give the
/// "integer indefinite" value, `math.MinInt64`.
pub fn go_f64_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// spf13/cast's `trimZeroDecimal`: `"12.00"` → `"12"`, `"12.50"` unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=bytes.len()).rev() {
        match bytes[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Why a Go integer parse failed (`strconv.ErrSyntax` or `strconv.ErrRange`); a range error
/// carries the value clamped to the type's bounds, as Go returns it.
#[derive(Debug, PartialEq)]
pub enum ParseIntError {
    Syntax,
    Range(i64),
}

/// Go's `strconv.ParseInt(s, base, 64)`; `base` 0 reads the prefix (`0x`, `0o`, `0b`, `0`)
/// and allows `_` between digits.
pub fn parse_go_int(s: &str, base: u32) -> Result<i64, ParseIntError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let mag = match parse_go_uint(body, base) {
        Ok(m) => m,
        Err(ParseIntError::Range(_)) => {
            return Err(ParseIntError::Range(if neg { i64::MIN } else { i64::MAX }));
        }
        Err(e) => return Err(e),
    };
    let limit = 1u64 << 63;
    if neg {
        if mag > limit {
            return Err(ParseIntError::Range(i64::MIN));
        }
        Ok((mag as i64).wrapping_neg())
    } else {
        if mag >= limit {
            return Err(ParseIntError::Range(i64::MAX));
        }
        Ok(mag as i64)
    }
}

fn parse_go_uint(s: &str, base: u32) -> Result<u64, ParseIntError> {
    if s.is_empty() {
        return Err(ParseIntError::Syntax);
    }
    let lower = s.to_ascii_lowercase();
    let base0 = base == 0;
    let (base, digits) = if base0 {
        if lower.starts_with("0x") {
            (16, &s[2..])
        } else if lower.starts_with("0o") {
            (8, &s[2..])
        } else if lower.starts_with("0b") {
            (2, &s[2..])
        } else if let Some(rest) = s.strip_prefix('0') {
            (8, rest)
        } else {
            (10, s)
        }
    } else {
        (base, s)
    };
    let allow_underscores = base0;
    if digits.is_empty() && !(base0 && s == "0") {
        return Err(ParseIntError::Syntax);
    }
    let mut n: u64 = 0;
    let mut overflow = false;
    let mut saw_underscore = false;
    for c in digits.chars() {
        if c == '_' && allow_underscores {
            saw_underscore = true;
            continue;
        }
        let d = c.to_digit(base).ok_or(ParseIntError::Syntax)?;
        match n
            .checked_mul(base as u64)
            .and_then(|m| m.checked_add(d as u64))
        {
            Some(m) => n = m,
            None => overflow = true,
        }
    }
    if saw_underscore && !underscore_ok(s) {
        return Err(ParseIntError::Syntax);
    }
    if overflow {
        return Err(ParseIntError::Range(i64::MAX));
    }
    Ok(n)
}

/// Go's rule for `_` in base-prefixed literals: only between digits, or right after the
/// base prefix.
fn underscore_ok(s: &str) -> bool {
    // 'x' after a digit/prefix, '0' after a digit or "0x", '_' after an underscore.
    let mut saw = '^';
    let mut i = 0;
    let b = s.as_bytes();
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' {
        let c = (b[1] as char).to_ascii_lowercase();
        if c == 'x' || c == 'o' || c == 'b' {
            hex = c == 'x';
            i = 2;
            saw = '0';
        }
    }
    while i < b.len() {
        let c = b[i] as char;
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = '0';
        } else if c == '_' {
            if saw != '0' {
                return false;
            }
            saw = '_';
        } else {
            if saw == '_' {
                return false;
            }
            saw = '!';
        }
        i += 1;
    }
    saw != '_'
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal literals: optional sign and exponent,
/// `inf`/`infinity`/`nan` in any case, `_` between digits. Out-of-range values are errors
/// (Go returns ±Inf with `ErrRange`). Hexadecimal floats are not supported.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        return s.parse::<f64>().ok();
    }
    let ok_chars =
        |c: u8| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-' | b'_');
    if t.is_empty() || !t.bytes().all(ok_chars) {
        return None;
    }
    let cleaned;
    let s = if s.contains('_') {
        if !underscore_ok(s.strip_prefix(['+', '-']).unwrap_or(s)) {
            return None;
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    let f = s.parse::<f64>().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

/// Sprig's `empty`: nil, false, zero numbers and empty strings, slices and maps; a struct
/// is never empty, a pointer only when nil.
pub fn empty(v: &Value) -> bool {
    !v.truthy()
}

/// Go's `reflect.DeepEqual` on template values: the types must match (`int` 1 is not
/// `int64` 1, `[]string` is not `[]interface{}`), NaN equals nothing.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint64(x), Value::Uint64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::StringList(x), Value::StringList(y)) => x == y,
        (Value::VersionSet(x), Value::VersionSet(y)) => x == y,
        (Value::IntList(x), Value::IntList(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::NamedMap(s, x), Value::NamedMap(t, y)) if s == t => {
            deep_equal(&Value::Map(x.clone()), &Value::Map(y.clone()))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Arc::ptr_eq(x, y) || (x.type_name() == y.type_name() && x.go_format() == y.go_format())
        }
        _ => false,
    }
}

/// Elements of any Go slice value (`[]interface{}`, `[]string`, `[]byte`), as Sprig reads
/// them through `reflect`; `None` for anything that is not a slice.
pub fn slice_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) | Value::IntList(l) => Some(l.to_vec()),
        Value::StringList(l) | Value::VersionSet(l) => {
            Some(l.iter().map(|s| Value::String(s.clone())).collect())
        }
        Value::Bytes(b) => Some(b.iter().map(|&x| Value::Int(i64::from(x))).collect()),
        _ => None,
    }
}

/// Sprig's `strslice` (`toStrings`, `join`, `sortAlpha`): a slice's non-nil elements through
/// [`strval`]; nil is an empty list, any other value a list of one.
pub fn strslice(v: &Value) -> Vec<Arc<str>> {
    match v {
        Value::StringList(l) | Value::VersionSet(l) => l.to_vec(),
        Value::Nil => Vec::new(),
        other => match slice_items(other) {
            Some(items) => items
                .iter()
                .filter(|x| !matches!(x, Value::Nil))
                .map(|x| Arc::from(strval(x)))
                .collect(),
            None => vec![Arc::from(strval(other))],
        },
    }
}

// ---------------------------------------------------------------------------------------
// Go's `fmt` pieces, from the engine's `fmt` module.

/// What Go's `fmt.Sprint(v)` (`%v`) prints for a value.
pub fn sprint_v(v: &Value) -> String {
    crate::fmt::to_v(v)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses (`1e+06`, `0.0001`).
pub fn format_float_g(f: f64) -> String {
    crate::fmt::format_float_v(f)
}

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub use rudder_gocompat::quote::quote as go_quote;

// ---------------------------------------------------------------------------------------
// The functions.

fn atoi(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let s = a[0].as_str().unwrap_or("");
    // strconv.Atoi: base 10, no prefixes or underscores; a range error keeps the clamped value.
    let ok_syntax = {
        let t = s.strip_prefix(['+', '-']).unwrap_or(s);
        !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())
    };
    if !ok_syntax {
        return Ok(Value::Int(0));
    }
    Ok(Value::Int(match parse_go_int(s, 10) {
        Ok(i) | Err(ParseIntError::Range(i)) => i,
        Err(ParseIntError::Syntax) => 0,
    }))
}

fn int(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(to_int64(&a[0])))
}

fn int64(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(to_int64(&a[0])))
}

fn float64(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(&a[0])))
}

fn to_string(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(strval(&a[0])))
}

fn to_strings(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::StringList(Arc::new(strslice(&a[0]))))
}

fn to_decimal(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let s = sprint_v(&a[0]);
    Ok(Value::Int64(parse_go_int(&s, 8).unwrap_or(0)))
}

fn default(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    match a.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(a[0].clone()),
    }
}

fn empty_fn(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(empty(&a[0])))
}

fn coalesce(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
}

fn all(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(a.iter().all(|v| !empty(v))))
}

fn any(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(a.iter().any(|v| !empty(v))))
}

fn ternary(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(if a[2].truthy() {
        a[0].clone()
    } else {
        a[1].clone()
    })
}

fn type_of(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(a[0].type_name()))
}

fn type_is(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        a[0].as_str() == Some(a[1].type_name().as_str()),
    ))
}

fn type_is_like(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let target = a[0].as_str().unwrap_or("");
    let t = a[1].type_name();
    Ok(Value::Bool(
        target == t || t.strip_prefix('*') == Some(target),
    ))
}

fn kind_of(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(crate::fmt::go_kind(&a[0])))
}

fn kind_is(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        a[0].as_str() == Some(crate::fmt::go_kind(&a[1])),
    ))
}

fn deep_equal_fn(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(deep_equal(&a[0], &a[1])))
}

/// Helm replaces Sprig's DNS lookup with one that returns `""` unless `--enable-dns` is
/// given; a sandboxed render has no DNS.
fn get_host_by_name(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value, String> {
    Ok(Value::str(""))
}

fn hello(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value, String> {
    Ok(Value::str("Hello!"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::func::{Offline, Rng};

    /// The context of a function call in the tests of the function modules: no cluster, the
    /// clock at `now` and the random numbers seeded with `seed`.
    pub(crate) fn ctx(now: (i64, u32), seed: u64) -> FuncCtx<'static> {
        FuncCtx {
            host: &Offline,
            now,
            rng: Rng::new(seed),
            lint: false,
        }
    }

    pub(crate) fn call(f: crate::func::FuncBody, args: &[Value]) -> Result<Value, String> {
        f(&mut ctx((1_700_000_000, 0), 1), args)
    }

    /// Calls the function `name` of `table` in `ctx`.
    pub(crate) fn call_in(
        table: &[crate::func::Func],
        name: &str,
        args: &[Value],
        mut ctx: FuncCtx<'_>,
    ) -> Result<Value, String> {
        let f = table.iter().find(|f| f.name == name).expect("function");
        (f.body)(&mut ctx, args)
    }

    pub(crate) fn s(x: &str) -> Value {
        Value::str(x)
    }

    /// The string a call returned.
    pub(crate) fn string(v: Result<Value, String>) -> String {
        match v {
            Ok(Value::String(s)) => s.to_string(),
            other => panic!("not a string: {other:?}"),
        }
    }

    /// What a call returned as `%v` prints it, or `ERR` and its error.
    pub(crate) fn out(v: Result<Value, String>) -> String {
        match v {
            Ok(v) => sprint_v(&v),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn floats_print_like_go() {
        for (f, want) in [
            (1e6, "1e+06"),
            (100000.0, "100000"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (123456789.0, "1.23456789e+08"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (3.0, "3"),
        ] {
            assert_eq!(format_float_g(f), want, "{f}");
        }
    }

    #[test]
    fn cast_rules() {
        assert_eq!(to_int64(&s("0x1F")), 31);
        assert_eq!(to_int64(&s("010")), 8);
        assert_eq!(to_int64(&s("12.00")), 12);
        assert_eq!(to_int64(&s("12.5")), 0);
        assert_eq!(to_int64(&s("1_000")), 1000);
        assert_eq!(to_int64(&s("-7")), -7);
        assert_eq!(to_int64(&s("abc")), 0);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Float(1e300)), i64::MIN);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_float64(&s("1.5e3")), 1500.0);
        assert_eq!(to_float64(&s("x")), 0.0);
        assert_eq!(to_float64(&s("1e400")), 0.0);
    }

    #[test]
    fn quoting() {
        assert_eq!(go_quote("a\"b\\\n\u{1}é"), "\"a\\\"b\\\\\\n\\x01é\"");
    }

    #[test]
    fn defaults_and_atoi() {
        assert_eq!(sprint_v(&call(default, &[s("d"), s("")]).unwrap()), "d");
        assert_eq!(sprint_v(&call(default, &[s("d")]).unwrap()), "d");
        assert_eq!(
            sprint_v(&call(default, &[s("d"), Value::Int(0)]).unwrap()),
            "d"
        );
        assert_eq!(sprint_v(&call(default, &[s("d"), s("x")]).unwrap()), "x");
        assert!(matches!(call(atoi, &[s("42")]).unwrap(), Value::Int(42)));
        assert!(matches!(call(atoi, &[s("4x")]).unwrap(), Value::Int(0)));
        assert!(matches!(
            call(atoi, &[s("99999999999999999999")]).unwrap(),
            Value::Int(i64::MAX)
        ));
        assert!(matches!(
            call(to_decimal, &[s("0777")]).unwrap(),
            Value::Int64(511)
        ));
    }
}
