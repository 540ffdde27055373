//! Where regorus and OPA disagree, and how we follow OPA.
//!
//! - `some x in c` (and `some k, v in c`) where `c` is not a collection (null, a string, a
//!   number): OPA yields nothing, regorus 0.14 stops the whole query with "`some .. in
//!   collection` expects array/set/object". Helm charts render `initContainers:` with no
//!   value, so policies meet such nulls. Each module is parsed once on its own; every
//!   `some .. in` collection is then wrapped in a call to [`HELPER_PATH`]'s `collection`,
//!   which returns its argument when it is an array, set or object and `[]` otherwise: the
//!   literal then iterates exactly what OPA iterates. Columns after the inserted text on
//!   those lines shift in regorus's own error messages; parse errors come from the
//!   unchanged text.

/// The package of the helper, as a file name in errors.
pub(crate) const HELPER_PATH: &str = "rudder-compat.rego";

const CALL: &str = "data.__rudder_compat.collection(";

/// The helper module in the syntax the engine parses.
pub(crate) fn helper(version: crate::RegoVersion) -> &'static str {
    match version {
        crate::RegoVersion::V1 => {
            "package __rudder_compat\n\n\
             collection(x) := x if is_array(x)\n\
             collection(x) := x if is_set(x)\n\
             collection(x) := x if is_object(x)\n\
             collection(x) := [] if {\n  not is_array(x)\n  not is_set(x)\n  not is_object(x)\n}\n"
        }
        crate::RegoVersion::V0 => {
            "package __rudder_compat\n\n\
             collection(x) = x { is_array(x) }\n\
             collection(x) = x { is_set(x) }\n\
             collection(x) = x { is_object(x) }\n\
             collection(x) = [] {\n  not is_array(x)\n  not is_set(x)\n  not is_object(x)\n}\n"
        }
    }
}

/// `text` with every `(start, end)` byte range wrapped in the helper call.
pub(crate) fn rewrite(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut edits: Vec<(usize, &str)> = Vec::with_capacity(ranges.len() * 2);
    for &(start, end) in ranges {
        if start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            edits.push((start, CALL));
            edits.push((end, ")"));
        }
    }
    // Stable: at one offset, closing parentheses (of inner ranges) come before openings.
    edits.sort_by_key(|&(at, s)| (at, s == CALL));
    let mut out = String::with_capacity(text.len() + edits.len() * CALL.len());
    let mut last = 0;
    for (at, s) in edits {
        if let Some(chunk) = text.get(last..at) {
            out.push_str(chunk);
        }
        out.push_str(s);
        last = at;
    }
    if let Some(rest) = text.get(last..) {
        out.push_str(rest);
    }
    out
}
