//! The services the host offers a plugin (the WIT `host` interface).
//!
//! Inside the sandbox these call the host. Natively (a plugin's own `cargo test`) there is
//! no host: [`log`] appends to a per-thread buffer that [`take_logs`] drains, and
//! [`lookup`] answers `{}`, as an offline host does.

/// Log levels, mapped onto the host's `--debug` and warning output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Debug,
    Info,
    Warn,
}

/// Writes one line to the host's log (stderr).
pub fn log(level: Level, message: &str) {
    imp::log(level, message);
}

/// Helm's `lookup`: one object (when `name` is not empty) or a list from the cluster, as
/// JSON text; `{}` when there is none or the host is offline (as `rudder template` is).
/// `namespace` is empty for cluster-scoped kinds. Fails only when the cluster answered
/// with an error the user should see.
pub fn lookup(
    api_version: &str,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Result<String, String> {
    imp::lookup(api_version, kind, namespace, name)
}

/// The lines [`log`] wrote on this thread since the last call, oldest first (native
/// builds only: inside the sandbox the host has them).
#[cfg(not(target_arch = "wasm32"))]
pub fn take_logs() -> Vec<(Level, String)> {
    imp::LOGS.with(|logs| std::mem::take(&mut *logs.borrow_mut()))
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Level;
    use crate::bindings::common::rudder::plugin::host;

    pub(super) fn log(level: Level, message: &str) {
        let level = match level {
            Level::Debug => host::Level::Debug,
            Level::Info => host::Level::Info,
            Level::Warn => host::Level::Warn,
        };
        host::log(level, message);
    }

    pub(super) fn lookup(
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<String, String> {
        host::lookup(api_version, kind, namespace, name)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Level;
    use std::cell::RefCell;

    thread_local! {
        pub(super) static LOGS: RefCell<Vec<(Level, String)>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn log(level: Level, message: &str) {
        LOGS.with(|logs| logs.borrow_mut().push((level, message.to_string())));
    }

    pub(super) fn lookup(
        _api_version: &str,
        _kind: &str,
        _namespace: &str,
        _name: &str,
    ) -> Result<String, String> {
        Ok("{}".to_string())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn native_host_buffers_logs_and_is_offline() {
        let _ = take_logs();
        log(Level::Warn, "one");
        log(Level::Debug, "two");
        assert_eq!(
            take_logs(),
            [
                (Level::Warn, "one".to_string()),
                (Level::Debug, "two".to_string())
            ]
        );
        assert!(take_logs().is_empty());
        assert_eq!(lookup("v1", "ConfigMap", "default", "x").unwrap(), "{}");
    }
}
