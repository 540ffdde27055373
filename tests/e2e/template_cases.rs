//! The differential template cases (`tests/template-cases`) through the built-in template
//! plugin: the engine compiled to WebAssembly, called by the host as `rudder template` calls
//! it. The same cases run natively in the engine's own tests; both must agree with Helm.

use rudder::chart::File;
use rudder::render::{JobChart, ReleaseInfo, RenderJob, RenderOptions, Timestamp};
use rudder_template_cases::{CaseJob, NOW, Outcome, SEED, check_all};

fn files(list: &[(String, Vec<u8>)]) -> Vec<File> {
    list.iter()
        .map(|(path, data)| File {
            path: path.clone(),
            data: data.clone(),
        })
        .collect()
}

fn job(case: &CaseJob) -> RenderJob {
    let release = CaseJob::release();
    let text = |key: &str| release[key].as_str().unwrap_or_default().to_string();
    RenderJob {
        charts: vec![JobChart {
            path: "c".into(),
            metadata: CaseJob::metadata().to_string(),
            templates: files(&case.templates),
            files: files(&case.files),
            ..JobChart::default()
        }],
        values: case.values.to_string(),
        release: Some(ReleaseInfo {
            name: text("Name"),
            namespace: text("Namespace"),
            revision: release["Revision"].as_u64().unwrap_or(1) as u32,
            is_upgrade: release["IsUpgrade"].as_bool().unwrap_or(false),
        }),
        capabilities: CaseJob::capabilities().to_string(),
        targets: Vec::new(),
        options: RenderOptions {
            strict: false,
            now: Timestamp {
                seconds: NOW.0,
                nanoseconds: NOW.1,
            },
            seed: SEED,
            ..RenderOptions::default()
        },
    }
}

#[test]
fn template_cases_through_the_plugin() {
    let cache = tempfile::tempdir().expect("tempdir");
    let renderer = crate::builtin_renderer(cache.path());
    check_all("plugin", |case| match renderer.render(&job(case)) {
        Ok(Ok(out)) => Outcome::Rendered(
            out.templates
                .into_iter()
                .map(|t| (t.name, t.content))
                .collect(),
        ),
        Ok(Err(e)) => Outcome::Failed(e.message),
        Err(e) => Outcome::Crashed(e.to_string()),
    });
}
