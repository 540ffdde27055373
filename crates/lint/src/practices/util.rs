//! What the rules share: the release's pods, JSON look-ups and label selectors.

use serde_json::Value;

use super::Settings;
use crate::model::Object;
use crate::workload::{self, Container};

/// The value at `path` (object keys) under `v`.
pub(super) fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut v = v;
    for key in path {
        v = v.get(key)?;
    }
    Some(v)
}

pub(super) fn str_of<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path)?.as_str()
}

pub(super) fn is_true(v: &Value, path: &[&str]) -> bool {
    matches!(get(v, path), Some(Value::Bool(true)))
}

pub(super) fn array<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    match get(v, path).and_then(Value::as_array) {
        Some(list) => list,
        None => &[],
    }
}

/// An integer (or an integral float, or a string of digits some templates emit).
pub(super) fn int_of(v: &Value, path: &[&str]) -> Option<i64> {
    match get(v, path)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Whether two namespaces are the same; an object without one lives in the release's.
pub(super) fn same_namespace(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

/// Whether `labels` (a map) satisfies a Kubernetes label selector (`matchLabels` and
/// `matchExpressions`). An empty selector matches everything.
pub(super) fn selector_matches(selector: &Value, labels: Option<&Value>) -> bool {
    let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
    if let Some(map) = selector.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in map {
            if label(k) != v.as_str() {
                return false;
            }
        }
    }
    for expr in array(selector, &["matchExpressions"]) {
        let key = str_of(expr, &["key"]).unwrap_or("");
        let values: Vec<&str> = array(expr, &["values"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let have = label(key);
        let ok = match str_of(expr, &["operator"]).unwrap_or("") {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => !have.is_some_and(|h| values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether `labels` carries every pair of a plain map selector (a Service's). An empty or
/// absent map matches nothing here: callers decide what that means.
pub(super) fn map_selector_matches(
    selector: &serde_json::Map<String, Value>,
    labels: Option<&Value>,
) -> bool {
    !selector.is_empty()
        && selector
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == v.as_str())
}

/// Kinds that run pods for as long as they are deployed.
pub(super) fn long_running_kind(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController"
    )
}

/// A pod template (or a bare pod) of the release.
pub(super) struct Pod<'a> {
    pub obj: &'a Object<'a>,
    pub kind: &'a str,
    pub spec: &'a Value,
    pub path: String,
    /// The pod template's labels (a map) and the path of its metadata.
    pub labels: Option<&'a Value>,
    pub meta_path: String,
    pub annotations: Option<&'a Value>,
    pub containers: Vec<Container<'a>>,
    /// A Helm hook (`helm.sh/hook`): it runs around an install, it is not the release.
    pub hook: bool,
}

impl Pod<'_> {
    /// Pods that keep running: workloads other than Jobs, and bare pods that are no hook.
    pub fn long_running(&self) -> bool {
        !self.hook && (long_running_kind(self.kind) || self.kind == "Pod")
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.kind, self.obj.name())
    }

    /// The replicas the workload asks for, or `None` when the kind has no such count.
    pub fn replicas(&self) -> Option<i64> {
        match self.kind {
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
                Some(int_of(self.obj.value, &["spec", "replicas"]).unwrap_or(1))
            }
            _ => None,
        }
    }
}

pub(super) fn is_hook(obj: &Object) -> bool {
    !obj.hook.is_empty() || obj.annotation("helm.sh/hook").is_some()
}

/// The release: its objects, its pods and the settings.
pub(super) struct Release<'a> {
    pub objects: &'a [Object<'a>],
    pub pods: Vec<Pod<'a>>,
    pub settings: &'a Settings,
}

impl<'a> Release<'a> {
    pub fn new(objects: &'a [Object<'a>], settings: &'a Settings) -> Release<'a> {
        let mut pods = Vec::new();
        for obj in objects {
            let kind = obj.kind();
            if kind == "PodTemplate" {
                continue;
            }
            let Some((spec, path)) = workload::pod_spec(obj.value) else {
                continue;
            };
            let (meta, meta_path) = match workload::pod_metadata(obj.value) {
                Some((m, p)) => (Some(m), p),
                None => (None, format!("{}.metadata", parent_path(&path))),
            };
            pods.push(Pod {
                obj,
                kind,
                spec,
                containers: workload::containers(spec, &path),
                path,
                labels: meta.and_then(|m| m.get("labels")),
                annotations: meta.and_then(|m| m.get("annotations")),
                meta_path,
                hook: is_hook(obj),
            });
        }
        Release {
            objects,
            pods,
            settings,
        }
    }

    /// Whether the release (or [`Settings::external_objects`]) holds a `kind` named `name`
    /// in namespace `ns`.
    pub fn has(&self, kind: &str, name: &str, ns: &str) -> bool {
        self.settings.is_external(kind, name)
            || self
                .objects
                .iter()
                .any(|o| o.kind() == kind && o.name() == name && same_namespace(o.namespace(), ns))
    }

    /// The objects of `kind`.
    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Object<'a>> + 's {
        self.objects.iter().filter(move |o| o.kind() == kind)
    }

    /// The HorizontalPodAutoscalers of the release that scale `kind`/`name`.
    pub fn hpas_for<'s>(
        &'s self,
        kind: &'s str,
        name: &'s str,
        ns: &'s str,
    ) -> impl Iterator<Item = &'s Object<'a>> + 's {
        self.of_kind("HorizontalPodAutoscaler").filter(move |h| {
            str_of(h.value, &["spec", "scaleTargetRef", "kind"]) == Some(kind)
                && str_of(h.value, &["spec", "scaleTargetRef", "name"]) == Some(name)
                && same_namespace(h.namespace(), ns)
        })
    }

    /// The fewest replicas a workload runs: its HPA's `minReplicas` when one scales it.
    pub fn min_replicas_of(&self, pod: &Pod) -> Option<i64> {
        let replicas = pod.replicas()?;
        let hpa_min = self
            .hpas_for(pod.kind, pod.obj.name(), pod.obj.namespace())
            .map(|h| int_of(h.value, &["spec", "minReplicas"]).unwrap_or(1))
            .min();
        Some(hpa_min.unwrap_or(replicas))
    }
}

fn parent_path(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((p, _)) => p,
        None => "",
    }
}

/// `path` + `.key`.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A container's setting with the pod's security context as fallback, and the path of the
/// one that decided.
pub(super) fn effective<'a>(
    pod: &Pod<'a>,
    c: &Container<'a>,
    key: &str,
) -> Option<(&'a Value, String)> {
    if let Some(v) = get(c.value, &["securityContext", key]).filter(|v| !v.is_null()) {
        return Some((v, format!("{}.securityContext.{key}", c.path)));
    }
    get(pod.spec, &["securityContext", key])
        .filter(|v| !v.is_null())
        .map(|v| (v, format!("{}.securityContext.{key}", pod.path)))
}

/// How a container is named in messages.
pub(super) fn describe(pod: &Pod, c: &Container) -> String {
    let what = if c.init {
        "init container"
    } else {
        "container"
    };
    format!("{what} {:?} of {}", c.name(), pod.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selectors_match_like_kubernetes() {
        let labels = json!({"app": "web", "tier": "front"});
        let l = Some(&labels);
        assert!(selector_matches(&json!({}), l));
        assert!(selector_matches(&json!({"matchLabels": {"app": "web"}}), l));
        assert!(!selector_matches(
            &json!({"matchLabels": {"app": "api"}}),
            l
        ));
        let expr = |op: &str, values: &[&str]| json!({"matchExpressions": [{"key": "tier", "operator": op, "values": values}]});
        assert!(selector_matches(&expr("In", &["front", "back"]), l));
        assert!(!selector_matches(&expr("NotIn", &["front"]), l));
        assert!(selector_matches(&expr("Exists", &[]), l));
        assert!(!selector_matches(&expr("DoesNotExist", &[]), l));
        assert!(!selector_matches(&expr("Bogus", &[]), l));
        let map = json!({"app": "web"});
        assert!(map_selector_matches(map.as_object().unwrap(), l));
        assert!(!map_selector_matches(&serde_json::Map::new(), l));
    }

    #[test]
    fn reads_numbers_however_they_were_parsed() {
        let v = json!({"a": 3, "b": 3.0, "c": "3", "d": 3.5});
        assert_eq!(int_of(&v, &["a"]), Some(3));
        assert_eq!(int_of(&v, &["b"]), Some(3));
        assert_eq!(int_of(&v, &["c"]), Some(3));
        assert_eq!(int_of(&v, &["d"]), None);
    }
}
