use rudder_policy_allowed_registries::AllowedRegistries;
use rudder_sdk::testing;
use serde_json::json;

const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn deployment(init: &str, images: &[&str]) -> String {
    let containers: Vec<String> = images
        .iter()
        .enumerate()
        .map(|(i, image)| format!("        - name: c{i}\n          image: {image}\n"))
        .collect();
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      initContainers:{init}\n      containers:\n{}",
        containers.concat()
    )
}

#[cfg(test)] // so that clippy lets it unwrap, as in a test
fn found(yaml: &str, settings: serde_json::Value) -> Vec<(String, String)> {
    testing::evaluate::<AllowedRegistries>(yaml, settings)
        .unwrap()
        .into_iter()
        .map(|v| (v.code, v.path.unwrap_or_default()))
        .collect()
}

#[test]
fn images_from_allowed_registries_pass() {
    let yaml = deployment("", &["ghcr.io/acme/web:1", "nginx:1.25"]);
    let settings = json!({"registries": ["ghcr.io/acme/", "docker.io/library/"]});
    assert!(found(&yaml, settings).is_empty());
}

#[test]
fn docker_hub_images_are_normalized() {
    let yaml = deployment("", &["nginx", "bitnami/redis"]);
    let got = found(&yaml, json!({"registries": ["docker.io/library/"]}));
    assert_eq!(
        got,
        [(
            "registry-not-allowed".to_string(),
            "spec.template.spec.containers[1].image".to_string()
        )]
    );
    let v = testing::evaluate::<AllowedRegistries>(&yaml, json!({"registries": ["ghcr.io/acme/"]}))
        .unwrap();
    assert_eq!(
        v[0].message,
        r#"Deployment/web container "c0" image "nginx" (docker.io/library/nginx) is not from an allowed registry (ghcr.io/acme/) (spec.template.spec.containers[0].image)"#
    );
}

#[test]
fn init_and_ephemeral_containers_are_checked() {
    let yaml = "kind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: quay.io/x/init}]\n  containers: [{name: c, image: ghcr.io/acme/c}]\n  ephemeralContainers: [{name: e, image: busybox}]\n";
    let got = found(yaml, json!({"registries": ["ghcr.io/acme/"]}));
    assert_eq!(
        got,
        [
            (
                "registry-not-allowed".to_string(),
                "spec.initContainers[0].image".to_string()
            ),
            (
                "registry-not-allowed".to_string(),
                "spec.ephemeralContainers[0].image".to_string()
            ),
        ]
    );
}

#[test]
fn digests_are_required_when_asked() {
    let pinned = format!("ghcr.io/acme/web@sha256:{DIGEST}");
    let yaml = deployment("", &[&pinned, "ghcr.io/acme/api:2"]);
    let got = found(
        &yaml,
        json!({"registries": ["ghcr.io/acme"], "require-digest": true}),
    );
    assert_eq!(
        got,
        [(
            "digest-required".to_string(),
            "spec.template.spec.containers[1].image".to_string()
        )]
    );
    let got = found(&yaml, json!({"require-digest": true}));
    assert_eq!(got.len(), 1);
}

#[test]
fn null_lists_and_missing_images() {
    // `initContainers:` with no value, as charts render it.
    let yaml = deployment("", &["ghcr.io/acme/web"]);
    assert!(found(&yaml, json!({"registries": ["ghcr.io/acme/"]})).is_empty());
    let yaml = "kind: CronJob\nmetadata: {name: j}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c}]\n";
    assert_eq!(
        found(yaml, json!({"registries": ["ghcr.io/acme/"]})),
        [(
            "missing-image".to_string(),
            "spec.jobTemplate.spec.template.spec.containers[0].image".to_string()
        )]
    );
    let yaml = "kind: Service\nmetadata: {name: s}\nspec: {type: ClusterIP}\n";
    assert!(found(yaml, json!({"registries": ["ghcr.io/acme/"]})).is_empty());
}

#[test]
fn settings_are_checked() {
    assert!(testing::check_schema::<AllowedRegistries>().is_ok());
    assert!(testing::validate::<AllowedRegistries>(json!({"require-digest": true})).is_ok());
    let e = testing::validate::<AllowedRegistries>(json!({})).unwrap_err();
    assert_eq!(
        e.message,
        "name the allowed registries, or set require-digest"
    );
    let e =
        testing::validate::<AllowedRegistries>(json!({"registries": ["ok/", " x"]})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("registries[1]"));
    let e = testing::validate::<AllowedRegistries>(json!({"require-digest": "yes"})).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("require-digest"));
}
