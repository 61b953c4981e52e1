#!/usr/bin/env bash
# What users pay to compile the crate for GitHub's REST API (npm
# @octokit/openapi 23.0.2), ours against openapi-generator's (-g rust):
# generated lines and types, then `cargo check` of the crate alone, its
# dependencies already built, CARGO_INCREMENTAL=0, one after the other, with
# GNU time's wall time and peak memory. Optionally also an older kanuu-codegen
# binary's crate (KANUU_CODEGEN_BEFORE=path), for before/after figures. Ours
# is also checked with one tag's feature only (`issues`: the crate compiles
# only those operations and the types they use), and with the `webhooks`
# feature (its 270 webhooks' `Webhook` enum) and the `mock` feature.
# Results: target/bench/results/check-github.txt. See BENCHMARKS.md.
#
#   scripts/bench/check-github.sh
#   KANUU_CODEGEN_BEFORE=/tmp/old-kanuu-codegen scripts/bench/check-github.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/bench/install.sh || exit 1
root=$PWD
bench=$root/target/bench
results=$bench/results
work=$bench/check-github
mkdir -p "$results" "$work"
github=$bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
summary=$results/check-github.txt
: >"$summary"
export RUST_BACKTRACE=0 CARGO_INCREMENTAL=0

# label | crate folder | cargo flags
crates=()
generate_ours() { # binary, folder
  rm -rf "$2"
  "$1" --spec "$github" --out "$2" --crate-name github-client >/dev/null 2>&1 || return 1
}
generate_ours "${KANUU_CODEGEN:-$root/target/release/kanuu-codegen}" "$work/kanuu" || exit 1
crates+=("kanuu-codegen|$work/kanuu/rust|")
crates+=("kanuu-codegen, only the issues feature|$work/kanuu/rust|--no-default-features --features rustls,issues")
crates+=("kanuu-codegen, with the webhooks feature|$work/kanuu/rust|--features webhooks")
crates+=("kanuu-codegen, with the mock feature|$work/kanuu/rust|--features mock")
if [ -n "${KANUU_CODEGEN_BEFORE:-}" ]; then
  generate_ours "$KANUU_CODEGEN_BEFORE" "$work/kanuu-before" || exit 1
  crates+=("kanuu-codegen before ($KANUU_CODEGEN_BEFORE)|$work/kanuu-before/rust|")
fi
if [ ! -f "$work/openapi-generator/Cargo.toml" ]; then
  "$bench/venv/bin/openapi-generator-cli" generate -i "$github" -g rust -o "$work/openapi-generator" \
    >"$work/openapi-generator.log" 2>&1 || exit 1
fi
crates+=("openapi-generator 7.26.0|$work/openapi-generator|")

for entry in "${crates[@]}"; do
  IFS='|' read -r label dir flags <<<"$entry"
  target=$work/target-$(basename "$(dirname "$dir")")-$(basename "$dir")
  lines=$(find "$dir/src" -name '*.rs' -exec cat {} + | wc -l)
  # (A letter after the keyword: not the `pub struct $name` in json_object!'s rules.)
  types=$(find "$dir/src" -name '*.rs' -exec grep -hE '^\s*pub (struct|enum) [A-Za-z_]' {} + | wc -l)
  # Dependencies first (not timed), then the crate alone.
  # shellcheck disable=SC2086
  (cd "$dir" && cargo generate-lockfile --quiet && CARGO_TARGET_DIR=$target nice -n 10 cargo check --quiet $flags >/dev/null 2>&1)
  find "$dir/src" -name lib.rs -exec touch {} +
  # shellcheck disable=SC2086
  (cd "$dir" && CARGO_TARGET_DIR=$target /usr/bin/time -f "%e %M" -o "$work/time.txt" cargo check --quiet $flags >"$work/check.log" 2>&1)
  code=$?
  read -r seconds kb < <(tail -1 "$work/time.txt")
  echo "$label: exit=$code lines=$lines pub_types=$types check_seconds=$seconds peak_mb=$((kb / 1024))" | tee -a "$summary"
done
echo "results: $summary"
