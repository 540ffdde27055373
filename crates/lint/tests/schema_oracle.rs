//! Differential test: every object of the corpus goldens validated at v1.35 by
//! `rudder_lint::schema` and by the `kubernetes-validate` Python package (run live through
//! `kube_validate_oracle.py`); their verdicts must agree for every built-in kind, on the
//! objects as rendered and on mutants of them with one likely error each.
//!
//! The corpus is `shared/corpus` beside the repository (found from the crate's directory
//! upwards, or named by `RUDDER_CORPUS`). The Python interpreter is
//! `RUDDER_KUBE_VALIDATE_PYTHON` (default `python3`). When either is missing the test prints
//! a note and passes, unless `RUDDER_REQUIRE_ORACLES=1`.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers report a failure by panicking"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rudder_lint::KubeVersion;
use rudder_lint::schema::{Validator, Verdict};
use serde_json::Value;

const TARGET: KubeVersion = KubeVersion {
    major: 1,
    minor: 35,
};

/// Objects on which the two validators are known to disagree, by golden, document index and
/// reason. Empty: there are none on the corpus.
const EXCEPTIONS: &[(&str, usize, &str)] = &[];

fn required() -> bool {
    std::env::var("RUDDER_REQUIRE_ORACLES").is_ok_and(|v| v == "1")
}

fn skip(note: &str) {
    assert!(!required(), "RUDDER_REQUIRE_ORACLES=1 but {note}");
    println!("note: skipping the kubernetes-validate oracle: {note}");
}

fn corpus() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("RUDDER_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let direct = manifest.join("../../../shared/corpus");
    if direct.join("golden").is_dir() {
        return Some(direct);
    }
    manifest
        .ancestors()
        .map(|dir| dir.join("shared/corpus"))
        .find(|dir| dir.join("golden").is_dir())
}

/// `(golden, document index, object)` for every object document of every golden.
fn load(corpus: &Path) -> Vec<(String, usize, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let docs = rudder_yaml::from_str_multi(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, doc) in docs.into_iter().enumerate() {
            if doc.is_object() {
                out.push((name.clone(), i, doc));
            }
        }
    }
    out
}

fn run_oracle(objects: &[&Value]) -> Option<Vec<Value>> {
    let python =
        std::env::var("RUDDER_KUBE_VALIDATE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kube_validate_oracle.py");
    let mut child = match Command::new(&python)
        .arg(&script)
        .arg(format!("{}.{}", TARGET.major, TARGET.minor))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            skip(&format!("cannot run {python}: {e}"));
            return None;
        }
    };
    let input = serde_json::to_vec(objects).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    // The oracle exits at once (without reading) when the module is missing.
    let written = writer.join().unwrap();
    if output.status.code() == Some(3) {
        skip(String::from_utf8_lossy(&output.stderr).trim());
        return None;
    }
    written.unwrap();
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// A replacement for a value, or None to leave it.
type Change = dyn Fn(&Value) -> Option<Value>;

/// Changes the first value (depth first, object keys in order, the root's apiVersion and kind
/// left alone) for which `change` gives a replacement; false when there is none.
fn mutate(value: &mut Value, root: bool, change: &Change) -> bool {
    if !root && let Some(new) = change(value) {
        *value = new;
        return true;
    }
    match value {
        Value::Object(map) => map
            .iter_mut()
            .filter(|(k, _)| !(root && (k.as_str() == "apiVersion" || k.as_str() == "kind")))
            .any(|(_, v)| mutate(v, false, change)),
        Value::Array(items) => items.iter_mut().any(|v| mutate(v, false, change)),
        _ => false,
    }
}

/// Variants of an object with one likely error each: an integer written as a string, a
/// string replaced by a list, a field added to a nested object.
fn mutants(object: &Value) -> Vec<Value> {
    let changes: [&Change; 3] = [
        &|v| v.as_i64().map(|n| Value::String(n.to_string())),
        &|v| v.as_str().map(|s| serde_json::json!([s])),
        &|v| match v {
            Value::Object(map) if !map.is_empty() => {
                let mut map = map.clone();
                map.insert("zzUnknownField".to_string(), Value::Bool(true));
                Some(Value::Object(map))
            }
            _ => None,
        },
    ];
    changes
        .iter()
        .filter_map(|change| {
            let mut copy = object.clone();
            mutate(&mut copy, true, *change).then_some(copy)
        })
        .collect()
}

#[test]
fn verdicts_match_kubernetes_validate() {
    let Some(corpus) = corpus() else {
        skip("the corpus (shared/corpus) was not found");
        return;
    };
    let mut objects = load(&corpus);
    assert!(!objects.is_empty(), "no objects in the corpus goldens");
    let originals = objects.len();
    let mut extra = Vec::new();
    for (golden, doc, object) in &objects {
        for (i, m) in mutants(object).into_iter().enumerate() {
            extra.push((format!("{golden} (mutant {i})"), *doc, m));
        }
    }
    objects.extend(extra);
    println!(
        "{originals} corpus objects, {} mutants",
        objects.len() - originals
    );

    let started = Instant::now();
    let mut ours = Vec::new();
    let mut validator = Validator::new(TARGET);
    for (_, _, object) in &objects[..originals] {
        ours.push(validator.validate(object));
    }
    let elapsed = started.elapsed();
    let again = Instant::now();
    for (_, _, object) in &objects[..originals] {
        validator.validate(object);
    }
    println!(
        "validated the {originals} corpus objects in {elapsed:?} ({} definitions parsed), again in {:?}",
        validator.parsed_definitions(),
        again.elapsed()
    );
    for (_, _, object) in &objects[originals..] {
        ours.push(validator.validate(object));
    }

    let values: Vec<&Value> = objects.iter().map(|(_, _, v)| v).collect();
    let Some(theirs) = run_oracle(&values) else {
        return;
    };
    assert_eq!(theirs.len(), objects.len());

    let (mut compared, mut agreed, mut invalid, mut mutants_compared) = (0, 0, 0, 0);
    let mut invalid_goldens: Vec<&str> = Vec::new();
    let mut disagreements = Vec::new();
    for (((golden, doc, object), mine), their) in objects.iter().zip(&ours).zip(&theirs) {
        let their_verdict = their["verdict"].as_str().unwrap_or("");
        let mine_valid = match mine {
            Verdict::Valid => true,
            Verdict::Invalid(_) => false,
            // Kinds without a built-in schema (custom resources) and objects without
            // apiVersion/kind are not compared: kubernetes-validate knows no CRDs.
            Verdict::UnknownKind | Verdict::NoTypeMeta => {
                // ... but a built-in kind it knows and we do not is a gap in our data.
                if matches!(mine, Verdict::UnknownKind)
                    && matches!(their_verdict, "valid" | "invalid")
                {
                    disagreements.push(format!(
                        "{golden} doc {doc} ({} {}): unknown to us, kubernetes-validate says {their}",
                        object["apiVersion"], object["kind"]
                    ));
                }
                continue;
            }
        };
        let their_valid = match their_verdict {
            "valid" => true,
            "invalid" => false,
            _ => {
                disagreements.push(format!(
                    "{golden} doc {doc} ({} {}): we know the kind, kubernetes-validate says {their}",
                    object["apiVersion"], object["kind"]
                ));
                continue;
            }
        };
        if golden.contains("(mutant") {
            mutants_compared += 1;
        } else {
            compared += 1;
        }
        if let Verdict::Invalid(violations) = mine
            && !golden.contains("(mutant")
        {
            invalid += 1;
            invalid_goldens.push(golden);
            println!(
                "invalid: {golden} doc {doc} ({} {})",
                object["apiVersion"], object["kind"]
            );
            for v in violations {
                println!("    {}: {}", v.path, v.message);
            }
        }
        let excepted = EXCEPTIONS
            .iter()
            .any(|(g, d, _)| *g == golden.as_str() && *d == *doc);
        if mine_valid == their_valid || excepted {
            agreed += 1;
        } else {
            disagreements.push(format!(
                "{golden} doc {doc} ({} {}): ours {mine:?}, kubernetes-validate {their}",
                object["apiVersion"], object["kind"]
            ));
        }
    }
    println!(
        "compared {compared} corpus objects ({invalid} invalid) and {mutants_compared} mutants: \
         {agreed} agree, {} disagree",
        disagreements.len()
    );
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements",
        disagreements.len()
    );
    // kubernetes-validate's findings on the corpus: 7 type errors in 4 goldens.
    for golden in [
        "grafana-community--tempo--ci.yaml",
        "helm--tc-alpine.yaml",
        "helm--tc-issue-7233.yaml",
        "helm--util-chart-with-dependency-aliased-twice.yaml",
    ] {
        assert!(
            invalid_goldens.contains(&golden),
            "{golden} should be invalid"
        );
    }
    assert!(
        invalid >= 7,
        "{invalid} invalid corpus objects, expected at least 7"
    );
}

/// The chart's own CRDs (`charts/<id>/crds/*.yaml`, nested subcharts included) of a golden.
fn chart_crds(corpus: &Path, golden: &str) -> Vec<Value> {
    let id = golden.trim_end_matches(".yaml").trim_end_matches("--ci");
    let mut out = Vec::new();
    let mut stack = vec![corpus.join("charts").join(id)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.parent().is_some_and(|p| p.ends_with("crds"))
                && path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.extend(rudder_yaml::from_str_multi(&text).unwrap_or_default());
            }
        }
    }
    out
}

/// Every golden through `schema::check` with the chart's CRDs: custom resources whose CRD the
/// chart ships are validated against it. Prints what it found; the verdicts have no oracle.
#[test]
fn corpus_custom_resources_against_chart_crds() {
    let Some(corpus) = corpus() else {
        println!("note: the corpus (shared/corpus) was not found");
        return;
    };
    let objects = load(&corpus);
    let mut goldens: Vec<&str> = objects.iter().map(|(g, _, _)| g.as_str()).collect();
    goldens.dedup();
    let builtin = Validator::new(TARGET);
    let mut elapsed = std::time::Duration::ZERO;
    let (mut crs, mut findings_total) = (0, 0);
    for golden in goldens {
        let crds = chart_crds(&corpus, golden);
        let crd_refs: Vec<&Value> = crds.iter().collect();
        let values: Vec<&Value> = objects
            .iter()
            .filter(|(g, _, _)| g == golden)
            .map(|(_, _, v)| v)
            .collect();
        let objs: Vec<rudder_lint::Object> = values
            .iter()
            .enumerate()
            .map(|(index, value)| rudder_lint::Object {
                index,
                template: golden,
                hook: "",
                value,
            })
            .collect();
        let mut validator = Validator::new(TARGET);
        for crd in crd_refs.iter().copied().chain(values.iter().copied()) {
            if Validator::is_crd(crd) {
                validator.add_crd(crd);
            }
        }
        for v in &values {
            let api = v["apiVersion"].as_str().unwrap_or("");
            let kind = v["kind"].as_str().unwrap_or("");
            if validator.knows(api, kind) && !builtin.knows(api, kind) {
                crs += 1;
            }
        }
        let started = Instant::now();
        let findings = rudder_lint::schema::check(&objs, &crd_refs, TARGET);
        elapsed += started.elapsed();
        for f in &findings {
            if f.rule == "kube/schema" {
                println!(
                    "{golden} #{}: {} {}: {}",
                    f.object.unwrap_or(0),
                    f.rule,
                    f.path.as_deref().unwrap_or(""),
                    f.message
                );
            }
        }
        findings_total += findings.len();
    }
    println!(
        "checked the corpus in {elapsed:?}: {crs} custom resources validated against chart CRDs, {findings_total} findings"
    );
}
