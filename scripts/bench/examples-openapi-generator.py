"""Helper of examples-openapi-generator.sh: maps the JSON body examples of
scripts/examples.sh to openapi-generator's Rust types, writes the program
that decodes them, and reports the counts next to ours.

    python3 examples-openapi-generator.py map DOCUMENT EXAMPLES_JSON LISTING CRATE WORK
    python3 examples-openapi-generator.py report DOCUMENT EXAMPLES_JSON OUR_OUTCOMES WORK CHECK_PY

LISTING is the folder of openapi-generator's run with the template of
examples-openapi-generator.sh: one `OP` line per operation, `RET` its return
type, `BODY`/`RESP` the request body and each response with the type the
client uses for it, and `BODYMT`/`RESPMT` each of their media types with the
Rust type openapi-generator declares for that media type's schema (after
its inline models are named and deduplicated). The type of an example is
the one of its own media type (`application/json`); the listing is checked
against CRATE's `src/apis` (return types, body parameters, error variants)
so that it describes the crate that is compiled. LISTING/src/models/mod.rs
lists each model it generates: `MODEL`, the schema's name, its Rust name.
Two schemas whose names make the same Rust name (the component
`simple-user` and the inline schemas titled `Simple User` in webhook
payloads, named `Simple_User`) get one model, the other schema's: such models are flagged ("collided") wherever an
example's type reaches them.
"""
import collections
import html
import json
import os
import re
import subprocess
import sys
import urllib.parse


def load_check(path):
    """scripts/examples/check.py's functions, without running its main()."""
    with open(path, encoding="utf-8") as file:
        source = file.read().rstrip()
    assert source.endswith("\nmain()"), "check.py no longer ends with main()"
    namespace = {"__name__": "check", "__file__": path}
    exec(compile(source[: -len("main()")], path, "exec"), namespace)
    return namespace


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def operation_key(pointer):
    """(METHOD, path with its parameters unnamed) of `/paths/~1x~1{y}/get`."""
    tokens = pointer.split("/")
    assert tokens[1] == "paths" and len(tokens) == 4, pointer
    return tokens[3].upper(), normal_path(unescape(tokens[2]))


def normal_path(path):
    return re.sub(r"\{[^}]*\}", "{}", path)


def parse_listing(folder):
    operations = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".rs") or name == "mod.rs":
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            lines = [html.unescape(line.rstrip("\n")) for line in file]
        operation = place = None
        for line in lines:
            if not line.strip():
                continue
            fields = line.split("\t")
            kind = fields[0]
            if kind == "OP":
                _, method, path, function, camel = fields
                operation = {"method": method, "path": path, "function": function, "camel": camel,
                             "return": None, "body": None, "responses": {}}
                key = (method, normal_path(path))
                assert key not in operations, f"two operations at {key}"
                operations[key] = operation
            elif kind == "RET":
                operation["return"] = fields[1] or None
            elif kind == "BODY":
                place = operation["body"] = {"type": fields[1], "primitive": fields[2] == "true",
                                             "container": fields[3] == "true", "string": fields[4] == "true",
                                             "media": {}}
            elif kind == "RESP":
                place = operation["responses"][fields[1]] = {"type": fields[2] or None, "is2xx": fields[3] == "true",
                                                             "enum": fields[4] == "true", "media": {}}
            elif kind in ("BODYMT", "RESPMT"):
                place["media"][fields[1]] = fields[2] or None
            else:
                raise ValueError(f"{name}: unexpected line {line!r}")
    return operations


def signature_check(operations, crate):
    """The listing against the crate's own `src/apis`: each function's return
    type, its body parameter's type and its error enum's variants."""
    text = ""
    folder = os.path.join(crate, "src", "apis")
    for name in sorted(os.listdir(folder)):
        if name.endswith("_api.rs"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                text += file.read()
    functions = {name: (params, returned, error) for name, params, returned, error in
                 re.findall(r"^pub async fn (\w+)\((.*)\) -> Result<(.*), Error<(\w+)>> \{$", text, re.M)}
    enums = {name: dict(re.findall(r"^    Status(\w+)\((.*)\),?$", body, re.M))
             for name, body in re.findall(r"^pub enum (\w+) \{\n(.*?)^\}", text, re.M | re.S)}
    problems = []
    for operation in operations.values():
        if operation["function"] not in functions:
            problems.append(f"{operation['function']}: not in the crate")
            continue
        params, returned, error = functions[operation["function"]]
        if returned != (operation["return"] or "()"):
            problems.append(f"{operation['function']}: returns {returned}, listing {operation['return']}")
        body = operation["body"]
        if body:
            declared = body["type"] if body["primitive"] or body["container"] else "models::" + body["type"]
            if f": {declared}" not in params and f": Option<{declared}>" not in params and not body["string"]:
                problems.append(f"{operation['function']}: no body parameter {declared} in ({params[:200]})")
        variants = enums.get(error, {})
        for code, response in operation["responses"].items():
            if code[0] in "45" and variants.get(code) != (response["type"] or ""):
                problems.append(f"{operation['function']}: Status{code}({variants.get(code)}), listing {response['type']}")
    return problems


def parse_models(path):
    """The models openapi-generator generated: schema name -> Rust name."""
    models = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "MODEL":
                models[fields[1]] = fields[2]
    return models


def camel(name):
    """openapi-generator's Rust name of a schema name, for the components that
    have no model of their own (checked: every component an example refers to
    that has a model is named so)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def collisions(document, models):
    """Rust name -> (the component that has no model, the schema whose model has its name)."""
    by_class = {}
    for name, class_name in models.items():
        by_class.setdefault(class_name.lower(), (class_name, name))
    lost = {}
    for name in document.get("components", {}).get("schemas", {}):
        if name not in models and camel(name).lower() in by_class:
            class_name, winner = by_class[camel(name).lower()]
            lost[class_name] = (name, winner)
    return lost


def model_graph(crate):
    """Rust name -> the model names its file refers to, from the crate's src/models."""
    folder = os.path.join(crate, "src", "models")
    with open(os.path.join(folder, "mod.rs"), encoding="utf-8") as file:
        files = dict((class_name, module) for module, class_name in re.findall(r"^pub use self::(\w+)::(\w+);", file.read(), re.M))
    graph = {}
    for class_name, module in files.items():
        with open(os.path.join(folder, module + ".rs"), encoding="utf-8") as file:
            graph[class_name] = set(re.findall(r"\bmodels::(\w+)", file.read())) - {class_name}
    return graph


def reached(type_, graph):
    seen, stack = set(), re.findall(r"\bmodels::(\w+)", type_)
    while stack:
        class_name = stack.pop()
        if class_name not in seen:
            seen.add(class_name)
            stack.extend(graph.get(class_name, ()))
    return seen


def schema_kind(check, document, example):
    pointer = check["schema_pointer"](document, example)
    schema = check["at"](document, pointer)
    if "$ref" in schema:
        return "component"
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return "array of component"
    return "inline"


# Types a JSON body can't be decoded into with serde_json (files, bytes).
NOT_JSON = re.compile(r"PathBuf|reqwest::|Vec<u8>|bytes::")


def command_map(document_path, examples_path, listing, crate, work):
    models = parse_models(os.path.join(listing, "src", "models", "mod.rs"))
    listing = os.path.join(listing, "src", "apis")
    check = load_check(os.path.join(os.path.dirname(__file__), "..", "examples", "check.py"))
    document = check["load"](document_path)
    examples = check["load"](examples_path)
    operations = parse_listing(listing)
    problems = signature_check(operations, crate)
    if problems:
        print(f"the listing doesn't describe {crate} ({len(problems)} differences), for example:", file=sys.stderr)
        for problem in problems[:10]:
            print("  " + problem, file=sys.stderr)
        sys.exit(1)
    lost = collisions(document, models)
    graph = model_graph(crate)
    mapping, cases, readers = [], [], {}
    for index, example in enumerate(examples):
        entry = {"index": index, "kind": schema_kind(check, document, example), "type": None, "client_type": None}
        operation = operations.get(operation_key(example["operation"]))
        if operation is None:
            entry["reason"] = "no such operation in openapi-generator's crate"
        elif example["body"] == "request":
            body = operation["body"]
            entry["type"] = body and body["media"].get(example["media_type"])
            if body:
                entry["client_type"] = body["type"] if body["primitive"] or body["container"] else "models::" + body["type"]
        else:
            codes = {code.lower(): code for code in operation["responses"]}
            response = operation["responses"].get(codes.get(example["body"].lower()))
            entry["type"] = response and response["media"].get(example["media_type"])
            if response:
                entry["client_type"] = (operation["return"] or "()") if response["is2xx"] else response["type"]
                entry["enum"] = response["enum"]
        if operation is not None and not entry["type"]:
            entry["reason"] = f"openapi-generator declares no type for its {example['media_type']} schema"
        elif entry["type"] and NOT_JSON.search(entry["type"]):
            entry["reason"] = f"openapi-generator's type {entry['type']} is not read from JSON"
        if entry["type"]:
            through = reached(entry["type"], graph)
            entry["collided"] = sorted(class_name for class_name in through if class_name in lost)
            top = re.findall(r"\bmodels::(\w+)", entry["type"])
            entry["collided_top"] = any(class_name in lost for class_name in top)
        if "reason" not in entry:
            reader = readers.setdefault(entry["type"], len(readers))
            cases.append({"index": index, "reader": reader, "value": example["value"]})
        mapping.append(entry)
    with open(os.path.join(work, "mapping.json"), "w", encoding="utf-8") as file:
        json.dump(mapping, file, indent=1)
    with open(os.path.join(work, "cases.json"), "w", encoding="utf-8") as file:
        json.dump(cases, file)
    rust = lambda type_: re.sub(r"\bmodels::", "openapi::models::", type_)
    program = PROGRAM_HEAD + "const READERS: &[fn(&str) -> serde_json::Value] = &[\n"
    program += "".join(f"    check::<{rust(type_)}>,\n" for type_ in readers)
    program += "];\n\nconst CHECKS: &[usize] = &[\n" + "".join(f"    {case['reader']},\n" for case in cases)
    program += "];\n" + PROGRAM_MAIN
    path = os.path.join(work, "round_trip.rs")
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != program:  # unchanged: not rebuilt
        with open(path, "w", encoding="utf-8") as file:
            file.write(program)
    with open(os.path.join(work, "collisions.json"), "w", encoding="utf-8") as file:
        json.dump(lost, file, indent=1, sort_keys=True)
    reasons = collections.Counter(entry["reason"] for entry in mapping if "reason" in entry)
    print(f"{len(lost)} components have no model of their own: their Rust name is another schema's model")
    print(f"mapped {len(cases)} of {len(examples)} examples to {len(readers)} openapi-generator types; not comparable: {dict(reasons) or 0}")


PROGRAM_HEAD = """//! Written by scripts/bench/examples-openapi-generator.py: each JSON body
//! example of GitHub's document that maps to a type of openapi-generator's
//! crate (the file named by the first argument), decoded with that type as
//! its client does (`serde_json::from_str`) and written back, one JSON line
//! each, as scripts/examples.sh's round trip does for ours.
#![allow(warnings)]

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> serde_json::Value {
    match serde_json::from_str::<T>(text) {
        Err(error) => serde_json::json!({"decoded": false, "error": error.to_string()}),
        // Written as text, as the client sends it: a `to_value` would widen `f32`s.
        Ok(value) => match serde_json::to_string(&value).and_then(|text| serde_json::from_str::<serde_json::Value>(&text)) {
            Ok(back) => serde_json::json!({"decoded": true, "back": back}),
            Err(error) => serde_json::json!({"decoded": true, "error": error.to_string()}),
        },
    }
}

"""

PROGRAM_MAIN = """
fn main() {
    let path = std::env::args().nth(1).expect("the cases' file");
    let text = std::fs::read_to_string(path).expect("the cases");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    assert_eq!(cases.len(), CHECKS.len(), "cases.json and the program are from different runs");
    for (case, check) in cases.iter().zip(CHECKS) {
        let mut line = READERS[*check](&case["value"].to_string());
        line["index"] = case["index"].clone();
        println!("{}", line);
    }
}
"""


def error_class(message):
    """A serde error without its position and particulars, to count by."""
    message = re.sub(r" at line \d+ column \d+$", "", message)
    message = re.sub(r"^invalid type: (string|integer|floating point) `?[^,]*`?, expected", r"invalid type: \1, expected", message)
    message = re.sub(r"^invalid value: (integer|string) `[^`]*`", r"invalid value: \1", message)
    message = re.sub(r"^unknown variant `[^`]*`", "unknown variant", message)
    return message


def run_check(check_py, document, examples, outcomes, work, label):
    examples_path = os.path.join(work, f"subset-{label}-examples.json")
    outcomes_path = os.path.join(work, f"subset-{label}-outcomes.jsonl")
    with open(examples_path, "w", encoding="utf-8") as file:
        json.dump(examples, file)
    with open(outcomes_path, "w", encoding="utf-8") as file:
        for outcome in outcomes:
            file.write(json.dumps(outcome) + "\n")
    result = subprocess.run([sys.executable, check_py, document, examples_path, outcomes_path],
                            capture_output=True, text=True)
    lines = result.stdout.splitlines()
    if not lines or not lines[0].startswith("{"):
        sys.exit(f"check.py failed on {label}: {result.stderr[-2000:]}")
    return json.loads(lines[0]), lines[1:]


def command_report(document_path, examples_path, ours_path, work, check_py):
    check = load_check(check_py)
    document = check["load"](document_path)
    examples = check["load"](examples_path)
    with open(ours_path, encoding="utf-8") as file:
        ours = [json.loads(line) for line in file if line.strip()]
    assert len(ours) == len(examples), "our outcomes and examples.json are from different runs"
    with open(os.path.join(work, "mapping.json"), encoding="utf-8") as file:
        mapping = json.load(file)
    theirs = {}
    with open(os.path.join(work, "outcomes.jsonl"), encoding="utf-8") as file:
        for line in file:
            outcome = json.loads(line)
            theirs[outcome.pop("index")] = outcome
    comparable = [entry for entry in mapping if "reason" not in entry]
    assert set(theirs) == {entry["index"] for entry in comparable}, "outcomes.jsonl and mapping.json are from different runs"

    # Validity, as check.py decides it.
    if str(document.get("openapi", "")).startswith("3.0"):
        schema_document, validator_class, spec = check["with_nulls"](document), check["jsonschema"].Draft4Validator, check["referencing"].jsonschema.DRAFT4
    else:
        schema_document, validator_class, spec = document, check["jsonschema"].Draft202012Validator, check["referencing"].jsonschema.DRAFT202012
    registry = check["referencing"].Registry().with_resource("urn:document", spec.create_resource(schema_document))

    def valid(example):
        try:
            pointer = check["schema_pointer"](schema_document, example)
            return validator_class(check["ref_to"](pointer), registry=registry).is_valid(example["value"])
        except Exception:
            return False

    valid_index = {index for index, example in enumerate(examples) if valid(example)}
    subset = [entry for entry in comparable if entry["index"] in valid_index]
    not_comparable = [entry for entry in mapping if "reason" in entry]

    # check.py's own counts on exactly the comparable examples, for both crates.
    picked = [examples[entry["index"]] for entry in comparable]
    ours_counts, _ = run_check(check_py, document_path, picked, [ours[e["index"]] for e in comparable], work, "ours")
    relabelled = [dict(example, rust_type=entry["type"]) for example, entry in zip(picked, comparable)]
    theirs_counts, theirs_failures = run_check(check_py, document_path, relabelled, [theirs[e["index"]] for e in comparable], work, "openapi-generator")
    assert ours_counts["valid"] == theirs_counts["valid"] == len(subset), (ours_counts, theirs_counts, len(subset))

    out = []
    say = out.append
    say(f"GitHub's document: {len(examples)} examples, {len(valid_index)} valid against their schemas (check.py).")
    say(f"Comparable (openapi-generator declares a JSON type for the example's schema): {len(comparable)} of {len(examples)}, "
        f"of which valid: {len(subset)} (of {len(valid_index)}).")
    kinds = collections.Counter(entry["kind"] for entry in subset)
    say(f"  their schemas: {kinds['component']} a component $ref, {kinds['array of component']} an array of one, {kinds['inline']} inline")
    value_only = sum(1 for entry in subset if entry["type"] == "serde_json::Value")
    say(f"  openapi-generator's type is serde_json::Value (decodes anything) for {value_only} of them")
    other_type = [entry for entry in subset if entry["client_type"] != entry["type"]]
    say(f"  for {len(other_type)} of them openapi-generator's client decodes the answer with another type "
        f"(the first media type's or the lowest 2xx status's); measured with the schema's own type")
    with open(os.path.join(work, "collisions.json"), encoding="utf-8") as file:
        lost = json.load(file)
    top = sum(1 for entry in subset if entry["collided_top"])
    nested = sum(1 for entry in subset if entry["collided"] and not entry["collided_top"])
    say(f"  {len(lost)} components have no model of their own: their Rust name is another schema's model "
        f"(e.g. {', '.join(f'{lost[c][0]} -> {c}, the model of {lost[c][1]!r}' for c in sorted(lost)[:2])}); "
        f"the type of {top} of the valid examples is such a model, {nested} more reach one inside")
    reasons = collections.Counter(entry["reason"] for entry in not_comparable)
    say(f"Not comparable: {len(not_comparable)} ({sum(1 for e in not_comparable if e['index'] in valid_index)} of them valid): "
        + "; ".join(f"{count} {reason}" for reason, count in reasons.most_common()))
    say("")
    say("| crate | valid examples decoded | the same | only unnamed lost |")
    say("| - | - | - | - |")
    for label, counts in (("kanuu-codegen", ours_counts), ("openapi-generator 7.26.0", theirs_counts)):
        say(f"| {label} | {counts['decoded']} of {counts['valid']} | {counts['same']} | {counts['unnamed_lost']} |")
    both = sum(1 for e in subset if ours[e["index"]].get("decoded") and theirs[e["index"]].get("decoded"))
    only_ours = sum(1 for e in subset if ours[e["index"]].get("decoded") and not theirs[e["index"]].get("decoded"))
    only_theirs = sum(1 for e in subset if not ours[e["index"]].get("decoded") and theirs[e["index"]].get("decoded"))
    say(f"Decoded by both {both}, only by ours {only_ours}, only by openapi-generator's {only_theirs}.")
    clean = [entry for entry in subset if not entry["collided"]]
    say(f"openapi-generator on the {len(clean)} valid examples whose type reaches no collided model: "
        f"{sum(1 for e in clean if theirs[e['index']].get('decoded'))} decoded "
        f"(ours {sum(1 for e in clean if ours[e['index']].get('decoded'))}), "
        f"{sum(1 for e in clean if theirs[e['index']].get('decoded') and check['same'](theirs[e['index']].get('back'), examples[e['index']]['value']))} the same "
        f"(ours {sum(1 for e in clean if ours[e['index']].get('decoded') and check['same'](ours[e['index']].get('back'), examples[e['index']]['value']))}; "
        f"the same here is strict: unnamed losses count as differences)")
    say("")

    # openapi-generator's failures, by class.
    classes = collections.defaultdict(list)
    for entry in subset:
        outcome, example = theirs[entry["index"]], examples[entry["index"]]
        where = f'{example["operation"]} {example["body"]} {example["title"] or "example"} as {entry["type"]}'
        if not outcome.get("decoded"):
            classes["not decoded: " + error_class(outcome.get("error", ""))].append((where, outcome.get("error", ""), bool(entry["collided"])))
    failures_not_same = [line.strip() for line in theirs_failures if line.strip().startswith("NOT THE SAME")]
    say(f"openapi-generator's failures on the valid examples: {sum(len(v) for v in classes.values())} not decoded "
        f"({sum(1 for v in classes.values() for item in v if item[2])} reach a collided model), "
        f"{len(failures_not_same)} decoded but not the same (check.py), by class "
        f"(in brackets: how many of them reach a collided model):")
    ordered = sorted(classes.items(), key=lambda item: -len(item[1]))
    for name, items in ordered[:14]:
        say(f"  {len(items):4} ({sum(1 for item in items if item[2])})  {name}")
        say(f"        e.g. {items[0][0]}: {items[0][1][:200]}")
    rest = [item for _, items in ordered[14:] for item in items]
    if rest:
        say(f"  {len(rest):4} ({sum(1 for item in rest if item[2])})  not decoded, {len(ordered) - 14} other classes (see {os.path.relpath(os.path.join(work, 'failures.txt'))})")
    with open(os.path.join(work, "failures.txt"), "w", encoding="utf-8") as file:
        for name, items in ordered:
            for where, error, collided in items:
                file.write(f"{name}\t{'collided' if collided else ''}\t{where}: {error}\n")
    # Decoded but not the same, as check.py tells them apart (its loop, per example).
    schemas = check["Schemas"](schema_document, validator_class, registry)
    not_same = collections.defaultdict(list)
    for entry in subset:
        outcome, example = theirs[entry["index"]], examples[entry["index"]]
        if not outcome.get("decoded") or ("back" in outcome and check["same"](outcome["back"], example["value"])):
            continue
        pointer = check["schema_pointer"](schema_document, example)
        lost = check["losses"](example["value"], outcome.get("back"))
        named = [".".join(map(str, path + (key,))) for path, key in lost or []
                 if schemas.names(pointer, example["value"], path, key)]
        if lost and not named:
            continue  # only unnamed lost
        where = f'{example["operation"]} {example["body"]} {example["title"] or "example"} as {entry["type"]}'
        if named:
            name, detail = "lost properties its schema names", "lost " + ", ".join(named[:6])
        else:
            detail = check["difference"](example["value"], outcome.get("back"))
            change = re.sub(r"^\$[^:]*: ", "", detail)
            name = "written back differently: " + re.sub(r'"[^"]*"', '"…"', change)[:50]
        not_same[name].append((where, detail, bool(entry["collided"])))
    assert sum(map(len, not_same.values())) == len(failures_not_same), "not check.py's count"
    for name, items in sorted(not_same.items(), key=lambda item: -len(item[1]))[:8]:
        say(f"  {len(items):4} ({sum(1 for item in items if item[2])})  not the same, {name}")
        say(f"        e.g. {items[0][0]}: {items[0][1][:200]}")
    report = "\n".join(out)
    print(report)
    results = os.path.join(work, "..", "results")
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "examples-openapi-generator.txt"), "w", encoding="utf-8") as file:
        file.write(report + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "map":
        command_map(*sys.argv[2:7])
    elif sys.argv[1] == "report":
        command_report(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
