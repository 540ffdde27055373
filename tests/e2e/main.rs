//! End-to-end tests of the `rudder` binary: one test binary, a module per area.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failing test reports by panicking"
)]

use std::path::{Path, PathBuf};

mod bulk;
mod cli;
mod conformance;
mod errors;
mod examples;
mod keygen;
mod limits;
mod lint;
mod lint_helm;
mod policy;
mod sandbox;
mod template_cases;

/// Writes the chart files `files` (path, text) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The findings of rule `rule` in a `rudder lint --format json` report, every chart's.
pub fn findings<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["charts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The binary under test, built by cargo for this test run.
pub fn rudder_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rudder"))
}

/// The repository's root folder.
pub fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The built-in template plugin, compiled into (or loaded from) the cache folder `cache`.
pub fn builtin_renderer(cache: &Path) -> rudder::plugin::Renderer {
    let runtime = rudder::plugin::Runtime::new(rudder::plugin::RuntimeConfig {
        cache_dir: Some(cache.to_path_buf()),
        ..Default::default()
    })
    .expect("runtime");
    let registry =
        rudder::plugin::Registry::discover(&runtime, &[], None).expect("built-in plugins");
    registry.renderer("gotmpl").expect("gotmpl")
}

/// A render job: one chart at `path` with `metadata` (JSON), `templates` and `files`, empty
/// values and capabilities, no release, rendered at `now` (seconds, nanoseconds) with `seed`.
pub fn one_chart_job(
    path: &str,
    metadata: &str,
    templates: Vec<rudder::chart::File>,
    files: Vec<rudder::chart::File>,
    now: (i64, u32),
    seed: u64,
) -> rudder::render::RenderJob {
    use rudder::render::{JobChart, RenderJob, RenderOptions, Timestamp};
    RenderJob {
        charts: vec![JobChart {
            path: path.into(),
            metadata: metadata.into(),
            templates,
            files,
            ..JobChart::default()
        }],
        options: RenderOptions {
            now: Timestamp {
                seconds: now.0,
                nanoseconds: now.1,
            },
            seed,
            ..RenderOptions::default()
        },
        ..RenderJob::default()
    }
}

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `dir` with `args` and collects what it did.
pub fn rudder(dir: &Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(rudder_bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run rudder");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
