//! The `gotmpl` renderer plugin: converts the WIT render job into the engine's
//! [`rudder_gotmpl::render::Job`], runs it, and converts the result back. All template
//! logic lives in the `rudder-gotmpl` library; nothing here needs WASM to be right.

wit_bindgen::generate!({ world: "renderer", path: "../../wit" });

use exports::rudder::plugin::describe;
use exports::rudder::plugin::render::{
    self, RenderError, RenderJob, RenderOutput, RenderedTemplate,
};
use rudder::plugin::host;
use rudder::plugin::types::{File, PluginError, PluginInfo, PluginKind, Position};
use rudder_gotmpl::Value;

struct Gotmpl;

impl describe::Guest for Gotmpl {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "gotmpl".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: PluginKind::Renderer,
            description: "Go text/template with Sprig and Helm's functions, as Helm v4 renders"
                .into(),
            settings_schema: String::new(),
        }
    }

    /// The engine takes no settings; the host refuses any but `{}` before asking.
    fn validate_settings(_: String) -> Result<(), PluginError> {
        Ok(())
    }
}

/// The engine's view of the host: the imported `host` interface.
struct Imports;

impl rudder_gotmpl::func::Host for Imports {
    fn lookup(&self, q: &rudder_gotmpl::func::Lookup<'_>) -> Result<Value, String> {
        let text = host::lookup(q.api_version, q.kind, q.namespace, q.name)?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("lookup returned invalid JSON: {e}"))?;
        Ok(Value::from_json(&json))
    }

    fn warn(&self, message: &str) {
        host::log(host::Level::Warn, message);
    }

    /// Keys are made by the host, natively: the same code as the engine's default, many
    /// times faster than inside the sandbox.
    fn rsa_key(&self, bits: u32, seed: u64) -> Result<Vec<u8>, String> {
        host::generate_rsa_key(bits, seed)
    }

    /// Certificates are signed by the host too, for the same reason.
    fn rsa_sign_sha256(&self, key: &[u8], digest: &[u8]) -> Result<Vec<u8>, String> {
        host::rsa_sign_sha256(key, digest)
    }
}

fn plain_error(message: String) -> RenderError {
    RenderError {
        message,
        position: None,
        source_line: None,
        call_stack: Vec::new(),
    }
}

/// Parses one of the job's JSON fields (empty text is an empty object). Values decode
/// straight into the engine's values, with no intermediate JSON tree.
fn parse_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, RenderError> {
    let text = if text.is_empty() { "{}" } else { text };
    serde_json::from_str(text)
        .map_err(|e| plain_error(format!("invalid {what} JSON from the host: {e}")))
}

fn files(list: Vec<File>) -> Vec<(String, Vec<u8>)> {
    list.into_iter().map(|f| (f.path, f.data)).collect()
}

fn index(i: u32) -> usize {
    usize::try_from(i).unwrap_or(usize::MAX)
}

fn convert(job: RenderJob) -> Result<rudder_gotmpl::render::Job, RenderError> {
    let mut charts = Vec::with_capacity(job.charts.len());
    for c in job.charts {
        charts.push(rudder_gotmpl::render::Chart {
            parent: c.parent.map(index),
            values_key: c.values_key,
            metadata: parse_json(&format!("metadata of chart {}", c.path), &c.metadata)?,
            path: c.path,
            templates: files(c.templates),
            files: files(c.files),
            subcharts: c.subcharts.into_iter().map(index).collect(),
        });
    }
    Ok(rudder_gotmpl::render::Job {
        charts,
        values: parse_json("values", &job.values)?,
        release: parse_json("release", &job.release)?,
        capabilities: parse_json("capabilities", &job.capabilities)?,
        targets: job.targets,
        strict: job.options.strict,
        lint: job.options.lint,
        now: (job.options.now.seconds, job.options.now.nanoseconds),
        seed: job.options.seed,
    })
}

impl render::Guest for Gotmpl {
    fn render(job: RenderJob) -> Result<RenderOutput, RenderError> {
        let job = convert(job)?;
        match rudder_gotmpl::render::render_output(&job, &Imports) {
            Ok(out) => Ok(RenderOutput {
                templates: out
                    .templates
                    .into_iter()
                    .map(|(name, content)| RenderedTemplate { name, content })
                    .collect(),
                shared_data_changed: out.shared_data_changed,
            }),
            Err(e) => Err(RenderError {
                message: e.message,
                position: e.file.map(|file| Position {
                    file,
                    line: e.line,
                    column: e.column,
                }),
                source_line: e.source_line,
                call_stack: e.call_stack,
            }),
        }
    }
}

export!(Gotmpl);
