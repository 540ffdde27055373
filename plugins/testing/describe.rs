// Included by every test guest (each has its own generated bindings, so this cannot be a
// crate): `describe!(Type, "name", "description")` implements the `describe` interface.
// A test guest takes no settings; the host refuses any before calling it.

macro_rules! describe {
    ($guest:ident, $name:literal, $description:literal) => {
        impl exports::rudder::plugin::describe::Guest for $guest {
            fn info() -> rudder::plugin::types::PluginInfo {
                rudder::plugin::types::PluginInfo {
                    name: $name.into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    kind: rudder::plugin::types::PluginKind::Renderer,
                    description: $description.into(),
                    settings_schema: String::new(),
                }
            }

            fn validate_settings(_: String) -> Result<(), rudder::plugin::types::PluginError> {
                Ok(())
            }
        }
    };
}
