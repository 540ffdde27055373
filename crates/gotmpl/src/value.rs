//! The values templates work on, typed the way Go's `reflect` sees Helm's data.
//!
//! Helm hands templates `map[string]interface{}` trees whose leaves are `float64` (numbers
//! from YAML/JSON), `int64` (numbers from `--set`), `string`, `bool` and `nil`. Functions add
//! Go `int` (from `len`, `atoi`, ...), `uint64`, `[]string`, `[]int`, `[]byte`,
//! `map[string]string` and a few structs (`.Files`, `.Capabilities`, semver versions,
//! certificates); `.` and `.Values` are Helm's named map type `common.Values`. The
//! distinctions matter: `eq 1 1.0` fails in Go, `%T` and `typeOf` print the Go type, and
//! `1000000` prints as `1e+06` only when it is a float64.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

/// A map with Go's iteration order for `map[string]T`: sorted by key bytes.
pub type Map = BTreeMap<String, Value>;

static NIL_MAP: LazyLock<Arc<Map>> = LazyLock::new(|| Arc::new(Map::new()));

/// One template value.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped nil (a missing key, an unset `interface{}`).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64` (`--set` integers, most Sprig math results).
    Int64(i64),
    /// Go `uint64` (a semver version's `.Major`, `.Minor`, `.Patch`).
    Uint64(u64),
    /// Go `float64` (every number read from YAML or JSON).
    Float(f64),
    String(Arc<str>),
    /// Go `[]byte`.
    Bytes(Arc<[u8]>),
    /// Go `[]interface{}`.
    List(Arc<Vec<Value>>),
    /// Go `[]string`; kept apart from `List` only for `%T`/`typeOf` and typed parameters.
    StringList(Arc<Vec<Arc<str>>>),
    /// Helm's `common.VersionSet` (`.Capabilities.APIVersions`): a named `[]string` with a
    /// `Has` method; it reads like `StringList` but is its own type to `%T` and `deepEqual`.
    VersionSet(Arc<Vec<Arc<str>>>),
    /// Go `map[string]interface{}`.
    Map(Arc<Map>),
    /// Another Go map type ([`MapType`]): `reflect` reads it like `Map`, but it is not a
    /// `map[string]interface{}` to type switches (`dig`), `%T` or typed parameters.
    NamedMap(MapType, Arc<Map>),
    /// Go `[]int` (`until`, `untilStep`): elements are `Int`; otherwise like `List`.
    IntList(Arc<Vec<Value>>),
    /// A Go struct or pointer with fields and methods (`.Files`, `.Chart`, a semver version).
    Object(Arc<dyn Object>),
}

/// The Go map types besides `map[string]interface{}` that templates meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapType {
    /// Helm's `common.Values` (`.`, `.Values`, `.Template`): a named
    /// `map[string]interface{}`, so a map parameter takes it (as a plain map).
    Values,
    /// `map[string]string` (`split`, `splitn`): its values are all `String`.
    StringMap,
}

impl MapType {
    pub fn go_name(self) -> &'static str {
        match self {
            MapType::Values => "common.Values",
            MapType::StringMap => "map[string]string",
        }
    }
}

/// A Go parameter or result type, as far as text/template's argument checks can tell them
/// apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`: anything, nil included.
    Any,
    String,
    /// Go `int`.
    Int,
    Int64,
    Float64,
    Bool,
    /// `[]interface{}`.
    List,
    /// `[]string`.
    StringList,
    /// `map[string]interface{}`.
    Map,
    /// `[]byte`.
    Bytes,
    /// Any other Go type, by the name `%T` prints (`time.Time`, `*semver.Version`): a value
    /// fits when its [`Value::type_name`] is exactly this.
    Named(&'static str),
}

impl Ty {
    /// The Go spelling, for error messages (`expected string`).
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::String => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::StringList => "[]string",
            Ty::Map => "map[string]interface {}",
            Ty::Bytes => "[]uint8",
            Ty::Named(n) => n,
        }
    }
}

/// A Go struct (or pointer to one) exposed to templates.
pub trait Object: Send + Sync {
    /// The Go type as `%T` prints it (`*chart.Metadata`, `chart.Files`).
    fn type_name(&self) -> &str;
    /// Reads an exported field or calls a method that takes no arguments (`.Name`,
    /// `.Major`). `None` means the type has no such field or method.
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls a method with arguments (`.Files.Get "a"`, `.APIVersions.Has "v1"`). `None`
    /// means no such method; `Some(Err(msg))` is the method's own error.
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let _ = (name, args);
        None
    }
    /// The Go parameter types of method `name`, when it has arguments: the executor then
    /// checks and converts them as it does for functions (`wrong number of args`,
    /// `can't handle "x" for arg of type *semver.Version`). `None`: the method checks itself.
    fn method_params(&self, name: &str) -> Option<(&'static [Ty], Option<Ty>)> {
        let _ = name;
        None
    }
    /// Whether `name` is a method (so `.X` with arguments is allowed).
    fn has_method(&self, name: &str) -> bool {
        let _ = name;
        false
    }
    /// The value `encoding/json` would marshal (struct json tags applied), for `toJson`/`toYaml`.
    fn to_json(&self) -> serde_json::Value;
    /// For structs: the fields `encoding/json` marshals, by JSON name in declaration order
    /// (`toJson` keeps that order; [`Object::to_json`] cannot). `None`: use `to_json`.
    fn json_fields(&self) -> Option<Vec<(&str, Value)>> {
        None
    }
    /// What `fmt`'s `%v` prints for it.
    fn go_format(&self) -> String;
    /// Go truthiness: a struct is always true; a nil pointer false.
    fn truthy(&self) -> bool {
        true
    }
    /// For map-like types (`.Files`): the entries `range` visits, in key order. `None` means
    /// the type cannot be ranged over.
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}

impl Value {
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn map(m: Map) -> Value {
        Value::Map(Arc::new(m))
    }

    /// Go's nil `map[string]interface{}`, what a nil argument for a map parameter becomes:
    /// it reads as an empty map, but marshals as `null` and cannot be assigned to. It is one
    /// shared map, told apart by address ([`Value::is_nil_map`]).
    pub fn nil_map() -> Value {
        Value::Map(NIL_MAP.clone())
    }

    /// Whether `m` is the map of [`Value::nil_map`].
    pub fn is_nil_map(m: &Arc<Map>) -> bool {
        Arc::ptr_eq(m, &NIL_MAP)
    }

    /// The entries of any Go map value, as `reflect` reads them (`Map` or `NamedMap`).
    pub fn as_map(&self) -> Option<&Arc<Map>> {
        match self {
            Value::Map(m) | Value::NamedMap(_, m) => Some(m),
            _ => None,
        }
    }

    /// The elements of a `[]interface{}` or `[]int`.
    pub fn as_list(&self) -> Option<&Arc<Vec<Value>>> {
        match self {
            Value::List(l) | Value::IntList(l) => Some(l),
            _ => None,
        }
    }

    /// Go's type name as `%T` and Sprig's `typeOf` print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint64(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::StringList(_) => "[]string".into(),
            Value::VersionSet(_) => "common.VersionSet".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::NamedMap(t, _) => t.go_name().into(),
            Value::IntList(_) => "[]int".into(),
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's `reflect.Kind` name as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint64(_) => "uint64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Bytes(_)
            | Value::List(_)
            | Value::StringList(_)
            | Value::VersionSet(_)
            | Value::IntList(_) => "slice",
            Value::Map(_) | Value::NamedMap(..) => "map",
            Value::Object(o) => {
                if o.type_name().starts_with('*') {
                    "ptr"
                } else {
                    "struct"
                }
            }
        }
    }

    /// text/template's notion of truth (`if`, `with`, `and`, `or`, `not`): false for nil,
    /// false, zero numbers, and empty strings, slices and maps.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint64(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) | Value::IntList(l) => !l.is_empty(),
            Value::StringList(l) | Value::VersionSet(l) => !l.is_empty(),
            Value::Map(m) | Value::NamedMap(_, m) => !m.is_empty(),
            Value::Object(o) => o.truthy(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Converts JSON as Helm's values arrive (serde_json keeps integer vs float): integers
    /// become `int64`, anything with a fraction or exponent `float64`.
    pub fn from_json(v: &serde_json::Value) -> Value {
        // The `Deserialize` impl below holds the rules; a JSON tree always deserializes.
        serde::Deserialize::deserialize(v).unwrap_or(Value::Nil)
    }

    /// What Go's `encoding/json` would marshal: floats stay floats, `[]byte` becomes base64,
    /// structs use their JSON field names.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Nil => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) | Value::Int64(i) => J::from(*i),
            Value::Uint64(u) => J::from(*u),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Bytes(b) => J::String(crate::base64_std(b)),
            Value::List(l) | Value::IntList(l) => J::Array(l.iter().map(Value::to_json).collect()),
            Value::StringList(l) | Value::VersionSet(l) => {
                J::Array(l.iter().map(|s| J::String(s.to_string())).collect())
            }
            Value::Map(m) if Value::is_nil_map(m) => J::Null,
            Value::Map(m) | Value::NamedMap(_, m) => {
                J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Object(o) => o.to_json(),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "int({i})"),
            Value::Int64(i) => write!(f, "int64({i})"),
            Value::Uint64(u) => write!(f, "uint64({u})"),
            Value::Float(x) => write!(f, "float64({x})"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "bytes({b:?})"),
            Value::List(l) | Value::IntList(l) => f.debug_list().entries(l.iter()).finish(),
            Value::StringList(l) | Value::VersionSet(l) => {
                f.debug_list().entries(l.iter()).finish()
            }
            Value::Map(m) | Value::NamedMap(_, m) => f.debug_map().entries(m.iter()).finish(),
            Value::Object(o) => write!(f, "{}({})", o.type_name(), o.go_format()),
        }
    }
}

/// Decodes JSON into values: integers `int64` (or `float64` beyond its range), numbers with
/// a fraction or exponent `float64`. From text this builds no intermediate tree, so a big
/// values file is decoded in a third less memory; [`Value::from_json`] uses it on a tree.
impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int64(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map_or(Value::Float(u as f64), Value::Int64))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::list(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(Value::map(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nil_map_is_one_shared_map() {
        let Value::Map(m) = Value::nil_map() else {
            panic!("not a map")
        };
        assert!(Value::is_nil_map(&m));
        assert!(!Value::is_nil_map(&Arc::new(Map::new())));
        assert_eq!(Value::nil_map().to_json(), serde_json::Value::Null);
        // Changing it makes a new map; the nil map stays empty.
        let mut c = m.clone();
        Arc::make_mut(&mut c).insert("a".into(), Value::Nil);
        assert!(!Value::is_nil_map(&c) && m.is_empty());
    }

    #[test]
    fn named_types_read_like_their_kind() {
        let m = Arc::new(Map::from([("a".to_string(), Value::str("x"))]));
        let v = Value::NamedMap(MapType::Values, m.clone());
        assert_eq!(
            (v.type_name().as_str(), v.kind_name()),
            ("common.Values", "map")
        );
        assert!(v.as_map().is_some_and(|x| Arc::ptr_eq(x, &m)));
        let s = Value::NamedMap(MapType::StringMap, m);
        assert_eq!(s.type_name(), "map[string]string");
        let l = Value::IntList(Arc::new(vec![Value::Int(0)]));
        assert_eq!((l.type_name().as_str(), l.kind_name()), ("[]int", "slice"));
        assert_eq!(l.as_list().map(|x| x.len()), Some(1));
        assert_eq!(
            Value::Uint64(u64::MAX).to_json(),
            serde_json::json!(u64::MAX)
        );
    }
    /// Decoding JSON text directly gives what converting the parsed tree gives, Go types
    /// included (compared through `%#v`-like debug shapes: the variant and the value).
    #[test]
    fn decoding_json_text_matches_converting_a_tree() {
        fn shape(v: &Value) -> String {
            match v {
                Value::Nil => "nil".into(),
                Value::Bool(b) => format!("bool {b}"),
                Value::Int64(i) => format!("int64 {i}"),
                Value::Float(f) => format!("float64 {f:?}"),
                Value::String(s) => format!("string {s:?}"),
                Value::List(l) => {
                    format!("[{}]", l.iter().map(shape).collect::<Vec<_>>().join(", "))
                }
                Value::Map(m) => format!(
                    "{{{}}}",
                    m.iter()
                        .map(|(k, v)| format!("{k:?}: {}", shape(v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => "other".into(),
            }
        }
        for text in [
            r#"{"a": 1, "b": 1.0, "c": -3, "d": 1e3, "e": 18446744073709551615, "f": 9223372036854775807}"#,
            r#"{"s": "x\u00e9", "n": null, "t": true, "l": [1, [2.5, {}], []], "m": {"z": {"y": "q"}}}"#,
            r#"{"dup": 1, "dup": 2}"#,
            "[]",
            "0",
        ] {
            let direct: Value = serde_json::from_str(text).expect("decodes");
            let tree: serde_json::Value = serde_json::from_str(text).expect("parses");
            assert_eq!(shape(&direct), shape(&Value::from_json(&tree)), "{text}");
        }
        assert!(serde_json::from_str::<Value>("{\"a\": }").is_err());
    }
}
