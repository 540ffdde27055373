//! Go's `encoding/json` where its error texts name a JSON value.

use serde_json::Value;

/// The name `encoding/json` gives a JSON value in an `UnmarshalTypeError`
/// (`json: cannot unmarshal array into Go value of type string`).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_as_go_names_them() {
        let names: Vec<&str> = [
            Value::Null,
            Value::Bool(true),
            serde_json::json!(1.5),
            serde_json::json!("s"),
            serde_json::json!([]),
            serde_json::json!({}),
        ]
        .iter()
        .map(kind)
        .collect();
        assert_eq!(
            names,
            ["null", "bool", "number", "string", "array", "object"]
        );
    }
}
