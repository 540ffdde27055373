//! The built-in plugin `lint-helm`: Helm's own lint rules (`helm lint`), with Helm's
//! severities and messages. The rule logic is `rudder_lint::helm`.

use rudder_sdk::lint::{Linter, NoSettings, rudder_docs_url};

struct LintHelm;

impl Linter for LintHelm {
    const NAME: &'static str = "lint-helm";
    const DESCRIPTION: &'static str = "Helm's lint rules, with Helm's severities and messages";
    const SETTINGS_SCHEMA: &'static str = r#"{"type":"object","additionalProperties":false}"#;
    type Settings = NoSettings;

    fn rules() -> Vec<rudder_lint::Rule> {
        rudder_lint::helm::rules().to_vec()
    }

    fn docs_url(id: &str) -> String {
        rudder_docs_url(id)
    }

    fn lint(
        chart: &rudder_lint::Chart,
        objects: &[rudder_lint::Object<'_>],
        texts: &[&str],
        _: &NoSettings,
        kube: rudder_lint::KubeVersion,
    ) -> Vec<rudder_lint::Finding> {
        // The host's parse of each document (its text is the manifest's), so that Helm's
        // template rule does not parse the same YAML again.
        let mut parsed: std::collections::HashMap<(&str, &str), &serde_json::Value> =
            std::collections::HashMap::new();
        for (o, text) in objects.iter().zip(texts) {
            parsed.insert((o.template, text), o.value);
        }
        rudder_lint::helm::check_parsed(
            chart,
            &|api_version: &str, kind: &str| {
                rudder_lint::deprecated::helm_warning(api_version, kind, kube)
            },
            &|template, text| parsed.get(&(template, text)).copied(),
        )
    }
}

rudder_sdk::export_linter!(LintHelm);
