//! The render job: everything one call of a template plugin needs, and what it returns, as
//! host-side data. `action/` builds jobs, [`crate::plugin::Renderer`] turns them into the
//! contract's records (whatever contract version the plugin speaks) and its answers back
//! into these types, so nothing outside `plugin/` sees a generated WIT type.

use crate::chart::File;

use super::Template;

/// One render: the chart tree, its values, `.Release`, `.Capabilities` and which templates
/// to execute.
#[derive(Debug, Clone)]
pub struct RenderJob {
    /// Parent before child; the first is the root.
    pub charts: Vec<JobChart>,
    /// The root chart's coalesced values as JSON text (subcharts' values under their keys,
    /// `global` propagated), Go's integer/float distinction kept.
    pub values: String,
    /// `.Release`; `None` for a standalone template (`--name-template`), which Helm executes
    /// before there is a release.
    pub release: Option<ReleaseInfo>,
    /// `.Capabilities` as JSON text (see [`crate::action::capabilities`]).
    pub capabilities: String,
    /// Chart-qualified names of the templates to execute; empty: every template that is
    /// not a partial. Every template is parsed either way, so every `define` is visible.
    pub targets: Vec<String>,
    pub options: RenderOptions,
}

impl Default for RenderJob {
    /// No chart, empty values and capabilities, no release, the epoch and seed 0.
    fn default() -> RenderJob {
        RenderJob {
            charts: Vec::new(),
            values: "{}".to_string(),
            release: None,
            capabilities: "{}".to_string(),
            targets: Vec::new(),
            options: RenderOptions::default(),
        }
    }
}

/// One chart of a job's tree.
#[derive(Debug, Clone, Default)]
pub struct JobChart {
    /// Index of the parent in [`RenderJob::charts`]; `None` for the root.
    pub parent: Option<u32>,
    /// Key of this chart's values in its parent's (alias or name); empty for the root.
    pub values_key: String,
    /// Chart-qualified path naming its templates: `web`, `web/charts/redis`.
    pub path: String,
    /// `Chart.yaml` as JSON with Helm's field names, the alias applied to `name`.
    pub metadata: String,
    /// Every file under `templates/`.
    pub templates: Vec<File>,
    /// The other files `.Files` reads.
    pub files: Vec<File>,
    /// Indices of the direct subcharts, in load order.
    pub subcharts: Vec<u32>,
}

/// `.Release`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseInfo {
    pub name: String,
    pub namespace: String,
    /// 1 for `template` and a first install; the next revision for an upgrade.
    pub revision: u32,
    pub is_upgrade: bool,
}

impl ReleaseInfo {
    /// `.Release` as templates see it (Helm's `chartutil.ReleaseOptions` as a map).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "Name": self.name,
            "Namespace": self.namespace,
            "Revision": self.revision,
            "IsInstall": !self.is_upgrade,
            "IsUpgrade": self.is_upgrade,
            "Service": "Helm",
        })
    }
}

/// How templates execute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// Missing map keys fail (Helm's `--strict`).
    pub strict: bool,
    /// Helm's lint mode: `required` and `fail` warn instead of failing (contract 0.2.0 on;
    /// a 0.1.0 plugin never gets it).
    pub lint: bool,
    /// What `now` returns, for the whole render.
    pub now: Timestamp,
    /// Seed of `rand*`, `uuidv4` and key generation.
    pub seed: u64,
}

/// Seconds and nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timestamp {
    pub seconds: i64,
    /// Below 1_000_000_000.
    pub nanoseconds: u32,
}

/// A successful render.
#[derive(Debug, Clone)]
pub struct RenderOutput {
    /// The executed templates, in the order the engine ran them.
    pub templates: Vec<Template>,
    /// A template changed, in place, data later templates also see (`set .Values ...`):
    /// a render split across calls must be redone in one.
    pub shared_data_changed: bool,
}

/// A template error the engine reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// Helm's message (`template: web/templates/svc.yaml:3:12: executing ...`).
    pub message: String,
    pub position: Option<Position>,
    /// The source line at `position`, for a caret display.
    pub source_line: Option<String>,
    /// Template names from the innermost `include`/`template` outwards.
    pub call_stack: Vec<String>,
}

/// A place in a chart's file; `line` and `column` count from 1, 0 is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// Chart-qualified file name (`web/templates/svc.yaml`).
    pub file: String,
    pub line: u32,
    pub column: u32,
}
