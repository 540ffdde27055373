//! Loader tests on charts written to a temporary directory or built as archives in memory.

use super::*;
use std::path::Path;

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (p, c) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, c).expect("write");
    }
}

fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut b = tar::Builder::new(gz);
    for (p, c) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(c.len() as u64);
        h.set_mode(0o644);
        // Set the name bytes directly: the builder refuses the hostile names tests need.
        let name = &mut h.as_old_mut().name;
        name[..p.len()].copy_from_slice(p.as_bytes());
        h.set_cksum();
        b.append(&h, *c).expect("append");
    }
    b.into_inner().expect("tar").finish().expect("gz")
}

fn paths(files: &[File]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

#[test]
fn directory_layout_as_helm_sorts_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = tgz(&[
        (
            "sub/Chart.yaml",
            b"apiVersion: v2\nname: sub\nversion: 0.2.0\n",
        ),
        ("sub/values.yaml", b"s: 1\n"),
        ("sub/templates/a.yaml", b"a"),
    ]);
    write(
        dir.path(),
        &[
            ("Chart.yaml", b"\xEF\xBB\xBFapiVersion: v2\nname: top\nversion: 1.0.0\ndescription: \"two\\nlines\"\n"),
            ("Chart.lock", b"digest: x\n"),
            (".helmignore", b"# comment\n*.bak\nsecret/\n"),
            ("values.yaml", b"a: 1\n---\nb: 2\n"),
            ("values.schema.json", b"{}"),
            ("templates/deploy.yaml", b"x"),
            ("templates/_helpers.tpl", b"y"),
            ("templates/.hidden", b"z"),
            ("templates/NOTES.txt", b"n"),
            ("templates/old.bak", b"b"),
            ("crds/crd.yaml", b"c"),
            ("crds/readme.txt", b"r"),
            ("secret/key", b"k"),
            ("files/conf.toml", b"t"),
            ("charts/_skip/Chart.yaml", b"bad: ["),
            ("charts/dirsub/Chart.yaml", b"apiVersion: v2\nname: dirsub\nversion: 0.1.0\n"),
            ("charts/dirsub/templates/.dot", b"kept: only the top .helmignore applies"),
            ("charts/sub-0.2.0.tgz", &sub),
            ("charts/sub-0.2.0.tgz.prov", b"p"),
        ],
    );
    let c = load(dir.path()).expect("load");
    assert_eq!(c.name(), "top");
    assert_eq!(c.metadata.description, "two lines");
    assert_eq!(
        paths(&c.templates),
        vec![
            "templates/NOTES.txt",
            "templates/_helpers.tpl",
            "templates/deploy.yaml"
        ]
    );
    assert_eq!(
        paths(&c.files),
        vec![
            ".helmignore",
            "charts/sub-0.2.0.tgz.prov",
            "crds/crd.yaml",
            "crds/readme.txt",
            "files/conf.toml"
        ]
    );
    assert_eq!(paths(&c.crds), vec!["crds/crd.yaml"]);
    assert_eq!(c.values, serde_json::json!({"a": 1.0, "b": 2.0}));
    assert_eq!(c.schema.as_deref(), Some(&b"{}"[..]));
    assert!(c.lock.is_some());
    let deps: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
    assert_eq!(deps, vec!["dirsub", "sub"]);
    assert_eq!(paths(&c.dependencies[0].templates), vec!["templates/.dot"]);
    assert_eq!(c.dependencies[1].values, serde_json::json!({"s": 1.0}));
    assert_eq!(c.dependencies[1].dir, None);
}

#[test]
fn api_v1_reads_requirements() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[
            ("Chart.yaml", b"name: old\nversion: 0.1.0\n"),
            (
                "requirements.yaml",
                b"dependencies:\n- name: dep\n  version: 0.1.0\n  repository: x\n",
            ),
            ("requirements.lock", b"digest: y\n"),
        ],
    );
    let c = load(dir.path()).expect("load");
    assert_eq!(c.metadata.api_version, "v1");
    assert_eq!(c.metadata.dependencies[0].name, "dep");
    assert_eq!(
        paths(&c.files),
        vec!["requirements.lock", "requirements.yaml"]
    );
}

#[test]
fn archives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = tgz(&[
        ("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
        ("c/templates/x.yaml", b"x"),
        (
            "c/charts/s/Chart.yaml",
            b"apiVersion: v2\nname: s\nversion: 1.0.0\n",
        ),
    ]);
    let p = dir.path().join("c-1.0.0.tgz");
    std::fs::write(&p, data).expect("write");
    let c = load(&p).expect("load");
    assert_eq!(paths(&c.templates), vec!["templates/x.yaml"]);
    assert_eq!(c.dependencies[0].name(), "s");

    let evil = tgz(&[("c/../../etc/passwd", b"x")]);
    let e = load_archive_bytes(&evil, Path::new("evil.tgz")).expect_err("evil");
    assert!(
        e.to_string()
            .contains("chart illegally references parent directory"),
        "{e}"
    );

    let p = dir.path().join("values.yaml");
    std::fs::write(&p, "a: 1\n").expect("write");
    let e = load(&p).expect_err("not an archive");
    assert!(
        e.to_string()
            .contains("seems to be a YAML file, but expected a gzipped archive")
    );
}

#[test]
fn errors_name_file_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[("Chart.yaml", b"apiVersion: v2\nname: e\nversion: [1]\n")],
    );
    let e = load(dir.path()).expect_err("type").to_string();
    assert!(
        e.contains("cannot load Chart.yaml")
            && e.contains("Go struct field Metadata.version of type string"),
        "{e}"
    );

    write(
        dir.path(),
        &[("Chart.yaml", b"apiVersion: v2\nname: e\nversion: 1.x\n")],
    );
    let e = load(dir.path()).expect_err("semver").to_string();
    assert!(
        e.ends_with("validation: chart.metadata.version \"1.x\" is invalid"),
        "{e}"
    );

    write(
        dir.path(),
        &[(
            "Chart.yaml",
            b"apiVersion: v2\nname: e\nversion: 1.0.0\nfoo: [\n",
        )],
    );
    match load(dir.path()) {
        Err(ChartError::Yaml { file, source, .. }) => {
            assert_eq!(file, "Chart.yaml");
            assert!(source.line > 0, "{source:?}");
        }
        other => panic!("{other:?}"),
    }

    write(
        dir.path(),
        &[
            ("Chart.yaml", b"apiVersion: v2\nname: e\nversion: 1.0.0\n"),
            ("charts/broken/values.yaml", b"a: 1\n"),
        ],
    );
    let e = load(dir.path()).expect_err("subchart").to_string();
    assert!(
        e.starts_with("error unpacking subchart broken in e: Chart.yaml file is missing"),
        "{e}"
    );

    let e = load(&dir.path().join("nope"))
        .expect_err("missing")
        .to_string();
    assert!(e.contains("nope"), "{e}");
}
