//! Go's formatting of values where Helm's messages show them: `%v` of decoded YAML/JSON values
//! and `strconv.FormatFloat(f, 'g', -1, bits)`.

use serde_json::Value;

/// `strconv.FormatFloat(f, 'g', -1, 64)` (or 32 when `as_f32`): shortest digits, exponent form
/// when the decimal exponent is < -4 or >= 6, as Go does for the shortest precision.
pub(crate) fn format_float_g(f: f64, as_f32: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let s = if as_f32 {
        format!("{:e}", f as f32)
    } else {
        format!("{f:e}")
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let nd = digits.len();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = (exp + 1) as usize;
        if nd <= point {
            out.push_str(&digits);
            for _ in nd..point {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

/// Go's `%v` of a decoded value: `map[a:1 b:[x y]]`, `<nil>`, floats with `%g`.
pub(crate) fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                format_float_g(n.as_f64().unwrap_or(0.0), false)
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_v).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats() {
        assert_eq!(format_float_g(1000000.0, false), "1e+06");
        assert_eq!(format_float_g(123456.0, false), "123456");
        assert_eq!(format_float_g(1234567.0, false), "1.234567e+06");
        assert_eq!(format_float_g(0.5, false), "0.5");
        assert_eq!(format_float_g(0.00001, false), "1e-05");
        assert_eq!(format_float_g(1.1, true), "1.1");
        assert_eq!(format_float_g(-2.5, false), "-2.5");
    }

    #[test]
    fn v() {
        let v = json!({"c": 1.0, "d": [1.0, 2.0], "e": null, "f": "x"});
        assert_eq!(go_v(&v), "map[c:1 d:[1 2] e:<nil> f:x]");
    }
}
