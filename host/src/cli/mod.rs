//! The command line: its shape (clap, here), flags checked into options (`options`), the
//! commands' presentation (`plugin`, `render`, `print`) and the exit-code policy
//! (`failure`). The work is done by the library (`rudder::action`).

pub mod failure;
pub mod lint;
pub mod options;
pub mod plugin;
pub mod policy;
pub mod print;
pub mod render;
pub mod report;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Render, lint, police and deploy Helm charts with sandboxed WebAssembly plugins.
///
/// `rudder --version` (or `rudder version`) prints rudder's own version; a command's
/// `--version`, as in Helm, is about the chart.
#[derive(Debug, Parser)]
#[command(name = "rudder", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub plugins: PluginFlags,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags that choose and limit plugins; accepted by every command.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Plugin flags (rudder only, every command)")]
pub struct PluginFlags {
    /// Load an extra plugin component (a `.wasm` file); repeatable.
    #[arg(long = "plugin", value_name = "PATH", global = true)]
    pub plugin: Vec<PathBuf>,
    /// A directory whose `.wasm` files are loaded as plugins.
    #[arg(long, value_name = "DIR", env = "RUDDER_PLUGINS_DIR", global = true)]
    pub plugins_dir: Option<PathBuf>,
    /// Memory limit of one plugin call, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512, global = true)]
    pub plugin_memory: u64,
    /// Time limit of one plugin call, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0, global = true)]
    pub plugin_timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a chart's templates locally and print the manifests, as `helm template` does.
    Template(Box<TemplateArgs>),
    /// Render many releases listed in a releases file (YAML), in parallel, as CI does.
    Render(RenderArgs),
    /// Examine charts for problems: Helm's lint rules, Kubernetes schemas, deprecated APIs
    /// and best practices, in one pass; reports for people and for CI.
    Lint(Box<LintArgs>),
    /// List and inspect plugins.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Test policies against suites of input manifests and expected violations.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Print rudder's version (as `rudder --version` does).
    Version,
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// List every plugin: built-in, from --plugin and from the plugins directory.
    List,
    /// Show everything about one plugin, by name or by path to a `.wasm` file.
    Inspect {
        /// Plugin name (as `plugin list` shows it) or a path to a `.wasm` component.
        #[arg(value_name = "NAME|PATH")]
        target: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run policy suites (YAML files with `cases:`, found recursively): exit 1 when a case
    /// does not get exactly the violations it expects.
    Test {
        /// Suite files or folders holding them.
        #[arg(value_name = "DIR", required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Flags that build the values, shared by every command that renders.
#[derive(Debug, Args, Clone, Default)]
pub struct ValuesFlags {
    /// Values file (YAML, `-` for stdin); repeatable or comma-separated, later files win.
    #[arg(
        short = 'f',
        long = "values",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub values: Vec<PathBuf>,
    /// Set values on the command line (key1=val1,key2=val2); repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Set STRING values on the command line; repeatable.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Set values from files (key1=path1); repeatable.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set JSON values (key1=jsonval1); repeatable.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set a literal STRING value, with no escaping or splitting; repeatable.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
    /// Do not validate values against values.schema.json.
    #[arg(long)]
    pub skip_schema_validation: bool,
}

/// The usage line of `rudder template`, shaped like Helm's.
pub const TEMPLATE_USAGE: &str = "rudder template [NAME] [CHART] [flags]";

#[derive(Debug, Args)]
#[command(override_usage = TEMPLATE_USAGE, next_help_heading = "Flags (as in helm template)")]
pub struct TemplateArgs {
    /// The release name (default `release-name`); with one argument, that argument is the
    /// chart.
    #[arg(value_name = "NAME", help_heading = "Arguments", display_order = 0)]
    pub name: Option<String>,
    /// The chart: a directory or a packaged `.tgz`.
    #[arg(value_name = "CHART", help_heading = "Arguments", display_order = 1)]
    pub chart: Option<String>,
    /// More arguments than Helm accepts: kept to refuse them with Helm's message.
    #[arg(hide = true)]
    pub extra: Vec<String>,
    /// Namespace of the release.
    #[arg(short = 'n', long, default_value = "default")]
    pub namespace: String,
    #[command(flatten)]
    pub values: ValuesFlags,
    /// Generate the name (and omit the NAME argument); `helm template` then names the
    /// release `release-name`, and so does rudder.
    #[arg(short = 'g', long)]
    pub generate_name: bool,
    /// Template for the release name (Go template syntax); not with NAME.
    #[arg(long, value_name = "TEMPLATE")]
    pub name_template: Option<String>,
    /// Chart version constraint, for a chart from a repository. A local chart (directory
    /// or .tgz) is rendered whatever its version, as Helm does.
    #[arg(long, value_name = "CONSTRAINT")]
    pub version: Option<String>,
    /// Include CRDs from the chart's crds/ folder in the output.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave CRDs out (the default for `template` unless --include-crds).
    #[arg(long)]
    pub skip_crds: bool,
    /// Leave out templates that are test hooks.
    #[arg(long)]
    pub skip_tests: bool,
    /// Leave out hooks.
    #[arg(long)]
    pub no_hooks: bool,
    /// Only show manifests rendered from the given templates (path relative to the chart, e.g.
    /// templates/svc.yaml or charts/sub/templates/x.yaml); repeatable.
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// Write each template to a file in this directory instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// With --output-dir: put the files under DIR/NAME/ (the release name).
    #[arg(long)]
    pub release_name: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long)]
    pub is_upgrade: bool,
    /// Kubernetes version for .Capabilities.KubeVersion (e.g. 1.29 or v1.29.3).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Extra API versions for .Capabilities.APIVersions (group/version or group/version/Kind);
    /// repeatable, or comma-separated.
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "VERSION",
        value_delimiter = ','
    )]
    pub api_versions: Vec<String>,
    /// Print documents that are not valid YAML instead of failing.
    #[arg(long)]
    pub debug: bool,
    /// Fail on missing map keys in templates.
    #[arg(long, help_heading = RUDDER_ONLY)]
    pub strict: bool,
    /// Fixed time (seconds since the epoch) and random seed, for reproducible output.
    #[arg(long, help_heading = RUDDER_ONLY)]
    pub deterministic: bool,
    /// Plugin instances rendering the chart's templates at once (default: the number of
    /// cores; large charts only).
    #[arg(short = 'j', long, value_name = "N", help_heading = RUDDER_ONLY)]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// Report formats of `rudder lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For people: Helm's lines, grouped per chart, then a summary.
    Text,
    /// The JSON report (see docs/lint.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations on the changed files).
    Github,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Flags (as in helm lint)")]
pub struct LintArgs {
    /// The charts: directories or packaged `.tgz` files.
    #[arg(value_name = "CHART", required = true, help_heading = "Arguments")]
    pub charts: Vec<PathBuf>,
    #[command(flatten)]
    pub values: ValuesFlags,
    /// Namespace the chart is rendered for.
    #[arg(short = 'n', long, default_value = "default")]
    pub namespace: String,
    /// Fail on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Target Kubernetes version: for .Capabilities, schemas and deprecations (e.g. 1.33).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Also lint the charts under each chart's charts/ folder.
    #[arg(long)]
    pub with_subcharts: bool,
    /// Print only warnings and errors.
    #[arg(long)]
    pub quiet: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, help_heading = RUDDER_ONLY)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout (written whole, or not at all).
    #[arg(short = 'o', long, value_name = "FILE", help_heading = RUDDER_ONLY)]
    pub output: Option<PathBuf>,
    /// Also lint each chart once per values file in its ci/ folder (`ci/*-values.yaml`,
    /// chart-testing's convention), on top of the values given.
    #[arg(long, help_heading = RUDDER_ONLY)]
    pub values_matrix: bool,
    /// The configuration file (default: the nearest .rudder.yaml above the working
    /// directory; a chart's own .rudder.yaml overrides it).
    #[arg(long, value_name = "FILE", help_heading = RUDDER_ONLY)]
    pub config: Option<PathBuf>,
    /// Charts linted at once (default: the number of cores).
    #[arg(short = 'j', long, value_name = "N", help_heading = RUDDER_ONLY)]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// The help heading of flags `helm template` does not have.
const RUDDER_ONLY: &str = "Flags (rudder only)";

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The releases file: `releases:`, a list of {name, chart, namespace, values, set,
    /// setString, setJson, setFile, kubeVersion, apiVersions, includeCrds, skipTests}; paths
    /// are relative to its folder.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write each release's templates under DIR/NAME (as `template --output-dir DIR/NAME`).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Releases rendered at once (default: the number of cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
    /// Fixed time (seconds since the epoch) and random seed, for reproducible output.
    #[arg(long)]
    pub deterministic: bool,
    /// Fail on missing map keys in templates.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar and no summary line.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}
