//! The command line as a Helm user meets it: `helm template`'s arguments and flags mean what
//! they mean in Helm, with Helm's messages (expected texts are Helm v4.1.4's, with `helm`
//! read as `rudder`). Helm exits with 1 for every error; rudder keeps 2 for a bad command
//! line and 1 for a failed render.

use std::path::Path;

use crate::{Run, repo_root, rudder};

fn template(args: &[&str]) -> Run {
    let mut all = vec!["template"];
    all.extend_from_slice(args);
    rudder(repo_root(), &all)
}

/// Asserts a run rendered (exit 0, nothing on stderr) and returns its stdout.
fn rendered(run: Run) -> String {
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.starts_with("---\n# Source: "), "{}", run.stdout);
    run.stdout
}

/// Asserts a run failed with `code`, printed nothing on stdout and exactly `Error: {want}`
/// as its first stderr line(s).
fn refused(run: &Run, code: i32, want: &str) {
    assert_eq!(run.code, Some(code), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.starts_with(&format!("Error: {want}\n")),
        "want {want:?}, got:\n{}",
        run.stderr
    );
}

#[test]
fn template_version_is_the_chart_version_constraint() {
    // `helm template rel ./hello --version 1.2.3` renders the local chart whatever its
    // version (0.1.0); so does a .tgz, and so does a constraint that does not parse.
    let plain = rendered(template(&["rel", "charts/hello"]));
    for v in ["1.2.3", "abc", "^2.0.0"] {
        let out = rendered(template(&["rel", "charts/hello", "--version", v]));
        assert_eq!(out, plain, "--version {v}");
    }
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("hello-0.1.0.tgz");
    package(&repo_root().join("charts/hello"), &tgz);
    let run = rudder(
        dir.path(),
        &["template", "rel", "hello-0.1.0.tgz", "--version", "9.9.9"],
    );
    assert_eq!(rendered(run), plain);
}

/// Packs `chart` as `helm package` lays it out: `NAME/...` inside a gzipped tar.
fn package(chart: &Path, to: &Path) {
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(to)
        .arg("-C")
        .arg(chart.parent().unwrap())
        .arg(chart.file_name().unwrap())
        .status()
        .expect("run tar");
    assert!(status.success());
}

#[test]
fn rudders_own_version_is_only_at_the_top() {
    let want = format!("rudder {}\n", env!("CARGO_PKG_VERSION"));
    for args in [&["--version"][..], &["version"]] {
        let run = rudder(repo_root(), args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, want, "{args:?}");
    }
    for args in [
        &["render", "charts/releases.yaml", "--version"][..],
        &["plugin", "list", "--version"],
        &["plugin", "--version"],
    ] {
        let run = rudder(repo_root(), args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("unexpected argument '--version'"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stdout.contains("rudder "), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn release_names_follow_helm_template() {
    let name_of = |out: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix("  name: "))
            .map(str::to_string)
            .expect("a metadata.name")
    };
    // `helm template -g CHART` does not generate a name: the release is `release-name`.
    let default = rendered(template(&["charts/hello"]));
    assert_eq!(name_of(&default), "release-name-hello");
    assert_eq!(rendered(template(&["-g", "charts/hello"])), default);
    assert_eq!(
        rendered(template(&["--generate-name", "charts/hello"])),
        default
    );
    // An empty --name-template is ignored.
    assert_eq!(
        rendered(template(&["--name-template", "", "charts/hello"])),
        default
    );
    let out = rendered(template(&[
        "--name-template",
        r#"{{ "x" }}-y"#,
        "charts/hello",
    ]));
    assert_eq!(name_of(&out), "x-y-hello");
    let out = rendered(template(&["-g", "--name-template", "foo", "charts/hello"]));
    assert_eq!(name_of(&out), "foo-hello");
    assert_eq!(
        name_of(&rendered(template(&["rel", "charts/hello"]))),
        "rel-hello"
    );
}

#[test]
fn conflicting_names_are_refused_with_helms_texts() {
    for (args, want) in [
        (
            &["rel", "--name-template", "foo", "charts/hello"][..],
            "cannot set --name-template and also specify a name",
        ),
        (
            &["rel", "-g", "charts/hello"],
            "cannot set --generate-name and also specify a name",
        ),
        (
            &["rel", "-g", "--name-template", "foo", "charts/hello"],
            "cannot set --generate-name and also specify a name",
        ),
        (
            &["a", "b", "c", "d"],
            "expected at most two arguments, unexpected arguments: c, d",
        ),
        (
            &["-g"],
            "\"rudder template\" requires at least 1 argument\n\n\
             Usage:  rudder template [NAME] [CHART] [flags]",
        ),
        (
            &[],
            "\"rudder template\" requires at least 1 argument\n\n\
             Usage:  rudder template [NAME] [CHART] [flags]",
        ),
    ] {
        refused(&template(args), 2, want);
    }
    // A name template that renders nothing fails Helm's release name check (a render error).
    refused(
        &template(&["--name-template", r#"{{ "" }}"#, "charts/hello"]),
        1,
        r#"release name check failed: release name "": no name provided"#,
    );
    refused(
        &template(&["--name-template", "Bad_Name", "charts/hello"]),
        1,
        r#"release name check failed: release name "Bad_Name": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"#,
    );
}

#[test]
fn template_help_reads_like_helms() {
    let run = template(&["--help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let help = run.stdout;
    assert!(
        help.contains("Usage: rudder template [NAME] [CHART] [flags]\n"),
        "{help}"
    );
    // Each flag under its heading: Helm's own, rudder's own, then the plugin flags every
    // command takes.
    // The help's lines under `heading`, up to the next heading (an unindented `...:` line).
    let section = |heading: &str| -> String {
        let mut lines = help.lines().skip_while(|l| *l != format!("{heading}:"));
        assert!(lines.next().is_some(), "no {heading:?} in {help}");
        lines
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let helm = section("Flags (as in helm template)");
    let ours = section("Flags (rudder only)");
    let plugins = section("Plugin flags (rudder only, every command)");
    for flag in [
        "--set-file",
        "--generate-name",
        "--version",
        "--kube-version",
    ] {
        assert!(helm.contains(flag), "{flag} in {helm}");
    }
    for flag in ["--strict", "--deterministic", "--jobs"] {
        assert!(
            ours.contains(flag) && !helm.contains(flag),
            "{flag}: {help}"
        );
    }
    for flag in [
        "--plugin ",
        "--plugins-dir",
        "--plugin-memory",
        "--plugin-timeout",
    ] {
        assert!(
            plugins.contains(flag) && !helm.contains(flag) && !ours.contains(flag),
            "{flag}: {help}"
        );
    }
}

#[test]
fn comma_separated_values_files_and_api_versions() {
    // Helm's -f and -a take comma-separated lists, as repeated flags do.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "replicaCount: 3\n").unwrap();
    std::fs::write(dir.path().join("b.yaml"), "replicaCount: 4\n").unwrap();
    let chart = repo_root().join("charts/hello");
    let chart = chart.to_str().unwrap();
    let run = rudder(dir.path(), &["template", chart, "-f", "a.yaml,b.yaml"]);
    let out = rendered(run);
    assert!(out.contains("  replicas: 4\n"), "{out}");
    let run = rudder(
        dir.path(),
        &["template", chart, "-f", "a.yaml", "-f", "b.yaml"],
    );
    assert_eq!(rendered(run), out);
}

#[test]
fn kube_version_errors_are_helms() {
    for (v, want) in [
        (
            "abc",
            r#"invalid kube version 'abc': could not parse "abc" as version"#,
        ),
        (
            "1",
            r#"invalid kube version '1': illegal version string "1""#,
        ),
        (
            "01.2",
            r#"invalid kube version '01.2': illegal zero-prefixed version component "01" in "01.2""#,
        ),
    ] {
        refused(&template(&["charts/hello", "--kube-version", v]), 1, want);
    }
    // Helm ignores an empty --kube-version.
    assert_eq!(
        rendered(template(&["charts/hello", "--kube-version", ""])),
        rendered(template(&["charts/hello"]))
    );
}

#[test]
fn missing_set_file_is_reported_as_helm_reports_it() {
    // Helm's text, then the argument at fault (rudder's addition).
    refused(
        &template(&["charts/hello", "--set-file", "a=/nonexistent"]),
        1,
        "failed parsing --set-file data: open /nonexistent: no such file or directory \
         (argument \"a=/nonexistent\")",
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    refused(
        &template(&["charts/hello", "--set-file", &format!("a={d}")]),
        1,
        &format!("failed parsing --set-file data: read {d}: is a directory (argument \"a={d}\")"),
    );
}

#[test]
fn missing_values_file_has_helms_text() {
    let run = template(&["charts/hello", "-f", "/nonexistent.yaml"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("open /nonexistent.yaml: no such file or directory"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

#[test]
fn readme_error_example_is_what_rudder_prints() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let command = "$ rudder template x charts/hello --set image=nginx\n";
    let start = readme.find(command).expect("the example in README.md") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let run = template(&["x", "charts/hello", "--set", "image=nginx"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.is_empty());
    assert_eq!(run.stderr, shown);
}

/// Helm advises `--debug` after a failed render (README's example shows it), and not when
/// `--debug` was given.
#[test]
fn render_errors_give_helms_debug_hint_unless_debugging() {
    let run = template(&["x", "charts/hello", "--set", "image=nginx", "--debug"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("can't evaluate field repository in type interface {}"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Use --debug flag"), "{}", run.stderr);
}
