//! The WIT bindings (`wit/`, package `rudder:plugin@0.2.0`), generated here once so that a
//! plugin crate never calls `wit_bindgen::generate!` itself.
//!
//! The worlds `policy` and `linter` both export `describe`, and the export macros of one
//! crate share a namespace: two `generate!` of those worlds would define the `describe`
//! export macro twice. So the contract is generated as three worlds of our own, which
//! together are the real ones: [`common`] (the `host` import and the `describe` export,
//! with the shared `types`), [`policy`] (`evaluate`) and [`linter`] (`lint`), the last two
//! reusing `common`'s types. `export_policy!` exports `common` and `policy`, which make up
//! world `policy`; `export_linter!` exports `common` and `linter`. Each export macro embeds
//! its world's exports in the component, so a policy never claims to export `lint`.

/// `import host; export describe;`, and the `types` every world uses.
pub mod common {
    wit_bindgen::generate!({
        path: "../../wit",
        inline: "package rudder:sdk;
            world plugin {
                import rudder:plugin/host@0.2.0;
                export rudder:plugin/describe@0.2.0;
            }",
        world: "rudder:sdk/plugin",
        generate_all,
        pub_export_macro: true,
        export_macro_name: "__export_describe",
        default_bindings_module: "rudder_sdk::bindings::common",
    });
}

/// `export evaluate;`, over `common`'s types.
pub mod policy {
    wit_bindgen::generate!({
        path: "../../wit",
        inline: "package rudder:sdk;
            world policy {
                import rudder:plugin/host@0.2.0;
                export rudder:plugin/evaluate@0.2.0;
            }",
        world: "rudder:sdk/policy",
        with: {
            "rudder:plugin/types@0.2.0": crate::bindings::common::rudder::plugin::types,
            "rudder:plugin/host@0.2.0": crate::bindings::common::rudder::plugin::host,
        },
        pub_export_macro: true,
        export_macro_name: "__export_evaluate",
        default_bindings_module: "rudder_sdk::bindings::policy",
    });
}

/// `export lint;`, over `common`'s types.
#[cfg(feature = "lint")]
pub mod linter {
    wit_bindgen::generate!({
        path: "../../wit",
        inline: "package rudder:sdk;
            world linter {
                import rudder:plugin/host@0.2.0;
                export rudder:plugin/lint@0.2.0;
            }",
        world: "rudder:sdk/linter",
        with: {
            "rudder:plugin/types@0.2.0": crate::bindings::common::rudder::plugin::types,
            "rudder:plugin/host@0.2.0": crate::bindings::common::rudder::plugin::host,
        },
        pub_export_macro: true,
        export_macro_name: "__export_lint",
        default_bindings_module: "rudder_sdk::bindings::linter",
    });
}
