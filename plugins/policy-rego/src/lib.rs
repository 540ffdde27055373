//! The policy plugin `policy-rego`: conftest-style Rego policies (`deny`, `violation`,
//! `warn` rules and their `_suffix`ed forms) over every rendered manifest, each one the
//! policy's `input`. The engine is `rudder_rego`; this crate only speaks WIT.
//!
//! The plugin reads no files: the host expands the paths the user gives for `policy` and
//! `data` (the schema marks them with `x-rudder-files`) into `[{path, text}]` lists.

wit_bindgen::generate!({ world: "policy", path: "../../wit" });

use exports::rudder::plugin::evaluate as wit;
use rudder::plugin::types as wit_types;

struct PolicyRego;

/// The JSON Schema of the settings, as `info()` gives it.
const SETTINGS_SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "additionalProperties": false,
  "required": ["policy"],
  "properties": {
    "policy": {
      "description": "The Rego modules (.rego files).",
      "x-rudder-files": {"extensions": [".rego"]},
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["path", "text"],
        "properties": {"path": {"type": "string"}, "text": {"type": "string"}}
      }
    },
    "data": {
      "description": "Data documents merged into `data`, as conftest's --data.",
      "x-rudder-files": {"extensions": [".json", ".yaml", ".yml"]},
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["path", "text"],
        "properties": {"path": {"type": "string"}, "text": {"type": "string"}}
      }
    },
    "namespaces": {
      "description": "The packages to check (conftest's --namespace); default [\"main\"].",
      "type": "array",
      "items": {"type": "string", "minLength": 1}
    },
    "all-namespaces": {
      "description": "Check every package of the modules (conftest's --all-namespaces).",
      "type": "boolean",
      "default": false
    },
    "rego-version": {
      "description": "The Rego syntax of the modules (conftest's --rego-version).",
      "enum": ["v0", "v1"],
      "default": "v1"
    }
  }
}"#;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    policy: Vec<rudder_rego::Source>,
    #[serde(default)]
    data: Vec<rudder_rego::Source>,
    #[serde(default)]
    namespaces: Option<Vec<String>>,
    #[serde(default)]
    all_namespaces: bool,
    #[serde(default)]
    rego_version: rudder_rego::RegoVersion,
}

fn settings_error(message: String, path: Option<String>) -> wit_types::PluginError {
    wit_types::PluginError {
        kind: wit_types::ErrorKind::Settings,
        message,
        path,
    }
}

fn parse_settings(text: &str) -> Result<Settings, wit_types::PluginError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_json::from_str(text).map_err(|e| settings_error(e.to_string(), None))
}

fn compile(settings: &Settings) -> Result<rudder_rego::Policy, wit_types::PluginError> {
    let options = rudder_rego::Options {
        rego_version: settings.rego_version,
        namespaces: if settings.all_namespaces {
            rudder_rego::Namespaces::All
        } else {
            settings.namespaces.clone().map_or_else(
                rudder_rego::Namespaces::default,
                rudder_rego::Namespaces::List,
            )
        },
        // The host bounds every call with its own deadline; the sandbox's clock may be
        // frozen for reproducible output, so the interpreter's own timer is left off.
        time_limit: None,
        ..rudder_rego::Options::default()
    };
    rudder_rego::Policy::compile(&settings.policy, &settings.data, &options).map_err(|e| {
        let path = match &e {
            rudder_rego::Error::Parse { path, .. }
            | rudder_rego::Error::BooleanCheck { path, .. } => settings
                .policy
                .iter()
                .position(|m| &m.path == path)
                .map(|i| format!("policy[{i}]")),
            rudder_rego::Error::Data { path, .. } => settings
                .data
                .iter()
                .position(|d| &d.path == path)
                .map(|i| format!("data[{i}]")),
            rudder_rego::Error::NoModules => Some("policy".to_string()),
            _ => None,
        };
        settings_error(e.to_string(), path)
    })
}

impl exports::rudder::plugin::describe::Guest for PolicyRego {
    fn info() -> wit_types::PluginInfo {
        wit_types::PluginInfo {
            name: "rego".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: wit_types::PluginKind::Policy,
            description: "Rego policies as conftest runs them (deny/violation/warn rules)".into(),
            settings_schema: SETTINGS_SCHEMA.into(),
        }
    }

    fn validate_settings(settings: String) -> Result<(), wit_types::PluginError> {
        compile(&parse_settings(&settings)?).map(|_| ())
    }
}

impl wit::Guest for PolicyRego {
    fn evaluate(
        manifests: Vec<wit_types::Manifest>,
        _context: wit::Context,
        settings: String,
    ) -> Result<Vec<wit::Violation>, wit_types::PluginError> {
        let policy = compile(&parse_settings(&settings)?)?;
        let mut out = Vec::new();
        for (i, m) in manifests.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let input: serde_json::Value =
                serde_json::from_str(&m.object).map_err(|e| wit_types::PluginError {
                    kind: wit_types::ErrorKind::Input,
                    message: format!("manifest {i} ({}) is not JSON: {e}", m.template),
                    path: Some(format!("manifests[{i}].object")),
                })?;
            let decisions = policy
                .evaluate(&input)
                .map_err(|e| wit_types::PluginError {
                    kind: wit_types::ErrorKind::Internal,
                    message: format!("{} (manifest {i}, {})", e, m.template),
                    path: None,
                })?;
            out.extend(decisions.into_iter().map(|d| wit::Violation {
                code: d.rule,
                severity: if d.kind.is_failure() {
                    wit_types::Severity::Error
                } else {
                    wit_types::Severity::Warning
                },
                message: d.message,
                manifest_index: index,
                path: None,
                position: None,
            }));
        }
        Ok(out)
    }
}

export!(PolicyRego);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_and_marks_the_file_lists() {
        let schema: serde_json::Value = serde_json::from_str(SETTINGS_SCHEMA).unwrap();
        assert_eq!(
            schema["properties"]["policy"]["x-rudder-files"]["extensions"],
            serde_json::json!([".rego"])
        );
        assert_eq!(
            schema["properties"]["data"]["x-rudder-files"]["extensions"],
            serde_json::json!([".json", ".yaml", ".yml"])
        );
    }

    #[test]
    fn settings_compile_and_errors_name_the_module() {
        let ok = r#"{"policy": [{"path": "p.rego", "text": "package main\ndeny contains \"x\" if input.bad\n"}],
                     "namespaces": ["main"], "rego-version": "v1"}"#;
        let settings = parse_settings(ok).unwrap();
        let policy = compile(&settings).unwrap();
        let d = policy.evaluate(&serde_json::json!({"bad": true})).unwrap();
        assert_eq!(d.len(), 1);

        let bad = r#"{"policy": [{"path": "a.rego", "text": "package a\n"},
                                 {"path": "policy/deny.rego", "text": "package main\n\ndeny[msg] {\n  msg := 1\n}\n"}]}"#;
        let err = compile(&parse_settings(bad).unwrap()).err().unwrap();
        assert!(matches!(err.kind, wit_types::ErrorKind::Settings));
        assert_eq!(err.path.as_deref(), Some("policy[1]"));
        assert!(
            err.message.starts_with("policy/deny.rego:3:"),
            "{}",
            err.message
        );

        assert!(parse_settings(r#"{"policy": [], "extra": 1}"#).is_err());
    }
}
