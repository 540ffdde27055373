//! What `export_policy!` does around a [`Policy`], without WIT: the same code runs inside
//! the sandbox and in [`testing`](crate::testing).

use crate::{Context, Error, Manifest, Object, Policy, SettingsError, Value, Violation};
use serde::de::DeserializeOwned;

/// Parses settings JSON (empty text is `{}`), naming the path of what does not fit.
pub(crate) fn parse_settings<S: DeserializeOwned>(text: &str) -> Result<S, SettingsError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    let mut de = serde_json::Deserializer::from_str(text);
    let settings = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if path == "." {
            SettingsError::new(message)
        } else {
            SettingsError::at(path, message)
        }
    })?;
    de.end().map_err(|e| SettingsError::new(e.to_string()))?;
    Ok(settings)
}

/// The settings parsed and checked by the policy: `validate-settings`.
pub(crate) fn settings<P: Policy>(text: &str) -> Result<P::Settings, SettingsError> {
    let settings = parse_settings::<P::Settings>(text)?;
    P::validate(&settings)?;
    Ok(settings)
}

/// Each manifest's object parsed; one that does not parse is an input error naming it.
pub(crate) fn parse_objects(manifests: &[Manifest]) -> Result<Vec<Value>, Error> {
    manifests
        .iter()
        .enumerate()
        .map(|(i, m)| {
            serde_json::from_str(&m.object).map_err(|e| {
                Error::input(format!("manifest {i} ({}) is not JSON: {e}", m.template))
                    .at(format!("manifests[{i}].object"))
            })
        })
        .collect()
}

/// The objects a policy sees, borrowing from the manifests and their parsed values.
pub(crate) fn objects<'a>(manifests: &'a [Manifest], values: &'a [Value]) -> Vec<Object<'a>> {
    manifests
        .iter()
        .zip(values)
        .enumerate()
        .map(|(index, (m, value))| Object {
            index,
            template: &m.template,
            document: m.document,
            api_version: &m.api_version,
            kind: &m.kind,
            name: &m.name,
            namespace: &m.namespace,
            hook: &m.hook,
            value,
            text: &m.text,
        })
        .collect()
}

/// `evaluate`: settings checked again (each call is a fresh instance), objects parsed, the
/// policy run.
pub(crate) fn evaluate<P: Policy>(
    manifests: &[Manifest],
    context: &Context,
    settings: &str,
) -> Result<Vec<Violation>, Error> {
    let settings = self::settings::<P>(settings)?;
    let values = parse_objects(manifests)?;
    let objects = objects(manifests, &values);
    P::evaluate(&objects, context, &settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code, reason = "only parsed")]
    struct Settings {
        #[serde(default)]
        rules: Vec<Rule>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only parsed")]
    struct Rule {
        forbid: Vec<String>,
    }

    #[test]
    fn settings_errors_name_the_path() {
        let e = parse_settings::<Settings>(r#"{"rules": [{"forbid": []}, {"forbid": 3}]}"#)
            .unwrap_err();
        assert_eq!(e.path.as_deref(), Some("rules[1].forbid"));
        assert!(e.message.starts_with("invalid type: integer `3`"), "{e}");
        let e = parse_settings::<Settings>(r#"{"rule": []}"#).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("rule"));
        assert!(e.message.starts_with("unknown field `rule`"), "{e}");
        let e = parse_settings::<Settings>(r#"{} x"#).unwrap_err();
        assert!(e.message.starts_with("trailing characters"), "{e}");
        assert!(parse_settings::<Settings>("  ").is_ok());
    }

    #[test]
    fn a_manifest_that_is_not_json_is_an_input_error() {
        let manifests = [
            Manifest {
                object: "{}".into(),
                ..Manifest::default()
            },
            Manifest {
                template: "web/templates/x.yaml".into(),
                object: "{".into(),
                ..Manifest::default()
            },
        ];
        let e = parse_objects(&manifests).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Input);
        assert_eq!(e.path.as_deref(), Some("manifests[1].object"));
        assert!(
            e.message
                .starts_with("manifest 1 (web/templates/x.yaml) is not JSON")
        );
    }
}
