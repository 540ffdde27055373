//! Rego policies evaluated as conftest evaluates them, on the regorus interpreter.
//!
//! A [`Policy`] is a set of `.rego` modules plus data documents (JSON or YAML, merged into
//! `data`). [`Policy::evaluate`] takes one object as `input` and queries, in every selected
//! namespace (package), each rule whose name conftest treats as a check: `deny`, `violation`
//! and `warn`, alone or with `_suffix`es (`deny_latest_tag`). A rule's value must be a set
//! (or array) of strings, or of objects with a string `msg`; any other value (a boolean rule,
//! a single string) yields nothing, as in conftest. conftest's `exception` rules are honoured.
//!
//! Where regorus and OPA disagree, this crate follows OPA (see [`compat`]).

mod compat;
mod data;
mod error;
mod rules;

use std::collections::BTreeMap;
use std::time::Duration;

pub use error::Error;

/// A named source text: a `.rego` module or a data document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// Where the text came from (`policy/deny.rego`); errors name it.
    pub path: String,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// The Rego syntax the modules are written in. conftest (0.56 and later) parses v1 unless
/// given `--rego-version v0`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegoVersion {
    /// OPA before 1.0: `deny[msg] { ... }`; `contains`/`if`/`in`/`every` need
    /// `import future.keywords` (or `import rego.v1`).
    V0,
    /// OPA 1.x: `deny contains msg if { ... }`.
    #[default]
    V1,
}

/// Which packages are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespaces {
    /// These packages, as conftest's `--namespace` names them (`main`, `k8s.apps`).
    List(Vec<String>),
    /// Every package of the modules (`--all-namespaces`).
    All,
}

impl Default for Namespaces {
    /// conftest's default: `main`.
    fn default() -> Self {
        Namespaces::List(vec!["main".to_string()])
    }
}

/// How a [`Policy`] is compiled and run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub rego_version: RegoVersion,
    pub namespaces: Namespaces,
    /// Fail the evaluation when a built-in function errors (OPA's `--strict-builtin-errors`).
    /// Off by default, as in conftest: the failing expression is then undefined.
    pub strict_builtin_errors: bool,
    /// Wall-clock budget of one [`Policy::evaluate`] call, checked cooperatively by the
    /// interpreter (regorus has no instruction counter). `None` for no limit.
    pub time_limit: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rego_version: RegoVersion::default(),
            namespaces: Namespaces::default(),
            strict_builtin_errors: false,
            time_limit: Some(Duration::from_secs(10)),
        }
    }
}

/// What kind of check a rule is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Kind {
    Deny,
    Violation,
    Warn,
}

impl Kind {
    /// The kind of a rule conftest evaluates (`^(deny|violation)(_[a-zA-Z0-9]+)*$`,
    /// `^warn(_[a-zA-Z0-9]+)*$`), `None` for every other name.
    pub fn of_rule(name: &str) -> Option<Kind> {
        rules::kind_of(name)
    }

    /// Whether conftest counts it as a failure (deny, violation) rather than a warning.
    pub fn is_failure(self) -> bool {
        !matches!(self, Kind::Warn)
    }
}

/// One message of one rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decision {
    pub kind: Kind,
    /// The package (`main`).
    pub namespace: String,
    /// The rule's name (`deny_latest_tag`).
    pub rule: String,
    pub message: String,
    /// The other fields of an object message (everything but `msg`); `None` for a string
    /// message or an object with `msg` alone.
    pub metadata: Option<serde_json::Value>,
}

/// Compiled modules and data, ready to judge inputs.
#[derive(Debug, Clone)]
pub struct Policy {
    engine: regorus::Engine,
    /// Namespace → its check rules, in the order conftest finds them; and whether it has an
    /// `exception` rule.
    checks: BTreeMap<String, Namespace>,
}

#[derive(Debug, Clone, Default)]
struct Namespace {
    rules: Vec<String>,
    has_exception: bool,
}

impl Policy {
    /// Parses `modules`, loads and merges `data` and selects the namespaces.
    pub fn compile(
        modules: &[Source],
        data: &[Source],
        options: &Options,
    ) -> Result<Policy, Error> {
        if modules.is_empty() {
            return Err(Error::NoModules);
        }
        let mut engine = new_engine(options);
        let mut found: BTreeMap<String, Namespace> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for module in modules {
            let parsed = rules::parse(module, options.rego_version)?;
            // conftest's own check (OPA issue 6509): a v1 `deny if` is a boolean that would
            // silently pass. v0's `deny { ... }` heads are named rules conftest lets through.
            if options.rego_version == RegoVersion::V1
                && let Some((rule, line)) = parsed.boolean_checks.first()
            {
                return Err(Error::BooleanCheck {
                    path: module.path.clone(),
                    line: *line,
                    rule: rule.clone(),
                });
            }
            let text = compat::rewrite(&module.text, &parsed.some_in_collections);
            engine
                .add_policy(module.path.clone(), text)
                .map_err(|e| error::parse_error(&module.path, &e))?;
            if !found.contains_key(&parsed.package) {
                order.push(parsed.package.clone());
            }
            let ns = found.entry(parsed.package).or_default();
            for rule in parsed.rules {
                if rule == "exception" {
                    ns.has_exception = true;
                } else if Kind::of_rule(&rule).is_some()
                    && !ns.rules.iter().any(|r| r.eq_ignore_ascii_case(&rule))
                {
                    ns.rules.push(rule);
                }
            }
        }
        engine
            .add_policy(
                compat::HELPER_PATH.to_string(),
                compat::helper(options.rego_version).to_string(),
            )
            .map_err(|e| error::parse_error(compat::HELPER_PATH, &e))?;
        let merged = data::merge(data)?;
        let value =
            regorus::Value::from_json_str(&merged.to_string()).map_err(|e| Error::Data {
                path: String::new(),
                message: e.to_string(),
            })?;
        engine.add_data(value).map_err(|e| Error::Data {
            path: String::new(),
            message: e.to_string(),
        })?;
        let selected: Vec<String> = match &options.namespaces {
            Namespaces::All => order,
            Namespaces::List(list) => list.clone(),
        };
        let checks = selected
            .into_iter()
            .map(|ns| {
                let rules = found.get(&ns).cloned().unwrap_or_default();
                (ns, rules)
            })
            .collect();
        Ok(Policy { engine, checks })
    }

    /// The namespaces that [`Policy::evaluate`] checks.
    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.checks.keys().map(String::as_str)
    }

    /// The check rules of a namespace (`deny`, `warn_tags`...).
    pub fn rules(&self, namespace: &str) -> &[String] {
        self.checks
            .get(namespace)
            .map_or(&[], |n| n.rules.as_slice())
    }

    /// Judges one object. Decisions come sorted by namespace, rule, kind, message and metadata.
    pub fn evaluate(&self, input: &serde_json::Value) -> Result<Vec<Decision>, Error> {
        let mut engine = self.engine.clone();
        let input =
            regorus::Value::from_json_str(&input.to_string()).map_err(|e| Error::Input {
                message: e.to_string(),
            })?;
        engine.set_input(input);
        let mut decisions = Vec::new();
        for (namespace, ns) in &self.checks {
            for rule in &ns.rules {
                let Some(kind) = Kind::of_rule(rule) else {
                    continue;
                };
                if ns.has_exception && rules::excepted(&mut engine, namespace, rule)? {
                    continue;
                }
                let value = engine
                    .eval_rule(format!("data.{namespace}.{rule}"))
                    .map_err(|e| Error::Eval {
                        namespace: namespace.clone(),
                        rule: rule.clone(),
                        message: error::clean(&e),
                    })?;
                rules::decisions(&value, kind, namespace, rule, &mut decisions)?;
            }
        }
        decisions.sort_by(|a, b| {
            (&a.namespace, &a.rule, a.kind, &a.message)
                .cmp(&(&b.namespace, &b.rule, b.kind, &b.message))
                .then_with(|| {
                    let ma = a.metadata.as_ref().map(|m| m.to_string());
                    let mb = b.metadata.as_ref().map(|m| m.to_string());
                    ma.cmp(&mb)
                })
        });
        Ok(decisions)
    }
}

fn new_engine(options: &Options) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(options.rego_version == RegoVersion::V0);
    engine.set_strict_builtin_errors(options.strict_builtin_errors);
    if let Some(limit) = options.time_limit
        && let Some(check_interval) = std::num::NonZeroU32::new(64)
    {
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit,
            check_interval,
        });
    }
    engine
}

#[cfg(test)]
mod tests;
