//! Go's behaviour where Helm's output depends on it, in one place for the host and the
//! template engine.
//!
//! - [`civil`]: civil dates (days since the epoch, leap years), as Go's `time` computes them.
//! - [`gostr`]: Go strings are bytes, Rust strings UTF-8; how a Go string that is not UTF-8
//!   travels through rudder and comes back out as the same bytes.
//! - [`num`]: Go's number syntax and its shortest float formatting.
//! - [`path`]: `path.Clean` and `filepath.Match`.
//! - [`quote`]: `strconv.Quote` and the character tests behind it.
//! - [`semver`]: Masterminds/semver's versions and constraints (chart versions, `kubeVersion`,
//!   dependency ranges, Sprig's `semver` functions).

pub mod civil;
pub mod gostr;
pub mod json;
pub mod num;
pub mod path;
pub mod quote;
pub mod semver;
