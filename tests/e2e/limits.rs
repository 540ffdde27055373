//! Rendering where CI users run rudder: a fresh machine with no compiled-code cache, and a
//! process under an address-space limit (`ulimit -v`, `prlimit --as`).

use std::path::Path;
use std::process::Command;

use crate::{repo_root, rudder_bin};

/// The example golden cases: (name, arguments).
fn golden_cases() -> Vec<(String, String)> {
    let cases = std::fs::read_to_string(repo_root().join("tests/golden/cases.txt"))
        .expect("read cases.txt");
    cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, args) = l.split_once('|').expect("name|args");
            (name.to_string(), args.to_string())
        })
        .collect()
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(repo_root().join(format!("tests/golden/{name}.yaml"))).expect("golden")
}

/// `rudder ARGS` with an empty cache folder and home, under `ulimit -v KIB` when given.
fn run_fresh(cache: &Path, limit_kib: Option<u64>, args: &[&str]) -> std::process::Output {
    let mut cmd = match limit_kib {
        Some(kib) => {
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
                .arg(rudder_bin());
            sh
        }
        None => Command::new(rudder_bin()),
    };
    cmd.current_dir(repo_root())
        .args(args)
        .env("RUDDER_CACHE_DIR", cache)
        .env("HOME", cache)
        .env_remove("XDG_CACHE_HOME")
        .output()
        .expect("run rudder")
}

/// Entries written to the compiled-code cache.
fn cache_entries(cache: &Path) -> Vec<String> {
    std::fs::read_dir(cache.join("components"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `rudder template rel charts/hello` with the cache folder `cache` prints Helm's output.
fn assert_renders_hello(cache: &Path) {
    let out = run_fresh(
        cache,
        None,
        &["template", "rel", "charts/hello", "--namespace", "ns"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden("hello"));
}

#[test]
fn a_first_run_uses_the_code_compiled_at_build_time() {
    let cache = tempfile::tempdir().expect("tempdir");
    let out = run_fresh(cache.path(), None, &["plugin", "inspect", "gotmpl"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("code:          compiled at build time, embedded in rudder\n"),
        "{text}"
    );
    // Nothing was compiled and nothing stored: the embedded code runs where it lies.
    assert_eq!(cache_entries(cache.path()), Vec::<String>::new());

    // Later runs do the same, and render what Helm does.
    for _ in 0..2 {
        assert_renders_hello(cache.path());
    }
    let out = run_fresh(cache.path(), None, &["plugin", "inspect", "gotmpl"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("code:          compiled at build time, embedded in rudder\n"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_cannot_be_written_is_no_obstacle() {
    use std::os::unix::fs::PermissionsExt;
    let cache = tempfile::tempdir().expect("tempdir");
    let blocked = cache.path().join("components");
    // A file where the cache's folder should be: nothing can be stored under it (this holds
    // for root too, unlike a folder without write permission).
    std::fs::write(&blocked, "not a folder").expect("write");
    std::fs::set_permissions(&blocked, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    assert_renders_hello(cache.path());
}

/// Renders every example case under `limit_kib` of address space; the failures.
fn render_all_under(limit_kib: u64, jobs: &str) -> Vec<String> {
    let cache = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for (name, args) in golden_cases() {
        let mut argv = vec!["template", "--jobs", jobs];
        argv.extend(args.split_whitespace());
        let out = run_fresh(cache.path(), Some(limit_kib), &argv);
        if !out.status.success() {
            failures.push(format!(
                "{name}: failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        } else if String::from_utf8_lossy(&out.stdout) != golden(&name) {
            failures.push(format!("{name}: output differs from helm"));
        }
    }
    failures
}

#[test]
fn renders_under_an_address_space_limit() {
    // 1 GiB: a quarter of what a single wasmtime memory reserved by default, for a run with
    // several plugin instances at once.
    let failures = render_all_under(1 << 20, "4");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
