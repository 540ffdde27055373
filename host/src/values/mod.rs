//! Values: what the user gives (`-f`, `--set`, `--set-string`, `--set-file`, `--set-json`,
//! `--set-literal`, in Helm's order), dependency processing (conditions, tags, aliases,
//! import-values), coalescing with the charts' defaults (globals, nulls) and schema validation —
//! everything Helm does to values before rendering.

pub mod coalesce;
pub mod deps;
pub mod schema;
mod shared;
pub mod strvals;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::chart::Chart;
use crate::chart::load::merge_maps;

/// The values flags of `helm template`/`install`/`upgrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `-f/--values` files (`-` is stdin), in order: later files win.
    pub values_files: Vec<PathBuf>,
    /// `--set`
    pub set: Vec<String>,
    /// `--set-string`
    pub set_string: Vec<String>,
    /// `--set-file`
    pub set_file: Vec<String>,
    /// `--set-json`
    pub set_json: Vec<String>,
    /// `--set-literal`
    pub set_literal: Vec<String>,
}

/// Why values could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// The message carries Go's wording of the error (`open PATH: no such file or
    /// directory`), as Helm prints it.
    #[error("cannot read values file {} (-f/--values): {}", path.display(), go_read_error(path, error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("failed to parse {} (-f/--values): {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: crate::chart::load::ValuesFileError,
    },
    /// A `--set`-family argument did not parse. `message` is Helm's.
    #[error("{}{}", self.helm_message(), detail_suffix(arg, detail))]
    Flag {
        flag: &'static str,
        arg: String,
        message: String,
        /// More than Helm says, when Helm hides the cause (`--set-json`).
        detail: Option<String>,
    },
    #[error("type mismatch on {name}: {detail}")]
    TypeMismatch { name: String, detail: String },
    #[error(
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        .0.join(", ")
    )]
    MissingDependencies(Vec<String>),
    #[error("{0} charts are not installable")]
    NotInstallable(String),
    #[error("values must be a map, got {0}")]
    NotAMap(&'static str),
    #[error(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{0}"
    )]
    Schema(String),
    #[error("cannot use the schema of chart {chart} ({}): {message}", path.display())]
    SchemaInvalid {
        chart: String,
        path: PathBuf,
        message: String,
    },
}

fn detail_suffix(arg: &str, detail: &Option<String>) -> String {
    match detail {
        Some(d) => format!(" ({d}; argument {})", strvals::go_quote(arg)),
        None => format!(" (argument {})", strvals::go_quote(arg)),
    }
}

impl ValuesError {
    /// For `Flag` errors, the message exactly as Helm prints it (without our extra detail).
    pub fn helm_message(&self) -> String {
        match self {
            ValuesError::Flag {
                flag, arg, message, ..
            } => match *flag {
                "--set-json" if message.is_empty() => {
                    format!("failed parsing --set-json data {arg}")
                }
                "--set-json" => format!("failed parsing --set-json data JSON: {arg}"),
                f => format!("failed parsing {f} data: {message}"),
            },
            other => other.to_string(),
        }
    }
}

/// Messages Helm logs while preparing values, rendered as Helm prints them on stderr
/// (`level=INFO msg="warning: ..."`), as many times as Helm logs them (it coalesces more
/// than once, so a warning can repeat).
#[derive(Debug, Clone, Default)]
pub struct Log {
    pub lines: Vec<String>,
}

/// slog's text-handler quoting of a value.
fn slog_value(s: &str) -> String {
    let needs = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_whitespace() || c.is_control());
    if needs {
        strvals::go_quote(s)
    } else {
        s.to_string()
    }
}

impl Log {
    fn push(&mut self, line: String) {
        self.lines.push(line);
    }

    /// A `log.Printf` line (Helm routes them to slog at INFO).
    pub fn info(&mut self, msg: String) {
        self.push(format!("level=INFO msg={}", slog_value(&msg)));
    }

    /// A `slog.Warn` line with attributes.
    pub fn warn(&mut self, msg: &str, attrs: &[(&str, String)]) {
        let mut line = format!("level=WARN msg={}", slog_value(msg));
        for (k, v) in attrs {
            line.push_str(&format!(" {k}={}", slog_value(v)));
        }
        self.push(line);
    }
}

fn read_input(path: &Path) -> Result<Vec<u8>, std::io::Error> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
        return Ok(buf);
    }
    let s = path.to_string_lossy();
    if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("oci://") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "remote values files are not supported",
        ));
    }
    std::fs::read(path)
}

/// How Go's `os.ReadFile` words a failure to read `path`, as Helm prints it: `open PATH: no
/// such file or directory`, `read PATH: is a directory` (the system's text, lowercased,
/// without Rust's `(os error N)`). Errors that are not the system's keep their text.
fn go_read_error(path: &Path, e: &std::io::Error) -> String {
    if e.raw_os_error().is_none() {
        return e.to_string();
    }
    let op = if e.kind() == std::io::ErrorKind::IsADirectory {
        "read"
    } else {
        "open"
    };
    let mut text = e.to_string();
    if let Some(i) = text.find(" (os error ") {
        text.truncate(i);
    }
    let mut chars = text.chars();
    let text: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    };
    format!("{op} {}: {text}", path.display())
}

/// Builds the user-supplied values the way Helm's `values.Options.MergeValues` does: files in
/// order (deep-merged), then `--set-json`, `--set`, `--set-string`, `--set-file`,
/// `--set-literal`.
pub fn user_values(opts: &Options) -> Result<Value, ValuesError> {
    let mut base = Map::new();
    for path in &opts.values_files {
        let raw = read_input(path).map_err(|error| ValuesError::Io {
            path: path.clone(),
            error,
        })?;
        let m = crate::chart::load_values(&raw).map_err(|source| ValuesError::File {
            path: path.clone(),
            source,
        })?;
        merge_maps(&mut base, m);
    }
    for value in &opts.set_json {
        let trimmed = value.trim();
        if trimmed.starts_with('{') {
            match serde_json::from_str::<Map<String, Value>>(trimmed) {
                Ok(m) => {
                    let m = match strvals::json_floats(Value::Object(m)) {
                        Value::Object(m) => m,
                        _ => Map::new(),
                    };
                    merge_maps(&mut base, m);
                }
                Err(e) => {
                    return Err(ValuesError::Flag {
                        flag: "--set-json",
                        arg: value.clone(),
                        message: "JSON".into(),
                        detail: Some(e.to_string()),
                    });
                }
            }
        } else if let Err(e) = strvals::parse_into(value, &mut base, strvals::Mode::Json) {
            return Err(ValuesError::Flag {
                flag: "--set-json",
                arg: value.clone(),
                message: String::new(),
                detail: Some(e),
            });
        }
    }
    let flag = |flag: &'static str, arg: &str| {
        let arg = arg.to_string();
        move |message: String| ValuesError::Flag {
            flag,
            arg,
            message,
            detail: None,
        }
    };
    for value in &opts.set {
        strvals::parse_into(value, &mut base, strvals::Mode::Typed)
            .map_err(flag("--set", value))?;
    }
    for value in &opts.set_string {
        strvals::parse_into(value, &mut base, strvals::Mode::String)
            .map_err(flag("--set-string", value))?;
    }
    for value in &opts.set_file {
        let mut reader = |p: &str| -> Result<Value, String> {
            read_input(Path::new(p))
                .map(|b| Value::String(rudder_gocompat::gostr::from_vec(b)))
                .map_err(|e| go_read_error(Path::new(p), &e))
        };
        strvals::parse_into(value, &mut base, strvals::Mode::File(&mut reader))
            .map_err(flag("--set-file", value))?;
    }
    for value in &opts.set_literal {
        strvals::parse_literal_into(value, &mut base).map_err(flag("--set-literal", value))?;
    }
    Ok(Value::Object(base))
}

/// A chart ready to render.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The chart tree after dependency processing: disabled subcharts removed, aliased
    /// subcharts under their alias (a chart aliased twice appears twice), metadata dependencies
    /// filtered and marked enabled, each chart's `values` replaced as Helm does by import-values.
    pub chart: Chart,
    /// The root's coalesced values (`.Values` of the root chart): subchart values under their
    /// names, globals propagated. A subchart's `.Values` is the map under its name.
    pub values: Value,
    /// What Helm would log meanwhile, as its stderr lines.
    pub warnings: Vec<String>,
}

/// Options of [`prepare_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PrepareOptions {
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
}

/// Does what Helm does between loading a chart and rendering it, with schema validation.
pub fn prepare(chart: Chart, user: Value) -> Result<Prepared, ValuesError> {
    prepare_with(chart, user, PrepareOptions::default())
}

/// [`prepare`] with options.
pub fn prepare_with(
    mut chart: Chart,
    user: Value,
    opts: PrepareOptions,
) -> Result<Prepared, ValuesError> {
    let user = match user {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        Value::Bool(_) => return Err(ValuesError::NotAMap("a boolean")),
        Value::Number(_) => return Err(ValuesError::NotAMap("a number")),
        Value::String(_) => return Err(ValuesError::NotAMap("a string")),
        Value::Array(_) => return Err(ValuesError::NotAMap("a list")),
    };
    let mut log = Log::default();
    if !matches!(chart.metadata.chart_type.as_str(), "" | "application") {
        return Err(ValuesError::NotInstallable(
            chart.metadata.chart_type.clone(),
        ));
    }
    if chart.metadata.deprecated {
        log.warn("this chart is deprecated", &[]);
    }
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| chart.dependency(&d.name).is_none())
        .map(|d| d.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(ValuesError::MissingDependencies(missing));
    }
    deps::process_dependencies(&mut log, &mut chart, &user)?;
    let values = coalesce::coalesce_values(&mut log, &chart, user)?;
    if !opts.skip_schema_validation {
        schema::validate(&chart, &values)?;
    }
    Ok(Prepared {
        chart,
        values: Value::Object(values),
        warnings: log.lines,
    })
}

#[cfg(test)]
mod tests;
