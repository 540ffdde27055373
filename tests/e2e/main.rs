//! End-to-end tests of the `rudder` binary: one test binary, a module per area.

use std::path::{Path, PathBuf};

mod bulk;
mod conformance;
mod errors;
mod examples;
mod sandbox;
mod template_cases;

/// The binary under test, built by cargo for this test run.
pub fn rudder_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rudder"))
}

/// The repository's root folder.
pub fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}
