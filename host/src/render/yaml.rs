//! Parsing one document for its head and for the validity check.
//!
//! Helm parses every document with go-yaml v2 through `sigs.k8s.io/yaml`; the error text
//! (`yaml: line 2: mapping values are not allowed in this context`) is part of Helm's
//! output, and `rudder_yaml` reproduces both the parse and the messages. Integers stay
//! integers, so the head decoder formats `5` and `5.0` as sigs.k8s.io/yaml does.

use serde_json::Value;

/// Parse the first document of `doc` into JSON; `Err` is go-yaml's message (`yaml: ...`).
pub fn parse(doc: &str) -> Result<Value, String> {
    rudder_yaml::from_str_typed(doc).map_err(|e| e.message)
}
