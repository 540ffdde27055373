//! The built-in plugin `lint-kube`: rendered objects against the OpenAPI schemas of the
//! target Kubernetes version (and the chart's CRDs), and deprecated or removed API
//! versions. The rule logic is `rudder_lint::schema` and `rudder_lint::deprecated`.

use rudder_sdk::lint::{Linter, NoSettings, rudder_docs_url};

struct LintKube;

impl Linter for LintKube {
    const NAME: &'static str = "lint-kube";
    const DESCRIPTION: &'static str =
        "Kubernetes schemas (and the chart's CRDs) and deprecated or removed API versions";
    const SETTINGS_SCHEMA: &'static str = r#"{"type":"object","additionalProperties":false}"#;
    type Settings = NoSettings;

    fn rules() -> Vec<rudder_lint::Rule> {
        let mut rules = rudder_lint::schema::rules().to_vec();
        rules.extend_from_slice(rudder_lint::deprecated::rules());
        rules
    }

    fn docs_url(id: &str) -> String {
        rudder_docs_url(id)
    }

    fn lint(
        chart: &rudder_lint::Chart,
        objects: &[rudder_lint::Object<'_>],
        _texts: &[&str],
        _: &NoSettings,
        kube: rudder_lint::KubeVersion,
    ) -> Vec<rudder_lint::Finding> {
        // The rendered CRDs `schema::check` takes from the objects itself.
        let crds = rudder_lint::crds::file_crds(chart);
        let crd_refs: Vec<&serde_json::Value> = crds.iter().collect();
        let mut found = rudder_lint::schema::check(objects, &crd_refs, kube);
        found.extend(rudder_lint::deprecated::check(objects, kube));
        found
    }
}

rudder_sdk::export_linter!(LintKube);
