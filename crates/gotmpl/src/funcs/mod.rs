//! Function tables. Each module exports `pub static FUNCS: &[Func]`; [`TABLES`] lists them
//! all. A name defined twice: the later table wins (Helm's functions override Sprig's).

use crate::func::Func;
use crate::value::Value;

pub mod builtins;
pub mod conv;
pub mod crypto;
pub mod dates;
pub mod dicts;
pub mod encoding;
pub mod engine;
pub mod helm;
pub mod lists;
pub mod math;
pub mod rand;
pub mod regex;
pub mod semver;
pub mod strings;

/// The string argument at `i` (the executor has already checked it is a string).
pub(crate) fn arg_str(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

/// The `int` argument at `i` (0 when it is not one).
pub(crate) fn arg_int(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

/// Every table, in override order.
pub static TABLES: &[&[Func]] = &[
    builtins::FUNCS,
    strings::FUNCS,
    regex::FUNCS,
    lists::FUNCS,
    dicts::FUNCS,
    math::FUNCS,
    conv::FUNCS,
    semver::FUNCS,
    dates::FUNCS,
    encoding::FUNCS,
    crypto::FUNCS,
    rand::FUNCS,
    helm::FUNCS,
    engine::FUNCS,
];

/// Finds a function by name among every table, the later table winning.
pub fn find(name: &str) -> Option<&'static Func> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static INDEX: OnceLock<HashMap<&'static str, &'static Func>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = HashMap::new();
            for table in TABLES {
                for f in table.iter() {
                    index.insert(f.name, f);
                }
            }
            index
        })
        .get(name)
        .copied()
}
