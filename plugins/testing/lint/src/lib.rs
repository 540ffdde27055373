//! Test guest: a lint plugin with one rule, `test/no-secrets`, which reports every manifest
//! of kind `Secret` (naming it and its template) and, when its settings say `"strict"`, as an
//! error instead of a warning. A manifest with an empty kind is input it refuses, so the
//! host's handling of a plugin error is tested too.

wit_bindgen::generate!({ world: "linter", path: "../../../wit" });
include!("../../describe.rs");

use exports::rudder::plugin::lint::{self, ChartInput, Finding, Rule};
use rudder::plugin::types::{ErrorKind, Manifest, PluginError, Severity};

struct Lint;

const SCHEMA: &str =
    r#"{"type":"object","properties":{"strict":{"type":"boolean"}},"additionalProperties":false}"#;

describe!(Lint, "lint", "reports Secrets (test guest)", Linter, SCHEMA);

impl lint::Guest for Lint {
    fn rules() -> Vec<Rule> {
        vec![Rule {
            id: "test/no-secrets".into(),
            severity: Severity::Warning,
            description: "a chart should not render Secrets".into(),
            docs_url: String::new(),
        }]
    }

    fn lint(
        _chart: ChartInput,
        manifests: Vec<Manifest>,
        settings: String,
    ) -> Result<Vec<Finding>, PluginError> {
        let strict = settings.contains("\"strict\":true");
        let mut found = Vec::new();
        for (i, m) in manifests.iter().enumerate() {
            if m.kind.is_empty() {
                return Err(PluginError {
                    kind: ErrorKind::Input,
                    message: format!("manifest {i} has no kind"),
                    path: Some(format!("manifests[{i}].kind")),
                });
            }
            if m.kind == "Secret" {
                found.push(Finding {
                    rule_id: "test/no-secrets".into(),
                    severity: if strict {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    message: format!("Secret {} from {}", m.name, m.template),
                    position: None,
                    path: Some("kind".into()),
                    manifest_index: Some(i as u32),
                });
            }
        }
        Ok(found)
    }
}

export!(Lint);
