//! The WIT side of `export_policy!` and `export_linter!` (inside the sandbox only): from
//! the generated bindings' types to the SDK's and back.

use crate::bindings::common::rudder::plugin::types as wit;
use crate::bindings::policy::exports::rudder::plugin::evaluate as wit_evaluate;
use crate::{Context, Error, ErrorKind, Manifest, Operation, Policy, SettingsError, Severity};

pub fn severity(s: Severity) -> wit::Severity {
    match s {
        Severity::Error => wit::Severity::Error,
        Severity::Warning => wit::Severity::Warning,
        Severity::Info => wit::Severity::Info,
    }
}

fn settings_error(e: SettingsError) -> wit::PluginError {
    wit::PluginError {
        kind: wit::ErrorKind::Settings,
        message: e.message,
        path: e.path,
    }
}

fn plugin_error(e: Error) -> wit::PluginError {
    wit::PluginError {
        kind: match e.kind {
            ErrorKind::Settings => wit::ErrorKind::Settings,
            ErrorKind::Input => wit::ErrorKind::Input,
            ErrorKind::Internal => wit::ErrorKind::Internal,
        },
        message: e.message,
        path: e.path,
    }
}

/// `describe.info` of policy `P`, version `version` (the plugin crate's).
pub fn policy_info<P: Policy>(version: &str) -> wit::PluginInfo {
    wit::PluginInfo {
        name: P::NAME.into(),
        version: version.into(),
        kind: wit::PluginKind::Policy,
        description: P::DESCRIPTION.into(),
        settings_schema: P::SETTINGS_SCHEMA.into(),
    }
}

/// `describe.validate-settings` of policy `P`.
pub fn policy_validate<P: Policy>(settings: &str) -> Result<(), wit::PluginError> {
    crate::runtime::settings::<P>(settings)
        .map(|_| ())
        .map_err(settings_error)
}

/// `evaluate.evaluate` of policy `P`.
pub fn policy_evaluate<P: Policy>(
    manifests: Vec<wit::Manifest>,
    context: wit_evaluate::Context,
    settings: &str,
) -> Result<Vec<wit_evaluate::Violation>, wit::PluginError> {
    let manifests: Vec<Manifest> = manifests
        .into_iter()
        .map(|m| Manifest {
            template: m.template,
            document: m.index,
            api_version: m.api_version,
            kind: m.kind,
            name: m.name,
            namespace: m.namespace,
            hook: m.hook,
            object: m.object,
            text: m.text,
        })
        .collect();
    let context = Context {
        release_name: context.release_name,
        namespace: context.namespace,
        chart_name: context.chart_name,
        chart_version: context.chart_version,
        kube_version: context.kube_version,
        operation: match context.operation {
            wit::Operation::Template => Operation::Template,
            wit::Operation::Lint => Operation::Lint,
            wit::Operation::Install => Operation::Install,
            wit::Operation::Upgrade => Operation::Upgrade,
            wit::Operation::Diff => Operation::Diff,
        },
    };
    let found =
        crate::runtime::evaluate::<P>(&manifests, &context, settings).map_err(plugin_error)?;
    Ok(found
        .into_iter()
        .map(|v| wit_evaluate::Violation {
            code: v.code,
            severity: severity(v.severity),
            message: v.message,
            manifest_index: u32::try_from(v.object).unwrap_or(u32::MAX),
            path: v.path,
            position: None,
        })
        .collect())
}

/// The `linter` world's side (feature `lint`): the conversions of the adapter the
/// built-in lint plugins had, unchanged.
#[cfg(feature = "lint")]
pub mod lint {
    use super::wit;
    use crate::bindings::linter::exports::rudder::plugin::lint as wit_lint;
    use crate::lint::Linter;

    fn severity(s: rudder_lint::Severity) -> wit::Severity {
        match s {
            rudder_lint::Severity::Error => wit::Severity::Error,
            rudder_lint::Severity::Warning => wit::Severity::Warning,
            rudder_lint::Severity::Info => wit::Severity::Info,
        }
    }

    fn parse_settings<L: Linter>(text: &str) -> Result<L::Settings, wit::PluginError> {
        crate::lint::parse_settings::<L>(text).map_err(|message| wit::PluginError {
            kind: wit::ErrorKind::Settings,
            message,
            path: None,
        })
    }

    /// `describe.info` of linter `L`, version `version` (the plugin crate's).
    pub fn info<L: Linter>(version: &str) -> wit::PluginInfo {
        wit::PluginInfo {
            name: L::NAME.into(),
            version: version.into(),
            kind: wit::PluginKind::Linter,
            description: L::DESCRIPTION.into(),
            settings_schema: L::SETTINGS_SCHEMA.into(),
        }
    }

    /// `describe.validate-settings` of linter `L`.
    pub fn validate<L: Linter>(settings: &str) -> Result<(), wit::PluginError> {
        parse_settings::<L>(settings).map(|_| ())
    }

    /// `lint.rules` of linter `L`.
    pub fn rules<L: Linter>() -> Vec<wit_lint::Rule> {
        L::rules()
            .into_iter()
            .map(|r| wit_lint::Rule {
                id: r.id.into(),
                severity: severity(r.severity),
                description: r.description.into(),
                docs_url: L::docs_url(r.id),
            })
            .collect()
    }

    /// `lint.lint` of linter `L`: each manifest's JSON parsed once.
    pub fn lint<L: Linter>(
        chart: wit_lint::ChartInput,
        manifests: Vec<wit::Manifest>,
        settings: &str,
    ) -> Result<Vec<wit_lint::Finding>, wit::PluginError> {
        let settings = parse_settings::<L>(settings)?;
        let mut values = Vec::with_capacity(manifests.len());
        for (i, m) in manifests.iter().enumerate() {
            let v: serde_json::Value =
                serde_json::from_str(&m.object).map_err(|e| wit::PluginError {
                    kind: wit::ErrorKind::Input,
                    message: format!("manifest {i} ({}) is not JSON: {e}", m.template),
                    path: Some(format!("manifests[{i}].object")),
                })?;
            values.push(v);
        }
        let objects: Vec<rudder_lint::Object> = manifests
            .iter()
            .zip(&values)
            .enumerate()
            .map(|(index, (m, value))| rudder_lint::Object {
                index,
                template: &m.template,
                hook: &m.hook,
                value,
            })
            .collect();
        let kube = rudder_lint::KubeVersion::parse(&chart.kube_version).unwrap_or(
            rudder_lint::KubeVersion {
                major: 1,
                minor: 35,
            },
        );
        let input = rudder_lint::Chart {
            files: chart
                .files
                .into_iter()
                .map(|f| rudder_lint::File {
                    path: f.path,
                    data: f.data,
                })
                .collect(),
            subcharts: chart.subcharts,
            values: serde_json::from_str(&chart.values).unwrap_or(serde_json::Value::Null),
            rendered: chart.rendered,
            // The host sends the metadata only of a chart that loaded.
            loaded: !chart.metadata.is_empty(),
        };
        let texts: Vec<&str> = manifests.iter().map(|m| m.text.as_str()).collect();
        let found = L::lint(&input, &objects, &texts, &settings, kube);
        Ok(found
            .into_iter()
            .map(|f| wit_lint::Finding {
                rule_id: f.rule.into(),
                severity: severity(f.severity),
                message: f.message,
                position: f.file.map(|file| wit::Position {
                    file,
                    line: 0,
                    column: 0,
                }),
                path: f.path,
                manifest_index: f.object.map(|i| i as u32),
            })
            .collect())
    }
}
