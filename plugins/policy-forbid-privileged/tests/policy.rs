use rudder_policy_forbid_privileged::ForbidPrivileged;
use rudder_sdk::testing;
use serde_json::json;

const POD: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      hostIPC: false
      initContainers:
      containers:
        - name: agent
          image: agent
          securityContext:
            privileged: true
        - name: sidecar
          image: sidecar
          securityContext:
      volumes:
        - name: logs
          hostPath: {path: /var/log}
        - name: root
          hostPath: {path: /}
        - name: data
          emptyDir: {}
        - name: sneaky
          hostPath: {path: /var/log/../../etc}
"#;

#[cfg(test)] // so that clippy lets it unwrap, as in a test
fn found(yaml: &str, settings: serde_json::Value) -> Vec<(String, String)> {
    testing::evaluate::<ForbidPrivileged>(yaml, settings)
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
fn everything_is_forbidden_by_default() {
    assert_eq!(
        found(POD, json!({})),
        pairs(&[
            ("host-network", "spec.template.spec.hostNetwork"),
            ("host-pid", "spec.template.spec.hostPID"),
            (
                "privileged",
                "spec.template.spec.containers[0].securityContext.privileged"
            ),
            ("host-path", "spec.template.spec.volumes[0].hostPath"),
            ("host-path", "spec.template.spec.volumes[1].hostPath"),
            ("host-path", "spec.template.spec.volumes[3].hostPath"),
        ])
    );
    let v = testing::evaluate::<ForbidPrivileged>(POD, json!({})).unwrap();
    assert_eq!(
        v[2].message,
        r#"DaemonSet/agent container "agent" is privileged (spec.template.spec.containers[0].securityContext.privileged: true)"#
    );
    assert_eq!(
        v[3].message,
        r#"DaemonSet/agent volume "logs" mounts host path "/var/log" (spec.template.spec.volumes[0].hostPath)"#
    );
}

#[test]
fn allowed_host_path_prefixes() {
    let got = found(
        POD,
        json!({"allow-hostpath-prefixes": ["/var/log"], "privileged": false,
               "host-network": false, "host-pid": false}),
    );
    assert_eq!(
        got,
        pairs(&[
            ("host-path", "spec.template.spec.volumes[1].hostPath"),
            ("host-path", "spec.template.spec.volumes[3].hostPath"),
        ])
    );
}

#[test]
fn each_check_can_be_switched_off() {
    let off = json!({"privileged": false, "host-path": false, "host-network": false,
                     "host-pid": false, "host-ipc": false});
    assert!(found(POD, off).is_empty());
    let ipc = "kind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: [{name: c}]\n";
    assert_eq!(
        found(ipc, json!({})),
        pairs(&[("host-ipc", "spec.hostIPC")])
    );
    assert!(found(ipc, json!({"host-ipc": false})).is_empty());
}

#[test]
fn a_clean_workload_passes() {
    let yaml = "kind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      volumes:\n      containers:\n        - name: c\n          securityContext: {privileged: false}\n";
    assert!(found(yaml, json!({})).is_empty());
    assert!(found("kind: ConfigMap\nmetadata: {name: c}\n", json!({})).is_empty());
}

#[test]
fn settings_are_checked() {
    assert!(testing::check_schema::<ForbidPrivileged>().is_ok());
    assert!(testing::validate::<ForbidPrivileged>(json!({})).is_ok());
    let e =
        testing::validate::<ForbidPrivileged>(json!({"allow-hostpath-prefixes": ["/ok", "var"]}))
            .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("allow-hostpath-prefixes[1]"));
    let e = testing::validate::<ForbidPrivileged>(json!({"host-pid": 1})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("host-pid"));
    let e = testing::validate::<ForbidPrivileged>(json!({"hostPID": true})).unwrap_err();
    assert!(e.message.starts_with("unknown field `hostPID`"), "{e}");
}
