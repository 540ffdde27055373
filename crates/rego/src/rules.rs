//! What conftest reads from the modules (their package and rule names) and from the values
//! of the rules it queries.

use serde_json::Value as Json;

use crate::{Decision, Error, Kind, RegoVersion, Source};

/// What one module declares.
pub(crate) struct Parsed {
    /// `main`, `k8s.apps`.
    pub package: String,
    /// The names of its rules whose head is a plain name, in source order.
    pub rules: Vec<String>,
    /// Byte ranges of the collections of its `some .. in` literals.
    pub some_in_collections: Vec<(usize, usize)>,
    /// Check rules whose value is `true` (`deny if { ... }`), with their line.
    pub boolean_checks: Vec<(String, u32)>,
}

/// conftest's `^(deny|violation)(_[a-zA-Z0-9]+)*$` and `^warn(_[a-zA-Z0-9]+)*$`.
pub(crate) fn kind_of(name: &str) -> Option<Kind> {
    let (kind, rest) = if let Some(rest) = name.strip_prefix("deny") {
        (Kind::Deny, rest)
    } else if let Some(rest) = name.strip_prefix("violation") {
        (Kind::Violation, rest)
    } else if let Some(rest) = name.strip_prefix("warn") {
        (Kind::Warn, rest)
    } else {
        return None;
    };
    if rest.is_empty() {
        return Some(kind);
    }
    let rest = rest.strip_prefix('_')?;
    rest.split('_')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(kind)
}

/// Parses one module on its own, for its package, rule names and `some .. in` collections.
pub(crate) fn parse(module: &Source, version: RegoVersion) -> Result<Parsed, Error> {
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(version == RegoVersion::V0);
    engine
        .add_policy(module.path.clone(), module.text.clone())
        .map_err(|e| crate::error::parse_error(&module.path, &e))?;
    let internal = |message: String| Error::Parse {
        path: module.path.clone(),
        line: 0,
        column: 0,
        message,
    };
    let ast = engine
        .get_ast_as_json()
        .map_err(|e| internal(e.to_string()))?;
    let ast: Json = serde_json::from_str(&ast).map_err(|e| internal(e.to_string()))?;
    let module_ast = &ast[0]["ast"];
    let package = ref_path(&module_ast["package"]["refr"])
        .ok_or_else(|| internal("package name not understood".to_string()))?;
    let mut rules = Vec::new();
    let mut boolean_checks = Vec::new();
    if let Some(list) = module_ast["rules"].as_array() {
        for rule in list {
            if let Some(name) = rule_name(rule) {
                rules.push(name);
            }
            if let Some(check) = boolean_check(rule) {
                boolean_checks.push(check);
            }
        }
    }
    let mut some_in_collections = Vec::new();
    collect_some_in(module_ast, &mut some_in_collections);
    Ok(Parsed {
        package,
        rules,
        some_in_collections,
        boolean_checks,
    })
}

/// The single variant of an AST enum value: `{"Var": {...}}` → ("Var", {...}).
fn variant(v: &Json) -> Option<(&str, &Json)> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    obj.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// A package reference (`a.b["c"]`) as a dotted path.
fn ref_path(expr: &Json) -> Option<String> {
    let (kind, body) = variant(expr)?;
    match kind {
        "Var" => body["value"].as_str().map(str::to_string),
        "RefDot" => {
            let base = ref_path(&body["refr"])?;
            let field = body["field"].get(1)?.as_str()?;
            Some(format!("{base}.{field}"))
        }
        "RefBrack" => {
            let base = ref_path(&body["refr"])?;
            let (ik, ib) = variant(&body["index"])?;
            (ik == "String").then_some(())?;
            Some(format!("{base}.{}", ib["value"].as_str()?))
        }
        _ => None,
    }
}

/// The name of a rule whose head is a plain variable (`deny contains msg`, `deny[msg]`,
/// `warn := ...`, `default deny := ...`): what OPA's `Head.Name` holds.
fn rule_name(rule: &Json) -> Option<String> {
    let (kind, body) = variant(rule)?;
    let refr = match kind {
        "Spec" => {
            let (_, head) = variant(&body["head"])?;
            &head["refr"]
        }
        "Default" => &body["refr"],
        _ => return None,
    };
    let (rk, rb) = variant(refr)?;
    (rk == "Var").then(|| rb["value"].as_str().map(str::to_string))?
}

/// A rule named like a check whose value is `true`: `deny if { ... }` or `deny := true if`,
/// which conftest refuses to load (a v1 `if` without `contains` makes a boolean, not a set).
fn boolean_check(rule: &Json) -> Option<(String, u32)> {
    let (kind, body) = variant(rule)?;
    (kind == "Spec").then_some(())?;
    let (head_kind, head) = variant(&body["head"])?;
    (head_kind == "Compr").then_some(())?;
    let (rk, rb) = variant(&head["refr"])?;
    let name = match rk {
        "Var" => rb["value"].as_str()?,
        "RefDot" | "RefBrack" => {
            let mut base = &rb["refr"];
            loop {
                let (k, b) = variant(base)?;
                if k == "Var" {
                    break b["value"].as_str()?;
                }
                base = &b["refr"];
            }
        }
        _ => return None,
    };
    kind_of(name)?;
    let is_true = match &head["assign"] {
        Json::Null => true,
        assign => variant(&assign["value"])
            .is_some_and(|(k, v)| k == "Bool" && v["value"] == Json::Bool(true)),
    };
    let line = u32::try_from(head["span"]["line"].as_u64()?).ok()?;
    is_true.then(|| (name.to_string(), line))
}

fn collect_some_in(v: &Json, out: &mut Vec<(usize, usize)>) {
    match v {
        Json::Object(obj) => {
            if let Some(some_in) = obj.get("SomeIn")
                && let Some((_, coll)) = variant(&some_in["collection"])
                && let (Some(start), Some(end)) =
                    (coll["span"]["start"].as_u64(), coll["span"]["end"].as_u64())
                && let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end))
            {
                out.push((start, end));
            }
            for child in obj.values() {
                collect_some_in(child, out);
            }
        }
        Json::Array(items) => {
            for child in items {
                collect_some_in(child, out);
            }
        }
        _ => {}
    }
}

/// conftest's exception query, `data.<ns>.exception[_][_] == "<rule without its prefix>"`.
pub(crate) fn excepted(
    engine: &mut regorus::Engine,
    namespace: &str,
    rule: &str,
) -> Result<bool, Error> {
    let value = engine
        .eval_rule(format!("data.{namespace}.exception"))
        .map_err(|e| Error::Eval {
            namespace: namespace.to_string(),
            rule: "exception".to_string(),
            message: crate::error::clean(&e),
        })?;
    let name = strip_kind(rule);
    let json = to_json(&value);
    Ok(members(&json).any(|inner| members(inner).any(|v| v.as_str() == Some(name))))
}

/// conftest's `removeRulePrefix`: `deny_foo` → `foo`, `deny` → ``.
fn strip_kind(rule: &str) -> &str {
    if matches!(rule, "deny" | "violation" | "warn") {
        return "";
    }
    let rule = rule.strip_prefix("violation_").unwrap_or(rule);
    let rule = rule.strip_prefix("deny_").unwrap_or(rule);
    rule.strip_prefix("warn_").unwrap_or(rule)
}

/// What `x[_]` iterates: the elements of an array (or set), the values of an object.
fn members(v: &Json) -> Box<dyn Iterator<Item = &Json> + '_> {
    match v {
        Json::Array(items) => Box::new(items.iter()),
        Json::Object(obj) => Box::new(obj.values()),
        _ => Box::new(std::iter::empty()),
    }
}

/// A regorus value as JSON, as OPA hands results to conftest (sets become arrays,
/// undefined becomes null).
fn to_json(v: &regorus::Value) -> Json {
    match v {
        regorus::Value::Undefined => Json::Null,
        v => serde_json::to_value(v).unwrap_or(Json::Null),
    }
}

/// The decisions in a rule's value, as conftest's `query` reads them.
pub(crate) fn decisions(
    value: &regorus::Value,
    kind: Kind,
    namespace: &str,
    rule: &str,
    out: &mut Vec<Decision>,
) -> Result<(), Error> {
    let Json::Array(items) = to_json(value) else {
        return Ok(());
    };
    for item in items {
        match item {
            Json::String(message) => out.push(Decision {
                kind,
                namespace: namespace.to_string(),
                rule: rule.to_string(),
                message,
                metadata: None,
            }),
            Json::Object(mut obj) => {
                let Some(Json::String(message)) = obj.remove("msg") else {
                    return Err(Error::Message {
                        namespace: namespace.to_string(),
                        rule: rule.to_string(),
                    });
                };
                out.push(Decision {
                    kind,
                    namespace: namespace.to_string(),
                    rule: rule.to_string(),
                    message,
                    metadata: (!obj.is_empty()).then_some(Json::Object(obj)),
                });
            }
            _ => {}
        }
    }
    Ok(())
}
