//! `rudder render FILE`: renders a releases file with `rudder::action::bulk` and prints each
//! release as `rudder template` would, under a `# Release:` header, in file order; warnings
//! and errors go to stderr prefixed by the release name, with a progress bar on a terminal.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use super::RenderArgs;
use super::print::Printer;
use rudder::action::bulk::{self, Release, ReleaseFailure, RenderedRelease, Summary};
use rudder::plugin::Renderer;

/// Why `rudder render` did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum RenderCommandError {
    /// The releases file or the flags are unusable; nothing rendered.
    #[error(transparent)]
    File(#[from] bulk::BulkError),
    /// Some releases failed (each already reported on stderr); the others were printed.
    #[error("{failed} of {total} releases failed")]
    Failed { failed: usize, total: usize },
    #[error("failed to write the output")]
    Stdout(#[source] io::Error),
}

/// Runs `rudder render` with `settings` (see `cli::options::render_settings`), printing
/// through `printer`.
pub fn run(
    renderer: &Renderer,
    args: &RenderArgs,
    settings: &bulk::Settings,
    printer: &mut Printer<'_>,
) -> Result<Summary, RenderCommandError> {
    let started = Instant::now();
    let file = bulk::load(&args.file)?;
    let bar = if args.quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(file.releases.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} releases {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    };
    let mut write_error: Option<io::Error> = None;
    let summary = bulk::render_all(
        renderer,
        &file,
        settings,
        &|_| bar.inc(1),
        |release, result| {
            bar.suspend(|| print_release(printer, &mut write_error, release, result));
        },
    )?;
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(RenderCommandError::Stdout(e));
    }
    if !args.quiet {
        printer.note(&format!(
            "rendered {} releases ({} failed) in {:.2}s",
            summary.total,
            summary.failed,
            started.elapsed().as_secs_f64()
        ));
    }
    if summary.failed > 0 {
        return Err(RenderCommandError::Failed {
            failed: summary.failed,
            total: summary.total,
        });
    }
    Ok(summary)
}

/// Prints one release's result; once stdout has failed, only stderr is written.
fn print_release(
    printer: &mut Printer<'_>,
    write_error: &mut Option<io::Error>,
    release: &Release,
    result: Result<RenderedRelease, ReleaseFailure>,
) {
    let name = Some(release.name.as_str());
    match result {
        Ok(rendered) => {
            printer.log(name, &rendered.log);
            if write_error.is_some() {
                return;
            }
            if let Err(e) = write_release(printer.out(), release, &rendered) {
                *write_error = Some(e);
            }
        }
        Err(failure) => {
            printer.log(name, &failure.log);
            printer.error(name, &failure.error);
        }
    }
}

fn write_release(
    out: &mut dyn Write,
    release: &Release,
    rendered: &RenderedRelease,
) -> io::Result<()> {
    writeln!(
        out,
        "# Release: {} (namespace {}, chart {})",
        release.name,
        release.namespace,
        release.chart.display()
    )?;
    out.write_all(&rendered.stdout)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_output() {
        let release: Release = serde_json::from_value(serde_json::json!(
            {"name": "web", "chart": "charts/webapp", "namespace": "prod"}
        ))
        .unwrap();
        let mut out = Vec::new();
        write_release(
            &mut out,
            &release,
            &RenderedRelease {
                stdout: b"---\nkind: A\n".to_vec(),
                log: Vec::new(),
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "# Release: web (namespace prod, chart charts/webapp)\n---\nkind: A\n"
        );
    }
}
