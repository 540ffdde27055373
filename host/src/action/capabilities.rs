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
/// version parser (and so Helm) reads it: leading spaces and an optional `v`, at least two
/// dot-separated numbers, and anything after them ignored (`1.29` → `v1.29`, `v1.30+k3s` →
/// `v1.30`, `1.2.3.4` kept). Errors are that parser's texts, prefixed as Helm prefixes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let fail = |why: String| format!("invalid kube version '{s}': {why}");
        let quoted = crate::values::strvals::go_quote(s);
        let bare = s.trim_start();
        let bare = bare.strip_prefix('v').unwrap_or(bare);
        // The numbers: digits, then `.digits` as long as a digit follows the dot.
        let mut end = bare.bytes().take_while(u8::is_ascii_digit).count();
        if end == 0 {
            return Err(fail(format!("could not parse {quoted} as version")));
        }
        while bare[end..].starts_with('.')
            && bare[end + 1..].starts_with(|c: char| c.is_ascii_digit())
        {
            end += 1 + bare[end + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
        }
        let components: Vec<&str> = bare[..end].split('.').collect();
        if components.len() < 2 {
            return Err(fail(format!("illegal version string {quoted}")));
        }
        if components[0].len() > 1 && components[0].starts_with('0') {
            return Err(fail(format!(
                "illegal zero-prefixed version component {} in {quoted}",
                crate::values::strvals::go_quote(components[0])
            )));
        }
        let mut numbers = Vec::with_capacity(components.len());
        for c in &components {
            let n: u64 = c.parse().map_err(|_| {
                let c = crate::values::strvals::go_quote(c);
                fail(format!(
                    "illegal non-numeric version component {c} in {quoted}: \
                     strconv.ParseUint: parsing {c}: value out of range"
                ))
            })?;
            numbers.push(n.to_string());
        }
        Ok(KubeVersion {
            version: format!("v{}", numbers.join(".")),
            major: numbers[0].clone(),
            minor: numbers[1].clone(),
        })
    }

    #[expect(
        clippy::expect_used,
        reason = "a constant that parses (the default-version unit test)"
    )]
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
        assert_eq!(KubeVersion::parse(" v1.2").unwrap().version, "v1.2");
        assert_eq!(KubeVersion::parse("1.02").unwrap().version, "v1.2");
        // Helm's texts for the same inputs.
        for (input, why) in [
            ("abc", r#"could not parse "abc" as version"#),
            ("V1.2", r#"could not parse "V1.2" as version"#),
            ("", r#"could not parse "" as version"#),
            (
                "01.2",
                r#"illegal zero-prefixed version component "01" in "01.2""#,
            ),
            (
                "1.99999999999999999999999",
                r#"illegal non-numeric version component "99999999999999999999999" in "1.99999999999999999999999": strconv.ParseUint: parsing "99999999999999999999999": value out of range"#,
            ),
        ] {
            assert_eq!(
                KubeVersion::parse(input).unwrap_err(),
                format!("invalid kube version '{input}': {why}")
            );
        }
    }

    #[test]
    fn extra_api_versions_come_last() {
        let caps = capabilities_json(&KubeVersion::default_version(), &["foo/v1".into()]);
        let apis = caps["APIVersions"].as_array().unwrap();
        assert_eq!(apis.last().unwrap(), "foo/v1");
        assert_eq!(apis.len(), DEFAULT_API_VERSIONS.len() + 1);
    }
}
