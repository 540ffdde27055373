//! Validation of the final values against each chart's `values.schema.json` (a subchart's
//! schema against its own values), reporting every violation with its JSON pointer in the shape
//! Helm prints (`- at '/port': got string, want integer`).

use std::fmt::Write as _;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value};

use super::ValuesError;
use crate::chart::Chart;
use crate::chart::gofmt::go_v;

/// `'text'` with Go-style escapes, as the validator Helm uses quotes strings.
fn quote(s: &str) -> String {
    let q = super::strvals::go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Array(_) | Value::Object(_) => "value".into(),
        v => go_v(v),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn len_of(v: &Value) -> usize {
    match v {
        Value::String(s) => s.chars().count(),
        Value::Array(a) => a.len(),
        Value::Object(m) => m.len(),
        _ => 0,
    }
}

/// The message for one error, in the validator-Helm-uses' words.
/// A size keyword's message: `minItems: got 1, want 2`.
fn bound(keyword: &str, inst: &Value, limit: u64) -> String {
    format!("{keyword}: got {}, want {limit}", len_of(inst))
}

fn message(e: &jsonschema::ValidationError<'_>) -> String {
    let inst: &Value = e.instance();
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let want: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![t.as_str()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
            };
            format!("got {}, want {}", type_name(inst), want.join(" or "))
        }
        ValidationErrorKind::Required { property } => match property {
            Value::String(s) => format!("missing property {}", quote(s)),
            other => format!("missing property {}", display(other)),
        },
        ValidationErrorKind::AdditionalProperties { unexpected } => format!(
            "additional properties {} not allowed",
            unexpected
                .iter()
                .map(|s| quote(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValidationErrorKind::Enum { options } => match options.as_ref() {
            Value::Array(opts) if opts.iter().all(|o| !o.is_array() && !o.is_object()) => {
                if opts.len() == 1 {
                    format!("value must be {}", display(&opts[0]))
                } else {
                    format!(
                        "value must be one of {}",
                        opts.iter().map(display).collect::<Vec<_>>().join(", ")
                    )
                }
            }
            _ => "enum failed".into(),
        },
        ValidationErrorKind::Constant { expected_value } => match expected_value.as_ref() {
            Value::Array(_) | Value::Object(_) => "const failed".into(),
            v => format!("value must be {}", display(v)),
        },
        ValidationErrorKind::Minimum { limit } => {
            format!("minimum: got {}, want {}", go_v(inst), go_v(limit))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("maximum: got {}, want {}", go_v(inst), go_v(limit))
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("exclusiveMinimum: got {}, want {}", go_v(inst), go_v(limit))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("exclusiveMaximum: got {}, want {}", go_v(inst), go_v(limit))
        }
        ValidationErrorKind::MultipleOf { .. } => {
            format!("multipleOf: {e}")
        }
        ValidationErrorKind::MinLength { limit } => bound("minLength", inst, *limit),
        ValidationErrorKind::MaxLength { limit } => bound("maxLength", inst, *limit),
        ValidationErrorKind::MinItems { limit } => bound("minItems", inst, *limit),
        ValidationErrorKind::MaxItems { limit } => bound("maxItems", inst, *limit),
        ValidationErrorKind::MinProperties { limit } => bound("minProperties", inst, *limit),
        ValidationErrorKind::MaxProperties { limit } => bound("maxProperties", inst, *limit),
        ValidationErrorKind::Pattern { pattern } => format!(
            "{} does not match pattern {}",
            display(inst),
            quote(pattern)
        ),
        ValidationErrorKind::Format { format } => {
            format!("{} is not valid {}", display(inst), quote(format))
        }
        ValidationErrorKind::UniqueItems => {
            if let Value::Array(a) = inst {
                for i in 0..a.len() {
                    for j in i + 1..a.len() {
                        if a[i] == a[j] {
                            return format!("items at {i} and {j} are equal");
                        }
                    }
                }
            }
            "items are not unique".into()
        }
        ValidationErrorKind::Contains => "no items match contains schema".into(),
        ValidationErrorKind::FalseSchema => "false schema".into(),
        ValidationErrorKind::Not { .. } => "not failed".into(),
        ValidationErrorKind::AnyOf { .. } => "anyOf failed".into(),
        ValidationErrorKind::OneOfNotValid { .. } => "oneOf failed, none matched".into(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "oneOf failed, more than one subschema matched".into()
        }
        ValidationErrorKind::AdditionalItems { limit } => format!(
            "last {} additionalItem(s) not allowed",
            len_of(inst).saturating_sub(*limit)
        ),
        ValidationErrorKind::PropertyNames { .. } => {
            format!("invalid propertyName {}", display(inst))
        }
        _ => e.to_string(),
    }
}

/// Resolves a schema's `$ref`s to local files (`file://`, which relative references become)
/// and refuses every other scheme, remembering the first remote URL it was asked for so the
/// error can name it.
#[derive(Default)]
struct LocalRetriever {
    refused: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl jsonschema::Retrieve for LocalRetriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.scheme().as_str() == "file" {
            let path = std::path::Path::new(uri.path().as_str());
            let raw = std::fs::read(path)?;
            return Ok(serde_json::from_slice(&raw)?);
        }
        if let Ok(mut first) = self.refused.lock() {
            first.get_or_insert_with(|| uri.as_str().to_string());
        }
        Err(format!("remote reference {} not fetched", uri.as_str()).into())
    }
}

/// Validates `values` against one schema. `dir` is the directory relative `$ref`s resolve
/// from. Returns the violation lines (`- at '<pointer>': <message>`), sorted by location.
pub fn validate_single(
    values: &Value,
    schema: &[u8],
    dir: Option<&std::path::Path>,
) -> Result<Vec<String>, String> {
    let schema: Value = serde_json::from_slice(schema)
        .map_err(|e| format!("invalid JSON in values.schema.json: {e}"))?;
    let base = match dir.and_then(|d| std::fs::canonicalize(d).ok()) {
        Some(d) => format!("file://{}/values.schema.json", d.display()),
        None => "file:///values.schema.json".to_string(),
    };
    let retriever = LocalRetriever::default();
    let refused = retriever.refused.clone();
    let validator = jsonschema::options()
        .with_base_uri(base)
        .with_retriever(retriever)
        .should_validate_formats(false)
        .build(&schema)
        .map_err(|e| match refused.lock().ok().and_then(|r| r.clone()) {
            Some(url) => format!(
                "it refers to the remote schema {url}, and rudder does not fetch remote \
                 references (Helm downloads them): vendor that schema into the chart and \
                 refer to it by a relative path, or use --skip-schema-validation"
            ),
            None => format!("invalid values.schema.json: {e}"),
        })?;
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut required: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for e in validator.iter_errors(values) {
        let path = e.instance_path().as_str().to_string();
        if let ValidationErrorKind::Required {
            property: Value::String(p),
        } = e.kind()
        {
            required.entry(path).or_default().push(p.clone());
            continue;
        }
        errors.push((path, message(&e)));
    }
    for (path, props) in required {
        let msg = if props.len() == 1 {
            format!("missing property {}", quote(&props[0]))
        } else {
            format!(
                "missing properties {}",
                props
                    .iter()
                    .map(|p| quote(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        errors.push((path, msg));
    }
    errors.sort();
    errors.dedup();
    Ok(errors
        .into_iter()
        .map(|(p, m)| format!("- at {}: {m}", quote(&p)))
        .collect())
}

/// Helm's `ValidateAgainstSchema`: the chart's schema against `values`, then each subchart's
/// schema against `values[subchart]` (skipped when absent or null). The error lists every
/// chart with violations, in Helm's shape.
pub fn validate(chart: &Chart, values: &Map<String, Value>) -> Result<(), ValuesError> {
    let mut out = String::new();
    validate_into(chart, values, &mut out)?;
    if out.is_empty() {
        Ok(())
    } else {
        Err(ValuesError::Schema(out))
    }
}

fn validate_into(
    chart: &Chart,
    values: &Map<String, Value>,
    out: &mut String,
) -> Result<(), ValuesError> {
    if let Some(schema) = &chart.schema {
        let lines = validate_single(&Value::Object(values.clone()), schema, chart.dir.as_deref())
            .map_err(|message| ValuesError::SchemaInvalid {
            chart: chart.name().to_string(),
            path: chart.source.join("values.schema.json"),
            message,
        })?;
        if !lines.is_empty() {
            let _ = writeln!(out, "{}:", chart.name());
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => validate_into(sub, m, out)?,
            Some(other) => {
                let _ = writeln!(
                    out,
                    "{}:\ninvalid type for values: expected object (map), got {}",
                    sub.name(),
                    match other {
                        Value::Bool(_) => "bool",
                        Value::String(_) => "string",
                        Value::Number(n) if n.is_f64() => "float64",
                        Value::Number(_) => "int64",
                        _ => "[]interface {}",
                    }
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_like_helm() {
        let schema = br#"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","required":["name"],"properties":{"port":{"type":"integer","minimum":1},"tags":{"type":"array","items":{"type":"string"}},"mode":{"enum":["a","b"]}}}"#;
        let v = json!({"port": 0.0, "tags": [1.0, "x"], "mode": "c"});
        let lines = validate_single(&v, schema, None).unwrap();
        // Expected lines as Helm v4.1.4 printed them (its order is map order; ours is sorted).
        assert_eq!(
            lines,
            vec![
                "- at '': missing property 'name'",
                "- at '/mode': value must be one of 'a', 'b'",
                "- at '/port': minimum: got 0, want 1",
                "- at '/tags/0': got number, want string",
            ]
        );
        let v = json!({"port": "1.5", "name": "x"});
        assert_eq!(
            validate_single(&v, schema, None).unwrap(),
            vec!["- at '/port': got string, want integer"]
        );
    }
}
