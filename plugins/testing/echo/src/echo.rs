// The echo renderer, included by the `echo` guest (contract 0.2.0) and by `echo-v0-1`
// (contract 0.1.0): the render interface is the same in both.

use exports::rudder::plugin::render::{
    self, RenderError, RenderJob, RenderOutput, RenderedTemplate,
};
use rudder::plugin::host;

struct Echo;

impl render::Guest for Echo {
    fn render(job: RenderJob) -> Result<RenderOutput, RenderError> {
        let mut out = Vec::new();
        for chart in &job.charts {
            for file in &chart.templates {
                let name = format!("{}/{}", chart.path, file.path);
                if !job.targets.is_empty() && !job.targets.contains(&name) {
                    continue;
                }
                let content = String::from_utf8(file.data.clone()).map_err(|_| RenderError {
                    message: format!("{name}: not UTF-8"),
                    position: None,
                    source_line: None,
                    call_stack: Vec::new(),
                })?;
                out.push(RenderedTemplate { name, content });
            }
        }
        let lookup = host::lookup("v1", "ConfigMap", "default", "x").unwrap_or_else(|e| e);
        host::log(
            host::Level::Debug,
            &format!("echo: {} templates, lookup gave {lookup}", out.len()),
        );
        Ok(RenderOutput {
            templates: out,
            shared_data_changed: false,
        })
    }
}

export!(Echo);
