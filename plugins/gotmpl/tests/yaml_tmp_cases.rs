// TEMPORARY harness (to be removed): runs the yaml/helm-data case files through render().
use rudder_gotmpl::render::{Chart, Job, render};

const BEGIN: &str = "<<<RUDDER-BEGIN>>>";
const END: &str = "<<<RUDDER-END>>>";

fn cases(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for chunk in text.split("### case: ").skip(1) {
        let name = chunk.lines().next().unwrap_or("").trim().to_string();
        let mut secs: Vec<(String, Vec<&str>)> = Vec::new();
        for line in chunk.split('\n').skip(1) {
            if let Some(h) = line.strip_prefix("### ") {
                secs.push((h.trim().to_string(), Vec::new()));
            } else if let Some(s) = secs.last_mut() {
                s.1.push(line);
            }
        }
        let n = secs.len();
        let secs = secs
            .into_iter()
            .enumerate()
            .map(|(i, (h, mut l))| {
                if i + 1 == n {
                    while l.last() == Some(&"") {
                        l.pop();
                    }
                }
                (h, l.join("\n"))
            })
            .collect();
        out.push((name, secs));
    }
    out
}

#[test]
fn yaml_tmp_cases() {
    let only = std::env::var("CASEFILE").unwrap_or_default();
    let mut fails = 0;
    let mut total = 0;
    for f in ["yaml-emit.txt", "yaml-parse.txt", "helm-data.txt"] {
        if !only.is_empty() && only != f {
            continue;
        }
        let path = format!(
            "{}/../../tests/template-cases/{f}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        for (name, secs) in cases(&text) {
            let mut tmpl = String::new();
            let mut values = String::new();
            let mut files = Vec::new();
            let mut expect = (String::new(), String::new());
            for (h, b) in secs {
                if h == "template" {
                    tmpl = b;
                } else if h == "values" {
                    values = b;
                } else if let Some(p) = h.strip_prefix("file:") {
                    files.push((p.trim().to_string(), b.into_bytes()));
                } else if h == "output" || h == "error" {
                    expect = (h, b);
                }
            }
            total += 1;
            let got = match rudder_yaml::load_values(&format!("{values}\n")) {
                Err(e) => ("error".to_string(), format!("cannot load values.yaml: {e}")),
                Ok(v) => {
                    let job = Job {
                        charts: vec![Chart {
                            parent: None,
                            values_key: String::new(),
                            path: "c".into(),
                            metadata: serde_json::json!({"apiVersion": "v2", "name": "c", "version": "0.1.0", "appVersion": "1.0.0"}),
                            templates: vec![(
                                "templates/t.yaml".into(),
                                format!("{BEGIN}{tmpl}{END}").into_bytes(),
                            )],
                            files,
                            subcharts: vec![],
                        }],
                        values: serde_json::Value::Object(v),
                        release: serde_json::json!({"Name": "x", "Namespace": "ns", "Revision": 1, "IsInstall": true, "IsUpgrade": false, "Service": "Helm"}),
                        capabilities: serde_json::json!({}),
                        ..Default::default()
                    };
                    match render(&job, &rudder_gotmpl::func::Offline) {
                        Err(e) => ("error".into(), e.message),
                        Ok(out) => {
                            let t = out.into_iter().next().map(|x| x.1).unwrap_or_default();
                            let s = t.find(BEGIN).map(|i| i + BEGIN.len()).unwrap_or(0);
                            let e = t.rfind(END).unwrap_or(t.len());
                            (
                                "output".into(),
                                t[s..e.max(s)].trim_end_matches('\n').to_string(),
                            )
                        }
                    }
                }
            };
            if got != expect {
                fails += 1;
                println!("FAIL {f}: {name}\n  want {:?}\n  got  {:?}", expect, got);
            }
        }
    }
    println!("{fails} of {total} failed");
}
