//! Every built-in rule has its page under `docs/rules/<id>.md`.

use std::path::Path;

#[test]
fn every_rule_has_a_page() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let mut rules = Vec::new();
    rules.extend_from_slice(rudder_lint::helm::rules());
    rules.extend_from_slice(rudder_lint::schema::rules());
    rules.extend_from_slice(rudder_lint::deprecated::rules());
    rules.extend_from_slice(rudder_lint::practices::rules());
    assert!(rules.len() > 90, "{} rules", rules.len());
    let missing: Vec<&str> = rules
        .iter()
        .map(|r| r.id)
        .filter(|id| !docs.join(format!("{id}.md")).is_file())
        .collect();
    assert!(missing.is_empty(), "rules without a page: {missing:?}");
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "a rule id is used twice");
}
