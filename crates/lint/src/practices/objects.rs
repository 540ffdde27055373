//! Rules about one object at a time: namespaces and labels, RBAC, Jobs and CronJobs,
//! update strategies.

use serde_json::Value;

use super::util::{Release, array, get, is_hook, str_of};
use super::*;

pub(super) fn check(release: &Release, out: &mut Vec<Finding>) {
    let required = release.settings.required_labels();
    for obj in release.objects {
        if obj.value.is_null() || obj.kind().is_empty() {
            continue;
        }
        if obj.namespace() == "default" {
            out.push(Finding::object(
                &DEFAULT_NAMESPACE,
                obj.index,
                "metadata.namespace",
                format!("{} {} is placed in the default namespace; install releases into a namespace of their own", obj.kind(), obj.name()),
            ));
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|l| obj.label(l).is_none_or(str::is_empty))
            .collect();
        if !missing.is_empty() {
            let path = if get(obj.value, &["metadata", "labels"]).is_some() {
                "metadata.labels"
            } else {
                "metadata"
            };
            out.push(Finding::object(
                &RECOMMENDED_LABELS,
                obj.index,
                path,
                format!(
                    "{} {} lacks label(s) {}",
                    obj.kind(),
                    obj.name(),
                    missing.join(", ")
                ),
            ));
        }
        match obj.kind() {
            "Role" | "ClusterRole" => rbac_rules(obj, out),
            "RoleBinding" | "ClusterRoleBinding" => binding(obj, out),
            "CronJob" => cronjob(obj, out),
            "Job" => job(obj, out),
            "Deployment" | "DaemonSet" | "StatefulSet" => strategy(obj, out),
            _ => {}
        }
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    array(v, &[key])
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn rbac_rules(obj: &Object, out: &mut Vec<Finding>) {
    // An aggregated ClusterRole's rules are filled in by the controller.
    if obj.value.get("aggregationRule").is_some() {
        return;
    }
    let who = format!("{} {}", obj.kind(), obj.name());
    for (i, rule) in array(obj.value, &["rules"]).iter().enumerate() {
        let path = format!("rules[{i}]");
        let verbs = strings(rule, "verbs");
        let resources = strings(rule, "resources");
        let groups = strings(rule, "apiGroups");
        let any_verb = verbs.iter().any(|v| v == "*");
        if any_verb || resources.iter().any(|r| r == "*") {
            let field = if any_verb { "verbs" } else { "resources" };
            out.push(Finding::object(
                &RBAC_WILDCARD,
                obj.index,
                format!("{path}.{field}"),
                format!(
                    "{who} grants {} in rule {i}; list the verbs and resources it needs",
                    if any_verb {
                        "every verb (*)"
                    } else {
                        "every resource (*)"
                    }
                ),
            ));
        }
        let core = groups.iter().any(|g| g.is_empty() || g == "*");
        let reads = verbs
            .iter()
            .any(|v| matches!(v.as_str(), "get" | "list" | "watch" | "*"));
        if core && reads && resources.iter().any(|r| r == "secrets") {
            out.push(Finding::object(
                &RBAC_SECRETS_ACCESS,
                obj.index,
                format!("{path}.resources"),
                format!(
                    "{who} can {} Secrets{}",
                    verbs.join("/"),
                    if obj.kind() == "ClusterRole" {
                        " in every namespace it is bound to"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let exec = resources
            .iter()
            .find(|r| matches!(r.as_str(), "pods/exec" | "pods/attach"));
        let opens = verbs
            .iter()
            .any(|v| matches!(v.as_str(), "create" | "get" | "*"));
        if let Some(sub) = exec
            && core
            && opens
        {
            out.push(Finding::object(
                &RBAC_POD_EXEC,
                obj.index,
                format!("{path}.resources"),
                format!("{who} grants {sub}: it can run commands inside pods and read everything they can"),
            ));
        }
    }
}

fn binding(obj: &Object, out: &mut Vec<Finding>) {
    if str_of(obj.value, &["roleRef", "kind"]) == Some("ClusterRole")
        && str_of(obj.value, &["roleRef", "name"]) == Some("cluster-admin")
    {
        out.push(Finding::object(
            &CLUSTER_ADMIN_BINDING,
            obj.index,
            "roleRef.name",
            format!(
                "{} {} grants cluster-admin: full control of {}",
                obj.kind(),
                obj.name(),
                if obj.kind() == "ClusterRoleBinding" {
                    "the whole cluster"
                } else {
                    "its namespace"
                }
            ),
        ));
    }
}

fn cronjob(obj: &Object, out: &mut Vec<Finding>) {
    let spec = obj.value.get("spec");
    let has = |key: &str| spec.and_then(|s| s.get(key)).is_some_and(|v| !v.is_null());
    if !has("concurrencyPolicy") {
        out.push(Finding::object(
            &CRONJOB_CONCURRENCY_POLICY,
            obj.index,
            "spec",
            format!("CronJob {} sets no concurrencyPolicy: a slow run overlaps the next one (Allow); choose Forbid or Replace, or say Allow", obj.name()),
        ));
    }
    if !has("startingDeadlineSeconds") {
        out.push(Finding::object(
            &CRONJOB_STARTING_DEADLINE,
            obj.index,
            "spec",
            format!("CronJob {} sets no startingDeadlineSeconds: after a long controller outage it stops being scheduled (more than 100 missed runs)", obj.name()),
        ));
    }
}

fn job(obj: &Object, out: &mut Vec<Finding>) {
    // Hooks with a delete policy are removed by Helm.
    if is_hook(obj) && obj.annotation("helm.sh/hook-delete-policy").is_some() {
        return;
    }
    if get(obj.value, &["spec", "ttlSecondsAfterFinished"]).is_none_or(Value::is_null) {
        out.push(Finding::object(
            &JOB_TTL_AFTER_FINISHED,
            obj.index,
            "spec",
            format!(
                "Job {} sets no ttlSecondsAfterFinished: it and its pods stay after it finishes",
                obj.name()
            ),
        ));
    }
}

fn strategy(obj: &Object, out: &mut Vec<Finding>) {
    let (key, bad) = match obj.kind() {
        "Deployment" => ("strategy", "Recreate"),
        _ => ("updateStrategy", "OnDelete"),
    };
    if str_of(obj.value, &["spec", key, "type"]) == Some(bad) {
        let how = if bad == "Recreate" {
            "stops every pod before starting new ones"
        } else {
            "only replaces pods when someone deletes them"
        };
        out.push(Finding::object(
            &ROLLING_UPDATE_STRATEGY,
            obj.index,
            format!("spec.{key}.type"),
            format!(
                "{} {} uses {key} {bad}: an update {how}",
                obj.kind(),
                obj.name()
            ),
        ));
    }
}
