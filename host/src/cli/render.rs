//! `rudder render FILE`: renders a releases file with [`crate::action::bulk`] and prints each
//! release as `rudder template` would, under a `# Release:` header, in file order; warnings
//! and errors go to stderr prefixed by the release name, with a progress bar on a terminal.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use crate::action::bulk::{self, Release, ReleaseFailure, RenderedRelease, Summary};
use crate::cli::RenderArgs;
use crate::plugin::Renderer;

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

impl RenderCommandError {
    /// 2 for a bad file (the command was wrong), 1 when rendering failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            RenderCommandError::File(_) => 2,
            RenderCommandError::Failed { .. } | RenderCommandError::Stdout(_) => 1,
        }
    }
}

/// Runs `rudder render` with `jobs` releases at once (see
/// [`crate::plugin::Runtime::parallelism`]).
pub fn run(
    renderer: &Renderer,
    args: &RenderArgs,
    jobs: usize,
) -> Result<Summary, RenderCommandError> {
    let started = Instant::now();
    let file = bulk::load(&args.file)?;
    let settings = bulk::Settings {
        jobs,
        strict: args.strict,
        deterministic: args.deterministic,
        output_dir: args.output_dir.clone(),
    };
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
    let mut stdout = io::stdout().lock();
    let mut write_error: Option<io::Error> = None;
    let summary = bulk::render_all(
        renderer,
        &file,
        &settings,
        &|_| bar.inc(1),
        |release, result| {
            bar.suspend(|| print_release(&mut stdout, &mut write_error, release, result));
        },
    )?;
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(RenderCommandError::Stdout(e));
    }
    if !args.quiet {
        eprintln!(
            "rendered {} releases ({} failed) in {:.2}s",
            summary.total,
            summary.failed,
            started.elapsed().as_secs_f64()
        );
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
    stdout: &mut dyn Write,
    write_error: &mut Option<io::Error>,
    release: &Release,
    result: Result<RenderedRelease, ReleaseFailure>,
) {
    let name = &release.name;
    let log = |lines: &[String]| {
        let mut stderr = io::stderr().lock();
        for line in lines {
            let _ = writeln!(stderr, "{name}: {line}");
        }
    };
    match result {
        Ok(rendered) => {
            log(&rendered.log);
            if write_error.is_some() {
                return;
            }
            if let Err(e) = write_release(stdout, release, &rendered) {
                *write_error = Some(e);
            }
        }
        Err(failure) => {
            log(&failure.log);
            eprintln!("Error: release {name}: {}", message(&failure.error));
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

/// An error and its causes on one line, each cause added unless already said (as `main`
/// prints errors).
fn message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = std::iter::successors(Some(error), |e| e.source()).map(|e| e.to_string());
    let mut msg = chain.next().unwrap_or_default();
    for c in chain {
        if c.contains(&msg) {
            msg = c;
        } else if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] io::Error);

    #[test]
    fn messages_join_causes_once() {
        let e = Outer(io::Error::other("inner"));
        assert_eq!(message(&e), "outer: inner");
        let e = Outer(io::Error::other("outer and more"));
        assert_eq!(message(&e), "outer and more");
    }

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
