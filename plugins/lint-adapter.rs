// Included by the built-in lint plugins (each has its own generated bindings, so this
// cannot be a crate): `lint_plugin!` implements the `describe` and `lint` interfaces of the
// `linter` world around rule logic from `rudder-lint`, which knows nothing of WIT.
//
// `lint_plugin!(Type, "name", "description", SCHEMA, Settings, rules, check)`:
// - `Settings`: a `serde::Deserialize + Default` type the plugin's settings parse into
//   (`validate-settings` refuses what does not parse, naming the path);
// - `rules`: `fn() -> Vec<rudder_lint::Rule>`;
// - `check`: `fn(&rudder_lint::Chart, &[rudder_lint::Object], &[&str], &Settings,
//   KubeVersion) -> Vec<rudder_lint::Finding>`, the texts being the objects' documents as
//   rendered.

/// The settings of a plugin that takes none: only `{}` parses.
#[allow(dead_code, reason = "a plugin with settings of its own does not use it")]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoSettings {}

macro_rules! lint_plugin {
    ($guest:ident, $name:literal, $description:literal, $schema:expr, $settings:ty, $rules:expr, $check:expr) => {
        use exports::rudder::plugin::lint as wit;
        use rudder::plugin::types as wit_types;

        fn severity(s: rudder_lint::Severity) -> wit_types::Severity {
            match s {
                rudder_lint::Severity::Error => wit_types::Severity::Error,
                rudder_lint::Severity::Warning => wit_types::Severity::Warning,
                rudder_lint::Severity::Info => wit_types::Severity::Info,
            }
        }

        fn settings_error(message: String, path: Option<String>) -> wit_types::PluginError {
            wit_types::PluginError {
                kind: wit_types::ErrorKind::Settings,
                message,
                path,
            }
        }

        fn parse_settings(text: &str) -> Result<$settings, wit_types::PluginError> {
            let text = if text.trim().is_empty() { "{}" } else { text };
            let mut de = serde_json::Deserializer::from_str(text);
            serde::Deserialize::deserialize(&mut de)
                .map_err(|e: serde_json::Error| settings_error(e.to_string(), None))
        }

        impl exports::rudder::plugin::describe::Guest for $guest {
            fn info() -> wit_types::PluginInfo {
                wit_types::PluginInfo {
                    name: $name.into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    kind: wit_types::PluginKind::Linter,
                    description: $description.into(),
                    settings_schema: $schema.into(),
                }
            }

            fn validate_settings(settings: String) -> Result<(), wit_types::PluginError> {
                parse_settings(&settings).map(|_| ())
            }
        }

        impl wit::Guest for $guest {
            fn rules() -> Vec<wit::Rule> {
                let rules: Vec<rudder_lint::Rule> = $rules();
                rules
                    .into_iter()
                    .map(|r| wit::Rule {
                        id: r.id.into(),
                        severity: severity(r.severity),
                        description: r.description.into(),
                        docs_url: format!(
                            "https://github.com/rudder-sh/rudder/blob/main/docs/rules/{}.md",
                            r.id
                        ),
                    })
                    .collect()
            }

            fn lint(
                chart: wit::ChartInput,
                manifests: Vec<wit_types::Manifest>,
                settings: String,
            ) -> Result<Vec<wit::Finding>, wit_types::PluginError> {
                let settings = parse_settings(&settings)?;
                let mut values = Vec::with_capacity(manifests.len());
                for (i, m) in manifests.iter().enumerate() {
                    let v: serde_json::Value = serde_json::from_str(&m.object).map_err(|e| {
                        wit_types::PluginError {
                            kind: wit_types::ErrorKind::Input,
                            message: format!("manifest {i} ({}) is not JSON: {e}", m.template),
                            path: Some(format!("manifests[{i}].object")),
                        }
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
                let kube = rudder_lint::KubeVersion::parse(&chart.kube_version)
                    .unwrap_or(rudder_lint::KubeVersion { major: 1, minor: 35 });
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
                };
                let texts: Vec<&str> = manifests.iter().map(|m| m.text.as_str()).collect();
                let found: Vec<rudder_lint::Finding> =
                    $check(&input, &objects, &texts, &settings, kube);
                Ok(found
                    .into_iter()
                    .map(|f| wit::Finding {
                        rule_id: f.rule.into(),
                        severity: severity(f.severity),
                        message: f.message,
                        position: f.file.map(|file| wit_types::Position {
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

        export!($guest);
    };
}
