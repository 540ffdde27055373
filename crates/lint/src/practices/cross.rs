//! Rules that look across the release: what Services, Ingresses, autoscalers and disruption
//! budgets point at, what pods reference, and availability of multi-replica workloads.

use serde_json::Value;

use super::util::{
    Pod, Release, array, get, int_of, map_selector_matches, same_namespace, selector_matches,
    str_of,
};
use super::*;

pub(super) fn check(release: &Release, out: &mut Vec<Finding>) {
    services(release, out);
    references(release, out);
    availability(release, out);
    autoscalers(release, out);
    ingresses(release, out);
    network_policies(release, out);
}

/// Pods that make up the running release (hooks come and go).
fn serving<'r, 'a>(release: &'r Release<'a>) -> impl Iterator<Item = &'r Pod<'a>> + 'r {
    release.pods.iter().filter(|p| !p.hook)
}

const RUNTIME_LABELS: &[&str] = &[
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-revision-hash",
    "pod-template-hash",
    "pod-template-generation",
];

fn services(release: &Release, out: &mut Vec<Finding>) {
    for svc in release.of_kind("Service") {
        let ty = str_of(svc.value, &["spec", "type"]).unwrap_or("ClusterIP");
        if ty == "NodePort" {
            out.push(Finding::object(
                &SERVICE_NODE_PORT,
                svc.index,
                "spec.type",
                format!("Service {} is of type NodePort: it opens a port on every node; prefer a LoadBalancer or an Ingress", svc.name()),
            ));
        }
        if ty == "ExternalName" {
            continue;
        }
        let Some(selector) = get(svc.value, &["spec", "selector"]).and_then(Value::as_object)
        else {
            continue;
        };
        if selector.is_empty() {
            continue;
        }
        // Labels the controllers put on pods at run time (one StatefulSet pod, a revision).
        let selector: serde_json::Map<String, Value> = selector
            .iter()
            .filter(|(k, _)| !RUNTIME_LABELS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if selector.is_empty() {
            continue;
        }
        let matched = serving(release).any(|p| {
            same_namespace(p.obj.namespace(), svc.namespace())
                && map_selector_matches(&selector, p.labels)
        });
        if !matched {
            let wanted: Vec<String> = selector
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect();
            out.push(Finding::object(
                &SERVICE_SELECTOR_NO_MATCH,
                svc.index,
                "spec.selector",
                format!(
                    "Service {} selects {}, which no pod template of the release carries",
                    svc.name(),
                    wanted.join(",")
                ),
            ));
        }
    }
}

/// A reference from a pod to another object: its kind, name and where it is.
struct Ref<'a> {
    kind: &'static str,
    name: &'a str,
    path: String,
    optional: bool,
}

fn optional(v: &Value) -> bool {
    matches!(v.get("optional"), Some(Value::Bool(true)))
}

fn pod_refs<'a>(pod: &Pod<'a>) -> Vec<Ref<'a>> {
    let mut refs = Vec::new();
    let mut push = |kind, name: Option<&'a str>, path: String, optional| {
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            refs.push(Ref {
                kind,
                name,
                path,
                optional,
            });
        }
    };
    for (i, vol) in array(pod.spec, &["volumes"]).iter().enumerate() {
        let vp = format!("{}.volumes[{i}]", pod.path);
        if let Some(cm) = vol.get("configMap") {
            push(
                "ConfigMap",
                str_of(cm, &["name"]),
                format!("{vp}.configMap.name"),
                optional(cm),
            );
        }
        if let Some(s) = vol.get("secret") {
            push(
                "Secret",
                str_of(s, &["secretName"]),
                format!("{vp}.secret.secretName"),
                optional(s),
            );
        }
        if let Some(pvc) = vol.get("persistentVolumeClaim") {
            push(
                "PersistentVolumeClaim",
                str_of(pvc, &["claimName"]),
                format!("{vp}.persistentVolumeClaim.claimName"),
                false,
            );
        }
        for (j, src) in array(vol, &["projected", "sources"]).iter().enumerate() {
            let sp = format!("{vp}.projected.sources[{j}]");
            if let Some(cm) = src.get("configMap") {
                push(
                    "ConfigMap",
                    str_of(cm, &["name"]),
                    format!("{sp}.configMap.name"),
                    optional(cm),
                );
            }
            if let Some(s) = src.get("secret") {
                push(
                    "Secret",
                    str_of(s, &["name"]),
                    format!("{sp}.secret.name"),
                    optional(s),
                );
            }
        }
    }
    for (i, s) in array(pod.spec, &["imagePullSecrets"]).iter().enumerate() {
        push(
            "Secret",
            str_of(s, &["name"]),
            format!("{}.imagePullSecrets[{i}].name", pod.path),
            false,
        );
    }
    let sa = super::pods::service_account(pod.spec);
    if sa != "default" {
        let key = if str_of(pod.spec, &["serviceAccountName"]).is_some_and(|s| !s.is_empty()) {
            "serviceAccountName"
        } else {
            "serviceAccount"
        };
        push(
            "ServiceAccount",
            Some(sa),
            format!("{}.{key}", pod.path),
            false,
        );
    }
    for c in &pod.containers {
        for (i, e) in array(c.value, &["envFrom"]).iter().enumerate() {
            let ep = format!("{}.envFrom[{i}]", c.path);
            if let Some(r) = e.get("configMapRef") {
                push(
                    "ConfigMap",
                    str_of(r, &["name"]),
                    format!("{ep}.configMapRef.name"),
                    optional(r),
                );
            }
            if let Some(r) = e.get("secretRef") {
                push(
                    "Secret",
                    str_of(r, &["name"]),
                    format!("{ep}.secretRef.name"),
                    optional(r),
                );
            }
        }
        for (i, e) in array(c.value, &["env"]).iter().enumerate() {
            let ep = format!("{}.env[{i}].valueFrom", c.path);
            if let Some(r) = get(e, &["valueFrom", "configMapKeyRef"]) {
                push(
                    "ConfigMap",
                    str_of(r, &["name"]),
                    format!("{ep}.configMapKeyRef.name"),
                    optional(r),
                );
            }
            if let Some(r) = get(e, &["valueFrom", "secretKeyRef"]) {
                push(
                    "Secret",
                    str_of(r, &["name"]),
                    format!("{ep}.secretKeyRef.name"),
                    optional(r),
                );
            }
        }
    }
    refs
}

/// Whether something in the release other than a plain Secret makes Secret `name`:
/// cert-manager Certificates, sealed and external secrets, or a hook whose command names it.
fn secret_made_by_release(release: &Release, name: &str, ns: &str) -> bool {
    release.objects.iter().any(|o| {
        if !same_namespace(o.namespace(), ns) {
            return false;
        }
        match o.kind() {
            "Certificate" => str_of(o.value, &["spec", "secretName"]) == Some(name),
            "SealedSecret" => o.name() == name,
            "ExternalSecret" => {
                str_of(o.value, &["spec", "target", "name"]).unwrap_or(o.name()) == name
            }
            _ => false,
        }
    }) || made_by_hook(release, name)
}

/// Whether a hook's container command, arguments or environment names `name`: the way
/// charts create certificates and configuration at install time.
fn made_by_hook(release: &Release, name: &str) -> bool {
    release.pods.iter().filter(|p| p.hook).any(|p| {
        p.containers.iter().any(|c| {
            let mut words = array(c.value, &["command"])
                .iter()
                .chain(array(c.value, &["args"]))
                .filter_map(Value::as_str)
                .chain(
                    array(c.value, &["env"])
                        .iter()
                        .filter_map(|e| str_of(e, &["value"])),
                );
            words.any(|w| mentions(w, name))
        })
    })
}

/// `text` contains `name` as a whole token (not inside a longer name).
fn mentions(text: &str, name: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

fn references(release: &Release, out: &mut Vec<Finding>) {
    for pod in &release.pods {
        let ns = pod.obj.namespace();
        let mut reported: Vec<(&str, &str)> = Vec::new();
        for r in pod_refs(pod) {
            if r.optional || release.has(r.kind, r.name, ns) {
                continue;
            }
            let (rule, exists) = match r.kind {
                // Every namespace gets kube-root-ca.crt from the cluster.
                "ConfigMap" => (
                    &DANGLING_CONFIGMAP,
                    r.name == "kube-root-ca.crt" || made_by_hook(release, r.name),
                ),
                "Secret" => (
                    &DANGLING_SECRET,
                    secret_made_by_release(release, r.name, ns),
                ),
                "ServiceAccount" => (&DANGLING_SERVICE_ACCOUNT, false),
                _ => (&DANGLING_PVC, false),
            };
            if exists || reported.contains(&(r.kind, r.name)) {
                continue;
            }
            reported.push((r.kind, r.name));
            out.push(Finding::object(
                rule,
                pod.obj.index,
                r.path,
                format!(
                    "{} references {} {:?}, which the release does not create; create it, mark the reference optional, or list it in externalObjects",
                    pod.name(),
                    r.kind,
                    r.name
                ),
            ));
        }
    }
}

/// Workloads whose replicas can be disrupted together: Deployments and StatefulSets.
fn replicated<'r, 'a>(release: &'r Release<'a>) -> impl Iterator<Item = (&'r Pod<'a>, i64)> + 'r {
    serving(release)
        .filter(|p| matches!(p.kind, "Deployment" | "StatefulSet"))
        .filter_map(|p| release.min_replicas_of(p).map(|n| (p, n)))
}

fn pdbs_for<'r, 'a>(
    release: &'r Release<'a>,
    pod: &'r Pod<'a>,
) -> impl Iterator<Item = &'r Object<'a>> + 'r {
    release.of_kind("PodDisruptionBudget").filter(move |pdb| {
        same_namespace(pdb.namespace(), pod.obj.namespace())
            && get(pdb.value, &["spec", "selector"])
                .is_some_and(|s| selector_matches(s, pod.labels))
    })
}

fn availability(release: &Release, out: &mut Vec<Finding>) {
    let threshold = release.settings.pdb_min_replicas() as i64;
    for (pod, replicas) in replicated(release) {
        if replicas >= threshold && pdbs_for(release, pod).next().is_none() {
            out.push(Finding::object(
                &PDB_MISSING,
                pod.obj.index,
                pod.meta_path.clone(),
                format!("{} runs {replicas} replicas but no PodDisruptionBudget selects its pods: a node drain may take them all down at once", pod.name()),
            ));
        }
        let affinity =
            get(pod.spec, &["affinity", "podAntiAffinity"]).is_some_and(|v| !v.is_null());
        let spread = !array(pod.spec, &["topologySpreadConstraints"]).is_empty();
        if replicas >= threshold && !affinity && !spread {
            out.push(Finding::object(
                &POD_ANTI_AFFINITY,
                pod.obj.index,
                pod.path.clone(),
                format!("{} runs {replicas} replicas without podAntiAffinity or topologySpreadConstraints: they may all land on one node", pod.name()),
            ));
        }
        let min = release.settings.min_replicas() as i64;
        if pod.kind == "Deployment"
            && replicas < min
            && release
                .hpas_for(pod.kind, pod.obj.name(), pod.obj.namespace())
                .next()
                .is_none()
        {
            let path = if pod.obj.value.pointer("/spec/replicas").is_some() {
                "spec.replicas"
            } else {
                "spec"
            };
            out.push(Finding::object(
                &MINIMUM_REPLICAS,
                pod.obj.index,
                path,
                format!("{} runs {replicas} replica(s), fewer than {min}: it is down while its pod restarts or moves", pod.name()),
            ));
        }
    }
    for pdb in release.of_kind("PodDisruptionBudget") {
        let max = get(pdb.value, &["spec", "maxUnavailable"]);
        let min = get(pdb.value, &["spec", "minAvailable"]);
        let zero = |v: &Value| int_of(v, &[]) == Some(0) || v == "0%";
        if max.is_some_and(zero) {
            out.push(Finding::object(
                &PDB_BLOCKS_EVICTION,
                pdb.index,
                "spec.maxUnavailable",
                format!("PodDisruptionBudget {} sets maxUnavailable: 0: no pod can ever be evicted and node drains hang", pdb.name()),
            ));
            continue;
        }
        let Some(min) = min else { continue };
        if min == "100%" {
            out.push(Finding::object(
                &PDB_BLOCKS_EVICTION,
                pdb.index,
                "spec.minAvailable",
                format!("PodDisruptionBudget {} sets minAvailable: 100%: no pod can ever be evicted and node drains hang", pdb.name()),
            ));
            continue;
        }
        let Some(n) = int_of(min, &[]).filter(|_| !min.is_string()) else {
            continue;
        };
        let selector = get(pdb.value, &["spec", "selector"]);
        let blocked = replicated(release).find(|(p, r)| {
            same_namespace(pdb.namespace(), p.obj.namespace())
                && selector.is_some_and(|s| selector_matches(s, p.labels))
                && n >= *r
        });
        if let Some((p, r)) = blocked {
            out.push(Finding::object(
                &PDB_BLOCKS_EVICTION,
                pdb.index,
                "spec.minAvailable",
                format!("PodDisruptionBudget {} requires {n} available pods but {} runs {r}: no pod can be evicted", pdb.name(), p.name()),
            ));
        }
    }
}

fn autoscalers(release: &Release, out: &mut Vec<Finding>) {
    for hpa in release.of_kind("HorizontalPodAutoscaler") {
        let kind = str_of(hpa.value, &["spec", "scaleTargetRef", "kind"]).unwrap_or("");
        let name = str_of(hpa.value, &["spec", "scaleTargetRef", "name"]).unwrap_or("");
        if kind.is_empty() || name.is_empty() {
            continue;
        }
        if !release.has(kind, name, hpa.namespace()) {
            out.push(Finding::object(
                &HPA_TARGET_MISSING,
                hpa.index,
                "spec.scaleTargetRef",
                format!("HorizontalPodAutoscaler {} scales {kind} {name:?}, which the release does not create", hpa.name()),
            ));
        }
    }
    for pod in serving(release) {
        if pod.replicas().is_none() || pod.obj.value.pointer("/spec/replicas").is_none() {
            continue;
        }
        if let Some(hpa) = release
            .hpas_for(pod.kind, pod.obj.name(), pod.obj.namespace())
            .next()
        {
            out.push(Finding::object(
                &HPA_FIXED_REPLICAS,
                pod.obj.index,
                "spec.replicas",
                format!("{} sets spec.replicas although HorizontalPodAutoscaler {} scales it: every upgrade resets the replica count", pod.name(), hpa.name()),
            ));
        }
    }
}

/// The Service backends of an Ingress (`networking.k8s.io/v1` or the older
/// `serviceName`/`servicePort` form), with their paths.
fn backends(ing: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for key in ["defaultBackend", "backend"] {
        if let Some(b) = get(ing, &["spec", key]) {
            out.push((format!("spec.{key}"), b));
        }
    }
    for (i, rule) in array(ing, &["spec", "rules"]).iter().enumerate() {
        for (j, p) in array(rule, &["http", "paths"]).iter().enumerate() {
            if let Some(b) = p.get("backend") {
                out.push((format!("spec.rules[{i}].http.paths[{j}].backend"), b));
            }
        }
    }
    out
}

fn ingresses(release: &Release, out: &mut Vec<Finding>) {
    for ing in release.of_kind("Ingress") {
        if array(ing.value, &["spec", "tls"]).is_empty() {
            out.push(Finding::object(
                &INGRESS_TLS,
                ing.index,
                "spec",
                format!(
                    "Ingress {} has no tls section: its hosts are served over plain HTTP",
                    ing.name()
                ),
            ));
        }
        for (path, b) in backends(ing.value) {
            let (name, port) = match b.get("service") {
                Some(s) => (str_of(s, &["name"]), s.get("port")),
                None => (str_of(b, &["serviceName"]), b.get("servicePort")),
            };
            let Some(name) = name.filter(|n| !n.is_empty()) else {
                continue;
            };
            if release.settings.is_external("Service", name) {
                continue;
            }
            let svc = release
                .of_kind("Service")
                .find(|s| s.name() == name && same_namespace(s.namespace(), ing.namespace()));
            let Some(svc) = svc else {
                out.push(Finding::object(
                    &INGRESS_BACKEND_MISSING,
                    ing.index,
                    path,
                    format!(
                        "Ingress {} routes to Service {name:?}, which the release does not create",
                        ing.name()
                    ),
                ));
                continue;
            };
            // `port.number`/`port.name` (v1) or a bare number or name (v1beta1).
            let (num, pname) = match port {
                Some(Value::Object(_)) => (
                    port.and_then(|p| int_of(p, &["number"])),
                    port.and_then(|p| str_of(p, &["name"])),
                ),
                Some(n @ Value::Number(_)) => (int_of(n, &[]), None),
                Some(Value::String(s)) => (
                    s.parse().ok(),
                    Some(s.as_str()).filter(|s| s.parse::<i64>().is_err()),
                ),
                _ => (None, None),
            };
            let ports = array(svc.value, &["spec", "ports"]);
            let found = ports.iter().any(|p| {
                num.is_some_and(|n| int_of(p, &["port"]) == Some(n))
                    || pname.is_some_and(|n| str_of(p, &["name"]) == Some(n))
            });
            if (num.is_some() || pname.is_some()) && !found {
                let shown = pname
                    .map(str::to_string)
                    .or(num.map(|n| n.to_string()))
                    .unwrap_or_default();
                out.push(Finding::object(
                    &INGRESS_BACKEND_MISSING,
                    ing.index,
                    format!("{path}.service.port"),
                    format!("Ingress {} routes to port {shown} of Service {name:?}, which has no such port", ing.name()),
                ));
            }
        }
    }
}

fn network_policies(release: &Release, out: &mut Vec<Finding>) {
    let policies: Vec<&Object> = release.of_kind("NetworkPolicy").collect();
    for pod in serving(release).filter(|p| p.long_running()) {
        let selected = policies.iter().any(|np| {
            same_namespace(np.namespace(), pod.obj.namespace())
                && get(np.value, &["spec", "podSelector"])
                    .is_some_and(|s| selector_matches(s, pod.labels))
        });
        if !selected {
            out.push(Finding::object(
                &NETWORK_POLICY_MISSING,
                pod.obj.index,
                pod.meta_path.clone(),
                format!("no NetworkPolicy of the release selects the pods of {}: they accept traffic from anywhere in the cluster", pod.name()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_names_only() {
        assert!(mentions("--secret-name=rel-web-tls", "rel-web-tls"));
        assert!(mentions("rel-web-tls", "rel-web-tls"));
        assert!(!mentions("rel-web-tls-ca", "rel-web-tls"));
        assert!(!mentions("x", "rel-web-tls"));
    }
}
