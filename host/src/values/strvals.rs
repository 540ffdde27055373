//! The `--set` family's syntax, as Helm's `pkg/strvals`: `a.b=c,d[0].e=f`, `{x,y}` lists,
//! `\` escapes in keys and values, typed values for `--set` (booleans, `null`, int64), plain
//! strings for `--set-string`, JSON for `--set-json`, file contents for `--set-file`, and the
//! whole rest of the argument for `--set-literal`. Errors carry Helm's messages (including the
//! ones Helm produces by recovering from a failed type assertion).

use serde_json::{Map, Value};

/// Helm's `MaxIndex`.
const MAX_INDEX: i64 = 65536;
/// Helm's `MaxNestedNameLevel`.
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// A parse error. `eof` marks errors that wrap Go's `io.EOF`: Helm treats those as the normal
/// end of input and stops parsing without an error.
#[derive(Debug, Clone, PartialEq)]
struct Fail {
    msg: String,
    eof: bool,
}

fn fail(msg: impl Into<String>) -> Fail {
    Fail {
        msg: msg.into(),
        eof: false,
    }
}

const EOF: Fail = Fail {
    msg: String::new(),
    eof: true,
};

impl Fail {
    fn wrap(self, prefix: &str) -> Fail {
        let inner = if self.eof && self.msg.is_empty() {
            "EOF".to_string()
        } else {
            self.msg
        };
        Fail {
            msg: format!("{prefix}{inner}"),
            eof: self.eof,
        }
    }
}

/// How values are read after `=`.
pub enum Mode<'r> {
    /// `--set`: booleans, `null`, int64, else string.
    Typed,
    /// `--set-string`: always a string.
    String,
    /// `--set-json`: a JSON value (empty means null).
    Json,
    /// `--set-file`: the value is a path, the reader gives the value.
    File(&'r mut dyn FnMut(&str) -> Result<Value, String>),
}

/// Go's `%q` for a string.
pub(crate) use rudder_gocompat::quote::quote as go_quote;

/// Go's `%q` for a `[]rune`: each rune quoted as a character literal, in brackets.
fn go_quote_runes(s: &str) -> String {
    let parts: Vec<String> = s.chars().map(rudder_gocompat::quote::quote_rune).collect();
    format!("[{}]", parts.join(" "))
}

/// Go's type name of a decoded value, for Helm's recovered type-assertion messages.
fn go_type(v: Option<&Value>) -> &'static str {
    match v {
        None | Some(Value::Null) => "nil",
        Some(Value::Bool(_)) => "bool",
        Some(Value::String(_)) => "string",
        Some(Value::Number(n)) => {
            if n.is_f64() {
                "float64"
            } else {
                "int64"
            }
        }
        Some(Value::Array(_)) => "[]interface {}",
        Some(Value::Object(_)) => "map[string]interface {}",
    }
}

fn not_a(v: Option<&Value>, want: &str) -> Fail {
    fail(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {}",
        go_type(v),
        want
    ))
}

const LIST: &str = "[]interface {}";
const MAP: &str = "map[string]interface {}";

/// Helm's `typedVal`.
pub(crate) fn typed_val(s: &str, as_string: bool) -> Value {
    if as_string {
        return Value::String(s.to_string());
    }
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::from(0i64);
    }
    if !s.is_empty()
        && !s.starts_with('0')
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::from(i);
    }
    Value::String(s.to_string())
}

/// Converts every number to float64, as Go's JSON decoder gives them.
pub(crate) fn json_floats(v: Value) -> Value {
    match v {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(a) => Value::Array(a.into_iter().map(json_floats).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, json_floats(v))).collect())
        }
        v => v,
    }
}

struct Parser<'s, 'r> {
    s: &'s str,
    pos: usize,
    last_len: usize,
    mode: Mode<'r>,
    literal: bool,
}

enum ListErr {
    NotList,
    Fail(Fail),
}

impl<'s> Parser<'s, '_> {
    fn read(&mut self) -> Option<char> {
        let c = self.s[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        self.last_len = c.len_utf8();
        Some(c)
    }

    fn unread(&mut self) {
        self.pos -= self.last_len;
        self.last_len = 0;
    }

    /// Reads up to one of `stop` (consumed); `\` escapes the next character unless literal.
    /// Returns the text, the stop character, or `None` at the end of input.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            let Some(c) = self.read() else {
                return (v, None);
            };
            if stop.contains(&c) {
                return (v, Some(c));
            }
            if c == '\\' && !self.literal {
                match self.read() {
                    Some(n) => v.push(n),
                    None => return (v, None),
                }
            } else {
                v.push(c);
            }
        }
    }

    fn parse(&mut self, data: &mut Map<String, Value>) -> Result<(), String> {
        loop {
            match self.key(data, 0) {
                Ok(()) => {}
                Err(f) if f.eof => return Ok(()),
                Err(f) => return Err(f.msg),
            }
        }
    }

    fn reader(&mut self, rs: &str) -> Result<Value, Fail> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(rs, false)),
            Mode::String => Ok(typed_val(rs, true)),
            Mode::Json => Ok(typed_val(rs, true)),
            Mode::File(f) => f(rs).map_err(fail),
        }
    }

    fn key_index(&mut self) -> Result<i64, Fail> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(EOF);
        }
        go_atoi(&v).map_err(fail)
    }

    fn key(&mut self, data: &mut Map<String, Value>, level: usize) -> Result<(), Fail> {
        let stop: &[char] = if self.literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.until(stop);
        let Some(last) = last else {
            if k.is_empty() {
                return Err(EOF);
            }
            return Err(fail(format!("key {} has no value", go_quote(&k))));
        };
        match last {
            '[' => {
                let i = self
                    .key_index()
                    .map_err(|e| e.wrap("error parsing index: "))?;
                let mut list = match data.get_mut(&k) {
                    None => Vec::new(),
                    Some(Value::Array(a)) => std::mem::take(a),
                    Some(other) => return Err(not_a(Some(other), LIST)),
                };
                let res = self.list_item(&mut list, i, level);
                if !k.is_empty() {
                    data.insert(k, Value::Array(list));
                }
                res
            }
            '=' => {
                if self.literal {
                    let rest = self.s[self.pos..].to_string();
                    self.pos = self.s.len();
                    set(data, &k, Value::String(rest));
                    return Ok(());
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        set(data, &k, Value::Null);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &k, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::Array(vl));
                        Ok(())
                    }
                    Err(ListErr::Fail(f)) if f.eof && f.msg.is_empty() => {
                        set(data, &k, Value::String(String::new()));
                        Err(EOF)
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        let v = self.reader(&rs);
                        match v {
                            Ok(v) => {
                                set(data, &k, v);
                                Ok(())
                            }
                            Err(e) => {
                                set(data, &k, Value::Null);
                                Err(e)
                            }
                        }
                    }
                    Err(ListErr::Fail(f)) => Err(f),
                }
            }
            ',' => {
                set(data, &k, Value::String(String::new()));
                Err(fail(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&k)
                )))
            }
            _ => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(fail(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let (mut inner, existed) = match data.get_mut(&k) {
                    None => (Map::new(), false),
                    Some(Value::Object(m)) => (std::mem::take(m), true),
                    Some(other) => return Err(not_a(Some(other), MAP)),
                };
                let e = self.key(&mut inner, level);
                let empty = inner.is_empty();
                if existed || !empty {
                    set(data, &k, Value::Object(inner));
                }
                match e {
                    Ok(()) if empty => Err(fail(format!("key map {} has no value", go_quote(&k)))),
                    other => other,
                }
            }
        }
    }

    fn list_item(&mut self, list: &mut Vec<Value>, i: i64, level: usize) -> Result<(), Fail> {
        if i < 0 {
            return Err(fail(format!("negative {i} index not allowed")));
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return Err(fail(format!(
                "unexpected data at end of array index: {}",
                go_quote_runes(&k)
            )));
        }
        let Some(last) = last else {
            return Err(EOF);
        };
        match last {
            '=' => {
                if self.literal {
                    let rest = self.s[self.pos..].to_string();
                    self.pos = self.s.len();
                    return set_index(list, i, Value::String(rest));
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        return set_index(list, i, Value::Null);
                    }
                    let v = self.json_value()?;
                    set_index(list, i, v)?;
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::Array(vl)),
                    Err(ListErr::Fail(f)) if f.eof && f.msg.is_empty() => {
                        set_index(list, i, Value::String(String::new()))
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        let v = self.reader(&rs)?;
                        set_index(list, i, v)
                    }
                    Err(ListErr::Fail(f)) => Err(f),
                }
            }
            '[' => {
                let next = self
                    .key_index()
                    .map_err(|e| e.wrap("error parsing index: "))?;
                let idx = i as usize;
                let mut crt = match list.get_mut(idx) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(a)) => a.clone(),
                    Some(other) => return Err(not_a(Some(other), LIST)),
                };
                self.list_item(&mut crt, next, level)?;
                set_index(list, i, Value::Array(crt))
            }
            '.' => {
                let idx = i as usize;
                let mut inner = match list.get_mut(idx) {
                    Some(Value::Object(m)) => std::mem::take(m),
                    _ => Map::new(),
                };
                let e = self.key(&mut inner, level);
                if idx < list.len() {
                    list[idx] = Value::Object(inner.clone());
                }
                e?;
                set_index(list, i, Value::Object(inner))
            }
            other => Err(fail(format!(
                "parse error: unexpected token {}",
                other as u32
            ))),
        }
    }

    /// Skips blanks; true (and the comma consumed) when the value is empty.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None => return true,
                Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn json_value(&mut self) -> Result<Value, Fail> {
        let rest = &self.s[self.pos..];
        let mut it = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match it.next() {
            Some(Ok(v)) => {
                self.pos += it.byte_offset();
                Ok(json_floats(v))
            }
            Some(Err(e)) => Err(fail(e.to_string())),
            None => Err(EOF),
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Fail(EOF)),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => {
                    return Err(ListErr::Fail(fail("list must terminate with '}'")));
                }
                Some('}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread();
                    }
                    let v = self.reader(&rs).map_err(ListErr::Fail)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.reader(&rs).map_err(ListErr::Fail)?;
                    list.push(v);
                }
            }
        }
    }
}

fn set(data: &mut Map<String, Value>, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), v);
    }
}

fn set_index(list: &mut Vec<Value>, i: i64, v: Value) -> Result<(), Fail> {
    if i < 0 {
        return Err(fail(format!("negative {i} index not allowed")));
    }
    if i > MAX_INDEX {
        return Err(fail(format!(
            "index of {i} is greater than maximum supported index of {MAX_INDEX}"
        )));
    }
    let i = i as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Null);
    }
    list[i] = v;
    Ok(())
}

/// Go's `strconv.Atoi` with its error messages.
fn go_atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

/// Parses one `--set`-style argument into `dest` (Helm's `ParseInto`, `ParseIntoString`,
/// `ParseJSON`, `ParseIntoFile`).
pub fn parse_into(s: &str, dest: &mut Map<String, Value>, mode: Mode<'_>) -> Result<(), String> {
    Parser {
        s,
        pos: 0,
        last_len: 0,
        mode,
        literal: false,
    }
    .parse(dest)
}

/// Parses one `--set-literal` argument into `dest` (Helm's `ParseLiteralInto`).
pub fn parse_literal_into(s: &str, dest: &mut Map<String, Value>) -> Result<(), String> {
    Parser {
        s,
        pos: 0,
        last_len: 0,
        mode: Mode::String,
        literal: true,
    }
    .parse(dest)
}

#[cfg(test)]
mod tests;
