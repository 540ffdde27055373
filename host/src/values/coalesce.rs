//! Coalescing, as Helm's `pkg/chart/common/util/coalesce.go`: a chart's defaults are merged
//! under the values given for it (maps merge, anything else is replaced), each subchart's
//! values live under its name, `global` flows from parent to every subchart, and `null` deletes
//! a default (when coalescing; merging keeps nulls). Helm's warnings are reported to a [`Log`].

use serde_json::{Map, Value};

use super::{Log, ValuesError};
use crate::chart::Chart;
use crate::chart::gofmt::go_v;

/// The key of global values.
pub const GLOBAL_KEY: &str = "global";

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Go's `%t` of a non-bool value, as in Helm's "type mismatch" error.
fn go_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Null => "%!t(<nil>)".into(),
        Value::String(s) => format!("%!t(string={s})"),
        Value::Number(n) => {
            if n.is_f64() {
                format!("%!t(float64={})", go_v(v))
            } else {
                format!("%!t(int64={})", go_v(v))
            }
        }
        Value::Array(_) => format!("%!t([]interface {{}}={})", go_v(v)),
        Value::Object(_) => format!("%!t(map[string]interface {{}}={})", go_v(v)),
    }
}

/// Helm's `CoalesceValues`: the chart's (and its subcharts') defaults under `vals`, nulls
/// deleting defaults.
pub fn coalesce_values(
    log: &mut Log,
    chart: &Chart,
    vals: &Map<String, Value>,
) -> Result<Map<String, Value>, ValuesError> {
    let mut dest = vals.clone();
    coalesce(log, chart, &mut dest, "", false)?;
    Ok(dest)
}

/// Helm's `MergeValues`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(
    log: &mut Log,
    chart: &Chart,
    vals: &Map<String, Value>,
) -> Result<Map<String, Value>, ValuesError> {
    let mut dest = vals.clone();
    coalesce(log, chart, &mut dest, "", true)?;
    Ok(dest)
}

fn coalesce(
    log: &mut Log,
    chart: &Chart,
    dest: &mut Map<String, Value>,
    prefix: &str,
    merge: bool,
) -> Result<(), ValuesError> {
    coalesce_chart_values(log, chart, dest, prefix, merge);
    coalesce_deps(log, chart, dest, prefix, merge)
}

fn coalesce_deps(
    log: &mut Log,
    chart: &Chart,
    dest: &mut Map<String, Value>,
    prefix: &str,
    merge: bool,
) -> Result<(), ValuesError> {
    for sub in &chart.dependencies {
        let name = sub.name().to_string();
        let mut dv = match dest.remove(&name) {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(ValuesError::TypeMismatch {
                    name: name.clone(),
                    detail: go_t(&other),
                });
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(log, &mut dv, dest, &sub_prefix);
        coalesce(log, sub, &mut dv, &sub_prefix, merge)?;
        dest.insert(name, Value::Object(dv));
    }
    Ok(())
}

/// Copies the globals of `src` (the parent's values) into `dest` (a subchart's values).
fn coalesce_globals(
    log: &mut Log,
    dest: &mut Map<String, Value>,
    src: &Map<String, Value>,
    prefix: &str,
) {
    let mut dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            log.info(format!(
                "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            log.info(format!(
                "warning: skipping globals because source {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    for (key, val) in sg {
        match val {
            Value::Object(vv) => match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Object(vv));
                }
                Some(Value::Object(destv)) => {
                    let mut vv = vv;
                    let sub_prefix = concat_prefix(prefix, &key);
                    coalesce_tables(log, &mut vv, destv.clone(), &sub_prefix, true);
                    dg.insert(key, Value::Object(vv));
                }
                Some(_) => {
                    log.info(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        super::strvals::go_quote(&key)
                    ));
                }
            },
            val => {
                if matches!(dg.get(&key), Some(Value::Object(_))) {
                    log.info(format!("key {key} is table. Skipping"));
                } else {
                    dg.insert(key, val);
                }
            }
        }
    }
    dest.insert(GLOBAL_KEY.to_string(), Value::Object(dg));
}

/// Builds up the values of one chart: `v` (what was given) wins over the chart's defaults.
fn coalesce_chart_values(
    log: &mut Log,
    chart: &Chart,
    v: &mut Map<String, Value>,
    prefix: &str,
    merge: bool,
) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let Value::Object(defaults) = &chart.values else {
        return;
    };
    for (key, val) in defaults.clone() {
        match v.get_mut(&key) {
            Some(Value::Null) if !merge => {
                v.remove(&key);
            }
            Some(Value::Object(dest)) => match val {
                Value::Object(src) => {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                    let full = concat_prefix(&sub_prefix, &key);
                    coalesce_tables(log, dest, src, &full, merge);
                }
                Value::Null => {}
                _ => log.info(format!(
                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                )),
            },
            Some(_) => {}
            None => {
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `CoalesceTables`: `src` merged under `dst` (dst wins), nulls in `dst` deleting.
pub fn coalesce_tables_plain(
    log: &mut Log,
    dst: &mut Map<String, Value>,
    src: Map<String, Value>,
) {
    coalesce_tables(log, dst, src, "", false);
}

/// Helm's `MergeTables`: like [`coalesce_tables_plain`] but nulls are kept.
pub fn merge_tables(log: &mut Log, dst: &mut Map<String, Value>, src: Map<String, Value>) {
    coalesce_tables(log, dst, src, "", true);
}

/// Helm's `coalesceTablesFullKey`.
pub(crate) fn coalesce_tables(
    log: &mut Log,
    dst: &mut Map<String, Value>,
    mut src: Map<String, Value>,
    prefix: &str,
    merge: bool,
) {
    let src_non_nil: std::collections::BTreeSet<String> = src
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for (key, val) in dst.iter() {
        if val.is_null() {
            src.insert(key.clone(), Value::Null);
        }
    }
    for (key, val) in src {
        let full = concat_prefix(prefix, &key);
        match dst.get_mut(&key) {
            Some(Value::Null) if !merge && src_non_nil.contains(&key) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => match val {
                Value::Object(vm) => {
                    if let Value::Object(dm) = dv {
                        coalesce_tables(log, dm, vm, &full, merge);
                    } else {
                        log.info(format!(
                            "warning: cannot overwrite table with non table for {full} ({})",
                            go_v(&Value::Object(vm))
                        ));
                    }
                }
                val => {
                    if dv.is_object() && !val.is_null() {
                        log.info(format!(
                            "warning: destination for {full} is a table. Ignoring non-table value ({})",
                            go_v(&val)
                        ));
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn tables() {
        let mut log = Log::default();
        let mut dst = obj(json!({"a": {"b": 1, "n": null}, "c": null, "t": 1, "u": {"x": 1}}));
        let src = obj(json!({"a": {"b": 2, "d": 3, "n": 4}, "c": 5, "e": null, "t": {"x": 1}, "u": 2}));
        coalesce_tables(&mut log, &mut dst, src, "p", false);
        assert_eq!(
            Value::Object(dst),
            json!({"a": {"b": 1, "d": 3}, "e": null, "t": 1, "u": {"x": 1}})
        );
        assert_eq!(
            log.lines,
            vec![
                "level=INFO msg=\"warning: cannot overwrite table with non table for p.t (map[x:1])\"",
                "level=INFO msg=\"warning: destination for p.u is a table. Ignoring non-table value (2)\"",
            ]
        );
    }

    #[test]
    fn merge_keeps_nulls() {
        let mut log = Log::default();
        let mut dst = obj(json!({"c": null}));
        merge_tables(&mut log, &mut dst, obj(json!({"c": 5, "d": null})));
        assert_eq!(Value::Object(dst), json!({"c": null, "d": null}));
    }

    #[test]
    fn type_mismatch_detail() {
        assert_eq!(go_t(&json!("x")), "%!t(string=x)");
        assert_eq!(go_t(&Value::Null), "%!t(<nil>)");
    }
}
