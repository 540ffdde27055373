//! The best-practice rules against their fixtures (`tests/practices/<rule>/{fail,pass}.yaml`),
//! their documentation pages, and the rendered charts of the conformance corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rudder_lint::practices::{self, Settings};
use rudder_lint::{Finding, Object, Severity};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn name_of(id: &str) -> &str {
    id.strip_prefix("bp/").unwrap_or(id)
}

/// The documents of a rendered stream (empty ones left out).
fn load(text: &str) -> Result<Vec<Value>, rudder_yaml::Error> {
    Ok(rudder_yaml::from_str_multi(text)?
        .into_iter()
        .filter(|v| v.is_object())
        .collect())
}

fn hook_of(v: &Value) -> &str {
    v.pointer("/metadata/annotations/helm.sh~1hook")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn run(docs: &[Value], settings: &Settings) -> Vec<Finding> {
    let objects: Vec<Object> = docs
        .iter()
        .enumerate()
        .map(|(index, value)| Object {
            index,
            template: "fixture",
            hook: hook_of(value),
            value,
        })
        .collect();
    practices::check(&objects, settings)
}

fn fixture(rule: &str, which: &str) -> PathBuf {
    root()
        .join("tests/practices")
        .join(rule)
        .join(format!("{which}.yaml"))
}

#[test]
fn every_rule_fails_its_fail_fixture_and_passes_its_pass_fixture() {
    let settings = Settings::default();
    let mut problems = Vec::new();
    for rule in practices::rules() {
        let name = name_of(rule.id);
        for (which, want) in [("fail", true), ("pass", false)] {
            let path = fixture(name, which);
            let Ok(text) = std::fs::read_to_string(&path) else {
                problems.push(format!("{}: no {which}.yaml", rule.id));
                continue;
            };
            let docs = load(&text).unwrap();
            let findings = run(&docs, &settings);
            let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule.id).collect();
            if want && mine.is_empty() {
                problems.push(format!("{}: fail.yaml gives no finding", rule.id));
            }
            if !want && !mine.is_empty() {
                problems.push(format!("{}: pass.yaml gives {:?}", rule.id, mine));
            }
            for f in &mine {
                assert_eq!(f.severity, rule.severity);
                assert!(f.object.is_some_and(|i| i < docs.len()), "{f:?}");
                assert!(f.path.as_deref().is_some_and(|p| !p.is_empty()), "{f:?}");
                assert!(!f.message.is_empty());
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_folder_names_a_rule_and_every_rule_has_a_page() {
    let names: Vec<&str> = practices::rules().iter().map(|r| name_of(r.id)).collect();
    for entry in std::fs::read_dir(root().join("tests/practices")).unwrap() {
        let entry = entry.unwrap();
        let folder = entry.file_name().into_string().unwrap();
        assert!(
            names.contains(&folder.as_str()),
            "fixture folder {folder} names no rule"
        );
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let file = file.unwrap().file_name().into_string().unwrap();
            assert!(
                file == "fail.yaml" || file == "pass.yaml",
                "{folder}/{file}"
            );
        }
    }
    let docs = root().join("../../docs/rules");
    let index = std::fs::read_to_string(docs.join("practices.md")).unwrap();
    for rule in practices::rules() {
        let page = docs.join("bp").join(format!("{}.md", name_of(rule.id)));
        let text = std::fs::read_to_string(&page)
            .unwrap_or_else(|_| panic!("{} has no page {}", rule.id, page.display()));
        assert!(text.contains(rule.id), "{} not named on its page", rule.id);
        assert!(
            index.contains(&format!("`{}`", rule.id)),
            "{} not in practices.md",
            rule.id
        );
    }
    for page in std::fs::read_dir(docs.join("bp")).unwrap() {
        let file = page.unwrap().file_name().into_string().unwrap();
        let name = file.strip_suffix(".md").unwrap();
        assert!(names.contains(&name), "docs page {file} names no rule");
    }
}

#[test]
fn settings_change_what_the_rules_expect() {
    let text = std::fs::read_to_string(fixture("dangling-secret", "fail")).unwrap();
    let docs = load(&text).unwrap();
    let dangling = |s: &Settings| {
        run(&docs, s)
            .iter()
            .filter(|f| f.rule == "bp/dangling-secret")
            .count()
    };
    assert!(dangling(&Settings::default()) > 0);
    let external: Settings =
        serde_json::from_value(serde_json::json!({"externalObjects": ["Secret/*"]})).unwrap();
    assert_eq!(dangling(&external), 0);

    let text = std::fs::read_to_string(fixture("minimum-replicas", "pass")).unwrap();
    let docs = load(&text).unwrap();
    let strict: Settings = serde_json::from_value(serde_json::json!({"minReplicas": 5})).unwrap();
    assert!(
        run(&docs, &strict)
            .iter()
            .any(|f| f.rule == "bp/minimum-replicas")
    );

    let labels: Settings =
        serde_json::from_value(serde_json::json!({"requiredLabels": ["team"]})).unwrap();
    let text = std::fs::read_to_string(fixture("recommended-labels", "pass")).unwrap();
    assert!(
        run(&load(&text).unwrap(), &labels)
            .iter()
            .any(|f| f.rule == "bp/recommended-labels")
    );
}

/// The documents of a stream, split at `---` lines.
fn split(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            docs.push(String::new());
        } else if let Some(last) = docs.last_mut() {
            last.push_str(line);
        }
    }
    docs
}

/// The corpus of real charts rendered by Helm, looked for next to the project's root (a
/// worktree sits one level deeper). Absent, the test has nothing to do.
fn corpus() -> Option<PathBuf> {
    let mut dir: &Path = &root();
    for _ in 0..5 {
        let golden = dir.join("shared/corpus/golden");
        if golden.is_dir() {
            return Some(golden);
        }
        dir = dir.parent()?;
    }
    None
}

#[test]
fn the_rules_stay_sensible_over_the_corpus() {
    let Some(golden) = corpus() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let settings = Settings::default();
    // Per rule: findings, and charts where it fired.
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut charts = 0;
    let mut objects_total = 0;
    let mut elapsed = std::time::Duration::ZERO;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // As the host reads rendered objects: integers stay integers.
        let docs: Vec<Value> = split(&text)
            .iter()
            .filter_map(|d| rudder_yaml::from_str_typed(d).ok())
            .filter(Value::is_object)
            .collect();
        charts += 1;
        objects_total += docs.len();
        let started = std::time::Instant::now();
        let findings = run(&docs, &settings);
        elapsed += started.elapsed();
        let mut fired = std::collections::BTreeSet::new();
        for f in &findings {
            let rule = practices::rules()
                .iter()
                .find(|r| r.id == f.rule)
                .unwrap_or_else(|| panic!("unknown rule {}", f.rule));
            assert_eq!(f.severity, rule.severity);
            let index = f.object.unwrap();
            assert!(index < docs.len());
            assert!(!f.message.is_empty() && f.path.as_deref().is_some_and(|p| !p.is_empty()));
            per_rule.entry(rule.id).or_default().0 += 1;
            if std::env::var("RUDDER_CORPUS_DUMP").is_ok_and(|d| d == rule.id) {
                eprintln!("{}: {} at {:?}", file.display(), f.message, f.path);
            }
            fired.insert(rule.id);
        }
        for id in fired {
            per_rule.entry(id).or_default().1 += 1;
        }
    }
    assert!(charts > 0);
    for rule in practices::rules() {
        let (_, fired) = per_rule.get(rule.id).copied().unwrap_or_default();
        // An Error-level rule that fires on a quarter of real charts, or a Warning on
        // three quarters, would be crying wolf; Info is advice and may be common.
        let most = match rule.severity {
            Severity::Error => charts / 4,
            Severity::Warning => charts * 3 / 4,
            Severity::Info => charts,
        };
        assert!(
            fired <= most,
            "{} fires on {fired} of {charts} charts",
            rule.id
        );
    }
    if std::env::var_os("RUDDER_CORPUS_REPORT").is_some() {
        eprintln!("{charts} charts, {objects_total} objects, rules ran in {elapsed:?}");
        for rule in practices::rules() {
            let (n, fired) = per_rule.get(rule.id).copied().unwrap_or_default();
            eprintln!("{:<40} {:>6} findings {:>4} charts", rule.id, n, fired);
        }
    }
}

#[test]
fn a_well_written_release_is_clean() {
    // The privileged-container pass fixture is the common, hardened base of the fixtures.
    let text = std::fs::read_to_string(fixture("privileged-container", "pass")).unwrap();
    let findings = run(&load(&text).unwrap(), &Settings::default());
    let ids: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert!(findings.is_empty(), "{ids:?}");
}

#[test]
fn probes_are_not_expected_from_jobs_and_hooks() {
    let text = r#"
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      containers: [{name: migrate, image: "app:1.0"}]
---
apiVersion: v1
kind: Pod
metadata:
  name: rel-test
  annotations: {helm.sh/hook: test}
spec:
  containers: [{name: test, image: "busybox:1.36"}]
---
apiVersion: v1
kind: Pod
metadata: {name: standalone}
spec:
  containers: [{name: app, image: "app:1.0"}]
"#;
    let docs = load(text).unwrap();
    let findings = run(&docs, &Settings::default());
    let probes: Vec<Option<usize>> = findings
        .iter()
        .filter(|f| f.rule == "bp/liveness-probe" || f.rule == "bp/readiness-probe")
        .map(|f| f.object)
        .collect();
    assert_eq!(probes, vec![Some(2), Some(2)]);
    // The hook pod needs no resources either; the Job does.
    assert!(
        findings
            .iter()
            .filter(|f| f.rule == "bp/cpu-requests")
            .all(|f| f.object != Some(1))
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "bp/cpu-requests" && f.object == Some(0))
    );
}
