//! TOML as Helm's `toToml`/`fromToml` see it (BurntSushi/toml): plain keys first, then
//! tables, sub-tables indented two spaces per level, a blank line before each top-level table
//! and each `[[array]]` entry; nil values left out.

use std::fmt::Write as _;

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
    let s = rudder_yaml::gonum::format_g(f, false);
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
        Value::StringList(items) => {
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
        Value::Object(o) => {
            let j = o.to_json();
            inline(&crate::funcs::helm::unmarshal(&j))?
        }
    })
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
        toml::Value::Datetime(d) => Value::str(d.to_string()),
        toml::Value::Array(items) => Value::list(items.iter().map(from_toml_value).collect()),
        toml::Value::Table(t) => Value::map(
            t.iter()
                .map(|(k, v)| (k.clone(), from_toml_value(v)))
                .collect(),
        ),
    }
}

/// `toml.Unmarshal` into `map[string]interface{}`: integers are int64, datetimes their
/// RFC 3339 text (Go gives `time.Time`), arrays of tables plain lists.
pub(crate) fn decode(s: &str) -> Result<Map, String> {
    let table: toml::Table = s.parse().map_err(|e: toml::de::Error| error_text(s, &e))?;
    Ok(table
        .iter()
        .map(|(k, v)| (k.clone(), from_toml_value(v)))
        .collect())
}

/// BurntSushi/toml's error text as far as it can be rebuilt:
/// `toml: line 2 (last key "a"): Key 'a' has already been defined.`
fn error_text(s: &str, e: &toml::de::Error) -> String {
    let start = e.span().map_or(0, |sp| sp.start);
    let before = s.get(..start).unwrap_or(s);
    let line_no = before.matches('\n').count() + 1;
    let line = s.lines().nth(line_no - 1).unwrap_or("");
    let last_key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches(['"', '\'']).to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let at_end = s.get(start..).unwrap_or("").trim().is_empty();
    let msg = match (e.message(), &last_key) {
        ("duplicate key", Some(k)) => format!("Key '{k}' has already been defined."),
        _ if at_end => "unexpected EOF; expected value".to_string(),
        (m, _) => m.to_string(),
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
