//! The one exit-code policy: 0 success, 1 the work failed (a bad chart, values or template,
//! a plugin that trapped or ran out of time or memory, releases that failed), 2 the command
//! itself was wrong (flags, arguments, a releases file or plugins that cannot be loaded).
//! Every error reaches `main` as a [`Failure`]; only the conversions here decide its code.

use rudder::action::TemplateError;
use rudder::plugin::PluginError;

use super::plugin::PluginCommandError;
use super::render::RenderCommandError;

/// How a command failed, as the process reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The work failed.
    Failed = 1,
    /// The command line (or what it names) is wrong.
    Usage = 2,
}

/// An error with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            code: Code::Usage,
            error: error.into(),
        }
    }

    pub fn failed(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            code: Code::Failed,
            error: error.into(),
        }
    }

    /// A usage error from a message.
    pub fn usage_msg(message: impl std::fmt::Display) -> Failure {
        Failure::usage(anyhow::anyhow!("{message}"))
    }

    /// Whether this is only stdout closing early (`rudder template ... | head`): not an
    /// error for a command-line tool.
    pub fn is_broken_pipe(&self) -> bool {
        self.error.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::failed(e)
    }
}

/// A plugin that traps, runs out of time or memory, or reports that it could not do its
/// job failed the work; one that cannot be found, loaded or configured is a usage problem.
impl From<PluginError> for Failure {
    fn from(e: PluginError) -> Failure {
        match e {
            PluginError::Timeout { .. }
            | PluginError::OutOfMemory { .. }
            | PluginError::Trap { .. }
            | PluginError::Reported { .. } => Failure::failed(e),
            _ => Failure::usage(e),
        }
    }
}

impl From<TemplateError> for Failure {
    fn from(e: TemplateError) -> Failure {
        match e {
            TemplateError::Plugin(e) => e.into(),
            other => Failure::failed(other),
        }
    }
}

impl From<RenderCommandError> for Failure {
    fn from(e: RenderCommandError) -> Failure {
        match e {
            RenderCommandError::File(_) => Failure::usage(e),
            RenderCommandError::Failed { .. } | RenderCommandError::Stdout(_) => Failure::failed(e),
        }
    }
}

impl From<PluginCommandError> for Failure {
    fn from(e: PluginCommandError) -> Failure {
        match e {
            PluginCommandError::Plugin(e) => e.into(),
            PluginCommandError::Io(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_errors_split_into_work_and_usage() {
        let trap = PluginError::Trap {
            plugin: "p".into(),
            call: "render",
            message: "unreachable".into(),
        };
        assert_eq!(Failure::from(trap).code, Code::Failed);
        assert_eq!(
            Failure::from(PluginError::NotFound("x".into())).code,
            Code::Usage
        );
        let broken = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(Failure::from(broken).is_broken_pipe());
    }
}
