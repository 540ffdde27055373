//! The CustomResourceDefinitions a chart brings: the documents of its `crds/` files and
//! the CRD objects its templates render, so custom resources can be checked against them.

use serde_json::Value;

use crate::model::{Chart, Object};

/// Every CRD of the chart: `crds/` files first (see [`file_crds`]), then rendered objects
/// of kind CustomResourceDefinition.
pub fn chart_crds(chart: &Chart, objects: &[Object]) -> Vec<Value> {
    let mut out = file_crds(chart);
    out.extend(
        objects
            .iter()
            .map(|o| o.value)
            .filter(|v| is_crd(v))
            .cloned(),
    );
    out
}

/// The CRDs of the chart's `crds/` files (documents that do not parse are skipped; Helm's
/// `crds` rule reports them).
pub fn file_crds(chart: &Chart) -> Vec<Value> {
    let mut out = Vec::new();
    for f in &chart.files {
        let lower = f.path.to_ascii_lowercase();
        if !f.path.starts_with("crds/")
            || !(lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json"))
        {
            continue;
        }
        let text = String::from_utf8_lossy(&f.data);
        if let Ok(docs) = rudder_yaml::from_str_multi(&text) {
            out.extend(docs.into_iter().filter(is_crd));
        }
    }
    out
}

fn is_crd(v: &Value) -> bool {
    v.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::File;
    use serde_json::json;

    #[test]
    fn gathers_crds_from_files_and_templates() {
        let chart = Chart {
            files: vec![
                File {
                    path: "crds/a.yaml".into(),
                    data: b"kind: CustomResourceDefinition\nmetadata: {name: a}\n---\nkind: ConfigMap\n".to_vec(),
                },
                File {
                    path: "templates/b.yaml".into(),
                    data: b"kind: CustomResourceDefinition\n".to_vec(),
                },
            ],
            ..Chart::default()
        };
        let rendered = json!({"kind": "CustomResourceDefinition", "metadata": {"name": "c"}});
        let objects = [Object {
            index: 0,
            template: "x/templates/c.yaml",
            hook: "",
            value: &rendered,
        }];
        let crds = chart_crds(&chart, &objects);
        assert_eq!(crds.len(), 2);
        assert_eq!(crds[0]["metadata"]["name"], "a");
        assert_eq!(crds[1]["metadata"]["name"], "c");
    }
}
