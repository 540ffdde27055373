//! Example policy `resource-limits`: every container declares the resource limits (and
//! requests) the settings require, within optional maxima compared as Kubernetes
//! quantities (`2` CPUs is `2000m`, `4Gi` is `4096Mi`).
//!
//! Settings: `{"limits": ["cpu", "memory"], "requests": ["memory"], "init-containers":
//! true, "max-cpu": "2", "max-memory": "4Gi"}`. By default the cpu and memory limits of
//! every container and init container are required and no request is. Ephemeral
//! containers take no resources and are not checked. A maximum applies to the limit and to
//! the request of its resource. Codes: `missing-limit`, `missing-request`,
//! `limit-above-max`, `request-above-max`, `invalid-quantity`.

use rudder_sdk::pods::{Container, ContainerKind};
use rudder_sdk::quantity::Quantity;
use rudder_sdk::{Context, Error, Object, Policy, SettingsError, Violation};
use serde::Deserialize;

pub struct ResourceLimits;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Resources every container must have a limit for.
    pub limits: Vec<String>,
    /// Resources every container must have a request for.
    pub requests: Vec<String>,
    /// Check init containers too.
    pub init_containers: bool,
    /// The largest CPU limit or request allowed (`"2"`, `"1500m"`).
    pub max_cpu: Option<String>,
    /// The largest memory limit or request allowed (`"4Gi"`).
    pub max_memory: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            limits: vec!["cpu".into(), "memory".into()],
            requests: Vec::new(),
            init_containers: true,
            max_cpu: None,
            max_memory: None,
        }
    }
}

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "limits": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": ["cpu", "memory"]},
    "requests": {"type": "array", "items": {"type": "string", "minLength": 1}, "default": []},
    "init-containers": {"type": "boolean", "default": true},
    "max-cpu": {"type": "string"},
    "max-memory": {"type": "string"}
  },
  "additionalProperties": false
}"#;

impl Policy for ResourceLimits {
    const NAME: &'static str = "resource-limits";
    const DESCRIPTION: &'static str =
        "containers declare resource limits and requests, within maxima";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn validate(settings: &Settings) -> Result<(), SettingsError> {
        for (field, names) in [
            ("limits", &settings.limits),
            ("requests", &settings.requests),
        ] {
            if let Some(i) = names.iter().position(|n| n.trim().is_empty()) {
                return Err(SettingsError::at(format!("{field}[{i}]"), "is empty"));
            }
        }
        maxima(settings)?;
        if settings.limits.is_empty()
            && settings.requests.is_empty()
            && settings.max_cpu.is_none()
            && settings.max_memory.is_none()
        {
            return Err(SettingsError::new(
                "nothing to check: require a limit or a request, or set a maximum",
            ));
        }
        Ok(())
    }

    fn evaluate(
        objects: &[Object<'_>],
        _context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        let maxima = maxima(settings)?;
        let mut found = Vec::new();
        for o in objects {
            for c in o.containers() {
                let checked = match c.kind {
                    ContainerKind::Regular => true,
                    ContainerKind::Init => settings.init_containers,
                    ContainerKind::Ephemeral => false,
                };
                if checked {
                    check_container(&mut found, o, &c, settings, &maxima);
                }
            }
        }
        Ok(found)
    }
}

/// `(resource, its maximum as written, parsed)` for the maxima set.
type Maxima = Vec<(&'static str, String, Quantity)>;

fn maxima(settings: &Settings) -> Result<Maxima, SettingsError> {
    let mut out = Vec::new();
    for (resource, field, max) in [
        ("cpu", "max-cpu", &settings.max_cpu),
        ("memory", "max-memory", &settings.max_memory),
    ] {
        if let Some(text) = max {
            let q = Quantity::parse(text).map_err(|e| SettingsError::at(field, e.to_string()))?;
            out.push((resource, text.clone(), q));
        }
    }
    Ok(out)
}

fn check_container(
    found: &mut Vec<Violation>,
    o: &Object<'_>,
    c: &Container<'_>,
    settings: &Settings,
    maxima: &Maxima,
) {
    let noun = if c.kind == ContainerKind::Init {
        "init container"
    } else {
        "container"
    };
    let what = format!("{} {noun} {:?}", o.id(), c.name());
    for (section, code, singular, required) in [
        ("limits", "missing-limit", "limit", &settings.limits),
        ("requests", "missing-request", "request", &settings.requests),
    ] {
        for resource in required {
            let keys = ["resources", section, resource.as_str()];
            if c.get(&keys).is_none() {
                let path = c.path_of(&keys);
                found.push(
                    Violation::error(
                        code,
                        o,
                        format!("{what} has no {resource} {singular} ({path})"),
                    )
                    .at(path),
                );
            }
        }
    }
    for (resource, max_text, max) in maxima {
        for (section, code, singular) in [
            ("limits", "limit-above-max", "limit"),
            ("requests", "request-above-max", "request"),
        ] {
            let keys = ["resources", section, resource];
            let Some(value) = c.get(&keys) else { continue };
            let path = c.path_of(&keys);
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            match Quantity::from_value(value) {
                Err(e) => found.push(
                    Violation::error(
                        "invalid-quantity",
                        o,
                        format!("{what} {resource} {singular}: {e} ({path})"),
                    )
                    .at(path),
                ),
                Ok(q) if q > *max => found.push(
                    Violation::error(
                        code,
                        o,
                        format!(
                            "{what} {resource} {singular} {shown:?} is above the maximum {max_text:?} ({path})"
                        ),
                    )
                    .at(path),
                ),
                Ok(_) => {}
            }
        }
    }
}

rudder_sdk::export_policy!(ResourceLimits);
