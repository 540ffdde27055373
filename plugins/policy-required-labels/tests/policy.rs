use rudder_policy_required_labels::RequiredLabels;
use rudder_sdk::testing;
use serde_json::json;

const CHART: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    team: ""
  annotations:
    owner: alice
spec:
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config
  labels:
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  labels: {app.kubernetes.io/name: backup, team: ops}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: b, image: busybox}]
"#;

#[cfg(test)] // so that clippy lets it unwrap, as in a test
fn codes(found: &[rudder_sdk::Violation]) -> Vec<(usize, &str, &str)> {
    found
        .iter()
        .map(|v| (v.object, v.code.as_str(), v.path.as_deref().unwrap_or("")))
        .collect()
}

#[test]
fn objects_with_every_label_pass() {
    let found = testing::evaluate::<RequiredLabels>(
        CHART,
        json!({"labels": ["app.kubernetes.io/name", "team"], "kinds": ["Deployment", "CronJob"]}),
    )
    .unwrap();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_missing_label_is_reported_on_the_object() {
    let found = testing::evaluate::<RequiredLabels>(CHART, json!({"labels": ["team"]})).unwrap();
    assert_eq!(codes(&found), [(1, "missing-label", "metadata.labels")]);
    assert_eq!(
        found[0].message,
        r#"ConfigMap/config has no label "team" (metadata.labels)"#
    );
    assert_eq!(found[0].severity, rudder_sdk::Severity::Error);
}

#[test]
fn annotations_are_required_too() {
    let found =
        testing::evaluate::<RequiredLabels>(CHART, json!({"annotations": ["owner"]})).unwrap();
    assert_eq!(
        codes(&found),
        [
            (1, "missing-annotation", "metadata.annotations"),
            (2, "missing-annotation", "metadata.annotations"),
        ]
    );
}

#[test]
fn pod_templates_are_checked_when_asked() {
    let settings =
        json!({"labels": ["team"], "kinds": ["Deployment", "CronJob"], "pod-template": true});
    let found = testing::evaluate::<RequiredLabels>(CHART, settings).unwrap();
    assert_eq!(
        codes(&found),
        [
            (0, "missing-label", "spec.template.metadata.labels"),
            (
                2,
                "missing-label",
                "spec.jobTemplate.spec.template.metadata.labels"
            ),
        ]
    );
    assert_eq!(
        found[1].message,
        r#"the pod template of CronJob/backup has no label "team" (spec.jobTemplate.spec.template.metadata.labels)"#
    );
}

#[test]
fn a_null_label_is_missing() {
    let yaml = "kind: Service\nmetadata:\n  name: s\n  labels:\n    team:\n";
    let found = testing::evaluate::<RequiredLabels>(yaml, json!({"labels": ["team"]})).unwrap();
    assert_eq!(codes(&found), [(0, "missing-label", "metadata.labels")]);
    let found = testing::evaluate::<RequiredLabels>("kind: Service\n", json!({"labels": ["team"]}))
        .unwrap();
    assert_eq!(
        found[0].message,
        r#"Service/ has no label "team" (metadata.labels)"#
    );
}

#[test]
fn settings_are_checked() {
    assert!(testing::check_schema::<RequiredLabels>().is_ok());
    assert!(testing::validate::<RequiredLabels>(json!({"labels": ["a"]})).is_ok());
    let e = testing::validate::<RequiredLabels>(json!({})).unwrap_err();
    assert_eq!(
        e.message,
        "name at least one label or annotation to require"
    );
    let e = testing::validate::<RequiredLabels>(json!({"labels": ["a", " "]})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("labels[1]"));
    let e = testing::validate::<RequiredLabels>(json!({"labels": "a"})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("labels"));
    let e = testing::validate::<RequiredLabels>(json!({"label": ["a"]})).unwrap_err();
    assert!(e.message.starts_with("unknown field `label`"), "{e}");
    let e = testing::evaluate::<RequiredLabels>(CHART, json!({"pod-template": 1})).unwrap_err();
    assert_eq!(e.kind, rudder_sdk::ErrorKind::Settings);
}
