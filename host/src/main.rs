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
    if let Command::Version = cli.command {
        println!("rudder {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
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
        Command::Version => Ok(()),
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
    let renderer = registry.renderer("gotmpl").map_err(usage)?;
    let (name, chart) = name_and_chart(&args, &renderer)?;
    check_release_name(&name)?;
    let request = TemplateRequest {
        release_name: name.clone(),
        chart: chart.into(),
        namespace: args.namespace,
        revision: 1,
        values: values::Options {
            values_files: args.values.values,
            set: args.values.set,
            set_string: args.values.set_string,
            set_file: args.values.set_file,
            set_json: args.values.set_json,
            set_literal: args.values.set_literal,
        },
        skip_schema_validation: args.values.skip_schema_validation,
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

/// The release name and the chart from `template`'s arguments, with Helm's rules and texts:
/// at most two arguments; a NAME excludes `--generate-name` and `--name-template`; without
/// NAME, a non-empty `--name-template` names the release, else it is `release-name` (also
/// with `--generate-name`: `helm template` does not generate names).
fn name_and_chart(
    args: &TemplateArgs,
    renderer: &rudder::plugin::Renderer,
) -> Result<(String, String), Failure> {
    let fail = |msg: String| Err(usage(anyhow::anyhow!(msg)));
    if !args.extra.is_empty() {
        return fail(format!(
            "expected at most two arguments, unexpected arguments: {}",
            args.extra.join(", ")
        ));
    }
    match (&args.name, &args.chart) {
        (None, _) => fail(format!(
            "\"rudder template\" requires at least 1 argument\n\nUsage:  {}",
            rudder::cli::TEMPLATE_USAGE
        )),
        (Some(_), Some(_)) if args.generate_name => {
            fail("cannot set --generate-name and also specify a name".into())
        }
        (Some(_), Some(_)) if args.name_template.as_deref().is_some_and(|t| !t.is_empty()) => {
            fail("cannot set --name-template and also specify a name".into())
        }
        (Some(name), Some(chart)) => Ok((name.clone(), chart.clone())),
        (Some(chart), None) => {
            let name = match args.name_template.as_deref() {
                Some(t) if !t.is_empty() => render_name(renderer, t)?,
                _ => "release-name".to_string(),
            };
            Ok((name, chart.clone()))
        }
    }
}

/// Helm's release name check, with its texts.
fn check_release_name(name: &str) -> Result<(), Failure> {
    if name.is_empty() {
        return Err(anyhow::anyhow!(
            "release name check failed: release name \"\": no name provided"
        )
        .into());
    }
    rudder::action::bulk::validate_release_name(name)
        .map_err(|e| anyhow::anyhow!("release name check failed: {e}").into())
}

/// `--name-template`: executes the template with the template plugin and no data.
fn render_name(renderer: &rudder::plugin::Renderer, template: &str) -> Result<String, Failure> {
    action::template::render_snippet(renderer, template)
        .map_err(|e| anyhow::anyhow!("--name-template: {e}").into())
}
