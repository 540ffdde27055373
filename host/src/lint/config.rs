//! `.rudder.yaml`: what a chart or a repository says about its lint rules.
//!
//! ```yaml
//! lint:
//!   rules:                    # by rule id: off, or the severity to report it at
//!     bp/latest-tag: error
//!     bp/cpu-limits: off
//!   settings:                 # by plugin name: the plugin's settings
//!     lint-practices:
//!       minReplicasForPdb: 3
//! policies:                   # policy plugins to run (see `crate::policy`)
//!   - name: required-labels
//!     settings: {labels: [owner]}
//! ```
//!
//! A repository's file (the nearest `.rudder.yaml` above the working directory) applies to
//! every chart; a chart's own file (in its directory) overrides it rule by rule and plugin
//! by plugin. Both are checked when loaded: an unknown key, rule or plugin is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::Severity;
use crate::policy::PolicyConfig;

pub const FILE_NAME: &str = ".rudder.yaml";

/// What a rule is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // YAML 1.1 reads a bare `off` as false.
        let text = match serde_json::Value::deserialize(d)? {
            serde_json::Value::Bool(false) => "off".to_string(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        Ok(match text.as_str() {
            "off" => RuleSetting::Off,
            "error" => RuleSetting::Severity(Severity::Error),
            "warning" => RuleSetting::Severity(Severity::Warning),
            "info" => RuleSetting::Severity(Severity::Info),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "{other:?} is not a rule setting: use off, error, warning or info"
                )));
            }
        })
    }
}

/// The `lint` section.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    pub rules: BTreeMap<String, RuleSetting>,
    pub settings: BTreeMap<String, serde_json::Value>,
    /// The file's `policies` (a top-level key, not under `lint`).
    #[serde(skip)]
    pub policies: Vec<PolicyConfig>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
struct File {
    lint: LintConfig,
    policies: Vec<PolicyConfig>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl LintConfig {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<LintConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        for p in &mut config.policies {
            p.base = base.clone();
        }
        Ok(config)
    }

    /// Parses the text of a `.rudder.yaml`.
    pub fn parse(text: &str) -> Result<LintConfig, String> {
        // Integers stay integers: settings go to plugins that may want them.
        let value = rudder_yaml::from_str_typed(text).map_err(|e| e.to_string())?;
        if value.is_null() {
            return Ok(LintConfig::default());
        }
        let file: File = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                e.inner().to_string()
            } else {
                format!("{path}: {}", e.inner())
            }
        })?;
        let mut lint = file.lint;
        lint.policies = file.policies;
        Ok(lint)
    }

    /// The nearest `.rudder.yaml` in `dir` or above it.
    pub fn find_above(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// This configuration with `over` applied on top (rule by rule, plugin by plugin).
    pub fn merged(&self, over: &LintConfig) -> LintConfig {
        let mut out = self.clone();
        out.rules
            .extend(over.rules.iter().map(|(k, v)| (k.clone(), *v)));
        out.settings
            .extend(over.settings.iter().map(|(k, v)| (k.clone(), v.clone())));
        for p in &over.policies {
            if !out.policies.contains(p) {
                out.policies.push(p.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_settings_and_refuses_unknown_keys() {
        let c = LintConfig::parse(
            "lint:\n  rules:\n    bp/a: off\n    bp/b: error\n  settings:\n    lint-practices: {x: 1}\n",
        )
        .unwrap();
        assert_eq!(c.rules["bp/a"], RuleSetting::Off);
        assert_eq!(c.rules["bp/b"], RuleSetting::Severity(Severity::Error));
        assert_eq!(c.settings["lint-practices"]["x"], 1);
        let e = LintConfig::parse("lint:\n  rulez: {}\n").unwrap_err();
        assert!(e.contains("rulez"), "{e}");
        let e = LintConfig::parse("lint:\n  rules:\n    bp/a: loud\n").unwrap_err();
        assert!(
            e.contains("lint.rules.bp/a") && e.contains("\"loud\""),
            "{e}"
        );
        assert_eq!(LintConfig::parse("").unwrap(), LintConfig::default());
    }

    #[test]
    fn a_chart_overrides_its_repository() {
        let repo = LintConfig::parse("lint: {rules: {bp/a: off, bp/b: info}}").unwrap();
        let chart = LintConfig::parse("lint: {rules: {bp/b: error}}").unwrap();
        let m = repo.merged(&chart);
        assert_eq!(m.rules["bp/a"], RuleSetting::Off);
        assert_eq!(m.rules["bp/b"], RuleSetting::Severity(Severity::Error));
    }
}
