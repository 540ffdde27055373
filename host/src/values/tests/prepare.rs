//! End-to-end preparation of small charts; expectations come from Helm v4.1.4 (fixtures.rs).

use serde_json::Value;

use crate::chart;
use crate::values::{Options, ValuesError, prepare, user_values};

include!("fixtures.rs");

/// Compares numbers as float64 (Helm's toJson prints 1 for both int64 and float64 1).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
            .map_or(Value::Null, Value::Number),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        v => v.clone(),
    }
}

fn options(args: &[&str]) -> Options {
    let mut o = Options::default();
    for pair in args.chunks(2) {
        let v = pair[1].to_string();
        match pair[0] {
            "--set" => o.set.push(v),
            "--set-string" => o.set_string.push(v),
            "--set-json" => o.set_json.push(v),
            "-f" => o.values_files.push(v.into()),
            other => panic!("unknown flag {other}"),
        }
    }
    o
}

pub(super) fn write_chart(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, c) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, c).expect("write");
    }
    dir
}

#[test]
fn fixtures_match_helm() {
    for f in FIXTURES {
        let dir = write_chart(f.files);
        let c = chart::load(dir.path()).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        let user = user_values(&options(f.args)).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        let p = prepare(c, user).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        let want: Value = serde_json::from_str(f.want).expect("fixture JSON");
        assert_eq!(normalize(&p.values), normalize(&want), "{}", f.name);
    }
}

#[test]
fn aliases_and_disabled_charts_in_the_tree() {
    let f = &FIXTURES[0];
    let dir = write_chart(f.files);
    let c = chart::load(dir.path()).expect("load");
    let p = prepare(c, user_values(&options(f.args)).expect("values")).expect("prepare");
    let names: Vec<&str> = p.chart.dependencies.iter().map(|c| c.name()).collect();
    // Helm: first (condition), second (tag t1 true), lib; third (tag t2 false) and other
    // (condition false) are removed.
    assert_eq!(names, vec!["first", "second", "lib"]);
    let md: Vec<&str> = p
        .chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(md, vec!["first", "second", "lib"]);
    assert!(p.chart.metadata.dependencies.iter().all(|d| d.enabled));
    assert_eq!(
        p.chart.metadata.dependencies[0].import_values,
        vec![
            serde_json::json!({"child": "exports.data", "parent": "."}),
            serde_json::json!({"child": "exports.data", "parent": "imported.deep"}),
        ]
    );
    assert!(p.chart.dependencies[2].is_library());
}

#[test]
fn missing_dependency_is_an_error_naming_it() {
    let dir = write_chart(&[(
        "Chart.yaml",
        "apiVersion: v2\nname: e\nversion: 1.0.0\ndependencies: [{name: x, version: 1.0.0, repository: 'file://x'}]\n",
    )]);
    let c = chart::load(dir.path()).expect("load");
    let e = prepare(c, Value::Null).expect_err("missing dep");
    assert!(matches!(e, ValuesError::MissingDependencies(ref v) if v == &["x"]));
    assert!(
        e.to_string()
            .ends_with("found in Chart.yaml, but missing in charts/ directory: x")
    );
}

#[test]
fn version_mismatch_keeps_the_chart_unaliased_like_helm() {
    // Helm v4.1.4 renders this: the vendored sub 1.0.0 does not satisfy ~2.0.0, so the alias
    // is not applied and the chart stays under its own name.
    let dir = write_chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: \"~2.0.0\"\n  repository: file://x\n  alias: subby\n",
        ),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        ),
        ("charts/sub/values.yaml", "a: 1\n"),
    ]);
    let p = prepare(chart::load(dir.path()).expect("load"), Value::Null).expect("prepare");
    assert_eq!(p.chart.dependencies[0].name(), "sub");
    assert_eq!(
        normalize(&p.values),
        normalize(&serde_json::json!({"sub": {"a": 1, "global": {}}}))
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("constraint") && w.contains("chart=sub"))
    );
}

#[test]
fn coalescing_warnings_like_helm() {
    let dir = write_chart(&[
        ("Chart.yaml", "apiVersion: v2\nname: dump\nversion: 0.1.0\n"),
        (
            "values.yaml",
            "a:\n  b:\n    c: 1\n    d: [1,2]\n  e: 1\nx: 1\n",
        ),
    ]);
    let user = user_values(&options(&[
        "--set", "a.b=1", "--set", "a.e.f=2", "--set", "x.y=1",
    ]))
    .expect("values");
    let p = prepare(chart::load(dir.path()).expect("load"), user).expect("prepare");
    // The lines Helm v4.1.4 printed for the same chart and flags.
    assert_eq!(
        p.warnings,
        vec![
            r#"level=INFO msg="warning: cannot overwrite table with non table for dump.a.b (map[c:1 d:[1 2]])""#,
            r#"level=INFO msg="warning: destination for dump.a.e is a table. Ignoring non-table value (1)""#,
            r#"level=INFO msg="warning: skipped value for dump.x: Not a table.""#,
        ]
    );
}

#[test]
fn schema_errors_for_root_and_aliased_subchart() {
    let dir = write_chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: \"~1.0.0\"\n  repository: file://x\n  alias: subby\n",
        ),
        (
            "values.schema.json",
            r#"{"type":"object","properties":{"port":{"type":"integer"}}}"#,
        ),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        ),
        ("charts/sub/values.yaml", "a: x\n"),
        (
            "charts/sub/values.schema.json",
            r#"{"type":"object","properties":{"a":{"$ref":"defs.json#/string"}}}"#,
        ),
        ("charts/sub/defs.json", r#"{"string":{"type":"string"}}"#),
    ]);
    let user = user_values(&options(&["--set", "port=1.5", "--set", "subby.a=1"])).expect("values");
    let e = prepare(chart::load(dir.path()).expect("load"), user).expect_err("schema");
    assert_eq!(
        e.to_string(),
        "values don't meet the specifications of the schema(s) in the following chart(s):\np:\n- at '/port': got string, want integer\nsubby:\n- at '/a': got number, want string\n"
    );
    let user = user_values(&options(&["--set", "port=2"])).expect("values");
    assert!(prepare(chart::load(dir.path()).expect("load"), user).is_ok());
}

#[test]
fn warnings_repeat_like_helm() {
    // Helm v4.1.4 logs this warning twice for a chart with dependencies: once while
    // processing dependencies, once while coalescing for rendering.
    let dir = write_chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 1.0.0\n  repository: file://x\n",
        ),
        ("values.yaml", "a:\n  b: {c: 1}\n"),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        ),
    ]);
    let user = user_values(&options(&["--set", "a.b=1"])).expect("values");
    let p = prepare(chart::load(dir.path()).expect("load"), user).expect("prepare");
    let line =
        r#"level=INFO msg="warning: cannot overwrite table with non table for p.a.b (map[c:1])""#;
    assert_eq!(p.warnings, vec![line, line]);
}
