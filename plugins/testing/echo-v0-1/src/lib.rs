//! Test guest: the echo renderer built from the frozen contract 0.1.0 (`wit/v0.1.0`), so
//! the host's support for components of the previous contract is tested. Its `describe`
//! has no settings check: 0.1.0 had none.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit/v0.1.0" });
include!("../../echo/src/echo.rs");

impl exports::rudder::plugin::describe::Guest for Echo {
    fn info() -> rudder::plugin::types::PluginInfo {
        rudder::plugin::types::PluginInfo {
            name: "echo-v0-1".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: rudder::plugin::types::PluginKind::Renderer,
            description: "the echo renderer on contract 0.1.0 (test guest)".into(),
            settings_schema: String::new(),
        }
    }
}
