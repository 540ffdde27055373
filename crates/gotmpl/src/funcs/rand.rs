//! Sprig's random functions: `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`,
//! `randBytes`, `randInt`, `uuidv4` and `shuffle`.
//!
//! Every draw comes from [`FuncCtx::rng`], so a render is reproducible for a fixed seed. The
//! character sets and shapes are Sprig's (goutils' `CryptoRandom*`, google/uuid, xstrings).

use crate::func::{Func, FuncCtx, Rng, Ty};
use crate::funcs::arg_int;
use crate::value::Value;

pub static FUNCS: &[Func] = &[
    Func::new("randAlphaNum", &[Ty::Int], |ctx, a| {
        rand_string(ctx, a, ALNUM)
    }),
    Func::new("randAlpha", &[Ty::Int], |ctx, a| rand_string(ctx, a, ALPHA)),
    Func::new("randNumeric", &[Ty::Int], |ctx, a| {
        rand_string(ctx, a, DIGITS)
    }),
    Func::new("randAscii", &[Ty::Int], |ctx, a| rand_string(ctx, a, ASCII)),
    Func::new("randBytes", &[Ty::Int], rand_bytes),
    Func::new("randInt", &[Ty::Int, Ty::Int], rand_int),
    Func::new("uuidv4", &[], |ctx, _| Ok(Value::str(uuidv4(&mut ctx.rng)))),
    Func::new("shuffle", &[Ty::String], shuffle),
];

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
/// Printable ASCII, space through `~` (goutils draws from 32..127).
const ASCII: &[u8] = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Go cannot allocate more than this many elements either; beyond it `make` panics.
const MAX_LEN: i64 = 1 << 31;
const MAKESLICE: &str = "runtime error: makeslice: len out of range";

fn rand_string(ctx: &mut FuncCtx<'_>, args: &[Value], set: &[u8]) -> Result<Value, String> {
    let count = arg_int(args, 0);
    // goutils reports a negative count as an error, which Sprig drops: the result is "".
    if count <= 0 {
        return Ok(Value::str(""));
    }
    if count > MAX_LEN {
        return Err(MAKESLICE.into());
    }
    let s: String = (0..count)
        .map(|_| char::from(set[ctx.rng.below(set.len() as u64) as usize]))
        .collect();
    Ok(Value::str(s))
}

fn rand_bytes(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let count = arg_int(args, 0);
    if !(0..=MAX_LEN).contains(&count) {
        return Err(MAKESLICE.into());
    }
    let mut buf = vec![0u8; count as usize];
    ctx.rng.fill(&mut buf);
    Ok(Value::str(crate::base64_std(&buf)))
}

fn rand_int(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let (min, max) = (arg_int(args, 0), arg_int(args, 1));
    // Go's int arithmetic wraps.
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err("invalid argument to Intn".into());
    }
    Ok(Value::Int(
        (ctx.rng.below(n as u64) as i64).wrapping_add(min),
    ))
}

/// A random (version 4, RFC 4122 variant) UUID in its lowercase text form.
pub fn uuidv4(rng: &mut Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// xstrings' `Shuffle`: a Fisher–Yates shuffle of the string's characters.
fn shuffle(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let s = args.first().and_then(Value::as_str).unwrap_or("");
    let mut chars: Vec<char> = s.chars().collect();
    for i in (1..chars.len()).rev() {
        let j = ctx.rng.below(i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(Value::str(chars.into_iter().collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::{call_in, ctx, string};

    fn call(name: &str, args: &[Value], seed: u64) -> Result<Value, String> {
        call_in(FUNCS, name, args, ctx((0, 0), seed))
    }

    #[test]
    fn charsets_and_lengths() {
        type Check = fn(char) -> bool;
        let cases: [(&str, Check); 4] = [
            ("randAlphaNum", |c| c.is_ascii_alphanumeric()),
            ("randAlpha", |c| c.is_ascii_alphabetic()),
            ("randNumeric", |c| c.is_ascii_digit()),
            ("randAscii", |c| (' '..='~').contains(&c)),
        ];
        for (name, ok) in cases {
            let s = string(call(name, &[Value::Int(500)], 7));
            assert_eq!(s.len(), 500, "{name}");
            assert!(s.chars().all(ok), "{name}: {s}");
            assert_eq!(string(call(name, &[Value::Int(0)], 7)), "");
            assert_eq!(string(call(name, &[Value::Int(-3)], 7)), "");
        }
        // The whole set is reachable.
        let s = string(call("randNumeric", &[Value::Int(1000)], 3));
        assert!(('0'..='9').all(|d| s.contains(d)));
    }

    #[test]
    fn reproducible_for_a_seed() {
        let a = string(call("randAlphaNum", &[Value::Int(16)], 42));
        let b = string(call("randAlphaNum", &[Value::Int(16)], 42));
        let c = string(call("randAlphaNum", &[Value::Int(16)], 43));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn rand_bytes_is_base64() {
        let s = string(call("randBytes", &[Value::Int(10)], 1));
        assert_eq!(s.len(), 16);
        assert!(s.ends_with("=="));
        assert_eq!(string(call("randBytes", &[Value::Int(0)], 1)), "");
        assert_eq!(
            call("randBytes", &[Value::Int(-1)], 1).unwrap_err(),
            MAKESLICE
        );
    }

    #[test]
    fn rand_int_range() {
        for seed in 0..200 {
            match call("randInt", &[Value::Int(-5), Value::Int(5)], seed) {
                Ok(Value::Int(n)) => assert!((-5..5).contains(&n)),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            call("randInt", &[Value::Int(3), Value::Int(3)], 1).unwrap_err(),
            "invalid argument to Intn"
        );
    }

    #[test]
    fn uuid_shape() {
        let u = string(call("uuidv4", &[], 9));
        assert_eq!(u.len(), 36);
        let parts: Vec<&str> = u.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert!(
            u.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }

    #[test]
    fn shuffle_permutes() {
        let s = string(call("shuffle", &[Value::str("héllo wörld")], 5));
        let mut a: Vec<char> = s.chars().collect();
        let mut b: Vec<char> = "héllo wörld".chars().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(string(call("shuffle", &[Value::str("")], 5)), "");
    }
}
