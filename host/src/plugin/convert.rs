//! Host-side render data to and from the contract's generated records. The only place that
//! knows both; a second contract version gets its own pair of functions here.

use super::bindings::File as WitFile;
use super::bindings::Position as WitPosition;
use super::bindings::render as wit;
use crate::chart::File;
use crate::render::{
    JobChart, Position, RenderError, RenderJob, RenderOptions, RenderOutput, Template,
};

fn files(list: &[File]) -> Vec<WitFile> {
    list.iter()
        .map(|f| WitFile {
            path: f.path.clone(),
            data: f.data.clone(),
        })
        .collect()
}

fn chart(c: &JobChart) -> wit::Chart {
    wit::Chart {
        parent: c.parent,
        values_key: c.values_key.clone(),
        path: c.path.clone(),
        metadata: c.metadata.clone(),
        templates: files(&c.templates),
        files: files(&c.files),
        subcharts: c.subcharts.clone(),
    }
}

fn options(o: &RenderOptions) -> wit::RenderOptions {
    wit::RenderOptions {
        strict: o.strict,
        now: wit::Timestamp {
            seconds: o.now.seconds,
            nanoseconds: o.now.nanoseconds,
        },
        seed: o.seed,
    }
}

/// The contract's `render-job` for `job`.
pub(super) fn render_job(job: &RenderJob) -> wit::RenderJob {
    wit::RenderJob {
        charts: job.charts.iter().map(chart).collect(),
        values: job.values.clone(),
        release: job
            .release
            .as_ref()
            .map_or_else(|| "{}".to_string(), |r| r.to_json().to_string()),
        capabilities: job.capabilities.clone(),
        targets: job.targets.clone(),
        options: options(&job.options),
    }
}

fn position(p: WitPosition) -> Position {
    Position {
        file: p.file,
        line: p.line,
        column: p.column,
    }
}

/// A plugin's answer as host data.
pub(super) fn render_result(
    result: Result<wit::RenderOutput, wit::RenderError>,
) -> Result<RenderOutput, RenderError> {
    match result {
        Ok(out) => Ok(RenderOutput {
            templates: out
                .templates
                .into_iter()
                .map(|t| Template {
                    name: t.name,
                    content: t.content,
                })
                .collect(),
            shared_data_changed: out.shared_data_changed,
        }),
        Err(e) => Err(RenderError {
            message: e.message,
            position: e.position.map(position),
            source_line: e.source_line,
            call_stack: e.call_stack,
        }),
    }
}
