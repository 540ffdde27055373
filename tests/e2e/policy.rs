//! Organisation policies end to end: `.rudder.yaml`'s `policies` run by `rudder lint`
//! (enforced and monitored, built in, pinned by sha256, Rego), hostile policies that give
//! an error finding while the others' results still come, `rudder policy test` over the
//! example policies' suites, and the policy that `docs/plugins.md` writes, built outside the
//! workspace for `wasm32-wasip2` and loaded with `--plugin`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::Digest as _;

use crate::{Run, findings, repo_root, rudder, write_files};

const CHART_YAML: &str = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      containers:
        - name: web
          image: "nginx:latest"
"#;

/// A chart `web` in a fresh folder, with extra files (a `.rudder.yaml`, policies...).
fn chart(extra: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("web");
    let mut files = vec![
        ("Chart.yaml", CHART_YAML),
        ("values.yaml", ""),
        ("templates/deployment.yaml", DEPLOYMENT),
    ];
    files.extend_from_slice(extra);
    write_files(&root, &files);
    (dir, root)
}

fn lint_json(dir: &Path, extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["lint", "web", "--format", "json"];
    args.extend_from_slice(extra);
    let run = rudder(dir, &args);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run, report)
}

fn sha256(path: &Path) -> String {
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

fn hostile() -> PathBuf {
    Path::new(env!("RUDDER_TEST_GUESTS")).join("rudder_test_policy_hostile.wasm")
}

const REQUIRE_OWNER: &str = "- name: required-labels\n  settings: {labels: [owner]}\n";

#[test]
fn lint_runs_enforced_and_monitored_policies() {
    let config = format!("policies:\n{}", indent(REQUIRE_OWNER));
    let (dir, _) = chart(&[(".rudder.yaml", &config)]);
    let (run, report) = lint_json(dir.path(), &[]);
    let found = findings(&report, "required-labels/missing-label");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    let f = found[0];
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap().contains("owner"), "{f}");
    assert_eq!(f["object"]["kind"], "Deployment");
    assert_eq!(f["object"]["name"], "web");
    assert!(f["suppressed"].is_null(), "{f}");
    assert_eq!(run.code, Some(1), "{}", run.stderr);

    // SARIF: the result, with a rule entry for the policy's code.
    let sarif = rudder(dir.path(), &["lint", "web", "--format", "sarif"]);
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let index = rules
        .iter()
        .position(|r| r["id"] == "required-labels/missing-label")
        .expect("a rule entry for the policy's code");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "required-labels/missing-label")
        .expect("the policy's result");
    assert_eq!(result["ruleIndex"], index);
    assert_eq!(result["level"], "error");

    // Monitored: still reported, as suppressed, and it does not change the exit code.
    let config = "policies:\n  - name: required-labels\n    mode: monitor\n    settings: {labels: [owner]}\n";
    let (dir, _) = chart(&[(".rudder.yaml", config)]);
    let (run, report) = lint_json(dir.path(), &[]);
    let found = findings(&report, "required-labels/missing-label");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert!(
        found[0]["suppressed"]["reason"]
            .as_str()
            .unwrap()
            .contains("monitor"),
        "{}",
        found[0]
    );
    let (dir, _) = chart(&[]);
    let (without, _) = lint_json(dir.path(), &[]);
    assert_eq!(run.code, without.code, "{}\n{}", run.stdout, run.stderr);
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

#[test]
fn policy_settings_are_checked_before_any_chart_renders() {
    let config = "policies:\n  - name: required-labels\n    settings: {labels: owner}\n";
    let (dir, _) = chart(&[(".rudder.yaml", config)]);
    let run = rudder(dir.path(), &["lint", "web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("required-labels"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    let config = "policies:\n  - name: no-such-policy\n";
    let (dir, _) = chart(&[(".rudder.yaml", config)]);
    let run = rudder(dir.path(), &["lint", "web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("no-such-policy"), "{}", run.stderr);
}

#[test]
fn a_policy_from_a_path_is_pinned_by_its_sha256() {
    let path = hostile();
    let good = format!(
        "policies:\n  - path: {}\n    sha256: {}\n",
        path.display(),
        sha256(&path)
    );
    let (dir, _) = chart(&[(".rudder.yaml", &good)]);
    let (run, report) = lint_json(dir.path(), &[]);
    assert_eq!(findings(&report, "hostile/ok").len(), 1, "{}", run.stderr);

    let bad = format!(
        "policies:\n  - path: {}\n    sha256: \"{}\"\n",
        path.display(),
        "0".repeat(64)
    );
    let (dir, _) = chart(&[(".rudder.yaml", &bad)]);
    let run = rudder(dir.path(), &["lint", "web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("sha256") && run.stderr.contains(&sha256(&path)),
        "{}",
        run.stderr
    );

    let unpinned = format!("policies:\n  - path: {}\n", path.display());
    let (dir, _) = chart(&[(".rudder.yaml", &unpinned)]);
    let run = rudder(dir.path(), &["lint", "web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("sha256"), "{}", run.stderr);
}

#[test]
fn a_hostile_policy_gives_an_error_finding_and_the_others_still_report() {
    let path = hostile();
    for mode in ["loop", "alloc", "garbage", "panic"] {
        let config = format!(
            "policies:\n{}  - path: {}\n    sha256: {}\n    settings: {{mode: {mode}}}\n",
            indent(REQUIRE_OWNER),
            path.display(),
            sha256(&path)
        );
        let (dir, _) = chart(&[(".rudder.yaml", &config)]);
        let (run, report) = lint_json(
            dir.path(),
            &["--plugin-timeout", "2", "--plugin-memory", "128"],
        );
        let errors = findings(&report, "rudder/policy-error");
        assert_eq!(errors.len(), 1, "{mode}: {}\n{}", run.stdout, run.stderr);
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.contains("hostile"), "{mode}: {message}");
        assert!(
            message.len() < 16_000,
            "{mode}: the garbage is not repeated"
        );
        assert_eq!(
            findings(&report, "required-labels/missing-label").len(),
            1,
            "{mode}: the other policy's finding is missing\n{}",
            run.stdout
        );
        assert_eq!(run.code, Some(1), "{mode}: {}", run.stderr);
    }
}

#[test]
fn rego_policies_run_with_conftest_conventions() {
    let policy = r#"package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	not input.metadata.labels.owner
	msg := sprintf("%s %s has no owner label", [input.kind, input.metadata.name])
}

warn contains msg if {
	some c in input.spec.template.spec.initContainers
	msg := sprintf("init container %s", [c.name])
}

warn_latest contains msg if {
	some c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("container %s uses a latest tag", [c.name])
}
"#;
    let config = "policies:\n  - name: rego\n    settings:\n      policy: [policy/]\n";
    let (dir, _) = chart(&[(".rudder.yaml", config), ("policy/deploy.rego", policy)]);
    let (run, report) = lint_json(dir.path(), &[]);
    let deny = findings(&report, "rego/deny");
    assert_eq!(deny.len(), 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(deny[0]["message"], "Deployment web has no owner label");
    assert_eq!(deny[0]["severity"], "error");
    let warn = findings(&report, "rego/warn_latest");
    assert_eq!(warn.len(), 1, "{}", run.stdout);
    assert_eq!(warn[0]["severity"], "warning");
    // `initContainers:` renders as null: OPA iterates nothing there, and so does rudder.
    assert!(findings(&report, "rego/warn").is_empty(), "{}", run.stdout);

    let broken = "package main\n\ndeny contains msg if {\n  msg := \n}\n";
    let (dir, _) = chart(&[(".rudder.yaml", config), ("policy/bad.rego", broken)]);
    let run = rudder(dir.path(), &["lint", "web"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("bad.rego"), "{}", run.stderr);
}

#[test]
fn the_example_policies_pass_their_suites() {
    let run = rudder(repo_root(), &["policy", "test", "tests/policies"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    for name in [
        "required-labels",
        "allowed-registries",
        "forbid-privileged",
        "resource-limits",
        "service-types",
    ] {
        assert!(run.stdout.contains(&format!("({name})")), "{}", run.stdout);
    }
    assert!(run.stdout.contains(" 0 failed"), "{}", run.stdout);
    assert!(!run.stdout.contains("FAIL"), "{}", run.stdout);
}

#[test]
fn a_failing_case_exits_1_with_expected_and_actual() {
    let dir = tempfile::tempdir().unwrap();
    let suite = r#"policy: required-labels
settings: {labels: [owner]}
cases:
  - name: wrong expectation
    manifests: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
    expect:
      - {code: missing-annotation, object: ConfigMap/settings}
  - name: right expectation
    manifests: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
    expect:
      - {code: missing-label, object: ConfigMap/settings}
"#;
    std::fs::write(dir.path().join("suite.yaml"), suite).unwrap();
    let run = rudder(dir.path(), &["policy", "test", "."]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("FAIL  wrong expectation"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ok    right expectation"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- expected: missing-annotation ConfigMap/settings"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("+ actual:   missing-label ConfigMap/settings"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 passed, 1 failed"), "{}", run.stdout);

    let empty = tempfile::tempdir().unwrap();
    let run = rudder(empty.path(), &["policy", "test", "."]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

/// The policy `docs/plugins.md` writes: its files taken from the page, built for
/// `wasm32-wasip2` in a folder outside the workspace (against this checkout's SDK), then
/// loaded with `--plugin` over a chart whose image uses a `latest` tag.
#[test]
fn the_documented_policy_builds_loads_and_denies() {
    let doc = std::fs::read_to_string(repo_root().join("docs/plugins.md")).unwrap();
    let crate_dir = tempfile::tempdir().unwrap();
    let sdk = repo_root().join("crates/sdk").canonicalize().unwrap();
    for (name, text) in doc_files(&doc) {
        let text = text.replace(
            "rudder-sdk = { path = \"../rudder/crates/sdk\" }",
            &format!("rudder-sdk = {{ path = {:?} }}", sdk.display().to_string()),
        );
        let path = crate_dir.path().join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    assert!(
        crate_dir.path().join("Cargo.toml").is_file(),
        "no Cargo.toml in the page"
    );
    assert!(
        crate_dir.path().join("src/lib.rs").is_file(),
        "no src/lib.rs in the page"
    );
    // A folder of its own in the workspace's target folder, kept between runs.
    let target = repo_root().join("target/doc-policy");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(crate_dir.path())
        .args(["build", "--release", "--target", "wasm32-wasip2", "--quiet"])
        .env("CARGO_TARGET_DIR", &target);
    for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_TARGET"] {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "the documented policy does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wasm = target.join("wasm32-wasip2/release/my_policy.wasm");
    let (dir, _) = chart(&[]);
    let plugin = wasm.display().to_string();
    let (run, report) = lint_json(dir.path(), &["--plugin", &plugin]);
    let found = findings(&report, "no-latest/forbidden-tag");
    assert_eq!(found.len(), 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("nginx:latest"),
        "{}",
        found[0]
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

/// The `<!-- file: NAME -->` code blocks of a page: (name, text).
fn doc_files(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- file: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or("");
        assert!(
            fence.starts_with("```"),
            "{name}: no code block after the marker"
        );
        let mut text = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            text.push_str(l);
            text.push('\n');
        }
        out.push((name.to_string(), text));
    }
    out
}
