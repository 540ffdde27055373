//! A parent chart with one subchart, checked against what `helm template` printed for the
//! same chart (values already coalesced the way Helm coalesces them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failing test reports by panicking"
)]

use rudder_gotmpl::func::Offline;
use rudder_gotmpl::render::{Chart, Job, render};
use serde_json::json;

fn file(path: &str, text: &str) -> (String, Vec<u8>) {
    (path.to_string(), text.as_bytes().to_vec())
}

fn job() -> Job {
    let parent = Chart {
        parent: None,
        values_key: String::new(),
        path: "p".into(),
        metadata: json!({"apiVersion": "v2", "name": "p", "version": "1.0.0",
                         "dependencies": [{"name": "child", "version": "0.2.0"}]}),
        templates: vec![
            file(
                "templates/a.yaml",
                "parent: {{ .Values.x }} {{ .Chart.Name }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }}\n\
                 subs: {{ .Subcharts.child.Values.y }} {{ .Subcharts.child.Chart.Name }} {{ keys .Subcharts }}\n\
                 inc: {{ include \"childhelper\" . }}\n\
                 shared: {{ include \"shared\" . }}\n",
            ),
            file(
                "templates/_h.tpl",
                "{{ define \"shared\" }}parent-version{{ end }}\n",
            ),
        ],
        files: vec![],
        subcharts: vec![1],
    };
    let child = Chart {
        parent: Some(0),
        values_key: "child".into(),
        path: "p/charts/child".into(),
        metadata: json!({"apiVersion": "v2", "name": "child", "version": "0.2.0"}),
        templates: vec![
            file(
                "templates/b.yaml",
                "child: {{ .Values.y }} {{ .Values.z }} {{ .Values.global.g }} {{ .Chart.Name }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }} [{{ .Values.x }}]\n\
                 h: {{ include \"childhelper\" . }}\n",
            ),
            file(
                "templates/_h.tpl",
                "{{ define \"childhelper\" }}from-child-{{ .Chart.Name }}{{ end }}\n{{ define \"shared\" }}child-version{{ end }}\n",
            ),
        ],
        files: vec![],
        subcharts: vec![],
    };
    Job {
        charts: vec![parent, child],
        values: rudder_gotmpl::value::Value::from_json(
            &json!({"x": "parent", "global": {"g": 1.0},
                       "child": {"true": "fromparent", "z": "childdefault", "global": {"g": 1.0}}}),
        ),
        release: json!({"Name": "x", "Namespace": "default", "Revision": 1, "IsInstall": true,
                        "IsUpgrade": false, "Service": "Helm"}),
        capabilities: json!({"KubeVersion": {"Version": "v1.35.0", "Major": "1", "Minor": "35"}}),
        targets: vec![],
        strict: false,
        lint: false,
        now: (0, 0),
        seed: 0,
    }
}

#[test]
fn parent_and_subchart() {
    let out = render(&job(), &Offline).expect("render");
    let get = |n: &str| {
        out.iter()
            .find(|(name, _)| name == n)
            .map(|(_, t)| t.as_str())
            .unwrap_or("<missing>")
    };
    assert_eq!(
        get("p/charts/child/templates/b.yaml"),
        "child:  childdefault 1 child false p/charts/child/templates/b.yaml p/charts/child/templates []\n\
         h: from-child-child\n"
    );
    assert_eq!(
        get("p/templates/a.yaml"),
        "parent: parent p true p/templates/a.yaml p/templates\n\
         subs:  child [child]\n\
         inc: from-child-p\n\
         shared: parent-version\n"
    );
    // Partials are not rendered.
    assert_eq!(out.len(), 2);
}

#[test]
fn targets_select_templates() {
    let mut j = job();
    j.targets = vec!["p/templates/a.yaml".into()];
    let out = render(&j, &Offline).expect("render");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0, "p/templates/a.yaml");
}

#[test]
fn error_positions() {
    let mut j = job();
    j.charts[0].templates[0] = file("templates/a.yaml", "ok\n  {{ .Values.nope.x }}\n");
    let e = render(&j, &Offline).expect_err("error");
    assert_eq!(
        e.message,
        "p/templates/a.yaml:2:12\n  executing \"p/templates/a.yaml\" at <.Values.nope.x>:\n    nil pointer evaluating interface {}.x"
    );
    assert_eq!(e.file.as_deref(), Some("p/templates/a.yaml"));
    assert_eq!((e.line, e.column), (2, 13));
    assert_eq!(e.source_line.as_deref(), Some("  {{ .Values.nope.x }}"));
    assert_eq!(e.call_stack, vec!["p/templates/a.yaml".to_string()]);
}

#[test]
fn strict_mode_missing_key() {
    let mut j = job();
    j.strict = true;
    j.targets = vec!["p/templates/a.yaml".into()];
    j.charts[0].templates[0] = file("templates/a.yaml", "{{ .Values.nope }}");
    let e = render(&j, &Offline).expect_err("error");
    assert_eq!(
        e.message,
        "p/templates/a.yaml:1:10\n  executing \"p/templates/a.yaml\" at <.Values.nope>:\n    map has no entry for key \"nope\""
    );
}

/// Helm allows 1000 nested `include`s of one name; measure the stack that takes
/// (`RUDDER_STACK_KB=... cargo test --release --test subcharts deep -- --ignored`).
#[test]
#[ignore]
fn deep_include_stack() {
    let kb: usize = std::env::var("RUDDER_STACK_KB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8192);
    let t = std::thread::Builder::new()
        .stack_size(kb * 1024)
        .spawn(|| {
            let mut j = job();
            j.targets = vec!["p/templates/a.yaml".into()];
            j.charts[0].templates[0] = file("templates/a.yaml", "{{ include \"inf\" . }}");
            j.charts[0].templates[1] = file(
                "templates/_h.tpl",
                "{{ define \"inf\" }}{{ include \"inf\" . }}{{ end }}",
            );
            let e = render(&j, &Offline).expect_err("error");
            assert!(e.message.contains("nested reference name: inf"));
        })
        .expect("thread");
    t.join().expect("no overflow");
}
