//! The reports of `rudder lint`, each a printer over the same findings: text for people
//! (Helm's lines, grouped per chart), JSON (documented in docs/lint.md), SARIF 2.1.0, JUnit
//! XML and GitHub workflow annotations.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use rudder::check::{Finding, Severity};
use rudder::lint::{ChartReport, HOST, HOST_RULES, LintError, Linters};

use super::ReportFormat;

/// Everything a report shows.
pub struct Report<'a> {
    pub charts: &'a [ChartReport],
    /// Charts that could not be linted at all.
    pub errors: &'a [(PathBuf, LintError)],
    pub linters: &'a Linters,
    /// The severity at which a finding fails its chart.
    pub fail_at: Severity,
    /// Text only: leave out info findings and clean charts.
    pub quiet: bool,
    /// Where paths in SARIF and annotations are relative to.
    pub cwd: &'a Path,
}

impl Report<'_> {
    /// Counted (not suppressed) findings of severity `s`, over every chart.
    fn count(&self, s: Severity) -> usize {
        self.charts
            .iter()
            .flat_map(|c| c.counted())
            .filter(|f| f.severity == s)
            .count()
    }

    fn suppressed(&self) -> usize {
        self.charts
            .iter()
            .map(|c| c.findings.len() - c.counted().count())
            .sum()
    }

    /// Charts with a finding at the failing severity.
    fn failed(&self) -> usize {
        self.charts.iter().filter(|c| c.fails(self.fail_at)).count()
    }
}

/// The report in `format`; `terminal`: stdout is where it goes (text may be coloured).
pub fn render(report: &Report<'_>, format: ReportFormat, terminal: bool) -> String {
    match format {
        ReportFormat::Text => {
            let colour = terminal
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            text(report, colour)
        }
        ReportFormat::Json => json_report(report),
        ReportFormat::Sarif => sarif(report),
        ReportFormat::Junit => junit(report),
        ReportFormat::Github => github(report),
    }
}

/// Helm's severity words.
fn helm_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

/// A chart as the report names it: its path, and the values case if any.
fn chart_label(c: &ChartReport) -> String {
    match &c.case {
        Some(case) => format!("{} ({case})", c.chart.display()),
        None => c.chart.display().to_string(),
    }
}

/// The chart file a finding is about, relative to the chart's root (`templates/x.yaml`):
/// the plugin's position, or the object's template without the chart's name.
pub fn chart_file(f: &Finding) -> String {
    let file = f
        .position
        .as_ref()
        .map(|p| p.file.clone())
        .or_else(|| f.object.as_ref().map(|o| o.template.clone()))
        .unwrap_or_default();
    match &f.object {
        // Templates are named `chart/templates/x.yaml`, `chart/charts/sub/templates/x.yaml`.
        Some(_) => file
            .split_once('/')
            .map_or(file.clone(), |(_, rest)| rest.to_string()),
        None => file,
    }
}

/// Where a finding points in the chart for SARIF and annotations: the template line behind
/// it when known (its file relative to the chart's root), else its chart file, line 1.
fn file_and_line(f: &Finding) -> (String, u32) {
    match &f.source {
        Some(src) => (
            src.file
                .split_once('/')
                .map_or(src.file.clone(), |(_, r)| r.to_string()),
            src.line.max(1),
        ),
        None => (chart_file(f), 1),
    }
}

/// The line Helm prints for a finding (`[ERROR] templates/: message`); findings of
/// other rules also name their object, path and rule.
fn finding_line(c: &ChartReport, f: &Finding) -> String {
    // Helm names the chart folder as it was given (`.` in a finding).
    let file = match chart_file(f).as_str() {
        "." => c.chart.display().to_string(),
        other => other.to_string(),
    };
    let mut line = format!("[{}] {file}: ", helm_level(f.severity));
    if let Some(o) = f.object.as_ref().filter(|_| !f.rule.starts_with("helm/")) {
        if o.namespace.is_empty() {
            let _ = write!(line, "{} {}", o.kind, o.name);
        } else {
            let _ = write!(line, "{} {}/{}", o.kind, o.namespace, o.name);
        }
        if let Some(p) = &f.path {
            let _ = write!(line, " at {p}");
        }
        line.push_str(": ");
    }
    line.push_str(&f.message);
    if !f.rule.starts_with("helm/") {
        let _ = write!(line, " ({})", f.rule);
    }
    line
}

fn text(report: &Report<'_>, colour: bool) -> String {
    let paint = |s: Severity, text: String| -> String {
        if !colour {
            return text;
        }
        let code = match s {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let mut out = String::new();
    for c in report.charts {
        let counted: Vec<&Finding> = c.counted().collect();
        let serious = counted.iter().any(|f| f.severity < Severity::Info);
        if report.quiet && !serious {
            continue;
        }
        let _ = writeln!(out, "==> Linting {}", chart_label(c));
        for f in counted {
            if report.quiet && f.severity == Severity::Info {
                continue;
            }
            let _ = writeln!(out, "{}", paint(f.severity, finding_line(c, f)));
            if let Some(src) = &f.source {
                let _ = write!(out, "    at {}:{}", src.file, src.line);
                if let Some(v) = &f.values_path {
                    let _ = write!(out, " (values: {v})");
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }
    for (chart, e) in report.errors {
        let _ = writeln!(out, "==> Linting {}\nError {e}\n", chart.display());
    }
    let total = report.charts.len() + report.errors.len();
    if report.failed() == 0 && report.errors.is_empty() {
        let _ = writeln!(out, "{total} chart(s) linted, 0 chart(s) failed");
    }
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info, {} suppressed",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.suppressed()
    );
    out
}

/// Every rule of the run: the host's, then each plugin's, with the plugin that offers it.
fn all_rules(linters: &Linters) -> Vec<(String, String, Severity, String, String)> {
    let mut rules: Vec<(String, String, Severity, String, String)> = HOST_RULES
        .iter()
        .map(|(id, s, d)| {
            (
                (*id).to_string(),
                HOST.to_string(),
                *s,
                (*d).to_string(),
                docs_url(id),
            )
        })
        .collect();
    for (linter, list) in &linters.linters {
        let name = &linter.meta().info.name;
        for r in list {
            if rules.iter().any(|x| x.0 == r.id) {
                continue;
            }
            rules.push((
                r.id.clone(),
                name.clone(),
                r.severity,
                r.description.clone(),
                r.docs_url.clone(),
            ));
        }
    }
    rules
}

/// [`all_rules`], then the policies' codes that `charts` found (policies do not list their
/// codes ahead), each described by its policy's description.
fn rules_with_policies(
    linters: &Linters,
    charts: &[ChartReport],
) -> Vec<(String, String, Severity, String, String)> {
    let mut rules = all_rules(linters);
    for p in &linters.policies {
        let name = p.name();
        let prefix = format!("{name}/");
        for f in charts.iter().flat_map(|c| &c.findings) {
            if f.rule.starts_with(&prefix) && !rules.iter().any(|x| x.0 == f.rule) {
                rules.push((
                    f.rule.clone(),
                    name.to_string(),
                    f.severity,
                    format!("policy {name}: {}", p.policy.meta().info.description),
                    String::new(),
                ));
            }
        }
    }
    rules
}

fn docs_url(id: &str) -> String {
    format!("https://github.com/rudder-sh/rudder/blob/main/docs/rules/{id}.md")
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "rule": f.rule,
        "plugin": f.plugin,
        "severity": f.severity.as_str(),
        "message": f.message,
        "file": chart_file(f),
        "object": f.object.as_ref().map(|o| json!({
            "apiVersion": o.api_version,
            "kind": o.kind,
            "name": o.name,
            "namespace": o.namespace,
            "template": o.template,
            "document": o.document,
        })),
        "path": f.path,
        "source": f.source.as_ref().map(|p| json!({"file": p.file, "line": p.line, "column": p.column})),
        "valuesPath": f.values_path,
        "suppressed": f.suppressed.as_ref().map(|r| json!({"reason": r})),
    })
}

fn json_report(report: &Report<'_>) -> String {
    let charts: Vec<Value> = report
        .charts
        .iter()
        .map(|c| {
            json!({
                "chart": c.chart.display().to_string(),
                "case": c.case,
                "name": c.name,
                "version": c.version,
                "failed": c.fails(report.fail_at),
                "findings": c.findings.iter().map(finding_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|(chart, e)| json!({"chart": chart.display().to_string(), "error": e.to_string()}))
        .collect();
    let rules: Vec<Value> = rules_with_policies(report.linters, report.charts)
        .into_iter()
        .map(|(id, plugin, s, d, url)| {
            json!({"id": id, "plugin": plugin, "severity": s.as_str(), "description": d, "docsUrl": url})
        })
        .collect();
    let doc = json!({
        "schemaVersion": 1,
        "tool": {"name": "rudder", "version": env!("CARGO_PKG_VERSION")},
        "failAt": report.fail_at.as_str(),
        "summary": {
            "charts": report.charts.len() + report.errors.len(),
            "failed": report.failed() + report.errors.len(),
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
            "suppressed": report.suppressed(),
        },
        "charts": charts,
        "errors": errors,
        "rules": rules,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A path for SARIF and annotations: relative to `cwd` when under it, `/` separated.
fn repo_path(cwd: &Path, chart: &Path, file: &str) -> String {
    let full = if chart.is_absolute() {
        chart.to_path_buf()
    } else {
        cwd.join(chart)
    };
    let rel = full
        .strip_prefix(cwd)
        .map_or(full.clone(), Path::to_path_buf);
    let mut p = rel.to_string_lossy().replace('\\', "/");
    let p2 = p.trim_start_matches("./").to_string();
    p = p2;
    if p.ends_with(".tgz") || p.ends_with(".tar.gz") {
        return p;
    }
    let file = file.trim_end_matches('/');
    if file.is_empty() || file == "." {
        p
    } else if p.is_empty() {
        file.to_string()
    } else {
        format!("{p}/{file}")
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A stable fingerprint of a finding: rule, chart file, object and message.
fn fingerprint(c: &ChartReport, f: &Finding) -> String {
    use std::hash::{Hash as _, Hasher as _};
    // FNV-1a, stable across runs and builds (unlike the std hasher).
    struct Fnv(u64);
    impl std::hash::Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    c.chart.to_string_lossy().hash(&mut h);
    c.case.hash(&mut h);
    f.rule.hash(&mut h);
    chart_file(f).hash(&mut h);
    if let Some(o) = &f.object {
        (&o.kind, &o.namespace, &o.name).hash(&mut h);
    }
    f.path.hash(&mut h);
    f.message.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn sarif(report: &Report<'_>) -> String {
    let rules = rules_with_policies(report.linters, report.charts);
    let rule_json: Vec<Value> = rules
        .iter()
        .map(|(id, plugin, s, d, url)| {
            let mut r = json!({
                "id": id,
                "name": rule_name(id),
                "shortDescription": {"text": d},
                "fullDescription": {"text": format!("{d} (plugin {plugin})")},
                "defaultConfiguration": {"level": sarif_level(*s)},
                "properties": {"tags": rule_tags(id)},
            });
            if !url.is_empty() {
                r["helpUri"] = json!(url);
                r["help"] = json!({"text": format!("{d}. See {url}")});
            } else {
                r["help"] = json!({"text": d});
            }
            r
        })
        .collect();
    let mut results = Vec::new();
    for c in report.charts {
        for f in &c.findings {
            let index = rules.iter().position(|r| r.0 == f.rule);
            let (uri_file, line) = file_and_line(f);
            let mut message = f.message.clone();
            if let Some(o) = &f.object {
                message = format!("{} {}: {message}", o.kind, o.name);
            }
            if let Some(case) = &c.case {
                message.push_str(&format!(" (values case {case})"));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": repo_path(report.cwd, &c.chart, &uri_file),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {"startLine": line},
                },
            });
            if let Some(o) = &f.object {
                let fq = if o.namespace.is_empty() {
                    format!("{}/{}", o.kind, o.name)
                } else {
                    format!("{}/{}/{}", o.namespace, o.kind, o.name)
                };
                location["logicalLocations"] = json!([{
                    "fullyQualifiedName": match &f.path { Some(p) => format!("{fq}/{p}"), None => fq.clone() },
                    "name": o.name,
                    "kind": "object",
                }]);
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": {"text": message},
                "locations": [location],
                "partialFingerprints": {"rudderFinding/v1": fingerprint(c, f)},
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            let mut props = serde_json::Map::new();
            props.insert("chart".into(), json!(c.chart.display().to_string()));
            if let Some(p) = &f.path {
                props.insert("objectPath".into(), json!(p));
            }
            if let Some(v) = &f.values_path {
                props.insert("valuesPath".into(), json!(v));
            }
            result["properties"] = Value::Object(props);
            if let Some(reason) = &f.suppressed {
                result["suppressions"] = json!([{"kind": "inSource", "justification": reason}]);
            }
            results.push(result);
        }
    }
    let root = format!(
        "file://{}/",
        report.cwd.to_string_lossy().trim_end_matches('/')
    );
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rudder",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/rudder-sh/rudder",
                "rules": rule_json,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A rule's tags for SARIF readers: its family, and what it is about.
fn rule_tags(id: &str) -> Vec<&str> {
    let family = id.split('/').next().unwrap_or(id);
    let mut tags = vec![family];
    for t in ["kubernetes", "helm"] {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

/// A rule's name for SARIF: its id's last part in PascalCase (`bp/run-as-non-root` →
/// `RunAsNonRoot`).
fn rule_name(id: &str) -> String {
    id.rsplit('/')
        .next()
        .unwrap_or(id)
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn junit(report: &Report<'_>) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for c in report.charts {
        let counted: Vec<&Finding> = c.counted().collect();
        let fails: Vec<&&Finding> = counted
            .iter()
            .filter(|f| f.severity <= report.fail_at)
            .collect();
        let n = counted.len().max(1);
        tests += n;
        failures += fails.len();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            xml(&chart_label(c)),
            fails.len()
        );
        if counted.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase name=\"lint\" classname=\"{}\"/>",
                xml(&chart_label(c))
            );
        }
        for f in &counted {
            let name = match &f.object {
                Some(o) => format!("{} {} {}", f.rule, o.kind, o.name),
                None => format!("{} {}", f.rule, chart_file(f)),
            };
            let _ = write!(
                suites,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&name),
                xml(&chart_label(c))
            );
            if f.severity <= report.fail_at {
                let _ = writeln!(
                    suites,
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    xml(&f.message),
                    xml(f.severity.as_str()),
                    xml(&finding_line(c, f))
                );
            } else {
                let _ = writeln!(
                    suites,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml(&finding_line(c, f))
                );
            }
        }
        let _ = writeln!(suites, "  </testsuite>");
    }
    for (chart, e) in report.errors {
        tests += 1;
        errors += 1;
        let label = xml(&chart.display().to_string());
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{label}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"load\" classname=\"{label}\">\n      <error message=\"{}\"/>\n    </testcase>\n  </testsuite>",
            xml(&e.to_string())
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rudder lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// GitHub's workflow-command escaping: of the message, and (more) of a property.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(report: &Report<'_>) -> String {
    let mut out = String::new();
    for c in report.charts {
        for f in c.counted() {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (file, line) = file_and_line(f);
            let _ = writeln!(
                out,
                "::{level} file={},line={line},title={}::{}",
                gh_property(&repo_path(report.cwd, &c.chart, &file)),
                gh_property(&f.rule),
                gh_data(&finding_line(c, f))
            );
        }
    }
    for (chart, e) in report.errors {
        let _ = writeln!(
            out,
            "::error file={}::{}",
            gh_property(&chart.display().to_string()),
            gh_data(&e.to_string())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_xml_and_github() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(gh_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(gh_data("50%\ndone"), "50%25%0Adone");
        assert_eq!(rule_name("bp/run-as-non-root"), "RunAsNonRoot");
    }

    #[test]
    fn paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/repo");
        assert_eq!(
            repo_path(cwd, Path::new("charts/web"), "templates/a.yaml"),
            "charts/web/templates/a.yaml"
        );
        assert_eq!(
            repo_path(cwd, Path::new("/repo/charts/web"), "Chart.yaml"),
            "charts/web/Chart.yaml"
        );
        assert_eq!(
            repo_path(cwd, Path::new("./web"), "templates/"),
            "web/templates"
        );
        assert_eq!(
            repo_path(cwd, Path::new("web-1.0.0.tgz"), "Chart.yaml"),
            "web-1.0.0.tgz"
        );
    }
}
