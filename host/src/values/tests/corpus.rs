//! Loads every chart of the conformance corpus and prepares its values (with its `--ci` values
//! file when there is one), as `helm template` would before rendering. The corpus lives next to
//! the repository (`../shared/corpus`); the test is skipped when it is absent.

use std::path::PathBuf;

use crate::chart;
use crate::values::{Options, prepare, user_values};

pub(super) fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("RUDDER_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    dir.join("charts").is_dir().then_some(dir)
}

#[test]
fn every_corpus_chart_prepares() {
    let Some(corpus) = corpus_dir() else {
        eprintln!("corpus not found (set RUDDER_CORPUS or put it at ../shared/corpus): skipped");
        return;
    };
    let mut ids: Vec<String> = std::fs::read_dir(corpus.join("charts"))
        .expect("read corpus")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    ids.sort();
    let mut failures = Vec::new();
    let mut runs = 0;
    for id in &ids {
        let ci = corpus.join("cases").join(format!("{id}--ci.values.yaml"));
        let mut variants = vec![Options::default()];
        if ci.is_file() {
            variants.push(Options {
                values_files: vec![ci],
                ..Options::default()
            });
        }
        for opts in variants {
            runs += 1;
            let res = chart::load(&corpus.join("charts").join(id))
                .map_err(|e| e.to_string())
                .and_then(|c| {
                    let user = user_values(&opts).map_err(|e| e.to_string())?;
                    prepare(c, user).map_err(|e| e.to_string())
                });
            if let Err(e) = res {
                failures.push(format!("{id} (ci: {}): {e}", !opts.values_files.is_empty()));
            }
        }
    }
    assert!(runs > 0);
    assert!(
        failures.is_empty(),
        "{} of {runs} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
