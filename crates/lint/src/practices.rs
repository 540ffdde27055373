//! Best-practice rules (`bp/...`) over a release's rendered objects: pod and container
//! security, resources and probes, images, references between the objects of the release,
//! availability (replicas, disruption budgets, spreading), RBAC and a few conventions.
//!
//! [`rules`] lists every rule; [`check`] runs them all. Rules that look across objects (a
//! Service's selector, a volume naming a Secret, a PodDisruptionBudget for a workload) only
//! see the rendered objects, so an object that lives outside the release is named in
//! [`Settings::external_objects`]. Suppressing a rule for one object is the host's job
//! (annotation `rudder.dev/ignore`).

mod cross;
mod objects;
mod pods;
mod util;

use crate::model::{Finding, Object, Rule, Severity};

/// Parameters of the rules that take any. Every field has a default; an unknown key is an
/// error.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Settings {
    /// `bp/pdb-missing`, `bp/pod-anti-affinity`: the replica count from which a workload is
    /// expected to have a PodDisruptionBudget and to spread its pods (default 2).
    pub pdb_min_replicas: Option<u64>,
    /// `bp/minimum-replicas`: the fewest replicas a Deployment should run (default 2).
    pub min_replicas: Option<u64>,
    /// `bp/recommended-labels`: the labels every object should carry (default
    /// `app.kubernetes.io/name` and `app.kubernetes.io/instance`).
    pub required_labels: Option<Vec<String>>,
    /// `bp/image-pull-policy`: when not empty, the pull policies allowed for images pinned to
    /// a tag or digest (an image tagged `latest` or untagged must always use `Always`).
    pub allowed_pull_policies: Vec<String>,
    /// `bp/dangerous-capabilities`: the capabilities a container must not add (default
    /// `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `NET_RAW`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`,
    /// `DAC_READ_SEARCH`, `BPF`). Names are compared without a `CAP_` prefix, ignoring case.
    pub dangerous_capabilities: Option<Vec<String>>,
    /// The `dangling-*`, `hpa-target-missing` and `ingress-backend-missing` rules: objects
    /// known to exist outside the release, as `Kind/name` (`Secret/registry-creds`,
    /// `ServiceAccount/ci`); `Kind/*` accepts every name of a kind.
    pub external_objects: Vec<String>,
}

impl Settings {
    fn pdb_min_replicas(&self) -> u64 {
        self.pdb_min_replicas.unwrap_or(2)
    }

    fn min_replicas(&self) -> u64 {
        self.min_replicas.unwrap_or(2)
    }

    fn required_labels(&self) -> Vec<&str> {
        match &self.required_labels {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => vec!["app.kubernetes.io/name", "app.kubernetes.io/instance"],
        }
    }

    fn dangerous_capability(&self, cap: &str) -> bool {
        let norm = |c: &str| {
            let c = c.trim().to_ascii_uppercase();
            c.strip_prefix("CAP_").map(str::to_string).unwrap_or(c)
        };
        let cap = norm(cap);
        match &self.dangerous_capabilities {
            Some(list) => list.iter().any(|c| norm(c) == cap),
            None => DEFAULT_DANGEROUS_CAPABILITIES.contains(&cap.as_str()),
        }
    }

    fn is_external(&self, kind: &str, name: &str) -> bool {
        self.external_objects
            .iter()
            .any(|e| match e.split_once('/') {
                Some((k, n)) => k == kind && (n == "*" || n == name),
                None => false,
            })
    }
}

const DEFAULT_DANGEROUS_CAPABILITIES: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "NET_RAW",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "BPF",
];

macro_rules! rules {
    ($($konst:ident = $id:literal, $sev:ident, $desc:literal;)*) => {
        $(const $konst: Rule = Rule { id: $id, severity: Severity::$sev, description: $desc };)*
        static RULES: &[Rule] = &[$($konst),*];
    };
}

rules! {
    // Pod and container security.
    PRIVILEGED_CONTAINER = "bp/privileged-container", Error,
        "A container runs privileged, with every capability and the host's devices";
    PRIVILEGE_ESCALATION = "bp/privilege-escalation", Warning,
        "A container does not set allowPrivilegeEscalation: false";
    RUN_AS_NON_ROOT = "bp/run-as-non-root", Warning,
        "A container is not required to run as a non-root user";
    RUN_AS_ROOT_USER = "bp/run-as-root-user", Error,
        "A container or pod sets runAsUser: 0 (root)";
    READ_ONLY_ROOT_FILESYSTEM = "bp/read-only-root-filesystem", Warning,
        "A container's root filesystem is writable";
    DANGEROUS_CAPABILITIES = "bp/dangerous-capabilities", Error,
        "A container adds a dangerous Linux capability (SYS_ADMIN, NET_RAW, ALL, ...)";
    DROP_ALL_CAPABILITIES = "bp/drop-all-capabilities", Warning,
        "A container does not drop ALL capabilities";
    HOST_NETWORK = "bp/host-network", Warning,
        "A pod shares the node's network namespace (hostNetwork)";
    HOST_PID = "bp/host-pid", Warning,
        "A pod shares the node's process namespace (hostPID)";
    HOST_IPC = "bp/host-ipc", Warning,
        "A pod shares the node's IPC namespace (hostIPC)";
    HOST_PATH_VOLUME = "bp/host-path-volume", Warning,
        "A pod mounts a directory or file of the node (hostPath volume)";
    HOST_PORT = "bp/host-port", Warning,
        "A container binds a port of the node (hostPort)";
    DOCKER_SOCKET_MOUNT = "bp/docker-socket-mount", Error,
        "A pod mounts the container runtime's socket from the node";
    SECCOMP_PROFILE = "bp/seccomp-profile", Warning,
        "A container runs without a seccomp profile, or Unconfined";
    APPARMOR_UNCONFINED = "bp/apparmor-unconfined", Warning,
        "A container's AppArmor profile is Unconfined";
    AUTOMOUNT_SERVICE_ACCOUNT_TOKEN = "bp/automount-service-account-token", Info,
        "A pod mounts its service account token without opting out (automountServiceAccountToken)";
    UNMASKED_PROC_MOUNT = "bp/unmasked-proc-mount", Error,
        "A container sets procMount: Unmasked";
    UNSAFE_SYSCTLS = "bp/unsafe-sysctls", Warning,
        "A pod sets a sysctl outside Kubernetes' safe set";
    SHARE_PROCESS_NAMESPACE = "bp/share-process-namespace", Info,
        "A pod's containers share one process namespace";
    DEFAULT_SERVICE_ACCOUNT = "bp/default-service-account", Info,
        "A pod runs as its namespace's default service account";
    // Resources and probes.
    CPU_REQUESTS = "bp/cpu-requests", Warning,
        "A container does not request CPU";
    CPU_LIMITS = "bp/cpu-limits", Info,
        "A container has no CPU limit";
    MEMORY_REQUESTS = "bp/memory-requests", Warning,
        "A container does not request memory";
    MEMORY_LIMITS = "bp/memory-limits", Warning,
        "A container has no memory limit";
    LIVENESS_PROBE = "bp/liveness-probe", Warning,
        "A long-running container has no liveness probe";
    READINESS_PROBE = "bp/readiness-probe", Warning,
        "A long-running container has no readiness probe";
    IDENTICAL_PROBES = "bp/identical-probes", Warning,
        "A container's liveness or startup probe is identical to its readiness probe";
    PROBE_PORT = "bp/probe-port", Warning,
        "A probe names a port the container does not declare";
    // Images.
    IMAGE_LATEST_TAG = "bp/image-latest-tag", Warning,
        "A container image is tagged latest or not tagged";
    IMAGE_PULL_POLICY = "bp/image-pull-policy", Warning,
        "A floating image (latest or untagged) is not pulled with imagePullPolicy: Always";
    IMAGE_DIGEST = "bp/image-digest", Info,
        "A container image is not pinned by digest";
    // Environment and ports.
    DUPLICATE_ENV_VAR = "bp/duplicate-env-var", Warning,
        "A container defines the same environment variable twice";
    SENSITIVE_ENV_VALUE = "bp/sensitive-env-value", Warning,
        "An environment variable named like a secret holds a literal value";
    SECRET_IN_ENV = "bp/secret-in-env", Info,
        "A Secret is exposed through environment variables rather than a volume";
    DUPLICATE_CONTAINER_PORT = "bp/duplicate-container-port", Warning,
        "A pod declares the same container port number or port name twice";
    // References between the objects of the release.
    SERVICE_SELECTOR_NO_MATCH = "bp/service-selector-no-match", Warning,
        "A Service's selector matches no pod template of the release";
    SERVICE_NODE_PORT = "bp/service-node-port", Warning,
        "A Service is of type NodePort";
    DANGLING_CONFIGMAP = "bp/dangling-configmap", Warning,
        "A pod references a ConfigMap that the release does not create";
    DANGLING_SECRET = "bp/dangling-secret", Warning,
        "A pod references a Secret that the release does not create";
    DANGLING_SERVICE_ACCOUNT = "bp/dangling-service-account", Warning,
        "A pod runs as a ServiceAccount that the release does not create";
    DANGLING_PVC = "bp/dangling-pvc", Warning,
        "A pod mounts a PersistentVolumeClaim that the release does not create";
    PDB_MISSING = "bp/pdb-missing", Warning,
        "A workload with several replicas has no PodDisruptionBudget";
    PDB_BLOCKS_EVICTION = "bp/pdb-blocks-eviction", Warning,
        "A PodDisruptionBudget allows no voluntary disruption at all";
    HPA_TARGET_MISSING = "bp/hpa-target-missing", Warning,
        "A HorizontalPodAutoscaler scales a workload that the release does not create";
    HPA_FIXED_REPLICAS = "bp/hpa-fixed-replicas", Warning,
        "A workload scaled by a HorizontalPodAutoscaler also sets spec.replicas";
    INGRESS_BACKEND_MISSING = "bp/ingress-backend-missing", Warning,
        "An Ingress routes to a Service or port that the release does not create";
    NETWORK_POLICY_MISSING = "bp/network-policy-missing", Info,
        "No NetworkPolicy of the release selects a workload's pods";
    // Availability and workload settings.
    MINIMUM_REPLICAS = "bp/minimum-replicas", Info,
        "A Deployment runs fewer replicas than the minimum";
    POD_ANTI_AFFINITY = "bp/pod-anti-affinity", Warning,
        "A workload with several replicas does not spread its pods";
    ROLLING_UPDATE_STRATEGY = "bp/rolling-update-strategy", Info,
        "A workload is updated by recreating or by hand, not by a rolling update";
    CRONJOB_CONCURRENCY_POLICY = "bp/cronjob-concurrency-policy", Info,
        "A CronJob does not set concurrencyPolicy, so runs may overlap";
    CRONJOB_STARTING_DEADLINE = "bp/cronjob-starting-deadline", Warning,
        "A CronJob does not set startingDeadlineSeconds";
    JOB_TTL_AFTER_FINISHED = "bp/job-ttl-after-finished", Info,
        "A Job is never cleaned up after it finishes (ttlSecondsAfterFinished)";
    DEPRECATED_SERVICE_ACCOUNT_FIELD = "bp/deprecated-service-account-field", Warning,
        "A pod uses the deprecated serviceAccount field instead of serviceAccountName";
    TERMINATION_GRACE_PERIOD_ZERO = "bp/termination-grace-period-zero", Warning,
        "A pod sets terminationGracePeriodSeconds: 0";
    PRIORITY_CLASS = "bp/priority-class", Info,
        "A long-running pod sets no priorityClassName";
    // Conventions.
    DEFAULT_NAMESPACE = "bp/default-namespace", Warning,
        "An object is placed in the default namespace";
    RECOMMENDED_LABELS = "bp/recommended-labels", Info,
        "An object lacks the recommended app.kubernetes.io labels";
    INGRESS_TLS = "bp/ingress-tls", Warning,
        "An Ingress serves no host over TLS";
    // RBAC.
    RBAC_WILDCARD = "bp/rbac-wildcard", Warning,
        "A Role or ClusterRole grants every verb or every resource (*)";
    RBAC_SECRETS_ACCESS = "bp/rbac-secrets-access", Warning,
        "A Role or ClusterRole can read Secrets";
    RBAC_POD_EXEC = "bp/rbac-pod-exec", Warning,
        "A Role or ClusterRole can exec or attach into pods";
    CLUSTER_ADMIN_BINDING = "bp/cluster-admin-binding", Error,
        "A binding grants the cluster-admin ClusterRole";
}

/// Every best-practice rule, in a stable order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// Runs every rule over a release's rendered objects.
pub fn check(objects: &[Object], settings: &Settings) -> Vec<Finding> {
    let release = util::Release::new(objects, settings);
    let mut out = Vec::new();
    pods::check(&release, &mut out);
    cross::check(&release, &mut out);
    objects::check(&release, &mut out);
    out.sort_by_key(|f| f.object);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in rules() {
            let name = rule.id.strip_prefix("bp/").unwrap();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert!(seen.insert(rule.id), "{} twice", rule.id);
        }
        assert!(rules().len() >= 45);
    }

    #[test]
    fn settings_reject_unknown_keys() {
        let ok: Settings = serde_json::from_value(serde_json::json!({
            "pdbMinReplicas": 3, "externalObjects": ["Secret/x"]
        }))
        .unwrap();
        assert_eq!(ok.pdb_min_replicas(), 3);
        assert!(ok.is_external("Secret", "x"));
        assert!(serde_json::from_value::<Settings>(serde_json::json!({"nope": 1})).is_err());
        assert!(Settings::default().dangerous_capability("cap_sys_admin"));
        assert!(!Settings::default().dangerous_capability("NET_BIND_SERVICE"));
    }
}
