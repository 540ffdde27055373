//! The one printer: every command's output goes to stdout through it, and every warning and
//! error to stderr, each line prefixed with the release it belongs to when there is one
//! (`rudder render`), errors as `Error: MESSAGE` with their causes on the same line.

use std::io::{self, Write};

/// Stdout and stderr of one run.
pub struct Printer<'a> {
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
}

impl Printer<'static> {
    /// The process's stdout and stderr.
    pub fn stdio() -> Printer<'static> {
        Printer::new(Box::new(io::stdout()), Box::new(io::stderr()))
    }
}

impl<'a> Printer<'a> {
    pub fn new(out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Printer<'a> {
        Printer { out, err }
    }

    /// Where a command writes its results.
    pub fn out(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// Warnings and other log lines (already shaped as Helm shapes them), on stderr.
    pub fn log(&mut self, release: Option<&str>, lines: &[String]) {
        for line in lines {
            let _ = match release {
                Some(name) => writeln!(self.err, "{name}: {line}"),
                None => writeln!(self.err, "{line}"),
            };
        }
    }

    /// A note for people on stderr (a summary line).
    pub fn note(&mut self, line: &str) {
        let _ = writeln!(self.err, "{line}");
    }

    /// An error on stderr, `Error: ` first (and `release NAME: ` when it is one release's).
    pub fn error(&mut self, release: Option<&str>, error: &(dyn std::error::Error + 'static)) {
        let message = message(error);
        let _ = match release {
            Some(name) => writeln!(self.err, "Error: release {name}: {message}"),
            None => writeln!(self.err, "Error: {message}"),
        };
        let _ = self.err.flush();
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// An error and its causes on one line, each cause added unless already said.
pub fn message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = std::iter::successors(Some(error), |e| e.source()).map(|e| e.to_string());
    let mut msg = chain.next().unwrap_or_default();
    for c in chain {
        if c.contains(&msg) {
            msg = c;
        } else if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] io::Error);

    #[test]
    fn messages_join_causes_once() {
        let e = Outer(io::Error::other("inner"));
        assert_eq!(message(&e), "outer: inner");
        let e = Outer(io::Error::other("outer and more"));
        assert_eq!(message(&e), "outer and more");
    }

    #[test]
    fn lines_carry_their_release() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        {
            let mut p = Printer::new(Box::new(&mut out), Box::new(&mut err));
            p.log(Some("web"), &["warning: x".into()]);
            p.log(None, &["warning: y".into()]);
            p.error(Some("web"), &Outer(io::Error::other("inner")));
            p.error(None, &Outer(io::Error::other("inner")));
            let _ = write!(p.out(), "doc");
        }
        assert_eq!(String::from_utf8_lossy(&out), "doc");
        assert_eq!(
            String::from_utf8_lossy(&err),
            "web: warning: x\nwarning: y\nError: release web: outer: inner\nError: outer: inner\n"
        );
    }
}
