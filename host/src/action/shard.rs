//! Parallel rendering of one release: its templates are split into shards, each rendered by
//! its own plugin instance at the same time. Every instance gets the whole job (all charts,
//! so every `define` is visible) and executes only its shard's targets.
//!
//! Helm executes all templates one after the other against the same data, so two things can
//! tell a split render from a serial one, and both send the release back to a single call:
//! - a template changed the shared data in place (`set .Values ...`): the plugin says so in
//!   `shared-data-changed`, and templates in other shards did not see the change;
//! - more than one shard failed: only a serial render knows which error Helm reports first.
//!
//! Random functions are seeded per template by the plugin, so a template draws the same
//! numbers whatever shard it lands in.
//!
//! A fallback costs the split render on top of the serial one, so a chart whose templates
//! call a map-changing function at all (`set`, `unset`, `merge`...: most charts built on
//! Bitnami's common library) is rendered in one call from the start. The plugin's report
//! still guards the rest (such a call can hide in a value passed to `tpl`).

use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::plugin::{HostServices, Level, Lookup, PluginError, Renderer};
use crate::render::{RenderError, RenderJob, RenderOutput, Template};

/// Below this many bytes of templates to execute, a second instance costs more than it
/// saves (instantiating and parsing every template again).
const MIN_SHARDED_BYTES: usize = 48 * 1024;

/// A template's estimated cost: its size, plus a fixed part for executing it at all.
fn cost(bytes: usize) -> usize {
    bytes + 512
}

/// Renders `job` with up to `jobs` plugin calls at once, `services` answering the plugin's
/// `log` and `lookup`; the result is what one call would return (the templates in no
/// particular order), and `services` get the log lines one call would have given.
pub fn render(
    renderer: &Renderer,
    job: &RenderJob,
    jobs: usize,
    services: &Arc<dyn HostServices>,
) -> Result<Result<Vec<Template>, RenderError>, PluginError> {
    let shards = plan(job, jobs);
    if shards.len() < 2 {
        return single(renderer, job, services);
    }
    let jobs: Vec<RenderJob> = shards
        .into_iter()
        .map(|targets| RenderJob {
            targets,
            ..job.clone()
        })
        .collect();
    // Each shard's log lines wait until its result is kept, so a discarded split render
    // logs nothing twice.
    let buffers: Vec<Arc<Buffered>> = jobs
        .iter()
        .map(|_| Arc::new(Buffered::new(services.clone())))
        .collect();
    let results: Vec<_> = jobs
        .par_iter()
        .zip(&buffers)
        .map(|(j, b)| {
            let b: Arc<dyn HostServices> = b.clone();
            renderer.render_with(j, &b)
        })
        .collect();
    let mut templates = Vec::new();
    let mut errors = Vec::new();
    let mut changed = false;
    for result in results {
        match result? {
            Ok(RenderOutput {
                templates: t,
                shared_data_changed,
            }) => {
                changed |= shared_data_changed;
                templates.extend(t);
            }
            Err(e) => errors.push(e),
        }
    }
    if changed || errors.len() > 1 {
        return single(renderer, job, services);
    }
    for b in &buffers {
        b.replay();
    }
    Ok(match errors.pop() {
        Some(e) => Err(e),
        None => Ok(templates),
    })
}

fn single(
    renderer: &Renderer,
    job: &RenderJob,
    services: &Arc<dyn HostServices>,
) -> Result<Result<Vec<Template>, RenderError>, PluginError> {
    Ok(renderer.render_with(job, services)?.map(|o| o.templates))
}

/// Services that answer `lookup` through `inner` at once and hold log lines back until
/// [`Buffered::replay`].
struct Buffered {
    inner: Arc<dyn HostServices>,
    lines: Mutex<Vec<(String, Level, String)>>,
}

impl Buffered {
    fn new(inner: Arc<dyn HostServices>) -> Buffered {
        Buffered {
            inner,
            lines: Mutex::default(),
        }
    }

    fn replay(&self) {
        let lines = std::mem::take(&mut *self.lines.lock().unwrap_or_else(|p| p.into_inner()));
        for (plugin, level, message) in lines {
            self.inner.log(&plugin, level, &message);
        }
    }
}

impl HostServices for Buffered {
    fn log(&self, plugin: &str, level: Level, message: &str) {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).push((
            plugin.to_string(),
            level,
            message.to_string(),
        ));
    }

    fn lookup(&self, query: &Lookup<'_>) -> Result<String, String> {
        self.inner.lookup(query)
    }
}

/// The targets of each shard: every template that is not a partial (`_*`), when the job
/// names none, spread over at most `jobs` shards of similar cost (largest first, each to the
/// lightest shard). One shard, or none, when splitting would not pay.
fn plan(job: &RenderJob, jobs: usize) -> Vec<Vec<String>> {
    let mut targets: Vec<(usize, String)> = Vec::new();
    for chart in &job.charts {
        for t in &chart.templates {
            let base = t.path.rsplit('/').next().unwrap_or(&t.path);
            let name = format!("{}/{}", chart.path, t.path);
            if base.starts_with('_') || !(job.targets.is_empty() || job.targets.contains(&name)) {
                continue;
            }
            targets.push((t.data.len(), name));
        }
    }
    let total: usize = targets.iter().map(|(n, _)| n).sum();
    let k = jobs.min(targets.len());
    if k < 2 || total < MIN_SHARDED_BYTES || changes_maps(job) {
        return Vec::new();
    }
    targets.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut shards: Vec<(usize, Vec<String>)> = vec![(0, Vec::new()); k];
    for (bytes, name) in targets {
        if let Some(lightest) = shards.iter_mut().min_by_key(|(load, _)| *load) {
            lightest.0 += cost(bytes);
            lightest.1.push(name);
        }
    }
    shards.into_iter().map(|(_, names)| names).collect()
}

/// Whether any template of the job names a function that changes a map in place.
#[expect(
    clippy::expect_used,
    reason = "a constant pattern, compiled by every test that renders"
)]
fn changes_maps(job: &RenderJob) -> bool {
    static CALL: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let call = CALL.get_or_init(|| {
        regex::bytes::Regex::new(
            r"\b(set|unset|merge|mergeOverwrite|mustMerge|mustMergeOverwrite)\b",
        )
        .expect("valid pattern")
    });
    job.charts
        .iter()
        .flat_map(|c| &c.templates)
        .any(|t| call.is_match(&t.data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;
    use crate::render::JobChart;

    fn job(templates: &[(&str, usize)], targets: &[&str]) -> RenderJob {
        RenderJob {
            charts: vec![JobChart {
                path: "c".into(),
                metadata: "{}".into(),
                templates: templates
                    .iter()
                    .map(|(p, n)| File {
                        path: (*p).into(),
                        data: vec![b' '; *n],
                    })
                    .collect(),
                ..JobChart::default()
            }],
            targets: targets.iter().map(|t| t.to_string()).collect(),
            ..RenderJob::default()
        }
    }

    #[test]
    fn small_or_single_jobs_are_not_split() {
        let small = job(&[("templates/a.yaml", 100), ("templates/b.yaml", 100)], &[]);
        assert!(plan(&small, 4).is_empty());
        let big = job(
            &[("templates/a.yaml", 60_000), ("templates/b.yaml", 60_000)],
            &[],
        );
        assert!(plan(&big, 1).is_empty());
        assert_eq!(plan(&big, 2).len(), 2);
    }

    #[test]
    fn shards_are_balanced_and_skip_partials() {
        let j = job(
            &[
                ("templates/_helpers.tpl", 500_000),
                ("templates/a.yaml", 40_000),
                ("templates/b.yaml", 30_000),
                ("templates/c.yaml", 20_000),
                ("templates/d.yaml", 10_000),
            ],
            &[],
        );
        let shards = plan(&j, 2);
        assert_eq!(
            shards,
            vec![
                vec![
                    "c/templates/a.yaml".to_string(),
                    "c/templates/d.yaml".into()
                ],
                vec![
                    "c/templates/b.yaml".to_string(),
                    "c/templates/c.yaml".into()
                ],
            ]
        );
    }

    #[test]
    fn charts_that_change_maps_are_not_split() {
        let mut j = job(
            &[("templates/a.yaml", 60_000), ("templates/b.yaml", 60_000)],
            &[],
        );
        assert_eq!(plan(&j, 2).len(), 2);
        j.charts[0].templates.push(File {
            path: "templates/_h.tpl".into(),
            data: br#"{{ $_ := set .Values "x" 1 }}"#.to_vec(),
        });
        assert!(plan(&j, 2).is_empty());
        j.charts[0].templates[2].data = b"{{ .Values.settings.reset }}".to_vec();
        assert_eq!(plan(&j, 2).len(), 2);
    }

    #[test]
    fn named_targets_limit_the_shards() {
        let j = job(
            &[("templates/a.yaml", 60_000), ("templates/b.yaml", 60_000)],
            &["c/templates/a.yaml"],
        );
        assert!(plan(&j, 4).is_empty());
    }
}
