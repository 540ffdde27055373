//! go-yaml's error messages for what yaml-rust2's scanner and parser report.
//!
//! go-yaml prints `yaml: line N: PROBLEM`, where N is quirky: for scanner errors it is the
//! 1-based line of the problem, for parser errors the 0-based one, and when that number is 0
//! the line is left out altogether. yaml-rust2 reports the same kinds of problems under other
//! words; this table maps the common ones.

use yaml_rust2::scanner::ScanError;

use crate::Error;

enum Kind {
    /// Reported with the 1-based line.
    Scanner,
    /// Reported with the 0-based line.
    Parser,
    /// Reported at the end of the input (unterminated quoted scalars).
    AtEnd,
    /// No line at all.
    NoLine,
    /// Reported on the line of the first tab after the error position.
    TabAfter,
}

fn map(info: &str) -> (Kind, String) {
    use Kind::*;
    let (kind, msg) = match info {
        "mapping values are not allowed in this context"
        | "block sequence entries are not allowed in this context"
        | "mapping keys are not allowed in this context" => (Scanner, info),
        "while scanning a quoted scalar, found unexpected end of stream" => {
            (AtEnd, "found unexpected end of stream")
        }
        "while scanning a plain scalar, found a tab" => {
            (TabAfter, "found a tab character that violates indentation")
        }
        "invalid indentation in quoted scalar" => (AtEnd, "found unexpected end of stream"),
        "illegal placement of ':' indicator" => (Parser, "did not find expected ',' or ']'"),
        "tabs disallowed within this context (block indentation)"
        | "tabs disallowed in this context"
        | "tab cannot be used as indentation" => {
            (Scanner, "found character that cannot start any token")
        }
        "simple key expect ':'" => (Scanner, "could not find expected ':'"),
        "duplicate version directive" => (Parser, "found duplicate %YAML directive"),
        "while parsing a block mapping, did not find expected key" => {
            (Parser, "did not find expected key")
        }
        "while parsing a flow sequence, expected ',' or ']'" => {
            (Parser, "did not find expected ',' or ']'")
        }
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            (Parser, "did not find expected ',' or '}'")
        }
        "while parsing a block collection, did not find expected '-' indicator" => {
            (Parser, "did not find expected '-' indicator")
        }
        "while parsing a node, did not find expected node content" => {
            (Parser, "did not find expected node content")
        }
        "did not find expected <document start>" | "did not find expected <document-start>" => {
            (Parser, "did not find expected <document start>")
        }
        "the handle wasn't declared" => (Parser, "found undefined tag handle"),
        "while parsing a quoted scalar, found unknown escape character" => {
            (Scanner, "found unknown escape character")
        }
        "while parsing a quoted scalar, found invalid Unicode character escape code" => {
            (Scanner, "found invalid Unicode character escape code")
        }
        "while parsing a quoted scalar, did not find expected hexadecimal number" => {
            (Scanner, "did not find expected hexdecimal number")
        }
        "invalid trailing content after double-quoted scalar" => {
            (Parser, "did not find expected key")
        }
        "wrongly indented line in block scalar" | "invalid indentation" => {
            (Parser, "did not find expected key")
        }
        "a block scalar content cannot start with a tab" => (
            Scanner,
            "found a tab character where an indentation space is expected",
        ),
        "\"-\" is only valid inside a block" => (Parser, "did not find expected node content"),
        "recursion limit exceeded" => (NoLine, "exceeded max depth of 10000"),
        other if other.starts_with("unexpected character") => {
            (Scanner, "found character that cannot start any token")
        }
        other => {
            // "while scanning X, PROBLEM" → "PROBLEM", as go-yaml prints only the problem.
            let problem = other.split_once(", ").map_or(other, |(_, p)| p);
            (Scanner, problem)
        }
    };
    (kind, msg.to_string())
}

/// The name of the alias at character offset `index` of `src`.
fn alias_name(src: &str, index: usize) -> String {
    src.chars()
        .skip(index)
        .skip_while(|c| *c == '*')
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

pub(crate) fn translate(src: &str, e: &ScanError) -> Error {
    let mark = e.marker();
    let (line, column) = (mark.line(), mark.col() + 1);
    if e.info() == "while parsing node, found unknown anchor" {
        return Error {
            line,
            column,
            message: format!(
                "yaml: unknown anchor '{}' referenced",
                alias_name(src, mark.index())
            ),
        };
    }
    let (kind, msg) = map(e.info());
    let go_line = match kind {
        Kind::Scanner => line,
        Kind::Parser => line.saturating_sub(1),
        Kind::AtEnd => src.matches('\n').count() + 1,
        Kind::NoLine => 0,
        Kind::TabAfter => {
            let before: String = src.chars().take(mark.index()).collect();
            let after = src.chars().skip(mark.index()).take_while(|c| *c != '\t');
            before.matches('\n').count() + after.filter(|c| *c == '\n').count() + 1
        }
    };
    // go-yaml leaves the line out when its 0-based line is 0.
    let message = if go_line > 1 || (matches!(kind, Kind::Parser) && go_line > 0) {
        // (For TabAfter the line is 1-based like a scanner error's.)
        format!("yaml: line {go_line}: {msg}")
    } else {
        format!("yaml: {msg}")
    };
    Error {
        line,
        column,
        message,
    }
}
