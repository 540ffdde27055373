//! The example charts render exactly as the real Helm renders them (goldens in
//! `tests/golden`, produced by `tests/golden/regen` from Helm, never from rudder).

use std::process::Command;

use crate::{repo_root, rudder_bin};

/// Splits a golden's command line the way the regen script's shell does (no quoting needed).
fn render(args: &str) -> (bool, String, String) {
    let out = Command::new(rudder_bin())
        .current_dir(repo_root())
        .arg("template")
        .args(args.split_whitespace())
        .output()
        .expect("run rudder");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn example_charts_match_helm() {
    let root = repo_root();
    let cases =
        std::fs::read_to_string(root.join("tests/golden/cases.txt")).expect("read cases.txt");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, args) = line.split_once('|').expect("name|args");
        let golden = std::fs::read_to_string(root.join(format!("tests/golden/{name}.yaml")))
            .expect("golden");
        let (ok, stdout, stderr) = render(args);
        count += 1;
        if !ok {
            failures.push(format!("{name}: rudder failed: {stderr}"));
        } else if stdout != golden {
            let line = stdout
                .lines()
                .zip(golden.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| "length".to_string(), |i| format!("line {}", i + 1));
            failures.push(format!("{name}: output differs from helm at {line}"));
        }
    }
    assert!(count >= 7, "expected the example cases, found {count}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
