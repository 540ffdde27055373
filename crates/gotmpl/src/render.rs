//! Helm's engine layer (`pkg/engine/engine.go`): one template set for the whole chart tree,
//! the data each template sees, and Helm's error texts.

use std::collections::HashSet;
use std::sync::Arc;

use crate::exec::{Exec, GoErr, Set, V, has_function};
use crate::func::{self, FuncCtx, Rng};
use crate::funcs::engine::{WARN_END, WARN_START};
use crate::helm_objects::{Files, capabilities, chart_map};
use crate::parse;
use crate::value::{Map, MapType, Value};

/// One chart of the tree (see `wit/renderer.wit`).
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub parent: Option<usize>,
    pub values_key: String,
    pub path: String,
    pub metadata: serde_json::Value,
    pub templates: Vec<(String, Vec<u8>)>,
    pub files: Vec<(String, Vec<u8>)>,
    pub subcharts: Vec<usize>,
}

/// Everything one render needs.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub charts: Vec<Chart>,
    /// The release's values (decoded from the host's JSON with [`Value`]'s `Deserialize`, or
    /// converted with [`Value::from_json`]).
    pub values: Value,
    pub release: serde_json::Value,
    pub capabilities: serde_json::Value,
    pub targets: Vec<String>,
    pub strict: bool,
    /// Helm's lint mode (see [`crate::func::FuncCtx::lint`]).
    pub lint: bool,
    pub now: (i64, u32),
    pub seed: u64,
}

/// Why a render failed: Helm's message (what follows `Error: `) and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub source_line: Option<String>,
    pub call_stack: Vec<String>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// The name of Helm's root template, which `tpl` templates are named after.
const ROOT_NAME: &str = "gotpl";

fn is_library(meta: &serde_json::Value) -> bool {
    meta.get("type")
        .and_then(|t| t.as_str())
        .is_some_and(|t| t.eq_ignore_ascii_case("library"))
}

fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Helm's parse order: deeper paths first, then names in reverse order; a later `define`
/// of a name replaces an earlier one, so the shallowest, alphabetically first file wins.
fn sort_templates(names: &mut [(String, usize, usize)]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.0.matches('/').count(), b.0.matches('/').count());
        cb.cmp(&ca).then_with(|| b.0.cmp(&a.0))
    });
}

/// Builds each chart's top-level data map (without `.Template`).
fn chart_data(job: &Job) -> Vec<Arc<Map>> {
    let n = job.charts.len();
    let root_values = job.values.clone();
    // Values per chart, walking `values_key` from the root.
    let mut values: Vec<Value> = Vec::with_capacity(n);
    for c in &job.charts {
        let v = match c.parent {
            None => root_values.clone(),
            Some(p) => match values.get(p) {
                Some(Value::Map(m)) => match m.get(&c.values_key) {
                    Some(v @ Value::Map(_)) => v.clone(),
                    _ => Value::map(Map::new()),
                },
                _ => Value::map(Map::new()),
            },
        };
        values.push(v);
    }
    let release = release_value(&job.release);
    let caps = capabilities(&job.capabilities);
    let mut data: Vec<Option<Arc<Map>>> = vec![None; n];
    // Children come after their parents: build from the end so subcharts exist first.
    for i in (0..n).rev() {
        let c = &job.charts[i];
        let mut subs = Map::new();
        for &s in &c.subcharts {
            if let Some(Some(d)) = data.get(s) {
                let name = job.charts[s]
                    .metadata
                    .get("name")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                subs.insert(name, Value::Map(d.clone()));
            }
        }
        let mut m = Map::new();
        m.insert("Chart".into(), chart_map(&c.metadata, c.parent.is_none()));
        m.insert(
            "Files".into(),
            Value::Object(Arc::new(Files::new(&c.files))),
        );
        m.insert("Release".into(), release.clone());
        m.insert("Capabilities".into(), caps.clone());
        m.insert("Values".into(), as_common_values(values[i].clone()));
        m.insert("Subcharts".into(), Value::map(subs));
        data[i] = Some(Arc::new(m));
    }
    data.into_iter().map(|d| d.unwrap_or_default()).collect()
}

/// A chart's values as templates see them: Helm's `common.Values`.
fn as_common_values(v: Value) -> Value {
    match v {
        Value::Map(m) => Value::NamedMap(MapType::Values, m),
        other => other,
    }
}

fn release_value(r: &serde_json::Value) -> Value {
    match Value::from_json(r) {
        Value::Map(m) => {
            let mut m = (*m).clone();
            // `Revision` is a Go int.
            if let Some(Value::Int64(i)) = m.get("Revision").cloned() {
                m.insert("Revision".into(), Value::Int(i));
            }
            Value::map(m)
        }
        other => other,
    }
}

/// Helm's `cleanupParseError`.
fn parse_error_message(filename: &str, msg: &str) -> String {
    let tokens: Vec<&str> = msg.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {msg}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

#[derive(PartialEq, Eq)]
struct Traceable {
    location: String,
    message: String,
    executed: String,
}

impl Traceable {
    fn write(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed.is_empty() {
            out.push_str(&self.executed);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

fn cut_template(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_traceable(s: &str) -> Option<Traceable> {
    let rest = s.strip_prefix("template: ")?;
    if rest.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed: String::new(),
        });
    }
    // The executing form; anything else falls through to the simple form, as in Helm.
    if let Some((name, after)) = rest.split_once(": executing ")
        && let Some(after) = after.strip_prefix('"')
        && let Some(q) = after.find('"')
        && let Some(after_at) = after[q + 1..].strip_prefix(" at <")
        && let Some((loc, msg)) = after_at.split_once(">: ")
    {
        return Some(Traceable {
            location: name.to_string(),
            message: cut_template(msg).to_string(),
            executed: format!("executing \"{}\" at <{loc}>:", &after[..q]),
        });
    }
    let sep = rest.rfind(": ")?;
    Some(Traceable {
        location: rest[..sep].to_string(),
        message: cut_template(&rest[sep + 2..]).to_string(),
        executed: String::new(),
    })
}

/// Helm's `reformatExecErrorMsg`.
pub fn exec_error_message(filename: &str, err: &GoErr) -> String {
    let tokens: Vec<&str> = err.text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {}", err.text);
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START)
        && let Some(end) = tokens[2].rfind(WARN_END)
        && end >= start + WARN_START.len()
    {
        return format!(
            "execution error at ({location}): {}",
            &tokens[2][start + WARN_START.len()..end]
        );
    }
    let mut locs: Vec<Traceable> = Vec::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        match parse_traceable(&e.text) {
            Some(t) => {
                if locs.last() != Some(&t) {
                    locs.push(t);
                }
            }
            None => return err.text.clone(),
        }
        cur = e.next.as_deref();
    }
    let mut out = String::new();
    for l in &locs {
        l.write(&mut out);
    }
    out.trim().to_string()
}

fn to_render_error(message: String, err: &GoErr) -> RenderError {
    let pos = err.innermost_pos();
    RenderError {
        message,
        file: pos.map(|p| p.file.clone()),
        line: pos.map_or(0, |p| p.line),
        column: pos.map_or(0, |p| p.column + 1),
        source_line: pos.map(|p| p.source_line.clone()),
        call_stack: err.call_stack(),
    }
}

/// What [`render_output`] produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Each executed template's name and text, in execution order.
    pub templates: Vec<(String, String)>,
    /// A template changed in place (with `set`, `unset`, `merge`...) a map that the templates
    /// after it also see: its chart's top-level map (`set $ "Values" ...`), `.Values` or
    /// another part of the shared data. Templates executed by
    /// separate renders would not see that change, so a host that splits the targets across
    /// several renders must render them again in one.
    pub shared_data_changed: bool,
}

/// Renders the job's target templates, as Helm's `engine.Render` does (output not yet split
/// into documents; `<no value>` already removed).
pub fn render(job: &Job, host: &dyn func::Host) -> Result<Vec<(String, String)>, RenderError> {
    render_output(job, host).map(|o| o.templates)
}

/// The seed of one template's random numbers: the job's seed mixed with the template's name,
/// so a template draws the same numbers whichever other templates the same render executes.
fn template_seed(seed: u64, name: &str) -> u64 {
    // FNV-1a of the name.
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    seed ^ h
}

/// Addresses of every map reachable from `data`: the maps all templates share.
fn shared_maps(data: &[Arc<Map>]) -> HashSet<usize> {
    fn walk(v: &Value, seen: &mut HashSet<usize>, depth: usize) {
        if depth > 256 {
            return;
        }
        if let Some(m) = v.as_map() {
            if seen.insert(Arc::as_ptr(m) as *const () as usize) {
                for x in m.values() {
                    walk(x, seen, depth + 1);
                }
            }
        } else if let Some(l) = v.as_list() {
            for x in l.iter() {
                walk(x, seen, depth + 1);
            }
        }
    }
    let mut seen = HashSet::new();
    for m in data {
        for x in m.values() {
            walk(x, &mut seen, 0);
        }
    }
    seen
}

/// [`render`], also telling whether templates changed data they share.
pub fn render_output(job: &Job, host: &dyn func::Host) -> Result<Output, RenderError> {
    // Every template of the tree, with its chart index and template index.
    let mut names: Vec<(String, usize, usize)> = Vec::new();
    for (ci, c) in job.charts.iter().enumerate() {
        let lib = is_library(&c.metadata);
        for (ti, (rel, _)) in c.templates.iter().enumerate() {
            if lib && !base_name(rel).starts_with('_') {
                continue;
            }
            names.push((format!("{}/{}", c.path, rel), ci, ti));
        }
    }
    sort_templates(&mut names);

    let mut set = Set::new();
    for (name, ci, ti) in &names {
        let data = &job.charts[*ci].templates[*ti].1;
        // A template is Go text: bytes that are not UTF-8 pass through to its output.
        let text = rudder_gocompat::gostr::from_bytes(data);
        match parse::parse(name, &text, &has_function) {
            Ok(trees) => {
                for t in trees {
                    set.add(t);
                }
            }
            Err(e) => {
                let line = e.message.clone();
                return Err(RenderError {
                    message: parse_error_message(name, &line),
                    file: Some(name.clone()),
                    line: e.line as u32,
                    column: e.column as u32,
                    source_line: text
                        .lines()
                        .nth(e.line.saturating_sub(1))
                        .map(str::to_string),
                    call_stack: vec![name.clone()],
                });
            }
        }
    }

    let data = chart_data(job);
    let ctx = FuncCtx {
        host,
        now: job.now,
        rng: Rng::new(job.seed),
        lint: job.lint,
    };
    let mut exec = Exec::new(ctx, job.strict, ROOT_NAME);
    // A set: the host names every template of a big chart, and a scan per template was
    // quadratic (half the time of a 5,000-template chart).
    let targets: std::collections::HashSet<&str> = job.targets.iter().map(String::as_str).collect();
    let wanted = |n: &str| {
        if job.targets.is_empty() {
            !base_name(n).starts_with('_')
        } else {
            targets.contains(n)
        }
    };
    // Helm builds one top-level map per chart (a subchart's is also its parent's
    // `.Subcharts.NAME`) and executes every template of the chart with that same map, after
    // setting its `Template` key in place. So what a template changes in it (`set $ "Values"
    // ...`, istio's profiles) or in anything it holds, every later template sees. Here the
    // chart's map is changed in place the same way: each template gets the current version
    // with its own `Template`, recorded as an in-place change of the previous one.
    let addr = |m: &Arc<Map>| Arc::as_ptr(m) as *const () as usize;
    let mut engine_changes: HashSet<usize> = HashSet::new();
    let mut tops: HashSet<usize> = data.iter().map(addr).collect();
    let mut out = Vec::new();
    for (name, ci, _) in &names {
        if !wanted(name) || base_name(name).starts_with('_') {
            continue;
        }
        let current = exec.fwd(Value::Map(data[*ci].clone()));
        let mut m = current.as_map().map(|m| (**m).clone()).unwrap_or_default();
        let base = format!("{}/templates", job.charts[*ci].path);
        let mut t = Map::new();
        t.insert("Name".into(), Value::str(name.as_str()));
        t.insert("BasePath".into(), Value::str(base));
        m.insert(
            "Template".into(),
            Value::NamedMap(MapType::Values, Arc::new(t)),
        );
        let m = Arc::new(m);
        if let Some(c) = current.as_map()
            && exec.record_change(&current, &Value::Map(m.clone()))
        {
            engine_changes.insert(addr(c));
        }
        tops.insert(addr(&m));
        let dot = Value::NamedMap(MapType::Values, m);
        let mut buf = String::new();
        exec.ctx.rng = Rng::new(template_seed(job.seed, name));
        if let Err(e) = exec.execute_template(&set, name, V::val(dot), &mut buf) {
            let msg = exec_error_message(name, &e);
            return Err(to_render_error(msg, &e));
        }
        let text = if buf.contains("<no value>") {
            buf.replace("<no value>", "")
        } else {
            buf
        };
        out.push((name.clone(), text));
    }
    // Changes a template made (not the engine's `Template` updates) to a chart's top-level
    // map or to anything reachable from it.
    let shared_data_changed = exec.forward.len() > engine_changes.len() && {
        let shared = shared_maps(&data);
        exec.forward
            .keys()
            .any(|k| !engine_changes.contains(k) && (shared.contains(k) || tops.contains(k)))
    };
    Ok(Output {
        templates: out,
        shared_data_changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(templates: &[(&str, &str)], targets: &[&str]) -> Job {
        Job {
            charts: vec![Chart {
                path: "c".into(),
                metadata: serde_json::json!({"name": "c", "version": "0.1.0"}),
                templates: templates
                    .iter()
                    .map(|(n, t)| (format!("templates/{n}"), t.as_bytes().to_vec()))
                    .collect(),
                ..Chart::default()
            }],
            values: Value::from_json(&serde_json::json!({"a": {"b": 1}})),
            release: serde_json::json!({}),
            capabilities: serde_json::json!({}),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            seed: 42,
            ..Job::default()
        }
    }

    #[test]
    fn in_place_changes_to_shared_data_are_reported() {
        let changed = |t: &str| {
            render_output(&job(&[("a.yaml", t)], &[]), &func::Offline)
                .expect("render")
                .shared_data_changed
        };
        assert!(changed(r#"{{ $_ := set .Values "x" 1 }}"#));
        assert!(changed(r#"{{ $_ := unset .Values.a "b" }}"#));
        assert!(changed(r#"{{ $_ := merge .Values.a (dict "c" 2) }}"#));
        assert!(!changed(
            r#"{{ $d := dict }}{{ $_ := set $d "x" 1 }}{{ $d.x }}"#
        ));
        assert!(!changed(
            r#"{{ $_ := merge (dict) .Values.a }}{{ .Values.a.b }}"#
        ));
        assert!(!changed(
            r#"{{ $v := deepCopy .Values }}{{ $_ := set $v "x" 1 }}"#
        ));
        assert!(changed(r#"{{ $_ := set $ "Values" (dict) }}"#));
        assert!(changed(r#"{{ $_ := set . "x" 1 }}"#));
        assert!(!changed(
            r#"{{ .Template.Name }}{{ $_ := set (dict) "x" 1 }}"#
        ));
    }

    #[test]
    fn templates_share_one_top_level_map_per_chart() {
        // Executed in reverse path order: z.yaml first.
        let templates = [
            (
                "a.yaml",
                "{{ .Values.x }} {{ typeOf .Values }} {{ .y }} {{ .Template.Name }}",
            ),
            (
                "z.yaml",
                r#"{{ $_ := set $ "Values" (dict "x" "z") }}{{ $_ := set . "y" 2 }}"#,
            ),
        ];
        let out = render_output(&job(&templates, &[]), &func::Offline).expect("render");
        assert_eq!(
            out.templates[1],
            (
                "c/templates/a.yaml".to_string(),
                "z map[string]interface {} 2 c/templates/a.yaml".to_string()
            )
        );
        assert!(out.shared_data_changed);
    }

    #[test]
    fn random_numbers_do_not_depend_on_the_other_targets() {
        let templates = [
            ("a.yaml", "{{ randAlphaNum 12 }}"),
            ("b.yaml", "{{ randAlphaNum 12 }}"),
        ];
        let all = render(&job(&templates, &[]), &func::Offline).expect("render");
        let only_b =
            render(&job(&templates, &["c/templates/b.yaml"]), &func::Offline).expect("render");
        let b = all
            .iter()
            .find(|(n, _)| n == "c/templates/b.yaml")
            .expect("b rendered");
        assert_eq!(all.len(), 2);
        assert_eq!(only_b, vec![b.clone()]);
        assert_ne!(all[0].1, all[1].1);
    }

    #[test]
    fn parse_errors_keep_location_and_last_part() {
        assert_eq!(
            parse_error_message(
                "c/t.yaml",
                "template: c/t.yaml:3: function \"x\" not defined"
            ),
            "parse error at (c/t.yaml:3): function \"x\" not defined"
        );
        assert_eq!(
            parse_error_message("c/t.yaml", "odd"),
            "parse error in (c/t.yaml): odd"
        );
    }

    #[test]
    fn exec_errors_are_reformatted_like_helm() {
        let inner = GoErr::plain(
            "template: c/_h.tpl:1:5: executing \"h\" at <.x.y>: nil pointer evaluating interface {}.y",
        );
        let outer = GoErr::wrap(
            "template: c/t.yaml:1:3: executing \"c/t.yaml\" at <include \"h\" .>: error calling include",
            inner,
        );
        assert_eq!(
            exec_error_message("c/t.yaml", &outer),
            "c/t.yaml:1:3\n  executing \"c/t.yaml\" at <include \"h\" .>:\n    error calling include:\n\
             c/_h.tpl:1:5\n  executing \"h\" at <.x.y>:\n    nil pointer evaluating interface {}.y"
        );
    }

    #[test]
    fn required_and_fail_messages_win() {
        let e = GoErr::plain(format!(
            "template: c/t.yaml:2:3: executing \"c/t.yaml\" at <fail \"x\">: error calling fail: {WARN_START}boom: really{WARN_END}"
        ));
        assert_eq!(
            exec_error_message("c/t.yaml", &e),
            "execution error at (c/t.yaml:2:3): boom: really"
        );
    }

    #[test]
    fn unparseable_chains_stay_raw() {
        let cause = GoErr::plain("strconv.Atoi: bad");
        let e = GoErr::wrap(
            "template: c/t.yaml:1:3: executing \"c/t.yaml\" at <atoi 1>: error calling atoi",
            cause,
        );
        assert_eq!(exec_error_message("c/t.yaml", &e), e.text);
    }
}
