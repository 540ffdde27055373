//! `rudder lint`: the flags into lint jobs (one per chart and values case), the jobs run in
//! parallel, and the report written whole in the format asked for.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use rudder::action::TemplateRequest;
use rudder::check::Severity;
use rudder::lint::{self, ChartReport, LintConfig, LintError, LintJob, Linters};
use rudder::plugin::{Registry, Runtime};

use super::LintArgs;
use super::failure::Failure;
use super::print::Printer;
use super::report::{self, Report};

/// Lints the charts with every lint plugin loaded (the built-in `lint-helm`, `lint-kube`
/// and `lint-practices`, unless replaced, and any from `--plugin` or the plugins folder).
pub fn run(
    registry: &Registry,
    runtime: &Runtime,
    args: LintArgs,
    printer: &mut Printer<'_>,
) -> Result<(), Failure> {
    let renderer = registry.renderer("gotmpl").map_err(Failure::usage)?;
    let cwd = std::env::current_dir()?;
    let repo_config = match &args.config {
        Some(path) => LintConfig::read(path).map_err(Failure::usage)?,
        None => match LintConfig::find_above(&cwd) {
            Some(path) => LintConfig::read(&path).map_err(Failure::usage)?,
            None => LintConfig::default(),
        },
    };

    let jobs = lint_jobs(&args, &repo_config)?;
    let mut linters = configure(registry, &jobs)?;
    linters.policies = policies(registry, runtime, &jobs)?;
    for job in &jobs {
        check_rules(&job.config, &linters, &job.request.chart)?;
    }

    let threads = runtime.parallelism(args.jobs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(Failure::failed)?;
    let results: Vec<Result<ChartReport, LintError>> = pool.install(|| {
        jobs.par_iter()
            .map(|j| lint::lint(&renderer, &linters, j))
            .collect()
    });

    let fail_at = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut charts = Vec::new();
    let mut errors = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok(r) => charts.push(r),
            Err(e) => errors.push((job.request.chart.clone(), e)),
        }
    }
    for c in &charts {
        printer.log(None, &c.log);
    }
    let report = Report {
        charts: &charts,
        errors: &errors,
        linters: &linters,
        fail_at,
        quiet: args.quiet,
        cwd: &cwd,
    };
    let text = report::render(&report, args.format, args.output.is_none());
    match &args.output {
        Some(path) => write_whole(path, text.as_bytes())?,
        None => {
            printer.out().write_all(text.as_bytes())?;
            printer.flush()?;
        }
    }
    if !errors.is_empty() {
        let list: Vec<String> = errors
            .iter()
            .map(|(chart, e)| format!("{}: {e}", chart.display()))
            .collect();
        return Err(Failure::usage_msg(list.join("; ")));
    }
    let failed = charts.iter().filter(|c| c.fails(fail_at)).count();
    if failed > 0 {
        return Err(Failure::failed(anyhow::anyhow!(
            "{} chart(s) linted, {failed} chart(s) failed",
            charts.len()
        )));
    }
    Ok(())
}

/// One job per chart (and per subchart with `--with-subcharts`), and with
/// `--values-matrix` one more per `ci/*-values.yaml` of each.
fn lint_jobs(args: &LintArgs, repo: &LintConfig) -> Result<Vec<LintJob>, Failure> {
    let mut charts: Vec<PathBuf> = Vec::new();
    for chart in &args.charts {
        charts.push(chart.clone());
        if args.with_subcharts {
            charts.extend(subchart_paths(chart));
        }
    }
    let kube_version = args.kube_version.clone().filter(|v| !v.is_empty());
    if let Some(v) = &kube_version {
        rudder::action::capabilities::KubeVersion::parse(v)
            .map_err(|e| Failure::usage_msg(format!("invalid kube version '{v}': {e}")))?;
    }
    let mut jobs = Vec::new();
    for chart in charts {
        let own = chart.join(lint::config::FILE_NAME);
        let config = if own.is_file() {
            repo.merged(&LintConfig::read(&own).map_err(Failure::usage)?)
        } else {
            repo.clone()
        };
        let mut request =
            TemplateRequest::new("test-release".into(), chart.clone(), args.namespace.clone());
        request.values = args.values.clone().into();
        request.skip_schema_validation = args.values.skip_schema_validation;
        request.kube_version = kube_version.clone();
        request.deterministic = true;
        request.lint = true;
        let cases = if args.values_matrix {
            lint::values_cases(&chart)
        } else {
            Vec::new()
        };
        for case in &cases {
            let mut r = request.clone();
            r.values.values_files.push(case.clone());
            jobs.push(LintJob {
                request: r,
                case: Some(relative(case, &chart)),
                config: config.clone(),
            });
        }
        jobs.insert(
            jobs.len() - cases.len(),
            LintJob {
                request,
                case: None,
                config,
            },
        );
    }
    Ok(jobs)
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// The charts under `chart/charts/`, as `helm lint --with-subcharts` finds them: every
/// folder holding a Chart.yaml, and every archive.
fn subchart_paths(chart: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![chart.join("charts")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths.into_iter().rev() {
            let name = p.to_string_lossy();
            if p.is_dir() {
                stack.push(p.clone());
            } else if name.ends_with("Chart.yaml") {
                if let Some(parent) = p.parent() {
                    out.push(parent.to_path_buf());
                }
            } else if name.ends_with(".tgz") || name.ends_with(".tar.gz") {
                out.push(p.clone());
            }
        }
    }
    out.sort();
    out
}

/// The lint plugins of the run, each with the settings the configuration gives it
/// (refused at load, before any chart renders, when wrong). All jobs share the
/// repository's plugin settings; a chart's own settings for a plugin must agree.
fn configure(registry: &Registry, jobs: &[LintJob]) -> Result<Linters, Failure> {
    let mut linters = Vec::new();
    for plugin in registry.plugins() {
        if plugin.meta().info.kind != rudder::plugin::PluginKind::Linter {
            continue;
        }
        let name = plugin.name().to_string();
        let mut settings = None;
        for job in jobs {
            if let Some(s) = job.config.settings.get(&name) {
                match &settings {
                    Some(prev) if prev != s => {
                        return Err(Failure::usage_msg(format!(
                            "{}: settings of lint plugin {name} differ from those of another \
                             chart linted in the same run; lint the charts separately",
                            job.request.chart.join(lint::config::FILE_NAME).display()
                        )));
                    }
                    _ => settings = Some(s.clone()),
                }
            }
        }
        let configured = match settings {
            Some(s) => plugin.configure(&s).map_err(Failure::usage)?,
            None => plugin.clone(),
        };
        let linter = configured.linter().map_err(Failure::usage)?;
        let rules = linter.rules().map_err(Failure::from)?;
        linters.push((linter, rules));
    }
    for job in jobs {
        for name in job.config.settings.keys() {
            if !linters.iter().any(|(l, _)| &l.meta().info.name == name) {
                return Err(Failure::usage_msg(format!(
                    "{}: no lint plugin is named {name:?}",
                    config_name(job)
                )));
            }
        }
    }
    Ok(Linters {
        linters,
        policies: Vec::new(),
    })
}

/// The policies of the run: those the configurations list (all charts of a run share
/// them; two charts may not configure one policy differently), and those loaded from files.
fn policies(
    registry: &Registry,
    runtime: &Runtime,
    jobs: &[LintJob],
) -> Result<Vec<rudder::policy::ConfiguredPolicy>, Failure> {
    let mut configs: Vec<rudder::policy::PolicyConfig> = Vec::new();
    for job in jobs {
        for p in &job.config.policies {
            match configs.iter().find(|c| c.label() == p.label()) {
                Some(c) if !c.same_as(p) => {
                    return Err(Failure::usage_msg(format!(
                        "{}: policy {} is configured differently for another chart linted \
                         in the same run; lint the charts separately",
                        config_name(job),
                        p.label()
                    )));
                }
                Some(_) => {}
                None => configs.push(p.clone()),
            }
        }
    }
    rudder::policy::resolve(registry, runtime, &configs).map_err(Failure::usage)
}

fn config_name(job: &LintJob) -> String {
    let own = job.request.chart.join(lint::config::FILE_NAME);
    if own.is_file() {
        own.display().to_string()
    } else {
        lint::config::FILE_NAME.to_string()
    }
}

/// Every rule the configuration names must exist.
fn check_rules(config: &LintConfig, linters: &Linters, chart: &Path) -> Result<(), Failure> {
    for id in config.rules.keys() {
        if !linters.knows(id) {
            return Err(Failure::usage_msg(format!(
                "{} (for chart {}): lint.rules: no rule is named {id:?} (`rudder lint --format json` lists the rules)",
                lint::config::FILE_NAME,
                chart.display()
            )));
        }
    }
    Ok(())
}

/// Writes `data` to `path` whole: to a temporary file beside it, then renamed, so a
/// reader never sees half a report.
fn write_whole(path: &Path, data: &[u8]) -> Result<(), Failure> {
    let err = |e: std::io::Error| {
        Failure::failed(anyhow::anyhow!("cannot write {}: {e}", path.display()))
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, data).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
