use rudder_policy_resource_limits::ResourceLimits;
use rudder_sdk::testing;
use serde_json::json;

const CHART: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: migrate
      containers:
        - name: web
          image: web
          resources:
            limits: {cpu: 1500m, memory: 4Gi}
            requests: {cpu: 0.5, memory: 1Gi}
        - name: sidecar
          image: sidecar
          resources:
            limits: {cpu: 3, memory: 4097Mi}
            requests:
      ephemeralContainers:
        - name: debug
          image: busybox
"#;

#[cfg(test)] // so that clippy lets it unwrap, as in a test
fn found(yaml: &str, settings: serde_json::Value) -> Vec<(String, String)> {
    testing::evaluate::<ResourceLimits>(yaml, settings)
        .unwrap()
        .into_iter()
        .map(|v| (v.code, v.path.unwrap_or_default()))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn limits_are_required_by_default_for_init_containers_too() {
    assert_eq!(
        found(CHART, json!({})),
        pairs(&[
            (
                "missing-limit",
                "spec.template.spec.initContainers[0].resources.limits.cpu"
            ),
            (
                "missing-limit",
                "spec.template.spec.initContainers[0].resources.limits.memory"
            ),
        ])
    );
    let v = testing::evaluate::<ResourceLimits>(CHART, json!({})).unwrap();
    assert_eq!(
        v[0].message,
        r#"Deployment/web init container "migrate" has no cpu limit (spec.template.spec.initContainers[0].resources.limits.cpu)"#
    );
    assert!(found(CHART, json!({"init-containers": false})).is_empty());
}

#[test]
fn requests_when_asked() {
    assert_eq!(
        found(
            CHART,
            json!({"limits": [], "requests": ["memory"], "init-containers": false})
        ),
        pairs(&[(
            "missing-request",
            "spec.template.spec.containers[1].resources.requests.memory"
        )])
    );
}

#[test]
fn maxima_compare_as_quantities() {
    let settings =
        json!({"limits": [], "init-containers": false, "max-cpu": "2", "max-memory": "4Gi"});
    assert_eq!(
        found(CHART, settings),
        pairs(&[
            (
                "limit-above-max",
                "spec.template.spec.containers[1].resources.limits.cpu"
            ),
            (
                "limit-above-max",
                "spec.template.spec.containers[1].resources.limits.memory"
            ),
        ])
    );
    let v = testing::evaluate::<ResourceLimits>(CHART, json!({"limits": [], "max-cpu": "2000m"}))
        .unwrap();
    assert_eq!(
        v[0].message,
        r#"Deployment/web container "sidecar" cpu limit "3" is above the maximum "2000m" (spec.template.spec.containers[1].resources.limits.cpu)"#
    );
    let requests = json!({"limits": [], "max-cpu": "400m"});
    assert_eq!(
        found(CHART, requests),
        pairs(&[
            (
                "limit-above-max",
                "spec.template.spec.containers[0].resources.limits.cpu"
            ),
            (
                "request-above-max",
                "spec.template.spec.containers[0].resources.requests.cpu"
            ),
            (
                "limit-above-max",
                "spec.template.spec.containers[1].resources.limits.cpu"
            ),
        ])
    );
}

#[test]
fn a_value_that_is_not_a_quantity() {
    let yaml = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      resources: {limits: {cpu: lots, memory: 1Gi}}\n";
    assert_eq!(
        found(yaml, json!({"max-cpu": "1"})),
        pairs(&[(
            "invalid-quantity",
            "spec.containers[0].resources.limits.cpu"
        )])
    );
}

#[test]
fn null_resources_are_missing() {
    let yaml = "kind: CronJob\nmetadata: {name: j}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n              resources:\n                limits:\n                  cpu:\n                  memory: 1Gi\n";
    assert_eq!(
        found(yaml, json!({})),
        pairs(&[(
            "missing-limit",
            "spec.jobTemplate.spec.template.spec.containers[0].resources.limits.cpu"
        )])
    );
}

#[test]
fn settings_are_checked() {
    assert!(testing::check_schema::<ResourceLimits>().is_ok());
    assert!(testing::validate::<ResourceLimits>(json!({})).is_ok());
    let e = testing::validate::<ResourceLimits>(json!({"max-memory": "4GB"})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("max-memory"));
    assert_eq!(e.message, r#""4GB" is not a quantity: unknown suffix"#);
    let e = testing::validate::<ResourceLimits>(json!({"limits": [], "requests": []})).unwrap_err();
    assert!(e.message.starts_with("nothing to check"), "{e}");
    let e = testing::validate::<ResourceLimits>(json!({"limits": ["cpu", ""]})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("limits[1]"));
    let e = testing::validate::<ResourceLimits>(json!({"max-cpu": 2})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("max-cpu"));
}
