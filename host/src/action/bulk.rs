//! `rudder render FILE`: render many releases at once, as a CI monorepo does, from a releases
//! file:
//!
//! ```yaml
//! releases:
//!   - name: web              # required, a valid release name, unique in the file
//!     chart: charts/webapp   # required, a directory or .tgz, relative to the file's folder
//!     namespace: prod        # default "default"
//!     values: [prod.yaml]    # -f, relative to the file's folder
//!     set: ["image.tag=1.2"] # --set
//!     setString: []          # --set-string
//!     setJson: []            # --set-json
//!     setFile: []            # --set-file, paths relative to the file's folder
//!     kubeVersion: "1.30.0"  # --kube-version
//!     apiVersions: []        # -a/--api-versions
//!     includeCrds: false     # --include-crds
//!     skipTests: false       # --skip-tests
//! ```
//!
//! [`load`] reads and checks the whole file before anything renders; [`render_all`] renders
//! every release with [`action::template`](crate::action::template) on a rayon pool and hands
//! the results back in file order, as soon as each one and those before it are done. A
//! failing release does not stop the others. Everything that can fail for a release happens
//! before its files are written, so a failed release writes nothing under `--output-dir`.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::action::{TemplateError, TemplateRequest, template};
use crate::plugin::Renderer;
use crate::render::{AssembleError, OutputOptions, RenderOutputError};
use crate::values;

/// Native stack of a worker thread. Chart loading and values parsing run on it; the plugin
/// call itself runs on a thread of its own with the much bigger stack wasm needs (see
/// `plugin::registry`), so a worker needs no more than a main thread has.
const WORKER_STACK_SIZE: usize = 8 << 20;

/// Why a releases file cannot be used. Nothing has rendered when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error("cannot read releases file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Invalid YAML (go-yaml's message, with its line), or the wrong shape (unknown or missing
    /// field, wrong type): serde's message after the field path (`releases[1].values`), with
    /// the line and column of that field.
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    /// A release is well-formed YAML but not usable.
    #[error("{}: releases[{index}] (name {name:?}): {problem}", path.display())]
    Invalid {
        path: PathBuf,
        index: usize,
        name: String,
        problem: Problem,
    },
    #[error(
        "{}: release name {name:?} is used twice, by releases[{first}] and releases[{second}]",
        path.display()
    )]
    Duplicate {
        path: PathBuf,
        name: String,
        first: usize,
        second: usize,
    },
    #[error("cannot start {jobs} worker threads: {source}")]
    Pool {
        jobs: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// What is wrong with one release of a releases file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Name(#[from] InvalidReleaseName),
    #[error("chart: must not be empty")]
    EmptyChart,
}

/// A release name Helm would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "release name \"{0}\": invalid release name, must match regex \
     ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
)]
pub struct InvalidReleaseName(pub String);

/// Helm's rule for release names: a DNS-1123 subdomain of at most 53 characters.
pub fn validate_release_name(name: &str) -> Result<(), InvalidReleaseName> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.is_empty() || name.len() > 53 || !name.split('.').all(label_ok) {
        return Err(InvalidReleaseName(name.to_string()));
    }
    Ok(())
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    releases: Vec<Release>,
}

/// One release of a releases file, as written (paths not yet resolved).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Release {
    pub name: String,
    pub chart: PathBuf,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    #[serde(default)]
    pub values: Vec<PathBuf>,
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub set_string: Vec<String>,
    #[serde(default)]
    pub set_json: Vec<String>,
    #[serde(default)]
    pub set_file: Vec<String>,
    #[serde(default)]
    pub kube_version: Option<String>,
    #[serde(default)]
    pub api_versions: Vec<String>,
    #[serde(default)]
    pub include_crds: bool,
    #[serde(default)]
    pub skip_tests: bool,
}

fn default_namespace() -> String {
    "default".to_string()
}

/// A checked releases file.
#[derive(Debug, Clone)]
pub struct ReleasesFile {
    /// The file, as given.
    pub path: PathBuf,
    /// Its folder: what relative paths in it are relative to.
    pub base_dir: PathBuf,
    pub releases: Vec<Release>,
}

/// Reads and checks a releases file.
pub fn load(path: &Path) -> Result<ReleasesFile, BulkError> {
    let text = std::fs::read_to_string(path).map_err(|source| BulkError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Checks the text of a releases file read from `path` (which names it in errors and whose
/// folder relative paths are resolved against).
pub fn parse(text: &str, path: &Path) -> Result<ReleasesFile, BulkError> {
    let parse_error = |message: String| BulkError::Parse {
        path: path.to_path_buf(),
        message,
    };
    // The syntax first (the whole document), then the shape.
    let mut tree = rudder_yaml::from_str_typed(text).map_err(|e| parse_error(e.to_string()))?;
    if tree.is_null() {
        tree = serde_json::Value::Object(serde_json::Map::new());
    }
    strings_as_written(text, &mut tree);
    let doc: FileDoc = serde_path_to_error::deserialize(&tree)
        .map_err(|e| parse_error(shape_error(text, &tree, &e)))?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, r) in doc.releases.iter().enumerate() {
        let invalid = |problem: Problem| BulkError::Invalid {
            path: path.to_path_buf(),
            index,
            name: r.name.clone(),
            problem,
        };
        validate_release_name(&r.name).map_err(|e| invalid(e.into()))?;
        if r.chart.as_os_str().is_empty() {
            return Err(invalid(Problem::EmptyChart));
        }
        if let Some(first) = seen.insert(&r.name, index) {
            return Err(BulkError::Duplicate {
                path: path.to_path_buf(),
                name: r.name.clone(),
                first,
                second: index,
            });
        }
    }
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(ReleasesFile {
        path: path.to_path_buf(),
        base_dir,
        releases: doc.releases,
    })
}

/// A field that does not fit, as `releases[1].values: invalid type: ... at line 4 column 5
/// (release "b")`: the path, serde's message, where the field stands in the text, and the
/// release's name when the file gives one (that is what people search for).
fn shape_error(
    text: &str,
    tree: &serde_json::Value,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> String {
    use serde_path_to_error::Segment;
    let mut steps = Vec::new();
    for seg in e.path().iter() {
        match seg {
            Segment::Seq { index } => steps.push(rudder_yaml::Step::Index(*index)),
            Segment::Map { key } => steps.push(rudder_yaml::Step::Key(key.clone())),
            Segment::Enum { .. } | Segment::Unknown => break,
        }
    }
    let mut message = match e.path().iter().next() {
        None => e.inner().to_string(),
        Some(_) => format!("{}: {}", e.path(), e.inner()),
    };
    // An unknown field is named by the message, not the path: look for it under the path.
    if let Some(field) = unknown_field(&e.inner().to_string()) {
        steps.push(rudder_yaml::Step::Key(field.to_string()));
    }
    while !steps.is_empty() {
        if let Some((line, column)) = rudder_yaml::position(text, &steps) {
            message.push_str(&format!(" at line {line} column {column}"));
            break;
        }
        steps.pop();
    }
    let index = match e.path().iter().nth(1) {
        Some(Segment::Seq { index }) => Some(*index),
        _ => None,
    };
    let name = index.and_then(|i| tree.get("releases")?.get(i)?.get("name")?.as_str());
    match name {
        Some(name) => format!("{message} (release {name:?})"),
        None => message,
    }
}

/// The fields of a release that are strings, and those that are lists of strings.
const STRING_FIELDS: [&str; 4] = ["name", "chart", "namespace", "kubeVersion"];
const STRING_LIST_FIELDS: [&str; 6] = [
    "values",
    "set",
    "setString",
    "setJson",
    "setFile",
    "apiVersions",
];

/// Go's YAML decoder puts a scalar's own text into a string field (`chart: y` is "y", not a
/// boolean; `kubeVersion: 1.30` is "1.30"): give the string fields of each release the text
/// of their scalars.
fn strings_as_written(text: &str, tree: &mut serde_json::Value) {
    use rudder_yaml::Step;
    let Some(releases) = tree.get_mut("releases").and_then(|r| r.as_array_mut()) else {
        return;
    };
    let as_written = |slot: &mut serde_json::Value, path: &[Step]| {
        if (slot.is_boolean() || slot.is_number())
            && let Some(s) = rudder_yaml::scalar_text(text, path)
        {
            *slot = serde_json::Value::String(s);
        }
    };
    for (i, release) in releases.iter_mut().enumerate() {
        let Some(fields) = release.as_object_mut() else {
            continue;
        };
        let at = |field: &str| {
            vec![
                Step::Key("releases".into()),
                Step::Index(i),
                Step::Key(field.into()),
            ]
        };
        for field in STRING_FIELDS {
            if let Some(v) = fields.get_mut(field) {
                as_written(v, &at(field));
            }
        }
        for field in STRING_LIST_FIELDS {
            if let Some(items) = fields.get_mut(field).and_then(|v| v.as_array_mut()) {
                for (j, item) in items.iter_mut().enumerate() {
                    let mut path = at(field);
                    path.push(Step::Index(j));
                    as_written(item, &path);
                }
            }
        }
    }
}

/// The field serde names in "unknown field `x`, expected ...".
fn unknown_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("unknown field `")?
        .split_once('`')
        .map(|(f, _)| f)
}

/// Settings that apply to every release of a run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Releases rendered at once (at least 1).
    pub jobs: usize,
    pub strict: bool,
    pub deterministic: bool,
    /// Write each release as `--output-dir DIR/NAME` would.
    pub output_dir: Option<PathBuf>,
}

impl Release {
    /// The `rudder template` request this release stands for, paths resolved against
    /// `base_dir`.
    pub fn request(&self, base_dir: &Path, settings: &Settings) -> TemplateRequest {
        TemplateRequest {
            values: values::Options {
                values_files: self.values.iter().map(|v| base_dir.join(v)).collect(),
                set: self.set.clone(),
                set_string: self.set_string.clone(),
                set_file: self
                    .set_file
                    .iter()
                    .map(|s| resolve_set_file(s, base_dir))
                    .collect(),
                set_json: self.set_json.clone(),
                set_literal: Vec::new(),
            },
            skip_schema_validation: false,
            kube_version: self.kube_version.clone(),
            api_versions: self.api_versions.clone(),
            is_upgrade: false,
            strict: settings.strict,
            deterministic: settings.deterministic,
            output: OutputOptions {
                include_crds: self.include_crds,
                skip_tests: self.skip_tests,
                output_dir: settings.output_dir.as_ref().map(|d| d.join(&self.name)),
                ..OutputOptions::default()
            },
            // Releases render in parallel already: each one in a single plugin call.
            ..TemplateRequest::new(
                self.name.clone(),
                local_path(base_dir.join(&self.chart)),
                self.namespace.clone(),
            )
        }
    }
}

/// Rewrites the relative paths of a `--set-file` argument (`key=path,key2=path2`, with `\`
/// escaping the next character) to be relative to `base_dir`. List values (`key={a,b}`) and
/// anything malformed are left as they are, for the values parser to judge.
/// A chart path from the file always means a local path: a relative one gets a leading `./`
/// so that, when it is missing, the error says so (a bare `dir/chart` would read as a chart
/// in a repository named `dir`).
fn local_path(path: PathBuf) -> PathBuf {
    if path.is_relative() && !path.starts_with(".") {
        Path::new(".").join(path)
    } else {
        path
    }
}

fn resolve_set_file(arg: &str, base_dir: &Path) -> String {
    if base_dir.as_os_str().is_empty() {
        return arg.to_string();
    }
    let mut out = String::with_capacity(arg.len());
    let mut chars = arg.chars().peekable();
    loop {
        // The key, up to '='.
        let mut found_eq = false;
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '=' {
                found_eq = true;
                break;
            }
        }
        if !found_eq {
            return out;
        }
        if chars.peek() == Some(&'{') {
            for c in chars.by_ref() {
                out.push(c);
                if c == '}' {
                    break;
                }
            }
            continue;
        }
        // The path, up to an unescaped ','.
        let mut path = String::new();
        let mut comma = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        path.push(n);
                    }
                }
                ',' => {
                    comma = true;
                    break;
                }
                c => path.push(c),
            }
        }
        let resolved = if path.is_empty() || Path::new(&path).is_absolute() {
            path
        } else {
            base_dir.join(&path).to_string_lossy().into_owned()
        };
        for c in resolved.chars() {
            if c == '\\' || c == ',' {
                out.push('\\');
            }
            out.push(c);
        }
        if !comma {
            return out;
        }
        out.push(',');
    }
}

/// A release that rendered (and, with `--output-dir`, was written).
#[derive(Debug, Clone, Default)]
pub struct RenderedRelease {
    /// Exactly what `rudder template` prints on stdout for it (`wrote PATH` lines with
    /// `--output-dir`).
    pub stdout: Vec<u8>,
    /// What `rudder template` prints on stderr before the output (warnings).
    pub log: Vec<String>,
}

/// A release that failed.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct ReleaseFailure {
    /// Lines logged before the failure, to print before the error.
    pub log: Vec<String>,
    #[source]
    pub error: FailureKind,
}

#[derive(Debug, thiserror::Error)]
pub enum FailureKind {
    #[error(transparent)]
    Template(Box<TemplateError>),
    #[error(transparent)]
    Output(#[from] RenderOutputError),
    /// A bug: rendering this release panicked (the others carry on).
    #[error("internal error: rendering panicked")]
    Panicked,
}

/// How a run went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub failed: usize,
}

/// Renders one release as `rudder template` would, writing its files when asked.
pub fn render_one(
    renderer: &Renderer,
    release: &Release,
    base_dir: &Path,
    settings: &Settings,
) -> Result<RenderedRelease, ReleaseFailure> {
    let templated = match template(renderer, release.request(base_dir, settings)) {
        Ok(t) => t,
        Err(TemplateError::Output(AssembleError { error, log })) => {
            return Err(ReleaseFailure {
                log,
                error: error.into(),
            });
        }
        Err(e) => {
            return Err(ReleaseFailure {
                log: Vec::new(),
                error: FailureKind::Template(Box::new(e)),
            });
        }
    };
    let mut output = templated.output;
    let mut log = templated.warnings;
    log.append(&mut output.log);
    let mut stdout = Vec::new();
    match output.write(&mut stdout) {
        Ok(()) => Ok(RenderedRelease { stdout, log }),
        Err(e) => Err(ReleaseFailure {
            log,
            error: e.into(),
        }),
    }
}

/// Renders every release of `file` on `settings.jobs` threads. `progress` is called from a
/// worker as each release finishes; `each` is called on the calling thread with each result
/// in file order, as soon as that release and all those before it are done.
pub fn render_all(
    renderer: &Renderer,
    file: &ReleasesFile,
    settings: &Settings,
    progress: &(dyn Fn(&Release) + Sync),
    mut each: impl FnMut(&Release, Result<RenderedRelease, ReleaseFailure>),
) -> Result<Summary, BulkError> {
    let jobs = settings.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK_SIZE)
        .thread_name(|i| format!("render-{i}"))
        .build()
        .map_err(|source| BulkError::Pool { jobs, source })?;
    let mut summary = Summary {
        total: file.releases.len(),
        failed: 0,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(move || {
            // FIFO, so releases start (and mostly finish) in file order and stream out early.
            pool.scope_fifo(|scope| {
                for (index, release) in file.releases.iter().enumerate() {
                    let tx = tx.clone();
                    scope.spawn_fifo(move |_| {
                        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            render_one(renderer, release, &file.base_dir, settings)
                        }))
                        .unwrap_or_else(|_| {
                            Err(ReleaseFailure {
                                log: Vec::new(),
                                error: FailureKind::Panicked,
                            })
                        });
                        progress(release);
                        // The receiver lives until every sender is gone.
                        let _ = tx.send((index, result));
                    });
                }
            });
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (index, result) in rx {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&next) {
                if result.is_err() {
                    summary.failed += 1;
                }
                each(&file.releases[next], result);
                next += 1;
            }
        }
    });
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> ReleasesFile {
        parse(text, Path::new("ci/releases.yaml")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse(text, Path::new("ci/releases.yaml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn defaults_and_all_fields() {
        let f = parse_ok(
            "releases:\n\
             - name: web\n  chart: charts/webapp\n\
             - name: api\n  chart: api.tgz\n  namespace: prod\n  values: [a.yaml, /abs/b.yaml]\n  \
               set: [\"image.tag=1.2\"]\n  setString: [s=1]\n  setJson: ['j={\"a\":1}']\n  \
               setFile: [f=x.txt]\n  kubeVersion: \"1.30.0\"\n  apiVersions: [x/v1]\n  \
               includeCrds: true\n  skipTests: true\n",
        );
        assert_eq!(f.base_dir, Path::new("ci"));
        assert_eq!(f.releases.len(), 2);
        let web = &f.releases[0];
        assert_eq!(web.namespace, "default");
        assert!(web.values.is_empty() && web.kube_version.is_none() && !web.include_crds);
        let api = &f.releases[1];
        assert_eq!(api.namespace, "prod");
        assert_eq!(api.set_json, ["j={\"a\":1}"]);
        assert_eq!(api.kube_version.as_deref(), Some("1.30.0"));
        assert!(api.include_crds && api.skip_tests);

        let settings = Settings {
            jobs: 1,
            strict: true,
            deterministic: true,
            output_dir: Some("out".into()),
        };
        let req = api.request(&f.base_dir, &settings);
        assert_eq!(req.chart, Path::new("./ci/api.tgz"));
        assert_eq!(
            req.values.values_files,
            [PathBuf::from("ci/a.yaml"), PathBuf::from("/abs/b.yaml")]
        );
        assert_eq!(req.values.set_file, ["f=ci/x.txt"]);
        assert_eq!(req.namespace, "prod");
        assert!(req.strict && req.deterministic);
        assert!(req.output.include_crds && req.output.skip_tests);
        assert_eq!(req.output.output_dir, Some(PathBuf::from("out/api")));
        assert_eq!(req.output.release_dir, None);
    }

    #[test]
    fn a_file_in_the_current_folder_keeps_paths_as_written() {
        let f = parse(
            "releases: [{name: a, chart: c, setFile: [k=v]}]",
            Path::new("r.yaml"),
        )
        .unwrap();
        let req = f.releases[0].request(&f.base_dir, &Settings::default());
        assert_eq!(req.chart, Path::new("./c"));
        assert_eq!(req.values.set_file, ["k=v"]);
        assert_eq!(req.output.output_dir, None);
    }

    #[test]
    fn empty_list_is_fine() {
        assert!(parse_ok("releases: []\n").releases.is_empty());
    }

    #[test]
    fn unknown_field_names_file_index_name_field_and_line() {
        let e = parse_err(
            "releases:\n  - name: a\n    chart: x\n  - name: b\n    chart: y\n    valuse: [v.yaml]\n",
        );
        for needle in [
            "ci/releases.yaml: ",
            "releases[1]",
            "unknown field `valuse`",
            "line 6",
            "(release \"b\")",
        ] {
            assert!(e.contains(needle), "{needle:?} not in {e}");
        }
    }

    /// As Go's YAML decoder fills string fields: with the scalar's text.
    #[test]
    fn string_fields_keep_their_text() {
        let f = parse_ok(
            "releases:\n  - {name: a, chart: y, namespace: no, kubeVersion: 1.30, set: [on, 1.10]}\n",
        );
        let r = &f.releases[0];
        assert_eq!(r.chart, PathBuf::from("y"));
        assert_eq!(r.namespace, "no");
        assert_eq!(r.kube_version.as_deref(), Some("1.30"));
        assert_eq!(r.set, ["on", "1.10"]);
    }

    #[test]
    fn wrong_type_names_the_field() {
        let e = parse_err("releases:\n  - name: a\n    chart: x\n    values: a.yaml\n");
        assert!(e.contains("releases[0].values: invalid type"), "{e}");
        assert!(e.contains("line 4"), "{e}");
        assert!(e.contains("(release \"a\")"), "{e}");
    }

    #[test]
    fn missing_fields() {
        let e = parse_err("releases:\n  - name: a\n");
        assert!(e.contains("releases[0]: missing field `chart`"), "{e}");
        let e = parse_err("releases:\n  - chart: c\n");
        assert!(e.contains("missing field `name`"), "{e}");
        let e = parse_err("");
        assert!(e.contains("missing field `releases`"), "{e}");
        let e = parse_err("release: []\n");
        assert!(e.contains("unknown field `release`"), "{e}");
    }

    #[test]
    fn syntax_error_has_a_line() {
        // go-yaml's message, as Helm gives it for the same text in a values file.
        let e = parse_err("releases:\n  - name: a\n    chart: x\n  - name: b\n   chart: y\n");
        assert!(e.starts_with("ci/releases.yaml: "), "{e}");
        assert!(
            e.contains("yaml: line 4: did not find expected '-' indicator"),
            "{e}"
        );
        assert!(!e.contains("missing field"), "{e}");
    }

    #[test]
    fn invalid_names_and_charts() {
        let e = parse_err("releases:\n  - name: Bad_Name\n    chart: c\n");
        assert!(
            e.contains(
                "releases[0] (name \"Bad_Name\"): release name \"Bad_Name\": invalid release name"
            ),
            "{e}"
        );
        let e = parse_err("releases:\n  - name: ok\n    chart: \"\"\n");
        assert!(e.contains("chart: must not be empty"), "{e}");
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let e = parse_err(
            "releases:\n  - {name: a, chart: x}\n  - {name: b, chart: x}\n  - {name: a, chart: y}\n",
        );
        assert_eq!(
            e,
            "ci/releases.yaml: release name \"a\" is used twice, by releases[0] and releases[2]"
        );
    }

    #[test]
    fn release_names() {
        for ok in ["a", "web-1", "a.b", &"x".repeat(53)] {
            assert!(validate_release_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "A", "-a", "a-", "a..b", "a_b", &"x".repeat(54)] {
            assert!(validate_release_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn set_file_paths_are_resolved() {
        let base = Path::new("ci");
        assert_eq!(resolve_set_file("a=x.txt", base), "a=ci/x.txt");
        assert_eq!(
            resolve_set_file("a=x.txt,b.c[0]=/abs/y", base),
            "a=ci/x.txt,b.c[0]=/abs/y"
        );
        // Escapes: a comma in the path, an '=' in the key.
        assert_eq!(resolve_set_file("a=x\\,y", base), "a=ci/x\\,y");
        assert_eq!(resolve_set_file("k\\=e=p", base), "k\\=e=ci/p");
        // Lists, empty values and keys without a value are left alone.
        assert_eq!(resolve_set_file("a={x,y},b=z", base), "a={x,y},b=ci/z");
        assert_eq!(resolve_set_file("a=", base), "a=");
        assert_eq!(resolve_set_file("novalue", base), "novalue");
        assert_eq!(resolve_set_file("a=p,", base), "a=ci/p,");
    }
}
