//! Checks against the Helm-generated template cases whose template is a direct use of this
//! crate (`toYaml` of a value, `toJson .Values`, `fromYaml` errors), so the YAML layer is
//! tested without the template engine.

use super::*;

struct Case {
    name: String,
    template: String,
    values: String,
    expect: Result<String, String>,
}

fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for chunk in text.split("### case: ").skip(1) {
        let name = chunk.lines().next().unwrap_or("").trim().to_string();
        let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
        for line in chunk.split('\n').skip(1) {
            if let Some(head) = line.strip_prefix("### ") {
                sections.push((head.trim().to_string(), Vec::new()));
            } else if let Some(s) = sections.last_mut() {
                s.1.push(line);
            }
        }
        let mut case = Case {
            name,
            template: String::new(),
            values: String::new(),
            expect: Ok(String::new()),
        };
        let n = sections.len();
        for (i, (head, mut lines)) in sections.into_iter().enumerate() {
            if i + 1 == n {
                while lines.last() == Some(&"") {
                    lines.pop();
                }
            }
            let body = lines.join("\n");
            match head.as_str() {
                "template" => case.template = body,
                "values" => case.values = body,
                "output" => case.expect = Ok(body),
                "error" => case.expect = Err(body),
                _ => {}
            }
        }
        cases.push(case);
    }
    cases
}

/// Helm's `toYaml` trims one trailing newline.
fn trim_nl(s: String) -> String {
    s.strip_suffix('\n').map(str::to_string).unwrap_or(s)
}

/// What this crate alone predicts for a case, or `None` when the template needs the engine.
fn predict(case: &Case) -> Option<Result<String, String>> {
    let values = match load_values(&format!("{}\n", case.values)) {
        Ok(v) => v,
        Err(e) => return Some(Err(format!("cannot load values.yaml: {e}"))),
    };
    let get = |k: &str| values.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let html = JsonStyle {
        escape_html: true,
        indent: None,
    };
    // Every case template ends with `|` so that outputs never end with a newline (which the
    // case format cannot keep).
    let template = case.template.strip_suffix('|')?;
    let out = match template {
        "{{ toYaml .Values.s }}" => trim_nl(to_string(&get("s"))),
        "{{ toYaml .Values.l }}" => trim_nl(to_string(&get("l"))),
        "{{ toYaml .Values }}" => trim_nl(to_string(&serde_json::Value::Object(values.clone()))),
        "{{ toYaml (dict \"k\" .Values.s) }}" => {
            trim_nl(to_string(&serde_json::json!({ "k": get("s") })))
        }
        "{{ toYaml .Values.n }}|{{ toYaml .Values }}" => format!(
            "{}|{}",
            trim_nl(to_string(&get("n"))),
            trim_nl(to_string(&serde_json::Value::Object(values.clone())))
        ),
        "{{ toJson .Values }}" => to_go_json(&serde_json::Value::Object(values.clone()), html),
        "{{ (fromYaml .Values.s).Error }}" => {
            let s = get("s");
            match from_str(s.as_str().unwrap_or("")) {
                Err(e) => e.sigs_message(),
                Ok(serde_json::Value::Object(_) | serde_json::Value::Null) => String::new(),
                Ok(other) => json_type_error(&other, "map[string]interface {}"),
            }
        }
        _ => return None,
    };
    Some(Ok(format!("{out}|")))
}

/// Cases this crate is known to get wrong (none at the moment).
const KNOWN_GAPS: &[&str] = &[];

fn check_file(name: &str) -> (usize, Vec<String>) {
    let path = format!(
        "{}/../../tests/template-cases/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (0, Vec::new());
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in parse_cases(&text) {
        if KNOWN_GAPS.contains(&case.name.as_str()) {
            continue;
        }
        let Some(got) = predict(&case) else {
            continue;
        };
        checked += 1;
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}\n      got {:?}",
                case.name, case.expect, got
            ));
        }
    }
    (checked, failures)
}

#[test]
fn helm_cases() {
    let mut all = Vec::new();
    let mut total = 0;
    for f in ["yaml-emit.txt", "yaml-parse.txt"] {
        let (n, failures) = check_file(f);
        total += n;
        all.extend(failures);
    }
    assert!(
        all.is_empty(),
        "{} of {total} cases differ:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn from_str_basics() {
    let v = from_str("a: 1\ny: yes\n1: x\nn:\n").unwrap();
    assert_eq!(
        v,
        serde_json::json!({"a": 1.0, "true": true, "1": "x", "false": null})
    );
    assert_eq!(from_str("").unwrap(), serde_json::Value::Null);
    assert_eq!(from_str("# c\n").unwrap(), serde_json::Value::Null);
    let e = from_str("a: b: c").unwrap_err();
    assert_eq!(
        e.to_string(),
        "yaml: mapping values are not allowed in this context"
    );
    assert_eq!(
        e.sigs_message(),
        "error converting YAML to JSON: yaml: mapping values are not allowed in this context"
    );
}

#[test]
fn typed_for_structs() {
    let v = from_str_typed("a: 1.10\nb: 12345678\nc: 1e3\nd: true\ne: 0777").unwrap();
    let s = |k: &str| go_string_of(&v[k]).unwrap();
    assert_eq!(
        [s("a"), s("b"), s("c"), s("d"), s("e")],
        ["1.1", "12345678", "1000", "true", "511"]
    );
}

#[test]
fn multi_documents() {
    let docs = from_str_multi("a: 1\n---\nb: 2\n--- # c\n\n").unwrap();
    assert_eq!(docs.len(), 3);
    let merged = load_values("a: {x: 1}\n---\na: {z: 2}\nb: 1\n").unwrap();
    assert_eq!(
        serde_json::Value::Object(merged),
        serde_json::json!({"a": {"x": 1.0, "z": 2.0}, "b": 1.0})
    );
    assert!(load_values("--- x\n").unwrap_err().contains("separator"));
}

#[test]
fn no_panics_on_odd_input() {
    for s in [
        "\u{feff}",
        "\t",
        "&a [*a]",
        "? ? ?",
        "- - - -",
        "{",
        "]",
        "!!",
        "!<>",
        "*",
        "&",
        "%",
        "'\\",
        "\"\\x",
        "|\n\t",
        ">-9",
        "a: !!binary =",
        "<<: 1",
        "<<: [1]",
    ] {
        let _ = from_str(s);
        let _ = from_str_multi(s);
    }
    let deep = "[".repeat(20_000);
    assert!(from_str(&deep).is_err());
}

/// A small deterministic generator for the property tests below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// Pieces of text. Left out on purpose: NEL/LS/PS (go-yaml folds them on reading, so its
    /// own output does not read back either) and `<<` (go-yaml writes it plain and reads it
    /// back as a merge key).
    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "b", "Z", "0", "1", "9", ".", "-", "+", "_", ":", " ", "  ", "#", "'", "\"", "\\",
            "\n", "\t", "\r", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`",
            "~", "é", "日", "\u{feff}", "😀", "yes", "null", "0x1F", "1e3", ".inf", "---", "...",
            "=", "\u{7f}", "\u{0}",
        ];
        let n = self.next(8);
        (0..n).map(|_| PIECES[self.next(PIECES.len())]).collect()
    }

    fn value(&mut self, depth: usize) -> serde_json::Value {
        use serde_json::Value as J;
        match self.next(if depth > 3 { 5 } else { 7 }) {
            0 => J::Null,
            1 => J::Bool(self.next(2) == 0),
            2 => {
                let f = [0.0, 1.0, -2.5, 1e6, 1e21, 1e-7, 123456789.0, 0.1, 1e300][self.next(9)];
                serde_json::Number::from_f64(f).map_or(J::Null, J::Number)
            }
            3 | 4 => J::String(self.string()),
            5 => J::Array((0..self.next(4)).map(|_| self.value(depth + 1)).collect()),
            _ => J::Object(
                (0..self.next(4))
                    .map(|_| (self.string(), self.value(depth + 1)))
                    .collect(),
            ),
        }
    }
}

/// Whatever `to_string` writes reads back as the same value (numbers as float64), as it
/// does with go-yaml: the quoting decisions are sound.
#[test]
fn emit_then_parse_round_trips() {
    let mut g = Lcg(7);
    for _ in 0..3000 {
        let v = g.value(0);
        let text = to_string(&v);
        let back = from_str(&text).unwrap_or_else(|e| panic!("{e} for {text:?}"));
        assert_eq!(back, v, "text: {text:?}");
    }
}

#[test]
fn random_input_never_panics() {
    let mut g = Lcg(11);
    for _ in 0..5000 {
        let s: String = (0..g.next(6)).map(|_| g.string()).collect();
        let _ = from_str(&s);
        let _ = load_values(&s);
    }
}

/// Repeated keys, each shape checked against Helm 4.1.4 (`toJson .Values` of a values file
/// given with `-f`, and `fromYaml` of a chart file): go-yaml v2's non-strict decoder lets the
/// later value win without an error, whole (maps are replaced, not merged); a merge key `<<`
/// writes its map's pairs over the keys before it, and of a merged list the first map wins.
#[test]
fn repeated_keys_as_helm() {
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "a: 1\nb: 2\na: 3\n",
            serde_json::json!({"a": 3.0, "b": 2.0}),
        ),
        (
            "m: {x: 1, y: 2}\nm: {z: 3}\n",
            serde_json::json!({"m": {"z": 3.0}}),
        ),
        // `n` is a YAML 1.1 boolean: both keys are `false`.
        (
            "n: {a: 1}\nn: {b: 2}\n",
            serde_json::json!({"false": {"b": 2.0}}),
        ),
        (
            "b: &b {p: 1, q: 2}\nm: {p: 0, <<: *b, r: 3}\n",
            serde_json::json!({"b": {"p": 1.0, "q": 2.0}, "m": {"p": 1.0, "q": 2.0, "r": 3.0}}),
        ),
        (
            "b: &b {p: 1, q: 2}\nm: {<<: *b, p: 9}\n",
            serde_json::json!({"b": {"p": 1.0, "q": 2.0}, "m": {"p": 9.0, "q": 2.0}}),
        ),
        (
            "m:\n  <<: [{p: 1, s: 1}, {p: 2, t: 2}]\n  q: 7\n  q: 8\n",
            serde_json::json!({"m": {"p": 1.0, "q": 8.0, "s": 1.0, "t": 2.0}}),
        ),
        (
            "b: &x {c: 1}\nd: {<<: *x, c: 2, <<: {c: 5}}\n",
            serde_json::json!({"b": {"c": 1.0}, "d": {"c": 5.0}}),
        ),
        // Go's map assignment stores the later key: -0.0 replaces 0.0.
        (
            "z: {0.0: a, -0.0: b}\n",
            serde_json::json!({"z": {"-0": "b"}}),
        ),
        // Two NaN keys are two Go keys; their JSON names collide and the later one is kept.
        (
            "a: {.nan: a, .NaN: b}\n",
            serde_json::json!({"a": {".nan": "b"}}),
        ),
    ];
    for (src, want) in cases {
        assert_eq!(&from_str(src).unwrap(), want, "for {src:?}");
    }
}

/// The same rules in a map big enough to be indexed by hash (Helm's output for this file).
#[test]
fn repeated_keys_in_a_wide_map() {
    let mut src = String::from("big:\n");
    for i in 0..40 {
        src.push_str(&format!("  k{i:02}: {i}\n"));
    }
    src.push_str("  k05: again\n  <<: {k01: merged, new: 1}\n  k39: last\n");
    src.push_str("  <<: [{k02: first}, {k02: second, k03: s3}]\n");
    let got = from_str(&src).unwrap();
    let big = got["big"].as_object().unwrap();
    assert_eq!(big.len(), 41);
    for i in 0..40 {
        let want = match i {
            1 => serde_json::json!("merged"),
            2 => serde_json::json!("first"),
            3 => serde_json::json!("s3"),
            5 => serde_json::json!("again"),
            39 => serde_json::json!("last"),
            i => serde_json::json!(i as f64),
        };
        assert_eq!(big[&format!("k{i:02}")], want, "k{i:02}");
    }
    assert_eq!(big["new"], serde_json::json!(1.0));
}

/// The checks go-yaml makes that yaml-rust2 does not (a `\/` escape, a tab in a block
/// scalar's indentation) name the line of the problem after many scalars of their kind, as
/// Helm does for these files.
#[test]
fn late_scalar_errors_name_their_line() {
    let mut src: String = (0..2000).map(|i| format!("k{i}: \"v é {i}\"\n")).collect();
    src.push_str("bad: \"a\\/b\"\n");
    assert_eq!(
        load_values(&src).unwrap_err(),
        "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2001: found unknown escape character"
    );
    let mut src: String = (0..500)
        .map(|i| format!("b{i}: |\n  line é\n  two\n"))
        .collect();
    src.push_str("bad: |\n  x\n\ty\nmore: \"a\\/b\"\n");
    assert_eq!(
        load_values(&src).unwrap_err(),
        "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1503: found a tab character where an indentation space is expected"
    );
}

/// A tab after a block scalar's indentation is content, as go-yaml reads it (kubecost's
/// dashboards are JSON with tabs put in with `nindent`); a tab where the indentation of its
/// first line is expected is an error there.
#[test]
fn tabs_in_block_scalars_as_go_yaml() {
    let v = crate::from_str("data:\n  a: |\n    x\n    \ty\n  b: >-\n    p\n\n    \tq\n")
        .expect("tab after the indentation is content");
    assert_eq!(v["data"]["a"], "x\n\ty\n");
    assert_eq!(v["data"]["b"], "p\n\n\tq");
    let e = crate::from_str("a: |\n    \tx\n").expect_err("tab before the first line's content");
    assert_eq!(
        e.message,
        "yaml: line 2: found a tab character where an indentation space is expected"
    );
}
