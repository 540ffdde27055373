//! Data documents merged into `data` the way OPA's loader (and so conftest) merges them:
//! every file's top-level object at the root, objects merged key by key, any other clash an
//! error.

use serde_json::{Map, Value};

use crate::{Error, Source};

pub(crate) fn merge(docs: &[Source]) -> Result<Value, Error> {
    let mut root = Map::new();
    for doc in docs {
        let value = parse(doc)?;
        match value {
            Value::Object(obj) => merge_into(&mut root, obj, &doc.path, &mut Vec::new())?,
            // An empty file loads as nothing.
            Value::Null => {}
            _ => {
                return Err(Error::Data {
                    path: doc.path.clone(),
                    message: "the root of a data document must be an object".to_string(),
                });
            }
        }
    }
    Ok(Value::Object(root))
}

fn parse(doc: &Source) -> Result<Value, Error> {
    let lower = doc.path.to_ascii_lowercase();
    let err = |message: String| Error::Data {
        path: doc.path.clone(),
        message,
    };
    if lower.ends_with(".json") {
        if doc.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&doc.text).map_err(|e| err(e.to_string()))
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        rudder_yaml::from_str_typed(&doc.text).map_err(|e| err(e.to_string()))
    } else {
        Err(err(
            "a data document must be a .json, .yaml or .yml file".to_string()
        ))
    }
}

fn merge_into(
    dst: &mut Map<String, Value>,
    src: Map<String, Value>,
    path: &str,
    at: &mut Vec<String>,
) -> Result<(), Error> {
    for (key, value) in src {
        match (dst.get_mut(&key), value) {
            (Some(Value::Object(d)), Value::Object(s)) => {
                at.push(key);
                merge_into(d, s, path, at)?;
                at.pop();
            }
            (Some(_), _) => {
                at.push(key);
                return Err(Error::Data {
                    path: path.to_string(),
                    message: format!(
                        "`data.{}` is already defined by another document",
                        at.join(".")
                    ),
                });
            }
            (None, value) => {
                dst.insert(key, value);
            }
        }
    }
    Ok(())
}
