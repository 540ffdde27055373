//! rudder's host: loads charts, builds values, runs plugins in a sandbox and writes what
//! they produce. The `rudder` binary is a thin CLI over this library.

pub mod action;
pub mod chart;
pub mod check;
pub mod cli;
pub mod plugin;
pub mod render;
pub mod values;
