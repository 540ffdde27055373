//! Deprecated and removed API versions.
//!
//! Two independent checks:
//!
//! - [`helm_warning`]: the deprecation warning `helm lint` (Helm v4.1.4) prints for a rendered
//!   manifest, reproduced exactly. Helm only knows the types registered in client-go's
//!   `kubernetes/scheme` (v0.35.1) and the release numbers those types report about themselves;
//!   anything else (CRDs, `apiextensions.k8s.io`, custom resources, types k8s.io/api no longer
//!   has) gets no warning. The data is in [`helm_lifecycles`].
//! - [`check`]: rules `kube/deprecated-api` and `kube/removed-api`, which look the object's
//!   apiVersion and kind up in a table of every Kubernetes API version deprecated or no longer
//!   served from v1.16 through v1.35 ([`api_entries`]), and say what to use instead.

mod helm_data;
mod kube_data;

use serde_json::Value;

use crate::{Finding, KubeVersion, Object, Rule, Severity};

/// Helm's own deprecation warning (`helm lint`), reported against the template file.
pub const HELM_DEPRECATED: Rule = Rule {
    id: "helm/deprecated-api",
    severity: Severity::Warning,
    description: "the object's apiVersion and kind are deprecated at the target Kubernetes version (Helm's check)",
};

/// The apiVersion is deprecated at the target version but still served.
pub const DEPRECATED: Rule = Rule {
    id: "kube/deprecated-api",
    severity: Severity::Warning,
    description: "the object's apiVersion is deprecated at the target Kubernetes version",
};

/// The apiVersion is no longer served at the target version.
pub const REMOVED: Rule = Rule {
    id: "kube/removed-api",
    severity: Severity::Error,
    description: "the object's apiVersion is no longer served at the target Kubernetes version",
};

static RULES: [Rule; 2] = [DEPRECATED, REMOVED];

/// The rules [`check`] reports. [`HELM_DEPRECATED`] is not among them: it belongs with Helm's
/// own lint rules, whose caller reports [`helm_warning`]'s message against the template.
pub fn rules() -> &'static [Rule] {
    &RULES
}

/// The Kubernetes version `helm lint` assumes when none is given: Helm v4.1.4 derives its
/// default capabilities from the client-go it is built with (v0.35.1: major `0 + 1`, same
/// minor), so `v1.35.0`.
pub const HELM_DEFAULT_KUBE_VERSION: KubeVersion = KubeVersion {
    major: 1,
    minor: 35,
};

const fn v(major: u32, minor: u32) -> KubeVersion {
    KubeVersion { major, minor }
}

/// What a type registered in Helm's scheme says about its own life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelmLifecycle {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The release it is deprecated in (never `0.0`: types without one are not listed).
    pub deprecated: KubeVersion,
    /// The release it is no longer served in, when the type says.
    pub removed: Option<KubeVersion>,
    /// The (apiVersion, kind) to use instead, when the type says.
    pub replacement: Option<(&'static str, &'static str)>,
}

/// Every (apiVersion, kind) Helm v4.1.4 can warn about, sorted by apiVersion then kind.
pub fn helm_lifecycles() -> &'static [HelmLifecycle] {
    helm_data::TABLE
}

/// The life cycle Helm knows for `api_version` and `kind`, exactly as written.
pub fn helm_lifecycle(api_version: &str, kind: &str) -> Option<&'static HelmLifecycle> {
    let table = helm_data::TABLE;
    table
        .binary_search_by(|e| (e.api_version, e.kind).cmp(&(api_version, kind)))
        .ok()
        .and_then(|i| table.get(i))
}

/// Helm's group/version parsing: no `/` is the core group, one `/` splits group and version
/// (an empty group is the core group again: `/v1` is `v1`), more is not a group/version.
/// Returns the canonical form Helm prints.
fn helm_group_version(api_version: &str) -> Option<String> {
    match api_version.matches('/').count() {
        0 => Some(api_version.to_string()),
        1 => match api_version.split_once('/') {
            Some(("", version)) => Some(version.to_string()),
            _ => Some(api_version.to_string()),
        },
        _ => None,
    }
}

/// Whether Helm counts a type deprecated in `deprecated` as deprecated at `target`: always when
/// the target is `0.0` (no version information), otherwise from the deprecation release on.
fn helm_is_deprecated(deprecated: KubeVersion, target: KubeVersion) -> bool {
    if deprecated == v(0, 0) {
        return false;
    }
    target == v(0, 0) || deprecated <= target
}

/// The warning Helm v4.1.4's `helm lint` gives for an object of `api_version` and `kind` at
/// `target` (pass [`HELM_DEFAULT_KUBE_VERSION`] when the user gave none), byte for byte, e.g.
/// `batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob`.
/// `None` when Helm says nothing: the type is not in its scheme, reports no deprecation, or is
/// not deprecated yet at `target`. Helm keeps warning after the removal release.
pub fn helm_warning(api_version: &str, kind: &str, target: KubeVersion) -> Option<String> {
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let group_version = helm_group_version(api_version)?;
    let entry = helm_lifecycle(&group_version, kind)?;
    if !helm_is_deprecated(entry.deprecated, target) {
        return None;
    }
    let mut message = format!(
        "{group_version} {kind} is deprecated in {}+",
        entry.deprecated
    );
    if let Some(removed) = entry.removed.filter(|r| *r != v(0, 0)) {
        message.push_str(&format!(", unavailable in {removed}+"));
    }
    if let Some((api_version, kind)) = entry.replacement {
        message.push_str(&format!("; use {api_version} {kind}"));
    }
    Some(message)
}

/// What to use instead of a deprecated or removed API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// Another API version (and kind).
    Api {
        api_version: &'static str,
        kind: &'static str,
    },
    /// Something that is not an API of the same kind (`Pod Security Admission`).
    Other(&'static str),
    /// Nothing replaces it.
    None,
}

/// One deprecated or removed (apiVersion, kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiEntry {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The release it is deprecated in; `None` for an alpha version dropped without one.
    pub deprecated: Option<KubeVersion>,
    /// The first release that no longer serves it; `None` when no removal is scheduled.
    pub removed: Option<KubeVersion>,
    pub replacement: Replacement,
}

/// Where an API version stands at a target release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Served,
    Deprecated,
    Removed,
}

impl ApiEntry {
    /// Its status at `target`.
    pub fn status(&self, target: KubeVersion) -> Status {
        if self.removed.is_some_and(|r| r <= target) {
            Status::Removed
        } else if self.deprecated.is_some_and(|d| d <= target) {
            Status::Deprecated
        } else {
            Status::Served
        }
    }

    /// The message for an object of this entry at `status` (`None` when served). `list` says
    /// the object is a typed list of this kind (`DeploymentList`), named as such.
    fn message(&self, status: Status, list: bool) -> Option<String> {
        let suffix = if list { "List" } else { "" };
        let subject = format!("{} {}{suffix}", self.api_version, self.kind);
        let mut message = match (status, self.deprecated, self.removed) {
            (Status::Removed, deprecated, Some(removed)) => {
                let mut m = format!("{subject} was removed in {removed}");
                if let Some(deprecated) = deprecated {
                    m.push_str(&format!(" (deprecated in {deprecated})"));
                }
                m
            }
            (Status::Deprecated, Some(deprecated), removed) => {
                let mut m = format!("{subject} is deprecated since {deprecated}");
                if let Some(removed) = removed {
                    m.push_str(&format!(" and will be removed in {removed}"));
                }
                m
            }
            _ => return None,
        };
        match self.replacement {
            Replacement::Api { api_version, kind } => {
                message.push_str(&format!("; use {api_version} {kind}{suffix}"));
            }
            Replacement::Other(what) => message.push_str(&format!("; use {what}")),
            Replacement::None => message.push_str("; nothing replaces it"),
        }
        Some(message)
    }
}

/// Every deprecated or removed (apiVersion, kind) [`check`] knows.
pub fn api_entries() -> &'static [ApiEntry] {
    kube_data::TABLE
}

/// The entry for `api_version` and `kind`, exactly as written.
pub fn api_entry(api_version: &str, kind: &str) -> Option<&'static ApiEntry> {
    kube_data::TABLE
        .iter()
        .find(|e| e.api_version == api_version && e.kind == kind)
}

/// How deep `List` objects are followed into their items.
const MAX_LIST_DEPTH: usize = 8;

/// Rules `kube/deprecated-api` and `kube/removed-api` on every object at `target`. The path is
/// `apiVersion`; the items of a list (`kind: List` or a typed `...List`) are checked too, at
/// `items[3].apiVersion`.
pub fn check(objects: &[Object], target: KubeVersion) -> Vec<Finding> {
    let mut findings = Vec::new();
    for object in objects {
        check_value(object.index, object.value, "", target, 0, &mut findings);
    }
    findings
}

fn check_value(
    index: usize,
    value: &Value,
    prefix: &str,
    target: KubeVersion,
    depth: usize,
    findings: &mut Vec<Finding>,
) {
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("");
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    if api_version.is_empty() || kind.is_empty() {
        return;
    }
    let found = match api_entry(api_version, kind) {
        Some(entry) => Some((entry, false)),
        None => kind
            .strip_suffix("List")
            .filter(|base| !base.is_empty())
            .and_then(|base| api_entry(api_version, base))
            .map(|entry| (entry, true)),
    };
    if let Some((entry, list)) = found {
        let status = entry.status(target);
        let rule = match status {
            Status::Removed => Some(&REMOVED),
            Status::Deprecated => Some(&DEPRECATED),
            Status::Served => None,
        };
        if let (Some(rule), Some(message)) = (rule, entry.message(status, list)) {
            findings.push(Finding::object(
                rule,
                index,
                format!("{prefix}apiVersion"),
                message,
            ));
        }
    }
    if !kind.ends_with("List") || depth >= MAX_LIST_DEPTH {
        return;
    }
    if let Some(items) = value.get("items").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("{prefix}items[{i}].");
            check_value(index, item, &prefix, target, depth + 1, findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_table_is_sorted_and_unique() {
        let table = helm_lifecycles();
        assert_eq!(table.len(), 159);
        for pair in table.windows(2) {
            if let [a, b] = pair {
                assert!(
                    (a.api_version, a.kind) < (b.api_version, b.kind),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn kube_table_is_unique_and_consistent() {
        let table = api_entries();
        for (i, a) in table.iter().enumerate() {
            assert!(a.deprecated.is_some() || a.removed.is_some(), "{a:?}");
            if let (Some(d), Some(r)) = (a.deprecated, a.removed) {
                assert!(d < r, "{a:?}");
            }
            assert!(!a.kind.ends_with("List"), "{a:?}");
            for b in &table[i + 1..] {
                assert!((a.api_version, a.kind) != (b.api_version, b.kind), "{a:?}");
            }
        }
    }

    #[test]
    fn helm_group_version_parsing() {
        assert_eq!(helm_group_version("v1").as_deref(), Some("v1"));
        assert_eq!(helm_group_version("/v1").as_deref(), Some("v1"));
        assert_eq!(helm_group_version("apps/v1").as_deref(), Some("apps/v1"));
        assert_eq!(helm_group_version("a/b/c"), None);
    }

    #[test]
    fn helm_deprecation_boundaries() {
        assert!(!helm_is_deprecated(v(1, 21), v(1, 20)));
        assert!(helm_is_deprecated(v(1, 21), v(1, 21)));
        assert!(helm_is_deprecated(v(1, 21), v(1, 40)));
        assert!(helm_is_deprecated(v(1, 21), v(2, 0)));
        assert!(!helm_is_deprecated(v(1, 21), v(0, 99)));
        assert!(helm_is_deprecated(v(1, 21), v(0, 0)));
        assert!(!helm_is_deprecated(v(0, 0), v(1, 35)));
    }
}
