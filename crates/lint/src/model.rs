//! What a rule sees and what it reports.

use serde_json::Value;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A rule: a stable id (`family/name`), its default severity and one line for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
}

/// A file of the chart, its path relative to the chart's root.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub data: Vec<u8>,
}

/// A target Kubernetes version (`1.35`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubeVersion {
    /// Parses `v1.35.0`, `1.35` or `1.35.2` (a leading `v` and a patch are optional).
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let text = text.trim().trim_start_matches('v');
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts
            .next()?
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        Some(KubeVersion { major, minor })
    }
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}.{}", self.major, self.minor)
    }
}

/// The chart being linted.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// Every file of the chart as loaded (after `.helmignore`), paths relative to its root:
    /// `Chart.yaml`, `values.yaml`, `templates/...`, `crds/...` and the rest, but nothing
    /// under `charts/`.
    pub files: Vec<File>,
    /// The names (from their `Chart.yaml`) of the charts found under `charts/`, as
    /// directories or archives.
    pub subcharts: Vec<String>,
    /// The coalesced values the templates were rendered with (`Value::Null` when the chart
    /// did not render).
    pub values: Value,
    /// Each template's rendered text by chart-qualified name (`web/templates/svc.yaml`),
    /// only for the root chart's own templates; empty when the chart did not render.
    pub rendered: Vec<(String, String)>,
    /// Whether the host loaded the chart as Helm's loader does (its `Chart.yaml`,
    /// `values.yaml` and dependencies passed): rules may then skip re-reading what the
    /// loader already judged. `false` when it did not load, or nobody said.
    pub loaded: bool,
}

impl Chart {
    pub fn file(&self, path: &str) -> Option<&File> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// One rendered object (one YAML document of a template's output).
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    /// Index in the list of objects given to the rules: findings name it.
    pub index: usize,
    /// Chart-qualified template that produced it.
    pub template: &'a str,
    /// The hook it is (`pre-install,post-upgrade`), empty for a plain manifest.
    pub hook: &'a str,
    /// The document, Go's integer/float distinction kept (`3` an integer, `3.0` a float).
    pub value: &'a Value,
}

impl<'a> Object<'a> {
    fn str_at(&self, path: &[&str]) -> &'a str {
        let mut v = self.value;
        for key in path {
            match v.get(key) {
                Some(next) => v = next,
                None => return "",
            }
        }
        v.as_str().unwrap_or("")
    }

    pub fn api_version(&self) -> &'a str {
        self.str_at(&["apiVersion"])
    }

    pub fn kind(&self) -> &'a str {
        self.str_at(&["kind"])
    }

    pub fn name(&self) -> &'a str {
        self.str_at(&["metadata", "name"])
    }

    pub fn namespace(&self) -> &'a str {
        self.str_at(&["metadata", "namespace"])
    }

    /// The API group (`apps`; empty for the core group).
    pub fn group(&self) -> &'a str {
        match self.api_version().rsplit_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }

    /// `metadata.labels` or `metadata.annotations` entry `key`.
    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.value
            .get("metadata")?
            .get("labels")?
            .get(key)?
            .as_str()
    }

    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.value
            .get("metadata")?
            .get("annotations")?
            .get(key)?
            .as_str()
    }
}

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Index of the object it is about; `None` when it is about the chart.
    pub object: Option<usize>,
    /// JSON path inside the object or the values (`spec.template.spec.containers[0].image`).
    pub path: Option<String>,
    /// The chart file it is about (`Chart.yaml`, `templates/`, `templates/svc.yaml`), for
    /// findings about the chart; Helm prints it before the message.
    pub file: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its default severity about object `object`, at `path`.
    pub fn object(
        rule: &Rule,
        object: usize,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            message: message.into(),
            object: Some(object),
            path: Some(path.into()),
            file: None,
        }
    }

    /// A finding of `rule` at its default severity about chart file `file`.
    pub fn file(rule: &Rule, file: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            message: message.into(),
            object: None,
            path: None,
            file: Some(file.into()),
        }
    }
}
