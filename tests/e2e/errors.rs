//! Bad input gets a clear message naming the file, line or flag, exit code 1, and no output.
//! The expected texts are Helm v4.1.4's messages for the same input (rudder may add context).

use std::path::Path;

use crate::{Run, repo_root, rudder};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Asserts a failure with exit code 1, nothing on stdout, and every `needle` on stderr.
fn assert_fails(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, Some(1), "exit code; stderr: {}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing half-written on stdout: {}",
        run.stdout
    );
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn missing_chart_yaml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run = rudder(dir.path(), &["template", "x", "empty"]);
    assert_fails(&run, &["unable to detect chart", "empty", "Chart.yaml"]);
    // Helm's text, with the folder made absolute.
    let abs = dir.path().join("empty").join("Chart.yaml");
    let abs = abs.display();
    assert!(
        run.stderr.contains(&format!(
            "Error: unable to detect chart at {abs}: open {abs}: no such file or directory"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_chart_paths_are_reported_as_helm_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    for (arg, want) in [
        ("./nope", r#"Error: path "./nope" not found"#),
        ("charts/nope", "Error: repo charts not found"),
        (
            "nope",
            "Error: non-absolute URLs should be in form of repo_name/path_to_chart, got: nope",
        ),
    ] {
        let run = rudder(dir.path(), &["template", "x", arg]);
        assert_fails(&run, &[want]);
    }
}

#[test]
fn invalid_chart_yaml_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("bad");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: bad\n").unwrap();
    let run = rudder(dir.path(), &["template", "x", "bad"]);
    assert_fails(&run, &["chart.metadata.version is required"]);
}

#[test]
fn values_file_syntax_error_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "a: [1, 2\nb: 3\n").unwrap();
    let chart = repo_root().join("charts/hello");
    let run = rudder(
        dir.path(),
        &["template", "x", chart.to_str().unwrap(), "-f", "bad.yaml"],
    );
    assert_fails(
        &run,
        &["bad.yaml", "line 1", "did not find expected ',' or ']'"],
    );
}

#[test]
fn missing_values_file_is_named() {
    let chart = repo_root().join("charts/hello");
    let run = rudder(
        repo_root(),
        &[
            "template",
            "x",
            chart.to_str().unwrap(),
            "-f",
            "no-such-values.yaml",
        ],
    );
    assert_fails(&run, &["no-such-values.yaml"]);
}

#[test]
fn bad_flags_are_reported_by_name() {
    // (what the case is, the arguments, what the error must say)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "bad_set_json_names_the_flag",
            &["template", "x", "charts/hello", "--set-json", "a={not json"],
            &["--set-json", "a={not json"],
        ),
        (
            "invalid_release_name_is_rejected",
            &["template", "Bad_Name", "charts/hello"],
            &["release name \"Bad_Name\": invalid release name"],
        ),
        (
            "unknown_kube_version_is_rejected",
            &["template", "x", "charts/hello", "--kube-version", "1"],
            &["invalid kube version '1'"],
        ),
    ];
    for (case, args, want) in cases {
        eprintln!("case {case}");
        assert_fails(&rudder(repo_root(), args), want);
    }
}

#[test]
fn missing_dependency_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("webapp");
    copy_dir(&repo_root().join("charts/webapp"), &chart);
    std::fs::remove_dir_all(chart.join("charts/cache")).unwrap();
    let run = rudder(dir.path(), &["template", "x", "webapp"]);
    assert_fails(&run, &["missing in charts/ directory: cache"]);
}

#[test]
fn schema_violation_names_path_and_rule() {
    let run = rudder(
        repo_root(),
        &[
            "template",
            "x",
            "charts/webapp",
            "--set",
            "service.port=abc",
        ],
    );
    assert_fails(
        &run,
        &["webapp:", "at '/service/port': got string, want integer"],
    );
}

#[test]
fn template_error_shows_position_and_source_line() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("hello");
    copy_dir(&repo_root().join("charts/hello"), &chart);
    std::fs::write(
        chart.join("templates/bad.yaml"),
        "x: {{ .Values.image.tag | trunc }}\n",
    )
    .unwrap();
    let run = rudder(dir.path(), &["template", "x", "hello"]);
    assert_fails(
        &run,
        &[
            "hello/templates/bad.yaml:1:26",
            "executing \"hello/templates/bad.yaml\" at <trunc>:",
            "wrong number of args for trunc: want 2 got 1",
            "| x: {{ .Values.image.tag | trunc }}",
        ],
    );
}

#[test]
fn incompatible_kube_version_is_rejected() {
    let run = rudder(
        repo_root(),
        &["template", "x", "charts/webapp", "--kube-version", "1.15"],
    );
    assert_fails(
        &run,
        &["chart requires kubeVersion: >=1.16.0-0 which is incompatible with Kubernetes v1.15"],
    );
}

#[test]
fn a_non_component_plugin_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("bogus.wasm");
    std::fs::write(&bogus, b"\0asm\x01\0\0\0not really").unwrap();
    let run = rudder(
        repo_root(),
        &[
            "--plugin",
            bogus.to_str().unwrap(),
            "template",
            "x",
            "charts/hello",
        ],
    );
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    assert!(run.stderr.contains("bogus.wasm"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn plugin_list_and_inspect_show_the_builtin() {
    let run = rudder(repo_root(), &["plugin", "list"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("gotmpl"))
        .expect("gotmpl listed");
    for word in ["renderer", "0.1.0", "builtin"] {
        assert!(line.contains(word), "{line}");
    }
    let run = rudder(repo_root(), &["plugin", "inspect", "gotmpl"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("gotmpl") && run.stdout.contains("renderer"),
        "{}",
        run.stdout
    );
    let run = rudder(repo_root(), &["plugin", "inspect", "no-such-plugin"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-plugin"), "{}", run.stderr);
}

#[test]
fn plugins_from_flags_are_listed_and_inspected() {
    let echo = Path::new(env!("RUDDER_TEST_GUESTS")).join("rudder_test_echo.wasm");
    let echo = echo.to_str().unwrap();
    let run = rudder(repo_root(), &["--plugin", echo, "plugin", "list"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("echo") && l.contains(echo)),
        "{}",
        run.stdout
    );
    let run = rudder(repo_root(), &["plugin", "inspect", echo]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("echo"), "{}", run.stdout);
}

/// A copy of the hello chart with `templates/bad.yaml` holding `text`, rendered.
fn render_bad_template(text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("hello");
    copy_dir(&repo_root().join("charts/hello"), &chart);
    std::fs::write(chart.join("templates/bad.yaml"), text).unwrap();
    rudder(dir.path(), &["template", "x", "hello"])
}

#[test]
fn unclosed_action_says_where_it_started() {
    // Helm: "Error: parse error at (hello/templates/bad.yaml:4): unclosed action started at
    // hello/templates/bad.yaml:2".
    let run = render_bad_template("a: 1\nb: {{ .Values.x \n\n");
    assert_fails(
        &run,
        &[
            "Error: parse error at (hello/templates/bad.yaml:4): unclosed action started at hello/templates/bad.yaml:2\n",
        ],
    );
    // On the action's own line there is nothing to add (Helm: "...:1): unclosed action").
    let run = render_bad_template("a: {{ .Values.x");
    assert_fails(
        &run,
        &["Error: parse error at (hello/templates/bad.yaml:1): unclosed action\n"],
    );
}

#[test]
fn undefined_function_caret_points_at_the_name() {
    let run = render_bad_template("a: 1\nb: {{ .Values.x | nosuch }}\n");
    assert_fails(
        &run,
        &[
            // Helm's text, then rudder's source line with a caret under the name.
            "Error: parse error at (hello/templates/bad.yaml:2): function \"nosuch\" not defined",
            "  --> hello/templates/bad.yaml:2\n   |\n   | b: {{ .Values.x | nosuch }}\n   |                   ^\n",
        ],
    );
    let run = render_bad_template("a: {{ $nope }}\n");
    assert_fails(
        &run,
        &[
            "Error: parse error at (hello/templates/bad.yaml:1): undefined variable \"$nope\"",
            "   | a: {{ $nope }}\n   |       ^\n",
        ],
    );
}

#[test]
fn remote_schema_reference_names_the_url_and_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("hello");
    copy_dir(&repo_root().join("charts/hello"), &chart);
    let url = "https://example.com/image.schema.json";
    std::fs::write(
        chart.join("values.schema.json"),
        format!(r#"{{"type":"object","properties":{{"image":{{"$ref":"{url}"}}}}}}"#),
    )
    .unwrap();
    let run = rudder(dir.path(), &["template", "x", "hello"]);
    assert_fails(
        &run,
        &[
            "hello/values.schema.json",
            &format!("refers to the remote schema {url}, and rudder does not fetch"),
            "--skip-schema-validation",
        ],
    );
    assert!(!run.stderr.contains("resolve-http"), "{}", run.stderr);
    let run = rudder(
        dir.path(),
        &["template", "x", "hello", "--skip-schema-validation"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// Go strings are bytes: bytes that are not UTF-8 pass through a template (from its own text
/// or from `.Files.Get`) and only fail where Helm fails, when the document is read as YAML.
/// Expected texts and output are Helm v4.1.4's for the same chart.
#[test]
fn bytes_that_are_not_utf8_fail_only_as_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::create_dir_all(chart.join("files")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("files/bin"), b"ab\xff\xfe\x00cd\n").unwrap();
    let good = b"a: {{ .Files.Get \"files/bin\" | b64enc }}\n{{/* \xff */}}b: {{ len (.Files.Get \"files/bin\") }}\n";
    std::fs::write(chart.join("templates/a.yaml"), good).unwrap();
    let run = rudder(dir.path(), &["template", "x", "c"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "---\n# Source: c/templates/a.yaml\na: YWL//gBjZAo=\nb: 8\n"
    );

    for (name, text) in [
        ("b.yaml", &b"# \xff\nx: 1\n"[..]),
        ("b.yaml", &b"x: {{ .Files.Get \"files/bin\" }}\n"[..]),
    ] {
        std::fs::write(chart.join("templates").join(name), text).unwrap();
        let run = rudder(dir.path(), &["template", "x", "c"]);
        assert_fails(
            &run,
            &[
                "Error: YAML parse error on c/templates/b.yaml: error converting YAML to JSON: yaml: invalid leading UTF-8 octet",
            ],
        );
    }
    std::fs::write(chart.join("templates/b.yaml"), b"x: \"\xc3\"\n").unwrap();
    let run = rudder(dir.path(), &["template", "x", "c"]);
    assert_fails(&run, &["yaml: invalid trailing UTF-8 octet"]);
}
