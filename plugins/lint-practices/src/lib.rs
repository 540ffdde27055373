//! The built-in plugin `lint-practices`: best-practice rules over the rendered objects
//! (security contexts, resources, probes, images, references between objects...). The
//! rule logic is `rudder_lint::practices`.

wit_bindgen::generate!({ world: "linter", path: "../../wit" });
include!("../../lint-adapter.rs");

struct LintPractices;

fn check(
    _chart: &rudder_lint::Chart,
    objects: &[rudder_lint::Object],
    _texts: &[&str],
    settings: &rudder_lint::practices::Settings,
    _kube: rudder_lint::KubeVersion,
) -> Vec<rudder_lint::Finding> {
    rudder_lint::practices::check(objects, settings)
}

fn rules() -> Vec<rudder_lint::Rule> {
    rudder_lint::practices::rules().to_vec()
}

lint_plugin!(
    LintPractices,
    "lint-practices",
    "best practices for Kubernetes objects (security, resources, probes, images, references)",
    r#"{"type":"object"}"#,
    rudder_lint::practices::Settings,
    rules,
    check
);
