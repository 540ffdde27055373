//! Test guest: tries to reach outside the sandbox (files, directories, environment,
//! arguments, clocks, the network) and returns what it got as one rendered template, one
//! `KEY: RESULT` line per attempt. The host must give it nothing.

wit_bindgen::generate!({ world: "renderer", path: "../../../wit" });
include!("../../describe.rs");

use exports::rudder::plugin::render::{
    self, RenderError, RenderJob, RenderOutput, RenderedTemplate,
};
use std::fmt::Write as _;

struct Escape;

describe!(
    Escape,
    "escape",
    "tries to read files and the environment (test guest)"
);

fn show<T: std::fmt::Debug, E: std::fmt::Display>(r: Result<T, E>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("err {e}"),
    }
}

impl render::Guest for Escape {
    fn render(job: RenderJob) -> Result<RenderOutput, RenderError> {
        let mut out = String::new();
        let mut line = |k: &str, v: String| {
            let _ = writeln!(out, "{k}: {}", v.replace('\n', "\\n"));
        };
        line("file", show(std::fs::read_to_string("/etc/hostname")));
        line("passwd", show(std::fs::read_to_string("/etc/passwd")));
        line("dir", show(std::fs::read_dir(".").map(|d| d.count())));
        line("rootdir", show(std::fs::read_dir("/").map(|d| d.count())));
        line("write", show(std::fs::write("escaped.txt", b"x")));
        // Any path the job names is tried too, so a test can point at a file it made.
        for chart in &job.charts {
            for file in &chart.files {
                let path = String::from_utf8_lossy(&file.data).into_owned();
                line("named", show(std::fs::read_to_string(&path)));
            }
        }
        line("env-home", show(std::env::var("HOME")));
        line("env-path", show(std::env::var("PATH")));
        line("env-count", std::env::vars_os().count().to_string());
        line(
            "args",
            format!("{:?}", std::env::args_os().collect::<Vec<_>>()),
        );
        line("cwd", show(std::env::current_dir()));
        line(
            "time",
            show(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)),
        );
        line("tcp", show(std::net::TcpStream::connect("127.0.0.1:1")));
        Ok(RenderOutput {
            templates: vec![RenderedTemplate {
                name: "escape/report".into(),
                content: out,
            }],
            shared_data_changed: false,
        })
    }
}

export!(Escape);
