// TEMPORARY: compares against helm dumps made outside the repo (CORPUS_DUMP).
#[test]
fn corpus_values() {
    let Ok(dir) = std::env::var("CORPUS_DUMP") else {
        return;
    };
    let mut n = 0;
    let mut bad = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.extension().and_then(|e| e.to_str()) != Some("src") {
            continue;
        }
        let src = std::fs::read_to_string(&p).unwrap();
        let want = std::fs::read_to_string(p.with_extension("out")).unwrap();
        let text = std::fs::read_to_string(src.trim()).unwrap();
        n += 1;
        let got = match rudder_yaml::load_values(&text) {
            Err(e) => format!("ERROR:{e}"),
            Ok(m) => {
                let v = serde_json::Value::Object(m);
                let j = rudder_yaml::to_go_json(
                    &v,
                    rudder_yaml::JsonStyle {
                        escape_html: true,
                        indent: None,
                    },
                );
                let y = rudder_yaml::to_string(&v);
                format!("{j}\n---SPLIT---\n{}", y.strip_suffix('\n').unwrap_or(&y))
            }
        };
        if got != want {
            bad += 1;
            let (g, w): (Vec<_>, Vec<_>) = (got.lines().collect(), want.lines().collect());
            let i = g
                .iter()
                .zip(w.iter())
                .position(|(a, b)| a != b)
                .unwrap_or(g.len().min(w.len()));
            println!(
                "DIFF {} line {i}:\n  want {:?}\n  got  {:?}",
                src.trim(),
                w.get(i).map(|s| &s[..s.len().min(300)]),
                g.get(i).map(|s| &s[..s.len().min(300)])
            );
        }
    }
    println!("{bad} of {n} differ");
}
