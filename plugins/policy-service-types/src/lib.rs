//! Example policy `service-types`: Service types forbidden per namespace.
//!
//! Settings: `{"rules": [{"namespaces": "team-*", "forbid": ["LoadBalancer", "NodePort"]}]}`.
//! `namespaces` is a glob (`*` any run of characters, `?` one; `*` when left out) matched
//! against the Service's namespace: its `metadata.namespace`, or else the release's. A
//! Service without `spec.type` is a `ClusterIP`. The first rule that matches the namespace
//! and forbids the type is reported. Code: `service-type-forbidden`.

use rudder_sdk::{Context, Error, Object, Policy, SettingsError, Value, Violation};
use serde::Deserialize;

pub struct ServiceTypes;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Glob over namespaces (`team-*`).
    #[serde(default = "any_namespace")]
    pub namespaces: String,
    /// Service types forbidden there.
    pub forbid: Vec<String>,
}

fn any_namespace() -> String {
    "*".to_string()
}

/// The Service types Kubernetes knows.
const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "rules": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "namespaces": {"type": "string", "minLength": 1},
          "forbid": {
            "type": "array",
            "items": {"enum": ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]}
          }
        },
        "required": ["forbid"],
        "additionalProperties": false
      }
    }
  },
  "additionalProperties": false
}"#;

impl Policy for ServiceTypes {
    const NAME: &'static str = "service-types";
    const DESCRIPTION: &'static str = "Service types forbidden per namespace";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn validate(settings: &Settings) -> Result<(), SettingsError> {
        if settings.rules.is_empty() {
            return Err(SettingsError::at("rules", "no rule given"));
        }
        for (i, rule) in settings.rules.iter().enumerate() {
            if rule.namespaces.is_empty() {
                return Err(SettingsError::at(
                    format!("rules[{i}].namespaces"),
                    "is empty (use \"*\" for every namespace)",
                ));
            }
            for (j, t) in rule.forbid.iter().enumerate() {
                if !TYPES.contains(&t.as_str()) {
                    return Err(SettingsError::at(
                        format!("rules[{i}].forbid[{j}]"),
                        format!("{t:?} is not a Service type ({})", TYPES.join(", ")),
                    ));
                }
            }
        }
        Ok(())
    }

    fn evaluate(
        objects: &[Object<'_>],
        context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        let mut found = Vec::new();
        for o in objects.iter().filter(|o| o.kind == "Service") {
            let namespace = if o.namespace.is_empty() {
                context.namespace.as_str()
            } else {
                o.namespace
            };
            let service_type = o
                .value
                .get("spec")
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP");
            let rule = settings.rules.iter().enumerate().find(|(_, r)| {
                glob(&r.namespaces, namespace) && r.forbid.iter().any(|t| t == service_type)
            });
            if let Some((i, rule)) = rule {
                found.push(
                    Violation::error(
                        "service-type-forbidden",
                        o,
                        format!(
                            "{} in namespace {namespace:?} is of type {service_type}, which rule {} (namespaces {:?}) forbids (spec.type)",
                            o.id(),
                            i + 1,
                            rule.namespaces
                        ),
                    )
                    .at("spec.type"),
                );
            }
        }
        Ok(found)
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` one.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // The last `*` seen and the text position it was tried at, to backtrack to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

rudder_sdk::export_policy!(ServiceTypes);

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        for (pattern, text, want) in [
            ("*", "", true),
            ("*", "anything", true),
            ("team-*", "team-a", true),
            ("team-*", "team-", true),
            ("team-*", "teams", false),
            ("team-*", "my-team-a", false),
            ("*-prod", "web-prod", true),
            ("*-prod", "web-prod-2", false),
            ("t?am", "team", true),
            ("t?am", "tam", false),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("default", "default", true),
            ("default", "default2", false),
            ("**", "x", true),
        ] {
            assert_eq!(glob(pattern, text), want, "{pattern} {text}");
        }
    }
}
