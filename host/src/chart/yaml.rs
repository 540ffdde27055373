//! The one place chart and values code reads YAML: through `rudder-yaml`, which reads YAML 1.1
//! the way Helm does (go-yaml v2 through sigs.k8s.io/yaml) and hands back JSON values.

use serde_json::Value;

/// A YAML syntax error with its position (1-based line and column) and go-yaml's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{display}")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// go-yaml's rendering, e.g. `yaml: line 4: did not find expected node content`.
    pub display: String,
}

impl YamlError {
    /// ` (line L, column C)` when the position is known and the message does not say it.
    pub fn position(&self) -> String {
        if self.line == 0 || self.display.contains("line ") {
            String::new()
        } else if self.column == 0 {
            format!(" (line {})", self.line)
        } else {
            format!(" (line {}, column {})", self.line, self.column)
        }
    }
}

impl From<rudder_yaml::Error> for YamlError {
    fn from(e: rudder_yaml::Error) -> Self {
        YamlError {
            line: e.line,
            column: e.column,
            message: e.message.clone(),
            display: e.to_string(),
        }
    }
}

fn utf8(data: &[u8]) -> Result<&str, YamlError> {
    std::str::from_utf8(data).map_err(|e| {
        let line = data[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        YamlError {
            line,
            column: 0,
            message: "invalid UTF-8".into(),
            display: format!("yaml: line {line}: invalid UTF-8"),
        }
    })
}

/// Parses one YAML document (what `sigs.k8s.io/yaml.Unmarshal` reads: the first document)
/// for a Go struct: integers stay integers (see `rudder_yaml::go_string_of`).
pub fn parse(data: &[u8]) -> Result<Value, YamlError> {
    Ok(rudder_yaml::from_str_typed(utf8(data)?)?)
}

/// Parses every document of a YAML stream.
pub fn parse_multi(data: &[u8]) -> Result<Vec<Value>, YamlError> {
    Ok(rudder_yaml::from_str_multi(utf8(data)?)?)
}
