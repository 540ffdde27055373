//! Runs every case of `tests/template-cases/*.txt` through [`render`] natively. The same
//! cases run through the template plugin in the host's end-to-end tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failing test reports by panicking"
)]

use rudder_gotmpl::func::Offline;
use rudder_gotmpl::render::{Chart, Job, render};
use rudder_template_cases::{CaseJob, NOW, Outcome, SEED, check_all};

fn job(case: &CaseJob) -> Job {
    Job {
        charts: vec![Chart {
            parent: None,
            values_key: String::new(),
            path: "c".into(),
            metadata: CaseJob::metadata(),
            templates: case.templates.clone(),
            files: case.files.clone(),
            subcharts: vec![],
        }],
        values: rudder_gotmpl::value::Value::from_json(&case.values),
        release: CaseJob::release(),
        capabilities: CaseJob::capabilities(),
        targets: vec![],
        strict: false,
        lint: false,
        now: NOW,
        seed: SEED,
    }
}

fn run(case: &CaseJob) -> Outcome {
    let job = job(case);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(&job, &Offline))) {
        Err(_) => Outcome::Crashed("PANIC".into()),
        Ok(Err(e)) => Outcome::Failed(e.message),
        Ok(Ok(out)) => Outcome::Rendered(out),
    }
}

#[test]
fn template_cases() {
    // Helm allows 1000 nested `include`s; give the engine the stack that takes.
    let t = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(|| check_all("native", run))
        .expect("thread");
    if let Err(e) = t.join() {
        std::panic::resume_unwind(e);
    }
}
