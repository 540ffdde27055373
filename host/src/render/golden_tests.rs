//! Byte-for-byte comparison with Helm's own output for static charts.
//!
//! The charts under `tests/data/output/charts` contain no template actions, so the engine's
//! rendering is the identity: feeding their files to [`assemble`] must reproduce what
//! `helm template` printed (`tests/data/output/*.golden`, made by `regen.sh` from the cases
//! in `cases.tsv`), including `--output-dir` trees and error messages.

use std::path::{Path, PathBuf};

use super::{Assembled, Crd, OutputOptions, Template, assemble};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/output")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
    for p in sorted_entries(dir) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let r = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if p.is_dir() {
            walk(&p, &r, out);
        } else {
            out.push((r, p));
        }
    }
}

fn chart_name(dir: &Path) -> String {
    let meta = std::fs::read_to_string(dir.join("Chart.yaml")).unwrap();
    meta.lines()
        .find_map(|l| l.strip_prefix("name:"))
        .unwrap()
        .trim()
        .to_string()
}

/// The identity rendering of a static chart, plus its CRDs in Helm's order.
fn load(dir: &Path, parent: Option<&str>, rendered: &mut Vec<Template>, crds: &mut Vec<Crd>) {
    let name = chart_name(dir);
    let full = match parent {
        None => name,
        Some(p) => format!("{p}/charts/{name}"),
    };
    let mut files = Vec::new();
    walk(&dir.join("templates"), "", &mut files);
    for (rel, path) in files {
        rendered.push(Template {
            name: format!("{full}/templates/{rel}"),
            content: std::fs::read_to_string(path).unwrap(),
        });
    }
    let mut files = Vec::new();
    walk(&dir.join("crds"), "", &mut files);
    for (rel, path) in files {
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if rel.contains('.') && ["yaml", "yml", "json"].contains(&ext.as_str()) {
            crds.push(Crd {
                name: format!("{full}/crds/{rel}"),
                content: std::fs::read_to_string(path).unwrap(),
            });
        }
    }
    for sub in sorted_entries(&dir.join("charts")) {
        if sub.is_dir() {
            load(&sub, Some(&full), rendered, crds);
        }
    }
}

struct Case {
    name: String,
    chart: String,
    flags: Vec<String>,
    twice: bool,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(data_dir().join("cases.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Case {
                name: cols[0].into(),
                chart: cols[1].into(),
                flags: cols
                    .get(2)
                    .map(|f| f.split_whitespace().map(String::from).collect())
                    .unwrap_or_default(),
                twice: cols.get(3) == Some(&"twice"),
            }
        })
        .collect()
}

fn options(flags: &[String], chart: &str, out_root: &Path) -> OutputOptions {
    let mut o = OutputOptions {
        chart_name: chart.to_string(),
        ..Default::default()
    };
    let mut it = flags.iter();
    let mut release_name = false;
    while let Some(f) = it.next() {
        match f.as_str() {
            "--include-crds" => o.include_crds = true,
            "--skip-crds" => {} // no effect on `helm template`
            "--skip-tests" => o.skip_tests = true,
            "--no-hooks" => o.no_hooks = true,
            "--hide-secret" => o.hide_secret = true,
            "--debug" => o.debug = true,
            "--release-name" => release_name = true,
            "-s" | "--show-only" => o.show_only.push(it.next().unwrap().clone()),
            "--output-dir" => {
                // Keep a trailing slash: Helm prints the directory as given.
                let d = it.next().unwrap();
                let mut p = out_root.to_string_lossy().into_owned();
                p.push('/');
                p.push_str(d);
                o.output_dir = Some(PathBuf::from(p));
            }
            other => panic!("unsupported flag {other}"),
        }
    }
    if release_name {
        o.release_dir = Some("rel".into());
    }
    o
}

fn tree(root: &Path) -> String {
    let mut files = Vec::new();
    walk(root, "", &mut files);
    let mut s = String::new();
    for (rel, p) in files {
        s.push_str(&format!("=== {rel}\n"));
        s.push_str(&std::fs::read_to_string(p).unwrap());
    }
    s
}

fn run_case(case: &Case) -> Result<(), String> {
    let dir = data_dir();
    let chart_dir = dir.join("charts").join(&case.chart);
    let mut rendered = Vec::new();
    let mut crds = Vec::new();
    load(&chart_dir, None, &mut rendered, &mut crds);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let opts = options(&case.flags, &chart_name(&chart_dir), tmp.path());

    let mut stdout = Vec::new();
    let mut stderr = String::new();
    for _ in 0..if case.twice { 2 } else { 1 } {
        stdout.clear();
        stderr.clear();
        match assemble(rendered.clone(), crds.clone(), &opts) {
            Ok(Assembled { output: out, .. }) => {
                for l in &out.log {
                    stderr.push_str(l);
                    stderr.push('\n');
                }
                if let Err(e) = out.write(&mut stdout) {
                    stderr.push_str(&format!("Error: {e}\n"));
                }
            }
            Err(e) => {
                for l in &e.log {
                    stderr.push_str(l);
                    stderr.push('\n');
                }
                stderr.push_str(&format!("Error: {e}\n"));
            }
        }
    }
    let prefix = format!("{}/", tmp.path().to_string_lossy());
    let stdout = String::from_utf8(stdout)
        .map_err(|e| e.to_string())?
        .replace(&prefix, "");

    let mut problems = Vec::new();
    let golden = std::fs::read_to_string(dir.join(format!("{}.golden", case.name)))
        .map_err(|e| format!("{}: {e}", case.name))?;
    if stdout != golden {
        problems.push(format!(
            "stdout differs\n--- helm\n{golden}\n--- rudder\n{stdout}"
        ));
    }
    let want_err =
        std::fs::read_to_string(dir.join(format!("{}.stderr", case.name))).unwrap_or_default();
    if stderr != want_err {
        problems.push(format!(
            "stderr differs\n--- helm\n{want_err}\n--- rudder\n{stderr}"
        ));
    }
    let tree_file = dir.join(format!("{}.tree", case.name));
    if tree_file.exists() {
        let want = std::fs::read_to_string(tree_file).map_err(|e| e.to_string())?;
        let got = tree(&tmp.path().join("OUT"));
        if want != got {
            problems.push(format!("tree differs\n--- helm\n{want}\n--- rudder\n{got}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("case {}: {}", case.name, problems.join("\n")))
    }
}

#[test]
fn static_charts_match_helm() {
    let cases = cases();
    assert!(cases.len() > 20);
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The shared corpus of real charts (`../shared/corpus` next to the repository), if present.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RUDDER_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    dir.join("golden").is_dir().then_some(dir)
}

/// Rebuild "rendered templates" from a golden output: each document goes back to the file
/// its `# Source:` names, in the order printed. Sorting them again must give the golden back,
/// which checks the install order and hook placement against real charts.
fn reconstruct(golden: &str) -> Vec<Template> {
    let mut files: Vec<Template> = Vec::new();
    for doc in super::split_manifests(golden) {
        let Some(rest) = doc.strip_prefix("# Source: ") else {
            // A document whose text held a separator: glue it back to the previous one.
            if let Some(last) = files.last_mut() {
                last.content.push_str("\n---\n");
                last.content.push_str(doc);
            }
            continue;
        };
        let (name, body) = rest.split_once('\n').unwrap_or((rest, ""));
        match files.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                f.content.push_str("\n---\n");
                f.content.push_str(body);
            }
            None => files.push(Template {
                name: name.to_string(),
                content: body.to_string(),
            }),
        }
    }
    files
}

#[test]
fn corpus_goldens_keep_their_order() {
    let Some(corpus) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for p in sorted_entries(&corpus.join("golden")) {
        if p.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let golden = std::fs::read_to_string(&p).unwrap();
        let files = reconstruct(&golden);
        let chart = files
            .first()
            .and_then(|f| f.name.split('/').next())
            .unwrap_or("")
            .to_string();
        let opts = OutputOptions {
            chart_name: chart,
            ..Default::default()
        };
        let got = match assemble(files, Vec::new(), &opts) {
            Ok(a) => a.output.stdout_text().unwrap_or_default(),
            Err(e) => format!("error: {e}"),
        };
        checked += 1;
        if got != golden {
            let line = got
                .lines()
                .zip(golden.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            failures.push(format!(
                "{}: first difference at line {}",
                p.display(),
                line + 1
            ));
        }
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{checked} checked\n{}",
        failures.join("\n")
    );
}

/// Timing over the whole corpus (run with `--ignored --nocapture` in release mode).
#[test]
#[ignore]
fn corpus_timing() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let inputs: Vec<Vec<Template>> = sorted_entries(&corpus.join("golden"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| reconstruct(&std::fs::read_to_string(p).unwrap()))
        .collect();
    let start = std::time::Instant::now();
    let mut n = 0;
    for files in &inputs {
        for f in files {
            n += super::split_manifests(&f.content).len();
        }
    }
    eprintln!("split {n} docs in {:?}", start.elapsed());
    let start = std::time::Instant::now();
    for files in &inputs {
        for f in files {
            for d in super::split_manifests(&f.content) {
                let _ = super::yaml::parse(d);
            }
        }
    }
    eprintln!("parsed sequentially in {:?}", start.elapsed());
    let start = std::time::Instant::now();
    for files in inputs {
        let _ = assemble(files, Vec::new(), &OutputOptions::default());
    }
    eprintln!("corpus assembled in {:?}", start.elapsed());
}
