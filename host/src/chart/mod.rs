//! Loading a chart the way Helm's `pkg/chart/v2/loader` does: from a directory (honouring
//! `.helmignore`) or a `.tgz`, with its subcharts under `charts/` (directories and archives),
//! `Chart.yaml` (apiVersion v1 with `requirements.yaml`, or v2), templates, CRDs, the other files
//! templates see through `.Files`, `values.yaml` and `values.schema.json`.

pub(crate) mod gofmt;
pub mod ignore;
pub(crate) mod load;
pub mod metadata;
pub mod yaml;

use std::path::PathBuf;

use serde_json::{Map, Value};

pub use load::{ValuesFileError, load, load_archive_bytes, load_read, load_values, read_files};
pub use metadata::{Dependency, Maintainer, Metadata};
pub use yaml::YamlError;

/// A file of a chart, with its slash-separated path relative to the chart's root
/// (`templates/deployment.yaml`, `files/config.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub data: Vec<u8>,
}

/// A loaded chart and, recursively, its subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `Chart.yaml` (validated and sanitised as Helm does; for apiVersion v1 charts the
    /// dependencies come from `requirements.yaml`).
    pub metadata: Metadata,
    /// `Chart.lock` (or `requirements.lock`) as JSON, if present.
    pub lock: Option<Value>,
    /// Every file under `templates/`, in load order (Helm keeps them all; partials included).
    pub templates: Vec<File>,
    /// What templates see as `.Files`: everything except `Chart.yaml`, `Chart.lock`,
    /// `values.yaml`, `values.schema.json`, `templates/` and `charts/` (but `charts/*.prov`
    /// stays, and so do `requirements.*` for apiVersion v1 charts).
    pub files: Vec<File>,
    /// The CRD manifests: files under `crds/` ending in `.yaml`, `.yml` or `.json` (any case).
    /// They are also part of `files`, as in Helm.
    pub crds: Vec<File>,
    /// The parsed `values.yaml` (always an object; `{}` when the chart has none).
    pub values: Value,
    /// `values.schema.json`, as bytes.
    pub schema: Option<Vec<u8>>,
    /// Loaded subcharts, before any condition, tag or alias is applied.
    pub dependencies: Vec<Chart>,
    /// Where the chart came from, for messages: a directory, an archive, or
    /// `archive.tgz/charts/sub` for a chart inside an archive.
    pub source: PathBuf,
    /// The directory the chart's files are on disk, when loaded from a directory (used to
    /// resolve relative `$ref`s of its schema).
    pub dir: Option<PathBuf>,
}

impl Chart {
    /// The chart's name (after aliasing, once prepared).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// `type: library` (case-insensitive, as Helm compares it).
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.eq_ignore_ascii_case("library")
    }

    /// The JSON Helm's Go `Metadata` struct marshals to.
    pub fn metadata_json(&self) -> Value {
        self.metadata.metadata_json()
    }

    /// The values as a map (empty if, somehow, not an object).
    pub fn values_map(&self) -> Map<String, Value> {
        match &self.values {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        }
    }

    /// Finds a direct subchart by name.
    pub fn dependency(&self, name: &str) -> Option<&Chart> {
        self.dependencies.iter().find(|c| c.name() == name)
    }
}

/// Why a chart could not be loaded. Every variant names the chart (its path) and, where there
/// is one, the file; YAML errors carry line and column.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The chart path does not exist; the message is Helm's for the same argument.
    #[error("{message}")]
    NotFound { path: PathBuf, message: String },
    /// `path` is the folder, made absolute as Helm prints it.
    #[error("unable to detect chart at {0}: open {0}: no such file or directory", path.join("Chart.yaml").display())]
    NoChart { path: PathBuf },
    #[error("Chart.yaml file is missing in {}", chart.display())]
    MissingChartYaml { chart: PathBuf },
    #[error("cannot load {file} in {}: error converting YAML to JSON: {source}{}", chart.display(), source.position())]
    Yaml {
        chart: PathBuf,
        file: String,
        #[source]
        source: YamlError,
    },
    #[error("cannot load {file} in {}: {message}", chart.display())]
    Decode {
        chart: PathBuf,
        file: String,
        message: String,
    },
    #[error("invalid Chart.yaml in {}: validation: {message}", chart.display())]
    Validation { chart: PathBuf, message: String },
    #[error("{}: apiVersion {version:?} is not supported (rudder loads v1 and v2 charts)", chart.display())]
    UnsupportedApiVersion { chart: PathBuf, version: String },
    #[error("cannot parse {}: {source}", path.display())]
    Ignore {
        path: PathBuf,
        #[source]
        source: ignore::RuleError,
    },
    #[error("{}: {message}", path.display())]
    Archive { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        name: String,
        parent: String,
        #[source]
        source: Box<ChartError>,
    },
}

impl ChartError {
    /// The error as Helm's loader words it, without the chart's path rudder adds (what
    /// `helm lint` prints): `cannot load Chart.yaml: ...`, `validation: ...`.
    pub fn helm_message(&self) -> String {
        match self {
            ChartError::Yaml { file, source, .. } => {
                format!("cannot load {file}: error converting YAML to JSON: {source}")
            }
            ChartError::Decode { file, message, .. } => {
                let message = match message.rfind(" (document ") {
                    Some(i) if message.ends_with(')') => &message[..i],
                    _ => message.as_str(),
                };
                format!("cannot load {file}: {message}")
            }
            ChartError::Validation { message, .. } => format!("validation: {message}"),
            ChartError::Subchart {
                name,
                parent,
                source,
            } => format!(
                "error unpacking subchart {name} in {parent}: {}",
                source.helm_message()
            ),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
