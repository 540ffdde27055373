//! `rudder policy test`: policy suites as YAML, in the spirit of `kyverno test` and
//! `conftest verify`. A suite names one policy and its settings, and lists cases: input
//! manifests and the violations expected of them.
//!
//! ```yaml
//! policy: required-labels          # a loaded plugin's name, or
//! # path: ../team.wasm             # a component file (relative to the suite)
//! # sha256: 5f1c…                  # with its pin
//! settings: {labels: [owner]}
//! cases:
//!   - name: a Deployment without an owner
//!     manifests: |                 # YAML documents, or `file: inputs/web.yaml`
//!       apiVersion: apps/v1
//!       kind: Deployment
//!       metadata: {name: web}
//!     namespace: team-a            # the release namespace (default `default`)
//!     expect:                      # every violation, no more: [] for none
//!       - code: missing-label
//!         object: Deployment/web   # optional
//!         message: owner           # optional: a part of the message
//!         severity: error          # optional
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfiguredPolicy, PolicyConfig, PolicyError};
use crate::check::{Context, Finding, Operation};
use crate::plugin::{Registry, Runtime};
use crate::render::Manifest;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    policy: Option<String>,
    path: Option<PathBuf>,
    sha256: Option<String>,
    settings: Option<serde_json::Value>,
    #[serde(default)]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    manifests: Option<String>,
    file: Option<PathBuf>,
    namespace: Option<String>,
    #[serde(default)]
    expect: Vec<Expect>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    object: Option<String>,
    message: Option<String>,
    severity: Option<String>,
}

/// Why a suite could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Policy {
        path: PathBuf,
        source: Box<PolicyError>,
    },
}

/// What one case gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    pub name: String,
    /// Expected violations that did not come, as `code object message`.
    pub missing: Vec<String>,
    /// Violations that came unexpected.
    pub unexpected: Vec<String>,
    /// The case could not run (its manifests do not parse, the policy failed).
    pub error: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.error.is_none()
    }
}

/// What one suite file gave.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    pub file: PathBuf,
    pub policy: String,
    pub cases: Vec<CaseResult>,
}

/// A suite file, read.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    text: String,
}

/// The suite files under `dir` (or `dir` itself when it is a file): `*.yaml` and `*.yml`
/// with a top-level `cases` key (inputs beside them are not suites), recursively, sorted.
pub fn find(dir: &Path) -> Result<Vec<Found>, SuiteError> {
    let read = |path: &Path, source| SuiteError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(dir).map_err(|e| read(dir, e))?;
    if !meta.is_dir() {
        let text = std::fs::read_to_string(dir).map_err(|e| read(dir, e))?;
        return Ok(vec![Found {
            path: dir.to_path_buf(),
            text,
        }]);
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| read(&d, e))? {
            let p = entry.map_err(|e| read(&d, e))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && let Ok(text) = std::fs::read_to_string(&p)
                && text.lines().any(|l| l.starts_with("cases:"))
            {
                out.push(Found { path: p, text });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Runs one suite file.
pub fn run(
    registry: &Registry,
    runtime: &Runtime,
    found: &Found,
) -> Result<SuiteReport, SuiteError> {
    let file = found.path.as_path();
    let invalid = |message: String| SuiteError::Invalid {
        path: file.to_path_buf(),
        message,
    };
    let value = rudder_yaml::from_str_typed(&found.text).map_err(|e| invalid(e.to_string()))?;
    let suite: SuiteFile = serde_path_to_error::deserialize(value)
        .map_err(|e| invalid(format!("{}: {}", e.path(), e.inner())))?;
    if suite.cases.is_empty() {
        return Err(invalid("the suite has no cases".into()));
    }
    let base = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let config = PolicyConfig {
        name: suite.policy.clone(),
        path: suite.path.clone(),
        sha256: suite.sha256.clone(),
        settings: suite.settings.clone(),
        base: base.clone(),
        ..PolicyConfig::default()
    };
    let policy =
        super::configure(registry, runtime, &config).map_err(|source| SuiteError::Policy {
            path: file.to_path_buf(),
            source: Box::new(source),
        })?;
    let cases = suite
        .cases
        .iter()
        .map(|case| run_case(&policy, case, &base))
        .collect();
    Ok(SuiteReport {
        file: file.to_path_buf(),
        policy: policy.name().to_string(),
        cases,
    })
}

fn run_case(policy: &ConfiguredPolicy, case: &Case, base: &Path) -> CaseResult {
    let mut result = CaseResult {
        name: case.name.clone(),
        missing: Vec::new(),
        unexpected: Vec::new(),
        error: None,
    };
    let text = match (&case.manifests, &case.file) {
        (Some(t), None) => t.clone(),
        (None, Some(f)) => match std::fs::read_to_string(base.join(f)) {
            Ok(t) => t,
            Err(e) => {
                result.error = Some(format!("cannot read {}: {e}", base.join(f).display()));
                return result;
            }
        },
        _ => {
            result.error = Some("give either `manifests` or `file`".into());
            return result;
        }
    };
    let (manifests, failed) =
        crate::render::parse_all(&[("suite/templates/input.yaml", text.as_str())]);
    if let Some((_, message)) = failed.first() {
        result.error = Some(format!("the manifests do not parse: {message}"));
        return result;
    }
    let context = Context {
        release_name: "test-release".into(),
        namespace: case.namespace.clone().unwrap_or_else(|| "default".into()),
        chart_name: "suite".into(),
        chart_version: "0.0.0".into(),
        kube_version: crate::action::capabilities::KubeVersion::default_version().version,
        operation: Operation::Lint,
    };
    let found = super::run(std::slice::from_ref(policy), &manifests, &context);
    if let Some(f) = found.iter().find(|f| f.rule == super::POLICY_ERROR) {
        result.error = Some(f.message.clone());
        return result;
    }
    let prefix = format!("{}/", policy.name());
    let mut actual: Vec<(String, String, &Finding)> = found
        .iter()
        .map(|f| {
            let code = f.rule.strip_prefix(&prefix).unwrap_or(&f.rule).to_string();
            (code, object_of(f, &manifests), f)
        })
        .collect();
    for want in &case.expect {
        let hit = actual.iter().position(|(code, object, f)| {
            *code == want.code
                && want.object.as_ref().is_none_or(|o| o == object)
                && want
                    .message
                    .as_ref()
                    .is_none_or(|m| f.message.contains(m.as_str()))
                && want
                    .severity
                    .as_ref()
                    .is_none_or(|s| s.eq_ignore_ascii_case(f.severity.as_str()))
        });
        match hit {
            Some(i) => {
                actual.remove(i);
            }
            None => result.missing.push(describe_expect(want)),
        }
    }
    result.unexpected = actual
        .iter()
        .map(|(code, object, f)| {
            format!("{code} {object} ({}): {}", f.severity.as_str(), f.message)
        })
        .collect();
    result
}

fn object_of(f: &Finding, manifests: &[Manifest]) -> String {
    f.manifest
        .and_then(|i| manifests.get(i))
        .map_or_else(String::new, |m| format!("{}/{}", m.kind, m.name))
}

fn describe_expect(e: &Expect) -> String {
    let mut s = e.code.clone();
    if let Some(o) = &e.object {
        s.push(' ');
        s.push_str(o);
    }
    if let Some(sev) = &e.severity {
        s.push_str(&format!(" ({sev})"));
    }
    if let Some(m) = &e.message {
        s.push_str(&format!(": …{m}…"));
    }
    s
}
