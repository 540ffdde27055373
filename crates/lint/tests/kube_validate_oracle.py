#!/usr/bin/env python3
"""Oracle for tests/schema_oracle.rs: validates objects with the `kubernetes-validate` package.

Reads a JSON array of objects on stdin and the Kubernetes version as the first argument
(`1.35`); prints a JSON array with one verdict per object:
  {"verdict": "valid"}
  {"verdict": "invalid", "path": "spec.replicas", "message": "..."}   (the first error)
  {"verdict": "unknown"}                                             (no schema for the kind)
  {"verdict": "error", "message": "..."}                             (anything else)
Exits with status 3 when the module is not importable.
"""

import functools
import json
import sys

try:
    import kubernetes_validate
    from kubernetes_validate import utils
except ImportError as e:
    print("kubernetes_validate is not importable: %s" % e, file=sys.stderr)
    sys.exit(3)

# The package reads its schema files again for every object: keep what it read.
utils.schema_contents = functools.lru_cache(maxsize=None)(utils.schema_contents)


def verdict(obj, version):
    try:
        kubernetes_validate.validate(obj, version, strict=True)
        return {"verdict": "valid"}
    except utils.ValidationError as e:
        return {
            "verdict": "invalid",
            "path": ".".join(str(p) for p in e.path),
            "message": e.message,
        }
    except utils.SchemaNotFoundError:
        return {"verdict": "unknown"}
    except Exception as e:  # noqa: BLE001
        return {"verdict": "error", "message": "%s: %s" % (type(e).__name__, e)}


def main():
    version = sys.argv[1] if len(sys.argv) > 1 else "1.35"
    objects = json.load(sys.stdin)
    json.dump([verdict(obj, version) for obj in objects], sys.stdout)


if __name__ == "__main__":
    main()
