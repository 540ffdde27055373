//! Write rudder plugins in a few lines: implement [`Policy`] on a struct and call
//! [`export_policy!`]; the SDK makes the `wasm32-wasip2` component's WIT exports
//! (`rudder:plugin@0.2.0`, world `policy`), parses the settings and the manifests, and
//! converts what the policy reports.
//!
//! ```
//! use rudder_sdk::{Context, Error, Object, Policy, Violation};
//!
//! /// Settings: `{"max": 3}`.
//! #[derive(serde::Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct Settings {
//!     max: u64,
//! }
//!
//! struct MaxReplicas;
//!
//! impl Policy for MaxReplicas {
//!     const NAME: &'static str = "max-replicas";
//!     const DESCRIPTION: &'static str = "caps the replicas of Deployments";
//!     const SETTINGS_SCHEMA: &'static str = r#"{"type":"object","required":["max"],
//!         "properties":{"max":{"type":"integer","minimum":0}},"additionalProperties":false}"#;
//!     type Settings = Settings;
//!
//!     fn evaluate(
//!         objects: &[Object<'_>],
//!         _context: &Context,
//!         settings: &Settings,
//!     ) -> Result<Vec<Violation>, Error> {
//!         let mut found = Vec::new();
//!         for o in objects.iter().filter(|o| o.kind == "Deployment") {
//!             let replicas = o.value.pointer("/spec/replicas").and_then(|v| v.as_u64());
//!             if replicas.is_some_and(|r| r > settings.max) {
//!                 found.push(
//!                     Violation::error("too-many-replicas", o, format!("{} has more than {} replicas", o.id(), settings.max))
//!                         .at("spec.replicas"),
//!                 );
//!             }
//!         }
//!         Ok(found)
//!     }
//! }
//!
//! rudder_sdk::export_policy!(MaxReplicas);
//!
//! let found = rudder_sdk::testing::evaluate::<MaxReplicas>(
//!     "kind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n",
//!     serde_json::json!({"max": 3}),
//! )
//! .unwrap();
//! assert_eq!(found[0].message, "Deployment/web has more than 3 replicas");
//! ```
//!
//! - [`Object`]: one rendered manifest (its identifying fields, its JSON, its text), with
//!   [`Object::typed`] for typed access ([`k8s`], feature `k8s`, on by default) and
//!   [`Object::pod_spec`] / [`Object::containers`] ([`pods`]) for every workload kind.
//! - [`host`]: the host's log and `lookup`; natively a buffer and an offline answer.
//! - [`testing`] (native only): a policy run over YAML text in a plain `cargo test`.
//! - [`quantity`]: Kubernetes quantities (`500m`, `1.5Gi`) compared exactly.
//! - `lint` (feature `lint`): the `Linter` trait and `export_linter!`, over
//!   `rudder-lint`'s model, for lint plugins.
//!
//! The bindings exist only on `wasm32`: natively the macros check their argument and
//! export nothing, so a plugin crate (`crate-type = ["cdylib", "rlib"]`) tests natively.

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings;
pub mod host;
#[cfg(feature = "lint")]
pub mod lint;
mod object;
pub mod pods;
mod policy;
pub mod quantity;
mod runtime;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use object::{Manifest, Object};
pub use policy::{
    Context, Error, ErrorKind, NoSettings, Operation, Policy, SettingsError, Severity, Violation,
};
pub use serde_json::Value;

/// Typed Kubernetes objects: [`k8s_openapi`](https://docs.rs/k8s-openapi), for
/// [`Object::typed`] (`Object::typed::<rudder_sdk::k8s::api::apps::v1::Deployment>()`).
#[cfg(feature = "k8s")]
pub use k8s_openapi as k8s;

/// What the export macros expand to. Not a stable API.
#[doc(hidden)]
pub mod __private {
    #[cfg(target_arch = "wasm32")]
    pub use crate::wasm::*;

    /// Fails to compile unless `P` is a policy.
    pub const fn assert_policy<P: crate::Policy>() {}

    /// Fails to compile unless `L` is a linter.
    #[cfg(feature = "lint")]
    pub const fn assert_linter<L: crate::lint::Linter>() {}
}

/// Exports a [`Policy`] as the plugin's `describe` and `evaluate` (world `policy`):
/// `rudder_sdk::export_policy!(MyPolicy);`, once, in the plugin crate. The plugin's
/// version is the crate's (`CARGO_PKG_VERSION`). On targets other than `wasm32` it only
/// checks that the type is a policy.
#[macro_export]
macro_rules! export_policy {
    ($policy:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct RudderSdkPolicy;

            impl $crate::bindings::common::exports::rudder::plugin::describe::Guest
                for RudderSdkPolicy
            {
                fn info() -> $crate::bindings::common::rudder::plugin::types::PluginInfo {
                    $crate::__private::policy_info::<$policy>(env!("CARGO_PKG_VERSION"))
                }

                fn validate_settings(
                    settings: String,
                ) -> Result<(), $crate::bindings::common::rudder::plugin::types::PluginError>
                {
                    $crate::__private::policy_validate::<$policy>(&settings)
                }
            }

            impl $crate::bindings::policy::exports::rudder::plugin::evaluate::Guest
                for RudderSdkPolicy
            {
                fn evaluate(
                    manifests: Vec<$crate::bindings::common::rudder::plugin::types::Manifest>,
                    context: $crate::bindings::policy::exports::rudder::plugin::evaluate::Context,
                    settings: String,
                ) -> Result<
                    Vec<$crate::bindings::policy::exports::rudder::plugin::evaluate::Violation>,
                    $crate::bindings::common::rudder::plugin::types::PluginError,
                > {
                    $crate::__private::policy_evaluate::<$policy>(manifests, context, &settings)
                }
            }

            $crate::bindings::common::__export_describe!(
                RudderSdkPolicy with_types_in $crate::bindings::common
            );
            $crate::bindings::policy::__export_evaluate!(
                RudderSdkPolicy with_types_in $crate::bindings::policy
            );
        };
        #[cfg(not(target_arch = "wasm32"))]
        const _: () = $crate::__private::assert_policy::<$policy>();
    };
}

/// Exports a [`Linter`](crate::lint::Linter) as the plugin's `describe` and `lint` (world
/// `linter`; feature `lint`): `rudder_sdk::export_linter!(MyLinter);`, once, in the plugin
/// crate. On targets other than `wasm32` it only checks that the type is a linter.
#[cfg(feature = "lint")]
#[macro_export]
macro_rules! export_linter {
    ($linter:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct RudderSdkLinter;

            impl $crate::bindings::common::exports::rudder::plugin::describe::Guest
                for RudderSdkLinter
            {
                fn info() -> $crate::bindings::common::rudder::plugin::types::PluginInfo {
                    $crate::__private::lint::info::<$linter>(env!("CARGO_PKG_VERSION"))
                }

                fn validate_settings(
                    settings: String,
                ) -> Result<(), $crate::bindings::common::rudder::plugin::types::PluginError>
                {
                    $crate::__private::lint::validate::<$linter>(&settings)
                }
            }

            impl $crate::bindings::linter::exports::rudder::plugin::lint::Guest for RudderSdkLinter {
                fn rules() -> Vec<$crate::bindings::linter::exports::rudder::plugin::lint::Rule> {
                    $crate::__private::lint::rules::<$linter>()
                }

                fn lint(
                    chart: $crate::bindings::linter::exports::rudder::plugin::lint::ChartInput,
                    manifests: Vec<$crate::bindings::common::rudder::plugin::types::Manifest>,
                    settings: String,
                ) -> Result<
                    Vec<$crate::bindings::linter::exports::rudder::plugin::lint::Finding>,
                    $crate::bindings::common::rudder::plugin::types::PluginError,
                > {
                    $crate::__private::lint::lint::<$linter>(chart, manifests, &settings)
                }
            }

            $crate::bindings::common::__export_describe!(
                RudderSdkLinter with_types_in $crate::bindings::common
            );
            $crate::bindings::linter::__export_lint!(
                RudderSdkLinter with_types_in $crate::bindings::linter
            );
        };
        #[cfg(not(target_arch = "wasm32"))]
        const _: () = $crate::__private::assert_linter::<$linter>();
    };
}
