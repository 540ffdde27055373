//! The `rudder` command: parses the flags (`cli`), checks them into options
//! (`cli::options`), calls the library and presents what it returns (`cli::print`); the
//! exit code comes from one policy (`cli::failure`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::failure::Failure;
use cli::print::Printer;
use cli::{Cli, Command, PluginCommand, PolicyCommand, TemplateArgs};
use rudder::action::{self, TemplateError};
use rudder::plugin::{Registry, Runtime};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut printer = Printer::stdio();
    match run(cli, &mut printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.is_broken_pipe() => ExitCode::SUCCESS,
        Err(f) => {
            printer.error(None, f.error.as_ref());
            ExitCode::from(f.code as u8)
        }
    }
}

fn run(cli: Cli, printer: &mut Printer<'_>) -> Result<(), Failure> {
    if let Command::Version = cli.command {
        writeln_out(printer, &format!("rudder {}", env!("CARGO_PKG_VERSION")))?;
        return Ok(());
    }
    let runtime =
        Runtime::new(cli::options::runtime_config(&cli.plugins)?).map_err(Failure::usage)?;
    let registry = Registry::discover(
        &runtime,
        &cli.plugins.plugin,
        cli.plugins.plugins_dir.as_deref(),
    )
    .map_err(Failure::usage)?;
    match cli.command {
        Command::Template(args) => template(&registry, &runtime, *args, printer),
        Command::Render(args) => {
            let renderer = registry.renderer("gotmpl").map_err(Failure::usage)?;
            let settings = cli::options::render_settings(&args, runtime.parallelism(args.jobs));
            cli::render::run(&renderer, &args, &settings, printer)?;
            Ok(())
        }
        Command::Lint(args) => cli::lint::run(&registry, &runtime, *args, printer),
        Command::Plugin(PluginCommand::List) => {
            cli::plugin::list(&registry, printer.out())?;
            Ok(())
        }
        Command::Plugin(PluginCommand::Inspect { target }) => {
            cli::plugin::inspect(&runtime, &registry, &target, printer.out())
                .map_err(Failure::usage)?;
            Ok(())
        }
        Command::Policy(PolicyCommand::Test { paths }) => {
            cli::policy::test(&registry, &runtime, &paths, printer)
        }
        Command::Version => Ok(()),
    }
}

fn writeln_out(printer: &mut Printer<'_>, line: &str) -> Result<(), Failure> {
    writeln!(printer.out(), "{line}")?;
    Ok(())
}

fn template(
    registry: &Registry,
    runtime: &Runtime,
    args: TemplateArgs,
    printer: &mut Printer<'_>,
) -> Result<(), Failure> {
    let renderer = registry.renderer("gotmpl").map_err(Failure::usage)?;
    let jobs = runtime.parallelism(args.jobs);
    let request = cli::options::template_request(args, &renderer, jobs)?;
    let templated = match action::template(&renderer, request) {
        Ok(t) => t,
        Err(TemplateError::Output(e)) => {
            printer.log(None, &e.log);
            return Err(Failure::failed(e.error));
        }
        Err(e) => return Err(e.into()),
    };
    printer.log(None, &templated.warnings);
    printer.log(None, &templated.output.log);
    templated
        .output
        .write(printer.out())
        .map_err(Failure::failed)?;
    printer.flush()?;
    Ok(())
}
