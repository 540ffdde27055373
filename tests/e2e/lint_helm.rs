//! `rudder lint` against the real `helm lint` (v4.1.4): for every broken chart of
//! `tests/lint/charts` (one per Helm lint message at least) and every case of the
//! conformance corpus, the `[ERROR]`/`[WARNING]`/`[INFO]` lines Helm printed
//! (`tests/lint/golden`, made by `tests/lint/regen` with the real Helm) are the lines of
//! rudder's findings of Helm's rules, in Helm's order.

use std::path::Path;

use serde_json::Value;

use crate::{repo_root, rudder};

/// Cases whose Helm lines rudder does not reproduce yet, each with the reason.
const KNOWN: &[(&str, &str)] = &[(
    "chart-yaml-text-after-quote",
    "the YAML parser's error for text after a closing quote differs from go-yaml's",
)];

/// Helm's finding lines of a golden: each `[LEVEL] ...` line with its continuation lines
/// (until the next finding line, a blank line before `Error:`/the summary, or the end).
fn helm_lines(golden: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in golden.lines() {
        let starts = ["[ERROR] ", "[WARNING] ", "[INFO] "]
            .iter()
            .any(|p| line.starts_with(p));
        if starts {
            out.push(line.to_string());
            open = true;
        } else if line.starts_with("==> Linting ")
            || line.starts_with("Error: ")
            || line.starts_with("exit ")
            || line.starts_with("level=")
            || line.contains(" chart(s) linted, ")
        {
            open = false;
        } else if open {
            let last = out.last_mut().unwrap();
            last.push('\n');
            last.push_str(line);
        }
    }
    // A message's own trailing newline shows as a blank line before the next one.
    out.iter()
        .map(|l| l.trim_end_matches('\n').to_string())
        .collect()
}

/// Rudder's findings of Helm's rules, as Helm prints them.
fn rudder_lines(chart: &Value, label: &str) -> Vec<String> {
    chart["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("helm/"))
        .map(|f| {
            let level = match f["severity"].as_str().unwrap() {
                "error" => "ERROR",
                "warning" => "WARNING",
                _ => "INFO",
            };
            let file = match f["file"].as_str().unwrap() {
                "." => label,
                other => other,
            };
            format!("[{level}] {file}: {}", f["message"].as_str().unwrap())
                .trim_end_matches('\n')
                .to_string()
        })
        .collect()
}

/// Lints `charts` (run in `dir`, with `extra` flags) in one process and compares each
/// with its golden in `goldens` (named by `golden_name`). Returns the mismatches.
fn compare(
    dir: &Path,
    charts: &[String],
    extra: &[&str],
    goldens: &Path,
    suffix: &str,
) -> Vec<String> {
    let mut args = vec!["lint", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend(charts.iter().map(String::as_str));
    let run = rudder(dir, &args);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    let mut bad = Vec::new();
    for (chart, name) in report["charts"].as_array().unwrap().iter().zip(charts) {
        let id = Path::new(name)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let golden = std::fs::read_to_string(goldens.join(format!("{id}{suffix}.txt"))).unwrap();
        let want = helm_lines(&golden);
        let got = rudder_lines(chart, name);
        if want != got && !KNOWN.iter().any(|(k, _)| *k == id) {
            bad.push(format!(
                "{id}{suffix}:\n  helm:   {want:#?}\n  rudder: {got:#?}"
            ));
        }
    }
    bad
}

#[test]
fn broken_charts_get_helm_lint_s_findings() {
    let dir = repo_root().join("tests/lint/charts");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let bad = compare(
        &dir,
        &cases,
        &[],
        &repo_root().join("tests/lint/golden"),
        "",
    );
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}

#[test]
fn corpus_charts_get_helm_lint_s_findings() {
    let corpus = repo_root().join("../shared/corpus");
    if !corpus.join("charts").is_dir() {
        eprintln!("no corpus: skipped");
        return;
    }
    let charts_dir = corpus.join("charts");
    let goldens = repo_root().join("tests/lint/golden/corpus");
    let mut ids: Vec<String> = std::fs::read_dir(&charts_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    let mut bad = compare(&charts_dir, &ids, &["--namespace", "default"], &goldens, "");
    let mut n = ids.len();
    for id in &ids {
        let case = corpus.join(format!("cases/{id}--ci.values.yaml"));
        if case.is_file() {
            n += 1;
            bad.extend(compare(
                &charts_dir,
                std::slice::from_ref(id),
                &["-f", case.to_str().unwrap()],
                &goldens,
                "--ci",
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {n} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
