#!/usr/bin/env python3
"""Validate JSON documents against a JSON Schema, standard library only.

    validate.py SCHEMA DOC...

Implements the subset of JSON Schema (draft 2020-12) that pkgtrap's
schemas use: type, enum, const, required, properties, items, minimum,
maximum, minItems, $ref to "#/$defs/...". A schema using any other
assertion keyword is rejected, so the schema cannot silently rely on
something this checker ignores. Exit 0 when every document is valid, 1
otherwise, with one line per violation ("DOC: /json/pointer: what").
"""
import json
import sys

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "$defs"}
ASSERTIONS = {"type", "enum", "const", "required", "properties", "items",
              "minimum", "maximum", "minItems", "$ref"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(Exception):
    pass


def check_schema(s, where="#"):
    """Every keyword known, every type name known, recursively."""
    if not isinstance(s, dict):
        raise SchemaError(f"{where}: a schema must be an object")
    for k in s:
        if k not in ANNOTATIONS | ASSERTIONS:
            raise SchemaError(f"{where}: keyword {k!r} is not supported by this checker")
    t = s.get("type")
    for name in ([t] if isinstance(t, str) else t or []):
        if name not in TYPES:
            raise SchemaError(f"{where}: unknown type {name!r}")
    for k, sub in s.get("properties", {}).items():
        check_schema(sub, f"{where}/properties/{k}")
    for k, sub in s.get("$defs", {}).items():
        check_schema(sub, f"{where}/$defs/{k}")
    if "items" in s:
        check_schema(s["items"], f"{where}/items")


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SchemaError(f"only local $ref are supported: {ref}")
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def same(a, b):
    # JSON equality: 1 is not true, 1 equals 1.0.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def validate(root, s, v, path, errors):
    if "$ref" in s:
        validate(root, resolve(root, s["$ref"]), v, path, errors)
    if "type" in s:
        types = [s["type"]] if isinstance(s["type"], str) else s["type"]
        if not any(TYPES[t](v) for t in types):
            errors.append(f"{path or '/'}: {json.dumps(v)[:80]} is not {' or '.join(types)}")
            return
    if "const" in s and not same(v, s["const"]):
        errors.append(f"{path or '/'}: {json.dumps(v)[:80]} is not {json.dumps(s['const'])}")
    if "enum" in s and not any(same(v, e) for e in s["enum"]):
        errors.append(f"{path or '/'}: {json.dumps(v)[:80]} is not one of {s['enum']}")
    if TYPES["number"](v):
        if "minimum" in s and v < s["minimum"]:
            errors.append(f"{path}: {v} < {s['minimum']}")
        if "maximum" in s and v > s["maximum"]:
            errors.append(f"{path}: {v} > {s['maximum']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errors.append(f"{path or '/'}: required field {k!r} missing")
        for k, sub in s.get("properties", {}).items():
            if k in v:
                validate(root, sub, v[k], f"{path}/{k}", errors)
    if isinstance(v, list):
        if "minItems" in s and len(v) < s["minItems"]:
            errors.append(f"{path or '/'}: fewer than {s['minItems']} items")
        if "items" in s:
            for i, item in enumerate(v):
                validate(root, s["items"], item, f"{path}/{i}", errors)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    try:
        check_schema(schema)
    except SchemaError as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 2
    bad = 0
    for doc in argv[2:]:
        with open(doc) as f:
            try:
                v = json.load(f)
            except ValueError as e:
                print(f"{doc}: not JSON: {e}")
                bad += 1
                continue
        errors = []
        validate(schema, schema, v, "", errors)
        for e in errors:
            print(f"{doc}: {e}")
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
