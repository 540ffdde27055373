//! Builds the guest components (the built-in plugins and the sandbox's test guests) for
//! `wasm32-wasip2` with a nested `cargo build`, then embeds the built-in ones in the binary.
//!
//! The nested build uses its own target directory (`<target>/wasm-guests`), so it never waits
//! on the lock of the build that runs this script, and always builds in release mode: the
//! guests are small and a debug template engine would be needlessly slow.
//!
//! The built-in plugins are then compiled ahead of time with the engine settings the
//! runtime uses (`src/plugin/engine_config.rs`, included below), so that a first run needs
//! no compiling: the runtime checks the embedded code with wasmtime's compatibility check
//! (wasmtime version, settings, the running CPU's features) and compiles the component
//! itself only when that check fails. A cross build (target other than the build machine)
//! embeds no compiled code, and neither does `RUDDER_NO_PRECOMPILE=1`.
//!
//! Outputs:
//! - `$OUT_DIR/builtins.rs`: `BUILTINS: &[Builtin]`, the embedded built-in plugins with
//!   their sha256 and, where built, their compiled code.
//! - `RUDDER_TEST_GUESTS`: the folder holding the test guests' `.wasm` files (for tests).

use std::env;

#[allow(dead_code)]
#[path = "src/plugin/engine_config.rs"]
mod engine_config;

use sha2::Digest as _;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TARGET: &str = "wasm32-wasip2";

/// (package, library file stem, name embedded as a built-in plugin or None for test guests).
const GUESTS: &[(&str, &str, Option<&str>)] = &[
    (
        "rudder-gotmpl-plugin",
        "rudder_gotmpl_plugin",
        Some("gotmpl"),
    ),
    ("rudder-lint-helm", "rudder_lint_helm", Some("lint-helm")),
    ("rudder-lint-kube", "rudder_lint_kube", Some("lint-kube")),
    (
        "rudder-lint-practices",
        "rudder_lint_practices",
        Some("lint-practices"),
    ),
    (
        "rudder-policy-required-labels",
        "rudder_policy_required_labels",
        Some("required-labels"),
    ),
    (
        "rudder-policy-allowed-registries",
        "rudder_policy_allowed_registries",
        Some("allowed-registries"),
    ),
    (
        "rudder-policy-forbid-privileged",
        "rudder_policy_forbid_privileged",
        Some("forbid-privileged"),
    ),
    (
        "rudder-policy-resource-limits",
        "rudder_policy_resource_limits",
        Some("resource-limits"),
    ),
    (
        "rudder-policy-service-types",
        "rudder_policy_service_types",
        Some("service-types"),
    ),
    ("rudder-policy-rego", "rudder_policy_rego", Some("rego")),
    ("rudder-test-echo", "rudder_test_echo", None),
    ("rudder-test-echo-v0-1", "rudder_test_echo_v0_1", None),
    ("rudder-test-loop", "rudder_test_loop", None),
    ("rudder-test-alloc", "rudder_test_alloc", None),
    ("rudder-test-escape", "rudder_test_escape", None),
    ("rudder-test-lint", "rudder_test_lint", None),
    (
        "rudder-test-policy-hostile",
        "rudder_test_policy_hostile",
        None,
    ),
];

/// Variables the outer build sets that would change or break the nested one.
const STRIPPED_ENV: &[&str] = &[
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_PRIMARY_PACKAGE",
    "__CARGO_FIX_PLZ",
    "CARGO_LLVM_COV",
    "LLVM_PROFILE_FILE",
];

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn var(name: &str) -> Result<PathBuf, String> {
    env::var_os(name)
        .map(PathBuf::from)
        .ok_or_else(|| format!("cargo did not set {name}"))
}

fn run() -> Result<(), String> {
    let manifest_dir = var("CARGO_MANIFEST_DIR")?;
    let root = manifest_dir
        .parent()
        .ok_or("the host crate has no parent folder")?
        .to_path_buf();
    let out_dir = var("OUT_DIR")?;

    for path in [
        "plugins",
        "crates",
        "host/src/plugin/engine_config.rs",
        "wit",
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }

    check_target()?;

    // RUDDER_NO_BUILTINS=1 builds a binary without embedded plugins: for working on the
    // host while the template engine does not build. Such a binary can only use --plugin.
    println!("cargo:rerun-if-env-changed=RUDDER_NO_BUILTINS");
    let no_builtins = env::var_os("RUDDER_NO_BUILTINS").is_some_and(|v| !v.is_empty() && v != "0");
    if no_builtins {
        println!("cargo:warning=RUDDER_NO_BUILTINS is set: building without the built-in plugins");
    }
    let guests: Vec<_> = GUESTS
        .iter()
        .filter(|(_, _, builtin)| !no_builtins || builtin.is_none())
        .collect();

    let target_dir = guest_target_dir(&out_dir)?;
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .arg("build")
        .arg("--release")
        .args(["--target", TARGET])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    for (package, ..) in &guests {
        cmd.args(["-p", package]);
    }
    for name in STRIPPED_ENV {
        cmd.env_remove(name);
    }
    // Our stdout is read by cargo as instructions: send the nested build's output to stderr.
    cmd.stdout(Stdio::from(std::io::stderr()));
    let status = cmd
        .status()
        .map_err(|e| format!("could not run cargo to build the WASM guests: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the WASM guests for {TARGET} failed ({status}); see the output above"
        ));
    }

    let wasm_dir = target_dir.join(TARGET).join("release");
    println!("cargo:rerun-if-env-changed=RUDDER_NO_PRECOMPILE");
    let precompile = env::var("TARGET").ok() == env::var("HOST").ok()
        && !env::var_os("RUDDER_NO_PRECOMPILE").is_some_and(|v| !v.is_empty() && v != "0");
    let engine = if precompile {
        Some(
            wasmtime::Engine::new(&engine_config::engine_config())
                .map_err(|e| format!("could not create the wasmtime engine: {e:#}"))?,
        )
    } else {
        None
    };
    let mut builtins = String::from(
        "/// The built-in plugins embedded in the binary (generated by build.rs).\n\
         pub(crate) static BUILTINS: &[Builtin] = &[\n",
    );
    // Compiled code lives in page-aligned statics of its own, so that it can run in place.
    let mut code_statics = String::new();
    for (_, stem, builtin) in &guests {
        let file = wasm_dir.join(format!("{stem}.wasm"));
        if !file.is_file() {
            return Err(format!(
                "the nested build did not produce {}",
                file.display()
            ));
        }
        if let Some(name) = builtin {
            let path = file
                .to_str()
                .ok_or("the target folder's path is not UTF-8")?;
            let bytes = std::fs::read(&file)
                .map_err(|e| format!("could not read {}: {e}", file.display()))?;
            let sha: [u8; 32] = sha2::Sha256::digest(&bytes).into();
            let precompiled = match &engine {
                Some(engine) => {
                    let code = engine.precompile_component(&bytes).map_err(|e| {
                        format!("could not compile the built-in plugin {name}: {e:#}")
                    })?;
                    let code_len = code.len();
                    let code_file = out_dir.join(format!("{name}.cwasm"));
                    std::fs::write(&code_file, code)
                        .map_err(|e| format!("could not write {}: {e}", code_file.display()))?;
                    let code_path = code_file
                        .to_str()
                        .ok_or("the build folder's path is not UTF-8")?
                        .to_string();
                    let ident = format!("CODE_{}", code_statics.lines().count());
                    let _ = writeln!(
                        code_statics,
                        "static {ident}: Aligned<[u8; {code_len}]> = \
                         Aligned(*include_bytes!({code_path:?}));"
                    );
                    format!("Some(&{ident}.0)")
                }
                None => "None".to_string(),
            };
            let _ = writeln!(
                builtins,
                "    Builtin {{ name: {name:?}, wasm: include_bytes!({path:?}), sha256: {sha:?}, \
                 precompiled: {precompiled} }},"
            );
        }
    }
    builtins.push_str("];\n");
    builtins.push_str(&code_statics);
    std::fs::write(out_dir.join("builtins.rs"), builtins)
        .map_err(|e| format!("could not write builtins.rs: {e}"))?;
    println!("cargo:rustc-env=RUDDER_TEST_GUESTS={}", wasm_dir.display());
    Ok(())
}

/// `<target>/wasm-guests`, found from `OUT_DIR` (`<target>/[<triple>/]<profile>/build/<pkg>/out`).
fn guest_target_dir(out_dir: &Path) -> Result<PathBuf, String> {
    let build = out_dir
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))
        .ok_or_else(|| format!("unexpected OUT_DIR layout: {}", out_dir.display()))?;
    let target = build
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected OUT_DIR layout: {}", out_dir.display()))?;
    Ok(target.join("wasm-guests"))
}

/// Makes sure the toolchain has the guests' target: where it lacks it and rustup manages the
/// toolchain, adds it with rustup (saying so); else fails with the command to run.
fn check_target() -> Result<(), String> {
    if target_installed()? {
        return Ok(());
    }
    println!("cargo:rerun-if-env-changed=RUSTUP_TOOLCHAIN");
    let rustup = env::var_os("RUSTUP_HOME")
        .or_else(|| env::var_os("RUSTUP_TOOLCHAIN"))
        .map(|_| "rustup");
    if let Some(rustup) = rustup {
        println!(
            "cargo:warning=the Rust target {TARGET} (needed to build rudder's plugins) is not \
             installed: adding it with `rustup target add {TARGET}`"
        );
        let mut cmd = Command::new(rustup);
        cmd.args(["target", "add", TARGET]);
        if let Some(toolchain) = env::var_os("RUSTUP_TOOLCHAIN") {
            cmd.arg("--toolchain").arg(toolchain);
        }
        cmd.stdout(Stdio::from(std::io::stderr()));
        let added = cmd.status().is_ok_and(|s| s.success());
        if added && target_installed()? {
            return Ok(());
        }
    }
    Err(format!(
        "the Rust target {TARGET} is not installed; it builds rudder's plugins. Run:\n\n    \
         rustup target add {TARGET}\n"
    ))
}

/// Whether the compiler has the standard library for the guests' target.
fn target_installed() -> Result<bool, String> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .map_err(|e| format!("could not run rustc: {e}"))?;
    let libdir = String::from_utf8_lossy(&output.stdout).trim().to_string();
    Ok(output.status.success() && !libdir.is_empty() && Path::new(&libdir).is_dir())
}
