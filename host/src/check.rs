//! What lint and policy plugins are given and what they find, as host-side data shared by
//! `lint`, the policy run before a deploy, and their reports. Only `plugin/` turns these
//! into the contract's records.

use crate::render::Position;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Breaks the chart or violates a policy.
    Error,
    /// Likely a mistake.
    Warning,
    /// Advice.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The command that runs the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Template,
    Lint,
    Install,
    Upgrade,
    Diff,
}

/// Where the manifests of a policy run are going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub release_name: String,
    pub namespace: String,
    pub chart_name: String,
    pub chart_version: String,
    /// Target Kubernetes version (`v1.35.0`).
    pub kube_version: String,
    pub operation: Operation,
}

/// A rule a lint plugin offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `PLUGIN/RULE` (`helm/chart-version`).
    pub id: String,
    pub severity: Severity,
    pub description: String,
    /// Empty when the rule has no page.
    pub docs_url: String,
}

/// The chart a lint plugin looks at besides its manifests (see the contract's
/// `chart-input`: what could not be made is empty).
#[derive(Debug, Clone, Default)]
pub struct ChartInput {
    /// `Chart.yaml` as JSON text.
    pub metadata: String,
    /// The coalesced values as JSON text.
    pub values: String,
    /// The chart's files, nothing under `charts/`.
    pub files: Vec<crate::chart::File>,
    /// Names of the charts under `charts/`.
    pub subcharts: Vec<String>,
    /// The root chart's templates as rendered in lint mode: (name, text).
    pub rendered: Vec<(String, String)>,
    /// Target Kubernetes version (`v1.35.0`).
    pub kube_version: String,
}

/// One problem found by a lint rule or a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The plugin that reported it.
    pub plugin: String,
    /// The lint rule's id, or the policy's own code for the rule (`no-latest-tag`).
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Index, in the manifests given to the plugin, of the one it is about; `None` when it
    /// is about the chart itself.
    pub manifest: Option<usize>,
    /// JSON path inside the manifest or the values (`spec.template.spec.containers[0]`).
    pub path: Option<String>,
    /// Where the plugin said it is (a chart file for findings about the chart).
    pub position: Option<Position>,
    /// The object it is about, filled in by the host from `manifest`.
    pub object: Option<ObjectRef>,
    /// The template line that produced the offending line of the object, found by the
    /// host.
    pub source: Option<Position>,
    /// The values path (`image.tag`) that template line reads, when it reads one.
    pub values_path: Option<String>,
    /// Why the finding does not count, when it was suppressed (by an object's
    /// `rudder.dev/ignore` annotation); suppressed findings stay in the machine-readable
    /// reports.
    pub suppressed: Option<String>,
}

impl Finding {
    /// A finding with nothing but its plugin, rule, severity and message.
    pub fn new(plugin: &str, rule: &str, severity: Severity, message: String) -> Finding {
        Finding {
            plugin: plugin.to_string(),
            rule: rule.to_string(),
            severity,
            message,
            manifest: None,
            path: None,
            position: None,
            object: None,
            source: None,
            values_path: None,
            suppressed: None,
        }
    }
}

/// The rendered object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// Empty when the object does not say.
    pub namespace: String,
    /// Chart-qualified template that produced it, and the document's index in it.
    pub template: String,
    pub document: usize,
}
