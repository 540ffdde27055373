//! Dependency processing before rendering, as Helm's `ProcessDependencies`
//! (`pkg/chart/v2/util/dependencies.go`): aliases, `condition`s and `tags` decide which
//! subcharts stay, then `import-values` copy child values into parents.

use serde_json::{Map, Value};

use super::coalesce::{coalesce_root, coalesce_values};
use super::shared;
use super::{Log, ValuesError};
use crate::chart::{Chart, Dependency};
use rudder_gocompat::semver::is_compatible_range;

/// Helm's `ProcessDependencies`.
pub fn process_dependencies(
    log: &mut Log,
    chart: &mut Chart,
    vals: &Map<String, Value>,
) -> Result<(), ValuesError> {
    process_enabled(log, chart, vals, "")?;
    process_import_values_tree(log, chart)
}

/// A copy of the vendored chart `dep` refers to, renamed to its alias.
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    let c = charts
        .iter()
        .find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut out = c.clone();
    if !dep.alias.is_empty() {
        out.metadata.name = dep.alias.clone();
    }
    Some(out)
}

/// `Values.Table`: follows a dotted path of maps.
pub(crate) fn table<'a>(
    vals: &'a Map<String, Value>,
    path: &str,
) -> Result<&'a Map<String, Value>, String> {
    let mut t = vals;
    for part in path.split('.') {
        match t.get(part) {
            Some(Value::Object(m)) => t = m,
            _ => return Err(format!("{} is not a table", super::strvals::go_quote(part))),
        }
    }
    Ok(t)
}

/// `Values.PathValue`: the non-table value at a dotted path.
fn path_value<'a>(vals: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let (last, init) = parts.split_last()?;
    let t = if init.is_empty() {
        vals
    } else {
        table(vals, &init.join(".")).ok()?
    };
    match t.get(*last) {
        Some(Value::Object(_)) | None => None,
        Some(v) => Some(v),
    }
}

fn process_enabled(
    log: &mut Log,
    chart: &mut Chart,
    vals: &Map<String, Value>,
    path: &str,
) -> Result<(), ValuesError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let existing = std::mem::take(&mut chart.dependencies);
    let mut deps: Vec<Chart> = Vec::new();
    // Vendored charts no entry of Chart.yaml claims are kept as they are.
    for c in &existing {
        let claimed = chart.metadata.dependencies.iter().any(|req| {
            c.name() == req.name && is_compatible_range(&req.version, &c.metadata.version)
        });
        if !claimed {
            if let Some(req) = chart
                .metadata
                .dependencies
                .iter()
                .find(|req| req.name == c.name())
            {
                log.warn(
                    "dependency version constraint does not match the vendored chart; it is used as is (not aliased)",
                    &[
                        ("chart", req.name.clone()),
                        ("constraint", req.version.clone()),
                        ("version", c.metadata.version.clone()),
                    ],
                );
            }
            deps.push(c.clone());
        }
    }
    for req in &mut chart.metadata.dependencies {
        if let Some(cd) = alias_dependency(&existing, req) {
            deps.push(cd);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    chart.dependencies = deps;
    for req in &mut chart.metadata.dependencies {
        req.enabled = true;
    }
    let cvals = coalesce_values(log, chart, vals.clone())?;

    // Tags.
    if let Ok(tags) = table(&cvals, "tags") {
        for req in &mut chart.metadata.dependencies {
            let (mut has_true, mut has_false) = (false, false);
            for k in &req.tags {
                match tags.get(k) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    Some(_) => log.warn(
                        "returned non-bool value",
                        &[("tag", k.clone()), ("chart", req.name.clone())],
                    ),
                    None => {}
                }
            }
            if !has_true && has_false {
                req.enabled = false;
            } else if has_true || !has_false {
                req.enabled = true;
            }
        }
    }
    // Conditions: the first path that resolves to a bool decides.
    for req in &mut chart.metadata.dependencies {
        for c in req.condition.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            let full = format!("{path}{c}");
            match path_value(&cvals, &full) {
                Some(Value::Bool(b)) => {
                    req.enabled = *b;
                    break;
                }
                Some(_) => log.warn(
                    "returned non-bool value",
                    &[("path", c.to_string()), ("chart", req.name.clone())],
                ),
                None => {}
            }
        }
    }
    let removed: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|c| !removed.iter().any(|n| n == c.name()));
    chart
        .metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));
    for sub in &mut chart.dependencies {
        let subpath = format!("{path}{}.", sub.name());
        process_enabled(log, sub, &cvals, &subpath)?;
    }
    Ok(())
}

fn process_import_values_tree(log: &mut Log, chart: &mut Chart) -> Result<(), ValuesError> {
    for d in &mut chart.dependencies {
        process_import_values_tree(log, d)?;
    }
    process_import_values(log, chart)
}

fn process_import_values(log: &mut Log, chart: &mut Chart) -> Result<(), ValuesError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Helm's MergeValues: nulls kept.
    let cvals = shared::from_map(coalesce_root(log, chart, Map::new(), true)?);
    let b = shared::new_map();
    let mut reqs = std::mem::take(&mut chart.metadata.dependencies);
    for r in &mut reqs {
        let mut out = Vec::new();
        for iv in &r.import_values {
            match iv {
                Value::Object(m) => {
                    let show = |v: Option<&Value>| match v {
                        None => "<nil>".to_string(),
                        Some(v) => crate::chart::gofmt::go_v(v),
                    };
                    let child = show(m.get("child"));
                    let parent = show(m.get("parent"));
                    let mut o = Map::new();
                    o.insert("child".into(), Value::String(child.clone()));
                    o.insert("parent".into(), Value::String(parent.clone()));
                    out.push(Value::Object(o));
                    match shared::table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => {
                            let add = shared::path_to_map(&parent, vv);
                            shared::coalesce_tables(log, &b, &add, "", true);
                        }
                        Err(e) => log.warn(
                            "ImportValues missing table from chart",
                            &[("chart", r.name.clone()), ("error", e)],
                        ),
                    }
                }
                Value::String(s) => {
                    let child = format!("exports.{s}");
                    let mut o = Map::new();
                    o.insert("child".into(), Value::String(child.clone()));
                    o.insert("parent".into(), Value::String(".".into()));
                    out.push(Value::Object(o));
                    match shared::table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => shared::coalesce_tables(log, &b, &vm, "", true),
                        Err(e) => log.warn("ImportValues missing table", &[("error", e)]),
                    }
                }
                _ => {}
            }
        }
        r.import_values = out;
    }
    chart.metadata.dependencies = reqs;
    // The parent's own values win over what was imported; a deep copy of `cvals` is taken
    // only now, after imports may have changed tables shared with it.
    let vals = shared::from_map(shared::to_map(&cvals));
    shared::coalesce_tables(log, &vals, &b, "", true);
    chart.values = Value::Object(shared::to_map(&vals));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths() {
        let v = match json!({"a": {"b": {"c": true}, "d": 1}}) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        assert_eq!(path_value(&v, "a.b.c"), Some(&json!(true)));
        assert_eq!(path_value(&v, "a.d"), Some(&json!(1)));
        assert_eq!(path_value(&v, "a.b"), None);
        assert_eq!(path_value(&v, "x.y"), None);
        assert_eq!(
            table(&v, "a.x").err().as_deref(),
            Some("\"x\" is not a table")
        );
        let t = shared::path_to_map("x.y", shared::new_map());
        assert_eq!(Value::Object(shared::to_map(&t)), json!({"x": {"y": {}}}));
    }
}
