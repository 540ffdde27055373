"""Evaluates conftest-style policies with the real OPA (the `opa-golib-python-bindings`
package, which embeds OPA's Go engine), following conftest's algorithm:

- the namespaces are the given ones, or every module's package;
- the rules of a namespace are its rules named ^(deny|violation)(_[a-zA-Z0-9]+)*$ or
  ^warn(_[a-zA-Z0-9]+)*$ (found here by their name at the start of a line);
- a rule is skipped when `data.<ns>.exception[_][_] == "<name without its prefix>"` holds;
- its value must be a list; a string item is a message, an object item must have a string
  `msg` and its other fields are its metadata.

Reads {"cases": [{"id", "modules": [{path, text}], "data": [{path, text}], "input",
"namespaces": [..] | null}]} on stdin and writes {"<id>": {"decisions": [...]} | {"error":
"..."}} on stdout. OPA runs with strict built-in errors (the bindings' setting); any OPA
error is reported as the case's error.
"""

import json
import re
import sys

import yaml
from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

FAILURE = re.compile(r"^(deny|violation)(_[a-zA-Z0-9]+)*$")
WARNING = re.compile(r"^warn(_[a-zA-Z0-9]+)*$")
HEAD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\b")
PACKAGE = re.compile(r"^package\s+([A-Za-z0-9_.]+)", re.M)


def kind_of(rule):
    if FAILURE.match(rule):
        return "Violation" if rule.startswith("violation") else "Deny"
    if WARNING.match(rule):
        return "Warn"
    return None


def strip_prefix(rule):
    if rule in ("deny", "violation", "warn"):
        return ""
    for p in ("violation_", "deny_", "warn_"):
        if rule.startswith(p):
            rule = rule[len(p):]
    return rule


def load_data(doc):
    if doc["path"].endswith(".json"):
        return json.loads(doc["text"])
    return yaml.safe_load(doc["text"])


def run_case(case):
    engine = OpaEngine()
    engine.print_handler = lambda *_: None
    rules = {}
    order = []
    for m in case["modules"]:
        engine.add_policy(m["path"], m["text"])
        ns = PACKAGE.search(m["text"]).group(1)
        if ns not in rules:
            rules[ns] = []
            order.append(ns)
        for line in m["text"].splitlines():
            head = HEAD.match(line)
            if head and head.group(1) not in ("package", "import", "default"):
                name = head.group(1)
                if kind_of(name) and name.lower() not in [r.lower() for r in rules[ns]]:
                    rules[ns].append(name)
    for d in case["data"]:
        doc = load_data(d)
        if doc is not None:
            engine.add_data(doc)
    namespaces = case["namespaces"] if case["namespaces"] is not None else order
    decisions = []
    for ns in namespaces:
        for rule in rules.get(ns, []):
            query = 'data.%s.exception[_][_] == "%s"' % (ns, strip_prefix(rule))
            if engine.eval_query(query, input=case["input"]):
                continue
            try:
                value = engine.eval_document("%s.%s" % (ns, rule), input=case["input"])
            except OpaUndefinedError:
                continue
            if not isinstance(value, list):
                continue
            for item in value:
                d = {"kind": kind_of(rule), "namespace": ns, "rule": rule}
                if isinstance(item, str):
                    d.update(message=item, metadata=None)
                elif isinstance(item, dict):
                    msg = item.get("msg")
                    if not isinstance(msg, str):
                        raise OpaError("message", "an object message must have a string msg")
                    meta = {k: v for k, v in item.items() if k != "msg"}
                    d.update(message=msg, metadata=meta or None)
                else:
                    continue
                decisions.append(d)
    engine.close()
    return decisions


def main():
    request = json.load(sys.stdin)
    out = {}
    for case in request["cases"]:
        try:
            out[case["id"]] = {"decisions": run_case(case)}
        except OpaError as e:
            out[case["id"]] = {"error": str(e)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
