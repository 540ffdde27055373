//! The validator: one target version, the chart's CRDs, definitions parsed on first use.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::Value;

use super::data::{self, Index};
use super::node::{self, Dialect, Extra, Node, Schema};
use crate::model::KubeVersion;

/// One schema violation inside an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON path in the object (`spec.template.spec.containers[0].image`); empty for the
    /// object itself.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

/// The verdict on one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It matches its schema.
    Valid,
    /// It does not; every violation found.
    Invalid(Vec<Violation>),
    /// No schema is known for its apiVersion and kind.
    UnknownKind,
    /// Its apiVersion or kind is missing or empty.
    NoTypeMeta,
}

/// Where the schema of a kind comes from.
#[derive(Debug, Clone)]
enum Source {
    /// A built-in definition by name.
    Builtin(&'static str),
    /// A CRD version's `openAPIV3Schema` (None: the version declares no schema).
    Crd(Option<usize>),
}

/// A CRD version's schema, built on first use.
#[derive(Debug)]
struct CrdSchema<'a> {
    text: &'a Value,
    built: Option<Arc<Node>>,
}

/// Validates objects against one shipped Kubernetes version and a set of CRDs. Definitions
/// are parsed only when an object reaches them and kept for the validator's lifetime.
#[derive(Debug)]
pub struct Validator<'a> {
    version: KubeVersion,
    index: Index,
    defs: HashMap<String, Arc<Node>>,
    crd_kinds: HashMap<(String, String), Option<usize>>,
    crd_schemas: Vec<CrdSchema<'a>>,
}

/// The shape of an ObjectMeta checked loosely, in a custom resource and in embedded
/// resources: an object whose name, namespace, labels and annotations are strings.
fn loose_meta(meta: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(map) = meta.as_object() else {
        if !meta.is_null() {
            out.push(Violation {
                path: path.to_string(),
                message: format!("expected object, got {}", describe(meta)),
            });
        }
        return;
    };
    for key in ["name", "namespace", "generateName"] {
        if let Some(v) = map.get(key).filter(|v| !v.is_string() && !v.is_null()) {
            out.push(Violation {
                path: join_key(path, key),
                message: format!("expected string, got {}", describe(v)),
            });
        }
    }
    for key in ["labels", "annotations"] {
        match map.get(key) {
            Some(Value::Object(entries)) => {
                let at = join_key(path, key);
                for (k, v) in entries {
                    if !v.is_string() && !v.is_null() {
                        out.push(Violation {
                            path: join_key(&at, k),
                            message: format!("expected string, got {}", describe(v)),
                        });
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(v) => out.push(Violation {
                path: join_key(path, key),
                message: format!("expected object, got {}", describe(v)),
            }),
        }
    }
}

impl<'a> Validator<'a> {
    /// A validator for `target`, or the newest shipped version not above it (the oldest
    /// when every shipped version is newer).
    pub fn new(target: KubeVersion) -> Validator<'a> {
        let version = data::resolve(target).unwrap_or(target);
        Validator {
            version,
            index: Index::load(version),
            defs: HashMap::new(),
            crd_kinds: HashMap::new(),
            crd_schemas: Vec::new(),
        }
    }

    /// The shipped version whose schemas are used.
    pub fn version(&self) -> KubeVersion {
        self.version
    }

    /// How many definitions have been parsed so far.
    pub fn parsed_definitions(&self) -> usize {
        self.defs.len()
    }

    /// Whether `value` is a CustomResourceDefinition this validator understands.
    pub fn is_crd(value: &Value) -> bool {
        value.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
            && matches!(
                value.get("apiVersion").and_then(Value::as_str),
                Some("apiextensions.k8s.io/v1" | "apiextensions.k8s.io/v1beta1")
            )
    }

    /// Registers the kinds of a CustomResourceDefinition (`apiextensions.k8s.io/v1`, or the
    /// old `v1beta1` layout); its schemas are built when an object needs them. Returns false
    /// when `crd` names no group and kind.
    pub fn add_crd(&mut self, crd: &'a Value) -> bool {
        let spec = crd.get("spec");
        let text = |v: Option<&'a Value>| v.and_then(Value::as_str).unwrap_or("");
        let group = text(spec.and_then(|s| s.get("group")));
        let kind = text(
            spec.and_then(|s| s.get("names"))
                .and_then(|n| n.get("kind")),
        );
        if group.is_empty() || kind.is_empty() {
            return false;
        }
        let shared = spec
            .and_then(|s| s.get("validation"))
            .and_then(|v| v.get("openAPIV3Schema"));
        let mut versions: Vec<(&str, Option<&'a Value>)> = Vec::new();
        if let Some(Value::Array(list)) = spec.and_then(|s| s.get("versions")) {
            for v in list {
                let schema = v
                    .get("schema")
                    .and_then(|s| s.get("openAPIV3Schema"))
                    .or(shared);
                versions.push((text(v.get("name")), schema));
            }
        }
        if let Some(Value::String(v)) = spec.and_then(|s| s.get("version")) {
            versions.push((v, shared));
        }
        for (name, schema) in versions.into_iter().filter(|(n, _)| !n.is_empty()) {
            let slot = schema.map(|text| {
                self.crd_schemas.push(CrdSchema { text, built: None });
                self.crd_schemas.len() - 1
            });
            self.crd_kinds
                .insert((format!("{group}/{name}"), kind.to_string()), slot);
        }
        true
    }

    fn source(&self, api_version: &str, kind: &str) -> Option<Source> {
        if let Some(slot) = self
            .crd_kinds
            .get(&(api_version.to_string(), kind.to_string()))
        {
            return Some(Source::Crd(*slot));
        }
        self.index.kind(api_version, kind).map(Source::Builtin)
    }

    /// Whether a schema is known for `api_version`/`kind` (built in or from a CRD).
    pub fn knows(&self, api_version: &str, kind: &str) -> bool {
        self.source(api_version, kind).is_some()
    }

    fn definition(&mut self, name: &str) -> Option<Arc<Node>> {
        if let Some(node) = self.defs.get(name) {
            return Some(node.clone());
        }
        let text = self.index.definition(name)?;
        let value: Value = serde_json::from_str(text).ok()?;
        let node = Arc::new(node::build(&value, Dialect::Shipped));
        self.defs.insert(name.to_string(), node.clone());
        Some(node)
    }

    fn crd_schema(&mut self, slot: usize) -> Option<Arc<Node>> {
        let entry = self.crd_schemas.get_mut(slot)?;
        Some(
            entry
                .built
                .get_or_insert_with(|| Arc::new(node::build(entry.text, Dialect::Crd)))
                .clone(),
        )
    }

    /// Validates one object. A `List` is not unpacked here: [`super::check`] validates
    /// its items one by one.
    pub fn validate(&mut self, object: &Value) -> Verdict {
        let mut out = Vec::new();
        match self.validate_at(object, "", &mut out) {
            Some(verdict) => verdict,
            None if out.is_empty() => Verdict::Valid,
            None => Verdict::Invalid(out),
        }
    }

    /// Validates an object at `path`, appending violations; `Some` for a verdict that is not
    /// about the object's content.
    fn validate_at(
        &mut self,
        object: &Value,
        path: &str,
        out: &mut Vec<Violation>,
    ) -> Option<Verdict> {
        let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
        let (api_version, kind) = (text("apiVersion"), text("kind"));
        if api_version.is_empty() || kind.is_empty() {
            return Some(Verdict::NoTypeMeta);
        }
        let Some(source) = self.source(api_version, kind) else {
            return Some(Verdict::UnknownKind);
        };
        match source {
            Source::Builtin(name) => {
                let node = Node::Ref(name.to_string());
                self.check(&node, object, path, out);
            }
            Source::Crd(None) => {}
            Source::Crd(Some(slot)) => match self.crd_schema(slot).as_deref() {
                Some(Node::Schema(schema)) => self.check_resource_root(schema, object, path, out),
                Some(node @ Node::Ref(_)) => self.check(node, object, path, out),
                None => {}
            },
        }
        None
    }

    /// The root of a custom resource (or an embedded resource): apiVersion, kind and
    /// metadata are implicit; metadata is checked loosely.
    fn check_resource_root(
        &mut self,
        schema: &Schema,
        object: &Value,
        path: &str,
        out: &mut Vec<Violation>,
    ) {
        let Some(map) = object.as_object() else {
            if !(schema.null_passes && object.is_null()) {
                out.push(Violation {
                    path: path.to_string(),
                    message: format!("expected object, got {}", describe(object)),
                });
            }
            return;
        };
        for key in ["apiVersion", "kind"] {
            if let Some(v) = map.get(key).filter(|v| !v.is_string()) {
                out.push(Violation {
                    path: join_key(path, key),
                    message: format!("expected string, got {}", describe(v)),
                });
            }
        }
        if let Some(meta) = map.get("metadata") {
            loose_meta(meta, &join_key(path, "metadata"), out);
        }
        self.check_schema(
            schema,
            object,
            path,
            out,
            &["apiVersion", "kind", "metadata"],
        );
    }

    /// Checks `value` against `node`, appending every violation.
    fn check(&mut self, node: &Node, value: &Value, path: &str, out: &mut Vec<Violation>) {
        match node {
            Node::Ref(name) => match self.definition(name) {
                Some(def) => self.check(&def, value, path, out),
                None => out.push(Violation {
                    path: path.to_string(),
                    message: format!("schema definition {name:?} is missing from the shipped data"),
                }),
            },
            Node::Schema(schema) if schema.embedded => {
                self.check_resource_root(schema, value, path, out)
            }
            Node::Schema(schema) => self.check_schema(schema, value, path, out, &[]),
        }
    }

    /// Whether `value` matches `node` (for the branches of oneOf/anyOf).
    fn matches(&mut self, node: &Node, value: &Value, path: &str) -> Vec<Violation> {
        let mut errs = Vec::new();
        self.check(node, value, path, &mut errs);
        errs
    }

    fn check_schema(
        &mut self,
        schema: &Schema,
        value: &Value,
        path: &str,
        out: &mut Vec<Violation>,
        implicit: &[&str],
    ) {
        if schema.null_passes && value.is_null() {
            return;
        }
        if !schema.types.is_empty() && !schema.types.admits(value) {
            out.push(Violation {
                path: path.to_string(),
                message: format!(
                    "expected {}, got {}",
                    schema.types.describe(),
                    describe(value)
                ),
            });
            return;
        }
        if let Some(allowed) = &schema.enumeration
            && !allowed.iter().any(|a| same_value(a, value))
        {
            let mut list = String::new();
            for (i, a) in allowed.iter().enumerate() {
                let _ = write!(list, "{}{}", if i == 0 { "" } else { ", " }, compact(a));
            }
            out.push(Violation {
                path: path.to_string(),
                message: format!("expected one of [{list}], got {}", describe(value)),
            });
        }
        self.check_limits(schema, value, path, out);
        match value {
            Value::Object(map) => {
                for name in &schema.required {
                    if !map.contains_key(name) {
                        out.push(Violation {
                            path: path.to_string(),
                            message: format!("missing required field {name:?}"),
                        });
                    }
                }
                for (key, sub) in map {
                    // A resource's apiVersion, kind and metadata were checked by the caller.
                    if implicit.contains(&key.as_str()) {
                        continue;
                    }
                    let at = join_key(path, key);
                    if let Some(prop) = schema.property(key) {
                        self.check(prop, sub, &at, out);
                        continue;
                    }
                    match &schema.extra {
                        Extra::Schema(node) => self.check(node, sub, &at, out),
                        Extra::Deny if !schema.preserve_unknown => out.push(Violation {
                            path: at,
                            message: format!("unknown field {key:?}"),
                        }),
                        Extra::Deny | Extra::Any => {}
                    }
                }
            }
            Value::Array(items) => {
                if let Some(node) = &schema.items {
                    for (i, item) in items.iter().enumerate() {
                        self.check(node, item, &format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => {}
        }
        for node in &schema.all_of {
            self.check(node, value, path, out);
        }
        if !schema.any_of.is_empty() {
            let mut first = None;
            let mut matched = false;
            for node in &schema.any_of {
                let errs = self.matches(node, value, path);
                if errs.is_empty() {
                    matched = true;
                    break;
                }
                first.get_or_insert(errs);
            }
            if !matched {
                out.push(Violation {
                    path: path.to_string(),
                    message: format!(
                        "matches none of the {} allowed schemas (anyOf){}",
                        schema.any_of.len(),
                        first_reason(first)
                    ),
                });
            }
        }
        if !schema.one_of.is_empty() {
            let mut passed = 0;
            let mut first = None;
            for node in &schema.one_of {
                let errs = self.matches(node, value, path);
                if errs.is_empty() {
                    passed += 1;
                } else {
                    first.get_or_insert(errs);
                }
            }
            if passed != 1 {
                let message = if passed == 0 {
                    format!(
                        "matches none of the {} allowed schemas (oneOf){}",
                        schema.one_of.len(),
                        first_reason(first)
                    )
                } else {
                    format!("matches {passed} of the schemas of a oneOf, expected exactly one")
                };
                out.push(Violation {
                    path: path.to_string(),
                    message,
                });
            }
        }
    }

    fn check_limits(&self, schema: &Schema, value: &Value, path: &str, out: &mut Vec<Violation>) {
        let mut fail = |message: String| {
            out.push(Violation {
                path: path.to_string(),
                message,
            })
        };
        match value {
            Value::Number(n) => {
                let Some(x) = n.as_f64() else { return };
                if let Some((min, exclusive)) = schema.minimum
                    && (x < min || (exclusive && x == min))
                {
                    let op = if exclusive { ">" } else { ">=" };
                    fail(format!("expected a number {op} {min}, got {n}"));
                }
                if let Some((max, exclusive)) = schema.maximum
                    && (x > max || (exclusive && x == max))
                {
                    let op = if exclusive { "<" } else { "<=" };
                    fail(format!("expected a number {op} {max}, got {n}"));
                }
            }
            Value::String(s) => {
                let len = s.chars().count() as u64;
                if let Some(min) = schema.min_length.filter(|m| len < *m) {
                    fail(format!("expected at least {min} characters, got {len}"));
                }
                if let Some(max) = schema.max_length.filter(|m| len > *m) {
                    fail(format!("expected at most {max} characters, got {len}"));
                }
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if let Some(min) = schema.min_items.filter(|m| len < *m) {
                    fail(format!("expected at least {min} items, got {len}"));
                }
                if let Some(max) = schema.max_items.filter(|m| len > *m) {
                    fail(format!("expected at most {max} items, got {len}"));
                }
            }
            _ => {}
        }
    }
}

fn first_reason(first: Option<Vec<Violation>>) -> String {
    match first.as_deref() {
        Some([v, ..]) if v.path.is_empty() => format!(": {}", v.message),
        Some([v, ..]) => format!(": {}: {}", v.path, v.message),
        _ => String::new(),
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        _ => a == b,
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `string "80"`, `integer 80`, `object`, `null`.
pub fn describe(value: &Value) -> String {
    const MAX: usize = 40;
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) if n.is_f64() => format!("number {n}"),
        Value::Number(n) => format!("integer {n}"),
        Value::String(s) if s.chars().count() > MAX => {
            let head: String = s.chars().take(MAX).collect();
            format!("string {:?}", format!("{head}..."))
        }
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "array".to_string(),
        Value::Object(_) => "object".to_string(),
    }
}

/// `spec.selector` + `app` → `spec.selector.app`; keys that are not plain names are quoted:
/// `metadata.labels["app.kubernetes.io/name"]`.
pub fn join_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{key:?}]"),
    }
}
