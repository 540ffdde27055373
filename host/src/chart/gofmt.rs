//! Go's `%v` of decoded YAML/JSON values, where Helm's messages show them.

use serde_json::Value;

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
                rudder_gocompat::num::format_g(n.as_f64().unwrap_or(0.0), false)
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
    fn v() {
        let v = json!({"c": 1.0, "d": [1.0, 2.0], "e": null, "f": "x"});
        assert_eq!(go_v(&v), "map[c:1 d:[1 2] e:<nil> f:x]");
    }
}
