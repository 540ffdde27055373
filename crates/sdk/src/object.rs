//! What a policy sees: one rendered manifest, as the host sent it and as parsed JSON.

use crate::pods::{Container, PodSpec};
use crate::{Error, Value};
use serde::de::DeserializeOwned;
use serde_json::Map;

/// One rendered manifest as the host sends it (the WIT `manifest` record): the JSON of
/// the object is still text. [`testing`](crate::testing) makes these from YAML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Chart-qualified template that produced it (`web/templates/svc.yaml`).
    pub template: String,
    /// Index of the document within the template's output, from 0.
    pub document: u32,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// The hook it is (`pre-install,post-upgrade`), empty for a plain manifest.
    pub hook: String,
    /// The object as JSON text.
    pub object: String,
    /// The document's text as rendered.
    pub text: String,
}

/// One rendered object (one YAML document of a template's output).
///
/// The identifying fields come from the host, so selecting objects costs nothing; `value`
/// is the whole object, Go's integer/float distinction kept (`3` an integer, `3.0` a
/// float). Real charts render odd shapes (`labels:` with no value is `null`): read
/// `value` with `get` and `as_*`, which tolerate them, or [`Object::typed`].
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    /// Index in the list of objects given to the policy: a [`Violation`](crate::Violation)
    /// names the object by it.
    pub index: usize,
    /// Chart-qualified template that produced it (`web/templates/svc.yaml`).
    pub template: &'a str,
    /// Index of the document within the template's output, from 0.
    pub document: u32,
    /// `apiVersion`, `kind`, `metadata.name` and `metadata.namespace`; empty when absent.
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    /// The hook it is (`pre-install,post-upgrade`), empty for a plain manifest.
    pub hook: &'a str,
    /// The whole object.
    pub value: &'a Value,
    /// The document's text as rendered.
    pub text: &'a str,
}

impl<'a> Object<'a> {
    /// `Kind/name` (`Deployment/web`), how messages name an object.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The API group (`apps`; empty for the core group).
    pub fn group(&self) -> &'a str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The object deserialized into `T`, such as
    /// `rudder_sdk::k8s::api::apps::v1::Deployment` (feature `k8s`). An object that does
    /// not fit is an [`Error`] of kind input naming the object and the field.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_path_to_error::deserialize(self.value).map_err(|e| {
            let path = e.path().to_string();
            let message = format!("{}: {}", self.id(), e.inner());
            let error = Error::input(message);
            if path == "." { error } else { error.at(path) }
        })
    }

    /// `metadata.labels`; `None` when absent, `null` or not a map.
    pub fn labels(&self) -> Option<&'a Map<String, Value>> {
        self.value.get("metadata")?.get("labels")?.as_object()
    }

    /// `metadata.annotations`; `None` when absent, `null` or not a map.
    pub fn annotations(&self) -> Option<&'a Map<String, Value>> {
        self.value.get("metadata")?.get("annotations")?.as_object()
    }

    /// The label `key`, when it is a string.
    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.labels()?.get(key)?.as_str()
    }

    /// The annotation `key`, when it is a string.
    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.annotations()?.get(key)?.as_str()
    }

    /// The pod spec of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController, Job, CronJob, PodTemplate); `None` for other kinds or when
    /// it is missing or `null`.
    pub fn pod_spec(&self) -> Option<PodSpec<'a>> {
        PodSpec::of(self.value)
    }

    /// Every container of the object's pod spec (see [`PodSpec::containers`]); none when
    /// it has no pod spec.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        self.pod_spec()
            .into_iter()
            .flat_map(|spec| spec.containers())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: &Value) -> Object<'_> {
        Object {
            index: 0,
            template: "t",
            document: 0,
            api_version: "apps/v1",
            kind: "Deployment",
            name: "web",
            namespace: "",
            hook: "",
            value,
            text: "",
        }
    }

    #[test]
    fn reads_metadata_tolerating_nulls() {
        let v = json!({"metadata": {"labels": {"app": "web", "n": 3}, "annotations": null}});
        let o = object(&v);
        assert_eq!(o.id(), "Deployment/web");
        assert_eq!(o.group(), "apps");
        assert_eq!(o.label("app"), Some("web"));
        assert_eq!(o.label("n"), None);
        assert_eq!(o.labels().map(|l| l.len()), Some(2));
        assert!(o.annotations().is_none());
        assert!(o.annotation("x").is_none());
        assert!(o.pod_spec().is_none());
        assert_eq!(o.containers().count(), 0);
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "only parsed")]
    struct Replicas {
        spec: Spec,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "only parsed")]
    struct Spec {
        replicas: u32,
    }

    #[test]
    fn typed_errors_name_the_object_and_the_field() {
        let v = json!({"spec": {"replicas": "three"}});
        let e = object(&v).typed::<Replicas>().unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Input);
        assert_eq!(e.path.as_deref(), Some("spec.replicas"));
        assert!(e.message.starts_with("Deployment/web: invalid type"), "{e}");
        let v = json!({"spec": {"replicas": 3}});
        assert_eq!(object(&v).typed::<Replicas>().unwrap().spec.replicas, 3);
    }

    #[cfg(feature = "k8s")]
    #[test]
    fn typed_kubernetes_objects() {
        use crate::k8s::api::apps::v1::Deployment;
        let v = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": null},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                "template": {"spec": {"initContainers": null,
                    "containers": [{"name": "web", "image": "nginx"}]}}}});
        let d: Deployment = object(&v).typed().unwrap();
        let spec = d.spec;
        assert_eq!(spec.replicas, Some(2));
        assert_eq!(
            spec.template.spec.unwrap().containers[0].image.as_deref(),
            Some("nginx")
        );
    }
}
