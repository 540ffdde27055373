//! A rough timing of `render` on a chart directory (no subcharts), for comparing with
//! `helm template`: `RUDDER_BENCH_CHART=path cargo test --release -p rudder-gotmpl --test bench
//! -- --ignored --nocapture`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failing test reports by panicking"
)]

use std::path::Path;
use std::time::Instant;

use rudder_gotmpl::func::Offline;
use rudder_gotmpl::render::{Chart, Job, render};
use serde_json::json;

fn read_dir(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            read_dir(root, &p, out);
        } else if let (Ok(rel), Ok(data)) = (p.strip_prefix(root), std::fs::read(&p)) {
            out.push((rel.to_string_lossy().into_owned(), data));
        }
    }
}

#[test]
#[ignore]
fn bench_chart() {
    let Ok(dir) = std::env::var("RUDDER_BENCH_CHART") else {
        println!("set RUDDER_BENCH_CHART to a chart directory");
        return;
    };
    let root = Path::new(&dir);
    let mut templates = Vec::new();
    read_dir(root, &root.join("templates"), &mut templates);
    let values = std::fs::read_to_string(root.join("values.yaml")).unwrap_or_default();
    let values = rudder_yaml::load_values(&values).expect("values");
    let job = Job {
        charts: vec![Chart {
            parent: None,
            values_key: String::new(),
            path: "c".into(),
            metadata: json!({"apiVersion": "v2", "name": "c", "version": "0.1.0", "appVersion": "1.0.0"}),
            templates,
            files: vec![],
            subcharts: vec![],
        }],
        values: rudder_gotmpl::value::Value::from_json(&serde_json::Value::Object(values)),
        release: json!({"Name": "x", "Namespace": "default", "Revision": 1, "IsInstall": true,
                        "IsUpgrade": false, "Service": "Helm"}),
        capabilities: json!({"KubeVersion": {"Version": "v1.35.0", "Major": "1", "Minor": "35"},
                             "APIVersions": ["v1"], "HelmVersion": {}}),
        targets: vec![],
        strict: false,
        lint: false,
        now: (0, 0),
        seed: 1,
    };
    let n = 20;
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        let out = render(&job, &Offline).expect("render");
        bytes = out.iter().map(|(_, t)| t.len()).sum::<usize>();
    }
    let per = start.elapsed() / n;
    println!("render: {per:?} per run, {bytes} bytes of output");
}
