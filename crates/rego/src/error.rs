//! The crate's error type.

/// Why a policy did not compile or an evaluation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no Rego modules were given")]
    NoModules,
    /// A module that does not parse (or that regorus refuses when it is added).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: String,
        /// 1-based; 0 when the parser gave no position.
        line: u32,
        column: u32,
        message: String,
    },
    /// A check rule written `deny if { ... }` (a boolean, not a set of messages), which
    /// conftest refuses to load.
    #[error(
        "{path}:{line}: rule `{rule}` uses `if` without `contains`, which makes it a boolean: write `{rule} contains msg if {{ ... }}`"
    )]
    BooleanCheck {
        path: String,
        line: u32,
        rule: String,
    },
    /// A data document that does not parse, or that conflicts with another one.
    #[error("data `{path}`: {message}")]
    Data { path: String, message: String },
    #[error("input: {message}")]
    Input { message: String },
    /// A rule that failed while it was evaluated (a conflict, a strict built-in error, the
    /// time limit).
    #[error("evaluating `data.{namespace}.{rule}`: {message}")]
    Eval {
        namespace: String,
        rule: String,
        message: String,
    },
    /// A rule's message is an object without a string `msg`, which conftest refuses.
    #[error("`data.{namespace}.{rule}`: an object message must have a string `msg` field")]
    Message { namespace: String, rule: String },
}

/// A regorus error as one line: its messages are `\n--> file:line:col\n  |\n...\nerror: msg`.
pub(crate) fn clean(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    match located(&text) {
        Some((file, line, col, msg)) => format!("{file}:{line}:{col}: {msg}"),
        None => text.trim().to_string(),
    }
}

/// Splits a regorus message into its file, line, column and last `error: ` line.
fn located(text: &str) -> Option<(String, u32, u32, String)> {
    let arrow = text.find("--> ")?;
    let rest = &text[arrow + 4..];
    let loc = rest.lines().next()?;
    let mut parts = loc.rsplitn(3, ':');
    let col: u32 = parts.next()?.trim().parse().ok()?;
    let line: u32 = parts.next()?.trim().parse().ok()?;
    let file = parts.next()?.to_string();
    let msg = rest
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .map_or_else(
            || rest.lines().last().unwrap_or("").to_string(),
            str::to_string,
        );
    Some((file, line, col, msg))
}

pub(crate) fn parse_error(path: &str, e: &dyn std::fmt::Display) -> Error {
    let text = e.to_string();
    match located(&text) {
        Some((_, line, column, message)) => Error::Parse {
            path: path.to_string(),
            line,
            column,
            message,
        },
        None => Error::Parse {
            path: path.to_string(),
            line: 0,
            column: 0,
            message: text.trim().to_string(),
        },
    }
}
