//! Go's text/template with Sprig and Helm's functions, reproducing Helm v4 byte for byte.
//!
//! This is a plain library: it builds natively (unit tests, fuzzing) and inside the
//! `gotmpl` WASM plugin, whose adapter only converts the WIT job into [`value::Value`]s.

pub mod exec;
pub mod fmt;
pub mod func;
pub mod funcs;
pub mod helm_objects;
pub mod keygen;
pub mod lex;
pub mod parse;
pub mod render;
pub mod value;

pub use value::{Map, Object, Value};

/// Standard base64 with padding, as Go's `base64.StdEncoding`.
pub fn base64_std(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}
