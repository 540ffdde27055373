//! The built-in plugin `lint-practices`: best-practice rules over the rendered objects
//! (security contexts, resources, probes, images, references between objects...). The
//! rule logic is `rudder_lint::practices`.

use rudder_sdk::lint::{Linter, rudder_docs_url};

struct LintPractices;

impl Linter for LintPractices {
    const NAME: &'static str = "lint-practices";
    const DESCRIPTION: &'static str =
        "best practices for Kubernetes objects (security, resources, probes, images, references)";
    const SETTINGS_SCHEMA: &'static str = r#"{"type":"object"}"#;
    type Settings = rudder_lint::practices::Settings;

    fn rules() -> Vec<rudder_lint::Rule> {
        rudder_lint::practices::rules().to_vec()
    }

    fn docs_url(id: &str) -> String {
        rudder_docs_url(id)
    }

    fn lint(
        _chart: &rudder_lint::Chart,
        objects: &[rudder_lint::Object<'_>],
        _texts: &[&str],
        settings: &rudder_lint::practices::Settings,
        _kube: rudder_lint::KubeVersion,
    ) -> Vec<rudder_lint::Finding> {
        rudder_lint::practices::check(objects, settings)
    }
}

rudder_sdk::export_linter!(LintPractices);
