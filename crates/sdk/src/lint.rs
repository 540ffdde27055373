//! Lint plugins (feature `lint`): rules over a chart and its rendered manifests, written
//! against `rudder-lint`'s model ([`rudder_lint::Chart`], [`rudder_lint::Object`],
//! [`rudder_lint::Finding`]) and exported with [`export_linter!`](crate::export_linter).
//! The built-in plugins `lint-helm`, `lint-kube` and `lint-practices` are written this way.

use serde::de::DeserializeOwned;

pub use crate::NoSettings;
pub use rudder_lint;

/// A lint plugin.
pub trait Linter {
    /// Short unique name, lowercase with dashes (`lint-helm`).
    const NAME: &'static str;
    /// One line for people.
    const DESCRIPTION: &'static str;
    /// JSON Schema of the settings, as JSON text; empty when the plugin takes none.
    const SETTINGS_SCHEMA: &'static str;
    /// What the settings parse into (`{}` when the user gave none); `validate-settings`
    /// refuses what does not parse.
    type Settings: DeserializeOwned;

    /// The rules the plugin offers.
    fn rules() -> Vec<rudder_lint::Rule>;

    /// Where rule `id` is documented; empty (the default) when nowhere.
    fn docs_url(id: &str) -> String {
        let _ = id;
        String::new()
    }

    /// Runs every rule. `texts` are the objects' documents as rendered, in the order of
    /// `objects`; `kube` the target version (`1.35` when the host sent none that parses).
    fn lint(
        chart: &rudder_lint::Chart,
        objects: &[rudder_lint::Object<'_>],
        texts: &[&str],
        settings: &Self::Settings,
        kube: rudder_lint::KubeVersion,
    ) -> Vec<rudder_lint::Finding>;
}

/// Where the built-in rule `id` is documented in rudder's repository.
pub fn rudder_docs_url(id: &str) -> String {
    format!("https://github.com/rudder-sh/rudder/blob/main/docs/rules/{id}.md")
}

/// What `validate-settings` does for linter `L`: its settings parsed (empty text is `{}`);
/// the error is serde's message.
pub fn parse_settings<L: Linter>(text: &str) -> Result<L::Settings, String> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserialize::deserialize(&mut de).map_err(|e: serde_json::Error| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Empty;

    impl Linter for Empty {
        const NAME: &'static str = "empty";
        const DESCRIPTION: &'static str = "";
        const SETTINGS_SCHEMA: &'static str = "";
        type Settings = NoSettings;

        fn rules() -> Vec<rudder_lint::Rule> {
            Vec::new()
        }

        fn lint(
            _: &rudder_lint::Chart,
            _: &[rudder_lint::Object<'_>],
            _: &[&str],
            _: &NoSettings,
            _: rudder_lint::KubeVersion,
        ) -> Vec<rudder_lint::Finding> {
            Vec::new()
        }
    }

    #[test]
    fn settings_parse_as_the_built_in_adapter_did() {
        assert!(parse_settings::<Empty>("").is_ok());
        assert!(parse_settings::<Empty>("{}").is_ok());
        assert_eq!(
            parse_settings::<Empty>(r#"{"a":1}"#).unwrap_err(),
            "unknown field `a`, there are no fields at line 1 column 4"
        );
        assert_eq!(
            rudder_docs_url("helm/chart-version"),
            "https://github.com/rudder-sh/rudder/blob/main/docs/rules/helm/chart-version.md"
        );
        assert_eq!(Empty::docs_url("x"), "");
    }
}
