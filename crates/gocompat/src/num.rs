//! Go's number syntax and formatting: `strconv.ParseInt` with base 0,
//! `strconv.FormatFloat` with the shortest precision (`'g'`, -1, as `%v` prints a float),
//! and `encoding/json`'s float encoding.

/// Shortest decimal digits and exponent of `f` (finite, non-zero handled too): returns
/// (negative, digits, decimal point position) with `value = 0.digits × 10^dp`.
fn shortest_digits(f: f64, bits32: bool) -> (bool, String, i32) {
    // Rust's `{:e}` prints the shortest representation that round-trips at the given width.
    let s = if bits32 {
        format!("{:e}", f as f32)
    } else {
        format!("{f:e}")
    };
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    if digits.chars().all(|c| c == '0') {
        return (neg, "0".to_string(), 1);
    }
    (neg, digits, exp + 1)
}

fn special(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("+Inf")
    } else if f == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            out.push_str(digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, bits)` (what `%v` prints for a float64).
pub fn format_g(f: f64, bits32: bool) -> String {
    if let Some(s) = special(f) {
        return s.to_string();
    }
    let (neg, digits, dp) = shortest_digits(f, bits32);
    let exp = dp - 1;
    if digits != "0" && !(-4..6).contains(&exp) {
        fmt_e(neg, &digits, dp)
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// How `encoding/json` writes a float64: `%f`-like between 1e-6 and 1e21, otherwise the
/// exponent form with at least one exponent digit (`1e+21`, `1e-7`).
pub fn json_float(f: f64) -> String {
    if let Some(s) = special(f) {
        return s.to_string();
    }
    let (neg, digits, dp) = shortest_digits(f, false);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(neg, &digits, dp);
        // Go trims a leading zero of a negative two-digit exponent: e-07 → e-7.
        let n = s.len();
        if n >= 4 && &s[n - 4..n - 1] == "e-0" {
            s.remove(n - 2);
        }
        s
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` without underscores: optional sign, then
/// `0x`, `0o`, `0b` or a leading `0` (octal) prefix. Returns the magnitude with its sign.
pub fn parse_go_int(s: &str) -> Option<(bool, u64)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok().map(|v| (neg, v))
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms YAML lets through; `None` on syntax
/// errors and on overflow (Go reports ErrRange there).
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let ok = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !ok {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if v.is_infinite() { None } else { Some(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_g_matches_go() {
        for (f, want) in [
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (0.0, "0"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (f64::INFINITY, "+Inf"),
        ] {
            assert_eq!(format_g(f, false), want, "{f}");
        }
        assert_eq!(format_g(1.23456789, true), "1.2345679");
        for (f, want) in [
            (0.1, "0.1"),
            (1.10, "1.1"),
            (1000.0, "1000"),
            (1e6, "1e+06"),
            (0.00001, "1e-05"),
            (-2.0, "-2"),
            (1.5e10, "1.5e+10"),
            (123.456, "123.456"),
            (16777216.0, "1.6777216e+07"),
        ] {
            assert_eq!(format_g(f, true), want, "float32 {f}");
        }
    }

    #[test]
    fn json_float_matches_go() {
        for (f, want) in [
            (1e6, "1000000"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5, "1.5"),
            (-0.0, "-0"),
            (1e-10, "1e-10"),
        ] {
            assert_eq!(json_float(f), want, "{f}");
        }
    }

    #[test]
    fn parse_int_bases() {
        assert_eq!(parse_go_int("0777"), Some((false, 511)));
        assert_eq!(parse_go_int("0x1F"), Some((false, 31)));
        assert_eq!(parse_go_int("-0b101"), Some((true, 5)));
        assert_eq!(parse_go_int("08"), None);
        assert_eq!(parse_go_int("0"), Some((false, 0)));
        assert_eq!(parse_go_int("+"), None);
        assert_eq!(parse_go_int(""), None);
    }
}
