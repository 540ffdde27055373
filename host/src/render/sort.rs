//! Sorting rendered documents into manifests and hooks, in Helm's install order
//! (`SortManifests`, `kind_sorter.go`).
//!
//! Files are visited in bytewise name order; partials (`_*`) and whitespace-only files are
//! skipped; each file is split into documents, and every document is parsed (an invalid
//! one fails the whole render). A document with a `helm.sh/hook` annotation is a hook,
//! unless one of its events is unknown: then it is dropped with an INFO log line. Manifests
//! and hooks are then each stably sorted by kind (weights do not order the output).

use rayon::prelude::*;

use super::head::{self, SimpleHead};
use super::split::split_manifests;
use super::yaml;

/// Install order by kind; unknown kinds come after, alphabetically.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// One rendered document of a release, parsed: what every command after rendering works on
/// (printing, lint, policy, apply, diff).
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The template it came from, e.g. `web/templates/svc.yaml`.
    pub template: String,
    /// Its position among the non-empty documents of that template's output, from 0.
    pub index: usize,
    /// `apiVersion`, `kind` and `metadata.name` as Helm reads them (`SimpleHead`): empty
    /// when absent or null.
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace` when it is a string.
    pub namespace: Option<String>,
    /// `Some` for a hook (`helm.sh/hook`).
    pub hook: Option<HookSpec>,
    /// The document parsed as go-yaml reads it (integers stay integers, `5.0` stays a float).
    pub object: serde_json::Value,
    /// The document's text, trimmed, as printed and recorded.
    pub text: String,
}

impl Manifest {
    /// Whether this is a hook run by `helm test`.
    pub fn is_test(&self) -> bool {
        self.hook
            .as_ref()
            .is_some_and(|h| h.events.contains(&HookEvent::Test))
    }
}

/// A hook event (`helm.sh/hook`); `test-success` is read as `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pre-install" => Self::PreInstall,
            "post-install" => Self::PostInstall,
            "pre-delete" => Self::PreDelete,
            "post-delete" => Self::PostDelete,
            "pre-upgrade" => Self::PreUpgrade,
            "post-upgrade" => Self::PostUpgrade,
            "pre-rollback" => Self::PreRollback,
            "post-rollback" => Self::PostRollback,
            "test" | "test-success" => Self::Test,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreInstall => "pre-install",
            Self::PostInstall => "post-install",
            Self::PreDelete => "pre-delete",
            Self::PostDelete => "post-delete",
            Self::PreUpgrade => "pre-upgrade",
            Self::PostUpgrade => "post-upgrade",
            Self::PreRollback => "pre-rollback",
            Self::PostRollback => "post-rollback",
            Self::Test => "test",
        }
    }
}

/// What a hook's annotations say, as Helm records it in a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookSpec {
    pub events: Vec<HookEvent>,
    /// `helm.sh/hook-weight` read with Go's `Atoi`; 0 when absent or not an integer.
    pub weight: i64,
    /// Lowercased, trimmed; unvalidated, as Helm keeps them.
    pub delete_policies: Vec<String>,
    pub output_log_policies: Vec<String>,
}

/// One classified document.
enum Entry {
    Manifest(Manifest),
    Hook(Manifest),
    /// A hook with an unknown event: dropped, logged.
    Unknown(String),
}

/// The outcome of sorting: what Helm's `SortManifests` returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sorted {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Manifest>,
    /// slog lines Helm prints on stderr while sorting (`level=INFO msg="skipping unknown hooks" ...`).
    pub log: Vec<String>,
}

/// A document that does not parse: `YAML parse error on PATH: MESSAGE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseFailure {
    pub path: String,
    pub message: String,
    /// What was found before the failing document, unsorted (Helm returns it with the error).
    pub partial: Sorted,
}

/// Sort `files` (name, rendered text); names need not be sorted.
pub fn sort_manifests(files: &[(&str, &str)]) -> Result<Sorted, Box<ParseFailure>> {
    let mut order: Vec<&(&str, &str)> = files
        .iter()
        .filter(|(name, content)| !is_partial(name) && !content.trim().is_empty())
        .collect();
    order.sort_by(|a, b| a.0.cmp(b.0));

    // Split every file, then parse every document, in parallel (one big file of CRDs must
    // not serialise the work); the merge below keeps file and document order.
    let docs: Vec<Vec<&str>> = order.par_iter().map(|(_, c)| split_manifests(c)).collect();
    let flat: Vec<(usize, usize, &str)> = docs
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.iter().enumerate().map(move |(j, doc)| (i, j, *doc)))
        .collect();
    let parsed: Vec<Result<Entry, String>> = flat
        .par_iter()
        .map(|(i, j, doc)| classify_doc(order[*i].0, *j, doc))
        .collect();

    let mut out = Sorted::default();
    for ((i, _, _), entry) in flat.iter().zip(parsed) {
        match entry {
            Ok(Entry::Manifest(m)) => out.manifests.push(m),
            Ok(Entry::Hook(h)) => out.hooks.push(h),
            Ok(Entry::Unknown(line)) => out.log.push(line),
            Err(message) => {
                return Err(Box::new(ParseFailure {
                    path: order[*i].0.to_string(),
                    message,
                    partial: out,
                }));
            }
        }
    }
    out.manifests.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    out.hooks.sort_by(|a, b| kind_order(&a.kind, &b.kind));
    Ok(out)
}

/// Every document of `files` that parses, hooks and plain manifests together, in file
/// (bytewise name) and document order, and for each file whose documents did not all
/// parse, its name and the first error: what `lint` judges, since it reports a broken
/// template and still checks the others. Hooks with an unknown event are left out, as Helm
/// leaves them out of a release.
pub fn parse_all(files: &[(&str, &str)]) -> (Vec<Manifest>, Vec<(String, String)>) {
    let mut order: Vec<&(&str, &str)> = files
        .iter()
        .filter(|(name, content)| !is_partial(name) && !content.trim().is_empty())
        .collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    let parsed: Vec<(Vec<Manifest>, Option<String>)> = order
        .par_iter()
        .map(|(name, content)| {
            let mut out = Vec::new();
            for (i, doc) in split_manifests(content).into_iter().enumerate() {
                match classify_doc(name, i, doc) {
                    Ok(Entry::Manifest(m) | Entry::Hook(m)) => out.push(m),
                    Ok(Entry::Unknown(_)) => {}
                    Err(message) => return (out, Some(message)),
                }
            }
            (out, None)
        })
        .collect();
    let mut manifests = Vec::new();
    let mut failed = Vec::new();
    for ((name, _), (found, error)) in order.iter().zip(parsed) {
        manifests.extend(found);
        if let Some(message) = error {
            failed.push((name.to_string(), message));
        }
    }
    (manifests, failed)
}

/// Helm skips templates whose base name starts with `_`.
pub fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().is_some_and(|b| b.starts_with('_'))
}

fn classify_doc(name: &str, index: usize, doc: &str) -> Result<Entry, String> {
    let object = yaml::parse(doc).map_err(|e| format!("error converting YAML to JSON: {e}"))?;
    let head = head::decode(&object)
        .map_err(|e| format!("error unmarshaling JSON: while decoding JSON: {e}"))?;
    let hook = match head.annotations().and_then(|a| a.get(HOOK_ANNOTATION)) {
        None => None,
        Some(hook_types) => match hook_spec(&head, hook_types) {
            Some(spec) => Some(spec),
            None => {
                return Ok(Entry::Unknown(format!(
                    "level=INFO msg=\"skipping unknown hooks\" hookTypes={}",
                    slog_value(hook_types)
                )));
            }
        },
    };
    let namespace = object
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let SimpleHead {
        api_version,
        kind,
        metadata,
    } = head;
    let manifest = Manifest {
        template: name.to_string(),
        index,
        api_version,
        kind,
        name: metadata.map(|m| m.name).unwrap_or_default(),
        namespace,
        object,
        text: doc.to_string(),
        hook,
    };
    Ok(if manifest.hook.is_some() {
        Entry::Hook(manifest)
    } else {
        Entry::Manifest(manifest)
    })
}

/// The hook annotations of a document whose `helm.sh/hook` is `hook_types`; `None` when
/// one of the events is unknown (Helm then drops the document).
fn hook_spec(head: &SimpleHead, hook_types: &str) -> Option<HookSpec> {
    let mut events = Vec::new();
    for t in hook_types.split(',') {
        events.push(HookEvent::parse(&t.trim().to_lowercase())?);
    }
    let ann = head.annotations();
    let get = |k: &str| ann.and_then(|a| a.get(k));
    let list = |k: &str| -> Vec<String> {
        get(k).map_or_else(Vec::new, |v| {
            v.split(',').map(|p| p.trim().to_lowercase()).collect()
        })
    };
    Some(HookSpec {
        events,
        weight: get(HOOK_WEIGHT_ANNOTATION).map_or(0, |w| go_atoi(w).unwrap_or(0)),
        delete_policies: list(HOOK_DELETE_ANNOTATION),
        output_log_policies: list(HOOK_OUTPUT_LOG_ANNOTATION),
    })
}

/// Go's `strconv.Atoi`: optional sign, ASCII digits, within int64.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

/// A string value as Go's slog text handler prints it: bare when safe, else quoted with
/// `strconv.Quote` (slog's `needsQuoting`: empty, a space, `=`, `"` or an ASCII control
/// character, or a non-ASCII space or unprintable rune).
fn slog_value(s: &str) -> String {
    let needs_quote = s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c == ' ' || c == '=' || c == '"' || c < ' '
            } else {
                c.is_whitespace() || !rudder_gocompat::quote::is_print(c)
            }
        });
    if needs_quote {
        rudder_gocompat::quote::quote(s)
    } else {
        s.to_string()
    }
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// Helm's `lessByKind` as an ordering (used with a stable sort).
pub fn kind_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (kind_rank(a), kind_rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Sorted) -> Vec<String> {
        s.manifests.iter().map(|m| m.kind.clone()).collect()
    }

    #[test]
    fn orders_by_kind_then_file_then_position() {
        let files = [
            (
                "c/templates/b.yaml",
                "kind: Zed\n---\nkind: Deployment\n---\nkind: Alpha",
            ),
            (
                "c/templates/a.yaml",
                "kind: Service\n---\nkind: Namespace\n",
            ),
            ("c/templates/_h.tpl", "kind: Namespace"),
            ("c/templates/e.yaml", " \n"),
        ];
        let s = sort_manifests(&files).unwrap();
        assert_eq!(
            names(&s),
            ["Namespace", "Service", "Deployment", "Alpha", "Zed"]
        );
    }

    #[test]
    fn hooks_and_unknown_hooks() {
        let doc = "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: Pre-Install, test-success\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: Hook-Succeeded,before-hook-creation\n";
        let bad = "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,nope\n";
        let s =
            sort_manifests(&[("c/templates/j.yaml", doc), ("c/templates/k.yaml", bad)]).unwrap();
        assert!(s.manifests.is_empty());
        let h = &s.hooks[0];
        assert!(h.is_test());
        assert_eq!((h.kind.as_str(), h.name.as_str()), ("Job", "j"));
        let h = h.hook.as_ref().unwrap();
        assert_eq!(h.events, [HookEvent::PreInstall, HookEvent::Test]);
        assert_eq!(h.weight, -5);
        assert_eq!(
            h.delete_policies,
            ["hook-succeeded", "before-hook-creation"]
        );
        assert_eq!(
            s.log,
            ["level=INFO msg=\"skipping unknown hooks\" hookTypes=pre-install,nope"]
        );
    }

    #[test]
    fn parse_failure_keeps_earlier_hooks() {
        let hook = "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n";
        let err = sort_manifests(&[
            ("c/templates/b.yaml", "a: [\n"),
            ("c/templates/a.yaml", hook),
        ])
        .unwrap_err();
        assert_eq!(err.path, "c/templates/b.yaml");
        assert!(
            err.message
                .starts_with("error converting YAML to JSON: yaml: ")
        );
        assert_eq!(err.partial.hooks.len(), 1);
        let err = sort_manifests(&[("c/templates/t.yaml", "just text")]).unwrap_err();
        assert_eq!(
            err.message,
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type util.SimpleHead"
        );
    }

    #[test]
    fn manifests_keep_the_parsed_object() {
        let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ns\ndata:\n  i: 5\n  f: 5.0\n";
        let s = sort_manifests(&[("c/templates/a.yaml", &format!("kind: A\n---\n{doc}"))]).unwrap();
        // Sorted by kind: the ConfigMap (second in its file) comes first.
        let m = &s.manifests[0];
        assert_eq!(m.template, "c/templates/a.yaml");
        assert_eq!(m.index, 1);
        assert_eq!(
            (m.api_version.as_str(), m.kind.as_str(), m.name.as_str()),
            ("v1", "ConfigMap", "cm")
        );
        assert_eq!(m.namespace.as_deref(), Some("ns"));
        assert!(m.hook.is_none());
        assert!(m.object["data"]["i"].is_i64());
        assert!(m.object["data"]["f"].is_f64());
        assert_eq!(m.text, doc.trim_end());
        assert_eq!(
            (s.manifests[1].index, s.manifests[1].namespace.as_deref()),
            (0, None)
        );
    }

    #[test]
    fn atoi_and_slog() {
        assert_eq!(go_atoi("+7"), Some(7));
        assert_eq!(go_atoi("-007"), Some(-7));
        assert_eq!(go_atoi(" 1"), None);
        assert_eq!(go_atoi("1.0"), None);
        assert_eq!(go_atoi("99999999999999999999"), None);
        assert_eq!(slog_value(""), "\"\"");
        assert_eq!(slog_value("a b"), "\"a b\"");
        assert_eq!(slog_value("x"), "x");
        assert_eq!(slog_value("a\\b\x7f"), "a\\b\x7f");
        assert_eq!(slog_value("a=b\x07"), "\"a=b\\a\"");
        // What helm v4.1.4 logs for a hook annotation `pre-install,n=o\u00a0\u0007x`.
        assert_eq!(
            slog_value("pre-install,n=o\u{a0}\x07x"),
            "\"pre-install,n=o\\u00a0\\ax\""
        );
    }
}
