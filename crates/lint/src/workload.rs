//! The pod spec inside any workload kind, so that a rule about pods is written once.

use serde_json::Value;

/// Where the pod spec sits in an object of `kind`, as JSON keys from the root; `None` for
/// kinds that hold no pod.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => return None,
    })
}

/// The pod spec of a workload and its JSON path (`spec.template.spec`).
pub fn pod_spec(object: &Value) -> Option<(&Value, String)> {
    let kind = object.get("kind")?.as_str()?;
    let path = pod_spec_path(kind)?;
    let mut v = object;
    for key in path {
        v = v.get(key)?;
    }
    v.is_object().then(|| (v, path.join(".")))
}

/// The pod template's metadata (labels of the pods a workload makes) and its path.
pub fn pod_metadata(object: &Value) -> Option<(&Value, String)> {
    let kind = object.get("kind")?.as_str()?;
    let path = pod_spec_path(kind)?;
    let parent = &path[..path.len() - 1];
    let mut v = object;
    for key in parent {
        v = v.get(key)?;
    }
    let meta = v.get("metadata")?;
    let mut p = parent.join(".");
    p.push_str(if p.is_empty() {
        "metadata"
    } else {
        ".metadata"
    });
    Some((meta, p))
}

/// A container of a pod spec, with its JSON path and whether it is an init container.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub value: &'a Value,
    pub path: String,
    pub init: bool,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

/// Every container (`initContainers` first, then `containers`; ephemeral ones are left
/// out) of the pod spec at `spec_path`.
pub fn containers<'a>(pod_spec: &'a Value, spec_path: &str) -> Vec<Container<'a>> {
    let mut out = Vec::new();
    for (key, init) in [("initContainers", true), ("containers", false)] {
        if let Some(list) = pod_spec.get(key).and_then(Value::as_array) {
            for (i, c) in list.iter().enumerate() {
                out.push(Container {
                    value: c,
                    path: format!("{spec_path}.{key}[{i}]"),
                    init,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_pod_spec_of_each_workload_kind() {
        let cron = json!({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {
            "metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c"}], "initContainers": [{"name": "i"}]}}}}}});
        let (spec, path) = pod_spec(&cron).unwrap();
        assert_eq!(path, "spec.jobTemplate.spec.template.spec");
        let cs = containers(spec, &path);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].name(), "i");
        assert!(cs[0].init);
        assert_eq!(
            cs[1].path,
            "spec.jobTemplate.spec.template.spec.containers[0]"
        );
        let (meta, mpath) = pod_metadata(&cron).unwrap();
        assert_eq!(mpath, "spec.jobTemplate.spec.template.metadata");
        assert_eq!(meta["labels"]["a"], "b");

        let pod = json!({"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}});
        assert_eq!(pod_spec(&pod).unwrap().1, "spec");
        assert_eq!(pod_metadata(&pod).unwrap().1, "metadata");
        assert!(pod_spec(&json!({"kind": "Service", "spec": {}})).is_none());
    }
}
