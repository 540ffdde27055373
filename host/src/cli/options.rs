//! Flags to options, in one step per command: everything clap cannot check (combinations,
//! ranges, Helm's argument rules and texts) is checked here, so a command starts from
//! options that are already valid (ripgrep's two-step flags).

use std::time::Duration;

use rudder::action::{self, TemplateRequest, bulk};
use rudder::plugin::{Renderer, RuntimeConfig};
use rudder::render::OutputOptions;
use rudder::values;

use super::failure::Failure;
use super::{PluginFlags, RenderArgs, TemplateArgs, ValuesFlags};

/// The plugin runtime's limits from the plugin flags.
pub fn runtime_config(flags: &PluginFlags) -> Result<RuntimeConfig, Failure> {
    if !(flags.plugin_timeout.is_finite() && flags.plugin_timeout > 0.0) {
        return Err(Failure::usage_msg(
            "--plugin-timeout must be a positive number of seconds",
        ));
    }
    if flags.plugin_memory == 0 {
        return Err(Failure::usage_msg("--plugin-memory must be at least 1 MiB"));
    }
    Ok(RuntimeConfig {
        memory_limit: usize::try_from(flags.plugin_memory.saturating_mul(1 << 20))
            .unwrap_or(usize::MAX),
        timeout: Duration::from_secs_f64(flags.plugin_timeout),
        ..RuntimeConfig::default()
    })
}

impl From<ValuesFlags> for values::Options {
    fn from(v: ValuesFlags) -> values::Options {
        values::Options {
            values_files: v.values,
            set: v.set,
            set_string: v.set_string,
            set_file: v.set_file,
            set_json: v.set_json,
            set_literal: v.set_literal,
        }
    }
}

/// `rudder template`'s request, `jobs` plugin instances at most. `renderer` executes a
/// `--name-template`.
pub fn template_request(
    args: TemplateArgs,
    renderer: &Renderer,
    jobs: usize,
) -> Result<TemplateRequest, Failure> {
    let (name, chart) = name_and_chart(&args, renderer)?;
    check_release_name(&name)?;
    let skip_schema_validation = args.values.skip_schema_validation;
    Ok(TemplateRequest {
        values: args.values.into(),
        skip_schema_validation,
        // Helm ignores an empty --kube-version.
        kube_version: args.kube_version.filter(|v| !v.is_empty()),
        api_versions: args.api_versions,
        is_upgrade: args.is_upgrade,
        strict: args.strict,
        deterministic: args.deterministic,
        output: OutputOptions {
            // Helm prints CRDs with --include-crds even when --skip-crds is also given.
            include_crds: args.include_crds,
            skip_tests: args.skip_tests,
            no_hooks: args.no_hooks,
            show_only: args.show_only,
            output_dir: args.output_dir,
            release_dir: args.release_name.then(|| name.clone()),
            debug: args.debug,
            ..OutputOptions::default()
        },
        jobs,
        ..TemplateRequest::new(name, chart.into(), args.namespace)
    })
}

/// `rudder render`'s settings for every release, `jobs` releases at once.
pub fn render_settings(args: &RenderArgs, jobs: usize) -> bulk::Settings {
    bulk::Settings {
        jobs,
        strict: args.strict,
        deterministic: args.deterministic,
        output_dir: args.output_dir.clone(),
    }
}

/// The release name and the chart from `template`'s arguments, with Helm's rules and texts:
/// at most two arguments; a NAME excludes `--generate-name` and `--name-template`; without
/// NAME, a non-empty `--name-template` names the release, else it is `release-name` (also
/// with `--generate-name`: `helm template` does not generate names).
fn name_and_chart(args: &TemplateArgs, renderer: &Renderer) -> Result<(String, String), Failure> {
    if !args.extra.is_empty() {
        return Err(Failure::usage_msg(format!(
            "expected at most two arguments, unexpected arguments: {}",
            args.extra.join(", ")
        )));
    }
    match (&args.name, &args.chart) {
        (None, _) => Err(Failure::usage_msg(format!(
            "\"rudder template\" requires at least 1 argument\n\nUsage:  {}",
            super::TEMPLATE_USAGE
        ))),
        (Some(_), Some(_)) if args.generate_name => Err(Failure::usage_msg(
            "cannot set --generate-name and also specify a name",
        )),
        (Some(_), Some(_)) if args.name_template.as_deref().is_some_and(|t| !t.is_empty()) => Err(
            Failure::usage_msg("cannot set --name-template and also specify a name"),
        ),
        (Some(name), Some(chart)) => Ok((name.clone(), chart.clone())),
        (Some(chart), None) => {
            let name = match args.name_template.as_deref() {
                // Helm renders the name before there is a chart: a failure is the work's.
                Some(t) if !t.is_empty() => action::template::render_snippet(renderer, t)
                    .map_err(|e| Failure::failed(anyhow::anyhow!("--name-template: {e}")))?,
                _ => "release-name".to_string(),
            };
            Ok((name, chart.clone()))
        }
    }
}

/// Helm's release name check, with its texts (a failed check fails the work, exit 1, as in
/// Helm).
fn check_release_name(name: &str) -> Result<(), Failure> {
    if name.is_empty() {
        return Err(Failure::failed(anyhow::anyhow!(
            "release name check failed: release name \"\": no name provided"
        )));
    }
    bulk::validate_release_name(name)
        .map_err(|e| Failure::failed(anyhow::anyhow!("release name check failed: {e}")))
}
