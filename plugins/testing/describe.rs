// Included by the test guests (each has its own generated bindings, so this cannot be a
// crate): `describe!(Type, "name", "description")` implements the `describe` interface of a
// renderer that takes no settings (the host refuses any before calling it);
// `describe!(Type, "name", "description", Kind, SCHEMA)` one of another kind whose settings
// the host checks against SCHEMA alone.

macro_rules! describe {
    ($guest:ident, $name:literal, $description:literal) => {
        describe!($guest, $name, $description, Renderer, "");
    };
    ($guest:ident, $name:literal, $description:literal, $kind:ident, $schema:expr) => {
        impl exports::rudder::plugin::describe::Guest for $guest {
            fn info() -> rudder::plugin::types::PluginInfo {
                rudder::plugin::types::PluginInfo {
                    name: $name.into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    kind: rudder::plugin::types::PluginKind::$kind,
                    description: $description.into(),
                    settings_schema: $schema.into(),
                }
            }

            fn validate_settings(_: String) -> Result<(), rudder::plugin::types::PluginError> {
                Ok(())
            }
        }
    };
}
