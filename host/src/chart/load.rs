//! The loader proper: gathers a chart's files (directory walk or archive), then sorts them into
//! a [`Chart`] exactly as Helm's `LoadFiles` does.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::ignore::{HELMIGNORE, Rules};
use super::metadata::{API_VERSION_V1, Metadata, dependencies_from_json};
use super::yaml;
use super::{Chart, ChartError, File};

/// Helm's limit for one file of a chart (5 MiB).
const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Helm's limit for a whole decompressed archive (100 MiB).
const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn trim_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(BOM) {
        data.drain(..BOM.len());
    }
    data
}

/// Loads a chart from a directory or a `.tgz` archive.
pub fn load(path: &Path) -> Result<Chart, ChartError> {
    let meta = std::fs::metadata(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ChartError::NotFound {
                path: path.to_path_buf(),
                message: not_found_message(path),
            }
        } else {
            ChartError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    if meta.is_dir() {
        load_dir(path)
    } else {
        let data = std::fs::read(path).map_err(|source| ChartError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if !data.starts_with(b"\x1f\x8b") {
            let name = path.display().to_string();
            let message = if name.ends_with(".yml") || name.ends_with(".yaml") {
                "seems to be a YAML file, but expected a gzipped archive".to_string()
            } else {
                "does not appear to be a gzipped archive".to_string()
            };
            return Err(ChartError::Archive {
                path: path.to_path_buf(),
                message,
            });
        }
        load_archive_bytes(&data, path)
    }
}

/// What Helm says when the chart argument names nothing on disk: a path (absolute or
/// starting with `.`) is not found; anything else would be a chart in a repository, which
/// must be written `repo/chart`, and no repository is configured.
fn not_found_message(path: &Path) -> String {
    let name = path.to_string_lossy();
    if path.is_absolute() || name.starts_with('.') {
        format!("path {name:?} not found")
    } else if let Some((repo, _)) = name.split_once('/') {
        format!("repo {repo} not found")
    } else {
        format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}")
    }
}

/// Go's `filepath.Abs`: joined to the working directory and cleaned lexically.
fn go_abs(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The files of the chart at `path` (a directory, `.helmignore` applied, or a `.tgz`), as
/// loading reads them but before any is interpreted: what `lint` judges when a chart does
/// not load.
pub fn read_files(path: &Path) -> Result<Vec<File>, ChartError> {
    let io = |source| ChartError::Io {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).map_err(io)?.is_dir() {
        walk_chart_dir(path)
    } else {
        archive_files(&std::fs::read(path).map_err(io)?, path)
    }
}

/// Loads the chart at `path` from its files as [`read_files`] gave them, without reading
/// them again.
pub fn load_read(path: &Path, files: Vec<File>) -> Result<Chart, ChartError> {
    let dir = path.is_dir().then(|| path.to_path_buf());
    load_files(files, path.to_path_buf(), dir)
}

fn load_dir(dir: &Path) -> Result<Chart, ChartError> {
    let chart_yaml = dir.join("Chart.yaml");
    if !chart_yaml.is_file() {
        return Err(ChartError::NoChart { path: go_abs(dir) });
    }
    let files = walk_chart_dir(dir)?;
    load_files(files, dir.to_path_buf(), Some(dir.to_path_buf()))
}

fn walk_chart_dir(dir: &Path) -> Result<Vec<File>, ChartError> {
    let mut rules = Rules::default();
    let ifile = dir.join(HELMIGNORE);
    if ifile.exists() {
        let text = std::fs::read(&ifile).map_err(|source| ChartError::Io {
            path: ifile.clone(),
            source,
        })?;
        rules =
            Rules::parse(&String::from_utf8_lossy(&text)).map_err(|source| ChartError::Ignore {
                path: ifile.clone(),
                source,
            })?;
    }
    rules.add_defaults();
    let mut files = Vec::new();
    walk(dir, "", &rules, &mut files, 0)?;
    Ok(files)
}

/// Walks a directory in lexical order, following symbolic links, as Helm's `sympath.Walk`.
fn walk(
    dir: &Path,
    rel: &str,
    rules: &Rules,
    out: &mut Vec<File>,
    depth: usize,
) -> Result<(), ChartError> {
    if depth > 64 {
        return Err(ChartError::File {
            path: dir.to_path_buf(),
            message: "directory nesting too deep (symbolic link loop?)".into(),
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChartError::Io { path, source }
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let n = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        // Follows symbolic links.
        let meta = std::fs::metadata(&path).map_err(io(&path))?;
        if meta.is_dir() {
            if rules.ignore(&n, true) {
                continue;
            }
            walk(&path, &n, rules, out, depth + 1)?;
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(ChartError::File {
                path,
                message: "cannot load irregular file as it has file mode type bits set".into(),
            });
        }
        if meta.len() > MAX_FILE_SIZE {
            return Err(ChartError::File {
                path,
                message: format!("chart file is larger than the maximum file size {MAX_FILE_SIZE}"),
            });
        }
        let data = std::fs::read(&path).map_err(io(&path))?;
        out.push(File {
            path: n,
            data: trim_bom(data),
        });
    }
    Ok(())
}

/// Loads a chart from the bytes of a `.tgz` (`origin` names it in messages).
pub fn load_archive_bytes(data: &[u8], origin: &Path) -> Result<Chart, ChartError> {
    let files = archive_files(data, origin)?;
    load_files(files, origin.to_path_buf(), None)
}

fn archive_files(data: &[u8], origin: &Path) -> Result<Vec<File>, ChartError> {
    let err = |message: String| ChartError::Archive {
        path: origin.to_path_buf(),
        message,
    };
    let gz = flate2::read::GzDecoder::new(data);
    let mut ar = tar::Archive::new(gz);
    let entries = ar.entries().map_err(|e| err(e.to_string()))?;
    let mut files = Vec::new();
    let mut remaining = MAX_CHART_SIZE;
    for entry in entries {
        let mut entry = entry.map_err(|e| err(e.to_string()))?;
        let kind = entry.header().entry_type();
        if kind.is_dir()
            || kind.is_pax_global_extensions()
            || kind.is_pax_local_extensions()
            || kind.is_gnu_longname()
            || kind.is_gnu_longlink()
        {
            continue;
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let delim = if raw_name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw_name.split(delim).collect();
        let n = parts[1..].join("/");
        if n.starts_with('/') {
            return Err(err("chart illegally contains absolute paths".into()));
        }
        let n = rudder_gocompat::path::clean(&n);
        if n == "." {
            return Err(err(format!(
                "chart illegally contains content outside the base directory: {raw_name:?}"
            )));
        }
        if n.starts_with("..") {
            return Err(err("chart illegally references parent directory".into()));
        }
        let b = n.as_bytes();
        if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
            return Err(err("chart contains illegally named files".into()));
        }
        if parts[0] == "Chart.yaml" {
            return Err(err("chart yaml not in base directory".into()));
        }
        let size = entry.header().size().unwrap_or(0);
        if size > remaining {
            return Err(err(format!(
                "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
            )));
        }
        if size > MAX_FILE_SIZE {
            return Err(err(format!(
                "decompressed chart file {raw_name:?} is larger than the maximum file size {MAX_FILE_SIZE}"
            )));
        }
        let mut buf = Vec::new();
        let read = (&mut entry)
            .take(remaining)
            .read_to_end(&mut buf)
            .map_err(|e| err(e.to_string()))? as u64;
        remaining = remaining.saturating_sub(read);
        if read < size || remaining == 0 {
            return Err(err(format!(
                "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
            )));
        }
        files.push(File {
            path: n,
            data: trim_bom(buf),
        });
    }
    if files.is_empty() {
        return Err(err("no files in chart archive".into()));
    }
    Ok(files)
}

fn yaml_err(chart: &Path, file: &str) -> impl Fn(yaml::YamlError) -> ChartError {
    let chart = chart.to_path_buf();
    let file = file.to_string();
    move |source| ChartError::Yaml {
        chart: chart.clone(),
        file: file.clone(),
        source,
    }
}

/// Why a values document could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValuesFileError {
    #[error("cannot unmarshal yaml document: error converting YAML to JSON: {source}{}", source.position())]
    Yaml { source: yaml::YamlError },
    #[error(
        "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {0} into Go value of type map[string]interface {{}} (document {1})"
    )]
    NotAMap(&'static str, usize),
}

/// Reads a values file as Helm's `LoadValues`: every YAML document must be a map (or empty),
/// and the documents are merged in order (maps deeply, anything else replaced).
pub fn load_values(data: &[u8]) -> Result<Map<String, Value>, ValuesFileError> {
    let docs = yaml::parse_multi(data).map_err(|source| ValuesFileError::Yaml { source })?;
    let mut out = Map::new();
    for (i, doc) in docs.into_iter().enumerate() {
        match doc {
            Value::Null => {}
            Value::Object(m) => merge_maps(&mut out, m),
            other => {
                let kind = match other {
                    Value::Bool(_) => "bool",
                    Value::Number(_) => "number",
                    Value::String(_) => "string",
                    _ => "array",
                };
                return Err(ValuesFileError::NotAMap(kind, i + 1));
            }
        }
    }
    Ok(out)
}

/// Helm's `MergeMaps`: values of `b` win; maps present on both sides are merged recursively.
pub(crate) fn merge_maps(a: &mut Map<String, Value>, b: Map<String, Value>) {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(av)), Value::Object(bv)) => merge_maps(av, bv),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) => {
            let ext = &base[i..];
            ext.eq_ignore_ascii_case(".yaml")
                || ext.eq_ignore_ascii_case(".yml")
                || ext.eq_ignore_ascii_case(".json")
        }
        None => false,
    }
}

/// `filepath.Ext`.
fn go_ext(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(i) => &name[base_start + i..],
        None => "",
    }
}

/// Helm's `LoadFiles`: sorts buffered files into a chart and loads its subcharts.
fn load_files(
    files: Vec<File>,
    source: PathBuf,
    dir: Option<PathBuf>,
) -> Result<Chart, ChartError> {
    let mut metadata: Option<Metadata> = None;
    let mut null_maintainer = false;
    let mut null_dependency = false;
    for f in &files {
        if f.path == "Chart.yaml" {
            let v = yaml::parse(&f.data).map_err(yaml_err(&source, "Chart.yaml"))?;
            let raw = Metadata::from_json(&v).map_err(|e| ChartError::Decode {
                chart: source.clone(),
                file: "Chart.yaml".into(),
                message: format!("error unmarshaling JSON: while decoding JSON: {e}"),
            })?;
            let mut md = raw.metadata;
            if md.api_version.is_empty() {
                md.api_version = API_VERSION_V1.into();
            }
            if md.api_version != "v1" && md.api_version != "v2" {
                return Err(ChartError::UnsupportedApiVersion {
                    chart: source.clone(),
                    version: md.api_version,
                });
            }
            null_maintainer = raw.null_maintainer;
            null_dependency = raw.null_dependency;
            metadata = Some(md);
        }
    }
    let mut lock = None;
    let mut values = Map::new();
    let mut schema = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in files {
        let name = f.path.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" => {
                lock = Some(yaml::parse(&f.data).map_err(yaml_err(&source, "Chart.lock"))?);
            }
            "values.yaml" => {
                values = load_values(&f.data).map_err(|e| ChartError::Decode {
                    chart: source.clone(),
                    file: "values.yaml".into(),
                    message: e.to_string(),
                })?;
            }
            "values.schema.json" => schema = Some(f.data),
            "requirements.yaml" => {
                let md = metadata.get_or_insert_with(Metadata::default);
                let v = yaml::parse(&f.data).map_err(yaml_err(&source, "requirements.yaml"))?;
                // Unmarshalled over the metadata: only `dependencies` matters in practice.
                if let Value::Object(m) = &v {
                    let key = m
                        .keys()
                        .find(|k| k.as_str() == "dependencies")
                        .or_else(|| m.keys().find(|k| k.eq_ignore_ascii_case("dependencies")));
                    if let Some(key) = key {
                        let deps =
                            dependencies_from_json(m.get(key)).map_err(|e| ChartError::Decode {
                                chart: source.clone(),
                                file: "requirements.yaml".into(),
                                message: format!(
                                    "error unmarshaling JSON: while decoding JSON: {e}"
                                ),
                            })?;
                        null_dependency = deps.iter().any(Option::is_none);
                        md.dependencies = deps.into_iter().flatten().collect();
                    }
                }
                if md.api_version == API_VERSION_V1 {
                    other.push(f);
                }
            }
            "requirements.lock" => {
                lock = Some(yaml::parse(&f.data).map_err(yaml_err(&source, "requirements.lock"))?);
                let md = metadata.get_or_insert_with(Metadata::default);
                if md.api_version == API_VERSION_V1 {
                    other.push(f);
                }
            }
            _ if name.starts_with("templates/") => templates.push(f),
            _ if name.starts_with("charts/") => {
                if go_ext(name) == ".prov" {
                    other.push(f);
                    continue;
                }
                let rest = &name["charts/".len()..];
                let cname = rest.split('/').next().unwrap_or(rest).to_string();
                let rest = rest.to_string();
                subcharts.entry(cname).or_default().push(File {
                    path: rest,
                    data: f.data,
                });
            }
            _ => other.push(f),
        }
    }
    let Some(mut metadata) = metadata else {
        return Err(ChartError::MissingChartYaml { chart: source });
    };
    metadata
        .validate(null_maintainer, null_dependency)
        .map_err(|e| ChartError::Validation {
            chart: source.clone(),
            message: match e {
                super::metadata::MetadataError::Validation(m) => m,
                other => other.to_string(),
            },
        })?;
    let crds = other
        .iter()
        .filter(|f| f.path.starts_with("crds/") && has_manifest_extension(&f.path))
        .cloned()
        .collect();

    let mut dependencies = Vec::new();
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let sub_source = source.join("charts").join(&n);
        let wrap = |e: ChartError| ChartError::Subchart {
            name: n.clone(),
            parent: metadata.name.clone(),
            source: Box::new(e),
        };
        let sc = if go_ext(&n) == ".tgz" {
            let Some(file) = files.first() else { continue };
            if file.path != n {
                return Err(ChartError::Archive {
                    path: source.clone(),
                    message: format!(
                        "error unpacking subchart tar in {}: expected {}, got {}",
                        metadata.name, n, file.path
                    ),
                });
            }
            load_archive_bytes(&file.data, &sub_source).map_err(wrap)?
        } else {
            let buff: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.path.split_once('/')?;
                    Some(File {
                        path: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            let sub_dir = dir.as_ref().map(|d| d.join("charts").join(&n));
            load_files(buff, sub_source, sub_dir).map_err(wrap)?
        };
        dependencies.push(sc);
    }

    Ok(Chart {
        metadata,
        lock,
        templates,
        files: other,
        crds,
        values: Value::Object(values),
        schema,
        dependencies,
        source,
        dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean() {
        assert_eq!(rudder_gocompat::path::clean("a/./b/../c"), "a/c");
        assert_eq!(rudder_gocompat::path::clean(""), ".");
        assert_eq!(rudder_gocompat::path::clean("../x"), "../x");
        assert_eq!(rudder_gocompat::path::clean("a/../../x"), "../x");
    }

    #[test]
    fn ext() {
        assert_eq!(go_ext("charts/a.tgz"), ".tgz");
        assert_eq!(go_ext("a.b/c"), "");
        assert!(has_manifest_extension("crds/x.YAML"));
        assert!(!has_manifest_extension("crds/x.txt"));
    }

    #[test]
    fn merge() {
        let mut a = serde_json::json!({"a": {"b": 1, "c": 2}, "d": 1});
        let b = serde_json::json!({"a": {"b": 3}, "d": {"x": 1}});
        if let (Value::Object(a), Value::Object(b)) = (&mut a, b) {
            merge_maps(a, b);
        }
        assert_eq!(a, serde_json::json!({"a": {"b": 3, "c": 2}, "d": {"x": 1}}));
    }
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    #[test]
    fn missing_charts_are_reported_as_helm_reports_them() {
        let msg = |p: &str| not_found_message(Path::new(p));
        assert_eq!(msg("./nope"), r#"path "./nope" not found"#);
        assert_eq!(msg("/tmp/nope"), r#"path "/tmp/nope" not found"#);
        assert_eq!(msg("charts/nope"), "repo charts not found");
        assert_eq!(
            msg("nope.tgz"),
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: nope.tgz"
        );
    }

    #[test]
    fn absolute_paths_are_cleaned_like_go() {
        assert_eq!(go_abs(Path::new("/a/./b/../c/")), PathBuf::from("/a/c"));
        let cwd = std::env::current_dir().expect("cwd");
        assert_eq!(go_abs(Path::new("x/./y")), cwd.join("x").join("y"));
    }
}
