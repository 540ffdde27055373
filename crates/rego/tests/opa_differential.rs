//! rudder-rego against the real OPA, over every policy and input of `tests/rego`.
//!
//! Set `RUDDER_OPA_PYTHON` to the python of a venv made by `tests/rego/setup DIR`. Without
//! it the test says it skipped, unless `RUDDER_REQUIRE_ORACLES=1`, when it fails.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers report a failure by panicking"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rudder_rego::{Namespaces, Options, Policy, RegoVersion, Source};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/rego")
}

fn read_dir(dir: &Path, ext: &str) -> Vec<Source> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Source::new(name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

struct Case {
    id: String,
    ours: Vec<Source>,
    oracle: Vec<Source>,
    version: RegoVersion,
    input: Value,
}

fn cases() -> (Vec<Case>, usize, usize, Vec<Source>) {
    let root = root();
    let data = [
        read_dir(&root.join("data"), ".json"),
        read_dir(&root.join("data"), ".yaml"),
    ]
    .concat();
    let inputs: Vec<(String, Value)> = read_dir(&root.join("inputs"), ".yaml")
        .into_iter()
        .map(|s| {
            (
                s.path.clone(),
                rudder_yaml::from_str_typed(&s.text).unwrap(),
            )
        })
        .collect();
    let v1 = read_dir(&root.join("policies"), ".rego");
    let v0 = read_dir(&root.join("policies/v0"), ".rego");
    let mut sets: Vec<(String, Vec<Source>, Vec<Source>, RegoVersion)> = Vec::new();
    for p in &v1 {
        sets.push((
            p.path.clone(),
            vec![p.clone()],
            vec![p.clone()],
            RegoVersion::V1,
        ));
    }
    for p in &v0 {
        let twin_path = root.join(format!("{}.v1", p.path));
        let twin = Source::new(p.path.clone(), std::fs::read_to_string(twin_path).unwrap());
        sets.push((p.path.clone(), vec![p.clone()], vec![twin], RegoVersion::V0));
    }
    sets.push((
        "all v1 policies".into(),
        v1.clone(),
        v1.clone(),
        RegoVersion::V1,
    ));
    let policies = sets.len();
    let mut out = Vec::new();
    for (name, ours, oracle, version) in sets {
        for (input_name, input) in &inputs {
            out.push(Case {
                id: format!("{name} × {input_name}"),
                ours: ours.clone(),
                oracle: oracle.clone(),
                version,
                input: input.clone(),
            });
        }
    }
    (out, policies, inputs.len(), data)
}

fn sort_key(d: &Value) -> (String, String, String, String, String) {
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    (
        s("namespace"),
        s("rule"),
        s("kind"),
        s("message"),
        d["metadata"].to_string(),
    )
}

#[test]
fn decisions_match_opa() {
    let Some(python) = std::env::var_os("RUDDER_OPA_PYTHON") else {
        assert!(
            std::env::var("RUDDER_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "RUDDER_REQUIRE_ORACLES=1 but RUDDER_OPA_PYTHON is not set (see tests/rego/setup)"
        );
        eprintln!("skipped: set RUDDER_OPA_PYTHON to the python of `tests/rego/setup DIR`");
        return;
    };
    let (cases, policies, inputs, data) = cases();
    let request = json!({"cases": cases.iter().map(|c| json!({
        "id": c.id,
        "modules": c.oracle,
        "data": data,
        "input": c.input,
        "namespaces": Value::Null,
    })).collect::<Vec<_>>()});
    let mut child = Command::new(python)
        .arg(root().join("opa_oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the OPA oracle failed");
    let answers: Value = serde_json::from_slice(&output.stdout).unwrap();

    let mut compared = 0;
    let mut errors_both = 0;
    let mut mismatches = Vec::new();
    for case in &cases {
        let options = Options {
            rego_version: case.version,
            namespaces: Namespaces::All,
            // The bindings run OPA with strict built-in errors.
            strict_builtin_errors: true,
            ..Options::default()
        };
        let ours =
            Policy::compile(&case.ours, &data, &options).and_then(|p| p.evaluate(&case.input));
        let answer = &answers[&case.id];
        match (ours, answer.get("decisions")) {
            (Ok(ours), Some(Value::Array(theirs))) => {
                let mut ours: Vec<Value> = ours
                    .iter()
                    .map(|d| serde_json::to_value(d).unwrap())
                    .collect();
                let mut theirs = theirs.clone();
                ours.sort_by_key(sort_key);
                theirs.sort_by_key(sort_key);
                compared += ours.len().max(theirs.len());
                if ours != theirs {
                    mismatches.push(format!(
                        "{}:\n  rudder: {}\n  opa:    {}",
                        case.id,
                        Value::Array(ours),
                        Value::Array(theirs)
                    ));
                }
            }
            (Err(_), None) if answer.get("error").is_some() => errors_both += 1,
            (ours, _) => mismatches.push(format!(
                "{}:\n  rudder: {ours:?}\n  opa:    {answer}",
                case.id
            )),
        }
    }
    eprintln!(
        "opa differential: {policies} policy sets × {inputs} inputs = {} cases, {compared} decisions compared, {errors_both} errors on both sides, {} mismatches",
        cases.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
