"""Joins what the crate made of each JSON body example (round_trip's lines)
with what a JSON Schema validator says of the example against its schema,
and prints the counts. Exits 1 when an example that is valid against its
schema does not decode, or does not come back equal.

    python3 check.py DOCUMENT EXAMPLES_JSON ROUND_TRIP_OUTPUT [--list]

OpenAPI 3.0 schemas are read as JSON Schema draft 4 with `nullable: true`
turned into `null` among the allowed types; 3.1 schemas are draft 2020-12.
Three differences are documented classes, counted but not failures:
- numbers compare by value (`1` equals `1.0`: a `number` field writes `1`
  back as `1.0`), and at single precision when that makes them equal (a
  `format: float` field is an `f32`, which writes `0.00743999984115362`
  back as `0.00744`, the same `f32`);
- a property that the crate's type for its object doesn't name is not kept
  (`unnamed_lost`): the structs keep only what the schema names, unless it
  declares `additionalProperties`;
- in an answer, an optional property sent as `null` comes back absent
  (`null_as_absent`): a type the client only reads has `Option<T>` for it,
  `None` for absent and `null` alike.
"""
import json
import struct
import sys
import urllib.parse

import jsonschema
import referencing
import referencing.jsonschema
import yaml


def load(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file) if path.endswith(".json") else yaml.safe_load(file)


def with_nulls(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema: `null` added to the types."""
    if isinstance(node, list):
        return [with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: with_nulls(value) for key, value in node.items()}
    if node.get("nullable") is True:
        node.pop("nullable")
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = node["enum"] + [None]
        else:
            return {"anyOf": [node, {"type": "null"}]}
    return node


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def at(document, pointer):
    node = document
    for token in pointer.split("/")[1:]:
        node = node[int(token)] if isinstance(node, list) else node[unescape(token)]
    return node


def target(reference):
    """A local `$ref`'s JSON pointer: a URI fragment, so percent-decoded."""
    return urllib.parse.unquote(reference[1:])


def ref_to(pointer):
    """A `$ref` to `pointer` in the document, as the validator reads it."""
    return {"$ref": "urn:document#" + urllib.parse.quote(pointer, safe="/~")}


def schema_pointer(document, example):
    """Where the example's schema is, as a JSON pointer (the body `$ref`s followed)."""
    operation = example["operation"]
    escape = lambda text: text.replace("~", "~0").replace("/", "~1")
    if example["body"] == "request":
        pointer = operation + "/requestBody"
    else:
        responses = at(document, operation + "/responses")
        key = next((k for k in responses if str(k).lower() == example["body"].lower()), example["body"])
        pointer = operation + "/responses/" + escape(str(key))
    body = at(document, pointer)
    while isinstance(body, dict) and "$ref" in body:
        pointer = target(body["$ref"])
        body = at(document, pointer)
    return pointer + "/content/" + escape(example["media_type"]) + "/schema"


def same(a, b):
    """Equal as JSON values, numbers by value."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        single = lambda number: struct.unpack("f", struct.pack("f", number))[0]
        return a == b or (abs(a) < 3e38 and abs(b) < 3e38 and single(a) == single(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def difference(a, b, path="$"):
    """Where two JSON values first differ, and how: for the report."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a:
                return f"{path}.{key}: added"
            if key not in b:
                return f"{path}.{key}: lost"
            found = difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(b)} items, was {len(a)}"
        for index, (x, y) in enumerate(zip(a, b)):
            found = difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if same(a, b) else f"{path}: {json.dumps(b)[:80]}, was {json.dumps(a)[:80]}"


def value_at(value, path):
    """The value at `path` (keys and indexes) inside `value`."""
    for step in path:
        value = value[step]
    return value


def losses(sent, back, path=()):
    """The object properties `back` left out of `sent`, as (path to the
    object, key); `None` if anything else differs."""
    if isinstance(sent, dict) and isinstance(back, dict):
        if not set(back) <= set(sent):
            return None
        found = [(path, key) for key in sent if key not in back]
        for key in back:
            inner = losses(sent[key], back[key], path + (key,))
            if inner is None:
                return None
            found += inner
        return found
    if isinstance(sent, list) and isinstance(back, list):
        if len(sent) != len(back):
            return None
        found = []
        for index, (x, y) in enumerate(zip(sent, back)):
            inner = losses(x, y, path + (index,))
            if inner is None:
                return None
            found += inner
        return found
    return [] if same(sent, back) else None


class Schemas:
    """The document's schemas, to ask which of them apply to a value."""

    def __init__(self, document, validator_class, registry):
        self.document, self.validator_class, self.registry = document, validator_class, registry

    def valid(self, pointer, instance):
        return self.validator_class(ref_to(pointer), registry=self.registry).is_valid(instance)

    def applying(self, pointer, instance, path, depth=0):
        """The pointers of the schemas that apply to the value at `path`
        inside `instance` (valid against the schema at `pointer`): `$ref`s,
        `allOf` parts and the union branches the value is valid against."""
        node = at(self.document, pointer)
        if depth > 64 or not isinstance(node, dict):
            return
        if "$ref" in node:
            yield from self.applying(target(node["$ref"]), instance, path, depth + 1)
            return
        for index, _ in enumerate(node.get("allOf", [])):
            yield from self.applying(f"{pointer}/allOf/{index}", instance, path, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            for index, _ in enumerate(node.get(keyword, [])):
                branch = f"{pointer}/{keyword}/{index}"
                if self.valid(branch, instance):
                    yield from self.applying(branch, instance, path, depth + 1)
        if not path:
            yield pointer
            return
        step, rest = path[0], path[1:]
        escape = lambda text: str(text).replace("~", "~0").replace("/", "~1")
        if isinstance(instance, dict) and step in node.get("properties", {}):
            yield from self.applying(f"{pointer}/properties/{escape(step)}", instance[step], rest, depth + 1)
        elif isinstance(instance, dict) and isinstance(node.get("additionalProperties"), dict):
            yield from self.applying(f"{pointer}/additionalProperties", instance[step], rest, depth + 1)
        elif isinstance(instance, list) and isinstance(node.get("items"), dict):
            yield from self.applying(f"{pointer}/items", instance[step], rest, depth + 1)

    def names(self, pointer, instance, path, key):
        """Whether a schema that applies to the object at `path` names `key`."""
        return any(
            key in at(self.document, applying).get("properties", {})
            for applying in self.applying(pointer, instance, path)
        )


def main():
    document_path, examples_path, outcomes_path = sys.argv[1:4]
    listing = "--list" in sys.argv
    document = load(document_path)
    version = str(document.get("openapi", ""))
    if version.startswith("3.0"):
        document, validator_class, spec = with_nulls(document), jsonschema.Draft4Validator, referencing.jsonschema.DRAFT4
    else:
        validator_class, spec = jsonschema.Draft202012Validator, referencing.jsonschema.DRAFT202012
    registry = referencing.Registry().with_resource("urn:document", spec.create_resource(document))
    schemas = Schemas(document, validator_class, registry)
    examples = load(examples_path)
    with open(outcomes_path, encoding="utf-8") as file:
        outcomes = [json.loads(line) for line in file if line.strip()]
    counts = {"examples": len(examples), "valid": 0, "invalid": 0, "unchecked": 0, "decoded": 0, "same": 0,
              "unnamed_lost": 0, "null_as_absent": 0}
    failures = []
    for example, outcome in zip(examples, outcomes):
        where = f'{example["operation"]} {example["body"]} {example["title"] or "example"}'
        try:
            pointer = schema_pointer(document, example)
            validator = validator_class(ref_to(pointer), registry=registry)
            errors = list(validator.iter_errors(example["value"]))
        except Exception as error:  # a schema the validator can't read
            counts["unchecked"] += 1
            if listing:
                print(f"  unchecked {where}: {type(error).__name__}: {str(error)[:200]}")
            continue
        if errors:
            counts["invalid"] += 1
            if listing:
                print(f"  invalid   {where}: {errors[0].message[:200]}")
            continue
        counts["valid"] += 1
        if not outcome.get("decoded"):
            failures.append(f"  NOT DECODED {where} as {example['rust_type']}: {outcome.get('error', '')[:300]}")
            continue
        counts["decoded"] += 1
        if "back" in outcome and same(outcome["back"], example["value"]):
            counts["same"] += 1
        else:
            lost = losses(example["value"], outcome.get("back"))
            # An answer's optional `null`s, which a type only read reads as absent.
            nulls = [
                (path, key) for path, key in lost or []
                if example["body"] != "request" and value_at(example["value"], path + (key,)) is None
            ]
            rest = [(path, key) for path, key in lost or [] if (path, key) not in nulls]
            named = [
                "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path) + f".{key}"
                for path, key in rest
                if schemas.names(pointer, example["value"], path, key)
            ]
            if lost is not None and lost and not rest:
                counts["null_as_absent"] += 1
                if listing:
                    print(f"  nulls     {where}: {', '.join(key for _, key in nulls)}")
            elif lost and not named:
                counts["unnamed_lost"] += 1
                if listing:
                    print(f"  unnamed   {where}: {', '.join(key for _, key in rest)}")
            elif named:
                failures.append(f"  NOT THE SAME {where} as {example['rust_type']}: lost {', '.join(named)}, which its schema names")
            else:
                change = difference(example["value"], outcome.get("back"))
                failures.append(f"  NOT THE SAME {where} as {example['rust_type']}: {change}")
    print(json.dumps(counts))
    for line in failures:
        print(line)
    sys.exit(1 if failures else 0)


main()
