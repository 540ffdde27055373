//! The built-in plugin `lint-kube`: rendered objects against the OpenAPI schemas of the
//! target Kubernetes version (and the chart's CRDs), and deprecated or removed API
//! versions. The rule logic is `rudder_lint::schema` and `rudder_lint::deprecated`.

wit_bindgen::generate!({ world: "linter", path: "../../wit" });
include!("../../lint-adapter.rs");

struct LintKube;

fn check(
    chart: &rudder_lint::Chart,
    objects: &[rudder_lint::Object],
    _texts: &[&str],
    _: &NoSettings,
    kube: rudder_lint::KubeVersion,
) -> Vec<rudder_lint::Finding> {
    let crds = rudder_lint::crds::chart_crds(chart, objects);
    let crd_refs: Vec<&serde_json::Value> = crds.iter().collect();
    let mut found = rudder_lint::schema::check(objects, &crd_refs, kube);
    found.extend(rudder_lint::deprecated::check(objects, kube));
    found
}

fn rules() -> Vec<rudder_lint::Rule> {
    let mut rules = rudder_lint::schema::rules().to_vec();
    rules.extend_from_slice(rudder_lint::deprecated::rules());
    rules
}

lint_plugin!(
    LintKube,
    "lint-kube",
    "Kubernetes schemas (and the chart's CRDs) and deprecated or removed API versions",
    r#"{"type":"object","additionalProperties":false}"#,
    NoSettings,
    rules,
    check
);
