//! The built-in plugin `lint-helm`: Helm's own lint rules (`helm lint`), with Helm's
//! severities and messages. The rule logic is `rudder_lint::helm`.

wit_bindgen::generate!({ world: "linter", path: "../../wit" });
include!("../../lint-adapter.rs");

struct LintHelm;

/// Takes no settings.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {}

fn check(
    chart: &rudder_lint::Chart,
    _objects: &[rudder_lint::Object],
    _: &Settings,
    kube: rudder_lint::KubeVersion,
) -> Vec<rudder_lint::Finding> {
    rudder_lint::helm::check(chart, &|api_version: &str, kind: &str| {
        rudder_lint::deprecated::helm_warning(api_version, kind, kube)
    })
}

fn rules() -> Vec<rudder_lint::Rule> {
    let mut rules = rudder_lint::helm::rules().to_vec();
    rules.push(rudder_lint::deprecated::HELM_DEPRECATED);
    rules
}

lint_plugin!(
    LintHelm,
    "lint-helm",
    "Helm's lint rules, with Helm's severities and messages",
    r#"{"type":"object","additionalProperties":false}"#,
    Settings,
    rules,
    check
);
