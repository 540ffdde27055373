//! Test guest: a renderer whose `render` never returns. The host must stop it with its
//! epoch deadline and report a timeout naming the plugin.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });

use exports::rudder::plugin::describe;
use exports::rudder::plugin::render::{self, RenderError, RenderJob, RenderOutput};
use rudder::plugin::types::{PluginInfo, PluginKind};

struct Spin;

impl describe::Guest for Spin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "loop".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: PluginKind::Renderer,
            description: "loops forever in render (test guest)".into(),
            settings_schema: String::new(),
        }
    }
}

impl render::Guest for Spin {
    fn render(_job: RenderJob) -> Result<RenderOutput, RenderError> {
        let mut i = 0u64;
        loop {
            // black_box keeps the optimiser from reasoning about the loop.
            i = std::hint::black_box(i.wrapping_add(1));
        }
    }
}

export!(Spin);
