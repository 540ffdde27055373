//! The `rudder` command. Parses flags, calls the library, prints results and errors; nothing
//! else. Exit codes: 0 success, 1 the work failed (bad chart, values, template), 2 the
//! command itself was wrong (flags, plugins that cannot be loaded).

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use rudder::action::{self, TemplateError, TemplateRequest};
use rudder::cli::{Cli, Command, PluginCommand, PluginFlags, TemplateArgs};
use rudder::plugin::{PluginError, Registry, Runtime, RuntimeConfig};
use rudder::render::OutputOptions;
use rudder::values;

/// An error with the exit code it deserves.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            code: 1,
            error: e.into(),
        }
    }
}

fn usage(error: impl Into<anyhow::Error>) -> Failure {
    Failure {
        code: 2,
        error: error.into(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if is_broken_pipe(&f.error) {
                return ExitCode::SUCCESS;
            }
            let mut msg = format!("{}", f.error);
            for cause in f.error.chain().skip(1) {
                let c = cause.to_string();
                if c.contains(&msg) {
                    msg = c;
                } else if !msg.contains(&c) {
                    msg.push_str(": ");
                    msg.push_str(&c);
                }
            }
            eprintln!("Error: {msg}");
            ExitCode::from(f.code)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    let runtime = runtime(&cli.plugins)?;
    let registry = Registry::discover(
        &runtime,
        &cli.plugins.plugin,
        cli.plugins.plugins_dir.as_deref(),
    )
    .map_err(usage)?;
    match cli.command {
        Command::Template(args) => template(&registry, &runtime, *args),
        Command::Render(args) => {
            let renderer = registry.renderer("gotmpl").map_err(usage)?;
            let jobs = runtime.parallelism(args.jobs);
            rudder::cli::render::run(&renderer, &args, jobs).map_err(|e| Failure {
                code: e.exit_code(),
                error: e.into(),
            })?;
            Ok(())
        }
        Command::Plugin(PluginCommand::List) => {
            let mut out = std::io::stdout().lock();
            rudder::cli::plugin::list(&registry, &mut out)?;
            Ok(())
        }
        Command::Plugin(PluginCommand::Inspect { target }) => {
            let mut out = std::io::stdout().lock();
            rudder::cli::plugin::inspect(&runtime, &registry, &target, &mut out).map_err(usage)?;
            Ok(())
        }
    }
}

fn runtime(flags: &PluginFlags) -> Result<Runtime, Failure> {
    if !(flags.plugin_timeout.is_finite() && flags.plugin_timeout > 0.0) {
        return Err(usage(anyhow::anyhow!(
            "--plugin-timeout must be a positive number of seconds"
        )));
    }
    if flags.plugin_memory == 0 {
        return Err(usage(anyhow::anyhow!(
            "--plugin-memory must be at least 1 MiB"
        )));
    }
    let config = RuntimeConfig {
        memory_limit: usize::try_from(flags.plugin_memory.saturating_mul(1 << 20))
            .unwrap_or(usize::MAX),
        timeout: Duration::from_secs_f64(flags.plugin_timeout),
        ..RuntimeConfig::default()
    };
    Runtime::new(config).map_err(usage)
}

fn template(registry: &Registry, runtime: &Runtime, args: TemplateArgs) -> Result<(), Failure> {
    let (name, chart) = match (args.args.as_slice(), args.generate_name) {
        ([chart], true) => (generated_name(chart), chart.clone()),
        ([chart], false) => ("release-name".to_string(), chart.clone()),
        ([name, chart], false) => (name.clone(), chart.clone()),
        (_, true) => {
            return Err(usage(anyhow::anyhow!(
                "with --generate-name, give only the chart"
            )));
        }
        _ => return Err(usage(anyhow::anyhow!("expected [NAME] CHART"))),
    };
    let renderer = registry.renderer("gotmpl").map_err(usage)?;
    let name = match &args.name_template {
        Some(t) => render_name(&renderer, t)?,
        None => name,
    };
    rudder::action::bulk::validate_release_name(&name)?;
    let request = TemplateRequest {
        release_name: name.clone(),
        chart: chart.into(),
        namespace: args.namespace,
        values: values::Options {
            values_files: args.values.values,
            set: args.values.set,
            set_string: args.values.set_string,
            set_file: args.values.set_file,
            set_json: args.values.set_json,
            set_literal: args.values.set_literal,
        },
        skip_schema_validation: args.values.skip_schema_validation,
        kube_version: args.kube_version,
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
        jobs: runtime.parallelism(args.jobs),
    };
    let templated = match action::template(&renderer, request) {
        Ok(t) => t,
        Err(TemplateError::Plugin(e)) => return Err(plugin_failure(e)),
        Err(TemplateError::Output(e)) => {
            print_log(&e.log);
            return Err(e.error.into());
        }
        Err(e) => return Err(e.into()),
    };
    print_log(&templated.warnings);
    print_log(&templated.output.log);
    let mut stdout = std::io::stdout().lock();
    templated.output.write(&mut stdout)?;
    stdout.flush()?;
    Ok(())
}

/// Lines Helm would have logged on stderr.
fn print_log(lines: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(stderr, "{line}");
    }
}

/// A plugin that traps, runs out of time or memory failed the work (exit 1); one that cannot
/// be loaded at all is a usage problem (exit 2).
fn plugin_failure(e: PluginError) -> Failure {
    match e {
        PluginError::Timeout { .. }
        | PluginError::OutOfMemory { .. }
        | PluginError::Trap { .. } => e.into(),
        other => usage(other),
    }
}

/// `--generate-name`: the chart's base name and the current Unix time, as Helm does.
fn generated_name(chart: &str) -> String {
    let base = std::path::Path::new(chart)
        .file_name()
        .and_then(|b| b.to_str())
        .filter(|b| !b.is_empty() && *b != ".")
        .unwrap_or("chart");
    let base = base.split('.').next().unwrap_or("chart");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{base}-{now}")
}

/// `--name-template`: executes the template with the template plugin and no data.
fn render_name(renderer: &rudder::plugin::Renderer, template: &str) -> Result<String, Failure> {
    action::template::render_snippet(renderer, template)
        .map_err(|e| anyhow::anyhow!("--name-template: {e}").into())
}
