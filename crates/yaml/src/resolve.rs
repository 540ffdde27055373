//! YAML 1.1 scalar resolution as go-yaml v2 does it: which plain scalars are booleans, nulls,
//! numbers or timestamps, and what explicit `!!tags` accept.

use rudder_gocompat::num::{parse_go_float, parse_go_int};

pub(crate) const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Whether the long tag `tag` is `tag:yaml.org,2002:` followed by `short` (no allocation: this
/// runs for every scalar).
pub(crate) fn is_tag(tag: &str, short: &str) -> bool {
    tag.strip_prefix(TAG_PREFIX) == Some(short)
}

/// A resolved scalar.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// Looks like a timestamp: decoding into `interface{}` keeps the text, but the emitter
    /// must quote it.
    Timestamp(String),
    /// The merge key `<<`.
    Merge,
}

impl Scalar {
    fn short_tag(&self) -> &'static str {
        match self {
            Scalar::Null => "!!null",
            Scalar::Bool(_) => "!!bool",
            Scalar::Int(_) | Scalar::Uint(_) => "!!int",
            Scalar::Float(_) => "!!float",
            Scalar::Str(_) => "!!str",
            Scalar::Timestamp(_) => "!!timestamp",
            Scalar::Merge => "!!merge",
        }
    }
}

fn lookup(s: &str) -> Option<Scalar> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        "<<" => Scalar::Merge,
        _ => return None,
    })
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` — YAML 1.1 base-60 floats, which
/// go-yaml does not decode but quotes when emitting.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let n = &s[start..i];
        let ok = match n.len() {
            1 => true,
            2 => n.as_bytes()[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn take_num(s: &[u8], i: &mut usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i < s.len() && s[*i].is_ascii_digit() && *i - start < max {
        *i += 1;
    }
    if *i == start {
        return None;
    }
    std::str::from_utf8(&s[start..*i]).ok()?.parse().ok()
}

/// The timestamp forms go-yaml v2 recognises (via Go's `time.Parse`): `2006-1-2`,
/// `2006-1-2 15:4:5.999999999` and `2006-1-2T15:4:5.999999999Z07:00`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = take_num(b, &mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = take_num(b, &mut i, 2) else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let (Some(h), true) = (take_num(b, &mut i, 2), b.get(i) == Some(&b':')) else {
        return false;
    };
    i += 1;
    let (Some(m), true) = (take_num(b, &mut i, 2), b.get(i) == Some(&b':')) else {
        return false;
    };
    i += 1;
    let Some(sec) = take_num(b, &mut i, 2) else {
        return false;
    };
    if h >= 24 || m >= 60 || sec >= 60 {
        return false;
    }
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if zoned {
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(b'+' | b'-') => {
                let z = &b[i + 1..];
                if z.len() < 5 || !z[0].is_ascii_digit() || !z[1].is_ascii_digit() || z[2] != b':' {
                    return false;
                }
                if !z[3].is_ascii_digit() || !z[4].is_ascii_digit() {
                    return false;
                }
                i += 6;
            }
            _ => return false,
        }
    }
    i == b.len()
}

/// Resolves a scalar's text under `tag` (a long tag such as `tag:yaml.org,2002:int`, or
/// `""` for a plain untagged scalar). `Err` is go-yaml's message for a tag that does not fit.
pub(crate) fn resolve(tag: &str, s: &str) -> Result<Scalar, String> {
    let short = tag.strip_prefix(TAG_PREFIX);
    let resolvable = match short {
        None => tag.is_empty(),
        Some(t) => matches!(t, "str" | "bool" | "int" | "float" | "null" | "timestamp"),
    };
    if !resolvable {
        if short == Some("binary") {
            return Ok(Scalar::Str(s.to_string()));
        }
        return Ok(Scalar::Str(s.to_string()));
    }
    let out = resolve_plain(tag, s);
    match short {
        None | Some("str") => Ok(out),
        Some(t) => {
            let fits = matches!(
                (&out, t),
                (Scalar::Null, "null")
                    | (Scalar::Bool(_), "bool")
                    | (Scalar::Int(_) | Scalar::Uint(_), "int")
                    | (Scalar::Float(_), "float")
                    | (Scalar::Timestamp(_), "timestamp")
            );
            if fits {
                return Ok(out);
            }
            match (&out, t) {
                (Scalar::Int(i), "float") => Ok(Scalar::Float(*i as f64)),
                (Scalar::Uint(u), "float") => Ok(Scalar::Float(*u as f64)),
                _ => Err(format!(
                    "cannot decode {} `{s}` as a !!{t}",
                    out.short_tag()
                )),
            }
        }
    }
}

fn resolve_plain(tag: &str, s: &str) -> Scalar {
    let str_tag = is_tag(tag, "str");
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(c) if c.is_ascii_digit() => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || str_tag {
        return Scalar::Str(s.to_string());
    }
    if let Some(v) = lookup(s) {
        return v;
    }
    match hint {
        b'.' => {
            if let Some(f) = parse_go_float(s) {
                return Scalar::Float(f);
            }
        }
        b'D' | b'S' => {
            let ts_ok = tag.is_empty() || is_tag(tag, "timestamp");
            if ts_ok && is_timestamp(s) {
                return Scalar::Timestamp(s.to_string());
            }
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            if let Some((neg, mag)) = parse_go_int(&plain) {
                if neg {
                    if mag <= i64::MAX as u64 + 1 {
                        return Scalar::Int((mag as i64).wrapping_neg());
                    }
                } else if mag <= i64::MAX as u64 {
                    return Scalar::Int(mag as i64);
                } else if !plain.starts_with('+') {
                    return Scalar::Uint(mag);
                }
            }
            if yaml_style_float(&plain)
                && let Some(f) = parse_go_float(&plain)
            {
                return Scalar::Float(f);
            }
        }
        _ => {}
    }
    Scalar::Str(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Scalar {
        resolve("", s).unwrap()
    }

    #[test]
    fn yaml11_scalars() {
        assert_eq!(r("yes"), Scalar::Bool(true));
        assert_eq!(r("Off"), Scalar::Bool(false));
        assert_eq!(r("yEs"), Scalar::Str("yEs".into()));
        assert_eq!(r("0777"), Scalar::Int(511));
        assert_eq!(r("08"), Scalar::Float(8.0));
        assert_eq!(r("1_000"), Scalar::Int(1000));
        assert_eq!(r("_1"), Scalar::Str("_1".into()));
        assert_eq!(r(".5"), Scalar::Float(0.5));
        assert_eq!(r("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(r("-9223372036854775808"), Scalar::Int(i64::MIN));
        assert_eq!(r("1e400"), Scalar::Str("1e400".into()));
        assert_eq!(r("2001-12-14"), Scalar::Timestamp("2001-12-14".into()));
        assert_eq!(r("~"), Scalar::Null);
        assert_eq!(r(""), Scalar::Null);
    }

    #[test]
    fn tags() {
        let int = format!("{TAG_PREFIX}int");
        let float = format!("{TAG_PREFIX}float");
        assert_eq!(resolve(&int, "42").unwrap(), Scalar::Int(42));
        assert_eq!(resolve(&float, "3").unwrap(), Scalar::Float(3.0));
        assert_eq!(
            resolve(&int, "x").unwrap_err(),
            "cannot decode !!str `x` as a !!int"
        );
        assert_eq!(
            resolve(&format!("{TAG_PREFIX}str"), "yes").unwrap(),
            Scalar::Str("yes".into())
        );
    }

    #[test]
    fn base60_and_timestamps() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:70"));
        assert!(!is_base60_float("a:1"));
        assert!(is_timestamp("2001-12-14T21:59:43.10Z"));
        assert!(is_timestamp("2001-12-14 21:59:43.10"));
        assert!(!is_timestamp("2001-02-30"));
        assert!(!is_timestamp("2001-12-14x"));
    }
}
