//! Rendered objects validated against Kubernetes' OpenAPI schemas and the chart's CRDs,
//! offline and strictly (like `kubeconform -strict`): unknown fields are errors, and every
//! violation of an object is reported with its path (`spec.template.spec.containers[0].ports[0].containerPort`)
//! and what was expected and found (`expected integer, got string "80"`).
//!
//! # The shipped data
//!
//! `crates/lint/schemas/` holds the schemas of every Kubernetes minor version listed by
//! [`versions`], derived from Kubernetes' OpenAPI spec as converted to JSON Schema by the
//! `kubernetes-validate` Python package (its `*-local-strict` flavour: `additionalProperties:
//! false` wherever a type is closed). It is written by `tools/kube-schemas/gen`:
//!
//! - `defs.jsonl`: every distinct definition of every version, one compact JSON document per
//!   line, shared between versions (a definition that did not change is stored once). Only the
//!   keywords the validator reads are kept: `type` (a name or a list of names, `null` among
//!   them for optional fields), `properties`, `required`, `additionalProperties` (`false` or a
//!   schema), `items`, `enum`, `oneOf`/`anyOf`/`allOf`, `x-kubernetes-preserve-unknown-fields`,
//!   `x-kubernetes-embedded-resource` and `x-kubernetes-int-or-string`; `$ref` holds a bare
//!   definition name (`io.k8s.api.core.v1.PodSpec`). Descriptions and formats are dropped.
//!   `IntOrString` and `Quantity` become a list of types (integer or string; number or
//!   string) instead of a `oneOf` of two nullable types; as there, a null is not accepted.
//! - `v1.NN.idx`: one version's index, a line per entry, sorted: `d <definition> <byte offset
//!   of its line in defs.jsonl>`, then `k <apiVersion> <kind> <definition>` for the kinds that
//!   can be validated.
//! - `versions.rs`: the list of shipped versions with their indexes, included by this module.
//!
//! To regenerate (after a new `kubernetes-validate` release): install it in a virtualenv
//! (`pip install kubernetes-validate`) and run `tools/kube-schemas/gen` with that
//! environment's `python3`; `--min`/`--max` choose the versions.
//!
//! # Cost
//!
//! The lint plugin runs each call in a fresh WASM instance, so nothing is parsed up front: a
//! [`Validator`] binary-searches its version's index where it lies (the text embedded in the
//! binary) and parses a definition only when an object reaches it, keeping it for the
//! validator's lifetime. CRD schemas are built the same way, when the first object of their
//! kind is validated. A Deployment reaches 8 definitions; once they are parsed, validating
//! one takes microseconds.
//!
//! # Semantics
//!
//! - Types as JSON Schema has them: `3.0` is an integer (as in JSON Schema since draft 6 and
//!   in `kubernetes-validate`), a boolean is no number, `null` matches only where the schema
//!   lists it (the shipped schemas list it for every optional field).
//! - Custom resources follow structural-schema rules: an object type with no
//!   `additionalProperties` accepts no undeclared field unless
//!   `x-kubernetes-preserve-unknown-fields` is set; `apiVersion`, `kind` and `metadata` are
//!   implicit at the root and in embedded resources, and `metadata` is only checked loosely
//!   (an object whose name, namespace, labels and annotations are strings); nulls are
//!   accepted (the API server prunes them). `minimum`/`maximum`, `minLength`/`maxLength` and
//!   `minItems`/`maxItems` are checked; `pattern`, `format` and CEL rules are not.

mod data;
mod node;
mod validate;

use serde_json::Value;

pub use validate::{Validator, Verdict, Violation};

use crate::model::{Finding, KubeVersion, Object, Rule, Severity};

/// An object that does not match its schema.
pub const SCHEMA: Rule = Rule {
    id: "kube/schema",
    severity: Severity::Error,
    description: "rendered objects match the Kubernetes OpenAPI schema of the target version",
};

/// An object whose kind has no schema: neither built in nor a CRD of the chart.
pub const UNKNOWN_KIND: Rule = Rule {
    id: "kube/unknown-kind",
    severity: Severity::Warning,
    description: "rendered objects have a kind known to the target Kubernetes version or to the chart's CRDs",
};

static RULES: [Rule; 2] = [SCHEMA, UNKNOWN_KIND];

/// The rules of this family.
pub fn rules() -> &'static [Rule] {
    &RULES
}

/// The Kubernetes versions whose schemas are shipped, oldest first.
pub fn versions() -> Vec<KubeVersion> {
    data::versions()
}

/// The shipped version used for `target`: the newest not above it, or the oldest.
pub fn version_for(target: KubeVersion) -> KubeVersion {
    data::resolve(target).unwrap_or(target)
}

fn finding(rule: &Rule, object: usize, path: &str, message: String) -> Finding {
    Finding {
        rule: rule.id,
        severity: rule.severity,
        message,
        object: Some(object),
        path: (!path.is_empty()).then(|| path.to_string()),
        file: None,
    }
}

/// Validates `objects` against the schemas of `target` (see [`version_for`]) and the CRDs
/// in `crds` and among `objects`. A `v1` `List` has each of its items validated.
pub fn check(objects: &[Object], crds: &[&Value], target: KubeVersion) -> Vec<Finding> {
    let mut validator = Validator::new(target);
    for crd in crds.iter().copied().chain(objects.iter().map(|o| o.value)) {
        if Validator::is_crd(crd) {
            validator.add_crd(crd);
        }
    }
    let used = validator.version();
    let version_note = if used == target {
        format!("Kubernetes {used}")
    } else {
        format!("Kubernetes {used} (the shipped schemas nearest to the target {target})")
    };
    let mut findings = Vec::new();
    for object in objects {
        let value = object.value;
        let is_list = object.kind() == "List" && object.api_version() == "v1";
        let members: Vec<(String, &Value)> = match value.get("items") {
            Some(Value::Array(items)) if is_list => items
                .iter()
                .enumerate()
                .map(|(i, item)| (format!("items[{i}]"), item))
                .collect(),
            _ if is_list => Vec::new(),
            _ => vec![(String::new(), value)],
        };
        for (prefix, member) in members {
            let text = |key: &str| member.get(key).and_then(Value::as_str).unwrap_or("");
            match validator.validate(member) {
                Verdict::Valid => {}
                Verdict::Invalid(violations) => {
                    for v in violations {
                        let path = match (prefix.is_empty(), v.path.is_empty()) {
                            (true, _) => v.path,
                            (false, true) => prefix.clone(),
                            (false, false) => format!("{prefix}.{}", v.path),
                        };
                        findings.push(finding(&SCHEMA, object.index, &path, v.message));
                    }
                }
                Verdict::UnknownKind => findings.push(finding(
                    &UNKNOWN_KIND,
                    object.index,
                    &prefix,
                    format!(
                        "no schema for apiVersion {:?} kind {:?} in {version_note} nor in the chart's CRDs",
                        text("apiVersion"),
                        text("kind")
                    ),
                )),
                Verdict::NoTypeMeta => {
                    let missing = match (text("apiVersion").is_empty(), text("kind").is_empty()) {
                        (true, true) => "apiVersion and kind are",
                        (true, false) => "apiVersion is",
                        _ => "kind is",
                    };
                    findings.push(finding(
                        &SCHEMA,
                        object.index,
                        &prefix,
                        format!("{missing} missing or empty: the object cannot be validated"),
                    ));
                }
            }
        }
    }
    findings
}
