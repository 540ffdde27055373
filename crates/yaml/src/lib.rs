//! YAML exactly as Helm reads and writes it.
//!
//! Helm reads values files, `Chart.yaml` and `fromYaml` input with `sigs.k8s.io/yaml`: go-yaml
//! v2 (YAML 1.1: `yes`/`on` are booleans, `0777` is octal) converted to JSON and decoded by
//! `encoding/json`, so every number comes back as a float64 ([`from_str`]). It writes `toYaml`
//! output with `sigs.k8s.io/yaml.Marshal`: the value goes through `encoding/json`, back through
//! go-yaml's decoder and out of go-yaml v2's emitter ([`to_string`]), whose quoting, literal
//! blocks and 80-column folding are reproduced here.
//!
//! Parsing uses yaml-rust2's event parser (which keeps scalar styles); the YAML 1.1 resolution,
//! the decoding rules and the emitter are our own, written after go-yaml's behaviour.

mod emit;
mod errors;
mod json;
mod parse;
mod position;
mod resolve;

pub use json::{JsonStyle, to_go_json};
pub use position::{Step, position, scalar_text};

/// A YAML error. `message` is the Go error text exactly as go-yaml (or the JSON conversion)
/// prints it, e.g. `yaml: line 3: mapping values are not allowed in this context` or
/// `json: unsupported value: NaN`; `line` and `column` (1-based, 0 when unknown) locate the
/// problem in the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Error {
    /// A go-yaml error without a line: `yaml: MSG`.
    pub(crate) fn plain(msg: impl Into<String>) -> Error {
        Error {
            line: 0,
            column: 0,
            message: format!("yaml: {}", msg.into()),
        }
    }

    /// An error whose text is not go-yaml's (the JSON conversion's).
    pub(crate) fn raw(msg: impl Into<String>) -> Error {
        Error {
            line: 0,
            column: 0,
            message: msg.into(),
        }
    }

    /// The message as `sigs.k8s.io/yaml.Unmarshal` wraps it:
    /// `error converting YAML to JSON: yaml: line 2: ...`.
    pub fn sigs_message(&self) -> String {
        format!("error converting YAML to JSON: {}", self.message)
    }
}

/// Reads the first document of `s` like `sigs.k8s.io/yaml.Unmarshal` into `interface{}`:
/// YAML 1.1 scalars, string keys, every number a float64 (JSON integers never come out).
/// An empty document gives `Null`. Later documents are ignored, unchecked, as go-yaml does.
pub fn from_str(s: &str) -> Result<serde_json::Value, Error> {
    parse::from_str(s, false)
}

/// Like [`from_str`], but integers stay JSON integers (`sigs.k8s.io/yaml.YAMLToJSON`'s
/// output). Use it for YAML decoded into Go structs (`Chart.yaml`, `Chart.lock`), where a
/// number meets a `string` field: see [`go_string_of`].
pub fn from_str_typed(s: &str) -> Result<serde_json::Value, Error> {
    parse::from_str(s, true)
}

/// What `sigs.k8s.io/yaml` puts into a Go `string` field for a scalar of
/// [`from_str_typed`]'s output: integers in decimal, floats as
/// `strconv.FormatFloat(f, 'g', -1, 32)` (`appVersion: 1.10` becomes `1.1`), booleans as
/// `true`/`false`, strings as they are. `None` for null, lists and maps.
pub fn go_string_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(if let Some(i) = n.as_i64() {
            i.to_string()
        } else if let Some(u) = n.as_u64() {
            u.to_string()
        } else {
            rudder_gocompat::num::format_g(n.as_f64().unwrap_or(0.0), true)
        }),
        _ => None,
    }
}

/// Every document of a stream, split the way Helm 4 splits multi-document values files
/// (Kubernetes' `YAMLReader`: a line starting with `---` ends a document; documents that are
/// empty are skipped; each document is then read with [`from_str`], so a comment-only one
/// gives `Null`). Helm merges the documents' maps in order, see [`load_values`].
pub fn from_str_multi(s: &str) -> Result<Vec<serde_json::Value>, Error> {
    split_documents(s)?
        .into_iter()
        .map(|doc| from_str(&doc))
        .collect()
}

/// Splits a stream like `k8s.io/apimachinery`'s `YAMLReader`: a line starting with `---`
/// ends a document (only a comment may follow it); empty documents are skipped. The error
/// is the reader's (`invalid Yaml document separator: ...`), not a go-yaml one.
pub fn split_documents(s: &str) -> Result<Vec<String>, Error> {
    let mut docs = Vec::new();
    let mut buf = String::new();
    for line in s.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(Error::raw(format!(
                    "invalid Yaml document separator: {trimmed}"
                )));
            }
            if !buf.is_empty() {
                docs.push(std::mem::take(&mut buf));
            }
            continue;
        }
        buf.push_str(line);
    }
    if !buf.is_empty() {
        docs.push(buf);
    }
    Ok(docs)
}

/// Helm 4's `loader.LoadValues`: every document of the stream read into a map and merged
/// (nested maps merged key by key, anything else replaced). The error text is Helm's, ready
/// to be prefixed with `cannot load values.yaml: ` or the file name:
/// `cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: ...`.
pub fn load_values(s: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let docs = split_documents(s).map_err(|e| format!("error reading yaml document: {e}"))?;
    let mut out = serde_json::Map::new();
    for doc in docs {
        let v = from_str(&doc)
            .map_err(|e| format!("cannot unmarshal yaml document: {}", e.sigs_message()))?;
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Object(m) => merge_maps(&mut out, m),
            other => {
                return Err(format!(
                    "cannot unmarshal yaml document: {}",
                    json_type_error(&other, "map[string]interface {}")
                ));
            }
        }
    }
    Ok(out)
}

/// sigs.k8s.io/yaml's error when the JSON does not fit the target type, e.g.
/// `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of
/// type map[string]interface {}`.
pub fn json_type_error(v: &serde_json::Value, go_type: &str) -> String {
    let what = rudder_gocompat::json::kind(v);
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go value of type {go_type}"
    )
}

fn merge_maps(
    dst: &mut serde_json::Map<String, serde_json::Value>,
    src: serde_json::Map<String, serde_json::Value>,
) {
    for (k, v) in src {
        match (dst.get_mut(&k), v) {
            (Some(serde_json::Value::Object(d)), serde_json::Value::Object(s)) => merge_maps(d, s),
            (_, v) => {
                dst.insert(k, v);
            }
        }
    }
}

/// `sigs.k8s.io/yaml.Marshal` of a JSON-shaped value, trailing newline included (Helm's
/// `toYaml` trims it).
pub fn to_string(v: &serde_json::Value) -> String {
    emit::to_string(v, false)
}

/// yaml.v3's encoder with `SetIndent(2)` (Helm's `toYamlPretty`): the value is encoded as is
/// (float64 numbers print as `1e+06`, integers as integers), sequences are indented under
/// their key and long strings are not folded.
pub fn to_string_pretty(v: &serde_json::Value) -> String {
    emit::to_string(v, true)
}

#[cfg(test)]
mod tests;
