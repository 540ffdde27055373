//! End-to-end tests of the `rudder` binary.
