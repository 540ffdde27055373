//! The schema tree the validator walks, built from JSON Schema text: the shipped compact
//! definitions and the `openAPIV3Schema` of a CustomResourceDefinition read the same way.

use serde_json::Value;

/// A set of JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Types(u8);

impl Types {
    pub const NULL: Types = Types(1);
    pub const BOOLEAN: Types = Types(2);
    pub const INTEGER: Types = Types(4);
    pub const NUMBER: Types = Types(8);
    pub const STRING: Types = Types(16);
    pub const ARRAY: Types = Types(32);
    pub const OBJECT: Types = Types(64);

    const NAMES: [(Types, &'static str); 7] = [
        (Types::OBJECT, "object"),
        (Types::ARRAY, "array"),
        (Types::STRING, "string"),
        (Types::INTEGER, "integer"),
        (Types::NUMBER, "number"),
        (Types::BOOLEAN, "boolean"),
        (Types::NULL, "null"),
    ];

    fn from_name(name: &str) -> Types {
        Types::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(Types(0), |(t, _)| *t)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }

    pub fn with(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    /// Whether `value` is one of these types (`3.0` counts as an integer, as JSON Schema
    /// since draft 6 has it; an integer is also a number).
    pub fn admits(self, value: &Value) -> bool {
        match value {
            Value::Null => self.contains(Types::NULL),
            Value::Bool(_) => self.contains(Types::BOOLEAN),
            Value::Number(n) => {
                self.contains(Types::NUMBER)
                    || (self.contains(Types::INTEGER)
                        && (n.is_i64()
                            || n.is_u64()
                            || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
            }
            Value::String(_) => self.contains(Types::STRING),
            Value::Array(_) => self.contains(Types::ARRAY),
            Value::Object(_) => self.contains(Types::OBJECT),
        }
    }

    /// `integer or string` (nulls are not named: nobody writes one on purpose).
    pub fn describe(self) -> String {
        let names: Vec<&str> = Types::NAMES
            .iter()
            .filter(|(t, _)| self.contains(*t) && *t != Types::NULL)
            .map(|(_, n)| *n)
            .collect();
        match names.as_slice() {
            [] => "null".to_string(),
            [only] => (*only).to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }
}

/// What an object accepts besides its declared properties.
#[derive(Debug, Clone, Default)]
pub enum Extra {
    /// Anything (no `additionalProperties`, or `true`).
    #[default]
    Any,
    /// Nothing: every other field is unknown.
    Deny,
    /// Values matching a schema (a map).
    Schema(Node),
}

/// A schema: a reference to a named definition or an inline schema.
#[derive(Debug, Clone)]
pub enum Node {
    Ref(String),
    Schema(Box<Schema>),
}

/// An inline schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Allowed types; empty means any.
    pub types: Types,
    /// Declared properties, sorted by name.
    pub properties: Vec<(String, Node)>,
    pub required: Vec<String>,
    pub extra: Extra,
    pub items: Option<Node>,
    pub enumeration: Option<Vec<Value>>,
    pub one_of: Vec<Node>,
    pub any_of: Vec<Node>,
    pub all_of: Vec<Node>,
    /// `x-kubernetes-preserve-unknown-fields`: fields not declared are kept, unchecked.
    pub preserve_unknown: bool,
    /// `x-kubernetes-embedded-resource`: an object with its own apiVersion, kind, metadata.
    pub embedded: bool,
    /// A null passes without further checks (CRDs: the API server prunes it).
    pub null_passes: bool,
    /// Value limits (CRDs): `minimum`, `maximum`, `minLength`, `maxLength`, `minItems`,
    /// `maxItems`, with `exclusiveMinimum`/`exclusiveMaximum` as booleans (OpenAPI v3).
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

impl Schema {
    pub fn property(&self, name: &str) -> Option<&Node> {
        self.properties
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| &self.properties[i].1)
    }
}

/// How a schema's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The shipped definitions: `type` as a string or list, `$ref` by bare name.
    Shipped,
    /// A CRD's `openAPIV3Schema`: one `type`, `nullable`, `x-kubernetes-int-or-string`, and
    /// null accepted everywhere (the API server prunes nulls of non-nullable fields).
    Crd,
}

/// Builds the tree of a schema. Unknown keywords are ignored.
pub fn build(value: &Value, dialect: Dialect) -> Node {
    let Some(map) = value.as_object() else {
        // A boolean as a whole schema (never in the shipped data, rare in CRDs): taken as
        // accepting anything.
        return Node::Schema(Box::default());
    };
    if let Some(Value::String(target)) = map.get("$ref") {
        let name = target.rsplit('/').next().unwrap_or(target);
        return Node::Ref(name.to_string());
    }
    let mut schema = Schema::default();
    match map.get("type") {
        Some(Value::String(name)) => schema.types = Types::from_name(name),
        Some(Value::Array(names)) => {
            for name in names.iter().filter_map(Value::as_str) {
                schema.types = schema.types.with(Types::from_name(name));
            }
        }
        _ => {}
    }
    let flag = |key: &str| map.get(key).and_then(Value::as_bool).unwrap_or(false);
    if flag("x-kubernetes-int-or-string") {
        schema.types = schema.types.with(Types::INTEGER).with(Types::STRING);
    }
    if dialect == Dialect::Crd {
        schema.null_passes = true;
        if !schema.types.is_empty() {
            schema.types = schema.types.with(Types::NULL);
        }
    }
    if flag("nullable") && !schema.types.is_empty() {
        schema.types = schema.types.with(Types::NULL);
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        schema.properties = props
            .iter()
            .map(|(name, sub)| (name.clone(), build(sub, dialect)))
            .collect();
        schema.properties.sort_by(|a, b| a.0.cmp(&b.0));
    }
    if let Some(Value::Array(names)) = map.get("required") {
        schema.required = names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    schema.extra = match map.get("additionalProperties") {
        Some(Value::Bool(false)) => Extra::Deny,
        Some(sub @ Value::Object(_)) => Extra::Schema(build(sub, dialect)),
        Some(_) => Extra::Any,
        // A CRD's structural schema prunes (and strict validation reports) every field it
        // does not declare; the shipped strict definitions say `false` where they mean it.
        None if dialect == Dialect::Crd && schema.types.contains(Types::OBJECT) => Extra::Deny,
        None => Extra::Any,
    };
    if let Some(items) = map.get("items") {
        schema.items = Some(build(items, dialect));
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        schema.enumeration = Some(values.clone());
    }
    let list = |key: &str| -> Vec<Node> {
        match map.get(key) {
            Some(Value::Array(subs)) => subs.iter().map(|s| build(s, dialect)).collect(),
            _ => Vec::new(),
        }
    };
    schema.one_of = list("oneOf");
    schema.any_of = list("anyOf");
    schema.all_of = list("allOf");
    schema.preserve_unknown = flag("x-kubernetes-preserve-unknown-fields");
    schema.embedded = flag("x-kubernetes-embedded-resource");
    if dialect == Dialect::Crd {
        let num = |key: &str| map.get(key).and_then(Value::as_f64);
        let count = |key: &str| map.get(key).and_then(Value::as_u64);
        schema.minimum = num("minimum").map(|m| (m, flag("exclusiveMinimum")));
        schema.maximum = num("maximum").map(|m| (m, flag("exclusiveMaximum")));
        schema.min_length = count("minLength");
        schema.max_length = count("maxLength");
        schema.min_items = count("minItems");
        schema.max_items = count("maxItems");
    }
    Node::Schema(Box::new(schema))
}
