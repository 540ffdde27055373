//! The policy model: the [`Policy`] trait, what it is given and what it reports.

use crate::Object;
use serde::de::DeserializeOwned;
use std::fmt;

/// An organisation's rule over the manifests of one release.
///
/// Implement it on a unit struct and export it with [`export_policy!`](crate::export_policy):
///
/// ```
/// use rudder_sdk::{Context, Error, Object, Policy, Violation};
///
/// struct NoSecrets;
///
/// impl Policy for NoSecrets {
///     const NAME: &'static str = "no-secrets";
///     const DESCRIPTION: &'static str = "charts must not render Secrets";
///     const SETTINGS_SCHEMA: &'static str = "";
///     type Settings = rudder_sdk::NoSettings;
///
///     fn evaluate(
///         objects: &[Object<'_>],
///         _context: &Context,
///         _settings: &Self::Settings,
///     ) -> Result<Vec<Violation>, Error> {
///         Ok(objects
///             .iter()
///             .filter(|o| o.kind == "Secret")
///             .map(|o| Violation::error("secret", o, format!("{} is a Secret", o.id())))
///             .collect())
///     }
/// }
///
/// rudder_sdk::export_policy!(NoSecrets);
/// ```
pub trait Policy {
    /// Short unique name, lowercase with dashes (`required-labels`).
    const NAME: &'static str;
    /// One line for people (`rudder plugin list` shows it).
    const DESCRIPTION: &'static str;
    /// JSON Schema of the settings, as JSON text; the host checks the user's settings
    /// against it before [`Policy::validate`] sees them. Empty when the policy takes no
    /// settings (the host then accepts only `{}`).
    const SETTINGS_SCHEMA: &'static str;
    /// What the settings parse into (`{}` when the user gave none). Use
    /// `#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]` for settings
    /// that are all optional, and [`NoSettings`] for none.
    type Settings: DeserializeOwned;

    /// Checks settings that parsed, for what serde cannot say (a pattern that does not
    /// compile, two fields that exclude each other). Runs when the policy is loaded and
    /// again before each evaluation.
    fn validate(settings: &Self::Settings) -> Result<(), SettingsError> {
        let _ = settings;
        Ok(())
    }

    /// Judges all manifests of one release at once. A problem with a manifest is a
    /// [`Violation`]; an [`Error`] means the policy could not do its job.
    fn evaluate(
        objects: &[Object<'_>],
        context: &Context,
        settings: &Self::Settings,
    ) -> Result<Vec<Violation>, Error>;
}

/// The settings of a policy that takes none: only `{}` parses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoSettings {}

/// Where the manifests are going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub release_name: String,
    /// The release's namespace: where objects without `metadata.namespace` go.
    pub namespace: String,
    /// The root chart's name and version.
    pub chart_name: String,
    pub chart_version: String,
    /// Target Kubernetes version (`v1.35.0`).
    pub kube_version: String,
    pub operation: Operation,
}

impl Default for Context {
    /// What `rudder lint` of a chart named `chart` would send: release `release-name` in
    /// namespace `default`, Kubernetes `v1.35.0`.
    fn default() -> Context {
        Context {
            release_name: "release-name".into(),
            namespace: "default".into(),
            chart_name: "chart".into(),
            chart_version: "0.1.0".into(),
            kube_version: "v1.35.0".into(),
            operation: Operation::Lint,
        }
    }
}

/// The command that runs the policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Template,
    Lint,
    Install,
    Upgrade,
    Diff,
}

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Violates the policy: fails the command when the policy is enforced.
    Error,
    /// Likely a mistake.
    Warning,
    /// Advice.
    Info,
}

/// A rule broken by a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The policy's own stable code for the rule, kebab-case (`missing-label`).
    pub code: String,
    pub severity: Severity,
    /// For people; name the object (`Deployment/web`) and the field.
    pub message: String,
    /// Index of the offending object: its [`Object::index`].
    pub object: usize,
    /// JSON path of the offending field inside the object (`spec.template.spec.containers[0].image`).
    pub path: Option<String>,
}

impl Violation {
    /// A violation of `code` by `object`, without a path.
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        object: &Object<'_>,
        message: impl Into<String>,
    ) -> Violation {
        Violation {
            code: code.into(),
            severity,
            message: message.into(),
            object: object.index,
            path: None,
        }
    }

    /// An error-level violation (see [`Violation::new`]).
    pub fn error(
        code: impl Into<String>,
        object: &Object<'_>,
        message: impl Into<String>,
    ) -> Violation {
        Violation::new(code, Severity::Error, object, message)
    }

    /// A warning-level violation.
    pub fn warning(
        code: impl Into<String>,
        object: &Object<'_>,
        message: impl Into<String>,
    ) -> Violation {
        Violation::new(code, Severity::Warning, object, message)
    }

    /// An info-level violation.
    pub fn info(
        code: impl Into<String>,
        object: &Object<'_>,
        message: impl Into<String>,
    ) -> Violation {
        Violation::new(code, Severity::Info, object, message)
    }

    /// The same violation at JSON path `path`.
    #[must_use]
    pub fn at(mut self, path: impl Into<String>) -> Violation {
        self.path = Some(path.into());
        self
    }

    /// The same violation with severity `severity`.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Violation {
        self.severity = severity;
        self
    }
}

/// Settings that are wrong: the user sees `plugin "NAME" settings at PATH: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    pub message: String,
    /// JSON path of the bad field (`rules[2].namespaces`); `None` for the settings as a
    /// whole.
    pub path: Option<String>,
}

impl SettingsError {
    /// An error about the settings as a whole.
    pub fn new(message: impl Into<String>) -> SettingsError {
        SettingsError {
            message: message.into(),
            path: None,
        }
    }

    /// An error about the field at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> SettingsError {
        SettingsError {
            message: message.into(),
            path: Some(path.into()),
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "settings at {path}: {}", self.message),
            None => write!(f, "settings: {}", self.message),
        }
    }
}

impl std::error::Error for SettingsError {}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The settings are wrong.
    Settings,
    /// The input does not have the shape the policy needs.
    Input,
    /// The policy itself failed.
    Internal,
}

/// Why a policy could not do its job. A problem with the chart is a [`Violation`], never
/// this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Where in the settings or the input, as a JSON path (`manifests[3].object`).
    pub path: Option<String>,
}

impl Error {
    /// The input does not have the shape the policy needs.
    pub fn input(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Input,
            message: message.into(),
            path: None,
        }
    }

    /// The policy itself failed.
    pub fn internal(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Internal,
            message: message.into(),
            path: None,
        }
    }

    /// The same error at JSON path `path`.
    #[must_use]
    pub fn at(mut self, path: impl Into<String>) -> Error {
        self.path = Some(path.into());
        self
    }
}

impl From<SettingsError> for Error {
    fn from(e: SettingsError) -> Error {
        Error {
            kind: ErrorKind::Settings,
            message: e.message,
            path: e.path,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ErrorKind::Settings => "settings",
            ErrorKind::Input => "input",
            ErrorKind::Internal => "internal",
        };
        match &self.path {
            Some(path) => write!(f, "{kind} error at {path}: {}", self.message),
            None => write!(f, "{kind} error: {}", self.message),
        }
    }
}

impl std::error::Error for Error {}
