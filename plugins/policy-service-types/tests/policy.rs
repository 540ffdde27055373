use rudder_policy_service_types::ServiceTypes;
use rudder_sdk::{Context, testing};
use serde_json::json;

const CHART: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: public, namespace: team-a}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: node}
spec: {type: NodePort}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: team-b}
spec:
  type:
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: team-a}
"#;

fn settings() -> serde_json::Value {
    json!({"rules": [{"namespaces": "team-*", "forbid": ["LoadBalancer", "NodePort"]}]})
}

#[cfg(test)] // so that clippy lets it unwrap, as in a test
fn found(context: &Context, settings: serde_json::Value) -> Vec<(usize, String)> {
    testing::evaluate_in::<ServiceTypes>(CHART, settings, context)
        .unwrap()
        .into_iter()
        .map(|v| (v.object, v.path.unwrap_or_default()))
        .collect()
}

#[test]
fn forbidden_types_in_matching_namespaces() {
    let got = found(&Context::default(), settings());
    assert_eq!(got, [(0, "spec.type".to_string())]);
    let v = testing::evaluate::<ServiceTypes>(CHART, settings()).unwrap();
    assert_eq!(v[0].code, "service-type-forbidden");
    assert_eq!(
        v[0].message,
        r#"Service/public in namespace "team-a" is of type LoadBalancer, which rule 1 (namespaces "team-*") forbids (spec.type)"#
    );
}

#[test]
fn the_release_namespace_is_the_default() {
    let context = Context {
        namespace: "team-x".into(),
        ..Context::default()
    };
    let got = found(&context, settings());
    assert_eq!(
        got,
        [(0, "spec.type".to_string()), (1, "spec.type".to_string())]
    );
}

#[test]
fn a_service_without_type_is_cluster_ip() {
    let rules = json!({"rules": [{"forbid": ["ClusterIP"]}]});
    let got = found(&Context::default(), rules);
    assert_eq!(got, [(2, "spec.type".to_string())]);
}

#[test]
fn the_first_matching_rule_is_reported() {
    let rules = json!({"rules": [
        {"namespaces": "default", "forbid": ["ExternalName"]},
        {"namespaces": "*", "forbid": ["NodePort"]},
        {"namespaces": "team-?", "forbid": ["LoadBalancer", "NodePort"]},
    ]});
    let v = testing::evaluate::<ServiceTypes>(CHART, rules).unwrap();
    assert_eq!(v.len(), 2);
    assert!(v[0].message.contains("rule 3"), "{}", v[0].message);
    assert!(v[1].message.contains("rule 2"), "{}", v[1].message);
}

#[test]
fn settings_are_checked() {
    assert!(testing::check_schema::<ServiceTypes>().is_ok());
    assert!(testing::validate::<ServiceTypes>(settings()).is_ok());
    let e = testing::validate::<ServiceTypes>(json!({})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("rules"));
    let e = testing::validate::<ServiceTypes>(
        json!({"rules": [{"forbid": []}, {"forbid": ["LoadBalancer", "Ingress"]}]}),
    )
    .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("rules[1].forbid[1]"));
    let e = testing::validate::<ServiceTypes>(json!({"rules": [{"namespaces": "x"}]})).unwrap_err();
    assert!(e.message.starts_with("missing field `forbid`"), "{e}");
    let e = testing::validate::<ServiceTypes>(json!({"rules": [{"namespaces": "", "forbid": []}]}))
        .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("rules[0].namespaces"));
}
