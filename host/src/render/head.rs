//! The head of a manifest (`apiVersion`, `kind`, `metadata.name`, `metadata.annotations`),
//! decoded from a document's JSON the way Helm decodes its `SimpleHead` with
//! `sigs.k8s.io/yaml` and Go's `encoding/json`:
//! - scalars (numbers, booleans) that land in a string field become strings
//!   (`kind: true` is the kind `"true"`; floats print with float32 precision);
//! - keys match their field exactly or case-insensitively (`KIND:` sets the kind), taken in
//!   sorted key order, so with `Kind` and `kind` both present the later one wins;
//! - a value of the wrong shape is an error with Go's exact text, reported after the whole
//!   document was decoded (the first such error wins).

use std::collections::BTreeMap;

use serde_json::Value;

/// What Helm reads from every manifest to sort it and recognise hooks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleHead {
    pub api_version: String,
    pub kind: String,
    pub metadata: Option<Metadata>,
}

/// `metadata`, when present and not null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub name: String,
    /// `None` when absent or null; a present null value decodes as `""`.
    pub annotations: Option<BTreeMap<String, String>>,
}

impl SimpleHead {
    /// The annotations, when there is at least one (Helm's `hasAnyAnnotation`).
    pub fn annotations(&self) -> Option<&BTreeMap<String, String>> {
        self.metadata
            .as_ref()
            .and_then(|m| m.annotations.as_ref())
            .filter(|a| !a.is_empty())
    }
}

const METADATA_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// Decode a head; `Err` holds Go's message, e.g.
/// `json: cannot unmarshal array into Go struct field SimpleHead.kind of type string`.
pub fn decode(doc: &Value) -> Result<SimpleHead, String> {
    let mut head = SimpleHead::default();
    let mut err = None;
    match doc {
        Value::Null => {}
        Value::Object(map) => {
            for (key, val) in sorted(map) {
                match field(key, &["apiVersion", "kind", "metadata"]) {
                    Some("apiVersion") => set_string(
                        &mut head.api_version,
                        val,
                        "SimpleHead.apiVersion",
                        &mut err,
                    ),
                    Some("kind") => set_string(&mut head.kind, val, "SimpleHead.kind", &mut err),
                    Some(_) => decode_metadata(&mut head.metadata, val, &mut err),
                    None => {}
                }
            }
        }
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type util.SimpleHead",
                rudder_gocompat::json::kind(other)
            ));
        }
    }
    match err {
        Some(e) => Err(e),
        None => Ok(head),
    }
}

fn decode_metadata(slot: &mut Option<Metadata>, val: &Value, err: &mut Option<String>) {
    match val {
        Value::Null => *slot = None,
        Value::Object(map) => {
            let meta = slot.get_or_insert_with(Metadata::default);
            for (key, v) in sorted(map) {
                match field(key, &["name", "annotations"]) {
                    Some("name") => set_string(&mut meta.name, v, ".metadata.name", err),
                    Some(_) => decode_annotations(&mut meta.annotations, v, err),
                    None => {}
                }
            }
        }
        other => type_error(err, other, "SimpleHead.metadata", METADATA_TYPE),
    }
}

fn decode_annotations(
    slot: &mut Option<BTreeMap<String, String>>,
    val: &Value,
    err: &mut Option<String>,
) {
    match val {
        Value::Null => *slot = None,
        Value::Object(map) => {
            let ann = slot.get_or_insert_with(BTreeMap::new);
            for (key, v) in sorted(map) {
                let mut s = String::new();
                set_string(&mut s, v, ".metadata.annotations", err);
                ann.insert(key.clone(), s);
            }
        }
        other => type_error(err, other, ".metadata.annotations", "map[string]string"),
    }
}

fn set_string(slot: &mut String, val: &Value, path: &str, err: &mut Option<String>) {
    match val {
        Value::Null => {}
        Value::String(s) => *slot = s.clone(),
        Value::Bool(b) => *slot = b.to_string(),
        // sigs.k8s.io/yaml writes a number meant for a string field as Go formats it.
        Value::Number(_) => *slot = rudder_yaml::go_string_of(val).unwrap_or_default(),
        other => type_error(err, other, path, "string"),
    }
}

fn type_error(err: &mut Option<String>, val: &Value, path: &str, ty: &str) {
    if err.is_none() {
        *err = Some(format!(
            "json: cannot unmarshal {} into Go struct field {path} of type {ty}",
            rudder_gocompat::json::kind(val)
        ));
    }
}

/// Keys in Go's `json.Marshal` order (bytewise), whatever order the map keeps.
fn sorted(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// The field a JSON key sets: an exact match, else a case-insensitive one.
fn field<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| fold_eq(key, f)))
        .copied()
}

/// Go's simple case folding restricted to what our ASCII field names can meet: ASCII case,
/// plus the Kelvin sign (folds to k) and the long s (folds to s).
fn fold_eq(key: &str, field: &str) -> bool {
    let mut k = key.chars().map(|c| match c {
        '\u{212a}' => 'k',
        '\u{17f}' => 's',
        c => c.to_ascii_lowercase(),
    });
    let mut f = field.chars().map(|c| c.to_ascii_lowercase());
    loop {
        match (k.next(), f.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_head() {
        let h = decode(&json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "annotations": {"helm.sh/hook": "test", "w": 5, "n": null}}}))
        .unwrap();
        assert_eq!(h.kind, "Pod");
        let a = h.annotations().unwrap();
        assert_eq!(a["helm.sh/hook"], "test");
        assert_eq!(a["w"], "5");
        assert_eq!(a["n"], "");
    }

    #[test]
    fn scalars_become_strings_and_keys_fold() {
        let h = decode(&json!({"apiVersion": 5, "KIND": true, "Kind": "X"})).unwrap();
        assert_eq!(h.api_version, "5");
        assert_eq!(h.kind, "X"); // "KIND" < "Kind": the later key wins
        let h = decode(&json!({"\u{212a}ind": "K"})).unwrap();
        assert_eq!(h.kind, "K");
        assert_eq!(decode(&Value::Null).unwrap(), SimpleHead::default());
        assert!(
            decode(&json!({"metadata": {"annotations": {}}}))
                .unwrap()
                .annotations()
                .is_none()
        );
    }

    #[test]
    fn go_error_texts() {
        let e = |v| decode(&v).unwrap_err();
        assert_eq!(
            e(json!("text")),
            "json: cannot unmarshal string into Go value of type util.SimpleHead"
        );
        assert_eq!(
            e(json!({"kind": ["a"]})),
            "json: cannot unmarshal array into Go struct field SimpleHead.kind of type string"
        );
        assert_eq!(
            e(json!({"metadata": {"annotations": {"x": [1]}}})),
            "json: cannot unmarshal array into Go struct field .metadata.annotations of type string"
        );
        assert_eq!(
            e(json!({"metadata": {"annotations": 5}})),
            "json: cannot unmarshal number into Go struct field .metadata.annotations of type map[string]string"
        );
        assert_eq!(
            e(json!({"metadata": 5})),
            "json: cannot unmarshal number into Go struct field SimpleHead.metadata of type struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }"
        );
    }
}
