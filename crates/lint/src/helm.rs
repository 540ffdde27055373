//! Helm's own lint rules (`helm lint`, Helm v4.1.4's `pkg/chart/v2/lint`), with Helm's
//! severities, messages and order, judged from the chart's files, the names of its
//! subcharts and the rendered text of its templates.
//!
//! Helm runs five rule groups in turn: Chartfile, ValuesWithOverrides, Templates,
//! Dependencies and Crds. The host does what needs loading or rendering, and prints those
//! findings itself, in Helm's place in the order:
//! - a chart that fails to load (`[ERROR] templates/: <load error>` and
//!   `[ERROR] : unable to load chart\n\t<load error>`),
//! - the values' schema validation (`[ERROR] values.yaml: <schema errors>` and the
//!   `[ERROR] templates/: values don't meet the specifications ...` line),
//! - the render error (`[ERROR] templates/: <render error>`).
//!
//! Everything else is here: [`check`] returns the findings in Helm's order, each with
//! `file` set to the path Helm prints before the message (`Chart.yaml`, `values.yaml`,
//! `templates/`, `templates/x.yaml`, `crds/x.yaml`; [`CHART_DIR`] for the Dependencies
//! findings, where Helm prints the chart's directory).

mod godecode;
mod govalidator;

use crate::model::{Chart, Finding, Rule, Severity};
use godecode::Go;
use rudder_gocompat::quote::quote;
use serde_json::Value;

/// The `file` of the Dependencies findings: Helm prints the chart's (absolute) directory
/// there; the host prints the chart path as it was given.
pub const CHART_DIR: &str = ".";

macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident, $desc:literal;)*) => {
        $(pub const $name: Rule = Rule { id: $id, severity: Severity::$sev, description: $desc };)*
        static RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    CHART_YAML = "helm/chart-yaml", Error, "Chart.yaml must parse into Helm's chart metadata";
    CHART_YAML_STRICT = "helm/chart-yaml-strict", Warning, "Chart.yaml must have no unknown fields or repeated keys";
    CHART_NAME = "helm/chart-name", Error, "the chart needs a name that is a single path element";
    CHART_API_VERSION = "helm/chart-api-version", Error, "apiVersion must be v1 or v2";
    CHART_VERSION = "helm/chart-version", Error, "version must be a string holding a SemVer above 0.0.0-0";
    CHART_APP_VERSION = "helm/chart-app-version", Error, "appVersion must be a string";
    CHART_MAINTAINERS = "helm/chart-maintainers", Error, "each maintainer needs a name, a valid email and a valid URL";
    CHART_SOURCES = "helm/chart-sources", Error, "each source must be a valid URL";
    CHART_ICON_PRESENT = "helm/chart-icon-present", Info, "an icon is recommended";
    CHART_ICON = "helm/chart-icon", Error, "the icon must be a valid URL";
    CHART_TYPE = "helm/chart-type", Error, "type is only valid in apiVersion v2";
    CHART_DEPENDENCIES = "helm/chart-dependencies", Error, "dependencies in Chart.yaml are only valid in apiVersion v2";
    CHART_VERSION_SEMVER2 = "helm/chart-version-semver2", Warning, "version should be a strict SemVer 2 version";
    VALUES = "helm/values", Info, "the chart should have a values.yaml";
    VALUES_YAML = "helm/values-yaml", Error, "values.yaml must parse";
    TEMPLATES = "helm/templates", Warning, "the chart should have a templates/ directory";
    TEMPLATE_EXTENSION = "helm/template-extension", Error, "templates must end in .yaml, .yml, .tpl or .txt";
    TEMPLATE_INDENT = "helm/template-indent", Warning, "a rendered template must not start indented";
    TEMPLATE_YAML = "helm/template-yaml", Error, "a rendered template must be valid YAML";
    METADATA_NAME = "helm/metadata-name", Warning, "metadata.name must follow the naming rules of its kind";
    DEPRECATED_API = "helm/deprecated-api", Warning, "rendered objects should not use deprecated or removed APIs";
    MATCH_SELECTOR = "helm/match-selector", Error, "workloads must have matchLabels or matchExpressions";
    LIST_ANNOTATIONS = "helm/list-annotations", Error, "helm.sh/resource-policy is ignored inside List objects";
    DEPENDENCIES = "helm/dependencies", Error, "subcharts present must be declared, names and aliases unique";
    DEPENDENCIES_PRESENT = "helm/dependencies-present", Warning, "declared dependencies should be present in charts/";
    CRDS = "helm/crds", Error, "files in crds/ must be CustomResourceDefinitions";
}

/// Every rule of this family, in Helm's order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// Runs Helm's rules on `chart`. `deprecation(api_version, kind)` is Helm's deprecated-API
/// check of each rendered object (the message, or `None`), called at Helm's place in the
/// template loop; its findings are [`DEPRECATED_API`] warnings.
///
/// Two things Helm knows from loading and rendering are inferred here: the chart loads when
/// Chart.yaml decodes and passes Helm's `Metadata.Validate`, requirements.yaml (if any)
/// decodes and values.yaml parses (otherwise the template, Dependencies and Crds rules stay
/// silent, as in Helm, where the host reports the load error); and the render failed when
/// `chart.rendered` is empty although some template is not a partial (`_*`) of a non-library
/// chart (then the template loop is skipped, the host reporting the render error).
pub fn check(chart: &Chart, deprecation: &dyn Fn(&str, &str) -> Option<String>) -> Vec<Finding> {
    check_parsed(chart, deprecation, &|_, _| None)
}

/// [`check`], given the documents the host already parsed: `parsed(template, text)` is the
/// object of the document of `template` (chart-qualified) whose text is `text`, trimmed,
/// when the host has it. The host parses with the same YAML reader, so a document whose
/// text is the same gives the same object; others are parsed here.
pub fn check_parsed<'v>(
    chart: &Chart,
    deprecation: &dyn Fn(&str, &str) -> Option<String>,
    parsed: &dyn Fn(&str, &str) -> Option<&'v Value>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let meta = chartfile(chart, &mut out);
    values(chart, &mut out);
    let deps = declared_dependencies(chart, meta.as_ref());
    // A chart the host loaded passed everything `chart_loads` checks (and more).
    let loads = deps
        .as_ref()
        .is_some_and(|d| chart.loaded || chart_loads(chart, meta.as_ref(), d));
    templates(chart, meta.as_ref(), loads, deprecation, parsed, &mut out);
    if let (true, Some(deps)) = (loads, &deps) {
        dependencies(chart, deps, &mut out);
    }
    crds(chart, loads, &mut out);
    out
}

fn text(chart: &Chart, path: &str) -> Option<String> {
    chart
        .file(path)
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
}

// --- Chartfile --------------------------------------------------------------------------

fn chartfile(chart: &Chart, out: &mut Vec<Finding>) -> Option<Go> {
    let f = "Chart.yaml";
    let src = text(chart, f)?;
    let meta_ty = godecode::Ty::Struct(&godecode::METADATA);
    let meta = match godecode::unmarshal(&src, &meta_ty, false) {
        Ok(m) => m,
        Err(e) => {
            out.push(Finding::file(
                &CHART_YAML,
                f,
                format!("unable to parse YAML\n\t{e}"),
            ));
            return None;
        }
    };
    if let Err(e) = godecode::unmarshal(&src, &meta_ty, true) {
        out.push(Finding::file(
            &CHART_YAML_STRICT,
            f,
            format!("failed to strictly parse chart metadata file\n\t{e}"),
        ));
    }
    let raw = match rudder_yaml::from_str(&src) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let mut push = |rule: &Rule, msg: Option<String>| {
        if let Some(m) = msg {
            out.push(Finding::file(rule, f, m));
        }
    };
    let name = meta.str("name");
    push(
        &CHART_NAME,
        if name.is_empty() {
            Some("name is required".into())
        } else if go_base(name) != name {
            Some(format!("chart name {} is invalid", quote(name)))
        } else {
            None
        },
    );
    let api = meta.str("apiVersion");
    push(
        &CHART_API_VERSION,
        if api.is_empty() {
            Some(r#"apiVersion is required. The value must be either "v1" or "v2""#.into())
        } else if api != "v1" && api != "v2" {
            Some(format!(
                r#"apiVersion '{api}' is not valid. The value must be either "v1" or "v2""#
            ))
        } else {
            None
        },
    );
    push(&CHART_VERSION, string_type(&raw, "version"));
    let version = meta.str("version");
    push(&CHART_VERSION, version_error(version));
    push(&CHART_APP_VERSION, string_type(&raw, "appVersion"));
    push(&CHART_MAINTAINERS, maintainers_error(&meta));
    push(
        &CHART_SOURCES,
        meta.list("sources").iter().find_map(|s| {
            let s = go_str(s);
            (s.is_empty() || !govalidator::is_request_url(s))
                .then(|| format!("invalid source URL '{s}'"))
        }),
    );
    let icon = meta.str("icon");
    push(
        &CHART_ICON_PRESENT,
        icon.is_empty().then(|| "icon is recommended".to_string()),
    );
    push(
        &CHART_ICON,
        (!icon.is_empty() && !govalidator::is_request_url(icon))
            .then(|| format!("invalid icon URL '{icon}'")),
    );
    push(
        &CHART_TYPE,
        (!meta.str("type").is_empty() && api != "v2").then(|| {
            format!("chart type is not valid in apiVersion '{api}'. It is valid in apiVersion 'v2'")
        }),
    );
    push(
        &CHART_DEPENDENCIES,
        (!meta.list("dependencies").is_empty() && api != "v2").then(|| {
            format!(
                "dependencies are not valid in the Chart file with apiVersion '{api}'. They are valid in apiVersion 'v2'"
            )
        }),
    );
    push(
        &CHART_VERSION_SEMVER2,
        strict_semver(version)
            .is_err()
            .then(|| format!("version '{version}' is not a valid SemVerV2")),
    );
    Some(meta)
}

fn go_str(v: &Go) -> &str {
    match v {
        Go::Str(s) => s,
        _ => "",
    }
}

/// Go's `filepath.Base` on a Unix path.
fn go_base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Go's `%T` of what `yaml.Unmarshal` into a `map[string]interface{}` gives.
fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn string_type(raw: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    let v = raw.get(key)?;
    let t = go_type_name(v);
    (t != "string").then(|| format!("{key} should be of type string but it's of type {t}"))
}

fn version_error(version: &str) -> Option<String> {
    use rudder_gocompat::semver::{Constraints, Version};
    if version.is_empty() {
        return Some("version is required".into());
    }
    let Ok(v) = Version::parse(version) else {
        return Some(format!("version '{version}' is not a valid SemVer"));
    };
    let c = Constraints::parse(">0.0.0-0").ok()?;
    (!c.check(&v)).then(|| format!("version {v} is less than or equal to 0.0.0-0"))
}

/// Masterminds' `StrictNewVersion`.
fn strict_semver(v: &str) -> Result<(), ()> {
    const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";
    let num = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let allowed = |s: &str| s.chars().all(|c| ALLOWED.contains(c));
    if v.is_empty() {
        return Err(());
    }
    let parts: Vec<&str> = v.splitn(3, '.').collect();
    let [major, minor, rest] = parts.as_slice() else {
        return Err(());
    };
    let mut patch = *rest;
    if let Some((p, meta)) = patch.split_once('+') {
        if !meta.split('.').all(allowed) {
            return Err(());
        }
        patch = p;
    }
    if let Some((p, pre)) = patch.split_once('-') {
        for part in pre.split('.') {
            if num(part) {
                if part.len() > 1 && part.starts_with('0') {
                    return Err(());
                }
            } else if !allowed(part) {
                return Err(());
            }
        }
        patch = p;
    }
    for p in [*major, *minor, patch] {
        if !num(p) || (p.len() > 1 && p.starts_with('0')) || p.parse::<u64>().is_err() {
            return Err(());
        }
    }
    Ok(())
}

fn maintainers_error(meta: &Go) -> Option<String> {
    for m in meta.list("maintainers") {
        if m.is_null() {
            return Some("a maintainer entry is empty".into());
        }
        let (name, email, url) = (m.str("name"), m.str("email"), m.str("url"));
        if name.is_empty() {
            return Some("each maintainer requires a name".into());
        } else if !email.is_empty() && !govalidator::is_email(email) {
            return Some(format!("invalid email '{email}' for maintainer '{name}'"));
        } else if !url.is_empty() && !govalidator::is_url(url) {
            return Some(format!("invalid url '{url}' for maintainer '{name}'"));
        }
    }
    None
}

/// The dependencies the loader ends up with: Chart.yaml's, replaced by those of a
/// (deprecated) `requirements.yaml` that has the key. `None` when requirements.yaml does
/// not decode (the chart does not load).
fn declared_dependencies(chart: &Chart, meta: Option<&Go>) -> Option<Vec<Go>> {
    let from_chart = || {
        meta.map(|m| m.list("dependencies").to_vec())
            .unwrap_or_default()
    };
    let Some(req) = text(chart, "requirements.yaml") else {
        return Some(from_chart());
    };
    let req = godecode::unmarshal(&req, &godecode::Ty::Struct(&godecode::METADATA), false).ok()?;
    if req.has("dependencies") {
        Some(req.list("dependencies").to_vec())
    } else {
        Some(from_chart())
    }
}

/// Whether Helm's loader would load the chart, as far as the files tell: Chart.yaml
/// parses and passes `Metadata.Validate` (with the dependencies the loader sees), and
/// values.yaml parses. (Broken subcharts, templates or lock files also stop the loader;
/// the host knows those.)
fn chart_loads(chart: &Chart, meta: Option<&Go>, deps: &[Go]) -> bool {
    let Some(meta) = meta else {
        return false;
    };
    let name = sanitize(meta.str("name"));
    if name.is_empty() || name == "." || name == ".." || go_base(&name) != name {
        return false;
    }
    let version = sanitize(meta.str("version"));
    if version.is_empty() || rudder_gocompat::semver::Version::parse(&version).is_err() {
        return false;
    }
    if !matches!(meta.str("type"), "" | "application" | "library") {
        return false;
    }
    if meta.list("maintainers").iter().any(Go::is_null) {
        return false;
    }
    let mut keys: Vec<String> = Vec::new();
    for d in deps {
        if d.is_null() {
            return false;
        }
        let alias = d.str("alias");
        if !alias.is_empty()
            && !alias
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return false;
        }
        let key = if alias.is_empty() {
            sanitize(d.str("name"))
        } else {
            alias.to_string()
        };
        if keys.contains(&key) {
            return false;
        }
        keys.push(key);
    }
    if let Some(v) = text(chart, "values.yaml")
        && rudder_yaml::load_values(&v).is_err()
    {
        return false;
    }
    true
}

/// Helm's `sanitizeString`: white space becomes a space, unprintable characters go.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if rudder_gocompat::quote::is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

// --- Values -----------------------------------------------------------------------------

fn values(chart: &Chart, out: &mut Vec<Finding>) {
    let f = "values.yaml";
    let Some(src) = text(chart, f) else {
        out.push(Finding::file(&VALUES, f, "file does not exist"));
        return;
    };
    // The loader read every document of values.yaml into a map: the first parses.
    if chart.loaded {
        return;
    }
    let err = match rudder_yaml::from_str(&src) {
        Err(e) => Some(e.sigs_message()),
        Ok(Value::Object(_) | Value::Null) => None,
        Ok(other) => Some(rudder_yaml::json_type_error(&other, "common.Values")),
    };
    if let Some(e) = err {
        out.push(Finding::file(
            &VALUES_YAML,
            f,
            format!("unable to parse YAML: {e}"),
        ));
    }
}

// --- Templates --------------------------------------------------------------------------

/// Go's `filepath.Ext`.
fn go_ext(path: &str) -> &str {
    let base = &path[path.rfind('/').map_or(0, |i| i + 1)..];
    base.rfind('.').map_or("", |i| &base[i..])
}

/// Files in the order Helm's directory loader walks them (`filepath.Walk`: lexical by
/// path element).
fn walk_order(mut paths: Vec<&str>) -> Vec<&str> {
    paths.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    paths
}

fn templates<'v>(
    chart: &Chart,
    meta: Option<&Go>,
    loads: bool,
    deprecation: &dyn Fn(&str, &str) -> Option<String>,
    parsed: &dyn Fn(&str, &str) -> Option<&'v Value>,
    out: &mut Vec<Finding>,
) {
    let dir = "templates/";
    let files = walk_order(
        chart
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with(dir))
            .collect(),
    );
    if files.is_empty() {
        out.push(Finding::file(&TEMPLATES, dir, "directory does not exist"));
        return;
    }
    if !loads {
        return; // the host reports the load error
    }
    let library = meta.is_some_and(|m| m.str("type") == "library");
    let renders_something = !library
        && files
            .iter()
            .any(|p| !p.rsplit('/').next().unwrap_or("").starts_with('_'));
    if chart.rendered.is_empty() && renders_something {
        return; // the render failed: the host reports it
    }
    for file in files {
        let ext = go_ext(file);
        if !matches!(ext, ".yaml" | ".yml" | ".tpl" | ".txt") {
            out.push(Finding::file(
                &TEMPLATE_EXTENSION,
                file,
                format!(
                    "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
                ),
            ));
        }
        let lower = ext.to_ascii_lowercase();
        if lower != ".yaml" && lower != ".yml" {
            continue;
        }
        // Helm's engine renders none of a library chart's templates.
        let Some(rendered) = rendered_text(chart, file).filter(|_| !library) else {
            continue;
        };
        if rendered.trim().is_empty() {
            continue;
        }
        if let Some(line) = rendered.lines().find(|l| !l.trim().is_empty())
            && line.starts_with([' ', '\t'])
        {
            out.push(Finding::file(
                &TEMPLATE_INDENT,
                file,
                format!(
                    "document starts with an illegal indent: {}, which may cause parsing problems",
                    quote(line)
                ),
            ));
        }
        let qualified = rendered_name(chart, file);
        let known = |doc: &str| parsed(qualified.unwrap_or(""), doc);
        for doc in decode_stream_with(rendered, &known) {
            let obj = match doc {
                Err(e) => {
                    out.push(Finding::file(
                        &TEMPLATE_YAML,
                        file,
                        format!("unable to parse YAML: {e}"),
                    ));
                    return;
                }
                Ok(None) => continue,
                Ok(Some(obj)) => obj,
            };
            let kind = obj.str("Kind");
            let name = obj.field("Metadata").str("Name");
            if let Some(m) = metadata_name_error(kind, name) {
                out.push(Finding::file(&METADATA_NAME, file, m));
            }
            // The deprecated-API check (crate::deprecated::helm_warning), given by the caller.
            if let Some(m) = deprecation(obj.str("apiVersion"), kind) {
                out.push(Finding::file(&DEPRECATED_API, file, m));
            }
            if matches!(
                kind,
                "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            ) && !rendered.contains("matchLabels")
                && !rendered.contains("matchExpressions")
            {
                out.push(Finding::file(
                    &MATCH_SELECTOR,
                    file,
                    format!(
                        "a {kind} must contain matchLabels or matchExpressions, and {} does not",
                        quote(name)
                    ),
                ));
            }
            if kind == "List"
                && let Some(m) = list_annotations_error(rendered)
            {
                out.push(Finding::file(&LIST_ANNOTATIONS, file, m));
            }
        }
    }
}

/// The rendered text of the root chart's template `file` (`templates/x.yaml`): the entry
/// named `<chart>/templates/x.yaml`.
fn rendered_name<'a>(chart: &'a Chart, file: &str) -> Option<&'a str> {
    chart
        .rendered
        .iter()
        .find(|(name, _)| name.split_once('/').is_some_and(|(_, rest)| rest == file))
        .map(|(n, _)| n.as_str())
}

fn rendered_text<'a>(chart: &'a Chart, file: &str) -> Option<&'a str> {
    chart
        .rendered
        .iter()
        .find(|(name, _)| name.split_once('/').is_some_and(|(_, rest)| rest == file))
        .map(|(_, t)| t.as_str())
}

/// `k8s.io/apimachinery`'s `YAMLOrJSONDecoder` decoding each document into Helm's
/// `*k8sYamlStruct`: `Ok(None)` for a null document, the error text for the first
/// document that does not decode (the caller stops there).
///
/// A stream starting with `{` is read as JSON (plain `encoding/json`: no scalar
/// conversion). When a JSON document fails and at most one has been read, the decoder falls
/// back to YAML from that document on (reporting the JSON error if YAML fails too).
fn decode_stream(text: &str) -> Vec<Result<Option<Go>, String>> {
    decode_stream_with(text, &|_| None)
}

/// [`decode_stream`], taking a document's object from `known` when it has it.
fn decode_stream_with<'v>(
    text: &str,
    known: &dyn Fn(&str) -> Option<&'v Value>,
) -> Vec<Result<Option<Go>, String>> {
    if text.trim_start().starts_with('{') {
        decode_json_stream(text)
    } else {
        decode_yaml_stream_with(text, known)
    }
}

fn decode_yaml_stream(text: &str) -> Vec<Result<Option<Go>, String>> {
    decode_yaml_stream_with(text, &|_| None)
}

/// Whether trimming `doc` cannot change what it parses to: it starts at column 0 and has
/// no block scalar that keeps trailing newlines.
fn trim_safe(doc: &str) -> bool {
    doc.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| !l.starts_with([' ', '\t']))
        && !doc.contains("|+")
        && !doc.contains(">+")
}

fn decode_yaml_stream_with<'v>(
    text: &str,
    known: &dyn Fn(&str) -> Option<&'v Value>,
) -> Vec<Result<Option<Go>, String>> {
    let mut out = Vec::new();
    let docs = match rudder_yaml::split_documents(text) {
        Ok(d) => d,
        Err(e) => return vec![Err(e.message)],
    };
    for doc in docs {
        if trim_safe(&doc)
            && let Some(v) = known(doc.trim())
        {
            out.push(if v.is_null() {
                Ok(None)
            } else {
                godecode::decode_k8s(v).map(Some)
            });
            if out.last().is_some_and(Result::is_err) {
                break;
            }
            continue;
        }
        let r = rudder_yaml::from_str_typed(&doc)
            .map_err(|e| e.sigs_message())
            .and_then(|v| {
                if v.is_null() {
                    Ok(None)
                } else {
                    godecode::decode_k8s(&v).map(Some)
                }
            });
        let stop = r.is_err();
        out.push(r);
        if stop {
            break;
        }
    }
    out
}

fn decode_json_stream(text: &str) -> Vec<Result<Option<Go>, String>> {
    let mut out = Vec::new();
    let mut count = 0;
    let mut consumed = 0;
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let item = stream.next();
        let err = match item {
            None => break,
            Some(Ok(v)) => {
                let r = if v.is_null() {
                    Ok(None)
                } else {
                    godecode::decode_k8s_json(&v).map(Some)
                };
                match r {
                    Ok(o) => {
                        out.push(Ok(o));
                        count += 1;
                        consumed = stream.byte_offset();
                        continue;
                    }
                    Err(e) => e,
                }
            }
            Some(Err(e)) => format!("json: offset {}: {e}", stream.byte_offset()),
        };
        if count > 1 {
            out.push(Err(err));
            break;
        }
        // Fall back to YAML from the failed document, after the blanks up to and
        // including the first newline.
        let rest = &text[consumed..];
        let blank = rest
            .char_indices()
            .find(|(_, c)| !c.is_whitespace() || *c == '\n')
            .map_or(rest.len(), |(i, c)| if c == '\n' { i + 1 } else { i });
        let mut yaml = decode_yaml_stream(&rest[blank..]);
        if let Some(first @ Err(_)) = yaml.first_mut() {
            *first = Err(err);
        }
        out.extend(yaml);
        break;
    }
    out
}

fn list_annotations_error(manifest: &str) -> Option<String> {
    let v = rudder_yaml::from_str(manifest).ok()?;
    let items = v
        .as_object()?
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("items"))
        .filter_map(|(_, v)| v.as_array())
        .next_back()?;
    let hit = items.iter().any(|i| {
        i.get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
            .is_some_and(|a| a.contains_key("helm.sh/resource-policy"))
    });
    hit.then(|| "annotation 'helm.sh/resource-policy' within List objects are ignored".into())
}

// --- metadata.name ----------------------------------------------------------------------

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut m = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            m.push_str(" or ");
        }
        m.push_str(&format!("'{e}', "));
    }
    m.push_str(&format!("regex used for validation is '{fmt}')"));
    m
}

fn is_label(s: &str, first_alpha: bool) -> bool {
    let b = s.as_bytes();
    let ok_end = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            (if first_alpha {
                f.is_ascii_lowercase()
            } else {
                ok_end(f)
            }) && ok_end(l)
                && b.iter().all(|c| ok_end(c) || *c == b'-')
        }
        _ => false,
    }
}

fn is_subdomain_shape(s: &str) -> bool {
    s.split('.').all(|l| is_label(l, false))
}

fn dns1123_subdomain(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !is_subdomain_shape(name) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            &format!("{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*"),
            &["example.com"],
        ));
    }
    errs
}

fn dns1123_label(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(name, false) {
        if is_subdomain_shape(name) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

fn dns1035_label(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(name, true) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn path_segment(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// Helm's `validateMetadataName`: the naming rule of the object's kind.
fn metadata_name_error(kind: &str, name: &str) -> Option<String> {
    let errs = match kind.to_lowercase().as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment(name),
        _ => dns1123_subdomain(name),
    };
    if errs.is_empty() {
        return None;
    }
    let q = quote(name);
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        let m = format!("metadata.name: Invalid value: {q}: {e}");
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    let agg = if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    };
    Some(format!(
        "object name does not conform to Kubernetes naming requirements: {q}: {agg}"
    ))
}

// --- Dependencies -----------------------------------------------------------------------

fn dependencies(chart: &Chart, deps: &[Go], out: &mut Vec<Finding>) {
    let declared: Vec<&str> = deps.iter().map(|d| d.str("name")).collect();
    let undeclared: Vec<&str> = chart
        .subcharts
        .iter()
        .map(String::as_str)
        .filter(|s| !declared.contains(s))
        .collect();
    if !undeclared.is_empty() {
        out.push(Finding::file(
            &DEPENDENCIES,
            CHART_DIR,
            format!(
                "chart metadata is missing these dependencies: {}",
                undeclared.join(",")
            ),
        ));
    }
    let mut keys: Vec<&str> = Vec::new();
    let mut shadowing: Vec<&str> = Vec::new();
    for d in deps {
        let key = if d.str("alias").is_empty() {
            d.str("name")
        } else {
            d.str("alias")
        };
        if keys.contains(&key) {
            shadowing.push(key);
        }
        keys.push(key);
    }
    if !shadowing.is_empty() {
        out.push(Finding::file(
            &DEPENDENCIES,
            CHART_DIR,
            format!(
                "multiple dependencies with name or alias: {}",
                shadowing.join(",")
            ),
        ));
    }
    let missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|d| !chart.subcharts.iter().any(|s| s == d))
        .collect();
    if !missing.is_empty() {
        out.push(Finding::file(
            &DEPENDENCIES_PRESENT,
            CHART_DIR,
            format!(
                "chart directory is missing these dependencies: {}",
                missing.join(",")
            ),
        ));
    }
}

// --- Crds -------------------------------------------------------------------------------

fn crds(chart: &Chart, loads: bool, out: &mut Vec<Finding>) {
    let files = walk_order(
        chart
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with("crds/"))
            .collect(),
    );
    if files.is_empty() || !loads {
        return;
    }
    for file in files {
        if !matches!(
            go_ext(file).to_ascii_lowercase().as_str(),
            ".yaml" | ".yml" | ".json"
        ) {
            continue;
        }
        let src = text(chart, file).unwrap_or_default();
        for doc in decode_stream(&src) {
            let obj = match doc {
                Err(e) => {
                    out.push(Finding::file(
                        &CRDS,
                        file,
                        format!("unable to parse YAML: {e}"),
                    ));
                    return;
                }
                Ok(None) => continue,
                Ok(Some(o)) => o,
            };
            if !obj.str("apiVersion").starts_with("apiextensions.k8s.io") {
                out.push(Finding::file(
                    &CRDS,
                    file,
                    "apiVersion is not in 'apiextensions.k8s.io'",
                ));
            }
            if obj.str("Kind") != "CustomResourceDefinition" {
                out.push(Finding::file(
                    &CRDS,
                    file,
                    "object kind is not 'CustomResourceDefinition'",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_semver_cases() {
        assert!(strict_semver("1.2.3").is_ok());
        assert!(strict_semver("1.2.3-rc.1+b.5").is_ok());
        assert!(strict_semver("v1.2.3").is_err());
        assert!(strict_semver("1.2").is_err());
        assert!(strict_semver("01.2.3").is_err());
        assert!(strict_semver("1.2.3-01").is_err());
    }

    #[test]
    fn bases() {
        assert_eq!(go_base("foo/bar"), "bar");
        assert_eq!(go_base("foo/"), "foo");
        assert_eq!(go_base("foo"), "foo");
    }

    #[test]
    fn names() {
        assert!(metadata_name_error("ConfigMap", "ok.name").is_none());
        assert!(metadata_name_error("Service", "1x").is_some());
        assert!(metadata_name_error("Role", "a:b").is_none());
    }
}
