//! Rules about one pod spec and its containers: security contexts, host namespaces,
//! resources, probes, images, environment and ports.

use serde_json::Value;

use super::util::{Pod, Release, array, describe, effective, get, int_of, is_true, join, str_of};
use super::*;
use crate::workload::Container;

pub(super) fn check(release: &Release, out: &mut Vec<Finding>) {
    for pod in &release.pods {
        pod_level(release, pod, out);
        ports(pod, out);
        // Linux security settings mean nothing to (and are refused for) Windows pods.
        let windows = str_of(pod.spec, &["os", "name"]) == Some("windows");
        for c in &pod.containers {
            if !windows {
                security(pod, c, out);
                capabilities(release, pod, c, out);
            }
            if !pod.hook {
                resources(pod, c, out);
            }
            probes(pod, c, out);
            image(release, pod, c, out);
            env(pod, c, out);
        }
    }
}

fn finding(rule: &Rule, pod: &Pod, path: impl Into<String>, msg: impl Into<String>) -> Finding {
    Finding::object(rule, pod.obj.index, path, msg)
}

fn pod_level(release: &Release, pod: &Pod, out: &mut Vec<Finding>) {
    let spec = pod.spec;
    let name = pod.name();
    for (key, rule, what) in [
        ("hostNetwork", &HOST_NETWORK, "the node's network namespace"),
        ("hostPID", &HOST_PID, "the node's process namespace"),
        ("hostIPC", &HOST_IPC, "the node's IPC namespace"),
    ] {
        if is_true(spec, &[key]) {
            out.push(finding(
                rule,
                pod,
                join(&pod.path, key),
                format!("{name} sets {key}: true and shares {what}"),
            ));
        }
    }
    if is_true(spec, &["shareProcessNamespace"]) {
        out.push(finding(
            &SHARE_PROCESS_NAMESPACE,
            pod,
            join(&pod.path, "shareProcessNamespace"),
            format!("{name} shares one process namespace between its containers: each can see and signal the others' processes and read their filesystems through /proc"),
        ));
    }
    for (i, vol) in array(spec, &["volumes"]).iter().enumerate() {
        let Some(host) = vol.get("hostPath") else {
            continue;
        };
        let vname = str_of(vol, &["name"]).unwrap_or("");
        let hpath = str_of(host, &["path"]).unwrap_or("");
        let path = format!("{}.volumes[{i}].hostPath", pod.path);
        out.push(finding(
            &HOST_PATH_VOLUME,
            pod,
            path.clone(),
            format!("{name} mounts {hpath:?} of the node (volume {vname:?})"),
        ));
        if is_runtime_socket(hpath) {
            out.push(finding(
                &DOCKER_SOCKET_MOUNT,
                pod,
                join(&path, "path"),
                format!("{name} mounts the container runtime socket {hpath:?} (volume {vname:?}): whoever reaches it controls every container of the node"),
            ));
        }
    }
    for (i, s) in array(spec, &["securityContext", "sysctls"])
        .iter()
        .enumerate()
    {
        let sname = str_of(s, &["name"]).unwrap_or("");
        if !SAFE_SYSCTLS.contains(&sname) {
            out.push(finding(
                &UNSAFE_SYSCTLS,
                pod,
                format!("{}.securityContext.sysctls[{i}].name", pod.path),
                format!("{name} sets sysctl {sname:?}, which is not in Kubernetes' safe set: it may affect the whole node and is refused by default by the kubelet"),
            ));
        }
    }
    if int_of(spec, &["terminationGracePeriodSeconds"]) == Some(0) {
        out.push(finding(
            &TERMINATION_GRACE_PERIOD_ZERO,
            pod,
            join(&pod.path, "terminationGracePeriodSeconds"),
            format!("{name} sets terminationGracePeriodSeconds: 0: its containers are killed without a chance to shut down cleanly"),
        ));
    }
    if let Some(sa) = str_of(spec, &["serviceAccount"]).filter(|s| !s.is_empty()) {
        out.push(finding(
            &DEPRECATED_SERVICE_ACCOUNT_FIELD,
            pod,
            join(&pod.path, "serviceAccount"),
            format!("{name} sets the deprecated serviceAccount: {sa:?}; use serviceAccountName"),
        ));
    }
    let sa = service_account(spec);
    if !pod.hook && sa == "default" {
        out.push(finding(
            &DEFAULT_SERVICE_ACCOUNT,
            pod,
            pod.path.clone(),
            format!("{name} runs as the namespace's default service account; give it its own ServiceAccount"),
        ));
    }
    if automounts(release, pod, sa) {
        out.push(finding(
            &AUTOMOUNT_SERVICE_ACCOUNT_TOKEN,
            pod,
            join(&pod.path, "automountServiceAccountToken"),
            format!("{name} mounts the token of service account {sa:?}; set automountServiceAccountToken: false unless it calls the Kubernetes API"),
        ));
    }
    if pod.long_running() && str_of(spec, &["priorityClassName"]).is_none_or(str::is_empty) {
        out.push(finding(
            &PRIORITY_CLASS,
            pod,
            pod.path.clone(),
            format!("{name} sets no priorityClassName: under pressure it is preempted like any other pod"),
        ));
    }
}

/// The service account a pod runs as (`default` when it names none).
pub(super) fn service_account(spec: &Value) -> &str {
    str_of(spec, &["serviceAccountName"])
        .filter(|s| !s.is_empty())
        .or_else(|| str_of(spec, &["serviceAccount"]).filter(|s| !s.is_empty()))
        .unwrap_or("default")
}

/// Whether the pod gets an API token: the pod's own field decides, else its
/// ServiceAccount's when the release creates it.
fn automounts(release: &Release, pod: &Pod, sa: &str) -> bool {
    if let Some(v) = get(pod.spec, &["automountServiceAccountToken"]).and_then(Value::as_bool) {
        return v;
    }
    let from_sa = release
        .of_kind("ServiceAccount")
        .find(|o| o.name() == sa && util::same_namespace(o.namespace(), pod.obj.namespace()))
        .and_then(|o| o.value.get("automountServiceAccountToken"))
        .and_then(Value::as_bool);
    from_sa != Some(false)
}

fn is_runtime_socket(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    [
        "docker.sock",
        "containerd.sock",
        "crio.sock",
        "cri-dockerd.sock",
        "podman.sock",
    ]
    .iter()
    .any(|s| path.ends_with(s))
        || matches!(
            path,
            "/var/run/docker" | "/run/containerd" | "/var/run/containerd" | "/run/crio"
        )
}

/// Sysctls Kubernetes allows without kubelet flags (namespaced and isolated).
const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

fn security(pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let sc = c.value.get("securityContext");
    let sc_path = join(&c.path, "securityContext");
    if sc.is_some_and(|s| is_true(s, &["privileged"])) {
        out.push(finding(
            &PRIVILEGED_CONTAINER,
            pod,
            join(&sc_path, "privileged"),
            format!("{who} runs privileged: it has every capability and the node's devices"),
        ));
    }
    match sc.and_then(|s| s.get("allowPrivilegeEscalation")) {
        Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => out.push(finding(
            &PRIVILEGE_ESCALATION,
            pod,
            join(&sc_path, "allowPrivilegeEscalation"),
            format!("{who} sets allowPrivilegeEscalation: true"),
        )),
        _ => out.push(finding(
            &PRIVILEGE_ESCALATION,
            pod,
            c.path.clone(),
            format!("{who} does not set securityContext.allowPrivilegeEscalation: false"),
        )),
    }
    let user = effective(pod, c, "runAsUser");
    let uid = user.as_ref().and_then(|(v, _)| util::int_of(v, &[]));
    if uid == Some(0) {
        if let Some((_, path)) = &user {
            out.push(finding(
                &RUN_AS_ROOT_USER,
                pod,
                path.clone(),
                format!("{who} runs as root (runAsUser: 0)"),
            ));
        }
    } else if uid.is_none_or(|u| u <= 0) {
        match effective(pod, c, "runAsNonRoot") {
            Some((Value::Bool(true), _)) => {}
            Some((_, path)) => out.push(finding(
                &RUN_AS_NON_ROOT,
                pod,
                path,
                format!("{who} sets runAsNonRoot: false and no non-root runAsUser"),
            )),
            None => out.push(finding(
                &RUN_AS_NON_ROOT,
                pod,
                c.path.clone(),
                format!("{who} may run as root: set runAsNonRoot: true or a non-zero runAsUser"),
            )),
        }
    }
    if !sc.is_some_and(|s| is_true(s, &["readOnlyRootFilesystem"])) {
        let path = match sc.and_then(|s| s.get("readOnlyRootFilesystem")) {
            Some(_) => join(&sc_path, "readOnlyRootFilesystem"),
            None => c.path.clone(),
        };
        out.push(finding(
            &READ_ONLY_ROOT_FILESYSTEM,
            pod,
            path,
            format!("{who} has a writable root filesystem: set readOnlyRootFilesystem: true and mount volumes where it writes"),
        ));
    }
    if sc.and_then(|s| str_of(s, &["procMount"])) == Some("Unmasked") {
        out.push(finding(
            &UNMASKED_PROC_MOUNT,
            pod,
            join(&sc_path, "procMount"),
            format!("{who} sets procMount: Unmasked and sees the node's unmasked /proc"),
        ));
    }
    seccomp(pod, c, &who, out);
    apparmor(pod, c, &who, out);
}

fn seccomp(pod: &Pod, c: &Container, who: &str, out: &mut Vec<Finding>) {
    let annotation = |key: &str| {
        pod.annotations
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
    };
    let profile = effective(pod, c, "seccompProfile");
    let kind = profile
        .as_ref()
        .and_then(|(v, _)| str_of(v, &["type"]))
        .map(str::to_string)
        .or_else(|| {
            annotation(&format!(
                "container.seccomp.security.alpha.kubernetes.io/{}",
                c.name()
            ))
            .or_else(|| annotation("seccomp.security.alpha.kubernetes.io/pod"))
            .map(|a| {
                if a == "unconfined" {
                    "Unconfined"
                } else {
                    "RuntimeDefault"
                }
                .to_string()
            })
        });
    match kind.as_deref() {
        Some("Unconfined") => out.push(finding(
            &SECCOMP_PROFILE,
            pod,
            profile.map(|(_, p)| join(&p, "type")).unwrap_or_else(|| pod.meta_path.clone()),
            format!("{who} runs with seccomp Unconfined: every system call is allowed"),
        )),
        Some(_) => {}
        None => out.push(finding(
            &SECCOMP_PROFILE,
            pod,
            c.path.clone(),
            format!("{who} sets no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container"),
        )),
    }
}

fn apparmor(pod: &Pod, c: &Container, who: &str, out: &mut Vec<Finding>) {
    if let Some((v, path)) = effective(pod, c, "appArmorProfile")
        && str_of(v, &["type"]) == Some("Unconfined")
    {
        out.push(finding(
            &APPARMOR_UNCONFINED,
            pod,
            join(&path, "type"),
            format!("{who} runs with AppArmor profile Unconfined"),
        ));
        return;
    }
    let key = format!(
        "container.apparmor.security.beta.kubernetes.io/{}",
        c.name()
    );
    if pod
        .annotations
        .and_then(|a| a.get(&key))
        .and_then(Value::as_str)
        == Some("unconfined")
    {
        out.push(finding(
            &APPARMOR_UNCONFINED,
            pod,
            format!("{}.annotations", pod.meta_path),
            format!("{who} runs with AppArmor profile unconfined (annotation {key})"),
        ));
    }
}

fn capabilities(release: &Release, pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let caps_path = format!("{}.securityContext.capabilities", c.path);
    let caps = get(c.value, &["securityContext", "capabilities"]);
    for (i, cap) in caps
        .map(|v| array(v, &["add"]))
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let Some(cap) = cap.as_str() else { continue };
        if release.settings.dangerous_capability(cap) {
            out.push(finding(
                &DANGEROUS_CAPABILITIES,
                pod,
                format!("{caps_path}.add[{i}]"),
                format!("{who} adds capability {cap}"),
            ));
        }
    }
    let drops_all = caps
        .map(|v| array(v, &["drop"]))
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .any(|d| d.eq_ignore_ascii_case("ALL"));
    if !drops_all {
        let path = if caps.and_then(|v| v.get("drop")).is_some() {
            format!("{caps_path}.drop")
        } else {
            c.path.clone()
        };
        out.push(finding(
            &DROP_ALL_CAPABILITIES,
            pod,
            path,
            format!("{who} does not drop ALL capabilities: drop them all and add back only what it needs"),
        ));
    }
}

fn resources(pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let has = |kind: &str, res: &str| {
        get(c.value, &["resources", kind, res]).is_some_and(|v| !v.is_null() && v != "")
    };
    // A limit without a request sets the request to the limit.
    if !has("requests", "cpu") && !has("limits", "cpu") {
        out.push(finding(
            &CPU_REQUESTS,
            pod,
            c.path.clone(),
            format!("{who} requests no CPU: the scheduler cannot place it sensibly and it is the first to starve"),
        ));
    }
    if !has("requests", "memory") && !has("limits", "memory") {
        out.push(finding(
            &MEMORY_REQUESTS,
            pod,
            c.path.clone(),
            format!("{who} requests no memory: it is the first to be evicted under pressure"),
        ));
    }
    if !has("limits", "cpu") {
        out.push(finding(
            &CPU_LIMITS,
            pod,
            c.path.clone(),
            format!("{who} has no CPU limit"),
        ));
    }
    if !has("limits", "memory") {
        out.push(finding(
            &MEMORY_LIMITS,
            pod,
            c.path.clone(),
            format!("{who} has no memory limit: a leak can exhaust the node's memory"),
        ));
    }
}

const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];

fn probes(pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let probe = |key: &str| c.value.get(key).filter(|p| p.is_object());
    // A named probe port must be one of the container's ports.
    let names: Vec<&str> = array(c.value, &["ports"])
        .iter()
        .filter_map(|p| str_of(p, &["name"]))
        .collect();
    for key in PROBES {
        let Some(p) = probe(key) else { continue };
        for handler in ["httpGet", "tcpSocket", "grpc"] {
            if let Some(port) = str_of(p, &[handler, "port"])
                && port.parse::<u32>().is_err()
                && !names.contains(&port)
            {
                out.push(finding(
                    &PROBE_PORT,
                    pod,
                    format!("{}.{key}.{handler}.port", c.path),
                    format!(
                        "{key} of {who} uses port {port:?}, which the container does not declare"
                    ),
                ));
            }
        }
    }
    // Probes matter for containers that serve while the workload lives.
    let sidecar = c.init && str_of(c.value, &["restartPolicy"]) == Some("Always");
    if !pod.long_running() || (c.init && !sidecar) {
        return;
    }
    if !c.init {
        if probe("livenessProbe").is_none() {
            out.push(finding(
                &LIVENESS_PROBE,
                pod,
                c.path.clone(),
                format!("{who} has no liveness probe: a hung process is never restarted"),
            ));
        }
        if probe("readinessProbe").is_none() {
            out.push(finding(
                &READINESS_PROBE,
                pod,
                c.path.clone(),
                format!("{who} has no readiness probe: it gets traffic before it is ready"),
            ));
        }
    }
    if let Some(ready) = probe("readinessProbe") {
        for key in ["livenessProbe", "startupProbe"] {
            if probe(key) == Some(ready) {
                out.push(finding(
                    &IDENTICAL_PROBES,
                    pod,
                    join(&c.path, key),
                    format!("{key} of {who} is identical to its readiness probe: a slow moment takes it out of the Service and restarts it at once"),
                ));
            }
        }
    }
}

/// An image reference split into its tag (`None` when untagged) and whether it has a
/// digest.
fn parse_image(image: &str) -> (Option<&str>, bool) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, _)) => (r, true),
        None => (image, false),
    };
    let last = rest.rsplit('/').next().unwrap_or(rest);
    (last.split_once(':').map(|(_, t)| t), digest)
}

fn image(release: &Release, pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let Some(image) = str_of(c.value, &["image"])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    else {
        return;
    };
    let (tag, digest) = parse_image(image);
    let floating = !digest && matches!(tag, None | Some("latest") | Some(""));
    if floating {
        out.push(finding(
            &IMAGE_LATEST_TAG,
            pod,
            join(&c.path, "image"),
            format!("{who} uses image {image:?}, which is not pinned to a version"),
        ));
    }
    if !digest {
        out.push(finding(
            &IMAGE_DIGEST,
            pod,
            join(&c.path, "image"),
            format!("{who} uses image {image:?} without a digest (@sha256:...)"),
        ));
    }
    let policy = str_of(c.value, &["imagePullPolicy"]).filter(|p| !p.is_empty());
    let allowed = &release.settings.allowed_pull_policies;
    if floating {
        // Unset, Kubernetes pulls a floating image every time.
        if let Some(p) = policy.filter(|p| *p != "Always") {
            out.push(finding(
                &IMAGE_PULL_POLICY,
                pod,
                join(&c.path, "imagePullPolicy"),
                format!("{who} pulls the floating image {image:?} with imagePullPolicy: {p}: nodes keep running whatever version they pulled first"),
            ));
        }
    } else if !allowed.is_empty() {
        let p = policy.unwrap_or("IfNotPresent");
        if !allowed.iter().any(|a| a == p) {
            let path = match policy {
                Some(_) => join(&c.path, "imagePullPolicy"),
                None => c.path.clone(),
            };
            out.push(finding(
                &IMAGE_PULL_POLICY,
                pod,
                path,
                format!(
                    "{who} uses imagePullPolicy {p}, not one of {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
}

fn sensitive_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    let hit = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "API_KEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| up.contains(w));
    let reference = [
        "_FILE",
        "_PATH",
        "_DIR",
        "_NAME",
        "_FILENAME",
        "_REF",
        "_ID",
        "_ENABLED",
        "_LENGTH",
        "_TTL",
        "_TIMEOUT",
        "_URL",
        "_KEY_NAME",
        "_SECRET_NAME",
    ]
    .iter()
    .any(|s| up.ends_with(s));
    hit && !reference
}

fn literal_secret(value: &str) -> bool {
    let v = value.trim();
    !(v.is_empty()
        || v.starts_with('/')
        || v.starts_with("$(")
        || v.parse::<f64>().is_ok()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        ))
}

fn env(pod: &Pod, c: &Container, out: &mut Vec<Finding>) {
    let who = describe(pod, c);
    let mut seen: Vec<&str> = Vec::new();
    for (i, e) in array(c.value, &["env"]).iter().enumerate() {
        let path = format!("{}.env[{i}]", c.path);
        let Some(name) = str_of(e, &["name"]) else {
            continue;
        };
        if seen.contains(&name) {
            out.push(finding(
                &DUPLICATE_ENV_VAR,
                pod,
                join(&path, "name"),
                format!("{who} defines environment variable {name} more than once; only the last one counts"),
            ));
        } else {
            seen.push(name);
        }
        if let Some(value) = str_of(e, &["value"])
            && sensitive_name(name)
            && literal_secret(value)
        {
            out.push(finding(
                &SENSITIVE_ENV_VALUE,
                pod,
                join(&path, "value"),
                format!(
                    "{who} sets {name} to a literal value in the manifest; read it from a Secret"
                ),
            ));
        }
        if let Some(secret) = str_of(e, &["valueFrom", "secretKeyRef", "name"]) {
            out.push(finding(
                &SECRET_IN_ENV,
                pod,
                join(&path, "valueFrom.secretKeyRef"),
                format!("{who} reads Secret {secret:?} into environment variable {name}; prefer mounting it as a file"),
            ));
        }
    }
    for (i, e) in array(c.value, &["envFrom"]).iter().enumerate() {
        if let Some(secret) = str_of(e, &["secretRef", "name"]) {
            out.push(finding(
                &SECRET_IN_ENV,
                pod,
                format!("{}.envFrom[{i}].secretRef", c.path),
                format!("{who} loads every key of Secret {secret:?} into its environment; prefer mounting it as a file"),
            ));
        }
    }
}

fn ports(pod: &Pod, out: &mut Vec<Finding>) {
    let name = pod.name();
    let mut numbers: Vec<(i64, &str)> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for c in &pod.containers {
        // Plain init containers run before the others: their ports do not clash.
        let sidecar = c.init && str_of(c.value, &["restartPolicy"]) == Some("Always");
        if c.init && !sidecar {
            continue;
        }
        for (i, p) in array(c.value, &["ports"]).iter().enumerate() {
            let path = format!("{}.ports[{i}]", c.path);
            let proto = str_of(p, &["protocol"]).unwrap_or("TCP");
            if let Some(n) = int_of(p, &["containerPort"]) {
                if numbers.contains(&(n, proto)) {
                    out.push(finding(
                        &DUPLICATE_CONTAINER_PORT,
                        pod,
                        join(&path, "containerPort"),
                        format!(
                            "{name} declares port {n}/{proto} twice (again in container {:?})",
                            c.name()
                        ),
                    ));
                } else {
                    numbers.push((n, proto));
                }
            }
            if let Some(pname) = str_of(p, &["name"]) {
                if names.contains(&pname) {
                    out.push(finding(
                        &DUPLICATE_CONTAINER_PORT,
                        pod,
                        join(&path, "name"),
                        format!(
                            "{name} declares port name {pname:?} twice (again in container {:?})",
                            c.name()
                        ),
                    ));
                } else {
                    names.push(pname);
                }
            }
            if let Some(h) = int_of(p, &["hostPort"]).filter(|h| *h > 0) {
                out.push(finding(
                    &HOST_PORT,
                    pod,
                    join(&path, "hostPort"),
                    format!(
                        "container {:?} of {name} binds port {h} of the node",
                        c.name()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_image_references() {
        assert_eq!(parse_image("nginx"), (None, false));
        assert_eq!(parse_image("nginx:1.27"), (Some("1.27"), false));
        assert_eq!(parse_image("localhost:5000/nginx"), (None, false));
        assert_eq!(
            parse_image("r.io:5000/a/b:v1@sha256:ab"),
            (Some("v1"), true)
        );
        assert_eq!(parse_image("nginx@sha256:ab"), (None, true));
    }

    #[test]
    fn tells_secret_names_from_references() {
        assert!(sensitive_name("DB_PASSWORD"));
        assert!(sensitive_name("github_token"));
        assert!(!sensitive_name("DB_PASSWORD_FILE"));
        assert!(!sensitive_name("TOKEN_TTL"));
        assert!(!sensitive_name("LOG_LEVEL"));
        assert!(literal_secret("hunter2"));
        assert!(!literal_secret("/run/secrets/db"));
        assert!(!literal_secret("true"));
    }
}
