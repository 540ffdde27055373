//! Test guest: a renderer that returns every template's content unchanged, named as the
//! engine names templates (`CHART_PATH/TEMPLATE_PATH`). Handy for testing the pipeline
//! without the template engine. It logs one line through the host so the host import is
//! exercised too.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });

use exports::rudder::plugin::describe;
use exports::rudder::plugin::render::{
    self, RenderError, RenderJob, RenderOutput, RenderedTemplate,
};
use rudder::plugin::host;
use rudder::plugin::types::{PluginInfo, PluginKind};

struct Echo;

impl describe::Guest for Echo {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "echo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: PluginKind::Renderer,
            description: "returns every template unchanged (test guest)".into(),
            settings_schema: String::new(),
        }
    }
}

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
