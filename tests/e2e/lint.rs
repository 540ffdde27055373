//! `rudder lint` as a CI pipeline meets it: findings that name their object and point back
//! to the template line and values path, ignores that keep what they hide, `.rudder.yaml`
//! checked at load, exit codes, and every report format (SARIF checked against the SARIF
//! 2.1.0 schema and by Microsoft's SARIF multitool when `tests/sarif/setup` installed them).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Run, findings, repo_root, rudder, write_files};

const CHART_YAML: &str =
    "apiVersion: v2\nname: web\nversion: 1.0.0\nicon: https://example.com/i.png\n";
const VALUES: &str = "image:\n  repository: nginx\n  tag: latest\nprivileged: true\n";
const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  {{- with .Values.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            privileged: {{ .Values.privileged }}
"#;

/// A chart `web` in a fresh folder, with extra files.
fn chart(extra: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("web");
    let mut files = vec![
        ("Chart.yaml", CHART_YAML),
        ("values.yaml", VALUES),
        ("templates/deployment.yaml", DEPLOYMENT),
    ];
    files.extend_from_slice(extra);
    write_files(&root, &files);
    (dir, root)
}

fn lint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    rudder(dir, &all)
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

#[test]
fn findings_name_their_object_template_line_and_values_path() {
    let (dir, _) = chart(&[]);
    let run = lint(dir.path(), &["web", "--format", "json"]);
    // A privileged container is an error: the chart fails.
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["summary"]["failed"], 1);
    let privileged = findings(&report, "bp/privileged-container");
    assert_eq!(privileged.len(), 1, "{report:#}");
    let f = privileged[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["plugin"], "lint-practices");
    assert_eq!(f["file"], "templates/deployment.yaml");
    assert_eq!(f["object"]["kind"], "Deployment");
    assert_eq!(f["object"]["name"], "test-release-web");
    assert_eq!(
        f["path"],
        "spec.template.spec.containers[0].securityContext.privileged"
    );
    assert_eq!(f["source"]["file"], "web/templates/deployment.yaml");
    assert_eq!(f["source"]["line"], 23);
    assert_eq!(f["valuesPath"], "privileged");
    let latest = findings(&report, "bp/image-latest-tag");
    assert_eq!(latest.len(), 1, "{report:#}");
    assert_eq!(latest[0]["source"]["line"], 21);
    assert_eq!(latest[0]["valuesPath"], "image.repository");
    // Helm's own rules run too (this chart passes them), and the schema checks.
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "kube/schema")
    );
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"].as_str().unwrap().starts_with("helm/"))
    );

    // Text: Helm's line shape, the rule id, and where it came from.
    let text = lint(dir.path(), &["web"]);
    assert_eq!(text.code, Some(1));
    assert!(
        text.stdout.starts_with("==> Linting web\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(
            "[ERROR] templates/deployment.yaml: Deployment test-release-web at \
             spec.template.spec.containers[0].securityContext.privileged: "
        ),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("(bp/privileged-container)\n    at web/templates/deployment.yaml:23 (values: privileged)\n"), "{}", text.stdout);
    assert!(
        text.stderr
            .contains("Error: 1 chart(s) linted, 1 chart(s) failed"),
        "{}",
        text.stderr
    );
}

#[test]
fn an_ignore_annotation_suppresses_and_keeps_the_finding() {
    let values = "image:\n  repository: nginx\n  tag: \"1.27\"\nprivileged: true\nannotations:\n  rudder.dev/ignore: bp/privileged-container\n  rudder.dev/ignore-reason: the node agent needs it\n";
    let (dir, _) = chart(&[("values.yaml", values)]);
    let run = lint(dir.path(), &["web", "--format", "json"]);
    let report = json(&run);
    let f = findings(&report, "bp/privileged-container");
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(f[0]["suppressed"]["reason"], "the node agent needs it");
    assert!(report["summary"]["suppressed"].as_u64().unwrap() >= 1);
    // The only error is suppressed: the chart passes, and text leaves it out.
    assert_eq!(run.code, Some(0), "{report:#}");
    let text = lint(dir.path(), &["web"]);
    assert_eq!(text.code, Some(0), "{}{}", text.stdout, text.stderr);
    assert!(
        !text.stdout.contains("bp/privileged-container"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("1 chart(s) linted, 0 chart(s) failed"),
        "{}",
        text.stdout
    );
    // SARIF keeps it as a suppressed result.
    let sarif = lint(dir.path(), &["web", "--format", "sarif"]);
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "bp/privileged-container")
        .unwrap();
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        r["suppressions"][0]["justification"],
        "the node agent needs it"
    );
}

#[test]
fn rudder_yaml_sets_rules_and_is_checked_before_linting() {
    let (dir, _) = chart(&[(
        ".rudder.yaml",
        "lint:\n  rules:\n    bp/privileged-container: warning\n    bp/image-latest-tag: off\n",
    )]);
    let run = lint(dir.path(), &["web", "--format", "json"]);
    let report = json(&run);
    assert_eq!(
        findings(&report, "bp/privileged-container")[0]["severity"],
        "warning"
    );
    assert!(findings(&report, "bp/image-latest-tag").is_empty());
    assert_eq!(run.code, Some(0), "warnings do not fail: {report:#}");
    // --strict: warnings fail.
    assert_eq!(
        lint(dir.path(), &["web", "--strict", "--format", "json"]).code,
        Some(1)
    );

    // A rule no plugin offers, or settings a plugin refuses: exit 2, naming the file.
    let (dir, root) = chart(&[(
        ".rudder.yaml",
        "lint:\n  rules:\n    bp/no-such-rule: off\n",
    )]);
    let run = lint(dir.path(), &["web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("bp/no-such-rule"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    std::fs::write(
        root.join(".rudder.yaml"),
        "lint:\n  settings:\n    lint-practices:\n      noSuchSetting: 1\n",
    )
    .unwrap();
    let run = lint(dir.path(), &["web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("lint-practices") && run.stderr.contains("noSuchSetting"),
        "{}",
        run.stderr
    );
    std::fs::write(root.join(".rudder.yaml"), "lint:\n  rulez: {}\n").unwrap();
    let run = lint(dir.path(), &["web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(".rudder.yaml") && run.stderr.contains("rulez"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_values_matrix_lints_each_ci_case() {
    let (dir, _) = chart(&[
        (
            "ci/safe-values.yaml",
            "privileged: false\nimage:\n  tag: \"1.27\"\n",
        ),
        ("ci/other-values.yaml", "privileged: true\n"),
    ]);
    let run = lint(dir.path(), &["web", "--values-matrix", "--format", "json"]);
    let report = json(&run);
    let cases: Vec<&Value> = report["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["case"])
        .collect();
    assert_eq!(cases.len(), 3, "{report:#}");
    assert_eq!(cases[0], &Value::Null);
    assert_eq!(cases[1], "ci/other-values.yaml");
    assert_eq!(cases[2], "ci/safe-values.yaml");
    let safe = &report["charts"][2];
    assert!(
        !safe["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "bp/privileged-container")
    );
    assert_eq!(safe["failed"], false);
}

#[test]
fn what_is_not_a_chart_is_a_usage_error_and_output_is_written_whole() {
    let (dir, _) = chart(&[]);
    let run = lint(dir.path(), &["web", "nothing-here"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unable to check Chart.yaml file in chart"),
        "{}",
        run.stderr
    );

    let out = dir.path().join("report.xml");
    let run = lint(
        dir.path(),
        &[
            "web",
            "--format",
            "junit",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.is_empty());
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"),
        "{xml}"
    );
    assert!(xml.contains("<testsuite name=\"web\""), "{xml}");
    assert!(
        xml.contains("<failure message=") && xml.contains("type=\"error\""),
        "{xml}"
    );
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );

    let gh = lint(dir.path(), &["web", "--format", "github"]);
    let line = gh
        .stdout
        .lines()
        .find(|l| l.contains("bp/privileged-container"))
        .unwrap();
    assert!(
        line.starts_with(
            "::error file=web/templates/deployment.yaml,line=23,title=bp/privileged-container::"
        ),
        "{line}"
    );
}

/// The SARIF tools `tests/sarif/setup` installs, if it did.
fn sarif_tools() -> Option<PathBuf> {
    let dir = std::env::var_os("RUDDER_SARIF_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/rudder-sarif"))
        })?;
    if dir.join("STAMP").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("RUDDER_REQUIRE_ORACLES").is_none(),
        "RUDDER_REQUIRE_ORACLES is set but the SARIF tools are not installed in {}",
        dir.display()
    );
    eprintln!("SARIF tools not installed (tests/sarif/setup): schema checks skipped");
    None
}

#[test]
fn sarif_reports_are_valid_sarif_2_1_0() {
    let Some(tools) = sarif_tools() else {
        return;
    };
    let (dir, _) = chart(&[(
        "templates/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: nothing\n  ports:\n    - port: \"80\"\n",
    )]);
    let out = dir.path().join("report.sarif");
    let run = lint(
        dir.path(),
        &["web", "--format", "sarif", "-o", out.to_str().unwrap()],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        doc["runs"][0]["results"].as_array().unwrap().len() >= 3,
        "{doc:#}"
    );

    // The OASIS schema, by a JSON Schema validator.
    let schema_file = tools.join("schema").join("sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_file).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Microsoft's multitool (and the GitHub rules), through the script that reads its log.
    let check = std::process::Command::new(repo_root().join("tests/sarif/validate"))
        .arg(&out)
        .env("RUDDER_SARIF_TOOLS", &tools)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
