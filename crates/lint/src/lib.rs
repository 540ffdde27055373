//! rudder's built-in lint rules as a plain library: the logic of the `lint-helm`,
//! `lint-kube` and `lint-practices` plugins, which are thin WIT adapters around it. It builds
//! natively, so every rule is unit-tested without WASM.
//!
//! - [`model`]: what a rule sees (a chart's files, its rendered objects) and reports.
//! - [`workload`]: the pod spec inside any workload kind.
//! - [`helm`]: Helm's own lint rules, with Helm's severities and messages.
//! - [`schema`]: rendered objects validated against Kubernetes' OpenAPI schemas and the
//!   chart's CRDs.
//! - [`deprecated`]: deprecated and removed API versions.
//! - [`practices`]: best-practice rules.

pub mod crds;
pub mod deprecated;
pub mod helm;
pub mod model;
pub mod practices;
pub mod schema;
pub mod workload;

pub use model::{Chart, File, Finding, KubeVersion, Object, Rule, Severity};
