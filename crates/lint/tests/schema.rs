//! Unit tests of `rudder_lint::schema`: each schema feature failing and passing, CRDs,
//! several errors in one object, version selection and lazy loading.
#![expect(clippy::panic, reason = "test helpers report a failure by panicking")]

use rudder_lint::schema::{self, Validator, Verdict};
use rudder_lint::{Finding, KubeVersion, Object, Severity};
use serde_json::{Value, json};

const V135: KubeVersion = KubeVersion {
    major: 1,
    minor: 35,
};

fn violations(value: &Value) -> Vec<(String, String)> {
    let mut validator = Validator::new(V135);
    match validator.validate(value) {
        Verdict::Valid => Vec::new(),
        Verdict::Invalid(vs) => vs.into_iter().map(|v| (v.path, v.message)).collect(),
        other => panic!("unexpected verdict {other:?}"),
    }
}

fn one(value: &Value) -> (String, String) {
    let mut all = violations(value);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn deployment(container: Value) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [container]}
            }
        }
    })
}

fn container() -> Value {
    json!({"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]})
}

fn objects(values: &[Value]) -> Vec<Object<'_>> {
    values
        .iter()
        .enumerate()
        .map(|(index, value)| Object {
            index,
            template: "web/templates/x.yaml",
            hook: "",
            value,
        })
        .collect()
}

#[test]
fn a_valid_deployment_passes() {
    assert_eq!(violations(&deployment(container())), Vec::new());
}

#[test]
fn type_mismatch_names_expected_and_found() {
    let mut c = container();
    c["ports"][0]["containerPort"] = json!("80");
    assert_eq!(
        one(&deployment(c)),
        (
            "spec.template.spec.containers[0].ports[0].containerPort".to_string(),
            "expected integer, got string \"80\"".to_string()
        )
    );
}

#[test]
fn integers_accept_whole_floats_only() {
    let mut d = deployment(container());
    d["spec"]["replicas"] = json!(3.0);
    assert_eq!(violations(&d), Vec::new());
    d["spec"]["replicas"] = json!(2.5);
    assert_eq!(one(&d).1, "expected integer, got number 2.5");
    d["spec"]["replicas"] = json!(true);
    assert_eq!(one(&d).1, "expected integer, got boolean true");
}

#[test]
fn nullable_fields_accept_null() {
    let mut d = deployment(container());
    d["spec"]["replicas"] = Value::Null;
    d["spec"]["template"]["spec"]["nodeSelector"] = Value::Null;
    assert_eq!(violations(&d), Vec::new());
}

#[test]
fn unknown_fields_are_errors() {
    let mut d = deployment(container());
    d["spec"]["replica"] = json!(1);
    assert_eq!(
        one(&d),
        (
            "spec.replica".to_string(),
            "unknown field \"replica\"".to_string()
        )
    );
}

#[test]
fn required_fields() {
    let mut d = deployment(container());
    d["spec"]["template"]["spec"]
        .as_object_mut()
        .unwrap()
        .remove("containers");
    assert_eq!(
        one(&d),
        (
            "spec.template.spec".to_string(),
            "missing required field \"containers\"".to_string()
        )
    );
}

#[test]
fn additional_properties_schema_checks_map_values() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
        "data": {"ok": "yes", "global": {}}});
    assert_eq!(
        one(&cm),
        (
            "data.global".to_string(),
            "expected string, got object".to_string()
        )
    );
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
        "data": {"ok": "yes"}});
    assert_eq!(violations(&cm), Vec::new());
}

#[test]
fn label_values_must_be_strings() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "labels": {"app.kubernetes.io/version": 3.9}},
        "spec": {"containers": [{"name": "a", "image": "b"}]}});
    assert_eq!(
        one(&pod),
        (
            "metadata.labels[\"app.kubernetes.io/version\"]".to_string(),
            "expected string, got number 3.9".to_string()
        )
    );
}

#[test]
fn items_are_checked() {
    let mut c = container();
    c["args"] = json!(["--port", 80]);
    let (path, message) = one(&deployment(c));
    assert_eq!(path, "spec.template.spec.containers[0].args[1]");
    assert_eq!(message, "expected string, got integer 80");
    let mut c = container();
    c["args"] = json!("--port");
    assert_eq!(
        one(&deployment(c)).1,
        "expected array, got string \"--port\""
    );
}

#[test]
fn enums() {
    // Built-in enums fix apiVersion and kind, here of a list's items.
    let mut list = json!({"apiVersion": "apps/v1", "kind": "DeploymentList", "metadata": {},
        "items": [deployment(container())]});
    assert_eq!(violations(&list), Vec::new());
    list["items"][0]["kind"] = json!("Pod");
    assert_eq!(
        one(&list),
        (
            "items[0].kind".to_string(),
            "expected one of [\"Deployment\"], got string \"Pod\"".to_string()
        )
    );
}

#[test]
fn int_or_string() {
    let mut d = deployment(container());
    d["spec"]["strategy"] = json!({"type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}});
    assert_eq!(violations(&d), Vec::new());
    d["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = json!(true);
    assert_eq!(one(&d).1, "expected string or integer, got boolean true");
    // As kubernetes-validate has it: a null IntOrString is an error.
    d["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = Value::Null;
    assert_eq!(one(&d).1, "expected string or integer, got null");
}

#[test]
fn quantities_are_numbers_or_strings() {
    let mut c = container();
    c["resources"] = json!({"limits": {"cpu": 1, "memory": "128Mi"}, "requests": {"cpu": 0.5}});
    assert_eq!(violations(&deployment(c)), Vec::new());
    let mut c = container();
    c["resources"] = json!({"limits": {"cpu": [1]}});
    assert_eq!(
        one(&deployment(c)).1,
        "expected string or number, got array"
    );
}

#[test]
fn every_error_of_an_object_is_reported() {
    let mut c = container();
    c["ports"][0]["containerPort"] = json!("80");
    c["image"] = json!(5);
    c["colour"] = json!("blue");
    let mut d = deployment(c);
    d["spec"]["replicas"] = json!("2");
    d["metadata"]["labels"]["x"] = json!(1);
    let all = violations(&d);
    let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(all.len(), 5, "{all:?}");
    for want in [
        "metadata.labels.x",
        "spec.replicas",
        "spec.template.spec.containers[0].colour",
        "spec.template.spec.containers[0].image",
        "spec.template.spec.containers[0].ports[0].containerPort",
    ] {
        assert!(paths.contains(&want), "{want} not in {paths:?}");
    }
}

#[test]
fn raw_extension_and_embedded_objects_accept_anything() {
    let ext = json!({"apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "w"}, "webhooks": []});
    assert_eq!(violations(&ext), Vec::new());
}

#[test]
fn unknown_kinds_and_missing_type_meta() {
    let mut validator = Validator::new(V135);
    assert_eq!(
        validator.validate(&json!({"apiVersion": "example.com/v1", "kind": "Widget"})),
        Verdict::UnknownKind
    );
    assert_eq!(
        validator.validate(&json!({"apiVersion": "", "kind": "Pod"})),
        Verdict::NoTypeMeta
    );
    // A kind of the wrong apiVersion is unknown.
    assert_eq!(
        validator.validate(&json!({"apiVersion": "v1", "kind": "Deployment"})),
        Verdict::UnknownKind
    );
}

#[test]
fn definitions_are_parsed_lazily() {
    let mut validator = Validator::new(V135);
    assert_eq!(validator.parsed_definitions(), 0);
    assert_eq!(
        validator.validate(&json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c"}, "data": {"a": "b"}})),
        Verdict::Valid
    );
    let after_configmap = validator.parsed_definitions();
    assert!(
        after_configmap > 0 && after_configmap < 10,
        "{after_configmap}"
    );
    assert_eq!(validator.validate(&deployment(container())), Verdict::Valid);
    let after_deployment = validator.parsed_definitions();
    assert!(after_deployment > after_configmap, "{after_deployment}");
    // Far fewer than the ~700 definitions of the version.
    assert!(after_deployment < 80, "{after_deployment}");
    // The second Deployment parses nothing new.
    assert_eq!(validator.validate(&deployment(container())), Verdict::Valid);
    assert_eq!(validator.parsed_definitions(), after_deployment);
}

#[test]
fn validating_a_deployment_is_cheap_once_parsed() {
    let cold = std::time::Instant::now();
    let mut validator = Validator::new(V135);
    let d = deployment(container());
    assert_eq!(validator.validate(&d), Verdict::Valid);
    println!(
        "a fresh validator checks its first Deployment in {:?} ({} definitions parsed)",
        cold.elapsed(),
        validator.parsed_definitions()
    );
    let started = std::time::Instant::now();
    for _ in 0..100 {
        assert_eq!(validator.validate(&d), Verdict::Valid);
    }
    let each = started.elapsed() / 100;
    println!("a Deployment validates in {each:?} once its definitions are parsed");
    // Generous for unoptimised builds; a release build takes a few microseconds.
    assert!(each < std::time::Duration::from_millis(5), "{each:?}");
}

#[test]
fn versions_and_fallback() {
    let shipped = schema::versions();
    assert!(shipped.contains(&V135));
    assert!(shipped.len() >= 4);
    let newest = *shipped.last().unwrap();
    let oldest = shipped[0];
    let future = KubeVersion {
        major: 1,
        minor: 99,
    };
    assert_eq!(schema::version_for(future), newest);
    assert_eq!(
        schema::version_for(KubeVersion {
            major: 1,
            minor: 10
        }),
        oldest
    );
    assert_eq!(Validator::new(V135).version(), V135);
}

fn crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [
                {"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {
                        "spec": {
                            "type": "object",
                            "required": ["size"],
                            "properties": {
                                "size": {"type": "integer", "minimum": 1, "maximum": 10},
                                "colour": {"type": "string", "enum": ["red", "blue"]},
                                "port": {"x-kubernetes-int-or-string": true},
                                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                                "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                                    "x-kubernetes-preserve-unknown-fields": true},
                                "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
                                "choice": {"type": "object",
                                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                                    "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}
                            }
                        },
                        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                    }
                }}},
                {"name": "v2", "served": true, "storage": false}
            ]
        }
    })
}

fn widget(spec: Value) -> Value {
    json!({"apiVersion": "example.com/v1", "kind": "Widget",
        "metadata": {"name": "w", "labels": {"a": "b"}}, "spec": spec})
}

fn crd_violations(crd: &Value, object: &Value) -> Vec<(String, String)> {
    let mut validator = Validator::new(V135);
    assert!(validator.add_crd(crd));
    match validator.validate(object) {
        Verdict::Valid => Vec::new(),
        Verdict::Invalid(vs) => vs.into_iter().map(|v| (v.path, v.message)).collect(),
        other => panic!("unexpected verdict {other:?}"),
    }
}

#[test]
fn custom_resources_validate_against_their_crd() {
    let crd = crd();
    let good = widget(
        json!({"size": 3, "colour": "red", "port": "http", "labels": {"x": "y"},
        "free": {"anything": [1, 2]}, "tags": ["a"], "choice": {"a": "x"},
        "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}}),
    );
    assert_eq!(crd_violations(&crd, &good), Vec::new());

    let bad = widget(
        json!({"size": "3", "colour": "green", "extra": 1, "labels": {"x": 1},
        "tags": ["a", "b", "c"], "choice": {"a": "x", "b": "y"}, "port": 8080}),
    );
    let all = crd_violations(&crd, &bad);
    let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "spec.choice",
            "spec.colour",
            "spec.extra",
            "spec.labels.x",
            "spec.size",
            "spec.tags"
        ],
        "{all:?}"
    );
    assert!(all.iter().any(|(_, m)| m == "unknown field \"extra\""));
    assert!(
        all.iter()
            .any(|(_, m)| m == "expected integer, got string \"3\"")
    );
    assert!(
        all.iter()
            .any(|(_, m)| m == "expected at most 2 items, got 3")
    );

    let small = widget(json!({"size": 0}));
    assert_eq!(
        crd_violations(&crd, &small),
        [(
            "spec.size".to_string(),
            "expected a number >= 1, got 0".to_string()
        )]
    );
    let missing = widget(json!({}));
    assert_eq!(
        crd_violations(&crd, &missing),
        [(
            "spec".to_string(),
            "missing required field \"size\"".to_string()
        )]
    );
}

#[test]
fn custom_resource_root_and_metadata() {
    let crd = crd();
    let mut w = widget(json!({"size": 1}));
    w["status"] = json!({"whatever": true});
    w["metadata"]["annotations"] = json!({"n": 1});
    w["metadata"]["finalizers"] = json!(["x"]);
    w["unknown"] = json!(1);
    let all = crd_violations(&crd, &w);
    assert_eq!(
        all,
        [
            (
                "metadata.annotations.n".to_string(),
                "expected string, got integer 1".to_string()
            ),
            (
                "unknown".to_string(),
                "unknown field \"unknown\"".to_string()
            ),
        ]
    );
    // A version without a schema accepts anything; nulls are pruned, not errors.
    let mut v2 = widget(json!({"anything": 1}));
    v2["apiVersion"] = json!("example.com/v2");
    assert_eq!(crd_violations(&crd, &v2), Vec::new());
    assert_eq!(
        crd_violations(&crd, &widget(json!({"size": 1, "colour": null}))),
        Vec::new()
    );
}

#[test]
fn crd_schemas_are_built_lazily() {
    let crd = crd();
    let mut validator = Validator::new(V135);
    validator.add_crd(&crd);
    assert!(validator.knows("example.com/v1", "Widget"));
    assert!(!validator.knows("example.com/v3", "Widget"));
    assert_eq!(validator.parsed_definitions(), 0);
}

fn rules_of(findings: &[Finding]) -> Vec<(&str, Option<usize>, Option<&str>)> {
    findings
        .iter()
        .map(|f| (f.rule, f.object, f.path.as_deref()))
        .collect()
}

#[test]
fn check_reports_findings_per_object() {
    let mut bad = deployment(container());
    bad["spec"]["replicas"] = json!("two");
    let values = vec![
        deployment(container()),
        bad,
        widget(json!({"size": 1})),
        crd(),
        json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}}),
        json!({"kind": "ConfigMap", "metadata": {"name": "c"}}),
    ];
    let objs = objects(&values);
    let findings = schema::check(&objs, &[], V135);
    assert_eq!(
        rules_of(&findings),
        [
            ("kube/schema", Some(1), Some("spec.replicas")),
            ("kube/unknown-kind", Some(4), None),
            ("kube/schema", Some(5), None),
        ]
    );
    assert_eq!(findings[0].severity, Severity::Error);
    assert_eq!(findings[1].severity, Severity::Warning);
    assert!(
        findings[1].message.contains("\"example.com/v1\""),
        "{}",
        findings[1].message
    );
    assert!(findings[1].message.contains("\"Gadget\""));
    assert!(findings[1].message.contains("v1.35"));
    assert!(
        findings[2].message.contains("apiVersion"),
        "{}",
        findings[2].message
    );
}

#[test]
fn check_uses_crds_given_apart_and_names_the_version_used() {
    let crd = crd();
    let values = vec![
        widget(json!({"size": 1})),
        json!({"apiVersion": "example.com/v1", "kind": "Gadget"}),
    ];
    let objs = objects(&values);
    let future = KubeVersion {
        major: 1,
        minor: 99,
    };
    let findings = schema::check(&objs, &[&crd], future);
    assert_eq!(rules_of(&findings), [("kube/unknown-kind", Some(1), None)]);
    let newest = *schema::versions().last().unwrap();
    let message = &findings[0].message;
    assert!(message.contains(&newest.to_string()), "{message}");
    assert!(message.contains("v1.99"), "{message}");
}

#[test]
fn lists_have_their_items_validated() {
    let mut bad = deployment(container());
    bad["spec"]["paused"] = json!("yes");
    let list = json!({"apiVersion": "v1", "kind": "List", "items": [
        deployment(container()), bad, {"apiVersion": "x/v1", "kind": "Y"}
    ]});
    let values = vec![list];
    let findings = schema::check(&objects(&values), &[], V135);
    assert_eq!(
        rules_of(&findings),
        [
            ("kube/schema", Some(0), Some("items[1].spec.paused")),
            ("kube/unknown-kind", Some(0), Some("items[2]")),
        ]
    );
}

#[test]
fn rules_are_listed() {
    let ids: Vec<&str> = schema::rules().iter().map(|r| r.id).collect();
    assert_eq!(ids, ["kube/schema", "kube/unknown-kind"]);
    assert_eq!(schema::SCHEMA.severity, Severity::Error);
    assert_eq!(schema::UNKNOWN_KIND.severity, Severity::Warning);
}

fn crd_with(schema: Value) -> Value {
    let mut crd = crd();
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = schema;
    crd
}

#[test]
fn any_of_and_all_of() {
    let crd = crd_with(json!({"type": "object", "properties": {"spec": {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
        "allOf": [{"properties": {"a": {"maximum": 5}}}, {"properties": {"b": {"minimum": 2}}}]
    }}}));
    assert_eq!(crd_violations(&crd, &widget(json!({"a": 1}))), Vec::new());
    assert_eq!(
        crd_violations(&crd, &widget(json!({"a": 1, "b": 3}))),
        Vec::new()
    );
    let none = crd_violations(&crd, &widget(json!({})));
    assert_eq!(none.len(), 1, "{none:?}");
    assert_eq!(none[0].0, "spec");
    assert!(none[0].1.contains("anyOf"), "{}", none[0].1);
    let both = crd_violations(&crd, &widget(json!({"a": 9, "b": 1})));
    assert_eq!(
        both,
        [
            (
                "spec.a".to_string(),
                "expected a number <= 5, got 9".to_string()
            ),
            (
                "spec.b".to_string(),
                "expected a number >= 2, got 1".to_string()
            ),
        ]
    );
}

#[test]
fn embedded_resources_are_checked() {
    let crd = crd();
    let bad = widget(
        json!({"size": 1, "template": {"apiVersion": 1, "kind": "Pod",
        "metadata": {"name": ["x"]}}}),
    );
    assert_eq!(
        crd_violations(&crd, &bad),
        [
            (
                "spec.template.apiVersion".to_string(),
                "expected string, got integer 1".to_string()
            ),
            (
                "spec.template.metadata.name".to_string(),
                "expected string, got array".to_string()
            ),
        ]
    );
    let not_object = widget(json!({"size": 1, "template": "pod"}));
    assert_eq!(
        crd_violations(&crd, &not_object),
        [(
            "spec.template".to_string(),
            "expected object, got string \"pod\"".to_string()
        )]
    );
}

#[test]
fn old_v1beta1_crds_are_understood() {
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
        "spec": {"group": "example.com", "version": "v1", "names": {"kind": "Widget"},
            "validation": {"openAPIV3Schema": {"type": "object",
                "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}});
    assert_eq!(
        crd_violations(&crd, &widget(json!({"size": 1}))),
        Vec::new()
    );
    assert_eq!(
        crd_violations(&crd, &widget(json!({"size": "1"}))),
        [(
            "spec.size".to_string(),
            "expected integer, got string \"1\"".to_string()
        )]
    );
}

#[test]
fn every_shipped_version_validates_a_deployment() {
    for version in schema::versions() {
        let mut validator = Validator::new(version);
        assert_eq!(validator.version(), version);
        assert_eq!(
            validator.validate(&deployment(container())),
            Verdict::Valid,
            "{version}"
        );
        let mut bad = deployment(container());
        bad["spec"]["replica"] = json!(1);
        assert!(
            matches!(validator.validate(&bad), Verdict::Invalid(_)),
            "{version}"
        );
    }
}
