//! `Chart.yaml`: the typed metadata, read the way Helm reads it (YAML converted to JSON, then
//! decoded into a Go struct: scalars become strings where the field is a string, keys match
//! case-insensitively, unknown keys are ignored), validated and sanitised like Helm's
//! `Metadata.Validate`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `apiVersion: v1` (Helm 2 charts; dependencies in `requirements.yaml`).
pub const API_VERSION_V1: &str = "v1";
/// `apiVersion: v2`.
pub const API_VERSION_V2: &str = "v2";

/// A maintainer entry of `Chart.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Maintainer {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// One entry of `dependencies:` (or of `requirements.yaml` for apiVersion v1 charts).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default)]
    pub repository: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enabled: bool,
    /// Each item is a string (`exports.<name>`) or a `{child, parent}` map.
    #[serde(
        default,
        rename = "import-values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub import_values: Vec<Value>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alias: String,
}

/// The contents of `Chart.yaml`, with every field Helm's `Metadata` has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub home: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintainers: Vec<Maintainer>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub icon: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tags: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app_version: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// `None` when Chart.yaml has no `annotations` (Go's nil map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kube_version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub chart_type: String,
}

/// Why a metadata document could not be decoded or validated. The message is Helm's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetadataError {
    /// A field has a type Go's JSON decoder would refuse (`field` is `Metadata.version`...).
    #[error("json: cannot unmarshal {found} into Go struct field {field} of type {expected}")]
    Type {
        found: &'static str,
        field: String,
        expected: &'static str,
    },
    /// The document is not a map (`found` is Go's kind of what it is).
    #[error("json: cannot unmarshal {found} into Go value of type v2.Metadata")]
    NotAMap { found: &'static str },
    /// `Metadata.Validate` failed.
    #[error("validation: {0}")]
    Validation(String),
}

/// Finds the value for a Go struct field the way encoding/json does: an exact key first, then
/// a case-insensitive one.
fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(v) = m.get(name) {
        return Some(v);
    }
    m.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn get_string(m: &Map<String, Value>, name: &str, gofield: &str) -> Result<String, MetadataError> {
    match field(m, name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(n @ Value::Number(_)) => Ok(rudder_yaml::go_string_of(n).unwrap_or_default()),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(v) => Err(MetadataError::Type {
            found: rudder_gocompat::json::kind(v),
            field: gofield.to_string(),
            expected: "string",
        }),
    }
}

fn scalar_string(v: &Value, gofield: &str) -> Result<String, MetadataError> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) => Ok(rudder_yaml::go_string_of(v).unwrap_or_default()),
        Value::Bool(b) => Ok(b.to_string()),
        v => Err(MetadataError::Type {
            found: rudder_gocompat::json::kind(v),
            field: gofield.to_string(),
            expected: "string",
        }),
    }
}

fn get_strings(
    m: &Map<String, Value>,
    name: &str,
    gofield: &str,
) -> Result<Vec<String>, MetadataError> {
    match field(m, name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(|v| scalar_string(v, gofield)).collect(),
        Some(v) => Err(MetadataError::Type {
            found: rudder_gocompat::json::kind(v),
            field: gofield.to_string(),
            expected: "[]string",
        }),
    }
}

fn get_bool(m: &Map<String, Value>, name: &str, gofield: &str) -> Result<bool, MetadataError> {
    match field(m, name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(MetadataError::Type {
            found: rudder_gocompat::json::kind(v),
            field: gofield.to_string(),
            expected: "bool",
        }),
    }
}

impl Maintainer {
    fn from_json(v: &Value) -> Result<Option<Maintainer>, MetadataError> {
        match v {
            Value::Null => Ok(None),
            Value::Object(m) => Ok(Some(Maintainer {
                name: get_string(m, "name", "Maintainer.maintainers.name")?,
                email: get_string(m, "email", "Maintainer.maintainers.email")?,
                url: get_string(m, "url", "Maintainer.maintainers.url")?,
            })),
            v => Err(MetadataError::Type {
                found: rudder_gocompat::json::kind(v),
                field: "Metadata.maintainers".into(),
                expected: "v2.Maintainer",
            }),
        }
    }
}

impl Dependency {
    /// Decodes one dependency entry; `None` for a YAML `null` item (which Helm rejects later).
    pub fn from_json(v: &Value) -> Result<Option<Dependency>, MetadataError> {
        let m = match v {
            Value::Null => return Ok(None),
            Value::Object(m) => m,
            v => {
                return Err(MetadataError::Type {
                    found: rudder_gocompat::json::kind(v),
                    field: "Metadata.dependencies".into(),
                    expected: "v2.Dependency",
                });
            }
        };
        let f = |n: &str| format!("Dependency.dependencies.{n}");
        let import_values = match field(m, "import-values") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(v) => {
                return Err(MetadataError::Type {
                    found: rudder_gocompat::json::kind(v),
                    field: f("import-values"),
                    expected: "[]interface {}",
                });
            }
        };
        Ok(Some(Dependency {
            name: get_string(m, "name", &f("name"))?,
            version: get_string(m, "version", &f("version"))?,
            repository: get_string(m, "repository", &f("repository"))?,
            condition: get_string(m, "condition", &f("condition"))?,
            tags: get_strings(m, "tags", &f("tags"))?,
            enabled: get_bool(m, "enabled", &f("enabled"))?,
            import_values,
            alias: get_string(m, "alias", &f("alias"))?,
        }))
    }

    /// The name this dependency appears under once processed: its alias if it has one.
    pub fn effective_name(&self) -> &str {
        if self.alias.is_empty() {
            &self.name
        } else {
            &self.alias
        }
    }
}

/// A dependency list as read from `Chart.yaml`/`requirements.yaml`, keeping `null` items so
/// validation can reject them as Helm does.
pub(crate) fn dependencies_from_json(
    v: Option<&Value>,
) -> Result<Vec<Option<Dependency>>, MetadataError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(Dependency::from_json).collect(),
        Some(v) => Err(MetadataError::Type {
            found: rudder_gocompat::json::kind(v),
            field: "Metadata.dependencies".into(),
            expected: "[]*v2.Dependency",
        }),
    }
}

/// The decoded document plus what validation needs to see (null list items).
pub(crate) struct RawMetadata {
    pub metadata: Metadata,
    pub null_maintainer: bool,
    pub null_dependency: bool,
}

impl Metadata {
    /// Decodes `Chart.yaml` already converted to JSON. A document that is not a map decodes
    /// as Go's decoder would: `null` gives empty metadata, anything else a type error.
    pub(crate) fn from_json(v: &Value) -> Result<RawMetadata, MetadataError> {
        let empty = Map::new();
        let m = match v {
            Value::Object(m) => m,
            Value::Null => &empty,
            v => {
                return Err(MetadataError::NotAMap {
                    found: rudder_gocompat::json::kind(v),
                });
            }
        };
        let f = |n: &str| format!("Metadata.{n}");
        let mut null_maintainer = false;
        let maintainers = match field(m, "maintainers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => {
                let mut out = Vec::new();
                for item in a {
                    match Maintainer::from_json(item)? {
                        Some(mt) => out.push(mt),
                        None => null_maintainer = true,
                    }
                }
                out
            }
            Some(v) => {
                return Err(MetadataError::Type {
                    found: rudder_gocompat::json::kind(v),
                    field: f("maintainers"),
                    expected: "[]*v2.Maintainer",
                });
            }
        };
        let annotations = match field(m, "annotations") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => {
                let mut out = BTreeMap::new();
                for (k, v) in a {
                    out.insert(k.clone(), scalar_string(v, &f("annotations"))?);
                }
                Some(out)
            }
            Some(v) => {
                return Err(MetadataError::Type {
                    found: rudder_gocompat::json::kind(v),
                    field: f("annotations"),
                    expected: "map[string]string",
                });
            }
        };
        let deps = dependencies_from_json(field(m, "dependencies"))?;
        let null_dependency = deps.iter().any(Option::is_none);
        let metadata = Metadata {
            name: get_string(m, "name", &f("name"))?,
            home: get_string(m, "home", &f("home"))?,
            sources: get_strings(m, "sources", &f("sources"))?,
            version: get_string(m, "version", &f("version"))?,
            description: get_string(m, "description", &f("description"))?,
            keywords: get_strings(m, "keywords", &f("keywords"))?,
            maintainers,
            icon: get_string(m, "icon", &f("icon"))?,
            api_version: get_string(m, "apiVersion", &f("apiVersion"))?,
            condition: get_string(m, "condition", &f("condition"))?,
            tags: get_string(m, "tags", &f("tags"))?,
            app_version: get_string(m, "appVersion", &f("appVersion"))?,
            deprecated: get_bool(m, "deprecated", &f("deprecated"))?,
            annotations,
            kube_version: get_string(m, "kubeVersion", &f("kubeVersion"))?,
            dependencies: deps.into_iter().flatten().collect(),
            chart_type: get_string(m, "type", &f("type"))?,
        };
        Ok(RawMetadata {
            metadata,
            null_maintainer,
            null_dependency,
        })
    }

    /// Helm's `Metadata.Validate`: sanitises strings in place, then checks required fields,
    /// the name, the version (semver), the type, maintainers and dependency aliases.
    pub(crate) fn validate(
        &mut self,
        null_maintainer: bool,
        null_dependency: bool,
    ) -> Result<(), MetadataError> {
        let v = |s: String| Err(MetadataError::Validation(s));
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize_string(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize_string(s);
        }
        if self.api_version.is_empty() {
            return v("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return v("chart.metadata.name is required".into());
        }
        if self.name == "." || self.name == ".." {
            return v(format!(
                "chart.metadata.name {:?} is not allowed",
                self.name
            ));
        }
        if go_base(&self.name) != self.name {
            return v(format!("chart.metadata.name {:?} is invalid", self.name));
        }
        if self.version.is_empty() {
            return v("chart.metadata.version is required".into());
        }
        if rudder_gocompat::semver::Version::parse(&self.version).is_err() {
            return v(format!(
                "chart.metadata.version {:?} is invalid",
                self.version
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return v("chart.metadata.type must be application or library".into());
        }
        if null_maintainer {
            return v("maintainers must not contain empty or null nodes".into());
        }
        for m in &mut self.maintainers {
            m.name = sanitize_string(&m.name);
            m.email = sanitize_string(&m.email);
            m.url = sanitize_string(&m.url);
        }
        if null_dependency {
            return v("dependencies must not contain empty or null nodes".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &mut self.dependencies {
            d.name = sanitize_string(&d.name);
            d.version = sanitize_string(&d.version);
            d.repository = sanitize_string(&d.repository);
            d.condition = sanitize_string(&d.condition);
            for t in &mut d.tags {
                *t = sanitize_string(t);
            }
            if !d.alias.is_empty()
                && !d
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return v(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    d.name
                ));
            }
            let key = d.effective_name().to_string();
            if !seen.insert(key.clone()) {
                return v(format!(
                    "more than one dependency with name or alias {key:?}"
                ));
            }
        }
        Ok(())
    }

    /// The JSON Helm's Go `Metadata` struct marshals to (json tags, omitempty), as stored in a
    /// release record.
    pub fn metadata_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `filepath.Base` for a slash-separated name.
fn go_base(s: &str) -> &str {
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return if s.is_empty() { "." } else { "/" };
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// Helm's `sanitizeString`: every Unicode space becomes ' ', non-printable characters go.
pub(crate) fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_go_printable(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// An approximation of Go's `unicode.IsPrint` for non-space characters: control, format,
/// private-use and surrogate characters are not printable.
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    if c.is_control() {
        return false;
    }
    let format = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    !(format || private)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_become_strings_like_sigs_yaml() {
        let raw = Metadata::from_json(&json!({
            "apiVersion": "v2", "name": "c", "version": 1.0, "appVersion": 1.1,
            "Keywords": ["a", 1.0, true], "annotations": {"a": 1.0}
        }))
        .unwrap();
        let m = raw.metadata;
        assert_eq!(m.version, "1");
        assert_eq!(m.app_version, "1.1");
        assert_eq!(m.keywords, vec!["a", "1", "true"]);
        assert_eq!(m.annotations.unwrap()["a"], "1");
    }

    #[test]
    fn type_errors_name_the_field() {
        let e = Metadata::from_json(&json!({"version": [1]})).err().unwrap();
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal array into Go struct field Metadata.version of type string"
        );
        let e = Metadata::from_json(&json!({"deprecated": "yes"}))
            .err()
            .unwrap();
        assert!(e.to_string().contains("Metadata.deprecated of type bool"));
    }

    fn validate(v: Value) -> Result<Metadata, String> {
        let raw = Metadata::from_json(&v).map_err(|e| e.to_string())?;
        let mut m = raw.metadata;
        m.validate(raw.null_maintainer, raw.null_dependency)
            .map_err(|e| e.to_string())?;
        Ok(m)
    }

    #[test]
    fn validation_messages() {
        let cases = [
            (
                json!({"apiVersion":"v2","version":"1.0.0"}),
                "validation: chart.metadata.name is required",
            ),
            (
                json!({"apiVersion":"v2","name":"e"}),
                "validation: chart.metadata.version is required",
            ),
            (
                json!({"apiVersion":"v2","name":"e","version":"1.x"}),
                "validation: chart.metadata.version \"1.x\" is invalid",
            ),
            (
                json!({"apiVersion":"v2","name":"e","version":"1.0.0","type":"app"}),
                "validation: chart.metadata.type must be application or library",
            ),
            (
                json!({"apiVersion":"v2","name":"a/b","version":"1.0.0"}),
                "validation: chart.metadata.name \"a/b\" is invalid",
            ),
            (
                json!({"apiVersion":"v2","name":"e","version":"1.0.0","dependencies":[{"name":"x","alias":"a.b"}]}),
                "validation: dependency \"x\" has disallowed characters in the alias",
            ),
            (
                json!({"apiVersion":"v2","name":"e","version":"1.0.0","dependencies":[{"name":"x"},{"name":"x"}]}),
                "validation: more than one dependency with name or alias \"x\"",
            ),
            (
                json!({"apiVersion":"v2","name":"e","version":"1.0.0","dependencies":[null]}),
                "validation: dependencies must not contain empty or null nodes",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(validate(input).err().as_deref(), Some(want));
        }
    }

    /// Helm checks a chart version with Masterminds' loose `NewVersion`: `helm template`
    /// renders charts versioned `1.2` and `v1.2.3-rc.1`, and refuses `1.2.3.4`.
    #[test]
    fn chart_versions_are_loose_semver() {
        for ok in ["1.2", "v1.2.3-rc.1", "1", "1.2.3+build"] {
            let m = json!({"apiVersion":"v2","name":"e","version":ok});
            assert!(validate(m).is_ok(), "{ok}");
        }
        let m = json!({"apiVersion":"v2","name":"e","version":"1.2.3.4"});
        assert_eq!(
            validate(m).err().as_deref(),
            Some("validation: chart.metadata.version \"1.2.3.4\" is invalid")
        );
    }

    #[test]
    fn sanitizes_and_marshals_like_go() {
        let m = validate(
            json!({"apiVersion":"v2","name":"e","version":"1.0.0","description":"a\nb\tc\u{200b}"}),
        )
        .unwrap();
        assert_eq!(m.description, "a b c");
        let j = m.metadata_json();
        assert_eq!(
            j,
            json!({"apiVersion":"v2","name":"e","version":"1.0.0","description":"a b c"})
        );
    }
}
