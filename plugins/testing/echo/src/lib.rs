//! Test guest: a renderer that returns every template's content unchanged, named as the
//! engine names templates (`CHART_PATH/TEMPLATE_PATH`). Handy for testing the pipeline
//! without the template engine. It logs one line through the host so the host import is
//! exercised too. It takes settings, to test their checks: a schema (`prefix`, a string)
//! and a rule of its own (`prefix` has no `/`).

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });

include!("echo.rs");

use rudder::plugin::types::{ErrorKind, PluginError, PluginInfo, PluginKind};

impl exports::rudder::plugin::describe::Guest for Echo {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "echo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: PluginKind::Renderer,
            description: "returns every template unchanged (test guest)".into(),
            settings_schema: r#"{"type":"object","properties":{"prefix":{"type":"string"}},"additionalProperties":false}"#.into(),
        }
    }

    fn validate_settings(settings: String) -> Result<(), PluginError> {
        // No JSON parser in this guest: the host has checked the shape already.
        if settings.contains('/') {
            return Err(PluginError {
                kind: ErrorKind::Settings,
                message: "prefix must not contain '/'".into(),
                path: Some("prefix".into()),
            });
        }
        Ok(())
    }
}
