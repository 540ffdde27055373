//! `rudder plugin list` and `rudder plugin inspect NAME|PATH`: the commands' logic, given a
//! loaded registry and a writer (the CLI builds the runtime and registry from its flags).

use rudder::plugin::{
    CacheOutcome, Plugin, PluginError, PluginSource, Registry, Runtime, kind_name,
};
use std::io::{self, Write};
use std::path::Path;

/// Why a `plugin` command failed.
#[derive(Debug, thiserror::Error)]
pub enum PluginCommandError {
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("failed to write output: {0}")]
    Io(#[from] io::Error),
}

/// The first 12 hex digits of a sha256, as `list` shows it.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// Prints one line per plugin: name, kind, version, contract, short sha256, source.
pub fn list(registry: &Registry, out: &mut dyn Write) -> Result<(), PluginCommandError> {
    let header = ["NAME", "KIND", "VERSION", "CONTRACT", "SHA256", "SOURCE"].map(String::from);
    let rows: Vec<[String; 6]> = registry
        .plugins()
        .iter()
        .map(|p| {
            let m = p.meta();
            [
                m.info.name.clone(),
                kind_name(m.info.kind).to_string(),
                m.info.version.clone(),
                m.contract.clone(),
                short(&m.sha256).to_string(),
                m.source.to_string(),
            ]
        })
        .collect();
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  "));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Finds `target` by plugin name in `registry`, else loads it as a path to a `.wasm`.
pub fn resolve(
    runtime: &Runtime,
    registry: &Registry,
    target: &str,
) -> Result<Plugin, PluginError> {
    match registry.get(target) {
        Ok(plugin) => Ok(plugin.clone()),
        Err(not_found) => {
            let path = Path::new(target);
            if path.exists()
                || target.ends_with(".wasm")
                || target.contains(std::path::MAIN_SEPARATOR)
            {
                Plugin::load_file(runtime, path)
            } else {
                Err(not_found)
            }
        }
    }
}

/// Prints everything known about one plugin (by name, or a `.wasm` path).
pub fn inspect(
    runtime: &Runtime,
    registry: &Registry,
    target: &str,
    out: &mut dyn Write,
) -> Result<(), PluginCommandError> {
    let plugin = resolve(runtime, registry, target)?;
    let m = plugin.meta();
    let kind = kind_name(m.info.kind);
    writeln!(out, "name:          {}", m.info.name)?;
    writeln!(out, "kind:          {kind}")?;
    writeln!(out, "version:       {}", m.info.version)?;
    writeln!(out, "description:   {}", m.info.description)?;
    writeln!(
        out,
        "contract:      rudder:plugin@{} (world {kind})",
        m.contract
    )?;
    writeln!(out, "sha256:        {}", m.sha256)?;
    writeln!(out, "size:          {} bytes", m.size)?;
    let source = match &m.source {
        PluginSource::Builtin => "builtin (embedded in rudder)".to_string(),
        PluginSource::File(path) => format!("file {}", path.display()),
    };
    writeln!(out, "source:        {source}")?;
    let code = match m.cache {
        CacheOutcome::Embedded => "compiled at build time, embedded in rudder",
        CacheOutcome::Hit => "from the compiled-code cache",
        CacheOutcome::Miss => "compiled now, stored in the compiled-code cache",
        CacheOutcome::Rebuilt => "compiled now, replacing a bad cache entry",
        CacheOutcome::Disabled => "compiled now (no compiled-code cache)",
    };
    writeln!(out, "code:          {code}")?;
    writeln!(out, "exports:")?;
    for e in &m.exports {
        writeln!(out, "  {e}")?;
    }
    writeln!(out, "imports:")?;
    for i in &m.imports {
        writeln!(out, "  {i}")?;
    }
    if m.info.settings_schema.trim().is_empty() {
        writeln!(out, "settings:      none")?;
    } else {
        let pretty = serde_json::from_str::<serde_json::Value>(&m.info.settings_schema)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| m.info.settings_schema.clone());
        writeln!(out, "settings schema:")?;
        for line in pretty.lines() {
            writeln!(out, "  {line}")?;
        }
    }
    if let Ok(linter) = plugin.linter() {
        writeln!(out, "rules:")?;
        for rule in linter.rules()? {
            let severity = rule.severity.as_str();
            writeln!(out, "  {} ({severity}): {}", rule.id, rule.description)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rudder::plugin::RuntimeConfig;

    fn guest(name: &str) -> std::path::PathBuf {
        Path::new(env!("RUDDER_TEST_GUESTS")).join(format!("rudder_test_{name}.wasm"))
    }

    #[test]
    fn list_and_inspect() {
        let dir = tempfile::tempdir().expect("tempdir");
        let rt = Runtime::new(RuntimeConfig {
            cache_dir: Some(dir.path().into()),
            ..Default::default()
        })
        .expect("rt");
        let registry = Registry::discover(&rt, &[guest("echo")], None).expect("registry");
        let mut out = Vec::new();
        list(&registry, &mut out).expect("list");
        let text = String::from_utf8(out).expect("utf8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(&*format!(
                "NAME{}KIND      VERSION  CONTRACT  SHA256        SOURCE",
                " ".repeat(
                    registry
                        .plugins()
                        .iter()
                        .map(|p| p.name().len())
                        .max()
                        .unwrap_or(0)
                        .max(4)
                        - 4
                        + 2
                )
            ))
        );
        let echo = registry.get("echo").expect("echo");
        let last = text.lines().last().expect("a row");
        assert!(last.starts_with("echo"), "{text}");
        assert!(
            last.contains(&echo.meta().sha256[..12]) && !last.contains(&echo.meta().sha256[..13])
        );
        assert!(
            last.ends_with(&guest("echo").display().to_string()),
            "{text}"
        );

        let mut out = Vec::new();
        inspect(&rt, &registry, "echo", &mut out).expect("inspect");
        let text = String::from_utf8(out).expect("utf8");
        assert!(
            text.starts_with("name:          echo\nkind:          renderer\n"),
            "{text}"
        );
        assert!(
            text.contains("contract:      rudder:plugin@0.2.0 (world renderer)\n"),
            "{text}"
        );
        assert!(text.contains("  rudder:plugin/render@0.2.0\n"), "{text}");
        assert!(
            text.contains("settings schema:\n  {\n    \"additionalProperties\": false,"),
            "{text}"
        );

        // By path, without being in the registry.
        let mut out = Vec::new();
        inspect(
            &rt,
            &registry,
            &guest("loop").display().to_string(),
            &mut out,
        )
        .expect("inspect path");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.starts_with("name:          loop\n"), "{text}");
        assert!(text.contains("settings:      none\n"), "{text}");
        let err = inspect(&rt, &registry, "nope", &mut Vec::new()).expect_err("unknown");
        assert_eq!(err.to_string(), r#"no plugin named "nope""#);
    }
}
