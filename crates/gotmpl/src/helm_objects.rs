//! The Go structs Helm hands to templates: `.Files`, `.Capabilities` (with `KubeVersion`
//! and `HelmVersion`), and the `.Chart` map built from `Chart.yaml`.

use std::collections::BTreeMap;
use std::sync::Arc;

use rudder_gocompat::gostr;
use serde_json::Value as J;

use crate::value::{Map, Object, Value};

/// `.Files`: Helm's `engine.files`, a `map[string][]byte` with methods.
pub struct Files {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    pub fn new(files: &[(String, Vec<u8>)]) -> Files {
        Files {
            files: files
                .iter()
                .map(|(k, v)| (k.clone(), Arc::from(v.as_slice())))
                .collect(),
        }
    }

    fn to_yaml(m: Map) -> Result<Value, String> {
        Ok(Value::str(
            crate::funcs::helm::yaml_of(&Value::map(m)).unwrap_or_default(),
        ))
    }
}

fn base_name(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "." } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn want_args(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() != n {
        return Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

fn string_arg(name: &str, args: &[Value]) -> Result<String, String> {
    want_args(name, args, 1)?;
    match &args[0] {
        Value::String(s) => Ok(s.to_string()),
        other => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn field(&self, name: &str) -> Option<Value> {
        if self.has_method(name) {
            return None;
        }
        // A map: a missing key is the zero `[]byte`.
        Some(Value::Bytes(
            self.files
                .get(name)
                .cloned()
                .unwrap_or_else(|| Arc::from(&[][..])),
        ))
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "Get" => string_arg(name, args).map(|p| {
                Value::str(
                    self.files
                        .get(&p)
                        .map(|b| gostr::from_bytes(b).into_owned())
                        .unwrap_or_default(),
                )
            }),
            "GetBytes" => string_arg(name, args).map(|p| {
                Value::Bytes(
                    self.files
                        .get(&p)
                        .cloned()
                        .unwrap_or_else(|| Arc::from(&[][..])),
                )
            }),
            "Glob" => string_arg(name, args).map(|pat| {
                let files = self
                    .files
                    .iter()
                    .filter(|(k, _)| glob_match(&pat, k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(Arc::new(Files { files }))
            }),
            "Lines" => string_arg(name, args).and_then(|p| {
                let lines: Vec<Arc<str>> = match self.files.get(&p) {
                    // Helm reads the last byte of the file without a length check.
                    Some(b) if b.is_empty() => {
                        return Err("runtime error: index out of range [-1]".into());
                    }
                    Some(b) => {
                        let s = gostr::from_bytes(b);
                        let s = s.strip_suffix('\n').unwrap_or(&s);
                        s.split('\n').map(Arc::from).collect()
                    }
                    None => Vec::new(),
                };
                Ok(Value::StringList(Arc::new(lines)))
            }),
            "AsConfig" | "AsSecrets" => {
                if let Err(e) = want_args(name, args, 0) {
                    return Some(Err(e));
                }
                let mut m = Map::new();
                for (k, v) in &self.files {
                    let s = if name == "AsConfig" {
                        gostr::from_bytes(v).into_owned()
                    } else {
                        crate::base64_std(v)
                    };
                    m.insert(base_name(k).to_string(), Value::str(s));
                }
                Files::to_yaml(m)
            }
            _ => return None,
        })
    }

    /// `engine.files` is a Go map: false when empty, as `if`/`and` see it.
    fn truthy(&self) -> bool {
        !self.files.is_empty()
    }

    fn entries(&self) -> Option<Vec<(String, Value)>> {
        Some(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), Value::Bytes(v.clone())))
                .collect(),
        )
    }

    fn to_json(&self) -> J {
        J::Object(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), J::String(crate::base64_std(v))))
                .collect(),
        )
    }

    fn go_format(&self) -> String {
        let mut s = String::from("map[");
        for (i, (k, v)) in self.files.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(k);
            s.push(':');
            crate::fmt::write_v(&mut s, &Value::Bytes(v.clone()));
        }
        s.push(']');
        s
    }
}

/// gobwas/glob with `/` as separator: `*` and `?` stay within a path segment, `**` crosses
/// them; `[...]`, `[!...]` and `{a,b}` as usual.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_rec(&p, &n)
}

fn glob_rec(p: &[char], n: &[char]) -> bool {
    if p.is_empty() {
        return n.is_empty();
    }
    match p[0] {
        '*' => {
            let super_star = p.len() > 1 && p[1] == '*';
            let rest = if super_star { &p[2..] } else { &p[1..] };
            for i in 0..=n.len() {
                if glob_rec(rest, &n[i..]) {
                    return true;
                }
                if i < n.len() && !super_star && n[i] == '/' {
                    return false;
                }
            }
            false
        }
        '?' => !n.is_empty() && n[0] != '/' && glob_rec(&p[1..], &n[1..]),
        '[' => {
            let Some(end) = p.iter().position(|&c| c == ']') else {
                return !n.is_empty() && n[0] == '[' && glob_rec(&p[1..], &n[1..]);
            };
            if n.is_empty() {
                return false;
            }
            let class = &p[1..end];
            let (neg, class) = match class.first() {
                Some('!') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    if class[i] <= n[0] && n[0] <= class[i + 2] {
                        hit = true;
                    }
                    i += 3;
                } else {
                    if class[i] == n[0] {
                        hit = true;
                    }
                    i += 1;
                }
            }
            hit != neg && glob_rec(&p[end + 1..], &n[1..])
        }
        '{' => {
            let Some(end) = p.iter().position(|&c| c == '}') else {
                return !n.is_empty() && n[0] == '{' && glob_rec(&p[1..], &n[1..]);
            };
            let body: String = p[1..end].iter().collect();
            body.split(',').any(|alt| {
                let mut q: Vec<char> = alt.chars().collect();
                q.extend_from_slice(&p[end + 1..]);
                glob_rec(&q, n)
            })
        }
        '\\' if p.len() > 1 => !n.is_empty() && n[0] == p[1] && glob_rec(&p[2..], &n[1..]),
        c => !n.is_empty() && n[0] == c && glob_rec(&p[1..], &n[1..]),
    }
}

/// A Go struct with fixed fields and an optional `String()` method.
pub struct Struct {
    pub type_name: String,
    pub fields: Vec<(&'static str, Value)>,
    /// Extra zero-argument methods.
    pub methods: Vec<(&'static str, Value)>,
    /// What `%v` prints (a Stringer's result, or the struct's fields).
    pub printed: String,
    /// The JSON name of each of `fields`, in declaration order (Go marshals structs in that
    /// order, not sorted).
    pub json_names: &'static [&'static str],
}

impl Object for Struct {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .chain(self.methods.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    fn to_json(&self) -> J {
        J::Object(
            self.json_fields()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_string(), v.to_json()))
                .collect(),
        )
    }

    fn json_fields(&self) -> Option<Vec<(&str, Value)>> {
        Some(
            self.json_names
                .iter()
                .zip(&self.fields)
                .map(|(k, (_, v))| (*k, v.clone()))
                .collect(),
        )
    }

    fn go_format(&self) -> String {
        self.printed.clone()
    }
}

fn jstr(v: Option<&J>) -> String {
    match v {
        Some(J::String(s)) => s.clone(),
        Some(J::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn get<'j>(o: &'j J, keys: &[&str]) -> Option<&'j J> {
    keys.iter().find_map(|k| o.get(k))
}

/// The version Helm's `KubeVersion.String()` prints: `v` + major.minor.patch.
fn normalized_version(v: &str) -> String {
    let t = v.trim_start_matches('v');
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    format!("v{}", &t[..end].trim_end_matches('.'))
}

/// Builds `.Capabilities` from the job's JSON.
pub fn capabilities(caps: &J) -> Value {
    let kv = get(caps, &["KubeVersion", "kubeVersion"])
        .cloned()
        .unwrap_or(J::Null);
    let version = jstr(get(
        &kv,
        &["Version", "version", "GitVersion", "gitVersion"],
    ));
    let major = jstr(get(&kv, &["Major", "major"]));
    let minor = jstr(get(&kv, &["Minor", "minor"]));
    let normalized = normalized_version(&version);
    let kube = Struct {
        type_name: "common.KubeVersion".into(),
        fields: vec![
            ("Version", Value::str(version.as_str())),
            ("Major", Value::str(major.as_str())),
            ("Minor", Value::str(minor.as_str())),
        ],
        methods: vec![
            ("String", Value::str(normalized.as_str())),
            ("GitVersion", Value::str(version.as_str())),
        ],
        printed: format!("{{{version} {normalized} {major} {minor}}}"),
        json_names: &["Version", "Major", "Minor"],
    };
    let apis: Vec<Arc<str>> = match get(caps, &["APIVersions", "apiVersions"]) {
        Some(J::Array(a)) => a.iter().map(|v| Arc::from(jstr(Some(v)))).collect(),
        _ => Vec::new(),
    };
    let hv = get(caps, &["HelmVersion", "helmVersion"])
        .cloned()
        .unwrap_or(J::Null);
    let hf = |go: &str, js: &str| jstr(get(&hv, &[go, js]));
    let hvals = [
        hf("Version", "version"),
        hf("GitCommit", "git_commit"),
        hf("GitTreeState", "git_tree_state"),
        hf("GoVersion", "go_version"),
        hf("KubeClientVersion", "kube_client_version"),
    ];
    let helm_printed = format!("{{{}}}", hvals.join(" "));
    let helm = Struct {
        type_name: "version.BuildInfo".into(),
        fields: vec![
            ("Version", Value::str(hvals[0].as_str())),
            ("GitCommit", Value::str(hvals[1].as_str())),
            ("GitTreeState", Value::str(hvals[2].as_str())),
            ("GoVersion", Value::str(hvals[3].as_str())),
            ("KubeClientVersion", Value::str(hvals[4].as_str())),
        ],
        methods: vec![],
        printed: helm_printed.clone(),
        json_names: &[
            "version",
            "git_commit",
            "git_tree_state",
            "go_version",
            "kube_client_version",
        ],
    };
    let printed = format!(
        "{{{{{} {} {} {}}} [{}] {}}}",
        version,
        normalized,
        major,
        minor,
        apis.iter().map(|s| &**s).collect::<Vec<_>>().join(" "),
        helm_printed
    );
    Value::Object(Arc::new(Struct {
        type_name: "*common.Capabilities".into(),
        fields: vec![
            ("KubeVersion", Value::Object(Arc::new(kube))),
            ("APIVersions", Value::VersionSet(Arc::new(apis))),
            ("HelmVersion", Value::Object(Arc::new(helm))),
        ],
        methods: vec![],
        printed,
        json_names: &["KubeVersion", "APIVersions", "HelmVersion"],
    }))
}

/// A nil `map[string]string` (absent annotations): prints `map[]`, marshals as null.
struct NilStringMap;

impl Object for NilStringMap {
    fn type_name(&self) -> &str {
        "map[string]string"
    }
    fn field(&self, _: &str) -> Option<Value> {
        Some(Value::str(""))
    }
    fn to_json(&self) -> J {
        J::Null
    }
    fn go_format(&self) -> String {
        "map[]".into()
    }
    fn truthy(&self) -> bool {
        false
    }
}

fn str_list(v: Option<&J>) -> Value {
    struct_list(v, |x| Value::str(jstr(Some(x))))
}

fn struct_list(v: Option<&J>, f: impl Fn(&J) -> Value) -> Value {
    match v {
        Some(J::Array(a)) => Value::list(a.iter().map(f).collect()),
        _ => Value::list(Vec::new()),
    }
}

/// The string fields of a struct built from the JSON object `x`: each Go field name with the
/// JSON key it comes from.
fn str_fields(x: &J, fields: &[(&str, &str)]) -> Map {
    fields
        .iter()
        .map(|(field, key)| (field.to_string(), Value::str(jstr(x.get(key)))))
        .collect()
}

/// A `bool` field: true only where the JSON says `true`.
fn bool_field(v: Option<&J>) -> Value {
    Value::Bool(matches!(v, Some(J::Bool(true))))
}

/// `.Chart`: Helm 4 turns `*chart.Metadata` into a map keyed by the Go field names, plus
/// `IsRoot`.
pub fn chart_map(meta: &J, is_root: bool) -> Value {
    let mut m = str_fields(
        meta,
        &[
            ("Name", "name"),
            ("Home", "home"),
            ("Version", "version"),
            ("Description", "description"),
            ("Icon", "icon"),
            ("APIVersion", "apiVersion"),
            ("Condition", "condition"),
            ("Tags", "tags"),
            ("AppVersion", "appVersion"),
            ("KubeVersion", "kubeVersion"),
            ("Type", "type"),
        ],
    );
    m.insert("Sources".into(), str_list(meta.get("sources")));
    m.insert("Keywords".into(), str_list(meta.get("keywords")));
    m.insert(
        "Maintainers".into(),
        struct_list(meta.get("maintainers"), |x| {
            Value::map(str_fields(
                x,
                &[("Name", "name"), ("Email", "email"), ("URL", "url")],
            ))
        }),
    );
    m.insert("Deprecated".into(), bool_field(meta.get("deprecated")));
    m.insert(
        "Annotations".into(),
        match meta.get("annotations") {
            Some(J::Object(o)) => Value::map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::str(jstr(Some(v)))))
                    .collect(),
            ),
            _ => Value::Object(Arc::new(NilStringMap)),
        },
    );
    m.insert(
        "Dependencies".into(),
        struct_list(meta.get("dependencies"), |x| {
            let mut d = str_fields(
                x,
                &[
                    ("Name", "name"),
                    ("Version", "version"),
                    ("Repository", "repository"),
                    ("Condition", "condition"),
                    ("Alias", "alias"),
                ],
            );
            d.insert("Tags".into(), str_list(x.get("tags")));
            d.insert("Enabled".into(), bool_field(x.get("enabled")));
            d.insert(
                "ImportValues".into(),
                struct_list(x.get("import-values"), Value::from_json),
            );
            Value::map(d)
        }),
    );
    m.insert("IsRoot".into(), Value::Bool(is_root));
    Value::map(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("files/*.txt", "files/a.txt"));
        assert!(!glob_match("files/*.txt", "files/x/a.txt"));
        assert!(glob_match("files/**", "files/x/a.txt"));
        assert!(glob_match("{a,b}.yaml", "b.yaml"));
        assert!(glob_match("[a-c]?.md", "bx.md"));
    }

    #[test]
    fn kube_version() {
        assert_eq!(normalized_version("v1.33.4-gke.1"), "v1.33.4");
    }
}
