//! Functions Helm's engine adds on top of Sprig: `include`, `tpl`, `required`, `fail` and
//! `lookup`. `include` and `tpl` need the template set, so the executor runs them itself.

use crate::func::{Func, Ty};
use crate::value::Value;

/// Helm marks the messages of `required` and `fail` so that its error reformatting can find
/// them inside nested template errors.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

pub static FUNCS: &[Func] = &[
    Func::new(
        "include",
        &[Ty::String, Ty::Any],
        crate::funcs::builtins::unreachable_special,
    ),
    Func::new(
        "tpl",
        &[Ty::String, Ty::Any],
        crate::funcs::builtins::unreachable_special,
    ),
    Func {
        name: "required",
        params: &[Ty::String, Ty::Any],
        variadic: None,
        body: |_, a| {
            let warn = a[0].as_str().unwrap_or("");
            match &a[1] {
                Value::Nil => Err(warn_wrap(warn)),
                Value::String(s) if s.is_empty() => Err(warn_wrap(warn)),
                v => Ok(v.clone()),
            }
        },
    },
    Func::new("fail", &[Ty::String], |_, a| {
        Err(warn_wrap(a[0].as_str().unwrap_or("")))
    }),
    Func {
        name: "lookup",
        params: &[Ty::String, Ty::String, Ty::String, Ty::String],
        variadic: None,
        body: |ctx, a| {
            let s = |i: usize| a[i].as_str().unwrap_or("");
            ctx.host.lookup(&crate::func::Lookup {
                api_version: s(0),
                kind: s(1),
                namespace: s(2),
                name: s(3),
            })
        },
    },
];
