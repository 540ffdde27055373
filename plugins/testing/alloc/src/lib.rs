//! Test guest: a renderer that allocates (and touches) memory without bound. The host's
//! memory limit must stop it with an out-of-memory error; other calls must still work.
//! A job whose first chart path is `small` allocates only a little and succeeds, so one
//! component serves both halves of the test.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });
include!("../../describe.rs");

use exports::rudder::plugin::render::{
    self, RenderError, RenderJob, RenderOutput, RenderedTemplate,
};

struct Hog;

describe!(
    Hog,
    "alloc",
    "allocates without bound in render (test guest)"
);

impl render::Guest for Hog {
    fn render(job: RenderJob) -> Result<RenderOutput, RenderError> {
        let small = job.charts.first().is_some_and(|c| c.path == "small");
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(std::hint::black_box(vec![0xA5u8; 1 << 20]));
            if small && hoard.len() >= 4 {
                break;
            }
        }
        let total: usize = hoard.iter().map(Vec::len).sum();
        Ok(RenderOutput {
            templates: vec![RenderedTemplate {
                name: "small/allocated".into(),
                content: total.to_string(),
            }],
            shared_data_changed: false,
        })
    }
}

export!(Hog);
