//! The host side of the WIT contract (`wit/`), generated once for the three worlds. The
//! `host` and `types` interfaces are generated with `renderer` and shared by the others,
//! so one `Host` implementation and one linker serve every kind of plugin.

/// World `renderer`: template engines.
pub mod renderer {
    wasmtime::component::bindgen!({
        world: "renderer",
        path: "../wit",
    });
}

/// World `linter`: lint rules.
pub mod linter {
    wasmtime::component::bindgen!({
        world: "linter",
        path: "../wit",
        with: {
            "rudder:plugin/host": crate::plugin::bindings::renderer::rudder::plugin::host,
            "rudder:plugin/types": crate::plugin::bindings::renderer::rudder::plugin::types,
        },
    });
}

/// World `policy`: an organisation's rules over what is deployed.
pub mod policy {
    wasmtime::component::bindgen!({
        world: "policy",
        path: "../wit",
        with: {
            "rudder:plugin/host": crate::plugin::bindings::renderer::rudder::plugin::host,
            "rudder:plugin/types": crate::plugin::bindings::renderer::rudder::plugin::types,
        },
    });
}

pub use renderer::rudder::plugin::host::Level;
pub use renderer::rudder::plugin::types::{File, PluginInfo, PluginKind, Position, Severity};

/// The render contract's records, for building jobs and reading results.
pub mod render {
    pub use super::renderer::exports::rudder::plugin::render::{
        Chart, RenderError, RenderJob, RenderOptions, RenderOutput, RenderedTemplate, Timestamp,
    };
}

/// The lint contract's records.
pub mod lint {
    pub use super::linter::exports::rudder::plugin::lint::{ChartInput, Finding, Manifest, Rule};
}

/// The policy contract's records.
pub mod evaluate {
    pub use super::policy::exports::rudder::plugin::evaluate::{Context, Manifest, Violation};
}
