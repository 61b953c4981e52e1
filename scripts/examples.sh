#!/usr/bin/env bash
# Proves a generated crate's types against the document's own JSON body
# examples: each example is decoded with the crate's type for it and written
# back, and checked against its schema by a JSON Schema validator
# (python-jsonschema), which tells the document's faults from ours. Fails on
# an example that is valid but doesn't decode or doesn't come back equal.
#
#   scripts/examples.sh DOCUMENT [--list]      (--list: the invalid examples too)
#
# Work goes to target/examples/<document's name>/. KANUU_CODEGEN=path
# generates the crate with another kanuu-codegen binary (an older one, for
# before and after).
set -euo pipefail
cd "$(dirname "$0")/.."
document=$1
shift
name=$(basename "$document" | sed -E 's/\.(json|ya?ml)$//; s/[^A-Za-z0-9]+/-/g; s/^-+//; s/^([0-9])/d\1/' | tr A-Z a-z)
work=target/examples/$name
python3 -c 'import jsonschema, referencing, yaml' 2>/dev/null || python3 -m pip install --quiet jsonschema pyyaml
cargo build --quiet --release -p kanuu-codegen
cargo build --quiet -p kanuu-tests --bin body-examples
generator=${KANUU_CODEGEN:-target/release/kanuu-codegen}
rm -rf "$work/out"
"$generator" --spec "$document" --out "$work/out" --crate-name "examples-$name" >/dev/null 2>&1 \
  || "$generator" --spec "$document" --out "$work/out" --crate-name "examples-$name"
target/debug/body-examples "$document" "examples-$name" "$work/out"
# The crate on its own, with the workspace's lock file, in the target folder
# scripts/corpus.sh builds its crates' examples in: their dependencies are
# the same, so CI builds them once.
cp Cargo.lock "$work/out/rust/Cargo.lock"
CARGO_TARGET_DIR=target/corpus/target cargo run --quiet --manifest-path "$work/out/rust/Cargo.toml" \
  --example "examples_${name//-/_}_round_trip" -- "$work/out/examples.json" >"$work/outcomes.jsonl"
python3 scripts/examples/check.py "$document" "$work/out/examples.json" "$work/outcomes.jsonl" "$@"
