//! Plugins: the sandboxed WebAssembly runtime, discovery and the typed calls.
//!
//! Everything that touches wasmtime is in this module. The rest of rudder sees:
//! - [`Runtime`]: one engine (component model, epoch interruption), its ticker, the linker,
//!   the compiled-code cache and the gate that bounds how many instances run at once;
//! - [`Registry`]: the plugins found (built in, `--plugin PATH`, `$RUDDER_PLUGINS_DIR`);
//! - [`Renderer`], [`Linter`], [`Policy`]: typed handles, `Send + Sync + Clone`, each call
//!   in a fresh store with a memory limit and a deadline, so they can be used from many
//!   rayon threads at once.
//!
//! A failing plugin never takes the host down: a trap, a timeout or running out of memory is
//! a [`PluginError`] naming the plugin and the call.

pub(crate) mod bindings;
mod cache;
mod convert;
mod engine_config;
mod in_place;
mod keygen;
mod registry;
mod runtime;

pub use bindings::{Level, PluginInfo, PluginKind};
pub use cache::{CacheOutcome, default_cache_dir};
pub use registry::{
    CheckInput, Linter, Plugin, PluginMeta, PluginSource, Policy, Registry, Renderer, builtin_names,
};
pub use runtime::{
    DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, HostServices, Lookup, Offline, Recorder, Runtime,
    RuntimeConfig,
};

use std::path::PathBuf;
use std::time::Duration;

/// The contract version this host speaks (the WIT package's version).
pub const CONTRACT_VERSION: &str = "0.2.0";
/// Every contract a loaded component may implement, for messages.
pub const CONTRACT_VERSIONS: &str = "rudder:plugin@0.2.0 (and @0.1.0 for renderers)";

/// Everything that can go wrong loading or calling a plugin.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("plugin \"{plugin}\" timed out after {} in {call}", fmt_duration(*.timeout))]
    Timeout {
        plugin: String,
        call: &'static str,
        timeout: Duration,
    },
    #[error("plugin \"{plugin}\" ran out of memory in {call} (limit {} MiB)", .limit >> 20)]
    OutOfMemory {
        plugin: String,
        call: &'static str,
        limit: usize,
    },
    #[error("plugin \"{plugin}\" crashed in {call}: {message}")]
    Trap {
        plugin: String,
        call: &'static str,
        message: String,
    },
    #[error("failed to read plugin `{}`: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("no plugin named \"{0}\"")]
    NotFound(String),
    #[error("plugin \"{name}\" is a {actual} plugin, not a {wanted}")]
    WrongKind {
        name: String,
        actual: &'static str,
        wanted: &'static str,
    },
    #[error("two plugins are named \"{name}\": {first} and {second}")]
    Duplicate {
        name: String,
        first: String,
        second: String,
    },
    #[error("could not set up the WebAssembly runtime: {0}")]
    Engine(String),
    #[error("plugin \"{plugin}\" settings{}: {message}", .path.as_ref().map(|p| format!(" at {p}")).unwrap_or_default())]
    Settings {
        plugin: String,
        message: String,
        /// JSON pointer or path into the settings, when known.
        path: Option<String>,
    },
    /// The plugin ran but could not do its job (bad input, its own failure).
    #[error("plugin \"{plugin}\" failed in {call} ({kind}){}: {message}", .path.as_ref().map(|p| format!(" at {p}")).unwrap_or_default())]
    Reported {
        plugin: String,
        call: &'static str,
        /// `settings`, `input` or `internal`.
        kind: &'static str,
        message: String,
        path: Option<String>,
    },
}

impl PluginError {
    fn reported(plugin: &str, call: &'static str, e: bindings::WitPluginError) -> PluginError {
        PluginError::Reported {
            plugin: plugin.to_string(),
            call,
            kind: match e.kind {
                bindings::ErrorKind::Settings => "settings",
                bindings::ErrorKind::Input => "input",
                bindings::ErrorKind::Internal => "internal",
            },
            message: e.message,
            path: e.path,
        }
    }
}

/// `30s`, `1.5s`, `250ms`.
fn fmt_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() == 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}s", d.as_secs_f64())
    }
}

/// `renderer`, `linter` or `policy`.
pub fn kind_name(kind: PluginKind) -> &'static str {
    match kind {
        PluginKind::Renderer => "renderer",
        PluginKind::Linter => "linter",
        PluginKind::Policy => "policy",
    }
}

#[cfg(test)]
mod tests;
