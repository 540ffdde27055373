//! `sigs.k8s.io/yaml.Unmarshal` into a Go struct, as far as Helm's lint rules see it: the
//! YAML is read with [`rudder_yaml::from_str_typed`], then decoded like `encoding/json` into a
//! struct described by a [`Ty`]: keys matched case-insensitively, visited in sorted order
//! (the YAML goes through a Go map and `json.Marshal`), scalars meeting a `string` field
//! turned into strings (sigs.k8s.io/yaml's target-aware conversion), and the first type
//! mismatch (or, strictly, the first unknown field) kept as the error, in Go's words.

use serde_json::{Map, Value};

/// A Go type.
#[derive(Clone, Copy)]
pub enum Ty {
    Str,
    Bool,
    /// `interface{}`: anything goes.
    Any,
    /// `[]T`, the Go spelling of the whole type, e.g. `[]string`.
    List(&'static Ty, &'static str),
    /// `map[string]T`.
    Map(&'static Ty, &'static str),
    /// A struct (or a pointer to one: `null` elements give `None`).
    Struct(&'static Struct),
}

/// A Go struct: its type name as `%v` prints it (`v2.Metadata`), the short name used in
/// `Go struct field NAME.path` and its fields (JSON name, Go name when untagged, type).
pub struct Struct {
    pub go_type: &'static str,
    pub short: &'static str,
    pub fields: &'static [Field],
}

pub struct Field {
    /// The name used to match keys and in error paths (`name`, or `Kind` when untagged).
    pub name: &'static str,
    pub ty: Ty,
}

impl Ty {
    fn go_name(&self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Bool => "bool",
            Ty::Any => "interface {}",
            Ty::List(_, n) | Ty::Map(_, n) => n,
            Ty::Struct(s) => s.go_type,
        }
    }
}

/// The decoded value: strings, lists, structs (field values by field name; missing fields
/// absent), `Null` for Go's nil/zero and `Other` for the rest.
#[derive(Debug, Clone, Default)]
pub enum Go {
    #[default]
    Null,
    Str(String),
    List(Vec<Go>),
    Struct(Vec<(&'static str, Go)>),
    /// A boolean, a map or an `interface{}` value: nothing Helm's rules read.
    Other,
}

impl Go {
    pub fn field(&self, name: &str) -> &Go {
        static NULL: Go = Go::Null;
        match self {
            Go::Struct(fields) => fields
                .iter()
                .rev()
                .find(|(n, _)| *n == name)
                .map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    /// Whether the struct had key `name` (even as `null`).
    pub fn has(&self, name: &str) -> bool {
        matches!(self, Go::Struct(fields) if fields.iter().any(|(n, _)| *n == name))
    }

    pub fn str(&self, name: &str) -> &str {
        match self.field(name) {
            Go::Str(s) => s,
            _ => "",
        }
    }

    pub fn list(&self, name: &str) -> &[Go] {
        match self.field(name) {
            Go::List(l) => l,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Go::Null)
    }
}

struct Decoder {
    strict: bool,
    /// sigs.k8s.io/yaml's conversion of scalars for `string` fields (off for plain JSON).
    convert: bool,
    error: Option<String>,
    stack: Vec<&'static str>,
    current: &'static str,
}

impl Decoder {
    fn save(&mut self, e: String) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn type_error(&mut self, v: &Value, ty: &Ty) {
        let what = rudder_gocompat::json::kind(v);
        let target = ty.go_name();
        let msg = if self.stack.is_empty() {
            format!("json: cannot unmarshal {what} into Go value of type {target}")
        } else {
            format!(
                "json: cannot unmarshal {what} into Go struct field {}.{} of type {target}",
                self.current,
                self.stack.join(".")
            )
        };
        self.save(msg);
    }

    fn decode(&mut self, v: &Value, ty: &Ty) -> Go {
        if v.is_null() {
            return Go::Null;
        }
        match ty {
            Ty::Any => Go::Other,
            Ty::Str => match v {
                Value::String(s) => Go::Str(s.clone()),
                _ if self.convert && rudder_yaml::go_string_of(v).is_some() => {
                    Go::Str(rudder_yaml::go_string_of(v).unwrap_or_default())
                }
                _ => {
                    self.type_error(v, ty);
                    Go::Null
                }
            },
            Ty::Bool => match v {
                Value::Bool(_) => Go::Other,
                _ => {
                    self.type_error(v, ty);
                    Go::Null
                }
            },
            Ty::List(elem, _) => match v {
                Value::Array(items) => {
                    Go::List(items.iter().map(|i| self.decode(i, elem)).collect())
                }
                _ => {
                    self.type_error(v, ty);
                    Go::Null
                }
            },
            Ty::Map(elem, _) => match v {
                Value::Object(m) => {
                    for (_, v) in sorted(m) {
                        self.decode(v, elem);
                    }
                    Go::Other
                }
                _ => {
                    self.type_error(v, ty);
                    Go::Null
                }
            },
            Ty::Struct(st) => match v {
                Value::Object(m) => self.decode_struct(m, st),
                _ => {
                    self.type_error(v, ty);
                    Go::Null
                }
            },
        }
    }

    fn decode_struct(&mut self, m: &Map<String, Value>, st: &'static Struct) -> Go {
        let mut out = Vec::new();
        for (k, v) in sorted(m) {
            let field = st
                .fields
                .iter()
                .find(|f| f.name == k)
                .or_else(|| st.fields.iter().find(|f| f.name.eq_ignore_ascii_case(k)));
            match field {
                Some(f) => {
                    let saved = self.current;
                    self.current = st.short;
                    self.stack.push(f.name);
                    let d = self.decode(v, &f.ty);
                    self.stack.pop();
                    self.current = saved;
                    out.push((f.name, d));
                }
                None => {
                    if self.strict {
                        self.save(format!(
                            "json: unknown field {}",
                            rudder_gocompat::quote::quote(k)
                        ));
                    }
                }
            }
        }
        Go::Struct(out)
    }
}

fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    v
}

/// Decodes the first YAML document of `text` into `ty` like `sigs.k8s.io/yaml.Unmarshal`
/// (`UnmarshalStrict` when `strict`). The error is sigs.k8s.io/yaml's whole message.
pub fn unmarshal(text: &str, ty: &Ty, strict: bool) -> Result<Go, String> {
    let v = rudder_yaml::from_str_typed(text).map_err(|e| e.sigs_message())?;
    if strict {
        let dups = duplicate_top_keys(text);
        if !dups.is_empty() {
            return Err(format!(
                "error converting YAML to JSON: yaml: unmarshal errors:\n{}",
                dups.join("\n")
            ));
        }
    }
    let mut d = Decoder {
        strict,
        convert: true,
        error: None,
        stack: Vec::new(),
        current: "",
    };
    let go = d.decode(&v, ty);
    match d.error {
        Some(e) => Err(format!("error unmarshaling JSON: while decoding JSON: {e}")),
        None => Ok(go),
    }
}

/// go-yaml v2's strict-mode complaint about a key repeated in the top-level block mapping
/// (`  line 5: key "name" already set in map`), one per repetition. Only plain or quoted
/// keys written at column 0 are seen; nested duplicates are not detected.
fn duplicate_top_keys(text: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("---") && !seen.is_empty() {
            break;
        }
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace()
            || matches!(
                first,
                '#' | '-' | '[' | '{' | '?' | '%' | '&' | '*' | '!' | '|' | '>'
            )
        {
            continue;
        }
        let key = if first == '"' || first == '\'' {
            let rest = &line[1..];
            match rest.find(first) {
                Some(end) if rest[end + 1..].trim_start().starts_with(':') => {
                    rest[..end].to_string()
                }
                _ => continue,
            }
        } else {
            match line
                .find(": ")
                .or_else(|| line.strip_suffix(':').map(str::len))
            {
                Some(end) => line[..end].trim_end().to_string(),
                None => continue,
            }
        };
        if seen.contains(&key) {
            out.push(format!(
                "  line {}: key {} already set in map",
                i + 1,
                rudder_gocompat::quote::quote(&key)
            ));
        } else {
            seen.push(key);
        }
    }
    out
}

// --- the types Helm decodes -------------------------------------------------------------

static ANY: Ty = Ty::Any;

pub static MAINTAINER: Struct = Struct {
    go_type: "v2.Maintainer",
    short: "Maintainer",
    fields: &[
        Field {
            name: "name",
            ty: Ty::Str,
        },
        Field {
            name: "email",
            ty: Ty::Str,
        },
        Field {
            name: "url",
            ty: Ty::Str,
        },
    ],
};

pub static DEPENDENCY: Struct = Struct {
    go_type: "v2.Dependency",
    short: "Dependency",
    fields: &[
        Field {
            name: "name",
            ty: Ty::Str,
        },
        Field {
            name: "version",
            ty: Ty::Str,
        },
        Field {
            name: "repository",
            ty: Ty::Str,
        },
        Field {
            name: "condition",
            ty: Ty::Str,
        },
        Field {
            name: "tags",
            ty: Ty::List(&Ty::Str, "[]string"),
        },
        Field {
            name: "enabled",
            ty: Ty::Bool,
        },
        Field {
            name: "import-values",
            ty: Ty::List(&ANY, "[]interface {}"),
        },
        Field {
            name: "alias",
            ty: Ty::Str,
        },
    ],
};

/// Helm's `chart.Metadata` (pkg/chart/v2).
pub static METADATA: Struct = Struct {
    go_type: "v2.Metadata",
    short: "Metadata",
    fields: &[
        Field {
            name: "name",
            ty: Ty::Str,
        },
        Field {
            name: "home",
            ty: Ty::Str,
        },
        Field {
            name: "sources",
            ty: Ty::List(&Ty::Str, "[]string"),
        },
        Field {
            name: "version",
            ty: Ty::Str,
        },
        Field {
            name: "description",
            ty: Ty::Str,
        },
        Field {
            name: "keywords",
            ty: Ty::List(&Ty::Str, "[]string"),
        },
        Field {
            name: "maintainers",
            ty: Ty::List(&Ty::Struct(&MAINTAINER), "[]*v2.Maintainer"),
        },
        Field {
            name: "icon",
            ty: Ty::Str,
        },
        Field {
            name: "apiVersion",
            ty: Ty::Str,
        },
        Field {
            name: "condition",
            ty: Ty::Str,
        },
        Field {
            name: "tags",
            ty: Ty::Str,
        },
        Field {
            name: "appVersion",
            ty: Ty::Str,
        },
        Field {
            name: "deprecated",
            ty: Ty::Bool,
        },
        Field {
            name: "annotations",
            ty: Ty::Map(&Ty::Str, "map[string]string"),
        },
        Field {
            name: "kubeVersion",
            ty: Ty::Str,
        },
        Field {
            name: "dependencies",
            ty: Ty::List(&Ty::Struct(&DEPENDENCY), "[]*v2.Dependency"),
        },
        Field {
            name: "type",
            ty: Ty::Str,
        },
    ],
};

pub static K8S_METADATA: Struct = Struct {
    go_type: "rules.k8sYamlMetadata",
    short: "k8sYamlMetadata",
    fields: &[
        Field {
            name: "Namespace",
            ty: Ty::Str,
        },
        Field {
            name: "Name",
            ty: Ty::Str,
        },
    ],
};

/// The stub Helm's template and CRD rules decode each document into.
pub static K8S_STRUCT: Struct = Struct {
    go_type: "rules.k8sYamlStruct",
    short: "k8sYamlStruct",
    fields: &[
        Field {
            name: "apiVersion",
            ty: Ty::Str,
        },
        Field {
            name: "Kind",
            ty: Ty::Str,
        },
        Field {
            name: "Metadata",
            ty: Ty::Struct(&K8S_METADATA),
        },
    ],
};

/// Decodes one already-read YAML document into the k8s stub, as `sigs.k8s.io/yaml` does.
pub fn decode_k8s(v: &Value) -> Result<Go, String> {
    decode_k8s_with(v, true)
        .map_err(|e| format!("error unmarshaling JSON: while decoding JSON: {e}"))
}

/// Decodes one JSON value into the k8s stub with plain `encoding/json` (no scalar
/// conversion; the error is `json: ...` as Go prints it).
pub fn decode_k8s_json(v: &Value) -> Result<Go, String> {
    decode_k8s_with(v, false)
}

fn decode_k8s_with(v: &Value, convert: bool) -> Result<Go, String> {
    let mut d = Decoder {
        strict: false,
        convert,
        error: None,
        stack: Vec::new(),
        current: "",
    };
    let go = d.decode(v, &Ty::Struct(&K8S_STRUCT));
    match d.error {
        Some(e) => Err(e),
        None => Ok(go),
    }
}
