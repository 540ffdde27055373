//! `rudder template`: load a chart, build its values, run the template plugin, and shape the
//! output as `helm template` does.

use std::path::PathBuf;
use std::sync::Arc;

use crate::action::capabilities::{KubeVersion, capabilities_json};
use crate::chart::{self, Chart, ChartError};
use crate::plugin::{HostServices, PluginError, Recorder, Renderer};
use crate::render::{
    self, AssembleError, Crd, JobChart, OutputOptions, ReleaseInfo, RenderError, RenderJob,
    RenderOptions, Rendered, Template, Timestamp,
};
use crate::values::{self, PrepareOptions, ValuesError};

/// Everything `template` needs, already checked by the CLI.
#[derive(Debug, Clone, Default)]
pub struct TemplateRequest {
    pub release_name: String,
    pub chart: PathBuf,
    pub namespace: String,
    /// `.Release.Revision`: 1 for `template` and a first install, the next revision for an
    /// upgrade.
    pub revision: u32,
    pub values: values::Options,
    pub skip_schema_validation: bool,
    /// `--kube-version`, unparsed.
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub strict: bool,
    /// Helm's lint mode: `required` and `fail` warn instead of failing.
    pub lint: bool,
    /// Fixed clock and seed instead of the real time and a random seed.
    pub deterministic: bool,
    /// How to shape the output; `chart_name` is filled in here.
    pub output: OutputOptions,
    /// Plugin instances that may render this release's templates at once; 0 or 1 renders
    /// them in a single call (see [`crate::action::shard`]).
    pub jobs: usize,
}

impl TemplateRequest {
    /// Release `name` of `chart` in `namespace` with Helm's defaults: revision 1, an
    /// install, no values, output as `helm template` prints it, one plugin call.
    pub fn new(name: String, chart: PathBuf, namespace: String) -> TemplateRequest {
        TemplateRequest {
            release_name: name,
            chart,
            namespace,
            revision: 1,
            ..TemplateRequest::default()
        }
    }
}

/// A successful render.
pub struct Templated {
    /// The release's objects; `None` only when `--debug` printed invalid YAML raw (then
    /// `output` ends with the error).
    pub rendered: Option<Rendered>,
    /// Helm's text for them, ready to be written.
    pub output: render::Output,
    /// What Helm would have logged on stderr meanwhile (coalescing warnings, deprecation),
    /// then the template plugin's log lines.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("{}", .0.helm_message())]
    Values(#[from] ValuesError),
    #[error("{0}")]
    KubeVersion(String),
    #[error(
        "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version}"
    )]
    IncompatibleKube { constraint: String, version: String },
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("{0}")]
    Render(RenderFailure),
    #[error(transparent)]
    Output(#[from] AssembleError),
}

/// A template error reported by the template plugin, shown with the source line. `hint`:
/// Helm's advice to use `--debug`, which it gives for a failed render unless `--debug` was
/// given.
#[derive(Debug)]
pub struct RenderFailure {
    pub error: RenderError,
    pub hint: bool,
}

impl std::fmt::Display for RenderFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = &self.error;
        write!(f, "{}", e.message)?;
        if self.hint {
            write!(f, "\n\nUse --debug flag to render out invalid YAML")?;
        }
        if let (Some(pos), Some(line)) = (&e.position, &e.source_line) {
            let col = pos.column.max(1) as usize;
            let caret: String = line
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n\n  --> {}:{}\n   |\n   | {line}\n   | {caret}^",
                pos.file, pos.line
            )?;
        }
        Ok(())
    }
}

/// Renders a chart as `helm template` would.
pub fn template(renderer: &Renderer, mut req: TemplateRequest) -> Result<Templated, TemplateError> {
    let chart = chart::load(&req.chart)?;
    let mut release = prepare(chart, &req)?;
    let hint = !req.output.debug;
    let (rendered, log) = render_release(renderer, &release, req.jobs, req.output.debug)?;
    let rendered =
        rendered.map_err(|error| TemplateError::Render(RenderFailure { error, hint }))?;
    release.warnings.extend(log);
    req.output.chart_name = release.chart.name().to_string();
    let render::Assembled { rendered, output } =
        render::assemble(rendered, release.crds, &req.output)?;
    Ok(Templated {
        rendered,
        output,
        warnings: release.warnings,
    })
}

/// A release ready to render: its chart tree with values applied, the render job, the
/// CRDs in Helm's order, and what Helm would have warned about so far.
pub struct Release {
    pub chart: Chart,
    pub job: RenderJob,
    pub crds: Vec<Crd>,
    pub warnings: Vec<String>,
}

/// Checks the Kubernetes version against the chart, builds the values (schema checked
/// unless asked not to) and the render job of a loaded chart.
pub fn prepare(chart: Chart, req: &TemplateRequest) -> Result<Release, TemplateError> {
    let kube = match &req.kube_version {
        Some(v) => KubeVersion::parse(v).map_err(TemplateError::KubeVersion)?,
        None => KubeVersion::default_version(),
    };
    // Helm checks the chart's kubeVersion when installing or templating, not when linting.
    if !req.lint
        && !chart.metadata.kube_version.is_empty()
        && !rudder_gocompat::semver::is_compatible_range(
            &chart.metadata.kube_version,
            &kube.version,
        )
    {
        return Err(TemplateError::IncompatibleKube {
            constraint: chart.metadata.kube_version.clone(),
            version: kube.version,
        });
    }
    let user = values::user_values(&req.values)?;
    let values::Prepared {
        chart,
        values,
        warnings,
    } = values::prepare_with(
        chart,
        user,
        PrepareOptions {
            skip_schema_validation: req.skip_schema_validation,
        },
    )?;

    let (now, seed) = clock_and_seed(req.deterministic);
    let mut job = RenderJob {
        charts: Vec::new(),
        // The tree goes as soon as it is JSON: a big values file is not held twice while
        // the plugin runs.
        values: {
            let text = values.to_string();
            drop(values);
            text
        },
        release: Some(ReleaseInfo {
            name: req.release_name.clone(),
            namespace: req.namespace.clone(),
            revision: req.revision,
            is_upgrade: req.is_upgrade,
        }),
        capabilities: capabilities_json(&kube, &req.api_versions).to_string(),
        targets: Vec::new(),
        options: RenderOptions {
            strict: req.strict,
            lint: req.lint,
            now,
            seed,
        },
    };
    let mut crds = Vec::new();
    flatten(&chart, None, "", String::new(), &mut job.charts, &mut crds);
    Ok(Release {
        chart,
        job,
        crds,
        warnings,
    })
}

/// What the template plugin made of a release: its templates, or the template error.
pub type RenderResult = Result<Vec<Template>, RenderError>;

/// Runs the template plugin over a prepared release (in up to `jobs` calls at once), and
/// returns its result with the plugin's log lines (debug lines only with `debug`).
pub fn render_release(
    renderer: &Renderer,
    release: &Release,
    jobs: usize,
    debug: bool,
) -> Result<(RenderResult, Vec<String>), PluginError> {
    let recorder = Arc::new(Recorder::new(debug));
    let services: Arc<dyn HostServices> = recorder.clone();
    let rendered = super::shard::render(renderer, &release.job, jobs, &services)?;
    Ok((rendered, recorder.take()))
}

/// Lists `chart` and its subcharts parent-first into `out`, as the render contract wants
/// them, and gathers CRDs in Helm's order (a chart's own, then its dependencies').
fn flatten(
    chart: &Chart,
    parent: Option<u32>,
    values_key: &str,
    parent_path: String,
    out: &mut Vec<JobChart>,
    crds: &mut Vec<Crd>,
) -> u32 {
    let index = out.len() as u32;
    let path = if parent_path.is_empty() {
        chart.name().to_string()
    } else {
        format!("{parent_path}/charts/{}", chart.name())
    };
    for crd in &chart.crds {
        crds.push(Crd {
            name: format!("{path}/{}", crd.path),
            content: String::from_utf8_lossy(&crd.data).into_owned(),
        });
    }
    out.push(JobChart {
        parent,
        values_key: values_key.to_string(),
        path: path.clone(),
        metadata: chart.metadata_json().to_string(),
        templates: chart.templates.clone(),
        files: chart.files.clone(),
        subcharts: Vec::new(),
    });
    let mut children = Vec::new();
    for dep in &chart.dependencies {
        children.push(flatten(
            dep,
            Some(index),
            dep.name(),
            path.clone(),
            out,
            crds,
        ));
    }
    out[index as usize].subcharts = children;
    index
}

/// The time and seed a render gets: fixed with `deterministic` (`SOURCE_DATE_EPOCH` or the
/// epoch, seed 0), else the real time and a fresh seed.
fn clock_and_seed(deterministic: bool) -> (Timestamp, u64) {
    if deterministic {
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        return (
            Timestamp {
                seconds,
                nanoseconds: 0,
            },
            0,
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seed = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(now.as_nanos());
        h.finish()
    };
    (
        Timestamp {
            seconds: now.as_secs() as i64,
            nanoseconds: now.subsec_nanos(),
        },
        seed,
    )
}

/// Executes one standalone template (e.g. `--name-template`) with no values, returning its
/// text.
pub fn render_snippet(renderer: &Renderer, text: &str) -> Result<String, TemplateError> {
    let (now, seed) = clock_and_seed(false);
    let name = "name-template";
    let job = RenderJob {
        charts: vec![JobChart {
            path: name.to_string(),
            metadata: serde_json::json!({ "Name": name, "Version": "0.0.0", "IsRoot": true })
                .to_string(),
            templates: vec![chart::File {
                path: "templates/name".to_string(),
                data: text.as_bytes().to_vec(),
            }],
            ..JobChart::default()
        }],
        capabilities: capabilities_json(&KubeVersion::default_version(), &[]).to_string(),
        targets: vec![format!("{name}/templates/name")],
        options: RenderOptions {
            now,
            seed,
            ..RenderOptions::default()
        },
        ..RenderJob::default()
    };
    // Helm renders the name template before there is a release: no `--debug` hint.
    let out = renderer
        .render(&job)?
        .map_err(|error| TemplateError::Render(RenderFailure { error, hint: false }))?;
    Ok(out
        .templates
        .into_iter()
        .next()
        .map(|t| t.content)
        .unwrap_or_default())
}
