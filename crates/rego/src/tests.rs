//! Expected decisions written by hand from OPA's and conftest's semantics.

use serde_json::json;

use crate::{Decision, Error, Kind, Namespaces, Options, Policy, RegoVersion, Source};

fn run(
    modules: &[(&str, &str)],
    input: serde_json::Value,
    options: &Options,
) -> Result<Vec<Decision>, Error> {
    let modules: Vec<Source> = modules.iter().map(|(p, t)| Source::new(*p, *t)).collect();
    Policy::compile(&modules, &[], options)?.evaluate(&input)
}

fn messages(d: &[Decision]) -> Vec<(Kind, &str, &str)> {
    d.iter()
        .map(|d| (d.kind, d.rule.as_str(), d.message.as_str()))
        .collect()
}

#[test]
fn rule_names_follow_conftest_regexps() {
    for (name, kind) in [
        ("deny", Some(Kind::Deny)),
        ("deny_foo", Some(Kind::Deny)),
        ("deny_foo_Bar9", Some(Kind::Deny)),
        ("violation", Some(Kind::Violation)),
        ("violation_x", Some(Kind::Violation)),
        ("warn", Some(Kind::Warn)),
        ("warn_a_b", Some(Kind::Warn)),
        ("denyfoo", None),
        ("deny_", None),
        ("deny__x", None),
        ("warning", None),
        ("deny-x", None),
        ("exception", None),
    ] {
        assert_eq!(Kind::of_rule(name), kind, "{name}");
    }
}

#[test]
fn some_in_null_yields_nothing_as_in_opa() {
    // regorus alone stops with "`some .. in collection` expects array/set/object".
    let policy = r#"package main
deny contains msg if {
	some c in input.spec.initContainers
	msg := c.name
}
deny contains "set" if {
	count({c | some c in input.spec.initContainers}) == 0
}
deny contains "not" if {
	not has_init
}
has_init if {
	some _ in input.spec.initContainers
}
warn contains msg if {
	some i, c in input.spec.containers
	msg := sprintf("%d %s", [i, c.name])
}
"#;
    let input = json!({"spec": {"initContainers": null, "containers": [{"name": "a"}]}});
    let d = run(&[("p.rego", policy)], input, &Options::default()).unwrap();
    assert_eq!(
        messages(&d),
        vec![
            (Kind::Deny, "deny", "not"),
            (Kind::Deny, "deny", "set"),
            (Kind::Warn, "warn", "0 a"),
        ]
    );
    let input = json!({"spec": {"initContainers": "text", "containers": 3}});
    let d = run(&[("p.rego", policy)], input, &Options::default()).unwrap();
    assert_eq!(
        messages(&d),
        vec![(Kind::Deny, "deny", "not"), (Kind::Deny, "deny", "set")]
    );
}

#[test]
fn raw_regorus_still_disagrees() {
    // Pins the disagreement the rewrite works around: when regorus follows OPA, drop it.
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(
            "p.rego".into(),
            "package p\nx contains c if { some c in input.n }\n".into(),
        )
        .unwrap();
    engine.set_input(regorus::Value::from_json_str(r#"{"n": null}"#).unwrap());
    assert!(engine.eval_rule("data.p.x".into()).is_err());
}

#[test]
fn object_messages_keep_their_other_fields() {
    let policy = r#"package main
violation contains {"msg": "m1", "severity": "high", "details": {"n": 1}} if true
violation contains {"msg": "m2"} if true
warn := "a single string is no decision"
"#;
    let d = run(&[("p.rego", policy)], json!({}), &Options::default()).unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].message, "m1");
    assert_eq!(
        d[0].metadata,
        Some(json!({"severity": "high", "details": {"n": 1}}))
    );
    assert_eq!(d[1].message, "m2");
    assert_eq!(d[1].metadata, None);
}

#[test]
fn object_message_without_msg_is_an_error() {
    let policy = "package main\ndeny contains {\"message\": \"x\"} if true\n";
    let err = run(&[("p.rego", policy)], json!({}), &Options::default()).unwrap_err();
    assert!(
        matches!(err, Error::Message { ref rule, .. } if rule == "deny"),
        "{err}"
    );
}

#[test]
fn namespaces_default_list_and_all() {
    let a = "package main\ndeny contains \"main\" if true\n";
    let b = "package k8s.apps\ndeny contains \"apps\" if true\nwarn contains \"apps\" if true\n";
    let c = "package other\nwarn_x contains \"other\" if true\n";
    let modules = [("a.rego", a), ("b.rego", b), ("c.rego", c)];
    let d = run(&modules, json!({}), &Options::default()).unwrap();
    assert_eq!(messages(&d), vec![(Kind::Deny, "deny", "main")]);
    let opts = Options {
        namespaces: Namespaces::List(vec!["other".into(), "k8s.apps".into()]),
        ..Options::default()
    };
    let d = run(&modules, json!({}), &opts).unwrap();
    let ns: Vec<&str> = d.iter().map(|d| d.namespace.as_str()).collect();
    assert_eq!(ns, vec!["k8s.apps", "k8s.apps", "other"]);
    let opts = Options {
        namespaces: Namespaces::All,
        ..Options::default()
    };
    assert_eq!(run(&modules, json!({}), &opts).unwrap().len(), 4);
}

#[test]
fn v0_syntax_needs_rego_version_v0() {
    let policy = "package main\n\ndeny[msg] {\n  input.kind == \"Pod\"\n  msg := \"no pods\"\n}\n";
    let err = run(
        &[("policy/deny.rego", policy)],
        json!({}),
        &Options::default(),
    )
    .unwrap_err();
    match err {
        Error::Parse {
            path, line, column, ..
        } => {
            assert_eq!((path.as_str(), line), ("policy/deny.rego", 3));
            assert!(column > 0);
        }
        other => panic!("{other}"),
    }
    let opts = Options {
        rego_version: RegoVersion::V0,
        ..Options::default()
    };
    let d = run(&[("p.rego", policy)], json!({"kind": "Pod"}), &opts).unwrap();
    assert_eq!(messages(&d), vec![(Kind::Deny, "deny", "no pods")]);
}

#[test]
fn exceptions_suppress_the_named_rule() {
    let policy = r#"package main
deny_image contains "image" if true
deny_tag contains "tag" if true
deny contains "plain" if true
exception contains ["image"] if input.skip
exception contains [""] if input.skip_plain
"#;
    let d = run(
        &[("p.rego", policy)],
        json!({"skip": true}),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        messages(&d),
        vec![
            (Kind::Deny, "deny", "plain"),
            (Kind::Deny, "deny_tag", "tag")
        ]
    );
    let d = run(
        &[("p.rego", policy)],
        json!({"skip_plain": true}),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        messages(&d),
        vec![
            (Kind::Deny, "deny_image", "image"),
            (Kind::Deny, "deny_tag", "tag")
        ]
    );
}

#[test]
fn builtin_errors_are_undefined_unless_strict() {
    let policy = "package main\ndeny contains \"n\" if { to_number(input.s) > 1 }\ndeny contains \"ok\" if true\n";
    let d = run(
        &[("p.rego", policy)],
        json!({"s": "abc"}),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(messages(&d), vec![(Kind::Deny, "deny", "ok")]);
    let strict = Options {
        strict_builtin_errors: true,
        ..Options::default()
    };
    let err = run(&[("p.rego", policy)], json!({"s": "abc"}), &strict).unwrap_err();
    assert!(
        matches!(err, Error::Eval { ref rule, .. } if rule == "deny"),
        "{err}"
    );
}

#[test]
fn eval_error_names_the_rule() {
    let policy = "package main\nwarn_conflict := 1 if true\nwarn_conflict := 2 if true\n";
    let err = run(&[("p.rego", policy)], json!({}), &Options::default()).unwrap_err();
    match err {
        Error::Eval {
            namespace, rule, ..
        } => assert_eq!(
            (namespace.as_str(), rule.as_str()),
            ("main", "warn_conflict")
        ),
        other => panic!("{other}"),
    }
}

#[test]
fn data_documents_merge_and_conflict() {
    let policy = "package main\ndeny contains r if { some r in data.registries.allowed; r == data.extra.x }\n";
    let modules = [Source::new("p.rego", policy)];
    let data = [
        Source::new("a.yaml", "registries:\n  allowed: [a, b]\n"),
        Source::new("b.json", r#"{"extra": {"x": "b"}}"#),
    ];
    let p = Policy::compile(&modules, &data, &Options::default()).unwrap();
    assert_eq!(
        messages(&p.evaluate(&json!({})).unwrap()),
        vec![(Kind::Deny, "deny", "b")]
    );
    let clash = [
        data[0].clone(),
        Source::new("c.json", r#"{"registries": {"allowed": []}}"#),
    ];
    let err = Policy::compile(&modules, &clash, &Options::default()).unwrap_err();
    assert!(
        matches!(err, Error::Data { ref path, .. } if path == "c.json"),
        "{err}"
    );
}

#[test]
fn a_runaway_policy_hits_the_time_limit() {
    let policy = "package main\ndeny contains x if { some x in numbers.range(1, 5000); some y in numbers.range(1, 5000); x + y < 0 }\n";
    let opts = Options {
        time_limit: Some(std::time::Duration::from_millis(200)),
        ..Options::default()
    };
    let started = std::time::Instant::now();
    let err = run(&[("p.rego", policy)], json!({}), &opts).unwrap_err();
    assert!(matches!(err, Error::Eval { .. }), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_boolean_check_rule_is_refused_as_conftest_does() {
    for policy in [
        "package main\n\ndeny if input.bad\n",
        "package main\n\ndeny_x := true if { input.bad }\n",
    ] {
        let err = run(&[("p.rego", policy)], json!({}), &Options::default()).unwrap_err();
        assert!(matches!(err, Error::BooleanCheck { line: 3, .. }), "{err}");
    }
    // Other booleans, and v0's `deny { ... }`, are fine (and yield nothing).
    let ok = "package main\n\nallow if input.ok\ndeny_msg := \"text\" if true\n";
    assert!(
        run(&[("p.rego", ok)], json!({}), &Options::default())
            .unwrap()
            .is_empty()
    );
    let v0 = Options {
        rego_version: RegoVersion::V0,
        ..Options::default()
    };
    let policy = "package main\n\ndeny { input.bad }\n";
    assert!(
        run(&[("p.rego", policy)], json!({"bad": true}), &v0)
            .unwrap()
            .is_empty()
    );
}
