//! Corpus conformance: every chart of the shared Helm corpus rendered by the real binary and
//! compared with the exact output of `helm template`, byte for byte.
//!
//! The corpus lives beside the repository (`../shared/corpus`, or `RUDDER_CORPUS`). Cases
//! flagged NONDETERMINISTIC in MANIFEST.tsv (random passwords and certificates) must have the
//! same number of lines and at most the flagged number of differing lines. The number of
//! identical cases may not drop below `tests/conformance-threshold`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::rudder_bin;

struct Case {
    id: String,
    chart: String,
    values: Option<String>,
    /// Lines allowed to differ (NONDETERMINISTIC cases), or 0.
    tolerance: usize,
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("RUDDER_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

fn cases(corpus: &Path) -> Vec<Case> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    let mut out = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 9 {
            continue;
        }
        let id = cols[0].to_string();
        let notes = cols[8];
        let (chart, values) = match id.strip_suffix("--ci") {
            Some(base) => (base.to_string(), Some(format!("cases/{id}.values.yaml"))),
            None => (id.clone(), None),
        };
        let tolerance = notes
            .split("NONDETERMINISTIC: up to ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .filter(|_| !notes.contains("ci values pin random"))
            .unwrap_or(0);
        out.push(Case {
            id,
            chart,
            values,
            tolerance,
        });
    }
    out
}

enum Verdict {
    Same,
    Tolerated(usize),
    Differs(String),
}

fn judge(case: &Case, corpus: &Path) -> Verdict {
    let golden =
        match std::fs::read_to_string(corpus.join("golden").join(format!("{}.yaml", case.id))) {
            Ok(g) => g,
            Err(e) => return Verdict::Differs(format!("no golden: {e}")),
        };
    let mut cmd = Command::new(rudder_bin());
    cmd.current_dir(corpus).args([
        "template",
        "rel",
        &format!("charts/{}", case.chart),
        "--namespace",
        "ns",
    ]);
    if let Some(v) = &case.values {
        cmd.args(["-f", v]);
    }
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => return Verdict::Differs(format!("cannot run rudder: {e}")),
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Verdict::Differs(format!(
            "exit {}: {}",
            out.status,
            err.lines().next().unwrap_or("")
        ));
    }
    let ours = String::from_utf8_lossy(&out.stdout);
    if ours == golden {
        return Verdict::Same;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), golden.lines().collect());
    let differing: Vec<usize> = (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect();
    if a.len() == b.len() && case.tolerance > 0 && differing.len() <= case.tolerance {
        return Verdict::Tolerated(differing.len());
    }
    let first = differing.first().copied().unwrap_or(0);
    Verdict::Differs(format!(
        "{} of {} lines differ; first at line {}: ours {:?}, helm {:?}",
        differing.len(),
        b.len(),
        first + 1,
        a.get(first).unwrap_or(&"<eof>"),
        b.get(first).unwrap_or(&"<eof>")
    ))
}

#[test]
fn corpus_matches_helm() {
    let Some(corpus) = corpus_dir() else {
        eprintln!("conformance: no corpus found (set RUDDER_CORPUS); skipped");
        return;
    };
    let threshold: usize = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance-threshold"),
    )
    .expect("read tests/conformance-threshold")
    .trim()
    .parse()
    .expect("tests/conformance-threshold holds a number");

    let cases = cases(&corpus);
    let results = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let verdict = judge(case, &corpus);
                    results.lock().unwrap().push((i, verdict));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let mut same = 0;
    for (i, verdict) in &results {
        let id = &cases[*i].id;
        match verdict {
            Verdict::Same => {
                same += 1;
                println!("conformance: same       {id}");
            }
            Verdict::Tolerated(n) => {
                same += 1;
                println!("conformance: same       {id} ({n} random lines)");
            }
            Verdict::Differs(why) => println!("conformance: DIFFERS    {id}: {why}"),
        }
    }
    println!(
        "conformance: {same} of {} cases identical to helm (threshold {threshold})",
        cases.len()
    );
    assert!(
        same >= threshold,
        "conformance dropped: {same} identical cases, threshold {threshold}"
    );
}
