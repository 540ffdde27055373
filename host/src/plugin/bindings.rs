//! The host side of the WIT contract (`wit/`), generated once per world. The `host` and
//! `types` interfaces are generated with `renderer` and shared by the others, so one `Host`
//! implementation and one linker serve every kind of plugin. [`v0_1`] is the frozen 0.1.0
//! renderer contract (`wit/v0.1.0/`), which the host still loads.

/// World `renderer`: template engines.
pub mod renderer {
    wasmtime::component::bindgen!({
        world: "renderer",
        path: "../wit",
    });
}

/// Bindings of a world whose `host` and `types` are the renderer's.
macro_rules! sharing_host {
    ($world:tt) => {
        wasmtime::component::bindgen!({
            world: $world,
            path: "../wit",
            with: {
                "rudder:plugin/host": crate::plugin::bindings::renderer::rudder::plugin::host,
                "rudder:plugin/types": crate::plugin::bindings::renderer::rudder::plugin::types,
            },
        });
    };
}

/// World `linter`: lint rules.
pub mod linter {
    sharing_host!("linter");
}

/// World `policy`: an organisation's rules over what is deployed.
pub mod policy {
    sharing_host!("policy");
}

/// Contract 0.1.0's `renderer` world.
pub mod v0_1 {
    wasmtime::component::bindgen!({
        world: "renderer",
        path: "../wit/v0.1.0",
    });

    pub use self::exports::rudder::plugin::render;
    pub use self::rudder::plugin::{host, types};
}

pub use renderer::rudder::plugin::host::Level;
pub use renderer::rudder::plugin::types::{
    ErrorKind, File, Manifest, Operation, PluginError as WitPluginError, PluginInfo, PluginKind,
    Position, Severity,
};

/// The lint contract's records.
pub mod lint {
    pub use super::linter::exports::rudder::plugin::lint::{ChartInput, Finding, Rule};
}

/// The policy contract's records.
pub mod evaluate {
    pub use super::policy::exports::rudder::plugin::evaluate::{Context, Violation};
}
