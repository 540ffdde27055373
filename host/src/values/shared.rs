//! Values whose tables can be shared, to reproduce Go's map aliasing where Helm's results depend
//! on it: coalescing copies `global` tables only one level deep (deeper tables are shared
//! between a parent and all its subcharts, so a subchart's global defaults reach its parent and
//! later siblings), and import-values places the very table it read from a child into the
//! parent (writes through one alias show through the others).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::Log;
use crate::chart::gofmt::go_v;

/// A table (Go `map[string]interface{}`), shared by reference.
pub(crate) type Table = Rc<RefCell<BTreeMap<String, G>>>;

/// A value: a shared table or anything else.
#[derive(Clone, Debug)]
pub(crate) enum G {
    Map(Table),
    V(Value),
}

impl G {
    fn is_nil(&self) -> bool {
        matches!(self, G::V(Value::Null))
    }
}

pub(crate) fn new_map() -> Table {
    Rc::new(RefCell::new(BTreeMap::new()))
}

/// A fresh (unshared) table tree from a map.
pub(crate) fn from_map(m: Map<String, Value>) -> Table {
    Rc::new(RefCell::new(
        m.into_iter().map(|(k, v)| (k, from_value(v))).collect(),
    ))
}

/// A fresh (unshared) tree from a value.
pub(crate) fn from_value(v: Value) -> G {
    match v {
        Value::Object(m) => G::Map(from_map(m)),
        v => G::V(v),
    }
}

/// A snapshot of a table as a plain map.
pub(crate) fn to_map(t: &Table) -> Map<String, Value> {
    t.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), to_value(v)))
        .collect()
}

/// `t` as a plain map, moving out what no one else holds (a big values tree is not
/// copied) and copying what is still shared.
pub(crate) fn into_map(t: Table) -> Map<String, Value> {
    match Rc::try_unwrap(t) {
        Ok(cell) => cell
            .into_inner()
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    G::Map(t) => Value::Object(into_map(t)),
                    G::V(v) => v,
                };
                (k, v)
            })
            .collect(),
        Err(shared) => to_map(&shared),
    }
}

/// The entries of `t` as they are now, to go through while `t` (or what they point to)
/// changes.
pub(crate) fn entries(t: &Table) -> Vec<(String, G)> {
    t.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A snapshot of a value.
pub(crate) fn to_value(g: &G) -> Value {
    match g {
        G::Map(t) => Value::Object(to_map(t)),
        G::V(v) => v.clone(),
    }
}

/// A new table with the same entries (Go's one-level `copyMap`: nested tables stay shared).
pub(crate) fn copy_map(t: &Table) -> Table {
    Rc::new(RefCell::new(t.borrow().clone()))
}

/// `Values.Table`, returning the shared table itself.
pub(crate) fn table(root: &Table, path: &str) -> Result<Table, String> {
    let mut t = root.clone();
    for part in path.split('.') {
        let next = match t.borrow().get(part) {
            Some(G::Map(m)) => m.clone(),
            _ => return Err(format!("{} is not a table", super::strvals::go_quote(part))),
        };
        t = next;
    }
    Ok(t)
}

/// `pathToMap`: new tables around the (shared) `data`; `.` is `data` itself.
pub(crate) fn path_to_map(path: &str, data: Table) -> Table {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let t = new_map();
        t.borrow_mut().insert(part.to_string(), G::Map(cur));
        cur = t;
    }
    cur
}

pub(crate) fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Helm's `coalesceTablesFullKey`: `src` merged under `dst` (dst wins); tables `dst` lacks are
/// placed into it as they are (shared). When coalescing (`merge` false) a null in `dst`
/// deletes the default of `src`; merging keeps nulls.
pub(crate) fn coalesce_tables(log: &mut Log, dst: &Table, src: &Table, prefix: &str, merge: bool) {
    if Rc::ptr_eq(dst, src) {
        return;
    }
    let src_non_nil: BTreeSet<String> = src
        .borrow()
        .iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, _)| k.clone())
        .collect();
    let nil_keys: Vec<String> = dst
        .borrow()
        .iter()
        .filter(|(_, v)| v.is_nil())
        .map(|(k, _)| k.clone())
        .collect();
    for k in nil_keys {
        src.borrow_mut().insert(k, G::V(Value::Null));
    }
    for (key, val) in entries(src) {
        let full = concat_prefix(prefix, &key);
        let existing = dst.borrow().get(&key).cloned();
        match existing {
            Some(dv) if !merge && dv.is_nil() && src_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => match (&dv, &val) {
                (G::Map(d), G::Map(s)) => coalesce_tables(log, d, s, &full, merge),
                (G::V(_), G::Map(s)) => log.info(format!(
                    "warning: cannot overwrite table with non table for {full} ({})",
                    go_v(&Value::Object(to_map(s)))
                )),
                (G::Map(_), G::V(v)) if !v.is_null() => log.info(format!(
                    "warning: destination for {full} is a table. Ignoring non-table value ({})",
                    go_v(v)
                )),
                _ => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(v: Value) -> Table {
        match from_value(v) {
            G::Map(t) => t,
            G::V(_) => new_map(),
        }
    }

    #[test]
    fn coalesce_tables_like_go() {
        let mut log = Log::default();
        let dst = t(json!({"a": {"b": 1, "n": null}, "c": null, "t": 1, "u": {"x": 1}}));
        let src =
            t(json!({"a": {"b": 2, "d": 3, "n": 4}, "c": 5, "e": null, "t": {"x": 1}, "u": 2}));
        coalesce_tables(&mut log, &dst, &src, "p", false);
        assert_eq!(
            Value::Object(to_map(&dst)),
            json!({"a": {"b": 1, "d": 3}, "e": null, "t": 1, "u": {"x": 1}})
        );
        assert_eq!(
            log.lines,
            vec![
                "level=INFO msg=\"warning: cannot overwrite table with non table for p.t (map[x:1])\"",
                "level=INFO msg=\"warning: destination for p.u is a table. Ignoring non-table value (2)\"",
            ]
        );
        let dst = t(json!({"c": null}));
        coalesce_tables(&mut log, &dst, &t(json!({"c": 5, "d": null})), "", true);
        assert_eq!(Value::Object(to_map(&dst)), json!({"c": null, "d": null}));
    }

    #[test]
    fn imports_alias_tables_like_go() {
        // Two imports of the same child table, then a merge into one of them: Helm's result
        // shows the merged keys under both parents (the table is shared).
        let mut log = Log::default();
        let cvals = t(json!({"c": {"t": {"a": 1}, "u": {"b": 2}}}));
        let b = new_map();
        let x = table(&cvals, "c.t").unwrap();
        coalesce_tables(&mut log, &b, &path_to_map("p1", x.clone()), "", true);
        coalesce_tables(&mut log, &b, &path_to_map("p2", x), "", true);
        let u = table(&cvals, "c.u").unwrap();
        coalesce_tables(&mut log, &b, &path_to_map("p2", u), "", true);
        assert_eq!(
            Value::Object(to_map(&b)),
            json!({"p1": {"a": 1, "b": 2}, "p2": {"a": 1, "b": 2}})
        );
        assert_eq!(
            table(&cvals, "c.x").err().as_deref(),
            Some("\"x\" is not a table")
        );
    }
}
