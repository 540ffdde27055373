//! Example policy `forbid-privileged`: no privileged containers, no hostPath volumes, no
//! host network, PID or IPC namespace, in any pod spec.
//!
//! Settings, each check on by default: `{"privileged": true, "host-path": true,
//! "host-network": true, "host-pid": true, "host-ipc": true, "allow-hostpath-prefixes":
//! ["/var/log"]}`. An allowed prefix matches whole path components (`/var/log` allows
//! `/var/log` and `/var/log/pods`, not `/var/logs`), after `.` and `..` are resolved, so
//! `/var/log/../../etc` is `/etc`. Codes: `privileged`, `host-path`, `host-network`,
//! `host-pid`, `host-ipc`.

use rudder_sdk::pods::PodSpec;
use rudder_sdk::{Context, Error, Object, Policy, SettingsError, Value, Violation};
use serde::Deserialize;

pub struct ForbidPrivileged;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Forbid `securityContext.privileged: true` on any container.
    pub privileged: bool,
    /// Forbid `hostPath` volumes (but those under `allow-hostpath-prefixes`).
    pub host_path: bool,
    /// Forbid `hostNetwork: true`.
    pub host_network: bool,
    /// Forbid `hostPID: true`.
    pub host_pid: bool,
    /// Forbid `hostIPC: true`.
    pub host_ipc: bool,
    /// Absolute host paths whose hostPath volumes are allowed.
    pub allow_hostpath_prefixes: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            privileged: true,
            host_path: true,
            host_network: true,
            host_pid: true,
            host_ipc: true,
            allow_hostpath_prefixes: Vec::new(),
        }
    }
}

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "privileged": {"type": "boolean", "default": true},
    "host-path": {"type": "boolean", "default": true},
    "host-network": {"type": "boolean", "default": true},
    "host-pid": {"type": "boolean", "default": true},
    "host-ipc": {"type": "boolean", "default": true},
    "allow-hostpath-prefixes": {"type": "array", "items": {"type": "string", "pattern": "^/"}}
  },
  "additionalProperties": false
}"#;

impl Policy for ForbidPrivileged {
    const NAME: &'static str = "forbid-privileged";
    const DESCRIPTION: &'static str =
        "no privileged containers, hostPath volumes or host network, PID and IPC namespaces";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn validate(settings: &Settings) -> Result<(), SettingsError> {
        for (i, prefix) in settings.allow_hostpath_prefixes.iter().enumerate() {
            if !prefix.starts_with('/') {
                return Err(SettingsError::at(
                    format!("allow-hostpath-prefixes[{i}]"),
                    format!("{prefix:?} is not an absolute path"),
                ));
            }
        }
        Ok(())
    }

    fn evaluate(
        objects: &[Object<'_>],
        _context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        let mut found = Vec::new();
        for o in objects {
            if let Some(pod) = o.pod_spec() {
                check_pod(&mut found, o, &pod, settings);
            }
        }
        Ok(found)
    }
}

fn check_pod(found: &mut Vec<Violation>, o: &Object<'_>, pod: &PodSpec<'_>, settings: &Settings) {
    let id = o.id();
    for (on, field, code, what) in [
        (
            settings.host_network,
            "hostNetwork",
            "host-network",
            "the host's network",
        ),
        (
            settings.host_pid,
            "hostPID",
            "host-pid",
            "the host's PID namespace",
        ),
        (
            settings.host_ipc,
            "hostIPC",
            "host-ipc",
            "the host's IPC namespace",
        ),
    ] {
        if on && pod.get(field) == Some(&Value::Bool(true)) {
            let path = pod.path_of(field);
            found.push(
                Violation::error(code, o, format!("{id} uses {what} ({path}: true)")).at(path),
            );
        }
    }
    if settings.privileged {
        for c in o.containers() {
            let keys = ["securityContext", "privileged"];
            if c.get(&keys) == Some(&Value::Bool(true)) {
                let path = c.path_of(&keys);
                found.push(
                    Violation::error(
                        "privileged",
                        o,
                        format!("{id} container {:?} is privileged ({path}: true)", c.name()),
                    )
                    .at(path),
                );
            }
        }
    }
    if settings.host_path {
        for (volume, path) in pod.list("volumes") {
            let Some(host_path) = volume.get("hostPath").filter(|v| !v.is_null()) else {
                continue;
            };
            let dir = host_path.get("path").and_then(Value::as_str).unwrap_or("");
            if settings
                .allow_hostpath_prefixes
                .iter()
                .any(|prefix| under(dir, prefix))
            {
                continue;
            }
            let name = volume.get("name").and_then(Value::as_str).unwrap_or("");
            let path = format!("{path}.hostPath");
            found.push(
                Violation::error(
                    "host-path",
                    o,
                    format!("{id} volume {name:?} mounts host path {dir:?} ({path})"),
                )
                .at(path),
            );
        }
    }
}

/// Whether `path` is `prefix` or below it, component by component, once `.` and `..` are
/// resolved (a relative path is never under an absolute prefix).
fn under(path: &str, prefix: &str) -> bool {
    match (components(path), components(prefix)) {
        (Some(path), Some(prefix)) => path.starts_with(&prefix),
        _ => false,
    }
}

/// The components of an absolute path, `.` and `..` resolved; `None` when relative.
fn components(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('/')?;
    let mut out = Vec::new();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    Some(out)
}

rudder_sdk::export_policy!(ForbidPrivileged);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_components() {
        assert!(under("/var/log", "/var/log"));
        assert!(under("/var/log/pods", "/var/log"));
        assert!(under("/var/log/pods", "/var/log/"));
        assert!(under("//var/./log/x", "/var/log"));
        assert!(!under("/var/logs", "/var/log"));
        assert!(!under("/var/log/../../etc", "/var/log"));
        assert!(!under("var/log", "/var/log"));
        assert!(!under("", "/var/log"));
        assert!(under("/anything", "/"));
    }
}
