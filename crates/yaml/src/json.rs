//! Go's `encoding/json` output for a JSON value: sorted keys, `<`, `>`, `&` escaped unless
//! HTML escaping is off, U+2028/U+2029 always escaped, floats in Go's format.

use std::fmt::Write as _;

use rudder_gocompat::num::json_float;

/// How to write JSON.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonStyle {
    /// `json.Marshal` escapes `<`, `>` and `&`; an encoder with `SetEscapeHTML(false)` does not.
    pub escape_html: bool,
    /// `json.MarshalIndent(v, "", indent)` when set.
    pub indent: Option<&'static str>,
}

/// Writes `v` as Go's `encoding/json` would.
pub fn to_go_json(v: &serde_json::Value, style: JsonStyle) -> String {
    let mut out = String::new();
    write_value(&mut out, v, style, 0);
    out
}

fn newline(out: &mut String, style: JsonStyle, depth: usize) {
    if let Some(ind) = style.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_value(out: &mut String, v: &serde_json::Value, style: JsonStyle, depth: usize) {
    use serde_json::Value as J;
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else {
                out.push_str(&json_float(n.as_f64().unwrap_or(0.0)));
            }
        }
        J::String(s) => write_string(out, s, style.escape_html),
        J::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push(']');
        }
        J::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, k, style.escape_html);
                out.push(':');
                if style.indent.is_some() {
                    out.push(' ');
                }
                write_value(out, val, style, depth + 1);
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
}

/// A JSON string literal as Go writes it.
pub(crate) fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            // `encoding/json` writes a byte that is not UTF-8 as the escaped U+FFFD.
            c if rudder_gocompat::gostr::raw_byte(c).is_some() => out.push_str("\\ufffd"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_json() {
        let v = json!({"b": [1, 1.5, 1e21, 1000000.0], "a": "<&>\u{2028}\u{1}", "c": {}});
        assert_eq!(
            to_go_json(
                &v,
                JsonStyle {
                    escape_html: true,
                    indent: None
                }
            ),
            r#"{"a":"\u003c\u0026\u003e\u2028\u0001","b":[1,1.5,1e+21,1000000],"c":{}}"#
        );
        assert_eq!(
            to_go_json(
                &json!({"a": [1], "b": []}),
                JsonStyle {
                    escape_html: false,
                    indent: Some("  ")
                }
            ),
            "{\n  \"a\": [\n    1\n  ],\n  \"b\": []\n}"
        );
    }
}
