//! The pod spec inside any workload kind and its containers, each with its JSON path, so
//! a policy about pods is written once.
//!
//! Everything here tolerates what real charts render: a missing or `null` field
//! (`initContainers:` with no value) is an empty list, an entry that is not a map is
//! skipped.

use crate::Value;

/// Where the pod spec sits in an object of `kind`, as keys from the root; `None` for kinds
/// that hold no pod (the lint rules' own table, so rules and policies agree).
pub use rudder_lint::workload::pod_spec_path as pod_spec_keys;

/// The pod spec of a workload.
#[derive(Debug, Clone)]
pub struct PodSpec<'a> {
    /// The pod spec (a map).
    pub value: &'a Value,
    /// Its JSON path in the object (`spec.template.spec`).
    pub path: String,
    root: &'a Value,
    keys: &'static [&'static str],
}

impl<'a> PodSpec<'a> {
    /// The pod spec of `object` (a whole manifest), found by its `kind`.
    pub fn of(object: &'a Value) -> Option<PodSpec<'a>> {
        let keys = pod_spec_keys(object.get("kind")?.as_str()?)?;
        let value = walk(object, keys)?;
        value.is_object().then(|| PodSpec {
            value,
            path: keys.join("."),
            root: object,
            keys,
        })
    }

    /// The field `key` of the pod spec (`hostNetwork`), `None` when absent or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key).filter(|v| !v.is_null())
    }

    /// The JSON path of field `key` of the pod spec (`spec.template.spec.hostNetwork`).
    pub fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The metadata of the pods (the pod template's `metadata`, the object's own for a
    /// Pod); `None` when absent or not a map. Its path is [`PodSpec::metadata_path`].
    pub fn metadata(&self) -> Option<&'a Value> {
        let parent = &self.keys[..self.keys.len().saturating_sub(1)];
        walk(self.root, parent)?
            .get("metadata")
            .filter(|m| m.is_object())
    }

    /// The JSON path of the pods' metadata (`spec.template.metadata`, `metadata` for a
    /// Pod), whether or not it is there.
    pub fn metadata_path(&self) -> String {
        let parent = &self.keys[..self.keys.len().saturating_sub(1)];
        if parent.is_empty() {
            "metadata".to_string()
        } else {
            format!("{}.metadata", parent.join("."))
        }
    }

    /// The entries of the list field `key` (`volumes`) with their paths; empty when absent
    /// or `null`, entries that are not maps skipped.
    pub fn list(&self, key: &str) -> impl Iterator<Item = (&'a Value, String)> + use<'a> {
        let base = self.path_of(key);
        entries(self.value.get(key)).map(move |(i, v)| (v, format!("{base}[{i}]")))
    }

    /// Every container: `initContainers`, then `containers`, then `ephemeralContainers`.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        let spec = self.value;
        let path = self.path.clone();
        ContainerKind::ALL.into_iter().flat_map(move |kind| {
            let path = path.clone();
            entries(spec.get(kind.key())).map(move |(i, value)| Container {
                value,
                path: format!("{path}.{}[{i}]", kind.key()),
                kind,
            })
        })
    }
}

/// Which list of the pod spec a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    /// `initContainers`.
    Init,
    /// `containers`.
    Regular,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    const ALL: [ContainerKind; 3] = [
        ContainerKind::Init,
        ContainerKind::Regular,
        ContainerKind::Ephemeral,
    ];

    /// The pod spec's field for this list (`initContainers`).
    pub fn key(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A container of a pod spec.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    /// The container (a map).
    pub value: &'a Value,
    /// Its JSON path in the object (`spec.template.spec.containers[0]`).
    pub path: String,
    pub kind: ContainerKind,
}

impl<'a> Container<'a> {
    /// `name`, empty when absent.
    pub fn name(&self) -> &'a str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }

    /// `image`, `None` when absent or not a string.
    pub fn image(&self) -> Option<&'a str> {
        self.value.get("image").and_then(Value::as_str)
    }

    /// The field at `keys` below the container (`["securityContext", "privileged"]`),
    /// `None` when any step is absent or `null`.
    pub fn get(&self, keys: &[&str]) -> Option<&'a Value> {
        walk(self.value, keys).filter(|v| !v.is_null())
    }

    /// The JSON path of the field at `keys` (`spec.containers[0].securityContext.privileged`).
    pub fn path_of(&self, keys: &[&str]) -> String {
        let mut path = self.path.clone();
        for key in keys {
            path.push('.');
            path.push_str(key);
        }
        path
    }
}

fn walk<'a>(mut value: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    for key in keys {
        value = value.get(key)?;
    }
    Some(value)
}

/// The map entries of a list, with their indices; nothing for `null` or a non-list.
fn entries(list: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, v)| v.is_object())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_pod_spec_of_every_workload_kind() {
        for (kind, path) in [
            ("Pod", "spec"),
            ("Deployment", "spec.template.spec"),
            ("StatefulSet", "spec.template.spec"),
            ("DaemonSet", "spec.template.spec"),
            ("ReplicaSet", "spec.template.spec"),
            ("ReplicationController", "spec.template.spec"),
            ("Job", "spec.template.spec"),
            ("CronJob", "spec.jobTemplate.spec.template.spec"),
            ("PodTemplate", "template.spec"),
        ] {
            let spec = json!({"containers": [{"name": "c", "image": "nginx"}]});
            let mut object = json!({"kind": kind, "metadata": {"name": "x"}});
            let keys = pod_spec_keys(kind).unwrap();
            let mut at = &mut object;
            for key in &keys[..keys.len() - 1] {
                at = &mut at[*key];
            }
            at[keys[keys.len() - 1]] = spec;
            let pod = PodSpec::of(&object).unwrap();
            assert_eq!(pod.path, path, "{kind}");
            let containers: Vec<_> = pod.containers().collect();
            assert_eq!(containers.len(), 1);
            assert_eq!(containers[0].path, format!("{path}.containers[0]"));
            assert_eq!(containers[0].image(), Some("nginx"));
        }
        assert!(PodSpec::of(&json!({"kind": "Service", "spec": {}})).is_none());
        assert!(PodSpec::of(&json!({"kind": 3})).is_none());
    }

    #[test]
    fn lists_init_regular_and_ephemeral_containers_in_order() {
        let object = json!({"kind": "Deployment", "spec": {"template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
            "initContainers": [{"name": "i"}],
            "containers": [{"name": "a"}, null, {"name": "b"}],
            "ephemeralContainers": [{"name": "e"}],
        }}}});
        let pod = PodSpec::of(&object).unwrap();
        let got: Vec<_> = pod
            .containers()
            .map(|c| (c.name(), c.kind, c.path))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "i",
                    ContainerKind::Init,
                    "spec.template.spec.initContainers[0]".to_string()
                ),
                (
                    "a",
                    ContainerKind::Regular,
                    "spec.template.spec.containers[0]".to_string()
                ),
                (
                    "b",
                    ContainerKind::Regular,
                    "spec.template.spec.containers[2]".to_string()
                ),
                (
                    "e",
                    ContainerKind::Ephemeral,
                    "spec.template.spec.ephemeralContainers[0]".to_string()
                ),
            ]
        );
        assert_eq!(pod.metadata_path(), "spec.template.metadata");
        assert_eq!(pod.metadata().unwrap()["labels"]["app"], "web");
    }

    #[test]
    fn tolerates_nulls() {
        let object = json!({"kind": "Deployment", "spec": {"template": {"metadata": null,
            "spec": {"initContainers": null, "containers": null, "volumes": null}}}});
        let pod = PodSpec::of(&object).unwrap();
        assert_eq!(pod.containers().count(), 0);
        assert_eq!(pod.list("volumes").count(), 0);
        assert!(pod.metadata().is_none());
        assert_eq!(pod.metadata_path(), "spec.template.metadata");
        assert!(pod.get("hostNetwork").is_none());
        assert!(PodSpec::of(&json!({"kind": "Deployment", "spec": null})).is_none());
        assert!(
            PodSpec::of(&json!({"kind": "Deployment", "spec": {"template": {"spec": null}}}))
                .is_none()
        );
        assert!(PodSpec::of(&json!({"kind": "CronJob", "spec": {"jobTemplate": null}})).is_none());
    }

    #[test]
    fn a_pods_metadata_is_its_own() {
        let object = json!({"kind": "Pod", "metadata": {"name": "p"}, "spec": {}});
        let pod = PodSpec::of(&object).unwrap();
        assert_eq!(pod.metadata_path(), "metadata");
        assert_eq!(pod.metadata().unwrap()["name"], "p");
        let c = json!({"securityContext": {"privileged": true}});
        let container = Container {
            value: &c,
            path: "spec.containers[0]".into(),
            kind: ContainerKind::Regular,
        };
        assert_eq!(
            container.get(&["securityContext", "privileged"]),
            Some(&json!(true))
        );
        assert_eq!(
            container.path_of(&["securityContext", "privileged"]),
            "spec.containers[0].securityContext.privileged"
        );
        assert!(container.get(&["resources", "limits"]).is_none());
    }
}
