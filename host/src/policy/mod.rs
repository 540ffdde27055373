//! Organisation policies: policy plugins chosen and configured by `.rudder.yaml` (or loaded
//! with `--plugin`), run over a release's manifests with a context, in parallel.
//!
//! ```yaml
//! policies:
//!   - name: required-labels        # a built-in, or a plugin loaded with --plugin
//!     mode: enforce                # or monitor: reported, never failing
//!     settings: {labels: [owner]}
//!   - path: policies/team.wasm     # a component file, relative to this .rudder.yaml,
//!     sha256: 5f1c…                # pinned: other bytes refuse to load
//! ```
//!
//! A policy whose settings schema marks a property with `x-rudder-files` (the `rego`
//! plugin's `policy` and `data`) is given files: the user names files and folders
//! (relative to the `.rudder.yaml`), the host reads them (folders recursively, the
//! extensions the schema lists) and passes `[{path, text}]`. Plugins never read files.

pub mod suite;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use sha2::Digest as _;

use crate::check::{Context, Finding, Severity};
use crate::plugin::{
    CheckInput, Plugin, PluginError, PluginKind, PluginSource, Policy, Registry, Runtime,
};
use crate::render::Manifest;

/// The rule id of the finding that reports a policy that failed.
pub const POLICY_ERROR: &str = "rudder/policy-error";

/// The most a violation's message may hold: more is garbage.
const MAX_MESSAGE: usize = 64 << 10;

/// Whether a policy's violations count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Violations are findings like any other: an error fails the command.
    #[default]
    Enforce,
    /// Violations are reported (as suppressed findings) and never fail.
    Monitor,
}

/// One entry of `.rudder.yaml`'s `policies`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// A loaded plugin's name (built in, `--plugin`, plugins folder).
    pub name: Option<String>,
    /// A component file, relative to the configuration file.
    pub path: Option<PathBuf>,
    /// The file's sha256 (hex); required with `path`.
    pub sha256: Option<String>,
    pub mode: Mode,
    pub settings: Option<serde_json::Value>,
    /// The folder of the configuration file (relative paths start there).
    #[serde(skip)]
    pub base: PathBuf,
}

impl PolicyConfig {
    /// Whether `other` configures the same thing (from whichever file).
    pub fn same_as(&self, other: &PolicyConfig) -> bool {
        let full = |c: &PolicyConfig| c.path.as_ref().map(|p| c.base.join(p));
        let files = |c: &PolicyConfig| c.settings.as_ref().map(|_| c.base.clone());
        self.name == other.name
            && full(self) == full(other)
            && self.sha256 == other.sha256
            && self.mode == other.mode
            && self.settings == other.settings
            // Settings may name files, relative to their own configuration.
            && files(self) == files(other)
    }

    /// How the entry is named in messages.
    pub fn label(&self) -> String {
        match (&self.name, &self.path) {
            (Some(n), _) => n.clone(),
            (None, Some(p)) => p.display().to_string(),
            (None, None) => "(unnamed)".into(),
        }
    }
}

/// Why the policies of a run could not be set up: before any chart renders.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("policy {policy}: {message}")]
    Config { policy: String, message: String },
    #[error("policy {policy}: cannot read {}: {source}", path.display())]
    Read {
        policy: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("policy {policy}: {} has sha256 {actual}, but the configuration pins {expected}", path.display())]
    Digest {
        policy: String,
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error(transparent)]
    Plugin(#[from] PluginError),
}

/// A policy ready to run: its plugin configured, and its mode.
#[derive(Debug, Clone)]
pub struct ConfiguredPolicy {
    pub policy: Policy,
    pub mode: Mode,
}

impl ConfiguredPolicy {
    pub fn name(&self) -> &str {
        &self.policy.meta().info.name
    }
}

/// The policies of a run: every configured entry, then every policy plugin loaded from a
/// file (`--plugin`, the plugins folder) that no entry names, with its default settings
/// and enforced. Built-in policies run only when configured.
pub fn resolve(
    registry: &Registry,
    runtime: &Runtime,
    configs: &[PolicyConfig],
) -> Result<Vec<ConfiguredPolicy>, PolicyError> {
    let mut out: Vec<ConfiguredPolicy> = Vec::new();
    for c in configs {
        let policy = configure(registry, runtime, c)?;
        if out.iter().any(|p| p.name() == policy.name()) {
            return Err(PolicyError::Config {
                policy: c.label(),
                message: "configured twice".into(),
            });
        }
        out.push(policy);
    }
    for plugin in registry.plugins() {
        if plugin.kind() == PluginKind::Policy
            && plugin.meta().source != PluginSource::Builtin
            && !out.iter().any(|p| p.name() == plugin.name())
        {
            let policy = plugin.configure(&serde_json::json!({}))?.policy()?;
            out.push(ConfiguredPolicy {
                policy,
                mode: Mode::Enforce,
            });
        }
    }
    Ok(out)
}

/// One configured entry: the plugin found (or loaded from its pinned path), its files
/// expanded, its settings checked (by the schema, then by the plugin).
pub fn configure(
    registry: &Registry,
    runtime: &Runtime,
    c: &PolicyConfig,
) -> Result<ConfiguredPolicy, PolicyError> {
    let label = c.label();
    let plugin = match (&c.name, &c.path) {
        (_, Some(path)) => load_pinned(runtime, c, path)?,
        (Some(name), None) => registry.get(name).cloned()?,
        (None, None) => {
            return Err(PolicyError::Config {
                policy: label,
                message: "give the plugin's `name` or its `path` (with `sha256`)".into(),
            });
        }
    };
    if let (Some(name), Some(_)) = (&c.name, &c.path)
        && plugin.name() != name
    {
        return Err(PolicyError::Config {
            policy: label,
            message: format!("the component at the path is named {:?}", plugin.name()),
        });
    }
    if plugin.kind() != PluginKind::Policy {
        return Err(PolicyError::Config {
            policy: label,
            message: format!("plugin {:?} is not a policy plugin", plugin.name()),
        });
    }
    let settings = match &c.settings {
        Some(s) => expand_files(&plugin, s, &c.base)?,
        None => serde_json::json!({}),
    };
    let policy = plugin.configure(&settings)?.policy()?;
    Ok(ConfiguredPolicy {
        policy,
        mode: c.mode,
    })
}

/// Loads the component at `path` (relative to the configuration) after checking its
/// sha256 against the pin.
fn load_pinned(runtime: &Runtime, c: &PolicyConfig, path: &Path) -> Result<Plugin, PolicyError> {
    let label = c.label();
    let Some(expected) = c.sha256.as_deref().map(str::to_ascii_lowercase) else {
        return Err(PolicyError::Config {
            policy: label,
            message: "a policy loaded from a path must pin its `sha256`".into(),
        });
    };
    let full = c.base.join(path);
    let bytes = std::fs::read(&full).map_err(|source| PolicyError::Read {
        policy: label.clone(),
        path: full.clone(),
        source,
    })?;
    let actual = hex::encode(sha2::Sha256::digest(&bytes));
    if actual != expected {
        return Err(PolicyError::Digest {
            policy: label,
            path: full,
            expected,
            actual,
        });
    }
    Ok(Plugin::load_bytes(
        runtime,
        &bytes,
        PluginSource::File(full),
    )?)
}

/// `settings` with every property the plugin's schema marks `x-rudder-files` turned from
/// paths (a string or a list of strings, relative to `base`) into `[{path, text}]`.
pub fn expand_files(
    plugin: &Plugin,
    settings: &serde_json::Value,
    base: &Path,
) -> Result<serde_json::Value, PolicyError> {
    let schema: serde_json::Value =
        serde_json::from_str(&plugin.meta().info.settings_schema).unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
        return Ok(settings.clone());
    };
    let mut out = settings.clone();
    let Some(map) = out.as_object_mut() else {
        return Ok(out);
    };
    for (key, prop) in props {
        let Some(spec) = prop.get("x-rudder-files") else {
            continue;
        };
        let Some(given) = map.get(key) else {
            continue;
        };
        let extensions: Vec<String> = spec
            .get("extensions")
            .and_then(|e| e.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let bad = |message: String| PolicyError::Config {
            policy: plugin.name().to_string(),
            message: format!("settings.{key}: {message}"),
        };
        let names: Vec<String> = match given {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(list) => list
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad("a list of file or folder paths is expected".into()))
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(bad("a file or folder path, or a list of them".into())),
        };
        let mut files = Vec::new();
        for name in names {
            let full = base.join(&name);
            let mut found = Vec::new();
            collect(&full, &extensions, &mut found)
                .map_err(|e| bad(format!("cannot read {}: {e}", full.display())))?;
            if found.is_empty() && full.is_dir() {
                return Err(bad(format!(
                    "{} holds no {} file",
                    full.display(),
                    extensions.join(" or ")
                )));
            }
            for path in found {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| bad(format!("cannot read {}: {e}", path.display())))?;
                let shown = path.strip_prefix(base).unwrap_or(&path);
                files.push(serde_json::json!({
                    "path": shown.to_string_lossy(),
                    "text": text,
                }));
            }
        }
        map.insert(key.clone(), serde_json::Value::Array(files));
    }
    Ok(out)
}

/// `path` if it is a file, else the files under it with one of `extensions`, sorted.
fn collect(path: &Path, extensions: &[String], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, extensions, out)?;
        } else {
            let name = p.to_string_lossy();
            if extensions.is_empty() || extensions.iter().any(|e| name.ends_with(e.as_str())) {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// Runs every policy over `manifests`, in parallel; each call has a fresh sandbox. A policy
/// that fails (traps, times out, runs out of memory, errs) or returns garbage gives one
/// error finding naming it; the others' findings still come. Rule ids are
/// `POLICY/CODE`; a monitored policy's findings are suppressed.
pub fn run(
    policies: &[ConfiguredPolicy],
    manifests: &[Manifest],
    context: &Context,
) -> Vec<Finding> {
    let input = CheckInput::new(None, manifests);
    run_input(policies, &input, manifests.len(), context)
}

/// [`run`] over input already made for the chart's plugins (of `count` manifests).
pub fn run_input(
    policies: &[ConfiguredPolicy],
    input: &CheckInput,
    count: usize,
    context: &Context,
) -> Vec<Finding> {
    policies
        .par_iter()
        .map(|p| run_one(p, input, count, context))
        .flatten()
        .collect()
}

fn run_one(
    p: &ConfiguredPolicy,
    input: &CheckInput,
    count: usize,
    context: &Context,
) -> Vec<Finding> {
    let name = p.name();
    let failed = |message: String| {
        vec![Finding::new(
            name,
            POLICY_ERROR,
            Severity::Error,
            format!("policy {name:?} failed: {message}"),
        )]
    };
    let found = match p.policy.evaluate_input(input, context) {
        Ok(found) => found,
        Err(e) => return failed(e.to_string()),
    };
    if let Some(problem) = found.iter().find_map(|f| garbage(f, count)) {
        return failed(format!("it returned garbage: {problem}"));
    }
    found
        .into_iter()
        .map(|mut f| {
            f.rule = format!("{name}/{}", f.rule);
            if p.mode == Mode::Monitor {
                f.suppressed = Some(format!("policy {name} is in monitor mode"));
            }
            f
        })
        .collect()
}

/// What is wrong with a violation no sane policy returns.
fn garbage(f: &Finding, manifests: usize) -> Option<String> {
    if let Some(i) = f.manifest.filter(|i| *i >= manifests) {
        return Some(format!(
            "a violation names manifest {i}, but {manifests} were given"
        ));
    }
    if f.rule.is_empty() || f.rule.len() > 256 {
        return Some("a violation has an empty or overlong code".into());
    }
    if f.message.len() > MAX_MESSAGE {
        return Some(format!(
            "a violation's message is {} bytes long (at most {MAX_MESSAGE})",
            f.message.len()
        ));
    }
    if f.message
        .chars()
        .chain(f.rule.chars())
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Some("a violation holds control characters".into());
    }
    None
}
