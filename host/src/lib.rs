//! rudder's host: loads charts, builds values, runs plugins in a sandbox and returns what
//! they produce as data. It never prints: the `rudder` binary (`main.rs` and `cli/`) checks
//! the flags, calls this library and presents the results.

pub mod action;
pub mod chart;
pub mod check;
pub mod lint;
pub mod plugin;
pub mod policy;
pub mod render;
pub mod values;
