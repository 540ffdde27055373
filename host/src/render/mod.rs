//! Post-processing of rendered templates: from "the engine returned text per template" to
//! the bytes `helm template` prints on stdout or writes under `--output-dir`.
//!
//! ```text
//! Vec<Template> + Vec<Crd> ──collect──► Rendered ──present(opts)──► Output ──write──► stdout / files
//!                                 └─ Invalid ──present_invalid(opts)──┘
//! ```
//! [`collect`] turns the engine's text into data: NOTES extraction, document split, YAML
//! parse of every document, hook recognition and the install-order sort give a
//! [`Rendered`], the parsed manifests every later command (lint, policy, apply, diff) starts
//! from. [`present`] shapes Helm's text from it (`--show-only`, `--output-dir`, hooks,
//! CRDs) and returns a plan; [`Output::write`] only performs I/O, so an invalid chart never
//! leaves a half-written `--output-dir`. [`assemble`] is the two in one, for `template`.
//! The steps follow Helm v4.1.4 (`pkg/action/action.go` `renderResources`,
//! `pkg/cmd/template.go`):
//!
//! 1. Templates named `*NOTES.txt` are removed; the root chart's (and, with
//!    `subchart_notes`, every subchart's) become [`Rendered::notes`].
//! 2. Partials (`_*`) and whitespace-only templates are skipped; the rest are visited in
//!    bytewise name order, split into documents (see `split.rs`) and every document's head is
//!    parsed. The first invalid document fails the render:
//!    `YAML parse error on PATH: error converting YAML to JSON: yaml: line 2: ...`,
//!    followed (without `--debug`) by `\n\nUse --debug flag to render out invalid YAML`.
//!    With `--debug` Helm prints every non-empty template raw (in Go map order, i.e. random;
//!    we use name order) plus the hooks found so far, then fails with the same error.
//! 3. Manifests, then hooks, are stably sorted by kind (install order); hook weights do not
//!    change the printed order. A hook with an unknown event is dropped with an INFO log line.
//! 4. Stdout: `---\n# Source: NAME\nDOC\n` per CRD (`--include-crds`, raw file content, in the
//!    order given) and per manifest, the whole trimmed plus one newline, then the same
//!    block per hook (unless `--no-hooks`; test hooks skipped with `--skip-tests`).
//! 5. `--show-only`: the text of step 4 is split again, each piece's `# Source: chart/PATH`
//!    is matched against each pattern with Go's `filepath.Match`, and the matches are printed
//!    as `---\nPIECE\n` pattern by pattern. A pattern with no match fails with
//!    `could not find template PATTERN in chart`.
//! 6. `--output-dir DIR`: CRDs go to `DIR/NAME`, manifests and hooks to `DIR[/RELEASE]/NAME`
//!    (`--release-name`); a file's first document creates it and later ones append; a hook
//!    appends whenever the file exists, even from an earlier run (as Helm does). Each write
//!    prints `wrote PATH`; stdout then gets the (empty) manifest text, i.e. one newline.

mod glob;
mod head;
mod job;
mod output;
mod sort;
mod split;
mod yaml;

#[cfg(test)]
mod golden_tests;

pub use head::{Metadata, SimpleHead};
pub use job::{
    JobChart, Position, ReleaseInfo, RenderError, RenderJob, RenderOptions, RenderOutput, Timestamp,
};
pub use output::{
    AssembleError, Assembled, Invalid, Output, RenderOutputError, assemble, collect, present,
    present_invalid,
};
pub use sort::{HookEvent, HookSpec, Manifest, kind_order, parse_all};
pub use split::split_manifests;

use std::path::PathBuf;

/// One executed template: its chart-qualified name and its rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// E.g. `web/charts/redis/templates/svc.yaml` (the name Helm's engine gives it).
    pub name: String,
    pub content: String,
}

/// One file of a chart's `crds/` folder (`.yaml`, `.yml` or `.json`, any case), as Helm's
/// `Chart.CRDObjects` lists them: the root chart's files in load order, then each enabled
/// dependency's, recursively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    /// E.g. `web/crds/foo.yaml` or `web/charts/sub/crds/bar.yaml`.
    pub name: String,
    pub content: String,
}

/// A release's rendered objects as data, in Helm's order: what rendering hands to every
/// later stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// The documents that are not hooks, stably sorted by kind in install order.
    pub manifests: Vec<Manifest>,
    /// The hooks (all of them: `--no-hooks` and `--skip-tests` only filter output), stably
    /// sorted by kind.
    pub hooks: Vec<Manifest>,
    /// The `crds/` files of the chart and its enabled subcharts, in Helm's order.
    pub crds: Vec<Crd>,
    /// NOTES.txt text (root chart, plus subcharts with `subchart_notes`), joined by newlines.
    pub notes: String,
    /// Lines Helm logs on stderr while sorting (skipped hooks).
    pub log: Vec<String>,
}

/// The `helm template` flags that shape the output.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// The root chart's name (`Chart.yaml` `name`), to find its NOTES.txt.
    pub chart_name: String,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-tests`: drop hooks whose events include `test`.
    pub skip_tests: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--show-only/-s`, in command-line order.
    pub show_only: Vec<String>,
    /// `--output-dir`.
    pub output_dir: Option<PathBuf>,
    /// With `--release-name`: the release name, a subfolder of `output_dir` for manifests and
    /// hooks (not for CRDs).
    pub release_dir: Option<String>,
    /// `--hide-secret` of `helm install/upgrade --dry-run` (not a `helm template` flag): print
    /// `v1` Secrets (not hooks, not under `output_dir`) as a `# HIDDEN` comment.
    pub hide_secret: bool,
    /// `--render-subchart-notes`.
    pub subchart_notes: bool,
    /// `--debug`: on invalid YAML, print what was rendered anyway.
    pub debug: bool,
}
