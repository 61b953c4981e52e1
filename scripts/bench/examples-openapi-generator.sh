#!/usr/bin/env bash
# What real answers decode with openapi-generator's crate (7.26.0, -g rust)
# for GitHub's REST API (npm @octokit/openapi 23.0.2), set against ours on
# the same examples (BENCHMARKS.md section 6): the JSON body examples
# scripts/examples.sh lists, each decoded with openapi-generator's type for
# its schema (`serde_json::from_str`, as its client does) and written back,
# then counted by scripts/examples/check.py (valid against the schema,
# decoded, the same, only unnamed lost) on exactly the examples both crates
# have a type for, next to our outcomes from scripts/examples.sh.
#
# The type of an example comes from openapi-generator itself: a run with a
# template that lists, for each operation's request body and responses, the
# Rust type it declares for each media type's schema (inline models named
# and deduplicated as in its crate), checked against the crate's own
# src/apis (return types, body parameters, error variants). The program is
# an example added to a copy of the crate, in target/bench/examples-openapi-generator/
# (its build: several minutes, several GB). Results:
# target/bench/results/examples-openapi-generator.txt.
#
#   scripts/bench/install.sh && scripts/bench/check-github.sh   (or just install.sh: the crate is generated if missing)
#   scripts/examples.sh target/corpus/node_modules/@octokit/openapi/generated/api.github.com.json
#   scripts/bench/examples-openapi-generator.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/target/bench
work=$bench/examples-openapi-generator
github=$bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
cli=$bench/venv/bin/openapi-generator-cli
generated=$bench/check-github/openapi-generator
examples=$root/target/examples/api-github-com/out/examples.json
ours=$root/target/examples/api-github-com/outcomes.jsonl
helper=$root/scripts/bench/examples-openapi-generator.py
[ -x "$cli" ] && [ -f "$github" ] || scripts/bench/install.sh
if [ ! -f "$examples" ] || [ ! -f "$ours" ]; then
  echo "no outcomes of ours: run scripts/examples.sh target/corpus/node_modules/@octokit/openapi/generated/api.github.com.json first" >&2
  exit 1
fi
if [ -f target/corpus/node_modules/@octokit/openapi/generated/api.github.com.json ] &&
  ! cmp -s "$github" target/corpus/node_modules/@octokit/openapi/generated/api.github.com.json; then
  echo "target/corpus's and target/bench's api.github.com.json differ: our examples are of another document" >&2
  exit 1
fi
python3 -c 'import jsonschema, referencing, yaml' 2>/dev/null || python3 -m pip install --quiet jsonschema pyyaml
mkdir -p "$work"

# openapi-generator's crate, as scripts/bench/check-github.sh generates it.
if [ ! -f "$generated/Cargo.toml" ]; then
  mkdir -p "$(dirname "$generated")"
  nice -n 10 "$cli" generate -i "$github" -g rust -o "$generated" >"$bench/check-github/openapi-generator.log" 2>&1
fi
[ -f "$generated/Cargo.lock" ] || (cd "$generated" && cargo generate-lockfile --quiet)

# The types it declares: its api template replaced by a listing (library
# reqwest, its default), and its models' by a list of schema and Rust names.
rm -rf "$work/template" "$work/listing"
mkdir -p "$work/template/reqwest"
cat >"$work/template/reqwest/api.mustache" <<'TEMPLATE'
{{#operations}}{{#operation}}OP	{{httpMethod}}	{{path}}	{{operationId}}	{{operationIdCamelCase}}
RET	{{{returnType}}}
{{#bodyParam}}BODY	{{{dataType}}}	{{isPrimitiveType}}	{{isContainer}}	{{isString}}
{{#content.entrySet}}BODYMT	{{key}}	{{#value}}{{#schema}}{{{dataType}}}{{/schema}}{{/value}}
{{/content.entrySet}}{{/bodyParam}}{{#responses}}RESP	{{code}}	{{{dataType}}}	{{is2xx}}	{{isEnum}}
{{#content.entrySet}}RESPMT	{{key}}	{{#value}}{{#schema}}{{{dataType}}}{{/schema}}{{/value}}
{{/content.entrySet}}{{/responses}}{{/operation}}{{/operations}}
TEMPLATE
printf '%s\n' '{{#models}}{{#model}}MODEL	{{name}}	{{classname}}' '{{/model}}{{/models}}' >"$work/template/model.mustache"
cp "$work/template/model.mustache" "$work/template/model_mod.mustache"
nice -n 10 "$cli" generate -i "$github" -g rust -t "$work/template" -o "$work/listing" \
  --global-property models,apis,supportingFiles=mod.rs,modelDocs=false,modelTests=false,apiDocs=false,apiTests=false \
  >"$work/listing.log" 2>&1 || {
  tail -20 "$work/listing.log" >&2
  exit 1
}
python3 "$helper" map "$github" "$examples" "$work/listing" "$generated" "$work"

# A copy of the crate with the program as an example (timestamps kept, so
# that a rerun rebuilds neither the crate nor an unchanged program).
rm -rf "$work/crate"
cp -a "$generated" "$work/crate"
mkdir -p "$work/crate/examples"
cp -p "$work/round_trip.rs" "$work/crate/examples/round_trip.rs"
echo "building openapi-generator's crate and the program (several minutes; log: $work/build.log)"
(cd "$work/crate" && CARGO_TARGET_DIR=$work/target CARGO_INCREMENTAL=0 nice -n 10 \
  cargo build --quiet --example round_trip >"$work/build.log" 2>&1) || {
  grep -E '^error' -A5 "$work/build.log" | head -40 >&2
  exit 1
}
"$work/target/debug/examples/round_trip" "$work/cases.json" >"$work/outcomes.jsonl"
python3 "$helper" report "$github" "$examples" "$ours" "$work" "$root/scripts/examples/check.py"
echo "results: $bench/results/examples-openapi-generator.txt"
