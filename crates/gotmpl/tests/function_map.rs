//! The engine defines exactly the template functions of Helm's engine: the names in
//! `tests/function-map/functions.txt`, which `tests/function-map/regen` writes from the real Helm.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failing test reports by panicking"
)]

use std::collections::BTreeSet;

use rudder_gotmpl::funcs::TABLES;
use rudder_gotmpl::funcs::find;

fn helm_names() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/function-map/functions.txt"
    );
    let text = std::fs::read_to_string(path).expect("read tests/function-map/functions.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn engine_names() -> BTreeSet<String> {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .map(|f| f.name.to_string())
        .collect()
}

#[test]
fn engine_has_exactly_helms_functions() {
    let helm = helm_names();
    assert!(
        helm.len() > 200,
        "functions.txt lists only {} names",
        helm.len()
    );
    let engine = engine_names();
    let missing: Vec<_> = helm.difference(&engine).collect();
    let extra: Vec<_> = engine.difference(&helm).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "Helm defines but the engine lacks: {missing:?}\nthe engine defines but Helm lacks: {extra:?}"
    );
}

#[test]
fn every_listed_function_is_found_by_name() {
    for name in helm_names() {
        assert!(find(&name).is_some(), "find({name:?}) gives nothing");
    }
}
