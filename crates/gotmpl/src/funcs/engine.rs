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
        body: |ctx, a| {
            let warn = a[0].as_str().unwrap_or("");
            let missing = match &a[1] {
                Value::Nil => "missing required value",
                Value::String(s) if s.is_empty() => "missing required values",
                v => return Ok(v.clone()),
            };
            if ctx.lint {
                ctx.host.warn(&format!("{missing}: {warn}"));
                return Ok(Value::String("".into()));
            }
            Err(warn_wrap(warn))
        },
    },
    Func::new("fail", &[Ty::String], |ctx, a| {
        let msg = a[0].as_str().unwrap_or("");
        if ctx.lint {
            return Ok(Value::String("".into()));
        }
        Err(warn_wrap(msg))
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
