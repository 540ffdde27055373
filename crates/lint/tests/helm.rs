//! Helm's lint rules against the real Helm's output: every broken chart of `tests/lint/charts/`
//! is loaded, checked, and its `[SEVERITY] file: message` lines compared with its golden
//! (`tests/lint/golden/<case>.txt`, made by `tests/lint/regen`), leaving out the lines that
//! are the host's part (load, schema and render errors; see `tests/lint/README.md`).
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a failure is the test's failure"
)]

use std::fs;
use std::path::{Path, PathBuf};

use rudder_lint::{Chart, File, Severity, helm};

fn lint_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/lint")
}

/// A `filepath.Match`-style glob (`*`, `?`; `*` does not cross `/`).
fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && s[0] != b'/' && glob(p, &s[1..])),
        (Some(b'?'), Some(c)) => *c != b'/' && glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) => a == b && glob(&p[1..], &s[1..]),
        _ => false,
    }
}

/// The plain `.helmignore` rules the corpus uses: `name`, `*.ext`, `dir/` and `path/name`.
fn ignored(rules: &[String], rel: &str, is_dir: bool) -> bool {
    let base = rel.rsplit('/').next().unwrap_or(rel);
    rules.iter().any(|r| {
        let (pat, dir_only) = match r.strip_suffix('/') {
            Some(p) => (p, true),
            None => (r.as_str(), false),
        };
        if dir_only && !is_dir {
            return false;
        }
        if pat.contains('/') {
            glob(pat.trim_start_matches('/').as_bytes(), rel.as_bytes())
        } else {
            glob(pat.as_bytes(), base.as_bytes())
        }
    })
}

fn helmignore(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(".helmignore"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(str::to_string)
        .collect()
}

/// The name in a subchart archive's `*/Chart.yaml`.
fn archive_chart_name(path: &Path) -> Option<String> {
    let f = fs::File::open(path).ok()?;
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(f));
    for e in ar.entries().ok()? {
        let mut e = e.ok()?;
        let p = e.path().ok()?.to_string_lossy().into_owned();
        if p.split('/').count() == 2 && p.ends_with("/Chart.yaml") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut e, &mut text).ok()?;
            let v = rudder_yaml::from_str(&text).ok()?;
            return v["name"].as_str().map(str::to_string);
        }
    }
    None
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<File>) {
    let rules = helmignore(root);
    collect_in(root, dir, &rules, out);
}

fn collect_in(root: &Path, dir: &Path, rules: &[String], out: &mut Vec<File>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let rel = p
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "charts" || rel == ".rendered" || ignored(rules, &rel, p.is_dir()) {
            continue;
        }
        if p.is_dir() {
            collect_in(root, &p, rules, out);
        } else {
            out.push(File {
                path: rel,
                data: fs::read(&p).unwrap(),
            });
        }
    }
}

/// The chart as the host would hand it over: its files (but `charts/`), its subcharts'
/// names, and each non-partial template's rendered text: `.rendered/<path>` when the case
/// has one, else the file itself (these templates have no actions); nothing when the case
/// has `.rendered/FAILED` (the render fails).
fn load(dir: &Path) -> Chart {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    let mut subcharts = Vec::new();
    if let Ok(entries) = fs::read_dir(dir.join("charts")) {
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if let Ok(text) = fs::read_to_string(p.join("Chart.yaml")) {
                let v = rudder_yaml::from_str(&text).unwrap();
                subcharts.push(v["name"].as_str().unwrap().to_string());
            } else if p.to_string_lossy().ends_with(".tgz") {
                subcharts.extend(archive_chart_name(&p));
            }
        }
    }
    let name = files
        .iter()
        .find(|f| f.path == "Chart.yaml")
        .and_then(|f| rudder_yaml::from_str(&String::from_utf8_lossy(&f.data)).ok())
        .and_then(|v| v["name"].as_str().map(str::to_string))
        .unwrap_or_default();
    let mut rendered = Vec::new();
    if !dir.join(".rendered/FAILED").exists() {
        for f in &files {
            let base = f.path.rsplit('/').next().unwrap();
            if !f.path.starts_with("templates/") || base.starts_with('_') {
                continue;
            }
            let text = match fs::read_to_string(dir.join(".rendered").join(&f.path)) {
                Ok(t) => t,
                Err(_) => String::from_utf8(f.data.clone()).unwrap(),
            };
            rendered.push((format!("{name}/{}", f.path), text));
        }
    }
    Chart {
        files,
        subcharts,
        values: serde_json::Value::Null,
        rendered,
        // Every rule judged from the files alone, as when the host could not load it.
        loaded: false,
    }
}

/// The `[SEVERITY] file: message` entries of a golden, continuation lines joined with `\n`.
fn golden_messages(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let starts = ["[ERROR] ", "[WARNING] ", "[INFO] "]
            .iter()
            .any(|p| line.starts_with(p));
        if starts {
            out.push(line.to_string());
            open = true;
        } else if line.is_empty() || line.starts_with("level=") || line.starts_with("==> ") {
            open = false;
        } else if open && let Some(last) = out.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    out
}

/// The golden lines that come from the host's part of `helm lint`.
pub fn is_host_line(line: &str) -> bool {
    line.starts_with("[ERROR] templates/: ")
        || line.starts_with("[ERROR] crds/: ")
        || line.starts_with("[ERROR] : unable to load chart")
        || (line.starts_with("[ERROR] values.yaml: ")
            && !line.starts_with("[ERROR] values.yaml: unable to parse YAML: "))
}

fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

#[test]
fn broken_charts_match_helm() {
    let root = lint_dir();
    let mut cases: Vec<_> = fs::read_dir(root.join("charts"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    let (mut lines, mut host, mut matched) = (0, 0, 0);
    for case in &cases {
        let golden = fs::read_to_string(root.join("golden").join(format!("{case}.txt")))
            .unwrap_or_else(|_| panic!("no golden for {case}"));
        let all = golden_messages(&golden);
        let want: Vec<String> = all.iter().filter(|l| !is_host_line(l)).cloned().collect();
        host += all.len() - want.len();
        lines += want.len();
        let chart = load(&root.join("charts").join(case));
        let got: Vec<String> = helm::check(&chart, &|_, _| None)
            .into_iter()
            .map(|f| {
                let file = match f.file.as_deref() {
                    Some(helm::CHART_DIR) => case.as_str(),
                    Some(p) => p,
                    None => "",
                };
                format!("[{}] {file}: {}", sev(f.severity), f.message)
            })
            .collect();
        // Known differences that are not this crate's: rudder_yaml's parse error for a
        // quoted scalar followed by more text (`email: "a"@b.com`) is `line 5: did not find
        // expected key` where go-yaml says `line 6: found character that cannot start any
        // token`.
        let known = ["chart-yaml-text-after-quote"];
        if got == want {
            matched += 1;
        } else if !known.contains(&case.as_str()) {
            failures.push(format!("{case}:\n  want: {want:#?}\n  got:  {got:#?}"));
        }
    }
    eprintln!(
        "{} cases ({matched} match), {lines} rudder lines compared, {host} host lines left out",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_are_unique_and_namespaced() {
    let rules = helm::rules();
    for (i, r) in rules.iter().enumerate() {
        assert!(r.id.starts_with("helm/"), "{}", r.id);
        assert!(rules[..i].iter().all(|o| o.id != r.id), "{}", r.id);
    }
}

#[test]
fn deprecation_hook_is_called_in_the_template_loop() {
    let dir = lint_dir().join("charts/clean");
    let chart = load(&dir);
    let found = helm::check(&chart, &|api, kind| {
        (api == "v1" && kind == "ConfigMap").then(|| "deprecated!".to_string())
    });
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "helm/deprecated-api");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].file.as_deref(), Some("templates/cm.yaml"));
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("RUDDER_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    dir.join("charts").is_dir().then_some(dir)
}

/// `helm template` output split back into templates by its `# Source:` comments.
fn split_sources(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in text.split("---\n# Source: ").skip(1) {
        let (name, body) = part.split_once('\n').unwrap_or((part, ""));
        match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, b)) => {
                b.push_str("---\n");
                b.push_str(body);
            }
            None => out.push((name.to_string(), body.to_string())),
        }
    }
    out
}

/// The corpus charts against `helm lint`'s goldens (`tests/lint/golden/corpus/`). The
/// rendered text comes from the corpus' `helm template` goldens (release `rel`, not lint's
/// `test-release`), so a chart whose findings depend on the release name could differ; the
/// deprecated-API warnings are another engineer's and left out here.
#[test]
fn corpus_charts_match_helm() {
    let Some(corpus) = corpus_dir() else {
        eprintln!("corpus not found (set RUDDER_CORPUS): skipped");
        return;
    };
    let golden_dir = lint_dir().join("golden/corpus");
    let mut names: Vec<String> = fs::read_dir(&golden_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let (mut ok, mut failures) = (0, Vec::new());
    for name in &names {
        let case = name.trim_end_matches(".txt");
        let id = case.trim_end_matches("--ci");
        let golden = fs::read_to_string(golden_dir.join(name)).unwrap();
        let want: Vec<String> = golden_messages(&golden)
            .into_iter()
            .filter(|l| {
                !is_host_line(l)
                    && !l.contains(" is deprecated in v")
                    && !l.contains(" is removed in v")
            })
            .collect();
        let mut chart = load(&corpus.join("charts").join(id));
        let tmpl = fs::read_to_string(corpus.join("golden").join(format!("{case}.yaml")))
            .unwrap_or_default();
        let root = chart
            .rendered
            .first()
            .map(|(n, _)| n.split('/').next().unwrap_or("").to_string())
            .unwrap_or_default();
        chart.rendered = split_sources(&tmpl)
            .into_iter()
            .filter(|(n, _)| n.starts_with(&format!("{root}/templates/")))
            .collect();
        let got: Vec<String> = helm::check(&chart, &|_, _| None)
            .into_iter()
            .map(|f| {
                let file = match f.file.as_deref() {
                    Some(helm::CHART_DIR) => id,
                    Some(p) => p,
                    None => "",
                };
                format!("[{}] {file}: {}", sev(f.severity), f.message)
            })
            .collect();
        if got == want {
            ok += 1;
        } else {
            failures.push(format!("{case}:\n  want: {want:#?}\n  got:  {got:#?}"));
        }
    }
    eprintln!("corpus: {ok}/{} goldens match", names.len());
    // Known differences, all from the test's stand-in for the render, not from the rules.
    let known = [
        // `helm template` re-splits the raw render into documents; the raw text has a
        // `---apiVersion: v1` line that the golden's copy no longer shows.
        "external-secrets--external-secrets--ci:",
    ];
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !known.iter().any(|k| f.starts_with(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
