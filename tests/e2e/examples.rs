//! The example charts render exactly as the real Helm renders them (goldens in
//! `tests/golden`, produced by `tests/golden/regen` from Helm, never from rudder).

use std::process::Command;

use crate::{repo_root, rudder_bin};

/// Splits a golden's command line the way the regen script's shell does (no quoting needed).
fn render(args: &str, extra: &[&str]) -> (bool, String, String) {
    let out = Command::new(rudder_bin())
        .current_dir(repo_root())
        .arg("template")
        .args(args.split_whitespace())
        .args(extra)
        .output()
        .expect("run rudder");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The cases of `tests/golden/cases.txt` whose name passes `keep`: (name, arguments, golden).
fn cases(keep: impl Fn(&str) -> bool) -> Vec<(String, String, String)> {
    let root = repo_root();
    let cases =
        std::fs::read_to_string(root.join("tests/golden/cases.txt")).expect("read cases.txt");
    cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| line.split_once('|').expect("name|args"))
        .filter(|(name, _)| keep(name))
        .map(|(name, args)| {
            let golden = std::fs::read_to_string(root.join(format!("tests/golden/{name}.yaml")))
                .expect("golden");
            (name.to_string(), args.to_string(), golden)
        })
        .collect()
}

/// Renders each case with `extra` arguments and names those that differ from Helm.
fn failures(cases: &[(String, String, String)], extra: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, args, golden) in cases {
        let (ok, stdout, stderr) = render(args, extra);
        if !ok {
            failures.push(format!("{name} {extra:?}: rudder failed: {stderr}"));
        } else if stdout != *golden {
            let line = stdout
                .lines()
                .zip(golden.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| "length".to_string(), |i| format!("line {}", i + 1));
            failures.push(format!(
                "{name} {extra:?}: output differs from helm at {line}"
            ));
        }
    }
    failures
}

#[test]
fn example_charts_match_helm() {
    let cases = cases(|_| true);
    assert!(
        cases.len() >= 7,
        "expected the example cases, found {}",
        cases.len()
    );
    let failures = failures(&cases, &[]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Charts whose templates change the data later templates see (`tests/data/shared-data`)
/// render the same in one plugin call and when the host may split the release.
#[test]
fn shared_data_charts_match_helm_serial_and_sharded() {
    let cases = cases(|name| name.starts_with("shared-"));
    assert!(
        cases.len() >= 3,
        "expected the shared-data cases, found {}",
        cases.len()
    );
    let mut all = failures(&cases, &["--jobs", "1"]);
    all.extend(failures(&cases, &["--jobs", "4"]));
    assert!(all.is_empty(), "{}", all.join("\n"));
}
