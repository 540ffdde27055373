//! The verbs, one file each, as Helm's `pkg/action`: each takes checked options and the
//! plugins it needs, and returns typed results; only `main` prints.

pub mod bulk;
pub mod capabilities;
pub mod shard;
pub mod template;

pub use template::{TemplateError, TemplateRequest, Templated, template};
