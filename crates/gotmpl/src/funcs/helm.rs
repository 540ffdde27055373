//! Helm's data functions (`pkg/engine/funcs.go`) and Sprig's JSON encoders.
//!
//! - `toYaml`/`mustToYaml` go through `encoding/json` and go-yaml v2 (`sigs.k8s.io/yaml`),
//!   `toYamlPretty` through yaml.v3; all three trim one trailing newline. `toYaml` swallows
//!   errors (empty string), the `must` forms fail the template.
//! - `fromYaml`/`fromJson`/`fromToml` return a map; on error the map holds the message under
//!   `Error`. The array forms return a one-element list holding the message. Sprig's
//!   `mustFromJson` returns whatever the document holds and fails on error. Every number
//!   read from YAML or JSON is a float64; TOML keeps int64.
//! - `toJson` escapes `<`, `>` and `&` like `json.Marshal`; `toRawJson` does not;
//!   `toPrettyJson` indents with two spaces.

use std::sync::Arc;

use rudder_yaml::{JsonStyle, to_go_json};

use crate::func::{Func, FuncCtx, Ty};
use crate::value::{Map, Value};

mod gojson;
mod tomlenc;

pub static FUNCS: &[Func] = &[
    Func::new("toYaml", &[Ty::Any], to_yaml),
    Func::new("mustToYaml", &[Ty::Any], must_to_yaml),
    Func::new("toYamlPretty", &[Ty::Any], to_yaml_pretty),
    Func::new("fromYaml", &[Ty::String], from_yaml),
    Func::new("fromYamlArray", &[Ty::String], from_yaml_array),
    Func::new("toJson", &[Ty::Any], to_json),
    Func::new("mustToJson", &[Ty::Any], must_to_json),
    Func::new("toPrettyJson", &[Ty::Any], to_pretty_json),
    Func::new("mustToPrettyJson", &[Ty::Any], must_to_pretty_json),
    Func::new("toRawJson", &[Ty::Any], to_raw_json),
    Func::new("mustToRawJson", &[Ty::Any], must_to_raw_json),
    Func::new("fromJson", &[Ty::String], from_json),
    Func::new("fromJsonArray", &[Ty::String], from_json_array),
    Func::new("mustFromJson", &[Ty::String], must_from_json),
    Func::new("toToml", &[Ty::Any], to_toml),
    Func::new("fromToml", &[Ty::String], from_toml),
];

fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

fn arg_str(args: &[Value]) -> &str {
    arg(args).as_str().unwrap_or("")
}

/// What `json.Marshal` makes of a value, or its error (`json: unsupported value: NaN`).
pub(crate) fn marshal(v: &Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => J::Number(n),
            None => {
                return Err(format!(
                    "json: unsupported value: {}",
                    rudder_gocompat::num::format_g(*f, false)
                ));
            }
        },
        Value::List(items) | Value::IntList(items) => {
            J::Array(items.iter().map(marshal).collect::<Result<_, _>>()?)
        }
        Value::Map(m) if Value::is_nil_map(m) => J::Null,
        Value::Object(o) if o.type_name() == "complex128" => {
            return Err("json: unsupported type: complex128".into());
        }
        Value::Map(m) | Value::NamedMap(_, m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m.iter() {
                out.insert(k.clone(), marshal(v)?);
            }
            J::Object(out)
        }
        other => other.to_json(),
    })
}

/// JSON read back the way `encoding/json` decodes into `interface{}`: numbers are float64.
pub(crate) fn unmarshal(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Value::str(s.as_str()),
        J::Array(items) => Value::list(items.iter().map(unmarshal).collect()),
        J::Object(m) => Value::map(m.iter().map(|(k, v)| (k.clone(), unmarshal(v))).collect()),
    }
}

fn trim_newline(s: String) -> String {
    match s.strip_suffix('\n') {
        Some(t) => t.to_string(),
        None => s,
    }
}

pub(crate) fn yaml_of(v: &Value) -> Result<String, String> {
    let j = marshal(v).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    Ok(trim_newline(rudder_yaml::to_string(&j)))
}

fn to_yaml(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(yaml_of(arg(args)).unwrap_or_default()))
}

fn must_to_yaml(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    yaml_of(arg(args)).map(Value::str)
}

fn to_yaml_pretty(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    // yaml.v3 encodes the Go value itself: NaN and infinities are fine there.
    let j = pretty_value(arg(args));
    let mut out = trim_newline(rudder_yaml::to_string_pretty(&j));
    if out.contains(NON_FINITE) {
        for word in [".nan", ".inf", "-.inf"] {
            out = out.replace(&format!("{NON_FINITE}{word}"), word);
        }
    }
    Ok(Value::str(out))
}

/// JSON has no NaN or infinities: they cross to the emitter as strings with this private-use
/// prefix (written plain) and are put back as `.nan`, `.inf`, `-.inf`.
const NON_FINITE: char = '\u{E000}';

/// The value for yaml.v3, which does not go through JSON: floats stay floats, non-finite
/// ones included (written as `.nan`, `.inf`).
fn pretty_value(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => J::Number(n),
            None if f.is_nan() => J::String(format!("{NON_FINITE}.nan")),
            None if *f > 0.0 => J::String(format!("{NON_FINITE}.inf")),
            None => J::String(format!("{NON_FINITE}-.inf")),
        },
        Value::List(items) | Value::IntList(items) => {
            J::Array(items.iter().map(pretty_value).collect())
        }
        Value::Map(m) if Value::is_nil_map(m) => J::Null,
        Value::Map(m) | Value::NamedMap(_, m) => J::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), pretty_value(v)))
                .collect(),
        ),
        other => other.to_json(),
    }
}

fn error_map(msg: String) -> Value {
    let mut m = Map::new();
    m.insert("Error".to_string(), Value::str(msg));
    Value::map(m)
}

fn from_yaml(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(match rudder_yaml::from_str(arg_str(args)) {
        Err(e) => error_map(e.sigs_message()),
        Ok(serde_json::Value::Null) => Value::map(Map::new()),
        Ok(j @ serde_json::Value::Object(_)) => unmarshal(&j),
        Ok(other) => error_map(rudder_yaml::json_type_error(
            &other,
            "map[string]interface {}",
        )),
    })
}

fn from_yaml_array(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(match rudder_yaml::from_str(arg_str(args)) {
        Err(e) => Value::list(vec![Value::str(e.sigs_message())]),
        Ok(serde_json::Value::Null) => Value::list(Vec::new()),
        Ok(j @ serde_json::Value::Array(_)) => unmarshal(&j),
        Ok(other) => Value::list(vec![Value::str(rudder_yaml::json_type_error(
            &other,
            "[]interface {}",
        ))]),
    })
}

const COMPACT: JsonStyle = JsonStyle {
    escape_html: true,
    indent: None,
};
const PRETTY: JsonStyle = JsonStyle {
    escape_html: true,
    indent: Some("  "),
};
const RAW: JsonStyle = JsonStyle {
    escape_html: false,
    indent: None,
};

fn json_of(v: &Value, style: JsonStyle) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, v, style, 0)?;
    Ok(out)
}

/// `to_go_json(marshal(v))`, except that structs keep their fields in declaration order.
fn write_json(out: &mut String, v: &Value, style: JsonStyle, depth: usize) -> Result<(), String> {
    match v {
        Value::List(items) | Value::IntList(items) if !items.is_empty() => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_newline(out, style, depth + 1);
                write_json(out, x, style, depth + 1)?;
            }
            json_newline(out, style, depth);
            out.push(']');
            Ok(())
        }
        Value::Map(m) | Value::NamedMap(_, m) if !m.is_empty() => {
            write_json_object(out, m.iter().map(|(k, x)| (k.as_str(), x)), style, depth)
        }
        Value::Object(o) if o.type_name() == "complex128" => {
            Err("json: unsupported type: complex128".into())
        }
        Value::Object(o) => match o.json_fields() {
            Some(fields) if !fields.is_empty() => {
                write_json_object(out, fields.iter().map(|(k, x)| (*k, x)), style, depth)
            }
            _ => {
                json_leaf(out, &o.to_json(), style, depth);
                Ok(())
            }
        },
        other => {
            json_leaf(out, &marshal(other)?, style, depth);
            Ok(())
        }
    }
}

fn write_json_object<'v>(
    out: &mut String,
    entries: impl Iterator<Item = (&'v str, &'v Value)>,
    style: JsonStyle,
    depth: usize,
) -> Result<(), String> {
    out.push('{');
    for (i, (k, x)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_newline(out, style, depth + 1);
        out.push_str(&to_go_json(
            &serde_json::Value::String(k.to_string()),
            style,
        ));
        out.push(':');
        if style.indent.is_some() {
            out.push(' ');
        }
        write_json(out, x, style, depth + 1)?;
    }
    json_newline(out, style, depth);
    out.push('}');
    Ok(())
}

fn json_newline(out: &mut String, style: JsonStyle, depth: usize) {
    if let Some(ind) = style.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

/// A value written whole by `to_go_json`, its lines indented to `depth` (a JSON text has
/// no raw newline except between its lines).
fn json_leaf(out: &mut String, j: &serde_json::Value, style: JsonStyle, depth: usize) {
    let text = to_go_json(j, style);
    match style.indent {
        Some(ind) if depth > 0 && text.contains('\n') => {
            out.push_str(&text.replace('\n', &format!("\n{}", ind.repeat(depth))));
        }
        _ => out.push_str(&text),
    }
}

fn to_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(json_of(arg(args), COMPACT).unwrap_or_default()))
}

fn must_to_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    json_of(arg(args), COMPACT).map(Value::str)
}

fn to_pretty_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(json_of(arg(args), PRETTY).unwrap_or_default()))
}

fn must_to_pretty_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    json_of(arg(args), PRETTY).map(Value::str)
}

/// Unlike the other non-`must` encoders, Sprig's `toRawJson` fails the template on error.
fn to_raw_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    json_of(arg(args), RAW).map(Value::str)
}

fn must_to_raw_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    json_of(arg(args), RAW).map(Value::str)
}

fn from_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = match gojson::parse(arg_str(args)) {
        Err(e) => return Ok(error_map(e)),
        Ok(p) => p,
    };
    Ok(match &p.value {
        serde_json::Value::Null => Value::map(Map::new()),
        j @ serde_json::Value::Object(_) => match (unmarshal(j), p.overflow) {
            (Value::Map(m), Some(e)) => {
                let mut m = (*m).clone();
                m.insert("Error".into(), Value::str(e));
                Value::map(m)
            }
            (v, _) => v,
        },
        other => error_map(gojson::type_error(other, "map[string]interface {}")),
    })
}

/// Sprig's `mustFromJson`: any JSON document decoded into `interface{}`; every error
/// (syntax, a number beyond float64) fails the template.
fn must_from_json(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = gojson::parse(arg_str(args))?;
    match p.overflow {
        Some(e) => Err(e),
        None => Ok(unmarshal(&p.value)),
    }
}

fn from_json_array(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let p = match gojson::parse(arg_str(args)) {
        Err(e) => return Ok(Value::list(vec![Value::str(e)])),
        Ok(p) => p,
    };
    Ok(match &p.value {
        serde_json::Value::Null => Value::list(Vec::new()),
        j @ serde_json::Value::Array(_) => match p.overflow {
            Some(e) => Value::list(vec![Value::str(e)]),
            None => unmarshal(j),
        },
        other => Value::list(vec![Value::str(gojson::type_error(
            other,
            "[]interface {}",
        ))]),
    })
}

fn to_toml(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::str(match tomlenc::encode(arg(args)) {
        Ok(s) | Err(s) => s,
    }))
}

fn from_toml(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(match tomlenc::decode(arg_str(args)) {
        Ok(m) => Value::Map(Arc::new(m)),
        Err(e) => error_map(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::call;

    #[test]
    fn structs_marshal_in_field_order() {
        let caps = crate::helm_objects::capabilities(&serde_json::json!({
            "KubeVersion": {"Version": "v1.30.0", "Major": "1", "Minor": "30"},
        }));
        let Value::Object(o) = &caps else {
            panic!("not a struct")
        };
        let kube = o.field("KubeVersion").expect("KubeVersion");
        let j = call(to_json, std::slice::from_ref(&kube)).expect("toJson");
        assert_eq!(
            j.as_str(),
            Some(r#"{"Version":"v1.30.0","Major":"1","Minor":"30"}"#)
        );
        // A struct nested in a pretty list is indented at its depth; an empty map stays `{}`.
        let l = Value::list(vec![kube, Value::map(Map::new()), Value::nil_map()]);
        let j = call(to_pretty_json, &[l]).expect("toPrettyJson");
        assert_eq!(
            j.as_str(),
            Some(
                "[\n  {\n    \"Version\": \"v1.30.0\",\n    \"Major\": \"1\",\n    \"Minor\": \"30\"\n  },\n  {},\n  null\n]"
            )
        );
        // `toYaml` goes through a map: sorted.
        let y = call(to_yaml, &[caps]).expect("toYaml");
        assert!(y.as_str().is_some_and(|s| s.starts_with("APIVersions: []")));
    }

    fn s(v: Result<Value, String>) -> String {
        v.ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    #[test]
    fn yaml_and_json() {
        let mut m = Map::new();
        m.insert("b".into(), Value::Float(1e6));
        m.insert(
            "a".into(),
            Value::list(vec![Value::Int(1), Value::str("<x>")]),
        );
        let v = Value::map(m);
        assert_eq!(
            s(call(to_yaml, std::slice::from_ref(&v))),
            "a:\n- 1\n- <x>\nb: 1000000"
        );
        assert_eq!(
            s(call(to_json, std::slice::from_ref(&v))),
            r#"{"a":[1,"\u003cx\u003e"],"b":1000000}"#
        );
        assert_eq!(s(call(to_raw_json, &[v])), r#"{"a":[1,"<x>"],"b":1000000}"#);
        let nan = Value::Float(f64::NAN);
        assert_eq!(s(call(to_yaml, std::slice::from_ref(&nan))), "");
        assert_eq!(
            call(must_to_json, &[nan]).unwrap_err(),
            "json: unsupported value: NaN"
        );
    }

    #[test]
    fn from_yaml_errors_and_numbers() {
        let v = call(from_yaml, &[Value::str("a: 1\nb: [x]")]).unwrap();
        let Value::Map(m) = v else {
            panic!("not a map")
        };
        assert!(matches!(m.get("a"), Some(Value::Float(f)) if *f == 1.0));
        let v = call(from_yaml, &[Value::str("a: b: c")]).unwrap();
        let Value::Map(m) = v else {
            panic!("not a map")
        };
        assert_eq!(
            m.get("Error").and_then(Value::as_str),
            Some(
                "error converting YAML to JSON: yaml: mapping values are not allowed in this context"
            )
        );
        let v = call(from_json_array, &[Value::str("[1, 2")]).unwrap();
        let Value::List(l) = v else {
            panic!("not a list")
        };
        assert_eq!(l[0].as_str(), Some("unexpected end of JSON input"));
    }
}
