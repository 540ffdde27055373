//! `rudder lint`: a chart rendered once, in Helm's lint mode, and every lint plugin run over
//! its files and objects at once.
//!
//! What only the host can judge — a chart that does not load, values that break the
//! chart's schema, a failed render, a plugin that fails — becomes findings here, in Helm's
//! words; everything else is the plugins'. Their findings then get the object they are
//! about, the template line behind it, the rule settings of `.rudder.yaml` and the
//! objects' `rudder.dev/ignore` annotations.

pub mod config;
pub mod locate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::action::template::{self, TemplateError, TemplateRequest};
use crate::chart::{self, ChartError, File};
use crate::check::{ChartInput, Finding, ObjectRef, Rule, Severity};
use crate::plugin::{Linter, Renderer};
use crate::render::{self, Manifest, Position};

pub use config::{ConfigError, LintConfig, RuleSetting};

/// The annotation that suppresses findings on an object: rule ids, comma-separated.
pub const IGNORE_ANNOTATION: &str = "rudder.dev/ignore";
/// The annotation that says why (kept with each suppressed finding).
pub const IGNORE_REASON_ANNOTATION: &str = "rudder.dev/ignore-reason";

/// The name of the host in findings it reports itself.
pub const HOST: &str = "rudder";

/// The rules the host reports itself, under Helm's rule ids.
pub const HOST_RULES: &[(&str, Severity, &str)] = &[
    (
        "helm/templates",
        Severity::Error,
        "the chart loads and its templates render (in Helm's lint mode)",
    ),
    (
        "helm/values",
        Severity::Error,
        "values.yaml parses and the values meet values.schema.json",
    ),
    (
        "helm/dependencies",
        Severity::Error,
        "the chart loads for its dependencies to be checked",
    ),
    (
        "helm/crds",
        Severity::Error,
        "the chart loads for its CRDs to be checked",
    ),
    (
        "rudder/plugin-error",
        Severity::Error,
        "a lint plugin failed: its rules did not run",
    ),
    (
        crate::policy::POLICY_ERROR,
        Severity::Error,
        "a policy failed or returned garbage: its rules did not run",
    ),
];

/// One chart (with one values case) to lint.
#[derive(Debug, Clone)]
pub struct LintJob {
    /// The chart, with its values, namespace and Kubernetes version; `lint` is set here.
    pub request: TemplateRequest,
    /// The values case (`ci/prod-values.yaml`) this job adds, for reports.
    pub case: Option<String>,
    /// The configuration in force for this chart (repository's, then the chart's own).
    pub config: LintConfig,
}

/// What linting one chart found.
#[derive(Debug, Clone)]
pub struct ChartReport {
    /// The chart as it was named.
    pub chart: PathBuf,
    pub case: Option<String>,
    /// Name and version from `Chart.yaml` (empty when it does not load).
    pub name: String,
    pub version: String,
    /// In Helm's order for Helm's rules, then plugin by plugin, object by object.
    pub findings: Vec<Finding>,
    /// What rendering logged (`required` values missing in lint mode, deprecations...).
    pub log: Vec<String>,
}

impl ChartReport {
    /// The findings that count (not suppressed).
    pub fn counted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// Whether a finding at `fail_at` or worse counts.
    pub fn fails(&self, fail_at: Severity) -> bool {
        self.counted().any(|f| f.severity <= fail_at)
    }
}

/// Why a chart could not be linted at all (it is not a chart): exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("unable to check Chart.yaml file in chart: {0}")]
    NoChart(String),
    #[error(transparent)]
    Chart(#[from] ChartError),
}

/// Lint plugins configured for a run, with the rules each offers, and the policies that
/// run with them.
#[derive(Debug, Clone, Default)]
pub struct Linters {
    pub linters: Vec<(Linter, Vec<Rule>)>,
    pub policies: Vec<crate::policy::ConfiguredPolicy>,
}

impl Linters {
    /// Every rule id known to the run: the plugins' and the host's.
    pub fn knows(&self, id: &str) -> bool {
        HOST_RULES.iter().any(|(r, _, _)| *r == id)
            || self
                .linters
                .iter()
                .any(|(_, rules)| rules.iter().any(|r| r.id == id))
            // A policy's codes are its own business: `POLICY/anything` may be set.
            || self
                .policies
                .iter()
                .any(|p| id.strip_prefix(p.name()).is_some_and(|r| r.starts_with('/')))
    }
}

/// Lints one chart.
pub fn lint(
    renderer: &Renderer,
    linters: &Linters,
    job: &LintJob,
) -> Result<ChartReport, LintError> {
    let path = &job.request.chart;
    let all_files = chart::read_files(path).map_err(|e| match e {
        ChartError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            LintError::NoChart(format!(
                "stat {}: no such file or directory",
                path.join("Chart.yaml").display()
            ))
        }
        other => LintError::Chart(other),
    })?;
    if !all_files.iter().any(|f| f.path == "Chart.yaml") {
        return Err(LintError::NoChart(format!(
            "stat {}: no such file or directory",
            path.join("Chart.yaml").display()
        )));
    }
    let files: Vec<File> = all_files
        .iter()
        .filter(|f| !f.path.starts_with("charts/"))
        .cloned()
        .collect();

    let mut host = Vec::new();
    let mut report = ChartReport {
        chart: path.clone(),
        case: job.case.clone(),
        name: String::new(),
        version: String::new(),
        findings: Vec::new(),
        log: Vec::new(),
    };
    let mut input =
        ChartInput {
            files,
            kube_version: job.request.kube_version.clone().unwrap_or_else(|| {
                crate::action::capabilities::KubeVersion::default_version().version
            }),
            ..ChartInput::default()
        };
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut sources = HashMap::new();
    let mut request = job.request.clone();
    request.lint = true;
    let has_dir = |dir: &str| input.files.iter().any(|f| f.path.starts_with(dir));
    let (templates_dir, crds_dir) = (has_dir("templates/"), has_dir("crds/"));
    match chart::load_read(path, all_files) {
        // Helm loads charts of other API versions with another loader; its lint then
        // reports only the Chart.yaml rule's error.
        Err(ChartError::UnsupportedApiVersion { .. }) => {}
        Err(e) => {
            // Helm's Templates, Dependencies and Crds rules each load the chart and say so.
            let message = e.helm_message();
            if templates_dir {
                host.push(host_finding(
                    "helm/templates",
                    "templates/",
                    message.clone(),
                ));
            }
            host.push(host_finding(
                "helm/dependencies",
                "",
                format!("unable to load chart\n\t{message}"),
            ));
            if crds_dir {
                host.push(host_finding("helm/crds", "crds/", message));
            }
        }
        Ok(chart) => {
            report.name = chart.name().to_string();
            report.version = chart.metadata.version.clone();
            input.metadata = chart.metadata_json().to_string();
            input.subcharts = chart
                .dependencies
                .iter()
                .map(|d| d.metadata.name.clone())
                .collect();
            if !request.skip_schema_validation {
                host.extend(values_schema_finding(&chart, &request));
            }
            let root = format!("{}/templates/", chart.name());
            match template::prepare(chart, &request) {
                // Helm's lint stops quietly where dependencies cannot be processed.
                Err(TemplateError::Values(
                    crate::values::ValuesError::MissingDependencies(_)
                    | crate::values::ValuesError::NotInstallable(_),
                )) => {}
                Err(e) if templates_dir => host.push(prepare_finding(e)),
                Err(_) => {}
                Ok(release) => {
                    input.values = release.job.values.clone();
                    for c in &release.job.charts {
                        for t in &c.templates {
                            sources.insert(
                                format!("{}/{}", c.path, t.path),
                                String::from_utf8_lossy(&t.data).into_owned(),
                            );
                        }
                    }
                    report.log.extend(release.warnings.iter().cloned());
                    match template::render_release(renderer, &release, 0, false) {
                        Err(e) => host.push(host_finding(
                            "rudder/plugin-error",
                            "templates/",
                            e.to_string(),
                        )),
                        Ok((Err(error), log)) => {
                            report.log.extend(log);
                            if templates_dir {
                                host.push(host_finding(
                                    "helm/templates",
                                    "templates/",
                                    error.message,
                                ));
                            }
                        }
                        Ok((Ok(templates), log)) => {
                            report.log.extend(log);
                            let texts: Vec<(&str, &str)> = templates
                                .iter()
                                .map(|t| (t.name.as_str(), t.content.as_str()))
                                .collect();
                            manifests = render::parse_all(&texts).0;
                            let mut rendered: Vec<(String, String)> = templates
                                .into_iter()
                                .filter(|t| t.name.starts_with(&root))
                                .map(|t| (t.name, t.content))
                                .collect();
                            rendered.sort();
                            input.rendered = rendered;
                        }
                    }
                }
            }
        }
    }

    let context = crate::check::Context {
        release_name: job.request.release_name.clone(),
        namespace: job.request.namespace.clone(),
        chart_name: report.name.clone(),
        chart_version: report.version.clone(),
        kube_version: input.kube_version.clone(),
        operation: crate::check::Operation::Lint,
    };
    // The contract's records made once, for every plugin.
    let prepared = crate::plugin::CheckInput::new(Some(&input), &manifests);
    let (found, judged): (Vec<Vec<Finding>>, Vec<Finding>) = rayon::join(
        || {
            linters
                .linters
                .par_iter()
                .map(|(linter, _)| match linter.lint_input(&prepared) {
                    Ok(found) => found,
                    Err(e) => vec![Finding {
                        message: e.to_string(),
                        ..Finding::new(
                            &linter.meta().info.name,
                            "rudder/plugin-error",
                            Severity::Error,
                            String::new(),
                        )
                    }],
                })
                .collect()
        },
        || {
            if manifests.is_empty() {
                Vec::new()
            } else {
                crate::policy::run_input(&linters.policies, &prepared, manifests.len(), &context)
            }
        },
    );

    // Helm's rules first, in Helm's order: the host's findings sit where Helm's own
    // rules report them (see `stage`).
    let mut findings: Vec<Finding> = found.into_iter().flatten().collect();
    findings.extend(judged);
    findings.extend(host);
    findings.sort_by_key(stage);

    for f in &mut findings {
        if let Some(m) = f.manifest.and_then(|i| manifests.get(i)) {
            f.object = Some(ObjectRef {
                api_version: m.api_version.clone(),
                kind: m.kind.clone(),
                name: m.name.clone(),
                namespace: m.namespace.clone().unwrap_or_default(),
                template: m.template.clone(),
                document: m.index,
            });
            if f.position.is_none() {
                f.position = Some(Position {
                    file: m.template.clone(),
                    line: 0,
                    column: 0,
                });
            }
            suppress(f, m);
        }
    }
    locate::locate(&mut findings, &manifests, &sources);
    apply_rules(&mut findings, &job.config);
    report.findings = findings;
    Ok(report)
}

/// Where a finding goes in Helm's order: Helm lints Chart.yaml, then values, then the
/// templates (the folder, then loading and rendering, then each file), dependencies and
/// CRDs; other rules follow, plugin by plugin.
fn stage(f: &Finding) -> u8 {
    let host = f.plugin == HOST;
    match f.rule.as_str() {
        "helm/values" | "helm/values-yaml" => 1,
        "helm/templates" if host => 3,
        "helm/templates" => 2,
        "helm/template-extension"
        | "helm/template-indent"
        | "helm/template-yaml"
        | "helm/metadata-name"
        | "helm/deprecated-api"
        | "helm/match-selector"
        | "helm/list-annotations" => 4,
        "helm/dependencies" | "helm/dependencies-present" => 5,
        "helm/crds" => 6,
        r if r.starts_with("helm/") => 0,
        "rudder/plugin-error" if host => 3,
        _ => 7,
    }
}

/// Helm's values rule checks values.yaml, with the user's values over it, against the
/// root chart's schema alone (the templates rule then checks every chart's).
fn values_schema_finding(chart: &crate::chart::Chart, req: &TemplateRequest) -> Option<Finding> {
    let schema = chart.schema.as_ref().filter(|s| !s.is_empty())?;
    let mut values = chart.values.as_object().cloned().unwrap_or_default();
    if let Ok(serde_json::Value::Object(user)) = crate::values::user_values(&req.values) {
        let mut merged = user;
        let mut log = crate::values::Log::default();
        crate::values::coalesce::coalesce_tables(&mut log, &mut merged, values);
        values = merged;
    }
    let lines = match crate::values::schema::validate_single(
        &serde_json::Value::Object(values),
        schema,
        chart.dir.as_deref(),
    ) {
        Ok(lines) if lines.is_empty() => return None,
        Ok(lines) => format!("{}\n", lines.join("\n")),
        Err(message) => message,
    };
    Some(host_finding("helm/values", "values.yaml", lines))
}

fn host_finding(rule: &str, file: &str, message: String) -> Finding {
    let severity = HOST_RULES
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map_or(Severity::Error, |(_, s, _)| *s);
    Finding {
        position: Some(Position {
            file: file.to_string(),
            line: 0,
            column: 0,
        }),
        ..Finding::new(HOST, rule, severity, message)
    }
}

/// A chart that loaded but whose values or Kubernetes version could not be prepared.
fn prepare_finding(e: TemplateError) -> Finding {
    host_finding("helm/templates", "templates/", e.to_string())
}

/// Marks `f` suppressed when its object's `rudder.dev/ignore` names its rule.
fn suppress(f: &mut Finding, m: &Manifest) {
    let annotations = m.object.get("metadata").and_then(|m| m.get("annotations"));
    let Some(list) = annotations
        .and_then(|a| a.get(IGNORE_ANNOTATION))
        .and_then(|v| v.as_str())
    else {
        return;
    };
    if list.split(',').any(|r| r.trim() == f.rule) {
        let reason = annotations
            .and_then(|a| a.get(IGNORE_REASON_ANNOTATION))
            .and_then(|v| v.as_str())
            .unwrap_or("");
        f.suppressed = Some(if reason.is_empty() {
            format!("{IGNORE_ANNOTATION} on the object")
        } else {
            reason.to_string()
        });
    }
}

/// Applies `.rudder.yaml`'s rule settings: rules set `off` go, others take their severity.
fn apply_rules(findings: &mut Vec<Finding>, config: &LintConfig) {
    findings.retain_mut(|f| match config.rules.get(&f.rule) {
        Some(RuleSetting::Off) => false,
        Some(RuleSetting::Severity(s)) => {
            f.severity = *s;
            true
        }
        None => true,
    });
}

/// The values cases of a chart by chart-testing's convention: `ci/*-values.yaml`, sorted.
pub fn values_cases(chart: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(chart.join("ci")) else {
        return Vec::new();
    };
    let mut cases: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with("-values.yaml"))
        })
        .collect();
    cases.sort();
    cases
}
