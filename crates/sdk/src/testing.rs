//! Running a policy natively, in its own `cargo test`, over YAML text: the same code that
//! runs inside the sandbox, without WASM.
//!
//! ```
//! # use rudder_sdk::{Context, Error, Object, Policy, Violation, NoSettings};
//! # struct NoSecrets;
//! # impl Policy for NoSecrets {
//! #     const NAME: &'static str = "no-secrets";
//! #     const DESCRIPTION: &'static str = "";
//! #     const SETTINGS_SCHEMA: &'static str = "";
//! #     type Settings = NoSettings;
//! #     fn evaluate(objects: &[Object<'_>], _: &Context, _: &NoSettings) -> Result<Vec<Violation>, Error> {
//! #         Ok(objects.iter().filter(|o| o.kind == "Secret")
//! #             .map(|o| Violation::error("secret", o, o.id())).collect())
//! #     }
//! # }
//! use rudder_sdk::testing;
//! use serde_json::json;
//!
//! let found = testing::evaluate::<NoSecrets>(
//!     "kind: Secret\nmetadata: {name: db}\n---\nkind: ConfigMap\nmetadata: {name: c}\n",
//!     json!({}),
//! )
//! .unwrap();
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].object, 0);
//! assert!(testing::validate::<NoSecrets>(json!({"x": 1})).is_err());
//! ```

use crate::{Context, Error, Manifest, Policy, SettingsError, Value, Violation, runtime};

/// The template the manifests of [`manifests`] come from.
pub const TEMPLATE: &str = "test/templates/test.yaml";

/// The manifests of a YAML stream, one per document that is not empty, as the host would
/// send them (YAML read as Helm reads it: `yes` is a boolean, integers stay integers).
/// Each names [`TEMPLATE`] and its document index; `hook` is the `helm.sh/hook`
/// annotation.
pub fn manifests(yaml: &str) -> Result<Vec<Manifest>, Error> {
    let docs = rudder_yaml::split_documents(yaml).map_err(|e| Error::input(e.to_string()))?;
    let mut out = Vec::new();
    for (document, text) in docs.into_iter().enumerate() {
        let value = rudder_yaml::from_str_typed(&text)
            .map_err(|e| Error::input(format!("document {document}: {e}")))?;
        if value.is_null() {
            continue;
        }
        if !value.is_object() {
            return Err(Error::input(format!(
                "document {document} is not a map: {value}"
            )));
        }
        let str_at = |keys: &[&str]| {
            let mut v = &value;
            for key in keys {
                v = v.get(key).unwrap_or(&Value::Null);
            }
            v.as_str().unwrap_or("").to_string()
        };
        out.push(Manifest {
            template: TEMPLATE.to_string(),
            document: u32::try_from(document).unwrap_or(u32::MAX),
            api_version: str_at(&["apiVersion"]),
            kind: str_at(&["kind"]),
            name: str_at(&["metadata", "name"]),
            namespace: str_at(&["metadata", "namespace"]),
            hook: str_at(&["metadata", "annotations", "helm.sh/hook"]),
            object: value.to_string(),
            text,
        });
    }
    Ok(out)
}

/// Runs policy `P` over the documents of `yaml` with `settings`, in the default
/// [`Context`] (operation `lint`, namespace `default`), as the host would: the settings
/// are parsed and validated first.
pub fn evaluate<P: Policy>(yaml: &str, settings: Value) -> Result<Vec<Violation>, Error> {
    evaluate_in::<P>(yaml, settings, &Context::default())
}

/// [`evaluate`] in another context.
pub fn evaluate_in<P: Policy>(
    yaml: &str,
    settings: Value,
    context: &Context,
) -> Result<Vec<Violation>, Error> {
    evaluate_manifests::<P>(&manifests(yaml)?, settings, context)
}

/// [`evaluate`] over manifests made by hand (an object whose JSON does not parse, a
/// template name of your own).
pub fn evaluate_manifests<P: Policy>(
    manifests: &[Manifest],
    settings: Value,
    context: &Context,
) -> Result<Vec<Violation>, Error> {
    runtime::evaluate::<P>(manifests, context, &settings.to_string())
}

/// What `validate-settings` answers for `settings`: parsed into `P::Settings`, then
/// [`Policy::validate`]. (The host checks the JSON Schema first; this does not.)
pub fn validate<P: Policy>(settings: Value) -> Result<(), SettingsError> {
    runtime::settings::<P>(&settings.to_string()).map(|_| ())
}

/// Whether `P::SETTINGS_SCHEMA` is empty or a JSON object (a schema that does not parse
/// would make the host refuse the plugin); the error says why not.
pub fn check_schema<P: Policy>() -> Result<(), String> {
    if P::SETTINGS_SCHEMA.is_empty() {
        return Ok(());
    }
    match serde_json::from_str::<Value>(P::SETTINGS_SCHEMA) {
        Ok(Value::Object(_)) => Ok(()),
        Ok(other) => Err(format!("the settings schema is not a JSON object: {other}")),
        Err(e) => Err(format!("the settings schema is not JSON: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_manifests_as_the_host_sends_them() {
        let yaml = "# empty\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  namespace: db\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\nspec: {backoffLimit: 3, ratio: 1.0, enabled: yes}\n---\n---\nkind: ConfigMap\n";
        let m = manifests(yaml).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].template.as_str(), m[0].document, m[0].kind.as_str()),
            (TEMPLATE, 1, "Job")
        );
        assert_eq!(
            (
                m[0].api_version.as_str(),
                m[0].name.as_str(),
                m[0].namespace.as_str()
            ),
            ("batch/v1", "migrate", "db")
        );
        assert_eq!(m[0].hook, "pre-install,pre-upgrade");
        let object: Value = serde_json::from_str(&m[0].object).unwrap();
        assert_eq!(object["spec"]["backoffLimit"], serde_json::json!(3));
        assert!(object["spec"]["backoffLimit"].is_u64());
        assert!(object["spec"]["ratio"].is_f64());
        assert_eq!(object["spec"]["enabled"], serde_json::json!(true));
        assert!(m[0].text.starts_with("apiVersion: batch/v1\n"));
        assert_eq!((m[1].document, m[1].name.as_str()), (2, ""));
        assert!(manifests("- a list\n").is_err());
        assert!(manifests("a: [\n").is_err());
    }
}
