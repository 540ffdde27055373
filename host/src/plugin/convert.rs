//! Host-side data to and from the contract's generated records: the only place that knows
//! both. The render records exist once per contract version the host loads; one macro
//! writes their conversions, so the versions cannot drift apart.

use super::bindings::{self, evaluate, lint};
use crate::check::{Context, Finding, Operation, Rule, Severity};
use crate::render::{Manifest, Position};

/// `render_job` and `render_result` for the render interface at `bindings::$path`, whose
/// shared types are at `bindings::$types`.
macro_rules! render_conversions {
    ($module:ident, $($path:ident)::+, $($types:ident)::+ $(, $option:ident)*) => {
        pub(super) mod $module {
            use crate::chart::File;
            use crate::plugin::bindings::$($path)::+ as wit;
            use crate::plugin::bindings::$($types)::+ as types;
            use crate::render::{
                JobChart, Position, RenderError, RenderJob, RenderOptions, RenderOutput, Template,
            };

            fn files(list: &[File]) -> Vec<types::File> {
                list.iter()
                    .map(|f| types::File {
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
                    $($option: o.$option,)*
                }
            }

            /// The contract's `render-job` for `job`.
            pub(in crate::plugin) fn render_job(job: &RenderJob) -> wit::RenderJob {
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

            /// A plugin's answer as host data.
            pub(in crate::plugin) fn render_result(
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
                        position: e.position.map(|p| Position {
                            file: p.file,
                            line: p.line,
                            column: p.column,
                        }),
                        source_line: e.source_line,
                        call_stack: e.call_stack,
                    }),
                }
            }
        }
    };
}

render_conversions!(
    current,
    renderer::exports::rudder::plugin::render,
    renderer::rudder::plugin::types,
    lint
);
render_conversions!(v0_1, v0_1::render, v0_1::types);

/// A 0.1.0 plugin's description in today's terms.
pub(super) fn info_v0_1(info: bindings::v0_1::types::PluginInfo) -> bindings::PluginInfo {
    use bindings::v0_1::types::PluginKind as Old;
    bindings::PluginInfo {
        name: info.name,
        version: info.version,
        kind: match info.kind {
            Old::Renderer => bindings::PluginKind::Renderer,
            Old::Linter => bindings::PluginKind::Linter,
            Old::Policy => bindings::PluginKind::Policy,
        },
        description: info.description,
        settings_schema: info.settings_schema,
    }
}

/// The contract's `manifest` for a rendered one.
pub(super) fn manifest(m: &Manifest) -> bindings::Manifest {
    bindings::Manifest {
        template: m.template.clone(),
        index: u32::try_from(m.index).unwrap_or(u32::MAX),
        api_version: m.api_version.clone(),
        kind: m.kind.clone(),
        name: m.name.clone(),
        namespace: m.namespace.clone().unwrap_or_default(),
        hook: m.hook.as_ref().map_or_else(String::new, |h| {
            h.events
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(",")
        }),
        object: m.object.to_string(),
        text: m.text.clone(),
    }
}

pub(super) fn chart_input(c: &crate::check::ChartInput) -> lint::ChartInput {
    lint::ChartInput {
        metadata: c.metadata.clone(),
        values: c.values.clone(),
        files: c
            .files
            .iter()
            .map(|f| bindings::File {
                path: f.path.clone(),
                data: f.data.clone(),
            })
            .collect(),
        subcharts: c.subcharts.clone(),
        rendered: c.rendered.clone(),
        kube_version: c.kube_version.clone(),
    }
}

pub(super) fn context(c: &Context) -> evaluate::Context {
    evaluate::Context {
        release_name: c.release_name.clone(),
        namespace: c.namespace.clone(),
        chart_name: c.chart_name.clone(),
        chart_version: c.chart_version.clone(),
        kube_version: c.kube_version.clone(),
        operation: match c.operation {
            Operation::Template => bindings::Operation::Template,
            Operation::Lint => bindings::Operation::Lint,
            Operation::Install => bindings::Operation::Install,
            Operation::Upgrade => bindings::Operation::Upgrade,
            Operation::Diff => bindings::Operation::Diff,
        },
    }
}

pub(super) fn severity(s: bindings::Severity) -> Severity {
    match s {
        bindings::Severity::Error => Severity::Error,
        bindings::Severity::Warning => Severity::Warning,
        bindings::Severity::Info => Severity::Info,
    }
}

fn position(p: bindings::Position) -> Position {
    Position {
        file: p.file,
        line: p.line,
        column: p.column,
    }
}

pub(super) fn rule(r: lint::Rule) -> Rule {
    Rule {
        id: r.id,
        severity: severity(r.severity),
        description: r.description,
        docs_url: r.docs_url,
    }
}

pub(super) fn finding(plugin: &str, f: lint::Finding) -> Finding {
    Finding {
        plugin: plugin.to_string(),
        rule: f.rule_id,
        severity: severity(f.severity),
        message: f.message,
        manifest: f.manifest_index.map(|i| i as usize),
        path: f.path,
        position: f.position.map(position),
        ..Finding::new(plugin, "", Severity::Info, String::new())
    }
}

pub(super) fn violation(plugin: &str, v: evaluate::Violation) -> Finding {
    Finding {
        plugin: plugin.to_string(),
        rule: v.code,
        severity: severity(v.severity),
        message: v.message,
        manifest: Some(v.manifest_index as usize),
        path: v.path,
        position: v.position.map(position),
        ..Finding::new(plugin, "", Severity::Info, String::new())
    }
}
