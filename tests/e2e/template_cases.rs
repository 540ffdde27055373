//! The differential template cases (`tests/template-cases`) through the built-in template
//! plugin: the engine compiled to WebAssembly, called by the host as `rudder template` calls
//! it. The same cases run natively in the engine's own tests; both must agree with Helm.

use rudder::plugin::bindings::File;
use rudder::plugin::bindings::render::{Chart, RenderJob, RenderOptions, Timestamp};
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
    RenderJob {
        charts: vec![Chart {
            parent: None,
            values_key: String::new(),
            path: "c".into(),
            metadata: CaseJob::metadata().to_string(),
            templates: files(&case.templates),
            files: files(&case.files),
            subcharts: Vec::new(),
        }],
        values: case.values.to_string(),
        release: CaseJob::release().to_string(),
        capabilities: CaseJob::capabilities().to_string(),
        targets: Vec::new(),
        options: RenderOptions {
            strict: false,
            now: Timestamp {
                seconds: NOW.0,
                nanoseconds: NOW.1,
            },
            seed: SEED,
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
