//! Example policy `required-labels`: every object (of the kinds named, or all) carries the
//! labels and annotations the settings require, and with `pod-template` so do the pods a
//! workload makes.
//!
//! Settings: `{"labels": ["app.kubernetes.io/name"], "annotations": ["owner"],
//! "kinds": ["Deployment"], "pod-template": true}`. A label or annotation is there when
//! its key is, whatever its value (an empty one included). Codes: `missing-label`,
//! `missing-annotation`.

use rudder_sdk::{Context, Error, Object, Policy, SettingsError, Value, Violation};
use serde::Deserialize;

pub struct RequiredLabels;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Label keys every selected object must have.
    pub labels: Vec<String>,
    /// Annotation keys every selected object must have.
    pub annotations: Vec<String>,
    /// The kinds checked (`Deployment`); empty for every kind.
    pub kinds: Vec<String>,
    /// Also check the pod template of workloads (`spec.template.metadata`).
    pub pod_template: bool,
}

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "labels": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "annotations": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "kinds": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "pod-template": {"type": "boolean"}
  },
  "additionalProperties": false
}"#;

impl Policy for RequiredLabels {
    const NAME: &'static str = "required-labels";
    const DESCRIPTION: &'static str =
        "objects and their pod templates carry the labels and annotations required";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn validate(settings: &Settings) -> Result<(), SettingsError> {
        if settings.labels.is_empty() && settings.annotations.is_empty() {
            return Err(SettingsError::new(
                "name at least one label or annotation to require",
            ));
        }
        for (field, names) in [
            ("labels", &settings.labels),
            ("annotations", &settings.annotations),
            ("kinds", &settings.kinds),
        ] {
            if let Some(i) = names.iter().position(|n| n.trim().is_empty()) {
                return Err(SettingsError::at(format!("{field}[{i}]"), "is empty"));
            }
        }
        Ok(())
    }

    fn evaluate(
        objects: &[Object<'_>],
        _context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        let mut found = Vec::new();
        for o in objects {
            if !settings.kinds.is_empty() && !settings.kinds.iter().any(|k| k == o.kind) {
                continue;
            }
            let id = o.id();
            check(
                &mut found,
                o,
                o.value.get("metadata"),
                "metadata",
                &id,
                settings,
            );
            if !settings.pod_template || o.kind == "Pod" {
                continue;
            }
            if let Some(pod) = o.pod_spec() {
                let what = format!("the pod template of {id}");
                check(
                    &mut found,
                    o,
                    pod.metadata(),
                    &pod.metadata_path(),
                    &what,
                    settings,
                );
            }
        }
        Ok(found)
    }
}

/// Reports each required key missing from `metadata` (at `path`; `what` names it).
fn check(
    found: &mut Vec<Violation>,
    object: &Object<'_>,
    metadata: Option<&Value>,
    path: &str,
    what: &str,
    settings: &Settings,
) {
    for (field, code, noun, required) in [
        ("labels", "missing-label", "label", &settings.labels),
        (
            "annotations",
            "missing-annotation",
            "annotation",
            &settings.annotations,
        ),
    ] {
        let present = metadata
            .and_then(|m| m.get(field))
            .and_then(Value::as_object);
        for key in required {
            if present.is_some_and(|map| map.get(key).is_some_and(|v| !v.is_null())) {
                continue;
            }
            found.push(
                Violation::error(
                    code,
                    object,
                    format!("{what} has no {noun} {key:?} ({path}.{field})"),
                )
                .at(format!("{path}.{field}")),
            );
        }
    }
}

rudder_sdk::export_policy!(RequiredLabels);
