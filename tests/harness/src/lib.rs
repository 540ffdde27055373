//! The differential template cases of `tests/template-cases/*.txt`, read the way the `regen`
//! script reads them, and a checker that runs every case through an engine and compares it
//! with what Helm produced.
//!
//! Each case renders as `regen` renders it with Helm: chart `c` (version 0.1.0, appVersion
//! 1.0.0), release `x` in namespace `ns`, and the case's template between two sentinels as
//! `c/templates/t.yaml`. The engine under test is a closure from a [`CaseJob`] to its
//! [`Outcome`], so the same cases run against the native engine and against the template
//! plugin through the host.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as J, json};

/// Marks the start of the case's own text in the rendered template.
pub const BEGIN: &str = "<<<RUDDER-BEGIN>>>";
/// Marks its end.
pub const END: &str = "<<<RUDDER-END>>>";
/// The template whose text is compared.
pub const TARGET: &str = "c/templates/t.yaml";
/// The fixed clock of every case: seconds and nanoseconds since the epoch.
pub const NOW: (i64, u32) = (1_700_000_000, 0);
/// The fixed seed of every case.
pub const SEED: u64 = 1;

/// One case: its name and its `### section` bodies in file order.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub sections: Vec<(String, String)>,
}

/// What a case gives the engine: one chart `c` and the values.
#[derive(Clone, Debug)]
pub struct CaseJob {
    /// Files under `templates/` (the case's template first), paths relative to the chart.
    pub templates: Vec<(String, Vec<u8>)>,
    /// The chart's other files (for `.Files`).
    pub files: Vec<(String, Vec<u8>)>,
    /// `.Values`.
    pub values: J,
}

impl CaseJob {
    /// `Chart.yaml` as the render contract wants it.
    pub fn metadata() -> J {
        json!({"apiVersion": "v2", "name": "c", "version": "0.1.0", "appVersion": "1.0.0"})
    }

    /// `.Release`.
    pub fn release() -> J {
        json!({"Name": "x", "Namespace": "ns", "Revision": 1, "IsInstall": true,
               "IsUpgrade": false, "Service": "Helm"})
    }

    /// `.Capabilities`, as Helm v4.1.4 reports them with no cluster.
    pub fn capabilities() -> J {
        json!({
            "KubeVersion": {"Version": "v1.35.0", "Major": "1", "Minor": "35"},
            "APIVersions": api_versions(),
            "HelmVersion": {"version": "v4.1.4", "git_commit": "05fa37973dc9e42b76e1d2883494c87174b6074f",
                            "git_tree_state": "clean", "go_version": "go1.25.9", "kube_client_version": "v1.35"},
        })
    }
}

/// What running a case produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The engine rendered: every template's name and text.
    Rendered(Vec<(String, String)>),
    /// A template error, as Helm would print it after `Error: `.
    Failed(String),
    /// The engine itself broke (a panic natively, a trap or limit in the plugin).
    Crashed(String),
}

/// The case file format, read exactly as `regen` reads it.
pub fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut in_section = false;
    for line in text.split('\n') {
        if let Some(head) = line.strip_prefix("### ") {
            if let Some(name) = head.strip_prefix("case:") {
                cases.push(Case {
                    name: name.trim().to_string(),
                    sections: Vec::new(),
                });
                in_section = false;
                continue;
            }
            if let Some(c) = cases.last_mut() {
                c.sections.push((head.trim().to_string(), String::new()));
                in_section = true;
            }
        } else if in_section
            && let Some(c) = cases.last_mut()
            && let Some(s) = c.sections.last_mut()
        {
            s.1.push_str(line);
            s.1.push('\n');
        }
    }
    for c in &mut cases {
        let n = c.sections.len();
        for (i, s) in c.sections.iter_mut().enumerate() {
            // Drop the newline that ends the section's last line.
            if s.1.ends_with('\n') {
                s.1.pop();
            }
            if i + 1 == n {
                while s.1.ends_with('\n') {
                    s.1.pop();
                }
            }
        }
    }
    cases
}

fn api_versions() -> Vec<&'static str> {
    "v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 \
     admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 apps/v1 apps/v1beta1 \
     apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 \
     authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 \
     autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 batch/v1beta1 \
     certificates.k8s.io/v1 certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 \
     coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 coordination.k8s.io/v1 \
     discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 \
     extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta1 \
     flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 \
     networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 \
     policy/v1beta1 rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 \
     rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 \
     resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 \
     scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 \
     storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 \
     apiextensions.k8s.io/v1"
        .split_whitespace()
        .collect()
}

/// A `--set` value as Helm's strvals types it.
fn set_scalar(s: &str) -> J {
    match s {
        "true" => J::Bool(true),
        "false" => J::Bool(false),
        "null" => J::Null,
        _ => match s.parse::<i64>() {
            Ok(i) if !(s.len() > 1 && s.starts_with('0')) => J::from(i),
            _ => J::String(s.to_string()),
        },
    }
}

/// The simple `a.b=v,c=w` subset of `--set` that cases use.
fn apply_set(values: &mut Map<String, J>, expr: &str) {
    for pair in expr.split(',') {
        let Some((key, val)) = pair.split_once('=') else {
            continue;
        };
        let parts: Vec<&str> = key.split('.').collect();
        let Some((last, path)) = parts.split_last() else {
            continue;
        };
        let mut cur = &mut *values;
        for p in path {
            let e = cur
                .entry(p.to_string())
                .or_insert_with(|| J::Object(Map::new()));
            if !e.is_object() {
                *e = J::Object(Map::new());
            }
            match e {
                J::Object(m) => cur = m,
                _ => return,
            }
        }
        match set_scalar(val) {
            J::Null => {
                cur.remove(*last);
            }
            v => {
                cur.insert(last.to_string(), v);
            }
        }
    }
}

/// The chart and values of `case`; an error when its values do not load (as Helm fails).
pub fn case_job(case: &Case) -> Result<CaseJob, String> {
    let mut templates = Vec::new();
    let mut files = Vec::new();
    let mut values = Map::new();
    let mut sets = Vec::new();
    for (head, body) in &case.sections {
        if head == "template" {
            templates.push((
                "templates/t.yaml".to_string(),
                format!("{BEGIN}{body}{END}").into_bytes(),
            ));
        } else if head == "values" {
            values = rudder_yaml::load_values(&format!("{body}\n"))
                .map_err(|e| format!("cannot load values.yaml: {e}"))?;
        } else if let Some((p, data)) = case_file(head, body)? {
            if p.starts_with("templates/") {
                templates.push((p, data));
            } else {
                files.push((p, data));
            }
        } else if let Some(s) = head.strip_prefix("set:") {
            sets.push(s.trim().to_string());
        }
    }
    for s in &sets {
        apply_set(&mut values, s);
    }
    Ok(CaseJob {
        templates,
        files,
        values: J::Object(values),
    })
}

/// A `### file: PATH` section (the body is the file) or a `### file-base64: PATH` one (the
/// body is the file in base64, for bytes that are not text).
fn case_file(head: &str, body: &str) -> Result<Option<(String, Vec<u8>)>, String> {
    if let Some(p) = head.strip_prefix("file:") {
        return Ok(Some((p.trim().to_string(), body.as_bytes().to_vec())));
    }
    if let Some(p) = head.strip_prefix("file-base64:") {
        use base64::Engine as _;
        let data = base64::engine::general_purpose::STANDARD
            .decode(body.split_whitespace().collect::<String>())
            .map_err(|e| format!("bad base64 in `### {head}`: {e}"))?;
        return Ok(Some((p.trim().to_string(), data)));
    }
    Ok(None)
}

/// What a case's expectation is compared with: ("output", text between the sentinels) or
/// ("error", message).
fn observed(outcome: Outcome) -> (String, String) {
    match outcome {
        Outcome::Crashed(e) => ("crash".into(), e),
        Outcome::Failed(e) => ("error".into(), e),
        Outcome::Rendered(out) => {
            let text = out
                .iter()
                .find(|(n, _)| n == TARGET)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            match (text.find(BEGIN), text.rfind(END)) {
                (Some(b), Some(e)) if e >= b + BEGIN.len() => {
                    ("output".into(), text[b + BEGIN.len()..e].to_string())
                }
                _ => ("output-without-sentinels".into(), text),
            }
        }
    }
}

/// The folder of the case files.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../template-cases")
}

/// `FILE.txt: CASE` lines of `known-failures.txt`: Helm behaviours an engine does not
/// reproduce yet. The list may only shrink: a listed case that passes fails the check until
/// it is removed.
pub fn known_failures() -> Vec<String> {
    let text = std::fs::read_to_string(cases_dir().join("known-failures.txt")).unwrap_or_default();
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Runs every case (or, with `$CASES=a,b`, those of `a.txt` and `b.txt`) through `engine`,
/// prints one line per failure and a summary per file, and panics when a case fails that is
/// not a known failure, or a known failure passes. `label` names the engine in the output.
pub fn check_all(label: &str, mut engine: impl FnMut(&CaseJob) -> Outcome) {
    let only = std::env::var("CASES").ok();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/template-cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| {
            only.as_ref().is_none_or(|o| {
                o.split(',')
                    .any(|o| p.file_stem().is_some_and(|s| s.to_string_lossy() == o))
            })
        })
        .collect();
    paths.sort();
    let known = known_failures();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut failed = 0;
    let mut total = 0;
    let mut summary = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("case file");
        let file = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let cases = parse_cases(&text);
        let mut bad = 0;
        for c in &cases {
            let Some((kind, want)) = c
                .sections
                .iter()
                .find(|(h, _)| h == "output" || h == "error")
            else {
                continue;
            };
            let outcome = match case_job(c) {
                Ok(job) => engine(&job),
                Err(e) => Outcome::Failed(e),
            };
            let (got_kind, got) = observed(outcome);
            // The case format cannot hold trailing newlines: `regen` drops them.
            let got = got.trim_end_matches('\n');
            let id = format!("{file}: {}", c.name);
            let is_known = known.contains(&id);
            if &got_kind != kind || got != want {
                bad += 1;
                let tag = if is_known { "KNOWN" } else { "FAIL" };
                println!("[{label}] {tag} {id}: want {kind} {want:?}, got {got_kind} {got:?}");
                if !is_known {
                    unexpected.push(id);
                }
            } else if is_known {
                fixed.push(id);
            }
        }
        total += cases.len();
        failed += bad;
        summary.push(format!(
            "{file}: {}/{} pass",
            cases.len() - bad,
            cases.len()
        ));
    }
    for s in &summary {
        println!("[{label}] {s}");
    }
    println!(
        "[{label}] total: {}/{} pass ({} known failures listed in known-failures.txt)",
        total - failed,
        total,
        known.len()
    );
    assert!(total > 0 || only.is_some(), "no template cases found");
    assert!(
        unexpected.is_empty(),
        "[{label}] {} template case(s) failed that are not known failures: {unexpected:#?}",
        unexpected.len()
    );
    assert!(
        fixed.is_empty() || only.is_some(),
        "[{label}] these cases pass now: remove them from known-failures.txt: {fixed:#?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keep_inner_newlines_and_drop_trailing_ones() {
        let cases = parse_cases(
            "### case: a\n### template\nx\n\ny\n### output\nz\n\n\n### case: b\n### values\nk: 1\n",
        );
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "a");
        assert_eq!(cases[0].sections[0], ("template".into(), "x\n\ny".into()));
        assert_eq!(cases[0].sections[1], ("output".into(), "z".into()));
        assert_eq!(cases[1].sections[0], ("values".into(), "k: 1".into()));
    }

    #[test]
    fn sets_are_typed_like_strvals() {
        let mut m = Map::new();
        apply_set(&mut m, "a.b=1,c=true,d=007,e=x");
        assert_eq!(
            J::Object(m),
            json!({"a": {"b": 1}, "c": true, "d": "007", "e": "x"})
        );
    }

    #[test]
    fn the_text_between_sentinels_is_compared() {
        let out = Outcome::Rendered(vec![(TARGET.into(), format!("pre{BEGIN}mid{END}post"))]);
        assert_eq!(observed(out), ("output".into(), "mid".into()));
        let out = Outcome::Rendered(vec![(TARGET.into(), "none".into())]);
        assert_eq!(observed(out).0, "output-without-sentinels");
    }
}
