//! TOML as Helm's `toToml`/`fromToml` see it (BurntSushi/toml): plain keys first, then
//! tables, sub-tables indented two spaces per level, a blank line before each top-level table
//! and each `[[array]]` entry; nil values left out.

use std::fmt::Write as _;

use crate::funcs::dates::{GoTime, as_time, days_from_civil};
use crate::value::{Map, Value};

fn bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key(k: &str) -> String {
    if bare_key(k) { k.to_string() } else { quote(k) }
}

fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = rudder_gocompat::num::format_g(f, false);
    if s.contains(['.', 'e', 'n', 'i']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn is_table(v: &Value) -> bool {
    match v {
        Value::Map(_) | Value::NamedMap(..) => true,
        Value::List(items) | Value::IntList(items) => {
            !items.is_empty() && items.iter().all(|i| i.as_map().is_some())
        }
        _ => false,
    }
}

fn inline(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Nil => return Err("toml: cannot encode a nil value".into()),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Uint64(u) => u.to_string(),
        Value::Float(f) => float(*f),
        Value::String(s) => quote(s),
        Value::Bytes(b) => quote(&String::from_utf8_lossy(b)),
        Value::List(items) | Value::IntList(items) => {
            if items.iter().any(|i| matches!(i, Value::Nil)) {
                return Err("toml: cannot encode array with nil element".into());
            }
            let parts: Result<Vec<String>, String> = items.iter().map(inline).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::StringList(items) | Value::VersionSet(items) => {
            let parts: Vec<String> = items.iter().map(|s| quote(s)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(m) | Value::NamedMap(_, m) => {
            let mut parts = Vec::new();
            for (k, v) in m.iter() {
                if matches!(v, Value::Nil) {
                    continue;
                }
                parts.push(format!("{} = {}", key(k), inline(v)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Value::Object(_) if as_time(v).is_some() => as_time(v).map(toml_time).unwrap_or_default(),
        Value::Object(o) => {
            let j = o.to_json();
            inline(&crate::funcs::helm::unmarshal(&j))?
        }
    })
}

/// Zone names BurntSushi/toml gives the local (offset-less) date-times it decodes.
const LOCAL_DATETIME: &str = "datetime-local";
const LOCAL_DATE: &str = "date-local";
const LOCAL_TIME: &str = "time-local";

/// A `time.Time` as BurntSushi/toml writes it: bare, RFC 3339 with nanoseconds, or only the
/// parts a local date, time or date-time has.
fn toml_time(t: GoTime) -> String {
    match t.zone.as_str() {
        LOCAL_DATETIME => t.format("2006-01-02T15:04:05.999999999"),
        LOCAL_DATE => t.format("2006-01-02"),
        LOCAL_TIME => t.format("15:04:05.999999999"),
        _ => t.format("2006-01-02T15:04:05.999999999Z07:00"),
    }
}

/// A decoded TOML date-time as the `time.Time` BurntSushi/toml makes of it: offset
/// date-times in UTC (`Z` or a zero offset, the local zone being UTC) or an unnamed fixed
/// zone; local ones at offset zero in a zone named for their kind, a local time on
/// 0000-01-01.
fn datetime_value(d: &toml::value::Datetime) -> Value {
    let (year, month, day) = d.date.map_or((0, 1, 1), |x| {
        (i64::from(x.year), u32::from(x.month), u32::from(x.day))
    });
    let (hms, nanos) = d.time.map_or((0, 0), |t| {
        (
            i64::from(t.hour) * 3600 + i64::from(t.minute) * 60 + i64::from(t.second),
            t.nanosecond,
        )
    });
    let local = days_from_civil(year, month, day) * 86_400 + hms;
    let (offset, zone) = match (d.offset, d.date, d.time) {
        (Some(toml::value::Offset::Z), ..) => (0, "UTC".to_string()),
        (Some(toml::value::Offset::Custom { minutes }), ..) => {
            let off = i32::from(minutes) * 60;
            (
                off,
                if off == 0 {
                    "UTC".into()
                } else {
                    String::new()
                },
            )
        }
        (None, Some(_), Some(_)) => (0, LOCAL_DATETIME.into()),
        (None, Some(_), None) => (0, LOCAL_DATE.into()),
        (None, None, _) => (0, LOCAL_TIME.into()),
    };
    GoTime {
        secs: local - i64::from(offset),
        nanos,
        offset,
        zone,
    }
    .value()
}

struct Enc {
    out: String,
}

impl Enc {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn table(&mut self, path: &[String], m: &Map) -> Result<(), String> {
        let indent = "  ".repeat(path.len());
        for (k, v) in m.iter() {
            if matches!(v, Value::Nil) || is_table(v) {
                continue;
            }
            let _ = writeln!(self.out, "{indent}{} = {}", key(k), inline(v)?);
        }
        for (k, v) in m.iter() {
            if !is_table(v) {
                continue;
            }
            let mut sub = path.to_vec();
            sub.push(k.clone());
            let header: Vec<String> = sub.iter().map(|p| key(p)).collect();
            let header = header.join(".");
            match v {
                Value::Map(inner) | Value::NamedMap(_, inner) => {
                    if sub.len() == 1 {
                        self.newline();
                    }
                    let _ = writeln!(self.out, "{indent}[{header}]");
                    self.table(&sub, inner)?;
                }
                Value::List(items) | Value::IntList(items) => {
                    for item in items.iter() {
                        if let Some(inner) = item.as_map() {
                            self.newline();
                            let _ = writeln!(self.out, "{indent}[[{header}]]");
                            self.table(&sub, inner)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// `toml.NewEncoder(b).Encode(v)`; the error is the encoder's message.
pub(crate) fn encode(v: &Value) -> Result<String, String> {
    let owned;
    let v = match v {
        Value::Object(o) => {
            owned = crate::funcs::helm::unmarshal(&o.to_json());
            &owned
        }
        v => v,
    };
    match v {
        Value::Map(m) | Value::NamedMap(_, m) => {
            let mut e = Enc { out: String::new() };
            e.table(&[], m)?;
            Ok(e.out)
        }
        Value::Nil => Ok(String::new()),
        other => inline(other),
    }
}

fn from_toml_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::str(s.as_str()),
        toml::Value::Integer(i) => Value::Int64(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => datetime_value(d),
        toml::Value::Array(items) => Value::list(items.iter().map(from_toml_value).collect()),
        toml::Value::Table(t) => Value::map(
            t.iter()
                .map(|(k, v)| (k.clone(), from_toml_value(v)))
                .collect(),
        ),
    }
}

/// `toml.Unmarshal` into `map[string]interface{}`: integers are int64, date-times
/// `time.Time`, arrays of tables plain lists.
pub(crate) fn decode(s: &str) -> Result<Map, String> {
    let table: toml::Table = s.parse().map_err(|e: toml::de::Error| error_text(s, &e))?;
    Ok(table
        .iter()
        .map(|(k, v)| (k.clone(), from_toml_value(v)))
        .collect())
}

/// BurntSushi/toml's error text as far as it can be rebuilt from where the toml crate
/// stopped and what the line holds:
/// `toml: line 2 (last key "a"): Key 'a' has already been defined.`
fn error_text(s: &str, e: &toml::de::Error) -> String {
    let start = e.span().map_or(0, |sp| sp.start);
    let before = s.get(..start).unwrap_or(s);
    let mut line_no = before.matches('\n').count() + 1;
    let lines: Vec<&str> = s.lines().collect();
    // A basic string cut by a newline: the toml crate stops on the next line, Go on this one.
    if line_no > 1
        && let Some((_, v)) = lines.get(line_no - 2).and_then(|l| l.split_once('='))
        && v.trim().starts_with('"')
        && !v.trim()[1..].contains('"')
    {
        line_no -= 1;
    }
    let line = lines.get(line_no - 1).copied().unwrap_or("");
    let is_last_line = line_no >= lines.len();
    let trimmed = line.trim();
    let header = trimmed.starts_with('[');
    let (key_part, value) = match line.split_once('=') {
        Some((k, v)) if !header => (Some(k.trim()), v.trim()),
        _ => (None, ""),
    };
    let mut last_key = key_part
        .filter(|k| !k.is_empty() && !k.ends_with('.'))
        .map(|k| k.trim_matches(['"', '\'']).to_string());
    let value_token: String = value
        .chars()
        .take_while(|c| !matches!(c, ',' | ']' | '}' | '#'))
        .collect::<String>()
        .trim()
        .to_string();
    let at_end = s.get(start..).unwrap_or("").trim().is_empty();
    let m = e.message();
    let msg = if m == "duplicate key" {
        let name = match &last_key {
            Some(k) => k.clone(),
            None => trimmed.trim_matches(['[', ']']).trim().to_string(),
        };
        format!("Key '{name}' has already been defined.")
    } else if m.starts_with("invalid date") || m.starts_with("invalid time") {
        format!("invalid datetime: {}", crate::fmt::quote_go(&value_token))
    } else if m.contains("too large") || m.contains("too small") {
        format!("{value_token} is out of range for int64")
    } else if m.starts_with("unexpected leading zero") {
        format!(
            "Invalid integer {}: cannot have leading zeroes",
            crate::fmt::quote_go(&value_token)
        )
    } else if m.starts_with("missing escaped value") {
        let c = value
            .split('\\')
            .nth(1)
            .and_then(|r| r.chars().next())
            .unwrap_or(' ');
        format!("invalid escape in string '\\{c}'")
    } else if m.starts_with("string values must be quoted") {
        match value_token.chars().next() {
            Some(c) if c.is_alphanumeric() || c == '_' || c == '-' => {
                format!(
                    "expected value but found {} instead",
                    crate::fmt::quote_go(&value_token)
                )
            }
            Some(c) => format!("expected value but found '{c}' instead"),
            None => "unexpected EOF; expected value".to_string(),
        }
    } else if m.starts_with("unquoted keys cannot be empty") && key_part.is_some() {
        last_key = None;
        "unexpected '='".to_string()
    } else if m.starts_with("key with no value") && !header && key_part.is_none() {
        match trimmed
            .split_whitespace()
            .nth(1)
            .and_then(|w| w.chars().next())
        {
            Some(c) => format!("expected '.' or '=', but got '{c}' instead"),
            None => "unexpected EOF; expected key separator '='".to_string(),
        }
    } else if m.starts_with("unclosed table") && header {
        if !is_last_line {
            line_no += 1;
        }
        let got = if is_last_line {
            "end of file".to_string()
        } else {
            "'\\n'".to_string()
        };
        format!("expected '.' or ']' to end table name, but got {got} instead")
    } else if value.starts_with('"') && !value[1..].contains('"') {
        if is_last_line {
            "unexpected EOF; expected '\"'".to_string()
        } else {
            "strings cannot contain newlines".to_string()
        }
    } else if value.starts_with('[') && !value.contains(']') && at_end {
        "expected a comma (',') or array terminator (']'), but got end of file".to_string()
    } else if value_token.ends_with('.') && value_token.starts_with(|c: char| c.is_ascii_digit()) {
        format!(
            "Invalid float {}: '.' must be followed by one or more digits",
            crate::fmt::quote_go(&value_token)
        )
    } else if key_part.is_none() && !header && !trimmed.is_empty() && at_end {
        "unexpected EOF; expected key separator '='".to_string()
    } else if at_end {
        "unexpected EOF; expected value".to_string()
    } else {
        m.to_string()
    };
    match last_key {
        Some(k) => format!("toml: line {line_no} (last key {k:?}): {msg}"),
        None => format!("toml: line {line_no}: {msg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_arrays() {
        let mut c = Map::new();
        c.insert("d".into(), Value::list(vec![Value::str("x")]));
        let mut m = Map::new();
        m.insert("a".into(), Value::Float(1.0));
        m.insert("c".into(), Value::map(c));
        let mut top = Map::new();
        top.insert("m".into(), Value::map(m));
        top.insert("f".into(), Value::Float(1e6));
        top.insert("n".into(), Value::Nil);
        assert_eq!(
            encode(&Value::map(top)).unwrap(),
            "f = 1e+06\n\n[m]\n  a = 1.0\n  [m.c]\n    d = [\"x\"]\n"
        );
    }
}
