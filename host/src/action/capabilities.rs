//! What `.Capabilities` holds when no cluster is asked, as Helm v4.1.4 has it built in.

/// Kubernetes version assumed by `template` without `--kube-version`.
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// The API versions Helm knows without a cluster (`chartutil.DefaultVersionSet`), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `.Capabilities.HelmVersion`: the Helm release whose behaviour rudder reproduces.
pub fn helm_version() -> serde_json::Value {
    serde_json::json!({"version": "v4.1.4", "git_commit": "05fa37973dc9e42b76e1d2883494c87174b6074f", "git_tree_state": "clean", "go_version": "go1.25.9", "kube_client_version": "v1.35"})
}

/// A Kubernetes version as `--kube-version` gives it, read the way Kubernetes' generic
/// version parser (and so Helm) reads it: an optional `v`, at least two dot-separated numbers,
/// and anything after them ignored (`1.29` → `v1.29`, `v1.30+k3s` → `v1.30`, `1.2.3.4` kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let illegal = || format!("invalid kube version '{s}': illegal version string \"{s}\"");
        let bare = s.trim();
        let bare = bare.strip_prefix('v').unwrap_or(bare);
        let mut parts: Vec<u64> = Vec::new();
        let mut rest = bare;
        loop {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                break;
            }
            parts.push(rest[..digits].parse().map_err(|_| illegal())?);
            rest = &rest[digits..];
            match rest.strip_prefix('.') {
                Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => rest = r,
                _ => break,
            }
        }
        if parts.len() < 2 {
            return Err(illegal());
        }
        let joined: Vec<String> = parts.iter().map(u64::to_string).collect();
        Ok(KubeVersion {
            version: format!("v{}", joined.join(".")),
            major: joined[0].clone(),
            minor: joined[1].clone(),
        })
    }

    pub fn default_version() -> KubeVersion {
        KubeVersion::parse(DEFAULT_KUBE_VERSION).expect("the built-in version parses")
    }
}

/// `.Capabilities` as the template plugin receives it.
pub fn capabilities_json(kube: &KubeVersion, extra_api_versions: &[String]) -> serde_json::Value {
    let mut apis: Vec<serde_json::Value> =
        DEFAULT_API_VERSIONS.iter().map(|v| (*v).into()).collect();
    apis.extend(extra_api_versions.iter().map(|v| v.as_str().into()));
    serde_json::json!({
        "KubeVersion": { "Version": kube.version, "Major": kube.major, "Minor": kube.minor },
        "APIVersions": apis,
        "HelmVersion": helm_version(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_normalise_like_helm() {
        // Expectations read off `helm template --kube-version X` printing .Capabilities.KubeVersion.
        let v = KubeVersion::parse("1.29").unwrap();
        assert_eq!(
            (v.version.as_str(), v.major.as_str(), v.minor.as_str()),
            ("v1.29", "1", "29")
        );
        assert_eq!(KubeVersion::parse("v1.18.3").unwrap().version, "v1.18.3");
        assert_eq!(KubeVersion::parse("1.2.3-rc.1").unwrap().version, "v1.2.3");
        assert_eq!(KubeVersion::parse("1.29.x").unwrap().version, "v1.29");
        assert_eq!(KubeVersion::parse("1.2.3.4").unwrap().version, "v1.2.3.4");
        assert_eq!(KubeVersion::parse("v1.30+k3s").unwrap().version, "v1.30");
        assert_eq!(
            KubeVersion::parse("1").unwrap_err(),
            "invalid kube version '1': illegal version string \"1\""
        );
        assert!(KubeVersion::parse("").is_err());
    }

    #[test]
    fn extra_api_versions_come_last() {
        let caps = capabilities_json(&KubeVersion::default_version(), &["foo/v1".into()]);
        let apis = caps["APIVersions"].as_array().unwrap();
        assert_eq!(apis.last().unwrap(), "foo/v1");
        assert_eq!(apis.len(), DEFAULT_API_VERSIONS.len() + 1);
    }
}
