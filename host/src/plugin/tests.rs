//! Unit tests of the runtime with the test guests (`plugins/testing`), built by build.rs.

use super::*;
use crate::chart::File;
use crate::render::{JobChart, RenderJob, RenderOptions};
use std::path::{Path, PathBuf};

pub(crate) fn guest(name: &str) -> PathBuf {
    Path::new(env!("RUDDER_TEST_GUESTS")).join(format!("rudder_test_{name}.wasm"))
}

fn runtime(cache: &Path) -> Runtime {
    Runtime::new(RuntimeConfig {
        cache_dir: Some(cache.to_path_buf()),
        timeout: std::time::Duration::from_secs(5),
        ..RuntimeConfig::default()
    })
    .expect("runtime")
}

fn job(templates: &[(&str, &str)]) -> RenderJob {
    RenderJob {
        charts: vec![JobChart {
            path: "web".into(),
            metadata: r#"{"name":"web"}"#.into(),
            templates: templates
                .iter()
                .map(|(p, d)| File {
                    path: (*p).into(),
                    data: d.as_bytes().to_vec(),
                })
                .collect(),
            ..JobChart::default()
        }],
        options: RenderOptions {
            seed: 1,
            ..RenderOptions::default()
        },
        ..RenderJob::default()
    }
}

#[test]
fn echo_renders_and_describes_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let plugin = Plugin::load_file(&rt, &guest("echo")).expect("load");
    let meta = plugin.meta();
    assert_eq!(meta.info.name, "echo");
    assert_eq!(meta.info.kind, PluginKind::Renderer);
    assert_eq!(meta.contract, CONTRACT_VERSION);
    assert_eq!(meta.sha256.len(), 64);
    assert!(
        meta.exports
            .iter()
            .any(|e| e == "rudder:plugin/render@0.2.0"),
        "{:?}",
        meta.exports
    );
    assert_eq!(meta.cache, CacheOutcome::Miss);
    let out = plugin
        .renderer()
        .expect("renderer")
        .render(&job(&[
            ("templates/a.yaml", "a: 1\n"),
            ("templates/_h.tpl", "x"),
        ]))
        .expect("call")
        .expect("render")
        .templates;
    let names: Vec<_> = out
        .iter()
        .map(|t| (t.name.as_str(), t.content.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("web/templates/a.yaml", "a: 1\n"),
            ("web/templates/_h.tpl", "x")
        ]
    );
    // A second load maps the compiled code back in.
    assert_eq!(
        Plugin::load_file(&rt, &guest("echo"))
            .expect("load")
            .meta()
            .cache,
        CacheOutcome::Hit
    );
    // The wrong kind is refused by name.
    let err = plugin.linter().expect_err("not a linter").to_string();
    assert_eq!(err, r#"plugin "echo" is a renderer plugin, not a linter"#);
}

#[test]
fn a_renderer_of_contract_0_1_0_still_loads_and_renders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let plugin = Plugin::load_file(&rt, &guest("echo_v0_1")).expect("load");
    assert_eq!(plugin.meta().info.name, "echo-v0-1");
    assert_eq!(plugin.meta().contract, "0.1.0");
    let out = plugin
        .renderer()
        .expect("renderer")
        .render(&job(&[("templates/a.yaml", "a: 1\n")]))
        .expect("call")
        .expect("render");
    assert_eq!(out.templates[0].name, "web/templates/a.yaml");
    assert_eq!(out.templates[0].content, "a: 1\n");
    // Its host imports are served too: the guest logs one line through them.
    let logged = std::sync::Arc::new(Recorder::new(true));
    let services: std::sync::Arc<dyn HostServices> = logged.clone();
    plugin
        .renderer()
        .expect("renderer")
        .render_with(&job(&[("templates/a.yaml", "x")]), &services)
        .expect("call")
        .expect("render");
    let lines = logged.take();
    assert!(
        lines.iter().any(|l| l.contains("echo: 1 templates")),
        "{lines:?}"
    );
}

#[test]
fn settings_are_checked_by_schema_then_by_the_plugin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let echo = Plugin::load_file(&rt, &guest("echo")).expect("load");
    let ok = echo
        .configure(&serde_json::json!({"prefix": "a"}))
        .expect("valid settings");
    assert_eq!(ok.name(), "echo");
    let err = echo
        .configure(&serde_json::json!({"prefix": 3}))
        .expect_err("wrong type");
    assert!(matches!(err, PluginError::Settings { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        r#"plugin "echo" settings at /prefix: 3 is not of type "string""#
    );
    let err = echo
        .configure(&serde_json::json!({"other": true}))
        .expect_err("unknown key");
    assert!(
        err.to_string().starts_with(r#"plugin "echo" settings: "#),
        "{err}"
    );
    // The plugin's own rule, past the schema.
    let err = echo
        .configure(&serde_json::json!({"prefix": "a/b"}))
        .expect_err("plugin's rule");
    assert_eq!(
        err.to_string(),
        r#"plugin "echo" settings at prefix: prefix must not contain '/'"#
    );
    // A plugin with no schema takes only `{}`.
    let looping = Plugin::load_file(&rt, &guest("loop")).expect("load");
    looping
        .configure(&serde_json::json!({}))
        .expect("empty settings");
    let err = looping
        .configure(&serde_json::json!({"x": 1}))
        .expect_err("no settings");
    assert_eq!(
        err.to_string(),
        r#"plugin "loop" settings: takes no settings"#
    );
}

#[test]
fn renderer_is_shared_across_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = Runtime::new(RuntimeConfig {
        cache_dir: Some(dir.path().into()),
        max_instances: 4,
        ..Default::default()
    })
    .expect("runtime");
    let renderer = Plugin::load_file(&rt, &guest("echo"))
        .expect("load")
        .renderer()
        .expect("renderer");
    std::thread::scope(|s| {
        for i in 0..4 {
            let renderer = &renderer;
            s.spawn(move || {
                for j in 0..25 {
                    let text = format!("{i}-{j}");
                    let out = renderer
                        .render(&job(&[("templates/t.yaml", &text)]))
                        .expect("call")
                        .expect("render")
                        .templates;
                    assert_eq!(out[0].content, text);
                }
            });
        }
    });
}

#[test]
fn host_services_receive_logs_and_lookups() {
    use std::sync::Mutex;
    #[derive(Default)]
    struct Logged(Mutex<Vec<String>>);
    impl HostServices for Logged {
        fn log(&self, plugin: &str, _level: Level, message: &str) {
            self.0
                .lock()
                .expect("lock")
                .push(format!("{plugin}: {message}"));
        }
        fn lookup(&self, q: &Lookup<'_>) -> Result<String, String> {
            Ok(format!(
                "{{\"kind\":\"{}\",\"name\":\"{}\"}}",
                q.kind, q.name
            ))
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let recorder = std::sync::Arc::new(Logged::default());
    let rt = Runtime::with_services(
        RuntimeConfig {
            cache_dir: Some(dir.path().into()),
            ..Default::default()
        },
        recorder.clone(),
    )
    .expect("runtime");
    let renderer = Plugin::load_file(&rt, &guest("echo"))
        .expect("load")
        .renderer()
        .expect("renderer");
    renderer.render(&job(&[])).expect("call").expect("render");
    let logs = recorder.0.lock().expect("lock").clone();
    assert_eq!(
        logs,
        [r#"echo: echo: 0 templates, lookup gave {"kind":"ConfigMap","name":"x"}"#]
    );

    // Services given with a call replace the runtime's for that call only: offline
    // lookups, and the log line kept by the call's recorder (debug lines only when asked).
    for (debug, want) in [
        (false, vec![]),
        (
            true,
            vec!["debug: [echo] echo: 0 templates, lookup gave {}"],
        ),
    ] {
        let mine = std::sync::Arc::new(Recorder::new(debug));
        let services: std::sync::Arc<dyn HostServices> = mine.clone();
        renderer
            .render_with(&job(&[]), &services)
            .expect("call")
            .expect("render");
        assert_eq!(mine.take(), want);
        assert!(mine.take().is_empty());
    }
    assert_eq!(recorder.0.lock().expect("lock").len(), 1);
}

#[test]
fn bad_files_give_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let load = |bytes: &[u8]| {
        Plugin::load_bytes(&rt, bytes, PluginSource::File("x.wasm".into()))
            .expect_err("must fail")
            .to_string()
    };
    assert_eq!(
        load(b"hello world"),
        "`x.wasm`: is not a WebAssembly component (no `\\0asm` header)"
    );
    assert_eq!(
        load(b""),
        "`x.wasm`: is not a WebAssembly component (no `\\0asm` header)"
    );
    assert!(
        load(b"\0asm\x01\0\0\0")
            .starts_with("`x.wasm`: is a core WebAssembly module, not a component")
    );
    let truncated = load(b"\0asm\x0d\0\x01\0\x07\x05");
    assert!(
        truncated.starts_with("`x.wasm`: is not a valid WebAssembly component: "),
        "{truncated}"
    );
    assert_eq!(
        load(b"\0asm\x0d\0\x01\0"),
        "`x.wasm`: is not a rudder plugin: it exports none of rudder:plugin/render, lint or evaluate \
         (it exports nothing)"
    );
    let missing = Plugin::load_file(&rt, &dir.path().join("nope.wasm"))
        .expect_err("missing")
        .to_string();
    assert!(missing.starts_with("failed to read plugin `"), "{missing}");
}

#[test]
fn registry_finds_plugins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(&dir.path().join("cache"));
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).expect("mkdir");
    std::fs::copy(guest("echo"), plugins.join("echo.wasm")).expect("copy");
    std::fs::write(plugins.join("notes.txt"), "not a plugin").expect("write");
    let registry = Registry::discover(&rt, &[guest("loop")], Some(&plugins)).expect("discover");
    let names: Vec<_> = registry.plugins().iter().map(Plugin::name).collect();
    let mut expected = builtin_names();
    expected.extend(["echo", "loop"]);
    assert_eq!(names, expected);
    assert!(registry.renderer("echo").is_ok());
    assert_eq!(
        registry.get("nope").expect_err("missing").to_string(),
        r#"no plugin named "nope""#
    );
    // The same bytes twice are one plugin.
    assert!(Registry::discover(&rt, &[guest("echo")], Some(&plugins)).is_ok());
}

#[test]
fn durations_print_as_people_write_them() {
    use std::time::Duration;
    assert_eq!(fmt_duration(Duration::from_secs(30)), "30s");
    assert_eq!(fmt_duration(Duration::from_millis(250)), "250ms");
    assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
}

/// Prints how long loading and calling take: cold compile, warm load from the cache,
/// instantiate + call. `cargo test -p rudder --release measure -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a test"]
fn measure_load_and_call() {
    use std::time::Instant;
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let mut subjects: Vec<(String, Vec<u8>)> = Vec::new();
    for name in builtin_names() {
        subjects.push((
            name.to_string(),
            registry::builtin_bytes(name).expect("builtin").to_vec(),
        ));
    }
    subjects.push(("echo".into(), std::fs::read(guest("echo")).expect("echo")));
    for (name, wasm) in subjects {
        let t = Instant::now();
        let cold = Plugin::load_bytes(&rt, &wasm, PluginSource::Builtin).expect("cold");
        let cold_time = t.elapsed();
        assert_eq!(cold.meta().cache, CacheOutcome::Miss);
        let t = Instant::now();
        let warm = Plugin::load_bytes(&rt, &wasm, PluginSource::Builtin).expect("warm");
        let warm_time = t.elapsed();
        assert_eq!(warm.meta().cache, CacheOutcome::Hit);
        let renderer = warm.renderer().expect("renderer");
        let job = job(&[("templates/a.yaml", "a: {{ .Values.x | default 1 }}\n")]);
        let n = 200u32;
        let t = Instant::now();
        for _ in 0..n {
            let _ = renderer.render(&job).expect("call");
        }
        let call_time = t.elapsed() / n;
        println!(
            "{name}: {} KiB wasm; cold load (compile + store) {cold_time:?}; warm load (verify + map + describe) {warm_time:?}; instantiate + render {call_time:?}",
            wasm.len() >> 10
        );
    }
}

#[test]
fn growth_reserve_follows_the_limit_and_the_address_space() {
    use super::engine_config::growth_reservation;
    const MIB: u64 = 1 << 20;
    // No address-space limit: the whole memory limit, so a memory never moves.
    assert_eq!(growth_reservation(512 << 20, 4, None), 512 * MIB);
    assert_eq!(growth_reservation(4096 << 20, 4, None), 4096 * MIB);
    // Under one, the instances share half of it, 32 MiB at the least, the limit at most.
    assert_eq!(growth_reservation(512 << 20, 4, Some(1 << 30)), 128 * MIB);
    assert_eq!(growth_reservation(512 << 20, 64, Some(1 << 30)), 32 * MIB);
    assert_eq!(growth_reservation(64 << 20, 1, Some(8 << 30)), 64 * MIB);
}

#[test]
fn a_lint_plugin_gets_manifests_and_settings_and_its_findings_come_back() {
    use crate::check::{ChartInput, Severity};
    use crate::render::Manifest;
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path());
    let plugin = Plugin::load_file(&rt, &guest("lint")).expect("load");
    assert_eq!(plugin.kind(), PluginKind::Linter);
    let manifest = |kind: &str, name: &str| Manifest {
        template: format!("web/templates/{name}.yaml"),
        index: 0,
        api_version: "v1".into(),
        kind: kind.into(),
        name: name.into(),
        namespace: None,
        hook: None,
        object: serde_json::json!({"apiVersion": "v1", "kind": kind}),
        text: format!("kind: {kind}"),
    };
    let manifests = [manifest("ConfigMap", "config"), manifest("Secret", "token")];
    let chart = ChartInput {
        metadata: r#"{"name":"web"}"#.into(),
        values: "{}".into(),
        files: Vec::new(),
        ..ChartInput::default()
    };

    let linter = plugin.linter().expect("linter");
    let rules = linter.rules().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(
        (rules[0].id.as_str(), rules[0].severity),
        ("test/no-secrets", Severity::Warning)
    );
    let found = linter.lint(&chart, &manifests).expect("lint");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(
        (f.plugin.as_str(), f.rule.as_str(), f.severity, f.manifest),
        ("lint", "test/no-secrets", Severity::Warning, Some(1))
    );
    assert_eq!(f.message, "Secret token from web/templates/token.yaml");
    assert_eq!(f.path.as_deref(), Some("kind"));

    // The settings it was configured with reach every call.
    let strict = plugin
        .configure(&serde_json::json!({"strict": true}))
        .expect("settings")
        .linter()
        .expect("linter");
    let found = strict.lint(&chart, &manifests).expect("lint");
    assert_eq!(found[0].severity, Severity::Error);
    assert!(
        plugin
            .configure(&serde_json::json!({"strict": "yes"}))
            .is_err(),
        "the schema refuses a string"
    );

    // Input the plugin refuses is its error, named, with where.
    let err = linter
        .lint(&chart, &[manifest("", "x")])
        .expect_err("no kind");
    assert_eq!(
        err.to_string(),
        r#"plugin "lint" failed in lint (input) at manifests[0].kind: manifest 0 has no kind"#
    );
    // A linter is not a renderer.
    assert!(plugin.renderer().is_err());
}
