//! `rudder render FILE`: many releases at once. Each release prints exactly what
//! `rudder template` prints for it (and, where a golden exists, what Helm prints), under a
//! `# Release:` header, in file order; a failing release is reported and skipped.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Run, repo_root, rudder};

/// What `rudder template ARGS` prints, run from `dir`; it must succeed.
fn template(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["template"];
    all.extend_from_slice(args);
    let run = rudder(dir, &all);
    assert_eq!(run.code, Some(0), "template {args:?}: {}", run.stderr);
    run.stdout
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(repo_root().join(format!("tests/golden/{name}.yaml"))).expect("golden")
}

/// An absolute path in the repository, quoted for YAML.
fn repo_path(rel: &str) -> String {
    format!("{:?}", repo_root().join(rel).to_string_lossy())
}

fn header(name: &str, namespace: &str, chart: &str) -> String {
    format!("# Release: {name} (namespace {namespace}, chart {chart})\n")
}

fn assert_same_text(actual: &str, expected: &str) {
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "length".to_string(), |i| format!("line {}", i + 1));
        panic!("output differs at {line}:\n--- actual\n{actual}\n--- expected\n{expected}");
    }
}

#[test]
fn releases_print_what_template_prints_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let webapp = repo_root().join("charts/webapp");
    let hello = repo_root().join("charts/hello");
    // The releases file and what it names sit in a subfolder: paths are relative to it.
    let ci = dir.path().join("ci");
    std::fs::create_dir(&ci).unwrap();
    std::fs::write(
        ci.join("hello-prod.yaml"),
        "replicaCount: 3\nservice:\n  port: 8080\n",
    )
    .unwrap();
    std::fs::write(ci.join("note, long.txt"), "deployed by CI\nline 2\n").unwrap();
    std::fs::write(
        ci.join("releases.yaml"),
        format!(
            "releases:\n\
             # as the golden webapp--all-on\n\
             - name: rel\n  chart: {webapp}\n  namespace: ns\n  values: [{all_on}]\n  \
               set: [replicaCount=3, image.tag=2.9.0-rc.1]\n\
             - name: hello-prod\n  chart: {hello}\n  namespace: prod\n  \
               values: [hello-prod.yaml]\n  set: [image.tag=1.2]\n  \
               setFile: ['podAnnotations.note=note\\, long.txt']\n\
             - name: web-118\n  chart: {webapp}\n  namespace: prod\n  kubeVersion: 1.18.0\n  \
               set: [ingress.enabled=true]\n  skipTests: true\n",
            webapp = repo_path("charts/webapp"),
            hello = repo_path("charts/hello"),
            all_on = repo_path("tests/data/webapp-all-on.yaml"),
        ),
    )
    .unwrap();
    let run = rudder(dir.path(), &["render", "ci/releases.yaml", "--jobs", "2"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (webapp, hello) = (webapp.to_str().unwrap(), hello.to_str().unwrap());
    let expected = [
        header("rel", "ns", webapp),
        golden("webapp--all-on"),
        header("hello-prod", "prod", hello),
        template(
            dir.path(),
            &[
                "hello-prod",
                hello,
                "-n",
                "prod",
                "-f",
                "ci/hello-prod.yaml",
                "--set",
                "image.tag=1.2",
                "--set-file",
                "podAnnotations.note=ci/note\\, long.txt",
            ],
        ),
        header("web-118", "prod", webapp),
        template(
            dir.path(),
            &[
                "web-118",
                webapp,
                "-n",
                "prod",
                "--kube-version",
                "1.18.0",
                "--set",
                "ingress.enabled=true",
                "--skip-tests",
            ],
        ),
    ]
    .concat();
    assert_same_text(&run.stdout, &expected);
    assert!(
        run.stderr.contains("rendered 3 releases (0 failed) in "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_release_named_like_a_golden_prints_the_golden() {
    let dir = tempfile::tempdir().unwrap();
    for (golden_name, release) in [
        ("hello", "{name: rel, chart: CHARTS/hello, namespace: ns}"),
        (
            "webapp--skip-tests",
            "{name: rel, chart: CHARTS/webapp, namespace: ns, skipTests: true}",
        ),
    ] {
        let charts = repo_root().join("charts");
        let release = release.replace("CHARTS", charts.to_str().unwrap());
        std::fs::write(
            dir.path().join("r.yaml"),
            format!("releases: [{release}]\n"),
        )
        .unwrap();
        let run = rudder(dir.path(), &["render", "r.yaml", "--quiet"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let (_, body) = run.stdout.split_once('\n').expect("a header line");
        assert_same_text(body, &golden(golden_name));
        assert!(!run.stderr.contains("rendered"), "--quiet: {}", run.stderr);
    }
}

#[test]
fn the_example_releases_file_renders_like_template() {
    let root = repo_root();
    let run = rudder(root, &["render", "charts/releases.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let expected = [
        header("hello", "demo", "hello"),
        template(
            root,
            &[
                "hello",
                "charts/hello",
                "-n",
                "demo",
                "--set",
                "replicaCount=2",
                "--set",
                "image.tag=1.27.1",
            ],
        ),
        header("web", "prod", "webapp"),
        template(
            root,
            &[
                "web",
                "charts/webapp",
                "-n",
                "prod",
                "--kube-version",
                "1.30.0",
                "--set",
                "ingress.enabled=true",
                "--set-string",
                "image.tag=2.9.0",
                "--skip-tests",
            ],
        ),
    ]
    .concat();
    assert_same_text(&run.stdout, &expected);
}

#[test]
fn a_broken_release_is_reported_and_the_others_render() {
    let dir = tempfile::tempdir().unwrap();
    let hello = repo_root().join("charts/hello");
    let hello = hello.to_str().unwrap();
    std::fs::write(
        dir.path().join("releases.yaml"),
        format!(
            "releases:\n\
             - {{name: one, chart: {hello:?}}}\n\
             - {{name: broken, chart: no-such-chart}}\n\
             - {{name: three, chart: {hello:?}, namespace: other}}\n"
        ),
    )
    .unwrap();
    let run = rudder(dir.path(), &["render", "releases.yaml"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let expected = [
        header("one", "default", hello),
        template(dir.path(), &["one", hello]),
        header("three", "other", hello),
        template(dir.path(), &["three", hello, "-n", "other"]),
    ]
    .concat();
    assert_same_text(&run.stdout, &expected);
    let error = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Error: "))
        .expect("an error line");
    assert!(error.starts_with("Error: release broken: "), "{error}");
    assert!(error.contains("no-such-chart"), "{error}");
    assert_eq!(
        run.stderr.matches("Error: release ").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Error: 1 of 3 releases failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rendered 3 releases (1 failed) in "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Asserts exit code 2, nothing on stdout, and every `needle` on stderr.
fn assert_bad_file(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, Some(2), "exit code; stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_bad_releases_file_exits_2_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "unknown.yaml",
        "releases:\n  - name: a\n    chart: c\n  - name: b\n    chart: c\n    valuse: [x.yaml]\n",
    );
    let run = rudder(dir.path(), &["render", "unknown.yaml"]);
    assert_bad_file(
        &run,
        &[
            "Error: unknown.yaml: releases[1]",
            "unknown field `valuse`",
            "line 6",
            "\"b\"",
        ],
    );

    write(
        "syntax.yaml",
        "releases:\n  - name: a\n    chart: c\n  - name: b\n   chart: c\n",
    );
    let run = rudder(dir.path(), &["render", "syntax.yaml"]);
    // go-yaml's message, as Helm gives it for the same text in a values file.
    assert_bad_file(
        &run,
        &["Error: syntax.yaml: yaml: line 4: did not find expected '-' indicator"],
    );

    write(
        "dup.yaml",
        "releases:\n  - {name: a, chart: c}\n  - {name: a, chart: d}\n",
    );
    let run = rudder(dir.path(), &["render", "dup.yaml"]);
    assert_bad_file(
        &run,
        &["dup.yaml: release name \"a\" is used twice, by releases[0] and releases[1]"],
    );

    write("name.yaml", "releases:\n  - {name: Web_1, chart: c}\n");
    let run = rudder(dir.path(), &["render", "name.yaml"]);
    assert_bad_file(
        &run,
        &["name.yaml: releases[0] (name \"Web_1\"): release name \"Web_1\": invalid release name"],
    );

    let run = rudder(dir.path(), &["render", "missing.yaml"]);
    assert_bad_file(&run, &["cannot read releases file missing.yaml"]);

    let run = rudder(dir.path(), &["render", "dup.yaml", "--jobs", "0"]);
    assert_bad_file(&run, &["--jobs"]);
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn output_dir_writes_each_release_as_template_does() {
    let dir = tempfile::tempdir().unwrap();
    let webapp = repo_root().join("charts/webapp");
    let hello = repo_root().join("charts/hello");
    let (webapp, hello) = (webapp.to_str().unwrap(), hello.to_str().unwrap());
    std::fs::write(
        dir.path().join("releases.yaml"),
        format!(
            "releases:\n\
             - {{name: web, chart: {webapp:?}, namespace: ns, includeCrds: true}}\n\
             - {{name: bad, chart: {webapp:?}, set: [service.port=abc]}}\n\
             - {{name: hello, chart: {hello:?}}}\n"
        ),
    )
    .unwrap();
    let run = rudder(
        dir.path(),
        &["render", "releases.yaml", "--output-dir", "out", "--quiet"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("Error: release bad: ")
            && run
                .stderr
                .contains("at '/service/port': got string, want integer"),
        "{}",
        run.stderr
    );
    assert!(
        !dir.path().join("out/bad").exists(),
        "a failed release writes nothing"
    );
    let bulk = tree(&dir.path().join("out"));
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();

    // `template --output-dir out/NAME`, from scratch: the same stdout and the same files.
    let web = template(
        dir.path(),
        &[
            "web",
            webapp,
            "-n",
            "ns",
            "--include-crds",
            "--output-dir",
            "out/web",
        ],
    );
    let hello_out = template(dir.path(), &["hello", hello, "--output-dir", "out/hello"]);
    assert!(
        web.contains("wrote out/web/webapp/templates/deployment.yaml"),
        "{web}"
    );
    let expected_stdout = [
        header("web", "ns", webapp),
        web,
        header("hello", "default", hello),
        hello_out,
    ]
    .concat();
    assert_same_text(&run.stdout, &expected_stdout);
    let single = tree(&dir.path().join("out"));
    assert!(single.len() > 5, "{:?}", single.keys());
    assert_eq!(
        bulk.keys().collect::<Vec<_>>(),
        single.keys().collect::<Vec<_>>()
    );
    assert!(bulk == single, "file contents differ");
}
