//! Sprig's arithmetic. Integer functions convert every operand with spf13/cast's rules
//! ([`to_int64`]) and return `int64` with Go's wrapping; the `*f` functions convert with
//! [`to_float64`] and, like Sprig (through shopspring/decimal), compute in decimal so that
//! `addf 0.1 0.2` is `0.3`.

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::conv::{to_float64, to_int64};
use crate::funcs::lists::until_step_vec;
use crate::value::Value;

pub static FUNCS: &[Func] = &[
    Func::new("add1", &[Ty::Any], add1),
    Func::variadic("add", &[], Ty::Any, add),
    Func::new("sub", &[Ty::Any, Ty::Any], sub),
    Func::new("div", &[Ty::Any, Ty::Any], div),
    Func::new("mod", &[Ty::Any, Ty::Any], modulo),
    Func::variadic("mul", &[Ty::Any], Ty::Any, mul),
    Func::new("add1f", &[Ty::Any], add1f),
    Func::variadic("addf", &[], Ty::Any, addf),
    Func::variadic("subf", &[Ty::Any], Ty::Any, subf),
    Func::variadic("divf", &[Ty::Any], Ty::Any, divf),
    Func::variadic("mulf", &[Ty::Any], Ty::Any, mulf),
    Func::variadic("biggest", &[Ty::Any], Ty::Any, max),
    Func::variadic("max", &[Ty::Any], Ty::Any, max),
    Func::variadic("min", &[Ty::Any], Ty::Any, min),
    Func::variadic("maxf", &[Ty::Any], Ty::Any, maxf),
    Func::variadic("minf", &[Ty::Any], Ty::Any, minf),
    Func::new("ceil", &[Ty::Any], ceil),
    Func::new("floor", &[Ty::Any], floor),
    Func::variadic("round", &[Ty::Any, Ty::Int], Ty::Float64, round),
    Func::variadic("seq", &[], Ty::Int, seq),
];

const DIV_ZERO: &str = "runtime error: integer divide by zero";

fn add1(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1)))
}

fn add(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        a.iter().fold(0i64, |acc, x| acc.wrapping_add(to_int64(x))),
    ))
}

fn sub(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
}

fn div(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(DIV_ZERO.into());
    }
    Ok(Value::Int64(to_int64(&a[0]).wrapping_div(d)))
}

fn modulo(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(DIV_ZERO.into());
    }
    Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(d)))
}

fn mul(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        a[1..]
            .iter()
            .fold(to_int64(&a[0]), |acc, x| acc.wrapping_mul(to_int64(x))),
    ))
}

fn max(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0)))
}

fn min(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(a.iter().map(to_int64).min().unwrap_or(0)))
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && y == 0.0 {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

fn maxf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(
        a[1..]
            .iter()
            .fold(to_float64(&a[0]), |acc, x| go_max(acc, to_float64(x))),
    ))
}

fn minf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(
        a[1..]
            .iter()
            .fold(to_float64(&a[0]), |acc, x| go_min(acc, to_float64(x))),
    ))
}

fn ceil(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(&a[0]).ceil()))
}

fn floor(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(&a[0]).floor()))
}

/// `10^p` as Go's `math.Pow(10, p)` gives it for integral `p`.
fn pow10(p: i64) -> f64 {
    if p >= 0 {
        if p > 400 {
            return f64::INFINITY;
        }
        (0..p).fold(1.0f64, |acc, _| acc * 10.0)
    } else {
        if p < -400 {
            return 0.0;
        }
        1.0 / pow10(-p)
    }
}

fn round(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let val = to_float64(&a[0]);
    let places = match a[1] {
        Value::Int(p) | Value::Int64(p) => p,
        _ => 0,
    };
    let round_on = match a.get(2) {
        Some(Value::Float(f)) => *f,
        Some(v) => to_float64(v),
        None => 0.5,
    };
    let pow = pow10(places);
    let digit = pow * val;
    // Sprig compares the signed fraction, so negative halves round down (-2.5 → -3).
    let frac = if digit.is_infinite() {
        0.0
    } else {
        digit.fract()
    };
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

fn seq(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let p: Vec<i64> = a
        .iter()
        .map(|v| match v {
            Value::Int(i) | Value::Int64(i) => *i,
            _ => 0,
        })
        .collect();
    let v = match p.as_slice() {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            until_step_vec(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_vec(*start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if *step > 0 {
                    return Ok(Value::str(""));
                }
            }
            until_step_vec(*start, end.wrapping_add(inc), *step)?
        }
        _ => Vec::new(),
    };
    let parts: Vec<String> = v.iter().map(i64::to_string).collect();
    Ok(Value::str(parts.join(" ")))
}

// --- shopspring/decimal, as far as Sprig's float functions need it -------------------------

/// An exact decimal `coef * 10^exp`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decimal {
    coef: i128,
    exp: i32,
}

/// Decimal places shopspring/decimal keeps in a quotient.
const DIVISION_PRECISION: i32 = 16;

impl Decimal {
    /// shopspring's `NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_f64(f: f64) -> Result<Decimal, String> {
        if f.is_nan() || f.is_infinite() {
            return Err(format!(
                "Cannot create a Decimal from {}",
                crate::funcs::conv::format_float_g(f)
            ));
        }
        if f == 0.0 {
            return Ok(Decimal { coef: 0, exp: 0 });
        }
        let e = format!("{f:e}");
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let neg = mant.starts_with('-');
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let coef: i128 = digits.parse().unwrap_or(0);
        let d = Decimal {
            coef: if neg { -coef } else { coef },
            exp: exp - (digits.len() as i32 - 1),
        };
        Ok(d)
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.coef, self.exp).parse().unwrap_or(0.0)
    }

    /// Both operands with the same exponent, or `None` when that overflows.
    fn align(self, o: Decimal) -> Option<(i128, i128, i32)> {
        let exp = self.exp.min(o.exp);
        let a = scale(self.coef, self.exp - exp)?;
        let b = scale(o.coef, o.exp - exp)?;
        Some((a, b, exp))
    }

    fn add(self, o: Decimal) -> Option<Decimal> {
        let (a, b, exp) = self.align(o)?;
        Some(Decimal {
            coef: a.checked_add(b)?,
            exp,
        })
    }

    fn sub(self, o: Decimal) -> Option<Decimal> {
        let (a, b, exp) = self.align(o)?;
        Some(Decimal {
            coef: a.checked_sub(b)?,
            exp,
        })
    }

    fn mul(self, o: Decimal) -> Option<Decimal> {
        Some(Decimal {
            coef: self.coef.checked_mul(o.coef)?,
            exp: self.exp.checked_add(o.exp)?,
        })
    }

    /// shopspring's `Div`: the quotient rounded half away from zero to 16 decimal places.
    fn div(self, o: Decimal) -> Result<Option<Decimal>, String> {
        if o.coef == 0 {
            return Err("decimal division by 0".into());
        }
        // q = self/o * 10^16 = self.coef * 10^(self.exp - o.exp + 16) / o.coef
        let shift = self.exp - o.exp + DIVISION_PRECISION;
        let (num, den) = if shift >= 0 {
            match scale(self.coef, shift) {
                Some(n) => (n, o.coef),
                None => return Ok(None),
            }
        } else {
            match scale(o.coef, -shift) {
                Some(d) => (self.coef, d),
                None => return Ok(None),
            }
        };
        let q = num / den;
        let r = num % den;
        let mut coef = q;
        if r != 0
            && r.unsigned_abs()
                .checked_mul(2)
                .is_some_and(|r2| r2 >= den.unsigned_abs())
        {
            coef += if (num < 0) != (den < 0) { -1 } else { 1 };
        }
        Ok(Some(Decimal {
            coef,
            exp: -DIVISION_PRECISION,
        }))
    }
}

fn scale(c: i128, by: i32) -> Option<i128> {
    if by < 0 {
        return None;
    }
    let mut c = c;
    for _ in 0..by {
        c = c.checked_mul(10)?;
    }
    Some(c)
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Sprig's `execDecimalOp`: folds `rest` into `first` in decimal. Operands too large for
/// the exact representation fall back to float64 arithmetic.
fn decimal_fold(first: f64, rest: &[Value], op: Op) -> Result<Value, String> {
    let mut acc = Decimal::from_f64(first)?;
    let mut approx: Option<f64> = None;
    for x in rest {
        let xf = to_float64(x);
        let d = Decimal::from_f64(xf)?;
        if let Some(f) = approx.as_mut() {
            *f = float_op(*f, xf, op)?;
            continue;
        }
        let next = match op {
            Op::Add => acc.add(d),
            Op::Sub => acc.sub(d),
            Op::Mul => acc.mul(d),
            Op::Div => acc.div(d)?,
        };
        match next {
            Some(n) => acc = n,
            None => approx = Some(float_op(acc.to_f64(), xf, op)?),
        }
    }
    Ok(Value::Float(approx.unwrap_or_else(|| acc.to_f64())))
}

fn float_op(a: f64, b: f64, op: Op) -> Result<f64, String> {
    Ok(match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => {
            if b == 0.0 {
                return Err("decimal division by 0".into());
            }
            a / b
        }
    })
}

fn add1f(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    decimal_fold(to_float64(&a[0]), &[Value::Int(1)], Op::Add)
}

fn addf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    decimal_fold(0.0, a, Op::Add)
}

fn subf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    decimal_fold(to_float64(&a[0]), &a[1..], Op::Sub)
}

fn divf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    decimal_fold(to_float64(&a[0]), &a[1..], Op::Div)
}

fn mulf(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    decimal_fold(to_float64(&a[0]), &a[1..], Op::Mul)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::FuncBody;
    use crate::funcs::conv::sprint_v;
    use crate::funcs::conv::tests::{call, s};

    fn out(v: Result<Value, String>) -> String {
        match v {
            Ok(v) => format!("{v:?}={}", sprint_v(&v)),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Calls each function with its arguments and checks what it returned.
    fn check(cases: &[(FuncBody, &[Value], &str)]) {
        for (f, args, want) in cases {
            assert_eq!(out(call(*f, args)), *want, "{args:?}");
        }
    }

    #[test]
    fn integers() {
        let int = Value::Int;
        check(&[
            (add, &[int(1), Value::Float(2.9), s("3")], "int64(6)=6"),
            (add, &[], "int64(0)=0"),
            (div, &[int(7), int(0)], &format!("ERR {DIV_ZERO}")),
            (div, &[int(-7), int(2)], "int64(-3)=-3"),
            (modulo, &[int(-7), int(2)], "int64(-1)=-1"),
            (mul, &[int(3), s("0x10")], "int64(48)=48"),
            (max, &[int(3), s("10"), Value::Float(-1.0)], "int64(10)=10"),
            (min, &[int(3)], "int64(3)=3"),
        ]);
    }

    #[test]
    fn floats() {
        let (int, float) = (Value::Int, Value::Float);
        check(&[
            (addf, &[float(0.1), float(0.2)], "float64(0.3)=0.3"),
            (
                divf,
                &[int(1), int(3)],
                "float64(0.3333333333333333)=0.3333333333333333",
            ),
            (
                divf,
                &[int(2), int(3)],
                "float64(0.6666666666666667)=0.6666666666666667",
            ),
            (divf, &[int(1), int(0)], "ERR decimal division by 0"),
            (mulf, &[float(1.1), int(3)], "float64(3.3)=3.3"),
            (subf, &[float(1.0), float(0.9)], "float64(0.1)=0.1"),
            (add1f, &[float(1.5)], "float64(2.5)=2.5"),
            (round, &[float(-2.4), int(0)], "float64(-3)=-3"),
            (round, &[float(1.23456), int(2)], "float64(1.23)=1.23"),
            (floor, &[s("2.7")], "float64(2)=2"),
        ]);
    }

    #[test]
    fn sequences() {
        let int = Value::Int;
        check(&[
            (seq, &[int(3)], "\"1 2 3\"=1 2 3"),
            (seq, &[int(0)], "\"1 0\"=1 0"),
            (seq, &[int(2), int(-2)], "\"2 1 0 -1 -2\"=2 1 0 -1 -2"),
            (seq, &[int(0), int(2), int(7)], "\"0 2 4 6\"=0 2 4 6"),
            (seq, &[int(5), int(1), int(1)], "\"\"="),
        ]);
    }
}
