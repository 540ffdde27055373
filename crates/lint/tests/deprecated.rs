//! Rules `kube/deprecated-api` and `kube/removed-api`.

use rudder_lint::deprecated::{
    DEPRECATED, REMOVED, Replacement, Status, api_entries, api_entry, check, rules,
};
use rudder_lint::{Finding, KubeVersion, Object, Severity};
use serde_json::{Value, json};

fn at(minor: u32) -> KubeVersion {
    KubeVersion { major: 1, minor }
}

fn run(values: &[Value], target: KubeVersion) -> Vec<Finding> {
    let objects: Vec<Object> = values
        .iter()
        .enumerate()
        .map(|(index, value)| Object {
            index,
            template: "web/templates/x.yaml",
            hook: "",
            value,
        })
        .collect();
    check(&objects, target)
}

fn obj(api_version: &str, kind: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}})
}

fn one(api_version: &str, kind: &str, target: KubeVersion) -> Option<(&'static str, String)> {
    let findings = run(&[obj(api_version, kind)], target);
    assert!(findings.len() <= 1, "{findings:?}");
    findings.into_iter().next().map(|f| {
        assert_eq!(f.path.as_deref(), Some("apiVersion"));
        assert_eq!(f.object, Some(0));
        (f.rule, f.message)
    })
}

#[test]
fn rule_ids_and_severities() {
    assert_eq!(rules(), &[DEPRECATED, REMOVED]);
    assert_eq!(DEPRECATED.id, "kube/deprecated-api");
    assert_eq!(DEPRECATED.severity, Severity::Warning);
    assert_eq!(REMOVED.id, "kube/removed-api");
    assert_eq!(REMOVED.severity, Severity::Error);
}

#[test]
fn ingress_messages_and_boundaries() {
    assert_eq!(one("extensions/v1beta1", "Ingress", at(13)), None);
    assert_eq!(
        one("extensions/v1beta1", "Ingress", at(14)),
        Some((
            DEPRECATED.id,
            "extensions/v1beta1 Ingress is deprecated since v1.14 and will be removed in v1.22; use networking.k8s.io/v1 Ingress".to_string()
        ))
    );
    assert_eq!(
        one("extensions/v1beta1", "Ingress", at(21)).map(|f| f.0),
        Some(DEPRECATED.id)
    );
    assert_eq!(
        one("extensions/v1beta1", "Ingress", at(22)),
        Some((
            REMOVED.id,
            "extensions/v1beta1 Ingress was removed in v1.22 (deprecated in v1.14); use networking.k8s.io/v1 Ingress".to_string()
        ))
    );
    assert_eq!(
        one("extensions/v1beta1", "Ingress", at(35)).map(|f| f.0),
        Some(REMOVED.id)
    );
}

#[test]
fn other_message_shapes() {
    assert_eq!(
        one("v1", "Endpoints", at(33)).map(|f| f.1).as_deref(),
        Some("v1 Endpoints is deprecated since v1.33; use discovery.k8s.io/v1 EndpointSlice")
    );
    assert_eq!(one("v1", "Endpoints", at(32)), None);
    assert_eq!(
        one("v1", "ComponentStatus", at(35)).map(|f| f.1).as_deref(),
        Some("v1 ComponentStatus is deprecated since v1.19; nothing replaces it")
    );
    assert_eq!(
        one("policy/v1beta1", "PodSecurityPolicy", at(25))
            .map(|f| f.1)
            .as_deref(),
        Some(
            "policy/v1beta1 PodSecurityPolicy was removed in v1.25 (deprecated in v1.21); use Pod Security Admission"
        )
    );
    assert_eq!(
        one("batch/v1beta1", "CronJob", at(24))
            .map(|f| f.1)
            .as_deref(),
        Some(
            "batch/v1beta1 CronJob is deprecated since v1.21 and will be removed in v1.25; use batch/v1 CronJob"
        )
    );
    assert_eq!(
        one("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", at(32))
            .map(|f| f.1)
            .as_deref(),
        Some(
            "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in v1.32 (deprecated in v1.29); use flowcontrol.apiserver.k8s.io/v1 FlowSchema"
        )
    );
    // An alpha version dropped without a deprecation period.
    assert_eq!(one("batch/v2alpha1", "CronJob", at(20)), None);
    assert_eq!(
        one("batch/v2alpha1", "CronJob", at(21))
            .map(|f| f.1)
            .as_deref(),
        Some("batch/v2alpha1 CronJob was removed in v1.21; use batch/v1 CronJob")
    );
    assert_eq!(
        one("settings.k8s.io/v1alpha1", "PodPreset", at(20))
            .map(|f| f.1)
            .as_deref(),
        Some("settings.k8s.io/v1alpha1 PodPreset was removed in v1.20; nothing replaces it")
    );
}

#[test]
fn served_and_unknown_versions_are_fine() {
    for (api_version, kind) in [
        ("apps/v1", "Deployment"),
        ("networking.k8s.io/v1", "Ingress"),
        ("v1", "ConfigMap"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("extensions/v1beta1", "ingress"),
    ] {
        assert_eq!(one(api_version, kind, at(35)), None, "{api_version} {kind}");
    }
    let odd = [
        json!({"apiVersion": 1, "kind": "Ingress"}),
        json!({"kind": "Ingress"}),
        json!({"apiVersion": "extensions/v1beta1"}),
        json!("text"),
        Value::Null,
    ];
    assert_eq!(run(&odd, at(35)), vec![]);
}

#[test]
fn boundaries_of_every_entry() {
    for e in api_entries() {
        let (dep, rem) = (e.deprecated, e.removed);
        let prev = |v: KubeVersion| KubeVersion {
            major: v.major,
            minor: v.minor - 1,
        };
        if let Some(d) = dep {
            assert_eq!(e.status(prev(d)), Status::Served, "{e:?}");
            let want = if rem == Some(d) {
                Status::Removed
            } else {
                Status::Deprecated
            };
            assert_eq!(e.status(d), want, "{e:?}");
        }
        if let Some(r) = rem {
            let before = if dep.is_some_and(|d| d <= prev(r)) {
                Status::Deprecated
            } else {
                Status::Served
            };
            assert_eq!(e.status(prev(r)), before, "{e:?}");
            assert_eq!(e.status(r), Status::Removed, "{e:?}");
            assert_eq!(
                e.status(KubeVersion { major: 2, minor: 0 }),
                Status::Removed
            );
        }
        // The check agrees with the status and names the replacement.
        for target in [dep, rem].into_iter().flatten() {
            let got = one(e.api_version, e.kind, target);
            let rule = match e.status(target) {
                Status::Removed => REMOVED.id,
                Status::Deprecated => DEPRECATED.id,
                Status::Served => continue,
            };
            let (got_rule, message) = got.unwrap_or_default();
            assert_eq!(got_rule, rule, "{e:?}");
            assert!(message.starts_with(&format!("{} {} ", e.api_version, e.kind)));
            if let Replacement::Api { api_version, kind } = e.replacement {
                assert!(
                    message.ends_with(&format!("; use {api_version} {kind}")),
                    "{message}"
                );
            }
            if let Some(r) = rem {
                assert!(message.contains(&format!("removed in {r}")), "{message}");
            }
        }
    }
}

#[test]
fn covers_the_well_known_removals() {
    let expect = |api_version: &str, kind: &str, dep: Option<u32>, rem: Option<u32>| {
        let e = api_entry(api_version, kind);
        assert!(e.is_some(), "{api_version} {kind} missing");
        if let Some(e) = e {
            assert_eq!(e.deprecated, dep.map(at), "{api_version} {kind}");
            assert_eq!(e.removed, rem.map(at), "{api_version} {kind}");
        }
    };
    for kind in ["Deployment", "DaemonSet", "ReplicaSet"] {
        expect("extensions/v1beta1", kind, Some(8), Some(16));
        expect("apps/v1beta2", kind, Some(9), Some(16));
    }
    expect("extensions/v1beta1", "NetworkPolicy", Some(9), Some(16));
    expect(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        Some(11),
        Some(16),
    );
    expect("extensions/v1beta1", "Ingress", Some(14), Some(22));
    expect("apps/v1beta1", "Deployment", Some(8), Some(16));
    expect("apps/v1beta1", "StatefulSet", Some(8), Some(16));
    expect("batch/v1beta1", "CronJob", Some(21), Some(25));
    expect("policy/v1beta1", "PodDisruptionBudget", Some(21), Some(25));
    expect("policy/v1beta1", "PodSecurityPolicy", Some(21), Some(25));
    expect(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        Some(22),
        Some(25),
    );
    expect(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        Some(23),
        Some(26),
    );
    expect("networking.k8s.io/v1beta1", "Ingress", Some(19), Some(22));
    expect(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        Some(19),
        Some(22),
    );
    for kind in ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"] {
        expect(
            "rbac.authorization.k8s.io/v1beta1",
            kind,
            Some(17),
            Some(22),
        );
        expect(
            "rbac.authorization.k8s.io/v1alpha1",
            kind,
            Some(17),
            Some(22),
        );
    }
    expect("storage.k8s.io/v1beta1", "StorageClass", Some(19), Some(22));
    expect("storage.k8s.io/v1beta1", "CSINode", Some(17), Some(22));
    expect(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        Some(24),
        Some(27),
    );
    expect(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        Some(16),
        Some(22),
    );
    expect(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        Some(16),
        Some(22),
    );
    expect(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        Some(14),
        Some(22),
    );
    expect(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        Some(21),
        Some(25),
    );
    expect("events.k8s.io/v1beta1", "Event", Some(22), Some(25));
    expect(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        Some(23),
        Some(26),
    );
    expect(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        Some(26),
        Some(29),
    );
    expect(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        Some(29),
        Some(32),
    );
    expect("coordination.k8s.io/v1beta1", "Lease", Some(19), Some(22));
    expect(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        Some(19),
        Some(22),
    );
    expect("node.k8s.io/v1beta1", "RuntimeClass", Some(22), Some(25));
    expect(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        Some(19),
        Some(22),
    );
    expect(
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        Some(19),
        Some(22),
    );
    expect(
        "resource.k8s.io/v1beta1",
        "ResourceClaim",
        Some(35),
        Some(38),
    );
    expect("resource.k8s.io/v1alpha3", "ResourceClaim", None, Some(34));
    expect("v1", "Endpoints", Some(33), None);
}

#[test]
fn list_items_are_checked() {
    let list = json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            obj("apps/v1", "Deployment"),
            obj("v1", "ConfigMap"),
            obj("policy/v1", "PodDisruptionBudget"),
            obj("extensions/v1beta1", "Ingress"),
            {"apiVersion": "v1", "kind": "List", "items": [obj("batch/v1beta1", "CronJob")]},
        ],
    });
    let findings = run(&[obj("v1", "ConfigMap"), list], at(25));
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.object, f.path.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (REMOVED.id, Some(1), Some("items[3].apiVersion")),
            (REMOVED.id, Some(1), Some("items[4].items[0].apiVersion")),
        ]
    );
}

#[test]
fn typed_lists_are_checked_with_their_items() {
    let list = json!({
        "apiVersion": "extensions/v1beta1",
        "kind": "DeploymentList",
        "items": [obj("extensions/v1beta1", "Deployment")],
    });
    let findings = run(&[list], at(16));
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.path.as_deref(), f.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("apiVersion"),
                "extensions/v1beta1 DeploymentList was removed in v1.16 (deprecated in v1.8); use apps/v1 DeploymentList"
            ),
            (
                Some("items[0].apiVersion"),
                "extensions/v1beta1 Deployment was removed in v1.16 (deprecated in v1.8); use apps/v1 Deployment"
            ),
        ]
    );
    // `items` on something that is not a list is not looked into.
    let not_list = json!({"apiVersion": "v1", "kind": "ConfigMap", "items": [obj("batch/v1beta1", "CronJob")]});
    assert_eq!(run(&[not_list], at(35)), vec![]);
}
