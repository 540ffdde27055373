//! The plugin sandbox: hostile guests (`plugins/testing`) must be stopped, contained and
//! reported, and the runtime must carry on. Each test fails if its limit is removed.

use rudder::chart::File;
use rudder::plugin::{CacheOutcome, Plugin, PluginError, PluginSource, Runtime, RuntimeConfig};
use rudder::render::RenderJob;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn guest(name: &str) -> PathBuf {
    Path::new(env!("RUDDER_TEST_GUESTS")).join(format!("rudder_test_{name}.wasm"))
}

fn runtime(cache: &Path, timeout: Duration, memory_limit: usize) -> Runtime {
    Runtime::new(RuntimeConfig {
        cache_dir: Some(cache.to_path_buf()),
        timeout,
        memory_limit,
        ..RuntimeConfig::default()
    })
    .expect("runtime")
}

fn job(chart_path: &str, files: Vec<File>) -> RenderJob {
    let templates = vec![File {
        path: "templates/a.yaml".into(),
        data: b"a: 1\n".to_vec(),
    }];
    crate::one_chart_job(chart_path, "{}", templates, files, (0, 0), 0)
}

#[test]
fn an_endless_loop_is_stopped_at_the_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deadline = Duration::from_secs(1);
    let rt = runtime(dir.path(), deadline, 64 << 20);
    let renderer = Plugin::load_file(&rt, &guest("loop"))
        .expect("load")
        .renderer()
        .expect("renderer");
    let start = Instant::now();
    // The call runs on its own thread, so that a runtime without a deadline fails this test
    // (the receiver gives up) instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let looping = renderer.clone();
    std::thread::spawn(move || {
        let _ = tx.send(looping.render(&job("web", Vec::new())));
    });
    let err = rx
        .recv_timeout(deadline * 3)
        .expect("the endless loop was not stopped within 3x the deadline")
        .expect_err("must time out");
    let took = start.elapsed();
    assert!(matches!(err, PluginError::Timeout { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        r#"plugin "loop" timed out after 1s in render"#
    );
    assert!(
        took >= deadline / 2 && took < deadline * 2,
        "stopped after {took:?}"
    );
    // The runtime carries on: another plugin renders in it.
    let echo = Plugin::load_file(&rt, &guest("echo"))
        .expect("load")
        .renderer()
        .expect("renderer");
    assert!(echo.render(&job("web", Vec::new())).expect("call").is_ok());
}

#[test]
fn unbounded_allocation_fails_and_the_runtime_survives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path(), Duration::from_secs(20), 64 << 20);
    let renderer = Plugin::load_file(&rt, &guest("alloc"))
        .expect("load")
        .renderer()
        .expect("renderer");
    let err = renderer
        .render(&job("web", Vec::new()))
        .expect_err("must run out of memory");
    assert!(matches!(err, PluginError::OutOfMemory { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        r#"plugin "alloc" ran out of memory in render (limit 64 MiB)"#
    );
    // The same plugin, same runtime, a call that stays within the limit: it works.
    for _ in 0..3 {
        let out = renderer
            .render(&job("small", Vec::new()))
            .expect("call")
            .expect("render")
            .templates;
        assert_eq!(out[0].content, (4 << 20).to_string());
    }
}

#[test]
fn files_environment_and_network_are_out_of_reach() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "s3cr3t").expect("write");
    let rt = runtime(&dir.path().join("cache"), Duration::from_secs(10), 64 << 20);
    let renderer = Plugin::load_file(&rt, &guest("escape"))
        .expect("load")
        .renderer()
        .expect("renderer");
    let named = File {
        path: "path".into(),
        data: secret.to_string_lossy().into_owned().into_bytes(),
    };
    let out = renderer
        .render(&job("web", vec![named]))
        .expect("call")
        .expect("render")
        .templates;
    let report = &out[0].content;
    let line = |key: &str| {
        report
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no {key} in {report}"))
            .to_string()
    };
    for key in [
        "file", "passwd", "dir", "rootdir", "write", "named", "env-home", "env-path", "tcp",
    ] {
        assert!(line(key).starts_with("err "), "{key} reached: {report}");
    }
    assert_eq!(line("env-count"), "0");
    assert_eq!(line("args"), "[]");
    // Clocks are fixed: no timing side channel, and no real time outside the contract.
    assert_eq!(line("time"), "ok 0ns");
    assert!(!report.contains("s3cr3t"), "{report}");
    assert!(!dir.path().join("escaped.txt").exists());
}

#[test]
fn a_corrupted_cache_entry_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path(), Duration::from_secs(10), 64 << 20);
    let load = || Plugin::load_file(&rt, &guest("echo")).expect("load");
    assert_eq!(load().meta().cache, CacheOutcome::Miss);
    assert_eq!(load().meta().cache, CacheOutcome::Hit);
    let entries = dir.path().join("components");
    let code = std::fs::read_dir(&entries)
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "cwasm"))
        .expect("a cached component");
    let mut bytes = std::fs::read(&code).expect("read");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    std::fs::write(&code, &bytes).expect("write");
    let plugin = load();
    assert_eq!(plugin.meta().cache, CacheOutcome::Rebuilt);
    let out = plugin
        .renderer()
        .expect("renderer")
        .render(&job("web", Vec::new()))
        .expect("call");
    assert!(out.is_ok());
    std::fs::write(&code, b"garbage").expect("write");
    assert_eq!(load().meta().cache, CacheOutcome::Rebuilt);
    assert_eq!(load().meta().cache, CacheOutcome::Hit);
}

#[test]
fn non_components_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = runtime(dir.path(), Duration::from_secs(10), 64 << 20);
    let core_module = dir.path().join("core.wasm");
    std::fs::write(&core_module, b"\0asm\x01\0\0\0").expect("write");
    let err = Plugin::load_file(&rt, &core_module)
        .expect_err("core module")
        .to_string();
    assert!(
        err.contains("core.wasm`: is a core WebAssembly module, not a component"),
        "{err}"
    );
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = Plugin::load_bytes(&rt, &random, PluginSource::File("random.wasm".into()))
        .expect_err("random bytes")
        .to_string();
    assert_eq!(
        err,
        "`random.wasm`: is not a WebAssembly component (no `\\0asm` header)"
    );
    let mut garbage = b"\0asm\x0d\0\x01\0".to_vec();
    garbage.extend_from_slice(&random);
    let err = Plugin::load_bytes(&rt, &garbage, PluginSource::File("garbage.wasm".into()))
        .expect_err("garbage")
        .to_string();
    assert!(
        err.starts_with("`garbage.wasm`: is not a valid WebAssembly component: "),
        "{err}"
    );
}
