//! Coalescing, as Helm's `pkg/chart/common/util/coalesce.go`: a chart's defaults are merged
//! under the values given for it (maps merge, anything else is replaced), each subchart's
//! values live under its name, `global` flows from parent to every subchart, and `null` deletes
//! a default (when coalescing; merging keeps nulls). Helm's warnings are reported to a [`Log`].
//!
//! The work is done on [`shared`](super::shared) tables so that Go's aliasing of nested global
//! tables (a subchart's global defaults showing up in its parent and later siblings) is kept.

use serde_json::{Map, Value};

use super::shared::{self, G, Table, concat_prefix};
use super::{Log, ValuesError};
use crate::chart::Chart;
use crate::chart::gofmt::go_v;

/// The key of global values.
pub const GLOBAL_KEY: &str = "global";

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
    vals: Map<String, Value>,
) -> Result<Map<String, Value>, ValuesError> {
    coalesce_root(log, chart, vals, false)
}

/// [`coalesce_values`], or with `merge` Helm's `MergeValues`, which keeps nulls.
pub fn coalesce_root(
    log: &mut Log,
    chart: &Chart,
    vals: Map<String, Value>,
    merge: bool,
) -> Result<Map<String, Value>, ValuesError> {
    let dest = shared::from_map(vals);
    coalesce(log, chart, &dest, "", merge)?;
    // The result moves out of the tree; only tables still shared elsewhere are copied.
    Ok(shared::into_map(dest))
}

/// Helm's `CoalesceTables`: `src` merged under `dst` (dst wins), nulls in `dst` deleting.
pub fn coalesce_tables(log: &mut Log, dst: &mut Map<String, Value>, src: Map<String, Value>) {
    let d = shared::from_map(std::mem::take(dst));
    shared::coalesce_tables(log, &d, &shared::from_map(src), "", false);
    *dst = shared::to_map(&d);
}

/// Helm's `MergeTables`: like [`coalesce_tables`] but nulls are kept.
pub fn merge_tables(log: &mut Log, dst: &mut Map<String, Value>, src: Map<String, Value>) {
    let d = shared::from_map(std::mem::take(dst));
    shared::coalesce_tables(log, &d, &shared::from_map(src), "", true);
    *dst = shared::to_map(&d);
}

/// One chart's values under `dest`: its defaults, then each dependency's, recursively.
fn coalesce(
    log: &mut Log,
    chart: &Chart,
    dest: &Table,
    prefix: &str,
    merge: bool,
) -> Result<(), ValuesError> {
    coalesce_chart_values(log, chart, dest, prefix, merge);
    for sub in &chart.dependencies {
        let name = sub.name().to_string();
        let existing = dest.borrow().get(&name).cloned();
        let dv = match existing {
            None => {
                let t = shared::new_map();
                dest.borrow_mut().insert(name.clone(), G::Map(t.clone()));
                t
            }
            Some(G::Map(t)) => t,
            Some(G::V(other)) => {
                return Err(ValuesError::TypeMismatch {
                    name,
                    detail: go_t(&other),
                });
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(log, &dv, dest, &sub_prefix);
        coalesce(log, sub, &dv, &sub_prefix, merge)?;
    }
    Ok(())
}

/// Copies the globals of `src` (the parent's values) into `dest` (a subchart's values): one
/// level deep, deeper tables shared.
fn coalesce_globals(log: &mut Log, dest: &Table, src: &Table, prefix: &str) {
    // A side's `global` table (a new one if it has none); `None` if it is not a table.
    let global_of = |log: &mut Log, table: &Table, side: &str| match table.borrow().get(GLOBAL_KEY)
    {
        None => Some(shared::new_map()),
        Some(G::Map(t)) => Some(t.clone()),
        Some(G::V(_)) => {
            log.info(format!(
                "warning: skipping globals because {side} {GLOBAL_KEY} is not a table."
            ));
            None
        }
    };
    let Some(dg) = global_of(log, dest, "destination") else {
        return;
    };
    let Some(sg) = global_of(log, src, "source") else {
        return;
    };
    for (key, val) in shared::entries(&sg) {
        let current = dg.borrow().get(&key).cloned();
        match val {
            G::Map(t) => {
                let vv = shared::copy_map(&t);
                match current {
                    None => {
                        dg.borrow_mut().insert(key, G::Map(vv));
                    }
                    Some(G::Map(destv)) => {
                        let sub_prefix = concat_prefix(prefix, &key);
                        shared::coalesce_tables(log, &vv, &destv, &sub_prefix, true);
                        dg.borrow_mut().insert(key, G::Map(vv));
                    }
                    Some(G::V(_)) => log.info(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        super::strvals::go_quote(&key)
                    )),
                }
            }
            val => {
                if matches!(current, Some(G::Map(_))) {
                    log.info(format!("key {key} is table. Skipping"));
                } else {
                    dg.borrow_mut().insert(key, val);
                }
            }
        }
    }
    dest.borrow_mut().insert(GLOBAL_KEY.to_string(), G::Map(dg));
}

/// Builds up the values of one chart: `v` (what was given) wins over the chart's defaults.
fn coalesce_chart_values(log: &mut Log, chart: &Chart, v: &Table, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let Value::Object(defaults) = &chart.values else {
        return;
    };
    let defaults = shared::from_map(defaults.clone());
    for (key, val) in shared::entries(&defaults) {
        let current = v.borrow().get(&key).cloned();
        match current {
            Some(G::V(Value::Null)) if !merge => {
                v.borrow_mut().remove(&key);
            }
            Some(G::Map(dest)) => match val {
                G::Map(src) => {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                    let full = concat_prefix(&sub_prefix, &key);
                    shared::coalesce_tables(log, &dest, &src, &full, merge);
                }
                G::V(Value::Null) => {}
                G::V(_) => log.info(format!(
                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                )),
            },
            Some(_) => {}
            None => {
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_mismatch_detail() {
        assert_eq!(go_t(&json!("x")), "%!t(string=x)");
        assert_eq!(go_t(&Value::Null), "%!t(<nil>)");
        assert_eq!(go_t(&json!(1)), "%!t(int64=1)");
    }

    #[test]
    fn plain_tables() {
        let mut log = Log::default();
        let mut dst = match json!({"a": null, "b": {"c": 1}}) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let src = match json!({"a": 1, "b": {"d": 2}}) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        coalesce_tables(&mut log, &mut dst, src);
        assert_eq!(Value::Object(dst), json!({"b": {"c": 1, "d": 2}}));
    }
}
