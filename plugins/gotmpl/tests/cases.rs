//! Runs every case of `tests/template-cases/*.txt` through [`render`] natively, the way the
//! `regen` script renders it with Helm: chart `c` (version 0.1.0, appVersion 1.0.0), release
//! `x` in namespace `ns`, and the case's template between two sentinels as
//! `c/templates/t.yaml`.

use std::path::{Path, PathBuf};

use rudder_gotmpl::func::Offline;
use rudder_gotmpl::render::{Chart, Job, render};
use serde_json::{Map, Value as J, json};

const BEGIN: &str = "<<<RUDDER-BEGIN>>>";
const END: &str = "<<<RUDDER-END>>>";

struct Case {
    name: String,
    sections: Vec<(String, String)>,
}

/// The case file format, read exactly as `regen` reads it.
fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut in_section = false;
    for line in text.split('\n') {
        if let Some(head) = line.strip_prefix("### ") {
            if let Some(name) = head.strip_prefix("case:") {
                cases.push(Case {
                    name: name.trim().to_string(),
                    sections: Vec::new(),
                });
                in_section = false;
                continue;
            }
            if let Some(c) = cases.last_mut() {
                c.sections.push((head.trim().to_string(), String::new()));
                in_section = true;
            }
        } else if in_section
            && let Some(c) = cases.last_mut()
            && let Some(s) = c.sections.last_mut()
        {
            s.1.push_str(line);
            s.1.push('\n');
        }
    }
    for c in &mut cases {
        let n = c.sections.len();
        for (i, s) in c.sections.iter_mut().enumerate() {
            // Drop the newline that ends the section's last line.
            if s.1.ends_with('\n') {
                s.1.pop();
            }
            if i + 1 == n {
                while s.1.ends_with('\n') {
                    s.1.pop();
                }
            }
        }
    }
    cases
}

fn api_versions() -> Vec<&'static str> {
    "v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 \
     admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 apps/v1 apps/v1beta1 \
     apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 \
     authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 \
     autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 batch/v1beta1 \
     certificates.k8s.io/v1 certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 \
     coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 coordination.k8s.io/v1 \
     discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 \
     extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta1 \
     flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 \
     networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 \
     policy/v1beta1 rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 \
     rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 \
     resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 \
     scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 \
     storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 \
     apiextensions.k8s.io/v1"
        .split_whitespace()
        .collect()
}

/// A `--set` value as Helm's strvals types it.
fn set_scalar(s: &str) -> J {
    match s {
        "true" => J::Bool(true),
        "false" => J::Bool(false),
        "null" => J::Null,
        _ => match s.parse::<i64>() {
            Ok(i) if !(s.len() > 1 && s.starts_with('0')) => J::from(i),
            _ => J::String(s.to_string()),
        },
    }
}

fn apply_set(values: &mut Map<String, J>, expr: &str) {
    for pair in expr.split(',') {
        let Some((key, val)) = pair.split_once('=') else {
            continue;
        };
        let parts: Vec<&str> = key.split('.').collect();
        let mut cur = &mut *values;
        for p in &parts[..parts.len() - 1] {
            let e = cur
                .entry(p.to_string())
                .or_insert_with(|| J::Object(Map::new()));
            if !e.is_object() {
                *e = J::Object(Map::new());
            }
            let J::Object(m) = e else { unreachable!() };
            cur = m;
        }
        let last = parts[parts.len() - 1].to_string();
        match set_scalar(val) {
            J::Null => {
                cur.remove(&last);
            }
            v => {
                cur.insert(last, v);
            }
        }
    }
}

fn job_for(case: &Case) -> Result<Job, String> {
    let mut templates = Vec::new();
    let mut files = Vec::new();
    let mut values = Map::new();
    let mut sets = Vec::new();
    for (head, body) in &case.sections {
        if head == "template" {
            templates.push((
                "templates/t.yaml".to_string(),
                format!("{BEGIN}{body}{END}").into_bytes(),
            ));
        } else if head == "values" {
            values = rudder_yaml::load_values(&format!("{body}\n"))
                .map_err(|e| format!("cannot load values.yaml: {e}"))?;
        } else if let Some(p) = head.strip_prefix("file:") {
            let p = p.trim().to_string();
            if p.starts_with("templates/") {
                templates.push((p, body.clone().into_bytes()));
            } else {
                files.push((p, body.clone().into_bytes()));
            }
        } else if let Some(s) = head.strip_prefix("set:") {
            sets.push(s.trim().to_string());
        }
    }
    for s in &sets {
        apply_set(&mut values, s);
    }
    Ok(Job {
        charts: vec![Chart {
            parent: None,
            values_key: String::new(),
            path: "c".into(),
            metadata: json!({"apiVersion": "v2", "name": "c", "version": "0.1.0", "appVersion": "1.0.0"}),
            templates,
            files,
            subcharts: vec![],
        }],
        values: J::Object(values),
        release: json!({"Name": "x", "Namespace": "ns", "Revision": 1, "IsInstall": true,
                        "IsUpgrade": false, "Service": "Helm"}),
        capabilities: json!({
            "KubeVersion": {"Version": "v1.35.0", "Major": "1", "Minor": "35"},
            "APIVersions": api_versions(),
            "HelmVersion": {"version": "v4.1.4", "git_commit": "05fa37973dc9e42b76e1d2883494c87174b6074f",
                            "git_tree_state": "clean", "go_version": "go1.25.9", "kube_client_version": "v1.35"},
        }),
        targets: vec![],
        strict: false,
        now: (1_700_000_000, 0),
        seed: 1,
    })
}

/// What the case produces: ("output", text) or ("error", message).
fn run(case: &Case) -> (String, String) {
    let job = match job_for(case) {
        Ok(j) => j,
        Err(e) => return ("error".into(), e),
    };
    match std::panic::catch_unwind(|| render(&job, &Offline)) {
        Err(_) => ("error".into(), "PANIC".into()),
        Ok(Err(e)) => ("error".into(), e.message),
        Ok(Ok(out)) => {
            let text = out
                .iter()
                .find(|(n, _)| n == "c/templates/t.yaml")
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            match (text.find(BEGIN), text.rfind(END)) {
                (Some(b), Some(e)) if e >= b + BEGIN.len() => {
                    ("output".into(), text[b + BEGIN.len()..e].to_string())
                }
                _ => ("output-without-sentinels".into(), text),
            }
        }
    }
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/template-cases")
}

#[test]
fn template_cases() {
    // Helm allows 1000 nested `include`s; give the engine the stack that takes.
    let t = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(run_all)
        .expect("thread");
    if let Err(e) = t.join() {
        std::panic::resume_unwind(e);
    }
}

fn run_all() {
    let only = std::env::var("CASES").ok();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/template-cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| {
            only.as_ref().is_none_or(|o| {
                o.split(',')
                    .any(|o| p.file_stem().is_some_and(|s| s.to_string_lossy() == o))
            })
        })
        .collect();
    paths.sort();
    let known = known_failures();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut failed = 0;
    let mut total = 0;
    let mut summary = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("case file");
        let cases = parse_cases(&text);
        let mut bad = 0;
        for c in &cases {
            let Some((kind, want)) = c
                .sections
                .iter()
                .find(|(h, _)| h == "output" || h == "error")
            else {
                continue;
            };
            let (got_kind, got) = run(c);
            // The case format cannot hold trailing newlines: `regen` drops them.
            let got = got.trim_end_matches('\n').to_string();
            let file = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = format!("{file}: {}", c.name);
            let is_known = known.contains(&id);
            if &got_kind != kind || &got != want {
                bad += 1;
                let tag = if is_known { "KNOWN" } else { "FAIL" };
                println!("{tag} {id}: want {kind} {want:?}, got {got_kind} {got:?}");
                if !is_known {
                    unexpected.push(id);
                }
            } else if is_known {
                fixed.push(id);
            }
        }
        total += cases.len();
        failed += bad;
        summary.push(format!(
            "{}: {}/{} pass",
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            cases.len() - bad,
            cases.len()
        ));
    }
    for s in &summary {
        println!("{s}");
    }
    println!(
        "total: {}/{} pass ({} known failures listed in known-failures.txt)",
        total - failed,
        total,
        known.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} template case(s) failed that are not known failures: {unexpected:#?}",
        unexpected.len()
    );
    assert!(
        fixed.is_empty() || only.is_some(),
        "these cases pass now: remove them from known-failures.txt: {fixed:#?}"
    );
}

/// `FILE.txt: CASE` lines of `tests/template-cases/known-failures.txt`: Helm behaviours the
/// engine does not reproduce yet. The list may only shrink: a listed case that passes fails
/// the test until it is removed.
fn known_failures() -> Vec<String> {
    let text = std::fs::read_to_string(cases_dir().join("known-failures.txt")).unwrap_or_default();
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}
