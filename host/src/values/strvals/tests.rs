//! Table tests: every expected result below was produced by Helm v4.1.4 (`helm template` of a
//! chart printing `.Values` with Go types), not by this code.

use super::super::{Options, ValuesError, user_values};
use serde_json::Value;

include!("cases.rs");

/// The typed rendering the generating template used: `typeOf:toJson` leaves.
fn typed(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut s = String::from("{");
            for (k, v) in m {
                s.push_str(&format!(
                    "{}:{},",
                    serde_json::to_string(k).unwrap_or_default(),
                    typed(v)
                ));
            }
            s.push('}');
            s
        }
        Value::Array(a) => {
            let mut s = String::from("[");
            for v in a {
                s.push_str(&typed(v));
                s.push(',');
            }
            s.push(']');
            s
        }
        Value::Null => "<nil>:null".into(),
        Value::Bool(b) => format!("bool:{b}"),
        Value::String(_) => format!("string:{}", serde_json::to_string(v).unwrap_or_default()),
        Value::Number(n) => {
            if n.is_f64() {
                format!(
                    "float64:{}",
                    serde_json::to_string(v)
                        .unwrap_or_default()
                        .trim_end_matches(".0")
                )
            } else {
                format!("int64:{n}")
            }
        }
    }
}

#[test]
fn strvals_match_helm() {
    let mut failures = Vec::new();
    for (flag, arg, ok, want) in CASES {
        let mut o = Options::default();
        let list = match *flag {
            "set" => &mut o.set,
            "set-string" => &mut o.set_string,
            "set-json" => &mut o.set_json,
            _ => &mut o.set_literal,
        };
        list.push(arg.to_string());
        let got = match user_values(&o) {
            Ok(v) => (true, typed(&v)),
            Err(e @ ValuesError::Flag { .. }) => (false, e.helm_message()),
            Err(e) => (false, e.to_string()),
        };
        if got != (*ok, want.to_string()) {
            failures.push(format!("--{flag} {arg}: got {got:?}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
