//! Test guest: a renderer whose `render` never returns. The host must stop it with its
//! epoch deadline and report a timeout naming the plugin.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });
include!("../../describe.rs");

use exports::rudder::plugin::render::{self, RenderError, RenderJob, RenderOutput};

struct Spin;

describe!(Spin, "loop", "loops forever in render (test guest)");

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
