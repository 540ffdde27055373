//! Building and writing `helm template`'s output (see the module documentation in `mod.rs`).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use super::sort::{Manifest, ParseFailure, is_partial, sort_manifests};
use super::split::split_manifests;
use super::{Crd, OutputOptions, Rendered, Template, glob};

/// Why the output could not be produced or written.
#[derive(Debug, thiserror::Error)]
pub enum RenderOutputError {
    /// A document is not valid YAML or has a head of the wrong shape.
    #[error("YAML parse error on {path}: {message}{}", if *.hint { "\n\nUse --debug flag to render out invalid YAML" } else { "" })]
    InvalidYaml {
        path: String,
        message: String,
        /// Helm appends a hint to use `--debug` when it was not given.
        hint: bool,
    },
    /// A `--show-only` pattern matched nothing.
    #[error("could not find template {0} in chart")]
    TemplateNotFound(String),
    /// Writing a file under `--output-dir` failed.
    #[error("failed to write {path}: {source}")]
    Write { path: String, source: io::Error },
    /// Writing to stdout failed.
    #[error("failed to write the output: {0}")]
    Stdout(#[source] io::Error),
}

/// A failure of [`assemble`]: nothing is to be printed or written but the log lines
/// Helm had already printed on stderr (print them, then the error).
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct AssembleError {
    pub error: RenderOutputError,
    pub log: Vec<String>,
}

/// How a file under `--output-dir` is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Create or truncate.
    Create,
    /// Append to the file this run already wrote.
    Append,
    /// Append when the file exists (a hook), else create.
    AppendIfExists,
}

impl Mode {
    /// A file's first document creates it; later ones of this run append.
    fn first_or_append<'a>(written: &mut HashSet<&'a str>, name: &'a str) -> Mode {
        if written.insert(name) {
            Mode::Create
        } else {
            Mode::Append
        }
    }
}

#[derive(Debug)]
enum Step {
    Stdout(String),
    File {
        /// `DIR/NAME`, joined as Helm joins it (also what `wrote ...` prints).
        path: String,
        name: String,
        data: String,
        mode: Mode,
    },
}

/// What `helm template` prints and writes, ready to be performed by [`Output::write`].
#[derive(Debug)]
pub struct Output {
    steps: Vec<Step>,
    /// Lines Helm logs on stderr while sorting; print them before the output.
    pub log: Vec<String>,
    /// An error Helm reports after printing/writing this output (`--debug` with invalid YAML,
    /// or a `--show-only` miss after `--output-dir` files were written).
    deferred: Option<RenderOutputError>,
}

impl Output {
    /// The full stdout text when nothing goes to files (for tests and callers that buffer).
    pub fn stdout_text(&self) -> Option<String> {
        let mut s = String::new();
        for step in &self.steps {
            match step {
                Step::Stdout(t) => s.push_str(t),
                Step::File { .. } => return None,
            }
        }
        Some(s)
    }

    /// Whether [`Output::write`] will end with an error after writing.
    pub fn deferred_error(&self) -> Option<&RenderOutputError> {
        self.deferred.as_ref()
    }

    /// Perform the output: files under `--output-dir` (each followed by `wrote PATH` on
    /// `stdout`) and the stdout text, in Helm's order. Returns the deferred error, if any,
    /// once everything is written.
    pub fn write(self, stdout: &mut dyn Write) -> Result<(), RenderOutputError> {
        for step in self.steps {
            match step {
                Step::Stdout(t) => stdout
                    .write_all(t.as_bytes())
                    .map_err(RenderOutputError::Stdout)?,
                Step::File {
                    path,
                    name,
                    data,
                    mode,
                } => {
                    write_file(&path, &name, &data, mode).map_err(|source| {
                        RenderOutputError::Write {
                            path: path.clone(),
                            source,
                        }
                    })?;
                    writeln!(stdout, "wrote {path}").map_err(RenderOutputError::Stdout)?;
                }
            }
        }
        stdout.flush().map_err(RenderOutputError::Stdout)?;
        match self.deferred {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

fn write_file(path: &str, name: &str, data: &str, mode: Mode) -> io::Result<()> {
    let p = Path::new(path);
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o755);
        b.create(dir)?;
    }
    let append = match mode {
        Mode::Create => false,
        Mode::Append => true,
        Mode::AppendIfExists => p.exists(),
    };
    let mut f = if append {
        std::fs::OpenOptions::new().append(true).open(p)?
    } else {
        std::fs::File::create(p)?
    };
    f.write_all(format!("---\n# Source: {name}\n{data}\n").as_bytes())
}

/// A document that is not valid YAML, or whose head has the wrong shape: what [`collect`]
/// returns instead of a [`Rendered`].
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// The template of the first invalid document.
    pub path: String,
    /// `error converting YAML to JSON: yaml: line 2: ...` and the like.
    pub message: String,
    /// The hooks found before it, unsorted (Helm prints them with `--debug`).
    pub hooks: Vec<Manifest>,
    pub log: Vec<String>,
    /// The rendered templates but NOTES, as the engine gave them (Helm prints them raw
    /// with `--debug`).
    pub templates: Vec<Template>,
}

/// Turn rendered templates into a release's objects. See the module documentation.
pub fn collect(
    templates: Vec<Template>,
    crds: Vec<Crd>,
    opts: &OutputOptions,
) -> Result<Rendered, Box<Invalid>> {
    let root_notes = format!("{}/templates/NOTES.txt", opts.chart_name);
    let mut notes: Vec<Template> = Vec::new();
    let mut files: Vec<Template> = Vec::with_capacity(templates.len());
    for r in templates {
        if r.name.ends_with("NOTES.txt") {
            if opts.subchart_notes || r.name == root_notes {
                notes.push(r);
            }
        } else {
            files.push(r);
        }
    }
    notes.sort_by(|a, b| a.name.cmp(&b.name));
    let notes = notes
        .into_iter()
        .map(|n| n.content)
        .collect::<Vec<_>>()
        .join("\n");

    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|r| (r.name.as_str(), r.content.as_str()))
        .collect();
    match sort_manifests(&pairs) {
        Ok(sorted) => Ok(Rendered {
            manifests: sorted.manifests,
            hooks: sorted.hooks,
            crds,
            notes,
            log: sorted.log,
        }),
        Err(fail) => {
            let ParseFailure {
                path,
                message,
                partial,
            } = *fail;
            Err(Box::new(Invalid {
                path,
                message,
                hooks: partial.hooks,
                log: partial.log,
                templates: files,
            }))
        }
    }
}

/// What [`assemble`] gives: the release's objects and Helm's text for them.
#[derive(Debug)]
pub struct Assembled {
    /// `None` only when `--debug` printed invalid YAML raw (then `output` ends with the
    /// error).
    pub rendered: Option<Rendered>,
    pub output: Output,
}

/// [`collect`], then [`present`] (or [`present_invalid`]): `helm template`'s output.
pub fn assemble(
    templates: Vec<Template>,
    crds: Vec<Crd>,
    opts: &OutputOptions,
) -> Result<Assembled, AssembleError> {
    Ok(match collect(templates, crds, opts) {
        Ok(rendered) => Assembled {
            output: present(&rendered, opts)?,
            rendered: Some(rendered),
        },
        Err(invalid) => Assembled {
            rendered: None,
            output: present_invalid(*invalid, opts)?,
        },
    })
}

/// What Helm does with an invalid document: fail, or with `--debug` print every template
/// raw (and the hooks found so far) and then fail.
pub fn present_invalid(invalid: Invalid, opts: &OutputOptions) -> Result<Output, AssembleError> {
    let Invalid {
        path,
        message,
        hooks,
        log,
        mut templates,
    } = invalid;
    let error = RenderOutputError::InvalidYaml {
        path,
        message,
        hint: !opts.debug,
    };
    if !opts.debug {
        return Err(AssembleError { error, log });
    }
    // Helm hands back every non-empty template, raw, in name order, to help debugging.
    templates.retain(|t| !is_partial(&t.name) && !t.content.trim().is_empty());
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    let mut raw = String::new();
    for t in &templates {
        let _ = write!(raw, "---\n# Source: {}\n{}\n", t.name, t.content);
    }
    finish(raw, Vec::new(), &hooks, log, opts, Some(error))
}

/// Shape `helm template`'s text (stdout, or files under `--output-dir`) from a release's
/// objects.
pub fn present(rendered: &Rendered, opts: &OutputOptions) -> Result<Output, AssembleError> {
    let mut buf = String::new();
    let mut steps = Vec::new();
    let mut written: HashSet<&str> = HashSet::new();
    let to_file = |steps: &mut Vec<Step>, dir: &str, name: &str, data: &str, mode: Mode| {
        steps.push(Step::File {
            path: join_out(dir, name),
            name: name.to_string(),
            data: data.to_string(),
            mode,
        });
    };
    let out_dir = opts
        .output_dir
        .as_ref()
        .map(|d| d.to_string_lossy().into_owned());
    let manifest_dir = out_dir.as_ref().map(|d| match &opts.release_dir {
        Some(rel) => go_join(d, rel),
        None => d.clone(),
    });

    if opts.include_crds {
        for crd in &rendered.crds {
            match &out_dir {
                None => {
                    let _ = write!(buf, "---\n# Source: {}\n{}\n", crd.name, crd.content);
                }
                Some(dir) => {
                    let mode = Mode::first_or_append(&mut written, &crd.name);
                    to_file(&mut steps, dir, &crd.name, &crd.content, mode);
                }
            }
        }
    }
    for m in &rendered.manifests {
        match &manifest_dir {
            None => {
                if opts.hide_secret && m.kind == "Secret" && m.api_version == "v1" {
                    let _ = write!(
                        buf,
                        "---\n# Source: {}\n# HIDDEN: The Secret output has been suppressed\n",
                        m.template
                    );
                } else {
                    let _ = write!(buf, "---\n# Source: {}\n{}\n", m.template, m.text);
                }
            }
            Some(dir) => {
                let mode = Mode::first_or_append(&mut written, &m.template);
                to_file(&mut steps, dir, &m.template, &m.text, mode);
            }
        }
    }
    finish(
        buf,
        steps,
        &rendered.hooks,
        rendered.log.clone(),
        opts,
        None,
    )
}

/// `helm template`'s own part: trim the manifest text, add hooks, apply `--show-only`.
fn finish(
    manifest: String,
    mut steps: Vec<Step>,
    hooks: &[Manifest],
    log: Vec<String>,
    opts: &OutputOptions,
    deferred: Option<RenderOutputError>,
) -> Result<Output, AssembleError> {
    let mut text = String::with_capacity(manifest.len() + 1);
    text.push_str(manifest.trim());
    text.push('\n');
    if !opts.no_hooks {
        let hook_dir = opts.output_dir.as_ref().map(|d| {
            let d = d.to_string_lossy().into_owned();
            match &opts.release_dir {
                Some(rel) => go_join(&d, rel),
                None => d,
            }
        });
        for h in hooks.iter().filter(|h| !(opts.skip_tests && h.is_test())) {
            match &hook_dir {
                None => {
                    let _ = write!(text, "---\n# Source: {}\n{}\n", h.template, h.text);
                }
                Some(dir) => steps.push(Step::File {
                    path: join_out(dir, &h.template),
                    name: h.template.clone(),
                    data: h.text.clone(),
                    mode: Mode::AppendIfExists,
                }),
            }
        }
    }

    let mut deferred = deferred;
    let stdout = if opts.show_only.is_empty() {
        text
    } else {
        match show_only(&text, &opts.show_only) {
            Ok(s) => s,
            Err(e) => {
                // Helm fails here, after having written any --output-dir files.
                if steps.is_empty() {
                    return Err(AssembleError { error: e, log });
                }
                deferred = Some(e);
                String::new()
            }
        }
    };
    if deferred.is_none() || !stdout.is_empty() {
        steps.push(Step::Stdout(stdout));
    }
    Ok(Output {
        steps,
        log,
        deferred,
    })
}

/// Select the documents of `text` whose template matches one of `patterns`.
fn show_only(text: &str, patterns: &[String]) -> Result<String, RenderOutputError> {
    let docs: Vec<(&str, Option<&str>)> = split_manifests(text)
        .into_iter()
        .map(|d| (d, source_path(d)))
        .collect();
    let mut out = String::new();
    for pattern in patterns {
        let pattern = to_slash(pattern);
        let mut missing = true;
        for (doc, path) in &docs {
            if let Some(path) = path
                && glob::matches(&pattern, path)
            {
                out.push_str("---\n");
                out.push_str(doc);
                out.push('\n');
                missing = false;
            }
        }
        if missing {
            return Err(RenderOutputError::TemplateNotFound(pattern));
        }
    }
    Ok(out)
}

/// The path after the chart name in the first `# Source: CHART/PATH` of `doc` (Helm's
/// `# Source: [^/]+/(.+)`, whose `[^/]+` may cross lines).
fn source_path(doc: &str) -> Option<&str> {
    const TAG: &str = "# Source: ";
    let mut from = 0;
    while let Some(i) = doc[from..].find(TAG) {
        let start = from + i + TAG.len();
        let rest = &doc[start..];
        if let Some(slash) = rest.find('/')
            && slash > 0
        {
            let after = &rest[slash + 1..];
            let line = after.split('\n').next().unwrap_or("");
            if !line.is_empty() {
                return Some(line);
            }
        }
        from = from + i + 1;
    }
    None
}

#[cfg(windows)]
fn to_slash(p: &str) -> String {
    p.replace('\\', "/")
}

#[cfg(not(windows))]
fn to_slash(p: &str) -> String {
    p.to_string()
}

/// `strings.Join([]string{dir, name}, separator)`: no cleaning.
fn join_out(dir: &str, name: &str) -> String {
    format!("{dir}{}{name}", std::path::MAIN_SEPARATOR)
}

/// Go's `filepath.Join(a, b)` on a slash-separated system: join, then clean.
fn go_join(a: &str, b: &str) -> String {
    let joined = match (a.is_empty(), b.is_empty()) {
        (true, true) => return String::new(),
        (true, false) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{b}"),
    };
    rudder_gocompat::path::clean(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str, content: &str) -> Template {
        Template {
            name: name.into(),
            content: content.into(),
        }
    }

    fn opts() -> OutputOptions {
        OutputOptions {
            chart_name: "c".into(),
            ..Default::default()
        }
    }

    #[test]
    fn stdout_layout() {
        let rendered = collect(
            vec![
                r("c/templates/a.yaml", "kind: Service\n\n"),
                r("c/templates/NOTES.txt", "hi"),
                r(
                    "c/templates/h.yaml",
                    "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n",
                ),
            ],
            vec![],
            &opts(),
        )
        .unwrap();
        assert_eq!(rendered.notes, "hi");
        assert_eq!(rendered.manifests.len(), 1);
        assert_eq!(rendered.hooks.len(), 1);
        let out = present(&rendered, &opts()).unwrap();
        assert_eq!(
            out.stdout_text().unwrap(),
            "---\n# Source: c/templates/a.yaml\nkind: Service\n---\n# Source: c/templates/h.yaml\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n"
        );
    }

    #[test]
    fn only_hooks_start_with_a_blank_line() {
        let out = assemble(
            vec![r(
                "c/templates/h.yaml",
                "metadata:\n  annotations:\n    helm.sh/hook: test",
            )],
            vec![],
            &opts(),
        )
        .unwrap()
        .output;
        assert!(
            out.stdout_text()
                .unwrap()
                .starts_with("\n---\n# Source: c/templates/h.yaml\n")
        );
    }

    #[test]
    fn invalid_yaml_messages() {
        let files = vec![
            r("c/templates/t.yaml", "a: [\n"),
            r("c/templates/a.yaml", "kind: A"),
        ];
        let e = assemble(files.clone(), vec![], &opts()).unwrap_err().error;
        let msg = e.to_string();
        assert!(msg.starts_with(
            "YAML parse error on c/templates/t.yaml: error converting YAML to JSON: yaml: "
        ));
        assert!(msg.ends_with("\n\nUse --debug flag to render out invalid YAML"));
        let debug = OutputOptions {
            debug: true,
            ..opts()
        };
        let out = assemble(files, vec![], &debug).unwrap().output;
        assert_eq!(
            out.stdout_text().unwrap(),
            "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/t.yaml\na: [\n"
        );
        assert!(out.deferred_error().is_some());
    }

    #[test]
    fn show_only_miss() {
        let o = OutputOptions {
            show_only: vec!["templates/x.yaml".into()],
            ..opts()
        };
        let e = assemble(vec![r("c/templates/a.yaml", "kind: A")], vec![], &o).unwrap_err();
        assert_eq!(
            e.to_string(),
            "could not find template templates/x.yaml in chart"
        );
    }

    #[test]
    fn source_paths() {
        assert_eq!(
            source_path("# Source: c/templates/a.yaml\nx"),
            Some("templates/a.yaml")
        );
        assert_eq!(source_path("x: 1"), None);
        assert_eq!(source_path("# Source: c\nd/e"), Some("e"));
    }

    #[test]
    fn clean_and_join() {
        assert_eq!(go_join("out/", "rel"), "out/rel");
        assert_eq!(go_join("./out//x/..", "rel"), "out/rel");
        assert_eq!(go_join("/", "rel"), "/rel");
        assert_eq!(
            join_out("out/", "c/templates/a.yaml"),
            "out//c/templates/a.yaml"
        );
    }

    #[test]
    fn hide_secret_hides_core_secrets_only() {
        let o = OutputOptions {
            hide_secret: true,
            ..opts()
        };
        let out = assemble(
            vec![r(
                "c/templates/s.yaml",
                "apiVersion: v1\nkind: Secret\n---\napiVersion: x/v1\nkind: Secret",
            )],
            vec![],
            &o,
        )
        .unwrap()
        .output;
        assert_eq!(
            out.stdout_text().unwrap(),
            "---\n# Source: c/templates/s.yaml\n# HIDDEN: The Secret output has been suppressed\n---\n# Source: c/templates/s.yaml\napiVersion: x/v1\nkind: Secret\n"
        );
    }

    #[test]
    fn subchart_notes() {
        let files = || {
            vec![
                r("c/templates/NOTES.txt", "root"),
                r("c/charts/s/templates/NOTES.txt", "sub"),
            ]
        };
        assert_eq!(collect(files(), vec![], &opts()).unwrap().notes, "root");
        let o = OutputOptions {
            subchart_notes: true,
            ..opts()
        };
        assert_eq!(collect(files(), vec![], &o).unwrap().notes, "sub\nroot");
    }
}
